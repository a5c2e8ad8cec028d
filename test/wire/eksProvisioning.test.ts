// EKS provisioning with the real @aws-sdk/client-eks, client-ec2 and client-iam against the wire fake on
// 127.0.0.1 (SigV4 checked on every request): create exactly once, adopt or refuse a taken name, follow CREATING →
// ACTIVE, failures with the service's message and the partial resources, resume from a fresh provider, choices.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudProvider } from '../../src/core/clouds/cloudProvider';
import { ClusterDeckError } from '../../src/core/errors';
import { eksProvisioning } from '../../src/core/provisioning/eks/index';
import type { EksClusterStepBody } from '../../src/core/provisioning/eks/eksPlan';
import type { ProvisioningProvider, ProvisionStep } from '../../src/core/provisioning/provisioning';
import { createEksProvider } from '../../src/node/clouds/eks/eksProvider';
import { derivedToken } from '../../src/node/clouds/eks/eksProvisioning';
import { startEksFake, type EksFake } from '../fakes/clouds/eksFake';
import { runWizard, scriptedRenderer, type RenderedStep, type StepAnswer } from '../../src/core/wizard/wizard';
import type { EksClusterWizardState } from '../../src/core/provisioning/eks/eksWizards';
import { parse } from 'yaml';

const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYPROVCANARY';
const nodeRole = 'arn:aws:iam::123456789012:role/AmazonEKSNodeRole';
const clusterRole = 'arn:aws:iam::123456789012:role/AmazonEKSClusterRole';

function clusterDoc(name: string, extraGroups = 1) {
  return {
    apiVersion: 'eksctl.io/v1alpha5',
    kind: 'ClusterConfig',
    metadata: {
      name,
      region: 'eu-west-1',
      version: '1.34',
      annotations: { 'clusterdeck.io/aws-profile': 'default' },
      tags: { team: 'shop' },
    },
    iam: { serviceRoleARN: clusterRole },
    vpc: {
      id: 'vpc-0abc',
      subnets: { private: { 'eu-west-1a': { id: 'subnet-0a1' }, 'eu-west-1b': { id: 'subnet-0b2' } } },
      publicAccessCIDRs: ['203.0.113.7/32'],
    },
    cloudWatch: { clusterLogging: { enableTypes: ['audit'] } },
    addons: [{ name: 'vpc-cni' }, { name: 'coredns' }, { name: 'kube-proxy' }, { name: 'eks-pod-identity-agent' }],
    managedNodeGroups: Array.from({ length: extraGroups }, (_, i) => ({
      name: `ng-${i + 1}`,
      instanceTypes: ['m6i.large', 'm5.large'],
      spot: true,
      minSize: 1,
      desiredCapacity: 2,
      maxSize: 4,
      labels: { role: 'web' },
      taints: [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }],
      iam: { instanceRoleARN: nodeRole },
    })),
  };
}

function planOf(name: string, groups = 1) {
  const read = eksProvisioning.clusterFormat.read(clusterDoc(name, groups));
  assert.ok(read.spec, JSON.stringify(read.problems));
  return eksProvisioning.clusterFormat.plan(read.spec);
}

function rejectsWith(p: Promise<unknown>, reason: string, message: RegExp): Promise<void> {
  return assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ClusterDeckError, `expected ClusterDeckError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    assert.match(e.message, message);
    assert.ok(!e.message.includes(secret));
    return true;
  });
}

describe('EKS provisioning against the wire fake', () => {
  let fake: EksFake;
  let dir = '';
  const log: string[] = [];
  const newProvider = (): CloudProvider =>
    createEksProvider({
      endpoint: fake.url,
      ec2Endpoint: fake.url,
      iamEndpoint: fake.url,
      stsEndpoint: fake.url,
      configFile: join(dir, 'config'),
      credentialsFile: join(dir, 'credentials'),
      homeDir: dir,
      env: {},
      pollIntervalMs: 5,
      requestTimeoutMs: 3000,
      onRequest: (l) => log.push(l),
    });
  let prov: ProvisioningProvider;
  const records = (operation: string, path?: string) => fake.records.filter((r) => r.operation === operation && (!path || r.path === path));
  /** The request as the SDK took it: the JSON body plus the cluster name it put in the path (/clusters/{name}/…). */
  const asRequest = (r: { path: string; body: string } | undefined): Record<string, unknown> => {
    const body = JSON.parse(r?.body || '{}') as Record<string, unknown>;
    const [, inPath, sub] = (r?.path ?? '').split('/').filter(Boolean);
    return sub ? { clusterName: decodeURIComponent(inPath ?? ''), ...body } : body;
  };
  const sentBody = (operation: string, path?: string) => asRequest(records(operation, path).at(-1));

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-eksprov-'));
    writeFileSync(join(dir, 'config'), '[default]\nregion = eu-west-1\n');
    writeFileSync(join(dir, 'credentials'), `[default]\naws_access_key_id = AKIDPROV\naws_secret_access_key = ${secret}\n`);
    fake = await startEksFake({
      keys: { AKIDPROV: { secretAccessKey: secret, account: '123456789012', arn: 'arn:aws:iam::123456789012:user/alice' } },
      pollsToSettle: 2,
      awsQuery: {
        regions: [
          { name: 'eu-west-1' },
          { name: 'us-east-1' },
          { name: 'ap-east-1', optIn: 'not-opted-in' },
          { name: 'eu-south-1', optIn: 'opted-in' },
        ],
        vpcs: [
          { id: 'vpc-0abc', cidr: '10.0.0.0/16', name: 'main' },
          { id: 'vpc-0def', cidr: '172.31.0.0/16', isDefault: true },
        ],
        subnets: [
          { id: 'subnet-0a1', vpcId: 'vpc-0abc', az: 'eu-west-1a', cidr: '10.0.1.0/24', freeIps: 250, name: 'private-a' },
          { id: 'subnet-0b2', vpcId: 'vpc-0abc', az: 'eu-west-1b', cidr: '10.0.2.0/24', freeIps: 4 },
          { id: 'subnet-0c3', vpcId: 'vpc-0abc', az: 'eu-west-1a', cidr: '10.0.3.0/24', mapPublicIp: true },
          { id: 'subnet-0d4', vpcId: 'vpc-0def', az: 'eu-west-1c', cidr: '172.31.0.0/20', mapPublicIp: true },
        ],
        offerings: {
          'eu-west-1a': ['m5.large', 'm6i.large', 'm7g.large', 'p5.48xlarge'],
          'eu-west-1b': ['m5.large', 'm6i.large', 'm7g.large'],
          'eu-west-1c': ['m5.large'],
        },
        keyPairs: ['ops'],
        roles: [
          { name: 'AmazonEKSClusterRole', trusts: ['eks.amazonaws.com'] },
          { name: 'AmazonEKSNodeRole', trusts: ['ec2.amazonaws.com'] },
          { name: 'lambda-exec', trusts: ['lambda.amazonaws.com'] },
          { name: 'both', trusts: ['eks.amazonaws.com', 'ec2.amazonaws.com'] },
        ],
        pageSize: 2,
      },
    });
    const p = newProvider().provisioning;
    assert.ok(p, 'the EKS provider provisions');
    prov = p;
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('create: CreateCluster with the journal token and the exact body, CREATING → ACTIVE, add-ons, then the node group', async () => {
    const plan = planOf('shop');
    const [clusterStep, ngStep] = plan.steps as [ProvisionStep, ProvisionStep];
    const ids = { opId: '7f3c0000-0000-4000-8000-000000000001', token: '11111111-2222-4333-8444-555555555555' };
    const outcome = await prov.create(clusterStep, ids);
    assert.equal(outcome.state, 'started');
    assert.match(outcome.message, /10–15 minutes/);
    const body = clusterStep.body as EksClusterStepBody;
    assert.deepEqual(sentBody('CreateCluster'), {
      ...body.createCluster,
      tags: { team: 'shop', 'clusterdeck-op': ids.opId, 'clusterdeck-token': ids.token },
      clientRequestToken: ids.token,
    });
    assert.equal(fake.cluster('eu-west-1', 'shop')?.status, 'CREATING');
    const progress: string[] = [];
    await outcome.operation?.wait(undefined, (s) => progress.push(s));
    assert.ok(progress[0]?.startsWith('CREATING'), progress.join());
    assert.equal(progress.at(-1), 'ACTIVE');
    assert.equal(fake.cluster('eu-west-1', 'shop')?.status, 'ACTIVE');
    assert.deepEqual(fake.addonsOf('eu-west-1', 'shop').sort(), ['coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
    const addonBodies = records('CreateAddon').map(asRequest);
    assert.deepEqual(
      addonBodies,
      body.createAddons.map((a) => ({
        ...a,
        tags: { ...a.tags, 'clusterdeck-op': ids.opId, 'clusterdeck-token': ids.token },
        clientRequestToken: derivedToken(ids.token, a.addonName),
      })),
    );
    assert.equal(body.createCluster.bootstrapSelfManagedAddons, false);

    const ngIds = { opId: ids.opId, token: '22222222-2222-4333-8444-555555555555' };
    const ng = await prov.create(ngStep, ngIds);
    assert.equal(ng.state, 'started');
    assert.deepEqual(sentBody('CreateNodegroup'), {
      ...(ngStep.body as Record<string, unknown>),
      tags: { team: 'shop', 'clusterdeck-op': ids.opId, 'clusterdeck-token': ngIds.token },
      clientRequestToken: ngIds.token,
    });
    await ng.operation?.wait();
    assert.equal(fake.nodegroup('eu-west-1', 'shop', 'ng-1')?.status, 'ACTIVE');
    assert.ok(
      log.some((l) => /^> eks CreateCluster eu-west-1 cluster "shop" \[\d+ms\] ok$/.test(l)),
      log.join('\n'),
    );
    assert.ok(log.some((l) => /^> eks CreateNodegroup eu-west-1 node group "ng-1" of cluster "shop" \[\d+ms\] ok$/.test(l)));
    assert.ok(!log.some((l) => l.includes(secret)));
  });

  test('response dropped after the create was accepted: the same create again adopts it, one cluster, one CreateCluster', async () => {
    const plan = planOf('dropped', 0);
    const step = plan.steps[0] as ProvisionStep;
    const ids = { opId: 'op-dropped', token: '33333333-2222-4333-8444-555555555555' };
    fake.failNext('CreateCluster', 1, { kind: 'dropAfterApply' });
    const before = records('CreateCluster').length;
    await assert.rejects(prov.create(step, ids), (e: unknown) => e instanceof ClusterDeckError);
    assert.equal(fake.cluster('eu-west-1', 'dropped')?.status, 'CREATING', 'EKS applied it');
    const again = await prov.create(step, ids);
    assert.equal(again.state, 'inProgress');
    assert.match(again.message, /already being created/);
    assert.equal(records('CreateCluster').length - before, 1, 'sent once: the SDK did not resend it, and the retry adopted it');
    await again.operation?.wait();
    assert.equal(fake.cluster('eu-west-1', 'dropped')?.status, 'ACTIVE');
  });

  test('a resend that reaches EKS again carries the same token and body: EKS answers the first result, one cluster', async () => {
    const step = planOf('resent', 0).steps[0] as ProvisionStep;
    const ids = { opId: 'op-resent', token: 'eeeeeeee-2222-4333-8444-555555555555' };
    fake.failNext('CreateCluster', 1, { kind: 'dropAfterApply' });
    await assert.rejects(prov.create(step, ids));
    // The describe does not see it yet (eventual consistency): the create goes out again, token and body identical.
    fake.failNext('DescribeCluster', 1, {
      kind: 'aws',
      status: 404,
      type: 'ResourceNotFoundException',
      message: 'No cluster found for name: resent.',
    });
    const again = await prov.create(step, ids);
    const [first, second] = records('CreateCluster').filter((r) => r.body.includes('"name":"resent"'));
    assert.ok(first && second);
    assert.equal(second.body, first.body, 'identical request, same clientRequestToken');
    assert.equal(second.status, 200, 'EKS answered the first result (same token), not ResourceInUse');
    assert.equal(again.state, 'started');
    await again.operation?.wait();
    assert.equal(fake.cluster('eu-west-1', 'resent')?.status, 'ACTIVE');
    // The same token with another body is refused (never reuse a token for a different spec).
    fake.failNext('DescribeCluster', 1, { kind: 'aws', status: 404, type: 'ResourceNotFoundException', message: 'No cluster found.' });
    const changed = {
      ...step,
      body: {
        ...(step.body as EksClusterStepBody),
        createCluster: { ...(step.body as EksClusterStepBody).createCluster, version: '1.33' },
      },
    };
    await rejectsWith(prov.create(changed, ids), 'invalid', /reused with different parameters/);
  });

  test('create twice (a second run of the same file, new journal entry): one cluster, "already exists"', async () => {
    const step = planOf('twice', 0).steps[0] as ProvisionStep;
    const token = '44444444-2222-4333-8444-555555555555';
    const first = await prov.create(step, { opId: 'op-first', token });
    await first.operation?.wait();
    const n = records('CreateCluster').length;
    const second = await prov.create(step, { opId: 'op-second', token });
    assert.equal(second.state, 'exists');
    assert.equal(second.message, 'EKS cluster twice already exists in eu-west-1.');
    assert.equal(records('CreateCluster').length, n, 'nothing sent');
    await second.operation?.wait(); // add-ons again: harmless
  });

  test("someone else's cluster with that name: conflict naming it, nothing sent", async () => {
    fake.addCluster('eu-west-1', { name: 'taken', tags: { owner: 'bob' } });
    const step = planOf('taken', 0).steps[0] as ProvisionStep;
    const n = records('CreateCluster').length;
    await rejectsWith(
      prov.create(step, { opId: 'op-x', token: '55555555-2222-4333-8444-555555555555' }),
      'conflict',
      /cluster named taken already exists in eu-west-1.*rename/,
    );
    assert.equal(records('CreateCluster').length, n);
  });

  test('the token guards a race: CreateCluster answered 409 for a name taken in between → conflict unless ours', async () => {
    const step = planOf('racy', 0).steps[0] as ProvisionStep;
    fake.failNext('DescribeCluster', 1, {
      kind: 'aws',
      status: 404,
      type: 'ResourceNotFoundException',
      message: 'No cluster found for name: racy.',
    });
    fake.addCluster('eu-west-1', { name: 'racy', tags: { 'clusterdeck-op': 'op-racy' } });
    const outcome = await prov.create(step, { opId: 'op-racy', token: '66666666-2222-4333-8444-555555555555' });
    assert.equal(outcome.state, 'exists');
  });

  test('failure midway: cluster FAILED → rejected with the service message; partialResources lists what exists', async () => {
    const step = planOf('broken', 0).steps[0] as ProvisionStep;
    fake.failNextCreate('cluster', {
      code: 'Ec2SubnetInvalidConfiguration',
      message: 'One or more Amazon EC2 Subnets of [subnet-0a1] has insufficient free IP addresses.',
    });
    const outcome = await prov.create(step, { opId: 'op-broken', token: '77777777-2222-4333-8444-555555555555' });
    await rejectsWith(
      outcome.operation?.wait() ?? Promise.resolve(),
      'unknown',
      /cluster broken in eu-west-1 FAILED: Ec2SubnetInvalidConfiguration: One or more Amazon EC2 Subnets/,
    );
    assert.deepEqual(await prov.partialResources(step), ['EKS cluster broken in eu-west-1 (FAILED)']);
    assert.equal(fake.cluster('eu-west-1', 'broken')?.status, 'FAILED', 'never deleted');
  });

  test('node group CREATE_FAILED on a vCPU quota: the message names the quota and the region; the leftovers are listed', async () => {
    fake.addCluster('eu-west-1', { name: 'quota', version: '1.34' });
    const read = eksProvisioning.nodePoolFormat.read({
      apiVersion: 'eksctl.io/v1alpha5',
      kind: 'ClusterConfig',
      metadata: { name: 'quota', region: 'eu-west-1', annotations: { 'clusterdeck.io/aws-profile': 'default' } },
      managedNodeGroups: [
        {
          name: 'big',
          instanceType: 'm5.large',
          desiredCapacity: 40,
          maxSize: 40,
          minSize: 1,
          subnets: ['subnet-0a1'],
          iam: { instanceRoleARN: nodeRole },
        },
      ],
    });
    assert.ok(read.spec);
    const step = eksProvisioning.nodePoolFormat.plan(read.spec).steps[0] as ProvisionStep;
    fake.failNextCreate('nodegroup', {
      code: 'AsgInstanceLaunchFailures',
      message:
        'Could not launch On-Demand Instances. VcpuLimitExceeded - You have requested more vCPU capacity than your current vCPU limit of 32 allows.',
    });
    const outcome = await prov.create(step, { opId: 'op-q', token: '88888888-2222-4333-8444-555555555555' });
    await rejectsWith(
      outcome.operation?.wait() ?? Promise.resolve(),
      'unknown',
      /quota is reached in eu-west-1.*CREATE_FAILED: AsgInstanceLaunchFailures: .*VcpuLimitExceeded/,
    );
    assert.deepEqual(await prov.partialResources(step), ['node group big of EKS cluster quota in eu-west-1 (CREATE_FAILED)']);
  });

  test('ResourceLimitExceeded at CreateCluster: the quota and region named, not retried', async () => {
    const step = planOf('limit', 0).steps[0] as ProvisionStep;
    fake.failNext('CreateCluster', 1, {
      kind: 'aws',
      status: 400,
      type: 'ResourceLimitExceededException',
      message: "Cannot create cluster 'limit' because region eu-west-1, account 123456789012 has reached the limit of 100 clusters.",
    });
    const n = records('CreateCluster').length;
    await rejectsWith(
      prov.create(step, { opId: 'op-l', token: '99999999-2222-4333-8444-555555555555' }),
      'invalid',
      /quota "Clusters" is reached in eu-west-1: Cannot create cluster 'limit'.*Service Quotas/,
    );
    assert.equal(records('CreateCluster').length - n, 1, 'sent once');
    assert.deepEqual(await prov.partialResources(step), []);
  });

  test('resumeCreate from a fresh provider (a reload) follows the create to ACTIVE, add-ons included', async () => {
    const [step, ngStep] = planOf('resumed').steps as [ProvisionStep, ProvisionStep];
    const token = 'aaaaaaaa-2222-4333-8444-555555555555';
    const outcome = await prov.create(step, { opId: 'op-resume', token });
    const id = outcome.operation?.id ?? '';
    assert.equal(id, `create-cluster:resumed:${token}:op-resume`);
    const reloaded = newProvider().provisioning;
    assert.ok(reloaded);
    await reloaded.resumeCreate(step, id).wait();
    assert.equal(fake.cluster('eu-west-1', 'resumed')?.status, 'ACTIVE');
    assert.equal(fake.addonsOf('eu-west-1', 'resumed').length, 4);
    assert.equal(fake.tagsOf('eu-west-1', 'resumed')?.['clusterdeck-op'], 'op-resume');
    const ng = await reloaded.create(ngStep, { opId: 'op-resume', token: 'bbbbbbbb-2222-4333-8444-555555555555' });
    const again = newProvider().provisioning?.resumeCreate(ngStep, ng.operation?.id ?? '');
    assert.equal(again?.id, 'create-nodegroup:resumed:ng-1');
    await again?.wait();
    assert.equal(fake.nodegroup('eu-west-1', 'resumed', 'ng-1')?.status, 'ACTIVE');
    assert.throws(
      () => reloaded.resumeCreate(step, 'create-nodegroup:resumed:ng-1'),
      (e: unknown) => e instanceof ClusterDeckError && e.reason === 'invalid',
    );
    assert.throws(
      () => reloaded.resumeCreate(step, 'cluster:abc'),
      (e: unknown) => e instanceof ClusterDeckError && e.reason === 'invalid',
    );
  });

  test('node group on an existing cluster (node-pool file), and a node group name someone else took', async () => {
    fake.addCluster('eu-west-1', { name: 'existing', version: '1.33', nodegroups: [{ name: 'theirs' }] });
    const read = eksProvisioning.nodePoolFormat.read({
      apiVersion: 'eksctl.io/v1alpha5',
      kind: 'ClusterConfig',
      metadata: { name: 'existing', region: 'eu-west-1' },
      managedNodeGroups: [
        { name: 'workers', instanceType: 'm7g.large', subnets: ['subnet-0a1', 'subnet-0b2'], iam: { instanceRoleARN: nodeRole } },
        { name: 'theirs', instanceType: 'm5.large', subnets: ['subnet-0a1'], iam: { instanceRoleARN: nodeRole } },
      ],
    });
    assert.ok(read.spec);
    const plan = eksProvisioning.nodePoolFormat.plan(read.spec, { account: 'default' });
    const [workers, theirs] = plan.steps as [ProvisionStep, ProvisionStep];
    const ids = { opId: 'op-np', token: 'cccccccc-2222-4333-8444-555555555555' };
    const outcome = await prov.create(workers, ids);
    assert.equal(outcome.state, 'started');
    assert.deepEqual(sentBody('CreateNodegroup', '/clusters/existing/node-groups'), {
      ...(workers.body as Record<string, unknown>),
      tags: { 'clusterdeck-op': ids.opId, 'clusterdeck-token': ids.token },
      clientRequestToken: ids.token,
    });
    assert.equal((workers.body as { amiType: string }).amiType, 'AL2023_ARM_64_STANDARD');
    await outcome.operation?.wait();
    assert.equal(fake.nodegroup('eu-west-1', 'existing', 'workers')?.status, 'ACTIVE');
    assert.equal((await prov.create(workers, { ...ids, opId: 'op-later' })).state, 'exists');
    await rejectsWith(
      prov.create(theirs, { opId: 'op-np', token: 'dddddddd-2222-4333-8444-555555555555' }),
      'conflict',
      /already has a node group named theirs.*rename/,
    );
    const missing = {
      ...workers,
      target: { ...workers.target, cluster: 'nope' },
      body: { ...(workers.body as object), clusterName: 'nope' },
    };
    await rejectsWith(prov.create(missing, ids), 'notFound', /cluster nope was not found in eu-west-1; create the cluster first/);
  });

  test('the cluster wizard with choices from the fake: defaults from the cloud, the file, the plan, the create', async () => {
    const wizard = eksProvisioning.clusterWizard;
    const inner = scriptedRenderer<EksClusterWizardState>({
      name: ['wiz'],
      vpc: ['vpc-0abc'],
      subnets: [['subnet-0a1/eu-west-1a/private', 'subnet-0b2/eu-west-1b/private']],
    });
    const render = (r: RenderedStep<EksClusterWizardState>): Promise<StepAnswer> => {
      if (inner.asked.length > 60) throw new Error(`wizard loops: ${inner.asked.slice(-3).join(', ')}`);
      return inner(r);
    };
    const state = await runWizard(
      wizard.steps((q, p, sig) => prov.choices(q, p, sig)),
      wizard.initial({}),
      render,
    );
    assert.ok(state);
    const spec = wizard.toSpec(state);
    assert.equal(spec.profile, 'default');
    assert.equal(spec.region, 'eu-west-1', "the profile's region is the default");
    assert.equal(spec.version, '1.33', 'the defaultVersion from DescribeClusterVersions');
    assert.equal(spec.roleArn, clusterRole);
    assert.equal(spec.nodeGroups[0]?.nodeRoleArn, nodeRole);
    assert.deepEqual(spec.nodeGroups[0]?.instanceTypes, ['m5.large']);
    const read = eksProvisioning.clusterFormat.read(parse(eksProvisioning.clusterFormat.write(spec)));
    assert.deepEqual(read.spec, spec);
    const plan = eksProvisioning.clusterFormat.plan(spec);
    const outcome = await prov.create(plan.steps[0] as ProvisionStep, { opId: 'op-wiz', token: 'ffffffff-2222-4333-8444-555555555555' });
    await outcome.operation?.wait();
    const ng = await prov.create(plan.steps[1] as ProvisionStep, { opId: 'op-wiz', token: 'ffffffff-2222-4333-8444-666666666666' });
    await ng.operation?.wait();
    assert.equal(fake.nodegroup('eu-west-1', 'wiz', 'wiz-ng-1')?.status, 'ACTIVE');
  });

  test('choices: regions, versions, roles by trust, VPCs, subnets, cluster subnets, instance types in every zone, clusters, accounts', async () => {
    const q = (query: string, params: Record<string, string> = {}) =>
      prov.choices(query, { account: 'default', region: 'eu-west-1', ...params });
    const regions = await q('regions');
    assert.deepEqual(
      regions.map((r) => r.value),
      ['ap-east-1', 'eu-south-1', 'eu-west-1', 'us-east-1'],
    );
    assert.match(regions[0]?.description ?? '', /not enabled/);
    assert.equal(regions.find((r) => r.isDefault)?.value, 'eu-west-1');
    const versions = await q('versions');
    assert.deepEqual(
      versions.map((v) => v.value),
      ['1.34', '1.33', '1.32', '1.31'],
    );
    assert.equal(versions.find((v) => v.isDefault)?.value, '1.33');
    const eksRoles = await q('roles', { service: 'eks.amazonaws.com' });
    assert.deepEqual(
      eksRoles.map((r) => r.label),
      ['AmazonEKSClusterRole', 'both'],
    );
    assert.equal(eksRoles.find((r) => r.isDefault)?.value, clusterRole);
    assert.deepEqual(
      (await q('roles', { service: 'ec2.amazonaws.com' })).map((r) => r.label),
      ['AmazonEKSNodeRole', 'both'],
    );
    assert.ok(records('iam:ListRoles').length >= 2, 'ListRoles paged (2 per page)');
    const vpcs = await q('vpcs');
    assert.deepEqual(
      vpcs.map((v) => [v.value, v.label, v.isDefault ?? false]),
      [
        ['vpc-0abc', 'vpc-0abc (main)', false],
        ['vpc-0def', 'vpc-0def', true],
      ],
    );
    const subnets = await q('subnets', { vpc: 'vpc-0abc' });
    assert.deepEqual(
      subnets.map((s) => s.value),
      ['subnet-0a1/eu-west-1a/private', 'subnet-0c3/eu-west-1a/public', 'subnet-0b2/eu-west-1b/private'],
    );
    assert.match(subnets[2]?.description ?? '', /4 free IPs \(EKS needs at least 6\)/);
    assert.match(records('ec2:DescribeSubnets').at(-1)?.body ?? '', /Filter\.1\.Name=vpc-id&Filter\.1\.Value\.1=vpc-0abc/);
    const types = await q('instanceTypes', { zones: 'eu-west-1a,eu-west-1b' });
    assert.deepEqual(
      types.map((t) => t.value),
      ['m5.large', 'm6i.large', 'm7g.large'],
    );
    assert.equal(types.find((t) => t.isDefault)?.value, 'm5.large');
    assert.deepEqual((await q('clusters')).map((c) => c.value).slice(0, 2), ['broken', 'dropped']);
    fake.addCluster('eu-west-1', { name: 'sub' });
    await assert.rejects(
      q('clusterSubnets', { cluster: 'nope' }),
      (e: unknown) => e instanceof ClusterDeckError && e.reason === 'notFound',
    );
    const created = await q('clusterSubnets', { cluster: 'shop' });
    assert.deepEqual(
      created.map((s) => [s.value, s.isDefault ?? false]),
      [
        ['subnet-0a1/eu-west-1a/private', true],
        ['subnet-0b2/eu-west-1b/private', true],
      ],
    );
    assert.deepEqual(
      (await q('keyPairs')).map((k) => k.value),
      ['ops'],
    );
    assert.deepEqual(
      (await prov.choices('accounts', {})).map((a) => [a.value, a.isDefault ?? false]),
      [['default', true]],
    );
    assert.ok(log.some((l) => /^> ec2 DescribeSubnets eu-west-1 \[\d+ms\] ok$/.test(l)));
    assert.ok(log.some((l) => /^> iam ListRoles global \[\d+ms\] ok$/.test(l)));
    fake.failNext('ec2:DescribeVpcs', 3, {
      kind: 'aws',
      status: 403,
      type: 'UnauthorizedOperation',
      message: 'You are not authorized to perform this operation.',
    });
    await assert.rejects(
      q('vpcs'),
      (e: unknown) => e instanceof ClusterDeckError && e.reason === 'forbidden' && /ec2:DescribeVpcs/.test(e.message),
    );
  });
});
