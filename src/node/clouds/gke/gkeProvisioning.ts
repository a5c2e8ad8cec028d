// GKE provisioning, the I/O half (provisioning.md §2.6): create exactly once, follow the container Operation, list
// leftovers, load the wizards' choices. Part of the gkeProvider chunk; it reuses the provider's call() (one log line
// per attempt, no SDK retries, mutations sent once), its Operation follower and its OAuth client.
//
// Exactly once: GKE has no idempotency token, so: getCluster first; on NOT_FOUND send createCluster once, with the
// `clusterdeck-op` resource label. On ALREADY_EXISTS, or when the create's answer was lost, get the cluster again:
// a cluster labelled by ClusterDeck is adopted (its CREATE_CLUSTER operation from listOperations, else its status is
// followed), any other is a conflict ("rename"). Node pools likewise, the label on `config.resourceLabels`.
import type { ClusterManagerClient, protos } from '@google-cloud/container';
import type { OAuth2Client } from 'google-auth-library';
import type { CallOptions } from 'google-gax';
import type { CloudAccount, CloudOperation, ClusterToken } from '../../../core/clouds/cloudProvider';
import { CancelledError, ClusterDeckError, isCancellation } from '../../../core/errors';
import { isGkeZone, ownershipLabelValue, regionOf } from '../../../core/provisioning/gke/gkeSpec';
import {
  OWNERSHIP_KEY,
  type ChoiceItem,
  type CreateOutcome,
  type ProvisionStep,
  type ProvisioningProvider,
} from '../../../core/provisioning/provisioning';

type ICluster = protos.google.container.v1.ICluster;
type INodePool = protos.google.container.v1.INodePool;
type IOperation = protos.google.container.v1.IOperation;

/** What the provider lends its provisioning half (all bound to its credentials and endpoints). */
export interface GkeProvisioningDeps {
  call<T>(
    what: string,
    scope: string,
    kind: 'read' | 'write',
    signal: AbortSignal | undefined,
    fn: (c: ClusterManagerClient, o: CallOptions) => Promise<[T, ...unknown[]]>,
  ): Promise<T>;
  operation(project: string, location: string, first: IOperation | string, description: string): CloudOperation;
  authClient(): Promise<OAuth2Client>;
  accessToken(signal?: AbortSignal): Promise<ClusterToken>;
  readonly compute: { readonly base: string; readonly host: string };
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
  log(line: string): void;
  listProjects(signal?: AbortSignal): Promise<readonly CloudAccount[]>;
  mapError(e: unknown, what: string, project: string, location?: string): ClusterDeckError;
}

interface Where {
  readonly project: string;
  readonly location: string;
  readonly cluster: string;
  /** The node pool, for a node-pool step. */
  readonly pool?: string;
}

const operationName = /^projects\/([^/]+)\/locations\/([^/]+)\/operations\/([A-Za-z0-9][A-Za-z0-9_-]*)$/;
const resourceName = /^projects\/([^/]+)\/locations\/([^/]+)\/clusters\/([^/]+?)(?:\/nodePools\/([^/]+))?$/;

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
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
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The step's target and request, checked against each other (the body's parent must name the target). */
function stepParts(step: ProvisionStep): { where: Where; request: Record<string, unknown> } {
  const t = step.target;
  const body = step.body;
  if (t.cloud !== 'gke' || !isObject(body) || typeof body.parent !== 'string')
    throw new ClusterDeckError('invalid', `The ${step.kind} step is not a GKE request; create it from a GKE file.`);
  const parent = `projects/${t.account}/locations/${t.location}`;
  const expected = step.kind === 'cluster' ? parent : `${parent}/clusters/${t.cluster}`;
  const resource = step.kind === 'cluster' ? body.cluster : body.nodePool;
  if (body.parent !== expected || !isObject(resource) || resource.name !== step.name)
    throw new ClusterDeckError(
      'invalid',
      `The ${step.kind} step names ${String(body.parent)}, not ${expected}/${step.name}; plan it again from the file.`,
    );
  return {
    where: { project: t.account, location: t.location, cluster: t.cluster, ...(step.kind === 'nodePool' ? { pool: step.name } : {}) },
    request: body,
  };
}

const inProgressStates = new Set(['PROVISIONING', 'RECONCILING']);

export function createGkeProvisioning(d: GkeProvisioningDeps): ProvisioningProvider {
  const clusterPath = (w: Where) => `projects/${w.project}/locations/${w.location}/clusters/${w.cluster}`;
  const poolPath = (w: Where) => `${clusterPath(w)}/nodePools/${w.pool ?? ''}`;
  const scope = (w: Where) => `${w.project}/${w.location}/${w.cluster}${w.pool ? `/${w.pool}` : ''}`;
  const what = (w: Where) => (w.pool ? `node pool ${w.pool} of cluster ${w.cluster}` : `cluster ${w.cluster}`);
  const place = (w: Where) => `project ${w.project}, ${isGkeZone(w.location) ? 'zone' : 'region'} ${w.location}`;

  /** The cluster or node pool, or undefined when GKE says NOT_FOUND. */
  async function find(w: Where, signal?: AbortSignal): Promise<ICluster | INodePool | undefined> {
    try {
      return w.pool
        ? await d.call('GetNodePool', scope(w), 'read', signal, (c, o) => c.getNodePool({ name: poolPath(w) }, o))
        : await d.call('GetCluster', scope(w), 'read', signal, (c, o) => c.getCluster({ name: clusterPath(w) }, o));
    } catch (e) {
      if (e instanceof ClusterDeckError && e.reason === 'notFound') return undefined;
      throw e;
    }
  }

  function ownerOf(resource: ICluster | INodePool, w: Where): string | undefined {
    const labels = w.pool ? (resource as INodePool).config?.resourceLabels : (resource as ICluster).resourceLabels;
    return labels?.[OWNERSHIP_KEY] ?? undefined;
  }

  /** Follows a resource's status (when no operation can be found for it): done when it leaves PROVISIONING. */
  function watchResource(w: Where, description: string): CloudOperation {
    return {
      id: w.pool ? poolPath(w) : clusterPath(w),
      description,
      async wait(signal, onProgress) {
        for (;;) {
          const r = await find(w, signal);
          if (!r) throw new ClusterDeckError('notFound', `GKE ${what(w)} no longer exists in ${place(w)}; create it again.`);
          const status = String(r.status ?? 'STATUS_UNSPECIFIED');
          if (status === 'ERROR')
            throw new ClusterDeckError('serverError', `GKE could not ${description}: ${r.statusMessage || 'the status is ERROR'}.`);
          if (!inProgressStates.has(status)) {
            onProgress?.('DONE');
            return;
          }
          onProgress?.(status);
          await sleep(d.pollIntervalMs, signal);
        }
      },
    };
  }

  /** The running create operation of the resource (listOperations), if any. */
  async function runningCreate(w: Where, signal?: AbortSignal): Promise<IOperation | undefined> {
    const res = await d.call('ListOperations', `${w.project}/${w.location}`, 'read', signal, (c, o) =>
      c.listOperations({ parent: `projects/${w.project}/locations/${w.location}` }, o),
    );
    const type = w.pool ? 'CREATE_NODE_POOL' : 'CREATE_CLUSTER';
    const suffix = w.pool ? `/clusters/${w.cluster}/nodePools/${w.pool}` : `/clusters/${w.cluster}`;
    return (res.operations ?? []).find(
      (op) => String(op.operationType) === type && (op.targetLink ?? '').endsWith(suffix) && String(op.status) !== 'DONE',
    );
  }

  /** Decides what an existing resource means for this create: adopt (ClusterDeck's), exists, or conflict. */
  async function adopt(
    existing: ICluster | INodePool,
    w: Where,
    label: string,
    description: string,
    signal?: AbortSignal,
  ): Promise<CreateOutcome> {
    const owner = ownerOf(existing, w);
    const status = String(existing.status ?? 'STATUS_UNSPECIFIED');
    if (owner === undefined)
      throw new ClusterDeckError(
        'conflict',
        `GKE ${what(w)} already exists in ${place(w)} and was not created by ClusterDeck; rename yours in the file and create again.`,
      );
    const whose = owner === label ? 'by this operation' : `by ClusterDeck operation ${owner}`;
    if (inProgressStates.has(status)) {
      const op = await runningCreate(w, signal);
      return {
        state: 'inProgress',
        operation: op?.name ? d.operation(w.project, w.location, op, description) : watchResource(w, description),
        message: `GKE ${what(w)} is already being created in ${place(w)} (${whose}); following it, nothing was sent again.`,
      };
    }
    if (status === 'ERROR' || status === 'STOPPING')
      throw new ClusterDeckError(
        'conflict',
        `GKE ${what(w)} exists in ${place(w)} with status ${status}${existing.statusMessage ? ` (${existing.statusMessage})` : ''}; delete it, then create again.`,
      );
    return { state: 'exists', message: `GKE ${what(w)} already exists in ${place(w)} (created ${whose}); nothing was sent.` };
  }

  /** A create call's failure that leaves its outcome unknown (no HTTP answer), or a 409: check what exists. */
  function needsCheck(e: unknown): boolean {
    return e instanceof ClusterDeckError && !isCancellation(e) && (e.reason === 'conflict' || e.detail.status === undefined);
  }

  // ---- Compute Engine REST (choices) ----

  async function computeGet<T>(path: string, project: string, signal?: AbortSignal, params: Record<string, string> = {}): Promise<T> {
    await d.accessToken(signal);
    const client = await d.authClient();
    const started = Date.now();
    let outcome = 'error';
    try {
      const res = await client.request<T>({
        url: `${d.compute.base}/compute/v1/projects/${encodeURIComponent(project)}/${path}`,
        method: 'GET',
        params,
        timeout: d.timeoutMs,
        ...(signal ? { signal } : {}),
        responseType: 'json',
      });
      outcome = 'ok';
      return res.data;
    } catch (e) {
      if (isCancellation(e) || signal?.aborted) {
        outcome = 'cancelled';
        throw new CancelledError();
      }
      const status = (e as { response?: { status?: number } }).response?.status;
      outcome = status ? String(status) : 'unreachable';
      if (status === 403)
        throw new ClusterDeckError(
          'forbidden',
          `Compute Engine refused to list ${path.split('/').pop() ?? path} in project ${project}; enable the Compute Engine API or ask for the Compute Viewer role.`,
          { status },
        );
      if (status === 401)
        throw new ClusterDeckError('unauthorized', `Google rejected the credentials for Compute Engine (401); sign in again.`, { status });
      if (status === 404)
        throw new ClusterDeckError('notFound', `Compute Engine found nothing at ${path} in project ${project}; check the location.`, {
          status,
        });
      if (status)
        throw new ClusterDeckError(status >= 500 ? 'serverError' : 'unknown', `Compute Engine answered ${status} for ${path}; try again.`, {
          status,
        });
      throw new ClusterDeckError(
        'unreachable',
        `Could not reach ${d.compute.host} to list ${path.split('/').pop() ?? path}; check the network.`,
      );
    } finally {
      d.log(`> gke compute ${path} ${project} [${Date.now() - started}ms] ${outcome}`);
    }
  }

  /** All pages of a Compute list (`items`, `nextPageToken`). */
  async function computeList<T>(path: string, project: string, signal?: AbortSignal, params: Record<string, string> = {}): Promise<T[]> {
    const out: T[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < 50; page++) {
      const res = await computeGet<{ items?: T[]; nextPageToken?: string }>(path, project, signal, {
        ...params,
        maxResults: '500',
        ...(pageToken ? { pageToken } : {}),
      });
      out.push(...(res.items ?? []));
      if (!res.nextPageToken || res.nextPageToken === pageToken) break;
      pageToken = res.nextPageToken;
    }
    return out;
  }

  const lastSegment = (url: string | undefined) => (url ?? '').split('/').pop() ?? '';

  async function zonesOf(project: string, region: string, signal?: AbortSignal): Promise<string[]> {
    const r = await computeGet<{ zones?: string[] }>(`regions/${region}`, project, signal);
    return (r.zones ?? []).map(lastSegment).filter(Boolean).sort();
  }

  async function serverConfig(project: string, location: string, signal?: AbortSignal) {
    return d.call('GetServerConfig', `${project}/${location}`, 'read', signal, (c, o) =>
      c.getServerConfig({ name: `projects/${project}/locations/${location}` }, o),
    );
  }

  function need(params: Readonly<Record<string, string>>, ...keys: string[]): string[] {
    return keys.map((k) => {
      const v = params[k];
      if (!v) throw new ClusterDeckError('invalid', `The GKE ${k} is not chosen yet; go Back and choose it.`);
      return v;
    });
  }

  const choiceQueries: Record<string, (p: Readonly<Record<string, string>>, signal?: AbortSignal) => Promise<ChoiceItem[]>> = {
    accounts: (p, signal) => choiceQueries.projects!(p, signal),
    async projects(_p, signal) {
      const projects = await d.listProjects(signal);
      return projects.map((a, i) => ({
        value: a.id,
        label: a.id,
        ...(a.label !== a.id ? { description: a.label } : {}),
        ...(i === 0 ? { isDefault: true } : {}),
      }));
    },
    async locations(p, signal) {
      const [project] = need(p, 'project');
      const regions = (await computeList<{ name?: string; status?: string; zones?: string[] }>('regions', project!, signal))
        .filter((r) => r.name && r.status !== 'DOWN')
        .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
      const preferred = regions.some((r) => r.name === 'us-central1') ? 'us-central1' : regions[0]?.name;
      const out: ChoiceItem[] = regions.map((r) => ({
        value: r.name ?? '',
        description: `region: replicated control plane, nodes in ${(r.zones ?? []).length} zones`,
        ...(r.name === preferred ? { isDefault: true } : {}),
      }));
      if (p.regionsOnly !== 'true')
        for (const r of regions)
          for (const z of (r.zones ?? []).map(lastSegment).sort()) out.push({ value: z, description: 'zone: one control plane' });
      return out;
    },
    async zones(p, signal) {
      const [project, region] = need(p, 'project', 'region');
      if (p.cluster && p.location) {
        // A pool of an existing cluster: its node zones.
        const w: Where = { project: project!, location: p.location, cluster: p.cluster };
        const c = await d.call('GetCluster', scope(w), 'read', signal, (g, o) => g.getCluster({ name: clusterPath(w) }, o));
        if (c.locations?.length) return [...c.locations].sort().map((z) => ({ value: z }));
      }
      return (await zonesOf(project!, region!, signal)).map((z) => ({ value: z }));
    },
    async channels(p, signal) {
      const [project, location] = need(p, 'project', 'location');
      const config = await serverConfig(project!, location!, signal);
      return (config.channels ?? [])
        .map((c) => ({ channel: String(c.channel ?? ''), defaultVersion: c.defaultVersion ?? '' }))
        .filter((c) => c.channel && c.channel !== 'UNSPECIFIED')
        .map((c) => ({
          value: c.channel,
          label: c.channel.charAt(0) + c.channel.slice(1).toLowerCase(),
          ...(c.defaultVersion ? { description: `default ${c.defaultVersion}` } : {}),
          ...(c.channel === 'REGULAR' ? { isDefault: true } : {}),
        }));
    },
    async versions(p, signal) {
      const [project, location] = need(p, 'project', 'location');
      const config = await serverConfig(project!, location!, signal);
      const channel = p.channel ? config.channels?.find((c) => String(c.channel) === p.channel) : undefined;
      const versions = channel ? (channel.validVersions ?? []) : (config.validMasterVersions ?? []);
      const dflt = channel ? channel.defaultVersion : config.defaultClusterVersion;
      return versions.map((v) => ({ value: v, ...(v === dflt ? { isDefault: true } : {}) }));
    },
    async imageTypes(p, signal) {
      const [project, location] = need(p, 'project', 'location');
      const config = await serverConfig(project!, location!, signal);
      const dflt = config.defaultImageType || 'COS_CONTAINERD';
      return (config.validImageTypes ?? []).map((v) => ({ value: v, ...(v === dflt ? { isDefault: true } : {}) }));
    },
    async machineTypes(p, signal) {
      const [project, location] = need(p, 'project', 'location');
      const zones = p.zones
        ? p.zones.split(',')
        : isGkeZone(location!)
          ? [location!]
          : await zonesOf(project!, regionOf(location!), signal);
      type MachineType = { name?: string; guestCpus?: number; memoryMb?: number; deprecated?: { state?: string } };
      const perZone = await Promise.all(zones.map((z) => computeList<MachineType>(`zones/${z}/machineTypes`, project!, signal)));
      // Offered in every zone the nodes may go to.
      const [first = [], ...rest] = perZone;
      const everywhere = first.filter((m) => m.name && !m.deprecated?.state && rest.every((list) => list.some((x) => x.name === m.name)));
      return everywhere
        .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '', undefined, { numeric: true }))
        .map((m) => ({
          value: m.name ?? '',
          description: `${m.guestCpus ?? '?'} vCPU, ${m.memoryMb !== undefined ? Math.round((m.memoryMb / 1024) * 10) / 10 : '?'} GB`,
          ...(m.name === 'e2-medium' ? { isDefault: true } : {}),
        }));
    },
    async networks(p, signal) {
      const [project] = need(p, 'project');
      const nets = await computeList<{ name?: string; autoCreateSubnetworks?: boolean }>('global/networks', project!, signal);
      return nets
        .filter((n) => n.name)
        .map((n) => ({
          value: n.name ?? '',
          description: n.autoCreateSubnetworks ? 'auto mode' : 'custom mode',
          ...(n.name === 'default' ? { isDefault: true } : {}),
        }));
    },
    async subnetworks(p, signal) {
      const [project, region, network] = need(p, 'project', 'region', 'network');
      type Subnet = {
        name?: string;
        network?: string;
        ipCidrRange?: string;
        secondaryIpRanges?: { rangeName?: string; ipCidrRange?: string }[];
      };
      const subnets = (await computeList<Subnet>(`regions/${region!}/subnetworks`, project!, signal)).filter(
        (s) => s.name && lastSegment(s.network) === network,
      );
      const dflt = subnets.some((s) => s.name === 'default') ? 'default' : subnets[0]?.name;
      return subnets.map((s) => ({
        value: s.name ?? '',
        description: [s.ipCidrRange, ...(s.secondaryIpRanges ?? []).map((r) => `${r.rangeName ?? ''} ${r.ipCidrRange ?? ''}`)]
          .filter(Boolean)
          .join(', '),
        ...(s.name === dflt ? { isDefault: true } : {}),
      }));
    },
    async clusters(p, signal) {
      const [project, location] = need(p, 'project', 'location');
      const res = await d.call('ListClusters', `${project!}/${location!}`, 'read', signal, (c, o) =>
        c.listClusters({ parent: `projects/${project!}/locations/${location!}` }, o),
      );
      // Autopilot clusters take no node pools.
      return (res.clusters ?? [])
        .filter((c) => c.name && !c.autopilot?.enabled)
        .map((c, i) => ({
          value: c.name ?? '',
          description: `${String(c.status ?? '')} ${c.currentMasterVersion ?? ''}`.trim(),
          ...(i === 0 ? { isDefault: true } : {}),
        }));
    },
  };

  return {
    cloud: 'gke',

    async create(step, ids, signal) {
      const { where: w, request } = stepParts(step);
      const label = ownershipLabelValue(ids.opId);
      const description = `create ${what(w)} in ${place(w)}`;
      const existing = await find(w, signal);
      if (existing) return adopt(existing, w, label, description, signal);
      // The request exactly as planned, plus our label (P3).
      let op: IOperation;
      try {
        if (w.pool) {
          const pool = request.nodePool as INodePool;
          const nodePool = {
            ...pool,
            config: { ...pool.config, resourceLabels: { ...pool.config?.resourceLabels, [OWNERSHIP_KEY]: label } },
          };
          op = await d.call('CreateNodePool', scope(w), 'write', signal, (c, o) =>
            c.createNodePool({ parent: clusterPath(w), nodePool }, o),
          );
        } else {
          const c0 = request.cluster as ICluster;
          const cluster = { ...c0, resourceLabels: { ...c0.resourceLabels, [OWNERSHIP_KEY]: label } };
          op = await d.call('CreateCluster', scope(w), 'write', signal, (c, o) =>
            c.createCluster({ parent: `projects/${w.project}/locations/${w.location}`, cluster }, o),
          );
        }
      } catch (e) {
        if (w.pool && e instanceof ClusterDeckError && e.reason === 'notFound')
          throw new ClusterDeckError(
            'notFound',
            `GKE cluster ${w.cluster} does not exist in ${place(w)}; create it (or fix parent in the file) first.`,
            e.detail,
          );
        if (!needsCheck(e)) throw e;
        // ALREADY_EXISTS, or the answer was lost after GKE may have accepted it: look, never send it again.
        const now = await find(w, signal).catch(() => undefined);
        if (now) return adopt(now, w, label, description, signal);
        if (e instanceof ClusterDeckError && e.reason === 'conflict') throw e;
        throw new ClusterDeckError(
          'unreachable',
          `GKE did not answer the request to ${description}, and the ${w.pool ? 'node pool' : 'cluster'} is not there (yet); run the create again: ClusterDeck checks first and never creates twice.`,
        );
      }
      return {
        state: 'started',
        operation: d.operation(w.project, w.location, op, description),
        message: `GKE started to ${description}.`,
      };
    },

    resumeCreate(step, operationId) {
      const { where: w } = stepParts(step);
      const description = `create ${what(w)} in ${place(w)}`;
      const op = operationName.exec(operationId);
      if (op && op[1] === w.project && op[2] === w.location) {
        const followed = d.operation(w.project, w.location, op[3] ?? '', description);
        return {
          id: followed.id,
          description,
          async wait(signal, onProgress) {
            try {
              await followed.wait(signal, onProgress);
            } catch (e) {
              // GKE forgets old operations: then the resource's own status tells the outcome.
              if (!(e instanceof ClusterDeckError) || e.reason !== 'notFound') throw e;
              await watchResource(w, description).wait(signal, onProgress);
            }
          },
        };
      }
      const res = resourceName.exec(operationId);
      if (res && res[1] === w.project && res[2] === w.location && res[3] === w.cluster && (res[4] ?? undefined) === w.pool)
        return watchResource(w, description);
      throw new ClusterDeckError(
        'invalid',
        `"${operationId.slice(0, 120)}" is not a GKE operation of ${place(w)} for ${what(w)}; refresh the Clouds view to see its state.`,
      );
    },

    async partialResources(step, signal) {
      const { where: w } = stepParts(step);
      const out: string[] = [];
      if (w.pool) {
        const pool = await find(w, signal);
        if (pool) out.push(`node pool ${w.pool} of cluster ${w.cluster} in ${place(w)} (${String(pool.status ?? 'unknown')})`);
        return out;
      }
      const cluster = (await find(w, signal)) as ICluster | undefined;
      if (!cluster) return out;
      out.push(
        `cluster ${w.cluster} in ${place(w)} (${String(cluster.status ?? 'unknown')}${cluster.statusMessage ? `: ${cluster.statusMessage}` : ''})`,
      );
      for (const pool of cluster.nodePools ?? [])
        out.push(`node pool ${pool.name ?? '?'} of cluster ${w.cluster} (${String(pool.status ?? 'unknown')})`);
      return out;
    },

    async choices(query, params, signal) {
      const q = choiceQueries[query];
      if (!q) throw new ClusterDeckError('invalid', `GKE has no choices named "${query}".`);
      return q(params, signal);
    },
  };
}
