// MetricsSource over Prometheus: the namespace-wide summary queries of core/tuning/promQueries.ts, run with the
// client's bounded concurrency, merged per (pod, container).
import type {
  TimedValue,
  ContainerUsageSeries,
  ContainerUsageSummary,
  MetricsSource,
  UsageCallOptions,
  UsageQuery,
} from '../../core/tuning/metricsSource';
import type { HpaHistory } from '../../core/tuning/recommendHpa';
import {
  buildHpaHistoryQueries,
  buildWorkloadUsageQuery,
  firstSeriesValues,
  type WorkloadUsageQuery,
  type HpaHistoryQuery,
  buildSeriesQueries,
  buildSummaryQueries,
  mergeSeriesResults,
  mergeSummaryResults,
  type InstantSample,
  type PromQueryOptions,
  type SummaryQueryId,
} from '../../core/tuning/promQueries';
import type { PrometheusClient } from './prometheusClient';

/** A MetricsSource answering from Prometheus (or Thanos, Mimir, VictoriaMetrics, managed Prometheus). */
export class PrometheusSource implements MetricsSource {
  readonly kind = 'prometheus';
  readonly description: string;

  constructor(
    readonly client: PrometheusClient,
    private readonly options: PromQueryOptions & { readonly now?: () => number } = {},
  ) {
    this.description = `Prometheus at ${client.transport.description}`;
  }

  private end(query: UsageQuery): number {
    return query.endSeconds ?? Math.floor((this.options.now?.() ?? Date.now()) / 1000);
  }

  async summarize(query: UsageQuery, options: UsageCallOptions): Promise<readonly ContainerUsageSummary[]> {
    const time = this.end(query);
    const queries = buildSummaryQueries(query, this.options);
    const answers = await Promise.all(
      queries.map(async (q) => [q.id, await this.client.query(q.promql, time, options.signal, `${q.id} ${query.namespace}`)] as const),
    );
    return mergeSummaryResults(query.namespace, new Map<SummaryQueryId, readonly InstantSample[]>(answers));
  }

  async series(query: UsageQuery, options: UsageCallOptions): Promise<readonly ContainerUsageSeries[]> {
    const end = this.end(query);
    const q = buildSeriesQueries(query, this.options);
    const start = end - q.windowSeconds;
    const [cpu, memory] = await Promise.all([
      this.client.queryRange(q.cpu, start, end, q.cpuStepSeconds, options.signal, `cpu series ${query.namespace}`),
      this.client.queryRange(q.memory, start, end, q.memoryStepSeconds, options.signal, `memory series ${query.namespace}`),
    ]);
    return mergeSeriesResults(query.namespace, cpu, memory);
  }

  async hpaHistory(query: HpaHistoryQuery, options: UsageCallOptions): Promise<HpaHistory | undefined> {
    const end = query.endSeconds ?? Math.floor((this.options.now?.() ?? Date.now()) / 1000);
    const q = buildHpaHistoryQueries(query, this.options);
    const start = end - query.windowSeconds;
    const [replicas, usage] = await Promise.all([
      this.client.queryRange(q.replicas, start, end, q.stepSeconds, options.signal, `hpa replicas ${query.namespace}/${query.hpaName}`),
      this.client.queryRange(q.usage, start, end, q.stepSeconds, options.signal, `hpa usage ${query.namespace}/${query.hpaName}`),
    ]);
    const replicaValues = firstSeriesValues(replicas);
    if (replicaValues.length === 0) return undefined;
    return {
      windowSeconds: query.windowSeconds,
      stepSeconds: q.stepSeconds,
      replicas: replicaValues,
      usage: { [query.resource]: firstSeriesValues(usage) },
    };
  }

  async workloadUsage(query: WorkloadUsageQuery, options: UsageCallOptions): Promise<readonly TimedValue[]> {
    const end = query.endSeconds ?? Math.floor((this.options.now?.() ?? Date.now()) / 1000);
    const q = buildWorkloadUsageQuery(query, this.options);
    const answer = await this.client.queryRange(
      q.usage,
      end - query.windowSeconds,
      end,
      q.stepSeconds,
      options.signal,
      `workload ${query.resource} ${query.namespace}/${query.podPattern}`,
    );
    return firstSeriesValues(answer);
  }
}
