// The Right-size report in a real workbench (code-server + Chromium) against a REAL Prometheus (backfilled with
// the tuning scenario) reached through the fake API server's service proxy: opened from a namespace in the
// Clusters view, charts drawn by chart.js in the webview, the recommendation table, and no CSP violation.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';
import { hasPrometheus, startTestPrometheus, type TestPrometheus } from '../support/prometheus';
import { scenarioContainers, scenarioObjects, scenarioShapes, scenarioTimes } from '../support/tuningScenario';
import { contextMenu, onlyPane, repoRoot, runCommand, screenshot, showClusterDeck, startWorkbench, type Workbench } from './workbench';

const skip = process.env.CLUSTERDECK_SKIP_E2E === '1' ? 'CLUSTERDECK_SKIP_E2E=1' : false;

/** The frame holding the report (the webview's inner iframe): the one with the model block. */
async function reportFrame(page: Page, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      const found = await f
        .locator('script#model')
        .count()
        .catch(() => 0);
      if (found > 0) return f;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail('the Right-size report webview did not open');
}

describe('Right-size report (code-server + Chromium + real Prometheus)', { skip, timeout: 3 * 60_000 }, () => {
  let prom: TestPrometheus | undefined;
  let fake: FakeKube | undefined;
  let wb: Workbench | undefined;
  let dir = '';
  const refused: string[] = [];

  before(async () => {
    assert.ok(hasPrometheus(), 'prometheus and promtool are not installed: run node scripts/ensureTestDeps.mjs');
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-tuning-ui-'));
    const times = scenarioTimes();
    // The scenario's own pods only (no noise series): a smaller backfill.
    prom = await startTestPrometheus(scenarioContainers(times, scenarioShapes), { scrapeSeconds: 120 });
    fake = await startFakeKube({});
    for (const o of scenarioObjects()) fake.upsert(o);
    fake.upsert({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring' } });
    fake.upsert({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'prometheus-operated', namespace: 'monitoring' },
      spec: { ports: [{ name: 'web', port: 9090 }] },
    });
    fake.setServiceProxyTarget('monitoring', 'prometheus-operated', '9090', prom.url);
    const kubeconfigPath = join(dir, 'kubeconfig.yaml');
    writeFileSync(kubeconfigPath, fake.kubeconfig({ contextName: 'tune-a', namespace: 'shop' }));
    wb = await startWorkbench({ workspace: join(repoRoot, 'examples'), env: { KUBECONFIG: kubeconfigPath } });
    wb.page.on('console', (m) => {
      if (/Refused to|Content[- ]Security[- ]Policy/i.test(m.text())) refused.push(m.text());
    });
  });

  after(async () => {
    await wb?.close();
    await fake?.close();
    await prom?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('UI: Right-size… on a namespace opens the report with charts and the table, under the CSP', async () => {
    const page = wb!.page;
    await showClusterDeck(page);
    const pane = await onlyPane(page, 'Clusters');
    await pane.getByRole('treeitem', { name: /^tune-a\b/ }).click({ timeout: 30_000 });
    const shop = pane.getByRole('treeitem', { name: /^shop\b/ });
    await shop.waitFor({ timeout: 30_000 });
    await contextMenu(page, shop, /^Right-size…/);

    const frame = await reportFrame(page, 90_000);
    await frame.locator('body[data-ready]').waitFor({ timeout: 30_000 });
    const rows = Number(await frame.locator('body').getAttribute('data-ready'));
    assert.ok(rows >= 3, `rows in the report: ${rows}`);
    // Every row of the scenario's Deployment web has usage series: two charts (CPU, memory), drawn on a canvas.
    const webCharts = frame.locator('.chart', { hasText: 'shop/web · app' });
    assert.equal(await webCharts.locator('canvas').count(), 2);
    const drawn = await webCharts
      .locator('canvas')
      .first()
      .evaluate((c) => {
        const canvas = c as unknown as {
          width: number;
          height: number;
          getContext(t: '2d'): { getImageData(...a: number[]): { data: Uint8ClampedArray } };
        };
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
        return painted;
      });
    assert.ok(drawn > 1000, `the CPU chart of web/app is drawn (${drawn} painted pixels)`);
    const table = frame.locator('#table tbody tr:not(.notes-row)');
    assert.equal(await table.count(), rows);
    const web = frame.locator('tr[data-row="shop/Deployment/web/app"]');
    assert.match((await web.textContent()) ?? '', /→/);
    assert.equal(await frame.locator('button', { hasText: 'Apply…' }).count(), rows);
    await page.waitForTimeout(500);
    await screenshot(page, '80-tuning-report');
    // Collapse the sidebar so the report has the width, then show the table.
    await page.keyboard.press('Control+B');
    await frame.locator('#table').scrollIntoViewIfNeeded();
    await screenshot(page, '80-tuning-report-table');

    assert.deepEqual(refused, [], 'no CSP violation in the webview');
    // The detector works: an inline script without the nonce is refused, and said so on the console.
    await frame.evaluate(() => {
      const d = (
        globalThis as unknown as {
          document: { createElement(t: string): { textContent: string }; body: { appendChild(n: unknown): void } };
        }
      ).document;
      const s = d.createElement('script');
      s.textContent = 'document.body.dataset.injected = "1"';
      d.body.appendChild(s);
    });
    const deadline = Date.now() + 5000;
    while (refused.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await frame.locator('body[data-injected]').count(), 0, 'the inline script did not run');
    assert.ok(
      refused.length >= 1 && /(Refused to execute|Executing) inline script/.test(refused[0] ?? ''),
      `detector: ${refused.join(' | ')}`,
    );
  });

  test('UI: Apply… on a row goes through the dry run, the diff and the modal, then applies the recommendation', async () => {
    const page = wb!.page;
    const frame = await reportFrame(page, 10_000);
    const model = JSON.parse((await frame.locator('script#model').textContent()) ?? '{}') as {
      rows: { id: string; recommended: { cpuRequest: string | null; memoryRequest: string | null; memoryLimit: string | null } }[];
    };
    const row = model.rows.find((r) => r.id === 'shop/StatefulSet/db/postgres');
    assert.ok(row?.recommended.cpuRequest && row.recommended.memoryRequest);
    const patchesBefore = fake!.requests.filter((r) => r.method === 'PATCH').length;
    await frame.locator('tr[data-row="shop/StatefulSet/db/postgres"] button').click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    assert.match((await dialog.innerText()).replace(/\s+/g, ' '), /Apply 1 object to context "tune-a"\?.*1 changed/);
    const dryRuns = fake!.requests.filter((r) => r.method === 'PATCH').slice(patchesBefore);
    assert.equal(dryRuns.length, 1);
    assert.deepEqual(dryRuns[0]?.query, { fieldManager: 'clusterdeck', dryRun: 'All' });
    const before = fake!.get('apps/v1', 'StatefulSet', 'shop', 'db');
    await screenshot(page, '80-tuning-report-apply');
    await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
    await page
      .locator('.notifications-toasts', { hasText: /Applied StatefulSet shop-db right-size.yaml to "tune-a"/ })
      .waitFor({ timeout: 30_000 });
    const after = fake!.get('apps/v1', 'StatefulSet', 'shop', 'db') as unknown as {
      spec: { template: { spec: { containers: { name: string; image?: string; resources: Record<string, Record<string, string>> }[] } } };
    };
    const postgres = after.spec.template.spec.containers.find((c) => c.name === 'postgres');
    assert.equal(postgres?.resources.requests?.cpu, row.recommended.cpuRequest);
    assert.equal(postgres?.resources.requests?.memory, row.recommended.memoryRequest);
    assert.equal(postgres?.resources.limits?.memory, row.recommended.memoryLimit);
    const beforeImage = (before as unknown as typeof after).spec.template.spec.containers.find((c) => c.name === 'postgres')?.image;
    assert.equal(postgres?.image, beforeImage, 'the rest of the live object is kept');
  });

  test('UI: without a Prometheus answering, Right-size… says what is missing and how to install it (no numbers)', async () => {
    const page = wb!.page;
    fake!.setServiceProxyTarget('monitoring', 'prometheus-operated', '9090', undefined);
    await page.keyboard.press('Escape');
    await runCommand(page, 'View: Close All Editors');
    await showClusterDeck(page);
    const pane = await onlyPane(page, 'Clusters');
    await contextMenu(page, pane.getByRole('treeitem', { name: /^shop\b/ }), /^Right-size…/);
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /No metrics for right-sizing on "tune-a"/);
    assert.match(
      text,
      /No Prometheus answered at monitoring\/prometheus-operated:9090: check those pods, or set clusterdeck\.tuning\.prometheusUrl/,
    );
    await screenshot(page, '80-tuning-report-no-metrics');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(page.frames().filter((f) => f.url().includes('tuningReport')).length, 0);
  });

  test('UI: Right-size… on a workload (StatefulSet db) reports only its containers', async () => {
    const page = wb!.page;
    fake!.setServiceProxyTarget('monitoring', 'prometheus-operated', '9090', prom!.url);
    const pane = await onlyPane(page, 'Clusters');
    await pane.getByRole('treeitem', { name: /^shop\b/ }).click();
    await pane.getByRole('treeitem', { name: /^Workloads\b/ }).click({ timeout: 30_000 });
    await pane.getByRole('treeitem', { name: /^StatefulSets\b/ }).click({ timeout: 30_000 });
    const db = pane.getByRole('treeitem', { name: /^db\b/ });
    await db.waitFor({ timeout: 30_000 });
    await contextMenu(page, db, /^Right-size…/);
    const frame = await reportFrame(page, 60_000);
    await frame.locator('body[data-ready]').waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('h1').textContent(), 'Right-size StatefulSet shop/db');
    const rowsShown = frame.locator('#table tbody tr[data-row]');
    const ids: (string | null)[] = [];
    for (let k = 0; k < (await rowsShown.count()); k++) ids.push(await rowsShown.nth(k).getAttribute('data-row'));
    assert.deepEqual(ids, ['shop/StatefulSet/db/postgres']);
    assert.equal(await frame.locator('.chart canvas').count(), 2);
    await screenshot(page, '80-tuning-report-workload');
    assert.deepEqual(
      refused.filter((r) => !/inline script/.test(r)),
      [],
      'no CSP violation other than the detector check',
    );
  });
});
