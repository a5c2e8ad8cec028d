// The three real cloud providers (EKS, GKE, AKS over their own SDKs) through the fault-injection proxy (issue #9
// point 11; reliability §4.1 L3b): a black hole, a connection reset mid-body, 503 storms with Retry-After and
// malformed or truncated JSON. Each fault is either retried or one clear, secret-free ClusterDeckError sentence
// within the provider's deadline, and the listing is whole again once the fault ends. After every scenario the
// canary scan looks for the planted AWS secret key, Azure client secret and GCP private key (and the tokens made
// from them) in every log line, error and result.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientSecretCredential, type TokenCredential } from '@azure/identity';
import type { CloudCluster, CloudProvider, ScopeResult } from '../../src/core/clouds/cloudProvider';
import { ClusterDeckError } from '../../src/core/errors';
import { createAksProvider } from '../../src/node/clouds/aks/aksProvider';
import { createEksProvider } from '../../src/node/clouds/eks/eksProvider';
import { createGkeProvider } from '../../src/node/clouds/gke/gkeProvider';
import { startAksFake, type AksFake } from '../fakes/clouds/aksFake';
import { startEksFake, type EksFake } from '../fakes/clouds/eksFake';
import { startGkeFake, type GkeFake } from '../fakes/clouds/gkeFake';
import { startFaultProxy, type FaultProxy } from '../fakes/faultProxy';
import { assertNoCanary, type CanarySink } from '../support/canaries';

// Canaries, unique to this file.
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/cloudFaultsCANARYaws01';
const AZURE_SECRET = 'azure-client-secret-cloudFaults-CANARY-5e1d';
const AZURE_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const AZURE_CLIENT = '1c2d3e4f-0000-4000-8000-cafecafe0001';
const SUB = '0b1f6471-1bf0-4dda-aec3-999999999999';
const SA_EMAIL = 'faults@p1.iam.gserviceaccount.com';

/** What one provider call came to: a result, or the error it threw. */
type Outcome<T> = { ok: true; value: T; ms: number } | { ok: false; error: unknown; ms: number };
async function outcome<T>(p: () => Promise<T>): Promise<Outcome<T>> {
  const started = Date.now();
  try {
    const value = await p();
    return { ok: true, value, ms: Date.now() - started };
  } catch (error) {
    return { ok: false, error, ms: Date.now() - started };
  }
}

/** A user-facing sentence: one sentence, no stack, no raw SDK or Node error text. */
function assertClearSentence(message: string): void {
  assert.ok(message.length > 10 && message.length < 400, `a short sentence: ${message}`);
  assert.match(message, /[.!?]$/, `ends as a sentence: ${message}`);
  assert.doesNotMatch(message, /\n|socket hang up|Unexpected token|Unexpected end of JSON|SyntaxError|TypeError|\[object /);
}

/** The failure of a listing: the thrown ClusterDeckError, or the message of every failed scope. */
function listingFailure(o: Outcome<readonly ScopeResult<CloudCluster>[]>): { reason?: string; messages: string[] } {
  if (!o.ok) {
    assert.ok(o.error instanceof ClusterDeckError, `a ClusterDeckError, not ${String(o.error)}`);
    return { reason: o.error.reason, messages: [o.error.message] };
  }
  const messages = o.value.flatMap((s) => (s.error !== undefined ? [s.error] : []));
  assert.ok(messages.length > 0, `the listing failed somewhere: ${JSON.stringify(o.value)}`);
  return { messages };
}

const names = (o: Outcome<readonly ScopeResult<CloudCluster>[]>): string[] => {
  assert.ok(o.ok, `the listing succeeded: ${o.ok ? '' : String((o.error as Error).message)}`);
  return o.value
    .flatMap((s) => s.items)
    .map((c) => c.name)
    .sort();
};

interface Harness {
  readonly cloud: string;
  readonly proxy: FaultProxy;
  readonly log: string[];
  readonly canaries: readonly string[];
  readonly expected: readonly string[];
  /** A new provider (new SDK clients, so no keep-alive socket skips the proxy's new toxics). */
  provider(timeoutMs?: number): CloudProvider;
  list(p: CloudProvider): Promise<readonly ScopeResult<CloudCluster>[]>;
  /** The longest a call may take under a black hole with `timeoutMs` per request (attempts and backoff included). */
  deadlineMs(timeoutMs: number): number;
  /** The next `times` cluster listings answer 503 with `Retry-After: retryAfter`. */
  storm(times: number, retryAfter: string): void;
  /** The next `times` cluster listings answer 200 with a body cut in the middle of its JSON. */
  malformed(times: number): void;
  clearFaults(): void;
  /** Bytes of a listing's answer after which a reset falls in its body (TLS handshake and headers passed). */
  readonly midBodyBytes: number;
  /** Whether the provider waits out Retry-After (all three do: GKE since its explicit read retry policy). */
  readonly honoursRetryAfter: boolean;
}

describe('cloud providers through the fault-injection proxy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clusterdeck-cloudfaults-'));
  const harnesses: Harness[] = [];
  let eks: EksFake;
  let gke: GkeFake;
  let aks: AksFake;
  const proxies: FaultProxy[] = [];
  let gcpKeyBody = '';
  let azureCredential: TokenCredential;

  before(async () => {
    // ---- EKS ----
    writeFileSync(join(dir, 'config'), '[default]\nregion = eu-west-1\n');
    writeFileSync(join(dir, 'credentials'), `[default]\naws_access_key_id = AKIDFAULTS\naws_secret_access_key = ${AWS_SECRET}\n`);
    eks = await startEksFake({
      keys: { AKIDFAULTS: { secretAccessKey: AWS_SECRET, account: '123456789012', arn: 'arn:aws:iam::123456789012:user/faults' } },
    });
    // Long names: the ListClusters answer's body is well past its headers, so a reset at midBodyBytes is mid-body.
    const eksNames = ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => `${x}-cluster-with-a-rather-long-name-to-make-the-body-larger-0001`);
    for (const name of eksNames) eks.addCluster('eu-west-1', { name, version: '1.33' });
    const eksProxy = await startFaultProxy({ port: Number(new URL(eks.url).port) });
    proxies.push(eksProxy);
    const eksLog: string[] = [];
    harnesses.push({
      cloud: 'eks',
      proxy: eksProxy,
      log: eksLog,
      canaries: [AWS_SECRET],
      expected: eksNames,
      provider: (timeoutMs = 1_500) =>
        createEksProvider({
          endpoint: `http://127.0.0.1:${eksProxy.port}`,
          stsEndpoint: `http://127.0.0.1:${eksProxy.port}`,
          configFile: join(dir, 'config'),
          credentialsFile: join(dir, 'credentials'),
          homeDir: dir,
          env: {},
          regions: () => ['eu-west-1'],
          requestTimeoutMs: timeoutMs,
          pollIntervalMs: 5,
          onRequest: (l) => eksLog.push(l),
        }),
      list: (p) => p.listClusters('default', ['eu-west-1']),
      // 3 attempts, each cut at the request timeout, plus the SDK's backoff (≤ 2 × ~0.5 s here).
      deadlineMs: (t) => 3 * t + 3_000,
      storm: (times, retryAfter) =>
        eks.failNext('ListClusters', times, {
          kind: 'raw',
          status: 503,
          headers: { 'retry-after': retryAfter, 'x-amzn-errortype': 'ServiceUnavailableException' },
          body: JSON.stringify({ message: 'Service Unavailable' }),
        }),
      malformed: (times) => eks.failNext('ListClusters', times, { kind: 'raw', status: 200, body: '{"clusters":["a-cluster-with' }),
      clearFaults: () => eks.clearFailNext(),
      midBodyBytes: 320,
      honoursRetryAfter: true,
    });

    // ---- GKE ----
    gke = await startGkeFake();
    const pair = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    gcpKeyBody = pair.privateKey.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    gke.trustServiceAccount(SA_EMAIL, pair.publicKey);
    gke.addProject({ projectId: 'p1', projectNumber: '100000000001' });
    const gkeNames = ['alpha', 'bravo', 'charlie'];
    for (const name of gkeNames)
      gke.addCluster('p1', {
        name,
        location: 'europe-west1',
        status: 'RUNNING',
        currentMasterVersion: '1.30.5-gke.1014001',
        endpoint: '34.1.2.3',
        nodePools: [{ name: 'default-pool', config: { machineType: 'e2-standard-4' }, initialNodeCount: 1, status: 'RUNNING' }],
      });
    // The token endpoint stays direct (google-auth-library's own client); the Container API goes through the proxy.
    writeFileSync(
      join(dir, 'sa.json'),
      JSON.stringify({
        type: 'service_account',
        project_id: 'p1',
        private_key_id: 'k1',
        private_key: pair.privateKey,
        client_email: SA_EMAIL,
        client_id: '1234',
        token_uri: gke.tokenUrl,
      }),
    );
    const gkeProxy = await startFaultProxy({ port: Number(new URL(gke.url).port) });
    proxies.push(gkeProxy);
    const gkeLog: string[] = [];
    harnesses.push({
      cloud: 'gke',
      proxy: gkeProxy,
      log: gkeLog,
      canaries: [gcpKeyBody],
      expected: gkeNames,
      provider: (timeoutMs = 1_500) =>
        createGkeProvider({
          apiEndpoint: `http://127.0.0.1:${gkeProxy.port}`,
          resourceManagerEndpoint: gke.url,
          credentialsFile: join(dir, 'sa.json'),
          env: { HOME: dir },
          requestTimeoutMs: timeoutMs,
          pollIntervalMs: 10,
          onRequest: (l) => gkeLog.push(l),
        }),
      list: (p) => p.listClusters('p1', undefined),
      // One budget for a read, its retries included.
      deadlineMs: (t) => t + 2_000,
      storm: (times, retryAfter) => gke.faults.push({ path: /\/clusters$/, times, status: 503, headers: { 'retry-after': retryAfter } }),
      malformed: (times) => gke.faults.push({ path: /\/clusters$/, times, rawBody: '{"clusters":[{"name":"alpha","loc' }),
      clearFaults: () => gke.faults.splice(0),
      midBodyBytes: 400,
      honoursRetryAfter: true,
    });

    // ---- AKS ----
    aks = await startAksFake({
      subscriptions: [{ subscriptionId: SUB, displayName: 'Faults', tenantId: AZURE_TENANT }],
      clusters: ['one', 'two', 'three', 'four', 'five', 'six'].map((name) => ({
        subscription: SUB,
        resourceGroup: 'rg-faults',
        name,
        location: 'westeurope',
        kubernetesVersion: '1.33.2',
        fqdn: `${name}-dns.hcp.westeurope.azmk8s.io`,
        agentPools: [{ name: 'system', vmSize: 'Standard_D2s_v5', count: 2, mode: 'System' as const, orchestratorVersion: '1.33.2' }],
      })),
      pageSize: 100,
      clientSecrets: { [AZURE_CLIENT]: AZURE_SECRET },
    });
    // A service principal's client secret, signed in through @azure/identity against the fake's token endpoint
    // (direct, trusting the fake's CA); the token it gets is for the fake's own ARM scope.
    const secretCredential = new ClientSecretCredential(AZURE_TENANT, AZURE_CLIENT, AZURE_SECRET, {
      authorityHost: aks.url,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: aks.caPem },
    });
    azureCredential = { getToken: (_scopes, options) => secretCredential.getToken(aks.armScope, options) };
    const aksProxy = await startFaultProxy({ port: Number(new URL(aks.url).port) });
    proxies.push(aksProxy);
    const aksLog: string[] = [];
    harnesses.push({
      cloud: 'aks',
      proxy: aksProxy,
      log: aksLog,
      canaries: [AZURE_SECRET],
      expected: ['five', 'four', 'one', 'six', 'three', 'two'],
      provider: (timeoutMs = 1_500) =>
        createAksProvider({
          credential: azureCredential,
          resourceManagerEndpoint: `https://127.0.0.1:${aksProxy.port}`,
          tlsCa: aks.caPem,
          requestTimeoutMs: timeoutMs,
          pollIntervalMs: 5,
          retryDelayMs: 20,
          onRequest: (l) => aksLog.push(l),
        }),
      list: (p) => p.listClusters(SUB, undefined),
      // 4 attempts (3 retries) at most, each cut at the request timeout, plus short backoff.
      deadlineMs: (t) => 4 * t + 2_000,
      storm: (times, retryAfter) =>
        aks.inject({ path: /managedClusters$/, status: 503, code: 'ServiceUnavailable', headers: { 'retry-after': retryAfter }, times }),
      malformed: (times) =>
        aks.inject({ path: /managedClusters$/, status: 200, code: '', rawBody: '{"value":[{"id":"/subscriptions/', times }),
      clearFaults: () => aks.clearInjected(),
      // TLS handshake (certificate) first; the listing's body is several KB.
      midBodyBytes: 6_000,
      honoursRetryAfter: true,
    });
  });

  after(async () => {
    for (const p of proxies) await p.close();
    await eks?.close();
    await gke?.close();
    await aks?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The canary scan over everything one scenario produced. */
  function scan(h: Harness, sinks: CanarySink[]): void {
    const tokens = [...gke.issuedTokens];
    assertNoCanary([AWS_SECRET, AZURE_SECRET, gcpKeyBody, ...tokens], [{ name: `the ${h.cloud} log`, value: h.log.join('\n') }, ...sinks]);
    // Every log line is the one-line shape, never a dump.
    for (const line of h.log) assert.match(line, /^> (eks|account|gke|aks) \S/, `log line shape: ${line}`);
  }

  for (const cloud of ['eks', 'gke', 'aks']) {
    const h = (): Harness => harnesses.find((x) => x.cloud === cloud)!;

    describe(cloud, () => {
      test(`${cloud}: a black-holed endpoint is a timeout sentence within the deadline; once healed the listing is whole`, async () => {
        const harness = h();
        const healthy = await outcome(() => harness.list(harness.provider()));
        assert.deepEqual(names(healthy), [...harness.expected].sort());
        const cluster = healthy.ok ? healthy.value.flatMap((s) => s.items)[0]! : undefined;
        assert.ok(cluster);

        harness.proxy.set({ blackhole: true });
        harness.proxy.dropAll();
        const timeoutMs = 1_000;
        const p = harness.provider(timeoutMs);
        const listing = await outcome(() => harness.list(p));
        const pools = await outcome(() => p.listNodePools(cluster));
        harness.proxy.set({});

        const failed = listingFailure(listing);
        assert.ok(listing.ms < harness.deadlineMs(timeoutMs), `the listing gave up in ${listing.ms} ms`);
        for (const m of failed.messages) {
          assert.match(m, /did not answer|timed out|timeout/i);
          assertClearSentence(m);
        }
        if (failed.reason !== undefined) assert.equal(failed.reason, 'timeout');
        // A call that throws: a ClusterDeckError with reason timeout.
        assert.ok(!pools.ok, 'node pools failed too');
        assert.ok(pools.error instanceof ClusterDeckError, `a ClusterDeckError, not ${String(pools.error)}`);
        assert.equal(pools.error.reason, 'timeout', pools.error.message);
        assertClearSentence(pools.error.message);
        assert.ok(pools.ms < harness.deadlineMs(timeoutMs), `node pools gave up in ${pools.ms} ms`);

        const healed = await outcome(() => harness.list(harness.provider()));
        assert.deepEqual(names(healed), [...harness.expected].sort(), 'recovered');
        scan(harness, [
          { name: 'the black-hole listing', value: listing },
          { name: 'the black-hole node pools error', value: pools },
          { name: 'the healed listing', value: healed },
        ]);
      });

      test(`${cloud}: a connection reset mid-body is retried; a reset on every attempt is a clear sentence, never a raw error`, async () => {
        const harness = h();
        // Only the first connection is cut: its retry goes through.
        harness.proxy.set({ resetAfterBytes: harness.midBodyBytes, forConnections: 1 });
        harness.proxy.dropAll();
        const before = harness.proxy.connections;
        const once = await outcome(() => harness.list(harness.provider()));
        assert.deepEqual(names(once), [...harness.expected].sort(), 'retried to a whole listing');
        assert.ok(harness.proxy.connections - before >= 2, 'a second connection carried the retry');

        // Every connection is cut.
        harness.proxy.set({ resetAfterBytes: harness.midBodyBytes });
        harness.proxy.dropAll();
        const always = await outcome(() => harness.list(harness.provider()));
        harness.proxy.set({});
        const failed = listingFailure(always);
        for (const m of failed.messages) {
          assertClearSentence(m);
          assert.match(m, /reach|unreachable|connection|network|answer/i);
        }
        if (failed.reason !== undefined) assert.match(failed.reason, /^(unreachable|serverError|timeout)$/);

        const healed = await outcome(() => harness.list(harness.provider()));
        assert.deepEqual(names(healed), [...harness.expected].sort(), 'recovered');
        scan(harness, [
          { name: 'the retried listing', value: once },
          { name: 'the always-reset listing', value: always },
          { name: 'the healed listing', value: healed },
        ]);
      });

      test(`${cloud}: a 503 storm with Retry-After is retried to a whole listing; a longer storm is a clear sentence and the listing returns when it ends`, async () => {
        const harness = h();
        harness.storm(2, '1');
        const stormy = await outcome(() => harness.list(harness.provider(5_000)));
        assert.deepEqual(names(stormy), [...harness.expected].sort(), 'retried through the storm');
        if (harness.honoursRetryAfter) assert.ok(stormy.ms >= 1_800, `two Retry-After: 1 waited out (${stormy.ms} ms)`);
        assert.ok(
          harness.log.some((l) => /503|retry|attempts/i.test(l)),
          `the retries show in the log:\n${harness.log.slice(-6).join('\n')}`,
        );

        harness.storm(50, '0');
        const long = await outcome(() => harness.list(harness.provider(5_000)));
        harness.clearFaults();
        const failed = listingFailure(long);
        for (const m of failed.messages) {
          assertClearSentence(m);
          assert.match(m, /503|server error|unavailable|try again/i);
        }
        const ended = await outcome(() => harness.list(harness.provider()));
        assert.deepEqual(names(ended), [...harness.expected].sort(), 'the listing returns once the storm ends');
        scan(harness, [
          { name: 'the stormy listing', value: stormy },
          { name: 'the long-storm listing', value: long },
          { name: 'the listing after the storm', value: ended },
        ]);
      });

      test(`${cloud}: malformed JSON (a 200 cut mid-object, or a body truncated by the network) is a clear sentence`, async () => {
        const harness = h();
        harness.malformed(50);
        const bad = await outcome(() => harness.list(harness.provider()));
        harness.clearFaults();
        const failed = listingFailure(bad);
        for (const m of failed.messages) {
          assertClearSentence(m);
          assert.match(m, /could not be read \(not valid JSON\)/);
        }
        if (failed.reason !== undefined) assert.equal(failed.reason, 'serverError');

        harness.proxy.set({ closeAfterBytes: harness.midBodyBytes });
        harness.proxy.dropAll();
        const truncated = await outcome(() => harness.list(harness.provider()));
        harness.proxy.set({});
        for (const m of listingFailure(truncated).messages) assertClearSentence(m);

        const healed = await outcome(() => harness.list(harness.provider()));
        assert.deepEqual(names(healed), [...harness.expected].sort(), 'recovered');
        scan(harness, [
          { name: 'the malformed listing', value: bad },
          { name: 'the truncated listing', value: truncated },
          { name: 'the healed listing', value: healed },
        ]);
      });
    });
  }

  test('aks: a Retry-After past the 30 s cap is not slept through: a throttled sentence at once, then the listing returns', async () => {
    const harness = harnesses.find((x) => x.cloud === 'aks')!;
    aks.inject({ path: /managedClusters$/, status: 429, code: 'TooManyRequests', headers: { 'retry-after': '120' }, times: 5 });
    const capped = await outcome(() => harness.list(harness.provider(5_000)));
    aks.clearInjected();
    assert.ok(!capped.ok && capped.error instanceof ClusterDeckError, 'a ClusterDeckError');
    assert.equal(capped.error.reason, 'throttled');
    assert.match(capped.error.message, /wait 120 s/);
    assertClearSentence(capped.error.message);
    assert.ok(capped.ms < 3_000, `gave up in ${capped.ms} ms instead of sleeping 120 s`);
    const after = await outcome(() => harness.list(harness.provider()));
    assert.deepEqual(names(after), [...harness.expected].sort());
    scan(harness, [
      { name: 'the capped listing', value: capped },
      { name: 'the listing after', value: after },
    ]);
  });

  test('B32: an expired cloud login is an "unauthorized" sentence with the sign-in step, asked once, no retry loop', async () => {
    // EKS: the session credentials have expired (ExpiredTokenException): one request, not three.
    const eksH = harnesses.find((x) => x.cloud === 'eks')!;
    const before = eks.records.filter((r) => r.operation === 'ListClusters').length;
    eks.failNext('ListClusters', 5, {
      kind: 'aws',
      status: 403,
      type: 'ExpiredTokenException',
      message: 'The security token included in the request is expired',
    });
    const expired = await outcome(() => eksH.list(eksH.provider()));
    eks.clearFailNext();
    assert.ok(!expired.ok && expired.error instanceof ClusterDeckError);
    assert.equal(expired.error.reason, 'unauthorized');
    // Static session keys of a profile: the exact command that replaces them.
    assert.match(expired.error.message, /have expired; run `aws configure --profile default` with new keys/);
    assert.equal(eks.records.filter((r) => r.operation === 'ListClusters').length - before, 1, 'ExpiredToken is not retried');

    // GKE: the ADC refresh token was revoked (invalid_grant): the gcloud command to sign in again.
    const home = join(dir, 'gcloud-home');
    mkdirSync(join(home, '.config', 'gcloud'), { recursive: true });
    writeFileSync(
      join(home, '.config', 'gcloud', 'application_default_credentials.json'),
      JSON.stringify({
        type: 'authorized_user',
        client_id: 'faults.apps.googleusercontent.com',
        client_secret: AZURE_SECRET.replace('azure', 'gcp'),
        refresh_token: 'revoked-refresh-token-CANARY-0042',
        token_uri: gke.tokenUrl,
      }),
    );
    const gkeH = harnesses.find((x) => x.cloud === 'gke')!;
    const tokenCalls = gke.records.filter((r) => r.path === '/token').length;
    const gkeLog: string[] = [];
    const revoked = await outcome(() =>
      createGkeProvider({
        apiEndpoint: `http://127.0.0.1:${gkeH.proxy.port}`,
        resourceManagerEndpoint: gke.url,
        env: { HOME: home },
        requestTimeoutMs: 2_000,
        onRequest: (l) => gkeLog.push(l),
      }).listClusters('p1', undefined),
    );
    assert.ok(!revoked.ok && revoked.error instanceof ClusterDeckError, String(!revoked.ok && revoked.error));
    assert.equal(revoked.error.reason, 'unauthorized');
    assert.match(revoked.error.message, /Run `gcloud auth application-default login`/);
    assert.ok(gke.records.filter((r) => r.path === '/token').length - tokenCalls <= 2, 'the token endpoint is asked at most twice');

    // AKS: the sign-in is gone (the credential says so): no ARM request at all, "sign in to Azure again".
    const aksH = harnesses.find((x) => x.cloud === 'aks')!;
    const armBefore = aks.records.length;
    const signedOut = createAksProvider({
      credential: {
        getToken: () => Promise.reject(Object.assign(new Error('Interactive sign-in required.'), { name: 'AuthenticationRequiredError' })),
      },
      resourceManagerEndpoint: `https://127.0.0.1:${aksH.proxy.port}`,
      tlsCa: aks.caPem,
      requestTimeoutMs: 2_000,
      retryDelayMs: 20,
      onRequest: (l) => aksH.log.push(l),
    });
    const azure = await outcome(() => signedOut.listClusters(SUB, undefined));
    assert.ok(!azure.ok && azure.error instanceof ClusterDeckError);
    assert.equal(azure.error.reason, 'unauthorized');
    assert.match(azure.error.message, /sign in to Azure again\.$/);
    assert.equal(aks.records.length, armBefore, 'no request without a token');
    for (const h of [eksH, gkeH, aksH])
      scan(h, [
        { name: 'the expired EKS error', value: expired },
        { name: 'the revoked GKE error', value: revoked },
        { name: 'the GKE log', value: gkeLog.join('\n') },
        { name: 'the signed-out AKS error', value: azure },
      ]);
    assertNoCanary(
      ['revoked-refresh-token-CANARY-0042', AZURE_SECRET.replace('azure', 'gcp')],
      [
        { name: 'the GKE log', value: gkeLog.join('\n') },
        { name: 'the revoked GKE error', value: revoked },
      ],
    );
  });
});
