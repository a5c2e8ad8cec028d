// The explorer's loaders through the fault-injection proxy and the fake's own fault rules (reliability 11, A1-A3,
// B36, B37, B46): every fault becomes a clear message node on its folder, nothing hangs past the deadline, and once
// the fault ends the same folder lists again with no duplicate items.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import YAML from 'yaml';
import { loadResourceNodes, resourceFolderNodes, type ClusterNode } from '../../src/core/explorer/clusterNodes';
import type { ExecApprovals } from '../../src/core/kube/execApproval';
import { mergeKubeconfigs, type MergedKubeconfig } from '../../src/core/kube/kubeconfig';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { startFaultProxy, type FaultProxy } from '../fakes/faultProxy';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';

const TOKEN = 'faults-canary-token-0d9e';
const approvals: ExecApprovals = { isApproved: () => false, approve: () => Promise.resolve() };

describe('explorer under injected faults', () => {
  let fake: FakeKube;
  let proxy: FaultProxy;
  let config: MergedKubeconfig;
  const requestTimeoutMs = 2_000;
  // A new factory per test: no keep-alive socket from an earlier test skips the proxy's new toxics.
  const factory = () => new SdkKubeClientFactory({ requestTimeoutMs: () => requestTimeoutMs, approvals, isTrusted: () => true });
  const pods = () => {
    const f = resourceFolderNodes('faulty', 'crowd', 'Workloads').find((n) => n.kind === 'resourceFolder' && n.resource.plural === 'pods');
    assert.ok(f && f.kind === 'resourceFolder');
    return f;
  };
  const load = (f = factory()) => loadResourceNodes(config, pods(), f, { signal: new AbortController().signal, pageSize: 100 });
  const names = (nodes: ClusterNode[]) => nodes.filter((n) => n.kind === 'resource').map((n) => (n.kind === 'resource' ? n.name : ''));

  before(async () => {
    fake = await startFakeKube({ tls: 'tls', token: TOKEN });
    fake.seedPods('crowd', 40);
    proxy = await startFaultProxy({ port: fake.port });
    const doc = YAML.parse(fake.kubeconfig({ contextName: 'faulty', user: 'token' })) as { clusters: { cluster: { server: string } }[] };
    doc.clusters[0]!.cluster.server = `https://127.0.0.1:${proxy.port}`;
    config = mergeKubeconfigs([{ path: '/k', text: YAML.stringify(doc) }]);
  });
  after(async () => {
    await proxy?.close();
    await fake?.close();
  });

  test('healthy through the proxy: 40 pods, each once', async () => {
    proxy.set({});
    const listed = names(await load());
    assert.equal(listed.length, 40);
    assert.equal(new Set(listed).size, 40);
  });

  test('a slow-drip body is cut at the request deadline with a timeout message, then recovers (B37)', async () => {
    proxy.set({ dripBytesPerSecond: 200 });
    const started = Date.now();
    const nodes = await load();
    assert.ok(Date.now() - started < requestTimeoutMs + 1_500, `took ${Date.now() - started} ms`);
    assert.equal(nodes.length, 1);
    assert.ok(nodes[0]?.kind === 'message' && nodes[0].reason === 'timeout', JSON.stringify(nodes));
    proxy.set({});
    assert.equal(names(await load()).length, 40);
  });

  test('a black-holed server: a timeout on the folder, not a hang', async () => {
    proxy.set({ blackhole: true });
    const nodes = await load();
    assert.ok(nodes[0]?.kind === 'message' && nodes[0].reason === 'timeout', JSON.stringify(nodes));
    proxy.set({});
    proxy.dropAll();
    assert.equal(names(await load()).length, 40);
  });

  test('a connection reset mid-body is retried for a read; a lasting reset becomes a message (B36)', async () => {
    const undo = fake.inject({ path: '/api/v1/namespaces/crowd/pods', resetConnection: true, times: 1 });
    try {
      assert.equal(names(await load()).length, 40, 'one reset: retried');
    } finally {
      undo();
    }
    proxy.set({ resetAfterBytes: 200 });
    const nodes = await load();
    assert.ok(nodes[0]?.kind === 'message' && nodes[0].reason === 'unreachable', JSON.stringify(nodes));
    proxy.set({});
    assert.equal(names(await load()).length, 40);
  });

  test('429 with Retry-After is waited out; a 503 storm is retried; malformed JSON is a clear error (B46)', async () => {
    let undo = fake.inject({ path: '/api/v1/namespaces/crowd/pods', status: 429, retryAfterSeconds: 1, times: 2 });
    const started = Date.now();
    try {
      assert.equal(
        names(await load(new SdkKubeClientFactory({ requestTimeoutMs: () => 10_000, approvals, isTrusted: () => true }))).length,
        40,
      );
      assert.ok(Date.now() - started >= 2_000, 'waited at least what the server asked, twice');
    } finally {
      undo();
    }
    undo = fake.inject({ path: '/api/v1/namespaces/crowd/pods', status: 503, times: 2 });
    try {
      assert.equal(names(await load()).length, 40);
    } finally {
      undo();
    }
    undo = fake.inject({ path: '/api/v1/namespaces/crowd/pods', body: '{"kind":"Table","rows":[{"cells":', times: 1 });
    try {
      const nodes = await load();
      assert.ok(nodes[0]?.kind === 'message', JSON.stringify(nodes));
      assert.match(nodes[0].kind === 'message' ? nodes[0].text : '', /did not answer JSON|invalid|malformed/i);
      assert.doesNotMatch(JSON.stringify(nodes), new RegExp(TOKEN));
    } finally {
      undo();
    }
    assert.equal(names(await load()).length, 40);
  });
});
