import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ClusterDeckApi } from '../../../src/extension';

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('manifest diagnostics (extension host)', () => {
  const folder = () => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';

  it('lints a YAML manifest on open: a clusterdeck diagnostic with the rule id as code', async () => {
    const ext = vscode.extensions.getExtension<ClusterDeckApi>('clusterdeck.clusterdeck')!;
    const api = await ext.activate();
    const doc = await vscode.workspace.openTextDocument(join(folder(), 'broken', 'configmap.yaml'));
    await vscode.window.showTextDocument(doc);
    await api.manifests.ready();
    const dup = await waitFor('the duplicate-key diagnostic', () =>
      vscode.languages
        .getDiagnostics(doc.uri)
        .find((d) => d.source === 'clusterdeck' && typeof d.code === 'object' && d.code.value === 'yaml-duplicate-key'),
    );
    assert.equal(dup.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(dup.range.start.line, 9, 'points at the second "mode" key');
    assert.ok(
      Object.keys(require.cache).some((k) => k.endsWith('manifestsEngine.js')),
      'the linter chunk is loaded now',
    );
  });

  it('re-lints as you type and clears the diagnostic when the problem is gone', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "1"\n  a: "2"\n',
    });
    const editor = await vscode.window.showTextDocument(doc);
    await waitFor('a diagnostic', () => (vscode.languages.getDiagnostics(doc.uri).length > 0 ? true : undefined));
    await editor.edit((b) => b.replace(new vscode.Range(6, 2, 6, 3), 'b'));
    await waitFor('no diagnostic', () => (vscode.languages.getDiagnostics(doc.uri).length === 0 ? true : undefined));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('offers quick fixes for a diagnostic, and applying one removes it', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "1"\n  a: "2"\n',
    });
    await vscode.window.showTextDocument(doc);
    const diagnostic = await waitFor('a diagnostic', () => vscode.languages.getDiagnostics(doc.uri)[0]);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const disable = actions.find((a) => a.title === 'Disable yaml-duplicate-key for this line');
    assert.ok(disable?.edit, `actions: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(disable.edit));
    assert.match(doc.getText(), / {2}# clusterdeck-disable-next-line yaml-duplicate-key\n {2}a: "2"/);
    await waitFor('no diagnostic', () => (vscode.languages.getDiagnostics(doc.uri).length === 0 ? true : undefined));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});

describe('manifest hover and completion (extension host)', () => {
  const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  templ\n';

  it('hover on a key shows its type and description from the schema', async () => {
    const doc = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n',
    });
    await vscode.window.showTextDocument(doc);
    const ext = vscode.extensions.getExtension<ClusterDeckApi>('clusterdeck.clusterdeck')!;
    await (await ext.activate()).manifests.ready();
    let text = '';
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !/replicas/.test(text)) {
      const result = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        doc.uri,
        new vscode.Position(5, 4),
      );
      text = result
        .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
        .join('\n')
        .replace(/&nbsp;/g, ' ');
      if (!/replicas/.test(text)) await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(text, /\*\*replicas\*\* `integer`/);
    assert.match(text, /desired pods/i);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('completes keys from the schema in context, and enum values', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: deployment });
    await vscode.window.showTextDocument(doc);
    let labels: string[] = [];
    // The first request can race the document opening in the extension host: ask again until the schema answers.
    for (let attempt = 0; attempt < 20 && !labels.includes('template'); attempt++) {
      const keys = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        doc.uri,
        new vscode.Position(6, 7),
      );
      labels = keys.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
      if (!labels.includes('template')) await new Promise((r) => setTimeout(r, 150));
    }
    assert.ok(labels.includes('template') && labels.includes('selector'), labels.slice(0, 30).join(', '));
    assert.ok(!labels.includes('replicas'), 'a key already present is not offered again');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    const pod = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      imagePullPolicy: \n',
    });
    await vscode.window.showTextDocument(pod);
    const values = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      pod.uri,
      new vscode.Position(7, 23),
    );
    const valueLabels = values.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(
      ['Always', 'IfNotPresent', 'Never'].every((v) => valueLabels.includes(v)),
      valueLabels.join(', '),
    );
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});

describe('cluster schemas (extension host)', () => {
  it('validates a custom resource against the schemas of the cluster the folder is bound to', async () => {
    const folder = vscode.workspace.workspaceFolders![0]!;
    const doc = await vscode.workspace.openTextDocument(join(folder.uri.fsPath, 'custom', 'widget.yaml'));
    await vscode.window.showTextDocument(doc);
    const ruleIds = () => vscode.languages.getDiagnostics(doc.uri).map((d) => (typeof d.code === 'object' ? String(d.code.value) : ''));
    await waitFor('schema-unknown-kind before binding', () => (ruleIds().includes('schema-unknown-kind') ? true : undefined));
    await vscode.commands.executeCommand('clusterdeck.manifests.useClusterSchemas', folder, 'fake-a');
    const violation = await waitFor('schema-violation from the cluster schema', () =>
      vscode.languages.getDiagnostics(doc.uri).find((d) => typeof d.code === 'object' && d.code.value === 'schema-violation'),
    );
    assert.equal(violation.range.start.line, 8, 'points at size: large');
    assert.ok(!ruleIds().includes('schema-unknown-kind'));
    await vscode.commands.executeCommand('clusterdeck.manifests.stopClusterSchemas');
    await waitFor('back to unknown kind', () => (ruleIds().includes('schema-unknown-kind') ? true : undefined));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});

describe('per-folder lint config (extension host)', () => {
  it('the nearest .clusterdeck/lint.yaml decides the rules for the files below it', async () => {
    const folder = vscode.workspace.workspaceFolders![0]!;
    const configs = await vscode.workspace.findFiles('**/.clusterdeck/lint.yaml', '**/node_modules/**');
    assert.equal(configs.length, 1, `found: ${configs.map((u) => u.fsPath).join(', ')}`);
    const legacy = await vscode.workspace.openTextDocument(join(folder.uri.fsPath, 'legacy', 'cronjob.yaml'));
    await vscode.window.showTextDocument(legacy);
    const ids = (uri: vscode.Uri) =>
      vscode.languages.getDiagnostics(uri).map((d) => (typeof d.code === 'object' ? String(d.code.value) : ''));
    const ext = vscode.extensions.getExtension<ClusterDeckApi>('clusterdeck.clusterdeck')!;
    const diagnostics = await (await ext.activate()).manifests.ready();
    const config = diagnostics.configFor(legacy.uri);
    assert.equal(
      config.rules['image-tag-latest-or-missing'],
      'off',
      `config for ${legacy.uri.toString()}: ${JSON.stringify(config.rules)}`,
    );
    assert.equal(config.targetKubernetesVersion, '1.27');
    const copy = await vscode.workspace.openTextDocument({ language: 'yaml', content: legacy.getText() });
    await vscode.window.showTextDocument(copy);
    await waitFor('the finding outside the legacy folder', () =>
      ids(copy.uri).includes('image-tag-latest-or-missing') ? true : undefined,
    );
    assert.ok(!ids(legacy.uri).includes('image-tag-latest-or-missing'), `legacy/cronjob.yaml: ${ids(legacy.uri).join(', ')}`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});

describe('quick fix placeholders (extension host)', () => {
  it('adding a CPU request inserts 100m (a snippet placeholder) under the container, keeping the file valid', async () => {
    const content = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: tool',
      'spec:',
      '  containers:',
      '    - name: tool',
      '      image: busybox:1.36',
      '      resources:',
      '        requests:',
      '          memory: 64Mi',
      '        limits:',
      '          memory: 64Mi',
      '',
    ].join('\n');
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content });
    const editor = await vscode.window.showTextDocument(doc);
    const diagnostic = await waitFor('the missing CPU request', () =>
      vscode.languages.getDiagnostics(doc.uri).find((d) => typeof d.code === 'object' && d.code.value === 'container-missing-cpu-request'),
    );
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const add = actions.find((a) => a.title.startsWith('Add cpu request 100m'));
    assert.ok(add?.edit, actions.map((a) => a.title).join(' | '));
    // The edit is a snippet edit (its value a placeholder VS Code selects when the fix is applied from the editor).
    assert.ok(await vscode.workspace.applyEdit(add.edit));
    assert.match(doc.getText(), / {10}cpu: 100m\n/);
    assert.ok(editor.document === doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
