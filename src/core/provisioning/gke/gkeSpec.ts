// The GKE provisioning files (provisioning.md §2): the GKE API's own request documents, so what the file says is
// what is sent.
// - Cluster file: a CreateClusterRequest `{ parent: projects/P/locations/L, cluster: <Cluster resource> }`. The
//   Cluster resource carries no project (and its `location` is output only), hence the `parent` header.
// - Node-pool file: a CreateNodePoolRequest `{ parent: projects/P/locations/L/clusters/C, nodePool: <NodePool> }`.
// Both are YAML or JSON (JSON is YAML). Enums are written as names ("REGULAR"); the SDK sends their numbers.
// Fields are checked against the API's field lists: the SDK silently drops a field it does not know, so an unknown
// or output-only field is an error rather than something quietly not sent.
import { hasHostBits, isRfc1918, overlappingPairs, parseIpv4Block, type Cidr } from '../cidr';
import { OWNERSHIP_KEY, type SpecProblem } from '../provisioning';

/** A JSON object as read from the file. */
export type JsonObject = Readonly<Record<string, unknown>>;

export interface GkeTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: 'NO_SCHEDULE' | 'PREFER_NO_SCHEDULE' | 'NO_EXECUTE';
}

/** NodeConfig: the fields the wizard writes (any other NodeConfig field may appear in a file). */
export interface GkeNodeConfig {
  readonly machineType?: string;
  readonly diskSizeGb?: number;
  readonly diskType?: string;
  readonly imageType?: string;
  readonly spot?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
  readonly taints?: readonly GkeTaint[];
  readonly [field: string]: unknown;
}

/** NodePool (`google.container.v1.NodePool`), as in the API's JSON. */
export interface GkeNodePool {
  readonly name: string;
  readonly initialNodeCount?: number;
  readonly locations?: readonly string[];
  readonly config?: GkeNodeConfig;
  readonly autoscaling?: {
    readonly enabled?: boolean;
    readonly minNodeCount?: number;
    readonly maxNodeCount?: number;
    readonly totalMinNodeCount?: number;
    readonly totalMaxNodeCount?: number;
    readonly locationPolicy?: string;
  };
  readonly management?: { readonly autoUpgrade?: boolean; readonly autoRepair?: boolean };
  readonly maxPodsConstraint?: { readonly maxPodsPerNode?: number | string };
  readonly upgradeSettings?: { readonly maxSurge?: number; readonly maxUnavailable?: number };
  readonly [field: string]: unknown;
}

/** Cluster (`google.container.v1.Cluster`), as in the API's JSON. */
export interface GkeCluster {
  readonly name: string;
  readonly autopilot?: { readonly enabled?: boolean };
  readonly releaseChannel?: { readonly channel?: string };
  readonly initialClusterVersion?: string;
  readonly network?: string;
  readonly subnetwork?: string;
  readonly locations?: readonly string[];
  readonly ipAllocationPolicy?: {
    readonly useIpAliases?: boolean;
    readonly clusterIpv4CidrBlock?: string;
    readonly servicesIpv4CidrBlock?: string;
    readonly [field: string]: unknown;
  };
  readonly privateClusterConfig?: {
    readonly enablePrivateNodes?: boolean;
    readonly enablePrivateEndpoint?: boolean;
    readonly masterIpv4CidrBlock?: string;
    readonly [field: string]: unknown;
  };
  readonly masterAuthorizedNetworksConfig?: {
    readonly enabled?: boolean;
    readonly cidrBlocks?: readonly { readonly cidrBlock?: string; readonly displayName?: string }[];
    readonly [field: string]: unknown;
  };
  readonly workloadIdentityConfig?: { readonly workloadPool?: string };
  readonly networkConfig?: { readonly datapathProvider?: string; readonly [field: string]: unknown };
  readonly nodePools?: readonly GkeNodePool[];
  readonly resourceLabels?: Readonly<Record<string, string>>;
  readonly [field: string]: unknown;
}

/** A cluster file read back: where, and the Cluster resource sent as is. */
export interface GkeClusterSpec {
  readonly project: string;
  readonly location: string;
  readonly cluster: GkeCluster;
}

/** A node-pool file read back. */
export interface GkeNodePoolSpec {
  readonly project: string;
  readonly location: string;
  readonly cluster: string;
  readonly nodePool: GkeNodePool;
}

// ---- names and values ----

/** Cluster and node-pool names (cluster_service.proto): lowercase RFC 1035 label, at most 40 characters. */
export const gkeNamePattern = /^[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?$/;
/** Project ids: 6–30 lowercase letters, digits, hyphens; a letter first, no hyphen last (optionally domain-scoped). */
export const gcpProjectPattern = /^(?:[a-z][-a-z0-9.]*[a-z0-9]:)?[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
const regionPattern = /^[a-z]+-[a-z]+[0-9]+$/;
const zonePattern = /^[a-z]+-[a-z]+[0-9]+-[a-z]$/;
const labelKeyPattern = /^[a-z][a-z0-9_-]{0,62}$/;
const labelValuePattern = /^[a-z0-9_-]{0,63}$/;
const k8sNamePart = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;
const dnsSubdomain = /^(?=.{1,253}$)[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

export const releaseChannels = ['RAPID', 'REGULAR', 'STABLE', 'EXTENDED'] as const;
export const taintEffects = ['NO_SCHEDULE', 'PREFER_NO_SCHEDULE', 'NO_EXECUTE'] as const;
export const diskTypes = ['pd-balanced', 'pd-standard', 'pd-ssd', 'pd-extreme', 'hyperdisk-balanced', 'hyperdisk-throughput'] as const;
const datapathProviders = ['LEGACY_DATAPATH', 'ADVANCED_DATAPATH'];
const locationPolicies = ['BALANCED', 'ANY'];

export function isGkeRegion(location: string): boolean {
  return regionPattern.test(location);
}
export function isGkeZone(location: string): boolean {
  return zonePattern.test(location);
}
/** The region of a zone ("europe-west1-b" → "europe-west1"), or the region itself. */
export function regionOf(location: string): string {
  return isGkeZone(location) ? location.replace(/-[a-z]$/, '') : location;
}

/** A message when `v` is not a GKE cluster or node-pool name, else undefined. */
export function checkGkeName(v: string, what = 'The name'): string | undefined {
  if (!v) return `${what} is required.`;
  if (v.length > 40) return `${what} has ${v.length} characters; GKE allows at most 40.`;
  return gkeNamePattern.test(v)
    ? undefined
    : `${what} must be lowercase letters, digits and hyphens, start with a letter and end with a letter or digit.`;
}

/** A message when `key` is not a Kubernetes label (or taint) key. */
export function checkKubeLabelKey(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !dnsSubdomain.test(prefix)) return `"${key}": the prefix must be a DNS subdomain.`;
  if (!k8sNamePart.test(name))
    return `"${key}": a key is at most 63 letters, digits, "-", "_" or ".", beginning and ending with a letter or digit.`;
  return undefined;
}

/** A message when `value` is not a Kubernetes label value (empty is allowed). */
export function checkKubeLabelValue(value: string): string | undefined {
  return value === '' || k8sNamePart.test(value)
    ? undefined
    : `"${value}": a value is at most 63 letters, digits, "-", "_" or ".", beginning and ending with a letter or digit.`;
}

/** A message when a GCP resource label key/value is not acceptable (lowercase, ≤ 63, `[a-z0-9_-]`). */
export function checkResourceLabel(key: string, value: string): string | undefined {
  if (!labelKeyPattern.test(key))
    return `Label key "${key}" must start with a lowercase letter and hold at most 63 lowercase letters, digits, "_" or "-".`;
  if (!labelValuePattern.test(value)) return `Label value "${value}" may hold at most 63 lowercase letters, digits, "_" or "-".`;
  return undefined;
}

/** The `clusterdeck-op` label value for an operation id: GKE label values are lowercase `[a-z0-9_-]`, ≤ 63. */
export function ownershipLabelValue(opId: string): string {
  return opId
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '-')
    .slice(0, 63);
}

// ---- field lists (google.container.v1, from the SDK's protos.json) ----

const clusterFields = new Set(
  (
    'name description initialNodeCount nodeConfig masterAuth loggingService monitoringService network clusterIpv4Cidr ' +
    'addonsConfig subnetwork nodePools locations enableKubernetesAlpha alphaClusterFeatureGates resourceLabels ' +
    'labelFingerprint legacyAbac networkPolicy ipAllocationPolicy masterAuthorizedNetworksConfig maintenancePolicy ' +
    'binaryAuthorization autoscaling networkConfig defaultMaxPodsConstraint resourceUsageExportConfig ' +
    'authenticatorGroupsConfig privateClusterConfig databaseEncryption verticalPodAutoscaling shieldedNodes ' +
    'releaseChannel workloadIdentityConfig meshCertificates costManagementConfig notificationConfig confidentialNodes ' +
    'identityServiceConfig initialClusterVersion rollbackSafeUpgrade enableTpu conditions autopilot nodePoolDefaults ' +
    'loggingConfig monitoringConfig nodePoolAutoConfig podAutoscaling etag fleet securityPostureConfig ' +
    'controlPlaneEndpointsConfig enableK8sBetaApis enterpriseConfig secretManagerConfig compliancePostureConfig ' +
    'userManagedKeysConfig rbacBindingConfig gkeAutoUpgradeConfig anonymousAuthenticationConfig scheduleUpgradeConfig ' +
    'secretSyncConfig managedOpentelemetryConfig controlPlaneEgress managedMachineLearningDiagnosticsConfig nodeCreationConfig'
  ).split(' '),
);
const clusterOutputOnly = new Set(
  (
    'selfLink zone endpoint currentMasterVersion currentEmulatedVersion currentNodeVersion createTime status statusMessage ' +
    'nodeIpv4CidrSize servicesIpv4Cidr instanceGroupUrls currentNodeCount expireTime location tpuIpv4CidrBlock id ' +
    'satisfiesPzs satisfiesPzi'
  ).split(' '),
);
const nodePoolFields = new Set(
  (
    'name config initialNodeCount locations networkConfig version autoscaling management maxPodsConstraint upgradeSettings ' +
    'placementPolicy queuedProvisioning bestEffortProvisioning nodeDrainConfig maintenancePolicy'
  ).split(' '),
);
const nodePoolOutputOnly = new Set(
  'selfLink instanceGroupUrls status statusMessage conditions podIpv4CidrSize updateInfo etag kubeletCertInfo'.split(' '),
);
const nodeConfigFields = new Set(
  (
    'machineType diskSizeGb oauthScopes serviceAccount metadata imageType nodeImageConfig labels localSsdCount tags ' +
    'preemptible accelerators diskType minCpuPlatform workloadMetadataConfig taints sandboxConfig nodeGroup ' +
    'reservationAffinity shieldedInstanceConfig linuxNodeConfig kubeletConfig bootDiskKmsKey gcfsConfig ' +
    'advancedMachineFeatures gvnic spot confidentialNodes fastSocket resourceLabels loggingConfig windowsNodeConfig ' +
    'localNvmeSsdBlockConfig ephemeralStorageLocalSsdConfig soleTenantConfig containerdConfig resourceManagerTags ' +
    'enableConfidentialStorage secondaryBootDisks storagePools secondaryBootDiskUpdateStrategy gpuDirectConfig ' +
    'maxRunDuration localSsdEncryptionMode flexStart bootDisk consolidationDelay taintConfig'
  ).split(' '),
);

// ---- validation ----

type Path = readonly (string | number)[];

class Problems {
  readonly list: SpecProblem[] = [];
  error(path: Path, message: string): void {
    this.list.push({ path, message, severity: 'error' });
  }
  warn(path: Path, message: string): void {
    this.list.push({ path, message, severity: 'warning' });
  }
  get hasErrors(): boolean {
    return this.list.some((p) => p.severity === 'error');
  }
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks `v` is an object (when present); returns it or undefined. */
function objectAt(p: Problems, v: unknown, path: Path, required = false): JsonObject | undefined {
  if (v === undefined || v === null) {
    if (required) p.error(path, `${String(path[path.length - 1])} is required.`);
    return undefined;
  }
  if (!isObject(v)) {
    p.error(path, `${String(path[path.length - 1])} must be a mapping.`);
    return undefined;
  }
  return v;
}

function stringAt(p: Problems, o: JsonObject, key: string, path: Path, required = false): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) {
    if (required) p.error([...path, key], `${key} is required.`);
    return undefined;
  }
  if (typeof v !== 'string') {
    p.error([...path, key], `${key} must be a string.`);
    return undefined;
  }
  return v;
}

function boolAt(p: Problems, o: JsonObject, key: string, path: Path): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') {
    p.error([...path, key], `${key} must be true or false.`);
    return undefined;
  }
  return v;
}

/** An integer, or a string of digits (proto3 JSON writes int64 as strings). */
function intAt(p: Problems, o: JsonObject, key: string, path: Path, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    p.error(
      [...path, key],
      `${key} must be a whole number${max < Number.MAX_SAFE_INTEGER ? ` from ${min} to ${max}` : ` of at least ${min}`}.`,
    );
    return undefined;
  }
  return n;
}

function enumAt(p: Problems, o: JsonObject, key: string, path: Path, values: readonly string[]): string | undefined {
  const v = stringAt(p, o, key, path);
  if (v !== undefined && !values.includes(v)) p.error([...path, key], `${key} must be one of ${values.join(', ')}.`);
  return v;
}

function checkFields(
  p: Problems,
  o: JsonObject,
  path: Path,
  known: ReadonlySet<string>,
  outputOnly: ReadonlySet<string>,
  what: string,
): void {
  for (const key of Object.keys(o)) {
    if (outputOnly.has(key)) p.error([...path, key], `${key} is output only (GKE reports it); remove it from the ${what}.`);
    else if (!known.has(key))
      p.error([...path, key], `${key} is not a field of the GKE ${what}; check its spelling (an unknown field would not be sent).`);
  }
}

function checkStringMap(p: Problems, v: unknown, path: Path, check: (k: string, v: string) => string | undefined): void {
  const o = objectAt(p, v, path);
  if (!o) return;
  for (const [k, value] of Object.entries(o)) {
    if (typeof value !== 'string') {
      p.error([...path, k], `The value of ${k} must be a string.`);
      continue;
    }
    const msg = check(k, value);
    if (msg) p.error([...path, k], msg);
  }
}

function checkCidrValue(p: Problems, value: string, path: Path, what: string): Cidr | undefined {
  const c = parseIpv4Block(value);
  if (!c) {
    p.error(path, `${what} "${value}" is not an IPv4 CIDR block such as 10.4.0.0/14.`);
    return undefined;
  }
  if (hasHostBits(value)) p.error(path, `${what} "${value}" has host bits set; use ${c.text}.`);
  return c;
}

/** Validates a NodePool at `path`; `location` is the cluster's (for zones), `channel` whether a release channel applies. */
function checkNodePool(
  p: Problems,
  v: unknown,
  path: Path,
  ctx: { location?: string; onChannel?: boolean; clusterLocations?: readonly string[] },
): void {
  const pool = objectAt(p, v, path, true);
  if (!pool) return;
  checkFields(p, pool, path, nodePoolFields, nodePoolOutputOnly, 'NodePool');
  const name = stringAt(p, pool, 'name', path, true);
  if (name !== undefined) {
    const msg = checkGkeName(name, 'The node pool name');
    if (msg) p.error([...path, 'name'], msg);
  }
  const initial = intAt(p, pool, 'initialNodeCount', path, 0, 1000);
  if (pool.initialNodeCount === undefined) p.error([...path, 'initialNodeCount'], 'initialNodeCount (nodes per zone) is required.');
  const config = objectAt(p, pool.config, [...path, 'config'], true);
  if (config) {
    const cpath = [...path, 'config'];
    checkFields(p, config, cpath, nodeConfigFields, new Set(['effectiveCgroupMode']), 'NodeConfig');
    const machine = stringAt(p, config, 'machineType', cpath, true);
    if (machine !== undefined && !/^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(machine))
      p.error([...cpath, 'machineType'], `"${machine}" is not a machine type name such as e2-standard-4.`);
    intAt(p, config, 'diskSizeGb', cpath, 10, 65536);
    // P1: values the API would otherwise choose differ from the console's; say so.
    if (config.diskType === undefined)
      p.warn([...cpath, 'diskType'], 'diskType is not set: the API uses pd-standard (the console pd-balanced); set it.');
    if (config.diskSizeGb === undefined) p.warn([...cpath, 'diskSizeGb'], 'diskSizeGb is not set: the API uses 100 GB; set it.');
    const diskType = stringAt(p, config, 'diskType', cpath);
    if (diskType !== undefined && !/^(pd|hyperdisk)-[a-z-]+$/.test(diskType))
      p.error([...cpath, 'diskType'], `diskType must be a disk type such as ${diskTypes.join(', ')}.`);
    const image = stringAt(p, config, 'imageType', cpath);
    if (image !== undefined && !/^[A-Z][A-Z0-9_]*$/.test(image))
      p.error([...cpath, 'imageType'], `imageType must be an image type name such as COS_CONTAINERD.`);
    const spot = boolAt(p, config, 'spot', cpath);
    if (spot && boolAt(p, config, 'preemptible', cpath)) p.error([...cpath, 'preemptible'], 'Choose spot or preemptible, not both.');
    checkStringMap(p, config.labels, [...cpath, 'labels'], (k, val) => checkKubeLabelKey(k) ?? checkKubeLabelValue(val));
    checkStringMap(p, config.resourceLabels, [...cpath, 'resourceLabels'], checkResourceLabel);
    if (config.taints !== undefined) {
      if (!Array.isArray(config.taints)) p.error([...cpath, 'taints'], 'taints must be a list.');
      else
        (config.taints as unknown[]).forEach((t, i) => {
          const tp = [...cpath, 'taints', i];
          const taint = objectAt(p, t, tp, true);
          if (!taint) return;
          const key = stringAt(p, taint, 'key', tp, true);
          if (key !== undefined) {
            const msg = checkKubeLabelKey(key);
            if (msg) p.error([...tp, 'key'], msg);
          }
          const value = stringAt(p, taint, 'value', tp);
          if (value !== undefined) {
            const msg = checkKubeLabelValue(value);
            if (msg) p.error([...tp, 'value'], msg);
          }
          if (taint.effect === undefined) p.error([...tp, 'effect'], `effect is required: ${taintEffects.join(', ')}.`);
          else enumAt(p, taint, 'effect', tp, taintEffects);
        });
    }
  }
  const a = objectAt(p, pool.autoscaling, [...path, 'autoscaling']);
  if (a) {
    const ap = [...path, 'autoscaling'];
    const enabled = boolAt(p, a, 'enabled', ap);
    const min = intAt(p, a, 'minNodeCount', ap, 0, 1000);
    const max = intAt(p, a, 'maxNodeCount', ap, 0, 1000);
    const tmin = intAt(p, a, 'totalMinNodeCount', ap, 0, 100000);
    const tmax = intAt(p, a, 'totalMaxNodeCount', ap, 0, 100000);
    enumAt(p, a, 'locationPolicy', ap, locationPolicies);
    const perZone = min !== undefined || max !== undefined;
    const total = tmin !== undefined || tmax !== undefined;
    if (enabled) {
      if (perZone && total) p.error(ap, 'Give per-zone limits (minNodeCount/maxNodeCount) or total limits, not both.');
      const [lo, hi, loKey, hiKey] = total
        ? [tmin, tmax, 'totalMinNodeCount', 'totalMaxNodeCount']
        : [min, max, 'minNodeCount', 'maxNodeCount'];
      if (hi === undefined) p.error([...ap, hiKey], `${hiKey} is required when autoscaling is enabled.`);
      else if (hi < 1) p.error([...ap, hiKey], `${hiKey} must be at least 1.`);
      else if (lo !== undefined && lo > hi) p.error([...ap, loKey], `${loKey} (${lo}) must not exceed ${hiKey} (${hi}).`);
      if (!total && initial !== undefined && lo !== undefined && hi !== undefined && lo <= hi && (initial < lo || initial > hi))
        p.error(
          [...path, 'initialNodeCount'],
          `initialNodeCount (${initial}) must lie between minNodeCount (${lo}) and maxNodeCount (${hi}).`,
        );
    }
  }
  const m = objectAt(p, pool.management, [...path, 'management']);
  if (m) {
    const autoUpgrade = boolAt(p, m, 'autoUpgrade', [...path, 'management']);
    boolAt(p, m, 'autoRepair', [...path, 'management']);
    if (ctx.onChannel && autoUpgrade === false)
      p.error([...path, 'management', 'autoUpgrade'], 'Node auto-upgrade is required on a release channel; set it to true.');
  }
  const mp = objectAt(p, pool.maxPodsConstraint, [...path, 'maxPodsConstraint']);
  if (mp) intAt(p, mp, 'maxPodsPerNode', [...path, 'maxPodsConstraint'], 8, 256);
  const us = objectAt(p, pool.upgradeSettings, [...path, 'upgradeSettings']);
  if (us) {
    const surge = intAt(p, us, 'maxSurge', [...path, 'upgradeSettings'], 0, 100);
    const unavailable = intAt(p, us, 'maxUnavailable', [...path, 'upgradeSettings'], 0, 100);
    if (surge === 0 && unavailable === 0) p.error([...path, 'upgradeSettings'], 'maxSurge and maxUnavailable cannot both be 0.');
  }
  checkZones(p, pool.locations, [...path, 'locations'], ctx.location, ctx.clusterLocations);
}

function checkZones(p: Problems, v: unknown, path: Path, location: string | undefined, within?: readonly string[]): void {
  if (v === undefined) return;
  if (!Array.isArray(v) || v.length === 0 || v.some((z) => typeof z !== 'string')) {
    p.error(path, 'locations must be a non-empty list of zones.');
    return;
  }
  (v as string[]).forEach((zone, i) => {
    if (!isGkeZone(zone)) p.error([...path, i], `"${zone}" is not a zone such as europe-west1-b.`);
    else if (location && regionOf(zone) !== regionOf(location))
      p.error([...path, i], `Zone ${zone} is not in ${regionOf(location)}, the region of the cluster.`);
    else if (within && within.length > 0 && !within.includes(zone))
      p.error([...path, i], `Zone ${zone} is not one of the cluster's node zones (${within.join(', ')}).`);
  });
  if (new Set(v).size !== v.length) p.error(path, 'locations lists a zone twice.');
}

function parseParent(p: Problems, doc: JsonObject, withCluster: boolean): { project?: string; location?: string; cluster?: string } {
  const parent = stringAt(p, doc, 'parent', [], true);
  if (parent === undefined) return {};
  const re = withCluster ? /^projects\/([^/]+)\/locations\/([^/]+)\/clusters\/([^/]+)$/ : /^projects\/([^/]+)\/locations\/([^/]+)$/;
  const m = re.exec(parent);
  const shape = withCluster ? 'projects/PROJECT/locations/LOCATION/clusters/CLUSTER' : 'projects/PROJECT/locations/LOCATION';
  if (!m) {
    p.error(['parent'], `parent must be ${shape}.`);
    return {};
  }
  const [, project = '', location = '', cluster] = m;
  if (!gcpProjectPattern.test(project))
    p.error(['parent'], `"${project}" is not a Google Cloud project id (6–30 lowercase letters, digits, hyphens).`);
  if (!isGkeRegion(location) && !isGkeZone(location))
    p.error(['parent'], `"${location}" is not a region (europe-west1) or a zone (europe-west1-b).`);
  if (cluster !== undefined) {
    const msg = checkGkeName(cluster, 'The cluster name');
    if (msg) p.error(['parent'], msg);
  }
  return { project, location, ...(cluster !== undefined ? { cluster } : {}) };
}

/** Reads a cluster file document (CreateClusterRequest shape). */
export function readClusterFile(doc: unknown): { spec?: GkeClusterSpec; problems: SpecProblem[] } {
  const p = new Problems();
  if (!isObject(doc)) {
    p.error([], 'The file must be a mapping with parent and cluster (a GKE CreateClusterRequest).');
    return { problems: p.list };
  }
  for (const key of Object.keys(doc))
    if (key !== 'parent' && key !== 'cluster')
      p.error([key], `${key} is not part of a GKE cluster file; it holds parent and cluster only.`);
  const { project, location } = parseParent(p, doc, false);
  const c = objectAt(p, doc.cluster, ['cluster'], true);
  if (!c) return { problems: p.list };
  const cp = ['cluster'];
  checkFields(p, c, cp, clusterFields, clusterOutputOnly, 'Cluster');
  const name = stringAt(p, c, 'name', cp, true);
  if (name !== undefined) {
    const msg = checkGkeName(name, 'The cluster name');
    if (msg) p.error([...cp, 'name'], msg);
  }
  const autopilot = boolAt(p, objectAt(p, c.autopilot, [...cp, 'autopilot']) ?? {}, 'enabled', [...cp, 'autopilot']) === true;
  const rc = objectAt(p, c.releaseChannel, [...cp, 'releaseChannel']);
  const channel = rc ? enumAt(p, rc, 'channel', [...cp, 'releaseChannel'], ['UNSPECIFIED', ...releaseChannels]) : undefined;
  const onChannel = channel !== undefined && channel !== 'UNSPECIFIED';
  const version = stringAt(p, c, 'initialClusterVersion', cp);
  if (version !== undefined && !/^(latest|-|\d+\.\d+(\.\d+(-gke\.\d+)?)?)$/.test(version))
    p.error([...cp, 'initialClusterVersion'], `"${version}" is not a GKE version such as 1.33 or 1.33.4-gke.1200.`);
  if (channel === 'EXTENDED')
    p.warn([...cp, 'releaseChannel', 'channel'], 'The Extended channel costs extra once a version leaves standard support.');
  stringAt(p, c, 'network', cp);
  stringAt(p, c, 'subnetwork', cp);
  if (autopilot) {
    if (location && !isGkeRegion(location))
      p.error(['parent'], `Autopilot clusters are regional: use the region ${regionOf(location)}, not the zone ${location}.`);
    if (!onChannel)
      p.error([...cp, 'releaseChannel'], `Autopilot needs a release channel: set releaseChannel.channel to ${releaseChannels.join(', ')}.`);
    if (c.nodePools !== undefined) p.error([...cp, 'nodePools'], 'Autopilot manages the nodes: remove nodePools.');
    if (c.initialNodeCount !== undefined || c.nodeConfig !== undefined)
      p.error([...cp, c.initialNodeCount !== undefined ? 'initialNodeCount' : 'nodeConfig'], 'Autopilot manages the nodes: remove it.');
  } else {
    if (!onChannel && version === undefined)
      p.warn([...cp, 'releaseChannel'], 'Neither a release channel nor initialClusterVersion is set: GKE would choose; set one of them.');
    if (c.initialNodeCount !== undefined || c.nodeConfig !== undefined)
      p.error(
        [...cp, c.initialNodeCount !== undefined ? 'initialNodeCount' : 'nodeConfig'],
        'Use nodePools instead of the deprecated initialNodeCount/nodeConfig.',
      );
    if (!Array.isArray(c.nodePools) || c.nodePools.length === 0)
      p.error([...cp, 'nodePools'], 'A Standard cluster needs at least one node pool in nodePools.');
  }
  checkZones(p, c.locations, [...cp, 'locations'], location);
  const clusterZones = Array.isArray(c.locations) ? (c.locations as string[]) : undefined;
  if (Array.isArray(c.nodePools)) {
    const names = new Set<string>();
    (c.nodePools as unknown[]).forEach((pool, i) => {
      checkNodePool(p, pool, [...cp, 'nodePools', i], {
        ...(location ? { location } : {}),
        onChannel,
        ...(clusterZones ? { clusterLocations: clusterZones } : {}),
      });
      const n = isObject(pool) && typeof pool.name === 'string' ? pool.name : undefined;
      if (n !== undefined && names.has(n)) p.error([...cp, 'nodePools', i, 'name'], `Node pool ${n} is listed twice.`);
      if (n !== undefined) names.add(n);
    });
  } else if (c.nodePools !== undefined && !autopilot) p.error([...cp, 'nodePools'], 'nodePools must be a list.');

  // Networking: ranges that must not overlap.
  const ranges: [string, Cidr][] = [];
  const ip = objectAt(p, c.ipAllocationPolicy, [...cp, 'ipAllocationPolicy']);
  if (ip) {
    const ipp = [...cp, 'ipAllocationPolicy'];
    const aliases = boolAt(p, ip, 'useIpAliases', ipp);
    for (const [key, label] of [
      ['clusterIpv4CidrBlock', 'The pod range'],
      ['servicesIpv4CidrBlock', 'The service range'],
    ] as const) {
      const v = stringAt(p, ip, key, ipp);
      if (v === undefined || v === '') continue;
      if (aliases === false) p.error([...ipp, key], `${label} needs useIpAliases: true (VPC-native).`);
      if (/^\/\d{1,2}$/.test(v)) {
        const size = Number(v.slice(1));
        if (size < 9 || size > (key === 'servicesIpv4CidrBlock' ? 27 : 24)) p.error([...ipp, key], `${label} size ${v} is out of range.`);
        continue;
      }
      const cidr = checkCidrValue(p, v, [...ipp, key], label);
      if (!cidr) continue;
      ranges.push([`${label.replace(/^The /, 'the ')} ${v}`, cidr]);
      if (key === 'servicesIpv4CidrBlock' && !isRfc1918(cidr))
        p.warn([...ipp, key], `The service range ${v} is outside the RFC 1918 private ranges.`);
    }
  }
  const pcc = objectAt(p, c.privateClusterConfig, [...cp, 'privateClusterConfig']);
  if (pcc) {
    const pp = [...cp, 'privateClusterConfig'];
    const privateNodes = boolAt(p, pcc, 'enablePrivateNodes', pp);
    boolAt(p, pcc, 'enablePrivateEndpoint', pp);
    const master = stringAt(p, pcc, 'masterIpv4CidrBlock', pp);
    if (master !== undefined && master !== '') {
      if (!privateNodes) p.error([...pp, 'masterIpv4CidrBlock'], 'masterIpv4CidrBlock applies to private nodes only.');
      const cidr = checkCidrValue(p, master, [...pp, 'masterIpv4CidrBlock'], 'The control-plane range');
      if (cidr && cidr.prefix !== 28)
        p.error([...pp, 'masterIpv4CidrBlock'], `The control-plane range must be a /28, not /${cidr.prefix}.`);
      if (cidr) ranges.push([`the control-plane range ${master}`, cidr]);
    }
  }
  for (const [a, b] of overlappingPairs(ranges)) {
    const path = b.includes('control-plane')
      ? [...cp, 'privateClusterConfig', 'masterIpv4CidrBlock']
      : [...cp, 'ipAllocationPolicy', 'servicesIpv4CidrBlock'];
    p.error(path, `${capitalize(b)} overlaps ${a}; choose ranges that do not overlap.`);
  }
  const man = objectAt(p, c.masterAuthorizedNetworksConfig, [...cp, 'masterAuthorizedNetworksConfig']);
  if (man) {
    const mp = [...cp, 'masterAuthorizedNetworksConfig'];
    const enabled = boolAt(p, man, 'enabled', mp);
    if (man.cidrBlocks !== undefined && !Array.isArray(man.cidrBlocks)) p.error([...mp, 'cidrBlocks'], 'cidrBlocks must be a list.');
    else
      ((man.cidrBlocks as unknown[] | undefined) ?? []).forEach((b, i) => {
        const bo = objectAt(p, b, [...mp, 'cidrBlocks', i], true);
        if (!bo) return;
        const v = stringAt(p, bo, 'cidrBlock', [...mp, 'cidrBlocks', i], true);
        stringAt(p, bo, 'displayName', [...mp, 'cidrBlocks', i]);
        if (v === undefined) return;
        const cidr = checkCidrValue(p, v, [...mp, 'cidrBlocks', i, 'cidrBlock'], 'The authorized network');
        if (cidr && cidr.prefix === 0) p.warn([...mp, 'cidrBlocks', i, 'cidrBlock'], '0.0.0.0/0 lets any address reach the control plane.');
      });
    if (enabled && (!Array.isArray(man.cidrBlocks) || man.cidrBlocks.length === 0))
      p.warn(mp, 'Authorized networks are enabled with no CIDR block: only private addresses can reach the control plane.');
  }
  const wi = objectAt(p, c.workloadIdentityConfig, [...cp, 'workloadIdentityConfig']);
  if (wi) {
    const pool = stringAt(p, wi, 'workloadPool', [...cp, 'workloadIdentityConfig']);
    if (pool !== undefined && project && pool !== `${project}.svc.id.goog`)
      p.error([...cp, 'workloadIdentityConfig', 'workloadPool'], `The workload pool must be ${project}.svc.id.goog.`);
  }
  const nc = objectAt(p, c.networkConfig, [...cp, 'networkConfig']);
  if (nc) enumAt(p, nc, 'datapathProvider', [...cp, 'networkConfig'], datapathProviders);
  checkStringMap(p, c.resourceLabels, [...cp, 'resourceLabels'], checkResourceLabel);
  if (isObject(c.resourceLabels) && OWNERSHIP_KEY in c.resourceLabels)
    p.warn(
      [...cp, 'resourceLabels', OWNERSHIP_KEY],
      `ClusterDeck sets the ${OWNERSHIP_KEY} label when it creates the cluster; this value is replaced.`,
    );

  if (p.hasErrors || !project || !location || name === undefined) return { problems: p.list };
  return { spec: { project, location, cluster: c as GkeCluster }, problems: p.list };
}

/** Reads a node-pool file document (CreateNodePoolRequest shape). */
export function readNodePoolFile(doc: unknown): { spec?: GkeNodePoolSpec; problems: SpecProblem[] } {
  const p = new Problems();
  if (!isObject(doc)) {
    p.error([], 'The file must be a mapping with parent and nodePool (a GKE CreateNodePoolRequest).');
    return { problems: p.list };
  }
  for (const key of Object.keys(doc))
    if (key !== 'parent' && key !== 'nodePool')
      p.error([key], `${key} is not part of a GKE node-pool file; it holds parent and nodePool only.`);
  const { project, location, cluster } = parseParent(p, doc, true);
  checkNodePool(p, doc.nodePool, ['nodePool'], location ? { location } : {});
  if (p.hasErrors || !project || !location || !cluster || !isObject(doc.nodePool)) return { problems: p.list };
  return { spec: { project, location, cluster, nodePool: doc.nodePool as GkeNodePool }, problems: p.list };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
