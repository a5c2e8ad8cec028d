import * as vscode from 'vscode';
import { ClusterDeckError, isCancellation } from '../../core/errors';
import { redactSecrets } from '../../core/redact';
import type { Log } from './log';

type Handler = (...args: never[]) => unknown;

/**
 * Registers a command through the one error wrapper: cancellation is silent; a ClusterDeckError becomes its
 * one-sentence message with the next step as a button; anything else is logged and shown with "Show Log".
 */
export function registerCommand(id: string, handler: Handler, log: Log): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await (handler as (...a: unknown[]) => unknown)(...args);
    } catch (e) {
      await showError(e, log, id);
      return undefined;
    }
  });
}

/** Shows an error the way every command does; returns when the user has answered. */
export async function showError(e: unknown, log: Log, where: string): Promise<void> {
  if (isCancellation(e)) return;
  if (e instanceof ClusterDeckError) {
    log.warn('command', `${where}: ${e.reason}: ${e.message}`);
    const steps = nextSteps(e);
    const picked = await vscode.window.showErrorMessage(redactSecrets(e.message), ...steps.map((s) => s.title));
    const step = steps.find((s) => s.title === picked);
    if (step) await vscode.commands.executeCommand(step.command, ...step.args);
    return;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  log.error('command', `${where}: ${err.stack ?? err.message}`);
  const picked = await vscode.window.showErrorMessage(`ClusterDeck: ${redactSecrets(err.message)}`, 'Show Log');
  if (picked) log.show();
}

function nextSteps(e: ClusterDeckError): { title: string; command: string; args: unknown[] }[] {
  switch (e.reason) {
    case 'untrusted':
      return [{ title: 'Manage Workspace Trust', command: 'workbench.trust.manage', args: [] }];
    case 'badConfig':
      return e.detail.file
        ? [{ title: 'Open File', command: 'clusterdeck.kubeconfig.open', args: [e.detail.file, String(e.detail.line ?? 1)] }]
        : [{ title: 'Show Log', command: 'clusterdeck.log.show', args: [] }];
    default:
      return [{ title: 'Show Log', command: 'clusterdeck.log.show', args: [] }];
  }
}
