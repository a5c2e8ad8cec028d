// node/kube over the real @kubernetes/client-node against the fake API server: our loading rules, auth,
// paging, typed errors, timeouts, cancellation, exec approval and trust.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { CancelledError, ClusterDeckError } from '../../src/core/errors';
import { execApprovalKey, type ExecApprovals } from '../../src/core/kube/execApproval';
import { resolveContext, type MergedKubeconfig } from '../../src/core/kube/kubeconfig';
import { kubeconfigPaths, loadKubeconfigs } from '../../src/node/kube/kubeconfigFiles';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';
import { closedPort } from '../e2e/fixtures';

const TOKEN = 'wire-canary-token-5c1d2e';

class MemoryApprovals implements ExecApprovals {
  readonly keys = new Set<string>();
  isApproved(key: string): boolean {
    return this.keys.has(key);
  }
  approve(key: string): Promise<void> {
    this.keys.add(key);
    return Promise.resolve();
  }
}

async function rejectsWith(p: Promise<unknown>, reason: string, message?: RegExp): Promise<ClusterDeckError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ClusterDeckError, `expected ClusterDeckError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    if (message) assert.match(e.message, message);
    assert.ok(!e.message.includes(TOKEN), 'no token in the message');
    return e;
  }
  assert.fail(`expected a ${reason} failure`);
}

describe('SdkKubeClientFactory against the fake API server', () => {
  let fake: FakeKube;
  let dir: string;
  let config: MergedKubeconfig;
  const approvals = new MemoryApprovals();
  const logLines: string[] = [];
  let trusted = true;
  const factory = (timeoutMs = 5_000) =>
    new SdkKubeClientFactory({
      requestTimeoutMs: () => timeoutMs,
      approvals,
      isTrusted: () => trusted,
      onRequest: (l) => logLines.push(l),
    });

  before(async () => {
    fake = await startFakeKube({ tls: 'tls', token: TOKEN });
    for (let i = 0; i < 25; i++)
      fake.upsert({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${String(i).padStart(2, '0')}` } });
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-wire-'));
    mkdirSync(join(dir, 'certs'));
    writeFileSync(join(dir, 'certs', 'ca.crt'), fake.ca?.certPem ?? '');
    writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
    const marker = join(dir, 'exec-ran');
    const script = join(dir, 'plugin.js');
    writeFileSync(
      script,
      `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');process.stdout.write(JSON.stringify({kind:'ExecCredential',apiVersion:'client.authentication.k8s.io/v1beta1',status:{token:${JSON.stringify(TOKEN)}}}))`,
    );
    const caData = Buffer.from(fake.ca?.certPem ?? '').toString('base64');
    const main = {
      apiVersion: 'v1',
      kind: 'Config',
      'current-context': 'good',
      clusters: [
        { name: 'fake', cluster: { server: fake.url, 'certificate-authority': 'certs/ca.crt' } },
        { name: 'fake-data', cluster: { server: fake.url, 'certificate-authority-data': caData } },
        { name: 'untrusted-ca', cluster: { server: fake.url } },
        { name: 'closed', cluster: { server: `https://127.0.0.1:${await closedPort()}` } },
        { name: 'plain', cluster: { server: fake.url.replace('https:', 'http:'), 'insecure-skip-tls-verify': true } },
      ],
      users: [
        { name: 'token-file', user: { tokenFile: 'token' } },
        { name: 'token', user: { token: TOKEN } },
        { name: 'wrong', user: { token: 'not-the-token' } },
        { name: 'exec', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: process.execPath, args: [script] } } },
      ],
      contexts: [
        { name: 'good', context: { cluster: 'fake', user: 'token-file' } },
        { name: 'data', context: { cluster: 'fake-data', user: 'token' } },
        { name: 'bad-token', context: { cluster: 'fake-data', user: 'wrong' } },
        { name: 'bad-ca', context: { cluster: 'untrusted-ca', user: 'token' } },
        { name: 'closed', context: { cluster: 'closed', user: 'token' } },
        { name: 'plain-http', context: { cluster: 'plain', user: 'token' } },
        { name: 'exec', context: { cluster: 'fake-data', user: 'exec' } },
      ],
    };
    writeFileSync(join(dir, 'config'), stringify(main));
    // A second file that tries to redefine "good": the first file wins.
    writeFileSync(join(dir, 'second'), stringify({ contexts: [{ name: 'good', context: { cluster: 'closed', user: 'token' } }] }));
    const paths = kubeconfigPaths({ KUBECONFIG: [join(dir, 'config'), join(dir, 'missing'), join(dir, 'second')].join(':') }, []);
    config = await loadKubeconfigs(paths);
    // The missing middle file is skipped with a warning (B04); nothing else is wrong.
    assert.deepEqual(
      config.problems.map((p) => [p.path, p.severity]),
      [[join(dir, 'missing'), 'warning']],
    );
  });

  after(async () => {
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('lists namespaces over TLS with a CA file and a token file resolved relative to the kubeconfig', async () => {
    const client = await factory().createClient(resolveContext(config, 'good'));
    const page = await client.listNamespaces({ signal: new AbortController().signal });
    assert.ok(page.items.some((n) => n.name === 'team-07'));
    const last = fake.requests.at(-1);
    assert.equal(last?.path, '/api/v1/namespaces');
    assert.equal(last?.headers.authorization, `Bearer ${TOKEN}`);
  });

  test('pages with limit and continue until the last page', async () => {
    const client = await factory().createClient(resolveContext(config, 'data'));
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client.listNamespaces({
        signal: new AbortController().signal,
        limit: 10,
        ...(token ? { continueToken: token } : {}),
      });
      names.push(...page.items.map((n) => n.name));
      token = page.continueToken;
      pages++;
    } while (token);
    assert.ok(pages >= 3, `pages: ${pages}`);
    assert.equal(new Set(names).size, names.length, 'no duplicates across pages');
    assert.ok(names.includes('team-24') && names.includes('default'));
  });

  test('maps 401, 403, untrusted CA and refused connections to typed, secret-free errors', async () => {
    await rejectsWith(
      factory()
        .createClient(resolveContext(config, 'bad-token'))
        .then((c) => c.listNamespaces({ signal: new AbortController().signal })),
      'unauthorized',
      /401/,
    );
    const unforbid = fake.forbid({ verb: 'list', resource: 'namespaces' });
    try {
      const e = await rejectsWith(
        factory()
          .createClient(resolveContext(config, 'data'))
          .then((c) => c.listNamespaces({ signal: new AbortController().signal })),
        'forbidden',
        /cannot list namespaces/,
      );
      assert.equal(e.detail.verb, 'list');
      assert.equal(e.detail.resource, 'namespaces');
    } finally {
      unforbid();
    }
    await rejectsWith(
      factory()
        .createClient(resolveContext(config, 'bad-ca'))
        .then((c) => c.listNamespaces({ signal: new AbortController().signal })),
      'tls',
      /not trusted/,
    );
    await rejectsWith(
      factory()
        .createClient(resolveContext(config, 'closed'))
        .then((c) => c.listNamespaces({ signal: new AbortController().signal })),
      'unreachable',
      /Cannot reach/,
    );
  });

  test('times out a slow server and cancels on request', async () => {
    const remove = fake.inject({ path: '/api/v1/namespaces', delayMs: 3_000 });
    try {
      const client = await factory(300).createClient(resolveContext(config, 'data'));
      const started = Date.now();
      await rejectsWith(client.listNamespaces({ signal: new AbortController().signal }), 'timeout');
      assert.ok(Date.now() - started < 2_000, 'the timeout fired, not the delay');
      const controller = new AbortController();
      const slow = (await factory().createClient(resolveContext(config, 'data'))).listNamespaces({ signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      await assert.rejects(slow, (e: unknown) => e instanceof CancelledError);
    } finally {
      remove();
    }
  });

  test('never sends a token over plain http', async () => {
    const before = fake.requests.length;
    await rejectsWith(factory().createClient(resolveContext(config, 'plain-http')), 'tls', /plain http/);
    assert.equal(fake.requests.length, before);
  });

  test('runs an exec credential plugin only after approval of that exact command', async () => {
    const resolved = resolveContext(config, 'exec');
    await rejectsWith(factory().createClient(resolved), 'needsApproval', /approve/);
    assert.equal(existsSync(join(dir, 'exec-ran')), false, 'the plugin did not run before approval');
    await approvals.approve(execApprovalKey(resolved.user));
    const page = await (await factory().createClient(resolved)).listNamespaces({ signal: new AbortController().signal });
    assert.ok(page.items.length > 0);
    assert.equal(existsSync(join(dir, 'exec-ran')), true, 'the approved plugin ran');
    // A changed command is a different approval.
    const changed = {
      ...resolved,
      user: { ...resolved.user, exec: { ...resolved.user.exec!, args: [...resolved.user.exec!.args, '--other'] } },
    };
    await rejectsWith(factory().createClient(changed), 'needsApproval');
  });

  test('explains a missing credential plugin before asking for approval, and contacts nothing', async () => {
    const resolved = resolveContext(config, 'exec');
    const missing = {
      ...resolved,
      user: { ...resolved.user, exec: { ...resolved.user.exec!, command: 'kubelogin-not-installed-here', installHint: '' } },
    };
    const before = fake.requests.length;
    await rejectsWith(factory().createClient(missing), 'missingPlugin', /"kubelogin-not-installed-here" of user "exec" is not installed/);
    assert.equal(fake.requests.length, before);
  });

  test('refuses to contact a cluster in an untrusted workspace', async () => {
    trusted = false;
    try {
      const before = fake.requests.length;
      await rejectsWith(factory().createClient(resolveContext(config, 'good')), 'untrusted', /Restricted Mode/);
      assert.equal(fake.requests.length, before);
    } finally {
      trusted = true;
    }
  });

  test('logs one line per request and never a secret', () => {
    assert.ok(
      logLines.some((l) => /^> kube list namespaces good \[\d+ms\] ok$/.test(l)),
      logLines.join('\n'),
    );
    assert.ok(logLines.every((l) => !l.includes(TOKEN)));
  });
});
