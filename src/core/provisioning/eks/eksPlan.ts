// EKS specs → ProvisionPlans whose step bodies are exactly the SDK requests (provisioning.md P1): every value the
// file shows is sent, EKS server defaults are never relied on. The provider adds `clientRequestToken` (the
// journal's token) and the ownership tags (P3) at create time.
//
// A cluster step's body holds two request kinds: `createCluster` (CreateClusterRequest) and `createAddons`
// (CreateAddonRequest[] for vpc-cni, coredns, kube-proxy, eks-pod-identity-agent). The provider sends the
// add-ons once the cluster is ACTIVE, within the same step, so they are in place before the node-group steps
// (nodes need the CNI to become Ready). With managed add-ons chosen, `bootstrapSelfManagedAddons` is false, as
// eksctl does, so EKS does not also install its self-managed copies.
//
// "Create the standard role" (no iam.serviceRoleARN / iam.instanceRoleARN in the file): an `iamRole` step per role
// comes first, its body exactly the IAM requests { createRole, attachRolePolicies } (the provider adds the
// ownership tags). The account id is not in the file, so the cluster / node-group request names the role as
// `arn:aws:iam::{account}:role/<name>` (roleReference): the one substitution the provider makes before sending,
// replacing it with the created role's own ARN (GetRole). Everything else in the body is sent as planned.
import { ClusterDeckError } from '../../errors';
import type { PlanOverrides, ProvisionPlan, ProvisionStep } from '../provisioning';
import { amiTypeOf, isArmInstanceType, logTypes, type EksClusterSpec, type EksNodeGroupSpec, type EksNodePoolSpec } from './eksSpec';

/** IAM CreateRoleRequest (@aws-sdk/client-iam) as we send it, without the ownership tags. */
export interface EksCreateRoleBody {
  readonly RoleName: string;
  /** The trust policy, as the JSON text IAM takes. */
  readonly AssumeRolePolicyDocument: string;
  readonly Description: string;
}

/** The body of an `iamRole` step: CreateRole, then one AttachRolePolicy per AWS managed policy. */
export interface EksIamRoleStepBody {
  readonly createRole: EksCreateRoleBody;
  readonly attachRolePolicies: readonly { readonly RoleName: string; readonly PolicyArn: string }[];
}

/** The placeholder the provider fills with the account id of the created role (see the header). */
export const accountPlaceholder = '{account}';
export const roleReference = (name: string) => `arn:aws:iam::${accountPlaceholder}:role/${name}`;
/** The role name of a roleReference, or undefined for a plain ARN. */
export function roleReferenceName(arn: string): string | undefined {
  const m = /^arn:aws:iam::\{account\}:role\/([\w+=,.@-]{1,64})$/.exec(arn);
  return m?.[1];
}

const managedPolicy = (name: string) => `arn:aws:iam::aws:policy/${name}`;
/** What the standard roles trust and carry (eksctl's and the EKS user guide's). */
export const standardRoles = {
  cluster: { service: 'eks.amazonaws.com', policies: ['AmazonEKSClusterPolicy'] },
  node: {
    service: 'ec2.amazonaws.com',
    policies: ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonEKS_CNI_Policy'],
  },
} as const;

export function roleRequest(name: string, which: 'cluster' | 'node', cluster: string): EksIamRoleStepBody {
  const r = standardRoles[which];
  return {
    createRole: {
      RoleName: name,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: r.service }, Action: 'sts:AssumeRole' }],
      }),
      Description: `EKS ${which} role created by ClusterDeck for cluster ${cluster}`,
    },
    attachRolePolicies: r.policies.map((p) => ({ RoleName: name, PolicyArn: managedPolicy(p) })),
  };
}

/** CreateClusterRequest (@aws-sdk/client-eks) as we send it, without clientRequestToken. */
export interface EksCreateClusterBody {
  readonly name: string;
  readonly version: string;
  readonly roleArn: string;
  readonly resourcesVpcConfig: {
    readonly subnetIds: readonly string[];
    readonly endpointPublicAccess: boolean;
    readonly endpointPrivateAccess: boolean;
    readonly publicAccessCidrs?: readonly string[];
  };
  readonly kubernetesNetworkConfig: { readonly ipFamily: 'ipv4' | 'ipv6'; readonly serviceIpv4Cidr?: string };
  readonly logging: { readonly clusterLogging: readonly { readonly types: readonly string[]; readonly enabled: boolean }[] };
  readonly accessConfig: { readonly authenticationMode: string; readonly bootstrapClusterCreatorAdminPermissions: boolean };
  readonly bootstrapSelfManagedAddons: boolean;
  readonly upgradePolicy: { readonly supportType: 'STANDARD' | 'EXTENDED' };
  readonly tags: Readonly<Record<string, string>>;
}

/** CreateAddonRequest without clientRequestToken. */
export interface EksCreateAddonBody {
  readonly clusterName: string;
  readonly addonName: string;
  readonly addonVersion?: string;
  readonly resolveConflicts: 'OVERWRITE';
  readonly tags: Readonly<Record<string, string>>;
}

/** The body of a cluster step. */
export interface EksClusterStepBody {
  readonly createCluster: EksCreateClusterBody;
  readonly createAddons: readonly EksCreateAddonBody[];
}

/** CreateNodegroupRequest without clientRequestToken (the body of a node-pool step). */
export interface EksCreateNodegroupBody {
  readonly clusterName: string;
  readonly nodegroupName: string;
  readonly version?: string;
  readonly scalingConfig: { readonly minSize: number; readonly maxSize: number; readonly desiredSize: number };
  readonly diskSize: number;
  readonly subnets: readonly string[];
  readonly instanceTypes: readonly string[];
  readonly amiType: string;
  readonly nodeRole: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly { readonly key: string; readonly value: string; readonly effect: string }[];
  readonly capacityType: 'ON_DEMAND' | 'SPOT';
  readonly updateConfig: { readonly maxUnavailable: number };
  readonly tags: Readonly<Record<string, string>>;
}

const managedCoreAddons = ['vpc-cni', 'coredns', 'kube-proxy'];
const effectOf = { NoSchedule: 'NO_SCHEDULE', NoExecute: 'NO_EXECUTE', PreferNoSchedule: 'PREFER_NO_SCHEDULE' } as const;

/** The subnets a cluster file's node group runs in when it names none: the private ones, else all. */
export function defaultNodeSubnets(spec: EksClusterSpec): string[] {
  const priv = spec.subnets.filter((s) => s.access === 'private');
  return (priv.length ? priv : spec.subnets).map((s) => s.id);
}

export function clusterRequest(spec: EksClusterSpec): EksClusterStepBody {
  const enabled = logTypes.filter((t) => spec.logging.includes(t));
  const disabled = logTypes.filter((t) => !spec.logging.includes(t));
  return {
    createCluster: {
      name: spec.name,
      version: spec.version,
      roleArn: spec.clusterRoleName !== undefined ? roleReference(spec.clusterRoleName) : spec.roleArn,
      resourcesVpcConfig: {
        subnetIds: spec.subnets.map((s) => s.id),
        endpointPublicAccess: spec.publicAccess,
        endpointPrivateAccess: spec.privateAccess,
        ...(spec.publicAccess ? { publicAccessCidrs: [...spec.publicAccessCidrs] } : {}),
      },
      kubernetesNetworkConfig: {
        ipFamily: spec.ipFamily === 'IPv6' ? 'ipv6' : 'ipv4',
        ...(spec.serviceIpv4Cidr ? { serviceIpv4Cidr: spec.serviceIpv4Cidr } : {}),
      },
      logging: {
        clusterLogging: [
          ...(enabled.length ? [{ types: enabled, enabled: true }] : []),
          ...(disabled.length ? [{ types: disabled, enabled: false }] : []),
        ],
      },
      accessConfig: {
        authenticationMode: spec.authenticationMode,
        bootstrapClusterCreatorAdminPermissions: spec.bootstrapClusterCreatorAdminPermissions,
      },
      bootstrapSelfManagedAddons: !spec.addons.some((a) => managedCoreAddons.includes(a.name)),
      upgradePolicy: { supportType: spec.supportType },
      tags: { ...spec.tags },
    },
    createAddons: spec.addons.map((a) => ({
      clusterName: spec.name,
      addonName: a.name,
      ...(a.version ? { addonVersion: a.version } : {}),
      resolveConflicts: 'OVERWRITE' as const,
      tags: { ...spec.tags },
    })),
  };
}

export function nodegroupRequest(
  cluster: string,
  g: EksNodeGroupSpec,
  version: string | undefined,
  fallbackSubnets: readonly string[],
  clusterTags: Readonly<Record<string, string>>,
  nodeRoleName?: string,
): EksCreateNodegroupBody {
  const arm = g.instanceTypes.some(isArmInstanceType);
  return {
    clusterName: cluster,
    nodegroupName: g.name,
    ...(version ? { version } : {}),
    scalingConfig: { minSize: g.minSize, maxSize: g.maxSize, desiredSize: g.desiredCapacity },
    diskSize: g.volumeSizeGiB,
    subnets: g.subnets.length ? [...g.subnets] : [...fallbackSubnets],
    instanceTypes: [...g.instanceTypes],
    amiType: amiTypeOf(g.amiFamily, arm),
    nodeRole: g.nodeRoleArn || roleReference(nodeRoleName ?? ''),
    labels: { ...g.labels },
    taints: g.taints.map((t) => ({ key: t.key, value: t.value, effect: effectOf[t.effect] })),
    capacityType: g.spot ? 'SPOT' : 'ON_DEMAND',
    updateConfig: { maxUnavailable: g.maxUnavailable },
    tags: { ...clusterTags, ...g.tags },
  };
}

/**
 * The `iamRole` steps for the standard roles a spec creates. The body carries no spec tags, so the node role step
 * of a cluster file and of a later node-group file for the same cluster are the same step (same token): the second
 * adopts the role the first created.
 */
function roleSteps(target: ProvisionStep['target'], clusterRole: string | undefined, nodeRole: string | undefined): ProvisionStep[] {
  const step = (name: string, which: 'cluster' | 'node'): ProvisionStep => ({
    kind: 'iamRole',
    target,
    name,
    body: roleRequest(name, which, target.cluster),
    estimatedNodes: 0,
  });
  return [
    ...(clusterRole !== undefined ? [step(clusterRole, 'cluster')] : []),
    ...(nodeRole !== undefined ? [step(nodeRole, 'node')] : []),
  ];
}

const newRolesText = (steps: readonly ProvisionStep[]) => {
  const roles = steps.filter((s) => s.kind === 'iamRole').map((s) => s.name);
  return roles.length ? `; new IAM role${roles.length > 1 ? 's' : ''} ${roles.join(', ')}` : '';
};

function profileOf(specProfile: string | undefined, overrides: PlanOverrides | undefined, file: string): string {
  const profile = overrides?.account ?? specProfile;
  if (!profile) {
    throw new ClusterDeckError(
      'badConfig',
      `No AWS profile for ${file}: add metadata.annotations["clusterdeck.io/aws-profile"] to the file, or choose the profile when creating.`,
    );
  }
  return profile;
}

const groupText = (g: EksNodeGroupSpec) => `${g.name} (${g.minSize}–${g.maxSize} × ${g.instanceTypes.join('/')}${g.spot ? ', spot' : ''})`;

function nodeGroupWarnings(groups: readonly EksNodeGroupSpec[]): string[] {
  const out: string[] = [];
  for (const g of groups) {
    if (g.spot && g.instanceTypes.length < 2)
      out.push(`Node group ${g.name} uses spot capacity with a single instance type; spot capacity may not be available.`);
    if (g.minSize === 0 && g.desiredCapacity === 0) out.push(`Node group ${g.name} starts with no nodes.`);
  }
  return out;
}

const profileFlag = (profile: string) => (profile === 'default' ? '' : ` --profile ${profile}`);

export function planCluster(spec: EksClusterSpec, overrides?: PlanOverrides, fileName = clusterFileName(spec)): ProvisionPlan {
  const profile = profileOf(spec.profile, overrides, fileName);
  const region = overrides?.location ?? spec.region;
  const target = { cloud: 'eks' as const, account: profile, location: region, cluster: spec.name };
  const nodeSubnets = defaultNodeSubnets(spec);
  const steps: ProvisionStep[] = [
    // Both roles first: IAM has time to propagate, and a missing IAM permission stops the plan before a cluster exists.
    ...roleSteps(target, spec.clusterRoleName, spec.nodeRoleName),
    { kind: 'cluster', target, name: spec.name, body: clusterRequest(spec), estimatedNodes: 0 },
    ...spec.nodeGroups.map((g): ProvisionStep => ({
      kind: 'nodePool',
      target,
      name: g.name,
      body: nodegroupRequest(spec.name, g, spec.version, nodeSubnets, spec.tags, spec.nodeRoleName),
      estimatedNodes: g.desiredCapacity,
    })),
  ];
  const warnings: string[] = [];
  if (spec.publicAccess && spec.publicAccessCidrs.includes('0.0.0.0/0')) {
    warnings.push('The API server endpoint is public to the whole internet (0.0.0.0/0); restrict publicAccessCIDRs to your addresses.');
  }
  if (spec.supportType === 'EXTENDED') warnings.push('Extended support costs extra once the version leaves standard support.');
  if (!spec.addons.some((a) => a.name === 'vpc-cni')) warnings.push('No vpc-cni add-on: install a CNI yourself, or nodes stay NotReady.');
  if (!spec.bootstrapClusterCreatorAdminPermissions)
    warnings.push('The creator gets no cluster-admin access entry; add an access entry to reach the cluster.');
  if (spec.nodeGroups.length === 0) warnings.push('No managed node groups: the cluster has no nodes until you add a node group.');
  warnings.push(...nodeGroupWarnings(spec.nodeGroups));
  const estimatedNodes = spec.nodeGroups.reduce((n, g) => n + g.desiredCapacity, 0);
  return {
    cloud: 'eks',
    what:
      `EKS cluster ${spec.name} (Kubernetes ${spec.version})` +
      (spec.addons.length ? ` with add-ons ${spec.addons.map((a) => a.name).join(', ')}` : '') +
      (spec.nodeGroups.length ? `; node groups ${spec.nodeGroups.map(groupText).join(', ')}` : '') +
      newRolesText(steps),
    where: `profile ${profile}, region ${region}`,
    estimatedNodes,
    steps,
    equivalentCommand: `eksctl create cluster --config-file ${fileName}${profileFlag(profile)}`,
    warnings,
  };
}

/** Where the wizards write their files (the plan's equivalent command names them). */
export function clusterFileName(spec: EksClusterSpec): string {
  return `clusters/${spec.name}.eksctl.yaml`;
}
export function nodePoolFileName(spec: EksNodePoolSpec): string {
  const only = spec.nodeGroups.length === 1 ? spec.nodeGroups[0] : undefined;
  return `clusters/${spec.cluster}-${only ? only.name : 'nodegroups'}.nodegroup.eksctl.yaml`;
}

export function planNodePools(spec: EksNodePoolSpec, overrides?: PlanOverrides, fileName = nodePoolFileName(spec)): ProvisionPlan {
  const profile = profileOf(spec.profile, overrides, fileName);
  const region = overrides?.location ?? spec.region;
  const target = { cloud: 'eks' as const, account: profile, location: region, cluster: spec.cluster };
  const steps: ProvisionStep[] = [
    ...roleSteps(target, undefined, spec.nodeRoleName),
    ...spec.nodeGroups.map((g): ProvisionStep => ({
      kind: 'nodePool',
      target,
      name: g.name,
      body: nodegroupRequest(spec.cluster, g, spec.version, [], {}, spec.nodeRoleName),
      estimatedNodes: g.desiredCapacity,
    })),
  ];
  return {
    cloud: 'eks',
    what: `EKS node group${spec.nodeGroups.length > 1 ? 's' : ''} ${spec.nodeGroups.map(groupText).join(', ')} in cluster ${spec.cluster}${newRolesText(steps)}`,
    where: `profile ${profile}, region ${region}`,
    estimatedNodes: spec.nodeGroups.reduce((n, g) => n + g.desiredCapacity, 0),
    steps,
    equivalentCommand: `eksctl create nodegroup --config-file ${fileName}${profileFlag(profile)}`,
    warnings: [
      ...(spec.version ? [] : ["No metadata.version: the node groups run the cluster's Kubernetes version."]),
      ...nodeGroupWarnings(spec.nodeGroups),
    ],
  };
}
