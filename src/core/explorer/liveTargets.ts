import { ClusterDeckError } from '../errors';
import { namespaceCategories, type ResourceKind } from '../kube/resourceKinds';
import type { ClusterNode } from './clusterNodes';

/** Namespaces as a watchable collection (the children of a context). */
export const namespacesKind: ResourceKind = {
  kind: 'Namespace',
  plural: 'namespaces',
  group: '',
  version: 'v1',
  namespaced: false,
  label: 'Namespaces',
};

/** What a node's children follow when it is expanded: a context its namespaces, a folder its objects. */
export interface WatchTarget {
  readonly contextName: string;
  readonly resource: ResourceKind;
  readonly namespace?: string;
}

/** The collection a node's children come from, or undefined for nodes whose children are static. */
export function watchTargetOf(node: ClusterNode): WatchTarget | undefined {
  if (node.kind === 'context') return { contextName: node.contextName, resource: namespacesKind };
  if (node.kind === 'resourceFolder')
    return { contextName: node.contextName, resource: node.resource, ...(node.namespace ? { namespace: node.namespace } : {}) };
  return undefined;
}

/** The id of the folder an object is listed in (the same id `resourceFolderNodes` gives it). */
export function folderIdOf(node: ClusterNode): string | undefined {
  if (node.kind !== 'resource' || !node.namespace) return undefined;
  return `res:${node.contextName}:${node.namespace}:${node.resource.group}/${node.resource.plural}`;
}

/** Whether node `id` lies under `ancestor` (the same context, and the same namespace for a namespace or category). */
export function isUnder(id: string, ancestor: ClusterNode): boolean {
  if (ancestor.kind === 'context') return id === ancestor.id || id.startsWith(`res:${ancestor.contextName}:`);
  if (ancestor.kind === 'namespace') return id.startsWith(`res:${ancestor.contextName}:${ancestor.name}:`);
  if (ancestor.kind === 'category') {
    const prefix = `res:${ancestor.contextName}:${ancestor.namespace}:`;
    const kinds = namespaceCategories.find((c) => c.name === ancestor.name)?.kinds ?? [];
    return id.startsWith(prefix) && kinds.some((k) => id === `${prefix}${k.group}/${k.plural}`);
  }
  return id === ancestor.id;
}

/** The note shown first under a node whose watch gave up: why, and Retry. */
export function liveStoppedNode(parentId: string, error: unknown): ClusterNode {
  const why = error instanceof ClusterDeckError ? error.message : String((error as Error)?.message ?? error);
  return {
    kind: 'message',
    id: `live-stopped:${parentId}`,
    severity: 'warning',
    text: `Live updates stopped: ${why}`,
    detail: 'The list is shown as last read. Retry reads it again and follows it again.',
    action: { command: 'clusterdeck.clusters.retryLiveUpdates', title: 'Retry', args: [parentId] },
  };
}
