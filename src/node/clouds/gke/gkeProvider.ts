// Google Kubernetes Engine behind the CloudProvider port: `@google-cloud/container` in REST fallback mode, tokens
// from google-auth-library, projects from Cloud Resource Manager v3. Built as its own lazy chunk (dist/gkeProvider.js).
//
// Credentials come only from a file: the configured one, GOOGLE_APPLICATION_CREDENTIALS, else gcloud's ADC file. The
// GCE metadata server is never consulted (no GoogleAuth, no default chain), so nothing leaves the machine before a
// credentials file exists.
import { AsyncLocalStorage } from 'node:async_hooks';
import { sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ClusterManagerClient, type protos } from '@google-cloud/container';
import { OAuth2Client, UserRefreshClient } from 'google-auth-library';
import type { CallOptions } from 'google-gax';
import type {
  CloudAccount,
  CloudAddon,
  CloudCluster,
  CloudHealth,
  CloudNodePool,
  CloudOperation,
  CloudProvider,
  ClusterToken,
  NodePoolScale,
  ScopeResult,
} from '../../../core/clouds/cloudProvider';
import { cloudRetryDecision } from '../../../core/clouds/cloudRetryPolicy';
import { CancelledError, ClusterDeckError, isCancellation, throwIfCancelled, type FailureReason } from '../../../core/errors';
import { parseRetryAfter } from '../../../core/kube/retryPolicy';
import { gkeClusterDetails } from './gkeDetails';
import { createGkeProvisioning } from './gkeProvisioning';

type ICluster = protos.google.container.v1.ICluster;
type INodePool = protos.google.container.v1.INodePool;
type IOperation = protos.google.container.v1.IOperation;
type IServerConfig = protos.google.container.v1.IServerConfig;
type INodePoolAutoscaling = protos.google.container.v1.INodePoolAutoscaling;

export interface GkeProviderOptions {
  /** Setting clusterdeck.gcp.apiEndpoint: `host[:port]` (https) or a URL; default container.googleapis.com. */
  readonly apiEndpoint?: string;
  /** Cloud Resource Manager base URL; default https://cloudresourcemanager.googleapis.com. */
  readonly resourceManagerEndpoint?: string;
  /** Compute Engine REST base URL (regions, zones, machine types, networks for the wizards); default https://compute.googleapis.com. */
  readonly computeEndpoint?: string;
  /** A service-account key or an authorized_user ADC file; default GOOGLE_APPLICATION_CREDENTIALS, else gcloud's ADC file. */
  readonly credentialsFile?: string;
  /** Setting clusterdeck.gcp.projects: the projects listed when Resource Manager cannot be asked. */
  readonly projects?: readonly string[];
  /** Environment to read GOOGLE_APPLICATION_CREDENTIALS, CLOUDSDK_CONFIG, HOME, APPDATA from; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Per request, and the total of a read with its retries; default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Between getOperation polls; default 5 s. */
  readonly pollIntervalMs?: number;
  /** One secret-free line per outgoing call. */
  readonly onRequest?: (line: string) => void;
}

const cloudPlatformScope = 'https://www.googleapis.com/auth/cloud-platform';
const defaultTokenUri = 'https://oauth2.googleapis.com/token';
const signInHint = 'Run `gcloud auth application-default login` or set a service-account key (GOOGLE_APPLICATION_CREDENTIALS)';

type Credentials =
  | {
      readonly type: 'service_account';
      readonly file: string;
      readonly email: string;
      readonly privateKey: string;
      readonly keyId?: string;
      readonly projectId?: string;
      readonly tokenUri: string;
    }
  | {
      readonly type: 'authorized_user';
      readonly file: string;
      readonly clientId: string;
      readonly clientSecret: string;
      readonly refreshToken: string;
      readonly quotaProjectId?: string;
      readonly tokenUri: string;
    };

interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly protocol: 'http' | 'https';
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** `host[:port]` (https) or `http(s)://host[:port]`; plain http only to a loopback address (tests, local proxies). */
export function parseEndpoint(value: string, setting: string): Endpoint {
  const text = value.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    throw new ClusterDeckError('badConfig', `${setting} "${text}" is not a host[:port] or URL; fix the setting.`);
  }
  const protocol = url.protocol === 'http:' ? 'http' : url.protocol === 'https:' ? 'https' : undefined;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!protocol || !host || (url.pathname !== '/' && url.pathname !== ''))
    throw new ClusterDeckError(
      'badConfig',
      `${setting} "${text}" must be an http(s) host with an optional port and no path; fix the setting.`,
    );
  if (protocol === 'http' && !isLoopback(host))
    throw new ClusterDeckError(
      'badConfig',
      `${setting} uses plain http:// to ${host}, which would send credentials unencrypted; use https://.`,
    );
  return { host, port: url.port ? Number(url.port) : protocol === 'https' ? 443 : 80, protocol };
}

function baseUrl(e: Endpoint): string {
  return `${e.protocol}://${e.host.includes(':') ? `[${e.host}]` : e.host}:${e.port}`;
}

function firstLine(s: string): string {
  const line = (s.split('\n')[0] ?? '').trim();
  return line.length > 240 ? `${line.slice(0, 237)}…` : line;
}

function sentence(s: string): string {
  const t = firstLine(s).replace(/\s+$/, '');
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolvePromise();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Rejects with CancelledError as soon as the signal aborts (the request itself ends at its own deadline). */
async function raceAbort<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  throwIfCancelled(signal);
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([p, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

// ---- versions and mapping (exported for unit tests) ----

/** "1.30.5-gke.1014001" → [1, 30, 5, 1014001]. */
function versionParts(v: string): number[] {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-gke\.(\d+))?/.exec(v.trim());
  return m ? [m[1], m[2], m[3], m[4]].map((x) => Number(x ?? 0)) : [];
}

export function compareGkeVersions(a: string, b: string): number {
  const pa = versionParts(a);
  const pb = versionParts(b);
  for (let i = 0; i < 4; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Control-plane versions newer than `current` and at most one minor version ahead (GKE upgrades the control plane
 * one minor at a time), newest first. A cluster on a release channel takes that channel's versions.
 */
export function upgradeVersions(current: string, config: IServerConfig | undefined, channel?: string | null): string[] {
  const cur = versionParts(current);
  if (!config || cur.length === 0) return [];
  const fromChannel =
    channel && channel !== 'UNSPECIFIED' ? config.channels?.find((c) => String(c.channel) === channel)?.validVersions : undefined;
  const pool = fromChannel ?? config.validMasterVersions ?? [];
  const out = new Set<string>();
  for (const v of pool) {
    const p = versionParts(v);
    if (p.length === 0 || p[0] !== cur[0] || (p[1] ?? 0) > (cur[1] ?? 0) + 1) continue;
    if (compareGkeVersions(v, current) > 0) out.add(v);
  }
  return [...out].sort((a, b) => compareGkeVersions(b, a));
}

function clusterHealth(status: string): CloudHealth {
  switch (status) {
    case 'RUNNING':
      return 'ok';
    case 'PROVISIONING':
    case 'RECONCILING':
    case 'STOPPING':
      return 'progressing';
    case 'ERROR':
    case 'DEGRADED':
    case 'RUNNING_WITH_ERROR':
      return 'failed';
    default:
      return 'unknown';
  }
}

function endpointAccess(c: ICluster): CloudCluster['endpointAccess'] {
  const ip = c.controlPlaneEndpointsConfig?.ipEndpointsConfig;
  const pcc = c.privateClusterConfig;
  const networks = ip?.authorizedNetworksConfig ?? c.masterAuthorizedNetworksConfig;
  const publicCidrs = networks?.enabled ? (networks.cidrBlocks ?? []).map((b) => b.cidrBlock ?? '').filter(Boolean) : undefined;
  let isPublic = true;
  let isPrivate = false;
  if (ip && ip.enabled !== false) {
    isPublic = ip.enablePublicEndpoint !== false;
    isPrivate = Boolean(ip.privateEndpoint);
  } else if (ip && ip.enabled === false) {
    // IP endpoints off: only the DNS endpoint remains.
    isPublic = Boolean(c.controlPlaneEndpointsConfig?.dnsEndpointConfig?.allowExternalTraffic);
    isPrivate = false;
  } else if (pcc) {
    isPublic = !pcc.enablePrivateEndpoint;
    isPrivate = Boolean(pcc.enablePrivateEndpoint || pcc.privateEndpoint);
  }
  return { public: isPublic, private: isPrivate, ...(publicCidrs ? { publicCidrs } : {}) };
}

export function toCloudCluster(project: string, c: ICluster, config?: IServerConfig): CloudCluster {
  const location = c.location ?? c.zone ?? '';
  const name = c.name ?? '';
  const version = c.currentMasterVersion ?? '';
  const status = String(c.status ?? 'STATUS_UNSPECIFIED');
  const upgrade = upgradeVersions(version, config, c.releaseChannel?.channel ? String(c.releaseChannel.channel) : undefined)[0];
  return {
    cloud: 'gke',
    account: project,
    location,
    name,
    id: `projects/${project}/locations/${location}/clusters/${name}`,
    version,
    status,
    health: clusterHealth(status),
    ...(c.endpoint ? { endpoint: `https://${c.endpoint}` } : {}),
    ...(c.masterAuth?.clusterCaCertificate ? { caData: c.masterAuth.clusterCaCertificate } : {}),
    endpointAccess: endpointAccess(c),
    ...(upgrade ? { upgradeAvailable: upgrade } : {}),
    ...(typeof c.currentNodeCount === 'number' ? { nodeCount: c.currentNodeCount } : {}),
  };
}

export function toCloudNodePool(p: INodePool): CloudNodePool {
  const a = p.autoscaling;
  const status = String(p.status ?? 'STATUS_UNSPECIFIED');
  const total = Boolean(a?.totalMinNodeCount || a?.totalMaxNodeCount);
  return {
    name: p.name ?? '',
    instanceType: p.config?.machineType ?? '',
    ...(a?.enabled
      ? { min: Number(total ? a.totalMinNodeCount : a.minNodeCount) || 0, max: Number(total ? a.totalMaxNodeCount : a.maxNodeCount) || 0 }
      : {}),
    ...(typeof p.initialNodeCount === 'number' ? { desired: p.initialNodeCount } : {}),
    capacityType: p.config?.spot || p.config?.preemptible ? 'spot' : 'on-demand',
    ...(p.version ? { version: p.version } : {}),
    status,
    health: clusterHealth(status),
  };
}

const addonNames: Record<string, string> = {
  httpLoadBalancing: 'HTTP Load Balancing',
  horizontalPodAutoscaling: 'Horizontal Pod Autoscaling',
  kubernetesDashboard: 'Kubernetes Dashboard',
  networkPolicyConfig: 'Network Policy',
  cloudRunConfig: 'Cloud Run',
  dnsCacheConfig: 'NodeLocal DNSCache',
  configConnectorConfig: 'Config Connector',
  gcePersistentDiskCsiDriverConfig: 'Compute Engine Persistent Disk CSI Driver',
  gcpFilestoreCsiDriverConfig: 'Filestore CSI Driver',
  gkeBackupAgentConfig: 'Backup for GKE',
  gcsFuseCsiDriverConfig: 'Cloud Storage FUSE CSI Driver',
  statefulHaConfig: 'Stateful HA',
  parallelstoreCsiDriverConfig: 'Parallelstore CSI Driver',
  rayOperatorConfig: 'Ray Operator',
  highScaleCheckpointingConfig: 'High Scale Checkpointing',
  lustreCsiDriverConfig: 'Lustre CSI Driver',
};

/** Enabled add-ons (addonsConfig) and features worth showing (Autopilot, Workload Identity, Dataplane V2, …). */
export function toCloudAddons(c: ICluster): CloudAddon[] {
  const out: CloudAddon[] = [];
  const feature = (name: string, status = 'enabled') => out.push({ name, status, health: 'ok' });
  if (c.autopilot?.enabled) feature('Autopilot');
  if (c.workloadIdentityConfig?.workloadPool) feature('Workload Identity');
  if (String(c.networkConfig?.datapathProvider ?? '') === 'ADVANCED_DATAPATH') feature('Dataplane V2');
  const channel = String(c.releaseChannel?.channel ?? '');
  if (channel && channel !== 'UNSPECIFIED') feature('Release channel', channel);
  for (const [key, value] of Object.entries((c.addonsConfig ?? {}) as Record<string, unknown>)) {
    if (!value || typeof value !== 'object') continue;
    const v = value as { disabled?: boolean | null; enabled?: boolean | null };
    const on =
      'enabled' in v && v.enabled !== null && v.enabled !== undefined
        ? v.enabled
        : v.disabled === false || (!('enabled' in v) && !v.disabled);
    if (on) feature(addonNames[key] ?? key);
  }
  return out;
}

// ---- errors ----

interface GoogleLikeError {
  code?: number | string;
  message?: string;
  reason?: string;
  httpStatusCode?: number;
  errorInfoMetadata?: Record<string, string>;
  response?: { status?: number; data?: unknown };
}

const grpcReasons: Record<number, FailureReason> = {
  3: 'invalid',
  4: 'timeout',
  5: 'notFound',
  6: 'conflict',
  7: 'forbidden',
  8: 'throttled',
  9: 'conflict',
  10: 'conflict',
  11: 'invalid',
  13: 'serverError',
  15: 'serverError',
  16: 'unauthorized',
};

function reasonForGrpc(code: number): FailureReason {
  return grpcReasons[code] ?? (code === 14 ? 'unreachable' : 'unknown');
}

/**
 * Maps a GoogleError (gRPC code) or network error to a ClusterDeckError; never echoes raw bodies or tokens. The SDK
 * error is not kept as `cause`: it carries the request configuration, which a careless log could print.
 */
export function mapGoogleError(e: unknown, what: string, project: string, host: string, location?: string): ClusterDeckError {
  if (e instanceof ClusterDeckError) return e;
  const g = (e ?? {}) as GoogleLikeError;
  const code = typeof g.code === 'number' ? g.code : undefined;
  const status = g.httpStatusCode;
  const detail = status ? { status } : {};
  const serverMessage = status && g.message ? sentence(g.message) : '';
  if (g.reason === 'SERVICE_DISABLED') {
    const service = g.errorInfoMetadata?.service ?? '';
    const api = service.startsWith('container.') ? 'Kubernetes Engine API' : service || 'required API';
    return new ClusterDeckError('forbidden', `Enable the ${api} for project ${project} (console: APIs & Services), then refresh.`, detail);
  }
  switch (code) {
    case 4:
      return new ClusterDeckError('timeout', `${host} did not answer ${what} in time; check the network and try again.`, detail);
    case 5:
      return new ClusterDeckError('notFound', serverMessage || `GKE found nothing for ${what} in project ${project}.`, detail);
    case 7:
      return new ClusterDeckError(
        'forbidden',
        `Permission denied for ${what} in project ${project}: ${serverMessage || 'ask for the Kubernetes Engine Viewer/Developer role.'}`,
        detail,
      );
    case 8:
      // RESOURCE_EXHAUSTED is a quota as often as a rate limit: a quota is named and never retried (provisioning.md P7).
      if (/quota/i.test(g.message ?? '')) return quotaError(`GKE ${what} failed`, g.message ?? '', project, location, detail);
      return new ClusterDeckError('throttled', `GKE is throttling ${what} for project ${project}; try again in a minute.`, detail);
    case 14:
      // google-gax reports a body that is not JSON as UNAVAILABLE without a status: it was reached, not unreachable.
      if (!status && /in JSON at position|Unexpected (token|end of JSON)|is not valid JSON/.test(g.message ?? ''))
        return new ClusterDeckError(
          'serverError',
          `GKE's answer to ${what} could not be read (not valid JSON); try again, or check any proxy between you and ${host}.`,
          {},
        );
      return status
        ? new ClusterDeckError('serverError', `GKE is unavailable (${status}) for ${what}; try again shortly.`, detail)
        : new ClusterDeckError(
            'unreachable',
            `Could not reach ${host} for ${what}; check clusterdeck.gcp.apiEndpoint and the network.`,
            {},
          );
    case 16:
      return new ClusterDeckError('unauthorized', `Google rejected the credentials for ${what} (401). ${signInHint}.`, detail);
    case 1:
      return new ClusterDeckError('unknown', `${what} was cancelled.`, detail);
    default: {
      const reason = code !== undefined ? reasonForGrpc(code) : 'unknown';
      const text = serverMessage
        ? `GKE ${what} failed: ${serverMessage}`
        : `GKE ${what} failed${status ? ` (${status})` : ''}; try again or check the log.`;
      return new ClusterDeckError(reason === 'unknown' && status && status >= 500 ? 'serverError' : reason, text, detail);
    }
  }
}

/**
 * A quota failure naming the quota (from the service's message, e.g. `resource "CPUS"`), the project and the region.
 * Never retried: the next step is a quota increase.
 */
export function quotaError(
  lead: string,
  message: string,
  project: string,
  location: string | undefined,
  detail: { status?: number } = {},
): ClusterDeckError {
  const quota = /resource "?([A-Za-z0-9_]+)"?/.exec(message)?.[1] ?? /quota[^'"]*['"]([A-Za-z0-9_]+)['"]/i.exec(message)?.[1];
  const region = location ? location.replace(/-[a-z]$/, '') : undefined;
  return new ClusterDeckError(
    'forbidden',
    `${lead}: the ${quota ? `${quota} quota` : 'quota'} of project ${project}${region ? ` in ${region}` : ''} is too small (${sentence(message).replace(/\.$/, '')}). Request a quota increase (console: IAM & Admin > Quotas) or ask for less, then try again.`,
    detail,
  );
}

/** "RUNNING" or, when the operation reports step metrics (int64 as strings), "RUNNING (2/5)". */
export function progressText(op: IOperation): string {
  const status = String(op.status ?? 'PENDING');
  const metrics = op.progress?.metrics ?? [];
  const value = (m: (typeof metrics)[number] | undefined) => Number(m?.intValue ?? m?.doubleValue ?? NaN);
  for (const total of metrics) {
    if (!total.name?.endsWith('_TOTAL')) continue;
    const done = metrics.find((m) => m.name === total.name?.replace(/_TOTAL$/, '_DONE'));
    if (Number.isFinite(value(done)) && value(total) > 0) return `${status} (${value(done)}/${value(total)})`;
  }
  return status;
}

function errorInfoReason(data: unknown): string | undefined {
  const details = (data as { error?: { details?: { reason?: string }[] } } | undefined)?.error?.details;
  return Array.isArray(details) ? details.find((d) => typeof d?.reason === 'string')?.reason : undefined;
}

// ---- credentials ----

async function loadCredentials(file: string, explicit: boolean): Promise<Credentials> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ClusterDeckError(
      'unauthorized',
      missing && !explicit
        ? `No Google Cloud credentials found. ${signInHint}.`
        : `Cannot read the Google Cloud credentials file ${file}${missing ? ' (it does not exist)' : ''}. ${signInHint}.`,
      { file },
    );
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new ClusterDeckError('badConfig', `The Google Cloud credentials file ${file} is not valid JSON; replace it.`, { file });
  }
  const str = (k: string) => (typeof json[k] === 'string' && json[k] ? json[k] : undefined);
  const tokenUri = str('token_uri') ?? defaultTokenUri;
  let tokenOrigin: string;
  try {
    tokenOrigin = new URL(tokenUri).origin;
  } catch {
    throw new ClusterDeckError('badConfig', `The token_uri in ${file} is not a URL; replace the file.`, { file });
  }
  // The signed assertion or refresh token never travels over plain http, except to a loopback address.
  parseEndpoint(tokenOrigin, `The token_uri in ${file}`);
  if (json.type === 'service_account') {
    const email = str('client_email');
    const privateKey = str('private_key');
    if (!email || !privateKey)
      throw new ClusterDeckError('badConfig', `The service-account key ${file} lacks client_email or private_key; download a new key.`, {
        file,
      });
    return {
      type: 'service_account',
      file,
      email,
      privateKey,
      tokenUri,
      ...(str('private_key_id') ? { keyId: str('private_key_id') } : {}),
      ...(str('project_id') ? { projectId: str('project_id') } : {}),
    };
  }
  if (json.type === 'authorized_user') {
    const clientId = str('client_id');
    const clientSecret = str('client_secret');
    const refreshToken = str('refresh_token');
    if (!clientId || !clientSecret || !refreshToken)
      throw new ClusterDeckError('badConfig', `The ADC file ${file} is incomplete. ${signInHint}.`, { file });
    return {
      type: 'authorized_user',
      file,
      clientId,
      clientSecret,
      refreshToken,
      tokenUri,
      ...(str('quota_project_id') ? { quotaProjectId: str('quota_project_id') } : {}),
    };
  }
  throw new ClusterDeckError(
    'badConfig',
    `The credentials file ${file} has type "${String(json.type)}", which ClusterDeck does not support yet; use a service-account key or \`gcloud auth application-default login\`.`,
    { file },
  );
}

function tokenFailure(e: unknown, host: string): ClusterDeckError {
  if (e instanceof ClusterDeckError) return e;
  const g = (e ?? {}) as GoogleLikeError;
  const status = g.response?.status;
  if (status) {
    const error = (g.response?.data as { error?: unknown } | undefined)?.error;
    const code = typeof error === 'string' ? ` (${error})` : '';
    return new ClusterDeckError(
      status >= 500 ? 'serverError' : 'unauthorized',
      `Google refused to issue an access token${code}. ${signInHint}.`,
      { status },
    );
  }
  const err = e as { name?: string; code?: unknown; message?: string };
  if (err.name === 'TimeoutError' || err.code === 'ETIMEDOUT' || /time(d)? ?out/i.test(err.message ?? ''))
    return new ClusterDeckError('timeout', `The Google token endpoint ${host} did not answer in time; try again.`);
  return new ClusterDeckError('unreachable', `Could not reach the Google token endpoint ${host}; check the network or proxy.`);
}

/** What the current attempt's answer said about retrying (its `Retry-After`), filled in by the auth client's fetch. */
interface AnswerHeaders {
  retryAfter?: string;
}
// Per attempt, through async context: google-gax keeps response headers out of its GoogleError, and one auth client
// (so one fetch) serves all calls in flight.
const answerHeaders = new AsyncLocalStorage<AnswerHeaders>();

/** Lets `call` see the `Retry-After` of each answer gax receives through this client (the REST fallback's fetch). */
function noteAnswerHeaders(client: OAuth2Client): void {
  const plain = client.fetch.bind(client);
  client.fetch = (async (...args: Parameters<typeof plain>) => {
    const res = await plain(...args);
    const store = answerHeaders.getStore();
    const value = (res.headers as Headers | undefined)?.get?.('retry-after');
    if (store && value) store.retryAfter = value;
    return res;
  }) as typeof client.fetch;
}

// ---- the provider ----

export function createGkeProvider(options: GkeProviderOptions = {}): CloudProvider {
  const env = options.env ?? process.env;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const pollIntervalMs = options.pollIntervalMs ?? 5_000;
  const log = (line: string) => options.onRequest?.(line);
  const api = options.apiEndpoint ? parseEndpoint(options.apiEndpoint, 'clusterdeck.gcp.apiEndpoint') : undefined;
  const rm = parseEndpoint(
    options.resourceManagerEndpoint ?? 'https://cloudresourcemanager.googleapis.com',
    'The Resource Manager endpoint',
  );
  const apiHost = api ? `${api.host}:${api.port}` : 'container.googleapis.com';
  const compute = parseEndpoint(options.computeEndpoint ?? 'https://compute.googleapis.com', 'The Compute Engine endpoint');
  const serverConfigs = new Map<string, { at: number; config: Promise<IServerConfig | undefined> }>();

  function credentialsFile(): { file: string; explicit: boolean } {
    if (options.credentialsFile) return { file: resolve(options.credentialsFile), explicit: true };
    if (env.GOOGLE_APPLICATION_CREDENTIALS) return { file: resolve(env.GOOGLE_APPLICATION_CREDENTIALS), explicit: true };
    const dir = env.CLOUDSDK_CONFIG
      ? env.CLOUDSDK_CONFIG
      : process.platform === 'win32' && env.APPDATA
        ? join(env.APPDATA, 'gcloud')
        : join(env.HOME || env.USERPROFILE || homedir(), '.config', 'gcloud');
    return { file: join(dir, 'application_default_credentials.json'), explicit: false };
  }

  async function jwtGrant(
    c: Extract<Credentials, { type: 'service_account' }>,
    transporter: OAuth2Client['transporter'],
  ): Promise<{ access_token: string; expiry_date: number }> {
    const endpoint = { host: new URL(c.tokenUri).host };
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', ...(c.keyId ? { kid: c.keyId } : {}) };
    const claims = { iss: c.email, scope: cloudPlatformScope, aud: c.tokenUri, iat: now, exp: now + 3600 };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    let signature: string;
    try {
      signature = b64url(sign('RSA-SHA256', Buffer.from(input), c.privateKey));
    } catch {
      throw new ClusterDeckError('badConfig', `The private key in ${c.file} cannot be used; download a new service-account key.`, {
        file: c.file,
      });
    }
    const started = Date.now();
    let outcome = 'error';
    try {
      // Through the auth client's own transporter (gaxios): same proxy settings and timeout as the API calls.
      const res = await transporter.request<{ access_token?: unknown; expires_in?: unknown }>({
        url: c.tokenUri,
        method: 'POST',
        data: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: `${input}.${signature}` }),
        responseType: 'json',
        timeout: timeoutMs,
      });
      if (typeof res.data.access_token !== 'string')
        throw tokenFailure({ response: { status: res.status, data: res.data } }, endpoint.host);
      outcome = 'ok';
      const expiresIn = typeof res.data.expires_in === 'number' ? res.data.expires_in : 3600;
      return { access_token: res.data.access_token, expiry_date: Date.now() + expiresIn * 1000 };
    } catch (e) {
      const mapped = tokenFailure(e, endpoint.host);
      outcome = mapped.detail.status ? `${mapped.detail.status} ${mapped.reason}` : mapped.reason;
      throw mapped;
    } finally {
      log(`> gke token ${endpoint.host} (service account) [${Date.now() - started}ms] ${outcome}`);
    }
  }

  let gke: ClusterManagerClient | undefined;
  let authPromise: Promise<{ client: OAuth2Client; credentials: Credentials }> | undefined;
  function auth(): Promise<{ client: OAuth2Client; credentials: Credentials }> {
    authPromise ??= (async () => {
      const { file, explicit } = credentialsFile();
      const credentials = await loadCredentials(file, explicit);
      const transporterOptions = { timeout: timeoutMs };
      if (credentials.type === 'service_account') {
        const client = new OAuth2Client({ transporterOptions });
        client.refreshHandler = () => jwtGrant(credentials, client.transporter);
        noteAnswerHeaders(client);
        return { client, credentials };
      }
      const client = new UserRefreshClient({
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        refreshToken: credentials.refreshToken,
        endpoints: { oauth2TokenUrl: credentials.tokenUri },
        transporterOptions,
      });
      if (credentials.quotaProjectId) client.quotaProjectId = credentials.quotaProjectId;
      noteAnswerHeaders(client);
      return { client, credentials };
    })();
    // A failed load (no file yet) is retried on the next call: the user may sign in meanwhile.
    authPromise.catch(() => (authPromise = undefined));
    return authPromise;
  }

  /** A valid access token (refreshed by google-auth-library when near expiry); failures mapped to unauthorized. */
  async function accessToken(signal?: AbortSignal): Promise<ClusterToken> {
    throwIfCancelled(signal);
    const { client, credentials } = await auth();
    const before = client.credentials.access_token;
    const started = Date.now();
    try {
      const { token } = await raceAbort(client.getAccessToken(), signal);
      if (!token) throw new ClusterDeckError('unauthorized', `Google issued no access token. ${signInHint}.`);
      if (credentials.type === 'authorized_user' && token !== before)
        log(`> gke token ${new URL(credentials.tokenUri).host} (authorized user) [${Date.now() - started}ms] ok`);
      return { token, expiresAt: new Date(client.credentials.expiry_date ?? Date.now() + 3600_000) };
    } catch (e) {
      if (isCancellation(e)) throw new CancelledError();
      const mapped = tokenFailure(e, new URL(credentials.tokenUri).host);
      if (mapped.reason === 'unauthorized') {
        // Read the credentials file again next time: the user may have signed in again or replaced the key.
        authPromise = undefined;
        const stale = gke;
        gke = undefined;
        void stale?.close().catch(() => undefined);
      }
      if (credentials.type === 'authorized_user')
        log(`> gke token ${new URL(credentials.tokenUri).host} (authorized user) [${Date.now() - started}ms] ${mapped.reason}`);
      throw mapped;
    }
  }

  async function clusterManager(): Promise<ClusterManagerClient> {
    const { client } = await auth();
    gke ??= new ClusterManagerClient({
      fallback: true,
      authClient: client,
      ...(api ? { apiEndpoint: api.host, port: api.port, protocol: api.protocol } : {}),
    });
    return gke;
  }

  /**
   * One API call, logged once per attempt. google-gax's own retries are off for every call (`retryCodes: []`): the
   * policy is ours and explicit (core/clouds/cloudRetryPolicy.ts). Reads retry UNAVAILABLE (no answer, a reset, 503)
   * and throttling (429 RESOURCE_EXHAUSTED that is not a quota), at most 3 times inside the one `requestTimeoutMs`
   * budget, waiting at least the service's `Retry-After` (capped at 30 s; a longer wait fails at once and is named).
   * Mutations are sent once, never retried blindly.
   */
  async function call<T>(
    what: string,
    scope: string,
    kind: 'read' | 'write',
    signal: AbortSignal | undefined,
    fn: (c: ClusterManagerClient, o: CallOptions) => Promise<[T, ...unknown[]]>,
  ): Promise<T> {
    throwIfCancelled(signal);
    await accessToken(signal);
    const client = await clusterManager();
    const project = scope.split('/')[0] ?? scope;
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      let outcome = 'error';
      let retryInMs = 0;
      const answer: AnswerHeaders = {};
      try {
        const budget = kind === 'read' ? Math.max(1, deadline - started) : timeoutMs;
        const [result] = await answerHeaders.run(answer, () =>
          raceAbort(fn(client, { timeout: budget, retry: { retryCodes: [] } }), signal),
        );
        outcome = 'ok';
        return result;
      } catch (e) {
        if (isCancellation(e) || signal?.aborted) {
          outcome = 'cancelled';
          throw new CancelledError();
        }
        const mapped = mapGoogleError(e, what, project, apiHost, scope.split('/')[1]);
        const status = mapped.detail.status;
        outcome = status ? `${status} ${mapped.reason}` : mapped.reason;
        const code = (e as GoogleLikeError).code;
        // A quota (also RESOURCE_EXHAUSTED) is mapped to forbidden and never retried.
        const cause = code === 14 ? 'unavailable' : code === 8 && mapped.reason === 'throttled' ? 'throttled' : undefined;
        if (kind !== 'read' || cause === undefined) throw mapped;
        const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(answer.retryAfter, Date.now()) : undefined;
        const decision = cloudRetryDecision({
          attempt,
          cause,
          remainingMs: deadline - Date.now(),
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        });
        if (!decision.retry) {
          if (decision.askedWaitMs !== undefined) {
            const seconds = Math.ceil(decision.askedWaitMs / 1000);
            outcome += ` (Retry-After ${seconds} s: not waited)`;
            throw new ClusterDeckError(
              cause === 'throttled' ? 'throttled' : 'serverError',
              `GKE asked to wait ${seconds} s before trying ${what} again (${status ?? 'unavailable'}); try again later.`,
              { ...(status ? { status } : {}), retryAfterSeconds: seconds },
            );
          }
          if (attempt > 1) outcome += ` (gave up after ${attempt} attempts)`;
          throw mapped;
        }
        retryInMs = decision.delayMs;
        outcome += `, retrying (${decision.retryNumber}/${decision.ofRetries}) in ${retryInMs} ms${retryAfterMs !== undefined ? ' (Retry-After)' : ''}`;
      } finally {
        log(`> gke ${what} ${scope} [${Date.now() - started}ms] ${outcome}`);
      }
      await sleep(retryInMs, signal);
    }
  }

  function serverConfig(project: string, location: string, signal?: AbortSignal, fresh = false): Promise<IServerConfig | undefined> {
    const key = `${project}/${location}`;
    const cached = serverConfigs.get(key);
    if (cached && !fresh && Date.now() - cached.at < 10 * 60_000) return cached.config;
    const config = call('GetServerConfig', key, 'read', signal, (c, o) =>
      c.getServerConfig({ name: `projects/${project}/locations/${location}` }, o),
    );
    const entry = {
      at: Date.now(),
      config: config.catch(() => {
        // Failures are not cached: the next listing asks again.
        if (serverConfigs.get(key) === entry) serverConfigs.delete(key);
        return undefined;
      }),
    };
    serverConfigs.set(key, entry);
    return config;
  }

  const clusterPath = (c: Pick<CloudCluster, 'account' | 'location' | 'name'>) =>
    `projects/${c.account}/locations/${c.location}/clusters/${c.name}`;
  const scopeOf = (c: Pick<CloudCluster, 'account' | 'location' | 'name'>) => `${c.account}/${c.location}/${c.name}`;

  /**
   * A CloudOperation over GKE container operations, polled with getOperation until DONE. Its id is the operation's
   * full name (`projects/p/locations/l/operations/o`), which is all resumeOperation needs. `first` is the answer of
   * the call that started it, or (resumed) just the operation's short name: then the first poll is at once.
   * `next` are further steps started one after the other (GKE runs one operation per cluster at a time); the id
   * names the first step only.
   */
  function operation(
    project: string,
    location: string,
    first: IOperation | string,
    description: string,
    next: readonly (() => Promise<IOperation>)[] = [],
  ): CloudOperation {
    const fullName = (short: string | null | undefined) => `projects/${project}/locations/${location}/operations/${short ?? ''}`;
    const id = fullName(typeof first === 'string' ? first : first.name);
    const get = (signal: AbortSignal | undefined, opName: string) =>
      call('GetOperation', `${project}/${location}`, 'read', signal, (c, o) => c.getOperation({ name: opName }, o));
    return {
      id,
      description,
      async wait(signal, onProgress) {
        let name = id;
        let current = typeof first === 'string' ? await get(signal, name) : first;
        for (let step = 0; ; step++) {
          while (String(current.status) !== 'DONE') {
            onProgress?.(progressText(current));
            await sleep(pollIntervalMs, signal);
            current = await get(signal, name);
          }
          const error = current.error;
          if (error && (error.code || error.message)) {
            const text = error.message || current.statusMessage || 'no reason given';
            if (error.code === 8 && /quota/i.test(text)) throw quotaError(`GKE could not ${description}`, text, project, location);
            throw new ClusterDeckError(
              error.code ? reasonForGrpc(error.code) : 'serverError',
              `GKE could not ${description}: ${sentence(text)}`,
            );
          }
          const then = next[step];
          if (!then) break;
          current = await then();
          name = fullName(current.name);
        }
        onProgress?.('DONE');
      },
    };
  }

  async function fallbackAccounts(why: string): Promise<CloudAccount[]> {
    const { credentials } = await auth();
    const out = new Map<string, CloudAccount>();
    for (const p of options.projects ?? [])
      if (p.trim()) out.set(p.trim(), { cloud: 'gke', id: p.trim(), label: p.trim(), detail: `from clusterdeck.gcp.projects (${why})` });
    const own = credentials.type === 'service_account' ? credentials.projectId : credentials.quotaProjectId;
    const source = credentials.type === 'service_account' ? 'project of the service-account key' : 'quota project of the ADC file';
    if (own && !out.has(own)) out.set(own, { cloud: 'gke', id: own, label: own, detail: `${source} (${why})` });
    if (out.size === 0)
      throw new ClusterDeckError(
        'forbidden',
        `Projects cannot be listed (${why}); enable the Cloud Resource Manager API or list your projects in the setting clusterdeck.gcp.projects.`,
      );
    return [...out.values()];
  }

  const provider: CloudProvider = {
    cloud: 'gke',

    async listAccounts(signal) {
      throwIfCancelled(signal);
      await accessToken(signal);
      const { client } = await auth();
      const accounts: CloudAccount[] = [];
      const seen = new Set<string>();
      let pageToken: string | undefined;
      for (let page = 0; page < 100; page++) {
        const started = Date.now();
        let outcome = 'error';
        let data: { projects?: { name?: string; projectId?: string; displayName?: string; state?: string }[]; nextPageToken?: string };
        try {
          const res = await raceAbort(
            client.request<typeof data>({
              url: `${baseUrl(rm)}/v3/projects:search`,
              method: 'GET',
              ...(pageToken ? { params: { pageToken } } : {}),
              timeout: timeoutMs,
              ...(signal ? { signal } : {}),
              responseType: 'json',
            }),
            signal,
          );
          data = res.data;
          outcome = 'ok';
        } catch (e) {
          if (isCancellation(e) || signal?.aborted) {
            outcome = 'cancelled';
            throw new CancelledError();
          }
          const g = e as GoogleLikeError;
          const status = g.response?.status;
          outcome = status ? String(status) : 'unreachable';
          if (status === 403) {
            const why =
              errorInfoReason(g.response?.data) === 'SERVICE_DISABLED' ? 'Resource Manager API disabled' : 'project search not permitted';
            return fallbackAccounts(why);
          }
          if (status === 401)
            throw new ClusterDeckError('unauthorized', `Google rejected the credentials for the project search (401). ${signInHint}.`, {
              status,
            });
          if (status === 429)
            throw new ClusterDeckError('throttled', 'The project search is throttled; try again in a minute.', { status });
          if (status)
            throw new ClusterDeckError(
              status >= 500 ? 'serverError' : 'unknown',
              `The project search failed (${status}); try again or set clusterdeck.gcp.projects.`,
              { status },
            );
          throw new ClusterDeckError(
            'unreachable',
            `Could not reach ${rm.host} to list projects; check the network or set clusterdeck.gcp.projects.`,
          );
        } finally {
          log(`> gke SearchProjects ${rm.host} [${Date.now() - started}ms] ${outcome}`);
        }
        for (const p of data.projects ?? []) {
          if (!p.projectId || seen.has(p.projectId) || (p.state && p.state !== 'ACTIVE')) continue;
          seen.add(p.projectId);
          const number = p.name?.replace(/^projects\//, '');
          accounts.push({ cloud: 'gke', id: p.projectId, label: p.displayName || p.projectId, ...(number ? { detail: number } : {}) });
        }
        if (!data.nextPageToken || data.nextPageToken === pageToken) break;
        pageToken = data.nextPageToken;
      }
      return accounts.sort((a, b) => a.id.localeCompare(b.id));
    },

    async listClusters(project, scopes, signal) {
      const res = await call('ListClusters', project, 'read', signal, (c, o) =>
        c.listClusters({ parent: `projects/${project}/locations/-` }, o),
      );
      const wanted = (location: string) =>
        !scopes || scopes.length === 0 || scopes.includes(location) || scopes.some((s) => location.startsWith(`${s}-`));
      const clusters = (res.clusters ?? []).filter((c) => wanted(c.location ?? ''));
      const locations = [...new Set(clusters.map((c) => c.location ?? ''))].sort();
      const configs = new Map(
        await Promise.all(locations.map(async (l) => [l, await serverConfig(project, l, signal).catch(() => undefined)] as const)),
      );
      const out: ScopeResult<CloudCluster>[] = locations.map((l) => ({
        scope: l,
        items: clusters
          .filter((c) => (c.location ?? '') === l)
          .map((c) => toCloudCluster(project, c, configs.get(l)))
          .sort((a, b) => a.name.localeCompare(b.name)),
      }));
      for (const zone of res.missingZones ?? []) {
        if (!wanted(zone)) continue;
        out.push({ scope: zone, items: [], error: `GKE did not answer for zone ${zone}; clusters there are missing, so refresh later.` });
      }
      return out;
    },

    async listNodePools(cluster, signal) {
      const res = await call('ListNodePools', scopeOf(cluster), 'read', signal, (c, o) =>
        c.listNodePools({ parent: clusterPath(cluster) }, o),
      );
      return (res.nodePools ?? []).map(toCloudNodePool);
    },

    async listAddons(cluster, signal) {
      const c = await call('GetCluster', scopeOf(cluster), 'read', signal, (g, o) => g.getCluster({ name: clusterPath(cluster) }, o));
      return toCloudAddons(c);
    },

    async describeCluster(cluster, signal) {
      return gkeClusterDetails(
        await call('GetCluster', scopeOf(cluster), 'read', signal, (g, o) => g.getCluster({ name: clusterPath(cluster) }, o)),
      );
    },

    async listUpgradeVersions(cluster, signal) {
      const [c, config] = await Promise.all([
        call('GetCluster', scopeOf(cluster), 'read', signal, (g, o) => g.getCluster({ name: clusterPath(cluster) }, o)),
        serverConfig(cluster.account, cluster.location, signal, true),
      ]);
      return upgradeVersions(
        c.currentMasterVersion ?? cluster.version,
        config,
        c.releaseChannel?.channel ? String(c.releaseChannel.channel) : undefined,
      );
    },

    async getClusterToken(_cluster, signal) {
      return accessToken(signal);
    },

    async scaleNodePool(cluster, pool, scale: NodePoolScale, signal) {
      for (const [k, v] of Object.entries(scale))
        if (v !== undefined && (!Number.isInteger(v) || (v as number) < 0))
          throw new ClusterDeckError('invalid', `${k} must be a whole number of nodes (0 or more).`);
      const name = `${clusterPath(cluster)}/nodePools/${pool}`;
      const scope = `${scopeOf(cluster)}/${pool}`;
      const steps: (() => Promise<IOperation>)[] = [];
      const parts: string[] = [];
      if (scale.min !== undefined || scale.max !== undefined) {
        const current = await call('GetNodePool', scope, 'read', signal, (c, o) => c.getNodePool({ name }, o));
        const a = current.autoscaling ?? {};
        const total = Boolean(a.enabled && (a.totalMinNodeCount || a.totalMaxNodeCount));
        const min = scale.min ?? Number((total ? a.totalMinNodeCount : a.minNodeCount) ?? 0);
        const max = scale.max ?? Number((total ? a.totalMaxNodeCount : a.maxNodeCount) ?? 0);
        if (max < min || max === 0)
          throw new ClusterDeckError('invalid', `The maximum (${max}) must be at least 1 and at least the minimum (${min}).`);
        const policy =
          a.locationPolicy && String(a.locationPolicy) !== 'LOCATION_POLICY_UNSPECIFIED' ? { locationPolicy: a.locationPolicy } : {};
        const autoscaling: INodePoolAutoscaling = total
          ? { enabled: true, totalMinNodeCount: min, totalMaxNodeCount: max, ...policy }
          : { enabled: true, minNodeCount: min, maxNodeCount: max, ...policy };
        steps.push(() =>
          call('SetNodePoolAutoscaling', scope, 'write', signal, (c, o) => c.setNodePoolAutoscaling({ name, autoscaling }, o)),
        );
        parts.push(`min ${min}`, `max ${max}`);
      }
      if (scale.desired !== undefined) {
        const nodeCount = scale.desired;
        steps.push(() => call('SetNodePoolSize', scope, 'write', signal, (c, o) => c.setNodePoolSize({ name, nodeCount }, o)));
        parts.push(`${nodeCount} nodes per zone`);
      }
      const [first, ...rest] = steps;
      if (!first) throw new ClusterDeckError('invalid', 'Give a minimum, maximum or desired node count to scale to.');
      // GKE runs one operation per cluster at a time: later steps start when the previous one is DONE.
      return operation(
        cluster.account,
        cluster.location,
        await first(),
        `scale node pool ${pool} of ${cluster.name} (${parts.join(', ')})`,
        rest,
      );
    },

    async upgradeCluster(cluster, version, signal) {
      if (!version.trim()) throw new ClusterDeckError('invalid', 'Choose a Kubernetes version to upgrade to.');
      const op = await call('UpdateMaster', scopeOf(cluster), 'write', signal, (c, o) =>
        c.updateMaster({ name: clusterPath(cluster), masterVersion: version.trim() }, o),
      );
      return operation(cluster.account, cluster.location, op, `upgrade the control plane of ${cluster.name} to ${version.trim()}`);
    },

    /**
     * updateNodePool with `nodeVersion` (a version the control plane allows, or "-" for the control plane's own).
     * The API requires `imageType` too: the pool's current one is read first and sent back unchanged.
     */
    async upgradeNodePool(cluster, pool, version, signal) {
      const nodeVersion = version.trim();
      if (!nodeVersion || !/^(-|[0-9][0-9A-Za-z.+-]*)$/.test(nodeVersion))
        throw new ClusterDeckError(
          'invalid',
          `"${version}" is not a GKE version; choose one such as 1.33.4-gke.100, or "-" for the control plane's.`,
        );
      const name = `${clusterPath(cluster)}/nodePools/${pool}`;
      const scope = `${scopeOf(cluster)}/${pool}`;
      const current = await call('GetNodePool', scope, 'read', signal, (c, o) => c.getNodePool({ name }, o));
      const imageType = current.config?.imageType;
      if (!imageType)
        throw new ClusterDeckError('serverError', `GKE did not report the image type of node pool ${pool}; refresh the Clouds view.`);
      const op = await call('UpdateNodePool', scope, 'write', signal, (c, o) => c.updateNodePool({ name, nodeVersion, imageType }, o));
      return operation(cluster.account, cluster.location, op, `upgrade node pool ${pool} of ${cluster.name} to ${nodeVersion}`);
    },

    async deleteNodePool(cluster, pool, signal) {
      const op = await call('DeleteNodePool', `${scopeOf(cluster)}/${pool}`, 'write', signal, (c, o) =>
        c.deleteNodePool({ name: `${clusterPath(cluster)}/nodePools/${pool}` }, o),
      );
      return operation(cluster.account, cluster.location, op, `delete node pool ${pool} of ${cluster.name}`);
    },

    async deleteCluster(cluster, signal) {
      const op = await call('DeleteCluster', scopeOf(cluster), 'write', signal, (c, o) =>
        c.deleteCluster({ name: clusterPath(cluster) }, o),
      );
      return operation(cluster.account, cluster.location, op, `delete cluster ${cluster.name}`);
    },

    /**
     * Follows again an operation from its id, the full operation name, with getOperation. The operation must be of
     * the cluster's project and location. A scale that took two operations (autoscaling, then size) resumes its
     * first one only: its id names that one, and the size step is not re-sent after a restart.
     */
    resumeOperation(cluster, id, description) {
      const m = /^projects\/([^/]+)\/locations\/([^/]+)\/operations\/([A-Za-z0-9][A-Za-z0-9_-]*)$/.exec(id);
      if (!m || m[1] !== cluster.account || m[2] !== cluster.location)
        throw new ClusterDeckError(
          'invalid',
          `"${id.slice(0, 120)}" is not a GKE operation of project ${cluster.account} in ${cluster.location}; refresh the Clouds view to see cluster ${cluster.name}.`,
        );
      return operation(cluster.account, cluster.location, m[3] ?? '', description);
    },
  };

  return {
    ...provider,
    provisioning: createGkeProvisioning({
      call,
      operation,
      authClient: async () => (await auth()).client,
      accessToken,
      compute: { base: baseUrl(compute), host: compute.host },
      timeoutMs,
      pollIntervalMs,
      log,
      listProjects: (signal) => provider.listAccounts(signal),
      mapError: (e, what, project, location) => mapGoogleError(e, what, project, apiHost, location),
    }),
  };
}
