import type { CallOptions, KubeClient } from './kubeClient';
import type { ResourceKind } from './resourceKinds';

/**
 * Older API versions that served kinds of the catalogue, newest first (catalogue B51: a 1.20–1.24 cluster has no
 * batch/v1 CronJob, no autoscaling/v2 HPA, no policy/v1 PDB). Looked up through discovery only after the catalogue's
 * version answered 404, so a current cluster pays nothing.
 */
const olderVersions: Readonly<Record<string, readonly string[]>> = {
  'batch/CronJob': ['v1beta1'],
  'autoscaling/HorizontalPodAutoscaler': ['v2beta2', 'v2beta1', 'v1'],
  'policy/PodDisruptionBudget': ['v1beta1'],
  'networking.k8s.io/Ingress': ['v1beta1'],
  'networking.k8s.io/IngressClass': ['v1beta1'],
  'storage.k8s.io/CSIStorageCapacity': ['v1beta1'],
};

const cache = new WeakMap<KubeClient, Map<string, Promise<ResourceKind | undefined>>>();

/**
 * The version of `kind` this cluster serves, from its discovery documents: the catalogue's own version when served,
 * else the newest older one that is (with the catalogue's label and scope), else undefined (the kind does not exist
 * there). Cached per client; a failed lookup (timeout, 403) is not cached and throws.
 */
export function servedKind(client: KubeClient, kind: ResourceKind, options: CallOptions): Promise<ResourceKind | undefined> {
  let perClient = cache.get(client);
  if (!perClient) {
    perClient = new Map<string, Promise<ResourceKind | undefined>>();
    cache.set(client, perClient);
  }
  const key = `${kind.group}/${kind.kind}`;
  let found = perClient.get(key);
  if (!found) {
    found = (async () => {
      for (const version of [kind.version, ...(olderVersions[key] ?? [])]) {
        const served = await client.resolveKind(kind.group ? `${kind.group}/${version}` : version, kind.kind, options);
        if (served) return { ...kind, version, plural: served.plural };
      }
      return undefined;
    })();
    perClient.set(key, found);
    const entries = perClient;
    found.catch(() => entries.delete(key));
  }
  return found;
}

/** `batch/v1beta1`: the group/version of a kind, as discovery and YAML name it. */
export function groupVersionOf(kind: ResourceKind): string {
  return kind.group ? `${kind.group}/${kind.version}` : kind.version;
}
