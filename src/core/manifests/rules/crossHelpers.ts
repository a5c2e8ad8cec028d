// Shared helpers of the cross-document rules (availability, networking, autoscaling): a per-LintSet index of
// workload templates and objects by namespace, selector matching through a label index (no O(n²) scans over
// large sets), HPA metric extraction and effective requests (lint-rules.md §1.2, §2.5–§2.7).
import type { LintSet, SetEntry } from '../lintSet';
import type { ManifestDocument, YamlPath } from '../types';
import {
  asArray,
  asRecord,
  containersOf,
  equalitySelectorMatches,
  getAt,
  labelSelectorMatches,
  podSpecPath,
  scalarString,
  templateLabels,
  type ContainerRef,
} from '../workloads';

/** A pod-bearing workload of the set with its template labels. */
export interface Workload {
  readonly entry: SetEntry;
  readonly doc: ManifestDocument;
  readonly kind: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** Kinds whose template produces pods (PodTemplate objects run nothing, so they never count as "selected pods"). */
const podBearingKinds = new Set(['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'Job', 'CronJob']);

interface NamespaceIndex {
  readonly workloads: Workload[];
  readonly byDoc: Map<ManifestDocument, Workload>;
  /** `key=value` → workloads whose template has that label. */
  readonly byLabel: Map<string, Workload[]>;
  /** `Kind/name` → every document of that kind and name (partial ones included, flagged by `doc.partial`). */
  readonly byKindName: Map<string, SetEntry[]>;
  /** Kind → complete (non-partial) documents of that kind. */
  readonly ofKind: Map<string, SetEntry[]>;
  /** `Kind/name` of a scale target → HPAs pointing at it. */
  readonly hpasByTarget: Map<string, SetEntry[]>;
  /** Lazily computed extras, cached with the index. */
  readonly memo: Map<string, unknown>;
}

const cache = new WeakMap<LintSet, Map<string, NamespaceIndex>>();

/** The index of one namespace of a lint set, built once per set and namespace. */
export function namespaceIndex(set: LintSet, namespace: string): NamespaceIndex {
  let perSet = cache.get(set);
  if (!perSet) {
    perSet = new Map();
    cache.set(set, perSet);
  }
  const cached = perSet.get(namespace);
  if (cached) return cached;
  const index: NamespaceIndex = {
    workloads: [],
    byDoc: new Map(),
    byLabel: new Map(),
    byKindName: new Map(),
    ofKind: new Map(),
    hpasByTarget: new Map(),
    memo: new Map(),
  };
  for (const entry of set.inNamespace(namespace)) {
    const { doc } = entry;
    if (!doc.kind) continue;
    if (doc.name) push(index.byKindName, `${doc.kind}/${doc.name}`, entry);
    if (doc.partial) continue;
    push(index.ofKind, doc.kind, entry);
    if (podBearingKinds.has(doc.kind) && doc.name) {
      const workload: Workload = { entry, doc, kind: doc.kind, name: doc.name, labels: templateLabels(doc) };
      index.workloads.push(workload);
      index.byDoc.set(doc, workload);
      for (const [k, v] of Object.entries(workload.labels)) push(index.byLabel, `${k}=${v}`, workload);
    }
    if (doc.kind === 'HorizontalPodAutoscaler') {
      const ref = asRecord(getAt(doc.value, ['spec', 'scaleTargetRef']));
      const kind = scalarString(ref?.kind);
      const name = scalarString(ref?.name);
      if (kind && name) push(index.hpasByTarget, `${kind}/${name}`, entry);
    }
  }
  perSet.set(namespace, index);
  return index;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Memoises a per-namespace computation with the index (so it is done once per lint run). */
export function memo<T>(set: LintSet, namespace: string, key: string, compute: () => T): T {
  const index = namespaceIndex(set, namespace);
  if (index.memo.has(key)) return index.memo.get(key) as T;
  const value = compute();
  index.memo.set(key, value);
  return value;
}

/** LintSet.isClosed, memoised per set and namespace (it scans the namespace, and many rules ask per document). */
export function isClosed(set: LintSet, namespace: string): boolean {
  return memo(set, namespace, 'isClosed', () => set.isClosed(namespace));
}

/** Complete documents of a kind in a namespace. */
export function objectsOfKind(set: LintSet, namespace: string, kind: string): readonly SetEntry[] {
  return namespaceIndex(set, namespace).ofKind.get(kind) ?? [];
}

/** Documents of a kind and name in a namespace; `complete` keeps only non-partial ones. */
export function findObjects(set: LintSet, namespace: string, kind: string, name: string, complete = true): readonly SetEntry[] {
  const all = namespaceIndex(set, namespace).byKindName.get(`${kind}/${name}`) ?? [];
  return complete ? all.filter((e) => !e.doc.partial) : all;
}

/** Pod-bearing workloads of a namespace. */
export function workloadsIn(set: LintSet, namespace: string): readonly Workload[] {
  return namespaceIndex(set, namespace).workloads;
}

/** The workload entry of a document, when it is one of the indexed workloads. */
export function workloadOf(set: LintSet, namespace: string, doc: ManifestDocument): Workload | undefined {
  return namespaceIndex(set, namespace).byDoc.get(doc);
}

/** HPAs of the namespace whose scaleTargetRef names this kind and name. */
export function hpasTargeting(set: LintSet, namespace: string, kind: string, name: string): readonly SetEntry[] {
  return namespaceIndex(set, namespace).hpasByTarget.get(`${kind}/${name}`) ?? [];
}

/** True when a LabelSelector has neither matchLabels entries nor matchExpressions. */
export function isEmptyLabelSelector(selector: unknown): boolean {
  const s = asRecord(selector);
  if (!s) return false;
  return Object.keys(asRecord(s.matchLabels) ?? {}).length === 0 && asArray(s.matchExpressions).length === 0;
}

/**
 * Workloads of a namespace whose template labels a selector matches. `label`: a LabelSelector (empty selects
 * all); `equality`: a Service-style map (empty selects none). Candidates come from the label index.
 */
export function workloadsMatching(set: LintSet, namespace: string, selector: unknown, mode: 'label' | 'equality'): Workload[] {
  const s = asRecord(selector);
  if (!s) return [];
  const index = namespaceIndex(set, namespace);
  const required = mode === 'equality' ? s : (asRecord(s.matchLabels) ?? {});
  let candidates: readonly Workload[] = index.workloads;
  for (const [k, v] of Object.entries(required)) {
    const list = index.byLabel.get(`${k}=${scalarString(v)}`) ?? [];
    if (list.length < candidates.length) candidates = list;
    if (candidates.length === 0) break;
  }
  return mode === 'equality'
    ? candidates.filter((w) => equalitySelectorMatches(s, w.labels))
    : candidates.filter((w) => labelSelectorMatches(s, w.labels));
}

/** The workload whose template labels share the most pairs with a required label map (for "did you mean"). */
export function closestWorkload(workloads: readonly Workload[], required: Readonly<Record<string, unknown>>): Workload | undefined {
  let best: Workload | undefined;
  let bestScore = 0;
  for (const w of workloads) {
    let score = 0;
    for (const [k, v] of Object.entries(required)) {
      if (w.labels[k] === scalarString(v)) score += 2;
      else if (k in w.labels) score += 1;
    }
    if (score > bestScore) {
      best = w;
      bestScore = score;
    }
  }
  return best;
}

/** `Deployment "web"`. */
export function ref(kind: string | undefined, name: string | undefined): string {
  return `${kind ?? 'object'} "${name ?? '?'}"`;
}

/** `app=web,tier=frontend` (or `(none)`). */
export function formatLabels(labels: Readonly<Record<string, unknown>> | undefined): string {
  const entries = Object.entries(labels ?? {});
  return entries.length ? entries.map(([k, v]) => `${k}=${scalarString(v)}`).join(',') : '(none)';
}

/** A LabelSelector in kubectl syntax: `app=web,tier in (a,b),!legacy`. */
export function formatSelector(selector: unknown): string {
  const s = asRecord(selector);
  if (!s) return '(none)';
  const parts = Object.entries(asRecord(s.matchLabels) ?? {}).map(([k, v]) => `${k}=${scalarString(v)}`);
  for (const e of asArray(s.matchExpressions)) {
    const expr = asRecord(e);
    const key = scalarString(expr?.key);
    const values = asArray(expr?.values).map(scalarString).join(',');
    switch (scalarString(expr?.operator)) {
      case 'In':
        parts.push(`${key} in (${values})`);
        break;
      case 'NotIn':
        parts.push(`${key} notin (${values})`);
        break;
      case 'Exists':
        parts.push(key);
        break;
      case 'DoesNotExist':
        parts.push(`!${key}`);
        break;
      default:
        parts.push(`${key} ?`);
    }
  }
  return parts.length ? parts.join(',') : '(empty: every pod)';
}

/** A finite number, or undefined (strings, null and objects are not numbers here). */
export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A value that counts as set (not missing, null or ''). */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

/** An IntOrString of a PDB or rollout: an integer or a `NN%` percentage. */
export type IntOrPercent = { readonly kind: 'int'; readonly n: number } | { readonly kind: 'percent'; readonly n: number };

export function intOrPercent(v: unknown): IntOrPercent | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return { kind: 'int', n: v };
  if (typeof v === 'string') {
    const m = /^([0-9]+)%$/.exec(v.trim());
    if (m) return { kind: 'percent', n: Number(m[1]) };
  }
  return undefined;
}

/** `spec.replicas` of a workload with the API default (1) for kinds that have replicas; undefined otherwise. */
export function replicasOf(doc: ManifestDocument): number | undefined {
  switch (doc.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
    case 'ReplicationController': {
      const r = getAt(doc.value, ['spec', 'replicas']);
      return r === undefined || r === null ? 1 : num(r);
    }
    case 'Pod':
      return 1;
    default:
      return undefined;
  }
}

/** HPA `spec.minReplicas` with its default (1). */
export function hpaMinReplicas(doc: ManifestDocument): number | undefined {
  const v = getAt(doc.value, ['spec', 'minReplicas']);
  return v === undefined || v === null ? 1 : num(v);
}

// ---------------------------------------------------------------------------------------------------------
// HPA utilisation metrics

/** One utilisation target of an HPA (explicit, defaulted, or autoscaling/v1). */
export interface UtilizationMetric {
  readonly source: 'v1' | 'default' | 'Resource' | 'ContainerResource';
  /** `cpu`, `memory`, … */
  readonly resource: string;
  /** ContainerResource: the one container measured. */
  readonly container?: string;
  /** Where findings about this metric point. */
  readonly path: YamlPath;
  /** The utilisation percentage (80 when defaulted), and where it is written when it is. */
  readonly utilization?: number;
  readonly utilizationPath?: YamlPath;
}

/**
 * The utilisation targets of an HPA: autoscaling/v1 (`targetCPUUtilizationPercentage`, default 80), v2 with
 * no metrics (CPU 80 %), and v2/v2beta2/v2beta1 `Resource`/`ContainerResource` metrics of type Utilization.
 */
export function hpaUtilizationMetrics(doc: ManifestDocument): UtilizationMetric[] {
  const spec = asRecord(getAt(doc.value, ['spec']));
  if (!spec) return [];
  const targetNamePath: YamlPath = ['spec', 'scaleTargetRef', 'name'];
  if (doc.apiVersion === 'autoscaling/v1') {
    const pct = spec.targetCPUUtilizationPercentage;
    const explicit = num(pct);
    return [
      {
        source: 'v1',
        resource: 'cpu',
        path: isSet(pct) ? ['spec', 'targetCPUUtilizationPercentage'] : targetNamePath,
        utilization: explicit ?? 80,
        ...(explicit !== undefined ? { utilizationPath: ['spec', 'targetCPUUtilizationPercentage'] } : {}),
      },
    ];
  }
  const metrics = spec.metrics;
  if (metrics === undefined || metrics === null || (Array.isArray(metrics) && metrics.length === 0)) {
    return [{ source: 'default', resource: 'cpu', path: Array.isArray(metrics) ? ['spec', 'metrics'] : targetNamePath, utilization: 80 }];
  }
  const out: UtilizationMetric[] = [];
  asArray(metrics).forEach((m, i) => {
    const metric = asRecord(m);
    const type = scalarString(metric?.type);
    if (type !== 'Resource' && type !== 'ContainerResource') return;
    const field = type === 'Resource' ? 'resource' : 'containerResource';
    const body = asRecord(metric?.[field]);
    if (!body) return;
    const resource = scalarString(body.name);
    if (!resource) return;
    const base: YamlPath = ['spec', 'metrics', i, field];
    let utilization: number | undefined;
    let utilizationPath: YamlPath | undefined;
    const target = asRecord(body.target);
    if (target) {
      if (target.type !== 'Utilization') return;
      utilization = num(target.averageUtilization);
      if (utilization !== undefined) utilizationPath = [...base, 'target', 'averageUtilization'];
    } else if (isSet(body.targetAverageUtilization)) {
      // autoscaling/v2beta1
      utilization = num(body.targetAverageUtilization);
      if (utilization !== undefined) utilizationPath = [...base, 'targetAverageUtilization'];
    } else {
      return;
    }
    const container = type === 'ContainerResource' ? scalarString(body.container) : undefined;
    out.push({
      source: type,
      resource,
      ...(container !== undefined ? { container } : {}),
      path: type === 'ContainerResource' ? [...base, 'container'] : [...base, 'name'],
      ...(utilization !== undefined ? { utilization } : {}),
      ...(utilizationPath ? { utilizationPath } : {}),
    });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Effective requests (lint-rules.md §1.2)

/** Resources a namespace's LimitRanges default: requests (defaultRequest or default) and limits (default). */
export interface LimitRangeDefaults {
  readonly request: ReadonlySet<string>;
  readonly limit: ReadonlySet<string>;
  /** Name of a LimitRange providing each defaulted request, for messages. */
  readonly requestSource: ReadonlyMap<string, string>;
}

export function limitRangeDefaults(set: LintSet, namespace: string): LimitRangeDefaults {
  return memo(set, namespace, 'limitRangeDefaults', () => {
    const request = new Set<string>();
    const limit = new Set<string>();
    const requestSource = new Map<string, string>();
    for (const entry of objectsOfKind(set, namespace, 'LimitRange')) {
      for (const item of asArray(getAt(entry.doc.value, ['spec', 'limits']))) {
        const l = asRecord(item);
        if (!l || l.type !== 'Container') continue;
        for (const field of ['defaultRequest', 'default'] as const) {
          for (const [r, v] of Object.entries(asRecord(l[field]) ?? {})) {
            if (!isSet(v)) continue;
            request.add(r);
            if (!requestSource.has(r)) requestSource.set(r, entry.doc.name ?? '?');
            if (field === 'default') limit.add(r);
          }
        }
      }
    }
    return { request, limit, requestSource };
  });
}

/** Container-level effective request: requests.R, limits.R (defaulted to the request) or a LimitRange default. */
export function hasEffectiveRequest(container: ContainerRef, resource: string, defaults: LimitRangeDefaults): boolean {
  const resources = asRecord(container.value.resources);
  return (
    isSet(asRecord(resources?.requests)?.[resource]) || isSet(asRecord(resources?.limits)?.[resource]) || defaults.request.has(resource)
  );
}

/** C+S containers of a workload (those that count for requests, HPA utilisation and Service ports). */
export function servingContainers(doc: ManifestDocument): ContainerRef[] {
  return containersOf(doc, ['C', 'S']);
}

/** The pod spec of a workload document. */
export function podSpecOf(doc: ManifestDocument): Record<string, unknown> | undefined {
  const path = podSpecPath(doc.kind);
  return path ? asRecord(getAt(doc.value, path)) : undefined;
}

/** A quoted, comma-separated list: `"a", "b"`. */
export function quoteList(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}
