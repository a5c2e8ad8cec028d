// The AKS CloudProvider over @azure/arm-containerservice 25.x (ARM REST). This file is the entry of the lazy chunk
// dist/aksProvider.js: nothing of the Azure SDK loads until the first AKS call.
//
// Credentials are always injected (VS Code's Microsoft authentication provider in the editor, an explicit
// @azure/identity credential in the CLI); no default credential chain is ever built here.
import { ContainerServiceClient, restorePoller, type AgentPool, type ManagedCluster } from '@azure/arm-containerservice';
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createPipelineFromOptions,
  createPipelineRequest,
  RestError,
  type HttpClient,
  type Pipeline,
} from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import { parse as parseYaml } from 'yaml';
import type {
  CloudAccount,
  CloudCluster,
  CloudOperation,
  CloudProvider,
  ClusterToken,
  NodePoolScale,
  ScopeResult,
} from '../../../core/clouds/cloudProvider';
import { CancelledError, ClusterDeckError, throwIfCancelled } from '../../../core/errors';
import { aksClusterDetails } from './aksDetails';
import { mapAzureError } from './aksErrors';
import { toCloudAddons, toCloudCluster, toCloudNodePool, parseArmId } from './aksModel';
import { aksRequestPolicy, aksRetryOptions } from './aksPipeline';
import { createAksProvisioning } from './aksProvisioning';

/** The Entra ID application every AKS API server accepts tokens for (the "AKS AAD server" app, all clouds). */
export const AKS_SERVER_SCOPE = '6dae42f8-4368-4678-94ff-3960e28e3630/.default';

/**
 * An Entra ID token for AKS API servers (scope {@link AKS_SERVER_SCOPE}) from `credential`, without any ARM call.
 * Throws 'unauthorized' when the credential cannot sign in.
 */
export async function getAksEntraToken(
  credential: TokenCredential,
  clusterName: string,
  signal?: AbortSignal,
  scope = AKS_SERVER_SCOPE,
): Promise<ClusterToken> {
  let token: Awaited<ReturnType<TokenCredential['getToken']>>;
  try {
    token = await credential.getToken(scope, signal ? { abortSignal: signal } : {});
  } catch (e) {
    throw mapAzureError(e, { action: `connect to cluster ${clusterName}`, host: 'Entra ID' });
  }
  if (!token) throw new ClusterDeckError('unauthorized', `Azure gave no token for cluster ${clusterName}; sign in to Azure again.`);
  return { token: token.token, expiresAt: new Date(token.expiresOnTimestamp) };
}

/** ARM subscriptions API version (GET /subscriptions). */
const SUBSCRIPTIONS_API_VERSION = '2022-12-01';

/** How long a local-account token is reused before asking ARM again (the token itself does not expire). */
const LOCAL_TOKEN_LIFETIME_MS = 60 * 60 * 1000;

export interface AksProviderOptions {
  /** The Azure credential: VS Code's Microsoft sign-in (editor) or an explicit @azure/identity credential (CLI). */
  readonly credential: TokenCredential;
  /**
   * ARM endpoint (setting `clusterdeck.azure.resourceManagerEndpoint`), default `https://management.azure.com`.
   * Sovereign clouds use theirs (`https://management.chinacloudapi.cn`, `https://management.usgovcloudapi.net`);
   * the ARM token is requested for `<endpoint>/.default`.
   */
  readonly resourceManagerEndpoint?: string;
  /** Extra CA (PEM) to trust for the endpoint: tests only. */
  readonly tlsCa?: string;
  /** Deadline of each HTTP attempt in ms (token acquisition included); default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Interval between polls of a long-running operation in ms (Retry-After from Azure wins); default 5 s. */
  readonly pollIntervalMs?: number;
  /** First retry delay in ms for 5xx and connection failures (doubles, max 3 retries); default 1000. */
  readonly retryDelayMs?: number;
  /** One secret-free line per HTTP request, e.g. `> aks GET /subscriptions [40ms] 200`. */
  readonly onRequest?: (line: string) => void;
}

/** The AKS provider: the port plus resumption of an operation persisted by its id. */
export interface AksProvider extends CloudProvider {
  /**
   * Follows again an operation started earlier (possibly by another session): `id` is a CloudOperation id from this
   * provider (the serialized poller state: operation URL, resource URL, method). Throws 'invalid' for a foreign id
   * or one of another subscription than the cluster's.
   */
  resumeOperation(cluster: CloudCluster, id: string, description: string): CloudOperation;
  /**
   * The API server URL and CA (base64 PEM) from the cluster's user credential kubeconfig, for writing a kubeconfig
   * entry ("Connect"): ARM's cluster listing carries no CA. Needs the "List cluster user credential" action.
   */
  getClusterConnection(cluster: AksCluster, signal?: AbortSignal): Promise<{ server: string; caData?: string }>;
}

type AksCluster = Pick<CloudCluster, 'account' | 'name' | 'resourceGroup'>;

/** The part of the SDK's PollerLike (@azure/core-lro 3) this file uses. */
interface AzurePoller {
  submitted(): Promise<void>;
  serialize(): Promise<string>;
  onProgress(callback: (state: { status: string }) => void): () => void;
  pollUntilDone(options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

const progressWords: Record<string, string> = { running: 'InProgress', succeeded: 'Succeeded', failed: 'Failed', canceled: 'Canceled' };

interface SubscriptionWire {
  readonly subscriptionId?: string;
  readonly displayName?: string;
  readonly tenantId?: string;
  readonly state?: string;
}

/** Creates the AKS provider. Cheap: clients are built per subscription on first use. */
export function createAksProvider(options: AksProviderOptions): AksProvider {
  const endpoint = (options.resourceManagerEndpoint ?? 'https://management.azure.com').replace(/\/+$/, '');
  let origin: string;
  try {
    origin = new URL(endpoint).origin;
  } catch {
    throw new ClusterDeckError(
      'badConfig',
      `The resource manager endpoint "${endpoint}" is not a URL; fix clusterdeck.azure.resourceManagerEndpoint.`,
    );
  }
  if (!endpoint.startsWith('https://')) {
    throw new ClusterDeckError(
      'badConfig',
      `The resource manager endpoint must use https:// (got ${origin}); fix clusterdeck.azure.resourceManagerEndpoint.`,
    );
  }
  const host = new URL(endpoint).host;
  const armScope = `${endpoint}/.default`;
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const pollIntervalMs = options.pollIntervalMs ?? 5_000;
  const retryOptions = aksRetryOptions(options.retryDelayMs ?? 1000);
  const requestPolicy = aksRequestPolicy({ origin, requestTimeoutMs, ...(options.onRequest ? { onRequest: options.onRequest } : {}) });
  const tlsOptions = options.tlsCa ? { tlsOptions: { ca: options.tlsCa } } : {};

  const clients = new Map<string, ContainerServiceClient>();
  const client = (subscription: string): ContainerServiceClient => {
    let c = clients.get(subscription);
    if (!c) {
      c = new ContainerServiceClient(options.credential, subscription, {
        endpoint,
        credentials: { scopes: [armScope] },
        retryOptions,
        redirectOptions: { maxRetries: 0 },
        additionalPolicies: [{ policy: requestPolicy, position: 'perRetry' }],
        ...tlsOptions,
      });
      clients.set(subscription, c);
    }
    return c;
  };

  let armPipeline: { pipeline: Pipeline; http: HttpClient } | undefined;
  const arm = (): { pipeline: Pipeline; http: HttpClient } => {
    if (!armPipeline) {
      const pipeline = createPipelineFromOptions({ retryOptions, redirectOptions: { maxRetries: 0 }, ...tlsOptions });
      pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: armScope }), { phase: 'Sign' });
      pipeline.addPolicy(requestPolicy, { afterPhase: 'Retry' });
      armPipeline = { pipeline, http: createDefaultHttpClient() };
    }
    return armPipeline;
  };

  /** Runs one SDK call with the mapping every method shares. */
  const call = async <T>(action: string, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> => {
    throwIfCancelled(signal);
    try {
      return await run();
    } catch (e) {
      throw mapAzureError(e, { action, host });
    }
  };

  const requireGroup = (cluster: AksCluster): string => {
    if (!cluster.resourceGroup) {
      throw new ClusterDeckError('invalid', `Cluster "${cluster.name}" has no resource group; refresh the Clouds view.`);
    }
    return cluster.resourceGroup;
  };

  const getCluster = (cluster: AksCluster, action: string, signal?: AbortSignal): Promise<ManagedCluster> =>
    call(action, signal, () => client(cluster.account).managedClusters.get(requireGroup(cluster), cluster.name, { abortSignal: signal }));

  /** GET of an ARM collection with absolute nextLink paging, for the calls the SDK does not cover. */
  async function listArm<T>(firstUrl: string, action: string, signal: AbortSignal | undefined): Promise<T[]> {
    const { pipeline, http } = arm();
    const out: T[] = [];
    let url: string | undefined = firstUrl;
    for (let page = 0; url; page++) {
      if (page >= 200)
        throw new ClusterDeckError('serverError', `Azure kept sending more pages while trying to ${action}; try again later.`);
      const pageUrl: string = url;
      const response = await call(action, signal, () =>
        pipeline.sendRequest(http, createPipelineRequest({ url: pageUrl, method: 'GET', ...(signal ? { abortSignal: signal } : {}) })),
      );
      let body: { value?: T[]; nextLink?: string; error?: { code?: string; message?: string } } = {};
      try {
        body = JSON.parse(response.bodyAsText ?? '{}') as typeof body;
      } catch {
        /* mapped below */
      }
      if (response.status < 200 || response.status > 299) {
        const code = body.error?.code ?? response.headers.get('x-ms-error-code');
        throw mapAzureError(
          Object.assign(
            new RestError(body.error?.message ?? `HTTP ${response.status}`, {
              statusCode: response.status,
              response,
              ...(code ? { code } : {}),
            }),
            {
              details: body,
            },
          ),
          { action, host },
        );
      }
      if (!Array.isArray(body.value))
        throw new ClusterDeckError('serverError', `Azure sent an unreadable answer while trying to ${action}; try again later.`);
      out.push(...body.value);
      url = body.nextLink || undefined;
    }
    return out;
  }

  /** Wraps a started poller as a CloudOperation; the first request has been answered when this resolves. */
  async function startOperation(poller: AzurePoller, action: string, description: string): Promise<CloudOperation> {
    // The SDK's poller is thenable (awaiting it waits for the whole operation): it never goes through `await` or
    // `return` itself. Its first request is already on its way: wait for that answer (errors such as 403 or 409
    // surface here), then keep the serialized state (operation URL, resource URL) as the persistable id.
    const submitted = poller.submitted();
    await call(action, undefined, () => submitted);
    return operation(await poller.serialize(), description, action, poller);
  }

  /**
   * A CloudOperation over a serialized poller state. A poller whose wait was aborted stays aborted (core-lro keeps
   * one AbortController per poller), so every later wait restores a fresh poller from the latest state; that is
   * also how an operation persisted by a previous session is followed again.
   */
  function operation(id: string, description: string, action: string, started?: AzurePoller): CloudOperation {
    let state = id;
    let current = started;
    let waiting: Promise<void> | undefined;
    const restore = (): AzurePoller => {
      const url = (JSON.parse(state) as { state?: { config?: { initialRequestUrl?: string } } }).state?.config?.initialRequestUrl ?? '';
      const sub = /\/subscriptions\/([^/?]+)/i.exec(new URL(url, endpoint).pathname)?.[1];
      if (!sub) throw new ClusterDeckError('invalid', 'The saved Azure operation cannot be read; refresh the Clouds view.');
      const c = client(decodeURIComponent(sub));
      try {
        // The source operation only names the call in restorePoller's errors; the URL picks the deserializer.
        return restorePoller(c, state, c.agentPools.createOrUpdate, { updateIntervalInMs: pollIntervalMs });
      } catch (e) {
        throw new ClusterDeckError('invalid', 'The saved Azure operation cannot be read; refresh the Clouds view.', {}, { cause: e });
      }
    };
    return {
      id,
      description,
      wait: (waitSignal, onProgress) =>
        (waiting ??= (async () => {
          throwIfCancelled(waitSignal);
          // Never through a Promise: the poller is thenable and would be waited for.
          const poller = (current ??= restore());
          let last = '';
          const stop = poller.onProgress((s) => {
            last = progressWords[s.status] ?? s.status;
            onProgress?.(last);
          });
          try {
            await call(action, waitSignal, () => poller.pollUntilDone(waitSignal ? { abortSignal: waitSignal } : {}));
            if (last !== 'Succeeded') onProgress?.('Succeeded');
          } catch (e) {
            if (e instanceof CancelledError) {
              state = await poller.serialize();
              current = undefined;
            }
            throw e;
          } finally {
            stop();
          }
        })().finally(() => {
          waiting = undefined;
        })),
    };
  }

  const lroOptions = (signal: AbortSignal | undefined): { updateIntervalInMs: number; abortSignal?: AbortSignal } => ({
    updateIntervalInMs: pollIntervalMs,
    ...(signal ? { abortSignal: signal } : {}),
  });

  const listAccounts = async (signal?: AbortSignal): Promise<CloudAccount[]> => {
    const subs = await listArm<SubscriptionWire>(
      `${endpoint}/subscriptions?api-version=${SUBSCRIPTIONS_API_VERSION}`,
      'list your Azure subscriptions',
      signal,
    );
    return subs
      .filter((s): s is SubscriptionWire & { subscriptionId: string } => typeof s.subscriptionId === 'string')
      .map((s): CloudAccount => ({
        cloud: 'aks',
        id: s.subscriptionId,
        label: `${s.displayName ?? s.subscriptionId}${s.state && s.state !== 'Enabled' ? ` (${s.state})` : ''}`,
        ...(s.tenantId ? { detail: s.tenantId } : {}),
      }));
  };

  const provisioning = createAksProvisioning({
    endpoint,
    host,
    pollIntervalMs,
    client,
    arm,
    call,
    listArm,
    listAccounts,
    operation: (state, description, action, started) => operation(state, description, action, started as AzurePoller | undefined),
    submit: async (poller, action) => {
      const p = poller as AzurePoller;
      // Never `await` the poller itself: it is thenable and would wait for the whole operation.
      const submitted = p.submitted();
      await call(action, undefined, () => submitted);
      return p.serialize();
    },
  });

  return {
    cloud: 'aks',
    provisioning,

    resumeOperation(cluster, id, description) {
      const refuse = (why: string) =>
        new ClusterDeckError(
          'invalid',
          `The saved operation "${description}" ${why}; refresh the Clouds view to see the state of cluster ${cluster.name}.`,
        );
      let url: URL;
      try {
        const config = (JSON.parse(id) as { state?: { config?: { initialRequestUrl?: unknown } } } | null)?.state?.config;
        if (typeof config?.initialRequestUrl !== 'string') throw new Error('no url');
        url = new URL(config.initialRequestUrl);
      } catch {
        throw refuse('is not an Azure operation id');
      }
      if (url.origin !== origin) throw refuse('is not an Azure operation of this endpoint');
      const sub = /^\/subscriptions\/([^/]+)\//i.exec(url.pathname)?.[1];
      if (!sub || decodeURIComponent(sub).toLowerCase() !== cluster.account.toLowerCase())
        throw refuse(`is not an operation of subscription ${cluster.account}`);
      return operation(id, description, description.charAt(0).toLowerCase() + description.slice(1));
    },

    listAccounts,

    /**
     * One list call covers the subscription; the clusters are grouped into one ScopeResult per resource group
     * (ARM compares resource group names without case: grouped by the lower-cased name, shown as first spelled).
     * `scopes` restricts the resource groups (a named group without clusters gives an empty result). A failure of
     * the call throws: there is no per-group call that could fail alone.
     */
    async listClusters(account, scopes, signal) {
      const action = `list the AKS clusters of subscription ${account}`;
      const clusters = await call(action, signal, async () => {
        const all: ManagedCluster[] = [];
        for await (const mc of client(account).managedClusters.list({ abortSignal: signal })) all.push(mc);
        return all;
      });
      const wanted = scopes ? new Set(scopes.map((s) => s.toLowerCase())) : undefined;
      const groups = new Map<string, { scope: string; items: CloudCluster[] }>();
      for (const s of scopes ?? []) if (!groups.has(s.toLowerCase())) groups.set(s.toLowerCase(), { scope: s, items: [] });
      for (const mc of clusters) {
        const rg = parseArmId(mc.id).resourceGroup ?? '';
        const key = rg.toLowerCase();
        if (wanted && !wanted.has(key)) continue;
        let group = groups.get(key);
        if (!group) groups.set(key, (group = { scope: rg, items: [] }));
        group.items.push(toCloudCluster(account, mc));
      }
      return [...groups.values()]
        .sort((a, b) => a.scope.localeCompare(b.scope, undefined, { sensitivity: 'base' }))
        .map((g): ScopeResult<CloudCluster> => ({ scope: g.scope, items: g.items.sort((a, b) => a.name.localeCompare(b.name)) }));
    },

    async getClusterConnection(cluster, signal) {
      const doc = (await readUserKubeconfigs(cluster, signal))[0];
      const entry = doc?.clusters?.find((c) => typeof c.cluster?.server === 'string')?.cluster;
      if (typeof entry?.server !== 'string') {
        throw new ClusterDeckError('serverError', `Azure sent no API server address for cluster ${cluster.name}; try again later.`);
      }
      const ca = entry['certificate-authority-data'];
      return { server: entry.server, ...(typeof ca === 'string' && ca ? { caData: ca } : {}) };
    },

    async listNodePools(cluster, signal) {
      const pools = await call(`list the agent pools of cluster ${cluster.name}`, signal, async () => {
        const all: AgentPool[] = [];
        for await (const p of client(cluster.account).agentPools.list(requireGroup(cluster), cluster.name, { abortSignal: signal }))
          all.push(p);
        return all;
      });
      return pools.map(toCloudNodePool);
    },

    async listAddons(cluster, signal) {
      return toCloudAddons(await getCluster(cluster, `read cluster ${cluster.name}`, signal));
    },

    async describeCluster(cluster, signal) {
      return aksClusterDetails(await getCluster(cluster, `read cluster ${cluster.name}`, signal));
    },

    async listUpgradeVersions(cluster, signal) {
      const profile = await call(`read the upgrade versions of cluster ${cluster.name}`, signal, () =>
        client(cluster.account).managedClusters.getUpgradeProfile(requireGroup(cluster), cluster.name, { abortSignal: signal }),
      );
      const versions = (profile.controlPlaneProfile?.upgrades ?? []).map((u) => u.kubernetesVersion).filter((v): v is string => !!v);
      return [...new Set(versions)].sort(compareVersionsDescending);
    },

    /**
     * A bearer token for the cluster's API server:
     * - with Entra ID integration (`aadProfile`): an Entra ID token from the injected credential for the AKS server
     *   application scope ({@link AKS_SERVER_SCOPE}; legacy integrations: their own `serverAppID`); the cluster
     *   then authorizes by Kubernetes or Azure RBAC;
     * - without it (local accounts): the token of the user in `listClusterUserCredential`'s kubeconfig. That is the
     *   cluster's own static credential (it does not expire until the cluster's certificates are rotated) and the
     *   caller needs the "List cluster user credential" action on the cluster; it is reused for one hour.
     * A cluster with local accounts disabled and no Entra ID integration cannot be created; it is refused.
     */
    async getClusterToken(cluster, signal) {
      const mc = await getCluster(cluster, `read cluster ${cluster.name}`, signal);
      if (mc.aadProfile) {
        // Legacy (pre-managed) Entra ID integration used the customer's own server application.
        const scope =
          mc.aadProfile.managed === false && mc.aadProfile.serverAppID ? `${mc.aadProfile.serverAppID}/.default` : AKS_SERVER_SCOPE;
        const started = Date.now();
        throwIfCancelled(signal);
        try {
          const token = await getAksEntraToken(options.credential, cluster.name, signal, scope);
          options.onRequest?.(`> aks getToken ${scope} [${Date.now() - started}ms] ok`);
          return token;
        } catch (e) {
          options.onRequest?.(
            `> aks getToken ${scope} [${Date.now() - started}ms] ${e instanceof ClusterDeckError ? e.reason : 'cancelled'}`,
          );
          throw e;
        }
      }
      if (mc.disableLocalAccounts) {
        throw new ClusterDeckError(
          'badConfig',
          `Cluster ${cluster.name} has neither Entra ID integration nor local accounts; enable Entra ID integration on it in Azure.`,
        );
      }
      return localAccountToken(cluster, signal);
    },

    async scaleNodePool(cluster, poolName, scale, signal) {
      const action = `scale agent pool ${poolName} of cluster ${cluster.name}`;
      const rg = requireGroup(cluster);
      const pool = await call(action, signal, () =>
        client(cluster.account).agentPools.get(rg, cluster.name, poolName, { abortSignal: signal }),
      );
      const next = applyScale(pool, scale, poolName);
      const poller = client(cluster.account).agentPools.createOrUpdate(rg, cluster.name, poolName, next, {
        ...lroOptions(signal),
        ...(pool.eTag ? { ifMatch: pool.eTag } : {}),
      });
      return startOperation(poller, action, `Scale ${cluster.name}/${poolName}${describeScale(next)}`);
    },

    /**
     * Control plane only, as `az aks upgrade --control-plane-only`: GET the cluster, set `kubernetesVersion`, PUT it
     * back (If-Match on its eTag, so a concurrent change fails as a conflict). The agent pools keep their
     * `orchestratorVersion` and are upgraded afterwards, one by one.
     */
    async upgradeCluster(cluster, version, signal) {
      const action = `upgrade cluster ${cluster.name} to ${version}`;
      const rg = requireGroup(cluster);
      const mc = await getCluster(cluster, action, signal);
      const poller = client(cluster.account).managedClusters.createOrUpdate(
        rg,
        cluster.name,
        { ...mc, kubernetesVersion: version },
        {
          ...lroOptions(signal),
          ...(mc.eTag ? { ifMatch: mc.eTag } : {}),
        },
      );
      return startOperation(poller, action, `Upgrade ${cluster.name} to Kubernetes ${version}`);
    },

    /**
     * Agent pool only (after the control plane): GET the pool, set `orchestratorVersion`, PUT it back with If-Match
     * on its eTag (a concurrent change fails as a conflict, nothing else of the pool changes), as scale does.
     */
    async upgradeNodePool(cluster, poolName, version, signal) {
      const target = version.trim();
      if (!/^\d+\.\d+(\.\d+)?$/.test(target))
        throw new ClusterDeckError('invalid', `"${version}" is not a Kubernetes version; choose one such as 1.33.2.`);
      const action = `upgrade agent pool ${poolName} of cluster ${cluster.name} to ${target}`;
      const rg = requireGroup(cluster);
      const pool = await call(action, signal, () =>
        client(cluster.account).agentPools.get(rg, cluster.name, poolName, { abortSignal: signal }),
      );
      const poller = client(cluster.account).agentPools.createOrUpdate(
        rg,
        cluster.name,
        poolName,
        { ...pool, orchestratorVersion: target },
        {
          ...lroOptions(signal),
          ...(pool.eTag ? { ifMatch: pool.eTag } : {}),
        },
      );
      return startOperation(poller, action, `Upgrade ${cluster.name}/${poolName} to Kubernetes ${target}`);
    },

    async deleteNodePool(cluster, poolName, signal) {
      const action = `delete agent pool ${poolName} of cluster ${cluster.name}`;
      throwIfCancelled(signal);
      const poller = client(cluster.account).agentPools.delete(requireGroup(cluster), cluster.name, poolName, lroOptions(signal));
      return startOperation(poller, action, `Delete agent pool ${cluster.name}/${poolName}`);
    },

    async deleteCluster(cluster, signal) {
      const action = `delete cluster ${cluster.name}`;
      throwIfCancelled(signal);
      const poller = client(cluster.account).managedClusters.delete(requireGroup(cluster), cluster.name, lroOptions(signal));
      return startOperation(poller, action, `Delete cluster ${cluster.name}`);
    },
  };

  /** listClusterUserCredential's kubeconfigs, parsed (unparseable ones skipped). They hold credentials: never logged. */
  async function readUserKubeconfigs(cluster: AksCluster, signal: AbortSignal | undefined): Promise<UserKubeconfig[]> {
    const action = `read the user credentials of cluster ${cluster.name}`;
    const creds = await call(action, signal, () =>
      client(cluster.account).managedClusters.listClusterUserCredentials(requireGroup(cluster), cluster.name, { abortSignal: signal }),
    );
    const docs: UserKubeconfig[] = [];
    for (const kc of creds.kubeconfigs ?? []) {
      if (!kc.value) continue;
      try {
        const doc: unknown = parseYaml(Buffer.from(kc.value).toString('utf8'), { maxAliasCount: 10 });
        if (doc && typeof doc === 'object') docs.push(doc);
      } catch {
        /* skipped */
      }
    }
    return docs;
  }

  async function localAccountToken(cluster: AksCluster, signal: AbortSignal | undefined): Promise<ClusterToken> {
    for (const doc of await readUserKubeconfigs(cluster, signal)) {
      const token = doc.users?.find((u) => typeof u.user?.token === 'string')?.user?.token;
      if (typeof token === 'string' && token) return { token, expiresAt: new Date(Date.now() + LOCAL_TOKEN_LIFETIME_MS) };
    }
    throw new ClusterDeckError(
      'badConfig',
      `The user credentials of cluster ${cluster.name} hold no token (client certificates only); use Connect to write a kubeconfig entry instead.`,
    );
  }
}

interface UserKubeconfig {
  readonly clusters?: readonly { readonly cluster?: { readonly server?: unknown; readonly 'certificate-authority-data'?: unknown } }[];
  readonly users?: readonly { readonly user?: { readonly token?: unknown } }[];
}

/** Read-modify-write of the pool: min/max switch the autoscaler on; a desired count needs it off or within bounds. */
function applyScale(pool: AgentPool, scale: NodePoolScale, poolName: string): AgentPool {
  for (const [k, v] of Object.entries(scale)) {
    if (v !== undefined && (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 1000)) {
      throw new ClusterDeckError('invalid', `The ${k} node count must be a whole number from 0 to 1000 (got ${String(v)}).`);
    }
  }
  const autoscale = pool.enableAutoScaling === true || scale.min !== undefined || scale.max !== undefined;
  if (!autoscale) return { ...pool, count: scale.desired ?? pool.count };
  const min = scale.min ?? pool.minCount ?? pool.count ?? 0;
  const max = scale.max ?? pool.maxCount ?? pool.count ?? min;
  if (min > max) throw new ClusterDeckError('invalid', `The minimum (${min}) of agent pool ${poolName} is above its maximum (${max}).`);
  const desired = scale.desired ?? pool.count;
  if (desired !== undefined && (desired < min || desired > max)) {
    throw new ClusterDeckError(
      'invalid',
      `Agent pool ${poolName} autoscales between ${min} and ${max}; choose a node count in that range or change the bounds.`,
    );
  }
  return { ...pool, enableAutoScaling: true, minCount: min, maxCount: max, ...(desired !== undefined ? { count: desired } : {}) };
}

function describeScale(pool: AgentPool): string {
  if (pool.enableAutoScaling) return ` to ${pool.minCount ?? '?'}–${pool.maxCount ?? '?'} nodes`;
  return pool.count !== undefined ? ` to ${pool.count} nodes` : '';
}

/** "1.33.2" > "1.33.10"? No: numeric per part, newest first. */
function compareVersionsDescending(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number(x));
  const pb = b.split(/[.-]/).map((x) => Number(x));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pb[i] ?? 0) - (pa[i] ?? 0);
    if (Number.isFinite(d) && d !== 0) return d;
  }
  return b.localeCompare(a);
}
