// "Apply…" in the Right-size report at the wire level: the live object read through our client, the
// recommendation merged (mergeRecommendation), the document the report hands to the Apply command parsed back,
// then a server-side DRY RUN (PATCH application/apply-patch+yaml, dryRun=All, fieldManager=clusterdeck) that
// persists nothing, the diff of live ↔ dry run that changes only the container's resources, and the real
// server-side apply that stores the recommended values and keeps the rest of the object.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { KubeClient } from '../../src/core/kube/kubeClient';
import { resolveContext } from '../../src/core/kube/kubeconfig';
import { buildApplyDiff, parseApplyDocuments, summarizeApply } from '../../src/core/remote/applyPlan';
import { ClusterDeckError } from '../../src/core/errors';
import { buildHpaManifest } from '../../src/core/tuning/recommendHpa';
import { leftoverRemovals, mergeRecommendation } from '../../src/core/tuning/reportModel';
import { loadKubeconfigs } from '../../src/node/kube/kubeconfigFiles';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';
import { scenarioObjects } from '../support/tuningScenario';

type Containers = { name: string; image?: string; resources?: Record<string, Record<string, string>> }[];
const containersOf = (o: unknown): Containers =>
  (o as { spec: { template: { spec: { containers: Containers } } } }).spec.template.spec.containers;

describe('Right-size Apply… over the wire (fake API server)', () => {
  let fake: FakeKube;
  let client: KubeClient;
  let dir: string;
  const signal = new AbortController().signal;

  before(async () => {
    fake = await startFakeKube({});
    for (const o of scenarioObjects()) fake.upsert(o);
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-tuning-apply-'));
    const path = join(dir, 'config');
    writeFileSync(path, fake.kubeconfig({ contextName: 'fake', namespace: 'shop' }));
    client = await new SdkKubeClientFactory({
      requestTimeoutMs: () => 5_000,
      approvals: { isApproved: () => true, approve: () => Promise.resolve() },
      isTrusted: () => true,
      allowPlainHttp: (name) => name === 'fake', // the fake is plain http (B14 opt-in)
    }).createClient(resolveContext(await loadKubeconfigs([path]), 'fake'));
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('dry run (dryRun=All, apply-patch, fieldManager) persists nothing; the diff changes only resources; apply stores them', async () => {
    const resource = await client.resolveKind('apps/v1', 'StatefulSet', { signal });
    assert.ok(resource);
    const live = await client.getObject(resource, 'shop', 'db', { signal });
    const merged = mergeRecommendation(live, {
      container: 'postgres',
      recommended: { cpuRequest: '313m', cpuLimit: null, memoryRequest: '1200Mi', memoryLimit: '1200Mi' },
    });
    // What the report puts in its read-only document and the Apply command parses back.
    const parsed = parseApplyDocuments(`# Right-size StatefulSet shop/db, container postgres (context fake)\n${stringify(merged)}`);
    assert.deepEqual(parsed.errors, []);
    const [object] = parsed.objects;
    assert.ok(object);
    assert.equal((object.body.metadata as Record<string, unknown>).resourceVersion, undefined, 'server fields stripped');
    assert.equal((object.body.metadata as Record<string, unknown>).managedFields, undefined);

    fake.clearRequests();
    const dry = await client.applyObject(resource, 'shop', 'db', object.body, { signal, dryRun: true });
    const patch = fake.requests.filter((r) => r.method === 'PATCH');
    assert.equal(patch.length, 1);
    assert.equal(patch[0]?.path, '/apis/apps/v1/namespaces/shop/statefulsets/db');
    assert.equal(patch[0]?.headers['content-type'], 'application/apply-patch+yaml');
    assert.deepEqual(patch[0]?.query, { fieldManager: 'clusterdeck', dryRun: 'All' });
    assert.deepEqual(containersOf(fake.get('apps/v1', 'StatefulSet', 'shop', 'db'))[0]?.resources, {
      requests: { cpu: '1', memory: '4Gi' },
      limits: { memory: '4Gi' },
    });

    const item = { object, namespace: 'shop', live, result: dry };
    assert.equal(summarizeApply([item]), '1 object: 0 created, 1 changed, 0 unchanged');
    const diff = buildApplyDiff([item]);
    const liveLines = new Set(diff.live.split('\n'));
    const resultLines = new Set(diff.result.split('\n'));
    const removed = [...liveLines].filter((l) => !resultLines.has(l)).map((l) => l.trim());
    const added = [...resultLines].filter((l) => !liveLines.has(l)).map((l) => l.trim());
    // Distinct lines that differ: only the resources' values (requests.cpu, requests/limits.memory).
    assert.deepEqual(removed.sort(), ['cpu: "1"', 'memory: 4Gi']);
    assert.deepEqual(added.sort(), ['cpu: 313m', 'memory: 1200Mi']);
    assert.equal(diff.live.split('\n').length, diff.result.split('\n').length, 'no line added or dropped elsewhere');

    await client.applyObject(resource, 'shop', 'db', object.body, { signal });
    const stored = fake.get('apps/v1', 'StatefulSet', 'shop', 'db');
    const postgres = containersOf(stored)[0];
    assert.deepEqual(postgres?.resources, { requests: { cpu: '313m', memory: '1200Mi' }, limits: { memory: '1200Mi' } });
    assert.equal(postgres?.image, 'postgres:16', 'the rest of the object is kept');
    assert.equal((stored?.['spec'] as { replicas: number }).replicas, 2);
    const managers = (stored?.metadata['managedFields'] as { manager: string; operation: string }[]).map(
      (m) => `${m.manager}/${m.operation}`,
    );
    assert.ok(managers.includes('clusterdeck/Apply'), managers.join());
  });

  test('a recommendation without a CPU limit: SSA keeps the limit another manager owns; the guarded JSON patch removes it', async () => {
    const resource = await client.resolveKind('apps/v1', 'Deployment', { signal });
    assert.ok(resource);
    const live = await client.getObject(resource, 'shop', 'web', { signal });
    assert.equal(containersOf(live).find((c) => c.name === 'app')?.resources?.limits?.cpu, '1');
    const merged = mergeRecommendation(live, {
      container: 'app',
      recommended: { cpuRequest: '313m', cpuLimit: null, memoryRequest: '462Mi', memoryLimit: '462Mi' },
    });
    const row = {
      container: 'app',
      recommended: { cpuRequest: '313m', cpuLimit: null, memoryRequest: '462Mi', memoryLimit: '462Mi' },
    };
    // The object was created by another manager (kubectl here): it owns limits.cpu.
    await client.patchObject(resource, 'shop', 'web', { metadata: { labels: { touched: 'kubectl' } } }, { signal });
    await client.applyObject(resource, 'shop', 'web', merged, { signal });
    const applied = await client.getObject(resource, 'shop', 'web', { signal });
    assert.equal(containersOf(applied).find((c) => c.name === 'app')?.resources?.requests?.cpu, '313m');
    const leftover = leftoverRemovals(applied, row);
    assert.equal(containersOf(applied).find((c) => c.name === 'app')?.resources?.limits?.cpu, '1', 'SSA left the limit in place');
    {
      assert.deepEqual(leftover.fields, ['resources.limits.cpu']);
      assert.deepEqual(leftover.patch, [
        { op: 'test', path: '/spec/template/spec/containers/0/name', value: 'app' },
        { op: 'test', path: '/spec/template/spec/containers/0/resources/limits/cpu', value: '1' },
        { op: 'remove', path: '/spec/template/spec/containers/0/resources/limits/cpu' },
      ]);
      fake.clearRequests();
      await client.patchObject(resource, 'shop', 'web', leftover.patch, { signal, patchType: 'json' });
      assert.equal(fake.requests.find((r) => r.method === 'PATCH')?.headers['content-type'], 'application/json-patch+json');
    }
    assert.deepEqual(leftoverRemovals(await client.getObject(resource, 'shop', 'web', { signal }), row).fields, []);
    const stored = containersOf(fake.get('apps/v1', 'Deployment', 'shop', 'web'));
    assert.deepEqual(stored.find((c) => c.name === 'app')?.resources, {
      requests: { cpu: '313m', memory: '462Mi' },
      limits: { memory: '462Mi' },
    });
    assert.deepEqual(stored.find((c) => c.name === 'sidecar')?.resources, { requests: { cpu: '50m', memory: '64Mi' } });
  });
});

describe('B85: an HPA refused by the server-side dry run (admission webhook, validation)', () => {
  let fake: FakeKube;
  let client: KubeClient;
  let dir: string;
  const signal = new AbortController().signal;
  before(async () => {
    fake = await startFakeKube({});
    for (const o of scenarioObjects()) fake.upsert(o);
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-tuning-b85-'));
    const path = join(dir, 'config');
    writeFileSync(path, fake.kubeconfig({ contextName: 'fake', namespace: 'shop' }));
    client = await new SdkKubeClientFactory({
      requestTimeoutMs: () => 5_000,
      approvals: { isApproved: () => true, approve: () => Promise.resolve() },
      isTrusted: () => true,
      allowPlainHttp: (name) => name === 'fake', // the fake is plain http (B14 opt-in)
    }).createClient(resolveContext(await loadKubeconfigs([path]), 'fake'));
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("B85: HPA change refused by dry-run: the webhook's or the validation's reason is shown, nothing is applied", async () => {
    const resource = await client.resolveKind('autoscaling/v2', 'HorizontalPodAutoscaler', { signal });
    assert.ok(resource);
    const manifest = buildHpaManifest({
      namespace: 'shop',
      name: 'tiny',
      targetKind: 'Deployment',
      targetName: 'tiny',
      minReplicas: 2,
      maxReplicas: 6,
      resource: 'cpu',
      targetUtilizationPercent: 70,
    });
    const denial = (code: number) =>
      JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        code,
        reason: code === 403 ? 'Forbidden' : 'BadRequest',
        message:
          'admission webhook "validation.gatekeeper.sh" denied the request: [hpa-min-replicas] production HPAs need minReplicas >= 3',
      });
    for (const code of [403, 400]) {
      const remove = fake.inject({ method: 'PATCH', path: /horizontalpodautoscalers/, status: code, body: denial(code) });
      try {
        const err = await client.applyObject(resource, 'shop', 'tiny', manifest, { signal, dryRun: true }).then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(err instanceof ClusterDeckError, String(err));
        assert.match(
          err.message,
          /admission webhook "validation\.gatekeeper\.sh" denied the request: \[hpa-min-replicas\] production HPAs need minReplicas >= 3/,
          `${code}: ${err.message}`,
        );
      } finally {
        remove();
      }
    }
    // The API's own validation (422 with causes): the field and the reason.
    const remove = fake.inject({
      method: 'PATCH',
      path: /horizontalpodautoscalers/,
      status: 422,
      body: JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        code: 422,
        reason: 'Invalid',
        message:
          'HorizontalPodAutoscaler.autoscaling "tiny" is invalid: spec.minReplicas: Invalid value: 7: must be less than or equal to maxReplicas',
        details: { causes: [{ field: 'spec.minReplicas', message: 'Invalid value: 7: must be less than or equal to maxReplicas' }] },
      }),
    });
    try {
      const err = await client.applyObject(resource, 'shop', 'tiny', manifest, { signal, dryRun: true }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof ClusterDeckError && err.reason === 'invalid', String(err));
      assert.deepEqual(err.detail.causes, [
        { field: 'spec.minReplicas', message: 'Invalid value: 7: must be less than or equal to maxReplicas' },
      ]);
    } finally {
      remove();
    }
    assert.equal(fake.get('autoscaling/v2', 'HorizontalPodAutoscaler', 'shop', 'tiny'), undefined, 'nothing applied');
  });
});
