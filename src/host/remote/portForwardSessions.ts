import * as vscode from 'vscode';
import type { PortForwardHandle } from '../../core/kube/kubeClient';
import type { Log } from '../shared/log';

/** One running port-forward, as the list and the status bar show it. */
export interface PortForwardSession {
  readonly id: string;
  readonly contextName: string;
  readonly namespace: string;
  /** "Service shop/frontend" or "Pod shop/web-1". */
  readonly target: string;
  readonly pod: string;
  readonly remotePort: number;
  readonly localPort: number;
  readonly handle: PortForwardHandle;
}

/** The running port-forwards with a status-bar item showing their count; disposing stops them all. */
export class PortForwardSessions implements vscode.Disposable {
  private readonly sessions = new Map<string, PortForwardSession>();
  private readonly item = vscode.window.createStatusBarItem('clusterdeck.portForwards', vscode.StatusBarAlignment.Left, 49);
  private next = 0;

  constructor(
    private readonly log: Log,
    listCommand: string,
  ) {
    this.item.name = 'ClusterDeck port-forwards';
    this.item.command = listCommand;
  }

  list(): PortForwardSession[] {
    return [...this.sessions.values()];
  }

  /** The status-bar text ('' when hidden). */
  get statusText(): string {
    return this.sessions.size ? this.item.text : '';
  }

  add(s: Omit<PortForwardSession, 'id'>): PortForwardSession {
    const session = { ...s, id: `pf-${++this.next}` };
    this.sessions.set(session.id, session);
    s.handle.onEnded((reason) => {
      if (!this.sessions.delete(session.id)) return;
      this.update();
      this.log.warn('explorer', `port-forward ${describe(session)} ended: ${reason}`);
      void vscode.window.showWarningMessage(`Port-forward 127.0.0.1:${session.localPort} → ${session.target} ended: ${reason}`);
    });
    this.update();
    return session;
  }

  async stop(id: string): Promise<boolean> {
    const s = this.sessions.get(id);
    if (!s) return false;
    this.sessions.delete(id);
    this.update();
    await s.handle.stop();
    this.log.info('explorer', `port-forward ${describe(s)} stopped`);
    return true;
  }

  private update(): void {
    const n = this.sessions.size;
    if (n === 0) {
      this.item.hide();
      return;
    }
    this.item.text = `$(plug) ${n} port-forward${n === 1 ? '' : 's'}`;
    this.item.tooltip = new vscode.MarkdownString(
      `**Port-forwards** (click to list or stop)\n\n${this.list()
        .map((s) => `- \`127.0.0.1:${s.localPort}\` → ${s.target} port ${s.remotePort} (${s.contextName})`)
        .join('\n')}`,
    );
    this.item.show();
  }

  dispose(): void {
    for (const s of this.sessions.values()) void s.handle.stop();
    this.sessions.clear();
    this.item.dispose();
  }
}

/** "127.0.0.1:8080 → Service shop/frontend (pod frontend-1 port 8080) on fake-a", "… → Pod shop/web-1 port 80 on …". */
export function describe(s: PortForwardSession): string {
  const via = s.target === `Pod ${s.namespace}/${s.pod}` ? `port ${s.remotePort}` : `(pod ${s.pod} port ${s.remotePort})`;
  return `127.0.0.1:${s.localPort} → ${s.target} ${via} on ${s.contextName}`;
}
