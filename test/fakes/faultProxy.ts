/**
 * A loopback TCP fault-injection proxy (reliability §4.1 L3b, Toxiproxy-style) to put between a client and any
 * fake server (the Kubernetes fake, the cloud fakes). It works below TLS, so https fakes keep their certificates.
 * HTTP-level faults (429/5xx storms with Retry-After, malformed JSON) are the fakes' own `inject` rules.
 *
 * Toxics, changeable while connections are open (they apply to new data):
 * - `latencyMs`: delay every chunk in both directions;
 * - `dripBytesPerSecond`: server → client bytes trickle at this rate (slow-drip bodies);
 * - `resetAfterBytes`: destroy both sockets once this many server → client bytes have passed (reset mid-body or
 *   mid-watch);
 * - `closeAfterBytes`: end the connection cleanly after this many server → client bytes (a truncated stream);
 * - `blackhole`: accept connections and never forward or answer;
 * - `stallAfterBytes`: once this many server → client bytes have passed since `set()` (all connections together),
 *   stop forwarding and hold the connections open (a server that stalls mid-page);
 * - `forConnections`: only the next N connections accepted get these toxics, later ones pass clean (a fault that
 *   hits the first attempt and not its retry).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface Toxics {
  latencyMs?: number;
  dripBytesPerSecond?: number;
  resetAfterBytes?: number;
  closeAfterBytes?: number;
  blackhole?: boolean;
  stallAfterBytes?: number;
  forConnections?: number;
}

export interface FaultProxy {
  readonly port: number;
  /** Replaces the toxics for data from now on (`{}` heals). */
  set(toxics: Toxics): void;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Sockets open right now (client and upstream sides together). */
  readonly openSockets: number;
  /** Destroys every open connection (a server restart as clients see it). */
  dropAll(): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: { host?: string; port: number }): Promise<FaultProxy> {
  let toxics: Toxics = {};
  let budget: number | undefined;
  let connections = 0;
  let passedSinceSet = 0;
  const open = new Set<Socket>();
  const track = (s: Socket) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const server: Server = createServer((client) => {
    connections++;
    track(client);
    client.on('error', () => undefined);
    const affected = budget === undefined || budget-- > 0;
    const toxicsNow = (): Toxics => (affected ? toxics : {});
    if (toxicsNow().blackhole) return; // accepted, never answered
    const upstream = connect({ host: target.host ?? '127.0.0.1', port: target.port });
    track(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());

    // client → server: only latency.
    client.on('data', (chunk: Buffer) => {
      const t = toxicsNow();
      if (t.latencyMs) {
        client.pause();
        void sleep(t.latencyMs).then(() => {
          upstream.write(chunk);
          client.resume();
        });
      } else upstream.write(chunk);
    });

    // server → client: latency, drip, reset, close; in order, one chunk at a time.
    let passed = 0;
    let queue = Promise.resolve();
    upstream.on('data', (chunk: Buffer) => {
      upstream.pause();
      queue = queue.then(async () => {
        const t = toxicsNow();
        if (t.latencyMs) await sleep(t.latencyMs);
        let data = chunk;
        if (t.stallAfterBytes !== undefined && passedSinceSet + data.length >= t.stallAfterBytes) {
          const keep = Math.max(0, t.stallAfterBytes - passedSinceSet);
          if (keep > 0) client.write(data.subarray(0, keep));
          passedSinceSet += keep;
          return; // upstream stays paused: nothing more is forwarded on this connection
        }
        passedSinceSet += data.length;
        const limit = t.resetAfterBytes ?? t.closeAfterBytes;
        if (limit !== undefined && passed + data.length >= limit) {
          const keep = Math.max(0, limit - passed);
          if (keep > 0) client.write(data.subarray(0, keep));
          passed += keep;
          if (t.resetAfterBytes !== undefined) {
            client.resetAndDestroy();
            upstream.destroy();
          } else {
            client.end();
            upstream.destroy();
          }
          return;
        }
        if (t.dripBytesPerSecond) {
          const step = Math.max(1, Math.floor(t.dripBytesPerSecond / 10));
          while (data.length > 0 && !client.destroyed) {
            client.write(data.subarray(0, step));
            passed += Math.min(step, data.length);
            data = data.subarray(step);
            await sleep(100);
          }
        } else {
          client.write(data);
          passed += data.length;
        }
        if (!upstream.destroyed) upstream.resume();
      });
    });
    upstream.on('end', () => void queue.then(() => client.end()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    set(next: Toxics) {
      toxics = { ...next };
      budget = next.forConnections;
      passedSinceSet = 0;
    },
    get connections() {
      return connections;
    },
    get openSockets() {
      return open.size;
    },
    dropAll() {
      for (const s of open) s.destroy();
    },
    close() {
      for (const s of open) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
