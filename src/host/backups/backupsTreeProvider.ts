import { isReadOnly } from '../shared/readOnly';
import * as vscode from 'vscode';
import { errorNode } from '../../core/explorer/clusterNodes';
import { isCancellation } from '../../core/errors';
import { resolveContext, type MergedKubeconfig } from '../../core/kube/kubeconfig';
import type { KubeClientFactory } from '../../core/kube/kubeClient';
import { contextChildren, groupChildren, presentNode, type BackupNode } from '../../core/velero/backupNodes';
import { phaseTone } from '../../core/velero/veleroModel';
import { runWatchLoop, type WatchLoopOptions } from '../../core/kube/watchLoop';
import { applyVeleroEvent, liveKinds, replaceCollection, type FinishedItem, type LiveKey } from '../../core/velero/veleroLive';
import { listAllVersioned, loadVeleroSnapshot, type VeleroSnapshot } from '../../core/velero/veleroSnapshot';
import type { KubeClient } from '../../core/kube/kubeClient';
import type { Log } from '../shared/log';

export interface BackupsTreeDeps {
  readonly loadConfig: () => Promise<MergedKubeconfig>;
  readonly factory: KubeClientFactory;
  readonly log: Log;
  /** Velero's namespace (setting clusterdeck.velero.namespace). */
  readonly veleroNamespace: () => string;
  /** How often a context is re-read when its live watch has given up and work is running; default 2 s. */
  readonly pollMs?: number;
  /** A backup or restore seen running has just finished (called once per transition). */
  readonly onFinished?: (contextName: string, finished: FinishedItem) => void;
  /** Events within this window cause one redraw; default 150 ms. */
  readonly debounceMs?: number;
  /** Backoff and bound of the watch loops (tests shorten them). */
  readonly loop?: Omit<WatchLoopOptions, 'resourceVersion'>;
}

/**
 * The Backups view: one node per kubeconfig context; expanding one reads its Velero snapshot (install state and
 * the five kinds) and then follows Backups, Restores, Schedules and storage locations by watch, so a running
 * backup's progress moves in the tree and its end is reported once. The watches stop when the context collapses,
 * on refresh and on dispose; if they give up, the context is re-read every few seconds while work is running.
 * A failure becomes a message node.
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
  /** Live watches per context (one controller stops the four loops). */
  private readonly live = new Map<string, AbortController>();
  private redrawTimer: NodeJS.Timeout | undefined;

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

  /** Re-reads one context (or all) and redraws; the live watches restart from the new lists. */
  refresh(contextName?: string): void {
    if (contextName) {
      this.stopLive(contextName);
      this.snapshots.delete(contextName);
    } else {
      for (const c of this.inflight) c.abort();
      this.inflight.clear();
      for (const name of [...this.live.keys()]) this.stopLive(name);
      this.snapshots.clear();
    }
    this.changed.fire(undefined);
  }

  /** Whether the context's Velero objects are followed by watch (then changes need no refresh). */
  isLive(contextName: string): boolean {
    return this.live.has(contextName);
  }

  /** The view collapsed a node: a collapsed context stops its watches and forgets its snapshot. */
  collapsed(node: BackupNode): void {
    if (node.kind !== 'context') return;
    this.stopLive(node.contextName);
    this.snapshots.delete(node.contextName);
  }

  /** Keeps a context current while the caller follows something there (by watch, else by re-reading); returns the stop function. */
  follow(contextName: string): () => void {
    this.followed.set(contextName, (this.followed.get(contextName) ?? 0) + 1);
    if (!this.live.has(contextName)) this.schedulePoll(contextName);
    return () => {
      const n = (this.followed.get(contextName) ?? 1) - 1;
      if (n <= 0) this.followed.delete(contextName);
      else this.followed.set(contextName, n);
    };
  }

  dispose(): void {
    for (const name of [...this.live.keys()]) this.stopLive(name);
    clearTimeout(this.redrawTimer);
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
      // A read-only context gets no ServerStatusRequest (nothing is created there): the image tag gives the version.
      const snapshot = await loadVeleroSnapshot(client, this.deps.veleroNamespace(), controller.signal, {
        askServer: !isReadOnly(contextName),
      });
      this.snapshots.set(contextName, snapshot);
      if (snapshot.install.state !== 'notInstalled') this.startLive(contextName, client, snapshot);
      else if (this.isRunning(snapshot)) this.schedulePoll(contextName);
      return snapshot;
    } finally {
      this.inflight.delete(controller);
    }
  }

  private isRunning(snapshot: VeleroSnapshot): boolean {
    return (
      snapshot.backups.some((b) => phaseTone(b.phase) === 'running') || snapshot.restores.some((r) => phaseTone(r.phase) === 'running')
    );
  }

  private redraw(): void {
    if (this.redrawTimer) return;
    this.redrawTimer = setTimeout(() => {
      this.redrawTimer = undefined;
      this.changed.fire(undefined);
    }, this.deps.debounceMs ?? 150);
  }

  private stopLive(contextName: string): void {
    this.live.get(contextName)?.abort();
    this.live.delete(contextName);
  }

  /** Four watch loops (backups, restores, schedules, storage locations) from the versions the snapshot was read at. */
  private startLive(contextName: string, client: KubeClient, snapshot: VeleroSnapshot): void {
    if (this.live.has(contextName)) return;
    const controller = new AbortController();
    this.live.set(contextName, controller);
    const namespace = snapshot.install.namespace;
    const update = (fn: (s: VeleroSnapshot) => VeleroSnapshot): void => {
      const current = this.snapshots.get(contextName);
      if (!current || controller.signal.aborted) return;
      const next = fn(current);
      // BOOKMARKs (every second per watch) change nothing: redrawing the view for them would re-render it all the
      // time, closing menus and dialogs the user is working in.
      if (next === current) return;
      this.snapshots.set(contextName, next);
      this.redraw();
    };
    for (const key of Object.keys(liveKinds) as LiveKey[]) {
      const kind = liveKinds[key];
      const resourceVersion = snapshot.resourceVersions?.[key];
      void runWatchLoop(
        {
          relist: async (signal) => {
            const list = await listAllVersioned(client, kind, namespace, signal);
            update((s) => replaceCollection(s, key, list.items));
            return list.resourceVersion;
          },
          watch: (rv, signal, onEvent) => client.watch(kind, namespace, { signal, ...(rv ? { resourceVersion: rv } : {}), onEvent }),
          onEvent: (event) =>
            update((s) => {
              const result = applyVeleroEvent(s, key, event);
              if (result.finished) this.deps.onFinished?.(contextName, result.finished);
              return result.snapshot;
            }),
          onStopped: (e) => {
            this.deps.log.warn('velero', `live updates of ${kind.plural} on ${contextName} stopped: ${String((e as Error)?.message ?? e)}`);
            if (this.live.get(contextName) !== controller) return;
            this.stopLive(contextName);
            const current = this.snapshots.get(contextName);
            if (this.followed.has(contextName) || (current && this.isRunning(current))) this.schedulePoll(contextName);
          },
          sleep: (ms, signal) =>
            new Promise((resolve, reject) => {
              const t = setTimeout(resolve, ms);
              signal.addEventListener('abort', () => (clearTimeout(t), reject(new Error('stopped'))), { once: true });
            }),
        },
        controller.signal,
        { ...this.deps.loop, ...(resourceVersion ? { resourceVersion } : {}) },
      );
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
