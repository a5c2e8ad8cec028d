import * as vscode from 'vscode';
import { ClusterDeckError } from '../../core/errors';
import type { KubeClient } from '../../core/kube/kubeClient';
import type { BackupNode } from '../../core/velero/backupNodes';
import {
  buildRestore,
  describePreviewRow,
  excludedResourcesOf,
  supportsExistingResourcePolicy,
  latestScheduleBackup,
  resourceChoices,
  parseNamespaceMapping,
  previewRestore,
  protectedTargets,
  restoreName,
  restoreTargets,
} from '../../core/velero/restorePlan';
import { followRestore, loadBackupResourceList, type DownloadFetcher } from '../../core/velero/veleroActions';
import { veleroKinds } from '../../core/velero/veleroKinds';
import { toBackupSummary, toStorageLocationSummary, type BackupSummary } from '../../core/velero/veleroModel';
import { restoreLocationCaveat } from '../../core/velero/readOnlyLocation';
import { listAll } from '../../core/velero/veleroSnapshot';
import type { Log } from '../shared/log';
import type { BackupsTreeProvider } from './backupsTreeProvider';
import type { VeleroNotifier } from './veleroNotifier';
import { ensureWritable } from '../shared/readOnly';

export interface RestoreDeps {
  readonly log: Log;
  readonly backups: BackupsTreeProvider;
  readonly notifier: VeleroNotifier;
  readonly download: DownloadFetcher;
  readonly downloadTimeoutMs: () => number;
  readonly clientFor: (contextName: string) => Promise<{ client: KubeClient; server: string }>;
}

/**
 * Restore from a backup: namespaces, namespace mapping (previewed source → target), which kinds and whether
 * persistent volumes, existingResourcePolicy `none` by default and `update` only after typing the target
 * namespace(s); protected targets (kube-system, kube-public, kube-node-lease, Velero's namespace) are refused
 * unless overridden in a second confirmation; the confirmation counts the backup's objects that already exist in
 * each target. Returns the Restore's name.
 */
export async function restoreFromBackup(deps: RestoreDeps, node?: BackupNode): Promise<string | undefined> {
  if (node?.kind !== 'backup') return undefined;
  const b = node.backup;
  if (b.phase !== 'Completed' && b.phase !== 'PartiallyFailed')
    throw new ClusterDeckError('conflict', `Backup "${b.name}" is ${b.phase}: only Completed or PartiallyFailed backups can be restored.`);
  return runRestore(deps, { contextName: node.contextName, namespace: node.namespace, backup: b });
}

/**
 * Restore from a schedule's latest backup: the Restore names the schedule (`spec.scheduleName`, Velero picks the
 * most recently started Completed backup); the steps preview that backup, which is named in every title.
 */
export async function restoreFromSchedule(deps: RestoreDeps, node?: BackupNode): Promise<string | undefined> {
  if (node?.kind !== 'schedule') return undefined;
  ensureWritable(node.contextName, 'restore a Velero backup');
  const { client } = await deps.clientFor(node.contextName);
  const signal = new AbortController().signal;
  const all = (await listAll(client, veleroKinds.backup, node.namespace, signal)).map(toBackupSummary);
  const latest = latestScheduleBackup(all, node.schedule.name);
  if (!latest)
    throw new ClusterDeckError(
      'notFound',
      `Schedule "${node.schedule.name}" has no Completed backup yet: there is nothing to restore from it.`,
    );
  return runRestore(deps, { contextName: node.contextName, namespace: node.namespace, backup: latest, scheduleName: node.schedule.name });
}

interface RestoreSource {
  readonly contextName: string;
  /** Velero's namespace (where the Backup and the new Restore live). */
  readonly namespace: string;
  readonly backup: BackupSummary;
  /** Set when restoring "the latest backup of this schedule". */
  readonly scheduleName?: string;
}

async function runRestore(deps: RestoreDeps, source: RestoreSource): Promise<string | undefined> {
  const { contextName, backup: b } = source;
  const node = { contextName, namespace: source.namespace };
  ensureWritable(node.contextName, 'restore a Velero backup');
  const { client, server } = await deps.clientFor(node.contextName);
  const signal = new AbortController().signal;
  const title = source.scheduleName
    ? `Restore ${source.scheduleName}'s latest backup (${b.name}) on ${node.contextName}`
    : `Restore ${b.name} on ${node.contextName}`;
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
    { title: `${title} (1/4)`, placeHolder: 'Restore which namespaces of the backup?', canPickMany: true, ignoreFocusOut: true },
  );
  if (!picked) return undefined;
  if (picked.length === 0) {
    void vscode.window.showWarningMessage('No namespace picked: nothing was restored.');
    return undefined;
  }
  const sources = picked.map((p) => p.label);
  const mappingText = await vscode.window.showInputBox({
    title: `${title} (2/4)`,
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
  const choices = resourceChoices(list);
  const pvItem = { label: '$(database) Restore persistent volumes', description: 'restorePVs: true', key: '' };
  const resourcePicks = await vscode.window.showQuickPick(
    [
      { ...pvItem, picked: true },
      { label: 'Kinds in the backup', kind: vscode.QuickPickItemKind.Separator, key: '' },
      ...choices.map((c) => ({
        label: c.kind,
        description: `${c.group || 'core'} · ${c.count} object${c.count === 1 ? '' : 's'}`,
        key: c.key,
        picked: true,
      })),
    ],
    {
      title: `${title} (3/4)`,
      placeHolder: 'Restore which kinds? Unticked kinds are excluded (excludedResources)',
      canPickMany: true,
      ignoreFocusOut: true,
    },
  );
  if (!resourcePicks) return undefined;
  const pickedKeys = new Set(resourcePicks.map((p) => p.key).filter(Boolean));
  if (choices.length && pickedKeys.size === 0) {
    void vscode.window.showWarningMessage('No kind picked: nothing was restored.');
    return undefined;
  }
  const restorePVs = resourcePicks.some((p) => p.label === pvItem.label);
  const excludedResources = excludedResourcesOf(choices, pickedKeys);
  // Velero before 1.9 does not know existingResourcePolicy (velero#5195): it always skips existing objects.
  const version = deps.backups.snapshot(node.contextName)?.install;
  const knowsPolicy = supportsExistingResourcePolicy(version && 'version' in version ? version.version : undefined);
  const policyPick = knowsPolicy
    ? await vscode.window.showQuickPick(
        [
          { label: 'Skip existing objects', description: 'existingResourcePolicy: none (default)', value: 'none' as const },
          {
            label: 'Update existing objects',
            description: 'existingResourcePolicy: update: overwrite them to match the backup',
            value: 'update' as const,
          },
        ],
        { title: `${title} (4/4)`, placeHolder: 'Objects that already exist in the target', ignoreFocusOut: true },
      )
    : { value: 'none' as const };
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
  // B79: restoring from a ReadOnly location still writes to it (velero#6753); say so before the restore starts.
  const locations = await listAll(client, veleroKinds.backupStorageLocation, source.namespace, signal)
    .then((items) => items.map(toStorageLocationSummary))
    .catch(() => []);
  const caveat = restoreLocationCaveat(b, locations);
  const ok = await vscode.window.showWarningMessage(
    source.scheduleName
      ? `Restore the latest backup of schedule "${source.scheduleName}" (${b.name}) into ${node.contextName}?`
      : `Restore backup "${b.name}" into ${node.contextName}?`,
    {
      modal: true,
      detail: [
        ...rows.map((r) => describePreviewRow(r, policy)),
        '',
        excludedResources.length ? `Left out: ${excludedResources.join(', ')}.` : 'Every kind in the backup is restored.',
        restorePVs ? 'Persistent volumes are restored.' : 'Persistent volumes are not restored (restorePVs: false).',
        '',
        policy === 'update'
          ? 'Existing objects are overwritten to match the backup (existingResourcePolicy: update).'
          : 'Existing objects are left as they are (existingResourcePolicy: none).',
        '',
        ...(caveat ? [caveat, ''] : []),
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
  const name = restoreName(source.scheduleName ?? b.name, Date.now());
  await client.createObject(
    veleroKinds.restore,
    veleroNamespace,
    buildRestore({
      name,
      veleroNamespace,
      ...(source.scheduleName ? { scheduleName: source.scheduleName } : { backupName: b.name }),
      includedNamespaces: sources,
      namespaceMapping: mapping,
      excludedResources,
      ...(knowsPolicy ? { existingResourcePolicy: policy } : {}),
      restorePVs,
    }),
    { signal },
  );
  deps.log.info('velero', `created Restore ${veleroNamespace}/${name} from ${b.name} on ${node.contextName}`);
  if (!deps.backups.isLive(node.contextName)) deps.backups.refresh(node.contextName);
  const stop = deps.backups.follow(node.contextName);
  void followRestore(client, veleroNamespace, name, {
    signal: new AbortController().signal,
    onUpdate: () => {
      if (!deps.backups.isLive(node.contextName)) deps.backups.refresh(node.contextName);
    },
  })
    .then((r) => deps.notifier.finished(node.contextName, { kind: 'restore', item: r }))
    .catch((e: unknown) => deps.log.warn('velero', `following restore ${name}: ${e instanceof Error ? e.message : String(e)}`))
    .finally(stop);
  return name;
}
