// The two GKE provisioning formats: read (validated, problems at paths), write (YAML the reader accepts back), plan
// (the exact SDK request, the gcloud equivalent, warnings). See gkeSpec.ts for the file shapes.
import { stringify } from 'yaml';
import { ClusterDeckError } from '../../errors';
import type { PlanOverrides, ProvisionPlan, ProvisioningFormat } from '../provisioning';
import {
  gcpProjectPattern,
  isGkeRegion,
  isGkeZone,
  readClusterFile,
  readNodePoolFile,
  type GkeCluster,
  type GkeClusterSpec,
  type GkeNodePool,
  type GkeNodePoolSpec,
} from './gkeSpec';

function isObject(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** POSIX shell quoting for the shown command (values are validated, so quoting is rare). */
function q(v: string | number): string {
  const s = String(v);
  return /^[A-Za-z0-9._/:=,@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function command(parts: readonly (readonly (string | number)[])[]): string {
  return parts
    .filter((p) => p.length > 0)
    .map((p) => p.map(q).join(' '))
    .join(' \\\n  ');
}

function keyValues(m: Readonly<Record<string, string>> | undefined): string {
  return Object.entries(m ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

const effectFlag: Record<string, string> = { NO_SCHEDULE: 'NoSchedule', PREFER_NO_SCHEDULE: 'PreferNoSchedule', NO_EXECUTE: 'NoExecute' };

/** gcloud flags for a node pool (the same for `clusters create` and `node-pools create`). */
function poolFlags(pool: GkeNodePool): (string | number)[][] {
  const c = pool.config ?? {};
  const a = pool.autoscaling;
  const out: (string | number)[][] = [];
  if (c.machineType) out.push(['--machine-type', c.machineType]);
  if (c.imageType) out.push(['--image-type', c.imageType]);
  if (c.diskType || c.diskSizeGb !== undefined)
    out.push([...(c.diskType ? ['--disk-type', c.diskType] : []), ...(c.diskSizeGb !== undefined ? ['--disk-size', c.diskSizeGb] : [])]);
  if (pool.initialNodeCount !== undefined) out.push(['--num-nodes', pool.initialNodeCount]);
  if (a?.enabled) {
    const total = a.totalMinNodeCount !== undefined || a.totalMaxNodeCount !== undefined;
    out.push([
      '--enable-autoscaling',
      ...(total
        ? ['--total-min-nodes', a.totalMinNodeCount ?? 0, '--total-max-nodes', a.totalMaxNodeCount ?? 0]
        : ['--min-nodes', a.minNodeCount ?? 0, '--max-nodes', a.maxNodeCount ?? 0]),
      ...(a.locationPolicy ? ['--location-policy', a.locationPolicy] : []),
    ]);
  } else if (a) out.push(['--no-enable-autoscaling']);
  if (pool.locations?.length) out.push(['--node-locations', pool.locations.join(',')]);
  if (c.spot) out.push(['--spot']);
  if (c.labels && Object.keys(c.labels).length) out.push(['--node-labels', keyValues(c.labels)]);
  if (c.taints?.length)
    out.push(['--node-taints', c.taints.map((t) => `${t.key}=${t.value}:${effectFlag[t.effect] ?? t.effect}`).join(',')]);
  const maxPods = pool.maxPodsConstraint?.maxPodsPerNode;
  if (maxPods !== undefined) out.push(['--max-pods-per-node', maxPods]);
  if (pool.management)
    out.push([
      pool.management.autoUpgrade === false ? '--no-enable-autoupgrade' : '--enable-autoupgrade',
      pool.management.autoRepair === false ? '--no-enable-autorepair' : '--enable-autorepair',
    ]);
  const u = pool.upgradeSettings;
  if (u)
    out.push([
      ...(u.maxSurge !== undefined ? ['--max-surge-upgrade', u.maxSurge] : []),
      ...(u.maxUnavailable !== undefined ? ['--max-unavailable-upgrade', u.maxUnavailable] : []),
    ]);
  return out;
}

/** The zones a pool's nodes go to: its own list, the cluster's, a zonal cluster's zone, or (unknown) a region's three. */
function zoneCount(pool: GkeNodePool, location: string, clusterZones?: readonly string[]): number {
  if (pool.locations?.length) return pool.locations.length;
  if (clusterZones?.length) return clusterZones.length;
  return isGkeZone(location) ? 1 : 3;
}

function poolNodes(pool: GkeNodePool, location: string, clusterZones?: readonly string[]): number {
  return (pool.initialNodeCount ?? 0) * zoneCount(pool, location, clusterZones);
}

function poolWarnings(pool: GkeNodePool, where: string): string[] {
  const out: string[] = [];
  if (pool.config?.spot) out.push(`Node pool ${pool.name}${where} uses Spot VMs: Compute Engine may reclaim them at any time.`);
  if (pool.autoscaling?.enabled === false || pool.autoscaling === undefined)
    out.push(`Node pool ${pool.name}${where} does not autoscale: it keeps ${pool.initialNodeCount ?? 0} node(s) per zone.`);
  return out;
}

function where(project: string, location: string, overrides?: PlanOverrides): { project: string; location: string } {
  const p = overrides?.account ?? project;
  const l = overrides?.location ?? location;
  if (!gcpProjectPattern.test(p)) throw new ClusterDeckError('invalid', `"${p}" is not a Google Cloud project id; fix parent in the file.`);
  if (!isGkeRegion(l) && !isGkeZone(l))
    throw new ClusterDeckError('invalid', `"${l}" is not a GKE region or zone; fix parent in the file.`);
  return { project: p, location: l };
}

/** The plan for a cluster spec: one createCluster step whose body is `{ parent, cluster }` exactly as written. */
export function planCluster(spec: GkeClusterSpec, overrides?: PlanOverrides): ProvisionPlan {
  const { project, location } = where(spec.project, spec.location, overrides);
  const c: GkeCluster = spec.cluster;
  const autopilot = c.autopilot?.enabled === true;
  const channel = c.releaseChannel?.channel;
  const onChannel = channel !== undefined && channel !== 'UNSPECIFIED';
  const pools = c.nodePools ?? [];
  const nodes = pools.reduce((n, p) => n + poolNodes(p, location, c.locations), 0);
  const warnings: string[] = [];
  if (isGkeZone(location))
    warnings.push(
      `${location} is a zone: the cluster gets one control plane; a region (${location.replace(/-[a-z]$/, '')}) gives a replicated one.`,
    );
  if (autopilot) warnings.push('Autopilot bills by the resources Pods request: set requests on every container.');
  if (channel === 'EXTENDED') warnings.push('The Extended channel costs extra once a version leaves standard support.');
  const man = c.masterAuthorizedNetworksConfig;
  if (man?.cidrBlocks?.some((b) => b.cidrBlock === '0.0.0.0/0'))
    warnings.push('The authorized networks include 0.0.0.0/0: any address can reach the control plane.');
  else if (!man?.enabled && !c.privateClusterConfig?.enablePrivateEndpoint)
    warnings.push('No authorized networks: the public control-plane endpoint accepts connections from any address.');
  for (const pool of pools) warnings.push(...poolWarnings(pool, ''));

  const base: (string | number)[][] = [
    autopilot ? ['gcloud', 'container', 'clusters', 'create-auto', c.name] : ['gcloud', 'container', 'clusters', 'create', c.name],
    ['--project', project, '--location', location],
  ];
  if (onChannel) base.push(['--release-channel', channel.toLowerCase()]);
  else if (!autopilot)
    base.push(['--release-channel', 'None', ...(c.initialClusterVersion ? ['--cluster-version', c.initialClusterVersion] : [])]);
  if (onChannel && c.initialClusterVersion) base.push(['--cluster-version', c.initialClusterVersion]);
  if (c.network || c.subnetwork)
    base.push([...(c.network ? ['--network', c.network] : []), ...(c.subnetwork ? ['--subnetwork', c.subnetwork] : [])]);
  const ip = c.ipAllocationPolicy;
  if (ip && !autopilot)
    base.push([
      ip.useIpAliases === false ? '--no-enable-ip-alias' : '--enable-ip-alias',
      ...(ip.clusterIpv4CidrBlock ? ['--cluster-ipv4-cidr', ip.clusterIpv4CidrBlock] : []),
      ...(ip.servicesIpv4CidrBlock ? ['--services-ipv4-cidr', ip.servicesIpv4CidrBlock] : []),
    ]);
  else if (ip?.clusterIpv4CidrBlock || ip?.servicesIpv4CidrBlock)
    base.push([
      ...(ip.clusterIpv4CidrBlock ? ['--cluster-ipv4-cidr', ip.clusterIpv4CidrBlock] : []),
      ...(ip.servicesIpv4CidrBlock ? ['--services-ipv4-cidr', ip.servicesIpv4CidrBlock] : []),
    ]);
  const pcc = c.privateClusterConfig;
  if (pcc?.enablePrivateNodes)
    base.push([
      '--enable-private-nodes',
      ...(pcc.enablePrivateEndpoint ? ['--enable-private-endpoint'] : []),
      ...(pcc.masterIpv4CidrBlock ? ['--master-ipv4-cidr', pcc.masterIpv4CidrBlock] : []),
    ]);
  if (man?.enabled) {
    const blocks = (man.cidrBlocks ?? []).map((b) => b.cidrBlock ?? '').filter(Boolean);
    base.push(['--enable-master-authorized-networks', ...(blocks.length ? ['--master-authorized-networks', blocks.join(',')] : [])]);
  } else if (man) base.push(['--no-enable-master-authorized-networks']);
  if (c.workloadIdentityConfig?.workloadPool && !autopilot) base.push(['--workload-pool', c.workloadIdentityConfig.workloadPool]);
  if (c.networkConfig?.datapathProvider === 'ADVANCED_DATAPATH' && !autopilot) base.push(['--enable-dataplane-v2']);
  if (c.locations?.length) base.push(['--node-locations', c.locations.join(',')]);
  if (c.resourceLabels && Object.keys(c.resourceLabels).length) base.push(['--labels', keyValues(c.resourceLabels)]);
  const [first, ...rest] = pools;
  const lines: string[] = [];
  if (first) {
    base.push(...poolFlags(first));
    if (first.name !== 'default-pool') lines.push(`# gcloud names the first node pool default-pool; the request names it ${first.name}.`);
  }
  lines.push(command(base));
  for (const pool of rest)
    lines.push(
      command([
        ['gcloud', 'container', 'node-pools', 'create', pool.name],
        ['--cluster', c.name, '--project', project, '--location', location],
        ...poolFlags(pool),
      ]),
    );
  const how = autopilot ? 'Autopilot' : 'Standard';
  const version = onChannel ? `${channel} channel` : c.initialClusterVersion ? `version ${c.initialClusterVersion}` : 'default version';
  return {
    cloud: 'gke',
    what: `GKE ${how} cluster ${c.name} (${version}${autopilot ? '' : `, ${pools.length} node pool${pools.length === 1 ? '' : 's'}`})`,
    where: `project ${project}, ${isGkeZone(location) ? 'zone' : 'region'} ${location}`,
    estimatedNodes: nodes,
    steps: [
      {
        kind: 'cluster',
        target: { cloud: 'gke', account: project, location, cluster: c.name },
        name: c.name,
        body: { parent: `projects/${project}/locations/${location}`, cluster: structuredClone(c) },
        estimatedNodes: nodes,
      },
    ],
    equivalentCommand: lines.join('\n'),
    warnings,
  };
}

/** The plan for a node-pool spec: one createNodePool step with body `{ parent, nodePool }`. */
export function planNodePool(spec: GkeNodePoolSpec, overrides?: PlanOverrides): ProvisionPlan {
  const { project, location } = where(spec.project, spec.location, overrides);
  const pool = spec.nodePool;
  const nodes = poolNodes(pool, location);
  return {
    cloud: 'gke',
    what: `GKE node pool ${pool.name} (${pool.config?.machineType ?? 'machine type unset'}) in cluster ${spec.cluster}`,
    where: `project ${project}, ${isGkeZone(location) ? 'zone' : 'region'} ${location}`,
    estimatedNodes: nodes,
    steps: [
      {
        kind: 'nodePool',
        target: { cloud: 'gke', account: project, location, cluster: spec.cluster },
        name: pool.name,
        body: { parent: `projects/${project}/locations/${location}/clusters/${spec.cluster}`, nodePool: structuredClone(pool) },
        estimatedNodes: nodes,
      },
    ],
    equivalentCommand: command([
      ['gcloud', 'container', 'node-pools', 'create', pool.name],
      ['--cluster', spec.cluster, '--project', project, '--location', location],
      ...poolFlags(pool),
    ]),
    warnings: [
      ...(pool.locations?.length
        ? []
        : [`The node count assumes ${zoneCount(pool, location)} zone(s); the pool takes the cluster's node zones.`]),
      ...poolWarnings(pool, ''),
    ],
  };
}

/** Key order of the written file: the request's header first, then the resource. */
function clusterDocument(spec: GkeClusterSpec): unknown {
  return { parent: `projects/${spec.project}/locations/${spec.location}`, cluster: spec.cluster };
}

const yamlOptions = { lineWidth: 0 } as const;

export const gkeClusterFormat: ProvisioningFormat<GkeClusterSpec> = {
  cloud: 'gke',
  label: 'GKE Cluster',
  matches: (doc) =>
    isObject(doc) && typeof doc.parent === 'string' && /^projects\/[^/]+\/locations\/[^/]+$/.test(doc.parent) && isObject(doc.cluster),
  read: (doc) => readClusterFile(doc),
  write: (spec) =>
    `# GKE CreateClusterRequest: parent (project and location) and the Cluster resource, sent as written.\n` +
    stringify(clusterDocument(spec), yamlOptions),
  plan: planCluster,
};

export const gkeNodePoolFormat: ProvisioningFormat<GkeNodePoolSpec> = {
  cloud: 'gke',
  label: 'GKE NodePool',
  matches: (doc) =>
    isObject(doc) &&
    typeof doc.parent === 'string' &&
    /^projects\/[^/]+\/locations\/[^/]+\/clusters\/[^/]+$/.test(doc.parent) &&
    isObject(doc.nodePool),
  read: (doc) => readNodePoolFile(doc),
  write: (spec) =>
    `# GKE CreateNodePoolRequest: parent (project, location, cluster) and the NodePool resource, sent as written.\n` +
    stringify(
      { parent: `projects/${spec.project}/locations/${spec.location}/clusters/${spec.cluster}`, nodePool: spec.nodePool },
      yamlOptions,
    ),
  plan: planNodePool,
};
