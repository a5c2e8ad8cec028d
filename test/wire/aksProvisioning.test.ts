// AKS provisioning over the real @azure/arm-containerservice client against the loopback ARM fake: create exactly
// once (If-None-Match: *, 412 → adopt or conflict), the SDK's LRO poller following Azure-AsyncOperation, a lost
// answer, a failure midway with partial resources, resume from the saved id in a fresh provider, node pools,
// resource groups, and the wizards' choices.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import type { JournalEntry, JournalStore } from '../../src/core/provisioning/journal';
import { follow, runPlan, type RunDeps } from '../../src/core/provisioning/runPlan';
import { ClusterDeckError } from '../../src/core/errors';
import { aksProvisioning } from '../../src/core/provisioning/aks/index';
import { clusterWireBody, type AksClusterSpec } from '../../src/core/provisioning/aks/aksSpecs';
import type { AksClusterState } from '../../src/core/provisioning/aks/aksWizards';
import type { ProvisionStep, ProvisioningProvider } from '../../src/core/provisioning/provisioning';
import { createAksProvider } from '../../src/node/clouds/aks/aksProvider';
import { createFakeAzureCredential, startAksFake, type AksFake } from '../fakes/clouds/aksFake';

const SUB = '0b1f6471-1bf0-4dda-aec3-111111111111';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

function clusterSpec(name: string, over: Partial<AksClusterState> = {}): AksClusterSpec {
  const w = aksProvisioning.clusterWizard;
  return w.toSpec({
    ...w.initial({ account: SUB, resourceGroup: 'shop-rg', location: 'westeurope' }),
    name,
    version: '1.33.2',
    authorizedRanges: ['203.0.113.7/32'],
    systemPool: { name: 'system', vmSize: 'Standard_D4ds_v5', autoscale: true, min: 2, max: 5, count: 3, zones: ['1', '2', '3'] },
    userPools: [
      { name: 'spot', vmSize: 'Standard_D8ds_v5', autoscale: true, min: 0, max: 4, count: 0, spot: true, labels: { tier: 'batch' } },
    ],
    addPool: [true],
    ...over,
  });
}

/** The file round trip the host does: write → parse → read → plan. */
function planOf(spec: AksClusterSpec): ReturnType<typeof aksProvisioning.clusterFormat.plan> {
  const read = aksProvisioning.clusterFormat.read(JSON.parse(aksProvisioning.clusterFormat.write(spec)));
  assert.ok(read.spec, JSON.stringify(read.problems));
  return aksProvisioning.clusterFormat.plan(read.spec);
}

function clusterStep(spec: AksClusterSpec): ProvisionStep {
  return planOf(spec).steps.find((s) => s.kind === 'cluster')!;
}

async function rejects(p: Promise<unknown>, reason: string, message: RegExp): Promise<ClusterDeckError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ClusterDeckError, `expected ClusterDeckError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    assert.match(e.message, message);
    assert.ok(!/fake-token-for/.test(e.message));
    return e;
  }
  assert.fail(`expected ${reason}`);
}

describe('AKS provisioning against the ARM fake', () => {
  let fake: AksFake;
  const lines: string[] = [];
  const make = (): ProvisioningProvider => {
    const p = createAksProvider({
      credential: createFakeAzureCredential(),
      resourceManagerEndpoint: fake.url,
      tlsCa: fake.caPem,
      requestTimeoutMs: 5_000,
      pollIntervalMs: 5,
      retryDelayMs: 5,
      onRequest: (l) => lines.push(l),
    }).provisioning;
    assert.ok(p);
    return p;
  };
  let provider: ProvisioningProvider;
  const puts = (name: string): number =>
    fake.records.filter((r) => r.method === 'PUT' && r.path.endsWith(`/managedClusters/${name}`)).length;
  const named = (name: string) => fake.clusters.filter((c) => c.name === name);

  before(async () => {
    fake = await startAksFake({
      subscriptions: [{ subscriptionId: SUB, displayName: 'Prod', tenantId: TENANT }],
      resourceGroups: [
        { subscription: SUB, name: 'shop-rg', location: 'westeurope' },
        { subscription: SUB, name: 'ops-rg', location: 'northeurope' },
      ],
      locations: { westeurope: 'West Europe', northeurope: 'North Europe', eastus: 'East US', brazilsoutheast: 'Brazil Southeast' },
      aksLocations: ['West Europe', 'North Europe', 'East US'],
      kubernetesVersions: [
        { version: '1.32', patches: ['1.32.4', '1.32.6'] },
        { version: '1.33', isDefault: true, patches: ['1.33.1', '1.33.2'] },
        { version: '1.34', isPreview: true, patches: ['1.34.0'] },
      ],
      vmSkus: [
        { name: 'Standard_B1s', vcpus: 1, memoryGb: 1, locations: { westeurope: ['1', '2', '3'] } },
        { name: 'Standard_D4ds_v5', vcpus: 4, memoryGb: 16, locations: { westeurope: ['1', '2', '3'], northeurope: [] } },
        {
          name: 'Standard_D8ds_v5',
          vcpus: 8,
          memoryGb: 32,
          locations: { westeurope: ['1', '2', '3'] },
          restrictions: [{ type: 'Zone', reasonCode: 'NotAvailableForSubscription', values: ['westeurope'], zones: ['3'] }],
        },
        {
          name: 'Standard_E4s_v5',
          vcpus: 4,
          memoryGb: 32,
          locations: { westeurope: ['1', '2', '3'] },
          restrictions: [{ type: 'Location', reasonCode: 'NotAvailableForSubscription', values: ['westeurope'] }],
        },
      ],
      clusters: [
        {
          subscription: SUB,
          resourceGroup: 'shop-rg',
          name: 'taken',
          location: 'westeurope',
          kubernetesVersion: '1.33.2',
          tags: { owner: 'alice' },
          agentPools: [{ name: 'system', vmSize: 'Standard_D4ds_v5', count: 3, mode: 'System', orchestratorVersion: '1.33.2' }],
        },
      ],
      lroPolls: 2,
    });
    provider = make();
  });
  after(() => fake.close());

  test('create: one PUT with If-None-Match: *, the plan body on the wire (+ our tags), followed via Azure-AsyncOperation to Succeeded', async () => {
    const spec = clusterSpec('shop-prod');
    const step = clusterStep(spec);
    const outcome = await provider.create(step, { opId: 'op-1', token: 'tok-1' });
    assert.equal(outcome.state, 'started');
    assert.match(outcome.message, /Creating AKS cluster shop-prod in westeurope/);
    const put = fake.records.find((r) => r.method === 'PUT' && r.path.endsWith('/managedClusters/shop-prod'))!;
    assert.equal(put.path, `/subscriptions/${SUB}/resourceGroups/shop-rg/providers/Microsoft.ContainerService/managedClusters/shop-prod`);
    assert.equal(put.headers['if-none-match'], '*');
    // The SDK sent exactly what the file says (its flattening lost nothing), plus the ownership tags.
    assert.deepEqual(JSON.parse(put.body), {
      ...clusterWireBody(spec.resource),
      tags: { 'clusterdeck-op': 'op-1', 'clusterdeck-token': 'tok-1' },
    });
    const id = JSON.parse(outcome.operation!.id) as { resource: string; poller: string };
    assert.equal(
      id.resource,
      `/subscriptions/${SUB}/resourceGroups/shop-rg/providers/Microsoft.ContainerService/managedClusters/shop-prod`,
    );
    assert.match(id.poller, /\/operations\//, 'the serialized poller holds the Azure-AsyncOperation URL');
    assert.equal(named('shop-prod')[0]!.provisioningState, 'Creating');
    const progress: string[] = [];
    await outcome.operation!.wait(undefined, (s) => progress.push(s));
    assert.equal(progress.at(-1), 'Succeeded');
    assert.ok(progress.includes('InProgress'), progress.join());
    assert.equal(named('shop-prod')[0]!.provisioningState, 'Succeeded');
    const polls = fake.records.filter((r) => r.method === 'GET' && /\/locations\/westeurope\/operations\//.test(r.path));
    assert.ok(polls.length >= 3, 'the poller followed the operation URL');
    assert.equal(puts('shop-prod'), 1);
    assert.ok(
      lines.some((l) => /^> aks PUT \/subscriptions\/.*\/managedClusters\/shop-prod \[\d+ms\] 201$/.test(l)),
      lines.join('\n'),
    );
  });

  test('another shape on the wire unchanged: user-assigned identity, kubenet + Calico, private, local accounts, Free tier, a fixed pool', async () => {
    const uai = `/subscriptions/${SUB}/resourceGroups/ids/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aks-id`;
    const spec = clusterSpec('other-shape', {
      tier: 'Free',
      network: 'kubenet',
      policy: 'calico',
      access: 'private',
      identity: 'UserAssigned',
      userIdentityId: uai,
      entra: 'localOnly',
      workloadIdentity: false,
      upgradeChannel: 'stable',
      systemPool: { name: 'sys', vmSize: 'Standard_D4ds_v5', autoscale: false, count: 1, taints: ['CriticalAddonsOnly=true:NoSchedule'] },
      addPool: [false],
    });
    const outcome = await provider.create(clusterStep(spec), { opId: 'op-s', token: 'tok-s' });
    const put = fake.records.find((r) => r.method === 'PUT' && r.path.endsWith('/managedClusters/other-shape'))!;
    assert.deepEqual(JSON.parse(put.body), {
      ...clusterWireBody(spec.resource),
      tags: { 'clusterdeck-op': 'op-s', 'clusterdeck-token': 'tok-s' },
    });
    assert.deepEqual((JSON.parse(put.body) as { identity: unknown }).identity, {
      type: 'UserAssigned',
      userAssignedIdentities: { [uai]: {} },
    });
    await outcome.operation!.wait();
  });

  test('the same create again (a new journal entry, same token): 412 → "already exists", one cluster', async () => {
    const step = clusterStep(clusterSpec('shop-prod'));
    const outcome = await provider.create(step, { opId: 'op-2', token: 'tok-1' });
    assert.equal(outcome.state, 'exists');
    assert.match(outcome.message, /AKS cluster shop-prod already exists in resource group shop-rg/);
    assert.equal(outcome.operation, undefined);
    assert.equal(named('shop-prod').length, 1);
    assert.equal(fake.records.filter((r) => r.method === 'PUT' && r.path.endsWith('/shop-prod')).at(-1)!.headers['if-none-match'], '*');
    assert.deepEqual(named('shop-prod')[0]!.tags, { 'clusterdeck-op': 'op-1', 'clusterdeck-token': 'tok-1' }, 'nothing was changed');
  });

  test("someone else's cluster with that name: conflict naming it, nothing changed", async () => {
    const step = clusterStep(clusterSpec('taken'));
    await rejects(
      provider.create(step, { opId: 'op-3', token: 'tok-3' }),
      'conflict',
      /AKS cluster taken already exists in resource group shop-rg and was not created from this file; rename/,
    );
    assert.deepEqual(named('taken')[0]!.tags, { owner: 'alice' });
    assert.equal(named('taken')[0]!.provisioningState, undefined);
  });

  test("the SDK's own retry after a lost answer is refused (412): the first call already says inProgress", async () => {
    fake.dropResponses({ method: 'PUT', path: /\/managedClusters\/lost1$/, times: 1 });
    const outcome = await provider.create(clusterStep(clusterSpec('lost1')), { opId: 'op-4', token: 'tok-4' });
    assert.equal(outcome.state, 'inProgress');
    assert.match(outcome.message, /already being created \(Creating\)/);
    assert.equal(puts('lost1'), 2, 'the pipeline resent once');
    assert.equal(named('lost1').length, 1);
    await outcome.operation!.wait();
    assert.equal(named('lost1')[0]!.provisioningState, 'Succeeded');
  });

  test('answers lost for every attempt: unreachable; the same create again adopts the one cluster and follows it', async () => {
    fake.dropResponses({ method: 'PUT', path: /\/managedClusters\/lost2$/, times: 4 });
    const step = clusterStep(clusterSpec('lost2'));
    await rejects(provider.create(step, { opId: 'op-5', token: 'tok-5' }), 'unreachable', /Cannot reach/);
    assert.equal(puts('lost2'), 4);
    assert.equal(named('lost2').length, 1, 'applied once, refused three times');
    const again = await provider.create(step, { opId: 'op-5', token: 'tok-5' });
    assert.equal(again.state, 'inProgress');
    await again.operation!.wait();
    assert.equal(named('lost2').length, 1);
    assert.equal(named('lost2')[0]!.provisioningState, 'Succeeded');
  });

  test('failure midway (QuotaExceeded): rejected with the quota and location, never resent, partial resources listed', async () => {
    const message =
      'Operation could not be completed as it results in exceeding approved standardDSv5Family Cores quota. Location: westeurope, Current Limit: 10, Additional Required: 12.';
    fake.failNextOperation({ code: 'QuotaExceeded', message });
    const step = clusterStep(clusterSpec('quota'));
    const outcome = await provider.create(step, { opId: 'op-6', token: 'tok-6' });
    const e = await rejects(
      outcome.operation!.wait(),
      'serverError',
      /^Azure quota exceeded in westeurope while creating AKS cluster quota \(QuotaExceeded\): .*standardDSv5Family Cores quota.*Request a quota increase in westeurope/,
    );
    assert.ok(!/long-running operation/.test(e.message));
    assert.equal(puts('quota'), 1, 'a quota failure is never retried');
    assert.deepEqual(await provider.partialResources(step), [
      'cluster quota in resource group shop-rg (Failed)',
      'agent pool system of cluster quota (Failed)',
      'agent pool spot of cluster quota (Failed)',
      'node resource group MC_shop-rg_quota_westeurope (managed by AKS; deleted with the cluster)',
    ]);
    assert.deepEqual(await provider.partialResources(clusterStep(clusterSpec('never-made'))), []);
    // Running the same create again does not update the failed cluster: it says so.
    await rejects(
      provider.create(step, { opId: 'op-6', token: 'tok-6' }),
      'serverError',
      /exists from an earlier create from this file but is Failed .*delete it in Azure/,
    );
    assert.equal(puts('quota'), 2);
  });

  test('resume after a reload: a fresh provider follows the saved id to the end; an expired operation URL falls back to GET', async () => {
    const step = clusterStep(clusterSpec('resumed'));
    const outcome = await provider.create(step, { opId: 'op-7', token: 'tok-7' });
    const saved = outcome.operation!.id;
    const fresh = make();
    const progress: string[] = [];
    await fresh.resumeCreate(step, saved).wait(undefined, (s) => progress.push(s));
    assert.equal(progress.at(-1), 'Succeeded');
    assert.equal(named('resumed')[0]!.provisioningState, 'Succeeded');

    const step2 = clusterStep(clusterSpec('expired'));
    const o2 = await provider.create(step2, { opId: 'op-8', token: 'tok-8' });
    fake.inject({ method: 'GET', path: /\/operations\//, status: 404, code: 'NotFound', message: 'Operation not found.', times: 1 });
    const before = fake.records.length;
    await make().resumeCreate(step2, o2.operation!.id).wait();
    assert.equal(named('expired')[0]!.provisioningState, 'Succeeded');
    assert.ok(
      fake.records.slice(before).some((r) => r.method === 'GET' && r.path.endsWith('/managedClusters/expired')),
      'polled the resource',
    );

    assert.throws(
      () => fresh.resumeCreate(step, 'garbage'),
      (e: unknown) => e instanceof ClusterDeckError && e.reason === 'invalid',
    );
    assert.throws(
      () => fresh.resumeCreate(step2, saved),
      (e: unknown) => e instanceof ClusterDeckError && e.reason === 'invalid',
    );
  });

  test('node pool on an existing cluster: the plan body on the wire, followed to Succeeded; again → exists', async () => {
    const w = aksProvisioning.nodePoolWizard;
    const spec = w.toSpec({
      ...w.initial({ account: SUB, resourceGroup: 'shop-rg', cluster: 'shop-prod' }),
      location: 'westeurope',
      version: '1.33.2',
      network: 'overlay',
      mode: 'User',
      pool: {
        name: 'batch',
        vmSize: 'Standard_D8ds_v5',
        autoscale: false,
        count: 2,
        zones: ['1', '2'],
        taints: ['workload=batch:NoSchedule'],
      },
    });
    const read = aksProvisioning.nodePoolFormat.read(JSON.parse(aksProvisioning.nodePoolFormat.write(spec)));
    const plan = aksProvisioning.nodePoolFormat.plan(read.spec!, { location: 'westeurope' });
    const step = plan.steps[0]!;
    const outcome = await provider.create(step, { opId: 'op-9', token: 'tok-9' });
    assert.equal(outcome.state, 'started');
    const put = fake.records.find((r) => r.method === 'PUT' && r.path.endsWith('/managedClusters/shop-prod/agentPools/batch'))!;
    assert.equal(put.headers['if-none-match'], '*');
    assert.deepEqual(JSON.parse(put.body), {
      properties: { ...spec.properties, tags: { 'clusterdeck-op': 'op-9', 'clusterdeck-token': 'tok-9' } },
    });
    await outcome.operation!.wait();
    const pool = named('shop-prod')[0]!.agentPools.find((p) => p.name === 'batch')!;
    assert.equal(pool.provisioningState, 'Succeeded');
    assert.equal(pool.count, 2);
    const again = await provider.create(step, { opId: 'op-10', token: 'tok-9' });
    assert.equal(again.state, 'exists');
    assert.match(again.message, /Agent pool batch of cluster shop-prod already exists/);
    await rejects(
      provider.create({ ...step, name: 'system', target: { ...step.target, cluster: 'taken' } }, { opId: 'x', token: 'y' }),
      'conflict',
      /Agent pool system of cluster taken already exists/,
    );
  });

  test('a new resource group is its own step (PUT once, tagged), then the cluster goes into it; an existing group is used', async () => {
    const spec = clusterSpec('fresh', { resourceGroup: 'new-rg', newResourceGroup: true });
    const plan = planOf(spec);
    assert.deepEqual(
      plan.steps.map((s) => [s.kind, s.name]),
      [
        ['resourceGroup', 'new-rg'],
        ['cluster', 'fresh'],
      ],
    );
    // Without its group the cluster cannot be created (the fake checks like ARM).
    await rejects(provider.create(plan.steps[1]!, { opId: 'op-11', token: 'tok-11b' }), 'notFound', /create AKS cluster fresh/);
    const rg = await provider.create(plan.steps[0]!, { opId: 'op-11', token: 'tok-11a' });
    assert.equal(rg.state, 'started');
    await rg.operation!.wait();
    assert.deepEqual(
      fake.resourceGroups.find((g) => g.name === 'new-rg'),
      { subscription: SUB, name: 'new-rg', location: 'westeurope', tags: { 'clusterdeck-op': 'op-11', 'clusterdeck-token': 'tok-11a' } },
    );
    const c = await provider.create(plan.steps[1]!, { opId: 'op-11', token: 'tok-11b' });
    await c.operation!.wait();
    assert.equal(named('fresh')[0]!.resourceGroup, 'new-rg');
    const again = await provider.create(plan.steps[0]!, { opId: 'op-12', token: 'tok-11a' });
    assert.equal(again.state, 'exists');
    assert.equal(fake.records.filter((r) => r.method === 'PUT' && /\/resourcegroups\/new-rg$/i.test(r.path)).length, 1);
    assert.deepEqual(await provider.partialResources(plan.steps[0]!), ['resource group new-rg']);
  });

  test('choices: subscriptions, resource groups, AKS locations, versions, VM sizes without restricted ones, zones, clusters', async () => {
    const q = (query: string, params: Record<string, string> = {}) => provider.choices(query, params);
    assert.deepEqual(await q('subscriptions'), [{ value: SUB, label: 'Prod', description: TENANT, isDefault: true }]);
    assert.deepEqual(await q('resourceGroups', { subscription: SUB }), [
      { value: 'new-rg', description: 'westeurope' },
      { value: 'ops-rg', description: 'northeurope' },
      { value: 'shop-rg', description: 'westeurope' },
    ]);
    assert.deepEqual(await q('locations', { subscription: SUB, preferred: 'northeurope' }), [
      { value: 'eastus', label: 'East US', description: 'eastus' },
      { value: 'northeurope', label: 'North Europe', description: 'northeurope', isDefault: true },
      { value: 'westeurope', label: 'West Europe', description: 'westeurope' },
    ]);
    assert.deepEqual(await q('versions', { subscription: SUB, location: 'westeurope' }), [
      { value: '1.33.2', description: 'Kubernetes 1.33', isDefault: true },
      { value: '1.32.6', description: 'Kubernetes 1.32' },
    ]);
    assert.equal((await q('versions', { subscription: SUB, location: 'westeurope', includePreview: 'true' }))[0]!.value, '1.34.0');
    assert.deepEqual(await q('vmSizes', { subscription: SUB, location: 'westeurope' }), [
      { value: 'Standard_B1s', description: '1 vCPU, 1 GB, zones 1 2 3' },
      { value: 'Standard_D4ds_v5', description: '4 vCPU, 16 GB, zones 1 2 3', isDefault: true },
      { value: 'Standard_D8ds_v5', description: '8 vCPU, 32 GB, zones 1 2' },
    ]);
    assert.deepEqual(
      (await q('vmSizes', { subscription: SUB, location: 'westeurope', mode: 'System' })).map((c) => c.value),
      ['Standard_D4ds_v5', 'Standard_D8ds_v5'],
    );
    const skuCalls = fake.records.filter((r) => r.path.endsWith('/providers/Microsoft.Compute/skus'));
    assert.equal(skuCalls.length, 1, 'SKUs are read once per location');
    assert.equal(skuCalls[0]!.query.$filter, "location eq 'westeurope'");
    assert.deepEqual(await q('zones', { subscription: SUB, location: 'westeurope', vmSize: 'Standard_D8ds_v5' }), [
      { value: '1', label: 'Zone 1' },
      { value: '2', label: 'Zone 2' },
    ]);
    assert.deepEqual(await q('zones', { subscription: SUB, location: 'northeurope', vmSize: 'Standard_D4ds_v5' }), []);
    const clusters = await q('clusters', { subscription: SUB });
    assert.ok(
      clusters.some((c) => c.value === 'shop-rg/shop-prod' && c.description === 'westeurope · 1.33.2 · overlay'),
      JSON.stringify(clusters),
    );
    await rejects(q('versions', { subscription: SUB }), 'invalid', /location is needed/);
    await rejects(q('nonsense'), 'invalid', /no "nonsense" choices/);
  });

  test("the cluster wizard runs on the provider's choices (the group's location proposed), and its file creates the cluster", async () => {
    const { runWizard, scriptedRenderer } = await import('../../src/core/wizard/wizard');
    const w = aksProvisioning.clusterWizard;
    const loader = provider.choices.bind(provider);
    const state = await runWizard(
      w.steps(loader),
      w.initial({}),
      // As the real renderer: every pick step's choices are loaded before it is answered.
      ((inner) => async (r: Parameters<typeof inner>[0]) => {
        if (r.step.kind !== 'input') await r.step.choices(r.state, r.signal);
        return inner(r);
      })(scriptedRenderer<AksClusterState>({ resourceGroup: ['shop-rg'], name: ['wiz'], access: ['open'] })),
    );
    assert.ok(state);
    const spec = w.toSpec(state);
    assert.deepEqual(
      [spec.subscription, spec.resource.location, spec.resource.properties.kubernetesVersion],
      [SUB, 'westeurope', '1.33.2'],
    );
    assert.equal(spec.resource.properties.agentPoolProfiles[0]!.vmSize, 'Standard_D4ds_v5');
    const outcome = await provider.create(clusterStep(spec), { opId: 'op-w', token: 'tok-w' });
    await outcome.operation!.wait();
    assert.equal(named('wiz')[0]!.provisioningState, 'Succeeded');
  });

  test('runPlan with this provider: lost answers, a rerun resumes the same entry (one cluster), a reload follows the saved id', async () => {
    const entries = new Map<string, JournalEntry>();
    const journal: JournalStore = {
      list: () => Promise.resolve([...entries.values()]),
      put: (e) => {
        entries.set(e.id, structuredClone(e));
        return Promise.resolve();
      },
      remove: (id) => {
        entries.delete(id);
        return Promise.resolve();
      },
    };
    const deps = (p: ProvisioningProvider, over: Partial<RunDeps> = {}): RunDeps => ({
      provider: p,
      journal,
      newId: () => randomUUID(),
      digest: (t) => createHash('sha256').update(t).digest('hex'),
      now: () => Date.now(),
      owner: 'window-1',
      wait: true,
      ...over,
    });
    const plan = planOf(clusterSpec('journalled', { resourceGroup: 'journal-rg', newResourceGroup: true }));
    fake.dropResponses({ method: 'PUT', path: /\/managedClusters\/journalled$/, times: 4 });
    await rejects(runPlan(plan, deps(provider)), 'unreachable', /Cannot reach/);
    const [entry] = await journal.list();
    assert.equal(entry?.state, 'active', 'the create may have landed: the entry stays active');
    assert.deepEqual(
      entry?.steps.map((s) => s.state),
      ['succeeded', 'sending'],
    );
    const again = await runPlan(plan, deps(provider));
    assert.equal(again.outcome, 'succeeded');
    assert.ok(
      again.notes.some((n) => /already being created/.test(n)),
      again.notes.join(),
    );
    assert.equal(named('journalled').length, 1);
    assert.equal(named('journalled')[0]!.provisioningState, 'Succeeded');
    assert.equal(named('journalled')[0]!.tags?.['clusterdeck-op'], entry.id, 'tagged with the journal id');

    // A reload mid-creation: the first window sent the create and went away; a new window follows the saved id.
    const plan2 = planOf(clusterSpec('reloaded'));
    const running = await runPlan(plan2, deps(provider, { wait: false }));
    assert.equal(running.outcome, 'running');
    assert.equal(named('reloaded')[0]!.provisioningState, 'Creating');
    const resumed = await follow(running.entry, deps(make(), { owner: 'window-2', now: () => Date.now() + 60_000 }));
    assert.equal(resumed.outcome, 'succeeded');
    assert.equal(named('reloaded')[0]!.provisioningState, 'Succeeded');
    assert.equal(puts('reloaded'), 1);

    // The same file once more, after success: a new entry, nothing created, "already exists".
    const third = await runPlan(plan2, deps(provider));
    assert.equal(third.outcome, 'succeeded');
    assert.ok(
      third.notes.some((n) => /AKS cluster reloaded already exists/.test(n)),
      third.notes.join(),
    );
    assert.equal(named('reloaded').length, 1);
  });

  test('a quota refusal on the PUT itself names the quota and the location', async () => {
    fake.inject({
      method: 'PUT',
      path: /\/managedClusters\/refused$/,
      status: 400,
      code: 'QuotaExceeded',
      message:
        'Provisioning of resource(s) for container service refused in westeurope: the regional vCPU quota (Total Regional Cores) is 10.',
      times: 1,
    });
    await rejects(
      provider.create(clusterStep(clusterSpec('refused')), { opId: 'op-q', token: 'tok-q' }),
      'serverError',
      /^Azure quota exceeded in westeurope while creating AKS cluster refused .*Total Regional Cores.*Request a quota increase in westeurope/,
    );
    assert.equal(puts('refused'), 1, 'not retried');
  });

  test('log lines carry no token', () => {
    assert.ok(lines.length > 20);
    assert.ok(lines.every((l) => l.startsWith('> aks ') && !/fake-token|Bearer/.test(l)));
  });
});
