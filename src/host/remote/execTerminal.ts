import * as vscode from 'vscode';
import type { ExecHandle } from '../../core/kube/kubeClient';
import type { Log } from '../shared/log';

/**
 * A terminal backed by an exec websocket: keystrokes go to stdin, output is shown as it comes, dimension
 * changes are sent on the resize channel. Closing the terminal ends the socket; the socket ending closes the
 * terminal with the exit status of the error channel.
 */
export class ExecPseudoterminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;
  private session: ExecHandle | undefined;
  private ended = false;
  /** Typed before the socket opened: sent once it has. */
  private typedAhead = '';

  constructor(
    private readonly start: (columns: number, rows: number) => Promise<ExecHandle>,
    private readonly what: string,
    private readonly log: Log,
  ) {}

  open(dimensions: vscode.TerminalDimensions | undefined): void {
    this.written.fire(`\x1b[2mConnecting to ${this.what}…\x1b[0m\r\n`);
    this.start(dimensions?.columns ?? 80, dimensions?.rows ?? 24).then(
      (session) => {
        if (this.ended) {
          session.close();
          return;
        }
        this.session = session;
        session.onOutput((text) => this.written.fire(text));
        if (this.typedAhead) session.write(this.typedAhead);
        this.typedAhead = '';
        session.onExit((exit) => {
          this.ended = true;
          this.log.info('explorer', `exec ${this.what} ended with exit code ${exit.code}`);
          this.closed.fire(exit.code);
        });
      },
      (e: unknown) => {
        // The terminal stays open with the reason (the message never holds a secret).
        const message = e instanceof Error ? e.message : String(e);
        this.log.warn('explorer', `exec ${this.what} failed: ${message}`);
        this.written.fire(`\r\n\x1b[31m${message}\x1b[0m\r\n`);
      },
    );
  }

  handleInput(data: string): void {
    if (this.session) this.session.write(data);
    else if (!this.ended) this.typedAhead += data;
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    this.session?.resize(dimensions.columns, dimensions.rows);
  }

  close(): void {
    this.ended = true;
    this.session?.close();
  }
}
