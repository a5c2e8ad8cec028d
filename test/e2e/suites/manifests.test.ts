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
