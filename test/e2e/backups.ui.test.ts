// The Backups view in a real workbench (code-server + Chromium) against the demo fake with its Velero controller:
// the ext-host Backups suite, then UI scenarios clicked and typed like a user, one screenshot each.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';
import { writeExplorerFixture } from './fixtures';
import {
  assertNoStoredSecrets,
  contextMenu,
  contextMenuUntil,
  onlyPane,
  repoRoot,
  runCommand,
  screenshot,
  showClusterDeck,
  startWorkbench,
  widenSidebar,
  type Workbench,
} from './workbench';
import type { SuiteResult } from './harness/runSuites';

const skip = process.env.CLUSTERDECK_SKIP_E2E === '1' ? 'CLUSTERDECK_SKIP_E2E=1' : false;
const TOKEN = 'e2e-velero-canary-token-3b7c';

async function step(page: Page, n: number): Promise<Locator> {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: `(${n}/8)` }).waitFor({ timeout: 30_000 });
  return widget;
}

describe('Backups view (code-server + Chromium)', { skip, timeout: 15 * 60_000 }, () => {
  let fake: FakeKube | undefined;
  let fakeHttp: FakeKube | undefined;
  let wb: Workbench | undefined;
  let dir = '';
  let resultsPath = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-velero-ui-'));
    // Slow enough that progress shows in the tree; fast enough for the test.
    fake = await startFakeKube({ tls: 'tls', token: TOKEN, seed: 'demo', veleroController: { stepMs: 1500 } });
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
        CLUSTERDECK_TEST_GREP: 'Backups view and Velero actions',
        CLUSTERDECK_MOCHA_PATH: require.resolve('mocha'),
        CLUSTERDECK_E2E_EXEC_MARKER: fixture.markerPath,
      },
      // The fixture's fake-http context is plain http on loopback: contacted only with the opt-in (B14).
      userSettings: { 'clusterdeck.clusters.allowPlainHttp': ['fake-http'] },
    });
  });

  after(async () => {
    await wb?.close().catch(() => undefined);
    await fake?.close().catch(() => undefined);
    await fakeHttp?.close().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('extension-host Backups suite', { timeout: 5 * 60_000 }, async (t) => {
    const deadline = Date.now() + 4 * 60_000;
    while (!existsSync(resultsPath) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    assert.ok(existsSync(resultsPath), `the harness wrote no results; code-server log:\n${wb?.serverLog().slice(-4000)}`);
    const report = JSON.parse(readFileSync(resultsPath, 'utf8')) as { results: SuiteResult[]; crashed?: string };
    assert.equal(report.crashed, undefined, report.crashed);
    assert.ok(report.results.length >= 5, `expected the Backups suite to run, got ${report.results.length} results`);
    for (const r of report.results) {
      await t.test(r.title, () => {
        if (r.state === 'failed') throw new Error(r.error ?? 'failed');
      });
    }
  });

  test('UI: Backups view with all four kinds (backups, restores, schedules, storage locations)', async () => {
    const page = wb!.page;
    await showClusterDeck(page);
    await widenSidebar(page);
    const pane = await onlyPane(page, 'Backups');
    await pane.getByRole('treeitem', { name: /^fake-a\b/ }).click();
    await pane
      .getByRole('treeitem', { name: /^Velero v1\.18\.1, namespace velero/ })
      .waitFor({ timeout: 30_000 })
      .catch(async (e: unknown) => {
        await screenshot(page, '60-backups-view-FAILED');
        throw e;
      });
    await pane.getByRole('treeitem', { name: /^Restores, 1/ }).click();
    await pane.getByRole('treeitem', { name: /^manual-before-upgrade-\d+, Completed · from manual-before-upgrade/ }).waitFor();
    await pane.getByRole('treeitem', { name: /^daily-shop, Every day at 01:00 \(UTC\)/ }).click();
    await pane.getByRole('treeitem', { name: /^default, Available · default · aws clusterdeck-sample-backups/ }).waitFor();
    await pane
      .getByRole('treeitem', { name: /^manual-before-upgrade, Completed · 10d · 190\/190 items · 1 warning · expires in \d+d/ })
      .waitFor();
    await pane.getByRole('treeitem', { name: /^daily-shop-\d+, PartiallyFailed · 7h · 84\/86 items · 2 errors, 5 warnings/ }).waitFor();
    await pane
      .getByRole('treeitem', { name: /^Next: \w{3} \d+ \w{3} 01:00 UTC/ })
      .first()
      .waitFor();
    await screenshot(page, '60-backups-view');
  });

  test('UI: a backup created from a namespace and followed to Completed', async () => {
    const page = wb!.page;
    const clusters = await onlyPane(page, 'Clusters');
    await clusters.getByRole('treeitem', { name: /^fake-a\b/ }).click();
    const ns = clusters.getByRole('treeitem', { name: /^payments\b/ });
    await ns.waitFor({ timeout: 30_000 });
    // Each namespace says which schedule covers it and when it was last backed up.
    await ns.filter({ hasText: /backup: hourly-payments · \d+[smhd] ago/ }).waitFor({ timeout: 15_000 });
    await clusters
      .getByRole('treeitem', { name: /^monitoring\b/ })
      .filter({ hasText: 'no backup schedule' })
      .waitFor();
    await screenshot(page, '61c-namespaces-backup-state');
    await contextMenu(page, ns, /Back Up Now…/);
    const first = await step(page, 1);
    // The namespace of the tree item is already picked.
    await first
      .locator('.quick-input-list .monaco-list-row', { hasText: 'payments' })
      .locator('input[type=checkbox]:checked')
      .waitFor({ state: 'attached' })
      .catch(() => undefined);
    await screenshot(page, '61a-backup-now-namespaces');
    await page.keyboard.press('Enter');
    for (const n of [2, 3, 4]) {
      await step(page, n);
      await page.keyboard.press('Enter');
    }
    await step(page, 5);
    await page.keyboard.press('Enter'); // Snapshot volumes
    const ttl = await step(page, 6);
    assert.equal(await ttl.locator('input').inputValue(), '720h0m0s');
    await ttl.locator('input').fill('30d');
    await ttl.getByText(/is not a duration/).waitFor();
    await ttl.locator('input').fill('168h');
    await ttl.getByText(/Expires \d{4}-\d\d-\d\d/).waitFor();
    await page.keyboard.press('Enter');
    await step(page, 7);
    await page.keyboard.press('Enter'); // default (Available)
    const name = await step(page, 8);
    await name.locator('input').fill('ui-payments');
    await page.keyboard.press('Enter');

    const backups = await onlyPane(page, 'Backups');
    const row = (phase: string) => backups.getByRole('treeitem', { name: new RegExp(`^ui-payments, ${phase}`) });
    await row('InProgress')
      .waitFor({ timeout: 30_000 })
      .then(() => screenshot(page, '61b-backup-in-progress'))
      .catch(() => undefined);
    await row('Completed · \\d+s · (\\d+)/\\1 items')
      .waitFor({ timeout: 60_000 })
      .catch(async (e: unknown) => {
        await screenshot(page, '61-backup-now-FAILED');
        throw e;
      });
    await page.locator('.notifications-toasts', { hasText: 'Backup "ui-payments" completed' }).waitFor({ timeout: 15_000 });
    await screenshot(page, '61-backup-now');
    const stored = fake!.get('velero.io/v1', 'Backup', 'velero', 'ui-payments');
    assert.deepEqual(stored?.['spec'], { includedNamespaces: ['payments'], ttl: '168h', storageLocation: 'default' });
    const toasts = await page.locator('.notifications-toasts .notification-toast', { hasText: 'ui-payments" completed' }).count();
    assert.equal(toasts, 1, 'completion notifies once');
  });

  test('UI: a delete confirmation (typed name; data in object storage deleted too) removes the backup by request', async () => {
    const page = wb!.page;
    await page.keyboard.press('Escape');
    const backups = await onlyPane(page, 'Backups');
    const row = backups.getByRole('treeitem', { name: /^manual-before-upgrade, / });
    const dialog = page.locator('.monaco-dialog-box');
    await contextMenuUntil(page, row, /Delete Backup…/, dialog, '62-delete-backup');
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Delete Backup "velero\/manual-before-upgrade"\?/);
    assert.match(text, /data in object storage \(aws bucket clusterdeck-sample-backups\/sample\)/);
    assert.match(text, /Context: fake-a/);
    await screenshot(page, '62-delete-backup');
    fake!.clearRequests();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    const typed = page.locator('.quick-input-widget');
    await typed.locator('.quick-input-title', { hasText: 'Delete Backup "velero/manual-before-upgrade" on fake-a' }).waitFor();
    await typed.locator('input').fill('manual-before');
    await typed.getByText(/Type "manual-before-upgrade" exactly/).waitFor();
    await screenshot(page, '62b-delete-backup-typed-name');
    await typed.locator('input').fill('manual-before-upgrade');
    await page.keyboard.press('Enter');
    await row.waitFor({ state: 'detached', timeout: 30_000 });
    assert.equal(fake!.get('velero.io/v1', 'Backup', 'velero', 'manual-before-upgrade'), undefined);
    const posts = fake!.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/deletebackuprequests'));
    assert.equal(posts.length, 1);
    assert.equal(fake!.requests.filter((r) => r.method === 'DELETE' && r.path.includes('/backups/')).length, 0, 'never a Backup DELETE');
  });

  test('UI: the logs of a backup open in an editor', async () => {
    const page = wb!.page;
    const backups = await onlyPane(page, 'Backups');
    await contextMenu(page, backups.getByRole('treeitem', { name: /^ui-payments, / }), /Show Logs/);
    await page.locator('.editor-instance .view-lines', { hasText: 'Backup completed' }).waitFor({ timeout: 30_000 });
    await screenshot(page, '64-backup-logs');
    assert.equal(fake!.list('velero.io/v1', 'DownloadRequest', 'velero').length, 0, 'the DownloadRequest was cleaned up');
  });

  test('UI: a restore with namespace mapping and its confirmation (preview of what exists); a protected target refused', async () => {
    const page = wb!.page;
    await page.keyboard.press('Escape');
    const backups = await onlyPane(page, 'Backups');
    const source = backups.getByRole('treeitem', { name: /^daily-shop-\d+, Completed/ });
    const backupName = ((await source.getAttribute('aria-label')) ?? '').split(',')[0] ?? '';
    const widget = page.locator('.quick-input-widget');
    const restoreStep = (n: number) =>
      widget
        .locator('.quick-input-title', { hasText: `(${n}/4)` })
        .waitFor({ timeout: 30_000 })
        .catch(async (e: unknown) => {
          await screenshot(page, `63-restore-step${n}-FAILED`);
          throw e;
        });

    await contextMenuUntil(page, source, /Restore…/, widget.locator('.quick-input-title', { hasText: '(1/4)' }), '63-restore-step1');
    await page.keyboard.press('Enter');
    await restoreStep(2);
    await widget.locator('input').fill('shop:shop-restore');
    await widget.getByText('shop → shop-restore').waitFor();
    await screenshot(page, '63a-restore-mapping');
    await page.keyboard.press('Enter');
    await restoreStep(3);
    // Kinds of the backup, all ticked, and restore PVs: untick ConfigMap and the volumes.
    const kindRow = (text: RegExp) => widget.locator('.quick-input-list .monaco-list-row', { hasText: text });
    await kindRow(/Deployment/).waitFor();
    for (const text of [/ConfigMap/, /Restore persistent volumes/]) await kindRow(text).getByRole('checkbox').click();
    await screenshot(page, '63d-restore-kinds');
    await page.keyboard.press('Enter');
    await restoreStep(4);
    await page.keyboard.press('Enter'); // Skip existing objects (none)
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(text, new RegExp(`Restore backup "${backupName}" into fake-a\\?`));
    assert.match(text, /shop → shop-restore \(new namespace\): \d+ objects/);
    assert.match(text, /existingResourcePolicy: none/);
    assert.match(text, /Left out: configmap\./);
    assert.match(text, /Persistent volumes are not restored/);
    await screenshot(page, '63-restore-confirmation');
    fake!.clearRequests();
    await dialog.getByRole('button', { name: 'Restore', exact: true }).click();
    await backups
      .getByRole('treeitem', { name: new RegExp(`^${backupName}-\\d+, Completed · from ${backupName}`) })
      .waitFor({ timeout: 60_000 })
      .catch(async (e: unknown) => {
        await screenshot(page, '63b-FAILED');
        throw e;
      });
    await screenshot(page, '63b-restore-completed');
    const [restore] = fake!
      .list('velero.io/v1', 'Restore', 'velero')
      .filter((r) => (r['spec'] as { backupName?: string }).backupName === backupName);
    assert.deepEqual(restore?.['spec'], {
      backupName,
      includedNamespaces: ['shop'],
      namespaceMapping: { shop: 'shop-restore' },
      excludedResources: ['configmap'],
      existingResourcePolicy: 'none',
      restorePVs: false,
    });
    assert.ok(fake!.get('v1', 'Namespace', undefined, 'shop-restore'));

    // Mapping into kube-system is refused unless overridden (twice); cancelling creates nothing.
    await contextMenuUntil(page, source, /Restore…/, widget.locator('.quick-input-title', { hasText: '(1/4)' }), '63-restore-step1');
    await page.keyboard.press('Enter');
    await restoreStep(2);
    await widget.locator('input').fill('shop:kube-system');
    await page.keyboard.press('Enter');
    await restoreStep(3);
    await page.keyboard.press('Enter');
    await restoreStep(4);
    await page.keyboard.press('Enter');
    await dialog.waitFor({ timeout: 30_000 });
    assert.match((await dialog.innerText()).replace(/\s+/g, ' '), /Restoring into kube-system is refused\./);
    await screenshot(page, '63c-restore-protected-refused');
    fake!.clearRequests();
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(fake!.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/restores')).length, 0);

    // From a schedule: its latest Completed backup is previewed and named in every step.
    const schedule = backups.getByRole('treeitem', { name: /^daily-shop, Every day/ });
    const fromSchedule = widget.locator('.quick-input-title', {
      hasText: /Restore daily-shop's latest backup \(daily-shop-\d+\) on fake-a \(1\/4\)/,
    });
    await contextMenuUntil(page, schedule, /Restore Latest Backup…/, fromSchedule, '63e-restore-from-schedule');
    await screenshot(page, '63e-restore-from-schedule');
    await page.keyboard.press('Escape');
  });

  test('UI: Create Schedule validates the cron as you type and shows the next runs', async () => {
    const page = wb!.page;
    await page.keyboard.press('Escape');
    await runCommand(page, 'ClusterDeck: Create Backup Schedule…');
    const widget = page.locator('.quick-input-widget');
    await widget.locator('.quick-input-list .monaco-list-row', { hasText: 'fake-a' }).first().waitFor();
    await widget.locator('input').fill('fake-a');
    await page.keyboard.press('Enter');
    await widget.locator('.quick-input-title', { hasText: '(1/5)' }).waitFor({ timeout: 30_000 });
    await widget.locator('input').fill('weekday-shop');
    await page.keyboard.press('Enter');
    await widget.locator('.quick-input-title', { hasText: '(2/5)' }).waitFor();
    await widget.locator('input').fill('0 2 * * 7');
    await widget.getByText(/7 is above the day of week range 0-6 \(use 0 for Sunday\)/).waitFor();
    await widget.locator('input').fill('0 2 * * 1-5');
    await widget.getByText(/At 02:00 on Monday to Friday \(UTC\) · next: \w{3} \d+ \w{3} 02:00, /).waitFor();
    await screenshot(page, '65-schedule-cron-preview');
    await page.keyboard.press('Escape');
  });

  test('S5/S6: no canary token in the workbench settings, state, global storage or the ClusterDeck log', async () => {
    assert.ok(wb);
    await assertNoStoredSecrets(wb, [TOKEN], join(dir, 'kubeconfig.yaml'));
  });
});
