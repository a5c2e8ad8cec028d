// The Right-size report: a webview with a strict CSP (nonce'd local scripts only, no remote content, no command
// URIs). The webview only posts `ready` and `apply`; every message is validated against the model on receipt.
import * as vscode from 'vscode';
import { reportHtml, validateReportMessage, type ReportModel, type ReportRow } from '../../core/tuning/reportModel';

export const reportViewType = 'clusterdeck.tuningReport';

function nonce(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64').replace(/[+/=]/g, '');
}

/** Opens (or replaces) a report panel; `onApply` runs for a validated "Apply…" of an applicable row. */
export function showReportPanel(
  extensionUri: vscode.Uri,
  model: ReportModel,
  onApply: (row: ReportRow) => Promise<void>,
  onInvalid: (what: string) => void,
): vscode.WebviewPanel {
  const media = vscode.Uri.joinPath(extensionUri, 'dist', 'media');
  const panel = vscode.window.createWebviewPanel(reportViewType, model.title, vscode.ViewColumn.Active, {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [media],
    retainContextWhenHidden: false,
  });
  const webview = panel.webview;
  webview.html = reportHtml({
    model,
    nonce: nonce(),
    cspSource: webview.cspSource,
    chartJsUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'chart.umd.min.js')).toString(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'tuningReport.js')).toString(),
  });
  panel.webview.onDidReceiveMessage(async (raw: unknown) => {
    const message = validateReportMessage(raw, model);
    if (!message) {
      onInvalid(typeof raw === 'object' && raw && 'type' in raw ? String(raw.type).slice(0, 40) : typeof raw);
      return;
    }
    if (message.type === 'apply') {
      const row = model.rows.find((r) => r.id === message.rowId);
      if (row) await onApply(row);
    }
  });
  return panel;
}
