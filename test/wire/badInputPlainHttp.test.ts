// Bad-input catalogue row B14 (reliability.md §3.1): `server: http://…`. Refused unless a per-cluster opt-in exists;
// never a token over http. The policy (core/kube/plainHttp.ts): plain http only without any credential, and only for
// a context the user listed in the machine setting clusterdeck.clusters.allowPlainHttp, loopback (`kubectl proxy`)
// included; insecure-skip-tls-verify is not an opt-in. Real client, fake API server.
import { mkdtempSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { ClusterDeckError } from '../../src/core/errors';
import { isLoopbackHost } from '../../src/core/kube/plainHttp';
import { mergeKubeconfigs, resolveContext, type MergedKubeconfig } from '../../src/core/kube/kubeconfig';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';
import { generateTlsMaterial } from '../fakes/tls';
import { assertNoCanary } from '../support/canaries';

const TOKEN = 'plain-http-canary-token-93ad';
const PASSWORD = 'plain-http-canary-password-51';

describe('bad-input row B14: plain http servers', () => {
  let fake: FakeKube;
  let config: MergedKubeconfig;
  const log: string[] = [];
  const factory = (allowed: readonly string[] = []) =>
    new SdkKubeClientFactory({
      requestTimeoutMs: () => 3_000,
      approvals: { isApproved: () => false, approve: () => Promise.resolve() },
      isTrusted: () => true,
      allowPlainHttp: (name) => allowed.includes(name),
      onRequest: (l) => log.push(l),
    });
  const outcome = async (context: string, allowed: readonly string[] = []): Promise<unknown> => {
    try {
      const client = await factory(allowed).createClient(resolveContext(config, context));
      return await client.listNamespaces({ signal: AbortSignal.timeout(5_000) });
    } catch (e) {
      return e;
    }
  };
  const refused = async (context: string, allowed: readonly string[] = []): Promise<ClusterDeckError> => {
    const before = fake.requests.length;
    const e = await outcome(context, allowed);
    assert.ok(e instanceof ClusterDeckError, `refused, not ${JSON.stringify(e)?.slice(0, 200)}`);
    assert.equal(e.reason, 'tls', e.message);
    assert.equal(fake.requests.length, before, 'nothing was sent');
    assertNoCanary([TOKEN, PASSWORD], [{ name: 'the error', value: e.message }]);
    return e;
  };

  before(async () => {
    fake = await startFakeKube();
    const client = await generateTlsMaterial();
    const b64 = (pem: string) => Buffer.from(pem).toString('base64');
    const port = fake.port;
    const cluster = (name: string, server: string, extra: Record<string, unknown> = {}) => ({ name, cluster: { server, ...extra } });
    config = mergeKubeconfigs([
      {
        path: '/k',
        text: stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [
            cluster('loopback', `http://127.0.0.1:${port}`),
            cluster('localhost', `http://localhost:${port}`),
            cluster('ipv6', `http://[::1]:${port}`),
            cluster('remote', `http://kube.remote.invalid:${port}`),
            cluster('remote-insecure', `http://kube.remote.invalid:${port}`, { 'insecure-skip-tls-verify': true }),
          ],
          users: [
            { name: 'anonymous', user: {} },
            { name: 'token', user: { token: TOKEN } },
            { name: 'basic', user: { username: 'admin', password: PASSWORD } },
            { name: 'cert', user: { 'client-certificate-data': b64(client.clientCertPem), 'client-key-data': b64(client.clientKeyPem) } },
          ],
          contexts: [
            { name: 'loopback', context: { cluster: 'loopback', user: 'anonymous' } },
            { name: 'localhost', context: { cluster: 'localhost', user: 'anonymous' } },
            { name: 'ipv6', context: { cluster: 'ipv6', user: 'anonymous' } },
            { name: 'remote', context: { cluster: 'remote', user: 'anonymous' } },
            { name: 'remote-other', context: { cluster: 'remote', user: 'anonymous' } },
            { name: 'remote-insecure', context: { cluster: 'remote-insecure', user: 'anonymous' } },
            { name: 'loopback-token', context: { cluster: 'loopback', user: 'token' } },
            { name: 'loopback-basic', context: { cluster: 'loopback', user: 'basic' } },
            { name: 'loopback-cert', context: { cluster: 'loopback', user: 'cert' } },
          ],
        }),
      },
    ]);
    assert.deepEqual(config.problems, []);
  });
  after(async () => {
    await fake?.close();
    assertNoCanary([TOKEN, PASSWORD], [{ name: 'the kube log', value: log.join('\n') }]);
  });

  test('plain http to this machine without the opt-in is refused before any request, naming the setting and the context', async () => {
    for (const [context, host] of [
      ['loopback', `127.0.0.1:${fake.port}`],
      ['localhost', `localhost:${fake.port}`],
      ['ipv6', `[::1]:${fake.port}`],
    ] as const) {
      const e = await refused(context);
      assert.equal(
        e.message,
        `Context "${context}" uses plain http to ${host} on this machine (a kubectl proxy?), which ClusterDeck contacts only when allowed: add "${context}" to the machine setting clusterdeck.clusters.allowPlainHttp, or use an https:// server.`,
      );
    }
    // The opt-in is per context: allowing "localhost" does not allow "loopback" (the same server).
    await refused('loopback', ['localhost']);
    assert.equal(fake.requests.length, 0, 'the http server never saw a request');
    assert.ok(!log.some((l) => l.includes('plain http')), 'no plain-http client was made');
    assert.ok(['127.0.0.1', '127.8.9.10', 'localhost', 'LOCALHOST', '[::1]'].every(isLoopbackHost));
    assert.ok(!['10.0.0.1', '128.0.0.1', 'kube.example.com', '127.0.0.1.nip.io', '::ffff:10.0.0.1'].some(isLoopbackHost));
  });

  test('with the opt-in, plain http to this machine without credentials is contacted (kubectl proxy), with a warning in the log', async () => {
    for (const context of ['loopback', 'localhost']) {
      const before = fake.requests.length;
      const page = await outcome(context, [context]);
      assert.ok(page && typeof page === 'object' && 'items' in page, `${context}: ${String(page)}`);
      assert.ok(fake.requests.length > before, `${context}: the server was contacted`);
      assert.ok(
        log.includes(
          `! kube ${context}: plain http to ${context === 'loopback' ? '127.0.0.1' : 'localhost'}:${fake.port} (unencrypted; allowed by clusterdeck.clusters.allowPlainHttp)`,
        ),
        log.join('\n'),
      );
    }
  });

  test('plain http to another machine is refused before any request, naming the opt-in; insecure-skip-tls-verify is no opt-in', async () => {
    const e = await refused('remote');
    assert.match(
      e.message,
      /^Context "remote" uses plain http to kube\.remote\.invalid:\d+, which nothing encrypts; use an https:\/\/ server, or add "remote" to the machine setting clusterdeck\.clusters\.allowPlainHttp\.$/,
    );
    await refused('remote-insecure');
  });

  test('the opt-in is per context: the listed context goes ahead (and reaches the network), another context of the same cluster is still refused', async () => {
    const e = await outcome('remote', ['remote']);
    assert.ok(e instanceof ClusterDeckError, String(e));
    // Past the policy: the request was attempted (the loopback guard has no DNS for *.invalid).
    assert.equal(e.reason, 'unreachable', e.message);
    assert.match(e.message, /Cannot resolve the host name/);
    assert.ok(
      log.some((l) =>
        /^! kube remote: plain http to kube\.remote\.invalid:\d+ \(unencrypted; allowed by clusterdeck\.clusters\.allowPlainHttp\)$/.test(
          l,
        ),
      ),
    );
    await refused('remote-other', ['remote']);
  });

  test('credentials never go over plain http, even to this machine and even when the context is allowed', async () => {
    for (const context of ['loopback-token', 'loopback-basic', 'loopback-cert']) {
      const e = await refused(context, [context]);
      assert.match(
        e.message,
        new RegExp(`^Context "${context}" would send credentials over plain http; ClusterDeck only sends them over https\\.$`),
      );
    }
    assert.ok(
      fake.requests.every((r) => r.headers.authorization === undefined),
      'no Authorization header ever reached the http server',
    );
  });

  test('an approved exec plugin of an allowed plain-http context is refused before it runs (no credential is made)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clusterdeck-plainhttp-'));
    try {
      const marker = join(dir, 'plugin-ran');
      const script = join(dir, 'plugin.js');
      writeFileSync(
        script,
        `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n` +
          `process.stdout.write(JSON.stringify({kind:'ExecCredential',apiVersion:'client.authentication.k8s.io/v1',status:{token:${JSON.stringify(TOKEN)}}}));\n`,
      );
      const execConfig = mergeKubeconfigs([
        {
          path: '/e',
          text: stringify({
            apiVersion: 'v1',
            kind: 'Config',
            clusters: [{ name: 'loopback', cluster: { server: `http://127.0.0.1:${fake.port}` } }],
            users: [
              {
                name: 'exec',
                user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [script] } },
              },
            ],
            contexts: [{ name: 'loopback-exec', context: { cluster: 'loopback', user: 'exec' } }],
          }),
        },
      ]);
      const before = fake.requests.length;
      const approving = new SdkKubeClientFactory({
        requestTimeoutMs: () => 3_000,
        approvals: { isApproved: () => true, approve: () => Promise.resolve() },
        isTrusted: () => true,
        allowPlainHttp: () => true,
        loginShellPath: () => Promise.resolve(''),
        onRequest: (l) => log.push(l),
      });
      const e = await approving.createClient(resolveContext(execConfig, 'loopback-exec')).then(
        () => undefined,
        (err: unknown) => err,
      );
      assert.ok(e instanceof ClusterDeckError, String(e));
      assert.equal(e.reason, 'tls');
      assert.match(e.message, /^Context "loopback-exec" would send credentials over plain http; ClusterDeck only sends them over https\.$/);
      assert.equal(existsSync(marker), false, 'the plugin never ran');
      assert.equal(fake.requests.length, before, 'nothing was sent');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
