// The AKS provisioning files (issue #6, provisioning.md §3): the ARM `Microsoft.ContainerService/managedClusters`
// resource and the `managedClusters/agentPools` resource, as JSON, in ARM's wire shape (`properties.*`). The
// subscription and resource group ride in the ARM `id`; a new resource group is asked for with
// `"x-clusterdeck": {"createResourceGroup": true}`. Reading checks every key (unknown keys are errors: they would
// not be sent) and the rules of §3.1/§3.2 at precise paths. Pure.
import { OWNERSHIP_KEY, type SpecProblem } from '../provisioning';
import { cidrHasAddress, cidrsOverlap, hasHostBits, parseIpv4Block, parseIpv4 } from '../cidr';
import { arr, bool, int, isObject, num, obj, oneOf, Problems, record, str, type Check, type Path } from './specCheck';

/** The ARM API version the files name (the one @azure/arm-containerservice 25.3 sends). */
export const AKS_API_VERSION = '2026-04-01';
export const MANAGED_CLUSTER_TYPE = 'Microsoft.ContainerService/managedClusters';
export const AGENT_POOL_TYPE = 'Microsoft.ContainerService/managedClusters/agentPools';

/** The agent pool properties ClusterDeck creates (wire names; `name` only inside agentPoolProfiles). */
export interface ArmAgentPoolProperties {
  name?: string;
  mode: 'System' | 'User' | 'Gateway';
  vmSize: string;
  count: number;
  enableAutoScaling: boolean;
  minCount?: number;
  maxCount?: number;
  availabilityZones?: string[];
  osType: 'Linux' | 'Windows';
  osSKU?: string;
  osDiskSizeGB?: number;
  osDiskType?: 'Managed' | 'Ephemeral';
  maxPods?: number;
  type: 'VirtualMachineScaleSets';
  scaleSetPriority?: 'Regular' | 'Spot';
  scaleSetEvictionPolicy?: 'Delete' | 'Deallocate';
  spotMaxPrice?: number;
  nodeLabels?: Record<string, string>;
  nodeTaints?: string[];
  orchestratorVersion?: string;
  upgradeSettings?: { maxSurge?: string };
  vnetSubnetID?: string;
  tags?: Record<string, string>;
}

export interface ArmNetworkProfile {
  networkPlugin: 'azure' | 'kubenet' | 'none';
  networkPluginMode?: 'overlay';
  networkPolicy?: 'none' | 'calico' | 'azure' | 'cilium';
  networkDataplane?: 'azure' | 'cilium';
  podCidr?: string;
  serviceCidr?: string;
  dnsServiceIP?: string;
  outboundType?: 'loadBalancer' | 'managedNATGateway' | 'userAssignedNATGateway' | 'userDefinedRouting' | 'none';
  loadBalancerSku?: 'standard' | 'basic';
}

export interface ArmManagedClusterProperties {
  kubernetesVersion: string;
  dnsPrefix: string;
  agentPoolProfiles: ArmAgentPoolProperties[];
  networkProfile: ArmNetworkProfile;
  enableRBAC?: boolean;
  aadProfile?: { managed: boolean; enableAzureRBAC?: boolean; adminGroupObjectIDs?: string[]; tenantID?: string };
  disableLocalAccounts?: boolean;
  apiServerAccessProfile?: { enablePrivateCluster?: boolean; authorizedIPRanges?: string[] };
  oidcIssuerProfile?: { enabled: boolean };
  securityProfile?: { workloadIdentity?: { enabled: boolean } };
  autoUpgradeProfile?: { upgradeChannel?: string; nodeOSUpgradeChannel?: string };
  supportPlan?: 'KubernetesOfficial' | 'AKSLongTermSupport';
  nodeResourceGroup?: string;
  addonProfiles?: Record<string, { enabled: boolean; config?: Record<string, string> }>;
}

/** The managed cluster resource without ClusterDeck's envelope fields (what the PUT body holds, plus the name). */
export interface ArmManagedCluster {
  name: string;
  location: string;
  tags?: Record<string, string>;
  sku: { name: 'Base' | 'Automatic'; tier: 'Free' | 'Standard' | 'Premium' };
  identity: { type: 'SystemAssigned' | 'UserAssigned'; userAssignedIdentities?: Record<string, Record<string, never>> };
  properties: ArmManagedClusterProperties;
}

/** A cluster file, read. `subscription`/`resourceGroup` come from the ARM `id` (absent: PlanOverrides supply them). */
export interface AksClusterSpec {
  readonly subscription?: string;
  readonly resourceGroup?: string;
  /** `x-clusterdeck.createResourceGroup`: the resource group is created (in the cluster's location) first. */
  readonly createResourceGroup: boolean;
  readonly resource: ArmManagedCluster;
}

/** A node-pool file, read: the pool of `cluster` (ARM template child name "cluster/pool", or the `id`). */
export interface AksNodePoolSpec {
  readonly subscription?: string;
  readonly resourceGroup?: string;
  readonly cluster: string;
  readonly name: string;
  readonly properties: ArmAgentPoolProperties;
}

// ---- names (provisioning.md §3.1, §3.2) ----

export const CLUSTER_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/;
export const RESOURCE_GROUP_NAME = /^[-\w.()]{0,89}[-\w()]$/;
export const DNS_PREFIX = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,52}[A-Za-z0-9])?$/;
export const LINUX_POOL_NAME = /^[a-z][a-z0-9]{0,11}$/;
const WINDOWS_POOL_NAME = /^[a-z][a-z0-9]{0,5}$/;
const LOCATION = /^[a-z][a-z0-9]*$/;
const VERSION = /^\d+\.\d+(\.\d+)?$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
const TAINT = /^([^=:\s]+)(?:=([^:\s]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/;
const OS_SKUS = ['Ubuntu', 'Ubuntu2204', 'Ubuntu2404', 'AzureLinux', 'AzureLinux3', 'Windows2019', 'Windows2022', 'Windows2025'];

export const UPGRADE_CHANNELS = ['rapid', 'stable', 'patch', 'node-image', 'none'];
export const NODE_OS_CHANNELS = ['None', 'Unmanaged', 'NodeImage', 'SecurityPatch'];

/** Why a Kubernetes label key is not valid, or undefined (prefix/name, as the API server checks). */
export function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  const name = parts.pop() ?? '';
  const prefix = parts.join('/');
  if (parts.length > 1) return `"${key}" is not a label key: at most one "/".`;
  if (prefix && (prefix.length > 253 || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(prefix)))
    return `"${key}": the prefix must be a DNS subdomain.`;
  if (!/^[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(name))
    return `"${key}" is not a label key: a name of up to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit.`;
  return undefined;
}

/** Why `key=value:Effect` is not a valid AKS node taint, or undefined. */
export function taintProblem(t: string): string | undefined {
  const m = TAINT.exec(t);
  if (!m) return `"${t}" is not a taint: write key=value:NoSchedule (or PreferNoSchedule, NoExecute).`;
  const keyWhy = labelKeyProblem(m[1]!);
  if (keyWhy) return keyWhy;
  if (m[2] !== undefined && !LABEL_VALUE.test(m[2])) return `"${m[2]}" is not a valid taint value.`;
  return undefined;
}

export function tagNameProblem(k: string): string | undefined {
  if (k.length < 1 || k.length > 512 || /[<>%&\\?/]/.test(k)) return `"${k}" is not a tag name: 1–512 characters, none of < > % & \\ ? /.`;
  return undefined;
}

const tagValue: Check = (v, path, p) => {
  if (typeof v !== 'string') return p.error(path, 'A tag value must be a string.');
  if (v.length > 256) p.error(path, 'A tag value has at most 256 characters.');
};

const tags: Check = (v, path, p) => {
  record(tagNameProblem, tagValue, 50)(v, path, p);
  if (isObject(v) && Object.keys(v).some((k) => k.toLowerCase() === OWNERSHIP_KEY))
    p.error([...path, OWNERSHIP_KEY], `"${OWNERSHIP_KEY}" is set by ClusterDeck when it creates the resource; remove it from the file.`);
};

const cidrCheck: Check = (v, path, p) => {
  if (typeof v !== 'string') return p.error(path, 'Must be a CIDR such as 10.244.0.0/16.');
  const c = parseIpv4Block(v);
  if (!c) return p.error(path, `"${v}" is not an IPv4 CIDR such as 10.244.0.0/16.`);
  if (hasHostBits(v)) p.error(path, `"${v}" has host bits set; write the network address.`);
};

/** An authorized IP range: a CIDR or a single address. */
const ipRange: Check = (v, path, p) => {
  if (typeof v === 'string' && parseIpv4(v.trim()) !== undefined) return;
  cidrCheck(v, path, p);
};

const poolFields = (withName: boolean): Record<string, Check> => ({
  ...(withName ? { name: str(/^.+$/) } : {}),
  mode: oneOf(['System', 'User', 'Gateway']),
  vmSize: str(/^[A-Za-z0-9_]+$/, 'a VM size such as Standard_D4ds_v5'),
  count: int(0, 1000),
  enableAutoScaling: bool,
  minCount: int(0, 1000),
  maxCount: int(0, 1000),
  availabilityZones: arr(oneOf(['1', '2', '3']), { min: 1, max: 3 }),
  osType: oneOf(['Linux', 'Windows']),
  osSKU: oneOf(OS_SKUS),
  osDiskSizeGB: int(30, 2048),
  osDiskType: oneOf(['Managed', 'Ephemeral']),
  maxPods: int(10, 250),
  type: oneOf(['VirtualMachineScaleSets']),
  scaleSetPriority: oneOf(['Regular', 'Spot']),
  scaleSetEvictionPolicy: oneOf(['Delete', 'Deallocate']),
  spotMaxPrice: num,
  nodeLabels: record(labelKeyProblem, (v, path, p) => {
    if (typeof v !== 'string' || !LABEL_VALUE.test(v)) p.error(path, 'A label value: up to 63 letters, digits, "-", "_", ".".');
  }),
  nodeTaints: arr((v, path, p) => {
    const why = typeof v === 'string' ? taintProblem(v) : 'A taint is a string key=value:Effect.';
    if (why) p.error(path, why);
  }),
  orchestratorVersion: str(VERSION, 'a Kubernetes version such as 1.33.2'),
  upgradeSettings: obj({ maxSurge: str(/^(\d+%?)$/, 'a node count or a percentage such as 10%') }),
  vnetSubnetID: str(
    /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i,
    'a subnet resource id',
  ),
  tags,
});

const poolRequired = ['mode', 'vmSize', 'count', 'enableAutoScaling', 'osType', 'type'];

/** The rules between a pool's fields (§3.2): counts, autoscaler bounds, System pools, Spot. */
function checkPool(pool: Record<string, unknown>, path: Path, p: Problems): void {
  const count = typeof pool.count === 'number' ? pool.count : undefined;
  const min = typeof pool.minCount === 'number' ? pool.minCount : undefined;
  const max = typeof pool.maxCount === 'number' ? pool.maxCount : undefined;
  const system = pool.mode === 'System';
  const name = typeof pool.name === 'string' ? pool.name : undefined;
  if (name !== undefined) {
    const re = pool.osType === 'Windows' ? WINDOWS_POOL_NAME : LINUX_POOL_NAME;
    if (!re.test(name))
      p.error(
        [...path, 'name'],
        `"${name}" is not an agent pool name: lowercase letters and digits, starting with a letter, at most ${pool.osType === 'Windows' ? 6 : 12} characters.`,
      );
  }
  if (pool.enableAutoScaling === true) {
    if (min === undefined) p.error([...path, 'minCount'], 'An autoscaled pool needs minCount.');
    if (max === undefined) p.error([...path, 'maxCount'], 'An autoscaled pool needs maxCount.');
    if (min !== undefined && max !== undefined && min > max)
      p.error([...path, 'minCount'], `minCount (${min}) is above maxCount (${max}).`);
    if (count !== undefined && min !== undefined && count < min)
      p.error([...path, 'count'], `count (${count}) is below minCount (${min}).`);
    if (count !== undefined && max !== undefined && count > max)
      p.error([...path, 'count'], `count (${count}) is above maxCount (${max}).`);
    if (system && min !== undefined && min < 1) p.error([...path, 'minCount'], 'A System pool keeps at least 1 node: minCount ≥ 1.');
  } else if (pool.enableAutoScaling === false) {
    if (min !== undefined) p.error([...path, 'minCount'], 'minCount applies only with enableAutoScaling: true.');
    if (max !== undefined) p.error([...path, 'maxCount'], 'maxCount applies only with enableAutoScaling: true.');
  }
  if (system && count !== undefined && count < 1) p.error([...path, 'count'], 'A System pool needs at least 1 node.');
  if (system && pool.osType === 'Windows') p.error([...path, 'osType'], 'A System pool runs Linux.');
  const spot = pool.scaleSetPriority === 'Spot';
  if (spot && system) p.error([...path, 'scaleSetPriority'], 'A System pool cannot use Spot VMs; make it a User pool.');
  if (!spot && (pool.scaleSetEvictionPolicy !== undefined || pool.spotMaxPrice !== undefined))
    p.error(
      [...path, pool.scaleSetEvictionPolicy !== undefined ? 'scaleSetEvictionPolicy' : 'spotMaxPrice'],
      'Applies only to Spot pools (scaleSetPriority: Spot).',
    );
  if (typeof pool.spotMaxPrice === 'number' && pool.spotMaxPrice !== -1 && pool.spotMaxPrice <= 0)
    p.error([...path, 'spotMaxPrice'], 'spotMaxPrice is -1 (pay up to the on-demand price) or a price above 0.');
  if (spot && isObject(pool.upgradeSettings) && pool.upgradeSettings.maxSurge !== undefined)
    p.error([...path, 'upgradeSettings', 'maxSurge'], 'Spot pools do not support surge upgrades; remove maxSurge.');
  if (
    spot &&
    !(
      Array.isArray(pool.nodeTaints) &&
      pool.nodeTaints.some((t) => typeof t === 'string' && t.startsWith('kubernetes.azure.com/scalesetpriority=spot:'))
    )
  )
    p.warn(
      [...path, 'nodeTaints'],
      'AKS adds the taint kubernetes.azure.com/scalesetpriority=spot:NoSchedule to Spot nodes; list it so the file says what the pool gets.',
    );
  if (typeof pool.osSKU === 'string' && typeof pool.osType === 'string' && pool.osSKU.startsWith('Windows') !== (pool.osType === 'Windows'))
    p.error([...path, 'osSKU'], `osSKU ${pool.osSKU} does not run on osType ${pool.osType}.`);
}

function versionParts(v: string): number[] {
  return v.split('.').map(Number);
}

/** Whether pool version `a` is newer than control plane `b` (1.33 ≤ 1.33.2: a minor-only version compares by minor). */
function newerThan(a: string, b: string): boolean {
  const pa = versionParts(a);
  const pb = versionParts(b);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i]! !== pb[i]!) return pa[i]! > pb[i]!;
  }
  return false;
}

const ARM_CLUSTER_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)$/i;
const ARM_POOL_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)\/agentPools\/([^/]+)$/i;

export function clusterArmId(subscription: string, resourceGroup: string, cluster: string): string {
  return `/subscriptions/${subscription}/resourceGroups/${resourceGroup}/providers/${MANAGED_CLUSTER_TYPE}/${cluster}`;
}

const clusterSchema = obj(
  {
    type: oneOf([MANAGED_CLUSTER_TYPE]),
    apiVersion: str(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'an ARM API version such as 2026-04-01'),
    id: str(ARM_CLUSTER_ID, 'an ARM id /subscriptions/S/resourceGroups/RG/providers/Microsoft.ContainerService/managedClusters/NAME'),
    name: str(CLUSTER_NAME, '1–63 letters, digits, "_" or "-", starting and ending with a letter or digit'),
    location: str(LOCATION, 'an Azure location name such as westeurope'),
    tags,
    sku: obj({ name: oneOf(['Base', 'Automatic']), tier: oneOf(['Free', 'Standard', 'Premium']) }, ['name', 'tier']),
    identity: obj(
      {
        type: oneOf(['SystemAssigned', 'UserAssigned']),
        userAssignedIdentities: record(
          (k) =>
            /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+$/i.test(k)
              ? undefined
              : `"${k}" is not a user-assigned identity resource id.`,
          obj({}),
          1,
        ),
      },
      ['type'],
    ),
    'x-clusterdeck': obj({ createResourceGroup: bool }),
    properties: obj(
      {
        kubernetesVersion: str(VERSION, 'a Kubernetes version such as 1.33.2'),
        dnsPrefix: str(DNS_PREFIX, '1–54 letters, digits or "-", starting and ending with a letter or digit'),
        agentPoolProfiles: arr(obj(poolFields(true), ['name', ...poolRequired]), { min: 1, max: 100 }),
        networkProfile: obj(
          {
            networkPlugin: oneOf(['azure', 'kubenet', 'none']),
            networkPluginMode: oneOf(['overlay']),
            networkPolicy: oneOf(['none', 'calico', 'azure', 'cilium']),
            networkDataplane: oneOf(['azure', 'cilium']),
            podCidr: cidrCheck,
            serviceCidr: cidrCheck,
            dnsServiceIP: str(/^\d+\.\d+\.\d+\.\d+$/, 'an IPv4 address'),
            outboundType: oneOf(['loadBalancer', 'managedNATGateway', 'userAssignedNATGateway', 'userDefinedRouting', 'none']),
            loadBalancerSku: oneOf(['standard', 'basic']),
          },
          ['networkPlugin'],
        ),
        enableRBAC: bool,
        aadProfile: obj(
          {
            managed: bool,
            enableAzureRBAC: bool,
            adminGroupObjectIDs: arr(str(GUID, 'an Entra ID group object id')),
            tenantID: str(GUID, 'a tenant id'),
          },
          ['managed'],
        ),
        disableLocalAccounts: bool,
        apiServerAccessProfile: obj({ enablePrivateCluster: bool, authorizedIPRanges: arr(ipRange, { max: 200 }) }),
        oidcIssuerProfile: obj({ enabled: bool }, ['enabled']),
        securityProfile: obj({ workloadIdentity: obj({ enabled: bool }, ['enabled']) }),
        autoUpgradeProfile: obj({ upgradeChannel: oneOf(UPGRADE_CHANNELS), nodeOSUpgradeChannel: oneOf(NODE_OS_CHANNELS) }),
        supportPlan: oneOf(['KubernetesOfficial', 'AKSLongTermSupport']),
        nodeResourceGroup: str(RESOURCE_GROUP_NAME, 'a resource group name'),
        addonProfiles: record(() => undefined, obj({ enabled: bool, config: record(() => undefined, str()) }, ['enabled'])),
      },
      ['kubernetesVersion', 'dnsPrefix', 'agentPoolProfiles', 'networkProfile'],
    ),
  },
  ['type', 'apiVersion', 'name', 'location', 'sku', 'identity', 'properties'],
);

/** The rules between a cluster's fields (§3.1): pools, network, Entra ID, access, identity, support plan. */
function checkCluster(doc: Record<string, unknown>, p: Problems): void {
  const props = isObject(doc.properties) ? doc.properties : {};
  const pools = Array.isArray(props.agentPoolProfiles) ? props.agentPoolProfiles : [];
  const seen = new Set<string>();
  pools.forEach((pool, i) => {
    if (!isObject(pool)) return;
    const path = ['properties', 'agentPoolProfiles', i];
    checkPool(pool, path, p);
    if (typeof pool.name === 'string') {
      if (seen.has(pool.name)) p.error([...path, 'name'], `Agent pool name "${pool.name}" is used twice.`);
      seen.add(pool.name);
    }
    if (
      typeof pool.orchestratorVersion === 'string' &&
      typeof props.kubernetesVersion === 'string' &&
      newerThan(pool.orchestratorVersion, props.kubernetesVersion)
    )
      p.error(
        [...path, 'orchestratorVersion'],
        `The pool version ${pool.orchestratorVersion} is newer than the cluster's ${props.kubernetesVersion}.`,
      );
  });
  if (pools.length && !pools.some((x) => isObject(x) && x.mode === 'System'))
    p.error(['properties', 'agentPoolProfiles'], 'A cluster needs at least one System pool (mode: System).');
  if (pools.length && isObject(pools[0]) && pools[0].mode !== 'System' && pools.some((x) => isObject(x) && x.mode === 'System'))
    p.warn(
      ['properties', 'agentPoolProfiles', 0, 'mode'],
      'The first pool is not the System pool; az and the portal list the System pool first.',
    );

  const net = isObject(props.networkProfile) ? props.networkProfile : undefined;
  if (net) {
    const np = ['properties', 'networkProfile'];
    if (net.networkPluginMode === 'overlay' && net.networkPlugin !== 'azure')
      p.error([...np, 'networkPluginMode'], 'Overlay mode needs networkPlugin: azure.');
    if (net.networkPlugin === 'kubenet')
      p.warn(
        [...np, 'networkPlugin'],
        'kubenet is being retired for AKS; use Azure CNI overlay (networkPlugin: azure, networkPluginMode: overlay).',
      );
    if (net.networkDataplane === 'cilium') {
      if (net.networkPlugin !== 'azure') p.error([...np, 'networkDataplane'], 'The Cilium dataplane needs networkPlugin: azure.');
      if (net.networkPolicy !== 'cilium') p.error([...np, 'networkPolicy'], 'With the Cilium dataplane the network policy is cilium.');
    }
    if (net.networkPolicy === 'cilium' && net.networkDataplane !== 'cilium')
      p.error([...np, 'networkDataplane'], 'The cilium network policy needs networkDataplane: cilium.');
    if (net.networkPolicy === 'azure' && net.networkPlugin === 'kubenet')
      p.error([...np, 'networkPolicy'], 'The Azure network policy manager does not support kubenet; use calico or none.');
    const pod = typeof net.podCidr === 'string' ? parseIpv4Block(net.podCidr) : undefined;
    const svc = typeof net.serviceCidr === 'string' ? parseIpv4Block(net.serviceCidr) : undefined;
    if (net.podCidr !== undefined && !(net.networkPlugin === 'kubenet' || net.networkPluginMode === 'overlay'))
      p.error([...np, 'podCidr'], 'podCidr applies to Azure CNI overlay and kubenet only (flat Azure CNI gives pods VNet addresses).');
    if (svc && svc.prefix < 12) p.error([...np, 'serviceCidr'], `The service CIDR is at most a /12 (got /${svc.prefix}).`);
    if (pod && svc && cidrsOverlap(pod, svc))
      p.error([...np, 'serviceCidr'], `The service CIDR ${String(net.serviceCidr)} overlaps the pod CIDR ${String(net.podCidr)}.`);
    if ((net.serviceCidr === undefined) !== (net.dnsServiceIP === undefined))
      p.error([...np, net.serviceCidr === undefined ? 'serviceCidr' : 'dnsServiceIP'], 'serviceCidr and dnsServiceIP go together.');
    if (svc && typeof net.dnsServiceIP === 'string') {
      const ip = parseIpv4(net.dnsServiceIP.trim());
      if (ip === undefined) p.error([...np, 'dnsServiceIP'], `"${net.dnsServiceIP}" is not an IPv4 address.`);
      else if (!cidrHasAddress(svc, ip))
        p.error([...np, 'dnsServiceIP'], `dnsServiceIP ${net.dnsServiceIP} is outside the service CIDR ${String(net.serviceCidr)}.`);
      else if (ip - svc.first < 2n)
        p.error(
          [...np, 'dnsServiceIP'],
          `dnsServiceIP ${net.dnsServiceIP} is the service CIDR's network or first address (kubernetes.default); use e.g. .10.`,
        );
    }
  }

  const aad = isObject(props.aadProfile) ? props.aadProfile : undefined;
  if (aad && aad.managed === false)
    p.error(
      ['properties', 'aadProfile', 'managed'],
      'Legacy (non-managed) Entra ID integration cannot be created any more; set managed: true.',
    );
  if (props.disableLocalAccounts === true && !aad)
    p.error(
      ['properties', 'disableLocalAccounts'],
      'Disabling local accounts needs Entra ID integration (aadProfile); nobody could sign in.',
    );
  if (aad && props.enableRBAC === false)
    p.error(['properties', 'enableRBAC'], 'Entra ID integration needs Kubernetes RBAC (enableRBAC: true).');
  if (!aad && props.disableLocalAccounts !== true)
    p.warn(['properties'], 'Without Entra ID integration the cluster has only local accounts (a shared admin credential).');

  const access = isObject(props.apiServerAccessProfile) ? props.apiServerAccessProfile : undefined;
  const ranges = Array.isArray(access?.authorizedIPRanges) ? access.authorizedIPRanges : [];
  if (access?.enablePrivateCluster === true && ranges.length)
    p.error(
      ['properties', 'apiServerAccessProfile', 'authorizedIPRanges'],
      'Authorized IP ranges do not apply to a private cluster; remove them.',
    );
  if (access?.enablePrivateCluster !== true && (ranges.length === 0 || ranges.includes('0.0.0.0/0')))
    p.warn(
      ['properties', 'apiServerAccessProfile'],
      'The API server is reachable from any address; restrict authorizedIPRanges or make the cluster private.',
    );

  const wi =
    isObject(props.securityProfile) && isObject(props.securityProfile.workloadIdentity)
      ? props.securityProfile.workloadIdentity
      : undefined;
  if (wi?.enabled === true && !(isObject(props.oidcIssuerProfile) && props.oidcIssuerProfile.enabled === true))
    p.error(
      ['properties', 'securityProfile', 'workloadIdentity', 'enabled'],
      'Workload identity needs the OIDC issuer (oidcIssuerProfile.enabled: true).',
    );

  const sku = isObject(doc.sku) ? doc.sku : undefined;
  if (props.supportPlan === 'AKSLongTermSupport' && sku?.tier !== 'Premium')
    p.error(['properties', 'supportPlan'], 'Long-term support needs the Premium tier (sku.tier: Premium).');
  if (sku?.name === 'Automatic')
    p.error(
      ['sku', 'name'],
      'AKS Automatic clusters are not created by ClusterDeck yet; use Base, or create with az aks create --sku automatic.',
    );

  const identity = isObject(doc.identity) ? doc.identity : undefined;
  const uai = isObject(identity?.userAssignedIdentities) ? Object.keys(identity.userAssignedIdentities) : [];
  if (identity?.type === 'UserAssigned' && uai.length !== 1)
    p.error(['identity', 'userAssignedIdentities'], 'A UserAssigned identity names exactly one identity resource id.');
  if (identity?.type === 'SystemAssigned' && identity.userAssignedIdentities !== undefined)
    p.error(['identity', 'userAssignedIdentities'], 'Only with type: UserAssigned.');

  if (typeof doc.id === 'string' && typeof doc.name === 'string') {
    const m = ARM_CLUSTER_ID.exec(doc.id);
    if (m && m[3]!.toLowerCase() !== doc.name.toLowerCase())
      p.error(['id'], `The id ends with cluster "${m[3]!}" but name is "${doc.name}".`);
    if (m && !RESOURCE_GROUP_NAME.test(decodeURIComponent(m[2]!))) p.error(['id'], `"${m[2]!}" is not a resource group name.`);
  }
}

/** Reads a parsed cluster document (JSON or YAML) into the spec, or problems at paths. */
export function readClusterSpec(doc: unknown): { spec?: AksClusterSpec; problems: SpecProblem[] } {
  const p = new Problems();
  clusterSchema(doc, [], p);
  if (isObject(doc)) checkCluster(doc, p);
  if (p.hasErrors || !isObject(doc)) return { problems: p.list };
  const d = doc as unknown as ArmManagedCluster & { id?: string; 'x-clusterdeck'?: { createResourceGroup?: boolean } };
  const m = d.id ? ARM_CLUSTER_ID.exec(d.id) : null;
  const resource: ArmManagedCluster = {
    name: d.name,
    location: d.location,
    ...(d.tags ? { tags: d.tags } : {}),
    sku: d.sku,
    identity: d.identity,
    properties: d.properties,
  };
  return {
    spec: {
      ...(m ? { subscription: decodeURIComponent(m[1]!), resourceGroup: decodeURIComponent(m[2]!) } : {}),
      createResourceGroup: d['x-clusterdeck']?.createResourceGroup === true,
      resource: structuredClone(resource),
    },
    problems: p.list,
  };
}

/** The cluster file text: the ARM resource as JSON (2-space indent), envelope first. */
export function writeClusterSpec(spec: AksClusterSpec): string {
  const r = spec.resource;
  const doc = {
    type: MANAGED_CLUSTER_TYPE,
    apiVersion: AKS_API_VERSION,
    ...(spec.subscription && spec.resourceGroup ? { id: clusterArmId(spec.subscription, spec.resourceGroup, r.name) } : {}),
    name: r.name,
    location: r.location,
    ...(r.tags ? { tags: r.tags } : {}),
    sku: r.sku,
    identity: r.identity,
    ...(spec.createResourceGroup ? { 'x-clusterdeck': { createResourceGroup: true } } : {}),
    properties: r.properties,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const poolSchema = obj(
  {
    type: oneOf([AGENT_POOL_TYPE]),
    apiVersion: str(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'an ARM API version such as 2026-04-01'),
    id: str(
      ARM_POOL_ID,
      'an ARM id /subscriptions/S/resourceGroups/RG/providers/Microsoft.ContainerService/managedClusters/C/agentPools/P',
    ),
    name: str(/^([A-Za-z0-9][A-Za-z0-9_-]*\/)?[a-z][a-z0-9]*$/, '"cluster/pool" (as in an ARM template) or the pool name with an id'),
    properties: obj(poolFields(false), poolRequired),
  },
  ['type', 'apiVersion', 'name', 'properties'],
);

/** Reads a parsed node-pool document into the spec, or problems at paths. */
export function readNodePoolSpec(doc: unknown): { spec?: AksNodePoolSpec; problems: SpecProblem[] } {
  const p = new Problems();
  poolSchema(doc, [], p);
  if (!isObject(doc)) return { problems: p.list };
  const name = typeof doc.name === 'string' ? doc.name : '';
  const [nameCluster, poolName] = name.includes('/') ? (name.split('/') as [string, string]) : [undefined, name];
  const m = typeof doc.id === 'string' ? ARM_POOL_ID.exec(doc.id) : null;
  const cluster = nameCluster ?? (m ? decodeURIComponent(m[3]!) : undefined);
  if (name && !cluster) p.error(['name'], 'Name the cluster: "cluster/pool" (or give the ARM id).');
  if (cluster && !CLUSTER_NAME.test(cluster)) p.error(['name'], `"${cluster}" is not a cluster name.`);
  if (m && nameCluster && m[3]!.toLowerCase() !== nameCluster.toLowerCase())
    p.error(['id'], `The id names cluster "${m[3]!}" but name says "${nameCluster}".`);
  if (m && poolName && m[4]!.toLowerCase() !== poolName.toLowerCase())
    p.error(['id'], `The id names pool "${m[4]!}" but name says "${poolName}".`);
  if (isObject(doc.properties)) checkPool({ ...doc.properties, name: poolName }, ['properties'], p);
  // A pool-name problem belongs to `name`, where the file has it.
  const problems = p.list.map((x) => (x.path.join('/') === 'properties/name' ? { ...x, path: ['name'] } : x));
  if (problems.some((x) => x.severity === 'error') || !cluster) return { problems };
  return {
    spec: {
      ...(m ? { subscription: decodeURIComponent(m[1]!), resourceGroup: decodeURIComponent(m[2]!) } : {}),
      cluster,
      name: poolName,
      properties: structuredClone(doc.properties as ArmAgentPoolProperties),
    },
    problems,
  };
}

/** The node-pool file text: the ARM child resource as JSON, "cluster/pool" as in an ARM template. */
export function writeNodePoolSpec(spec: AksNodePoolSpec): string {
  const doc = {
    type: AGENT_POOL_TYPE,
    apiVersion: AKS_API_VERSION,
    ...(spec.subscription && spec.resourceGroup
      ? { id: `${clusterArmId(spec.subscription, spec.resourceGroup, spec.cluster)}/agentPools/${spec.name}` }
      : {}),
    name: `${spec.cluster}/${spec.name}`,
    properties: spec.properties,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

// ---- the SDK's shape (@azure/arm-containerservice 25.x flattens `properties` and renames a few keys) ----

/** The ManagedCluster as the SDK takes it: `properties` flattened, `enableRBAC` → `enableRbac`, `enableAzureRBAC` → `enableAzureRbac`. */
export function toSdkManagedCluster(r: ArmManagedCluster): Record<string, unknown> {
  const { enableRBAC, aadProfile, agentPoolProfiles, ...rest } = structuredClone(r.properties);
  const out: Record<string, unknown> = {
    location: r.location,
    ...(r.tags ? { tags: r.tags } : {}),
    sku: r.sku,
    identity: r.identity,
    ...rest,
    agentPoolProfiles: agentPoolProfiles.map((pool) => ({ ...pool })),
  };
  if (enableRBAC !== undefined) out.enableRbac = enableRBAC;
  if (aadProfile) {
    const { enableAzureRBAC, ...aad } = aadProfile;
    out.aadProfile = { ...aad, ...(enableAzureRBAC !== undefined ? { enableAzureRbac: enableAzureRBAC } : {}) };
  }
  return out;
}

/** The AgentPool as the SDK takes it: `properties` flattened, `type` → `typePropertiesType`. */
export function toSdkAgentPool(props: ArmAgentPoolProperties): Record<string, unknown> {
  const { type, ...rest } = structuredClone(props);
  delete rest.name;
  return { ...rest, typePropertiesType: type };
}

/** The ARM wire body of a cluster PUT (what the SDK sends for {@link toSdkManagedCluster}). */
export function clusterWireBody(r: ArmManagedCluster): Record<string, unknown> {
  return { location: r.location, ...(r.tags ? { tags: r.tags } : {}), sku: r.sku, identity: r.identity, properties: r.properties };
}
