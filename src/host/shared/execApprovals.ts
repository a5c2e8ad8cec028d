import type * as vscode from 'vscode';
import type { ExecApprovals } from '../../core/kube/execApproval';

const KEY = 'clusterdeck.execApprovals';
const DENIED = 'clusterdeck.execDenials';

/**
 * Exec plugin approvals and denials kept in globalState (keys are hashes of file, user, command, args and env; no
 * command text or secret is stored). One decision per key: approving drops a denial and denying an approval.
 */
export class GlobalStateExecApprovals implements ExecApprovals {
  constructor(private readonly state: Pick<vscode.Memento, 'get' | 'update'>) {}

  isApproved(key: string): boolean {
    return key !== '' && this.keys(KEY).includes(key);
  }

  async approve(key: string): Promise<void> {
    await this.set(DENIED, key, false);
    await this.set(KEY, key, true);
  }

  isDenied(key: string): boolean {
    return key !== '' && this.keys(DENIED).includes(key);
  }

  async deny(key: string): Promise<void> {
    await this.set(KEY, key, false);
    await this.set(DENIED, key, true);
  }

  async forgetAll(): Promise<void> {
    await this.state.update(KEY, undefined);
    await this.state.update(DENIED, undefined);
  }

  private keys(slot: string): string[] {
    const value = this.state.get<unknown>(slot);
    return Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : [];
  }

  private async set(slot: string, key: string, present: boolean): Promise<void> {
    if (key === '') return;
    const current = this.keys(slot);
    if (present === current.includes(key)) return;
    await this.state.update(slot, present ? [...current, key] : current.filter((k) => k !== key));
  }
}
