import * as vscode from 'vscode';
import { ClusterDeckError } from '../../core/errors';

/** The kubeadm SSH commands run commands on remote hosts: refused in Restricted Mode. */
export function requireTrust(what: string): void {
  if (!vscode.workspace.isTrusted)
    throw new ClusterDeckError('untrusted', `${what} runs commands on remote hosts; trust this workspace first.`);
}
