import { hasHostBits, parseIpv4Block } from '../cidr';

// The EKS provisioning specs as ClusterDeck reads them from an eksctl ClusterConfig (eksctl.io/v1alpha5,
// provisioning.md §1.3). Every field is explicit after `read` (defaults filled in), so write → read gives an equal
// spec and the plan sends every value the file shows (P1).

/** A cluster subnet: its id, its availability zone and the eksctl section it sits in. */
export interface EksSubnet {
  readonly id: string;
  readonly az: string;
  readonly access: 'private' | 'public';
}

export type TaintEffect = 'NoSchedule' | 'NoExecute' | 'PreferNoSchedule';

export interface EksTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: TaintEffect;
}

export type AmiFamily = 'AmazonLinux2023' | 'AmazonLinux2' | 'Bottlerocket';
export const amiFamilies: readonly AmiFamily[] = ['AmazonLinux2023', 'Bottlerocket', 'AmazonLinux2'];

/** An eksctl `managedNodeGroups[]` entry (the CreateNodegroup fields the wizard asks). */
export interface EksNodeGroupSpec {
  readonly name: string;
  /** `iam.instanceRoleARN`; '' when absent: the group uses the standard node role the spec's `nodeRoleName` creates. */
  readonly nodeRoleArn: string;
  /** `instanceType` (one) or `instanceTypes` (several). */
  readonly instanceTypes: readonly string[];
  readonly amiFamily: AmiFamily;
  /** `spot: true` → capacity type SPOT. */
  readonly spot: boolean;
  /** `volumeSize` in GiB. */
  readonly volumeSizeGiB: number;
  readonly minSize: number;
  readonly desiredCapacity: number;
  readonly maxSize: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly EksTaint[];
  /** Subnet ids; empty in a cluster file = the cluster's private subnets (or all of them when none is private). */
  readonly subnets: readonly string[];
  readonly privateNetworking: boolean;
  readonly tags: Readonly<Record<string, string>>;
  /** `updateConfig.maxUnavailable`. */
  readonly maxUnavailable: number;
}

export type AuthenticationMode = 'API' | 'API_AND_CONFIG_MAP' | 'CONFIG_MAP';
export const authenticationModes: readonly AuthenticationMode[] = ['API_AND_CONFIG_MAP', 'API', 'CONFIG_MAP'];
export const logTypes = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;
export type LogType = (typeof logTypes)[number];
/** The managed add-ons the wizard offers (all proposed). */
export const standardAddons = ['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent'] as const;

export interface EksAddonSpec {
  readonly name: string;
  /** Omitted → EKS's default version for the cluster's Kubernetes version. */
  readonly version?: string;
}

/** An eksctl ClusterConfig for a new cluster (with its managed node groups and add-ons). */
export interface EksClusterSpec {
  readonly name: string;
  readonly region: string;
  /** Kubernetes minor, e.g. "1.34". */
  readonly version: string;
  /** The AWS profile, from `metadata.annotations["clusterdeck.io/aws-profile"]` (not part of eksctl's schema). */
  readonly profile?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** `iam.serviceRoleARN`; '' when absent (eksctl then creates the role): see `clusterRoleName`. */
  readonly roleArn: string;
  /**
   * "Create the standard role": set exactly when `iam.serviceRoleARN` is absent. The name of the IAM role created
   * before the cluster (trusting eks.amazonaws.com, AmazonEKSClusterPolicy), from
   * `metadata.annotations["clusterdeck.io/cluster-role-name"]`, else `<cluster>-cluster-role`.
   */
  readonly clusterRoleName?: string;
  /**
   * Set exactly when some node group has no `iam.instanceRoleARN`: the one standard node role those groups share
   * (trusting ec2.amazonaws.com; worker, ECR read-only and CNI policies), from
   * `metadata.annotations["clusterdeck.io/node-role-name"]`, else `<cluster>-node-role`.
   */
  readonly nodeRoleName?: string;
  readonly withOIDC: boolean;
  /** `vpc.id` / `vpc.cidr`, when known (the CIDR lets us check the service CIDR does not overlap). */
  readonly vpcId?: string;
  readonly vpcCidr?: string;
  readonly subnets: readonly EksSubnet[];
  readonly publicAccess: boolean;
  readonly privateAccess: boolean;
  /** Only meaningful when publicAccess. */
  readonly publicAccessCidrs: readonly string[];
  readonly authenticationMode: AuthenticationMode;
  readonly bootstrapClusterCreatorAdminPermissions: boolean;
  readonly logging: readonly LogType[];
  readonly ipFamily: 'IPv4' | 'IPv6';
  readonly serviceIpv4Cidr?: string;
  readonly supportType: 'STANDARD' | 'EXTENDED';
  readonly addons: readonly EksAddonSpec[];
  readonly nodeGroups: readonly EksNodeGroupSpec[];
}

/** An eksctl ClusterConfig holding only `managedNodeGroups` (`eksctl create nodegroup -f`) for an existing cluster. */
export interface EksNodePoolSpec {
  readonly cluster: string;
  readonly region: string;
  readonly profile?: string;
  /** `metadata.version`: the node groups' Kubernetes version; absent → the cluster's (EKS's rule). */
  readonly version?: string;
  /** As EksClusterSpec.nodeRoleName: the standard node role for the groups without `iam.instanceRoleARN`. */
  readonly nodeRoleName?: string;
  readonly nodeGroups: readonly EksNodeGroupSpec[];
}

export const eksctlApiVersion = 'eksctl.io/v1alpha5';
export const profileAnnotation = 'clusterdeck.io/aws-profile';
/** The names of the standard roles ClusterDeck creates when the file names no role ARN (not eksctl schema). */
export const clusterRoleAnnotation = 'clusterdeck.io/cluster-role-name';
export const nodeRoleAnnotation = 'clusterdeck.io/node-role-name';

export const defaultClusterRoleName = (cluster: string) => `${cluster}-cluster-role`;
export const defaultNodeRoleName = (cluster: string) => `${cluster}-node-role`;

/** IAM role names: 1–64 of letters, digits and +=,.@_- (IAM's rule). */
export function iamRoleNameProblem(name: string): string | undefined {
  if (!name) return 'Enter a role name';
  if (name.length > 64) return `At most 64 characters (${name.length} given)`;
  if (!/^[\w+=,.@-]+$/.test(name)) return 'Letters, digits and + = , . @ _ - only';
  return undefined;
}

/** EKS cluster and node group names (provisioning.md §1.1): alphanumeric first, then alphanumerics, '-' and '_'. */
export const eksNamePattern = /^[0-9A-Za-z][A-Za-z0-9\-_]*$/;

export function clusterNameProblem(name: string): string | undefined {
  if (!name) return 'Enter a name';
  if (name.length > 100) return 'At most 100 characters';
  if (!eksNamePattern.test(name)) return 'Start with a letter or digit; then letters, digits, "-" and "_" only';
  return undefined;
}

export function nodeGroupNameProblem(name: string): string | undefined {
  if (!name) return 'Enter a name';
  if (name.length > 63) return 'At most 63 characters';
  if (!eksNamePattern.test(name)) return 'Start with a letter or digit; then letters, digits, "-" and "_" only';
  return undefined;
}

/** Graviton (arm64) instance families carry a "g" after the generation digit: m7g, c6gn, r6gd, t4g, g5g, is4gen. */
export function isArmInstanceType(type: string): boolean {
  return /^[a-z]+\d+[a-z]*g[a-z]*\./.test(type);
}

/** The EKS amiType for an eksctl amiFamily and the instance types' architecture. */
export function amiTypeOf(family: AmiFamily, arm: boolean): string {
  switch (family) {
    case 'AmazonLinux2023':
      return arm ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD';
    case 'AmazonLinux2':
      return arm ? 'AL2_ARM_64' : 'AL2_x86_64';
    case 'Bottlerocket':
      return arm ? 'BOTTLEROCKET_ARM_64' : 'BOTTLEROCKET_x86_64';
  }
}

/** Kubernetes label keys (optional DNS prefix + name) and values. */
const labelName = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const dnsPrefix = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length > 253 || !dnsPrefix.test(prefix))) return `"${key}" has an invalid prefix (a DNS subdomain)`;
  if (!labelName.test(name)) return `"${key}" is not a valid label key (63 letters, digits, "-", "_", "." at most)`;
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  return labelName.test(value) ? undefined : `"${value}" is not a valid label value`;
}

/** Parses "k=v, k2=v2" (the wizard's inputs for labels and tags). */
export function parsePairs(text: string): { pairs: Record<string, string>; problem?: string } {
  const pairs: Record<string, string> = {};
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (!item) continue;
    const eq = item.indexOf('=');
    if (eq <= 0) return { pairs, problem: `"${item}" is not key=value` };
    const key = item.slice(0, eq).trim();
    if (key in pairs) return { pairs, problem: `"${key}" appears twice` };
    pairs[key] = item.slice(eq + 1).trim();
  }
  return { pairs };
}

export function formatPairs(pairs: Readonly<Record<string, string>>): string {
  return Object.entries(pairs)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

const effects: readonly TaintEffect[] = ['NoSchedule', 'NoExecute', 'PreferNoSchedule'];
export function isTaintEffect(v: unknown): v is TaintEffect {
  return typeof v === 'string' && (effects as readonly string[]).includes(v);
}

/** Parses "key=value:Effect, key2:Effect" (the wizard's taint input). */
export function parseTaints(text: string): { taints: EksTaint[]; problem?: string } {
  const taints: EksTaint[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (!item) continue;
    const m = /^([^=:\s]+)(?:=([^:\s]*))?:(\S+)$/.exec(item);
    if (!m?.[1] || !isTaintEffect(m[3])) return { taints, problem: `"${item}" is not key=value:NoSchedule|NoExecute|PreferNoSchedule` };
    const keyProblem = labelKeyProblem(m[1]);
    if (keyProblem) return { taints, problem: keyProblem };
    taints.push({ key: m[1], value: m[2] ?? '', effect: m[3] });
  }
  return { taints };
}

export function formatTaints(taints: readonly EksTaint[]): string {
  return taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(', ');
}

/** "min ≤ desired ≤ max, max ≥ 1" (provisioning.md §1.2), or undefined. */
export function scalingProblem(min: number, desired: number, max: number): string | undefined {
  if (![min, desired, max].every((n) => Number.isInteger(n) && n >= 0)) return 'Sizes are whole numbers ≥ 0';
  if (max < 1) return 'The maximum size must be at least 1';
  if (min > desired) return `The minimum (${min}) is larger than the desired size (${desired})`;
  if (desired > max) return `The desired size (${desired}) is larger than the maximum (${max})`;
  return undefined;
}

/** "2/2/3" → min/desired/max (the wizard's one input for the three sizes). */
export function parseScaling(text: string): { min: number; desired: number; max: number; problem?: string } {
  const parts = text.split('/').map((p) => p.trim());
  const [min, desired, max] = parts.map((p) => (/^\d{1,4}$/.test(p) ? Number(p) : NaN));
  if (parts.length !== 3 || min === undefined || desired === undefined || max === undefined || [min, desired, max].some(Number.isNaN)) {
    return { min: 0, desired: 0, max: 0, problem: 'Enter min/desired/max, e.g. 2/2/3' };
  }
  const problem = scalingProblem(min, desired, max);
  return { min, desired, max, ...(problem ? { problem } : {}) };
}

/** A one-sentence problem with an IPv4 CIDR text, or undefined when it is a valid block without host bits. */
export function cidrProblem(text: string): string | undefined {
  const c = parseIpv4Block(text);
  if (!c || /(^|\.)0\d/.test(text.split('/')[0] ?? '')) return `"${text}" is not an IPv4 CIDR block such as 10.100.0.0/16`;
  if (hasHostBits(text)) return `"${text}" has bits set after the /${c.prefix} prefix; use ${c.text}`;
  return undefined;
}

export function minorOf(version: string): number | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(version);
  return m ? Number(m[1]) * 1000 + Number(m[2]) : undefined;
}
