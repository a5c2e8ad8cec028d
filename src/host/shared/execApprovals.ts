import type * as vscode from 'vscode';
import type { ExecApprovals } from '../../core/kube/execApproval';

const KEY = 'clusterdeck.execApprovals';

/** Exec plugin approvals kept in globalState (keys are hashes; no command text or secret is stored). */
export class GlobalStateExecApprovals implements ExecApprovals {
  constructor(private readonly state: vscode.Memento) {}

  isApproved(key: string): boolean {
    return key !== '' && (this.state.get<string[]>(KEY) ?? []).includes(key);
  }

  async approve(key: string): Promise<void> {
    const current = this.state.get<string[]>(KEY) ?? [];
    if (!current.includes(key)) await this.state.update(KEY, [...current, key]);
  }

  async forgetAll(): Promise<void> {
    await this.state.update(KEY, undefined);
  }
}
