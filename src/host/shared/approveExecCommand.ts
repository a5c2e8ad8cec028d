import * as vscode from 'vscode';
import { ClusterDeckError } from '../../core/errors';
import { describeExecPlugin, execApprovalKey, type ExecApprovals } from '../../core/kube/execApproval';
import { resolveContext, type MergedKubeconfig } from '../../core/kube/kubeconfig';
import type { Log } from './log';

export interface ApproveExecDeps {
  readonly loadConfig: () => Promise<MergedKubeconfig>;
  readonly approvals: ExecApprovals;
  readonly log: Log;
  /** Redraws the Clusters view (the context then connects, or says it was denied). */
  readonly refresh: () => void;
}

/**
 * "Review and Approve…" of a context's exec credential plugin: a modal with the exact argv, env names, file and user
 * entry. "Allow" and "Deny" are both remembered for exactly this plugin (the approval key); dismissing decides
 * nothing. A denied plugin is never run and the tree stops asking (reliability B29); a changed entry asks again.
 */
export async function runApproveExec(deps: ApproveExecDeps, contextName?: string): Promise<void> {
  const config = await deps.loadConfig();
  const name =
    contextName ??
    (await vscode.window.showQuickPick(
      config.contexts.filter((c) => config.users.get(c.userName)?.exec).map((c) => c.name),
      { title: 'Approve the credential plugin of which context?' },
    ));
  if (!name) return;
  const { user, context } = resolveContext(config, name);
  if (!user.exec) throw new ClusterDeckError('badConfig', `Context "${name}" uses no exec credential plugin.`);
  const choice = await vscode.window.showWarningMessage(
    `Allow ClusterDeck to run this credential plugin for context "${context.name}"?`,
    {
      modal: true,
      detail: `${describeExecPlugin(user)}\n\nKubeconfig: ${user.sourcePath}\nUser entry: ${user.name}\n\nIt runs each time ClusterDeck needs a token for this context. You will be asked again if the command changes.`,
    },
    'Allow',
    ...(deps.approvals.deny ? ['Deny'] : []),
  );
  if (choice === 'Deny') {
    await deps.approvals.deny?.(execApprovalKey(user));
    deps.log.info('auth', `denied the exec plugin of context "${context.name}" (${user.exec.command})`);
    deps.refresh();
    return;
  }
  if (choice !== 'Allow') return;
  await deps.approvals.approve(execApprovalKey(user));
  deps.log.info('auth', `approved the exec plugin of context "${context.name}" (${user.exec.command})`);
  deps.refresh();
}
