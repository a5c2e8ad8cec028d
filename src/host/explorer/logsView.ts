import * as vscode from 'vscode';
import { ClusterDeckError, isCancellation } from '../../core/errors';
import { LogBuffer } from '../../core/explorer/logBuffer';
import type { KubeClient, LogOptions } from '../../core/kube/kubeClient';
import type { Log } from '../shared/log';
import { pathSegment } from './opsDocuments';

export const logsScheme = 'clusterdeck-logs';
/** Context key: the active editor shows a log that is still streaming. */
const streamingKey = 'clusterdeck.logStreaming';
/** Updates of a following log are batched: at most one document change per this many milliseconds. */
const flushMs = 100;

/** Which container's log a session shows. */
export interface LogTarget {
  readonly contextName: string;
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
}

interface Session {
  readonly uri: vscode.Uri;
  readonly target: LogTarget;
  readonly options: LogOptions;
  readonly buffer: LogBuffer;
  readonly controller: AbortController;
  state: 'streaming' | 'ended' | 'stopped' | 'failed';
  timer?: ReturnType<typeof setTimeout>;
  /** Per editor: false once the user scrolled away from the end (the editor then keeps its place). */
  readonly pinned: Map<vscode.TextEditor, boolean>;
  /** Per editor: the last line we scrolled it to. */
  readonly revealed: Map<vscode.TextEditor, number>;
}

/**
 * Container logs as read-only virtual documents (`clusterdeck-logs:`, language `log`). While following, new lines
 * are written in batches every ~100 ms and every visible editor that was at the end scrolls to the new end (one
 * scrolled up stays where it is). The stream stops when the document's last tab closes, on "Stop Following Log",
 * or when the container stops; only the last `maxLines` lines are kept.
 */
export class LogsView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly sessions = new Map<string, Session>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private counter = 0;

  constructor(
    private readonly log: Log,
    private readonly maxLines = 50_000,
  ) {
    this.subscriptions.push(
      vscode.workspace.registerTextDocumentContentProvider(logsScheme, this),
      this.changed,
      vscode.workspace.onDidChangeTextDocument((e) => this.scrollPinned(e.document)),
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => this.scrolled(e.textEditor)),
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const tab of e.closed) if (tab.input instanceof vscode.TabInputText) this.closedIfNoTab(tab.input.uri);
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateContextKey()),
    );
  }

  /** Opens a log document and starts reading; resolves once the editor is shown (the stream goes on). */
  async open(client: KubeClient, target: LogTarget, options: LogOptions): Promise<vscode.Uri> {
    const id = ++this.counter;
    const uri = vscode.Uri.from({
      scheme: logsScheme,
      path: `/${pathSegment(target.contextName)}/${target.namespace}/${target.pod} [${target.container}]${options.previous ? ' previous' : ''}.log`,
      query: `session=${id}`,
    });
    const session: Session = {
      uri,
      target,
      options,
      buffer: new LogBuffer(this.maxLines),
      controller: new AbortController(),
      state: 'streaming',
      pinned: new Map(),
      revealed: new Map(),
    };
    this.sessions.set(uri.toString(), session);
    const doc = await vscode.workspace.openTextDocument(uri);
    // The `.log` path already selects the language; setting it again would close and reopen the document.
    if (doc.languageId !== 'log') await vscode.languages.setTextDocumentLanguage(doc, 'log');
    await vscode.window.showTextDocument(doc, { preview: false });
    this.updateContextKey();
    const what = `${target.namespace}/${target.pod} [${target.container}] on ${target.contextName}`;
    this.log.info('explorer', `logs ${what}${options.follow ? ' (following)' : ''}`);
    client
      .streamLogs(target.namespace, target.pod, { ...options, signal: session.controller.signal }, (text) => {
        session.buffer.append(text);
        this.schedule(session);
      })
      .then(
        () => {
          if (session.state !== 'streaming') return;
          session.state = 'ended';
          if (options.follow) session.buffer.note('The log stream ended: the container stopped or the server closed the connection.');
        },
        (e: unknown) => {
          if (isCancellation(e)) {
            if (session.state === 'streaming') session.state = 'stopped';
            return;
          }
          session.state = 'failed';
          const message = e instanceof ClusterDeckError ? e.message : `Reading the log failed: ${(e as Error)?.message ?? String(e)}`;
          session.buffer.note(message);
          this.log.warn('explorer', `logs ${what}: ${message}`);
        },
      )
      .finally(() => {
        this.flush(session);
        this.updateContextKey();
      });
    return uri;
  }

  /** Stops following a log (the text stays). False when it was not streaming. */
  stop(uri: vscode.Uri): boolean {
    const session = this.sessions.get(uri.toString());
    if (session?.state !== 'streaming') return false;
    session.state = 'stopped';
    session.controller.abort();
    session.buffer.note('Stopped following.');
    this.flush(session);
    this.updateContextKey();
    return true;
  }

  /** Logs still streaming, for the Stop command's picker. */
  streaming(): { uri: vscode.Uri; target: LogTarget }[] {
    return [...this.sessions.values()].filter((s) => s.state === 'streaming').map((s) => ({ uri: s.uri, target: s.target }));
  }

  /** True while the log at `uri` is being read. */
  isStreaming(uri: vscode.Uri): boolean {
    return this.sessions.get(uri.toString())?.state === 'streaming';
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.sessions.get(uri.toString())?.buffer.text() ?? '[clusterdeck] This log view has been closed; open the log again.\n';
  }

  private schedule(session: Session): void {
    session.timer ??= setTimeout(() => this.flush(session), flushMs);
  }

  private flush(session: Session): void {
    if (session.timer) clearTimeout(session.timer);
    session.timer = undefined;
    this.changed.fire(session.uri);
  }

  private scrollPinned(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== logsScheme) return;
    const session = this.sessions.get(doc.uri.toString());
    if (!session) return;
    const end = new vscode.Position(Math.max(0, doc.lineCount - 1), 0);
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document !== doc || session.pinned.get(editor) === false) continue;
      session.revealed.set(editor, end.line);
      editor.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.Default);
    }
  }

  /**
   * An editor's visible lines changed (the user scrolled, or our own reveal landed). It follows the end while its
   * view reaches the line we last scrolled it to (or the end); a view above that is the user's choice to read on.
   * Comparing with our last reveal, not the current end, keeps a reveal that lands after more text arrived from
   * looking like a scroll away.
   */
  private scrolled(editor: vscode.TextEditor): void {
    if (editor.document.uri.scheme !== logsScheme) return;
    const session = this.sessions.get(editor.document.uri.toString());
    if (!session) return;
    const lastVisible = editor.visibleRanges.at(-1)?.end.line ?? 0;
    const end = Math.min(editor.document.lineCount - 1, session.revealed.get(editor) ?? editor.document.lineCount - 1);
    session.pinned.set(editor, lastVisible >= end - 1);
  }

  private closedIfNoTab(uri: vscode.Uri): void {
    if (uri.scheme !== logsScheme) return;
    const open = vscode.window.tabGroups.all.some((g) =>
      g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString()),
    );
    if (!open) this.closed(uri);
  }

  private closed(uri: vscode.Uri): void {
    const session = this.sessions.get(uri.toString());
    if (!session) return;
    if (session.state === 'streaming') {
      session.state = 'stopped';
      this.log.info('explorer', `logs ${session.target.namespace}/${session.target.pod}: closed, stream stopped`);
    }
    session.controller.abort();
    if (session.timer) clearTimeout(session.timer);
    this.sessions.delete(uri.toString());
    this.updateContextKey();
  }

  private updateContextKey(): void {
    const uri = vscode.window.activeTextEditor?.document.uri;
    void vscode.commands.executeCommand('setContext', streamingKey, uri ? this.isStreaming(uri) : false);
  }

  dispose(): void {
    for (const s of this.sessions.values()) {
      s.controller.abort();
      if (s.timer) clearTimeout(s.timer);
    }
    this.sessions.clear();
    for (const d of this.subscriptions) d.dispose();
  }
}
