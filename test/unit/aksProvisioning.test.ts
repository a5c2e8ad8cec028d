// AKS provisioning, pure half: wizard answers → spec → file → parsed → read → equal spec → plan → exact SDK body;
// validation problems at their paths; the equivalent az command; prefilled steps skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { ClusterDeckError } from '../../src/core/errors';
import { aksProvisioning } from '../../src/core/provisioning/aks/index';
import type { AksClusterSpec } from '../../src/core/provisioning/aks/aksSpecs';
import type { AksClusterState, AksNodePoolState } from '../../src/core/provisioning/aks/aksWizards';
import type { ChoiceItem, ChoiceLoader } from '../../src/core/provisioning/provisioning';
import { runWizard, scriptedRenderer as scripted, type WizardRenderer } from '../../src/core/wizard/wizard';

/** The scripted renderer, loading each pick step's choices first as the real renderer does (loaders may cache). */
function scriptedRenderer<S>(answers: Parameters<typeof scripted>[0]): WizardRenderer<S> & { readonly asked: string[] } {
  const inner = scripted<S>(answers);
  const fn: WizardRenderer<S> = async (r) => {
    if (r.step.kind !== 'input') await r.step.choices(r.state, r.signal);
    return inner(r);
  };
  return Object.assign(fn, { asked: inner.asked });
}

const SUB = '0b1f6471-1bf0-4dda-aec3-111111111111';
const UAI = `/subscriptions/${SUB}/resourceGroups/ids/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aks-id`;

/** A ChoiceLoader answering like the provider would, recording what was asked. */
function loader(): ChoiceLoader & { calls: string[] } {
  const calls: string[] = [];
  const data: Record<string, (p: Readonly<Record<string, string>>) => ChoiceItem[]> = {
    subscriptions: () => [
      { value: SUB, label: 'Prod', isDefault: true },
      { value: 'other', label: 'Dev' },
    ],
    resourceGroups: () => [
      { value: 'shop-rg', description: 'westeurope' },
      { value: 'ops-rg', description: 'northeurope' },
    ],
    locations: (p) =>
      ['northeurope', 'westeurope', 'eastus'].map((l) => ({ value: l, ...(l === (p.preferred ?? 'eastus') ? { isDefault: true } : {}) })),
    versions: () => [{ value: '1.34.1', description: 'preview' }, { value: '1.33.2', isDefault: true }, { value: '1.32.6' }],
    vmSizes: (p) => [
      ...(p.mode === 'System' ? [] : [{ value: 'Standard_B2s', description: '2 vCPU, 4 GB' }]),
      { value: 'Standard_D4ds_v5', description: '4 vCPU, 16 GB', isDefault: true },
      { value: 'Standard_D8ds_v5', description: '8 vCPU, 32 GB' },
    ],
    zones: (p) => (p.vmSize === 'Standard_D8ds_v5' ? ['1', '2'] : ['1', '2', '3']).map((z) => ({ value: z })),
    clusters: () => [{ value: 'shop-rg/shop-prod', label: 'shop-prod', description: 'westeurope · 1.33.2 · overlay' }],
  };
  const fn = (query: string, params: Readonly<Record<string, string>>): Promise<readonly ChoiceItem[]> => {
    calls.push(`${query} ${JSON.stringify(params)}`);
    const f = data[query];
    if (!f) throw new Error(`unexpected query ${query}`);
    return Promise.resolve(f(params));
  };
  return Object.assign(fn, { calls });
}

const emptyState = (): AksClusterState => aksProvisioning.clusterWizard.initial({});

interface Case {
  readonly name: string;
  readonly prefill?: Parameters<typeof aksProvisioning.clusterWizard.initial>[0];
  readonly answers: Record<string, readonly (string | readonly string[])[]>;
  readonly check: (
    spec: AksClusterSpec,
    body: Record<string, unknown>,
    command: string,
    steps: readonly { kind: string; name: string; body: unknown }[],
  ) => void;
}

const cases: Case[] = [
  {
    name: 'defaults everywhere (Enter on each step), existing resource group',
    answers: { resourceGroup: ['shop-rg'], name: ['shop-prod'], authorizedRanges: ['203.0.113.7/32'] },
    check: (spec, body, command, steps) => {
      assert.equal(spec.subscription, SUB);
      assert.equal(spec.resourceGroup, 'shop-rg');
      assert.equal(spec.createResourceGroup, false);
      assert.deepEqual(
        steps.map((s) => s.kind),
        ['cluster'],
      );
      // The SDK's flattened ManagedCluster, every value explicit (P1).
      assert.deepEqual(body, {
        location: 'westeurope',
        sku: { name: 'Base', tier: 'Standard' },
        identity: { type: 'SystemAssigned' },
        kubernetesVersion: '1.33.2',
        dnsPrefix: 'shop-prod-shop-rg',
        agentPoolProfiles: [
          {
            name: 'system',
            mode: 'System',
            vmSize: 'Standard_D4ds_v5',
            count: 3,
            enableAutoScaling: true,
            minCount: 2,
            maxCount: 5,
            availabilityZones: ['1', '2', '3'],
            osType: 'Linux',
            osSKU: 'AzureLinux',
            osDiskSizeGB: 128,
            osDiskType: 'Managed',
            maxPods: 250,
            type: 'VirtualMachineScaleSets',
            scaleSetPriority: 'Regular',
            nodeLabels: {},
            nodeTaints: [],
            orchestratorVersion: '1.33.2',
            upgradeSettings: { maxSurge: '10%' },
          },
        ],
        networkProfile: {
          networkPlugin: 'azure',
          networkPluginMode: 'overlay',
          networkPolicy: 'cilium',
          networkDataplane: 'cilium',
          podCidr: '10.244.0.0/16',
          serviceCidr: '10.0.0.0/16',
          dnsServiceIP: '10.0.0.10',
          outboundType: 'loadBalancer',
          loadBalancerSku: 'standard',
        },
        enableRbac: true,
        aadProfile: { managed: true, enableAzureRbac: true },
        disableLocalAccounts: true,
        apiServerAccessProfile: { enablePrivateCluster: false, authorizedIPRanges: ['203.0.113.7/32'] },
        oidcIssuerProfile: { enabled: true },
        securityProfile: { workloadIdentity: { enabled: true } },
        autoUpgradeProfile: { upgradeChannel: 'patch', nodeOSUpgradeChannel: 'NodeImage' },
        supportPlan: 'KubernetesOfficial',
      });
      assert.match(command, /^az aks create --subscription 0b1f6471-\S+ --resource-group shop-rg --name shop-prod/);
      for (const flag of [
        '--tier standard --kubernetes-version 1.33.2',
        '--nodepool-name system',
        '--node-vm-size Standard_D4ds_v5 --node-count 3',
        '--zones 1 2 3',
        '--enable-cluster-autoscaler --min-count 2 --max-count 5',
        '--network-plugin azure --network-plugin-mode overlay --network-policy cilium --network-dataplane cilium',
        '--pod-cidr 10.244.0.0/16 --service-cidr 10.0.0.0/16 --dns-service-ip 10.0.0.10',
        '--enable-aad --enable-azure-rbac --disable-local-accounts',
        '--enable-oidc-issuer --enable-workload-identity',
        '--api-server-authorized-ip-ranges 203.0.113.7/32',
        '--auto-upgrade-channel patch --node-os-upgrade-channel NodeImage',
      ])
        assert.ok(command.includes(flag), `${flag} in\n${command}`);
      assert.ok(!command.includes('az group create'));
    },
  },
  {
    name: 'new resource group, kubenet, private, local accounts, user-assigned identity, two user pools (one Spot)',
    answers: {
      subscription: ['other'],
      resourceGroup: ['\u0000new'],
      newResourceGroup: ['batch-rg'],
      name: ['batch_1'],
      location: ['northeurope'],
      version: ['1.32.6'],
      tier: ['Free'],
      network: ['kubenet'],
      policy: ['none'],
      podCidr: ['172.16.0.0/16'],
      serviceCidr: ['172.16.0.0/20', '10.0.0.0/8', '192.168.0.0/20'],
      access: ['private'],
      identity: ['UserAssigned'],
      userIdentityId: [UAI],
      entra: ['localOnly'],
      workloadIdentity: ['no'],
      upgradeChannel: ['none'],
      'system.autoscale': ['no'],
      'system.count': ['1'],
      'system.zones': [[]],
      'system.taints': ['CriticalAddonsOnly=true:NoSchedule'],
      addPool1: ['yes'],
      'user1.name': ['batch'],
      'user1.vmSize': ['Standard_D8ds_v5'],
      'user1.min': ['0'],
      'user1.max': ['10'],
      'user1.count': ['0'],
      'user1.spot': ['yes'],
      'user1.taints': ['workload=batch:NoSchedule'],
      'user1.labels': ['workload=batch team=data'],
      addPool2: ['yes'],
      'user2.name': ['batch', 'web'],
      'user2.autoscale': ['no'],
      'user2.count': ['2'],
      addPool3: ['no'],
    },
    check: (spec, body, command, steps) => {
      assert.equal(spec.subscription, 'other');
      assert.equal(spec.createResourceGroup, true);
      assert.deepEqual(
        steps.map((s) => [s.kind, s.name]),
        [
          ['resourceGroup', 'batch-rg'],
          ['cluster', 'batch_1'],
        ],
      );
      assert.deepEqual(steps[0]!.body, { location: 'northeurope' });
      assert.deepEqual(body.identity, { type: 'UserAssigned', userAssignedIdentities: { [UAI]: {} } });
      assert.deepEqual(body.sku, { name: 'Base', tier: 'Free' });
      assert.equal(body.dnsPrefix, 'batch-1-batch-rg');
      assert.deepEqual(body.networkProfile, {
        networkPlugin: 'kubenet',
        networkPolicy: 'none',
        networkDataplane: 'azure',
        podCidr: '172.16.0.0/16',
        serviceCidr: '192.168.0.0/20',
        dnsServiceIP: '192.168.0.10',
        outboundType: 'loadBalancer',
        loadBalancerSku: 'standard',
      });
      assert.equal(body.aadProfile, undefined);
      assert.equal(body.disableLocalAccounts, false);
      assert.deepEqual(body.apiServerAccessProfile, { enablePrivateCluster: true });
      assert.deepEqual(body.securityProfile, { workloadIdentity: { enabled: false } });
      const pools = body.agentPoolProfiles as Record<string, unknown>[];
      assert.deepEqual(
        pools.map((p) => [p.name, p.mode, p.count, p.enableAutoScaling, p.minCount, p.maxCount, p.maxPods]),
        [
          ['system', 'System', 1, false, undefined, undefined, 110],
          ['batch', 'User', 0, true, 0, 10, 110],
          ['web', 'User', 2, false, undefined, undefined, 110],
        ],
      );
      assert.equal(pools[0]!.availabilityZones, undefined);
      assert.deepEqual(pools[0]!.nodeTaints, ['CriticalAddonsOnly=true:NoSchedule']);
      assert.deepEqual(pools[1]!.availabilityZones, ['1', '2']);
      assert.equal(pools[1]!.scaleSetPriority, 'Spot');
      assert.equal(pools[1]!.scaleSetEvictionPolicy, 'Delete');
      assert.equal(pools[1]!.spotMaxPrice, -1);
      assert.equal(pools[1]!.upgradeSettings, undefined, 'Spot pools have no surge');
      assert.deepEqual(pools[1]!.nodeTaints, ['workload=batch:NoSchedule', 'kubernetes.azure.com/scalesetpriority=spot:NoSchedule']);
      assert.deepEqual(pools[1]!.nodeLabels, { workload: 'batch', team: 'data' });
      assert.match(command, /^az group create --subscription other --name batch-rg --location northeurope\naz aks create /);
      assert.ok(command.includes('--network-plugin kubenet --network-policy none'));
      assert.ok(command.includes('--enable-private-cluster'));
      assert.ok(command.includes(`--assign-identity ${UAI}`));
      assert.ok(!command.includes('--enable-aad'));
      assert.match(
        command,
        /az aks nodepool add --subscription other --resource-group batch-rg --cluster-name batch_1 --name batch \\\n {2}--mode User/,
      );
      assert.ok(command.includes('--priority Spot --eviction-policy Delete --spot-max-price -1'));
      assert.ok(
        command.includes("--node-taints 'workload=batch:NoSchedule,kubernetes.azure.com/scalesetpriority=spot:NoSchedule'") ||
          command.includes('--node-taints workload=batch:NoSchedule,kubernetes.azure.com/scalesetpriority=spot:NoSchedule'),
      );
      assert.ok(command.includes('--labels workload=batch team=data'));
      assert.match(command, /--name web \\\n {2}--mode User/);
    },
  },
  {
    name: 'public from anywhere, Calico on overlay, Kubernetes RBAC, a minimum equal to the maximum',
    prefill: { account: SUB, resourceGroup: 'ops-rg', location: 'eastus' },
    answers: {
      name: ['ops'],
      policy: ['calico'],
      access: ['open'],
      entra: ['kubernetesRbac'],
      'system.vmSize': ['Standard_D8ds_v5'],
      'system.min': ['0', '3'],
      'system.max': ['2', '3'],
      'system.count': ['4', '3'],
    },
    check: (spec, body, command) => {
      assert.equal(spec.resourceGroup, 'ops-rg');
      assert.equal(body.location, 'eastus');
      assert.deepEqual(body.aadProfile, { managed: true, enableAzureRbac: false });
      assert.deepEqual(body.apiServerAccessProfile, { enablePrivateCluster: false, authorizedIPRanges: [] });
      const net = body.networkProfile as Record<string, unknown>;
      assert.equal(net.networkPolicy, 'calico');
      assert.equal(net.networkDataplane, 'azure');
      const sys = (body.agentPoolProfiles as Record<string, unknown>[])[0]!;
      assert.deepEqual([sys.minCount, sys.maxCount, sys.count, sys.availabilityZones], [3, 3, 3, ['1', '2']]);
      assert.ok(!command.includes('--api-server-authorized-ip-ranges'));
    },
  },
];

for (const c of cases) {
  test(`AKS cluster round trip: ${c.name}`, async () => {
    const choices = loader();
    const w = aksProvisioning.clusterWizard;
    const r = scriptedRenderer<AksClusterState>(c.answers);
    const state = await runWizard(w.steps(choices), w.initial(c.prefill ?? {}), r);
    assert.ok(state, `wizard finished (asked ${r.asked.join(', ')})`);
    const spec = w.toSpec(state);
    const text = aksProvisioning.clusterFormat.write(spec);
    const doc: unknown = parse(text);
    assert.ok(aksProvisioning.clusterFormat.matches(doc));
    assert.equal(aksProvisioning.nodePoolFormat.matches(doc), false);
    const read = aksProvisioning.clusterFormat.read(doc);
    assert.deepEqual(
      read.problems.filter((p) => p.severity === 'error'),
      [],
    );
    assert.deepEqual(read.spec, spec, 'the file reads back to the same spec');
    assert.equal(aksProvisioning.clusterFormat.write(read.spec), text, 'writing it again gives the same text');
    const plan = aksProvisioning.clusterFormat.plan(read.spec);
    const clusterStep = plan.steps.find((s) => s.kind === 'cluster')!;
    assert.equal(clusterStep.target.account, spec.subscription);
    assert.equal(clusterStep.target.resourceGroup, spec.resourceGroup);
    assert.equal(clusterStep.target.cluster, spec.resource.name);
    assert.equal(plan.estimatedNodes, clusterStep.estimatedNodes);
    assert.equal(w.fileName(spec), `clusters/${spec.resource.name}.aks.json`);
    c.check(spec, clusterStep.body as Record<string, unknown>, plan.equivalentCommand, plan.steps);
  });
}

test('AKS wizard: invalid answers are asked again (overlapping CIDRs, min above max, count outside bounds, bad taints)', async () => {
  const w = aksProvisioning.clusterWizard;
  const r = scriptedRenderer<AksClusterState>({
    resourceGroup: ['shop-rg'],
    name: ['-bad', 'ok'],
    serviceCidr: ['10.244.128.0/20', '10.0.0.0/8', '10.0.0.0/16'],
    dnsServiceIP: ['10.1.0.10', '10.0.0.1', '10.0.0.10'],
    access: ['open'],
    'system.min': ['0', '2'],
    'system.max': ['1', '4'],
    'system.count': ['5', '4'],
    'system.taints': ['nope', 'a=b:Sometimes', ''],
    'system.labels': ['x', ''],
  });
  const state = await runWizard(w.steps(loader()), emptyState(), r);
  assert.ok(state);
  const asked = (id: string): number => r.asked.filter((a) => a.startsWith(`${id} `)).length;
  assert.equal(asked('name'), 2);
  assert.equal(asked('serviceCidr'), 3, 'overlap with the pod CIDR, larger than /12');
  assert.equal(asked('dnsServiceIP'), 3, 'outside the range, the first address');
  assert.equal(asked('system.min'), 2, 'a System pool keeps one node');
  assert.equal(asked('system.max'), 2, 'max below min');
  assert.equal(asked('system.count'), 2, 'count above max');
  assert.equal(asked('system.taints'), 3);
  assert.equal(asked('system.labels'), 2);
  assert.deepEqual([state.systemPool.min, state.systemPool.max, state.systemPool.count], [2, 4, 4]);
});

test('AKS wizard: a tree node pre-fills subscription, resource group and location; their steps are skipped', async () => {
  const choices = loader();
  const w = aksProvisioning.clusterWizard;
  const r = scriptedRenderer<AksClusterState>({ name: ['x'], access: ['open'] });
  const state = await runWizard(w.steps(choices), w.initial({ account: SUB, resourceGroup: 'shop-rg', location: 'westeurope' }), r);
  assert.ok(state);
  const ids = r.asked.map((a) => a.split(' ')[0]);
  assert.ok(!ids.includes('subscription') && !ids.includes('resourceGroup') && !ids.includes('location'), ids.join(','));
  assert.equal(ids[0], 'name');
  assert.match(r.asked[0]!, /^name 1\/\d+$/);
  assert.ok(!choices.calls.some((c) => c.startsWith('subscriptions') || c.startsWith('resourceGroups') || c.startsWith('locations')));
  // Choices are asked with the subscription and location they depend on.
  assert.ok(choices.calls.includes(`versions ${JSON.stringify({ subscription: SUB, location: 'westeurope' })}`), choices.calls.join('\n'));
  assert.ok(choices.calls.includes(`vmSizes ${JSON.stringify({ subscription: SUB, location: 'westeurope', mode: 'System' })}`));
});

test("AKS wizard: started from a resource group node, the group's location is proposed", async () => {
  const w = aksProvisioning.clusterWizard;
  const r = scriptedRenderer<AksClusterState>({ name: ['x'], access: ['open'] });
  const state = await runWizard(w.steps(loader()), w.initial({ account: SUB, resourceGroup: 'ops-rg' }), r);
  assert.equal(state?.location, 'northeurope');
  assert.ok(!r.asked.some((a) => a.startsWith('resourceGroup ')));
});

test("AKS wizard: the picked resource group's location is the proposed location; Back returns to the previous step", async () => {
  const w = aksProvisioning.clusterWizard;
  const r = scriptedRenderer<AksClusterState>({
    resourceGroup: ['ops-rg'],
    name: ['a', 'b'],
    location: ['<back>', undefined as never],
    access: ['open'],
  });
  const state = await runWizard(w.steps(loader()), emptyState(), r);
  assert.equal(state?.name, 'b');
  assert.equal(state?.location, 'northeurope');
});

test('AKS node-pool wizard round trip: cluster picked (location, version, network from the listing) → file → read → plan body', async () => {
  const choices = loader();
  const w = aksProvisioning.nodePoolWizard;
  const r = scriptedRenderer<AksNodePoolState>({
    'pool.name': ['gpu'],
    'pool.vmSize': ['Standard_D8ds_v5'],
    'pool.autoscale': ['yes'],
    'pool.min': ['1'],
    'pool.max': ['4'],
    'pool.count': ['2'],
    'pool.spot': ['no'],
    'pool.taints': ['sku=gpu:NoSchedule'],
    'pool.labels': ['accelerator=nvidia'],
  });
  const state = await runWizard(w.steps(choices), w.initial({ account: SUB, resourceGroup: 'shop-rg', cluster: 'shop-prod' }), r);
  assert.ok(state);
  assert.deepEqual([state.resourceGroup, state.cluster, state.location, state.version], ['shop-rg', 'shop-prod', 'westeurope', '1.33.2']);
  const spec = w.toSpec(state);
  const text = aksProvisioning.nodePoolFormat.write(spec);
  const doc: unknown = parse(text);
  assert.ok(aksProvisioning.nodePoolFormat.matches(doc));
  assert.equal((doc as { name: string }).name, 'shop-prod/gpu');
  const read = aksProvisioning.nodePoolFormat.read(doc);
  assert.deepEqual(read.problems, []);
  assert.deepEqual(read.spec, spec);
  const plan = aksProvisioning.nodePoolFormat.plan(read.spec, { location: 'westeurope' });
  assert.equal(plan.steps.length, 1);
  const step = plan.steps[0]!;
  assert.deepEqual(
    [step.kind, step.name, step.target.cluster, step.target.resourceGroup, step.target.account],
    ['nodePool', 'gpu', 'shop-prod', 'shop-rg', SUB],
  );
  assert.deepEqual(step.body, {
    mode: 'User',
    vmSize: 'Standard_D8ds_v5',
    count: 2,
    enableAutoScaling: true,
    minCount: 1,
    maxCount: 4,
    availabilityZones: ['1', '2'],
    osType: 'Linux',
    osSKU: 'AzureLinux',
    osDiskSizeGB: 128,
    osDiskType: 'Managed',
    maxPods: 250,
    typePropertiesType: 'VirtualMachineScaleSets',
    scaleSetPriority: 'Regular',
    nodeLabels: { accelerator: 'nvidia' },
    nodeTaints: ['sku=gpu:NoSchedule'],
    orchestratorVersion: '1.33.2',
    upgradeSettings: { maxSurge: '10%' },
  });
  assert.match(
    plan.equivalentCommand,
    /^az aks nodepool add --subscription \S+ --resource-group shop-rg --cluster-name shop-prod --name gpu/,
  );
  assert.equal(w.fileName(spec), 'clusters/shop-prod.gpu.aks-pool.json');
});

/** A valid cluster document to break one field at a time. */
interface Doc {
  id?: string;
  name: string;
  tags?: Record<string, string>;
  properties: {
    agentPoolProfiles: Record<string, unknown>[];
    networkProfile: Record<string, unknown>;
    apiServerAccessProfile: Record<string, unknown>;
    oidcIssuerProfile: Record<string, unknown>;
    [k: string]: unknown;
  };
}
const pool = (d: Doc, i: number): Record<string, unknown> => d.properties.agentPoolProfiles[i]!;

function validDoc(): Doc {
  return JSON.parse(
    aksProvisioning.clusterFormat.write(
      aksProvisioning.clusterWizard.toSpec({
        ...emptyState(),
        subscription: SUB,
        resourceGroup: 'shop-rg',
        name: 'shop',
        location: 'westeurope',
        version: '1.33.2',
        authorizedRanges: ['203.0.113.7/32'],
        systemPool: { name: 'system', vmSize: 'Standard_D4ds_v5', autoscale: true, min: 2, max: 5, count: 3, zones: ['1', '2', '3'] },
        userPools: [{ name: 'user1', vmSize: 'Standard_D4ds_v5', autoscale: false, count: 1 }],
        addPool: [true],
      }),
    ),
  ) as Doc;
}

const problemCases: [string, (d: Doc) => void, string, RegExp][] = [
  ['cluster name', (d) => (d.name = 'bad name'), 'name', /not valid/],
  ['id and name disagree', (d) => (d.id = d.id!.replace(/shop$/, 'other')), 'id', /ends with cluster "other"/],
  ['unknown property', (d) => (d.properties.linuxProfile = {}), 'properties/linuxProfile', /not supported/],
  ['ownership tag in the file', (d) => (d.tags = { 'clusterdeck-op': 'x' }), 'tags/clusterdeck-op', /set by ClusterDeck/],
  ['pool name', (d) => (pool(d, 1).name = 'User_1'), 'properties/agentPoolProfiles/1/name', /lowercase/],
  ['duplicate pool', (d) => (pool(d, 1).name = 'system'), 'properties/agentPoolProfiles/1/name', /used twice/],
  ['no System pool', (d) => (pool(d, 0).mode = 'User'), 'properties/agentPoolProfiles', /System pool/],
  ['min above max', (d) => (pool(d, 0).minCount = 6), 'properties/agentPoolProfiles/0/minCount', /above maxCount/],
  ['count below min', (d) => (pool(d, 0).count = 1), 'properties/agentPoolProfiles/0/count', /below minCount/],
  ['System min 0', (d) => (pool(d, 0).minCount = 0), 'properties/agentPoolProfiles/0/minCount', /at least 1 node/],
  ['bounds without autoscaler', (d) => (pool(d, 1).maxCount = 3), 'properties/agentPoolProfiles/1/maxCount', /only with enableAutoScaling/],
  ['Spot System pool', (d) => (pool(d, 0).scaleSetPriority = 'Spot'), 'properties/agentPoolProfiles/0/scaleSetPriority', /cannot use Spot/],
  ['bad taint', (d) => (pool(d, 0).nodeTaints = ['a=b:Never']), 'properties/agentPoolProfiles/0/nodeTaints/0', /not a taint/],
  ['bad zone', (d) => (pool(d, 0).availabilityZones = ['4']), 'properties/agentPoolProfiles/0/availabilityZones/0', /one of 1, 2, 3/],
  [
    'pool newer than cluster',
    (d) => (pool(d, 1).orchestratorVersion = '1.34.0'),
    'properties/agentPoolProfiles/1/orchestratorVersion',
    /newer/,
  ],
  [
    'overlapping CIDRs',
    (d) => (d.properties.networkProfile.serviceCidr = '10.244.0.0/20'),
    'properties/networkProfile/serviceCidr',
    /overlaps the pod CIDR/,
  ],
  ['DNS IP outside', (d) => (d.properties.networkProfile.dnsServiceIP = '10.1.0.10'), 'properties/networkProfile/dnsServiceIP', /outside/],
  [
    'DNS IP first address',
    (d) => (d.properties.networkProfile.dnsServiceIP = '10.0.0.1'),
    'properties/networkProfile/dnsServiceIP',
    /first address/,
  ],
  ['CIDR syntax', (d) => (d.properties.networkProfile.podCidr = '10.244.0.0/33'), 'properties/networkProfile/podCidr', /not an IPv4 CIDR/],
  ['host bits', (d) => (d.properties.networkProfile.podCidr = '10.244.1.0/16'), 'properties/networkProfile/podCidr', /host bits/],
  [
    'service CIDR too large',
    (d) => (d.properties.networkProfile.serviceCidr = '10.0.0.0/8'),
    'properties/networkProfile/serviceCidr',
    /at most a \/12/,
  ],
  [
    'Cilium dataplane with Calico',
    (d) => (d.properties.networkProfile.networkPolicy = 'calico'),
    'properties/networkProfile/networkPolicy',
    /cilium/,
  ],
  [
    'overlay with kubenet',
    (d) => (d.properties.networkProfile.networkPlugin = 'kubenet'),
    'properties/networkProfile/networkPluginMode',
    /needs networkPlugin: azure/,
  ],
  ['local accounts off without Entra ID', (d) => delete d.properties.aadProfile, 'properties/disableLocalAccounts', /needs Entra ID/],
  [
    'private with ranges',
    (d) => (d.properties.apiServerAccessProfile.enablePrivateCluster = true),
    'properties/apiServerAccessProfile/authorizedIPRanges',
    /private cluster/,
  ],
  [
    'workload identity without OIDC',
    (d) => (d.properties.oidcIssuerProfile.enabled = false),
    'properties/securityProfile/workloadIdentity/enabled',
    /OIDC issuer/,
  ],
  ['LTS without Premium', (d) => (d.properties.supportPlan = 'AKSLongTermSupport'), 'properties/supportPlan', /Premium/],
  ['missing version', (d) => delete d.properties.kubernetesVersion, 'properties/kubernetesVersion', /required/],
  ['count type', (d) => (pool(d, 0).count = '3'), 'properties/agentPoolProfiles/0/count', /whole number/],
];

for (const [name, mutate, path, message] of problemCases) {
  test(`AKS cluster file problem at its path: ${name}`, () => {
    const d = validDoc();
    assert.deepEqual(
      aksProvisioning.clusterFormat.read(d).problems.filter((p) => p.severity === 'error'),
      [],
      'the base document is valid',
    );
    mutate(d);
    const { spec, problems } = aksProvisioning.clusterFormat.read(d);
    assert.equal(spec, undefined);
    const hit = problems.find((p) => p.path.join('/') === path && p.severity === 'error');
    assert.ok(hit, `an error at ${path}; got ${JSON.stringify(problems)}`);
    assert.match(hit.message, message);
  });
}

test('AKS cluster file: kubenet and an open API server are warnings, not errors', () => {
  const d = validDoc();
  d.properties.networkProfile = { networkPlugin: 'kubenet', networkPolicy: 'calico', networkDataplane: 'azure', podCidr: '10.244.0.0/16' };
  d.properties.apiServerAccessProfile.authorizedIPRanges = [];
  const { spec, problems } = aksProvisioning.clusterFormat.read(d);
  assert.ok(spec);
  assert.deepEqual(
    problems.map((p) => [p.severity, p.path.join('/')]),
    [
      ['warning', 'properties/networkProfile/networkPlugin'],
      ['warning', 'properties/apiServerAccessProfile'],
    ],
  );
  const plan = aksProvisioning.clusterFormat.plan(spec);
  assert.ok(plan.warnings.some((w) => /kubenet is being retired/.test(w)));
  assert.ok(plan.warnings.some((w) => /reachable from any address/.test(w)));
});

test('AKS plan: subscription and resource group from the id, else from the overrides; a conflict or nothing is refused', () => {
  const d = validDoc();
  const plan = aksProvisioning.clusterFormat.plan(aksProvisioning.clusterFormat.read(d).spec!);
  assert.equal(plan.where, `subscription ${SUB}, resource group shop-rg, location westeurope`);
  assert.match(plan.what, /^AKS cluster shop \(Kubernetes 1\.33\.2, 2 agent pools\)$/);
  assert.equal(plan.estimatedNodes, 4);
  delete d.id;
  const spec = aksProvisioning.clusterFormat.read(d).spec!;
  assert.throws(
    () => aksProvisioning.clusterFormat.plan(spec),
    (e: unknown) => e instanceof ClusterDeckError && e.reason === 'badConfig',
  );
  const p2 = aksProvisioning.clusterFormat.plan(spec, { account: 'sub-x', resourceGroup: 'rg-x' });
  assert.deepEqual([p2.steps[0]!.target.account, p2.steps[0]!.target.resourceGroup], ['sub-x', 'rg-x']);
  const withId = aksProvisioning.clusterFormat.read(validDoc()).spec!;
  assert.throws(
    () => aksProvisioning.clusterFormat.plan(withId, { resourceGroup: 'elsewhere' }),
    (e: unknown) => e instanceof ClusterDeckError && e.reason === 'invalid' && /shop-rg/.test(e.message),
  );
});

test('AKS node-pool file: problems at paths; cluster from "cluster/pool" or the id', () => {
  const base = {
    type: 'Microsoft.ContainerService/managedClusters/agentPools',
    apiVersion: '2026-04-01',
    name: 'shop/user2',
    properties: {
      mode: 'User',
      vmSize: 'Standard_D4ds_v5',
      count: 1,
      enableAutoScaling: false,
      osType: 'Linux',
      type: 'VirtualMachineScaleSets',
    },
  };
  const ok = aksProvisioning.nodePoolFormat.read(base);
  assert.deepEqual(ok.problems, []);
  assert.deepEqual([ok.spec?.cluster, ok.spec?.name], ['shop', 'user2']);
  const byId = aksProvisioning.nodePoolFormat.read({
    ...base,
    name: 'user2',
    id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/shop/agentPools/user2`,
  });
  assert.deepEqual([byId.spec?.subscription, byId.spec?.resourceGroup, byId.spec?.cluster], [SUB, 'rg', 'shop']);
  const bad = aksProvisioning.nodePoolFormat.read({ ...base, name: 'user2', properties: { ...base.properties, minCount: 1, vmSize: '' } });
  assert.deepEqual(bad.problems.map((p) => p.path.join('/')).sort(), ['name', 'properties/minCount', 'properties/vmSize']);
  const longName = aksProvisioning.nodePoolFormat.read({ ...base, name: 'shop/abcdefghijklm' });
  assert.deepEqual(
    longName.problems.map((p) => p.path.join('/')),
    ['name'],
  );
});
