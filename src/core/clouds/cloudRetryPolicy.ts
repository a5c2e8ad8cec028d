/**
 * The retry policy of cloud reads that we drive ourselves (GKE: google-gax's own retries are switched off for every
 * call, so this is the whole policy; reliability.md C1, issue #9 point 10). Pure, so the figures are tested directly.
 *
 * - Only reads are retried. Mutations are sent once (CreateCluster/CreateNodePool are `non_idempotent` in gax).
 * - A read is retried when the service is unavailable (no answer, a reset, 503) or throttling (429 that is not a
 *   quota), at most {@link cloudReadRetryPolicy.maxAttempts} attempts in all.
 * - `Retry-After` on 429/503 is honoured: the wait is at least what the service asked. A wait longer than
 *   {@link cloudReadRetryPolicy.maxRetryAfterMs}, or one that would pass the call's deadline, is not slept
 *   through: the call fails at once and the message names the wait.
 * - Without `Retry-After` the backoff is exponential: 100 ms × 1.3ⁿ (≤ 2 s) when unavailable (gax's figures),
 *   500 ms × 2ⁿ (≤ 20 s) when throttled (the AWS SDK's throttling base and maximum). No jitter: a single user's
 *   editor, and the figures stay testable.
 */
export const cloudReadRetryPolicy = {
  /** Attempts in all, the first included (3 retries, like the Azure pipeline's maxRetries 3). */
  maxAttempts: 4,
  unavailableBaseMs: 100,
  unavailableMultiplier: 1.3,
  unavailableMaxMs: 2_000,
  throttledBaseMs: 500,
  throttledMaxMs: 20_000,
  /** The longest `Retry-After` waited out inside one call (the same cap as AKS and the Kubernetes API). */
  maxRetryAfterMs: 30_000,
} as const;

/** Why the last attempt failed, as far as retrying is concerned. */
export type CloudRetryCause = 'unavailable' | 'throttled';

export interface CloudRetryInput {
  /** 1-based number of the attempt that just failed. */
  readonly attempt: number;
  readonly cause: CloudRetryCause;
  /** The service's `Retry-After` in milliseconds (see parseRetryAfter in core/kube/retryPolicy), when it sent one. */
  readonly retryAfterMs?: number;
  /** Milliseconds left before the call's deadline. */
  readonly remainingMs: number;
}

export type CloudRetryDecision =
  | { readonly retry: true; readonly delayMs: number; readonly retryNumber: number; readonly ofRetries: number }
  | {
      readonly retry: false;
      /** Set when the service asked for a wait we do not sleep through (past the cap or the deadline). */
      readonly askedWaitMs?: number;
    };

/** Whether and when to send a failed read again. */
export function cloudRetryDecision(input: CloudRetryInput): CloudRetryDecision {
  const p = cloudReadRetryPolicy;
  const n = Math.max(1, input.attempt);
  const backoff =
    input.cause === 'throttled'
      ? Math.min(p.throttledMaxMs, p.throttledBaseMs * 2 ** (n - 1))
      : Math.min(p.unavailableMaxMs, Math.round(p.unavailableBaseMs * p.unavailableMultiplier ** (n - 1)));
  const asked = input.retryAfterMs;
  if (asked !== undefined && asked > p.maxRetryAfterMs) return { retry: false, askedWaitMs: asked };
  if (n >= p.maxAttempts) return { retry: false };
  const delayMs = asked !== undefined ? Math.max(asked, backoff) : backoff;
  // Keep a little of the budget for the attempt itself.
  if (delayMs >= input.remainingMs - 100) return asked !== undefined ? { retry: false, askedWaitMs: asked } : { retry: false };
  return { retry: true, delayMs, retryNumber: n, ofRetries: p.maxAttempts - 1 };
}
