// From a read AKS file to the plan: the steps (resource group if new, then the cluster; or one agent pool) with
// the SDK request bodies, the equivalent `az` command lines (provisioning.md §3.3), the summary and warnings. Pure.
import { ClusterDeckError } from '../../errors';
import type { PlanOverrides, ProvisionPlan, ProvisionStep } from '../provisioning';
import {
  toSdkAgentPool,
  toSdkManagedCluster,
  type AksClusterSpec,
  type AksNodePoolSpec,
  type ArmAgentPoolProperties,
  type ArmManagedCluster,
} from './aksSpecs';

/** The body of the resource-group step (ARM `PUT /subscriptions/S/resourcegroups/RG`). */
export interface ResourceGroupBody {
  readonly location: string;
}

function pick(what: 'account' | 'resourceGroup', fromFile: string | undefined, override: string | undefined, label: string): string {
  if (fromFile && override && fromFile.toLowerCase() !== override.toLowerCase()) {
    throw new ClusterDeckError(
      'invalid',
      `The file's id names ${label} ${fromFile} but ${override} was asked for; edit the id or drop the option.`,
    );
  }
  const v = fromFile ?? override;
  if (!v) {
    throw new ClusterDeckError(
      'badConfig',
      `The file names no ${label}; add the ARM "id" (/subscriptions/…/resourceGroups/…/providers/…) or pass the ${what === 'account' ? 'subscription' : 'resource group'}.`,
    );
  }
  return v;
}

/** Quotes a value for a POSIX shell line when it needs it (the command is shown, never run). */
export function shellQuote(v: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

function poolFlags(p: ArmAgentPoolProperties, prefix: 'nodepool' | 'pool'): string[] {
  const f: string[] = [];
  f.push(`--node-vm-size ${shellQuote(p.vmSize)} --node-count ${p.count}`);
  if (p.availabilityZones?.length) f.push(`--zones ${p.availabilityZones.join(' ')}`);
  if (p.enableAutoScaling) f.push(`--enable-cluster-autoscaler --min-count ${p.minCount ?? 0} --max-count ${p.maxCount ?? 0}`);
  if (p.osSKU) f.push(`--os-sku ${p.osSKU}`);
  if (p.osDiskSizeGB !== undefined) f.push(`--node-osdisk-size ${p.osDiskSizeGB}`);
  if (p.osDiskType) f.push(`--node-osdisk-type ${p.osDiskType}`);
  if (p.maxPods !== undefined) f.push(`--max-pods ${p.maxPods}`);
  if (p.orchestratorVersion && prefix === 'pool') f.push(`--kubernetes-version ${p.orchestratorVersion}`);
  if (p.scaleSetPriority === 'Spot') {
    f.push(`--priority Spot --eviction-policy ${p.scaleSetEvictionPolicy ?? 'Delete'} --spot-max-price ${p.spotMaxPrice ?? -1}`);
  }
  if (p.upgradeSettings?.maxSurge) f.push(`--max-surge ${p.upgradeSettings.maxSurge}`);
  if (p.nodeTaints?.length)
    f.push(`${prefix === 'nodepool' ? '--nodepool-taints' : '--node-taints'} ${shellQuote(p.nodeTaints.join(','))}`);
  const labels = Object.entries(p.nodeLabels ?? {});
  if (labels.length)
    f.push(`${prefix === 'nodepool' ? '--nodepool-labels' : '--labels'} ${labels.map(([k, v]) => shellQuote(`${k}=${v}`)).join(' ')}`);
  if (p.vnetSubnetID) f.push(`--vnet-subnet-id ${shellQuote(p.vnetSubnetID)}`);
  if (p.tags && Object.keys(p.tags).length) f.push(`${prefix === 'nodepool' ? '--nodepool-tags' : '--tags'} ${tagWords(p.tags)}`);
  return f;
}

function tagWords(tags: Readonly<Record<string, string>>): string {
  return Object.entries(tags)
    .map(([k, v]) => shellQuote(`${k}=${v}`))
    .join(' ');
}

function lines(head: string, flags: readonly string[]): string {
  return [head, ...flags].join(' \\\n  ');
}

/** `az aks nodepool add …` for one pool. */
export function nodePoolCommand(
  subscription: string,
  resourceGroup: string,
  cluster: string,
  name: string,
  p: ArmAgentPoolProperties,
): string {
  return lines(
    `az aks nodepool add --subscription ${shellQuote(subscription)} --resource-group ${shellQuote(resourceGroup)} --cluster-name ${shellQuote(cluster)} --name ${name}`,
    [`--mode ${p.mode} --os-type ${p.osType}`, ...poolFlags(p, 'pool')],
  );
}

/** `az group create` (when new), `az aks create` with the first System pool, `az aks nodepool add` for the others. */
export function clusterCommand(subscription: string, resourceGroup: string, createGroup: boolean, r: ArmManagedCluster): string {
  const props = r.properties;
  const sys = props.agentPoolProfiles.find((p) => p.mode === 'System') ?? props.agentPoolProfiles[0]!;
  const f: string[] = [];
  f.push(`--location ${r.location} --tier ${r.sku.tier.toLowerCase()} --kubernetes-version ${props.kubernetesVersion}`);
  f.push(`--dns-name-prefix ${props.dnsPrefix}`);
  f.push(`--nodepool-name ${sys.name ?? 'system'}`, ...poolFlags(sys, 'nodepool'));
  const n = props.networkProfile;
  const net = [`--network-plugin ${n.networkPlugin}`];
  if (n.networkPluginMode) net.push(`--network-plugin-mode ${n.networkPluginMode}`);
  if (n.networkPolicy) net.push(`--network-policy ${n.networkPolicy}`);
  if (n.networkDataplane) net.push(`--network-dataplane ${n.networkDataplane}`);
  f.push(net.join(' '));
  const cidrs: string[] = [];
  if (n.podCidr) cidrs.push(`--pod-cidr ${n.podCidr}`);
  if (n.serviceCidr) cidrs.push(`--service-cidr ${n.serviceCidr}`);
  if (n.dnsServiceIP) cidrs.push(`--dns-service-ip ${n.dnsServiceIP}`);
  if (n.outboundType) cidrs.push(`--outbound-type ${n.outboundType}`);
  if (n.loadBalancerSku) cidrs.push(`--load-balancer-sku ${n.loadBalancerSku}`);
  if (cidrs.length) f.push(cidrs.join(' '));
  if (r.identity.type === 'UserAssigned')
    f.push(`--assign-identity ${shellQuote(Object.keys(r.identity.userAssignedIdentities ?? {})[0] ?? '')}`);
  const auth: string[] = [];
  if (props.aadProfile) {
    auth.push('--enable-aad');
    if (props.aadProfile.enableAzureRBAC) auth.push('--enable-azure-rbac');
    if (props.aadProfile.adminGroupObjectIDs?.length)
      auth.push(`--aad-admin-group-object-ids ${props.aadProfile.adminGroupObjectIDs.join(',')}`);
    if (props.aadProfile.tenantID) auth.push(`--aad-tenant-id ${props.aadProfile.tenantID}`);
  }
  if (props.disableLocalAccounts) auth.push('--disable-local-accounts');
  if (props.enableRBAC === false) auth.push('--disable-rbac');
  if (auth.length) f.push(auth.join(' '));
  const ident: string[] = [];
  if (props.oidcIssuerProfile?.enabled) ident.push('--enable-oidc-issuer');
  if (props.securityProfile?.workloadIdentity?.enabled) ident.push('--enable-workload-identity');
  if (ident.length) f.push(ident.join(' '));
  const access = props.apiServerAccessProfile;
  if (access?.enablePrivateCluster) f.push('--enable-private-cluster');
  if (access?.authorizedIPRanges?.length) f.push(`--api-server-authorized-ip-ranges ${access.authorizedIPRanges.join(',')}`);
  const up = props.autoUpgradeProfile;
  if (up?.upgradeChannel || up?.nodeOSUpgradeChannel)
    f.push(
      [
        up.upgradeChannel ? `--auto-upgrade-channel ${up.upgradeChannel}` : '',
        up.nodeOSUpgradeChannel ? `--node-os-upgrade-channel ${up.nodeOSUpgradeChannel}` : '',
      ]
        .filter(Boolean)
        .join(' '),
    );
  if (props.supportPlan) f.push(`--k8s-support-plan ${props.supportPlan}`);
  if (props.nodeResourceGroup) f.push(`--node-resource-group ${shellQuote(props.nodeResourceGroup)}`);
  const addons = Object.entries(props.addonProfiles ?? {}).filter(([, a]) => a.enabled);
  if (addons.length) f.push(`--enable-addons ${addons.map(([k]) => k).join(',')}`);
  if (r.tags && Object.keys(r.tags).length) f.push(`--tags ${tagWords(r.tags)}`);
  const out: string[] = [];
  if (createGroup)
    out.push(`az group create --subscription ${shellQuote(subscription)} --name ${shellQuote(resourceGroup)} --location ${r.location}`);
  out.push(
    lines(
      `az aks create --subscription ${shellQuote(subscription)} --resource-group ${shellQuote(resourceGroup)} --name ${shellQuote(r.name)}`,
      f,
    ),
  );
  for (const p of props.agentPoolProfiles) {
    if (p !== sys) out.push(nodePoolCommand(subscription, resourceGroup, r.name, p.name ?? '', p));
  }
  return out.join('\n');
}

/** Plan warnings the file's problems do not carry (they depend on the whole spec). */
function clusterWarnings(r: ArmManagedCluster): string[] {
  const w: string[] = [];
  const props = r.properties;
  if (props.networkProfile.networkPlugin === 'kubenet') w.push('kubenet is being retired for AKS; prefer Azure CNI overlay.');
  if (r.sku.tier === 'Free') w.push('The Free tier has no uptime SLA; use Standard for production.');
  const access = props.apiServerAccessProfile;
  if (!access?.enablePrivateCluster && !(access?.authorizedIPRanges ?? []).some((x) => x !== '0.0.0.0/0'))
    w.push('The API server will be reachable from any address.');
  for (const p of props.agentPoolProfiles) {
    if (p.scaleSetPriority === 'Spot') w.push(`Pool ${p.name ?? ''} uses Spot VMs: nodes can be evicted at any time.`);
    if (!p.availabilityZones?.length) w.push(`Pool ${p.name ?? ''} is not spread over availability zones.`);
  }
  if (props.aadProfile && !props.disableLocalAccounts)
    w.push('Local accounts stay enabled beside Entra ID (a shared admin credential exists).');
  return w;
}

function poolNodes(p: ArmAgentPoolProperties): number {
  return p.count;
}

/** The plan for a read cluster spec (throws 'badConfig' when no subscription or resource group is known). */
export function planCluster(spec: AksClusterSpec, overrides: PlanOverrides = {}): ProvisionPlan {
  const r = spec.resource;
  const subscription = pick('account', spec.subscription, overrides.account, 'subscription');
  const resourceGroup = pick('resourceGroup', spec.resourceGroup, overrides.resourceGroup, 'resource group');
  if (overrides.location && overrides.location.toLowerCase() !== r.location.toLowerCase()) {
    throw new ClusterDeckError(
      'invalid',
      `The file's location is ${r.location} but ${overrides.location} was asked for; edit the file or drop the option.`,
    );
  }
  const target = { cloud: 'aks' as const, account: subscription, location: r.location, resourceGroup, cluster: r.name };
  const nodes = r.properties.agentPoolProfiles.reduce((n, p) => n + poolNodes(p), 0);
  const steps: ProvisionStep[] = [];
  if (spec.createResourceGroup) {
    steps.push({
      kind: 'resourceGroup',
      target,
      name: resourceGroup,
      body: { location: r.location } satisfies ResourceGroupBody,
      estimatedNodes: 0,
    });
  }
  steps.push({ kind: 'cluster', target, name: r.name, body: toSdkManagedCluster(r), estimatedNodes: nodes });
  const pools = r.properties.agentPoolProfiles.length;
  return {
    cloud: 'aks',
    what: `AKS cluster ${r.name} (Kubernetes ${r.properties.kubernetesVersion}, ${pools} agent pool${pools === 1 ? '' : 's'})`,
    where: `subscription ${subscription}, resource group ${resourceGroup}${spec.createResourceGroup ? ' (new)' : ''}, location ${r.location}`,
    estimatedNodes: nodes,
    steps,
    equivalentCommand: clusterCommand(subscription, resourceGroup, spec.createResourceGroup, r),
    warnings: clusterWarnings(r),
  };
}

/** The plan for a read node-pool spec. */
export function planNodePool(spec: AksNodePoolSpec, overrides: PlanOverrides = {}): ProvisionPlan {
  const subscription = pick('account', spec.subscription, overrides.account, 'subscription');
  const resourceGroup = pick('resourceGroup', spec.resourceGroup, overrides.resourceGroup, 'resource group');
  const p = spec.properties;
  const warnings: string[] = [];
  if (p.scaleSetPriority === 'Spot') warnings.push(`Pool ${spec.name} uses Spot VMs: nodes can be evicted at any time.`);
  if (!p.availabilityZones?.length) warnings.push(`Pool ${spec.name} is not spread over availability zones.`);
  return {
    cloud: 'aks',
    what: `AKS agent pool ${spec.name} of cluster ${spec.cluster} (${p.mode}, ${p.vmSize})`,
    where: `subscription ${subscription}, resource group ${resourceGroup}${overrides.location ? `, location ${overrides.location}` : ''}`,
    estimatedNodes: p.count,
    steps: [
      {
        kind: 'nodePool',
        target: { cloud: 'aks', account: subscription, location: overrides.location ?? '', resourceGroup, cluster: spec.cluster },
        name: spec.name,
        body: toSdkAgentPool(p),
        estimatedNodes: p.count,
      },
    ],
    equivalentCommand: nodePoolCommand(subscription, resourceGroup, spec.cluster, spec.name, p),
    warnings,
  };
}
