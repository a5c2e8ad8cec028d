import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mergeKubeconfigs, resolveContext } from '../../src/core/kube/kubeconfig';
import { ClusterDeckError } from '../../src/core/errors';

const fileA = `apiVersion: v1
kind: Config
current-context: a
clusters:
- name: shared
  cluster:
    server: https://a.example:6443
    certificate-authority: certs/ca.crt
- name: only-a
  cluster: {server: https://only-a.example}
users:
- name: u
  user:
    token: token-from-a
    client-key: ../keys/u.key
contexts:
- name: a
  context: {cluster: shared, user: u, namespace: shop}
`;
const fileB = `clusters:
- name: shared
  cluster: {server: https://b.example}
users:
- name: u
  user: {token: token-from-b}
contexts:
- name: a
  context: {cluster: only-a, user: u}
- name: b
  context: {cluster: shared, user: u}
current-context: b
`;

describe('mergeKubeconfigs (kubectl loading rules)', () => {
  test('the first file to define a name wins, for clusters, users and contexts', () => {
    const m = mergeKubeconfigs([
      { path: '/home/me/.kube/a', text: fileA },
      { path: '/etc/kube/b', text: fileB },
    ]);
    assert.equal(m.clusters.get('shared')?.server, 'https://a.example:6443');
    assert.equal(m.users.get('u')?.token, 'token-from-a');
    assert.equal(m.contexts.find((c) => c.name === 'a')?.clusterName, 'shared');
    assert.deepEqual(
      m.contexts.map((c) => c.name),
      ['a', 'b'],
    );
  });

  test('the first non-empty current-context wins', () => {
    const m = mergeKubeconfigs([
      { path: '/x/empty', text: 'clusters: []\n' },
      { path: '/x/b', text: fileB },
      { path: '/x/a', text: fileA },
    ]);
    assert.equal(m.currentContext, 'b');
  });

  test('relative file paths resolve against the directory of the file that holds them', () => {
    const m = mergeKubeconfigs([{ path: '/home/me/.kube/a', text: fileA }]);
    assert.equal(m.clusters.get('shared')?.certificateAuthorityFile, '/home/me/.kube/certs/ca.crt');
    assert.equal(m.users.get('u')?.clientKeyFile, '/home/me/keys/u.key');
  });

  test('a malformed file becomes a problem with its line; the other files still load', () => {
    const broken = 'clusters:\n- name: x\n  cluster:\n    server: [unclosed\n';
    const m = mergeKubeconfigs([
      { path: '/x/broken', text: broken },
      { path: '/x/a', text: fileA },
    ]);
    assert.equal(m.problems.length, 1);
    assert.equal(m.problems[0]?.path, '/x/broken');
    assert.ok((m.problems[0]?.line ?? 0) >= 4, `line ${m.problems[0]?.line}`);
    assert.deepEqual(
      m.contexts.map((c) => c.name),
      ['a'],
    );
  });

  test('wrong shapes are problems, not crashes', () => {
    const m = mergeKubeconfigs([
      { path: '/x/list', text: '- a\n- b\n' },
      { path: '/x/scalar-clusters', text: 'clusters: 5\n' },
      { path: '/x/nameless', text: 'contexts:\n- context: {cluster: c}\n' },
      { path: '/x/serverless', text: 'clusters:\n- name: c\n  cluster: {}\n' },
      { path: '/x/empty', text: '' },
    ]);
    assert.deepEqual(
      m.problems.map((p) => [p.path, p.line]),
      [
        ['/x/list', 1],
        ['/x/scalar-clusters', 1],
        ['/x/nameless', 2],
        ['/x/serverless', 2],
      ],
    );
    assert.equal(m.contexts.length, 0);
  });

  test('exec plugins keep command, args and env; a relative command with a slash resolves against the file', () => {
    const text = `users:
- name: e
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: ./bin/get-token
      args: [--cluster, prod]
      env:
      - {name: AWS_PROFILE, value: prod}
`;
    const m = mergeKubeconfigs([{ path: '/cfg/k', text }]);
    const exec = m.users.get('e')?.exec;
    assert.equal(exec?.command, '/cfg/bin/get-token');
    assert.deepEqual(exec?.args, ['--cluster', 'prod']);
    assert.deepEqual(exec?.env, [{ name: 'AWS_PROFILE', value: 'prod' }]);
    const bare = mergeKubeconfigs([{ path: '/cfg/k', text: text.replace('./bin/get-token', 'aws') }]);
    assert.equal(bare.users.get('e')?.exec?.command, 'aws');
  });

  test('an alias bomb is refused as a problem, fast', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const started = Date.now();
    const m = mergeKubeconfigs([{ path: '/x/bomb', text: lines.join('\n') + '\n' }]);
    assert.ok(Date.now() - started < 2_000);
    assert.equal(m.problems.length, 1);
  });
});

describe('resolveContext', () => {
  test('names the missing cluster and the file of the context', () => {
    const m = mergeKubeconfigs([{ path: '/x/k', text: 'contexts:\n- name: c\n  context: {cluster: nowhere, user: u}\n' }]);
    assert.throws(
      () => resolveContext(m, 'c'),
      (e: unknown) =>
        e instanceof ClusterDeckError && e.reason === 'badConfig' && /cluster "nowhere"/.test(e.message) && e.detail.file === '/x/k',
    );
  });
});
