/**
 * The port through which tuning reads container usage history (Prometheus and compatibles, or samples ClusterDeck
 * collected from metrics-server). Implementations live in src/node/tuning/. Values are never invented: a container
 * without series is simply absent from the answer, and a source that cannot answer at all throws ClusterDeckError.
 */

import type { HpaHistoryQuery, WorkloadUsageQuery } from './promQueries';
import type { HpaHistory } from './recommendHpa';

/** One sample: `t` in Unix seconds, `v` in cores (CPU) or bytes (memory). */
export interface TimedValue {
  readonly t: number;
  readonly v: number;
}

/** What one pod's instance of a container used over the window, aggregated by the source. */
export interface PodUsageSummary {
  readonly pod: string;
  /** CPU usage quantiles over the window in cores, keyed by percentile ("95" → p95 of the per-step rate). */
  readonly cpuQuantiles: Readonly<Record<string, number>>;
  /** Memory working-set quantiles in bytes, keyed by percentile (only those asked for). */
  readonly memoryQuantiles: Readonly<Record<string, number>>;
  /** Maximum working set over the window in bytes; undefined without memory series. */
  readonly memoryMaxBytes: number | undefined;
  /** The memory limit (bytes) the container had when it was last OOM-killed in the window (asked with `oomKill`). */
  readonly oomKilledLimitBytes?: number;
  /** Steps of the window that had a CPU (memory) sample: the KRR "data points". */
  readonly cpuPoints: number;
  readonly memoryPoints: number;
}

/** The raw per-step series of one pod's instance of a container (for strategies that need more than quantiles). */
export interface PodUsageSeries {
  readonly pod: string;
  readonly cpuCores: readonly TimedValue[];
  readonly memoryBytes: readonly TimedValue[];
}

/** The usage of one container name in one pod, as returned for a whole namespace. */
export interface ContainerUsageSummary extends PodUsageSummary {
  readonly namespace: string;
  readonly container: string;
}

/** The raw series of one container name in one pod. */
export interface ContainerUsageSeries extends PodUsageSeries {
  readonly namespace: string;
  readonly container: string;
}

/** What to ask a source for. */
export interface UsageQuery {
  readonly namespace: string;
  /** An RE2 regex the pod names must match (anchored by the source); all pods of the namespace when absent. */
  readonly podPattern?: string;
  /** History window W in seconds (KRR default 14 days). */
  readonly windowSeconds: number;
  /** Resolution in seconds (KRR `timeframe_duration`, 75 s); sources may coarsen it to stay under their point limits. */
  readonly stepSeconds: number;
  /** CPU percentiles (0–100) each pod needs, e.g. [95] for `simple`, [66, 96] for `simple_limit`. */
  readonly cpuPercentiles: readonly number[];
  /** Memory percentiles (0–100) each pod needs (for the low-confidence band); may be empty. */
  readonly memoryPercentiles: readonly number[];
  /** End of the window in Unix seconds; now when absent. */
  readonly endSeconds?: number;
  /** Also ask for the memory limit at the last OOM kill (KRR `--use_oomkill_data`; needs kube-state-metrics). */
  readonly oomKill?: boolean;
}

/** Options of every call. Aborting the signal rejects with CancelledError. */
export interface UsageCallOptions {
  readonly signal: AbortSignal;
}

/**
 * A store of container usage history.
 *
 * - `summarize` returns one entry per (pod, container) of the namespace that has CPU or memory series in the window.
 * - `series` returns the raw per-step series (a strategy such as `vpa` needs them); sources without history may omit it.
 *
 * Both throw ClusterDeckError (`unreachable`, `timeout`, `unauthorized`, `forbidden`, `notFound`, `invalid` for a
 * rejected query, `serverError`) with one sentence naming the (redacted) URL and the next step.
 */
export interface MetricsSource {
  /** `prometheus` (history) or `metrics-server` (samples ClusterDeck collected itself). */
  readonly kind: 'prometheus' | 'metrics-server';
  /** A short, secret-free description for notes and logs ("Prometheus at http://…", "metrics-server samples"). */
  readonly description: string;
  summarize(query: UsageQuery, options: UsageCallOptions): Promise<readonly ContainerUsageSummary[]>;
  series?(query: UsageQuery, options: UsageCallOptions): Promise<readonly ContainerUsageSeries[]>;
  /**
   * The replicas of an HPA and the total usage of its target's pods over the window (needs kube-state-metrics for
   * the replicas); undefined when the store has no replica series for it.
   */
  hpaHistory?(query: HpaHistoryQuery, options: UsageCallOptions): Promise<HpaHistory | undefined>;
  /** The total usage of a workload's pods over the window (cores or bytes per step); empty when the store has none. */
  workloadUsage?(query: WorkloadUsageQuery, options: UsageCallOptions): Promise<readonly TimedValue[]>;
}

/**
 * The value at percentile `p` (0–100) of `values`, by linear interpolation between closest ranks (numpy's default,
 * which KRR uses for `simple_limit`). Undefined for an empty list. Does not modify `values`.
 */
export function percentileOf(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  const rank = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] ?? 0;
  const b = sorted[hi] ?? a;
  return a + (b - a) * (rank - lo);
}

/**
 * Summarizes raw series of one pod's container the way a Prometheus source summarizes them server-side: CPU and
 * memory quantiles, the memory maximum and the point counts. Used for metrics-server samples and synthetic data.
 */
export function summarizeSeries(
  series: PodUsageSeries,
  cpuPercentiles: readonly number[],
  memoryPercentiles: readonly number[],
): PodUsageSummary {
  const cpu = series.cpuCores.map((s) => s.v).filter((v) => Number.isFinite(v));
  const memory = series.memoryBytes.map((s) => s.v).filter((v) => Number.isFinite(v));
  const cpuQuantiles: Record<string, number> = {};
  for (const p of cpuPercentiles) {
    const q = percentileOf(cpu, p);
    if (q !== undefined) cpuQuantiles[String(p)] = q;
  }
  const memoryQuantiles: Record<string, number> = {};
  for (const p of memoryPercentiles) {
    const q = percentileOf(memory, p);
    if (q !== undefined) memoryQuantiles[String(p)] = q;
  }
  let memoryMax: number | undefined;
  for (const v of memory) memoryMax = memoryMax === undefined || v > memoryMax ? v : memoryMax;
  return {
    pod: series.pod,
    cpuQuantiles,
    memoryQuantiles,
    memoryMaxBytes: memoryMax,
    cpuPoints: cpu.length,
    memoryPoints: memory.length,
  };
}
