import * as vscode from 'vscode';

export const veleroScheme = 'clusterdeck-velero';

/**
 * Read-only documents for descriptions and logs (`clusterdeck-velero:/<context>/<kind>/<name>.md|.log`): they
 * open without a "save?" prompt on close, and reopening one shows its newest content.
 */
export class VeleroDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Stores `content` under a URI for the object and opens it in a preview editor. */
  async show(contextName: string, kind: string, name: string, extension: 'md' | 'log', content: string): Promise<vscode.TextDocument> {
    const uri = vscode.Uri.from({
      scheme: veleroScheme,
      path: `/${encodeURIComponent(contextName)}/${kind}/${encodeURIComponent(name)}.${extension}`,
    });
    this.contents.set(uri.toString(), content);
    this.changed.fire(uri);
    let doc = await vscode.workspace.openTextDocument(uri);
    if (extension === 'md' && doc.languageId !== 'markdown') doc = await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    if (extension === 'log' && doc.languageId !== 'log') doc = await vscode.languages.setTextDocumentLanguage(doc, 'log');
    await vscode.window.showTextDocument(doc, { preview: true });
    return doc;
  }

  dispose(): void {
    this.changed.dispose();
    this.contents.clear();
  }
}
