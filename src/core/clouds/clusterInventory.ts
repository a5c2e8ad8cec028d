// `clusterdeck clusters list`: argument parsing, collecting the inventory through the CloudProvider port, and the
// table / JSON output. Pure (the CLI passes providers and the kubeconfig contexts in).
import { ClusterDeckError } from '../errors';
import type { CloudAccount, CloudCluster, CloudKind, CloudNodePool, CloudProvider } from './cloudProvider';
import { allClouds } from './cloudSettings';

export type InventorySource = CloudKind | 'kubeconfig';

export interface ClustersListOptions {
  /** Sources in the order given; undefined = every cloud with a provider, then the kubeconfig. */
  readonly clouds?: readonly InventorySource[];
  readonly profile?: string;
  readonly regions?: readonly string[];
  readonly project?: string;
  readonly subscription?: string;
  readonly format: 'table' | 'json';
}

export const clustersUsage = `Usage: clusterdeck clusters list [options]

Lists managed clusters of EKS, GKE and AKS and the contexts of your kubeconfig.

Options:
  --cloud eks,gke,aks,kubeconfig   sources to list (default: every cloud available, then kubeconfig)
  --profile P                      AWS profile (default: every profile found)
  --region r1,r2                   AWS regions / GCP locations to query (default: the provider's choice)
  --project P                      Google Cloud project (default: every project found)
  --subscription S                 Azure subscription id (default: every subscription found)
  --format table|json              output format (default table)
  -h, --help

Exit codes: 0 listed (some scopes may have failed: they are reported), 1 every scope failed, 2 usage error.`;

/** Parses the arguments after `clusters`; throws `invalid` with a sentence on a usage error, returns 'help' for -h. */
export function parseClustersArgs(argv: readonly string[]): ClustersListOptions | 'help' {
  const [sub, ...rest] = argv;
  if (sub === '-h' || sub === '--help' || sub === 'help') return 'help';
  if (sub !== 'list')
    throw new ClusterDeckError(
      'invalid',
      sub ? `Unknown subcommand "clusters ${sub}"; use "clusters list".` : 'Missing subcommand; use "clusters list".',
    );
  const values: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    if (arg === '-h' || arg === '--help') return 'help';
    const m = /^--(cloud|profile|region|project|subscription|format)(?:=(.*))?$/.exec(arg);
    if (!m) throw new ClusterDeckError('invalid', `Unknown option "${arg}".`);
    const key = m[1] ?? '';
    const value = m[2] ?? rest[++i];
    if (value === undefined || value === '' || (m[2] === undefined && value.startsWith('--')))
      throw new ClusterDeckError('invalid', `Option --${key} needs a value.`);
    if (key in values) throw new ClusterDeckError('invalid', `Option --${key} is given twice.`);
    values[key] = value;
  }
  const format = values.format ?? 'table';
  if (format !== 'table' && format !== 'json') throw new ClusterDeckError('invalid', `Unknown format "${format}"; use table or json.`);
  let clouds: InventorySource[] | undefined;
  if (values.cloud !== undefined) {
    clouds = [];
    for (const c of splitList(values.cloud)) {
      const v = c.toLowerCase();
      if (v !== 'kubeconfig' && !(allClouds as readonly string[]).includes(v))
        throw new ClusterDeckError('invalid', `Unknown cloud "${c}"; use eks, gke, aks or kubeconfig.`);
      if (!clouds.includes(v as InventorySource)) clouds.push(v as InventorySource);
    }
    if (clouds.length === 0) throw new ClusterDeckError('invalid', 'Option --cloud needs at least one of eks, gke, aks, kubeconfig.');
  }
  return {
    ...(clouds ? { clouds } : {}),
    ...(values.profile !== undefined ? { profile: values.profile } : {}),
    ...(values.region !== undefined ? { regions: splitList(values.region) } : {}),
    ...(values.project !== undefined ? { project: values.project } : {}),
    ...(values.subscription !== undefined ? { subscription: values.subscription } : {}),
    format,
  };
}

function splitList(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** One cluster of the inventory (also one kubeconfig context, with cloud "kubeconfig"). */
export interface InventoryCluster {
  readonly cloud: InventorySource;
  readonly account: string;
  readonly region?: string;
  readonly location?: string;
  readonly resourceGroup?: string;
  readonly name: string;
  readonly version: string;
  readonly status: string;
  readonly server?: string;
  readonly nodePools: readonly {
    readonly name: string;
    readonly instanceType: string;
    readonly min?: number;
    readonly max?: number;
    readonly desired?: number;
    readonly status: string;
  }[];
  /** Why the node pools could not be listed. */
  readonly nodePoolsError?: string;
}

/** A scope (account, region/location, or a whole cloud) that could not be listed. */
export interface InventoryError {
  readonly cloud: InventorySource;
  readonly account?: string;
  readonly scope?: string;
  readonly error: string;
}

export interface Inventory {
  readonly clusters: readonly InventoryCluster[];
  readonly errors: readonly InventoryError[];
  /** Scopes asked (succeeded + failed); the exit code is 1 only when all of them failed. */
  readonly scopesTried: number;
}

/** What collecting needs: a provider per cloud (absent = not in this build) and the kubeconfig contexts. */
export interface InventorySources {
  readonly provider: (cloud: CloudKind) => Promise<CloudProvider> | undefined;
  readonly kubeconfigContexts: () => Promise<readonly { name: string; server: string; file: string }[]>;
  readonly signal?: AbortSignal;
  /** Node pools are listed with at most this many requests at once (default 8). */
  readonly concurrency?: number;
}

/** Collects the inventory. Never throws for a cloud, account or scope: each failure becomes an error entry. */
export async function collectInventory(options: ClustersListOptions, sources: InventorySources): Promise<Inventory> {
  const clouds: InventorySource[] = options.clouds
    ? [...options.clouds]
    : [...allClouds.filter((c) => sources.provider(c) !== undefined), 'kubeconfig'];
  const clusters: InventoryCluster[] = [];
  const errors: InventoryError[] = [];
  let scopesTried = 0;
  const perCloud = await Promise.all(
    clouds.map(async (cloud): Promise<{ clusters: InventoryCluster[]; errors: InventoryError[]; tried: number }> => {
      if (cloud === 'kubeconfig') {
        try {
          const contexts = await sources.kubeconfigContexts();
          return {
            clusters: contexts.map((c) => ({
              cloud,
              account: c.file,
              name: c.name,
              version: '',
              status: '',
              server: c.server,
              nodePools: [],
            })),
            errors: [],
            tried: 1,
          };
        } catch (e) {
          return { clusters: [], errors: [{ cloud, error: messageOf(e) }], tried: 1 };
        }
      }
      return collectCloud(cloud, options, sources);
    }),
  );
  for (const r of perCloud) {
    clusters.push(...r.clusters);
    errors.push(...r.errors);
    scopesTried += r.tried;
  }
  return { clusters, errors, scopesTried };
}

async function collectCloud(
  cloud: CloudKind,
  options: ClustersListOptions,
  sources: InventorySources,
): Promise<{ clusters: InventoryCluster[]; errors: InventoryError[]; tried: number }> {
  const loading = sources.provider(cloud);
  if (!loading)
    return { clusters: [], errors: [{ cloud, error: `This build of ClusterDeck has no ${cloud.toUpperCase()} provider.` }], tried: 1 };
  let provider: CloudProvider;
  let accounts: CloudAccount[];
  const wanted = cloud === 'eks' ? options.profile : cloud === 'gke' ? options.project : options.subscription;
  try {
    provider = await loading;
    const listed = await provider.listAccounts(sources.signal);
    accounts = wanted ? listed.filter((a) => a.id === wanted) : [...listed];
    // A profile/project/subscription the provider did not list may still work (a setting, a key file): ask it.
    if (wanted && accounts.length === 0) accounts = [{ cloud, id: wanted, label: wanted }];
  } catch (e) {
    return { clusters: [], errors: [{ cloud, ...(wanted ? { account: wanted } : {}), error: messageOf(e) }], tried: 1 };
  }
  const clusters: InventoryCluster[] = [];
  const errors: InventoryError[] = [];
  let tried = 0;
  const regions = cloud === 'aks' ? undefined : options.regions;
  const found: CloudCluster[] = [];
  await Promise.all(
    accounts.map(async (account) => {
      try {
        const results = await provider.listClusters(account.id, regions, sources.signal);
        for (const r of results) {
          tried++;
          if (r.error) errors.push({ cloud, account: account.id, ...(r.scope ? { scope: r.scope } : {}), error: r.error });
          else found.push(...r.items);
        }
      } catch (e) {
        tried++;
        errors.push({ cloud, account: account.id, error: messageOf(e) });
      }
    }),
  );
  const pools = await mapLimited(found, sources.concurrency ?? 8, async (c) => {
    try {
      return { pools: await provider.listNodePools(c, sources.signal) };
    } catch (e) {
      return { error: messageOf(e) };
    }
  });
  found.forEach((c, i) => {
    const p = pools[i] ?? { error: 'not listed' };
    clusters.push(inventoryCluster(c, p.pools ?? [], p.error));
  });
  return { clusters, errors, tried };
}

function inventoryCluster(c: CloudCluster, pools: readonly CloudNodePool[], poolsError?: string): InventoryCluster {
  return {
    cloud: c.cloud,
    account: c.account,
    ...(c.cloud === 'eks' ? { region: c.location } : { location: c.location }),
    ...(c.resourceGroup !== undefined ? { resourceGroup: c.resourceGroup } : {}),
    name: c.name,
    version: c.version,
    status: c.status,
    nodePools: pools.map((p) => ({
      name: p.name,
      instanceType: p.instanceType,
      ...(p.min !== undefined ? { min: p.min } : {}),
      ...(p.max !== undefined ? { max: p.max } : {}),
      ...(p.desired !== undefined ? { desired: p.desired } : {}),
      status: p.status,
    })),
    ...(poolsError ? { nodePoolsError: poolsError } : {}),
  };
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function messageOf(e: unknown): string {
  // ClusterDeckError messages are written to be shown; anything else is summarized without its text.
  if (e instanceof ClusterDeckError) return e.message;
  return 'Unexpected failure; run again, and report it if it persists.';
}

/** Exit code: 1 when at least one scope was tried and every one failed, else 0. */
export function inventoryExitCode(inv: Inventory): number {
  return inv.scopesTried > 0 && inv.errors.length >= inv.scopesTried && inv.clusters.length === 0 ? 1 : 0;
}

/** The JSON output: `{ clusters: [...], errors: [...] }`, stable key order, sorted like the table. */
export function formatInventoryJson(inv: Inventory): string {
  return JSON.stringify({ clusters: sortClusters(inv.clusters), errors: inv.errors }, null, 2);
}

/** The table output: one row per cluster, then the errors, one line each. */
export function formatInventoryTable(inv: Inventory): string {
  const header = ['CLOUD', 'ACCOUNT', 'LOCATION', 'NAME', 'VERSION', 'STATUS', 'NODE POOLS'];
  const rows = sortClusters(inv.clusters).map((c) => [
    c.cloud,
    c.account,
    c.resourceGroup !== undefined ? `${c.location ?? ''}/${c.resourceGroup}` : (c.region ?? c.location ?? ''),
    c.name,
    c.version || '-',
    c.status || '-',
    c.cloud === 'kubeconfig'
      ? (c.server ?? '')
      : c.nodePoolsError
        ? `(error: ${c.nodePoolsError})`
        : c.nodePools.map((p) => `${p.name} ${p.instanceType} ${p.min ?? '?'}/${p.desired ?? '?'}/${p.max ?? '?'}`).join(', ') || '-',
  ]);
  const lines: string[] = [];
  if (rows.length) {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const fmt = (r: readonly string[]) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd();
    lines.push(fmt(header), ...rows.map(fmt));
  } else lines.push('No clusters found.');
  for (const e of inv.errors) lines.push(`error: ${[e.cloud, e.account, e.scope].filter(Boolean).join(' ')}: ${e.error}`);
  return lines.join('\n');
}

function sortClusters(cs: readonly InventoryCluster[]): InventoryCluster[] {
  const order: InventorySource[] = ['eks', 'gke', 'aks', 'kubeconfig'];
  return [...cs].sort(
    (a, b) =>
      order.indexOf(a.cloud) - order.indexOf(b.cloud) ||
      a.account.localeCompare(b.account) ||
      (a.region ?? a.location ?? '').localeCompare(b.region ?? b.location ?? '') ||
      a.name.localeCompare(b.name),
  );
}
