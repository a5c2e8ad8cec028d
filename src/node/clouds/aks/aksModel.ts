// Pure mappings from ARM's managed-cluster and agent-pool shapes (as the 25.x SDK flattens them) to the port's
// types. Kept apart from the SDK calls so they read (and test) as plain data.
import type { AgentPool, ManagedCluster } from '@azure/arm-containerservice';
import type { CloudAddon, CloudCluster, CloudHealth, CloudNodePool } from '../../../core/clouds/cloudProvider';

/** `/subscriptions/{s}/resourceGroups/{rg}/providers/…` → `{subscription, resourceGroup}` in their original spelling. */
export function parseArmId(id: string | undefined): { subscription?: string; resourceGroup?: string } {
  const m = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)(?:\/|$)/i.exec(id ?? '');
  return m ? { subscription: m[1], resourceGroup: m[2] } : {};
}

const progressing = new Set([
  'creating',
  'updating',
  'upgrading',
  'deleting',
  'scaling',
  'starting',
  'stopping',
  'migrating',
  'accepted',
  'reconciling',
]);

/**
 * Status word and health from `provisioningState` and `powerState.code`: Succeeded+Running → "Running" ok; a
 * stopped cluster or pool → "Stopped" (neither healthy nor failed: unknown); Creating/Updating/Upgrading/Deleting
 * and the like → progressing; Failed → failed; Canceled (the last operation was cancelled, the resource is usually
 * usable) and anything new (a provisioning or power state this build does not know) → unknown, its text kept.
 */
export function azureStatus(
  provisioningState: string | undefined,
  powerState: string | undefined,
): { status: string; health: CloudHealth } {
  const p = (provisioningState ?? '').toLowerCase();
  if (p === 'succeeded' || p === '') {
    if (powerState === 'Stopped') return { status: 'Stopped', health: 'unknown' };
    // A power state ARM added after this build: kept as it is, neither healthy nor failed.
    if (powerState !== undefined && powerState !== 'Running') return { status: powerState, health: 'unknown' };
    if (p === 'succeeded') return { status: powerState ?? 'Succeeded', health: 'ok' };
    return { status: powerState ?? 'Unknown', health: 'unknown' };
  }
  if (p === 'failed') return { status: provisioningState!, health: 'failed' };
  if (progressing.has(p)) return { status: provisioningState!, health: 'progressing' };
  return { status: provisioningState!, health: 'unknown' };
}

/** Maps one managed cluster of subscription `account` to the tree's CloudCluster. */
export function toCloudCluster(account: string, mc: ManagedCluster): CloudCluster {
  const { resourceGroup } = parseArmId(mc.id);
  const { status, health } = azureStatus(mc.provisioningState, mc.powerState?.code);
  const host = mc.fqdn ?? mc.privateFqdn;
  const access = mc.apiServerAccessProfile;
  const isPrivate = access?.enablePrivateCluster === true;
  const ranges = access?.authorizedIPRanges?.filter((r) => r.length > 0) ?? [];
  const pools = mc.agentPoolProfiles ?? [];
  const counted = pools.filter((p) => typeof p.count === 'number');
  return {
    cloud: 'aks',
    account,
    location: mc.location,
    ...(resourceGroup ? { resourceGroup } : {}),
    name: mc.name ?? '',
    id: mc.id ?? '',
    version: mc.currentKubernetesVersion ?? mc.kubernetesVersion ?? '',
    status,
    health,
    ...(host ? { endpoint: `https://${host}:443` } : {}),
    endpointAccess: {
      public: !isPrivate && mc.publicNetworkAccess !== 'Disabled',
      private: isPrivate,
      ...(ranges.length ? { publicCidrs: ranges } : {}),
    },
    ...(counted.length ? { nodeCount: counted.reduce((n, p) => n + (p.count ?? 0), 0) } : {}),
  };
}

/** An agent pool: VM size, autoscaler bounds, Spot, version, state, System/User. */
export function toCloudNodePool(pool: AgentPool): CloudNodePool {
  const { status, health } = azureStatus(pool.provisioningState, pool.powerState?.code);
  const autoscale = pool.enableAutoScaling === true;
  return {
    name: pool.name ?? '',
    instanceType: pool.vmSize ?? '',
    ...(autoscale && typeof pool.minCount === 'number' ? { min: pool.minCount } : {}),
    ...(autoscale && typeof pool.maxCount === 'number' ? { max: pool.maxCount } : {}),
    ...(typeof pool.count === 'number' ? { desired: pool.count } : {}),
    capacityType: pool.scaleSetPriority === 'Spot' ? 'spot' : 'on-demand',
    ...((pool.currentOrchestratorVersion ?? pool.orchestratorVersion)
      ? { version: pool.currentOrchestratorVersion ?? pool.orchestratorVersion }
      : {}),
    status,
    health,
    ...(pool.mode ? { mode: pool.mode } : {}),
  };
}

/** Enabled add-on profiles plus the cluster features worth showing (Entra ID, Azure RBAC, workload identity, network). */
export function toCloudAddons(mc: ManagedCluster): CloudAddon[] {
  const out: CloudAddon[] = [];
  for (const [name, profile] of Object.entries(mc.addonProfiles ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    if (profile.enabled) out.push({ name, status: 'Enabled', health: 'ok' });
  }
  const feature = (name: string, status: string): void => {
    out.push({ name, status, health: 'ok' });
  };
  if (mc.aadProfile) feature('Entra ID integration', mc.aadProfile.managed === false ? 'Legacy (app registrations)' : 'Managed');
  if (mc.aadProfile?.enableAzureRbac) feature('Azure RBAC for Kubernetes authorization', 'Enabled');
  if (mc.enableRbac !== undefined) feature('Kubernetes RBAC', mc.enableRbac ? 'Enabled' : 'Disabled');
  if (mc.disableLocalAccounts) feature('Local accounts', 'Disabled');
  if (mc.oidcIssuerProfile?.enabled) feature('OIDC issuer', 'Enabled');
  if (mc.securityProfile?.workloadIdentity?.enabled) feature('Workload identity', 'Enabled');
  const net = mc.networkProfile;
  if (net?.networkPlugin)
    feature('Network plugin', net.networkPluginMode ? `${net.networkPlugin} (${net.networkPluginMode})` : net.networkPlugin);
  if (net?.networkPolicy) feature('Network policy', net.networkPolicy);
  return out;
}
