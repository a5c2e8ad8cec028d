// Velero objects reduced to what the Backups view shows, and how their phases read (reference: velero.md §2).

/** How a phase reads: running, done well, needs attention, failed, or a phase this version does not know. */
export type PhaseTone = 'running' | 'success' | 'attention' | 'failure' | 'unknown';

const runningPhases = new Set(['New', 'Queued', 'ReadyToStart', 'InProgress', 'WaitingForPluginOperations', 'Finalizing', 'Deleting']);
const attentionPhases = new Set(['WaitingForPluginOperationsPartiallyFailed', 'FinalizingPartiallyFailed', 'PartiallyFailed']);
const failurePhases = new Set(['FailedValidation', 'Failed']);

/** Backup and Restore phases end here (reference §2.8). */
export const terminalPhases: ReadonlySet<string> = new Set(['Completed', 'PartiallyFailed', 'Failed', 'FailedValidation']);

/** Tone of a Backup or Restore phase; an empty phase is `New` (the controller has not seen it yet). */
export function phaseTone(phase: string | undefined): PhaseTone {
  const p = phase || 'New';
  if (p === 'Completed') return 'success';
  if (runningPhases.has(p)) return p === 'Deleting' ? 'failure' : 'running';
  if (attentionPhases.has(p)) return 'attention';
  if (failurePhases.has(p)) return 'failure';
  return 'unknown';
}

export interface BackupSummary {
  readonly name: string;
  readonly uid: string;
  /** Raw phase ('New' when empty); unknown phases are kept as they are. */
  readonly phase: string;
  readonly createdAt?: string;
  readonly startedAt?: string;
  readonly completedAt?: string;
  readonly expiresAt?: string;
  readonly ttl?: string;
  readonly itemsBackedUp?: number;
  readonly totalItems?: number;
  readonly warnings: number;
  readonly errors: number;
  readonly storageLocation?: string;
  readonly includedNamespaces: readonly string[];
  readonly excludedNamespaces: readonly string[];
  readonly scheduleName?: string;
  readonly validationErrors: readonly string[];
  readonly failureReason?: string;
  readonly volumeSnapshotsAttempted?: number;
  readonly volumeSnapshotsCompleted?: number;
  readonly labels: Readonly<Record<string, string>>;
}

export interface RestoreSummary {
  readonly name: string;
  readonly uid: string;
  readonly phase: string;
  readonly createdAt?: string;
  readonly startedAt?: string;
  readonly completedAt?: string;
  readonly backupName?: string;
  readonly scheduleName?: string;
  readonly itemsRestored?: number;
  readonly totalItems?: number;
  readonly warnings: number;
  readonly errors: number;
  readonly includedNamespaces: readonly string[];
  readonly namespaceMapping: Readonly<Record<string, string>>;
  readonly existingResourcePolicy?: string;
  readonly validationErrors: readonly string[];
  readonly failureReason?: string;
}

export interface ScheduleSummary {
  readonly name: string;
  readonly uid: string;
  readonly schedule: string;
  readonly phase: string;
  readonly paused: boolean;
  readonly lastBackup?: string;
  readonly createdAt?: string;
  readonly includedNamespaces: readonly string[];
  readonly ttl?: string;
  readonly storageLocation?: string;
  readonly validationErrors: readonly string[];
  /** The backup spec the schedule creates backups from. */
  readonly template: Readonly<Record<string, unknown>>;
}

export interface StorageLocationSummary {
  readonly name: string;
  readonly phase: string;
  readonly isDefault: boolean;
  readonly provider?: string;
  readonly bucket?: string;
  readonly prefix?: string;
  readonly accessMode: string;
  readonly lastValidationTime?: string;
  readonly lastSyncedTime?: string;
  readonly message?: string;
}

export interface SnapshotLocationSummary {
  readonly name: string;
  readonly provider?: string;
  readonly region?: string;
  readonly phase?: string;
}

type Obj = Record<string, unknown>;
const rec = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const stringMap = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(rec(v)).filter((e): e is [string, string] => typeof e[1] === 'string'));
const opt = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

function meta(o: Obj): { name: string; uid: string; createdAt?: string; labels: Record<string, string> } {
  const m = rec(o.metadata);
  return {
    name: str(m.name) ?? '',
    uid: str(m.uid) ?? str(m.name) ?? '',
    ...opt('createdAt', str(m.creationTimestamp)),
    labels: stringMap(m.labels),
  };
}

export function toBackupSummary(o: Obj): BackupSummary {
  const m = meta(o);
  const spec = rec(o.spec);
  const status = rec(o.status);
  const progress = rec(status.progress);
  return {
    name: m.name,
    uid: m.uid,
    phase: str(status.phase) ?? 'New',
    ...opt('createdAt', m.createdAt),
    ...opt('startedAt', str(status.startTimestamp)),
    ...opt('completedAt', str(status.completionTimestamp)),
    ...opt('expiresAt', str(status.expiration)),
    ...opt('ttl', str(spec.ttl)),
    ...opt('itemsBackedUp', num(progress.itemsBackedUp)),
    ...opt('totalItems', num(progress.totalItems)),
    warnings: num(status.warnings) ?? 0,
    errors: num(status.errors) ?? 0,
    ...opt('storageLocation', str(spec.storageLocation) ?? m.labels['velero.io/storage-location']),
    includedNamespaces: strings(spec.includedNamespaces),
    excludedNamespaces: strings(spec.excludedNamespaces),
    ...opt('scheduleName', m.labels['velero.io/schedule-name']),
    validationErrors: strings(status.validationErrors),
    ...opt('failureReason', str(status.failureReason)),
    ...opt('volumeSnapshotsAttempted', num(status.volumeSnapshotsAttempted)),
    ...opt('volumeSnapshotsCompleted', num(status.volumeSnapshotsCompleted)),
    labels: m.labels,
  };
}

export function toRestoreSummary(o: Obj): RestoreSummary {
  const m = meta(o);
  const spec = rec(o.spec);
  const status = rec(o.status);
  const progress = rec(status.progress);
  return {
    name: m.name,
    uid: m.uid,
    phase: str(status.phase) ?? 'New',
    ...opt('createdAt', m.createdAt),
    ...opt('startedAt', str(status.startTimestamp)),
    ...opt('completedAt', str(status.completionTimestamp)),
    ...opt('backupName', str(spec.backupName)),
    ...opt('scheduleName', str(spec.scheduleName)),
    ...opt('itemsRestored', num(progress.itemsRestored)),
    ...opt('totalItems', num(progress.totalItems)),
    warnings: num(status.warnings) ?? 0,
    errors: num(status.errors) ?? 0,
    includedNamespaces: strings(spec.includedNamespaces),
    namespaceMapping: stringMap(spec.namespaceMapping),
    ...opt('existingResourcePolicy', str(spec.existingResourcePolicy)),
    validationErrors: strings(status.validationErrors),
    ...opt('failureReason', str(status.failureReason)),
  };
}

export function toScheduleSummary(o: Obj): ScheduleSummary {
  const m = meta(o);
  const spec = rec(o.spec);
  const status = rec(o.status);
  const template = rec(spec.template);
  return {
    name: m.name,
    uid: m.uid,
    schedule: str(spec.schedule) ?? '',
    phase: str(status.phase) ?? 'New',
    paused: spec.paused === true,
    ...opt('lastBackup', str(status.lastBackup)),
    ...opt('createdAt', m.createdAt),
    includedNamespaces: strings(template.includedNamespaces),
    ...opt('ttl', str(template.ttl)),
    ...opt('storageLocation', str(template.storageLocation)),
    validationErrors: strings(status.validationErrors),
    template,
  };
}

export function toStorageLocationSummary(o: Obj): StorageLocationSummary {
  const m = meta(o);
  const spec = rec(o.spec);
  const status = rec(o.status);
  const storage = rec(spec.objectStorage);
  return {
    name: m.name,
    phase: str(status.phase) ?? 'Unknown',
    isDefault: spec.default === true,
    ...opt('provider', str(spec.provider)),
    ...opt('bucket', str(storage.bucket)),
    ...opt('prefix', str(storage.prefix)),
    accessMode: str(spec.accessMode) ?? 'ReadWrite',
    ...opt('lastValidationTime', str(status.lastValidationTime)),
    ...opt('lastSyncedTime', str(status.lastSyncedTime)),
    ...opt('message', str(status.message)),
  };
}

export function toSnapshotLocationSummary(o: Obj): SnapshotLocationSummary {
  const m = meta(o);
  const spec = rec(o.spec);
  return {
    name: m.name,
    ...opt('provider', str(spec.provider)),
    ...opt('region', str(rec(spec.config).region)),
    ...opt('phase', str(rec(o.status).phase)),
  };
}

/** "45s", "12m", "7h", "3d" between two instants (never negative). */
export function formatAge(fromMs: number, nowMs: number): string {
  const s = Math.max(0, Math.round((nowMs - fromMs) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** "expires in 29d", "expired 2h ago". */
export function formatExpiry(expiresMs: number, nowMs: number): string {
  return expiresMs > nowMs ? `expires in ${formatAge(nowMs, expiresMs)}` : `expired ${formatAge(expiresMs, nowMs)} ago`;
}

/** Milliseconds of an ISO timestamp, or undefined. */
export function timeOf(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}
