import * as vscode from 'vscode';
import type { ClusterNode } from '../../core/explorer/clusterNodes';
import type { KubeClient, KubeClientFactory } from '../../core/kube/kubeClient';
import { resolveContext, type MergedKubeconfig } from '../../core/kube/kubeconfig';
import { confirmDestructive } from '../shared/confirmDestructive';
import type { Log } from '../shared/log';
import { ensureWritable } from '../shared/readOnly';

type ResourceNode = Extract<ClusterNode, { kind: 'resource' }>;

/** More than this many objects need a typed name (reliability D2; Rancher asks for one of the first five). */
export const typedNameAbove = 5;

/**
 * Deletes the objects selected in the tree, after one modal that lists them with their contexts and servers; above
 * five objects the user types the first one's name. Each delete carries the uid the user saw. Only what is selected
 * is deleted: an empty selection deletes nothing.
 */
export async function deleteSelection(
  deps: { readonly loadConfig: () => Promise<MergedKubeconfig>; readonly factory: KubeClientFactory; readonly log: Log },
  selection: readonly ResourceNode[],
): Promise<{ deleted: number; failed: string[] }> {
  const unique = [
    ...new Map(selection.map((n) => [`${n.contextName}\n${n.resource.plural}\n${n.namespace ?? ''}\n${n.name}`, n])).values(),
  ];
  if (unique.length === 0) return { deleted: 0, failed: [] };
  for (const n of unique) ensureWritable(n.contextName, `delete ${unique.length} objects`);
  const config = await deps.loadConfig();
  const signal = new AbortController().signal;
  const clients = new Map<string, { client: KubeClient; server: string }>();
  for (const name of new Set(unique.map((n) => n.contextName))) {
    const resolved = resolveContext(config, name);
    clients.set(name, { client: await deps.factory.createClient(resolved), server: resolved.cluster.server });
  }
  // The uids of what the user sees: a same-named object recreated meanwhile is not deleted.
  const uids = await Promise.all(
    unique.map(async (n) => {
      const obj = await clients.get(n.contextName)!.client.getObject(n.resource, n.namespace, n.name, { signal });
      return String((obj.metadata as { uid?: string } | undefined)?.uid ?? '');
    }),
  );
  const label = (n: ResourceNode) => `${n.resource.kind} ${n.namespace ? `${n.namespace}/` : ''}${n.name}`;
  const listed = unique.slice(0, 12).map((n) => `• ${label(n)}`);
  if (unique.length > listed.length) listed.push(`• … and ${unique.length - listed.length} more`);
  const contexts = [...clients.keys()];
  const first = unique[0]!;
  const ok = await confirmDestructive({
    verb: 'delete',
    kind: `${unique.length} objects`,
    name: first.name,
    contextName: contexts.join(', '),
    server: contexts.map((c) => clients.get(c)!.server).join(', '),
    title: `Delete ${unique.length} objects?`,
    detail: `${listed.join('\n')}\n\nThis cannot be undone.`,
    ...(unique.length > typedNameAbove ? { typeToConfirm: first.name } : {}),
  });
  if (!ok) return { deleted: 0, failed: [] };
  let deleted = 0;
  const failed: string[] = [];
  for (const [i, n] of unique.entries()) {
    try {
      await clients.get(n.contextName)!.client.deleteObject(n.resource, n.namespace, n.name, { signal, uid: uids[i] ?? '' });
      deleted++;
      deps.log.info('explorer', `deleted ${label(n)} on ${n.contextName}`);
    } catch (e) {
      failed.push(`${label(n)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (failed.length) void vscode.window.showErrorMessage(`Deleted ${deleted} of ${unique.length} objects. ${failed.join(' ')}`);
  else void vscode.window.showInformationMessage(`Deleted ${deleted} objects.`);
  return { deleted, failed };
}
