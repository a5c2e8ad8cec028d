// Remote actions inside the extension host, against the fake API server of test/e2e/remote.ui.test.ts (which
// passes its facts in CLUSTERDECK_REMOTE_FIXTURE); skipped in other workbenches.
import * as assert from 'node:assert/strict';
import { request } from 'node:http';
import * as vscode from 'vscode';
import type { ClusterNode } from '../../../src/core/explorer/clusterNodes';

interface RemoteFixture {
  readonly contextName: string;
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly remotePort: number;
}

function fixture(): RemoteFixture | undefined {
  const raw = process.env.CLUSTERDECK_REMOTE_FIXTURE;
  return raw ? (JSON.parse(raw) as RemoteFixture) : undefined;
}

function node(f: RemoteFixture, kind: 'Pod' | 'Service', plural: 'pods' | 'services', name: string): ClusterNode {
  return {
    kind: 'resource',
    id: `obj:${f.contextName}:${f.namespace}:/${plural}:${name}`,
    contextName: f.contextName,
    namespace: f.namespace,
    resource: { kind, plural, group: '', version: 'v1', namespaced: true, label: kind },
    name,
    cells: {},
  };
}

function get(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('Remote actions (extension host)', function () {
  before(function () {
    if (!fixture()) this.skip();
  });

  it('port-forwards a Pod, a Service and a Deployment on 127.0.0.1; stop closes each listener', async () => {
    const f = fixture()!;
    const ext = vscode.extensions.getExtension('clusterdeck.clusterdeck');
    await ext?.activate();
    const viaPod = await vscode.commands.executeCommand<{ id: string; localPort: number }>(
      'clusterdeck.resource.portForward',
      node(f, 'Pod', 'pods', f.pod),
      { remotePort: f.remotePort, localPort: 0 },
    );
    assert.ok(viaPod && viaPod.localPort > 0, JSON.stringify(viaPod));
    assert.equal(await get(viaPod.localPort, '/through-pod'), 'echo GET /through-pod');

    // The Service's port 80 targets 8080 of a ready pod behind it.
    const viaService = await vscode.commands.executeCommand<{ id: string; localPort: number; pod: string }>(
      'clusterdeck.resource.portForward',
      node(f, 'Service', 'services', 'frontend'),
      { remotePort: 8080, localPort: 0 },
    );
    assert.match(viaService.pod, /^frontend-/);
    assert.equal(await get(viaService.localPort, '/through-service'), 'echo GET /through-service');

    // A Deployment forwards to a ready pod of its selector.
    const deployment: ClusterNode = {
      kind: 'resource',
      id: `obj:${f.contextName}:${f.namespace}:apps/deployments:frontend`,
      contextName: f.contextName,
      namespace: f.namespace,
      resource: { kind: 'Deployment', plural: 'deployments', group: 'apps', version: 'v1', namespaced: true, label: 'Deployments' },
      name: 'frontend',
      cells: {},
    };
    const viaDeployment = await vscode.commands.executeCommand<{ id: string; localPort: number; pod: string }>(
      'clusterdeck.resource.portForward',
      deployment,
      { remotePort: 8080, localPort: 0 },
    );
    assert.match(viaDeployment.pod, /^frontend-/);
    assert.equal(await get(viaDeployment.localPort, '/through-deployment'), 'echo GET /through-deployment');
    assert.equal(await vscode.commands.executeCommand('clusterdeck.portforward.stop', viaDeployment.id), true);

    assert.equal(await vscode.commands.executeCommand('clusterdeck.portforward.stop', viaPod.id), true);
    await assert.rejects(get(viaPod.localPort, '/'), /ECONNREFUSED/);
    assert.equal(await vscode.commands.executeCommand('clusterdeck.portforward.stop', viaService.id), true);
    await assert.rejects(get(viaService.localPort, '/'), /ECONNREFUSED/);
  });

  it('opens a shell terminal; what is typed reaches the container and `exit 7` closes it with status 7', async () => {
    const f = fixture()!;
    const name = await vscode.commands.executeCommand<string>('clusterdeck.resource.exec', node(f, 'Pod', 'pods', f.pod), {
      container: f.container,
    });
    const terminal = vscode.window.terminals.find((t) => t.name === name);
    assert.ok(terminal, `terminal ${name} among ${vscode.window.terminals.map((t) => t.name).join(', ')}`);
    const closed = new Promise<vscode.Terminal>((resolve) => {
      const sub = vscode.window.onDidCloseTerminal((t) => {
        if (t === terminal) {
          sub.dispose();
          resolve(t);
        }
      });
    });
    terminal.sendText('echo typed-in-the-extension-host', true);
    // As a user would, some time after the shell started (VS Code reports an exit within 0.5 s as a failed launch).
    await new Promise((r) => setTimeout(r, 1500));
    terminal.sendText('exit 7', true);
    const t = await closed;
    assert.equal(t.exitStatus?.code, 7);
  });

  it('closing the terminal ends the exec socket', async () => {
    const f = fixture()!;
    const name = await vscode.commands.executeCommand<string>('clusterdeck.resource.exec', node(f, 'Pod', 'pods', f.pod), {
      container: f.container,
    });
    const terminal = vscode.window.terminals.find((t) => t.name === name);
    assert.ok(terminal);
    terminal.sendText('echo before-the-terminal-closes', true);
    await new Promise((r) => setTimeout(r, 1500));
    terminal.dispose();
    // The UI test checks on the fake that this session's socket was closed.
  });

  it('an invalid manifest is refused with its line, before any request', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\nkind: ConfigMap\nmetadata: {name: x}\n',
    });
    await vscode.window.showTextDocument(doc);
    const outcome = await vscode.commands.executeCommand<{ applied: number; errors?: { line: number; message: string }[] }>(
      'clusterdeck.resource.apply',
      doc.uri,
      { contextName: fixture()!.contextName },
    );
    assert.equal(outcome.applied, 0);
    assert.deepEqual(outcome.errors, [{ line: 6, message: 'The document has no apiVersion.' }]);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
