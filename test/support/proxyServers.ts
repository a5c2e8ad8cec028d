/**
 * Loopback forward proxies for proxy-url tests (catalogue B15): an HTTP CONNECT proxy (plain, or over TLS: an
 * "https://" proxy) and a SOCKS5 proxy (no authentication, CONNECT only). Each records the `host:port` targets it
 * tunnelled to; `close()` ends every tunnel and stops listening. `hosts` maps names only the proxy can resolve (a
 * server named `*.invalid` is unreachable directly: the loopback guard answers ENOTFOUND) to addresses.
 */
import { connect as netConnect, createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';

export interface TestProxy {
  /** `http://127.0.0.1:PORT`, `https://127.0.0.1:PORT` or `socks5://127.0.0.1:PORT`. */
  readonly url: string;
  /** Targets tunnelled to, in order (one per connection). */
  readonly targets: string[];
  close(): Promise<void>;
}

function tunnel(
  client: Socket,
  host: string,
  port: number,
  onOpen: () => void,
  sockets: Set<Socket>,
  hosts: Readonly<Record<string, string>>,
): void {
  const upstream = netConnect(port, hosts[host] ?? host, () => {
    onOpen();
    upstream.pipe(client);
    client.pipe(upstream);
  });
  sockets.add(upstream);
  upstream.on('close', () => sockets.delete(upstream));
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
  client.on('close', () => upstream.destroy());
}

async function listen(server: Server, scheme: string, targets: string[], sockets: Set<Socket>): Promise<TestProxy> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    targets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** An HTTP CONNECT proxy; with `tls` it is reached over TLS (`https://` proxy-url). */
export function startConnectProxy(
  tls?: { keyPem: string; certPem: string },
  hosts: Readonly<Record<string, string>> = {},
): Promise<TestProxy> {
  const targets: string[] = [];
  const sockets = new Set<Socket>();
  const onClient = (client: Socket) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      client.off('data', onData);
      const m = /^CONNECT (\S+):(\d+) HTTP\/1\.[01]\r\n/.exec(head);
      if (!m) return void client.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n');
      targets.push(`${m[1]}:${m[2]}`);
      tunnel(client, m[1] ?? '', Number(m[2]), () => client.write('HTTP/1.1 200 Connection Established\r\n\r\n'), sockets, hosts);
    };
    client.on('data', onData);
  };
  const server: Server = tls ? createTlsServer({ key: tls.keyPem, cert: tls.certPem }, onClient) : createServer(onClient);
  return listen(server, tls ? 'https' : 'http', targets, sockets);
}

/** A SOCKS5 proxy (RFC 1928): no authentication, CONNECT to an IPv4 address or a domain name. */
export function startSocks5Proxy(hosts: Readonly<Record<string, string>> = {}): Promise<TestProxy> {
  const targets: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    let greeted = false;
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (!greeted) {
        if (buffered.length < 2 || buffered.length < 2 + (buffered[1] ?? 0)) return;
        if (buffered[0] !== 5) return void client.destroy();
        buffered = buffered.subarray(2 + (buffered[1] ?? 0));
        greeted = true;
        client.write(Buffer.from([5, 0])); // no authentication
      }
      if (buffered.length < 5) return;
      const atyp = buffered[3];
      const addrLength = atyp === 1 ? 4 : atyp === 3 ? 1 + (buffered[4] ?? 0) : atyp === 4 ? 16 : -1;
      if (addrLength < 0 || buffered[1] !== 1) return void client.end(Buffer.from([5, 7, 0, 1, 0, 0, 0, 0, 0, 0]));
      if (buffered.length < 4 + addrLength + 2) return;
      const host =
        atyp === 1
          ? [...buffered.subarray(4, 8)].join('.')
          : atyp === 3
            ? buffered.subarray(5, 5 + (buffered[4] ?? 0)).toString('latin1')
            : '::1';
      const port = buffered.readUInt16BE(4 + addrLength);
      client.off('data', onData);
      targets.push(`${host}:${port}`);
      tunnel(client, host, port, () => client.write(Buffer.from([5, 0, 0, 1, 0, 0, 0, 0, 0, 0])), sockets, hosts);
    };
    client.on('data', onData);
  });
  return listen(server, 'socks5', targets, sockets);
}
