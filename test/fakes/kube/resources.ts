/**
 * The fake's resource table: every served resource is one `ResourceDef`. Discovery, routing, storage, watch
 * and Table output are all driven by it, so a new kind is one line here (or one CustomResourceDefinition).
 */
import type { KubeObject } from './types';
import { getPath, isRecord } from './types';

export type Subresource = 'status' | 'scale' | 'log';

export interface PrinterColumn {
  readonly name: string;
  readonly type: string;
  readonly jsonPath: string;
  readonly description?: string;
  readonly priority?: number;
  readonly format?: string;
}

export interface ResourceDef {
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly singular: string;
  readonly kind: string;
  readonly listKind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
  readonly shortNames: readonly string[];
  readonly categories: readonly string[];
  readonly subresources: readonly Subresource[];
  /** Field selector labels accepted besides metadata.name and metadata.namespace. */
  readonly fieldSelectors: readonly string[];
  /** Whether spec changes bump metadata.generation. */
  readonly tracksGeneration: boolean;
  /** CRD additionalPrinterColumns (Table output); built-in kinds use table.ts. */
  readonly printerColumns?: readonly PrinterColumn[];
  /** Scale subresource paths for CRDs. */
  readonly scalePaths?: { readonly specReplicasPath: string; readonly statusReplicasPath: string; readonly labelSelectorPath?: string };
  /** Name of the CustomResourceDefinition that serves this resource. */
  readonly crdName?: string;
}

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;
const READ_VERBS = ['get', 'list'] as const;

export function apiVersionOf(def: Pick<ResourceDef, 'group' | 'version'>): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

/** Objects of one group+resource share one collection whatever the version they are served as. */
export function storeKeyOf(def: Pick<ResourceDef, 'group' | 'plural'>): string {
  return `${def.group}/${def.plural}`;
}

interface DefExtras {
  readonly plural?: string;
  readonly shortNames?: readonly string[];
  readonly categories?: readonly string[];
  readonly subresources?: readonly Subresource[];
  readonly fieldSelectors?: readonly string[];
  readonly verbs?: readonly string[];
  readonly tracksGeneration?: boolean;
}

function def(group: string, version: string, kind: string, namespaced: boolean, extras: DefExtras = {}): ResourceDef {
  const lower = kind.toLowerCase();
  return {
    group,
    version,
    kind,
    listKind: `${kind}List`,
    plural: extras.plural ?? (lower.endsWith('s') ? `${lower}es` : lower.endsWith('y') ? `${lower.slice(0, -1)}ies` : `${lower}s`),
    singular: lower,
    namespaced,
    verbs: extras.verbs ?? ALL_VERBS,
    shortNames: extras.shortNames ?? [],
    categories: extras.categories ?? [],
    subresources: extras.subresources ?? [],
    fieldSelectors: extras.fieldSelectors ?? [],
    tracksGeneration: extras.tracksGeneration ?? false,
  };
}

const ALL = ['all'];
const ST: readonly Subresource[] = ['status'];
const SCALABLE: readonly Subresource[] = ['status', 'scale'];

/** Where a Kubernetes 1.20 server serves kinds that later moved to another version (the rest is the same). */
const versionsOf120: Readonly<Record<string, string>> = {
  'batch/CronJob': 'v1beta1',
  'autoscaling/HorizontalPodAutoscaler': 'v2beta2',
  'policy/PodDisruptionBudget': 'v1beta1',
};

/** Built-in kinds (Kubernetes 1.33 names and short names; `apiLevel: '1.20'`: the versions a 1.20 server serves). */
export function builtinResources(options: { metricsApi: boolean; apiLevel?: '1.20' }): ResourceDef[] {
  return builtinResources133(options).map((d) => {
    const older = options.apiLevel === '1.20' ? versionsOf120[`${d.group}/${d.kind}`] : undefined;
    return older ? { ...d, version: older } : d;
  });
}

function builtinResources133(options: { metricsApi: boolean }): ResourceDef[] {
  const defs: ResourceDef[] = [
    def('', 'v1', 'Namespace', false, { shortNames: ['ns'], subresources: ST, fieldSelectors: ['status.phase'] }),
    def('', 'v1', 'Pod', true, {
      shortNames: ['po'],
      categories: ALL,
      subresources: ['status', 'log'],
      fieldSelectors: [
        'spec.nodeName',
        'spec.restartPolicy',
        'spec.schedulerName',
        'spec.serviceAccountName',
        'spec.hostNetwork',
        'status.phase',
        'status.podIP',
        'status.nominatedNodeName',
      ],
    }),
    def('', 'v1', 'Service', true, { shortNames: ['svc'], categories: ALL, subresources: ST }),
    def('', 'v1', 'ConfigMap', true, { shortNames: ['cm'] }),
    def('', 'v1', 'Secret', true, { fieldSelectors: ['type'] }),
    def('', 'v1', 'ServiceAccount', true, { shortNames: ['sa'] }),
    def('', 'v1', 'Event', true, {
      shortNames: ['ev'],
      fieldSelectors: [
        'involvedObject.kind',
        'involvedObject.namespace',
        'involvedObject.name',
        'involvedObject.uid',
        'involvedObject.apiVersion',
        'involvedObject.resourceVersion',
        'involvedObject.fieldPath',
        'reason',
        'reportingComponent',
        'source',
        'type',
      ],
    }),
    def('', 'v1', 'Node', false, { shortNames: ['no'], subresources: ST, fieldSelectors: ['spec.unschedulable'] }),
    def('', 'v1', 'PersistentVolume', false, { shortNames: ['pv'], subresources: ST }),
    def('', 'v1', 'PersistentVolumeClaim', true, { shortNames: ['pvc'], subresources: ST }),
    def('', 'v1', 'Endpoints', true, { plural: 'endpoints', shortNames: ['ep'] }),
    def('', 'v1', 'LimitRange', true, { shortNames: ['limits'] }),
    def('', 'v1', 'ResourceQuota', true, { shortNames: ['quota'], subresources: ST }),
    def('apps', 'v1', 'Deployment', true, { shortNames: ['deploy'], categories: ALL, subresources: SCALABLE, tracksGeneration: true }),
    def('apps', 'v1', 'StatefulSet', true, { shortNames: ['sts'], categories: ALL, subresources: SCALABLE, tracksGeneration: true }),
    def('apps', 'v1', 'DaemonSet', true, { shortNames: ['ds'], categories: ALL, subresources: ST, tracksGeneration: true }),
    def('apps', 'v1', 'ReplicaSet', true, {
      shortNames: ['rs'],
      categories: ALL,
      subresources: SCALABLE,
      tracksGeneration: true,
      fieldSelectors: ['status.replicas'],
    }),
    def('apps', 'v1', 'ControllerRevision', true),
    def('batch', 'v1', 'Job', true, { categories: ALL, subresources: ST, tracksGeneration: true, fieldSelectors: ['status.successful'] }),
    def('batch', 'v1', 'CronJob', true, { shortNames: ['cj'], categories: ALL, subresources: ST, tracksGeneration: true }),
    def('autoscaling', 'v2', 'HorizontalPodAutoscaler', true, {
      shortNames: ['hpa'],
      categories: ALL,
      subresources: ST,
      tracksGeneration: true,
    }),
    def('networking.k8s.io', 'v1', 'Ingress', true, { shortNames: ['ing'], subresources: ST, tracksGeneration: true }),
    def('networking.k8s.io', 'v1', 'NetworkPolicy', true, { shortNames: ['netpol'], tracksGeneration: true }),
    def('networking.k8s.io', 'v1', 'IngressClass', false),
    def('rbac.authorization.k8s.io', 'v1', 'Role', true),
    def('rbac.authorization.k8s.io', 'v1', 'RoleBinding', true),
    def('rbac.authorization.k8s.io', 'v1', 'ClusterRole', false),
    def('rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', false),
    def('storage.k8s.io', 'v1', 'StorageClass', false, { shortNames: ['sc'] }),
    def('policy', 'v1', 'PodDisruptionBudget', true, { shortNames: ['pdb'], subresources: ST, tracksGeneration: true }),
    def('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', false, {
      shortNames: ['crd', 'crds'],
      subresources: ST,
      tracksGeneration: true,
    }),
    def('coordination.k8s.io', 'v1', 'Lease', true),
    def('authorization.k8s.io', 'v1', 'SelfSubjectAccessReview', false, { verbs: ['create'] }),
    def('authentication.k8s.io', 'v1', 'SelfSubjectReview', false, { verbs: ['create'] }),
  ];
  if (options.metricsApi) {
    defs.push(
      def('metrics.k8s.io', 'v1beta1', 'PodMetrics', true, { plural: 'pods', verbs: READ_VERBS }),
      def('metrics.k8s.io', 'v1beta1', 'NodeMetrics', false, { plural: 'nodes', verbs: READ_VERBS }),
    );
  }
  return defs;
}

/** Resources answered by a handler instead of the store (create-only reviews). */
export function isVirtual(d: ResourceDef): boolean {
  return d.verbs.length === 1 && d.verbs[0] === 'create';
}

interface CrdSpec {
  readonly kind: string;
  readonly plural: string;
  readonly shortNames?: readonly string[];
  readonly columns?: readonly PrinterColumn[];
  readonly statusSubresource?: boolean;
}

const VELERO_KINDS: readonly CrdSpec[] = [
  {
    kind: 'Backup',
    plural: 'backups',
    columns: [
      { name: 'Status', type: 'string', jsonPath: '.status.phase', description: 'Backup phase' },
      { name: 'Errors', type: 'integer', jsonPath: '.status.errors', priority: 1 },
      { name: 'Warnings', type: 'integer', jsonPath: '.status.warnings', priority: 1 },
      { name: 'Created', type: 'date', jsonPath: '.status.startTimestamp' },
      { name: 'Storage Location', type: 'string', jsonPath: '.spec.storageLocation' },
    ],
  },
  {
    kind: 'Restore',
    plural: 'restores',
    columns: [
      { name: 'Backup', type: 'string', jsonPath: '.spec.backupName' },
      { name: 'Status', type: 'string', jsonPath: '.status.phase' },
    ],
  },
  {
    kind: 'Schedule',
    plural: 'schedules',
    columns: [
      { name: 'Status', type: 'string', jsonPath: '.status.phase' },
      { name: 'Schedule', type: 'string', jsonPath: '.spec.schedule' },
      { name: 'LastBackup', type: 'date', jsonPath: '.status.lastBackup' },
      { name: 'Paused', type: 'boolean', jsonPath: '.spec.paused' },
    ],
  },
  {
    kind: 'BackupStorageLocation',
    plural: 'backupstoragelocations',
    shortNames: ['bsl'],
    statusSubresource: true,
    columns: [
      { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
      { name: 'Last Validated', type: 'date', jsonPath: '.status.lastValidationTime' },
      { name: 'Default', type: 'boolean', jsonPath: '.spec.default' },
    ],
  },
  { kind: 'VolumeSnapshotLocation', plural: 'volumesnapshotlocations', shortNames: ['vsl'] },
  { kind: 'DeleteBackupRequest', plural: 'deletebackuprequests' },
  { kind: 'DownloadRequest', plural: 'downloadrequests' },
  { kind: 'ServerStatusRequest', plural: 'serverstatusrequests', shortNames: ['ssr'] },
  { kind: 'PodVolumeBackup', plural: 'podvolumebackups' },
  { kind: 'PodVolumeRestore', plural: 'podvolumerestores' },
  { kind: 'BackupRepository', plural: 'backuprepositories', shortNames: ['backuprepo'] },
];

/** A CustomResourceDefinition object (apiextensions.k8s.io/v1) as `kubectl get crd -o json` shows it. */
export function buildCrd(group: string, version: string, spec: CrdSpec, labels: Record<string, string> = {}): KubeObject {
  const singular = spec.kind.toLowerCase();
  const names = {
    kind: spec.kind,
    listKind: `${spec.kind}List`,
    plural: spec.plural,
    singular,
    ...(spec.shortNames ? { shortNames: [...spec.shortNames] } : {}),
  };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${spec.plural}.${group}`, labels, annotations: { 'controller-gen.kubebuilder.io/version': 'v0.16.5' } },
    spec: {
      group,
      names,
      scope: 'Namespaced',
      versions: [
        {
          name: version,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          ...(spec.statusSubresource ? { subresources: { status: {} } } : {}),
          ...(spec.columns ? { additionalPrinterColumns: spec.columns.map((c) => ({ ...c })) } : {}),
        },
      ],
    },
  };
}

/** CRDs of Velero 1.18 (velero.io/v1) that ClusterDeck reads or creates. */
export function veleroCrds(): KubeObject[] {
  return VELERO_KINDS.map((k) => buildCrd('velero.io', 'v1', k, { component: 'velero' }));
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Resource definitions of every served version of a CRD; [] if the object is not a usable CRD. */
export function defsFromCrd(crd: KubeObject): ResourceDef[] {
  const spec = crd['spec'];
  if (!isRecord(spec) || typeof spec['group'] !== 'string' || !isRecord(spec['names'])) return [];
  const names = spec['names'];
  const kind = names['kind'];
  const plural = names['plural'];
  if (typeof kind !== 'string' || typeof plural !== 'string') return [];
  const versions = Array.isArray(spec['versions']) ? spec['versions'].filter(isRecord) : [];
  const out: ResourceDef[] = [];
  for (const v of versions) {
    if (typeof v['name'] !== 'string' || v['served'] === false) continue;
    const subresources: Subresource[] = [];
    const sub = v['subresources'];
    let scalePaths: ResourceDef['scalePaths'];
    if (isRecord(sub)) {
      if (sub['status'] !== undefined) subresources.push('status');
      const scale = sub['scale'];
      if (isRecord(scale) && typeof scale['specReplicasPath'] === 'string' && typeof scale['statusReplicasPath'] === 'string') {
        subresources.push('scale');
        scalePaths = {
          specReplicasPath: scale['specReplicasPath'],
          statusReplicasPath: scale['statusReplicasPath'],
          ...(typeof scale['labelSelectorPath'] === 'string' ? { labelSelectorPath: scale['labelSelectorPath'] } : {}),
        };
      }
    }
    const columns = Array.isArray(v['additionalPrinterColumns'])
      ? v['additionalPrinterColumns'].filter(isRecord).flatMap((c): PrinterColumn[] =>
          typeof c['name'] === 'string' && typeof c['jsonPath'] === 'string'
            ? [
                {
                  name: c['name'],
                  jsonPath: c['jsonPath'],
                  type: typeof c['type'] === 'string' ? c['type'] : 'string',
                  ...(typeof c['priority'] === 'number' ? { priority: c['priority'] } : {}),
                  ...(typeof c['description'] === 'string' ? { description: c['description'] } : {}),
                },
              ]
            : [],
        )
      : undefined;
    const selectable = Array.isArray(v['selectableFields'])
      ? v['selectableFields'].filter(isRecord).flatMap((f) => (typeof f['jsonPath'] === 'string' ? [f['jsonPath'].replace(/^\./, '')] : []))
      : [];
    out.push({
      group: spec['group'],
      version: v['name'],
      kind,
      listKind: typeof names['listKind'] === 'string' ? names['listKind'] : `${kind}List`,
      plural,
      singular: typeof names['singular'] === 'string' ? names['singular'] : kind.toLowerCase(),
      namespaced: spec['scope'] !== 'Cluster',
      verbs: ALL_VERBS,
      shortNames: stringArray(names['shortNames']),
      categories: stringArray(names['categories']),
      subresources,
      fieldSelectors: selectable,
      tracksGeneration: true,
      ...(columns ? { printerColumns: columns } : {}),
      ...(scalePaths ? { scalePaths } : {}),
      crdName: typeof crd.metadata.name === 'string' ? crd.metadata.name : `${plural}.${spec['group']}`,
    });
  }
  return out;
}

/** Fills the status a real apiextensions-apiserver writes on an accepted CRD. */
export function crdAcceptedStatus(crd: KubeObject, now: string): Record<string, unknown> {
  const spec = isRecord(crd['spec']) ? crd['spec'] : {};
  const versions = Array.isArray(spec['versions']) ? spec['versions'].filter(isRecord) : [];
  return {
    acceptedNames: isRecord(spec['names']) ? { ...spec['names'] } : {},
    conditions: [
      { type: 'NamesAccepted', status: 'True', lastTransitionTime: now, reason: 'NoConflicts', message: 'no conflicts found' },
      {
        type: 'Established',
        status: 'True',
        lastTransitionTime: now,
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
      },
    ],
    storedVersions: versions.filter((v) => v['storage'] === true).map((v) => String(v['name'])),
  };
}

/** Reads the replica count path of a CRD scale subresource (`.spec.replicas`). */
export function readJsonPath(obj: unknown, jsonPath: string): unknown {
  return getPath(obj, jsonPath.replace(/^\./, ''));
}
