import { request as httpRequest, type Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import { ApiException } from '@kubernetes/client-node';
import { CancelledError, ClusterDeckError } from '../../core/errors';
import { buildLogQuery } from '../../core/explorer/logOptions';
import type { CallOptions, LogOptions } from '../../core/kube/kubeClient';
import { mapKubeError } from './kubeErrors';

export interface LogConnection {
  readonly server: string;
  readonly contextName: string;
  readonly requestTimeoutMs: number;
  /** The context's auth headers and TLS agent (what every raw request uses). */
  readonly connection: () => Promise<{ headers: Record<string, string>; agent?: HttpAgent | HttpsAgent }>;
  readonly onRequest?: (line: string) => void;
}

/**
 * Streams `GET /api/v1/namespaces/{ns}/pods/{pod}/log` into `onChunk` (see KubeClient.streamLogs): the timeout
 * covers the wait for the answer and, without `follow`, each pause between chunks; UTF-8 split across chunks is
 * decoded correctly.
 */
export async function streamPodLogs(
  c: LogConnection,
  namespace: string,
  pod: string,
  options: CallOptions & LogOptions,
  onChunk: (text: string) => void,
): Promise<void> {
  const { headers, agent } = await c.connection();
  const qs = buildLogQuery(options);
  const base = c.server.endsWith('/') ? c.server : `${c.server}/`;
  const url = new URL(`api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log${qs ? `?${qs}` : ''}`, base);
  const started = Date.now();
  let outcome = 'error';
  let bytes = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      if (options.signal.aborted) {
        reject(new CancelledError());
        return;
      }
      let timer: NodeJS.Timeout | undefined;
      let timedOut = false;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          timedOut = true;
          req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }));
        }, c.requestTimeoutMs);
      };
      const onAbort = () => req.destroy(new CancelledError());
      const finish = (e?: unknown) => {
        clearTimeout(timer);
        options.signal.removeEventListener('abort', onAbort);
        if (e === undefined) resolve();
        else reject(e instanceof Error ? e : new Error('log stream failed'));
      };
      const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = request(url, { method: 'GET', headers: { ...headers, accept: '*/*' }, ...(agent ? { agent } : {}) }, (res) => {
        const status = res.statusCode ?? 500;
        if (status >= 400) {
          const chunks: Buffer[] = [];
          res.on('data', (b: Buffer) => chunks.push(b));
          res.on('end', () =>
            finish(
              new ApiException(status, 'request failed', Buffer.concat(chunks).toString('utf8'), res.headers as Record<string, string>),
            ),
          );
          res.on('error', finish);
          return;
        }
        if (options.follow) clearTimeout(timer);
        else arm();
        const decoder = new TextDecoder('utf-8');
        res.on('data', (b: Buffer) => {
          bytes += b.length;
          if (!options.follow) arm();
          const text = decoder.decode(b, { stream: true });
          if (text) onChunk(text);
        });
        res.on('end', () => {
          const rest = decoder.decode();
          if (rest) onChunk(rest);
          finish();
        });
        res.on('error', finish);
        res.on('aborted', () => finish(new Error('socket hang up')));
      });
      options.signal.addEventListener('abort', onAbort, { once: true });
      arm();
      req.on('error', (e) =>
        finish(options.signal.aborted ? new CancelledError() : timedOut ? Object.assign(e, { code: 'ETIMEDOUT' }) : e),
      );
      req.end();
    });
    outcome = 'ok';
  } catch (e) {
    if (options.signal.aborted || e instanceof CancelledError) {
      outcome = 'stopped';
      throw new CancelledError();
    }
    const err = e as { code?: string };
    if (err.code === 'ETIMEDOUT') {
      outcome = 'timeout';
      throw new ClusterDeckError(
        'timeout',
        `${c.server} did not answer within ${Math.round(c.requestTimeoutMs / 1000)} s.`,
        {},
        { cause: e },
      );
    }
    const mapped = mapKubeError(e, { server: c.server, contextName: c.contextName, verb: 'get', resource: 'pods/log', namespace });
    outcome = String(mapped.detail.status ?? mapped.reason);
    throw mapped;
  } finally {
    c.onRequest?.(
      `> kube logs ${namespace}/${pod}${options.container ? ` -c ${options.container}` : ''}${options.follow ? ' -f' : ''} ${c.contextName} [${Date.now() - started}ms, ${bytes} bytes] ${outcome}`,
    );
  }
}
