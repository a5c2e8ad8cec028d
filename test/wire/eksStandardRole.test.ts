// "Create the standard role" against the wire fake with the real @aws-sdk/client-iam and client-eks: the iamRole
// steps create each role once (trust policy, policies, ownership tags), the cluster / node group are created with
// that role's ARN (the `{account}` reference filled from GetRole), a second run adopts everything, someone else's
// role of that name is a conflict, and EKS refusing a just-created role (IAM propagation) is re-sent, bounded.
import { after, before, beforeEach, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterDeckError } from '../../src/core/errors';
import { eksProvisioning } from '../../src/core/provisioning/eks/index';
import type { EksClusterStepBody, EksIamRoleStepBody } from '../../src/core/provisioning/eks/eksPlan';
import type { JournalEntry, JournalStore } from '../../src/core/provisioning/journal';
import type { ProvisionPlan, ProvisioningProvider, ProvisionStep } from '../../src/core/provisioning/provisioning';
import { ProvisionFailedError, runPlan, type RunDeps } from '../../src/core/provisioning/runPlan';
import { createEksProvider } from '../../src/node/clouds/eks/eksProvider';
import { iamPropagationRetries } from '../../src/node/clouds/eks/eksProvisioning';
import { startEksFake, type EksFake } from '../fakes/clouds/eksFake';

const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYROLECANARY';
const account = '123456789012';

/** A cluster file that names no role ARN: both standard roles are created (the node role named explicitly). */
function planOf(name: string, opts: { nodeRoleName?: string; clusterRoleArn?: string; groups?: number } = {}): ProvisionPlan {
  const doc = {
    apiVersion: 'eksctl.io/v1alpha5',
    kind: 'ClusterConfig',
    metadata: {
      name,
      region: 'eu-west-1',
      version: '1.34',
      annotations: {
        'clusterdeck.io/aws-profile': 'default',
        ...(opts.nodeRoleName ? { 'clusterdeck.io/node-role-name': opts.nodeRoleName } : {}),
      },
    },
    iam: { withOIDC: false, ...(opts.clusterRoleArn ? { serviceRoleARN: opts.clusterRoleArn } : {}) },
    vpc: { subnets: { private: { 'eu-west-1a': { id: 'subnet-0a1' }, 'eu-west-1b': { id: 'subnet-0b2' } } } },
    addons: [],
    managedNodeGroups: Array.from({ length: opts.groups ?? 1 }, (_, i) => ({ name: `ng-${i + 1}` })),
  };
  const read = eksProvisioning.clusterFormat.read(doc);
  assert.ok(read.spec, JSON.stringify(read.problems));
  return eksProvisioning.clusterFormat.plan(read.spec);
}

describe('EKS standard roles against the wire fake', () => {
  let fake: EksFake;
  let dir = '';
  const log: string[] = [];
  let prov: ProvisioningProvider;
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
  const deps = (over: Partial<RunDeps> = {}): RunDeps => ({
    provider: prov,
    journal,
    newId: () => randomUUID(),
    digest: (t) => createHash('sha256').update(t).digest('hex'),
    now: () => Date.now(),
    owner: 'window-1',
    wait: true,
    ...over,
  });
  const records = (operation: string) => fake.records.filter((r) => r.operation === operation);
  const form = (r: { body: string } | undefined) => Object.fromEntries(new URLSearchParams(r?.body ?? ''));
  const forRole = (operation: string, role: string) => records(operation).filter((r) => form(r).RoleName === role);
  const json = (r: { body: string } | undefined) => JSON.parse(r?.body || '{}') as Record<string, unknown>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-eksrole-'));
    writeFileSync(join(dir, 'config'), '[default]\nregion = eu-west-1\n');
    writeFileSync(join(dir, 'credentials'), `[default]\naws_access_key_id = AKIDROLE\naws_secret_access_key = ${secret}\n`);
    fake = await startEksFake({
      keys: { AKIDROLE: { secretAccessKey: secret, account, arn: `arn:aws:iam::${account}:user/alice` } },
      pollsToSettle: 2,
      awsQuery: { roles: [{ name: 'lambda-exec', trusts: ['lambda.amazonaws.com'] }] },
    });
    const p = createEksProvider({
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
    }).provisioning;
    assert.ok(p);
    prov = p;
  });
  beforeEach(() => {
    fake.iam.propagationRejects = 0;
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('runPlan: each role created once with its trust policy, policies and tags; the cluster and node group get its ARN; a rerun adopts all', async () => {
    const plan = planOf('shop');
    const [clusterRoleStep, nodeRoleStep, clusterStep, ngStep] = plan.steps as [ProvisionStep, ProvisionStep, ProvisionStep, ProvisionStep];
    const result = await runPlan(plan, deps());
    assert.equal(result.outcome, 'succeeded');
    assert.deepEqual(
      result.entry.steps.map((s) => s.state),
      ['succeeded', 'succeeded', 'succeeded', 'succeeded'],
    );
    for (const [step, service, policies] of [
      [clusterRoleStep, 'eks.amazonaws.com', ['AmazonEKSClusterPolicy']],
      [nodeRoleStep, 'ec2.amazonaws.com', ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonEKS_CNI_Policy']],
    ] as const) {
      const body = step.body as EksIamRoleStepBody;
      const creates = forRole('iam:CreateRole', step.name);
      assert.equal(creates.length, 1, `one CreateRole for ${step.name}`);
      const token = result.entry.steps[plan.steps.indexOf(step)]?.token ?? '';
      // The form the SDK sent is the step's CreateRole plus the two ownership tags, nothing else.
      assert.deepEqual(form(creates[0]), {
        Action: 'CreateRole',
        Version: '2010-05-08',
        RoleName: body.createRole.RoleName,
        AssumeRolePolicyDocument: body.createRole.AssumeRolePolicyDocument,
        Description: body.createRole.Description,
        'Tags.member.1.Key': 'clusterdeck-op',
        'Tags.member.1.Value': result.entry.id,
        'Tags.member.2.Key': 'clusterdeck-token',
        'Tags.member.2.Value': token,
      });
      assert.match(body.createRole.AssumeRolePolicyDocument, new RegExp(`"Service":"${service.replace(/\./g, '\\.')}"`));
      assert.deepEqual(
        forRole('iam:AttachRolePolicy', step.name).map((r) => form(r).PolicyArn),
        policies.map((p) => `arn:aws:iam::aws:policy/${p}`),
      );
      const role = fake.iam.roles.get(step.name);
      assert.ok(role);
      assert.deepEqual([...role.policies].sort(), policies.map((p) => `arn:aws:iam::aws:policy/${p}`).sort());
    }
    // The cluster request: the plan's body, the role reference replaced by the created role's ARN (the one substitution).
    const planned = (clusterStep.body as EksClusterStepBody).createCluster;
    assert.equal(planned.roleArn, 'arn:aws:iam::{account}:role/shop-cluster-role');
    const sent = json(records('CreateCluster').at(-1));
    assert.equal(records('CreateCluster').length, 1);
    assert.deepEqual(
      { ...sent, tags: undefined, clientRequestToken: undefined },
      { ...planned, roleArn: `arn:aws:iam::${account}:role/shop-cluster-role`, tags: undefined, clientRequestToken: undefined },
    );
    const ngSent = json(records('CreateNodegroup').at(-1));
    assert.equal((ngStep.body as { nodeRole: string }).nodeRole, 'arn:aws:iam::{account}:role/shop-node-role');
    assert.equal(ngSent.nodeRole, `arn:aws:iam::${account}:role/shop-node-role`);
    assert.ok(log.some((l) => /^> iam CreateRole global \[\d+ms\] ok$/.test(l)));

    // The same file again (a new journal entry: the first one succeeded): nothing is created a second time.
    const again = await runPlan(plan, deps());
    assert.equal(again.outcome, 'succeeded');
    assert.notEqual(again.entry.id, result.entry.id);
    assert.deepEqual(
      again.entry.steps.map((s) => s.state),
      ['exists', 'exists', 'exists', 'exists'],
    );
    assert.ok(again.notes.includes('IAM role shop-cluster-role already exists.'), again.notes.join(' | '));
    assert.ok(again.notes.some((n) => /EKS cluster shop already exists/.test(n)));
    assert.equal(forRole('iam:CreateRole', 'shop-cluster-role').length, 1);
    assert.equal(forRole('iam:CreateRole', 'shop-node-role').length, 1);
    assert.equal(forRole('iam:AttachRolePolicy', 'shop-node-role').length, 3);
    assert.equal(records('CreateCluster').length, 1);
    assert.ok(!log.some((l) => l.includes(secret)));
  });

  test("someone else's role with that name: conflict saying rename, and no CreateRole / CreateCluster sent", async () => {
    fake.iam.addRole('taken-cluster-role', 'eks.amazonaws.com', { owner: 'bob' });
    const before = { roles: records('iam:CreateRole').length, clusters: records('CreateCluster').length };
    await assert.rejects(runPlan(planOf('taken'), deps()), (e: unknown) => {
      assert.ok(e instanceof ClusterDeckError);
      assert.equal(e.reason, 'conflict');
      assert.match(e.message, /IAM role named taken-cluster-role already exists.*not created by this spec; rename/);
      return true;
    });
    assert.equal(records('iam:CreateRole').length, before.roles);
    assert.equal(records('CreateCluster').length, before.clusters);
    assert.deepEqual(fake.iam.roles.get('taken-cluster-role')?.tags, { owner: 'bob' }, 'the role is left as it was');
    assert.equal(fake.iam.roles.get('taken-cluster-role')?.policies.size, 0, 'no policy attached to their role');
  });

  test('EntityAlreadyExists race: GetRole missed it, CreateRole refused → decided by its tags (ours: exists; theirs: conflict)', async () => {
    const plan = planOf('race');
    const step = plan.steps[0] as ProvisionStep;
    const ids = { opId: randomUUID(), token: randomUUID() };
    const first = await prov.create(step, ids);
    assert.equal(first.state, 'started');
    await first.operation?.wait();
    // Another window created it between our GetRole and CreateRole: GetRole answers NoSuchEntity once.
    fake.failNext('iam:GetRole', 1, { kind: 'aws', status: 404, type: 'NoSuchEntity', message: 'The role cannot be found.' });
    const second = await prov.create(step, { opId: randomUUID(), token: ids.token });
    assert.equal(second.state, 'exists');
    assert.equal(forRole('iam:CreateRole', 'race-cluster-role').length, 2, 'the second CreateRole was refused as EntityAlreadyExists');
    assert.equal(fake.iam.roles.get('race-cluster-role')?.tags['clusterdeck-op'], ids.opId, 'the role is not replaced');

    fake.iam.addRole('race2-cluster-role', 'eks.amazonaws.com');
    fake.failNext('iam:GetRole', 1, { kind: 'aws', status: 404, type: 'NoSuchEntity', message: 'The role cannot be found.' });
    await assert.rejects(
      prov.create(planOf('race2').steps[0] as ProvisionStep, { opId: randomUUID(), token: randomUUID() }),
      (e: unknown) => {
        assert.ok(e instanceof ClusterDeckError && e.reason === 'conflict', String(e));
        return true;
      },
    );
    // resumeCreate after a restart follows the role step by its operation id.
    await prov.resumeCreate(step, 'create-iamrole:race-cluster-role').wait();
  });

  test('IAM propagation: EKS refuses the just-created role twice, the create is re-sent with the same token until it is accepted', async () => {
    fake.iam.propagationRejects = 2;
    const plan = planOf('fresh', { groups: 0 });
    const before = records('CreateCluster').length;
    const result = await runPlan(plan, deps());
    assert.equal(result.outcome, 'succeeded');
    const sends = records('CreateCluster').slice(before);
    assert.deepEqual(
      sends.map((r) => r.status),
      [400, 400, 200],
    );
    assert.equal(new Set(sends.map((r) => r.body)).size, 1, 'the identical request (same clientRequestToken) each time');
    assert.match(sends[0]?.body ?? '', /"clientRequestToken":"/);
    assert.equal(log.filter((l) => l.includes('IAM role not assumable yet')).length >= 2, true);
  });

  test('IAM propagation retries are bounded; a role named by ARN (not just created) is never re-sent', async () => {
    fake.iam.propagationRejects = 50;
    const before = records('CreateCluster').length;
    await assert.rejects(runPlan(planOf('never', { groups: 0 }), deps()), (e: unknown) => {
      assert.ok(e instanceof ClusterDeckError && e.reason === 'invalid', String(e));
      assert.match(e.message, /could not be assumed/);
      return true;
    });
    assert.equal(records('CreateCluster').length - before, 1 + iamPropagationRetries);

    fake.iam.propagationRejects = 0;
    const mid = records('CreateCluster').length;
    const plan = planOf('lambda', { clusterRoleArn: `arn:aws:iam::${account}:role/lambda-exec`, groups: 0 });
    assert.deepEqual(
      plan.steps.map((s) => s.kind),
      ['cluster'],
    );
    await assert.rejects(runPlan(plan, deps()), /could not be assumed/);
    assert.equal(records('CreateCluster').length - mid, 1, 'a refusal of a role we did not just create is final');
  });

  test('failure after the roles: the failure lists the created roles as partial resources', async () => {
    fake.failNextCreate('cluster', { code: 'Ec2SubnetInvalidConfiguration', message: 'subnet-0a1 has no free addresses' });
    await assert.rejects(runPlan(planOf('broken', { nodeRoleName: 'broken-nodes' }), deps()), (e: unknown) => {
      assert.ok(e instanceof ProvisionFailedError, String(e));
      assert.deepEqual(e.partial.slice(0, 2), ['IAM role broken-cluster-role (created)', 'IAM role broken-nodes (created)']);
      assert.ok(e.partial.some((p) => /EKS cluster broken in eu-west-1 \(FAILED\)/.test(p)));
      return true;
    });
    const role = await prov.partialResources(planOf('broken', { nodeRoleName: 'broken-nodes' }).steps[1] as ProvisionStep);
    assert.deepEqual(role, [
      'IAM role broken-nodes (policies: AmazonEKSWorkerNodePolicy, AmazonEC2ContainerRegistryReadOnly, AmazonEKS_CNI_Policy)',
    ]);
  });
});
