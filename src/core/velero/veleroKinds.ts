import type { ResourceKind } from '../kube/resourceKinds';

const velero = (kind: string, plural: string, label: string): ResourceKind => ({
  kind,
  plural,
  group: 'velero.io',
  version: 'v1',
  namespaced: true,
  label,
});

/** The velero.io/v1 kinds ClusterDeck reads or creates (Velero 1.18 CRDs). */
export const veleroKinds = {
  backup: velero('Backup', 'backups', 'Backups'),
  restore: velero('Restore', 'restores', 'Restores'),
  schedule: velero('Schedule', 'schedules', 'Schedules'),
  backupStorageLocation: velero('BackupStorageLocation', 'backupstoragelocations', 'Backup Storage Locations'),
  volumeSnapshotLocation: velero('VolumeSnapshotLocation', 'volumesnapshotlocations', 'Volume Snapshot Locations'),
  deleteBackupRequest: velero('DeleteBackupRequest', 'deletebackuprequests', 'Delete Backup Requests'),
  downloadRequest: velero('DownloadRequest', 'downloadrequests', 'Download Requests'),
  serverStatusRequest: velero('ServerStatusRequest', 'serverstatusrequests', 'Server Status Requests'),
} as const;

/** CustomResourceDefinitions (cluster-scoped), to tell whether Velero is installed. */
export const crdKind: ResourceKind = {
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  group: 'apiextensions.k8s.io',
  version: 'v1',
  namespaced: false,
  label: 'CustomResourceDefinitions',
};

export const deploymentKind: ResourceKind = {
  kind: 'Deployment',
  plural: 'deployments',
  group: 'apps',
  version: 'v1',
  namespaced: true,
  label: 'Deployments',
};

export const namespaceKind: ResourceKind = {
  kind: 'Namespace',
  plural: 'namespaces',
  group: '',
  version: 'v1',
  namespaced: false,
  label: 'Namespaces',
};
