/**
 * The PromQL a KRR-style recommender sends (tuning-formulas.md §7) and the parsing of Prometheus' answers into
 * usage summaries. Pure: the HTTP side lives in src/node/tuning/. Queries cover a whole namespace at once (one
 * query per statistic, `by (container, pod)`), so 1,000 containers cost a handful of queries, not thousands.
 */
import type { ContainerUsageSeries, ContainerUsageSummary, TimedValue, UsageQuery } from './metricsSource';

/** One element of an instant-vector answer (`resultType: vector`). */
export interface InstantSample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: readonly [number, string];
}

/** One element of a range answer (`resultType: matrix`). */
export interface RangeSeries {
  readonly metric: Readonly<Record<string, string>>;
  readonly values: readonly (readonly [number, string])[];
}

/** Options of the query builders. */
export interface PromQueryOptions {
  /** Window of `rate()`; at least 4 × the scrape interval (§7 notes). Default max(step, 5 min), the window of the reference usage query. */
  readonly rateWindowSeconds?: number;
  /** A `cluster`-style label for multi-cluster stores (Thanos, Mimir, managed Prometheus). */
  readonly clusterLabel?: { readonly name: string; readonly value: string };
}

/** Prometheus' default limit of points per series in a range query. */
export const maxPointsPerSeries = 11_000;

/** A duration in Prometheus syntax: `14d`, `1h15m`, `75s`. */
export function formatPromDuration(seconds: number): string {
  let s = Math.max(1, Math.round(seconds));
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  return parts.join('');
}

/** Parses `14d`, `336h`, `90m`, `1h30m`, `45s`, `2w` into seconds; undefined when not a duration. */
export function parsePromDuration(text: string): number | undefined {
  const units: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };
  if (!/^(\d+[wdhms])+$/.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+)([wdhms])/g)) total += Number(m[1]) * (units[m[2] ?? 's'] ?? 1);
  return total > 0 ? total : undefined;
}

/** The step actually used: the asked one, coarsened so that W / step ≤ 11,000 points. */
export function adaptStep(windowSeconds: number, stepSeconds: number, maxPoints: number = maxPointsPerSeries): number {
  return Math.max(Math.ceil(stepSeconds), Math.ceil(windowSeconds / maxPoints));
}

/** A PromQL string literal (double-quoted, escaped). */
export function promString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function selector(query: UsageQuery, options: PromQueryOptions): string {
  const parts = [`namespace=${promString(query.namespace)}`];
  if (query.podPattern) parts.push(`pod=~${promString(query.podPattern)}`);
  parts.push('container!=""', 'container!="POD"');
  if (options.clusterLabel) parts.push(`${options.clusterLabel.name}=${promString(options.clusterLabel.value)}`);
  return `{${parts.join(', ')}}`;
}

/** The identifier of each summary query: `cpu:p95`, `cpu:count`, `memory:max`, `memory:p50`, `memory:count`. */
export type SummaryQueryId = `cpu:p${number}` | 'cpu:count' | 'memory:max' | `memory:p${number}` | 'memory:count' | 'memory:oom';

/** The rate window used with a query (default max(step, 5 min)). */
export function rateWindowOf(query: UsageQuery, options: PromQueryOptions): number {
  return options.rateWindowSeconds ?? Math.max(query.stepSeconds, 300);
}

/**
 * The instant queries (evaluated at the window's end) that summarize a namespace: per (pod, container), the CPU
 * quantiles of the per-step rate (KRR `simple`), the memory maximum and quantiles, and the data points.
 */
export function buildSummaryQueries(query: UsageQuery, options: PromQueryOptions = {}): { id: SummaryQueryId; promql: string }[] {
  const sel = selector(query, options);
  const w = formatPromDuration(query.windowSeconds);
  const s = formatPromDuration(query.stepSeconds);
  const rate = `max by (container, pod) (rate(container_cpu_usage_seconds_total${sel}[${formatPromDuration(rateWindowOf(query, options))}]))`;
  const memory = `max by (container, pod) (container_memory_working_set_bytes${sel})`;
  const out: { id: SummaryQueryId; promql: string }[] = [];
  for (const p of query.cpuPercentiles) out.push({ id: `cpu:p${p}`, promql: `quantile_over_time(${p / 100}, ${rate}[${w}:${s}])` });
  out.push({ id: 'cpu:count', promql: `count_over_time(${rate}[${w}:${s}])` });
  out.push({ id: 'memory:max', promql: `max_over_time(${memory}[${w}:${s}])` });
  for (const p of query.memoryPercentiles) out.push({ id: `memory:p${p}`, promql: `quantile_over_time(${p / 100}, ${memory}[${w}:${s}])` });
  out.push({ id: 'memory:count', promql: `count_over_time(${memory}[${w}:${s}])` });
  if (query.oomKill) {
    // KRR's OOM query, namespace-wide: the memory limit joined with the OOMKilled last-termination reason.
    const ksm = selector({ ...query }, options).replace(', container!="", container!="POD"', '');
    const limits = `max by (pod, container, job) (kube_pod_container_resource_limits{resource="memory", ${ksm.slice(1, -1)}})`;
    const oom = `max by (pod, container, job, reason) (kube_pod_container_status_last_terminated_reason{reason="OOMKilled", ${ksm.slice(1, -1)}})`;
    out.push({
      id: 'memory:oom',
      promql: `max_over_time(max by (container, pod) (${limits} * on (pod, container, job) group_left (reason) ${oom})[${w}:${s}])`,
    });
  }
  return out;
}

/** VPA-style series: the recommender keeps 8 days of history (`history-length`) and memory as daily peaks. */
export const seriesDefaults = { maxWindowSeconds: 8 * 86400, minCpuStepSeconds: 900, memoryPeakSeconds: 86400 } as const;

/**
 * The two range queries that return per-pod series for the VPA-like strategy, over min(W, 8 d): CPU as the rate
 * at a step of at least 15 min (the rate window = the step, so no usage is skipped), memory directly as daily
 * peaks (`max_over_time(…[1d:step])` at a 1-day step). Keeps a namespace of 300 containers to a few MB of JSON.
 */
export function buildSeriesQueries(
  query: UsageQuery,
  options: PromQueryOptions = {},
): { cpu: string; memory: string; windowSeconds: number; cpuStepSeconds: number; memoryStepSeconds: number } {
  const sel = selector(query, options);
  const windowSeconds = Math.min(query.windowSeconds, seriesDefaults.maxWindowSeconds);
  const cpuStepSeconds = adaptStep(windowSeconds, Math.max(query.stepSeconds, seriesDefaults.minCpuStepSeconds));
  const memory = `max by (container, pod) (container_memory_working_set_bytes${sel})`;
  return {
    cpu: `max by (container, pod) (rate(container_cpu_usage_seconds_total${sel}[${formatPromDuration(Math.max(cpuStepSeconds, rateWindowOf(query, options)))}]))`,
    memory: `max_over_time(${memory}[${formatPromDuration(seriesDefaults.memoryPeakSeconds)}:${formatPromDuration(query.stepSeconds)}])`,
    windowSeconds,
    cpuStepSeconds,
    memoryStepSeconds: seriesDefaults.memoryPeakSeconds,
  };
}

const finite = (text: string): number | undefined => {
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
};

/**
 * Merges the answers of `buildSummaryQueries` into one summary per (pod, container). Samples without pod or
 * container labels, NaN and ±Inf are dropped (§6.3: never invent numbers).
 */
export function mergeSummaryResults(
  namespace: string,
  results: ReadonlyMap<SummaryQueryId, readonly InstantSample[]>,
): ContainerUsageSummary[] {
  interface Acc {
    pod: string;
    container: string;
    cpuQuantiles: Record<string, number>;
    memoryQuantiles: Record<string, number>;
    memoryMaxBytes: number | undefined;
    oomKilledLimitBytes?: number;
    cpuPoints: number;
    memoryPoints: number;
  }
  const byKey = new Map<string, Acc>();
  for (const [id, samples] of results) {
    for (const sample of samples) {
      const pod = sample.metric.pod;
      const container = sample.metric.container;
      const v = finite(sample.value[1]);
      if (!pod || !container || v === undefined) continue;
      const key = `${pod}\u0000${container}`;
      let acc = byKey.get(key);
      if (!acc) {
        acc = { pod, container, cpuQuantiles: {}, memoryQuantiles: {}, memoryMaxBytes: undefined, cpuPoints: 0, memoryPoints: 0 };
        byKey.set(key, acc);
      }
      if (id === 'cpu:count') acc.cpuPoints = v;
      else if (id === 'memory:count') acc.memoryPoints = v;
      else if (id === 'memory:oom') acc.oomKilledLimitBytes = v;
      else if (id === 'memory:max') acc.memoryMaxBytes = v;
      else if (id.startsWith('cpu:p')) acc.cpuQuantiles[id.slice(5)] = v;
      else if (id.startsWith('memory:p')) acc.memoryQuantiles[id.slice(8)] = v;
    }
  }
  return [...byKey.values()]
    .sort((a, b) => (a.pod === b.pod ? a.container.localeCompare(b.container) : a.pod.localeCompare(b.pod)))
    .map((a) => ({ namespace, ...a }));
}

/** Merges the two range answers of `buildSeriesQueries` into per (pod, container) series. */
export function mergeSeriesResults(namespace: string, cpu: readonly RangeSeries[], memory: readonly RangeSeries[]): ContainerUsageSeries[] {
  const byKey = new Map<string, { pod: string; container: string; cpuCores: TimedValue[]; memoryBytes: TimedValue[] }>();
  const add = (series: readonly RangeSeries[], field: 'cpuCores' | 'memoryBytes'): void => {
    for (const s of series) {
      const pod = s.metric.pod;
      const container = s.metric.container;
      if (!pod || !container) continue;
      const key = `${pod}\u0000${container}`;
      let acc = byKey.get(key);
      if (!acc) {
        acc = { pod, container, cpuCores: [], memoryBytes: [] };
        byKey.set(key, acc);
      }
      for (const [t, text] of s.values) {
        const v = finite(text);
        if (v !== undefined && v >= 0) acc[field].push({ t, v });
      }
    }
  };
  add(cpu, 'cpuCores');
  add(memory, 'memoryBytes');
  return [...byKey.values()].map((a) => ({ namespace, ...a }));
}

/** What `buildHpaHistoryQueries` needs: the HPA, its target's pods and the resource of its Utilization metric. */
export interface HpaHistoryQuery {
  readonly namespace: string;
  readonly hpaName: string;
  /** RE2 pattern of the target's pod names (recommendWorkloads.podPatternOf). */
  readonly podPattern: string;
  readonly resource: 'cpu' | 'memory';
  readonly windowSeconds: number;
  readonly stepSeconds: number;
  readonly endSeconds?: number;
}

/** The total usage of a workload's pods over a window (the "Create HPA…" suggestion, the HPA history rules). */
export interface WorkloadUsageQuery {
  readonly namespace: string;
  /** RE2 pattern of the workload's pod names (recommendWorkloads.podPatternOf). */
  readonly podPattern: string;
  readonly resource: 'cpu' | 'memory';
  readonly windowSeconds: number;
  readonly stepSeconds: number;
  readonly endSeconds?: number;
}

/**
 * One range query: the summed CPU rate (cores) or working set (bytes) of the pods matching the pattern, at the
 * adapted step (W / step ≤ 11,000 points).
 */
export function buildWorkloadUsageQuery(query: WorkloadUsageQuery, options: PromQueryOptions = {}): { usage: string; stepSeconds: number } {
  const usageQuery: UsageQuery = {
    namespace: query.namespace,
    podPattern: query.podPattern,
    windowSeconds: query.windowSeconds,
    stepSeconds: query.stepSeconds,
    cpuPercentiles: [],
    memoryPercentiles: [],
  };
  const sel = selector(usageQuery, options);
  return {
    usage:
      query.resource === 'cpu'
        ? `sum(rate(container_cpu_usage_seconds_total${sel}[${formatPromDuration(rateWindowOf(usageQuery, options))}]))`
        : `sum(container_memory_working_set_bytes${sel})`,
    stepSeconds: adaptStep(query.windowSeconds, query.stepSeconds),
  };
}

/**
 * Range queries for the HPA history rules: the replicas kube-state-metrics saw
 * (`kube_horizontalpodautoscaler_status_current_replicas`) and the total usage of the target's pods, at the same
 * (adapted) step so the two series align.
 */
export function buildHpaHistoryQueries(
  query: HpaHistoryQuery,
  options: PromQueryOptions = {},
): { replicas: string; usage: string; stepSeconds: number } {
  const cluster = options.clusterLabel ? `, ${options.clusterLabel.name}=${promString(options.clusterLabel.value)}` : '';
  return {
    replicas: `max(kube_horizontalpodautoscaler_status_current_replicas{namespace=${promString(query.namespace)}, horizontalpodautoscaler=${promString(query.hpaName)}${cluster}})`,
    ...buildWorkloadUsageQuery(query, options),
  };
}

/** The values of the first series of a range answer, NaN and Inf dropped. */
export function firstSeriesValues(series: readonly RangeSeries[]): TimedValue[] {
  const out: TimedValue[] = [];
  for (const [t, text] of series[0]?.values ?? []) {
    const v = finite(text);
    if (v !== undefined) out.push({ t, v });
  }
  return out;
}
