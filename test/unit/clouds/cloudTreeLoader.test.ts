// The Clouds view's loading logic (what the host's TreeDataProvider delegates to), driven by in-memory providers
// through the real registry: welcome when no account, Restricted Mode, per-level failures as message nodes,
// hidden accounts, regions from settings, kubeconfig links.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ClusterDeckError } from '../../../src/core/errors';
import type { CloudTreeNode } from '../../../src/core/clouds/cloudTree';
import { CloudTreeLoader } from '../../../src/core/clouds/cloudTreeLoader';
import { CloudRegistry, type CloudLoaders } from '../../../src/node/clouds/cloudRegistry';
import { memoryCloudProvider, sampleClouds, type MemoryCloud } from '../../support/memoryCloudProvider';

function setup(
  clouds: Partial<Record<'eks' | 'gke' | 'aks', MemoryCloud>>,
  extra: { trusted?: () => boolean; hidden?: string[]; regions?: string[] } = {},
) {
  const loaders: CloudLoaders = {};
  for (const [cloud, data] of Object.entries(clouds))
    loaders[cloud as 'eks'] = () => Promise.resolve(memoryCloudProvider(cloud as 'eks', data));
  const failures: string[] = [];
  const loader = new CloudTreeLoader({
    source: new CloudRegistry({ loaders, ...(extra.trusted ? { isTrusted: extra.trusted } : {}) }),
    kubeContexts: () => Promise.resolve([{ name: 'shop-admin', clusterName: 'x', server: 'https://abc.gr7.eu-west-1.eks.amazonaws.com' }]),
    scopesFor: (cloud) => (cloud === 'eks' ? extra.regions : undefined),
    isHidden: (cloud, id) => (extra.hidden ?? []).includes(`${cloud}:${id}`),
    onFailure: (where, message) => failures.push(`${where}: ${message}`),
  });
  return { loader, failures };
}

const labels = (nodes: readonly CloudTreeNode[]) => nodes.map((n) => (n.kind === 'message' ? `! ${n.text}` : n.id));

test('root: empty (welcome shows) without providers or without any account; cloud nodes otherwise', async () => {
  assert.deepEqual(await setup({}).loader.children(undefined), []);
  const none = { accounts: [], clusters: [] };
  assert.deepEqual(await setup({ eks: none, aks: none }).loader.children(undefined), []);
  const s = sampleClouds();
  assert.deepEqual(labels(await setup({ eks: s.eks, aks: none }).loader.children(undefined)), ['cloud:eks', 'cloud:aks']);
  // "Not signed in" counts as no account: still the welcome.
  const unauthorized = new ClusterDeckError('unauthorized', 'No Google credentials found; set a credentials file.');
  assert.deepEqual(await setup({ eks: none, gke: { ...none, accountsError: unauthorized } }).loader.children(undefined), []);
  // A cloud without accounts shows its sign-in step under it.
  const [, aks] = await setup({ eks: s.eks, aks: none }).loader.children(undefined);
  const under = await setup({ eks: s.eks, aks: none }).loader.children(aks);
  assert.equal(under[0]?.kind === 'message' && under[0].nextStep?.command, 'clusterdeck.cloud.signInAzure');
});

test('Restricted Mode: one message with Manage Workspace Trust and no provider loaded', async () => {
  let loaded = false;
  const loader = new CloudTreeLoader({
    source: new CloudRegistry({
      loaders: {
        eks: () => {
          loaded = true;
          return Promise.resolve(memoryCloudProvider('eks', sampleClouds().eks));
        },
      },
      isTrusted: () => false,
    }),
    kubeContexts: () => Promise.resolve([]),
  });
  const root = await loader.children(undefined);
  assert.equal(root.length, 1);
  assert.equal(root[0]?.kind === 'message' && root[0].nextStep?.command, 'workbench.trust.manage');
  assert.equal(loaded, false);
});

test('a cloud whose accounts fail shows the error with Sign in as next step; the others still list', async () => {
  const s = sampleClouds();
  const expired = new ClusterDeckError('unauthorized', 'The SSO session of profile "prod" expired; run "aws sso login --profile prod".');
  const { loader, failures } = setup({ eks: { ...s.eks, accountsError: expired }, gke: s.gke });
  const root = await loader.children(undefined);
  assert.deepEqual(labels(root), ['cloud:eks', 'cloud:gke']);
  const eks = await loader.children(root[0]);
  assert.equal(eks.length, 1);
  const m = eks[0]!;
  assert.ok(m.kind === 'message');
  assert.equal(m.text, expired.message);
  assert.equal(m.nextStep?.command, 'clusterdeck.cloud.chooseAwsProfile');
  assert.deepEqual(labels(await loader.children(root[1])), ['cloud:gke:acct:my-proj']);
  assert.match(failures.join('\n'), /unauthorized: The SSO session/);
});

test('the whole path: account → regions (failing one as message) → cluster linked to kubeconfig → pools and add-ons', async () => {
  const { loader } = setup({ eks: sampleClouds().eks });
  const [cloud] = await loader.children(undefined);
  const [account] = await loader.children(cloud);
  const scopes = await loader.children(account);
  assert.deepEqual(labels(scopes), [
    'cloud:eks:acct:prod:scope:eu-west-1',
    'cloud:eks:acct:prod:scope:us-east-1',
    "! ap-south-1: Access denied in ap-south-1; check the profile's IAM permissions.",
  ]);
  const [cluster] = await loader.children(scopes[0]);
  assert.ok(cluster?.kind === 'cluster');
  assert.equal(cluster.kubeContext, 'shop-admin');
  const [pools, addons] = await loader.children(cluster);
  assert.deepEqual(labels(await loader.children(pools)), [`${cluster.id}:pools:ng-1`, `${cluster.id}:pools:spot-1`]);
  assert.deepEqual(labels(await loader.children(addons)), [`${cluster.id}:addons:vpc-cni`]);
});

test('regions from settings restrict the query; forgotten accounts are hidden', async () => {
  const s = sampleClouds();
  const { loader } = setup({ eks: s.eks }, { regions: ['us-east-1'] });
  const [cloud] = await loader.children(undefined);
  const [account] = await loader.children(cloud);
  assert.deepEqual(
    labels(await loader.children(account)).filter((l) => !l.startsWith('!')),
    ['cloud:eks:acct:prod:scope:us-east-1'],
  );
  const hidden = setup({ eks: s.eks, gke: s.gke }, { hidden: ['eks:prod'] });
  const root = await hidden.loader.children(undefined);
  assert.equal((await hidden.loader.children(root[0]))[0]?.kind, 'message', 'no visible profile → the Choose profile step');
});

test('an account that throws becomes one message under it; Retry is its next step', async () => {
  const s = sampleClouds();
  const throttled = new ClusterDeckError('throttled', 'GKE is throttling requests; wait a minute, then Retry.');
  const { loader } = setup({ gke: { ...s.gke, failingAccounts: { 'my-proj': throttled } } });
  const [cloud] = await loader.children(undefined);
  const [account] = await loader.children(cloud);
  const [m] = await loader.children(account);
  assert.ok(m?.kind === 'message');
  assert.equal(m.text, throttled.message);
  assert.equal(m.nextStep?.command, 'clusterdeck.cloud.refresh');
  // A raw error never shows its text.
  const raw = setup({ gke: { ...s.gke, failingAccounts: { 'my-proj': new Error('token=s3cr3t') as ClusterDeckError } } });
  const [c2] = await raw.loader.children(undefined);
  const [a2] = await raw.loader.children(c2);
  const [m2] = await raw.loader.children(a2);
  assert.ok(m2?.kind === 'message');
  assert.doesNotMatch(m2.text + raw.failures.join(), /s3cr3t/);
});
