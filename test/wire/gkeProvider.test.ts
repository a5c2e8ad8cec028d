// The GKE provider over the real @google-cloud/container client (REST fallback) and google-auth-library against
// the loopback Google fake: project search and its fallback, clusters across locations, node pools, add-ons,
// operations, upgrades, tokens from a verified JWT grant, error mapping, and no traffic without credentials.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import type { CloudCluster, CloudProvider } from '../../src/core/clouds/cloudProvider';
import { CancelledError, ClusterDeckError } from '../../src/core/errors';
import { createGkeProvider, parseEndpoint, type GkeProviderOptions } from '../../src/node/clouds/gke/gkeProvider';
import { main } from '../../src/cli/main';
import { startGkeFake, type GkeFake } from '../fakes/clouds/gkeFake';

const SA_EMAIL = 'clusterdeck-test@p1.iam.gserviceaccount.com';
const REFRESH_CANARY = 'refresh-canary-1d9f0c';
const SECRET_CANARY = 'client-secret-canary-77ab';

function keyPair() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

let issued: () => readonly string[] = () => [];

async function rejectsWith(p: Promise<unknown>, reason: string, message?: RegExp): Promise<ClusterDeckError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ClusterDeckError, `expected ClusterDeckError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    if (message) assert.match(e.message, message);
    const whole = inspect(e, { depth: 10 });
    for (const secret of [...issued(), REFRESH_CANARY, SECRET_CANARY, 'PRIVATE KEY'])
      assert.ok(!whole.includes(secret), 'no secret in the error');
    return e;
  }
  assert.fail(`expected a ${reason} failure`);
}

describe('GKE provider against the Google fake', () => {
  let fake: GkeFake;
  let dir: string;
  let keyFile: string;
  let wrongKeyFile: string;
  let privateKeyPem: string;
  const logLines: string[] = [];
  const provider = (o: Partial<GkeProviderOptions> = {}): CloudProvider =>
    createGkeProvider({
      apiEndpoint: fake.url,
      resourceManagerEndpoint: fake.url,
      credentialsFile: keyFile,
      env: { HOME: dir },
      requestTimeoutMs: 5_000,
      pollIntervalMs: 10,
      onRequest: (l) => logLines.push(l),
      ...o,
    });
  const cluster = async (p: CloudProvider, name: string): Promise<CloudCluster> => {
    const found = (await p.listClusters('p1', undefined)).flatMap((s) => s.items).find((c) => c.name === name);
    assert.ok(found, `cluster ${name} listed`);
    return found;
  };

  before(async () => {
    fake = await startGkeFake();
    issued = () => fake.issuedTokens;
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-gke-'));
    const good = keyPair();
    const wrong = keyPair();
    privateKeyPem = good.privateKey;
    fake.trustServiceAccount(SA_EMAIL, good.publicKey);
    const key = (pem: string) =>
      JSON.stringify({
        type: 'service_account',
        project_id: 'key-project',
        private_key_id: 'k1',
        private_key: pem,
        client_email: SA_EMAIL,
        client_id: '1234',
        token_uri: fake.tokenUrl,
      });
    keyFile = join(dir, 'sa.json');
    wrongKeyFile = join(dir, 'wrong.json');
    writeFileSync(keyFile, key(good.privateKey));
    writeFileSync(wrongKeyFile, key(wrong.privateKey));

    for (const [i, id] of ['p1', 'p2', 'p3'].entries())
      fake.addProject({ projectId: id, projectNumber: `10000000000${i}`, displayName: `Project ${id}` });
    fake.addProject({ projectId: 'p-gone', projectNumber: '100000000009', state: 'DELETE_REQUESTED' });
    const ca = Buffer.from('-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n').toString('base64');
    fake.addCluster('p1', {
      name: 'alpha',
      location: 'europe-west1',
      status: 'RUNNING',
      currentMasterVersion: '1.30.5-gke.1014001',
      endpoint: '34.1.2.3',
      masterAuth: { clusterCaCertificate: ca },
      privateClusterConfig: { enablePrivateNodes: true, privateEndpoint: '10.0.0.2', publicEndpoint: '34.1.2.3' },
      masterAuthorizedNetworksConfig: { enabled: true, cidrBlocks: [{ cidrBlock: '203.0.113.0/24', displayName: 'office' }] },
      currentNodeCount: 3,
      addonsConfig: {
        httpLoadBalancing: {},
        horizontalPodAutoscaling: {},
        kubernetesDashboard: { disabled: true },
        gcePersistentDiskCsiDriverConfig: { enabled: true },
        dnsCacheConfig: { enabled: false },
      },
      workloadIdentityConfig: { workloadPool: 'p1.svc.id.goog' },
      networkConfig: { datapathProvider: 'ADVANCED_DATAPATH' },
      network: 'prod-vpc',
      subnetwork: 'prod-euw1',
      clusterIpv4Cidr: '10.4.0.0/14',
      servicesIpv4Cidr: '10.0.32.0/20',
      ipAllocationPolicy: {
        useIpAliases: true,
        clusterSecondaryRangeName: 'pods',
        servicesSecondaryRangeName: 'services',
        clusterIpv4CidrBlock: '10.4.0.0/14',
        servicesIpv4CidrBlock: '10.0.32.0/20',
        stackType: 'IPV4',
      },
      loggingConfig: { componentConfig: { enableComponents: ['SYSTEM_COMPONENTS', 'APISERVER'] } },
      monitoringConfig: {
        componentConfig: { enableComponents: ['SYSTEM_COMPONENTS', 'APISERVER'] },
        managedPrometheusConfig: { enabled: false },
      },
      nodePools: [
        {
          name: 'default-pool',
          config: { machineType: 'e2-standard-4', diskSizeGb: 100 },
          initialNodeCount: 1,
          locations: ['europe-west1-b', 'europe-west1-c', 'europe-west1-d'],
          autoscaling: { enabled: true, minNodeCount: 1, maxNodeCount: 3, locationPolicy: 'BALANCED' },
          version: '1.30.5-gke.1014001',
          status: 'RUNNING',
        },
        {
          name: 'spot-pool',
          config: { machineType: 'n2-standard-8', spot: true },
          initialNodeCount: 0,
          autoscaling: { enabled: true, totalMinNodeCount: 0, totalMaxNodeCount: 10, locationPolicy: 'ANY' },
          version: '1.30.5-gke.1014001',
          status: 'RECONCILING',
        },
        { name: 'legacy', config: { machineType: 'e2-small', preemptible: true }, initialNodeCount: 2, status: 'ERROR' },
      ],
    });
    fake.addCluster('p1', {
      name: 'beta',
      location: 'us-central1-a',
      status: 'PROVISIONING',
      currentMasterVersion: '1.30.9-gke.5',
      endpoint: '10.1.0.2',
      autopilot: { enabled: true },
      releaseChannel: { channel: 'REGULAR' },
      controlPlaneEndpointsConfig: { ipEndpointsConfig: { enabled: true, enablePublicEndpoint: false, privateEndpoint: '10.1.0.2' } },
    });
    fake.addCluster('p1', {
      name: 'gamma',
      location: 'us-central1-a',
      status: 'ERROR',
      currentMasterVersion: '1.29.9-gke.1',
      // Numeric enums, as proto3 JSON allows; logging switched off (no components), monitoring service none.
      networkConfig: { datapathProvider: 1 },
      loggingConfig: { componentConfig: { enableComponents: [] } },
      monitoringConfig: { componentConfig: { enableComponents: [1, 3] } },
      loggingService: 'none',
      monitoringService: 'none',
      releaseChannel: { channel: 0 },
    });
    fake.setMissingZones('p1', ['asia-east1-b']);
    fake.setServerConfig('p1', 'europe-west1', {
      defaultClusterVersion: '1.31.3-gke.200',
      validMasterVersions: ['1.32.1-gke.100', '1.31.3-gke.200', '1.31.1-gke.100', '1.30.6-gke.100', '1.30.5-gke.1014001', '1.29.9-gke.1'],
    });
    fake.setServerConfig('p1', 'us-central1-a', {
      validMasterVersions: ['1.33.0-gke.1', '1.30.2-gke.1'],
      channels: [{ channel: 'REGULAR', defaultVersion: '1.31.2-gke.1', validVersions: ['1.31.2-gke.1', '1.30.9-gke.5'] }],
    });
    fake.addCluster('p3', { name: 'hidden', location: 'us-east1', status: 'RUNNING' });
    fake.disableContainerApi('p3');
  });

  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('endpoints: host[:port] is https, URLs keep their scheme, plain http only to loopback', () => {
    assert.deepEqual(parseEndpoint('container.example.com', 's'), { host: 'container.example.com', port: 443, protocol: 'https' });
    assert.deepEqual(parseEndpoint('gke-proxy.corp:8443', 's'), { host: 'gke-proxy.corp', port: 8443, protocol: 'https' });
    assert.deepEqual(parseEndpoint('http://127.0.0.1:9000', 's'), { host: '127.0.0.1', port: 9000, protocol: 'http' });
    assert.throws(
      () => parseEndpoint('http://gke-proxy.corp', 's'),
      (e: unknown) => e instanceof ClusterDeckError && e.reason === 'badConfig',
    );
    assert.throws(() => parseEndpoint('ftp://x', 's'), ClusterDeckError);
  });

  test('projects come from Resource Manager projects:search, following pageToken', async () => {
    const before = fake.records.length;
    const accounts = await provider().listAccounts();
    assert.deepEqual(
      accounts.map((a) => [a.id, a.label, a.detail]),
      [
        ['p1', 'Project p1', '100000000000'],
        ['p2', 'Project p2', '100000000001'],
        ['p3', 'Project p3', '100000000002'],
      ],
    );
    const searches = fake.records.slice(before).filter((r) => r.path === '/v3/projects:search');
    assert.equal(searches.length, 2, 'two pages of two');
    assert.ok(searches[1]?.query.pageToken, 'the second page asked with the token');
    assert.ok(logLines.some((l) => /^> gke SearchProjects 127\.0\.0\.1 \[\d+ms\] ok$/.test(l)));
  });

  test('a 403 SERVICE_DISABLED on the search falls back to the setting list plus the key project, saying why', async () => {
    fake.resourceManager = 'serviceDisabled';
    try {
      const accounts = await provider({ projects: ['p1', 'p2'] }).listAccounts();
      assert.deepEqual(
        accounts.map((a) => a.id),
        ['p1', 'p2', 'key-project'],
      );
      assert.match(accounts[0]?.detail ?? '', /clusterdeck\.gcp\.projects.*Resource Manager API disabled/);
      assert.match(accounts[2]?.detail ?? '', /project of the service-account key/);
    } finally {
      fake.resourceManager = 'ok';
    }
  });

  test('clusters: one listClusters over locations/-, grouped by location, a missing zone reported on its scope', async () => {
    const before = fake.records.length;
    const scopes = await provider().listClusters('p1', undefined);
    const lists = fake.records.slice(before).filter((r) => r.path.endsWith('/clusters'));
    assert.deepEqual(
      lists.map((r) => r.path),
      ['/v1/projects/p1/locations/-/clusters'],
    );
    assert.equal(lists[0]?.query.$alt, 'json;enum-encoding=int');
    assert.deepEqual(
      scopes.map((s) => [s.scope, s.items.map((c) => c.name), s.error !== undefined]),
      [
        ['europe-west1', ['alpha'], false],
        ['us-central1-a', ['beta', 'gamma'], false],
        ['asia-east1-b', [], true],
      ],
    );
    assert.match(scopes[2]?.error ?? '', /asia-east1-b/);
    const [alpha, beta, gamma] = scopes.flatMap((s) => s.items);
    assert.deepEqual([alpha?.health, beta?.health, gamma?.health], ['ok', 'progressing', 'failed']);
    assert.equal(alpha?.id, 'projects/p1/locations/europe-west1/clusters/alpha');
    assert.equal(alpha?.endpoint, 'https://34.1.2.3');
    assert.match(Buffer.from(alpha?.caData ?? '', 'base64').toString(), /BEGIN CERTIFICATE/);
    assert.deepEqual(alpha?.endpointAccess, { public: true, private: true, publicCidrs: ['203.0.113.0/24'] });
    assert.deepEqual(beta?.endpointAccess, { public: false, private: true });
    assert.equal(alpha?.nodeCount, 3);
    assert.equal(alpha?.upgradeAvailable, '1.31.3-gke.200', 'newest valid master version at most one minor ahead');
    assert.equal(beta?.upgradeAvailable, '1.31.2-gke.1', "from the cluster's release channel");
    assert.equal(gamma?.upgradeAvailable, '1.30.2-gke.1', 'no channel: validMasterVersions, one minor ahead, not 1.33');
    const only = await provider().listClusters('p1', ['us-central1']);
    assert.deepEqual(
      only.map((s) => s.scope),
      ['us-central1-a'],
    );
  });

  test('node pools: machine type, autoscaling (per zone or total), initial count, spot/preemptible, version, status', async () => {
    const p = provider();
    const pools = await p.listNodePools(await cluster(p, 'alpha'));
    assert.deepEqual(pools, [
      {
        name: 'default-pool',
        instanceType: 'e2-standard-4',
        min: 1,
        max: 3,
        desired: 1,
        capacityType: 'on-demand',
        version: '1.30.5-gke.1014001',
        status: 'RUNNING',
        health: 'ok',
      },
      {
        name: 'spot-pool',
        instanceType: 'n2-standard-8',
        min: 0,
        max: 10,
        desired: 0,
        capacityType: 'spot',
        version: '1.30.5-gke.1014001',
        status: 'RECONCILING',
        health: 'progressing',
      },
      { name: 'legacy', instanceType: 'e2-small', desired: 2, capacityType: 'spot', status: 'ERROR', health: 'failed' },
    ]);
  });

  test('add-ons: enabled addonsConfig entries and the Autopilot / Workload Identity / Dataplane V2 features', async () => {
    const p = provider();
    const names = (await p.listAddons(await cluster(p, 'alpha'))).map((a) => a.name);
    assert.deepEqual(names, [
      'Workload Identity',
      'Dataplane V2',
      'HTTP Load Balancing',
      'Horizontal Pod Autoscaling',
      'Compute Engine Persistent Disk CSI Driver',
    ]);
    const beta = await p.listAddons(await cluster(p, 'beta'));
    assert.deepEqual(
      beta.map((a) => [a.name, a.status]),
      [
        ['Autopilot', 'enabled'],
        ['Release channel', 'REGULAR'],
      ],
    );
  });

  test('cluster details: networking, logging and identity sections from getCluster; a missing cluster is notFound', async () => {
    const p = provider();
    const details = await p.describeCluster!(await cluster(p, 'alpha'));
    assert.deepEqual(
      details.sections.map((s) => s.title),
      ['Networking', 'Logging and monitoring', 'Identity and access'],
    );
    const section = (d: typeof details, title: string) => new Map(d.sections.find((s) => s.title === title)?.rows ?? []);
    const net = section(details, 'Networking');
    assert.equal(net.get('Network'), 'prod-vpc');
    assert.equal(net.get('Subnetwork'), 'prod-euw1');
    assert.equal(net.get('VPC-native (IP aliases)'), 'yes');
    assert.equal(net.get('Pod CIDR'), '10.4.0.0/14');
    assert.equal(net.get('Service CIDR'), '10.0.32.0/20');
    assert.equal(net.get('Pod secondary range'), 'pods');
    assert.equal(net.get('Datapath provider'), 'ADVANCED_DATAPATH');
    assert.equal(net.get('Private nodes'), 'yes');
    assert.equal(net.get('Private endpoint'), '10.0.0.2');
    assert.equal(net.get('Master authorized networks'), '203.0.113.0/24 (office)');
    assert.equal(net.get('Release channel'), undefined, 'no channel reported, no row');
    const logs = section(details, 'Logging and monitoring');
    assert.equal(logs.get('Logging components'), 'SYSTEM_COMPONENTS, APISERVER');
    assert.equal(logs.get('Monitoring components'), 'SYSTEM_COMPONENTS, APISERVER');
    assert.equal(logs.get('Managed Prometheus'), 'disabled');
    assert.equal(logs.get('Logging service'), 'logging.googleapis.com/kubernetes');
    const iam = section(details, 'Identity and access');
    assert.equal(iam.get('Workload Identity pool'), 'p1.svc.id.goog');
    assert.equal(iam.get('Autopilot'), 'no');
    assert.ok(!JSON.stringify(details).includes('CERTIFICATE'), 'masterAuth is not shown');

    const gamma = await p.describeCluster!(await cluster(p, 'gamma'));
    const gNet = section(gamma, 'Networking');
    assert.equal(gNet.get('Network'), 'default', 'the defaults GKE reports');
    assert.equal(gNet.get('Pod CIDR'), '10.8.0.0/14');
    assert.equal(gNet.get('Service CIDR'), '34.118.224.0/20');
    assert.equal(gNet.get('Datapath provider'), 'LEGACY_DATAPATH', 'a numeric enum by name');
    assert.equal(gNet.get('Release channel'), 'none');
    const gLogs = section(gamma, 'Logging and monitoring');
    assert.equal(gLogs.get('Logging components'), 'off');
    assert.equal(gLogs.get('Logging service'), 'off');
    assert.equal(gLogs.get('Monitoring components'), 'SYSTEM_COMPONENTS, APISERVER');
    assert.equal(section(gamma, 'Identity and access').get('Workload Identity pool'), 'not enabled');
    const beta = await p.describeCluster!(await cluster(p, 'beta'));
    assert.equal(section(beta, 'Identity and access').get('Autopilot'), 'yes');
    assert.equal(section(beta, 'Networking').get('Release channel'), 'REGULAR');

    await rejectsWith(
      p.describeCluster!({ cloud: 'gke', account: 'p1', location: 'europe-west1', name: 'nope' } as CloudCluster),
      'notFound',
    );
  });

  test('scale: autoscaling then size, each operation polled RUNNING → DONE with progress; numeric enums on the wire', async () => {
    const p = provider();
    const alpha = await cluster(p, 'alpha');
    const before = fake.records.length;
    const op = await p.scaleNodePool(alpha, 'default-pool', { min: 2, max: 5, desired: 4 });
    assert.match(op.id, /^projects\/p1\/locations\/europe-west1\/operations\/operation-/);
    const progress: string[] = [];
    await op.wait(undefined, (s) => progress.push(s));
    assert.ok(progress.filter((s) => s.startsWith('RUNNING')).length >= 4, progress.join(','));
    assert.ok(progress.includes('RUNNING (1/3)'), progress.join(','));
    assert.equal(progress.at(-1), 'DONE');
    const posts = fake.records.slice(before).filter((r) => r.method === 'POST');
    assert.deepEqual(
      posts.map((r) => r.path.split(':').pop()),
      ['setAutoscaling', 'setSize'],
    );
    const autoscaling = (JSON.parse(posts[0]?.body ?? '{}') as { autoscaling: Record<string, unknown> }).autoscaling;
    assert.deepEqual(autoscaling, { enabled: true, minNodeCount: 2, maxNodeCount: 5, locationPolicy: 1 });
    assert.deepEqual(JSON.parse(posts[1]?.body ?? '{}'), { nodeCount: 4 });
    assert.equal(fake.poolSize('p1', 'europe-west1', 'alpha', 'default-pool'), 4);
    const pools = await p.listNodePools(alpha);
    assert.deepEqual([pools[0]?.min, pools[0]?.max], [2, 5]);
    assert.equal((await cluster(p, 'alpha')).nodeCount, 14, '4 per zone in three zones + 2 legacy');
    // The total-count pool keeps its total fields; only the max changes.
    await (await p.scaleNodePool(alpha, 'spot-pool', { max: 20 })).wait();
    const spot = (await p.listNodePools(alpha)).find((x) => x.name === 'spot-pool');
    assert.deepEqual([spot?.min, spot?.max], [0, 20]);
    await rejectsWith(p.scaleNodePool(alpha, 'default-pool', { min: 6, max: 2 }), 'invalid');
    await rejectsWith(p.scaleNodePool(alpha, 'default-pool', {}), 'invalid');
  });

  test('a failed operation (DONE with error) rejects with its message; waiting is abortable', async () => {
    const p = provider();
    const alpha = await cluster(p, 'alpha');
    fake.failNextOperation('Insufficient regional quota to satisfy request: resource "CPUS".');
    const op = await p.deleteNodePool(alpha, 'spot-pool');
    await rejectsWith(op.wait(), 'conflict', /GKE could not delete node pool spot-pool of alpha: Insufficient regional quota/);
    assert.ok(
      (await p.listNodePools(alpha)).some((x) => x.name === 'spot-pool'),
      'a failed delete leaves the pool',
    );

    const slow = createGkeProvider({ apiEndpoint: fake.url, credentialsFile: keyFile, env: { HOME: dir }, pollIntervalMs: 200 });
    const pending = await slow.scaleNodePool(alpha, 'legacy', { desired: 1 });
    const controller = new AbortController();
    const waiting = pending.wait(controller.signal);
    controller.abort();
    await assert.rejects(waiting, (e: unknown) => e instanceof CancelledError);
    // GKE runs one operation per cluster: a second mutation meanwhile is a conflict, sent once.
    await rejectsWith(p.scaleNodePool(alpha, 'default-pool', { desired: 3 }), 'conflict', /incompatible operation/);
    await pending.wait(undefined); // the operation itself goes on; let it finish for the next tests
  });

  test('delete node pool and delete cluster run to DONE', async () => {
    const p = provider();
    const alpha = await cluster(p, 'alpha');
    await (await p.deleteNodePool(alpha, 'legacy')).wait();
    assert.deepEqual(
      (await p.listNodePools(alpha)).map((x) => x.name),
      ['default-pool', 'spot-pool'],
    );
    await (await p.deleteCluster(await cluster(p, 'gamma'))).wait();
    assert.equal(fake.cluster('p1', 'us-central1-a', 'gamma'), undefined);
  });

  test('upgrade versions from getServerConfig; updateMaster moves the control plane; a bad version is invalid', async () => {
    const p = provider();
    const alpha = await cluster(p, 'alpha');
    assert.deepEqual(await p.listUpgradeVersions(alpha), ['1.31.3-gke.200', '1.31.1-gke.100', '1.30.6-gke.100']);
    const op = await p.upgradeCluster(alpha, '1.31.3-gke.200');
    await op.wait();
    assert.equal((await cluster(p, 'alpha')).version, '1.31.3-gke.200');
    const body = fake.records.filter((r) => r.path.endsWith(':updateMaster')).at(-1)?.body ?? '';
    assert.equal((JSON.parse(body) as { masterVersion: string }).masterVersion, '1.31.3-gke.200');
    await rejectsWith(p.upgradeCluster(alpha, '9.9.9'), 'invalid', /unsupported/);
  });

  test('upgrade a node pool after the control plane: updateNodePool (PUT) with nodeVersion and the pool image type', async () => {
    const p = provider();
    const alpha = await cluster(p, 'alpha');
    assert.equal(alpha.version, '1.31.3-gke.200', 'the control plane was upgraded by the test before');
    const stored = () =>
      ((fake.cluster('p1', 'europe-west1', 'alpha')?.nodePools ?? []) as Record<string, unknown>[]).find((x) => x.name === 'default-pool');
    await rejectsWith(p.upgradeNodePool(alpha, 'default-pool', '1.32.1-gke.100'), 'invalid', /must not be newer than the master/);
    const before = fake.records.length;
    const op = await p.upgradeNodePool(alpha, 'default-pool', '1.31.3-gke.200');
    assert.match(op.id, /^projects\/p1\/locations\/europe-west1\/operations\/operation-/);
    assert.equal(op.description, 'upgrade node pool default-pool of alpha to 1.31.3-gke.200');
    const put = fake.records.slice(before).filter((r) => r.method === 'PUT');
    assert.equal(put.length, 1, 'sent once');
    assert.equal(put[0]?.path, '/v1/projects/p1/locations/europe-west1/clusters/alpha/nodePools/default-pool');
    const body = JSON.parse(put[0]?.body ?? '{}') as { nodeVersion?: string; imageType?: string };
    assert.equal(body.nodeVersion, '1.31.3-gke.200');
    assert.equal(body.imageType, 'COS_CONTAINERD', 'the image type read from the pool is sent back');
    assert.equal(stored()?.version, '1.30.5-gke.1014001', 'not moved before the operation is done');
    const progress: string[] = [];
    await op.wait(undefined, (s) => progress.push(s));
    assert.deepEqual(progress, ['RUNNING (0/3)', 'RUNNING (1/3)', 'RUNNING (2/3)', 'DONE']);
    assert.equal(stored()?.version, '1.31.3-gke.200');
    assert.equal((await p.listNodePools(alpha)).find((x) => x.name === 'default-pool')?.version, '1.31.3-gke.200');
    await rejectsWith(p.upgradeNodePool(alpha, 'default-pool', 'latest please'), 'invalid', /not a GKE version/);
  });

  test('resume: an operation started by one provider is followed by a new one from its full name; foreign ids are refused', async () => {
    const first = provider();
    const alpha = await cluster(first, 'alpha');
    const op = await first.upgradeNodePool(alpha, 'spot-pool', '-');
    const saved = JSON.parse(JSON.stringify({ id: op.id, description: op.description })) as { id: string; description: string };
    const later = provider();
    const progress: string[] = [];
    await later.resumeOperation(alpha, saved.id, saved.description).wait(undefined, (s) => progress.push(s));
    assert.deepEqual(progress, ['RUNNING (1/3)', 'RUNNING (2/3)', 'DONE'], 'the first poll is at once');
    const spot = ((fake.cluster('p1', 'europe-west1', 'alpha')?.nodePools ?? []) as Record<string, unknown>[]).find(
      (x) => x.name === 'spot-pool',
    );
    assert.equal(spot?.version, '1.31.3-gke.200', '"-" is the control plane version');
    // Resuming an operation that is already DONE ends at once; one that GKE does not know is notFound.
    const again: string[] = [];
    await later.resumeOperation(alpha, saved.id, saved.description).wait(undefined, (s) => again.push(s));
    assert.deepEqual(again, ['DONE']);
    await rejectsWith(
      later.resumeOperation(alpha, 'projects/p1/locations/europe-west1/operations/operation-unknown', 'x').wait(),
      'notFound',
    );
    for (const bad of [
      '',
      'garbage',
      'cluster:1234',
      '{"state":{}}',
      'projects/p2/locations/europe-west1/operations/operation-1',
      'projects/p1/locations/us-central1-a/operations/operation-1',
      'projects/p1/locations/europe-west1/operations/a/b',
      'projects/p1/locations/europe-west1/operations/',
    ]) {
      assert.throws(
        () => later.resumeOperation(alpha, bad, 'x'),
        (e: unknown) =>
          e instanceof ClusterDeckError &&
          e.reason === 'invalid' &&
          /is not a GKE operation of project p1 in europe-west1; refresh the Clouds view to see cluster alpha\.$/.test(e.message),
        bad,
      );
    }
  });

  test('the token comes from the fake token endpoint (verified RS256 grant) and is the bearer on every API call', async () => {
    const p = provider();
    const token = await p.getClusterToken({ account: 'p1', location: 'europe-west1', name: 'alpha' });
    assert.ok(fake.issuedTokens.includes(token.token));
    const left = token.expiresAt.getTime() - Date.now();
    assert.ok(left > 50 * 60_000 && left <= 3600_000, `expiry about an hour ahead (${left} ms)`);
    const api = fake.records.filter((r) => r.path.startsWith('/v1/') || r.path.startsWith('/v3/'));
    assert.ok(api.length > 10);
    for (const r of api) assert.match(String(r.headers.authorization), /^Bearer ya29\.fake-/);
    const grant = fake.records.filter((r) => r.path === '/token').at(-1);
    assert.match(grant?.body ?? '', /grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=/);
  });

  test('a key the token endpoint does not trust is unauthorized, before any API call', async () => {
    const before = fake.records.length;
    await rejectsWith(
      provider({ credentialsFile: wrongKeyFile }).listClusters('p1', undefined),
      'unauthorized',
      /invalid_grant.*gcloud auth application-default login/,
    );
    assert.equal(fake.tokenRefusals.at(-1), 'Invalid JWT Signature.');
    assert.deepEqual(
      fake.records.slice(before).map((r) => r.path),
      ['/token'],
    );
    fake.tokenHang = true;
    try {
      await rejectsWith(
        provider({ requestTimeoutMs: 300 }).getClusterToken({ account: 'p1', location: 'l', name: 'c' }),
        'timeout',
        /token endpoint 127\.0\.0\.1/,
      );
    } finally {
      fake.tokenHang = false;
    }
  });

  test('an authorized_user ADC file at the gcloud default path works and its quota project is the fallback', async () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, '.config', 'gcloud'), { recursive: true });
    writeFileSync(
      join(home, '.config', 'gcloud', 'application_default_credentials.json'),
      JSON.stringify({
        type: 'authorized_user',
        client_id: 'cid.apps.googleusercontent.com',
        client_secret: SECRET_CANARY,
        refresh_token: REFRESH_CANARY,
        quota_project_id: 'quota-proj',
        token_uri: fake.tokenUrl,
      }),
    );
    fake.trustAuthorizedUser('cid.apps.googleusercontent.com', SECRET_CANARY, REFRESH_CANARY);
    const p = provider({ credentialsFile: undefined, env: { HOME: home } });
    const token = await p.getClusterToken({ account: 'p1', location: 'europe-west1', name: 'alpha' });
    assert.ok(fake.issuedTokens.includes(token.token));
    assert.equal((await p.listClusters('p1', undefined)).length > 0, true);
    fake.resourceManager = 'serviceDisabled';
    try {
      const accounts = await p.listAccounts();
      assert.deepEqual(
        accounts.map((a) => [a.id, a.detail]),
        [['quota-proj', 'quota project of the ADC file (Resource Manager API disabled)']],
      );
      await rejectsWith(provider({ credentialsFile: undefined, env: { HOME: join(dir, 'nobody') } }).listAccounts(), 'unauthorized');
    } finally {
      fake.resourceManager = 'ok';
    }
  });

  test('SERVICE_DISABLED on the Kubernetes Engine API names the project and the fix; 404 is notFound', async () => {
    await rejectsWith(provider().listClusters('p3', undefined), 'forbidden', /^Enable the Kubernetes Engine API for project p3/);
    await rejectsWith(
      provider().listNodePools({ cloud: 'gke', account: 'p1', location: 'europe-west1', name: 'nope' } as CloudCluster),
      'notFound',
    );
    await rejectsWith(
      provider().listClusters('not-mine', undefined),
      'forbidden',
      /Permission denied for ListClusters in project not-mine/,
    );
  });

  test('reads retry UNAVAILABLE within the request budget; mutations are never retried; 429 is throttled', async () => {
    const p = provider();
    const alpha = await cluster(p, 'alpha');
    const count = (re: RegExp, from: number) => fake.records.slice(from).filter((r) => re.test(r.path)).length;
    let from = fake.records.length;
    fake.faults.push({ method: 'GET', path: /\/clusters\/alpha\/nodePools$/, times: 2 });
    assert.equal((await p.listNodePools(alpha)).length, 2);
    assert.equal(count(/\/clusters\/alpha\/nodePools$/, from), 3, 'two 503s, then the answer');
    assert.equal(
      logLines.filter((l) =>
        /^> gke ListNodePools p1\/europe-west1\/alpha \[\d+ms\] 503 serverError, retrying \([12]\/3\) in \d+ ms$/.test(l),
      ).length,
      2,
    );

    from = fake.records.length;
    fake.faults.push({ method: 'POST', path: /:setSize$/, times: 1 });
    await rejectsWith(p.scaleNodePool(alpha, 'default-pool', { desired: 2 }), 'serverError', /unavailable \(503\)/);
    assert.equal(count(/:setSize$/, from), 1, 'a mutation is sent once');
    fake.faults.length = 0;

    from = fake.records.length;
    // Throttling persists: backed off 500 ms, 1 s, 2 s (inside the 5 s budget), then a throttled sentence.
    fake.faults.push({ method: 'GET', path: /\/clusters$/, times: 10, status: 429, grpcStatus: 'RESOURCE_EXHAUSTED' });
    await rejectsWith(p.listClusters('p1', undefined), 'throttled', /try again in a minute/);
    fake.faults.length = 0;
    assert.equal(count(/\/clusters$/, from), 4, 'four attempts in all, never a tight loop');
    fake.faults.length = 0;
  });

  test('a silent endpoint is a timeout, a closed port is unreachable, and an aborted read is cancelled at once', async () => {
    fake.faults.push({ method: 'GET', path: /\/clusters$/, times: 1, hang: true });
    const started = Date.now();
    await rejectsWith(provider({ requestTimeoutMs: 400 }).listClusters('p1', undefined), 'timeout', /did not answer ListClusters in time/);
    assert.ok(Date.now() - started < 3_000);
    fake.faults.length = 0;

    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await rejectsWith(
      provider({ apiEndpoint: `http://127.0.0.1:${port}`, requestTimeoutMs: 600 }).listClusters('p1', undefined),
      'unreachable',
      new RegExp(`Could not reach 127\\.0\\.0\\.1:${port}`),
    );

    fake.faults.push({ method: 'GET', path: /\/clusters$/, times: 1, hang: true });
    const controller = new AbortController();
    const pending = provider().listClusters('p1', undefined, controller.signal);
    setTimeout(() => controller.abort(), 50);
    const t0 = Date.now();
    await assert.rejects(pending, (e: unknown) => e instanceof CancelledError);
    assert.ok(Date.now() - t0 < 1_000);
    fake.faults.length = 0;
  });

  test('one access token serves many calls (google-auth-library caches it until near expiry)', async () => {
    const from = fake.records.length;
    const p = provider();
    await p.listClusters('p1', undefined);
    const alpha = await cluster(p, 'alpha');
    await p.listNodePools(alpha);
    await p.getClusterToken(alpha);
    assert.equal(fake.records.slice(from).filter((r) => r.path === '/token').length, 1);
  });

  test('no credentials file: a clear unauthorized message and no socket opened at all', async () => {
    const empty = join(dir, 'empty-home');
    mkdirSync(empty, { recursive: true });
    let connects = 0;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- restored below with the socket as `this`
    const original = net.Socket.prototype.connect;
    net.Socket.prototype.connect = function counting(this: net.Socket, ...args: Parameters<typeof original>) {
      connects += 1;
      return original.apply(this, args);
    } as typeof original;
    const before = fake.records.length;
    try {
      const p = createGkeProvider({
        apiEndpoint: fake.url,
        resourceManagerEndpoint: fake.url,
        env: { HOME: empty },
        onRequest: (l) => logLines.push(l),
      });
      await rejectsWith(
        p.listAccounts(),
        'unauthorized',
        /^No Google Cloud credentials found\. Run `gcloud auth application-default login` or set a service-account key/,
      );
      await rejectsWith(p.listClusters('p1', undefined), 'unauthorized');
      await rejectsWith(p.getClusterToken({ account: 'p1', location: 'l', name: 'c' }), 'unauthorized');
      const plainHttp = join(empty, 'http-token-uri.json');
      writeFileSync(
        plainHttp,
        JSON.stringify({
          type: 'service_account',
          client_email: SA_EMAIL,
          private_key: privateKeyPem,
          token_uri: 'http://oauth.example.com/token',
        }),
      );
      await rejectsWith(
        createGkeProvider({ credentialsFile: plainHttp }).listAccounts(),
        'badConfig',
        /token_uri .* plain http:\/\/ to oauth\.example\.com/,
      );
      writeFileSync(join(empty, 'bad.json'), '{"type": "service_account", ');
      await rejectsWith(createGkeProvider({ credentialsFile: join(empty, 'bad.json') }).listAccounts(), 'badConfig', /not valid JSON/);
      writeFileSync(join(empty, 'ext.json'), '{"type": "external_account"}');
      await rejectsWith(createGkeProvider({ credentialsFile: join(empty, 'ext.json') }).listAccounts(), 'badConfig', /"external_account"/);
      const missing = createGkeProvider({ env: { HOME: empty, GOOGLE_APPLICATION_CREDENTIALS: join(empty, 'nope.json') } });
      await rejectsWith(missing.listAccounts(), 'unauthorized', /nope\.json \(it does not exist\)/);
    } finally {
      net.Socket.prototype.connect = original;
    }
    assert.equal(connects, 0, 'no socket');
    assert.equal(fake.records.length, before);
  });

  test('log lines: one per call, and never a token, the refresh token, the client secret or the private key', () => {
    assert.ok(
      logLines.some((l) => /^> gke ListClusters p1 \[\d+ms\] ok$/.test(l)),
      logLines.join('\n'),
    );
    assert.ok(logLines.some((l) => /^> gke ListClusters p3 \[\d+ms\] 403 forbidden$/.test(l)));
    assert.ok(logLines.some((l) => /^> gke token 127\.0\.0\.1:\d+ \(service account\) \[\d+ms\] ok$/.test(l)));
    assert.ok(logLines.some((l) => /^> gke SetNodePoolSize p1\/europe-west1\/alpha\/default-pool \[\d+ms\] ok$/.test(l)));
    const text = logLines.join('\n');
    for (const t of fake.issuedTokens) assert.ok(!text.includes(t), 'no access token in the log');
    const keyBody = privateKeyPem.split('\n')[1] ?? 'x';
    for (const secret of [REFRESH_CANARY, SECRET_CANARY, keyBody, 'BEGIN PRIVATE KEY'])
      assert.ok(!text.includes(secret), `no ${secret.slice(0, 12)}… in the log`);
  });

  test('clusterdeck token gke prints an ExecCredential with the token and its expiry', async () => {
    let out = '';
    let err = '';
    const io = {
      out: (s: string) => (out += `${s}\n`),
      err: (s: string) => (err += `${s}\n`),
      cwd: dir,
      isTty: false,
      readStdin: () => Promise.resolve(''),
      version: '9.9.9',
    };
    const code = await main(['token', 'gke', '--cluster', 'alpha', '--location', 'europe-west1', '--project', 'p1'], io, {
      HOME: dir,
      GOOGLE_APPLICATION_CREDENTIALS: keyFile,
    });
    assert.equal(code, 0, err);
    const cred = JSON.parse(out) as {
      kind: string;
      apiVersion: string;
      spec: object;
      status: { token: string; expirationTimestamp: string };
    };
    assert.equal(cred.kind, 'ExecCredential');
    assert.equal(cred.apiVersion, 'client.authentication.k8s.io/v1');
    assert.deepEqual(cred.spec, {});
    assert.ok(fake.issuedTokens.includes(cred.status.token));
    assert.match(cred.status.expirationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(Date.parse(cred.status.expirationTimestamp) > Date.now() + 50 * 60_000);

    out = '';
    err = '';
    assert.equal(
      await main(['token', 'gke', '--cluster', 'alpha', '--location', 'europe-west1', '--project', 'p1'], io, {
        HOME: join(dir, 'nobody'),
      }),
      1,
    );
    assert.match(err, /gcloud auth application-default login/);
    assert.equal(out, '');
    assert.equal(await main(['token', 'gke', '--cluster', 'alpha'], io, { HOME: dir }), 2);
    assert.match(err, /--location/);
    assert.equal(await main(['token', 'nope'], io, { HOME: dir }), 2);
  });
});
