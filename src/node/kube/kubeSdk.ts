// The Kubernetes client chunk. Built as its own file (dist/kubeSdk.js) and loaded only through
// loadKubeSdk(), so activation never pays for @kubernetes/client-node.
import { constants as fsConstants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import {
  CoreV1Api,
  KubeConfig,
  Observable,
  type ConfigurationOptions,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import { ClusterDeckError, CancelledError } from '../../core/errors';
import type { ResolvedContext } from '../../core/kube/kubeconfig';
import type {
  AccessQuery,
  KubeClient,
  ListOptions,
  WatchOptions,
  NamespaceSummary,
  ObjectListOptions,
  Page,
  PodSummary,
  TableRowSummary,
} from '../../core/kube/kubeClient';
import { collectionPath, type ResourceKind } from '../../core/kube/resourceKinds';
import type { ClusterOpenApi } from '../../core/manifests/schema/clusterSchemas';
import { retryDecision } from '../../core/kube/retryPolicy';
import { allowPlainHttpSetting, decidePlainHttp } from '../../core/kube/plainHttp';
import { servedKind } from '../../core/kube/servedKinds';
import { mapKubeError } from './kubeErrors';
import { getJson } from './kubeHttp';
import { streamWatch } from './kubeWatch';
import { streamPodLogs } from './kubeLogs';
import { proxyGet } from './kubeProxy';
import { remoteActions } from './remoteActions';

export interface SdkClientOptions {
  readonly requestTimeoutMs: number;
  /** The user listed this context in `clusterdeck.clusters.allowPlainHttp` (plain http, loopback included). */
  readonly allowPlainHttp?: (contextName: string) => boolean;
  /** Called after every request with a one-line, secret-free summary. */
  readonly onRequest?: (line: string) => void;
}

/**
 * Checks the certificate and key material a context names before the client sees it (catalogue B10–B13): a file
 * that cannot be read, or `*-data` that is not base64 of a PEM block, or an encrypted key, is a `badConfig` error
 * naming the field (and the path), never the value. Without this, client-node throws a raw ENOENT or silently
 * drops undecodable CA data (the handshake then fails as "not trusted").
 */
async function checkTlsMaterial(resolved: ResolvedContext): Promise<void> {
  const { context, cluster, user } = resolved;
  // client-node knows http(s) and socks proxies; any other scheme would hang or go direct (catalogue B15). Only the
  // scheme is named: a proxy URL may carry credentials.
  if (cluster.proxyUrl) {
    let scheme = '';
    try {
      scheme = new URL(cluster.proxyUrl).protocol;
    } catch {
      scheme = 'not a URL';
    }
    if (!/^(https?|socks[45]?[ah]?):$/.test(scheme)) {
      throw new ClusterDeckError(
        'badConfig',
        `The proxy-url of cluster "${cluster.name}" (scheme ${scheme}) is not supported; use an http://, https:// or socks5:// proxy URL.`,
        { file: context.sourcePath },
      );
    }
  }
  // kubectl's policy (catalogue B13): a CA and insecure-skip-tls-verify together are refused, never half-applied.
  if (cluster.insecureSkipTlsVerify && (cluster.certificateAuthorityData || cluster.certificateAuthorityFile)) {
    throw new ClusterDeckError(
      'badConfig',
      `Cluster "${cluster.name}" of context "${context.name}" sets both insecure-skip-tls-verify and a certificate authority, which kubectl refuses too; remove one of them.`,
      { file: context.sourcePath },
    );
  }
  const files: [string, string | undefined][] = [
    ['certificate-authority', cluster.certificateAuthorityFile],
    ['client-certificate', user.clientCertificateFile],
    ['client-key', user.clientKeyFile],
  ];
  for (const [field, path] of files) {
    if (!path) continue;
    try {
      await access(path, fsConstants.R_OK);
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'unreadable';
      throw new ClusterDeckError(
        'badConfig',
        `The ${field} file ${path} of context "${context.name}" cannot be read (${code}); fix the path in the kubeconfig.`,
        { file: context.sourcePath },
      );
    }
  }
  const data: [string, string | undefined][] = [
    ['certificate-authority-data', cluster.certificateAuthorityData],
    ['client-certificate-data', user.clientCertificateData],
    ['client-key-data', user.clientKeyData],
  ];
  for (const [field, value] of data) {
    if (!value) continue;
    const compact = value.replace(/\s+/g, '');
    const pem = /^[A-Za-z0-9+/]*={0,2}$/.test(compact) ? Buffer.from(compact, 'base64').toString('latin1') : '';
    if (!pem.includes('-----BEGIN ')) {
      throw new ClusterDeckError(
        'badConfig',
        `The ${field} of context "${context.name}" is not valid base64/PEM; paste the base64 of the PEM file there.`,
        { file: context.sourcePath },
      );
    }
    if (field === 'client-key-data' && /-----BEGIN (ENCRYPTED|.* ENCRYPTED)|Proc-Type: 4,ENCRYPTED/.test(pem)) {
      throw new ClusterDeckError(
        'badConfig',
        `The client-key-data of context "${context.name}" is an encrypted private key; kubeconfig keys must be unencrypted (openssl pkey -in key.pem -out plain.pem).`,
        { file: context.sourcePath },
      );
    }
  }
}

/** Builds a KubeConfig holding exactly one context, from our own merged model (our loading rules win). */
export async function buildKubeConfig(resolved: ResolvedContext): Promise<KubeConfig> {
  const { context, cluster, user } = resolved;
  await checkTlsMaterial(resolved);
  const kc = new KubeConfig();
  let token = user.token;
  if (token === undefined && user.tokenFile) {
    try {
      token = (await readFile(user.tokenFile, 'utf8')).trim();
    } catch (e) {
      throw new ClusterDeckError(
        'badConfig',
        `The tokenFile ${user.tokenFile} of context "${context.name}" cannot be read (${(e as { code?: string }).code ?? 'unreadable'}); fix the path in the kubeconfig.`,
        { file: context.sourcePath },
      );
    }
  }
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.server,
        // client-node refuses http:// unless skipTLSVerify is set; decidePlainHttp has already allowed it (no TLS to verify).
        skipTLSVerify: cluster.insecureSkipTlsVerify || /^http:\/\//i.test(cluster.server),
        ...(cluster.certificateAuthorityData ? { caData: cluster.certificateAuthorityData } : {}),
        ...(cluster.certificateAuthorityFile ? { caFile: cluster.certificateAuthorityFile } : {}),
        ...(cluster.tlsServerName ? { tlsServerName: cluster.tlsServerName } : {}),
        ...(cluster.proxyUrl ? { proxyUrl: cluster.proxyUrl } : {}),
      },
    ],
    users: [
      {
        name: user.name || 'user',
        ...(token ? { token } : {}),
        ...(user.clientCertificateData ? { certData: user.clientCertificateData } : {}),
        ...(user.clientCertificateFile ? { certFile: user.clientCertificateFile } : {}),
        ...(user.clientKeyData ? { keyData: user.clientKeyData } : {}),
        ...(user.clientKeyFile ? { keyFile: user.clientKeyFile } : {}),
        ...(user.username ? { username: user.username } : {}),
        ...(user.password ? { password: user.password } : {}),
        ...(user.exec
          ? {
              exec: {
                apiVersion: user.exec.apiVersion,
                command: user.exec.command,
                args: [...user.exec.args],
                env: user.exec.env.map((e) => ({ name: e.name, value: e.value })),
                ...(user.exec.interactiveMode ? { interactiveMode: user.exec.interactiveMode } : {}),
              },
            }
          : {}),
      },
    ],
    contexts: [
      {
        name: context.name,
        cluster: cluster.name,
        user: user.name || 'user',
        ...(context.namespace ? { namespace: context.namespace } : {}),
      },
    ],
    currentContext: context.name,
  });
  return kc;
}

/** A KubeClient over @kubernetes/client-node with timeouts, cancellation and typed errors. */
export async function createSdkKubeClient(resolved: ResolvedContext, options: SdkClientOptions): Promise<KubeClient> {
  // Plain http: never with credentials, and only by the user's per-context opt-in, loopback included (B14).
  const plain = decidePlainHttp(resolved, options.allowPlainHttp?.(resolved.context.name) ?? false);
  if (plain !== 'https')
    options.onRequest?.(
      `! kube ${resolved.context.name}: plain http to ${new URL(resolved.cluster.server).host} (unencrypted; allowed by ${allowPlainHttpSetting})`,
    );
  const kc = await buildKubeConfig(resolved);
  const core = kc.makeApiClient(CoreV1Api);
  const server = resolved.cluster.server;
  const contextName = resolved.context.name;

  async function call<T>(
    what: string,
    resource: string,
    signal: AbortSignal,
    fn: (o: ConfigurationOptions) => Promise<T>,
    namespace?: string,
  ): Promise<T> {
    const timeout = AbortSignal.timeout(options.requestTimeoutMs);
    const combined = AbortSignal.any([signal, timeout]);
    const started = Date.now();
    const middleware = {
      pre: (ctx: RequestContext) => {
        ctx.setSignal(combined);
        return new Observable(Promise.resolve(ctx));
      },
      post: (ctx: ResponseContext) => new Observable(Promise.resolve(ctx)),
    };
    let outcome = 'error';
    try {
      const result = await fn({ middleware: [middleware], middlewareMergeStrategy: 'append' });
      outcome = 'ok';
      return result;
    } catch (e) {
      if (signal.aborted) {
        outcome = 'cancelled';
        throw new CancelledError();
      }
      if (timeout.aborted) {
        outcome = 'timeout';
        throw new ClusterDeckError(
          'timeout',
          `${server} did not answer within ${Math.round(options.requestTimeoutMs / 1000)} s.`,
          {},
          { cause: e },
        );
      }
      const mapped = mapKubeError(e, {
        server,
        contextName,
        verb: what.split(' ')[0] ?? 'get',
        resource,
        ...(namespace ? { namespace } : {}),
      });
      outcome = String(mapped.detail.status ?? mapped.reason);
      throw mapped;
    } finally {
      options.onRequest?.(`> kube ${what} ${contextName} [${Date.now() - started}ms] ${outcome}`);
    }
  }

  /** Runs one request and logs one secret-free line: `> kube <what> <context> [Nms] ok|error`. */
  async function logged<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const started = Date.now();
    let outcome = 'error';
    try {
      const result = await fn();
      outcome = 'ok';
      return result;
    } finally {
      options.onRequest?.(`> kube ${what} ${contextName} [${Date.now() - started}ms] ${outcome}`);
    }
  }

  let requestInit: Promise<{ headers: Record<string, string>; agent?: HttpAgent | HttpsAgent }> | undefined;
  /** The context's auth headers and TLS agent, computed once. */
  function connection(): Promise<{ headers: Record<string, string>; agent?: HttpAgent | HttpsAgent }> {
    requestInit ??= kc.applyToFetchOptions({}).then((init) => {
      const headers: Record<string, string> = {};
      (init.headers as { forEach(fn: (value: string, key: string) => void): void } | undefined)?.forEach((value, key) => {
        // Our caller decides what to accept (a Table, JSON); the client's own Accept would override it.
        if (key.toLowerCase() !== 'accept') headers[key] = value;
      });
      const agent = init.agent as HttpAgent | HttpsAgent | undefined;
      return { headers, ...(agent ? { agent } : {}) };
    });
    return requestInit;
  }
  /** A request outside the generated API (Table lists, /openapi/v3, deletes) with the context's TLS agent and credentials. */
  async function rawGet(
    path: string,
    signal: AbortSignal,
    what: { verb: string; resource: string; namespace?: string },
    accept = 'application/json',
    method = 'GET',
    body?: unknown,
    contentType?: string,
  ): Promise<unknown> {
    return rawRequest(path, signal, what, accept, method, body, contentType);
  }
  /** The same, under the name the watch code uses. */
  function requestBasics(): Promise<{ headers: Record<string, string>; agent?: HttpAgent | HttpsAgent }> {
    return connection();
  }
  async function rawRequest(
    path: string,
    signal: AbortSignal,
    what: { verb: string; resource: string; namespace?: string },
    accept: string,
    method: string,
    body?: unknown,
    contentType?: string,
  ): Promise<unknown> {
    const { headers, agent } = await requestBasics();
    const timeout = AbortSignal.timeout(options.requestTimeoutMs);
    const deadline = Date.now() + options.requestTimeoutMs;
    const combined = AbortSignal.any([signal, timeout]);
    for (let attempt = 1; ; attempt++) {
      try {
        return await getJson(
          new URL(path, server.endsWith('/') ? server : `${server}/`),
          { ...headers, accept, ...(contentType ? { 'content-type': contentType } : {}) },
          agent,
          combined,
          Math.max(1, deadline - Date.now()),
          method,
          body,
        );
      } catch (e) {
        if (signal.aborted) throw new CancelledError();
        if (timeout.aborted)
          throw new ClusterDeckError(
            'timeout',
            `${server} did not answer within ${Math.round(options.requestTimeoutMs / 1000)} s.`,
            {},
            { cause: e },
          );
        // Throttling (Retry-After), 5xx and resets are tried again per the retry policy, inside the same deadline.
        const failure = e as { code?: unknown; headers?: Record<string, string | undefined> };
        const decision = retryDecision({
          attempt,
          method,
          ...(typeof failure.code === 'number' ? { status: failure.code } : {}),
          ...(typeof failure.code === 'string' ? { errorCode: failure.code } : {}),
          ...(failure.headers?.['retry-after'] !== undefined ? { retryAfter: failure.headers['retry-after'] } : {}),
          remainingMs: deadline - Date.now(),
          random: Math.random(),
          nowMs: Date.now(),
        });
        if (!decision.retry) throw mapKubeError(e, { server, contextName, ...what });
        options.onRequest?.(
          `> kube retry ${what.verb} ${what.resource}${what.namespace ? ` ${what.namespace}` : ''} ${contextName} in ${decision.delayMs}ms (${decision.why ?? 'transient'}, attempt ${attempt + 1})`,
        );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, decision.delayMs);
          combined.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
        });
        if (signal.aborted) throw new CancelledError();
      }
    }
  }

  // Kinds an older cluster serves at another version (found when a watch of the catalogue version answered 404, B51).
  const servedInstead = new Map<string, ResourceKind>();
  const client: KubeClient = {
    ...remoteActions({ kc, rawGet, contextName, server, ...(options.onRequest ? { onRequest: options.onRequest } : {}) }),
    async listNamespaces(o: ListOptions): Promise<Page<NamespaceSummary>> {
      // A raw request (not the generated client): the connect limit, retries and error mapping of every other list.
      const started = Date.now();
      const query = new URLSearchParams();
      if (o.limit) query.set('limit', String(o.limit));
      if (o.continueToken) query.set('continue', o.continueToken);
      const qs = query.toString();
      let outcome = 'error';
      try {
        const list = (await rawGet(`api/v1/namespaces${qs ? `?${qs}` : ''}`, o.signal, { verb: 'list', resource: 'namespaces' })) as {
          items?: { metadata?: { name?: string; uid?: string; creationTimestamp?: string }; status?: { phase?: string } }[];
          metadata?: { continue?: string; resourceVersion?: string };
        };
        outcome = 'ok';
        return {
          items: (list.items ?? []).map((ns) => ({
            name: ns.metadata?.name ?? '',
            uid: ns.metadata?.uid ?? ns.metadata?.name ?? '',
            ...(ns.status?.phase ? { phase: ns.status.phase } : {}),
            ...(ns.metadata?.creationTimestamp ? { createdAt: new Date(ns.metadata.creationTimestamp).toISOString() } : {}),
          })),
          ...(list.metadata?.continue ? { continueToken: list.metadata.continue } : {}),
          ...(list.metadata?.resourceVersion ? { resourceVersion: list.metadata.resourceVersion } : {}),
        };
      } finally {
        options.onRequest?.(`> kube list namespaces ${contextName} [${Date.now() - started}ms] ${outcome}`);
      }
    },
    async listTable(resource: ResourceKind, namespace: string | undefined, o: ListOptions): Promise<Page<TableRowSummary>> {
      const started = Date.now();
      const query = new URLSearchParams();
      if (o.limit) query.set('limit', String(o.limit));
      if (o.continueToken) query.set('continue', o.continueToken);
      if (o.labelSelector) query.set('labelSelector', o.labelSelector);
      const qs = query.toString();
      const path = `${collectionPath(resource, namespace).slice(1)}${qs ? `?${qs}` : ''}`;
      let outcome = 'error';
      try {
        const table = (await rawGet(
          path,
          o.signal,
          { verb: 'list', resource: resource.plural, ...(namespace ? { namespace } : {}) },
          'application/json;as=Table;v=v1;g=meta.k8s.io',
        )) as {
          columnDefinitions?: { name?: string }[];
          rows?: { cells?: unknown[]; object?: { metadata?: { name?: string; namespace?: string; uid?: string } } }[];
          metadata?: { continue?: string; resourceVersion?: string };
        };
        const columns = (table.columnDefinitions ?? []).map((c) => c.name ?? '');
        outcome = 'ok';
        return {
          items: (table.rows ?? []).map((row) => {
            const cells: Record<string, string> = {};
            columns.forEach((c, i) => {
              const v = row.cells?.[i];
              if (c && v !== undefined && v !== null)
                cells[c] = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
            });
            const meta = row.object?.metadata ?? {};
            return {
              name: meta.name ?? cells.Name ?? '',
              ...(meta.namespace ? { namespace: meta.namespace } : {}),
              uid: meta.uid ?? meta.name ?? '',
              cells,
            };
          }),
          ...(table.metadata?.continue ? { continueToken: table.metadata.continue } : {}),
          ...(table.metadata?.resourceVersion ? { resourceVersion: table.metadata.resourceVersion } : {}),
        };
      } finally {
        options.onRequest?.(
          `> kube list ${resource.plural}${namespace ? ` ${namespace}` : ''} ${contextName} [${Date.now() - started}ms] ${outcome}`,
        );
      }
    },
    async getObject(resource: ResourceKind, namespace: string | undefined, name: string, o): Promise<Record<string, unknown>> {
      return logged(
        `get ${resource.plural}/${name}${namespace ? ` ${namespace}` : ''}`,
        async () =>
          (await rawGet(`${collectionPath(resource, namespace).slice(1)}/${encodeURIComponent(name)}`, o.signal, {
            verb: 'get',
            resource: resource.plural,
            ...(namespace ? { namespace } : {}),
          })) as Record<string, unknown>,
      );
    },
    async patchObject(resource: ResourceKind, namespace: string | undefined, name: string, patch: unknown, o): Promise<void> {
      const sub = o.subresource ? `/${o.subresource}` : '';
      await logged(`patch ${resource.plural}${sub}/${name}${namespace ? ` ${namespace}` : ''}`, async () => {
        await rawGet(
          `${collectionPath(resource, namespace).slice(1)}/${encodeURIComponent(name)}${sub}?fieldManager=clusterdeck`,
          o.signal,
          { verb: 'patch', resource: `${resource.plural}${sub}`, ...(namespace ? { namespace } : {}) },
          'application/json',
          'PATCH',
          patch,
          o.patchType === 'json' ? 'application/json-patch+json' : 'application/merge-patch+json',
        );
      });
    },
    async listObjects(resource: ResourceKind, namespace: string | undefined, o: ObjectListOptions): Promise<Page<Record<string, unknown>>> {
      const query = new URLSearchParams();
      if (o.labelSelector) query.set('labelSelector', o.labelSelector);
      if (o.fieldSelector) query.set('fieldSelector', o.fieldSelector);
      if (o.limit) query.set('limit', String(o.limit));
      if (o.continueToken) query.set('continue', o.continueToken);
      const qs = query.toString();
      const what = `list ${resource.plural}${namespace ? ` ${namespace}` : ''}${o.labelSelector ? ` -l ${o.labelSelector}` : ''}${o.fieldSelector ? ` --field-selector ${o.fieldSelector}` : ''}`;
      const list = (await logged(what, () =>
        rawGet(`${collectionPath(resource, namespace).slice(1)}${qs ? `?${qs}` : ''}`, o.signal, {
          verb: 'list',
          resource: resource.group ? `${resource.plural}.${resource.group}` : resource.plural,
          ...(namespace ? { namespace } : {}),
        }),
      )) as { items?: Record<string, unknown>[]; metadata?: { continue?: string; resourceVersion?: string } };
      const apiVersion = resource.group ? `${resource.group}/${resource.version}` : resource.version;
      return {
        // Built-in lists carry no TypeMeta on their items.
        items: (list.items ?? []).map((i) => ({ apiVersion, kind: resource.kind, ...i })),
        ...(list.metadata?.continue ? { continueToken: list.metadata.continue } : {}),
        ...(list.metadata?.resourceVersion ? { resourceVersion: list.metadata.resourceVersion } : {}),
      };
    },
    streamLogs(namespace, pod, o, onChunk): Promise<void> {
      return streamPodLogs(
        {
          server,
          contextName,
          requestTimeoutMs: options.requestTimeoutMs,
          connection,
          ...(options.onRequest ? { onRequest: options.onRequest } : {}),
        },
        namespace,
        pod,
        o,
        onChunk,
      );
    },
    async deleteObject(resource: ResourceKind, namespace: string | undefined, name: string, o): Promise<void> {
      await logged(`delete ${resource.plural}/${name}${namespace ? ` ${namespace}` : ''}`, async () => {
        await rawGet(
          `${collectionPath(resource, namespace).slice(1)}/${encodeURIComponent(name)}`,
          o.signal,
          { verb: 'delete', resource: resource.plural, ...(namespace ? { namespace } : {}) },
          'application/json',
          'DELETE',
          // Deletes exactly the object the user saw: a recreated object with the same name has another uid (409).
          { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: o.uid } },
        );
      });
    },
    async watch(asked: ResourceKind, namespace: string | undefined, o: WatchOptions): Promise<void> {
      const resource = servedInstead.get(`${asked.group}/${asked.kind}`) ?? asked;
      const started = Date.now();
      const timeoutSeconds = o.timeoutSeconds ?? 300;
      const query = new URLSearchParams({ watch: '1', allowWatchBookmarks: 'true', timeoutSeconds: String(timeoutSeconds) });
      if (o.resourceVersion) query.set('resourceVersion', o.resourceVersion);
      const url = new URL(
        `${collectionPath(resource, namespace).slice(1)}?${query.toString()}`,
        server.endsWith('/') ? server : `${server}/`,
      );
      let outcome = 'error';
      let events = 0;
      try {
        const { headers, agent } = await requestBasics();
        await streamWatch(url, headers, agent, {
          connectTimeoutMs: options.requestTimeoutMs,
          idleTimeoutMs: (timeoutSeconds + 30) * 1000,
          signal: o.signal,
          onEvent: (event) => {
            events++;
            o.onEvent(event);
          },
        });
        outcome = 'ended';
      } catch (e) {
        if (o.signal.aborted) {
          outcome = 'stopped';
          throw new CancelledError();
        }
        const mapped = mapKubeError(e, {
          server,
          contextName,
          verb: 'watch',
          resource: resource.plural,
          ...(namespace ? { namespace } : {}),
        });
        // A malformed line is counted in the log line (never its content): the loop reconnects after it.
        outcome = (e as { code?: unknown }).code === 'EMALFORMED' ? 'malformed line' : String(mapped.detail.status ?? mapped.reason);
        if (mapped.reason === 'notFound' && events === 0 && resource === asked) {
          // An older cluster may serve the kind at another version (a 1.20 CronJob is batch/v1beta1): watch that one.
          const served = await servedKind(client, asked, { signal: o.signal }).catch(() => undefined);
          if (served && served.version !== asked.version) {
            servedInstead.set(`${asked.group}/${asked.kind}`, served);
            return client.watch(served, namespace, o);
          }
        }
        throw mapped;
      } finally {
        options.onRequest?.(
          `> kube watch ${resource.plural}${namespace ? ` ${namespace}` : ''} ${contextName} [${Date.now() - started}ms] ${outcome} (${events} events)`,
        );
      }
    },
    async fetchOpenApi(o): Promise<ClusterOpenApi> {
      const started = Date.now();
      const get = (path: string) => rawGet(path, o.signal, { verb: 'get', resource: path });
      const version = (await get('version')) as { gitVersion?: string };
      const index = (await get('openapi/v3')) as { paths?: Record<string, { serverRelativeURL?: string }> };
      const wanted = Object.entries(index.paths ?? {}).filter(([p]) => p.startsWith('apis/') && o.wantGroup(p.split('/')[1] ?? ''));
      const documents: unknown[] = [];
      for (const [p, entry] of wanted) documents.push(await get((entry.serverRelativeURL ?? `/openapi/v3/${p}`).replace(/^\//, '')));
      options.onRequest?.(`> kube get /openapi/v3 (${documents.length} group-versions) ${contextName} [${Date.now() - started}ms] ok`);
      return { ...(version.gitVersion ? { gitVersion: version.gitVersion } : {}), documents };
    },
    async canI(q: AccessQuery, o): Promise<boolean> {
      const started = Date.now();
      let outcome = 'error';
      try {
        const review = (await rawGet(
          'apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
          o.signal,
          { verb: 'create', resource: 'selfsubjectaccessreviews.authorization.k8s.io' },
          'application/json',
          'POST',
          {
            kind: 'SelfSubjectAccessReview',
            apiVersion: 'authorization.k8s.io/v1',
            spec: {
              resourceAttributes: {
                verb: q.verb,
                group: q.group,
                resource: q.resource,
                ...(q.subresource ? { subresource: q.subresource } : {}),
                ...(q.namespace ? { namespace: q.namespace } : {}),
              },
            },
          },
          'application/json',
        )) as { status?: { allowed?: boolean } };
        const allowed = review.status?.allowed === true;
        outcome = allowed ? 'allowed' : 'denied';
        return allowed;
      } finally {
        options.onRequest?.(
          `> kube can-i ${q.verb} ${q.resource}${q.subresource ? `/${q.subresource}` : ''}${q.namespace ? ` ${q.namespace}` : ''} ${contextName} [${Date.now() - started}ms] ${outcome}`,
        );
      }
    },
    async listPods(namespace: string, o: ListOptions): Promise<Page<PodSummary>> {
      const list = await call(
        `list pods ${namespace}`,
        'pods',
        o.signal,
        (opts) =>
          core.listNamespacedPod(
            { namespace, ...(o.limit ? { limit: o.limit } : {}), ...(o.continueToken ? { _continue: o.continueToken } : {}) },
            opts,
          ),
        namespace,
      );
      return {
        items: list.items.map((p) => {
          const statuses = p.status?.containerStatuses ?? [];
          return {
            name: p.metadata?.name ?? '',
            namespace: p.metadata?.namespace ?? namespace,
            uid: p.metadata?.uid ?? '',
            ...(p.status?.phase ? { phase: p.status.phase } : {}),
            readyContainers: statuses.filter((s) => s.ready).length,
            totalContainers: p.spec?.containers.length ?? statuses.length,
            restarts: statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0),
            ...(p.metadata?.creationTimestamp ? { createdAt: new Date(p.metadata.creationTimestamp).toISOString() } : {}),
          };
        }),
        ...(list.metadata?._continue ? { continueToken: list.metadata._continue } : {}),
        ...(list.metadata?.resourceVersion ? { resourceVersion: list.metadata.resourceVersion } : {}),
      };
    },
    proxyGet(namespace, service, path, o) {
      return proxyGet(
        {
          server,
          contextName,
          requestTimeoutMs: options.requestTimeoutMs,
          connection,
          ...(options.onRequest ? { onRequest: options.onRequest } : {}),
        },
        namespace,
        service,
        path,
        o,
      );
    },
    async createObject(resource, namespace, body, o): Promise<Record<string, unknown>> {
      const what = `create ${resource.plural}${namespace ? ` ${namespace}` : ''}${o.dryRun ? ' (dry run)' : ''}`;
      return (await logged(what, () =>
        rawGet(
          `${collectionPath(resource, namespace).slice(1)}?fieldManager=clusterdeck${o.dryRun ? '&dryRun=All' : ''}`,
          o.signal,
          { verb: 'create', resource: resource.plural, ...(namespace ? { namespace } : {}) },
          'application/json',
          'POST',
          body,
          'application/json',
        ),
      )) as Record<string, unknown>;
    },
  };
  return client;
}
