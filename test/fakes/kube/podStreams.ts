/**
 * The fake's websocket subresources of pods, speaking the kubelet's protocols:
 *
 * - `GET /api/v1/namespaces/{ns}/pods/{pod}/portforward?ports=N` (`v4.channel.k8s.io` or `channel.k8s.io`):
 *   channel 0 data, channel 1 errors; the server's first frame on each channel is the port (uint16, little
 *   endian). Each websocket is one TCP connection to the loopback target the test set for that pod port; with no
 *   target the error channel says "connection refused", as the kubelet does.
 * - `GET …/exec?command=…&container=…&stdin=true&stdout=true&tty=true` (`v5.channel.k8s.io`/`v4.channel.k8s.io`):
 *   stdin 0, stdout 1, stderr 2, error 3 (a Status when the command ends), resize 4 (`{"Width","Height"}`).
 *   The container runs a tiny scripted shell: it echoes what is typed and knows `echo …`, `hostname`,
 *   `stty size` and `exit [N]`.
 *
 * Errors before the upgrade (404 pod, 403) are answered as HTTP Status bodies, like the apiserver.
 */
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { RequestAttributes, UserInfo } from './handler';
import { failureStatus, KubeStatusError, notFound } from './status';
import type { KubeStore } from './store';

/** Where the fake connects a forwarded pod port (a loopback server of the test). */
export interface PortTarget {
  readonly host: string;
  readonly port: number;
}

/** One exec session the fake ran, for assertions. */
export interface ExecRecord {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly command: readonly string[];
  readonly tty: boolean;
  readonly protocol: string;
  /** Terminal sizes received on the resize channel, in order. */
  readonly resizes: { width: number; height: number }[];
  /** Lines the scripted shell ran. */
  readonly lines: string[];
  closed: boolean;
}

export interface PodStreamDeps {
  readonly store: KubeStore;
  readonly authenticate: (req: IncomingMessage, pathname: string) => UserInfo;
  readonly authorize: (attrs: RequestAttributes, user: UserInfo) => KubeStatusError | undefined;
}

const PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(portforward|exec|attach)$/;

function rejectUpgrade(socket: Duplex, err: unknown): void {
  const status =
    err instanceof KubeStatusError ? err.status : failureStatus(500, `fake apiserver error: ${String((err as Error)?.message ?? err)}`);
  const body = JSON.stringify(status);
  socket.end(
    `HTTP/1.1 ${status.code} ${status.reason ?? ''}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

function frame(channel: number, data: Buffer | string): Buffer {
  const payload = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return Buffer.concat([Buffer.from([channel]), payload]);
}

export class PodStreams {
  readonly targets = new Map<string, PortTarget>();
  readonly execs: ExecRecord[] = [];
  private readonly sockets = new Set<WebSocket>();
  private readonly wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => {
      for (const p of ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'channel.k8s.io']) if (offered.has(p)) return p;
      return false;
    },
  });

  constructor(private readonly deps: PodStreamDeps) {}

  static targetKey(namespace: string, pod: string, port: number): string {
    return `${namespace}/${pod}:${port}`;
  }

  /** Handles an HTTP upgrade; returns false when the path is not a pod stream. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const m = PATH.exec(url.pathname);
    if (!m) return false;
    const [, nsRaw = '', podRaw = '', sub = ''] = m;
    const namespace = decodeURIComponent(nsRaw);
    const podName = decodeURIComponent(podRaw);
    try {
      const user = this.deps.authenticate(req, url.pathname);
      const denied = this.deps.authorize({ verb: 'create', group: '', resource: 'pods', subresource: sub, namespace, name: podName }, user);
      if (denied) throw denied;
      const pod = this.deps.store.get(this.deps.store.mustDef('v1', 'Pod'), namespace, podName);
      if (!pod) throw notFound('', 'pods', podName);
      if (sub === 'attach') throw new KubeStatusError(failureStatus(400, 'the fake apiserver does not support attach', 'BadRequest'));
      const ports = url.searchParams
        .getAll('ports')
        .flatMap((p) => p.split(','))
        .map(Number);
      if (sub === 'portforward' && (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)))
        throw new KubeStatusError(failureStatus(400, 'invalid port number', 'BadRequest'));
      const containers = ((pod['spec'] as { containers?: { name?: string }[] } | undefined)?.containers ?? []).map((c) => c.name ?? '');
      const container = url.searchParams.get('container') ?? containers[0] ?? '';
      if (sub === 'exec' && !containers.includes(container))
        throw new KubeStatusError(failureStatus(400, `container ${container} is not valid for pod ${podName}`, 'BadRequest'));
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.sockets.add(ws);
        ws.on('close', () => this.sockets.delete(ws));
        ws.on('error', () => undefined);
        if (sub === 'portforward') this.portForward(ws, namespace, podName, String(pod.metadata.uid ?? ''), ports);
        else
          this.exec(ws, {
            namespace,
            pod: podName,
            container,
            command: url.searchParams.getAll('command'),
            tty: url.searchParams.get('tty') === 'true',
            protocol: ws.protocol,
            resizes: [],
            lines: [],
            closed: false,
          });
      });
    } catch (e) {
      rejectUpgrade(socket, e);
    }
    return true;
  }

  private portForward(ws: WebSocket, namespace: string, pod: string, uid: string, ports: number[]): void {
    const port = ports[0] ?? 0;
    const portBytes = Buffer.alloc(2);
    portBytes.writeUInt16LE(port, 0);
    ws.send(frame(0, portBytes));
    ws.send(frame(1, portBytes));
    const target = this.targets.get(PodStreams.targetKey(namespace, pod, port));
    const fail = (why: string) => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(frame(1, `error forwarding port ${port} to pod ${uid}, uid : ${why}`));
      ws.close(1000);
    };
    if (!target) {
      fail(
        `failed to execute portforward in network namespace: failed to connect to localhost:${port} inside namespace: connection refused`,
      );
      return;
    }
    const tcp = connect(target.port, target.host);
    const pending: Buffer[] = [];
    let connected = false;
    tcp.on('connect', () => {
      connected = true;
      for (const b of pending.splice(0)) tcp.write(b);
    });
    tcp.on('data', (d: Buffer) => {
      if (ws.readyState === ws.OPEN) ws.send(frame(0, d));
    });
    tcp.on('error', (e) => fail(e.message));
    tcp.on('close', () => {
      if (ws.readyState === ws.OPEN) ws.close(1000);
    });
    ws.on('message', (raw: Buffer, isBinary: boolean) => {
      const data = isBinary ? raw : Buffer.from(raw);
      if (data[0] !== 0 || data.length < 2) return;
      const payload = data.subarray(1);
      if (connected) tcp.write(payload);
      else pending.push(payload);
    });
    ws.on('close', () => tcp.destroy());
  }

  private exec(ws: WebSocket, rec: ExecRecord): void {
    this.execs.push(rec);
    let line = '';
    const out = (s: string) => {
      if (ws.readyState === ws.OPEN) ws.send(frame(1, s));
    };
    const prompt = () => out(`root@${rec.pod}:/# `);
    const finish = (code: number) => {
      const status =
        code === 0
          ? { metadata: {}, status: 'Success' }
          : {
              metadata: {},
              status: 'Failure',
              message: `command terminated with non-zero exit code: error executing command [${rec.command.join(' ')}], exit code ${code}`,
              reason: 'NonZeroExitCode',
              details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
            };
      if (ws.readyState === ws.OPEN) {
        ws.send(frame(3, JSON.stringify(status)));
        ws.close(1000);
      }
    };
    const run = (text: string) => {
      rec.lines.push(text);
      const [cmd = '', ...args] = text.trim().split(/\s+/);
      const size = rec.resizes[rec.resizes.length - 1];
      switch (cmd) {
        case '':
          break;
        case 'echo':
          out(`${args.join(' ')}\r\n`);
          break;
        case 'hostname':
          out(`${rec.pod}\r\n`);
          break;
        case 'stty':
          out(args[0] === 'size' && size ? `${size.height} ${size.width}\r\n` : '\r\n');
          break;
        case 'exit':
          finish(Number(args[0] ?? 0) || 0);
          return;
        default:
          out(`sh: 1: ${cmd}: not found\r\n`);
      }
      prompt();
    };
    ws.on('message', (raw: Buffer) => {
      const channel = raw[0];
      const payload = raw.subarray(1).toString('utf8');
      if (channel === 4) {
        const size = JSON.parse(payload) as Record<string, number>;
        // The apiserver decodes {"Width","Height"} case-insensitively, as Go's JSON does.
        rec.resizes.push({ width: size['Width'] ?? size['width'] ?? 0, height: size['Height'] ?? size['height'] ?? 0 });
        return;
      }
      if (channel === 255) return; // v5 close of stdin
      if (channel !== 0) return;
      for (const ch of payload) {
        if (ch === '\r' || ch === '\n') {
          if (rec.tty) out('\r\n');
          const text = line;
          line = '';
          run(text);
          if (ws.readyState !== ws.OPEN) return;
        } else if (ch === '\x7f' || ch === '\b') {
          if (line.length > 0) {
            line = line.slice(0, -1);
            if (rec.tty) out('\b \b');
          }
        } else if (ch === '\x04' && line === '') {
          finish(0);
          return;
        } else {
          line += ch;
          if (rec.tty) out(ch);
        }
      }
    });
    ws.on('close', () => {
      rec.closed = true;
    });
    prompt();
  }

  close(): void {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
  }
}
