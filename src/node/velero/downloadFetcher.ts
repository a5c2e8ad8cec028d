// Fetches a Velero pre-signed download URL (object store: S3, GCS, Azure, MinIO) and gunzips it. The URL
// carries a signature: it is never logged and never part of an error message.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { CancelledError } from '../../core/errors';
import type { DownloadFetcher } from '../../core/velero/veleroActions';

const gunzipAsync = promisify(gunzip);

export interface DownloadFetcherOptions {
  readonly timeoutMs: number;
  /** Largest compressed body accepted; default 64 MiB. */
  readonly maxBytes?: number;
  /** Extra CA certificates (PEM) for object stores with a private CA (the BSL's caCert). */
  readonly ca?: string;
}

/** A DownloadFetcher over node:http(s): GET, status check, size bound, gunzip (plain text passes through). */
export function createDownloadFetcher(options: DownloadFetcherOptions): DownloadFetcher {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  return async (url: string, signal: AbortSignal): Promise<string> => {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`unsupported scheme ${parsed.protocol}`);
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const combined = AbortSignal.any([signal, timeout]);
    const body = await new Promise<Buffer>((resolve, reject) => {
      const request = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = request(parsed, { method: 'GET', signal: combined, ...(options.ca ? { ca: options.ca } : {}) }, (res) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          res.resume();
          reject(new Error(`the object store answered HTTP ${status}${status === 403 ? ' (the link may have expired)' : ''}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            req.destroy(new Error(`the file is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => resolve(Buffer.concat(chunks)));
        res.on('error', reject);
      });
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (signal.aborted) reject(new CancelledError());
        else if (timeout.aborted) reject(new Error(`no answer within ${Math.round(options.timeoutMs / 1000)} s`));
        // Only the code and host: the message of some errors repeats the whole URL.
        else reject(new Error(e.code ? `${e.code} connecting to ${parsed.host}` : `connection to ${parsed.host} failed`));
      });
      req.end();
    });
    const gzipped = body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b;
    return (gzipped ? await gunzipAsync(body) : body).toString('utf8');
  };
}
