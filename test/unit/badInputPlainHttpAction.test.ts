// Catalogue row B14 in the Clusters tree: a plain-http context the user has not allowed (`kubectl proxy` on this
// machine too) expands to one error node naming the setting and the context, whose click opens that setting. The
// real SdkKubeClientFactory refuses before any request (its transport is never loaded: nothing listens on the port).
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { errorNode, loadNamespaceNodes } from '../../src/core/explorer/clusterNodes';
import { ClusterDeckError } from '../../src/core/errors';
import { mergeKubeconfigs } from '../../src/core/kube/kubeconfig';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';

const config = mergeKubeconfigs([
  {
    path: '/k/config',
    text: [
      'clusters:',
      '- {name: proxy, cluster: {server: "http://127.0.0.1:8001"}}',
      'users: [{name: anon, user: {}}, {name: bearer, user: {token: plain-http-action-canary}}]',
      'contexts:',
      '- {name: proxy, context: {cluster: proxy, user: anon}}',
      '- {name: proxy-token, context: {cluster: proxy, user: bearer}}',
      '',
    ].join('\n'),
  },
]);

const factory = (allowed: readonly string[]) =>
  new SdkKubeClientFactory({
    requestTimeoutMs: () => 1_000,
    approvals: { isApproved: () => false, approve: () => Promise.resolve() },
    isTrusted: () => true,
    allowPlainHttp: (name) => allowed.includes(name),
  });

const load = (context: string, allowed: readonly string[] = []) =>
  loadNamespaceNodes(config, context, factory(allowed), { signal: new AbortController().signal, pageSize: 50 });

describe('B14 in the tree: the refusal and its next step', () => {
  test('an unlisted kubectl-proxy context shows one error naming the setting and the context; its click opens the setting', async () => {
    const nodes = await load('proxy', ['another-context']);
    assert.equal(nodes.length, 1);
    const node = nodes[0];
    assert.ok(node?.kind === 'message', JSON.stringify(node));
    assert.equal(node.severity, 'error');
    assert.equal(node.reason, 'tls');
    assert.equal(
      node.text,
      'Context "proxy" uses plain http to 127.0.0.1:8001 on this machine (a kubectl proxy?), which ClusterDeck contacts only when allowed: add "proxy" to the machine setting clusterdeck.clusters.allowPlainHttp, or use an https:// server.',
    );
    assert.deepEqual(node.action, {
      command: 'workbench.action.openSettings',
      title: 'Open Settings',
      args: ['clusterdeck.clusters.allowPlainHttp'],
    });
  });

  test('credentials over http are no setting away: that refusal offers no Open Settings, other tls failures keep Retry', async () => {
    const nodes = await load('proxy-token', ['proxy-token']);
    const node = nodes[0];
    assert.ok(node?.kind === 'message', JSON.stringify(node));
    assert.equal(node.reason, 'tls');
    assert.match(node.text, /^Context "proxy-token" would send credentials over plain http/);
    assert.doesNotMatch(node.text, /plain-http-action-canary/);
    assert.notEqual(node.action?.command, 'workbench.action.openSettings');
    const certificate = errorNode('c', new ClusterDeckError('tls', 'The server certificate is not trusted.'));
    assert.ok(certificate.kind === 'message');
    assert.equal(certificate.action?.title, 'Retry');
  });
});
