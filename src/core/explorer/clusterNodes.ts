import { ClusterDeckError, isCancellation, type FailureReason } from '../errors';
import { detectProvider, type ProviderKind } from '../kube/detectProvider';
import { resolveContext, type MergedKubeconfig } from '../kube/kubeconfig';
import type { KubeClientFactory } from '../kube/kubeClient';

/** A command a message node offers (run by the host when the item is clicked). */
export interface NodeAction {
  readonly command: string;
  readonly title: string;
  readonly args: readonly string[];
}

/** The plain data behind every item of the Clusters view. `id`s are stable so expansion survives refresh. */
export type ClusterNode =
  | {
      readonly kind: 'context';
      readonly id: string;
      readonly contextName: string;
      readonly provider: ProviderKind;
      readonly isCurrent: boolean;
      readonly server: string;
      readonly namespace?: string;
      readonly sourcePath: string;
      readonly insecure: boolean;
    }
  | { readonly kind: 'namespace'; readonly id: string; readonly contextName: string; readonly name: string; readonly phase?: string }
  | {
      readonly kind: 'loadMore';
      readonly id: string;
      readonly contextName: string;
      readonly continueToken: string;
      readonly loaded: number;
    }
  | {
      readonly kind: 'message';
      readonly id: string;
      readonly severity: 'error' | 'warning' | 'info';
      readonly text: string;
      readonly detail?: string;
      readonly reason?: FailureReason;
      readonly action?: NodeAction;
    };

/** Top level: one node per context, current context first marked, then one error node per broken file. */
export function buildContextNodes(config: MergedKubeconfig): ClusterNode[] {
  const nodes: ClusterNode[] = config.contexts.map((c) => {
    const cluster = config.clusters.get(c.clusterName);
    return {
      kind: 'context',
      id: `ctx:${c.name}`,
      contextName: c.name,
      provider: detectProvider(c, cluster, config.users.get(c.userName)),
      isCurrent: c.name === config.currentContext,
      server: cluster?.server ?? '',
      ...(c.namespace ? { namespace: c.namespace } : {}),
      sourcePath: c.sourcePath,
      insecure: cluster?.insecureSkipTlsVerify ?? false,
    };
  });
  config.problems.forEach((p, i) => {
    nodes.push({
      kind: 'message',
      id: `problem:${i}:${p.path}`,
      severity: 'error',
      text: `${basename(p.path)}${p.line ? `:${p.line}` : ''}: ${p.message}`,
      detail: `${p.path}${p.line ? ` line ${p.line}` : ''}`,
      reason: 'badConfig',
      action: { command: 'clusterdeck.kubeconfig.open', title: 'Open File', args: [p.path, String(p.line ?? 1)] },
    });
  });
  return nodes;
}

/**
 * The children of a context: a page of namespaces (plus "Load more" when the server has more), or one
 * message node explaining why they cannot be listed. Cancellation propagates; every other failure becomes a
 * node, so one broken cluster never breaks the view.
 */
export async function loadNamespaceNodes(
  config: MergedKubeconfig,
  contextName: string,
  factory: KubeClientFactory,
  options: { signal: AbortSignal; pageSize: number; continueToken?: string; alreadyLoaded?: number },
): Promise<ClusterNode[]> {
  try {
    const resolved = resolveContext(config, contextName);
    const client = await factory.createClient(resolved);
    const page = await client.listNamespaces({
      signal: options.signal,
      limit: options.pageSize,
      ...(options.continueToken ? { continueToken: options.continueToken } : {}),
    });
    const loaded = (options.alreadyLoaded ?? 0) + page.items.length;
    // The context's own namespace first, the rest in server order (alphabetical on a real API server).
    const items = [...page.items].sort(
      (a, b) => Number(b.name === resolved.context.namespace) - Number(a.name === resolved.context.namespace),
    );
    const nodes: ClusterNode[] = items.map((ns) => ({
      kind: 'namespace',
      id: `ns:${contextName}:${ns.name}`,
      contextName,
      name: ns.name,
      ...(ns.phase ? { phase: ns.phase } : {}),
    }));
    if (page.continueToken) {
      nodes.push({ kind: 'loadMore', id: `more:${contextName}:${loaded}`, contextName, continueToken: page.continueToken, loaded });
    }
    if (nodes.length === 0 && !options.continueToken) {
      nodes.push({ kind: 'message', id: `empty:${contextName}`, severity: 'info', text: 'No namespaces' });
    }
    return nodes;
  } catch (e) {
    if (isCancellation(e)) throw e;
    return [errorNode(contextName, e)];
  }
}

/** One message node for a failure, with the next step as its action where there is one. */
export function errorNode(contextName: string, e: unknown): ClusterNode {
  const err =
    e instanceof ClusterDeckError ? e : new ClusterDeckError('unknown', `Unexpected error: ${String((e as Error)?.message ?? e)}`);
  const action = actionFor(contextName, err);
  return {
    kind: 'message',
    id: `err:${contextName}`,
    severity: err.reason === 'untrusted' || err.reason === 'needsApproval' ? 'warning' : 'error',
    text: err.message,
    reason: err.reason,
    ...(action ? { action } : {}),
  };
}

function actionFor(contextName: string, err: ClusterDeckError): NodeAction | undefined {
  switch (err.reason) {
    case 'needsApproval':
      return { command: 'clusterdeck.auth.approveExec', title: 'Review and Approve…', args: [contextName] };
    case 'untrusted':
      return { command: 'workbench.trust.manage', title: 'Manage Workspace Trust', args: [] };
    case 'badConfig':
      return err.detail.file
        ? { command: 'clusterdeck.kubeconfig.open', title: 'Open File', args: [err.detail.file, String(err.detail.line ?? 1)] }
        : undefined;
    default:
      return { command: 'clusterdeck.clusters.refresh', title: 'Retry', args: [] };
  }
}

function basename(p: string): string {
  return p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
}
