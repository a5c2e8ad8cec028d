// EKS provisioning, pure half: wizard answers → spec → eksctl file → parsed → read → equal spec → plan → the exact
// SDK request bodies; validation problems at their paths; the wizards' choices and validation as you type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { ChoiceItem, ChoiceLoader } from '../../src/core/provisioning/provisioning';
import { eksProvisioning } from '../../src/core/provisioning/eks/index';
import type { EksClusterWizardState, EksNodePoolWizardState } from '../../src/core/provisioning/eks/eksWizards';
import { runWizard, scriptedRenderer as scripted, type StepAnswer, type RenderedStep } from '../../src/core/wizard/wizard';

/** The engine asks a rejected answer again: a scripted answer that never passes would loop, so cap the asks. */
function scriptedRenderer<S>(answers: Record<string, readonly (string | readonly string[])[]>) {
  const inner = scripted<S>(answers);
  const fn = (r: RenderedStep<S>): Promise<StepAnswer> => {
    if (inner.asked.length > 100) throw new Error(`wizard loops: ${inner.asked.slice(-5).join(', ')}`);
    return inner(r);
  };
  return Object.assign(fn, { asked: inner.asked });
}
import { ClusterDeckError } from '../../src/core/errors';
import { cidrProblem } from '../../src/core/provisioning/eks/eksSpec';

const { clusterFormat, nodePoolFormat, clusterWizard, nodePoolWizard } = eksProvisioning;

const choiceData: Record<string, readonly ChoiceItem[]> = {
  accounts: [
    { value: 'default', isDefault: true },
    { value: 'prod', description: 'SSO · eu-west-1' },
  ],
  regions: [{ value: 'eu-west-1', isDefault: true }, { value: 'us-east-1' }],
  versions: [
    { value: '1.34', description: 'standard support' },
    { value: '1.33', description: 'standard support', isDefault: true },
  ],
  vpcs: [{ value: 'vpc-0abc', label: 'vpc-0abc (main)', description: '10.0.0.0/16', isDefault: true }],
  subnets: [
    { value: 'subnet-0a1/eu-west-1a/private', label: 'subnet-0a1' },
    { value: 'subnet-0b2/eu-west-1b/private', label: 'subnet-0b2' },
    { value: 'subnet-0c3/eu-west-1a/public', label: 'subnet-0c3' },
  ],
  clusters: [{ value: 'shop' }],
  clusterSubnets: [
    { value: 'subnet-0a1/eu-west-1a/private', isDefault: true },
    { value: 'subnet-0b2/eu-west-1b/private', isDefault: true },
    { value: 'subnet-0c3/eu-west-1a/public' },
  ],
  instanceTypes: [{ value: 'm5.large', isDefault: true }, { value: 'm6i.large' }, { value: 'm7g.large' }, { value: 'c7g.large' }],
};

function loader(calls: { query: string; params: Readonly<Record<string, string>> }[] = []): ChoiceLoader {
  return (query, params) => {
    calls.push({ query, params });
    if (query === 'roles') {
      const who = params.service === 'eks.amazonaws.com' ? 'eks-cluster' : 'eks-node';
      return Promise.resolve([{ value: `arn:aws:iam::123456789012:role/${who}`, isDefault: true }]);
    }
    const items = choiceData[query];
    return items ? Promise.resolve(items) : Promise.reject(new Error(`unexpected query ${query}`));
  };
}

const clusterRole = 'arn:aws:iam::123456789012:role/eks-cluster';
const nodeRole = 'arn:aws:iam::123456789012:role/eks-node';
const allLogTypes = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

interface Case {
  readonly title: string;
  readonly prefill?: { account?: string; location?: string };
  readonly answers: Record<string, readonly (string | readonly string[])[]>;
  readonly createCluster: unknown;
  readonly addons: readonly string[];
  readonly nodegroup: unknown;
  readonly warnings: RegExp[];
  readonly where: string;
}

const cases: Case[] = [
  {
    title: 'defaults (Enter on every step)',
    answers: { name: ['shop'], subnets: [['subnet-0a1/eu-west-1a/private', 'subnet-0b2/eu-west-1b/private']] },
    createCluster: {
      name: 'shop',
      version: '1.33',
      roleArn: clusterRole,
      resourcesVpcConfig: {
        subnetIds: ['subnet-0a1', 'subnet-0b2'],
        endpointPublicAccess: true,
        endpointPrivateAccess: true,
        publicAccessCidrs: ['0.0.0.0/0'],
      },
      kubernetesNetworkConfig: { ipFamily: 'ipv4' },
      logging: { clusterLogging: [{ types: allLogTypes, enabled: false }] },
      accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: true },
      bootstrapSelfManagedAddons: false,
      upgradePolicy: { supportType: 'STANDARD' },
      tags: {},
    },
    addons: ['vpc-cni', 'coredns', 'kube-proxy', 'eks-pod-identity-agent'],
    nodegroup: {
      clusterName: 'shop',
      nodegroupName: 'shop-ng-1',
      version: '1.33',
      scalingConfig: { minSize: 2, maxSize: 3, desiredSize: 2 },
      diskSize: 80,
      subnets: ['subnet-0a1', 'subnet-0b2'],
      instanceTypes: ['m5.large'],
      amiType: 'AL2023_x86_64_STANDARD',
      nodeRole,
      labels: {},
      taints: [],
      capacityType: 'ON_DEMAND',
      updateConfig: { maxUnavailable: 1 },
      tags: {},
    },
    warnings: [/0\.0\.0\.0\/0/],
    where: 'profile default, region eu-west-1',
  },
  {
    title: 'private endpoint, logging, tags, spot Graviton with labels and taints, Back on the way',
    answers: {
      account: ['prod'],
      region: ['us-east-1', 'eu-west-1'],
      name: ['Shop_2', '<back>', 'shop-2'], // Back to the region: us-east-1 becomes eu-west-1
      version: ['<back>', '1.34'],
      subnets: [['subnet-0a1/eu-west-1a/private', 'subnet-0c3/eu-west-1a/public', 'subnet-0b2/eu-west-1b/private']],
      endpoint: ['private'],
      authenticationMode: ['API'],
      logging: [['audit', 'api']],
      addons: [['vpc-cni', 'kube-proxy']],
      tags: ['team=shop, env=prod'],
      nodeGroupName: ['arm'],
      nodeSubnets: [['subnet-0c3/eu-west-1a/public']],
      instanceTypes: [['m7g.large', 'c7g.large']],
      amiFamily: ['Bottlerocket'],
      capacityType: ['SPOT'],
      diskSize: ['120'],
      scaling: ['0/1/5'],
      labels: ['workload=batch, example.com/tier=2'],
      taints: ['dedicated=batch:NoSchedule, spot:PreferNoSchedule'],
    },
    createCluster: {
      name: 'shop-2',
      version: '1.34',
      roleArn: clusterRole,
      resourcesVpcConfig: {
        // private subnets first, as the file lists them
        subnetIds: ['subnet-0a1', 'subnet-0b2', 'subnet-0c3'],
        endpointPublicAccess: false,
        endpointPrivateAccess: true,
      },
      kubernetesNetworkConfig: { ipFamily: 'ipv4' },
      logging: {
        clusterLogging: [
          { types: ['api', 'audit'], enabled: true },
          { types: ['authenticator', 'controllerManager', 'scheduler'], enabled: false },
        ],
      },
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
      bootstrapSelfManagedAddons: false,
      upgradePolicy: { supportType: 'STANDARD' },
      tags: { team: 'shop', env: 'prod' },
    },
    addons: ['vpc-cni', 'kube-proxy'],
    nodegroup: {
      clusterName: 'shop-2',
      nodegroupName: 'arm',
      version: '1.34',
      scalingConfig: { minSize: 0, maxSize: 5, desiredSize: 1 },
      diskSize: 120,
      subnets: ['subnet-0c3'],
      instanceTypes: ['m7g.large', 'c7g.large'],
      amiType: 'BOTTLEROCKET_ARM_64',
      nodeRole,
      labels: { workload: 'batch', 'example.com/tier': '2' },
      taints: [
        { key: 'dedicated', value: 'batch', effect: 'NO_SCHEDULE' },
        { key: 'spot', value: '', effect: 'PREFER_NO_SCHEDULE' },
      ],
      capacityType: 'SPOT',
      updateConfig: { maxUnavailable: 1 },
      tags: { team: 'shop', env: 'prod' },
    },
    warnings: [],
    where: 'profile prod, region eu-west-1',
  },
  {
    title: 'pre-filled from a region node, public only with two CIDRs, no add-ons',
    prefill: { account: 'prod', location: 'eu-west-1' },
    answers: {
      name: ['edge'],
      subnets: [['subnet-0c3/eu-west-1a/public', 'subnet-0b2/eu-west-1b/private']],
      endpoint: ['public'],
      publicAccessCidrs: ['203.0.113.7/32, 198.51.100.0/24'],
      addons: [[]],
      logging: [allLogTypes],
      instanceTypes: [['m6i.large']],
      scaling: ['1/1/1'],
    },
    createCluster: {
      name: 'edge',
      version: '1.33',
      roleArn: clusterRole,
      resourcesVpcConfig: {
        subnetIds: ['subnet-0b2', 'subnet-0c3'],
        endpointPublicAccess: true,
        endpointPrivateAccess: false,
        publicAccessCidrs: ['203.0.113.7/32', '198.51.100.0/24'],
      },
      kubernetesNetworkConfig: { ipFamily: 'ipv4' },
      logging: { clusterLogging: [{ types: allLogTypes, enabled: true }] },
      accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: true },
      // no managed add-ons: EKS installs its self-managed vpc-cni, coredns and kube-proxy
      bootstrapSelfManagedAddons: true,
      upgradePolicy: { supportType: 'STANDARD' },
      tags: {},
    },
    addons: [],
    nodegroup: {
      clusterName: 'edge',
      nodegroupName: 'edge-ng-1',
      version: '1.33',
      scalingConfig: { minSize: 1, maxSize: 1, desiredSize: 1 },
      diskSize: 80,
      subnets: ['subnet-0b2'],
      instanceTypes: ['m6i.large'],
      amiType: 'AL2023_x86_64_STANDARD',
      nodeRole,
      labels: {},
      taints: [],
      capacityType: 'ON_DEMAND',
      updateConfig: { maxUnavailable: 1 },
      tags: {},
    },
    warnings: [/vpc-cni/],
    where: 'profile prod, region eu-west-1',
  },
];

for (const c of cases) {
  test(`EKS cluster round trip: ${c.title}`, async () => {
    const calls: { query: string; params: Readonly<Record<string, string>> }[] = [];
    const renderer = scriptedRenderer<EksClusterWizardState>(c.answers);
    const state = await runWizard(clusterWizard.steps(loader(calls)), clusterWizard.initial(c.prefill ?? {}), renderer);
    assert.ok(state, 'wizard finished');
    if (c.answers.name?.includes('<back>')) {
      assert.deepEqual(renderer.asked.slice(0, 7), [
        'account 1/23',
        'region 2/23',
        'name 3/23',
        'version 4/23',
        'name 3/23',
        'region 2/23',
        'name 3/23',
      ]);
    }
    if (c.prefill) {
      assert.ok(!renderer.asked.some((a) => a.startsWith('account ') || a.startsWith('region ')), 'pre-filled steps skipped');
    }
    const spec = clusterWizard.toSpec(state);
    const text = clusterFormat.write(spec);
    const doc: unknown = parse(text);
    assert.ok(clusterFormat.matches(doc) && !nodePoolFormat.matches(doc), 'routed to the cluster format');
    const read = clusterFormat.read(doc);
    assert.deepEqual(
      read.problems.filter((p) => p.severity === 'error'),
      [],
    );
    assert.deepEqual(read.spec, spec, 'reading the written file gives the same spec');
    const plan = clusterFormat.plan(read.spec ?? spec);
    assert.equal(plan.where, c.where);
    assert.equal(plan.steps.length, 2);
    const [clusterStep, ngStep] = plan.steps;
    assert.equal(clusterStep?.kind, 'cluster');
    const body = clusterStep?.body as {
      createCluster: unknown;
      createAddons: { addonName: string; clusterName: string; resolveConflicts: string }[];
    };
    assert.deepEqual(body.createCluster, c.createCluster);
    assert.deepEqual(
      body.createAddons.map((a) => a.addonName),
      c.addons,
    );
    for (const a of body.createAddons) assert.equal(a.resolveConflicts, 'OVERWRITE');
    assert.equal(ngStep?.kind, 'nodePool');
    assert.deepEqual(ngStep?.body, c.nodegroup);
    assert.equal(plan.estimatedNodes, ngStep?.estimatedNodes);
    assert.equal(plan.equivalentCommand.split(' --profile')[0], `eksctl create cluster --config-file ${clusterWizard.fileName(spec)}`);
    for (const w of c.warnings)
      assert.ok(
        plan.warnings.some((x) => w.test(x)),
        `warning ${String(w)} in ${plan.warnings.join(' | ')}`,
      );
    // JSON-serialisable bodies (the journal stores them).
    assert.deepEqual(JSON.parse(JSON.stringify(plan.steps)), plan.steps);
    // Instance types were asked for the zones of the node subnets.
    const it = calls.find((x) => x.query === 'instanceTypes');
    // (scripted answers skip loading; the default case loads them)
    if (!c.answers.instanceTypes) assert.ok(it, 'instance types loaded');
    if (!it) return;
    const ngSubnets = (c.nodegroup as { subnets: string[] }).subnets;
    const zones = ngSubnets.map((id) => (choiceData.subnets ?? []).find((s) => s.value.startsWith(`${id}/`))?.value.split('/')[1]);
    assert.deepEqual(it?.params.zones?.split(','), [...new Set(zones)]);
  });
}

test('EKS cluster wizard: validation as you type (sizes, subnets in one zone, CIDRs, labels)', () => {
  const steps = clusterWizard.steps(loader());
  const s: EksClusterWizardState = { ng: {} };
  const input = (id: string) => {
    const step = steps.find((x) => x.id === id);
    assert.ok(step?.kind === 'input');
    return (v: string) => step.validate(v, s);
  };
  const multi = (id: string) => {
    const step = steps.find((x) => x.id === id);
    assert.ok(step?.kind === 'multi');
    return (v: string[]) => step.validate?.(v, s);
  };
  assert.match(input('scaling')('3/2/4') ?? '', /minimum \(3\) is larger than the desired/);
  assert.match(input('scaling')('1/5/4') ?? '', /desired size \(5\) is larger than the maximum/);
  assert.match(input('scaling')('0/0/0') ?? '', /at least 1/);
  assert.equal(input('scaling')('0/0/1'), undefined);
  assert.match(multi('subnets')(['subnet-0a1/eu-west-1a/private', 'subnet-0c3/eu-west-1a/public']) ?? '', /two availability zones/);
  assert.equal(multi('subnets')(['subnet-0a1/eu-west-1a/private', 'subnet-0b2/eu-west-1b/private']), undefined);
  assert.match(input('publicAccessCidrs')('10.0.0.1/16') ?? '', /bits set after the \/16/);
  assert.match(input('publicAccessCidrs')('300.1.1.1/32') ?? '', /not an IPv4 CIDR/);
  assert.match(input('name')('-shop') ?? '', /Start with a letter or digit/);
  assert.match(input('name')('x'.repeat(101)) ?? '', /100/);
  assert.match(input('labels')('bad key=1') ?? '', /not a valid label key/);
  assert.match(input('taints')('a=b:Sometimes') ?? '', /NoSchedule/);
  assert.match(multi('instanceTypes')(['m5.large', 'm7g.large']) ?? '', /not both/);
});

test('EKS node-group wizard: pre-filled cluster skips three steps; round trip to CreateNodegroup', async () => {
  const calls: { query: string; params: Readonly<Record<string, string>> }[] = [];
  const renderer = scriptedRenderer<EksNodePoolWizardState>({
    nodeGroupName: ['gpu'],
    scaling: ['1/2/4'],
    taints: ['nvidia.com/gpu=present:NoExecute'],
  });
  const state = await runWizard(
    nodePoolWizard.steps(loader(calls)),
    nodePoolWizard.initial({ account: 'prod', location: 'eu-west-1', cluster: 'shop' }),
    renderer,
  );
  assert.ok(state);
  assert.equal(renderer.asked[0], 'nodeGroupName 1/10');
  assert.deepEqual(calls.find((c) => c.query === 'clusterSubnets')?.params, { account: 'prod', region: 'eu-west-1', cluster: 'shop' });
  const spec = nodePoolWizard.toSpec(state);
  assert.equal(nodePoolWizard.fileName(spec), 'clusters/shop-gpu.nodegroup.eksctl.yaml');
  const doc: unknown = parse(nodePoolFormat.write(spec));
  assert.ok(nodePoolFormat.matches(doc) && !clusterFormat.matches(doc));
  const read = nodePoolFormat.read(doc);
  assert.deepEqual(read.problems, []);
  assert.deepEqual(read.spec, spec);
  const plan = nodePoolFormat.plan(spec);
  assert.equal(plan.equivalentCommand, 'eksctl create nodegroup --config-file clusters/shop-gpu.nodegroup.eksctl.yaml --profile prod');
  assert.deepEqual(
    plan.steps.map((s) => [s.kind, s.name, s.target.cluster, s.target.location, s.target.account]),
    [['nodePool', 'gpu', 'shop', 'eu-west-1', 'prod']],
  );
  assert.deepEqual(plan.steps[0]?.body, {
    clusterName: 'shop',
    nodegroupName: 'gpu',
    scalingConfig: { minSize: 1, maxSize: 4, desiredSize: 2 },
    diskSize: 80,
    subnets: ['subnet-0a1', 'subnet-0b2'],
    instanceTypes: ['m5.large'],
    amiType: 'AL2023_x86_64_STANDARD',
    nodeRole,
    labels: {},
    taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NO_EXECUTE' }],
    capacityType: 'ON_DEMAND',
    updateConfig: { maxUnavailable: 1 },
    tags: {},
  });
});

const validCluster = () => ({
  apiVersion: 'eksctl.io/v1alpha5',
  kind: 'ClusterConfig',
  metadata: { name: 'shop', region: 'eu-west-1', version: '1.34', annotations: { 'clusterdeck.io/aws-profile': 'prod' } },
  iam: { serviceRoleARN: clusterRole },
  vpc: {
    cidr: '10.0.0.0/16',
    subnets: { private: { 'eu-west-1a': { id: 'subnet-0a1' }, 'eu-west-1b': { id: 'subnet-0b2' } } },
  },
  managedNodeGroups: [{ name: 'ng-1', iam: { instanceRoleARN: nodeRole } }],
});

test('eksctl file read: eksctl defaults filled in, so a minimal file plans every value explicitly', () => {
  const read = clusterFormat.read(validCluster());
  assert.deepEqual(
    read.problems.filter((p) => p.severity === 'error'),
    [],
  );
  const plan = clusterFormat.plan(read.spec!);
  const ng = plan.steps[1]?.body as { instanceTypes: string[]; diskSize: number; scalingConfig: unknown; subnets: string[] };
  assert.deepEqual(ng.instanceTypes, ['m5.large']);
  assert.equal(ng.diskSize, 80);
  assert.deepEqual(ng.scalingConfig, { minSize: 2, maxSize: 2, desiredSize: 2 });
  assert.deepEqual(ng.subnets, ['subnet-0a1', 'subnet-0b2']);
  const cc = (plan.steps[0]?.body as { createCluster: { accessConfig: unknown; resourcesVpcConfig: { endpointPrivateAccess: boolean } } })
    .createCluster;
  assert.deepEqual(cc.accessConfig, { authenticationMode: 'API_AND_CONFIG_MAP', bootstrapClusterCreatorAdminPermissions: true });
  assert.equal(cc.resourcesVpcConfig.endpointPrivateAccess, true);
  // PlanOverrides win over the file's profile and region.
  const other = clusterFormat.plan(read.spec!, { account: 'dev', location: 'eu-west-1' });
  assert.equal(other.steps[0]?.target.account, 'dev');
});

const badCases: { title: string; edit: (d: ReturnType<typeof validCluster>) => unknown; path: (string | number)[]; message: RegExp }[] = [
  {
    title: 'cluster name',
    edit: (d) => ({ ...d, metadata: { ...d.metadata, name: '_shop' } }),
    path: ['metadata', 'name'],
    message: /letter or digit/,
  },
  {
    title: 'missing version',
    edit: (d) => ({ ...d, metadata: { name: 'shop', region: 'eu-west-1' } }),
    path: ['metadata', 'version'],
    message: /Kubernetes version/,
  },
  {
    title: 'subnets in one zone',
    edit: (d) => ({
      ...d,
      vpc: { subnets: { private: { a: { id: 'subnet-01', az: 'eu-west-1a' }, b: { id: 'subnet-02', az: 'eu-west-1a' } } } },
    }),
    path: ['vpc', 'subnets'],
    message: /two availability zones/,
  },
  {
    title: 'zone of another region',
    edit: (d) => ({ ...d, vpc: { subnets: { private: { 'us-east-1a': { id: 'subnet-01' }, 'eu-west-1b': { id: 'subnet-02' } } } } }),
    path: ['vpc', 'subnets', 'private', 'us-east-1a'],
    message: /not in region eu-west-1/,
  },
  {
    title: 'no endpoint access',
    edit: (d) => ({ ...d, vpc: { ...d.vpc, clusterEndpoints: { publicAccess: false, privateAccess: false } } }),
    path: ['vpc', 'clusterEndpoints'],
    message: /public or private/,
  },
  {
    title: 'public CIDR syntax',
    edit: (d) => ({ ...d, vpc: { ...d.vpc, publicAccessCIDRs: ['0.0.0.0/0', '1.2.3.4/33'] } }),
    path: ['vpc', 'publicAccessCIDRs', 1],
    message: /not an IPv4 CIDR/,
  },
  {
    title: 'service CIDR overlaps the VPC',
    edit: (d) => ({ ...d, kubernetesNetworkConfig: { serviceIPv4CIDR: '10.0.128.0/20' } }),
    path: ['kubernetesNetworkConfig', 'serviceIPv4CIDR'],
    message: /overlaps the VPC CIDR 10\.0\.0\.0\/16/,
  },
  {
    title: 'service CIDR outside the private ranges',
    edit: (d) => ({ ...d, kubernetesNetworkConfig: { serviceIPv4CIDR: '100.64.0.0/16' } }),
    path: ['kubernetesNetworkConfig', 'serviceIPv4CIDR'],
    message: /inside 10\.0\.0\.0\/8/,
  },
  {
    title: 'service CIDR prefix',
    edit: (d) => ({ ...d, kubernetesNetworkConfig: { serviceIPv4CIDR: '172.20.0.0/26' } }),
    path: ['kubernetesNetworkConfig', 'serviceIPv4CIDR'],
    message: /\/12 and \/24/,
  },
  {
    title: 'min > desired',
    edit: (d) => ({
      ...d,
      managedNodeGroups: [{ name: 'ng-1', iam: { instanceRoleARN: nodeRole }, minSize: 3, desiredCapacity: 2, maxSize: 4 }],
    }),
    path: ['managedNodeGroups', 0, 'desiredCapacity'],
    message: /minimum \(3\) is larger/,
  },
  {
    title: 'AL2 on 1.34',
    edit: (d) => ({ ...d, managedNodeGroups: [{ name: 'ng-1', iam: { instanceRoleARN: nodeRole }, amiFamily: 'AmazonLinux2' }] }),
    path: ['managedNodeGroups', 0, 'amiFamily'],
    message: /1\.33/,
  },
  {
    title: 'taint effect',
    edit: (d) => ({
      ...d,
      managedNodeGroups: [{ name: 'ng-1', iam: { instanceRoleARN: nodeRole }, taints: [{ key: 'a', value: 'b', effect: 'NO_SCHEDULE' }] }],
    }),
    path: ['managedNodeGroups', 0, 'taints', 0, 'effect'],
    message: /NoSchedule/,
  },
  {
    title: 'duplicate node group',
    edit: (d) => ({ ...d, managedNodeGroups: [d.managedNodeGroups[0], d.managedNodeGroups[0]] }),
    path: ['managedNodeGroups', 1, 'name'],
    message: /twice/,
  },
  {
    // No instanceRoleARN is "create the standard role" (test/unit/eksStandardRole.test.ts); a bad ARN is still an error.
    title: 'node role not an ARN',
    edit: (d) => ({ ...d, managedNodeGroups: [{ name: 'ng-1', iam: { instanceRoleARN: 'eks-node' } }] }),
    path: ['managedNodeGroups', 0, 'iam', 'instanceRoleARN'],
    message: /not an IAM role ARN/,
  },
  {
    title: 'cluster role not an ARN',
    edit: (d) => ({ ...d, iam: { serviceRoleARN: 'eks-cluster' } }),
    path: ['iam', 'serviceRoleARN'],
    message: /not an IAM role ARN/,
  },
  {
    title: 'logging type',
    edit: (d) => ({ ...d, cloudWatch: { clusterLogging: { enableTypes: ['api', 'all'] } } }),
    path: ['cloudWatch', 'clusterLogging', 'enableTypes', 1],
    message: /not one of/,
  },
];

for (const b of badCases) {
  test(`eksctl file read: ${b.title} is an error at its path`, () => {
    const read = clusterFormat.read(b.edit(validCluster()));
    assert.equal(read.spec, undefined);
    const hit = read.problems.find((p) => p.severity === 'error' && JSON.stringify(p.path) === JSON.stringify(b.path));
    assert.ok(hit, `expected a problem at ${JSON.stringify(b.path)}, got ${JSON.stringify(read.problems)}`);
    assert.match(hit.message, b.message);
  });
}

test('node-pool file: cluster sections refused, subnets required; plan without a profile says where to put it', () => {
  const base = {
    apiVersion: 'eksctl.io/v1alpha5',
    kind: 'ClusterConfig',
    metadata: { name: 'shop', region: 'eu-west-1' },
    managedNodeGroups: [{ name: 'ng-2', iam: { instanceRoleARN: nodeRole }, subnets: ['subnet-0a1'] }],
  };
  assert.ok(nodePoolFormat.matches(base));
  const ok = nodePoolFormat.read(base);
  assert.deepEqual(ok.problems, []);
  assert.throws(
    () => nodePoolFormat.plan(ok.spec!),
    (e: unknown) => e instanceof ClusterDeckError && e.reason === 'badConfig' && /clusterdeck\.io\/aws-profile/.test(e.message),
  );
  assert.equal(nodePoolFormat.plan(ok.spec!, { account: 'prod' }).steps[0]?.target.account, 'prod');
  const noSubnets = nodePoolFormat.read({ ...base, managedNodeGroups: [{ name: 'ng-2', iam: { instanceRoleARN: nodeRole } }] });
  assert.deepEqual(
    noSubnets.problems.map((p) => p.path),
    [['managedNodeGroups', 0, 'subnets']],
  );
  // metadata.version pins the node groups' version explicitly (else EKS uses the cluster's, and the plan says so).
  assert.ok(nodePoolFormat.plan(ok.spec!, { account: 'prod' }).warnings.some((w) => /cluster's Kubernetes version/.test(w)));
  const pinned = nodePoolFormat.read({ ...base, metadata: { ...base.metadata, version: '1.33' } });
  assert.equal(pinned.spec?.version, '1.33');
  assert.deepEqual(nodePoolFormat.read(parse(nodePoolFormat.write(pinned.spec))).spec, pinned.spec);
  const pinnedPlan = nodePoolFormat.plan(pinned.spec, { account: 'prod' });
  assert.equal((pinnedPlan.steps[0]?.body as { version?: string }).version, '1.33');
  assert.ok(!pinnedPlan.warnings.some((w) => /cluster's Kubernetes version/.test(w)));
  const al2 = nodePoolFormat.read({
    ...base,
    metadata: { ...base.metadata, version: '1.33' },
    managedNodeGroups: [{ ...base.managedNodeGroups[0], amiFamily: 'AmazonLinux2' }],
  });
  assert.deepEqual(
    al2.problems.map((p) => p.path),
    [['managedNodeGroups', 0, 'amiFamily']],
  );
  const withVpc = nodePoolFormat.read({ ...base, vpc: {} });
  assert.deepEqual(
    withVpc.problems.map((p) => p.path),
    [['vpc']],
  );
  assert.ok(!nodePoolFormat.matches({ ...base, vpc: {} }));
  assert.ok(!clusterFormat.matches({ ...base, apiVersion: 'eksctl.io/v1alpha4' }));
});

test('EKS CIDR problems (over core/provisioning/cidr.ts): syntax, host bits', () => {
  assert.equal(cidrProblem('10.100.0.0/16'), undefined);
  assert.match(cidrProblem('10.100.0.1/16') ?? '', /use 10\.100\.0\.0\/16/);
  assert.match(cidrProblem('010.1.0.0/16') ?? '', /not an IPv4/);
  assert.equal(cidrProblem('0.0.0.0/0'), undefined);
});

test('eksctl file write: two subnets of one zone in the same section get their own keys and read back equal', () => {
  const read = clusterFormat.read(validCluster());
  assert.ok(read.spec);
  const spec = {
    ...read.spec,
    subnets: [
      { id: 'subnet-0a1', az: 'eu-west-1a', access: 'private' as const },
      { id: 'subnet-0a9', az: 'eu-west-1a', access: 'private' as const },
      { id: 'subnet-0b2', az: 'eu-west-1b', access: 'private' as const },
    ],
  };
  const doc = parse(clusterFormat.write(spec)) as { vpc: { subnets: { private: Record<string, unknown> } } };
  assert.deepEqual(doc.vpc.subnets.private, {
    'eu-west-1a': { id: 'subnet-0a1' },
    'eu-west-1a-subnet-0a9': { id: 'subnet-0a9', az: 'eu-west-1a' },
    'eu-west-1b': { id: 'subnet-0b2' },
  });
  assert.deepEqual(clusterFormat.read(doc).spec, spec);
});
