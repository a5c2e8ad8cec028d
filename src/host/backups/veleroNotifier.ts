import * as vscode from 'vscode';
import { backupOutcome, restoreOutcome } from '../../core/velero/veleroActions';
import type { FinishedItem } from '../../core/velero/veleroLive';
import type { Log } from '../shared/log';

/**
 * Says once that a backup or restore has finished, whoever saw it first: the Backups view's watch or the command
 * that started it and follows it. Completed → information, PartiallyFailed → warning, anything else → error.
 */
export class VeleroNotifier {
  private readonly notified = new Set<string>();

  constructor(private readonly log: Log) {}

  finished(contextName: string, finished: FinishedItem): void {
    const key = `${contextName}/${finished.kind}/${finished.item.uid || finished.item.name}`;
    if (this.notified.has(key)) return;
    this.notified.add(key);
    const outcome = finished.kind === 'backup' ? backupOutcome(finished.item) : restoreOutcome(finished.item);
    this.log.info('velero', `${finished.kind} ${finished.item.name} on ${contextName}: ${finished.item.phase}`);
    const message = `${outcome.message} (${contextName})`;
    if (outcome.severity === 'info') void vscode.window.showInformationMessage(message);
    else if (outcome.severity === 'warning') void vscode.window.showWarningMessage(message);
    else void vscode.window.showErrorMessage(message);
  }
}
