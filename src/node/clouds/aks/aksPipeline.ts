// The pieces both ARM clients share (the SDK's ContainerServiceClient and our small subscriptions client): one
// policy that keeps the bearer token on the configured endpoint, puts a deadline on every attempt and logs one
// secret-free line per request, and the retry settings.
import type { PipelinePolicy, PipelineRetryOptions } from '@azure/core-rest-pipeline';
import { ClusterDeckError } from '../../../core/errors';

export const aksRequestPolicyName = 'clusterdeckAksRequest';

/** The longest Retry-After (429/503) waited out inside one call; longer waits fail the call as throttled. */
export const MAX_RETRY_AFTER_SECONDS = 30;

/** Retry-After as seconds (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterSeconds(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - now) / 1000)) : undefined;
}

/**
 * Retries are few and bounded: 429/503 with Retry-After are waited out (up to {@link MAX_RETRY_AFTER_SECONDS}),
 * 5xx and connection failures retried with jittered exponential backoff, at most 3 retries. That is safe for every call we make: reads, and PUTs/DELETEs that ARM defines as idempotent (the same
 * PUT of the same desired state, or a DELETE of an already deleted resource, changes nothing further).
 */
export function aksRetryOptions(retryDelayMs: number): PipelineRetryOptions {
  return { maxRetries: AKS_MAX_RETRIES, retryDelayInMs: retryDelayMs, maxRetryDelayInMs: Math.max(retryDelayMs * 8, retryDelayMs) };
}

/** Retries after the first attempt (the pipeline's maxRetries). */
export const AKS_MAX_RETRIES = 3;

/**
 * What the pipeline's retry policy does with an answer (core-rest-pipeline's throttling and exponential strategies):
 * 429/503 with a Retry-After are waited out, 408 and 5xx other than 501/505 backed off; anything else is final.
 */
function retriedAs(status: number, retryAfter: number | undefined): 'throttled' | 'serverError' | undefined {
  if ((status === 429 || status === 503) && retryAfter !== undefined) return status === 429 ? 'throttled' : 'serverError';
  if (status === 408 || (status >= 500 && status !== 501 && status !== 505)) return 'serverError';
  return undefined;
}

/** Attempts so far per request: the retry policy sends the same request object again. */
const attempts = new WeakMap<object, number>();

export interface AksRequestPolicyOptions {
  /** Origin of the ARM endpoint (`https://management.azure.com`): no request (and so no token) goes elsewhere. */
  readonly origin: string;
  readonly requestTimeoutMs: number;
  readonly onRequest?: (line: string) => void;
}

/** The path of a URL for the log: no query string (skip tokens, api-versions), ids kept (they are not secrets). */
function logPath(url: URL): string {
  return decodeURIComponent(url.pathname);
}

/**
 * Runs once per attempt, before the bearer policy signs the request: refuses other origins (an absolute nextLink
 * or polling URL pointing elsewhere would otherwise receive the token), applies `requestTimeoutMs` to the attempt
 * (token acquisition included) and logs `> aks GET /subscriptions/… [12ms] 200`.
 */
export function aksRequestPolicy(o: AksRequestPolicyOptions): PipelinePolicy {
  return {
    name: aksRequestPolicyName,
    async sendRequest(request, next) {
      const url = new URL(request.url);
      if (url.origin !== o.origin) {
        throw new ClusterDeckError(
          'badConfig',
          `Azure sent a link to ${url.host}, outside the configured resource manager endpoint ${new URL(o.origin).host}; ClusterDeck did not follow it.`,
        );
      }
      const started = Date.now();
      const callerSignal = request.abortSignal;
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, o.requestTimeoutMs);
      const onAbort = (): void => controller.abort();
      if (callerSignal?.aborted) controller.abort();
      else callerSignal?.addEventListener('abort', onAbort, { once: true });
      request.abortSignal = controller.signal;
      const log = (outcome: string): void =>
        o.onRequest?.(`> aks ${request.method} ${logPath(url)} [${Date.now() - started}ms] ${outcome}`);
      try {
        const attempt = (attempts.get(request) ?? 0) + 1;
        attempts.set(request, attempt);
        const response = await next(request);
        const wait = retryAfterSeconds(response.headers.get('retry-after'));
        const retried = wait !== undefined && wait > MAX_RETRY_AFTER_SECONDS ? undefined : retriedAs(response.status, wait);
        // e.g. `429 throttled, retrying (1/3)`: what the user sees of a throttled listing while it is waited out.
        log(
          retried && attempt <= AKS_MAX_RETRIES
            ? `${response.status} ${retried}, retrying (${attempt}/${AKS_MAX_RETRIES})${wait !== undefined ? ` after Retry-After ${wait} s` : ''}`
            : String(response.status),
        );
        if ((response.status === 429 || response.status === 503) && wait !== undefined && wait > MAX_RETRY_AFTER_SECONDS) {
          // The SDK would sleep for as long as Azure asks: past the cap, give the wait back to the user instead.
          throw new ClusterDeckError(
            response.status === 429 ? 'throttled' : 'serverError',
            `Azure asked to wait ${wait} s before trying again (${response.status}); try again later.`,
            { status: response.status, retryAfterSeconds: wait },
          );
        }
        return response;
      } catch (e) {
        if (timedOut) {
          log('timeout');
          throw new ClusterDeckError(
            'timeout',
            `${url.host} did not answer within ${Math.round(o.requestTimeoutMs / 1000)} s; try again or raise clusterdeck.clusters.requestTimeoutMs.`,
            {},
            { cause: e },
          );
        }
        if (e instanceof ClusterDeckError) throw e;
        const err = e as { code?: unknown; name?: unknown };
        log(typeof err.code === 'string' ? err.code : typeof err.name === 'string' ? err.name : 'error');
        throw e;
      } finally {
        clearTimeout(timer);
        callerSignal?.removeEventListener('abort', onAbort);
        request.abortSignal = callerSignal;
      }
    },
  };
}
