import { request as httpRequest, type Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';
import { ApiException } from '@kubernetes/client-node';

/** How long a new connection (TCP and TLS handshake) may take before the request fails (a black-holed server). */
export const connectTimeoutMs = 10_000;

/**
 * Fails the request when a new socket has not connected (TCP, and TLS for https) within `ms`: a black-holed API
 * server is reported after 10 s instead of the 30 s request timeout. Reused keep-alive sockets are not timed.
 */
export function limitConnectTime(
  req: { on(event: 'socket', fn: (s: Socket) => void): unknown; destroy(e: Error): unknown },
  https: boolean,
  ms: number,
): void {
  req.on('socket', (socket: Socket) => {
    if (!socket.connecting) return;
    const timer = setTimeout(
      () =>
        req.destroy(
          Object.assign(new Error(`no connection within ${ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`}`), {
            code: 'ECONNTIMEDOUT',
          }),
        ),
      ms,
    );
    const done = () => clearTimeout(timer);
    socket.once(https ? 'secureConnect' : 'connect', done);
    socket.once('close', done);
  });
}

/**
 * The largest answer body read into memory (catalogue B37): our lists are paged (limit 500), so only a broken or
 * hostile server sends more; the request then fails instead of growing the heap until the deadline.
 */
export const maxBodyBytes = 256 * 2 ** 20;

/** GET a JSON document with the context's TLS agent and auth headers; HTTP errors become ApiException-like errors. */
export function getJson(
  url: URL,
  headers: Record<string, string>,
  agent: HttpAgent | HttpsAgent | undefined,
  signal: AbortSignal,
  timeoutMs: number,
  method = 'GET',
  body?: unknown,
  connectMs = connectTimeoutMs,
  maxBytes = maxBodyBytes,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      url,
      {
        method,
        headers: {
          accept: 'application/json',
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...headers,
          ...(payload ? { 'content-length': String(Buffer.byteLength(payload)) } : {}),
        },
        ...(agent ? { agent } : {}),
        signal,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let received = 0;
        res.on('data', (c: Buffer) => {
          received += c.length;
          if (received > maxBytes) {
            req.destroy(Object.assign(new Error(`the answer is larger than ${Math.round(maxBytes / 2 ** 20)} MiB`), { code: 'ETOOLARGE' }));
            chunks.length = 0;
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 400) {
            reject(new ApiException(res.statusCode ?? 500, 'request failed', body, res.headers as Record<string, string>));
            return;
          }
          try {
            resolve(JSON.parse(body));
          } catch {
            reject(new Error(`${url.pathname} did not answer JSON`));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    limitConnectTime(req, url.protocol === 'https:', Math.min(connectMs, timeoutMs));
    req.on('error', reject);
    req.end(payload);
  });
}
