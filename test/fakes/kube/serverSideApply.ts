/**
 * Server-side apply for the fake (PATCH with `application/apply-patch+yaml`): field ownership in
 * `metadata.managedFields` (FieldsV1), conflicts with other managers (409 with one `FieldManagerConflict` cause
 * per field), `force=true` taking ownership, fields this manager applied before and now left out removed, and
 * `Update` entries for ordinary patches. Lists of objects with a merge key (`name`, `containerPort`, `port`,
 * `mountPath`, `devicePath`, `ip`) merge item by item as the apiserver's associative lists do (containers by name,
 * ports by containerPort); for ownership and conflicts a list is one field (no `k:`/`v:` keys).
 */
import { invalid, KubeStatusError, failureStatus } from './status';
import type { KubeObject } from './types';
import { isRecord } from './types';

interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

const IDENTITY = new Set(['apiVersion', 'kind', 'metadata.name', 'metadata.namespace']);
const SERVER_META = new Set([
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'deletionTimestamp',
  'selfLink',
]);

/** Leaf paths (arrays and scalars are leaves) of an object, as dotted paths; identity fields skipped. */
export function fieldPaths(obj: unknown, prefix: string[] = []): string[][] {
  if (!isRecord(obj)) return prefix.length ? [prefix] : [];
  const out: string[][] = [];
  for (const [k, v] of Object.entries(obj)) {
    if (prefix.length === 1 && prefix[0] === 'metadata' && SERVER_META.has(k)) continue;
    if (prefix.length === 0 && k === 'status') continue;
    const p = [...prefix, k];
    if (IDENTITY.has(p.join('.'))) continue;
    if (isRecord(v) && Object.keys(v).length > 0) out.push(...fieldPaths(v, p));
    else out.push(p);
  }
  return out;
}

function toFieldsV1(paths: readonly string[][]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const p of paths) {
    let node = root;
    for (const seg of p) {
      const key = `f:${seg}`;
      node[key] = isRecord(node[key]) ? node[key] : {};
      node = node[key] as Record<string, unknown>;
    }
  }
  return root;
}

function fromFieldsV1(f: unknown, prefix: string[] = []): string[][] {
  if (!isRecord(f)) return [];
  const keys = Object.keys(f).filter((k) => k.startsWith('f:'));
  if (keys.length === 0) return prefix.length ? [prefix] : [];
  return keys.flatMap((k) => fromFieldsV1(f[k], [...prefix, k.slice(2)]));
}

function valueAt(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const seg of path) cur = isRecord(cur) ? cur[seg] : undefined;
  return cur;
}

function deleteAt(obj: Record<string, unknown>, path: readonly string[]): void {
  const parents: Record<string, unknown>[] = [];
  let cur: unknown = obj;
  for (const seg of path.slice(0, -1)) {
    if (!isRecord(cur)) return;
    parents.push(cur);
    cur = cur[seg];
  }
  if (!isRecord(cur)) return;
  delete cur[path[path.length - 1] ?? ''];
  // Empty maps left behind go too, as the apiserver prunes them.
  for (let i = path.length - 2; i >= 0; i--) {
    const parent = parents[i];
    const child = parent?.[path[i] ?? ''];
    if (parent && isRecord(child) && Object.keys(child).length === 0) delete parent[path[i] ?? ''];
    else break;
  }
}

const key = (p: readonly string[]) => p.join('\u0000');
const overlaps = (a: readonly string[], b: readonly string[]) => {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
};
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const MERGE_KEYS = ['name', 'containerPort', 'port', 'mountPath', 'devicePath', 'ip'];

/** Merges an applied configuration into the live object: maps by key, associative lists by their merge key. */
function mergeApplied(live: unknown, applied: unknown): unknown {
  if (isRecord(applied)) {
    const result: Record<string, unknown> = isRecord(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(applied)) result[k] = v === null ? undefined : mergeApplied(result[k], v);
    for (const k of Object.keys(result)) if (result[k] === undefined) delete result[k];
    return result;
  }
  if (Array.isArray(applied) && Array.isArray(live) && applied.length > 0 && applied.every(isRecord)) {
    const items: Record<string, unknown>[] = applied;
    const current: unknown[] = live;
    const key = MERGE_KEYS.find((k) => items.every((item) => item[k] !== undefined));
    if (key) {
      const merged: unknown[] = current.map((item) => {
        const match = isRecord(item) ? items.find((a) => same(a[key], item[key])) : undefined;
        return match ? mergeApplied(item, match) : item;
      });
      for (const a of items) if (!current.some((item) => isRecord(item) && same(item[key], a[key]))) merged.push(structuredClone(a));
      return merged;
    }
  }
  return structuredClone(applied);
}

function entriesOf(obj: KubeObject | undefined): ManagedFieldsEntry[] {
  const mf = obj?.metadata['managedFields'];
  return Array.isArray(mf) ? (structuredClone(mf) as ManagedFieldsEntry[]) : [];
}

/** The checks the apiserver's validation would make for the fields the fake knows about (422). */
function validate(obj: KubeObject, group: string): void {
  const replicas = valueAt(obj, ['spec', 'replicas']);
  if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)) {
    throw invalid(group, obj.kind, obj.metadata.name ?? '', [
      {
        field: 'spec.replicas',
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
      },
    ]);
  }
}

/**
 * The object a server-side apply of `applied` by `manager` produces. Throws a 409 listing each field another
 * manager owns with a different value, unless `force`.
 */
export function serverSideApply(
  existing: KubeObject | undefined,
  applied: KubeObject,
  manager: string,
  force: boolean,
  group: string,
  now: string,
): KubeObject {
  const appliedPaths = fieldPaths(applied);
  let entries = entriesOf(existing);
  const conflicts: { manager: string; apiVersion: string; path: string[] }[] = [];
  const merged = (existing ? mergeApplied(existing, applied) : structuredClone(applied)) as KubeObject;
  if (existing) {
    for (const e of entries) {
      if (e.manager === manager && e.operation === 'Apply') continue;
      const owned = fromFieldsV1(e.fieldsV1);
      for (const p of appliedPaths) {
        const hit = owned.find((o) => overlaps(o, p));
        if (hit && !same(valueAt(existing, p), valueAt(merged, p)))
          conflicts.push({ manager: e.manager, apiVersion: e.apiVersion, path: p });
      }
    }
  }
  if (conflicts.length > 0 && !force) {
    const causes = conflicts.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with "${c.manager}" using ${c.apiVersion}`,
      field: `.${c.path.join('.')}`,
    }));
    const summary =
      conflicts.length === 1
        ? `Apply failed with 1 conflict: ${causes[0]?.message ?? ''}: ${causes[0]?.field ?? ''}`
        : `Apply failed with ${conflicts.length} conflicts: ${causes.map((c) => `${c.message}: ${c.field}`).join('\n')}`;
    throw new KubeStatusError(failureStatus(409, summary, 'Conflict', { causes }));
  }
  // Ownership moves to the applier for every field it applies (with force: taken from the others).
  entries = entries.map((e) => {
    if (e.manager === manager && e.operation === 'Apply') return e;
    const remaining = fromFieldsV1(e.fieldsV1).filter((o) => !appliedPaths.some((p) => overlaps(o, p)));
    return { ...e, fieldsV1: toFieldsV1(remaining) };
  });
  let result = merged;
  const previous = entries.find((e) => e.manager === manager && e.operation === 'Apply');
  if (previous) {
    const stillApplied = new Set(appliedPaths.map(key));
    const ownedByOthers = entries.filter((e) => e !== previous).flatMap((e) => fromFieldsV1(e.fieldsV1));
    for (const p of fromFieldsV1(previous.fieldsV1)) {
      if (!stillApplied.has(key(p)) && !ownedByOthers.some((o) => overlaps(o, p))) deleteAt(result, p);
    }
  }
  result = { ...result, metadata: { ...result.metadata } };
  const mine: ManagedFieldsEntry = {
    manager,
    operation: 'Apply',
    apiVersion: applied.apiVersion,
    time: now,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(appliedPaths),
  };
  result.metadata['managedFields'] = [...entries.filter((e) => e !== previous && Object.keys(e.fieldsV1).length > 0), mine];
  validate(result, group);
  return result;
}

/** Records an ordinary write (merge/JSON patch, update) as an `Update` entry owning the fields it changed. */
export function trackUpdate(previous: KubeObject, next: KubeObject, manager: string, now: string): void {
  const before = new Map(fieldPaths(previous).map((p) => [key(p), p]));
  const after = fieldPaths(next);
  const changed = after.filter((p) => !same(valueAt(previous, p), valueAt(next, p)));
  for (const [k, p] of before) if (!after.some((q) => key(q) === k) && valueAt(next, p) === undefined) changed.push(p);
  if (changed.length === 0) {
    next.metadata['managedFields'] = previous.metadata['managedFields'];
    return;
  }
  const entries = entriesOf(previous).map((e) => {
    const remaining = fromFieldsV1(e.fieldsV1).filter((o) => !changed.some((p) => overlaps(o, p)));
    return { ...e, fieldsV1: toFieldsV1(remaining) };
  });
  const mine = entries.find((e) => e.manager === manager && e.operation === 'Update');
  const owned = [...(mine ? fromFieldsV1(mine.fieldsV1) : []), ...changed.filter((p) => valueAt(next, p) !== undefined)];
  const entry: ManagedFieldsEntry = {
    manager,
    operation: 'Update',
    apiVersion: next.apiVersion,
    time: now,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(owned),
  };
  next.metadata['managedFields'] = [...entries.filter((e) => e !== mine && Object.keys(e.fieldsV1).length > 0), entry];
}
