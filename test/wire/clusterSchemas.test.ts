// A folder bound to a cluster context validates custom resources against that cluster's own /openapi/v3
// (fetched with the real client stack from the fake API server, cached on disk, refreshed on demand).
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecApprovals } from '../../src/core/kube/execApproval';
import { mergeKubeconfigs } from '../../src/core/kube/kubeconfig';
import { defaultLintConfig } from '../../src/core/manifests/lintConfig';
import { lintManifests } from '../../src/core/manifests/lintManifests';
import { parseManifestFile } from '../../src/core/manifests/parseManifests';
import { ruleCatalogue } from '../../src/core/manifests/ruleCatalogue';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { ClusterSchemaStore } from '../../src/node/manifests/clusterSchemaStore';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';
import { widgetCrd } from '../e2e/fixtures';

const TOKEN = 'schema-canary-token-91ab';
const widget = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: big\n  color: green\n';
const approvals: ExecApprovals = { isApproved: () => false, approve: () => Promise.resolve() };

describe('cluster schemas for a bound folder', () => {
  let fake: FakeKube;
  let dir: string;
  before(async () => {
    fake = await startFakeKube({ tls: 'tls', token: TOKEN });
    fake.upsert(widgetCrd);
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-schemas-'));
  });
  after(async () => {
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const store = () => {
    const config = mergeKubeconfigs([{ path: join(dir, 'kubeconfig'), text: fake.kubeconfig({ contextName: 'dev', user: 'token' }) }]);
    const factory = new SdkKubeClientFactory({ requestTimeoutMs: () => 5_000, approvals, isTrusted: () => true });
    return new ClusterSchemaStore(join(dir, 'cache'), factory, () => Promise.resolve(config));
  };
  const lint = (extra: boolean, table?: Parameters<typeof lintManifests>[2]['extraSchemas']) => {
    const file = parseManifestFile('/w.yaml', widget);
    return (
      lintManifests([file], ruleCatalogue, { ...defaultLintConfig, ...(extra && table ? { extraSchemas: table } : {}) }).get('/w.yaml') ??
      []
    ).map((f) => f.ruleId);
  };

  test('without the cluster the kind is unknown; with its schemas the custom resource is validated', async () => {
    assert.ok(lint(false).includes('schema-unknown-kind'));
    fake.clearRequests();
    const schemas = await store().refresh('dev', new AbortController().signal);
    assert.equal(schemas.kubernetesVersion, '1.33');
    assert.ok(schemas.table.kinds['example.com/v1/Widget'], JSON.stringify(Object.keys(schemas.table.kinds)));
    const paths = fake.requests.map((r) => r.path);
    assert.ok(paths.includes('/openapi/v3/apis/example.com/v1'));
    assert.ok(!paths.some((p) => p.startsWith('/openapi/v3/apis/apps/')), 'built-in groups are bundled, not fetched');
    assert.ok(fake.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`));
    const ids = lint(true, [schemas.table]);
    assert.ok(!ids.includes('schema-unknown-kind'), ids.join(','));
    assert.equal(ids.filter((id) => id === 'schema-violation').length, 2, ids.join(','));
  });

  test('the cache serves the schemas without contacting the cluster, and holds no secret', async () => {
    fake.clearRequests();
    const cached = await store().load('dev');
    assert.ok(cached?.table.kinds['example.com/v1/Widget']);
    assert.equal(fake.requests.length, 0);
    const files = readdirSync(join(dir, 'cache'));
    assert.equal(files.length, 1);
    assert.doesNotMatch(readFileSync(join(dir, 'cache', files[0]!), 'utf8'), new RegExp(TOKEN));
    assert.equal(await store().load('other'), undefined);
    writeFileSync(join(dir, 'cache', files[0]!), '{not json');
    assert.equal(await store().load('dev'), undefined, 'a corrupt cache is ignored, not fatal');
  });
});
