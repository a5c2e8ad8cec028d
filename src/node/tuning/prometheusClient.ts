// Prometheus' HTTP API (`/api/v1/query`, `/api/v1/query_range`) over a direct URL (bearer token, TLS) or the API
// server's service proxy, with a timeout per query, bounded concurrency and typed errors. The token is sent only
// in the Authorization header and never logged or put into a message.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { CancelledError, ClusterDeckError, type FailureReason } from '../../core/errors';
import type { KubeClient } from '../../core/kube/kubeClient';
import { parseRetryAfter } from '../../core/kube/retryPolicy';
import type { InstantSample, RangeSeries } from '../../core/tuning/promQueries';

/** A raw HTTP answer. */
export interface PromHttpResponse {
  readonly status: number;
  readonly body: string;
  /** The raw `Retry-After` header of a 429 or 503, when there was one. */
  readonly retryAfter?: string;
}

/** How queries reach Prometheus. */
export interface PrometheusTransport {
  /** Secret-free: the URL without credentials or query, or the service proxy path. */
  readonly description: string;
  /** True when a 401/403 comes from the Kubernetes API server rather than Prometheus. */
  readonly viaKube: boolean;
  get(path: string, query: Readonly<Record<string, string>>, signal: AbortSignal): Promise<PromHttpResponse>;
}

/** Strips credentials, query and fragment from a URL for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '<invalid URL>';
  }
}

/** Options of a direct connection. */
export interface HttpTransportOptions {
  /** `http://host:9090` or `https://…/prometheus` (a path prefix is kept). */
  readonly url: string;
  /** Sent as `Authorization: Bearer …` (managed Prometheus, Thanos behind a proxy); never logged. */
  readonly bearerToken?: string;
  /** PEM CA bundle for https. */
  readonly caPem?: string;
}

/** A transport to a Prometheus URL. Throws `badConfig` for a URL that is not http(s). */
export function httpTransport(options: HttpTransportOptions): PrometheusTransport {
  let base: URL;
  try {
    base = new URL(options.url);
  } catch {
    throw new ClusterDeckError('badConfig', 'The Prometheus URL is not a valid URL; give it as http(s)://host:port.');
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    throw new ClusterDeckError('badConfig', 'The Prometheus URL must start with http:// or https://.');
  if (options.bearerToken && base.protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname))
    throw new ClusterDeckError('tls', 'ClusterDeck sends a Prometheus bearer token only over https (or to localhost); use an https URL.');
  const description = redactUrl(options.url);
  const prefix = base.pathname.replace(/\/+$/, '');
  return {
    description,
    viaKube: false,
    get(path, query, signal) {
      const url = new URL(base.toString());
      url.pathname = `${prefix}${path}`;
      url.search = new URLSearchParams(query).toString();
      url.username = '';
      url.password = '';
      const https = url.protocol === 'https:';
      const attempt = (retried: boolean): Promise<PromHttpResponse> =>
        new Promise<PromHttpResponse>((resolve, reject) => {
          let answered = false;
          const req = (https ? httpsRequest : httpRequest)(
            url,
            {
              method: 'GET',
              headers: {
                accept: 'application/json',
                ...(options.bearerToken ? { authorization: `Bearer ${options.bearerToken}` } : {}),
              },
              ...(https && options.caPem ? { ca: options.caPem } : {}),
              signal,
            },
            (res) => {
              answered = true;
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              const retryAfter = res.headers['retry-after'];
              res.on('end', () =>
                resolve({
                  status: res.statusCode ?? 0,
                  body: Buffer.concat(chunks).toString('utf8'),
                  ...(retryAfter ? { retryAfter } : {}),
                }),
              );
              res.on('error', reject);
            },
          );
          req.on('error', (e: Error & { code?: string }) => {
            // A kept-alive socket the server (or a proxy) closed while idle fails at once: a GET is sent again once,
            // as Node's documentation advises (`request.reusedSocket`).
            if (!answered && !retried && req.reusedSocket && !signal.aborted && (e.code === 'ECONNRESET' || e.code === 'EPIPE'))
              resolve(attempt(true));
            else reject(e);
          });
          req.end();
        });
      return attempt(false);
    },
  };
}

/** A transport through the API server's service proxy (`service` = `name:port`). */
export function serviceProxyTransport(kube: KubeClient, namespace: string, service: string): PrometheusTransport {
  return {
    description: `service ${namespace}/${service} (through the API server)`,
    viaKube: true,
    get: (path, query, signal) => kube.proxyGet(namespace, service, path, { signal, query }),
  };
}

/** Options of the client. */
export interface PrometheusClientOptions {
  /** Per query, including the wait for a concurrency slot; default 30 s. Also sent as Prometheus' `timeout`. */
  readonly timeoutMs?: number;
  /** Queries in flight at once; default 4. */
  readonly concurrency?: number;
  /** One line per attempt: `> prometheus query <label> [Nms] ok`. */
  readonly onRequest?: (line: string) => void;
  /**
   * Retries of a 429 or a 503 (queries are idempotent reads): `maxAttempts` in all (default 4), waiting what
   * `Retry-After` asks, else `baseDelayMs` (default 500) doubling; a `Retry-After` longer than `maxWaitMs`
   * (default 10 s) is not waited for, and no wait runs past the query's timeout.
   */
  readonly retry?: { readonly maxAttempts?: number; readonly baseDelayMs?: number; readonly maxWaitMs?: number };
}

interface PromEnvelope {
  status?: string;
  data?: { resultType?: string; result?: unknown };
  errorType?: string;
  error?: string;
}

/** A tiny semaphore. */
class Slots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly size: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/** Queries Prometheus; every failure is a ClusterDeckError naming the redacted endpoint and the next step. */
export class PrometheusClient {
  private readonly slots: Slots;
  private readonly timeoutMs: number;
  /** High-water mark of queries in flight (for tests and the bench). */
  maxInFlight = 0;
  private inFlight = 0;
  /** Total milliseconds spent waiting for Prometheus answers, summed over queries (for the bench). */
  queryMs = 0;
  /** Wall-clock milliseconds during which at least one query was in flight (for the bench). */
  busyWallMs = 0;
  private busySince = 0;
  queries = 0;

  constructor(
    readonly transport: PrometheusTransport,
    private readonly options: PrometheusClientOptions = {},
  ) {
    this.slots = new Slots(Math.max(1, options.concurrency ?? 4));
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** An instant query; resolves the vector's samples (a scalar answer becomes one sample without labels). */
  async query(promql: string, timeSeconds: number, signal: AbortSignal, label = 'query'): Promise<InstantSample[]> {
    const data = await this.call('/api/v1/query', { query: promql, time: String(timeSeconds) }, signal, label);
    if (data.resultType === 'scalar' && Array.isArray(data.result)) return [{ metric: {}, value: data.result as [number, string] }];
    if (data.resultType !== 'vector' || !Array.isArray(data.result)) throw this.malformed();
    return data.result as InstantSample[];
  }

  /** A range query; resolves the matrix's series. */
  async queryRange(
    promql: string,
    startSeconds: number,
    endSeconds: number,
    stepSeconds: number,
    signal: AbortSignal,
    label = 'query_range',
  ): Promise<RangeSeries[]> {
    const data = await this.call(
      '/api/v1/query_range',
      { query: promql, start: String(startSeconds), end: String(endSeconds), step: String(stepSeconds) },
      signal,
      label,
    );
    if (data.resultType !== 'matrix' || !Array.isArray(data.result)) throw this.malformed();
    return data.result as RangeSeries[];
  }

  private malformed(): ClusterDeckError {
    return new ClusterDeckError(
      'serverError',
      `${this.transport.description} did not answer like the Prometheus HTTP API; check the URL points at Prometheus.`,
    );
  }

  private async call(
    path: string,
    query: Record<string, string>,
    signal: AbortSignal,
    label: string,
  ): Promise<NonNullable<PromEnvelope['data']>> {
    if (signal.aborted) throw new CancelledError();
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = AbortSignal.any([signal, timeout]);
    const deadline = Date.now() + this.timeoutMs;
    const maxAttempts = Math.max(1, this.options.retry?.maxAttempts ?? 4);
    const baseDelayMs = this.options.retry?.baseDelayMs ?? 500;
    const maxWaitMs = this.options.retry?.maxWaitMs ?? 10_000;
    const firstStarted = Date.now();
    try {
      for (let attempt = 1; ; attempt++) {
        const started = Date.now();
        let response: PromHttpResponse;
        try {
          response = await this.slots.run(async () => {
            if (combined.aborted) throw new Error('aborted before start');
            if (this.inFlight++ === 0) this.busySince = Date.now();
            this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
            try {
              return await this.transport.get(path, { ...query, timeout: `${Math.max(1, Math.floor(this.timeoutMs / 1000))}s` }, combined);
            } finally {
              if (--this.inFlight === 0) this.busyWallMs += Date.now() - this.busySince;
            }
          });
        } catch (e) {
          const failed = signal.aborted
            ? 'cancelled'
            : timeout.aborted || (e as { name?: string }).name === 'TimeoutError'
              ? 'timeout'
              : 'error';
          this.logAttempt(path, label, started, failed);
          throw e;
        }
        const outcome = String(response.status);
        const envelope = parseEnvelope(response.body);
        if (response.status >= 200 && response.status < 300 && envelope?.status === 'success' && envelope.data) {
          this.logAttempt(path, label, started, 'ok');
          return envelope.data;
        }
        // 429 (too many queries) and 503 (Prometheus or a proxy in front of it overloaded, a restarting pod) are
        // worth another try; a 503 that is Prometheus' own evaluation timeout is not (the same query times out again).
        const retriable = (response.status === 429 || response.status === 503) && envelope?.errorType !== 'timeout';
        if (!retriable) {
          this.logAttempt(path, label, started, outcome);
          throw this.httpError(response.status, envelope);
        }
        const asked = parseRetryAfter(response.retryAfter, Date.now());
        const delayMs = asked ?? baseDelayMs * 2 ** (attempt - 1);
        const tooLong = asked !== undefined && asked > maxWaitMs;
        if (tooLong || attempt >= maxAttempts || Date.now() + delayMs >= deadline) {
          this.logAttempt(path, label, started, `${outcome}/gave-up`);
          const tried = tooLong
            ? `it asks to wait ${Math.ceil(delayMs / 1000)} s, longer than ClusterDeck waits, ${Math.round(maxWaitMs / 1000)} s`
            : `tried ${attempt} time${attempt === 1 ? '' : 's'} in ${Math.round((Date.now() - firstStarted) / 1000)} s`;
          throw this.gaveUp(response.status, envelope, tried);
        }
        // One token per outcome keeps the log line's shape: `> prometheus query <label> [Nms] 503/retry-in-1000ms`.
        this.logAttempt(path, label, started, `${outcome}/retry-in-${delayMs}ms`);
        await sleep(delayMs, combined);
      }
    } catch (e) {
      if (e instanceof ClusterDeckError) throw e;
      if (signal.aborted) throw new CancelledError();
      if (timeout.aborted || (e as { name?: string }).name === 'TimeoutError') {
        throw new ClusterDeckError(
          'timeout',
          `${this.transport.description} did not answer within ${Math.round(this.timeoutMs / 1000)} s; shorten --history or check Prometheus' load.`,
        );
      }
      throw new ClusterDeckError(
        'unreachable',
        `Cannot reach Prometheus at ${this.transport.description} (${(e as { code?: string }).code ?? 'connection failed'}); check the URL and that Prometheus is running.`,
      );
    } finally {
      this.queries++;
      this.queryMs += Date.now() - firstStarted;
    }
  }

  /** The one sentence after the last retry of a 429 or 503: what the server said, what next, how long we tried. */
  private gaveUp(status: number, envelope: PromEnvelope | undefined, tried: string): ClusterDeckError {
    const where = this.transport.description;
    const said = envelope?.error ? `: ${envelope.error.slice(0, 200)}` : '';
    if (status === 429)
      return new ClusterDeckError(
        'throttled',
        `Prometheus at ${where} is throttling queries (429${said}); try again later or lower the concurrency (${tried}).`,
        { status },
      );
    if (this.transport.viaKube)
      return new ClusterDeckError(
        'unreachable',
        `The service ${where} has no ready endpoints (503); check that the Prometheus pods are running (${tried}).`,
        { status },
      );
    return new ClusterDeckError('serverError', `Prometheus at ${where} failed (503${said}); check its logs and load (${tried}).`, {
      status,
    });
  }

  private logAttempt(path: string, label: string, started: number, outcome: string): void {
    this.options.onRequest?.(`> prometheus ${path.slice(8)} ${label} [${Date.now() - started}ms] ${outcome}`);
  }

  private httpError(status: number, envelope: PromEnvelope | undefined): ClusterDeckError {
    const where = this.transport.description;
    // Prometheus' own error text is safe (it quotes the query, never credentials); keep it short.
    const said = envelope?.error ? `: ${envelope.error.slice(0, 200)}` : '';
    const reason = (r: FailureReason, message: string): ClusterDeckError => new ClusterDeckError(r, message, { status });
    if (status === 401)
      return this.transport.viaKube
        ? reason(
            'unauthorized',
            `The API server rejected the credentials for the service proxy to ${where} (401); sign in to the cluster again.`,
          )
        : reason('unauthorized', `Prometheus at ${where} rejected the request (401); give a valid bearer token.`);
    if (status === 403)
      return this.transport.viaKube
        ? reason('forbidden', `Forbidden: you cannot get services/proxy for ${where}; ask for that permission or give --prometheus-url.`)
        : reason('forbidden', `Prometheus at ${where} refused the request (403); check the token's permissions.`);
    if (status === 404) return reason('notFound', `No Prometheus API at ${where} (404); check the URL or the service name.`);
    if (status === 400 || status === 422 || envelope?.errorType === 'bad_data' || envelope?.errorType === 'execution')
      return reason(
        'invalid',
        `Prometheus at ${where} rejected the query (${envelope?.errorType ?? status}${said}); report this with the log.`,
      );
    if (status === 429)
      return reason('throttled', `Prometheus at ${where} is throttling queries (429); try again later or lower the concurrency.`);
    if (envelope?.errorType === 'timeout' || status === 504)
      return reason('timeout', `Prometheus at ${where} timed out evaluating the query${said}; shorten --history.`);
    if (status === 503 && this.transport.viaKube)
      return reason('unreachable', `The service ${where} has no ready endpoints (503); check that the Prometheus pods are running.`);
    if (status >= 500) return reason('serverError', `Prometheus at ${where} failed (${status}${said}); check its logs.`);
    if (envelope === undefined) return this.malformed();
    return reason('unknown', `Prometheus at ${where} answered ${status}${said}.`);
  }
}

/** Waits `ms`, or rejects when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function parseEnvelope(body: string): PromEnvelope | undefined {
  try {
    const v = JSON.parse(body) as unknown;
    return v && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}
