// Twenty contexts expanded at once, ten of them broken in five different ways: every healthy context lists its
// namespaces, every broken one gets its own explanation on its own node, and a hanging cluster holds back nobody
// (the healthy ones finish long before the hang times out). Timing figures are in `npm run bench`.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { loadNamespaceNodes, type ClusterNode } from '../../src/core/explorer/clusterNodes';
import type { ExecApprovals } from '../../src/core/kube/execApproval';
import { mergeKubeconfigs, type MergedKubeconfig } from '../../src/core/kube/kubeconfig';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { startFleet, type BrokenKind, type Fleet } from '../fakes/fleet';

const approvals: ExecApprovals = { isApproved: () => true, approve: () => Promise.resolve() };
const expectedReason: Record<BrokenKind, string> = {
  dns: 'unreachable',
  hang: 'timeout',
  unauthorized: 'unauthorized',
  badCa: 'tls',
  missingPlugin: 'missingPlugin',
};

describe('twenty contexts, ten broken (DNS, hang, 401, bad CA, missing plugin)', () => {
  let fleet: Fleet;
  let config: MergedKubeconfig;
  const requestTimeoutMs = 3_000;
  const factory = new SdkKubeClientFactory({ requestTimeoutMs: () => requestTimeoutMs, approvals, isTrusted: () => true });

  before(async () => {
    fleet = await startFleet();
    config = mergeKubeconfigs([{ path: '/fleet/kubeconfig', text: fleet.kubeconfigText }]);
  });
  after(async () => {
    await fleet?.close();
  });

  test('healthy contexts list their namespaces before the hang times out; each broken one explains itself', async () => {
    assert.equal(config.contexts.length, 20);
    const started = Date.now();
    const healthyDone: number[] = [];
    const hangDone: number[] = [];
    const hangs = new Set(fleet.broken.filter((b) => b.kind === 'hang').map((b) => b.name));
    const results = new Map<string, ClusterNode[]>();
    await Promise.all(
      config.contexts.map(async (c) => {
        const nodes = await loadNamespaceNodes(config, c.name, factory, { signal: new AbortController().signal, pageSize: 100 });
        results.set(c.name, nodes);
        if (fleet.healthy.includes(c.name)) healthyDone.push(Date.now() - started);
        if (hangs.has(c.name)) hangDone.push(Date.now() - started);
      }),
    );
    for (const name of fleet.healthy) {
      const nodes = results.get(name) ?? [];
      assert.ok(
        nodes.some((n) => n.kind === 'namespace' && n.name === 'shop'),
        `${name}: ${JSON.stringify(nodes)}`,
      );
    }
    assert.equal(healthyDone.length, 10);
    // Behaviour, not speed: every healthy context was listed before the hanging ones gave up (they did not wait).
    assert.ok(
      Math.max(...healthyDone) < Math.min(...hangDone),
      `healthy contexts finished at ${healthyDone.join(', ')} ms, the hanging ones at ${hangDone.join(', ')} ms`,
    );
    for (const { name, kind } of fleet.broken) {
      const nodes = results.get(name) ?? [];
      assert.equal(nodes.length, 1, `${name}: ${JSON.stringify(nodes)}`);
      const node = nodes[0]!;
      assert.equal(node.kind, 'message');
      if (node.kind !== 'message') continue;
      assert.equal(node.reason, expectedReason[kind], `${name} (${kind}): ${node.text}`);
      assert.ok(node.action, `${name} offers a next step`);
      if (kind === 'missingPlugin') assert.match(node.text, /gke-gcloud-auth-plugin-not-installed/);
      if (kind === 'dns') assert.match(node.text, /example\.invalid|cannot reach|unreachable/i);
    }
  });
});
