import * as vscode from 'vscode';
import { isCancellation } from '../../core/errors';
import {
  buildContextNodes,
  categoryNodes,
  filterContextNodes,
  errorNode,
  customResourcesCategory,
  loadNamespaceNodes,
  loadResourceNodes,
  resourceFolderNodes,
  type ClusterNode,
} from '../../core/explorer/clusterNodes';
import { clusterFolderNodes, loadContextChildren, loadCustomResourceFolders, loadNodeNodes } from '../../core/explorer/clusterLevelNodes';
import { hasChildren, loadWorkloadChildren } from '../../core/explorer/workloadChildren';
import { namespaceCoverage } from '../../core/velero/namespaceCoverage';
import type { LiveContainerUsage, LiveUsageResult } from '../../core/tuning/liveUsage';
import { usageByPod, usageByWorkload, type UsageFigures, type WorkloadUsageFigures } from '../../core/tuning/podUsage';
import type { HpaRowHints } from '../../core/tuning/hpaRowHints';
import type { BackupSummary, ScheduleSummary } from '../../core/velero/veleroModel';
import { folderIdOf, liveStoppedNode } from '../../core/explorer/liveTargets';
import { AccessReviewCache } from '../../core/kube/accessReviews';
import { problemLocation, resolveContext, type MergedKubeconfig } from '../../core/kube/kubeconfig';
import type { KubeClientFactory } from '../../core/kube/kubeClient';
import type { SignInState } from '../../core/kube/signInState';
import { commandIds } from '../commandIds';
import type { Log } from '../shared/log';
import { LiveUpdates } from './liveUpdates';
import { toTreeItem } from './toTreeItem';

export interface ClustersTreeDeps {
  readonly loadConfig: () => Promise<MergedKubeconfig>;
  readonly factory: KubeClientFactory;
  readonly log: Log;
  readonly pageSize: () => number;
  readonly extensionUri: vscode.Uri;
  /** Whether a context is in read-only mode (setting `clusterdeck.explorer.readOnlyContexts`). */
  readonly isReadOnly?: (contextName: string) => boolean;
  /** Namespaces to show when listing namespaces is forbidden (setting `clusterdeck.explorer.namespaces`). */
  readonly fallbackNamespaces?: (contextName: string) => readonly string[];
  /** Contexts whose credential plugin waits for a sign-in: their node shows "Sign-in required" (reliability B22). */
  readonly signIns?: SignInState;
  /** `clusterdeck.explorer.liveUpdates`: expanded lists follow watches (off when absent). */
  readonly liveUpdates?: () => boolean;
  /**
   * Velero's schedules and backups of a context, or undefined when Velero is not installed there: each namespace
   * then says whether a schedule covers it and when it was last backed up. Absent: no backup column.
   */
  /**
   * Live usage from metrics-server for the pods of a namespace (all when undefined): pods and containers then show
   * usage and % of request/limit. Absent: no usage column. Never invented: without metrics-server nothing is shown.
   */
  readonly podUsage?: (
    contextName: string,
    namespace: string | undefined,
    signal: AbortSignal,
  ) => Promise<LiveUsageResult<LiveContainerUsage>>;
  /** Static HPA hints (core/tuning/hpaTreeHints.ts) per `namespace/name`, shown on the Autoscaling folder's rows. */
  readonly hpaHints?: (contextName: string, namespace: string | undefined, signal: AbortSignal) => Promise<Map<string, HpaRowHints>>;
  readonly veleroCoverage?: (
    contextName: string,
    signal: AbortSignal,
  ) => Promise<{ readonly schedules: readonly ScheduleSummary[]; readonly backups: readonly BackupSummary[] } | undefined>;
}

/** Workload kinds whose rows show their pods' summed usage against the summed requests. */
const usageWorkloadKinds: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/**
 * The Clusters view. Holds plain ClusterNode data; children load lazily and are cached per node until a
 * refresh; failures become message nodes on the context they belong to; every load can be cancelled.
 */
export class ClustersTreeProvider implements vscode.TreeDataProvider<ClusterNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ClusterNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private config: Promise<MergedKubeconfig> | undefined;
  /** Top-level filter (B17: thousands of contexts); survives refreshes. */
  private contextFilter = '';
  private readonly children = new Map<string, ClusterNode[]>();
  private readonly inflight = new Set<AbortController>();
  /** Per context, the node instance VS Code last asked the children of (the one it holds). */
  private readonly expandedContexts = new Map<string, ClusterNode>();
  /** Contexts whose children VS Code is waiting for, and those to redraw once that load ends (sign-in state). */
  private readonly loadingContexts = new Set<string>();
  private readonly redrawAfterLoad = new Set<string>();
  /** SelfSubjectAccessReview answers (5 min), cleared on refresh. */
  readonly access = new AccessReviewCache();
  private readonly allNamespaces = new Set<string>();
  /** Read-only state per context, read once per redraw (getTreeItem runs for every item of a big list). */
  private readonly readOnlyMemo = new Map<string, boolean>();
  /** Live usage per context (`namespace/pod[/container]` → figures) and when each namespace was last read. */
  private readonly usage = new Map<string, Map<string, UsageFigures>>();
  /** Live usage per context of workloads (`namespace/Kind/name`), from the same reads as the pods'. */
  private readonly workloadUsage = new Map<string, Map<string, WorkloadUsageFigures>>();
  /** Per context: why there is no live usage (metrics-server missing, forbidden…), shown on the folders. */
  private readonly usageMissing = new Map<string, string>();
  private readonly usageReadAt = new Map<string, number>();
  /** Nodes waiting for a usage read in flight (key `context/namespace`). */
  private readonly usageWaiters = new Map<string, ClusterNode[]>();
  /** Static HPA hints per context (`namespace/name`). */
  private readonly hpaHints = new Map<string, Map<string, HpaRowHints>>();
  /** Velero data per context for the namespaces' backup state: undefined = not asked, null = no Velero / unreadable. */
  private readonly coverage = new Map<
    string,
    { readonly schedules: readonly ScheduleSummary[]; readonly backups: readonly BackupSummary[] } | null | 'loading'
  >();
  /** Watches of expanded contexts and folders (liveUpdates.ts), and the "live updates stopped" notes by node id. */
  readonly live: LiveUpdates;
  private readonly liveNotes = new Map<string, { node: ClusterNode; note: ClusterNode }>();
  /** The top-level nodes last handed to VS Code (a redraw must name the instance it holds). */
  private roots: ClusterNode[] | undefined;
  private readonly stopSignIns: (() => void) | undefined;

  constructor(private readonly deps: ClustersTreeDeps) {
    this.live = new LiveUpdates({
      enabled: deps.liveUpdates ?? (() => false),
      clientFor: async (contextName) => deps.factory.createClient(resolveContext(await this.currentConfig(), contextName)),
      reload: (node) => this.reloadInPlace(node),
      onStopped: (node, error) => {
        this.liveNotes.set(node.id, { node, note: liveStoppedNode(node.id, error) });
        this.changed.fire(node);
      },
      log: deps.log,
    });
    this.stopSignIns = deps.signIns?.onDidChange((contextName) => {
      // While VS Code waits for the context's children (the plugin waits for the user), redrawing the node makes
      // VS Code fail with "Element with id … is already registered"; the redraw waits for that load to end.
      if (this.loadingContexts.has(contextName)) this.redrawAfterLoad.add(contextName);
      else this.redrawContext(contextName);
    });
  }

  /** Redraws a context's node: only the instance VS Code holds (the one it last asked children of, still a root). */
  private redrawContext(contextName: string): void {
    const node = this.expandedContexts.get(contextName);
    if (node && this.roots?.includes(node)) this.changed.fire(node);
  }

  getTreeItem(node: ClusterNode): vscode.TreeItem {
    const contextName = 'contextName' in node ? node.contextName : undefined;
    const velero = node.kind === 'namespace' ? this.coverage.get(node.contextName) : undefined;
    const usage =
      node.kind === 'resource' && node.resource.kind === 'Pod'
        ? this.usage.get(node.contextName)?.get(`${node.namespace ?? ''}/${node.name}`)
        : node.kind === 'container'
          ? this.usage.get(node.contextName)?.get(`${node.namespace}/${node.podName}/${node.name}`)
          : undefined;
    const workloadUsage =
      node.kind === 'resource' && usageWorkloadKinds.has(node.resource.kind)
        ? this.workloadUsage.get(node.contextName)?.get(`${node.namespace ?? ''}/${node.resource.kind}/${node.name}`)
        : undefined;
    const hpaHints =
      node.kind === 'resource' && node.resource.kind === 'HorizontalPodAutoscaler'
        ? this.hpaHints.get(node.contextName)?.get(`${node.namespace ?? ''}/${node.name}`)
        : undefined;
    const usageMissing =
      node.kind === 'resourceFolder' && (node.resource.kind === 'Pod' || usageWorkloadKinds.has(node.resource.kind))
        ? this.usageMissing.get(node.contextName)
        : undefined;
    return toTreeItem(node, this.deps.extensionUri, {
      readOnly: contextName !== undefined && this.isReadOnly(contextName),
      allNamespaces: contextName !== undefined && this.allNamespaces.has(contextName),
      ...(node.kind === 'context' && this.deps.signIns?.get(node.contextName) ? { signIn: this.deps.signIns.get(node.contextName) } : {}),
      ...(node.kind === 'namespace' && velero && velero !== 'loading'
        ? { backupCoverage: namespaceCoverage(node.name, velero.schedules, velero.backups) }
        : {}),
      ...(usage ? { usage } : {}),
      ...(workloadUsage ? { workloadUsage } : {}),
      ...(hpaHints ? { hpaHints } : {}),
      ...(usageMissing ? { usageMissing } : {}),
    });
  }

  /** Re-reads a context's Velero schedules and backups (a backup finished) and redraws its namespaces. */
  refreshCoverage(contextName: string): void {
    if (!this.coverage.has(contextName)) return;
    this.coverage.delete(contextName);
    this.loadCoverage(contextName);
  }

  /**
   * Reads live usage of a namespace's pods (at most every 15 s: metrics-server's resolution) and redraws the pods,
   * containers and workloads shown. Without metrics the folder (`folder`) says what is missing and how to install it.
   */
  private loadUsage(contextName: string, namespace: string | undefined, shown: readonly ClusterNode[], folder?: ClusterNode): void {
    const source = this.deps.podUsage;
    if (!source) return;
    const key = `${contextName}/${namespace ?? '*'}`;
    const waiting = this.usageWaiters.get(key);
    if (waiting) {
      waiting.push(...shown, ...(folder ? [folder] : []));
      return;
    }
    const last = this.usageReadAt.get(key);
    if (last !== undefined && Date.now() - last < 15_000) return;
    this.usageReadAt.set(key, Date.now());
    const redraw: ClusterNode[] = [...shown, ...(folder ? [folder] : [])];
    this.usageWaiters.set(key, redraw);
    void this.withSignal((signal) => source(contextName, namespace, signal))
      .then((result) => {
        if (!result.available) {
          this.deps.log.info('explorer', `no live usage on ${contextName}: ${result.message}`);
          this.usageMissing.set(contextName, result.message);
          // Figures read before metrics went away would be stale: drop them.
          this.usage.delete(contextName);
          this.workloadUsage.delete(contextName);
          for (const n of redraw) this.changed.fire(n);
          return;
        }
        const hadMissing = this.usageMissing.delete(contextName);
        const figures = usageByPod(result.items);
        const workloads = usageByWorkload(result.items);
        this.usage.set(contextName, new Map([...(this.usage.get(contextName) ?? []), ...figures]));
        this.workloadUsage.set(contextName, new Map([...(this.workloadUsage.get(contextName) ?? []), ...workloads]));
        for (const n of redraw)
          if (
            (n.kind === 'resource' && figures.has(`${n.namespace ?? ''}/${n.name}`)) ||
            (n.kind === 'resource' && workloads.has(`${n.namespace ?? ''}/${n.resource.kind}/${n.name}`)) ||
            (n.kind === 'container' && figures.has(`${n.namespace}/${n.podName}/${n.name}`)) ||
            (n.kind === 'resourceFolder' && hadMissing)
          )
            this.changed.fire(n);
      })
      .catch((e: unknown) => {
        if (!isCancellation(e))
          this.deps.log.info('explorer', `live usage of ${contextName} unavailable: ${String((e as Error)?.message ?? e)}`);
      })
      .finally(() => this.usageWaiters.delete(key));
  }

  /** Reads the static HPA hints of the HPAs shown and redraws their rows. */
  private loadHpaHints(contextName: string, namespace: string | undefined, shown: readonly ClusterNode[]): void {
    const source = this.deps.hpaHints;
    if (!source || !shown.some((n) => n.kind === 'resource')) return;
    void this.withSignal((signal) => source(contextName, namespace, signal))
      .then((hints) => {
        this.hpaHints.set(contextName, new Map([...(this.hpaHints.get(contextName) ?? []), ...hints]));
        for (const n of shown) if (n.kind === 'resource' && hints.has(`${n.namespace ?? ''}/${n.name}`)) this.changed.fire(n);
      })
      .catch((e: unknown) => {
        if (!isCancellation(e))
          this.deps.log.info('explorer', `HPA hints of ${contextName} unavailable: ${String((e as Error)?.message ?? e)}`);
      });
  }

  private loadCoverage(contextName: string): void {
    const source = this.deps.veleroCoverage;
    if (!source || this.coverage.has(contextName)) return;
    this.coverage.set(contextName, 'loading');
    void this.withSignal((signal) => source(contextName, signal))
      .then((data) => data ?? null)
      .catch((e: unknown) => {
        if (!isCancellation(e))
          this.deps.log.info('explorer', `backup state of ${contextName}'s namespaces unavailable: ${String((e as Error)?.message ?? e)}`);
        return null;
      })
      .then((data) => {
        if (this.coverage.get(contextName) !== 'loading') return;
        this.coverage.set(contextName, data);
        if (data) for (const n of this.children.get(`ctx:${contextName}`) ?? []) if (n.kind === 'namespace') this.changed.fire(n);
      });
  }

  /** Turns a context's "All namespaces" node on or off; returns the new state. */
  toggleAllNamespaces(contextName: string): boolean {
    const on = !this.allNamespaces.has(contextName);
    if (on) this.allNamespaces.add(contextName);
    else this.allNamespaces.delete(contextName);
    this.children.delete(`ctx:${contextName}`);
    this.changed.fire(undefined);
    return on;
  }

  /** The Clusters view's context filter ('' = all contexts). */
  get filter(): string {
    return this.contextFilter;
  }

  /** Shows only the contexts matching `query` ('' shows all again); nothing is reloaded. */
  setFilter(query: string): void {
    this.contextFilter = query.trim();
    this.changed.fire(undefined);
  }

  /** Redraws the items (a setting such as read-only mode changed) without reloading anything. */
  redraw(): void {
    this.readOnlyMemo.clear();
    this.changed.fire(undefined);
  }

  private isReadOnly(contextName: string): boolean {
    let value = this.readOnlyMemo.get(contextName);
    if (value === undefined) {
      value = this.deps.isReadOnly?.(contextName) ?? false;
      this.readOnlyMemo.set(contextName, value);
    }
    return value;
  }

  async getChildren(node?: ClusterNode): Promise<ClusterNode[]> {
    if (!node) {
      const config = await this.currentConfig();
      await vscode.commands.executeCommand(
        'setContext',
        'clusterdeck.hasContexts',
        config.contexts.length > 0 || config.problems.length > 0,
      );
      this.roots = filterContextNodes(buildContextNodes(config), this.contextFilter);
      return this.roots;
    }
    if (node.kind === 'context') this.expandedContexts.set(node.contextName, node);
    if (node.kind === 'namespace') return categoryNodes(node.contextName, node.name);
    if (node.kind === 'allNamespaces') return categoryNodes(node.contextName, '');
    if (node.kind === 'clusterGroup') return clusterFolderNodes(node.contextName);
    if (node.kind === 'category' && node.name !== customResourcesCategory)
      return resourceFolderNodes(node.contextName, node.namespace, node.name);
    if (node.kind !== 'context' && node.kind !== 'resourceFolder' && node.kind !== 'category' && !hasChildren(node)) return [];
    const note = this.liveNotes.get(node.id)?.note;
    const cached = this.children.get(node.id);
    if (cached) {
      if (node.kind === 'context' || node.kind === 'resourceFolder') this.live.touch(node); // keeps the instance VS Code holds current
      return note ? [note, ...cached] : cached;
    }
    let resourceVersion: string | undefined;
    const loading = node.kind === 'context' ? node.contextName : undefined;
    if (loading !== undefined) this.loadingContexts.add(loading);
    let loaded: ClusterNode[];
    try {
      loaded = await this.withSignal((signal) => this.loadChildren(node, signal, this.deps.pageSize(), (rv) => (resourceVersion = rv)));
    } finally {
      if (loading !== undefined) {
        this.loadingContexts.delete(loading);
        // After VS Code has the children: the reply goes first, then the redraw (which reads them from the cache).
        if (this.redrawAfterLoad.delete(loading)) setTimeout(() => this.redrawContext(loading), 50);
      }
    }
    this.logFailures('contextName' in node ? node.contextName : '', loaded);
    this.children.set(node.id, loaded);
    if (node.kind === 'context' && loaded.some((n) => n.kind === 'namespace')) this.loadCoverage(node.contextName);
    // Contexts (their namespaces) and resource folders follow a watch from the list just shown.
    if (resourceVersion !== undefined && !note && (node.kind === 'context' || node.kind === 'resourceFolder'))
      this.live.follow(node, resourceVersion);
    return note ? [note, ...loaded] : loaded;
  }

  /** Replaces a "Load more" node with the next page of its parent (a context's namespaces or a folder's objects). */
  async loadMore(more: ClusterNode): Promise<void> {
    if (more.kind !== 'loadMore') return;
    const parentId = more.parentId;
    // An expired continue token (410): the list was read again from its beginning and replaces the rows shown.
    let restarted = false;
    const page = await this.withSignal((signal) =>
      this.currentConfig().then((config) => {
        const paging = {
          signal,
          pageSize: this.deps.pageSize(),
          continueToken: more.continueToken,
          alreadyLoaded: more.loaded,
          onRestart: () => (restarted = true),
        };
        return more.resource
          ? loadResourceNodes(
              config,
              {
                kind: 'resourceFolder',
                id: parentId,
                contextName: more.contextName,
                resource: more.resource,
                ...(more.namespace ? { namespace: more.namespace } : {}),
                ...(more.labelSelector ? { labelSelector: more.labelSelector } : {}),
              },
              this.deps.factory,
              { ...paging, access: this.access },
            )
          : loadNamespaceNodes(config, more.contextName, this.deps.factory, paging);
      }),
    );
    const existing = (this.children.get(parentId) ?? []).filter((n) =>
      restarted ? n.kind !== 'namespace' && n.kind !== 'resource' && n.kind !== 'loadMore' : n.id !== more.id,
    );
    const ids = new Set(existing.map((n) => n.id));
    this.children.set(parentId, [...existing, ...page.filter((n) => !ids.has(n.id))]);
    this.changed.fire(undefined);
  }

  /** Re-reads the children a context or folder shows (as many as are loaded) and redraws that node only. */
  async reloadInPlace(node: ClusterNode): Promise<void> {
    const current = this.children.get(node.id);
    if (!current || (node.kind !== 'context' && node.kind !== 'resourceFolder')) return;
    const shown = current.filter((n) => n.kind === 'resource' || n.kind === 'namespace').length;
    const loaded = await this.withSignal((signal) => this.loadChildren(node, signal, Math.max(this.deps.pageSize(), shown)));
    if (this.children.get(node.id) !== current) return; // refreshed or collapsed meanwhile
    this.children.set(node.id, loaded);
    this.changed.fire(node);
  }

  /** A node collapsed: its watch and those below it stop, and what they showed is read again on the next expand. */
  collapsed(node: ClusterNode): void {
    const stopped = this.live.stopUnder(node);
    for (const id of stopped) this.children.delete(id);
    if ((node.kind === 'context' || node.kind === 'resourceFolder') && this.children.delete(node.id)) stopped.push(node.id);
    // Marks the collapsed node stale, so VS Code asks for its children again on the next expand.
    if (stopped.length > 0) this.changed.fire(node);
  }

  /** "Retry" on a "live updates stopped" note: read the node again and follow it again. */
  retryLiveUpdates(nodeId: string): void {
    const entry = this.liveNotes.get(nodeId);
    if (!entry) return;
    this.liveNotes.delete(nodeId);
    this.children.delete(nodeId);
    this.changed.fire(entry.node);
  }

  /** After a command changed `node` on the cluster: nothing to do when its list is followed live, else a refresh. */
  refreshAfterChange(node: ClusterNode): void {
    const folderId = folderIdOf(node);
    if (folderId && this.live.isFollowing(folderId)) return;
    this.refresh();
  }

  /** Forgets everything loaded, re-reads the kubeconfig files and redraws. */
  refresh(): void {
    this.live.stopAll();
    this.liveNotes.clear();
    this.abortAll();
    this.config = undefined;
    this.children.clear();
    this.coverage.clear();
    this.usageReadAt.clear();
    this.usage.clear();
    this.workloadUsage.clear();
    this.usageMissing.clear();
    this.hpaHints.clear();
    this.access.clear();
    this.readOnlyMemo.clear();
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.stopSignIns?.();
    this.live.dispose();
    this.abortAll();
    this.changed.dispose();
  }

  /** Loads the children of any node that has lazily loaded children; `onResourceVersion` gets the list's version. */
  private loadChildren(
    node: ClusterNode,
    signal: AbortSignal,
    pageSize: number,
    onResourceVersion?: (rv: string | undefined) => void,
  ): Promise<ClusterNode[]> {
    return this.currentConfig().then((config) => {
      const rv = onResourceVersion ? { onResourceVersion } : {};
      const paging = { signal, pageSize, access: this.access };
      switch (node.kind) {
        case 'context':
          return loadContextChildren(config, node.contextName, this.deps.factory, {
            signal,
            pageSize,
            allNamespaces: this.allNamespaces.has(node.contextName),
            fallbackNamespaces: this.deps.fallbackNamespaces?.(node.contextName) ?? [],
            ...rv,
          });
        case 'category':
          return loadCustomResourceFolders(config, node, this.deps.factory, { signal });
        case 'resourceFolder':
          if (node.resource.kind === 'Node' && !node.namespace) return loadNodeNodes(config, node, this.deps.factory, paging);
          return loadResourceNodes(config, node, this.deps.factory, { ...paging, ...rv }).then((nodes) => {
            if (node.resource.kind === 'Pod' || usageWorkloadKinds.has(node.resource.kind))
              this.loadUsage(node.contextName, node.namespace, nodes, node);
            if (node.resource.kind === 'HorizontalPodAutoscaler') this.loadHpaHints(node.contextName, node.namespace, nodes);
            return nodes;
          });
        case 'resource':
          return loadWorkloadChildren(config, node, this.deps.factory, paging).then((nodes) => {
            // A Deployment's pods, a pod's containers: they show live usage too.
            if (nodes.some((n) => n.kind === 'container' || (n.kind === 'resource' && n.resource.kind === 'Pod')))
              this.loadUsage(node.contextName, node.namespace, nodes);
            return nodes;
          });
        default:
          return Promise.resolve([]);
      }
    });
  }

  private currentConfig(): Promise<MergedKubeconfig> {
    this.config ??= this.deps.loadConfig().then(
      (config) => {
        // Once per load, in the output channel too (B04: a skipped missing file is a warning, never silent).
        for (const p of config.problems)
          this.deps.log[p.severity === 'warning' ? 'warn' : 'error']('explorer', `kubeconfig ${problemLocation(p)}: ${p.message}`);
        return config;
      },
      (e: unknown) => {
        this.config = undefined;
        throw e;
      },
    );
    return this.config;
  }

  private async withSignal<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.inflight.add(controller);
    try {
      return await fn(controller.signal);
    } finally {
      this.inflight.delete(controller);
    }
  }

  private abortAll(): void {
    for (const c of this.inflight) c.abort();
    this.inflight.clear();
  }

  private logFailures(contextName: string, nodes: readonly ClusterNode[]): void {
    for (const n of nodes) if (n.kind === 'message' && n.severity !== 'info') this.deps.log.warn('explorer', `${contextName}: ${n.text}`);
  }
}

/** Catches everything but cancellation so that a tree expansion never rejects (VS Code would spin or toast). */
export async function safeChildren(provider: ClustersTreeProvider, node: ClusterNode | undefined): Promise<ClusterNode[]> {
  try {
    return await provider.getChildren(node);
  } catch (e) {
    if (isCancellation(e)) return [];
    return [errorNode(node && 'contextName' in node ? node.contextName : 'kubeconfig', e)];
  }
}

export const loadMoreCommand = commandIds.clustersLoadMore;
