/**
 * A loopback Google Cloud fake for the real `@google-cloud/container` client in REST fallback mode
 * (cloud-fakes.md §5), the Resource Manager v3 project search and the OAuth token endpoint.
 *
 * - `POST /token`: the RFC 7523 JWT bearer grant. The RS256 assertion is verified against the public key of a
 *   service account registered with `trustServiceAccount` (issuer, audience = this endpoint, expiry, scope);
 *   also the `refresh_token` grant for registered authorized users. Answers fresh access tokens.
 * - Every `/v1` and `/v3` call needs `Authorization: Bearer <a token this fake issued>`, else 401.
 * - `/v1/projects/{p}/locations/{l}/…`: clusters (`l` = `-` for all), node pools, serverConfig, operations,
 *   `:setSize`, `:setAutoscaling`, `:updateMaster`, node pool PUT (UpdateNodePool: version, image type required),
 *   deletes. Mutations return a container Operation that stays RUNNING for `operationPolls` getOperation calls,
 *   then is DONE (its effect applied then), or DONE with `error` after `failNextOperation`. Bodies may carry numeric enums; answers are proto3 JSON (int64 as strings).
 * - `/v3/projects:search`: paged by `pageSize` (default 2) and `pageToken`; `resourceManager = 'serviceDisabled'`
 *   answers 403 SERVICE_DISABLED. `disableContainerApi(p)` does the same for the Kubernetes Engine API.
 * - Errors are google.rpc.Status bodies `{error: {code, message, status, details}}`.
 */
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GkeFakeRecord {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface FakeProject {
  readonly projectId: string;
  readonly projectNumber: string;
  readonly displayName?: string;
  readonly state?: string;
}

export type JsonObject = Record<string, unknown>;

/** Answers the next `times` matching API calls with an error status (or never answers them, `hang`). */
export interface GkeFault {
  readonly method?: string;
  readonly path: RegExp;
  times: number;
  readonly status?: number;
  readonly grpcStatus?: string;
  readonly hang?: boolean;
  /** Extra response headers (e.g. `retry-after`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** A raw body instead of the google.rpc.Status (e.g. truncated JSON), sent with `status` (default 200). */
  readonly rawBody?: string;
}

export interface GkeFake {
  readonly url: string;
  /** `127.0.0.1:<port>` (the form `clusterdeck.gcp.apiEndpoint` takes, without a scheme, when plain http is allowed). */
  readonly host: string;
  readonly tokenUrl: string;
  readonly records: GkeFakeRecord[];
  /** Access tokens this fake issued, in order. */
  readonly issuedTokens: string[];
  /** Token endpoint refusals (reason), in order. */
  readonly tokenRefusals: string[];
  resourceManager: 'ok' | 'serviceDisabled';
  /** The token endpoint never answers while true. */
  tokenHang: boolean;
  /** getOperation polls that still answer RUNNING before an operation is DONE. */
  operationPolls: number;
  trustServiceAccount(email: string, publicKeyPem: string): void;
  trustAuthorizedUser(clientId: string, clientSecret: string, refreshToken: string): void;
  addProject(project: FakeProject): void;
  /** Adds a cluster (proto3 JSON, enums as strings) with its `nodePools`; `name` and `location` are required. */
  addCluster(projectId: string, cluster: JsonObject): void;
  cluster(projectId: string, location: string, name: string): JsonObject | undefined;
  setMissingZones(projectId: string, zones: readonly string[]): void;
  setServerConfig(projectId: string, location: string, config: JsonObject): void;
  disableContainerApi(projectId: string): void;
  /** The next mutation's operation ends DONE with this error message (and its effect is not applied). */
  failNextOperation(message: string): void;
  /** Faults checked in order before routing an authenticated API call. */
  readonly faults: GkeFault[];
  /** Per-zone node count of a pool after setSize (the v1 API does not report it; kept for assertions). */
  poolSize(projectId: string, location: string, cluster: string, pool: string): number | undefined;
  close(): Promise<void>;
}

interface FakeOperation {
  readonly json: JsonObject;
  readonly project: string;
  pollsLeft: number;
  readonly fail?: string;
  readonly apply: () => void;
}

class FakeError extends Error {
  constructor(
    readonly code: number,
    readonly status: string,
    message: string,
    readonly details: JsonObject[] = [],
  ) {
    super(message);
  }
}

const locationPolicies = ['LOCATION_POLICY_UNSPECIFIED', 'BALANCED', 'ANY'];

function b64urlDecode(s: string): Buffer {
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

function serviceDisabled(service: string, title: string, project: string, number: string): FakeError {
  return new FakeError(
    403,
    'PERMISSION_DENIED',
    `${title} has not been used in project ${number} before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/${service}/overview?project=${number} then retry.`,
    [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'SERVICE_DISABLED',
        domain: 'googleapis.com',
        metadata: { service, consumer: `projects/${project}`, containerInfo: project },
      },
    ],
  );
}

export async function startGkeFake(): Promise<GkeFake> {
  const records: GkeFakeRecord[] = [];
  const issuedTokens: string[] = [];
  const tokenRefusals: string[] = [];
  const serviceAccounts = new Map<string, KeyObject>();
  const users = new Map<string, { secret: string; refresh: string }>();
  const projects: FakeProject[] = [];
  const clusters = new Map<string, JsonObject[]>(); // project -> clusters
  const missing = new Map<string, readonly string[]>();
  const serverConfigs = new Map<string, JsonObject>();
  const disabled = new Set<string>();
  const operations = new Map<string, FakeOperation>();
  const poolSizes = new Map<string, number>();
  const faults: GkeFault[] = [];
  let nextFailure: string | undefined;
  let opCounter = 0;

  const numberOf = (project: string) => projects.find((p) => p.projectId === project)?.projectNumber ?? '000000000000';
  const findCluster = (p: string, l: string, c: string) =>
    (clusters.get(p) ?? []).find((x) => x.name === c && (l === '-' || x.location === l));
  const poolsOf = (cluster: JsonObject) => (cluster.nodePools ??= []) as JsonObject[];
  const countNodes = (cluster: JsonObject) => {
    let total = 0;
    for (const pool of poolsOf(cluster)) {
      const key = `${String(cluster.selfKey)}/${String(pool.name)}`;
      const perZone = poolSizes.get(key) ?? Number(pool.initialNodeCount ?? 0);
      const zones = (pool.locations as string[] | undefined)?.length ?? 1;
      total += perZone * zones;
    }
    cluster.currentNodeCount = total;
  };

  function startOperation(project: string, location: string, type: string, target: string, apply: () => void): JsonObject {
    opCounter += 1;
    const name = `operation-${Date.now()}-${opCounter.toString(16).padStart(8, '0')}`;
    const json: JsonObject = {
      name,
      zone: location,
      location: `https://container.googleapis.com/v1/projects/${project}/locations/${location}`,
      operationType: type,
      status: 'RUNNING',
      selfLink: `https://container.googleapis.com/v1/projects/${numberOf(project)}/locations/${location}/operations/${name}`,
      targetLink: `https://container.googleapis.com/v1/projects/${numberOf(project)}/locations/${location}/${target}`,
      startTime: new Date().toISOString(),
      progress: {
        metrics: [
          { name: 'STEPS_TOTAL', intValue: String(fake.operationPolls + 1) },
          { name: 'STEPS_DONE', intValue: '0' },
        ],
      },
    };
    const op: FakeOperation = { json, project, pollsLeft: fake.operationPolls, apply, ...(nextFailure ? { fail: nextFailure } : {}) };
    nextFailure = undefined;
    operations.set(`${project}/${location}/${name}`, op);
    return { ...json };
  }

  function pollOperation(op: FakeOperation): JsonObject {
    if (op.json.status !== 'DONE') {
      if (op.pollsLeft > 0) {
        op.pollsLeft -= 1;
        const total = fake.operationPolls + 1;
        op.json.progress = {
          metrics: [
            { name: 'STEPS_TOTAL', intValue: String(total) },
            { name: 'STEPS_DONE', intValue: String(total - op.pollsLeft - 1) },
          ],
        };
      } else {
        op.json.status = 'DONE';
        op.json.endTime = new Date().toISOString();
        if (op.fail) {
          op.json.error = { code: 9, message: op.fail, details: [] };
          op.json.statusMessage = op.fail;
        } else op.apply();
      }
    }
    return { ...op.json };
  }

  function bearerOk(headers: IncomingHttpHeaders): boolean {
    const m = /^Bearer (\S+)$/.exec(String(headers.authorization ?? ''));
    return m !== null && issuedTokens.includes(m[1] ?? '');
  }

  function issue(): JsonObject {
    const token = `ya29.fake-${randomBytes(12).toString('hex')}`;
    issuedTokens.push(token);
    return { access_token: token, expires_in: 3599, token_type: 'Bearer' };
  }

  function tokenGrant(body: string, res: ServerResponse): void {
    const form = new URLSearchParams(body);
    const refuse = (error: string, description: string) => {
      tokenRefusals.push(description);
      json(res, 400, { error, error_description: description });
    };
    if (form.get('grant_type') === 'refresh_token') {
      const user = users.get(form.get('client_id') ?? '');
      if (!user || user.secret !== form.get('client_secret') || user.refresh !== form.get('refresh_token'))
        return refuse('invalid_grant', 'Bad Request');
      return json(res, 200, { ...issue(), scope: 'https://www.googleapis.com/auth/cloud-platform' });
    }
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
      return refuse('unsupported_grant_type', 'Invalid grant_type');
    const parts = (form.get('assertion') ?? '').split('.');
    if (parts.length !== 3) return refuse('invalid_grant', 'Invalid JWT.');
    const [h, p, s] = parts as [string, string, string];
    let header: JsonObject;
    let claims: JsonObject;
    try {
      header = JSON.parse(b64urlDecode(h).toString('utf8')) as JsonObject;
      claims = JSON.parse(b64urlDecode(p).toString('utf8')) as JsonObject;
    } catch {
      return refuse('invalid_grant', 'Invalid JWT.');
    }
    if (header.alg !== 'RS256') return refuse('invalid_grant', 'Invalid JWT: alg.');
    const key = serviceAccounts.get(String(claims.iss));
    if (!key) return refuse('invalid_grant', 'Invalid grant: account not found');
    if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, b64urlDecode(s))) return refuse('invalid_grant', 'Invalid JWT Signature.');
    const now = Date.now() / 1000;
    if (claims.aud !== `${url}/token`) return refuse('invalid_grant', 'Invalid JWT: aud.');
    if (typeof claims.exp !== 'number' || claims.exp < now || typeof claims.iat !== 'number' || claims.iat > now + 60)
      return refuse('invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.');
    if (!(typeof claims.scope === 'string' ? claims.scope : '').split(' ').includes('https://www.googleapis.com/auth/cloud-platform'))
      return refuse('invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
    json(res, 200, issue());
  }

  function searchProjects(query: Record<string, string>): JsonObject {
    if (fake.resourceManager === 'serviceDisabled')
      throw serviceDisabled('cloudresourcemanager.googleapis.com', 'Cloud Resource Manager API', 'quota-proj', '111111111111');
    const size = Number(query.pageSize ?? 2) || 2;
    const start = Number(query.pageToken ? Buffer.from(query.pageToken, 'base64').toString('utf8') : 0);
    const page = projects.slice(start, start + size).map((x) => ({
      name: `projects/${x.projectNumber}`,
      projectId: x.projectId,
      displayName: x.displayName ?? x.projectId,
      state: x.state ?? 'ACTIVE',
      parent: 'organizations/1',
    }));
    const next = start + size < projects.length ? Buffer.from(String(start + size)).toString('base64') : undefined;
    return { projects: page, ...(next ? { nextPageToken: next } : {}) };
  }

  function container(method: string, path: string, body: string): JsonObject {
    const m = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)(\/.*)?$/.exec(path);
    if (!m) throw new FakeError(404, 'NOT_FOUND', `Not found: ${path}`);
    const [, project = '', location = '', rest = ''] = m;
    if (!projects.some((p) => p.projectId === project))
      throw new FakeError(403, 'PERMISSION_DENIED', `Permission denied on project ${project}.`);
    if (disabled.has(project)) throw serviceDisabled('container.googleapis.com', 'Kubernetes Engine API', project, numberOf(project));
    const input = body ? (JSON.parse(body) as JsonObject) : {};
    const notFound = (what: string) =>
      new FakeError(404, 'NOT_FOUND', `Not found: ${what}.`, [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'RESOURCE_NOT_FOUND', domain: 'container.googleapis.com' },
      ]);
    if (method === 'GET' && rest === '/clusters') {
      const list = (clusters.get(project) ?? []).filter((c) => location === '-' || c.location === location);
      const zones = missing.get(project) ?? [];
      return {
        clusters: list.map(withoutKey),
        ...(zones.length ? { missingZones: zones } : {}),
      };
    }
    if (method === 'GET' && rest === '/serverConfig') {
      const cfg = serverConfigs.get(`${project}/${location}`);
      if (!cfg) throw notFound(`serverConfig for ${location}`);
      return cfg;
    }
    const op = /^\/operations\/([^/:]+)$/.exec(rest);
    if (op && method === 'GET') {
      const found = operations.get(`${project}/${location}/${op[1]}`);
      if (!found) throw notFound(`operation ${op[1]}`);
      return pollOperation(found);
    }
    const cm = /^\/clusters\/([^/:]+)(?::(\w+)|\/nodePools(?:\/([^/:]+)(?::(\w+))?)?)?$/.exec(rest);
    if (!cm) throw new FakeError(404, 'NOT_FOUND', `Not found: ${path}`);
    const [, cName = '', clusterVerb, poolName, poolVerb] = cm;
    const cluster = findCluster(project, location, cName);
    if (!cluster) throw notFound(`projects/${project}/locations/${location}/clusters/${cName}`);
    const clusterJson = withoutKey(cluster);
    const target = `clusters/${cName}`;
    if (!rest.includes('/nodePools')) {
      if (method === 'GET' && !clusterVerb) return clusterJson;
      if (method === 'DELETE' && !clusterVerb) {
        cluster.status = 'STOPPING';
        return startOperation(project, location, 'DELETE_CLUSTER', target, () => {
          clusters.set(
            project,
            (clusters.get(project) ?? []).filter((c) => c !== cluster),
          );
        });
      }
      if (method === 'POST' && clusterVerb === 'updateMaster') {
        const version = typeof input.masterVersion === 'string' ? input.masterVersion : '';
        const cfg = serverConfigs.get(`${project}/${location}`);
        const valid = (cfg?.validMasterVersions as string[] | undefined) ?? [];
        if (!valid.includes(version)) throw new FakeError(400, 'INVALID_ARGUMENT', `Master version "${version}" is unsupported.`);
        return startOperation(project, location, 'UPGRADE_MASTER', target, () => {
          cluster.currentMasterVersion = version;
        });
      }
      throw new FakeError(404, 'NOT_FOUND', `Not found: ${path}`);
    }
    if (poolName === undefined) {
      if (method === 'GET') return { nodePools: poolsOf(cluster) };
      throw new FakeError(404, 'NOT_FOUND', `Not found: ${path}`);
    }
    const pool = poolsOf(cluster).find((p) => p.name === poolName);
    if (!pool) throw notFound(`projects/${project}/locations/${location}/clusters/${cName}/nodePools/${poolName}`);
    const poolTarget = `${target}/nodePools/${poolName}`;
    const running = [...operations.values()].some(
      (o) => o.project === project && o.json.status !== 'DONE' && String(o.json.targetLink).includes(target),
    );
    if (method === 'GET' && !poolVerb) return pool;
    if (running)
      throw new FakeError(
        400,
        'FAILED_PRECONDITION',
        `Cluster is running incompatible operation ${[...operations.values()].find((o) => o.json.status !== 'DONE')?.json.name as string}.`,
      );
    if (method === 'DELETE' && !poolVerb) {
      pool.status = 'STOPPING';
      return startOperation(project, location, 'DELETE_NODE_POOL', poolTarget, () => {
        cluster.nodePools = poolsOf(cluster).filter((p) => p !== pool);
        countNodes(cluster);
      });
    }
    if (method === 'PUT' && !poolVerb) {
      // UpdateNodePool: node_version and image_type are both required; "-" is the control plane's version, and a
      // pool never runs ahead of its control plane.
      const master = typeof cluster.currentMasterVersion === 'string' ? cluster.currentMasterVersion : '';
      const asked = typeof input.nodeVersion === 'string' ? input.nodeVersion : '';
      const imageType = typeof input.imageType === 'string' ? input.imageType : '';
      if (!asked || !imageType) throw new FakeError(400, 'INVALID_ARGUMENT', 'node_version and image_type are required.');
      const version = asked === '-' ? master : asked;
      const cfg = serverConfigs.get(`${project}/${location}`);
      const valid = ((cfg?.validNodeVersions ?? cfg?.validMasterVersions) as string[] | undefined) ?? [];
      if (!valid.includes(version)) throw new FakeError(400, 'INVALID_ARGUMENT', `Node version "${version}" is unsupported.`);
      if (compareGkeVersions(version, master) > 0)
        throw new FakeError(400, 'INVALID_ARGUMENT', `Node version "${version}" must not be newer than the master version "${master}".`);
      const status = pool.status;
      pool.status = 'RECONCILING';
      return startOperation(project, location, 'UPGRADE_NODES', poolTarget, () => {
        pool.version = version;
        pool.config = { ...(pool.config ?? {}), imageType };
        pool.status = status === 'RECONCILING' ? 'RUNNING' : status;
      });
    }
    if (method === 'POST' && poolVerb === 'setSize') {
      const size = Number(input.nodeCount);
      if (!Number.isInteger(size) || size < 0) throw new FakeError(400, 'INVALID_ARGUMENT', 'nodeCount must be a non-negative integer.');
      return startOperation(project, location, 'SET_NODE_POOL_SIZE', poolTarget, () => {
        poolSizes.set(`${String(cluster.selfKey)}/${poolName}`, size);
        countNodes(cluster);
      });
    }
    if (method === 'POST' && poolVerb === 'setAutoscaling') {
      const a = (input.autoscaling ?? {}) as JsonObject;
      const policy = typeof a.locationPolicy === 'number' ? locationPolicies[a.locationPolicy] : a.locationPolicy;
      const next: JsonObject = { ...a, ...(policy !== undefined ? { locationPolicy: policy } : {}) };
      for (const k of ['minNodeCount', 'maxNodeCount', 'totalMinNodeCount', 'totalMaxNodeCount'] as const) {
        if (next[k] !== undefined && (!Number.isInteger(next[k]) || (next[k] as number) < 0))
          throw new FakeError(400, 'INVALID_ARGUMENT', `${k} must be a non-negative integer.`);
      }
      const min = Number(next.totalMinNodeCount ?? next.minNodeCount ?? 0);
      const max = Number(next.totalMaxNodeCount ?? next.maxNodeCount ?? 0);
      if (next.enabled && max < min) throw new FakeError(400, 'INVALID_ARGUMENT', 'max_node_count must be >= min_node_count.');
      return startOperation(project, location, 'SET_NODE_POOL_SIZE', poolTarget, () => {
        pool.autoscaling = next;
      });
    }
    throw new FakeError(404, 'NOT_FOUND', `Not found: ${path}`);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const query: Record<string, string> = {};
      for (const [k, v] of u.searchParams) query[k] = v;
      const rec: GkeFakeRecord = {
        method: req.method ?? 'GET',
        path: decodeURIComponent(u.pathname),
        query,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      records.push(rec);
      try {
        if (rec.method === 'POST' && rec.path === '/token') return fake.tokenHang ? undefined : tokenGrant(rec.body, res);
        if (!bearerOk(req.headers))
          throw new FakeError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials. Expected OAuth 2 access token.');
        const fault = faults.find((f) => f.times > 0 && f.path.test(rec.path) && (!f.method || f.method === rec.method));
        if (fault) {
          fault.times -= 1;
          if (fault.hang) return;
          if (fault.rawBody !== undefined) {
            res.writeHead(fault.status ?? 200, { 'content-type': 'application/json', ...fault.headers });
            res.end(fault.rawBody);
            return;
          }
          if (fault.headers) for (const [k, v] of Object.entries(fault.headers)) res.setHeader(k, v);
          throw new FakeError(fault.status ?? 503, fault.grpcStatus ?? 'UNAVAILABLE', `Injected ${fault.grpcStatus ?? 'UNAVAILABLE'}.`);
        }
        if (rec.method === 'GET' && rec.path === '/v3/projects:search') return json(res, 200, searchProjects(query));
        json(res, 200, container(rec.method, rec.path, rec.body));
      } catch (e) {
        if (e instanceof FakeError)
          json(res, e.code, { error: { code: e.code, message: e.message, status: e.status, details: e.details } });
        else json(res, 500, { error: { code: 500, message: String(e), status: 'INTERNAL' } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  const fake: GkeFake = {
    url,
    host: `127.0.0.1:${port}`,
    tokenUrl: `${url}/token`,
    records,
    issuedTokens,
    tokenRefusals,
    faults,
    resourceManager: 'ok',
    tokenHang: false,
    operationPolls: 2,
    trustServiceAccount: (email, pem) => serviceAccounts.set(email, createPublicKey(pem)),
    trustAuthorizedUser: (id, secret, refresh) => users.set(id, { secret, refresh }),
    addProject: (p) => projects.push(p),
    addCluster(projectId, cluster) {
      // What GKE reports for a cluster created with defaults (the test's fields win).
      const stored: JsonObject = {
        network: 'default',
        subnetwork: 'default',
        clusterIpv4Cidr: '10.8.0.0/14',
        servicesIpv4Cidr: '34.118.224.0/20',
        loggingService: 'logging.googleapis.com/kubernetes',
        monitoringService: 'monitoring.googleapis.com/kubernetes',
        loggingConfig: { componentConfig: { enableComponents: ['SYSTEM_COMPONENTS', 'WORKLOADS'] } },
        monitoringConfig: {
          componentConfig: { enableComponents: ['SYSTEM_COMPONENTS'] },
          managedPrometheusConfig: { enabled: true },
        },
        ...structuredClone(cluster),
      };
      // GKE always reports a pool's image type.
      for (const pool of poolsOf(stored)) pool.config = { imageType: 'COS_CONTAINERD', ...(pool.config ?? {}) };
      stored.selfKey = `${projectId}/${String(cluster.location)}/${String(cluster.name)}`;
      stored.selfLink = `https://container.googleapis.com/v1/projects/${projectId}/locations/${String(cluster.location)}/clusters/${String(cluster.name)}`;
      clusters.set(projectId, [...(clusters.get(projectId) ?? []), stored]);
    },
    cluster: (p, l, c) => findCluster(p, l, c),
    setMissingZones: (p, zones) => missing.set(p, zones),
    setServerConfig: (p, l, cfg) => serverConfigs.set(`${p}/${l}`, cfg),
    disableContainerApi: (p) => disabled.add(p),
    failNextOperation(message) {
      nextFailure = message;
    },
    poolSize: (p, l, c, pool) => poolSizes.get(`${p}/${l}/${c}/${pool}`),
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

function withoutKey(cluster: JsonObject): JsonObject {
  const copy = { ...cluster };
  delete copy.selfKey;
  return copy;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const s = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(s) });
  res.end(s);
}

/** Numeric order of GKE versions ("1.31.3-gke.200"), comparing the numbers only. */
function compareGkeVersions(a: string, b: string): number {
  const parts = (v: string) =>
    v
      .split(/[.-]/)
      .filter((x) => /^\d+$/.test(x))
      .map(Number);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
