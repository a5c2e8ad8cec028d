// Exec credential plugins run by our own runner (node/kube/execPluginRunner.ts), through the real factory and
// client against the fake API server: small node scripts as plugins, run with process.execPath as the command.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ClusterDeckError } from '../../src/core/errors';
import type { ExecPrompt } from '../../src/core/kube/execCredential';
import { detectExecPrompt, isCredentialStale } from '../../src/core/kube/execCredential';
import { resolveContext } from '../../src/core/kube/kubeconfig';
import { kubeconfigPaths, loadKubeconfigs } from '../../src/node/kube/kubeconfigFiles';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';

const TOKEN = 'exec-canary-token-0b7e4d';
const API = 'client.authentication.k8s.io/v1beta1';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('exec credential plugins (our runner) against the fake API server', () => {
  let fake: FakeKube;
  let dir: string;
  let n = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-exec-'));
    fake = await startFakeKube({ tls: 'tls', token: TOKEN });
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes a plugin script and a kubeconfig whose user runs it; returns a client factory and the counter file. */
  async function setup(body: string, o: { timeoutMs?: number; env?: { name: string; value: string }[] } = {}) {
    const id = ++n;
    const script = join(dir, `plugin-${id}.js`);
    const counter = join(dir, `runs-${id}`);
    writeFileSync(
      script,
      `const fs = require('fs');\nconst counter = ${JSON.stringify(counter)};\n` +
        `const run = (fs.existsSync(counter) ? Number(fs.readFileSync(counter, 'utf8')) : 0) + 1;\nfs.writeFileSync(counter, String(run));\n` +
        `const out = (status) => process.stdout.write(JSON.stringify({ kind: 'ExecCredential', apiVersion: ${JSON.stringify(API)}, status }));\n` +
        `const TOKEN = ${JSON.stringify(TOKEN)};\n${body}\n`,
    );
    const base = parse(fake.kubeconfig({ contextName: 'x' })) as { clusters: unknown[] };
    const file = join(dir, `kubeconfig-${id}.yaml`);
    writeFileSync(
      file,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: base.clusters,
        users: [
          {
            name: `plugin-user-${id}`,
            user: { exec: { apiVersion: API, command: process.execPath, args: [script], env: o.env ?? [], provideClusterInfo: true } },
          },
        ],
        contexts: [{ name: 'x', context: { cluster: (base.clusters[0] as { name: string }).name, user: `plugin-user-${id}` } }],
        'current-context': 'x',
      }),
    );
    const config = await loadKubeconfigs(kubeconfigPaths({ KUBECONFIG: file }, []));
    const prompts: { at: number; prompt: ExecPrompt }[] = [];
    const factory = new SdkKubeClientFactory({
      requestTimeoutMs: () => 5_000,
      approvals: { isApproved: () => true, approve: () => Promise.resolve() },
      isTrusted: () => true,
      execTimeoutMs: () => o.timeoutMs ?? 10_000,
      onExecPrompt: (_ctx, prompt) => prompts.push({ at: Date.now(), prompt }),
    });
    const runs = (): number => (existsSync(counter) ? Number(readFileSync(counter, 'utf8')) : 0);
    return { factory, resolved: resolveContext(config, 'x'), runs, prompts, script };
  }

  const signal = () => new AbortController().signal;

  test('a token: the plugin runs once (with KUBERNETES_EXEC_INFO and the kubeconfig env), the request carries it', async () => {
    const envFile = join(dir, 'env.json');
    const s = await setup(
      `fs.writeFileSync(${JSON.stringify(envFile)}, JSON.stringify({ info: process.env.KUBERNETES_EXEC_INFO, extra: process.env.PLUGIN_REGION }));\nout({ token: TOKEN });`,
      { env: [{ name: 'PLUGIN_REGION', value: 'eu-west-1' }] },
    );
    fake.clearRequests();
    const client = await s.factory.createClient(s.resolved);
    await client.listNamespaces({ signal: signal() });
    await client.listTable({ kind: 'Pod', plural: 'pods', group: '', version: 'v1', namespaced: true, label: 'Pods' }, 'default', {
      signal: signal(),
    });
    assert.equal(s.runs(), 1, 'one run serves both requests');
    assert.ok(fake.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`));
    const env = JSON.parse(readFileSync(envFile, 'utf8')) as { info: string; extra: string };
    assert.equal(env.extra, 'eu-west-1');
    const info = JSON.parse(env.info) as { kind: string; apiVersion: string; spec: { interactive: boolean; cluster?: { server: string } } };
    assert.equal(info.kind, 'ExecCredential');
    assert.equal(info.apiVersion, API);
    assert.equal(info.spec.interactive, false);
    assert.equal(info.spec.cluster?.server, fake.url);
    // Another client for the same user reuses the cached credential.
    await (await s.factory.createClient(s.resolved)).listNamespaces({ signal: signal() });
    assert.equal(s.runs(), 1);
  });

  test('expiry: a credential is reused while valid and fetched again shortly before it expires', async () => {
    const s = await setup(`out({ token: TOKEN, expirationTimestamp: new Date(Date.now() + 2000).toISOString() });`);
    const client = await s.factory.createClient(s.resolved);
    await client.listNamespaces({ signal: signal() });
    await client.listNamespaces({ signal: signal() });
    assert.equal(s.runs(), 1);
    await new Promise((r) => setTimeout(r, 1700)); // within a quarter of the 2 s lifetime of the expiry
    await client.listNamespaces({ signal: signal() });
    assert.equal(s.runs(), 2, 'refreshed before expiry');
    assert.equal(isCredentialStale({ token: 't', expiresAtMs: 10_000_000 }, 0, 10_000_000 - 61_000), false);
    assert.equal(isCredentialStale({ token: 't', expiresAtMs: 10_000_000 }, 0, 10_000_000 - 59_000), true);
  });

  test('a 401 runs the plugin again once and retries the request once', async () => {
    const s = await setup(`out({ token: run === 1 ? 'revoked-token' : TOKEN });`);
    fake.clearRequests();
    const client = await s.factory.createClient(s.resolved);
    const page = await client.listNamespaces({ signal: signal() });
    assert.ok(page.items.length > 0);
    assert.equal(s.runs(), 2);
    assert.deepEqual(
      fake.requests.map((r) => r.headers.authorization),
      ['Bearer revoked-token', `Bearer ${TOKEN}`],
    );

    const bad = await setup(`out({ token: 'always-wrong-' + run });`);
    fake.clearRequests();
    await assert.rejects(
      (await bad.factory.createClient(bad.resolved)).listNamespaces({ signal: signal() }),
      (e: unknown) => e instanceof ClusterDeckError && e.reason === 'unauthorized',
    );
    assert.equal(bad.runs(), 2, 're-run once, not in a loop');
    assert.equal(fake.requests.length, 2, 'retried once');
  });

  test('a hanging plugin is stopped at the timeout, with its child process', async () => {
    const pids = join(dir, 'pids.json');
    const s = await setup(
      `const { spawn } = require('child_process');\n` +
        `const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });\n` +
        `fs.writeFileSync(${JSON.stringify(pids)}, JSON.stringify([process.pid, child.pid]));\nsetInterval(() => {}, 1000);`,
      { timeoutMs: 1500 },
    );
    const started = Date.now();
    await assert.rejects(
      (await s.factory.createClient(s.resolved)).listNamespaces({ signal: signal() }),
      (e: unknown) => e instanceof ClusterDeckError && e.reason === 'timeout' && /did not finish within 2 s/.test(e.message),
    );
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 1400 && elapsed < 4000, `timed out after ${elapsed} ms`);
    const [plugin, grandchild] = JSON.parse(readFileSync(pids, 'utf8')) as [number, number];
    const deadline = Date.now() + 3000;
    while ((isAlive(plugin) || isAlive(grandchild)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(isAlive(plugin), false, 'the plugin is gone');
    assert.equal(isAlive(grandchild), false, 'its child is gone too');
  });

  test('a device-code prompt on stderr reaches the user within 2 s while the plugin waits', async () => {
    const s = await setup(
      `process.stderr.write('To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCD-EFGH to authenticate.\\n');\n` +
        `setTimeout(() => out({ token: TOKEN }), 2500);`,
    );
    const started = Date.now();
    const done = (await s.factory.createClient(s.resolved)).listNamespaces({ signal: signal() });
    await done;
    assert.equal(s.prompts.length, 1);
    const first = s.prompts[0];
    assert.ok(first);
    assert.ok(first.at - started < 2000, `prompt after ${first.at - started} ms`);
    assert.equal(first.prompt.url, 'https://microsoft.com/devicelogin');
    assert.equal(first.prompt.code, 'ABCD-EFGH');
  });

  test('invalid output and failures give a clear error naming the plugin and the user', async () => {
    const notJson = await setup(`process.stdout.write('hello');`);
    await assert.rejects(
      (await notJson.factory.createClient(notJson.resolved)).listNamespaces({ signal: signal() }),
      (e: unknown) =>
        e instanceof ClusterDeckError &&
        e.reason === 'badConfig' &&
        /credential plugin "node" of user "plugin-user-\d+" printed no valid ExecCredential: its output is not JSON/.test(e.message),
    );
    const noToken = await setup(`out({});`);
    await assert.rejects(
      (await noToken.factory.createClient(noToken.resolved)).listNamespaces({ signal: signal() }),
      /neither a token nor a client certificate/,
    );
    const fails = await setup(`process.stderr.write('error: you must be logged in (token=' + TOKEN + ')\\n'); process.exit(3);`);
    await assert.rejects(
      (await fails.factory.createClient(fails.resolved)).listNamespaces({ signal: signal() }),
      (e: unknown) =>
        e instanceof ClusterDeckError &&
        /failed \(exit code 3\): error: you must be logged in/.test(e.message) &&
        !e.message.includes(TOKEN),
    );
  });

  test('nothing runs before approval', async () => {
    const s = await setup(`out({ token: TOKEN });`);
    const factory = new SdkKubeClientFactory({
      requestTimeoutMs: () => 5_000,
      approvals: { isApproved: () => false, approve: () => Promise.resolve() },
      isTrusted: () => true,
    });
    await assert.rejects(factory.createClient(s.resolved), (e: unknown) => e instanceof ClusterDeckError && e.reason === 'needsApproval');
    assert.equal(s.runs(), 0);
  });

  test('detectExecPrompt: device-code and URL prompts, not ordinary log lines', () => {
    assert.deepEqual(detectExecPrompt('Open the following URL in your browser: https://login.example.com/device?x=1'), {
      text: 'Open the following URL in your browser: https://login.example.com/device?x=1',
      url: 'https://login.example.com/device?x=1',
    });
    assert.equal(detectExecPrompt('Please enter code WXYZ-1234 at https://example.com/activate')?.code, 'WXYZ-1234');
    assert.equal(detectExecPrompt('I1127 02:00:00 loading cached token'), undefined);
  });
});
