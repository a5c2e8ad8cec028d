import type * as vscode from 'vscode';
import type { ClusterNode } from '../../core/explorer/clusterNodes';
import { isUnder, watchTargetOf } from '../../core/explorer/liveTargets';
import type { KubeClient } from '../../core/kube/kubeClient';
import { runWatchLoop, type WatchLoopOptions } from '../../core/kube/watchLoop';
import type { Log } from '../shared/log';

export interface LiveUpdatesDeps {
  /** `clusterdeck.explorer.liveUpdates`. */
  readonly enabled: () => boolean;
  readonly clientFor: (contextName: string) => Promise<KubeClient>;
  /** Re-reads a node's loaded children and redraws that node only. */
  readonly reload: (node: ClusterNode) => Promise<void>;
  /** The watch gave up after its bounded reconnects: show the note with Retry. */
  readonly onStopped: (node: ClusterNode, error: unknown) => void;
  readonly log: Log;
  /** Most watches open at once (the oldest stops first); default 30. */
  readonly maxWatches?: number;
  /** Events within this window cause one re-read; default 250 ms. */
  readonly debounceMs?: number;
  /** Backoff and bound of the watch loops (tests shorten them). */
  readonly loop?: Omit<WatchLoopOptions, 'resourceVersion'>;
}

interface Follow {
  node: ClusterNode;
  readonly controller: AbortController;
  timer?: NodeJS.Timeout;
}

/**
 * One watch per expanded context (its namespaces) and expanded resource folder (its objects). Events are
 * debounced into one re-read of that node; the watch stops when the node collapses, on refresh, when the oldest
 * must make room, and on dispose. No polling: when a watch gives up, the node shows a note with Retry.
 */
export class LiveUpdates implements vscode.Disposable {
  private readonly follows = new Map<string, Follow>();

  constructor(private readonly deps: LiveUpdatesDeps) {}

  /** Starts following `node` from `resourceVersion` (the list just shown), or updates the instance VS Code holds. */
  follow(node: ClusterNode, resourceVersion: string | undefined): void {
    const existing = this.follows.get(node.id);
    if (existing) {
      existing.node = node;
      return;
    }
    const target = watchTargetOf(node);
    if (!target || !this.deps.enabled()) return;
    const max = this.deps.maxWatches ?? 30;
    while (this.follows.size >= max) {
      const oldest = this.follows.keys().next().value;
      if (oldest === undefined) break;
      this.deps.log.info('explorer', `live updates: more than ${max} lists followed, stopped the oldest (${oldest})`);
      this.stop(oldest);
    }
    const follow: Follow = { node, controller: new AbortController() };
    this.follows.set(node.id, follow);
    const { signal } = follow.controller;
    const where = `${target.resource.plural}${target.namespace ? ` ${target.namespace}` : ''} on ${target.contextName}`;
    const scheduleReload = (): void => {
      clearTimeout(follow.timer);
      follow.timer = setTimeout(() => {
        if (signal.aborted) return;
        this.deps
          .reload(follow.node)
          .catch((e: unknown) => this.deps.log.warn('explorer', `live re-read of ${where} failed: ${String(e)}`));
      }, this.deps.debounceMs ?? 250);
    };
    let first = resourceVersion === undefined;
    void (async () => {
      let client: KubeClient;
      try {
        client = await this.deps.clientFor(target.contextName);
      } catch {
        this.follows.delete(node.id);
        return;
      }
      await runWatchLoop(
        {
          relist: async (s) => {
            // The relist reads the page the tree shows (and redraws it), except the very first without a version.
            const page = await client.listTable(target.resource, target.namespace, { signal: s, limit: 1 });
            if (!first) scheduleReload();
            first = false;
            return page.resourceVersion;
          },
          watch: (rv, s, onEvent) =>
            client.watch(target.resource, target.namespace, { signal: s, ...(rv ? { resourceVersion: rv } : {}), onEvent }),
          onEvent: scheduleReload,
          onStopped: (e) => {
            this.deps.log.warn('explorer', `live updates of ${where} stopped: ${String((e as Error)?.message ?? e)}`);
            if (this.follows.get(node.id) === follow) this.follows.delete(node.id);
            this.deps.onStopped(follow.node, e);
          },
          sleep: (ms, s) =>
            new Promise((resolve, reject) => {
              const t = setTimeout(resolve, ms);
              s.addEventListener('abort', () => (clearTimeout(t), reject(new Error('stopped'))), { once: true });
            }),
        },
        signal,
        { ...this.deps.loop, ...(resourceVersion ? { resourceVersion } : {}) },
      );
    })();
  }

  /** Keeps the node instance VS Code holds current (a redraw must name that instance); starts nothing. */
  touch(node: ClusterNode): void {
    const existing = this.follows.get(node.id);
    if (existing) existing.node = node;
  }

  /** Whether the children of node `id` are followed live (then a change made by a command needs no refresh). */
  isFollowing(id: string): boolean {
    return this.follows.has(id);
  }

  get size(): number {
    return this.follows.size;
  }

  stop(id: string): void {
    const follow = this.follows.get(id);
    if (!follow) return;
    clearTimeout(follow.timer);
    follow.controller.abort();
    this.follows.delete(id);
  }

  /** Stops the watch of `node` and of every followed node below it; returns the ids stopped. */
  stopUnder(node: ClusterNode): string[] {
    const ids = [...this.follows.keys()].filter((id) => isUnder(id, node));
    for (const id of ids) this.stop(id);
    return ids;
  }

  stopAll(): void {
    for (const id of [...this.follows.keys()]) this.stop(id);
  }

  dispose(): void {
    this.stopAll();
  }
}
