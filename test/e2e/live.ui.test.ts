// Live updates in the real workbench: a scale shows up in the tree as the fake's Deployment controller acts
// (Ready column and pod list), an object created outside VS Code appears, and an edited kubeconfig file adds a
// context, all without a refresh command.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { parse, stringify } from 'yaml';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';
import { assertNoStoredSecrets, repoRoot, runCommand, screenshot, showClusterDeck, startWorkbench, type Workbench } from './workbench';

const skip = process.env.CLUSTERDECK_SKIP_E2E === '1' ? 'CLUSTERDECK_SKIP_E2E=1' : false;
const TOKEN = 'e2e-live-canary-token-31c8';

/** Waits until `locator` matches exactly `count` elements. */
async function waitForCount(locator: Locator, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  while (Date.now() < deadline) {
    last = await locator.count();
    if (last === count) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`expected ${count} tree items, saw ${last}`);
}

/** Chooses a context-menu entry with the keyboard (menus swallow clicks headless). */
async function chooseMenuItem(page: Page, name: RegExp): Promise<void> {
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor();
  const item = menu.getByRole('menuitem', { name });
  for (let i = 0; i < 12 && !/\bfocused\b/.test((await item.locator('..').getAttribute('class')) ?? ''); i++)
    await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
}

describe('Live updates in the Clusters view (code-server + Chromium)', { skip, timeout: 10 * 60_000 }, () => {
  let fake: FakeKube | undefined;
  let wb: Workbench | undefined;
  let dir = '';
  let kubeconfigPath = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-live-'));
    // Demo data turns the Deployment controller on: a scale creates pods and updates the status, after a delay.
    fake = await startFakeKube({ tls: 'tls', token: TOKEN, seed: 'demo', controllerDelayMs: 600 });
    kubeconfigPath = join(dir, 'kubeconfig.yaml');
    writeFileSync(kubeconfigPath, fake.kubeconfig({ contextName: 'live-a', namespace: 'shop', user: 'token' }));
    wb = await startWorkbench({ workspace: join(repoRoot, 'examples'), env: { KUBECONFIG: kubeconfigPath } });
  });

  after(async () => {
    await wb?.close();
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('UI: scale with the tree updating live (Ready column and pod list), no refresh', async () => {
    const page = wb!.page;
    const tree = page.locator('#workbench\\.parts\\.sidebar');
    await showClusterDeck(page);
    for (const title of ['Clouds', 'Backups']) {
      const header = tree.locator('.pane-header', { hasText: title }).first();
      await header.waitFor();
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
    await tree.getByRole('treeitem', { name: /^live-a\b/ }).click({ timeout: 30_000 });
    await tree.getByRole('treeitem', { name: /^shop\b/ }).click({ timeout: 30_000 });
    await tree.getByRole('treeitem', { name: /^Workloads\b/ }).click();
    await tree.getByRole('treeitem', { name: /^Deployments\b/ }).click();
    const frontend = tree.getByRole('treeitem', { name: /^frontend \d+\/\d+/ });
    await frontend.waitFor({ timeout: 30_000 });
    await tree.getByRole('treeitem', { name: /^Pods\b/ }).click();
    const frontendPods = tree.getByRole('treeitem', { name: /^frontend-[a-z0-9]+-[a-z0-9]{5}\b/ });
    await waitForCount(tree.getByRole('treeitem', { name: /^frontend-[a-z0-9]+-[a-z0-9]{5}\b/ }), 3, 30_000);
    assert.equal(await frontendPods.count(), 3);
    await frontend.locator('.label-description', { hasText: '3/3' }).waitFor();
    const requestsBefore = fake!.requests.length;

    await frontend.click({ button: 'right' });
    await chooseMenuItem(page, /^Scale…/);
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('5');
    await page.keyboard.press('Enter');

    // The controller creates two pods (not ready yet), then makes them ready: the tree follows both steps.
    await frontend.locator('.label-description', { hasText: /^3\/5/ }).waitFor({ timeout: 30_000 });
    await waitForCount(tree.getByRole('treeitem', { name: /^frontend-[a-z0-9]+-[a-z0-9]{5}\b/ }), 5, 30_000);
    await frontend.locator('.label-description', { hasText: /^5\/5/ }).waitFor({ timeout: 30_000 });
    await screenshot(page, '10-scale-live');
    const since = fake!.requests.slice(requestsBefore);
    assert.ok(
      fake!.requests.some((r) => r.query.watch === '1' && r.path === '/apis/apps/v1/namespaces/shop/deployments'),
      'the Deployments folder follows a watch',
    );
    assert.ok(
      !since.some((r) => r.method === 'GET' && r.path === '/api/v1/namespaces' && r.query.watch === undefined && r.query.limit !== '1'),
      'no full refresh: the namespace list was not read again',
    );

    // Scale back down: the surplus pods disappear from the list.
    await frontend.click({ button: 'right' });
    await chooseMenuItem(page, /^Scale…/);
    await input.waitFor({ state: 'visible' });
    await input.fill('2');
    await page.keyboard.press('Enter');
    await frontend.locator('.label-description', { hasText: /^2\/2/ }).waitFor({ timeout: 30_000 });
    await waitForCount(tree.getByRole('treeitem', { name: /^frontend-[a-z0-9]+-[a-z0-9]{5}\b/ }), 2, 30_000);
  });

  test('UI: a Deployment and a ConfigMap created outside VS Code appear live', async () => {
    const page = wb!.page;
    const tree = page.locator('#workbench\\.parts\\.sidebar');
    fake!.upsert({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'live-reports', namespace: 'shop', labels: { app: 'live-reports' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'live-reports' } },
        template: {
          metadata: { labels: { app: 'live-reports' } },
          spec: { containers: [{ name: 'reports', image: 'ghcr.io/clusterdeck/reports:1.0.0' }] },
        },
      },
    });
    const reports = tree.getByRole('treeitem', { name: /^live-reports \d+\/\d+/ });
    await reports.waitFor({ timeout: 30_000 });
    await reports.locator('.label-description', { hasText: /^2\/2/ }).waitFor({ timeout: 30_000 });
    await waitForCount(tree.getByRole('treeitem', { name: /^live-reports-[a-z0-9]+-[a-z0-9]{5}\b/ }), 2, 30_000);
    await screenshot(page, '11-external-change-live');

    // Collapse Workloads so the Config category is rendered, open ConfigMaps, then create one from outside.
    await tree.getByRole('treeitem', { name: /^Workloads\b/ }).click();
    await tree.getByRole('treeitem', { name: /^Config\b/ }).click();
    await tree.getByRole('treeitem', { name: /^ConfigMaps\b/ }).click();
    await tree.getByRole('treeitem', { name: /^frontend-config\b/ }).waitFor({ timeout: 30_000 });
    fake!.upsert({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'feature-flags', namespace: 'shop' }, data: { beta: 'on' } });
    await tree.getByRole('treeitem', { name: /^feature-flags\b/ }).waitFor({ timeout: 30_000 });
    fake!.remove('v1', 'ConfigMap', 'shop', 'feature-flags');
    await tree.getByRole('treeitem', { name: /^feature-flags\b/ }).waitFor({ state: 'detached', timeout: 30_000 });

    // A collapsed folder stops following; expanding it again reads it again (nothing stale is shown).
    await tree.getByRole('treeitem', { name: /^ConfigMaps\b/ }).click();
    await tree.getByRole('treeitem', { name: /^frontend-config\b/ }).waitFor({ state: 'detached' });
    const configMapsPath = '/api/v1/namespaces/shop/configmaps';
    const collapsedAt = fake!.requests.length;
    fake!.upsert({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'while-collapsed', namespace: 'shop' }, data: { x: '1' } });
    await page.waitForTimeout(1500);
    assert.deepEqual(
      fake!.requests.slice(collapsedAt).filter((r) => r.path === configMapsPath),
      [],
      'while collapsed, the folder is neither watched nor read',
    );
    await tree.getByRole('treeitem', { name: /^ConfigMaps\b/ }).click();
    await tree.getByRole('treeitem', { name: /^while-collapsed\b/ }).waitFor({ timeout: 30_000 });
    await waitForCount(tree.getByRole('treeitem', { name: /^while-collapsed\b/ }), 1, 5_000);
    const after = fake!.requests.slice(collapsedAt).filter((r) => r.path === configMapsPath);
    assert.ok(
      after.some((r) => r.query.watch === '1'),
      'expanding again follows again',
    );
  });

  test('UI: editing the kubeconfig file adds a context without a refresh', async () => {
    const page = wb!.page;
    const tree = page.locator('#workbench\\.parts\\.sidebar');
    await tree.getByRole('treeitem', { name: /^live-a\b/ }).click(); // collapse: the new context shows beside it
    const config = parse(fake!.kubeconfig({ contextName: 'live-a', namespace: 'shop', user: 'token' })) as {
      contexts: { name: string; context: Record<string, string> }[];
    };
    const first = config.contexts[0];
    assert.ok(first);
    config.contexts.push({ name: 'live-b', context: { ...first.context, namespace: 'payments' } });
    writeFileSync(kubeconfigPath, stringify(config));
    await tree
      .getByRole('treeitem', { name: /^live-b\b/ })
      .waitFor({ timeout: 30_000 })
      .catch(async (e: unknown) => {
        await screenshot(page, '12-kubeconfig-watch-FAILED');
        throw e;
      });
    await screenshot(page, '12-kubeconfig-edited-live');
  });

  test('UI: a credential plugin asking for a device-code login is shown at once, with Copy Code and Open URL', async () => {
    const page = wb!.page;
    const tree = page.locator('#workbench\\.parts\\.sidebar');
    const script = join(dir, 'device-login-plugin.js');
    writeFileSync(
      script,
      `process.stderr.write('To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCD-EFGH to authenticate.\\n');\n` +
        `setTimeout(() => process.stdout.write(JSON.stringify({ kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v1beta1', status: { token: ${JSON.stringify(TOKEN)} } })), 6000);\n`,
    );
    const config = parse(fake!.kubeconfig({ contextName: 'live-a', namespace: 'shop', user: 'token' })) as {
      clusters: { name: string }[];
      users: unknown[];
      contexts: unknown[];
    };
    config.users.push({
      name: 'device-user',
      user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: process.execPath, args: [script] } },
    });
    config.contexts.push({ name: 'device-login', context: { cluster: config.clusters[0]?.name, user: 'device-user' } });
    writeFileSync(kubeconfigPath, stringify(config));
    await tree.getByRole('treeitem', { name: /^device-login\b/ }).waitFor({ timeout: 30_000 });

    // Approve the exact command first (nothing runs before), then expand: the plugin prints its prompt and waits.
    await runCommand(page, 'ClusterDeck: Approve Credential Plugin…');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('device-login');
    await page.keyboard.press('Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Allow', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const expanded = Date.now();
    await tree.getByRole('treeitem', { name: /^device-login\b/ }).click();
    const toast = page.locator('.notification-toast', { hasText: 'Sign-in for context "device-login"' });
    await toast.waitFor({ timeout: 5_000 });
    const shownAfterMs = Date.now() - expanded;
    assert.ok(shownAfterMs < 3_000, `the prompt showed after ${shownAfterMs} ms`);
    await toast.getByRole('button', { name: 'Copy Code' }).waitFor();
    await toast.getByRole('button', { name: 'Open URL' }).waitFor();
    assert.match(await toast.innerText(), /enter the code ABCD-EFGH/);
    await page.waitForTimeout(800); // the toast slides in: let it settle for the screenshot
    await screenshot(page, '13-exec-device-code-prompt');
    // The plugin then prints its credential and the context lists its namespaces.
    try {
      await tree.getByRole('treeitem', { name: /^payments\b/ }).waitFor({ timeout: 20_000 });
    } catch (e) {
      await screenshot(page, '13-exec-device-code-FAILED');
      throw e;
    }
  });

  test('S5/S6: no canary token in the workbench settings, state, global storage or the ClusterDeck log', async () => {
    assert.ok(wb);
    await assertNoStoredSecrets(wb, [TOKEN], join(dir, 'kubeconfig.yaml'));
  });
});
