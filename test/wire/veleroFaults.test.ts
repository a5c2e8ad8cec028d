// Velero through the fault-injection proxy (reliability 11): the Backups view's snapshot and its live watches
// under a black hole, a 503 storm and watch streams cut mid-event. Every fault is a clear, secret-free message or
// is retried; once it ends, the snapshot converges on the server's state with every backup exactly once.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import YAML from 'yaml';
import type { ExecApprovals } from '../../src/core/kube/execApproval';
import { mergeKubeconfigs, resolveContext, type MergedKubeconfig } from '../../src/core/kube/kubeconfig';
import type { KubeClient } from '../../src/core/kube/kubeClient';
import { runWatchLoop } from '../../src/core/kube/watchLoop';
import { applyVeleroEvent, replaceCollection } from '../../src/core/velero/veleroLive';
import { veleroKinds } from '../../src/core/velero/veleroKinds';
import { buildBackup } from '../../src/core/velero/veleroRequests';
import { listAllVersioned, loadVeleroSnapshot, type VeleroSnapshot } from '../../src/core/velero/veleroSnapshot';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { startFaultProxy, type FaultProxy } from '../fakes/faultProxy';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';

const TOKEN = 'velero-faults-canary-7c1f';
const approvals: ExecApprovals = { isApproved: () => false, approve: () => Promise.resolve() };

describe('Velero under injected faults', () => {
  let fake: FakeKube;
  let proxy: FaultProxy;
  let config: MergedKubeconfig;
  const logLines: string[] = [];
  // A new client per test: no keep-alive socket from an earlier test skips the proxy's new toxics.
  const client = (): Promise<KubeClient> =>
    new SdkKubeClientFactory({
      requestTimeoutMs: () => 2_000,
      approvals,
      isTrusted: () => true,
      onRequest: (l) => logLines.push(l),
    }).createClient(resolveContext(config, 'faulty'));

  before(async () => {
    fake = await startFakeKube({ tls: 'tls', token: TOKEN, seed: 'demo', veleroController: { stepMs: 30 } });
    proxy = await startFaultProxy({ port: fake.port });
    const doc = YAML.parse(fake.kubeconfig({ contextName: 'faulty', user: 'token' })) as { clusters: { cluster: { server: string } }[] };
    doc.clusters[0]!.cluster.server = `https://127.0.0.1:${proxy.port}`;
    config = mergeKubeconfigs([{ path: '/k', text: YAML.stringify(doc) }]);
  });
  after(async () => {
    await proxy?.close();
    await fake?.close();
  });

  test('a black-holed API server: the snapshot fails with a timeout message within the deadline, then loads once healed', async () => {
    proxy.set({ blackhole: true });
    const started = Date.now();
    const error = await loadVeleroSnapshot(await client(), 'velero', new AbortController().signal).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    proxy.set({});
    assert.ok(error, 'the load failed');
    assert.match(error.message, /did not answer|timed out|timeout/i);
    assert.ok(Date.now() - started < 15_000, `gave up in ${Date.now() - started} ms`);
    assert.doesNotMatch(error.message, new RegExp(TOKEN));
    const snapshot = await loadVeleroSnapshot(await client(), 'velero', new AbortController().signal);
    assert.equal(snapshot.install.state, 'installed');
    assert.ok(snapshot.backups.length > 0);
  });

  test('a 503 storm on the backups list is retried; the snapshot is complete', async () => {
    const undo = fake.inject({ path: '/apis/velero.io/v1/namespaces/velero/backups', status: 503, times: 2 });
    try {
      const snapshot = await loadVeleroSnapshot(await client(), 'velero', new AbortController().signal);
      assert.equal(snapshot.backups.length, fake.list('velero.io/v1', 'Backup', 'velero').length);
    } finally {
      undo();
    }
  });

  test('watch streams cut mid-event: the live snapshot reconnects and ends with every backup exactly once, phases final', async () => {
    const c = await client();
    const initial = await loadVeleroSnapshot(c, 'velero', new AbortController().signal);
    let snapshot: VeleroSnapshot = initial;
    const finished: string[] = [];
    let stopped: unknown;
    const controller = new AbortController();
    const loop = runWatchLoop(
      {
        relist: async (s) => {
          const list = await listAllVersioned(c, veleroKinds.backup, 'velero', s);
          snapshot = replaceCollection(snapshot, 'backups', list.items);
          return list.resourceVersion;
        },
        watch: (rv, s, onEvent) => c.watch(veleroKinds.backup, 'velero', { signal: s, ...(rv ? { resourceVersion: rv } : {}), onEvent }),
        onEvent: (e) => {
          const u = applyVeleroEvent(snapshot, 'backups', e);
          snapshot = u.snapshot;
          if (u.finished) finished.push(u.finished.item.name);
        },
        onStopped: (e) => (stopped = e),
        sleep: (ms, s) =>
          new Promise((resolve, reject) => {
            const t = setTimeout(resolve, ms);
            s.addEventListener('abort', () => (clearTimeout(t), reject(new Error('stopped'))), { once: true });
          }),
      },
      controller.signal,
      { resourceVersion: initial.resourceVersions?.backups ?? '', baseDelayMs: 20, maxDelayMs: 100, maxFailures: 50 },
    );
    try {
      // Every stream through the proxy is cut after 4 KB (past the TLS handshake, mid-event), while three backups
      // run. The writes go straight to the server.
      proxy.set({ closeAfterBytes: 4000 });
      proxy.dropAll();
      const mine = ['cut-1', 'cut-2', 'cut-3'];
      const writer = await new SdkKubeClientFactory({ requestTimeoutMs: () => 5_000, approvals, isTrusted: () => true }).createClient(
        resolveContext(mergeKubeconfigs([{ path: '/direct', text: fake.kubeconfig({ contextName: 'direct', user: 'token' }) }]), 'direct'),
      );
      for (const name of mine)
        await writer.createObject(
          veleroKinds.backup,
          'velero',
          buildBackup({ name, veleroNamespace: 'velero', includedNamespaces: ['payments'], ttl: '24h' }),
          { signal: new AbortController().signal },
        );
      const done = () => mine.every((n) => snapshot.backups.find((b) => b.name === n)?.phase === 'Completed');
      for (let i = 0; i < 300 && !done(); i++) await new Promise((r) => setTimeout(r, 20));
      proxy.set({});
      for (let i = 0; i < 300 && !done(); i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(done(), JSON.stringify(snapshot.backups.map((b) => [b.name, b.phase])));
      assert.equal(stopped, undefined, 'the loop kept reconnecting');
      const names = snapshot.backups.map((b) => b.name);
      assert.equal(new Set(names).size, names.length, 'no duplicate backup');
      assert.deepEqual(
        [...names].sort(),
        fake
          .list('velero.io/v1', 'Backup', 'velero')
          .map((b) => b.metadata.name ?? '')
          .sort(),
      );
      assert.ok(proxy.connections > 3, 'streams were cut and reopened');
    } finally {
      controller.abort();
      await loop;
      proxy.set({});
    }
  });

  test('no log line or message carries the bearer token', () => {
    assert.ok(logLines.length > 0);
    assert.doesNotMatch(logLines.join('\n'), new RegExp(TOKEN));
  });
});
