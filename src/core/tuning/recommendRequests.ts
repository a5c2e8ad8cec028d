/**
 * Requests/limits right-sizing (tuning-formulas.md §1, §2, §6): usage summaries of one workload container across its
 * pods → one recommendation record, with KRR's severity, the confidence level, an optional cost delta and the
 * effect on an HPA that targets the resource's Utilization. Pure: no I/O, deterministic for the same input.
 */
import { formatCpuCores, formatMemoryBytes, parseQuantity } from '../kube/quantity';
import type { PodUsageSeries, PodUsageSummary, TimedValue } from './metricsSource';

/** `simple` (KRR default), `simple_limit` (KRR), `vpa` (VPA recommender-like, Goldilocks' Guaranteed view). */
export type StrategyName = 'simple' | 'simple_limit' | 'vpa';

/** Every strategy, in the order settings and the CLI list them. */
export const strategyNames: readonly StrategyName[] = ['simple', 'simple_limit', 'vpa'];

/** KRR's severity of the gap between the current and the recommended value (`core/models/severity.py`). */
export type Severity = 'CRITICAL' | 'WARNING' | 'OK' | 'GOOD' | 'UNKNOWN';

/** §6.3 confidence levels. `none` carries no recommendation. */
export type Confidence = 'high' | 'medium' | 'low' | 'none';

/** Requests and limits as Kubernetes quantity strings; `null` = unset. */
export interface ResourceValues {
  readonly cpuRequest: string | null;
  readonly cpuLimit: string | null;
  readonly memoryRequest: string | null;
  readonly memoryLimit: string | null;
}

/** The manifest match key: a host finds the container in a workspace manifest by these four fields. */
export interface ContainerKey {
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  readonly container: string;
}

/** How a new request moves the threshold of an HPA that targets the resource's Utilization (§6.2 coupling). */
export interface HpaCoupling {
  readonly hpaName: string;
  readonly resource: 'cpu' | 'memory';
  /** The HPA's `averageUtilization` now, in percent. */
  readonly currentTargetPercent: number;
  /** The per-pod request sum the utilization is computed against, before and after (cores or bytes). */
  readonly podRequestBefore: number;
  readonly podRequestAfter: number;
  /** The target that keeps the replica count at the same load: u × R / R′ (percent, unclamped). */
  readonly equivalentTargetPercent: number;
  /** The same, clamped to 20–95 % (lint `hpa-utilization-target-out-of-range`). */
  readonly proposedTargetPercent: number;
  /** Replicas at the same load with the new request and the proposed target, relative to now (1 = unchanged). */
  readonly replicaFactor: number;
}

/** One container's recommendation: what the CLI prints and what the host shows on the manifest. */
export interface ContainerRecommendation extends ContainerKey {
  readonly strategy: StrategyName;
  readonly current: ResourceValues;
  /** All `null` when the confidence is `none` (no numbers are invented). */
  readonly recommended: ResourceValues;
  /** KRR data points: samples summed over the pods (the minimum of CPU and memory counts). */
  readonly dataPoints: number;
  readonly confidence: Confidence;
  /** The worst of the four per-field severities; UNKNOWN without a recommendation. */
  readonly severity: Severity;
  readonly severities: { readonly [K in keyof ResourceValues]: Severity };
  /** Human sentences: missing data, HPA effects, floors applied, cost. */
  readonly notes: readonly string[];
  /** Low/medium confidence band (p50 + 15 % … p95 + 15 % × the VPA confidence multiplier), quantity strings. */
  readonly band?: { readonly cpu?: readonly [string, string]; readonly memory?: readonly [string, string] };
  /** Monthly cost change for all replicas (negative = savings), when prices were given; in the prices' currency. */
  readonly monthlyCostDelta?: number;
  readonly hpa?: HpaCoupling;
  /** False when the host must not offer a one-click apply (low confidence, HPA coupling unresolved). */
  readonly applicable: boolean;
}

/** Prices per month (any currency), e.g. from the user's settings. */
export interface Prices {
  readonly cpuCoreMonth: number;
  readonly memoryGiBMonth: number;
  readonly currency?: string;
}

/** An HPA that scales the workload with resource Utilization targets. */
export interface HpaUtilizationTarget {
  readonly name: string;
  /** `averageUtilization` in percent by resource, for `Resource` metrics (and `ContainerResource` of this container). */
  readonly cpuPercent?: number;
  readonly memoryPercent?: number;
}

/** The current resources of the container, as strings from the manifest (undefined = unset). */
export interface CurrentResources {
  readonly cpuRequest?: string;
  readonly cpuLimit?: string;
  readonly memoryRequest?: string;
  readonly memoryLimit?: string;
}

/** Everything a strategy needs about one workload container. */
export interface RecommendInput {
  readonly key: ContainerKey;
  readonly current: CurrentResources;
  /** Per-pod summaries of this container over the window (one entry per pod that has series). */
  readonly pods: readonly PodUsageSummary[];
  /** Raw series per pod (required by `vpa`, ignored by the others). */
  readonly series?: readonly PodUsageSeries[];
  readonly source: 'prometheus' | 'metrics-server';
  /** History window W and step in seconds. */
  readonly windowSeconds: number;
  readonly stepSeconds: number;
  /** Replicas of the workload (for the cost delta and the HPA replica factor); 1 when unknown. */
  readonly replicas?: number;
  /** Containers per pod, for the VPA per-pod floors split across containers; default 1. */
  readonly containersPerPod?: number;
  /** Per-pod request sums (cores, bytes) of every container (and restartable init container), for the HPA coupling. */
  readonly podRequestTotals?: { readonly cpu?: number; readonly memory?: number };
  readonly hpa?: HpaUtilizationTarget;
  readonly prices?: Prices;
  /** Memory limit of the last OOM kill in W (KRR `--use_oomkill_data`), bytes. */
  readonly oomKilledLimitBytes?: number;
}

/** KRR settings (`simple.py`, `core/models/config.py`). */
export const krrDefaults = {
  cpuPercentile: 95,
  memoryBufferPercentage: 15,
  oomMemoryBufferPercentage: 25,
  pointsRequired: 100,
  historySeconds: 336 * 3600,
  stepSeconds: 75,
  minimumHistorySeconds: 3 * 3600,
  cpuMinCores: 0.01,
  memoryMinBytes: 100 * 2 ** 20,
  limitRequestPercentile: 66,
  limitLimitPercentile: 96,
} as const;

/** VPA recommender defaults (§2.1). */
export const vpaDefaults = {
  targetPercentile: 90,
  lowerPercentile: 50,
  upperPercentile: 95,
  marginFraction: 0.15,
  podMinCpuCores: 0.025,
  podMinMemoryBytes: 250 * 2 ** 20,
  halfLifeSeconds: 24 * 3600,
  bucketGrowth: 0.05,
  cpuFirstBucketCores: 0.01,
  memoryFirstBucketBytes: 1e7,
  memoryPeakIntervalSeconds: 24 * 3600,
} as const;

/** The percentiles each strategy needs from the source (CPU; memory always adds 50 for the band). */
export function strategyNeeds(strategy: StrategyName): { cpuPercentiles: number[]; memoryPercentiles: number[]; series: boolean } {
  switch (strategy) {
    case 'simple':
      return { cpuPercentiles: [50, 95], memoryPercentiles: [50], series: false };
    case 'simple_limit':
      return { cpuPercentiles: [50, 66, 95, 96], memoryPercentiles: [50], series: false };
    case 'vpa':
      return { cpuPercentiles: [50, 95], memoryPercentiles: [50], series: true };
  }
}

const MiB = 2 ** 20;
const DAY = 86400;

/** KRR rounding (`core/runner.py`): CPU up to 1m, memory up to 1Mi, then the floors. */
export function roundCpuCores(cores: number, floorCores: number = krrDefaults.cpuMinCores): number {
  return Math.max(Math.ceil(cores * 1000 - 1e-9) / 1000, floorCores);
}
export function roundMemoryBytes(bytes: number, floorBytes: number = krrDefaults.memoryMinBytes): number {
  return Math.max(Math.ceil(bytes / MiB - 1e-9) * MiB, floorBytes);
}

/**
 * KRR's severity of |current − recommended| for one field (cores or bytes): CPU ≥ 0.5 CRITICAL, ≥ 0.25 WARNING,
 * ≥ 0.1 OK, else GOOD; memory 500/250/100 MiB. One side unset: WARNING; both unset: GOOD.
 */
export function severityOf(resource: 'cpu' | 'memory', current: number | undefined, recommended: number | undefined): Severity {
  if (current === undefined && recommended === undefined) return 'GOOD';
  if (current === undefined || recommended === undefined) return 'WARNING';
  const diff = Math.abs(current - recommended);
  const [critical, warning, ok] = resource === 'cpu' ? [0.5, 0.25, 0.1] : [500 * MiB, 250 * MiB, 100 * MiB];
  // A tiny epsilon so that 0.5 core read from "500m" counts as 0.5.
  if (diff >= critical - 1e-9) return 'CRITICAL';
  if (diff >= warning - 1e-9) return 'WARNING';
  if (diff >= ok - 1e-9) return 'OK';
  return 'GOOD';
}

const severityRank: Record<Severity, number> = { UNKNOWN: -1, GOOD: 0, OK: 1, WARNING: 2, CRITICAL: 3 };

/** The worse of severities (UNKNOWN only when all are UNKNOWN). */
export function worstSeverity(severities: readonly Severity[]): Severity {
  let worst: Severity = 'UNKNOWN';
  for (const s of severities) if (severityRank[s] > severityRank[worst]) worst = s;
  return worst;
}

/** §6.3: the level the data supports. `spanSeconds` is the history actually covered (≤ W). */
export function confidenceOf(source: 'prometheus' | 'metrics-server', spanSeconds: number, dataPoints: number): Confidence {
  if (source === 'metrics-server') return spanSeconds >= 3600 && dataPoints >= 60 ? 'low' : 'none';
  if (dataPoints < krrDefaults.pointsRequired || spanSeconds < krrDefaults.minimumHistorySeconds) return 'none';
  if (spanSeconds >= 7 * DAY) return 'high';
  if (spanSeconds >= DAY) return 'medium';
  return 'low';
}

/** The VPA confidence multipliers for a history of `days` (recommender.go): upper × (1 + 1/d), lower × (1 + 0.001/d)^-2. */
export function vpaConfidenceMultipliers(days: number): { upper: number; lower: number } {
  const d = Math.max(days, 1e-6);
  return { upper: 1 + 1 / d, lower: (1 + 0.001 / d) ** -2 };
}

const maxOf = (xs: readonly (number | undefined)[]): number | undefined => {
  let m: number | undefined;
  for (const x of xs) if (x !== undefined && Number.isFinite(x) && (m === undefined || x > m)) m = x;
  return m;
};

const NULL_VALUES: ResourceValues = { cpuRequest: null, cpuLimit: null, memoryRequest: null, memoryLimit: null };

interface Computed {
  cpuRequest?: number;
  cpuLimit?: number;
  memoryRequest?: number;
  memoryLimit?: number;
  notes: string[];
  bandCpu?: [number, number];
  bandMemory?: [number, number];
}

/** KRR memory: max(max working set × 1.15, OOM limit × 1.25), before rounding. */
function krrMemory(input: RecommendInput): { bytes: number | undefined; notes: string[] } {
  const notes: string[] = [];
  const maxWs = maxOf(input.pods.map((p) => p.memoryMaxBytes));
  if (maxWs === undefined)
    return { bytes: undefined, notes: ['No memory working-set series (container_memory_working_set_bytes) in the window.'] };
  let bytes = maxWs * (1 + krrDefaults.memoryBufferPercentage / 100);
  const oomLimit = maxOf([input.oomKilledLimitBytes, ...input.pods.map((p) => p.oomKilledLimitBytes)]);
  if (oomLimit !== undefined) {
    const oom = oomLimit * (1 + krrDefaults.oomMemoryBufferPercentage / 100);
    if (oom > bytes) {
      bytes = oom;
      notes.push(`Memory raised to the last OOM-killed limit + 25 % (${formatMemoryBytes(oomLimit)}).`);
    }
  }
  return { bytes, notes };
}

function computeSimple(input: RecommendInput, cpuRequestPercentile: number, cpuLimitPercentile?: number): Computed {
  const notes: string[] = [];
  const cpuReq = maxOf(input.pods.map((p) => p.cpuQuantiles[String(cpuRequestPercentile)]));
  const cpuLim = cpuLimitPercentile === undefined ? undefined : maxOf(input.pods.map((p) => p.cpuQuantiles[String(cpuLimitPercentile)]));
  if (cpuReq === undefined) notes.push('No CPU usage series (container_cpu_usage_seconds_total) in the window.');
  const mem = krrMemory(input);
  notes.push(...mem.notes);
  return {
    ...(cpuReq !== undefined ? { cpuRequest: cpuReq } : {}),
    ...(cpuLim !== undefined ? { cpuLimit: Math.max(cpuLim, cpuReq ?? 0) } : {}),
    ...(mem.bytes !== undefined ? { memoryRequest: mem.bytes, memoryLimit: mem.bytes } : {}),
    notes,
  };
}

/** The smallest positive gap between consecutive samples (the series' step), or `fallback`. */
function spacingOf(values: readonly TimedValue[], fallback: number): number {
  let gap = Infinity;
  for (let i = 1; i < values.length; i++) {
    const d = (values[i]?.t ?? 0) - (values[i - 1]?.t ?? 0);
    if (d > 0 && d < gap) gap = d;
  }
  return Number.isFinite(gap) ? gap : fallback;
}

/** A VPA-style histogram with exponentially growing buckets and decaying sample weights. */
class DecayingHistogram {
  private readonly weights = new Map<number, number>();
  private total = 0;
  constructor(
    private readonly firstBucket: number,
    private readonly growth: number,
  ) {}
  private bucketOf(v: number): number {
    if (v < this.firstBucket) return 0;
    // Bucket i spans [first × ((1+g)^i − 1)/g, first × ((1+g)^(i+1) − 1)/g).
    return Math.floor(Math.log(1 + (v * this.growth) / this.firstBucket) / Math.log(1 + this.growth));
  }
  private bucketStart(i: number): number {
    return (this.firstBucket * ((1 + this.growth) ** i - 1)) / this.growth;
  }
  add(v: number, weight: number): void {
    const b = this.bucketOf(Math.max(0, v));
    this.weights.set(b, (this.weights.get(b) ?? 0) + weight);
    this.total += weight;
  }
  get isEmpty(): boolean {
    return this.total <= 0;
  }
  /** The end of the bucket holding the p-th percentile of weight (VPA `Percentile`). */
  percentile(p: number): number {
    const buckets = [...this.weights.keys()].sort((a, b) => a - b);
    const threshold = (p / 100) * this.total;
    let cumulative = 0;
    for (const b of buckets) {
      cumulative += this.weights.get(b) ?? 0;
      if (cumulative >= threshold - 1e-12) return this.bucketStart(b + 1);
    }
    return this.bucketStart((buckets.at(-1) ?? 0) + 1);
  }
}

function computeVpa(input: RecommendInput): Computed {
  const series = input.series ?? [];
  const notes: string[] = [];
  if (series.length === 0) return { notes: ['The vpa strategy needs raw usage series; the source gave none.'] };
  let end = 0;
  let first = Infinity;
  for (const s of series)
    for (const x of [...s.cpuCores, ...s.memoryBytes]) {
      if (x.t > end) end = x.t;
      if (x.t < first) first = x.t;
    }
  const weight = (t: number): number => 2 ** ((t - end) / vpaDefaults.halfLifeSeconds);
  const cpu = new DecayingHistogram(vpaDefaults.cpuFirstBucketCores, vpaDefaults.bucketGrowth);
  const memory = new DecayingHistogram(vpaDefaults.memoryFirstBucketBytes, vpaDefaults.bucketGrowth);
  for (const s of series) {
    for (const x of s.cpuCores) {
      if (!Number.isFinite(x.v)) continue;
      cpu.add(x.v, weight(x.t));
    }
    // Memory: the peak of each 24 h interval (counted back from the end), per pod.
    const peaks = new Map<number, TimedValue>();
    for (const x of s.memoryBytes) {
      if (!Number.isFinite(x.v)) continue;
      const interval = Math.floor((end - x.t) / vpaDefaults.memoryPeakIntervalSeconds);
      const prev = peaks.get(interval);
      if (!prev || x.v > prev.v) peaks.set(interval, x);
    }
    for (const peak of peaks.values()) memory.add(peak.v, weight(peak.t));
  }
  const lifespanDays = Math.max(0, end - first) / DAY;
  // Sample-count days as VPA counts them, with each series' own spacing (the source may coarsen the step).
  let sampleSeconds = 0;
  for (const s of series) sampleSeconds += s.cpuCores.length * spacingOf(s.cpuCores, input.stepSeconds);
  const sampleDays = sampleSeconds / DAY / Math.max(1, series.length);
  const days = Math.min(lifespanDays, sampleDays);
  const m = vpaConfidenceMultipliers(days);
  const margin = 1 + vpaDefaults.marginFraction;
  const out: Computed = { notes };
  if (!cpu.isEmpty) {
    out.cpuRequest = cpu.percentile(vpaDefaults.targetPercentile) * margin;
    out.bandCpu = [
      cpu.percentile(vpaDefaults.lowerPercentile) * margin * m.lower,
      cpu.percentile(vpaDefaults.upperPercentile) * margin * m.upper,
    ];
  } else notes.push('No CPU usage series in the window.');
  if (!memory.isEmpty) {
    out.memoryRequest = memory.percentile(vpaDefaults.targetPercentile) * margin;
    out.memoryLimit = out.memoryRequest;
    out.bandMemory = [
      memory.percentile(vpaDefaults.lowerPercentile) * margin * m.lower,
      memory.percentile(vpaDefaults.upperPercentile) * margin * m.upper,
    ];
  } else notes.push('No memory working-set series in the window.');
  return out;
}

/** Low/medium band from the summaries: p50 + 15 % … p95 + 15 % × the VPA upper multiplier. */
function summaryBand(input: RecommendInput, spanDays: number): Pick<Computed, 'bandCpu' | 'bandMemory'> {
  const m = vpaConfidenceMultipliers(spanDays);
  const margin = 1 + vpaDefaults.marginFraction;
  const cpuLo = maxOf(input.pods.map((p) => p.cpuQuantiles['50']));
  const cpuHi = maxOf(input.pods.map((p) => p.cpuQuantiles['95']));
  const memLo = maxOf(input.pods.map((p) => p.memoryQuantiles['50']));
  const memHi = maxOf(input.pods.map((p) => p.memoryMaxBytes));
  return {
    ...(cpuLo !== undefined && cpuHi !== undefined
      ? { bandCpu: [cpuLo * margin * m.lower, cpuHi * margin * m.upper] as [number, number] }
      : {}),
    ...(memLo !== undefined && memHi !== undefined
      ? { bandMemory: [memLo * margin * m.lower, memHi * margin * m.upper] as [number, number] }
      : {}),
  };
}

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
const fmtPercent = (x: number): string => `${Math.round(x)}%`;

/** §6.2 request/target coupling for one resource. */
function couplingOf(
  input: RecommendInput,
  resource: 'cpu' | 'memory',
  currentRequest: number | undefined,
  recommendedRequest: number,
): { coupling?: HpaCoupling; note: string } | undefined {
  const hpa = input.hpa;
  const target = resource === 'cpu' ? hpa?.cpuPercent : hpa?.memoryPercent;
  if (!hpa || target === undefined) return undefined;
  const label = resource === 'cpu' ? 'CPU' : 'memory';
  const fmt = resource === 'cpu' ? formatCpuCores : formatMemoryBytes;
  if (currentRequest === undefined)
    return {
      note: `HPA ${hpa.name} targets ${target}% ${label} Utilization, but this container has no ${label} request, so the HPA cannot compute it today; the recommended request makes it computable at ${target}% of the new pod request.`,
    };
  const podBefore = (resource === 'cpu' ? input.podRequestTotals?.cpu : input.podRequestTotals?.memory) ?? currentRequest;
  const podAfter = Math.max(podBefore - currentRequest + recommendedRequest, 1e-12);
  const equivalent = (target * podBefore) / podAfter;
  const proposed = clamp(equivalent, 20, 95);
  const replicaFactor = (target * podBefore) / (proposed * podAfter);
  const perPodBefore = (podBefore * target) / 100;
  const perPodAfter = (podAfter * target) / 100;
  const keep =
    Math.abs(proposed - equivalent) < 0.5
      ? `set averageUtilization to ${fmtPercent(proposed)} to keep the replica count at the same load`
      : `the equivalent target ${fmtPercent(equivalent)} is outside 20–95 %: with ${fmtPercent(proposed)} the HPA would run about ${replicaFactor.toFixed(2)}× the replicas at the same load`;
  return {
    coupling: {
      hpaName: hpa.name,
      resource,
      currentTargetPercent: target,
      podRequestBefore: podBefore,
      podRequestAfter: podAfter,
      equivalentTargetPercent: equivalent,
      proposedTargetPercent: proposed,
      replicaFactor,
    },
    note: `HPA ${hpa.name} scales at ${target}% ${label} Utilization of the pod request: the ${label} request change moves its threshold from ${fmt(perPodBefore)} to ${fmt(perPodAfter)} per pod (×${(podBefore / podAfter).toFixed(2)} replicas at the same load); ${keep}.`,
  };
}

/**
 * Recommends requests and limits for one workload container with the chosen strategy.
 *
 * - `simple` (KRR exactly): CPU request = max over pods of p95; no CPU limit; memory request = limit = max working
 *   set × 1.15 (or the OOM term); rounded up to 1m / 1Mi; floors 10m / 100Mi; fewer than 100 points → none.
 * - `simple_limit`: CPU request = max over pods of p66, limit = p96; memory as `simple`.
 * - `vpa`: CPU p90 of a decaying histogram + 15 %, memory p90 of daily peaks + 15 %, VPA floors (25m / 250Mi per pod
 *   split across containers); request = limit for memory (Goldilocks' Guaranteed view), the band from p50/p95.
 *
 * Never throws for data problems: a record with confidence `none`, `null` values and a note saying what is missing.
 */
export function recommendRequests(input: RecommendInput, strategy: StrategyName = 'simple'): ContainerRecommendation {
  const current: ResourceValues = {
    cpuRequest: input.current.cpuRequest ?? null,
    cpuLimit: input.current.cpuLimit ?? null,
    memoryRequest: input.current.memoryRequest ?? null,
    memoryLimit: input.current.memoryLimit ?? null,
  };
  const cur = {
    cpuRequest: parseQuantity(input.current.cpuRequest),
    cpuLimit: parseQuantity(input.current.cpuLimit),
    memoryRequest: parseQuantity(input.current.memoryRequest),
    memoryLimit: parseQuantity(input.current.memoryLimit),
  };
  const cpuPoints = input.pods.reduce((n, p) => n + p.cpuPoints, 0);
  const memoryPoints = input.pods.reduce((n, p) => n + p.memoryPoints, 0);
  const dataPoints = Math.min(cpuPoints, memoryPoints);
  const perPodPoints = Math.max(0, ...input.pods.map((p) => Math.min(p.cpuPoints, p.memoryPoints)));
  const spanSeconds = Math.min(input.windowSeconds, perPodPoints * input.stepSeconds);
  const confidence = confidenceOf(input.source, spanSeconds, dataPoints);
  const base = { ...input.key, strategy, current, dataPoints, confidence };

  if (confidence === 'none') {
    const notes: string[] = [];
    if (input.pods.length === 0)
      notes.push(
        input.source === 'prometheus'
          ? 'No usage series for this container in the window: check that Prometheus scrapes cAdvisor (container_cpu_usage_seconds_total, container_memory_working_set_bytes).'
          : 'No metrics-server samples for this container yet: keep the view open to collect at least one hour.',
      );
    else if (input.source === 'metrics-server')
      notes.push(
        `Not enough data: ${dataPoints} metrics-server samples over ${Math.round(spanSeconds / 60)} min; at least 60 samples over 1 h are needed.`,
      );
    else
      notes.push(
        `Not enough data: ${dataPoints} data points over ${(spanSeconds / 3600).toFixed(1)} h; at least ${krrDefaults.pointsRequired} points over 3 h are needed.`,
      );
    const severities = { cpuRequest: 'UNKNOWN', cpuLimit: 'UNKNOWN', memoryRequest: 'UNKNOWN', memoryLimit: 'UNKNOWN' } as const;
    return { ...base, recommended: NULL_VALUES, severity: 'UNKNOWN', severities, notes, applicable: false };
  }

  let computed: Computed;
  let cpuFloor: number = krrDefaults.cpuMinCores;
  let memoryFloor: number = krrDefaults.memoryMinBytes;
  switch (strategy) {
    case 'simple':
      computed = computeSimple(input, krrDefaults.cpuPercentile);
      break;
    case 'simple_limit':
      computed = computeSimple(input, krrDefaults.limitRequestPercentile, krrDefaults.limitLimitPercentile);
      computed.notes.push('CPU limit set at p96 (simple_limit): a CPU limit brings a throttling risk.');
      break;
    case 'vpa': {
      computed = computeVpa(input);
      const n = Math.max(1, input.containersPerPod ?? 1);
      cpuFloor = vpaDefaults.podMinCpuCores / n;
      memoryFloor = vpaDefaults.podMinMemoryBytes / n;
      break;
    }
  }
  const notes = computed.notes;
  const rounded = {
    cpuRequest: computed.cpuRequest === undefined ? undefined : roundCpuCores(computed.cpuRequest, cpuFloor),
    cpuLimit: computed.cpuLimit === undefined ? undefined : roundCpuCores(computed.cpuLimit, cpuFloor),
    memoryRequest: computed.memoryRequest === undefined ? undefined : roundMemoryBytes(computed.memoryRequest, memoryFloor),
    memoryLimit: computed.memoryLimit === undefined ? undefined : roundMemoryBytes(computed.memoryLimit, memoryFloor),
  };
  if (computed.cpuRequest !== undefined && computed.cpuRequest < cpuFloor)
    notes.push(`CPU request raised to the floor ${formatCpuCores(cpuFloor)} (usage ${formatCpuCores(computed.cpuRequest)}).`);
  if (computed.memoryRequest !== undefined && computed.memoryRequest < memoryFloor)
    notes.push(`Memory raised to the floor ${formatMemoryBytes(memoryFloor)}.`);

  const recommended: ResourceValues = {
    cpuRequest: rounded.cpuRequest === undefined ? null : formatCpuCores(rounded.cpuRequest),
    cpuLimit: rounded.cpuLimit === undefined ? null : formatCpuCores(rounded.cpuLimit),
    memoryRequest: rounded.memoryRequest === undefined ? null : formatMemoryBytes(rounded.memoryRequest),
    memoryLimit: rounded.memoryLimit === undefined ? null : formatMemoryBytes(rounded.memoryLimit),
  };
  // A resource without data keeps its value unknown, not "unset": its severity is UNKNOWN.
  const hasCpu = computed.cpuRequest !== undefined;
  const hasMemory = computed.memoryRequest !== undefined;
  const severities = {
    cpuRequest: hasCpu ? severityOf('cpu', cur.cpuRequest, rounded.cpuRequest) : 'UNKNOWN',
    cpuLimit: hasCpu ? severityOf('cpu', cur.cpuLimit, rounded.cpuLimit) : 'UNKNOWN',
    memoryRequest: hasMemory ? severityOf('memory', cur.memoryRequest, rounded.memoryRequest) : 'UNKNOWN',
    memoryLimit: hasMemory ? severityOf('memory', cur.memoryLimit, rounded.memoryLimit) : 'UNKNOWN',
  } as const;
  const severity = worstSeverity(Object.values(severities));

  const band = strategy === 'vpa' ? { bandCpu: computed.bandCpu, bandMemory: computed.bandMemory } : summaryBand(input, spanSeconds / DAY);
  const bandOut =
    confidence === 'high' && strategy !== 'vpa'
      ? undefined
      : {
          ...(band.bandCpu ? { cpu: [formatCpuCores(band.bandCpu[0]), formatCpuCores(band.bandCpu[1])] as const } : {}),
          ...(band.bandMemory ? { memory: [formatMemoryBytes(band.bandMemory[0]), formatMemoryBytes(band.bandMemory[1])] as const } : {}),
        };
  if (confidence === 'low') notes.push('Low confidence: show the band only; no one-click apply.');
  if (confidence === 'medium') notes.push('Medium confidence: less than 7 days of history.');

  let hpa: HpaCoupling | undefined;
  let applicable = confidence !== 'low';
  for (const resource of ['cpu', 'memory'] as const) {
    const rec = resource === 'cpu' ? rounded.cpuRequest : rounded.memoryRequest;
    if (rec === undefined) continue;
    const c = couplingOf(input, resource, resource === 'cpu' ? cur.cpuRequest : cur.memoryRequest, rec);
    if (!c) continue;
    notes.push(c.note);
    if (c.coupling) {
      hpa ??= c.coupling;
      // An HPA whose equivalent target cannot be reached changes behaviour: never apply silently.
      if (Math.abs(c.coupling.replicaFactor - 1) > 0.1) applicable = false;
    }
  }

  let monthlyCostDelta: number | undefined;
  if (input.prices) {
    const replicas = input.replicas ?? 1;
    const dCpu = (rounded.cpuRequest ?? cur.cpuRequest ?? 0) - (cur.cpuRequest ?? 0);
    const dMem = ((rounded.memoryRequest ?? cur.memoryRequest ?? 0) - (cur.memoryRequest ?? 0)) / 2 ** 30;
    monthlyCostDelta = Math.round((dCpu * input.prices.cpuCoreMonth + dMem * input.prices.memoryGiBMonth) * replicas * 100) / 100;
    const currency = input.prices.currency ?? '';
    notes.push(
      `Monthly cost ${monthlyCostDelta <= 0 ? 'saving' : 'increase'}: ${currency}${Math.abs(monthlyCostDelta).toFixed(2)} for ${replicas} replica${replicas === 1 ? '' : 's'} (requests × prices).`,
    );
  }

  return {
    ...base,
    recommended,
    severity,
    severities,
    notes,
    ...(bandOut && Object.keys(bandOut).length > 0 ? { band: bandOut } : {}),
    ...(monthlyCostDelta !== undefined ? { monthlyCostDelta } : {}),
    ...(hpa ? { hpa } : {}),
    applicable,
  };
}
