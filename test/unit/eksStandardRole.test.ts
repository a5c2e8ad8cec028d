// EKS "Create the standard role": wizard → eksctl file (no serviceRoleARN / instanceRoleARN, role names in
// annotations) → read → plan with the iamRole steps whose bodies are exactly the IAM requests, and the cluster /
// node-group requests naming the role by reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { ChoiceItem, ChoiceLoader } from '../../src/core/provisioning/provisioning';
import { eksProvisioning } from '../../src/core/provisioning/eks/index';
import { createStandardRole, type EksClusterWizardState, type EksNodePoolWizardState } from '../../src/core/provisioning/eks/eksWizards';
import { roleReferenceName } from '../../src/core/provisioning/eks/eksPlan';
import { stepIdentity } from '../../src/core/provisioning/journal';
import { planSummary } from '../../src/core/provisioning/provisioningCatalog';
import { runWizard, scriptedRenderer, type PickStep, type InputStep } from '../../src/core/wizard/wizard';

const { clusterFormat, nodePoolFormat, clusterWizard, nodePoolWizard } = eksProvisioning;

const data: Record<string, readonly ChoiceItem[]> = {
  accounts: [{ value: 'prod', isDefault: true }],
  regions: [{ value: 'eu-west-1', isDefault: true }],
  versions: [{ value: '1.34', isDefault: true }],
  vpcs: [{ value: 'vpc-0abc', isDefault: true }],
  subnets: [
    { value: 'subnet-0a1/eu-west-1a/private', label: 'subnet-0a1' },
    { value: 'subnet-0b2/eu-west-1b/private', label: 'subnet-0b2' },
  ],
  clusters: [{ value: 'shop' }],
  clusterSubnets: [
    { value: 'subnet-0a1/eu-west-1a/private', isDefault: true },
    { value: 'subnet-0b2/eu-west-1b/private', isDefault: true },
  ],
  instanceTypes: [{ value: 'm5.large', isDefault: true }],
};

/** `roles`: what ListRoles would offer (none by default: a fresh account). */
function loader(roles: readonly ChoiceItem[] = []): ChoiceLoader {
  return (query) => {
    if (query === 'roles') return Promise.resolve(roles);
    const items = data[query];
    return items ? Promise.resolve(items) : Promise.reject(new Error(`unexpected query ${query}`));
  };
}

const trust = (service: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
const policy = (n: string) => `arn:aws:iam::aws:policy/${n}`;

test('role steps offer "Create the standard role" first; it is the default only when no conventional role is listed', async () => {
  const steps = clusterWizard.steps(loader([{ value: 'arn:aws:iam::123456789012:role/eksClusterRole', isDefault: true }]));
  const pick = steps.find((s) => s.id === 'clusterRole') as PickStep<EksClusterWizardState>;
  const signal = new AbortController().signal;
  const listed = await pick.choices({ ng: {} }, signal);
  assert.equal(listed[0]?.value, createStandardRole);
  assert.equal(listed[0]?.label, 'Create the standard role');
  assert.match(listed[0]?.description ?? '', /eks\.amazonaws\.com.*AmazonEKSClusterPolicy/);
  assert.equal(listed[0]?.isDefault, undefined, 'the listed conventional role stays the default');
  assert.equal(listed[1]?.isDefault, true);
  const fresh = await (clusterWizard.steps(loader()).find((s) => s.id === 'clusterRole') as PickStep<EksClusterWizardState>).choices(
    { ng: {} },
    signal,
  );
  assert.deepEqual(
    fresh.map((c) => [c.value, c.isDefault]),
    [[createStandardRole, true]],
  );
  const node = (await (steps.find((s) => s.id === 'nodeRole') as PickStep<EksClusterWizardState>).choices({ ng: {} }, signal))[0];
  assert.match(
    node?.description ?? '',
    /ec2\.amazonaws\.com.*AmazonEKSWorkerNodePolicy.*AmazonEC2ContainerRegistryReadOnly.*AmazonEKS_CNI_Policy/,
  );
});

test('role name steps: asked only after "Create the standard role", default <cluster>-cluster-role, validated as IAM names', () => {
  const steps = clusterWizard.steps(loader());
  const name = steps.find((s) => s.id === 'clusterRoleName') as InputStep<EksClusterWizardState>;
  const nodeName = steps.find((s) => s.id === 'nodeRoleName') as InputStep<EksClusterWizardState>;
  assert.equal(name.when?.({ ng: {}, roleArn: 'arn:aws:iam::1:role/x' }), false);
  const state: EksClusterWizardState = { name: 'shop', createClusterRole: true, ng: { createNodeRole: true } };
  assert.equal(name.when?.(state), true);
  assert.equal(name.value?.(state), 'shop-cluster-role');
  assert.equal(nodeName.value?.(state), 'shop-node-role');
  assert.equal(name.validate('shop-cluster-role', state), undefined);
  assert.match(name.validate('has space', state) ?? '', /Letters, digits/);
  assert.match(name.validate('r'.repeat(65), state) ?? '', /64/);
  assert.match(name.validate('', state) ?? '', /Enter/);
  assert.match(nodeName.validate('shop-cluster-role', state) ?? '', /cluster role/, 'the node role needs its own name');
  assert.equal(nodeName.validate('shop-cluster-role', { ...state, createClusterRole: false }), undefined);
});

test('wizard with both standard roles → file without role ARNs → read equal → plan: two iamRole steps, then cluster and node group', async () => {
  const steps = clusterWizard.steps(loader());
  const renderer = scriptedRenderer<EksClusterWizardState>({
    name: ['shop'],
    subnets: [['subnet-0a1/eu-west-1a/private', 'subnet-0b2/eu-west-1b/private']],
    clusterRole: [createStandardRole],
    clusterRoleName: ['shop-eks'],
    nodeRole: [createStandardRole],
    // nodeRoleName: Enter → shop-node-role
  });
  const state = await runWizard(steps, clusterWizard.initial({}), renderer);
  assert.ok(state);
  assert.ok(renderer.asked.some((a) => a.startsWith('clusterRoleName ')) && renderer.asked.some((a) => a.startsWith('nodeRoleName ')));
  const spec = clusterWizard.toSpec(state);
  assert.equal(spec.clusterRoleName, 'shop-eks');
  assert.equal(spec.nodeRoleName, 'shop-node-role');
  const text = clusterFormat.write(spec);
  const doc = parse(text) as {
    metadata: { annotations: Record<string, string> };
    iam: Record<string, unknown>;
    managedNodeGroups: Record<string, unknown>[];
  };
  assert.deepEqual(doc.iam, { withOIDC: true }, 'no serviceRoleARN: eksctl creates the role');
  assert.equal(doc.managedNodeGroups[0]?.iam, undefined, 'no instanceRoleARN: eksctl creates the role');
  assert.deepEqual(doc.metadata.annotations, {
    'clusterdeck.io/aws-profile': 'prod',
    'clusterdeck.io/cluster-role-name': 'shop-eks',
    'clusterdeck.io/node-role-name': 'shop-node-role',
  });
  const read = clusterFormat.read(doc);
  assert.deepEqual(
    read.problems.filter((p) => p.severity === 'error' || p.path[0] === 'metadata'),
    [],
  );
  assert.deepEqual(read.spec, spec, 'reading the written file gives the same spec');
  assert.equal(clusterFormat.write(read.spec ?? spec), text, 'and writes the same text again');

  const plan = clusterFormat.plan(read.spec ?? spec);
  assert.deepEqual(
    plan.steps.map((s) => [s.kind, s.name]),
    [
      ['iamRole', 'shop-eks'],
      ['iamRole', 'shop-node-role'],
      ['cluster', 'shop'],
      ['nodePool', 'shop-ng-1'],
    ],
  );
  assert.deepEqual(plan.steps[0]?.body, {
    createRole: {
      RoleName: 'shop-eks',
      AssumeRolePolicyDocument: trust('eks.amazonaws.com'),
      Description: 'EKS cluster role created by ClusterDeck for cluster shop',
    },
    attachRolePolicies: [{ RoleName: 'shop-eks', PolicyArn: policy('AmazonEKSClusterPolicy') }],
  });
  assert.deepEqual(plan.steps[1]?.body, {
    createRole: {
      RoleName: 'shop-node-role',
      AssumeRolePolicyDocument: trust('ec2.amazonaws.com'),
      Description: 'EKS node role created by ClusterDeck for cluster shop',
    },
    attachRolePolicies: ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonEKS_CNI_Policy'].map((p) => ({
      RoleName: 'shop-node-role',
      PolicyArn: policy(p),
    })),
  });
  const cluster = (plan.steps[2]?.body as { createCluster: { roleArn: string } }).createCluster;
  assert.equal(cluster.roleArn, 'arn:aws:iam::{account}:role/shop-eks');
  assert.equal(roleReferenceName(cluster.roleArn), 'shop-eks');
  const ng = plan.steps[3]?.body as { nodeRole: string };
  assert.equal(ng.nodeRole, 'arn:aws:iam::{account}:role/shop-node-role');
  assert.equal(roleReferenceName('arn:aws:iam::123456789012:role/shop-eks'), undefined, 'a real ARN is sent as it is');
  assert.deepEqual(planSummary(plan).slice(3, 5), ['  1. IAM role shop-eks', '  2. IAM role shop-node-role']);
  assert.match(plan.what, /; new IAM roles shop-eks, shop-node-role$/);
  assert.deepEqual(JSON.parse(JSON.stringify(plan.steps)), plan.steps);
});

test('a file without serviceRoleARN / instanceRoleARN and no annotations: the standard roles named after the cluster', () => {
  const read = clusterFormat.read({
    apiVersion: 'eksctl.io/v1alpha5',
    kind: 'ClusterConfig',
    metadata: { name: 'shop', region: 'eu-west-1', version: '1.34' },
    iam: { withOIDC: true },
    vpc: { subnets: { private: { 'eu-west-1a': { id: 'subnet-0a1' }, 'eu-west-1b': { id: 'subnet-0b2' } } } },
    managedNodeGroups: [{ name: 'ng-1' }, { name: 'ng-2', iam: { instanceRoleARN: 'arn:aws:iam::123456789012:role/eks-node' } }],
  });
  assert.deepEqual(
    read.problems.filter((p) => p.severity === 'error'),
    [],
  );
  assert.equal(read.spec?.clusterRoleName, 'shop-cluster-role');
  assert.equal(read.spec?.nodeRoleName, 'shop-node-role');
  const plan = clusterFormat.plan(read.spec, { account: 'prod' });
  assert.deepEqual(
    plan.steps.map((s) => s.kind),
    ['iamRole', 'iamRole', 'cluster', 'nodePool', 'nodePool'],
  );
  assert.equal((plan.steps[3]?.body as { nodeRole: string }).nodeRole, 'arn:aws:iam::{account}:role/shop-node-role');
  assert.equal((plan.steps[4]?.body as { nodeRole: string }).nodeRole, 'arn:aws:iam::123456789012:role/eks-node', 'a named ARN is kept');

  // With ARNs everywhere: no role steps (the existing behaviour).
  const named = clusterFormat.read({
    apiVersion: 'eksctl.io/v1alpha5',
    kind: 'ClusterConfig',
    metadata: { name: 'shop', region: 'eu-west-1', version: '1.34' },
    iam: { serviceRoleARN: 'arn:aws:iam::123456789012:role/eks-cluster' },
    vpc: { subnets: { private: { 'eu-west-1a': { id: 'subnet-0a1' }, 'eu-west-1b': { id: 'subnet-0b2' } } } },
  });
  assert.equal(named.spec?.clusterRoleName, undefined);
  assert.deepEqual(
    clusterFormat.plan(named.spec!, { account: 'prod' }).steps.map((s) => s.kind),
    ['cluster'],
  );
});

test('role annotations: bad names, a cluster-role annotation beside serviceRoleARN, one name for both roles → errors at paths', () => {
  const base = (md: Record<string, string>, iam: Record<string, unknown> = {}) => ({
    apiVersion: 'eksctl.io/v1alpha5',
    kind: 'ClusterConfig',
    metadata: { name: 'shop', region: 'eu-west-1', version: '1.34', annotations: md },
    iam,
    vpc: { subnets: { private: { 'eu-west-1a': { id: 'subnet-0a1' }, 'eu-west-1b': { id: 'subnet-0b2' } } } },
    managedNodeGroups: [{ name: 'ng-1' }],
  });
  const at = (doc: unknown, key: string) =>
    clusterFormat
      .read(doc)
      .problems.filter((p) => p.severity === 'error' && JSON.stringify(p.path) === JSON.stringify(['metadata', 'annotations', key]))
      .map((p) => p.message);
  assert.match(at(base({ 'clusterdeck.io/node-role-name': 'bad name' }), 'clusterdeck.io/node-role-name')[0] ?? '', /IAM role name/);
  assert.match(
    at(
      base({ 'clusterdeck.io/cluster-role-name': 'x' }, { serviceRoleARN: 'arn:aws:iam::123456789012:role/eks-cluster' }),
      'clusterdeck.io/cluster-role-name',
    )[0] ?? '',
    /remove one/,
  );
  assert.match(
    at(base({ 'clusterdeck.io/cluster-role-name': 'same', 'clusterdeck.io/node-role-name': 'same' }), 'clusterdeck.io/node-role-name')[0] ??
      '',
    /cannot share/,
  );
  // A default name over IAM's 64 characters: the error says which annotation sets it.
  const long = base({});
  long.metadata.name = 'c'.repeat(60);
  const problems = clusterFormat.read(long).problems.filter((p) => p.severity === 'error');
  assert.ok(problems.some((p) => p.path.join('.') === 'iam.serviceRoleARN' && /cluster-role-name/.test(p.message)));
});

test("node-group wizard with the standard node role: its iamRole step is the cluster file's (same token: the role is adopted)", async () => {
  const state = await runWizard(
    nodePoolWizard.steps(loader()),
    nodePoolWizard.initial({ account: 'prod', location: 'eu-west-1', cluster: 'shop' }),
    scriptedRenderer<EksNodePoolWizardState>({ nodeRole: [createStandardRole] }),
  );
  assert.ok(state);
  const spec = nodePoolWizard.toSpec(state);
  const doc: unknown = parse(nodePoolFormat.write(spec));
  assert.ok(nodePoolFormat.matches(doc), 'still a node-pool file (no iam section)');
  const read = nodePoolFormat.read(doc);
  assert.deepEqual(read.spec, spec);
  const plan = nodePoolFormat.plan(read.spec);
  assert.deepEqual(
    plan.steps.map((s) => [s.kind, s.name]),
    [
      ['iamRole', 'shop-node-role'],
      ['nodePool', 'shop-ng-2'],
    ],
  );
  const clusterPlan = clusterFormat.plan(
    clusterFormat.read({
      apiVersion: 'eksctl.io/v1alpha5',
      kind: 'ClusterConfig',
      metadata: { name: 'shop', region: 'eu-west-1', version: '1.34', annotations: { 'clusterdeck.io/aws-profile': 'prod' } },
      iam: { serviceRoleARN: 'arn:aws:iam::123456789012:role/eks-cluster' },
      vpc: { subnets: { private: { 'eu-west-1a': { id: 'subnet-0a1' }, 'eu-west-1b': { id: 'subnet-0b2' } } } },
      managedNodeGroups: [{ name: 'ng-1' }],
    }).spec!,
  );
  const clusterNodeRole = clusterPlan.steps.find((s) => s.kind === 'iamRole');
  assert.ok(clusterNodeRole && plan.steps[0]);
  assert.equal(stepIdentity(plan.steps[0]), stepIdentity(clusterNodeRole));
});
