// EKS provisioning, the pure half: eksctl ClusterConfig files (cluster; node groups only) and the two wizards.
// The I/O half is node/clouds/eks/eksProvisioning.ts (the EKS provider's `provisioning`).
import type { CloudProvisioningModule, ProvisioningFormat } from '../provisioning';
import {
  isEksctlConfig,
  isNodePoolDocument,
  readClusterConfig,
  readNodePoolConfig,
  writeClusterConfig,
  writeNodePoolConfig,
} from './eksctlConfig';
import { planCluster, planNodePools } from './eksPlan';
import type { EksClusterSpec, EksNodePoolSpec } from './eksSpec';
import { eksClusterWizard, eksNodePoolWizard, type EksClusterWizardState, type EksNodePoolWizardState } from './eksWizards';

export const eksClusterFormat: ProvisioningFormat<EksClusterSpec> = {
  cloud: 'eks',
  label: 'eksctl ClusterConfig',
  matches: (doc) => isEksctlConfig(doc) && !isNodePoolDocument(doc),
  read: readClusterConfig,
  write: writeClusterConfig,
  plan: (spec, overrides) => planCluster(spec, overrides),
};

export const eksNodePoolFormat: ProvisioningFormat<EksNodePoolSpec> = {
  cloud: 'eks',
  label: 'eksctl ClusterConfig (node groups)',
  matches: isNodePoolDocument,
  read: readNodePoolConfig,
  write: writeNodePoolConfig,
  plan: (spec, overrides) => planNodePools(spec, overrides),
};

export const eksProvisioning: CloudProvisioningModule<EksClusterWizardState, EksClusterSpec, EksNodePoolWizardState, EksNodePoolSpec> = {
  cloud: 'eks',
  clusterFormat: eksClusterFormat,
  nodePoolFormat: eksNodePoolFormat,
  clusterWizard: eksClusterWizard,
  nodePoolWizard: eksNodePoolWizard,
};
