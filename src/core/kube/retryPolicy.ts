/**
 * When a Kubernetes API request is tried again (reliability A3, B36, B46), after client-go's `rest` client:
 *
 * - 429 or 503 with `Retry-After`: wait at least what the server asked (capped), up to 10 attempts in all; this
 *   holds for every verb, because API Priority and Fairness rejects the request before it is processed;
 * - 5xx without `Retry-After`, a connection reset or a refused/closed connection mid-request: only idempotent
 *   verbs (GET, HEAD, and deletes carrying a uid precondition are not retried: the caller decides), at most 3
 *   attempts, exponential backoff with jitter;
 * - nothing is ever retried past the request's deadline, and non-idempotent verbs without `Retry-After` never.
 */
export interface RetryInput {
  /** 1-based number of the attempt that just failed. */
  readonly attempt: number;
  readonly method: string;
  /** HTTP status of the failed attempt, when the server answered. */
  readonly status?: number;
  /** Node error code of a failed connection (ECONNRESET, …), when it did not answer. */
  readonly errorCode?: string;
  /** The raw `Retry-After` header (seconds or an HTTP date). */
  readonly retryAfter?: string;
  /** Milliseconds left before the request's deadline. */
  readonly remainingMs: number;
  /** Uniform in [0, 1): jitter. */
  readonly random: number;
  /** Now, for HTTP-date `Retry-After` values. */
  readonly nowMs: number;
}

export interface RetryDecision {
  readonly retry: boolean;
  readonly delayMs: number;
  /** Why (for the one log line): `throttled`, `server error`, `connection reset`. */
  readonly why?: string;
}

export const maxThrottledAttempts = 10;
export const maxTransientAttempts = 3;
/** The longest single wait we honour from `Retry-After`. */
export const maxRetryAfterMs = 30_000;

const transientCodes = /^(ECONNRESET|EPIPE|ECONNABORTED|ERR_STREAM_PREMATURE_CLOSE|UND_ERR_SOCKET)$/;

/** Parses `Retry-After` (delta seconds or an HTTP date) into milliseconds; undefined when absent or invalid. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

export function isIdempotent(method: string): boolean {
  return /^(GET|HEAD|OPTIONS)$/i.test(method);
}

export function retryDecision(input: RetryInput): RetryDecision {
  const no: RetryDecision = { retry: false, delayMs: 0 };
  const { attempt, method, status, errorCode, remainingMs, random } = input;
  const asked = status === 429 || status === 503 ? parseRetryAfter(input.retryAfter, input.nowMs) : undefined;
  if (asked !== undefined) {
    if (attempt >= maxThrottledAttempts) return no;
    // At least what the server asked, plus a little jitter so many clients do not return in step.
    const delayMs = Math.min(maxRetryAfterMs, asked) + Math.round(250 * random);
    if (delayMs >= remainingMs || asked > maxRetryAfterMs) return no;
    return { retry: true, delayMs, why: status === 429 ? 'throttled' : 'server unavailable' };
  }
  if (!isIdempotent(method) || attempt >= maxTransientAttempts) return no;
  const transient =
    (status !== undefined && (status === 429 || status === 500 || status === 502 || status === 503 || status === 504)) ||
    (errorCode !== undefined && transientCodes.test(errorCode));
  if (!transient) return no;
  const ceiling = Math.min(4_000, 250 * 2 ** (attempt - 1));
  const delayMs = Math.round(ceiling / 2 + (ceiling / 2) * random);
  if (delayMs >= remainingMs) return no;
  return { retry: true, delayMs, why: status === undefined ? 'connection reset' : status === 429 ? 'throttled' : 'server error' };
}
