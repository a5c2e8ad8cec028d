// The structure of the Clusters tree against the fake API server through the real client: the "Cluster" group
// (nodes with capacity, allocatable, usage and conditions; PVs, StorageClasses, CRDs, Events), Custom Resources
// by CRD, a Deployment's pods and ReplicaSets, a pod's containers, "All namespaces", the forbidden-namespaces
// fallback, and SelfSubjectAccessReviews (cached) deciding which actions items offer.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { categoryNodes, loadResourceNodes, resourceFolderNodes, type ClusterNode } from '../../src/core/explorer/clusterNodes';
import {
  clusterFolderNodes,
  loadContextChildren,
  loadCustomResourceFolders,
  loadNodeNodes,
} from '../../src/core/explorer/clusterLevelNodes';
import { loadWorkloadChildren } from '../../src/core/explorer/workloadChildren';
import { AccessReviewCache } from '../../src/core/kube/accessReviews';
import type { ExecApprovals } from '../../src/core/kube/execApproval';
import { mergeKubeconfigs, resolveContext, type MergedKubeconfig } from '../../src/core/kube/kubeconfig';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';
import { widgetCrd } from '../e2e/fixtures';

const TOKEN = 'structure-canary-token-91bc';
const approvals: ExecApprovals = { isApproved: () => false, approve: () => Promise.resolve() };
type Resource = Extract<ClusterNode, { kind: 'resource' }>;
type Folder = Extract<ClusterNode, { kind: 'resourceFolder' }>;
const isResource = (n: ClusterNode): n is Resource => n.kind === 'resource';
const signal = () => new AbortController().signal;

describe('explorer structure over the fake API server', () => {
  let fake: FakeKube;
  let config: MergedKubeconfig;
  // "dev" is also the plain-http context of the metrics-less fake: allowed, as clusterdeck.clusters.allowPlainHttp would.
  const factory = new SdkKubeClientFactory({
    requestTimeoutMs: () => 5_000,
    approvals,
    isTrusted: () => true,
    allowPlainHttp: (name) => name === 'dev',
  });

  const clusterFolder = (plural: string): Folder => {
    const f = clusterFolderNodes('dev').find((n): n is Folder => n.kind === 'resourceFolder' && n.resource.plural === plural);
    assert.ok(f, plural);
    return f;
  };
  const nsFolder = (category: string, plural: string, namespace: string): Folder => {
    const f = resourceFolderNodes('dev', namespace, category).find(
      (n): n is Folder => n.kind === 'resourceFolder' && n.resource.plural === plural,
    );
    assert.ok(f, plural);
    return f;
  };
  const objectIn = async (folder: Folder, name: RegExp | string): Promise<Resource> => {
    const nodes = await loadResourceNodes(config, folder, factory, { signal: signal(), pageSize: 100 });
    const n = nodes.filter(isResource).find((x) => (typeof name === 'string' ? x.name === name : name.test(x.name)));
    assert.ok(n, `${String(name)} in ${folder.id}: ${nodes.map((x) => x.id).join(', ')}`);
    return n;
  };

  before(async () => {
    fake = await startFakeKube({ tls: 'tls', token: TOKEN, seed: 'demo' });
    fake.upsert(widgetCrd);
    fake.upsert({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'blue-widget', namespace: 'shop' }, spec: { size: 3 } });
    fake.upsert({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-broken', labels: { 'node-role.kubernetes.io/worker': '' } },
      status: {
        capacity: { cpu: '4', memory: '16Gi', pods: '110' },
        allocatable: { cpu: '3900m', memory: '15Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'container runtime network not ready' }],
        nodeInfo: { kubeletVersion: 'v1.33.2' },
      },
    });
    config = mergeKubeconfigs([{ path: '/k', text: fake.kubeconfig({ contextName: 'dev', user: 'token', namespace: 'shop' }) }]);
  });
  after(async () => {
    await fake?.close();
  });

  test('a context opens into "Cluster", then its namespaces with the context\'s namespace first', async () => {
    const nodes = await loadContextChildren(config, 'dev', factory, { signal: signal(), pageSize: 100 });
    assert.equal(nodes[0]?.kind, 'clusterGroup');
    assert.ok(nodes[1]?.kind === 'namespace' && nodes[1].name === 'shop', JSON.stringify(nodes[1]));
    assert.ok(!nodes.some((n) => n.kind === 'allNamespaces'));
    const withAll = await loadContextChildren(config, 'dev', factory, { signal: signal(), pageSize: 100, allNamespaces: true });
    assert.deepEqual(
      withAll.slice(0, 2).map((n) => n.kind),
      ['clusterGroup', 'allNamespaces'],
    );
    assert.deepEqual(
      clusterFolderNodes('dev').map((n) => (n.kind === 'resourceFolder' ? n.resource.label : '')),
      ['Nodes', 'Namespaces', 'PersistentVolumes', 'StorageClasses', 'CustomResourceDefinitions', 'Events'],
    );
  });

  test('an unreachable context stays one error item (no Cluster group beside it)', async () => {
    const broken = mergeKubeconfigs([
      { path: '/b', text: fake.kubeconfig({ contextName: 'dev', user: 'token' }).replace(fake.url, 'https://127.0.0.1:1') },
    ]);
    const nodes = await loadContextChildren(broken, 'dev', factory, { signal: signal(), pageSize: 100 });
    assert.equal(nodes.length, 1);
    assert.ok(nodes[0]?.kind === 'message' && nodes[0].severity === 'error', JSON.stringify(nodes));
  });

  test('Nodes show capacity, allocatable, usage from metrics.k8s.io and conditions; Ready/NotReady', async () => {
    fake.clearRequests();
    const nodes = (await loadNodeNodes(config, clusterFolder('nodes'), factory, { signal: signal(), pageSize: 100 })).filter(isResource);
    assert.equal(nodes.length, 4);
    const ready = nodes.find((n) => n.cells.Status === 'Ready');
    assert.ok(ready, JSON.stringify(nodes.map((n) => n.cells)));
    assert.match(ready.cells.Capacity ?? '', /^cpu 2, memory 7\.6Gi, pods 110$/);
    assert.match(ready.cells.Allocatable ?? '', /^cpu 1930m, memory 7\.0Gi, pods 110$/);
    assert.match(ready.cells.CPU ?? '', /^\d+m\/1930m \(\d+%\)$/);
    assert.match(ready.cells.Memory ?? '', /^\d\.\dGi\/7\.0Gi \(\d+%\)$/);
    assert.ok(ready.details?.some((d) => /^MemoryPressure: False \(KubeletHasSufficientMemory\)/.test(d)));
    const broken = nodes.find((n) => n.name === 'node-broken');
    assert.equal(broken?.cells.Status, 'NotReady');
    assert.equal(broken?.cells.Roles, 'worker');
    assert.match(broken?.cells.Usage ?? '', /no metrics for this node/);
    assert.ok(broken?.details?.some((d) => d.includes('KubeletNotReady')));
    assert.ok(fake.requests.some((r) => r.path === '/apis/metrics.k8s.io/v1beta1/nodes'));
  });

  test('Nodes without metrics-server still list, saying usage is unavailable', async () => {
    const bare = await startFakeKube({ metricsApi: false });
    try {
      bare.upsert({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'solo' },
        status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { cpu: '2', memory: '4Gi' } },
      });
      const cfg = mergeKubeconfigs([{ path: '/n', text: bare.kubeconfig({ contextName: 'dev' }) }]);
      const nodes = (await loadNodeNodes(cfg, clusterFolder('nodes'), factory, { signal: signal(), pageSize: 100 })).filter(isResource);
      assert.equal(nodes.length, 1);
      assert.equal(nodes[0]?.cells.Status, 'Ready');
      assert.equal(nodes[0]?.cells.Usage, 'metrics-server not available');
    } finally {
      await bare.close();
    }
  });

  test('PersistentVolumes, StorageClasses, CRDs, Namespaces and Events (across namespaces) list as Tables', async () => {
    const pv = (await loadResourceNodes(config, clusterFolder('persistentvolumes'), factory, { signal: signal(), pageSize: 100 })).filter(
      isResource,
    );
    assert.equal(pv[0]?.cells.Claim, 'shop/data-redis-0');
    assert.equal(pv[0]?.cells.Status, 'Bound');
    const sc = await objectIn(clusterFolder('storageclasses'), 'standard');
    assert.equal(sc.cells.Provisioner, 'ebs.csi.aws.com');
    const crd = await objectIn(clusterFolder('customresourcedefinitions'), 'widgets.example.com');
    assert.ok(crd.cells['Created At']);
    await objectIn(clusterFolder('namespaces'), 'payments');
    const events = (await loadResourceNodes(config, clusterFolder('events'), factory, { signal: signal(), pageSize: 100 })).filter(
      isResource,
    );
    assert.ok(events.some((e) => e.namespace === 'velero' && e.cells.Reason === 'PartiallyFailed' && e.showNamespace));
    assert.ok(events.some((e) => e.namespace === 'shop'));
    assert.equal(new Set(events.map((e) => e.id)).size, events.length, 'ids are unique');
  });

  test('"Custom Resources" lists the namespaced CRDs; a CRD folder lists its instances', async () => {
    const category = categoryNodes('dev', 'shop').find(
      (n): n is Extract<ClusterNode, { kind: 'category' }> => n.kind === 'category' && n.name === 'Custom Resources',
    );
    assert.ok(category);
    const folders = (await loadCustomResourceFolders(config, category, factory, { signal: signal() })).filter(
      (n): n is Folder => n.kind === 'resourceFolder',
    );
    const labels = folders.map((f) => f.resource.label);
    assert.ok(labels.includes('Widget (example.com)'), labels.join(', '));
    assert.ok(labels.includes('Backup (velero.io)'));
    const widgets = folders.find((f) => f.resource.kind === 'Widget');
    assert.ok(widgets && widgets.namespace === 'shop' && widgets.resource.version === 'v1');
    const instance = await objectIn(widgets, 'blue-widget');
    assert.equal(instance.namespace, 'shop');
  });

  test('a Deployment opens into its ReplicaSets folder and the pods its selector matches (labelSelector on a Table)', async () => {
    const deployment = await objectIn(nsFolder('Workloads', 'deployments', 'shop'), 'cart-api');
    fake.clearRequests();
    const children = await loadWorkloadChildren(config, deployment, factory, { signal: signal(), pageSize: 100 });
    const rs = children[0];
    assert.ok(rs?.kind === 'resourceFolder' && rs.label === 'ReplicaSets', JSON.stringify(children[0]));
    const pods = children.filter(isResource);
    assert.equal(pods.length, 2);
    assert.ok(pods.every((p) => p.resource.kind === 'Pod' && p.name.startsWith('cart-api-')));
    const list = fake.requests.find((r) => r.path === '/api/v1/namespaces/shop/pods');
    assert.equal(list?.query.labelSelector, 'app=cart-api');
    assert.match(String(list?.headers.accept), /as=Table/);
    // The ReplicaSets folder lists on demand, and a ReplicaSet opens into its pods too.
    assert.ok(!fake.requests.some((r) => r.path.endsWith('/replicasets')), 'ReplicaSets are not listed until expanded');
    const sets = (await loadResourceNodes(config, rs, factory, { signal: signal(), pageSize: 100 })).filter(isResource);
    assert.equal(sets.length, 1);
    const rsPods = (await loadWorkloadChildren(config, sets[0]!, factory, { signal: signal(), pageSize: 100 })).filter(isResource);
    assert.equal(rsPods.length, 2);
    const ids = [...children, ...rsPods].map((n) => n.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  test('a StatefulSet, a DaemonSet and a Job open into their pods', async () => {
    const sts = await objectIn(nsFolder('Workloads', 'statefulsets', 'shop'), 'redis');
    const stsPods = (await loadWorkloadChildren(config, sts, factory, { signal: signal(), pageSize: 100 })).filter(isResource);
    assert.deepEqual(
      stsPods.map((p) => p.name),
      ['redis-0'],
    );
    const ds = await objectIn(nsFolder('Workloads', 'daemonsets', 'kube-system'), 'kube-proxy');
    const dsPods = (await loadWorkloadChildren(config, ds, factory, { signal: signal(), pageSize: 100 })).filter(isResource);
    assert.equal(dsPods.length, 3);
    const job = await objectIn(nsFolder('Workloads', 'jobs', 'shop'), /^nightly-report-/);
    const jobPods = (await loadWorkloadChildren(config, job, factory, { signal: signal(), pageSize: 100 })).filter(isResource);
    assert.equal(jobPods.length, 1);
    assert.ok(jobPods[0]?.name.startsWith(job.name));
  });

  test('a pod opens into its init containers and containers with state, restarts and last termination reason', async () => {
    const checkout = await objectIn(nsFolder('Workloads', 'pods', 'shop'), /^checkout-/);
    const containers = await loadWorkloadChildren(config, checkout, factory, { signal: signal(), pageSize: 100 });
    const c = containers[0];
    assert.ok(c?.kind === 'container', JSON.stringify(containers));
    assert.equal(c.name, 'checkout');
    assert.equal(c.state.phase, 'waiting');
    assert.equal(c.state.reason, 'CrashLoopBackOff');
    assert.equal(c.state.lastTerminationReason, 'OOMKilled');
    assert.equal(c.state.lastExitCode, 137);
    assert.equal(c.state.ready, false);
    assert.ok(c.state.restarts > 0);

    const pod = fake.get('v1', 'Pod', 'shop', 'redis-0')!;
    fake.upsert({
      ...pod,
      spec: { ...(pod['spec'] as object), initContainers: [{ name: 'init-perms', image: 'busybox:1.37' }] },
      status: {
        ...(pod['status'] as object),
        initContainerStatuses: [
          { name: 'init-perms', ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        ],
      },
    });
    const redis = await objectIn(nsFolder('Workloads', 'pods', 'shop'), 'redis-0');
    const redisContainers = await loadWorkloadChildren(config, redis, factory, { signal: signal(), pageSize: 100 });
    assert.deepEqual(
      redisContainers.map((n) => (n.kind === 'container' ? `${n.init ? 'init:' : ''}${n.name}:${n.state.phase}` : n.kind)),
      ['init:init-perms:terminated', 'redis:running'],
    );
  });

  test('"All namespaces" categories list cluster-wide collections; items show their namespace', async () => {
    const cats = categoryNodes('dev', '');
    assert.ok(cats.every((c) => c.id.startsWith('cat:dev:*:')));
    const folder = resourceFolderNodes('dev', '', 'Workloads').find(
      (n): n is Folder => n.kind === 'resourceFolder' && n.resource.plural === 'deployments',
    );
    assert.ok(folder && folder.namespace === undefined);
    fake.clearRequests();
    const items = (await loadResourceNodes(config, folder, factory, { signal: signal(), pageSize: 100 })).filter(isResource);
    assert.ok(fake.requests.some((r) => r.path === '/apis/apps/v1/deployments'));
    assert.deepEqual([...new Set(items.map((i) => i.namespace))].sort(), ['kube-system', 'monitoring', 'payments', 'shop', 'velero']);
    assert.ok(items.every((i) => i.showNamespace));
  });

  test("when listing namespaces is forbidden: the context's namespace, the configured ones and a note", async () => {
    const remove = fake.forbid({ verb: 'list', resource: 'namespaces' });
    try {
      const nodes = await loadContextChildren(config, 'dev', factory, {
        signal: signal(),
        pageSize: 100,
        fallbackNamespaces: ['payments', 'shop', 42 as unknown as string],
      });
      assert.equal(nodes[0]?.kind, 'clusterGroup');
      const note = nodes.find((n) => n.kind === 'message');
      assert.ok(note?.kind === 'message' && note.severity === 'info', JSON.stringify(nodes));
      assert.match(note.text, /Cannot list namespaces here \(403\): showing "shop", "payments"/);
      assert.match(note.detail ?? '', /clusterdeck\.explorer\.namespaces/);
      assert.deepEqual(
        nodes.filter((n) => n.kind === 'namespace').map((n) => (n.kind === 'namespace' ? n.name : '')),
        ['shop', 'payments'],
      );
    } finally {
      remove();
    }
  });

  test('a 403 on a cluster-level folder quotes the verb and resource', async () => {
    const remove = fake.forbid({ verb: 'list', resource: 'persistentvolumes' });
    try {
      const nodes = await loadResourceNodes(config, clusterFolder('persistentvolumes'), factory, { signal: signal(), pageSize: 100 });
      assert.ok(nodes[0]?.kind === 'message' && nodes[0].reason === 'forbidden');
      assert.match(nodes[0].text, /Forbidden: you cannot list persistentvolumes on context "dev"/);
    } finally {
      remove();
    }
  });
});

describe('SelfSubjectAccessReview (wire)', () => {
  let fake: FakeKube;
  let config: MergedKubeconfig;
  const factory = new SdkKubeClientFactory({ requestTimeoutMs: () => 5_000, approvals, isTrusted: () => true });
  before(async () => {
    fake = await startFakeKube({ tls: 'tls', token: TOKEN, seed: 'demo' });
    config = mergeKubeconfigs([{ path: '/k', text: fake.kubeconfig({ contextName: 'dev', user: 'token' }) }]);
  });
  after(async () => {
    await fake?.close();
  });

  test("canI posts a SelfSubjectAccessReview that follows the cluster's rules", async () => {
    const client = await factory.createClient(resolveContext(config, 'dev'));
    const remove = fake.forbid({ verb: 'delete', resource: 'deployments', namespace: 'shop' });
    try {
      fake.clearRequests();
      assert.equal(
        await client.canI({ verb: 'delete', group: 'apps', resource: 'deployments', namespace: 'shop' }, { signal: signal() }),
        false,
      );
      assert.equal(
        await client.canI({ verb: 'delete', group: 'apps', resource: 'deployments', namespace: 'payments' }, { signal: signal() }),
        true,
      );
      assert.equal(
        await client.canI(
          { verb: 'patch', group: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'shop' },
          { signal: signal() },
        ),
        true,
      );
      const posts = fake.requests.filter((r) => r.method === 'POST');
      assert.equal(posts.length, 3);
      assert.equal(posts[0]?.path, '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews');
      const body = JSON.parse(posts[0].body) as { kind: string; spec: { resourceAttributes: Record<string, string> } };
      assert.equal(body.kind, 'SelfSubjectAccessReview');
      assert.deepEqual(body.spec.resourceAttributes, { verb: 'delete', group: 'apps', resource: 'deployments', namespace: 'shop' });
    } finally {
      remove();
    }
  });

  test('a folder asks once (not per item); its items carry the answers; the cache is per context+verb+resource+namespace', async () => {
    const access = new AccessReviewCache();
    const remove = [
      fake.forbid({ verb: 'delete', resource: 'deployments', namespace: 'shop' }),
      fake.forbid({ verb: 'patch', resource: 'deployments', subresource: 'scale', namespace: 'shop' }),
    ];
    try {
      const folder = resourceFolderNodes('dev', 'shop', 'Workloads').find(
        (n): n is Folder => n.kind === 'resourceFolder' && n.resource.plural === 'deployments',
      )!;
      fake.clearRequests();
      const items = (await loadResourceNodes(config, folder, factory, { signal: signal(), pageSize: 100, access })).filter(isResource);
      assert.ok(items.length >= 3);
      for (const i of items) assert.deepEqual(i.permissions, { delete: false, patch: true, scale: false });
      const reviews = () => fake.requests.filter((r) => r.path.endsWith('/selfsubjectaccessreviews')).length;
      assert.equal(reviews(), 3, 'delete, patch, patch scale: once for the folder');
      await loadResourceNodes(config, folder, factory, { signal: signal(), pageSize: 100, access });
      assert.equal(reviews(), 3, 'answered from the cache');
      const other = resourceFolderNodes('dev', 'payments', 'Workloads').find(
        (n): n is Folder => n.kind === 'resourceFolder' && n.resource.plural === 'deployments',
      )!;
      const payments = (await loadResourceNodes(config, other, factory, { signal: signal(), pageSize: 100, access })).filter(isResource);
      assert.deepEqual(payments[0]?.permissions, { delete: true, patch: true, scale: true });
      assert.equal(reviews(), 6, 'another namespace is another question');
      access.clear();
      await loadResourceNodes(config, folder, factory, { signal: signal(), pageSize: 100, access });
      assert.equal(reviews(), 9, 'cleared on refresh');
    } finally {
      for (const r of remove) r();
    }
  });

  test('pods ask only for delete; a failed review counts as allowed and is not cached', async () => {
    const access = new AccessReviewCache();
    const folder = resourceFolderNodes('dev', 'shop', 'Workloads').find(
      (n): n is Folder => n.kind === 'resourceFolder' && n.resource.plural === 'pods',
    )!;
    const remove = fake.inject({ method: 'POST', path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', status: 500, times: 1 });
    try {
      fake.clearRequests();
      const items = (await loadResourceNodes(config, folder, factory, { signal: signal(), pageSize: 100, access })).filter(isResource);
      assert.deepEqual(items[0]?.permissions, { delete: true, patch: false, scale: false });
      await loadResourceNodes(config, folder, factory, { signal: signal(), pageSize: 100, access });
      assert.equal(fake.requests.filter((r) => r.path.endsWith('/selfsubjectaccessreviews')).length, 2);
    } finally {
      remove();
    }
  });
});
