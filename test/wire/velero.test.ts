// Velero through our KubeClient (listObjects/createObject) against the fake API server and its Velero controller:
// detection, the view's snapshot, every action's request body, phase transitions, deletion by request, logs.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterDeckError } from '../../src/core/errors';
import { resolveContext } from '../../src/core/kube/kubeconfig';
import type { KubeClient } from '../../src/core/kube/kubeClient';
import { contextChildren, groupChildren, presentNode } from '../../src/core/velero/backupNodes';
import {
  downloadVeleroFile,
  followBackup,
  followRestore,
  loadBackupResourceList,
  requestBackupDeletion,
} from '../../src/core/velero/veleroActions';
import { buildRestore, latestScheduleBackup, previewRestore } from '../../src/core/velero/restorePlan';
import { applyVeleroEvent } from '../../src/core/velero/veleroLive';
import { toBackupSummary } from '../../src/core/velero/veleroModel';
import { runWatchLoop } from '../../src/core/kube/watchLoop';
import { veleroKinds } from '../../src/core/velero/veleroKinds';
import { buildBackup, buildBackupFromSchedule } from '../../src/core/velero/veleroRequests';
import { listAll, listAllVersioned, loadVeleroSnapshot } from '../../src/core/velero/veleroSnapshot';
import { loadKubeconfigs } from '../../src/node/kube/kubeconfigFiles';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { createDownloadFetcher } from '../../src/node/velero/downloadFetcher';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';

const TOKEN = 'velero-wire-token-0a9b8c';
const signal = new AbortController().signal;

async function clientFor(fake: FakeKube, dir: string, logLines: string[]): Promise<KubeClient> {
  const path = join(dir, `kubeconfig-${fake.port}.yaml`);
  writeFileSync(path, fake.kubeconfig());
  const config = await loadKubeconfigs([path]);
  const factory = new SdkKubeClientFactory({
    requestTimeoutMs: () => 5000,
    approvals: { isApproved: () => true, approve: () => Promise.resolve() },
    isTrusted: () => true,
    allowPlainHttp: (name) => name === 'fake', // the detection tests' fakes are plain http (B14 opt-in)
    onRequest: (l) => logLines.push(l),
  });
  return factory.createClient(resolveContext(config, config.contexts[0]?.name ?? ''));
}

const bodiesOf = (fake: FakeKube, method: string, plural: string): Record<string, unknown>[] =>
  fake.requests
    .filter((r) => r.method === method && r.path.endsWith(`/${plural}`))
    .map((r) => JSON.parse(r.body) as Record<string, unknown>);

describe('Velero against the fake API server', () => {
  let fake: FakeKube;
  let client: KubeClient;
  let dir: string;
  const logLines: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-velero-'));
    fake = await startFakeKube({ tls: 'tls', token: TOKEN, seed: 'demo', veleroController: { stepMs: 40 } });
    client = await clientFor(fake, dir, logLines);
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the view of the demo cluster: installed with version, all five kinds, schedules with next runs', async () => {
    const snapshot = await loadVeleroSnapshot(client, 'velero', signal);
    assert.equal(snapshot.install.state, 'installed');
    assert.equal(snapshot.install.state === 'installed' && snapshot.install.version, 'v1.18.1');
    assert.ok(snapshot.backups.length >= 4);
    assert.ok(snapshot.backups.some((b) => b.phase === 'PartiallyFailed' && b.errors === 2));
    assert.equal(snapshot.restores.length, 1);
    assert.deepEqual(
      snapshot.schedules.map((s) => s.name),
      ['daily-shop', 'hourly-payments'],
    );
    assert.equal(snapshot.storageLocations[0]?.phase, 'Available');
    assert.equal(snapshot.snapshotLocations.length, 1);
    const nodes = contextChildren('demo', snapshot);
    assert.deepEqual(
      nodes.map((n) => presentNode(n, Date.now()).label),
      ['Velero v1.18.1', 'Backups', 'Restores', 'Schedules', 'Backup Storage Locations', 'Volume Snapshot Locations'],
    );
    const schedules = nodes.find((n) => n.kind === 'group' && n.group === 'schedules')!;
    const daily = groupChildren(schedules, Date.now())[0]!;
    assert.match(presentNode(daily, Date.now()).description ?? '', /Every day at 01:00 \(UTC\)/);
    assert.equal(groupChildren(daily, Date.now()).length, 3);
  });

  test('Back up now: the request body, then New → InProgress (progress moving) → Completed', async () => {
    fake.clearRequests();
    const body = buildBackup({
      name: 'shop-now',
      veleroNamespace: 'velero',
      includedNamespaces: ['shop'],
      excludedResources: ['events'],
      labelSelector: 'app=cart',
      snapshotVolumes: false,
      defaultVolumesToFsBackup: true,
      ttl: '72h0m0s',
      storageLocation: 'default',
    });
    await client.createObject(veleroKinds.backup, 'velero', body, { signal });
    const [sent] = bodiesOf(fake, 'POST', 'backups');
    assert.deepEqual(sent, {
      apiVersion: 'velero.io/v1',
      kind: 'Backup',
      metadata: { name: 'shop-now', namespace: 'velero', labels: { 'app.kubernetes.io/managed-by': 'clusterdeck' } },
      spec: {
        includedNamespaces: ['shop'],
        excludedResources: ['events'],
        labelSelector: { matchLabels: { app: 'cart' } },
        snapshotVolumes: false,
        defaultVolumesToFsBackup: true,
        ttl: '72h0m0s',
        storageLocation: 'default',
      },
    });
    assert.equal(fake.requests.find((r) => r.method === 'POST')?.query.fieldManager, 'clusterdeck');
    const seen: string[] = [];
    const done = await followBackup(client, 'velero', 'shop-now', {
      signal,
      pollMs: 10,
      onUpdate: (b) => seen.push(`${b.phase}:${b.itemsBackedUp ?? ''}`),
    });
    assert.equal(done.phase, 'Completed');
    assert.ok(done.totalItems && done.totalItems > 5 && done.itemsBackedUp === done.totalItems);
    assert.ok(
      seen.some((s) => s.startsWith('InProgress:') && s !== `InProgress:${done.totalItems}`),
      seen.join(' '),
    );
    assert.ok(done.expiresAt, 'expiration set from the TTL');
  });

  test('dry run goes to the server with dryRun=All and stores nothing', async () => {
    fake.clearRequests();
    await client.createObject(
      veleroKinds.backup,
      'velero',
      buildBackup({ name: 'dry', veleroNamespace: 'velero', includedNamespaces: [], ttl: '1h' }),
      {
        signal,
        dryRun: true,
      },
    );
    assert.equal(fake.requests[0]?.query.dryRun, 'All');
    assert.equal(fake.get('velero.io/v1', 'Backup', 'velero', 'dry'), undefined);
  });

  test('a backup to a storage location that does not exist fails validation with the reason', async () => {
    await client.createObject(
      veleroKinds.backup,
      'velero',
      buildBackup({ name: 'bad-bsl', veleroNamespace: 'velero', includedNamespaces: ['shop'], ttl: '1h', storageLocation: 'nowhere' }),
      { signal },
    );
    const b = await followBackup(client, 'velero', 'bad-bsl', { signal, pollMs: 10 });
    assert.equal(b.phase, 'FailedValidation');
    assert.match(b.validationErrors.join(' '), /"nowhere" not found/);
  });

  test('a backup against an Unavailable storage location fails validation', async () => {
    const bsl = fake.get('velero.io/v1', 'BackupStorageLocation', 'velero', 'default')!;
    fake.upsert({
      ...bsl,
      metadata: { ...bsl.metadata, name: 'broken' },
      spec: { ...(bsl['spec'] as object), default: false },
      status: { phase: 'Unavailable', message: 'NoSuchBucket' },
    });
    await client.createObject(
      veleroKinds.backup,
      'velero',
      buildBackup({ name: 'unavailable', veleroNamespace: 'velero', includedNamespaces: ['shop'], ttl: '1h', storageLocation: 'broken' }),
      { signal },
    );
    const b = await followBackup(client, 'velero', 'unavailable', { signal, pollMs: 10 });
    assert.equal(b.phase, 'FailedValidation');
    assert.match(b.validationErrors.join(' '), /Unavailable/);
  });

  test('Failed and PartiallyFailed backups end with errors', async () => {
    for (const outcome of ['Failed', 'PartiallyFailed']) {
      const body = buildBackup({ name: `x-${outcome.toLowerCase()}`, veleroNamespace: 'velero', includedNamespaces: ['shop'], ttl: '1h' });
      (body.metadata as { annotations?: object }).annotations = { 'fake.velero.io/outcome': outcome };
      await client.createObject(veleroKinds.backup, 'velero', body, { signal });
      const b = await followBackup(client, 'velero', `x-${outcome.toLowerCase()}`, { signal, pollMs: 10 });
      assert.equal(b.phase, outcome);
      assert.ok(b.errors > 0);
    }
  });

  test('Delete backup: a DeleteBackupRequest with the backup labels removes the Backup; the Backup is never DELETEd', async () => {
    fake.clearRequests();
    const backup = fake.get('velero.io/v1', 'Backup', 'velero', 'shop-now')!;
    const name = await requestBackupDeletion(client, 'velero', { name: 'shop-now', uid: backup.metadata.uid ?? '' }, signal);
    assert.match(name, /^shop-now-/);
    const list = fake.requests.find((r) => r.method === 'GET' && r.path.endsWith('/deletebackuprequests'));
    assert.equal(list?.query.labelSelector, `velero.io/backup-name=shop-now,velero.io/backup-uid=${backup.metadata.uid}`);
    assert.deepEqual(bodiesOf(fake, 'POST', 'deletebackuprequests')[0], {
      apiVersion: 'velero.io/v1',
      kind: 'DeleteBackupRequest',
      metadata: {
        generateName: 'shop-now-',
        namespace: 'velero',
        labels: { 'velero.io/backup-name': 'shop-now', 'velero.io/backup-uid': backup.metadata.uid },
      },
      spec: { backupName: 'shop-now' },
    });
    // A second request while the first is pending is refused.
    await assert.rejects(
      requestBackupDeletion(client, 'velero', { name: 'shop-now', uid: backup.metadata.uid ?? '' }, signal),
      (e: unknown) => e instanceof ClusterDeckError && e.reason === 'conflict',
    );
    for (let i = 0; i < 100 && fake.get('velero.io/v1', 'Backup', 'velero', 'shop-now'); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(fake.get('velero.io/v1', 'Backup', 'velero', 'shop-now'), undefined);
    assert.equal(fake.requests.filter((r) => r.method === 'DELETE' && r.path.includes('/backups/')).length, 0);
  });

  test('Logs: DownloadRequest → signed URL → gunzipped text; the request is deleted; the URL is never logged', async () => {
    fake.clearRequests();
    logLines.length = 0;
    const text = await downloadVeleroFile(
      client,
      'velero',
      { kind: 'BackupLog', name: 'bad-bsl' },
      createDownloadFetcher({ timeoutMs: 5000 }),
      {
        signal,
        pollMs: 20,
      },
    );
    assert.match(text, /level=error msg="an existing backup storage location/);
    assert.deepEqual(bodiesOf(fake, 'POST', 'downloadrequests')[0], {
      apiVersion: 'velero.io/v1',
      kind: 'DownloadRequest',
      metadata: { generateName: 'bad-bsl-log-', namespace: 'velero' },
      spec: { target: { kind: 'BackupLog', name: 'bad-bsl' } },
    });
    assert.equal(fake.velero?.downloadsServed, 1);
    assert.equal(fake.list('velero.io/v1', 'DownloadRequest', 'velero').length, 0, 'the request was cleaned up');
    assert.ok(fake.requests.some((r) => r.method === 'DELETE' && r.path.includes('/downloadrequests/')));
    assert.ok(!logLines.some((l) => l.includes('X-Amz-Signature') || l.includes(fake.velero!.downloadBaseUrl)), logLines.join('\n'));
  });

  test('Logs: a DownloadRequest that never gets a URL times out with a clear message and is cleaned up', async () => {
    fake.velero!.stallDownloads(true);
    try {
      await assert.rejects(
        downloadVeleroFile(client, 'velero', { kind: 'BackupLog', name: 'bad-bsl' }, createDownloadFetcher({ timeoutMs: 5000 }), {
          signal,
          timeoutMs: 300,
          pollMs: 50,
        }),
        (e: unknown) =>
          e instanceof ClusterDeckError &&
          e.reason === 'timeout' &&
          /did not provide a download link for the log of backup "bad-bsl" within 0 s/.test(e.message) &&
          /backup storage location is Available/.test(e.message),
      );
      assert.equal(fake.list('velero.io/v1', 'DownloadRequest', 'velero').length, 0);
    } finally {
      fake.velero!.stallDownloads(false);
    }
  });

  test('Schedules create Backups: on creation (named <schedule>-<stamp>, labelled) and from "back up now"', async () => {
    await client.createObject(
      veleroKinds.schedule,
      'velero',
      {
        apiVersion: 'velero.io/v1',
        kind: 'Schedule',
        metadata: { name: 'nightly', namespace: 'velero' },
        spec: { schedule: '0 3 * * *', template: { includedNamespaces: ['shop'], ttl: '168h' } },
      },
      { signal },
    );
    let backups: Record<string, unknown>[] = [];
    for (let i = 0; i < 100 && backups.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      backups = fake.list('velero.io/v1', 'Backup', 'velero').filter((b) => b.metadata.labels?.['velero.io/schedule-name'] === 'nightly');
    }
    assert.equal(backups.length, 1);
    assert.match(String((backups[0]?.metadata as { name?: string }).name), /^nightly-\d{14}$/);
    assert.equal(
      fake.get('velero.io/v1', 'Schedule', 'velero', 'nightly')?.['status'] &&
        (fake.get('velero.io/v1', 'Schedule', 'velero', 'nightly')!['status'] as { phase?: string }).phase,
      'Enabled',
    );
    const fromSchedule = buildBackupFromSchedule(
      'nightly',
      { includedNamespaces: ['shop'], ttl: '168h' },
      'velero',
      Date.UTC(2026, 10, 27, 3, 0, 0),
    );
    assert.equal((fromSchedule.metadata as { name: string }).name, 'nightly-20261127030000');
    await client.createObject(veleroKinds.backup, 'velero', fromSchedule, { signal });
    const b = await followBackup(client, 'velero', 'nightly-20261127030000', { signal, pollMs: 10 });
    assert.equal(b.phase, 'Completed');
    assert.equal(b.scheduleName, 'nightly');
  });

  test('Restore: the preview counts what already exists in each target; the Restore body; Completed into a mapped namespace', async () => {
    const fetcher = createDownloadFetcher({ timeoutMs: 5000 });
    const list = await loadBackupResourceList(client, 'velero', 'manual-before-upgrade', fetcher, { signal, pollMs: 20 });
    const inShop = Object.values(list)
      .flat()
      .filter((i) => i.startsWith('shop/')).length;
    assert.ok(inShop > 5, JSON.stringify(list));
    const live = new Set(fake.list('v1', 'Namespace').map((n) => n.metadata.name ?? ''));
    const [same] = await previewRestore(client, list, ['shop'], {}, live, signal);
    assert.deepEqual(same, { source: 'shop', target: 'shop', targetExists: true, total: inShop, existing: inShop, unchecked: 0 });
    const [mapped] = await previewRestore(client, list, ['shop'], { shop: 'shop-restore' }, live, signal);
    assert.deepEqual(mapped, { source: 'shop', target: 'shop-restore', targetExists: false, total: inShop, existing: 0, unchecked: 0 });

    fake.clearRequests();
    const body = buildRestore({
      name: 'restore-mapped',
      veleroNamespace: 'velero',
      backupName: 'manual-before-upgrade',
      includedNamespaces: ['shop'],
      namespaceMapping: { shop: 'shop-restore' },
      existingResourcePolicy: 'none',
      restorePVs: true,
    });
    await client.createObject(veleroKinds.restore, 'velero', body, { signal });
    assert.deepEqual(bodiesOf(fake, 'POST', 'restores')[0], body);
    const r = await followRestore(client, 'velero', 'restore-mapped', { signal, pollMs: 10 });
    assert.equal(r.phase, 'Completed');
    assert.equal(r.itemsRestored, r.totalItems);
    assert.ok(fake.get('v1', 'Namespace', undefined, 'shop-restore'), 'the mapped namespace exists');

    await client.createObject(
      veleroKinds.restore,
      'velero',
      buildRestore({
        ...{ name: 'restore-missing', veleroNamespace: 'velero', backupName: 'nope', includedNamespaces: [], namespaceMapping: {} },
        existingResourcePolicy: 'none',
        restorePVs: true,
      }),
      { signal },
    );
    const missing = await followRestore(client, 'velero', 'restore-missing', { signal, pollMs: 10 });
    assert.equal(missing.phase, 'FailedValidation');
    assert.match(missing.validationErrors.join(' '), /"nope" not found/);
  });

  test('Restore from a schedule: the Restore names the schedule and Velero uses its latest Completed backup', async () => {
    // The "nightly" schedule of the previous test has Completed backups by now.
    const all = (await listAll(client, veleroKinds.backup, 'velero', signal)).map(toBackupSummary);
    const latest = latestScheduleBackup(all, 'nightly');
    assert.ok(latest, 'nightly has a completed backup');
    fake.clearRequests();
    const options = {
      name: 'restore-nightly',
      veleroNamespace: 'velero',
      scheduleName: 'nightly',
      includedNamespaces: ['shop'],
      namespaceMapping: { shop: 'shop-nightly' },
      excludedResources: ['configmap'],
      existingResourcePolicy: 'none' as const,
      restorePVs: false,
    };
    await client.createObject(veleroKinds.restore, 'velero', buildRestore(options), { signal });
    const sent = bodiesOf(fake, 'POST', 'restores')[0];
    assert.deepEqual(sent?.['spec'], {
      scheduleName: 'nightly',
      includedNamespaces: ['shop'],
      namespaceMapping: { shop: 'shop-nightly' },
      excludedResources: ['configmap'],
      existingResourcePolicy: 'none',
      restorePVs: false,
    });
    const r = await followRestore(client, 'velero', 'restore-nightly', { signal, pollMs: 10 });
    assert.equal(r.phase, 'Completed');
    assert.equal(r.backupName, latest.name, 'the controller resolved the schedule to the backup we previewed');

    await client.createObject(
      veleroKinds.restore,
      'velero',
      buildRestore({ ...options, name: 'restore-no-runs', scheduleName: 'never-ran' }),
      { signal },
    );
    const none = await followRestore(client, 'velero', 'restore-no-runs', { signal, pollMs: 10 });
    assert.equal(none.phase, 'FailedValidation');
  });

  test('live: watches keep a snapshot current; a backup seen running is reported finished once', async () => {
    const snapshot0 = await loadVeleroSnapshot(client, 'velero', signal);
    assert.ok(snapshot0.resourceVersions?.backups, 'the list gives the watch its starting version');
    let snapshot = snapshot0;
    const finished: string[] = [];
    const controller = new AbortController();
    const loop = runWatchLoop(
      {
        relist: async (s) => (await listAllVersioned(client, veleroKinds.backup, 'velero', s)).resourceVersion,
        watch: (rv, s, onEvent) =>
          client.watch(veleroKinds.backup, 'velero', { signal: s, ...(rv ? { resourceVersion: rv } : {}), onEvent }),
        onEvent: (e) => {
          const u = applyVeleroEvent(snapshot, 'backups', e);
          snapshot = u.snapshot;
          if (u.finished) finished.push(`${u.finished.item.name}:${u.finished.item.phase}`);
        },
        onStopped: () => undefined,
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      },
      controller.signal,
      { resourceVersion: snapshot0.resourceVersions?.backups ?? '' },
    );
    try {
      fake.clearRequests();
      await client.createObject(
        veleroKinds.backup,
        'velero',
        buildBackup({ name: 'live-watched', veleroNamespace: 'velero', includedNamespaces: ['payments'], ttl: '24h' }),
        { signal },
      );
      const progress = new Set<string>();
      for (let i = 0; i < 200 && finished.length === 0; i++) {
        const b = snapshot.backups.find((x) => x.name === 'live-watched');
        if (b) progress.add(`${b.phase}:${b.itemsBackedUp ?? ''}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.deepEqual(finished, ['live-watched:Completed']);
      assert.ok(
        [...progress].some((p) => p.startsWith('InProgress')),
        `progress seen: ${[...progress].join(', ')}`,
      );
      // Live means watch, not polling: no GET of the backup itself was needed.
      assert.equal(fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/backups/live-watched')).length, 0);
    } finally {
      controller.abort();
      await loop;
    }
  });

  test('an invalid schedule fails validation', async () => {
    await client.createObject(
      veleroKinds.schedule,
      'velero',
      {
        apiVersion: 'velero.io/v1',
        kind: 'Schedule',
        metadata: { name: 'broken', namespace: 'velero' },
        spec: { schedule: '61 * * * *', template: {} },
      },
      { signal },
    );
    for (let i = 0; i < 100; i++) {
      const phase = (fake.get('velero.io/v1', 'Schedule', 'velero', 'broken')?.['status'] as { phase?: string } | undefined)?.phase;
      if (phase) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const s = fake.get('velero.io/v1', 'Schedule', 'velero', 'broken')!['status'] as { phase?: string; validationErrors?: string[] };
    assert.equal(s.phase, 'FailedValidation');
    assert.match(s.validationErrors?.[0] ?? '', /above the minute range/);
  });
});

describe('Velero detection: not installed, old CRDs, no server', () => {
  test('no velero.io CRDs: not installed, a welcome node that explains what to do', async (t) => {
    const fake = await startFakeKube({ veleroCrds: false });
    const dir = mkdtempSync(join(tmpdir(), 'clusterdeck-velero-'));
    t.after(async () => {
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const client = await clientFor(fake, dir, []);
    const snapshot = await loadVeleroSnapshot(client, 'velero', signal);
    assert.equal(snapshot.install.state, 'notInstalled');
    const nodes = contextChildren('c', snapshot);
    assert.equal(nodes.length, 2);
    assert.equal(presentNode(nodes[0]!, 0).label, 'Velero is not installed');
    assert.match(nodes[1]?.kind === 'message' ? (nodes[1].detail ?? '') : '', /velero install/);
  });

  test('CRDs installed but no Velero server Deployment in the namespace: degraded, with the setting named', async (t) => {
    const fake = await startFakeKube({});
    const dir = mkdtempSync(join(tmpdir(), 'clusterdeck-velero-'));
    t.after(async () => {
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const snapshot = await loadVeleroSnapshot(await clientFor(fake, dir, []), 'velero', signal);
    assert.equal(snapshot.install.state, 'degraded');
    assert.match(
      snapshot.install.state === 'degraded' ? snapshot.install.problem : '',
      /no "velero" Deployment.*clusterdeck\.velero\.namespace/,
    );
  });

  test('CRDs of an older Velero (v1beta1 only): degraded, no lists attempted', async (t) => {
    const fake = await startFakeKube({});
    const dir = mkdtempSync(join(tmpdir(), 'clusterdeck-velero-'));
    t.after(async () => {
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const crd = fake.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, 'backups.velero.io')!;
    const spec = crd['spec'] as { versions: { name: string }[] };
    fake.upsert({ ...crd, spec: { ...spec, versions: spec.versions.map((v) => ({ ...v, name: 'v1beta1' })) } });
    fake.clearRequests();
    const snapshot = await loadVeleroSnapshot(await clientFor(fake, dir, []), 'velero', signal);
    assert.equal(snapshot.install.state, 'degraded');
    assert.match(snapshot.install.state === 'degraded' ? snapshot.install.problem : '', /older Velero .*serves v1beta1/);
    assert.ok(!fake.requests.some((r) => r.path.endsWith('/backups')));
  });
});
