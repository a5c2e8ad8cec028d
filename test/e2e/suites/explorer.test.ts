import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ClusterNode } from '../../../src/core/explorer/clusterNodes';
import type { ClusterDeckApi } from '../../../src/extension';

async function api(): Promise<ClusterDeckApi> {
  const ext = vscode.extensions.getExtension<ClusterDeckApi>('clusterdeck.clusterdeck');
  assert.ok(ext);
  return ext.activate();
}

function context(nodes: ClusterNode[], name: string): ClusterNode {
  const n = nodes.find((x) => x.kind === 'context' && x.contextName === name);
  assert.ok(n, `context ${name} listed (got ${nodes.map((x) => x.id).join(', ')})`);
  return n;
}

describe('Clusters view (extension host, against the fake API servers)', () => {
  it('lists every kubeconfig context with its provider and marks the current one', async () => {
    const a = await api();
    a.clusters.refresh();
    const nodes = await a.clusters.getChildren();
    const names = nodes.filter((n) => n.kind === 'context').map((n) => (n.kind === 'context' ? n.contextName : ''));
    assert.deepEqual(names.sort(), ['broken', 'exec-unapproved', 'fake-a', 'fake-http', 'missing-plugin', 'prod-eks'].sort());
    const current = context(nodes, 'fake-a');
    assert.equal(current.kind === 'context' && current.isCurrent, true);
    const eks = context(nodes, 'prod-eks');
    assert.equal(eks.kind === 'context' && eks.provider, 'eks');
  });

  it('expands a context into its namespaces from the API server (https with CA data + bearer token)', async () => {
    const a = await api();
    const nodes = await a.clusters.getChildren();
    const children = await a.clusters.getChildren(context(nodes, 'fake-a'));
    const names = children.filter((n) => n.kind === 'namespace').map((n) => (n.kind === 'namespace' ? n.name : ''));
    assert.ok(names.includes('kube-system') && names.includes('default'), `namespaces: ${names.join(', ')}`);
  });

  it('expands a plain-http context that sends no credentials', async () => {
    const a = await api();
    const children = await a.clusters.getChildren(context(await a.clusters.getChildren(), 'fake-http'));
    assert.ok(
      children.some((n) => n.kind === 'namespace' && n.name === 'default'),
      JSON.stringify(children),
    );
  });

  it('shows an unreachable context as an error item while the healthy one still expands', async () => {
    const a = await api();
    a.clusters.refresh();
    const nodes = await a.clusters.getChildren();
    const [broken, healthy] = await Promise.all([
      a.clusters.getChildren(context(nodes, 'broken')),
      a.clusters.getChildren(context(nodes, 'fake-a')),
    ]);
    assert.equal(broken.length, 1);
    const item = broken[0];
    assert.ok(item && item.kind === 'message' && item.severity === 'error' && item.reason === 'unreachable', JSON.stringify(item));
    assert.match(item.kind === 'message' ? item.text : '', /Cannot reach https?:\/\/127\.0\.0\.1:\d+/);
    assert.ok(healthy.some((n) => n.kind === 'namespace'));
  });

  it('explains a missing credential plugin: the binary, the user entry and how to install it', async () => {
    const a = await api();
    const children = await a.clusters.getChildren(context(await a.clusters.getChildren(), 'missing-plugin'));
    const item = children[0];
    assert.ok(item && item.kind === 'message' && item.reason === 'missingPlugin', JSON.stringify(children));
    assert.match(
      item.text,
      /"clusterdeck-test-gke-gcloud-auth-plugin" of user "gke-user" is not installed: Install gke-gcloud-auth-plugin/,
    );
  });

  it('never runs an unapproved exec credential plugin, and says why', async () => {
    const a = await api();
    const children = await a.clusters.getChildren(context(await a.clusters.getChildren(), 'exec-unapproved'));
    const item = children[0];
    assert.ok(item && item.kind === 'message' && item.reason === 'needsApproval', JSON.stringify(children));
    assert.equal(item.kind === 'message' && item.action?.command, 'clusterdeck.auth.approveExec');
    const marker = process.env.CLUSTERDECK_E2E_EXEC_MARKER;
    assert.ok(marker, 'the driver names the marker file');
    assert.equal(existsSync(marker), false, 'the exec plugin did not run');
  });
});

describe('Clusters view: namespace contents (extension host)', () => {
  it('a namespace opens into categories, resource folders and objects with their status', async () => {
    const a = await api();
    a.clusters.refresh();
    const ctx = context(await a.clusters.getChildren(), 'fake-a');
    const shop = (await a.clusters.getChildren(ctx)).find((n) => n.kind === 'namespace' && n.name === 'shop');
    assert.ok(shop);
    const workloads = (await a.clusters.getChildren(shop)).find((n) => n.kind === 'category' && n.name === 'Workloads');
    assert.ok(workloads);
    const pods = (await a.clusters.getChildren(workloads)).find((n) => n.kind === 'resourceFolder' && n.resource.plural === 'pods');
    assert.ok(pods);
    const items = await a.clusters.getChildren(pods);
    const pod = items.find((n) => n.kind === 'resource');
    assert.ok(pod && pod.kind === 'resource' && /^\d+\/\d+$/.test(pod.cells.Ready ?? ''), JSON.stringify(items.slice(0, 2)));
    // Live usage from metrics-server joins the pods: usage and the share of the limit (or request) per pod.
    let description = '';
    for (let i = 0; i < 50 && !/cpu /.test(description); i++) {
      await new Promise((r) => setTimeout(r, 100));
      description = String(a.clusters.getTreeItem(pod).description ?? '');
    }
    assert.match(description, /cpu \d+m?( \(\d+% (req|lim)\))? · mem \d+Mi( \(\d+% (req|lim)\))?$/);
  });
});

describe('Clusters view actions (extension host)', () => {
  async function objectOf(plural: string, category: string) {
    const a = await api();
    const ctx = context(await a.clusters.getChildren(), 'fake-a');
    const shop = (await a.clusters.getChildren(ctx)).find((n) => n.kind === 'namespace' && n.name === 'shop')!;
    const cat = (await a.clusters.getChildren(shop)).find((n) => n.kind === 'category' && n.name === category)!;
    const folder = (await a.clusters.getChildren(cat)).find((n) => n.kind === 'resourceFolder' && n.resource.plural === plural)!;
    const obj = (await a.clusters.getChildren(folder)).find((n) => n.kind === 'resource');
    assert.ok(obj, `a ${plural} object in shop`);
    return obj;
  }

  it('"Edit and Apply" opens an editable copy without status or server bookkeeping (Secrets refused)', async () => {
    const node = await objectOf('deployments', 'Workloads');
    await vscode.commands.executeCommand('clusterdeck.resource.editYaml', node);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && editor.document.isUntitled, 'an untitled, editable document');
    assert.equal(editor.document.languageId, 'yaml');
    const text = editor.document.getText();
    assert.match(text, /kind: Deployment/);
    assert.match(text, new RegExp(`name: ${(node as { name: string }).name}`));
    for (const gone of ['managedFields', 'resourceVersion', 'uid:', 'creationTimestamp', '\nstatus:'])
      assert.doesNotMatch(text, new RegExp(gone), gone);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    const secret = await objectOf('secrets', 'Config');
    const before = vscode.window.activeTextEditor?.document.uri.toString();
    await Promise.race([vscode.commands.executeCommand('clusterdeck.resource.editYaml', secret), new Promise((r) => setTimeout(r, 1_500))]);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), before, 'no editor opened for a Secret');
  });

  it("ClusterDeck's own object documents are not linted (a Secret's hidden values are not base64)", async () => {
    const secret = await objectOf('secrets', 'Config');
    await vscode.commands.executeCommand('clusterdeck.resource.openYaml', secret);
    const doc = vscode.window.activeTextEditor?.document;
    assert.ok(doc && doc.uri.scheme === 'clusterdeck-object');
    assert.match(doc.getText(), /<hidden/);
    await new Promise((r) => setTimeout(r, 2_000)); // longer than the linter's debounce
    assert.deepEqual(
      vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'clusterdeck'),
      [],
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('opens an object as read-only YAML without managedFields', async () => {
    const node = await objectOf('deployments', 'Workloads');
    await vscode.commands.executeCommand('clusterdeck.resource.openYaml', node);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && editor.document.uri.scheme === 'clusterdeck-object');
    assert.match(editor.document.getText(), /kind: Deployment/);
    assert.doesNotMatch(editor.document.getText(), /managedFields/);
    assert.equal(editor.document.languageId, 'yaml');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('scales a Deployment (the change is on the server) and restarts it', async () => {
    const node = await objectOf('deployments', 'Workloads');
    const yamlAfter = async (re: RegExp) => {
      // An open object document is re-read after the action; give it a moment.
      for (let i = 0; i < 50; i++) {
        await vscode.commands.executeCommand('clusterdeck.resource.openYaml', node);
        const text = vscode.window.activeTextEditor?.document.getText() ?? '';
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
        if (re.test(text)) return text;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.fail(`the object YAML never matched ${re}`);
    };
    await vscode.commands.executeCommand('clusterdeck.resource.scale', node, 4);
    await yamlAfter(/\n {2}replicas: 4\n/);
    await vscode.commands.executeCommand('clusterdeck.resource.restart', node);
    await yamlAfter(/kubectl\.kubernetes\.io\/restartedAt/);
  });

  it('shows Secret names and hides their values', async () => {
    const node = await objectOf('secrets', 'Config');
    await vscode.commands.executeCommand('clusterdeck.resource.openYaml', node);
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(text, /kind: Secret/);
    assert.match(text, /<hidden/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('sets the current context only when asked, in the kubeconfig kubectl would write', async () => {
    const a = await api();
    const before = await a.clusters.getChildren();
    await vscode.commands.executeCommand('clusterdeck.context.setCurrent', context(before, 'fake-http'));
    const after = await a.clusters.getChildren();
    const http = context(after, 'fake-http');
    assert.equal(http.kind === 'context' && http.isCurrent, true);
    for (let i = 0; i < 50 && a.statusBarText() !== 'fake-http / default'; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(a.statusBarText(), 'fake-http / default', 'the status bar follows the current context');
    await vscode.commands.executeCommand('clusterdeck.context.setCurrent', context(after, 'fake-a')); // restore
    const restored = context(await a.clusters.getChildren(), 'fake-a');
    assert.equal(restored.kind === 'context' && restored.isCurrent, true);
  });
});
