/**
 * HPA hints (tuning-formulas.md §4, §6.2): static checks of an autoscaling/v2 HPA against its target workload, and
 * checks of the observed history against a model of the real controller (tolerance 0.1, stabilization windows,
 * scale-up/down policies, metrics delay). Also `suggestHpa` for a "Create HPA…" wizard and the manifest builder.
 * Pure: no I/O.
 */
import { parseQuantity } from '../kube/quantity';
import { percentileOf, type TimedValue } from './metricsSource';

/** One scaling policy (`behavior.scaleUp|scaleDown.policies[]`). */
export interface ScalingPolicy {
  readonly type: 'Pods' | 'Percent';
  readonly value: number;
  readonly periodSeconds: number;
}

/** `behavior.scaleUp` or `behavior.scaleDown`, with the API defaults filled in by `parseHpa`. */
export interface ScalingRules {
  readonly stabilizationWindowSeconds: number;
  readonly selectPolicy: 'Max' | 'Min' | 'Disabled';
  readonly policies: readonly ScalingPolicy[];
}

/** One metric of the HPA; only resource metrics matter to the rules here. */
export interface HpaMetric {
  readonly type: 'Resource' | 'ContainerResource' | 'Pods' | 'Object' | 'External';
  /** `cpu`, `memory` (Resource / ContainerResource). */
  readonly resource?: string;
  /** ContainerResource: the one container the utilization is computed over. */
  readonly container?: string;
  readonly targetType?: 'Utilization' | 'AverageValue' | 'Value';
  /** Percent, for Utilization targets. */
  readonly averageUtilization?: number;
}

/** An HPA reduced to what the controller model needs, API defaults applied (§4.2). */
export interface HpaSpec {
  readonly namespace: string;
  readonly name: string;
  readonly targetKind: string;
  readonly targetName: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly metrics: readonly HpaMetric[];
  readonly scaleUp: ScalingRules;
  readonly scaleDown: ScalingRules;
}

/** A container of the target's pod template with its requests as quantity strings. */
export interface TemplateContainer {
  readonly name: string;
  readonly requests: { readonly cpu?: string; readonly memory?: string };
  /** Init containers only: `Always` makes it a restartable (sidecar) init container, counted by the HPA. */
  readonly restartPolicy?: string;
}

/** The workload an HPA scales. */
export interface HpaTarget {
  readonly kind: string;
  readonly name: string;
  /** `spec.replicas` as written in the manifest (undefined when absent). */
  readonly specReplicas?: number;
  readonly containers: readonly TemplateContainer[];
  readonly initContainers?: readonly TemplateContainer[];
  /** Whether the workload is marked production (see `isProductionWorkload`). */
  readonly production: boolean;
}

/** What was observed over the window W, all series at the same step. */
export interface HpaHistory {
  readonly windowSeconds: number;
  readonly stepSeconds: number;
  /** Replicas of the target over time (`kube_horizontalpodautoscaler_status_current_replicas`). */
  readonly replicas: readonly TimedValue[];
  /** Total usage across the target's pods over time: cores for cpu, bytes for memory. */
  readonly usage?: { readonly cpu?: readonly TimedValue[]; readonly memory?: readonly TimedValue[] };
}

/** One hint. `patch` is a JSON merge patch for the object named by `on` (never applied without the user). */
export interface HpaHint {
  readonly ruleId:
    | 'hpa-utilization-without-request'
    | 'hpa-min-equals-max'
    | 'hpa-min-replicas-below-2'
    | 'hpa-pinned-at-max'
    | 'hpa-flapping'
    | 'hpa-target-far-from-observed'
    | 'hpa-min-replicas-idle'
    | 'hpa-spec-replicas-fights-hpa';
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  readonly on: 'hpa' | 'workload';
  readonly patch?: Record<string, unknown>;
}

/** Controller constants (§4.2). */
export const hpaDefaults = {
  tolerance: 0.1,
  syncPeriodSeconds: 15,
  metricsDelaySeconds: 60,
  downscaleStabilizationSeconds: 300,
  defaultCpuUtilization: 80,
  minTargetPercent: 20,
  maxTargetPercent: 95,
  flapDirectionChangesPerHour: 4,
} as const;

/** API defaults of `behavior.scaleUp`. */
export const defaultScaleUp: ScalingRules = {
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};
/** API defaults of `behavior.scaleDown`. */
export const defaultScaleDown: ScalingRules = {
  stabilizationWindowSeconds: 300,
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

/** ceil that ignores floating-point noise (5.25 / 0.35 = 15.000000000000002 is 15). */
const ceilSafe = (x: number): number => Math.ceil(x - 1e-9);

const rec = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function parseRules(v: unknown, defaults: ScalingRules): ScalingRules {
  const r = rec(v);
  const policies = arr(r.policies)
    .map(rec)
    .flatMap((p): ScalingPolicy[] => {
      const type = p.type === 'Pods' || p.type === 'Percent' ? p.type : undefined;
      const value = num(p.value);
      const periodSeconds = num(p.periodSeconds);
      return type && value !== undefined && periodSeconds !== undefined ? [{ type, value, periodSeconds }] : [];
    });
  const select =
    r.selectPolicy === 'Min' || r.selectPolicy === 'Disabled' || r.selectPolicy === 'Max' ? r.selectPolicy : defaults.selectPolicy;
  return {
    stabilizationWindowSeconds: num(r.stabilizationWindowSeconds) ?? defaults.stabilizationWindowSeconds,
    selectPolicy: select,
    policies: policies.length > 0 ? policies : defaults.policies,
  };
}

/**
 * Reads an autoscaling/v2 (or v1) HorizontalPodAutoscaler object, applying the API defaults: minReplicas 1, no
 * metrics → CPU Utilization 80 %, the default behavior. `downscaleStabilizationSeconds` is the controller flag.
 */
export function parseHpa(
  obj: Record<string, unknown>,
  downscaleStabilizationSeconds: number = hpaDefaults.downscaleStabilizationSeconds,
): HpaSpec {
  const metadata = rec(obj.metadata);
  const spec = rec(obj.spec);
  const ref = rec(spec.scaleTargetRef);
  const metrics: HpaMetric[] = [];
  for (const m of arr(spec.metrics).map(rec)) {
    const type = str(m.type) as HpaMetric['type'] | undefined;
    if (!type) continue;
    const source = type === 'ContainerResource' ? rec(m.containerResource) : rec(m.resource);
    const target = rec(source.target);
    const container = str(source.container);
    const resource = str(source.name);
    const targetType = str(target.type) as HpaMetric['targetType'] | undefined;
    const averageUtilization = num(target.averageUtilization);
    metrics.push({
      type,
      ...(resource !== undefined && (type === 'Resource' || type === 'ContainerResource') ? { resource } : {}),
      ...(container !== undefined ? { container } : {}),
      ...(targetType !== undefined ? { targetType } : {}),
      ...(averageUtilization !== undefined ? { averageUtilization } : {}),
    });
  }
  const v1Target = num(spec.targetCPUUtilizationPercentage);
  if (metrics.length === 0)
    metrics.push({
      type: 'Resource',
      resource: 'cpu',
      targetType: 'Utilization',
      averageUtilization: v1Target ?? hpaDefaults.defaultCpuUtilization,
    });
  const behavior = rec(spec.behavior);
  return {
    namespace: str(metadata.namespace) ?? 'default',
    name: str(metadata.name) ?? '',
    targetKind: str(ref.kind) ?? '',
    targetName: str(ref.name) ?? '',
    minReplicas: num(spec.minReplicas) ?? 1,
    maxReplicas: num(spec.maxReplicas) ?? 1,
    metrics,
    scaleUp: parseRules(behavior.scaleUp, defaultScaleUp),
    scaleDown: parseRules(behavior.scaleDown, { ...defaultScaleDown, stabilizationWindowSeconds: downscaleStabilizationSeconds }),
  };
}

/** The label/annotation that marks a workload or namespace as production (besides a PDB). */
export const productionAnnotation = 'clusterdeck.io/production';

/**
 * The production marker used by `hpa-min-replicas-below-2` (lint parity with Polaris/kube-score, §4.3, §6.2):
 * - the annotation `clusterdeck.io/production: "true"` on the workload or its namespace, or
 * - a label `environment` or `env` equal to `production` or `prod` on the workload, its pod template or namespace, or
 * - a PodDisruptionBudget selects its pods (the reference's "Services with a PDB").
 */
export function isProductionWorkload(input: {
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly templateLabels?: Readonly<Record<string, string>>;
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  readonly namespaceAnnotations?: Readonly<Record<string, string>>;
  readonly hasPdb?: boolean;
}): boolean {
  if (input.hasPdb) return true;
  for (const a of [input.annotations, input.namespaceAnnotations]) if (a?.[productionAnnotation] === 'true') return true;
  for (const l of [input.labels, input.templateLabels, input.namespaceLabels])
    for (const key of ['environment', 'env']) {
      const v = l?.[key]?.toLowerCase();
      if (v === 'production' || v === 'prod') return true;
    }
  return false;
}

/** Per-pod request sum of `resource` over regular and restartable init containers (what the HPA divides by). */
export function podRequestOf(target: HpaTarget, resource: 'cpu' | 'memory', container?: string): { total: number; missing: string[] } {
  const counted = [...target.containers, ...(target.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')].filter(
    (c) => container === undefined || c.name === container,
  );
  let total = 0;
  const missing: string[] = [];
  for (const c of counted) {
    const q = parseQuantity(c.requests[resource]);
    if (q === undefined || q <= 0) missing.push(c.name);
    else total += q;
  }
  return { total, missing };
}

/** Inputs of the controller model. */
export interface SimulationInput {
  /** Total usage across pods over time (cores or bytes), at a fixed step. */
  readonly usage: readonly TimedValue[];
  /** Per-pod request of the resource. */
  readonly podRequest: number;
  /** Target utilization as a fraction (0.7 = 70 %). */
  readonly target: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly scaleUp?: ScalingRules;
  readonly scaleDown?: ScalingRules;
  readonly initialReplicas?: number;
  readonly tolerance?: number;
  readonly syncPeriodSeconds?: number;
  /** Age of the metric the controller sees (metrics-server resolution). */
  readonly metricsDelaySeconds?: number;
}

/**
 * Replays the HPA controller over a usage series: every sync period it reads the usage of `metricsDelaySeconds`
 * ago, computes `ceil(n × utilization / target)` unless within the tolerance, clamps to min/max, stabilizes (highest
 * recommendation over the scale-down window, lowest over the scale-up window) and limits the change by the
 * policies. Returns the replicas at each usage sample's time (the value in effect then).
 */
export function simulateHpa(input: SimulationInput): TimedValue[] {
  const usage = input.usage;
  if (usage.length === 0) return [];
  const up = input.scaleUp ?? defaultScaleUp;
  const down = input.scaleDown ?? defaultScaleDown;
  const tolerance = input.tolerance ?? hpaDefaults.tolerance;
  const sync = input.syncPeriodSeconds ?? hpaDefaults.syncPeriodSeconds;
  const delay = input.metricsDelaySeconds ?? hpaDefaults.metricsDelaySeconds;
  const clampR = (n: number): number => Math.min(input.maxReplicas, Math.max(input.minReplicas, n));
  let replicas = clampR(input.initialReplicas ?? input.minReplicas);
  const recommendations: { t: number; v: number }[] = [];
  const events: { t: number; delta: number }[] = [];
  const out: TimedValue[] = [];
  const start = usage[0]?.t ?? 0;
  const end = usage.at(-1)?.t ?? start;
  let sampleIndex = 0; // next usage sample to report
  let metricIndex = 0; // latest usage sample visible to the controller
  const maxWindow = Math.max(up.stabilizationWindowSeconds, down.stabilizationWindowSeconds);
  const maxPeriod = Math.max(...up.policies.map((p) => p.periodSeconds), ...down.policies.map((p) => p.periodSeconds), 0);
  for (let now = start; now <= end + 1e-9; now += sync) {
    while (metricIndex + 1 < usage.length && (usage[metricIndex + 1]?.t ?? Infinity) <= now - delay) metricIndex++;
    const seen = usage[metricIndex];
    if (seen && seen.t <= now - delay + 1e-9) {
      const utilization = seen.v / (replicas * input.podRequest);
      const ratio = utilization / input.target;
      const desired = Math.abs(ratio - 1) <= tolerance ? replicas : ceilSafe(replicas * ratio);
      const proposed = clampR(desired);
      recommendations.push({ t: now, v: proposed });
      while (recommendations.length > 0 && (recommendations[0]?.t ?? now) < now - maxWindow) recommendations.shift();
      let upRec = proposed;
      let downRec = proposed;
      for (const r of recommendations) {
        if (r.t > now - up.stabilizationWindowSeconds) upRec = Math.min(upRec, r.v);
        if (r.t > now - down.stabilizationWindowSeconds) downRec = Math.max(downRec, r.v);
      }
      let next = replicas;
      if (next < upRec) next = upRec;
      if (next > downRec) next = downRec;
      while (events.length > 0 && (events[0]?.t ?? now) <= now - maxPeriod) events.shift();
      if (next > replicas) next = Math.min(next, policyLimit(up, replicas, events, now, 'up'));
      else if (next < replicas) next = Math.max(next, policyLimit(down, replicas, events, now, 'down'));
      next = clampR(next);
      if (next !== replicas) events.push({ t: now, delta: next - replicas });
      replicas = next;
    }
    while (sampleIndex < usage.length && (usage[sampleIndex]?.t ?? Infinity) <= now + 1e-9) {
      out.push({ t: usage[sampleIndex]?.t ?? now, v: replicas });
      sampleIndex++;
    }
  }
  return out;
}

function policyLimit(
  rules: ScalingRules,
  current: number,
  events: readonly { t: number; delta: number }[],
  now: number,
  dir: 'up' | 'down',
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const limits = rules.policies.map((p) => {
    let changed = 0;
    for (const e of events) if (e.t > now - p.periodSeconds && (dir === 'up' ? e.delta > 0 : e.delta < 0)) changed += Math.abs(e.delta);
    const periodStart = dir === 'up' ? current - changed : current + changed;
    if (dir === 'up') return p.type === 'Pods' ? periodStart + p.value : Math.ceil(periodStart * (1 + p.value / 100));
    return p.type === 'Pods' ? periodStart - p.value : Math.trunc(periodStart * (1 - p.value / 100));
  });
  // Max picks the policy allowing the biggest change, Min the smallest.
  const biggest = rules.selectPolicy === 'Max';
  if (dir === 'up') return biggest ? Math.max(...limits) : Math.min(...limits);
  return biggest ? Math.min(...limits) : Math.max(...limits);
}

/** Count of direction changes (up→down or down→up) of a replica series, and of reversals within `windowSeconds`. */
export function countDirectionChanges(
  replicas: readonly TimedValue[],
  windowSeconds: number,
): { changes: number; reversalsInWindow: number } {
  let last: { dir: number; t: number } | undefined;
  let changes = 0;
  let reversalsInWindow = 0;
  for (let i = 1; i < replicas.length; i++) {
    const d = (replicas[i]?.v ?? 0) - (replicas[i - 1]?.v ?? 0);
    if (d === 0) continue;
    const dir = Math.sign(d);
    const t = replicas[i]?.t ?? 0;
    if (last && last.dir !== dir) {
      changes++;
      if (t - last.t <= windowSeconds) reversalsInWindow++;
    }
    last = { dir, t };
  }
  return { changes, reversalsInWindow };
}

/** The longest stretch (seconds) the series spent at or above `level`, and the fraction of samples there. */
function stretchAt(replicas: readonly TimedValue[], level: number, stepSeconds: number): { longestSeconds: number; fraction: number } {
  let longest = 0;
  let run = 0;
  let at = 0;
  for (const r of replicas) {
    if (r.v >= level) {
      at++;
      run++;
      longest = Math.max(longest, run);
    } else run = 0;
  }
  return { longestSeconds: longest * stepSeconds, fraction: replicas.length ? at / replicas.length : 0 };
}

/** Usage and replicas aligned by time. */
function alignedUtilization(
  usage: readonly TimedValue[],
  replicas: readonly TimedValue[],
  podRequest: number,
): { t: number; n: number; u: number }[] {
  const byTime = new Map(replicas.map((r) => [r.t, r.v]));
  const out: { t: number; n: number; u: number }[] = [];
  for (const x of usage) {
    const n = byTime.get(x.t);
    if (n === undefined || n <= 0) continue;
    out.push({ t: x.t, n, u: x.v / (n * podRequest) });
  }
  return out;
}

/** The §6.2 rule: the largest target in 50…85 % for which simulated P95 replicas ≤ 0.8 × max and P99 utilization ≤ 100 %. */
export function suggestTargetPercent(
  input: Omit<SimulationInput, 'target'>,
): { percent: number; p95Replicas: number; p99Utilization: number } | undefined {
  for (let percent = 85; percent >= 50; percent -= 5) {
    const sim = simulateHpa({ ...input, target: percent / 100 });
    const utilization = input.usage.map((x, i) => x.v / ((sim[i]?.v ?? 1) * input.podRequest));
    const p95Replicas = percentileOf(
      sim.map((s) => s.v),
      95,
    );
    const p99Utilization = percentileOf(utilization, 99);
    if (p95Replicas === undefined || p99Utilization === undefined) return undefined;
    if (p95Replicas <= 0.8 * input.maxReplicas && p99Utilization <= 1.0) return { percent, p95Replicas, p99Utilization };
  }
  return undefined;
}

/**
 * Checks an HPA against its target and (optionally) the observed history. Static rules: Utilization without a
 * request (error: the controller cannot compute), min == max, min < 2 for production, `spec.replicas` set on the
 * target. History rules: pinned at max, flapping, target far from the observed utilization, idle at min.
 */
export function recommendHpa(hpa: HpaSpec, target: HpaTarget, history?: HpaHistory): HpaHint[] {
  const hints: HpaHint[] = [];
  const utilizationMetrics = hpa.metrics.filter(
    (m) =>
      (m.type === 'Resource' || m.type === 'ContainerResource') &&
      m.targetType === 'Utilization' &&
      (m.resource === 'cpu' || m.resource === 'memory'),
  );
  let blocked = false;
  for (const m of utilizationMetrics) {
    const resource = m.resource as 'cpu' | 'memory';
    const { missing } = podRequestOf(target, resource, m.type === 'ContainerResource' ? m.container : undefined);
    if (missing.length > 0) {
      blocked = true;
      hints.push({
        ruleId: 'hpa-utilization-without-request',
        severity: 'error',
        on: 'workload',
        message: `HPA ${hpa.name} targets ${m.averageUtilization ?? '?'}% ${resource} Utilization but container${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${target.kind} ${target.name} ${missing.length > 1 ? 'have' : 'has'} no ${resource} request: the controller cannot compute the utilization ("missing request for ${resource}") and never scales. Set a ${resource} request on ${missing.length > 1 ? 'them' : 'it'}.`,
      });
    }
  }
  if (hpa.minReplicas === hpa.maxReplicas)
    hints.push({
      ruleId: 'hpa-min-equals-max',
      severity: 'warning',
      on: 'hpa',
      message: `HPA ${hpa.name} has minReplicas = maxReplicas = ${hpa.maxReplicas}: it can never scale. Raise maxReplicas or remove the HPA.`,
      patch: { spec: { maxReplicas: Math.max(hpa.maxReplicas + 1, Math.ceil(hpa.maxReplicas * 2)) } },
    });
  if (target.production && hpa.minReplicas < 2)
    hints.push({
      ruleId: 'hpa-min-replicas-below-2',
      severity: 'warning',
      on: 'hpa',
      message: `HPA ${hpa.name} allows ${hpa.minReplicas} replica for a production workload: one pod is a single point of failure during node drains and rollouts. Set minReplicas to 2.`,
      patch: { spec: { minReplicas: 2, ...(hpa.maxReplicas < 2 ? { maxReplicas: 2 } : {}) } },
    });
  if (target.specReplicas !== undefined && target.kind !== 'StatefulSet')
    hints.push({
      ruleId: 'hpa-spec-replicas-fights-hpa',
      severity: 'warning',
      on: 'workload',
      message: `${target.kind} ${target.name} sets spec.replicas: ${target.specReplicas} while HPA ${hpa.name} scales it between ${hpa.minReplicas} and ${hpa.maxReplicas}: every apply of the manifest resets the replicas to ${target.specReplicas}${target.specReplicas < hpa.minReplicas || target.specReplicas > hpa.maxReplicas ? ', outside the HPA range,' : ''} and the HPA then scales again. Remove spec.replicas from the manifest.`,
      patch: { spec: { replicas: null } },
    });
  if (!history || history.replicas.length === 0) return hints;

  const step = history.stepSeconds;
  const atMax = stretchAt(history.replicas, hpa.maxReplicas, step);
  const cpuMetric = utilizationMetrics.find((m) => m.resource === 'cpu') ?? utilizationMetrics[0];
  const resource = (cpuMetric?.resource ?? 'cpu') as 'cpu' | 'memory';
  const usage = history.usage?.[resource];
  const podRequest = cpuMetric
    ? podRequestOf(target, resource, cpuMetric.type === 'ContainerResource' ? cpuMetric.container : undefined).total
    : 0;
  const targetFraction = (cpuMetric?.averageUtilization ?? hpaDefaults.defaultCpuUtilization) / 100;
  const canModel = !blocked && cpuMetric !== undefined && usage !== undefined && usage.length > 0 && podRequest > 0;

  if (hpa.minReplicas < hpa.maxReplicas && (atMax.longestSeconds >= 3600 || atMax.fraction >= 0.1)) {
    let suggestedMax = Math.max(hpa.maxReplicas + 1, Math.ceil(hpa.maxReplicas * 1.2));
    let demand = '';
    if (canModel) {
      const unclamped = usage.map((x) => Math.max(1, ceilSafe(x.v / (podRequest * targetFraction))));
      const p95 = percentileOf(unclamped, 95) ?? hpa.maxReplicas;
      suggestedMax = Math.max(hpa.maxReplicas + 1, Math.ceil(p95 * 1.2));
      demand = ` At ${Math.round(targetFraction * 100)}% the load needed ${Math.ceil(p95)} replicas (p95).`;
    }
    hints.push({
      ruleId: 'hpa-pinned-at-max',
      severity: 'warning',
      on: 'hpa',
      message: `HPA ${hpa.name} sat at maxReplicas ${hpa.maxReplicas} for ${Math.round(atMax.fraction * 100)}% of the window (longest ${formatDuration(atMax.longestSeconds)}): it could not add capacity.${demand} Raise maxReplicas to ${suggestedMax}, or check the requests and the target first.`,
      patch: { spec: { maxReplicas: suggestedMax } },
    });
  }

  const flaps = countDirectionChanges(history.replicas, hpa.scaleDown.stabilizationWindowSeconds);
  const hours = Math.max(history.windowSeconds, step) / 3600;
  if (flaps.changes / hours > hpaDefaults.flapDirectionChangesPerHour) {
    const window = Math.max(600, hpa.scaleDown.stabilizationWindowSeconds * 2);
    hints.push({
      ruleId: 'hpa-flapping',
      severity: 'warning',
      on: 'hpa',
      message: `HPA ${hpa.name} changed scaling direction ${flaps.changes} times in ${formatDuration(history.windowSeconds)} (${(flaps.changes / hours).toFixed(1)} per hour; ${flaps.reversalsInWindow} reversals within the ${hpa.scaleDown.stabilizationWindowSeconds} s scale-down stabilization window). Lengthen the window to ${window} s and scale down by at most 50 % per minute.`,
      patch: {
        spec: {
          behavior: { scaleDown: { stabilizationWindowSeconds: window, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] } },
        },
      },
    });
  }

  if (canModel) {
    const aligned = alignedUtilization(usage, history.replicas, podRequest);
    const free = aligned.filter((a) => a.n > hpa.minReplicas && a.n < hpa.maxReplicas);
    const atMin = aligned.filter((a) => a.n <= hpa.minReplicas);
    const medianFree = percentileOf(
      free.map((a) => a.u),
      50,
    );
    if (free.length >= 10 && medianFree !== undefined && Math.abs(medianFree / targetFraction - 1) > 3 * hpaDefaults.tolerance) {
      const suggestion = suggestTargetPercent({
        usage,
        podRequest,
        minReplicas: hpa.minReplicas,
        maxReplicas: hpa.maxReplicas,
        scaleUp: hpa.scaleUp,
        scaleDown: hpa.scaleDown,
      });
      hints.push({
        ruleId: 'hpa-target-far-from-observed',
        severity: 'info',
        on: 'hpa',
        message: `HPA ${hpa.name} targets ${Math.round(targetFraction * 100)}% ${resource} but the pods ran at ${Math.round(medianFree * 100)}% (median while the HPA was free to scale): the replicas follow something else than this target (slow metrics, other metrics, requests out of date).${suggestion ? ` Modelled on the history, ${suggestion.percent}% keeps p95 replicas at ${Math.ceil(suggestion.p95Replicas)} and p99 utilization at ${Math.round(suggestion.p99Utilization * 100)}%.` : ''}`,
        ...(suggestion ? { patch: { spec: { metrics: [utilizationMetricPatch(resource, suggestion.percent)] } } } : {}),
      });
    }
    const p95AtMin = percentileOf(
      usage.map((x) => x.v / (hpa.minReplicas * podRequest)),
      95,
    );
    const floor = target.production ? 2 : 1;
    if (
      aligned.length > 0 &&
      atMin.length / aligned.length >= 0.9 &&
      p95AtMin !== undefined &&
      p95AtMin < 0.5 * targetFraction &&
      hpa.minReplicas > floor
    ) {
      const needed = Math.max(
        floor,
        ceilSafe(
          (percentileOf(
            usage.map((x) => x.v),
            95,
          ) ?? 0) /
            (podRequest * targetFraction),
        ),
      );
      if (needed < hpa.minReplicas)
        hints.push({
          ruleId: 'hpa-min-replicas-idle',
          severity: 'info',
          on: 'hpa',
          message: `HPA ${hpa.name} stayed at minReplicas ${hpa.minReplicas} for ${Math.round((atMin.length / aligned.length) * 100)}% of the window at ${Math.round(p95AtMin * 100)}% ${resource} (p95), under half the target. minReplicas ${needed} would carry the p95 load${target.production ? ' (production: never below 2)' : ''}.`,
          patch: { spec: { minReplicas: needed } },
        });
    }
  }
  return hints;
}

function utilizationMetricPatch(resource: string, percent: number): Record<string, unknown> {
  return { type: 'Resource', resource: { name: resource, target: { type: 'Utilization', averageUtilization: percent } } };
}

function formatDuration(seconds: number): string {
  if (seconds >= 2 * 86400) return `${Math.round(seconds / 86400)} d`;
  if (seconds >= 3600) return `${Math.round(seconds / 360) / 10} h`;
  return `${Math.round(seconds / 60)} min`;
}

/** Input of the "Create HPA…" wizard: the workload's usage history and its per-pod request. */
export interface HpaSuggestionInput {
  readonly resource: 'cpu' | 'memory';
  /** Total usage across the workload's pods over time (cores or bytes). */
  readonly usage: readonly TimedValue[];
  /** Per-pod request (cores or bytes); undefined or 0 when a container lacks it. */
  readonly podRequest: number | undefined;
  /** Lowest minReplicas to propose (2 for production, Polaris); default 2. */
  readonly minFloor?: number;
}

/** What the wizard pre-fills. */
export type HpaSuggestion =
  | {
      readonly ok: true;
      readonly minReplicas: number;
      readonly maxReplicas: number;
      readonly targetUtilizationPercent: number;
      /** Under the controller model with these values: p95 replicas and p99 utilization (fraction). */
      readonly p95Replicas: number;
      readonly p99Utilization: number;
      readonly notes: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

/**
 * Suggests min/max/target from history (§6.2): for each target from 85 % down to 50 %, min = the replicas the
 * quietest moment needs (≥ `minFloor`), max = the peak need / 0.8, and the largest target whose simulated p95
 * replicas stay ≤ 0.8 × max and p99 utilization ≤ 100 % (headroom for the controller's reaction time) wins.
 */
export function suggestHpa(input: HpaSuggestionInput): HpaSuggestion {
  if (!input.podRequest || input.podRequest <= 0)
    return {
      ok: false,
      reason: `Every container needs a ${input.resource} request before an HPA can use ${input.resource} Utilization; set the requests first.`,
    };
  const usage = input.usage.filter((x) => Number.isFinite(x.v) && x.v >= 0);
  if (usage.length < 100)
    return { ok: false, reason: `Not enough history to size an HPA: ${usage.length} samples, at least 100 are needed.` };
  const floor = input.minFloor ?? 2;
  const r = input.podRequest;
  let fallback: HpaSuggestion | undefined;
  for (let percent = 85; percent >= 50; percent -= 5) {
    const u = percent / 100;
    const need = usage.map((x) => Math.max(1, ceilSafe(x.v / (r * u))));
    const minReplicas = Math.max(floor, Math.min(...need));
    const maxReplicas = Math.max(minReplicas + 1, Math.ceil(Math.max(...need) / 0.8));
    const sim = simulateHpa({ usage, podRequest: r, target: u, minReplicas, maxReplicas, initialReplicas: need[0] ?? minReplicas });
    const p95Replicas =
      percentileOf(
        sim.map((s) => s.v),
        95,
      ) ?? minReplicas;
    const p99Utilization =
      percentileOf(
        usage.map((x, i) => x.v / ((sim[i]?.v ?? minReplicas) * r)),
        99,
      ) ?? 0;
    const candidate: HpaSuggestion = {
      ok: true,
      minReplicas,
      maxReplicas,
      targetUtilizationPercent: percent,
      p95Replicas,
      p99Utilization,
      notes: [
        `At ${percent}% the controller model keeps p95 replicas at ${Math.ceil(p95Replicas)} of ${maxReplicas} and p99 utilization at ${Math.round(p99Utilization * 100)}% of the request.`,
      ],
    };
    fallback ??= candidate;
    if (p95Replicas <= 0.8 * maxReplicas && p99Utilization <= 1.0) return candidate;
    fallback = candidate;
  }
  return fallback?.ok
    ? {
        ...fallback,
        notes: [
          ...fallback.notes,
          'Even 50% leaves no headroom for the load growth within the controller reaction time; check the requests.',
        ],
      }
    : { ok: false, reason: 'No target fits the history.' };
}

/** Builds an autoscaling/v2 HorizontalPodAutoscaler manifest for the wizard (written or applied after dry-run + diff). */
export function buildHpaManifest(input: {
  readonly namespace: string;
  readonly name: string;
  readonly targetKind: 'Deployment' | 'StatefulSet' | 'ReplicaSet';
  readonly targetName: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly resource: 'cpu' | 'memory';
  readonly targetUtilizationPercent: number;
  readonly scaleDown?: Partial<ScalingRules>;
}): Record<string, unknown> {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: input.name, namespace: input.namespace },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: input.targetKind, name: input.targetName },
      minReplicas: input.minReplicas,
      maxReplicas: input.maxReplicas,
      metrics: [utilizationMetricPatch(input.resource, Math.round(input.targetUtilizationPercent))],
      ...(input.scaleDown ? { behavior: { scaleDown: input.scaleDown } } : {}),
    },
  };
}
