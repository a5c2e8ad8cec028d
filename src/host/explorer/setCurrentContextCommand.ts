import * as vscode from 'vscode';
import type { ClusterNode } from '../../core/explorer/clusterNodes';
import { currentContextState, type MergedKubeconfig } from '../../core/kube/kubeconfig';
import type { Log } from '../shared/log';

/** What "Set as Current Context" needs. */
export interface SetCurrentContextDeps {
  readonly loadConfig: () => Promise<MergedKubeconfig>;
  /** Writes `current-context` as `kubectl config use-context` does; returns the file written. */
  readonly setCurrentContext: (contextName: string) => Promise<string>;
  readonly log: Log;
  readonly refresh: () => void;
}

/**
 * Makes a context current: the one of the tree item, else the one picked from a QuickPick of every context. When
 * the kubeconfig's `current-context` names no context (B08), the picker says so in its title; nothing is contacted.
 */
export async function runSetCurrentContext(deps: SetCurrentContextDeps, node?: ClusterNode): Promise<void> {
  const config = await deps.loadConfig();
  const state = currentContextState(config);
  const title =
    state.kind === 'missing'
      ? `current-context "${state.name}" names no context. Choose the current context`
      : 'Set which context as current?';
  const name =
    node?.kind === 'context'
      ? node.contextName
      : await vscode.window.showQuickPick(
          config.contexts.map((c) => c.name),
          { title },
        );
  if (!name) return;
  const file = await deps.setCurrentContext(name);
  deps.log.info('explorer', `current-context set to "${name}" in ${file}`);
  deps.refresh();
  void vscode.window.showInformationMessage(`"${name}" is now the current context (${file}).`);
}
