// The Clusters tree's structure in a real workbench: its own code-server, two fake API servers and a fixture
// kubeconfig. First the extension-host suite test/e2e/suites/tree.test.ts (only that one), then UI scenarios with
// screenshots: several clusters expanded, a Deployment's pods, an RBAC denial, a read-only context.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { stringify } from 'yaml';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';
import { widgetCrd } from './fixtures';
import { assertNoStoredSecrets, repoRoot, runCommand, screenshot, showClusterDeck, startWorkbench, type Workbench } from './workbench';
import type { SuiteResult } from './harness/runSuites';

const skip = process.env.CLUSTERDECK_SKIP_E2E === '1' ? 'CLUSTERDECK_SKIP_E2E=1' : false;
const TOKEN = 'tree-ui-canary-token-5d21';
const LIMITED_TOKEN = 'tree-ui-limited-token-77e0';

/** fake-a (token, demo, current), fake-b (anonymous, read-only by setting), limited (on fake-b, may not list namespaces). */
function kubeconfigFor(a: FakeKube, b: FakeKube): string {
  const ca = (f: FakeKube) => Buffer.from(f.ca?.certPem ?? '').toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'fake-a',
    clusters: [
      { name: 'fake-a', cluster: { server: a.url, 'certificate-authority-data': ca(a) } },
      { name: 'fake-b', cluster: { server: b.url, 'certificate-authority-data': ca(b) } },
    ],
    users: [
      { name: 'a-user', user: { token: TOKEN } },
      { name: 'anonymous', user: {} },
      { name: 'limited-user', user: { token: LIMITED_TOKEN } },
    ],
    contexts: [
      { name: 'fake-a', context: { cluster: 'fake-a', user: 'a-user', namespace: 'shop' } },
      { name: 'fake-b', context: { cluster: 'fake-b', user: 'anonymous', namespace: 'payments' } },
      { name: 'limited', context: { cluster: 'fake-b', user: 'limited-user', namespace: 'payments' } },
    ],
  });
}

async function expand(tree: Locator, name: RegExp, page: Page, failShot: string): Promise<void> {
  const row = tree.getByRole('treeitem', { name }).first();
  await row.waitFor({ timeout: 30_000 }).catch(async (e: unknown) => {
    await screenshot(page, `${failShot}-FAILED`);
    throw e;
  });
  // The twistie: a click on an object's label opens its YAML instead. A live redraw can move rows under the
  // pointer, so check that this row really expanded and click again if not.
  for (let attempt = 0; attempt < 4 && (await row.getAttribute('aria-expanded')) !== 'true'; attempt++) {
    await row.locator('.monaco-tl-twistie').click();
    await page.waitForTimeout(400);
  }
}

/** Hides notification toasts (they stay in the notification center) and closes editors, for a clean screenshot. */
async function tidy(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
  const toasts = page.locator('.notifications-toasts .notification-toast');
  for (let i = 0; i < 5 && (await toasts.count()) > 0; i++) {
    await toasts.first().click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Escape');
  }
}

async function collapseAll(page: Page): Promise<void> {
  const tree = page.locator('#workbench\\.parts\\.sidebar');
  const header = tree.locator('.pane-header', { hasText: 'Clusters' }).first();
  await header.hover();
  await header.getByRole('button', { name: /Collapse All/ }).click();
}

/** Opens an item's context menu and returns the menu's entries (the menu stays open). */
async function contextMenuOf(page: Page, row: Locator): Promise<string[]> {
  await row.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor();
  await menu.getByRole('menuitem').first().waitFor();
  return (await menu.getByRole('menuitem').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

describe('Clusters tree structure (code-server + Chromium)', { skip, timeout: 20 * 60_000 }, () => {
  let fakeA: FakeKube | undefined;
  let fakeB: FakeKube | undefined;
  let wb: Workbench | undefined;
  let dir = '';
  let resultsPath = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-tree-'));
    fakeA = await startFakeKube({ tls: 'tls', token: TOKEN, seed: 'demo' });
    fakeA.upsert(widgetCrd);
    fakeA.upsert({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'blue-widget', namespace: 'shop' }, spec: { size: 3 } });
    // RBAC on fake-a: no deleting Deployments and no listing Secrets in "payments" (requests and SSARs agree).
    fakeA.forbid({ verb: 'delete', resource: 'deployments', namespace: 'payments' });
    fakeA.forbid({ verb: 'list', resource: 'secrets', namespace: 'payments' });
    fakeB = await startFakeKube({ tls: 'tls', seed: 'demo', tokenUser: 'limited' });
    fakeB.forbid({ verb: 'list', resource: 'namespaces', user: 'limited' });
    const kubeconfigPath = join(dir, 'kubeconfig.yaml');
    writeFileSync(kubeconfigPath, kubeconfigFor(fakeA, fakeB));
    resultsPath = join(dir, 'ext-host-results.json');
    wb = await startWorkbench({
      workspace: join(repoRoot, 'examples'),
      env: {
        KUBECONFIG: kubeconfigPath,
        CLUSTERDECK_TEST_SUITES: join(repoRoot, 'out', 'e2e', 'suites'),
        CLUSTERDECK_TEST_RESULTS: resultsPath,
        CLUSTERDECK_MOCHA_PATH: require.resolve('mocha'),
        CLUSTERDECK_TEST_GREP: 'Tree:',
        CLUSTERDECK_TREE_FIXTURE: '1',
      },
      userSettings: {
        'clusterdeck.explorer.readOnlyContexts': ['fake-b'],
        'clusterdeck.explorer.namespaces': { limited: ['monitoring'] },
      },
    });
  });

  after(async () => {
    await wb?.close();
    await fakeA?.close();
    await fakeB?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('extension-host suite: tree structure, RBAC, read-only', { timeout: 5 * 60_000 }, async (t) => {
    const deadline = Date.now() + 4 * 60_000;
    while (!existsSync(resultsPath) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    assert.ok(existsSync(resultsPath), `the harness wrote no results; code-server log:\n${wb?.serverLog().slice(-4000)}`);
    const report = JSON.parse(readFileSync(resultsPath, 'utf8')) as { results: SuiteResult[]; crashed?: string };
    assert.equal(report.crashed, undefined, report.crashed);
    assert.ok(report.results.length >= 11, `expected the tree suite to run, got ${report.results.length} results`);
    for (const r of report.results) {
      await t.test(r.title, () => {
        if (r.state === 'failed') throw new Error(r.error ?? 'failed');
      });
    }
    // The read-only context (fake-b, anonymous: no Authorization header) was browsed (GETs, access reviews) but
    // received not one mutating request. The "limited" context shares the server and is not read-only (its token
    // is sent), so its requests (e.g. Velero's ServerStatusRequest) are not the read-only context's.
    const toB = fakeB!.requests.filter((r) => !r.headers.authorization);
    assert.ok(toB.some((r) => r.method === 'GET' && r.path === '/apis/apps/v1/namespaces/shop/deployments'));
    const mutating = toB.filter(
      (r) => r.method !== 'GET' && r.method !== 'HEAD' && !(r.method === 'POST' && r.path.endsWith('/selfsubjectaccessreviews')),
    );
    assert.deepEqual(
      mutating.map((r) => `${r.method} ${r.path}`),
      [],
    );
  });

  test('UI: several clusters expanded at once', async () => {
    const page = wb!.page;
    await showClusterDeck(page);
    const tree = page.locator('#workbench\\.parts\\.sidebar');
    for (const title of ['Clouds', 'Backups']) {
      const header = tree.locator('.pane-header', { hasText: title }).first();
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
    // A wider sidebar, as a user would drag it, so descriptions and messages fit.
    const box = await tree.boundingBox();
    if (box) {
      await page.mouse.move(box.x + box.width + 1, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width + 260, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
    }
    await runCommand(page, 'ClusterDeck: Refresh Clusters');
    await expand(tree, /^fake-a\b/, page, '20');
    await expand(tree, /^fake-b\b/, page, '20');
    await tree
      .getByRole('treeitem', { name: /^Cluster$/ })
      .nth(1)
      .waitFor({ timeout: 30_000 });
    assert.equal(await tree.getByRole('treeitem', { name: /^Cluster$/ }).count(), 2);
    assert.equal(await tree.getByRole('treeitem', { name: /^payments\b/ }).count(), 2);
    await tree
      .getByRole('treeitem', { name: /^kube-system\b/ })
      .nth(1)
      .waitFor();
    // fake-a's cluster level: nodes with their usage from metrics-server.
    await expand(tree, /^Cluster$/, page, '20');
    await expand(tree, /^Nodes$/, page, '20');
    await tree
      .locator('.monaco-list-row', { hasText: /Ready · cpu \d+m\/1930m/ })
      .first()
      .waitFor({ timeout: 30_000 });
    await tidy(page);
    await screenshot(page, '20-several-clusters');
  });

  test("UI: a Deployment's pods, and a pod's containers", async () => {
    const page = wb!.page;
    const tree = page.locator('#workbench\\.parts\\.sidebar');
    await collapseAll(page);
    await expand(tree, /^fake-a\b/, page, '21');
    await expand(tree, /^shop\b/, page, '21');
    await expand(tree, /^Workloads\b/, page, '21');
    await expand(tree, /^Deployments\b/, page, '21');
    await expand(tree, /^frontend\b/, page, '21');
    await tree
      .getByRole('treeitem', { name: /^frontend-[a-z0-9]+-[a-z0-9]+\b/ })
      .nth(2)
      .waitFor({ timeout: 30_000 });
    await tree
      .getByRole('treeitem', { name: /^ReplicaSets$/ })
      .nth(1)
      .waitFor(); // the Deployment's, besides the Workloads folder
    await expand(tree, /^checkout\b/, page, '21');
    await expand(tree, /^checkout-[a-z0-9]+-[a-z0-9]+\b/, page, '21');
    const container = tree.locator('.monaco-list-row', { hasText: 'last: OOMKilled' }).first();
    await container.waitFor({ timeout: 30_000 }).catch(async (e: unknown) => {
      await screenshot(page, '21-FAILED');
      throw e;
    });
    assert.match(await container.innerText(), /waiting \(CrashLoopBackOff\)/);
    await tidy(page);
    await screenshot(page, '21-deployment-pods');
  });

  test('UI: an RBAC denial quotes verb, resource and namespace; Delete is hidden where SSAR says no', async () => {
    const page = wb!.page;
    const tree = page.locator('#workbench\\.parts\\.sidebar');
    await collapseAll(page);
    await expand(tree, /^fake-a\b/, page, '22');
    await expand(tree, /^payments\b/, page, '22');
    await expand(tree, /^Workloads\b/, page, '22');
    await expand(tree, /^Deployments\b/, page, '22');
    await expand(tree, /^Config\b/, page, '22');
    await expand(tree, /^Secrets\b/, page, '22');
    await tidy(page);
    await tree
      .getByRole('treeitem', { name: /Forbidden: you cannot list secrets in namespace "payments" on context "fake-a"/ })
      .waitFor({ timeout: 30_000 });
    const row = tree.getByRole('treeitem', { name: /^payments-api\b/ });
    await row.waitFor({ timeout: 30_000 });
    const entries = await contextMenuOf(page, row);
    assert.ok(
      entries.some((e) => e.startsWith('Open as YAML')),
      entries.join(' | '),
    );
    assert.ok(
      entries.some((e) => e.startsWith('Restart (Rollout)')),
      entries.join(' | '),
    );
    assert.ok(!entries.some((e) => e.startsWith('Delete')), `Delete is hidden: ${entries.join(' | ')}`);
    await screenshot(page, '22-rbac-denial');
    await page.keyboard.press('Escape');
  });

  test('UI: a read-only context: badge, no mutating action, refusals explained', async () => {
    const page = wb!.page;
    const tree = page.locator('#workbench\\.parts\\.sidebar');
    await collapseAll(page);
    await tidy(page);
    const context = tree.getByRole('treeitem', { name: /^fake-b\b/ });
    await context.waitFor();
    assert.match(await context.innerText(), /read-only/);
    await expand(tree, /^fake-b\b/, page, '23');
    await expand(tree, /^shop\b/, page, '23');
    await expand(tree, /^Workloads\b/, page, '23');
    await expand(tree, /^Deployments\b/, page, '23');
    const row = tree.getByRole('treeitem', { name: /^frontend\b/ });
    await row.waitFor({ timeout: 30_000 });
    const entries = await contextMenuOf(page, row);
    assert.ok(
      entries.some((e) => e.startsWith('Open as YAML')),
      entries.join(' | '),
    );
    for (const action of ['Delete', 'Scale', 'Restart'])
      assert.ok(!entries.some((e) => e.startsWith(action)), `${action} hidden: ${entries.join(' | ')}`);
    await screenshot(page, '23b-read-only-menu');
    await page.keyboard.press('Escape');
    // The suite's refused commands left their messages in the notification center.
    await runCommand(page, 'Notifications: Show Notifications');
    await page
      .locator('.notifications-center')
      .getByText(/Context "fake-b" is in read-only mode: ClusterDeck will not (delete|scale|restart|roll|open a shell|apply)/)
      .first()
      .waitFor({ timeout: 15_000 });
    await screenshot(page, '23-read-only');
  });

  test('UI: deleting six selected pods needs one confirmation listing them and the first name typed', async () => {
    const page = wb!.page;
    const tree = page.locator('#workbench\\.parts\\.sidebar');
    await runCommand(page, 'Notifications: Clear All Notifications');
    fakeA!.seedPods('bulk', 7, { namePrefix: 'bulk' });
    await runCommand(page, 'ClusterDeck: Refresh Clusters');
    await collapseAll(page);
    await tidy(page);
    await expand(tree, /^fake-a\b/, page, '24');
    await expand(tree, /^bulk\b/, page, '24');
    await expand(tree, /^Workloads\b/, page, '24');
    await expand(tree, /^Pods\b/, page, '24');
    const pods = tree.getByRole('treeitem', { name: /^bulk-\d+\b/ });
    await pods.nth(6).waitFor({ timeout: 30_000 });
    // Select six of the seven: click the first, then Ctrl-click five more.
    await pods.nth(0).locator('.label-name').click();
    for (let i = 1; i < 6; i++)
      await pods
        .nth(i)
        .locator('.label-name')
        .click({ modifiers: ['Control'] });
    await runCommand(page, 'View: Close All Editors'); // a click opens the pod's YAML; keep the view tidy
    await pods.nth(5).click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    await menu.waitFor();
    const deleteItem = menu.getByRole('menuitem', { name: /Delete…/ });
    for (let i = 0; i < 12 && !/\bfocused\b/.test((await deleteItem.locator('..').getAttribute('class')) ?? ''); i++)
      await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 }).catch(async (e: unknown) => {
      await screenshot(page, '24-FAILED');
      throw e;
    });
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Delete 6 objects\?/);
    assert.match(text, /Pod bulk\/bulk-00000/);
    assert.match(text, /Context: fake-a/);
    await screenshot(page, '24-bulk-delete-confirmation');
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-widget', { hasText: 'Type "bulk-00000" to confirm' }).waitFor({ timeout: 15_000 });
    await input.fill('bulk-0000');
    await page.locator('.quick-input-widget', { hasText: 'exactly' }).waitFor();
    await screenshot(page, '24b-bulk-delete-typed-name');
    await input.fill('bulk-00000');
    await page.keyboard.press('Enter');
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && fakeA!.list('v1', 'Pod', 'bulk').length > 1) await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(
      fakeA!.list('v1', 'Pod', 'bulk').map((p) => p.metadata.name),
      ['bulk-00006'],
      'the six selected pods are deleted, the seventh is not',
    );
  });

  test('UI: deleting a namespace needs its name typed; a wrong or cancelled name deletes nothing', async () => {
    const page = wb!.page;
    const tree = page.locator('#workbench\\.parts\\.sidebar');
    fakeA!.upsert({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'scratch' } });
    await runCommand(page, 'ClusterDeck: Refresh Clusters');
    await collapseAll(page);
    await tidy(page);
    await expand(tree, /^fake-a\b/, page, '25');
    await expand(tree, /^Cluster\b/, page, '25');
    await expand(tree, /^Namespaces\b/, page, '25');
    // In the Cluster group (listed first) namespaces are objects; the context's own namespace items come after.
    const row = tree.getByRole('treeitem', { name: /^scratch\b.*Active/ }).first();
    await row.waitFor({ timeout: 30_000 });
    const entries = await contextMenuOf(page, row);
    assert.ok(
      entries.some((e) => e.startsWith('Delete')),
      entries.join(' | '),
    );
    const deleteItem = page.locator('.context-view .monaco-menu').getByRole('menuitem', { name: /Delete…/ });
    for (let i = 0; i < 12 && !/\bfocused\b/.test((await deleteItem.locator('..').getAttribute('class')) ?? ''); i++)
      await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    assert.match(
      (await dialog.innerText()).replace(/\s+/g, ' '),
      /Delete Namespace "scratch"\?.*Every object in namespace "scratch" is deleted with it/,
    );
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.locator('.quick-input-widget', { hasText: 'Type "scratch" to confirm' }).waitFor({ timeout: 15_000 });
    await page.locator('.quick-input-widget input').fill('scratc');
    await screenshot(page, '25-delete-namespace-typed-name');
    await page.keyboard.press('Escape');
    await new Promise((r) => setTimeout(r, 1_000));
    assert.ok(fakeA!.get('v1', 'Namespace', undefined, 'scratch'), 'cancelled at the typed name: nothing deleted');
  });

  test('S5/S6: no canary token in the workbench settings, state, global storage or the ClusterDeck log', async () => {
    assert.ok(wb);
    await assertNoStoredSecrets(wb, [TOKEN], join(dir, 'kubeconfig.yaml'));
  });
});
