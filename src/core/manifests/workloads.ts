import type { ManifestDocument, YamlPath } from './types';

/** Where the pod spec of a workload kind lives (lint-rules.md §1.2). */
export function podSpecPath(kind: string | undefined): YamlPath | undefined {
  switch (kind) {
    case 'Pod':
      return ['spec'];
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'ReplicationController':
    case 'Job':
      return ['spec', 'template', 'spec'];
    case 'CronJob':
      return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
    case 'PodTemplate':
      return ['template', 'spec'];
    default:
      return undefined;
  }
}

/** Where the pod template's metadata lives (labels the Service and selectors match). */
export function podTemplateMetadataPath(kind: string | undefined): YamlPath | undefined {
  const spec = podSpecPath(kind);
  if (!spec || kind === 'Pod') return kind === 'Pod' ? ['metadata'] : undefined;
  return [...spec.slice(0, -1), 'metadata'];
}

/** C: containers; S: native sidecars (init with restartPolicy Always); I: other init containers. */
export type ContainerSet = 'C' | 'S' | 'I';

export interface ContainerRef {
  readonly set: ContainerSet;
  readonly path: YamlPath;
  readonly value: Record<string, unknown>;
  readonly name: string;
}

/** Reads a value at a path of a plain object. */
export function getAt(root: unknown, path: YamlPath): unknown {
  let current = root;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** A scalar as a string ('' for objects, lists and null). */
export function scalarString(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The containers of a workload document with their paths; ephemeral containers are never returned. */
export function containersOf(doc: ManifestDocument, sets: readonly ContainerSet[] = ['C', 'S', 'I']): ContainerRef[] {
  const specPath = podSpecPath(doc.kind);
  if (!specPath) return [];
  const spec = asRecord(getAt(doc.value, specPath));
  if (!spec) return [];
  const out: ContainerRef[] = [];
  asArray(spec.containers).forEach((c, i) => {
    const value = asRecord(c);
    if (value && sets.includes('C')) out.push({ set: 'C', path: [...specPath, 'containers', i], value, name: scalarString(value.name) });
  });
  asArray(spec.initContainers).forEach((c, i) => {
    const value = asRecord(c);
    if (!value) return;
    const set: ContainerSet = value.restartPolicy === 'Always' ? 'S' : 'I';
    if (sets.includes(set)) out.push({ set, path: [...specPath, 'initContainers', i], value, name: scalarString(value.name) });
  });
  return out;
}

/** The pod template labels of a workload (or a Pod's own labels). */
export function templateLabels(doc: ManifestDocument): Record<string, string> {
  const path = podTemplateMetadataPath(doc.kind);
  const labels = path ? asRecord(getAt(doc.value, [...path, 'labels'])) : undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels ?? {})) out[k] = String(v);
  return out;
}

/** A Kubernetes LabelSelector (matchLabels + matchExpressions) against labels. Empty selector matches all. */
export function labelSelectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  const s = asRecord(selector);
  if (!s) return false;
  for (const [k, v] of Object.entries(asRecord(s.matchLabels) ?? {})) if (labels[k] !== String(v)) return false;
  for (const e of asArray(s.matchExpressions)) {
    const expr = asRecord(e);
    if (!expr) return false;
    const key = scalarString(expr.key);
    const values = asArray(expr.values).map(String);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (expr.operator) {
      case 'In':
        if (!has || !values.includes(labels[key] ?? '')) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key] ?? '')) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A Service-style equality selector: matches when it is a non-empty subset of the labels. */
export function equalitySelectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  const s = asRecord(selector);
  if (!s || Object.keys(s).length === 0) return false;
  return Object.entries(s).every(([k, v]) => labels[k] === String(v));
}
