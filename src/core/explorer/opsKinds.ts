import type { ResourceKind } from '../kube/resourceKinds';

/** Kinds the operations (logs, events, describe, rollback) read besides the explorer's catalogue. */
export const podKind: ResourceKind = { kind: 'Pod', plural: 'pods', group: '', version: 'v1', namespaced: true, label: 'Pods' };
export const eventKind: ResourceKind = { kind: 'Event', plural: 'events', group: '', version: 'v1', namespaced: true, label: 'Events' };
export const replicaSetKind: ResourceKind = {
  kind: 'ReplicaSet',
  plural: 'replicasets',
  group: 'apps',
  version: 'v1',
  namespaced: true,
  label: 'ReplicaSets',
};
export const controllerRevisionKind: ResourceKind = {
  kind: 'ControllerRevision',
  plural: 'controllerrevisions',
  group: 'apps',
  version: 'v1',
  namespaced: true,
  label: 'ControllerRevisions',
};
export const namespaceKind: ResourceKind = {
  kind: 'Namespace',
  plural: 'namespaces',
  group: '',
  version: 'v1',
  namespaced: false,
  label: 'Namespaces',
};

type Json = Record<string, unknown>;
/** A JSON object or {} (never throws on odd shapes). */
export const rec = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
/** A JSON array of objects or []. */
export const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.map(rec) : []);
/** A JSON scalar as text ('' for objects and missing values). */
export const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

/** A duration the way kubectl prints ages: `45s`, `5m10s`, `3h`, `2d4h`, `120d`, `3y`. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const d = Math.floor(h / 24);
  if (s < 120) return `${s}s`;
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (h < 3) return `${m}m`;
  if (h < 8) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  if (d < 2) return `${h}h`;
  if (d < 8) return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

/** Age of an RFC 3339 timestamp at `now` ('<unknown>' when missing or unparsable). */
export function ageOf(timestamp: unknown, now: number): string {
  const t = Date.parse(str(timestamp));
  return Number.isFinite(t) ? formatAge(now - t) : '<unknown>';
}

/** JSON with object keys sorted: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Json).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
