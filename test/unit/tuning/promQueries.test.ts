// The PromQL text, durations, step adaptation and the merging of answers (NaN/Inf dropped, labels required), plus
// the pod→workload assignment and the reading of workload objects.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  adaptStep,
  buildSeriesQueries,
  buildSummaryQueries,
  formatPromDuration,
  mergeSummaryResults,
  parsePromDuration,
  promString,
  type InstantSample,
  type SummaryQueryId,
} from '../../../src/core/tuning/promQueries';
import { assignPods, podPatternOf, recommendFromData, workloadOf, type TunedWorkload } from '../../../src/core/tuning/recommendWorkloads';
import { parseHpa } from '../../../src/core/tuning/recommendHpa';

const q = { namespace: 'shop', windowSeconds: 14 * 86400, stepSeconds: 75, cpuPercentiles: [95], memoryPercentiles: [50] };

describe('PromQL', () => {
  test('summary queries are the reference KRR queries, namespace-wide, without the pause and pod-level series', () => {
    const byId = new Map(buildSummaryQueries(q).map((x) => [x.id, x.promql]));
    assert.deepEqual([...byId.keys()], ['cpu:p95', 'cpu:count', 'memory:max', 'memory:p50', 'memory:count']);
    const sel = '{namespace="shop", container!="", container!="POD"}';
    assert.equal(
      byId.get('cpu:p95'),
      `quantile_over_time(0.95, max by (container, pod) (rate(container_cpu_usage_seconds_total${sel}[5m]))[14d:1m15s])`,
    );
    assert.equal(byId.get('memory:max'), `max_over_time(max by (container, pod) (container_memory_working_set_bytes${sel})[14d:1m15s])`);
    assert.equal(
      byId.get('memory:count'),
      `count_over_time(max by (container, pod) (container_memory_working_set_bytes${sel})[14d:1m15s])`,
    );
  });
  test('pod pattern, cluster label and rate window options; label values are escaped', () => {
    const [first] = buildSummaryQueries(
      { ...q, namespace: 'we"ird', podPattern: 'web-[a-z0-9]{1,10}-[a-z0-9]{5}' },
      { clusterLabel: { name: 'cluster', value: 'prod-eu' }, rateWindowSeconds: 120 },
    );
    assert.equal(
      first?.promql,
      'quantile_over_time(0.95, max by (container, pod) (rate(container_cpu_usage_seconds_total{namespace="we\\"ird", pod=~"web-[a-z0-9]{1,10}-[a-z0-9]{5}", container!="", container!="POD", cluster="prod-eu"}[2m]))[14d:1m15s])',
    );
    assert.equal(promString('a\\b'), '"a\\\\b"');
  });
  test('series queries: 8 days max, CPU at ≥ 15 min, memory as daily peaks', () => {
    const s = buildSeriesQueries(q);
    assert.equal(s.windowSeconds, 8 * 86400);
    assert.equal(s.cpuStepSeconds, 900);
    assert.equal(s.memoryStepSeconds, 86400);
    assert.match(s.memory, /^max_over_time\(.*\[1d:1m15s\]\)$/);
  });
  test('the OOM query (KRR use_oomkill_data) only when asked', () => {
    assert.ok(!buildSummaryQueries(q).some((x) => x.id === 'memory:oom'));
    const oom = buildSummaryQueries({ ...q, oomKill: true }).find((x) => x.id === 'memory:oom');
    assert.equal(
      oom?.promql,
      'max_over_time(max by (container, pod) (max by (pod, container, job) (kube_pod_container_resource_limits{resource="memory", namespace="shop"}) * on (pod, container, job) group_left (reason) max by (pod, container, job, reason) (kube_pod_container_status_last_terminated_reason{reason="OOMKilled", namespace="shop"}))[14d:1m15s])',
    );
  });
  test('durations and steps', () => {
    assert.equal(formatPromDuration(14 * 86400), '14d');
    assert.equal(formatPromDuration(75), '1m15s');
    assert.equal(formatPromDuration(5400), '1h30m');
    assert.equal(parsePromDuration('14d'), 14 * 86400);
    assert.equal(parsePromDuration('2w'), 14 * 86400);
    assert.equal(parsePromDuration('1h30m'), 5400);
    assert.equal(parsePromDuration('14 days'), undefined);
    assert.equal(parsePromDuration('0s'), undefined);
    assert.equal(adaptStep(14 * 86400, 75), 110, 'W / step ≤ 11,000');
    assert.equal(adaptStep(86400, 75), 75);
  });
  test('merging drops NaN, Inf and samples without pod/container labels', () => {
    const sample = (pod: string | undefined, container: string | undefined, v: string): InstantSample => ({
      metric: { ...(pod ? { pod } : {}), ...(container ? { container } : {}) },
      value: [1, v],
    });
    const results = new Map<SummaryQueryId, InstantSample[]>([
      ['cpu:p95', [sample('a', 'app', '0.25'), sample('b', 'app', 'NaN'), sample(undefined, 'app', '1')]],
      ['cpu:count', [sample('a', 'app', '4032'), sample('b', 'app', '10')]],
      ['memory:max', [sample('a', 'app', '+Inf'), sample('a', undefined, '5')]],
      ['memory:count', [sample('a', 'app', '4032')]],
    ]);
    assert.deepEqual(mergeSummaryResults('shop', results), [
      {
        namespace: 'shop',
        pod: 'a',
        container: 'app',
        cpuQuantiles: { '95': 0.25 },
        memoryQuantiles: {},
        memoryMaxBytes: undefined,
        cpuPoints: 4032,
        memoryPoints: 4032,
      },
      {
        namespace: 'shop',
        pod: 'b',
        container: 'app',
        cpuQuantiles: {},
        memoryQuantiles: {},
        memoryMaxBytes: undefined,
        cpuPoints: 10,
        memoryPoints: 0,
      },
    ]);
  });
});

describe('workloads', () => {
  const deployment = (name: string, containers: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop' },
    spec: { template: { spec: { containers } }, ...extra },
  });
  test('reads current resources as written; unset stays unset', () => {
    const w = workloadOf(
      deployment('web', [{ name: 'app', resources: { requests: { cpu: '250m' }, limits: { cpu: 1, memory: '512Mi' } } }], { replicas: 3 }),
    );
    assert.ok(w);
    assert.equal(w.specReplicas, 3);
    assert.deepEqual(w.containers[0]?.current, { cpuRequest: '250m', cpuLimit: '1', memoryLimit: '512Mi' });
    // The HPA sees the pod's defaulted request (= limit) for memory.
    assert.deepEqual(w.containers[0]?.requests, { cpu: '250m', memory: '512Mi' });
    assert.equal(workloadOf({ kind: 'Job' }), undefined);
  });
  test('pod names → workloads: controller patterns, the longest name first, strangers dropped', () => {
    const ws = (['web', 'web-api'] as const).map((name) => workloadOf(deployment(name, []))) as TunedWorkload[];
    const db = workloadOf({ kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop' }, spec: {} });
    const ds = workloadOf({ kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'shop' }, spec: {} });
    assert.ok(db && ds);
    const assigned = assignPods(
      [...ws, db, ds],
      ['web-5f6d7c8b9-a1s2d', 'web-api-6b7c8d9f4-z9x8c', 'db-0', 'db-12', 'agent-x7k2p', 'web-debug', 'dbx-0', 'agent-x7k2p-extra'],
    );
    assert.deepEqual(assigned.get(ws[0] as TunedWorkload), ['web-5f6d7c8b9-a1s2d']);
    assert.deepEqual(assigned.get(ws[1] as TunedWorkload), ['web-api-6b7c8d9f4-z9x8c']);
    assert.deepEqual(assigned.get(db), ['db-0', 'db-12']);
    assert.deepEqual(assigned.get(ds), ['agent-x7k2p']);
    assert.equal(podPatternOf('Deployment', 'a.b'), 'a\\.b-[a-z0-9]{1,10}-[a-z0-9]{5}');
  });
  test('records carry the manifest match key and the static HPA hints as notes', () => {
    const w = workloadOf(deployment('web', [{ name: 'app', resources: {} }], { replicas: 4 }));
    assert.ok(w);
    const hpa = parseHpa({
      metadata: { name: 'web', namespace: 'shop' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 2 },
    });
    const [r] = recommendFromData({
      workloads: [w],
      hpas: [hpa],
      summaries: [],
      source: 'prometheus',
      strategy: 'simple',
      windowSeconds: 14 * 86400,
      stepSeconds: 75,
    });
    assert.ok(r);
    assert.deepEqual([r.namespace, r.kind, r.name, r.container], ['shop', 'Deployment', 'web', 'app']);
    assert.equal(r.confidence, 'none');
    const notes = r.notes.join('\n');
    assert.match(notes, /HPA error: .*no cpu request/);
    assert.match(notes, /HPA warning: .*minReplicas = maxReplicas = 2/);
    assert.match(notes, /HPA warning: .*sets spec.replicas: 4/);
  });
});
