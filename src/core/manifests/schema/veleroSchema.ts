import type { SchemaProperty, SchemaTable, SchemaType } from './schemaTypes';

/**
 * Velero velero.io/v1 Backup, Restore, Schedule, BackupStorageLocation and VolumeSnapshotLocation, written by hand
 * from shared/reference/velero.md (vmware-tanzu/velero `pkg/apis/velero/v1/*_types.go`, Velero 1.18 line; the
 * CRDs are `config/crd/v1/bases/velero.io_*.yaml`). There is no kubernetes-models package for Velero.
 * Types not defined here (`meta/v1.ObjectMeta`, `meta/v1.LabelSelector`, `v1.SecretKeySelector`,
 * `v1.TypedLocalObjectReference`) come from the Kubernetes table of the target version.
 * `status` objects are open: controllers write them, and newer Velero versions add fields.
 */
const s = (d: string): SchemaProperty => ({ t: 'string', d });
const b = (d: string): SchemaProperty => ({ t: 'boolean', d });
const i = (d: string): SchemaProperty => ({ t: 'integer', d });
const list = (d: string): SchemaProperty => ({ t: '[]string', d });
const time = (d: string): SchemaProperty => ({ t: 'date-time', d });
const duration = (d: string): SchemaProperty => ({ t: 'string', d: `${d} A Go duration such as 720h0m0s, 30m or 90s.` });

const objectMeta: SchemaProperty = { t: 'meta/v1.ObjectMeta', d: "Standard object's metadata." };
const apiVersion: SchemaProperty = s('APIVersion defines the versioned schema of this representation of an object: velero.io/v1.');
const kindProp: SchemaProperty = s('Kind is a string value representing the REST resource this object represents.');
const labelSelector: SchemaProperty = {
  t: 'meta/v1.LabelSelector',
  d: 'Only include items matching this label selector (mutually exclusive with orLabelSelectors).',
};
const orLabelSelectors: SchemaProperty = {
  t: '[]meta/v1.LabelSelector',
  d: 'Include items matching any of these label selectors (OR). Cannot be combined with labelSelector.',
};

const filters: Record<string, SchemaProperty> = {
  includedNamespaces: list('Namespaces to include. Empty (or `*`) means all namespaces.'),
  excludedNamespaces: list('Namespaces to exclude.'),
  includedResources: list('Resources to include (e.g. `deployments`, `configmaps.v1`). Empty means all.'),
  excludedResources: list('Resources to exclude.'),
};

const backupSpec: SchemaType = {
  d: 'BackupSpec defines what a Velero backup contains and where it is stored.',
  p: {
    metadata: { t: 'velero/v1.Metadata', d: 'Labels added to the Backup.' },
    ...filters,
    includedClusterScopedResources: list('Cluster-scoped resources to include (new-style filter; do not mix with includedResources).'),
    excludedClusterScopedResources: list('Cluster-scoped resources to exclude (new-style filter).'),
    includedNamespaceScopedResources: list('Namespace-scoped resources to include (new-style filter).'),
    excludedNamespaceScopedResources: list('Namespace-scoped resources to exclude (new-style filter).'),
    labelSelector,
    orLabelSelectors,
    snapshotVolumes: b('Take snapshots of persistent volumes. Unset means on.'),
    ttl: duration('How long the backup is kept before it is garbage-collected. Server default 720h0m0s (30 days).'),
    includeClusterResources: b('Include cluster-scoped resources. Unset means automatic: those related to the included namespaced items.'),
    hooks: { t: 'velero/v1.BackupHooks', d: 'Commands run in pods before and after the backup of their items.' },
    storageLocation: s('The BackupStorageLocation to store the backup in. Empty means the location with `default: true`.'),
    volumeSnapshotLocations: list('VolumeSnapshotLocations to use for volume snapshots.'),
    defaultVolumesToRestic: b('Deprecated: use defaultVolumesToFsBackup.'),
    defaultVolumesToFsBackup: b('Back up all pod volumes with file-system backup (kopia) unless opted out.'),
    orderedResources: { t: '{}string', d: 'Backup order per kind: kind → "namespace/name,namespace/name".' },
    csiSnapshotTimeout: duration('How long to wait for CSI VolumeSnapshots to become ready.'),
    itemOperationTimeout: duration('How long to wait for asynchronous BackupItemAction operations.'),
    resourcePolicy: { t: 'v1.TypedLocalObjectReference', d: 'A ConfigMap holding the resource policies of this backup.' },
    snapshotMoveData: b('Move CSI snapshot data to the backup storage (data mover).'),
    datamover: s('The data mover to use for snapshotMoveData (empty: Velero built-in).'),
    uploaderConfig: { t: 'velero/v1.UploaderConfigForBackup', d: 'File-system backup uploader settings.' },
    volumeGroupSnapshotLabelKey: s('Label key that groups PVCs into one CSI VolumeGroupSnapshot.'),
  },
};

const execHook: SchemaType = {
  d: 'A command executed in a container of a pod.',
  p: {
    container: s('The container to run the command in. Default: the first container of the pod.'),
    command: list('The command and its arguments.'),
    onError: { t: 'string', d: 'What to do when the command fails: Continue or Fail.', e: ['Continue', 'Fail'] },
    timeout: duration('How long to wait for the command.'),
  },
  r: ['command'],
};

const types: Record<string, SchemaType> = {
  'velero/v1.Backup': {
    d: 'A Velero backup of cluster resources and volumes.',
    p: { apiVersion, kind: kindProp, metadata: objectMeta, spec: { t: 'velero/v1.BackupSpec' }, status: { t: 'velero/v1.BackupStatus' } },
  },
  'velero/v1.BackupSpec': backupSpec,
  'velero/v1.Metadata': { p: { labels: { t: '{}string', d: 'Labels of the Backup.' } } },
  'velero/v1.UploaderConfigForBackup': { p: { parallelFilesUpload: i('Number of files uploaded in parallel.') } },
  'velero/v1.UploaderConfigForRestore': {
    p: {
      writeSparseFiles: b('Write files sparsely when restoring.'),
      parallelFilesDownload: i('Number of files downloaded in parallel.'),
    },
  },
  'velero/v1.BackupHooks': { p: { resources: { t: '[]velero/v1.BackupResourceHookSpec', d: 'Hooks per selection of resources.' } } },
  'velero/v1.BackupResourceHookSpec': {
    p: {
      name: s('Name of the hook set.'),
      ...filters,
      labelSelector,
      pre: { t: '[]velero/v1.BackupResourceHook', d: 'Hooks run before the pod is backed up.' },
      post: { t: '[]velero/v1.BackupResourceHook', d: 'Hooks run after the pod is backed up.' },
    },
    r: ['name'],
  },
  'velero/v1.BackupResourceHook': { p: { exec: { t: 'velero/v1.ExecHook', d: 'A command run in a container.' } }, r: ['exec'] },
  'velero/v1.ExecHook': execHook,
  'velero/v1.BackupStatus': {
    d: 'Written by Velero.',
    x: 1,
    p: {
      version: i('Deprecated backup format version.'),
      formatVersion: s('Backup format version.'),
      expiration: time('When the backup is garbage-collected.'),
      phase: s(
        'New, Queued, ReadyToStart, InProgress, WaitingForPluginOperations, Finalizing, Completed, PartiallyFailed, Failed, FailedValidation, Deleting.',
      ),
      queuePosition: i('Position in the backup queue.'),
      validationErrors: list('Why the backup failed validation.'),
      startTimestamp: time('When the backup started.'),
      completionTimestamp: time('When the backup finished.'),
      volumeSnapshotsAttempted: i('Volume snapshots attempted.'),
      volumeSnapshotsCompleted: i('Volume snapshots completed.'),
      failureReason: s('Why the backup failed.'),
      warnings: i('Number of warnings.'),
      errors: i('Number of errors.'),
      progress: { t: 'any', d: 'totalItems and itemsBackedUp.' },
      csiVolumeSnapshotsAttempted: i('CSI volume snapshots attempted.'),
      csiVolumeSnapshotsCompleted: i('CSI volume snapshots completed.'),
      backupItemOperationsAttempted: i('Asynchronous item operations attempted.'),
      backupItemOperationsCompleted: i('Asynchronous item operations completed.'),
      backupItemOperationsFailed: i('Asynchronous item operations failed.'),
      hookStatus: { t: 'any', d: 'hooksAttempted and hooksFailed.' },
    },
  },
  'velero/v1.Restore': {
    d: 'A Velero restore of a backup into the cluster.',
    p: { apiVersion, kind: kindProp, metadata: objectMeta, spec: { t: 'velero/v1.RestoreSpec' }, status: { t: 'velero/v1.RestoreStatus' } },
  },
  'velero/v1.RestoreSpec': {
    d: 'RestoreSpec defines what a restore reads (backupName or scheduleName) and how it writes into the cluster.',
    p: {
      backupName: s('The backup to restore. Set backupName or scheduleName.'),
      scheduleName: s('Restore the latest completed backup of this schedule.'),
      ...filters,
      namespaceMapping: { t: '{}string', d: 'Restore namespace src into namespace dst (map src → dst).' },
      labelSelector,
      orLabelSelectors,
      restoreStatus: { t: 'velero/v1.RestoreStatusSpec', d: 'Which kinds get their `.status` restored.' },
      restorePVs: b('Restore persistent volumes from snapshots. Unset means true.'),
      preserveNodePorts: b('Keep the nodePorts of Services.'),
      includeClusterResources: b('Include cluster-scoped resources. Unset means automatic.'),
      hooks: { t: 'velero/v1.RestoreHooks', d: 'Hooks run in restored pods.' },
      existingResourcePolicy: {
        t: 'string',
        d: 'What to do with objects that already exist: none (default, skip them) or update (patch them to match the backup).',
        e: ['none', 'update'],
      },
      itemOperationTimeout: duration('How long to wait for asynchronous RestoreItemAction operations.'),
      resourceModifier: { t: 'v1.TypedLocalObjectReference', d: 'A ConfigMap with JSON-patch resource modifier rules.' },
      uploaderConfig: { t: 'velero/v1.UploaderConfigForRestore', d: 'File-system restore settings.' },
    },
  },
  'velero/v1.RestoreStatusSpec': {
    p: { includedResources: list('Kinds whose status is restored.'), excludedResources: list('Kinds whose status is not restored.') },
  },
  'velero/v1.RestoreHooks': { p: { resources: { t: '[]velero/v1.RestoreResourceHookSpec', d: 'Hooks per selection of resources.' } } },
  'velero/v1.RestoreResourceHookSpec': {
    p: {
      name: s('Name of the hook set.'),
      ...filters,
      labelSelector,
      postHooks: { t: '[]velero/v1.RestoreResourceHook', d: 'Hooks run after the pod is restored.' },
    },
    r: ['name'],
  },
  'velero/v1.RestoreResourceHook': {
    p: {
      exec: { t: 'velero/v1.ExecRestoreHook', d: 'A command run in a container of the restored pod.' },
      init: { t: 'velero/v1.InitRestoreHook', d: 'Init containers added to the restored pod.' },
    },
  },
  'velero/v1.ExecRestoreHook': {
    d: 'A command executed in a container of a restored pod.',
    p: {
      container: s('The container to run the command in.'),
      command: list('The command and its arguments.'),
      onError: { t: 'string', d: 'What to do when the command fails: Continue or Fail.', e: ['Continue', 'Fail'] },
      execTimeout: duration('How long to wait for the command.'),
      waitTimeout: duration('How long to wait for the container to become ready.'),
      waitForReady: b('Wait for the container to be ready before running the command.'),
    },
    r: ['command'],
  },
  'velero/v1.InitRestoreHook': {
    p: {
      initContainers: { t: '[]any', d: 'Init containers (full container specs).' },
      timeout: duration('How long to wait for the init containers.'),
    },
  },
  'velero/v1.RestoreStatus': {
    d: 'Written by Velero.',
    x: 1,
    p: {
      phase: s('New, InProgress, WaitingForPluginOperations, Finalizing, Completed, PartiallyFailed, Failed, FailedValidation.'),
      validationErrors: list('Why the restore failed validation.'),
      warnings: i('Number of warnings.'),
      errors: i('Number of errors.'),
      failureReason: s('Why the restore failed.'),
      startTimestamp: time('When the restore started.'),
      completionTimestamp: time('When the restore finished.'),
      progress: { t: 'any', d: 'totalItems and itemsRestored.' },
      restoreItemOperationsAttempted: i('Asynchronous item operations attempted.'),
      restoreItemOperationsCompleted: i('Asynchronous item operations completed.'),
      restoreItemOperationsFailed: i('Asynchronous item operations failed.'),
      hookStatus: { t: 'any', d: 'hooksAttempted and hooksFailed.' },
    },
  },
  'velero/v1.Schedule': {
    d: 'A Velero schedule: creates a Backup from its template on a cron schedule.',
    p: {
      apiVersion,
      kind: kindProp,
      metadata: objectMeta,
      spec: { t: 'velero/v1.ScheduleSpec' },
      status: { t: 'velero/v1.ScheduleStatus' },
    },
  },
  'velero/v1.ScheduleSpec': {
    p: {
      template: { t: 'velero/v1.BackupSpec', d: 'The spec of the Backups this schedule creates.' },
      schedule: s('A 5-field cron expression, a descriptor (@daily) or @every <duration>, with an optional CRON_TZ=<IANA zone> prefix.'),
      useOwnerReferencesInBackup: b('Set the Schedule as owner of its Backups (deleting the Schedule garbage-collects the Backup CRs).'),
      paused: b('Do not create backups while true.'),
      skipImmediately: b('Skip the run that would fire right after creation or unpause.'),
    },
    r: ['schedule', 'template'],
  },
  'velero/v1.ScheduleStatus': {
    d: 'Written by Velero.',
    x: 1,
    p: {
      phase: s('New, Enabled or FailedValidation.'),
      lastBackup: time('When the last backup was created.'),
      lastSkipped: time('When a run was last skipped.'),
      validationErrors: list('Why the schedule failed validation.'),
    },
  },
  'velero/v1.BackupStorageLocation': {
    d: 'Where Velero stores backups (an object-storage bucket and prefix).',
    p: {
      apiVersion,
      kind: kindProp,
      metadata: objectMeta,
      spec: { t: 'velero/v1.BackupStorageLocationSpec' },
      status: { t: 'velero/v1.BackupStorageLocationStatus' },
    },
  },
  'velero/v1.BackupStorageLocationSpec': {
    p: {
      provider: s('The object-storage plugin: aws, gcp, azure, velero.io/aws, …'),
      config: { t: '{}string', d: 'Provider settings (region, s3Url, s3ForcePathStyle, resourceGroup, storageAccount, …).' },
      credential: { t: 'v1.SecretKeySelector', d: 'The Secret key holding the credentials for this location.' },
      objectStorage: { t: 'velero/v1.ObjectStorageLocation', d: 'The bucket and prefix.' },
      default: b('Use this location when a backup names none.'),
      accessMode: { t: 'string', d: 'ReadWrite (default) or ReadOnly.', e: ['ReadOnly', 'ReadWrite'] },
      backupSyncPeriod: duration('How often to sync backups from object storage (server default 1m; 0 disables).'),
      validationFrequency: duration('How often to validate the location (server default 1m).'),
    },
    r: ['provider', 'objectStorage'],
  },
  'velero/v1.ObjectStorageLocation': {
    p: {
      bucket: s('The bucket.'),
      prefix: s('The path inside the bucket.'),
      caCert: { t: 'byte', d: 'PEM CA bundle (base64) to verify the object store.' },
      caCertRef: { t: 'v1.SecretKeySelector', d: 'A Secret key holding the CA bundle.' },
    },
    r: ['bucket'],
  },
  'velero/v1.BackupStorageLocationStatus': {
    d: 'Written by Velero.',
    x: 1,
    p: {
      phase: s('Available or Unavailable.'),
      lastSyncedTime: time('When backups were last synced.'),
      lastValidationTime: time('When the location was last validated.'),
      message: s('Why the location is unavailable.'),
      lastSyncedRevision: s('Revision of the last sync.'),
      accessMode: s('Deprecated.'),
    },
  },
  'velero/v1.VolumeSnapshotLocation': {
    d: 'Where Velero stores volume snapshots (a provider and its settings).',
    p: {
      apiVersion,
      kind: kindProp,
      metadata: objectMeta,
      spec: { t: 'velero/v1.VolumeSnapshotLocationSpec' },
      status: { t: 'velero/v1.VolumeSnapshotLocationStatus' },
    },
  },
  'velero/v1.VolumeSnapshotLocationSpec': {
    p: {
      provider: s('The volume-snapshotter plugin: aws, gcp, azure, …'),
      config: { t: '{}string', d: 'Provider settings (region, resourceGroup, …).' },
      credential: { t: 'v1.SecretKeySelector', d: 'The Secret key holding the credentials for this location.' },
    },
    r: ['provider'],
  },
  'velero/v1.VolumeSnapshotLocationStatus': { d: 'Written by Velero.', x: 1, p: { phase: s('Available or Unavailable.') } },
};

export const veleroSchema: SchemaTable = {
  source: 'hand-written from velero.md (Velero 1.18 types)',
  enforceEnums: true,
  kinds: {
    'velero.io/v1/Backup': 'velero/v1.Backup',
    'velero.io/v1/Restore': 'velero/v1.Restore',
    'velero.io/v1/Schedule': 'velero/v1.Schedule',
    'velero.io/v1/BackupStorageLocation': 'velero/v1.BackupStorageLocation',
    'velero.io/v1/VolumeSnapshotLocation': 'velero/v1.VolumeSnapshotLocation',
  },
  types,
};
