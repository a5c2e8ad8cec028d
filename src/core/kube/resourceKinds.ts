/** A resource the explorer lists: where it lives in the API and which category shows it. */
export interface ResourceKind {
  readonly kind: string;
  /** Plural resource name, as in the URL. */
  readonly plural: string;
  /** API group ('' for core). */
  readonly group: string;
  readonly version: string;
  readonly namespaced: boolean;
  /** Tree label of the folder ("Deployments"). */
  readonly label: string;
}

/** Explorer categories of a namespace, in tree order (cluster-level kinds are in `clusterKinds`). */
export const namespaceCategories: readonly { readonly name: string; readonly kinds: readonly ResourceKind[] }[] = [
  {
    name: 'Workloads',
    kinds: [
      rk('Deployment', 'deployments', 'apps', 'v1', 'Deployments'),
      rk('StatefulSet', 'statefulsets', 'apps', 'v1', 'StatefulSets'),
      rk('DaemonSet', 'daemonsets', 'apps', 'v1', 'DaemonSets'),
      rk('ReplicaSet', 'replicasets', 'apps', 'v1', 'ReplicaSets'),
      rk('Job', 'jobs', 'batch', 'v1', 'Jobs'),
      rk('CronJob', 'cronjobs', 'batch', 'v1', 'CronJobs'),
      rk('Pod', 'pods', '', 'v1', 'Pods'),
    ],
  },
  {
    name: 'Network',
    kinds: [
      rk('Service', 'services', '', 'v1', 'Services'),
      rk('Ingress', 'ingresses', 'networking.k8s.io', 'v1', 'Ingresses'),
      rk('NetworkPolicy', 'networkpolicies', 'networking.k8s.io', 'v1', 'NetworkPolicies'),
    ],
  },
  { name: 'Config', kinds: [rk('ConfigMap', 'configmaps', '', 'v1', 'ConfigMaps'), rk('Secret', 'secrets', '', 'v1', 'Secrets')] },
  { name: 'Storage', kinds: [rk('PersistentVolumeClaim', 'persistentvolumeclaims', '', 'v1', 'PersistentVolumeClaims')] },
  {
    name: 'Autoscaling',
    kinds: [rk('HorizontalPodAutoscaler', 'horizontalpodautoscalers', 'autoscaling', 'v2', 'HorizontalPodAutoscalers')],
  },
  {
    name: 'Access',
    kinds: [
      rk('ServiceAccount', 'serviceaccounts', '', 'v1', 'ServiceAccounts'),
      rk('Role', 'roles', 'rbac.authorization.k8s.io', 'v1', 'Roles'),
      rk('RoleBinding', 'rolebindings', 'rbac.authorization.k8s.io', 'v1', 'RoleBindings'),
    ],
  },
];

/** A kind of the catalogue's shape (exported for custom kinds built from CRDs). */
export function rk(kind: string, plural: string, group: string, version: string, label: string, namespaced = true): ResourceKind {
  return { kind, plural, group, version, namespaced, label };
}

/** The REST path of a collection: `/api/v1/namespaces/ns/pods`, `/apis/apps/v1/deployments`. */
export function collectionPath(r: ResourceKind, namespace?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return r.namespaced && namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${r.plural}` : `${base}/${r.plural}`;
}

/** Cluster-level folders of a context's "Cluster" group, in tree order. Events are listed across all namespaces. */
export const clusterKinds: readonly ResourceKind[] = [
  rk('Node', 'nodes', '', 'v1', 'Nodes', false),
  rk('Namespace', 'namespaces', '', 'v1', 'Namespaces', false),
  rk('PersistentVolume', 'persistentvolumes', '', 'v1', 'PersistentVolumes', false),
  rk('StorageClass', 'storageclasses', 'storage.k8s.io', 'v1', 'StorageClasses', false),
  rk('CustomResourceDefinition', 'customresourcedefinitions', 'apiextensions.k8s.io', 'v1', 'CustomResourceDefinitions', false),
  rk('Event', 'events', '', 'v1', 'Events'),
];

/** metrics.k8s.io (metrics-server): per-node usage. A 404 means metrics-server is not installed. */
export const nodeMetricsKind: ResourceKind = rk('NodeMetrics', 'nodes', 'metrics.k8s.io', 'v1beta1', 'Node metrics', false);

/** metrics.k8s.io (metrics-server): per-pod, per-container usage (PodMetrics). A 404 means metrics-server is not installed. */
export const podMetricsKind: ResourceKind = rk('PodMetrics', 'pods', 'metrics.k8s.io', 'v1beta1', 'Pod metrics');

/** Workload kinds whose items open into the pods they select (spec.selector). */
export const podOwnerKinds: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** Kinds that support the `scale` subresource among the catalogue. */
export const scalableKinds: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

/** Kinds a rollout restart (a pod-template patch) applies to. */
export const restartableKinds: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

const customKinds = new Map<string, ResourceKind>();

/** Remembers a custom kind (from a CRD the explorer listed) so `resourceKindOf` finds it when its YAML is opened. */
export function rememberCustomKind(kind: ResourceKind): void {
  customKinds.set(`${kind.group}/${kind.plural}`, kind);
}

/** Finds a kind of the catalogue (namespace categories, cluster kinds, custom kinds seen) by its plural (and group). */
export function resourceKindOf(plural: string, group = ''): ResourceKind | undefined {
  for (const c of namespaceCategories) for (const k of c.kinds) if (k.plural === plural && k.group === group) return k;
  for (const k of clusterKinds) if (k.plural === plural && k.group === group) return k;
  return customKinds.get(`${group}/${plural}`);
}
