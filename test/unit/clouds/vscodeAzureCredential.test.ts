// The Azure credential over VS Code's Microsoft sign-in (host/clouds/vscodeAzureCredential.ts) with a scripted
// `vscode`: silent in the background, tenant pseudo-scope, JWT expiry, sign-in and sign-out.
import { before, beforeEach, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ClusterDeckError } from '../../../src/core/errors';
import { installVscodeStub, type VscodeStub } from '../../support/vscodeStub';

let stub: VscodeStub;
before(() => {
  stub = installVscodeStub();
});
beforeEach(() => stub.reset());

const jwt = (exp: number) => `${Buffer.from('{}').toString('base64url')}.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.sig`;

async function credential(tenant = '', endpoint = '') {
  const { createVscodeAzureCredential } = await import('../../../src/host/clouds/vscodeAzureCredential');
  return createVscodeAzureCredential({ tenant: () => tenant || undefined, resourceManagerEndpoint: () => endpoint || undefined });
}

test('getToken is silent (never prompts), adds the tenant, and reads the expiry from the token', async () => {
  stub.session = { accessToken: jwt(2_000_000_000), account: { label: 'me@contoso.com' } };
  const cred = await credential('contoso.onmicrosoft.com');
  const token = await cred.getToken('https://management.azure.com/.default');
  assert.deepEqual(token, { token: stub.session.accessToken, expiresOnTimestamp: 2_000_000_000_000, tokenType: 'Bearer' });
  assert.deepEqual(stub.sessionCalls, [
    {
      provider: 'microsoft',
      scopes: ['https://management.azure.com/.default', 'VSCODE_TENANT:contoso.onmicrosoft.com'],
      options: { silent: true },
    },
  ]);
});

test('without a session: unauthorized naming the Sign in step; Sign in prompts for the management scope', async () => {
  const cred = await credential('', 'https://management.usgovcloudapi.net/');
  await assert.rejects(
    cred.getToken(['https://management.azure.com/.default']),
    (e: unknown) => e instanceof ClusterDeckError && e.reason === 'unauthorized' && /Sign in to Azure/.test(e.message),
  );
  stub.session = { accessToken: 'opaque', account: { label: 'me@contoso.com' } };
  assert.equal(await cred.signIn(), 'me@contoso.com');
  assert.deepEqual(stub.sessionCalls.at(-1), {
    provider: 'microsoft',
    scopes: ['https://management.usgovcloudapi.net/.default'],
    options: { createIfNone: true },
  });
  const t = await cred.getToken('x/.default');
  assert.ok(
    t && t.expiresOnTimestamp > Date.now() && t.expiresOnTimestamp <= Date.now() + 5 * 60_000,
    'opaque token: asked again within 5 min',
  );
});

test('after Sign out the session is not used until the next Sign in', async () => {
  stub.session = { accessToken: jwt(2_000_000_000), account: { label: 'me' } };
  const cred = await credential();
  cred.signOut();
  await assert.rejects(cred.getToken('x/.default'), (e: unknown) => e instanceof ClusterDeckError && e.reason === 'unauthorized');
  assert.equal(stub.sessionCalls.length, 0);
  await cred.signIn();
  assert.ok(await cred.getToken('x/.default'));
});

test('a sovereign authority host signs in through VS Code’s microsoft-sovereign-cloud provider; the public one through microsoft', async () => {
  const { createVscodeAzureCredential, microsoftAuthProvider } = await import('../../../src/host/clouds/vscodeAzureCredential');
  assert.equal(microsoftAuthProvider(undefined), 'microsoft');
  assert.equal(microsoftAuthProvider('https://login.microsoftonline.com/'), 'microsoft');
  assert.equal(microsoftAuthProvider('https://login.microsoftonline.us'), 'microsoft-sovereign-cloud');
  stub.session = { accessToken: jwt(2_000_000_000), account: { label: 'me@agency.gov' } };
  const cred = createVscodeAzureCredential({
    tenant: () => undefined,
    resourceManagerEndpoint: () => 'https://management.usgovcloudapi.net',
    authorityHost: () => 'https://login.microsoftonline.us',
  });
  await cred.getToken('https://management.usgovcloudapi.net/.default');
  await cred.signIn();
  assert.deepEqual(
    stub.sessionCalls.map((c) => [c.provider, c.scopes[0]]),
    [
      ['microsoft-sovereign-cloud', 'https://management.usgovcloudapi.net/.default'],
      ['microsoft-sovereign-cloud', 'https://management.usgovcloudapi.net/.default'],
    ],
  );
});
