import * as vscode from 'vscode';
import type { ClusterNode } from '../../core/explorer/clusterNodes';
import type { MergedKubeconfig } from '../../core/kube/kubeconfig';
import { commandIds } from '../commandIds';
import type { Log } from '../shared/log';
import { toggleReadOnly } from '../shared/readOnly';
import { registerCommand } from '../shared/runCommand';
import type { ClustersTreeProvider } from './clustersTreeProvider';

export interface TreeCommandDeps {
  readonly log: Log;
  readonly clusters: ClustersTreeProvider;
  readonly loadConfig: () => Promise<MergedKubeconfig>;
}

async function pickContext(node: ClusterNode | undefined, deps: TreeCommandDeps, title: string): Promise<string | undefined> {
  if (node && 'contextName' in node) return node.contextName;
  const config = await deps.loadConfig();
  return vscode.window.showQuickPick(
    config.contexts.map((c) => c.name),
    { title },
  );
}

/** The tree's own commands: the context filter, the "All namespaces" toggle and read-only mode of a context. */
export function registerTreeCommands(deps: TreeCommandDeps): vscode.Disposable[] {
  const { log, clusters } = deps;
  return [
    registerCommand(
      commandIds.clustersFilter,
      async () => {
        const query = await vscode.window.showInputBox({
          title: 'Filter contexts',
          prompt: 'Show only the contexts whose name, server or namespace contains this text (empty: show all)',
          value: clusters.filter,
        });
        if (query === undefined) return;
        clusters.setFilter(query);
        log.info('explorer', query.trim() ? `contexts filtered by "${query.trim()}"` : 'context filter cleared');
      },
      log,
    ),
    registerCommand(
      commandIds.clustersToggleAllNamespaces,
      async (node?: ClusterNode) => {
        const name = await pickContext(node, deps, 'Show all namespaces of which context?');
        if (!name) return;
        const on = clusters.toggleAllNamespaces(name);
        log.info('explorer', `all namespaces ${on ? 'shown' : 'hidden'} for "${name}"`);
      },
      log,
    ),
    registerCommand(
      commandIds.contextToggleReadOnly,
      async (node?: ClusterNode) => {
        const name = await pickContext(node, deps, 'Toggle read-only mode of which context?');
        if (!name) return;
        const on = await toggleReadOnly(name);
        log.info('explorer', `read-only mode ${on ? 'on' : 'off'} for "${name}"`);
        clusters.redraw();
        void vscode.window.showInformationMessage(
          on ? `"${name}" is read-only: ClusterDeck will refuse every change to it.` : `"${name}" is writable again.`,
        );
      },
      log,
    ),
  ];
}
