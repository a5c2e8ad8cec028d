/**
 * A loopback Kubernetes API server for tests, the sample cluster and benchmarks. It speaks enough of the real
 * REST API (discovery, CRUD, patch, subresources, selectors, paging, watch, Table, Status errors, bearer/mTLS
 * auth) for the real `@kubernetes/client-node` and `kubectl` to work against it.
 *
 * Everything is driven by the resource table in `kube/resources.ts` and the generic store in `kube/store.ts`;
 * CustomResourceDefinitions created at run time become servable immediately.
 *
 * Watch from an expired resourceVersion (after `compact()`, or once the bounded history has moved past it):
 * by default the stream answers 200 and sends one in-stream `ERROR` event with a 410 `Expired` Status, then
 * ends, as the apiserver does; `watchExpired: 'http'` answers the watch request itself with HTTP 410 instead.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { seedDemo } from './demoData';
import type { HandlerDeps, RequestAttributes, UserInfo } from './kube/handler';
import { handleKubeRequest } from './kube/handler';
import type { ForbidRule } from './kube/authz';
import { forbiddenError, ruleMatches } from './kube/authz';
import type { KubeconfigOptions } from './kube/kubeconfig';
import { buildKubeconfig } from './kube/kubeconfig';
import { buildSeedPod } from './kube/podFactory';
import { startDeploymentController } from './kube/deploymentController';
import { PodLogs } from './kube/podLogs';
import { builtinResources, veleroCrds } from './kube/resources';
import { CONTINUE_EXPIRED_MESSAGE, expired, failureStatus, KubeStatusError, reasonForCode, unauthorized } from './kube/status';
import { versionInfo } from './kube/discovery';
import { KubeStore } from './kube/store';
import { PodStreams, type ExecRecord, type PortTarget } from './kube/podStreams';
import { forwardServiceProxy, matchServiceProxy, proxyTargetKey } from './kube/serviceProxy';
import { startVeleroController, type VeleroController, type VeleroControllerOptions } from './kube/veleroController';
import type { KubeObject } from './kube/types';
import { kubeTimestamp } from './kube/types';
import type { TlsMaterial } from './tls';
import { generateTlsMaterial } from './tls';

export type { KubeObject } from './kube/types';
export type { ForbidRule } from './kube/authz';
export type { ExecRecord, PortTarget } from './kube/podStreams';
export type { KubeconfigOptions } from './kube/kubeconfig';

export interface FakeKubeOptions {
  /** 'none' (http, default), 'tls' (https, CA generated per run) or 'mtls' (https + client certificate signed by that CA). */
  tls?: 'none' | 'tls' | 'mtls';
  /** When set, every request needs `Authorization: Bearer <token>` (or, with mtls, a valid client certificate), else 401. */
  token?: string;
  /**
   * Instead of a fixed token: the authenticator of a cloud's clusters (e.g. EKS's STS replay); returns the user
   * name for a valid bearer token, undefined otherwise (then 401).
   */
  tokenCheck?: (bearer: string) => string | undefined;
  /** 'demo': realistic demo data (demoData.ts); 'empty' (default): only the system namespaces and Velero CRDs. */
  seed?: 'demo' | 'empty';
  /** Added to every response, in milliseconds. */
  latencyMs?: number;
  /** How a watch from an expired resourceVersion fails: in-stream ERROR event (default, like the apiserver) or HTTP 410. */
  watchExpired?: 'event' | 'http';
  /** Period of BOOKMARK events on watches with allowWatchBookmarks=true; default 1000 ms, 0 disables. */
  bookmarkIntervalMs?: number;
  /** Number of events kept for watch replay; default 10,000. */
  watchHistorySize?: number;
  /** Serve metrics.k8s.io (metrics-server); default true. */
  metricsApi?: boolean;
  /** Install the Velero CRDs (velero.io/v1); default true. */
  veleroCrds?: boolean;
  /** Username of bearer-token requests (403 messages, SelfSubjectReview); default 'test-user'. */
  tokenUser?: string;
  /** Recorded requests kept (oldest dropped first); default 10,000. */
  maxRecordedRequests?: number;
  /** Run the minimal Deployment controller (kube/deploymentController.ts); default: on with seed 'demo', else off. */
  controllers?: boolean;
  /** Delay of each controller step in ms; default 300. */
  controllerDelayMs?: number;
  /** Run the fake Velero controller (kube/veleroController.ts); default: on for seed 'demo'. */
  veleroController?: boolean | VeleroControllerOptions;
  /** What `/version` answers (an old or a future server); default v1.33.2, or v1.20.15 with `apiLevel: '1.20'`. */
  serverVersion?: { major: string; minor: string; gitVersion: string };
  /**
   * '1.20': serve the built-in kinds at the versions a Kubernetes 1.20 server has (batch/v1beta1 CronJob,
   * autoscaling/v2beta2 HPA, policy/v1beta1 PDB; their newer versions answer 404). Not for `seed: 'demo'`.
   */
  apiLevel?: '1.20';
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | string[]>>;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** CN of a verified client certificate (mtls). */
  readonly peerCN?: string;
  readonly time: number;
}

export interface FaultRule {
  /** HTTP method to match (any when unset). */
  method?: string;
  /** A string matches the path exactly (no query); a RegExp is tested against the path and against path+query. */
  path: string | RegExp;
  /** Answer with this status and a matching Status body (or `body`). */
  status?: number;
  /** Sets `Retry-After` (and Status details.retryAfterSeconds). */
  retryAfterSeconds?: number;
  /** Delay before the request is answered (alone: a slow but normal answer). */
  delayMs?: number;
  /** Apply to this many matching requests, then the rule removes itself; default: until removed. */
  times?: number;
  /** Raw response body, e.g. malformed JSON; status defaults to 200. */
  body?: string;
  /** Destroy the socket instead of answering. */
  resetConnection?: boolean;
}

export interface FakeKube {
  /** `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** The per-run CA (tls and mtls). */
  readonly ca?: { certPem: string };
  /** A client certificate signed by the CA: CN=test-user, O=system:masters (mtls). */
  readonly clientCert?: { certPem: string; keyPem: string };
  /** Every request received, oldest first (bounded by maxRecordedRequests). */
  readonly requests: RecordedRequest[];
  /** The current global resourceVersion. */
  readonly resourceVersion: number;
  /** kubeconfig YAML for this server (http gets `insecure-skip-tls-verify: true`, https the CA data). */
  kubeconfig(o?: KubeconfigOptions): string;
  /** Creates or replaces an object (no validation of status, no optimistic concurrency); notifies watchers. */
  upsert(obj: KubeObject): KubeObject;
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  /** Deletes an object (cascading like the API: namespace contents, dependents); false when it did not exist. */
  remove(apiVersion: string, kind: string, namespace: string | undefined, name: string): boolean;
  /** Objects in key order (namespace, then name); all namespaces when `namespace` is undefined. */
  list(apiVersion: string, kind: string, namespace?: string): KubeObject[];
  /**
   * Adds `count` Running pods named `<namePrefix|pod>-00000…` (creating the namespace if needed). `padBytes` adds a
   * `kubectl.kubernetes.io/last-applied-configuration` annotation of about that size to each (big real-world pods).
   */
  seedPods(namespace: string, count: number, opts?: { labels?: Record<string, string>; namePrefix?: string; padBytes?: number }): void;
  /** Adds a fault rule; returns its remover. */
  inject(fault: FaultRule): () => void;
  /** Denies matching requests with 403 Forbidden (and SelfSubjectAccessReviews); returns the remover. */
  forbid(rule: ForbidRule): () => void;
  /**
   * Appends lines to a container's log (`kubectl logs`); requests with `follow=true` receive them as they arrive.
   * Timestamps (for `sinceSeconds` and `timestamps=true`) are now.
   */
  appendLog(namespace: string, pod: string, container: string, lines: string | readonly string[]): void;
  /** The container stopped: open `follow` log streams of it end. */
  endLog(namespace: string, pod: string, container: string): void;
  /** How many `follow` log requests of the container are open right now. */
  logFollowers(namespace: string, pod: string, container: string): number;
  /** Forgets the watch history: watches and continue tokens from older resourceVersions get 410 Expired. */
  compact(): void;
  /**
   * The next `times` list requests that carry a `continue` token (any resource) answer 410 Expired with the
   * apiserver's message, as after an etcd compaction between two pages; lists without a token are unaffected.
   */
  expireContinueTokens(times?: number): void;
  clearRequests(): void;
  /** Where a pod's port-forward to `port` connects (a loopback server of the test); without one: connection refused. */
  setPortTarget(namespace: string, pod: string, port: number, target: PortTarget): void;
  /**
   * Where the service proxy (`…/services/{name}:{port}/proxy/…`) of a Service forwards GETs (an http URL of a loopback
   * server, e.g. a real Prometheus); `undefined` removes it (the proxy then answers 503 "no endpoints").
   */
  setServiceProxyTarget(namespace: string, service: string, port: string | number, target: string | undefined): void;
  /** Exec sessions run by the fake's scripted shell (pods/exec websocket), oldest first. */
  readonly execs: readonly ExecRecord[];
  /** Ends open watch streams, destroys sockets and stops listening. */
  close(): Promise<void>;
  /** The fake Velero controller, when running (option veleroController). */
  readonly velero?: VeleroController;
}

interface ActiveFault {
  rule: FaultRule;
  remaining: number;
}

function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    query[key] = all.length === 1 ? (all[0] ?? '') : all;
  }
  return query;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Starts the fake on 127.0.0.1 with a random port. */
export async function startFakeKube(options: FakeKubeOptions = {}): Promise<FakeKube> {
  const tlsMode = options.tls ?? 'none';
  const tls: TlsMaterial | undefined = tlsMode === 'none' ? undefined : await generateTlsMaterial();
  const store = new KubeStore({
    historySize: options.watchHistorySize ?? 10_000,
    builtins: builtinResources({ metricsApi: options.metricsApi ?? true, ...(options.apiLevel ? { apiLevel: options.apiLevel } : {}) }),
  });
  const crdDef = store.mustDef('apiextensions.k8s.io/v1', 'CustomResourceDefinition');
  if (options.veleroCrds ?? true) for (const crd of veleroCrds()) store.create(crdDef, crd);

  const requests: RecordedRequest[] = [];
  const maxRecorded = options.maxRecordedRequests ?? 10_000;
  const faults = new Set<ActiveFault>();
  const proxyTargets = new Map<string, string>();
  const forbidRules = new Set<ForbidRule>();
  const openStreams = new Set<() => void>();
  const sockets = new Set<Socket>();
  let closed = false;
  let port = 0;
  let expireContinue = 0;

  const authorize = (attrs: RequestAttributes, user: UserInfo): KubeStatusError | undefined => {
    for (const rule of forbidRules) if (ruleMatches(rule, attrs, user.username)) return forbiddenError(attrs, user.username);
    return undefined;
  };

  const trackStream = (end: () => void): (() => void) => {
    openStreams.add(end);
    return () => openStreams.delete(end);
  };
  const logs = new PodLogs(trackStream);
  const deps: HandlerDeps = {
    store,
    logs,
    serverAddress: () => `127.0.0.1:${port}`,
    authorize,
    watch: {
      expiredMode: options.watchExpired ?? 'event',
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 1000,
      track: (end) => {
        openStreams.add(end);
        return () => openStreams.delete(end);
      },
    },
  };

  const PUBLIC_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);

  const authenticate = (req: IncomingMessage, pathname: string, peerCN: string | undefined): UserInfo => {
    const header = req.headers.authorization;
    const bearer = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (peerCN !== undefined) return { username: peerCN, groups: ['system:masters', 'system:authenticated'] };
    if (options.token !== undefined && bearer === options.token)
      return { username: options.tokenUser ?? 'test-user', groups: ['system:authenticated'] };
    const checked = options.tokenCheck && bearer !== undefined ? options.tokenCheck(bearer) : undefined;
    if (checked) return { username: checked, groups: ['system:authenticated'] };
    const authRequired = options.token !== undefined || options.tokenCheck !== undefined || tlsMode === 'mtls';
    if (authRequired && !PUBLIC_PATHS.has(pathname)) throw unauthorized();
    if (bearer !== undefined && options.token === undefined)
      return { username: options.tokenUser ?? 'test-user', groups: ['system:authenticated'] };
    return { username: 'system:anonymous', groups: ['system:unauthenticated'] };
  };

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string>): void => {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, {
      'audit-id': randomUUID(),
      'cache-control': 'no-cache, private',
      'x-content-type-options': 'nosniff',
      'content-length': String(Buffer.byteLength(body)),
      ...headers,
    });
    res.end(body);
  };

  const sendError = (res: ServerResponse, err: unknown): void => {
    if (err instanceof KubeStatusError) {
      send(res, err.status.code, JSON.stringify(err.status), { 'content-type': 'application/json', ...err.headers });
      return;
    }
    const status = failureStatus(500, `fake apiserver error: ${err instanceof Error ? err.message : String(err)}`, 'InternalError');
    send(res, 500, JSON.stringify(status), { 'content-type': 'application/json' });
  };

  const matchFault = (method: string, url: URL): ActiveFault | undefined => {
    for (const fault of faults) {
      const { rule } = fault;
      if (rule.method && rule.method.toUpperCase() !== method) continue;
      const matches =
        typeof rule.path === 'string'
          ? rule.path === url.pathname
          : rule.path.test(url.pathname) || rule.path.test(`${url.pathname}${url.search}`);
      if (!matches) continue;
      fault.remaining--;
      if (fault.remaining <= 0) faults.delete(fault);
      return fault;
    }
    return undefined;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, body: string): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const socket = req.socket as TLSSocket;
    let peerCN: string | undefined;
    if (tlsMode === 'mtls' && socket.authorized) {
      const cn = socket.getPeerCertificate().subject?.CN;
      peerCN = Array.isArray(cn) ? cn[0] : cn;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    requests.push({
      method,
      path: url.pathname,
      query: queryOf(url),
      headers: req.headers,
      body,
      ...(peerCN !== undefined ? { peerCN } : {}),
      time: Date.now(),
    });
    if (requests.length > maxRecorded) requests.splice(0, requests.length - maxRecorded);

    if (options.latencyMs) await sleep(options.latencyMs);
    const fault = matchFault(method, url);
    if (fault) {
      const { rule } = fault;
      if (rule.delayMs) await sleep(rule.delayMs);
      if (rule.resetConnection) {
        req.socket.destroy();
        return;
      }
      if (rule.body !== undefined || rule.status !== undefined) {
        const status = rule.status ?? 200;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (rule.retryAfterSeconds !== undefined) headers['retry-after'] = String(rule.retryAfterSeconds);
        let text = rule.body;
        if (text === undefined) {
          const reason = reasonForCode(status);
          const message = status === 429 ? 'Too many requests, please try again later.' : `injected fault: ${status} ${reason}`;
          text = JSON.stringify(
            failureStatus(
              status,
              message,
              reason,
              rule.retryAfterSeconds !== undefined ? { retryAfterSeconds: rule.retryAfterSeconds } : undefined,
            ),
          );
        }
        send(res, status, text, headers);
        return;
      }
    }
    if (closed) {
      req.socket.destroy();
      return;
    }
    if (expireContinue > 0 && method === 'GET' && url.searchParams.has('continue')) {
      expireContinue--;
      sendError(res, expired(CONTINUE_EXPIRED_MESSAGE));
      return;
    }
    const serverVersion =
      options.serverVersion ?? (options.apiLevel === '1.20' ? { major: '1', minor: '20', gitVersion: 'v1.20.15' } : undefined);
    if (url.pathname === '/version' && serverVersion) {
      send(res, 200, JSON.stringify({ ...versionInfo(), ...serverVersion }), { 'content-type': 'application/json' });
      return;
    }
    try {
      const user = authenticate(req, url.pathname, peerCN);
      const proxy = method === 'GET' ? matchServiceProxy(url.pathname) : undefined;
      if (proxy) {
        const denied = authorize(proxy.attrs, user);
        if (denied) throw denied;
        const exists = store.get(store.mustDef('v1', 'Service'), proxy.namespace, proxy.service) !== undefined;
        const answer = await forwardServiceProxy(
          proxy,
          url.search,
          exists,
          proxyTargets.get(proxyTargetKey(proxy.namespace, proxy.service, proxy.port)),
        );
        send(res, answer.status, answer.body, answer.headers);
        return;
      }
      const result = handleKubeRequest({ method, url, headers: req.headers, body, user }, res, deps);
      if (result === 'streaming') return;
      send(res, result.status, method === 'HEAD' ? '' : result.body, result.headers);
    } catch (err) {
      sendError(res, err);
    }
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    // A client that goes away mid-request must not crash the process hosting the fake.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((err: unknown) => sendError(res, err));
    });
  };

  const server = tls
    ? createHttpsServer(
        {
          key: tls.serverKeyPem,
          cert: tls.serverCertPem,
          ca: tls.caCertPem,
          requestCert: tlsMode === 'mtls',
          rejectUnauthorized: false,
        },
        onRequest,
      )
    : createHttpServer(onRequest);
  server.keepAliveTimeout = 5000;
  const podStreams = new PodStreams({
    store,
    authorize,
    authenticate: (req, pathname) => {
      const socket = req.socket as TLSSocket;
      const cn = tlsMode === 'mtls' && socket.authorized ? socket.getPeerCertificate().subject?.CN : undefined;
      return authenticate(req, pathname, Array.isArray(cn) ? cn[0] : cn);
    },
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: 'GET', path: url.pathname, query: queryOf(url), headers: req.headers, body: '', time: Date.now() });
    if (closed || !podStreams.upgrade(req, socket, head)) socket.destroy();
  });
  const trackSocket = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  server.on('connection', trackSocket);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  const podDef = store.mustDef('v1', 'Pod');
  const nsDef = store.mustDef('v1', 'Namespace');

  const veleroOption = options.veleroController ?? options.seed === 'demo';
  const velero =
    veleroOption && (options.veleroCrds ?? true)
      ? await startVeleroController(store, typeof veleroOption === 'object' ? veleroOption : {})
      : undefined;

  const defFor = (apiVersion: string, kind: string): ReturnType<KubeStore['mustDef']> => store.mustDef(apiVersion, kind);

  const fake: FakeKube = {
    url,
    port,
    ...(tls ? { ca: { certPem: tls.caCertPem } } : {}),
    ...(tls && tlsMode === 'mtls' ? { clientCert: { certPem: tls.clientCertPem, keyPem: tls.clientKeyPem } } : {}),
    requests,
    ...(velero ? { velero } : {}),
    get resourceVersion(): number {
      return store.resourceVersion;
    },

    kubeconfig(o: KubeconfigOptions = {}): string {
      return buildKubeconfig(
        { url, tlsMode, ...(tls ? { tls } : {}), ...(options.token !== undefined ? { token: options.token } : {}) },
        o,
      );
    },

    upsert(obj: KubeObject): KubeObject {
      const def = defFor(obj.apiVersion, obj.kind);
      const input = structuredClone(obj);
      if (!def.namespaced) delete input.metadata.namespace;
      else input.metadata.namespace = input.metadata.namespace ?? 'default';
      // upsert forces: no optimistic concurrency, and an existing object keeps its identity.
      delete input.metadata.resourceVersion;
      if (store.get(def, input.metadata.namespace, input.metadata.name ?? '')) delete input.metadata.uid;
      const { object } = store.update(def, input, { scope: 'all', allowCreate: true, ensureNamespace: true });
      return structuredClone(object);
    },

    get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
      const obj = store.get(defFor(apiVersion, kind), namespace, name);
      return obj ? structuredClone(obj) : undefined;
    },

    remove(apiVersion: string, kind: string, namespace: string | undefined, name: string): boolean {
      const def = defFor(apiVersion, kind);
      if (!store.get(def, namespace, name)) return false;
      store.delete(def, namespace, name);
      if (def.group === '' && def.kind === 'Pod') logs.forgetPod(namespace ?? '', name);
      return true;
    },

    list(apiVersion: string, kind: string, namespace?: string): KubeObject[] {
      const def = defFor(apiVersion, kind);
      return store
        .list(def, { ...(namespace !== undefined ? { namespace } : {}), filter: { labels: [], fields: [] } })
        .items.map((o) => structuredClone(o));
    },

    seedPods(
      namespace: string,
      count: number,
      opts: { labels?: Record<string, string>; namePrefix?: string; padBytes?: number } = {},
    ): void {
      if (!store.get(nsDef, undefined, namespace))
        store.create(nsDef, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
      const collection = store.collection(podDef);
      const prefix = opts.namePrefix ?? 'pod';
      const now = kubeTimestamp();
      // One string shared by every pod: the fake's memory stays small while the wire carries the full size.
      const padding = opts.padBytes ? JSON.stringify({ kind: 'Pod', padding: 'x'.repeat(opts.padBytes) }) : undefined;
      let index = 0;
      for (let created = 0; created < count; index++) {
        const name = `${prefix}-${String(index).padStart(5, '0')}`;
        if (collection.get(namespace, name)) continue;
        const pod = buildSeedPod({ name, namespace, index, prefix, labels: opts.labels ?? {}, now });
        if (padding) pod.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': padding };
        store.commit(podDef, pod, 'ADDED');
        created++;
      }
    },

    inject(rule: FaultRule): () => void {
      const fault: ActiveFault = { rule, remaining: rule.times ?? Infinity };
      faults.add(fault);
      return () => {
        faults.delete(fault);
      };
    },

    forbid(rule: ForbidRule): () => void {
      const copy = { ...rule };
      forbidRules.add(copy);
      return () => {
        forbidRules.delete(copy);
      };
    },

    appendLog(namespace: string, pod: string, container: string, lines: string | readonly string[]): void {
      const obj = store.get(podDef, namespace, pod);
      if (!obj) throw new Error(`appendLog: no pod ${namespace}/${pod}`);
      logs.append(obj, container, typeof lines === 'string' ? [lines] : lines);
    },

    endLog(namespace: string, pod: string, container: string): void {
      logs.end(namespace, pod, container);
    },

    logFollowers(namespace: string, pod: string, container: string): number {
      return logs.followers(namespace, pod, container);
    },

    compact(): void {
      store.compact();
    },

    expireContinueTokens(times = 1): void {
      expireContinue += times;
    },

    setPortTarget(namespace: string, pod: string, port: number, target: PortTarget): void {
      podStreams.targets.set(PodStreams.targetKey(namespace, pod, port), target);
    },

    setServiceProxyTarget(namespace: string, service: string, port: string | number, target: string | undefined): void {
      const key = proxyTargetKey(namespace, service, port);
      if (target === undefined) proxyTargets.delete(key);
      else proxyTargets.set(key, target);
    },

    get execs(): readonly ExecRecord[] {
      return podStreams.execs;
    },

    clearRequests(): void {
      requests.length = 0;
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      stopControllers();
      await velero?.close();
      for (const end of [...openStreams]) end();
      podStreams.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
    },
  };

  if (options.seed === 'demo') seedDemo(fake);
  // After seeding: the demo data is consistent already; the controller reacts to later changes only.
  const stopControllers =
    (options.controllers ?? options.seed === 'demo')
      ? startDeploymentController(
          fake,
          (listener) => store.subscribe(store.mustDef('apps/v1', 'Deployment'), listener),
          options.controllerDelayMs ?? 300,
        )
      : () => undefined;
  return fake;
}
