// Bad-input catalogue row B37 (reliability.md §3.3): a slow-drip response (1 byte/s) is cut at the request deadline
// and leaves no memory behind. The real client reads a Table list and a whole object list through the fault proxy;
// after 20 cut requests the heap (after a full GC) has not grown and every socket of the cut requests is closed.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createServer, type Server } from 'node:http';
import YAML from 'yaml';
import { loadResourceNodes, resourceFolderNodes, type ClusterNode } from '../../src/core/explorer/clusterNodes';
import { ClusterDeckError } from '../../src/core/errors';
import type { ExecApprovals } from '../../src/core/kube/execApproval';
import { mergeKubeconfigs, resolveContext, type MergedKubeconfig } from '../../src/core/kube/kubeconfig';
import { listAllObjects } from '../../src/core/kube/listAllPages';
import { resourceKindOf, type ResourceKind } from '../../src/core/kube/resourceKinds';
import { mapKubeError } from '../../src/node/kube/kubeErrors';
import { getJson } from '../../src/node/kube/kubeHttp';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { startFaultProxy, type FaultProxy } from '../fakes/faultProxy';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';

const approvals: ExecApprovals = { isApproved: () => false, approve: () => Promise.resolve() };
const requestTimeoutMs = 400;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = async (): Promise<number> => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
};

describe('bad-input row B37: slow-drip responses', () => {
  let fake: FakeKube;
  let proxy: FaultProxy;
  let config: MergedKubeconfig;

  before(async () => {
    // Plain http (anonymous, loopback, allowed by the factory's opt-in): at 1 byte/s a TLS handshake alone would
    // outlast the deadline; here the drip hits the answer itself.
    fake = await startFakeKube();
    fake.seedPods('drip', 300, { padBytes: 2_000 });
    proxy = await startFaultProxy({ port: fake.port });
    const doc = YAML.parse(fake.kubeconfig({ contextName: 'drip', user: 'anonymous' })) as { clusters: { cluster: { server: string } }[] };
    doc.clusters[0]!.cluster.server = `http://127.0.0.1:${proxy.port}`;
    config = mergeKubeconfigs([{ path: '/k', text: YAML.stringify(doc) }]);
  });
  after(async () => {
    await proxy?.close();
    await fake?.close();
  });

  test('B37: 20 bodies dripping at 1 byte/s are each cut at the deadline; no heap growth, no socket left open', async () => {
    const folder = resourceFolderNodes('drip', 'drip', 'Workloads').find(
      (n): n is Extract<ClusterNode, { kind: 'resourceFolder' }> => n.kind === 'resourceFolder' && n.resource.plural === 'pods',
    );
    assert.ok(folder);
    const pods = resourceKindOf('pods') as ResourceKind;
    const factory = new SdkKubeClientFactory({
      requestTimeoutMs: () => requestTimeoutMs,
      approvals,
      isTrusted: () => true,
      allowPlainHttp: (name) => name === 'drip', // plain http needs the opt-in, loopback too (B14)
    });
    // Warm up (module loading, TLS contexts) before the baseline.
    proxy.set({});
    assert.equal((await loadResourceNodes(config, folder, factory, { signal: new AbortController().signal, pageSize: 100 })).length, 101);
    proxy.dropAll();
    proxy.set({ dripBytesPerSecond: 1 });
    const baseline = await heapAfterGc();
    const durations: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = Date.now();
      if (i % 2 === 0) {
        const nodes = await loadResourceNodes(config, folder, factory, { signal: new AbortController().signal, pageSize: 100 });
        assert.ok(nodes.length === 1 && nodes[0]?.kind === 'message' && nodes[0].reason === 'timeout', JSON.stringify(nodes));
      } else {
        const client = await factory.createClient(resolveContext(config, 'drip'));
        const error = await listAllObjects(client, pods, 'drip', { signal: new AbortController().signal }).then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(error instanceof ClusterDeckError && error.reason === 'timeout', String(error));
        assert.match(error.message, /did not answer within/);
      }
      durations.push(Date.now() - started);
    }
    // Every cut request closed its socket: the proxy holds none (each side closes when the other does).
    const deadline = Date.now() + 2_000;
    while (proxy.openSockets > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(proxy.openSockets, 0, 'no connection of a cut request stays open');
    const growthKiB = ((await heapAfterGc()) - baseline) / 1024;
    assert.ok(
      durations.every((d) => d < requestTimeoutMs + 1_000),
      `each cut at the deadline (${requestTimeoutMs} ms): ${durations.join(', ')} ms`,
    );
    // 20 requests that each buffered a few bytes: anything kept per request (sockets, parsers, timers) would show.
    assert.ok(growthKiB < 2_048, `heap growth after GC ${growthKiB.toFixed(0)} KiB`);
    proxy.set({});
  });

  test('B37: an endless body sent fast is cut at the size cap, not buffered until the deadline', async () => {
    let open = 0;
    const firehose: Server = createServer((_req, res) => {
      open++;
      res.on('close', () => open--);
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1 << 20, 0x20);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.write('{"items":[');
      pump();
    });
    await new Promise<void>((resolve) => firehose.listen(0, '127.0.0.1', resolve));
    try {
      const url = new URL(`http://127.0.0.1:${(firehose.address() as { port: number }).port}/api/v1/pods`);
      const baseline = await heapAfterGc();
      const started = Date.now();
      const error = await getJson(url, {}, undefined, new AbortController().signal, 30_000, 'GET', undefined, 10_000, 16 * 2 ** 20).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(Date.now() - started < 10_000, 'stopped at the cap, long before the 30 s deadline');
      assert.equal((error as { code?: string }).code, 'ETOOLARGE');
      const mapped = mapKubeError(error, { server: 'http://127.0.0.1', contextName: 'c', verb: 'list', resource: 'pods' });
      assert.equal(mapped.reason, 'serverError');
      assert.match(
        mapped.message,
        /sent more than ClusterDeck reads for one answer \(the answer is larger than 16 MiB\) to list pods; the request was stopped\.$/,
      );
      const growthMiB = ((await heapAfterGc()) - baseline) / 2 ** 20;
      assert.ok(growthMiB < 8, `heap after GC grew ${growthMiB.toFixed(1)} MiB`);
      const deadline = Date.now() + 2_000;
      while (open > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.equal(open, 0, 'the connection was closed');
    } finally {
      firehose.closeAllConnections();
      await new Promise<void>((resolve) => firehose.close(() => resolve()));
    }
  });
});
