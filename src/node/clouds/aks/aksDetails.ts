// The Details document's sections of an AKS cluster, from its managedClusters.get answer. No secrets: add-on
// configs are read only for the Log Analytics workspace id; identity client ids and kubeconfigs are never shown.
import type { ManagedCluster } from '@azure/arm-containerservice';
import type { CloudClusterDetails } from '../../../core/clouds/cloudProvider';

type Row = readonly [string, string];

function rows(entries: readonly (readonly [string, string | undefined])[]): Row[] {
  return entries.filter((e): e is Row => e[1] !== undefined && e[1] !== '');
}

function onOff(v: boolean | undefined): string | undefined {
  return v === undefined ? undefined : v ? 'enabled' : 'disabled';
}

/** An add-on profile by key, case-insensitively (ARM keeps the casing it was created with: omsagent / omsAgent). */
function addon(mc: ManagedCluster, key: string): { enabled: boolean; config?: Record<string, string> } | undefined {
  const found = Object.entries(mc.addonProfiles ?? {}).find(([k]) => k.toLowerCase() === key.toLowerCase());
  return found?.[1];
}

function configValue(config: Record<string, string> | undefined, key: string): string | undefined {
  return Object.entries(config ?? {}).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
}

export function aksClusterDetails(mc: ManagedCluster): CloudClusterDetails {
  const net = mc.networkProfile;
  const access = mc.apiServerAccessProfile;
  const networking = rows([
    ['Network plugin', net?.networkPlugin],
    ['Network plugin mode', net?.networkPluginMode],
    ['Network policy', net?.networkPolicy ?? (net ? 'none' : undefined)],
    ['Network dataplane', net?.networkDataplane],
    ['Pod CIDR', net?.podCidr ?? net?.podCidrs?.join(', ')],
    ['Service CIDR', net?.serviceCidr ?? net?.serviceCidrs?.join(', ')],
    ['DNS service IP', net?.dnsServiceIP],
    ['Outbound type', net?.outboundType],
    ['Load balancer SKU', net?.loadBalancerSku],
    ['Private cluster', access?.enablePrivateCluster || mc.privateFqdn ? 'yes' : 'no'],
    ['Authorized IP ranges', access?.authorizedIPRanges?.length ? access.authorizedIPRanges.join(', ') : undefined],
  ]);
  const oms = addon(mc, 'omsagent');
  const metrics = mc.azureMonitorProfile?.metrics;
  const logging = rows([
    ['Container insights (omsagent)', oms ? (oms.enabled ? 'enabled' : 'disabled') : 'off'],
    ['Log Analytics workspace', oms?.enabled ? configValue(oms.config, 'logAnalyticsWorkspaceResourceID') : undefined],
    ['Managed Prometheus metrics', metrics ? (metrics.enabled ? 'enabled' : 'disabled') : 'off'],
  ]);
  const aad = mc.aadProfile;
  const identity = rows([
    ['Identity', mc.identity?.type ?? (mc.servicePrincipalProfile ? 'service principal' : undefined)],
    ['Entra ID integration', aad ? (aad.managed ? 'managed' : 'legacy') : 'off'],
    ['Entra ID admin groups', aad?.adminGroupObjectIDs?.length ? aad.adminGroupObjectIDs.join(', ') : undefined],
    ['Azure RBAC', aad ? onOff(aad.enableAzureRbac ?? false) : undefined],
    ['Kubernetes RBAC', onOff(mc.enableRbac)],
    ['Local accounts', mc.disableLocalAccounts ? 'disabled' : 'enabled'],
    ['OIDC issuer', mc.oidcIssuerProfile?.enabled ? (mc.oidcIssuerProfile.issuerURL ?? 'enabled') : 'off'],
    ['Workload identity', onOff(mc.securityProfile?.workloadIdentity?.enabled ?? false)],
  ]);
  return {
    sections: [
      { title: 'Networking', rows: networking },
      { title: 'Logging and monitoring', rows: logging },
      { title: 'Identity and access', rows: identity },
    ],
  };
}
