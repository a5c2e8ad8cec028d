import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CancelledError, ClusterDeckError } from '../../../src/core/errors';
import { mapEksError } from '../../../src/node/clouds/eks/eksErrors';

const ctx = { profile: 'dev', region: 'eu-west-1', operation: 'ListClusters' };
const reasonOf = (e: unknown, extra: Partial<typeof ctx & { sso: boolean; timeoutMs: number }> = {}) => {
  const mapped = mapEksError(e, { ...ctx, ...extra });
  return mapped instanceof ClusterDeckError ? [mapped.reason, mapped.message] : ['cancelled', ''];
};
const aws = (name: string, status: number, message = 'm') =>
  Object.assign(new Error(message), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });

test('AWS error names map to reasons with a next step', () => {
  assert.equal(reasonOf(aws('ResourceNotFoundException', 404))[0], 'notFound');
  assert.equal(reasonOf(aws('AccessDeniedException', 403))[0], 'forbidden');
  for (const n of ['UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'InvalidClientTokenId']) {
    assert.equal(reasonOf(aws(n, 403))[0], 'unauthorized', n);
  }
  assert.match(reasonOf(aws('ExpiredTokenException', 403))[1] ?? '', /session credentials of profile "dev" have expired/);
  assert.match(reasonOf(aws('ExpiredTokenException', 403), { sso: true })[1] ?? '', /Run `aws sso login --profile dev`, then refresh\./);
  assert.equal(reasonOf(aws('ThrottlingException', 429))[0], 'throttled');
  assert.equal(reasonOf(aws('WeirdException', 429))[0], 'throttled', 'any 429');
  assert.equal(reasonOf(aws('ResourceInUseException', 409))[0], 'conflict');
  assert.equal(reasonOf(aws('InvalidParameterException', 400))[0], 'invalid');
  assert.equal(reasonOf(aws('ServiceUnavailableException', 503))[0], 'serverError');
  const html = Object.assign(new SyntaxError('Unexpected token < in JSON'), { $response: { statusCode: 502 } });
  assert.deepEqual(reasonOf(html), ['serverError', 'EKS in eu-west-1 answered 502 (a server error); try again later.']);
  assert.equal(reasonOf(Object.assign(new Error('x'), { name: 'CredentialsProviderError' }))[0], 'unauthorized');
});

test('network failures, timeouts and cancellation', () => {
  assert.deepEqual(reasonOf(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))[0], 'unreachable');
  assert.deepEqual(reasonOf(Object.assign(new Error('getaddrinfo ENOTFOUND x'), { code: 'ENOTFOUND' }))[0], 'unreachable');
  assert.deepEqual(reasonOf(Object.assign(new Error('Request timed out'), { name: 'TimeoutError' }), { timeoutMs: 30_000 }), [
    'timeout',
    'EKS in eu-west-1 did not answer within 30 s; check your network or proxy, then refresh.',
  ]);
  const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
  assert.ok(mapEksError(abort, ctx) instanceof CancelledError);
});

test('echoed AWS messages are redacted and cut to one line', () => {
  const [, message] = reasonOf(aws('InvalidParameterException', 400, 'bad value token=abc123secret\nsecond line'));
  assert.ok(!message?.includes('abc123secret'), message);
  assert.ok(!message?.includes('second line'));
});
