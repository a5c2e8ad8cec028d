import * as vscode from 'vscode';

/** What `clusterdeck.kubeconfigs` holds per scope (the shape of `WorkspaceConfiguration.inspect`). */
export interface KubeconfigsSetting {
  readonly globalValue?: readonly string[];
  readonly workspaceValue?: readonly string[];
  readonly workspaceFolderValue?: readonly string[];
}

/**
 * The extra kubeconfig files of `clusterdeck.kubeconfigs` that may be read (B20, CVE-2021-28448): the user's own
 * (global) value only, never a workspace's or folder's, since a cloned repository must not choose which kubeconfig
 * (and so which exec plugin) runs; and nothing at all in Restricted Mode.
 */
export function extraKubeconfigs(
  inspected: KubeconfigsSetting | undefined = vscode.workspace.getConfiguration('clusterdeck').inspect<string[]>('kubeconfigs'),
  trusted: boolean = vscode.workspace.isTrusted,
): string[] {
  return trusted ? [...(inspected?.globalValue ?? [])] : [];
}

/** The two workspace events that change which kubeconfig files count. */
export interface KubeconfigSettingEvents {
  readonly onDidGrantWorkspaceTrust: vscode.Event<void>;
  readonly onDidChangeConfiguration: vscode.Event<vscode.ConfigurationChangeEvent>;
}

/**
 * Calls `reload` when the set of kubeconfig files may have changed: when the workspace becomes trusted (the
 * user's `clusterdeck.kubeconfigs`, ignored in Restricted Mode, now counts) and when that setting changes.
 */
export function registerKubeconfigReloads(
  reload: (why: string) => void,
  events: KubeconfigSettingEvents = vscode.workspace,
): vscode.Disposable[] {
  return [
    events.onDidGrantWorkspaceTrust(() => reload('workspace trusted')),
    events.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('clusterdeck.kubeconfigs')) reload('clusterdeck.kubeconfigs changed');
    }),
  ];
}
