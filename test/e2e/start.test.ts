// `npm start` as a newcomer runs it: without a kubeconfig it starts the sample cluster and ClusterDeck shows
// it; with one it uses the user's file untouched. Runs scripts/start.mjs for real (code-server mode) and
// stops it with Ctrl-C (SIGINT), checking that everything it started is gone.
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeKube } from '../fakes/kubeApiServer';
import { launchChromium, repoRoot, screenshot } from './workbench';

const skip = process.env.CLUSTERDECK_SKIP_E2E === '1' ? 'CLUSTERDECK_SKIP_E2E=1' : false;

interface Started {
  child: ChildProcess;
  output: () => string;
  waitFor: (re: RegExp, timeoutMs?: number) => Promise<RegExpExecArray>;
}

function startNpmStart(env: Record<string, string>): Started {
  const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.mjs'), '--no-open'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const waitFor = async (re: RegExp, timeoutMs = 180_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(out);
      if (m) return m;
      if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${out}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  return { child, output: () => out, waitFor };
}

async function stop(s: Started): Promise<number | null> {
  if (s.child.exitCode !== null) return s.child.exitCode;
  const exited = new Promise<number | null>((r) => s.child.once('exit', (code) => r(code)));
  s.child.kill('SIGINT');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 15_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    sock.once('connect', () => (sock.destroy(), resolve(true)));
    sock.once('error', () => resolve(false));
  });
}

function baseEnv(home: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(KUBECONFIG|AWS_|AZURE_|GOOGLE_)/.test(k)) env[k] = v;
  // No desktop `code` on PATH is not required: --no-open forces code-server.
  return { ...env, HOME: home };
}

describe('npm start', { skip, timeout: 10 * 60_000 }, () => {
  const dirs: string[] = [];
  const running: Started[] = [];
  after(async () => {
    for (const s of running) await stop(s);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('without a kubeconfig: starts the sample cluster, ClusterDeck shows it, Ctrl-C stops everything', async () => {
    const home = mkdtempSync(join(tmpdir(), 'clusterdeck-home-'));
    dirs.push(home);
    const s = startNpmStart(baseEnv(home));
    running.push(s);
    const sample = await s.waitFor(/sample cluster at https:\/\/127\.0\.0\.1:(\d+); KUBECONFIG=(\S+)/);
    const samplePort = Number(sample[1]);
    const kubeconfig = readFileSync(sample[2] ?? '', 'utf8');
    assert.match(kubeconfig, /clusterdeck-sample/);
    const vs = await s.waitFor(/running in VS Code \(code-server\): (http:\/\/127\.0\.0\.1:(\d+)\/\?folder=\S+)/);
    const url = vs[1] ?? '';
    const codePort = Number(vs[2]);

    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(url);
      await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
      // npm start keeps Workspace Trust on: a newcomer answers the trust prompt for examples/ first.
      await page.getByRole('button', { name: /Yes, I trust the authors/ }).click({ timeout: 60_000 });
      await page
        .locator('.activitybar')
        .getByRole('tab', { name: /ClusterDeck/ })
        .click();
      // The Clusters view only (the Backups view lists the same contexts).
      const tree = page.locator('#workbench\\.parts\\.sidebar .pane', { has: page.locator('.pane-header', { hasText: 'Clusters' }) });
      await tree.getByRole('treeitem', { name: /^clusterdeck-sample\b/ }).click({ timeout: 60_000 });
      await tree.getByRole('treeitem', { name: /^shop\b/ }).waitFor({ timeout: 30_000 });
      await tree.getByRole('treeitem', { name: /^velero\b/ }).waitFor();
      await screenshot(page, '04-npm-start-sample-cluster');
    } finally {
      await browser.close();
    }

    assert.equal(await stop(s), 0);
    assert.equal(await portOpen(samplePort), false, 'the sample cluster stopped');
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(await portOpen(codePort), false, 'code-server stopped');
  });

  test("with a kubeconfig: uses the user's clusters and never writes the file", async () => {
    const home = mkdtempSync(join(tmpdir(), 'clusterdeck-home-'));
    dirs.push(home);
    const fake = await startFakeKube({});
    try {
      mkdirSync(join(home, '.kube'));
      const path = join(home, '.kube', 'config');
      const text = fake.kubeconfig({ contextName: 'my-own-cluster', user: 'anonymous' });
      writeFileSync(path, text);
      const s = startNpmStart(baseEnv(home));
      running.push(s);
      await s.waitFor(/using your kubeconfig: (\S+)/);
      const vs = await s.waitFor(/running in VS Code \(code-server\): (http:\/\/127\.0\.0\.1:\d+\/\S+)/);
      const res = await fetch(vs[1] ?? '');
      assert.equal(res.status, 200);
      assert.doesNotMatch(s.output(), /sample cluster/);
      assert.equal(await stop(s), 0);
      assert.equal(readFileSync(path, 'utf8'), text, 'the kubeconfig is untouched');
    } finally {
      await fake.close();
    }
  });
});
