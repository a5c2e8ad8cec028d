// Keeps a Velero snapshot current from watch events, and says which backups and restores just finished.
import type { WatchEvent } from '../kube/kubeClient';
import type { ResourceKind } from '../kube/resourceKinds';
import { veleroKinds } from './veleroKinds';
import {
  phaseTone,
  terminalPhases,
  toBackupSummary,
  toRestoreSummary,
  toScheduleSummary,
  toStorageLocationSummary,
  type BackupSummary,
  type RestoreSummary,
} from './veleroModel';
import type { VeleroSnapshot } from './veleroSnapshot';

/** The collections the Backups view follows live (volume snapshot locations rarely change: refresh shows them). */
export type LiveKey = 'backups' | 'restores' | 'schedules' | 'storageLocations';

export const liveKinds: Readonly<Record<LiveKey, ResourceKind>> = {
  backups: veleroKinds.backup,
  restores: veleroKinds.restore,
  schedules: veleroKinds.schedule,
  storageLocations: veleroKinds.backupStorageLocation,
};

/** A backup or restore that moved from running to a terminal phase while it was watched. */
export type FinishedItem =
  { readonly kind: 'backup'; readonly item: BackupSummary } | { readonly kind: 'restore'; readonly item: RestoreSummary };

export interface LiveUpdate {
  readonly snapshot: VeleroSnapshot;
  /** Set only for a running → terminal transition seen in this event (an object that arrives finished is not news). */
  readonly finished?: FinishedItem;
}

type Named = { readonly name: string; readonly createdAt?: string };

const byNewest = (a: Named, b: Named): number => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || a.name.localeCompare(b.name);
const byName = (a: Named, b: Named): number => a.name.localeCompare(b.name);

function upsert<T extends Named>(list: readonly T[], item: T, removed: boolean, order: (a: T, b: T) => number): T[] {
  const rest = list.filter((x) => x.name !== item.name);
  return removed ? rest : [...rest, item].sort(order);
}

const justFinished = (before: { phase: string } | undefined, after: { phase: string }): boolean =>
  before !== undefined && !terminalPhases.has(before.phase) && phaseTone(before.phase) === 'running' && terminalPhases.has(after.phase);

/**
 * Applies one watch event of collection `key` to `snapshot` (ADDED/MODIFIED replace by name, DELETED removes;
 * BOOKMARK and ERROR change nothing) and reports a backup or restore that has just finished.
 */
export function applyVeleroEvent(snapshot: VeleroSnapshot, key: LiveKey, event: WatchEvent): LiveUpdate {
  if (event.type !== 'ADDED' && event.type !== 'MODIFIED' && event.type !== 'DELETED') return { snapshot };
  const removed = event.type === 'DELETED';
  switch (key) {
    case 'backups': {
      const item = toBackupSummary(event.object);
      const before = snapshot.backups.find((b) => b.name === item.name);
      const next = { ...snapshot, backups: upsert(snapshot.backups, item, removed, byNewest) };
      return !removed && justFinished(before, item) ? { snapshot: next, finished: { kind: 'backup', item } } : { snapshot: next };
    }
    case 'restores': {
      const item = toRestoreSummary(event.object);
      const before = snapshot.restores.find((r) => r.name === item.name);
      const next = { ...snapshot, restores: upsert(snapshot.restores, item, removed, byNewest) };
      return !removed && justFinished(before, item) ? { snapshot: next, finished: { kind: 'restore', item } } : { snapshot: next };
    }
    case 'schedules':
      return { snapshot: { ...snapshot, schedules: upsert(snapshot.schedules, toScheduleSummary(event.object), removed, byName) } };
    case 'storageLocations':
      return {
        snapshot: {
          ...snapshot,
          storageLocations: upsert(snapshot.storageLocations, toStorageLocationSummary(event.object), removed, byName),
        },
      };
  }
}

/** Replaces one collection after a relist (the watch expired): the new list is the truth. */
export function replaceCollection(snapshot: VeleroSnapshot, key: LiveKey, objects: readonly Record<string, unknown>[]): VeleroSnapshot {
  switch (key) {
    case 'backups':
      return { ...snapshot, backups: objects.map(toBackupSummary).sort(byNewest) };
    case 'restores':
      return { ...snapshot, restores: objects.map(toRestoreSummary).sort(byNewest) };
    case 'schedules':
      return { ...snapshot, schedules: objects.map(toScheduleSummary).sort(byName) };
    case 'storageLocations':
      return { ...snapshot, storageLocations: objects.map(toStorageLocationSummary).sort(byName) };
  }
}
