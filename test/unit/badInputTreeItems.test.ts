// Bad-input catalogue rows (reliability.md §3) about what the Clusters tree shows, through the real toTreeItem with
// a scripted `vscode`: B13 (an insecure-skip-tls-verify context carries a visible "TLS unverified" badge) and B54
// (bidi overrides, zero-width and control characters in names are shown as escapes; emoji and long names intact).
import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { buildContextNodes, type ClusterNode } from '../../src/core/explorer/clusterNodes';
import { showInvisible } from '../../src/core/explorer/displayText';
import { mergeKubeconfigs } from '../../src/core/kube/kubeconfig';
import { resourceKindOf, type ResourceKind } from '../../src/core/kube/resourceKinds';
import { installVscodeStub } from '../support/vscodeStub';

before(() => {
  installVscodeStub();
});

const extensionUri = { fsPath: '/ext', toString: () => 'file:///ext' } as unknown as vscode.Uri;
const tooltipOf = (item: vscode.TreeItem): string =>
  typeof item.tooltip === 'string' ? item.tooltip : ((item.tooltip as { value?: string } | undefined)?.value ?? '');

describe('bad-input rows: what the tree shows', () => {
  test('B13: a context with insecure-skip-tls-verify carries a visible "TLS unverified" badge and a tooltip warning', async () => {
    const { toTreeItem } = await import('../../src/host/explorer/toTreeItem');
    const config = mergeKubeconfigs([
      {
        path: '/k/config',
        text: [
          'clusters:',
          '- {name: lax, cluster: {server: "https://lax.example:6443", insecure-skip-tls-verify: true}}',
          '- {name: strict, cluster: {server: "https://strict.example:6443"}}',
          'users: [{name: u, user: {token: t}}]',
          'contexts:',
          '- {name: lax, context: {cluster: lax, user: u}}',
          '- {name: strict, context: {cluster: strict, user: u}}',
          '',
        ].join('\n'),
      },
    ]);
    const items = new Map(
      buildContextNodes(config)
        .filter((n): n is Extract<ClusterNode, { kind: 'context' }> => n.kind === 'context')
        .map((n) => [n.contextName, toTreeItem(n, extensionUri)]),
    );
    assert.match(String(items.get('lax')?.description), /⚠ TLS unverified/);
    assert.match(tooltipOf(items.get('lax')!), /insecure-skip-tls-verify.*not checked/);
    assert.doesNotMatch(String(items.get('strict')?.description), /unverified/);
    assert.doesNotMatch(tooltipOf(items.get('strict')!), /insecure/);
  });

  test('B54: bidi overrides, zero-width and control characters show as escapes in labels and tooltips; emoji and 253-char names stay', async () => {
    const { toTreeItem } = await import('../../src/host/explorer/toTreeItem');
    const rlo = 'invoice\u202Egnp.exe';
    const zw = 'ad\u200Bmin';
    const newline = 'two\nlines';
    const emoji = 'café-🚀';
    const long = 'a'.repeat(253);
    assert.equal(showInvisible(rlo), 'invoice\\u202Egnp.exe');
    assert.equal(showInvisible(zw), 'ad\\u200Bmin');
    assert.equal(showInvisible(newline), 'two\\u000Alines');
    assert.equal(showInvisible(emoji), emoji);
    assert.equal(showInvisible(long), long);

    const context: ClusterNode = {
      kind: 'context',
      id: `ctx:${rlo}`,
      contextName: rlo,
      provider: 'kubeadm',
      isCurrent: false,
      server: 'https://c.example',
      sourcePath: '/k/config',
      insecure: false,
    };
    const contextItem = toTreeItem(context, extensionUri);
    assert.equal(contextItem.label, 'invoice\\u202Egnp.exe');
    assert.ok(!tooltipOf(contextItem).includes('\u202E'), 'no raw bidi control in the tooltip');
    assert.equal(contextItem.id, `ctx:${rlo}`, 'the id keeps the real name (commands act on the real object)');

    const namespace: ClusterNode = { kind: 'namespace', id: `ns:c:${zw}`, contextName: 'c', name: zw };
    assert.equal(toTreeItem(namespace, extensionUri).label, 'ad\\u200Bmin');

    const pods = resourceKindOf('pods') as ResourceKind;
    for (const name of [newline, emoji, long]) {
      const resource = {
        kind: 'resource',
        id: `res:c:shop:pods:${name}`,
        contextName: 'c',
        resource: pods,
        namespace: 'shop',
        name,
        cells: { Status: 'Running' },
      } as unknown as ClusterNode;
      const item = toTreeItem(resource, extensionUri);
      assert.equal(item.label, showInvisible(name));
      assert.ok(!/[\n\u200B\u202E]/.test(String(item.label)) && !/[\u200B\u202E]/.test(tooltipOf(item)));
    }
  });
});
