/**
 * The fake's service proxy (`/api/v1/namespaces/{ns}/services/{[scheme:]name[:port]}/proxy/{path}`): like the
 * apiserver, it answers 404 when the Service does not exist and 503 when it has no endpoints (no target set);
 * otherwise it forwards the GET to the target URL the test registered and relays status, content type, Retry-After
 * and body.
 */
import { request } from 'node:http';
import type { RequestAttributes } from './handler';
import { failureStatus, KubeStatusError, notFound } from './status';

const proxyPattern = /^\/api\/v1\/namespaces\/([^/]+)\/services\/([^/]+)\/proxy(\/.*)?$/;

export interface ProxyMatch {
  readonly namespace: string;
  readonly service: string;
  readonly port: string;
  readonly rest: string;
  readonly attrs: RequestAttributes;
}

/** Parses a service proxy path; undefined for any other path. */
export function matchServiceProxy(pathname: string): ProxyMatch | undefined {
  const m = proxyPattern.exec(pathname);
  if (!m) return undefined;
  const namespace = decodeURIComponent(m[1] ?? '');
  const parts = decodeURIComponent(m[2] ?? '').split(':');
  // [scheme:]name[:port]
  const [service, port] = parts.length === 3 ? [parts[1] ?? '', parts[2] ?? ''] : [parts[0] ?? '', parts[1] ?? ''];
  return {
    namespace,
    service,
    port,
    rest: m[3] ?? '/',
    attrs: { verb: 'get', group: '', resource: 'services', subresource: 'proxy', namespace, name: service },
  };
}

export const proxyTargetKey = (namespace: string, service: string, port: string | number): string => `${namespace}/${service}:${port}`;

/** Forwards a proxied GET; throws KubeStatusError for a missing Service (404) or one without endpoints (503). */
export function forwardServiceProxy(
  match: ProxyMatch,
  search: string,
  serviceExists: boolean,
  target: string | undefined,
): Promise<{ status: number; body: string; headers: Record<string, string> }> {
  if (!serviceExists) return Promise.reject(notFound('', 'services', match.service));
  if (!target)
    return Promise.reject(
      new KubeStatusError(failureStatus(503, `no endpoints available for service "${match.service}"`, 'ServiceUnavailable')),
    );
  const url = new URL(`${match.rest}${search}`, target);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers: { accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 502,
          body: Buffer.concat(chunks).toString('utf8'),
          headers: {
            'content-type': res.headers['content-type'] ?? 'text/plain',
            // The apiserver's proxy copies the backend's headers; Retry-After is the one clients act on.
            ...(res.headers['retry-after'] ? { 'retry-after': res.headers['retry-after'] } : {}),
          },
        }),
      );
      res.on('error', reject);
    });
    req.on('error', () =>
      reject(
        new KubeStatusError(
          failureStatus(503, `error trying to reach service: dial tcp ${url.host}: connect: connection refused`, 'ServiceUnavailable'),
        ),
      ),
    );
    req.end();
  });
}
