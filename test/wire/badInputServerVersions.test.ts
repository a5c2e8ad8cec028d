// Bad-input catalogue row B51 (reliability.md §3.3): a very old (1.20) or very new (v1.99, unknown API groups) API
// server. Kinds come from discovery (a 1.20 cluster's CronJobs and HPAs live at batch/v1beta1 and
// autoscaling/v2beta2, found after the catalogue's version answers 404), a kind the cluster does not serve is a
// plain note on its folder, unknown groups and unknown fields are listed and rendered raw, and nothing crashes.
// Real client against the fake's `apiLevel: '1.20'` and `serverVersion` options.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { loadCustomResourceFolders } from '../../src/core/explorer/clusterLevelNodes';
import { categoryNodes, loadResourceNodes, resourceFolderNodes, type ClusterNode } from '../../src/core/explorer/clusterNodes';
import { describeObject } from '../../src/core/explorer/describe';
import { objectYaml } from '../../src/core/explorer/objectYaml';
import type { ExecApprovals } from '../../src/core/kube/execApproval';
import { mergeKubeconfigs, resolveContext, type MergedKubeconfig } from '../../src/core/kube/kubeconfig';
import { rk } from '../../src/core/kube/resourceKinds';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';
import { buildCrd } from '../fakes/kube/resources';

const TOKEN = 'server-versions-canary-token-2f7e';
const approvals: ExecApprovals = { isApproved: () => false, approve: () => Promise.resolve() };
const signal = () => AbortSignal.timeout(10_000);
type Folder = Extract<ClusterNode, { kind: 'resourceFolder' }>;
type Row = Extract<ClusterNode, { kind: 'resource' }>;
const folderOf = (context: string, namespace: string, category: string, plural: string): Folder => {
  const f = resourceFolderNodes(context, namespace, category).find(
    (n): n is Folder => n.kind === 'resourceFolder' && n.resource.plural === plural,
  );
  assert.ok(f, plural);
  return f;
};
const rows = (nodes: ClusterNode[]) => nodes.filter((n): n is Row => n.kind === 'resource');

describe('bad-input row B51: very old and very new API servers', () => {
  let old: FakeKube;
  let future: FakeKube;
  let config: MergedKubeconfig;
  const factory = new SdkKubeClientFactory({ requestTimeoutMs: () => 5_000, approvals, isTrusted: () => true });

  before(async () => {
    old = await startFakeKube({ tls: 'tls', token: TOKEN, apiLevel: '1.20' });
    future = await startFakeKube({
      tls: 'tls',
      token: TOKEN,
      serverVersion: { major: '1', minor: '99', gitVersion: 'v1.99.0-alpha.3+f00dfeed' },
    });
    old.upsert({
      apiVersion: 'batch/v1beta1',
      kind: 'CronJob',
      metadata: { name: 'nightly', namespace: 'legacy' },
      spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } } },
    });
    old.upsert({
      apiVersion: 'autoscaling/v2beta2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'legacy' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 4 },
    });
    // A group no ClusterDeck release knows, with fields no schema describes; and a Pod with a future field and phase.
    future.upsert(
      buildCrd('future.example.io', 'v1alpha7', {
        kind: 'Gizmo',
        plural: 'gizmos',
        columns: [{ name: 'Mode', type: 'string', jsonPath: '.spec.quantumMode' }],
      }),
    );
    future.upsert({
      apiVersion: 'future.example.io/v1alpha7',
      kind: 'Gizmo',
      metadata: { name: 'g1', namespace: 'next' },
      spec: { quantumMode: 'entangled', warpFactor: 9, nested: { unknownList: [1, { deep: true }] } },
    });
    future.upsert({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p1', namespace: 'next' },
      spec: { containers: [{ name: 'app', image: 'nginx' }], futureScheduling: { mode: 'lunar' } },
      status: { phase: 'Hibernating', futureConditions: [{ type: 'Dreaming', status: 'True' }] },
    });
    const both = (fake: FakeKube, name: string) => fake.kubeconfig({ contextName: name, user: 'token' });
    config = mergeKubeconfigs([
      { path: '/old', text: both(old, 'old') },
      { path: '/future', text: both(future, 'future') },
    ]);
    assert.deepEqual(config.problems, []);
  });
  after(async () => {
    await old?.close();
    await future?.close();
  });

  test('a 1.20 server: CronJobs and HPAs are found through discovery at batch/v1beta1 and autoscaling/v2beta2', async () => {
    const client = await factory.createClient(resolveContext(config, 'old'));
    assert.equal((await client.fetchOpenApi({ signal: signal(), wantGroup: () => false })).gitVersion, 'v1.20.15');
    old.clearRequests();
    const cronJobs = rows(
      await loadResourceNodes(config, folderOf('old', 'legacy', 'Workloads', 'cronjobs'), factory, { signal: signal(), pageSize: 100 }),
    );
    assert.deepEqual(
      cronJobs.map((r) => `${r.name} ${r.resource.group}/${r.resource.version}`),
      ['nightly batch/v1beta1'],
    );
    const paths = old.requests.map((r) => r.path);
    assert.ok(paths.includes('/apis/batch/v1/namespaces/legacy/cronjobs'), 'the catalogue version first (404)');
    assert.ok(paths.includes('/apis/batch/v1beta1/namespaces/legacy/cronjobs'), 'then the served one');
    const hpas = rows(
      await loadResourceNodes(config, folderOf('old', 'legacy', 'Autoscaling', 'horizontalpodautoscalers'), factory, {
        signal: signal(),
        pageSize: 100,
      }),
    );
    assert.deepEqual(
      hpas.map((r) => `${r.name} ${r.resource.group}/${r.resource.version}`),
      ['web autoscaling/v2beta2'],
    );
    // The item carries the served version: opening it reads the object where it lives.
    const obj = await client.getObject(hpas[0]!.resource, 'legacy', 'web', { signal: signal() });
    assert.match(objectYaml(obj), /^apiVersion: autoscaling\/v2beta2\nkind: HorizontalPodAutoscaler\n/);
    // Current kinds are unaffected.
    const deployments = await loadResourceNodes(config, folderOf('old', 'legacy', 'Workloads', 'deployments'), factory, {
      signal: signal(),
      pageSize: 100,
    });
    assert.ok(
      deployments.length === 1 && deployments[0]?.kind === 'message' && deployments[0].severity === 'info',
      JSON.stringify(deployments),
    );
  });

  test('a 1.20 server: the live watch of the CronJobs folder follows batch/v1beta1 too', async () => {
    const client = await factory.createClient(resolveContext(config, 'old'));
    const folder = folderOf('old', 'legacy', 'Workloads', 'cronjobs');
    const stop = new AbortController();
    const names: string[] = [];
    const watching = client
      .watch(folder.resource, 'legacy', {
        signal: stop.signal,
        timeoutSeconds: 5,
        onEvent: (e) => {
          if (e.type === 'ADDED') names.push(String((e.object as { metadata?: { name?: string } }).metadata?.name));
          if (names.length > 0) stop.abort();
        },
      })
      .catch((e: unknown) => {
        if (!stop.signal.aborted) throw e;
      });
    setTimeout(() => stop.abort(), 5_000);
    await watching;
    assert.deepEqual(names, ['nightly']);
    assert.ok(old.requests.some((r) => r.path === '/apis/batch/v1beta1/namespaces/legacy/cronjobs' && r.query.watch !== undefined));
  });

  test('a kind the cluster does not serve in any version is an info note on its folder, not an error', async () => {
    const folder: Folder = {
      kind: 'resourceFolder',
      id: 'res:old:legacy:gone.example.io/widgets',
      contextName: 'old',
      namespace: 'legacy',
      resource: rk('Widget', 'widgets', 'gone.example.io', 'v1', 'Widgets'),
    };
    const nodes = await loadResourceNodes(config, folder, factory, { signal: signal(), pageSize: 100 });
    assert.equal(nodes.length, 1);
    const note = nodes[0];
    assert.ok(note?.kind === 'message', JSON.stringify(nodes));
    assert.equal(note.severity, 'info');
    assert.equal(note.text, 'This cluster does not serve Widgets (gone.example.io/v1 or an older version)');
  });

  test('a v1.99 server with an unknown API group: its custom kind lists, unknown fields are kept and rendered raw', async () => {
    const client = await factory.createClient(resolveContext(config, 'future'));
    assert.equal((await client.fetchOpenApi({ signal: signal(), wantGroup: () => false })).gitVersion, 'v1.99.0-alpha.3+f00dfeed');
    const category = categoryNodes('future', 'next').find((n) => n.kind === 'category' && n.name === 'Custom Resources');
    assert.ok(category?.kind === 'category');
    const folders = await loadCustomResourceFolders(config, category, factory, { signal: signal() });
    const gizmos = folders.find((n): n is Folder => n.kind === 'resourceFolder' && n.resource.kind === 'Gizmo');
    assert.ok(gizmos, JSON.stringify(folders));
    assert.equal(`${gizmos.resource.group}/${gizmos.resource.version}`, 'future.example.io/v1alpha7');
    const [g1] = rows(await loadResourceNodes(config, gizmos, factory, { signal: signal(), pageSize: 100 }));
    assert.equal(g1?.name, 'g1');
    assert.equal(g1?.cells.Mode, 'entangled', 'the CRD printer column of an unknown group');
    const resolved = await client.resolveKind('future.example.io/v1alpha7', 'Gizmo', { signal: signal() });
    assert.equal(resolved?.plural, 'gizmos');
    const obj = await client.getObject(gizmos.resource, 'next', 'g1', { signal: signal() });
    const yaml = objectYaml(obj);
    assert.match(yaml, /warpFactor: 9/);
    assert.match(yaml, /unknownList:\n\s+- 1\n\s+- deep: true/);
    const described = describeObject(obj, { events: [], now: Date.now() });
    assert.match(described, /quantumMode/);
  });

  test('a v1.99 Pod with unknown fields and an unknown phase lists, renders and describes without a crash', async () => {
    const client = await factory.createClient(resolveContext(config, 'future'));
    const [p1] = rows(
      await loadResourceNodes(config, folderOf('future', 'next', 'Workloads', 'pods'), factory, { signal: signal(), pageSize: 100 }),
    );
    assert.equal(p1?.name, 'p1');
    const pod = await client.getObject(p1.resource, 'next', 'p1', { signal: signal() });
    const yaml = objectYaml(pod);
    assert.match(yaml, /futureScheduling:\n\s+mode: lunar/);
    assert.match(yaml, /phase: Hibernating/);
    const described = describeObject(pod, { events: [], now: Date.now() });
    assert.match(described, /Hibernating/);
  });
});
