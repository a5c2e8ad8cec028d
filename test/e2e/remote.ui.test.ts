// Remote actions in a real workbench: apply with a dry-run diff, port-forward with its session list, exec in a
// terminal. Its own code-server and fake API server; the ext-host suite "Remote actions" runs first inside it.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';
import type { SuiteResult } from './harness/runSuites';
import { assertNoStoredSecrets, repoRoot, runCommand, screenshot, showClusterDeck, startWorkbench, type Workbench } from './workbench';

const skip = process.env.CLUSTERDECK_SKIP_E2E === '1' ? 'CLUSTERDECK_SKIP_E2E=1' : false;
const TOKEN = 'e2e-remote-canary-token-4b7e';

const APP_YAML = `# The shop's frontend: more replicas, and a new flags ConfigMap.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
  labels:
    app: frontend
spec:
  replicas: 5
  selector:
    matchLabels:
      app: frontend
  template:
    metadata:
      labels:
        app: frontend
    spec:
      containers:
        - name: nginx
          image: nginx:1.27.5
          ports:
            - containerPort: 8080
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: frontend-flags
data:
  checkout: "on"
`;

function get(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A write by another tool (its own field manager), as `kubectl edit` would make it. */
function patchAs(fake: FakeKube, manager: string, path: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      new URL(`${fake.url}${path}?fieldManager=${manager}`),
      {
        method: 'PATCH',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/merge-patch+json' },
        ...(fake.ca ? { ca: fake.ca.certPem } : {}),
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function openFile(page: Page, name: string, text: string): Promise<void> {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget input').fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click();
  await page.locator('.monaco-editor .view-lines', { hasText: text }).first().waitFor();
}

async function failShot<T>(page: Page, name: string, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    await screenshot(page, `${name}-FAILED`);
    throw e;
  }
}

/** Opens a tree item's context menu and runs the entry with the keyboard (menus swallow clicks headless). */
async function contextMenu(page: Page, row: ReturnType<Page['locator']>, entry: RegExp): Promise<void> {
  await row.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor();
  const item = menu.getByRole('menuitem', { name: entry });
  await item.waitFor();
  for (let i = 0; i < 12 && !/\bfocused\b/.test((await item.locator('..').getAttribute('class')) ?? ''); i++)
    await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
}

describe('Remote actions in VS Code (code-server + Chromium)', { skip, timeout: 15 * 60_000 }, () => {
  let fake: FakeKube | undefined;
  let echo: Server | undefined;
  let wb: Workbench | undefined;
  let dir = '';
  let resultsPath = '';
  let pod = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-remote-wb-'));
    fake = await startFakeKube({ tls: 'tls', token: TOKEN, seed: 'demo' });
    echo = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`echo ${req.method} ${req.url}`);
    });
    await new Promise<void>((r) => echo!.listen(0, '127.0.0.1', () => r()));
    const echoPort = (echo.address() as { port: number }).port;
    const frontends = fake.list('v1', 'Pod', 'shop').filter((p) => p.metadata.name?.startsWith('frontend-'));
    for (const p of frontends) fake.setPortTarget('shop', p.metadata.name ?? '', 8080, { host: '127.0.0.1', port: echoPort });
    pod = frontends[0]?.metadata.name ?? '';
    assert.ok(pod, 'the demo data has frontend pods');
    const kubeconfigPath = join(dir, 'kubeconfig.yaml');
    writeFileSync(kubeconfigPath, fake.kubeconfig({ contextName: 'fake-a', namespace: 'shop' }));
    const workspace = join(dir, 'workspace');
    mkdirSync(workspace);
    writeFileSync(join(workspace, 'app.yaml'), APP_YAML);
    writeFileSync(join(workspace, 'invalid.yaml'), APP_YAML.replace('replicas: 5', 'replicas: -1'));
    resultsPath = join(dir, 'ext-host-results.json');
    wb = await startWorkbench({
      workspace,
      env: {
        KUBECONFIG: kubeconfigPath,
        CLUSTERDECK_TEST_SUITES: join(repoRoot, 'out', 'e2e', 'suites'),
        CLUSTERDECK_TEST_RESULTS: resultsPath,
        CLUSTERDECK_MOCHA_PATH: require.resolve('mocha'),
        CLUSTERDECK_TEST_GREP: 'Remote actions',
        CLUSTERDECK_REMOTE_FIXTURE: JSON.stringify({ contextName: 'fake-a', namespace: 'shop', pod, container: 'nginx', remotePort: 8080 }),
      },
      // The DOM renderer keeps the terminal's text in the page (assertions, readable screenshots).
      userSettings: { 'terminal.integrated.gpuAcceleration': 'off' },
    });
  });

  after(async () => {
    await wb?.close();
    await fake?.close();
    await new Promise<void>((r) => (echo ? echo.close(() => r()) : r()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('extension-host suite: Remote actions', { timeout: 5 * 60_000 }, async (t) => {
    const deadline = Date.now() + 4 * 60_000;
    while (!existsSync(resultsPath) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    assert.ok(existsSync(resultsPath), `the harness wrote no results; code-server log:\n${wb?.serverLog().slice(-4000)}`);
    const report = JSON.parse(readFileSync(resultsPath, 'utf8')) as { results: SuiteResult[]; crashed?: string };
    assert.equal(report.crashed, undefined, report.crashed);
    assert.equal(report.results.length, 4, JSON.stringify(report.results.map((r) => r.title)));
    for (const r of report.results) {
      await t.test(r.title, () => {
        if (r.state === 'failed') throw new Error(r.error ?? 'failed');
      });
    }
    // What the container saw of the suite's terminal, and that the invalid manifest sent nothing.
    const session = fake!.execs.find((e) => e.lines.includes('exit 7'));
    assert.ok(session, JSON.stringify(fake!.execs));
    assert.deepEqual(session.lines, ['echo typed-in-the-extension-host', 'exit 7']);
    assert.deepEqual(session.command, ['/bin/sh', '-c', 'command -v bash >/dev/null && exec bash || exec sh']);
    assert.ok(session.resizes.length > 0, 'the terminal size was sent');
    const disposed = fake!.execs.find((e) => e.lines.includes('echo before-the-terminal-closes'));
    assert.ok(disposed, 'the second terminal reached the container');
    assert.deepEqual(disposed.lines, ['echo before-the-terminal-closes'], 'no exit was typed');
    assert.equal(disposed.closed, true, 'closing the terminal closed the socket');
    assert.equal(fake!.requests.filter((r) => r.method === 'PATCH').length, 0, 'no apply request so far');
  });

  test('UI: apply the current file — a dry-run diff titled with the context, a modal naming context and server, then the apply', async () => {
    const page = wb!.page;
    await runCommand(page, 'Notifications: Clear All Notifications');
    await openFile(page, 'app.yaml', 'frontend-flags');
    await runCommand(page, 'ClusterDeck: Apply Current File to a Cluster…');
    const pick = page.locator('.quick-input-widget');
    await failShot(page, '40-apply-pick', pick.getByText('Apply app.yaml to which context?').waitFor({ timeout: 15_000 }));
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'fake-a' }).waitFor();
    await page.keyboard.press('Enter');
    const diff = page.locator('.monaco-diff-editor');
    await failShot(page, '40-apply-diff', diff.first().waitFor({ timeout: 30_000 }));
    const dialog = page.locator('.monaco-dialog-box');
    await failShot(page, '40-apply-diff', dialog.waitFor({ timeout: 30_000 }));
    // The tab names the context; the modified side shows the new replicas and the new ConfigMap.
    await page.locator('.tab', { hasText: 'Apply app.yaml → fake-a' }).first().waitFor();
    await diff.locator('.modified .view-lines', { hasText: 'replicas: 5' }).first().waitFor();
    await diff.locator('.original .view-lines', { hasText: 'replicas: 3' }).first().waitFor();
    const dialogText = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(dialogText, /Apply 2 objects to context "fake-a"\?/);
    assert.match(dialogText, /Server: https:\/\/127\.0\.0\.1:\d+/);
    assert.match(dialogText, /1 created, 1 changed, 0 unchanged/);
    await screenshot(page, '40-apply-diff');
    assert.equal((fake!.get('apps/v1', 'Deployment', 'shop', 'frontend')?.['spec'] as { replicas: number }).replicas, 3, 'dry run only');
    const dryRuns = fake!.requests.filter((r) => r.method === 'PATCH');
    assert.equal(dryRuns.length, 2);
    for (const r of dryRuns) {
      assert.equal(r.headers['content-type'], 'application/apply-patch+yaml');
      assert.deepEqual(r.query, { fieldManager: 'clusterdeck', dryRun: 'All' });
    }
    await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
    const toast = page.locator('.notifications-toasts', { hasText: 'Applied app.yaml to "fake-a"' });
    await failShot(page, '40b-apply-result', toast.waitFor({ timeout: 30_000 }));
    await page.waitForTimeout(700); // the toast's fade-in
    await screenshot(page, '40b-apply-result');
    const deployment = fake!.get('apps/v1', 'Deployment', 'shop', 'frontend');
    assert.equal((deployment?.['spec'] as { replicas: number }).replicas, 5);
    assert.ok((deployment?.metadata['managedFields'] as { manager: string }[]).some((m) => m.manager === 'clusterdeck'));
    assert.ok(fake!.get('v1', 'ConfigMap', 'shop', 'frontend-flags'), 'the new ConfigMap was created in the context namespace');
    await runCommand(page, 'View: Close All Editors');
  });

  test('UI: apply again after another tool changed a field — the conflict names the manager; force needs a second confirmation', async () => {
    const page = wb!.page;
    await runCommand(page, 'Notifications: Clear All Notifications');
    assert.equal(
      await patchAs(fake!, 'kubectl-edit', '/apis/apps/v1/namespaces/shop/deployments/frontend', { spec: { replicas: 7 } }),
      200,
    );
    await openFile(page, 'app.yaml', 'frontend-flags');
    await runCommand(page, 'ClusterDeck: Apply Current File to a Cluster…');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'fake-a' }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await failShot(page, '40c-apply-conflict', dialog.waitFor({ timeout: 30_000 }));
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Deployment shop\/frontend \(line 2\): fields are owned by "kubectl-edit"\./);
    assert.match(text, /\.spec\.replicas: conflict with "kubectl-edit" using apps\/v1/);
    await screenshot(page, '40c-apply-conflict');
    await dialog.getByRole('button', { name: 'Apply with Force…' }).click();
    await dialog.getByText('Take over 1 field of Deployment shop/frontend from "kubectl-edit" with force?').waitFor({ timeout: 15_000 });
    assert.match((await dialog.innerText()).replace(/\s+/g, ' '), /Context: fake-a Server: https:\/\/127\.0\.0\.1:\d+/);
    await dialog.getByRole('button', { name: 'Force', exact: true }).click();
    await dialog.getByText('Apply 2 objects to context "fake-a"?').waitFor({ timeout: 30_000 });
    const confirm = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(confirm, /Deployment shop\/frontend \(changed, with force\)/);
    assert.match(confirm, /ConfigMap shop\/frontend-flags \(unchanged\)/);
    assert.equal((fake!.get('apps/v1', 'Deployment', 'shop', 'frontend')?.['spec'] as { replicas: number }).replicas, 7, 'nothing yet');
    await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.locator('.notifications-toasts', { hasText: 'Applied app.yaml to "fake-a"' }).waitFor({ timeout: 30_000 });
    const d = fake!.get('apps/v1', 'Deployment', 'shop', 'frontend');
    assert.equal((d?.['spec'] as { replicas: number }).replicas, 5);
    const forced = fake!.requests.filter((r) => r.method === 'PATCH' && r.query['force'] === 'true' && !r.query['dryRun']);
    assert.equal(forced.length, 1, 'one real apply with force=true');
    await runCommand(page, 'View: Close All Editors');
  });

  test('UI: an invalid object (422) names the field and nothing is applied', async () => {
    const page = wb!.page;
    await runCommand(page, 'Notifications: Clear All Notifications');
    fake!.clearRequests();
    await openFile(page, 'invalid.yaml', 'replicas: -1');
    await runCommand(page, 'ClusterDeck: Apply Current File to a Cluster…');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'fake-a' }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    const toast = page.locator('.notifications-toasts', { hasText: 'Nothing was applied' });
    await failShot(page, '40d-apply-invalid', toast.waitFor({ timeout: 30_000 }));
    assert.match(
      (await toast.innerText()).replace(/\s+/g, ' '),
      /Deployment shop\/frontend \(line 2\) is invalid on "fake-a": spec\.replicas: Invalid value: -1: must be greater than or equal to 0/,
    );
    await page.waitForTimeout(700);
    await screenshot(page, '40d-apply-invalid');
    assert.equal(fake!.requests.filter((r) => r.method === 'PATCH' && !r.query['dryRun']).length, 0, 'only the dry run was sent');
    assert.equal((fake!.get('apps/v1', 'Deployment', 'shop', 'frontend')?.['spec'] as { replicas: number }).replicas, 5);
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'View: Close All Editors');
  });

  test('UI: port-forward a pod from its context menu; the session list and status bar show it; stop closes it', async () => {
    const page = wb!.page;
    await runCommand(page, 'Notifications: Clear All Notifications');
    await showClusterDeck(page);
    const tree = page.locator('#workbench\\.parts\\.sidebar');
    for (const title of ['Clouds', 'Backups']) {
      const header = tree.locator('.pane-header', { hasText: title }).first();
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
    await runCommand(page, 'ClusterDeck: Refresh Clusters');
    await tree.getByRole('treeitem', { name: /^fake-a\b/ }).click({ timeout: 30_000 });
    await tree.getByRole('treeitem', { name: /^shop\b/ }).click({ timeout: 30_000 });
    await tree.getByRole('treeitem', { name: /^Workloads\b/ }).click({ timeout: 15_000 });
    await tree.getByRole('treeitem', { name: /^Pods\b/ }).click({ timeout: 15_000 });
    const row = tree.getByRole('treeitem', { name: new RegExp(`^${pod}\\b`) });
    await failShot(page, '41-port-forward', row.waitFor({ timeout: 30_000 }));
    await contextMenu(page, row, /Port-Forward…/);
    const input = page.locator('.quick-input-widget');
    await failShot(page, '41-port-forward', input.getByText(`Forward to which port of pod "${pod}"?`).waitFor({ timeout: 15_000 }));
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: '8080' }).waitFor();
    await page.keyboard.press('Enter');
    await input.getByText('Local port on 127.0.0.1').waitFor();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace'); // empty: a random free port
    await page.keyboard.press('Enter');
    const status = page.locator('.statusbar-item', { hasText: '1 port-forward' });
    await failShot(page, '41-port-forward', status.waitFor({ timeout: 15_000 }));
    const toast = page.locator('.notifications-toasts', { hasText: /Forwarding 127\.0\.0\.1:\d+/ });
    await toast.waitFor();
    const localPort = Number(/127\.0\.0\.1:(\d+)/.exec(await toast.innerText())?.[1]);
    assert.ok(localPort > 0);
    assert.equal(await get(localPort, '/from-the-ui-test'), 'echo GET /from-the-ui-test');
    await runCommand(page, 'ClusterDeck: List Port-Forwards');
    const entry = page.locator('.quick-input-list .monaco-list-row', { hasText: `127.0.0.1:${localPort} → Pod shop/${pod}` });
    await failShot(page, '41-port-forward', entry.waitFor({ timeout: 15_000 }));
    await screenshot(page, '41-port-forward');
    await page.keyboard.press('Enter'); // the list stops the session picked
    await status.waitFor({ state: 'hidden', timeout: 15_000 });
    await assert.rejects(get(localPort, '/'), /ECONNREFUSED/);
  });

  test('UI: exec a shell in a pod: a terminal that echoes what the container answers', async () => {
    const page = wb!.page;
    await runCommand(page, 'Notifications: Clear All Notifications');
    const tree = page.locator('#workbench\\.parts\\.sidebar');
    const row = tree.getByRole('treeitem', { name: new RegExp(`^${pod}\\b`) });
    await failShot(page, '42-exec', row.waitFor({ timeout: 30_000 }));
    await contextMenu(page, row, /Open a Shell \(Exec\)…/);
    const terminal = page.locator('.terminal-wrapper .xterm');
    await failShot(page, '42-exec', terminal.first().waitFor({ timeout: 30_000 }));
    const rows = page.locator('.xterm-rows');
    await failShot(page, '42-exec', rows.getByText(`root@${pod}:/#`).first().waitFor({ timeout: 30_000 }));
    await page.keyboard.type('echo hello from ClusterDeck');
    await page.keyboard.press('Enter');
    await failShot(
      page,
      '42-exec',
      rows
        .getByText(/^hello from ClusterDeck\s*$/)
        .first()
        .waitFor({ timeout: 15_000 }),
    );
    await page.keyboard.type('hostname');
    await page.keyboard.press('Enter');
    await rows
      .getByText(new RegExp(`^${pod}\\s*$`))
      .first()
      .waitFor({ timeout: 15_000 });
    await page
      .locator('.tabs-list, .single-terminal-tab, .terminal-tab', { hasText: `${pod}/nginx` })
      .first()
      .waitFor()
      .catch(() => undefined);
    await page.mouse.move(900, 300); // no tooltip of the tree over the picture
    await page.waitForTimeout(300);
    await screenshot(page, '42-exec');
    const session = fake!.execs[fake!.execs.length - 1];
    assert.deepEqual(session?.lines, ['echo hello from ClusterDeck', 'hostname']);
    await page.keyboard.type('exit 0');
    await page.keyboard.press('Enter');
    await rows.getByText(`root@${pod}:/#`).first().waitFor({ state: 'detached', timeout: 15_000 });
    assert.equal(session?.closed, true);
  });
  test('UI: from the palette, exec asks for the context, namespace and pod', async () => {
    const page = wb!.page;
    await runCommand(page, 'Notifications: Clear All Notifications');
    await runCommand(page, 'ClusterDeck: Open a Shell (Exec)…');
    const widget = page.locator('.quick-input-widget');
    await failShot(page, '43-exec-palette', widget.getByText('Open a shell: which context?').waitFor({ timeout: 15_000 }));
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'fake-a' }).waitFor();
    await page.keyboard.press('Enter');
    await widget.getByText('Open a shell: which namespace of "fake-a"?').waitFor({ timeout: 15_000 });
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'shop' }).waitFor();
    await page.keyboard.press('Enter');
    await widget.getByText('Open a shell: which Pod?').waitFor({ timeout: 15_000 });
    await page.locator('.quick-input-widget input').fill(pod);
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: pod }).waitFor();
    await screenshot(page, '43-exec-palette');
    await page.keyboard.press('Enter');
    const before = fake!.execs.length;
    const rows = page.locator('.xterm-rows');
    await failShot(page, '43-exec-palette', rows.getByText(`root@${pod}:/#`).first().waitFor({ timeout: 30_000 }));
    await page.keyboard.type('exit 3');
    await page.keyboard.press('Enter');
    await rows.getByText(`root@${pod}:/#`).first().waitFor({ state: 'detached', timeout: 15_000 });
    const session = fake!.execs[before];
    assert.deepEqual(session?.lines, ['exit 3']);
    assert.equal(session?.container, 'nginx');
  });

  test('S5/S6: no canary token in the workbench settings, state, global storage or the ClusterDeck log', async () => {
    assert.ok(wb);
    await assertNoStoredSecrets(wb, [TOKEN], join(dir, 'kubeconfig.yaml'));
  });
});
