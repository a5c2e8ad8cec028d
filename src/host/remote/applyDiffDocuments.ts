// The dry-run diff documents of Apply (`clusterdeck-apply:`): registered at activation; applyCommand.ts (its own
// chunk, dist/applyCommand.js) fills them when an apply runs.
import * as vscode from 'vscode';

export const applyDiffScheme = 'clusterdeck-apply';

/** Read-only documents of the dry-run diff: `clusterdeck-apply:/<run>/<context> live.yaml` and `… dry-run result.yaml`. */
export class ApplyDiffDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private run = 0;

  /** Stores the two sides of one apply and returns their URIs (the last few runs are kept). */
  put(contextName: string, live: string, result: string): { live: vscode.Uri; result: vscode.Uri } {
    const id = ++this.run;
    const uri = (side: string, text: string) => {
      const u = vscode.Uri.from({ scheme: applyDiffScheme, path: `/${id}/${encodeURIComponent(contextName)} ${side}.yaml` });
      this.contents.set(u.path, text);
      return u;
    };
    for (const key of [...this.contents.keys()]) if (Number(key.split('/')[1]) < id - 5) this.contents.delete(key);
    return { live: uri('live', live), result: uri('dry-run result', result) };
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.path) ?? '# This apply preview is no longer available.\n';
  }

  dispose(): void {
    this.changed.dispose();
    this.contents.clear();
  }
}
