// The watches behind the Clusters view (host/explorer/liveUpdates.ts; it needs only vscode types) with a
// scripted KubeClient: debounced re-reads, stop on collapse, the cap, and the "stopped" report.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CancelledError, ClusterDeckError } from '../../src/core/errors';
import type { ClusterNode } from '../../src/core/explorer/clusterNodes';
import { liveStoppedNode } from '../../src/core/explorer/liveTargets';
import type { KubeClient, WatchOptions } from '../../src/core/kube/kubeClient';
import { resourceKindOf, type ResourceKind } from '../../src/core/kube/resourceKinds';
import { LiveUpdates } from '../../src/host/explorer/liveUpdates';
import type { Log } from '../../src/host/shared/log';

const pods = resourceKindOf('pods') as ResourceKind;
const deployments = resourceKindOf('deployments', 'apps') as ResourceKind;
const folder = (ns: string, resource = pods, ctx = 'c'): ClusterNode => ({
  kind: 'resourceFolder',
  id: `res:${ctx}:${ns}:${resource.group}/${resource.plural}`,
  contextName: ctx,
  namespace: ns,
  resource,
});
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log: Log = { info: () => undefined, warn: () => undefined, error: () => undefined, show: () => undefined } as unknown as Log;

/** A client whose watches stay open until aborted; `emit` pushes an event to every open watch of a path. */
function scriptedClient(opts: { failWatch?: boolean } = {}) {
  const open = new Map<string, WatchOptions[]>();
  const started: string[] = [];
  const key = (r: ResourceKind, ns?: string) => `${r.plural}:${ns ?? ''}`;
  const client = {
    listTable: () => Promise.resolve({ items: [], resourceVersion: '100' }),
    watch: (r: ResourceKind, ns: string | undefined, o: WatchOptions) => {
      started.push(`${key(r, ns)}@${o.resourceVersion ?? ''}`);
      if (opts.failWatch) return Promise.reject(new ClusterDeckError('unreachable', 'Cannot reach the server.'));
      const list = open.get(key(r, ns)) ?? [];
      list.push(o);
      open.set(key(r, ns), list);
      return new Promise<void>((_resolve, reject) =>
        o.signal.addEventListener('abort', () => {
          open.set(
            key(r, ns),
            (open.get(key(r, ns)) ?? []).filter((x) => x !== o),
          );
          reject(new CancelledError());
        }),
      );
    },
  } as unknown as KubeClient;
  const emit = (r: ResourceKind, ns: string, name: string, rv: string) => {
    for (const o of open.get(key(r, ns)) ?? []) o.onEvent({ type: 'MODIFIED', object: { metadata: { name, resourceVersion: rv } } });
  };
  const openCount = () => [...open.values()].reduce((n, l) => n + l.length, 0);
  return { client, emit, started, openCount };
}

test('events are debounced into one re-read of that node; the watch starts at the list resourceVersion', async () => {
  const s = scriptedClient();
  const reloads: string[] = [];
  const live = new LiveUpdates({
    enabled: () => true,
    clientFor: () => Promise.resolve(s.client),
    reload: (n) => (reloads.push(n.id), Promise.resolve()),
    onStopped: () => assert.fail('not stopped'),
    log,
    debounceMs: 50,
  });
  const shop = folder('shop');
  live.follow(shop, '42');
  await wait(10);
  assert.deepEqual(s.started, ['pods:shop@42']);
  for (let i = 0; i < 5; i++) s.emit(pods, 'shop', `p${i}`, String(43 + i));
  await wait(120);
  assert.deepEqual(reloads, [shop.id], 'five events, one re-read');
  assert.ok(live.isFollowing(shop.id));
  live.follow(shop, '50');
  await wait(10);
  assert.equal(s.started.length, 1, 'following an already followed node starts nothing');
  live.dispose();
  await wait(10);
  assert.equal(s.openCount(), 0, 'dispose closes the streams');
});

test('collapsing a namespace or category stops the watches below it, and only those', async () => {
  const s = scriptedClient();
  const live = new LiveUpdates({
    enabled: () => true,
    clientFor: () => Promise.resolve(s.client),
    reload: () => Promise.resolve(),
    onStopped: () => undefined,
    log,
  });
  live.follow(folder('shop'), '1');
  live.follow(folder('shop', deployments), '1');
  live.follow(folder('payments'), '1');
  await wait(10);
  assert.equal(s.openCount(), 3);
  const stopped = live.stopUnder({ kind: 'category', id: 'cat:c:shop:Workloads', contextName: 'c', namespace: 'shop', name: 'Workloads' });
  await wait(10);
  assert.deepEqual(stopped.sort(), [folder('shop').id, folder('shop', deployments).id].sort());
  assert.equal(s.openCount(), 1);
  assert.ok(live.isFollowing(folder('payments').id));
  live.dispose();
});

test('at most maxWatches at once: the oldest stops', async () => {
  const s = scriptedClient();
  const live = new LiveUpdates({
    enabled: () => true,
    clientFor: () => Promise.resolve(s.client),
    reload: () => Promise.resolve(),
    onStopped: () => undefined,
    log,
    maxWatches: 3,
  });
  for (const ns of ['a', 'b', 'c', 'd']) live.follow(folder(ns), '1');
  await wait(10);
  assert.equal(live.size, 3);
  assert.equal(s.openCount(), 3);
  assert.equal(live.isFollowing(folder('a').id), false, 'the oldest was stopped');
  assert.ok(live.isFollowing(folder('d').id));
  live.dispose();
});

test('disabled (clusterdeck.explorer.liveUpdates false): nothing is watched', async () => {
  const s = scriptedClient();
  const live = new LiveUpdates({
    enabled: () => false,
    clientFor: () => Promise.resolve(s.client),
    reload: () => Promise.resolve(),
    onStopped: () => undefined,
    log,
  });
  live.follow(folder('shop'), '1');
  await wait(10);
  assert.equal(s.started.length, 0);
  assert.equal(live.isFollowing(folder('shop').id), false);
});

test('after the bounded reconnects the node is reported stopped (note with Retry) and no longer followed', async () => {
  const s = scriptedClient({ failWatch: true });
  const stopped: { id: string; error: unknown }[] = [];
  const live = new LiveUpdates({
    enabled: () => true,
    clientFor: () => Promise.resolve(s.client),
    reload: () => Promise.resolve(),
    onStopped: (n, error) => stopped.push({ id: n.id, error }),
    log,
    loop: { maxFailures: 3, baseDelayMs: 5, maxDelayMs: 10 },
  });
  live.follow(folder('shop'), '1');
  await wait(200);
  assert.equal(s.started.length, 3, 'three attempts, then it gives up');
  assert.equal(stopped.length, 1);
  assert.equal(live.isFollowing(folder('shop').id), false);
  const note = liveStoppedNode(folder('shop').id, stopped[0]?.error);
  assert.equal(note.kind, 'message');
  if (note.kind === 'message') {
    assert.match(note.text, /^Live updates stopped: Cannot reach the server\./);
    assert.deepEqual(note.action, { command: 'clusterdeck.clusters.retryLiveUpdates', title: 'Retry', args: [folder('shop').id] });
  }
});
