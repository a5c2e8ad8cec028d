// Logs, Describe and Events through the real commands in the extension host, against the fake cluster "fake-a"
// (demo data). Rollback needs a modal answer: it is driven by the UI scenarios (test/e2e/ops.ui.test.ts).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ClusterNode } from '../../../src/core/explorer/clusterNodes';
import type { ClusterDeckApi } from '../../../src/extension';

async function api(): Promise<ClusterDeckApi> {
  const ext = vscode.extensions.getExtension<ClusterDeckApi>('clusterdeck.clusterdeck');
  assert.ok(ext);
  return ext.activate();
}

async function child(parent: ClusterNode | undefined, match: (n: ClusterNode) => boolean, what: string): Promise<ClusterNode> {
  const a = await api();
  const children = await a.clusters.getChildren(parent);
  const found = children.find(match);
  assert.ok(found, `${what} (got ${children.map((c) => c.id).join(', ')})`);
  return found;
}

async function namespaceNode(ns: string): Promise<ClusterNode> {
  const ctx = await child(undefined, (n) => n.kind === 'context' && n.contextName === 'fake-a', 'context fake-a');
  return child(ctx, (n) => n.kind === 'namespace' && n.name === ns, `namespace ${ns}`);
}

async function objectNode(ns: string, plural: string, namePrefix: string): Promise<Extract<ClusterNode, { kind: 'resource' }>> {
  const nsNode = await namespaceNode(ns);
  const workloads = await child(nsNode, (n) => n.kind === 'category' && n.name === 'Workloads', 'Workloads');
  const folder = await child(workloads, (n) => n.kind === 'resourceFolder' && n.resource.plural === plural, plural);
  const obj = await child(folder, (n) => n.kind === 'resource' && n.name.startsWith(namePrefix), `${namePrefix}…`);
  assert.ok(obj.kind === 'resource');
  return obj;
}

/** The active editor's text once it matches (virtual documents fill in asynchronously). */
async function activeTextMatching(re: RegExp, scheme: string, timeoutMs = 15_000): Promise<vscode.TextEditor> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const editor = vscode.window.activeTextEditor;
    if (editor?.document.uri.scheme === scheme) {
      last = editor.document.getText();
      if (re.test(last)) return editor;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`the active ${scheme} editor never matched ${re}; last text:\n${last.slice(-1500)}`);
}

describe('Ops actions: logs, describe and events (extension host)', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows the last lines of a pod log as a log document', async () => {
    const pod = await objectNode('shop', 'pods', 'frontend-');
    await vscode.commands.executeCommand('clusterdeck.resource.logs', pod, { tailLines: 5 });
    const editor = await activeTextMatching(/line 20\n$/, 'clusterdeck-logs');
    assert.equal(editor.document.languageId, 'log');
    assert.deepEqual(
      editor.document
        .getText()
        .trimEnd()
        .split('\n')
        .map((l) => /line (\d+)$/.exec(l)?.[1]),
      ['16', '17', '18', '19', '20'],
    );
  });

  it('follows a log until "Stop Following Log", then says it stopped', async () => {
    const pod = await objectNode('shop', 'pods', 'cart-api-');
    await vscode.commands.executeCommand('clusterdeck.resource.logs', pod, { follow: true, tailLines: 2 });
    await activeTextMatching(/line 19\n.*line 20\n$/, 'clusterdeck-logs');
    await vscode.commands.executeCommand('clusterdeck.logs.stop');
    await activeTextMatching(/line 20\n\[clusterdeck\] Stopped following\.\n$/, 'clusterdeck-logs');
  });

  it('reads the named container of a multi-container pod, and the previous instance of a restarted one', async () => {
    const sidecar = await objectNode('monitoring', 'pods', 'alertmanager-');
    await vscode.commands.executeCommand('clusterdeck.resource.logs', sidecar, { container: 'config-reloader', tailLines: 1 });
    await activeTextMatching(/\[config-reloader\] alertmanager-\S+ line 20\n$/, 'clusterdeck-logs');
    const crashing = await objectNode('shop', 'pods', 'checkout-');
    await vscode.commands.executeCommand('clusterdeck.resource.logs', crashing, { previous: true });
    await activeTextMatching(/fatal: container exited with code 137 \(OOMKilled\)\n$/, 'clusterdeck-logs');
  });

  it('the log of a Deployment is one of its pods (named here, asked from the palette)', async () => {
    const deployment = await objectNode('shop', 'deployments', 'checkout');
    const pod = await objectNode('shop', 'pods', 'checkout-');
    await vscode.commands.executeCommand('clusterdeck.resource.logs', deployment, { pod: pod.name, tailLines: 1 });
    await activeTextMatching(new RegExp(`\\[checkout\\] ${pod.name} line 20\\n$`), 'clusterdeck-logs');
  });

  it('describes a pod: containers with state, last state and restarts, then its events', async () => {
    const pod = await objectNode('shop', 'pods', 'checkout-');
    await vscode.commands.executeCommand('clusterdeck.resource.describe', pod);
    const editor = await activeTextMatching(/Events:/, 'clusterdeck-describe');
    const text = editor.document.getText();
    assert.match(text, /^Name: +checkout-/m);
    assert.match(text, /State: +Waiting\n +Reason: +CrashLoopBackOff/);
    assert.match(text, /Last State: +Terminated\n +Reason: +OOMKilled/);
    assert.match(text, /Restart Count: +7/);
    assert.match(text, /Warning +BackOff +\S+ \(x31 over/);
  });

  it('describes a Deployment with its ReplicaSets by revision', async () => {
    const deployment = await objectNode('shop', 'deployments', 'frontend');
    await vscode.commands.executeCommand('clusterdeck.resource.describe', deployment);
    const editor = await activeTextMatching(/ReplicaSets:/, 'clusterdeck-describe');
    assert.match(editor.document.getText(), /3 \(current\) +frontend-\S+ +3\/3 +nginx:1\.27\.4/);
    assert.match(editor.document.getText(), /1 +frontend-\S+ +0\/0 +nginx:1\.25\.5/);
  });

  it('shows the events of a namespace and of one object as tables, newest last', async () => {
    await vscode.commands.executeCommand('clusterdeck.resource.events', await namespaceNode('shop'));
    const ns = await activeTextMatching(/Deployment\/frontend/, 'clusterdeck-events');
    assert.equal(ns.document.languageId, 'log');
    assert.match(ns.document.getText(), /^Events of namespace "shop" on fake-a\n\d+ events, 2 Warnings \(newest last\)/);
    assert.match(ns.document.getText(), /LAST SEEN +TYPE +REASON +OBJECT +COUNT +MESSAGE/);
    assert.match(ns.document.getText(), /WARNING +BackOff +Pod\/checkout-\S+ +31 +Back-off restarting failed container/);
    await vscode.commands.executeCommand('clusterdeck.resource.events', await objectNode('shop', 'deployments', 'frontend'));
    const obj = await activeTextMatching(/ScalingReplicaSet/, 'clusterdeck-events');
    assert.doesNotMatch(obj.document.getText(), /BackOff/, 'only the events of that object');
  });
});
