// Children of workload items: a Deployment (StatefulSet, DaemonSet, ReplicaSet, Job) opens into the pods its
// spec.selector matches (a labelSelector on a server-side Table list), a Deployment also into its ReplicaSets
// on demand, and a pod into its containers with their state.
import { isCancellation } from '../errors';
import type { AccessReviewCache } from '../kube/accessReviews';
import { resolveContext, type MergedKubeconfig } from '../kube/kubeconfig';
import type { KubeClientFactory } from '../kube/kubeClient';
import { podOwnerKinds, resourceKindOf } from '../kube/resourceKinds';
import { errorNode, loadResourceNodes, type ClusterNode } from './clusterNodes';

/** The state of one container, from the pod's status (what `kubectl describe pod` shows). */
export interface ContainerState {
  readonly phase: 'running' | 'waiting' | 'terminated' | 'unknown';
  /** Waiting or terminated reason (`CrashLoopBackOff`, `Completed`, `OOMKilled`, …). */
  readonly reason?: string;
  readonly message?: string;
  readonly exitCode?: number;
  readonly ready: boolean;
  readonly restarts: number;
  /** Reason of the previous termination (`lastState.terminated.reason`, e.g. `OOMKilled`). */
  readonly lastTerminationReason?: string;
  readonly lastExitCode?: number;
  readonly startedAt?: string;
}

type Json = Record<string, unknown>;
const rec = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const recs = (v: unknown): Json[] => (Array.isArray(v) ? v.map(rec) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/**
 * A label selector (`app=web,tier in (a,b),!legacy`) from a LabelSelector object; undefined when it selects
 * nothing specific (an empty selector must never become "every pod of the namespace").
 */
export function formatLabelSelector(selector: unknown): string | undefined {
  const s = rec(selector);
  const parts = Object.entries(rec(s.matchLabels)).map(([k, v]) => `${k}=${String(v)}`);
  for (const e of recs(s.matchExpressions)) {
    const key = str(e.key);
    if (!key) continue;
    const values = Array.isArray(e.values) ? e.values.map(String).join(',') : '';
    switch (e.operator) {
      case 'In':
        parts.push(`${key} in (${values})`);
        break;
      case 'NotIn':
        parts.push(`${key} notin (${values})`);
        break;
      case 'Exists':
        parts.push(key);
        break;
      case 'DoesNotExist':
        parts.push(`!${key}`);
        break;
      default:
        break;
    }
  }
  return parts.length > 0 ? parts.join(',') : undefined;
}

/** The pods a workload object selects: its spec.selector; a Job without one uses the job-name label. */
export function podSelectorOf(kind: string, obj: Json): string | undefined {
  const selector = formatLabelSelector(rec(obj.spec).selector);
  if (selector) return selector;
  const name = str(rec(obj.metadata).name);
  return kind === 'Job' && name ? `batch.kubernetes.io/job-name=${name}` : undefined;
}

function stateOf(status: Json | undefined): ContainerState {
  const state = rec(status?.state);
  const last = rec(rec(status?.lastState).terminated);
  const common = {
    ready: status?.ready === true,
    restarts: num(status?.restartCount) ?? 0,
    ...(str(last.reason) ? { lastTerminationReason: str(last.reason) } : {}),
    ...(num(last.exitCode) !== undefined ? { lastExitCode: num(last.exitCode) } : {}),
  };
  if (state.running) {
    const startedAt = str(rec(state.running).startedAt);
    return { phase: 'running', ...common, ...(startedAt ? { startedAt } : {}) };
  }
  if (state.waiting) {
    const w = rec(state.waiting);
    return {
      phase: 'waiting',
      ...common,
      ...(str(w.reason) ? { reason: str(w.reason) } : {}),
      ...(str(w.message) ? { message: str(w.message) } : {}),
    };
  }
  if (state.terminated) {
    const t = rec(state.terminated);
    return {
      phase: 'terminated',
      ...common,
      ...(str(t.reason) ? { reason: str(t.reason) } : {}),
      ...(str(t.message) ? { message: str(t.message) } : {}),
      ...(num(t.exitCode) !== undefined ? { exitCode: num(t.exitCode) } : {}),
    };
  }
  return { phase: 'unknown', ...common };
}

/** The init containers, then the containers of a pod object, each with its state. */
export function containerNodesOf(contextName: string, parentId: string, pod: Json): ClusterNode[] {
  const meta = rec(pod.metadata);
  const spec = rec(pod.spec);
  const status = rec(pod.status);
  const podName = str(meta.name) ?? '';
  const namespace = str(meta.namespace) ?? '';
  const build = (specs: Json[], statuses: Json[], init: boolean): ClusterNode[] =>
    specs.map((c) => {
      const name = str(c.name) ?? '';
      return {
        kind: 'container',
        id: `ctr:${parentId}:${init ? 'init:' : ''}${name}`,
        contextName,
        namespace,
        podName,
        name,
        init,
        image: str(c.image) ?? '',
        state: stateOf(statuses.find((s) => s.name === name)),
      };
    });
  return [
    ...build(recs(spec.initContainers), recs(status.initContainerStatuses), true),
    ...build(recs(spec.containers), recs(status.containerStatuses), false),
  ];
}

/** True for items that open: pods (containers) and workloads (their pods). */
export function hasChildren(node: ClusterNode): boolean {
  return node.kind === 'resource' && (node.resource.kind === 'Pod' || podOwnerKinds.has(node.resource.kind)) && !!node.namespace;
}

/**
 * The children of a workload or pod item. Reads the object once (its selector, or its containers), then lists
 * the selected pods as a Table page (with "Load more"). A Deployment also gets a "ReplicaSets" folder, listed
 * only when expanded. Failures become one message node.
 */
export async function loadWorkloadChildren(
  config: MergedKubeconfig,
  node: Extract<ClusterNode, { kind: 'resource' }>,
  factory: KubeClientFactory,
  options: { signal: AbortSignal; pageSize: number; access?: AccessReviewCache },
): Promise<ClusterNode[]> {
  const { contextName, namespace, resource } = node;
  try {
    const client = await factory.createClient(resolveContext(config, contextName));
    const obj = await client.getObject(resource, namespace, node.name, { signal: options.signal });
    if (resource.kind === 'Pod') {
      const containers = containerNodesOf(contextName, node.id, obj);
      return containers.length > 0 ? containers : [{ kind: 'message', id: `empty:${node.id}`, severity: 'info', text: 'No containers' }];
    }
    const selector = podSelectorOf(resource.kind, obj);
    if (!selector)
      return [{ kind: 'message', id: `noselector:${node.id}`, severity: 'info', text: `${resource.kind} has no pod selector` }];
    const pods = resourceKindOf('pods', '');
    const replicaSets = resourceKindOf('replicasets', 'apps');
    if (!pods || !replicaSets) return [];
    const podNodes = await loadResourceNodes(
      config,
      { kind: 'resourceFolder', id: node.id, contextName, ...(namespace ? { namespace } : {}), resource: pods, labelSelector: selector },
      factory,
      options,
    );
    const rsFolder: ClusterNode[] =
      resource.kind === 'Deployment'
        ? [
            {
              kind: 'resourceFolder',
              id: `rs:${node.id}`,
              contextName,
              ...(namespace ? { namespace } : {}),
              resource: replicaSets,
              labelSelector: selector,
              label: 'ReplicaSets',
            },
          ]
        : [];
    return [...rsFolder, ...podNodes];
  } catch (e) {
    if (isCancellation(e)) throw e;
    return [{ ...errorNode(contextName, e), id: `err:${node.id}` }];
  }
}
