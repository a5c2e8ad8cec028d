// `clusterdeck cluster create` / `nodepool create` with eksctl files, end to end: the file the wizard writes → the
// catalog → runPlan with a file journal → the real EKS provider → the EKS fake (SigV4 checked).
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCommand } from '../../src/cli/createCommand';
import { captureIo } from '../support/cliIo';
import { eksProvisioning } from '../../src/core/provisioning/eks/index';
import type { EksClusterSpec } from '../../src/core/provisioning/eks/eksSpec';
import { createEksProvider } from '../../src/node/clouds/eks/eksProvider';
import { startEksFake, type EksFake } from '../fakes/clouds/eksFake';

const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYCLICANARY1';
const nodeRole = 'arn:aws:iam::123456789012:role/AmazonEKSNodeRole';

describe('clusterdeck cluster/nodepool create with eksctl files', () => {
  let fake: EksFake;
  let dir = '';
  const loaders = () => ({
    eks: () =>
      Promise.resolve(
        createEksProvider({
          endpoint: fake.url,
          configFile: join(dir, 'config'),
          credentialsFile: join(dir, 'credentials'),
          homeDir: dir,
          env: {},
          requestTimeoutMs: 3000,
          pollIntervalMs: 5,
        }),
      ),
  });
  async function cli(which: 'cluster' | 'nodePool', args: string[]): Promise<{ code: number; out: string; err: string }> {
    const c = captureIo(dir);
    const code = await createCommand(which, args, c.io, { env: {}, loaders: loaders(), journalDir: join(dir, 'ops') });
    return { code, out: c.out(), err: c.err() };
  }
  const creates = (name: string) => fake.records.filter((r) => r.operation === 'CreateCluster' && r.body.includes(`"name":"${name}"`));
  const writeCluster = (name: string): string => {
    const spec: EksClusterSpec = {
      name,
      region: 'eu-west-1',
      version: '1.34',
      profile: 'default',
      tags: {},
      roleArn: 'arn:aws:iam::123456789012:role/AmazonEKSClusterRole',
      withOIDC: true,
      subnets: [
        { id: 'subnet-0a1', az: 'eu-west-1a', access: 'private' },
        { id: 'subnet-0b2', az: 'eu-west-1b', access: 'private' },
      ],
      publicAccess: true,
      privateAccess: true,
      publicAccessCidrs: ['203.0.113.7/32'],
      authenticationMode: 'API_AND_CONFIG_MAP',
      bootstrapClusterCreatorAdminPermissions: true,
      logging: [],
      ipFamily: 'IPv4',
      supportType: 'STANDARD',
      addons: [{ name: 'vpc-cni' }, { name: 'coredns' }, { name: 'kube-proxy' }, { name: 'eks-pod-identity-agent' }],
      nodeGroups: [
        {
          name: 'ng-1',
          nodeRoleArn: nodeRole,
          instanceTypes: ['m5.large'],
          amiFamily: 'AmazonLinux2023',
          spot: false,
          volumeSizeGiB: 80,
          minSize: 2,
          desiredCapacity: 2,
          maxSize: 3,
          labels: {},
          taints: [],
          subnets: [],
          privateNetworking: true,
          tags: {},
          maxUnavailable: 1,
        },
      ],
    };
    const file = join(dir, `${name}.eksctl.yaml`);
    writeFileSync(file, eksProvisioning.clusterFormat.write(spec));
    return file;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-ekscli-'));
    writeFileSync(join(dir, 'config'), '[default]\nregion = eu-west-1\n');
    writeFileSync(join(dir, 'credentials'), `[default]\naws_access_key_id = AKIDCLI\naws_secret_access_key = ${secret}\n`);
    fake = await startEksFake({
      keys: { AKIDCLI: { secretAccessKey: secret, account: '123456789012', arn: 'arn:aws:iam::123456789012:user/cli' } },
      pollsToSettle: 2,
    });
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('without --yes: the summary and the eksctl line, nothing sent', async () => {
    const r = await cli('cluster', ['--file', writeCluster('cli-one')]);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /^Create EKS cluster cli-one \(Kubernetes 1\.34\) with add-ons vpc-cni, coredns, kube-proxy, eks-pod-identity-agent; node groups ng-1 \(2–3 × m5\.large\)\nWhere: profile default, region eu-west-1\nEstimated nodes: 2/,
    );
    assert.match(r.out, /Equivalent: eksctl create cluster --config-file clusters\/cli-one\.eksctl\.yaml/);
    assert.equal(creates('cli-one').length, 0);
  });

  test('--yes --wait: cluster, add-ons and node group with the journal token; the same file again: already exists, nothing sent', async () => {
    const file = writeCluster('cli-one');
    const r = await cli('cluster', ['--file', file, '--yes', '--wait']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Done: EKS cluster cli-one/);
    assert.equal(fake.cluster('eu-west-1', 'cli-one')?.status, 'ACTIVE');
    assert.equal(fake.nodegroup('eu-west-1', 'cli-one', 'ng-1')?.status, 'ACTIVE');
    assert.equal(fake.addonsOf('eu-west-1', 'cli-one').length, 4);
    // The token sent is the one the journal stored before the call, and the tag is the journal entry's id.
    const sent = JSON.parse(creates('cli-one')[0]?.body ?? '{}') as { clientRequestToken?: string; tags?: Record<string, string> };
    const journals = readdirSync(join(dir, 'ops')).map(
      (f) => JSON.parse(readFileSync(join(dir, 'ops', f), 'utf8')) as { id: string; steps: { token: string }[] },
    );
    const entry = journals.find((j) => j.steps[0]?.token === sent.clientRequestToken);
    assert.ok(entry, 'a journal entry holds the token that was sent');
    assert.equal(sent.tags?.['clusterdeck-op'], entry.id);
    const again = await cli('cluster', ['--file', file, '--yes', '--wait']);
    assert.equal(again.code, 0, again.err);
    assert.match(again.out, /EKS cluster cli-one already exists in eu-west-1\./);
    assert.equal(creates('cli-one').length, 1);
  });

  test('the answer lost after EKS accepted: the same command again follows it, one cluster', async () => {
    const file = writeCluster('cli-lost');
    fake.failNext('CreateCluster', 1, { kind: 'dropAfterApply' });
    const first = await cli('cluster', ['--file', file, '--yes', '--wait']);
    assert.notEqual(first.code, 0);
    const second = await cli('cluster', ['--file', file, '--yes', '--wait']);
    assert.equal(second.code, 0, second.err);
    assert.match(second.out, /already being created/);
    assert.match(second.out, /Done: EKS cluster cli-lost/);
    assert.equal(creates('cli-lost').length, 1);
  });

  test('failure midway: exit 1 with the service message and what is left in place', async () => {
    const file = writeCluster('cli-fail');
    fake.failNextCreate('cluster', { code: 'AccessDenied', message: 'The cluster role lacks AmazonEKSClusterPolicy.' });
    const r = await cli('cluster', ['--file', file, '--yes', '--wait']);
    assert.equal(r.code, 1);
    assert.match(r.err, /cluster cli-fail in eu-west-1 FAILED: AccessDenied: The cluster role lacks AmazonEKSClusterPolicy/);
    assert.match(r.err, /Left in place \(nothing was deleted\): EKS cluster cli-fail in eu-west-1 \(FAILED\)/);
  });

  test('nodepool create --file: a node-group file into the existing cluster', async () => {
    const file = join(dir, 'pool.yaml');
    writeFileSync(
      file,
      eksProvisioning.nodePoolFormat.write({
        cluster: 'cli-one',
        region: 'eu-west-1',
        profile: 'default',
        nodeGroups: [
          {
            name: 'batch',
            nodeRoleArn: nodeRole,
            instanceTypes: ['m6i.large', 'm5.large'],
            amiFamily: 'AmazonLinux2023',
            spot: true,
            volumeSizeGiB: 50,
            minSize: 0,
            desiredCapacity: 1,
            maxSize: 4,
            labels: {},
            taints: [],
            subnets: ['subnet-0a1'],
            privateNetworking: true,
            tags: {},
            maxUnavailable: 1,
          },
        ],
      }),
    );
    const wrong = await cli('cluster', ['--file', file]);
    assert.equal(wrong.code, 2);
    const r = await cli('nodePool', ['--file', file, '--yes', '--wait']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Done: EKS node group batch/);
    assert.equal(fake.nodegroup('eu-west-1', 'cli-one', 'batch')?.status, 'ACTIVE');
  });
});
