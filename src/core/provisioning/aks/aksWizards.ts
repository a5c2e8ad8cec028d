// The AKS cluster and agent-pool wizards (issue #6, provisioning.md §3): steps as data over a plain state, choices
// loaded through the provider (subscriptions, resource groups, AKS locations, Kubernetes versions, VM sizes and
// their zones in the location), defaults marked, a tree node's answers skipping their steps. Pure.
import type { WizardChoice, WizardStep } from '../../wizard/wizard';
import type { ChoiceItem, ChoiceLoader, ProvisioningWizard, WizardPrefill } from '../provisioning';
import { addressAt, cidrHasAddress, cidrsOverlap, hasHostBits, parseIpv4, parseIpv4Block } from '../cidr';
import {
  CLUSTER_NAME,
  LINUX_POOL_NAME,
  RESOURCE_GROUP_NAME,
  labelKeyProblem,
  taintProblem,
  UPGRADE_CHANNELS,
  type AksClusterSpec,
  type AksNodePoolSpec,
  type ArmAgentPoolProperties,
  type ArmManagedCluster,
  type ArmNetworkProfile,
} from './aksSpecs';

/** One pool's answers (system pool, user pools, the node-pool wizard). */
export interface AksPoolAnswers {
  readonly name?: string;
  readonly vmSize?: string;
  readonly autoscale?: boolean;
  readonly count?: number;
  readonly min?: number;
  readonly max?: number;
  readonly zones?: readonly string[];
  readonly spot?: boolean;
  readonly taints?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
}

export interface AksClusterState {
  readonly subscription?: string;
  readonly resourceGroup?: string;
  readonly newResourceGroup?: boolean;
  /** The picked resource group's location (the default location). */
  readonly resourceGroupLocation?: string;
  readonly name?: string;
  readonly location?: string;
  readonly version?: string;
  readonly tier?: 'Free' | 'Standard' | 'Premium';
  readonly network?: 'overlay' | 'kubenet';
  readonly policy?: 'cilium' | 'calico' | 'azure' | 'none';
  readonly podCidr?: string;
  readonly serviceCidr?: string;
  readonly dnsServiceIP?: string;
  readonly access?: 'restricted' | 'open' | 'private';
  readonly authorizedRanges?: readonly string[];
  readonly identity?: 'SystemAssigned' | 'UserAssigned';
  readonly userIdentityId?: string;
  readonly entra?: 'azureRbac' | 'kubernetesRbac' | 'localOnly';
  readonly workloadIdentity?: boolean;
  readonly upgradeChannel?: string;
  readonly systemPool: AksPoolAnswers;
  /** User pools; `addMore[i]` says whether pool i is wanted (asked for up to {@link MAX_USER_POOLS}). */
  readonly userPools: readonly AksPoolAnswers[];
  readonly addPool: readonly (boolean | undefined)[];
}

export interface AksNodePoolState {
  readonly subscription?: string;
  readonly resourceGroup?: string;
  readonly cluster?: string;
  readonly location?: string;
  readonly version?: string;
  readonly network?: 'overlay' | 'kubenet';
  readonly mode?: 'System' | 'User';
  readonly pool: AksPoolAnswers;
}

/** The user pools the cluster wizard offers (more: add them later with the node-pool wizard). */
export const MAX_USER_POOLS = 3;
const NEW_GROUP = '\u0000new';

const yesNo = (yesLabel: string, noLabel: string, defaultYes: boolean): WizardChoice[] => [
  { label: yesLabel, value: 'yes', isDefault: defaultYes },
  { label: noLabel, value: 'no', isDefault: !defaultYes },
];

const toChoice = (c: ChoiceItem): WizardChoice => ({
  label: c.label ?? c.value,
  value: c.value,
  ...(c.description ? { description: c.description } : {}),
  ...(c.isDefault ? { isDefault: true } : {}),
});

function intInRange(v: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(v.trim())) return undefined;
  const n = Number(v.trim());
  return n >= min && n <= max ? n : undefined;
}

function splitList(v: string): string[] {
  return v
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

/** Why the taint list is not valid, or undefined. */
export function validateTaints(v: string): string | undefined {
  for (const t of splitList(v)) {
    const why = taintProblem(t);
    if (why) return why;
  }
  return undefined;
}

/** "k=v k2=v2" → map, or a reason. */
export function parseLabels(v: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const item of splitList(v)) {
    const i = item.indexOf('=');
    if (i <= 0) return `"${item}" is not key=value.`;
    const key = item.slice(0, i);
    const why = labelKeyProblem(key);
    if (why) return why;
    const value = item.slice(i + 1);
    if (!/^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/.test(value)) return `"${value}" is not a label value.`;
    out[key] = value;
  }
  return out;
}

/** Why a CIDR answer is not acceptable ("10.244.0.0/16"), or undefined. */
function cidrProblem(v: string): string | undefined {
  const c = parseIpv4Block(v);
  if (!c) return 'An IPv4 CIDR such as 10.244.0.0/16.';
  if (hasHostBits(v)) return 'Write the network address (host bits are set).';
  return undefined;
}

/** The DNS service IP we propose: the service CIDR's tenth address (10.0.0.10 for 10.0.0.0/16). */
export function defaultDnsServiceIp(serviceCidr: string): string | undefined {
  const c = parseIpv4Block(serviceCidr);
  return c && c.prefix <= 28 ? addressAt(c, 10) : undefined;
}

/** `<name>-<rg>` trimmed to a valid dnsPrefix (1–54 chars, letters, digits, "-", alphanumeric ends). */
export function defaultDnsPrefix(name: string, resourceGroup: string): string {
  const raw = `${name}-${resourceGroup}`.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 54);
  return raw.replace(/^[^A-Za-z0-9]+/, '').replace(/[^A-Za-z0-9]+$/, '') || 'aks';
}

interface PoolStepOptions<S> {
  readonly prefix: string;
  readonly label: string;
  readonly get: (s: S) => AksPoolAnswers;
  readonly set: (s: S, p: AksPoolAnswers) => S;
  readonly when?: (s: S) => boolean;
  readonly system: (s: S) => boolean;
  readonly params: (s: S) => Record<string, string>;
  /** Names already used by other pools of the same cluster. */
  readonly otherNames: (s: S) => readonly string[];
  readonly defaultName: (s: S) => string;
  readonly askSpot: boolean;
}

/** The steps of one pool: name, VM size, autoscaler, counts, zones, Spot, taints, labels. */
function poolSteps<S>(o: PoolStepOptions<S>, choices: ChoiceLoader): WizardStep<S>[] {
  const when = o.when ?? (() => true);
  const upd = (s: S, patch: Partial<AksPoolAnswers>): S => o.set(s, { ...o.get(s), ...patch });
  const steps: WizardStep<S>[] = [
    {
      id: `${o.prefix}.name`,
      title: `${o.label}: name`,
      kind: 'input',
      prompt: 'Agent pool name (lowercase letters and digits, starts with a letter, at most 12)',
      when,
      value: (s) => o.get(s).name ?? o.defaultName(s),
      validate: (v, s) =>
        !LINUX_POOL_NAME.test(v)
          ? 'Lowercase letters and digits, starting with a letter, at most 12 characters.'
          : o.otherNames(s).includes(v)
            ? `Another pool is already called ${v}.`
            : undefined,
      apply: (s, v) => upd(s, { name: v }),
    },
    {
      id: `${o.prefix}.vmSize`,
      title: `${o.label}: VM size`,
      kind: 'pick',
      placeholder: 'VM sizes available to the subscription in the location',
      when,
      choices: async (s, signal) =>
        (await choices('vmSizes', { ...o.params(s), ...(o.system(s) ? { mode: 'System' } : {}) }, signal)).map(toChoice),
      allowOther: (v) => (/^Standard_[A-Za-z0-9_]+$/.test(v) ? undefined : 'A VM size such as Standard_D4ds_v5.'),
      apply: (s, v) => upd(s, { vmSize: v, zones: undefined }),
    },
    {
      id: `${o.prefix}.autoscale`,
      title: `${o.label}: cluster autoscaler`,
      kind: 'pick',
      when,
      choices: () => yesNo('Autoscale between a minimum and a maximum', 'Fixed node count', true),
      apply: (s, v) => upd(s, { autoscale: v === 'yes', ...(v === 'yes' ? {} : { min: undefined, max: undefined }) }),
    },
    {
      id: `${o.prefix}.min`,
      title: `${o.label}: minimum nodes`,
      kind: 'input',
      prompt: 'Minimum node count',
      when: (s) => when(s) && o.get(s).autoscale === true,
      value: (s) => String(o.get(s).min ?? (o.system(s) ? 2 : 0)),
      validate: (v, s) => {
        const lo = o.system(s) ? 1 : 0;
        return intInRange(v, lo, 1000) === undefined
          ? `A whole number from ${lo} to 1000${lo ? ' (a System pool keeps a node)' : ''}.`
          : undefined;
      },
      apply: (s, v) => upd(s, { min: Number(v) }),
    },
    {
      id: `${o.prefix}.max`,
      title: `${o.label}: maximum nodes`,
      kind: 'input',
      prompt: 'Maximum node count',
      when: (s) => when(s) && o.get(s).autoscale === true,
      value: (s) => String(o.get(s).max ?? Math.max(5, o.get(s).min ?? 0)),
      validate: (v, s) => {
        const n = intInRange(v, 1, 1000);
        const min = o.get(s).min ?? 0;
        if (n === undefined) return 'A whole number from 1 to 1000.';
        return n < min ? `At least the minimum (${min}).` : undefined;
      },
      apply: (s, v) => upd(s, { max: Number(v) }),
    },
    {
      id: `${o.prefix}.count`,
      title: `${o.label}: node count`,
      kind: 'input',
      prompt: 'Nodes to start with',
      when,
      value: (s) => {
        const p = o.get(s);
        const proposed = p.count ?? (o.system(s) ? 3 : 1);
        return String(p.autoscale ? Math.min(Math.max(proposed, p.min ?? 0), p.max ?? proposed) : proposed);
      },
      validate: (v, s) => {
        const p = o.get(s);
        const lo = p.autoscale ? (p.min ?? 0) : o.system(s) ? 1 : 0;
        const hi = p.autoscale ? (p.max ?? 1000) : 1000;
        return intInRange(v, lo, hi) === undefined
          ? `A whole number from ${lo} to ${hi}${p.autoscale ? ' (within the autoscaler bounds)' : ''}.`
          : undefined;
      },
      apply: (s, v) => upd(s, { count: Number(v) }),
    },
    {
      id: `${o.prefix}.zones`,
      title: `${o.label}: availability zones`,
      kind: 'multi',
      placeholder: 'Zones where the VM size is offered (none: no zone spreading)',
      when,
      choices: async (s, signal) => {
        const vmSize = o.get(s).vmSize ?? '';
        const zones = await choices('zones', { ...o.params(s), vmSize }, signal);
        return zones.map((z) => ({ ...toChoice(z), label: `Zone ${z.value}`, picked: true }));
      },
      apply: (s, v) => upd(s, { zones: [...v].sort() }),
    },
  ];
  if (o.askSpot) {
    steps.push({
      id: `${o.prefix}.spot`,
      title: `${o.label}: Spot VMs`,
      kind: 'pick',
      when: (s) => when(s) && !o.system(s),
      choices: () => yesNo('Spot VMs (cheaper, can be evicted)', 'Regular VMs', false),
      apply: (s, v) => upd(s, { spot: v === 'yes' }),
    });
  }
  steps.push(
    {
      id: `${o.prefix}.taints`,
      title: `${o.label}: taints`,
      kind: 'input',
      prompt: 'Node taints, key=value:NoSchedule separated by spaces (empty for none)',
      when,
      value: (s) => (o.get(s).taints ?? (o.system(s) ? [] : [])).join(' '),
      validate: (v) => validateTaints(v),
      apply: (s, v) => upd(s, { taints: splitList(v) }),
    },
    {
      id: `${o.prefix}.labels`,
      title: `${o.label}: labels`,
      kind: 'input',
      prompt: 'Node labels, key=value separated by spaces (empty for none)',
      when,
      value: (s) =>
        Object.entries(o.get(s).labels ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(' '),
      validate: (v) => {
        const r = parseLabels(v);
        return typeof r === 'string' ? r : undefined;
      },
      apply: (s, v) => upd(s, { labels: parseLabels(v) as Record<string, string> }),
    },
  );
  return steps;
}

const SPOT_TAINT = 'kubernetes.azure.com/scalesetpriority=spot:NoSchedule';

/** One pool's answers → the ARM agent pool properties, every value explicit (P1). */
export function toPoolProperties(
  p: AksPoolAnswers,
  mode: 'System' | 'User',
  version: string,
  network: 'overlay' | 'kubenet',
  withName: boolean,
): ArmAgentPoolProperties {
  const spot = mode === 'User' && p.spot === true;
  const taints = [...(p.taints ?? [])];
  if (spot && !taints.some((t) => t.startsWith('kubernetes.azure.com/scalesetpriority=spot:'))) taints.push(SPOT_TAINT);
  return {
    ...(withName ? { name: p.name ?? '' } : {}),
    mode,
    vmSize: p.vmSize ?? '',
    count: p.count ?? 1,
    enableAutoScaling: p.autoscale === true,
    ...(p.autoscale ? { minCount: p.min ?? 0, maxCount: p.max ?? 1 } : {}),
    ...(p.zones?.length ? { availabilityZones: [...p.zones] } : {}),
    osType: 'Linux',
    osSKU: 'AzureLinux',
    osDiskSizeGB: 128,
    osDiskType: 'Managed',
    maxPods: network === 'overlay' ? 250 : 110,
    type: 'VirtualMachineScaleSets',
    scaleSetPriority: spot ? 'Spot' : 'Regular',
    ...(spot ? { scaleSetEvictionPolicy: 'Delete' as const, spotMaxPrice: -1 } : {}),
    nodeLabels: { ...(p.labels ?? {}) },
    nodeTaints: taints,
    orchestratorVersion: version,
    ...(spot ? {} : { upgradeSettings: { maxSurge: '10%' } }),
  };
}

function clusterParams(s: AksClusterState): Record<string, string> {
  return { subscription: s.subscription ?? '', location: s.location ?? '' };
}

/** The cluster wizard's pools by index: 0 is the System pool, 1…{@link MAX_USER_POOLS} the user pools. */
const clusterPoolName = (index: number): string => (index === 0 ? 'system' : `user${index}`);

function clusterPool(s: AksClusterState, index: number): AksPoolAnswers {
  return index === 0 ? s.systemPool : (s.userPools[index - 1] ?? {});
}

function withClusterPool(s: AksClusterState, index: number, p: AksPoolAnswers): AksClusterState {
  if (index === 0) return { ...s, systemPool: p };
  const userPools = [...s.userPools];
  while (userPools.length < index - 1) userPools.push({});
  userPools[index - 1] = p;
  return { ...s, userPools };
}

/** The steps of the cluster wizard's pool `index` (user pools only when their "add" question was answered yes). */
function clusterPoolSteps(index: number, choices: ChoiceLoader): WizardStep<AksClusterState>[] {
  const names = (s: AksClusterState): string[] => [s.systemPool, ...s.userPools].filter((_, i) => i !== index).map((p) => p.name ?? '');
  return poolSteps<AksClusterState>(
    {
      prefix: clusterPoolName(index),
      label: index === 0 ? 'System pool' : `User pool ${index}`,
      ...(index > 0 ? { when: (s: AksClusterState) => s.addPool[index - 1] === true } : {}),
      get: (s) => clusterPool(s, index),
      set: (s, p) => withClusterPool(s, index, p),
      system: () => index === 0,
      params: clusterParams,
      otherNames: names,
      defaultName: () => clusterPoolName(index),
      askSpot: index > 0,
    },
    choices,
  );
}

function clusterSteps(choices: ChoiceLoader): WizardStep<AksClusterState>[] {
  const groupLocations = new Map<string, string>();
  const steps: WizardStep<AksClusterState>[] = [
    {
      id: 'subscription',
      title: 'Subscription',
      kind: 'pick',
      isAnswered: (s) => s.subscription !== undefined,
      choices: async (_s, signal) => (await choices('subscriptions', {}, signal)).map(toChoice),
      apply: (s, v) => ({ ...s, subscription: v }),
    },
    {
      id: 'resourceGroup',
      title: 'Resource group',
      kind: 'pick',
      placeholder: 'An existing resource group, or create one',
      isAnswered: (s) => s.resourceGroup !== undefined && s.newResourceGroup !== true,
      choices: async (s, signal) => {
        const groups = await choices('resourceGroups', { subscription: s.subscription ?? '' }, signal);
        for (const g of groups) if (g.description) groupLocations.set(g.value.toLowerCase(), g.description);
        return [{ label: '$(add) Create a new resource group…', value: NEW_GROUP }, ...groups.map(toChoice)];
      },
      apply: (s, v) =>
        v === NEW_GROUP
          ? { ...s, newResourceGroup: true, resourceGroup: undefined, resourceGroupLocation: undefined }
          : { ...s, newResourceGroup: false, resourceGroup: v, resourceGroupLocation: groupLocations.get(v.toLowerCase()) },
    },
    {
      id: 'newResourceGroup',
      title: 'New resource group',
      kind: 'input',
      prompt: 'Name of the resource group to create (in the cluster location)',
      when: (s) => s.newResourceGroup === true,
      value: (s) => s.resourceGroup ?? (s.name ? `${s.name}-rg` : undefined),
      validate: (v) => (RESOURCE_GROUP_NAME.test(v) ? undefined : '1–90 letters, digits, "_", "-", ".", "(", ")"; must not end with ".".'),
      apply: (s, v) => ({ ...s, resourceGroup: v }),
    },
    {
      id: 'name',
      title: 'Cluster name',
      kind: 'input',
      prompt: 'Cluster name (unique in the resource group)',
      value: (s) => s.name,
      validate: (v) => (CLUSTER_NAME.test(v) ? undefined : '1–63 letters, digits, "_" or "-", starting and ending with a letter or digit.'),
      apply: (s, v) => ({ ...s, name: v }),
    },
    {
      id: 'location',
      title: 'Location',
      kind: 'pick',
      placeholder: 'Azure regions where AKS is offered',
      isAnswered: (s) => s.location !== undefined,
      choices: async (s, signal) => {
        // The group's location is the proposal; a tree node names the group but not its location: look it up.
        let preferred = s.resourceGroupLocation;
        const group = s.resourceGroup;
        if (!preferred && group && !s.newResourceGroup) {
          const groups = await choices('resourceGroups', { subscription: s.subscription ?? '' }, signal);
          preferred = groups.find((g) => g.value.toLowerCase() === group.toLowerCase())?.description;
        }
        return (await choices('locations', { subscription: s.subscription ?? '', ...(preferred ? { preferred } : {}) }, signal)).map(
          toChoice,
        );
      },
      apply: (s, v) => ({ ...s, location: v, version: undefined }),
    },
    {
      id: 'version',
      title: 'Kubernetes version',
      kind: 'pick',
      choices: async (s, signal) => (await choices('versions', clusterParams(s), signal)).map(toChoice),
      allowOther: (v) => (/^\d+\.\d+(\.\d+)?$/.test(v) ? undefined : 'A version such as 1.33.2.'),
      apply: (s, v) => ({ ...s, version: v }),
    },
    {
      id: 'tier',
      title: 'Pricing tier',
      kind: 'pick',
      choices: () => [
        { label: 'Standard', value: 'Standard', description: 'uptime SLA, for production', isDefault: true },
        { label: 'Free', value: 'Free', description: 'no SLA, for development and tests' },
        { label: 'Premium', value: 'Premium', description: 'Standard plus long-term support' },
      ],
      apply: (s, v) => ({ ...s, tier: v as AksClusterState['tier'] }),
    },
    {
      id: 'network',
      title: 'Network plugin',
      kind: 'pick',
      choices: () => [
        { label: 'Azure CNI overlay', value: 'overlay', description: 'pods get addresses from a private pod CIDR', isDefault: true },
        { label: 'kubenet', value: 'kubenet', description: 'being retired for AKS: not for new clusters' },
      ],
      apply: (s, v) => ({ ...s, network: v as 'overlay' | 'kubenet', policy: undefined }),
    },
    {
      id: 'policy',
      title: 'Network policy',
      kind: 'pick',
      choices: (s) =>
        s.network === 'kubenet'
          ? [
              { label: 'Calico', value: 'calico', isDefault: true },
              { label: 'None', value: 'none' },
            ]
          : [
              { label: 'Cilium', value: 'cilium', description: 'Azure CNI powered by Cilium (dataplane and policy)', isDefault: true },
              { label: 'Calico', value: 'calico' },
              { label: 'Azure Network Policy Manager', value: 'azure' },
              { label: 'None', value: 'none' },
            ],
      apply: (s, v) => ({ ...s, policy: v as AksClusterState['policy'] }),
    },
    {
      id: 'podCidr',
      title: 'Pod CIDR',
      kind: 'input',
      prompt: 'Private range for pod addresses',
      value: (s) => s.podCidr ?? '10.244.0.0/16',
      validate: cidrProblem,
      apply: (s, v) => ({ ...s, podCidr: v }),
    },
    {
      id: 'serviceCidr',
      title: 'Service CIDR',
      kind: 'input',
      prompt: 'Range for Service cluster IPs (must not overlap the pod CIDR)',
      value: (s) => s.serviceCidr ?? '10.0.0.0/16',
      validate: (v, s) => {
        const why = cidrProblem(v);
        if (why) return why;
        const c = parseIpv4Block(v)!;
        if (c.prefix < 12) return 'At most a /12.';
        if (c.prefix > 28) return 'At least a /28.';
        const pod = s.podCidr ? parseIpv4Block(s.podCidr) : undefined;
        return pod && cidrsOverlap(pod, c) ? `Overlaps the pod CIDR ${s.podCidr}.` : undefined;
      },
      apply: (s, v) => ({ ...s, serviceCidr: v, dnsServiceIP: defaultDnsServiceIp(v) }),
    },
    {
      id: 'dnsServiceIP',
      title: 'DNS service IP',
      kind: 'input',
      prompt: 'Cluster DNS address inside the service CIDR (not its first address)',
      value: (s) => s.dnsServiceIP ?? defaultDnsServiceIp(s.serviceCidr ?? '10.0.0.0/16'),
      validate: (v, s) => {
        const ip = parseIpv4(v.trim());
        const svc = parseIpv4Block(s.serviceCidr ?? '');
        if (ip === undefined) return 'An IPv4 address such as 10.0.0.10.';
        if (svc && !cidrHasAddress(svc, ip)) return `Inside the service CIDR ${s.serviceCidr ?? ''}.`;
        if (svc && ip - svc.first < 2n) return 'Not the network or first address of the service CIDR.';
        return undefined;
      },
      apply: (s, v) => ({ ...s, dnsServiceIP: v }),
    },
    {
      id: 'access',
      title: 'API server access',
      kind: 'pick',
      choices: () => [
        { label: 'Public, from authorized IP ranges only', value: 'restricted', isDefault: true },
        { label: 'Public, from anywhere', value: 'open' },
        { label: 'Private cluster (VNet only)', value: 'private' },
      ],
      apply: (s, v) => ({ ...s, access: v as AksClusterState['access'], ...(v === 'restricted' ? {} : { authorizedRanges: [] }) }),
    },
    {
      id: 'authorizedRanges',
      title: 'Authorized IP ranges',
      kind: 'input',
      prompt: 'CIDRs or addresses allowed to reach the API server, separated by spaces (e.g. your egress IP/32)',
      when: (s) => s.access === 'restricted',
      value: (s) => (s.authorizedRanges ?? []).join(' '),
      validate: (v) => {
        const items = splitList(v);
        if (!items.length) return 'At least one range (or choose "Public, from anywhere").';
        const bad = items.find((x) => parseIpv4(x.trim()) === undefined && cidrProblem(x) !== undefined);
        return bad ? `"${bad}" is not an IPv4 address or CIDR.` : undefined;
      },
      apply: (s, v) => ({ ...s, authorizedRanges: splitList(v) }),
    },
    {
      id: 'identity',
      title: 'Cluster identity',
      kind: 'pick',
      choices: () => [
        { label: 'System-assigned managed identity', value: 'SystemAssigned', isDefault: true },
        { label: 'User-assigned managed identity…', value: 'UserAssigned' },
      ],
      apply: (s, v) => ({ ...s, identity: v as AksClusterState['identity'] }),
    },
    {
      id: 'userIdentityId',
      title: 'User-assigned identity',
      kind: 'input',
      prompt: 'Resource id of the identity (/subscriptions/…/providers/Microsoft.ManagedIdentity/userAssignedIdentities/NAME)',
      when: (s) => s.identity === 'UserAssigned',
      value: (s) => s.userIdentityId,
      validate: (v) =>
        /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/[^/]+$/i.test(v)
          ? undefined
          : 'A user-assigned identity resource id.',
      apply: (s, v) => ({ ...s, userIdentityId: v }),
    },
    {
      id: 'entra',
      title: 'Entra ID integration',
      kind: 'pick',
      choices: () => [
        { label: 'Entra ID with Azure RBAC, local accounts disabled', value: 'azureRbac', isDefault: true },
        { label: 'Entra ID with Kubernetes RBAC, local accounts disabled', value: 'kubernetesRbac' },
        { label: 'Local accounts only (no Entra ID)', value: 'localOnly', description: 'a shared admin credential' },
      ],
      apply: (s, v) => ({ ...s, entra: v as AksClusterState['entra'] }),
    },
    {
      id: 'workloadIdentity',
      title: 'Workload identity',
      kind: 'pick',
      choices: () => yesNo('Enable the OIDC issuer and workload identity', 'OIDC issuer only', true),
      apply: (s, v) => ({ ...s, workloadIdentity: v === 'yes' }),
    },
    {
      id: 'upgradeChannel',
      title: 'Automatic upgrades',
      kind: 'pick',
      choices: () =>
        UPGRADE_CHANNELS.map((c) => ({
          label: c,
          value: c,
          ...(c === 'patch' ? { isDefault: true, description: 'latest patch of the same minor' } : {}),
        })),
      apply: (s, v) => ({ ...s, upgradeChannel: v }),
    },
  ];
  steps.push(...clusterPoolSteps(0, choices));
  for (let i = 0; i < MAX_USER_POOLS; i++) {
    steps.push({
      id: `addPool${i + 1}`,
      title: i === 0 ? 'User pools' : `Another user pool`,
      kind: 'pick',
      when: (s) => i === 0 || s.addPool[i - 1] === true,
      choices: () => yesNo(i === 0 ? 'Add a user pool' : 'Add another user pool', i === 0 ? 'System pool only' : 'No more pools', false),
      apply: (s, v) => {
        const addPool = [...s.addPool];
        addPool[i] = v === 'yes';
        for (let j = i + 1; j < MAX_USER_POOLS; j++) addPool[j] = undefined;
        return { ...s, addPool };
      },
    });
    steps.push(...clusterPoolSteps(i + 1, choices));
  }
  return steps;
}

function networkProfile(s: AksClusterState): ArmNetworkProfile {
  const overlay = s.network !== 'kubenet';
  const policy = s.policy ?? (overlay ? 'cilium' : 'calico');
  const serviceCidr = s.serviceCidr ?? '10.0.0.0/16';
  return {
    networkPlugin: overlay ? 'azure' : 'kubenet',
    ...(overlay ? { networkPluginMode: 'overlay' as const } : {}),
    networkPolicy: policy,
    networkDataplane: policy === 'cilium' ? 'cilium' : 'azure',
    podCidr: s.podCidr ?? '10.244.0.0/16',
    serviceCidr,
    dnsServiceIP: s.dnsServiceIP ?? defaultDnsServiceIp(serviceCidr) ?? '10.0.0.10',
    outboundType: 'loadBalancer',
    loadBalancerSku: 'standard',
  };
}

/** The cluster wizard's final state → the spec the file holds (every value explicit). */
export function clusterStateToSpec(s: AksClusterState): AksClusterSpec {
  const name = s.name ?? '';
  const rg = s.resourceGroup ?? '';
  const version = s.version ?? '';
  const network = s.network ?? 'overlay';
  const entra = s.entra ?? 'azureRbac';
  const access = s.access ?? 'restricted';
  const pools: ArmAgentPoolProperties[] = [];
  for (let index = 0; index <= s.userPools.length; index++)
    if (index === 0 || s.addPool[index - 1] === true)
      pools.push(
        toPoolProperties(
          { name: clusterPoolName(index), ...clusterPool(s, index) },
          index === 0 ? 'System' : 'User',
          version,
          network,
          true,
        ),
      );
  const resource: ArmManagedCluster = {
    name,
    location: s.location ?? '',
    sku: { name: 'Base', tier: s.tier ?? 'Standard' },
    identity:
      s.identity === 'UserAssigned' && s.userIdentityId
        ? { type: 'UserAssigned', userAssignedIdentities: { [s.userIdentityId]: {} } }
        : { type: 'SystemAssigned' },
    properties: {
      kubernetesVersion: version,
      dnsPrefix: defaultDnsPrefix(name, rg),
      agentPoolProfiles: pools,
      networkProfile: networkProfile(s),
      enableRBAC: true,
      ...(entra === 'localOnly'
        ? { disableLocalAccounts: false }
        : { aadProfile: { managed: true, enableAzureRBAC: entra === 'azureRbac' }, disableLocalAccounts: true }),
      apiServerAccessProfile:
        access === 'private'
          ? { enablePrivateCluster: true }
          : { enablePrivateCluster: false, authorizedIPRanges: access === 'restricted' ? [...(s.authorizedRanges ?? [])] : [] },
      oidcIssuerProfile: { enabled: true },
      securityProfile: { workloadIdentity: { enabled: s.workloadIdentity ?? true } },
      autoUpgradeProfile: { upgradeChannel: s.upgradeChannel ?? 'patch', nodeOSUpgradeChannel: 'NodeImage' },
      supportPlan: 'KubernetesOfficial',
    },
  };
  return {
    ...(s.subscription ? { subscription: s.subscription } : {}),
    ...(rg ? { resourceGroup: rg } : {}),
    createResourceGroup: s.newResourceGroup === true,
    resource,
  };
}

export const aksClusterWizard: ProvisioningWizard<AksClusterState, AksClusterSpec> = {
  title: 'New AKS Cluster',
  steps: clusterSteps,
  initial: (prefill: WizardPrefill): AksClusterState => ({
    ...(prefill.account ? { subscription: prefill.account } : {}),
    ...(prefill.resourceGroup ? { resourceGroup: prefill.resourceGroup, newResourceGroup: false } : {}),
    ...(prefill.location ? { location: prefill.location } : {}),
    systemPool: {},
    userPools: [],
    addPool: [],
  }),
  toSpec: clusterStateToSpec,
  fileName: (spec) => `clusters/${spec.resource.name}.aks.json`,
};

/** The cluster pick of the node-pool wizard: value "resourceGroup/cluster"; the loaded item says location and version. */
function nodePoolSteps(choices: ChoiceLoader): WizardStep<AksNodePoolState>[] {
  const clusters = new Map<string, ChoiceItem & { location?: string; version?: string; network?: string }>();
  const params = (s: AksNodePoolState): Record<string, string> => ({ subscription: s.subscription ?? '', location: s.location ?? '' });
  return [
    {
      id: 'subscription',
      title: 'Subscription',
      kind: 'pick',
      isAnswered: (s) => s.subscription !== undefined,
      choices: async (_s, signal) => (await choices('subscriptions', {}, signal)).map(toChoice),
      apply: (s, v) => ({ ...s, subscription: v }),
    },
    {
      id: 'cluster',
      title: 'Cluster',
      kind: 'pick',
      // A tree node names the cluster but not its location and version: the step then only confirms it.
      isAnswered: (s) => s.cluster !== undefined && s.location !== undefined && s.version !== undefined,
      choices: async (s, signal) => {
        const items = await choices('clusters', { subscription: s.subscription ?? '' }, signal);
        for (const c of items) clusters.set(c.value, c);
        const prefilled = s.cluster && s.resourceGroup ? `${s.resourceGroup}/${s.cluster}`.toLowerCase() : undefined;
        return items.map((c) => ({ ...toChoice(c), isDefault: prefilled ? c.value.toLowerCase() === prefilled : c.isDefault === true }));
      },
      apply: (s, v) => {
        const c = clusters.get(v);
        const [rg, name] = v.split('/') as [string, string];
        // The loader's description is "location · version · network" (see the provider's "clusters" query).
        const [location, version, network] = (c?.description ?? '').split(' · ');
        return {
          ...s,
          resourceGroup: rg,
          cluster: name,
          ...(location ? { location } : {}),
          ...(version ? { version } : {}),
          network: network === 'kubenet' ? 'kubenet' : 'overlay',
        };
      },
    },
    {
      id: 'mode',
      title: 'Mode',
      kind: 'pick',
      choices: () => [
        { label: 'User', value: 'User', description: 'application workloads', isDefault: true },
        { label: 'System', value: 'System', description: 'system pods (CoreDNS, metrics-server…)' },
      ],
      apply: (s, v) => ({ ...s, mode: v as 'System' | 'User' }),
    },
    ...poolSteps<AksNodePoolState>(
      {
        prefix: 'pool',
        label: 'Agent pool',
        get: (s) => s.pool,
        set: (s, p) => ({ ...s, pool: p }),
        system: (s) => s.mode === 'System',
        params,
        otherNames: () => [],
        defaultName: () => 'user1',
        askSpot: true,
      },
      choices,
    ),
  ];
}

export function nodePoolStateToSpec(s: AksNodePoolState): AksNodePoolSpec {
  const mode = s.mode ?? 'User';
  return {
    ...(s.subscription ? { subscription: s.subscription } : {}),
    ...(s.resourceGroup ? { resourceGroup: s.resourceGroup } : {}),
    cluster: s.cluster ?? '',
    name: s.pool.name ?? 'user1',
    properties: toPoolProperties(s.pool, mode, s.version ?? '', s.network ?? 'overlay', false),
  };
}

export const aksNodePoolWizard: ProvisioningWizard<AksNodePoolState, AksNodePoolSpec> = {
  title: 'New AKS Agent Pool',
  steps: nodePoolSteps,
  initial: (prefill: WizardPrefill): AksNodePoolState => ({
    ...(prefill.account ? { subscription: prefill.account } : {}),
    ...(prefill.resourceGroup ? { resourceGroup: prefill.resourceGroup } : {}),
    ...(prefill.cluster ? { cluster: prefill.cluster } : {}),
    ...(prefill.location ? { location: prefill.location } : {}),
    pool: {},
  }),
  toSpec: nodePoolStateToSpec,
  fileName: (spec) => `clusters/${spec.cluster}.${spec.name}.aks-pool.json`,
};
