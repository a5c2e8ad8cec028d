// Live usage from metrics.k8s.io (the fake API server serves PodMetrics/NodeMetrics) through our KubeClient:
// % of request / % of limit per container, the near-limit flag, the sampler as a low-confidence source, and the
// "no metrics" outcomes (not installed, 503) that say what is missing instead of inventing numbers.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeClient } from '../../src/core/kube/kubeClient';
import { resolveContext } from '../../src/core/kube/kubeconfig';
import { loadLiveUsage, loadNodeUsage, UsageSampler } from '../../src/core/tuning/liveUsage';
import { loadHpaHints } from '../../src/core/tuning/hpaTreeHints';
import { usageByWorkload } from '../../src/core/tuning/podUsage';
import { scenarioObjects } from '../support/tuningScenario';
import { recommendRequests } from '../../src/core/tuning/recommendRequests';
import { loadKubeconfigs } from '../../src/node/kube/kubeconfigFiles';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { startFakeKube, type FakeKube, type KubeObject } from '../fakes/kubeApiServer';

const signal = new AbortController().signal;

async function clientFor(fake: FakeKube, dir: string): Promise<KubeClient> {
  const path = join(dir, `kubeconfig-${fake.port}`);
  writeFileSync(path, fake.kubeconfig());
  const config = await loadKubeconfigs([path]);
  return new SdkKubeClientFactory({
    requestTimeoutMs: () => 5000,
    approvals: { isApproved: () => true, approve: () => Promise.resolve() },
    isTrusted: () => true,
    allowPlainHttp: (name) => name === 'fake', // the fakes are plain http (B14 opt-in)
  }).createClient(resolveContext(config, 'fake'));
}

const pod = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'shop' },
  spec: {
    containers: [
      {
        name: 'app',
        image: 'app:1',
        resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      },
      { name: 'sidecar', image: 'proxy:1' },
    ],
  },
  status: { phase: 'Running' },
});

const podMetrics = (name: string, at: string, appCpu: string, appMemory: string): KubeObject => ({
  apiVersion: 'metrics.k8s.io/v1beta1',
  kind: 'PodMetrics',
  metadata: { name, namespace: 'shop' },
  timestamp: at,
  window: '15.03s',
  containers: [
    { name: 'app', usage: { cpu: appCpu, memory: appMemory } },
    { name: 'sidecar', usage: { cpu: '2573385n', memory: '12468Ki' } },
  ],
});

describe('metrics-server live usage', () => {
  let fake: FakeKube;
  let bare: FakeKube;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-live-'));
    fake = await startFakeKube({});
    bare = await startFakeKube({ metricsApi: false });
    fake.upsert(pod('web-1'));
    fake.upsert(podMetrics('web-1', '2026-11-27T05:00:00Z', '125m', '480Mi'));
    fake.upsert({
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'NodeMetrics',
      metadata: { name: 'node-1' },
      usage: { cpu: '1500m', memory: '4Gi' },
    });
  });
  after(async () => {
    await fake.close();
    await bare.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('usage per container with % of request and % of limit; no request → no percentage', async () => {
    const result = await loadLiveUsage(await clientFor(fake, dir), 'shop', signal);
    assert.ok(result.available);
    const app = result.items.find((i) => i.container === 'app');
    assert.ok(app);
    assert.equal(app.cpuCores, 0.125);
    assert.equal(app.cpuRequestPercent, 50);
    assert.equal(app.cpuLimitPercent, 25);
    assert.equal(app.memoryRequestPercent, 187.5);
    assert.equal(app.memoryLimitPercent, 93.75);
    assert.equal(app.nearLimit, true, '≥ 90 % of the memory limit');
    assert.equal(app.windowSeconds, 15.03);
    const sidecar = result.items.find((i) => i.container === 'sidecar');
    assert.ok(sidecar);
    assert.ok(Math.abs(sidecar.cpuCores - 0.002573385) < 1e-12);
    assert.equal(sidecar.memoryBytes, 12468 * 1024);
    assert.equal(sidecar.cpuRequestPercent, undefined);
    assert.equal(sidecar.nearLimit, false);
    const nodes = await loadNodeUsage(await clientFor(fake, dir), signal);
    assert.deepEqual(nodes, { available: true, items: [{ node: 'node-1', cpuCores: 1.5, memoryBytes: 4 * 2 ** 30 }] });
  });

  test('no metrics-server: says what is missing and how to install it', async () => {
    const result = await loadLiveUsage(await clientFor(bare, dir), 'shop', signal);
    assert.equal(result.available, false);
    assert.ok(!result.available && result.reason === 'notInstalled');
    assert.match(
      !result.available ? result.message : '',
      /metrics-server is not installed .*get pods\.metrics\.k8s\.io.*kubectl apply -f https:\/\/github\.com\/kubernetes-sigs\/metrics-server/,
    );
  });

  test('a 503 from the aggregated API degrades only the metrics', async () => {
    const remove = fake.inject({ path: /metrics\.k8s\.io/, status: 503 });
    try {
      const result = await loadLiveUsage(await clientFor(fake, dir), 'shop', signal);
      assert.ok(!result.available && result.reason === 'unavailable', JSON.stringify(result));
      assert.match(result.message, /metrics API is unavailable/);
    } finally {
      remove();
    }
  });

  test('sampler: 60 one-minute samples → a low-confidence recommendation; fewer → none', async () => {
    const client = await clientFor(fake, dir);
    const sampler = new UsageSampler();
    for (let i = 0; i < 61; i++) {
      const at = new Date(Date.UTC(2026, 10, 27, 4, i)).toISOString();
      fake.upsert(podMetrics('web-1', at, `${100 + (i % 10) * 10}m`, `${300 + i}Mi`));
      const r = await loadLiveUsage(client, 'shop', signal);
      assert.ok(r.available);
      sampler.add(r.items);
      if (i === 30) {
        const early = await sampler.summarize({
          namespace: 'shop',
          windowSeconds: 3600,
          stepSeconds: 60,
          cpuPercentiles: [50, 95],
          memoryPercentiles: [50],
        });
        const rec = recommendRequests({
          key: { namespace: 'shop', kind: 'Deployment', name: 'web', container: 'app' },
          current: {},
          pods: early.filter((s) => s.container === 'app'),
          source: 'metrics-server',
          windowSeconds: 3600,
          stepSeconds: 60,
        });
        assert.equal(rec.confidence, 'none');
      }
    }
    const summaries = await sampler.summarize({
      namespace: 'shop',
      windowSeconds: 3600,
      stepSeconds: 60,
      cpuPercentiles: [50, 95],
      memoryPercentiles: [50],
    });
    const app = summaries.find((s) => s.container === 'app');
    assert.ok(app);
    assert.equal(app.cpuPoints, 61);
    assert.equal(app.memoryMaxBytes, 360 * 2 ** 20);
    const rec = recommendRequests({
      key: { namespace: 'shop', kind: 'Deployment', name: 'web', container: 'app' },
      current: {},
      pods: [app],
      source: 'metrics-server',
      windowSeconds: 3600,
      stepSeconds: 60,
    });
    assert.equal(rec.confidence, 'low');
    assert.equal(rec.applicable, false);
    assert.equal(rec.recommended.cpuRequest, '190m'); // p95 of 100…190m
    assert.ok(rec.band?.cpu);
  });

  test('workload rows: pods owned through a ReplicaSet sum into their Deployment, against the summed requests', async () => {
    const owned = (name: string, hash: string, cpu: string, memory: string): void => {
      const p = pod(name);
      p.metadata.labels = { app: 'api', 'pod-template-hash': hash };
      p.metadata.ownerReferences = [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `api-${hash}`, uid: `rs-${hash}`, controller: true },
      ];
      fake.upsert(p);
      fake.upsert(podMetrics(name, '2026-11-27T05:00:00Z', cpu, memory));
    };
    owned('api-6b7c8d9f5-aaaaa', '6b7c8d9f5', '200m', '300Mi');
    owned('api-6b7c8d9f5-bbbbb', '6b7c8d9f5', '100m', '200Mi');
    const result = await loadLiveUsage(await clientFor(fake, dir), 'shop', signal);
    assert.ok(result.available);
    const api = usageByWorkload(result.items).get('shop/Deployment/api');
    assert.ok(api, JSON.stringify([...usageByWorkload(result.items).keys()]));
    assert.equal(api.pods, 2);
    // app: 300m of 2 × 250m; the sidecar has no request, so no CPU % of requests for the workload.
    assert.equal(api.cpuRequestPercent, undefined);
    assert.deepEqual(api.missingCpuRequest, ['sidecar']);
    assert.ok(Math.abs(api.cpuCores - (0.3 + 2 * 0.002573385)) < 1e-9);
    assert.equal(api.nearLimit, false);
    assert.equal(usageByWorkload(result.items).has('shop/ReplicaSet/api-6b7c8d9f5'), false);
  });

  test('HPA hints for the tree from live objects: no request (error), spec.replicas fighting, production namespace', async () => {
    const hpaFake = await startFakeKube({});
    try {
      for (const o of scenarioObjects()) hpaFake.upsert(o);
      const hints = await loadHpaHints(await clientFor(hpaFake, dir), 'shop', signal);
      const api = hints.get('shop/web-api');
      assert.ok(api);
      assert.deepEqual(api.hints.map((h) => `${h.severity} ${h.ruleId}`).sort(), [
        'error hpa-utilization-without-request',
        'warning hpa-spec-replicas-fights-hpa',
      ]);
      assert.match(api.hints.find((h) => h.severity === 'error')?.message ?? '', /container api of Deployment web-api has no cpu request/);
      const web = hints.get('shop/web');
      assert.ok(web);
      assert.deepEqual(web.hints, [], 'web: requests set, min 2 in production, no spec.replicas');
      // Production (namespace label environment=production): min 1 is a warning.
      hpaFake.upsert({
        ...scenarioObjects().find((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === 'web')!,
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
          minReplicas: 1,
          maxReplicas: 10,
        },
      });
      const again = await loadHpaHints(await clientFor(hpaFake, dir), 'shop', signal);
      assert.deepEqual(
        again.get('shop/web')?.hints.map((h) => h.ruleId),
        ['hpa-min-replicas-below-2'],
      );
    } finally {
      await hpaFake.close();
    }
  });
});
