// Port-forward: a listener on 127.0.0.1 only; each accepted connection gets its own websocket to
// /api/v1/namespaces/{ns}/pods/{pod}/portforward?ports=N (client-node's PortForward: channel 0 data, channel 1
// errors, each channel's first frame prefixed with the port).
import { createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { PortForward, type KubeConfig } from '@kubernetes/client-node';
import { ClusterDeckError } from '../../core/errors';
import type { PortForwardHandle } from '../../core/kube/kubeClient';

export interface PortForwardOptions {
  readonly namespace: string;
  readonly pod: string;
  readonly remotePort: number;
  /** 0: a random free port. */
  readonly localPort: number;
  readonly server: string;
  readonly contextName: string;
  readonly log?: (line: string) => void;
}

interface SocketLike {
  on(event: 'close', fn: () => void): void;
  close(): void;
}

/** Why a websocket to the pod could not be opened, as one sentence. */
function connectFailure(e: unknown, o: PortForwardOptions): string {
  const message = e instanceof Error ? e.message : String((e as { message?: unknown })?.message ?? e);
  const status = /Unexpected server response: (\d+)/.exec(message)?.[1];
  if (status === '404') return `Pod "${o.namespace}/${o.pod}" no longer exists on context "${o.contextName}".`;
  if (status === '403') return `Forbidden: you cannot create pods/portforward in namespace "${o.namespace}" on context "${o.contextName}".`;
  if (status) return `${o.server} refused the port-forward to "${o.namespace}/${o.pod}" (${status}).`;
  return `The port-forward to "${o.namespace}/${o.pod}" failed: ${message.split('\n')[0] ?? message}`;
}

/** Starts listening; resolves once bound. EADDRINUSE is `portInUse`. */
export async function startPortForward(kc: KubeConfig, o: PortForwardOptions): Promise<PortForwardHandle> {
  const forwarder = new PortForward(kc, true);
  const connections = new Set<{ socket: Socket; ws?: SocketLike }>();
  const endedListeners: ((reason: string) => void)[] = [];
  let stopped = false;

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    for (const c of connections) {
      c.ws?.close();
      c.socket.destroy();
    }
    connections.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  const endSession = (reason: string): void => {
    if (stopped) return;
    o.log?.(`> kube port-forward ${o.namespace}/${o.pod}:${o.remotePort} ${o.contextName} ended: ${reason}`);
    void stop().then(() => {
      for (const l of endedListeners) l(reason);
    });
  };

  const server: Server = createServer((socket) => {
    const entry: { socket: Socket; ws?: SocketLike } = { socket };
    connections.add(entry);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      entry.ws?.close();
      connections.delete(entry);
    });
    let errorText = '';
    const errors = new Writable({
      write(chunk: Buffer, _enc, done) {
        errorText += chunk.toString('utf8');
        done();
      },
    });
    forwarder
      .portForward(o.namespace, o.pod, [o.remotePort], socket, errors, socket)
      .then((ws) => {
        const sock = ws as unknown as SocketLike;
        entry.ws = sock;
        if (socket.destroyed) {
          sock.close();
          return;
        }
        sock.on('close', () => {
          socket.end();
          // The error channel names why the pod side failed (nothing listening, pod gone).
          if (errorText.trim()) endSession(`The pod "${o.namespace}/${o.pod}" answered: ${errorText.trim().split('\n')[0] ?? ''}`);
        });
      })
      .catch((e: unknown) => {
        socket.destroy();
        endSession(connectFailure(e, o));
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE')
        reject(
          new ClusterDeckError(
            'portInUse',
            `Local port ${o.localPort} is already in use on 127.0.0.1; choose another port or leave it empty for a random one.`,
          ),
        );
      else if (e.code === 'EACCES')
        reject(new ClusterDeckError('portInUse', `Local port ${o.localPort} needs more privileges; choose a port above 1023.`));
      else reject(e);
    });
    // Loopback only: a port-forward is never reachable from the network.
    server.listen(o.localPort, '127.0.0.1', () => resolve());
  });
  server.on('error', (e) => endSession(e.message));
  const address = server.address();
  const localPort = typeof address === 'object' && address ? address.port : o.localPort;
  o.log?.(`> kube port-forward ${o.namespace}/${o.pod}:${o.remotePort} ${o.contextName} listening on 127.0.0.1:${localPort}`);
  return {
    localPort,
    stop,
    onEnded: (l) => {
      endedListeners.push(l);
    },
  };
}
