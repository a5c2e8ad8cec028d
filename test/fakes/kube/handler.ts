/**
 * The REST layer of the fake: maps Kubernetes API paths and verbs onto the generic store.
 *
 * Paths: `/api/v1/...` and `/apis/{group}/{version}/...`, namespaced (`namespaces/{ns}/{resource}[/{name}[/{sub}]]`),
 * cluster-scoped and all-namespaces collections, legacy `watch/` prefixes, subresources `status`, `scale`, `log`.
 * Lists of built-in kinds omit `apiVersion`/`kind` on their items, exactly like the apiserver (CRD lists keep them).
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { apiGroupList, apiResourceList, apiVersions, openApiDocument, openApiIndex, versionInfo } from './discovery';
import { serverSideApply, trackUpdate } from './serverSideApply';
import { applyPatch, checkTypeMeta, dryRunOf, parseBody, parseObject } from './requestBody';
import type { ResourceDef } from './resources';
import { apiVersionOf, isVirtual } from './resources';
import type { ObjectFilter } from './selectors';
import { parseFieldSelector, parseLabelSelector } from './selectors';
import { badRequest, failureStatus, KubeStatusError, methodNotAllowed, notFound, successStatus } from './status';
import type { KubeStore } from './store';
import type { IncludeObject, ResponseShape } from './table';
import { buildTable, contentTypeFor, negotiateShape, partialObjectMetadata } from './table';
import type { KubeObject } from './types';
import { getPath, isRecord, kubeTimestamp, setPath } from './types';
import type { WatchConfig } from './watch';
import { startWatch } from './watch';
import type { PodLogs } from './podLogs';
import { accessReviewBody, podLog, scaleOf, selfSubjectReviewBody } from './subresources';

export interface UserInfo {
  readonly username: string;
  readonly groups: readonly string[];
}

/** What RBAC would look at. `namespace` is undefined for cluster-scoped and all-namespaces requests. */
export interface RequestAttributes {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
}

export interface KubeRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly user: UserInfo;
}

export interface HandlerDeps {
  readonly store: KubeStore;
  readonly serverAddress: () => string;
  /** Returns a 403 error when the user may not do this. */
  readonly authorize: (attrs: RequestAttributes, user: UserInfo) => KubeStatusError | undefined;
  readonly watch: WatchConfig;
  /** Pod logs with follow/tail/since/previous (podLogs.ts); without it, a fixed text answer. */
  readonly logs?: PodLogs;
}

export interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string>;
}

export type HandlerResult = Reply | 'streaming';

function json(status: number, body: unknown, contentType = 'application/json'): Reply {
  return { status, body: JSON.stringify(body), headers: { 'content-type': contentType } };
}

function text(status: number, body: string): Reply {
  return { status, body, headers: { 'content-type': 'text/plain; charset=utf-8' } };
}

const PAGE_NOT_FOUND = (): KubeStatusError =>
  new KubeStatusError(
    failureStatus(404, 'the server could not find the requested resource', 'NotFound', {
      causes: [{ reason: 'UnexpectedServerResponse', message: '404 page not found' }],
    }),
  );

interface ResourcePath {
  readonly def: ResourceDef;
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
  readonly watchPrefix: boolean;
}

/** Resolves `rest` (the segments after /api/v1 or /apis/g/v) against the served resources. */
function resolvePath(store: KubeStore, group: string, version: string, rest: string[]): ResourcePath {
  let parts = rest;
  let watchPrefix = false;
  if (parts[0] === 'watch') {
    watchPrefix = true;
    parts = parts.slice(1);
  }
  let namespace: string | undefined;
  if (parts[0] === 'namespaces' && parts.length >= 3) {
    const candidate = store.registry.resolve(group, version, parts[2] ?? '');
    if (candidate?.namespaced) {
      namespace = parts[1];
      parts = parts.slice(2);
    }
  }
  const [plural, name, subresource, ...extra] = parts;
  const def = store.registry.resolve(group, version, plural ?? '');
  if (!def || extra.length > 0 || (namespace !== undefined && !def.namespaced)) throw PAGE_NOT_FOUND();
  if (subresource !== undefined && !(def.subresources as readonly string[]).includes(subresource)) throw PAGE_NOT_FOUND();
  return {
    def,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
    watchPrefix,
  };
}

function filterOf(def: ResourceDef, url: URL): ObjectFilter {
  return {
    labels: parseLabelSelector(url.searchParams.get('labelSelector') ?? undefined),
    fields: parseFieldSelector(url.searchParams.get('fieldSelector') ?? undefined, def.fieldSelectors),
  };
}

function servedAs(def: ResourceDef, obj: KubeObject): KubeObject {
  const apiVersion = apiVersionOf(def);
  return obj.apiVersion === apiVersion ? obj : { ...obj, apiVersion };
}

/** Items of built-in lists carry no TypeMeta on the wire. */
function listItem(def: ResourceDef, obj: KubeObject): unknown {
  if (def.crdName) return servedAs(def, obj);
  const rest: Partial<KubeObject> = { ...obj };
  delete rest.apiVersion;
  delete rest.kind;
  return rest;
}

function singleReply(def: ResourceDef, obj: KubeObject, status: number, shape: ResponseShape, includeObject: IncludeObject): Reply {
  if (shape === 'table')
    return json(status, buildTable(def, [obj], { resourceVersion: '' }, includeObject), contentTypeFor('table', false));
  if (shape === 'metadata') return json(status, partialObjectMetadata(obj), contentTypeFor('metadata', false));
  return json(status, servedAs(def, obj));
}

function includeObjectOf(url: URL): IncludeObject {
  const v = url.searchParams.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

function verbOf(method: string, path: ResourcePath, watch: boolean): string {
  const named = path.name !== undefined;
  switch (method) {
    case 'GET':
    case 'HEAD':
      return watch ? 'watch' : named ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

// ------------------------------------------------------------------ the handler

/** Handles one request. Throws KubeStatusError for API errors; returns 'streaming' when a watch took over `res`. */
export function handleKubeRequest(req: KubeRequest, res: ServerResponse, deps: HandlerDeps): HandlerResult {
  const { url } = req;
  const segments = url.pathname
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
  const method = req.method.toUpperCase();
  const path = url.pathname.replace(/\/+$/, '') || '/';

  switch (path) {
    case '/version':
      return json(200, versionInfo());
    case '/healthz':
    case '/livez':
    case '/readyz':
      return text(200, 'ok');
    case '/api':
      return json(200, apiVersions(deps.serverAddress()));
    case '/apis':
      return json(200, apiGroupList(deps.store.registry));
    case '/openapi/v3':
      return json(200, openApiIndex(deps.store.registry));
    default:
      break;
  }
  if (path.startsWith('/openapi/v3/')) {
    const gv = segments.slice(2);
    const [g, v] = gv[0] === 'api' ? ['', gv[1] ?? ''] : [gv[1] ?? '', gv[2] ?? ''];
    if (!deps.store.registry.hasGroupVersion(g, v)) throw PAGE_NOT_FOUND();
    const crdDef = deps.store.mustDef('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
    const crds = deps.store.list(crdDef, { filter: { labels: [], fields: [] } }).items;
    return json(200, openApiDocument(deps.store.registry, g, v, crds));
  }

  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments[1] === 'v1') {
    group = '';
    version = 'v1';
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 2) {
    group = segments[1] ?? '';
    const groupInfo = deps.store.registry.groups().find((g) => g.group === group);
    if (segments.length === 2) {
      if (!groupInfo) throw PAGE_NOT_FOUND();
      const versions = groupInfo.versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
      return json(200, { kind: 'APIGroup', apiVersion: 'v1', name: group, versions, preferredVersion: versions[0] });
    }
    version = segments[2] ?? '';
    rest = segments.slice(3);
  } else {
    throw PAGE_NOT_FOUND();
  }
  if (!deps.store.registry.hasGroupVersion(group, version)) throw PAGE_NOT_FOUND();
  if (rest.length === 0) {
    if (method !== 'GET') throw methodNotAllowed();
    return json(200, apiResourceList(deps.store.registry, group, version));
  }

  const target = resolvePath(deps.store, group, version, rest);
  const { def } = target;
  const watch = target.watchPrefix || url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
  const verb = verbOf(method, target, watch);
  const allowedVerbs = target.subresource === 'log' ? ['get'] : target.subresource ? ['get', 'update', 'patch'] : def.verbs;
  if (!allowedVerbs.includes(verb)) throw methodNotAllowed();
  if (target.name === undefined && (verb === 'update' || verb === 'patch')) throw methodNotAllowed();
  if (target.name !== undefined && verb === 'create') throw methodNotAllowed();

  const denied = deps.authorize(
    {
      verb,
      group: def.group,
      resource: def.plural,
      ...(target.subresource !== undefined ? { subresource: target.subresource } : {}),
      ...(target.namespace !== undefined ? { namespace: target.namespace } : {}),
      ...(target.name !== undefined ? { name: target.name } : {}),
    },
    req.user,
  );
  if (denied) throw denied;

  if (isVirtual(def)) {
    if (def.kind === 'SelfSubjectAccessReview') return json(201, accessReviewBody(parseObject(req), req.user, deps.authorize));
    return json(201, selfSubjectReviewBody(req.user));
  }

  const store = deps.store;
  const shape = negotiateShape(typeof req.headers.accept === 'string' ? req.headers.accept : undefined);
  const includeObject = includeObjectOf(url);
  const namespace = def.namespaced ? target.namespace : undefined;

  // ---- collection verbs
  if (verb === 'watch') {
    const filter = filterOf(def, url);
    const fields =
      target.name !== undefined ? [...filter.fields, { field: 'metadata.name', negate: false, value: target.name }] : filter.fields;
    const timeout = Number(url.searchParams.get('timeoutSeconds') ?? NaN);
    const rv = url.searchParams.get('resourceVersion');
    const sendInitial = url.searchParams.get('sendInitialEvents');
    const transform = (obj: KubeObject): unknown =>
      shape === 'table'
        ? buildTable(def, [obj], { resourceVersion: obj.metadata.resourceVersion ?? '' }, includeObject)
        : shape === 'metadata'
          ? partialObjectMetadata(obj)
          : obj;
    startWatch(
      store,
      {
        def,
        ...(namespace !== undefined ? { namespace } : {}),
        filter: { labels: filter.labels, fields },
        ...(rv !== null ? { resourceVersion: rv } : {}),
        allowBookmarks: url.searchParams.get('allowWatchBookmarks') === 'true',
        ...(sendInitial !== null ? { sendInitialEvents: sendInitial === 'true' } : {}),
        ...(Number.isFinite(timeout) ? { timeoutSeconds: timeout } : {}),
        servedApiVersion: apiVersionOf(def),
        transform,
        contentType: contentTypeFor(shape, false),
      },
      res,
      deps.watch,
    );
    return 'streaming';
  }

  if (verb === 'list') {
    const limitText = url.searchParams.get('limit');
    const limit = limitText === null ? undefined : Number(limitText);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) throw badRequest(`invalid limit: ${limitText ?? ''}`);
    const cont = url.searchParams.get('continue');
    const result = store.list(def, {
      ...(namespace !== undefined ? { namespace } : {}),
      filter: filterOf(def, url),
      ...(limit !== undefined ? { limit } : {}),
      ...(cont ? { continueToken: cont } : {}),
    });
    const metadata = {
      resourceVersion: result.resourceVersion,
      ...(result.continueToken !== undefined ? { continue: result.continueToken } : {}),
      ...(result.remainingItemCount !== undefined ? { remainingItemCount: result.remainingItemCount } : {}),
    };
    if (shape === 'table') return json(200, buildTable(def, result.items, metadata, includeObject), contentTypeFor('table', true));
    if (shape === 'metadata') {
      return json(
        200,
        { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata, items: result.items.map(partialObjectMetadata) },
        contentTypeFor('metadata', true),
      );
    }
    const body = `{"kind":${JSON.stringify(def.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(def))},"metadata":${JSON.stringify(metadata)},"items":[${result.items.map((o) => JSON.stringify(listItem(def, o))).join(',')}]}`;
    return { status: 200, body, headers: { 'content-type': 'application/json' } };
  }

  if (verb === 'create') {
    const obj = parseObject(req);
    checkTypeMeta(def, obj);
    if (def.namespaced) {
      if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      if (namespace === undefined) throw methodNotAllowed('POST requires a namespace for a namespaced resource');
      obj.metadata.namespace = namespace;
    }
    const created = store.create(def, obj, { dryRun: dryRunOf(url) });
    return singleReply(def, created, 201, shape, includeObject);
  }

  if (verb === 'deletecollection') {
    let body: unknown;
    if (req.body.trim() !== '') body = parseBody(req);
    const dryRun = dryRunOf(url, body);
    const items = store.list(def, { ...(namespace !== undefined ? { namespace } : {}), filter: filterOf(def, url) }).items;
    if (!dryRun)
      for (const obj of items)
        store.delete(def, obj.metadata.namespace, obj.metadata.name ?? '', {
          propagationPolicy: url.searchParams.get('propagationPolicy') ?? 'Background',
        });
    return json(200, successStatus());
  }

  // ---- named verbs
  const name = target.name ?? '';
  const current = (): KubeObject => {
    const obj = store.get(def, namespace, name);
    if (!obj) throw notFound(def.group, def.plural, name);
    return obj;
  };

  if (verb === 'get') {
    const obj = current();
    if (target.subresource === 'scale') return json(200, scaleOf(def, obj));
    if (target.subresource === 'log') return deps.logs ? deps.logs.serve(obj, url, res) : text(200, podLog(obj, url));
    return singleReply(def, obj, 200, shape, includeObject);
  }

  if (verb === 'delete') {
    let body: unknown;
    if (req.body.trim() !== '') body = parseBody(req);
    const opts = isRecord(body) ? body : {};
    const pre = isRecord(opts['preconditions']) ? opts['preconditions'] : {};
    const policy =
      url.searchParams.get('propagationPolicy') ?? (typeof opts['propagationPolicy'] === 'string' ? opts['propagationPolicy'] : undefined);
    const deleted = store.delete(def, namespace, name, {
      dryRun: dryRunOf(url, body),
      preconditions: {
        ...(typeof pre['uid'] === 'string' ? { uid: pre['uid'] } : {}),
        ...(typeof pre['resourceVersion'] === 'string' ? { resourceVersion: pre['resourceVersion'] } : {}),
      },
      ...(policy !== undefined ? { propagationPolicy: policy } : {}),
    });
    const now = kubeTimestamp();
    if (def.group === '' && def.kind === 'Pod') {
      const grace = Number(url.searchParams.get('gracePeriodSeconds') ?? opts['gracePeriodSeconds'] ?? 30);
      return json(200, { ...deleted, metadata: { ...deleted.metadata, deletionTimestamp: now, deletionGracePeriodSeconds: grace } });
    }
    if (def.group === '' && def.kind === 'Namespace') {
      return json(200, { ...deleted, metadata: { ...deleted.metadata, deletionTimestamp: now }, status: { phase: 'Terminating' } });
    }
    return json(
      200,
      successStatus({
        name,
        ...(def.group ? { group: def.group } : {}),
        kind: def.plural,
        ...(deleted.metadata.uid ? { uid: deleted.metadata.uid } : {}),
      }),
    );
  }

  // update / patch
  const dryRun = dryRunOf(url);
  if (target.subresource === 'scale') {
    const obj = current();
    let scale: unknown;
    if (verb === 'update') scale = parseBody(req);
    else scale = applyPatch(req, scaleOf(def, obj));
    if (!isRecord(scale)) throw badRequest('the body of the request must be a Scale object');
    const wantedRv = getPath(scale, 'metadata.resourceVersion');
    if (typeof wantedRv === 'string' && wantedRv !== '' && wantedRv !== obj.metadata.resourceVersion) {
      throw new KubeStatusError(
        failureStatus(
          409,
          `Operation cannot be fulfilled on ${def.group ? `${def.plural}.${def.group}` : def.plural} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
          'Conflict',
          { name, ...(def.group ? { group: def.group } : {}), kind: def.plural },
        ),
      );
    }
    const replicas = getPath(scale, 'spec.replicas');
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw new KubeStatusError(
        failureStatus(
          422,
          `Scale.autoscaling "${name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`,
          'Invalid',
          {
            name,
            group: 'autoscaling',
            kind: 'Scale',
            causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: must be greater than or equal to 0', field: 'spec.replicas' }],
          },
        ),
      );
    }
    const next = structuredClone(obj);
    setPath(next, (def.scalePaths?.specReplicasPath ?? '.spec.replicas').replace(/^\./, ''), replicas);
    const { object } = store.update(def, next, { scope: 'main', dryRun });
    return json(200, scaleOf(def, object));
  }

  const scope = target.subresource === 'status' ? 'status' : 'main';
  if (verb === 'update') {
    const obj = parseObject(req);
    checkTypeMeta(def, obj);
    if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
      throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (def.namespaced && obj.metadata.namespace && obj.metadata.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    obj.metadata.name = name;
    if (namespace !== undefined) obj.metadata.namespace = namespace;
    const { object } = store.update(def, obj, { scope, dryRun });
    return singleReply(def, object, 200, shape, includeObject);
  }

  // patch
  const contentType =
    String(req.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim()
      .toLowerCase() ?? '';
  const existing = store.get(def, namespace, name);
  if (contentType === 'application/apply-patch+yaml') {
    const manager = url.searchParams.get('fieldManager');
    if (!manager) throw badRequest('PATCH, application/apply-patch+yaml requires fieldManager to be set');
    const applied = parseObject(req);
    checkTypeMeta(def, applied);
    if (applied.metadata.name !== undefined && applied.metadata.name !== name)
      throw badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${name})`);
    if (def.namespaced && applied.metadata.namespace && applied.metadata.namespace !== namespace)
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    if (!existing && target.subresource) throw notFound(def.group, def.plural, name);
    applied.metadata = { ...applied.metadata, name, ...(namespace !== undefined ? { namespace } : {}) };
    const next = serverSideApply(existing, applied, manager, url.searchParams.get('force') === 'true', def.group, kubeTimestamp());
    if (!existing) return singleReply(def, store.create(def, next, { dryRun }), 201, shape, includeObject);
    next.metadata.resourceVersion = existing.metadata.resourceVersion;
    const { object } = store.update(def, next, { scope, dryRun });
    return singleReply(def, object, 200, shape, includeObject);
  }
  if (!existing) throw notFound(def.group, def.plural, name);
  const patched = applyPatch(req, existing);
  if (!isRecord(patched) || !isRecord(patched['metadata'])) throw badRequest('the patch produced an object without metadata');
  const next = patched as KubeObject;
  if (next.metadata.resourceVersion === undefined) next.metadata.resourceVersion = existing.metadata.resourceVersion;
  if (!target.subresource) {
    const agent = String(req.headers['user-agent'] ?? '').split('/')[0] ?? '';
    trackUpdate(existing, next, url.searchParams.get('fieldManager') ?? (agent || 'unknown'), kubeTimestamp());
  }
  const { object } = store.update(def, next, { scope, dryRun });
  return singleReply(def, object, 200, shape, includeObject);
}
