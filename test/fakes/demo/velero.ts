/** Demo Velero objects: BackupStorageLocation, VolumeSnapshotLocation, Schedules, Backups in every phase, a Restore. */
import type { DemoContext } from './builders';
import { DAY, HOUR, MINUTE, ts } from './builders';

export function seedVelero(ctx: DemoContext): void {
  const { fake, now } = ctx;
  const v = (
    kind: string,
    name: string,
    spec: Record<string, unknown>,
    status: Record<string, unknown>,
    ageMs: number,
    labels: Record<string, string> = {},
  ): void => {
    fake.upsert({
      apiVersion: 'velero.io/v1',
      kind,
      metadata: { name, namespace: 'velero', labels, creationTimestamp: ts(ageMs, now) },
      spec,
      status,
    });
  };
  v(
    'BackupStorageLocation',
    'default',
    {
      provider: 'aws',
      default: true,
      objectStorage: { bucket: 'clusterdeck-sample-backups', prefix: 'sample' },
      config: { region: 'eu-west-1' },
      accessMode: 'ReadWrite',
      credential: { name: 'cloud-credentials', key: 'cloud' },
    },
    { phase: 'Available', lastValidationTime: ts(40_000, now), lastSyncedTime: ts(40_000, now) },
    30 * DAY,
    { component: 'velero' },
  );
  v('VolumeSnapshotLocation', 'default', { provider: 'aws', config: { region: 'eu-west-1' } }, { phase: 'Available' }, 30 * DAY, {
    component: 'velero',
  });
  const template = (ns: string[]): Record<string, unknown> => ({
    includedNamespaces: ns,
    storageLocation: 'default',
    ttl: '720h0m0s',
    snapshotVolumes: true,
    defaultVolumesToFsBackup: false,
  });
  v(
    'Schedule',
    'daily-shop',
    { schedule: '0 1 * * *', template: template(['shop']), useOwnerReferencesInBackup: false },
    { phase: 'Enabled', lastBackup: ts(7 * HOUR, now) },
    25 * DAY,
  );
  v(
    'Schedule',
    'hourly-payments',
    { schedule: '@every 1h', template: { ...template(['payments']), ttl: '168h0m0s' } },
    { phase: 'Enabled', lastBackup: ts(10 * MINUTE, now) },
    25 * DAY,
  );
  const backup = (name: string, schedule: string | undefined, ns: string[], ageMs: number, status: Record<string, unknown>): void => {
    const start = ts(ageMs, now);
    v(
      'Backup',
      name,
      { ...template(ns), ...(schedule ? {} : { ttl: '2160h0m0s' }) },
      {
        version: 1,
        formatVersion: '1.1.0',
        startTimestamp: start,
        expiration: ts(ageMs - 30 * DAY, now),
        ...status,
      },
      ageMs,
      { 'velero.io/storage-location': 'default', ...(schedule ? { 'velero.io/schedule-name': schedule } : {}) },
    );
  };
  const stamp = (ageMs: number): string => new Date(now - ageMs).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  backup(`daily-shop-${stamp(DAY + 7 * HOUR)}`, 'daily-shop', ['shop'], DAY + 7 * HOUR, {
    phase: 'Completed',
    completionTimestamp: ts(DAY + 7 * HOUR - 95_000, now),
    progress: { totalItems: 84, itemsBackedUp: 84 },
    volumeSnapshotsAttempted: 1,
    volumeSnapshotsCompleted: 1,
    warnings: 0,
    errors: 0,
  });
  backup(`daily-shop-${stamp(7 * HOUR)}`, 'daily-shop', ['shop'], 7 * HOUR, {
    phase: 'PartiallyFailed',
    completionTimestamp: ts(7 * HOUR - 130_000, now),
    progress: { totalItems: 86, itemsBackedUp: 84 },
    volumeSnapshotsAttempted: 1,
    volumeSnapshotsCompleted: 0,
    warnings: 5,
    errors: 2,
    failureReason: '',
  });
  backup(`hourly-payments-${stamp(2 * MINUTE)}`, 'hourly-payments', ['payments'], 2 * MINUTE, {
    phase: 'InProgress',
    progress: { totalItems: 120, itemsBackedUp: 45 },
    expiration: ts(2 * MINUTE - 7 * DAY, now),
  });
  backup('manual-before-upgrade', undefined, ['shop', 'payments'], 10 * DAY, {
    phase: 'Completed',
    completionTimestamp: ts(10 * DAY - 240_000, now),
    progress: { totalItems: 190, itemsBackedUp: 190 },
    warnings: 1,
    errors: 0,
    expiration: ts(10 * DAY - 90 * DAY, now),
  });
  v(
    'Restore',
    `manual-before-upgrade-${stamp(9 * DAY)}`,
    { backupName: 'manual-before-upgrade', includedNamespaces: ['shop'], restorePVs: true, existingResourcePolicy: 'none' },
    {
      phase: 'Completed',
      startTimestamp: ts(9 * DAY, now),
      completionTimestamp: ts(9 * DAY - 70_000, now),
      progress: { totalItems: 84, itemsRestored: 84 },
      warnings: 3,
      errors: 0,
    },
    9 * DAY,
  );
}
