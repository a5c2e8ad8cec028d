import { readOnlyLocationCaveat } from '../../core/velero/readOnlyLocation';
import * as vscode from 'vscode';
import { ClusterDeckError } from '../../core/errors';
import type { StorageLocationSummary } from '../../core/velero/veleroModel';
import {
  defaultTtl,
  parseLabelSelector,
  splitList,
  timestampedName,
  validateName,
  validateTtl,
  type BackupOptions,
} from '../../core/velero/veleroRequests';
import { parseGoDuration } from '../../core/manifests/rules/singleCron';

/** Answers given in advance (a tree node's namespace, or a caller automating the command) skip their steps. */
export interface BackupWizardAnswers {
  readonly namespaces?: readonly string[] | 'all';
  readonly includedResources?: string;
  readonly excludedResources?: string;
  readonly labelSelector?: string;
  readonly volumes?: 'snapshot' | 'fs' | 'none';
  readonly ttl?: string;
  readonly storageLocation?: string;
  readonly name?: string;
}

export interface BackupWizardContext {
  readonly contextName: string;
  readonly veleroNamespace: string;
  readonly namespaces: readonly string[];
  readonly preselected?: string;
  readonly locations: readonly StorageLocationSummary[];
  readonly nowMs: number;
}

const ALL = '$(globe) All namespaces';
const STEPS = 8;

function input(step: number, title: string, o: Omit<vscode.InputBoxOptions, 'title'>): Thenable<string | undefined> {
  return vscode.window.showInputBox({ ...o, title: `${title} (${step}/${STEPS})`, ignoreFocusOut: true });
}

/** The "Back Up Now" wizard: collects the options, returns undefined when the user cancels. */
export async function runBackupWizard(c: BackupWizardContext, a: BackupWizardAnswers = {}): Promise<BackupOptions | undefined> {
  const title = `Back Up Now: ${c.contextName}`;
  let namespaces = a.namespaces;
  if (namespaces === undefined) {
    const items: vscode.QuickPickItem[] = [
      { label: ALL, description: 'every namespace, and cluster-scoped resources they use' },
      ...c.namespaces.map((n) => ({ label: n, picked: n === c.preselected })),
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: `${title} (1/${STEPS})`,
      placeHolder: 'Which namespaces? (Space to toggle, Enter to accept)',
      canPickMany: true,
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    // An empty selection never means "all": that is its own explicit item.
    if (picked.length === 0) {
      void vscode.window.showWarningMessage('No namespace picked: nothing was backed up. Pick namespaces or "All namespaces".');
      return undefined;
    }
    namespaces = picked.some((p) => p.label === ALL) ? 'all' : picked.map((p) => p.label);
  }
  const included =
    a.includedResources ??
    (await input(2, title, {
      prompt: 'Include only these resources (comma-separated, e.g. deployments,configmaps); empty: all',
      value: '',
    }));
  if (included === undefined) return undefined;
  const excluded =
    a.excludedResources ??
    (await input(3, title, { prompt: 'Exclude these resources (comma-separated, e.g. events,secrets); empty: none', value: '' }));
  if (excluded === undefined) return undefined;
  const selector =
    a.labelSelector ??
    (await input(4, title, {
      prompt: 'Only objects with these labels (app=shop,tier=web); empty: all',
      value: '',
      validateInput: (v) => {
        const parsed = parseLabelSelector(v);
        return parsed && 'error' in parsed ? parsed.error : undefined;
      },
    }));
  if (selector === undefined) return undefined;
  let volumes = a.volumes;
  if (!volumes) {
    const choice = await vscode.window.showQuickPick(
      [
        { label: 'Snapshot volumes', description: 'cloud or CSI snapshots (Velero default)', value: 'snapshot' as const },
        { label: 'File-system backup', description: 'copy volume data with kopia (defaultVolumesToFsBackup)', value: 'fs' as const },
        { label: 'No volume data', description: 'objects only', value: 'none' as const },
      ],
      { title: `${title} (5/${STEPS})`, placeHolder: 'Volume data', ignoreFocusOut: true },
    );
    if (!choice) return undefined;
    volumes = choice.value;
  }
  const ttl =
    a.ttl ??
    (await input(6, title, {
      prompt: 'Keep the backup for (TTL, e.g. 720h = 30 days, 168h = 7 days)',
      value: defaultTtl,
      validateInput: (v) => {
        const err = validateTtl(v);
        if (err) return err;
        const expires = new Date(c.nowMs + (parseGoDuration(v.trim()) ?? 0));
        return {
          message: `Expires ${expires.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
          severity: vscode.InputBoxValidationSeverity.Info,
        };
      },
    }));
  if (ttl === undefined || validateTtl(ttl)) return undefined;
  let location = a.storageLocation;
  if (location === undefined) {
    if (c.locations.length === 0)
      throw new ClusterDeckError('badConfig', 'This cluster has no BackupStorageLocation: Velero cannot store a backup.');
    const picked = await vscode.window.showQuickPick(
      c.locations.map((l) => ({
        label: l.name,
        description: [l.phase, l.isDefault ? 'default' : '', l.accessMode === 'ReadOnly' ? 'read-only' : '', l.bucket ?? '']
          .filter(Boolean)
          .join(' · '),
        detail:
          l.phase !== 'Available'
            ? `Not usable: ${l.message ?? l.phase}`
            : l.accessMode === 'ReadOnly'
              ? `Not usable: read-only. ${readOnlyLocationCaveat(l.name)}`
              : undefined,
      })),
      { title: `${title} (7/${STEPS})`, placeHolder: 'Storage location', ignoreFocusOut: true },
    );
    if (!picked) return undefined;
    location = picked.label;
  }
  const bsl = c.locations.find((l) => l.name === location);
  // V6: no backup to a location Velero cannot write to.
  if (bsl && (bsl.phase !== 'Available' || bsl.accessMode === 'ReadOnly'))
    throw new ClusterDeckError(
      'badConfig',
      bsl.phase !== 'Available'
        ? `Backup storage location "${bsl.name}" is ${bsl.phase}${bsl.message ? ` (${bsl.message})` : ''}: Velero cannot write a backup there.`
        : `Backup storage location "${bsl.name}" is read-only: Velero cannot write a backup there.`,
    );
  const nsList = namespaces === 'all' ? [] : [...namespaces];
  const name =
    a.name ??
    (await input(8, title, {
      prompt: 'Backup name',
      value: timestampedName(nsList.length === 1 ? (nsList[0] ?? 'backup') : nsList.length ? 'namespaces' : 'cluster', c.nowMs),
      validateInput: validateName,
    }));
  if (name === undefined || validateName(name)) return undefined;
  return {
    name,
    veleroNamespace: c.veleroNamespace,
    includedNamespaces: nsList,
    includedResources: splitList(included),
    excludedResources: splitList(excluded),
    ...(selector.trim() ? { labelSelector: selector.trim() } : {}),
    ...(volumes === 'none' ? { snapshotVolumes: false } : volumes === 'fs' ? { defaultVolumesToFsBackup: true } : {}),
    ttl: ttl.trim(),
    ...(location ? { storageLocation: location } : {}),
  };
}
