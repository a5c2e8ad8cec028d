// Preloaded into every test process: any TCP connection to an address outside 127.0.0.0/8, ::1 or
// localhost throws, so a misbehaving library (a default credential chain, a metadata probe) cannot leave the
// machine. Unix sockets and loopback are allowed.
import * as net from 'node:net';

// eslint-disable-next-line @typescript-eslint/unbound-method -- re-applied below with the socket as `this`
const original = net.Socket.prototype.connect;

function isLoopback(host: string | undefined): boolean {
  if (host === undefined || host === '') return true; // Node's default host is localhost
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host) || /^::ffff:127\./.test(host);
}

type ConnectArgs = Parameters<typeof original>;

net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: ConnectArgs): net.Socket {
  const first = args[0] as unknown;
  let host: string | undefined;
  let path: string | undefined;
  if (Array.isArray(first)) {
    const opts = first[0] as { host?: string; path?: string } | undefined;
    host = opts?.host;
    path = opts?.path;
  } else if (typeof first === 'object' && first !== null) {
    host = (first as { host?: string }).host;
    path = (first as { path?: string }).path;
  } else if (typeof first === 'number') {
    host = typeof args[1] === 'string' ? args[1] : undefined;
  } else if (typeof first === 'string') {
    path = first;
  }
  if (!path && !isLoopback(host)) {
    throw new Error(`loopbackGuard: a test tried to connect to ${host}; tests may only use 127.0.0.1/::1`);
  }
  return original.apply(this, args);
} as typeof original;
