// The EKS cluster and node-group wizards as data (core/wizard/wizard.ts). Choices come from the EKS provider's
// `choices` queries (node/clouds/eks/eksProvisioning.ts):
//   accounts, regions {account}, versions {account, region}, roles {account, service}, vpcs {account, region},
//   subnets {account, region, vpc}, clusters {account, region}, clusterSubnets {account, region, cluster},
//   instanceTypes {account, region, zones (comma-separated)}.
// Subnet choices carry "<subnet-id>/<zone>/<private|public>" as their value so the zone and section travel with
// the answer (the file keys subnets by zone; instance types are checked against the chosen zones).
import type { WizardChoice, WizardStep } from '../../wizard/wizard';
import type { ChoiceItem, ChoiceLoader, ProvisioningWizard, WizardPrefill } from '../provisioning';
import { clusterFileName, nodePoolFileName } from './eksPlan';
import {
  amiFamilies,
  authenticationModes,
  cidrProblem,
  clusterNameProblem,
  defaultClusterRoleName,
  defaultNodeRoleName,
  formatPairs,
  iamRoleNameProblem,
  formatTaints,
  isArmInstanceType,
  labelKeyProblem,
  labelValueProblem,
  logTypes,
  nodeGroupNameProblem,
  parsePairs,
  parseScaling,
  parseTaints,
  standardAddons,
  type AmiFamily,
  type AuthenticationMode,
  type EksClusterSpec,
  type EksNodeGroupSpec,
  type EksNodePoolSpec,
  type EksSubnet,
  type EksTaint,
  type LogType,
} from './eksSpec';

/** The node-group answers shared by both wizards. */
export interface EksNodeGroupState {
  readonly name?: string;
  readonly nodeRoleArn?: string;
  /** "Create the standard role" was picked: the node role to create (nodeRoleArn is then unset). */
  readonly createNodeRole?: boolean;
  readonly nodeRoleName?: string;
  readonly subnets?: readonly EksSubnet[];
  readonly instanceTypes?: readonly string[];
  readonly amiFamily?: AmiFamily;
  readonly spot?: boolean;
  readonly volumeSizeGiB?: number;
  readonly scaling?: { readonly min: number; readonly desired: number; readonly max: number };
  readonly labels?: Readonly<Record<string, string>>;
  readonly taints?: readonly EksTaint[];
}

export interface EksClusterWizardState {
  readonly account?: string;
  readonly region?: string;
  readonly name?: string;
  readonly version?: string;
  readonly roleArn?: string;
  /** "Create the standard role" was picked: the cluster role to create (roleArn is then unset). */
  readonly createClusterRole?: boolean;
  readonly clusterRoleName?: string;
  readonly vpcId?: string;
  readonly subnets?: readonly EksSubnet[];
  /** Zones to pre-select subnets in (a create again after UnsupportedAvailabilityZoneException); else the cloud's defaults. */
  readonly zones?: readonly string[];
  readonly endpoint?: 'public+private' | 'public' | 'private';
  readonly publicAccessCidrs?: readonly string[];
  readonly authenticationMode?: AuthenticationMode;
  readonly logging?: readonly LogType[];
  readonly addons?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
  readonly ng: EksNodeGroupState;
}

export interface EksNodePoolWizardState {
  readonly account?: string;
  readonly region?: string;
  readonly cluster?: string;
  /** Zones to pre-select node subnets in (see EksClusterWizardState.zones). */
  readonly zones?: readonly string[];
  readonly ng: EksNodeGroupState;
}

/** "subnet-0aa/eu-west-1a/private" → the subnet; undefined for anything else. */
export function parseSubnetChoice(value: string): EksSubnet | undefined {
  const m = /^(subnet-[0-9a-f]+)\/([a-z]{2}(?:-[a-z]+)+-\d+[a-z])\/(private|public)$/.exec(value);
  return m?.[1] && m[2] ? { id: m[1], az: m[2], access: m[3] === 'public' ? 'public' : 'private' } : undefined;
}
export const subnetChoiceValue = (s: EksSubnet) => `${s.id}/${s.az}/${s.access}`;

const toChoice = (c: ChoiceItem, picked?: boolean): WizardChoice => ({
  label: c.label ?? c.value,
  value: c.value,
  ...(c.description ? { description: c.description } : {}),
  ...(c.isDefault ? { isDefault: true } : {}),
  ...((picked ?? c.isDefault) ? { picked: true } : {}),
});

/**
 * A subnet choice, picked when its zone is one of `zones` (a create again with the zones EKS accepts); without
 * `zones`, the cloud's default. A subnet in a refused zone says so.
 */
function subnetChoice(c: ChoiceItem, zones: readonly string[] | undefined): WizardChoice {
  if (!zones?.length) return toChoice(c);
  const az = parseSubnetChoice(c.value)?.az;
  const ok = az !== undefined && zones.includes(az);
  const choice = toChoice(c, ok);
  return ok ? choice : { ...choice, description: `${c.description ? `${c.description} · ` : ''}zone not accepted by EKS` };
}

const roleArnProblem = (v: string) =>
  /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(v) ? undefined : 'Enter an IAM role ARN (arn:aws:iam::123456789012:role/name)';
/** The pick value of "Create the standard role" (never an ARN, so it cannot collide with a listed role). */
export const createStandardRole = '$create-standard-role';

/** The role steps' choices: "Create the standard role" first, then the roles trusting `service`. */
async function roleChoices(
  load: ChoiceLoader,
  params: Record<string, string>,
  service: string,
  policies: string,
  signal: AbortSignal,
): Promise<WizardChoice[]> {
  const roles = (await load('roles', { ...params, service }, signal)).map((c) => toChoice(c));
  return [
    {
      label: 'Create the standard role',
      value: createStandardRole,
      description: `a new role trusting ${service} with ${policies}`,
      // The default when the account has no conventional role to propose.
      ...(roles.some((r) => r.isDefault) ? {} : { isDefault: true }),
    },
    ...roles,
  ];
}

const subnetsProblem = (values: readonly string[], atLeastTwoZones: boolean) => {
  const subnets = values.map(parseSubnetChoice);
  if (subnets.some((s) => !s)) return 'Pick subnets from the list';
  if (values.length === 0) return 'Pick at least one subnet';
  if (atLeastTwoZones && new Set(subnets.map((s) => s?.az)).size < 2) return 'EKS needs subnets in at least two availability zones';
  return undefined;
};
const pairsProblem = (text: string, check: (k: string, v: string) => string | undefined) => {
  const { pairs, problem } = parsePairs(text);
  if (problem) return problem;
  for (const [k, v] of Object.entries(pairs)) {
    const p = check(k, v);
    if (p) return p;
  }
  return undefined;
};

/** Node-group steps over any state holding `ng`, an account and a region. */
function nodeGroupSteps<S extends { readonly account?: string; readonly region?: string; readonly ng: EksNodeGroupState }>(
  load: ChoiceLoader,
  opts: {
    readonly defaultName: (s: S) => string;
    /** The cluster the node role is named after. */
    readonly clusterName: (s: S) => string;
    /** Whether the node role name clashes with another answer (the cluster role to create). */
    readonly roleNameClash?: (s: S, name: string) => string | undefined;
    readonly subnetChoices: (s: S, signal: AbortSignal) => Promise<readonly WizardChoice[]> | readonly WizardChoice[];
  },
): WizardStep<S>[] {
  const set = (s: S, patch: Partial<EksNodeGroupState>): S => ({ ...s, ng: { ...s.ng, ...patch } });
  const p = (s: S): Record<string, string> => ({ account: s.account ?? '', region: s.region ?? '' });
  return [
    {
      id: 'nodeGroupName',
      title: 'Node group name',
      kind: 'input',
      prompt: 'Managed node group name',
      value: (s) => s.ng.name ?? opts.defaultName(s),
      validate: (v) => nodeGroupNameProblem(v),
      apply: (s, v) => set(s, { name: v }),
    },
    {
      id: 'nodeRole',
      title: 'Node IAM role',
      kind: 'pick',
      placeholder:
        'A role trusting ec2.amazonaws.com with AmazonEKSWorkerNodePolicy, AmazonEC2ContainerRegistryReadOnly, AmazonEKS_CNI_Policy',
      choices: (s, signal) =>
        roleChoices(
          load,
          p(s),
          'ec2.amazonaws.com',
          'AmazonEKSWorkerNodePolicy, AmazonEC2ContainerRegistryReadOnly, AmazonEKS_CNI_Policy',
          signal,
        ),
      allowOther: roleArnProblem,
      apply: (s, v) =>
        v === createStandardRole
          ? set(s, { nodeRoleArn: undefined, createNodeRole: true })
          : set(s, { nodeRoleArn: v, createNodeRole: false }),
    },
    {
      id: 'nodeRoleName',
      title: 'New node role name',
      kind: 'input',
      when: (s) => s.ng.createNodeRole === true,
      prompt: 'Name of the node IAM role to create (trusting ec2.amazonaws.com)',
      value: (s) => s.ng.nodeRoleName ?? defaultNodeRoleName(opts.clusterName(s)),
      validate: (v, s) => iamRoleNameProblem(v) ?? opts.roleNameClash?.(s, v),
      apply: (s, v) => set(s, { nodeRoleName: v }),
    },
    {
      id: 'nodeSubnets',
      title: 'Node subnets',
      kind: 'multi',
      choices: (s, signal) => opts.subnetChoices(s, signal),
      validate: (v) => subnetsProblem(v, false),
      apply: (s, v) => set(s, { subnets: v.map(parseSubnetChoice).filter((x): x is EksSubnet => x !== undefined) }),
    },
    {
      id: 'instanceTypes',
      title: 'Instance types',
      kind: 'multi',
      placeholder: 'Offered in every zone of the node subnets',
      choices: async (s, signal) => {
        const zones = [...new Set((s.ng.subnets ?? []).map((x) => x.az))].join(',');
        return (await load('instanceTypes', { ...p(s), zones }, signal)).map((c) => toChoice(c));
      },
      validate: (v) => {
        if (v.length === 0) return 'Pick at least one instance type';
        if (new Set(v.map(isArmInstanceType)).size > 1) return 'Pick arm64 (Graviton) or x86_64 types, not both';
        return undefined;
      },
      apply: (s, v) => set(s, { instanceTypes: v }),
    },
    {
      id: 'amiFamily',
      title: 'Node image',
      kind: 'pick',
      choices: () =>
        amiFamilies.map((f) => ({
          label: f,
          value: f,
          ...(f === 'AmazonLinux2023' ? { isDefault: true } : {}),
          ...(f === 'AmazonLinux2' ? { description: 'not available from Kubernetes 1.33' } : {}),
        })),
      apply: (s, v) => set(s, { amiFamily: (amiFamilies as readonly string[]).includes(v) ? (v as AmiFamily) : 'AmazonLinux2023' }),
    },
    {
      id: 'capacityType',
      title: 'Capacity type',
      kind: 'pick',
      choices: () => [
        { label: 'On-Demand', value: 'ON_DEMAND', isDefault: true },
        { label: 'Spot', value: 'SPOT', description: 'cheaper, can be reclaimed; pick two or more instance types' },
      ],
      apply: (s, v) => set(s, { spot: v === 'SPOT' }),
    },
    {
      id: 'diskSize',
      title: 'Disk size (GiB)',
      kind: 'input',
      prompt: 'Root volume size in GiB',
      value: (s) => String(s.ng.volumeSizeGiB ?? 80),
      validate: (v) => (/^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 16384 ? undefined : 'A whole number of GiB, 1–16384'),
      apply: (s, v) => set(s, { volumeSizeGiB: Number(v) }),
    },
    {
      id: 'scaling',
      title: 'Size (min/desired/max)',
      kind: 'input',
      prompt: 'Nodes: min/desired/max (0 ≤ min ≤ desired ≤ max, max ≥ 1)',
      value: (s) => (s.ng.scaling ? `${s.ng.scaling.min}/${s.ng.scaling.desired}/${s.ng.scaling.max}` : '2/2/3'),
      validate: (v) => parseScaling(v).problem,
      apply: (s, v) => {
        const { min, desired, max } = parseScaling(v);
        return set(s, { scaling: { min, desired, max } });
      },
    },
    {
      id: 'labels',
      title: 'Kubernetes labels',
      kind: 'input',
      prompt: 'Node labels as key=value, comma-separated (empty for none)',
      value: (s) => formatPairs(s.ng.labels ?? {}),
      validate: (v) => pairsProblem(v, (k, val) => labelKeyProblem(k) ?? labelValueProblem(val)),
      apply: (s, v) => set(s, { labels: parsePairs(v).pairs }),
    },
    {
      id: 'taints',
      title: 'Taints',
      kind: 'input',
      prompt: 'Taints as key=value:NoSchedule|NoExecute|PreferNoSchedule, comma-separated (empty for none)',
      value: (s) => formatTaints(s.ng.taints ?? []),
      validate: (v) => parseTaints(v).problem,
      apply: (s, v) => set(s, { taints: parseTaints(v).taints }),
    },
  ];
}

function nodeGroupSpec(ng: EksNodeGroupState, fallbackName: string): EksNodeGroupSpec {
  const subnets = ng.subnets ?? [];
  return {
    name: ng.name ?? fallbackName,
    nodeRoleArn: ng.createNodeRole ? '' : (ng.nodeRoleArn ?? ''),
    instanceTypes: [...(ng.instanceTypes ?? ['m5.large'])],
    amiFamily: ng.amiFamily ?? 'AmazonLinux2023',
    spot: ng.spot ?? false,
    volumeSizeGiB: ng.volumeSizeGiB ?? 80,
    minSize: ng.scaling?.min ?? 2,
    desiredCapacity: ng.scaling?.desired ?? 2,
    maxSize: ng.scaling?.max ?? 3,
    labels: { ...(ng.labels ?? {}) },
    taints: [...(ng.taints ?? [])],
    subnets: subnets.map((s) => s.id),
    // eksctl's privateNetworking: nodes get no public IP; true when every node subnet is private.
    privateNetworking: subnets.length > 0 && subnets.every((s) => s.access === 'private'),
    tags: {},
    maxUnavailable: 1,
  };
}

const accountStep = <S extends { readonly account?: string }>(load: ChoiceLoader): WizardStep<S> => ({
  id: 'account',
  title: 'AWS profile',
  kind: 'pick',
  isAnswered: (s) => s.account !== undefined,
  choices: async (_s, signal) => (await load('accounts', {}, signal)).map((c) => toChoice(c)),
  apply: (s, v) => ({ ...s, account: v }),
});
const regionStep = <S extends { readonly account?: string; readonly region?: string }>(load: ChoiceLoader): WizardStep<S> => ({
  id: 'region',
  title: 'Region',
  kind: 'pick',
  isAnswered: (s) => s.region !== undefined,
  choices: async (s, signal) => (await load('regions', { account: s.account ?? '' }, signal)).map((c) => toChoice(c)),
  allowOther: (v) => (/^[a-z]{2}(-[a-z]+)+-\d+$/.test(v) ? undefined : 'Enter a region such as eu-west-1'),
  apply: (s, v) => ({ ...s, region: v }),
});

export const eksClusterWizard: ProvisioningWizard<EksClusterWizardState, EksClusterSpec> = {
  title: 'New EKS Cluster',
  initial(prefill: WizardPrefill): EksClusterWizardState {
    return {
      ...(prefill.account ? { account: prefill.account } : {}),
      ...(prefill.location ? { region: prefill.location } : {}),
      ...(prefill.zones?.length ? { zones: prefill.zones } : {}),
      ng: {},
    };
  },
  steps(load) {
    type S = EksClusterWizardState;
    const p = (s: S): Record<string, string> => ({ account: s.account ?? '', region: s.region ?? '' });
    const steps: WizardStep<S>[] = [
      accountStep<S>(load),
      regionStep<S>(load),
      {
        id: 'name',
        title: 'Cluster name',
        kind: 'input',
        prompt: 'Cluster name (unique in the account and region)',
        value: (s) => s.name,
        validate: (v) => clusterNameProblem(v),
        apply: (s, v) => ({ ...s, name: v }),
      },
      {
        id: 'version',
        title: 'Kubernetes version',
        kind: 'pick',
        choices: async (s, signal) => (await load('versions', p(s), signal)).map((c) => toChoice(c)),
        allowOther: (v) => (/^\d+\.\d+$/.test(v) ? undefined : 'Enter a version such as 1.34'),
        apply: (s, v) => ({ ...s, version: v }),
      },
      {
        id: 'clusterRole',
        title: 'Cluster IAM role',
        kind: 'pick',
        placeholder: 'A role trusting eks.amazonaws.com with AmazonEKSClusterPolicy',
        choices: (s, signal) => roleChoices(load, p(s), 'eks.amazonaws.com', 'AmazonEKSClusterPolicy', signal),
        allowOther: roleArnProblem,
        apply: (s, v) =>
          v === createStandardRole ? { ...s, roleArn: undefined, createClusterRole: true } : { ...s, roleArn: v, createClusterRole: false },
      },
      {
        id: 'clusterRoleName',
        title: 'New cluster role name',
        kind: 'input',
        when: (s) => s.createClusterRole === true,
        prompt: 'Name of the cluster IAM role to create (trusting eks.amazonaws.com)',
        value: (s) => s.clusterRoleName ?? defaultClusterRoleName(s.name ?? ''),
        validate: (v) => iamRoleNameProblem(v),
        apply: (s, v) => ({ ...s, clusterRoleName: v }),
      },
      {
        id: 'vpc',
        title: 'VPC',
        kind: 'pick',
        choices: async (s, signal) => (await load('vpcs', p(s), signal)).map((c) => toChoice(c)),
        apply: (s, v) => ({ ...s, vpcId: v, subnets: undefined }),
      },
      {
        id: 'subnets',
        title: 'Cluster subnets',
        kind: 'multi',
        placeholder: 'At least two availability zones',
        choices: async (s, signal) => (await load('subnets', { ...p(s), vpc: s.vpcId ?? '' }, signal)).map((c) => subnetChoice(c, s.zones)),
        validate: (v) => subnetsProblem(v, true),
        apply: (s, v) => ({ ...s, subnets: v.map(parseSubnetChoice).filter((x): x is EksSubnet => x !== undefined) }),
      },
      {
        id: 'endpoint',
        title: 'API server endpoint',
        kind: 'pick',
        choices: () => [
          { label: 'Public and private', value: 'public+private', isDefault: true },
          { label: 'Public only', value: 'public' },
          { label: 'Private only', value: 'private', description: 'reachable only from the VPC' },
        ],
        apply: (s, v) => ({ ...s, endpoint: v === 'public' || v === 'private' ? v : 'public+private' }),
      },
      {
        id: 'publicAccessCidrs',
        title: 'Public endpoint CIDRs',
        kind: 'input',
        when: (s) => s.endpoint !== 'private',
        prompt: 'CIDR blocks allowed to reach the public endpoint, comma-separated (your egress IP as /32 is safest)',
        value: (s) => (s.publicAccessCidrs ?? ['0.0.0.0/0']).join(', '),
        validate: (v) => {
          const list = v
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean);
          if (list.length === 0) return 'Enter at least one CIDR';
          for (const c of list) {
            const problem = cidrProblem(c);
            if (problem) return problem;
          }
          return undefined;
        },
        apply: (s, v) => ({
          ...s,
          publicAccessCidrs: v
            .split(',')
            .map((x) => x.trim())
            .filter(Boolean),
        }),
      },
      {
        id: 'authenticationMode',
        title: 'Authentication mode',
        kind: 'pick',
        choices: () =>
          authenticationModes.map((m) => ({
            label: m,
            value: m,
            ...(m === 'API_AND_CONFIG_MAP' ? { isDefault: true, description: 'access entries and the aws-auth ConfigMap' } : {}),
          })),
        apply: (s, v) => ({
          ...s,
          authenticationMode: (authenticationModes as readonly string[]).includes(v) ? (v as AuthenticationMode) : 'API_AND_CONFIG_MAP',
        }),
      },
      {
        id: 'logging',
        title: 'Control-plane logging',
        kind: 'multi',
        placeholder: 'CloudWatch Logs (billed); api, audit and authenticator are useful in production',
        choices: (s) => logTypes.map((t) => ({ label: t, value: t, ...(s.logging?.includes(t) ? { picked: true } : {}) })),
        apply: (s, v) => ({ ...s, logging: logTypes.filter((t) => v.includes(t)) }),
      },
      {
        id: 'addons',
        title: 'Add-ons',
        kind: 'multi',
        choices: (s) => standardAddons.map((a) => ({ label: a, value: a, picked: s.addons ? s.addons.includes(a) : true })),
        apply: (s, v) => ({ ...s, addons: standardAddons.filter((a) => v.includes(a)) }),
      },
      {
        id: 'tags',
        title: 'Tags',
        kind: 'input',
        prompt: 'AWS tags as key=value, comma-separated (empty for none)',
        value: (s) => formatPairs(s.tags ?? {}),
        validate: (v) => pairsProblem(v, (k) => (k.startsWith('aws:') ? 'Tag keys starting with "aws:" are reserved' : undefined)),
        apply: (s, v) => ({ ...s, tags: parsePairs(v).pairs }),
      },
      ...nodeGroupSteps<S>(load, {
        defaultName: (s) => `${s.name ?? 'cluster'}-ng-1`,
        clusterName: (s) => s.name ?? '',
        roleNameClash: (s, v) =>
          s.createClusterRole && (s.clusterRoleName ?? defaultClusterRoleName(s.name ?? '')) === v
            ? 'The cluster role to create already has that name; the node role needs its own'
            : undefined,
        subnetChoices: (s) => {
          const all = s.subnets ?? [];
          const priv = all.filter((x) => x.access === 'private');
          const accepted = (x: EksSubnet) => !s.zones?.length || s.zones.includes(x.az);
          const proposed = (priv.length ? priv : all).filter(accepted);
          return all.map((x) => ({
            label: x.id,
            value: subnetChoiceValue(x),
            description: `${x.az} · ${x.access}`,
            ...(proposed.includes(x) ? { picked: true } : {}),
          }));
        },
      }),
    ];
    return steps;
  },
  toSpec(s): EksClusterSpec {
    const name = s.name ?? '';
    const endpoint = s.endpoint ?? 'public+private';
    const publicAccess = endpoint !== 'private';
    return {
      name,
      region: s.region ?? '',
      version: s.version ?? '',
      ...(s.account ? { profile: s.account } : {}),
      tags: { ...(s.tags ?? {}) },
      roleArn: s.createClusterRole ? '' : (s.roleArn ?? ''),
      ...(s.createClusterRole ? { clusterRoleName: s.clusterRoleName ?? defaultClusterRoleName(name) } : {}),
      ...(s.ng.createNodeRole ? { nodeRoleName: s.ng.nodeRoleName ?? defaultNodeRoleName(name) } : {}),
      withOIDC: true,
      ...(s.vpcId ? { vpcId: s.vpcId } : {}),
      // The file lists private subnets, then public ones: keep that order so reading it back gives this spec.
      subnets: [...(s.subnets ?? []).filter((x) => x.access === 'private'), ...(s.subnets ?? []).filter((x) => x.access === 'public')],
      publicAccess,
      privateAccess: endpoint !== 'public',
      publicAccessCidrs: publicAccess ? [...(s.publicAccessCidrs ?? ['0.0.0.0/0'])] : [],
      authenticationMode: s.authenticationMode ?? 'API_AND_CONFIG_MAP',
      bootstrapClusterCreatorAdminPermissions: true,
      logging: [...(s.logging ?? [])],
      ipFamily: 'IPv4',
      supportType: 'STANDARD',
      addons: (s.addons ?? standardAddons).map((a) => ({ name: a })),
      nodeGroups: [nodeGroupSpec(s.ng, `${name}-ng-1`)],
    };
  },
  fileName: clusterFileName,
};

export const eksNodePoolWizard: ProvisioningWizard<EksNodePoolWizardState, EksNodePoolSpec> = {
  title: 'New EKS Node Group',
  initial(prefill: WizardPrefill): EksNodePoolWizardState {
    return {
      ...(prefill.account ? { account: prefill.account } : {}),
      ...(prefill.location ? { region: prefill.location } : {}),
      ...(prefill.cluster ? { cluster: prefill.cluster } : {}),
      ...(prefill.zones?.length ? { zones: prefill.zones } : {}),
      ng: {},
    };
  },
  steps(load) {
    type S = EksNodePoolWizardState;
    return [
      accountStep<S>(load),
      regionStep<S>(load),
      {
        id: 'cluster',
        title: 'Cluster',
        kind: 'pick',
        isAnswered: (s) => s.cluster !== undefined,
        choices: async (s, signal) =>
          (await load('clusters', { account: s.account ?? '', region: s.region ?? '' }, signal)).map((c) => toChoice(c)),
        apply: (s, v) => ({ ...s, cluster: v }),
      },
      ...nodeGroupSteps<S>(load, {
        defaultName: (s) => `${s.cluster ?? 'cluster'}-ng-2`,
        clusterName: (s) => s.cluster ?? '',
        subnetChoices: async (s, signal) =>
          (await load('clusterSubnets', { account: s.account ?? '', region: s.region ?? '', cluster: s.cluster ?? '' }, signal)).map((c) =>
            subnetChoice(c, s.zones),
          ),
      }),
    ];
  },
  toSpec(s): EksNodePoolSpec {
    const cluster = s.cluster ?? '';
    return {
      cluster,
      region: s.region ?? '',
      ...(s.account ? { profile: s.account } : {}),
      ...(s.ng.createNodeRole ? { nodeRoleName: s.ng.nodeRoleName ?? defaultNodeRoleName(cluster) } : {}),
      nodeGroups: [nodeGroupSpec(s.ng, `${cluster}-ng-2`)],
    };
  },
  fileName: nodePoolFileName,
};
