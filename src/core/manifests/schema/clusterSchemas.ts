import { schemaFor, tableFromCrd } from './schemaCatalog';
import type { SchemaTable, SchemaType } from './schemaTypes';

/** What a cluster publishes: its /version and the /openapi/v3 documents of its non-built-in groups. */
export interface ClusterOpenApi {
  /** `gitVersion` of the cluster, e.g. `v1.31.4`. */
  readonly gitVersion?: string;
  /** Parsed /openapi/v3 group-version documents. */
  readonly documents: readonly unknown[];
}

/** A cluster's schemas as the linter uses them: extra tables for its custom kinds, and its Kubernetes minor. */
export interface ClusterSchemas {
  readonly context: string;
  readonly kubernetesVersion?: string;
  readonly table: SchemaTable;
  /** When it was fetched (ISO), for "refresh" prompts and cache display. */
  readonly fetchedAt: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Turns a cluster's /openapi/v3 documents into one schema table of its custom kinds: every component schema with an
 * `x-kubernetes-group-version-kind` whose group the bundled tables do not cover (`isBuiltinGroup`) is read as a
 * CRD version (local `$ref`s inlined, depth-limited; `metadata` is the standard ObjectMeta).
 */
export function tableFromClusterOpenApi(api: ClusterOpenApi, isBuiltinGroup: (group: string) => boolean, context: string): SchemaTable {
  const kinds: Record<string, string> = {};
  const types: Record<string, SchemaType> = {};
  for (const doc of api.documents) {
    const schemas = isObject(doc) && isObject(doc.components) && isObject(doc.components.schemas) ? doc.components.schemas : {};
    for (const schema of Object.values(schemas)) {
      if (!isObject(schema)) continue;
      const gvks = Array.isArray(schema['x-kubernetes-group-version-kind']) ? schema['x-kubernetes-group-version-kind'] : [];
      for (const gvk of gvks) {
        if (!isObject(gvk) || typeof gvk.group !== 'string' || typeof gvk.version !== 'string' || typeof gvk.kind !== 'string') continue;
        if (!gvk.group || isBuiltinGroup(gvk.group) || gvk.kind.endsWith('List')) continue;
        const inlined = inlineRefs(schema, schemas, 0) as Json;
        const properties = isObject(inlined.properties) ? { ...inlined.properties } : {};
        delete properties.metadata;
        const table = tableFromCrd({
          kind: 'CustomResourceDefinition',
          metadata: { name: `${gvk.kind.toLowerCase()}s.${gvk.group}` },
          spec: {
            group: gvk.group,
            names: { kind: gvk.kind },
            versions: [{ name: gvk.version, served: true, schema: { openAPIV3Schema: { ...inlined, properties } } }],
          },
        });
        if (!table) continue;
        Object.assign(kinds, table.kinds);
        Object.assign(types, table.types);
      }
    }
  }
  return { source: `cluster ${context} (/openapi/v3)`, enforceEnums: true, kinds, types };
}

function inlineRefs(node: unknown, schemas: Json, depth: number): unknown {
  if (depth > 32) return {};
  if (Array.isArray(node)) return node.map((n) => inlineRefs(n, schemas, depth + 1));
  if (!isObject(node)) return node;
  const ref = typeof node.$ref === 'string' ? node.$ref : isSingleRefAllOf(node);
  if (ref) {
    const name = ref.replace('#/components/schemas/', '');
    const target = schemas[name];
    return isObject(target) ? inlineRefs(target, schemas, depth + 1) : {};
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = inlineRefs(v, schemas, depth + 1);
  return out;
}

/** `allOf: [{$ref}]` is how /openapi/v3 wraps a reference that carries a description or default. */
function isSingleRefAllOf(node: Json): string | undefined {
  const all = node.allOf;
  if (Array.isArray(all) && all.length === 1 && isObject(all[0]) && typeof all[0].$ref === 'string') return all[0].$ref;
  return undefined;
}

/** True for API groups whose schemas are bundled (built-in Kubernetes groups and the bundled CRD groups). */
export function isBundledGroup(group: string): boolean {
  bundledGroups ??= new Set(
    schemaFor()
      .kinds()
      .map((key) => key.split('/'))
      .map((parts) => (parts.length === 3 ? (parts[0] ?? '') : '')),
  );
  return bundledGroups.has(group);
}
let bundledGroups: Set<string> | undefined;

/** `v1.31.4` → `1.31`. */
export function minorOf(gitVersion: string | undefined): string | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(gitVersion ?? '');
  return m ? `${m[1]}.${m[2]}` : undefined;
}

/** The port to cached and live cluster schemas (node/ implements it over the Kubernetes client and files). */
export interface ClusterSchemaSource {
  /** The cached schemas of a context, without contacting the cluster. */
  load(context: string): Promise<ClusterSchemas | undefined>;
  /** Fetches the context's /openapi/v3 (custom groups) and /version, caches and returns them. */
  refresh(context: string, signal: AbortSignal): Promise<ClusterSchemas>;
}
