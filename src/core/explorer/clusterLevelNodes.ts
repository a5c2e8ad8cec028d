// The level right under a context: the "Cluster" group (Nodes with capacity and usage, Namespaces,
// PersistentVolumes, StorageClasses, CRDs, Events), the optional "All namespaces" node, the namespaces (or,
// when listing them is forbidden, the context's namespace plus a configured list), and per namespace the
// "Custom Resources" category built from the cluster's CRDs.
import { isCancellation } from '../errors';
import type { AccessReviewCache } from '../kube/accessReviews';
import { resolveContext, type MergedKubeconfig } from '../kube/kubeconfig';
import type { KubeClientFactory } from '../kube/kubeClient';
import { listAllObjects } from '../kube/listAllPages';
import { cpuMillicores, memoryBytes } from '../kube/quantity';
import { clusterKinds, nodeMetricsKind, rememberCustomKind, rk, type ResourceKind } from '../kube/resourceKinds';
import { errorNode, loadNamespaceNodes, type ClusterNode } from './clusterNodes';

type Json = Record<string, unknown>;
const rec = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const recs = (v: unknown): Json[] => (Array.isArray(v) ? v.map(rec) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export interface ContextChildOptions {
  readonly signal: AbortSignal;
  readonly pageSize: number;
  /** The "All namespaces" toggle of this context is on. */
  readonly allNamespaces?: boolean;
  /** Namespaces to show when listing namespaces is forbidden (setting `clusterdeck.explorer.namespaces`). */
  readonly fallbackNamespaces?: readonly string[];
  /** Receives the namespace list's resourceVersion (where a watch of the namespaces can start). */
  readonly onResourceVersion?: (resourceVersion: string | undefined) => void;
}

/**
 * The children of a context: "Cluster", "All namespaces" (when toggled on), then a page of namespaces with the
 * context's namespace first. A 403 on listing namespaces falls back to the context's namespace and the
 * configured ones, with an info item saying why. Other failures stay one error item (no extra folders).
 */
export async function loadContextChildren(
  config: MergedKubeconfig,
  contextName: string,
  factory: KubeClientFactory,
  options: ContextChildOptions,
): Promise<ClusterNode[]> {
  let namespaces = await loadNamespaceNodes(config, contextName, factory, options);
  const only = namespaces.length === 1 ? namespaces[0] : undefined;
  if (only?.kind === 'message' && only.reason === 'forbidden') {
    const own = resolveContext(config, contextName).context.namespace ?? 'default';
    // The setting is user input: only non-empty strings count.
    const configured = Array.isArray(options.fallbackNamespaces) ? options.fallbackNamespaces : [];
    const names = [...new Set([own, ...configured.filter((n): n is string => typeof n === 'string' && n !== '')])];
    namespaces = [
      {
        kind: 'message',
        id: `nsfallback:${contextName}`,
        severity: 'info',
        text: `Cannot list namespaces here (403): showing ${names.map((n) => `"${n}"`).join(', ')}`,
        detail: `${only.text} Showing the context's namespace and the ones set for "${contextName}" in clusterdeck.explorer.namespaces.`,
        action: { command: 'workbench.action.openSettings', title: 'Open Settings', args: ['clusterdeck.explorer.namespaces'] },
      },
      ...names.map((name): ClusterNode => ({ kind: 'namespace', id: `ns:${contextName}:${name}`, contextName, name })),
    ];
  } else if (only?.kind === 'message' && only.reason !== undefined) {
    // Unreachable, unauthorized, awaiting approval…: the one item explains it; no folders beside it.
    return namespaces;
  }
  return [
    { kind: 'clusterGroup', id: `cluster:${contextName}`, contextName },
    ...(options.allNamespaces ? [{ kind: 'allNamespaces', id: `allns:${contextName}`, contextName } as const] : []),
    ...namespaces,
  ];
}

/** The folders of a context's "Cluster" group. */
export function clusterFolderNodes(contextName: string): ClusterNode[] {
  return clusterKinds.map((resource) => ({
    kind: 'resourceFolder',
    id: `res:${contextName}:cluster:${resource.group}/${resource.plural}`,
    contextName,
    resource,
  }));
}

function percent(used: number | undefined, of: number | undefined): string {
  return used !== undefined && of ? ` (${Math.round((used / of) * 100)}%)` : '';
}

function formatCpu(m: number | undefined): string {
  if (m === undefined) return '?';
  return m >= 1000 && m % 1000 === 0 ? `${m / 1000}` : `${Math.round(m)}m`;
}

function formatBytes(b: number | undefined): string {
  if (b === undefined) return '?';
  const gi = b / 1024 ** 3;
  return gi >= 1 ? `${gi.toFixed(1)}Gi` : `${Math.round(b / 1024 ** 2)}Mi`;
}

/**
 * The Nodes folder: one page of nodes read whole (capacity, allocatable, conditions, roles, version) plus their
 * usage from metrics.k8s.io when metrics-server answers (a 404 or 403 there only drops the usage).
 */
export async function loadNodeNodes(
  config: MergedKubeconfig,
  folder: Extract<ClusterNode, { kind: 'resourceFolder' }>,
  factory: KubeClientFactory,
  options: { signal: AbortSignal; pageSize: number; access?: AccessReviewCache },
): Promise<ClusterNode[]> {
  const { contextName, resource } = folder;
  try {
    const client = await factory.createClient(resolveContext(config, contextName));
    const [page, metrics, permissions] = await Promise.all([
      client.listObjects(resource, undefined, { signal: options.signal, limit: options.pageSize }),
      client.listObjects(nodeMetricsKind, undefined, { signal: options.signal }).catch((e: unknown) => {
        if (isCancellation(e)) throw e;
        return undefined;
      }),
      options.access?.permissionsFor(client, contextName, resource, undefined, options.signal),
    ]);
    const usage = new Map<string, { cpu?: number; memory?: number }>();
    for (const m of metrics?.items ?? []) {
      const u = rec(m.usage);
      const cpu = cpuMillicores(u.cpu);
      const memory = memoryBytes(u.memory);
      usage.set(str(rec(m.metadata).name), { ...(cpu !== undefined ? { cpu } : {}), ...(memory !== undefined ? { memory } : {}) });
    }
    const nodes: ClusterNode[] = page.items.map((n) => {
      const meta = rec(n.metadata);
      const status = rec(n.status);
      const name = str(meta.name);
      const conditions = recs(status.conditions);
      const ready = conditions.find((c) => c.type === 'Ready');
      const state = ready?.status === 'True' ? 'Ready' : ready ? 'NotReady' : 'Unknown';
      const unschedulable = rec(n.spec).unschedulable === true;
      const capacity = rec(status.capacity);
      const allocatable = rec(status.allocatable);
      const used = usage.get(name);
      const cpuAlloc = cpuMillicores(allocatable.cpu);
      const memAlloc = memoryBytes(allocatable.memory);
      const roles =
        Object.keys(rec(meta.labels))
          .filter((k) => k.startsWith('node-role.kubernetes.io/'))
          .map((k) => k.slice('node-role.kubernetes.io/'.length))
          .join(',') || '<none>';
      const cells: Record<string, string> = {
        Status: `${state}${unschedulable ? ',SchedulingDisabled' : ''}`,
        Roles: roles,
        Version: str(rec(status.nodeInfo).kubeletVersion),
        Capacity: `cpu ${str(capacity.cpu)}, memory ${formatBytes(memoryBytes(capacity.memory))}, pods ${str(capacity.pods)}`,
        Allocatable: `cpu ${formatCpu(cpuAlloc)}, memory ${formatBytes(memAlloc)}, pods ${str(allocatable.pods)}`,
        ...(used
          ? {
              CPU: `${formatCpu(used.cpu)}/${formatCpu(cpuAlloc)}${percent(used.cpu, cpuAlloc)}`,
              Memory: `${formatBytes(used.memory)}/${formatBytes(memAlloc)}${percent(used.memory, memAlloc)}`,
            }
          : { Usage: metrics ? 'no metrics for this node' : 'metrics-server not available' }),
      };
      return {
        kind: 'resource',
        id: `obj:${folder.id}::${name}`,
        contextName,
        resource,
        name,
        cells,
        details: conditions.map(
          (c) => `${str(c.type)}: ${str(c.status)}${c.reason ? ` (${str(c.reason)})` : ''}${c.message ? ` — ${str(c.message)}` : ''}`,
        ),
        ...(permissions ? { permissions } : {}),
      };
    });
    if (nodes.length === 0) nodes.push({ kind: 'message', id: `empty:${folder.id}`, severity: 'info', text: 'No Nodes' });
    return nodes;
  } catch (e) {
    if (isCancellation(e)) throw e;
    return [{ ...errorNode(contextName, e), id: `err:${folder.id}` }];
  }
}

/** The CRD kind's served (storage first) version and names, when it is namespaced. */
export function customKindOf(crd: Json): ResourceKind | undefined {
  const spec = rec(crd.spec);
  const names = rec(spec.names);
  if (spec.scope !== 'Namespaced' || !str(names.kind) || !str(names.plural) || !str(spec.group)) return undefined;
  const versions = recs(spec.versions).filter((v) => v.served !== false);
  const version = versions.find((v) => v.storage === true) ?? versions[0];
  if (!version) return undefined;
  return rk(str(names.kind), str(names.plural), str(spec.group), str(version.name), `${str(names.kind)} (${str(spec.group)})`);
}

/**
 * The "Custom Resources" category of a namespace ('' = all namespaces): one folder per namespaced CRD of the
 * cluster (apiextensions.k8s.io/v1), sorted by group then kind; each folder lists its instances as a Table.
 */
export async function loadCustomResourceFolders(
  config: MergedKubeconfig,
  category: Extract<ClusterNode, { kind: 'category' }>,
  factory: KubeClientFactory,
  options: { signal: AbortSignal },
): Promise<ClusterNode[]> {
  const { contextName, namespace } = category;
  const crdKind = clusterKinds.find((k) => k.kind === 'CustomResourceDefinition');
  if (!crdKind) return [];
  try {
    const client = await factory.createClient(resolveContext(config, contextName));
    // CRDs carry their schemas: bounded pages, at most 2,000 definitions.
    const crds: Json[] = (await listAllObjects(client, crdKind, undefined, { signal: options.signal, maxItems: 2000 })).items;
    const kinds = crds
      .map(customKindOf)
      .filter((k): k is ResourceKind => k !== undefined)
      .sort((a, b) => a.group.localeCompare(b.group) || a.kind.localeCompare(b.kind));
    if (kinds.length === 0)
      return [{ kind: 'message', id: `empty:${category.id}`, severity: 'info', text: 'No namespaced custom resources' }];
    return kinds.map((resource) => {
      rememberCustomKind(resource);
      return {
        kind: 'resourceFolder',
        id: `res:${contextName}:${namespace || '*'}:${resource.group}/${resource.plural}`,
        contextName,
        ...(namespace ? { namespace } : {}),
        resource,
      };
    });
  } catch (e) {
    if (isCancellation(e)) throw e;
    return [{ ...errorNode(contextName, e), id: `err:${category.id}` }];
  }
}
