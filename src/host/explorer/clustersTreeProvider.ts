import * as vscode from 'vscode';
import { isCancellation } from '../../core/errors';
import {
  buildContextNodes,
  categoryNodes,
  errorNode,
  customResourcesCategory,
  loadNamespaceNodes,
  loadResourceNodes,
  resourceFolderNodes,
  type ClusterNode,
} from '../../core/explorer/clusterNodes';
import { clusterFolderNodes, loadContextChildren, loadCustomResourceFolders, loadNodeNodes } from '../../core/explorer/clusterLevelNodes';
import { hasChildren, loadWorkloadChildren } from '../../core/explorer/workloadChildren';
import { AccessReviewCache } from '../../core/kube/accessReviews';
import type { MergedKubeconfig } from '../../core/kube/kubeconfig';
import type { KubeClientFactory } from '../../core/kube/kubeClient';
import { commandIds } from '../commandIds';
import type { Log } from '../shared/log';
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
}

/**
 * The Clusters view. Holds plain ClusterNode data; children load lazily and are cached per node until a
 * refresh; failures become message nodes on the context they belong to; every load can be cancelled.
 */
export class ClustersTreeProvider implements vscode.TreeDataProvider<ClusterNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ClusterNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private config: Promise<MergedKubeconfig> | undefined;
  private readonly children = new Map<string, ClusterNode[]>();
  private readonly inflight = new Set<AbortController>();
  /** SelfSubjectAccessReview answers (5 min), cleared on refresh. */
  readonly access = new AccessReviewCache();
  private readonly allNamespaces = new Set<string>();
  /** Read-only state per context, read once per redraw (getTreeItem runs for every item of a big list). */
  private readonly readOnlyMemo = new Map<string, boolean>();

  constructor(private readonly deps: ClustersTreeDeps) {}

  getTreeItem(node: ClusterNode): vscode.TreeItem {
    const contextName = 'contextName' in node ? node.contextName : undefined;
    return toTreeItem(node, this.deps.extensionUri, {
      readOnly: contextName !== undefined && this.isReadOnly(contextName),
      allNamespaces: contextName !== undefined && this.allNamespaces.has(contextName),
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
      return buildContextNodes(config);
    }
    if (node.kind === 'namespace') return categoryNodes(node.contextName, node.name);
    if (node.kind === 'allNamespaces') return categoryNodes(node.contextName, '');
    if (node.kind === 'clusterGroup') return clusterFolderNodes(node.contextName);
    if (node.kind === 'category' && node.name !== customResourcesCategory)
      return resourceFolderNodes(node.contextName, node.namespace, node.name);
    if (node.kind !== 'context' && node.kind !== 'resourceFolder' && node.kind !== 'category' && !hasChildren(node)) return [];
    const cached = this.children.get(node.id);
    if (cached) return cached;
    const loaded = await this.withSignal((signal) =>
      this.currentConfig().then((config) => {
        const paging = { signal, pageSize: this.deps.pageSize(), access: this.access };
        switch (node.kind) {
          case 'context':
            return loadContextChildren(config, node.contextName, this.deps.factory, {
              signal,
              pageSize: this.deps.pageSize(),
              allNamespaces: this.allNamespaces.has(node.contextName),
              fallbackNamespaces: this.deps.fallbackNamespaces?.(node.contextName) ?? [],
            });
          case 'category':
            return loadCustomResourceFolders(config, node, this.deps.factory, { signal });
          case 'resourceFolder':
            return node.resource.kind === 'Node' && !node.namespace
              ? loadNodeNodes(config, node, this.deps.factory, paging)
              : loadResourceNodes(config, node, this.deps.factory, paging);
          case 'resource':
            return loadWorkloadChildren(config, node, this.deps.factory, paging);
          default:
            return Promise.resolve([]);
        }
      }),
    );
    this.logFailures('contextName' in node ? node.contextName : '', loaded);
    this.children.set(node.id, loaded);
    return loaded;
  }

  /** Replaces a "Load more" node with the next page of its parent (a context's namespaces or a folder's objects). */
  async loadMore(more: ClusterNode): Promise<void> {
    if (more.kind !== 'loadMore') return;
    const parentId = more.parentId;
    const page = await this.withSignal((signal) =>
      this.currentConfig().then((config) => {
        const paging = { signal, pageSize: this.deps.pageSize(), continueToken: more.continueToken, alreadyLoaded: more.loaded };
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
    const existing = (this.children.get(parentId) ?? []).filter((n) => n.id !== more.id);
    const ids = new Set(existing.map((n) => n.id));
    this.children.set(parentId, [...existing, ...page.filter((n) => !ids.has(n.id))]);
    this.changed.fire(undefined);
  }

  /** Forgets everything loaded, re-reads the kubeconfig files and redraws. */
  refresh(): void {
    this.abortAll();
    this.config = undefined;
    this.children.clear();
    this.access.clear();
    this.readOnlyMemo.clear();
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.abortAll();
    this.changed.dispose();
  }

  private currentConfig(): Promise<MergedKubeconfig> {
    this.config ??= this.deps.loadConfig().catch((e: unknown) => {
      this.config = undefined;
      throw e;
    });
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
