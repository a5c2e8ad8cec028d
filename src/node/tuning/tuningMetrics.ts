// Tuning's metrics for the editor: the configured Prometheus URL (its bearer token passed in), else discovery through
// the API server's service proxy. Its own chunk (dist/tuningMetrics.js), loaded the first time Right-size or Create
// HPA looks for metrics, so activation parses no Prometheus client.
import type { KubeClient } from '../../core/kube/kubeClient';
import type { MetricsSource } from '../../core/tuning/metricsSource';
import { missingMetricsMessage } from '../../core/tuning/reportModel';
import { PrometheusClient, httpTransport, type PrometheusTransport } from './prometheusClient';
import { discoverPrometheus, discoveryNamespaces } from './prometheusDiscovery';
import { PrometheusSource } from './prometheusSource';

/** A metrics source, or what is missing and how to install it (a sentence for the user). */
export type FoundMetricsSource = { readonly source: MetricsSource } | { readonly missing: string };

/** The configured Prometheus (URL and optional bearer token), else one discovered in the cluster. */
export async function findMetrics(
  kube: KubeClient,
  configured: { readonly url: string; readonly bearerToken?: string } | undefined,
  signal: AbortSignal,
  onRequest: (line: string) => void,
): Promise<FoundMetricsSource> {
  let transport: PrometheusTransport;
  if (configured) transport = httpTransport(configured);
  else {
    const found = await discoverPrometheus(kube, { signal });
    if (!found.found) return { missing: missingMetricsMessage(found.tried, discoveryNamespaces) };
    transport = found.transport;
  }
  return { source: new PrometheusSource(new PrometheusClient(transport, { timeoutMs: 30_000, concurrency: 4, onRequest })) };
}
