// Starts a real VS Code workbench (code-server from npm, VS Code 1.100) with ClusterDeck and the test harness
// installed, and drives it with Debian's Chromium through playwright-core. Every process is stopped by its
// own handle in close(), also on failure.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { assertNoCanary, fileSinks } from '../support/canaries';

export const repoRoot = resolve(__dirname, '..', '..');
export const screenshotDir = join(repoRoot, 'test-results', 'screenshots');
const codeServerBin = join(repoRoot, '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server');

export interface WorkbenchOptions {
  readonly workspace: string;
  readonly env: Record<string, string>;
  /** Leave Workspace Trust on (Restricted Mode tests). Default: trust disabled, everything trusted. */
  readonly trust?: 'disabled' | 'enabled';
  readonly userSettings?: Record<string, unknown>;
}

export interface Workbench {
  readonly page: Page;
  readonly url: string;
  readonly tmp: string;
  /** Where the workbench keeps settings, state (globalState), global storage and logs: the S6 storage dump. */
  readonly storageDirs: readonly string[];
  readonly serverLog: () => string;
  close(): Promise<void>;
}

/** Environment variables never passed to the workbench: real credentials and their chains. */
const droppedEnv = /^(AWS_|AZURE_|GOOGLE_|CLOUDSDK_|KUBECONFIG$|VSCODE_|ELECTRON_)/;

export async function startWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const tmp = mkdtempSync(join(tmpdir(), 'clusterdeck-e2e-'));
  const extensionsDir = join(tmp, 'extensions');
  const userDataDir = join(tmp, 'user-data');
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  // ClusterDeck as built (package.json + dist + media), and the harness beside it.
  const ext = join(extensionsDir, 'clusterdeck.clusterdeck-0.1.0');
  mkdirSync(ext);
  for (const entry of ['package.json', 'dist', 'media', 'snippets']) symlinkSync(join(repoRoot, entry), join(ext, entry));
  cpSync(join(repoRoot, 'out', 'e2e', 'harness'), join(extensionsDir, 'clusterdeck.clusterdeck-test-harness-0.0.1'), { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.enableExperiments': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'update.mode': 'none',
      'workbench.welcomePage.walkthroughs.openOnInstall': false,
      'security.workspace.trust.startupPrompt': 'never',
      'window.commandCenter': false,
      'git.openRepositoryInParentFolders': 'never',
      'git.autoRepositoryDetection': false,
      ...options.userSettings,
    }),
  );

  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !droppedEnv.test(k)) env[k] = v;
  Object.assign(env, {
    XDG_CONFIG_HOME: join(tmp, 'config'),
    XDG_DATA_HOME: join(tmp, 'data'),
    AWS_EC2_METADATA_DISABLED: 'true',
    METADATA_SERVER_DETECTION: 'none',
    ...options.env,
  });
  const args = [
    '--auth',
    'none',
    '--bind-addr',
    '127.0.0.1:0',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--disable-file-downloads',
    '--extensions-dir',
    extensionsDir,
    '--user-data-dir',
    userDataDir,
    ...(options.trust === 'enabled' ? [] : ['--disable-workspace-trust']),
    options.workspace,
  ];
  let log = '';
  let server: ChildProcess | undefined = spawn(codeServerBin, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let browser: Browser | undefined;
  const stopServer = async () => {
    const s = server;
    server = undefined;
    if (!s?.pid || s.exitCode !== null) return;
    const exited = new Promise<void>((r) => s.once('exit', () => r()));
    try {
      process.kill(-s.pid, 'SIGTERM'); // its own process group: code-server and the extension host it started
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => {
      try {
        if (s.pid) process.kill(-s.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 5_000);
    await exited;
    clearTimeout(timer);
  };
  const close = async () => {
    await browser?.close().catch(() => undefined);
    browser = undefined;
    await stopServer();
    rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    const port = await new Promise<number>((resolvePort, reject) => {
      const timer = setTimeout(() => reject(new Error(`code-server did not start in 60 s:\n${log}`)), 60_000);
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(log);
        if (m?.[1]) {
          clearTimeout(timer);
          resolvePort(Number(m[1]));
        }
      };
      server?.stdout?.on('data', onData);
      server?.stderr?.on('data', onData);
      server?.once('exit', (code) => reject(new Error(`code-server exited with ${code}:\n${log}`)));
    });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(options.workspace)}`;
    await page.goto(url);
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    return { page, url, tmp, storageDirs: [userDataDir, join(tmp, 'config'), join(tmp, 'data')], serverLog: () => log, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Everything the browser side of the workbench keeps: in code-server, globalState/workspaceState and the
 * workbench's own state live in the browser's IndexedDB (not in a state.vscdb on disk), plus localStorage.
 */
export async function browserStorageDump(page: Page): Promise<string> {
  // Plain JavaScript run in the page (the test tsconfig has no DOM types).
  const script = `(async () => {
    const parts = [];
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i) || '';
      parts.push('localStorage ' + k + '=' + (localStorage.getItem(k) || ''));
    }
    const text = (v) => v instanceof Uint8Array ? new TextDecoder().decode(v) : typeof v === 'string' ? v : JSON.stringify(v);
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise((ok, fail) => {
        const r = indexedDB.open(info.name);
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(new Error(String(r.error)));
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const rows = await new Promise((ok, fail) => {
          const out = [];
          const req = db.transaction(store, 'readonly').objectStore(store).openCursor();
          req.onsuccess = () => {
            const c = req.result;
            if (!c) return ok(out);
            out.push([c.key, c.value]);
            c.continue();
          };
          req.onerror = () => fail(new Error(String(req.error)));
        });
        for (const [k, v] of rows) parts.push('indexedDB ' + info.name + '/' + store + ' ' + text(k) + '=' + text(v));
      }
      db.close();
    }
    return parts.join('\\n');
  })()`;
  return page.evaluate<string>(script);
}

/**
 * Goals S5/S6 after a scenario: no canary secret in anything the workbench stored: settings and global storage
 * on disk, the ClusterDeck output channel's log file, and the browser side's IndexedDB/localStorage (where
 * code-server keeps globalState). `legitimate` names a file that holds the canary on purpose (the test's
 * kubeconfig), which proves the scan reads what it claims to read.
 */
export async function assertNoStoredSecrets(wb: Workbench, canaries: readonly string[], legitimate: string): Promise<void> {
  assert.ok(
    fileSinks([legitimate]).some((s) => canaries.some((c) => String(s.value).includes(c))),
    `the scan finds the canary in ${legitimate}`,
  );
  const sinks = fileSinks(wb.storageDirs);
  assert.ok(
    sinks.some((s) => /ClusterDeck\.log$/.test(s.name)),
    `the ClusterDeck output channel's log file is among the scanned files:\n${sinks.map((s) => s.name).join('\n')}`,
  );
  const browser = await browserStorageDump(wb.page);
  assert.match(browser, /indexedDB vscode-web-state-db/, 'the workbench state database is among the scanned stores');
  assertNoCanary(canaries, [...sinks, { name: 'browser IndexedDB and localStorage', value: browser }]);
}

/** Runs a command from the palette by its exact title, as a user would (moving down to it when another ranks first). */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  // A context menu or hover that just closed can swallow the first key: try F1, then Ctrl+Shift+P, a few times.
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press(attempt % 2 === 0 ? 'F1' : 'Control+Shift+P');
    const shown = await input.waitFor({ state: 'visible', timeout: attempt < 3 ? 5_000 : 30_000 }).then(
      () => true,
      () => false,
    );
    if (shown) break;
    if (attempt >= 3) throw new Error(`The command palette did not open (to run "${title}")`);
    await page.keyboard.press('Escape');
  }
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  for (let i = 0; i < 10; i++) {
    const focused = (await page.locator('.quick-input-list .monaco-list-row.focused .label-name').first().textContent()) ?? '';
    if (focused.replace(/\s+/g, ' ').trim() === title) break;
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
}

/** Saves a screenshot under test-results/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Shows the ClusterDeck container (clicking its tab only when it is not already shown: a click would hide it). */
export async function showClusterDeck(page: Page): Promise<void> {
  const sidebar = page.locator('#workbench\\.parts\\.sidebar');
  const shown = (await sidebar.isVisible()) && (await sidebar.locator('.composite.title', { hasText: /ClusterDeck/i }).count()) > 0;
  if (!shown)
    await page
      .locator('.activitybar')
      .getByRole('tab', { name: /ClusterDeck/ })
      .click();
  await sidebar.locator('.composite.title', { hasText: /ClusterDeck/i }).waitFor({ timeout: 15_000 });
}

/** Debian's Chromium, headless, with the flags that keep it off the network (never a downloaded browser). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** Shows only the `title` pane expanded (the tree is virtualized: collapsed neighbours leave it room). */
export async function onlyPane(page: Page, title: 'Backups' | 'Clusters' | 'Clouds'): Promise<Locator> {
  const sidebar = page.locator('#workbench\\.parts\\.sidebar');
  for (const t of ['Clusters', 'Clouds', 'Backups']) {
    const header = sidebar.locator('.pane-header', { hasText: t }).first();
    const expanded = (await header.getAttribute('aria-expanded')) === 'true';
    if (expanded !== (t === title)) await header.click();
  }
  return sidebar.locator('.pane', { has: page.locator('.pane-header', { hasText: title }) }).first();
}

/** Drags the sidebar's edge so tree descriptions (phase, items, expiry) are readable in screenshots. */
export async function widenSidebar(page: Page): Promise<void> {
  const box = await page.locator('#workbench\\.parts\\.sidebar').boundingBox();
  if (!box || box.width > 600) return;
  const x = box.x + box.width + 1;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 420, y, { steps: 12 });
  await page.mouse.up();
}

/** Opens an item's context menu and runs `entry` with the keyboard (menus swallow clicks headless). */
export async function contextMenu(page: Page, row: Locator, entry: RegExp): Promise<void> {
  // A tree item's hover (its markdown tooltip) left open by an earlier step would take the click: close it first.
  await page.mouse.move(0, 0);
  await page.keyboard.press('Escape');
  await page
    .locator('.context-view .monaco-hover')
    .waitFor({ state: 'detached', timeout: 3000 })
    .catch(() => undefined);
  await row.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor();
  const item = menu.getByRole('menuitem', { name: entry });
  await item.waitFor();
  for (let i = 0; i < 12 && !/\bfocused\b/.test((await item.locator('..').getAttribute('class')) ?? ''); i++)
    await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
}

/**
 * Runs a context-menu entry and waits for what it opens (`opened`). A tree that redraws while the menu opens (live
 * updates) can lose the menu's selection, so the entry is tried once more; then a screenshot `<name>-FAILED`.
 */
export async function contextMenuUntil(page: Page, row: Locator, entry: RegExp, opened: Locator, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await contextMenu(page, row, entry);
    const ok = await opened.waitFor({ timeout: attempt === 1 ? 12_000 : 30_000 }).then(
      () => true,
      () => false,
    );
    if (ok) return;
    if (attempt === 2) {
      await screenshot(page, `${name}-FAILED`);
      throw new Error(`${name}: "${entry.source}" opened nothing`);
    }
    await page.keyboard.press('Escape');
  }
}

/**
 * Answers a ClusterDeck wizard (core/wizard steps in VS Code's quick input) as a user would: a step whose title
 * matches one of `answers` gets that text typed (input) or the row with that label picked (list); every other step
 * takes its proposed default (Enter). Returns the step titles seen, in order. `shot` saves a screenshot of the
 * first step whose title matches it.
 */
export async function driveWizard(
  page: Page,
  answers: readonly (readonly [RegExp, string])[],
  options: { readonly shot?: readonly [RegExp, string]; readonly maxSteps?: number } = {},
): Promise<string[]> {
  const widget = page.locator('.quick-input-widget');
  const titleOf = async () =>
    (
      (await widget
        .locator('.quick-input-title')
        .textContent()
        .catch(() => '')) ?? ''
    ).trim();
  const seen: string[] = [];
  let shotTaken = false;
  await widget.waitFor({ state: 'visible', timeout: 30_000 });
  for (let i = 0; i < (options.maxSteps ?? 40); i++) {
    // Wait for the step to be ready: not busy (choices loading) and enabled.
    await page.waitForFunction(
      `(() => {
        const w = document.querySelector('.quick-input-widget');
        if (!w || w.style.display === 'none') return true;
        const busy = w.querySelector('.quick-input-progress .progress-bit') && getComputedStyle(w.querySelector('.quick-input-progress .progress-bit')).display !== 'none';
        const input = w.querySelector('.quick-input-box input');
        return !busy && !(input && input.disabled);
      })()`,
      undefined,
      { timeout: 30_000 },
    );
    if (!(await widget.isVisible())) break;
    const title = await titleOf();
    seen.push(title);
    if (options.shot && !shotTaken && options.shot[0].test(title)) {
      await screenshot(page, options.shot[1]);
      shotTaken = true;
    }
    const answer = answers.find(([re]) => re.test(title))?.[1];
    const rows = widget.locator('.quick-input-list .monaco-list-row');
    const isList = (await rows.count()) > 0 && (await widget.locator('.quick-input-list').isVisible());
    const input = widget.locator('.quick-input-box input');
    if (answer !== undefined) {
      if (isList) {
        await input.fill(answer);
        await rows.filter({ hasText: answer }).first().waitFor({ timeout: 10_000 });
      } else {
        await input.fill(answer);
      }
    }
    await page.keyboard.press('Enter');
    // The next step replaces this one (another title), or the wizard ends (the widget hides and stays hidden).
    const moved = await page
      .waitForFunction(
        `(() => {
          const w = document.querySelector('.quick-input-widget');
          if (!w || w.style.display === 'none') return true;
          return (w.querySelector('.quick-input-title')?.textContent ?? '').trim() !== ${JSON.stringify(title)};
        })()`,
        undefined,
        { timeout: 15_000 },
      )
      .then(
        () => true,
        () => false,
      );
    if (!moved) {
      await screenshot(page, `wizard-stuck-${i}`);
      const message =
        (await widget
          .locator('.quick-input-message')
          .textContent()
          .catch(() => '')) ?? '';
      throw new Error(`The wizard did not move on from "${title}"${message ? `: ${message}` : ''}`);
    }
    // A hidden widget may reappear for the next step after its choices start loading.
    if (!(await widget.isVisible())) {
      const again = await widget.waitFor({ state: 'visible', timeout: 3_000 }).then(
        () => true,
        () => false,
      );
      if (!again) break;
    }
  }
  return seen;
}
