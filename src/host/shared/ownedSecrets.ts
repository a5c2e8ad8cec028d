import type * as vscode from 'vscode';

/**
 * The secrets ClusterDeck itself keeps (e.g. a Prometheus bearer token per context), in VS Code's SecretStorage
 * only. SecretStorage cannot list its keys, so the key names (never the values) are kept in globalState: "Forget
 * Credentials" can then remove every one.
 */
export class OwnedSecrets {
  private static readonly indexKey = 'clusterdeck.secretKeys';

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
  ) {}

  get(key: string): Thenable<string | undefined> {
    return this.secrets.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    await this.secrets.store(key, value);
    await this.state.update(OwnedSecrets.indexKey, [...new Set([...this.keys(), key])]);
  }

  async delete(key: string): Promise<void> {
    await this.secrets.delete(key);
    await this.state.update(
      OwnedSecrets.indexKey,
      this.keys().filter((k) => k !== key),
    );
  }

  /** Removes every secret ClusterDeck stored; returns how many. */
  async deleteAll(): Promise<number> {
    const keys = this.keys();
    for (const key of keys) await this.secrets.delete(key);
    await this.state.update(OwnedSecrets.indexKey, []);
    return keys.length;
  }

  keys(): string[] {
    const v = this.state.get<unknown>(OwnedSecrets.indexKey, []);
    return Array.isArray(v) ? v.filter((k): k is string => typeof k === 'string') : [];
  }
}
