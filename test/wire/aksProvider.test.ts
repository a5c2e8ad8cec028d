// The AKS provider over the real @azure/arm-containerservice client against the loopback ARM fake (real TLS, the
// SDK's own bearer policy, paging, async-operation polling, CloudError mapping).
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CloudCluster, CloudProvider } from '../../src/core/clouds/cloudProvider';
import { CancelledError, ClusterDeckError } from '../../src/core/errors';
import { AKS_SERVER_SCOPE, createAksProvider, type AksProvider } from '../../src/node/clouds/aks/aksProvider';
import {
  createFakeAzureCredential,
  startAksFake,
  type AksFake,
  type FakeAzureCredential,
  type FakeManagedCluster,
} from '../fakes/clouds/aksFake';
import { closedPort } from '../e2e/fixtures';

const SUB1 = '0b1f6471-1bf0-4dda-aec3-111111111111';
const SUB2 = '0b1f6471-1bf0-4dda-aec3-222222222222';
const SUB3 = '0b1f6471-1bf0-4dda-aec3-333333333333';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const LOCAL_TOKEN = 'aks-local-canary-token-9f3e7a1b';

function clusters(): FakeManagedCluster[] {
  return [
    {
      subscription: SUB1,
      resourceGroup: 'rg-Prod',
      name: 'prod-aad',
      location: 'westeurope',
      kubernetesVersion: '1.32.4',
      fqdn: 'prod-aad-dns-1a2b.hcp.westeurope.azmk8s.io',
      authorizedIPRanges: ['203.0.113.0/24'],
      aad: { managed: true, enableAzureRbac: true, tenantID: TENANT, adminGroups: ['3f2a1b4c-0000-4000-8000-00000000a001'] },
      disableLocalAccounts: true,
      addons: { azureKeyvaultSecretsProvider: true, azurepolicy: true, httpApplicationRouting: false, omsagent: true },
      logAnalyticsWorkspace: `/subscriptions/${SUB1}/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/prod-logs`,
      azureMonitorMetrics: true,
      networkPlugin: 'azure',
      networkPluginMode: 'overlay',
      networkPolicy: 'calico',
      workloadIdentity: true,
      oidcIssuer: true,
      upgrades: ['1.32.6', '1.33.2', '1.33.10'],
      agentPools: [
        { name: 'system', vmSize: 'Standard_D4ds_v5', count: 3, mode: 'System', orchestratorVersion: '1.32.4' },
        {
          name: 'spot',
          vmSize: 'Standard_D8as_v5',
          count: 2,
          enableAutoScaling: true,
          minCount: 0,
          maxCount: 10,
          spot: true,
          mode: 'User',
          orchestratorVersion: '1.32.4',
        },
        { name: 'batch', vmSize: 'Standard_E4s_v5', count: 1, mode: 'User', orchestratorVersion: '1.31.9' },
      ],
    },
    {
      subscription: SUB1,
      resourceGroup: 'rg-Prod',
      name: 'prod-private',
      location: 'westeurope',
      kubernetesVersion: '1.33.2',
      privateFqdn: 'prod-private-9c8d.privatelink.westeurope.azmk8s.io',
      enablePrivateCluster: true,
      aad: { managed: true, tenantID: TENANT },
      agentPools: [{ name: 'system', vmSize: 'Standard_D2s_v5', count: 2, mode: 'System', orchestratorVersion: '1.33.2' }],
    },
    {
      subscription: SUB1,
      resourceGroup: 'RG-Dev',
      name: 'dev-local',
      location: 'northeurope',
      kubernetesVersion: '1.31.9',
      fqdn: 'dev-local-dns-77aa.hcp.northeurope.azmk8s.io',
      localToken: LOCAL_TOKEN,
      powerState: 'Stopped',
      agentPools: [{ name: 'nodepool1', vmSize: 'Standard_B2s', count: 1, mode: 'System', orchestratorVersion: '1.31.9' }],
    },
    {
      subscription: SUB1,
      resourceGroup: 'rg-dev',
      name: 'dev-two',
      location: 'northeurope',
      kubernetesVersion: '1.33.2',
      fqdn: 'dev-two-dns-01.hcp.northeurope.azmk8s.io',
      agentPools: [{ name: 'nodepool1', vmSize: 'Standard_B2s', count: 2, mode: 'System', orchestratorVersion: '1.33.2' }],
    },
    {
      subscription: SUB1,
      resourceGroup: 'rg-ops',
      name: 'ops-upgrading',
      location: 'eastus',
      kubernetesVersion: '1.32.4',
      provisioningState: 'Upgrading',
      fqdn: 'ops-upgrading.hcp.eastus.azmk8s.io',
      agentPools: [{ name: 'nodepool1', vmSize: 'Standard_D2s_v5', count: 1, mode: 'System', orchestratorVersion: '1.32.4' }],
    },
    {
      subscription: SUB1,
      resourceGroup: 'rg-ops',
      name: 'broken',
      location: 'eastus',
      kubernetesVersion: '1.32.4',
      provisioningState: 'Failed',
      fqdn: 'broken.hcp.eastus.azmk8s.io',
      agentPools: [{ name: 'nodepool1', vmSize: 'Standard_D2s_v5', count: 4, mode: 'System', orchestratorVersion: '1.32.4' }],
    },
  ];
}

async function rejectsWith(p: Promise<unknown>, reason: string, message?: RegExp): Promise<ClusterDeckError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ClusterDeckError, `expected ClusterDeckError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    if (message) assert.match(e.message, message);
    assert.ok(!/fake-token-for|aks-local-canary/.test(e.message), 'no token in the message');
    return e;
  }
  assert.fail(`expected a ${reason} failure`);
}

describe('AKS provider against the ARM fake', () => {
  let fake: AksFake;
  let credential: FakeAzureCredential;
  let provider: CloudProvider;
  const lines: string[] = [];
  const make = (over: Partial<Parameters<typeof createAksProvider>[0]> = {}): CloudProvider =>
    createAksProvider({
      credential,
      resourceManagerEndpoint: fake.url,
      tlsCa: fake.caPem,
      requestTimeoutMs: 5_000,
      pollIntervalMs: 5,
      retryDelayMs: 5,
      onRequest: (l) => lines.push(l),
      ...over,
    });
  const cluster = async (name: string): Promise<CloudCluster> => {
    const groups = await provider.listClusters(SUB1, undefined);
    const found = groups.flatMap((g) => g.items).find((c) => c.name === name);
    assert.ok(found, `cluster ${name} listed`);
    return found;
  };

  before(async () => {
    fake = await startAksFake({
      subscriptions: [
        { subscriptionId: SUB1, displayName: 'Production', tenantId: TENANT },
        { subscriptionId: SUB2, displayName: 'Locked down', tenantId: TENANT },
        { subscriptionId: SUB3, displayName: 'Old', tenantId: TENANT, state: 'Disabled' },
      ],
      clusters: clusters(),
      pageSize: 2,
      lroPolls: 2,
    });
    credential = createFakeAzureCredential();
    provider = make();
  });

  after(async () => {
    await fake?.close();
  });

  test('lists subscriptions over two pages (absolute nextLink) with the tenant as detail', async () => {
    const before = fake.records.length;
    const accounts = await provider.listAccounts();
    assert.deepEqual(
      accounts.map((a) => [a.id, a.label, a.detail]),
      [
        [SUB1, 'Production', TENANT],
        [SUB2, 'Locked down', TENANT],
        [SUB3, 'Old (Disabled)', TENANT],
      ],
    );
    const calls = fake.records.slice(before).filter((r) => r.path === '/subscriptions');
    assert.equal(calls.length, 2);
    assert.equal(calls[0]?.query['api-version'], '2022-12-01');
    assert.equal(calls[1]?.query.$skipToken, '2');
    assert.ok(accounts.every((a) => a.cloud === 'aks'));
  });

  test('lists clusters over several pages, one scope per resource group (case-insensitive), with status and endpoints', async () => {
    const before = fake.records.length;
    const groups = await provider.listClusters(SUB1, undefined);
    const pages = fake.records.slice(before).filter((r) => /managedClusters$/.test(r.path));
    assert.equal(pages.length, 3, 'six clusters at two per page');
    assert.ok(pages[0]?.query['api-version']);
    assert.equal(pages[2]?.query.$skipToken, '4');
    assert.deepEqual(
      groups.map((g) => [g.scope, g.items.map((c) => c.name)]),
      [
        ['RG-Dev', ['dev-local', 'dev-two']],
        ['rg-ops', ['broken', 'ops-upgrading']],
        ['rg-Prod', ['prod-aad', 'prod-private']],
      ],
    );
    const all = new Map(groups.flatMap((g) => g.items).map((c) => [c.name, c]));
    const aad = all.get('prod-aad')!;
    assert.equal(aad.cloud, 'aks');
    assert.equal(aad.account, SUB1);
    assert.equal(aad.location, 'westeurope');
    assert.equal(aad.resourceGroup, 'rg-Prod');
    assert.equal(aad.version, '1.32.4');
    assert.deepEqual([aad.status, aad.health], ['Running', 'ok']);
    assert.equal(aad.endpoint, 'https://prod-aad-dns-1a2b.hcp.westeurope.azmk8s.io:443');
    assert.deepEqual(aad.endpointAccess, { public: true, private: false, publicCidrs: ['203.0.113.0/24'] });
    assert.equal(aad.nodeCount, 6);
    assert.match(
      aad.id,
      /^\/subscriptions\/.+\/resourceGroups\/rg-Prod\/providers\/Microsoft\.ContainerService\/managedClusters\/prod-aad$/,
    );
    const priv = all.get('prod-private')!;
    assert.equal(priv.endpoint, 'https://prod-private-9c8d.privatelink.westeurope.azmk8s.io:443');
    assert.deepEqual(priv.endpointAccess, { public: false, private: true });
    assert.deepEqual([all.get('dev-local')!.status, all.get('dev-local')!.health], ['Stopped', 'unknown']);
    assert.deepEqual([all.get('ops-upgrading')!.status, all.get('ops-upgrading')!.health], ['Upgrading', 'progressing']);
    assert.deepEqual([all.get('broken')!.status, all.get('broken')!.health], ['Failed', 'failed']);
  });

  test('scopes restrict the resource groups; a named group without clusters is an empty scope', async () => {
    const groups = await provider.listClusters(SUB1, ['rg-dev', 'rg-empty']);
    assert.deepEqual(
      groups.map((g) => [g.scope, g.items.map((c) => c.name)]),
      [
        ['rg-dev', ['dev-local', 'dev-two']],
        ['rg-empty', []],
      ],
    );
  });

  test('agent pools: VM size, autoscaler bounds, Spot, version, state and mode', async () => {
    const pools = await provider.listNodePools(await cluster('prod-aad'));
    assert.deepEqual(pools, [
      {
        name: 'system',
        instanceType: 'Standard_D4ds_v5',
        desired: 3,
        capacityType: 'on-demand',
        version: '1.32.4',
        status: 'Running',
        health: 'ok',
        mode: 'System',
      },
      {
        name: 'spot',
        instanceType: 'Standard_D8as_v5',
        min: 0,
        max: 10,
        desired: 2,
        capacityType: 'spot',
        version: '1.32.4',
        status: 'Running',
        health: 'ok',
        mode: 'User',
      },
      {
        name: 'batch',
        instanceType: 'Standard_E4s_v5',
        desired: 1,
        capacityType: 'on-demand',
        version: '1.31.9',
        status: 'Running',
        health: 'ok',
        mode: 'User',
      },
    ]);
  });

  test('add-ons (enabled only) and features: Entra ID, Azure RBAC, workload identity, network', async () => {
    const addons = await provider.listAddons(await cluster('prod-aad'));
    const byName = new Map(addons.map((a) => [a.name, a.status]));
    assert.equal(byName.get('azureKeyvaultSecretsProvider'), 'Enabled');
    assert.equal(byName.get('azurepolicy'), 'Enabled');
    assert.ok(!byName.has('httpApplicationRouting'), 'disabled add-ons are not listed');
    assert.equal(byName.get('Entra ID integration'), 'Managed');
    assert.equal(byName.get('Azure RBAC for Kubernetes authorization'), 'Enabled');
    assert.equal(byName.get('Workload identity'), 'Enabled');
    assert.equal(byName.get('OIDC issuer'), 'Enabled');
    assert.equal(byName.get('Local accounts'), 'Disabled');
    assert.equal(byName.get('Network plugin'), 'azure (overlay)');
    assert.equal(byName.get('Network policy'), 'calico');
    const plain = new Map((await provider.listAddons(await cluster('dev-two'))).map((a) => [a.name, a.status]));
    assert.ok(!plain.has('Entra ID integration') && !plain.has('Workload identity'));
    assert.equal(plain.get('Network plugin'), 'kubenet');
  });

  test('cluster details: networking, logging and identity sections from managedClusters.get; a missing cluster is notFound', async () => {
    const details = await provider.describeCluster!(await cluster('prod-aad'));
    assert.deepEqual(
      details.sections.map((s) => s.title),
      ['Networking', 'Logging and monitoring', 'Identity and access'],
    );
    const section = (d: typeof details, title: string) => new Map(d.sections.find((s) => s.title === title)?.rows ?? []);
    const net = section(details, 'Networking');
    assert.equal(net.get('Network plugin'), 'azure');
    assert.equal(net.get('Network plugin mode'), 'overlay');
    assert.equal(net.get('Network policy'), 'calico');
    assert.equal(net.get('Pod CIDR'), '10.244.0.0/16');
    assert.equal(net.get('Service CIDR'), '10.0.0.0/16');
    assert.equal(net.get('DNS service IP'), '10.0.0.10');
    assert.equal(net.get('Outbound type'), 'loadBalancer');
    assert.equal(net.get('Load balancer SKU'), 'standard');
    assert.equal(net.get('Private cluster'), 'no');
    assert.equal(net.get('Authorized IP ranges'), '203.0.113.0/24');
    const logs = section(details, 'Logging and monitoring');
    assert.equal(logs.get('Container insights (omsagent)'), 'enabled');
    assert.equal(
      logs.get('Log Analytics workspace'),
      `/subscriptions/${SUB1}/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/prod-logs`,
    );
    assert.equal(logs.get('Managed Prometheus metrics'), 'enabled');
    const iam = section(details, 'Identity and access');
    assert.equal(iam.get('Identity'), 'SystemAssigned');
    assert.equal(iam.get('Entra ID integration'), 'managed');
    assert.equal(iam.get('Entra ID admin groups'), '3f2a1b4c-0000-4000-8000-00000000a001');
    assert.equal(iam.get('Azure RBAC'), 'enabled');
    assert.equal(iam.get('Local accounts'), 'disabled');
    assert.equal(iam.get('OIDC issuer'), 'https://oidc.example.invalid/prod-aad/');
    assert.equal(iam.get('Workload identity'), 'enabled');

    const priv = await provider.describeCluster!(await cluster('prod-private'));
    assert.equal(section(priv, 'Networking').get('Private cluster'), 'yes');
    assert.equal(section(priv, 'Networking').get('Network plugin'), 'kubenet');
    assert.equal(section(priv, 'Networking').get('Network policy'), 'none');
    const privLogs = section(priv, 'Logging and monitoring');
    assert.equal(privLogs.get('Container insights (omsagent)'), 'off', 'monitoring that is off is shown as off');
    assert.equal(privLogs.get('Managed Prometheus metrics'), 'off');
    assert.equal(section(priv, 'Identity and access').get('Workload identity'), 'disabled');

    const gone = { ...(await cluster('dev-two')), name: 'gone' };
    await rejectsWith(provider.describeCluster!(gone), 'notFound', /gone/);
  });

  test('upgrade versions come from the upgrade profile, newest first', async () => {
    const before = fake.records.length;
    assert.deepEqual(await provider.listUpgradeVersions(await cluster('prod-aad')), ['1.33.10', '1.33.2', '1.32.6']);
    assert.ok(fake.records.slice(before).some((r) => /\/upgradeProfiles\/default$/i.test(r.path)));
  });

  test('an Entra ID cluster gets a token for exactly the AKS server application scope', async () => {
    const asked = credential.requestedScopes.length;
    const token = await provider.getClusterToken(await cluster('prod-aad'));
    const scopes = credential.requestedScopes.slice(asked).filter((s) => !s.includes(fake.armScope));
    assert.deepEqual(scopes, [[AKS_SERVER_SCOPE]]);
    assert.equal(AKS_SERVER_SCOPE, '6dae42f8-4368-4678-94ff-3960e28e3630/.default');
    assert.equal(token.token, `fake-token-for-${AKS_SERVER_SCOPE}`);
    assert.ok(token.expiresAt.getTime() > Date.now() + 30 * 60_000);
    assert.ok(!fake.records.some((r) => /listClusterUserCredential/i.test(r.path)), 'no local credential read for an Entra ID cluster');
  });

  test('a local-account cluster gets the token of its user credential kubeconfig', async () => {
    const asked = credential.requestedScopes.length;
    const token = await provider.getClusterToken({ account: SUB1, location: 'northeurope', resourceGroup: 'RG-Dev', name: 'dev-local' });
    assert.equal(token.token, LOCAL_TOKEN);
    assert.ok(token.expiresAt.getTime() > Date.now());
    const post = fake.records.filter((r) => r.method === 'POST' && /\/listClusterUserCredential$/.test(r.path));
    assert.equal(post.length, 1);
    assert.ok(!credential.requestedScopes.slice(asked).some((s) => s.includes(AKS_SERVER_SCOPE)), 'no Entra ID token asked for');
  });

  test('scale: read-modify-write PUT with If-Match, polled to Succeeded with progress; the id is the serialized poller', async () => {
    const c = await cluster('prod-aad');
    const before = fake.records.length;
    const op = await provider.scaleNodePool(c, 'system', { desired: 5 });
    const put = fake.records.slice(before).find((r) => r.method === 'PUT');
    assert.ok(put && /\/agentPools\/system$/.test(put.path));
    const body = JSON.parse(put.body) as { properties: { count: number; vmSize: string } };
    assert.equal(body.properties.count, 5);
    assert.equal(body.properties.vmSize, 'Standard_D4ds_v5', 'the rest of the pool is sent back as read');
    assert.ok(put.headers['if-match'], 'If-Match carries the eTag');
    const state = JSON.parse(op.id) as { state: { config: { operationLocation?: string } } };
    assert.match(state.state.config.operationLocation ?? '', /\/locations\/westeurope\/operations\/[0-9a-f-]+\?api-version=2016-03-30$/);
    assert.match(op.description, /system to 5 nodes/);
    const progress: string[] = [];
    await op.wait(undefined, (s) => progress.push(s));
    assert.ok(progress.includes('InProgress'), progress.join());
    assert.equal(progress.at(-1), 'Succeeded');
    const polls = fake.records.slice(before).filter((r) => /\/operations\//.test(r.path));
    assert.equal(polls.length, 3, 'two InProgress answers, then Succeeded');
    const pools = await provider.listNodePools(c);
    assert.equal(pools.find((p) => p.name === 'system')?.desired, 5);
  });

  test('scale of an autoscaled pool sets the bounds; a count outside them is refused before any request', async () => {
    const c = await cluster('prod-aad');
    await (await provider.scaleNodePool(c, 'spot', { min: 1, max: 4 })).wait();
    const spot = (await provider.listNodePools(c)).find((p) => p.name === 'spot');
    assert.deepEqual([spot?.min, spot?.max], [1, 4]);
    const before = fake.records.filter((r) => r.method === 'PUT').length;
    await rejectsWith(provider.scaleNodePool(c, 'spot', { desired: 9 }), 'invalid', /between 1 and 4/);
    assert.equal(fake.records.filter((r) => r.method === 'PUT').length, before);
  });

  test('a failed long-running operation rejects wait with the Azure reason', async () => {
    const c = await cluster('prod-aad');
    fake.failNextOperation({ code: 'QuotaExceeded', message: 'Insufficient regional vcpu quota left' });
    const op = await provider.scaleNodePool(c, 'batch', { desired: 40 });
    const e = await rejectsWith(op.wait(), 'serverError', /QuotaExceeded/);
    assert.match(e.message, /Insufficient regional vcpu quota left/);
    assert.match(e.message, /^Azure could not scale agent pool batch of cluster prod-aad/);
  });

  test('delete an agent pool: 202 + Location polled until 204', async () => {
    const c = await cluster('prod-aad');
    const before = fake.records.length;
    const op = await provider.deleteNodePool(c, 'batch');
    await op.wait();
    const recs = fake.records.slice(before);
    assert.ok(recs.some((r) => r.method === 'DELETE' && /\/agentPools\/batch$/.test(r.path)));
    assert.equal(recs.filter((r) => /\/operationresults\//.test(r.path)).length, 3);
    assert.deepEqual(
      (await provider.listNodePools(c)).map((p) => p.name),
      ['system', 'spot'],
    );
  });

  test('delete a cluster: 202 + Location polled until 204, then it is no longer listed', async () => {
    const op = await provider.deleteCluster(await cluster('broken'));
    assert.equal(op.description, 'Delete cluster broken');
    await op.wait();
    const names = (await provider.listClusters(SUB1, ['rg-ops'])).flatMap((g) => g.items.map((c) => c.name));
    assert.deepEqual(names, ['ops-upgrading']);
    assert.ok(fake.records.some((r) => r.method === 'DELETE' && /\/managedClusters\/broken$/.test(r.path)));
  });

  test('a cluster with neither Entra ID nor local accounts is refused without asking for any token', async () => {
    fake.clusters.push({ ...clusters()[3]!, name: 'locked', disableLocalAccounts: true, localToken: 'never' });
    const asked = credential.requestedScopes.filter((s) => s.includes(AKS_SERVER_SCOPE)).length;
    await rejectsWith(
      provider.getClusterToken({ account: SUB1, location: 'northeurope', resourceGroup: 'rg-dev', name: 'locked' }),
      'badConfig',
      /neither Entra ID/,
    );
    assert.equal(credential.requestedScopes.filter((s) => s.includes(AKS_SERVER_SCOPE)).length, asked);
    assert.ok(!fake.records.some((r) => /managedClusters\/locked\/listClusterUserCredential/.test(r.path)));
    fake.clusters.pop();
  });

  test('upgrade the control plane: the cluster is PUT back with the new kubernetesVersion', async () => {
    const c = await cluster('dev-two');
    fake.clusters.find((x) => x.name === 'dev-two')!.upgrades = ['1.34.1'];
    const before = fake.records.length;
    await (await provider.upgradeCluster(c, '1.34.1')).wait();
    const put = fake.records.slice(before).find((r) => r.method === 'PUT');
    const body = JSON.parse(put!.body) as {
      location: string;
      properties: { kubernetesVersion: string; agentPoolProfiles: { orchestratorVersion: string }[] };
    };
    assert.equal(body.properties.kubernetesVersion, '1.34.1');
    assert.equal(body.location, 'northeurope');
    assert.equal(body.properties.agentPoolProfiles[0]?.orchestratorVersion, '1.33.2', 'pools are left for later');
    assert.equal((await cluster('dev-two')).version, '1.34.1');
  });

  test('upgrade an agent pool after the control plane: orchestratorVersion PUT with If-Match, moved only when done', async () => {
    const c = await cluster('dev-two');
    assert.equal(c.version, '1.34.1', 'the control plane was upgraded by the test before');
    const stored = () => fake.clusters.find((x) => x.name === 'dev-two')!.agentPools[0]!;
    const eTag = stored().eTag;
    const before = fake.records.length;
    const op = await provider.upgradeNodePool(c, 'nodepool1', '1.34.1');
    assert.equal(op.description, 'Upgrade dev-two/nodepool1 to Kubernetes 1.34.1');
    const recs = fake.records.slice(before);
    assert.deepEqual(
      recs.filter((r) => /\/agentPools\/nodepool1$/.test(r.path)).map((r) => r.method),
      ['GET', 'PUT'],
      'read, then write back',
    );
    const put = recs.find((r) => r.method === 'PUT')!;
    const body = JSON.parse(put.body) as { properties: { orchestratorVersion: string; count: number; vmSize: string } };
    assert.equal(body.properties.orchestratorVersion, '1.34.1');
    assert.equal(body.properties.vmSize, 'Standard_B2s', 'the rest of the pool is sent back as read');
    assert.equal(put.headers['if-match'], eTag, 'If-Match carries the eTag read');
    assert.equal(stored().orchestratorVersion, '1.33.2', 'not moved before the operation is done');
    assert.equal(stored().provisioningState, 'Upgrading');
    const progress: string[] = [];
    await op.wait(undefined, (s) => progress.push(s));
    assert.ok(progress.includes('InProgress'), progress.join());
    assert.equal(progress.at(-1), 'Succeeded');
    assert.equal(stored().orchestratorVersion, '1.34.1');
    assert.equal((await provider.listNodePools(c)).find((p) => p.name === 'nodepool1')?.version, '1.34.1');

    // Past the control plane: Azure refuses, mapped to 'invalid' with its code; nothing moved.
    const priv = await cluster('prod-private');
    await rejectsWith(provider.upgradeNodePool(priv, 'system', '1.34.1'), 'invalid', /NodePoolMcVersionIncompatible/);
    assert.equal(fake.clusters.find((x) => x.name === 'prod-private')!.agentPools[0]!.orchestratorVersion, '1.33.2');
    const count = fake.records.length;
    await rejectsWith(provider.upgradeNodePool(priv, 'system', 'latest'), 'invalid', /not a Kubernetes version/);
    assert.equal(fake.records.length, count, 'refused before any request');
  });

  test('resume: an agent pool upgrade started by one provider is followed to the end by a new one; foreign ids refused', async () => {
    const c = await cluster('prod-private');
    const pool = () => fake.clusters.find((x) => x.name === 'prod-private')!.agentPools[0]!;
    pool().orchestratorVersion = '1.32.6'; // a pool one step behind its control plane (1.33.2)
    const op = await provider.upgradeNodePool(c, 'system', '1.33.2');
    const saved = JSON.parse(JSON.stringify({ id: op.id, description: op.description })) as { id: string; description: string };
    assert.equal(pool().orchestratorVersion, '1.32.6');
    const later = make();
    const progress: string[] = [];
    await later.resumeOperation(c, saved.id, saved.description).wait(undefined, (s) => progress.push(s));
    assert.ok(progress.includes('InProgress'), progress.join());
    assert.equal(progress.at(-1), 'Succeeded');
    assert.equal(pool().orchestratorVersion, '1.33.2');
    const other = { ...c, account: SUB2 };
    for (const [bad, why] of [
      ['', /is not an Azure operation id/],
      ['nodegroup:ng:1234', /is not an Azure operation id/],
      ['{"state":{}}', /is not an Azure operation id/],
      ['null', /is not an Azure operation id/],
      ['{"state":{"config":{"initialRequestUrl":"https://elsewhere.example/x"}}}', /is not an Azure operation of this endpoint/],
    ] as const) {
      assert.throws(
        () => later.resumeOperation(c, bad, 'Upgrade prod-private/system'),
        (e: unknown) =>
          e instanceof ClusterDeckError &&
          e.reason === 'invalid' &&
          why.test(e.message) &&
          /^The saved operation "Upgrade prod-private\/system" .*; refresh the Clouds view to see the state of cluster prod-private\.$/.test(
            e.message,
          ),
        bad,
      );
    }
    assert.throws(
      () => later.resumeOperation(other, saved.id, saved.description),
      (e: unknown) => e instanceof ClusterDeckError && e.reason === 'invalid' && /is not an operation of subscription/.test(e.message),
    );
  });

  test('waiting can be cancelled; the same operation can be waited for again, or resumed from its id', async () => {
    const c = await cluster('dev-two');
    const slow = createAksProvider({
      credential,
      resourceManagerEndpoint: fake.url,
      tlsCa: fake.caPem,
      pollIntervalMs: 60_000,
      retryDelayMs: 5,
    });
    const op = await slow.scaleNodePool(c, 'nodepool1', { desired: 3 });
    const ac = new AbortController();
    const waiting = op.wait(ac.signal);
    setTimeout(() => ac.abort(), 50);
    const started = Date.now();
    await assert.rejects(waiting, (e) => e instanceof CancelledError);
    assert.ok(Date.now() - started < 5_000, 'the wait stopped at once');
    // The operation is still there: followed to the end from its id (a quicker poll interval this time).
    await (provider as AksProvider).resumeOperation(c, op.id, op.description).wait();
    assert.equal(fake.clusters.find((x) => x.name === 'dev-two')?.agentPools[0]?.count, 3);

    // The same CloudOperation after a cancelled wait: a poll request hangs, is cancelled, then waiting resumes.
    const again = await provider.scaleNodePool(c, 'nodepool1', { desired: 2 });
    fake.inject({ method: 'GET', path: /\/operations\//, status: 0, code: 'hang', hang: true, times: 1 });
    const ac2 = new AbortController();
    setTimeout(() => ac2.abort(), 100);
    await assert.rejects(again.wait(ac2.signal), (e) => e instanceof CancelledError);
    const progress: string[] = [];
    await again.wait(undefined, (s) => progress.push(s));
    assert.equal(progress.at(-1), 'Succeeded');
    assert.equal(fake.clusters.find((x) => x.name === 'dev-two')?.agentPools[0]?.count, 2);
  });

  test('an operation id persisted by one provider is followed to the end by another', async () => {
    const c = await cluster('dev-two');
    const op = await provider.scaleNodePool(c, 'nodepool1', { desired: 4 });
    const stored = JSON.parse(JSON.stringify({ id: op.id, description: op.description })) as { id: string; description: string };
    const later = createAksProvider({
      credential,
      resourceManagerEndpoint: fake.url,
      tlsCa: fake.caPem,
      pollIntervalMs: 5,
      retryDelayMs: 5,
    });
    const progress: string[] = [];
    await later.resumeOperation(c, stored.id, stored.description).wait(undefined, (s) => progress.push(s));
    assert.equal(progress.at(-1), 'Succeeded');
    assert.equal((await provider.listNodePools(c)).find((p) => p.name === 'nodepool1')?.desired, 4);
    assert.throws(
      () => later.resumeOperation(c, '{"state":{"config":{"initialRequestUrl":"https://elsewhere.example/x"}}}', 'x'),
      ClusterDeckError,
    );
  });

  test('403 AuthorizationFailed → forbidden, 404 ResourceNotFound → notFound, 409 → conflict', async () => {
    fake.inject({
      path: new RegExp(`^/subscriptions/${SUB2}/providers/Microsoft.ContainerService/managedClusters$`),
      status: 403,
      code: 'AuthorizationFailed',
      message: 'The client does not have authorization to perform action.',
    });
    await rejectsWith(
      provider.listClusters(SUB2, undefined),
      'forbidden',
      /not allowed to list the AKS clusters of subscription .*AuthorizationFailed/,
    );
    const gone = { ...(await cluster('dev-two')), name: 'gone' };
    const e = await rejectsWith(provider.listNodePools(gone), 'notFound', /gone/);
    assert.equal(e.detail.status, 404);
    fake.inject({
      method: 'PUT',
      path: /\/agentPools\/nodepool1$/,
      status: 409,
      code: 'OperationNotAllowed',
      message: 'Another operation is in progress.',
      times: 1,
    });
    await rejectsWith(provider.scaleNodePool(await cluster('dev-two'), 'nodepool1', { desired: 2 }), 'conflict', /OperationNotAllowed/);
  });

  test('a changed eTag fails the read-modify-write as a conflict (412)', async () => {
    fake.inject({
      method: 'PUT',
      path: /\/agentPools\/nodepool1$/,
      status: 412,
      code: 'PreconditionFailed',
      message: 'The eTag does not match.',
      times: 1,
    });
    await rejectsWith(provider.scaleNodePool(await cluster('dev-two'), 'nodepool1', { desired: 2 }), 'conflict');
  });

  test('429 with retry-after: 0 is retried, a long Retry-After is handed back; a 401 maps to unauthorized', async () => {
    fake.inject({ method: 'GET', path: /\/agentPools$/, status: 429, code: 'TooManyRequests', headers: { 'retry-after': '0' }, times: 1 });
    const before = fake.records.length;
    assert.ok((await provider.listNodePools(await cluster('dev-two'))).length > 0);
    assert.equal(fake.records.slice(before).filter((r) => /\/agentPools$/.test(r.path)).length, 2);
    fake.inject({
      method: 'GET',
      path: /\/agentPools$/,
      status: 429,
      code: 'TooManyRequests',
      headers: { 'retry-after': '120' },
      times: 1,
    });
    const count = fake.records.length;
    const e = await rejectsWith(provider.listNodePools(await cluster('dev-two')), 'throttled', /wait 120 s/);
    assert.equal(e.detail.retryAfterSeconds, 120);
    assert.equal(
      fake.records.slice(count).filter((r) => /\/agentPools$/.test(r.path)).length,
      1,
      'a long Retry-After is not slept through',
    );
    const wrong = createAksProvider({
      credential: { getToken: () => Promise.resolve({ token: 'expired', expiresOnTimestamp: Date.now() + 60_000 }) },
      resourceManagerEndpoint: fake.url,
      tlsCa: fake.caPem,
      retryDelayMs: 5,
    });
    await rejectsWith(wrong.listAccounts(), 'unauthorized', /sign in to Azure again/);
  });

  test('a request that hangs times out once (no retry); cancelling a request is silent', async () => {
    fake.inject({ method: 'GET', path: /\/upgradeProfiles\/default$/i, status: 0, code: 'hang', hang: true, times: 2 });
    const before = fake.records.length;
    const quick = make({ requestTimeoutMs: 200 });
    const c = await cluster('prod-aad');
    const started = Date.now();
    await rejectsWith(quick.listUpgradeVersions(c), 'timeout', /did not answer within/);
    assert.ok(Date.now() - started < 2_000);
    assert.equal(fake.records.slice(before).filter((r) => /upgradeProfiles/i.test(r.path)).length, 1, 'not retried');
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(provider.listUpgradeVersions(c, ac.signal), (e) => e instanceof CancelledError);
    const aborted = new AbortController();
    aborted.abort();
    const count = fake.records.length;
    await assert.rejects(provider.listClusters(SUB1, undefined, aborted.signal), (e) => e instanceof CancelledError);
    assert.equal(fake.records.length, count, 'nothing sent once cancelled');
  });

  test('connection details (server, CA) come from the user credential kubeconfig', async () => {
    const conn = await (provider as AksProvider).getClusterConnection(await cluster('dev-two'));
    assert.equal(conn.server, 'https://dev-two-dns-01.hcp.northeurope.azmk8s.io:443');
    assert.equal(conn.caData, Buffer.from('fake-ca').toString('base64'));
  });

  test('a closed port is unreachable; a missing CA is a TLS failure', async () => {
    const own = createFakeAzureCredential();
    const closed = createAksProvider({
      credential: own,
      resourceManagerEndpoint: `https://127.0.0.1:${await closedPort()}`,
      tlsCa: fake.caPem,
      retryDelayMs: 5,
    });
    await rejectsWith(closed.listAccounts(), 'unreachable', /ECONNREFUSED/);
    const untrusted = createAksProvider({ credential: own, resourceManagerEndpoint: fake.url, retryDelayMs: 5 });
    await rejectsWith(untrusted.listAccounts(), 'tls');
  });

  test('without an endpoint the public cloud and its scope are used (the loopback guard stops the call)', async () => {
    const own = createFakeAzureCredential();
    await assert.rejects(createAksProvider({ credential: own, retryDelayMs: 5 }).listAccounts(), ClusterDeckError);
    assert.deepEqual(own.requestedScopes[0], ['https://management.azure.com/.default']);
  });

  test('the sovereign endpoint is used for every call and for the ARM token scope', () => {
    assert.ok(fake.records.length > 20);
    const scopes = new Set(credential.requestedScopes.map((s) => s.join(' ')));
    assert.ok(scopes.has(`${fake.url}/.default`), [...scopes].join());
    assert.ok(!scopes.has('https://management.azure.com/.default'));
    for (const s of scopes) assert.ok(s === `${fake.url}/.default` || s === AKS_SERVER_SCOPE, s);
    const armCalls = fake.records.filter((r) => !/oauth2|well-known/.test(r.path));
    assert.ok(
      armCalls.every(
        (r) =>
          r.headers.authorization === undefined ||
          r.headers.authorization === `Bearer fake-token-for-${fake.url}/.default` ||
          r.headers.authorization === 'Bearer expired',
      ),
    );
  });

  test('a nextLink to another host is not followed (the token stays on the endpoint)', async () => {
    const other = await startAksFake({ subscriptions: [{ subscriptionId: SUB1, displayName: 'x', tenantId: TENANT }] });
    try {
      const redirected = createAksProvider({ credential, resourceManagerEndpoint: fake.url, tlsCa: fake.caPem, retryDelayMs: 5 });
      fake.subscriptionsNextLinkOverride = `${other.url}/subscriptions?api-version=2022-12-01&$skipToken=2`;
      try {
        await rejectsWith(redirected.listAccounts(), 'badConfig', /outside the configured resource manager endpoint/);
      } finally {
        fake.subscriptionsNextLinkOverride = undefined;
      }
      assert.ok(!other.records.some((r) => r.headers.authorization), 'the other host never saw a token');
    } finally {
      await other.close();
    }
  });

  test('the lazy chunk dist/aksProvider.js (built by pretest) works on its own', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundled chunk, loaded as the editor loads it
    const chunk = require('../../dist/aksProvider.js') as { createAksProvider: typeof createAksProvider };
    const accounts = await chunk.createAksProvider({ credential, resourceManagerEndpoint: fake.url, tlsCa: fake.caPem }).listAccounts();
    assert.equal(accounts.length, 3);
  });

  test('log lines: one per request, no token', () => {
    assert.ok(lines.length > 20);
    assert.ok(
      lines.some((l) => /^> aks GET \/subscriptions \[\d+ms\] 200$/.test(l)),
      lines.slice(0, 3).join('\n'),
    );
    assert.ok(lines.some((l) => /^> aks PUT .*\/agentPools\/system \[\d+ms\] 201$/.test(l)));
    assert.ok(lines.some((l) => / 429$/.test(l)));
    assert.ok(lines.some((l) => l.startsWith(`> aks getToken ${AKS_SERVER_SCOPE} [`) && l.endsWith('] ok')));
    for (const l of lines) assert.ok(!/fake-token-for|aks-local-canary|Bearer/.test(l), l);
  });
});
