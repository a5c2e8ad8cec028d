// One activation measurement in a fresh process: loads dist/extension.js under a minimal `vscode` module
// (only the calls activate() makes) and reports the time to activate() and which modules it loaded.
// Run by bench/run.ts; `--baseline` instead measures importing @kubernetes/client-node eagerly.
/* eslint-disable @typescript-eslint/no-require-imports -- measures require() of the built bundles on purpose */
import Module from 'node:module';
import { join } from 'node:path';

const root = join(__dirname, '..');
const mode = process.argv[2] ?? 'clusterdeck';

function vscodeStub(): unknown {
  const disposable = { dispose() {} };
  class EventEmitter<T> {
    private readonly listeners: ((e: T) => void)[] = [];
    event = (l: (e: T) => void) => (this.listeners.push(l), disposable);
    fire(e: T) {
      for (const l of this.listeners) l(e);
    }
    dispose() {}
  }
  const channel = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, show() {}, dispose() {} };
  // Namespaces answer any event subscription or registration the stub does not list with a disposable, so a new
  // `onDid…`/`register…` call in activate() does not break the bench (the figures are about loading, not behaviour).
  const lenient = <T extends object>(o: T): T =>
    new Proxy(o, {
      get: (target, key) =>
        key in target
          ? (target as Record<string | symbol, unknown>)[key]
          : typeof key === 'string' && /^(on|register)/.test(key)
            ? () => disposable
            : undefined,
    });
  return {
    EventEmitter,
    CodeActionKind: { QuickFix: { value: 'quickfix' } },
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    languages: lenient({
      createDiagnosticCollection: () => ({ set() {}, delete() {}, clear() {}, dispose() {} }),
      registerCodeActionsProvider: () => disposable,
      registerHoverProvider: () => disposable,
      registerCompletionItemProvider: () => disposable,
    }),
    StatusBarAlignment: { Left: 1, Right: 2 },
    window: lenient({
      createOutputChannel: () => channel,
      createTreeView: () => ({
        ...disposable,
        onDidCollapseElement: () => disposable,
        onDidExpandElement: () => disposable,
        onDidChangeVisibility: () => disposable,
        onDidChangeSelection: () => disposable,
      }),
      createStatusBarItem: () => ({ ...disposable, show() {}, hide() {} }),
      tabGroups: lenient({ all: [] }),
      visibleTextEditors: [],
    }),
    commands: { registerCommand: () => disposable, executeCommand: () => Promise.resolve(undefined) },
    workspace: lenient({
      isTrusted: true,
      textDocuments: [],
      onDidOpenTextDocument: () => disposable,
      registerTextDocumentContentProvider: () => disposable,
      getConfiguration: () => ({ get: (_k: string, d: unknown) => d, inspect: () => undefined }),
      onDidGrantWorkspaceTrust: () => disposable,
      onDidChangeConfiguration: () => disposable,
    }),
    Uri: { file: (p: string) => ({ fsPath: p }), joinPath: (u: unknown) => u },
  };
}

const before = new Set(Object.keys(require.cache));
const started = process.hrtime.bigint();
if (mode === 'baseline') {
  require(join(root, 'dist', 'kubeSdk.js'));
} else {
  const stub = vscodeStub();
  const resolve = (Module as unknown as { _resolveFilename: (r: string, ...a: unknown[]) => string })._resolveFilename;
  (Module as unknown as { _resolveFilename: (r: string, ...a: unknown[]) => string })._resolveFilename = function (
    request: string,
    ...rest: unknown[]
  ) {
    return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
  };
  require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: stub } as unknown as NodeJS.Module;
  const ext = require(join(root, 'dist', 'extension.js')) as { activate(ctx: unknown): unknown };
  const memento = { get: () => undefined, update: () => Promise.resolve(), keys: () => [] };
  ext.activate({
    subscriptions: [],
    globalState: memento,
    workspaceState: memento,
    extensionUri: { fsPath: root },
    globalStorageUri: { fsPath: join(root, '.vscode-test', 'bench-storage') },
  });
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const loaded = Object.keys(require.cache).filter((k) => !before.has(k) && k !== 'vscode');
process.stdout.write(
  JSON.stringify({
    ms,
    modules: loaded.length,
    kubeSdkLoaded: loaded.some((k) => k.endsWith('kubeSdk.js') || k.endsWith('manifestsEngine.js')),
  }),
);
