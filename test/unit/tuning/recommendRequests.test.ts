// Table-driven tests of the request/limit strategies (tuning-formulas.md §1, §2, §6): KRR simple exactly, simple_limit,
// the VPA-like strategy, severity, confidence, floors and rounding, the HPA coupling note and the cost delta.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { PodUsageSeries, PodUsageSummary } from '../../../src/core/tuning/metricsSource';
import { percentileOf, summarizeSeries } from '../../../src/core/tuning/metricsSource';
import {
  confidenceOf,
  recommendRequests,
  severityOf,
  vpaConfidenceMultipliers,
  worstSeverity,
  type RecommendInput,
  type Severity,
} from '../../../src/core/tuning/recommendRequests';

const Mi = 2 ** 20;
const DAY = 86400;
const key = { namespace: 'shop', kind: 'Deployment', name: 'web', container: 'app' };

function pod(name: string, cpu: Record<string, number>, memoryMaxBytes: number | undefined, points = 4032): PodUsageSummary {
  return {
    pod: name,
    cpuQuantiles: cpu,
    memoryQuantiles: memoryMaxBytes === undefined ? {} : { '50': memoryMaxBytes / 2 },
    memoryMaxBytes,
    cpuPoints: points,
    memoryPoints: memoryMaxBytes === undefined ? 0 : points,
  };
}

function input(over: Partial<RecommendInput>): RecommendInput {
  return {
    key,
    current: {},
    pods: [],
    source: 'prometheus',
    windowSeconds: 14 * DAY,
    stepSeconds: 300,
    ...over,
  };
}

describe('KRR simple', () => {
  const rows: { name: string; pods: PodUsageSummary[]; cpu: string | null; memory: string | null }[] = [
    {
      name: 'CPU = max over pods of p95; memory = max working set × 1.15',
      pods: [pod('web-1', { '95': 0.1234, '50': 0.05 }, 300 * Mi), pod('web-2', { '95': 0.2, '50': 0.1 }, 400 * Mi)],
      cpu: '200m',
      memory: '460Mi',
    },
    {
      name: 'rounded up to 1m and 1Mi',
      pods: [pod('web-1', { '95': 0.12301 }, 100.5 * Mi)],
      cpu: '124m',
      memory: '116Mi',
    },
    { name: 'floors 10m and 100Mi', pods: [pod('web-1', { '95': 0.002 }, 50 * Mi)], cpu: '10m', memory: '100Mi' },
    { name: 'whole cores print as cores', pods: [pod('web-1', { '95': 1.9999 }, 1024 * Mi)], cpu: '2', memory: '1178Mi' },
    {
      name: 'no memory series: memory unknown, CPU still computed',
      pods: [pod('web-1', { '95': 0.3 }, undefined)],
      cpu: null,
      memory: null,
    },
  ];
  for (const row of rows)
    test(row.name, () => {
      const r = recommendRequests(input({ pods: row.pods }), 'simple');
      if (row.name.startsWith('no memory')) {
        // Without memory points the data points are the minimum of both: none.
        assert.equal(r.confidence, 'none');
        assert.deepEqual(r.recommended, { cpuRequest: null, cpuLimit: null, memoryRequest: null, memoryLimit: null });
        return;
      }
      assert.equal(r.recommended.cpuRequest, row.cpu);
      assert.equal(r.recommended.cpuLimit, null, 'simple never sets a CPU limit');
      assert.equal(r.recommended.memoryRequest, row.memory);
      assert.equal(r.recommended.memoryLimit, row.memory, 'memory limit = request');
      assert.equal(r.confidence, 'high');
    });

  test('the OOM term: max(ws × 1.15, OOM-killed limit × 1.25)', () => {
    const r = recommendRequests(input({ pods: [pod('a', { '95': 0.1 }, 200 * Mi)], oomKilledLimitBytes: 256 * Mi }), 'simple');
    assert.equal(r.recommended.memoryRequest, '320Mi');
    assert.ok(r.notes.some((n) => n.includes('OOM')));
  });

  const pointRows: { points: number; step: number; source: 'prometheus' | 'metrics-server'; confidence: string }[] = [
    { points: 99, step: 300, source: 'prometheus', confidence: 'none' },
    { points: 100, step: 300, source: 'prometheus', confidence: 'low' },
    { points: 140, step: 75, source: 'prometheus', confidence: 'none' }, // 2.9 h < the 3 h minimum
    { points: 288, step: 300, source: 'prometheus', confidence: 'medium' }, // 24 h
    { points: 2015, step: 300, source: 'prometheus', confidence: 'medium' }, // just under 7 d
    { points: 2016, step: 300, source: 'prometheus', confidence: 'high' },
    { points: 60, step: 60, source: 'metrics-server', confidence: 'low' },
    { points: 59, step: 60, source: 'metrics-server', confidence: 'none' },
  ];
  for (const row of pointRows)
    test(`${row.points} points at ${row.step}s from ${row.source} → ${row.confidence}`, () => {
      const r = recommendRequests(
        input({ pods: [pod('a', { '95': 0.3, '50': 0.1 }, 300 * Mi, row.points)], stepSeconds: row.step, source: row.source }),
        'simple',
      );
      assert.equal(r.confidence, row.confidence);
      assert.equal(r.dataPoints, row.points);
      if (row.confidence === 'none') {
        assert.equal(r.recommended.cpuRequest, null);
        assert.equal(r.severity, 'UNKNOWN');
        assert.ok(
          r.notes.some((n) => /Not enough data/.test(n)),
          r.notes.join(),
        );
        assert.equal(r.applicable, false);
      } else {
        assert.equal(r.recommended.cpuRequest, '300m');
      }
      if (row.confidence === 'low') {
        assert.equal(r.applicable, false, 'low confidence: no one-click apply');
        assert.ok(r.band?.cpu, 'low confidence shows a band');
      }
    });

  test('data points are summed over pods (KRR total_points_count)', () => {
    const r = recommendRequests(
      input({ pods: [pod('a', { '95': 0.3 }, 300 * Mi, 50), pod('b', { '95': 0.3 }, 300 * Mi, 50)], stepSeconds: 300 }),
    );
    assert.equal(r.dataPoints, 100);
    assert.notEqual(r.confidence, 'none');
  });

  test('no series at all: says what is missing, invents nothing', () => {
    const r = recommendRequests(input({ pods: [] }));
    assert.equal(r.confidence, 'none');
    assert.deepEqual(r.recommended, { cpuRequest: null, cpuLimit: null, memoryRequest: null, memoryLimit: null });
    assert.match(r.notes[0] ?? '', /container_cpu_usage_seconds_total/);
  });
});

test('simple_limit: request = max p66, limit = max p96, memory as simple', () => {
  const r = recommendRequests(
    input({ pods: [pod('a', { '66': 0.15, '96': 0.4, '95': 0.39, '50': 0.1 }, 300 * Mi), pod('b', { '66': 0.1, '96': 0.35 }, 200 * Mi)] }),
    'simple_limit',
  );
  assert.deepEqual(r.recommended, { cpuRequest: '150m', cpuLimit: '400m', memoryRequest: '345Mi', memoryLimit: '345Mi' });
  assert.ok(r.notes.some((n) => /throttling/.test(n)));
});

describe('VPA-like strategy', () => {
  // Independent re-statement of the histogram: bucket i starts at first × ((1.05)^i − 1) / 0.05.
  const bucketEnd = (v: number, first: number): number => {
    const i = v < first ? 0 : Math.floor(Math.log(1 + (v * 0.05) / first) / Math.log(1.05));
    return (first * (1.05 ** (i + 1) - 1)) / 0.05;
  };
  const series = (name: string, cpu: (i: number) => number, mem: (i: number) => number, n = 8 * 288): PodUsageSeries => ({
    pod: name,
    cpuCores: Array.from({ length: n }, (_, i) => ({ t: 1_700_000_000 + i * 300, v: cpu(i) })),
    memoryBytes: Array.from({ length: n }, (_, i) => ({ t: 1_700_000_000 + i * 300, v: mem(i) })),
  });

  test('constant usage: target = bucket end × 1.15, memory request = limit, band widened by the confidence multiplier', () => {
    const s = series(
      'a',
      () => 0.1,
      () => 300 * Mi,
    );
    const summary = summarizeSeries(s, [50, 95], [50]);
    const r = recommendRequests(input({ pods: [summary], series: [s], windowSeconds: 8 * DAY }), 'vpa');
    const cpu = Math.ceil(bucketEnd(0.1, 0.01) * 1.15 * 1000) / 1000;
    const mem = Math.ceil((bucketEnd(300 * Mi, 1e7) * 1.15) / Mi);
    assert.equal(r.recommended.cpuRequest, `${Math.round(cpu * 1000)}m`);
    assert.equal(r.recommended.cpuLimit, null);
    assert.equal(r.recommended.memoryRequest, `${mem}Mi`);
    assert.equal(r.recommended.memoryLimit, `${mem}Mi`);
    const days = ((8 * 288 - 1) * 300) / DAY;
    const upper = bucketEnd(0.1, 0.01) * 1.15 * vpaConfidenceMultipliers(days).upper;
    assert.equal(r.band?.cpu?.[1], `${Math.ceil(upper * 1000 - 1e-9)}m`);
  });

  test('recent samples weigh more (24 h half-life): a jump in the last day moves the p90 target', () => {
    const n = 8 * 288;
    const s = series(
      'a',
      (i) => (i >= n - 288 ? 1 : 0.1),
      () => 200 * Mi,
      n,
    );
    const r = recommendRequests(input({ pods: [summarizeSeries(s, [50, 95], [50])], series: [s], windowSeconds: 8 * DAY }), 'vpa');
    // Unweighted, the last day is 1/8 of the samples (below p90); decayed, it holds half of the weight.
    assert.equal(r.recommended.cpuRequest, `${Math.ceil(bucketEnd(1, 0.01) * 1.15 * 1000 - 1e-9)}m`);
  });

  test('memory uses daily peaks: one spike per day sets the target', () => {
    const s = series(
      'a',
      () => 0.1,
      (i) => (i % 288 === 100 ? 900 * Mi : 200 * Mi),
    );
    const r = recommendRequests(input({ pods: [summarizeSeries(s, [50, 95], [50])], series: [s], windowSeconds: 8 * DAY }), 'vpa');
    assert.equal(r.recommended.memoryRequest, `${Math.ceil((bucketEnd(900 * Mi, 1e7) * 1.15) / Mi - 1e-9)}Mi`);
  });

  test('floors are per pod split across containers: 25m / 250Mi for one container, half for two', () => {
    const s = series(
      'a',
      () => 0.001,
      () => 10 * Mi,
    );
    const one = recommendRequests(input({ pods: [summarizeSeries(s, [50, 95], [50])], series: [s] }), 'vpa');
    assert.equal(one.recommended.cpuRequest, '25m');
    assert.equal(one.recommended.memoryRequest, '250Mi');
    const two = recommendRequests(input({ pods: [summarizeSeries(s, [50, 95], [50])], series: [s], containersPerPod: 2 }), 'vpa');
    assert.equal(two.recommended.cpuRequest, '13m');
    assert.equal(two.recommended.memoryRequest, '125Mi');
  });

  test('without raw series it says so', () => {
    const r = recommendRequests(input({ pods: [pod('a', { '95': 0.1 }, 200 * Mi)] }), 'vpa');
    assert.equal(r.recommended.cpuRequest, null);
    assert.ok(r.notes.some((n) => /raw usage series/.test(n)));
  });
});

describe('severity (KRR core/models/severity.py)', () => {
  const rows: [resource: 'cpu' | 'memory', current: number | undefined, recommended: number | undefined, expected: Severity][] = [
    ['cpu', 1, 0.5, 'CRITICAL'],
    ['cpu', 0.75, 0.5, 'WARNING'],
    ['cpu', 0.6, 0.5, 'OK'],
    ['cpu', 0.59, 0.5, 'GOOD'],
    ['cpu', 0.1, 0.6, 'CRITICAL'],
    ['cpu', undefined, 0.2, 'WARNING'],
    ['cpu', 2, undefined, 'WARNING'],
    ['cpu', undefined, undefined, 'GOOD'],
    ['memory', 1024 * Mi, 524 * Mi, 'CRITICAL'],
    ['memory', 600 * Mi, 350 * Mi, 'WARNING'],
    ['memory', 450 * Mi, 350 * Mi, 'OK'],
    ['memory', 449 * Mi, 350 * Mi, 'GOOD'],
  ];
  for (const [resource, current, recommended, expected] of rows)
    test(`${resource} ${current} → ${recommended}: ${expected}`, () => assert.equal(severityOf(resource, current, recommended), expected));

  test('the record severity is the worst field; a CPU limit the strategy drops counts (WARNING)', () => {
    const r = recommendRequests(
      input({
        current: { cpuRequest: '210m', cpuLimit: '1', memoryRequest: '460Mi', memoryLimit: '460Mi' },
        pods: [pod('a', { '95': 0.2 }, 400 * Mi)],
      }),
    );
    assert.deepEqual(r.severities, { cpuRequest: 'GOOD', cpuLimit: 'WARNING', memoryRequest: 'GOOD', memoryLimit: 'GOOD' });
    assert.equal(r.severity, 'WARNING');
    assert.deepEqual(r.current, { cpuRequest: '210m', cpuLimit: '1', memoryRequest: '460Mi', memoryLimit: '460Mi' });
    assert.equal(worstSeverity(['GOOD', 'CRITICAL', 'OK']), 'CRITICAL');
    assert.equal(worstSeverity(['UNKNOWN']), 'UNKNOWN');
  });
});

describe('HPA coupling (never silent)', () => {
  const pods = [pod('a', { '95': 0.2 }, 400 * Mi)];
  test('a big request cut: equivalent target out of range → clamped, replica impact stated, not one-click', () => {
    const r = recommendRequests(input({ pods, current: { cpuRequest: '500m' }, hpa: { name: 'web', cpuPercent: 70 } }));
    assert.ok(r.hpa);
    assert.equal(r.hpa.equivalentTargetPercent, 175);
    assert.equal(r.hpa.proposedTargetPercent, 95);
    assert.ok(Math.abs(r.hpa.replicaFactor - (70 * 0.5) / (95 * 0.2)) < 1e-9);
    const note = r.notes.find((n) => n.startsWith('HPA web'));
    assert.ok(note, r.notes.join('\n'));
    assert.match(note, /from 350m to 140m per pod/);
    assert.match(note, /175%/);
    assert.equal(r.applicable, false);
  });
  test('a small change: equivalent target in range, proposed as such, still applicable', () => {
    const r = recommendRequests(input({ pods, current: { cpuRequest: '250m' }, hpa: { name: 'web', cpuPercent: 70 } }));
    assert.equal(r.hpa?.proposedTargetPercent, 87.5);
    assert.equal(r.hpa?.replicaFactor, 1);
    assert.ok(r.notes.some((n) => /set averageUtilization to 88%/.test(n)));
    assert.equal(r.applicable, true);
  });
  test('pod totals: the other containers dilute the change', () => {
    const r = recommendRequests(
      input({ pods, current: { cpuRequest: '500m' }, hpa: { name: 'web', cpuPercent: 70 }, podRequestTotals: { cpu: 1.5 } }),
    );
    assert.equal(r.hpa?.podRequestAfter, 1.2);
    assert.ok(Math.abs((r.hpa?.equivalentTargetPercent ?? 0) - 87.5) < 1e-9);
  });
  test('no current request: the note says the HPA cannot compute today', () => {
    const r = recommendRequests(input({ pods, hpa: { name: 'web', cpuPercent: 70 } }));
    assert.ok(r.notes.some((n) => /cannot compute it today/.test(n)));
  });
  test('memory Utilization is coupled too', () => {
    const r = recommendRequests(input({ pods, current: { memoryRequest: '1Gi' }, hpa: { name: 'web', memoryPercent: 80 } }));
    assert.equal(r.hpa?.resource, 'memory');
  });
  test('no HPA: no note', () => {
    const r = recommendRequests(input({ pods, current: { cpuRequest: '500m' } }));
    assert.equal(r.hpa, undefined);
    assert.ok(!r.notes.some((n) => n.startsWith('HPA')));
  });
});

test('monthly cost delta from prices, for all replicas', () => {
  const r = recommendRequests(
    input({
      pods: [pod('a', { '95': 0.2 }, 400 * Mi)],
      current: { cpuRequest: '1', memoryRequest: '1Gi' },
      replicas: 3,
      prices: { cpuCoreMonth: 20, memoryGiBMonth: 4, currency: '$' },
    }),
  );
  const expected = Math.round(((0.2 - 1) * 20 + (460 / 1024 - 1) * 4) * 3 * 100) / 100;
  assert.equal(r.monthlyCostDelta, expected);
  assert.ok(r.notes.some((n) => n.includes(`saving: $${Math.abs(expected).toFixed(2)} for 3 replicas`)));
});

test('confidence and percentile helpers', () => {
  assert.equal(confidenceOf('prometheus', 7 * DAY, 100), 'high');
  assert.equal(percentileOf([1, 2, 3, 4], 50), 2.5);
  assert.equal(percentileOf([5], 95), 5);
  assert.equal(percentileOf([], 95), undefined);
  // numpy: np.percentile([1..10], 95) = 9.55
  assert.ok(Math.abs((percentileOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95) ?? 0) - 9.55) < 1e-9);
});
