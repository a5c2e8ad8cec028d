import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandIds } from '../../src/host/commandIds';

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    views: Record<string, { id: string }[]>;
    viewsWelcome: { view: string }[];
    viewsContainers: { activitybar: { id: string; title: string }[] };
    configuration: { properties: Record<string, { scope?: string }> }[];
    walkthroughs: { title: string }[];
  };
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations?: string[] } };
  extensionKind: string[];
  engines: { vscode: string };
  devDependencies: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;

test('commandIds and contributes.commands name the same commands, all clusterdeck.<area>.<verb>', () => {
  const contributed = pkg.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(contributed, Object.values(commandIds).sort());
  for (const c of pkg.contributes.commands) {
    assert.match(c.command, /^clusterdeck\.[a-z][a-zA-Z]*\.[a-zA-Z]+$/);
    assert.equal(c.category, 'ClusterDeck');
  }
});

test('the container, views, welcome states, walkthrough and trust declaration are as promised', () => {
  assert.deepEqual(
    pkg.contributes.viewsContainers.activitybar.map((c) => c.title),
    ['ClusterDeck'],
  );
  assert.deepEqual(
    pkg.contributes.views.clusterdeck?.map((v) => v.id),
    ['clusterdeck.clusters', 'clusterdeck.clouds', 'clusterdeck.backups'],
  );
  assert.deepEqual([...new Set(pkg.contributes.viewsWelcome.map((w) => w.view))].sort(), [
    'clusterdeck.backups',
    'clusterdeck.clouds',
    'clusterdeck.clusters',
  ]);
  assert.equal(pkg.contributes.walkthroughs[0]?.title, 'Get started with ClusterDeck');
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.deepEqual(pkg.extensionKind, ['workspace']);
  assert.equal(pkg.engines.vscode, '^1.100.0');
  assert.equal(pkg.devDependencies['@types/vscode'], '1.100.0', '@types/vscode must not be newer than engines.vscode');
});

test('settings are clusterdeck.<area>.<name> (or clusterdeck.kubeconfigs) and file paths are machine-scoped', () => {
  for (const section of pkg.contributes.configuration) {
    for (const [key, schema] of Object.entries(section.properties)) {
      assert.match(key, /^clusterdeck\.([a-z]+\.[a-zA-Z]+|kubeconfigs)$/);
      if (/kubeconfig|path|binary|url/i.test(key)) {
        assert.ok(schema.scope === 'machine' || pkg.capabilities.untrustedWorkspaces.restrictedConfigurations?.includes(key), key);
      }
    }
  }
});
