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
 * - Provisioning: `POST …/clusters` (CreateCluster) and `POST …/clusters/{c}/nodePools` (CreateNodePool) store
 *   the resource PROVISIONING (enums decoded with the SDK's own protos, so numeric enums are accepted) and return a
 *   CREATE_CLUSTER / CREATE_NODE_POOL Operation; when it is DONE the resource is RUNNING, or ERROR with the
 *   operation's error (`failNextOperation`, e.g. code 8 for a quota). A duplicate name is 409 ALREADY_EXISTS.
 *   `GET …/operations` is listOperations (state as is, polls not advanced).
 * - A fault with `dropResponse` applies the request, then destroys the socket instead of answering (the answer of
 *   an accepted create lost on the way).
 * - `/compute/v1/projects/{p}/…`: regions (+ one region), zones/{z}/machineTypes, global/networks,
 *   regions/{r}/subnetworks, paged by `computePageSize` (`items`, `nextPageToken`), data from `compute`.
 * - Errors are google.rpc.Status bodies `{error: {code, message, status, details}}`.
 */
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { protos } from '@google-cloud/container';

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
  /** Apply the request, then destroy the socket without answering. */
  readonly dropResponse?: boolean;
  /** The error message (default "Injected <grpcStatus>."). */
  readonly message?: string;
  /** Extra response headers (e.g. `retry-after`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** A raw body instead of the google.rpc.Status (e.g. truncated JSON), sent with `status` (default 200). */
  readonly rawBody?: string;
}

/** Compute Engine data the fake serves (regions with zones, machine types per zone, networks, subnetworks). */
export interface FakeCompute {
  regions: { name: string; zones: string[]; status?: string }[];
  machineTypes: Record<string, { name: string; guestCpus: number; memoryMb: number; deprecated?: { state: string } }[]>;
  networks: { name: string; autoCreateSubnetworks: boolean }[];
  subnetworks: {
    name: string;
    region: string;
    network: string;
    ipCidrRange: string;
    secondaryIpRanges?: { rangeName: string; ipCidrRange: string }[];
  }[];
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
  /** The next mutation's operation ends DONE with this error (gRPC `code`, default 9), its effect not applied. */
  failNextOperation(message: string, code?: number): void;
  /** Compute Engine data (mutable). */
  readonly compute: FakeCompute;
  /** Items per Compute list page. */
  computePageSize: number;
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
  readonly fail?: { readonly message: string; readonly code: number };
  readonly apply: () => void;
  readonly onFail?: (message: string) => void;
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
  let nextFailure: { message: string; code: number } | undefined;
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

  function startOperation(
    project: string,
    location: string,
    type: string,
    target: string,
    apply: () => void,
    onFail?: (message: string) => void,
  ): JsonObject {
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
    const op: FakeOperation = {
      json,
      project,
      pollsLeft: fake.operationPolls,
      apply,
      ...(nextFailure ? { fail: nextFailure } : {}),
      ...(onFail ? { onFail } : {}),
    };
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
          op.json.error = { code: op.fail.code, message: op.fail.message, details: [] };
          op.json.statusMessage = op.fail.message;
          op.onFail?.(op.fail.message);
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
    if (method === 'POST' && rest === '/clusters') return createCluster(project, location, input);
    if (method === 'GET' && rest === '/operations') {
      const list = [...operations.values()]
        .filter((o) => o.project === project && (location === '-' || String(o.json.zone) === location))
        .map((o) => ({ ...o.json }));
      return { operations: list };
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
      if (method === 'POST') return createNodePool(project, location, cluster, input);
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

  /** Decodes a request body like GKE does (numeric or named enums; int64 as strings in answers). */
  function decode(type: 'CreateClusterRequest' | 'CreateNodePoolRequest', input: JsonObject): JsonObject {
    const v1 = protos.google.container.v1;
    const opts = { enums: String, longs: String };
    try {
      return type === 'CreateClusterRequest'
        ? v1.CreateClusterRequest.toObject(v1.CreateClusterRequest.fromObject(input), opts)
        : v1.CreateNodePoolRequest.toObject(v1.CreateNodePoolRequest.fromObject(input), opts);
    } catch (e) {
      throw new FakeError(400, 'INVALID_ARGUMENT', `Invalid JSON payload received. ${(e as Error).message}`);
    }
  }

  const nameRule = /^[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?$/;

  function createCluster(project: string, location: string, input: JsonObject): JsonObject {
    const request = decode('CreateClusterRequest', input);
    const c = (request.cluster ?? {}) as JsonObject;
    const name = typeof c.name === 'string' ? c.name : '';
    if (!nameRule.test(name)) throw new FakeError(400, 'INVALID_ARGUMENT', `Cluster name "${name}" is invalid.`);
    const autopilot = (c.autopilot as JsonObject | undefined)?.enabled === true;
    const pools = (c.nodePools as JsonObject[] | undefined) ?? [];
    if (autopilot && pools.length) throw new FakeError(400, 'INVALID_ARGUMENT', 'Autopilot clusters cannot have node pools.');
    if (autopilot && /-[a-z]$/.test(location)) throw new FakeError(400, 'INVALID_ARGUMENT', 'Autopilot clusters must be regional.');
    if (!autopilot && pools.length === 0)
      throw new FakeError(400, 'INVALID_ARGUMENT', 'Cluster.node_pools must have at least one node pool.');
    if (findCluster(project, location, name))
      throw new FakeError(409, 'ALREADY_EXISTS', `Already exists: projects/${project}/locations/${location}/clusters/${name}.`);
    const channel = ((c.releaseChannel as JsonObject | undefined)?.channel as string | undefined) ?? 'UNSPECIFIED';
    const cfg = serverConfigs.get(`${project}/${location}`);
    const channelDefault = ((cfg?.channels as JsonObject[] | undefined) ?? []).find((x) => x.channel === channel)?.defaultVersion;
    const version = ((c.initialClusterVersion ?? channelDefault ?? cfg?.defaultClusterVersion) as string | undefined) ?? '1.33.4-gke.1200';
    const zones = /-[a-z]$/.test(location) ? [location] : ['b', 'c', 'd'].map((z) => `${location}-${z}`);
    fake.addCluster(project, {
      ...c,
      location,
      zone: location,
      status: 'PROVISIONING',
      currentMasterVersion: version,
      ...(c.locations ? {} : { locations: zones }),
      nodePools: pools.map((p) => ({ ...p, status: 'PROVISIONING', version, ...(p.locations ? {} : { locations: c.locations ?? zones }) })),
    });
    const stored = findCluster(project, location, name)!;
    countNodes(stored);
    return startOperation(
      project,
      location,
      'CREATE_CLUSTER',
      `clusters/${name}`,
      () => {
        stored.status = 'RUNNING';
        stored.endpoint = '34.9.8.7';
        for (const p of poolsOf(stored)) p.status = 'RUNNING';
      },
      (message) => {
        stored.status = 'ERROR';
        stored.statusMessage = message;
        for (const p of poolsOf(stored)) p.status = 'ERROR';
      },
    );
  }

  function createNodePool(project: string, location: string, cluster: JsonObject, input: JsonObject): JsonObject {
    const request = decode('CreateNodePoolRequest', input);
    const p = (request.nodePool ?? {}) as JsonObject;
    const name = typeof p.name === 'string' ? p.name : '';
    if (!nameRule.test(name)) throw new FakeError(400, 'INVALID_ARGUMENT', `Node pool name "${name}" is invalid.`);
    if ((cluster.autopilot as JsonObject | undefined)?.enabled)
      throw new FakeError(400, 'FAILED_PRECONDITION', 'Autopilot clusters manage node pools.');
    if (poolsOf(cluster).some((x) => x.name === name))
      throw new FakeError(
        409,
        'ALREADY_EXISTS',
        `Already exists: projects/${project}/locations/${location}/clusters/${String(cluster.name)}/nodePools/${name}.`,
      );
    const pool: JsonObject = {
      ...p,
      config: { imageType: 'COS_CONTAINERD', ...(p.config ?? {}) },
      status: 'PROVISIONING',
      version: cluster.currentMasterVersion,
      ...(p.locations ? {} : { locations: cluster.locations }),
    };
    poolsOf(cluster).push(pool);
    return startOperation(
      project,
      location,
      'CREATE_NODE_POOL',
      `clusters/${String(cluster.name)}/nodePools/${name}`,
      () => {
        pool.status = 'RUNNING';
        countNodes(cluster);
      },
      (message) => {
        pool.status = 'ERROR';
        pool.statusMessage = message;
      },
    );
  }

  const compute: FakeCompute = {
    regions: [
      { name: 'europe-west1', zones: ['europe-west1-b', 'europe-west1-c', 'europe-west1-d'] },
      { name: 'us-central1', zones: ['us-central1-a', 'us-central1-b', 'us-central1-c', 'us-central1-f'] },
    ],
    machineTypes: {},
    networks: [
      { name: 'default', autoCreateSubnetworks: true },
      { name: 'prod-vpc', autoCreateSubnetworks: false },
    ],
    subnetworks: [
      { name: 'default', region: 'europe-west1', network: 'default', ipCidrRange: '10.132.0.0/20' },
      { name: 'default', region: 'us-central1', network: 'default', ipCidrRange: '10.128.0.0/20' },
      {
        name: 'prod-euw1',
        region: 'europe-west1',
        network: 'prod-vpc',
        ipCidrRange: '10.10.0.0/20',
        secondaryIpRanges: [
          { rangeName: 'pods', ipCidrRange: '10.16.0.0/14' },
          { rangeName: 'services', ipCidrRange: '10.20.0.0/20' },
        ],
      },
    ],
  };
  for (const r of compute.regions)
    for (const z of r.zones)
      compute.machineTypes[z] = [
        { name: 'e2-medium', guestCpus: 2, memoryMb: 4096 },
        { name: 'e2-standard-4', guestCpus: 4, memoryMb: 16384 },
        { name: 'n1-standard-1', guestCpus: 1, memoryMb: 3840, deprecated: { state: 'DEPRECATED' } },
        ...(z === 'europe-west1-b' ? [{ name: 'a2-highgpu-1g', guestCpus: 12, memoryMb: 87040 }] : []),
      ];

  function computeApi(path: string, query: Record<string, string>): JsonObject {
    const m = /^\/compute\/v1\/projects\/([^/]+)\/(.+)$/.exec(path);
    if (!m) throw new FakeError(404, 'NOT_FOUND', `The resource '${path}' was not found`);
    const [, project = '', rest = ''] = m;
    if (!projects.some((p) => p.projectId === project))
      throw new FakeError(403, 'PERMISSION_DENIED', `Permission denied on project ${project}.`);
    const base = `https://www.googleapis.com/compute/v1/projects/${project}`;
    const page = (items: JsonObject[], kind: string): JsonObject => {
      const start = Number(query.pageToken ?? 0) || 0;
      const size = fake.computePageSize;
      const next = start + size < items.length ? String(start + size) : undefined;
      return { kind, items: items.slice(start, start + size), ...(next ? { nextPageToken: next } : {}) };
    };
    const region = (r: FakeCompute['regions'][number]): JsonObject => ({
      name: r.name,
      status: r.status ?? 'UP',
      zones: r.zones.map((z) => `${base}/zones/${z}`),
      selfLink: `${base}/regions/${r.name}`,
    });
    if (rest === 'regions') return page(compute.regions.map(region), 'compute#regionList');
    let x = /^regions\/([^/]+)$/.exec(rest);
    if (x) {
      const r = compute.regions.find((y) => y.name === x![1]);
      if (!r) throw new FakeError(404, 'NOT_FOUND', `The resource '${base}/regions/${x[1]}' was not found`);
      return region(r);
    }
    x = /^zones\/([^/]+)\/machineTypes$/.exec(rest);
    if (x) {
      const list = compute.machineTypes[x[1] ?? ''];
      if (!list) throw new FakeError(404, 'NOT_FOUND', `The resource '${base}/zones/${x[1]}' was not found`);
      return page(
        list.map((t) => ({ ...t, zone: x![1] })),
        'compute#machineTypeList',
      );
    }
    if (rest === 'global/networks')
      return page(
        compute.networks.map((n) => ({ ...n, selfLink: `${base}/global/networks/${n.name}` })),
        'compute#networkList',
      );
    x = /^regions\/([^/]+)\/subnetworks$/.exec(rest);
    if (x)
      return page(
        compute.subnetworks
          .filter((s) => s.region === x[1])
          .map((s) => ({ ...s, region: `${base}/regions/${s.region}`, network: `${base}/global/networks/${s.network}` })),
        'compute#subnetworkList',
      );
    throw new FakeError(404, 'NOT_FOUND', `The resource '${path}' was not found`);
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
          if (fault.dropResponse) {
            try {
              container(rec.method, rec.path, rec.body);
            } finally {
              req.socket.destroy();
            }
            return;
          }
          if (fault.rawBody !== undefined) {
            res.writeHead(fault.status ?? 200, { 'content-type': 'application/json', ...fault.headers });
            res.end(fault.rawBody);
            return;
          }
          if (fault.headers) for (const [k, v] of Object.entries(fault.headers)) res.setHeader(k, v);
          throw new FakeError(
            fault.status ?? 503,
            fault.grpcStatus ?? 'UNAVAILABLE',
            fault.message ?? `Injected ${fault.grpcStatus ?? 'UNAVAILABLE'}.`,
          );
        }
        if (rec.method === 'GET' && rec.path === '/v3/projects:search') return json(res, 200, searchProjects(query));
        if (rec.method === 'GET' && rec.path.startsWith('/compute/v1/')) return json(res, 200, computeApi(rec.path, query));
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
    failNextOperation(message, code = 9) {
      nextFailure = { message, code };
    },
    compute,
    computePageSize: 2,
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
