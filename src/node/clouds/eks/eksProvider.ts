// Amazon EKS behind the CloudProvider port, over @aws-sdk/client-eks. This file is the entry of the lazy chunk
// dist/eksProvider.js: nothing AWS-related loads before the Clouds view (or `clusterdeck token eks`) asks for it.
//
// Credentials come only from what the user configured: the profiles of the shared config/credentials files
// (read from the paths given, never a default chain) and, as the "env" account, AWS_ACCESS_KEY_ID & co. from the
// injected environment. credential_process is never run (the SDK would start it through a shell).
//
// Retry policy (reliability.md C1): reads use the SDK's standard mode with 3 attempts. UpdateNodegroupConfig,
// UpdateNodegroupVersion and UpdateClusterVersion carry an explicit clientRequestToken: EKS treats a repeated token
// as the same request, so the standard retries (same serialized request, same token) cannot start a second update.
// DeleteNodegroup and DeleteCluster have no such token and are sent exactly once (maxAttempts 1); their waits are
// plain reads.
//
// Operation ids are self-contained so that resumeOperation can follow them after a restart: `cluster:<updateId>`,
// `nodegroup:<name>:<updateId>`, `delete-nodegroup:<name>`, `delete-cluster:<name>` (the cluster, region and
// account come from the CloudCluster given with the id).
import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteClusterCommand,
  DeleteNodegroupCommand,
  DescribeAddonCommand,
  DescribeClusterCommand,
  DescribeClusterVersionsCommand,
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  EKSClient,
  ListAddonsCommand,
  ListClustersCommand,
  ListNodegroupsCommand,
  UpdateClusterVersionCommand,
  UpdateNodegroupConfigCommand,
  UpdateNodegroupVersionCommand,
  type Cluster,
  type Nodegroup,
  type Update,
} from '@aws-sdk/client-eks';
import { fromIni, fromSSO } from '@aws-sdk/credential-providers';
import { parseAwsProfiles, regionsToQuery, isAwsRegion, type AwsProfile } from '../../../core/clouds/aws/awsProfiles';
import { checkNodePoolScale, eksHealth, eksUpgradeTargets } from '../../../core/clouds/aws/eksModel';
import type {
  CloudAccount,
  CloudAddon,
  CloudCluster,
  CloudNodePool,
  CloudOperation,
  CloudProvider,
  ClusterToken,
  NodePoolScale,
  ScopeResult,
} from '../../../core/clouds/cloudProvider';
import { mapLimited } from '../../../core/clouds/mapLimited';
import { CancelledError, ClusterDeckError, isCancellation, throwIfCancelled } from '../../../core/errors';
import { eksClusterDetails } from './eksDetails';
import { mapEksError, ssoLoginMessage } from './eksErrors';
import { createEksProvisioning } from './eksProvisioning';
import { createEksToken } from './eksToken';

/** The account id of environment credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN). */
export const envAccountId = 'env';

export interface EksProviderOptions {
  /** The EKS endpoint for every region (setting clusterdeck.aws.endpoint); else AWS_ENDPOINT_URL_EKS / AWS_ENDPOINT_URL from `env`. */
  readonly endpoint?: string;
  /** The STS endpoint the token is presigned for; else AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL from `env`, else https://sts.<region>.amazonaws.com. */
  readonly stsEndpoint?: string;
  /** Default AWS_CONFIG_FILE, else ~/.aws/config. */
  readonly configFile?: string;
  /** Default AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials. */
  readonly credentialsFile?: string;
  /** The home directory for ~/.aws and the SSO token cache (~/.aws/sso/cache); default HOME / USERPROFILE from `env`, else os.homedir(). */
  readonly homeDir?: string;
  /** The environment to read AWS_* variables from (the extension passes process.env; tests a record). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The EC2 endpoint (provisioning choices: regions, VPCs, subnets, instance types); else AWS_ENDPOINT_URL_EC2 / AWS_ENDPOINT_URL. */
  readonly ec2Endpoint?: string;
  /** The IAM endpoint (provisioning choices: roles); else AWS_ENDPOINT_URL_IAM / AWS_ENDPOINT_URL. */
  readonly iamEndpoint?: string;
  /** The AWS Account API endpoint (ListRegions); else AWS_ENDPOINT_URL_ACCOUNT / AWS_ENDPOINT_URL from `env`. */
  readonly accountEndpoint?: string;
  /**
   * The user's region choice for a profile; undefined → the regions enabled for the account (Account API
   * ListRegions, so opt-in regions the account enabled are included), else the profile's region plus the standard
   * regions when that call is not allowed.
   */
  readonly regions?: (profile: string) => readonly string[] | undefined;
  /**
   * Regions queried at once (default 32). Each region is its own endpoint with its own rate limits, so the bound
   * only protects the local side (sockets, memory) against very long user-chosen lists. With 8, 30 regions of
   * 60–450 ms latency took 2.3× the slowest region (bench/cloudDiscovery.ts); with every region at once, 1.1–1.2×.
   */
  readonly maxConcurrency?: number;
  /** Per-request timeout (default 30 s). */
  readonly requestTimeoutMs?: number;
  /**
   * Listing several regions: once all others are done, the last region is marked as timed out and the listing
   * returns when that region has gone this long without any answer (default 4 s, so a listing whose other regions
   * answer at once returns within 5 s; reliability C4).
   */
  readonly regionStragglerMs?: number;
  /** Delay between polls while waiting for an operation (default 10 s). */
  readonly pollIntervalMs?: number;
  /** One line per outgoing call, without secrets. */
  readonly onRequest?: (line: string) => void;
  /** Clock for tokens (tests). */
  readonly now?: () => Date;
}

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date };
type CredentialSource = () => Promise<Credentials>;

interface ResolvedAccount {
  readonly id: string;
  readonly region?: string;
  readonly sso: boolean;
  /** Keys the user keeps up to date by hand: the profile's own access keys, or the environment's. */
  readonly staticKeys?: 'profile' | 'env';
  readonly credentials: CredentialSource;
}

const sleep = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** With every other region done, how long the last one may go without any answer before it is cut. */
export const defaultRegionStragglerMs = 4_000;

/** A region whose answer says the account does not know the credentials there, while other regions accept them. */
export function regionNotEnabledMessage(region: string, profile: string): string {
  return `Region ${region} is not enabled for the account of profile "${profile}" (an opt-in region); enable it in the AWS console (Account, AWS Regions) or leave it out of the regions to list, then refresh.`;
}

/** Regions listed at once unless the caller says otherwise (see EksProviderOptions.maxConcurrency). */
export const defaultMaxConcurrency = 32;
const describeConcurrency = 4;
const pageSize = 100;

/** Builds the EKS provider. Cheap: files are read and clients made on first use. */
export function createEksProvider(options: EksProviderOptions): CloudProvider {
  const env = options.env;
  const home = options.homeDir ?? (env.HOME || env.USERPROFILE || homedir());
  const configFile = options.configFile ?? env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config');
  const credentialsFile = options.credentialsFile ?? env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials');
  const endpoint = options.endpoint || env.AWS_ENDPOINT_URL_EKS || env.AWS_ENDPOINT_URL || undefined;
  const stsEndpoint = options.stsEndpoint || env.AWS_ENDPOINT_URL_STS || env.AWS_ENDPOINT_URL || undefined;
  const accountEndpoint = options.accountEndpoint || env.AWS_ENDPOINT_URL_ACCOUNT || env.AWS_ENDPOINT_URL || undefined;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const pollMs = options.pollIntervalMs ?? 10_000;
  const now = options.now ?? (() => new Date());

  const clients = new Map<string, EKSClient>();
  const credentialSources = new Map<string, CredentialSource>();
  const versionCache = new Map<string, Promise<string[] | undefined>>();
  const tokens = new Map<string, ClusterToken>();

  async function readText(path: string): Promise<string> {
    try {
      return await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw new ClusterDeckError(
        'badConfig',
        `Cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'}); check its permissions.`,
        {
          file: path,
        },
      );
    }
  }

  async function loadProfiles(): Promise<readonly AwsProfile[]> {
    const [config, credentials] = await Promise.all([readText(configFile), readText(credentialsFile)]);
    return parseAwsProfiles(config, credentials).profiles;
  }

  const hasEnvKeys = () => Boolean(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY);

  /** The SSO token cache entry the CLI writes on `aws sso login`: ~/.aws/sso/cache/<sha1(session or start URL)>.json. */
  async function hasValidSsoToken(profile: AwsProfile): Promise<boolean> {
    const key = profile.sso?.session ?? profile.sso?.startUrl;
    if (!key) return false;
    const file = join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update(key).digest('hex')}.json`);
    try {
      const cached = JSON.parse(await readFile(file, 'utf8')) as { accessToken?: unknown; expiresAt?: unknown };
      const expires = typeof cached.expiresAt === 'string' ? Date.parse(cached.expiresAt) : NaN;
      return typeof cached.accessToken === 'string' && Number.isFinite(expires) && expires > now().getTime() + 60_000;
    } catch {
      return false;
    }
  }

  async function resolveAccount(account: string): Promise<ResolvedAccount> {
    if (account === envAccountId) {
      if (!hasEnvKeys()) {
        throw new ClusterDeckError(
          'unauthorized',
          'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set; set them and restart, or choose a profile.',
        );
      }
      const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
      // From the injected environment rather than fromEnv(), which reads process.env itself.
      const credentials: Credentials = {
        accessKeyId: env.AWS_ACCESS_KEY_ID ?? '',
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '',
        ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
      };
      return {
        id: account,
        ...(region && isAwsRegion(region) ? { region } : {}),
        sso: false,
        staticKeys: 'env',
        credentials: () => Promise.resolve(credentials),
      };
    }
    const profile = (await loadProfiles()).find((p) => p.name === account);
    if (!profile)
      throw new ClusterDeckError('notFound', `AWS profile "${account}" is not in ${configFile} or ${credentialsFile}; refresh the view.`);
    if (profile.needsApproval) {
      throw new ClusterDeckError(
        'needsApproval',
        `Profile "${account}" gets its credentials from credential_process, which ClusterDeck does not run (the AWS SDK starts it through a shell); use an SSO, role or access-key profile, or export the credentials as AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and use "env".`,
        { file: configFile },
      );
    }
    if (profile.problem)
      throw new ClusterDeckError('badConfig', `${profile.problem} Fix ${configFile}, then refresh.`, { file: configFile });
    if (profile.kind === 'none') {
      throw new ClusterDeckError(
        'badConfig',
        `Profile "${account}" has no credentials (keys, SSO or role); complete it in ${configFile}, then refresh.`,
        {
          file: configFile,
        },
      );
    }
    const sso = profile.kind === 'sso';
    if (sso && !(await hasValidSsoToken(profile))) throw new ClusterDeckError('unauthorized', ssoLoginMessage(account));
    let source = credentialSources.get(account);
    if (!source) {
      const files = { profile: account, filepath: credentialsFile, configFilepath: configFile, ignoreCache: true };
      const region = profile.region;
      const provider = sso
        ? fromSSO({ ...files, ...(profile.sso?.region ? { clientConfig: { region: profile.sso.region } } : {}) })
        : // static keys, role_arn (STS AssumeRole over the source profile) and web identity.
          fromIni({ ...files, clientConfig: { ...(region ? { region } : {}), ...(stsEndpoint ? { endpoint: stsEndpoint } : {}) } });
      let cached: Promise<Credentials> | undefined;
      const fresh: CredentialSource = async () => {
        const current = cached ? await cached.catch(() => undefined) : undefined;
        if (!cached || !current || (current.expiration && current.expiration.getTime() - now().getTime() < 5 * 60_000)) cached = provider();
        return cached;
      };
      source = fresh;
      credentialSources.set(account, source);
    }
    return {
      id: account,
      ...(profile.region ? { region: profile.region } : {}),
      sso,
      ...(profile.kind === 'static' ? { staticKeys: 'profile' as const } : {}),
      credentials: source,
    };
  }

  function client(account: ResolvedAccount, region: string, mutating = false): EKSClient {
    const key = `${account.id}\0${region}\0${mutating ? 'once' : 'retry'}`;
    let c = clients.get(key);
    if (!c) {
      c = new EKSClient({
        region,
        ...(endpoint ? { endpoint } : {}),
        credentials: account.credentials,
        retryMode: 'standard',
        maxAttempts: mutating ? 1 : 3,
        requestHandler: { requestTimeout: timeoutMs, connectionTimeout: Math.min(timeoutMs, 10_000), throwOnRequestTimeout: true },
      });
      if (!mutating) logRetriedAttempts(c, account.id, region);
      clients.set(key, c);
    }
    return c;
  }

  /**
   * A middleware inside the SDK's retry loop: an attempt that failed as throttled, a server error, a timeout or a
   * broken connection and is about to be retried (attempt < max, from the SDK's own `amz-sdk-request` header) gets
   * its own log line, e.g. `> eks ListClusters eu-west-1 [8ms] throttled, retrying (1/2)`; the call's final line
   * follows as usual.
   */
  function logRetriedAttempts(c: EKSClient, profile: string, region: string): void {
    // finalizeRequest at low priority: inside the SDK's retry middleware (same step, high priority), once per attempt.
    c.middlewareStack.add(
      (next, context) => async (args) => {
        const started = Date.now();
        try {
          return await next(args);
        } catch (e) {
          const header = (args.request as { headers?: Record<string, string> } | undefined)?.headers?.['amz-sdk-request'] ?? '';
          const m = /attempt=(\d+); max=(\d+)/.exec(header);
          const operation = String((context as { commandName?: string }).commandName ?? '').replace(/Command$/, '');
          if (m && Number(m[1]) < Number(m[2])) {
            const mapped = mapEksError(e, { profile, region, operation });
            if (mapped instanceof ClusterDeckError && /^(throttled|serverError|timeout|unreachable)$/.test(mapped.reason))
              options.onRequest?.(
                `> eks ${operation} ${region} [${Date.now() - started}ms] ${mapped.reason}, retrying (${m[1]}/${Number(m[2]) - 1})`,
              );
          }
          throw e;
        }
      },
      { step: 'finalizeRequest', priority: 'low', name: 'clusterdeckRetriedAttempts' },
    );
  }

  /** Sends one command with the caller's signal, logs one line, maps errors. */
  async function call<T>(
    account: ResolvedAccount,
    region: string,
    operation: string,
    send: (c: EKSClient, abortSignal: AbortSignal | undefined) => Promise<T>,
    signal: AbortSignal | undefined,
    subject?: string,
    mutating = false,
  ): Promise<T> {
    throwIfCancelled(signal);
    const started = Date.now();
    let outcome = 'error';
    try {
      const result = await send(client(account, region, mutating), signal);
      const attempts = (result as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
      outcome = attempts > 1 ? `ok (${attempts} attempts)` : 'ok';
      return result;
    } catch (e) {
      const mapped = mapEksError(e, {
        profile: account.id,
        region,
        operation,
        sso: account.sso,
        ...(account.staticKeys ? { staticKeys: account.staticKeys } : {}),
        timeoutMs,
        ...(subject ? { subject } : {}),
      });
      outcome = mapped instanceof ClusterDeckError ? mapped.reason : 'cancelled';
      throw mapped;
    } finally {
      options.onRequest?.(`> eks ${operation} ${region}${subject ? ` ${subject}` : ''} [${Date.now() - started}ms] ${outcome}`);
    }
  }

  const enabledRegionsCache = new Map<string, Promise<string[] | undefined>>();
  /**
   * The regions enabled for the account (standard and opted-in), from the Account API's ListRegions; undefined
   * when that is not allowed (account:ListRegions) or fails: then the standard list is used. Cached per profile
   * until listAccounts (a refresh) drops the caches.
   */
  function enabledRegions(account: ResolvedAccount, signal: AbortSignal | undefined): Promise<string[] | undefined> {
    let p = enabledRegionsCache.get(account.id);
    if (!p) {
      p = (async () => {
        const started = Date.now();
        let outcome = 'error';
        try {
          const client = new AccountClient({
            region: 'us-east-1',
            ...(accountEndpoint ? { endpoint: accountEndpoint } : {}),
            credentials: account.credentials,
            retryMode: 'standard',
            maxAttempts: 2,
            requestHandler: { requestTimeout: timeoutMs, connectionTimeout: Math.min(timeoutMs, 10_000), throwOnRequestTimeout: true },
          });
          const regions: string[] = [];
          let nextToken: string | undefined;
          do {
            const page = await client.send(
              new ListRegionsCommand({
                RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'],
                MaxResults: 50,
                ...(nextToken ? { NextToken: nextToken } : {}),
              }),
              signal ? { abortSignal: signal } : {},
            );
            for (const r of page.Regions ?? []) if (r.RegionName) regions.push(r.RegionName);
            nextToken = page.NextToken;
          } while (nextToken);
          outcome = `ok (${regions.length} regions)`;
          return regions.length ? regions : undefined;
        } catch (e) {
          if (signal?.aborted) throw new CancelledError();
          outcome = `${(e as { name?: string }).name ?? 'error'}: using the standard regions`;
          enabledRegionsCache.delete(account.id);
          return undefined;
        } finally {
          options.onRequest?.(`> account ListRegions ${account.id} [${Date.now() - started}ms] ${outcome}`);
        }
      })();
      enabledRegionsCache.set(account.id, p);
    }
    return p;
  }

  async function regionVersions(account: ResolvedAccount, region: string, signal: AbortSignal | undefined): Promise<string[] | undefined> {
    const key = `${account.id}\0${region}`;
    let p = versionCache.get(key);
    if (!p) {
      p = (async () => {
        const versions: string[] = [];
        let nextToken: string | undefined;
        do {
          const page = await call(
            account,
            region,
            'DescribeClusterVersions',
            (c, abortSignal) =>
              c.send(new DescribeClusterVersionsCommand({ maxResults: pageSize, ...(nextToken ? { nextToken } : {}) }), { abortSignal }),
            signal,
          );
          for (const v of page.clusterVersions ?? []) if (v.clusterVersion) versions.push(v.clusterVersion);
          nextToken = page.nextToken;
        } while (nextToken);
        return versions;
      })();
      versionCache.set(key, p);
      // Failures are not cached: the next listing asks again.
      p.catch(() => versionCache.delete(key));
    }
    return p;
  }

  function toCluster(account: string, region: string, c: Cluster, offered: readonly string[] | undefined): CloudCluster {
    const vpc = c.resourcesVpcConfig;
    const version = c.version ?? '';
    const upgrade = offered ? eksUpgradeTargets(version, offered)[0] : undefined;
    return {
      cloud: 'eks',
      account,
      location: region,
      name: c.name ?? '',
      id: c.arn ?? c.name ?? '',
      version,
      status: c.status ?? 'UNKNOWN',
      health: eksHealth(c.status),
      ...(c.endpoint ? { endpoint: c.endpoint } : {}),
      ...(c.certificateAuthority?.data ? { caData: c.certificateAuthority.data } : {}),
      ...(vpc
        ? {
            endpointAccess: {
              public: vpc.endpointPublicAccess ?? false,
              private: vpc.endpointPrivateAccess ?? false,
              ...(vpc.publicAccessCidrs ? { publicCidrs: vpc.publicAccessCidrs } : {}),
            },
          }
        : {}),
      ...(upgrade ? { upgradeAvailable: upgrade } : {}),
    };
  }

  async function listRegion(
    account: ResolvedAccount,
    region: string,
    signal: AbortSignal | undefined,
    progress: () => void = () => undefined,
  ): Promise<CloudCluster[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await call(
        account,
        region,
        'ListClusters',
        (c, abortSignal) => c.send(new ListClustersCommand({ maxResults: pageSize, ...(nextToken ? { nextToken } : {}) }), { abortSignal }),
        signal,
      );
      names.push(...(page.clusters ?? []));
      nextToken = page.nextToken;
      progress();
    } while (nextToken);
    if (!names.length) return [];
    const versions = regionVersions(account, region, signal).catch((e: unknown) => {
      if (isCancellation(e)) throw e;
      return undefined; // no upgrade hints; listUpgradeVersions reports the reason when asked
    });
    const described = await mapLimited(names, describeConcurrency, async (name) => {
      try {
        const out = await call(
          account,
          region,
          'DescribeCluster',
          (c, abortSignal) => c.send(new DescribeClusterCommand({ name }), { abortSignal }),
          signal,
          `cluster "${name}"`,
        );
        progress();
        return out.cluster;
      } catch (e) {
        // Deleted between the list and the describe: drop it.
        if (e instanceof ClusterDeckError && e.reason === 'notFound') return undefined;
        throw e;
      }
    });
    const offered = await versions;
    return described.filter((c): c is Cluster => c !== undefined).map((c) => toCluster(account.id, region, c, offered));
  }

  function accountOf(cluster: Pick<CloudCluster, 'account' | 'location'>): Promise<ResolvedAccount> {
    if (!isAwsRegion(cluster.location)) throw new ClusterDeckError('invalid', `"${cluster.location}" is not an AWS region name.`);
    return resolveAccount(cluster.account);
  }

  async function describeNodegroup(
    account: ResolvedAccount,
    cluster: CloudCluster,
    name: string,
    signal: AbortSignal | undefined,
  ): Promise<Nodegroup | undefined> {
    const out = await call(
      account,
      cluster.location,
      'DescribeNodegroup',
      (c, abortSignal) => c.send(new DescribeNodegroupCommand({ clusterName: cluster.name, nodegroupName: name }), { abortSignal }),
      signal,
      `node group "${name}" of cluster "${cluster.name}"`,
    );
    return out.nodegroup;
  }

  /**
   * Polls DescribeUpdate until Successful (resolves) or Failed/Cancelled (rejects with EKS's reason). `update` is
   * the answer of the call that started it; absent when resumed from an id, in which case the first poll is at once.
   * The id is self-contained (see parseOperationId): `nodegroup:<name>:<updateId>` or `cluster:<updateId>`.
   */
  function updateOperation(
    account: () => Promise<ResolvedAccount>,
    cluster: CloudCluster,
    updateId: string,
    update: Update | undefined,
    description: string,
    nodegroupName?: string,
  ): CloudOperation {
    const id = nodegroupName ? `nodegroup:${nodegroupName}:${updateId}` : `cluster:${updateId}`;
    return {
      id,
      description,
      async wait(signal, onProgress) {
        const resolved = await account();
        let current = update;
        const poll = async () => {
          const out = await call(
            resolved,
            cluster.location,
            'DescribeUpdate',
            (c, abortSignal) =>
              c.send(new DescribeUpdateCommand({ name: cluster.name, updateId, ...(nodegroupName ? { nodegroupName } : {}) }), {
                abortSignal,
              }),
            signal,
            `update ${updateId}`,
          );
          current = out.update;
        };
        if (!current) await poll();
        for (;;) {
          const status: string = current?.status ?? 'InProgress';
          onProgress?.(status);
          if (status === 'Successful') return;
          if (status === 'Failed' || status === 'Cancelled') {
            const first = current?.errors?.[0];
            const reason = first ? `: ${first.errorCode ?? ''}${first.errorMessage ? ` ${first.errorMessage}` : ''}`.trimEnd() : '';
            throw new ClusterDeckError(
              'unknown',
              `EKS reports that "${description}" ${status === 'Failed' ? 'failed' : 'was cancelled'}${reason}; see the update in the AWS console.`,
            );
          }
          await sleep(pollMs, signal);
          await poll();
        }
      },
    };
  }

  /** Deletion of a node group, followed by DescribeNodegroup until it is gone; id `delete-nodegroup:<name>`. */
  function nodegroupDeletion(account: () => Promise<ResolvedAccount>, cluster: CloudCluster, pool: string, description: string) {
    return deletionOperation(`delete-nodegroup:${pool}`, description, async (s) => {
      const g = await describeNodegroup(await account(), cluster, pool, s);
      const issue = g?.health?.issues?.[0];
      return g ? { ...(g.status ? { status: g.status } : {}), ...(issue?.message ? { problem: issue.message } : {}) } : undefined;
    });
  }

  /** Deletion of the cluster, followed by DescribeCluster until it is gone; id `delete-cluster:<name>`. */
  function clusterDeletion(account: () => Promise<ResolvedAccount>, cluster: CloudCluster, description: string) {
    return deletionOperation(`delete-cluster:${cluster.name}`, description, async (s) => {
      const got = await call(
        await account(),
        cluster.location,
        'DescribeCluster',
        (c, abortSignal) => c.send(new DescribeClusterCommand({ name: cluster.name }), { abortSignal }),
        s,
        `cluster "${cluster.name}"`,
      );
      return got.cluster ? { ...(got.cluster.status ? { status: got.cluster.status } : {}) } : undefined;
    });
  }

  /** Polls a describe until it answers notFound (resolves) or a *_FAILED status (rejects). */
  function deletionOperation(
    id: string,
    description: string,
    describe: (signal: AbortSignal | undefined) => Promise<{ status?: string; problem?: string } | undefined>,
  ): CloudOperation {
    return {
      id,
      description,
      async wait(signal, onProgress) {
        for (;;) {
          let state: { status?: string; problem?: string } | undefined;
          try {
            state = await describe(signal);
          } catch (e) {
            if (e instanceof ClusterDeckError && e.reason === 'notFound') {
              onProgress?.('DELETED');
              return;
            }
            throw e;
          }
          if (!state) {
            onProgress?.('DELETED');
            return;
          }
          onProgress?.(state.status ?? 'DELETING');
          if (state.status === 'DELETE_FAILED' || state.status === 'FAILED') {
            throw new ClusterDeckError(
              'unknown',
              `EKS could not complete "${description}"${state.problem ? `: ${state.problem}` : ''}; see it in the AWS console.`,
            );
          }
          await sleep(pollMs, signal);
        }
      },
    };
  }

  async function listPaged<T>(
    account: ResolvedAccount,
    region: string,
    operation: string,
    fetchPage: (
      c: EKSClient,
      nextToken: string | undefined,
      abortSignal: AbortSignal | undefined,
    ) => Promise<{ items?: T[]; nextToken?: string }>,
    signal: AbortSignal | undefined,
    subject: string,
  ): Promise<T[]> {
    const all: T[] = [];
    let nextToken: string | undefined;
    do {
      const token = nextToken;
      const page = await call(account, region, operation, (c, abortSignal) => fetchPage(c, token, abortSignal), signal, subject);
      all.push(...(page.items ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return all;
  }

  const ec2Endpoint = options.ec2Endpoint || env.AWS_ENDPOINT_URL_EC2 || env.AWS_ENDPOINT_URL || undefined;
  const iamEndpoint = options.iamEndpoint || env.AWS_ENDPOINT_URL_IAM || env.AWS_ENDPOINT_URL || undefined;
  const provisioning = createEksProvisioning({
    resolveAccount,
    eks: call,
    listAccounts: (signal) => provider.listAccounts(signal),
    ...(ec2Endpoint ? { ec2Endpoint } : {}),
    ...(iamEndpoint ? { iamEndpoint } : {}),
    timeoutMs,
    pollMs,
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
  });

  const provider: CloudProvider = {
    cloud: 'eks',
    provisioning,

    async listAccounts(signal) {
      throwIfCancelled(signal);
      // Listing accounts is what a refresh does: forget clients and credentials so edited files take effect
      // (the SDK clients keep non-expiring credentials for their lifetime). Calls in flight keep their client.
      clients.clear();
      credentialSources.clear();
      versionCache.clear();
      enabledRegionsCache.clear();
      const accounts: CloudAccount[] = (await loadProfiles()).map((p) => ({
        cloud: 'eks',
        id: p.name,
        label: p.name,
        detail: [
          p.needsApproval
            ? 'credential_process (not run)'
            : {
                role: 'role',
                static: 'access keys',
                webIdentity: 'web identity',
                process: 'credential_process',
                sso: 'SSO',
                none: 'no credentials',
              }[p.kind],
          p.region,
        ]
          .filter(Boolean)
          .join(' · '),
      }));
      if (env.AWS_ACCESS_KEY_ID) {
        const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
        accounts.push({
          cloud: 'eks',
          id: envAccountId,
          label: 'Environment (AWS_ACCESS_KEY_ID)',
          detail: ['environment', region].filter(Boolean).join(' · '),
        });
      }
      return accounts;
    },

    async listClusters(accountId, scopes, signal) {
      const account = await resolveAccount(accountId);
      const chosen = scopes ?? options.regions?.(accountId);
      const regions = regionsToQuery(account.region, chosen?.length ? chosen : await enabledRegions(account, signal));
      type Outcome = ScopeResult<CloudCluster> & { readonly reason?: string };
      // One region that stops answering must not hold back the listing (reliability C4): once every other region
      // is done, the last one is cut and marked when it has not answered anything for `regionStragglerMs` (a slow
      // region that keeps answering, page after page, is never cut).
      const stragglerMs = options.regionStragglerMs ?? defaultRegionStragglerMs;
      let unfinished = regions.length;
      const results = await mapLimited(regions, options.maxConcurrency ?? defaultMaxConcurrency, async (region): Promise<Outcome> => {
        const own = new AbortController();
        const onAbort = () => own.abort();
        if (signal?.aborted) own.abort();
        else signal?.addEventListener('abort', onAbort, { once: true });
        let lastAnswer = Date.now();
        let watch: ReturnType<typeof setInterval> | undefined;
        const cut = new Promise<Outcome>((resolve) => {
          if (regions.length < 2) return;
          watch = setInterval(
            () => {
              if (unfinished > 1 || Date.now() - lastAnswer < stragglerMs) return;
              own.abort();
              resolve({
                scope: region,
                items: [],
                error: `EKS in ${region} gave no answer for ${Math.round(stragglerMs / 1000)} s while the other regions had answered; check your network or whether the region is reachable, then refresh.`,
                reason: 'timeout',
              });
            },
            Math.min(100, stragglerMs),
          );
        });
        const work = (async (): Promise<Outcome> => {
          try {
            return { scope: region, items: await listRegion(account, region, own.signal, () => (lastAnswer = Date.now())) };
          } catch (e) {
            const mapped = mapEksError(e, {
              profile: accountId,
              region,
              operation: 'ListClusters',
              sso: account.sso,
              ...(account.staticKeys ? { staticKeys: account.staticKeys } : {}),
              timeoutMs,
            });
            if (mapped instanceof CancelledError) throw mapped;
            return { scope: region, items: [], error: mapped.message, reason: mapped.reason };
          }
        })();
        try {
          return await Promise.race([work, cut]);
        } catch (e) {
          // Cancelled by the caller (the cut only aborts after it has resolved the race).
          throw signal?.aborted ? new CancelledError() : e;
        } finally {
          clearInterval(watch);
          signal?.removeEventListener('abort', onAbort);
          unfinished -= 1;
        }
      });
      throwIfCancelled(signal);
      // Rejected credentials fail every region the same way: that is the account's problem, shown once.
      const rejected = results.filter((r) => r.reason === 'unauthorized');
      if (results.length > 0 && rejected.length === results.length) {
        throw new ClusterDeckError('unauthorized', rejected[0]?.error ?? ssoLoginMessage(accountId));
      }
      // The same credentials work elsewhere: a region that does not know them is an opt-in region the account has
      // not enabled (AWS answers UnrecognizedClientException / InvalidClientTokenId there), not a bad key.
      const notEnabled = (r: Outcome) =>
        r.reason === 'unauthorized' && /\((UnrecognizedClientException|InvalidClientTokenId)\)/.test(r.error ?? '');
      return results.map((r) => {
        const error = notEnabled(r) ? regionNotEnabledMessage(r.scope, accountId) : r.error;
        return { scope: r.scope, items: r.items, ...(error !== undefined ? { error } : {}) };
      });
    },

    async listNodePools(cluster, signal): Promise<readonly CloudNodePool[]> {
      const account = await accountOf(cluster);
      const subject = `cluster "${cluster.name}"`;
      const names = await listPaged(
        account,
        cluster.location,
        'ListNodegroups',
        async (c, nextToken, abortSignal) => {
          const out = await c.send(
            new ListNodegroupsCommand({ clusterName: cluster.name, maxResults: pageSize, ...(nextToken ? { nextToken } : {}) }),
            { abortSignal },
          );
          return { ...out, items: out.nodegroups ?? [] };
        },
        signal,
        subject,
      );
      const groups = await mapLimited(names, describeConcurrency, (name) =>
        describeNodegroup(account, cluster, name, signal).catch((e: unknown) => {
          if (e instanceof ClusterDeckError && e.reason === 'notFound') return undefined;
          throw e;
        }),
      );
      return groups
        .filter((g): g is Nodegroup => g !== undefined)
        .map((g) => ({
          name: g.nodegroupName ?? '',
          instanceType: (g.instanceTypes ?? []).join(','),
          ...(g.scalingConfig?.minSize !== undefined ? { min: g.scalingConfig.minSize } : {}),
          ...(g.scalingConfig?.maxSize !== undefined ? { max: g.scalingConfig.maxSize } : {}),
          ...(g.scalingConfig?.desiredSize !== undefined ? { desired: g.scalingConfig.desiredSize } : {}),
          ...(g.capacityType === 'SPOT'
            ? { capacityType: 'spot' as const }
            : g.capacityType === 'ON_DEMAND'
              ? { capacityType: 'on-demand' as const }
              : {}),
          ...(g.version ? { version: g.version } : {}),
          status: g.status ?? 'UNKNOWN',
          health: eksHealth(g.status),
        }));
    },

    async listAddons(cluster, signal): Promise<readonly CloudAddon[]> {
      const account = await accountOf(cluster);
      const names = await listPaged(
        account,
        cluster.location,
        'ListAddons',
        async (c, nextToken, abortSignal) => {
          const out = await c.send(
            new ListAddonsCommand({ clusterName: cluster.name, maxResults: pageSize, ...(nextToken ? { nextToken } : {}) }),
            { abortSignal },
          );
          return { ...out, items: out.addons ?? [] };
        },
        signal,
        `cluster "${cluster.name}"`,
      );
      const addons = await mapLimited(names, describeConcurrency, async (addonName) => {
        try {
          const out = await call(
            account,
            cluster.location,
            'DescribeAddon',
            (c, abortSignal) => c.send(new DescribeAddonCommand({ clusterName: cluster.name, addonName }), { abortSignal }),
            signal,
            `add-on "${addonName}" of cluster "${cluster.name}"`,
          );
          return out.addon;
        } catch (e) {
          if (e instanceof ClusterDeckError && e.reason === 'notFound') return undefined;
          throw e;
        }
      });
      return addons
        .filter((a) => a !== undefined)
        .map((a) => ({
          name: a.addonName ?? '',
          ...(a.addonVersion ? { version: a.addonVersion } : {}),
          status: a.status ?? 'UNKNOWN',
          health: eksHealth(a.status),
        }));
    },

    async describeCluster(cluster, signal) {
      const account = await accountOf(cluster);
      const out = await call(
        account,
        cluster.location,
        'DescribeCluster',
        (c, abortSignal) => c.send(new DescribeClusterCommand({ name: cluster.name }), { abortSignal }),
        signal,
        `cluster "${cluster.name}"`,
      );
      if (!out.cluster)
        throw new ClusterDeckError('notFound', `EKS returned no cluster "${cluster.name}" in ${cluster.location}; refresh the view.`);
      return eksClusterDetails(out.cluster);
    },

    async listUpgradeVersions(cluster, signal) {
      const account = await accountOf(cluster);
      const offered = await regionVersions(account, cluster.location, signal);
      return eksUpgradeTargets(cluster.version, offered ?? []);
    },

    async getClusterToken(cluster, signal) {
      const account = await accountOf(cluster);
      const key = `${cluster.account}\0${cluster.location}\0${cluster.name}`;
      const cached = tokens.get(key);
      if (cached && cached.expiresAt.getTime() - now().getTime() > 60_000) return cached;
      throwIfCancelled(signal);
      const started = Date.now();
      let outcome = 'error';
      try {
        const credentials = await account.credentials().catch((e: unknown) => {
          throw mapEksError(e, { profile: account.id, region: cluster.location, operation: 'GetCallerIdentity', sso: account.sso });
        });
        const token = await createEksToken({
          credentials,
          region: cluster.location,
          cluster: cluster.name,
          ...(stsEndpoint ? { stsEndpoint } : {}),
          now: now(),
        });
        tokens.set(key, token);
        outcome = 'ok';
        return token;
      } finally {
        options.onRequest?.(
          `> sts presign GetCallerIdentity ${cluster.location} cluster "${cluster.name}" [${Date.now() - started}ms] ${outcome}`,
        );
      }
    },

    async scaleNodePool(cluster, pool, scale: NodePoolScale, signal) {
      const problem = checkNodePoolScale(scale);
      if (problem) throw new ClusterDeckError('invalid', problem);
      const account = await accountOf(cluster);
      const scalingConfig = {
        ...(scale.min !== undefined ? { minSize: scale.min } : {}),
        ...(scale.max !== undefined ? { maxSize: scale.max } : {}),
        ...(scale.desired !== undefined ? { desiredSize: scale.desired } : {}),
      };
      const clientRequestToken = randomUUID();
      const out = await call(
        account,
        cluster.location,
        'UpdateNodegroupConfig',
        (c, abortSignal) =>
          c.send(new UpdateNodegroupConfigCommand({ clusterName: cluster.name, nodegroupName: pool, scalingConfig, clientRequestToken }), {
            abortSignal,
          }),
        signal,
        `node group "${pool}" of cluster "${cluster.name}"`,
      );
      const parts = [
        scale.min !== undefined ? `min ${scale.min}` : '',
        scale.desired !== undefined ? `desired ${scale.desired}` : '',
        scale.max !== undefined ? `max ${scale.max}` : '',
      ];
      return updateOperation(
        () => Promise.resolve(account),
        cluster,
        updateIdOf(out.update, 'UpdateNodegroupConfig'),
        out.update,
        `Scale node group ${pool} of ${cluster.name} to ${parts.filter(Boolean).join(', ')}`,
        pool,
      );
    },

    async upgradeCluster(cluster, version, signal) {
      const account = await accountOf(cluster);
      const clientRequestToken = randomUUID();
      const out = await call(
        account,
        cluster.location,
        'UpdateClusterVersion',
        (c, abortSignal) => c.send(new UpdateClusterVersionCommand({ name: cluster.name, version, clientRequestToken }), { abortSignal }),
        signal,
        `cluster "${cluster.name}"`,
      );
      return updateOperation(
        () => Promise.resolve(account),
        cluster,
        updateIdOf(out.update, 'UpdateClusterVersion'),
        out.update,
        `Upgrade ${cluster.name} to Kubernetes ${version}`,
      );
    },

    /**
     * UpdateNodegroupVersion to `version` (EKS: the control plane's minor, or the latest AMI release for it). Like
     * the other updates it carries a clientRequestToken, so the SDK's retries cannot start a second update.
     */
    async upgradeNodePool(cluster, pool, version, signal) {
      const target = version.trim();
      if (!/^\d+\.\d+$/.test(target)) {
        throw new ClusterDeckError('invalid', `"${version}" is not an EKS Kubernetes version; choose one such as 1.33.`);
      }
      const account = await accountOf(cluster);
      const clientRequestToken = randomUUID();
      const out = await call(
        account,
        cluster.location,
        'UpdateNodegroupVersion',
        (c, abortSignal) =>
          c.send(
            new UpdateNodegroupVersionCommand({ clusterName: cluster.name, nodegroupName: pool, version: target, clientRequestToken }),
            {
              abortSignal,
            },
          ),
        signal,
        `node group "${pool}" of cluster "${cluster.name}"`,
      );
      return updateOperation(
        () => Promise.resolve(account),
        cluster,
        updateIdOf(out.update, 'UpdateNodegroupVersion'),
        out.update,
        `Upgrade node group ${pool} of ${cluster.name} to Kubernetes ${target}`,
        pool,
      );
    },

    async deleteNodePool(cluster, pool, signal) {
      const account = await accountOf(cluster);
      await call(
        account,
        cluster.location,
        'DeleteNodegroup',
        (c, abortSignal) => c.send(new DeleteNodegroupCommand({ clusterName: cluster.name, nodegroupName: pool }), { abortSignal }),
        signal,
        `node group "${pool}" of cluster "${cluster.name}"`,
        true,
      );
      return nodegroupDeletion(() => Promise.resolve(account), cluster, pool, `Delete node group ${pool} of ${cluster.name}`);
    },

    async deleteCluster(cluster, signal) {
      const account = await accountOf(cluster);
      await call(
        account,
        cluster.location,
        'DeleteCluster',
        (c, abortSignal) => c.send(new DeleteClusterCommand({ name: cluster.name }), { abortSignal }),
        signal,
        `cluster "${cluster.name}"`,
        true,
      );
      return clusterDeletion(() => Promise.resolve(account), cluster, `Delete cluster ${cluster.name}`);
    },

    /**
     * Follows again an operation from its id: `cluster:<updateId>` and `nodegroup:<name>:<updateId>` poll
     * DescribeUpdate, `delete-nodegroup:<name>` and `delete-cluster:<name>` poll the describe until it is gone.
     * Credentials are resolved on the first wait.
     */
    resumeOperation(cluster, id, description) {
      const parsed = parseOperationId(id);
      if (!parsed || (parsed.kind === 'deleteCluster' && parsed.name !== cluster.name)) {
        throw new ClusterDeckError(
          'invalid',
          `"${id.slice(0, 80)}" is not an EKS operation id of cluster ${cluster.name}; refresh the Clouds view to see the cluster's state.`,
        );
      }
      if (!isAwsRegion(cluster.location)) throw new ClusterDeckError('invalid', `"${cluster.location}" is not an AWS region name.`);
      const account = () => accountOf(cluster);
      switch (parsed.kind) {
        case 'cluster':
          return updateOperation(account, cluster, parsed.updateId, undefined, description);
        case 'nodegroup':
          return updateOperation(account, cluster, parsed.updateId, undefined, description, parsed.name);
        case 'deleteNodegroup':
          return nodegroupDeletion(account, cluster, parsed.name, description);
        case 'deleteCluster':
          return clusterDeletion(account, cluster, description);
      }
    },
  };
  return provider;
}

function updateIdOf(update: Update | undefined, operation: string): string {
  if (!update?.id) throw new ClusterDeckError('serverError', `EKS answered ${operation} without an update id; refresh the Clouds view.`);
  return update.id;
}

type EksOperationId =
  | { readonly kind: 'cluster'; readonly updateId: string }
  | { readonly kind: 'nodegroup'; readonly name: string; readonly updateId: string }
  | { readonly kind: 'deleteNodegroup'; readonly name: string }
  | { readonly kind: 'deleteCluster'; readonly name: string };

/** EKS names: a letter or digit, then letters, digits, '-' and '_' (up to 100); update ids are UUIDs. */
const eksName = '[0-9A-Za-z][0-9A-Za-z_-]{0,99}';
const updateIdPattern = '[0-9A-Za-z][0-9A-Za-z-]{0,99}';

/** Parses an operation id of this provider (see resumeOperation); undefined for anything else. */
export function parseOperationId(id: string): EksOperationId | undefined {
  let m = new RegExp(`^cluster:(${updateIdPattern})$`).exec(id);
  if (m?.[1]) return { kind: 'cluster', updateId: m[1] };
  m = new RegExp(`^nodegroup:(${eksName}):(${updateIdPattern})$`).exec(id);
  if (m?.[1] && m[2]) return { kind: 'nodegroup', name: m[1], updateId: m[2] };
  m = new RegExp(`^delete-nodegroup:(${eksName})$`).exec(id);
  if (m?.[1]) return { kind: 'deleteNodegroup', name: m[1] };
  m = new RegExp(`^delete-cluster:(${eksName})$`).exec(id);
  if (m?.[1]) return { kind: 'deleteCluster', name: m[1] };
  return undefined;
}
