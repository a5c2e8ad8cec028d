// GKE provisioning core: wizard answers → spec → file → parsed → read → equal spec → plan → exact SDK request body;
// validation problems at paths; the gcloud equivalent.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { runWizard, scriptedRenderer, type InputStep } from '../../../src/core/wizard/wizard';
import type { ChoiceItem, ChoiceLoader } from '../../../src/core/provisioning/provisioning';
import { gkeProvisioning } from '../../../src/core/provisioning/gke/index';
import type { GkeClusterState } from '../../../src/core/provisioning/gke/gkeWizards';

const { clusterFormat, nodePoolFormat, clusterWizard, nodePoolWizard } = gkeProvisioning;

const catalogue: Record<string, ChoiceItem[]> = {
  accounts: [{ value: 'shop-proj' }, { value: 'other-proj' }],
  locations: [{ value: 'europe-west1', isDefault: true }, { value: 'us-central1' }, { value: 'europe-west1-b' }],
  zones: [{ value: 'europe-west1-b' }, { value: 'europe-west1-c' }, { value: 'europe-west1-d' }],
  channels: [{ value: 'RAPID' }, { value: 'REGULAR', isDefault: true }, { value: 'STABLE' }, { value: 'EXTENDED' }],
  versions: [{ value: '1.33.4-gke.1200', isDefault: true }, { value: '1.32.9-gke.100' }],
  imageTypes: [{ value: 'COS_CONTAINERD', isDefault: true }, { value: 'UBUNTU_CONTAINERD' }],
  machineTypes: [{ value: 'e2-medium', isDefault: true }, { value: 'e2-standard-4' }],
  networks: [{ value: 'default', isDefault: true }, { value: 'prod-vpc' }],
  subnetworks: [{ value: 'default', isDefault: true }, { value: 'prod-euw1' }],
  clusters: [{ value: 'shop-prod', isDefault: true }],
};
const calls: string[] = [];
const loader: ChoiceLoader = (query, params) => {
  calls.push(`${query} ${JSON.stringify(params)}`);
  const items = catalogue[query];
  return items ? Promise.resolve(items) : Promise.reject(new Error(`unexpected query ${query}`));
};

async function clusterRoundTrip(answers: Record<string, (string | string[])[]>, prefill = {}) {
  const r = scriptedRenderer<GkeClusterState>(answers);
  const state = await runWizard(clusterWizard.steps(loader), clusterWizard.initial(prefill), r);
  assert.ok(state, 'wizard finished');
  const spec = clusterWizard.toSpec(state);
  const text = clusterFormat.write(spec);
  const doc: unknown = parse(text);
  assert.ok(clusterFormat.matches(doc));
  assert.ok(!nodePoolFormat.matches(doc));
  const read = clusterFormat.read(doc);
  assert.deepEqual(
    read.problems.filter((p) => p.severity === 'error'),
    [],
  );
  assert.deepEqual(read.spec, spec, 'reading the written file gives the same spec');
  // JSON is accepted too (YAML 1.2 is a superset of JSON).
  assert.deepEqual(clusterFormat.read(parse(JSON.stringify(doc))).spec, spec);
  return { spec, text, plan: clusterFormat.plan(spec), asked: r.asked, warnings: read.problems };
}

const standardPool = {
  name: 'default-pool',
  initialNodeCount: 1,
  locations: ['europe-west1-b', 'europe-west1-c', 'europe-west1-d'],
  config: {
    machineType: 'e2-medium',
    diskSizeGb: 100,
    diskType: 'pd-balanced',
    imageType: 'COS_CONTAINERD',
    spot: false,
    labels: {},
    taints: [],
  },
  autoscaling: { enabled: true, minNodeCount: 1, maxNodeCount: 3, locationPolicy: 'BALANCED' },
  management: { autoUpgrade: true, autoRepair: true },
  maxPodsConstraint: { maxPodsPerNode: 110 },
  upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
};

describe('GKE cluster wizard → file → plan', () => {
  test('defaults (Enter on every step): a regional Standard cluster with every value explicit', async () => {
    const { plan, asked } = await clusterRoundTrip({ name: ['shop-prod'] }, { account: 'shop-proj' });
    assert.ok(!asked.some((a) => a.startsWith('project ')), 'the pre-filled project is not asked');
    assert.equal(plan.steps.length, 1);
    const step = plan.steps[0]!;
    assert.equal(step.kind, 'cluster');
    assert.deepEqual(step.target, { cloud: 'gke', account: 'shop-proj', location: 'europe-west1', cluster: 'shop-prod' });
    assert.deepEqual(step.body, {
      parent: 'projects/shop-proj/locations/europe-west1',
      cluster: {
        name: 'shop-prod',
        releaseChannel: { channel: 'REGULAR' },
        network: 'default',
        subnetwork: 'default',
        ipAllocationPolicy: { useIpAliases: true },
        privateClusterConfig: { enablePrivateNodes: true },
        masterAuthorizedNetworksConfig: { enabled: false },
        workloadIdentityConfig: { workloadPool: 'shop-proj.svc.id.goog' },
        networkConfig: { datapathProvider: 'ADVANCED_DATAPATH' },
        nodePools: [standardPool],
        resourceLabels: {},
      },
    });
    assert.equal(plan.estimatedNodes, 3);
    assert.match(plan.what, /GKE Standard cluster shop-prod \(REGULAR channel, 1 node pool\)/);
    assert.equal(plan.where, 'project shop-proj, region europe-west1');
    assert.match(plan.equivalentCommand, /^gcloud container clusters create shop-prod \\\n {2}--project shop-proj --location europe-west1/);
    for (const flag of [
      '--release-channel regular',
      '--network default --subnetwork default',
      '--enable-ip-alias',
      '--enable-private-nodes',
      '--no-enable-master-authorized-networks',
      '--workload-pool shop-proj.svc.id.goog',
      '--enable-dataplane-v2',
      '--machine-type e2-medium',
      '--disk-type pd-balanced --disk-size 100',
      '--num-nodes 1',
      '--enable-autoscaling --min-nodes 1 --max-nodes 3 --location-policy BALANCED',
      '--node-locations europe-west1-b,europe-west1-c,europe-west1-d',
    ])
      assert.ok(plan.equivalentCommand.includes(flag), `command has ${flag}:\n${plan.equivalentCommand}`);
    assert.ok(plan.warnings.some((w) => /any address/.test(w)));
  });

  test('Autopilot: regional, channel required, no node-pool steps, create-auto', async () => {
    const { plan, asked } = await clusterRoundTrip({
      project: ['shop-proj'],
      mode: ['autopilot'],
      name: ['shop-auto'],
      location: ['us-central1'],
      channel: ['STABLE'],
      network: ['prod-vpc'],
      subnetwork: ['prod-euw1'],
      privateNodes: ['no'],
      authorizedNetworks: ['203.0.113.7/32, 198.51.100.0/24'],
      labels: ['team=shop,env=prod'],
    });
    assert.ok(!asked.some((a) => /^(poolName|machineType|podRange|workloadIdentity|version) /.test(a)), asked.join(' '));
    assert.ok(!calls.some((c) => c.startsWith('channels') && c.includes('NONE')));
    assert.deepEqual(plan.steps[0]!.body, {
      parent: 'projects/shop-proj/locations/us-central1',
      cluster: {
        name: 'shop-auto',
        autopilot: { enabled: true },
        releaseChannel: { channel: 'STABLE' },
        network: 'prod-vpc',
        subnetwork: 'prod-euw1',
        ipAllocationPolicy: { useIpAliases: true },
        privateClusterConfig: { enablePrivateNodes: false },
        masterAuthorizedNetworksConfig: {
          enabled: true,
          cidrBlocks: [{ cidrBlock: '203.0.113.7/32' }, { cidrBlock: '198.51.100.0/24' }],
        },
        resourceLabels: { team: 'shop', env: 'prod' },
      },
    });
    assert.equal(plan.estimatedNodes, 0);
    assert.equal(
      plan.equivalentCommand,
      [
        'gcloud container clusters create-auto shop-auto \\',
        '  --project shop-proj --location us-central1 \\',
        '  --release-channel stable \\',
        '  --network prod-vpc --subnetwork prod-euw1 \\',
        '  --enable-master-authorized-networks --master-authorized-networks 203.0.113.7/32,198.51.100.0/24 \\',
        '  --labels team=shop,env=prod',
      ].join('\n'),
    );
    assert.ok(plan.warnings.some((w) => /requests/.test(w)));
  });

  test('no channel + pinned version, zonal, fixed-size spot pool with labels, taints, ranges and a /28', async () => {
    const { plan, spec } = await clusterRoundTrip({
      project: ['shop-proj'],
      name: ['batch-1'],
      location: ['europe-west1-b'],
      channel: ['NONE'],
      version: ['1.32.9-gke.100'],
      podRange: ['10.4.0.0/14'],
      servicesRange: ['10.8.0.0/20'],
      masterCidr: ['172.16.0.32/28'],
      workloadIdentity: ['no'],
      dataplaneV2: ['no'],
      poolName: ['batch'],
      machineType: ['e2-standard-4'],
      imageType: ['UBUNTU_CONTAINERD'],
      diskType: ['pd-ssd'],
      diskSize: ['50'],
      spot: ['yes'],
      autoscaling: ['no'],
      nodeCount: ['2'],
      nodeLabels: ['workload=batch'],
      taints: ['dedicated=batch:NoSchedule, spot:NoExecute'],
    });
    const cluster = spec.cluster;
    assert.deepEqual(cluster.releaseChannel, { channel: 'UNSPECIFIED' });
    assert.equal(cluster.initialClusterVersion, '1.32.9-gke.100');
    assert.deepEqual(cluster.ipAllocationPolicy, {
      useIpAliases: true,
      clusterIpv4CidrBlock: '10.4.0.0/14',
      servicesIpv4CidrBlock: '10.8.0.0/20',
    });
    assert.deepEqual(cluster.privateClusterConfig, { enablePrivateNodes: true, masterIpv4CidrBlock: '172.16.0.32/28' });
    assert.deepEqual(cluster.workloadIdentityConfig, {});
    assert.deepEqual(cluster.networkConfig, { datapathProvider: 'LEGACY_DATAPATH' });
    assert.deepEqual(cluster.nodePools, [
      {
        name: 'batch',
        initialNodeCount: 2,
        config: {
          machineType: 'e2-standard-4',
          diskSizeGb: 50,
          diskType: 'pd-ssd',
          imageType: 'UBUNTU_CONTAINERD',
          spot: true,
          labels: { workload: 'batch' },
          taints: [
            { key: 'dedicated', value: 'batch', effect: 'NO_SCHEDULE' },
            { key: 'spot', value: '', effect: 'NO_EXECUTE' },
          ],
        },
        autoscaling: { enabled: false },
        management: { autoUpgrade: true, autoRepair: true },
        maxPodsConstraint: { maxPodsPerNode: 110 },
        upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
      },
    ]);
    assert.equal(plan.estimatedNodes, 2, 'zonal: one zone');
    assert.equal(plan.where, 'project shop-proj, zone europe-west1-b');
    for (const flag of [
      '--release-channel None --cluster-version 1.32.9-gke.100',
      '--cluster-ipv4-cidr 10.4.0.0/14 --services-ipv4-cidr 10.8.0.0/20',
      '--enable-private-nodes --master-ipv4-cidr 172.16.0.32/28',
      '--spot',
      '--no-enable-autoscaling',
      '--node-taints dedicated=batch:NoSchedule,spot=:NoExecute',
      '--node-labels workload=batch',
      '# gcloud names the first node pool default-pool',
    ])
      assert.ok(plan.equivalentCommand.includes(flag), `command has ${flag}:\n${plan.equivalentCommand}`);
    assert.ok(plan.warnings.some((w) => /one control plane/.test(w)));
    assert.ok(plan.warnings.some((w) => /Spot VMs/.test(w)));
  });

  test('Back from the channel step re-asks the location; the zones step follows a regional location only', async () => {
    const { spec, asked } = await clusterRoundTrip({
      project: ['shop-proj'],
      name: ['shop-prod'],
      location: ['europe-west1-b', 'europe-west1'],
      channel: ['<back>', 'RAPID'],
      zones: [['europe-west1-b', 'europe-west1-c']],
    });
    assert.equal(spec.location, 'europe-west1');
    assert.deepEqual(spec.cluster.nodePools?.[0]?.locations, ['europe-west1-b', 'europe-west1-c']);
    assert.equal(spec.cluster.releaseChannel?.channel, 'RAPID');
    assert.equal(asked.filter((a) => a.startsWith('location ')).length, 2);
  });

  test('validation as you type: overlapping ranges, bad names, min above the initial count', () => {
    const steps = clusterWizard.steps(loader);
    const input = (id: string) => steps.find((s) => s.id === id) as InputStep<GkeClusterState>;
    const s: GkeClusterState = {
      project: 'shop-proj',
      location: 'europe-west1',
      name: 'x',
      podRange: '10.0.0.0/14',
      privateNodes: true,
      pool: { nodeCount: 2 },
    };
    assert.match(input('servicesRange').validate('10.2.0.0/20', s) ?? '', /overlaps the pod range 10\.0\.0\.0\/14/);
    assert.equal(input('servicesRange').validate('10.8.0.0/20', s), undefined);
    assert.match(input('masterCidr').validate('10.1.0.0/28', s) ?? '', /overlaps/);
    assert.match(input('masterCidr').validate('172.16.0.0/24', s) ?? '', /\/28/);
    assert.match(input('name').validate('Shop_Prod', s) ?? '', /lowercase/);
    assert.match(input('name').validate('a'.repeat(41), s) ?? '', /at most 40/);
    assert.match(input('minNodes').validate('3', s) ?? '', /must not exceed the initial count/);
    assert.match(input('maxNodes').validate('1', s) ?? '', /at least the initial count/);
    assert.match(input('taints').validate('a=b:Sometimes', s) ?? '', /NoSchedule/);
    assert.match(input('labels').validate('Team=x', s) ?? '', /lowercase/);
    assert.match(input('authorizedNetworks').validate('1.2.3.4', s) ?? '', /CIDR/);
  });
});

describe('GKE node-pool wizard → file → plan', () => {
  test('pre-filled from a cluster node: project, location and cluster are not asked', async () => {
    const r = scriptedRenderer<Parameters<typeof nodePoolWizard.toSpec>[0]>({
      poolName: ['batch'],
      machineType: ['e2-standard-4'],
      spot: ['yes'],
      minNodes: ['0'],
      maxNodes: ['5'],
      nodeCount: ['0'],
    });
    const state = await runWizard(
      nodePoolWizard.steps(loader),
      nodePoolWizard.initial({ account: 'shop-proj', location: 'europe-west1', cluster: 'shop-prod' }),
      r,
    );
    assert.ok(state);
    assert.ok(!r.asked.some((a) => /^(project|location|cluster) /.test(a)));
    const spec = nodePoolWizard.toSpec(state);
    assert.equal(nodePoolWizard.fileName(spec), 'clusters/shop-prod.batch.gke-nodepool.yaml');
    const doc: unknown = parse(nodePoolFormat.write(spec));
    assert.ok(nodePoolFormat.matches(doc) && !clusterFormat.matches(doc));
    const read = nodePoolFormat.read(doc);
    assert.deepEqual(read.problems, []);
    assert.deepEqual(read.spec, spec);
    const plan = nodePoolFormat.plan(spec);
    assert.deepEqual(plan.steps[0]!.body, {
      parent: 'projects/shop-proj/locations/europe-west1/clusters/shop-prod',
      nodePool: {
        ...standardPool,
        name: 'batch',
        initialNodeCount: 0,
        config: { ...standardPool.config, machineType: 'e2-standard-4', spot: true },
        autoscaling: { enabled: true, minNodeCount: 0, maxNodeCount: 5, locationPolicy: 'BALANCED' },
      },
    });
    assert.equal(plan.steps[0]!.kind, 'nodePool');
    assert.match(
      plan.equivalentCommand,
      /^gcloud container node-pools create batch \\\n {2}--cluster shop-prod --project shop-proj --location europe-west1/,
    );
    assert.ok(plan.equivalentCommand.includes('--spot'));
    assert.ok(plan.equivalentCommand.includes('--enable-autoscaling --min-nodes 0 --max-nodes 5'));
  });
});

describe('GKE file validation', () => {
  const base = () => ({
    parent: 'projects/shop-proj/locations/europe-west1',
    cluster: {
      name: 'shop-prod',
      releaseChannel: { channel: 'REGULAR' },
      nodePools: [structuredClone(standardPool)],
    },
  });
  const errors = (doc: unknown) =>
    clusterFormat
      .read(doc)
      .problems.filter((p) => p.severity === 'error')
      .map((p) => `${p.path.join('.')}: ${p.message}`);

  test('a minimal valid file reads; the spec carries the cluster as written', () => {
    const r = clusterFormat.read(base());
    assert.deepEqual(errors(base()), []);
    assert.equal(r.spec?.cluster.name, 'shop-prod');
  });

  const cases: [string, (d: ReturnType<typeof base>) => void, RegExp][] = [
    ['bad name', (d) => (d.cluster.name = 'Shop'), /^cluster\.name: .*lowercase/],
    ['bad parent', (d) => (d.parent = 'projects/x/zones/y'), /^parent: parent must be projects\/PROJECT\/locations\/LOCATION/],
    [
      'unknown field',
      (d) => Object.assign(d.cluster, { nodepools: [] }),
      /^cluster\.nodepools: nodepools is not a field of the GKE Cluster/,
    ],
    ['output-only field', (d) => Object.assign(d.cluster, { status: 'RUNNING' }), /^cluster\.status: status is output only/],
    ['bad channel', (d) => (d.cluster.releaseChannel.channel = 'FAST'), /^cluster\.releaseChannel\.channel: channel must be one of/],
    [
      'min > max',
      (d) => Object.assign(d.cluster.nodePools[0]!.autoscaling, { minNodeCount: 4 }),
      /^cluster\.nodePools\.0\.autoscaling\.minNodeCount: minNodeCount \(4\) must not exceed maxNodeCount \(3\)/,
    ],
    [
      'initial outside min..max',
      (d) => (d.cluster.nodePools[0]!.initialNodeCount = 9),
      /^cluster\.nodePools\.0\.initialNodeCount: .*between/,
    ],
    [
      'bad taint effect',
      (d) => Object.assign(d.cluster.nodePools[0]!.config, { taints: [{ key: 'a', value: 'b', effect: 'NoSchedule' }] }),
      /^cluster\.nodePools\.0\.config\.taints\.0\.effect: effect must be one of NO_SCHEDULE/,
    ],
    [
      'disk too small',
      (d) => (d.cluster.nodePools[0]!.config.diskSizeGb = 5),
      /^cluster\.nodePools\.0\.config\.diskSizeGb: diskSizeGb must be a whole number from 10/,
    ],
    [
      'zone outside the region',
      (d) => (d.cluster.nodePools[0]!.locations = ['us-east1-b']),
      /^cluster\.nodePools\.0\.locations\.0: Zone us-east1-b is not in europe-west1/,
    ],
    [
      'autoUpgrade off on a channel',
      (d) => (d.cluster.nodePools[0]!.management.autoUpgrade = false),
      /autoUpgrade: Node auto-upgrade is required/,
    ],
    ['no node pool', (d) => (d.cluster.nodePools = []), /^cluster\.nodePools: A Standard cluster needs at least one node pool/],
    [
      'overlapping ranges',
      (d) =>
        Object.assign(d.cluster, {
          ipAllocationPolicy: { useIpAliases: true, clusterIpv4CidrBlock: '10.0.0.0/14', servicesIpv4CidrBlock: '10.1.0.0/20' },
        }),
      /^cluster\.ipAllocationPolicy\.servicesIpv4CidrBlock: The service range 10\.1\.0\.0\/20 overlaps the pod range 10\.0\.0\.0\/14/,
    ],
    [
      'host bits',
      (d) => Object.assign(d.cluster, { ipAllocationPolicy: { useIpAliases: true, clusterIpv4CidrBlock: '10.0.0.1/14' } }),
      /host bits set; use 10\.0\.0\.0\/14/,
    ],
    [
      'master not /28',
      (d) => Object.assign(d.cluster, { privateClusterConfig: { enablePrivateNodes: true, masterIpv4CidrBlock: '172.16.0.0/24' } }),
      /must be a \/28, not \/24/,
    ],
    [
      'workload pool of another project',
      (d) => Object.assign(d.cluster, { workloadIdentityConfig: { workloadPool: 'x-proj.svc.id.goog' } }),
      /workloadPool: The workload pool must be shop-proj\.svc\.id\.goog/,
    ],
    ['bad resource label', (d) => Object.assign(d.cluster, { resourceLabels: { Team: 'x' } }), /^cluster\.resourceLabels\.Team: Label key/],
    [
      'autopilot in a zone with node pools',
      (d) => {
        d.parent = 'projects/shop-proj/locations/europe-west1-b';
        Object.assign(d.cluster, { autopilot: { enabled: true } });
      },
      /^parent: Autopilot clusters are regional/,
    ],
    [
      'autopilot with node pools',
      (d) => Object.assign(d.cluster, { autopilot: { enabled: true } }),
      /^cluster\.nodePools: Autopilot manages the nodes/,
    ],
    [
      'autopilot without channel',
      (d) => {
        Object.assign(d.cluster, { autopilot: { enabled: true }, releaseChannel: { channel: 'UNSPECIFIED' } });
        delete (d.cluster as { nodePools?: unknown }).nodePools;
      },
      /^cluster\.releaseChannel: Autopilot needs a release channel/,
    ],
    ['extra top-level key', (d) => Object.assign(d, { project: 'x' }), /^project: project is not part of a GKE cluster file/],
  ];
  for (const [name, mutate, expected] of cases)
    test(`problem: ${name}`, () => {
      const d = base();
      mutate(d);
      const errs = errors(d);
      assert.ok(
        errs.some((e) => expected.test(e)),
        `expected ${String(expected)} in:\n${errs.join('\n')}`,
      );
      assert.equal(clusterFormat.read(d).spec, undefined, 'errors block the spec');
    });

  test('warnings do not block: 0.0.0.0/0, our ownership label, no channel and no version', () => {
    const d = base();
    Object.assign(d.cluster, {
      masterAuthorizedNetworksConfig: { enabled: true, cidrBlocks: [{ cidrBlock: '0.0.0.0/0' }] },
      resourceLabels: { 'clusterdeck-op': 'x' },
      releaseChannel: { channel: 'UNSPECIFIED' },
    });
    d.cluster.nodePools[0]!.management.autoUpgrade = false;
    const r = clusterFormat.read(d);
    assert.ok(r.spec);
    const warnings = r.problems.filter((p) => p.severity === 'warning').map((p) => p.path.join('.'));
    assert.deepEqual(warnings.sort(), [
      'cluster.masterAuthorizedNetworksConfig.cidrBlocks.0.cidrBlock',
      'cluster.releaseChannel',
      'cluster.resourceLabels.clusterdeck-op',
    ]);
  });

  test('server defaults the file leaves open are warned about (P1)', () => {
    const d = base();
    delete (d.cluster.nodePools[0]!.config as { diskType?: string }).diskType;
    const r = clusterFormat.read(d);
    assert.ok(r.spec);
    assert.deepEqual(
      r.problems.map((p) => [p.severity, p.path.join('.')]),
      [['warning', 'cluster.nodePools.0.config.diskType']],
    );
  });

  test('node-pool file problems at paths; plan overrides replace project and location', () => {
    const doc = { parent: 'projects/shop-proj/locations/europe-west1/clusters/shop-prod', nodePool: structuredClone(standardPool) };
    const ok = nodePoolFormat.read(doc);
    assert.ok(ok.spec);
    const plan = nodePoolFormat.plan(ok.spec, { account: 'other-proj', location: 'europe-west1' });
    assert.equal((plan.steps[0]!.body as { parent: string }).parent, 'projects/other-proj/locations/europe-west1/clusters/shop-prod');
    const bad = {
      parent: 'projects/shop-proj/locations/europe-west1/clusters/Shop',
      nodePool: { ...structuredClone(standardPool), config: { machineType: 'E2' } },
    };
    const errs = nodePoolFormat.read(bad).problems.map((p) => `${p.path.join('.')}: ${p.message}`);
    assert.ok(
      errs.some((e) => /^parent: The cluster name/.test(e)),
      errs.join('\n'),
    );
    assert.ok(
      errs.some((e) => /^nodePool\.config\.machineType: "E2" is not a machine type/.test(e)),
      errs.join('\n'),
    );
    assert.throws(() => nodePoolFormat.plan(ok.spec!, { account: 'BAD' }), /not a Google Cloud project id/);
  });
});
