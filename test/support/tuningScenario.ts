/**
 * A known usage scenario for the tuning tests: 14 days of cAdvisor series for the namespace `shop` with shapes
 * chosen so that the statistics are plateau values (a percentile never falls on a transition), the matching
 * Kubernetes objects for the fake API server, and the independent computation of what KRR would recommend.
 *
 * CPU per pod: a base level most of the time, a busy level 10:00–12:00 every day (8.3 % of the time), optionally a
 * spike on day 10 (02:00–06:00, 2.4 % of a 7-day pod). So p95 and p96 are the busy level and p66 the base level.
 * Memory: a base level, +20 % while busy, and a 30-minute peak plateau on day 9 at 14:00 (the maximum).
 */
import type { KubeObject } from '../fakes/kubeApiServer';
import type { SyntheticContainer, SyntheticGauge } from './prometheus';

const DAY = 86400;
const HOUR = 3600;
const Mi = 2 ** 20;

export interface PodShape {
  readonly pod: string;
  readonly container: string;
  readonly namespace?: string;
  /** Days from the window start the pod lived (default the whole 14 days). */
  readonly fromDay?: number;
  readonly toDay?: number;
  /** Instead of days: the last `lastSeconds` of the window only. */
  readonly lastSeconds?: number;
  readonly base: number;
  readonly busy: number;
  readonly spike?: number;
  readonly memoryBaseBytes: number;
  readonly memoryPeakBytes: number;
}

export const scenarioShapes: readonly PodShape[] = [
  // Deployment web: a rollout at day 7 replaced two pods (RS 7c9d8f6b5) by three (RS 5f6d7c8b9).
  {
    pod: 'web-7c9d8f6b5-q2w4e',
    container: 'app',
    toDay: 7,
    base: 0.05,
    busy: 0.2374,
    memoryBaseBytes: 300 * Mi,
    memoryPeakBytes: 412.3 * Mi,
  },
  {
    pod: 'web-7c9d8f6b5-r5t6y',
    container: 'app',
    toDay: 7,
    base: 0.0612,
    busy: 0.2811,
    memoryBaseBytes: 280 * Mi,
    memoryPeakBytes: 390.7 * Mi,
  },
  {
    pod: 'web-5f6d7c8b9-a1s2d',
    container: 'app',
    fromDay: 7,
    base: 0.0534,
    busy: 0.3127,
    spike: 0.93,
    memoryBaseBytes: 310 * Mi,
    memoryPeakBytes: 401.1 * Mi,
  },
  {
    pod: 'web-5f6d7c8b9-f3g4h',
    container: 'app',
    fromDay: 7,
    base: 0.0701,
    busy: 0.2555,
    memoryBaseBytes: 305 * Mi,
    memoryPeakBytes: 399.9 * Mi,
  },
  {
    pod: 'web-5f6d7c8b9-j5k6l',
    container: 'app',
    fromDay: 7,
    base: 0.0488,
    busy: 0.1999,
    memoryBaseBytes: 290 * Mi,
    memoryPeakBytes: 350.2 * Mi,
  },
  {
    pod: 'web-7c9d8f6b5-q2w4e',
    container: 'sidecar',
    toDay: 7,
    base: 0.0021,
    busy: 0.0061,
    memoryBaseBytes: 20 * Mi,
    memoryPeakBytes: 30.4 * Mi,
  },
  {
    pod: 'web-5f6d7c8b9-a1s2d',
    container: 'sidecar',
    fromDay: 7,
    base: 0.0019,
    busy: 0.0052,
    memoryBaseBytes: 22 * Mi,
    memoryPeakBytes: 28.8 * Mi,
  },
  // Deployment web-api (its pods also start with "web-": the longest workload name wins).
  { pod: 'web-api-6b7c8d9f4-z9x8c', container: 'api', base: 0.4, busy: 1.4567, memoryBaseBytes: 1200 * Mi, memoryPeakBytes: 1843.2 * Mi },
  { pod: 'web-api-6b7c8d9f4-v7b6n', container: 'api', base: 0.41, busy: 1.3021, memoryBaseBytes: 1250 * Mi, memoryPeakBytes: 1790.5 * Mi },
  // StatefulSet db.
  { pod: 'db-0', container: 'postgres', base: 0.3, busy: 0.7771, memoryBaseBytes: 2500 * Mi, memoryPeakBytes: 3072.4 * Mi },
  { pod: 'db-1', container: 'postgres', base: 0.25, busy: 0.6001, memoryBaseBytes: 2400 * Mi, memoryPeakBytes: 2950.1 * Mi },
  // Deployment tiny: one hour of data only (not enough).
  {
    pod: 'tiny-6d5c4b3a2-p0o9i',
    container: 'app',
    lastSeconds: HOUR,
    base: 0.1,
    busy: 0.1,
    memoryBaseBytes: 200 * Mi,
    memoryPeakBytes: 200 * Mi,
  },
];

/** Series that a correct query must ignore: the pause container, the pod-level cgroup, another namespace. */
export const noiseShapes: readonly PodShape[] = [
  {
    pod: 'web-5f6d7c8b9-a1s2d',
    container: 'POD',
    fromDay: 7,
    base: 50,
    busy: 50,
    memoryBaseBytes: 50_000 * Mi,
    memoryPeakBytes: 50_000 * Mi,
  },
  {
    pod: 'web-5f6d7c8b9-a1s2d',
    container: '',
    fromDay: 7,
    base: 100,
    busy: 100,
    memoryBaseBytes: 90_000 * Mi,
    memoryPeakBytes: 90_000 * Mi,
  },
  {
    pod: 'web-5f6d7c8b9-a1s2d',
    container: 'app',
    namespace: 'other',
    base: 9,
    busy: 9,
    memoryBaseBytes: 9000 * Mi,
    memoryPeakBytes: 9000 * Mi,
  },
];

/** The scenario's time frame: the window ends on a whole hour at least 10 minutes ago. */
export function scenarioTimes(nowMs = Date.now()): { start: number; end: number } {
  const end = Math.floor((nowMs / 1000 - 600) / HOUR) * HOUR;
  return { start: end - 14 * DAY, end };
}

function lifeOf(s: PodShape, start: number, end: number): [number, number] {
  if (s.lastSeconds !== undefined) return [end - s.lastSeconds, end];
  return [start + (s.fromDay ?? 0) * DAY, s.toDay !== undefined ? start + s.toDay * DAY : end];
}

/** The true CPU rate (cores) and memory (bytes) of a shape at time t. */
export function shapeAt(s: PodShape, start: number, t: number): { cpu: number; memory: number } {
  const day = Math.floor((t - start) / DAY);
  const hourOfDay = ((t - start) % DAY) / HOUR;
  const busy = hourOfDay >= 10 && hourOfDay < 12;
  const spike = s.spike !== undefined && day === 10 && hourOfDay >= 2 && hourOfDay < 6;
  const peak = day === 9 && hourOfDay >= 14 && hourOfDay < 14.5;
  return {
    cpu: spike ? (s.spike ?? s.busy) : busy ? s.busy : s.base,
    memory: peak ? s.memoryPeakBytes : busy ? s.memoryBaseBytes * 1.2 : s.memoryBaseBytes,
  };
}

/** The synthetic containers to backfill. */
export function scenarioContainers(
  times: { start: number; end: number },
  shapes: readonly PodShape[] = [...scenarioShapes, ...noiseShapes],
): SyntheticContainer[] {
  return shapes.map((s) => {
    const [from, to] = lifeOf(s, times.start, times.end);
    return {
      namespace: s.namespace ?? 'shop',
      pod: s.pod,
      container: s.container,
      startSeconds: from,
      endSeconds: to,
      cpu: (t) => shapeAt(s, times.start, t).cpu,
      memory: (t) => shapeAt(s, times.start, t).memory,
    };
  });
}

/** numpy's default percentile (linear interpolation between closest ranks), written out here independently. */
export function numpyPercentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const frac = rank - lo;
  const a = sorted[lo] ?? NaN;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] ?? a;
  return a + (b - a) * frac;
}

/** The true per-step values of a shape over the window at `step` (aligned to multiples of step, as subqueries are). */
export function trueSteps(
  s: PodShape,
  times: { start: number; end: number },
  step: number,
  windowSeconds = 14 * DAY,
): { cpu: number[]; memory: number[] } {
  const [from, to] = lifeOf(s, times.start, times.end);
  const cpu: number[] = [];
  const memory: number[] = [];
  for (let t = Math.ceil((times.end - windowSeconds + 1) / step) * step; t <= times.end; t += step) {
    if (t < from || t > to) continue;
    const v = shapeAt(s, times.start, t);
    cpu.push(v.cpu);
    memory.push(v.memory);
  }
  return { cpu, memory };
}

/** What KRR simple recommends for a workload container, computed from the shapes (not through any of our code). */
export function expectedSimple(
  workloadPods: RegExp,
  container: string,
  times: { start: number; end: number },
  step: number,
): { cpu: string; memory: string; points: number } {
  const shapes = scenarioShapes.filter((s) => workloadPods.test(s.pod) && s.container === container);
  let cpu = 0;
  let memory = 0;
  let points = 0;
  for (const s of shapes) {
    const steps = trueSteps(s, times, step);
    cpu = Math.max(cpu, numpyPercentile(steps.cpu, 95));
    memory = Math.max(memory, Math.max(...steps.memory));
    points += steps.cpu.length;
  }
  const milli = Math.max(10, Math.ceil(cpu * 1000 - 1e-6));
  const mib = Math.max(100, Math.ceil((memory * 1.15) / Mi - 1e-6));
  return { cpu: milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`, memory: `${mib}Mi`, points };
}

const deployment = (name: string, containers: Record<string, unknown>[], extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop', labels: { app: name } },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers } },
    ...extra,
  },
  status: { replicas: 3 },
});

/** The workloads, HPAs and Services the fake API server holds for the scenario. */
export function scenarioObjects(): KubeObject[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { environment: 'production' } } },
    deployment('web', [
      { name: 'app', image: 'app:1', resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '512Mi' } } },
      { name: 'sidecar', image: 'proxy:1', resources: { requests: { cpu: '50m', memory: '64Mi' } } },
    ]),
    deployment('web-api', [{ name: 'api', image: 'api:1', resources: { requests: { memory: '2Gi' }, limits: { memory: '2Gi' } } }], {
      replicas: 2,
    }),
    deployment('tiny', [{ name: 'app', image: 'tiny:1' }]),
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'shop' },
      spec: {
        serviceName: 'db',
        replicas: 2,
        selector: { matchLabels: { app: 'db' } },
        template: {
          metadata: { labels: { app: 'db' } },
          spec: {
            containers: [
              { name: 'postgres', image: 'postgres:16', resources: { requests: { cpu: '1', memory: '4Gi' }, limits: { memory: '4Gi' } } },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web-api', namespace: 'shop' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web-api' },
        minReplicas: 2,
        maxReplicas: 6,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
      },
    },
  ];
}

/**
 * kube-state-metrics' view of HPA web: 3 replicas, pinned at maxReplicas 10 during the busy hours (10:00–12:00)
 * every day, so the "pinned at max" rule must fire (2 h stretches) and "flapping" must not (2 changes a day).
 */
export function scenarioGauges(times: { start: number; end: number }): SyntheticGauge[] {
  return [
    {
      name: 'kube_horizontalpodautoscaler_status_current_replicas',
      labels: { namespace: 'shop', horizontalpodautoscaler: 'web', job: 'kube-state-metrics' },
      startSeconds: times.start,
      endSeconds: times.end,
      value: (t) => {
        const hourOfDay = ((t - times.start) % DAY) / HOUR;
        return hourOfDay >= 10 && hourOfDay < 12 ? 10 : 3;
      },
    },
    // kube-state-metrics: pod f3g4h's app container ran with a 512 Mi limit and was OOM-killed on day 8.
    {
      name: 'kube_pod_container_resource_limits',
      labels: {
        namespace: 'shop',
        pod: 'web-5f6d7c8b9-f3g4h',
        container: 'app',
        resource: 'memory',
        unit: 'byte',
        job: 'kube-state-metrics',
      },
      startSeconds: times.start + 7 * DAY,
      endSeconds: times.end,
      value: () => 512 * Mi,
    },
    {
      name: 'kube_pod_container_status_last_terminated_reason',
      labels: { namespace: 'shop', pod: 'web-5f6d7c8b9-f3g4h', container: 'app', reason: 'OOMKilled', job: 'kube-state-metrics' },
      startSeconds: times.start + 8 * DAY,
      endSeconds: times.end,
      value: () => 1,
    },
  ];
}
