// The peer for the lint benchmark: yaml-language-server (the engine of the Red Hat YAML extension) validating the
// same corpus against a local Kubernetes JSON schema. The schema is made from our bundled 1.33 table in the
// layout of the kubernetes-json-schema "all.json" (one oneOf branch per kind, strict: unknown fields rejected),
// so both tools check the same fields; nothing is fetched.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getLanguageService } from 'yaml-language-server/out/server/src/languageservice/yamlLanguageService';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { SchemaTable } from '../src/core/manifests/schema/schemaTypes';

type JsonSchema = Record<string, unknown>;

function ref(t: string): JsonSchema {
  switch (t) {
    case 'string':
    case 'byte':
      return { type: 'string' };
    case 'integer':
    case 'number':
    case 'boolean':
      return { type: t };
    case 'int-or-string':
      return { oneOf: [{ type: 'string' }, { type: 'integer' }] };
    case 'quantity':
      return { oneOf: [{ type: 'string' }, { type: 'number' }] };
    case 'date-time':
      return { type: 'string', format: 'date-time' };
    case 'any':
      return {};
  }
  if (t.startsWith('[]')) return { type: 'array', items: ref(t.slice(2)) };
  if (t.startsWith('{}')) return { type: 'object', additionalProperties: ref(t.slice(2)) };
  return { $ref: `#/definitions/${pointer(t)}` };
}

/** A strict JSON schema for every kind of a (non-delta) table. */
export function kubernetesJsonSchema(table: SchemaTable): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  for (const [name, type] of Object.entries(table.types)) {
    definitions[pointer(name)] = {
      type: 'object',
      ...(type.d ? { description: type.d } : {}),
      properties: Object.fromEntries(
        Object.entries(type.p ?? {}).map(([k, p]) => [k, { ...ref(p.t), ...(p.d ? { description: p.d } : {}) }]),
      ),
      ...(type.r?.length ? { required: type.r } : {}),
      additionalProperties: type.a ? ref(type.a) : type.x ? true : false,
    };
  }
  const oneOf = Object.entries(table.kinds).map(([key, type]) => {
    const kind = key.slice(key.lastIndexOf('/') + 1);
    const apiVersion = key.slice(0, key.lastIndexOf('/'));
    return {
      allOf: [{ $ref: `#/definitions/${pointer(type)}` }, { properties: { apiVersion: { const: apiVersion }, kind: { const: kind } } }],
    };
  });
  return { $schema: 'http://json-schema.org/draft-07/schema#', definitions, oneOf };
}

export interface YamlLsValidator {
  validate(uri: string, text: string): Promise<number>;
}

export function createYamlLanguageServer(): YamlLsValidator {
  const table = JSON.parse(
    readFileSync(join(__dirname, '..', 'src', 'core', 'manifests', 'schema', 'generated', 'k8s-1.33.json'), 'utf8'),
  ) as SchemaTable;
  const schema = kubernetesJsonSchema(table);
  const schemaUri = 'file:///clusterdeck-bench/kubernetes-1.33-all.json';
  const ls = getLanguageService({
    schemaRequestService: (uri: string) =>
      uri === schemaUri ? Promise.resolve(JSON.stringify(schema)) : Promise.reject(new Error(`offline: ${uri}`)),
    workspaceContext: { resolveRelativePath: (relativePath: string) => relativePath },
  });
  ls.configure({
    validate: true,
    hover: false,
    completion: false,
    isKubernetes: true,
    schemas: [{ uri: schemaUri, fileMatch: ['*.yaml'] }],
  });
  let version = 0;
  return {
    async validate(uri, text) {
      const doc = TextDocument.create(uri, 'yaml', ++version, text);
      return (await ls.doValidation(doc, true)).length;
    },
  };
}

/** A definition key: type names contain `/` (`apps/v1.DeploymentSpec`), which yaml-language-server's $ref resolution does not take even escaped. */
function pointer(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_');
}
