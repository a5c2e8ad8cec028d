/**
 * Wire tests of the Kubernetes API fake (test/fakes/kubeApiServer.ts) with the real @kubernetes/client-node
 * client and, when installed, kubectl. Run: node --import tsx --test test/wire/kubeFake.test.ts
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApiException,
  ApiextensionsV1Api,
  ApisApi,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  Metrics,
  PatchStrategy,
  VersionApi,
  Watch,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { FakeKube, FakeKubeOptions, KubeconfigOptions } from '../fakes/kubeApiServer';
import { startFakeKube } from '../fakes/kubeApiServer';

// ------------------------------------------------------------------ helpers

function kubeConfigFor(fake: FakeKube, o: KubeconfigOptions = {}): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(fake.kubeconfig(o));
  return kc;
}

interface StatusBody {
  kind?: string;
  apiVersion?: string;
  metadata?: Record<string, never>;
  status?: string;
  reason?: string;
  message?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; retryAfterSeconds?: number };
}

function statusOf(err: unknown): StatusBody {
  assert.ok(err instanceof ApiException, `expected ApiException, got ${String(err)}`);
  const body: unknown = err.body;
  return (typeof body === 'string' ? JSON.parse(body) : body) as StatusBody;
}

async function apiError(promise: Promise<unknown>, code: number): Promise<{ status: StatusBody; headers: Record<string, string> }> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ApiException, `expected ApiException, got ${String(err)}`);
    assert.equal(err.code, code);
    return { status: statusOf(err), headers: err.headers };
  }
  assert.fail(`expected HTTP ${code}`);
}

interface WatchEvent {
  type: string;
  object: { metadata?: { name?: string; resourceVersion?: string }; code?: number; reason?: string; kind?: string };
}

/** Collects the events of one client-node watch. */
class WatchRecorder {
  readonly events: WatchEvent[] = [];
  private controller: AbortController | undefined;
  private waiters: (() => void)[] = [];
  doneError: unknown = undefined;
  done = false;
  readonly finished: Promise<void>;
  private finish!: () => void;

  constructor() {
    this.finished = new Promise((resolve) => (this.finish = resolve));
  }

  async start(kc: KubeConfig, path: string, query: Record<string, string | number | boolean | undefined>): Promise<this> {
    this.controller = await new Watch(kc).watch(
      path,
      query,
      (type: string, object: WatchEvent['object']) => {
        this.events.push({ type, object });
        this.notify();
      },
      (err: unknown) => {
        this.done = true;
        this.doneError = err;
        this.finish();
        this.notify();
      },
    );
    return this;
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  async waitFor(predicate: (events: readonly WatchEvent[]) => boolean, what: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.events)) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}; got ${JSON.stringify(this.events.map((e) => e.type))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  stop(): void {
    this.controller?.abort();
  }
}

function podBody(
  name: string,
  labels: Record<string, string> = {},
): {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels: Record<string, string> };
  spec: { containers: { name: string; image: string }[] };
} {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } };
}

async function useFake(options: FakeKubeOptions): Promise<FakeKube> {
  return startFakeKube(options);
}

// ------------------------------------------------------------------ discovery

void describe('discovery', () => {
  let fake: FakeKube;
  let kc: KubeConfig;
  before(async () => {
    fake = await useFake({});
    kc = kubeConfigFor(fake);
  });
  after(async () => fake?.close());

  void test('version, core and group resource lists', async () => {
    const version = await kc.makeApiClient(VersionApi).getCode();
    assert.equal(version.gitVersion, 'v1.33.2');
    const core = await kc.makeApiClient(CoreV1Api).getAPIResources();
    const pods = core.resources.find((r) => r.name === 'pods');
    assert.equal(pods?.namespaced, true);
    assert.equal(pods?.kind, 'Pod');
    assert.ok(core.resources.some((r) => r.name === 'pods/status'));
    assert.equal(core.resources.find((r) => r.name === 'nodes')?.namespaced, false);
    const apps = await kc.makeApiClient(AppsV1Api).getAPIResources();
    assert.equal(apps.resources.find((r) => r.name === 'deployments/scale')?.kind, 'Scale');
    const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
    const names = groups.groups.map((g) => g.name);
    for (const g of [
      'apps',
      'batch',
      'autoscaling',
      'networking.k8s.io',
      'rbac.authorization.k8s.io',
      'storage.k8s.io',
      'policy',
      'apiextensions.k8s.io',
      'metrics.k8s.io',
      'velero.io',
    ]) {
      assert.ok(names.includes(g), `group ${g} served`);
    }
    assert.equal(groups.groups.find((g) => g.name === 'autoscaling')?.preferredVersion?.groupVersion, 'autoscaling/v2');
  });

  void test('a CRD created at run time becomes servable', async () => {
    const crds = kc.makeApiClient(ApiextensionsV1Api);
    const veleroCrds = await crds.listCustomResourceDefinition();
    assert.ok(veleroCrds.items.some((c) => c.metadata?.name === 'backups.velero.io'));
    await crds.createCustomResourceDefinition({
      body: {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.com' },
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { kind: 'Widget', listKind: 'WidgetList', plural: 'widgets', singular: 'widget' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } },
            },
          ],
        },
      },
    });
    const groups = await kc.makeApiClient(ApisApi).getAPIVersions();
    assert.ok(groups.groups.some((g) => g.name === 'example.com'));
    const co = kc.makeApiClient(CustomObjectsApi);
    await co.createNamespacedCustomObject({
      group: 'example.com',
      version: 'v1',
      namespace: 'default',
      plural: 'widgets',
      body: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } },
    });
    const list = (await co.listNamespacedCustomObject({
      group: 'example.com',
      version: 'v1',
      namespace: 'default',
      plural: 'widgets',
    })) as { kind: string; items: { kind: string; metadata: { name: string } }[] };
    assert.equal(list.kind, 'WidgetList');
    assert.deepEqual(
      list.items.map((i) => [i.kind, i.metadata.name]),
      [['Widget', 'w1']],
    );
    await crds.deleteCustomResourceDefinition({ name: 'widgets.example.com' });
    await apiError(co.listNamespacedCustomObject({ group: 'example.com', version: 'v1', namespace: 'default', plural: 'widgets' }), 404);
  });
});

// ------------------------------------------------------------------ CRUD, lists, paging

void describe('objects, lists and paging (bearer token over http)', () => {
  let fake: FakeKube;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  before(async () => {
    fake = await useFake({ token: 'fake-bearer-token' });
    const kc = kubeConfigFor(fake, { namespace: 'default' });
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    fake.seedPods('bulk', 1200, { labels: { tier: 'batch' } });
  });
  after(async () => fake?.close());

  void test('paging 1,200 pods with limit/continue', async () => {
    const names: string[] = [];
    let token: string | undefined;
    const rvs = new Set<string>();
    let pages = 0;
    do {
      const page = await core.listNamespacedPod({ namespace: 'bulk', limit: 500, ...(token ? { _continue: token } : {}) });
      pages++;
      if (pages === 1) assert.equal(page.metadata?.remainingItemCount, 700);
      rvs.add(page.metadata?.resourceVersion ?? '');
      names.push(...page.items.map((p) => p.metadata?.name ?? ''));
      token = page.metadata?._continue;
    } while (token);
    assert.equal(pages, 3);
    assert.equal(names.length, 1200);
    assert.equal(new Set(names).size, 1200);
    assert.deepEqual(names, [...names].sort());
    assert.equal(rvs.size, 1, 'all pages share the list resourceVersion');
    const rec = fake.requests.find((r) => r.path === '/api/v1/namespaces/bulk/pods' && r.query['continue'] !== undefined);
    assert.equal(rec?.query['limit'], '500');
    assert.equal(rec?.headers.authorization, 'Bearer fake-bearer-token');
  });

  void test('a bogus or compacted continue token is 410 Expired', async () => {
    const { status } = await apiError(core.listNamespacedPod({ namespace: 'bulk', limit: 10, _continue: 'bogus' }), 410);
    assert.equal(status.reason, 'Expired');
    const first = await core.listNamespacedPod({ namespace: 'bulk', limit: 10 });
    fake.upsert({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'moves-the-revision', namespace: 'bulk' } });
    fake.compact();
    const expired = await apiError(
      core.listNamespacedPod({ namespace: 'bulk', limit: 10, _continue: first.metadata?._continue ?? '' }),
      410,
    );
    assert.equal(expired.status.kind, 'Status');
    assert.equal(expired.status.reason, 'Expired');
  });

  void test('label and field selectors, all-namespaces lists', async () => {
    fake.upsert({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'sel-a', namespace: 'default', labels: { app: 'web', env: 'prod' } },
      spec: {},
      status: { phase: 'Running' },
    });
    fake.upsert({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'sel-b', namespace: 'default', labels: { app: 'web', env: 'dev' } },
      spec: {},
      status: { phase: 'Pending' },
    });
    fake.upsert({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'sel-c', namespace: 'default', labels: { app: 'db' } },
      spec: {},
      status: { phase: 'Running' },
    });
    const names = async (labelSelector?: string, fieldSelector?: string): Promise<string[]> =>
      (
        await core.listNamespacedPod({
          namespace: 'default',
          ...(labelSelector ? { labelSelector } : {}),
          ...(fieldSelector ? { fieldSelector } : {}),
        })
      ).items.map((p) => p.metadata?.name ?? '');
    assert.deepEqual(await names('app=web'), ['sel-a', 'sel-b']);
    assert.deepEqual(await names('app!=web'), ['sel-c']);
    assert.deepEqual(await names('env in (prod,staging)'), ['sel-a']);
    assert.deepEqual(await names('app,env notin (prod)'), ['sel-b', 'sel-c'], 'notin matches objects without the label');
    assert.deepEqual(await names('!env'), ['sel-c']);
    assert.deepEqual(await names(undefined, 'status.phase=Running'), ['sel-a', 'sel-c']);
    assert.deepEqual(await names('app=web', 'metadata.name!=sel-a'), ['sel-b']);
    const bad = await apiError(core.listNamespacedPod({ namespace: 'default', fieldSelector: 'spec.bogus=1' }), 400);
    assert.equal(bad.status.reason, 'BadRequest');
    const all = await core.listPodForAllNamespaces({ labelSelector: 'tier=batch', limit: 2000 });
    assert.equal(all.items.length, 1200);
    const everything = await core.listPodForAllNamespaces();
    assert.equal(everything.items.length, 1203);
    assert.equal(everything.kind, 'PodList');
  });

  void test('create, get, AlreadyExists, NotFound, Invalid, dry run and delete preconditions', async () => {
    const created = await core.createNamespacedPod({ namespace: 'default', body: podBody('crud-1') });
    assert.ok(created.metadata?.uid);
    assert.ok(created.metadata?.resourceVersion);
    assert.ok(created.metadata?.creationTimestamp instanceof Date);
    assert.equal(fake.requests.at(-1)?.method, 'POST');
    const got = await core.readNamespacedPod({ namespace: 'default', name: 'crud-1' });
    assert.equal(got.metadata?.uid, created.metadata?.uid);

    const exists = await apiError(core.createNamespacedPod({ namespace: 'default', body: podBody('crud-1') }), 409);
    assert.deepEqual(
      { reason: exists.status.reason, message: exists.status.message, details: exists.status.details },
      { reason: 'AlreadyExists', message: 'pods "crud-1" already exists', details: { name: 'crud-1', kind: 'pods' } },
    );
    const missing = await apiError(core.readNamespacedPod({ namespace: 'default', name: 'nope' }), 404);
    assert.equal(missing.status.reason, 'NotFound');
    assert.equal(missing.status.message, 'pods "nope" not found');
    const deployMissing = await apiError(apps.readNamespacedDeployment({ namespace: 'default', name: 'nope' }), 404);
    assert.equal(deployMissing.status.message, 'deployments.apps "nope" not found');
    assert.equal(deployMissing.status.details?.group, 'apps');
    const invalid = await apiError(core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: {} } }), 422);
    assert.equal(invalid.status.reason, 'Invalid');
    const noNs = await apiError(core.createNamespacedConfigMap({ namespace: 'ghost', body: { metadata: { name: 'x' } } }), 404);
    assert.equal(noNs.status.message, 'namespaces "ghost" not found');

    const dry = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'dry' }, data: { a: 'b' } },
      dryRun: 'All',
    });
    assert.equal(dry.metadata?.name, 'dry');
    await apiError(core.readNamespacedConfigMap({ namespace: 'default', name: 'dry' }), 404);

    const conflict = await apiError(
      core.deleteNamespacedPod({ namespace: 'default', name: 'crud-1', body: { preconditions: { uid: 'not-the-uid' } } }),
      409,
    );
    assert.equal(conflict.status.reason, 'Conflict');
    await core.deleteNamespacedPod({ namespace: 'default', name: 'crud-1', body: { preconditions: { uid: created.metadata?.uid ?? '' } } });
    await apiError(core.readNamespacedPod({ namespace: 'default', name: 'crud-1' }), 404);
  });

  void test('update conflicts, merge/json patch, scale and status subresources', async () => {
    const labels = { app: 'api' };
    const deployment = await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'api', labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'api', image: 'api:1' }] } },
        },
      },
    });
    assert.equal(deployment.metadata?.generation, 1);
    const patched = await apps.patchNamespacedDeployment(
      {
        namespace: 'default',
        name: 'api',
        body: { metadata: { labels: { team: 'core' } }, spec: { template: { spec: { containers: [{ name: 'api', image: 'api:2' }] } } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    assert.equal(patched.metadata?.labels?.['team'], 'core');
    assert.equal(patched.spec?.template.spec?.containers[0]?.image, 'api:2');
    assert.equal(patched.metadata?.generation, 2);
    const jsonPatched = await apps.patchNamespacedDeployment({
      namespace: 'default',
      name: 'api',
      body: [{ op: 'replace', path: '/spec/replicas', value: 2 }],
    });
    assert.equal(jsonPatched.spec?.replicas, 2);
    const stale = { ...deployment, metadata: { ...deployment.metadata, resourceVersion: deployment.metadata?.resourceVersion } };
    const conflict = await apiError(apps.replaceNamespacedDeployment({ namespace: 'default', name: 'api', body: stale }), 409);
    assert.match(conflict.status.message ?? '', /the object has been modified/);

    const scale = await apps.readNamespacedDeploymentScale({ namespace: 'default', name: 'api' });
    assert.equal(scale.spec?.replicas, 2);
    assert.equal(scale.status?.selector, 'app=api');
    await apps.replaceNamespacedDeploymentScale({
      namespace: 'default',
      name: 'api',
      body: { metadata: { name: 'api', namespace: 'default' }, spec: { replicas: 5 } },
    });
    assert.equal((await apps.readNamespacedDeployment({ namespace: 'default', name: 'api' })).spec?.replicas, 5);

    // status is only written through /status
    await apps.patchNamespacedDeployment(
      { namespace: 'default', name: 'api', body: { status: { readyReplicas: 9 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    assert.equal((await apps.readNamespacedDeployment({ namespace: 'default', name: 'api' })).status?.readyReplicas, undefined);
    await apps.patchNamespacedDeploymentStatus(
      { namespace: 'default', name: 'api', body: { status: { readyReplicas: 4 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    assert.equal((await apps.readNamespacedDeployment({ namespace: 'default', name: 'api' })).status?.readyReplicas, 4);

    const applied = await apps.patchNamespacedDeployment(
      {
        namespace: 'default',
        name: 'api',
        fieldManager: 'clusterdeck',
        body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', annotations: { applied: 'yes' } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    );
    assert.equal(applied.metadata?.annotations?.['applied'], 'yes');
  });

  void test('10,000 pods: fast seeding, paging with limit=500 and an unpaged list', async () => {
    const t0 = performance.now();
    fake.seedPods('big', 10_000);
    const seedMs = performance.now() - t0;
    assert.ok(seedMs < 2000, `seeding took ${seedMs} ms`);
    const headers = { authorization: 'Bearer fake-bearer-token' };
    let token = '';
    let count = 0;
    const t1 = performance.now();
    do {
      const res = await fetch(`${fake.url}/api/v1/namespaces/big/pods?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`, {
        headers,
      });
      const page = (await res.json()) as { items: unknown[]; metadata: { continue?: string } };
      count += page.items.length;
      token = page.metadata.continue ?? '';
    } while (token);
    const pagedMs = performance.now() - t1;
    assert.equal(count, 10_000);
    assert.ok(pagedMs < 5000, `paging took ${pagedMs} ms`);
    const res = await fetch(`${fake.url}/api/v1/namespaces/big/pods`, { headers });
    const all = (await res.json()) as { kind: string; items: { kind?: string; metadata: { name: string } }[] };
    assert.equal(all.items.length, 10_000);
    assert.equal(all.items[0]?.metadata.name, 'pod-00000');
    assert.equal(all.items[0]?.kind, undefined, 'items of built-in lists carry no TypeMeta, like the apiserver');
  });
});

// ------------------------------------------------------------------ watch

void describe('watch', () => {
  let fake: FakeKube;
  let kc: KubeConfig;
  let core: CoreV1Api;
  before(async () => {
    fake = await useFake({ bookmarkIntervalMs: 100 });
    kc = kubeConfigFor(fake);
    core = kc.makeApiClient(CoreV1Api);
  });
  after(async () => fake?.close());

  void test('ADDED, MODIFIED, DELETED with increasing resourceVersions, then bookmarks', async () => {
    await core.createNamespacedPod({ namespace: 'default', body: podBody('before-watch') });
    const list = await core.listNamespacedPod({ namespace: 'default' });
    const rv = list.metadata?.resourceVersion ?? '';
    const w = await new WatchRecorder().start(kc, '/api/v1/namespaces/default/pods', { resourceVersion: rv, allowWatchBookmarks: true });
    try {
      await core.createNamespacedPod({ namespace: 'default', body: podBody('w1') });
      await core.patchNamespacedPod(
        { namespace: 'default', name: 'w1', body: { metadata: { labels: { touched: 'yes' } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await core.deleteNamespacedPod({ namespace: 'default', name: 'w1' });
      await w.waitFor((ev) => ev.some((e) => e.type === 'DELETED'), 'DELETED');
      const objectEvents = w.events.filter((e) => e.type !== 'BOOKMARK');
      assert.deepEqual(
        objectEvents.map((e) => `${e.type}:${e.object.metadata?.name ?? ''}`),
        ['ADDED:w1', 'MODIFIED:w1', 'DELETED:w1'],
      );
      const rvs = objectEvents.map((e) => Number(e.object.metadata?.resourceVersion));
      assert.ok(
        rvs.every((v, i) => v > Number(rv) && (i === 0 || v > (rvs[i - 1] ?? 0))),
        `increasing: ${rvs.join(',')}`,
      );
      await w.waitFor((ev) => ev.some((e) => e.type === 'BOOKMARK'), 'BOOKMARK');
      assert.equal(fake.requests.find((r) => r.query['watch'] === 'true')?.query['allowWatchBookmarks'], 'true');
    } finally {
      w.stop();
    }
  });

  void test('watch with a label selector sees objects enter and leave it', async () => {
    const w = await new WatchRecorder().start(kc, '/api/v1/namespaces/default/pods', {
      resourceVersion: String(fake.resourceVersion),
      labelSelector: 'stage=on',
    });
    try {
      await core.createNamespacedPod({ namespace: 'default', body: podBody('sel-w', { stage: 'off' }) });
      await core.patchNamespacedPod(
        { namespace: 'default', name: 'sel-w', body: { metadata: { labels: { stage: 'on' } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await core.patchNamespacedPod(
        { namespace: 'default', name: 'sel-w', body: { metadata: { labels: { stage: 'off' } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await w.waitFor((ev) => ev.some((e) => e.type === 'DELETED'), 'DELETED');
      assert.deepEqual(
        w.events.map((e) => e.type),
        ['ADDED', 'DELETED'],
      );
    } finally {
      w.stop();
    }
  });

  void test('410 Expired after compact(), then relist and rewatch', async () => {
    const list = await core.listNamespacedPod({ namespace: 'default' });
    const oldRv = list.metadata?.resourceVersion ?? '';
    await core.createNamespacedPod({ namespace: 'default', body: podBody('after-list') });
    fake.compact();
    const expired = await new WatchRecorder().start(kc, '/api/v1/namespaces/default/pods', { resourceVersion: oldRv });
    await expired.finished;
    assert.equal(expired.events.length, 1);
    assert.equal(expired.events[0]?.type, 'ERROR');
    assert.equal(expired.events[0]?.object.code, 410);
    assert.equal(expired.events[0]?.object.reason, 'Expired');
    assert.equal(expired.doneError, null);

    const relist = await core.listNamespacedPod({ namespace: 'default' });
    assert.ok(relist.items.some((p) => p.metadata?.name === 'after-list'));
    const rewatch = await new WatchRecorder().start(kc, '/api/v1/namespaces/default/pods', {
      resourceVersion: relist.metadata?.resourceVersion ?? '',
    });
    try {
      await core.createNamespacedPod({ namespace: 'default', body: podBody('after-rewatch') });
      await rewatch.waitFor(
        (ev) => ev.some((e) => e.type === 'ADDED' && e.object.metadata?.name === 'after-rewatch'),
        'ADDED after rewatch',
      );
      assert.ok(!rewatch.events.some((e) => e.type === 'ERROR'));
    } finally {
      rewatch.stop();
    }
  });

  void test('watchExpired: "http" answers the watch request with HTTP 410', async () => {
    const httpFake = await useFake({ watchExpired: 'http' });
    try {
      const hkc = kubeConfigFor(httpFake);
      const hcore = hkc.makeApiClient(CoreV1Api);
      const rv = (await hcore.listNamespacedConfigMap({ namespace: 'default' })).metadata?.resourceVersion ?? '';
      await hcore.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'c' } } });
      httpFake.compact();
      const w = await new WatchRecorder().start(hkc, '/api/v1/namespaces/default/configmaps', { resourceVersion: rv });
      await w.finished;
      assert.equal((w.doneError as { statusCode?: number }).statusCode, 410);
    } finally {
      await httpFake.close();
    }
  });

  void test('close() ends open watch streams', async () => {
    const other = await useFake({});
    const okc = kubeConfigFor(other);
    const w = await new WatchRecorder().start(okc, '/api/v1/pods', {});
    await w.waitFor(() => other.requests.some((r) => r.query['watch'] === 'true'), 'watch request');
    await other.close();
    await w.finished;
    assert.equal(w.done, true);
  });
});

// ------------------------------------------------------------------ auth

void describe('authentication', () => {
  void test('https with certificate-authority-data and a bearer token; a bad token is 401', async () => {
    const fake = await useFake({ tls: 'tls', token: 'tls-token' });
    try {
      assert.match(fake.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.match(fake.kubeconfig(), /certificate-authority-data/);
      const core = kubeConfigFor(fake).makeApiClient(CoreV1Api);
      const ns = await core.listNamespace();
      assert.deepEqual(
        ns.items.map((n) => n.metadata?.name),
        ['default', 'kube-node-lease', 'kube-public', 'kube-system'],
      );
      const bad = new KubeConfig();
      bad.loadFromString(fake.kubeconfig().replace('token: tls-token', 'token: wrong-token'));
      await apiError(bad.makeApiClient(CoreV1Api).listNamespace(), 401);
      // client-node drops the body of a 401; the Status is on the wire all the same.
      const raw = await new Promise<{ code: number; body: StatusBody }>((resolve, reject) => {
        const req = httpsRequest(
          `${fake.url}/api/v1/namespaces`,
          { ca: fake.ca?.certPem, headers: { authorization: 'Bearer wrong-token' } },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString('utf8')));
            res.on('end', () => resolve({ code: res.statusCode ?? 0, body: JSON.parse(text) as StatusBody }));
          },
        );
        req.on('error', reject);
        req.end();
      });
      assert.deepEqual(raw, {
        code: 401,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: 'Unauthorized',
          reason: 'Unauthorized',
          code: 401,
        },
      });
    } finally {
      await fake.close();
    }
  });

  void test('mTLS client certificate: the server records CN=test-user; no certificate is 401', async () => {
    const fake = await useFake({ tls: 'mtls' });
    try {
      assert.ok(fake.clientCert?.certPem.includes('BEGIN CERTIFICATE'));
      const core = kubeConfigFor(fake, { user: 'cert' }).makeApiClient(CoreV1Api);
      await core.listNamespace();
      assert.equal(fake.requests.at(-1)?.peerCN, 'test-user');
      await apiError(kubeConfigFor(fake, { user: 'anonymous' }).makeApiClient(CoreV1Api).listNamespace(), 401);
    } finally {
      await fake.close();
    }
  });

  void test('exec credential plugin', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clusterdeck-exec-'));
    const fake = await useFake({ token: 'exec-token-demo' });
    try {
      const script = join(dir, 'credential.js');
      const credential = {
        kind: 'ExecCredential',
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        status: { token: 'exec-token-demo', expirationTimestamp: new Date(Date.now() + 3_600_000).toISOString() },
      };
      await writeFile(script, `process.stdout.write(${JSON.stringify(JSON.stringify(credential))});\n`);
      const core = kubeConfigFor(fake, { user: 'exec', execCommand: process.execPath, execArgs: [script] }).makeApiClient(CoreV1Api);
      await core.listNamespace();
      assert.equal(fake.requests.at(-1)?.headers.authorization, 'Bearer exec-token-demo');
    } finally {
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// ------------------------------------------------------------------ errors, faults, tables, demo data

void describe('forbidden, faults, tables and demo data', () => {
  let fake: FakeKube;
  let kc: KubeConfig;
  let core: CoreV1Api;
  before(async () => {
    fake = await useFake({ seed: 'demo', token: 'demo-token' });
    kc = kubeConfigFor(fake);
    core = kc.makeApiClient(CoreV1Api);
  });
  after(async () => fake?.close());

  void test('403 from forbid()', async () => {
    const allow = fake.forbid({ verb: 'list', resource: 'pods', namespace: 'kube-system' });
    const denied = await apiError(core.listNamespacedPod({ namespace: 'kube-system' }), 403);
    assert.equal(denied.status.reason, 'Forbidden');
    assert.equal(
      denied.status.message,
      'pods is forbidden: User "test-user" cannot list resource "pods" in API group "" in the namespace "kube-system"',
    );
    await core.listNamespacedPod({ namespace: 'shop' });
    allow();
    await core.listNamespacedPod({ namespace: 'kube-system' });
  });

  void test('429 with Retry-After, malformed JSON and a reset connection via inject()', async () => {
    fake.inject({ method: 'GET', path: '/api/v1/namespaces/shop/pods', status: 429, retryAfterSeconds: 2, times: 1 });
    const limited = await apiError(core.listNamespacedPod({ namespace: 'shop' }), 429);
    assert.equal(limited.status.reason, 'TooManyRequests');
    assert.equal(limited.headers['retry-after'], '2');
    assert.ok((await core.listNamespacedPod({ namespace: 'shop' })).items.length > 0, 'the fault applied once');

    const removeMalformed = fake.inject({ path: /\/namespaces\/shop\/services$/, body: '{"kind":"ServiceList","items":[' });
    await assert.rejects(core.listNamespacedService({ namespace: 'shop' }));
    removeMalformed();
    await core.listNamespacedService({ namespace: 'shop' });

    fake.inject({ path: '/api/v1/namespaces/shop/configmaps', resetConnection: true, times: 1 });
    await assert.rejects(core.listNamespacedConfigMap({ namespace: 'shop' }));
    await core.listNamespacedConfigMap({ namespace: 'shop' });
  });

  void test('Table and PartialObjectMetadataList responses', async () => {
    const headers = { authorization: 'Bearer demo-token', accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' };
    const res = await fetch(`${fake.url}/api/v1/namespaces/shop/pods`, { headers });
    assert.equal(res.headers.get('content-type'), 'application/json;as=Table;v=v1;g=meta.k8s.io');
    const table = (await res.json()) as {
      kind: string;
      apiVersion: string;
      columnDefinitions: { name: string }[];
      rows: { cells: unknown[]; object: { kind: string; metadata: { name: string } } }[];
    };
    assert.equal(table.kind, 'Table');
    assert.equal(table.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(
      table.columnDefinitions.slice(0, 5).map((c) => c.name),
      ['Name', 'Ready', 'Status', 'Restarts', 'Age'],
    );
    assert.equal(table.rows[0]?.object.kind, 'PartialObjectMetadata');
    const crashing = table.rows.find((r) => r.cells[2] === 'CrashLoopBackOff');
    assert.ok(crashing, 'a CrashLoopBackOff pod in the demo data');
    const meta = (await (
      await fetch(`${fake.url}/apis/apps/v1/namespaces/shop/deployments`, {
        headers: { ...headers, accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io' },
      })
    ).json()) as {
      kind: string;
      items: { kind: string; metadata: { name: string }; spec?: unknown }[];
    };
    assert.equal(meta.kind, 'PartialObjectMetadataList');
    assert.ok(meta.items.length >= 3);
    assert.equal(meta.items[0]?.spec, undefined);
  });

  void test('demo data: nodes, workloads, metrics and Velero objects', async () => {
    const nodes = await core.listNode();
    assert.equal(nodes.items.length, 3);
    assert.ok(
      nodes.items.every(
        (n) => n.status?.allocatable?.['cpu'] && n.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      ),
    );
    const pods = await core.listNamespacedPod({ namespace: 'shop' });
    const crash = pods.items.find((p) => p.status?.containerStatuses?.some((c) => c.state?.waiting?.reason === 'CrashLoopBackOff'));
    assert.ok((crash?.status?.containerStatuses?.[0]?.restartCount ?? 0) > 0);
    assert.ok(crash?.status?.containerStatuses?.[0]?.lastState?.terminated?.reason);
    const namespaces = (await core.listNamespace()).items.map((n) => n.metadata?.name);
    for (const ns of ['default', 'kube-system', 'shop', 'payments', 'monitoring', 'velero']) assert.ok(namespaces.includes(ns), ns);

    const podMetrics = await new Metrics(kc).getPodMetrics('shop');
    assert.ok(podMetrics.items.length > 0);
    assert.match(podMetrics.items[0]?.containers[0]?.usage.cpu ?? '', /^\d+n$/);
    assert.match(podMetrics.items[0]?.containers[0]?.usage.memory ?? '', /^\d+Ki$/);
    assert.equal((await new Metrics(kc).getNodeMetrics()).items.length, 3);

    const co = kc.makeApiClient(CustomObjectsApi);
    const backups = (await co.listNamespacedCustomObject({
      group: 'velero.io',
      version: 'v1',
      namespace: 'velero',
      plural: 'backups',
    })) as { items: { status: { phase: string } }[] };
    const phases = backups.items.map((b) => b.status.phase);
    for (const phase of ['Completed', 'PartiallyFailed', 'InProgress']) assert.ok(phases.includes(phase), phase);
    const bsl = (await co.listNamespacedCustomObject({
      group: 'velero.io',
      version: 'v1',
      namespace: 'velero',
      plural: 'backupstoragelocations',
    })) as { items: { status: { phase: string } }[] };
    assert.equal(bsl.items[0]?.status.phase, 'Available');
    const deleting = await kc.makeApiClient(AppsV1Api).deleteNamespacedDeployment({ namespace: 'shop', name: 'frontend' });
    assert.equal(deleting.status, 'Success');
    const left = await core.listNamespacedPod({ namespace: 'shop', labelSelector: 'app=frontend' });
    assert.equal(left.items.length, 0, 'ReplicaSet and Pods were garbage-collected with their Deployment');
  });
});

// ------------------------------------------------------------------ kubectl

const KUBECTL = '/usr/bin/kubectl';

function runKubectl(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(KUBECTL, [...args], { env, timeout: 20_000, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

void describe('kubectl', { skip: existsSync(KUBECTL) ? false : 'kubectl is not installed' }, () => {
  void test('kubectl get pods -o json against the fake (https + token)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clusterdeck-kubectl-'));
    const fake = await useFake({ tls: 'tls', token: 'kubectl-token', seed: 'demo' });
    try {
      const kubeconfig = join(dir, 'kubeconfig');
      await writeFile(kubeconfig, fake.kubeconfig({ namespace: 'shop' }), { mode: 0o600 });
      const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir };
      const result = await runKubectl(
        ['get', 'pods', '-o', 'json', '--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), '--request-timeout', '10s'],
        env,
      );
      assert.equal(result.code, 0, result.stderr);
      const list = JSON.parse(result.stdout) as { kind: string; items: { kind: string; metadata: { namespace: string } }[] };
      assert.equal(list.kind, 'List');
      assert.ok(list.items.length >= 5);
      assert.ok(list.items.every((p) => p.kind === 'Pod' && p.metadata.namespace === 'shop'));
      assert.ok(fake.requests.some((r) => r.path === '/api/v1/namespaces/shop/pods' && r.headers.authorization === 'Bearer kubectl-token'));
    } finally {
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
