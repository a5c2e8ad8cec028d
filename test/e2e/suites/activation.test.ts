import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ClusterDeckApi } from '../../../src/extension';

/** Module cache keys that belong to the Kubernetes client or a cloud SDK. */
function heavyModules(): string[] {
  return Object.keys(require.cache).filter(
    (k) =>
      /[\\/]dist[\\/](kubeSdk|manifestsEngine)\.js$/.test(k) ||
      /node_modules[\\/](@kubernetes|@aws-sdk|@google-cloud|@azure|google-gax)[\\/]/.test(k),
  );
}

describe('activation', () => {
  it('activates without loading the Kubernetes client or any cloud SDK, and loads the client on first expand', async () => {
    const ext = vscode.extensions.getExtension<ClusterDeckApi>('clusterdeck.clusterdeck');
    assert.ok(ext, 'ClusterDeck is installed');
    assert.equal(ext.isActive, false, 'nothing activated ClusterDeck before this test');
    assert.deepEqual(heavyModules(), [], 'no heavy module before activation');
    const api = await ext.activate();
    assert.deepEqual(heavyModules(), [], 'activation loaded no heavy module');
    assert.ok(api.activationMs >= 0 && api.activationMs < 5_000, `activation took ${api.activationMs} ms`);

    // The same check sees the client once the explorer needs it, so it can fail.
    const contexts = await api.clusters.getChildren();
    const healthy = contexts.find((n) => n.kind === 'context' && n.contextName === 'fake-a');
    assert.ok(healthy, 'context fake-a listed');
    await api.clusters.getChildren(healthy);
    assert.ok(
      heavyModules().some((k) => k.endsWith('kubeSdk.js')),
      'kubeSdk.js is loaded after the first expand',
    );
  });

  it('registers every command it contributes', async () => {
    const ext = vscode.extensions.getExtension('clusterdeck.clusterdeck');
    const contributed = (ext?.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map(
      (c) => c.command,
    );
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((c) => !registered.has(c)),
      [],
    );
  });
});
