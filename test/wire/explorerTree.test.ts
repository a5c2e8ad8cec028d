// The explorer's tree loading against the fake API server through the real client: categories, resource
// folders listed as server-side Tables, paging with "Load more", and a 403 explained on its folder.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { categoryNodes, loadResourceNodes, resourceFolderNodes, type ClusterNode } from '../../src/core/explorer/clusterNodes';
import type { ExecApprovals } from '../../src/core/kube/execApproval';
import { mergeKubeconfigs, type MergedKubeconfig } from '../../src/core/kube/kubeconfig';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';

const TOKEN = 'tree-canary-token-44aa';
const approvals: ExecApprovals = { isApproved: () => false, approve: () => Promise.resolve() };

describe('explorer tree over the fake API server', () => {
  let fake: FakeKube;
  let config: MergedKubeconfig;
  const factory = new SdkKubeClientFactory({ requestTimeoutMs: () => 5_000, approvals, isTrusted: () => true });
  const signal = () => new AbortController().signal;
  const folder = (category: string, plural: string, namespace: string) => {
    const node = resourceFolderNodes('dev', namespace, category).find((n) => n.kind === 'resourceFolder' && n.resource.plural === plural);
    assert.ok(node && node.kind === 'resourceFolder');
    return node;
  };

  before(async () => {
    fake = await startFakeKube({ tls: 'tls', token: TOKEN, seed: 'demo' });
    fake.seedPods('crowd', 250);
    config = mergeKubeconfigs([{ path: '/k', text: fake.kubeconfig({ contextName: 'dev', user: 'token' }) }]);
  });
  after(async () => {
    await fake?.close();
  });

  test('a namespace has the seven categories; Workloads lists Deployments … Pods', () => {
    assert.deepEqual(
      categoryNodes('dev', 'shop').map((n) => (n.kind === 'category' ? n.name : '')),
      ['Workloads', 'Network', 'Config', 'Storage', 'Autoscaling', 'Access', 'Custom Resources'],
    );
    assert.deepEqual(
      resourceFolderNodes('dev', 'shop', 'Workloads').map((n) => (n.kind === 'resourceFolder' ? n.resource.label : '')),
      ['Deployments', 'StatefulSets', 'DaemonSets', 'ReplicaSets', 'Jobs', 'CronJobs', 'Pods'],
    );
  });

  test('a folder lists its objects from a server-side Table with the printed columns', async () => {
    fake.clearRequests();
    const nodes = await loadResourceNodes(config, folder('Workloads', 'deployments', 'shop'), factory, { signal: signal(), pageSize: 100 });
    const objects = nodes.filter((n): n is Extract<ClusterNode, { kind: 'resource' }> => n.kind === 'resource');
    assert.ok(objects.length >= 1, JSON.stringify(nodes));
    assert.match(objects[0]!.cells.Ready ?? '', /^\d+\/\d+$/);
    const request = fake.requests.find((r) => r.path === '/apis/apps/v1/namespaces/shop/deployments');
    assert.match(String(request?.headers.accept), /as=Table;v=v1;g=meta\.k8s\.io/);
    const pods = await loadResourceNodes(config, folder('Workloads', 'pods', 'shop'), factory, { signal: signal(), pageSize: 100 });
    assert.ok(pods.some((n) => n.kind === 'resource' && n.cells.Status !== undefined));
  });

  test('HPAs show current/target metrics from the Table (as kubectl get hpa does)', async () => {
    const nodes = await loadResourceNodes(config, folder('Autoscaling', 'horizontalpodautoscalers', 'shop'), factory, {
      signal: signal(),
      pageSize: 100,
    });
    const hpa = nodes.find((n) => n.kind === 'resource');
    assert.ok(hpa && hpa.kind === 'resource', JSON.stringify(nodes));
    assert.match(hpa.cells.Targets ?? '', /^cpu: (\d+%|<unknown>)\/\d+%/);
    assert.ok(hpa.cells.MaxPods);
  });

  test('250 pods come in pages of 100 with "Load more" until the last page', async () => {
    const pods = folder('Workloads', 'pods', 'crowd');
    let nodes = await loadResourceNodes(config, pods, factory, { signal: signal(), pageSize: 100 });
    const names: string[] = [];
    for (let guard = 0; guard < 5; guard++) {
      names.push(...nodes.filter((n) => n.kind === 'resource').map((n) => (n.kind === 'resource' ? n.name : '')));
      const more = nodes.find((n) => n.kind === 'loadMore');
      if (!more || more.kind !== 'loadMore') break;
      assert.equal(more.parentId, pods.id);
      nodes = await loadResourceNodes(config, pods, factory, {
        signal: signal(),
        pageSize: 100,
        continueToken: more.continueToken,
        alreadyLoaded: more.loaded,
      });
    }
    assert.equal(names.length, 250);
    assert.equal(new Set(names).size, 250);
  });

  test('a 403 is one item on its folder that quotes the verb, resource and namespace', async () => {
    const remove = fake.forbid({ verb: 'list', resource: 'secrets', namespace: 'shop' });
    try {
      const nodes = await loadResourceNodes(config, folder('Config', 'secrets', 'shop'), factory, { signal: signal(), pageSize: 100 });
      assert.equal(nodes.length, 1);
      const item = nodes[0]!;
      assert.ok(item.kind === 'message' && item.reason === 'forbidden', JSON.stringify(item));
      assert.match(item.kind === 'message' ? item.text : '', /cannot list secrets in namespace "shop"/);
      const configMaps = await loadResourceNodes(config, folder('Config', 'configmaps', 'shop'), factory, {
        signal: signal(),
        pageSize: 100,
      });
      assert.ok(
        configMaps.some((n) => n.kind === 'resource'),
        'the neighbour folder still lists',
      );
    } finally {
      remove();
    }
  });
});

describe('deleting an object (wire)', () => {
  test('deletes only the object with the uid the user saw; a stale uid is a conflict', async () => {
    const fake = await startFakeKube({ tls: 'tls', token: TOKEN });
    try {
      const config = mergeKubeconfigs([{ path: '/k', text: fake.kubeconfig({ contextName: 'dev', user: 'token' }) }]);
      const factory = new SdkKubeClientFactory({ requestTimeoutMs: () => 5_000, approvals, isTrusted: () => true });
      const { resolveContext } = await import('../../src/core/kube/kubeconfig');
      const { resourceKindOf } = await import('../../src/core/kube/resourceKinds');
      const { ClusterDeckError } = await import('../../src/core/errors');
      const client = await factory.createClient(resolveContext(config, 'dev'));
      const cm = resourceKindOf('configmaps')!;
      fake.upsert({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data: { a: '1' } });
      const seen = await client.getObject(cm, 'default', 'settings', { signal: new AbortController().signal });
      const uid = String((seen.metadata as { uid: string }).uid);
      await assert.rejects(
        client.deleteObject(cm, 'default', 'settings', { signal: new AbortController().signal, uid: 'not-the-uid' }),
        (e: unknown) => e instanceof ClusterDeckError && e.reason === 'conflict',
      );
      assert.ok(fake.get('v1', 'ConfigMap', 'default', 'settings'), 'still there after the stale delete');
      await client.deleteObject(cm, 'default', 'settings', { signal: new AbortController().signal, uid });
      assert.equal(fake.get('v1', 'ConfigMap', 'default', 'settings'), undefined);
      const del = fake.requests.find((r) => r.method === 'DELETE' && r.body.includes(uid));
      assert.match(del?.body ?? '', /"preconditions":\{"uid":"[^"]+"\}/);
    } finally {
      await fake.close();
    }
  });
});

describe('scale and restart (wire)', () => {
  test('scale patches the scale subresource; restart stamps the pod template like kubectl rollout restart', async () => {
    const fake = await startFakeKube({ tls: 'tls', token: TOKEN, seed: 'demo' });
    try {
      const config = mergeKubeconfigs([{ path: '/k', text: fake.kubeconfig({ contextName: 'dev', user: 'token' }) }]);
      const factory = new SdkKubeClientFactory({ requestTimeoutMs: () => 5_000, approvals, isTrusted: () => true });
      const { resolveContext } = await import('../../src/core/kube/kubeconfig');
      const { resourceKindOf } = await import('../../src/core/kube/resourceKinds');
      const client = await factory.createClient(resolveContext(config, 'dev'));
      const deployments = resourceKindOf('deployments', 'apps')!;
      const name = String(fake.list('apps/v1', 'Deployment', 'shop')[0]!.metadata.name);
      await client.patchObject(
        deployments,
        'shop',
        name,
        { spec: { replicas: 5 } },
        { signal: new AbortController().signal, subresource: 'scale' },
      );
      assert.equal((fake.get('apps/v1', 'Deployment', 'shop', name) as unknown as { spec: { replicas: number } }).spec.replicas, 5);
      const scaleReq = fake.requests.find((r) => r.method === 'PATCH' && r.path.endsWith('/scale'));
      assert.equal(scaleReq?.headers['content-type'], 'application/merge-patch+json');
      await client.patchObject(
        deployments,
        'shop',
        name,
        { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' } } } } },
        { signal: new AbortController().signal },
      );
      const after = fake.get('apps/v1', 'Deployment', 'shop', name) as unknown as {
        spec: { template: { metadata: { annotations?: Record<string, string> } } };
      };
      assert.equal(after.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'], 'now');
    } finally {
      await fake.close();
    }
  });
});
