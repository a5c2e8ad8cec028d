/**
 * The pure half of "Apply the current file": documents parsed into objects to apply, their identity, the
 * bookkeeping stripped before a diff, the two sides of the dry-run diff and the one-line summary.
 */
import { LineCounter, parseAllDocuments, stringify } from 'yaml';

/** One object of the file, ready for a server-side apply. */
export interface ApplyObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** As written in the document (undefined when the document has none). */
  readonly namespace?: string;
  /** The document as a plain object. */
  readonly body: Record<string, unknown>;
  /** 1-based line of the document's first line. */
  readonly line: number;
}

/** A document that cannot be applied, with its 1-based line. */
export interface ApplyDocumentError {
  readonly line: number;
  readonly message: string;
}

/** Objects of a YAML text; empty documents skipped. Any error means nothing is sent. */
export interface ParsedApplyFile {
  readonly objects: readonly ApplyObject[];
  readonly errors: readonly ApplyDocumentError[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses every document of `text` (the `yaml` package); syntax errors and incomplete objects carry their line. */
export function parseApplyDocuments(text: string): ParsedApplyFile {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true });
  const objects: ApplyObject[] = [];
  const errors: ApplyDocumentError[] = [];
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;
  if (!Array.isArray(docs)) {
    // An empty stream: parseAllDocuments returns an EmptyStream.
    return { objects, errors };
  }
  for (const doc of docs) {
    const start = doc.contents?.range[0] ?? doc.range[0];
    if (doc.errors.length > 0) {
      for (const e of doc.errors) errors.push({ line: lineOf(e.pos[0]), message: e.message.split('\n')[0] ?? e.message });
      continue;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    const line = lineOf(start);
    if (!isRecord(value)) {
      errors.push({ line, message: 'The document is not a Kubernetes object (a mapping with apiVersion, kind and metadata.name).' });
      continue;
    }
    const metadata = isRecord(value.metadata) ? value.metadata : {};
    const missing = [
      typeof value.apiVersion === 'string' && value.apiVersion ? undefined : 'apiVersion',
      typeof value.kind === 'string' && value.kind ? undefined : 'kind',
      typeof metadata.name === 'string' && metadata.name ? undefined : 'metadata.name',
    ].filter((m): m is string => m !== undefined);
    if (missing.length > 0) {
      errors.push({ line, message: `The document has no ${missing.join(', ')}.` });
      continue;
    }
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
      errors.push({ line, message: `${value.kind} documents are not applied; write one document per object.` });
      continue;
    }
    objects.push({
      apiVersion: value.apiVersion as string,
      kind: value.kind as string,
      name: metadata.name as string,
      ...(typeof metadata.namespace === 'string' && metadata.namespace ? { namespace: metadata.namespace } : {}),
      body: value,
      line,
    });
  }
  return { objects, errors };
}

/**
 * Where an object goes: its own namespace, else the context's, else `default` — only for namespaced kinds
 * (cluster-scoped ones get none, whatever the document says).
 */
export function targetNamespace(
  namespaced: boolean,
  documentNamespace: string | undefined,
  contextNamespace: string | undefined,
): string | undefined {
  if (!namespaced) return undefined;
  return documentNamespace || contextNamespace || 'default';
}

/** "Deployment shop/web" or "Namespace shop". */
export function objectLabel(o: { kind: string; name: string; namespace?: string }): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

/** A key that is equal for the same object: apiVersion's group, kind, namespace, name. */
export function objectKey(o: { apiVersion: string; kind: string; name: string; namespace?: string }): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return [group, o.kind, o.namespace ?? '', o.name].join('|');
}

/** Server bookkeeping that changes on every write and would hide the real change in a diff. */
const VOLATILE_METADATA = ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp'] as const;

/** A copy without managedFields, resourceVersion, generation, uid and creationTimestamp (the input is untouched). */
export function stripForDiff(obj: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(obj);
  if (isRecord(copy.metadata)) {
    for (const key of VOLATILE_METADATA) delete copy.metadata[key];
    if (isRecord(copy.metadata.annotations)) {
      // kubectl's client-side apply copy of the whole object: noise in a diff.
      delete copy.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'];
      if (Object.keys(copy.metadata.annotations).length === 0) delete copy.metadata.annotations;
    }
  }
  return copy;
}

/** One object's outcome of the dry run: live is undefined for a new object. */
export interface ApplyPlanItem {
  readonly object: ApplyObject;
  readonly namespace?: string;
  readonly live?: Record<string, unknown>;
  readonly result: Record<string, unknown>;
}

/** Secret values never appear in a diff: each value becomes a marker saying whether it changes. */
function hideSecretValues(obj: Record<string, unknown>, other: Record<string, unknown> | undefined): Record<string, unknown> {
  if (obj.kind !== 'Secret') return obj;
  const copy = { ...obj };
  for (const field of ['data', 'stringData']) {
    const values = copy[field];
    const otherValues = other?.[field];
    if (!isRecord(values)) continue;
    copy[field] = Object.fromEntries(
      Object.entries(values).map(([k, v]) => [
        k,
        isRecord(otherValues) && otherValues[k] === v ? '<hidden value, unchanged>' : '<hidden value, changed>',
      ]),
    );
  }
  return copy;
}

function section(item: ApplyPlanItem, obj: Record<string, unknown> | undefined, other: Record<string, unknown> | undefined): string {
  const header = `# ${objectLabel({ kind: item.object.kind, name: item.object.name, ...(item.namespace ? { namespace: item.namespace } : {}) })}`;
  if (!obj) return `${header}: not on the cluster (created by this apply)\n`;
  const body = stringify(hideSecretValues(stripForDiff(obj), other && stripForDiff(other)), { lineWidth: 0 });
  return `${header}\n${body}`;
}

/** The two sides of the diff: live objects (empty for new ones) and dry-run results, in the file's order. */
export function buildApplyDiff(items: readonly ApplyPlanItem[]): { live: string; result: string } {
  return {
    live: items.map((i) => section(i, i.live, i.result)).join('---\n'),
    result: items.map((i) => section(i, i.result, i.live)).join('---\n'),
  };
}

/** Whether the dry run changes an object (bookkeeping and status excluded). */
export function isUnchanged(item: ApplyPlanItem): boolean {
  if (!item.live) return false;
  const a = stripForDiff(item.live);
  const b = stripForDiff(item.result);
  delete a.status;
  delete b.status;
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isRecord(v)) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortKeys(v[k])]),
  );
}

/** "3 objects: 1 created, 1 changed, 1 unchanged". */
export function summarizeApply(items: readonly ApplyPlanItem[]): string {
  const created = items.filter((i) => !i.live).length;
  const unchanged = items.filter(isUnchanged).length;
  const changed = items.length - created - unchanged;
  const parts = [`${created} created`, `${changed} changed`, `${unchanged} unchanged`];
  return `${items.length} object${items.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
}

/** A Status cause as the API server sends it (409 field-manager conflicts, 422 validation). */
export interface StatusCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

/** The other field managers of a server-side apply conflict and the fields they own, one line each. */
export function describeApplyConflict(causes: readonly StatusCause[]): { managers: string[]; lines: string[] } {
  const managers = new Set<string>();
  const lines: string[] = [];
  for (const c of causes) {
    const manager = /conflict with "([^"]+)"/.exec(c.message ?? '')?.[1];
    if (manager) managers.add(manager);
    lines.push(`${c.field ?? '(field)'}: ${c.message ?? c.reason ?? 'conflict'}`);
  }
  return { managers: [...managers], lines };
}

/** The fields a 422 names with their messages ("spec.replicas: Invalid value: -1: must be …"). */
export function describeInvalid(causes: readonly StatusCause[]): string[] {
  return causes.map((c) => `${c.field ?? '(object)'}: ${c.message ?? c.reason ?? 'invalid'}`);
}
