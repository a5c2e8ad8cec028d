import type * as vscode from 'vscode';
import { commandIds } from '../commandIds';
import type { Log } from '../shared/log';
import { registerCommand } from '../shared/runCommand';
import type { ClustersTreeProvider } from './clustersTreeProvider';

/** Commands of the live updates of the Clusters view (spread into registerCommands' list). */
export function registerLiveCommands(clusters: ClustersTreeProvider, log: Log): vscode.Disposable[] {
  return [registerCommand(commandIds.clustersRetryLiveUpdates, (nodeId: string) => clusters.retryLiveUpdates(nodeId), log)];
}
