// Preloaded into every test process: any TCP connection to an address outside 127.0.0.0/8, ::1 or
// localhost throws, so a misbehaving library (a default credential chain, a metadata probe) cannot leave the
// machine. Unix sockets and loopback are allowed. Names under `.invalid` (RFC 6761: they never resolve) fail
// like a resolver's NXDOMAIN (ENOTFOUND from getaddrinfo) without any DNS query, for "DNS failure" scenarios.
import * as net from 'node:net';

// eslint-disable-next-line @typescript-eslint/unbound-method -- re-applied below with the socket as `this`
const original = net.Socket.prototype.connect;

function isLoopback(host: string | undefined): boolean {
  if (host === undefined || host === '') return true; // Node's default host is localhost
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host) || /^::ffff:127\./.test(host);
}

type ConnectArgs = Parameters<typeof original>;
type LookupCallback = (e: NodeJS.ErrnoException | null, address?: string, family?: number) => void;

function failingLookup(hostname: string, _options: unknown, callback: LookupCallback): void {
  const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
    code: 'ENOTFOUND',
    errno: -3008,
    syscall: 'getaddrinfo',
    hostname,
  });
  process.nextTick(callback, error);
}

net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: ConnectArgs): net.Socket {
  const first = args[0] as unknown;
  let host: string | undefined;
  let path: string | undefined;
  let opts: { host?: string; path?: string; lookup?: unknown } | undefined;
  if (Array.isArray(first)) {
    opts = first[0] as typeof opts;
    host = opts?.host;
    path = opts?.path;
  } else if (typeof first === 'object' && first !== null) {
    opts = first;
    host = opts?.host;
    path = opts?.path;
  } else if (typeof first === 'number') {
    host = typeof args[1] === 'string' ? args[1] : undefined;
  } else if (typeof first === 'string') {
    path = first;
  }
  if (!path && opts && host && /\.invalid\.?$/i.test(host)) {
    opts.lookup = failingLookup;
    return original.apply(this, args);
  }
  if (!path && !isLoopback(host)) {
    throw new Error(`loopbackGuard: a test tried to connect to ${host}; tests may only use 127.0.0.1/::1`);
  }
  return original.apply(this, args);
} as typeof original;
