// The structure of the Clusters tree inside a real extension host, against the fixture of test/e2e/tree.ui.test.ts
// (CLUSTERDECK_TREE_FIXTURE): fake-a (demo data; SSAR denies deleting Deployments and listing Secrets in
// "payments"), fake-b (read-only by user setting), limited (may not list namespaces; setting-provided list).
// Other workbenches skip it: their fixtures differ.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ClusterNode } from '../../../src/core/explorer/clusterNodes';
import type { ClusterDeckApi } from '../../../src/extension';
import { mutatingCommandIds } from '../../../src/host/shared/readOnly';

const run = process.env.CLUSTERDECK_TREE_FIXTURE === '1' ? describe : describe.skip;
type Resource = Extract<ClusterNode, { kind: 'resource' }>;

async function api(): Promise<ClusterDeckApi> {
  const ext = vscode.extensions.getExtension<ClusterDeckApi>('clusterdeck.clusterdeck');
  assert.ok(ext);
  return ext.activate();
}

async function child(a: ClusterDeckApi, parent: ClusterNode | undefined, match: (n: ClusterNode) => boolean, what: string) {
  const children = await a.clusters.getChildren(parent);
  const n = children.find(match);
  assert.ok(n, `${what} under ${parent?.id ?? 'root'}: ${children.map((c) => c.id).join(', ')}`);
  return n;
}
const ctx = (name: string) => (n: ClusterNode) => n.kind === 'context' && n.contextName === name;
const ns = (name: string) => (n: ClusterNode) => n.kind === 'namespace' && n.name === name;
const cat = (name: string) => (n: ClusterNode) => n.kind === 'category' && n.name === name;
const folder = (plural: string) => (n: ClusterNode) => n.kind === 'resourceFolder' && n.resource.plural === plural && !n.label;
const named = (re: RegExp) => (n: ClusterNode) => n.kind === 'resource' && re.test(n.name);

async function objectsOf(a: ClusterDeckApi, context: string, namespace: string, category: string, plural: string): Promise<ClusterNode[]> {
  const c = await child(a, undefined, ctx(context), context);
  const n = await child(a, c, ns(namespace), namespace);
  const k = await child(a, n, cat(category), category);
  const f = await child(a, k, folder(plural), plural);
  return a.clusters.getChildren(f);
}

run('Tree: several clusters, cluster level, workloads (extension host)', () => {
  it('expands two clusters at once; each opens into Cluster, then its namespaces (own namespace first)', async () => {
    const a = await api();
    a.clusters.refresh();
    const roots = await a.clusters.getChildren();
    const [ca, cb] = await Promise.all(['fake-a', 'fake-b'].map((name) => child(a, undefined, ctx(name), name)));
    const [aKids, bKids] = await Promise.all([a.clusters.getChildren(ca), a.clusters.getChildren(cb)]);
    assert.equal(aKids[0]?.kind, 'clusterGroup');
    assert.ok(aKids[1]?.kind === 'namespace' && aKids[1].name === 'shop', aKids[1]?.id);
    assert.equal(bKids[0]?.kind, 'clusterGroup');
    assert.ok(bKids[1]?.kind === 'namespace' && bKids[1].name === 'payments', bKids[1]?.id);
    assert.ok(roots.length >= 3);
  });

  it('Cluster → Nodes shows usage from metrics-server, Ready icon and conditions in the tooltip', async () => {
    const a = await api();
    const c = await child(a, undefined, ctx('fake-a'), 'fake-a');
    const group = await child(a, c, (n) => n.kind === 'clusterGroup', 'Cluster');
    const nodes = await child(a, group, folder('nodes'), 'Nodes');
    const first = (await a.clusters.getChildren(nodes)).find((n) => n.kind === 'resource');
    assert.ok(first);
    const item = a.clusters.getTreeItem(first);
    assert.match(String(item.description), /^Ready · cpu \d+m\/1930m \(\d+%\) · mem /);
    assert.match((item.tooltip as vscode.MarkdownString).value, /MemoryPressure: False/);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass');
  });

  it('a Deployment opens into ReplicaSets and its pods; a pod into its containers with the last termination reason', async () => {
    const a = await api();
    const deployments = await objectsOf(a, 'fake-a', 'shop', 'Workloads', 'deployments');
    const checkout = deployments.find(named(/^checkout$/));
    assert.ok(checkout);
    assert.equal(a.clusters.getTreeItem(checkout).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const kids = await a.clusters.getChildren(checkout);
    assert.ok(kids[0]?.kind === 'resourceFolder' && kids[0].label === 'ReplicaSets');
    const pod = kids.find((n): n is Resource => n.kind === 'resource' && n.resource.kind === 'Pod');
    assert.ok(pod, JSON.stringify(kids.map((k) => k.id)));
    const containers = await a.clusters.getChildren(pod);
    const container = containers[0];
    assert.ok(container?.kind === 'container');
    const item = a.clusters.getTreeItem(container);
    assert.match(String(item.description), /waiting \(CrashLoopBackOff\) · not ready · ↻ \d+ · last: OOMKilled/);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'error');
  });

  it('Custom Resources lists the CRDs of the cluster by kind', async () => {
    const a = await api();
    const c = await child(a, undefined, ctx('fake-a'), 'fake-a');
    const shop = await child(a, c, ns('shop'), 'shop');
    const custom = await child(a, shop, cat('Custom Resources'), 'Custom Resources');
    const widgets = await child(a, custom, (n) => n.kind === 'resourceFolder' && n.resource.kind === 'Widget', 'Widgets');
    const items = await a.clusters.getChildren(widgets);
    assert.ok(items.some((n) => n.kind === 'resource' && n.name === 'blue-widget'));
    // Its YAML opens (the custom kind is known once listed).
    await vscode.commands.executeCommand('clusterdeck.resource.openYaml', items.find(named(/^blue-widget$/)));
    assert.match(vscode.window.activeTextEditor?.document.getText() ?? '', /kind: Widget/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('"All namespaces" (toggled on a context) lists the categories across namespaces; items show their namespace', async () => {
    const a = await api();
    const c = await child(a, undefined, ctx('fake-a'), 'fake-a');
    assert.ok(!(await a.clusters.getChildren(c)).some((n) => n.kind === 'allNamespaces'));
    await vscode.commands.executeCommand('clusterdeck.clusters.toggleAllNamespaces', c);
    try {
      const all = await child(a, c, (n) => n.kind === 'allNamespaces', 'All namespaces');
      const workloads = await child(a, all, cat('Workloads'), 'Workloads');
      const deployments = await child(a, workloads, folder('deployments'), 'Deployments');
      const items = (await a.clusters.getChildren(deployments)).filter((n): n is Resource => n.kind === 'resource');
      assert.ok(new Set(items.map((i) => i.namespace)).size >= 4);
      const coredns = items.find((i) => i.name === 'coredns');
      assert.ok(coredns);
      assert.match(String(a.clusters.getTreeItem(coredns).description), /^kube-system · /);
      assert.match(String(a.clusters.getTreeItem(c).contextValue), /\ballNamespaces\b/);
    } finally {
      await vscode.commands.executeCommand('clusterdeck.clusters.toggleAllNamespaces', c);
    }
    assert.ok(!(await a.clusters.getChildren(c)).some((n) => n.kind === 'allNamespaces'));
  });

  it("may not list namespaces: the context's namespace and the configured ones, with a note", async () => {
    const a = await api();
    const c = await child(a, undefined, ctx('limited'), 'limited');
    const kids = await a.clusters.getChildren(c);
    const note = kids.find((n) => n.kind === 'message');
    assert.ok(note?.kind === 'message' && note.severity === 'info', JSON.stringify(kids));
    assert.match(note.text, /Cannot list namespaces here \(403\): showing "payments", "monitoring"/);
    assert.deepEqual(
      kids.filter((n) => n.kind === 'namespace').map((n) => (n.kind === 'namespace' ? n.name : '')),
      ['payments', 'monitoring'],
    );
  });
});

run('Tree: RBAC (extension host)', () => {
  it('a 403 quotes the verb, resource and namespace', async () => {
    const a = await api();
    const items = await objectsOf(a, 'fake-a', 'payments', 'Config', 'secrets');
    assert.equal(items.length, 1);
    const item = items[0];
    assert.ok(item?.kind === 'message' && item.reason === 'forbidden');
    assert.match(item.text, /Forbidden: you cannot list secrets in namespace "payments" on context "fake-a"/);
  });

  it('Delete is hidden where the SelfSubjectAccessReview says no, and offered where it says yes', async () => {
    const a = await api();
    const payments = (await objectsOf(a, 'fake-a', 'payments', 'Workloads', 'deployments')).find((n) => n.kind === 'resource');
    const shop = (await objectsOf(a, 'fake-a', 'shop', 'Workloads', 'deployments')).find((n) => n.kind === 'resource');
    assert.ok(payments && shop);
    assert.equal(a.clusters.getTreeItem(payments).contextValue, 'resource deployments canPatch canScale');
    assert.equal(a.clusters.getTreeItem(shop).contextValue, 'resource deployments canDelete canPatch canScale');
  });
});

run('Tree: read-only mode (extension host)', () => {
  it('a read-only context shows its badge; its items offer no mutating action', async () => {
    const a = await api();
    const b = await child(a, undefined, ctx('fake-b'), 'fake-b');
    const item = a.clusters.getTreeItem(b);
    assert.match(String(item.description), /read-only/);
    assert.match(String(item.contextValue), /\breadonly\b/);
    const deployment = (await objectsOf(a, 'fake-b', 'shop', 'Workloads', 'deployments')).find((n) => n.kind === 'resource');
    assert.ok(deployment);
    assert.equal(a.clusters.getTreeItem(deployment).contextValue, 'resource deployments readonly');
  });

  it('every mutating command refuses on a read-only context (the driver checks that no request reached it)', async () => {
    const a = await api();
    const deployment = (await objectsOf(a, 'fake-b', 'shop', 'Workloads', 'deployments')).find(named(/^frontend$/));
    const pod = (await objectsOf(a, 'fake-b', 'shop', 'Workloads', 'pods')).find((n) => n.kind === 'resource');
    assert.ok(deployment && pod);
    assert.ok(mutatingCommandIds.length >= 3);
    // The refusal is an error notification; its promise settles only when dismissed, so do not wait for it.
    const settle = (p: Thenable<unknown>) => Promise.race([p, new Promise((r) => setTimeout(r, 1_500))]);
    for (const id of mutatingCommandIds) {
      await settle(vscode.commands.executeCommand(id, deployment, 7));
      await settle(vscode.commands.executeCommand(id, pod, 7));
    }
    // Apply takes a file and asks for the context; it refuses once the read-only context is chosen.
    const doc = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: read-only-probe\n  namespace: shop\ndata:\n  a: b\n',
    });
    await vscode.window.showTextDocument(doc);
    await settle(vscode.commands.executeCommand('clusterdeck.resource.apply', undefined, { contextName: 'fake-b' }));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    // Same object, same state: re-read it through the tree.
    a.clusters.refresh();
    const again = (await objectsOf(a, 'fake-b', 'shop', 'Workloads', 'deployments')).find(named(/^frontend$/));
    assert.ok(again?.kind === 'resource' && again.cells.Ready === '3/3', JSON.stringify(again));
  });

  it('Toggle Read-Only Mode turns a context read-only and back, in the user settings', async () => {
    const a = await api();
    const c = await child(a, undefined, ctx('fake-a'), 'fake-a');
    await vscode.commands.executeCommand('clusterdeck.context.toggleReadOnly', c);
    try {
      assert.deepEqual(
        vscode.workspace.getConfiguration('clusterdeck').inspect<string[]>('explorer.readOnlyContexts')?.globalValue?.slice().sort(),
        ['fake-a', 'fake-b'],
      );
      assert.match(String(a.clusters.getTreeItem(c).description), /read-only/);
    } finally {
      await vscode.commands.executeCommand('clusterdeck.context.toggleReadOnly', c);
    }
    assert.deepEqual(vscode.workspace.getConfiguration('clusterdeck').inspect<string[]>('explorer.readOnlyContexts')?.globalValue, [
      'fake-b',
    ]);
    assert.doesNotMatch(String(a.clusters.getTreeItem(c).description), /read-only/);
  });
});
