import type { KubeObject } from './types';
/** Legacy discovery documents (`/version`, `/api`, `/apis`, `/api/v1`, `/apis/{g}/{v}`) and a minimal `/openapi/v3` index. */
import { createHash } from 'node:crypto';
import type { ResourceRegistry } from './registry';
import type { ResourceDef } from './resources';

export const KUBE_GIT_VERSION = 'v1.33.2';

export function versionInfo(): Record<string, string> {
  return {
    major: '1',
    minor: '33',
    gitVersion: KUBE_GIT_VERSION,
    gitCommit: 'a57b6f7709f6c2722b92f07b8b4c48210a51fc40',
    gitTreeState: 'clean',
    buildDate: '2025-06-17T18:36:11Z',
    goVersion: 'go1.24.4',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function apiGroupList(registry: ResourceRegistry): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry.groups().map(({ group, versions }) => {
      const gvs = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
      return { name: group, versions: gvs, preferredVersion: gvs[0] };
    }),
  };
}

function storageVersionHash(def: ResourceDef): string {
  return createHash('sha256').update(`${def.group}/${def.version}/${def.kind}`).digest('base64').slice(0, 11);
}

export function apiResourceList(registry: ResourceRegistry, group: string, version: string): Record<string, unknown> {
  const resources: Record<string, unknown>[] = [];
  for (const def of registry.resourcesOf(group, version)) {
    resources.push({
      name: def.plural,
      singularName: def.singular,
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: [...def.verbs],
      ...(def.shortNames.length > 0 ? { shortNames: [...def.shortNames] } : {}),
      ...(def.categories.length > 0 ? { categories: [...def.categories] } : {}),
      ...(def.verbs.includes('list') ? { storageVersionHash: storageVersionHash(def) } : {}),
    });
    for (const sub of def.subresources) {
      if (sub === 'scale') {
        resources.push({
          name: `${def.plural}/scale`,
          singularName: '',
          namespaced: def.namespaced,
          group: 'autoscaling',
          version: 'v1',
          kind: 'Scale',
          verbs: ['get', 'patch', 'update'],
        });
      } else if (sub === 'log') {
        resources.push({ name: `${def.plural}/log`, singularName: '', namespaced: def.namespaced, kind: def.kind, verbs: ['get'] });
      } else {
        resources.push({
          name: `${def.plural}/${sub}`,
          singularName: '',
          namespaced: def.namespaced,
          kind: def.kind,
          verbs: ['get', 'patch', 'update'],
        });
      }
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

/** `/openapi/v3`: the index of group-version documents (each served as an empty OpenAPI document). */
export function openApiIndex(registry: ResourceRegistry): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = { 'api/v1': { serverRelativeURL: '/openapi/v3/api/v1?hash=0' } };
  for (const { group, versions } of registry.groups()) {
    for (const v of versions) paths[`apis/${group}/${v}`] = { serverRelativeURL: `/openapi/v3/apis/${group}/${v}?hash=0` };
  }
  return { paths };
}

/**
 * `/openapi/v3/{api/v1|apis/g/v}`: one PATCH operation per resource with its GVK and the `fieldValidation`
 * parameter, which is what kubectl's query-parameter verifier looks for before `apply`/`create`. No schemas.
 */
export function openApiDocument(
  registry: ResourceRegistry,
  group: string,
  version: string,
  crds: readonly KubeObject[] = [],
): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const prefix = group ? `/apis/${group}/${version}` : '/api/v1';
  for (const def of registry.resourcesOf(group, version)) {
    if (!def.verbs.includes('patch')) continue;
    const path = def.namespaced ? `${prefix}/namespaces/{namespace}/${def.plural}/{name}` : `${prefix}/${def.plural}/{name}`;
    paths[path] = {
      patch: {
        operationId: `patch${def.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group, version, kind: def.kind },
        parameters: ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({
          name,
          in: 'query',
          schema: { type: 'string', uniqueItems: true },
        })),
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: KUBE_GIT_VERSION },
    paths,
    components: { schemas: crdComponentSchemas(crds, group, version) },
  };
}

/**
 * As the apiserver publishes a CRD version: its openAPIV3Schema under `<reversed group>.<version>.<Kind>`, with the
 * GVK extension and `metadata` pointing at ObjectMeta.
 */
function crdComponentSchemas(crds: readonly KubeObject[], group: string, version: string): Record<string, unknown> {
  const schemas: Record<string, unknown> = {};
  for (const crd of crds) {
    const spec = crd.spec as
      | {
          group?: string;
          names?: { kind?: string };
          versions?: { name?: string; schema?: { openAPIV3Schema?: Record<string, unknown> } }[];
        }
      | undefined;
    if (spec?.group !== group || !spec.names?.kind) continue;
    const v = spec.versions?.find((x) => x.name === version);
    const schema = v?.schema?.openAPIV3Schema;
    if (!schema) continue;
    const properties = { ...((schema.properties as Record<string, unknown> | undefined) ?? {}) };
    properties.metadata = { allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }] };
    const name = `${group.split('.').reverse().join('.')}.${version}.${spec.names.kind}`;
    schemas[name] = { ...schema, properties, 'x-kubernetes-group-version-kind': [{ group, version, kind: spec.names.kind }] };
    schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'] = {
      type: 'object',
      properties: { name: { type: 'string' }, namespace: { type: 'string' } },
    };
  }
  return schemas;
}
