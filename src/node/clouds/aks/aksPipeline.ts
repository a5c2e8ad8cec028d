// The pieces both ARM clients share (the SDK's ContainerServiceClient and our small subscriptions client): one
// policy that keeps the bearer token on the configured endpoint, puts a deadline on every attempt and logs one
// secret-free line per request, and the retry settings.
import type { PipelinePolicy, PipelineRetryOptions } from '@azure/core-rest-pipeline';
import { ClusterDeckError } from '../../../core/errors';

export const aksRequestPolicyName = 'clusterdeckAksRequest';

/**
 * Retries are few and bounded: 429/503 with Retry-After are waited out, 5xx and connection failures retried with
 * backoff. That is safe for every call we make: reads, and PUTs/DELETEs that ARM defines as idempotent (the same
 * PUT of the same desired state, or a DELETE of an already deleted resource, changes nothing further).
 */
export function aksRetryOptions(retryDelayMs: number): PipelineRetryOptions {
  return { maxRetries: 3, retryDelayInMs: retryDelayMs, maxRetryDelayInMs: Math.max(retryDelayMs * 8, retryDelayMs) };
}

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
        const response = await next(request);
        log(String(response.status));
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
