// The GKE cluster and node-pool wizards as data (core/wizard/wizard.ts). Choices come from the provider's
// `choices` queries: projects, locations, zones, channels, versions, imageTypes, machineTypes, networks,
// subnetworks, clusters. Every value the spec gets is explicit (provisioning.md P1).
import type { WizardChoice, WizardStep } from '../../wizard/wizard';
import { parseIpv4Block } from '../cidr';
import type { ChoiceItem, ChoiceLoader, ProvisioningWizard, WizardPrefill } from '../provisioning';
import {
  checkGkeName,
  checkKubeLabelKey,
  checkKubeLabelValue,
  checkResourceLabel,
  diskTypes,
  gcpProjectPattern,
  isGkeRegion,
  isGkeZone,
  readClusterFile,
  regionOf,
  type GkeCluster,
  type GkeClusterSpec,
  type GkeNodePool,
  type GkeNodePoolSpec,
  type GkeTaint,
} from './gkeSpec';

/** Answers for one node pool (shared by both wizards). */
export interface GkePoolAnswers {
  readonly name?: string;
  readonly machineType?: string;
  readonly diskSizeGb?: number;
  readonly diskType?: string;
  readonly imageType?: string;
  readonly spot?: boolean;
  readonly autoscaling?: boolean;
  /** Nodes per zone. */
  readonly nodeCount?: number;
  readonly min?: number;
  readonly max?: number;
  /** Node zones; empty = the cluster's. */
  readonly zones?: readonly string[];
  /** "key=value,…" */
  readonly labels?: string;
  /** "key=value:NoSchedule,…" */
  readonly taints?: string;
}

export interface GkeClusterState {
  readonly project?: string;
  readonly mode?: 'standard' | 'autopilot';
  readonly name?: string;
  readonly location?: string;
  /** A release channel name, or "NONE" (pin a version). */
  readonly channel?: string;
  readonly version?: string;
  readonly network?: string;
  readonly subnetwork?: string;
  readonly privateNodes?: boolean;
  /** "" = GKE chooses. */
  readonly masterCidr?: string;
  readonly podRange?: string;
  readonly servicesRange?: string;
  /** Comma-separated CIDRs; "" = authorized networks off. */
  readonly authorizedNetworks?: string;
  readonly workloadIdentity?: boolean;
  readonly dataplaneV2?: boolean;
  /** Resource labels "key=value,…". */
  readonly labels?: string;
  readonly pool: GkePoolAnswers;
}

export interface GkeNodePoolState {
  readonly project?: string;
  readonly location?: string;
  readonly cluster?: string;
  /** Whether the target cluster is on a release channel (node auto-upgrade then stays on); from the clusters query. */
  readonly pool: GkePoolAnswers;
}

// ---- parsing helpers (also used to validate as the user types) ----

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** "a=b,c=d" → map, or a message. `check` validates one pair. */
export function parseKeyValues(
  text: string,
  check: (k: string, v: string) => string | undefined,
): { map?: Record<string, string>; error?: string } {
  const map: Record<string, string> = {};
  for (const item of splitList(text)) {
    const eq = item.indexOf('=');
    const key = eq >= 0 ? item.slice(0, eq).trim() : item;
    const value = eq >= 0 ? item.slice(eq + 1).trim() : '';
    if (eq < 0) return { error: `"${item}" is not key=value.` };
    if (key in map) return { error: `${key} is given twice.` };
    const msg = check(key, value);
    if (msg) return { error: msg };
    map[key] = value;
  }
  return { map };
}

const effects: Record<string, GkeTaint['effect']> = {
  noschedule: 'NO_SCHEDULE',
  no_schedule: 'NO_SCHEDULE',
  prefernoschedule: 'PREFER_NO_SCHEDULE',
  prefer_no_schedule: 'PREFER_NO_SCHEDULE',
  noexecute: 'NO_EXECUTE',
  no_execute: 'NO_EXECUTE',
};

/** "key=value:NoSchedule,…" (kubectl syntax; the API's NO_SCHEDULE too) → taints, or a message. */
export function parseTaints(text: string): { taints?: GkeTaint[]; error?: string } {
  const taints: GkeTaint[] = [];
  for (const item of splitList(text)) {
    const m = /^([^=:]+)(?:=([^:]*))?:([A-Za-z_]+)$/.exec(item);
    if (!m) return { error: `"${item}" is not key=value:Effect (e.g. dedicated=batch:NoSchedule).` };
    const [, key = '', value = '', effect = ''] = m;
    const e = effects[effect.toLowerCase()];
    if (!e) return { error: `"${effect}" is not NoSchedule, PreferNoSchedule or NoExecute.` };
    const msg = checkKubeLabelKey(key.trim()) ?? checkKubeLabelValue(value.trim());
    if (msg) return { error: msg };
    taints.push({ key: key.trim(), value: value.trim(), effect: e });
  }
  return { taints };
}

function checkCidrList(text: string): string | undefined {
  for (const item of splitList(text)) if (!parseIpv4Block(item)) return `"${item}" is not an IPv4 CIDR block such as 203.0.113.7/32.`;
  return undefined;
}

function checkCount(text: string, what: string, min: number, max: number): string | undefined {
  if (!/^\d+$/.test(text.trim())) return `${what} must be a whole number.`;
  const n = Number(text);
  return n < min || n > max ? `${what} must be from ${min} to ${max}.` : undefined;
}

const toChoice = (c: ChoiceItem): WizardChoice => ({
  label: c.label ?? c.value,
  value: c.value,
  ...(c.description ? { description: c.description } : {}),
  ...(c.isDefault ? { isDefault: true } : {}),
});

const yesNo = (yesLabel: string, noLabel: string, yesDefault: boolean): WizardChoice[] => [
  { label: yesLabel, value: 'yes', ...(yesDefault ? { isDefault: true } : {}) },
  { label: noLabel, value: 'no', ...(!yesDefault ? { isDefault: true } : {}) },
];

// ---- node pool steps (shared) ----

interface PoolHost {
  readonly project?: string;
  readonly location?: string;
  /** The existing cluster a node pool goes into (its node zones bound the pool's). */
  readonly cluster?: string;
  readonly pool: GkePoolAnswers;
}

function poolSteps<S extends PoolHost>(choices: ChoiceLoader, opts: { defaultName: string; when?: (s: S) => boolean }): WizardStep<S>[] {
  const set = (s: S, patch: Partial<GkePoolAnswers>): S => ({ ...s, pool: { ...s.pool, ...patch } });
  const base = { project: '', location: '' };
  const params = (s: S) => ({
    ...base,
    project: s.project ?? '',
    location: s.location ?? '',
    ...(s.cluster ? { cluster: s.cluster } : {}),
  });
  const when = opts.when ?? (() => true);
  return [
    {
      id: 'poolName',
      title: 'Node pool name',
      kind: 'input',
      when,
      prompt: 'Name of the node pool (lowercase letters, digits, hyphens; at most 40)',
      value: (s) => s.pool.name ?? opts.defaultName,
      validate: (v) => checkGkeName(v, 'The node pool name'),
      apply: (s, v) => set(s, { name: v }),
    },
    {
      id: 'zones',
      title: 'Node zones',
      kind: 'multi',
      when: (s) => when(s) && isGkeRegion(s.location ?? ''),
      placeholder: "Zones for the nodes (a new cluster: the region's zones; a new pool: the cluster's node zones)",
      choices: async (s, signal) =>
        (await choices('zones', { ...params(s), region: regionOf(s.location ?? '') }, signal)).map((c) => ({
          ...toChoice(c),
          picked: s.pool.zones ? s.pool.zones.includes(c.value) : true,
        })),
      validate: (v) => (v.length === 0 ? 'Pick at least one zone.' : undefined),
      apply: (s, v) => set(s, { zones: v }),
    },
    {
      id: 'machineType',
      title: 'Machine type',
      kind: 'pick',
      when,
      placeholder: 'Machine types offered in every zone of the location',
      // Offered in every zone the nodes go to.
      choices: async (s, signal) =>
        (await choices('machineTypes', { ...params(s), ...(s.pool.zones?.length ? { zones: s.pool.zones.join(',') } : {}) }, signal)).map(
          toChoice,
        ),
      allowOther: (v) => (/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(v) ? undefined : 'Type a machine type such as e2-standard-4.'),
      apply: (s, v) => set(s, { machineType: v }),
    },
    {
      id: 'imageType',
      title: 'Node image',
      kind: 'pick',
      when,
      choices: async (s, signal) => (await choices('imageTypes', params(s), signal)).map(toChoice),
      apply: (s, v) => set(s, { imageType: v }),
    },
    {
      id: 'diskType',
      title: 'Boot disk type',
      kind: 'pick',
      when,
      choices: () => diskTypes.map((d) => ({ label: d, value: d, ...(d === 'pd-balanced' ? { isDefault: true } : {}) })),
      apply: (s, v) => set(s, { diskType: v }),
    },
    {
      id: 'diskSize',
      title: 'Boot disk size (GB)',
      kind: 'input',
      when,
      prompt: 'Boot disk size in GB (at least 10)',
      value: (s) => String(s.pool.diskSizeGb ?? 100),
      validate: (v) => checkCount(v, 'The disk size', 10, 65536),
      apply: (s, v) => set(s, { diskSizeGb: Number(v) }),
    },
    {
      id: 'spot',
      title: 'Spot VMs',
      kind: 'pick',
      when,
      choices: () => yesNo('Spot VMs (cheaper, may be reclaimed)', 'Standard VMs', false),
      apply: (s, v) => set(s, { spot: v === 'yes' }),
    },
    {
      id: 'autoscaling',
      title: 'Autoscaling',
      kind: 'pick',
      when,
      choices: () => yesNo('Autoscale (per zone minimum and maximum)', 'Fixed size', true),
      apply: (s, v) => set(s, { autoscaling: v === 'yes' }),
    },
    {
      id: 'nodeCount',
      title: 'Nodes per zone',
      kind: 'input',
      when,
      prompt: 'Initial nodes per zone',
      value: (s) => String(s.pool.nodeCount ?? 1),
      validate: (v) => checkCount(v, 'The node count', 0, 1000),
      apply: (s, v) => set(s, { nodeCount: Number(v) }),
    },
    {
      id: 'minNodes',
      title: 'Minimum nodes per zone',
      kind: 'input',
      when: (s) => when(s) && s.pool.autoscaling === true,
      prompt: 'Minimum nodes per zone (at most the initial count)',
      value: (s) => String(s.pool.min ?? Math.min(1, s.pool.nodeCount ?? 1)),
      validate: (v, s) =>
        checkCount(v, 'The minimum', 0, 1000) ??
        (Number(v) > (s.pool.nodeCount ?? 0) ? `The minimum must not exceed the initial count (${s.pool.nodeCount ?? 0}).` : undefined),
      apply: (s, v) => set(s, { min: Number(v) }),
    },
    {
      id: 'maxNodes',
      title: 'Maximum nodes per zone',
      kind: 'input',
      when: (s) => when(s) && s.pool.autoscaling === true,
      prompt: 'Maximum nodes per zone (at least the initial count, at least 1)',
      value: (s) => String(s.pool.max ?? Math.max(3, s.pool.nodeCount ?? 1)),
      validate: (v, s) =>
        checkCount(v, 'The maximum', 1, 1000) ??
        (Number(v) < Math.max(s.pool.min ?? 0, s.pool.nodeCount ?? 0)
          ? `The maximum must be at least the initial count (${s.pool.nodeCount ?? 0}) and the minimum (${s.pool.min ?? 0}).`
          : undefined),
      apply: (s, v) => set(s, { max: Number(v) }),
    },
    {
      id: 'nodeLabels',
      title: 'Node labels',
      kind: 'input',
      when,
      prompt: 'Kubernetes labels on the nodes, key=value separated by commas (empty for none)',
      value: (s) => s.pool.labels ?? '',
      validate: (v) => parseKeyValues(v, (k, val) => checkKubeLabelKey(k) ?? checkKubeLabelValue(val)).error,
      apply: (s, v) => set(s, { labels: v.trim() }),
    },
    {
      id: 'taints',
      title: 'Node taints',
      kind: 'input',
      when,
      prompt: 'Taints, key=value:NoSchedule|PreferNoSchedule|NoExecute separated by commas (empty for none)',
      value: (s) => s.pool.taints ?? '',
      validate: (v) => parseTaints(v).error,
      apply: (s, v) => set(s, { taints: v.trim() }),
    },
  ];
}

/** The NodePool for the answers; `onChannel` keeps node auto-upgrade on (required on release channels). */
export function poolFromAnswers(a: GkePoolAnswers, defaultName: string): GkeNodePool {
  const labels = parseKeyValues(a.labels ?? '', () => undefined).map ?? {};
  const taints = parseTaints(a.taints ?? '').taints ?? [];
  const count = a.nodeCount ?? 1;
  return {
    name: a.name ?? defaultName,
    initialNodeCount: count,
    ...(a.zones && a.zones.length > 0 ? { locations: [...a.zones] } : {}),
    config: {
      machineType: a.machineType ?? 'e2-medium',
      diskSizeGb: a.diskSizeGb ?? 100,
      diskType: a.diskType ?? 'pd-balanced',
      imageType: a.imageType ?? 'COS_CONTAINERD',
      spot: a.spot ?? false,
      labels,
      taints,
    },
    autoscaling:
      a.autoscaling === false
        ? { enabled: false }
        : {
            enabled: true,
            minNodeCount: a.min ?? Math.min(1, count),
            maxNodeCount: a.max ?? Math.max(3, count),
            locationPolicy: 'BALANCED',
          },
    management: { autoUpgrade: true, autoRepair: true },
    maxPodsConstraint: { maxPodsPerNode: 110 },
    upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
  };
}

// ---- shared first steps ----

function projectStep<S extends { readonly project?: string }>(choices: ChoiceLoader): WizardStep<S> {
  return {
    id: 'project',
    title: 'Project',
    kind: 'pick',
    isAnswered: (s) => s.project !== undefined,
    // "accounts": the host answers it from the provider's account listing (the provider answers it too).
    choices: async (_s, signal) => (await choices('accounts', {}, signal)).map(toChoice),
    allowOther: (v) => (gcpProjectPattern.test(v) ? undefined : 'Type a project id (6–30 lowercase letters, digits, hyphens).'),
    apply: (s, v) => ({ ...s, project: v }),
  };
}

// ---- the cluster wizard ----

function clusterSteps(choices: ChoiceLoader): WizardStep<GkeClusterState>[] {
  const standard = (s: GkeClusterState) => s.mode !== 'autopilot';
  const params = (s: GkeClusterState) => ({ project: s.project ?? '', location: s.location ?? '' });
  return [
    projectStep<GkeClusterState>(choices),
    {
      id: 'mode',
      title: 'Mode',
      kind: 'pick',
      choices: () => [
        { label: 'Standard', value: 'standard', description: 'you manage node pools', isDefault: true },
        { label: 'Autopilot', value: 'autopilot', description: 'GKE manages nodes; regional; billed by Pod requests' },
      ],
      apply: (s, v) => ({ ...s, mode: v === 'autopilot' ? 'autopilot' : 'standard' }),
    },
    {
      id: 'name',
      title: 'Cluster name',
      kind: 'input',
      prompt: 'Cluster name (lowercase letters, digits, hyphens; at most 40)',
      value: (s) => s.name,
      validate: (v) => checkGkeName(v, 'The cluster name'),
      apply: (s, v) => ({ ...s, name: v }),
    },
    {
      id: 'location',
      title: 'Location',
      kind: 'pick',
      isAnswered: (s) => s.location !== undefined && (standard(s) || isGkeRegion(s.location)),
      placeholder: 'A region (replicated control plane) or a zone (one control plane)',
      choices: async (s, signal) =>
        (await choices('locations', { project: s.project ?? '', ...(standard(s) ? {} : { regionsOnly: 'true' }) }, signal)).map(toChoice),
      allowOther: (v, s) =>
        isGkeRegion(v) || (isGkeZone(v) && standard(s)) ? undefined : standard(s) ? 'Type a region or zone.' : 'Autopilot needs a region.',
      apply: (s, v) => ({ ...s, location: v }),
    },
    {
      id: 'channel',
      title: 'Release channel',
      kind: 'pick',
      choices: async (s, signal) => {
        const items = (await choices('channels', params(s), signal)).map(toChoice);
        return standard(s) ? [...items, { label: 'No channel', value: 'NONE', description: 'pin a version; you upgrade it' }] : items;
      },
      apply: (s, v) => ({ ...s, channel: v }),
    },
    {
      id: 'version',
      title: 'Kubernetes version',
      kind: 'pick',
      when: (s) => s.channel === 'NONE',
      choices: async (s, signal) => (await choices('versions', params(s), signal)).map(toChoice),
      apply: (s, v) => ({ ...s, version: v }),
    },
    {
      id: 'network',
      title: 'VPC network',
      kind: 'pick',
      choices: async (s, signal) => (await choices('networks', { project: s.project ?? '' }, signal)).map(toChoice),
      apply: (s, v) => ({ ...s, network: v, subnetwork: s.network === v ? s.subnetwork : undefined }),
    },
    {
      id: 'subnetwork',
      title: 'Subnetwork',
      kind: 'pick',
      choices: async (s, signal) =>
        (
          await choices('subnetworks', { project: s.project ?? '', region: regionOf(s.location ?? ''), network: s.network ?? '' }, signal)
        ).map(toChoice),
      apply: (s, v) => ({ ...s, subnetwork: v }),
    },
    {
      id: 'podRange',
      title: 'Pod address range',
      kind: 'input',
      when: standard,
      prompt: 'Pod range: a CIDR (10.4.0.0/14), a size (/14), or empty for GKE to choose',
      value: (s) => s.podRange ?? '',
      validate: (v) => checkRange(v, 'pod'),
      apply: (s, v) => ({ ...s, podRange: v.trim() }),
    },
    {
      id: 'servicesRange',
      title: 'Service address range',
      kind: 'input',
      when: standard,
      prompt: 'Service range: a CIDR (10.8.0.0/20), a size (/20), or empty for GKE to choose',
      value: (s) => s.servicesRange ?? '',
      validate: (v, s) => checkRange(v, 'service') ?? overlapMessage(s, { servicesRange: v.trim() }),
      apply: (s, v) => ({ ...s, servicesRange: v.trim() }),
    },
    {
      id: 'privateNodes',
      title: 'Private nodes',
      kind: 'pick',
      choices: () => yesNo('Private nodes (no public IPs on nodes)', 'Public nodes', true),
      apply: (s, v) => ({ ...s, privateNodes: v === 'yes' }),
    },
    {
      id: 'masterCidr',
      title: 'Control-plane range',
      kind: 'input',
      when: (s) => standard(s) && s.privateNodes === true,
      prompt: 'A /28 for the control plane (peering-based private clusters), or empty for GKE to choose',
      value: (s) => s.masterCidr ?? '',
      validate: (v, s) => {
        const t = v.trim();
        if (!t) return undefined;
        const c = parseIpv4Block(t);
        if (!c) return `"${t}" is not an IPv4 CIDR block.`;
        if (c.prefix !== 28) return 'The control-plane range must be a /28.';
        return overlapMessage(s, { masterCidr: t });
      },
      apply: (s, v) => ({ ...s, masterCidr: v.trim() }),
    },
    {
      id: 'authorizedNetworks',
      title: 'Authorized networks',
      kind: 'input',
      prompt: 'CIDRs allowed to reach the control plane, separated by commas (e.g. your address/32); empty for any',
      value: (s) => s.authorizedNetworks ?? '',
      validate: (v) => checkCidrList(v),
      apply: (s, v) => ({ ...s, authorizedNetworks: splitList(v).join(',') }),
    },
    {
      id: 'workloadIdentity',
      title: 'Workload Identity',
      kind: 'pick',
      when: standard,
      choices: () => yesNo('Workload Identity on', 'Off', true),
      apply: (s, v) => ({ ...s, workloadIdentity: v === 'yes' }),
    },
    {
      id: 'dataplaneV2',
      title: 'Dataplane V2',
      kind: 'pick',
      when: standard,
      choices: () => yesNo('Dataplane V2 (eBPF, network policy built in)', 'Legacy dataplane', true),
      apply: (s, v) => ({ ...s, dataplaneV2: v === 'yes' }),
    },
    ...poolSteps<GkeClusterState>(choices, { defaultName: 'default-pool', when: standard }),
    {
      id: 'labels',
      title: 'Resource labels',
      kind: 'input',
      prompt: 'Labels on the cluster, key=value separated by commas (lowercase; empty for none)',
      value: (s) => s.labels ?? '',
      validate: (v) => parseKeyValues(v, checkResourceLabel).error,
      apply: (s, v) => ({ ...s, labels: v.trim() }),
    },
  ];
}

function checkRange(v: string, what: string): string | undefined {
  const t = v.trim();
  if (!t || /^\/\d{1,2}$/.test(t)) return undefined;
  return parseIpv4Block(t) ? undefined : `"${t}" is not a CIDR block or a /size for the ${what} range.`;
}

/** The overlap message the file reader would give, run on the spec the answers make (validation as you type). */
function overlapMessage(s: GkeClusterState, patch: Partial<GkeClusterState>): string | undefined {
  const next = { ...s, ...patch, name: s.name ?? 'x', project: s.project ?? 'project-x', location: s.location ?? 'us-central1' };
  const spec = clusterSpec(next);
  const { problems } = readClusterFile({ parent: `projects/${spec.project}/locations/${spec.location}`, cluster: spec.cluster });
  return problems.find((p) => p.severity === 'error' && /overlaps/.test(p.message))?.message;
}

function clusterSpec(s: GkeClusterState): GkeClusterSpec {
  const project = s.project ?? '';
  const location = s.location ?? '';
  const autopilot = s.mode === 'autopilot';
  const channel = s.channel && s.channel !== 'NONE' ? s.channel : undefined;
  const labels = parseKeyValues(s.labels ?? '', () => undefined).map ?? {};
  const authorized = splitList(s.authorizedNetworks ?? '');
  const ranges = {
    ...(s.podRange ? { clusterIpv4CidrBlock: s.podRange } : {}),
    ...(s.servicesRange ? { servicesIpv4CidrBlock: s.servicesRange } : {}),
  };
  const cluster: GkeCluster = {
    name: s.name ?? '',
    ...(autopilot ? { autopilot: { enabled: true } } : {}),
    releaseChannel: { channel: channel ?? 'UNSPECIFIED' },
    ...(!channel && s.version ? { initialClusterVersion: s.version } : {}),
    network: s.network ?? 'default',
    subnetwork: s.subnetwork ?? 'default',
    ipAllocationPolicy: { useIpAliases: true, ...(autopilot ? {} : ranges) },
    privateClusterConfig: {
      enablePrivateNodes: s.privateNodes ?? true,
      ...(!autopilot && s.privateNodes !== false && s.masterCidr ? { masterIpv4CidrBlock: s.masterCidr } : {}),
    },
    masterAuthorizedNetworksConfig:
      authorized.length > 0 ? { enabled: true, cidrBlocks: authorized.map((cidrBlock) => ({ cidrBlock })) } : { enabled: false },
    ...(autopilot
      ? {}
      : {
          workloadIdentityConfig: s.workloadIdentity === false ? {} : { workloadPool: `${project}.svc.id.goog` },
          networkConfig: { datapathProvider: s.dataplaneV2 === false ? 'LEGACY_DATAPATH' : 'ADVANCED_DATAPATH' },
          nodePools: [poolFromAnswers(s.pool, 'default-pool')],
        }),
    resourceLabels: labels,
  };
  return { project, location, cluster };
}

export const gkeClusterWizard: ProvisioningWizard<GkeClusterState, GkeClusterSpec> = {
  title: 'New GKE Cluster',
  steps: clusterSteps,
  initial: (prefill: WizardPrefill) => ({
    ...(prefill.account ? { project: prefill.account } : {}),
    ...(prefill.location ? { location: prefill.location } : {}),
    pool: {},
  }),
  toSpec: clusterSpec,
  fileName: (spec) => `clusters/${spec.cluster.name}.gke-cluster.yaml`,
};

// ---- the node-pool wizard ----

function nodePoolSteps(choices: ChoiceLoader): WizardStep<GkeNodePoolState>[] {
  return [
    projectStep<GkeNodePoolState>(choices),
    {
      id: 'location',
      title: 'Location',
      kind: 'pick',
      isAnswered: (s) => s.location !== undefined,
      choices: async (s, signal) => (await choices('locations', { project: s.project ?? '' }, signal)).map(toChoice),
      allowOther: (v) => (isGkeRegion(v) || isGkeZone(v) ? undefined : 'Type a region or zone.'),
      apply: (s, v) => ({ ...s, location: v }),
    },
    {
      id: 'cluster',
      title: 'Cluster',
      kind: 'pick',
      isAnswered: (s) => s.cluster !== undefined,
      choices: async (s, signal) =>
        (await choices('clusters', { project: s.project ?? '', location: s.location ?? '' }, signal)).map(toChoice),
      apply: (s, v) => ({ ...s, cluster: v }),
    },
    ...poolSteps<GkeNodePoolState>(choices, { defaultName: 'pool-1' }),
  ];
}

export const gkeNodePoolWizard: ProvisioningWizard<GkeNodePoolState, GkeNodePoolSpec> = {
  title: 'New GKE Node Pool',
  steps: nodePoolSteps,
  initial: (prefill: WizardPrefill) => ({
    ...(prefill.account ? { project: prefill.account } : {}),
    ...(prefill.location ? { location: prefill.location } : {}),
    ...(prefill.cluster ? { cluster: prefill.cluster } : {}),
    pool: {},
  }),
  toSpec: (s) => ({
    project: s.project ?? '',
    location: s.location ?? '',
    cluster: s.cluster ?? '',
    nodePool: poolFromAnswers(s.pool, 'pool-1'),
  }),
  fileName: (spec) => `clusters/${spec.cluster}.${spec.nodePool.name}.gke-nodepool.yaml`,
};
