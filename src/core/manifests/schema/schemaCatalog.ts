/**
 * Offline schema catalogue: built-in kinds of the bundled Kubernetes minors, the bundled CRDs (Istio, Prometheus
 * Operator ServiceMonitor, Velero) and CRDs found in the lint set. Validates documents (types, required fields,
 * int-or-string, Quantity, date-time, base64, unknown fields with "did you mean", enforced enums) and answers
 * hover and completion questions (fieldAt, childFields). Pure: the tables are JSON imported through the bundler.
 */
import { isScalar, Scalar, type Document } from 'yaml';
import { isQuantity } from '../../kube/quantity';
import { nodeAt } from '../parseManifests';
import type { YamlPath } from '../types';
import { builtinEnums } from './enumHints';
import crdIstio from './generated/crd-istio.json';
import crdPrometheusOperator from './generated/crd-prometheus-operator.json';
import k8s127 from './generated/k8s-1.27.json';
import k8s132 from './generated/k8s-1.32.json';
import k8s133 from './generated/k8s-1.33.json';
import k8s134 from './generated/k8s-1.34.json';
import k8s136 from './generated/k8s-1.36.json';
import { primitiveTypes, type PrimitiveType, type SchemaProperty, type SchemaTable, type SchemaType } from './schemaTypes';
import { closestMatch } from './stringDistance';
import { veleroSchema } from './veleroSchema';

const kubernetesTables: readonly SchemaTable[] = [k8s127, k8s132, k8s133, k8s134, k8s136];
const crdTables: readonly SchemaTable[] = [crdIstio, crdPrometheusOperator, veleroSchema];

/** Kubernetes minors with a bundled schema, oldest first. */
export const supportedKubernetesVersions: readonly string[] = kubernetesTables.map((t) => t.version ?? '').sort(compareMinor);
/** The newest bundled minor: the default target version (lint-rules.md §4.8). */
export const newestKubernetesVersion: string = supportedKubernetesVersions[supportedKubernetesVersions.length - 1] ?? '1.33';

function minor(version: string): number {
  const m = /^v?1\.(\d+)/.exec(version.trim());
  return m ? Number(m[1]) : Number.NaN;
}

function compareMinor(a: string, b: string): number {
  return minor(a) - minor(b);
}

/**
 * The bundled schema version used for a target version: the target itself when bundled, else the oldest bundled
 * version newer than the target (its fields are a superset of the target's for stable APIs, so a field added later
 * is accepted rather than a valid field flagged), else the newest. Undefined or unparsable targets use the newest.
 */
export function schemaVersionFor(target?: string): string {
  const m = target === undefined ? Number.NaN : minor(target);
  if (Number.isNaN(m)) return newestKubernetesVersion;
  return supportedKubernetesVersions.find((v) => minor(v) >= m) ?? newestKubernetesVersion;
}

// ---------------------------------------------------------------------------------------------------------------
// Compiled tables

type Ref =
  | { readonly k: 'prim'; readonly t: PrimitiveType }
  | { readonly k: 'array'; readonly of: Ref }
  | { readonly k: 'map'; readonly of: Ref }
  | { readonly k: 'type'; readonly name: string; readonly scope: TableScope };

interface CompiledProp {
  readonly name: string;
  readonly ref: Ref;
  readonly source: SchemaProperty;
  /** Enum values enforced on the (leaf) string value. */
  readonly enforced?: EnforcedEnum;
}

interface EnforcedEnum {
  readonly values: readonly string[];
  /** From the hand table of built-in enums (enumHints.ts) rather than the (CRD) schema. */
  readonly builtin: boolean;
}

interface CompiledType {
  readonly name: string;
  readonly def: SchemaType;
  readonly props: ReadonlyMap<string, CompiledProp>;
  readonly required: readonly string[];
  readonly additional?: Ref;
  readonly open: boolean;
}

const primSet = new Set<string>(primitiveTypes);

/** One table's types, with a fallback scope for names it does not define (Velero → Kubernetes meta/v1 types). */
class TableScope {
  private readonly compiled = new Map<string, CompiledType | null>();
  private readonly refs = new Map<string, Ref>();

  constructor(
    readonly table: SchemaTable,
    private readonly types: Readonly<Record<string, SchemaType>>,
    private readonly fallback?: TableScope,
    /** Built-in kinds: enforce the hand enum table (enumHints.ts). */
    private readonly builtin = false,
  ) {}

  ref(text: string): Ref {
    let r = this.refs.get(text);
    if (!r) {
      if (text.startsWith('[]')) r = { k: 'array', of: this.ref(text.slice(2)) };
      else if (text.startsWith('{}')) r = { k: 'map', of: this.ref(text.slice(2)) };
      else if (primSet.has(text)) r = { k: 'prim', t: text as PrimitiveType };
      else if (own(this.types, text) !== undefined || !this.fallback) r = { k: 'type', name: text, scope: this };
      else r = this.fallback.ref(text);
      this.refs.set(text, r);
    }
    return r;
  }

  type(name: string): CompiledType | undefined {
    let c = this.compiled.get(name);
    if (c === undefined) {
      const def = own(this.types, name);
      c = def ? this.compile(name, def) : null;
      this.compiled.set(name, c);
    }
    return c ?? undefined;
  }

  private compile(name: string, def: SchemaType): CompiledType {
    const bare = bareTypeName(name);
    const props = new Map<string, CompiledProp>();
    for (const [key, source] of Object.entries(def.p ?? {})) {
      const values = this.builtin ? builtinEnums[`${bare}.${key}`] : this.table.enforceEnums ? source.e : undefined;
      const enforced = values ? { values, builtin: this.builtin } : undefined;
      props.set(key, { name: key, ref: this.ref(source.t), source, ...(enforced ? { enforced } : {}) });
    }
    return {
      name,
      def,
      props,
      required: def.r ?? [],
      ...(def.a ? { additional: this.ref(def.a) } : {}),
      open: def.x === 1,
    };
  }
}

function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** `apps/v1.DeploymentSpec` → `DeploymentSpec`; `v1.Container` → `Container`. */
export function bareTypeName(name: string): string {
  const afterGroup = name.slice(name.lastIndexOf('/') + 1);
  const dot = afterGroup.indexOf('.');
  return dot === -1 ? afterGroup : afterGroup.slice(dot + 1);
}

interface ResolvedKind {
  readonly scope: TableScope;
  readonly type: CompiledType;
  readonly builtin: boolean;
}

/** The schemas of one Kubernetes minor plus the bundled CRDs. */
export class Schema {
  readonly kubernetes: TableScope;
  private readonly crds: readonly TableScope[];

  constructor(
    readonly version: string,
    table: SchemaTable,
  ) {
    this.kubernetes = new TableScope(table, table.types, undefined, true);
    this.crds = crdTables.map((t) => new TableScope(t, t.types, this.kubernetes));
  }

  /** The kind's schema: built-in first, then the bundled CRDs, then the extra (lint-set CRD) tables. */
  resolve(apiVersion: string, kind: string, extra: readonly SchemaTable[] = []): ResolvedKind | undefined {
    const key = `${apiVersion}/${kind}`;
    const scopes = [this.kubernetes, ...this.crds, ...extra.map((t) => extraScope(this, t))];
    for (const scope of scopes) {
      const name = own(scope.table.kinds, key);
      const type = name === undefined ? undefined : scope.type(name);
      if (type) return { scope, type, builtin: scope === this.kubernetes };
    }
    return undefined;
  }

  /** Every `<apiVersion>/<Kind>` this schema knows (built-in and bundled CRDs). */
  kinds(): string[] {
    return [...Object.keys(this.kubernetes.table.kinds), ...this.crds.flatMap((c) => Object.keys(c.table.kinds))];
  }
}

const extraScopes = new WeakMap<SchemaTable, WeakMap<Schema, TableScope>>();
function extraScope(schema: Schema, table: SchemaTable): TableScope {
  let bySchema = extraScopes.get(table);
  if (!bySchema) {
    bySchema = new WeakMap();
    extraScopes.set(table, bySchema);
  }
  let scope = bySchema.get(schema);
  if (!scope) {
    scope = new TableScope(table, table.types, schema.kubernetes);
    bySchema.set(schema, scope);
  }
  return scope;
}

const schemas = new Map<string, Schema>();

/** The schema for a target Kubernetes version (see schemaVersionFor); built once per bundled version. */
export function schemaFor(version?: string): Schema {
  const v = schemaVersionFor(version);
  let schema = schemas.get(v);
  if (!schema) {
    const table = kubernetesTables.find((t) => t.version === v);
    if (!table) throw new Error(`no bundled schema for Kubernetes ${v}`);
    const base = table.base ? kubernetesTables.find((t) => t.version === table.base) : undefined;
    const merged: SchemaTable = base ? { ...table, types: { ...base.types, ...table.types } } : table;
    schema = new Schema(v, merged);
    schemas.set(v, schema);
  }
  return schema;
}

// ---------------------------------------------------------------------------------------------------------------
// Validation

export type SchemaIssueKind = 'type' | 'required' | 'unknown-field' | 'format' | 'enum';

export interface SchemaIssue {
  readonly path: YamlPath;
  readonly message: string;
  readonly kind: SchemaIssueKind;
  /** The likely intended field name or enum value. */
  readonly suggestion?: string;
  /**
   * For `enum` issues: true when the values come from the hand table of built-in enums that the OpenAPI schema does
   * not carry (lint-rules.md §2.9 `enum-value-invalid`); false for a CRD schema's own `enum` (a schema violation).
   */
  readonly builtinEnum?: boolean;
  /** For `type` and `format` issues of primitive fields: the field's type (`quantity` issues are also `quantity-invalid`'s). */
  readonly valueType?: PrimitiveType;
}

/** What validateDocument needs of a ManifestDocument (the parsed YAML is optional: it only refines messages). */
export interface ValidatableDocument {
  readonly value: unknown;
  readonly partial?: boolean;
  readonly yaml?: Document.Parsed;
}

export interface ValidateOptions {
  /** Extra CRD tables (from CustomResourceDefinitions in the lint set, see tableFromCrd). */
  readonly extraTables?: readonly SchemaTable[];
  /** Stop after this many issues (default 200). */
  readonly maxIssues?: number;
}

const maxDepth = 128;

interface WalkContext {
  readonly issues: SchemaIssue[];
  readonly partial: boolean;
  readonly yaml?: Document.Parsed;
  readonly max: number;
  readonly path: (string | number)[];
}

/**
 * Validates a document against the schema of its apiVersion/kind for a Kubernetes version. Returns no issues for
 * documents without apiVersion/kind, of unknown kinds (see isKnownKind) or that are not objects. Required fields
 * are not checked in partial documents (Kustomize patches), where `$patch`-style directive keys are also allowed.
 * Never throws on any JSON value.
 */
export function validateDocument(doc: ValidatableDocument, version?: string, options: ValidateOptions = {}): SchemaIssue[] {
  const ctx: WalkContext = {
    issues: [],
    partial: doc.partial === true,
    ...(doc.yaml ? { yaml: doc.yaml } : {}),
    max: options.maxIssues ?? 200,
    path: [],
  };
  validateObjectAt(doc.value, schemaFor(version), options.extraTables ?? [], ctx, 0);
  return ctx.issues;
}

function validateObjectAt(value: unknown, schema: Schema, extra: readonly SchemaTable[], ctx: WalkContext, listDepth: number): void {
  const obj = asObject(value);
  if (!obj) return;
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return;
  if (kind === 'List' && apiVersion === 'v1' && listDepth < 4) {
    const items = obj.items;
    if (Array.isArray(items)) {
      ctx.path.push('items');
      items.forEach((item, i) => {
        ctx.path.push(i);
        validateObjectAt(item, schema, extra, ctx, listDepth + 1);
        ctx.path.pop();
      });
      ctx.path.pop();
    }
    return;
  }
  const resolved = schema.resolve(apiVersion, kind, extra);
  if (!resolved) return;
  checkObject(obj, resolved.type, ctx, 0, true);
}

function asObject(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function checkValue(value: unknown, ref: Ref, ctx: WalkContext, depth: number, enforced?: EnforcedEnum): void {
  if (value === null || value === undefined || ctx.issues.length >= ctx.max) return;
  if (depth > maxDepth) return;
  switch (ref.k) {
    case 'prim':
      checkPrimitive(value, ref.t, ctx, enforced);
      return;
    case 'array':
      if (!Array.isArray(value)) return typeIssue(ctx, value, undefined, 'a list');
      for (let i = 0; i < value.length; i++) {
        ctx.path.push(i);
        checkValue(value[i], ref.of, ctx, depth + 1, enforced);
        ctx.path.pop();
      }
      return;
    case 'map': {
      const obj = asObject(value);
      if (!obj) return typeIssue(ctx, value, undefined, 'a mapping (key: value pairs)');
      for (const key of Object.keys(obj)) {
        ctx.path.push(key);
        checkValue(obj[key], ref.of, ctx, depth + 1, enforced);
        ctx.path.pop();
      }
      return;
    }
    case 'type': {
      const type = ref.scope.type(ref.name);
      if (!type) return;
      const obj = asObject(value);
      if (!obj) return typeIssue(ctx, value, undefined, `an object (${displayTypeName(type.name)})`);
      checkObject(obj, type, ctx, depth, false);
      return;
    }
  }
}

function checkObject(obj: Record<string, unknown>, type: CompiledType, ctx: WalkContext, depth: number, root: boolean): void {
  for (const key of Object.keys(obj)) {
    if (ctx.issues.length >= ctx.max) return;
    const prop = type.props.get(key);
    ctx.path.push(key);
    if (prop) checkValue(obj[key], prop.ref, ctx, depth + 1, prop.enforced);
    else if (type.additional) checkValue(obj[key], type.additional, ctx, depth + 1);
    else if (!type.open && !(ctx.partial && key.startsWith('$'))) unknownField(ctx, key, type);
    ctx.path.pop();
  }
  if (ctx.partial) return;
  for (const field of type.required) {
    if (obj[field] !== undefined) continue;
    if (root && (field === 'apiVersion' || field === 'kind')) continue;
    const where = ctx.path.length ? formatPath(ctx.path) : 'the document';
    ctx.issues.push({
      path: [...ctx.path, field],
      kind: 'required',
      message: `Missing required field "${field}" in ${where} (${displayTypeName(type.name)}): the API server rejects the object without it.`,
    });
  }
}

function unknownField(ctx: WalkContext, key: string, type: CompiledType): void {
  const suggestion = closestMatch(key, type.props.keys());
  const where = ctx.path.length > 1 ? formatPath(ctx.path.slice(0, -1)) : 'the document';
  const tail = suggestion
    ? `: did you mean "${suggestion}"?`
    : `: ${displayTypeName(type.name)} has no such field, and the API server rejects unknown fields (kubectl --validate=strict).`;
  ctx.issues.push({
    path: [...ctx.path],
    kind: 'unknown-field',
    message: `Unknown field "${key}" in ${where}${tail}`,
    ...(suggestion ? { suggestion } : {}),
  });
}

const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function checkPrimitive(value: unknown, t: PrimitiveType, ctx: WalkContext, enforced?: EnforcedEnum): void {
  switch (t) {
    case 'string':
      if (typeof value !== 'string') return typeIssue(ctx, value, t, 'a string');
      if (enforced && value !== '' && !enforced.values.includes(value)) enumIssue(ctx, value, enforced);
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return typeIssue(ctx, value, t, 'an integer');
      return;
    case 'number':
      if (typeof value !== 'number') return typeIssue(ctx, value, t, 'a number');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') return typeIssue(ctx, value, t, 'a boolean (true or false)');
      return;
    case 'int-or-string':
      if (typeof value === 'string') return;
      if (typeof value !== 'number' || !Number.isInteger(value)) return typeIssue(ctx, value, t, 'an integer or a string');
      return;
    case 'quantity':
      if (typeof value === 'number') return;
      if (typeof value !== 'string') return typeIssue(ctx, value, t, 'a quantity (a string such as "500m" or "1Gi", or a number)');
      if (!isQuantity(value))
        formatIssue(
          ctx,
          t,
          `${quote(value)} is not a valid quantity: use a number with an optional suffix, such as 500m, 0.5, 128Mi or 1Gi.`,
        );
      return;
    case 'date-time':
      if (typeof value !== 'string') return typeIssue(ctx, value, t, 'an RFC 3339 date-time string');
      if (!rfc3339.test(value)) formatIssue(ctx, t, `${quote(value)} is not an RFC 3339 date-time such as 2025-01-31T12:00:00Z.`);
      return;
    case 'byte':
      if (typeof value !== 'string') return typeIssue(ctx, value, t, 'a base64 string');
      if (!base64.test(value.replace(/[\r\n]/g, '')))
        formatIssue(
          ctx,
          t,
          `${quote(value)} is not valid base64: encode the value (base64 -w0), or put plain text under stringData instead.`,
        );
      return;
    case 'any':
      return;
  }
}

function typeIssue(ctx: WalkContext, value: unknown, t: PrimitiveType | undefined, expected: string): void {
  if (ctx.yaml && typeof value === 'string' && yaml11Coerces(ctx, expected)) return;
  ctx.issues.push({
    path: [...ctx.path],
    kind: 'type',
    message: `${subject(ctx)} must be ${expected}, got ${describe(value)}.`,
    ...(t ? { valueType: t } : {}),
  });
}

function formatIssue(ctx: WalkContext, t: PrimitiveType, detail: string): void {
  ctx.issues.push({ path: [...ctx.path], kind: 'format', message: `${subject(ctx)}: ${detail}`, valueType: t });
}

function enumIssue(ctx: WalkContext, value: string, allowed: EnforcedEnum): void {
  const suggestion = closestMatch(value, allowed.values);
  ctx.issues.push({
    path: [...ctx.path],
    kind: 'enum',
    message: `${subject(ctx)} must be one of ${allowed.values.join(', ')}; got ${quote(value)}${suggestion ? `: did you mean "${suggestion}"?` : '.'}`,
    builtinEnum: allowed.builtin,
    ...(suggestion ? { suggestion } : {}),
  });
}

function subject(ctx: WalkContext): string {
  return ctx.path.length ? formatPath(ctx.path) : 'The document';
}

/**
 * Kubernetes decodes YAML 1.1-style: a plain (unquoted) `yes`/`on` is a boolean and `1_000`/`0x1F` an integer there,
 * although a YAML 1.2 parser reads strings. Such a scalar in a boolean or integer field is therefore valid.
 */
function yaml11Coerces(ctx: WalkContext, expected: string): boolean {
  if (!ctx.yaml) return false;
  const node = nodeAt(ctx.yaml, ctx.path).value;
  if (!isScalar(node) || node.type !== Scalar.PLAIN || typeof node.value !== 'string') return false;
  const raw = node.value;
  if (expected.startsWith('a boolean'))
    return /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE)$/.test(raw);
  if (expected === 'an integer' || expected === 'an integer or a string' || expected === 'a number')
    return /^[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[1-9][0-9_]*(:[0-5]?[0-9])+|0|[1-9][0-9_]*)$/.test(raw);
  return false;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `string ${quote(value)}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `integer ${value}` : `number ${value}`;
  if (typeof value === 'boolean') return `boolean ${value}`;
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'an object';
  return typeof value;
}

function quote(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 57)}...` : s);
}

/** `spec.template.spec.containers[0].name`; keys that are not identifiers are quoted: `labels["app.kubernetes.io/name"]`. */
export function formatPath(path: YamlPath): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(step)) out += out ? `.${step}` : step;
    else out += `[${JSON.stringify(step)}]`;
  }
  return out;
}

/** A type name for messages: `DeploymentSpec`; inline CRD object types are just `object`. */
function displayTypeName(name: string): string {
  const bare = bareTypeName(name);
  return /[.[{~]/.test(bare) ? 'object' : bare;
}

function displayRef(ref: Ref): string {
  switch (ref.k) {
    case 'prim':
      return primDisplay[ref.t];
    case 'array':
      return `list of ${displayRef(ref.of)}`;
    case 'map':
      return `map of string to ${displayRef(ref.of)}`;
    case 'type':
      return displayTypeName(ref.name);
  }
}

const primDisplay: Record<PrimitiveType, string> = {
  string: 'string',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  'int-or-string': 'integer or string',
  quantity: 'Quantity',
  'date-time': 'date-time (RFC 3339)',
  byte: 'base64 string',
  any: 'any',
};

// ---------------------------------------------------------------------------------------------------------------
// Queries for hover and completion

/** Whether the schema knows apiVersion/kind (built-in, bundled CRD or an extra table). */
export function isKnownKind(apiVersion: string, kind: string, version?: string, extraTables: readonly SchemaTable[] = []): boolean {
  if (kind === 'List' && apiVersion === 'v1') return true;
  return schemaFor(version).resolve(apiVersion, kind, extraTables) !== undefined;
}

export interface FieldInfo {
  /** The field's documentation (or its type's when the field has none). */
  readonly description?: string;
  /** Human-readable type: `integer`, `Quantity`, `list of Container`, `map of string to string`, `DeploymentSpec`. */
  readonly type: string;
  readonly required: boolean;
  /** Allowed values, when known. */
  readonly enumValues?: readonly string[];
}

export interface ChildField {
  readonly name: string;
  readonly type: string;
  readonly description?: string;
  readonly required: boolean;
  readonly enumValues?: readonly string[];
}

interface Located {
  readonly ref: Ref;
  readonly prop?: CompiledProp;
  readonly parent?: CompiledType;
}

function locate(
  docValue: unknown,
  apiVersion: string | undefined,
  kind: string | undefined,
  path: YamlPath,
  version?: string,
  extraTables: readonly SchemaTable[] = [],
): Located | undefined {
  const schema = schemaFor(version);
  let value: unknown = docValue;
  let av = apiVersion ?? scalarField(docValue, 'apiVersion');
  let k = kind ?? scalarField(docValue, 'kind');
  let rest = path;
  // A v1 List: the item's own apiVersion/kind decide.
  while (k === 'List' && av === 'v1' && rest[0] === 'items' && typeof rest[1] === 'number') {
    value = (asObject(value)?.items as unknown[] | undefined)?.[rest[1]];
    av = scalarField(value, 'apiVersion');
    k = scalarField(value, 'kind');
    rest = rest.slice(2);
  }
  if (av === undefined || k === undefined) return undefined;
  const resolved = schema.resolve(av, k, extraTables);
  if (!resolved) return undefined;
  let here: Located = { ref: { k: 'type', name: resolved.type.name, scope: resolved.scope } };
  for (const step of rest) {
    const ref = here.ref;
    if (ref.k === 'array') {
      if (typeof step !== 'number') return undefined;
      here = { ref: ref.of, ...(here.prop ? { prop: here.prop } : {}), ...(here.parent ? { parent: here.parent } : {}) };
    } else if (ref.k === 'map') {
      if (typeof step !== 'string') return undefined;
      here = { ref: ref.of, ...(here.prop ? { prop: here.prop } : {}), ...(here.parent ? { parent: here.parent } : {}) };
    } else if (ref.k === 'type') {
      const type = ref.scope.type(ref.name);
      if (!type || typeof step !== 'string') return undefined;
      const prop = type.props.get(step);
      if (prop) here = { ref: prop.ref, prop, parent: type };
      else if (type.additional) here = { ref: type.additional, parent: type };
      else return undefined;
    } else return undefined;
  }
  return here;
}

function scalarField(v: unknown, key: string): string | undefined {
  const f = asObject(v)?.[key];
  return typeof f === 'string' ? f : undefined;
}

function typeDescription(ref: Ref): string | undefined {
  let r = ref;
  while (r.k === 'array' || r.k === 'map') r = r.of;
  return r.k === 'type' ? r.scope.type(r.name)?.def.d : undefined;
}

function enumValuesOf(prop: CompiledProp | undefined): readonly string[] | undefined {
  return prop?.enforced?.values ?? prop?.source.e;
}

/**
 * Documentation of the field at `path` (keys and list indexes) of a document: description, type, whether required,
 * allowed values. apiVersion/kind default to the document's own. Undefined when the schema does not know the path.
 */
export function fieldAt(
  docValue: unknown,
  apiVersion: string | undefined,
  kind: string | undefined,
  path: YamlPath,
  version?: string,
  extraTables: readonly SchemaTable[] = [],
): FieldInfo | undefined {
  const at = locate(docValue, apiVersion, kind, path, version, extraTables);
  if (!at) return undefined;
  const description = at.prop?.source.d ?? typeDescription(at.ref);
  const enumValues = enumValuesOf(at.prop);
  const last = path[path.length - 1];
  return {
    ...(description ? { description } : {}),
    type: displayRef(at.ref),
    required: typeof last === 'string' && at.prop !== undefined && (at.parent?.required.includes(last) ?? false),
    ...(enumValues ? { enumValues } : {}),
  };
}

/**
 * The fields an object at `path` can have (for key completion), sorted by name. A path that ends at a list (or
 * map) gives the fields of its items. Empty when the path is not an object of known type.
 */
export function childFields(
  apiVersion: string,
  kind: string,
  path: YamlPath,
  version?: string,
  extraTables: readonly SchemaTable[] = [],
): ChildField[] {
  const at = locate(undefined, apiVersion, kind, path, version, extraTables);
  if (!at) return [];
  let ref = at.ref;
  while (ref.k === 'array' || ref.k === 'map') ref = ref.of;
  if (ref.k !== 'type') return [];
  const type = ref.scope.type(ref.name);
  if (!type) return [];
  return [...type.props.values()]
    .map((p) => {
      const description = p.source.d ?? typeDescription(p.ref);
      const enumValues = enumValuesOf(p);
      return {
        name: p.name,
        type: displayRef(p.ref),
        required: type.required.includes(p.name),
        ...(description ? { description } : {}),
        ...(enumValues ? { enumValues } : {}),
      };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------------------------
// CRDs in the lint set

/**
 * A schema table from a CustomResourceDefinition (apiextensions.k8s.io/v1) document: one kind per served version
 * with an `openAPIV3Schema`. Objects with x-kubernetes-preserve-unknown-fields stay open; int-or-string, date-time,
 * byte, integer/number/boolean/string, arrays, maps and enums are kept. Undefined when it is not such a CRD.
 */
export function tableFromCrd(crd: unknown): SchemaTable | undefined {
  const obj = asObject(crd);
  const spec = asObject(obj?.spec);
  const names = asObject(spec?.names);
  const group = spec?.group;
  const kind = names?.kind;
  if (obj?.kind !== 'CustomResourceDefinition' || typeof group !== 'string' || typeof kind !== 'string') return undefined;
  const kinds: Record<string, string> = {};
  const types: Record<string, SchemaType> = {};
  const versions = Array.isArray(spec?.versions) ? spec.versions : [];
  for (const v of versions) {
    const version = asObject(v);
    const name = version?.name;
    const schema = asObject(asObject(version?.schema)?.openAPIV3Schema);
    if (typeof name !== 'string' || !schema || version?.served === false) continue;
    const root = `${group}/${name}.${kind}`;
    const rootType = crdType(schema, root, types, 0);
    types[root] = {
      ...rootType,
      p: { apiVersion: { t: 'string' }, kind: { t: 'string' }, metadata: { t: 'meta/v1.ObjectMeta' }, ...rootType.p },
    };
    kinds[`${group}/${name}/${kind}`] = root;
  }
  if (Object.keys(kinds).length === 0) return undefined;
  return { source: `CustomResourceDefinition ${scalarField(obj.metadata, 'name') ?? kind}`, enforceEnums: true, kinds, types };
}

function crdType(schema: Record<string, unknown>, name: string, types: Record<string, SchemaType>, depth: number): SchemaType {
  const props = asObject(schema.properties) ?? {};
  const p: Record<string, SchemaProperty> = {};
  for (const [key, sub] of Object.entries(props)) {
    const s = asObject(sub);
    if (!s) continue;
    const d = typeof s.description === 'string' ? s.description : undefined;
    const e = Array.isArray(s.enum) && s.enum.every((x) => typeof x === 'string') ? s.enum : undefined;
    p[key] = { t: crdRef(s, `${name}.${key}`, types, depth + 1), ...(d ? { d } : {}), ...(e ? { e } : {}) };
  }
  const r = Array.isArray(schema.required) ? schema.required.filter((x): x is string => typeof x === 'string') : [];
  const add = asObject(schema.additionalProperties);
  const d = typeof schema.description === 'string' ? schema.description : undefined;
  const open = schema['x-kubernetes-preserve-unknown-fields'] === true || schema.additionalProperties === true;
  return {
    ...(d ? { d } : {}),
    ...(Object.keys(p).length ? { p } : {}),
    ...(r.length ? { r } : {}),
    ...(add ? { a: crdRef(add, `${name}{}`, types, depth + 1) } : {}),
    ...(open ? { x: 1 as const } : {}),
  };
}

function crdRef(s: Record<string, unknown>, name: string, types: Record<string, SchemaType>, depth: number): string {
  if (depth > 64) return 'any';
  if (s['x-kubernetes-int-or-string'] === true) return 'int-or-string';
  switch (s.type) {
    case 'string':
      return s.format === 'date-time' ? 'date-time' : s.format === 'byte' ? 'byte' : 'string';
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array': {
      const items = asObject(s.items);
      return items ? `[]${crdRef(items, `${name}[]`, types, depth + 1)}` : '[]any';
    }
    case 'object': {
      const hasProps = asObject(s.properties) !== undefined;
      const add = asObject(s.additionalProperties);
      if (!hasProps && add) return `{}${crdRef(add, `${name}{}`, types, depth + 1)}`;
      if (!hasProps) return 'any';
      types[name] = crdType(s, name, types, depth);
      return name;
    }
    default:
      return 'any';
  }
}
