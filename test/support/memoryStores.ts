// In-memory stand-ins for VS Code's stores, for host code under the vscode stub: a Memento (globalState) and a
// SecretStorage that can be switched to failing the way a Linux session without a keyring does.
import type * as vscode from 'vscode';

export function memento(): vscode.Memento & { readonly data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: <T>(k: string, d?: T) => (data.has(k) ? (data.get(k) as T) : d),
    update: (k: string, v: unknown) => Promise.resolve(void data.set(k, v)),
    keys: () => [...data.keys()],
  };
}

/** A SecretStorage whose every call fails while `mode.broken` is true. */
export function secretStorage(mode: { broken: boolean }): vscode.SecretStorage & { readonly data: Map<string, string> } {
  const data = new Map<string, string>();
  const fail = () => Promise.reject(new Error('Cannot create an item in a locked collection (no keyring)'));
  return {
    data,
    get: (k: string) => (mode.broken ? fail() : Promise.resolve(data.get(k))),
    store: (k: string, v: string) => (mode.broken ? fail() : Promise.resolve(void data.set(k, v))),
    delete: (k: string) => (mode.broken ? fail() : Promise.resolve(void data.delete(k))),
    keys: () => Promise.resolve([...data.keys()]),
    onDidChange: () => ({ dispose() {} }),
  } as unknown as vscode.SecretStorage & { readonly data: Map<string, string> };
}
