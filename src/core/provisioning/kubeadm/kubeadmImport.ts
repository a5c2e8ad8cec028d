// "Import cluster": a kubeadm admin.conf renamed to a chosen name and merged into a kubeconfig through the same
// text-splicing merge Connect uses (core/clouds/kubeconfigEntry.ts), with a question before replacing. Pure.
import { parse } from 'yaml';
import { ClusterDeckError } from '../../errors';
import { describeConflicts, mergeKubeconfigItems, type KubeconfigConflict, type KubeconfigItems } from '../../clouds/kubeconfigEntry';
import { checkClusterName } from './kubeadmSpec';

interface Named {
  readonly name?: unknown;
  readonly [key: string]: unknown;
}

/**
 * The admin.conf's current context (else its only one) with the cluster, user and context renamed: cluster and
 * context `<name>`, user `<name>-admin`. Throws `invalid` (never quoting the file: it holds the admin's key).
 */
export function renameAdminKubeconfig(adminConf: string, name: string): KubeconfigItems & { readonly server: string } {
  const bad = checkClusterName(name);
  if (bad) throw new ClusterDeckError('invalid', `"${name}" cannot name the context: ${bad}`);
  let doc: unknown;
  try {
    doc = parse(adminConf, { maxAliasCount: 0 });
  } catch {
    throw new ClusterDeckError('invalid', 'admin.conf on the control plane is not valid YAML; check that kubeadm init finished.');
  }
  const root = (doc ?? {}) as { contexts?: Named[]; clusters?: Named[]; users?: Named[]; 'current-context'?: unknown };
  const contexts = Array.isArray(root.contexts) ? root.contexts : [];
  const current = contexts.find((c) => c.name === root['current-context']) ?? (contexts.length === 1 ? contexts[0] : undefined);
  const ctx = (current?.context ?? {}) as { cluster?: unknown; user?: unknown };
  const cluster = (Array.isArray(root.clusters) ? root.clusters : []).find((c) => c.name === ctx.cluster);
  const user = (Array.isArray(root.users) ? root.users : []).find((u) => u.name === ctx.user);
  const clusterBody = cluster?.cluster as { server?: unknown } | undefined;
  if (!current || !cluster || !user || typeof clusterBody?.server !== 'string') {
    throw new ClusterDeckError(
      'invalid',
      'admin.conf has no complete current context (cluster, user, server); check that kubeadm init finished.',
    );
  }
  const userName = `${name}-admin`;
  return {
    server: clusterBody.server,
    clusters: { cluster: clusterBody, name },
    users: { name: userName, user: user.user },
    contexts: { context: { cluster: name, user: userName }, name },
  };
}

export interface ImportDeps {
  /** The kubeconfig file to merge into. */
  readonly targetPath: string;
  readonly readText: (path: string) => Promise<string>;
  /** Writes the file keeping a backup of the previous content. */
  readonly write: (path: string, text: string) => Promise<{ backupPath?: string }>;
  /** Asked when same-named entries differ; true = replace them. */
  readonly confirmReplace: (question: string, conflicts: readonly KubeconfigConflict[]) => Promise<boolean>;
}

export type ImportOutcome =
  | { readonly kind: 'written'; readonly contextName: string; readonly path: string; readonly backupPath?: string; readonly server: string }
  | { readonly kind: 'unchanged' | 'declined'; readonly contextName: string; readonly path: string };

/** Merges the renamed admin.conf entries into the target kubeconfig. */
export async function importAdminKubeconfig(adminConf: string, name: string, deps: ImportDeps): Promise<ImportOutcome> {
  const items = renameAdminKubeconfig(adminConf, name);
  const path = deps.targetPath;
  const text = await deps.readText(path);
  let result = mergeKubeconfigItems(text, items, name);
  if (result.kind === 'conflict') {
    const question = `${path} already has ${describeConflicts(result.conflicts)}. Replace them with the imported cluster "${name}"?`;
    if (!(await deps.confirmReplace(question, result.conflicts))) return { kind: 'declined', contextName: name, path };
    result = mergeKubeconfigItems(text, items, name, { replace: true });
  }
  if (result.kind === 'unchanged' || result.kind === 'conflict') return { kind: 'unchanged', contextName: name, path };
  const written = await deps.write(path, result.text);
  return {
    kind: 'written',
    contextName: name,
    path,
    server: items.server,
    ...(written.backupPath ? { backupPath: written.backupPath } : {}),
  };
}
