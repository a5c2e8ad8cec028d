// The tuning editor in the extension host: recommendations put in the store show as an information diagnostic on
// the matching container of an open manifest, with a CodeLens and a quick fix that write the recommended
// resources; "Create HPA…" on the fake cluster's cart-api Deployment opens an HPA manifest.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ClusterNode } from '../../../src/core/explorer/clusterNodes';
import type { ContainerRecommendation } from '../../../src/core/tuning/recommendRequests';
import type { ClusterDeckApi } from '../../../src/extension';

async function api(): Promise<ClusterDeckApi> {
  const ext = vscode.extensions.getExtension<ClusterDeckApi>('clusterdeck.clusterdeck');
  assert.ok(ext);
  return ext.activate();
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const manifest = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  '  namespace: shop',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: app',
  '          image: web:1',
  '          resources: # tuned by hand',
  '            requests:',
  '              cpu: "1"',
  '              memory: 1Gi',
  '            limits:',
  '              cpu: "2"',
  '              memory: 1Gi',
  '',
].join('\n');

const rec: ContainerRecommendation = {
  namespace: 'shop',
  kind: 'Deployment',
  name: 'web',
  container: 'app',
  strategy: 'simple',
  current: { cpuRequest: '1', cpuLimit: '2', memoryRequest: '1Gi', memoryLimit: '1Gi' },
  recommended: { cpuRequest: '313m', cpuLimit: null, memoryRequest: '462Mi', memoryLimit: '462Mi' },
  dataPoints: 5000,
  confidence: 'high',
  severity: 'WARNING',
  severities: { cpuRequest: 'WARNING', cpuLimit: 'OK', memoryRequest: 'WARNING', memoryLimit: 'WARNING' },
  notes: [],
  applicable: true,
};

const tuningDiagnostic = (uri: vscode.Uri) =>
  vscode.languages.getDiagnostics(uri).find((d) => d.source === 'clusterdeck' && d.code === 'tuning.rightsize');

describe('Tuning editor (extension host)', () => {
  after(async () => (await api()).tuning.clear('fake-a'));

  it('shows a recommendation on the matching container and the quick fix writes it, keeping the comment', async () => {
    const a = await api();
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: manifest });
    await vscode.window.showTextDocument(doc);
    assert.equal(tuningDiagnostic(doc.uri), undefined, 'nothing before the store is filled');
    a.tuning.set('fake-a', { recommendations: [rec], historyDays: 14 });
    const diagnostic = await waitFor('the tuning diagnostic', () => tuningDiagnostic(doc.uri));
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Information);
    assert.match(diagnostic.message, /^Recommended from 14 days of usage: cpu request 313m \(now 1\)/);
    assert.equal(doc.getText(diagnostic.range), 'resources');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    assert.ok(
      lenses.some((l) => l.command?.title === 'Apply recommended resources'),
      'the CodeLens',
    );
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      diagnostic.range,
    );
    const fix = actions.find((x) => x.title.startsWith('Apply recommended resources'));
    assert.ok(fix?.edit, `the quick fix (got ${actions.map((x) => x.title).join(', ')})`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    const text = doc.getText();
    assert.match(
      text,
      /resources: # tuned by hand\n {12}requests:\n {14}cpu: 313m\n {14}memory: 462Mi\n {12}limits:\n {14}memory: 462Mi\n/,
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('follows edits: another container name takes the diagnostic away', async () => {
    const a = await api();
    a.tuning.set('fake-a', { recommendations: [rec] });
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: manifest });
    const editor = await vscode.window.showTextDocument(doc);
    await waitFor('the tuning diagnostic', () => tuningDiagnostic(doc.uri));
    const at = doc.getText().indexOf('name: app') + 'name: '.length;
    await editor.edit((b) => b.replace(new vscode.Range(doc.positionAt(at), doc.positionAt(at + 3)), 'other'));
    await waitFor('no tuning diagnostic', () => (tuningDiagnostic(doc.uri) ? undefined : true));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('Create HPA… on cart-api opens an autoscaling/v2 manifest with the chosen values', async () => {
    const a = await api();
    const ctx = (await a.clusters.getChildren()).find((n) => n.kind === 'context' && n.contextName === 'fake-a');
    assert.ok(ctx);
    const ns = (await a.clusters.getChildren(ctx)).find((n) => n.kind === 'namespace' && n.name === 'shop');
    assert.ok(ns);
    const workloads = (await a.clusters.getChildren(ns)).find((n) => n.kind === 'category' && n.name === 'Workloads');
    assert.ok(workloads);
    const folder = (await a.clusters.getChildren(workloads)).find(
      (n: ClusterNode) => n.kind === 'resourceFolder' && n.resource.plural === 'deployments',
    );
    assert.ok(folder);
    const node = (await a.clusters.getChildren(folder)).find((n) => n.kind === 'resource' && n.name === 'cart-api');
    assert.ok(node);
    const outcome = await vscode.commands.executeCommand<{ document: vscode.TextDocument; basis: string } | undefined>(
      'clusterdeck.tuning.createHpa',
      node,
      { minReplicas: '2', maxReplicas: '6', targetPercent: '65' },
    );
    assert.ok(outcome, 'an untitled document');
    const doc = outcome.document;
    // The fake cluster runs no Prometheus: the values are starting values, and the manifest says so.
    assert.match(outcome.basis, /^Starting values, not from history: \S/);
    assert.equal(doc.isUntitled, true);
    const text = doc.getText();
    assert.match(text, /kind: HorizontalPodAutoscaler/);
    assert.match(text, /name: cart-api/);
    assert.match(text, /minReplicas: 2\n {2}maxReplicas: 6/);
    assert.match(text, /averageUtilization: 65/);
    assert.match(text, /^# HPA for Deployment shop\/cart-api \(context fake-a\)\.\n# Starting values, not from history: /);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
