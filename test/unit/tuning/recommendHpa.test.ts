// Table-driven tests of the HPA hints (tuning-formulas.md §4, §6.2): the controller model (tolerance, stabilization,
// policies), every rule firing and not firing, the production marker, suggestHpa and the manifest builder.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { TimedValue } from '../../../src/core/tuning/metricsSource';
import {
  buildHpaManifest,
  countDirectionChanges,
  isProductionWorkload,
  parseHpa,
  recommendHpa,
  simulateHpa,
  suggestHpa,
  type HpaHint,
  type HpaHistory,
  type HpaSpec,
  type HpaTarget,
} from '../../../src/core/tuning/recommendHpa';

const hpaObject = (spec: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 2,
    maxReplicas: 10,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    ...spec,
  },
});
const hpa = (spec: Record<string, unknown> = {}): HpaSpec => parseHpa(hpaObject(spec));
const target = (over: Partial<HpaTarget> = {}): HpaTarget => ({
  kind: 'Deployment',
  name: 'web',
  containers: [{ name: 'app', requests: { cpu: '500m', memory: '256Mi' } }],
  production: false,
  ...over,
});
const ids = (hints: readonly HpaHint[]): string[] => hints.map((h) => h.ruleId).sort();
const series = (n: number, step: number, f: (i: number) => number): TimedValue[] =>
  Array.from({ length: n }, (_, i) => ({ t: i * step, v: f(i) }));

describe('parseHpa applies the API defaults', () => {
  test('no metrics → CPU Utilization 80 %; minReplicas 1; default behavior', () => {
    const h = parseHpa({ metadata: { name: 'x' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'x' }, maxReplicas: 5 } });
    assert.deepEqual(h.metrics, [{ type: 'Resource', resource: 'cpu', targetType: 'Utilization', averageUtilization: 80 }]);
    assert.equal(h.minReplicas, 1);
    assert.equal(h.scaleDown.stabilizationWindowSeconds, 300);
    assert.equal(h.scaleUp.stabilizationWindowSeconds, 0);
    assert.deepEqual(
      h.scaleUp.policies.map((p) => `${p.type} ${p.value}/${p.periodSeconds}`),
      ['Pods 4/15', 'Percent 100/15'],
    );
  });
  test('autoscaling/v1 targetCPUUtilizationPercentage and explicit behavior', () => {
    const h = parseHpa({
      metadata: { name: 'x' },
      spec: {
        maxReplicas: 5,
        targetCPUUtilizationPercentage: 60,
        behavior: {
          scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
        },
      },
    });
    assert.equal(h.metrics[0]?.averageUtilization, 60);
    assert.deepEqual(h.scaleDown, {
      stabilizationWindowSeconds: 60,
      selectPolicy: 'Min',
      policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }],
    });
  });
});

describe('static rules', () => {
  const rows: { name: string; hpa: HpaSpec; target: HpaTarget; expect: string[] }[] = [
    { name: 'a healthy HPA: no hint', hpa: hpa(), target: target(), expect: [] },
    {
      name: 'Utilization without a request: error',
      hpa: hpa(),
      target: target({
        containers: [
          { name: 'app', requests: { cpu: '500m' } },
          { name: 'sidecar', requests: {} },
        ],
      }),
      expect: ['hpa-utilization-without-request'],
    },
    {
      name: 'a restartable init container without request counts',
      hpa: hpa(),
      target: target({ initContainers: [{ name: 'proxy', restartPolicy: 'Always', requests: {} }] }),
      expect: ['hpa-utilization-without-request'],
    },
    {
      name: 'a plain init container does not count',
      hpa: hpa(),
      target: target({ initContainers: [{ name: 'migrate', requests: {} }] }),
      expect: [],
    },
    {
      name: 'ContainerResource only checks its container',
      hpa: hpa({
        metrics: [
          {
            type: 'ContainerResource',
            containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 60 } },
          },
        ],
      }),
      target: target({
        containers: [
          { name: 'app', requests: { cpu: '1' } },
          { name: 'sidecar', requests: {} },
        ],
      }),
      expect: [],
    },
    {
      name: 'AverageValue targets need no request',
      hpa: hpa({ metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '500m' } } }] }),
      target: target({ containers: [{ name: 'app', requests: {} }] }),
      expect: [],
    },
    { name: 'min == max', hpa: hpa({ minReplicas: 3, maxReplicas: 3 }), target: target(), expect: ['hpa-min-equals-max'] },
    {
      name: 'min 1 on production',
      hpa: hpa({ minReplicas: 1 }),
      target: target({ production: true }),
      expect: ['hpa-min-replicas-below-2'],
    },
    { name: 'min 1 elsewhere is fine', hpa: hpa({ minReplicas: 1 }), target: target(), expect: [] },
    {
      name: 'spec.replicas set on the Deployment',
      hpa: hpa(),
      target: target({ specReplicas: 3 }),
      expect: ['hpa-spec-replicas-fights-hpa'],
    },
  ];
  for (const row of rows)
    test(row.name, () => {
      const hints = recommendHpa(row.hpa, row.target);
      assert.deepEqual(ids(hints), row.expect);
    });

  test('messages and patches', () => {
    const [noRequest] = recommendHpa(hpa(), target({ containers: [{ name: 'app', requests: {} }] }));
    assert.equal(noRequest?.severity, 'error');
    assert.match(noRequest?.message ?? '', /container app of Deployment web has no cpu request: the controller cannot compute/);
    const [fight] = recommendHpa(hpa(), target({ specReplicas: 1 }));
    assert.match(fight?.message ?? '', /outside the HPA range/);
    assert.deepEqual(fight?.patch, { spec: { replicas: null } });
    const [prod] = recommendHpa(hpa({ minReplicas: 1, maxReplicas: 1 }), target({ production: true })).filter(
      (h) => h.ruleId === 'hpa-min-replicas-below-2',
    );
    assert.deepEqual(prod?.patch, { spec: { minReplicas: 2, maxReplicas: 2 } });
  });
});

describe('production marker', () => {
  const rows: [Parameters<typeof isProductionWorkload>[0], boolean][] = [
    [{}, false],
    [{ labels: { env: 'prod' } }, true],
    [{ templateLabels: { environment: 'Production' } }, true],
    [{ namespaceLabels: { environment: 'staging' } }, false],
    [{ namespaceLabels: { env: 'production' } }, true],
    [{ annotations: { 'clusterdeck.io/production': 'true' } }, true],
    [{ namespaceAnnotations: { 'clusterdeck.io/production': 'false' } }, false],
    [{ hasPdb: true }, true],
  ];
  for (const [inputs, expected] of rows)
    test(`${JSON.stringify(inputs)} → ${expected}`, () => assert.equal(isProductionWorkload(inputs), expected));
});

describe('controller model (simulateHpa)', () => {
  const base = { podRequest: 1, target: 0.5, minReplicas: 1, maxReplicas: 20, metricsDelaySeconds: 0 };
  test('within the 0.1 tolerance nothing moves', () => {
    // 4 replicas at 0.5 target: usage 2.1 → ratio 1.05.
    const sim = simulateHpa({ ...base, usage: series(20, 60, () => 2.1), initialReplicas: 4 });
    assert.ok(sim.every((s) => s.v === 4));
  });
  test('outside the tolerance it scales to ceil(n × ratio)', () => {
    const sim = simulateHpa({ ...base, usage: series(20, 60, () => 2.5), initialReplicas: 4 });
    assert.equal(sim.at(-1)?.v, 5);
  });
  test('scale-up policies: max(4 pods, 100 %) per 15 s', () => {
    const sim = simulateHpa({ ...base, usage: series(3, 15, () => 100), initialReplicas: 1, syncPeriodSeconds: 15 });
    assert.deepEqual(
      sim.map((s) => s.v),
      [5, 10, 20],
    );
  });
  test('scale-down waits for the 300 s stabilization window (highest recommendation wins)', () => {
    const usage = series(20, 60, (i) => (i < 5 ? 5 : 0.5));
    const sim = simulateHpa({ ...base, usage, initialReplicas: 10 });
    const firstDown = sim.findIndex((s) => s.v < 10);
    // The load drops at t = 300 s; the window holds the old recommendation until t = 600 s.
    assert.equal(sim[firstDown]?.t, 600);
    assert.equal(sim.at(-1)?.v, 1);
  });
  test('a scale-down policy of 1 pod per 60 s slows the descent', () => {
    const usage = series(30, 60, (i) => (i < 2 ? 5 : 0.5));
    const sim = simulateHpa({
      ...base,
      usage,
      initialReplicas: 10,
      scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
    });
    const drops = sim.slice(1).map((s, i) => (sim[i]?.v ?? 0) - s.v);
    assert.ok(Math.max(...drops) <= 1, drops.join());
    assert.equal(sim.at(-1)?.v, 1);
  });
  test('the metrics delay lags the reaction by a sample', () => {
    const usage = series(5, 60, (i) => (i < 2 ? 0.5 : 4));
    const sim = simulateHpa({ ...base, usage, initialReplicas: 1, metricsDelaySeconds: 60 });
    assert.equal(sim[2]?.v, 1, 'the jump at t=120 is not seen yet');
    // Seen at t=180, limited by the scale-up policy (max(1 + 4 pods, 200 %)) to 5, then 8 one sync later.
    assert.equal(sim[3]?.v, 5);
    assert.equal(sim[4]?.v, 8);
  });
});

describe('history rules', () => {
  const step = 60;
  const day = 1440;
  const history = (replicas: (i: number) => number, usage?: (i: number) => number, n = day): HpaHistory => ({
    windowSeconds: n * step,
    stepSeconds: step,
    replicas: series(n, step, replicas),
    ...(usage ? { usage: { cpu: series(n, step, usage) } } : {}),
  });
  test('pinned at max for hours: raise max from the modelled demand', () => {
    // 500m requests at 70 %: 0.35 cores per replica. From minute 600 to 900 the load needs 15 replicas.
    const h = history(
      (i) => (i >= 600 && i < 900 ? 10 : 4),
      (i) => (i >= 600 && i < 900 ? 15 * 0.35 : 4 * 0.35),
    );
    const hints = recommendHpa(hpa(), target(), h);
    const pinned = hints.find((x) => x.ruleId === 'hpa-pinned-at-max');
    assert.ok(pinned, ids(hints).join());
    assert.match(pinned.message, /longest 5 h/);
    // p95 of the unclamped need is 15 (300 of 1440 samples) → 15 × 1.2 = 18.
    assert.deepEqual(pinned.patch, { spec: { maxReplicas: 18 } });
  });
  test('at max briefly: no hint', () => {
    const hints = recommendHpa(
      hpa(),
      target(),
      history((i) => (i >= 600 && i < 630 ? 10 : 4)),
    );
    assert.deepEqual(ids(hints), []);
  });
  test('flapping: more than 4 direction changes per hour → longer window and a gentler policy', () => {
    const hints = recommendHpa(
      hpa(),
      target(),
      history((i) => (i % 6 < 3 ? 4 : 6), undefined, 240),
    );
    const flap = hints.find((x) => x.ruleId === 'hpa-flapping');
    assert.ok(flap);
    assert.deepEqual(flap.patch, {
      spec: { behavior: { scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] } } },
    });
    assert.match(flap.message, /reversals within the 300 s/);
  });
  test('a daily cycle is not flapping', () => {
    const hints = recommendHpa(
      hpa(),
      target(),
      history((i) => (i < 720 ? 3 : 6)),
    );
    assert.ok(!hints.some((x) => x.ruleId === 'hpa-flapping'));
    assert.deepEqual(
      countDirectionChanges(
        series(5, 60, (i) => [1, 2, 1, 2, 2][i] ?? 0),
        300,
      ),
      { changes: 2, reversalsInWindow: 2 },
    );
  });
  test('target far from observed: pods run at 20 % against a 70 % target while free to scale', () => {
    const hints = recommendHpa(
      hpa(),
      target(),
      history(
        () => 5,
        () => 5 * 0.5 * 0.2,
      ),
    );
    const far = hints.find((x) => x.ruleId === 'hpa-target-far-from-observed');
    assert.ok(far, ids(hints).join());
    assert.match(far.message, /ran at 20%/);
  });
  test('observed near the target: no hint', () => {
    const hints = recommendHpa(
      hpa(),
      target(),
      history(
        () => 5,
        () => 5 * 0.5 * 0.68,
      ),
    );
    assert.deepEqual(ids(hints), []);
  });
  test('idle at min: suggests a lower min, never below 2 in production', () => {
    const h = history(
      () => 6,
      () => 6 * 0.5 * 0.1,
    );
    const hints = recommendHpa(hpa({ minReplicas: 6 }), target(), h);
    const idle = hints.find((x) => x.ruleId === 'hpa-min-replicas-idle');
    assert.ok(idle, ids(hints).join());
    // p95 load 0.3 cores / (0.5 × 0.7) → 1 replica.
    assert.deepEqual(idle.patch, { spec: { minReplicas: 1 } });
    const prod = recommendHpa(hpa({ minReplicas: 6 }), target({ production: true }), h).find((x) => x.ruleId === 'hpa-min-replicas-idle');
    assert.deepEqual(prod?.patch, { spec: { minReplicas: 2 } });
  });
  test('no request: the history rules that need utilization stay silent (the error says why)', () => {
    const hints = recommendHpa(
      hpa(),
      target({ containers: [{ name: 'app', requests: {} }] }),
      history(
        () => 5,
        () => 0.1,
      ),
    );
    assert.deepEqual(ids(hints), ['hpa-utilization-without-request']);
  });
});

describe('suggestHpa (Create HPA… wizard)', () => {
  // A daily sine between 1 and 5 cores, 5-minute steps, 7 days.
  const usage = series(7 * 288, 300, (i) => 3 + 2 * Math.sin((2 * Math.PI * i) / 288));
  test('picks the largest target whose modelled p95 replicas ≤ 0.8 × max and p99 utilization ≤ 100 %', () => {
    const s = suggestHpa({ resource: 'cpu', usage, podRequest: 0.5 });
    assert.ok(s.ok);
    assert.equal(s.targetUtilizationPercent, 85);
    // Quietest moment: 1 core / (0.5 × 0.85) → 3; peak 5 / 0.425 → 12 → /0.8 → 15.
    assert.equal(s.minReplicas, 3);
    assert.equal(s.maxReplicas, 15);
    assert.ok(s.p95Replicas <= 0.8 * s.maxReplicas);
    assert.ok(s.p99Utilization <= 1);
  });
  test('steep load steps leave no headroom at high targets: a lower target wins', () => {
    // Every hour, the load jumps from 1 to 6 cores for 10 minutes (60 s steps, metrics 60 s late).
    const spiky = series(3 * 1440, 60, (i) => (i % 60 < 10 ? 6 : 1));
    const s = suggestHpa({ resource: 'cpu', usage: spiky, podRequest: 0.5 });
    assert.ok(s.ok);
    assert.ok(s.targetUtilizationPercent < 85, String(s.targetUtilizationPercent));
  });
  test('no request → cannot; too little history → cannot', () => {
    const a = suggestHpa({ resource: 'cpu', usage, podRequest: undefined });
    assert.equal(a.ok, false);
    assert.match(!a.ok ? a.reason : '', /needs a cpu request/);
    const b = suggestHpa({ resource: 'cpu', usage: usage.slice(0, 50), podRequest: 0.5 });
    assert.match(!b.ok ? b.reason : '', /Not enough history/);
  });
  test('the manifest is autoscaling/v2 with the suggested values', () => {
    const m = buildHpaManifest({
      namespace: 'shop',
      name: 'web',
      targetKind: 'Deployment',
      targetName: 'web',
      minReplicas: 3,
      maxReplicas: 15,
      resource: 'cpu',
      targetUtilizationPercent: 85,
    });
    assert.deepEqual(m, {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 3,
        maxReplicas: 15,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 85 } } }],
      },
    });
    // Round trip through the parser.
    const back = parseHpa(m);
    assert.equal(back.metrics[0]?.averageUtilization, 85);
  });
});
