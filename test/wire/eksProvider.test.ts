// The EKS provider with the real @aws-sdk/client-eks against the wire fake (test/fakes/clouds/eksFake.ts):
// SigV4 checked on every request, credentials only from temp config/credentials files or an injected env.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderClusterDetails } from '../../src/core/clouds/cloudOperations';
import type { CloudCluster, CloudProvider } from '../../src/core/clouds/cloudProvider';
import { CancelledError, ClusterDeckError } from '../../src/core/errors';
import { createEksProvider, type EksProviderOptions } from '../../src/node/clouds/eks/eksProvider';
import { startEksFake, type EksFake } from '../fakes/clouds/eksFake';

// Canaries: none of these may show up in a log line or an error message.
const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYCANARYSECRET';
const sessionSecret = 'sEsSiOnSeCrEtCANARY0123456789abcdefghij';
const sessionToken = 'IQoJb3JpZ2luX2VjECANARYSESSIONTOKENxyz==';

const config = `# shared config
[default]
region = eu-west-1

[profile sso-dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer
region = us-east-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile tool]
credential_process = /opt/bin/fetch-creds --account prod
region = us-west-2

[profile badsecret]
region = eu-west-1
`;
const credentials = `[default]
aws_access_key_id = AKIDEFAULT
aws_secret_access_key = ${secret}

[badsecret]
aws_access_key_id = AKIDEFAULT
aws_secret_access_key = not-the-secret

[session]
aws_access_key_id = ASIASESSION
aws_secret_access_key = ${sessionSecret}
aws_session_token = ${sessionToken}
region = us-east-1
`;

function rejectsWith(p: Promise<unknown>, reason: string, message?: RegExp): Promise<void> {
  return assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ClusterDeckError, `expected ClusterDeckError, got ${String(e)}`);
    assert.equal(e.reason, reason, e.message);
    if (message) assert.match(e.message, message);
    for (const s of [secret, sessionSecret, sessionToken]) assert.ok(!e.message.includes(s), 'secret in message');
    return true;
  });
}

describe('EKS provider against the wire fake', () => {
  let fake: EksFake;
  let dir = '';
  const log: string[] = [];
  const messages: string[] = [];
  const providers: CloudProvider[] = [];

  const provider = (extra: Partial<EksProviderOptions> = {}): CloudProvider => {
    const p = createEksProvider({
      endpoint: fake.url,
      stsEndpoint: fake.url,
      configFile: join(dir, 'config'),
      credentialsFile: join(dir, 'credentials'),
      homeDir: dir,
      env: {},
      pollIntervalMs: 5,
      requestTimeoutMs: 3000,
      onRequest: (l) => log.push(l),
      ...extra,
    });
    providers.push(p);
    return p;
  };
  const clusterIn = (region: string, name: string, account = 'default'): CloudCluster => ({
    cloud: 'eks',
    account,
    location: region,
    name,
    id: name,
    version: '1.33',
    status: 'ACTIVE',
    health: 'ok',
  });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-eks-'));
    writeFileSync(join(dir, 'config'), config);
    writeFileSync(join(dir, 'credentials'), credentials);
    fake = await startEksFake({
      keys: {
        AKIDEFAULT: { secretAccessKey: secret, account: '123456789012', arn: 'arn:aws:iam::123456789012:user/alice' },
        ASIASESSION: {
          secretAccessKey: sessionSecret,
          sessionToken,
          account: '123456789012',
          arn: 'arn:aws:sts::123456789012:assumed-role/dev/bob',
        },
      },
      pageLimit: 2,
      pollsToSettle: 2,
    });
    for (const name of ['alpha', 'bravo', 'charlie', 'delta', 'echo'])
      fake.addCluster('eu-west-1', { name, version: name === 'alpha' ? '1.34' : '1.33' });
    fake.addCluster('us-east-1', {
      name: 'prod',
      version: '1.33',
      publicAccess: true,
      privateAccess: true,
      publicCidrs: ['203.0.113.0/24'],
      enabledLogTypes: ['api', 'audit'],
      kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      nodegroups: [
        { name: 'general', instanceTypes: ['m6i.large', 'm6a.large'], min: 1, max: 5, desired: 2 },
        { name: 'spot', instanceTypes: ['c6i.xlarge'], min: 0, max: 10, desired: 3, capacityType: 'SPOT' },
        { name: 'batch', min: 0, max: 4, desired: 0 },
      ],
      addons: [
        { name: 'vpc-cni', version: 'v1.19.0-eksbuild.1' },
        { name: 'coredns', version: 'v1.11.4-eksbuild.2' },
        { name: 'kube-proxy', version: 'v1.33.0-eksbuild.2', status: 'DEGRADED' },
      ],
    });
  });
  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
    // The canary scan over everything logged and every message shown in this file.
    const all = [...log, ...messages].join('\n');
    for (const s of [secret, sessionSecret, sessionToken, 'k8s-aws-v1.'])
      assert.ok(!all.includes(s), `a log line contains ${s.slice(0, 8)}…`);
  });

  test('profiles from both files, SSO and credential_process flagged, env credentials as an account', async () => {
    const accounts = await provider({ env: { AWS_ACCESS_KEY_ID: 'ASIASESSION', AWS_SECRET_ACCESS_KEY: sessionSecret } }).listAccounts();
    assert.deepEqual(
      accounts.map((a) => a.id),
      ['default', 'badsecret', 'session', 'sso-dev', 'tool', 'env'],
    );
    const byId = new Map(accounts.map((a) => [a.id, a.detail ?? '']));
    assert.match(byId.get('sso-dev') ?? '', /SSO/);
    assert.match(byId.get('tool') ?? '', /credential_process \(not run\)/);
    assert.match(byId.get('default') ?? '', /access keys · eu-west-1/);
    assert.ok(!(await provider().listAccounts()).some((a) => a.id === 'env'), 'no env account without AWS_ACCESS_KEY_ID');

    const before = fake.records.length;
    await rejectsWith(
      provider().listClusters('sso-dev', ['us-east-1']),
      'unauthorized',
      /Run `aws sso login --profile sso-dev`, then refresh\./,
    );
    await rejectsWith(
      provider().listClusters('tool', ['us-west-2']),
      'needsApproval',
      /credential_process, which ClusterDeck does not run/,
    );
    assert.equal(fake.records.length, before, 'neither profile sent a request');
  });

  test('default regions: those enabled for the account (Account API ListRegions, opt-in included); denied → the standard list', async () => {
    const regionsFake = await startEksFake({
      keys: { AKIDEFAULT: { secretAccessKey: secret, account: '123456789012', arn: 'arn:aws:iam::123456789012:user/alice' } },
      enabledRegions: ['us-east-1', 'eu-west-1', 'af-south-1', 'me-central-1'],
    });
    try {
      regionsFake.addCluster('af-south-1', { name: 'cape', version: '1.33' });
      const withList = provider({ endpoint: regionsFake.url, stsEndpoint: regionsFake.url, accountEndpoint: regionsFake.url });
      const results = await withList.listClusters('default', undefined);
      assert.deepEqual(results.map((r) => r.scope).sort(), ['af-south-1', 'eu-west-1', 'me-central-1', 'us-east-1']);
      assert.deepEqual(
        results.find((r) => r.scope === 'af-south-1')?.items.map((c) => c.name),
        ['cape'],
        'an opted-in region is searched',
      );
      assert.ok(log.some((l) => /^> account ListRegions default \[\d+ms\] ok \(4 regions\)$/.test(l)));
      assert.ok(
        regionsFake.records.some((r) => r.operation === 'ListRegions' && r.status === 200),
        'signed for the account service',
      );
    } finally {
      await regionsFake.close();
    }
    // Without account:ListRegions (this fake refuses it): the standard regions (+ the profile's) are listed.
    const deniedFake = await startEksFake({
      keys: { AKIDEFAULT: { secretAccessKey: secret, account: '123456789012', arn: 'arn:aws:iam::123456789012:user/alice' } },
    });
    try {
      const results = await provider({ endpoint: deniedFake.url, accountEndpoint: deniedFake.url }).listClusters('default', undefined);
      assert.ok(results.length >= 17, `${results.length} regions`);
      assert.ok(!results.some((r) => r.scope === 'af-south-1'));
      assert.ok(log.some((l) => /^> account ListRegions default \[\d+ms\] AccessDeniedException: using the standard regions$/.test(l)));
    } finally {
      await deniedFake.close();
    }
  });

  test('lists every page of clusters per region, describes each, one failing region does not hide the others', async () => {
    fake.setRegionFailure('ap-south-1', {
      kind: 'aws',
      status: 403,
      type: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
    try {
      const p = provider();
      const results = await p.listClusters('default', ['eu-west-1', 'us-east-1', 'ap-south-1', 'eu-north-1'], undefined);
      messages.push(...results.flatMap((r) => (r.error ? [r.error] : [])));
      assert.deepEqual(
        results.map((r) => [r.scope, r.items.length, Boolean(r.error)]),
        [
          ['eu-west-1', 5, false],
          ['us-east-1', 1, false],
          ['ap-south-1', 0, true],
          ['eu-north-1', 0, false],
        ],
      );
      assert.match(
        results[2]?.error ?? '',
        /^Region ap-south-1 is not enabled for the account of profile "default" \(an opt-in region\); enable it in the AWS console/,
      );
      const listCalls = fake.records.filter((r) => r.operation === 'ListClusters' && r.region === 'eu-west-1');
      assert.equal(listCalls.length, 3, '5 clusters at 2 per page = 3 pages');
      assert.ok(listCalls[1]?.query.includes('nextToken='));
      assert.deepEqual(
        results[0]?.items.map((c) => c.name),
        ['alpha', 'bravo', 'charlie', 'delta', 'echo'],
      );
      const prod = results[1]?.items[0];
      assert.ok(prod);
      assert.equal(prod.account, 'default');
      assert.equal(prod.location, 'us-east-1');
      assert.equal(prod.version, '1.33');
      assert.equal(prod.health, 'ok');
      assert.match(prod.id, /^arn:aws:eks:us-east-1:123456789012:cluster\/prod$/);
      assert.match(prod.endpoint ?? '', /^https:\/\/.+\.eks\.amazonaws\.com$/);
      assert.match(Buffer.from(prod.caData ?? '', 'base64').toString(), /BEGIN CERTIFICATE/);
      assert.deepEqual(prod.endpointAccess, { public: true, private: true, publicCidrs: ['203.0.113.0/24'] });
      assert.equal(prod.upgradeAvailable, '1.34', 'next minor from DescribeClusterVersions');
      assert.equal(results[0]?.items.find((c) => c.name === 'alpha')?.upgradeAvailable, undefined, '1.34 is the newest offered');
      assert.ok(
        log.some((l) => /^> eks ListClusters eu-west-1 \[\d+ms\] ok$/.test(l)),
        log.join('\n'),
      );
      assert.ok(log.some((l) => /^> eks ListClusters ap-south-1 \[\d+ms\] unauthorized$/.test(l)));
    } finally {
      fake.setRegionFailure('ap-south-1', undefined);
    }
  });

  test('a wrong secret is refused by the SigV4 check and reported once as unauthorized', async () => {
    await rejectsWith(
      provider().listClusters('badsecret', ['eu-west-1', 'us-east-1']),
      'unauthorized',
      /AWS rejected the credentials of profile "badsecret" in (eu-west-1|us-east-1) \(InvalidSignatureException\); check the profile's access keys/,
    );
    assert.ok(fake.records.some((r) => r.status === 403 && r.accessKeyId === 'AKIDEFAULT'));
  });

  test('session credentials from a profile and from the injected env (the fake checks the session token)', async () => {
    const fromProfile = await provider().listClusters('session', ['us-east-1']);
    assert.equal(fromProfile[0]?.items[0]?.name, 'prod');
    const fromEnv = await provider({
      env: {
        AWS_ACCESS_KEY_ID: 'ASIASESSION',
        AWS_SECRET_ACCESS_KEY: sessionSecret,
        AWS_SESSION_TOKEN: sessionToken,
        AWS_REGION: 'us-east-1',
      },
    }).listClusters('env', ['us-east-1']);
    assert.equal(fromEnv[0]?.items[0]?.name, 'prod');
    await rejectsWith(
      provider({
        env: { AWS_ACCESS_KEY_ID: 'ASIASESSION', AWS_SECRET_ACCESS_KEY: sessionSecret, AWS_SESSION_TOKEN: 'stale' },
      }).listClusters('env', ['us-east-1']),
      'unauthorized',
    );
  });

  test('the endpoint comes from AWS_ENDPOINT_URL_EKS in the injected env when no setting is given', async () => {
    const p = provider({ endpoint: undefined, env: { AWS_ENDPOINT_URL_EKS: fake.url } });
    const results = await p.listClusters('default', ['us-east-1']);
    assert.equal(results[0]?.items[0]?.name, 'prod');
  });

  test('node groups and add-ons of a cluster', async () => {
    const p = provider();
    const pools = await p.listNodePools(clusterIn('us-east-1', 'prod'));
    assert.deepEqual(
      pools.map((g) => [g.name, g.instanceType, g.min, g.desired, g.max, g.capacityType, g.version, g.status, g.health]),
      [
        ['batch', 'm6i.large', 0, 0, 4, 'on-demand', '1.33', 'ACTIVE', 'ok'],
        ['general', 'm6i.large,m6a.large', 1, 2, 5, 'on-demand', '1.33', 'ACTIVE', 'ok'],
        ['spot', 'c6i.xlarge', 0, 3, 10, 'spot', '1.33', 'ACTIVE', 'ok'],
      ],
    );
    assert.equal(fake.records.filter((r) => r.operation === 'ListNodegroups').length >= 2, true, '3 node groups at 2 per page');
    const addons = await p.listAddons(clusterIn('us-east-1', 'prod'));
    assert.deepEqual(
      addons.map((a) => [a.name, a.version, a.status, a.health]),
      [
        ['coredns', 'v1.11.4-eksbuild.2', 'ACTIVE', 'ok'],
        ['kube-proxy', 'v1.33.0-eksbuild.2', 'DEGRADED', 'failed'],
        ['vpc-cni', 'v1.19.0-eksbuild.1', 'ACTIVE', 'ok'],
      ],
    );
    await rejectsWith(p.listNodePools(clusterIn('us-east-1', 'gone')), 'notFound', /cluster "gone" was not found in us-east-1/);
  });

  test('cluster details: networking, control-plane logging (on and off), identity and encryption from DescribeCluster', async () => {
    const p = provider();
    const details = await p.describeCluster!(clusterIn('us-east-1', 'prod'));
    assert.deepEqual(
      details.sections.map((s) => s.title),
      ['Networking', 'Logging', 'Identity and access', 'Encryption'],
    );
    const section = (title: string) => new Map(details.sections.find((s) => s.title === title)?.rows ?? []);
    const net = section('Networking');
    assert.equal(net.get('VPC'), 'vpc-1');
    assert.equal(net.get('Subnets'), 'subnet-1, subnet-2');
    assert.equal(net.get('Security groups'), 'sg-0a1b2c3d');
    assert.equal(net.get('Cluster security group'), 'sg-0cluster');
    assert.equal(net.get('Service IPv4 CIDR'), '172.20.0.0/16');
    assert.equal(net.get('IP family'), 'ipv4');
    assert.equal(net.get('Endpoint private access'), 'enabled');
    assert.equal(net.get('Endpoint public CIDRs'), '203.0.113.0/24');
    assert.equal(net.get('Platform version'), 'eks.1');
    assert.deepEqual(
      section('Logging'),
      new Map([
        ['Control plane log: api', 'enabled'],
        ['Control plane log: audit', 'enabled'],
        ['Control plane log: authenticator', 'off'],
        ['Control plane log: controllerManager', 'off'],
        ['Control plane log: scheduler', 'off'],
      ]),
    );
    const iam = section('Identity and access');
    assert.equal(iam.get('Authentication mode'), 'API_AND_CONFIG_MAP');
    assert.match(iam.get('OIDC issuer') ?? '', /^https:\/\/oidc\.eks\.us-east-1\.amazonaws\.com\/id\/[0-9A-F]{32}$/);
    assert.equal(iam.get('Cluster role'), 'arn:aws:iam::123456789012:role/eks-cluster');
    assert.equal(
      section('Encryption').get('KMS key (secrets)'),
      'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    );
    assert.ok(!JSON.stringify(details).includes('CERTIFICATE'), 'the CA is not shown');
    const doc = renderClusterDetails({
      cluster: clusterIn('us-east-1', 'prod'),
      account: { cloud: 'eks', id: 'default', label: 'default' },
      details,
    });
    const logSection = doc.slice(doc.indexOf('## Logging'), doc.indexOf('##', doc.indexOf('## Logging') + 3));
    assert.match(logSection, /\| Control plane log: authenticator \| off \|/);
    assert.match(doc, /## Networking and endpoint access[\s\S]*\| VPC \| vpc-1 \|[\s\S]*## Logging/);
    assert.match(doc, /## Encryption\n\n\| \| \|\n\|---\|---\|\n\| KMS key \(secrets\) \| arn:aws:kms:/);
    const plain = await p.describeCluster!(clusterIn('eu-west-1', 'bravo'));
    assert.deepEqual(
      plain.sections.map((s) => s.title),
      ['Networking', 'Logging', 'Identity and access'],
      'no Encryption without a key',
    );
    assert.ok(plain.sections[1]?.rows.every(([, v]) => v === 'off'));
    await rejectsWith(p.describeCluster!(clusterIn('us-east-1', 'gone')), 'notFound', /cluster "gone" was not found in us-east-1/);
    assert.ok(log.some((l) => /^> eks DescribeCluster us-east-1 cluster "gone" \[\d+ms\] notFound$/.test(l)));
  });

  test('the in-process token is accepted by the fake STS; tampered, re-targeted and expired tokens are not', async () => {
    let clock = Date.now();
    const p = provider({ now: () => new Date(clock) });
    const t = await p.getClusterToken({ account: 'default', location: 'us-east-1', name: 'prod' });
    assert.match(t.token, /^k8s-aws-v1\.[A-Za-z0-9_-]+$/);
    assert.equal(t.expiresAt.getTime(), clock + 14 * 60_000);
    const url = new URL(Buffer.from(t.token.slice('k8s-aws-v1.'.length), 'base64url').toString());
    assert.equal(url.searchParams.get('Action'), 'GetCallerIdentity');
    assert.equal(url.searchParams.get('X-Amz-Expires'), '60');
    assert.match(url.searchParams.get('X-Amz-Credential') ?? '', /^AKIDEFAULT\/\d{8}\/us-east-1\/sts\/aws4_request$/);
    assert.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'host;x-k8s-aws-id');

    assert.equal(await fake.authenticate(t.token, 'prod'), 'arn:aws:iam::123456789012:user/alice');
    // Another cluster's authenticator sends another x-k8s-aws-id: the signature no longer matches.
    await assert.rejects(fake.authenticate(t.token, 'other'), /sts 403 SignatureDoesNotMatch/);
    // One character of the signature changed.
    const sig = url.searchParams.get('X-Amz-Signature') ?? '';
    url.searchParams.set('X-Amz-Signature', `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`);
    const tampered = `k8s-aws-v1.${Buffer.from(url.toString()).toString('base64url')}`;
    await assert.rejects(fake.authenticate(tampered, 'prod'), /sts 403 SignatureDoesNotMatch/);

    // Cached until a minute before expiry, then made anew.
    clock += 12 * 60_000;
    assert.equal((await p.getClusterToken({ account: 'default', location: 'us-east-1', name: 'prod' })).token, t.token);
    clock += 90_000;
    const renewed = await p.getClusterToken({ account: 'default', location: 'us-east-1', name: 'prod' });
    assert.notEqual(renewed.token, t.token);

    // The fake's clock 16 minutes after signing: expired.
    fake.setNow(() => new Date(Date.now() + 16 * 60_000));
    try {
      await assert.rejects(fake.authenticate(t.token, 'prod'), /sts 403 ExpiredToken/);
    } finally {
      fake.setNow(() => new Date());
    }
    // A session token travels as X-Amz-Security-Token and is checked too.
    const s = await provider().getClusterToken({ account: 'session', location: 'eu-west-1', name: 'prod' });
    assert.equal(await fake.authenticate(s.token, 'prod'), 'arn:aws:sts::123456789012:assumed-role/dev/bob');
    assert.ok(log.some((l) => /^> sts presign GetCallerIdentity us-east-1 cluster "prod" \[\d+ms\] ok$/.test(l)));
  });

  test('scale a node group: UpdateNodegroupConfig with a clientRequestToken, then DescribeUpdate until Successful', async () => {
    const p = provider();
    const op = await p.scaleNodePool(clusterIn('us-east-1', 'prod'), 'general', { min: 2, desired: 4, max: 6 });
    assert.match(op.description, /Scale node group general of prod to min 2, desired 4, max 6/);
    const sent = fake.records.find((r) => r.operation === 'UpdateNodegroupConfig');
    const body = JSON.parse(sent?.body ?? '{}') as { clientRequestToken?: string; scalingConfig?: unknown };
    assert.match(body.clientRequestToken ?? '', /^[0-9a-f-]{36}$/);
    assert.deepEqual(body.scalingConfig, { minSize: 2, maxSize: 6, desiredSize: 4 });
    assert.equal(fake.nodegroup('us-east-1', 'prod', 'general')?.status, 'UPDATING');
    const progress: string[] = [];
    await op.wait(undefined, (s) => progress.push(s));
    assert.deepEqual(progress, ['InProgress', 'InProgress', 'Successful']);
    assert.deepEqual(fake.nodegroup('us-east-1', 'prod', 'general'), { status: 'ACTIVE', min: 2, max: 6, desired: 4, version: '1.33' });
    assert.ok(fake.records.some((r) => r.operation === 'DescribeUpdate' && r.query === 'nodegroupName=general'));
    await rejectsWith(
      p.scaleNodePool(clusterIn('us-east-1', 'prod'), 'general', { min: 5, max: 3 }),
      'invalid',
      /min size \(5\) is above the max size \(3\)/,
    );
  });

  test('a failed update rejects with EKS reason; an aborted wait is a cancellation', async () => {
    const p = provider();
    fake.failNextUpdate('InsufficientFreeAddresses', 'One or more of the subnets has insufficient free addresses.');
    const failing = await p.scaleNodePool(clusterIn('us-east-1', 'prod'), 'spot', { desired: 5 });
    await rejectsWith(failing.wait(), 'unknown', /failed: InsufficientFreeAddresses One or more of the subnets/);
    const controller = new AbortController();
    const op = await p.scaleNodePool(clusterIn('us-east-1', 'prod'), 'batch', { desired: 1 });
    const waiting = op.wait(controller.signal);
    controller.abort();
    await assert.rejects(waiting, (e: unknown) => e instanceof CancelledError);
  });

  test('upgrade versions, upgrade the control plane, delete a node group and the cluster', async () => {
    fake.addCluster('eu-north-1', { name: 'old', version: '1.32', nodegroups: [{ name: 'ng' }] });
    const p = provider();
    const old = { ...clusterIn('eu-north-1', 'old'), version: '1.32' };
    assert.deepEqual(await p.listUpgradeVersions(old), ['1.33']);
    const upgrade = await p.upgradeCluster(old, '1.33');
    const upgradeProgress: string[] = [];
    await upgrade.wait(undefined, (s) => upgradeProgress.push(s));
    assert.equal(upgradeProgress.at(-1), 'Successful');
    assert.equal(fake.cluster('eu-north-1', 'old')?.version, '1.33');
    await rejectsWith(p.upgradeCluster({ ...old, version: '1.33' }, '1.31'), 'invalid', /Unsupported Kubernetes minor version update/);

    await rejectsWith(p.deleteCluster(old), 'conflict', /Cluster has nodegroups attached/);
    const delNg = await p.deleteNodePool(old, 'ng');
    const ngProgress: string[] = [];
    await delNg.wait(undefined, (s) => ngProgress.push(s));
    assert.deepEqual(ngProgress, ['DELETING', 'DELETED']);
    assert.equal(fake.nodegroup('eu-north-1', 'old', 'ng'), undefined);

    const delCluster = await p.deleteCluster(old);
    const clusterProgress: string[] = [];
    await delCluster.wait(undefined, (s) => clusterProgress.push(s));
    assert.deepEqual(clusterProgress, ['DELETING', 'DELETED']);
    assert.equal(fake.cluster('eu-north-1', 'old'), undefined);
    const deletes = fake.records.filter((r) => r.method === 'DELETE');
    assert.ok(
      deletes.every((r) => /attempt=1; max=1/.test(String(r.headers['amz-sdk-request']))),
      'deletes are sent once',
    );
  });

  test('throttling (429) is retried by the standard policy; persistent throttling and HTML 500 pages become kind messages', async () => {
    const p = provider();
    fake.failNext('ListClusters', 1, { kind: 'aws', status: 429, type: 'ThrottlingException', message: 'Rate exceeded' }, 'us-east-1');
    const once = await p.listClusters('default', ['us-east-1']);
    assert.equal(once[0]?.items.length, 1);
    assert.ok(
      log.some((l) => /^> eks ListClusters us-east-1 \[\d+ms\] ok \(2 attempts\)$/.test(l)),
      log.join('\n'),
    );

    fake.failNext('ListNodegroups', 3, { kind: 'aws', status: 429, type: 'ThrottlingException', message: 'Rate exceeded' });
    await rejectsWith(
      p.listNodePools(clusterIn('us-east-1', 'prod')),
      'throttled',
      /AWS is throttling eks:ListNodegroups in us-east-1; wait a moment/,
    );

    fake.failNext('ListAddons', 1, {
      kind: 'aws',
      status: 403,
      type: 'AccessDeniedException',
      message: 'User: arn:aws:iam::1:user/a is not authorized',
    });
    await rejectsWith(
      p.listAddons(clusterIn('us-east-1', 'prod')),
      'forbidden',
      /^Profile "default" is not allowed to call eks:ListAddons in us-east-1; ask your AWS administrator/,
    );

    fake.failNext('ListAddons', 3, { kind: 'html', status: 500 });
    await rejectsWith(
      p.listAddons(clusterIn('us-east-1', 'prod')),
      'serverError',
      /^EKS in us-east-1 answered 500 \(a server error\); try again later\.$/,
    );

    fake.failNext('DescribeCluster', 3, { kind: 'html', status: 502 }, 'us-east-1');
    const region = await p.listClusters('default', ['us-east-1']);
    messages.push(region[0]?.error ?? '');
    assert.match(region[0]?.error ?? '', /answered 502 \(a server error\)/);
  });

  test('a region that never answers times out on its own; unreachable endpoints are named', async () => {
    fake.setRegionFailure('sa-east-1', { kind: 'hang' });
    try {
      const p = provider({ requestTimeoutMs: 300 });
      const results = await p.listClusters('default', ['sa-east-1', 'us-east-1']);
      assert.equal(results[1]?.items.length, 1);
      assert.match(results[0]?.error ?? '', /^EKS in sa-east-1 did not answer within 300 ms; check your network or proxy, then refresh\.$/);
    } finally {
      fake.setRegionFailure('sa-east-1', undefined);
    }
    const dead = provider({ endpoint: 'http://127.0.0.1:9' });
    const results = await dead.listClusters('default', ['us-east-1']);
    assert.match(results[0]?.error ?? '', /Cannot reach the EKS endpoint for us-east-1 \(ECONNREFUSED\)/);
  });
  test('upgrade a node group after its control plane: UpdateNodegroupVersion, the version moves only when the update is done', async () => {
    fake.addCluster('eu-south-1', { name: 'lag', version: '1.32', nodegroups: [{ name: 'ng' }, { name: 'other' }] });
    const p = provider();
    const lag = { ...clusterIn('eu-south-1', 'lag'), version: '1.32' };
    await rejectsWith(p.upgradeNodePool(lag, 'ng', '1.33'), 'invalid', /not supported for cluster version 1\.32/);
    await (await p.upgradeCluster(lag, '1.33')).wait();
    assert.equal(fake.cluster('eu-south-1', 'lag')?.version, '1.33');
    assert.equal(fake.nodegroup('eu-south-1', 'lag', 'ng')?.version, '1.32', 'the control-plane upgrade leaves the node group');

    const before = fake.records.length;
    const op = await p.upgradeNodePool({ ...lag, version: '1.33' }, 'ng', '1.33');
    assert.equal(op.description, 'Upgrade node group ng of lag to Kubernetes 1.33');
    assert.match(op.id, /^nodegroup:ng:[0-9a-f-]{36}$/);
    const sent = fake.records.slice(before).filter((r) => r.operation === 'UpdateNodegroupVersion');
    assert.equal(sent.length, 1, 'sent once');
    assert.match(sent[0]?.path ?? '', /^\/clusters\/lag\/node-groups\/ng\/update-version$/);
    const body = JSON.parse(sent[0]?.body ?? '{}') as { version?: string; clientRequestToken?: string };
    assert.equal(body.version, '1.33');
    assert.match(body.clientRequestToken ?? '', /^[0-9a-f-]{36}$/);
    assert.deepEqual(
      { ...fake.nodegroup('eu-south-1', 'lag', 'ng') },
      { status: 'UPDATING', min: 1, max: 3, desired: 2, version: '1.32' },
      'not moved before the wait',
    );
    const progress: string[] = [];
    await op.wait(undefined, (s) => progress.push(s));
    assert.deepEqual(progress, ['InProgress', 'InProgress', 'Successful']);
    assert.equal(fake.nodegroup('eu-south-1', 'lag', 'ng')?.version, '1.33');
    assert.equal(fake.nodegroup('eu-south-1', 'lag', 'other')?.version, '1.32', 'only the chosen node group moved');
    const pools = await p.listNodePools({ ...lag, version: '1.33' });
    assert.equal(pools.find((x) => x.name === 'ng')?.version, '1.33');
    await rejectsWith(p.upgradeNodePool(lag, 'ng', 'latest'), 'invalid', /not an EKS Kubernetes version/);
  });

  test('resume: every operation id is followed to the end by a new provider instance; garbled ids are refused', async () => {
    fake.addCluster('eu-west-3', {
      name: 'resume',
      version: '1.33',
      nodegroups: [
        { name: 'ng-a', version: '1.32', min: 1, max: 3, desired: 1 },
        { name: 'ng-b', min: 1, max: 3, desired: 1 },
      ],
    });
    fake.addCluster('eu-west-3', { name: 'cp', version: '1.33' });
    const c = clusterIn('eu-west-3', 'resume');
    const cp = clusterIn('eu-west-3', 'cp');
    const first = provider();
    const upgrade = await first.upgradeNodePool(c, 'ng-a', '1.33');
    const scale = await first.scaleNodePool(c, 'ng-b', { desired: 3 });
    const control = await first.upgradeCluster(cp, '1.34');
    assert.match(control.id, /^cluster:[0-9a-f-]{36}$/);
    // What the editor persists: plain strings, read back after a restart by a provider that never saw the calls.
    const saved = JSON.parse(JSON.stringify([upgrade, scale, control].map((o) => ({ id: o.id, description: o.description })))) as {
      id: string;
      description: string;
    }[];
    const later = provider();
    const progress: string[][] = [];
    for (const [i, s] of saved.entries()) {
      const steps: string[] = [];
      await later.resumeOperation(i === 2 ? cp : c, s.id, s.description).wait(undefined, (x) => steps.push(x));
      progress.push(steps);
    }
    assert.deepEqual(progress, [
      ['InProgress', 'Successful'],
      ['InProgress', 'Successful'],
      ['InProgress', 'Successful'],
    ]);
    assert.equal(fake.nodegroup('eu-west-3', 'resume', 'ng-a')?.version, '1.33');
    assert.equal(fake.nodegroup('eu-west-3', 'resume', 'ng-b')?.desired, 3);
    assert.equal(fake.cluster('eu-west-3', 'cp')?.version, '1.34');

    // Deletions: ids name what is deleted; the resumed wait polls the describe until it is gone.
    const delNg = await first.deleteNodePool(c, 'ng-b');
    assert.equal(delNg.id, 'delete-nodegroup:ng-b');
    const ngSteps: string[] = [];
    await later.resumeOperation(c, delNg.id, delNg.description).wait(undefined, (x) => ngSteps.push(x));
    assert.deepEqual(ngSteps, ['DELETING', 'DELETED']);
    assert.equal(fake.nodegroup('eu-west-3', 'resume', 'ng-b'), undefined);
    const delCp = await first.deleteCluster(cp);
    assert.equal(delCp.id, 'delete-cluster:cp');
    const cpSteps: string[] = [];
    await later.resumeOperation(cp, delCp.id, delCp.description).wait(undefined, (x) => cpSteps.push(x));
    assert.deepEqual(cpSteps, ['DELETING', 'DELETED']);
    assert.equal(fake.cluster('eu-west-3', 'cp'), undefined);

    // An update id EKS does not know: the wait fails as notFound, not silently.
    await rejectsWith(
      later.resumeOperation(c, 'nodegroup:ng-a:00000000-0000-0000-0000-000000000000', 'x').wait(),
      'notFound',
      /update 00000000/,
    );
    for (const bad of [
      '',
      'garbage',
      'nodegroup:ng-a',
      'cluster:',
      'cluster:a/b',
      'delete-cluster:other',
      'projects/p/locations/l/operations/o',
      '{"state":{}}',
    ]) {
      assert.throws(
        () => later.resumeOperation(c, bad, 'Resume'),
        (e: unknown) =>
          e instanceof ClusterDeckError &&
          e.reason === 'invalid' &&
          /is not an EKS operation id of cluster resume; refresh the Clouds view/.test(e.message),
        bad,
      );
    }
  });

  test('a lost answer to UpdateNodegroupConfig is retried with the same clientRequestToken and starts one update only', async () => {
    fake.addCluster('ca-central-1', { name: 'idem', nodegroups: [{ name: 'ng', min: 1, max: 3, desired: 1 }] });
    fake.failNext('UpdateNodegroupConfig', 1, { kind: 'lostAnswer' });
    const op = await provider().scaleNodePool(clusterIn('ca-central-1', 'idem'), 'ng', { desired: 2 });
    const sent = fake.records.filter((r) => r.operation === 'UpdateNodegroupConfig' && r.region === 'ca-central-1');
    assert.equal(sent.length, 2, 'the SDK retried after the 500');
    const tokens = sent.map((r) => (JSON.parse(r.body) as { clientRequestToken?: string }).clientRequestToken);
    assert.equal(tokens[0], tokens[1]);
    assert.equal(fake.cluster('ca-central-1', 'idem')?.updates, 1, 'EKS saw one update, not two');
    await op.wait();
    assert.equal(fake.nodegroup('ca-central-1', 'idem', 'ng')?.desired, 2);
  });

  test('cancelling a listing stops the regions still waiting', async () => {
    fake.setRegionFailure('eu-west-3', { kind: 'hang' });
    try {
      const controller = new AbortController();
      const listing = provider().listClusters('default', ['us-east-1', 'eu-west-3'], controller.signal);
      setTimeout(() => controller.abort(), 100);
      const started = Date.now();
      await assert.rejects(listing, (e: unknown) => e instanceof CancelledError);
      assert.ok(Date.now() - started < 2000, 'did not wait for the request timeout');
    } finally {
      fake.setRegionFailure('eu-west-3', undefined);
    }
  });
  test('listing accounts again (a refresh) picks up a corrected credentials file', async () => {
    const file = join(dir, 'credentials-fixable');
    writeFileSync(file, '[fix]\naws_access_key_id = AKIDEFAULT\naws_secret_access_key = typo\n');
    const p = provider({ credentialsFile: file });
    await rejectsWith(p.listClusters('fix', ['us-east-1']), 'unauthorized', /profile "fix"/);
    writeFileSync(file, `[fix]\naws_access_key_id = AKIDEFAULT\naws_secret_access_key = ${secret}\n`);
    assert.ok((await p.listAccounts()).some((a) => a.id === 'fix'));
    assert.equal((await p.listClusters('fix', ['us-east-1']))[0]?.items[0]?.name, 'prod');
  });
});
