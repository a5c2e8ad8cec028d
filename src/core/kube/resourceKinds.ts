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

function rk(kind: string, plural: string, group: string, version: string, label: string, namespaced = true): ResourceKind {
  return { kind, plural, group, version, namespaced, label };
}

/** The REST path of a collection: `/api/v1/namespaces/ns/pods`, `/apis/apps/v1/deployments`. */
export function collectionPath(r: ResourceKind, namespace?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return r.namespaced && namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${r.plural}` : `${base}/${r.plural}`;
}

/** Finds a kind of the catalogue by its plural (and group). */
export function resourceKindOf(plural: string, group = ''): ResourceKind | undefined {
  for (const c of namespaceCategories) for (const k of c.kinds) if (k.plural === plural && k.group === group) return k;
  return undefined;
}
