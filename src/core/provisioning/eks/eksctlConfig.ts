// Reading and writing eksctl ClusterConfig files (eksctl.io/v1alpha5) as EKS specs. Problems carry the path into
// the document so the Manifests engine can place them. Defaults are eksctl's (provisioning.md §1.3): node type
// m5.large, 2 nodes, 80 GiB, AmazonLinux2023, API_AND_CONFIG_MAP.
import { stringify } from 'yaml';
import type { SpecProblem } from '../provisioning';
import { cidrsOverlap, isRfc1918, parseIpv4Block } from '../cidr';
import {
  amiFamilies,
  authenticationModes,
  cidrProblem,
  clusterNameProblem,
  clusterRoleAnnotation,
  defaultClusterRoleName,
  defaultNodeRoleName,
  eksctlApiVersion,
  iamRoleNameProblem,
  isArmInstanceType,
  isTaintEffect,
  labelKeyProblem,
  labelValueProblem,
  logTypes,
  minorOf,
  nodeGroupNameProblem,
  nodeRoleAnnotation,
  profileAnnotation,
  scalingProblem,
  type AmiFamily,
  type AuthenticationMode,
  type EksAddonSpec,
  type EksClusterSpec,
  type EksNodeGroupSpec,
  type EksNodePoolSpec,
  type EksSubnet,
  type EksTaint,
  type LogType,
} from './eksSpec';

type Path = readonly (string | number)[];
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sections that make a ClusterConfig a cluster file; a file with only metadata + managedNodeGroups is a node-pool file. */
const clusterSections = [
  'vpc',
  'iam',
  'accessConfig',
  'addons',
  'cloudWatch',
  'kubernetesNetworkConfig',
  'upgradePolicy',
  'nodeGroups',
  'fargateProfiles',
  'autoModeConfig',
];

export function isEksctlConfig(doc: unknown): doc is Obj {
  return isObj(doc) && doc.apiVersion === eksctlApiVersion && doc.kind === 'ClusterConfig';
}

export function isNodePoolDocument(doc: unknown): boolean {
  return isEksctlConfig(doc) && Array.isArray(doc.managedNodeGroups) && !clusterSections.some((k) => k in doc);
}

/** Collects problems while reading values at paths. */
class Reader {
  readonly problems: SpecProblem[] = [];
  error(path: Path, message: string): void {
    this.problems.push({ path, message, severity: 'error' });
  }
  warn(path: Path, message: string): void {
    this.problems.push({ path, message, severity: 'warning' });
  }
  get(o: Obj, key: string): unknown {
    return o[key];
  }
  obj(o: Obj, key: string, path: Path, required = false): Obj | undefined {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) this.error([...path, key], `"${key}" is required`);
      return undefined;
    }
    if (!isObj(v)) {
      this.error([...path, key], `"${key}" must be a mapping`);
      return undefined;
    }
    return v;
  }
  str(o: Obj, key: string, path: Path, required = false): string | undefined {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) this.error([...path, key], `"${key}" is required`);
      return undefined;
    }
    if (typeof v === 'number') return String(v);
    if (typeof v !== 'string') {
      this.error([...path, key], `"${key}" must be a string`);
      return undefined;
    }
    return v;
  }
  bool(o: Obj, key: string, path: Path, fallback: boolean): boolean {
    const v = o[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') {
      this.error([...path, key], `"${key}" must be true or false`);
      return fallback;
    }
    return v;
  }
  int(o: Obj, key: string, path: Path, fallback: number): number {
    const v = o[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      this.error([...path, key], `"${key}" must be a whole number ≥ 0`);
      return fallback;
    }
    return v;
  }
  strings(o: Obj, key: string, path: Path): string[] | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      this.error([...path, key], `"${key}" must be a list of strings`);
      return undefined;
    }
    return v as string[];
  }
  map(o: Obj, key: string, path: Path): Record<string, string> {
    const v = o[key];
    if (v === undefined || v === null) return {};
    if (!isObj(v)) {
      this.error([...path, key], `"${key}" must be a mapping of strings`);
      return {};
    }
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
      else this.error([...path, key, k], `"${k}" must be a string`);
    }
    return out;
  }
}

function readTags(r: Reader, o: Obj, key: string, path: Path): Record<string, string> {
  const tags = r.map(o, key, path);
  const n = Object.keys(tags).length;
  if (n > 50) r.error([...path, key], `At most 50 tags (${n} given)`);
  for (const k of Object.keys(tags)) {
    if (k.startsWith('aws:')) r.error([...path, key, k], 'Tag keys starting with "aws:" are reserved');
    else if (k.length > 128) r.error([...path, key, k], 'Tag keys are at most 128 characters');
  }
  return tags;
}

function readMetadata(
  r: Reader,
  doc: Obj,
): {
  name?: string;
  region?: string;
  version?: string;
  profile?: string;
  tags: Record<string, string>;
  annotations: Record<string, string>;
} {
  const md = r.obj(doc, 'metadata', [], true) ?? {};
  const name = r.str(md, 'name', ['metadata'], true);
  const region = r.str(md, 'region', ['metadata'], true);
  const version = r.str(md, 'version', ['metadata']);
  const annotations = r.map(md, 'annotations', ['metadata']);
  const profile = annotations[profileAnnotation];
  if (profile !== undefined && !/^[A-Za-z0-9_.+=,@-]{1,64}$/.test(profile)) {
    r.error(['metadata', 'annotations', profileAnnotation], `"${profile}" is not an AWS profile name`);
  }
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) r.error(['metadata', 'region'], `"${region}" is not an AWS region`);
  if (version !== undefined && minorOf(version) === undefined)
    r.error(['metadata', 'version'], `"${version}" is not a Kubernetes minor version such as 1.34`);
  return {
    ...(name !== undefined ? { name } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(version !== undefined ? { version } : {}),
    ...(profile ? { profile } : {}),
    tags: readTags(r, md, 'tags', ['metadata']),
    annotations,
  };
}

/**
 * The standard role to create, or undefined: `needed` when the file names no ARN for it; the name is the
 * annotation's, else the default. An annotation beside an ARN is a contradiction (error for the cluster role,
 * whose ARN sits beside it; a warning for the node role, unused when every group names its ARN).
 */
function standardRoleName(
  r: Reader,
  annotations: Readonly<Record<string, string>>,
  key: string,
  needed: boolean,
  fallback: string,
  unusedPath: Path,
  unused: 'error' | 'warning',
): string | undefined {
  const given = annotations[key];
  const path = ['metadata', 'annotations', key];
  if (!needed) {
    if (given !== undefined) {
      const text = `"${key}" names a role to create, but ${unusedPath.join('.')} already names one; remove one of them`;
      if (unused === 'error') r.error(path, text);
      else r.warn(path, `"${key}" is unused: every node group names its iam.instanceRoleARN`);
    }
    return undefined;
  }
  const name = given ?? fallback;
  const problem = iamRoleNameProblem(name);
  if (problem) r.error(given !== undefined ? path : unusedPath, `IAM role name "${name}": ${problem}; set ${key}`);
  return name;
}

const arnPattern = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

function readNodeGroup(r: Reader, g: Obj, path: Path, clusterVersion: string | undefined): EksNodeGroupSpec {
  const name = r.str(g, 'name', path, true) ?? '';
  const nameProblem = name ? nodeGroupNameProblem(name) : undefined;
  if (nameProblem) r.error([...path, 'name'], nameProblem);
  const iam = r.obj(g, 'iam', path);
  // Absent: the group uses the standard node role (created first; eksctl also creates one).
  const nodeRoleArn = (iam && r.str(iam, 'instanceRoleARN', [...path, 'iam'])) ?? '';
  if (nodeRoleArn && !arnPattern.test(nodeRoleArn)) r.error([...path, 'iam', 'instanceRoleARN'], `"${nodeRoleArn}" is not an IAM role ARN`);
  const one = r.str(g, 'instanceType', path);
  const many = r.strings(g, 'instanceTypes', path);
  if (one !== undefined && many !== undefined) r.error([...path, 'instanceTypes'], 'Use instanceType or instanceTypes, not both');
  const instanceTypes = many ?? [one ?? 'm5.large'];
  if (instanceTypes.length === 0) r.error([...path, 'instanceTypes'], 'Name at least one instance type');
  instanceTypes.forEach((t, i) => {
    if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(t))
      r.error(many ? [...path, 'instanceTypes', i] : [...path, 'instanceType'], `"${t}" is not an EC2 instance type`);
  });
  const arms = new Set(instanceTypes.map(isArmInstanceType));
  if (arms.size > 1) r.error([...path, 'instanceTypes'], 'Mix of arm64 (Graviton) and x86_64 instance types; one AMI cannot serve both');
  const family = r.str(g, 'amiFamily', path) ?? 'AmazonLinux2023';
  if (!(amiFamilies as readonly string[]).includes(family)) {
    r.error([...path, 'amiFamily'], `"${family}" is not one of ${amiFamilies.join(', ')}`);
  }
  const amiFamily = ((amiFamilies as readonly string[]).includes(family) ? family : 'AmazonLinux2023') as AmiFamily;
  const v = clusterVersion ? minorOf(clusterVersion) : undefined;
  if (amiFamily === 'AmazonLinux2' && v !== undefined && v >= 1033) {
    r.error([...path, 'amiFamily'], 'Amazon Linux 2 AMIs are not available from Kubernetes 1.33; use AmazonLinux2023 or Bottlerocket');
  }
  const spot = r.bool(g, 'spot', path, false);
  if (spot && instanceTypes.length < 2)
    r.warn([...path, 'instanceTypes'], 'Spot capacity is more available with two or more instance types');
  const volumeSizeGiB = r.int(g, 'volumeSize', path, 80);
  if (volumeSizeGiB < 1 || volumeSizeGiB > 16384) r.error([...path, 'volumeSize'], 'The volume size is 1–16384 GiB');
  const desiredCapacity = r.int(g, 'desiredCapacity', path, 2);
  const minSize = r.int(g, 'minSize', path, Math.min(desiredCapacity, 2));
  const maxSize = r.int(g, 'maxSize', path, Math.max(desiredCapacity, 2));
  const sp = scalingProblem(minSize, desiredCapacity, maxSize);
  if (sp) r.error([...path, sp.includes('maximum') && !sp.includes('desired') ? 'maxSize' : 'desiredCapacity'], sp);
  const labels = r.map(g, 'labels', path);
  for (const [k, val] of Object.entries(labels)) {
    const p = labelKeyProblem(k) ?? labelValueProblem(val);
    if (p) r.error([...path, 'labels', k], p);
  }
  const taints: EksTaint[] = [];
  const rawTaints = g.taints;
  if (rawTaints !== undefined && !Array.isArray(rawTaints)) r.error([...path, 'taints'], '"taints" must be a list of {key, value, effect}');
  (Array.isArray(rawTaints) ? rawTaints : []).forEach((t: unknown, i) => {
    const tp = [...path, 'taints', i];
    if (!isObj(t)) return r.error(tp, 'A taint is {key, value, effect}');
    const key = r.str(t, 'key', tp, true) ?? '';
    const value = r.str(t, 'value', tp) ?? '';
    const effect = t.effect;
    const kp = key ? labelKeyProblem(key) : undefined;
    if (kp) r.error([...tp, 'key'], kp);
    const vp = labelValueProblem(value);
    if (vp) r.error([...tp, 'value'], vp);
    if (!isTaintEffect(effect)) r.error([...tp, 'effect'], 'The effect is NoSchedule, NoExecute or PreferNoSchedule');
    else taints.push({ key, value, effect });
  });
  const subnets = r.strings(g, 'subnets', path) ?? [];
  subnets.forEach((s, i) => {
    if (!/^subnet-[0-9a-f]+$/.test(s)) r.error([...path, 'subnets', i], `"${s}" is not a subnet id (subnet-…)`);
  });
  const update = r.obj(g, 'updateConfig', path);
  const maxUnavailable = update ? r.int(update, 'maxUnavailable', [...path, 'updateConfig'], 1) : 1;
  if (maxUnavailable < 1 || maxUnavailable > 100) r.error([...path, 'updateConfig', 'maxUnavailable'], 'maxUnavailable is 1–100');
  return {
    name,
    nodeRoleArn,
    instanceTypes,
    amiFamily,
    spot,
    volumeSizeGiB,
    minSize,
    desiredCapacity,
    maxSize,
    labels,
    taints,
    subnets,
    privateNetworking: r.bool(g, 'privateNetworking', path, false),
    tags: readTags(r, g, 'tags', path),
    maxUnavailable,
  };
}

function readNodeGroups(r: Reader, doc: Obj, version: string | undefined, required: boolean): EksNodeGroupSpec[] {
  const raw = doc.managedNodeGroups;
  if (raw === undefined || raw === null) {
    if (required) r.error(['managedNodeGroups'], 'List at least one managed node group');
    return [];
  }
  if (!Array.isArray(raw)) {
    r.error(['managedNodeGroups'], '"managedNodeGroups" must be a list');
    return [];
  }
  if (required && raw.length === 0) r.error(['managedNodeGroups'], 'List at least one managed node group');
  const groups: EksNodeGroupSpec[] = [];
  const seen = new Set<string>();
  raw.forEach((g: unknown, i) => {
    if (!isObj(g)) return r.error(['managedNodeGroups', i], 'A node group is a mapping');
    const ng = readNodeGroup(r, g, ['managedNodeGroups', i], version);
    if (seen.has(ng.name)) r.error(['managedNodeGroups', i, 'name'], `Node group "${ng.name}" appears twice`);
    seen.add(ng.name);
    groups.push(ng);
  });
  return groups;
}

function hasErrors(problems: readonly SpecProblem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** Reads an eksctl ClusterConfig (cluster file). */
export function readClusterConfig(doc: unknown): { spec?: EksClusterSpec; problems: readonly SpecProblem[] } {
  const r = new Reader();
  if (!isEksctlConfig(doc)) {
    r.error([], `Not an eksctl ClusterConfig (apiVersion ${eksctlApiVersion}, kind ClusterConfig)`);
    return { problems: r.problems };
  }
  const md = readMetadata(r, doc);
  const nameProblem = md.name !== undefined ? clusterNameProblem(md.name) : undefined;
  if (nameProblem) r.error(['metadata', 'name'], nameProblem);
  if (md.version === undefined)
    r.error(['metadata', 'version'], 'Name the Kubernetes version (e.g. "1.34"): EKS and eksctl defaults differ');

  // Optional, as in eksctl: without it, the standard cluster role is created.
  const iam = r.obj(doc, 'iam', []) ?? {};
  // Absent: "create the standard role" (eksctl's behaviour too), named by the annotation or after the cluster.
  const roleArn = r.str(iam, 'serviceRoleARN', ['iam']) ?? '';
  if (roleArn && !arnPattern.test(roleArn)) r.error(['iam', 'serviceRoleARN'], `"${roleArn}" is not an IAM role ARN`);
  const clusterRoleName = standardRoleName(
    r,
    md.annotations,
    clusterRoleAnnotation,
    !roleArn,
    defaultClusterRoleName(md.name ?? ''),
    ['iam', 'serviceRoleARN'],
    'error',
  );
  const withOIDC = r.bool(iam, 'withOIDC', ['iam'], false);

  const vpc = r.obj(doc, 'vpc', [], true) ?? {};
  const vpcId = r.str(vpc, 'id', ['vpc']);
  const vpcCidr = r.str(vpc, 'cidr', ['vpc']);
  if (vpcCidr !== undefined) {
    const p = cidrProblem(vpcCidr);
    if (p) r.error(['vpc', 'cidr'], p);
  }
  const subnets: EksSubnet[] = [];
  const sn = r.obj(vpc, 'subnets', ['vpc']);
  if (!sn) r.error(['vpc', 'subnets'], 'List the cluster subnets (at least two, in two availability zones)');
  for (const access of ['private', 'public'] as const) {
    const section = sn ? r.obj(sn, access, ['vpc', 'subnets']) : undefined;
    for (const [alias, entry] of Object.entries(section ?? {})) {
      const p = ['vpc', 'subnets', access, alias];
      if (!isObj(entry)) {
        r.error(p, 'A subnet is {id: subnet-…}');
        continue;
      }
      const id = r.str(entry, 'id', p, true) ?? '';
      if (id && !/^subnet-[0-9a-f]+$/.test(id)) r.error([...p, 'id'], `"${id}" is not a subnet id (subnet-…)`);
      const az = r.str(entry, 'az', p) ?? alias;
      if (!/^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/.test(az))
        r.error(p, `"${az}" is not an availability zone; use the zone name as the key or set "az"`);
      else if (md.region && !az.startsWith(md.region)) r.error(p, `Zone ${az} is not in region ${md.region}`);
      subnets.push({ id, az, access });
    }
  }
  if (sn) {
    const zones = new Set(subnets.map((s) => s.az));
    if (subnets.length < 2 || zones.size < 2) r.error(['vpc', 'subnets'], 'EKS needs subnets in at least two availability zones');
    const ids = subnets.map((s) => s.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) r.error(['vpc', 'subnets'], `Subnet ${id} is listed twice`);
    });
  }
  const ep = r.obj(vpc, 'clusterEndpoints', ['vpc']) ?? {};
  const publicAccess = r.bool(ep, 'publicAccess', ['vpc', 'clusterEndpoints'], true);
  const privateAccess = r.bool(ep, 'privateAccess', ['vpc', 'clusterEndpoints'], true);
  if (!publicAccess && !privateAccess) r.error(['vpc', 'clusterEndpoints'], 'Enable public or private endpoint access (or both)');
  const cidrs = r.strings(vpc, 'publicAccessCIDRs', ['vpc']) ?? (publicAccess ? ['0.0.0.0/0'] : []);
  cidrs.forEach((c, i) => {
    const p = cidrProblem(c);
    if (p) r.error(['vpc', 'publicAccessCIDRs', i], p);
  });
  if (publicAccess && cidrs.length === 0) r.error(['vpc', 'publicAccessCIDRs'], 'List at least one CIDR for the public endpoint');
  if (publicAccess && cidrs.includes('0.0.0.0/0')) {
    r.warn(['vpc', 'publicAccessCIDRs'], 'The public endpoint is open to the whole internet (0.0.0.0/0); consider your egress IP /32');
  }

  const access = r.obj(doc, 'accessConfig', []) ?? {};
  const mode = r.str(access, 'authenticationMode', ['accessConfig']) ?? 'API_AND_CONFIG_MAP';
  if (!(authenticationModes as readonly string[]).includes(mode)) {
    r.error(['accessConfig', 'authenticationMode'], `"${mode}" is not one of ${authenticationModes.join(', ')}`);
  }
  const bootstrapAdmin = r.bool(access, 'bootstrapClusterCreatorAdminPermissions', ['accessConfig'], true);
  if (!bootstrapAdmin)
    r.warn(
      ['accessConfig', 'bootstrapClusterCreatorAdminPermissions'],
      'Without it, you cannot reach the new cluster until an access entry is added',
    );

  const knc = r.obj(doc, 'kubernetesNetworkConfig', []) ?? {};
  const ipFamily = r.str(knc, 'ipFamily', ['kubernetesNetworkConfig']) ?? 'IPv4';
  if (ipFamily !== 'IPv4' && ipFamily !== 'IPv6') r.error(['kubernetesNetworkConfig', 'ipFamily'], 'ipFamily is IPv4 or IPv6');
  const serviceIpv4Cidr = r.str(knc, 'serviceIPv4CIDR', ['kubernetesNetworkConfig']);
  if (serviceIpv4Cidr !== undefined) {
    const path = ['kubernetesNetworkConfig', 'serviceIPv4CIDR'];
    const p = cidrProblem(serviceIpv4Cidr);
    const c = parseIpv4Block(serviceIpv4Cidr);
    const vc = vpcCidr ? parseIpv4Block(vpcCidr) : undefined;
    if (p) r.error(path, p);
    else if (c && !isRfc1918(c)) r.error(path, 'The service CIDR must be inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16');
    else if (c && (c.prefix < 12 || c.prefix > 24)) r.error(path, 'The service CIDR prefix must be between /12 and /24');
    else if (c && vc && cidrsOverlap(c, vc)) r.error(path, `The service CIDR overlaps the VPC CIDR ${vpcCidr}`);
  }

  const cw = r.obj(doc, 'cloudWatch', []);
  const cl = cw ? r.obj(cw, 'clusterLogging', ['cloudWatch']) : undefined;
  const logging = (cl ? r.strings(cl, 'enableTypes', ['cloudWatch', 'clusterLogging']) : undefined) ?? [];
  logging.forEach((t, i) => {
    if (!(logTypes as readonly string[]).includes(t))
      r.error(['cloudWatch', 'clusterLogging', 'enableTypes', i], `"${t}" is not one of ${logTypes.join(', ')}`);
  });

  const up = r.obj(doc, 'upgradePolicy', []) ?? {};
  const supportType = r.str(up, 'supportType', ['upgradePolicy']) ?? 'STANDARD';
  if (supportType !== 'STANDARD' && supportType !== 'EXTENDED')
    r.error(['upgradePolicy', 'supportType'], 'supportType is STANDARD or EXTENDED');

  const addons: EksAddonSpec[] = [];
  const rawAddons = doc.addons;
  if (rawAddons !== undefined && !Array.isArray(rawAddons)) r.error(['addons'], '"addons" must be a list of {name, version}');
  (Array.isArray(rawAddons) ? rawAddons : []).forEach((a: unknown, i) => {
    if (!isObj(a)) return r.error(['addons', i], 'An add-on is {name, version}');
    const name = r.str(a, 'name', ['addons', i], true);
    const version = r.str(a, 'version', ['addons', i]);
    if (name !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(name)) r.error(['addons', i, 'name'], `"${name}" is not an add-on name`);
    if (name !== undefined && addons.some((x) => x.name === name)) r.error(['addons', i, 'name'], `Add-on "${name}" appears twice`);
    if (name !== undefined) addons.push({ name, ...(version !== undefined && version !== 'latest' ? { version } : {}) });
  });
  if (!addons.some((a) => a.name === 'vpc-cni') && addons.some((a) => a.name === 'coredns' || a.name === 'kube-proxy')) {
    r.warn(['addons'], 'Without vpc-cni (or another CNI you install), nodes do not become Ready');
  }

  const nodeGroups = readNodeGroups(r, doc, md.version, false);
  const nodeRoleName = standardRoleName(
    r,
    md.annotations,
    nodeRoleAnnotation,
    nodeGroups.some((g) => !g.nodeRoleArn),
    defaultNodeRoleName(md.name ?? ''),
    ['managedNodeGroups'],
    'warning',
  );
  if (clusterRoleName !== undefined && clusterRoleName === nodeRoleName) {
    r.error(
      ['metadata', 'annotations', nodeRoleAnnotation],
      `The cluster and node roles cannot share the name "${clusterRoleName}"; they trust different services`,
    );
  }
  const subnetIds = new Set(subnets.map((s) => s.id));
  nodeGroups.forEach((g, i) =>
    g.subnets.forEach((s, j) => {
      if (!subnetIds.has(s)) r.warn(['managedNodeGroups', i, 'subnets', j], `Subnet ${s} is not one of the cluster's subnets`);
    }),
  );
  if (hasErrors(r.problems)) return { problems: r.problems };
  return {
    spec: {
      name: md.name ?? '',
      region: md.region ?? '',
      version: md.version ?? '',
      ...(md.profile ? { profile: md.profile } : {}),
      tags: md.tags,
      roleArn,
      ...(clusterRoleName !== undefined ? { clusterRoleName } : {}),
      ...(nodeRoleName !== undefined ? { nodeRoleName } : {}),
      withOIDC,
      ...(vpcId !== undefined ? { vpcId } : {}),
      ...(vpcCidr !== undefined ? { vpcCidr } : {}),
      subnets,
      publicAccess,
      privateAccess,
      publicAccessCidrs: cidrs,
      authenticationMode: mode as AuthenticationMode,
      bootstrapClusterCreatorAdminPermissions: bootstrapAdmin,
      logging: logging as LogType[],
      ipFamily: ipFamily as 'IPv4' | 'IPv6',
      ...(serviceIpv4Cidr !== undefined ? { serviceIpv4Cidr } : {}),
      supportType: supportType as 'STANDARD' | 'EXTENDED',
      addons,
      nodeGroups,
    },
    problems: r.problems,
  };
}

/** Reads an eksctl ClusterConfig that holds only managedNodeGroups (node-pool file). */
export function readNodePoolConfig(doc: unknown): { spec?: EksNodePoolSpec; problems: readonly SpecProblem[] } {
  const r = new Reader();
  if (!isEksctlConfig(doc)) {
    r.error([], `Not an eksctl ClusterConfig (apiVersion ${eksctlApiVersion}, kind ClusterConfig)`);
    return { problems: r.problems };
  }
  const md = readMetadata(r, doc);
  for (const k of clusterSections)
    if (k in doc) r.error([k], `A node-pool file holds only metadata and managedNodeGroups; "${k}" belongs to a cluster file`);
  const nodeGroups = readNodeGroups(r, doc, md.version, true);
  const nodeRoleName = standardRoleName(
    r,
    md.annotations,
    nodeRoleAnnotation,
    nodeGroups.some((g) => !g.nodeRoleArn),
    defaultNodeRoleName(md.name ?? ''),
    ['managedNodeGroups'],
    'warning',
  );
  nodeGroups.forEach((g, i) => {
    if (g.subnets.length === 0)
      r.error(['managedNodeGroups', i, 'subnets'], "Name the subnets of the node group (ids of the cluster's subnets)");
  });
  if (hasErrors(r.problems)) return { problems: r.problems };
  return {
    spec: {
      cluster: md.name ?? '',
      region: md.region ?? '',
      ...(md.profile ? { profile: md.profile } : {}),
      ...(md.version ? { version: md.version } : {}),
      ...(nodeRoleName !== undefined ? { nodeRoleName } : {}),
      nodeGroups,
    },
    problems: r.problems,
  };
}

function nodeGroupYaml(g: EksNodeGroupSpec): Obj {
  return {
    name: g.name,
    ...(g.instanceTypes.length === 1 ? { instanceType: g.instanceTypes[0] } : { instanceTypes: [...g.instanceTypes] }),
    amiFamily: g.amiFamily,
    spot: g.spot,
    minSize: g.minSize,
    desiredCapacity: g.desiredCapacity,
    maxSize: g.maxSize,
    volumeSize: g.volumeSizeGiB,
    privateNetworking: g.privateNetworking,
    ...(g.subnets.length ? { subnets: [...g.subnets] } : {}),
    ...(g.nodeRoleArn ? { iam: { instanceRoleARN: g.nodeRoleArn } } : {}),
    ...(Object.keys(g.labels).length ? { labels: { ...g.labels } } : {}),
    ...(g.taints.length ? { taints: g.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })) } : {}),
    ...(Object.keys(g.tags).length ? { tags: { ...g.tags } } : {}),
    updateConfig: { maxUnavailable: g.maxUnavailable },
  };
}

function metadataYaml(
  name: string,
  region: string,
  version: string | undefined,
  profile: string | undefined,
  tags: Readonly<Record<string, string>>,
  roles: { readonly cluster?: string; readonly node?: string } = {},
): Obj {
  const annotations = {
    ...(profile ? { [profileAnnotation]: profile } : {}),
    ...(roles.cluster !== undefined ? { [clusterRoleAnnotation]: roles.cluster } : {}),
    ...(roles.node !== undefined ? { [nodeRoleAnnotation]: roles.node } : {}),
  };
  return {
    name,
    region,
    ...(version ? { version } : {}),
    ...(Object.keys(annotations).length ? { annotations } : {}),
    ...(Object.keys(tags).length ? { tags: { ...tags } } : {}),
  };
}

const header = (what: string) =>
  `# ${what} (eksctl ClusterConfig). ClusterDeck creates it through the EKS API ("Create from File");\n` +
  `# \`eksctl create ${what.startsWith('EKS node') ? 'nodegroup' : 'cluster'} -f <this file>\` does the same.\n`;

export function writeClusterConfig(s: EksClusterSpec): string {
  const section = (access: 'private' | 'public') => {
    const list = s.subnets.filter((x) => x.access === access);
    // Keyed by zone as eksctl writes it; a second subnet in the same zone needs its own key and an explicit az.
    const out: Obj = {};
    for (const x of list) {
      if (!(x.az in out)) out[x.az] = { id: x.id };
      else out[`${x.az}-${x.id}`] = { id: x.id, az: x.az };
    }
    return out;
  };
  const priv = section('private');
  const pub = section('public');
  const doc: Obj = {
    apiVersion: eksctlApiVersion,
    kind: 'ClusterConfig',
    metadata: metadataYaml(s.name, s.region, s.version, s.profile, s.tags, { cluster: s.clusterRoleName, node: s.nodeRoleName }),
    // No serviceRoleARN: the standard role named in metadata.annotations is created first.
    iam: { ...(s.clusterRoleName === undefined ? { serviceRoleARN: s.roleArn } : {}), withOIDC: s.withOIDC },
    accessConfig: {
      authenticationMode: s.authenticationMode,
      bootstrapClusterCreatorAdminPermissions: s.bootstrapClusterCreatorAdminPermissions,
    },
    vpc: {
      ...(s.vpcId ? { id: s.vpcId } : {}),
      ...(s.vpcCidr ? { cidr: s.vpcCidr } : {}),
      subnets: { ...(Object.keys(priv).length ? { private: priv } : {}), ...(Object.keys(pub).length ? { public: pub } : {}) },
      clusterEndpoints: { publicAccess: s.publicAccess, privateAccess: s.privateAccess },
      ...(s.publicAccess ? { publicAccessCIDRs: [...s.publicAccessCidrs] } : {}),
    },
    kubernetesNetworkConfig: { ipFamily: s.ipFamily, ...(s.serviceIpv4Cidr ? { serviceIPv4CIDR: s.serviceIpv4Cidr } : {}) },
    cloudWatch: { clusterLogging: { enableTypes: [...s.logging] } },
    upgradePolicy: { supportType: s.supportType },
    addons: s.addons.map((a) => ({ name: a.name, ...(a.version ? { version: a.version } : {}) })),
    ...(s.nodeGroups.length ? { managedNodeGroups: s.nodeGroups.map(nodeGroupYaml) } : {}),
  };
  return header(`EKS cluster ${s.name}`) + stringify(doc, { lineWidth: 0 });
}

export function writeNodePoolConfig(s: EksNodePoolSpec): string {
  const doc: Obj = {
    apiVersion: eksctlApiVersion,
    kind: 'ClusterConfig',
    metadata: metadataYaml(s.cluster, s.region, s.version, s.profile, {}, { node: s.nodeRoleName }),
    managedNodeGroups: s.nodeGroups.map(nodeGroupYaml),
  };
  return header(`EKS node groups for ${s.cluster}`) + stringify(doc, { lineWidth: 0 });
}
