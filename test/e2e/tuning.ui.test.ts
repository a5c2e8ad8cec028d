// The Right-size report in a real workbench (code-server + Chromium) against a REAL Prometheus (backfilled with
// the tuning scenario) reached through the fake API server's service proxy: opened from a namespace in the
// Clusters view, charts drawn by chart.js in the webview, the recommendation table, and no CSP violation. Then
// the tree's usage decorations (metrics-server PodMetrics of the fake), the HPA hints on the Autoscaling rows,
// a quick fix applied to a manifest of the workspace, and "Create HPA…" pre-filled from the history.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { startFakeKube, type FakeKube, type KubeObject } from '../fakes/kubeApiServer';
import { hasPrometheus, startTestPrometheus, type TestPrometheus } from '../support/prometheus';
import { scenarioContainers, scenarioObjects, scenarioShapes, scenarioTimes } from '../support/tuningScenario';
import { contextMenu, onlyPane, runCommand, screenshot, showClusterDeck, startWorkbench, widenSidebar, type Workbench } from './workbench';

const skip = process.env.CLUSTERDECK_SKIP_E2E === '1' ? 'CLUSTERDECK_SKIP_E2E=1' : false;

/** Pods of the scenario's workloads (owned as a controller would own them) and their metrics-server usage. */
function livePods(): KubeObject[] {
  const out: KubeObject[] = [];
  const running = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
  const web: [suffix: string, appCpu: string, appMemory: string][] = [
    ['a1s2d', '300m', '490Mi'], // 96 % of the 512Mi memory limit: ⚠
    ['f3g4h', '200m', '300Mi'],
    ['j5k6l', '250m', '310Mi'],
  ];
  for (const [suffix, appCpu, appMemory] of web) {
    const name = `web-5f6d7c8b9-${suffix}`;
    out.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: 'shop',
        labels: { app: 'web', 'pod-template-hash': '5f6d7c8b9' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5f6d7c8b9', uid: 'rs-web', controller: true }],
      },
      spec: {
        containers: [
          { name: 'app', image: 'app:1', resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '512Mi' } } },
          { name: 'sidecar', image: 'proxy:1', resources: { requests: { cpu: '50m', memory: '64Mi' } } },
        ],
      },
      status: running,
    });
    out.push({
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'PodMetrics',
      metadata: { name, namespace: 'shop' },
      timestamp: new Date().toISOString(),
      window: '15s',
      containers: [
        { name: 'app', usage: { cpu: appCpu, memory: appMemory } },
        { name: 'sidecar', usage: { cpu: '5m', memory: '20Mi' } },
      ],
    });
  }
  for (const [i, cpu] of [
    [0, '400m'],
    [1, '200m'],
  ] as const) {
    const name = `db-${i}`;
    out.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: 'shop',
        labels: { app: 'db' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'sts-db', controller: true }],
      },
      spec: {
        containers: [
          { name: 'postgres', image: 'postgres:16', resources: { requests: { cpu: '1', memory: '4Gi' }, limits: { memory: '4Gi' } } },
        ],
      },
      status: running,
    });
    out.push({
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'PodMetrics',
      metadata: { name, namespace: 'shop' },
      timestamp: new Date().toISOString(),
      window: '15s',
      containers: [{ name: 'postgres', usage: { cpu, memory: '1Gi' } }],
    });
  }
  return out;
}

/** The workspace's manifest of Deployment shop/web (its container app is 19 lines down, `resources` at column 11). */
const webManifest = `# The shop's web tier (sized by hand for the launch)
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: app
          image: app:1
          resources: # sized for the launch
            requests:
              cpu: 500m
              memory: 512Mi
            limits:
              cpu: "1"
              memory: 512Mi
        - name: sidecar
          image: proxy:1
          resources:
            requests:
              cpu: 50m
              memory: 64Mi
`;

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
    for (const o of livePods()) fake.upsert(o);
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
    // A workspace with the manifest of Deployment shop/web (the quick fix writes into it).
    mkdirSync(join(dir, 'ws', 'shop'), { recursive: true });
    writeFileSync(join(dir, 'ws', 'shop', 'web.yaml'), webManifest);
    wb = await startWorkbench({
      workspace: join(dir, 'ws'),
      env: { KUBECONFIG: kubeconfigPath },
      // The fake is plain http on loopback: contacted only with the opt-in (B14).
      userSettings: { 'clusterdeck.clusters.allowPlainHttp': ['tune-a'] },
    });
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

  test('UI: tree usage decorations: workloads against their summed requests (⚠ near a limit), pods, HPA hints', async () => {
    const page = wb!.page;
    await page.keyboard.press('Escape');
    await runCommand(page, 'View: Close All Editors');
    await showClusterDeck(page);
    await widenSidebar(page);
    const pane = await onlyPane(page, 'Clusters');
    // The workload test left shop › Workloads › StatefulSets open.
    const db = pane.getByRole('treeitem', { name: /^db\b/ });
    await pane.getByRole('treeitem', { name: /^Deployments\b/ }).click({ timeout: 30_000 });
    const web = pane.getByRole('treeitem', { name: /^web\b(?!-)/ });
    await web.waitFor({ timeout: 30_000 });
    const text = async (row: typeof web) => ((await row.innerText()) ?? '').replace(/\s+/g, ' ');
    // Σ usage / Σ requests over the three pods: cpu 765m of 1650m, memory 1160Mi of 1728Mi; a1s2d/app at 96 % of its limit.
    const deadline = Date.now() + 30_000;
    while (!/cpu 765m/.test(await text(web)) && Date.now() < deadline) await page.waitForTimeout(250);
    assert.match(await text(web), /⚠ cpu 765m \(46% req\) · mem 1160Mi \(67% req\)/);
    assert.match(await text(db), /cpu 600m \(30% req\) · mem 2048Mi \(25% req\)/);
    assert.doesNotMatch(await text(pane.getByRole('treeitem', { name: /^tiny\b/ })), /cpu|mem/, 'no pods with metrics: nothing shown');
    await web.hover();
    await page
      .locator('.monaco-hover', { hasText: /Near a limit \(≥ 90 %\): web-5f6d7c8b9-a1s2d\/app \(96% of its memory limit\)/ })
      .waitFor({ timeout: 10_000 });
    await screenshot(page, '81-tuning-tree-usage');
    await page.mouse.move(0, 0);

    await pane.getByRole('treeitem', { name: /^Autoscaling\b/ }).click({ timeout: 30_000 });
    await pane.getByRole('treeitem', { name: /^HorizontalPodAutoscalers\b/ }).click({ timeout: 30_000 });
    const api = pane.getByRole('treeitem', { name: /^web-api\b/ }).last();
    await api.waitFor({ timeout: 30_000 });
    const until = Date.now() + 30_000;
    while (!/✖/.test(await text(api)) && Date.now() < until) await page.waitForTimeout(250);
    assert.match(await text(api), /✖ cannot compute: no request, spec\.replicas fights the HPA/);
    await api.hover();
    await page.locator('.monaco-hover', { hasText: /hpa-utilization-without-request/ }).waitFor({ timeout: 10_000 });
    await screenshot(page, '81-tuning-tree-hpa-hints');
    await page.mouse.move(0, 0);
  });

  test('UI: a quick fix writes the recommended resources into the workspace manifest, keeping its comments', async () => {
    const page = wb!.page;
    const pane = await onlyPane(page, 'Clusters');
    // Right-size the namespace again (the workload run kept only db's recommendations).
    await contextMenu(page, pane.getByRole('treeitem', { name: /^shop\b/ }), /^Right-size…/);
    const frame = await reportFrame(page, 60_000);
    await frame.locator('body[data-ready]').waitFor({ timeout: 30_000 });
    const model = JSON.parse((await frame.locator('script#model').textContent()) ?? '{}') as {
      rows: { id: string; recommended: { cpuRequest: string | null; memoryRequest: string | null; memoryLimit: string | null } }[];
    };
    // web/app is not one-click: its HPA (70 % cpu) would need a target above 95 % after the change (said in the
    // diagnostic); the sidecar's recommendation is.
    const row = model.rows.find((r) => r.id === 'shop/Deployment/web/sidecar');
    assert.ok(row?.recommended.cpuRequest && row.recommended.memoryRequest && row.recommended.memoryLimit);

    await runCommand(page, 'View: Close All Editors');
    await page.keyboard.press('Control+P');
    await page.keyboard.type('web.yaml');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'web.yaml' }).first().waitFor({ timeout: 10_000 });
    await page.keyboard.press('Enter');
    const editor = page.locator('.monaco-editor[data-uri$="web.yaml"]');
    await editor.waitFor({ timeout: 15_000 });
    // The information diagnostic on the container's resources key, and its CodeLens.
    await page.locator('.codelens-decoration', { hasText: 'Apply recommended resources' }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('Control+G');
    await page.keyboard.type('28:12');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+.');
    const action = page.locator('.action-widget .monaco-list-row', { hasText: 'Apply recommended resources (sidecar)' });
    await action.waitFor({ timeout: 15_000 }).catch(async (e: unknown) => {
      await screenshot(page, '82-tuning-quick-fix-FAILED');
      const widgets = await page.locator('.context-view').allInnerTexts();
      throw new Error(`no quick fix: ${String(e)}; context views: ${JSON.stringify(widgets)}`);
    });
    await screenshot(page, '82-tuning-quick-fix-menu');
    // Menus swallow clicks headless: move the focus to the entry and press Enter.
    for (let i = 0; i < 8 && !/\bfocused\b/.test((await action.getAttribute('class')) ?? ''); i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+S');
    const file = join(dir, 'ws', 'shop', 'web.yaml');
    const saved = Date.now() + 15_000;
    const done = (t: string) => t !== webManifest && t.includes('        - name: sidecar\n') && /limits:\n {14}memory: \S+\n$/.test(t);
    while (!done(readFileSync(file, 'utf8')) && Date.now() < saved) await page.waitForTimeout(200);
    const written = readFileSync(file, 'utf8');
    const q = (v: string) => (/^\d+$/.test(v) ? `"${v}"` : v);
    const sidecar = written.slice(written.indexOf('        - name: sidecar\n'));
    assert.match(
      sidecar,
      new RegExp(`\\n {12}requests:\\n {14}cpu: ${q(row.recommended.cpuRequest)}\\n {14}memory: ${row.recommended.memoryRequest}\\n`),
    );
    assert.match(sidecar, new RegExp(`\\n {12}limits:\\n {14}memory: ${row.recommended.memoryLimit}\\n`));
    assert.ok(
      written.startsWith(webManifest.slice(0, webManifest.indexOf('        - name: sidecar'))),
      'the app container and the comments stay',
    );
    await page
      .locator('.codelens-decoration', { hasText: 'Apply recommended resources' })
      .waitFor({ state: 'detached', timeout: 15_000 })
      .catch(() => undefined);
    await screenshot(page, '82-tuning-quick-fix-applied');
  });

  test('UI: Create HPA… on a Deployment pre-fills min/max/target from the Prometheus history', async () => {
    const page = wb!.page;
    await runCommand(page, 'View: Close All Editors');
    await showClusterDeck(page);
    const pane = await onlyPane(page, 'Clusters');
    const web = pane.getByRole('treeitem', { name: /^web\b(?!-)/ }).first();
    await web.waitFor({ timeout: 30_000 });
    await contextMenu(page, web, /^Create HPA…/);
    const message = page.locator('.quick-input-widget .quick-input-message');
    await message.filter({ hasText: /Minimum replicas/ }).waitFor({ timeout: 60_000 });
    assert.match(
      (await message.innerText()).replace(/\s+/g, ' '),
      /^Minimum replicas \(From 14 days of CPU usage \(Prometheus at service monitoring\/prometheus-operated:9090.*\): At \d+% the controller model keeps p95 replicas at \d+ of \d+/,
    );
    await page.mouse.move(700, 700);
    await screenshot(page, '83-tuning-create-hpa-from-history');
    await page.keyboard.press('Escape');
  });

  test('UI: without metrics-server the workload folders say so and how to install it (no usage figures)', async () => {
    const page = wb!.page;
    await page.keyboard.press('Escape');
    const remove = fake!.inject({ path: /metrics\.k8s\.io/, status: 404 });
    try {
      await runCommand(page, 'ClusterDeck: Refresh Clusters');
      const pane = await onlyPane(page, 'Clusters');
      // The refresh redraws the whole tree: look the folder up again on every try.
      const folder = pane.getByRole('treeitem', { name: /^Deployments\b/ }).first();
      const folderText = async () => ((await folder.count()) ? await folder.innerText({ timeout: 2000 }).catch(() => '') : '');
      const deadline = Date.now() + 30_000;
      while (!/no live usage/.test(await folderText()) && Date.now() < deadline) await page.waitForTimeout(250);
      if (!/no live usage/.test(await folderText())) await screenshot(page, '81-tuning-tree-no-metrics-server-FAILED');
      assert.match(await folderText(), /no live usage/);
      const web = pane.getByRole('treeitem', { name: /^web\b(?!-)/ }).first();
      assert.doesNotMatch(await web.innerText(), /cpu \d/, 'no figures without metrics');
      await page.mouse.move(0, 0);
      await folder.hover();
      const hover = page.locator('.monaco-hover', { hasText: /metrics-server is not installed/ });
      await hover.waitFor({ timeout: 10_000 }).catch(async (e: unknown) => {
        await screenshot(page, '81-tuning-tree-no-metrics-server-FAILED');
        throw e;
      });
      assert.match(
        (await hover.innerText()).replace(/\s+/g, ' '),
        /Install metrics-server: kubectl apply -f https:\/\/github\.com\/kubernetes-sigs\/metrics-server/,
      );
      await screenshot(page, '81-tuning-tree-no-metrics-server');
      await page.mouse.move(0, 0);
    } finally {
      remove();
    }
  });
});
