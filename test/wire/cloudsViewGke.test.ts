// The Clouds view's loader, Connect's entries and `clusters list` over the real GKE provider and its loopback
// fake: the cloud-agnostic half fed by a real provider (the in-memory double drives the rest of the tests).
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudTreeNode } from '../../src/core/clouds/cloudTree';
import { presentCloudNode } from '../../src/core/clouds/cloudTree';
import { CloudTreeLoader } from '../../src/core/clouds/cloudTreeLoader';
import { buildKubeconfigEntry, mergeKubeconfigEntry } from '../../src/core/clouds/kubeconfigEntry';
import { mergeKubeconfigs } from '../../src/core/kube/kubeconfig';
import { clustersCommand } from '../../src/cli/clustersCommand';
import { CloudRegistry, type CloudLoaders } from '../../src/node/clouds/cloudRegistry';
import { createGkeProvider } from '../../src/node/clouds/gke/gkeProvider';
import { startGkeFake, type GkeFake } from '../fakes/clouds/gkeFake';

const SA = 'clouds-view@p1.iam.gserviceaccount.com';
let fake: GkeFake;
let dir = '';
let loaders: CloudLoaders = {};

before(async () => {
  fake = await startGkeFake();
  dir = mkdtempSync(join(tmpdir(), 'cd-cloudsview-gke-'));
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  fake.trustServiceAccount(SA, publicKey);
  const keyFile = join(dir, 'sa.json');
  writeFileSync(
    keyFile,
    JSON.stringify({
      type: 'service_account',
      project_id: 'p1',
      private_key_id: 'k1',
      private_key: privateKey,
      client_email: SA,
      token_uri: fake.tokenUrl,
    }),
  );
  fake.addProject({ projectId: 'p1', projectNumber: '100000000001', displayName: 'Project One' });
  fake.addCluster('p1', {
    name: 'web',
    location: 'europe-west1',
    status: 'RUNNING',
    currentMasterVersion: '1.30.5-gke.1014001',
    endpoint: '34.1.2.3',
    masterAuth: { clusterCaCertificate: Buffer.from('CA').toString('base64') },
    currentNodeCount: 3,
    nodePools: [
      {
        name: 'default-pool',
        config: { machineType: 'e2-standard-4' },
        initialNodeCount: 1,
        autoscaling: { enabled: true, minNodeCount: 1, maxNodeCount: 3 },
        version: '1.30.5-gke.1014001',
        status: 'RUNNING',
      },
    ],
  });
  const gke = () =>
    createGkeProvider({
      apiEndpoint: fake.url,
      resourceManagerEndpoint: fake.url,
      credentialsFile: keyFile,
      env: { HOME: dir },
      requestTimeoutMs: 5_000,
    });
  loaders = { gke: () => Promise.resolve(gke()) };
});
after(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the view lists project → location → cluster → node pools from the real provider, linked to a kubeconfig context', async () => {
  const loader = new CloudTreeLoader({
    source: new CloudRegistry({ loaders }),
    kubeContexts: () => Promise.resolve([{ name: 'web-ctx', clusterName: 'gke_p1_europe-west1_web', server: '' }]),
  });
  const [cloud] = await loader.children(undefined);
  const [project] = await loader.children(cloud);
  assert.equal(project?.kind === 'account' && project.account.id, 'p1');
  const scopes = await loader.children(project);
  const location = scopes.find((n) => n.kind === 'scope');
  assert.equal(location?.kind === 'scope' && location.scope, 'europe-west1');
  const [cluster] = await loader.children(location);
  assert.ok(cluster?.kind === 'cluster');
  assert.equal(cluster.kubeContext, 'web-ctx');
  assert.match(presentCloudNode(cluster).description ?? '', /^RUNNING · 1\.30\.5-gke\.1014001 · .*3 nodes · in kubeconfig as web-ctx$/);
  const [pools] = await loader.children(cluster);
  const listed: CloudTreeNode[] = await loader.children(pools);
  assert.equal(presentCloudNode(listed[0]!).description?.startsWith('e2-standard-4 · 1 ≤ '), true);

  // Connect's entries from what the provider reported: gke_ naming, https endpoint, CA data.
  const entry = buildKubeconfigEntry(cluster.cluster, {
    standardPluginAvailable: false,
    ownCommand: { command: 'node', leadingArgs: ['cli.js'] },
  });
  const merged = mergeKubeconfigEntry('', entry);
  assert.equal(merged.kind, 'added');
  const config = mergeKubeconfigs([{ path: '/k', text: merged.kind === 'added' ? merged.text : '' }]);
  assert.equal(config.contexts[0]?.name, 'gke_p1_europe-west1_web');
  assert.equal(config.clusters.get('gke_p1_europe-west1_web')?.server, 'https://34.1.2.3');
  assert.deepEqual(config.users.get('gke_p1_europe-west1_web')?.exec?.args, [
    'cli.js',
    'token',
    'gke',
    '--cluster',
    'web',
    '--location',
    'europe-west1',
    '--project',
    'p1',
  ]);
});

test('clusters list --cloud gke --format json over the real provider', async () => {
  let out = '';
  const io = {
    out: (s: string) => (out += s),
    err: () => undefined,
    cwd: dir,
    isTty: false,
    readStdin: () => Promise.resolve(''),
    version: '0',
  };
  const code = await clustersCommand(['list', '--cloud', 'gke', '--format', 'json'], io, { env: { HOME: dir }, loaders });
  assert.equal(code, 0);
  const parsed = JSON.parse(out) as {
    clusters: { name: string; location?: string; nodePools: { name: string; min?: number; max?: number }[] }[];
  };
  assert.deepEqual(
    parsed.clusters.map((c) => [c.name, c.location, c.nodePools.map((p) => `${p.name} ${p.min}-${p.max}`)]),
    [['web', 'europe-west1', ['default-pool 1-3']]],
  );
});
