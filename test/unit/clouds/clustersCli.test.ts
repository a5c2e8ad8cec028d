// `clusterdeck clusters list` with in-memory providers (the port's test double) and a kubeconfig in a temp dir:
// parsing, table and JSON output, per-scope errors, exit codes.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { clustersCommand } from '../../../src/cli/clustersCommand';
import { parseClustersArgs } from '../../../src/core/clouds/clusterInventory';
import { ClusterDeckError } from '../../../src/core/errors';
import type { CloudLoaders } from '../../../src/node/clouds/cloudRegistry';
import { memoryCloudProvider, sampleClouds } from '../../support/memoryCloudProvider';

let dir = '';
let env: NodeJS.ProcessEnv = {};
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cd-clusters-'));
  writeFileSync(
    join(dir, 'config'),
    'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: https://10.0.0.1:6443}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: local\n  context: {cluster: c, user: u}\n',
  );
  env = { KUBECONFIG: join(dir, 'config'), HOME: dir };
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], loaders: CloudLoaders): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = {
    out: (s: string) => (out += `${s}\n`),
    err: (s: string) => (err += `${s}\n`),
    cwd: dir,
    isTty: false,
    readStdin: () => Promise.resolve(''),
    version: '0',
  };
  const code = await clustersCommand(args, io, { env, loaders });
  return { code, out, err };
}

const all = (): CloudLoaders => {
  const s = sampleClouds();
  return {
    eks: () => Promise.resolve(memoryCloudProvider('eks', s.eks)),
    gke: () => Promise.resolve(memoryCloudProvider('gke', s.gke)),
    aks: () => Promise.resolve(memoryCloudProvider('aks', s.aks)),
  };
};

test('argument parsing: lists, formats, usage errors', () => {
  assert.deepEqual(
    parseClustersArgs(['list', '--cloud', 'eks,kubeconfig', '--region=eu-west-1,us-east-1', '--format', 'json', '--profile', 'prod']),
    {
      clouds: ['eks', 'kubeconfig'],
      profile: 'prod',
      regions: ['eu-west-1', 'us-east-1'],
      format: 'json',
    },
  );
  assert.equal(parseClustersArgs(['--help']), 'help');
  for (const bad of [
    [],
    ['show'],
    ['list', '--cloud', 'openstack'],
    ['list', '--format', 'xml'],
    ['list', '--region'],
    ['list', '--x'],
    ['list', '--profile', 'a', '--profile', 'b'],
  ])
    assert.throws(
      () => parseClustersArgs(bad),
      (e: unknown) => e instanceof ClusterDeckError && e.reason === 'invalid',
      bad.join(' '),
    );
});

test('JSON: every cloud and the kubeconfig, with the documented fields and node pools; a failing region reported', async () => {
  const r = await run(['list', '--format', 'json'], all());
  assert.equal(r.code, 0, r.err);
  const parsed = JSON.parse(r.out) as { clusters: Record<string, unknown>[]; errors: Record<string, unknown>[] };
  assert.deepEqual(
    parsed.clusters.map((c) => `${String(c.cloud)}/${String(c.name)}`),
    ['eks/shop', 'eks/batch', 'gke/web', 'aks/ops', 'aks/api', 'kubeconfig/local'],
  );
  const shop = parsed.clusters[0]!;
  assert.deepEqual(shop, {
    cloud: 'eks',
    account: 'prod',
    region: 'eu-west-1',
    name: 'shop',
    version: '1.33',
    status: 'ACTIVE',
    nodePools: [
      { name: 'ng-1', instanceType: 'm5.large', min: 1, max: 3, desired: 2, status: 'ACTIVE' },
      { name: 'spot-1', instanceType: 'm5.large,m5a.large', min: 1, max: 3, desired: 2, status: 'ACTIVE' },
    ],
  });
  assert.equal(parsed.clusters[2]!.location, 'europe-west1');
  assert.equal(parsed.clusters[2]!.region, undefined);
  assert.equal(parsed.clusters[5]!.server, 'https://10.0.0.1:6443');
  assert.deepEqual(parsed.errors, [
    { cloud: 'eks', account: 'prod', scope: 'ap-south-1', error: "Access denied in ap-south-1; check the profile's IAM permissions." },
  ]);
});

test('table: one row per cluster, errors after; --cloud and --region restrict; --profile names the account', async () => {
  const r = await run(['list', '--cloud', 'eks', '--region', 'eu-west-1', '--profile', 'prod'], all());
  assert.equal(r.code, 0);
  const lines = r.out.trimEnd().split('\n');
  assert.match(lines[0]!, /^CLOUD\s+ACCOUNT\s+LOCATION\s+NAME\s+VERSION\s+STATUS\s+NODE POOLS$/);
  assert.match(lines[1]!, /^eks\s+prod\s+eu-west-1\s+shop\s+1\.33\s+ACTIVE\s+ng-1 m5\.large 1\/2\/3, spot-1 m5\.large,m5a\.large 1\/2\/3$/);
  assert.equal(lines.filter((l) => l.startsWith('eks')).length, 1, 'us-east-1 not asked');
  assert.match(r.out, /error: eks prod ap-south-1: Access denied/);
});

test('exit code: non-zero only when every scope failed', async () => {
  const s = sampleClouds();
  const denied = new ClusterDeckError(
    'unauthorized',
    'The AWS profile "prod" has expired SSO credentials; run "aws sso login --profile prod".',
  );
  const failing: CloudLoaders = { eks: () => Promise.resolve(memoryCloudProvider('eks', { ...s.eks, failingAccounts: { prod: denied } })) };
  const allFail = await run(['list', '--cloud', 'eks'], failing);
  assert.equal(allFail.code, 1);
  assert.match(allFail.out, /No clusters found\.\nerror: eks prod: The AWS profile "prod" has expired SSO credentials/);
  const partial = await run(['list', '--cloud', 'eks,kubeconfig'], failing);
  assert.equal(partial.code, 0);
  const missing = await run(['list', '--cloud', 'gke', '--format', 'json'], {});
  assert.equal(missing.code, 1);
  assert.match(missing.out, /no GKE provider/);
  // Raw (non-ClusterDeck) errors never leak their text.
  const raw: CloudLoaders = {
    aks: () => Promise.resolve({ ...memoryCloudProvider('aks', s.aks), listAccounts: () => Promise.reject(new Error('secret=abc123')) }),
  };
  const leak = await run(['list', '--cloud', 'aks'], raw);
  assert.doesNotMatch(leak.out, /abc123/);
  assert.equal(leak.code, 1);
});

test('main dispatches "clusters" (usage error → 2)', async () => {
  let err = '';
  const code = await main(['clusters', 'nope'], {
    out: () => undefined,
    err: (s) => (err += s),
    cwd: dir,
    isTty: false,
    readStdin: () => Promise.resolve(''),
    version: '0',
  });
  assert.equal(code, 2);
  assert.match(err, /Unknown subcommand "clusters nope"/);
});
