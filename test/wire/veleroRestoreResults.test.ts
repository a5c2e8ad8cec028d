// Catalogue row B80 against the fake API server and its Velero controller: a restore that ends PartiallyFailed is
// never reported as a success, and Describe's per-item table comes from the restore's results (a DownloadRequest
// of kind RestoreResults → gzip JSON at a signed URL on 127.0.0.1), as `velero restore describe --details` shows.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeClient } from '../../src/core/kube/kubeClient';
import { resolveContext } from '../../src/core/kube/kubeconfig';
import { describeVeleroObject } from '../../src/core/velero/describeVelero';
import { buildRestore } from '../../src/core/velero/restorePlan';
import { followRestore, loadVeleroResults, restoreOutcome } from '../../src/core/velero/veleroActions';
import { veleroKinds } from '../../src/core/velero/veleroKinds';
import { loadKubeconfigs } from '../../src/node/kube/kubeconfigFiles';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { createDownloadFetcher } from '../../src/node/velero/downloadFetcher';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';

const signal = new AbortController().signal;

describe('B80: a restore that ends PartiallyFailed', () => {
  let fake: FakeKube;
  let client: KubeClient;
  let dir: string;
  const logLines: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-b80-'));
    fake = await startFakeKube({ tls: 'tls', token: 'b80-token', seed: 'demo', veleroController: { stepMs: 30 } });
    const path = join(dir, 'kubeconfig.yaml');
    writeFileSync(path, fake.kubeconfig());
    const config = await loadKubeconfigs([path]);
    client = await new SdkKubeClientFactory({
      requestTimeoutMs: () => 5000,
      approvals: { isApproved: () => true, approve: () => Promise.resolve() },
      isTrusted: () => true,
      onRequest: (l) => logLines.push(l),
    }).createClient(resolveContext(config, config.contexts[0]?.name ?? ''));
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('B80: PartiallyFailed is a warning, never a success; Describe lists each failed item and groups the "already exists" warnings', async () => {
    const body = buildRestore({
      name: 'shop-partial',
      veleroNamespace: 'velero',
      backupName: 'manual-before-upgrade',
      includedNamespaces: ['shop'],
      namespaceMapping: { shop: 'shop-copy' },
      existingResourcePolicy: 'none',
      restorePVs: true,
    });
    const metadata = { ...(body.metadata as object), annotations: { 'fake.velero.io/outcome': 'PartiallyFailed' } };
    await client.createObject(veleroKinds.restore, 'velero', { ...body, metadata }, { signal });
    const finished = await followRestore(client, 'velero', 'shop-partial', { signal, pollMs: 10 });
    assert.equal(finished.phase, 'PartiallyFailed');

    const outcome = restoreOutcome(finished);
    assert.equal(outcome.severity, 'warning');
    assert.doesNotMatch(outcome.message, /completed|success/i);
    assert.match(
      outcome.message,
      /^Restore "shop-partial" partially failed \(\d+\/\d+ items, 2 errors, 3 warnings\): Describe it for the table of failed items and warnings\.$/,
    );

    fake.clearRequests();
    logLines.length = 0;
    const served = fake.velero?.downloadsServed ?? 0;
    const results = await loadVeleroResults(
      client,
      'velero',
      { kind: 'RestoreResults', name: 'shop-partial' },
      createDownloadFetcher({ timeoutMs: 5000 }),
      { signal, pollMs: 20 },
    );
    assert.equal(fake.velero?.downloadsServed, served + 1, 'fetched from the signed URL (gzip)');
    const posted = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/downloadrequests'));
    assert.deepEqual((JSON.parse(posted[0]?.body ?? '{}') as { spec?: unknown }).spec, {
      target: { kind: 'RestoreResults', name: 'shop-partial' },
    });
    assert.equal(fake.list('velero.io/v1', 'DownloadRequest', 'velero').length, 0, 'the DownloadRequest is cleaned up');
    assert.ok(!logLines.some((l) => l.includes('X-Amz-Signature')), 'the signed URL is never logged');

    assert.deepEqual(
      results.errors.map((e) => [e.scope, e.message.split(':')[0]]),
      [
        ['Namespace shop-copy', 'error restoring pods/shop-copy/cart-0'],
        ['Namespace shop-copy', 'error restoring persistentvolumeclaims/shop-copy/data'],
      ],
    );
    assert.equal(results.warnings.length, 3);

    const restore = await client.getObject(veleroKinds.restore, 'velero', 'shop-partial', { signal });
    const text = describeVeleroObject(restore, 'fake', results);
    assert.match(text, /- Phase: \*\*PartiallyFailed\*\*/);
    assert.match(text, /## Errors \(2\)\n\n\| Scope \| Message \|\n\|---\|---\|\n/);
    assert.match(
      text,
      /\| Namespace shop-copy \| error restoring pods\/shop-copy\/cart-0: pods "cart-0" is forbidden: violates PodSecurity/,
    );
    assert.match(text, /\| Namespace shop-copy \| error restoring persistentvolumeclaims\/shop-copy\/data: .*exceeded quota: storage \|/);
    assert.match(text, /## Warnings \(3\)/);
    assert.match(
      text,
      /\| Namespace shop-copy \| 2 objects already exist in the cluster and were left as they are: ConfigMap "app-config", Service "cart" \|/,
    );
    assert.match(
      text,
      /\| Cluster \| 1 object already exists in the cluster and was left as it is: CustomResourceDefinition "widgets.example.com" \|/,
    );
  });
});
