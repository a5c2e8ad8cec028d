// GKE provisioning over the real @google-cloud/container client (REST fallback) and google-auth-library against the
// loopback Google fake: create exactly once (check first, 409 → adopt, lost answer → adopt), operations followed to
// DONE, resume after a "reload" (a fresh provider), failure midway with the service's (quota) message and the
// leftovers, node pools, the wire body equal to the plan's, and the wizards' choices (container + Compute REST).
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { protos } from '@google-cloud/container';
import { ClusterDeckError } from '../../src/core/errors';
import { gkeProvisioning } from '../../src/core/provisioning/gke/index';
import type { GkeClusterSpec, GkeNodePoolSpec } from '../../src/core/provisioning/gke/gkeSpec';
import type { ProvisioningProvider, ProvisionStep } from '../../src/core/provisioning/provisioning';
import { runWizard, scriptedRenderer } from '../../src/core/wizard/wizard';
import { createGkeProvider } from '../../src/node/clouds/gke/gkeProvider';
import { startGkeFake, type GkeFake, type GkeFakeRecord, type JsonObject } from '../fakes/clouds/gkeFake';

const SA_EMAIL = 'clusterdeck-prov@proj-one.iam.gserviceaccount.com';
const v1 = protos.google.container.v1;
const opts = { enums: String, longs: String, defaults: true };
/** The request as GKE decodes it: numeric or named enums, int64 as number or string, defaults filled in. */
const normCluster = (b: unknown) => v1.CreateClusterRequest.toObject(v1.CreateClusterRequest.fromObject(b as JsonObject), opts);
const normPool = (b: unknown) => v1.CreateNodePoolRequest.toObject(v1.CreateNodePoolRequest.fromObject(b as JsonObject), opts);

async function rejectsWith(p: Promise<unknown>, reason: string, message: RegExp, secrets: readonly string[]): Promise<ClusterDeckError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ClusterDeckError, `expected ClusterDeckError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    assert.match(e.message, message);
    const whole = inspect(e, { depth: 10 });
    for (const s of secrets) assert.ok(!whole.includes(s), 'no token in the error');
    return e;
  }
  assert.fail(`expected a ${reason} failure`);
}

describe('GKE provisioning against the Google fake', () => {
  let fake: GkeFake;
  let dir: string;
  let keyFile: string;
  const logLines: string[] = [];
  const provisioning = (): ProvisioningProvider => {
    const p = createGkeProvider({
      apiEndpoint: fake.url,
      resourceManagerEndpoint: fake.url,
      computeEndpoint: fake.url,
      credentialsFile: keyFile,
      env: { HOME: dir },
      requestTimeoutMs: 5_000,
      pollIntervalMs: 5,
      onRequest: (l) => logLines.push(l),
    }).provisioning;
    assert.ok(p, 'the GKE provider provisions');
    return p;
  };
  const creates = (suffix: string): GkeFakeRecord[] =>
    fake.records.filter((r) => r.method === 'POST' && r.path.startsWith('/v1/') && r.path.endsWith(suffix));

  /** A cluster spec from the wizard (defaults unless answered), with the fake's choices. */
  async function wizardCluster(p: ProvisioningProvider, answers: Record<string, (string | string[])[]>): Promise<GkeClusterSpec> {
    const w = gkeProvisioning.clusterWizard;
    const state = await runWizard(w.steps(p.choices.bind(p)), w.initial({ account: 'proj-one' }), scriptedRenderer(answers));
    assert.ok(state);
    return w.toSpec(state);
  }
  const planOf = (spec: GkeClusterSpec) => gkeProvisioning.clusterFormat.plan(spec);
  const only = (steps: readonly ProvisionStep[]): ProvisionStep => {
    assert.equal(steps.length, 1);
    return steps[0]!;
  };
  const clusterStep = (name: string, location = 'europe-west1', extra: JsonObject = {}): ProvisionStep =>
    only(
      planOf({
        project: 'proj-one',
        location,
        cluster: {
          name,
          releaseChannel: { channel: 'REGULAR' },
          nodePools: [
            { name: 'default-pool', initialNodeCount: 1, config: { machineType: 'e2-medium', diskSizeGb: 100, diskType: 'pd-balanced' } },
          ],
          ...extra,
        },
      }).steps,
    );

  before(async () => {
    fake = await startGkeFake();
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-gkeprov-'));
    const { publicKey, privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    fake.trustServiceAccount(SA_EMAIL, publicKey);
    keyFile = join(dir, 'sa.json');
    writeFileSync(
      keyFile,
      JSON.stringify({
        type: 'service_account',
        project_id: 'proj-one',
        private_key_id: 'k1',
        private_key: privateKey,
        client_email: SA_EMAIL,
        token_uri: fake.tokenUrl,
      }),
    );
    fake.addProject({ projectId: 'proj-one', projectNumber: '100000000001', displayName: 'Project one' });
    const config = {
      defaultClusterVersion: '1.33.4-gke.1200',
      validMasterVersions: ['1.34.1-gke.300', '1.33.4-gke.1200', '1.32.9-gke.100'],
      validNodeVersions: ['1.34.1-gke.300', '1.33.4-gke.1200', '1.32.9-gke.100'],
      defaultImageType: 'COS_CONTAINERD',
      validImageTypes: ['COS_CONTAINERD', 'UBUNTU_CONTAINERD'],
      channels: [
        { channel: 'RAPID', defaultVersion: '1.34.1-gke.300', validVersions: ['1.34.1-gke.300'] },
        { channel: 'REGULAR', defaultVersion: '1.33.4-gke.1200', validVersions: ['1.33.4-gke.1200', '1.32.9-gke.100'] },
        { channel: 'STABLE', defaultVersion: '1.32.9-gke.100', validVersions: ['1.32.9-gke.100'] },
      ],
    };
    for (const l of ['europe-west1', 'europe-west1-b', 'us-central1']) fake.setServerConfig('proj-one', l, config);
  });

  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('wizard (choices from the fake) → plan → create: the wire body is the plan body plus our label, followed to DONE', async () => {
    const p = provisioning();
    const spec = await wizardCluster(p, { name: ['shop-prod'], location: ['europe-west1'], authorizedNetworks: ['203.0.113.7/32'] });
    const step = only(planOf(spec).steps);
    const before = creates('/clusters').length;
    const progress: string[] = [];
    const out = await p.create(step, { opId: 'OP-1111', token: 't' });
    assert.equal(out.state, 'started');
    assert.ok(out.operation);
    assert.match(out.operation.id, /^projects\/proj-one\/locations\/europe-west1\/operations\/operation-/);
    await out.operation.wait(undefined, (s) => progress.push(s));
    assert.equal(progress.at(-1), 'DONE');
    const sent = creates('/clusters').slice(before);
    assert.equal(sent.length, 1, 'one CreateCluster');
    const wire = JSON.parse(sent[0]!.body) as { cluster: { releaseChannel: { channel: unknown } } };
    assert.equal(wire.cluster.releaseChannel.channel, 2, 'enums travel as numbers (REGULAR = 2)');
    const body = step.body as { parent: string; cluster: JsonObject & { resourceLabels: JsonObject } };
    const expected = {
      ...body,
      cluster: { ...body.cluster, resourceLabels: { ...body.cluster.resourceLabels, 'clusterdeck-op': 'op-1111' } },
    };
    // parent travels in the URL (POST /v1/{parent}/clusters), the rest in the body.
    const parent = sent[0]!.path.replace(/^\/v1\//, '').replace(/\/clusters$/, '');
    assert.deepEqual(normCluster({ ...wire, parent }), normCluster(expected));
    const stored = fake.cluster('proj-one', 'europe-west1', 'shop-prod');
    assert.equal(stored?.status, 'RUNNING');
    assert.deepEqual(stored?.resourceLabels, { 'clusterdeck-op': 'op-1111' });
    assert.ok(
      logLines.some((l) => /^> gke CreateCluster proj-one\/europe-west1\/shop-prod \[\d+ms\] ok$/.test(l)),
      logLines.join('\n'),
    );
  });

  test('create twice: one cluster, and the second says it already exists without sending', async () => {
    const p = provisioning();
    const step = clusterStep('twice');
    const first = await p.create(step, { opId: 'op-2', token: 't' });
    await first.operation?.wait();
    const again = await p.create(step, { opId: 'op-2', token: 't' });
    assert.equal(again.state, 'exists');
    assert.match(again.message, /GKE cluster twice already exists in project proj-one, region europe-west1 \(created by this operation\)/);
    const other = await p.create(step, { opId: 'op-3', token: 't' });
    assert.equal(other.state, 'exists');
    assert.match(other.message, /created by ClusterDeck operation op-2/);
    assert.equal(creates('/clusters').filter((r) => r.body.includes('"twice"')).length, 1);
  });

  test('answer dropped after GKE accepted the create: adopted at once, and the same create again follows it; one cluster', async () => {
    const p = provisioning();
    const step = clusterStep('dropped');
    fake.operationPolls = 4;
    fake.faults.push({ method: 'POST', path: /\/clusters$/, times: 1, dropResponse: true });
    const first = await p.create(step, { opId: 'op-drop', token: 't' });
    assert.equal(first.state, 'inProgress', first.message);
    assert.match(first.operation?.id ?? '', /operations\/operation-/, 'its CREATE_CLUSTER operation was found by listOperations');
    const second = await provisioning().create(step, { opId: 'op-drop', token: 't' });
    assert.equal(second.state, 'inProgress');
    assert.equal(second.operation?.id, first.operation?.id);
    assert.match(second.message, /already being created .*nothing was sent again/);
    await second.operation?.wait();
    fake.operationPolls = 2;
    assert.equal(creates('/clusters').filter((r) => r.body.includes('"dropped"')).length, 1, 'exactly one CreateCluster');
    assert.equal(fake.cluster('proj-one', 'europe-west1', 'dropped')?.status, 'RUNNING');
  });

  test('409 ALREADY_EXISTS after a NOT_FOUND check (a race): our labelled cluster is adopted through listOperations', async () => {
    const p = provisioning();
    const step = clusterStep('racer');
    fake.operationPolls = 3;
    const first = await p.create(step, { opId: 'op-race', token: 't' });
    assert.equal(first.state, 'started');
    fake.faults.push({ method: 'GET', path: /\/clusters\/racer$/, times: 1, status: 404, grpcStatus: 'NOT_FOUND' });
    const second = await p.create(step, { opId: 'op-race', token: 't' });
    assert.equal(second.state, 'inProgress', second.message);
    assert.equal(second.operation?.id, first.operation?.id);
    await second.operation?.wait();
    fake.operationPolls = 2;
    const sent = creates('/clusters').filter((r) => r.body.includes('"racer"'));
    assert.equal(sent.length, 2, 'the second create was answered 409 and not repeated');
  });

  test("someone else's cluster with that name: conflict naming it, nothing sent", async () => {
    fake.addCluster('proj-one', { name: 'taken', location: 'europe-west1', status: 'RUNNING', resourceLabels: { team: 'other' } });
    const before = creates('/clusters').length;
    await rejectsWith(
      provisioning().create(clusterStep('taken'), { opId: 'op-4', token: 't' }),
      'conflict',
      /GKE cluster taken already exists in project proj-one, region europe-west1 and was not created by ClusterDeck; rename/,
      fake.issuedTokens,
    );
    assert.equal(creates('/clusters').length, before);
  });

  test('failure midway (quota): rejected with the quota, project and region; partialResources lists the leftovers', async () => {
    const p = provisioning();
    const step = clusterStep('big');
    fake.failNextOperation(
      `Insufficient regional quota to satisfy request: resource "CPUS": request requires '48.0' and is short '24.0'. project has a quota of '24.0' with '24.0' available.`,
      8,
    );
    const out = await p.create(step, { opId: 'op-5', token: 't' });
    await rejectsWith(
      out.operation!.wait(),
      'forbidden',
      /^GKE could not create cluster big in project proj-one, region europe-west1: the CPUS quota of project proj-one in europe-west1 is too small \(Insufficient regional quota .*\)\. Request a quota increase/,
      fake.issuedTokens,
    );
    assert.deepEqual(await p.partialResources(step), [
      `cluster big in project proj-one, region europe-west1 (ERROR: Insufficient regional quota to satisfy request: resource "CPUS": request requires '48.0' and is short '24.0'. project has a quota of '24.0' with '24.0' available.)`,
      'node pool default-pool of cluster big (ERROR)',
    ]);
    assert.deepEqual(await p.partialResources(clusterStep('never-created')), []);
    // The cluster in ERROR is not created again: the user is told to delete it first.
    await rejectsWith(
      p.create(step, { opId: 'op-5', token: 't' }),
      'conflict',
      /status ERROR .*delete it, then create again/,
      fake.issuedTokens,
    );
  });

  test('a quota refused at once (RESOURCE_EXHAUSTED): named with its region, sent once, never retried', async () => {
    fake.faults.push({
      method: 'POST',
      path: /\/clusters$/,
      times: 1,
      status: 429,
      grpcStatus: 'RESOURCE_EXHAUSTED',
      message: "Insufficient regional quota to satisfy request: resource \"IN_USE_ADDRESSES\": request requires '9.0' and is short '1.0'.",
    });
    const before = creates('/clusters').length;
    await rejectsWith(
      provisioning().create(clusterStep('quota-now'), { opId: 'op-q', token: 't' }),
      'forbidden',
      /^GKE CreateCluster failed: the IN_USE_ADDRESSES quota of project proj-one in europe-west1 is too small .*Request a quota increase/,
      fake.issuedTokens,
    );
    assert.equal(creates('/clusters').length, before + 1, 'one attempt');
    assert.equal(fake.cluster('proj-one', 'europe-west1', 'quota-now'), undefined);
  });

  test('a node pool for a cluster that does not exist: notFound naming the cluster', async () => {
    const step = only(
      gkeProvisioning.nodePoolFormat.plan({
        project: 'proj-one',
        location: 'europe-west1',
        cluster: 'ghost',
        nodePool: { name: 'p', initialNodeCount: 1, config: { machineType: 'e2-medium' } },
      }).steps,
    );
    await rejectsWith(
      provisioning().create(step, { opId: 'op-g', token: 't' }),
      'notFound',
      /GKE cluster ghost does not exist in project proj-one, region europe-west1/,
      fake.issuedTokens,
    );
  });

  test('resumeCreate after a reload: a fresh provider follows the operation id (or the cluster) to completion', async () => {
    const step = clusterStep('resumed', 'europe-west1-b');
    fake.operationPolls = 3;
    const out = await provisioning().create(step, { opId: 'op-6', token: 't' });
    const id = out.operation!.id;
    // "Reload": a new provider instance, only the step and the id from the journal.
    const progress: string[] = [];
    await provisioning()
      .resumeCreate(step, id)
      .wait(undefined, (s) => progress.push(s));
    fake.operationPolls = 2;
    assert.ok(progress.includes('DONE') && progress.some((s) => s.startsWith('RUNNING')), progress.join(','));
    assert.equal(fake.cluster('proj-one', 'europe-west1-b', 'resumed')?.status, 'RUNNING');
    // An operation GKE no longer knows: the cluster's status decides.
    await provisioning().resumeCreate(step, 'projects/proj-one/locations/europe-west1-b/operations/operation-forgotten').wait();
    await rejectsWith(
      provisioning()
        .resumeCreate(
          clusterStep('never-made', 'europe-west1-b'),
          'projects/proj-one/locations/europe-west1-b/operations/operation-forgotten',
        )
        .wait(),
      'notFound',
      /GKE cluster never-made no longer exists/,
      fake.issuedTokens,
    );
    // A resource id (adoption without an operation) follows the cluster's status.
    await provisioning().resumeCreate(step, 'projects/proj-one/locations/europe-west1-b/clusters/resumed').wait();
    assert.throws(
      () => provisioning().resumeCreate(step, 'projects/proj-two/locations/europe-west1-b/operations/operation-1'),
      /not a GKE operation of project proj-one/,
    );
    assert.throws(() => provisioning().resumeCreate(step, 'cluster:resumed'), ClusterDeckError);
  });

  test('Autopilot cluster create', async () => {
    const p = provisioning();
    const spec = await wizardCluster(p, { name: ['auto-1'], mode: ['autopilot'], location: ['us-central1'], channel: ['STABLE'] });
    const step = only(planOf(spec).steps);
    const out = await p.create(step, { opId: 'op-7', token: 't' });
    await out.operation?.wait();
    const stored = fake.cluster('proj-one', 'us-central1', 'auto-1');
    assert.deepEqual(stored?.autopilot, { enabled: true });
    assert.deepEqual(stored?.releaseChannel, { channel: 'STABLE' });
    assert.equal((stored?.nodePools as unknown[]).length, 0);
  });

  test('node pool on an existing cluster: body equals the plan plus our label on config.resourceLabels; twice → exists', async () => {
    const p = provisioning();
    const w = gkeProvisioning.nodePoolWizard;
    const state = await runWizard(
      w.steps(p.choices.bind(p)),
      w.initial({ account: 'proj-one', location: 'europe-west1', cluster: 'shop-prod' }),
      scriptedRenderer({ poolName: ['batch'], spot: ['yes'], machineType: ['e2-standard-4'] }),
    );
    assert.ok(state);
    const spec: GkeNodePoolSpec = w.toSpec(state);
    const step = only(gkeProvisioning.nodePoolFormat.plan(spec).steps);
    const out = await p.create(step, { opId: 'op-8', token: 't' });
    assert.equal(out.state, 'started');
    await out.operation?.wait();
    const sent = creates('/clusters/shop-prod/nodePools');
    assert.equal(sent.length, 1);
    const body = step.body as { parent: string; nodePool: JsonObject & { config: JsonObject } };
    const expected = {
      ...body,
      nodePool: { ...body.nodePool, config: { ...body.nodePool.config, resourceLabels: { 'clusterdeck-op': 'op-8' } } },
    };
    const parent = sent[0]!.path.replace(/^\/v1\//, '').replace(/\/nodePools$/, '');
    assert.deepEqual(normPool({ ...(JSON.parse(sent[0]!.body) as JsonObject), parent }), normPool(expected));
    const pool = (fake.cluster('proj-one', 'europe-west1', 'shop-prod')?.nodePools as JsonObject[]).find((x) => x.name === 'batch');
    assert.equal(pool?.status, 'RUNNING');
    const again = await p.create(step, { opId: 'op-8', token: 't' });
    assert.equal(again.state, 'exists');
    assert.match(again.message, /node pool batch of cluster shop-prod already exists/);
    assert.deepEqual(await p.partialResources(step), [
      'node pool batch of cluster shop-prod in project proj-one, region europe-west1 (RUNNING)',
    ]);
    assert.equal(creates('/clusters/shop-prod/nodePools').length, 1);
  });

  test('choices: locations, zones, channels, versions, image types, machine types, networks, subnetworks, clusters, projects', async () => {
    const p = provisioning();
    const values = async (q: string, params: Record<string, string>) => (await p.choices(q, params)).map((c) => c.value);
    const defaultOf = async (q: string, params: Record<string, string>) => (await p.choices(q, params)).find((c) => c.isDefault)?.value;
    assert.deepEqual(await values('locations', { project: 'proj-one' }), [
      'europe-west1',
      'us-central1',
      'europe-west1-b',
      'europe-west1-c',
      'europe-west1-d',
      'us-central1-a',
      'us-central1-b',
      'us-central1-c',
      'us-central1-f',
    ]);
    assert.equal(await defaultOf('locations', { project: 'proj-one' }), 'us-central1');
    assert.deepEqual(await values('locations', { project: 'proj-one', regionsOnly: 'true' }), ['europe-west1', 'us-central1']);
    assert.deepEqual(await values('zones', { project: 'proj-one', region: 'europe-west1' }), [
      'europe-west1-b',
      'europe-west1-c',
      'europe-west1-d',
    ]);
    assert.deepEqual(await values('channels', { project: 'proj-one', location: 'europe-west1' }), ['RAPID', 'REGULAR', 'STABLE']);
    assert.equal(await defaultOf('channels', { project: 'proj-one', location: 'europe-west1' }), 'REGULAR');
    assert.deepEqual(await values('versions', { project: 'proj-one', location: 'europe-west1' }), [
      '1.34.1-gke.300',
      '1.33.4-gke.1200',
      '1.32.9-gke.100',
    ]);
    assert.equal(await defaultOf('versions', { project: 'proj-one', location: 'europe-west1' }), '1.33.4-gke.1200');
    assert.equal(await defaultOf('versions', { project: 'proj-one', location: 'europe-west1', channel: 'STABLE' }), '1.32.9-gke.100');
    assert.deepEqual(await values('imageTypes', { project: 'proj-one', location: 'europe-west1' }), [
      'COS_CONTAINERD',
      'UBUNTU_CONTAINERD',
    ]);
    // A region: types offered in all its zones (paged lists), deprecated ones left out; a zone: that zone's.
    assert.deepEqual(await values('machineTypes', { project: 'proj-one', location: 'europe-west1' }), ['e2-medium', 'e2-standard-4']);
    assert.deepEqual(await values('machineTypes', { project: 'proj-one', location: 'europe-west1-b' }), [
      'a2-highgpu-1g',
      'e2-medium',
      'e2-standard-4',
    ]);
    const e2 = (await p.choices('machineTypes', { project: 'proj-one', location: 'europe-west1-b' })).find((c) => c.value === 'e2-medium');
    assert.deepEqual(e2, { value: 'e2-medium', description: '2 vCPU, 4 GB', isDefault: true });
    assert.ok(
      fake.records.some((r) => r.path === '/compute/v1/projects/proj-one/zones/europe-west1-b/machineTypes' && r.query.pageToken === '2'),
      'paged',
    );
    assert.deepEqual(await values('networks', { project: 'proj-one' }), ['default', 'prod-vpc']);
    const subnets = await p.choices('subnetworks', { project: 'proj-one', region: 'europe-west1', network: 'prod-vpc' });
    assert.deepEqual(subnets, [
      { value: 'prod-euw1', description: '10.10.0.0/20, pods 10.16.0.0/14, services 10.20.0.0/20', isDefault: true },
    ]);
    assert.ok((await values('clusters', { project: 'proj-one', location: 'europe-west1' })).includes('shop-prod'));
    assert.deepEqual(await values('projects', {}), ['proj-one']);
    assert.deepEqual(await values('accounts', {}), ['proj-one']);
    // A pool of an existing cluster: the cluster's node zones; Autopilot clusters take no pools.
    fake.addCluster('proj-one', {
      name: 'two-zones',
      location: 'europe-west1',
      status: 'RUNNING',
      locations: ['europe-west1-c', 'europe-west1-b'],
    });
    assert.deepEqual(
      await values('zones', { project: 'proj-one', region: 'europe-west1', location: 'europe-west1', cluster: 'two-zones' }),
      ['europe-west1-b', 'europe-west1-c'],
    );
    assert.ok(!(await values('clusters', { project: 'proj-one', location: 'us-central1' })).includes('auto-1'));
    assert.ok(logLines.some((l) => /^> gke compute regions proj-one \[\d+ms\] ok$/.test(l)));
    await rejectsWith(
      p.choices('zones', { project: 'proj-one', region: 'mars-north1' }),
      'notFound',
      /Compute Engine found nothing/,
      fake.issuedTokens,
    );
    await rejectsWith(p.choices('zones', { project: 'proj-one' }), 'invalid', /region is not chosen yet/, fake.issuedTokens);
    await rejectsWith(p.choices('flavours', {}), 'invalid', /no choices named "flavours"/, fake.issuedTokens);
    for (const l of logLines) for (const t of fake.issuedTokens) assert.ok(!l.includes(t), 'no token in the log');
  });
});
