import * as vscode from 'vscode';
import { ClusterDeckError } from '../../core/errors';
import { commandIds } from '../commandIds';

/** The setting listing the contexts in read-only mode. */
export const readOnlySection = 'clusterdeck.explorer.readOnlyContexts';

/**
 * Every command that changes a cluster. Each calls `ensureWritable` before it contacts the cluster; the
 * extension-host suite runs every one of them against a read-only context. Add new mutating commands here.
 */
export const mutatingCommandIds: readonly string[] = [
  commandIds.resourceDelete,
  commandIds.resourceScale,
  commandIds.resourceRestart,
  commandIds.resourceRollback,
  commandIds.resourceExec,
  commandIds.backupCreate,
];
// Velero's other mutating commands (delete, restore, schedules) take Backups-view items and refuse the same way.
// Apply also calls ensureWritable, once the user has chosen the context (it takes a file, not a tree item).

/**
 * The contexts in read-only mode: the union of the user, workspace and folder values, so a workspace can add
 * a context but never take one out of the user's read-only list.
 */
export function readOnlyContexts(): ReadonlySet<string> {
  const inspected = vscode.workspace.getConfiguration().inspect<string[]>(readOnlySection);
  const all = [...(inspected?.globalValue ?? []), ...(inspected?.workspaceValue ?? []), ...(inspected?.workspaceFolderValue ?? [])];
  return new Set(all.filter((n): n is string => typeof n === 'string'));
}

export function isReadOnly(contextName: string): boolean {
  return readOnlyContexts().has(contextName);
}

/**
 * The one guard of every mutating action (delete, scale, restart, apply, rollback, exec, port-forward…): throws
 * ClusterDeckError('readOnly') when the context is in read-only mode. Call it before any request is sent.
 */
export function ensureWritable(contextName: string, action = 'change it'): void {
  if (!isReadOnly(contextName)) return;
  throw new ClusterDeckError(
    'readOnly',
    `Context "${contextName}" is in read-only mode: ClusterDeck will not ${action}. Turn read-only mode off from the context's menu (Toggle Read-Only Mode) first.`,
  );
}

/** Turns read-only mode on or off for a context (user settings; also removed from workspace values when off). */
export async function toggleReadOnly(contextName: string): Promise<boolean> {
  const config = vscode.workspace.getConfiguration();
  const inspected = config.inspect<string[]>(readOnlySection);
  const on = !isReadOnly(contextName);
  const global = inspected?.globalValue ?? [];
  if (on) {
    await config.update(readOnlySection, [...new Set([...global, contextName])], vscode.ConfigurationTarget.Global);
    return true;
  }
  await config.update(
    readOnlySection,
    global.filter((n) => n !== contextName),
    vscode.ConfigurationTarget.Global,
  );
  if (inspected?.workspaceValue?.includes(contextName))
    await config.update(
      readOnlySection,
      inspected.workspaceValue.filter((n) => n !== contextName),
      vscode.ConfigurationTarget.Workspace,
    );
  return false;
}
