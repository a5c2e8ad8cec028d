import * as vscode from 'vscode';
import type { ClusterNode } from '../../core/explorer/clusterNodes';
import type { KubeClientFactory } from '../../core/kube/kubeClient';
import { resolveContext, type MergedKubeconfig } from '../../core/kube/kubeconfig';
import { resourceKindOf } from '../../core/kube/resourceKinds';

type ResourceNode = Extract<ClusterNode, { kind: 'resource' }>;

/**
 * From the palette: asks what a tree node would have given — context (current first), namespace (the
 * context's first), kind (when several fit) and object. Resolves undefined when the user cancels.
 */
export async function pickResourceNode(
  deps: { readonly loadConfig: () => Promise<MergedKubeconfig>; readonly factory: KubeClientFactory },
  plurals: readonly { readonly plural: string; readonly group: string }[],
  title: string,
): Promise<ResourceNode | undefined> {
  const config = await deps.loadConfig();
  const contexts = [...config.contexts].sort((a, b) => Number(b.name === config.currentContext) - Number(a.name === config.currentContext));
  const context = await vscode.window.showQuickPick(
    contexts.map((c) => ({ label: c.name, description: c.name === config.currentContext ? 'current' : '', entry: c })),
    { title: `${title}: which context?` },
  );
  if (!context) return undefined;
  const client = await deps.factory.createClient(resolveContext(config, context.label));
  const signal = new AbortController().signal;
  const preferred = context.entry.namespace ?? 'default';
  const namespaces = await client.listNamespaces({ signal, limit: 500 }).then(
    (page) => page.items.map((n) => n.name),
    () => [preferred],
  );
  const namespace = await vscode.window.showQuickPick([preferred, ...namespaces.filter((n) => n !== preferred)], {
    title: `${title}: which namespace of "${context.label}"?`,
  });
  if (!namespace) return undefined;
  const kinds = plurals.map((p) => resourceKindOf(p.plural, p.group)).filter((k) => k !== undefined);
  const kind =
    kinds.length === 1
      ? kinds[0]
      : (
          await vscode.window.showQuickPick(
            kinds.map((k) => ({ label: k.label, resource: k })),
            { title: `${title}: what kind?` },
          )
        )?.resource;
  if (!kind) return undefined;
  const objects = await client.listObjects(kind, namespace, { signal, limit: 500 });
  const names = objects.items.map((o) => String((o.metadata as { name?: string } | undefined)?.name ?? '')).filter(Boolean);
  if (names.length === 0) {
    void vscode.window.showInformationMessage(`No ${kind.label} in namespace "${namespace}" of "${context.label}".`);
    return undefined;
  }
  const name = await vscode.window.showQuickPick(names, { title: `${title}: which ${kind.kind}?` });
  if (!name) return undefined;
  return {
    kind: 'resource',
    id: `obj:${context.label}:${namespace}:${kind.group}/${kind.plural}:${name}`,
    contextName: context.label,
    namespace,
    resource: kind,
    name,
    cells: {},
  };
}
