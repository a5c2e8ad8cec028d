import * as vscode from 'vscode';
import { isCancellation } from '../../core/errors';
import type { ClusterNode } from '../../core/explorer/clusterNodes';
import { resolveContext, type MergedKubeconfig, type ResolvedContext } from '../../core/kube/kubeconfig';
import type { KubeClient, KubeClientFactory } from '../../core/kube/kubeClient';
import { namespaceCategories, type ResourceKind } from '../../core/kube/resourceKinds';

/** Where an operation runs: a context with its client. */
export interface ContextTarget {
  readonly contextName: string;
  readonly resolved: ResolvedContext;
  readonly client: KubeClient;
}

/** One object an operation is about. */
export interface ObjectTarget extends ContextTarget {
  readonly resource: ResourceKind;
  readonly namespace?: string;
  readonly name: string;
}

export interface TargetDeps {
  readonly loadConfig: () => Promise<MergedKubeconfig>;
  readonly factory: KubeClientFactory;
}

const allKinds = (): ResourceKind[] => namespaceCategories.flatMap((c) => c.kinds);

/** The kinds an operation applies to, by kind name (`Deployment`), in catalogue order. */
export function kindsNamed(...kinds: string[]): ResourceKind[] {
  return allKinds().filter((k) => kinds.includes(k.kind));
}

/** Every namespaced kind of the catalogue (Describe, Events). */
export function everyKind(): ResourceKind[] {
  return allKinds();
}

async function contextTarget(deps: TargetDeps, contextName: string): Promise<ContextTarget> {
  const resolved = resolveContext(await deps.loadConfig(), contextName);
  return { contextName, resolved, client: await deps.factory.createClient(resolved) };
}

/** Asks for a context (the current one first); uses the node's when there is one. */
export async function pickContext(deps: TargetDeps, node: ClusterNode | undefined, title: string): Promise<ContextTarget | undefined> {
  if (node && 'contextName' in node) return contextTarget(deps, node.contextName);
  const config = await deps.loadConfig();
  const items = [...config.contexts]
    .sort((a, b) => Number(b.name === config.currentContext) - Number(a.name === config.currentContext))
    .map((c) => ({
      label: c.name,
      description: c.name === config.currentContext ? 'current context' : '',
      detail: config.clusters.get(c.clusterName)?.server ?? '',
    }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage('No Kubernetes contexts were found in your kubeconfig.');
    return undefined;
  }
  const picked =
    items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title: `${title}: context`, matchOnDetail: true });
  return picked ? contextTarget(deps, picked.label) : undefined;
}

/** Asks for a namespace of the context (its own namespace first); uses the node's when there is one. */
export async function pickNamespace(target: ContextTarget, node: ClusterNode | undefined, title: string): Promise<string | undefined> {
  if (node && 'namespace' in node && node.namespace) return node.namespace;
  if (node?.kind === 'namespace') return node.name;
  const own = target.resolved.context.namespace ?? 'default';
  const load = async () => {
    try {
      const page = await target.client.listNamespaces({ signal: new AbortController().signal, limit: 500 });
      const names = page.items.map((n) => n.name);
      return [own, ...names.filter((n) => n !== own)].map((n) => ({ label: n, description: n === own ? 'context namespace' : '' }));
    } catch (e) {
      if (isCancellation(e)) throw e;
      // Listing namespaces is often forbidden to users who may read their own: offer the context's namespace.
      return [{ label: own, description: 'context namespace', detail: `Other namespaces cannot be listed: ${(e as Error).message}` }];
    }
  };
  return (await vscode.window.showQuickPick(load(), { title: `${title}: namespace on ${target.contextName}` }))?.label;
}

/** Asks for a kind among `kinds` (plus extra first items, e.g. "All events of the namespace"). */
export async function pickKind<T extends string>(
  kinds: readonly ResourceKind[],
  title: string,
  extra: readonly { label: string; id: T }[] = [],
): Promise<ResourceKind | T | undefined> {
  if (kinds.length === 1 && extra.length === 0) return kinds[0];
  const items = [
    ...extra.map((e) => ({ label: e.label, id: e.id, resource: undefined as ResourceKind | undefined })),
    ...kinds.map((k) => ({ label: k.label, description: k.kind, id: undefined as T | undefined, resource: k })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `${title}: kind` });
  return picked ? (picked.resource ?? picked.id) : undefined;
}

/** Asks for an object of a kind in a namespace (a page of up to 500, with their printed status). */
export async function pickObject(
  target: ContextTarget,
  resource: ResourceKind,
  namespace: string,
  title: string,
): Promise<string | undefined> {
  const load = async () => {
    const page = await target.client.listTable(resource, namespace, { signal: new AbortController().signal, limit: 500 });
    if (page.items.length === 0) throw new Error(`No ${resource.label} in namespace "${namespace}" on ${target.contextName}.`);
    return page.items.map((row) => ({
      label: row.name,
      description: ['Ready', 'Status', 'Age']
        .map((c) => row.cells[c])
        .filter(Boolean)
        .join(' · '),
    }));
  };
  return (await vscode.window.showQuickPick(load(), { title: `${title}: ${resource.kind} in ${namespace}`, matchOnDescription: true }))
    ?.label;
}

/**
 * The object an operation is about: the tree node's when it is one of `kinds`, else asked step by step (context,
 * namespace, kind, object). Undefined when the user cancelled.
 */
export async function resolveObject(
  deps: TargetDeps,
  node: ClusterNode | undefined,
  kinds: readonly ResourceKind[],
  title: string,
): Promise<ObjectTarget | undefined> {
  if (node?.kind === 'resource') {
    const ctx = await contextTarget(deps, node.contextName);
    return { ...ctx, resource: node.resource, ...(node.namespace ? { namespace: node.namespace } : {}), name: node.name };
  }
  const ctx = await pickContext(deps, node, title);
  if (!ctx) return undefined;
  const namespace = await pickNamespace(ctx, node, title);
  if (!namespace) return undefined;
  const resource =
    node?.kind === 'resourceFolder' && kinds.some((k) => k.plural === node.resource.plural) ? node.resource : await pickKind(kinds, title);
  if (!resource || typeof resource === 'string') return undefined;
  const name = await pickObject(ctx, resource, namespace, title);
  return name ? { ...ctx, resource, namespace, name } : undefined;
}
