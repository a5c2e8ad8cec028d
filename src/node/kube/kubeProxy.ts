// `KubeClient.proxyGet`: a GET through the API server's service proxy that resolves with any HTTP answer.
import { request as httpRequest, type Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import { CancelledError, ClusterDeckError } from '../../core/errors';
import type { ProxyResponse } from '../../core/kube/kubeClient';
import { mapKubeError } from './kubeErrors';
import { connectTimeoutMs, limitConnectTime } from './kubeHttp';

/** Everything the proxy call needs of the client: the server, auth headers and agent, timeout and log sink. */
export interface ProxyDeps {
  readonly server: string;
  readonly contextName: string;
  readonly requestTimeoutMs: number;
  readonly connection: () => Promise<{ headers: Record<string, string>; agent?: HttpAgent | HttpsAgent }>;
  readonly onRequest?: (line: string) => void;
}

/** The service proxy path: `/api/v1/namespaces/{ns}/services/{service}/proxy/{path}`. */
export function serviceProxyPath(namespace: string, service: string, path: string): string {
  const rest = path.replace(/^\/+/, '');
  return `api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(service)}/proxy/${rest}`;
}

export async function proxyGet(
  deps: ProxyDeps,
  namespace: string,
  service: string,
  path: string,
  options: { readonly signal: AbortSignal; readonly query?: Readonly<Record<string, string>> },
): Promise<ProxyResponse> {
  const { headers, agent } = await deps.connection();
  const qs = new URLSearchParams(options.query ?? {}).toString();
  const url = new URL(
    `${serviceProxyPath(namespace, service, path)}${qs ? `?${qs}` : ''}`,
    deps.server.endsWith('/') ? deps.server : `${deps.server}/`,
  );
  const timeout = AbortSignal.timeout(deps.requestTimeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  const started = Date.now();
  let outcome = 'error';
  try {
    const response = await new Promise<ProxyResponse>((resolve, reject) => {
      const https = url.protocol === 'https:';
      const req = (https ? httpsRequest : httpRequest)(
        url,
        { method: 'GET', headers: { ...headers, accept: 'application/json' }, ...(agent ? { agent } : {}), signal },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const contentType = res.headers['content-type'];
            const retryAfter = res.headers['retry-after'];
            resolve({
              status: res.statusCode ?? 0,
              ...(contentType ? { contentType } : {}),
              ...(retryAfter ? { retryAfter } : {}),
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
          res.on('error', reject);
        },
      );
      limitConnectTime(req, https, Math.min(connectTimeoutMs, deps.requestTimeoutMs));
      req.on('error', reject);
      req.end();
    });
    outcome = String(response.status);
    return response;
  } catch (e) {
    if (options.signal.aborted) {
      outcome = 'cancelled';
      throw new CancelledError();
    }
    if (timeout.aborted) {
      outcome = 'timeout';
      throw new ClusterDeckError(
        'timeout',
        `${deps.server} did not answer within ${Math.round(deps.requestTimeoutMs / 1000)} s.`,
        {},
        { cause: e },
      );
    }
    throw mapKubeError(e, { server: deps.server, contextName: deps.contextName, verb: 'get', resource: 'services/proxy', namespace });
  } finally {
    // The path without the query: PromQL is long and not needed in the log.
    deps.onRequest?.(
      `> kube proxy services/${service} ${namespace} /${path.replace(/^\/+/, '')} ${deps.contextName} [${Date.now() - started}ms] ${outcome}`,
    );
  }
}
