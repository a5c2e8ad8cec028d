// The real-VS-Code layer: one code-server workbench with ClusterDeck and the harness, against fake API servers.
// First the extension-host suites run inside it (reported here one by one), then UI scenarios click like a
// user and save a screenshot each under test-results/screenshots/.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';
import { widgetCrd, writeExplorerFixture, type ExplorerFixture } from './fixtures';
import { repoRoot, runCommand, screenshot, showClusterDeck, startWorkbench, type Workbench } from './workbench';
import type { SuiteResult } from './harness/runSuites';

const skip = process.env.CLUSTERDECK_SKIP_E2E === '1' ? 'CLUSTERDECK_SKIP_E2E=1' : false;
const TOKEN = 'e2e-canary-token-7f3a91';

describe('VS Code workbench (code-server + Chromium)', { skip, timeout: 20 * 60_000 }, () => {
  let fakeA: FakeKube | undefined;
  let fakeHttp: FakeKube | undefined;
  let wb: Workbench | undefined;
  let dir = '';
  let kubeconfigPath = '';
  let fixture: ExplorerFixture;
  let resultsPath = '';

  // The quick-fix scenario edits a file of examples/ (the workspace); put it back whatever happens.
  const brokenExample = join(repoRoot, 'examples', 'broken', 'configmap.yaml');
  const brokenExampleText = readFileSync(brokenExample, 'utf8');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-wb-'));
    fakeA = await startFakeKube({ tls: 'tls', token: TOKEN, seed: 'demo' });
    fakeA.upsert(widgetCrd);
    fakeHttp = await startFakeKube({});
    fixture = await writeExplorerFixture(dir, fakeA, fakeHttp, TOKEN);
    kubeconfigPath = join(dir, 'kubeconfig.yaml');
    writeFileSync(kubeconfigPath, fixture.kubeconfigText);
    resultsPath = join(dir, 'ext-host-results.json');
    wb = await startWorkbench({
      workspace: join(repoRoot, 'examples'),
      env: {
        KUBECONFIG: kubeconfigPath,
        CLUSTERDECK_TEST_SUITES: join(repoRoot, 'out', 'e2e', 'suites'),
        CLUSTERDECK_TEST_RESULTS: resultsPath,
        CLUSTERDECK_MOCHA_PATH: require.resolve('mocha'),
        CLUSTERDECK_E2E_EXEC_MARKER: fixture.markerPath,
      },
      // The fixture's fake-http context is plain http on loopback: contacted only with the opt-in (B14).
      userSettings: { 'clusterdeck.clusters.allowPlainHttp': ['fake-http'] },
    });
  });

  after(async () => {
    writeFileSync(brokenExample, brokenExampleText);
    await wb?.close();
    await fakeA?.close();
    await fakeHttp?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('extension-host suites', { timeout: 5 * 60_000 }, async (t) => {
    const deadline = Date.now() + 4 * 60_000;
    while (!existsSync(resultsPath) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    assert.ok(existsSync(resultsPath), `the harness wrote no results; code-server log:\n${wb?.serverLog().slice(-4000)}`);
    const report = JSON.parse(readFileSync(resultsPath, 'utf8')) as { results: SuiteResult[]; crashed?: string };
    assert.equal(report.crashed, undefined, report.crashed);
    assert.ok(report.results.length >= 5, `expected the suites to run, got ${report.results.length} results`);
    for (const r of report.results) {
      await t.test(r.title, () => {
        if (r.state === 'failed') throw new Error(r.error ?? 'failed');
      });
    }
  });

  test('UI: the ClusterDeck container shows its three views and their welcome states', async () => {
    const page = wb!.page;
    writeFileSync(kubeconfigPath, ''); // no contexts: the Clusters view shows its welcome
    await showClusterDeck(page);
    await runCommand(page, 'ClusterDeck: Refresh Clusters');
    const sidebar = page.locator('#workbench\\.parts\\.sidebar');
    await sidebar
      .getByText('No Kubernetes contexts were found')
      .waitFor({ timeout: 30_000 })
      .catch(async (e: unknown) => {
        await screenshot(page, '01-container-welcome-FAILED');
        throw e;
      });
    await sidebar.getByText('Connect a cloud account').waitFor();
    await sidebar.getByText('Velero backups, restores and schedules').waitFor();
    for (const title of ['Clusters', 'Clouds', 'Backups']) {
      await sidebar.locator('.pane-header', { hasText: title }).first().waitFor();
    }
    await screenshot(page, '01-container-welcome');
  });

  test('UI: contexts listed and a namespace expanded against the fake API server', async () => {
    const page = wb!.page;
    writeFileSync(kubeconfigPath, fixture.kubeconfigText);
    await runCommand(page, 'ClusterDeck: Refresh Clusters');
    const tree = page.locator('#workbench\\.parts\\.sidebar');
    for (const name of ['fake-a', 'fake-http', 'broken', 'prod-eks', 'exec-unapproved', 'missing-plugin']) {
      await tree.getByRole('treeitem', { name: new RegExp(`^${name}\\b`) }).waitFor({ timeout: 30_000 });
    }
    await tree.getByRole('treeitem', { name: /^fake-a\b/ }).click();
    await tree.getByRole('treeitem', { name: /^payments\b/ }).waitFor({ timeout: 30_000 });
    await tree.getByRole('treeitem', { name: /^shop\b/ }).waitFor();
    await screenshot(page, '02-contexts-and-namespaces');
    await tree.getByRole('treeitem', { name: /^fake-a\b/ }).click(); // collapse again
  });

  test('UI: a namespace opens into Workloads, Deployments and Pods with their status', async () => {
    const page = wb!.page;
    const tree = page.locator('#workbench\\.parts\\.sidebar');
    // Give the Clusters view the height of the sidebar: collapse the two other views, as a user would.
    for (const title of ['Clouds', 'Backups']) {
      const header = tree.locator('.pane-header', { hasText: title }).first();
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
    await runCommand(page, 'ClusterDeck: Refresh Clusters');
    await tree.getByRole('treeitem', { name: /^fake-a\b/ }).click();
    await tree.getByRole('treeitem', { name: /^shop\b/ }).click({ timeout: 30_000 });
    await tree.getByRole('treeitem', { name: /^Workloads\b/ }).click();
    await tree
      .getByRole('treeitem', { name: /^Pods\b/ })
      .click({ timeout: 15_000 })
      .catch(async (e: unknown) => {
        await screenshot(page, '03b-FAILED');
        throw e;
      });
    await tree
      .locator('.monaco-list-row .label-description', { hasText: /\d+\/\d+/ })
      .first()
      .waitFor({ timeout: 30_000 });
    await screenshot(page, '03b-namespace-workloads-pods');

    // Delete a pod from its context menu: the modal names what and where; only an explicit click deletes.
    // If the row was redrawn under the right-click (a live update), VS Code runs the command without its node and
    // the palette form asks "which context?": dismiss it and right-click again (up to three times).
    const podRow = tree.getByRole('treeitem', { name: /^redis-0\b/ });
    const dialog = page.locator('.monaco-dialog-box');
    const askContext = page.locator('.quick-input-widget .quick-input-title', { hasText: /which context/ });
    for (let attempt = 1; ; attempt++) {
      await podRow.click({ button: 'right' });
      const menu = page.locator('.context-view .monaco-menu');
      await menu.waitFor();
      // Menus swallow some clicks in headless Chromium (pointer block): choose with the keyboard.
      const deleteItem = menu.getByRole('menuitem', { name: /Delete…/ });
      for (let i = 0; i < 8 && !/\bfocused\b/.test((await deleteItem.locator('..').getAttribute('class')) ?? ''); i++)
        await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      // Each wait settles on its own (no rejection left unhandled by the race).
      const shown = await Promise.race([
        dialog.waitFor({ timeout: 30_000 }).then(
          () => 'dialog' as const,
          () => undefined,
        ),
        askContext.waitFor({ timeout: 30_000 }).then(
          () => 'palette' as const,
          () => undefined,
        ),
      ]);
      if (!shown) {
        await screenshot(page, '03d-FAILED');
        assert.fail('neither the delete confirmation nor the palette form appeared');
      }
      if (shown === 'dialog') break;
      await screenshot(page, `03d-retry-${attempt}`);
      assert.ok(attempt < 3, 'the context menu never passed the pod to Delete');
      await page.keyboard.press('Escape');
      await askContext.waitFor({ state: 'hidden' });
    }
    const dialogText = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(dialogText, /Delete Pod "shop\/redis-0"\?/);
    assert.match(dialogText, /Context: fake-a/);
    assert.match(dialogText, /Server: https:\/\/127\.0\.0\.1:\d+/);
    await screenshot(page, '03d-delete-confirmation');
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await tree.getByRole('treeitem', { name: /^redis-0\b/ }).waitFor({ state: 'detached', timeout: 15_000 });
    // The row can vanish in a live redraw before the DELETE has reached the server: wait for the server.
    for (let i = 0; i < 150 && fakeA?.get('v1', 'Pod', 'shop', 'redis-0'); i++) await page.waitForTimeout(100);
    assert.equal(fakeA?.get('v1', 'Pod', 'shop', 'redis-0'), undefined, 'the pod is gone from the API server');
    const header = tree.locator('.pane-header', { hasText: 'Clusters' }).first();
    await header.hover();
    await header.getByRole('button', { name: /Collapse All/ }).click();
    await tree.getByRole('treeitem', { name: /^shop\b/ }).waitFor({ state: 'detached' });
  });

  test('UI: an unreachable context shows its error while another context still expands', async () => {
    const page = wb!.page;
    const tree = page.locator('#workbench\\.parts\\.sidebar');
    await tree.getByRole('treeitem', { name: /^broken\b/ }).click();
    await tree.getByRole('treeitem', { name: /^fake-http\b/ }).click();
    await tree.getByRole('treeitem', { name: /Cannot reach https:\/\/127\.0\.0\.1:\d+/ }).waitFor({ timeout: 30_000 });
    await tree.getByRole('treeitem', { name: /^kube-node-lease\b/ }).waitFor({ timeout: 30_000 });
    await screenshot(page, '03-unreachable-beside-healthy');
    await tree.getByRole('treeitem', { name: /^missing-plugin\b/ }).click();
    await tree.getByRole('treeitem', { name: /is not installed/ }).waitFor({ timeout: 15_000 });
    await screenshot(page, '03c-missing-credential-plugin');
    assert.equal(existsSync(fixture.markerPath), false, 'no exec plugin ran');
  });

  test('UI: a manifest with a mistake shows in the Problems panel; a quick fix makes it disappear', async () => {
    const page = wb!.page;
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('broken/configmap.yaml');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'configmap.yaml' }).first().click();
    await page.locator('.monaco-editor .view-lines', { hasText: 'retries' }).waitFor();
    await runCommand(page, 'View: Focus Problems');
    const problems = page.locator('.markers-panel');
    const row = problems.locator('.monaco-list-row', { hasText: 'Duplicate key' });
    await row.waitFor({ timeout: 30_000 });
    await problems.getByText('yaml-duplicate-key').first().waitFor();
    await screenshot(page, '05-manifest-problems');
    await row.dblclick(); // opens the finding in the editor, with focus
    await page.locator('.monaco-editor.focused').waitFor();
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Disable yaml-duplicate-key for this line' });
    await fix.waitFor({ timeout: 15_000 });
    // The menu's pointer block swallows clicks in headless Chromium: choose with the keyboard, as many users do.
    for (let i = 0; i < 5 && !/\bfocused\b/.test((await fix.getAttribute('class')) ?? ''); i++) await page.keyboard.press('ArrowDown');
    await screenshot(page, '06-manifest-quick-fix-menu');
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-lines', { hasText: 'clusterdeck-disable-next-line yaml-duplicate-key' }).waitFor();
    await problems.locator('.monaco-list-row', { hasText: 'Duplicate key' }).waitFor({ state: 'detached', timeout: 15_000 });
    await screenshot(page, '07-manifest-fixed');
  });

  test('UI: Scale from the palette asks for the context, namespace, kind and object, then scales on the server', async () => {
    const page = wb!.page;
    const input = page.locator('.quick-input-widget input');
    const choose = async (title: RegExp, text: string) => {
      await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ timeout: 30_000 });
      await input.fill(text);
      await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: text }).waitFor();
      await page.keyboard.press('Enter');
    };
    await runCommand(page, 'ClusterDeck: Scale…');
    await choose(/which context/, 'fake-a');
    await choose(/which namespace/, 'shop');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: /what kind/ }).waitFor({ timeout: 30_000 });
    await screenshot(page, '08-palette-scale-kind');
    await input.fill('Deployments');
    await page.keyboard.press('Enter');
    await choose(/which Deployment/, 'frontend');
    await page.locator('.quick-input-widget', { hasText: 'Number of replicas' }).waitFor({ timeout: 15_000 });
    await input.fill('4');
    await page.keyboard.press('Enter');
    const deadline = Date.now() + 15_000;
    let replicas: unknown;
    while (Date.now() < deadline) {
      replicas = (fakeA?.get('apps/v1', 'Deployment', 'shop', 'frontend')?.spec as { replicas?: number } | undefined)?.replicas;
      if (replicas === 4) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(replicas, 4, 'the Deployment chosen in the palette was scaled on the server');
  });
});
