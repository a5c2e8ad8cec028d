// The bodies of the Velero objects ClusterDeck creates, and the checks on the user's input behind them.
import { parseGoDuration } from '../manifests/rules/singleCron';

/** Velero's server default TTL (`--default-backup-ttl`). */
export const defaultTtl = '720h0m0s';

/** What the "Back up now" wizard collects. Empty lists mean "Velero's default" (all namespaces, all resources). */
export interface BackupOptions {
  readonly name: string;
  /** Velero's namespace, where the Backup object lives. */
  readonly veleroNamespace: string;
  readonly includedNamespaces: readonly string[];
  readonly excludedNamespaces?: readonly string[];
  readonly includedResources?: readonly string[];
  readonly excludedResources?: readonly string[];
  /** `app=shop,tier=web` (equality only). */
  readonly labelSelector?: string;
  /** undefined = Velero's default (on). */
  readonly snapshotVolumes?: boolean;
  readonly defaultVolumesToFsBackup?: boolean;
  readonly ttl: string;
  /** undefined = the default BSL. */
  readonly storageLocation?: string;
  /** Set when backing up from a schedule: the label `velero.io/schedule-name`. */
  readonly scheduleName?: string;
}

/** A DNS-1123 name `<prefix>-<YYYYMMDDhhmmss>` (what the velero CLI and schedules use), at most 63 characters. */
export function timestampedName(prefix: string, nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const clean =
    prefix
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63 - stamp.length - 1)
      .replace(/-+$/, '') || 'backup';
  return `${clean}-${stamp}`;
}

/** An error sentence for a bad object name, else undefined. */
export function validateName(name: string): string | undefined {
  if (!name) return 'A name is required.';
  if (name.length > 63) return 'At most 63 characters (Velero puts the name in a label).';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name))
    return 'Lowercase letters, digits and "-", starting and ending with a letter or digit.';
  return undefined;
}

/** An error sentence for a bad TTL, else undefined. Velero reads Go durations (`720h`, `72h30m`). */
export function validateTtl(ttl: string): string | undefined {
  const ms = parseGoDuration(ttl.trim());
  if (ms === undefined) return `"${ttl}" is not a duration: write hours and minutes like 720h, 168h or 72h30m.`;
  if (ms < 60 * 60_000) return 'The TTL must be at least 1h: Velero deletes the backup when it expires.';
  if (ms > 10 * 365 * 24 * 3_600_000) return 'The TTL must be at most 87600h (10 years).';
  return undefined;
}

/** `app=shop,tier=web` → matchLabels; undefined for an empty text; throws nothing, returns an error sentence instead. */
export function parseLabelSelector(text: string): { matchLabels: Record<string, string> } | { error: string } | undefined {
  const t = text.trim();
  if (!t) return undefined;
  const matchLabels: Record<string, string> = {};
  for (const part of t.split(',')) {
    const m = /^\s*([A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?)\s*==?\s*([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?\s*$/.exec(part);
    if (!m) return { error: `"${part.trim()}" is not key=value (only equality selectors, separated by commas).` };
    matchLabels[m[1] ?? ''] = m[3] ?? '';
  }
  return { matchLabels };
}

/** A comma/space separated list ("deployments, configmaps") as an array without empties or duplicates. */
export function splitList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/** The spec of a Backup (also a Schedule's template). */
export function buildBackupSpec(o: Omit<BackupOptions, 'name' | 'veleroNamespace' | 'scheduleName'>): Record<string, unknown> {
  const selector = o.labelSelector ? parseLabelSelector(o.labelSelector) : undefined;
  if (selector && 'error' in selector) throw new Error(selector.error);
  return {
    ...(o.includedNamespaces.length ? { includedNamespaces: [...o.includedNamespaces] } : {}),
    ...(o.excludedNamespaces?.length ? { excludedNamespaces: [...o.excludedNamespaces] } : {}),
    ...(o.includedResources?.length ? { includedResources: [...o.includedResources] } : {}),
    ...(o.excludedResources?.length ? { excludedResources: [...o.excludedResources] } : {}),
    ...(selector ? { labelSelector: selector } : {}),
    ...(o.snapshotVolumes !== undefined ? { snapshotVolumes: o.snapshotVolumes } : {}),
    ...(o.defaultVolumesToFsBackup !== undefined ? { defaultVolumesToFsBackup: o.defaultVolumesToFsBackup } : {}),
    ttl: o.ttl,
    ...(o.storageLocation ? { storageLocation: o.storageLocation } : {}),
  };
}

/** A velero.io/v1 Backup. */
export function buildBackup(o: BackupOptions): Record<string, unknown> {
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Backup',
    metadata: {
      name: o.name,
      namespace: o.veleroNamespace,
      labels: { 'app.kubernetes.io/managed-by': 'clusterdeck', ...(o.scheduleName ? { 'velero.io/schedule-name': o.scheduleName } : {}) },
    },
    spec: buildBackupSpec(o),
  };
}

/** A Backup from a schedule's template, as `velero backup create --from-schedule` makes it. */
export function buildBackupFromSchedule(
  scheduleName: string,
  template: Readonly<Record<string, unknown>>,
  veleroNamespace: string,
  nowMs: number,
): Record<string, unknown> {
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Backup',
    metadata: {
      name: timestampedName(scheduleName, nowMs),
      namespace: veleroNamespace,
      labels: { 'app.kubernetes.io/managed-by': 'clusterdeck', 'velero.io/schedule-name': scheduleName },
    },
    spec: structuredClone(template),
  };
}

/** Velero's label value for a name: names longer than 63 characters are cut and given a hash (label.GetValidName). */
export function labelValue(name: string): string {
  if (name.length <= 63) return name;
  let h = 0;
  for (const c of name) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  return `${name.slice(0, 57)}${h.toString(16).slice(0, 6)}`;
}

/** The only correct way to delete a backup (data in object storage, snapshots, then the Backup object). */
export function buildDeleteBackupRequest(backupName: string, backupUid: string, veleroNamespace: string): Record<string, unknown> {
  return {
    apiVersion: 'velero.io/v1',
    kind: 'DeleteBackupRequest',
    metadata: {
      generateName: `${backupName.slice(0, 57)}-`,
      namespace: veleroNamespace,
      labels: { 'velero.io/backup-name': labelValue(backupName), 'velero.io/backup-uid': backupUid },
    },
    spec: { backupName },
  };
}

export type DownloadTargetKind = 'BackupLog' | 'RestoreLog' | 'BackupResults' | 'RestoreResults' | 'BackupResourceList';

/** A DownloadRequest for a backup's or restore's log or results (name: the backup, or the restore for Restore*). */
export function buildDownloadRequest(kind: DownloadTargetKind, name: string, veleroNamespace: string): Record<string, unknown> {
  const suffix = kind.replace(/^(Backup|Restore)/, '').toLowerCase();
  return {
    apiVersion: 'velero.io/v1',
    kind: 'DownloadRequest',
    metadata: { generateName: `${name.slice(0, 50)}-${suffix}-`, namespace: veleroNamespace },
    spec: { target: { kind, name } },
  };
}

/** A velero.io/v1 Schedule whose backups use `template` (a Backup spec). */
export function buildSchedule(o: {
  readonly name: string;
  readonly veleroNamespace: string;
  readonly schedule: string;
  readonly template: Record<string, unknown>;
  readonly paused?: boolean;
}): Record<string, unknown> {
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Schedule',
    metadata: { name: o.name, namespace: o.veleroNamespace, labels: { 'app.kubernetes.io/managed-by': 'clusterdeck' } },
    spec: {
      schedule: o.schedule,
      template: o.template,
      // Deleting the Schedule must not garbage-collect its Backups (velero#4093).
      useOwnerReferencesInBackup: false,
      ...(o.paused ? { paused: true } : {}),
    },
  };
}
