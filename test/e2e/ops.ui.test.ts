// Logs, Describe and Rollback in a real VS Code (code-server + Chromium) against the fake cluster: the
// extension-host suite of these actions (suites/ops.test.ts) runs first inside it, then UI scenarios driven from
// the palette like a user, each saving a screenshot under test-results/screenshots/.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';
import { writeExplorerFixture } from './fixtures';
import type { SuiteResult } from './harness/runSuites';
import { assertNoStoredSecrets, repoRoot, runCommand, screenshot, showClusterDeck, startWorkbench, type Workbench } from './workbench';

const skip = process.env.CLUSTERDECK_SKIP_E2E === '1' ? 'CLUSTERDECK_SKIP_E2E=1' : false;
const TOKEN = 'e2e-ops-canary-token-3b7c';

/** Waits for the quick input titled like `title`, types `filter` and accepts the focused item. */
async function choose(page: Page, title: RegExp, filter: string, expectFirst?: RegExp): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 30_000 });
  const input = widget.locator('input.input');
  await input.fill(filter);
  const focused = widget.locator('.quick-input-list .monaco-list-row.focused');
  await focused.first().waitFor({ timeout: 15_000 });
  if (expectFirst)
    await widget.locator('.quick-input-list .monaco-list-row.focused', { hasText: expectFirst }).waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

async function failShot<T>(page: Page, name: string, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    await screenshot(page, `${name}-FAILED`);
    throw e;
  }
}

describe('VS Code workbench: logs, describe and rollback', { skip, timeout: 15 * 60_000 }, () => {
  let fake: FakeKube | undefined;
  let fakeHttp: FakeKube | undefined;
  let wb: Workbench | undefined;
  let dir = '';
  let resultsPath = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-ops-ui-'));
    fake = await startFakeKube({ tls: 'tls', token: TOKEN, seed: 'demo' });
    fakeHttp = await startFakeKube({});
    const fixture = await writeExplorerFixture(dir, fake, fakeHttp, TOKEN);
    const kubeconfigPath = join(dir, 'kubeconfig.yaml');
    writeFileSync(kubeconfigPath, fixture.kubeconfigText);
    resultsPath = join(dir, 'ext-host-results.json');
    wb = await startWorkbench({
      workspace: join(repoRoot, 'examples'),
      env: {
        KUBECONFIG: kubeconfigPath,
        CLUSTERDECK_TEST_SUITES: join(repoRoot, 'out', 'e2e', 'suites'),
        CLUSTERDECK_TEST_RESULTS: resultsPath,
        CLUSTERDECK_MOCHA_PATH: require.resolve('mocha'),
        CLUSTERDECK_TEST_GREP: '^(Ops actions|Tuning editor)',
        CLUSTERDECK_E2E_EXEC_MARKER: fixture.markerPath,
      },
      // The fixture's fake-http context is plain http on loopback: contacted only with the opt-in (B14).
      userSettings: { 'clusterdeck.clusters.allowPlainHttp': ['fake-http'] },
    });
  });

  after(async () => {
    await wb?.close();
    await fake?.close();
    await fakeHttp?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('extension-host suite: logs, describe and events', { timeout: 5 * 60_000 }, async (t) => {
    const deadline = Date.now() + 4 * 60_000;
    while (!existsSync(resultsPath) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    assert.ok(existsSync(resultsPath), `the harness wrote no results; code-server log:\n${wb?.serverLog().slice(-4000)}`);
    const report = JSON.parse(readFileSync(resultsPath, 'utf8')) as { results: SuiteResult[]; crashed?: string };
    assert.equal(report.crashed, undefined, report.crashed);
    assert.ok(report.results.length >= 7, `expected the ops suite to run, got ${report.results.length} results`);
    for (const r of report.results) {
      await t.test(r.title, () => {
        if (r.state === 'failed') throw new Error(r.error ?? 'failed');
      });
    }
  });

  test('UI: logs streaming — follow a pod log from the palette; appended lines arrive and the editor stays at the end', async () => {
    const page = wb!.page;
    await runCommand(page, 'View: Close All Editors');
    await showClusterDeck(page);
    const pods = fake!.list('v1', 'Pod', 'shop').filter((p) => p.metadata.name?.startsWith('cart-api-'));
    const first = pods[0]?.metadata.name ?? '';
    await runCommand(page, 'ClusterDeck: Show Logs…');
    await failShot(page, '30-logs-streaming', choose(page, /Logs: context/, 'fake-a', /fake-a/));
    await failShot(page, '30-logs-streaming', choose(page, /Logs: namespace on fake-a/, 'shop', /shop/));
    await choose(page, /Logs: kind/, 'Deployments', /Deployments/);
    await choose(page, /Logs: Deployment in shop/, 'cart-api', /cart-api/);
    await choose(page, /which pod of Deployment "cart-api"/, first, new RegExp(first));
    // Options: "Follow" is ticked by default; accept. Then the amount: the last 500 lines.
    const options = page.locator('.quick-input-widget');
    await options.locator('.quick-input-title', { hasText: /Logs of api: options/ }).waitFor({ timeout: 30_000 });
    await options.locator('.quick-input-list .monaco-list-row', { hasText: 'Follow' }).waitFor();
    await page.keyboard.press('Enter');
    await choose(page, /Logs of api: how much/, 'Last 500', /Last 500 lines/);
    const editor = page.locator('.editor-group-container.active .monaco-editor');
    await failShot(page, '30-logs-streaming', editor.locator('.view-lines', { hasText: 'line 20' }).waitFor({ timeout: 30_000 }));
    for (let wait = 0; wait < 100 && fake!.logFollowers('shop', first, 'api') === 0; wait++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(fake!.logFollowers('shop', first, 'api'), 1, 'the view follows the log (one open request)');
    // Lines written by the container while the view is open: three bursts, more than a screenful.
    for (let burst = 0; burst < 3; burst++) {
      fake!.appendLog(
        'shop',
        first,
        'api',
        Array.from(
          { length: 25 },
          (_, i) => `2026-01-01T00:00:00Z INFO request ${burst * 25 + i + 1} GET /api/cart/${burst * 25 + i + 1} 200 3ms`,
        ),
      );
      await new Promise((r) => setTimeout(r, 300));
    }
    // The newest line is on screen: the editor scrolled to the end by itself.
    await failShot(page, '30-logs-streaming', editor.locator('.view-lines', { hasText: 'request 75 GET' }).waitFor({ timeout: 15_000 }));
    const lineNumber = (n: number) => editor.locator('.margin-view-overlays .line-numbers', { hasText: new RegExp(`^${n}$`) });
    assert.equal(await lineNumber(1).count(), 0, 'the top of the log scrolled out of view');
    await screenshot(page, '30-logs-streaming');
    // Scrolled up by the user: new lines arrive but the view stays where the user put it...
    await editor.locator('.view-lines').click();
    await page.keyboard.press('Control+Home');
    await lineNumber(1).waitFor();
    fake!.appendLog(
      'shop',
      first,
      'api',
      Array.from({ length: 25 }, (_, i) => `2026-01-01T00:00:01Z INFO request ${76 + i} GET /api/cart 200`),
    );
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(
      await editor.locator('.view-lines', { hasText: 'request 100 GET' }).count(),
      0,
      'a user who scrolled up is not dragged down',
    );
    assert.equal(await lineNumber(1).count(), 1);
    // ...and back at the end, it follows again.
    await page.keyboard.press('Control+End');
    fake!.appendLog(
      'shop',
      first,
      'api',
      Array.from({ length: 25 }, (_, i) => `2026-01-01T00:00:02Z INFO request ${101 + i} GET /api/cart 200`),
    );
    await editor.locator('.view-lines', { hasText: 'request 125 GET' }).waitFor({ timeout: 15_000 });
    // Closing the log tab ends the request on the server.
    await runCommand(page, 'View: Close All Editors');
    for (let wait = 0; wait < 100 && fake!.logFollowers('shop', first, 'api') > 0; wait++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(fake!.logFollowers('shop', first, 'api'), 0, 'closing the view stopped the stream');
  });

  test('UI: logs of a multi-container pod ask which container (the default one first, init containers marked)', async () => {
    const page = wb!.page;
    await runCommand(page, 'ClusterDeck: Show Logs…');
    await choose(page, /Logs: context/, 'fake-a', /fake-a/);
    await choose(page, /Logs: namespace on fake-a/, 'monitoring', /monitoring/);
    await choose(page, /Logs: kind/, 'Pods', /Pods/);
    await choose(page, /Logs: Pod in monitoring/, 'alertmanager', /alertmanager-/);
    const widget = page.locator('.quick-input-widget');
    await widget.locator('.quick-input-title', { hasText: /which container of pod "alertmanager-/ }).waitFor({ timeout: 30_000 });
    const rows = widget.locator('.quick-input-list .monaco-list-row');
    await rows.first().waitFor();
    assert.match((await rows.nth(0).getAttribute('aria-label')) ?? '', /^alertmanager, /, 'the kubectl default container comes first');
    await widget.locator('.quick-input-list .monaco-list-row', { hasText: /init-config[\s\S]*init container/ }).waitFor();
    await screenshot(page, '34-logs-container-pick');
    await choose(page, /which container of pod "alertmanager-/, 'config-reloader', /config-reloader/);
    await widget.locator('.quick-input-title', { hasText: /Logs of config-reloader: options/ }).waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    await choose(page, /Logs of config-reloader: how much/, 'Last 500', /Last 500 lines/);
    const editor = page.locator('.editor-group-container.active .monaco-editor');
    await failShot(
      page,
      '34-logs-container',
      editor.locator('.view-lines', { hasText: '[config-reloader]' }).first().waitFor({ timeout: 30_000 }),
    );
    const request = fake!.requests.filter((r) => r.path.endsWith('/log') && r.path.includes('/namespaces/monitoring/')).at(-1);
    assert.deepEqual(request?.query, { container: 'config-reloader', follow: 'true', tailLines: '500' });
    await runCommand(page, 'View: Close All Editors');
  });

  test('UI: events of a namespace from the palette, warnings counted', async () => {
    const page = wb!.page;
    await runCommand(page, 'ClusterDeck: Show Events…');
    await choose(page, /Events: context/, 'fake-a', /fake-a/);
    await choose(page, /Events: namespace on fake-a/, 'shop', /shop/);
    await choose(page, /Events: kind/, 'All events', /All events of namespace "shop"/);
    const editor = page.locator('.editor-group-container.active .monaco-editor');
    await failShot(page, '33-events', editor.locator('.view-lines', { hasText: 'Warnings (newest last)' }).waitFor({ timeout: 30_000 }));
    await editor.locator('.view-lines', { hasText: 'Back-off restarting failed container' }).waitFor();
    await screenshot(page, '33-events');
    await runCommand(page, 'View: Close All Editors');
  });

  test('UI: describe a pod from the palette', async () => {
    const page = wb!.page;
    // Listing namespaces is forbidden to this user: the context's own namespace is still offered.
    const allow = fake!.forbid({ verb: 'list', resource: 'namespaces' });
    await runCommand(page, 'ClusterDeck: Describe…');
    await choose(page, /Describe: context/, 'fake-a', /fake-a/);
    const widget = page.locator('.quick-input-widget');
    await widget
      .locator('.quick-input-list .monaco-list-row', { hasText: 'Other namespaces cannot be listed: Forbidden' })
      .waitFor({ timeout: 30_000 });
    assert.equal(await widget.locator('.quick-input-list .monaco-list-row').count(), 1);
    allow();
    await choose(page, /Describe: namespace on fake-a/, 'shop', /shop/);
    await choose(page, /Describe: kind/, 'Pods', /Pods/);
    await choose(page, /Describe: Pod in shop/, 'checkout', /checkout-/);
    const editor = page.locator('.editor-group-container.active .monaco-editor');
    await failShot(page, '31-describe', editor.locator('.view-lines', { hasText: 'CrashLoopBackOff' }).waitFor({ timeout: 30_000 }));
    await editor.locator('.view-lines', { hasText: 'Restart Count' }).waitFor();
    await screenshot(page, '31-describe');
    await runCommand(page, 'View: Close All Editors');
  });

  test('UI: roll back a Deployment to a chosen revision (pick, confirmation naming the target, patch on the server)', async () => {
    const page = wb!.page;
    await runCommand(page, 'ClusterDeck: Roll Back to Revision…');
    await choose(page, /Roll Back: context/, 'fake-a', /fake-a/);
    await choose(page, /Roll Back: namespace on fake-a/, 'shop', /shop/);
    await choose(page, /Roll Back: kind/, 'Deployments', /Deployments/);
    await choose(page, /Roll Back: Deployment in shop/, 'frontend', /frontend/);
    const widget = page.locator('.quick-input-widget');
    await failShot(
      page,
      '32-rollback',
      widget.locator('.quick-input-list .monaco-list-row', { hasText: 'Revision 3 (current)' }).waitFor({ timeout: 30_000 }),
    );
    await widget.locator('.quick-input-list .monaco-list-row', { hasText: 'nginx:1.25.5' }).waitFor();
    await screenshot(page, '32-rollback');
    await choose(page, /Roll back Deployment "shop\/frontend" on fake-a to revision/, 'Revision 1', /Revision 1/);
    const dialog = page.locator('.monaco-dialog-box');
    await failShot(page, '32-rollback-confirm', dialog.waitFor({ timeout: 30_000 }));
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Roll back Deployment "shop\/frontend"\?/);
    assert.match(text, /Context: fake-a/);
    assert.match(text, /Server: https:\/\/127\.0\.0\.1:\d+/);
    assert.match(text, /To revision 1 \(nginx:1\.25\.5\), replacing revision 3 \(nginx:1\.27\.4\)/);
    await screenshot(page, '32-rollback-confirm');
    assert.equal(fake!.requests.filter((r) => r.method === 'PATCH').length, 0, 'nothing changed before the confirmation');
    await dialog.getByRole('button', { name: 'Roll back', exact: true }).click();
    for (let wait = 0; wait < 100; wait++) {
      const image = (
        fake!.get('apps/v1', 'Deployment', 'shop', 'frontend')?.['spec'] as { template: { spec: { containers: { image: string }[] } } }
      ).template.spec.containers[0]?.image;
      if (image === 'nginx:1.25.5') return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail('the Deployment was not rolled back to nginx:1.25.5');
  });

  test('S5/S6: no canary token in the workbench settings, state, global storage or the ClusterDeck log', async () => {
    assert.ok(wb);
    await assertNoStoredSecrets(wb, [TOKEN], join(dir, 'kubeconfig.yaml'));
  });
});
