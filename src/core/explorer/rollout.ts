import { ClusterDeckError } from '../errors';
import type { KubeClient } from '../kube/kubeClient';
import { listAllObjects } from '../kube/listAllPages';
import type { ResourceKind } from '../kube/resourceKinds';
import { selectorString } from './logOptions';
import { arr, canonicalJson, controllerRevisionKind, rec, replicaSetKind, str } from './opsKinds';

type Json = Record<string, unknown>;

/** One revision a workload can be rolled back to. */
export interface Revision {
  readonly revision: number;
  /** The ReplicaSet or ControllerRevision that holds it. */
  readonly source: string;
  readonly images: readonly string[];
  readonly createdAt?: string;
  /** The workload's pod template is this revision's (ignoring the pod-template-hash label). */
  readonly current: boolean;
  readonly changeCause?: string;
  /** The pod template to restore (pod-template-hash label removed). */
  readonly template: Json;
  /** Annotations of the holder (Deployments take the non-bookkeeping ones back, as kubectl does). */
  readonly annotations: Readonly<Record<string, string>>;
}

const hashLabel = 'pod-template-hash';
const revisionAnnotation = 'deployment.kubernetes.io/revision';
/** Deployment annotations kubectl never copies from a ReplicaSet (they describe the Deployment itself). */
const annotationsToSkip = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  revisionAnnotation,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

/** A pod template without the pod-template-hash label (what a Deployment's template looks like). */
export function templateWithoutHash(template: unknown): Json {
  const copy = structuredClone(rec(template));
  const meta = rec(copy.metadata);
  const labels = { ...rec(meta.labels) };
  delete labels[hashLabel];
  copy.metadata = { ...meta, labels };
  return copy;
}

function sameTemplate(a: unknown, b: unknown): boolean {
  return canonicalJson(templateWithoutHash(a)) === canonicalJson(templateWithoutHash(b));
}

function imagesOf(template: unknown): string[] {
  const spec = rec(rec(template).spec);
  return [...arr(spec.initContainers), ...arr(spec.containers)].map((c) => str(c.image)).filter(Boolean);
}

function ownedBy(obj: Json, owner: Json): boolean {
  const uid = str(rec(owner.metadata).uid);
  return arr(rec(obj.metadata).ownerReferences).some((r) => str(r.uid) === uid && r.controller !== false);
}

function strings(v: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(rec(v)).map(([k, x]) => [k, str(x)]));
}

/** A Deployment's revisions from its ReplicaSets (owned by its uid), newest first. */
export function deploymentRevisions(deployment: Json, replicaSets: readonly Json[]): Revision[] {
  const template = rec(deployment.spec).template;
  const revisions = replicaSets
    .filter((rs) => ownedBy(rs, deployment))
    .map((rs): Revision => {
      const meta = rec(rs.metadata);
      const annotations = strings(meta.annotations);
      const rsTemplate = rec(rec(rs.spec).template);
      return {
        revision: Number(annotations[revisionAnnotation] ?? 0),
        source: str(meta.name),
        images: imagesOf(rsTemplate),
        ...(str(meta.creationTimestamp) ? { createdAt: str(meta.creationTimestamp) } : {}),
        current: sameTemplate(rsTemplate, template),
        ...(annotations['kubernetes.io/change-cause'] ? { changeCause: annotations['kubernetes.io/change-cause'] } : {}),
        template: templateWithoutHash(rsTemplate),
        annotations,
      };
    })
    .filter((r) => r.revision > 0);
  return markCurrent(revisions, str(strings(rec(deployment.metadata).annotations)[revisionAnnotation]));
}

/** A StatefulSet's or DaemonSet's revisions from its ControllerRevisions (`data` restores spec.template), newest first. */
export function controllerRevisions(workload: Json, revisions: readonly Json[]): Revision[] {
  const template = rec(workload.spec).template;
  const list = revisions
    .filter((cr) => ownedBy(cr, workload))
    .map((cr): Revision => {
      const meta = rec(cr.metadata);
      const stored = { ...rec(rec(rec(cr.data).spec).template) };
      delete stored.$patch;
      return {
        revision: Number(cr.revision ?? 0),
        source: str(meta.name),
        images: imagesOf(stored),
        ...(str(meta.creationTimestamp) ? { createdAt: str(meta.creationTimestamp) } : {}),
        current: sameTemplate(stored, template),
        ...(strings(meta.annotations)['kubernetes.io/change-cause']
          ? { changeCause: strings(meta.annotations)['kubernetes.io/change-cause'] }
          : {}),
        template: stored,
        annotations: strings(meta.annotations),
      };
    });
  const status = rec(workload.status);
  const currentName = str(status.updateRevision) || str(status.currentRevision);
  const byName = list.find((r) => r.source === currentName);
  return markCurrent(list, byName ? String(byName.revision) : '');
}

/** Newest first; when no template matched (a controller mid-rollout), the recorded current revision is marked. */
function markCurrent(revisions: Revision[], recorded: string): Revision[] {
  const sorted = [...revisions].sort((a, b) => b.revision - a.revision);
  if (sorted.some((r) => r.current)) return sorted;
  const fallback = recorded ? Number(recorded) : sorted[0]?.revision;
  return sorted.map((r) => (r.revision === fallback ? { ...r, current: true } : r));
}

/**
 * The JSON patch that rolls `workload` back to `revision`, as `kubectl rollout undo --to-revision` does: the pod
 * template replaced by the revision's (hash label removed); for a Deployment also its annotations computed the
 * kubectl way (bookkeeping ones kept, the ReplicaSet's others such as change-cause taken back). The first
 * operation tests the uid, so a recreated namesake is never changed.
 */
export function rollbackPatch(workload: Json, revision: Revision): unknown[] {
  const meta = rec(workload.metadata);
  const ops: unknown[] = [
    { op: 'test', path: '/metadata/uid', value: str(meta.uid) },
    { op: 'replace', path: '/spec/template', value: revision.template },
  ];
  if (str(workload.kind) === 'Deployment') {
    const current = strings(meta.annotations);
    const annotations: Record<string, string> = {};
    for (const k of annotationsToSkip) if (current[k] !== undefined) annotations[k] = current[k];
    for (const [k, v] of Object.entries(revision.annotations)) if (!annotationsToSkip.has(k)) annotations[k] = v;
    ops.push({ op: meta.annotations ? 'replace' : 'add', path: '/metadata/annotations', value: annotations });
  }
  return ops;
}

/** Reads a workload and its revisions (Deployment: ReplicaSets; StatefulSet/DaemonSet: ControllerRevisions). */
export async function loadRevisions(
  client: KubeClient,
  resource: ResourceKind,
  namespace: string,
  name: string,
  signal: AbortSignal,
): Promise<{ workload: Json; revisions: Revision[] }> {
  if (!['Deployment', 'StatefulSet', 'DaemonSet'].includes(resource.kind))
    throw new ClusterDeckError('unknown', `A ${resource.kind} has no revisions to roll back to.`);
  const workload = await client.getObject(resource, namespace, name, { signal });
  const labelSelector = selectorString(rec(workload.spec).selector);
  const holders: Json[] = (
    await listAllObjects(client, resource.kind === 'Deployment' ? replicaSetKind : controllerRevisionKind, namespace, {
      signal,
      ...(labelSelector ? { labelSelector } : {}),
    })
  ).items;
  const revisions = resource.kind === 'Deployment' ? deploymentRevisions(workload, holders) : controllerRevisions(workload, holders);
  return { workload, revisions };
}

/**
 * Rolls `workload` (as read by loadRevisions) back to `revision`. Refuses a paused Deployment (kubectl's rule) and
 * a revision that is already current (nothing to do).
 */
export async function rollbackTo(
  client: KubeClient,
  resource: ResourceKind,
  workload: Json,
  revision: Revision,
  signal: AbortSignal,
): Promise<void> {
  const meta = rec(workload.metadata);
  if (rec(workload.spec).paused === true)
    throw new ClusterDeckError(
      'conflict',
      `${resource.kind} "${str(meta.name)}" is paused; resume it before rolling back (kubectl rollout resume).`,
    );
  if (revision.current || sameTemplate(revision.template, rec(workload.spec).template))
    throw new ClusterDeckError('conflict', `${resource.kind} "${str(meta.name)}" already runs revision ${revision.revision}.`);
  await client.patchObject(resource, str(meta.namespace) || undefined, str(meta.name), rollbackPatch(workload, revision), {
    signal,
    patchType: 'json',
  });
}
