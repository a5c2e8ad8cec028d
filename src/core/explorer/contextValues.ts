import { allowAll } from '../kube/accessReviews';
import { restartableKinds, scalableKinds } from '../kube/resourceKinds';
import type { ClusterNode } from './clusterNodes';

/**
 * The contextValue of an object item: `resource <plural>` then the actions the user may take, as tokens the
 * package.json menus match (`canDelete`, `canPatch` for a rollout restart, `canScale`), or `readonly` when the
 * context is in read-only mode (no action token at all). Unknown permissions count as allowed.
 */
export function resourceContextValue(node: Extract<ClusterNode, { kind: 'resource' }>, readOnly: boolean): string {
  const base = `resource ${node.resource.plural}`;
  if (readOnly) return `${base} readonly`;
  const p = node.permissions ?? allowAll;
  const tokens = [
    p.delete ? 'canDelete' : '',
    p.patch && restartableKinds.has(node.resource.kind) ? 'canPatch' : '',
    p.scale && scalableKinds.has(node.resource.kind) ? 'canScale' : '',
  ].filter(Boolean);
  return [base, ...tokens].join(' ');
}
