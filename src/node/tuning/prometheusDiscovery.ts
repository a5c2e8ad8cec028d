// Finds an in-cluster Prometheus through the API server's service proxy (common installs in the namespaces
// `monitoring` and `prometheus`), probing each candidate with a short timeout.
import { CancelledError, ClusterDeckError, isCancellation } from '../../core/errors';
import type { KubeClient } from '../../core/kube/kubeClient';
import { namespaceCategories, type ResourceKind } from '../../core/kube/resourceKinds';
import { serviceProxyTransport, type PrometheusTransport } from './prometheusClient';

/** One place a Prometheus usually answers: namespace, Service, port (name or number). */
export interface PrometheusCandidate {
  readonly namespace: string;
  readonly service: string;
  readonly port: string;
  /** Which install creates it. */
  readonly install: string;
}

const installs: readonly { service: string; port: string; install: string }[] = [
  // kube-prometheus-stack (Prometheus Operator): the operator's governing Service, then the chart's own Service
  // for the usual release names.
  { service: 'prometheus-operated', port: '9090', install: 'Prometheus Operator (kube-prometheus-stack)' },
  { service: 'kube-prometheus-stack-prometheus', port: '9090', install: 'kube-prometheus-stack' },
  { service: 'prometheus-kube-prometheus-prometheus', port: '9090', install: 'kube-prometheus-stack (release "prometheus")' },
  { service: 'prometheus-k8s', port: '9090', install: 'kube-prometheus (jsonnet)' },
  // prometheus-community/prometheus chart: the server Service listens on 80.
  { service: 'prometheus-server', port: '80', install: 'prometheus-community/prometheus' },
  { service: 'prometheus', port: '9090', install: 'a plain Prometheus Service' },
];

/** The namespaces searched, in order. */
export const discoveryNamespaces: readonly string[] = ['monitoring', 'prometheus'];

/** Every candidate, in probing order. */
export function prometheusCandidates(namespaces: readonly string[] = discoveryNamespaces): PrometheusCandidate[] {
  return namespaces.flatMap((namespace) => installs.map((i) => ({ namespace, ...i })));
}

const serviceKind: ResourceKind | undefined = namespaceCategories.flatMap((c) => c.kinds).find((k) => k.kind === 'Service');

/** What discovery found, or why not. */
export type DiscoveryResult =
  | { readonly found: true; readonly candidate: PrometheusCandidate; readonly transport: PrometheusTransport }
  | { readonly found: false; readonly tried: readonly string[]; readonly message: string };

/**
 * Lists the Services of each namespace (skipping those that do not exist or are forbidden), keeps the candidates
 * present, and probes each through the service proxy (`/api/v1/query?query=vector(1)`, `probeTimeoutMs` each,
 * default 5 s). The first one answering like Prometheus wins.
 */
export async function discoverPrometheus(
  kube: KubeClient,
  options: { readonly signal: AbortSignal; readonly probeTimeoutMs?: number; readonly namespaces?: readonly string[] },
): Promise<DiscoveryResult> {
  const tried: string[] = [];
  const namespaces = options.namespaces ?? discoveryNamespaces;
  for (const namespace of namespaces) {
    let present: Set<string>;
    try {
      if (!serviceKind) break;
      const page = await kube.listObjects(serviceKind, namespace, { signal: options.signal, limit: 500 });
      present = new Set(page.items.map((s) => String((s.metadata as { name?: string } | undefined)?.name ?? '')));
    } catch (e) {
      if (isCancellation(e)) throw new CancelledError();
      if (e instanceof ClusterDeckError && (e.reason === 'notFound' || e.reason === 'forbidden')) continue;
      throw e;
    }
    for (const candidate of prometheusCandidates([namespace]).filter((c) => present.has(c.service))) {
      const service = `${candidate.service}:${candidate.port}`;
      tried.push(`${namespace}/${service}`);
      const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.probeTimeoutMs ?? 5000)]);
      try {
        const answer = await kube.proxyGet(namespace, service, '/api/v1/query', { signal, query: { query: 'vector(1)' } });
        const body = JSON.parse(answer.body) as { status?: string; data?: { resultType?: string } };
        if (answer.status === 200 && body.status === 'success' && body.data?.resultType === 'vector')
          return { found: true, candidate, transport: serviceProxyTransport(kube, namespace, service) };
      } catch {
        if (options.signal.aborted) throw new CancelledError();
        /* not this one: next candidate */
      }
    }
  }
  return {
    found: false,
    tried,
    message:
      tried.length > 0
        ? `No Prometheus answered at ${tried.join(', ')}; give --prometheus-url, or check those pods.`
        : `No Prometheus found in the namespaces ${namespaces.join(', ')}: install one (helm install kube-prometheus-stack prometheus-community/kube-prometheus-stack -n monitoring --create-namespace) or give --prometheus-url.`,
  };
}
