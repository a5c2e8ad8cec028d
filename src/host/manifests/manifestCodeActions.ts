import * as vscode from 'vscode';
import type { ManifestDiagnostics, ManifestsEngine } from './manifestDiagnostics';

/** Quick fixes for ClusterDeck diagnostics, matched on `code` (the rule id) and the diagnostic's range. */
export class ManifestCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(
    private readonly diagnostics: ManifestDiagnostics,
    private readonly engine: ManifestsEngine,
  ) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const file = this.diagnostics.fileFor(document.uri);
    if (!file || file.text !== document.getText()) return [];
    const findings = this.diagnostics.findingsFor(document.uri);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== 'clusterdeck') continue;
      const ruleId = typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code);
      const start = document.offsetAt(diagnostic.range.start);
      const finding = findings.find((f) => f.ruleId === ruleId && f.range.start === start);
      if (!finding) continue;
      for (const fix of this.engine.quickFixesFor(file, finding)) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        action.isPreferred = fix.isPreferred ?? false;
        const edit = new vscode.WorkspaceEdit();
        for (const e of fix.edits)
          edit.replace(document.uri, new vscode.Range(document.positionAt(e.range.start), document.positionAt(e.range.end)), e.newText);
        action.edit = edit;
        actions.push(action);
      }
    }
    return actions;
  }
}
