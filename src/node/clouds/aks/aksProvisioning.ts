// AKS provisioning, the I/O half (issue #6, provisioning.md §3.5): create a resource group, a managed cluster or an
// agent pool exactly once, follow it with the SDK's own LRO poller (Azure-AsyncOperation), resume after a restart,
// list what exists after a failure, and the wizards' choices. Part of the lazy chunk dist/aksProvider.js.
//
// Exactly once: the cluster and pool PUTs carry `If-None-Match: *`, so ARM creates or refuses (412), never updates.
// A resend (the pipeline's retry after a lost answer, or the user running the same create again) can therefore
// only be refused; the 412 leads to a GET, and the resource's `clusterdeck-op` / `clusterdeck-token` tags say
// whether it is ours (adopt or "exists") or someone else's (conflict).
import type { AgentPool, ContainerServiceClient, ManagedCluster } from '@azure/arm-containerservice';
import { createHttpHeaders, createPipelineRequest, RestError, type HttpClient, type Pipeline } from '@azure/core-rest-pipeline';
import type { CloudAccount, CloudOperation } from '../../../core/clouds/cloudProvider';
import { CancelledError, ClusterDeckError, throwIfCancelled } from '../../../core/errors';
import {
  OWNERSHIP_KEY,
  type ChoiceItem,
  type CreateOutcome,
  type ProvisionStep,
  type ProvisioningProvider,
} from '../../../core/provisioning/provisioning';
import { mapAzureError } from './aksErrors';
import { parseArmId } from './aksModel';

/** The tag carrying the step's idempotency token: the same create run again (a new journal entry) is recognised. */
export const TOKEN_TAG = 'clusterdeck-token';

const RESOURCES_API_VERSION = '2021-04-01';
const LOCATIONS_API_VERSION = '2022-12-01';
const SKUS_API_VERSION = '2021-07-01';
const SKU_CACHE_MS = 10 * 60 * 1000;

/** What the provider shares with its provisioning half (built inside createAksProvider). */
export interface AksProvisioningContext {
  readonly endpoint: string;
  readonly host: string;
  readonly pollIntervalMs: number;
  client(subscription: string): ContainerServiceClient;
  arm(): { pipeline: Pipeline; http: HttpClient };
  call<T>(action: string, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T>;
  listArm<T>(url: string, action: string, signal: AbortSignal | undefined): Promise<T[]>;
  listAccounts(signal?: AbortSignal): Promise<readonly CloudAccount[]>;
  /** A CloudOperation over a poller (started now, or restored from its serialized state). */
  operation(state: string, description: string, action: string, started?: unknown): CloudOperation;
  /** The SDK poller of a started LRO: its first answer, then its serialized state. */
  submit(poller: unknown, action: string): Promise<string>;
}

/** The self-contained operation id of a create: the resource, and the serialized SDK poller when there is one. */
interface CreateOperationId {
  readonly aksCreate: 1;
  readonly kind: ProvisionStep['kind'];
  /** ARM resource path: /subscriptions/S/resourceGroups/RG[/providers/…/managedClusters/C[/agentPools/P]]. */
  readonly resource: string;
  /** `PollerLike.serialize()` (holds the Azure-AsyncOperation URL); absent when adopting a running create. */
  readonly poller?: string;
}

function resourcePath(step: ProvisionStep): string {
  const t = step.target;
  const group = `/subscriptions/${t.account}/resourceGroups/${t.resourceGroup ?? ''}`;
  if (step.kind === 'resourceGroup') return group;
  const cluster = `${group}/providers/Microsoft.ContainerService/managedClusters/${t.cluster}`;
  return step.kind === 'cluster' ? cluster : `${cluster}/agentPools/${step.name}`;
}

function describe(step: ProvisionStep): string {
  switch (step.kind) {
    case 'resourceGroup':
      return `resource group ${step.name}`;
    case 'cluster':
      return `AKS cluster ${step.name}`;
    case 'nodePool':
      return `agent pool ${step.name} of cluster ${step.target.cluster}`;
    case 'iamRole':
      return `IAM role ${step.name} (not an AKS resource)`;
  }
}

const terminal = new Set(['succeeded', 'failed', 'canceled']);

/** Quota failures (P7): named with the location, never retried. */
function quotaAware(e: unknown, step: ProvisionStep): unknown {
  if (!(e instanceof ClusterDeckError)) return e;
  const cause = (e as { cause?: unknown }).cause;
  const code = (cause as { code?: unknown } | undefined)?.code;
  const text = `${e.message} ${cause instanceof Error ? cause.message : ''} ${typeof code === 'string' ? code : ''}`;
  if (!/quota/i.test(text)) return e;
  const said = serviceMessage(cause) ?? e.message;
  const where = step.target.location ? ` in ${step.target.location}` : '';
  return new ClusterDeckError(
    'serverError',
    `Azure quota exceeded${where} while creating ${describe(step)} (QuotaExceeded): ${said.replace(/\.$/, '')}. Request a quota increase${where} (or choose a smaller VM size or fewer nodes), then create again.`,
    e.detail,
    { cause: e },
  );
}

/** The service's own sentence from a RestError (its body) or a failed LRO ("…has failed. Code. Message"). */
function serviceMessage(cause: unknown): string | undefined {
  if (!(cause instanceof Error)) return undefined;
  const d = (cause as { details?: unknown }).details as { error?: { message?: unknown }; message?: unknown } | undefined;
  if (typeof d?.error?.message === 'string') return d.error.message;
  if (typeof d?.message === 'string') return d.message;
  const lro = /^The long-running operation has failed\.?\s*(?:[A-Za-z]+\.\s+)?(.*)$/s.exec(cause.message);
  return (lro ? lro[1] : cause.message)?.split('\n')[0]?.trim() || undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface ArmSku {
  readonly resourceType?: string;
  readonly name?: string;
  readonly locationInfo?: readonly { readonly location?: string; readonly zones?: readonly string[] }[];
  readonly capabilities?: readonly { readonly name?: string; readonly value?: string }[];
  readonly restrictions?: readonly {
    readonly type?: string;
    readonly reasonCode?: string;
    readonly restrictionInfo?: { readonly locations?: readonly string[]; readonly zones?: readonly string[] };
  }[];
}

interface VmSize {
  readonly name: string;
  readonly vcpus: number;
  readonly memoryGb: number;
  readonly zones: readonly string[];
}

/** The VM sizes a subscription may use in a location: `restrictions` (NotAvailableForSubscription, zones) removed. */
export function usableVmSizes(skus: readonly ArmSku[], location: string): VmSize[] {
  const loc = location.toLowerCase();
  const out: VmSize[] = [];
  for (const s of skus) {
    if (s.resourceType !== 'virtualMachines' || !s.name) continue;
    const info = s.locationInfo?.find((l) => l.location?.toLowerCase() === loc);
    if (!info) continue;
    const restrictions = s.restrictions ?? [];
    if (restrictions.some((r) => r.type === 'Location' && (r.restrictionInfo?.locations ?? [loc]).some((l) => l.toLowerCase() === loc)))
      continue;
    const blockedZones = new Set(restrictions.filter((r) => r.type === 'Zone').flatMap((r) => r.restrictionInfo?.zones ?? []));
    const cap = (n: string): number => Number(s.capabilities?.find((c) => c.name === n)?.value ?? NaN);
    out.push({
      name: s.name,
      vcpus: cap('vCPUs'),
      memoryGb: cap('MemoryGB'),
      zones: (info.zones ?? []).filter((z) => !blockedZones.has(z)).sort(),
    });
  }
  return out.sort((a, b) => a.vcpus - b.vcpus || a.name.localeCompare(b.name));
}

/** The default VM size we propose (provisioning.md §3.2: a D-series 4 vCPU size). */
const PREFERRED_SIZES = ['Standard_D4ds_v5', 'Standard_D4s_v5', 'Standard_D4as_v5', 'Standard_D4s_v3'];

export function createAksProvisioning(ctx: AksProvisioningContext): ProvisioningProvider {
  const skuCache = new Map<string, { at: number; sizes: Promise<VmSize[]> }>();

  /** One ARM request on the provider's pipeline; a non-2xx answer other than `allow` throws mapped. */
  async function armRequest(
    method: 'GET' | 'PUT',
    path: string,
    apiVersion: string,
    action: string,
    signal: AbortSignal | undefined,
    body?: unknown,
    allow: readonly number[] = [],
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const { pipeline, http } = ctx.arm();
    const url = `${ctx.endpoint}${path}?api-version=${apiVersion}`;
    const response = await ctx.call(action, signal, () =>
      pipeline.sendRequest(
        http,
        createPipelineRequest({
          url,
          method,
          ...(body !== undefined ? { body: JSON.stringify(body), headers: createHttpHeaders({ 'content-type': 'application/json' }) } : {}),
          ...(signal ? { abortSignal: signal } : {}),
        }),
      ),
    );
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(response.bodyAsText || '{}') as Record<string, unknown>;
    } catch {
      /* mapped below */
    }
    if ((response.status < 200 || response.status > 299) && !allow.includes(response.status)) {
      const err = (parsed.error ?? {}) as { code?: string; message?: string };
      const code = err.code ?? response.headers.get('x-ms-error-code');
      throw mapAzureError(
        Object.assign(
          new RestError(err.message ?? `HTTP ${response.status}`, { statusCode: response.status, response, ...(code ? { code } : {}) }),
          {
            details: parsed,
          },
        ),
        { action, host: ctx.host },
      );
    }
    return { status: response.status, body: parsed };
  }

  const tagsOf = (tags: Readonly<Record<string, string>> | undefined, ids: { opId: string; token: string }): Record<string, string> => ({
    ...(tags ?? {}),
    [OWNERSHIP_KEY]: ids.opId,
    [TOKEN_TAG]: ids.token,
  });

  const encodeId = (id: CreateOperationId): string => JSON.stringify(id);

  /** Reads the state of the created resource (undefined when it does not exist). */
  async function readState(
    step: ProvisionStep,
    signal: AbortSignal | undefined,
  ): Promise<{ state: string; tags: Record<string, string>; error?: string } | undefined> {
    const t = step.target;
    const rg = t.resourceGroup ?? '';
    try {
      if (step.kind === 'resourceGroup') {
        const r = await armRequest(
          'GET',
          resourcePath(step),
          RESOURCES_API_VERSION,
          `read resource group ${step.name}`,
          signal,
          undefined,
          [404],
        );
        if (r.status === 404) return undefined;
        const props = (r.body.properties ?? {}) as { provisioningState?: string };
        return { state: props.provisioningState ?? 'Succeeded', tags: (r.body.tags ?? {}) as Record<string, string> };
      }
      if (step.kind === 'cluster') {
        const mc: ManagedCluster = await ctx.call(`read cluster ${step.name}`, signal, () =>
          ctx.client(t.account).managedClusters.get(rg, step.name, { abortSignal: signal }),
        );
        const error = mc.status?.provisioningError;
        return {
          state: mc.provisioningState ?? 'Unknown',
          tags: mc.tags ?? {},
          ...(error?.message ? { error: `${error.code ? `${error.code}: ` : ''}${error.message}` } : {}),
        };
      }
      const pool: AgentPool = await ctx.call(`read agent pool ${step.name}`, signal, () =>
        ctx.client(t.account).agentPools.get(rg, t.cluster, step.name, { abortSignal: signal }),
      );
      return { state: pool.provisioningState ?? 'Unknown', tags: pool.tags ?? {} };
    } catch (e) {
      if (e instanceof ClusterDeckError && e.reason === 'notFound') return undefined;
      throw e;
    }
  }

  /** GET until `provisioningState` is terminal: the fallback that always works (no operation URL needed). */
  function pollResource(step: ProvisionStep, id: string): CloudOperation {
    return {
      id,
      description: `Create ${describe(step)}`,
      async wait(signal, onProgress) {
        let last = '';
        for (;;) {
          throwIfCancelled(signal);
          const s = await readState(step, signal);
          if (!s) {
            throw new ClusterDeckError(
              'notFound',
              `${describe(step)} no longer exists in Azure; it was deleted while being created. Create it again if you still want it.`,
            );
          }
          if (s.state !== last) onProgress?.((last = s.state));
          const lower = s.state.toLowerCase();
          if (lower === 'succeeded') return;
          if (terminal.has(lower)) {
            throw quotaAware(
              new ClusterDeckError(
                'serverError',
                `Azure could not create ${describe(step)} (${s.state})${s.error ? `: ${s.error.replace(/\.$/, '')}` : ''}; see the activity log.`,
              ),
              step,
            );
          }
          await sleep(ctx.pollIntervalMs, signal);
        }
      },
    };
  }

  /** Follows a create: the SDK poller (Azure-AsyncOperation) when there is one, the resource GET otherwise. */
  function follow(step: ProvisionStep, id: CreateOperationId, started?: unknown): CloudOperation {
    const text = encodeId(id);
    const fallback = pollResource(step, text);
    if (!id.poller) return fallback;
    const viaPoller = ctx.operation(id.poller, `Create ${describe(step)}`, `create ${describe(step)}`, started);
    return {
      id: text,
      description: `Create ${describe(step)}`,
      async wait(signal, onProgress) {
        try {
          await viaPoller.wait(signal, onProgress);
        } catch (e) {
          // The operation URL is gone (ARM keeps operations for a limited time) or the saved state cannot be
          // restored: the resource itself still says how the create ended.
          if (e instanceof ClusterDeckError && (e.reason === 'notFound' || e.reason === 'invalid'))
            return fallback.wait(signal, onProgress);
          throw quotaAware(e, step);
        }
      },
    };
  }

  /** After a 412 (or an existing group): ours → follow or "exists"; someone else's → conflict. */
  async function adopt(step: ProvisionStep, ids: { opId: string; token: string }, signal: AbortSignal | undefined): Promise<CreateOutcome> {
    const s = await readState(step, signal);
    const what = describe(step);
    const where = step.kind === 'nodePool' ? '' : ` in resource group ${step.target.resourceGroup ?? ''}`;
    if (!s) {
      throw new ClusterDeckError('conflict', `Azure refused to create ${what} as existing, but cannot find it now; try again in a minute.`);
    }
    const ours = s.tags[OWNERSHIP_KEY] === ids.opId || s.tags[TOKEN_TAG] === ids.token;
    if (!ours) {
      throw new ClusterDeckError(
        'conflict',
        `${what.charAt(0).toUpperCase()}${what.slice(1)} already exists${where} and was not created from this file; rename it in the file (or delete the existing one first).`,
        { status: 412 },
      );
    }
    const lower = s.state.toLowerCase();
    if (lower === 'succeeded')
      return { state: 'exists', message: `${capital(what)} already exists${where} (created from this file earlier).` };
    if (lower === 'failed' || lower === 'canceled') {
      throw new ClusterDeckError(
        'serverError',
        `${capital(what)} exists from an earlier create from this file but is ${s.state}${s.error ? ` (${s.error})` : ''}; delete it in Azure, then create again.`,
      );
    }
    return {
      state: 'inProgress',
      message: `${capital(what)} is already being created (${s.state}); following it.`,
      operation: pollResource(step, encodeId({ aksCreate: 1, kind: step.kind, resource: resourcePath(step) })),
    };
  }

  async function createResourceGroup(
    step: ProvisionStep,
    ids: { opId: string; token: string },
    signal?: AbortSignal,
  ): Promise<CreateOutcome> {
    const existing = await readState(step, signal);
    if (existing) {
      return { state: 'exists', message: `Resource group ${step.name} already exists; the cluster goes into it.` };
    }
    const body = step.body as { location: string; tags?: Record<string, string> };
    await armRequest('PUT', resourcePath(step), RESOURCES_API_VERSION, `create resource group ${step.name}`, signal, {
      location: body.location,
      tags: tagsOf(body.tags, ids),
    });
    return {
      state: 'started',
      message: `Creating resource group ${step.name} in ${body.location}.`,
      operation: pollResource(step, encodeId({ aksCreate: 1, kind: 'resourceGroup', resource: resourcePath(step) })),
    };
  }

  async function createArm(step: ProvisionStep, ids: { opId: string; token: string }, signal?: AbortSignal): Promise<CreateOutcome> {
    const t = step.target;
    const rg = t.resourceGroup;
    if (!rg) throw new ClusterDeckError('badConfig', `No resource group for ${describe(step)}; add the ARM id to the file.`);
    const action = `create ${describe(step)}`;
    const options = { ifNoneMatch: '*', updateIntervalInMs: ctx.pollIntervalMs, ...(signal ? { abortSignal: signal } : {}) };
    const c = ctx.client(t.account);
    let poller: unknown;
    if (step.kind === 'cluster') {
      const body = step.body as ManagedCluster;
      poller = c.managedClusters.createOrUpdate(rg, step.name, { ...body, tags: tagsOf(body.tags, ids) }, options);
    } else {
      const body = step.body as AgentPool;
      poller = c.agentPools.createOrUpdate(rg, t.cluster, step.name, { ...body, tags: tagsOf(body.tags, ids) }, options);
    }
    let state: string;
    try {
      state = await ctx.submit(poller, action);
    } catch (e) {
      if (e instanceof ClusterDeckError && e.detail.status === 412) return adopt(step, ids, signal);
      throw quotaAware(e, step);
    }
    return {
      state: 'started',
      message: `Creating ${describe(step)}${step.kind === 'cluster' ? ` in ${t.location} (about 5–10 minutes)` : ''}.`,
      operation: follow(step, { aksCreate: 1, kind: step.kind, resource: resourcePath(step), poller: state }, poller),
    };
  }

  async function vmSizes(subscription: string, location: string, signal?: AbortSignal): Promise<VmSize[]> {
    const key = `${subscription}|${location.toLowerCase()}`;
    const hit = skuCache.get(key);
    if (hit && Date.now() - hit.at < SKU_CACHE_MS) return hit.sizes;
    const filter = encodeURIComponent(`location eq '${location}'`);
    const sizes = ctx
      .listArm<ArmSku>(
        `${ctx.endpoint}/subscriptions/${encodeURIComponent(subscription)}/providers/Microsoft.Compute/skus?api-version=${SKUS_API_VERSION}&$filter=${filter}`,
        `list the VM sizes of ${location}`,
        signal,
      )
      .then((skus) => usableVmSizes(skus, location));
    skuCache.set(key, { at: Date.now(), sizes });
    sizes.catch(() => skuCache.delete(key));
    return sizes;
  }

  const need = (params: Readonly<Record<string, string>>, ...names: string[]): string[] =>
    names.map((n) => {
      const v = params[n];
      if (!v) throw new ClusterDeckError('invalid', `The ${n} is needed to list these choices; go back and choose it.`);
      return v;
    });

  return {
    cloud: 'aks',

    async create(step, ids, signal) {
      throwIfCancelled(signal);
      return step.kind === 'resourceGroup' ? createResourceGroup(step, ids, signal) : createArm(step, ids, signal);
    },

    resumeCreate(step, operationId) {
      let id: CreateOperationId;
      try {
        id = JSON.parse(operationId) as CreateOperationId;
      } catch {
        throw new ClusterDeckError(
          'invalid',
          `The saved operation for ${describe(step)} cannot be read; refresh the Clouds view to see its state.`,
        );
      }
      if (
        id?.aksCreate !== 1 ||
        typeof id.resource !== 'string' ||
        id.kind !== step.kind ||
        id.resource.toLowerCase() !== resourcePath(step).toLowerCase()
      ) {
        throw new ClusterDeckError(
          'invalid',
          `The saved operation is not the create of ${describe(step)}; refresh the Clouds view to see its state.`,
        );
      }
      return follow(step, id);
    },

    async partialResources(step, signal) {
      const out: string[] = [];
      const t = step.target;
      if (step.kind === 'resourceGroup') {
        const s = await readState(step, signal);
        return s ? [`resource group ${step.name}`] : [];
      }
      if (step.kind === 'nodePool') {
        const s = await readState(step, signal);
        return s ? [`agent pool ${step.name} of cluster ${t.cluster} (${s.state})`] : [];
      }
      let mc: ManagedCluster;
      try {
        mc = await ctx.call(`read cluster ${step.name}`, signal, () =>
          ctx.client(t.account).managedClusters.get(t.resourceGroup ?? '', step.name, { abortSignal: signal }),
        );
      } catch (e) {
        if (e instanceof ClusterDeckError && e.reason === 'notFound') return [];
        throw e;
      }
      out.push(`cluster ${step.name} in resource group ${t.resourceGroup ?? ''} (${mc.provisioningState ?? 'Unknown'})`);
      for (const p of mc.agentPoolProfiles ?? [])
        out.push(`agent pool ${p.name} of cluster ${step.name} (${p.provisioningState ?? 'Unknown'})`);
      if (mc.nodeResourceGroup) out.push(`node resource group ${mc.nodeResourceGroup} (managed by AKS; deleted with the cluster)`);
      return out;
    },

    async choices(query, params, signal) {
      switch (query) {
        case 'subscriptions': {
          const accounts = await ctx.listAccounts(signal);
          return accounts.map((a): ChoiceItem => ({
            value: a.id,
            label: a.label,
            ...(a.detail ? { description: a.detail } : {}),
            ...(accounts.length === 1 ? { isDefault: true } : {}),
          }));
        }
        case 'resourceGroups': {
          const [sub] = need(params, 'subscription');
          const groups = await ctx.listArm<{ name?: string; location?: string }>(
            `${ctx.endpoint}/subscriptions/${encodeURIComponent(sub!)}/resourcegroups?api-version=${RESOURCES_API_VERSION}`,
            `list the resource groups of subscription ${sub!}`,
            signal,
          );
          return groups
            .filter((g): g is { name: string; location?: string } => typeof g.name === 'string')
            .sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }))
            .map((g) => ({ value: g.name, ...(g.location ? { description: g.location } : {}) }));
        }
        case 'locations': {
          const [sub] = need(params, 'subscription');
          const base = `${ctx.endpoint}/subscriptions/${encodeURIComponent(sub!)}`;
          const [all, rp] = await Promise.all([
            ctx.listArm<{ name?: string; displayName?: string; metadata?: { regionType?: string } }>(
              `${base}/locations?api-version=${LOCATIONS_API_VERSION}`,
              `list the locations of subscription ${sub!}`,
              signal,
            ),
            armRequest(
              'GET',
              `/subscriptions/${encodeURIComponent(sub!)}/providers/Microsoft.ContainerService`,
              RESOURCES_API_VERSION,
              'read the AKS resource provider',
              signal,
            ),
          ]);
          if (rp.body.registrationState !== 'Registered') {
            throw new ClusterDeckError(
              'badConfig',
              `The Microsoft.ContainerService resource provider is ${typeof rp.body.registrationState === 'string' ? rp.body.registrationState : 'not registered'} in subscription ${sub!}; register it (az provider register --namespace Microsoft.ContainerService), then try again.`,
            );
          }
          const norm = (x: string): string => x.toLowerCase().replace(/\s+/g, '');
          const types = (rp.body.resourceTypes ?? []) as { resourceType?: string; locations?: string[] }[];
          const aks = new Set((types.find((x) => x.resourceType?.toLowerCase() === 'managedclusters')?.locations ?? []).map(norm));
          return all
            .filter((l): l is { name: string; displayName?: string } => typeof l.name === 'string')
            .filter((l) => aks.has(norm(l.displayName ?? l.name)) || aks.has(norm(l.name)))
            .sort((a, b) => (a.displayName ?? a.name).localeCompare(b.displayName ?? b.name))
            .map((l) => ({
              value: l.name,
              label: l.displayName ?? l.name,
              description: l.name,
              ...(params.preferred && params.preferred.toLowerCase() === l.name.toLowerCase() ? { isDefault: true } : {}),
            }));
        }
        case 'versions': {
          const [sub, location] = need(params, 'subscription', 'location');
          const list = await ctx.call(`list the Kubernetes versions of ${location!}`, signal, () =>
            ctx.client(sub!).managedClusters.listKubernetesVersions(location!, { abortSignal: signal }),
          );
          const items: (ChoiceItem & { order: number[] })[] = [];
          for (const v of list.values ?? []) {
            if (v.isPreview && params.includePreview !== 'true') continue;
            const patches = Object.keys(v.patchVersions ?? {}).sort(compareVersions);
            const newest = patches[patches.length - 1] ?? v.version;
            if (!newest) continue;
            const plans = v.capabilities?.supportPlan ?? [];
            const ltsOnly = plans.length > 0 && !plans.includes('KubernetesOfficial');
            items.push({
              value: newest,
              description:
                [v.isPreview ? 'preview' : '', ltsOnly ? 'long-term support only (Premium tier)' : ''].filter(Boolean).join(', ') ||
                `Kubernetes ${v.version ?? ''}`,
              ...(v.isDefault ? { isDefault: true } : {}),
              order: newest.split('.').map(Number),
            });
          }
          return items.sort((a, b) => -compareVersions(a.value, b.value)).map(({ order: _o, ...c }) => c);
        }
        case 'vmSizes': {
          const [sub, location] = need(params, 'subscription', 'location');
          let sizes = await vmSizes(sub!, location!, signal);
          // System pools need at least 2 vCPUs and 4 GB of memory (provisioning.md §3.2).
          if (params.mode === 'System') sizes = sizes.filter((s) => s.vcpus >= 2 && s.memoryGb >= 4);
          const preferred = PREFERRED_SIZES.find((p) => sizes.some((s) => s.name === p)) ?? sizes.find((s) => s.vcpus === 4)?.name;
          return sizes.map((s) => ({
            value: s.name,
            description: `${s.vcpus} vCPU, ${s.memoryGb} GB${s.zones.length ? `, zones ${s.zones.join(' ')}` : ', no zones'}`,
            ...(s.name === preferred ? { isDefault: true } : {}),
          }));
        }
        case 'zones': {
          const [sub, location, vmSize] = need(params, 'subscription', 'location', 'vmSize');
          const size = (await vmSizes(sub!, location!, signal)).find((s) => s.name.toLowerCase() === vmSize!.toLowerCase());
          return (size?.zones ?? []).map((z) => ({ value: z, label: `Zone ${z}` }));
        }
        case 'clusters': {
          const [sub] = need(params, 'subscription');
          const all = await ctx.call(`list the AKS clusters of subscription ${sub!}`, signal, async () => {
            const out: ManagedCluster[] = [];
            for await (const mc of ctx.client(sub!).managedClusters.list({ abortSignal: signal })) out.push(mc);
            return out;
          });
          return all
            .filter((mc) => mc.name && parseArmId(mc.id).resourceGroup)
            .map((mc) => {
              const net = mc.networkProfile;
              const network = net?.networkPluginMode === 'overlay' ? 'overlay' : (net?.networkPlugin ?? 'azure');
              return {
                value: `${parseArmId(mc.id).resourceGroup!}/${mc.name!}`,
                label: mc.name!,
                description: `${mc.location} · ${mc.currentKubernetesVersion ?? mc.kubernetesVersion ?? ''} · ${network}`,
              };
            })
            .sort((a, b) => a.value.localeCompare(b.value));
        }
        default:
          throw new ClusterDeckError('invalid', `AKS has no "${query}" choices; this is a ClusterDeck bug.`);
      }
    },
  };
}

function capital(s: string): string {
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}`;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
