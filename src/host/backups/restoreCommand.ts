import * as vscode from 'vscode';
import { ClusterDeckError } from '../../core/errors';
import type { KubeClient } from '../../core/kube/kubeClient';
import type { BackupNode } from '../../core/velero/backupNodes';
import {
  buildRestore,
  describePreviewRow,
  parseNamespaceMapping,
  previewRestore,
  protectedTargets,
  restoreName,
  restoreTargets,
} from '../../core/velero/restorePlan';
import { followRestore, loadBackupResourceList, type DownloadFetcher } from '../../core/velero/veleroActions';
import { veleroKinds } from '../../core/velero/veleroKinds';
import type { Log } from '../shared/log';
import type { BackupsTreeProvider } from './backupsTreeProvider';
import { ensureWritable } from '../shared/readOnly';

export interface RestoreDeps {
  readonly log: Log;
  readonly backups: BackupsTreeProvider;
  readonly download: DownloadFetcher;
  readonly downloadTimeoutMs: () => number;
  readonly clientFor: (contextName: string) => Promise<{ client: KubeClient; server: string }>;
}

/**
 * Restore from a backup: namespaces, namespace mapping (previewed source → target), existingResourcePolicy
 * `none` by default and `update` only after typing the target namespace(s); protected targets (kube-system,
 * kube-public, kube-node-lease, Velero's namespace) are refused unless overridden in a second confirmation; the
 * confirmation counts the backup's objects that already exist in each target. Returns the Restore's name.
 */
export async function restoreFromBackup(deps: RestoreDeps, node?: BackupNode): Promise<string | undefined> {
  if (node?.kind !== 'backup') return undefined;
  const b = node.backup;
  if (b.phase !== 'Completed' && b.phase !== 'PartiallyFailed')
    throw new ClusterDeckError('conflict', `Backup "${b.name}" is ${b.phase}: only Completed or PartiallyFailed backups can be restored.`);
  ensureWritable(node.contextName, 'restore a Velero backup');
  const { client, server } = await deps.clientFor(node.contextName);
  const signal = new AbortController().signal;
  const title = `Restore ${b.name} on ${node.contextName}`;
  const list = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Reading what backup "${b.name}" contains…`, cancellable: false },
    () => loadBackupResourceList(client, node.namespace, b.name, deps.download, { signal, timeoutMs: deps.downloadTimeoutMs() }),
  );
  const inBackup = [
    ...new Set(Object.values(list).flatMap((items) => items.filter((i) => i.includes('/')).map((i) => i.split('/')[0] ?? ''))),
  ]
    .filter(Boolean)
    .sort();
  const candidates = b.includedNamespaces.length ? [...b.includedNamespaces] : inBackup;
  const picked = await vscode.window.showQuickPick(
    candidates.map((n) => ({ label: n, picked: true })),
    { title: `${title} (1/3)`, placeHolder: 'Restore which namespaces of the backup?', canPickMany: true, ignoreFocusOut: true },
  );
  if (!picked) return undefined;
  if (picked.length === 0) {
    void vscode.window.showWarningMessage('No namespace picked: nothing was restored.');
    return undefined;
  }
  const sources = picked.map((p) => p.label);
  const mappingText = await vscode.window.showInputBox({
    title: `${title} (2/3)`,
    prompt: 'Namespace mapping source:target, comma-separated (e.g. shop:shop-restore); empty: restore into the same namespaces',
    ignoreFocusOut: true,
    validateInput: (v) => {
      const parsed = parseNamespaceMapping(v);
      if ('error' in parsed) return parsed.error;
      const unknown = Object.keys(parsed.mapping).find((s) => !sources.includes(s));
      if (unknown) return `"${unknown}" is not one of the namespaces being restored (${sources.join(', ')}).`;
      const preview = restoreTargets(sources, parsed.mapping)
        .map((t) => `${t.source} → ${t.target}`)
        .join(', ');
      return { message: preview, severity: vscode.InputBoxValidationSeverity.Info };
    },
  });
  if (mappingText === undefined) return undefined;
  const parsed = parseNamespaceMapping(mappingText);
  if ('error' in parsed) return undefined;
  const mapping = parsed.mapping;
  const policyPick = await vscode.window.showQuickPick(
    [
      { label: 'Skip existing objects', description: 'existingResourcePolicy: none (default)', value: 'none' as const },
      {
        label: 'Update existing objects',
        description: 'existingResourcePolicy: update: overwrite them to match the backup',
        value: 'update' as const,
      },
    ],
    { title: `${title} (3/3)`, placeHolder: 'Objects that already exist in the target', ignoreFocusOut: true },
  );
  if (!policyPick) return undefined;
  const policy = policyPick.value;
  const targets = restoreTargets(sources, mapping).map((t) => t.target);
  const veleroNamespace = node.namespace;
  const blocked = protectedTargets(targets, veleroNamespace);
  if (blocked.length) {
    const override = await vscode.window.showWarningMessage(
      `Restoring into ${blocked.join(', ')} is refused.`,
      {
        modal: true,
        detail: `Writing backed-up objects into ${blocked.join(', ')} can break the cluster or Velero itself. Map the namespace to another target instead, or override.`,
      },
      'Override…',
    );
    if (override !== 'Override…') return undefined;
    const sure = await vscode.window.showWarningMessage(
      `Really restore into ${blocked.join(', ')} on ${node.contextName}?`,
      { modal: true, detail: `Context: ${node.contextName}\nServer: ${server}` },
      `Restore into ${blocked.join(', ')}`,
    );
    if (sure !== `Restore into ${blocked.join(', ')}`) return undefined;
  }
  const live = new Set((await client.listNamespaces({ signal, limit: 1000 })).items.map((n) => n.name));
  const rows = await previewRestore(client, list, sources, mapping, live, signal);
  const ok = await vscode.window.showWarningMessage(
    `Restore backup "${b.name}" into ${node.contextName}?`,
    {
      modal: true,
      detail: [
        ...rows.map((r) => describePreviewRow(r, policy)),
        '',
        policy === 'update'
          ? 'Existing objects are overwritten to match the backup (existingResourcePolicy: update).'
          : 'Existing objects are left as they are (existingResourcePolicy: none).',
        '',
        `Context: ${node.contextName}`,
        `Server: ${server}`,
      ].join('\n'),
    },
    'Restore',
  );
  if (ok !== 'Restore') return undefined;
  if (policy === 'update') {
    const expected = [...new Set(targets)].join(', ');
    const typed = await vscode.window.showInputBox({
      title: `Update existing objects in ${expected}`,
      prompt: `Type "${expected}" to let the restore overwrite existing objects there`,
      ignoreFocusOut: true,
      validateInput: (v) => (v === expected ? undefined : `Type "${expected}" exactly`),
    });
    if (typed !== expected) return undefined;
  }
  const name = restoreName(b.name, Date.now());
  await client.createObject(
    veleroKinds.restore,
    veleroNamespace,
    buildRestore({
      name,
      veleroNamespace,
      backupName: b.name,
      includedNamespaces: sources,
      namespaceMapping: mapping,
      existingResourcePolicy: policy,
      restorePVs: true,
    }),
    { signal },
  );
  deps.log.info('velero', `created Restore ${veleroNamespace}/${name} from ${b.name} on ${node.contextName}`);
  deps.backups.refresh(node.contextName);
  const stop = deps.backups.follow(node.contextName);
  void followRestore(client, veleroNamespace, name, {
    signal: new AbortController().signal,
    onUpdate: () => deps.backups.refresh(node.contextName),
  })
    .then((r) => {
      const msg = `Restore "${name}" ${r.phase === 'Completed' ? 'completed' : `ended ${r.phase}`} (${r.itemsRestored ?? 0}/${r.totalItems ?? '?'} items, ${r.errors} errors, ${r.warnings} warnings).`;
      if (r.phase === 'Completed') void vscode.window.showInformationMessage(msg);
      else if (r.phase === 'PartiallyFailed') void vscode.window.showWarningMessage(msg);
      else void vscode.window.showErrorMessage(`${msg} ${r.validationErrors.join('; ')}`);
    })
    .catch((e: unknown) => deps.log.warn('velero', `following restore ${name}: ${e instanceof Error ? e.message : String(e)}`))
    .finally(stop);
  return name;
}
