// Bad-input catalogue row B14 (reliability.md §3.1): `server: http://…`. Refused unless a per-cluster opt-in exists;
// never a token over http. The policy (core/kube/plainHttp.ts): plain http only without any credential, and only to
// this machine (loopback: `kubectl proxy`) or for a context the user listed in the machine setting
// clusterdeck.clusters.allowPlainHttp; insecure-skip-tls-verify is not an opt-in. Real client, fake API server.
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

  test('plain http to this machine without credentials is contacted (kubectl proxy), with a warning in the log', async () => {
    for (const context of ['loopback', 'localhost']) {
      const page = await outcome(context);
      assert.ok(page && typeof page === 'object' && 'items' in page, `${context}: ${String(page)}`);
      assert.ok(
        log.some(
          (l) =>
            l ===
            `! kube ${context}: plain http to ${context === 'loopback' ? '127.0.0.1' : 'localhost'}:${fake.port} (unencrypted; this machine only)`,
        ),
        log.join('\n'),
      );
    }
    assert.ok(['127.0.0.1', '127.8.9.10', 'localhost', 'LOCALHOST', '[::1]'].every(isLoopbackHost));
    assert.ok(!['10.0.0.1', '128.0.0.1', 'kube.example.com', '127.0.0.1.nip.io', '::ffff:10.0.0.1'].some(isLoopbackHost));
  });

  test('plain http to another machine is refused before any request, naming the opt-in; insecure-skip-tls-verify is no opt-in', async () => {
    const e = await refused('remote');
    assert.match(
      e.message,
      /^Context "remote" uses plain http to kube\.remote\.invalid:\d+, which nothing encrypts; use an https:\/\/ server, or allow this context in the machine setting clusterdeck\.clusters\.allowPlainHttp\.$/,
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
});
