import * as vscode from 'vscode';

export const cloudDocumentScheme = 'clusterdeck-cloud';

/** Read-only Markdown documents (cluster Details), shown in the Markdown preview. */
export class CloudDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** Stores the text under a stable URI per cluster and opens the rendered preview. */
  async show(key: string, title: string, markdown: string): Promise<void> {
    const uri = vscode.Uri.from({ scheme: cloudDocumentScheme, path: `/${encodeURIComponent(key)}/${title.replace(/[^\w.-]+/g, '_')}.md` });
    this.contents.set(uri.toString(), markdown);
    this.changed.fire(uri);
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
