// Catalogue row B77 (Velero version skew) against the fake API server and its Velero controller: the version is
// what the server itself reports through a ServerStatusRequest (created, read, deleted), with its plugins shown;
// the image tag is only the fallback; options the server does not know (existingResourcePolicy before 1.9) hide.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeClient } from '../../src/core/kube/kubeClient';
import { resolveContext } from '../../src/core/kube/kubeconfig';
import { contextChildren, presentNode } from '../../src/core/velero/backupNodes';
import { supportsExistingResourcePolicy } from '../../src/core/velero/restorePlan';
import { detectVelero, loadVeleroSnapshot } from '../../src/core/velero/veleroSnapshot';
import { loadKubeconfigs } from '../../src/node/kube/kubeconfigFiles';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { startFakeKube, type FakeKube, type KubeObject } from '../fakes/kubeApiServer';

const signal = new AbortController().signal;

describe('B77: the Velero server version comes from a ServerStatusRequest', () => {
  let fake: FakeKube;
  let dir: string;
  let original: KubeObject;
  let clients = 0;

  /** A new client each time: the server's answer is cached per client. */
  async function newClient(): Promise<KubeClient> {
    const path = join(dir, `kubeconfig-${++clients}.yaml`);
    writeFileSync(path, fake.kubeconfig());
    const config = await loadKubeconfigs([path]);
    return new SdkKubeClientFactory({
      requestTimeoutMs: () => 5000,
      approvals: { isApproved: () => true, approve: () => Promise.resolve() },
      isTrusted: () => true,
      allowPlainHttp: (name) => name === 'fake', // the fake is plain http (B14 opt-in)
    }).createClient(resolveContext(config, config.contexts[0]?.name ?? ''));
  }

  /** Changes the velero Deployment (image, annotations, plugin init containers). */
  function setServer(image: string, annotations: Record<string, string>, initImages: string[]): void {
    const d = structuredClone(original);
    d.metadata.annotations = annotations;
    delete d.metadata.resourceVersion;
    const pod = (d['spec'] as { template: { spec: Record<string, unknown> } }).template.spec;
    (pod['containers'] as { image: string }[])[0]!.image = image;
    pod['initContainers'] = initImages.map((i, n) => ({ name: `plugin-${n}`, image: i }));
    fake.upsert(d);
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-b77-'));
    fake = await startFakeKube({ seed: 'demo', veleroController: { stepMs: 30 } });
    original = structuredClone(fake.get('apps/v1', 'Deployment', 'velero', 'velero')!);
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('B77: the version and plugins are what the server reports; the request is created, read and deleted', async () => {
    setServer('velero/velero:v1.18.1', {}, ['velero/velero-plugin-for-aws:v1.13.0', 'velero/velero-plugin-for-gcp:v1.13.0']);
    fake.clearRequests();
    const install = await detectVelero(await newClient(), 'velero', signal, { pollMs: 20 });
    assert.equal(install.state, 'installed');
    assert.ok(install.state === 'installed');
    assert.equal(install.version, 'v1.18.1');
    assert.equal(install.versionSource, 'server');
    assert.deepEqual(install.plugins, [
      { name: 'velero.io/aws', kind: 'ObjectStore' },
      { name: 'velero.io/aws', kind: 'VolumeSnapshotter' },
      { name: 'velero.io/gcp', kind: 'ObjectStore' },
      { name: 'velero.io/gcp', kind: 'VolumeSnapshotter' },
    ]);
    const posted = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/namespaces/velero/serverstatusrequests'));
    assert.equal(posted.length, 1);
    assert.deepEqual(JSON.parse(posted[0]?.body ?? '{}'), {
      apiVersion: 'velero.io/v1',
      kind: 'ServerStatusRequest',
      metadata: { generateName: 'clusterdeck-', namespace: 'velero' },
      spec: {},
    });
    assert.ok(fake.requests.some((r) => r.method === 'DELETE' && r.path.includes('/serverstatusrequests/clusterdeck-')));
    assert.equal(fake.list('velero.io/v1', 'ServerStatusRequest', 'velero').length, 0, 'nothing left behind');

    // The Backups view shows where the version comes from and the plugins.
    const snapshot = await loadVeleroSnapshot(await newClient(), 'velero', signal);
    const installNode = contextChildren('fake', snapshot).find((n) => n.kind === 'install');
    assert.ok(installNode);
    const tooltip = (presentNode(installNode, Date.now()).tooltip ?? '').replace(/\\(.)/g, '$1'); // Markdown escapes off
    assert.match(tooltip, /Version: v1\.18\.1 \(reported by the server\)/);
    assert.match(
      tooltip,
      /Plugins: velero\.io\/aws \(ObjectStore\), velero\.io\/aws \(VolumeSnapshotter\), velero\.io\/gcp \(ObjectStore\)/,
    );
  });

  test('B77: a server older than its image tag says so, and existingResourcePolicy is hidden for it', async () => {
    // A custom build tagged like a new release, actually 1.8: the tag would offer an option the server ignores.
    setServer('registry.example/velero:v1.18.1-custom', { 'fake.velero.io/server-version': 'v1.8.2' }, []);
    const install = await detectVelero(await newClient(), 'velero', signal, { pollMs: 20 });
    assert.ok(install.state === 'installed');
    assert.equal(install.version, 'v1.8.2');
    assert.equal(install.versionSource, 'server');
    assert.equal(supportsExistingResourcePolicy(install.version), false);
    // A digest-pinned image has no tag at all: only the server can tell.
    setServer('velero/velero@sha256:0123456789abcdef', { 'fake.velero.io/server-version': 'v1.12.0' }, []);
    const pinned = await detectVelero(await newClient(), 'velero', signal, { pollMs: 20 });
    assert.ok(pinned.state === 'installed');
    assert.equal(pinned.version, 'v1.12.0');
  });

  test('B77: a read-only context creates no ServerStatusRequest: the image tag gives the version', async () => {
    setServer('velero/velero:v1.11.0', { 'fake.velero.io/server-version': 'v1.11.1' }, []);
    fake.clearRequests();
    const install = await detectVelero(await newClient(), 'velero', signal, { askServer: false });
    assert.ok(install.state === 'installed');
    assert.equal(install.version, 'v1.11.0');
    assert.equal(install.versionSource, 'image');
    assert.deepEqual(
      fake.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`),
      [],
    );
  });

  test('B77: when the server does not answer (request refused), the image tag is the fallback, said as such', async () => {
    setServer('velero/velero:v1.10.3', {}, []);
    const unforbid = fake.forbid({ verb: 'create', resource: 'serverstatusrequests' });
    try {
      const install = await detectVelero(await newClient(), 'velero', signal, { pollMs: 20 });
      assert.ok(install.state === 'installed');
      assert.equal(install.version, 'v1.10.3');
      assert.equal(install.versionSource, 'image');
      assert.equal(install.plugins, undefined);
      const snapshot = await loadVeleroSnapshot(await newClient(), 'velero', signal);
      const node = contextChildren('fake', snapshot).find((n) => n.kind === 'install');
      assert.ok(node);
      const tooltip = (presentNode(node, Date.now()).tooltip ?? '').replace(/\\(.)/g, '$1');
      assert.match(tooltip, /Version: v1\.10\.3 \(from the server image tag\)/);
    } finally {
      unforbid();
    }
  });
});
