import * as vscode from 'vscode';
import { isCancellation } from '../../core/errors';
import type { CloudKind } from '../../core/clouds/cloudProvider';
import type { CloudProviderSource } from '../../core/clouds/cloudSettings';
import {
  opNodes,
  opsFolderNode,
  presentCloudNode,
  provisioningStateOf,
  type CloudClusterNode,
  type CloudTreeNode,
  type KubeContextRef,
} from '../../core/clouds/cloudTree';
import type { JournalEntry } from '../../core/provisioning/journal';
import { CloudTreeLoader } from '../../core/clouds/cloudTreeLoader';
import type { Log } from '../shared/log';

export interface CloudsTreeDeps {
  readonly source: CloudProviderSource;
  readonly kubeContexts: () => Promise<readonly KubeContextRef[]>;
  readonly scopesFor: (cloud: CloudKind, account: string) => readonly string[] | undefined;
  readonly isHidden: (cloud: CloudKind, accountId: string) => boolean;
  readonly log: Log;
  /** The operations journal's entries to show (creating, failed, recently created); absent → no Provisioning folder. */
  readonly operations?: () => Promise<readonly JournalEntry[]>;
}

/**
 * The Clouds view (`clusterdeck.clouds`): children loaded lazily through `CloudTreeLoader`, failures as message
 * nodes with their next step, refresh aborts what is in flight. An empty root shows the welcome content.
 */
export class CloudsTreeProvider implements vscode.TreeDataProvider<CloudTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CloudTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly loader: CloudTreeLoader;
  private readonly nodes = new Map<string, CloudTreeNode>();
  private readonly inflight = new Set<AbortController>();

  constructor(private readonly deps: CloudsTreeDeps) {
    this.loader = new CloudTreeLoader({
      source: deps.source,
      kubeContexts: deps.kubeContexts,
      scopesFor: deps.scopesFor,
      isHidden: deps.isHidden,
      onFailure: (where, message) => deps.log.warn('clouds', `${where}: ${message}`),
    });
  }

  getTreeItem(node: CloudTreeNode): vscode.TreeItem {
    const p = presentCloudNode(node);
    const item = new vscode.TreeItem(
      p.label,
      p.collapsible === 'collapsed'
        ? vscode.TreeItemCollapsibleState.Collapsed
        : p.collapsible === 'expanded'
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.None,
    );
    item.id = node.id;
    if (p.description) item.description = p.description;
    // A MarkdownString, not a string: string tooltips become the item's aria-label.
    if (p.tooltip) item.tooltip = new vscode.MarkdownString(p.tooltip);
    if (p.icon) item.iconPath = new vscode.ThemeIcon(p.icon.id, p.icon.color ? new vscode.ThemeColor(p.icon.color) : undefined);
    item.contextValue = p.contextValue;
    item.accessibilityInformation = { label: [p.label, p.description].filter(Boolean).join(', ') };
    if (p.command) item.command = { command: p.command.command, title: p.command.title, arguments: [...p.command.args] };
    return item;
  }

  async getChildren(node?: CloudTreeNode): Promise<CloudTreeNode[]> {
    const controller = new AbortController();
    this.inflight.add(controller);
    try {
      const ops = this.deps.operations ? await this.deps.operations().catch(() => []) : [];
      // The Provisioning folder lists the journal as it is now, not as it was when the folder was drawn.
      let children = node?.kind === 'opsFolder' ? opNodes({ ...node, entries: ops }) : await this.loader.children(node, controller.signal);
      if (!node) {
        const folder = opsFolderNode(ops);
        // Only with clouds to show: an empty root keeps the welcome content.
        if (folder && children.length > 0) children = [folder, ...children];
      } else if (node.kind === 'scope') {
        children = children.map((c) => {
          const state = c.kind === 'cluster' ? provisioningStateOf(ops, c.cluster) : undefined;
          return state && c.kind === 'cluster' ? { ...c, provisioning: state } : c;
        });
      }
      for (const c of children) this.nodes.set(c.id, c);
      return children;
    } catch (e) {
      if (isCancellation(e)) return [];
      this.deps.log.error('clouds', `loading ${node?.id ?? 'root'}: ${e instanceof Error ? e.name : 'unknown'}`);
      return [
        { kind: 'message', id: `${node?.id ?? 'clouds'}:error`, severity: 'error', text: 'Unexpected failure while listing; see the log.' },
      ];
    } finally {
      this.inflight.delete(controller);
    }
  }

  /** Node by id, as last loaded. */
  node(id: string): CloudTreeNode | undefined {
    return this.nodes.get(id);
  }

  /** Every cluster node loaded so far (the palette's pick list). */
  loadedClusters(): CloudClusterNode[] {
    return [...this.nodes.values()].filter((n): n is CloudClusterNode => n.kind === 'cluster');
  }

  /**
   * Redraws the Provisioning folder from the journal (its entries changed state), without reloading any cloud.
   * When the folder appears or disappears the root is redrawn (the clouds' nodes come from the loader's cache).
   */
  redrawOperations(): void {
    const folder = this.nodes.get('ops');
    void (this.deps.operations?.() ?? Promise.resolve([])).then((ops) => {
      const hasFolder = ops.length > 0;
      if (folder && hasFolder) this.changed.fire(folder);
      else if (Boolean(folder) !== hasFolder) this.changed.fire(undefined);
    });
  }

  /** Reloads everything (or one cloud's accounts) and redraws; in-flight loads are aborted. */
  refresh(cloud?: CloudKind): void {
    for (const c of this.inflight) c.abort();
    this.inflight.clear();
    this.loader.reset(cloud);
    this.nodes.clear();
    this.changed.fire(undefined);
  }

  dispose(): void {
    for (const c of this.inflight) c.abort();
    this.changed.dispose();
  }
}
