import { request as httpRequest, type Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import { ApiException } from '@kubernetes/client-node';
import type { WatchEvent } from '../../core/kube/kubeClient';

export interface StreamWatchOptions {
  /** Until the response headers arrive. */
  readonly connectTimeoutMs: number;
  /** Longest silence on an open stream before it is cut (the server's timeoutSeconds plus a margin). */
  readonly idleTimeoutMs: number;
  readonly signal: AbortSignal;
  readonly onEvent: (event: WatchEvent) => void;
}

const EVENT_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/**
 * One watch stream: GET `url` (which carries `watch=1`) with the context's TLS agent and auth headers, and hands
 * every newline-delimited JSON event to `onEvent`. Resolves when the server ends the stream; rejects with an
 * ApiException-like error on an HTTP error (410 included), with `ETIMEDOUT` on a connect or idle timeout, with a
 * plain Error with code `EMALFORMED` on a malformed line (client-node drops those silently; we reconnect instead),
 * or with whatever
 * `onEvent` threw.
 */
export function streamWatch(
  url: URL,
  headers: Record<string, string>,
  agent: HttpAgent | HttpsAgent | undefined,
  options: StreamWatchOptions,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      if (err === undefined) resolve();
      else {
        req.destroy();
        reject(err instanceof Error ? err : new Error('watch failed', { cause: err }));
      }
    };
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(url, {
      method: 'GET',
      headers: { ...headers, accept: 'application/json' },
      ...(agent ? { agent } : {}),
      signal: options.signal,
      timeout: options.idleTimeoutMs,
    });
    const connectTimer = setTimeout(
      () => finish(Object.assign(new Error('watch connect timeout'), { code: 'ETIMEDOUT' })),
      options.connectTimeoutMs,
    );
    req.on('timeout', () => finish(Object.assign(new Error('watch stream idle timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (e) => finish(e));
    req.on('response', (res: IncomingMessage) => {
      clearTimeout(connectTimer);
      res.setEncoding('utf8');
      if ((res.statusCode ?? 500) >= 400) {
        let body = '';
        res.on('data', (c: string) => (body += c));
        res.on('end', () => finish(new ApiException(res.statusCode ?? 500, 'watch failed', body, res.headers as Record<string, string>)));
        res.on('error', (e) => finish(e));
        return;
      }
      let buffered = '';
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let newline = buffered.indexOf('\n');
        while (newline >= 0 && !settled) {
          const line = buffered.slice(0, newline).trim();
          buffered = buffered.slice(newline + 1);
          newline = buffered.indexOf('\n');
          if (!line) continue;
          let event: WatchEvent;
          try {
            event = JSON.parse(line) as WatchEvent;
          } catch {
            // The line itself is never kept: it may hold a Secret's data.
            finish(Object.assign(new Error(`${url.pathname}: the watch stream sent a line that is not JSON`), { code: 'EMALFORMED' }));
            return;
          }
          if (!EVENT_TYPES.has(event?.type) || typeof event.object !== 'object' || event.object === null) {
            finish(
              Object.assign(new Error(`${url.pathname}: the watch stream sent an event without type or object`), { code: 'EMALFORMED' }),
            );
            return;
          }
          try {
            options.onEvent(event);
          } catch (e) {
            finish(e);
            return;
          }
        }
      });
      res.on('end', () => finish());
      res.on('aborted', () => finish(Object.assign(new Error('watch stream reset'), { code: 'ECONNRESET' })));
      res.on('error', (e) => finish(e));
      res.on('close', () => {
        // A connection torn down without a clean end (server gone) must not hang the caller.
        if (!res.complete) finish(Object.assign(new Error('watch stream closed'), { code: 'ECONNRESET' }));
      });
    });
    req.end();
  });
}
