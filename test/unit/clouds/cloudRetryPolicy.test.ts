// The explicit read retry policy of the clouds we retry ourselves (GKE): figures, Retry-After honoured and capped.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { cloudReadRetryPolicy, cloudRetryDecision } from '../../../src/core/clouds/cloudRetryPolicy';

describe('cloud read retry policy', () => {
  test('the policy is explicit: 4 attempts, 30 s Retry-After cap, gax and AWS backoff figures', () => {
    assert.deepEqual(cloudReadRetryPolicy, {
      maxAttempts: 4,
      unavailableBaseMs: 100,
      unavailableMultiplier: 1.3,
      unavailableMaxMs: 2_000,
      throttledBaseMs: 500,
      throttledMaxMs: 20_000,
      maxRetryAfterMs: 30_000,
    });
  });

  test('without Retry-After: exponential backoff, throttling slower than unavailability, at most 3 retries', () => {
    const delays = (cause: 'unavailable' | 'throttled') =>
      [1, 2, 3, 4].map((attempt) => cloudRetryDecision({ attempt, cause, remainingMs: 600_000 }));
    assert.deepEqual(
      delays('unavailable').map((d) => (d.retry ? d.delayMs : 'stop')),
      [100, 130, 169, 'stop'],
    );
    assert.deepEqual(
      delays('throttled').map((d) => (d.retry ? `${d.delayMs} (${d.retryNumber}/${d.ofRetries})` : 'stop')),
      ['500 (1/3)', '1000 (2/3)', '2000 (3/3)', 'stop'],
    );
  });

  test('Retry-After is a floor on the wait, never shortened to the backoff', () => {
    assert.deepEqual(cloudRetryDecision({ attempt: 1, cause: 'throttled', retryAfterMs: 7_000, remainingMs: 30_000 }), {
      retry: true,
      delayMs: 7_000,
      retryNumber: 1,
      ofRetries: 3,
    });
    // Retry-After: 0 does not make a tight loop: the backoff still applies.
    const zero = cloudRetryDecision({ attempt: 2, cause: 'unavailable', retryAfterMs: 0, remainingMs: 30_000 });
    assert.ok(zero.retry && zero.delayMs === 130);
  });

  test('a Retry-After past the 30 s cap, or past the deadline, is not slept through: the asked wait is handed back', () => {
    assert.deepEqual(cloudRetryDecision({ attempt: 1, cause: 'throttled', retryAfterMs: 120_000, remainingMs: 600_000 }), {
      retry: false,
      askedWaitMs: 120_000,
    });
    assert.deepEqual(cloudRetryDecision({ attempt: 1, cause: 'throttled', retryAfterMs: 30_000, remainingMs: 600_000 }).retry, true);
    assert.deepEqual(cloudRetryDecision({ attempt: 1, cause: 'unavailable', retryAfterMs: 10_000, remainingMs: 5_000 }), {
      retry: false,
      askedWaitMs: 10_000,
    });
    // No Retry-After and no time left: simply no retry.
    assert.deepEqual(cloudRetryDecision({ attempt: 1, cause: 'throttled', remainingMs: 300 }), { retry: false });
  });
});
