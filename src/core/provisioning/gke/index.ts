// GKE provisioning, the pure half: the cluster and node-pool files (GKE CreateClusterRequest / CreateNodePoolRequest
// documents) and their wizards. The I/O half is node/clouds/gke/gkeProvisioning.ts.
import type { CloudProvisioningModule } from '../provisioning';
import { gkeClusterFormat, gkeNodePoolFormat } from './gkeFormats';
import type { GkeClusterSpec, GkeNodePoolSpec } from './gkeSpec';
import { gkeClusterWizard, gkeNodePoolWizard, type GkeClusterState, type GkeNodePoolState } from './gkeWizards';

export const gkeProvisioning: CloudProvisioningModule<GkeClusterState, GkeClusterSpec, GkeNodePoolState, GkeNodePoolSpec> = {
  cloud: 'gke',
  clusterFormat: gkeClusterFormat,
  nodePoolFormat: gkeNodePoolFormat,
  clusterWizard: gkeClusterWizard,
  nodePoolWizard: gkeNodePoolWizard,
};
