// Bad-input catalogue rows (reliability.md §3) about exec credential plugins, through the real client factory, our
// plugin runner and the fake API server: B21 (a plugin only on the login shell's PATH), B22 ("Sign-in required" on
// the context's node while a device-code prompt waits), B23 (a long stderr), B26 (a watch outlives its token),
// B29 (a persisted denial) and B50 (a clock 10 minutes off). Plugins are small node or sh scripts.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { parse, stringify } from 'yaml';
import { ClusterDeckError } from '../../src/core/errors';
import { errorNode, type ClusterNode } from '../../src/core/explorer/clusterNodes';
import type { ExecApprovals } from '../../src/core/kube/execApproval';
import { execApprovalKey } from '../../src/core/kube/execApproval';
import { resolveContext, type MergedKubeconfig } from '../../src/core/kube/kubeconfig';
import type { WatchEvent } from '../../src/core/kube/kubeClient';
import { resourceKindOf, type ResourceKind } from '../../src/core/kube/resourceKinds';
import { describeSignIn, SignInState } from '../../src/core/kube/signInState';
import { runWatchLoop } from '../../src/core/kube/watchLoop';
import { kubeconfigPaths, loadKubeconfigs } from '../../src/node/kube/kubeconfigFiles';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';
import { installVscodeStub } from '../support/vscodeStub';

const API = 'client.authentication.k8s.io/v1beta1';
const PODS = resourceKindOf('pods') as ResourceKind;

/** Tokens the fake accepts right now (the test revokes and adds them). */
const valid = new Set<string>(['token-1', 'token-2', 'token-3']);

const allowAll: ExecApprovals = { isApproved: () => true, approve: () => Promise.resolve() };

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('bad-input rows: exec credential plugins', () => {
  let fake: FakeKube;
  let dir: string;
  let n = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-badexec-'));
    // Valid: the tokens in `valid`, and any JWT (B50's plugin is the issuer of those).
    fake = await startFakeKube({
      tls: 'tls',
      tokenCheck: (bearer) => (valid.has(bearer) || bearer.startsWith('eyJ') ? 'test-user' : undefined),
      bookmarkIntervalMs: 0,
    });
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  interface SetupOptions {
    timeoutMs?: number;
    approvals?: ExecApprovals;
    signIns?: SignInState;
    /** Use this command (and args) instead of `node <script>`. */
    command?: string;
    args?: string[];
    installHint?: string;
    loginShellPath?: () => Promise<string>;
  }

  /** A node plugin script (helpers: `run` = 1-based run number, `out(status)`) and a kubeconfig whose user runs it. */
  async function setup(body: string, o: SetupOptions = {}) {
    const id = ++n;
    const script = join(dir, `plugin-${id}.js`);
    const counter = join(dir, `runs-${id}`);
    writeFileSync(
      script,
      `const fs = require('fs');\nconst counter = ${JSON.stringify(counter)};\n` +
        `const run = (fs.existsSync(counter) ? Number(fs.readFileSync(counter, 'utf8')) : 0) + 1;\nfs.writeFileSync(counter, String(run));\n` +
        `const out = (status) => process.stdout.write(JSON.stringify({ kind: 'ExecCredential', apiVersion: ${JSON.stringify(API)}, status }));\n` +
        `${body}\n`,
    );
    const file = join(dir, `kubeconfig-${id}.yaml`);
    const write = (args: string[]) => {
      const base = parse(fake.kubeconfig({ contextName: 'x' })) as { clusters: { name: string }[] };
      writeFileSync(
        file,
        stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: base.clusters,
          users: [
            {
              name: `plugin-user-${id}`,
              user: {
                exec: {
                  apiVersion: API,
                  command: o.command ?? process.execPath,
                  args,
                  ...(o.installHint ? { installHint: o.installHint } : {}),
                },
              },
            },
          ],
          contexts: [{ name: 'x', context: { cluster: base.clusters[0]?.name, user: `plugin-user-${id}` } }],
          'current-context': 'x',
        }),
      );
    };
    write(o.args ?? [script]);
    const load = async (): Promise<MergedKubeconfig> => loadKubeconfigs(kubeconfigPaths({ KUBECONFIG: file }, []));
    const factory = new SdkKubeClientFactory({
      requestTimeoutMs: () => 5_000,
      approvals: o.approvals ?? allowAll,
      isTrusted: () => true,
      execTimeoutMs: () => o.timeoutMs ?? 10_000,
      ...(o.signIns ? { signIns: o.signIns } : {}),
      loginShellPath: o.loginShellPath ?? (() => Promise.resolve('')),
    });
    const runs = (): number => (existsSync(counter) ? Number(readFileSync(counter, 'utf8')) : 0);
    return { factory, file, load, resolved: resolveContext(await load(), 'x'), runs, script, rewrite: write };
  }

  const signal = () => new AbortController().signal;

  test('B21: a plugin found only on the login shell PATH runs with that PATH (read once); a missing one names binary, user, kubeconfig and hint', async () => {
    // Like Homebrew's gke-gcloud-auth-plugin: the plugin is a script that calls another tool from the same directory.
    const brew = join(dir, 'brew', 'bin');
    mkdirSync(brew, { recursive: true });
    writeFileSync(
      join(brew, 'clusterdeck-b21-helper'),
      `#!/bin/sh\nprintf '%s' '{"kind":"ExecCredential","apiVersion":"${API}","status":{"token":"token-1"}}'\n`,
    );
    writeFileSync(join(brew, 'clusterdeck-b21-plugin'), '#!/bin/sh\nexec clusterdeck-b21-helper\n');
    chmodSync(join(brew, 'clusterdeck-b21-helper'), 0o755);
    chmodSync(join(brew, 'clusterdeck-b21-plugin'), 0o755);
    let shellReads = 0;
    const s = await setup('', {
      command: 'clusterdeck-b21-plugin',
      args: [],
      loginShellPath: () => {
        shellReads++;
        return Promise.resolve(`${brew}:/usr/bin:/bin`);
      },
    });
    const page = await (await s.factory.createClient(s.resolved)).listNamespaces({ signal: signal() });
    assert.ok(
      page.items.some((ns) => ns.name === 'default'),
      'the plugin (and its helper) ran with the login shell PATH',
    );
    await s.factory.createClient(s.resolved);
    assert.equal(shellReads, 1, 'the login shell is asked once per session');

    const missing = await setup('', {
      command: 'clusterdeck-b21-missing-plugin',
      args: [],
      installHint: 'Install it with `brew install clusterdeck-b21-missing-plugin`.',
    });
    const e = await missing.factory.createClient(missing.resolved).then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(e instanceof ClusterDeckError && e.reason === 'missingPlugin', String(e));
    assert.match(e.message, /credential plugin "clusterdeck-b21-missing-plugin" of user "plugin-user-\d+" is not installed/);
    assert.match(e.message, /brew install clusterdeck-b21-missing-plugin/);
    assert.ok(e.message.includes(`Kubeconfig: ${missing.file}`), e.message);
    assert.match(e.message, /login shell's PATH/);
  });

  test('B22: while a device-code prompt waits, the context node shows "Sign-in required"; it clears on success and stays after a timeout', async () => {
    const stub = installVscodeStub();
    stub.reset();
    const { ClustersTreeProvider } = await import('../../src/host/explorer/clustersTreeProvider');
    const signedIn = join(dir, 'b22-signed-in');
    const signIns = new SignInState();
    const s = await setup(
      `process.stderr.write('To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCD-EFGH to authenticate.\\n');\n` +
        `const t = setInterval(() => { if (fs.existsSync(${JSON.stringify(signedIn)})) { clearInterval(t); out({ token: 'token-1' }); } }, 50);`,
      { signIns },
    );
    const log = { info() {}, warn() {}, error() {}, debug() {}, show() {} };
    const tree = new ClustersTreeProvider({
      loadConfig: s.load,
      factory: s.factory,
      log,
      pageSize: () => 100,
      extensionUri: { fsPath: '/ext', toString: () => 'file:///ext' } as unknown as vscode.Uri,
      signIns,
    });
    const redrawn: (ClusterNode | undefined)[] = [];
    tree.onDidChangeTreeData((node) => redrawn.push(node));
    try {
      const [ctx] = await tree.getChildren();
      assert.ok(ctx?.kind === 'context');
      assert.doesNotMatch(String(tree.getTreeItem(ctx).description), /Sign-in/);
      const started = Date.now();
      const children = tree.getChildren(ctx); // the user expands the context: the plugin prompts and waits
      await until(() => signIns.get('x') !== undefined, 2_000, 'the sign-in state');
      assert.ok(Date.now() - started < 2_000);
      // VS Code is waiting for this node's children: a redraw now would make it fail ("Element with id … is
      // already registered"), so the node is drawn with the state whenever VS Code asks, and redrawn after the load.
      assert.ok(!redrawn.includes(ctx), 'no redraw while VS Code waits for the children');
      const item = tree.getTreeItem(ctx);
      assert.match(String(item.description), /^● Sign-in required · /);
      const tooltip = (item.tooltip as { value: string }).value;
      assert.match(tooltip, /waits for you/);
      assert.match(tooltip, /ABCD\\?-EFGH/); // markdown-escaped
      assert.match(String(item.contextValue), /\bsignInRequired\b/);
      assert.equal(signIns.get('x')?.waiting, true);
      assert.equal(signIns.get('x')?.prompt.code, 'ABCD-EFGH');

      writeFileSync(signedIn, 'yes'); // the user finished the device-code login
      const nodes = await children;
      assert.ok(nodes.some((c) => c.kind === 'namespace'));
      assert.equal(signIns.get('x'), undefined);
      await until(() => redrawn.includes(ctx), 2_000, 'the redraw after the load');
      assert.deepEqual(await tree.getChildren(ctx), nodes, 'the redraw reads the children from the cache');
      assert.doesNotMatch(String(tree.getTreeItem(ctx).description), /Sign-in/);
    } finally {
      tree.dispose();
    }

    // Nobody signs in: the plugin is stopped at the timeout and the node still says a sign-in is required.
    const hanging = await setup(
      `process.stderr.write('Please visit https://login.example.com/device and enter code WXYZ-1234\\n');\nsetInterval(() => {}, 1000);`,
      { signIns, timeoutMs: 1_200 },
    );
    const pending = (await hanging.factory.createClient(hanging.resolved)).listNamespaces({ signal: signal() });
    await until(() => signIns.get('x')?.waiting === true, 2_000, 'the second prompt');
    await assert.rejects(pending, (e: unknown) => e instanceof ClusterDeckError && e.reason === 'timeout');
    assert.equal(signIns.get('x')?.waiting, false);
    assert.equal(describeSignIn(signIns.get('x'))?.badge, 'Sign-in required');
    assert.match(describeSignIn(signIns.get('x'))?.tooltip ?? '', /stopped before you signed in.*WXYZ-1234/);
  });

  test('B23: a plugin failing with 50 lines of stderr shows the first 20 (redacted) and its exit code', async () => {
    const secret = 'sk-live-b23-canary-secret';
    const s = await setup(
      `for (let i = 1; i <= 50; i++) process.stderr.write('line ' + i + (i === 2 ? ' token=' + ${JSON.stringify(secret)} : '') + '\\n');\nprocess.exit(4);`,
    );
    const e = await (await s.factory.createClient(s.resolved)).listNamespaces({ signal: signal() }).then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(e instanceof ClusterDeckError && e.reason === 'badConfig', String(e));
    assert.match(e.message, /failed \(exit code 4\): line 1 \(and 19 more lines of its output\)/);
    const output = e.detail.output ?? [];
    assert.deepEqual(
      output.map((l) => l.replace(/ token=.*/, '')),
      Array.from({ length: 20 }, (_, i) => `line ${i + 1}`),
    );
    assert.ok(!JSON.stringify(e.detail).includes(secret) && !e.message.includes(secret), 'redacted');
    assert.match(output[1] ?? '', /line 2 token=\S*redacted/i);
    // The tree's error node carries the lines in its detail (the tooltip).
    const node = errorNode('x', e);
    assert.ok(node.kind === 'message' && node.detail?.split('\n').length === 20 && node.detail.startsWith('line 1\n'));
  });

  test('B26: a watch that outlives its token resumes with a fresh one (expiry and 401), without duplicate events or a visible error', async () => {
    valid.clear();
    valid.add('token-1');
    const ns = `b26-${Date.now()}`;
    fake.upsert({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    // run 1: token-1 valid for 10 minutes by its own word; run 2: token-2 expiring in 1.5 s; run 3+: token-3.
    const s = await setup(
      `if (run === 1) out({ token: 'token-1', expirationTimestamp: new Date(Date.now() + 600000).toISOString() });\n` +
        `else if (run === 2) out({ token: 'token-2', expirationTimestamp: new Date(Date.now() + 1500).toISOString() });\n` +
        `else out({ token: 'token-3' });`,
    );
    const client = await s.factory.createClient(s.resolved);
    const first = await client.listTable(PODS, ns, { signal: signal() });
    const events: WatchEvent[] = [];
    let stopped: unknown;
    const controller = new AbortController();
    const loop = runWatchLoop(
      {
        relist: async (sig) => (await client.listTable(PODS, ns, { signal: sig, limit: 1 })).resourceVersion,
        // Streams end after 1 s (timeoutSeconds), as the apiserver ends them; the loop watches again.
        watch: (rv, sig, onEvent) =>
          client.watch(PODS, ns, { signal: sig, onEvent, timeoutSeconds: 1, ...(rv ? { resourceVersion: rv } : {}) }),
        onEvent: (e) => events.push(e),
        onStopped: (e) => (stopped = e),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 200))),
      },
      controller.signal,
      { ...(first.resourceVersion ? { resourceVersion: first.resourceVersion } : {}), baseDelayMs: 100, maxDelayMs: 200 },
    );
    const pod = (name: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: ns },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    const added = (name: string) => events.some((e) => e.type === 'ADDED' && (e.object.metadata as { name?: string }).name === name);
    try {
      fake.upsert(pod('before'));
      await until(() => added('before'), 5_000, 'the first event');
      // The server revokes token-1 (it "expired" there); our cache still believes it. The next watch gets a 401.
      valid.delete('token-1');
      valid.add('token-2');
      fake.clearRequests();
      // The open stream (authenticated before) runs to its end; the next watch request is refused with 401. A change
      // made while the client gets a new token must arrive once, from the resumed watch.
      await until(
        () => fake.requests.some((r) => r.query.watch === '1' && r.headers.authorization === 'Bearer token-1'),
        5_000,
        'the refused watch',
      );
      fake.upsert(pod('during-401'));
      await until(() => added('during-401'), 8_000, 'the event after the 401');
      assert.equal(s.runs(), 2, 'the 401 ran the plugin once more');
      assert.ok(
        fake.requests.some((r) => r.query.watch === '1' && r.headers.authorization === 'Bearer token-2'),
        'the watch resumed with the new token',
      );
      // token-2 expires by its own expirationTimestamp: the next watch asks the plugin first, without a 401.
      valid.add('token-3');
      await until(() => s.runs() === 3, 8_000, 'the refresh before expiry');
      fake.upsert(pod('after-expiry'));
      await until(() => added('after-expiry'), 8_000, 'the event after the expiry');
      assert.ok(
        fake.requests.some((r) => r.query.watch === '1' && r.headers.authorization === 'Bearer token-3'),
        'the watch carries the fresh token',
      );
      assert.equal(
        fake.requests.filter((r) => r.headers.authorization === 'Bearer token-1').length,
        1,
        'one refused watch with the old token, no retry loop',
      );
    } finally {
      controller.abort();
      await loop;
    }
    assert.equal(stopped, undefined, 'no "live updates stopped"');
    const keys = events.map((e) => `${e.type}:${(e.object.metadata as { name?: string; resourceVersion?: string }).name}`);
    assert.deepEqual(keys, ['ADDED:before', 'ADDED:during-401', 'ADDED:after-expiry'], 'each change once, nothing replayed');
    const names = (await client.listTable(PODS, ns, { signal: signal() })).items.map((r) => r.name);
    assert.deepEqual(names, ['after-expiry', 'before', 'during-401']);
  });

  test('B29: a denied plugin is remembered by its key and never run on refresh; a changed command asks again', async () => {
    const approved = new Set<string>();
    const denied = new Set<string>();
    const approvals: ExecApprovals = {
      isApproved: (k) => approved.has(k),
      approve: (k) => (denied.delete(k), approved.add(k), Promise.resolve()),
      isDenied: (k) => denied.has(k),
      deny: (k) => (approved.delete(k), denied.add(k), Promise.resolve()),
    };
    const marker = join(dir, 'b29-ran');
    const s = await setup(`fs.writeFileSync(${JSON.stringify(marker)}, 'ran');\nout({ token: 'token-1' });`, { approvals });
    await assert.rejects(s.factory.createClient(s.resolved), (e: unknown) => e instanceof ClusterDeckError && /approve it/.test(e.message));
    await approvals.deny?.(execApprovalKey(s.resolved.user)); // the user chose "Deny" in the approval dialog
    for (let refresh = 0; refresh < 3; refresh++) {
      const resolved = resolveContext(await s.load(), 'x'); // every refresh reads the kubeconfig again
      await assert.rejects(
        s.factory.createClient(resolved),
        (e: unknown) => e instanceof ClusterDeckError && e.reason === 'needsApproval' && /You denied the credential plugin/.test(e.message),
      );
    }
    assert.equal(existsSync(marker), false, 'the denied plugin never ran');
    assert.equal(s.runs(), 0);
    // The kubeconfig now runs something else (other args): not covered by the denial, so approval is asked again.
    s.rewrite([s.script, '--cluster', 'other']);
    const changed = resolveContext(await s.load(), 'x');
    assert.notEqual(execApprovalKey(changed.user), execApprovalKey(s.resolved.user));
    await assert.rejects(
      s.factory.createClient(changed),
      (e: unknown) =>
        e instanceof ClusterDeckError && e.reason === 'needsApproval' && /approve it before ClusterDeck runs it/.test(e.message),
    );
    assert.equal(existsSync(marker), false);
  });

  test('B50: with the clock 10 minutes behind, a JWT is refreshed by its issuer time; 10 minutes ahead, a "past" expiry is used once; a 401 refreshes once', async () => {
    // Our clock runs 10 min behind the issuer's: the JWT's iat is 10 min in our future, its exp 3 s after that.
    const behind = await setup(
      `const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');\n` +
        `const now = Math.floor(Date.now() / 1000);\n` +
        `const tok = b64({ alg: 'none', typ: 'JWT' }) + '.' + b64({ iat: now + 600, exp: now + 603, run }) + '.c2ln';\n` +
        `out({ token: tok, expirationTimestamp: new Date((now + 603) * 1000).toISOString() });`,
    );
    const client = await behind.factory.createClient(behind.resolved);
    await client.listNamespaces({ signal: signal() });
    await client.listNamespaces({ signal: signal() });
    assert.equal(behind.runs(), 1, 'cached while valid');
    await new Promise((r) => setTimeout(r, 2_500)); // 3 s of issuer lifetime nearly gone (our clock says 10 min are left)
    await client.listNamespaces({ signal: signal() });
    assert.equal(behind.runs(), 2, 'refreshed by the issuer clock, not ours');

    // Our clock runs 10 min ahead: the fresh token "expired" 5 minutes ago by our clock. Not refused: used for the
    // call, never cached.
    valid.add('token-1');
    const ahead = await setup(`out({ token: 'token-1', expirationTimestamp: new Date(Date.now() - 300000).toISOString() });`);
    const c2 = await ahead.factory.createClient(ahead.resolved);
    await c2.listNamespaces({ signal: signal() });
    await c2.listNamespaces({ signal: signal() });
    assert.equal(ahead.runs(), 2, 'used, but not cached');

    // Whatever the clocks say, a 401 runs the plugin again exactly once and retries once.
    const skewed = await setup(
      `out({ token: run === 1 ? 'token-skew-rejected' : 'token-1', expirationTimestamp: new Date(Date.now() + 3600000).toISOString() });`,
    );
    fake.clearRequests();
    await (await skewed.factory.createClient(skewed.resolved)).listNamespaces({ signal: signal() });
    assert.equal(skewed.runs(), 2);
    assert.deepEqual(
      fake.requests.map((r) => r.headers.authorization),
      ['Bearer token-skew-rejected', 'Bearer token-1'],
    );
  });
});
