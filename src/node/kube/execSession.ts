// Exec with a TTY over client-node's Exec (websocket, channel.k8s.io v5/v4: stdin 0, stdout 1, stderr 2,
// error 3 with the exit Status, resize 4).
import { PassThrough } from 'node:stream';
import { Exec, type KubeConfig } from '@kubernetes/client-node';
import { ClusterDeckError } from '../../core/errors';
import type { ExecHandle } from '../../core/kube/kubeClient';
import { exitOfExecStatus } from '../../core/remote/remoteTargets';

export interface ExecOptions {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly command: readonly string[];
  readonly columns: number;
  readonly rows: number;
  readonly server: string;
  readonly contextName: string;
  readonly log?: (line: string) => void;
}

/** stdout of the exec: client-node sends a resize (channel 4) for a stream with rows, columns and 'resize'. */
class TerminalOutput extends PassThrough {
  constructor(
    public columns: number,
    public rows: number,
  ) {
    super();
  }
}

export async function startExec(kc: KubeConfig, o: ExecOptions): Promise<ExecHandle> {
  const stdin = new PassThrough();
  const stdout = new TerminalOutput(o.columns, o.rows);
  const stderr = new PassThrough();
  const outputListeners: ((data: string) => void)[] = [];
  const exitListeners: ((exit: { code: number; message?: string }) => void)[] = [];
  let exit: { code: number; message?: string } | undefined;
  let finished = false;
  // Output that arrives before the terminal listens (the first prompt) is kept until it does.
  const pending: string[] = [];
  const forward = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    if (outputListeners.length === 0) pending.push(text);
    for (const l of outputListeners) l(text);
  };
  stdout.on('data', forward);
  stderr.on('data', forward);
  const finish = (fallback: { code: number; message?: string }) => {
    if (finished) return;
    finished = true;
    const result = exit ?? fallback;
    o.log?.(`> kube exec ${o.namespace}/${o.pod} -c ${o.container} ${o.contextName} ended (exit ${result.code})`);
    for (const l of exitListeners) l(result);
  };
  let ws: { on(event: 'close', fn: () => void): void; close(): void };
  try {
    ws = await new Exec(kc).exec(o.namespace, o.pod, o.container, [...o.command], stdout, stderr, stdin, true, (status) => {
      exit = exitOfExecStatus(status);
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String((e as { message?: unknown })?.message ?? e);
    const status = /Unexpected server response: (\d+)/.exec(message)?.[1];
    if (status === '404')
      throw new ClusterDeckError('notFound', `Pod "${o.namespace}/${o.pod}" no longer exists on context "${o.contextName}".`);
    if (status === '403')
      throw new ClusterDeckError(
        'forbidden',
        `Forbidden: you cannot create pods/exec in namespace "${o.namespace}" on context "${o.contextName}".`,
        {
          verb: 'create',
          resource: 'pods/exec',
          namespace: o.namespace,
        },
      );
    throw new ClusterDeckError(
      'unreachable',
      `Cannot exec in "${o.namespace}/${o.pod}" on ${o.server}: ${message.split('\n')[0] ?? message}`,
    );
  }
  o.log?.(`> kube exec ${o.namespace}/${o.pod} -c ${o.container} ${o.contextName} started`);
  ws.on('close', () => finish({ code: 1, message: 'The connection to the container ended.' }));
  return {
    write: (data) => {
      if (!finished) stdin.write(data);
    },
    resize: (columns, rows) => {
      if (finished || (columns === stdout.columns && rows === stdout.rows)) return;
      stdout.columns = columns;
      stdout.rows = rows;
      stdout.emit('resize');
    },
    close: () => {
      if (!finished) ws.close();
    },
    onOutput: (l) => {
      outputListeners.push(l);
      for (const text of pending.splice(0)) l(text);
    },
    onExit: (l) => {
      if (finished && exit) l(exit);
      else exitListeners.push(l);
    },
  };
}
