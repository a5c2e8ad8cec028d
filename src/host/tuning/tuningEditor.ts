// Editor side of tuning: the latest recommendations per context (filled by the Right-size command), shown on the
// matching containers of open YAML documents as information diagnostics, a CodeLens and a quick fix that write the
// recommended requests/limits. Pure text edits only: works in Restricted Mode, never calls a cluster.
import * as vscode from 'vscode';
import type { TextEdit } from '../../core/manifests/quickFixes';
import { locateContainer, recommendationEdits, recommendationMessage } from '../../core/tuning/manifestEdits';
import { parseManifestFile } from '../../core/manifests/parseManifests';
import type { ContainerRecommendation } from '../../core/tuning/recommendRequests';
import { commandIds } from '../commandIds';
import type { Log } from '../shared/log';
import { registerCommand } from '../shared/runCommand';

export const tuningDiagnosticCode = 'tuning.rightsize';

/** What the Right-size command hands over for one context. */
export interface RecommendationSet {
  readonly recommendations: readonly ContainerRecommendation[];
  /** Days of usage history behind them (for the message). */
  readonly historyDays?: number;
  /** The namespace a manifest without `metadata.namespace` is taken to be in (e.g. the context's namespace). */
  readonly defaultNamespace?: string;
}

export interface StoredRecommendation {
  readonly contextName: string;
  readonly rec: ContainerRecommendation;
  readonly historyDays?: number;
  readonly defaultNamespace?: string;
}

/** The latest recommendations per context; `set` replaces a context's list and fires `onDidChange`. */
export class TuningRecommendations implements vscode.Disposable {
  private readonly byContext = new Map<string, RecommendationSet>();
  private readonly emitter = new vscode.EventEmitter<string>();
  /** Fires with the context name whose recommendations changed. */
  readonly onDidChange = this.emitter.event;

  set(contextName: string, recommendations: readonly ContainerRecommendation[] | RecommendationSet): void {
    const set: RecommendationSet = Array.isArray(recommendations)
      ? { recommendations: recommendations as readonly ContainerRecommendation[] }
      : (recommendations as RecommendationSet);
    if (set.recommendations.length === 0) this.byContext.delete(contextName);
    else this.byContext.set(contextName, set);
    this.emitter.fire(contextName);
  }

  clear(contextName: string): void {
    this.set(contextName, []);
  }

  all(): StoredRecommendation[] {
    return [...this.byContext].flatMap(([contextName, s]) =>
      s.recommendations.map((rec) => ({
        contextName,
        rec,
        ...(s.historyDays !== undefined ? { historyDays: s.historyDays } : {}),
        ...(s.defaultNamespace !== undefined ? { defaultNamespace: s.defaultNamespace } : {}),
      })),
    );
  }

  /** The recommendations whose workload name appears in the text (a cheap filter before parsing). */
  forDocument(document: Pick<vscode.TextDocument, 'getText'>): StoredRecommendation[] {
    const text = document.getText();
    return this.all().filter((s) => text.includes(s.rec.name) && text.includes(s.rec.container));
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** One recommendation found in a document. */
interface Match {
  readonly stored: StoredRecommendation;
  readonly range: vscode.Range;
  readonly message: string;
  /** Undefined when it cannot be applied in one click (the reason is then in `refusal`). */
  readonly edits?: readonly TextEdit[];
  readonly refusal?: string;
}

const isYaml = (d: vscode.TextDocument): boolean => d.languageId === 'yaml' || /\.ya?ml$/i.test(d.uri.path);

/** Diagnostics, CodeLens and quick fixes for the recommendations in the store. */
export class TuningEditor implements vscode.CodeLensProvider, vscode.CodeActionProvider, vscode.Disposable {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = vscode.languages.createDiagnosticCollection('clusterdeck-tuning');
  private readonly matches = new Map<string, { version: number; matches: Match[] }>();
  private readonly lensEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly store: TuningRecommendations) {
    this.disposables.push(
      this.collection,
      this.lensEmitter,
      store.onDidChange(() => this.refreshAll()),
      vscode.workspace.onDidOpenTextDocument((d) => this.update(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.collection.delete(d.uri);
        this.matches.delete(d.uri.toString());
      }),
    );
    this.refreshAll();
  }

  refreshAll(): void {
    for (const d of vscode.workspace.textDocuments) this.update(d);
    this.lensEmitter.fire();
  }

  private schedule(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.update(document);
        this.lensEmitter.fire();
      }, 250),
    );
  }

  /** Recomputes one document's matches and diagnostics. */
  update(document: vscode.TextDocument): void {
    if (!isYaml(document) || document.isClosed) return;
    const key = document.uri.toString();
    const candidates = this.store.forDocument(document);
    if (candidates.length === 0) {
      if (this.matches.delete(key)) this.collection.delete(document.uri);
      return;
    }
    const text = document.getText();
    const path = document.uri.path;
    const file = parseManifestFile(path, text);
    const found: Match[] = [];
    for (const stored of candidates) {
      const options = stored.defaultNamespace !== undefined ? { defaultNamespace: stored.defaultNamespace } : {};
      const located = locateContainer(file, stored.rec, options);
      if (!located.ok) continue;
      const anchor = located.location.anchor;
      const edit = recommendationEdits(path, text, stored.rec, options);
      found.push({
        stored,
        range: new vscode.Range(document.positionAt(anchor.start), document.positionAt(anchor.end)),
        message: recommendationMessage(stored.rec, stored.historyDays),
        ...(edit.ok ? { edits: edit.edits } : { refusal: edit.reason }),
      });
    }
    this.matches.set(key, { version: document.version, matches: found });
    this.collection.set(
      document.uri,
      found.map((m) => {
        const d = new vscode.Diagnostic(m.range, m.message, vscode.DiagnosticSeverity.Information);
        d.source = 'clusterdeck';
        d.code = tuningDiagnosticCode;
        return d;
      }),
    );
  }

  /** The current matches of a document (recomputed when stale). */
  matchesFor(document: vscode.TextDocument): Match[] {
    const cached = this.matches.get(document.uri.toString());
    if (!cached || cached.version !== document.version) this.update(document);
    return this.matches.get(document.uri.toString())?.matches ?? [];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    return this.matchesFor(document)
      .filter((m) => m.edits && m.edits.length > 0)
      .map(
        (m) =>
          new vscode.CodeLens(m.range, {
            title: 'Apply recommended resources',
            tooltip: m.message,
            command: commandIds.tuningApplyRecommendation,
            arguments: [document.uri, m.stored.contextName, m.stored.rec],
          }),
      );
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const matches = this.matchesFor(document);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== 'clusterdeck' || diagnostic.code !== tuningDiagnosticCode) continue;
      const m = matches.find((x) => x.range.isEqual(diagnostic.range) && x.edits && x.edits.length > 0);
      if (!m?.edits) continue;
      const action = new vscode.CodeAction(`Apply recommended resources (${m.stored.rec.container})`, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      action.edit = this.workspaceEdit(document, m.edits);
      actions.push(action);
    }
    return actions;
  }

  private workspaceEdit(document: vscode.TextDocument, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
    const edit = new vscode.WorkspaceEdit();
    for (const e of edits)
      edit.replace(document.uri, new vscode.Range(document.positionAt(e.range.start), document.positionAt(e.range.end)), e.newText);
    return edit;
  }

  /** The CodeLens command: recomputes the edit on the current text and applies it. */
  async apply(uri: vscode.Uri, contextName: string, rec: ContainerRecommendation): Promise<boolean> {
    const document = await vscode.workspace.openTextDocument(uri);
    const stored = this.store.all().find((s) => s.contextName === contextName && s.rec === rec);
    const options = stored?.defaultNamespace !== undefined ? { defaultNamespace: stored.defaultNamespace } : {};
    const result = recommendationEdits(document.uri.path, document.getText(), rec, options);
    if (!result.ok) {
      void vscode.window.showWarningMessage(result.reason);
      return false;
    }
    if (result.edits.length === 0) return true;
    return vscode.workspace.applyEdit(this.workspaceEdit(document, result.edits));
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}

/** Registers the tuning editor: diagnostics, CodeLens, quick fix and the apply command. */
export function registerTuningEditor(store: TuningRecommendations, log: Log): vscode.Disposable[] {
  const editor = new TuningEditor(store);
  const selector: vscode.DocumentSelector = [{ language: 'yaml' }, { pattern: '**/*.{yaml,yml}' }];
  return [
    editor,
    vscode.languages.registerCodeLensProvider(selector, editor),
    vscode.languages.registerCodeActionsProvider(selector, editor, { providedCodeActionKinds: TuningEditor.kinds }),
    registerCommand(
      commandIds.tuningApplyRecommendation,
      async (uri: vscode.Uri, contextName: string, rec: ContainerRecommendation) => {
        const ok = await editor.apply(uri, contextName, rec);
        if (ok) log.info('command', `[tuning] applied the recommendation for ${rec.namespace}/${rec.name}/${rec.container} to ${uri.path}`);
        return ok;
      },
      log,
    ),
  ];
}
