// Bad-input rows B83 and B84 of reliability.md §3 for tuning: pods without requests or completed pods, and series
// with NaN, negative values, gaps or too little data. Nothing is invented: no hint, and never below a floor.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { joinLiveUsage } from '../../../src/core/tuning/liveUsage';
import { summarizeSeries } from '../../../src/core/tuning/metricsSource';
import { usageByWorkload } from '../../../src/core/tuning/podUsage';
import { mergeSeriesResults, mergeSummaryResults } from '../../../src/core/tuning/promQueries';
import { parseHpa, recommendHpa, suggestHpa } from '../../../src/core/tuning/recommendHpa';
import { recommendRequests } from '../../../src/core/tuning/recommendRequests';

const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc12', uid: 'u', controller: true };
const pod = (name: string, phase: string, requests: Record<string, string>) => ({
  metadata: { name, namespace: 'shop', labels: { 'pod-template-hash': 'abc12' }, ownerReferences: [owner] },
  spec: { containers: [{ name: 'app', resources: { requests } }] },
  status: { phase },
});

test('B83: pods without requests get no utilization hints ("missing request for cpu"); completed pods count for nothing', () => {
  const hpa = parseHpa({
    metadata: { name: 'web', namespace: 'shop' },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5 },
  });
  const hints = recommendHpa(hpa, { kind: 'Deployment', name: 'web', containers: [{ name: 'app', requests: {} }], production: false });
  assert.deepEqual(
    hints.map((h) => h.ruleId),
    ['hpa-utilization-without-request'],
  );
  assert.match(hints[0]?.message ?? '', /"missing request for cpu"\) and never scales/);
  // The history rules are suppressed while the request is missing, even with a history that would fire them.
  const replicas = Array.from({ length: 200 }, (_, i) => ({ t: i * 60, v: 5 }));
  const withHistory = recommendHpa(
    hpa,
    { kind: 'Deployment', name: 'web', containers: [{ name: 'app', requests: {} }], production: false },
    { windowSeconds: 12_000, stepSeconds: 60, replicas, usage: { cpu: replicas.map((r) => ({ t: r.t, v: 2 })) } },
  );
  assert.ok(!withHistory.some((h) => h.ruleId === 'hpa-target-far-from-observed' || h.ruleId === 'hpa-min-replicas-idle'));
  const s = suggestHpa({ resource: 'cpu', usage: replicas, podRequest: undefined });
  assert.equal(s.ok, false);
  // Live usage: a request-less container has no % of request; a Succeeded pod (no PodMetrics) is not counted.
  const live = joinLiveUsage(
    [
      {
        metadata: { name: 'web-abc12-aaaaa', namespace: 'shop' },
        timestamp: '2026-11-27T05:00:00Z',
        window: '15s',
        containers: [{ name: 'app', usage: { cpu: '100m', memory: '100Mi' } }],
      },
    ],
    [pod('web-abc12-aaaaa', 'Running', {}), pod('web-abc12-done1', 'Succeeded', { cpu: '1' })],
  );
  assert.equal(live.length, 1);
  assert.equal(live[0]?.cpuRequestPercent, undefined);
  const web = usageByWorkload(live).get('shop/Deployment/web');
  assert.equal(web?.pods, 1);
  assert.equal(web?.cpuRequestPercent, undefined);
  assert.deepEqual(web?.missingCpuRequest, ['app']);
});

test('B84: NaN, negative values and gaps are dropped; under 100 points or 3 h: no hint; never below a floor', () => {
  const merged = mergeSummaryResults(
    'shop',
    new Map([
      ['cpu:p95', [{ metric: { pod: 'p', container: 'app' }, value: [0, 'NaN'] as const }]],
      ['memory:max', [{ metric: { pod: 'p', container: 'app' }, value: [0, '+Inf'] as const }]],
    ]),
  );
  assert.deepEqual(merged, [], 'NaN and Inf never become values');
  const [ranged] = mergeSeriesResults(
    'shop',
    [
      {
        metric: { pod: 'p', container: 'app' },
        values: [
          [0, '0.1'],
          [60, '-0.5'],
          [120, 'NaN'],
          [180, '0.2'],
        ],
      },
    ],
    [],
  );
  assert.deepEqual(
    ranged?.cpuCores,
    [
      { t: 0, v: 0.1 },
      { t: 180, v: 0.2 },
    ],
    'a negative rate (counter reset) and NaN are dropped, the gap stays a gap',
  );
  const series = {
    pod: 'p',
    cpuCores: [
      { t: 0, v: 0.002 },
      { t: 60, v: Number.NaN },
      { t: 3600, v: 0.003 },
    ],
    memoryBytes: [{ t: 0, v: 10 * 2 ** 20 }],
  };
  const summary = summarizeSeries(series, [95], []);
  assert.equal(summary.cpuPoints, 2, 'the NaN sample is not a data point');
  const input = (points: number) => ({
    key: { namespace: 'shop', kind: 'Deployment', name: 'web', container: 'app' },
    current: { cpuRequest: '500m' },
    pods: [{ ...summary, cpuQuantiles: { '95': 0.003 }, memoryMaxBytes: 10 * 2 ** 20, cpuPoints: points, memoryPoints: points }],
    source: 'prometheus' as const,
    windowSeconds: 14 * 86400,
    stepSeconds: 75,
  });
  const few = recommendRequests(input(40));
  assert.equal(few.confidence, 'none');
  assert.deepEqual(few.recommended, { cpuRequest: null, cpuLimit: null, memoryRequest: null, memoryLimit: null });
  assert.match(few.notes.join(' '), /Not enough data: 40 data points/);
  assert.equal(few.applicable, false);
  const enough = recommendRequests(input(10_000));
  assert.equal(enough.recommended.cpuRequest, '10m', 'raised to the 10m floor, not 3m');
  assert.equal(enough.recommended.memoryRequest, '100Mi', 'raised to the 100Mi floor, not 12Mi');
  assert.match(enough.notes.join(' '), /CPU request raised to the floor 10m/);
});
