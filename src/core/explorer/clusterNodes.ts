import { ClusterDeckError, isCancellation, type FailureReason } from '../errors';
import { detectProvider, type ProviderKind } from '../kube/detectProvider';
import { currentContextState, problemLocation, resolveContext, shadowedDefinitions, type MergedKubeconfig } from '../kube/kubeconfig';
import type { AccessReviewCache, Permissions } from '../kube/accessReviews';
import type { KubeClientFactory } from '../kube/kubeClient';
import { pageOrRestart } from '../kube/listAllPages';
import { groupVersionOf, servedKind } from '../kube/servedKinds';
import { namespaceCategories, type ResourceKind } from '../kube/resourceKinds';
import type { ContainerState } from './workloadChildren';

/** A command a message node offers (run by the host when the item is clicked). */
export interface NodeAction {
  readonly command: string;
  readonly title: string;
  readonly args: readonly string[];
}

/** The plain data behind every item of the Clusters view. `id`s are stable so expansion survives refresh. */
export type ClusterNode =
  | {
      readonly kind: 'context';
      readonly id: string;
      readonly contextName: string;
      readonly provider: ProviderKind;
      readonly isCurrent: boolean;
      readonly server: string;
      readonly namespace?: string;
      readonly sourcePath: string;
      readonly insecure: boolean;
      /**
       * Definitions of this context, or of the cluster or user it uses, that later files repeat and kubectl ignores
       * (B05), one sentence each: `Cluster "c" in /k/b.yaml is shadowed by /k/a.yaml.` Absent: none.
       */
      readonly shadowed?: readonly string[];
    }
  | { readonly kind: 'namespace'; readonly id: string; readonly contextName: string; readonly name: string; readonly phase?: string }
  /** `namespace` '' = all namespaces (the "All namespaces" node's categories). */
  | { readonly kind: 'category'; readonly id: string; readonly contextName: string; readonly namespace: string; readonly name: string }
  | {
      readonly kind: 'resourceFolder';
      readonly id: string;
      readonly contextName: string;
      /** Undefined: cluster-scoped, or the kind across all namespaces. */
      readonly namespace?: string;
      readonly resource: ResourceKind;
      /** Only the objects this label selector matches (a Deployment's ReplicaSets). */
      readonly labelSelector?: string;
      /** Tree label instead of `resource.label`. */
      readonly label?: string;
    }
  /** A context's cluster-level folders (Nodes, Namespaces, PersistentVolumes, StorageClasses, CRDs, Events). */
  | { readonly kind: 'clusterGroup'; readonly id: string; readonly contextName: string }
  /** The categories across all namespaces (shown while the context's "All namespaces" toggle is on). */
  | { readonly kind: 'allNamespaces'; readonly id: string; readonly contextName: string }
  /** A container (or init container) of a pod with its state. */
  | {
      readonly kind: 'container';
      readonly id: string;
      readonly contextName: string;
      readonly namespace: string;
      readonly podName: string;
      readonly name: string;
      readonly init: boolean;
      readonly image: string;
      readonly state: ContainerState;
    }
  | {
      readonly kind: 'resource';
      readonly id: string;
      readonly contextName: string;
      readonly namespace?: string;
      readonly resource: ResourceKind;
      readonly name: string;
      /** Printed columns of the server-side Table (`Ready`, `Status`, `Restarts`, `Age`, …). */
      readonly cells: Readonly<Record<string, string>>;
      /** What the user may do (SelfSubjectAccessReview of the folder); absent = not asked (allowed). */
      readonly permissions?: Permissions;
      /** Extra tooltip lines (a node's conditions). */
      readonly details?: readonly string[];
      /** Listed across namespaces: the item shows its namespace. */
      readonly showNamespace?: boolean;
    }
  | {
      readonly kind: 'loadMore';
      readonly id: string;
      readonly contextName: string;
      readonly continueToken: string;
      readonly loaded: number;
      /** The node whose children this continues (a context for namespaces, a resource folder for objects). */
      readonly parentId: string;
      readonly namespace?: string;
      readonly resource?: ResourceKind;
      readonly labelSelector?: string;
    }
  | {
      readonly kind: 'message';
      readonly id: string;
      readonly severity: 'error' | 'warning' | 'info';
      readonly text: string;
      readonly detail?: string;
      readonly reason?: FailureReason;
      readonly action?: NodeAction;
    };

/** Paging of a lazy load; `onResourceVersion` receives the list's resourceVersion (where a watch can start). */
export interface LoadOptions {
  readonly signal: AbortSignal;
  readonly pageSize: number;
  readonly continueToken?: string;
  readonly alreadyLoaded?: number;
  readonly onResourceVersion?: (resourceVersion: string | undefined) => void;
  /**
   * The server expired `continueToken` (410): the nodes returned are the list again from its beginning (as many as
   * were loaded plus a page), to replace the loaded ones rather than be appended (catalogue B49).
   */
  readonly onRestart?: () => void;
}

/** The command that asks for (or clears) the Clusters view's context filter. */
export const filterContextsCommand = 'clusterdeck.clusters.filter';

/**
 * The top level narrowed to the contexts whose name, server or namespace contains `query` (case-insensitive), for
 * kubeconfigs with hundreds or thousands of contexts (B17). Message nodes (broken files, a missing current-context)
 * always stay. A non-empty query adds a first info node saying how many match, which clears the filter when clicked.
 * Linear in the number of nodes: nothing is loaded, nothing is contacted.
 */
export function filterContextNodes(nodes: readonly ClusterNode[], query: string): ClusterNode[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...nodes];
  const contexts = nodes.filter((n) => n.kind === 'context');
  const kept = nodes.filter(
    (n) =>
      n.kind !== 'context' ||
      n.contextName.toLowerCase().includes(q) ||
      n.server.toLowerCase().includes(q) ||
      (n.namespace ?? '').toLowerCase().includes(q),
  );
  const matching = kept.filter((n) => n.kind === 'context').length;
  return [
    {
      kind: 'message',
      id: 'filter:contexts',
      severity: 'info',
      text: `Filter "${query.trim()}": ${matching} of ${contexts.length} contexts`,
      detail: 'Only contexts whose name, server or namespace contains the text are shown. Click to change or clear the filter.',
      action: { command: filterContextsCommand, title: 'Filter Contexts…', args: [] },
    },
    ...kept,
  ];
}

/** The command that asks which context to make current (a QuickPick when called without a node). */
export const chooseContextCommand = 'clusterdeck.context.setCurrent';

/** Top level: one node per context, current context first marked, then one error node per broken file. */
export function buildContextNodes(config: MergedKubeconfig): ClusterNode[] {
  const nodes: ClusterNode[] = config.contexts.map((c) => {
    const cluster = config.clusters.get(c.clusterName);
    return {
      kind: 'context',
      id: `ctx:${c.name}`,
      contextName: c.name,
      provider: detectProvider(c, cluster, config.users.get(c.userName)),
      isCurrent: c.name === config.currentContext,
      server: cluster?.server ?? '',
      ...(c.namespace ? { namespace: c.namespace } : {}),
      sourcePath: c.sourcePath,
      insecure: cluster?.insecureSkipTlsVerify ?? false,
      ...shadowNotes(config, c.name, c.clusterName, c.userName),
    };
  });
  const current = currentContextState(config);
  if (current.kind === 'missing') {
    // B08: kubectl would fail every command; we activate nothing and offer the context picker instead.
    nodes.unshift({
      kind: 'message',
      id: 'current-context:missing',
      severity: 'warning',
      text: `current-context "${current.name}" names no context: choose one`,
      detail: `No kubeconfig file defines the context "${current.name}", so no context is active and nothing is contacted. Click to choose the current context.`,
      reason: 'badConfig',
      action: { command: chooseContextCommand, title: 'Choose Context…', args: [] },
    });
  }
  config.problems.forEach((p, i) => {
    nodes.push({
      kind: 'message',
      id: `problem:${i}:${p.path}`,
      severity: p.severity ?? 'error',
      text: `${problemLocation(p, basename(p.path))}: ${p.message}`,
      detail: problemLocation(p),
      reason: 'badConfig',
      action: {
        command: 'clusterdeck.kubeconfig.open',
        title: 'Open File',
        args: [p.path, String(p.line ?? 1), ...(p.column === undefined ? [] : [String(p.column)])],
      },
    });
  });
  return nodes;
}

const shadowKinds = { context: 'Context', cluster: 'Cluster', user: 'User' } as const;

/** "shadowed by <file>" sentences for a context's own name, its cluster and its user (first file wins, as kubectl). */
function shadowNotes(config: MergedKubeconfig, contextName: string, clusterName: string, userName: string): { shadowed?: string[] } {
  if (!config.shadowed?.length) return {};
  const notes = [
    ...shadowedDefinitions(config, 'context', contextName),
    ...shadowedDefinitions(config, 'cluster', clusterName),
    ...(userName ? shadowedDefinitions(config, 'user', userName) : []),
  ].map((s) => `${shadowKinds[s.kind]} "${s.name}" in ${s.path} is shadowed by ${s.shadowedBy}.`);
  return notes.length ? { shadowed: notes } : {};
}

/**
 * The children of a context: a page of namespaces (plus "Load more" when the server has more), or one
 * message node explaining why they cannot be listed. Cancellation propagates; every other failure becomes a
 * node, so one broken cluster never breaks the view.
 */
export async function loadNamespaceNodes(
  config: MergedKubeconfig,
  contextName: string,
  factory: KubeClientFactory,
  options: LoadOptions,
): Promise<ClusterNode[]> {
  try {
    const resolved = resolveContext(config, contextName);
    const client = await factory.createClient(resolved);
    let restarted = false;
    const page = await pageOrRestart(
      (continueToken, limit) => client.listNamespaces({ signal: options.signal, limit, ...(continueToken ? { continueToken } : {}) }),
      options.continueToken,
      options.pageSize,
      (options.alreadyLoaded ?? 0) + options.pageSize,
      () => {
        restarted = true;
        options.onRestart?.();
      },
    );
    options.onResourceVersion?.(page.resourceVersion);
    const loaded = (restarted ? 0 : (options.alreadyLoaded ?? 0)) + page.items.length;
    // The context's own namespace first, the rest in server order (alphabetical on a real API server).
    const items = [...page.items].sort(
      (a, b) => Number(b.name === resolved.context.namespace) - Number(a.name === resolved.context.namespace),
    );
    const nodes: ClusterNode[] = items.map((ns) => ({
      kind: 'namespace',
      id: `ns:${contextName}:${ns.name}`,
      contextName,
      name: ns.name,
      ...(ns.phase ? { phase: ns.phase } : {}),
    }));
    if (page.continueToken) {
      nodes.push({
        kind: 'loadMore',
        id: `more:${contextName}:${loaded}`,
        contextName,
        continueToken: page.continueToken,
        loaded,
        parentId: `ctx:${contextName}`,
      });
    }
    if (nodes.length === 0 && (!options.continueToken || restarted)) {
      nodes.push({ kind: 'message', id: `empty:${contextName}`, severity: 'info', text: 'No namespaces' });
    }
    return nodes;
  } catch (e) {
    if (isCancellation(e)) throw e;
    return [errorNode(contextName, e)];
  }
}

/** Name of the per-namespace category that lists the namespaced CRDs (children loaded from the API). */
export const customResourcesCategory = 'Custom Resources';

/**
 * The categories of a namespace (Workloads, Network, Config, Storage, Autoscaling, Access, Custom Resources);
 * `namespace` '' gives the categories across all namespaces.
 */
export function categoryNodes(contextName: string, namespace: string): ClusterNode[] {
  return [...namespaceCategories.map((c) => c.name), customResourcesCategory].map((name) => ({
    kind: 'category',
    id: `cat:${contextName}:${namespace || '*'}:${name}`,
    contextName,
    namespace,
    name,
  }));
}

/** The resource folders of a category ("Deployments", "Pods", …). */
export function resourceFolderNodes(contextName: string, namespace: string, category: string): ClusterNode[] {
  const kinds = namespaceCategories.find((c) => c.name === category)?.kinds ?? [];
  return kinds.map((resource) => ({
    kind: 'resourceFolder',
    id: `res:${contextName}:${namespace || '*'}:${resource.group}/${resource.plural}`,
    contextName,
    ...(namespace ? { namespace } : {}),
    resource,
  }));
}

/**
 * A page of the objects of a resource folder, from a server-side Table (only printed columns travel), plus
 * "Load more" when the server has more. Failures become one message node on the folder (a 403 quotes the verb,
 * resource and namespace).
 */
export async function loadResourceNodes(
  config: MergedKubeconfig,
  folder: Extract<ClusterNode, { kind: 'resourceFolder' }>,
  factory: KubeClientFactory,
  options: LoadOptions & {
    /** Asks SelfSubjectAccessReviews once per folder (cached) and puts the answers on the items. */
    access?: AccessReviewCache;
  },
): Promise<ClusterNode[]> {
  const { contextName, namespace, labelSelector } = folder;
  // The catalogue's version, or the one an older cluster serves instead (found through discovery after a 404, B51).
  let resource = folder.resource;
  try {
    const client = await factory.createClient(resolveContext(config, contextName));
    let restarted = false;
    const permissionsLoad = options.access?.permissionsFor(client, contextName, resource, namespace, options.signal);
    permissionsLoad?.catch(() => undefined); // awaited below; an early return must not leave it unhandled
    const listPage = () =>
      pageOrRestart(
        (continueToken, limit) =>
          client.listTable(resource, namespace, {
            signal: options.signal,
            limit,
            ...(continueToken ? { continueToken } : {}),
            ...(labelSelector ? { labelSelector } : {}),
          }),
        options.continueToken,
        options.pageSize,
        (options.alreadyLoaded ?? 0) + options.pageSize,
        () => {
          restarted = true;
          options.onRestart?.();
        },
      );
    let page: Awaited<ReturnType<typeof listPage>>;
    try {
      page = await listPage();
    } catch (e) {
      if (!(e instanceof ClusterDeckError && e.reason === 'notFound') || options.continueToken) throw e;
      const served = await servedKind(client, resource, { signal: options.signal });
      if (!served)
        return [
          {
            kind: 'message',
            id: `absent:${folder.id}`,
            severity: 'info',
            text: `This cluster does not serve ${resource.label} (${groupVersionOf(resource)} or an older version)`,
          },
        ];
      if (served.version === resource.version) throw e;
      resource = served;
      page = await listPage();
    }
    const permissions = await permissionsLoad;
    options.onResourceVersion?.(page.resourceVersion);
    const loaded = (restarted ? 0 : (options.alreadyLoaded ?? 0)) + page.items.length;
    const nodes: ClusterNode[] = page.items.map((row, i) => ({
      kind: 'resource',
      // Under the folder's id: the same object can show in several places (a namespace, All namespaces, a Deployment).
      id: `obj:${folder.id}:${row.namespace ?? ''}:${row.name || `#${loaded - page.items.length + i}`}`,
      contextName,
      ...(row.namespace ? { namespace: row.namespace } : {}),
      resource,
      name: row.name,
      cells: row.cells,
      ...(permissions ? { permissions } : {}),
      ...(!namespace && row.namespace ? { showNamespace: true } : {}),
    }));
    if (page.continueToken) {
      nodes.push({
        kind: 'loadMore',
        id: `more:${folder.id}:${loaded}`,
        contextName,
        continueToken: page.continueToken,
        loaded,
        parentId: folder.id,
        ...(namespace ? { namespace } : {}),
        resource,
        ...(labelSelector ? { labelSelector } : {}),
      });
    }
    if (nodes.length === 0 && (!options.continueToken || restarted))
      nodes.push({ kind: 'message', id: `empty:${folder.id}`, severity: 'info', text: `No ${resource.label}` });
    return nodes;
  } catch (e) {
    if (isCancellation(e)) throw e;
    return [{ ...errorNode(contextName, e), id: `err:${folder.id}` }];
  }
}

/** One message node for a failure, with the next step as its action where there is one. */
export function errorNode(contextName: string, e: unknown): ClusterNode {
  const err =
    e instanceof ClusterDeckError ? e : new ClusterDeckError('unknown', `Unexpected error: ${String((e as Error)?.message ?? e)}`);
  const action = actionFor(contextName, err);
  return {
    kind: 'message',
    id: `err:${contextName}`,
    severity: err.reason === 'untrusted' || err.reason === 'needsApproval' ? 'warning' : 'error',
    text: err.message,
    ...(err.detail.output?.length ? { detail: err.detail.output.join('\n') } : {}),
    reason: err.reason,
    ...(action ? { action } : {}),
  };
}

function actionFor(contextName: string, err: ClusterDeckError): NodeAction | undefined {
  switch (err.reason) {
    case 'needsApproval':
      return { command: 'clusterdeck.auth.approveExec', title: 'Review and Approve…', args: [contextName] };
    case 'untrusted':
      return { command: 'workbench.trust.manage', title: 'Manage Workspace Trust', args: [] };
    case 'tls':
      // A plain-http context the user has not allowed (B14): the setting is the next step.
      return err.detail.setting
        ? { command: 'workbench.action.openSettings', title: 'Open Settings', args: [err.detail.setting] }
        : { command: 'clusterdeck.clusters.refresh', title: 'Retry', args: [] };
    case 'badConfig':
      return err.detail.file
        ? { command: 'clusterdeck.kubeconfig.open', title: 'Open File', args: [err.detail.file, String(err.detail.line ?? 1)] }
        : undefined;
    default:
      return { command: 'clusterdeck.clusters.refresh', title: 'Retry', args: [] };
  }
}

function basename(p: string): string {
  return p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
}
