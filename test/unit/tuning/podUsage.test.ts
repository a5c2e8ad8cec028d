import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { describeUsage, usageByPod, usageTooltip } from '../../../src/core/tuning/podUsage';

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
