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

/** One Prometheus that answered the probe. */
export interface FoundPrometheus {
  readonly candidate: PrometheusCandidate;
  readonly transport: PrometheusTransport;
}

/**
 * What discovery found, or why not. `instances` holds every candidate that answered, in probing order (an
 * operator install often has `prometheus-operated` and the chart's Service for the same Prometheus, and a cluster
 * may run several): the caller offers them as a choice; `candidate`/`transport` are the first.
 */
export type DiscoveryResult =
  | {
      readonly found: true;
      readonly candidate: PrometheusCandidate;
      readonly transport: PrometheusTransport;
      readonly instances: readonly FoundPrometheus[];
    }
  | { readonly found: false; readonly tried: readonly string[]; readonly message: string };

/**
 * Lists the Services of each namespace (skipping those that do not exist or are forbidden), keeps the candidates
 * present, and probes each through the service proxy (`/api/v1/query?query=vector(1)`, `probeTimeoutMs` each,
 * default 5 s, all at once). Every one answering like Prometheus is returned, in probing order.
 */
export async function discoverPrometheus(
  kube: KubeClient,
  options: { readonly signal: AbortSignal; readonly probeTimeoutMs?: number; readonly namespaces?: readonly string[] },
): Promise<DiscoveryResult> {
  const namespaces = options.namespaces ?? discoveryNamespaces;
  const present: PrometheusCandidate[] = [];
  for (const namespace of namespaces) {
    let names: Set<string>;
    try {
      if (!serviceKind) break;
      const page = await kube.listObjects(serviceKind, namespace, { signal: options.signal, limit: 500 });
      names = new Set(page.items.map((s) => String((s.metadata as { name?: string } | undefined)?.name ?? '')));
    } catch (e) {
      if (isCancellation(e)) throw new CancelledError();
      if (e instanceof ClusterDeckError && (e.reason === 'notFound' || e.reason === 'forbidden')) continue;
      throw e;
    }
    present.push(...prometheusCandidates([namespace]).filter((c) => names.has(c.service)));
  }
  const tried = present.map((c) => `${c.namespace}/${c.service}:${c.port}`);
  const answers = await Promise.all(
    present.map(async (candidate): Promise<FoundPrometheus | undefined> => {
      const service = `${candidate.service}:${candidate.port}`;
      const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.probeTimeoutMs ?? 5000)]);
      try {
        const answer = await kube.proxyGet(candidate.namespace, service, '/api/v1/query', { signal, query: { query: 'vector(1)' } });
        const body = JSON.parse(answer.body) as { status?: string; data?: { resultType?: string } };
        if (answer.status === 200 && body.status === 'success' && body.data?.resultType === 'vector')
          return { candidate, transport: serviceProxyTransport(kube, candidate.namespace, service) };
      } catch {
        /* not this one */
      }
      return undefined;
    }),
  );
  if (options.signal.aborted) throw new CancelledError();
  const instances = answers.filter((a): a is FoundPrometheus => a !== undefined);
  const first = instances[0];
  if (first) return { found: true, candidate: first.candidate, transport: first.transport, instances };
  return {
    found: false,
    tried,
    message:
      tried.length > 0
        ? `No Prometheus answered at ${tried.join(', ')}; give --prometheus-url, or check those pods.`
        : `No Prometheus found in the namespaces ${namespaces.join(', ')}: install one (helm install kube-prometheus-stack prometheus-community/kube-prometheus-stack -n monitoring --create-namespace) or give --prometheus-url.`,
  };
}
