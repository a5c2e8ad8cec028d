// An in-memory CloudProvider: a test double of the port (src/core/clouds/cloudProvider.ts) that drives the Clouds
// view's host logic and the CLI. It is not a fake of any cloud's API; the providers' own fakes live in test/fakes/.
import { ClusterDeckError } from '../../src/core/errors';
import type {
  CloudAccount,
  CloudAddon,
  CloudCluster,
  CloudKind,
  CloudNodePool,
  CloudOperation,
  CloudProvider,
  ClusterToken,
  NodePoolScale,
  ScopeResult,
} from '../../src/core/clouds/cloudProvider';

export interface MemoryCloud {
  accounts: CloudAccount[];
  /** Clusters per account id, each with its pools and add-ons. */
  clusters: { cluster: CloudCluster; pools: CloudNodePool[]; addons?: CloudAddon[]; versions?: string[] }[];
  /** Scopes (regions/locations) that fail, per account id: scope → message. */
  failingScopes?: Record<string, Record<string, string>>;
  /** Account ids whose whole listing throws. */
  failingAccounts?: Record<string, ClusterDeckError>;
  /** listAccounts throws this. */
  accountsError?: ClusterDeckError;
  /** Operations resolve after this many progress steps (default 2); `failOperations` makes wait() reject. */
  operationSteps?: number;
  failOperations?: string;
}

export interface MemoryProvider extends CloudProvider {
  /**
   * Every mutating call, in order: "scale eu/a/ng-1 1/2/3", "upgrade a 1.34", "upgradePool a/ng-1 1.34",
   * "deletePool a/ng-1", "deleteCluster a".
   */
  readonly calls: string[];
  readonly state: MemoryCloud;
}

export function memoryCloudProvider(cloud: CloudKind, state: MemoryCloud): MemoryProvider {
  const calls: string[] = [];
  const find = (c: Pick<CloudCluster, 'account' | 'name' | 'location'>) => {
    const hit = state.clusters.find(
      (x) => x.cluster.account === c.account && x.cluster.name === c.name && x.cluster.location === c.location,
    );
    if (!hit) throw new ClusterDeckError('notFound', `Cluster "${c.name}" was not found; refresh the Clouds view.`);
    return hit;
  };
  /** Operations started, by id, so that resumeOperation can follow one again (applied at most once). */
  const started = new Map<string, () => void>();
  const operation = (description: string, apply: () => void, id = `op-${calls.length}`): CloudOperation => {
    let applied = false;
    const once = () => {
      if (!applied) apply();
      applied = true;
    };
    started.set(id, once);
    return follow(id, description, once);
  };
  const follow = (id: string, description: string, apply: () => void): CloudOperation => ({
    id,
    description,
    async wait(signal, onProgress) {
      for (let i = 0; i < (state.operationSteps ?? 2); i++) {
        if (signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
        onProgress?.(`step ${i + 1}`);
        await new Promise((r) => setTimeout(r, 1));
      }
      if (state.failOperations) throw new ClusterDeckError('serverError', state.failOperations);
      apply();
    },
  });
  const provider: MemoryProvider = {
    cloud,
    calls,
    state,
    listAccounts() {
      if (state.accountsError) return Promise.reject(state.accountsError);
      return Promise.resolve(state.accounts);
    },
    listClusters(account, scopes) {
      const failing = state.failingAccounts?.[account];
      if (failing) return Promise.reject(failing);
      const mine = state.clusters.filter((c) => c.cluster.account === account).map((c) => c.cluster);
      const byScope = new Map<string, CloudCluster[]>();
      for (const c of mine) if (!scopes || scopes.includes(c.location)) byScope.set(c.location, [...(byScope.get(c.location) ?? []), c]);
      const results: ScopeResult<CloudCluster>[] = [...byScope].map(([scope, items]) => ({ scope, items }));
      for (const [scope, error] of Object.entries(state.failingScopes?.[account] ?? {})) results.push({ scope, items: [], error });
      for (const s of scopes ?? []) if (!results.some((r) => r.scope === s)) results.push({ scope: s, items: [] });
      return Promise.resolve(results);
    },
    listNodePools(cluster) {
      return Promise.resolve(find(cluster).pools);
    },
    listAddons(cluster) {
      return Promise.resolve(find(cluster).addons ?? []);
    },
    listUpgradeVersions(cluster) {
      return Promise.resolve(find(cluster).versions ?? []);
    },
    getClusterToken(): Promise<ClusterToken> {
      return Promise.resolve({ token: 'memory-token', expiresAt: new Date(Date.now() + 600_000) });
    },
    scaleNodePool(cluster, pool, scale: NodePoolScale) {
      const entry = find(cluster);
      const p = entry.pools.find((x) => x.name === pool);
      if (!p) return Promise.reject(new ClusterDeckError('notFound', `Node pool "${pool}" was not found; refresh the Clouds view.`));
      calls.push(`scale ${cluster.name}/${pool} ${scale.min ?? '-'}/${scale.desired ?? '-'}/${scale.max ?? '-'}`);
      return Promise.resolve(
        operation(`scale ${pool}`, () => {
          entry.pools = entry.pools.map((x) => (x.name === pool ? { ...x, ...scale } : x));
        }),
      );
    },
    upgradeCluster(cluster, version) {
      const entry = find(cluster);
      calls.push(`upgrade ${cluster.name} ${version}`);
      return Promise.resolve(
        operation(`upgrade ${cluster.name}`, () => {
          entry.cluster = { ...entry.cluster, version };
        }),
      );
    },
    deleteNodePool(cluster, pool) {
      const entry = find(cluster);
      calls.push(`deletePool ${cluster.name}/${pool}`);
      return Promise.resolve(
        operation(`delete ${pool}`, () => {
          entry.pools = entry.pools.filter((p) => p.name !== pool);
        }),
      );
    },
    upgradeNodePool(cluster, pool, version) {
      const entry = find(cluster);
      if (!entry.pools.some((x) => x.name === pool))
        return Promise.reject(new ClusterDeckError('notFound', `Node pool "${pool}" was not found; refresh the Clouds view.`));
      calls.push(`upgradePool ${cluster.name}/${pool} ${version}`);
      return Promise.resolve(
        operation(`upgrade ${pool}`, () => {
          entry.pools = entry.pools.map((x) => (x.name === pool ? { ...x, version } : x));
        }),
      );
    },
    resumeOperation(_cluster, id, description) {
      const apply = started.get(id);
      if (!apply) throw new ClusterDeckError('invalid', `"${id}" is not an operation of this provider; refresh the Clouds view.`);
      return follow(id, description, apply);
    },
    deleteCluster(cluster) {
      find(cluster);
      calls.push(`deleteCluster ${cluster.name}`);
      return Promise.resolve(
        operation(`delete ${cluster.name}`, () => {
          state.clusters = state.clusters.filter((c) => c.cluster.name !== cluster.name || c.cluster.account !== cluster.account);
        }),
      );
    },
  };
  return provider;
}

/** Sample data: an EKS account with two regions, a GKE project, an AKS subscription with two resource groups. */
export function sampleClouds(): Record<CloudKind, MemoryCloud> {
  const pool = (name: string, extra: Partial<CloudNodePool> = {}): CloudNodePool => ({
    name,
    instanceType: 'm5.large',
    min: 1,
    desired: 2,
    max: 3,
    capacityType: 'on-demand',
    version: '1.33',
    status: 'ACTIVE',
    health: 'ok',
    ...extra,
  });
  return {
    eks: {
      accounts: [{ cloud: 'eks', id: 'prod', label: 'prod', detail: '111122223333' }],
      clusters: [
        {
          cluster: {
            cloud: 'eks',
            account: 'prod',
            location: 'eu-west-1',
            name: 'shop',
            id: 'arn:aws:eks:eu-west-1:111122223333:cluster/shop',
            version: '1.33',
            status: 'ACTIVE',
            health: 'ok',
            endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
            caData: 'Q0EtREFUQQ==',
            endpointAccess: { public: true, private: true, publicCidrs: ['0.0.0.0/0'] },
            upgradeAvailable: '1.34',
            nodeCount: 2,
          },
          pools: [pool('ng-1'), pool('spot-1', { capacityType: 'spot', instanceType: 'm5.large,m5a.large' })],
          addons: [{ name: 'vpc-cni', version: 'v1.19.0', status: 'ACTIVE', health: 'ok' }],
          versions: ['1.34'],
        },
        {
          cluster: {
            cloud: 'eks',
            account: 'prod',
            location: 'us-east-1',
            name: 'batch',
            id: 'arn:aws:eks:us-east-1:111122223333:cluster/batch',
            version: '1.32',
            status: 'UPDATING',
            health: 'progressing',
            endpoint: 'https://DEF.gr7.us-east-1.eks.amazonaws.com',
            endpointAccess: { public: false, private: true },
          },
          pools: [],
        },
      ],
      failingScopes: { prod: { 'ap-south-1': "Access denied in ap-south-1; check the profile's IAM permissions." } },
    },
    gke: {
      accounts: [{ cloud: 'gke', id: 'my-proj', label: 'My Project', detail: '123456789' }],
      clusters: [
        {
          cluster: {
            cloud: 'gke',
            account: 'my-proj',
            location: 'europe-west1',
            name: 'web',
            id: 'projects/my-proj/locations/europe-west1/clusters/web',
            version: '1.33.4-gke.100',
            status: 'RUNNING',
            health: 'ok',
            endpoint: 'https://34.1.2.3',
            caData: 'R0tFLUNB',
            endpointAccess: { public: true, private: false },
            nodeCount: 3,
          },
          pools: [pool('default-pool', { instanceType: 'e2-standard-4', status: 'RUNNING' })],
          versions: ['1.34.1-gke.200', '1.33.5-gke.100'],
        },
      ],
    },
    aks: {
      accounts: [{ cloud: 'aks', id: '00000000-0000-0000-0000-000000000001', label: 'Pay-As-You-Go', detail: 'tenant t1' }],
      clusters: [
        {
          cluster: {
            cloud: 'aks',
            account: '00000000-0000-0000-0000-000000000001',
            location: 'westeurope',
            resourceGroup: 'rg-b',
            name: 'api',
            id: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-b/providers/Microsoft.ContainerService/managedClusters/api',
            version: '1.33.2',
            status: 'Succeeded',
            health: 'ok',
            endpoint: 'https://api-dns-1.hcp.westeurope.azmk8s.io:443',
            caData: 'QUtTLUNB',
          },
          pools: [pool('system', { instanceType: 'Standard_D4s_v5', mode: 'System', status: 'Succeeded' })],
        },
        {
          cluster: {
            cloud: 'aks',
            account: '00000000-0000-0000-0000-000000000001',
            location: 'northeurope',
            resourceGroup: 'rg-a',
            name: 'ops',
            id: '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-a/providers/Microsoft.ContainerService/managedClusters/ops',
            version: '1.32.1',
            status: 'Failed',
            health: 'failed',
          },
          pools: [],
        },
      ],
    },
  };
}
