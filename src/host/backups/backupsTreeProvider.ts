import * as vscode from 'vscode';
import { errorNode } from '../../core/explorer/clusterNodes';
import { isCancellation } from '../../core/errors';
import { resolveContext, type MergedKubeconfig } from '../../core/kube/kubeconfig';
import type { KubeClientFactory } from '../../core/kube/kubeClient';
import { contextChildren, groupChildren, presentNode, type BackupNode } from '../../core/velero/backupNodes';
import { phaseTone } from '../../core/velero/veleroModel';
import { loadVeleroSnapshot, type VeleroSnapshot } from '../../core/velero/veleroSnapshot';
import type { Log } from '../shared/log';

export interface BackupsTreeDeps {
  readonly loadConfig: () => Promise<MergedKubeconfig>;
  readonly factory: KubeClientFactory;
  readonly log: Log;
  /** Velero's namespace (setting clusterdeck.velero.namespace). */
  readonly veleroNamespace: () => string;
  /** How often a context with running backups or restores is re-read; default 2 s. */
  readonly pollMs?: number;
}

/**
 * The Backups view: one node per kubeconfig context; expanding one reads its Velero snapshot (install state and
 * the five kinds). While a backup or restore runs there, the context is re-read every few seconds so progress
 * moves in the tree; a failure becomes a message node.
 */
export class BackupsTreeProvider implements vscode.TreeDataProvider<BackupNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<BackupNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly snapshots = new Map<string, VeleroSnapshot>();
  private readonly nodes = new Map<string, BackupNode>();
  private readonly inflight = new Set<AbortController>();
  private readonly pollers = new Map<string, NodeJS.Timeout>();
  /** Contexts somebody follows (a backup the user started): polled even before the controller reacts. */
  private readonly followed = new Map<string, number>();

  constructor(private readonly deps: BackupsTreeDeps) {}

  getTreeItem(node: BackupNode): vscode.TreeItem {
    const p = presentNode(node, Date.now());
    const state =
      p.collapsible === 'none'
        ? vscode.TreeItemCollapsibleState.None
        : p.collapsible === 'expanded'
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(p.label, state);
    item.id = node.id;
    if (p.description) item.description = p.description;
    // A MarkdownString, not a string: string tooltips become the item's aria-label.
    if (p.tooltip) item.tooltip = new vscode.MarkdownString(p.tooltip);
    if (p.icon) item.iconPath = new vscode.ThemeIcon(p.icon.id, p.icon.color ? new vscode.ThemeColor(p.icon.color) : undefined);
    item.contextValue = p.contextValue;
    item.accessibilityInformation = { label: [p.label, p.description].filter(Boolean).join(', ') };
    if (node.kind === 'message' && node.command)
      item.command = {
        command: node.command.command,
        title: node.command.title,
        arguments: node.command.command === 'vscode.open' ? [vscode.Uri.parse(String(node.command.args[0]))] : [...node.command.args],
      };
    return item;
  }

  async getChildren(node?: BackupNode): Promise<BackupNode[]> {
    try {
      if (!node) {
        const config = await this.deps.loadConfig();
        return config.contexts.map((c) => ({
          kind: 'context',
          id: `velero:${c.name}`,
          contextName: c.name,
          server: config.clusters.get(c.clusterName)?.server ?? '',
        }));
      }
      if (node.kind === 'context') {
        const snapshot = await this.load(node.contextName);
        return this.remember(contextChildren(node.contextName, snapshot));
      }
      return this.remember(groupChildren(this.current(node), Date.now()));
    } catch (e) {
      if (isCancellation(e)) return [];
      const contextName = node && 'contextName' in node ? node.contextName : 'kubeconfig';
      const err = errorNode(contextName, e);
      this.deps.log.warn('velero', ` ${contextName}: ${err.kind === 'message' ? err.text : ''}`);
      return [
        { kind: 'message', id: `velero:${contextName}:error`, severity: 'error', text: err.kind === 'message' ? err.text : String(e) },
      ];
    }
  }

  /** The snapshot last loaded for a context (undefined before its first expansion). */
  snapshot(contextName: string): VeleroSnapshot | undefined {
    return this.snapshots.get(contextName);
  }

  /** Node by id, as last rendered (the host's tests and commands use it). */
  node(id: string): BackupNode | undefined {
    return this.nodes.get(id);
  }

  /** Re-reads one context (or all) and redraws. */
  refresh(contextName?: string): void {
    if (contextName) this.snapshots.delete(contextName);
    else {
      for (const c of this.inflight) c.abort();
      this.inflight.clear();
      this.snapshots.clear();
    }
    this.changed.fire(undefined);
  }

  /** Keeps re-reading a context while the caller follows something there; returns the stop function. */
  follow(contextName: string): () => void {
    this.followed.set(contextName, (this.followed.get(contextName) ?? 0) + 1);
    this.schedulePoll(contextName);
    return () => {
      const n = (this.followed.get(contextName) ?? 1) - 1;
      if (n <= 0) this.followed.delete(contextName);
      else this.followed.set(contextName, n);
    };
  }

  dispose(): void {
    for (const c of this.inflight) c.abort();
    for (const t of this.pollers.values()) clearTimeout(t);
    this.pollers.clear();
    this.changed.dispose();
  }

  /** Node data embed the snapshot they were built from; re-resolve to the newest one. */
  private current(node: BackupNode): BackupNode {
    if (node.kind !== 'group') return node;
    const snapshot = this.snapshots.get(node.contextName);
    return snapshot ? { ...node, snapshot } : node;
  }

  private remember(nodes: BackupNode[]): BackupNode[] {
    for (const n of nodes) this.nodes.set(n.id, n);
    return nodes;
  }

  private async load(contextName: string): Promise<VeleroSnapshot> {
    const cached = this.snapshots.get(contextName);
    if (cached) return cached;
    const controller = new AbortController();
    this.inflight.add(controller);
    try {
      const config = await this.deps.loadConfig();
      const client = await this.deps.factory.createClient(resolveContext(config, contextName));
      const snapshot = await loadVeleroSnapshot(client, this.deps.veleroNamespace(), controller.signal);
      this.snapshots.set(contextName, snapshot);
      const running =
        snapshot.backups.some((b) => phaseTone(b.phase) === 'running') || snapshot.restores.some((r) => phaseTone(r.phase) === 'running');
      if (running) this.schedulePoll(contextName);
      return snapshot;
    } finally {
      this.inflight.delete(controller);
    }
  }

  private schedulePoll(contextName: string): void {
    if (this.pollers.has(contextName)) return;
    this.pollers.set(
      contextName,
      setTimeout(() => {
        this.pollers.delete(contextName);
        const before = this.snapshots.get(contextName);
        this.snapshots.delete(contextName);
        if (this.followed.has(contextName)) this.schedulePoll(contextName);
        // Redraw only when something was shown; load() re-arms polling while work is running.
        if (before) this.changed.fire(undefined);
      }, this.deps.pollMs ?? 2000),
    );
  }
}
