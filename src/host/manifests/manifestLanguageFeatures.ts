import * as vscode from 'vscode';
import type { ManifestDiagnostics, ManifestsEngine } from './manifestDiagnostics';

/** Hover on keys (description and type from the active schema) and completion of keys and enum values. */
export function registerManifestLanguageFeatures(engine: ManifestsEngine, diagnostics: ManifestDiagnostics): vscode.Disposable[] {
  const selector: vscode.DocumentSelector = [{ language: 'yaml' }];
  const version = (uri: vscode.Uri) =>
    vscode.workspace.getConfiguration('clusterdeck', uri).get<string>('manifests.kubernetesVersion') || undefined;

  const hover: vscode.HoverProvider = {
    provideHover(document, position) {
      if (!diagnostics.schemaFeaturesEnabled()) return undefined;
      const file = diagnostics.fileFor(document.uri);
      if (!file || file.text !== document.getText()) return undefined;
      const offset = document.offsetAt(position);
      const doc = file.documents.find((d) => offset >= d.range.start && offset <= d.range.end);
      if (!doc?.apiVersion || !doc.kind) return undefined;
      const at = engine.pathAtOffset(doc.yaml.contents, offset);
      if (!at?.onKey) return undefined;
      const info = engine.fieldAt(doc.value, doc.apiVersion, doc.kind, at.path, version(document.uri));
      if (!info) return undefined;
      const name = String(at.path[at.path.length - 1]);
      const md = new vscode.MarkdownString();
      md.appendMarkdown(`**${name}** \`${info.type}\`${info.required ? ' _(required)_' : ''}\n\n`);
      if (info.description) md.appendText(info.description);
      if (info.enumValues?.length) md.appendMarkdown(`\n\nAllowed: ${info.enumValues.map((v) => `\`${v}\``).join(', ')}`);
      md.appendMarkdown(`\n\n_${doc.kind} (${doc.apiVersion}), Kubernetes ${engine.schemaVersionFor(version(document.uri))} schema_`);
      const wordRange = document.getWordRangeAtPosition(position, /[\w.\-/]+/);
      return new vscode.Hover(md, wordRange);
    },
  };

  const completion: vscode.CompletionItemProvider = {
    provideCompletionItems(document, position) {
      if (!diagnostics.schemaFeaturesEnabled()) return undefined;
      const ctx = engine.cursorContext(document.getText(), position.line, position.character);
      if (!ctx.apiVersion || !ctx.kind) return undefined;
      const v = version(document.uri);
      if (ctx.inValue && ctx.key) {
        const info = engine.fieldAt(undefined, ctx.apiVersion, ctx.kind, [...ctx.parentPath, ctx.key], v);
        const values = info?.enumValues ?? (info?.type === 'boolean' ? ['true', 'false'] : []);
        return values.map((value) => {
          const item = new vscode.CompletionItem(value, vscode.CompletionItemKind.EnumMember);
          item.detail = `${ctx.key}: ${info?.type ?? ''}`;
          return item;
        });
      }
      const existing = siblingKeys(document, position.line);
      return engine
        .childFields(ctx.apiVersion, ctx.kind, ctx.parentPath, v)
        .filter((f) => !existing.has(f.name))
        .map((f) => {
          const item = new vscode.CompletionItem(f.name, vscode.CompletionItemKind.Property);
          item.detail = `${f.type}${f.required ? ' (required)' : ''}`;
          if (f.description) item.documentation = new vscode.MarkdownString().appendText(f.description);
          item.insertText = `${f.name}: `;
          item.sortText = `${f.required ? '0' : '1'}${f.name}`;
          return item;
        });
    },
  };

  return [
    vscode.languages.registerHoverProvider(selector, hover),
    vscode.languages.registerCompletionItemProvider(selector, completion, ':', ' '),
  ];
}

/** Keys already present at the cursor line's indentation in the same block (not offered again). */
function siblingKeys(document: vscode.TextDocument, line: number): Set<string> {
  const text = document.lineAt(line).text;
  const indent = /^(\s*)(-\s+)?/.exec(text)?.[0].length ?? 0;
  const keys = new Set<string>();
  const scan = (from: number, step: number) => {
    for (let i = from; i >= 0 && i < document.lineCount; i += step) {
      const l = document.lineAt(i).text;
      if (/^\s*(#.*)?$/.test(l)) continue;
      const lIndent = /^(\s*)/.exec(l)?.[1]?.length ?? 0;
      if (lIndent < indent && !/^\s*-\s/.test(l)) break;
      const m = /^(\s*)(?:-\s+)?([\w.\-/]+)\s*:/.exec(l);
      if (m && (m[0].length - (m[2]?.length ?? 0) - 1 === indent || (m[1]?.length ?? 0) === indent)) keys.add(m[2] ?? '');
      if (lIndent < indent) break;
    }
  };
  scan(line - 1, -1);
  scan(line + 1, 1);
  return keys;
}
