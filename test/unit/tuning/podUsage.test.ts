import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { podOwnerOf } from '../../../src/core/tuning/liveUsage';
import {
  describeUsage,
  describeWorkloadUsage,
  usageByPod,
  usageByWorkload,
  usageTooltip,
  workloadUsageTooltip,
} from '../../../src/core/tuning/podUsage';

const c = (pod: string, container: string, extra: Record<string, unknown>) => ({
  namespace: 'shop',
  pod,
  container,
  timestamp: 0,
  windowSeconds: 15,
  cpuCores: 0.1,
  memoryBytes: 100 * 2 ** 20,
  nearLimit: false,
  ...extra,
});

test('pods sum their containers; percentages are the worst container; near-limit if any container is', () => {
  const figures = usageByPod([
    c('web-1', 'app', { cpuCores: 0.25, memoryBytes: 300 * 2 ** 20, cpuRequestPercent: 50, memoryLimitPercent: 92, nearLimit: true }),
    c('web-1', 'sidecar', { cpuCores: 0.01, memoryBytes: 20 * 2 ** 20, cpuRequestPercent: 100 }),
    c('db-0', 'db', { cpuCores: 1.5, memoryBytes: 2 * 2 ** 30 }),
  ]);
  const web = figures.get('shop/web-1');
  assert.ok(web);
  assert.equal(Math.round(web.cpuCores * 1000), 260);
  assert.equal(web.cpuRequestPercent, 100);
  assert.equal(web.nearLimit, true);
  assert.equal(describeUsage(web), 'cpu 260m (100% req) · mem 320Mi (92% lim)');
  assert.equal(describeUsage(figures.get('shop/web-1/sidecar')!), 'cpu 10m (100% req) · mem 20Mi');
  // No request or limit: usage alone, never a made-up percentage.
  assert.equal(describeUsage(figures.get('shop/db-0')!), 'cpu 1500m · mem 2048Mi');
  assert.match(usageTooltip(web).join('\n'), /⚠ A container uses 90 % or more of a limit/);
});

test('workloads sum usage and requests over their pods (k9s %CPU/R): all requests set → %, one missing → none', () => {
  const Mi = 2 ** 20;
  const owner = { kind: 'Deployment', name: 'web' };
  const figures = usageByWorkload([
    c('web-abc-1', 'app', {
      owner,
      cpuCores: 0.3,
      memoryBytes: 400 * Mi,
      cpuRequestCores: 0.5,
      memoryRequestBytes: 512 * Mi,
      memoryLimitBytes: 512 * Mi,
      memoryLimitPercent: 78,
    }),
    c('web-abc-2', 'app', {
      owner,
      cpuCores: 0.2,
      memoryBytes: 470 * Mi,
      cpuRequestCores: 0.5,
      memoryRequestBytes: 512 * Mi,
      memoryLimitBytes: 512 * Mi,
      memoryLimitPercent: 91.8,
      nearLimit: true,
    }),
    c('db-0', 'postgres', { owner: { kind: 'StatefulSet', name: 'db' }, cpuCores: 0.5, cpuRequestCores: 1 }),
    c('db-0', 'exporter', { owner: { kind: 'StatefulSet', name: 'db' }, cpuCores: 0.1 }),
    c('bare', 'x', {}),
  ]);
  const web = figures.get('shop/Deployment/web');
  assert.ok(web);
  assert.equal(web.pods, 2);
  assert.equal(web.cpuRequestPercent, 50); // 0.5 of 1.0 core
  assert.ok(Math.abs((web.memoryRequestPercent ?? 0) - (870 / 1024) * 100) < 1e-9);
  assert.ok(Math.abs((web.memoryLimitPercent ?? 0) - (870 / 1024) * 100) < 1e-9);
  assert.equal(web.cpuLimitPercent, undefined, 'no cpu limits: no % of limit');
  assert.equal(web.nearLimit, true);
  assert.deepEqual(web.nearLimitContainers, ['web-abc-2/app (92% of its memory limit)']);
  assert.equal(describeWorkloadUsage(web), '⚠ cpu 500m (50% req) · mem 870Mi (85% req)');
  assert.match(workloadUsageTooltip(web).join('\n'), /⚠ Near a limit \(≥ 90 %\): web-abc-2\/app/);
  const db = figures.get('shop/StatefulSet/db');
  assert.ok(db);
  assert.equal(db.cpuRequestPercent, undefined, 'exporter has no cpu request: a partial sum would overstate it');
  assert.deepEqual(db.missingCpuRequest, ['exporter']);
  assert.equal(describeWorkloadUsage(db), 'cpu 600m · mem 200Mi');
  assert.match(workloadUsageTooltip(db).join('\n'), /No CPU request on exporter: no % of request for CPU/);
  assert.equal(figures.size, 2, 'a pod without an owner counts for no workload');
});

test('podOwnerOf: a ReplicaSet named <deployment>-<pod-template-hash> is its Deployment; others as they are', () => {
  const pod = (kind: string, name: string, hash?: string) => ({
    metadata: { labels: hash ? { 'pod-template-hash': hash } : {}, ownerReferences: [{ kind, name, controller: true }] },
  });
  assert.deepEqual(podOwnerOf(pod('ReplicaSet', 'web-api-5f6d7c8b9', '5f6d7c8b9')), { kind: 'Deployment', name: 'web-api' });
  assert.deepEqual(podOwnerOf(pod('ReplicaSet', 'standalone')), { kind: 'ReplicaSet', name: 'standalone' });
  assert.deepEqual(podOwnerOf(pod('StatefulSet', 'db')), { kind: 'StatefulSet', name: 'db' });
  assert.equal(podOwnerOf({ metadata: { ownerReferences: [{ kind: 'Node', name: 'n1', controller: false }] } }), undefined);
  assert.equal(podOwnerOf({ metadata: {} }), undefined);
});
