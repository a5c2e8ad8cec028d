// `clusterdeck token aks` end to end: a child process running the CLI with a service principal in its environment;
// @azure/identity's ClientSecretCredential signs in at the fake's token endpoint (AZURE_AUTHORITY_HOST), trusting
// the fake's CA through NODE_EXTRA_CA_CERTS, and the provider reads the cluster from the same fake.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/main';
import { startAksFake, type AksFake } from '../fakes/clouds/aksFake';

const SUB = '5c0ffee0-0000-4000-8000-000000000001';
const TENANT = '5c0ffee0-0000-4000-8000-00000000000a';
const CLIENT_ID = '5c0ffee0-0000-4000-8000-0000000000c1';
const SECRET = 'sp-secret-canary-71c2';
const LOCAL_TOKEN = 'aks-local-canary-cli-3b9d';
const root = resolve(__dirname, '..', '..');

interface Run {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI from source, or the bundle (`dist/cli.js`, built by `pretest`) with `bundle`. */
function runCli(args: string[], env: Record<string, string>, bundle = false): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', '--import', './test/support/loopbackGuard.ts', bundle ? 'dist/cli.js' : 'src/cli/main.ts', ...args],
      { cwd: root, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout, err: stderr }),
    );
  });
}

describe('clusterdeck token aks', () => {
  let fake: AksFake;
  let dir = '';
  let env: Record<string, string> = {};

  before(async () => {
    fake = await startAksFake({
      clusters: [
        {
          subscription: SUB,
          resourceGroup: 'rg-apps',
          name: 'entra',
          location: 'westeurope',
          kubernetesVersion: '1.33.2',
          fqdn: 'entra.hcp.westeurope.azmk8s.io',
          aad: { managed: true, tenantID: TENANT },
          disableLocalAccounts: true,
          agentPools: [{ name: 'system', vmSize: 'Standard_D2s_v5', count: 1, mode: 'System', orchestratorVersion: '1.33.2' }],
        },
        {
          subscription: SUB,
          resourceGroup: 'rg-apps',
          name: 'local',
          location: 'westeurope',
          kubernetesVersion: '1.33.2',
          fqdn: 'local.hcp.westeurope.azmk8s.io',
          localToken: LOCAL_TOKEN,
          agentPools: [{ name: 'system', vmSize: 'Standard_D2s_v5', count: 1, mode: 'System', orchestratorVersion: '1.33.2' }],
        },
      ],
      clientSecrets: { [CLIENT_ID]: SECRET },
    });
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-aks-cli-'));
    writeFileSync(join(dir, 'ca.pem'), fake.caPem);
    env = {
      AZURE_TENANT_ID: TENANT,
      AZURE_CLIENT_ID: CLIENT_ID,
      AZURE_CLIENT_SECRET: SECRET,
      AZURE_AUTHORITY_HOST: fake.url,
      NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem'),
    };
  });

  after(async () => {
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const args = (name: string): string[] => [
    'token',
    'aks',
    '--cluster',
    name,
    '--resource-group',
    'rg-apps',
    '--subscription',
    SUB,
    '--resource-manager-endpoint',
    fake.url,
  ];

  test('a service principal (client secret) gets an Entra ID token for the AKS server application', async () => {
    const r = await runCli(args('entra'), env);
    assert.equal(r.code, 0, r.err);
    const cred = JSON.parse(r.out) as {
      kind: string;
      apiVersion: string;
      spec: object;
      status: { token: string; expirationTimestamp: string };
    };
    assert.equal(cred.kind, 'ExecCredential');
    assert.equal(cred.apiVersion, 'client.authentication.k8s.io/v1');
    assert.deepEqual(cred.spec, {});
    assert.equal(cred.status.token, 'fake-token-for-6dae42f8-4368-4678-94ff-3960e28e3630/.default');
    assert.ok(Date.parse(cred.status.expirationTimestamp) > Date.now() + 30 * 60_000, cred.status.expirationTimestamp);
    const tokenCalls = fake.records.filter((r) => /\/oauth2\/v2\.0\/token$/.test(r.path));
    const scopes = tokenCalls.map((r) => new URLSearchParams(r.body).get('scope'));
    assert.ok(scopes.includes(`${fake.url}/.default`), scopes.join());
    assert.ok(scopes.includes('6dae42f8-4368-4678-94ff-3960e28e3630/.default'), scopes.join());
    assert.ok(tokenCalls.every((t) => t.path === `/${TENANT}/oauth2/v2.0/token`));
    assert.ok(!r.err.includes(SECRET) && !r.err.includes('fake-token-for'), r.err);
  });

  test('the bundled CLI (dist/cli.js, Azure SDK inside) prints the same ExecCredential', async () => {
    const r = await runCli(args('entra'), env, true);
    assert.equal(r.code, 0, r.err);
    assert.equal(
      (JSON.parse(r.out) as { status: { token: string } }).status.token,
      'fake-token-for-6dae42f8-4368-4678-94ff-3960e28e3630/.default',
    );
  });

  test('a cluster with local accounts only answers with its user credential token', async () => {
    const r = await runCli(args('local'), env);
    assert.equal(r.code, 0, r.err);
    assert.equal((JSON.parse(r.out) as { status: { token: string } }).status.token, LOCAL_TOKEN);
  });

  test('without a client secret, a device-code sign-in is prompted on stderr and the token still goes to stdout', async () => {
    const interactive = { ...env };
    delete interactive.AZURE_CLIENT_SECRET;
    delete interactive.AZURE_CLIENT_ID;
    const before = fake.records.length;
    const r = await runCli(args('entra'), interactive);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /enter the code FAKE-CODE to authenticate/);
    assert.ok(!r.out.includes('FAKE-CODE'));
    assert.equal(
      (JSON.parse(r.out) as { status: { token: string } }).status.token,
      'fake-token-for-6dae42f8-4368-4678-94ff-3960e28e3630/.default',
    );
    const recs = fake.records.slice(before);
    assert.ok(recs.some((x) => x.path === `/${TENANT}/oauth2/v2.0/devicecode`));
  });

  test('--auth entra makes no ARM call: one device-code prompt, the AKS token on stdout', async () => {
    const interactive = { ...env };
    delete interactive.AZURE_CLIENT_SECRET;
    const before = fake.records.length;
    const r = await runCli([...args('entra'), '--auth', 'entra'], interactive);
    assert.equal(r.code, 0, r.err);
    assert.equal((r.err.match(/FAKE-CODE/g) ?? []).length, 1, r.err);
    assert.equal(
      (JSON.parse(r.out) as { status: { token: string } }).status.token,
      'fake-token-for-6dae42f8-4368-4678-94ff-3960e28e3630/.default',
    );
    const recs = fake.records.slice(before);
    assert.ok(!recs.some((x) => x.path.startsWith('/subscriptions/')), 'no ARM request');
    assert.ok(
      recs.every((x) => !new URLSearchParams(x.body).get('scope')?.includes(`${fake.url}/.default`)),
      'no ARM token',
    );
    assert.ok(!recs.some((x) => /client_secret/.test(x.body)));
  });

  test('a wrong secret fails with exit 1 and a sign-in sentence, no secret printed', async () => {
    const r = await runCli(args('entra'), { ...env, AZURE_CLIENT_SECRET: 'wrong-secret' });
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.match(r.err, /clusterdeck token aks: .*sign in to Azure again/);
    assert.ok(!r.err.includes('wrong-secret'));
  });

  test('usage errors exit 2 before any request', async () => {
    const io = (sink: string[]) => ({
      out: (s: string) => sink.push(s),
      err: (s: string) => sink.push(s),
      cwd: root,
      isTty: false,
      readStdin: () => Promise.resolve(''),
      version: '0',
    });
    const lines: string[] = [];
    const before = fake.records.length;
    assert.equal(await main(['token', 'aks', '--cluster', 'x'], io(lines), {}), 2);
    assert.match(lines.join('\n'), /--resource-group is required/);
    assert.equal(await main(['token', 'nope'], io(lines), {}), 2);
    assert.equal(await main(['token', 'aks', ...args('x').slice(2)], io(lines), { AZURE_CLIENT_SECRET: 's' }), 2);
    assert.match(lines.join('\n'), /AZURE_CLIENT_SECRET is set but/);
    assert.equal(fake.records.length, before);
  });
});
