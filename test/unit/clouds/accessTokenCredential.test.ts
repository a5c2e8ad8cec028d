import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { jwtExpiryMs, microsoftSessionScopes } from '../../../src/core/clouds/accessTokenCredential';

const b64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

test('JWT expiry read from exp (ms); anything unreadable → undefined', () => {
  assert.equal(jwtExpiryMs(`${b64url({ alg: 'none' })}.${b64url({ exp: 1_900_000_000 })}.sig`), 1_900_000_000_000);
  for (const t of ['', 'opaque', 'a.b.c', `x.${b64url({ exp: 'soon' })}.y`]) assert.equal(jwtExpiryMs(t), undefined, t);
});

test('session scopes: the resource scope plus the tenant pseudo-scope when a tenant is set', () => {
  assert.deepEqual(microsoftSessionScopes('https://management.azure.com/.default', undefined), ['https://management.azure.com/.default']);
  assert.deepEqual(microsoftSessionScopes(['https://management.azure.com/.default'], ' contoso.onmicrosoft.com '), [
    'https://management.azure.com/.default',
    'VSCODE_TENANT:contoso.onmicrosoft.com',
  ]);
});
