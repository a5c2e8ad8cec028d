// A wire fake of Amazon EKS (restJson1) plus STS GetCallerIdentity, on 127.0.0.1:0, for the real
// @aws-sdk/client-eks (cloud-fakes.md §4). One server serves every region: the region is read from the
// request's SigV4 credential scope, and every request's signature is checked against the known keys.
//
// - Bodies wrapped in their output member, timestamps as epoch seconds, maxResults/nextToken paging.
// - Errors as `x-amzn-errortype` + `{message}` with the modelled status.
// - Per-region latency and failure (an AWS error, an HTML error page, a raw answer, or no answer at all), one-shot
//   faults.
// - Clusters and node groups move UPDATING → ACTIVE and DELETING → gone across polls (DescribeUpdate,
//   DescribeNodegroup, DescribeCluster); updates repeat for a repeated clientRequestToken.
// - UpdateNodegroupVersion (`POST …/node-groups/{ng}/update-version`): never past the cluster's version, never
//   down; the node group's version moves when its DescribeUpdate reports Successful.
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import { answerGetCallerIdentity, authenticateEksToken, type FakeAwsKey } from './stsFake';
import { answerEc2, answerIam, ec2Error, iamError, IamState, type AwsQueryData } from './awsQueryFake';

export type { FakeAwsKey } from './stsFake';

/** A failure the fake answers instead of the real result. */
export type FakeFailure =
  | { readonly kind: 'aws'; readonly status: number; readonly type: string; readonly message?: string }
  | { readonly kind: 'html'; readonly status: number }
  | { readonly kind: 'hang' }
  /** The request is carried out, but its answer is lost: the client gets a 500 and may retry. */
  | { readonly kind: 'lostAnswer' }
  /** The request is carried out, then the connection is destroyed without an answer (a response lost after accept). */
  | { readonly kind: 'dropAfterApply' }
  /** Any answer as given (a 503 with Retry-After, a body that is not JSON); content-type JSON unless set. */
  | { readonly kind: 'raw'; readonly status: number; readonly body: string; readonly headers?: Readonly<Record<string, string>> };

/** A health issue a create ends with (cluster FAILED / node group CREATE_FAILED). */
export interface FakeIssue {
  readonly code: string;
  readonly message: string;
}

export interface FakeNodegroupSpec {
  readonly name: string;
  readonly instanceTypes?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly desired?: number;
  readonly capacityType?: 'ON_DEMAND' | 'SPOT';
  readonly version?: string;
  readonly status?: string;
}

export interface FakeClusterSpec {
  readonly name: string;
  readonly version?: string;
  readonly status?: string;
  readonly publicAccess?: boolean;
  readonly privateAccess?: boolean;
  readonly publicCidrs?: readonly string[];
  /** Control-plane log types that are on (default none); the others are reported as a disabled entry. */
  readonly enabledLogTypes?: readonly string[];
  /** KMS key ARN of secrets encryption (default none: no encryptionConfig). */
  readonly kmsKeyArn?: string;
  readonly nodegroups?: readonly FakeNodegroupSpec[];
  readonly addons?: readonly { readonly name: string; readonly version?: string; readonly status?: string }[];
  readonly tags?: Readonly<Record<string, string>>;
}

export interface EksFakeOptions {
  /** Access key id → secret (and identity). Requests signed with anything else are refused. */
  readonly keys: Readonly<Record<string, FakeAwsKey>>;
  readonly regionLatencyMs?: Readonly<Record<string, number>>;
  readonly regionFailure?: Readonly<Record<string, FakeFailure>>;
  /** Polls before an update or deletion completes (default 2). */
  readonly pollsToSettle?: number;
  /** Versions DescribeClusterVersions offers (default 1.31–1.34). */
  readonly versions?: readonly string[];
  /** At most this many items per page whatever maxResults asks (servers may return fewer). */
  readonly pageLimit?: number;
  /**
   * The Account API's ListRegions (service `account`): the regions enabled for the account, standard and opted-in.
   * Absent: ListRegions is refused with AccessDeniedException (no account:ListRegions permission).
   */
  readonly enabledRegions?: readonly string[];
  /** EC2 and IAM data for the wizard's choices (DescribeSubnets, ListRoles… on the same port). */
  readonly awsQuery?: AwsQueryData;
  /**
   * The fake's clock runs this far ahead of the machine's (its `Date` header and the signature-age check): the client
   * looks like a machine whose clock is off (reliability B50). Default 0.
   */
  readonly clockOffsetMs?: number;
  /** How far a request's `x-amz-date` may be from the fake's clock (default 15 min; AWS SigV4 allows 5 min). */
  readonly maxSignatureAgeMs?: number;
}

export interface EksRecord {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly operation: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

interface Nodegroup {
  name: string;
  instanceTypes: string[];
  min: number;
  max: number;
  desired: number;
  capacityType: string;
  version: string;
  status: string;
  createdAt: number;
  deletePolls: number;
  tags?: Record<string, string>;
  created?: Record<string, unknown>;
  createPolls?: number;
  failOnSettle?: FakeIssue;
  issues?: FakeIssue[];
}
interface Addon {
  name: string;
  version: string;
  status: string;
}
interface UpdateState {
  id: string;
  type: string;
  status: string;
  params: { type: string; value: string }[];
  createdAt: number;
  polls: number;
  nodegroup?: string;
  apply: () => void;
  fail?: { errorCode: string; errorMessage: string };
}
interface Cluster {
  name: string;
  region: string;
  version: string;
  status: string;
  publicAccess: boolean;
  privateAccess: boolean;
  publicCidrs: string[];
  enabledLogTypes: string[];
  kmsKeyArn: string | undefined;
  createdAt: number;
  nodegroups: Map<string, Nodegroup>;
  addons: Map<string, Addon>;
  updates: Map<string, UpdateState>;
  deletePolls: number;
  tags: Record<string, string>;
  subnetIds?: string[];
  roleArn?: string;
  createPolls: number;
  failOnSettle?: FakeIssue;
  issues: FakeIssue[];
}

export interface EksFake {
  readonly url: string;
  readonly records: readonly EksRecord[];
  /** STS requests (presigned GetCallerIdentity) and their outcome. */
  readonly stsRecords: readonly { readonly status: number; readonly refusal?: string }[];
  addCluster(region: string, spec: FakeClusterSpec): void;
  cluster(region: string, name: string): { status: string; version: string; nodegroups: string[]; updates: number } | undefined;
  nodegroup(
    region: string,
    cluster: string,
    name: string,
  ): { status: string; min: number; max: number; desired: number; version: string } | undefined;
  setRegionLatency(region: string, ms: number): void;
  setRegionFailure(region: string, failure: FakeFailure | undefined): void;
  /** The next `count` requests of `operation` (in `region`, or any) get `failure`. */
  failNext(operation: string, count: number, failure: FakeFailure, region?: string): void;
  /** Forgets every pending `failNext`. */
  clearFailNext(): void;
  /** The next update created fails with this error when it settles. */
  failNextUpdate(errorCode: string, errorMessage: string): void;
  /** The fake's clock for STS token expiry (default the real clock). */
  setNow(now: () => Date): void;
  /** The next cluster / node group created ends FAILED / CREATE_FAILED with this health issue. */
  failNextCreate(kind: 'cluster' | 'nodegroup', issue: FakeIssue): void;
  /** Tags of a cluster or node group (what a create sent, plus nothing else). */
  tagsOf(region: string, cluster: string, nodegroup?: string): Record<string, string> | undefined;
  /** Add-ons of a cluster. */
  addonsOf(region: string, cluster: string): string[];
  /** The fake's IAM roles (created through CreateRole, or seeded), to inspect and to add someone else's role. */
  readonly iam: IamState;
  /** Authenticates an EKS token as the cluster's authenticator would (replays it against this fake's STS). */
  authenticate(token: string, cluster: string): Promise<string>;
  close(): Promise<void>;
}

type Bytes = string | ArrayBuffer | ArrayBufferView;
const toBytes = (d: Bytes) =>
  typeof d === 'string' ? d : ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d);
class Sha256 {
  private readonly h;
  constructor(secret?: Bytes) {
    this.h = secret ? createHmac('sha256', toBytes(secret)) : createHash('sha256');
  }
  update(d: Bytes): void {
    this.h.update(toBytes(d));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
  reset(): void {
    /* single use */
  }
}

const epoch = (ms: number) => ms / 1000;

const logTypes = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

export async function startEksFake(options: EksFakeOptions): Promise<EksFake> {
  const keys = new Map(Object.entries(options.keys));
  const latency = new Map(Object.entries(options.regionLatencyMs ?? {}));
  const regionFailure = new Map(Object.entries(options.regionFailure ?? {}));
  const settle = options.pollsToSettle ?? 2;
  const versions = options.versions ?? ['1.31', '1.32', '1.33', '1.34'];
  const clusters = new Map<string, Cluster>(); // `${region}/${name}`
  const oneShots: { operation: string; region?: string; count: number; failure: FakeFailure }[] = [];
  const records: EksRecord[] = [];
  const stsRecords: { status: number; refusal?: string }[] = [];
  const requestTokens = new Map<string, UpdateState>();
  let nextUpdateFailure: { errorCode: string; errorMessage: string } | undefined;
  const nextCreateFailure: { cluster?: FakeIssue; nodegroup?: FakeIssue } = {};
  const createTokens = new Map<string, { body: string; key: string }>();
  let now = () => new Date();
  const clockOffsetMs = options.clockOffsetMs ?? 0;
  const maxSignatureAgeMs = options.maxSignatureAgeMs ?? 15 * 60_000;
  const sockets = new Set<Socket>();
  let port = 0;

  const account = (akid: string) => keys.get(akid)?.account ?? '000000000000';
  const iam = new IamState(options.awsQuery ?? {});

  function clusterJson(c: Cluster, akid: string) {
    return {
      name: c.name,
      arn: `arn:aws:eks:${c.region}:${account(akid)}:cluster/${c.name}`,
      createdAt: epoch(c.createdAt),
      version: c.version,
      endpoint: `https://${createHash('md5').update(c.name).digest('hex').slice(0, 16).toUpperCase()}.gr7.${c.region}.eks.amazonaws.com`,
      roleArn: c.roleArn ?? `arn:aws:iam::${account(akid)}:role/eks-cluster`,
      resourcesVpcConfig: {
        subnetIds: c.subnetIds ?? ['subnet-1', 'subnet-2'],
        vpcId: 'vpc-1',
        endpointPublicAccess: c.publicAccess,
        endpointPrivateAccess: c.privateAccess,
        publicAccessCidrs: c.publicCidrs,
        securityGroupIds: ['sg-0a1b2c3d'],
        clusterSecurityGroupId: 'sg-0cluster',
      },
      kubernetesNetworkConfig: { serviceIpv4Cidr: '172.20.0.0/16', ipFamily: 'ipv4', elasticLoadBalancing: { enabled: false } },
      logging: {
        clusterLogging: [
          ...(c.enabledLogTypes.length ? [{ types: c.enabledLogTypes, enabled: true }] : []),
          { types: logTypes.filter((t) => !c.enabledLogTypes.includes(t)), enabled: false },
        ],
      },
      identity: {
        oidc: { issuer: `https://oidc.eks.${c.region}.amazonaws.com/id/${createHash('md5').update(c.name).digest('hex').toUpperCase()}` },
      },
      accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
      ...(c.kmsKeyArn ? { encryptionConfig: [{ resources: ['secrets'], provider: { keyArn: c.kmsKeyArn } }] } : {}),
      status: c.status,
      certificateAuthority: {
        data: Buffer.from(`-----BEGIN CERTIFICATE-----\nfake-ca-${c.name}\n-----END CERTIFICATE-----\n`).toString('base64'),
      },
      platformVersion: 'eks.1',
      tags: c.tags,
      health: { issues: c.issues.map((i) => ({ code: i.code, message: i.message, resourceIds: [] })) },
    };
  }
  function nodegroupJson(c: Cluster, g: Nodegroup, akid: string) {
    return {
      nodegroupName: g.name,
      nodegroupArn: `arn:aws:eks:${c.region}:${account(akid)}:nodegroup/${c.name}/${g.name}/0000`,
      clusterName: c.name,
      version: g.version,
      releaseVersion: `${g.version}.0-20261101`,
      createdAt: epoch(g.createdAt),
      modifiedAt: epoch(g.createdAt),
      status: g.status,
      capacityType: g.capacityType,
      scalingConfig: { minSize: g.min, maxSize: g.max, desiredSize: g.desired },
      instanceTypes: g.instanceTypes,
      subnets: ['subnet-1'],
      amiType: 'AL2023_x86_64_STANDARD',
      nodeRole: `arn:aws:iam::${account(akid)}:role/eks-node`,
      ...(g.created ?? {}),
      tags: g.tags ?? {},
      health: { issues: (g.issues ?? []).map((i) => ({ code: i.code, message: i.message, resourceIds: [] })) },
    };
  }
  const updateJson = (u: UpdateState) => ({
    id: u.id,
    status: u.status,
    type: u.type,
    params: u.params,
    createdAt: epoch(u.createdAt),
    errors: u.fail && u.status === 'Failed' ? [{ errorCode: u.fail.errorCode, errorMessage: u.fail.errorMessage, resourceIds: [] }] : [],
  });

  function page<T>(items: readonly T[], query: URLSearchParams, max = 100): { items: T[]; nextToken?: string } | 'bad' {
    const maxResults = Number(query.get('maxResults') ?? max);
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > max) return 'bad';
    const token = query.get('nextToken');
    const start = token
      ? Number(
          Buffer.from(token, 'base64url')
            .toString('utf8')
            .replace(/^offset:/, ''),
        )
      : 0;
    if (!Number.isInteger(start) || start < 0 || start > items.length) return 'bad';
    const slice = items.slice(start, start + Math.min(maxResults, options.pageLimit ?? maxResults));
    const end = start + slice.length;
    return { items: slice, ...(end < items.length ? { nextToken: Buffer.from(`offset:${end}`).toString('base64url') } : {}) };
  }

  async function verify(
    req: IncomingMessage,
    path: string,
    query: string,
    body: string,
  ): Promise<{ akid: string; region: string; problem?: [number, string, string] }> {
    const m =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(
        String(req.headers.authorization ?? ''),
      );
    if (!m) return { akid: '', region: '', problem: [403, 'MissingAuthenticationTokenException', 'Missing Authentication Token'] };
    const [, akid = '', , region = '', service, signedHeaders = '', sig] = m;
    const key = keys.get(akid);
    if (!key)
      return { akid, region, problem: [403, 'UnrecognizedClientException', 'The security token included in the request is invalid.'] };
    const expectedService =
      path === '/listRegions'
        ? 'account'
        : path === '/' && req.method === 'POST' && (service === 'ec2' || service === 'iam')
          ? service
          : 'eks';
    if (service !== expectedService)
      return {
        akid,
        region,
        problem: [403, 'InvalidSignatureException', `Credential should be scoped to correct service: '${expectedService}'.`],
      };
    if (key.sessionToken !== undefined && req.headers['x-amz-security-token'] !== key.sessionToken) {
      return { akid, region, problem: [403, 'UnrecognizedClientException', 'The security token included in the request is invalid.'] };
    }
    const headers: Record<string, string> = {};
    for (const h of signedHeaders.split(';')) headers[h] = String(req.headers[h] ?? '');
    const amz = String(req.headers['x-amz-date'] ?? '');
    const signingDate = new Date(amz.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
    if (Number.isNaN(signingDate.getTime()) || Math.abs(signingDate.getTime() - (Date.now() + clockOffsetMs)) > maxSignatureAgeMs) {
      return { akid, region, problem: [403, 'InvalidSignatureException', 'Signature expired.'] };
    }
    const queryRecord: Record<string, string | string[]> = {};
    const params = new URLSearchParams(query);
    for (const k of new Set(params.keys())) {
      const all = params.getAll(k);
      queryRecord[k] = all.length === 1 ? (all[0] ?? '') : all;
    }
    const signer = new SignatureV4({
      credentials: {
        accessKeyId: akid,
        secretAccessKey: key.secretAccessKey,
        ...(key.sessionToken ? { sessionToken: key.sessionToken } : {}),
      },
      region,
      service: expectedService,
      sha256: Sha256,
      applyChecksum: false,
    });
    const signed = await signer.sign(
      {
        method: req.method ?? 'GET',
        protocol: 'http:',
        hostname: '127.0.0.1',
        port,
        path,
        query: queryRecord,
        headers,
        ...(body ? { body } : {}),
      },
      { signingDate, signableHeaders: new Set(signedHeaders.split(';')) },
    );
    if (!String(signed.headers.authorization).endsWith(`Signature=${sig}`)) {
      return {
        akid,
        region,
        problem: [
          403,
          'InvalidSignatureException',
          'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
        ],
      };
    }
    return { akid, region };
  }

  function send(res: ServerResponse, status: number, body: unknown, errorType?: string): string {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
      ...(errorType ? { 'x-amzn-errortype': `${errorType}:http://internal.amazon.com/coral/com.amazonaws.eks/` } : {}),
    });
    res.end(text);
    return text;
  }
  const awsError = (res: ServerResponse, status: number, type: string, message: string) => send(res, status, { message }, type);

  function answerFailure(res: ServerResponse, f: FakeFailure): { status: number; body: string } | undefined {
    if (f.kind === 'hang' || f.kind === 'lostAnswer' || f.kind === 'dropAfterApply') return undefined;
    if (f.kind === 'raw') {
      res.writeHead(f.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(f.body), ...f.headers });
      res.end(f.body);
      return { status: f.status, body: f.body };
    }
    if (f.kind === 'html') {
      const html = `<html><head><title>${f.status} Internal Server Error</title></head><body><h1>${f.status}</h1></body></html>`;
      res.writeHead(f.status, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(html) });
      res.end(html);
      return { status: f.status, body: html };
    }
    return { status: f.status, body: awsError(res, f.status, f.type, f.message ?? f.type) };
  }

  function operationOf(method: string, parts: string[], query: URLSearchParams): string {
    const [a, name, b, sub, c] = parts;
    if (a === 'cluster-versions' && parts.length === 1) return 'DescribeClusterVersions';
    if (a === 'listRegions' && parts.length === 1) return method === 'POST' ? 'ListRegions' : 'Unknown';
    if (a !== 'clusters') return query.get('Action') ? 'STS' : 'Unknown';
    if (parts.length === 1) return method === 'GET' ? 'ListClusters' : method === 'POST' ? 'CreateCluster' : 'Unknown';
    if (parts.length === 2) return method === 'GET' ? 'DescribeCluster' : method === 'DELETE' ? 'DeleteCluster' : 'Unknown';
    if (b === 'node-groups') {
      if (parts.length === 3 && method === 'GET') return 'ListNodegroups';
      if (parts.length === 3 && method === 'POST') return 'CreateNodegroup';
      if (parts.length === 4) return method === 'GET' ? 'DescribeNodegroup' : method === 'DELETE' ? 'DeleteNodegroup' : 'Unknown';
      if (parts.length === 5 && c === 'update-config' && method === 'POST') return 'UpdateNodegroupConfig';
      if (parts.length === 5 && c === 'update-version' && method === 'POST') return 'UpdateNodegroupVersion';
    }
    if (b === 'updates') {
      if (parts.length === 3 && method === 'POST') return 'UpdateClusterVersion';
      if (parts.length === 4 && method === 'GET') return 'DescribeUpdate';
    }
    if (b === 'addons') {
      if (parts.length === 3 && method === 'GET') return 'ListAddons';
      if (parts.length === 3 && method === 'POST') return 'CreateAddon';
      if (parts.length === 4 && method === 'GET') return 'DescribeAddon';
    }
    void name;
    void sub;
    return 'Unknown';
  }

  function newUpdate(
    c: Cluster,
    type: string,
    params: { type: string; value: string }[],
    apply: () => void,
    token: string | undefined,
    nodegroup?: string,
  ): UpdateState {
    const u: UpdateState = {
      id: randomUUID(),
      type,
      status: 'InProgress',
      params,
      createdAt: Date.now(),
      polls: 0,
      apply,
      ...(nodegroup ? { nodegroup } : {}),
    };
    if (nextUpdateFailure) {
      u.fail = nextUpdateFailure;
      nextUpdateFailure = undefined;
    }
    c.updates.set(u.id, u);
    if (token) requestTokens.set(token, u);
    return u;
  }

  async function handle(
    req: IncomingMessage,
    response: ServerResponse,
    body: string,
  ): Promise<{ status: number; body: string; operation: string; region: string; akid: string } | undefined> {
    let res = response;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const rawQuery = url.search.slice(1);
    const query = url.searchParams;
    if (url.pathname === '/' && query.get('Action')) {
      const answer = answerGetCallerIdentity(method, url.pathname, rawQuery, req.headers, keys, now());
      stsRecords.push({ status: answer.status, ...(answer.refusal ? { refusal: answer.refusal } : {}) });
      res.writeHead(answer.status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(answer.body) });
      res.end(answer.body);
      return { status: answer.status, body: answer.body, operation: 'STS GetCallerIdentity', region: '', akid: '' };
    }
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    // EC2 and IAM (query protocols): POST / with a form body naming the Action; the service is the signing scope's.
    const form = url.pathname === '/' && method === 'POST' ? new URLSearchParams(body) : undefined;
    const scopeService = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
    const operation = form ? `${scopeService}:${form.get('Action') ?? ''}` : operationOf(method, parts, query);
    const auth = await verify(req, url.pathname, rawQuery, body);
    const done = (status: number, text: string) => ({ status, body: text, operation, region: auth.region, akid: auth.akid });
    if (auth.problem) return done(auth.problem[0], awsError(res, ...auth.problem));
    const region = auth.region;
    const delay = latency.get(region) ?? 0;
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    const shot = oneShots.find((s) => s.count > 0 && s.operation === operation && (s.region === undefined || s.region === region));
    const failure = shot?.failure ?? regionFailure.get(region);
    if (shot) shot.count--;
    if (failure?.kind === 'dropAfterApply') {
      // Carry the request out against a sink, then cut the connection: the client never learns the outcome.
      const sink = { writeHead: () => sink, end: () => sink } as unknown as ServerResponse;
      res = sink;
      setImmediate(() => response.socket?.destroy());
    } else if (failure?.kind === 'lostAnswer') {
      // Carry the request out against a sink, then answer a server error on the real response.
      const sink = { writeHead: () => sink, end: () => sink } as unknown as ServerResponse;
      res = sink;
      setImmediate(() => awsError(response, 500, 'ServerException', 'Internal failure (the answer was lost).'));
    } else if (failure?.kind === 'aws' && form) {
      // EC2 and IAM speak XML errors.
      const xml =
        scopeService === 'ec2'
          ? ec2Error(failure.type, failure.message ?? failure.type)
          : iamError(failure.type, failure.message ?? failure.type);
      res.writeHead(failure.status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(xml) });
      res.end(xml);
      return done(failure.status, xml);
    } else if (failure) {
      const answered = answerFailure(res, failure);
      return answered ? done(answered.status, answered.body) : undefined;
    }
    const bad = (message: string) => done(400, awsError(res, 400, 'InvalidParameterException', message));
    const notFound = (message: string) => done(404, awsError(res, 404, 'ResourceNotFoundException', message));
    const ok = (value: unknown) => done(200, send(res, 200, value));
    const inRegion = [...clusters.values()].filter((c) => c.region === region);
    const c = parts[1] !== undefined ? clusters.get(`${region}/${parts[1]}`) : undefined;
    const json = (): Record<string, unknown> => {
      try {
        return JSON.parse(body || '{}') as Record<string, unknown>;
      } catch {
        return {};
      }
    };

    if (form) {
      const answer =
        scopeService === 'ec2'
          ? answerEc2(options.awsQuery ?? {}, form.get('Action') ?? '', form, region)
          : answerIam(iam, form.get('Action') ?? '', form, account(auth.akid));
      res.writeHead(answer.status, { 'content-type': 'text/xml;charset=UTF-8', 'content-length': Buffer.byteLength(answer.xml) });
      res.end(answer.xml);
      return done(answer.status, answer.xml);
    }
    const conflict = (message: string) => done(409, awsError(res, 409, 'ResourceInUseException', message));
    /** clientRequestToken semantics: the same token with the same request answers the first result again. */
    const repeatOf = (input: Record<string, unknown>): { same: boolean; key: string } | undefined => {
      const token = typeof input.clientRequestToken === 'string' ? input.clientRequestToken : undefined;
      const seen = token ? createTokens.get(`${operation}\0${token}`) : undefined;
      if (!seen) return undefined;
      return { same: seen.body === JSON.stringify({ ...input, clientRequestToken: undefined }), key: seen.key };
    };
    const remember = (input: Record<string, unknown>, key: string) => {
      if (typeof input.clientRequestToken === 'string') {
        createTokens.set(`${operation}\0${input.clientRequestToken}`, {
          body: JSON.stringify({ ...input, clientRequestToken: undefined }),
          key,
        });
      }
    };
    switch (operation) {
      case 'CreateCluster': {
        const input = json();
        const name = typeof input.name === 'string' ? input.name : '';
        const repeat = repeatOf(input);
        if (repeat && !repeat.same)
          return done(400, awsError(res, 400, 'InvalidRequestException', 'The client request token was reused with different parameters.'));
        const existing = clusters.get(`${region}/${name}`);
        if (repeat && existing) return ok({ cluster: clusterJson(existing, auth.akid) });
        if (existing) return conflict(`Cluster already exists with name: ${name}`);
        const vpc = (input.resourcesVpcConfig ?? {}) as {
          subnetIds?: string[];
          endpointPublicAccess?: boolean;
          endpointPrivateAccess?: boolean;
          publicAccessCidrs?: string[];
        };
        const version = typeof input.version === 'string' ? input.version : (versions[versions.length - 1] ?? '1.34');
        if (!versions.includes(version)) return bad(`unsupported Kubernetes version ${version}`);
        if (typeof input.roleArn !== 'string') return bad('roleArn is required');
        const roleRefusal = iam.refusal(input.roleArn, account(auth.akid), 'eks.amazonaws.com');
        if (roleRefusal) return bad(roleRefusal);
        if ((vpc.subnetIds ?? []).length < 2) return bad('Subnets specified must be in at least two different AZs');
        const logging = (
          (input.logging as { clusterLogging?: { types?: string[]; enabled?: boolean }[] } | undefined)?.clusterLogging ?? []
        )
          .filter((l) => l.enabled)
          .flatMap((l) => l.types ?? []);
        const created: Cluster = {
          name,
          region,
          version,
          status: 'CREATING',
          publicAccess: vpc.endpointPublicAccess ?? true,
          privateAccess: vpc.endpointPrivateAccess ?? false,
          publicCidrs: vpc.publicAccessCidrs ?? ['0.0.0.0/0'],
          enabledLogTypes: logging,
          kmsKeyArn: undefined,
          createdAt: Date.now(),
          nodegroups: new Map(),
          addons: new Map(),
          updates: new Map(),
          deletePolls: 0,
          tags: { ...((input.tags as Record<string, string> | undefined) ?? {}) },
          subnetIds: [...(vpc.subnetIds ?? [])],
          roleArn: input.roleArn,
          createPolls: 0,
          ...(nextCreateFailure.cluster ? { failOnSettle: nextCreateFailure.cluster } : {}),
          issues: [],
        };
        nextCreateFailure.cluster = undefined;
        clusters.set(`${region}/${name}`, created);
        remember(input, `${region}/${name}`);
        return ok({ cluster: clusterJson(created, auth.akid) });
      }
      case 'ListClusters': {
        const p = page(inRegion.map((x) => x.name).sort(), query);
        return p === 'bad'
          ? bad('Invalid maxResults or nextToken.')
          : ok({ clusters: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) });
      }
      case 'DescribeClusterVersions': {
        const p = page([...versions].reverse(), query);
        if (p === 'bad') return bad('Invalid maxResults or nextToken.');
        return ok({
          clusterVersions: p.items.map((v, i) => ({
            clusterVersion: v,
            clusterType: 'eks',
            defaultPlatformVersion: 'eks.1',
            defaultVersion: i === 1,
            releaseDate: 1700000000,
            endOfStandardSupportDate: 1800000000,
            endOfExtendedSupportDate: 1850000000,
            status: 'STANDARD_SUPPORT',
            versionStatus: 'STANDARD_SUPPORT',
            kubernetesPatchVersion: `${v}.4`,
          })),
          ...(p.nextToken ? { nextToken: p.nextToken } : {}),
        });
      }
      case 'ListRegions': {
        if (!options.enabledRegions)
          return done(403, awsError(res, 403, 'AccessDeniedException', 'User is not authorized to perform: account:ListRegions'));
        const wanted = new Set((json().RegionOptStatusContains as string[] | undefined) ?? ['ENABLED', 'ENABLED_BY_DEFAULT', 'DISABLED']);
        const all = options.enabledRegions.map((r) => ({
          RegionName: r,
          RegionOptStatus: /^(af|ap-east|me|eu-south|il|mx|ap-southeast-[3-7])/.test(r) ? 'ENABLED' : 'ENABLED_BY_DEFAULT',
        }));
        const selected = all.filter((r) => wanted.has(r.RegionOptStatus));
        // Pages of MaxResults (the SDK's NextToken is an opaque string: here, the next index).
        const max = Number(json().MaxResults ?? 50);
        const start = Number(json().NextToken ?? 0);
        const next = start + max < selected.length ? String(start + max) : undefined;
        return ok({ Regions: selected.slice(start, start + max), ...(next ? { NextToken: next } : {}) });
      }
      case 'Unknown':
        return done(404, awsError(res, 404, 'UnknownOperationException', `No route for ${method} ${url.pathname}`));
      default:
        break;
    }
    if (!c) return notFound(`No cluster found for name: ${parts[1] ?? ''}.`);
    if (operation === 'DescribeCluster' && c.status === 'CREATING' && ++c.createPolls >= settle) {
      if (c.failOnSettle) {
        c.status = 'FAILED';
        c.issues = [c.failOnSettle];
      } else c.status = 'ACTIVE';
    }
    if (operation === 'CreateNodegroup') {
      const input = json();
      const name = typeof input.nodegroupName === 'string' ? input.nodegroupName : '';
      const repeat = repeatOf(input);
      if (repeat && !repeat.same)
        return done(400, awsError(res, 400, 'InvalidRequestException', 'The client request token was reused with different parameters.'));
      const existing = c.nodegroups.get(name);
      if (repeat && existing) return ok({ nodegroup: nodegroupJson(c, existing, auth.akid) });
      if (existing) return conflict(`NodeGroup already exists with name ${name} and cluster name ${c.name}`);
      if (c.status !== 'ACTIVE')
        return done(400, awsError(res, 400, 'InvalidRequestException', `Cluster '${c.name}' is not in ACTIVE status`));
      const nodeRefusal =
        typeof input.nodeRole === 'string' ? iam.refusal(input.nodeRole, account(auth.akid), 'ec2.amazonaws.com') : undefined;
      if (nodeRefusal) return bad(nodeRefusal);
      const sc = (input.scalingConfig ?? {}) as { minSize?: number; maxSize?: number; desiredSize?: number };
      const g: Nodegroup = {
        name,
        instanceTypes: [...((input.instanceTypes as string[] | undefined) ?? ['t3.medium'])],
        min: sc.minSize ?? 1,
        max: sc.maxSize ?? 2,
        desired: sc.desiredSize ?? 2,
        capacityType: typeof input.capacityType === 'string' ? input.capacityType : 'ON_DEMAND',
        version: typeof input.version === 'string' ? input.version : c.version,
        status: 'CREATING',
        createdAt: Date.now(),
        deletePolls: 0,
        tags: { ...((input.tags as Record<string, string> | undefined) ?? {}) },
        created: Object.fromEntries(
          ['subnets', 'amiType', 'nodeRole', 'labels', 'taints', 'diskSize', 'updateConfig']
            .filter((k) => input[k] !== undefined)
            .map((k) => [k, input[k]]),
        ),
        createPolls: 0,
        ...(nextCreateFailure.nodegroup ? { failOnSettle: nextCreateFailure.nodegroup } : {}),
      };
      nextCreateFailure.nodegroup = undefined;
      c.nodegroups.set(name, g);
      remember(input, `${region}/${c.name}/${name}`);
      return ok({ nodegroup: nodegroupJson(c, g, auth.akid) });
    }
    if (operation === 'CreateAddon') {
      const input = json();
      const name = typeof input.addonName === 'string' ? input.addonName : '';
      const repeat = repeatOf(input);
      const existing = c.addons.get(name);
      const addonJson = (a: Addon) => ({
        addon: { addonName: a.name, clusterName: c.name, status: a.status, addonVersion: a.version, tags: {} },
      });
      if (repeat?.same && existing) return ok(addonJson(existing));
      if (existing) return conflict(`Addon already exists.`);
      if (c.status !== 'ACTIVE')
        return done(400, awsError(res, 400, 'InvalidRequestException', `Cluster '${c.name}' is not in ACTIVE status`));
      const a: Addon = {
        name,
        version: typeof input.addonVersion === 'string' ? input.addonVersion : 'v1.0.0-eksbuild.1',
        status: 'CREATING',
      };
      c.addons.set(name, a);
      remember(input, `${region}/${c.name}/addon/${name}`);
      return ok(addonJson(a));
    }
    if (operation === 'DescribeCluster') {
      if (c.status === 'DELETING' && ++c.deletePolls >= settle) {
        clusters.delete(`${region}/${c.name}`);
        return notFound(`No cluster found for name: ${c.name}.`);
      }
      return ok({ cluster: clusterJson(c, auth.akid) });
    }
    if (operation === 'DeleteCluster') {
      if (c.nodegroups.size) return done(409, awsError(res, 409, 'ResourceInUseException', `Cluster has nodegroups attached`));
      if (c.status === 'DELETING')
        return done(409, awsError(res, 409, 'ResourceInUseException', `Cluster ${c.name} is already being deleted`));
      c.status = 'DELETING';
      return ok({ cluster: clusterJson(c, auth.akid) });
    }
    if (operation === 'ListNodegroups') {
      const p = page([...c.nodegroups.keys()].sort(), query);
      return p === 'bad'
        ? bad('Invalid maxResults or nextToken.')
        : ok({ nodegroups: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) });
    }
    if (operation === 'ListAddons') {
      const p = page([...c.addons.keys()].sort(), query);
      return p === 'bad'
        ? bad('Invalid maxResults or nextToken.')
        : ok({ addons: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) });
    }
    if (operation === 'DescribeAddon') {
      const a = c.addons.get(parts[3] ?? '');
      if (!a) return notFound(`No addon: ${parts[3] ?? ''} found in cluster: ${c.name}`);
      return ok({
        addon: {
          addonName: a.name,
          clusterName: c.name,
          status: a.status,
          addonVersion: a.version,
          health: { issues: [] },
          addonArn: `arn:aws:eks:${region}:${account(auth.akid)}:addon/${c.name}/${a.name}/0000`,
          createdAt: 1700000000,
          modifiedAt: 1700000000,
        },
      });
    }
    if (operation === 'UpdateClusterVersion') {
      const input = json();
      const token = typeof input.clientRequestToken === 'string' ? input.clientRequestToken : undefined;
      const repeated = token ? requestTokens.get(token) : undefined;
      if (repeated) return ok({ update: updateJson(repeated) });
      const version = typeof input.version === 'string' ? input.version : '';
      const [major, minor] = c.version.split('.').map(Number);
      if (!versions.includes(version) || version !== `${major}.${(minor ?? 0) + 1}`) {
        return bad(`Unsupported Kubernetes minor version update from ${c.version} to ${version}`);
      }
      if (c.status !== 'ACTIVE') return done(409, awsError(res, 409, 'ResourceInUseException', `Cluster is in ${c.status} state`));
      c.status = 'UPDATING';
      const u = newUpdate(
        c,
        'VersionUpdate',
        [
          { type: 'Version', value: version },
          { type: 'PlatformVersion', value: 'eks.1' },
        ],
        () => {
          c.version = version;
        },
        token,
      );
      return ok({ update: updateJson(u) });
    }
    if (operation === 'DescribeUpdate') {
      const u = c.updates.get(parts[3] ?? '');
      if (!u || (u.nodegroup ?? '') !== (query.get('nodegroupName') ?? '')) return notFound(`No update found for ID: ${parts[3] ?? ''}`);
      if (u.status === 'InProgress' && ++u.polls >= settle) {
        if (u.fail) u.status = 'Failed';
        else {
          u.status = 'Successful';
          u.apply();
        }
        const g = u.nodegroup ? c.nodegroups.get(u.nodegroup) : undefined;
        if (g) g.status = u.status === 'Failed' ? 'DEGRADED' : 'ACTIVE';
        else c.status = 'ACTIVE';
      }
      return ok({ update: updateJson(u) });
    }
    const g = c.nodegroups.get(parts[3] ?? '');
    if (!g) return notFound(`No node group found for name: ${parts[3] ?? ''}.`);
    if (operation === 'DescribeNodegroup' && g.status === 'CREATING' && (g.createPolls = (g.createPolls ?? 0) + 1) >= settle) {
      if (g.failOnSettle) {
        g.status = 'CREATE_FAILED';
        g.issues = [g.failOnSettle];
      } else g.status = 'ACTIVE';
    }
    if (operation === 'DescribeNodegroup') {
      if (g.status === 'DELETING' && ++g.deletePolls >= settle) {
        c.nodegroups.delete(g.name);
        return notFound(`No node group found for name: ${g.name}.`);
      }
      return ok({ nodegroup: nodegroupJson(c, g, auth.akid) });
    }
    if (operation === 'DeleteNodegroup') {
      if (g.status === 'DELETING')
        return done(409, awsError(res, 409, 'ResourceInUseException', `Nodegroup ${g.name} is already being deleted`));
      g.status = 'DELETING';
      return ok({ nodegroup: nodegroupJson(c, g, auth.akid) });
    }
    if (operation === 'UpdateNodegroupConfig') {
      const input = json();
      const token = typeof input.clientRequestToken === 'string' ? input.clientRequestToken : undefined;
      const repeated = token ? requestTokens.get(token) : undefined;
      if (repeated) return ok({ update: updateJson(repeated) });
      const sc = (input.scalingConfig ?? {}) as { minSize?: number; maxSize?: number; desiredSize?: number };
      const next = { min: sc.minSize ?? g.min, max: sc.maxSize ?? g.max, desired: sc.desiredSize ?? g.desired };
      if (next.min > next.max || next.desired < next.min || next.desired > next.max || next.max < 1) {
        return bad(`Minimum capacity ${next.min} can't be greater than desired size ${next.desired}`);
      }
      if (g.status !== 'ACTIVE') return done(409, awsError(res, 409, 'ResourceInUseException', `Nodegroup is in ${g.status} state`));
      g.status = 'UPDATING';
      const params = Object.entries({ MinSize: sc.minSize, MaxSize: sc.maxSize, DesiredSize: sc.desiredSize })
        .filter(([, v]) => v !== undefined)
        .map(([type, v]) => ({ type, value: String(v) }));
      const u = newUpdate(c, 'ConfigUpdate', params, () => Object.assign(g, next), token, g.name);
      return ok({ update: updateJson(u) });
    }
    if (operation === 'UpdateNodegroupVersion') {
      const input = json();
      const token = typeof input.clientRequestToken === 'string' ? input.clientRequestToken : undefined;
      const repeated = token ? requestTokens.get(token) : undefined;
      if (repeated) return ok({ update: updateJson(repeated) });
      // As EKS: the version defaults to the cluster's; a node group never runs ahead of its control plane.
      const version = typeof input.version === 'string' ? input.version : c.version;
      const minor = (v: string) => (/^(\d+)\.(\d+)$/.exec(v) ? Number(v.split('.')[0]) * 1000 + Number(v.split('.')[1]) : NaN);
      if (!(minor(version) <= minor(c.version))) {
        return bad(`Requested Nodegroup Kubernetes version ${version} is not supported for cluster version ${c.version}`);
      }
      if (minor(version) < minor(g.version)) return bad(`Nodegroup ${g.name} cannot be downgraded from ${g.version} to ${version}`);
      if (g.status !== 'ACTIVE') return done(409, awsError(res, 409, 'ResourceInUseException', `Nodegroup is in ${g.status} state`));
      g.status = 'UPDATING';
      const u = newUpdate(
        c,
        'VersionUpdate',
        [
          { type: 'Version', value: version },
          { type: 'ReleaseVersion', value: `${version}.0-20261101` },
        ],
        () => {
          g.version = version;
        },
        token,
        g.name,
      );
      return ok({ update: updateJson(u) });
    }
    return done(404, awsError(res, 404, 'UnknownOperationException', `No route for ${method} ${url.pathname}`));
  }

  const server = createServer((req, res) => {
    if (clockOffsetMs) res.setHeader('date', new Date(Date.now() + clockOffsetMs).toUTCString());
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      handle(req, res, body).then(
        (r) => {
          if (r && r.operation !== 'STS GetCallerIdentity') {
            records.push({
              method: req.method ?? '',
              path: url.pathname,
              query: url.search.slice(1),
              operation: r.operation,
              region: r.region,
              accessKeyId: r.akid,
              status: r.status,
              body,
              headers: { ...req.headers },
            });
          }
        },
        (e: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(e));
        },
      );
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    records,
    stsRecords,
    addCluster(region, spec) {
      const createdAt = Date.UTC(2026, 0, 15, 10, 30, 0, 123);
      const version = spec.version ?? '1.33';
      clusters.set(`${region}/${spec.name}`, {
        name: spec.name,
        region,
        version,
        status: spec.status ?? 'ACTIVE',
        publicAccess: spec.publicAccess ?? true,
        privateAccess: spec.privateAccess ?? false,
        publicCidrs: [...(spec.publicCidrs ?? ['0.0.0.0/0'])],
        enabledLogTypes: [...(spec.enabledLogTypes ?? [])],
        kmsKeyArn: spec.kmsKeyArn,
        createdAt,
        nodegroups: new Map(
          (spec.nodegroups ?? []).map((g) => [
            g.name,
            {
              name: g.name,
              instanceTypes: [...(g.instanceTypes ?? ['m6i.large'])],
              min: g.min ?? 1,
              max: g.max ?? 3,
              desired: g.desired ?? 2,
              capacityType: g.capacityType ?? 'ON_DEMAND',
              version: g.version ?? version,
              status: g.status ?? 'ACTIVE',
              createdAt,
              deletePolls: 0,
            },
          ]),
        ),
        addons: new Map(
          (spec.addons ?? []).map((a) => [
            a.name,
            { name: a.name, version: a.version ?? 'v1.0.0-eksbuild.1', status: a.status ?? 'ACTIVE' },
          ]),
        ),
        updates: new Map(),
        deletePolls: 0,
        tags: { ...(spec.tags ?? {}) },
        createPolls: 0,
        issues: [],
      });
    },
    cluster(region, name) {
      const c = clusters.get(`${region}/${name}`);
      return c ? { status: c.status, version: c.version, nodegroups: [...c.nodegroups.keys()], updates: c.updates.size } : undefined;
    },
    nodegroup(region, cluster, name) {
      const g = clusters.get(`${region}/${cluster}`)?.nodegroups.get(name);
      return g ? { status: g.status, min: g.min, max: g.max, desired: g.desired, version: g.version } : undefined;
    },
    setRegionLatency(region, ms) {
      latency.set(region, ms);
    },
    setRegionFailure(region, failure) {
      if (failure) regionFailure.set(region, failure);
      else regionFailure.delete(region);
    },
    failNext(operation, count, failure, region) {
      oneShots.push({ operation, count, failure, ...(region ? { region } : {}) });
    },
    failNextCreate(kind, issue) {
      nextCreateFailure[kind] = issue;
    },
    tagsOf(region, cluster, nodegroup) {
      const c = clusters.get(`${region}/${cluster}`);
      return nodegroup ? c?.nodegroups.get(nodegroup)?.tags : c?.tags;
    },
    addonsOf(region, cluster) {
      return [...(clusters.get(`${region}/${cluster}`)?.addons.keys() ?? [])];
    },
    clearFailNext() {
      oneShots.splice(0);
    },
    failNextUpdate(errorCode, errorMessage) {
      nextUpdateFailure = { errorCode, errorMessage };
    },
    setNow(clock) {
      now = clock;
    },
    iam,
    authenticate(token, cluster) {
      return authenticateEksToken(token, cluster, url);
    },
    close() {
      return new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      });
    },
  };
}
