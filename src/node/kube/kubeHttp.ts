import { request as httpRequest, type Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https';
import { ApiException } from '@kubernetes/client-node';

/** GET a JSON document with the context's TLS agent and auth headers; HTTP errors become ApiException-like errors. */
export function getJson(
  url: URL,
  headers: Record<string, string>,
  agent: HttpAgent | HttpsAgent | undefined,
  signal: AbortSignal,
  timeoutMs: number,
  method = 'GET',
  body?: unknown,
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
        res.on('data', (c: Buffer) => chunks.push(c));
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
    req.on('error', reject);
    req.end(payload);
  });
}
