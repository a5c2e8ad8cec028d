// `clusterdeck cluster create --file` with an eksctl file that names no IAM role ARN (no iam.serviceRoleARN, no
// managedNodeGroups[].iam.instanceRoleARN), as eksctl users write them: the standard roles are created first,
// through the CLI + runPlan + file journal + the real EKS provider (client-iam, client-eks) against the fake.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCommand } from '../../src/cli/createCommand';
import type { CliIo } from '../../src/cli/lintCommand';
import { createEksProvider } from '../../src/node/clouds/eks/eksProvider';
import { startEksFake, type EksFake } from '../fakes/clouds/eksFake';

const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYCLIROLECAN';
const account = '123456789012';

const file = (name: string) => `apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: ${name}
  region: eu-west-1
  version: "1.34"
  annotations:
    clusterdeck.io/aws-profile: default
vpc:
  subnets:
    private:
      eu-west-1a: { id: subnet-0a1 }
      eu-west-1b: { id: subnet-0b2 }
  publicAccessCIDRs: ["203.0.113.7/32"]
addons:
  - name: vpc-cni
managedNodeGroups:
  - name: ng-1
    instanceType: m5.large
`;

describe('clusterdeck cluster create: a file without serviceRoleARN creates the standard roles', () => {
  let fake: EksFake;
  let dir = '';
  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      out: (s) => out.push(s),
      err: (s) => err.push(s),
      cwd: dir,
      isTty: false,
      readStdin: () => Promise.resolve(''),
      version: 'test',
    };
    const loaders = {
      eks: () =>
        Promise.resolve(
          createEksProvider({
            endpoint: fake.url,
            iamEndpoint: fake.url,
            configFile: join(dir, 'config'),
            credentialsFile: join(dir, 'credentials'),
            homeDir: dir,
            env: {},
            requestTimeoutMs: 3000,
            pollIntervalMs: 5,
          }),
        ),
    };
    const code = await createCommand('cluster', args, io, { env: {}, loaders, journalDir: join(dir, 'ops') });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }
  const count = (operation: string, needle: string) =>
    fake.records.filter((r) => r.operation === operation && r.body.includes(needle)).length;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-eksrolecli-'));
    writeFileSync(join(dir, 'config'), '[default]\nregion = eu-west-1\n');
    writeFileSync(join(dir, 'credentials'), `[default]\naws_access_key_id = AKIDRCLI\naws_secret_access_key = ${secret}\n`);
    fake = await startEksFake({
      keys: { AKIDRCLI: { secretAccessKey: secret, account, arn: `arn:aws:iam::${account}:user/cli` } },
      pollsToSettle: 2,
      // IAM propagates slowly here: EKS refuses each new role once.
      awsQuery: { propagationRejects: 1 },
    });
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('summary lists the role steps; --yes --wait creates roles, cluster and node group; the same file again creates nothing', async () => {
    const path = join(dir, 'roles.eksctl.yaml');
    writeFileSync(path, file('roles'));
    const dry = await cli(['--file', path]);
    assert.equal(dry.code, 0, dry.err);
    assert.match(
      dry.out,
      /\n {2}1\. IAM role roles-cluster-role\n {2}2\. IAM role roles-node-role\n {2}3\. cluster roles\n {2}4\. node pool ng-1/,
    );
    assert.equal(fake.iam.roles.size, 0, 'nothing sent without --yes');

    const r = await cli(['--file', path, '--yes', '--wait']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Done: EKS cluster roles/);
    assert.equal(fake.cluster('eu-west-1', 'roles')?.status, 'ACTIVE');
    assert.equal(fake.nodegroup('eu-west-1', 'roles', 'ng-1')?.status, 'ACTIVE');
    assert.deepEqual([...(fake.iam.roles.get('roles-cluster-role')?.policies ?? [])], ['arn:aws:iam::aws:policy/AmazonEKSClusterPolicy']);
    assert.equal(fake.iam.roles.get('roles-node-role')?.policies.size, 3);
    const cluster = fake.records.find((r) => r.operation === 'CreateCluster' && r.status === 200);
    assert.equal((JSON.parse(cluster?.body ?? '{}') as { roleArn?: string }).roleArn, `arn:aws:iam::${account}:role/roles-cluster-role`);
    assert.equal(count('CreateCluster', '"name":"roles"'), 2, 'refused once while IAM propagated, then accepted');
    assert.equal(count('iam:CreateRole', 'RoleName=roles-cluster-role'), 1);

    const again = await cli(['--file', path, '--yes', '--wait']);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /IAM role roles-cluster-role already exists\./);
    assert.match(again.out, /IAM role roles-node-role already exists\./);
    assert.match(again.out, /EKS cluster roles already exists in eu-west-1\./);
    assert.equal(count('iam:CreateRole', 'RoleName=roles-cluster-role'), 1);
    assert.equal(count('iam:CreateRole', 'RoleName=roles-node-role'), 1);
    assert.equal(count('CreateCluster', '"name":"roles"'), 2);
  });
});
