/**
 * Live usage from metrics-server (`metrics.k8s.io/v1beta1`, tuning-formulas.md §5): per container, CPU and memory
 * now, as % of request and % of limit (k9s' %CPU/R, %MEM/L), and an in-memory ring of samples that turns into
 * low-confidence summaries. Pure apart from the KubeClient port.
 */
import { CancelledError, ClusterDeckError, isCancellation } from '../errors';
import type { KubeClient } from '../kube/kubeClient';
import { parseQuantity } from '../kube/quantity';
import { podMetricsKind, nodeMetricsKind, namespaceCategories, type ResourceKind } from '../kube/resourceKinds';
import { summarizeSeries, type ContainerUsageSummary, type MetricsSource, type TimedValue, type UsageQuery } from './metricsSource';

/** One container's usage now. Percentages are undefined when the request (limit) is unset. */
export interface LiveContainerUsage {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  /** Sample time in Unix seconds and the window metrics-server averaged CPU over. */
  readonly timestamp: number;
  readonly windowSeconds: number;
  readonly cpuCores: number;
  readonly memoryBytes: number;
  readonly cpuRequestPercent?: number;
  readonly cpuLimitPercent?: number;
  readonly memoryRequestPercent?: number;
  readonly memoryLimitPercent?: number;
  /** ≥ 90 % of a limit: the host decorates the item with a warning. */
  readonly nearLimit: boolean;
  /** The container's requests and limits (cores, bytes) as the pod spec has them; undefined when unset. */
  readonly cpuRequestCores?: number;
  readonly cpuLimitCores?: number;
  readonly memoryRequestBytes?: number;
  readonly memoryLimitBytes?: number;
  /**
   * The workload that owns the pod, from its controller ownerReference: a ReplicaSet named `<deployment>-<pod-template-hash>`
   * counts as its Deployment. Undefined for bare pods (and pods whose spec was not read).
   */
  readonly owner?: { readonly kind: string; readonly name: string };
}

/** The controlling workload of a pod: StatefulSet/DaemonSet/Job directly, a ReplicaSet's Deployment by name and hash. */
export function podOwnerOf(pod: Record<string, unknown>): { kind: string; name: string } | undefined {
  const md = rec(pod.metadata);
  const ref = arr(md.ownerReferences)
    .map(rec)
    .find((r) => r.controller === true);
  const kind = text(ref?.kind);
  const name = text(ref?.name);
  if (!kind || !name) return undefined;
  if (kind === 'ReplicaSet') {
    const hash = text(rec(md.labels)['pod-template-hash']);
    if (hash && name.endsWith(`-${hash}`)) return { kind: 'Deployment', name: name.slice(0, -hash.length - 1) };
  }
  return { kind, name };
}

/** Live usage of a node. */
export interface LiveNodeUsage {
  readonly node: string;
  readonly cpuCores: number;
  readonly memoryBytes: number;
}

/** The outcome: data, or why there is none and how to get it (never invented numbers). */
export type LiveUsageResult<T> =
  | { readonly available: true; readonly items: readonly T[] }
  | { readonly available: false; readonly reason: 'notInstalled' | 'unavailable' | 'forbidden'; readonly message: string };

/** How to install metrics-server (shown with "no metrics"). */
export const metricsServerInstallHint =
  'Install metrics-server: kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml (or helm install metrics-server metrics-server/metrics-server -n kube-system).';

const rec = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

/** Parses a Go duration as metrics-server writes it (`15.03s`, `1m0s`) into seconds. */
function goDurationSeconds(text: unknown): number {
  if (typeof text !== 'string') return 0;
  let total = 0;
  for (const m of text.matchAll(/([\d.]+)(ms|h|m|s)/g)) {
    const n = Number(m[1]);
    total += m[2] === 'h' ? n * 3600 : m[2] === 'm' ? n * 60 : m[2] === 'ms' ? n / 1000 : n;
  }
  return total;
}

const NEAR_LIMIT = 90;
const positive = (v: number | undefined): number | undefined => (v !== undefined && v > 0 ? v : undefined);
const percent = (usage: number, of: number | undefined): number | undefined => (of && of > 0 ? (usage / of) * 100 : undefined);

/**
 * Joins PodMetrics with the pods' specs: usage per container with % of request and limit. Containers without a
 * metrics entry are absent (metrics-server has not scraped them yet), never shown as 0.
 */
export function joinLiveUsage(
  podMetrics: readonly Record<string, unknown>[],
  pods: readonly Record<string, unknown>[],
): LiveContainerUsage[] {
  const specs = new Map<string, Map<string, Record<string, unknown>>>();
  const owners = new Map<string, { kind: string; name: string }>();
  for (const pod of pods) {
    const md = rec(pod.metadata);
    const byName = new Map<string, Record<string, unknown>>();
    for (const c of arr(rec(pod.spec).containers).map(rec)) byName.set(String(c.name), rec(c.resources));
    specs.set(`${String(md.namespace)}/${String(md.name)}`, byName);
    const owner = podOwnerOf(pod);
    if (owner) owners.set(`${String(md.namespace)}/${String(md.name)}`, owner);
  }
  const out: LiveContainerUsage[] = [];
  for (const m of podMetrics) {
    const md = rec(m.metadata);
    const namespace = text(md.namespace);
    const pod = text(md.name);
    const timestamp = Date.parse(text(m.timestamp)) / 1000;
    const windowSeconds = goDurationSeconds(m.window);
    for (const c of arr(m.containers).map(rec)) {
      const usage = rec(c.usage);
      const cpuCores = parseQuantity(usage.cpu);
      const memoryBytes = parseQuantity(usage.memory);
      if (cpuCores === undefined || memoryBytes === undefined) continue;
      const resources = specs.get(`${namespace}/${pod}`)?.get(String(c.name));
      const requests = rec(resources?.requests);
      const limits = rec(resources?.limits);
      const cpuRequestCores = positive(parseQuantity(requests.cpu));
      const cpuLimitCores = positive(parseQuantity(limits.cpu));
      const memoryRequestBytes = positive(parseQuantity(requests.memory));
      const memoryLimitBytes = positive(parseQuantity(limits.memory));
      const cpuRequestPercent = percent(cpuCores, cpuRequestCores);
      const cpuLimitPercent = percent(cpuCores, cpuLimitCores);
      const memoryRequestPercent = percent(memoryBytes, memoryRequestBytes);
      const memoryLimitPercent = percent(memoryBytes, memoryLimitBytes);
      const owner = owners.get(`${namespace}/${pod}`);
      out.push({
        namespace,
        pod,
        container: String(c.name),
        timestamp: Number.isFinite(timestamp) ? timestamp : 0,
        windowSeconds,
        cpuCores,
        memoryBytes,
        ...(cpuRequestPercent !== undefined ? { cpuRequestPercent } : {}),
        ...(cpuLimitPercent !== undefined ? { cpuLimitPercent } : {}),
        ...(memoryRequestPercent !== undefined ? { memoryRequestPercent } : {}),
        ...(memoryLimitPercent !== undefined ? { memoryLimitPercent } : {}),
        nearLimit: (cpuLimitPercent ?? 0) >= NEAR_LIMIT || (memoryLimitPercent ?? 0) >= NEAR_LIMIT,
        ...(cpuRequestCores !== undefined ? { cpuRequestCores } : {}),
        ...(cpuLimitCores !== undefined ? { cpuLimitCores } : {}),
        ...(memoryRequestBytes !== undefined ? { memoryRequestBytes } : {}),
        ...(memoryLimitBytes !== undefined ? { memoryLimitBytes } : {}),
        ...(owner ? { owner } : {}),
      });
    }
  }
  return out;
}

function noMetrics<T>(e: unknown, what: string): LiveUsageResult<T> {
  if (isCancellation(e)) throw new CancelledError();
  if (e instanceof ClusterDeckError) {
    if (e.reason === 'notFound')
      return {
        available: false,
        reason: 'notInstalled',
        message: `metrics-server is not installed (the API server could not find the requested resource (get ${what}.metrics.k8s.io)). ${metricsServerInstallHint}`,
      };
    if (e.reason === 'forbidden')
      return {
        available: false,
        reason: 'forbidden',
        message: `You may not list ${what}.metrics.k8s.io; ask for that permission to see live usage.`,
      };
    if (e.detail.status === 503 || e.reason === 'serverError' || e.reason === 'unreachable' || e.reason === 'timeout')
      return {
        available: false,
        reason: 'unavailable',
        message: `The metrics API is unavailable (${e.detail.status ?? e.reason}); only usage figures are affected. Check the metrics-server pods in kube-system.`,
      };
  }
  throw e;
}

const podKind: ResourceKind | undefined = namespaceCategories.flatMap((c) => c.kinds).find((k) => k.kind === 'Pod');

/** Reads PodMetrics and pods of a namespace (all namespaces when undefined) and joins them. */
export async function loadLiveUsage(
  kube: KubeClient,
  namespace: string | undefined,
  signal: AbortSignal,
): Promise<LiveUsageResult<LiveContainerUsage>> {
  let metrics: Record<string, unknown>[];
  try {
    metrics = [...(await kube.listObjects(podMetricsKind, namespace, { signal })).items];
  } catch (e) {
    return noMetrics(e, 'pods');
  }
  const pods = podKind ? [...(await kube.listObjects(podKind, namespace, { signal })).items] : [];
  return { available: true, items: joinLiveUsage(metrics, pods) };
}

/** Reads NodeMetrics. */
export async function loadNodeUsage(kube: KubeClient, signal: AbortSignal): Promise<LiveUsageResult<LiveNodeUsage>> {
  try {
    const page = await kube.listObjects(nodeMetricsKind, undefined, { signal });
    return {
      available: true,
      items: page.items.flatMap((n) => {
        const usage = rec(n.usage);
        const cpu = parseQuantity(usage.cpu);
        const memory = parseQuantity(usage.memory);
        return cpu === undefined || memory === undefined
          ? []
          : [{ node: String(rec(n.metadata).name), cpuCores: cpu, memoryBytes: memory }];
      }),
    };
  } catch (e) {
    return noMetrics(e, 'nodes');
  }
}

/**
 * A ring of metrics-server samples per (namespace, pod, container), filled while a view is open (§5: one sample
 * per 60 s), that answers as a low-confidence MetricsSource. Samples older than `capacity` are dropped.
 */
export class UsageSampler implements MetricsSource {
  readonly kind = 'metrics-server';
  readonly description = 'metrics-server samples collected by ClusterDeck';
  private readonly rings = new Map<
    string,
    { namespace: string; pod: string; container: string; cpu: TimedValue[]; memory: TimedValue[] }
  >();

  constructor(private readonly capacity = 24 * 60) {}

  /** Adds one round of live usage (samples with a timestamp already held are ignored). */
  add(items: readonly LiveContainerUsage[]): void {
    for (const i of items) {
      const key = `${i.namespace}/${i.pod}/${i.container}`;
      let ring = this.rings.get(key);
      if (!ring) {
        ring = { namespace: i.namespace, pod: i.pod, container: i.container, cpu: [], memory: [] };
        this.rings.set(key, ring);
      }
      if (ring.cpu.at(-1)?.t === i.timestamp) continue;
      ring.cpu.push({ t: i.timestamp, v: i.cpuCores });
      ring.memory.push({ t: i.timestamp, v: i.memoryBytes });
      if (ring.cpu.length > this.capacity) ring.cpu.shift();
      if (ring.memory.length > this.capacity) ring.memory.shift();
    }
  }

  summarize(query: UsageQuery): Promise<readonly ContainerUsageSummary[]> {
    const pattern = query.podPattern ? new RegExp(`^(?:${query.podPattern})$`) : undefined;
    const out: ContainerUsageSummary[] = [];
    for (const ring of this.rings.values()) {
      if (ring.namespace !== query.namespace || (pattern && !pattern.test(ring.pod))) continue;
      const summary = summarizeSeries(
        { pod: ring.pod, cpuCores: ring.cpu, memoryBytes: ring.memory },
        query.cpuPercentiles,
        query.memoryPercentiles,
      );
      out.push({ namespace: ring.namespace, container: ring.container, ...summary });
    }
    return Promise.resolve(out);
  }
}
