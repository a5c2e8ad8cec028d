// The retry policy (reliability A3, B36, B46): Retry-After honoured for every verb with a cap and at most 10
// attempts; transient failures retried only for idempotent verbs, at most 3 attempts; never past the deadline.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseRetryAfter, retryDecision, type RetryInput } from '../../src/core/kube/retryPolicy';
import { fuzzRuns } from '../support/fuzz';

const base: RetryInput = { attempt: 1, method: 'GET', remainingMs: 30_000, random: 0.5, nowMs: 1_000_000 };

test('429 with Retry-After waits at least the asked time, for any verb (B46)', () => {
  for (const method of ['GET', 'PATCH', 'POST', 'DELETE']) {
    const d = retryDecision({ ...base, method, status: 429, retryAfter: '5' });
    assert.equal(d.retry, true, method);
    assert.ok(d.delayMs >= 5_000 && d.delayMs < 5_300, String(d.delayMs));
  }
  assert.equal(retryDecision({ ...base, status: 503, retryAfter: new Date(1_002_000).toUTCString() }).retry, true);
});

test('at most 10 attempts when throttled; a wait beyond the deadline or the cap is not taken', () => {
  assert.equal(retryDecision({ ...base, attempt: 9, status: 429, retryAfter: '1' }).retry, true);
  assert.equal(retryDecision({ ...base, attempt: 10, status: 429, retryAfter: '1' }).retry, false);
  assert.equal(retryDecision({ ...base, status: 429, retryAfter: '40', remainingMs: 120_000 }).retry, false);
  assert.equal(retryDecision({ ...base, status: 429, retryAfter: '5', remainingMs: 4_000 }).retry, false);
});

test('5xx and resets: idempotent verbs only, at most 3 attempts (B36)', () => {
  assert.equal(retryDecision({ ...base, status: 500 }).retry, true);
  assert.equal(retryDecision({ ...base, errorCode: 'ECONNRESET' }).retry, true);
  assert.equal(retryDecision({ ...base, attempt: 3, status: 503 }).retry, false);
  for (const method of ['POST', 'PATCH', 'PUT', 'DELETE']) {
    assert.equal(retryDecision({ ...base, method, status: 500 }).retry, false, method);
    assert.equal(retryDecision({ ...base, method, errorCode: 'ECONNRESET' }).retry, false, method);
  }
  for (const status of [400, 401, 403, 404, 409, 410, 422]) assert.equal(retryDecision({ ...base, status }).retry, false, String(status));
  assert.equal(retryDecision({ ...base, errorCode: 'ENOTFOUND' }).retry, false);
  assert.equal(retryDecision({ ...base, errorCode: 'ECONNREFUSED' }).retry, false);
});

test('Retry-After parsing: seconds, HTTP dates, garbage', () => {
  assert.equal(parseRetryAfter('7', 0), 7_000);
  assert.equal(parseRetryAfter('Thu, 01 Jan 1970 00:00:10 GMT', 4_000), 6_000);
  assert.equal(parseRetryAfter('soon', 0), undefined);
  assert.equal(parseRetryAfter(undefined, 0), undefined);
});

test('property: never retries past the deadline, never a non-idempotent verb without Retry-After, bounded attempts', () => {
  fc.assert(
    fc.property(
      fc.record({
        attempt: fc.integer({ min: 1, max: 20 }),
        method: fc.constantFrom('GET', 'HEAD', 'POST', 'PATCH', 'PUT', 'DELETE'),
        status: fc.option(fc.constantFrom(200, 400, 404, 409, 410, 429, 500, 502, 503, 504), { nil: undefined }),
        errorCode: fc.option(fc.constantFrom('ECONNRESET', 'ECONNREFUSED', 'ENOTFOUND', 'EPIPE'), { nil: undefined }),
        retryAfter: fc.option(fc.oneof(fc.nat({ max: 100 }).map(String), fc.string({ maxLength: 8 })), { nil: undefined }),
        remainingMs: fc.nat({ max: 120_000 }),
        random: fc.double({ min: 0, max: 0.999, noNaN: true }),
        nowMs: fc.constant(0),
      }),
      (input) => {
        const d = retryDecision(input);
        if (!d.retry) return;
        assert.ok(d.delayMs < input.remainingMs);
        assert.ok(d.delayMs >= 0 && d.delayMs <= 30_250);
        assert.ok(input.attempt < 10);
        const asked = input.status === 429 || input.status === 503 ? parseRetryAfter(input.retryAfter, 0) : undefined;
        if (asked === undefined) assert.ok(/^(GET|HEAD)$/.test(input.method) && input.attempt < 3);
        else assert.ok(d.delayMs >= asked);
      },
    ),
    { numRuns: fuzzRuns },
  );
});
