// Bad-input catalogue rows (reliability.md §3) about contexts that point nowhere: B08 (current-context names no
// context) and B09 (a context names a missing user or cluster). The tree's loaders run against a factory spy:
// a broken context becomes one message node with the reason, and nothing is contacted for it.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildContextNodes, loadNamespaceNodes, type ClusterNode } from '../../src/core/explorer/clusterNodes';
import { ClusterDeckError } from '../../src/core/errors';
import type { KubeClient, KubeClientFactory } from '../../src/core/kube/kubeClient';
import { mergeKubeconfigs, resolveContext, type ResolvedContext } from '../../src/core/kube/kubeconfig';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';

const TOKEN = 'contexts-rows-canary-token-2f9b';

const text = [
  'current-context: ghost',
  'clusters:',
  '- name: ok',
  '  cluster: {server: https://ok.example}',
  'users:',
  '- name: u',
  `  user: {token: ${TOKEN}}`,
  'contexts:',
  '- name: fine',
  '  context: {cluster: ok, user: u}',
  '- name: no-user',
  '  context: {cluster: ok, user: typo-user}',
  '- name: anonymous',
  '  context: {cluster: ok}',
  '',
].join('\n');

/** A factory that records which contexts it was asked for and answers one namespace. */
function spyFactory(): KubeClientFactory & { readonly asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    createClient(resolved: ResolvedContext): Promise<KubeClient> {
      asked.push(resolved.context.name);
      return Promise.resolve({
        listNamespaces: () => Promise.resolve({ items: [{ name: 'default' }] }),
      } as unknown as KubeClient);
    },
  };
}

describe('bad-input rows: contexts that point nowhere', () => {
  const config = mergeKubeconfigs([{ path: '/k/config', text }]);

  test('B09: a context naming a missing user is marked broken with the reason; nothing is contacted; the others load', async () => {
    assert.throws(
      () => resolveContext(config, 'no-user'),
      (e: unknown) =>
        e instanceof ClusterDeckError &&
        e.reason === 'badConfig' &&
        /names the user "typo-user", which no kubeconfig file defines/.test(e.message),
    );
    const factory = spyFactory();
    const broken = await loadNamespaceNodes(config, 'no-user', factory, { signal: new AbortController().signal, pageSize: 100 });
    assert.equal(broken.length, 1);
    const [node] = broken as [Extract<ClusterNode, { kind: 'message' }>];
    assert.equal(node.kind, 'message');
    assert.equal(node.reason, 'badConfig');
    assert.match(node.text, /"typo-user"/);
    assert.ok(!JSON.stringify(broken).includes(TOKEN), 'no token in the node');
    assert.deepEqual(factory.asked, [], 'the broken context was never contacted (not even anonymously)');

    const fine = await loadNamespaceNodes(config, 'fine', factory, { signal: new AbortController().signal, pageSize: 100 });
    assert.deepEqual(
      fine.map((n) => n.kind),
      ['namespace'],
    );
    // A context with no user at all is anonymous on purpose, as with kubectl.
    assert.equal(resolveContext(config, 'anonymous').user.name, '');
    assert.deepEqual(factory.asked, ['fine']);
  });

  test('B08: a current-context naming no context: no context is active and building the tree contacts nothing', () => {
    assert.equal(config.currentContext, 'ghost');
    const factory = spyFactory();
    const nodes = buildContextNodes(config);
    const contexts = nodes.filter((n): n is Extract<ClusterNode, { kind: 'context' }> => n.kind === 'context');
    assert.deepEqual(
      contexts.map((c) => c.contextName),
      ['fine', 'no-user', 'anonymous'],
    );
    assert.ok(
      contexts.every((c) => !c.isCurrent),
      'no context is marked active',
    );
    assert.deepEqual(factory.asked, []);
    assert.throws(
      () => resolveContext(config, 'ghost'),
      (e: unknown) => e instanceof ClusterDeckError && e.reason === 'badConfig' && /"ghost"/.test(e.message),
    );
  });

  test('B31: a legacy auth-provider (gcp, azure, oidc) is explained with the migration step; nothing is sent, no crash', async () => {
    const providers = {
      gcp: /gke-gcloud-auth-plugin.*get-credentials/,
      azure: /kubelogin convert-kubeconfig -l azurecli/,
      oidc: /exec plugin such as kubelogin/,
    };
    const lines = ['clusters:', '- name: c', '  cluster: {server: "https://127.0.0.1:1"}', 'users:'];
    for (const name of Object.keys(providers))
      lines.push(
        `- name: ${name}-user`,
        '  user:',
        '    auth-provider:',
        `      name: ${name}`,
        `      config: {id-token: ${TOKEN}, refresh-token: ${TOKEN}, client-secret: ${TOKEN}}`,
      );
    lines.push('contexts:', ...Object.keys(providers).map((name) => `- {name: ${name}, context: {cluster: c, user: ${name}-user}}`), '');
    const legacy = mergeKubeconfigs([{ path: '/k/legacy', text: lines.join('\n') }]);
    assert.deepEqual(legacy.problems, []);
    const requests: string[] = [];
    const factory = new SdkKubeClientFactory({
      requestTimeoutMs: () => 1_000,
      approvals: { isApproved: () => false, approve: () => Promise.resolve() },
      isTrusted: () => true,
      onRequest: (l) => requests.push(l),
    });
    for (const [name, migration] of Object.entries(providers)) {
      await assert.rejects(factory.createClient(resolveContext(legacy, name)), (e: unknown) => {
        assert.ok(e instanceof ClusterDeckError, String(e));
        assert.equal(e.reason, 'badConfig');
        assert.match(e.message, new RegExp(`legacy auth-provider "${name}", which Kubernetes clients no longer run`));
        assert.match(e.message, migration);
        assert.ok(!e.message.includes(TOKEN), 'no auth-provider secret in the message');
        return true;
      });
    }
    assert.deepEqual(requests, [], 'no request was sent');
  });
});
