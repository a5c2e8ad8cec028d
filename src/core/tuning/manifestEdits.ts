// Editor side of tuning (pure): find a recommendation's container in a manifest and write its requests/limits
// as text edits that keep comments and formatting (the same helpers as the lint quick fixes).
import { isMap } from 'yaml';
import { parseManifestFile, nodeAt, rangeAt } from '../manifests/parseManifests';
import type { TextEdit } from '../manifests/quickFixes';
import type { ManifestDocument, ManifestFile, TextRange, YamlPath } from '../manifests/types';
import { containersOf, getAt, asRecord, scalarString } from '../manifests/workloads';
import { deletePair, setIn } from '../manifests/fixes/yamlEdits';
import { cpuMillicores } from '../kube/quantity';
import { applyEdits } from '../manifests/quickFixes';
import type { ContainerKey, ContainerRecommendation, ResourceValues } from './recommendRequests';

export interface MatchOptions {
  /** The namespace a document without `metadata.namespace` lands in (e.g. from a kustomization); none = no match. */
  readonly defaultNamespace?: string;
  /** The caller knows the file is a Kustomize patch (listed under `patches`/`patchesStrategicMerge`). */
  readonly isPatch?: boolean;
}

/** Where a recommendation's container sits in a file. */
export interface ContainerLocation {
  readonly doc: ManifestDocument;
  readonly containerPath: YamlPath;
  /** The container's `resources` key, or its name when it has none: where a diagnostic goes. */
  readonly anchor: TextRange;
}

export type LocateResult = { readonly ok: true; readonly location: ContainerLocation } | { readonly ok: false; readonly reason: string };

export type ResourcesEditResult =
  | { readonly ok: true; readonly edits: readonly TextEdit[]; readonly location: ContainerLocation }
  | { readonly ok: false; readonly reason: string };

/** True for files Kustomize owns: never edited in place (the base or an overlay patch is the place to change). */
export function isKustomizeFileName(path: string): boolean {
  const base = path.split(/[\\/]/).pop() ?? '';
  return /^(kustomization|Kustomization)\.ya?ml$/.test(base);
}

/** A document that is a patch rather than a full object: `$patch` directives or a JSON 6902 op list. */
function looksLikePatch(doc: ManifestDocument): boolean {
  if (Array.isArray(doc.value)) return true;
  const root = asRecord(doc.value);
  if (!root) return false;
  if (root.kind === 'Kustomization' || root.kind === 'Component') return true;
  return JSON.stringify(root).includes('"$patch"');
}

/** Why a file is never edited, or undefined when it may be. */
export function refusalOf(file: ManifestFile, options: MatchOptions = {}): string | undefined {
  if (file.isTemplate || file.text.includes('{{'))
    return 'This file is a Helm template: change the chart values (resources) instead of the rendered manifest.';
  if (isKustomizeFileName(file.path) || options.isPatch)
    return 'This file is a Kustomize file: change the base manifest or the overlay patch yourself.';
  return undefined;
}

/** Does this document hold the recommendation's workload? (kind + name + namespace, with the caller's default.) */
export function documentMatches(doc: ManifestDocument, key: ContainerKey, options: MatchOptions = {}): boolean {
  if (doc.kind !== key.kind || doc.name !== key.name) return false;
  const ns = doc.namespace ?? options.defaultNamespace;
  return ns === key.namespace;
}

/** Finds the container of `key` in `file`. */
export function locateContainer(file: ManifestFile, key: ContainerKey, options: MatchOptions = {}): LocateResult {
  const refused = refusalOf(file, options);
  if (refused) return { ok: false, reason: refused };
  const docs = file.documents.filter((d) => documentMatches(d, key, options));
  if (docs.length === 0) return { ok: false, reason: `No ${key.kind} ${key.namespace}/${key.name} in this file.` };
  for (const doc of docs) {
    if (looksLikePatch(doc)) return { ok: false, reason: 'This document is a Kustomize patch: change the base manifest instead.' };
    const c = containersOf(doc, ['C', 'S', 'I']).find((x) => x.name === key.container);
    if (!c) continue;
    const hasResources = getAt(c.value, ['resources']) !== undefined;
    const anchor = hasResources ? rangeAt(doc, [...c.path, 'resources'], 'key') : rangeAt(doc, [...c.path, 'name'], 'value');
    return { ok: true, location: { doc, containerPath: c.path, anchor } };
  }
  return { ok: false, reason: `${key.kind} ${key.namespace}/${key.name} has no container "${key.container}" in this file.` };
}

const fields: readonly { field: keyof ResourceValues; kind: 'requests' | 'limits'; resource: 'cpu' | 'memory' }[] = [
  { field: 'cpuRequest', kind: 'requests', resource: 'cpu' },
  { field: 'memoryRequest', kind: 'requests', resource: 'memory' },
  { field: 'cpuLimit', kind: 'limits', resource: 'cpu' },
  { field: 'memoryLimit', kind: 'limits', resource: 'memory' },
];

/**
 * The edits that write `rec.recommended` into the container: set values replace the existing scalars (or are
 * inserted), `null` removes the key (a map left empty is removed with it). Returns a reason when not editable.
 */
export function recommendationEdits(
  path: string,
  text: string,
  rec: ContainerRecommendation,
  options: MatchOptions = {},
): ResourcesEditResult {
  const file = parseManifestFile(path, text);
  const located = locateContainer(file, rec, options);
  if (!located.ok) return located;
  if (!rec.applicable)
    return { ok: false, reason: 'This recommendation is not applicable in one click (low confidence or an HPA to retune first).' };
  if (fields.every((f) => rec.recommended[f.field] === null))
    return { ok: false, reason: 'There is no recommendation to apply (no usage data).' };
  const { doc, containerPath } = located.location;
  const container = asRecord(getAt(doc.value, containerPath)) ?? {};
  const resources = asRecord(container.resources);
  const edits: TextEdit[] = [];
  const fail = {
    ok: false as const,
    reason: 'The resources of this container are written in a form that cannot be edited safely (flow style?).',
  };
  const valuesOf = (kind: 'requests' | 'limits'): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const f of fields) {
      const v = rec.recommended[f.field];
      if (f.kind === kind && v !== null) out[f.resource] = v;
    }
    return out;
  };

  if (!resources) {
    const requests = valuesOf('requests');
    const limits = valuesOf('limits');
    const value = {
      ...(Object.keys(requests).length ? { requests } : {}),
      ...(Object.keys(limits).length ? { limits } : {}),
    };
    const e = setIn(text, doc, containerPath, ['resources'], value);
    if (!e) return fail;
    return { ok: true, edits: [e], location: located.location };
  }
  const resourcesNode = nodeAt(doc.yaml, [...containerPath, 'resources']).value;
  if (!isMap(resourcesNode) || resourcesNode.flow) return fail;

  for (const kind of ['requests', 'limits'] as const) {
    const existing = asRecord(resources[kind]);
    const wanted = valuesOf(kind);
    if (!existing) {
      if (resources[kind] !== undefined && resources[kind] !== null) return fail;
      if (Object.keys(wanted).length === 0) continue;
      const e = setIn(text, doc, containerPath, ['resources', kind], wanted);
      if (!e) return fail;
      edits.push(e);
      continue;
    }
    const kindNode = nodeAt(doc.yaml, [...containerPath, 'resources', kind]).value;
    if (!isMap(kindNode) || kindNode.flow) return fail;
    const others = Object.keys(existing).filter((k) => k !== 'cpu' && k !== 'memory');
    const kindFields = fields.filter((f) => f.kind === kind);
    const allRemoved = kindFields.every((f) => rec.recommended[f.field] === null);
    if (allRemoved && others.length === 0) {
      if (Object.keys(existing).length === 0) continue;
      const e = deletePair(text, doc, [...containerPath, 'resources', kind]);
      if (!e) return fail;
      edits.push(e);
      continue;
    }
    for (const f of kindFields) {
      const v = rec.recommended[f.field];
      const now = existing[f.resource];
      if (v === null) {
        if (now === undefined) continue;
        const e = deletePair(text, doc, [...containerPath, 'resources', kind, f.resource]);
        if (!e) return fail;
        edits.push(e);
      } else if (scalarString(now) !== v) {
        const e = setIn(text, doc, containerPath, ['resources', kind, f.resource], v);
        if (!e) return fail;
        edits.push(e);
      }
    }
  }
  return { ok: true, edits: merged(text, edits), location: located.location };
}

/** One edit spanning all of them (VS Code refuses an insert inside a deleted range; the result is the same). */
function merged(text: string, edits: readonly TextEdit[]): TextEdit[] {
  if (edits.length <= 1) return [...edits];
  const start = Math.min(...edits.map((e) => e.range.start));
  const end = Math.max(...edits.map((e) => e.range.end));
  const after = applyEdits(text, edits);
  return [{ range: { start, end }, newText: after.slice(start, after.length - (text.length - end)) }];
}

/** The diagnostic sentence for a recommendation, e.g. "Recommended from 14 days of usage: cpu request 313m (now 1), …". */
export function recommendationMessage(rec: ContainerRecommendation, historyDays?: number): string {
  const show = (v: string | null): string => v ?? 'unset';
  const parts: string[] = [];
  for (const f of fields) {
    const now = rec.current[f.field];
    const next = rec.recommended[f.field];
    if (now === next) continue;
    const label = `${f.resource} ${f.kind === 'requests' ? 'request' : 'limit'}`;
    parts.push(next === null ? `remove ${label} (now ${show(now)})` : `${label} ${next} (now ${show(now)})`);
  }
  const from = historyDays !== undefined ? `Recommended from ${historyDays} days of usage` : 'Recommended from usage';
  const body = parts.length ? parts.join(', ') : 'the current values fit';
  return `${from}: ${body}; severity ${rec.severity}${rec.applicable ? '' : ' (review before applying)'}.`;
}

// ---- "Create HPA…" wizard: validation of the user's values (pure, used while typing) ----

export interface HpaWizardValues {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly targetUtilizationPercent: number;
}

/** Validates one typed field: a message for the InputBox, or undefined when fine. */
export function validateReplicas(text: string, which: 'min' | 'max', other?: number): string | undefined {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return 'Enter a whole number.';
  const n = Number(t);
  if (n < 1) return 'Replicas must be at least 1.';
  if (which === 'max' && other !== undefined && n < other) return `Max replicas must be at least min replicas (${other}).`;
  if (which === 'min' && other !== undefined && n > other) return `Min replicas must not exceed max replicas (${other}).`;
  return undefined;
}

export function validateTargetPercent(text: string): string | undefined {
  const t = text.trim().replace(/%$/, '');
  if (!/^\d+$/.test(t)) return 'Enter a whole percentage, e.g. 70.';
  const n = Number(t);
  if (n < 1 || n > 100) return 'The target must be between 1 and 100 %.';
  return undefined;
}

/** All values together (the final check before writing the manifest). */
export function validateHpaValues(v: HpaWizardValues): string | undefined {
  return (
    validateReplicas(String(v.minReplicas), 'min', v.maxReplicas) ??
    validateReplicas(String(v.maxReplicas), 'max', v.minReplicas) ??
    validateTargetPercent(String(v.targetUtilizationPercent))
  );
}

/**
 * Why a Deployment cannot get a CPU Utilization HPA: every (non-init) container needs a CPU request.
 * Returns undefined when it can. `deployment` is the API object.
 */
export function cpuUtilizationRefusal(deployment: unknown): string | undefined {
  const containers = getAt(deployment, ['spec', 'template', 'spec', 'containers']);
  const list = Array.isArray(containers) ? containers : [];
  if (list.length === 0) return 'The Deployment has no containers in its pod template.';
  const missing = list
    .map((c) => asRecord(c))
    .filter((c) => !scalarString(getAt(c, ['resources', 'requests', 'cpu'])))
    .map((c) => scalarString(c?.name) || '?');
  return missing.length
    ? `Every container needs a cpu request before an HPA can use cpu Utilization (missing on ${missing.join(', ')}); set the requests first.`
    : undefined;
}

/** The per-pod CPU request in cores (sum over containers), for `suggestHpa`. */
export function podCpuRequestCores(deployment: unknown): number | undefined {
  const containers = getAt(deployment, ['spec', 'template', 'spec', 'containers']);
  let sum = 0;
  for (const c of Array.isArray(containers) ? containers : []) {
    const q = scalarString(getAt(c, ['resources', 'requests', 'cpu']));
    const m = q ? cpuMillicores(q) : undefined;
    const v = m === undefined ? undefined : m / 1000;
    if (v === undefined) return undefined;
    sum += v;
  }
  return sum > 0 ? sum : undefined;
}
