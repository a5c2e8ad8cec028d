// A scripted `vscode` module for host logic tests in plain Node: commands are captured, and every UI question
// (InputBox, QuickPick, modal) is answered from a script the test sets; what was asked is recorded. Install it
// before the host module under test is imported (`installVscodeStub()` then a dynamic import).
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-explicit-any -- a module stub */
import Module from 'node:module';

export interface Asked {
  readonly kind: 'inputBox' | 'quickPick' | 'warning' | 'info' | 'error' | 'progress' | 'openDialog';
  readonly text: string;
  readonly detail?: string;
  readonly options?: any;
}

export interface VscodeStub {
  readonly commands: Map<string, (...args: unknown[]) => unknown>;
  readonly asked: Asked[];
  /** Answers, consumed in order per kind (string for InputBox/modal/info button; a function picks for QuickPick). */
  readonly answers: {
    inputBox: (string | undefined)[];
    warning: (string | undefined)[];
    info: (string | undefined)[];
    quickPick: unknown[];
  };
  trusted: boolean;
  /** Settings by full key. */
  readonly settings: Map<string, unknown>;
  /** Set to cancel the next progress after its first report. */
  cancelProgress: boolean;
  readonly progressReports: string[];
  /** What getSession answers, and the calls it received (provider id, scopes, options). */
  session: { accessToken: string; account: { label: string } } | undefined;
  readonly sessionCalls: { provider: string; scopes: readonly string[]; options: unknown }[];
  reset(): void;
}

let installed: VscodeStub | undefined;

export function installVscodeStub(): VscodeStub {
  if (installed) return installed;
  const disposable = { dispose() {} };
  const stub: VscodeStub = {
    commands: new Map(),
    asked: [],
    answers: { inputBox: [], warning: [], info: [], quickPick: [] },
    trusted: true,
    settings: new Map(),
    cancelProgress: false,
    progressReports: [],
    session: undefined,
    sessionCalls: [],
    reset() {
      this.session = undefined;
      this.sessionCalls.length = 0;
      this.asked.length = 0;
      this.answers.inputBox.length = 0;
      this.answers.warning.length = 0;
      this.answers.info.length = 0;
      this.answers.quickPick.length = 0;
      this.progressReports.length = 0;
      this.trusted = true;
      this.cancelProgress = false;
      this.settings.clear();
    },
  };
  class EventEmitter<T> {
    private readonly listeners: ((e: T) => void)[] = [];
    event = (l: (e: T) => void) => (this.listeners.push(l), disposable);
    fire(e: T) {
      for (const l of this.listeners) l(e);
    }
    dispose() {}
  }
  const message =
    (kind: Asked['kind'], queue: (string | undefined)[]) =>
    (text: string, ...rest: any[]) => {
      const opts = typeof rest[0] === 'object' && rest[0] !== null ? rest[0] : undefined;
      stub.asked.push({ kind, text, ...(opts?.detail ? { detail: String(opts.detail) } : {}), options: rest });
      return Promise.resolve(queue.shift());
    };
  const config = (section?: string) => {
    const key = (k: string) => (section ? `${section}.${k}` : k);
    return {
      get: (k: string, d?: unknown) => (stub.settings.has(key(k)) ? stub.settings.get(key(k)) : d),
      inspect: (k: string) => ({ globalValue: stub.settings.get(key(k)) }),
      update: (k: string, v: unknown) => {
        stub.settings.set(key(k), v);
        return Promise.resolve();
      },
    };
  };
  const vscode = {
    EventEmitter,
    TreeItem: class {
      constructor(
        public label: string,
        public collapsibleState: number,
      ) {}
    },
    ThemeIcon: class {
      constructor(
        public id: string,
        public color?: unknown,
      ) {}
    },
    ThemeColor: class {
      constructor(public id: string) {}
    },
    MarkdownString: class {
      constructor(public value: string) {}
    },
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    ProgressLocation: { Notification: 15 },
    ConfigurationTarget: { Global: 1, Workspace: 2 },
    Uri: {
      file: (p: string) => ({ fsPath: p, toString: () => `file://${p}` }),
      from: (o: object) => ({ ...o, toString: () => JSON.stringify(o) }),
      joinPath: (base: { fsPath?: string }, ...parts: string[]) => {
        const p = [base.fsPath ?? '', ...parts].join('/');
        return { fsPath: p, toString: () => `file://${p}` };
      },
    },
    commands: {
      registerCommand: (id: string, fn: (...a: unknown[]) => unknown) => {
        stub.commands.set(id, fn);
        return disposable;
      },
      executeCommand: () => Promise.resolve(undefined),
    },
    window: {
      showInputBox: (o: any) => {
        const answer = stub.answers.inputBox.shift();
        stub.asked.push({ kind: 'inputBox', text: String(o?.title ?? ''), options: o });
        return Promise.resolve(answer);
      },
      showQuickPick: (items: any, o: any) => {
        stub.asked.push({ kind: 'quickPick', text: String(o?.title ?? ''), options: { items, ...o } });
        const a = stub.answers.quickPick.shift();
        return Promise.resolve(typeof a === 'function' ? (a as (i: unknown) => unknown)(items) : a);
      },
      showWarningMessage: message('warning', stub.answers.warning),
      showInformationMessage: message('info', stub.answers.info),
      showErrorMessage: message('error', []),
      showOpenDialog: () => Promise.resolve(undefined),
      showTextDocument: () => Promise.resolve(undefined),
      withProgress: async (o: any, task: (p: unknown, t: unknown) => Promise<unknown>) => {
        stub.asked.push({ kind: 'progress', text: String(o?.title ?? ''), options: o });
        const listeners: (() => void)[] = [];
        const token = { isCancellationRequested: false, onCancellationRequested: (l: () => void) => (listeners.push(l), disposable) };
        const progress = {
          report: (r: { message?: string }) => {
            stub.progressReports.push(r.message ?? '');
            if (stub.cancelProgress) {
              token.isCancellationRequested = true;
              for (const l of listeners) l();
            }
          },
        };
        return task(progress, token);
      },
    },
    workspace: {
      get isTrusted() {
        return stub.trusted;
      },
      getConfiguration: config,
    },
    authentication: {
      getSession: (provider: string, scopes: readonly string[], options: any) => {
        stub.sessionCalls.push({ provider, scopes, options });
        if (!stub.session && options?.createIfNone) return Promise.reject(new Error('User did not consent to login.'));
        return Promise.resolve(stub.session);
      },
    },
  };
  const M = Module as unknown as { _resolveFilename: (r: string, ...a: unknown[]) => string; _cache?: unknown };
  const resolve = M._resolveFilename;
  M._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
  };
  require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode } as unknown as NodeJS.Module;
  installed = stub;
  return stub;
}
