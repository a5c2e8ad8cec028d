// Reliability issue, in a real workbench: (1) an untrusted workspace whose settings point at a kubeconfig with
// an exec plugin that would write a marker file: the marker never appears, no request reaches any cluster, and
// the explorer says why; (2) the exec-plugin approval prompt: the exact command and env names, nothing runs
// before "Allow", the plugin runs after it, and a changed command asks again.
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';
import { runCommand, screenshot, showClusterDeck, startWorkbench, type Workbench } from './workbench';

const skip = process.env.CLUSTERDECK_SKIP_E2E === '1' ? 'CLUSTERDECK_SKIP_E2E=1' : false;
const TOKEN = 'trust-canary-token-5c1e77';

/** A Node script that writes `marker` when run and prints an ExecCredential with `token`. */
function writeMarkerPlugin(dir: string, name: string, marker: string, token: string): string {
  const script = join(dir, `${name}.js`);
  writeFileSync(
    script,
    `require('fs').appendFileSync(${JSON.stringify(marker)}, 'ran\\n');\n` +
      `process.stdout.write(JSON.stringify({kind:'ExecCredential',apiVersion:'client.authentication.k8s.io/v1beta1',status:{token:${JSON.stringify(token)}}}));\n`,
  );
  chmodSync(script, 0o755);
  return script;
}

function kubeconfig(fake: FakeKube, contexts: { name: string; user: Record<string, unknown> }[]): string {
  const caData = Buffer.from(fake.ca?.certPem ?? '').toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': contexts[0]?.name,
    clusters: contexts.map((c) => ({ name: `${c.name}-cluster`, cluster: { server: fake.url, 'certificate-authority-data': caData } })),
    users: contexts.map((c) => ({ name: `${c.name}-user`, user: c.user })),
    contexts: contexts.map((c) => ({ name: c.name, context: { cluster: `${c.name}-cluster`, user: `${c.name}-user` } })),
  });
}

describe('Workspace Trust and exec-plugin approval (code-server + Chromium)', { skip, timeout: 10 * 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'clusterdeck-trust-'));
  let fake: FakeKube | undefined;
  let wb: Workbench | undefined;

  after(async () => {
    await wb?.close();
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('UI: in Restricted Mode a workspace-named kubeconfig with an exec plugin never runs; the explorer says why', async () => {
    fake = await startFakeKube({ tls: 'tls', token: TOKEN, seed: 'demo' });
    const marker = join(dir, 'restricted.marker');
    const plugin = writeMarkerPlugin(dir, 'ws-plugin', marker, TOKEN);
    const exec = { apiVersion: 'client.authentication.k8s.io/v1beta1', command: process.execPath, args: [plugin] };
    // The user's own kubeconfig: a token context and an exec context (both must stay untouched while untrusted).
    const userKubeconfig = join(dir, 'user-kubeconfig.yaml');
    writeFileSync(
      userKubeconfig,
      kubeconfig(fake, [
        { name: 'user-token', user: { token: TOKEN } },
        { name: 'user-exec', user: { exec } },
      ]),
    );
    // The workspace's settings name another kubeconfig (restricted configuration: ignored until trusted).
    const wsKubeconfig = join(dir, 'workspace-kubeconfig.yaml');
    writeFileSync(wsKubeconfig, kubeconfig(fake, [{ name: 'from-workspace-settings', user: { exec } }]));
    const workspace = join(dir, 'untrusted-ws');
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'clusterdeck.kubeconfigs': [wsKubeconfig] }));
    writeFileSync(join(workspace, 'deploy.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n');

    wb = await startWorkbench({ workspace, trust: 'enabled', env: { KUBECONFIG: userKubeconfig } });
    const page = wb.page;
    await showClusterDeck(page);
    // The Clusters view only (the Backups view lists the same contexts).
    const tree = page.locator('#workbench\\.parts\\.sidebar .pane', { has: page.locator('.pane-header', { hasText: 'Clusters' }) });
    await tree.getByRole('treeitem', { name: /^user-token\b/ }).waitFor({ timeout: 60_000 });
    await tree.getByRole('treeitem', { name: /^user-exec\b/ }).click();
    await tree
      .getByRole('treeitem', { name: /Restricted Mode/ })
      .first()
      .waitFor({ timeout: 30_000 });
    await tree.getByRole('treeitem', { name: /^user-token\b/ }).click();
    await page.waitForTimeout(1_000);
    assert.ok((await tree.getByRole('treeitem', { name: /Restricted Mode/ }).count()) >= 2, 'both contexts explain Restricted Mode');
    assert.equal(await tree.getByRole('treeitem', { name: /^from-workspace-settings\b/ }).count(), 0, 'workspace-named kubeconfig ignored');
    // A command run from the palette is gated in code too, not only by `when` clauses.
    await runCommand(page, 'ClusterDeck: Refresh Clusters');
    await page.waitForTimeout(1_500);
    await screenshot(page, '50-restricted-mode');
    assert.equal(existsSync(marker), false, 'the exec plugin never ran');
    assert.deepEqual(
      fake.requests.map((r) => `${r.method} ${r.path}`),
      [],
      'no request reached the cluster',
    );
    await wb.close();
    wb = undefined;
  });

  test('UI: the exec-plugin approval prompt shows the exact command; it runs only after Allow; a changed command asks again', async () => {
    fake ??= await startFakeKube({ tls: 'tls', token: TOKEN, seed: 'demo' });
    fake.clearRequests();
    const marker = join(dir, 'approval.marker');
    const plugin = writeMarkerPlugin(dir, 'approval-plugin', marker, TOKEN);
    const execSpec = (args: string[]) => ({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: process.execPath,
      args: [plugin, ...args],
      env: [{ name: 'CLUSTERDECK_PLUGIN_SECRET', value: 'env-canary-value-93be' }],
    });
    const userKubeconfig = join(dir, 'approval-kubeconfig.yaml');
    writeFileSync(userKubeconfig, kubeconfig(fake, [{ name: 'needs-approval', user: { exec: execSpec(['--cluster', 'demo']) } }]));
    const workspace = join(dir, 'trusted-ws');
    mkdirSync(workspace, { recursive: true });
    wb = await startWorkbench({ workspace, env: { KUBECONFIG: userKubeconfig } });
    const page = wb.page;
    await showClusterDeck(page);
    // The Clusters view only (the Backups view lists the same contexts).
    const tree = page.locator('#workbench\\.parts\\.sidebar .pane', { has: page.locator('.pane-header', { hasText: 'Clusters' }) });
    await tree.getByRole('treeitem', { name: /^needs-approval\b/ }).click({ timeout: 60_000 });
    const ask = tree.getByRole('treeitem', { name: /approve it before ClusterDeck runs it/ });
    await ask.waitFor({ timeout: 30_000 }).catch(async (e: unknown) => {
      await screenshot(page, '51-FAILED');
      throw e;
    });
    assert.equal(existsSync(marker), false, 'nothing ran on expand');
    await ask.click(); // the item's action: Review and Approve…
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const text = (await dialog.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Allow ClusterDeck to run this credential plugin for context "needs-approval"\?/);
    assert.ok(text.includes(`${process.execPath} ${plugin} --cluster demo`), text);
    assert.match(text, /with env CLUSTERDECK_PLUGIN_SECRET/);
    assert.doesNotMatch(text, /env-canary-value-93be/, 'env values are never shown');
    await screenshot(page, '51-exec-approval-prompt');
    assert.equal(existsSync(marker), false, 'nothing ran while the prompt is open');
    await dialog.getByRole('button', { name: 'Allow', exact: true }).click();
    await tree.getByRole('treeitem', { name: /^shop\b/ }).waitFor({ timeout: 30_000 });
    assert.equal(existsSync(marker), true, 'the approved plugin ran');
    await screenshot(page, '52-exec-approved-namespaces');

    // The kubeconfig changes the plugin's arguments: the old approval does not cover the new command.
    rmSync(marker);
    writeFileSync(userKubeconfig, kubeconfig(fake, [{ name: 'needs-approval', user: { exec: execSpec(['--cluster', 'other']) } }]));
    await runCommand(page, 'ClusterDeck: Refresh Clusters');
    const ctx = tree.getByRole('treeitem', { name: /^needs-approval\b/ });
    await ctx.waitFor();
    await page.waitForTimeout(1_000);
    if ((await ctx.getAttribute('aria-expanded')) !== 'true') await ctx.click();
    await tree
      .getByRole('treeitem', { name: /approve it before ClusterDeck runs it/ })
      .waitFor({ timeout: 30_000 })
      .catch(async (e: unknown) => {
        await screenshot(page, '53-FAILED');
        throw e;
      });
    assert.equal(existsSync(marker), false, 'the changed command did not run');
  });
});
