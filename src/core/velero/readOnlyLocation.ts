// What a ReadOnly BackupStorageLocation means in practice (catalogue B79, velero.md §4.5, velero#6753): the
// disaster-recovery guide sets a location ReadOnly during a restore, but Velero still writes to it then.
import type { BackupSummary, StorageLocationSummary } from './veleroModel';

/** Whether a location is in ReadOnly mode. */
export const isReadOnlyLocation = (l: Pick<StorageLocationSummary, 'accessMode'>): boolean => l.accessMode === 'ReadOnly';

/**
 * The caveat of a ReadOnly location, in one paragraph: no backup is written there and no backup deleted, yet a
 * restore from it still writes its logs and results there, and a restore with asynchronous item operations (CSI
 * data mover, plugin operations) fails on it (velero#6753).
 */
export function readOnlyLocationCaveat(location: string): string {
  return (
    `Storage location "${location}" is ReadOnly: Velero writes no backup there and refuses to delete its backups. ` +
    'A restore from it still writes its logs and results there, and a restore with asynchronous item operations ' +
    '(CSI data mover, plugin operations) fails on a ReadOnly location (velero#6753): switch it to ReadWrite for such a restore.'
  );
}

/** The caveat for a restore of `backup`, when the location it was written to is ReadOnly; undefined otherwise. */
export function restoreLocationCaveat(
  backup: Pick<BackupSummary, 'storageLocation'>,
  locations: readonly StorageLocationSummary[],
): string | undefined {
  const location =
    locations.find((l) => l.name === backup.storageLocation) ?? (backup.storageLocation ? undefined : locations.find((l) => l.isDefault));
  return location && isReadOnlyLocation(location) ? readOnlyLocationCaveat(location.name) : undefined;
}
