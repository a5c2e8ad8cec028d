// "Connect" as one flow over injected I/O: build the entries, merge into the target kubeconfig, ask before
// replacing a same-named entry that differs, write (the writer keeps a backup). Pure; the host and tests inject.
import type { CloudCluster } from './cloudProvider';
import {
  buildKubeconfigEntry,
  describeConflicts,
  mergeKubeconfigEntry,
  standardPlugins,
  type KubeconfigConflict,
  type OwnTokenCommand,
} from './kubeconfigEntry';

export interface ConnectDeps {
  /** The kubeconfig file to write (the first of KUBECONFIG, else ~/.kube/config). */
  readonly targetPath: string;
  readonly readText: (path: string) => Promise<string>;
  readonly write: (path: string, text: string) => Promise<{ backupPath?: string }>;
  /** Whether a binary is installed (looked up on PATH and the usual install dirs). */
  readonly hasBinary: (name: string) => Promise<boolean>;
  readonly ownCommand: OwnTokenCommand;
  /** Asked when same-named entries differ; true = replace them. */
  readonly confirmReplace: (question: string, conflicts: readonly KubeconfigConflict[]) => Promise<boolean>;
}

export type ConnectOutcome =
  | {
      readonly kind: 'written';
      readonly contextName: string;
      readonly path: string;
      readonly backupPath?: string;
      readonly replaced: boolean;
      readonly usesStandardPlugin: boolean;
    }
  | { readonly kind: 'unchanged'; readonly contextName: string; readonly path: string }
  | { readonly kind: 'declined'; readonly contextName: string; readonly path: string };

/** Writes the cluster's context into the kubeconfig; throws ClusterDeckError (no endpoint, not a mapping, write failed). */
export async function connectCluster(cluster: CloudCluster, deps: ConnectDeps): Promise<ConnectOutcome> {
  const usesStandardPlugin = await deps.hasBinary(standardPlugins[cluster.cloud]);
  const entry = buildKubeconfigEntry(cluster, { standardPluginAvailable: usesStandardPlugin, ownCommand: deps.ownCommand });
  const path = deps.targetPath;
  const text = await deps.readText(path);
  let result = mergeKubeconfigEntry(text, entry);
  let replaced = false;
  if (result.kind === 'conflict') {
    const question = `${path} already has ${describeConflicts(result.conflicts)}. Replace with the entries for cluster "${cluster.name}"?`;
    if (!(await deps.confirmReplace(question, result.conflicts))) return { kind: 'declined', contextName: entry.contextName, path };
    result = mergeKubeconfigEntry(text, entry, { replace: true });
    replaced = true;
  }
  if (result.kind === 'unchanged' || result.kind === 'conflict') return { kind: 'unchanged', contextName: entry.contextName, path };
  const written = await deps.write(path, result.text);
  return {
    kind: 'written',
    contextName: entry.contextName,
    path,
    ...(written.backupPath ? { backupPath: written.backupPath } : {}),
    replaced,
    usesStandardPlugin,
  };
}

/**
 * The file Connect writes, as client-go picks it for new entries: the first file of the list that exists, else the
 * last one (which is created). A context of the same name already defined in some file is updated in that file
 * instead (the caller checks that first), so no shadowed duplicate is ever written.
 */
export function chooseKubeconfigTarget(paths: readonly string[], exists: (path: string) => boolean): string | undefined {
  return paths.find(exists) ?? paths[paths.length - 1];
}
