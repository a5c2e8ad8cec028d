/**
 * A minimal Deployment controller for the fake (`startFakeKube({ controllers: true })`, on in the demo seed):
 * when a Deployment's `spec.replicas` differs from what runs (a patch, an update or the `scale` subresource),
 * after `delayMs` it sets its newest ReplicaSet's replicas, creates the missing pods (Pending, not ready; named
 * `<rs>-<5 chars>` with the ReplicaSet as owner) or deletes the surplus (newest first), and updates the Deployment
 * status (`replicas`, `updatedReplicas`, `readyReplicas`, `availableReplicas`); after another `delayMs` the new pods
 * turn Running and ready and the status counts them. So a scale shows up on watches as it does on a real cluster.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { StoreEvent } from './store';
import type { KubeObject } from './types';
import { kubeTimestamp } from './types';

/** What the controller needs of the fake. */
export interface ControllerHost {
  upsert(obj: KubeObject): KubeObject;
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list(apiVersion: string, kind: string, namespace?: string): KubeObject[];
  remove(apiVersion: string, kind: string, namespace: string | undefined, name: string): boolean;
}

type Json = Record<string, unknown>;

const rec = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const replicasOf = (o: KubeObject): number => {
  const r = rec(o['spec'])['replicas'];
  return typeof r === 'number' ? r : 1;
};
const ownedBy = (o: KubeObject, owner: KubeObject): boolean =>
  (o.metadata.ownerReferences as { uid?: string }[] | undefined)?.some((r) => r.uid === owner.metadata.uid) ?? false;
const isReady = (pod: KubeObject): boolean =>
  (rec(pod['status'])['conditions'] as { type?: string; status?: string }[] | undefined)?.some(
    (c) => c.type === 'Ready' && c.status === 'True',
  ) ?? false;
const owner = (
  o: KubeObject,
): { apiVersion: string; kind: string; name: string; uid: string; controller: boolean; blockOwnerDeletion: boolean } => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name ?? '',
  uid: o.metadata.uid ?? '',
  controller: true,
  blockOwnerDeletion: true,
});

function suffix(length: number): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** Starts the controller; returns its stop function (clears pending timers). */
export function startDeploymentController(
  host: ControllerHost,
  subscribe: (listener: (event: StoreEvent) => void) => () => void,
  delayMs = 300,
): () => void {
  const timers = new Map<string, NodeJS.Timeout>();
  let stopped = false;

  const schedule = (key: string, fn: () => void): void => {
    clearTimeout(timers.get(key));
    const t = setTimeout(() => {
      timers.delete(key);
      if (!stopped) fn();
    }, delayMs);
    t.unref();
    timers.set(key, t);
  };

  const podsOf = (rs: KubeObject): KubeObject[] =>
    host
      .list('v1', 'Pod', rs.metadata.namespace)
      .filter((p) => ownedBy(p, rs) && !p.metadata.deletionTimestamp)
      .sort((a, b) => String(a.metadata.creationTimestamp).localeCompare(String(b.metadata.creationTimestamp)));

  const newestReplicaSet = (d: KubeObject): KubeObject => {
    const sets = host.list('apps/v1', 'ReplicaSet', d.metadata.namespace).filter((rs) => ownedBy(rs, d));
    // The current ReplicaSet is the one with the highest revision (as the real controller decides), then the newest.
    const revision = (rs: KubeObject) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0) || 0;
    sets.sort(
      (a, b) => revision(b) - revision(a) || String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)),
    );
    if (sets[0]) return sets[0];
    const template = rec(rec(d['spec'])['template']);
    const hash = suffix(10);
    const labels = { ...rec(rec(template['metadata'])['labels']), 'pod-template-hash': hash } as Record<string, string>;
    return host.upsert({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: `${d.metadata.name}-${hash}`, namespace: d.metadata.namespace, labels, ownerReferences: [owner(d)] },
      spec: {
        replicas: 0,
        selector: { matchLabels: labels },
        template: { ...template, metadata: { ...rec(template['metadata']), labels } },
      },
      status: { replicas: 0 },
    });
  };

  const writeStatus = (d: KubeObject, rs: KubeObject): void => {
    const pods = podsOf(rs);
    const ready = pods.filter(isReady).length;
    const want = replicasOf(d);
    const fresh = host.get('apps/v1', 'Deployment', d.metadata.namespace, d.metadata.name ?? '');
    if (!fresh || !ownedBy(rs, fresh)) return;
    host.upsert({
      ...fresh,
      status: {
        ...rec(fresh['status']),
        observedGeneration: fresh.metadata.generation,
        replicas: pods.length,
        updatedReplicas: pods.length,
        readyReplicas: ready,
        availableReplicas: ready,
        unavailableReplicas: Math.max(0, want - ready),
      },
    });
    const freshRs = host.get('apps/v1', 'ReplicaSet', rs.metadata.namespace, rs.metadata.name ?? '');
    if (freshRs)
      host.upsert({
        ...freshRs,
        spec: { ...rec(freshRs['spec']), replicas: want },
        status: { ...rec(freshRs['status']), replicas: pods.length, readyReplicas: ready, availableReplicas: ready },
      });
  };

  const reconcile = (namespace: string, name: string): void => {
    const d = host.get('apps/v1', 'Deployment', namespace, name);
    if (!d || d.metadata.deletionTimestamp) return;
    const rs = newestReplicaSet(d);
    const want = replicasOf(d);
    const pods = podsOf(rs);
    const template = rec(rec(rs['spec'])['template']);
    const now = kubeTimestamp();
    const created: string[] = [];
    for (let i = pods.length; i < want; i++) {
      const podName = `${rs.metadata.name}-${suffix(5)}`;
      created.push(podName);
      const containers = (rec(template['spec'])['containers'] as { name?: string; image?: string }[] | undefined) ?? [];
      host.upsert({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: podName,
          namespace,
          uid: randomUUID(),
          labels: rec(rec(template['metadata'])['labels']) as Record<string, string>,
          ownerReferences: [owner(rs)],
          creationTimestamp: now,
        },
        spec: { ...rec(template['spec']), nodeName: 'sample-node-1' },
        status: {
          phase: 'Pending',
          conditions: [
            { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
            { type: 'Ready', status: 'False', lastTransitionTime: now },
          ],
          containerStatuses: containers.map((c) => ({
            name: c.name,
            image: c.image,
            ready: false,
            started: false,
            restartCount: 0,
            state: { waiting: { reason: 'ContainerCreating' } },
          })),
        },
      });
    }
    // Scale down removes the newest pods first, as the ReplicaSet controller prefers.
    for (const pod of pods.slice(want).reverse()) host.remove('v1', 'Pod', namespace, pod.metadata.name ?? '');
    writeStatus(d, rs);
    if (created.length === 0) return;
    schedule(`ready:${namespace}/${name}`, () => {
      const started = kubeTimestamp();
      for (const podName of created) {
        const pod = host.get('v1', 'Pod', namespace, podName);
        if (!pod) continue;
        const status = rec(pod['status']);
        host.upsert({
          ...pod,
          status: {
            ...status,
            phase: 'Running',
            startTime: started,
            conditions: [
              { type: 'PodScheduled', status: 'True', lastTransitionTime: started },
              { type: 'Ready', status: 'True', lastTransitionTime: started },
              { type: 'ContainersReady', status: 'True', lastTransitionTime: started },
            ],
            containerStatuses: ((status['containerStatuses'] as Json[] | undefined) ?? []).map((c) => ({
              ...c,
              ready: true,
              started: true,
              state: { running: { startedAt: started } },
            })),
          },
        });
      }
      const fresh = host.get('apps/v1', 'Deployment', namespace, name);
      if (fresh) writeStatus(fresh, rs);
    });
  };

  const unsubscribe = subscribe((event) => {
    if (event.type === 'DELETED') return;
    const d = event.object;
    const status = rec(d['status']);
    const want = replicasOf(d);
    const running = typeof status['replicas'] === 'number' ? status['replicas'] : -1;
    const before = event.previous ? replicasOf(event.previous) : undefined;
    // Created with no status yet, or spec.replicas moved away from what runs.
    if (running !== want || (before !== undefined && before !== want))
      schedule(`scale:${d.metadata.namespace ?? ''}/${d.metadata.name ?? ''}`, () =>
        reconcile(d.metadata.namespace ?? '', d.metadata.name ?? ''),
      );
  });

  return () => {
    stopped = true;
    unsubscribe();
    for (const t of timers.values()) clearTimeout(t);
    timers.clear();
  };
}
