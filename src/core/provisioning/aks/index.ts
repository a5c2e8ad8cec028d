// AKS provisioning, the pure half (issue #6): the ARM managedClusters / agentPools file formats and the wizards.
// The I/O half is the AKS provider's `provisioning` (src/node/clouds/aks/aksProvisioning.ts).
import type { CloudProvisioningModule, ProvisioningFormat } from '../provisioning';
import { planCluster, planNodePool } from './aksPlan';
import {
  AGENT_POOL_TYPE,
  MANAGED_CLUSTER_TYPE,
  readClusterSpec,
  readNodePoolSpec,
  writeClusterSpec,
  writeNodePoolSpec,
  type AksClusterSpec,
  type AksNodePoolSpec,
} from './aksSpecs';
import { aksClusterWizard, aksNodePoolWizard, type AksClusterState, type AksNodePoolState } from './aksWizards';

const typeOf = (doc: unknown): unknown => (typeof doc === 'object' && doc !== null ? (doc as { type?: unknown }).type : undefined);
const sameType = (a: unknown, b: string): boolean => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

export const aksClusterFormat: ProvisioningFormat<AksClusterSpec> = {
  cloud: 'aks',
  label: 'ARM managedClusters',
  matches: (doc) => sameType(typeOf(doc), MANAGED_CLUSTER_TYPE),
  read: readClusterSpec,
  write: writeClusterSpec,
  plan: planCluster,
};

export const aksNodePoolFormat: ProvisioningFormat<AksNodePoolSpec> = {
  cloud: 'aks',
  label: 'ARM managedClusters/agentPools',
  matches: (doc) => sameType(typeOf(doc), AGENT_POOL_TYPE),
  read: readNodePoolSpec,
  write: writeNodePoolSpec,
  plan: planNodePool,
};

export const aksProvisioning: CloudProvisioningModule<AksClusterState, AksClusterSpec, AksNodePoolState, AksNodePoolSpec> = {
  cloud: 'aks',
  clusterFormat: aksClusterFormat,
  nodePoolFormat: aksNodePoolFormat,
  clusterWizard: aksClusterWizard,
  nodePoolWizard: aksNodePoolWizard,
};
