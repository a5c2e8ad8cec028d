import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BackupNode } from '../../../src/core/velero/backupNodes';
import type { ClusterDeckApi } from '../../../src/extension';

async function api(): Promise<ClusterDeckApi> {
  const ext = vscode.extensions.getExtension<ClusterDeckApi>('clusterdeck.clusterdeck');
  assert.ok(ext);
  return ext.activate();
}

async function contextNode(a: ClusterDeckApi, name: string): Promise<BackupNode> {
  const n = (await a.backups.getChildren()).find((x) => x.kind === 'context' && x.contextName === name);
  assert.ok(n, `context ${name} in the Backups view`);
  return n;
}

async function group(a: ClusterDeckApi, contextName: string, g: string): Promise<BackupNode[]> {
  const children = await a.backups.getChildren(await contextNode(a, contextName));
  const node = children.find((n) => n.kind === 'group' && n.group === g);
  assert.ok(node, `group ${g} (got ${children.map((c) => c.id).join(', ')})`);
  return a.backups.getChildren(node);
}

async function backupNode(a: ClusterDeckApi, name: string): Promise<BackupNode | undefined> {
  a.backups.refresh();
  return (await group(a, 'fake-a', 'backups')).find((n) => n.kind === 'backup' && n.backup.name === name);
}

describe('Backups view and Velero actions (extension host, against the fake with its Velero controller)', () => {
  it('shows Velero installed with its version, the five kinds, and schedules with their next three runs', async () => {
    const a = await api();
    a.backups.refresh();
    const children = await a.backups.getChildren(await contextNode(a, 'fake-a'));
    assert.equal(children[0]?.kind === 'install' && children[0].snapshot.install.state, 'installed');
    assert.deepEqual(
      children.filter((n) => n.kind === 'group').map((n) => (n.kind === 'group' ? n.group : '')),
      ['backups', 'restores', 'schedules', 'storageLocations', 'snapshotLocations'],
    );
    const schedules = await group(a, 'fake-a', 'schedules');
    const daily = schedules.find((n) => n.kind === 'schedule' && n.schedule.name === 'daily-shop');
    assert.ok(daily);
    const runs = await a.backups.getChildren(daily);
    assert.equal(runs.length, 3);
    assert.match(runs[0]?.kind === 'scheduleRun' ? runs[0].text : '', /^Next: \w{3} \d+ \w{3} 01:00 UTC$/);
  });

  it('the Clusters tree shows on each namespace whether a schedule covers it and when it was last backed up', async () => {
    const a = await api();
    a.clusters.refresh();
    const ctx = (await a.clusters.getChildren()).find((n) => n.kind === 'context' && n.contextName === 'fake-a');
    assert.ok(ctx);
    const find = async (name: string) => {
      // Expanding again is what a user does; it also restarts the read if a kubeconfig change refreshed the tree.
      const n = (await a.clusters.getChildren(ctx)).find((x) => x.kind === 'namespace' && x.name === name);
      assert.ok(n, name);
      return n;
    };
    let description = '';
    for (let i = 0; i < 100 && !/backup/.test(description); i++) {
      await new Promise((r) => setTimeout(r, 100));
      description = String(a.clusters.getTreeItem(await find('shop')).description ?? '');
    }
    assert.match(description, /^backup: daily-shop · \d+[smhd] ago( \(partial\))?$/);
    assert.match(String(a.clusters.getTreeItem(await find('monitoring')).description ?? ''), /^no backup schedule · /);
  });

  it('explains a cluster whose Velero CRDs exist but whose server is missing', async () => {
    const a = await api();
    const children = await a.backups.getChildren(await contextNode(a, 'fake-http'));
    const install = children[0];
    assert.equal(install?.kind === 'install' && install.snapshot.install.state, 'degraded');
  });

  it('Back Up Now from a namespace creates a Backup and follows it to Completed in the tree', async () => {
    const a = await api();
    const name = await vscode.commands.executeCommand<string | undefined>(
      'clusterdeck.backup.create',
      { kind: 'namespace', id: 'ns', contextName: 'fake-a', name: 'payments' },
      {
        namespaces: ['payments'],
        includedResources: '',
        excludedResources: '',
        labelSelector: '',
        volumes: 'snapshot',
        ttl: '24h',
        storageLocation: 'default',
        name: 'ext-host-payments',
      },
    );
    assert.equal(name, 'ext-host-payments');
    let node: BackupNode | undefined;
    for (let i = 0; i < 60; i++) {
      node = await backupNode(a, 'ext-host-payments');
      if (node?.kind === 'backup' && node.backup.phase === 'Completed') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(node?.kind === 'backup', 'the backup is in the tree');
    assert.equal(node.backup.phase, 'Completed');
    assert.deepEqual(node.backup.includedNamespaces, ['payments']);
    assert.equal(node.backup.ttl, '24h');
  });

  it('Describe renders spec and status; Show Logs fetches the log through a DownloadRequest', async () => {
    const a = await api();
    const node = await backupNode(a, 'ext-host-payments');
    assert.ok(node);
    const described = await vscode.commands.executeCommand<vscode.TextDocument>('clusterdeck.backup.describe', node);
    assert.match(described.getText(), /^# Backup velero\/ext-host-payments/);
    assert.match(described.getText(), /## Spec[\s\S]*includedNamespaces:\n\s+- payments/);
    const logs = await vscode.commands.executeCommand<vscode.TextDocument>('clusterdeck.backup.logs', node);
    assert.match(logs.getText(), /msg="Backup completed" backup=velero\/ext-host-payments/);
    // A PartiallyFailed backup: its per-item errors and warnings come from the results file (a DownloadRequest).
    const partial = (await group(a, 'fake-a', 'backups')).find((n) => n.kind === 'backup' && n.backup.phase === 'PartiallyFailed');
    assert.ok(partial?.kind === 'backup');
    const detailed = (await vscode.commands.executeCommand<vscode.TextDocument>('clusterdeck.backup.describe', partial)).getText();
    assert.match(detailed, new RegExp(`## Errors \\(${partial.backup.errors}\\)`));
    assert.match(detailed, new RegExp(`## Warnings \\(${partial.backup.warnings}\\)`));
    assert.match(detailed, /\| Namespace shop \| warning 1: /);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('pauses and unpauses a schedule', async () => {
    const a = await api();
    const find = async () =>
      (await group(a, 'fake-a', 'schedules')).find((n) => n.kind === 'schedule' && n.schedule.name === 'hourly-payments');
    await vscode.commands.executeCommand('clusterdeck.schedule.pause', await find());
    a.backups.refresh();
    const paused = await find();
    assert.equal(paused?.kind === 'schedule' && paused.schedule.paused, true);
    const first = (await a.backups.getChildren(paused))[0];
    assert.match(first?.kind === 'scheduleRun' ? first.text : '', /^Paused/);
    await vscode.commands.executeCommand('clusterdeck.schedule.unpause', paused);
    a.backups.refresh();
    const again = await find();
    assert.equal(again?.kind === 'schedule' && again.schedule.paused, false);
  });

  it('Create Schedule makes an Enabled schedule whose first backup runs at once', async () => {
    const a = await api();
    const name = await vscode.commands.executeCommand<string | undefined>(
      'clusterdeck.schedule.create',
      { kind: 'context', contextName: 'fake-a' },
      { name: 'ext-host-nightly', schedule: '0 3 * * *', namespaces: ['shop'], ttl: '168h', storageLocation: 'default' },
    );
    assert.equal(name, 'ext-host-nightly');
    let node: BackupNode | undefined;
    for (let i = 0; i < 60; i++) {
      a.backups.refresh();
      node = (await group(a, 'fake-a', 'schedules')).find((n) => n.kind === 'schedule' && n.schedule.name === 'ext-host-nightly');
      if (node?.kind === 'schedule' && node.schedule.phase === 'Enabled' && node.schedule.lastBackup) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(node?.kind === 'schedule' && node.schedule.phase === 'Enabled', JSON.stringify(node));
    assert.equal(node.schedule.ttl, '168h');
    // The five lists are read in parallel: the schedule's lastBackup can be newer than the backups list just read.
    let backups: BackupNode[] = [];
    for (let i = 0; i < 40 && !backups.some((b) => b.kind === 'backup' && b.backup.scheduleName === 'ext-host-nightly'); i++) {
      if (i) await new Promise((r) => setTimeout(r, 250));
      a.backups.refresh();
      backups = await group(a, 'fake-a', 'backups');
    }
    assert.ok(backups.some((b) => b.kind === 'backup' && b.backup.scheduleName === 'ext-host-nightly'));
  });

  it('Create Schedule refuses a TTL shorter than the interval', async () => {
    const before = (await group(await api(), 'fake-a', 'schedules')).length;
    // Not awaited: the refusal is an error notification, which resolves only when dismissed.
    void vscode.commands.executeCommand(
      'clusterdeck.schedule.create',
      { kind: 'context', contextName: 'fake-a' },
      { name: 'too-short', schedule: '0 3 * * 0', namespaces: ['shop'], ttl: '72h', storageLocation: 'default' },
    );
    await new Promise((r) => setTimeout(r, 3000));
    const a = await api();
    a.backups.refresh();
    assert.equal((await group(a, 'fake-a', 'schedules')).length, before);
  });

  it('refuses Back Up Now where the Velero server is missing (the backup would never run)', async () => {
    // Not awaited: the refusal is an error notification, which resolves only when dismissed.
    void vscode.commands.executeCommand(
      'clusterdeck.backup.create',
      { kind: 'context', contextName: 'fake-http' },
      {
        namespaces: ['default'],
        includedResources: '',
        excludedResources: '',
        labelSelector: '',
        volumes: 'none',
        ttl: '24h',
        storageLocation: 'default',
        name: 'never-runs',
      },
    );
    await new Promise((r) => setTimeout(r, 3000));
    const a = await api();
    a.backups.refresh();
    const backups = await group(a, 'fake-http', 'backups');
    assert.ok(!backups.some((n) => n.kind === 'backup'), JSON.stringify(backups));
  });
});
