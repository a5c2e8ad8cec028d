// Watches end to end: our KubeClient.watch (node/kube/kubeWatch.ts) and the core watch loop against the fake API
// server over TLS with a bearer token: events, 410 → relist, dropped connections → reconnect, and the fake's
// Deployment controller making a scale visible on the watch.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { ClusterDeckError } from '../../src/core/errors';
import type { KubeClient, WatchEvent } from '../../src/core/kube/kubeClient';
import { resolveContext } from '../../src/core/kube/kubeconfig';
import { resourceKindOf, type ResourceKind } from '../../src/core/kube/resourceKinds';
import { runWatchLoop } from '../../src/core/kube/watchLoop';
import { kubeconfigPaths, loadKubeconfigs } from '../../src/node/kube/kubeconfigFiles';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';

const TOKEN = 'watch-canary-token-77aa';
const configMaps = resourceKindOf('configmaps') as ResourceKind;
const deployments = resourceKindOf('deployments', 'apps') as ResourceKind;

async function clientFor(fake: FakeKube, dir: string, lines: string[]): Promise<KubeClient> {
  const file = join(dir, `kubeconfig-${fake.port}`);
  writeFileSync(file, fake.kubeconfig({ contextName: 'w', user: 'token' }));
  const config = await loadKubeconfigs(kubeconfigPaths({ KUBECONFIG: file }, []));
  return new SdkKubeClientFactory({
    requestTimeoutMs: () => 5_000,
    approvals: { isApproved: () => true, approve: () => Promise.resolve() },
    isTrusted: () => true,
    onRequest: (l) => lines.push(l),
  }).createClient(resolveContext(config, 'w'));
}

function until(check: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (check()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

const cm = (name: string, value = '1') => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'live' },
  data: { value },
});

const realSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), reject(new Error('aborted'))), { once: true });
  });

describe('watch against the fake API server', () => {
  let fake: FakeKube;
  let dir: string;
  let client: KubeClient;
  const lines: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-watch-'));
    fake = await startFakeKube({ tls: 'tls', token: TOKEN, bookmarkIntervalMs: 200, controllers: true, controllerDelayMs: 100 });
    fake.upsert({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'live' } });
    client = await clientFor(fake, dir, lines);
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('events arrive in order from a resourceVersion, with bookmarks, on the real path with the bearer token', async () => {
    const rv = String(fake.resourceVersion);
    const events: WatchEvent[] = [];
    const controller = new AbortController();
    const done = client.watch(configMaps, 'live', { signal: controller.signal, resourceVersion: rv, onEvent: (e) => events.push(e) });
    await until(() => events.some((e) => e.type === 'BOOKMARK'), 3000, 'a bookmark');
    fake.upsert(cm('one'));
    fake.upsert(cm('one', '2'));
    fake.remove('v1', 'ConfigMap', 'live', 'one');
    await until(() => events.filter((e) => e.type !== 'BOOKMARK').length === 3, 3000, 'three events');
    controller.abort();
    await assert.rejects(done, (e: Error) => e.name === 'CancelledError');
    assert.deepEqual(
      events.filter((e) => e.type !== 'BOOKMARK').map((e) => e.type),
      ['ADDED', 'MODIFIED', 'DELETED'],
    );
    const req = fake.requests.find((r) => r.path === '/api/v1/namespaces/live/configmaps' && r.query.watch === '1');
    assert.ok(req, 'watched the collection path');
    assert.equal(req.query.allowWatchBookmarks, 'true');
    assert.equal(req.query.resourceVersion, rv);
    assert.equal(req.headers.authorization, `Bearer ${TOKEN}`);
    assert.ok(lines.some((l) => l.startsWith('> kube watch configmaps live w')));
    assert.ok(!lines.join('\n').includes(TOKEN));
  });

  test('timeoutSeconds ends the stream cleanly (the promise resolves)', async () => {
    const started = Date.now();
    await client.watch(configMaps, 'live', {
      signal: new AbortController().signal,
      resourceVersion: String(fake.resourceVersion),
      timeoutSeconds: 1,
      onEvent: () => undefined,
    });
    assert.ok(Date.now() - started >= 900);
  });

  test('an HTTP 410 (expired resourceVersion) rejects with status 410', async () => {
    const fake410 = await startFakeKube({ tls: 'tls', token: TOKEN, watchExpired: 'http' });
    try {
      const c = await clientFor(fake410, dir, []);
      const rv = String(fake410.resourceVersion);
      fake410.upsert({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } });
      fake410.compact();
      await assert.rejects(
        c.watch(configMaps, 'default', { signal: new AbortController().signal, resourceVersion: rv, onEvent: () => undefined }),
        (e: unknown) => e instanceof ClusterDeckError && e.detail.status === 410,
      );
    } finally {
      await fake410.close();
    }
  });

  test('the loop relists after an in-stream 410 Expired and then sees new events', async () => {
    const oldRv = String(fake.resourceVersion);
    fake.upsert(cm('before-compact'));
    fake.compact();
    const relists: string[] = [];
    const seen: string[] = [];
    const controller = new AbortController();
    const loop = runWatchLoop(
      {
        relist: async (signal) => {
          const page = await client.listTable(configMaps, 'live', { signal, limit: 50 });
          relists.push(page.resourceVersion ?? '');
          return page.resourceVersion;
        },
        watch: (rv, signal, onEvent) => client.watch(configMaps, 'live', { signal, ...(rv ? { resourceVersion: rv } : {}), onEvent }),
        onEvent: (e) => seen.push(`${e.type} ${String((e.object.metadata as { name?: string }).name)}`),
        onStopped: (e) => assert.fail(`stopped: ${String(e)}`),
        sleep: realSleep,
      },
      controller.signal,
      { resourceVersion: oldRv, baseDelayMs: 50 },
    );
    await until(() => relists.length === 1, 3000, 'a relist');
    await new Promise((r) => setTimeout(r, 100));
    fake.upsert(cm('after-relist'));
    await until(() => seen.includes('ADDED after-relist'), 3000, 'the new object');
    assert.ok(!seen.includes('ADDED before-compact'), 'the relist, not the watch, covers what happened before');
    controller.abort();
    await loop;
  });

  test('the loop reconnects after dropped connections and server errors, then follows again', async () => {
    const seen: string[] = [];
    let stopped = false;
    const controller = new AbortController();
    const removeReset = fake.inject({ path: /\/configmaps\?.*watch=1/, resetConnection: true, times: 2 });
    const remove500 = fake.inject({ path: /\/configmaps\?.*watch=1/, status: 500, times: 1 });
    const watchesBefore = fake.requests.filter((r) => r.query.watch === '1').length;
    const loop = runWatchLoop(
      {
        relist: () => Promise.resolve(String(fake.resourceVersion)),
        watch: (rv, signal, onEvent) =>
          client.watch(configMaps, 'live', { signal, ...(rv ? { resourceVersion: rv } : {}), timeoutSeconds: 2, onEvent }),
        onEvent: (e) => seen.push(String((e.object.metadata as { name?: string }).name)),
        onStopped: () => (stopped = true),
        sleep: realSleep,
      },
      controller.signal,
      { resourceVersion: String(fake.resourceVersion), baseDelayMs: 50, maxFailures: 6 },
    );
    await until(() => fake.requests.filter((r) => r.query.watch === '1').length >= watchesBefore + 4, 5000, 'four watch attempts');
    await new Promise((r) => setTimeout(r, 100));
    fake.upsert(cm('after-drop'));
    await until(() => seen.includes('after-drop'), 3000, 'the event after reconnecting');
    assert.equal(stopped, false);
    controller.abort();
    await loop;
    removeReset();
    remove500();
  });

  test('a connection dropped mid-stream: the loop reconnects from its resourceVersion, nothing lost, nothing twice', async () => {
    // A TCP pass-through in front of the fake whose connections can all be cut at once (TLS stays end to end).
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const upstream = connect(fake.port, '127.0.0.1');
      for (const sock of [client, upstream]) {
        sockets.add(sock);
        sock.on('close', () => sockets.delete(sock));
        sock.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const proxyPort = (proxy.address() as AddressInfo).port;
    const file = join(dir, 'kubeconfig-proxy');
    writeFileSync(file, fake.kubeconfig({ contextName: 'w', user: 'token' }).replace(fake.url, `https://127.0.0.1:${proxyPort}`));
    const config = await loadKubeconfigs(kubeconfigPaths({ KUBECONFIG: file }, []));
    const viaProxy = await new SdkKubeClientFactory({
      requestTimeoutMs: () => 5_000,
      approvals: { isApproved: () => true, approve: () => Promise.resolve() },
      isTrusted: () => true,
    }).createClient(resolveContext(config, 'w'));
    const seen: string[] = [];
    const watchedFrom: (string | undefined)[] = [];
    const controller = new AbortController();
    const loop = runWatchLoop(
      {
        relist: () => assert.fail('no relist needed'),
        watch: (rv, signal, onEvent) => {
          watchedFrom.push(rv);
          return viaProxy.watch(configMaps, 'live', { signal, ...(rv ? { resourceVersion: rv } : {}), onEvent });
        },
        onEvent: (e) => seen.push(`${e.type} ${String((e.object.metadata as { name?: string }).name)}`),
        onStopped: (e) => assert.fail(`stopped: ${String(e)}`),
        sleep: realSleep,
      },
      controller.signal,
      { resourceVersion: String(fake.resourceVersion), baseDelayMs: 300 },
    );
    try {
      await until(() => watchedFrom.length === 1 && sockets.size > 0, 3000, 'the first watch');
      await new Promise((r) => setTimeout(r, 100));
      fake.upsert(cm('drop-a'));
      await until(() => seen.includes('ADDED drop-a'), 3000, 'drop-a');
      for (const sock of sockets) sock.destroy();
      fake.upsert(cm('drop-b')); // while the connection is down
      await until(() => watchedFrom.length >= 2, 5000, 'a reconnect');
      await until(() => seen.includes('ADDED drop-b'), 3000, 'drop-b, replayed from the resourceVersion');
      fake.upsert(cm('drop-c'));
      await until(() => seen.includes('ADDED drop-c'), 3000, 'drop-c');
      assert.deepEqual(
        seen.filter((x) => x.includes('drop-')),
        ['ADDED drop-a', 'ADDED drop-b', 'ADDED drop-c'],
      );
      assert.notEqual(watchedFrom[1], watchedFrom[0], 'resumed from the last event, not from the start');
    } finally {
      controller.abort();
      await loop;
      await new Promise<void>((r) => {
        for (const sock of sockets) sock.destroy();
        proxy.close(() => r());
      });
    }
  });

  test('a server that goes away ends in "stopped" after the bounded number of attempts', async () => {
    const gone = await startFakeKube({ tls: 'tls', token: TOKEN });
    const c = await clientFor(gone, dir, []);
    const rv = String(gone.resourceVersion);
    let stoppedWith: unknown;
    const loop = runWatchLoop(
      {
        relist: () => Promise.resolve(rv),
        watch: (v, signal, onEvent) => c.watch(configMaps, 'default', { signal, ...(v ? { resourceVersion: v } : {}), onEvent }),
        onEvent: () => undefined,
        onStopped: (e) => (stoppedWith = e),
        sleep: realSleep,
      },
      new AbortController().signal,
      { resourceVersion: rv, baseDelayMs: 20, maxDelayMs: 50, maxFailures: 3 },
    );
    await new Promise((r) => setTimeout(r, 200));
    await gone.close();
    await loop;
    assert.ok(stoppedWith instanceof ClusterDeckError, String(stoppedWith));
    assert.equal(stoppedWith.reason, 'unreachable');
  });

  test('the Deployment controller: a scale creates pods and updates status, visible on watches', async () => {
    fake.upsert({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'live' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
      },
    });
    const pods = () => fake.list('v1', 'Pod', 'live').filter((p) => p.metadata.name?.startsWith('web-'));
    const status = () => (fake.get('apps/v1', 'Deployment', 'live', 'web')?.['status'] ?? {}) as Record<string, number>;
    await until(() => pods().length === 1 && status().readyReplicas === 1, 3000, 'one ready pod');

    const events: WatchEvent[] = [];
    const controller = new AbortController();
    const done = client.watch(deployments, 'live', {
      signal: controller.signal,
      resourceVersion: String(fake.resourceVersion),
      onEvent: (e) => events.push(e),
    });
    await client.patchObject(deployments, 'live', 'web', { spec: { replicas: 3 } }, { signal: controller.signal, subresource: 'scale' });
    await until(() => pods().length === 3, 3000, 'three pods');
    assert.equal(status().replicas, 3);
    await until(() => status().readyReplicas === 3 && status().availableReplicas === 3, 3000, 'three ready');
    assert.equal(status().updatedReplicas, 3);
    assert.ok(
      events.some((e) => e.type === 'MODIFIED' && (e.object['status'] as { readyReplicas?: number }).readyReplicas === 3),
      'the watch saw the ready count change',
    );

    await client.patchObject(deployments, 'live', 'web', { spec: { replicas: 0 } }, { signal: controller.signal });
    await until(() => pods().length === 0 && status().replicas === 0 && status().readyReplicas === 0, 3000, 'scaled to zero');
    controller.abort();
    await done.catch(() => undefined);
  });

  test('controllers are off unless asked for (or seeded demo data)', async () => {
    const plain = await startFakeKube({});
    try {
      plain.upsert({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'quiet', namespace: 'default' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'q' } },
          template: { metadata: { labels: { app: 'q' } }, spec: { containers: [] } },
        },
      });
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(plain.list('v1', 'Pod', 'default').length, 0);
    } finally {
      await plain.close();
    }
  });
});
