// Cloud reliability rows (issue #9 point 10; bad-input rows B32, B64, B65, B66, B72, B73) with the real SDK
// clients (@aws-sdk/client-eks, @google-cloud/container + google-auth-library, @azure/arm-containerservice) against
// the loopback fakes. Credentials only from temp files or injected objects; every request counted at the fake.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudKind, CloudProvider } from '../../src/core/clouds/cloudProvider';
import type { CloudProviderSource } from '../../src/core/clouds/cloudSettings';
import { cloudStepCommands, presentCloudNode, signInStep, type CloudTreeNode } from '../../src/core/clouds/cloudTree';
import { CloudTreeLoader } from '../../src/core/clouds/cloudTreeLoader';
import { ClusterDeckError } from '../../src/core/errors';
import { eksProvisioning } from '../../src/core/provisioning/eks/index';
import type { EksClusterWizardState } from '../../src/core/provisioning/eks/eksWizards';
import { zoneRetryPrefill, type ProvisionStep } from '../../src/core/provisioning/provisioning';
import { runWizard, scriptedRenderer } from '../../src/core/wizard/wizard';
import { createAksProvider } from '../../src/node/clouds/aks/aksProvider';
import { createEksProvider, type EksProviderOptions } from '../../src/node/clouds/eks/eksProvider';
import { createGkeProvider, type GkeProviderOptions } from '../../src/node/clouds/gke/gkeProvider';
import { createFakeAzureCredential, startAksFake, type AksFake } from '../fakes/clouds/aksFake';
import { startEksFake, type EksFake } from '../fakes/clouds/eksFake';
import { startGkeFake, type GkeFake } from '../fakes/clouds/gkeFake';
import { assertNoCanary } from '../support/canaries';

const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/cloudRowsCANARYaws0001';
const AWS_SESSION_SECRET = 'sEsSiOnSeCrEt/cloudRowsCANARYaws0002';
const AWS_SESSION_TOKEN = 'IQoJb3JpZ2luX2VjEcloudRowsCANARYtoken0003==';
const SUB = '0b1f6471-1bf0-4dda-aec3-777777777777';

async function timed<T>(p: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = Date.now();
  try {
    const value = await p();
    return { ms: Date.now() - started, value };
  } catch (error) {
    return { ms: Date.now() - started, error };
  }
}

/** One sentence, with no raw SDK text. */
function assertSentence(message: string): void {
  assert.ok(message.length > 10 && message.length < 400, message);
  assert.match(message, /[.!?]$/, message);
  assert.doesNotMatch(message, /\n|\[object |SyntaxError|TypeError|\$metadata/, message);
}

/** A CloudProviderSource over ready-made providers (what the extension's registry hands the loader). */
function sourceOf(providers: Partial<Record<CloudKind, CloudProvider>>): CloudProviderSource {
  const clouds = Object.keys(providers) as CloudKind[];
  return {
    enabledClouds: () => clouds,
    availableClouds: () => clouds,
    provider: (cloud) => Promise.resolve(providers[cloud]!),
    forget: () => undefined,
  };
}

describe('cloud reliability rows against the fakes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clusterdeck-cloudrows-'));
  let eks: EksFake;
  let gke: GkeFake;
  let aks: AksFake;
  const log: string[] = [];
  let gcpKeyBody = '';

  const eksProvider = (extra: Partial<EksProviderOptions> = {}): CloudProvider =>
    createEksProvider({
      endpoint: eks.url,
      stsEndpoint: eks.url,
      ec2Endpoint: eks.url,
      iamEndpoint: eks.url,
      configFile: join(dir, 'aws-config'),
      credentialsFile: join(dir, 'aws-credentials'),
      homeDir: dir,
      env: {},
      pollIntervalMs: 5,
      requestTimeoutMs: 5_000,
      onRequest: (l) => log.push(l),
      ...extra,
    });
  const gkeProvider = (extra: Partial<GkeProviderOptions> = {}): CloudProvider =>
    createGkeProvider({
      apiEndpoint: gke.url,
      resourceManagerEndpoint: gke.url,
      credentialsFile: join(dir, 'sa.json'),
      env: { HOME: dir },
      requestTimeoutMs: 10_000,
      pollIntervalMs: 5,
      onRequest: (l) => log.push(l),
      ...extra,
    });
  const aksProvider = (): CloudProvider =>
    createAksProvider({
      credential: createFakeAzureCredential(),
      resourceManagerEndpoint: aks.url,
      tlsCa: aks.caPem,
      requestTimeoutMs: 5_000,
      pollIntervalMs: 5,
      retryDelayMs: 20,
      onRequest: (l) => log.push(l),
    });
  const gkeListings = (from: number) => gke.records.slice(from).filter((r) => r.method === 'GET' && /\/clusters$/.test(r.path)).length;
  const eksCalls = (operation: string, from: number, region?: string) =>
    eks.records.slice(from).filter((r) => r.operation === operation && (!region || r.region === region)).length;
  const aksListings = (from: number) => aks.records.slice(from).filter((r) => /managedClusters$/i.test(r.path)).length;

  before(async () => {
    writeFileSync(join(dir, 'aws-config'), '[default]\nregion = eu-west-1\n\n[profile session]\nregion = eu-west-1\n');
    writeFileSync(
      join(dir, 'aws-credentials'),
      `[default]\naws_access_key_id = AKIDROWS\naws_secret_access_key = ${AWS_SECRET}\n\n[session]\naws_access_key_id = ASIAROWS\naws_secret_access_key = ${AWS_SESSION_SECRET}\naws_session_token = ${AWS_SESSION_TOKEN}\n`,
    );
    eks = await startEksFake({
      keys: {
        AKIDROWS: { secretAccessKey: AWS_SECRET, account: '123456789012', arn: 'arn:aws:iam::123456789012:user/rows' },
        ASIAROWS: {
          secretAccessKey: AWS_SESSION_SECRET,
          sessionToken: AWS_SESSION_TOKEN,
          account: '123456789012',
          arn: 'arn:aws:sts::123456789012:assumed-role/dev/rows',
        },
      },
      awsQuery: {
        regions: [{ name: 'eu-west-1' }],
        vpcs: [{ id: 'vpc-0abc', cidr: '10.0.0.0/16', name: 'main' }],
        subnets: [
          { id: 'subnet-0a1', vpcId: 'vpc-0abc', az: 'eu-west-1a', cidr: '10.0.1.0/24' },
          { id: 'subnet-0b2', vpcId: 'vpc-0abc', az: 'eu-west-1b', cidr: '10.0.2.0/24' },
          { id: 'subnet-0c3', vpcId: 'vpc-0abc', az: 'eu-west-1c', cidr: '10.0.3.0/24' },
        ],
        offerings: { 'eu-west-1a': ['m5.large'], 'eu-west-1b': ['m5.large'], 'eu-west-1c': ['m5.large'] },
        roles: [
          { name: 'AmazonEKSClusterRole', trusts: ['eks.amazonaws.com'] },
          { name: 'AmazonEKSNodeRole', trusts: ['ec2.amazonaws.com'] },
        ],
      },
    });
    eks.addCluster('eu-west-1', { name: 'web', version: '1.33' });
    eks.addCluster('eu-west-1', { name: 'api', version: '1.33' });
    eks.addCluster('us-east-1', { name: 'batch', version: '1.33' });
    eks.addCluster('eu-north-1', { name: 'edge', version: '1.33' });

    gke = await startGkeFake();
    const pair = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    gcpKeyBody = pair.privateKey.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    const email = 'rows@p1.iam.gserviceaccount.com';
    gke.trustServiceAccount(email, pair.publicKey);
    gke.addProject({ projectId: 'p1', projectNumber: '100000000001' });
    gke.addCluster('p1', {
      name: 'alpha',
      location: 'europe-west1',
      status: 'RUNNING',
      currentMasterVersion: '1.30.5-gke.1014001',
      endpoint: '34.1.2.3',
      nodePools: [{ name: 'default-pool', config: { machineType: 'e2-standard-4' }, initialNodeCount: 1, status: 'RUNNING' }],
    });
    writeFileSync(
      join(dir, 'sa.json'),
      JSON.stringify({
        type: 'service_account',
        project_id: 'p1',
        private_key_id: 'k1',
        private_key: pair.privateKey,
        client_email: email,
        client_id: '1',
        token_uri: gke.tokenUrl,
      }),
    );

    aks = await startAksFake({
      subscriptions: [{ subscriptionId: SUB, displayName: 'Rows', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' }],
      clusters: [
        {
          subscription: SUB,
          resourceGroup: 'rg-rows',
          name: 'steady',
          location: 'westeurope',
          kubernetesVersion: '1.33.2',
          fqdn: 'steady.hcp.westeurope.azmk8s.io',
          agentPools: [{ name: 'system', vmSize: 'Standard_D2s_v5', count: 2, mode: 'System', orchestratorVersion: '1.33.2' }],
        },
        {
          // States ARM may add after this build: a provisioning state and a power state the SDK does not know.
          subscription: SUB,
          resourceGroup: 'rg-rows',
          name: 'novel',
          location: 'westeurope',
          kubernetesVersion: '1.33.2',
          provisioningState: 'Hibernating',
          fqdn: 'novel.hcp.westeurope.azmk8s.io',
          agentPools: [
            {
              name: 'system',
              vmSize: 'Standard_D2s_v5',
              count: 2,
              mode: 'System',
              orchestratorVersion: '1.33.2',
              powerState: 'Deallocating',
            },
          ],
        },
        {
          subscription: SUB,
          resourceGroup: 'rg-rows',
          name: 'dozing',
          location: 'westeurope',
          kubernetesVersion: '1.33.2',
          powerState: 'Dozing',
          fqdn: 'dozing.hcp.westeurope.azmk8s.io',
          agentPools: [{ name: 'system', vmSize: 'Standard_D2s_v5', count: 1, mode: 'System', orchestratorVersion: '1.33.2' }],
        },
      ],
      pageSize: 100,
    });
  });

  after(async () => {
    await eks?.close();
    await gke?.close();
    await aks?.close();
    rmSync(dir, { recursive: true, force: true });
    assertNoCanary(
      [
        AWS_SECRET,
        AWS_SESSION_SECRET,
        AWS_SESSION_TOKEN,
        gcpKeyBody,
        'revoked-refresh-token-rows',
        'rows-client-secret',
        ...(gke ? gke.issuedTokens : []),
        'fake-token-for',
      ],
      [{ name: 'the log', value: log.join('\n') }],
    );
    for (const line of log) assert.match(line, /^> (eks|account|gke|aks|ec2|iam) \S/, `one-line log shape: ${line}`);
  });

  // ---- issue #9 point 10: GKE honours Retry-After (capped), its retry policy explicit ----

  test('GKE waits out Retry-After on 429 and 503 (not its own shorter backoff), then lists', async () => {
    let from = gke.records.length;
    gke.faults.push({
      method: 'GET',
      path: /\/clusters$/,
      times: 2,
      status: 429,
      grpcStatus: 'RESOURCE_EXHAUSTED',
      headers: { 'retry-after': '1' },
    });
    const throttled = await timed(() => gkeProvider().listClusters('p1', undefined));
    gke.faults.length = 0;
    assert.ok(throttled.value, String(throttled.error));
    assert.deepEqual(
      throttled.value.flatMap((s) => s.items.map((c) => c.name)),
      ['alpha'],
    );
    assert.equal(gkeListings(from), 3, 'two throttled answers, then the listing');
    assert.ok(throttled.ms >= 1_950, `two Retry-After: 1 waited out (${throttled.ms} ms)`);
    assert.ok(throttled.ms < 4_000, `and not much more (${throttled.ms} ms)`);
    assert.ok(log.some((l) => /^> gke ListClusters p1 \[\d+ms\] 429 throttled, retrying \(1\/3\) in 1000 ms \(Retry-After\)$/.test(l)));
    assert.ok(log.some((l) => /^> gke ListClusters p1 \[\d+ms\] 429 throttled, retrying \(2\/3\) in 1000 ms \(Retry-After\)$/.test(l)));

    // 503's own backoff is 100 ms: a Retry-After of 1 s is what the wait follows.
    from = gke.records.length;
    gke.faults.push({ method: 'GET', path: /\/clusters$/, times: 1, status: 503, headers: { 'retry-after': '1' } });
    const unavailable = await timed(() => gkeProvider().listClusters('p1', undefined));
    gke.faults.length = 0;
    assert.ok(unavailable.value, String(unavailable.error));
    assert.equal(gkeListings(from), 2);
    assert.ok(unavailable.ms >= 950, `Retry-After: 1 on a 503 waited out (${unavailable.ms} ms)`);
  });

  test('GKE does not sleep through a Retry-After past the 30 s cap or past its deadline: a throttled sentence naming the wait, at once', async () => {
    let from = gke.records.length;
    gke.faults.push({
      method: 'GET',
      path: /\/clusters$/,
      times: 5,
      status: 429,
      grpcStatus: 'RESOURCE_EXHAUSTED',
      headers: { 'retry-after': '120' },
    });
    const capped = await timed(() => gkeProvider().listClusters('p1', undefined));
    gke.faults.length = 0;
    assert.ok(capped.error instanceof ClusterDeckError, String(capped.error));
    assert.equal(capped.error.reason, 'throttled');
    assert.equal(capped.error.detail.retryAfterSeconds, 120);
    assert.match(capped.error.message, /^GKE asked to wait 120 s before trying ListClusters again \(429\); try again later\.$/);
    assert.equal(gkeListings(from), 1, 'not retried');
    assert.ok(capped.ms < 1_500, `gave up at once (${capped.ms} ms)`);

    // Within the cap but past this call's 2 s budget.
    from = gke.records.length;
    gke.faults.push({ method: 'GET', path: /\/clusters$/, times: 5, status: 503, headers: { 'retry-after': '5' } });
    const late = await timed(() => gkeProvider({ requestTimeoutMs: 2_000 }).listClusters('p1', undefined));
    gke.faults.length = 0;
    assert.ok(late.error instanceof ClusterDeckError, String(late.error));
    assert.equal(late.error.reason, 'serverError');
    assert.match(late.error.message, /wait 5 s/);
    assert.equal(gkeListings(from), 1);
    assert.ok(late.ms < 1_500, `gave up at once (${late.ms} ms)`);

    // A mutation is never retried, Retry-After or not.
    const [cluster] = (await gkeProvider().listClusters('p1', undefined)).flatMap((s) => s.items);
    assert.ok(cluster);
    from = gke.records.length;
    gke.faults.push({ method: 'POST', path: /:setSize$/, times: 1, status: 503, headers: { 'retry-after': '1' } });
    await assert.rejects(gkeProvider().scaleNodePool(cluster, 'default-pool', { desired: 2 }), ClusterDeckError);
    gke.faults.length = 0;
    assert.equal(gke.records.slice(from).filter((r) => /:setSize$/.test(r.path)).length, 1, 'sent once');
  });

  // ---- B64: throttling backed off, honoured, a clear "throttled" sentence when it persists, no tight loop ----

  test('B64: persistent throttling on EKS, GKE and AKS: bounded attempts, backed off, "retrying (n/m)" in the log, a throttled sentence', async () => {
    // EKS: ThrottlingException with Retry-After: 1 (the SDK's standard mode, 3 attempts, honours it).
    let from = eks.records.length;
    eks.failNext(
      'ListClusters',
      10,
      {
        kind: 'raw',
        status: 429,
        headers: { 'x-amzn-errortype': 'ThrottlingException', 'retry-after': '1' },
        body: JSON.stringify({ message: 'Rate exceeded' }),
      },
      'eu-west-1',
    );
    const eksT = await timed(() => eksProvider().listClusters('default', ['eu-west-1']));
    eks.clearFailNext();
    assert.ok(eksT.value, String(eksT.error));
    const eksError = eksT.value[0]?.error ?? '';
    assert.match(eksError, /^AWS is throttling eks:ListClusters in eu-west-1; wait a moment, then refresh\.$/);
    assert.equal(eksCalls('ListClusters', from, 'eu-west-1'), 3, 'three attempts (standard mode), no more');
    assert.ok(eksT.ms >= 1_900, `Retry-After: 1 waited out twice (${eksT.ms} ms)`);
    for (const n of [1, 2])
      assert.ok(
        log.some((l) => new RegExp(`^> eks ListClusters eu-west-1 \\[\\d+ms\\] throttled, retrying \\(${n}/2\\)$`).test(l)),
        log.slice(-5).join('\n'),
      );
    assert.ok(log.some((l) => /^> eks ListClusters eu-west-1 \[\d+ms\] throttled$/.test(l)));

    // GKE: 429 RESOURCE_EXHAUSTED without Retry-After: 500 ms, 1 s, 2 s apart, four attempts in all.
    from = gke.records.length;
    gke.faults.push({ method: 'GET', path: /\/clusters$/, times: 10, status: 429, grpcStatus: 'RESOURCE_EXHAUSTED' });
    const gkeT = await timed(() => gkeProvider().listClusters('p1', undefined));
    gke.faults.length = 0;
    assert.ok(gkeT.error instanceof ClusterDeckError, String(gkeT.error));
    assert.equal(gkeT.error.reason, 'throttled');
    assert.match(gkeT.error.message, /^GKE is throttling ListClusters for project p1; try again in a minute\.$/);
    assert.equal(gkeListings(from), 4, 'four attempts, no more');
    assert.ok(gkeT.ms >= 3_400, `backed off 0.5 + 1 + 2 s (${gkeT.ms} ms)`);
    for (const [n, ms] of [
      [1, 500],
      [2, 1000],
      [3, 2000],
    ])
      assert.ok(
        log.some((l) => new RegExp(`^> gke ListClusters p1 \\[\\d+ms\\] 429 throttled, retrying \\(${n}/3\\) in ${ms} ms$`).test(l)),
      );
    assert.ok(log.some((l) => /^> gke ListClusters p1 \[\d+ms\] 429 throttled \(gave up after 4 attempts\)$/.test(l)));

    // AKS: 429 with Retry-After: 1 (the Azure pipeline's throttling strategy, 3 retries).
    from = aks.records.length;
    aks.inject({ path: /managedClusters$/, status: 429, code: 'TooManyRequests', headers: { 'retry-after': '1' }, times: 10 });
    const aksT = await timed(() => aksProvider().listClusters(SUB, undefined));
    aks.clearInjected();
    assert.ok(aksT.error instanceof ClusterDeckError, String(aksT.error));
    assert.equal(aksT.error.reason, 'throttled');
    assert.match(aksT.error.message, /^Azure is throttling requests \(429\) while trying to .+; try again in a minute\.$/);
    assert.equal(aksListings(from), 4, 'four attempts, no more');
    assert.ok(aksT.ms >= 2_900, `Retry-After: 1 waited out three times (${aksT.ms} ms)`);
    for (const n of [1, 2, 3])
      assert.ok(
        log.some((l) =>
          new RegExp(
            `^> aks GET /subscriptions/${SUB}/providers/Microsoft.ContainerService/managedClusters \\[\\d+ms\\] 429 throttled, retrying \\(${n}/3\\) after Retry-After 1 s$`,
          ).test(l),
        ),
        log.slice(-6).join('\n'),
      );
    for (const e of [eksError, gkeT.error.message, aksT.error.message]) assertSentence(e);

    // Once the throttling ends, each cloud lists again.
    assert.equal((await eksProvider().listClusters('default', ['eu-west-1']))[0]?.items.length, 2);
    assert.equal((await gkeProvider().listClusters('p1', undefined)).flatMap((s) => s.items).length, 1);
    assert.equal((await aksProvider().listClusters(SUB, undefined)).flatMap((s) => s.items).length, 3);
  });

  // ---- B65: one region times out, an opt-in region is disabled ----

  test('B65: EKS across regions: a silent region is cut and marked within 5 s, opt-in regions are "not enabled", the others list whole', async () => {
    eks.setRegionFailure('sa-east-1', { kind: 'hang' });
    eks.setRegionFailure('ap-east-1', {
      kind: 'aws',
      status: 403,
      type: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
    eks.setRegionFailure('me-south-1', {
      kind: 'aws',
      status: 403,
      type: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
    });
    try {
      // The default 30 s request timeout: the cut, not the timeout, ends the wait for sa-east-1.
      const listing = await timed(() =>
        eksProvider({ requestTimeoutMs: 30_000 }).listClusters('default', [
          'eu-west-1',
          'us-east-1',
          'sa-east-1',
          'ap-east-1',
          'me-south-1',
          'eu-north-1',
        ]),
      );
      assert.ok(listing.value, String(listing.error));
      assert.ok(listing.ms < 5_000, `the listing returned in ${listing.ms} ms`);
      const byRegion = Object.fromEntries(listing.value.map((r) => [r.scope, r]));
      assert.deepEqual(
        listing.value.flatMap((r) => r.items.map((c) => `${c.location}/${c.name}`)).sort(),
        ['eu-north-1/edge', 'eu-west-1/api', 'eu-west-1/web', 'us-east-1/batch'],
        'nothing of the answering regions is lost',
      );
      for (const r of ['eu-west-1', 'us-east-1', 'eu-north-1']) assert.equal(byRegion[r]?.error, undefined, r);
      assert.match(byRegion['sa-east-1']?.error ?? '', /^EKS in sa-east-1 gave no answer for 4 s while the other regions had answered;/);
      for (const r of ['ap-east-1', 'me-south-1'])
        assert.match(
          byRegion[r]?.error ?? '',
          new RegExp(`^Region ${r} is not enabled for the account of profile "default" \\(an opt-in region\\);`),
        );
      for (const r of listing.value) if (r.error) assertSentence(r.error);

      // The tree: the answering regions as nodes, each failing region a message naming it, with Retry.
      const account: CloudTreeNode = {
        kind: 'account',
        id: 'account:eks:default',
        cloud: 'eks',
        account: { cloud: 'eks', id: 'default', label: 'default' },
      };
      const loaderWithRegions = new CloudTreeLoader({
        source: sourceOf({ eks: eksProvider({ requestTimeoutMs: 30_000 }) }),
        kubeContexts: () => Promise.resolve([]),
        scopesFor: () => ['eu-west-1', 'sa-east-1', 'ap-east-1'],
      });
      const nodes = await loaderWithRegions.children(account);
      assert.deepEqual(
        nodes.map((n) => (n.kind === 'scope' ? `scope ${n.scope}` : n.kind === 'message' ? `message ${n.text.split(';')[0]}` : n.kind)),
        [
          'scope eu-west-1',
          'message sa-east-1: EKS in sa-east-1 gave no answer for 4 s while the other regions had answered',
          'message ap-east-1: Region ap-east-1 is not enabled for the account of profile "default" (an opt-in region)',
        ],
      );
    } finally {
      eks.setRegionFailure('sa-east-1', undefined);
      eks.setRegionFailure('ap-east-1', undefined);
      eks.setRegionFailure('me-south-1', undefined);
    }
  });

  test('B65: a slow region that keeps answering is not cut, however long its listing takes in all', async () => {
    eks.setRegionLatency('eu-west-1', 600);
    try {
      // Cut after 1 s of silence; eu-west-1 answers every 0.6 s but needs ~1.2 s in all (list, then describes).
      const listing = await timed(() => eksProvider({ regionStragglerMs: 1_000 }).listClusters('default', ['eu-west-1', 'us-east-1']));
      assert.ok(listing.value, String(listing.error));
      assert.ok(listing.ms >= 1_150, `the slow region took its time (${listing.ms} ms)`);
      assert.deepEqual(
        listing.value.map((r) => [r.scope, r.items.map((c) => c.name).sort(), r.error]),
        [
          ['eu-west-1', ['api', 'web'], undefined],
          ['us-east-1', ['batch'], undefined],
        ],
      );
    } finally {
      eks.setRegionLatency('eu-west-1', 0);
    }
  });

  test('B65: GKE marks the zones its answer says are missing, keeps the clusters it has', async () => {
    gke.setMissingZones('p1', ['asia-east1-a']);
    try {
      const results = await gkeProvider().listClusters('p1', undefined);
      assert.deepEqual(
        results.flatMap((s) => s.items.map((c) => c.name)),
        ['alpha'],
      );
      const missing = results.find((s) => s.scope === 'asia-east1-a');
      assert.match(missing?.error ?? '', /^GKE did not answer for zone asia-east1-a; clusters there are missing, so refresh later\.$/);
    } finally {
      gke.setMissingZones('p1', []);
    }
  });

  // ---- B66: no cloud credentials at all ----

  test('B66: no credentials anywhere: each cloud says exactly how to sign in, and not one request leaves', async () => {
    const empty = mkdtempSync(join(dir, 'nobody-'));
    const counts = () => [eks.records.length, gke.records.length, aks.records.length];
    const before = counts();
    const noEks = createEksProvider({
      endpoint: eks.url,
      stsEndpoint: eks.url,
      homeDir: empty,
      env: { HOME: empty },
      onRequest: (l) => log.push(l),
    });
    const noGke = createGkeProvider({
      apiEndpoint: gke.url,
      resourceManagerEndpoint: gke.url,
      env: { HOME: empty },
      onRequest: (l) => log.push(l),
    });
    // VS Code's Microsoft sign-in without a session answers like this (src/host/clouds/vscodeAzureCredential.ts).
    const noAks = createAksProvider({
      credential: {
        getToken: () =>
          Promise.reject(
            new ClusterDeckError('unauthorized', 'You are not signed in to Azure; use "Sign in to Azure" in the Clouds view.'),
          ),
      },
      resourceManagerEndpoint: aks.url,
      tlsCa: aks.caPem,
      onRequest: (l) => log.push(l),
    });

    assert.deepEqual(await noEks.listAccounts(), []);
    await assert.rejects(noGke.listAccounts(), (e: unknown) => {
      assert.ok(e instanceof ClusterDeckError && e.reason === 'unauthorized');
      assert.match(e.message, /^No Google Cloud credentials found\. Run `gcloud auth application-default login`/);
      return true;
    });
    await assert.rejects(noAks.listAccounts(), (e: unknown) => {
      assert.ok(e instanceof ClusterDeckError && e.reason === 'unauthorized');
      assert.match(e.message, /Sign in to Azure/);
      return true;
    });

    // What the Clouds view shows: nothing configured → the welcome content; one cloud at a time → its sentence.
    const loader = new CloudTreeLoader({
      source: sourceOf({ eks: noEks, gke: noGke, aks: noAks }),
      kubeContexts: () => Promise.resolve([]),
    });
    assert.deepEqual(await loader.children(undefined), [], 'the welcome content (package.json viewsWelcome) shows');
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      contributes: { viewsWelcome: { view: string; contents: string }[] };
    };
    const welcome = manifest.contributes.viewsWelcome.find((w) => w.view === 'clusterdeck.clouds')?.contents ?? '';
    for (const how of [
      'aws configure',
      'aws sso login',
      'gcloud auth application-default login',
      '[Sign in to Azure](command:clusterdeck.cloud.signInAzure)',
      '[Choose AWS Profile](command:clusterdeck.cloud.chooseAwsProfile)',
      '[Set Google Credentials](command:clusterdeck.cloud.setGoogleCredentials)',
    ])
      assert.ok(welcome.includes(how), `the welcome content says ${how}`);
    const expected: Record<CloudKind, RegExp> = {
      eks: /Run `aws configure` \(access keys\) or `aws configure sso` then `aws sso login`, then refresh\.$/,
      gke: /Run `gcloud auth application-default login`/,
      aks: /Sign in to Azure/,
    };
    for (const cloud of ['eks', 'gke', 'aks'] as const) {
      const [node, ...rest] = await loader.children({ kind: 'cloud', id: `cloud:${cloud}`, cloud });
      assert.equal(rest.length, 0);
      assert.ok(node?.kind === 'message', cloud);
      assert.match(node.text, expected[cloud]);
      assert.deepEqual(node.nextStep, signInStep(cloud), `${cloud}: the sign-in action`);
      assert.equal(presentCloudNode(node).command?.command, signInStep(cloud).command);
    }
    assert.deepEqual(counts(), before, 'no request reached any fake (and the loopback guard saw no other socket)');
  });

  // ---- B73: unknown enum values from ARM ----

  test('B73: AKS provisioning and power states ARM added after this build are kept as text, health unknown, no crash', async () => {
    const p = aksProvider();
    const clusters = (await p.listClusters(SUB, undefined)).flatMap((s) => s.items);
    const byName = Object.fromEntries(clusters.map((c) => [c.name, c]));
    assert.deepEqual([byName.steady?.status, byName.steady?.health], ['Running', 'ok']);
    assert.deepEqual([byName.novel?.status, byName.novel?.health], ['Hibernating', 'unknown']);
    assert.deepEqual([byName.dozing?.status, byName.dozing?.health], ['Dozing', 'unknown']);
    const novel = byName.novel;
    assert.ok(novel);
    const pools = await p.listNodePools(novel);
    assert.deepEqual(
      pools.map((x) => [x.name, x.status, x.health]),
      [['system', 'Deallocating', 'unknown']],
    );
    // In the tree: the raw text in the description and tooltip, the "unknown" (question) icon.
    const shown = presentCloudNode({
      kind: 'cluster',
      id: 'x',
      cluster: novel,
      account: { cloud: 'aks', id: SUB, label: 'Rows' },
    });
    assert.match(shown.description ?? '', /^Hibernating · 1\.33\.2/);
    assert.match(shown.tooltip ?? '', /Status: Hibernating/);
    assert.deepEqual(shown.icon, { id: 'question' });
  });

  // ---- B32: expired static EKS session keys ----

  test('B32: an expired login (EKS session keys, GKE revoked ADC, Azure sign-in gone): the exact command, one request, a Sign-in action in the tree', async () => {
    const from = eks.records.length;
    eks.failNext('ListClusters', 5, {
      kind: 'aws',
      status: 403,
      type: 'ExpiredTokenException',
      message: 'The security token included in the request is expired',
    });
    const p = eksProvider();
    const loader = new CloudTreeLoader({
      source: sourceOf({ eks: p }),
      kubeContexts: () => Promise.resolve([]),
      scopesFor: () => ['eu-west-1'],
    });
    const nodes = await loader.children({
      kind: 'account',
      id: 'account:eks:session',
      cloud: 'eks',
      account: { cloud: 'eks', id: 'session', label: 'session' },
    });
    eks.clearFailNext();
    assert.equal(nodes.length, 1);
    const node = nodes[0];
    assert.ok(node?.kind === 'message');
    assert.equal(
      node.text,
      'The session keys of profile "session" have expired; run `aws configure --profile session` with new keys (and `aws configure set aws_session_token <token> --profile session`), then refresh.',
    );
    assert.deepEqual(node.nextStep, { command: cloudStepCommands.chooseAwsProfile, title: 'Choose AWS Profile…', args: [] });
    assert.equal(eksCalls('ListClusters', from), 1, 'ExpiredToken is not retried');

    // The same keys in the environment: the variables to renew.
    eks.failNext('ListClusters', 5, { kind: 'aws', status: 403, type: 'ExpiredTokenException', message: 'expired' });
    const envP = eksProvider({
      env: { AWS_ACCESS_KEY_ID: 'ASIAROWS', AWS_SECRET_ACCESS_KEY: AWS_SESSION_SECRET, AWS_SESSION_TOKEN: AWS_SESSION_TOKEN },
    });
    await assert.rejects(envP.listClusters('env', ['eu-west-1']), (e: unknown) => {
      assert.ok(e instanceof ClusterDeckError && e.reason === 'unauthorized');
      assert.match(
        e.message,
        /^The session keys in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN have expired; set new ones/,
      );
      return true;
    });
    eks.clearFailNext();

    // GKE: the ADC refresh token was revoked; AKS: the sign-in is gone. Each account node shows the sentence with
    // the command and the cloud's sign-in action; AKS sends nothing without a token.
    const home = mkdtempSync(join(dir, 'gcloud-'));
    mkdirSync(join(home, '.config', 'gcloud'), { recursive: true });
    writeFileSync(
      join(home, '.config', 'gcloud', 'application_default_credentials.json'),
      JSON.stringify({
        type: 'authorized_user',
        client_id: 'rows.apps.googleusercontent.com',
        client_secret: 'rows-client-secret',
        refresh_token: 'revoked-refresh-token-rows',
        token_uri: gke.tokenUrl,
      }),
    );
    const armBefore = aks.records.length;
    const expiredLoader = new CloudTreeLoader({
      source: sourceOf({
        gke: createGkeProvider({
          apiEndpoint: gke.url,
          resourceManagerEndpoint: gke.url,
          env: { HOME: home },
          onRequest: (l) => log.push(l),
        }),
        aks: createAksProvider({
          credential: {
            getToken: () =>
              Promise.reject(Object.assign(new Error('Interactive sign-in required.'), { name: 'AuthenticationRequiredError' })),
          },
          resourceManagerEndpoint: aks.url,
          tlsCa: aks.caPem,
          onRequest: (l) => log.push(l),
        }),
      }),
      kubeContexts: () => Promise.resolve([]),
    });
    const expected = { gke: /Run `gcloud auth application-default login`/, aks: /sign in to Azure again\.$/ } as const;
    for (const cloud of ['gke', 'aks'] as const) {
      const [shown, ...more] = await expiredLoader.children({
        kind: 'account',
        id: `account:${cloud}:x`,
        cloud,
        account: { cloud, id: cloud === 'gke' ? 'p1' : SUB, label: 'x' },
      });
      assert.equal(more.length, 0);
      assert.ok(shown?.kind === 'message', cloud);
      assert.match(shown.text, expected[cloud]);
      assertSentence(shown.text);
      assert.deepEqual(shown.nextStep, signInStep(cloud), `${cloud}: the sign-in action`);
    }
    assert.equal(aks.records.length, armBefore, 'no ARM request without a token');
  });

  // ---- B72: UnsupportedAvailabilityZoneException with validZones ----

  test('B72: CreateCluster refused for its zone: the error carries validZones and the wizard, run again, pre-selects only them', async () => {
    const p = eksProvider();
    const prov = p.provisioning;
    assert.ok(prov);
    const wizard = eksProvisioning.clusterWizard;
    const load = (q: string, params: Record<string, string>, sig?: AbortSignal) => prov.choices(q, params, sig);

    // First run: subnets in a and c (c will be refused).
    const first = await runWizard(
      wizard.steps(load),
      wizard.initial({}),
      scriptedRenderer<EksClusterWizardState>({
        name: ['zoned'],
        vpc: ['vpc-0abc'],
        subnets: [['subnet-0a1/eu-west-1a/private', 'subnet-0c3/eu-west-1c/private']],
      }),
    );
    assert.ok(first);
    const plan = eksProvisioning.clusterFormat.plan(wizard.toSpec(first));
    const from = eks.records.length;
    eks.failNext('CreateCluster', 1, {
      kind: 'raw',
      status: 400,
      headers: { 'x-amzn-errortype': 'UnsupportedAvailabilityZoneException' },
      body: JSON.stringify({
        message:
          "Cannot create cluster 'zoned' because eu-west-1c, the targeted availability zone, does not currently have sufficient capacity to support the cluster. Retry and choose from these availability zones: eu-west-1a, eu-west-1b",
        clusterName: 'zoned',
        validZones: ['eu-west-1a', 'eu-west-1b'],
      }),
    });
    const refused = await timed(() =>
      prov.create(plan.steps[0] as ProvisionStep, { opId: 'op-z', token: 'aaaaaaaa-2222-4333-8444-555555555555' }),
    );
    eks.clearFailNext();
    assert.ok(refused.error instanceof ClusterDeckError, String(refused.error));
    assert.equal(refused.error.reason, 'invalid');
    assert.deepEqual(refused.error.detail.validZones, ['eu-west-1a', 'eu-west-1b']);
    assert.match(refused.error.message, /create again with subnets in eu-west-1a, eu-west-1b \(the wizard pre-selects them\)\.$/);
    assertSentence(refused.error.message);
    assert.equal(eksCalls('CreateCluster', from), 1, 'sent once');

    // Run again with the pre-fill the error gives: the subnets step pre-selects a and b, not c.
    const prefill = zoneRetryPrefill(refused.error, { account: 'default', location: 'eu-west-1' });
    assert.deepEqual(prefill, { account: 'default', location: 'eu-west-1', zones: ['eu-west-1a', 'eu-west-1b'] });
    assert.equal(zoneRetryPrefill(new ClusterDeckError('invalid', 'Other.'), {}), undefined);
    const again = scriptedRenderer<EksClusterWizardState>({ name: ['zoned'], vpc: ['vpc-0abc'] });
    const state = await runWizard(wizard.steps(load), wizard.initial(prefill ?? {}), again);
    assert.ok(state);
    assert.deepEqual(
      state.subnets?.map((s) => `${s.id}/${s.az}`),
      ['subnet-0a1/eu-west-1a', 'subnet-0b2/eu-west-1b'],
    );
    assert.deepEqual(
      state.ng.subnets?.map((s) => s.az),
      ['eu-west-1a', 'eu-west-1b'],
    );
    const retried = eksProvisioning.clusterFormat.plan(wizard.toSpec(state));
    const created = await prov.create(retried.steps[0] as ProvisionStep, { opId: 'op-z2', token: 'bbbbbbbb-2222-4333-8444-555555555555' });
    await created.operation?.wait();
    assert.equal(eks.cluster('eu-west-1', 'zoned')?.status, 'ACTIVE');
  });
});
