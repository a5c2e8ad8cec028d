// Catalogue row B14 in the tree: a context whose server is plain http:// carries a "plain http" badge and a
// tooltip saying nothing is encrypted (instead of the TLS badge, which means nothing for http).
import { before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { buildContextNodes } from '../../src/core/explorer/clusterNodes';
import { mergeKubeconfigs } from '../../src/core/kube/kubeconfig';
import { installVscodeStub } from '../support/vscodeStub';

before(() => {
  installVscodeStub();
});

const extensionUri = { fsPath: '/ext', toString: () => 'file:///ext' } as unknown as vscode.Uri;
const tooltipOf = (item: vscode.TreeItem): string =>
  typeof item.tooltip === 'string' ? item.tooltip : ((item.tooltip as { value?: string } | undefined)?.value ?? '');

describe('B14 in the tree', () => {
  test('a plain-http context shows a "plain http" badge and an unencrypted warning; https contexts do not', async () => {
    const { toTreeItem } = await import('../../src/host/explorer/toTreeItem');
    const config = mergeKubeconfigs([
      {
        path: '/k/config',
        text: [
          'clusters:',
          '- {name: proxy, cluster: {server: "http://127.0.0.1:8001", insecure-skip-tls-verify: true}}',
          '- {name: tls, cluster: {server: "https://k.example:6443"}}',
          'users: [{name: anon, user: {}}]',
          'contexts:',
          '- {name: proxy, context: {cluster: proxy, user: anon}}',
          '- {name: tls, context: {cluster: tls, user: anon}}',
          '',
        ].join('\n'),
      },
    ]);
    const items = new Map(
      buildContextNodes(config)
        .filter((n) => n.kind === 'context')
        .map((n) => [n.kind === 'context' ? n.contextName : '', toTreeItem(n, extensionUri)]),
    );
    const proxy = items.get('proxy');
    const tls = items.get('tls');
    assert.ok(proxy && tls);
    assert.match(String(proxy.description), /127\.0\.0\.1:8001 ⚠ plain http$/);
    assert.doesNotMatch(String(proxy.description), /TLS unverified/);
    assert.match(
      tooltipOf(proxy),
      /⚠ Plain `http:\/\/`: nothing is encrypted; ClusterDeck sends no credentials to it, and contacts it only when the context is listed in `clusterdeck\.clusters\.allowPlainHttp`\./,
    );
    assert.doesNotMatch(String(tls.description), /plain http/);
    assert.doesNotMatch(tooltipOf(tls), /Plain/);
  });
});
