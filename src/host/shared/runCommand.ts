import * as vscode from 'vscode';
import { ClusterDeckError, isCancellation } from '../../core/errors';
import { redactSecrets } from '../../core/redact';
import type { Log } from './log';

type Handler = (...args: never[]) => unknown;

/**
 * Registers a command through the one error wrapper: cancellation is silent; a ClusterDeckError becomes its
 * one-sentence message with the next step as a button; anything else is logged and shown with "Show Log".
 */
export function registerCommand(id: string, handler: Handler, log: Log, options: { selection?: boolean } = {}): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    // A tree with multi-select passes (clicked item, selected items) to context-menu commands. Only commands that
    // act on a selection (delete) receive the second; the others keep their own optional second argument.
    if (!options.selection && isTreeSelection(args[1])) args = args.slice(0, 1);
    try {
      return await (handler as (...a: unknown[]) => unknown)(...args);
    } catch (e) {
      await showError(e, log, id);
      return undefined;
    }
  });
}

/** The selected-items array VS Code passes to commands of a multi-select tree (our nodes carry `kind` and `id`). */
export function isTreeSelection(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => typeof v === 'object' && v !== null && 'kind' in v && 'id' in v && typeof (v as { id: unknown }).id === 'string')
  );
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
