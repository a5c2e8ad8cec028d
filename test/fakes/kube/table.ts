/**
 * Server-side printing: `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` (kubectl's default output) and
 * `as=PartialObjectMetadataList` / `as=PartialObjectMetadata` (metadata only). Column sets follow kubectl's
 * built-in printers for the common kinds and `additionalPrinterColumns` for CRDs; anything else gets Name, Age.
 */
import type { PrinterColumn, ResourceDef } from './resources';
import { readJsonPath } from './resources';
import type { KubeObject } from './types';
import { getPath, isRecord } from './types';

export type ResponseShape = 'object' | 'table' | 'metadata';

/** Picks the representation from an Accept header (first supported media type wins). */
export function negotiateShape(accept: string | undefined): ResponseShape {
  for (const part of (accept ?? '').split(',')) {
    const params = part.split(';').map((p) => p.trim());
    const mediaType = params[0]?.toLowerCase() ?? '';
    if (mediaType !== 'application/json' && mediaType !== '*/*' && mediaType !== 'application/*') continue;
    const as = params.find((p) => p.startsWith('as='))?.slice(3);
    const g = params.find((p) => p.startsWith('g='))?.slice(2);
    if (as === undefined) return 'object';
    if (g !== 'meta.k8s.io') continue;
    if (as === 'Table') return 'table';
    if (as === 'PartialObjectMetadataList' || as === 'PartialObjectMetadata') return 'metadata';
  }
  return 'object';
}

export function contentTypeFor(shape: ResponseShape, list: boolean): string {
  if (shape === 'table') return 'application/json;as=Table;v=v1;g=meta.k8s.io';
  if (shape === 'metadata') return `application/json;as=${list ? 'PartialObjectMetadataList' : 'PartialObjectMetadata'};v=v1;g=meta.k8s.io`;
  return 'application/json';
}

export function partialObjectMetadata(obj: KubeObject): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

/** k8s.io/apimachinery duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) return `${Math.floor(hours / 24 / 365)}y${Math.floor(hours / 24) % 365}d`;
  return `${Math.floor(hours / 24 / 365)}y`;
}

function age(value: unknown): string {
  if (typeof value !== 'string') return '<unknown>';
  const t = Date.parse(value);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(Date.now() - t);
}

function str(value: unknown, fallback = '<none>'): string {
  if (value === undefined || value === null || value === '') return fallback;
  return typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : JSON.stringify(value);
}

function accessModes(value: unknown): string {
  const short: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };
  return Array.isArray(value) ? value.map((m) => short[str(m, '')] ?? str(m, '')).join(',') : '';
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

interface Column {
  readonly name: string;
  readonly type: string;
  readonly format?: string;
  readonly priority?: number;
  readonly description?: string;
  readonly cell: (obj: KubeObject) => unknown;
}

const NAME: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  cell: (o) => o.metadata.name ?? '',
};
const AGE: Column = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  cell: (o) => age(o.metadata.creationTimestamp),
};

function podStatusReason(pod: KubeObject): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  let reason = str(getPath(pod, 'status.reason'), '') || str(getPath(pod, 'status.phase'), 'Unknown');
  for (const cs of records(getPath(pod, 'status.containerStatuses'))) {
    const waiting = getPath(cs, 'state.waiting.reason');
    const terminated = getPath(cs, 'state.terminated.reason');
    if (typeof waiting === 'string' && waiting !== '') reason = waiting;
    else if (typeof terminated === 'string' && terminated !== '') reason = terminated;
  }
  return reason;
}

function podRestarts(pod: KubeObject): string {
  let restarts = 0;
  let last = 0;
  for (const cs of records(getPath(pod, 'status.containerStatuses'))) {
    restarts += num(cs['restartCount']);
    const finished = getPath(cs, 'lastState.terminated.finishedAt');
    if (typeof finished === 'string') last = Math.max(last, Date.parse(finished) || 0);
  }
  return last > 0 && restarts > 0 ? `${restarts} (${humanDuration(Date.now() - last)} ago)` : String(restarts);
}

function containerNames(podSpec: unknown): string {
  return records(getPath(podSpec, 'containers'))
    .map((c) => str(c['name'], ''))
    .join(',');
}

function containerImages(podSpec: unknown): string {
  return records(getPath(podSpec, 'containers'))
    .map((c) => str(c['image'], ''))
    .join(',');
}

function selectorText(selector: unknown): string {
  const labels = getPath(selector, 'matchLabels') ?? selector;
  return isRecord(labels) && Object.keys(labels).length > 0
    ? Object.entries(labels)
        .map(([k, v]) => `${k}=${str(v, '')}`)
        .join(',')
    : '<none>';
}

const BUILTIN: Record<string, readonly Column[]> = {
  '/Pod': [
    NAME,
    {
      name: 'Ready',
      type: 'string',
      description: 'The aggregate readiness state of this pod for accepting traffic.',
      cell: (o) => {
        const cs = records(getPath(o, 'status.containerStatuses'));
        const total = records(getPath(o, 'spec.containers')).length || cs.length;
        return `${cs.filter((c) => c['ready'] === true).length}/${total}`;
      },
    },
    { name: 'Status', type: 'string', description: 'The aggregate status of the containers in this pod.', cell: podStatusReason },
    {
      name: 'Restarts',
      type: 'string',
      description:
        'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      cell: podRestarts,
    },
    AGE,
    { name: 'IP', type: 'string', priority: 1, cell: (o) => str(getPath(o, 'status.podIP')) },
    { name: 'Node', type: 'string', priority: 1, cell: (o) => str(getPath(o, 'spec.nodeName')) },
    { name: 'Nominated Node', type: 'string', priority: 1, cell: (o) => str(getPath(o, 'status.nominatedNodeName')) },
    { name: 'Readiness Gates', type: 'string', priority: 1, cell: () => '<none>' },
  ],
  'apps/Deployment': [
    NAME,
    { name: 'Ready', type: 'string', cell: (o) => `${num(getPath(o, 'status.readyReplicas'))}/${num(getPath(o, 'spec.replicas'))}` },
    { name: 'Up-to-date', type: 'integer', cell: (o) => num(getPath(o, 'status.updatedReplicas')) },
    { name: 'Available', type: 'integer', cell: (o) => num(getPath(o, 'status.availableReplicas')) },
    AGE,
    { name: 'Containers', type: 'string', priority: 1, cell: (o) => containerNames(getPath(o, 'spec.template.spec')) },
    { name: 'Images', type: 'string', priority: 1, cell: (o) => containerImages(getPath(o, 'spec.template.spec')) },
    { name: 'Selector', type: 'string', priority: 1, cell: (o) => selectorText(getPath(o, 'spec.selector')) },
  ],
  'apps/ReplicaSet': [
    NAME,
    { name: 'Desired', type: 'integer', cell: (o) => num(getPath(o, 'spec.replicas')) },
    { name: 'Current', type: 'integer', cell: (o) => num(getPath(o, 'status.replicas')) },
    { name: 'Ready', type: 'integer', cell: (o) => num(getPath(o, 'status.readyReplicas')) },
    AGE,
  ],
  'apps/StatefulSet': [
    NAME,
    { name: 'Ready', type: 'string', cell: (o) => `${num(getPath(o, 'status.readyReplicas'))}/${num(getPath(o, 'spec.replicas'))}` },
    AGE,
  ],
  'apps/DaemonSet': [
    NAME,
    { name: 'Desired', type: 'integer', cell: (o) => num(getPath(o, 'status.desiredNumberScheduled')) },
    { name: 'Current', type: 'integer', cell: (o) => num(getPath(o, 'status.currentNumberScheduled')) },
    { name: 'Ready', type: 'integer', cell: (o) => num(getPath(o, 'status.numberReady')) },
    { name: 'Up-to-date', type: 'integer', cell: (o) => num(getPath(o, 'status.updatedNumberScheduled')) },
    { name: 'Available', type: 'integer', cell: (o) => num(getPath(o, 'status.numberAvailable')) },
    AGE,
  ],
  '/Service': [
    NAME,
    { name: 'Type', type: 'string', cell: (o) => str(getPath(o, 'spec.type'), 'ClusterIP') },
    { name: 'Cluster-IP', type: 'string', cell: (o) => str(getPath(o, 'spec.clusterIP')) },
    {
      name: 'External-IP',
      type: 'string',
      cell: (o) =>
        records(getPath(o, 'status.loadBalancer.ingress'))
          .map((i) => str(i['ip'] ?? i['hostname'], ''))
          .join(',') || '<none>',
    },
    {
      name: 'Port(s)',
      type: 'string',
      cell: (o) =>
        records(getPath(o, 'spec.ports'))
          .map((p) => `${str(p['port'], '')}${p['nodePort'] ? `:${str(p['nodePort'], '')}` : ''}/${str(p['protocol'], 'TCP')}`)
          .join(',') || '<none>',
    },
    AGE,
    { name: 'Selector', type: 'string', priority: 1, cell: (o) => selectorText(getPath(o, 'spec.selector')) },
  ],
  '/Node': [
    NAME,
    {
      name: 'Status',
      type: 'string',
      cell: (o) => {
        const ready = records(getPath(o, 'status.conditions')).find((c) => c['type'] === 'Ready');
        const base = ready?.['status'] === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown';
        return getPath(o, 'spec.unschedulable') === true ? `${base},SchedulingDisabled` : base;
      },
    },
    {
      name: 'Roles',
      type: 'string',
      cell: (o) =>
        Object.keys(o.metadata.labels ?? {})
          .filter((k) => k.startsWith('node-role.kubernetes.io/'))
          .map((k) => k.slice('node-role.kubernetes.io/'.length))
          .join(',') || '<none>',
    },
    AGE,
    { name: 'Version', type: 'string', cell: (o) => str(getPath(o, 'status.nodeInfo.kubeletVersion'), '') },
  ],
  '/PersistentVolume': [
    NAME,
    { name: 'Capacity', type: 'string', cell: (o) => str(getPath(o, 'spec.capacity.storage'), '') },
    { name: 'Access Modes', type: 'string', cell: (o) => accessModes(getPath(o, 'spec.accessModes')) },
    { name: 'Reclaim Policy', type: 'string', cell: (o) => str(getPath(o, 'spec.persistentVolumeReclaimPolicy'), '') },
    { name: 'Status', type: 'string', cell: (o) => str(getPath(o, 'status.phase'), '') },
    {
      name: 'Claim',
      type: 'string',
      cell: (o) =>
        getPath(o, 'spec.claimRef.name')
          ? `${str(getPath(o, 'spec.claimRef.namespace'), '')}/${str(getPath(o, 'spec.claimRef.name'), '')}`
          : '',
    },
    { name: 'StorageClass', type: 'string', cell: (o) => str(getPath(o, 'spec.storageClassName'), '') },
    { name: 'VolumeAttributesClass', type: 'string', cell: (o) => str(getPath(o, 'spec.volumeAttributesClassName')) },
    { name: 'Reason', type: 'string', cell: (o) => str(getPath(o, 'status.reason'), '') },
    AGE,
    { name: 'VolumeMode', type: 'string', priority: 1, cell: (o) => str(getPath(o, 'spec.volumeMode'), 'Filesystem') },
  ],
  'storage.k8s.io/StorageClass': [
    {
      ...NAME,
      cell: (o) =>
        o.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true'
          ? `${o.metadata.name ?? ''} (default)`
          : (o.metadata.name ?? ''),
    },
    { name: 'Provisioner', type: 'string', cell: (o) => str(o['provisioner'], '') },
    { name: 'ReclaimPolicy', type: 'string', cell: (o) => str(o['reclaimPolicy'], 'Delete') },
    { name: 'VolumeBindingMode', type: 'string', cell: (o) => str(o['volumeBindingMode'], 'Immediate') },
    { name: 'AllowVolumeExpansion', type: 'string', cell: (o) => String(o['allowVolumeExpansion'] === true) },
    AGE,
  ],
  'apiextensions.k8s.io/CustomResourceDefinition': [
    NAME,
    { name: 'Created At', type: 'date', cell: (o) => str(o.metadata.creationTimestamp, '') },
  ],
  '/Namespace': [NAME, { name: 'Status', type: 'string', cell: (o) => str(getPath(o, 'status.phase'), '') }, AGE],
  '/ConfigMap': [NAME, { name: 'Data', type: 'integer', cell: (o) => Object.keys(isRecord(o['data']) ? o['data'] : {}).length }, AGE],
  '/Secret': [
    NAME,
    { name: 'Type', type: 'string', cell: (o) => str(o['type'], 'Opaque') },
    { name: 'Data', type: 'integer', cell: (o) => Object.keys(isRecord(o['data']) ? o['data'] : {}).length },
    AGE,
  ],
  '/PersistentVolumeClaim': [
    NAME,
    { name: 'Status', type: 'string', cell: (o) => str(getPath(o, 'status.phase'), '') },
    { name: 'Volume', type: 'string', cell: (o) => str(getPath(o, 'spec.volumeName'), '') },
    { name: 'Capacity', type: 'string', cell: (o) => str(getPath(o, 'status.capacity.storage'), '') },
    {
      name: 'Access Modes',
      type: 'string',
      cell: (o) =>
        Array.isArray(getPath(o, 'spec.accessModes'))
          ? (getPath(o, 'spec.accessModes') as unknown[])
              .map((m) => (m === 'ReadWriteOnce' ? 'RWO' : m === 'ReadOnlyMany' ? 'ROX' : m === 'ReadWriteMany' ? 'RWX' : str(m, '')))
              .join(',')
          : '',
    },
    { name: 'StorageClass', type: 'string', cell: (o) => str(getPath(o, 'spec.storageClassName')) },
    AGE,
  ],
  'batch/Job': [
    NAME,
    {
      name: 'Status',
      type: 'string',
      cell: (o) => (num(getPath(o, 'status.succeeded')) > 0 ? 'Complete' : num(getPath(o, 'status.failed')) > 0 ? 'Failed' : 'Running'),
    },
    {
      name: 'Completions',
      type: 'string',
      cell: (o) => `${num(getPath(o, 'status.succeeded'))}/${num(getPath(o, 'spec.completions')) || 1}`,
    },
    AGE,
  ],
  'batch/CronJob': [
    NAME,
    { name: 'Schedule', type: 'string', cell: (o) => str(getPath(o, 'spec.schedule'), '') },
    { name: 'Suspend', type: 'boolean', cell: (o) => getPath(o, 'spec.suspend') === true },
    { name: 'Active', type: 'integer', cell: (o) => records(getPath(o, 'status.active')).length },
    {
      name: 'Last Schedule',
      type: 'string',
      cell: (o) => (getPath(o, 'status.lastScheduleTime') ? age(getPath(o, 'status.lastScheduleTime')) : '<none>'),
    },
    AGE,
  ],
  'autoscaling/HorizontalPodAutoscaler': [
    NAME,
    {
      name: 'Reference',
      type: 'string',
      cell: (o) => `${str(getPath(o, 'spec.scaleTargetRef.kind'), '')}/${str(getPath(o, 'spec.scaleTargetRef.name'), '')}`,
    },
    { name: 'Targets', type: 'string', cell: (o) => hpaTargets(o) },
    { name: 'MinPods', type: 'string', cell: (o) => str(getPath(o, 'spec.minReplicas'), '1') },
    { name: 'MaxPods', type: 'integer', cell: (o) => num(getPath(o, 'spec.maxReplicas')) },
    { name: 'Replicas', type: 'integer', cell: (o) => num(getPath(o, 'status.currentReplicas')) },
    AGE,
  ],
  'networking.k8s.io/Ingress': [
    NAME,
    { name: 'Class', type: 'string', cell: (o) => str(getPath(o, 'spec.ingressClassName')) },
    {
      name: 'Hosts',
      type: 'string',
      cell: (o) =>
        records(getPath(o, 'spec.rules'))
          .map((r) => str(r['host'], '*'))
          .join(',') || '*',
    },
    {
      name: 'Address',
      type: 'string',
      cell: (o) =>
        records(getPath(o, 'status.loadBalancer.ingress'))
          .map((i) => str(i['ip'] ?? i['hostname'], ''))
          .join(','),
    },
    { name: 'Ports', type: 'string', cell: (o) => (records(getPath(o, 'spec.tls')).length > 0 ? '80, 443' : '80') },
    AGE,
  ],
  '/Event': [
    { name: 'Last Seen', type: 'string', cell: (o) => age(o['lastTimestamp'] ?? o['eventTime'] ?? o.metadata.creationTimestamp) },
    { name: 'Type', type: 'string', cell: (o) => str(o['type'], '') },
    { name: 'Reason', type: 'string', cell: (o) => str(o['reason'], '') },
    {
      name: 'Object',
      type: 'string',
      cell: (o) => `${str(getPath(o, 'involvedObject.kind'), '').toLowerCase()}/${str(getPath(o, 'involvedObject.name'), '')}`,
    },
    { name: 'Message', type: 'string', cell: (o) => str(o['message'], '') },
  ],
};

function crdColumns(columns: readonly PrinterColumn[]): Column[] {
  return [
    NAME,
    ...columns.map((c): Column => ({
      name: c.name,
      type: c.type === 'date' ? 'date' : c.type,
      ...(c.priority !== undefined ? { priority: c.priority } : {}),
      ...(c.description !== undefined ? { description: c.description } : {}),
      cell: (o) => {
        const v = readJsonPath(o, c.jsonPath);
        if (c.type === 'date') return v === undefined ? '<unknown>' : age(v);
        return v === undefined ? null : v;
      },
    })),
    AGE,
  ];
}

function columnsFor(def: ResourceDef): readonly Column[] {
  if (def.printerColumns && def.printerColumns.length > 0) return crdColumns(def.printerColumns);
  return BUILTIN[`${def.group}/${def.kind}`] ?? [NAME, AGE];
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableListMeta {
  readonly resourceVersion: string;
  readonly continue?: string;
  readonly remainingItemCount?: number;
}

/** A meta.k8s.io/v1 Table for a list or a single object. */
export function buildTable(
  def: ResourceDef,
  items: readonly KubeObject[],
  meta: TableListMeta,
  includeObject: IncludeObject = 'Metadata',
): Record<string, unknown> {
  const columns = columnsFor(def);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: meta,
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description ?? '',
      priority: c.priority ?? 0,
    })),
    rows: items.map((obj) => {
      const row: Record<string, unknown> = { cells: columns.map((c) => c.cell(obj)) };
      if (includeObject === 'Metadata') row['object'] = partialObjectMetadata(obj);
      else if (includeObject === 'Object') row['object'] = obj;
      return row;
    }),
  };
}

/** The TARGETS column of `kubectl get hpa` (autoscaling/v2): `cpu: 45%/70%`, `<unknown>` before the first reading. */
function hpaTargets(o: KubeObject): string {
  const metrics = records(getPath(o, 'spec.metrics'));
  const current = records(getPath(o, 'status.currentMetrics'));
  if (metrics.length === 0) return '<none>';
  return metrics
    .map((m, i) => {
      const resource = m.resource as { name?: string; target?: { averageUtilization?: number; averageValue?: string } } | undefined;
      if (m.type !== 'Resource' || !resource) return `${typeof m.type === 'string' ? m.type : 'metric'}: <unsupported>`;
      const now = (current[i]?.resource as { current?: { averageUtilization?: number; averageValue?: string } } | undefined)?.current;
      const target =
        resource.target?.averageUtilization !== undefined
          ? `${resource.target.averageUtilization}%`
          : (resource.target?.averageValue ?? '?');
      const value =
        now?.averageUtilization !== undefined
          ? `${now.averageUtilization}%`
          : now?.averageValue !== undefined
            ? now.averageValue
            : '<unknown>';
      return `${resource.name ?? '?'}: ${value}/${target}`;
    })
    .join(', ');
}
