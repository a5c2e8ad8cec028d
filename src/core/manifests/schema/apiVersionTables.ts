/**
 * Removed and deprecated API versions of built-in kinds (lint-rules.md §4.6 and §4.7; kubernetes/website
 * deprecation-guide.md, FairwindsOps/pluto versions.yaml). Always matched on apiVersion + kind: a group-version can
 * come back with other kinds (storage.k8s.io/v1beta1 VolumeAttributesClass in 1.31, coordination.k8s.io/v1beta1
 * LeaseCandidate in 1.33).
 */
export interface ApiVersionChange {
  readonly apiVersion: string;
  readonly kinds: readonly string[];
  /** Minor version ("1.21") from which the API server warns. */
  readonly deprecatedIn: string;
  /** Minor version from which it is no longer served; undefined: not scheduled. */
  readonly removedIn?: string;
  /** The apiVersion to use instead (same kind); undefined: no replacement. */
  readonly replacement?: string;
  /** What to do when there is no like-for-like replacement, or what changes on migration. */
  readonly note?: string;
}

const workloads = ['Deployment', 'DaemonSet', 'ReplicaSet', 'StatefulSet'];
const rbac = ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'];
const flowcontrol = ['FlowSchema', 'PriorityLevelConfiguration'];
const ingressNote =
  'spec.backend becomes spec.defaultBackend, serviceName/servicePort become service.name/service.port.{number,name}, and pathType is required';

export const apiVersionChanges: readonly ApiVersionChange[] = [
  // Removed in 1.16
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['Deployment', 'DaemonSet', 'ReplicaSet'],
    deprecatedIn: '1.9',
    removedIn: '1.16',
    replacement: 'apps/v1',
  },
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['NetworkPolicy'],
    deprecatedIn: '1.9',
    removedIn: '1.16',
    replacement: 'networking.k8s.io/v1',
  },
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['PodSecurityPolicy'],
    deprecatedIn: '1.11',
    removedIn: '1.16',
    replacement: 'policy/v1beta1',
  },
  {
    apiVersion: 'apps/v1beta1',
    kinds: ['Deployment', 'StatefulSet', 'ReplicaSet'],
    deprecatedIn: '1.9',
    removedIn: '1.16',
    replacement: 'apps/v1',
  },
  { apiVersion: 'apps/v1beta2', kinds: workloads, deprecatedIn: '1.9', removedIn: '1.16', replacement: 'apps/v1' },
  // Removed in 1.17
  {
    apiVersion: 'scheduling.k8s.io/v1alpha1',
    kinds: ['PriorityClass'],
    deprecatedIn: '1.14',
    removedIn: '1.17',
    replacement: 'scheduling.k8s.io/v1',
  },
  // Removed in 1.22
  {
    apiVersion: 'admissionregistration.k8s.io/v1beta1',
    kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    deprecatedIn: '1.16',
    removedIn: '1.22',
    replacement: 'admissionregistration.k8s.io/v1',
  },
  {
    apiVersion: 'apiextensions.k8s.io/v1beta1',
    kinds: ['CustomResourceDefinition'],
    deprecatedIn: '1.16',
    removedIn: '1.22',
    replacement: 'apiextensions.k8s.io/v1',
  },
  {
    apiVersion: 'apiregistration.k8s.io/v1beta1',
    kinds: ['APIService'],
    deprecatedIn: '1.10',
    removedIn: '1.22',
    replacement: 'apiregistration.k8s.io/v1',
  },
  {
    apiVersion: 'authentication.k8s.io/v1beta1',
    kinds: ['TokenReview'],
    deprecatedIn: '1.6',
    removedIn: '1.22',
    replacement: 'authentication.k8s.io/v1',
  },
  {
    apiVersion: 'authorization.k8s.io/v1beta1',
    kinds: ['SubjectAccessReview', 'LocalSubjectAccessReview', 'SelfSubjectAccessReview'],
    deprecatedIn: '1.6',
    removedIn: '1.22',
    replacement: 'authorization.k8s.io/v1',
  },
  {
    apiVersion: 'certificates.k8s.io/v1beta1',
    kinds: ['CertificateSigningRequest'],
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacement: 'certificates.k8s.io/v1',
  },
  {
    apiVersion: 'coordination.k8s.io/v1beta1',
    kinds: ['Lease'],
    deprecatedIn: '1.14',
    removedIn: '1.22',
    replacement: 'coordination.k8s.io/v1',
  },
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['Ingress'],
    deprecatedIn: '1.14',
    removedIn: '1.22',
    replacement: 'networking.k8s.io/v1',
    note: ingressNote,
  },
  {
    apiVersion: 'networking.k8s.io/v1beta1',
    kinds: ['Ingress'],
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacement: 'networking.k8s.io/v1',
    note: ingressNote,
  },
  {
    apiVersion: 'networking.k8s.io/v1beta1',
    kinds: ['IngressClass'],
    deprecatedIn: '1.19',
    removedIn: '1.22',
    replacement: 'networking.k8s.io/v1',
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1beta1',
    kinds: rbac,
    deprecatedIn: '1.17',
    removedIn: '1.22',
    replacement: 'rbac.authorization.k8s.io/v1',
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1alpha1',
    kinds: rbac,
    deprecatedIn: '1.17',
    removedIn: '1.22',
    replacement: 'rbac.authorization.k8s.io/v1',
  },
  {
    apiVersion: 'scheduling.k8s.io/v1beta1',
    kinds: ['PriorityClass'],
    deprecatedIn: '1.14',
    removedIn: '1.22',
    replacement: 'scheduling.k8s.io/v1',
  },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIDriver'], deprecatedIn: '1.19', removedIn: '1.22', replacement: 'storage.k8s.io/v1' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSINode'], deprecatedIn: '1.17', removedIn: '1.22', replacement: 'storage.k8s.io/v1' },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kinds: ['StorageClass'],
    deprecatedIn: '1.6',
    removedIn: '1.22',
    replacement: 'storage.k8s.io/v1',
  },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kinds: ['VolumeAttachment'],
    deprecatedIn: '1.13',
    removedIn: '1.22',
    replacement: 'storage.k8s.io/v1',
  },
  // Removed in 1.25
  { apiVersion: 'batch/v1beta1', kinds: ['CronJob'], deprecatedIn: '1.21', removedIn: '1.25', replacement: 'batch/v1' },
  {
    apiVersion: 'discovery.k8s.io/v1beta1',
    kinds: ['EndpointSlice'],
    deprecatedIn: '1.21',
    removedIn: '1.25',
    replacement: 'discovery.k8s.io/v1',
  },
  { apiVersion: 'events.k8s.io/v1beta1', kinds: ['Event'], deprecatedIn: '1.19', removedIn: '1.25', replacement: 'events.k8s.io/v1' },
  {
    apiVersion: 'autoscaling/v2beta1',
    kinds: ['HorizontalPodAutoscaler'],
    deprecatedIn: '1.22',
    removedIn: '1.25',
    replacement: 'autoscaling/v2',
  },
  { apiVersion: 'policy/v1beta1', kinds: ['PodDisruptionBudget'], deprecatedIn: '1.21', removedIn: '1.25', replacement: 'policy/v1' },
  {
    apiVersion: 'policy/v1beta1',
    kinds: ['PodSecurityPolicy'],
    deprecatedIn: '1.21',
    removedIn: '1.25',
    note: 'PodSecurityPolicy has no replacement: use Pod Security Admission (namespace labels pod-security.kubernetes.io/enforce)',
  },
  { apiVersion: 'node.k8s.io/v1beta1', kinds: ['RuntimeClass'], deprecatedIn: '1.22', removedIn: '1.25', replacement: 'node.k8s.io/v1' },
  // Removed in 1.26, 1.27, 1.29, 1.32
  {
    apiVersion: 'autoscaling/v2beta2',
    kinds: ['HorizontalPodAutoscaler'],
    deprecatedIn: '1.23',
    removedIn: '1.26',
    replacement: 'autoscaling/v2',
  },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1',
    kinds: flowcontrol,
    deprecatedIn: '1.23',
    removedIn: '1.26',
    replacement: 'flowcontrol.apiserver.k8s.io/v1beta2',
  },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kinds: ['CSIStorageCapacity'],
    deprecatedIn: '1.24',
    removedIn: '1.27',
    replacement: 'storage.k8s.io/v1',
  },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2',
    kinds: flowcontrol,
    deprecatedIn: '1.26',
    removedIn: '1.29',
    replacement: 'flowcontrol.apiserver.k8s.io/v1beta3',
  },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
    kinds: flowcontrol,
    deprecatedIn: '1.29',
    removedIn: '1.32',
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
  },
  // Deprecated, removal not scheduled
  {
    apiVersion: 'v1',
    kinds: ['ComponentStatus'],
    deprecatedIn: '1.19',
    note: 'read component health from the /livez and /readyz endpoints instead',
  },
  { apiVersion: 'v1', kinds: ['Endpoints'], deprecatedIn: '1.33', replacement: 'discovery.k8s.io/v1', note: 'use EndpointSlice' },
];

/** Minor number of "1.31" (or "v1.31.2"); undefined when it does not look like a Kubernetes 1.x version. */
export function minorOf(version: string | undefined): number | undefined {
  const m = /^v?1\.(\d{1,3})(?:\.\d+)?$/.exec(version?.trim() ?? '');
  return m ? Number(m[1]) : undefined;
}

/** The change entry of an apiVersion + kind, if any. */
export function apiVersionChange(apiVersion: string, kind: string): ApiVersionChange | undefined {
  return apiVersionChanges.find((c) => c.apiVersion === apiVersion && c.kinds.includes(kind));
}

export type ApiVersionStatus =
  | { readonly status: 'served' }
  | { readonly status: 'deprecated' | 'removed'; readonly change: ApiVersionChange; readonly replacement?: string; readonly note?: string };

/**
 * Whether apiVersion + kind is served, deprecated or removed in the target version. The replacement follows the
 * chain to one that the target still serves (flowcontrol v1beta1 → v1beta3 → v1).
 */
export function apiVersionStatus(apiVersion: string, kind: string, target: string): ApiVersionStatus {
  const change = apiVersionChange(apiVersion, kind);
  const minor = minorOf(target);
  if (!change || minor === undefined) return { status: 'served' };
  const removed = minorOf(change.removedIn);
  const deprecated = minorOf(change.deprecatedIn) ?? 0;
  // Follow replacements that are themselves deprecated or removed at the target (flowcontrol v1beta1 → v1beta2 →
  // v1beta3 → v1): a deprecated replacement implies its own replacement is served by then.
  let replacement = change.replacement;
  let note = change.note;
  for (let hops = 0; replacement && hops < 5; hops++) {
    const next = apiVersionChange(replacement, kind);
    const nextDeprecated = minorOf(next?.deprecatedIn);
    if (!next || nextDeprecated === undefined || nextDeprecated > minor) break;
    replacement = next.replacement;
    note = next.note ?? note;
  }
  const status = removed !== undefined && minor >= removed ? 'removed' : minor >= deprecated ? 'deprecated' : undefined;
  if (!status) return { status: 'served' };
  return { status, change, ...(replacement ? { replacement } : {}), ...(note ? { note } : {}) };
}
