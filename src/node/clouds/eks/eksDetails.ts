// The Details document's sections of an EKS cluster, from its DescribeCluster answer. No secrets: the
// certificate authority is never shown; a KMS key ARN is an identifier, not a key.
import type { Cluster } from '@aws-sdk/client-eks';
import type { CloudClusterDetails } from '../../../core/clouds/cloudProvider';

type Row = readonly [string, string];

const logTypes = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

function list(values: readonly string[] | undefined): string | undefined {
  return values?.length ? values.join(', ') : undefined;
}

function yesNo(v: boolean | undefined): string | undefined {
  return v === undefined ? undefined : v ? 'enabled' : 'disabled';
}

function rows(entries: readonly (readonly [string, string | undefined])[]): Row[] {
  return entries.filter((e): e is Row => e[1] !== undefined && e[1] !== '');
}

export function eksClusterDetails(c: Cluster): CloudClusterDetails {
  const vpc = c.resourcesVpcConfig;
  const net = c.kubernetesNetworkConfig;
  const networking = rows([
    ['VPC', vpc?.vpcId],
    ['Subnets', list(vpc?.subnetIds)],
    ['Security groups', list(vpc?.securityGroupIds)],
    ['Cluster security group', vpc?.clusterSecurityGroupId],
    ['Service IPv4 CIDR', net?.serviceIpv4Cidr],
    ['Service IPv6 CIDR', net?.serviceIpv6Cidr],
    ['IP family', net?.ipFamily],
    ['Endpoint public access', yesNo(vpc?.endpointPublicAccess)],
    ['Endpoint private access', yesNo(vpc?.endpointPrivateAccess)],
    ['Endpoint public CIDRs', vpc?.endpointPublicAccess ? list(vpc.publicAccessCidrs) : undefined],
    ['Platform version', c.platformVersion],
  ]);
  const enabled = new Map<string, boolean>();
  for (const entry of c.logging?.clusterLogging ?? [])
    for (const t of entry.types ?? []) if (entry.enabled !== undefined) enabled.set(t, entry.enabled || (enabled.get(t) ?? false));
  const known = new Set<string>(logTypes);
  const logging: Row[] = c.logging
    ? [
        ...logTypes.map((t): Row => [`Control plane log: ${t}`, enabled.get(t) ? 'enabled' : 'off']),
        ...[...enabled].filter(([t]) => !known.has(t)).map(([t, on]): Row => [`Control plane log: ${t}`, on ? 'enabled' : 'off']),
      ]
    : [];
  const identity = rows([
    ['Authentication mode', c.accessConfig?.authenticationMode],
    [
      'Bootstrap cluster creator admin',
      c.accessConfig?.bootstrapClusterCreatorAdminPermissions === undefined
        ? undefined
        : String(c.accessConfig.bootstrapClusterCreatorAdminPermissions),
    ],
    ['OIDC issuer', c.identity?.oidc?.issuer],
    ['Cluster role', c.roleArn],
  ]);
  const encryption = rows(
    (c.encryptionConfig ?? []).map((e) => [`KMS key (${(e.resources ?? ['secrets']).join(', ')})`, e.provider?.keyArn] as const),
  );
  return {
    sections: [
      { title: 'Networking', rows: networking },
      { title: 'Logging', rows: logging },
      { title: 'Identity and access', rows: identity },
      ...(encryption.length ? [{ title: 'Encryption', rows: encryption }] : []),
    ],
  };
}
