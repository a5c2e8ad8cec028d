import * as vscode from 'vscode';
import { currentContextState, type MergedKubeconfig } from '../../core/kube/kubeconfig';
import { commandIds } from '../commandIds';

/** The status-bar item with the current context and its namespace; a click switches the context. */
export class ContextStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('clusterdeck.context', vscode.StatusBarAlignment.Left, 50);
  text = '';

  constructor(private readonly loadConfig: () => Promise<MergedKubeconfig>) {
    this.item.name = 'ClusterDeck context';
    this.item.command = commandIds.contextSetCurrent;
  }

  async update(): Promise<void> {
    let config: MergedKubeconfig;
    try {
      config = await this.loadConfig();
    } catch {
      this.item.hide();
      return;
    }
    const state = currentContextState(config);
    if (state.kind === 'missing') {
      // B08: say so where the current context is shown, and offer the picker (the item's command).
      this.text = 'No context';
      this.item.text = '$(warning) No context';
      this.item.tooltip = `current-context "${state.name}" names no context: click to choose one`;
      this.item.show();
      return;
    }
    const current = state.kind === 'active' ? state.context : undefined;
    if (!current) {
      this.text = '';
      this.item.hide();
      return;
    }
    this.text = `${current.name} / ${current.namespace ?? 'default'}`;
    this.item.text = `$(server-environment) ${this.text}`;
    this.item.tooltip = `Kubernetes context "${current.name}", namespace "${current.namespace ?? 'default'}" (click to switch)`;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
