/**
 * From cluster objects and a MetricsSource to recommendation records: reads the workloads (Deployments,
 * StatefulSets, DaemonSets) and HPAs of a namespace through the KubeClient port, asks the source for the
 * namespace's usage (one batch of queries per namespace), assigns pods to workloads by the controllers' pod-name
 * patterns, and runs the strategy per workload container. Also runs the static HPA checks and adds them as notes.
 */
import { CancelledError, ClusterDeckError, isCancellation } from '../errors';
import type { KubeClient } from '../kube/kubeClient';
import { listAllObjects } from '../kube/listAllPages';
import { namespaceCategories, type ResourceKind } from '../kube/resourceKinds';
import type { ContainerUsageSeries, ContainerUsageSummary, MetricsSource } from './metricsSource';
import {
  isProductionWorkload,
  parseHpa,
  podRequestOf,
  recommendHpa,
  type HpaHistory,
  type HpaSpec,
  type HpaTarget,
  type TemplateContainer,
} from './recommendHpa';
import {
  recommendRequests,
  strategyNeeds,
  type ContainerRecommendation,
  type CurrentResources,
  type HpaUtilizationTarget,
  type Prices,
  type StrategyName,
} from './recommendRequests';

/** A workload whose containers get recommendations. */
export interface TunedWorkload {
  readonly namespace: string;
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  readonly name: string;
  readonly replicas?: number;
  readonly specReplicas?: number;
  readonly containers: readonly (TemplateContainer & { readonly current: CurrentResources })[];
  readonly initContainers: readonly TemplateContainer[];
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly templateLabels: Readonly<Record<string, string>>;
}

const rec = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const strMap = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(rec(v)).filter((e): e is [string, string] => typeof e[1] === 'string'));
const quantityText = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

function containerOf(c: Record<string, unknown>): TemplateContainer & { current: CurrentResources } {
  const resources = rec(c.resources);
  const requests = rec(resources.requests);
  const limits = rec(resources.limits);
  const cpuRequest = quantityText(requests.cpu);
  const memoryRequest = quantityText(requests.memory);
  const cpuLimit = quantityText(limits.cpu);
  const memoryLimit = quantityText(limits.memory);
  // Pods get a missing request defaulted to the limit: the HPA divides by that. `current` stays as written.
  const effectiveCpu = cpuRequest ?? cpuLimit;
  const effectiveMemory = memoryRequest ?? memoryLimit;
  return {
    name: text(c.name),
    ...(typeof c.restartPolicy === 'string' ? { restartPolicy: c.restartPolicy } : {}),
    requests: {
      ...(effectiveCpu !== undefined ? { cpu: effectiveCpu } : {}),
      ...(effectiveMemory !== undefined ? { memory: effectiveMemory } : {}),
    },
    current: {
      ...(cpuRequest !== undefined ? { cpuRequest } : {}),
      ...(cpuLimit !== undefined ? { cpuLimit } : {}),
      ...(memoryRequest !== undefined ? { memoryRequest } : {}),
      ...(memoryLimit !== undefined ? { memoryLimit } : {}),
    },
  };
}

/** Reads a Deployment, StatefulSet or DaemonSet object; undefined for other kinds. */
export function workloadOf(obj: Record<string, unknown>): TunedWorkload | undefined {
  const kind = obj.kind;
  if (kind !== 'Deployment' && kind !== 'StatefulSet' && kind !== 'DaemonSet') return undefined;
  const md = rec(obj.metadata);
  const spec = rec(obj.spec);
  const template = rec(spec.template);
  const podSpec = rec(template.spec);
  const status = rec(obj.status);
  const specReplicas = typeof spec.replicas === 'number' ? spec.replicas : undefined;
  const replicas =
    kind === 'DaemonSet'
      ? typeof status.desiredNumberScheduled === 'number'
        ? status.desiredNumberScheduled
        : undefined
      : typeof status.replicas === 'number'
        ? status.replicas
        : specReplicas;
  return {
    namespace: text(md.namespace, 'default'),
    kind,
    name: text(md.name),
    ...(replicas !== undefined ? { replicas } : {}),
    ...(specReplicas !== undefined ? { specReplicas } : {}),
    containers: arr(podSpec.containers).map(rec).map(containerOf),
    initContainers: arr(podSpec.initContainers).map(rec).map(containerOf),
    labels: strMap(md.labels),
    annotations: strMap(md.annotations),
    templateLabels: strMap(rec(template.metadata).labels),
  };
}

/** What beyond the workload decides whether it counts as production (`isProductionWorkload`). */
export interface ProductionContext {
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  readonly namespaceAnnotations?: Readonly<Record<string, string>>;
  /** A PodDisruptionBudget selects the workload's pods. */
  readonly hasPdb?: boolean;
}

/**
 * The workload as the HPA rules see it (`recommendHpa`): its containers, `spec.replicas` and the production marker
 * from its own labels and annotations, its namespace's and a PDB. The one way the report, the CLI and the tree's
 * hints build an `HpaTarget`.
 */
export function hpaTargetOf(w: TunedWorkload, context: ProductionContext = {}): HpaTarget {
  return {
    kind: w.kind,
    name: w.name,
    ...(w.specReplicas !== undefined ? { specReplicas: w.specReplicas } : {}),
    containers: w.containers,
    initContainers: w.initContainers,
    production: isProductionWorkload({ labels: w.labels, annotations: w.annotations, templateLabels: w.templateLabels, ...context }),
  };
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The RE2 pattern of the pod names a controller creates (also the pods of earlier rollouts, gone from the API):
 * Deployment `<name>-<pod-template-hash>-<5>`, StatefulSet `<name>-<ordinal>`, DaemonSet `<name>-<5>`.
 */
export function podPatternOf(kind: TunedWorkload['kind'], name: string): string {
  const n = escapeRegex(name);
  switch (kind) {
    case 'Deployment':
      return `${n}-[a-z0-9]{1,10}-[a-z0-9]{5}`;
    case 'StatefulSet':
      return `${n}-[0-9]+`;
    case 'DaemonSet':
      return `${n}-[a-z0-9]{5}`;
  }
}

/** Assigns each pod name to the workload whose pattern matches, the longest workload name first ("web-api" before "web"). */
export function assignPods(workloads: readonly TunedWorkload[], podNames: Iterable<string>): Map<TunedWorkload, string[]> {
  const ordered = [...workloads]
    .sort((a, b) => b.name.length - a.name.length)
    .map((w) => ({ w, re: new RegExp(`^(?:${podPatternOf(w.kind, w.name)})$`) }));
  const out = new Map<TunedWorkload, string[]>(workloads.map((w) => [w, []]));
  for (const pod of podNames) {
    const hit = ordered.find((o) => o.re.test(pod));
    if (hit) out.get(hit.w)?.push(pod);
  }
  return out;
}

/** The HPA utilization targets that apply to one container. */
function hpaTargetFor(hpa: HpaSpec, container: string): HpaUtilizationTarget {
  let cpuPercent: number | undefined;
  let memoryPercent: number | undefined;
  for (const m of hpa.metrics) {
    if (m.targetType !== 'Utilization' || m.averageUtilization === undefined) continue;
    if (m.type === 'ContainerResource' && m.container !== container) continue;
    if (m.type !== 'Resource' && m.type !== 'ContainerResource') continue;
    if (m.resource === 'cpu') cpuPercent = m.averageUtilization;
    if (m.resource === 'memory') memoryPercent = m.averageUtilization;
  }
  return { name: hpa.name, ...(cpuPercent !== undefined ? { cpuPercent } : {}), ...(memoryPercent !== undefined ? { memoryPercent } : {}) };
}

/** Builds the records of one namespace from objects and usage (pure; `recommendNamespace` does the reading). */
export function recommendFromData(input: {
  readonly workloads: readonly TunedWorkload[];
  readonly hpas: readonly HpaSpec[];
  readonly summaries: readonly ContainerUsageSummary[];
  readonly series?: readonly ContainerUsageSeries[];
  readonly source: MetricsSource['kind'];
  readonly strategy: StrategyName;
  readonly windowSeconds: number;
  readonly stepSeconds: number;
  readonly prices?: Prices;
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  readonly namespaceAnnotations?: Readonly<Record<string, string>>;
  /**
   * Replica and usage history per HPA name (`MetricsSource.hpaHistory`), for the history rules (pinned at max,
   * flapping, target far from observed, idle at min). A string instead says why there is none (shown as a note).
   */
  readonly hpaHistories?: ReadonlyMap<string, HpaHistory | string>;
}): ContainerRecommendation[] {
  const pods = new Set(input.summaries.map((s) => s.pod));
  for (const s of input.series ?? []) pods.add(s.pod);
  const assigned = assignPods(input.workloads, pods);
  const byPodContainer = new Map<string, ContainerUsageSummary>();
  for (const s of input.summaries) byPodContainer.set(`${s.pod}\u0000${s.container}`, s);
  const seriesByPodContainer = new Map<string, ContainerUsageSeries>();
  for (const s of input.series ?? []) seriesByPodContainer.set(`${s.pod}\u0000${s.container}`, s);
  const out: ContainerRecommendation[] = [];
  const sorted = [...input.workloads].sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind.localeCompare(b.kind)));
  for (const w of sorted) {
    const hpa = input.hpas.find((h) => h.targetKind === w.kind && h.targetName === w.name);
    const target = hpaTargetOf(w, {
      ...(input.namespaceLabels ? { namespaceLabels: input.namespaceLabels } : {}),
      ...(input.namespaceAnnotations ? { namespaceAnnotations: input.namespaceAnnotations } : {}),
    });
    const history = hpa ? input.hpaHistories?.get(hpa.name) : undefined;
    const hpaNotes = hpa
      ? [
          ...recommendHpa(hpa, target, typeof history === 'object' ? history : undefined).map((h) => `HPA ${h.severity}: ${h.message}`),
          ...(typeof history === 'string' ? [`HPA info: ${history}`] : []),
        ]
      : [];
    const podNames = assigned.get(w) ?? [];
    for (const c of w.containers) {
      const summaries = podNames.flatMap((p) => {
        const s = byPodContainer.get(`${p}\u0000${c.name}`);
        return s ? [s] : [];
      });
      const series = podNames.flatMap((p) => {
        const s = seriesByPodContainer.get(`${p}\u0000${c.name}`);
        return s ? [s] : [];
      });
      const cpuTotal = podRequestOf(target, 'cpu').total;
      const memoryTotal = podRequestOf(target, 'memory').total;
      const r = recommendRequests(
        {
          key: { namespace: w.namespace, kind: w.kind, name: w.name, container: c.name },
          current: c.current,
          pods: summaries,
          ...(input.series ? { series } : {}),
          source: input.source,
          windowSeconds: input.windowSeconds,
          stepSeconds: input.stepSeconds,
          ...(w.replicas !== undefined ? { replicas: w.replicas } : {}),
          containersPerPod: w.containers.length,
          podRequestTotals: { ...(cpuTotal > 0 ? { cpu: cpuTotal } : {}), ...(memoryTotal > 0 ? { memory: memoryTotal } : {}) },
          ...(hpa ? { hpa: hpaTargetFor(hpa, c.name) } : {}),
          ...(input.prices ? { prices: input.prices } : {}),
        },
        input.strategy,
      );
      out.push(hpaNotes.length ? { ...r, notes: [...r.notes, ...hpaNotes] } : r);
    }
  }
  return out;
}

const kindByName = (kind: string): ResourceKind | undefined => namespaceCategories.flatMap((c) => c.kinds).find((k) => k.kind === kind);

async function listAll(
  kube: KubeClient,
  kind: string,
  namespace: string | undefined,
  signal: AbortSignal,
): Promise<Record<string, unknown>[]> {
  const resource = kindByName(kind);
  if (!resource) return [];
  return (await listAllObjects(kube, resource, namespace, { signal })).items;
}

/** Options of `recommendNamespaces`. */
export interface RecommendOptions {
  readonly strategy: StrategyName;
  readonly windowSeconds: number;
  readonly stepSeconds: number;
  readonly signal: AbortSignal;
  readonly prices?: Prices;
  /** End of the window in Unix seconds (now when absent). */
  readonly endSeconds?: number;
  /** KRR `--use_oomkill_data`: memory ≥ the last OOM-killed limit × 1.25 (needs kube-state-metrics). */
  readonly useOomKillData?: boolean;
  /** Read each HPA's replica history for the history rules (default true when the source can). */
  readonly hpaHistory?: boolean;
}

/** The resource whose Utilization an HPA's history rules model (CPU first, as `recommendHpa` does). */
function historyResourceOf(hpa: HpaSpec): 'cpu' | 'memory' {
  const utilization = hpa.metrics.filter((m) => m.targetType === 'Utilization' && (m.resource === 'cpu' || m.resource === 'memory'));
  return utilization.some((m) => m.resource === 'cpu') ? 'cpu' : utilization[0]?.resource === 'memory' ? 'memory' : 'cpu';
}

/**
 * The history of each HPA of `hpas` whose target is one of `workloads`: the source's answer, or one sentence
 * saying what is missing (no replica series: kube-state-metrics; a failed query: its message). Never invented.
 */
export async function loadHpaHistories(
  source: MetricsSource,
  hpas: readonly HpaSpec[],
  workloads: readonly TunedWorkload[],
  options: Pick<RecommendOptions, 'windowSeconds' | 'stepSeconds' | 'endSeconds' | 'signal'>,
): Promise<Map<string, HpaHistory | string>> {
  const out = new Map<string, HpaHistory | string>();
  for (const hpa of hpas) {
    const w = workloads.find((x) => x.kind === hpa.targetKind && x.name === hpa.targetName && x.namespace === hpa.namespace);
    if (!w) continue;
    if (!source.hpaHistory) {
      out.set(
        hpa.name,
        `${source.description} keeps no replica history: the pinned-at-max, flapping and target-vs-observed checks of HPA ${hpa.name} need Prometheus with kube-state-metrics.`,
      );
      continue;
    }
    try {
      const history = await source.hpaHistory(
        {
          namespace: hpa.namespace,
          hpaName: hpa.name,
          podPattern: podPatternOf(w.kind, w.name),
          resource: historyResourceOf(hpa),
          windowSeconds: options.windowSeconds,
          stepSeconds: options.stepSeconds,
          ...(options.endSeconds !== undefined ? { endSeconds: options.endSeconds } : {}),
        },
        { signal: options.signal },
      );
      out.set(
        hpa.name,
        history ??
          `${source.description} has no kube_horizontalpodautoscaler_status_current_replicas series for HPA ${hpa.name}: install kube-state-metrics (it comes with kube-prometheus-stack) for the pinned-at-max, flapping and target-vs-observed checks.`,
      );
    } catch (e) {
      if (isCancellation(e) || options.signal.aborted) throw new CancelledError();
      out.set(
        hpa.name,
        `the replica history of HPA ${hpa.name} could not be read (${e instanceof ClusterDeckError ? e.message : 'query failed'}).`,
      );
    }
  }
  return out;
}

/**
 * Recommendations for the workloads of the given namespaces (all namespaces when `namespaces` is undefined):
 * workloads and HPAs from the API server, usage from `source` (one batch of queries per namespace). Throws the
 * source's and the API server's ClusterDeckErrors; an HPA list that is forbidden only drops the HPA notes.
 */
export async function recommendNamespaces(
  kube: KubeClient,
  source: MetricsSource,
  namespaces: readonly string[] | undefined,
  options: RecommendOptions,
): Promise<ContainerRecommendation[]> {
  const scopes = namespaces ?? [undefined];
  const out: ContainerRecommendation[] = [];
  const needs = strategyNeeds(options.strategy);
  for (const scope of scopes) {
    const objects = (
      await Promise.all(['Deployment', 'StatefulSet', 'DaemonSet'].map((k) => listAll(kube, k, scope, options.signal)))
    ).flat();
    let hpaObjects: Record<string, unknown>[] = [];
    try {
      hpaObjects = await listAll(kube, 'HorizontalPodAutoscaler', scope, options.signal);
    } catch (e) {
      if (isCancellation(e)) throw new CancelledError();
      if (!(e instanceof ClusterDeckError) || (e.reason !== 'forbidden' && e.reason !== 'notFound')) throw e;
    }
    const workloads = objects.flatMap((o) => workloadOf(o) ?? []);
    const byNamespace = new Map<string, TunedWorkload[]>();
    for (const w of workloads) byNamespace.set(w.namespace, [...(byNamespace.get(w.namespace) ?? []), w]);
    for (const [namespace, list] of [...byNamespace].sort((a, b) => a[0].localeCompare(b[0]))) {
      const query = {
        namespace,
        windowSeconds: options.windowSeconds,
        stepSeconds: options.stepSeconds,
        cpuPercentiles: needs.cpuPercentiles,
        memoryPercentiles: needs.memoryPercentiles,
        ...(options.endSeconds !== undefined ? { endSeconds: options.endSeconds } : {}),
        ...(options.useOomKillData ? { oomKill: true } : {}),
      };
      const summaries = await source.summarize(query, { signal: options.signal });
      const series = needs.series && source.series ? await source.series(query, { signal: options.signal }) : undefined;
      const hpas = hpaObjects.map((h) => parseHpa(h)).filter((h) => h.namespace === namespace);
      const hpaHistories =
        options.hpaHistory === false || hpas.length === 0 ? undefined : await loadHpaHistories(source, hpas, list, options);
      out.push(
        ...recommendFromData({
          workloads: list,
          hpas,
          summaries,
          ...(series ? { series } : {}),
          source: source.kind,
          strategy: options.strategy,
          windowSeconds: options.windowSeconds,
          stepSeconds: options.stepSeconds,
          ...(options.prices ? { prices: options.prices } : {}),
          ...(hpaHistories ? { hpaHistories } : {}),
        }),
      );
    }
  }
  return out;
}
