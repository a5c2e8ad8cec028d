import * as vscode from 'vscode';
import { redactSecrets } from '../../core/redact';

/** Areas a log line belongs to; each line is prefixed `[area]`. */
export type LogScope = 'activate' | 'explorer' | 'kube' | 'auth' | 'command' | 'velero' | 'clouds' | 'security' | 'provision';

/** The one log of ClusterDeck. Every line is passed through redactSecrets before it is written. */
export interface Log {
  info(scope: LogScope, message: string): void;
  warn(scope: LogScope, message: string): void;
  error(scope: LogScope, message: string): void;
  debug(scope: LogScope, message: string): void;
  show(): void;
}

export function createLog(): { log: Log; channel: vscode.LogOutputChannel } {
  const channel = vscode.window.createOutputChannel('ClusterDeck', { log: true });
  const line = (scope: LogScope, message: string) => `[${scope}] ${redactSecrets(message)}`;
  const log: Log = {
    info: (s, m) => channel.info(line(s, m)),
    warn: (s, m) => channel.warn(line(s, m)),
    error: (s, m) => channel.error(line(s, m)),
    debug: (s, m) => channel.debug(line(s, m)),
    show: () => channel.show(true),
  };
  return { log, channel };
}
