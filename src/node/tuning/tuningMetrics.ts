// Tuning's metrics for the editor: the configured Prometheus URL (its bearer token passed in), else discovery through
// the API server's service proxy (several instances are handed over as a choice). Its own chunk (dist/tuningMetrics.js), loaded the first time Right-size or Create
// HPA looks for metrics, so activation parses no Prometheus client.
import type { KubeClient } from '../../core/kube/kubeClient';
import type { MetricsSource } from '../../core/tuning/metricsSource';
import { missingMetricsMessage } from '../../core/tuning/reportModel';
import { PrometheusClient, httpTransport, type PrometheusTransport } from './prometheusClient';
import { discoverPrometheus, discoveryNamespaces } from './prometheusDiscovery';
import { PrometheusSource } from './prometheusSource';

/** A metrics source, several to choose from (B82: never one taken silently), or what is missing (a sentence). */
export type FoundMetricsSource =
  | { readonly source: MetricsSource }
  | { readonly missing: string }
  | { readonly choices: readonly { readonly label: string; readonly detail: string; readonly source: MetricsSource }[] };

/** The configured Prometheus (URL and optional bearer token), else those discovered in the cluster. */
export async function findMetrics(
  kube: KubeClient,
  configured: { readonly url: string; readonly bearerToken?: string } | undefined,
  signal: AbortSignal,
  onRequest: (line: string) => void,
): Promise<FoundMetricsSource> {
  const sourceOf = (transport: PrometheusTransport): PrometheusSource =>
    new PrometheusSource(new PrometheusClient(transport, { timeoutMs: 30_000, concurrency: 4, onRequest }));
  if (configured) return { source: sourceOf(httpTransport(configured)) };
  const found = await discoverPrometheus(kube, { signal });
  if (!found.found) return { missing: missingMetricsMessage(found.tried, discoveryNamespaces) };
  if (found.instances.length === 1) return { source: sourceOf(found.transport) };
  return {
    choices: found.instances.map((i) => ({
      label: `${i.candidate.namespace}/${i.candidate.service}:${i.candidate.port}`,
      detail: i.candidate.install,
      source: sourceOf(i.transport),
    })),
  };
}
