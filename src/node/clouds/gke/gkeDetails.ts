// The Details document's sections of a GKE cluster, from its getCluster answer. Enums arrive as names or, from
// some transports, as numbers: both are shown by name. No secrets: masterAuth (CA, client certificate) is never read.
import type { protos } from '@google-cloud/container';
import type { CloudClusterDetails } from '../../../core/clouds/cloudProvider';

type ICluster = protos.google.container.v1.ICluster;
type Row = readonly [string, string];

const datapathProviders = ['DATAPATH_PROVIDER_UNSPECIFIED', 'LEGACY_DATAPATH', 'ADVANCED_DATAPATH'];
const channels = ['UNSPECIFIED', 'RAPID', 'REGULAR', 'STABLE', 'EXTENDED'];
const loggingComponents: Record<number, string> = {
  0: 'COMPONENT_UNSPECIFIED',
  1: 'SYSTEM_COMPONENTS',
  2: 'WORKLOADS',
  3: 'APISERVER',
  4: 'SCHEDULER',
  5: 'CONTROLLER_MANAGER',
  7: 'KCP_SSHD',
  8: 'KCP_CONNECTION',
  9: 'KCP_HPA',
  10: 'KCP_VPA',
};
const monitoringComponents: Record<number, string> = {
  0: 'COMPONENT_UNSPECIFIED',
  1: 'SYSTEM_COMPONENTS',
  3: 'APISERVER',
  4: 'SCHEDULER',
  5: 'CONTROLLER_MANAGER',
  7: 'STORAGE',
  8: 'HPA',
  9: 'POD',
  10: 'DAEMONSET',
  11: 'DEPLOYMENT',
  12: 'STATEFULSET',
  13: 'CADVISOR',
  14: 'KUBELET',
  15: 'DCGM',
  16: 'JOBSET',
};

/** An enum value by name: strings as they are, numbers through `names`. */
function enumName(value: unknown, names: Readonly<Record<number, string>>): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (typeof value === 'number') return names[value] ?? String(value);
  return typeof value === 'string' ? value : undefined;
}

function onOff(v: boolean | null | undefined): string | undefined {
  return v === null || v === undefined ? undefined : v ? 'enabled' : 'disabled';
}

function rows(entries: readonly (readonly [string, string | undefined | null])[]): Row[] {
  return entries.filter((e): e is Row => typeof e[1] === 'string' && e[1] !== '');
}

function components(list: readonly unknown[] | null | undefined, names: Readonly<Record<number, string>>): string | undefined {
  if (!list) return undefined;
  const named = list.map((c) => enumName(c, names)).filter((c): c is string => c !== undefined && c !== 'COMPONENT_UNSPECIFIED');
  return named.length ? named.join(', ') : 'off';
}

function service(s: string | null | undefined): string | undefined {
  if (!s) return undefined;
  return s === 'none' ? 'off' : s;
}

export function gkeClusterDetails(c: ICluster): CloudClusterDetails {
  const ip = c.ipAllocationPolicy;
  const ipAliases = ip?.useIpAliases ?? undefined;
  const authorized = c.masterAuthorizedNetworksConfig;
  const authorizedText = authorized
    ? authorized.enabled
      ? (authorized.cidrBlocks ?? [])
          .map((b) => (b.displayName ? `${b.cidrBlock ?? ''} (${b.displayName})` : (b.cidrBlock ?? '')))
          .join(', ') || 'enabled, no networks'
      : 'disabled'
    : undefined;
  const privateNodes = c.privateClusterConfig?.enablePrivateNodes ?? c.networkConfig?.defaultEnablePrivateNodes ?? undefined;
  const channel = enumName(c.releaseChannel?.channel, channels);
  const networking = rows([
    ['Network', c.network],
    ['Subnetwork', c.subnetwork],
    ['VPC-native (IP aliases)', ipAliases === undefined ? undefined : ipAliases ? 'yes' : 'no (routes-based)'],
    ['Pod CIDR', ip?.clusterIpv4CidrBlock || c.clusterIpv4Cidr],
    ['Service CIDR', ip?.servicesIpv4CidrBlock || c.servicesIpv4Cidr],
    ['Pod secondary range', ip?.clusterSecondaryRangeName],
    ['Service secondary range', ip?.servicesSecondaryRangeName],
    ['Datapath provider', enumName(c.networkConfig?.datapathProvider, datapathProviders)],
    ['Network policy', c.networkPolicy ? onOff(c.networkPolicy.enabled ?? false) : undefined],
    ['Private nodes', privateNodes === undefined ? undefined : privateNodes ? 'yes' : 'no'],
    ['Private endpoint', c.privateClusterConfig?.privateEndpoint],
    ['Master authorized networks', authorizedText],
    ['Release channel', channel && channel !== 'UNSPECIFIED' ? channel : channel === 'UNSPECIFIED' ? 'none' : undefined],
  ]);
  const logging = rows([
    ['Logging components', components(c.loggingConfig?.componentConfig?.enableComponents, loggingComponents)],
    ['Logging service', service(c.loggingService)],
    ['Monitoring components', components(c.monitoringConfig?.componentConfig?.enableComponents, monitoringComponents)],
    ['Managed Prometheus', onOff(c.monitoringConfig?.managedPrometheusConfig?.enabled)],
    ['Monitoring service', service(c.monitoringService)],
  ]);
  const identity = rows([
    ['Workload Identity pool', c.workloadIdentityConfig?.workloadPool || 'not enabled'],
    ['Autopilot', c.autopilot?.enabled ? 'yes' : 'no'],
    ['Google Groups for RBAC', c.authenticatorGroupsConfig?.enabled ? (c.authenticatorGroupsConfig.securityGroup ?? 'enabled') : undefined],
    ['Legacy ABAC', c.legacyAbac ? onOff(c.legacyAbac.enabled ?? false) : undefined],
  ]);
  return {
    sections: [
      { title: 'Networking', rows: networking },
      { title: 'Logging and monitoring', rows: logging },
      { title: 'Identity and access', rows: identity },
    ],
  };
}
