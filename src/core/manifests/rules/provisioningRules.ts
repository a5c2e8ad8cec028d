// Cluster and node-pool files (config first, issue #6) get the same checks in the editor and `clusterdeck lint`
// as "Create from file" applies before creating: each cloud's format reports its problems at a path.
import { checkProvisioningDocument } from '../../provisioning/provisioningCatalog';
import type { Rule } from '../rule';

const provisioningSpec: Rule = {
  id: 'provisioning-spec',
  level: 'error',
  scope: 'document',
  equivalents: [],
  description:
    'Cluster and node-pool files (eksctl ClusterConfig, GKE Cluster/NodePool requests, ARM managedClusters/agentPools) must pass the checks ClusterDeck creates them with: names, versions, CIDRs, node counts.',
  check(ctx) {
    const problems = checkProvisioningDocument(ctx.doc.value);
    for (const p of problems ?? []) ctx.report(p.path, p.message, { severity: p.severity });
  },
};

export const provisioningRules: readonly Rule[] = [provisioningSpec];
