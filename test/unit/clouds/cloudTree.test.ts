// The Clouds view's plain nodes: levels per cloud, hidden empty regions, scope errors as messages, stable ids,
// contextValue tokens, health icons and the link to kubeconfig contexts.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  accountNodes,
  addonNodes,
  cloudRootNodes,
  clusterChildren,
  clusterNodes,
  findKubeContext,
  formatScale,
  healthIcon,
  poolNodes,
  presentCloudNode,
  scopeNodes,
  type CloudTreeNode,
} from '../../../src/core/clouds/cloudTree';
import { memoryCloudProvider, sampleClouds } from '../../support/memoryCloudProvider';

type Of<K extends CloudTreeNode['kind']> = Extract<CloudTreeNode, { kind: K }>;
const is = <K extends CloudTreeNode['kind']>(n: CloudTreeNode | undefined, kind: K): Of<K> => {
  assert.equal(n?.kind, kind);
  return n as Of<K>;
};

test('root and accounts: one node per cloud; no account → a message with the sign-in step of that cloud', () => {
  assert.deepEqual(
    cloudRootNodes(['aks', 'eks']).map((n) => n.id),
    ['cloud:aks', 'cloud:eks'],
  );
  for (const [cloud, command] of [
    ['eks', 'clusterdeck.cloud.chooseAwsProfile'],
    ['gke', 'clusterdeck.cloud.setGoogleCredentials'],
    ['aks', 'clusterdeck.cloud.signInAzure'],
  ] as const) {
    const [m] = accountNodes(cloud, []);
    assert.equal(is(m, 'message').nextStep?.command, command);
  }
  const [acct] = accountNodes('eks', sampleClouds().eks.accounts);
  const p = presentCloudNode(is(acct, 'account'));
  assert.equal(p.label, 'prod');
  assert.equal(p.description, '111122223333');
  assert.equal(p.contextValue, 'cloudAccount eks');
});

test('AWS regions: empty regions hidden, a failing region shown as an error message naming it, others listed', async () => {
  const data = sampleClouds().eks;
  const provider = memoryCloudProvider('eks', data);
  const results = await provider.listClusters('prod', ['eu-west-1', 'us-east-1', 'eu-north-1']);
  const nodes = scopeNodes(data.accounts[0]!, results);
  assert.deepEqual(
    nodes.map((n) => (n.kind === 'scope' ? n.scope : n.kind === 'message' ? `! ${n.text}` : n.kind)),
    ['eu-west-1', 'us-east-1', "! ap-south-1: Access denied in ap-south-1; check the profile's IAM permissions."],
  );
  const scope = is(nodes[0], 'scope');
  assert.equal(scope.id, 'cloud:eks:acct:prod:scope:eu-west-1');
  assert.equal(presentCloudNode(scope).description, '1 cluster');
  assert.equal(is(nodes[2], 'message').severity, 'error');
});

test('Azure: clusters grouped by resource group (sorted), not by location', async () => {
  const data = sampleClouds().aks;
  const results = await memoryCloudProvider('aks', data).listClusters(data.accounts[0]!.id, undefined);
  const nodes = scopeNodes(data.accounts[0]!, results);
  assert.deepEqual(
    nodes.map((n) => (n.kind === 'scope' ? `${n.scopeKind}:${n.scope}:${n.clusters.map((c) => c.name).join()}` : n.kind)),
    ['resourceGroup:rg-a:ops', 'resourceGroup:rg-b:api'],
  );
  assert.deepEqual(
    scopeNodes(data.accounts[0]!, []).map((n) => n.kind),
    ['message'],
  );
});

test('cluster: description (status, version, upgrade, endpoint access, nodes), tooltip, contextValue tokens, icon', async () => {
  const data = sampleClouds().eks;
  const scope = is(scopeNodes(data.accounts[0]!, await memoryCloudProvider('eks', data).listClusters('prod', undefined))[0], 'scope');
  const [node] = clusterNodes(scope, []);
  const c = is(node, 'cluster');
  assert.equal(c.id, 'cloud:eks:acct:prod:scope:eu-west-1:cluster:shop');
  const p = presentCloudNode(c);
  assert.equal(p.description, 'ACTIVE · 1.33 · upgrade to 1.34 available · public + private · 2 nodes');
  assert.equal(p.contextValue, 'cloudCluster eks ok upgradable connectable');
  assert.deepEqual(p.icon, healthIcon('ok'));
  assert.match(p.tooltip ?? '', /Not in your kubeconfig/);
  assert.match(p.tooltip ?? '', /arn:aws:eks:eu-west-1:111122223333:cluster\/shop/);
  // Private-only, progressing cluster.
  const other = is(scopeNodes(data.accounts[0]!, await memoryCloudProvider('eks', data).listClusters('prod', undefined))[1], 'scope');
  const batch = presentCloudNode(is(clusterNodes(other, [])[0], 'cluster'));
  assert.equal(batch.description, 'UPDATING · 1.32 · private');
  assert.equal(batch.contextValue, 'cloudCluster eks progressing connectable');
  assert.equal(batch.icon?.id, 'sync');
});

test('linked to the kubeconfig by server URL, by the EKS ARN or the gke_ name; says "in kubeconfig as"', () => {
  const s = sampleClouds();
  const eks = s.eks.clusters[0]!.cluster;
  const gke = s.gke.clusters[0]!.cluster;
  const aks = s.aks.clusters[0]!.cluster;
  assert.equal(findKubeContext(eks, [{ name: 'mine', clusterName: 'x', server: 'https://abc.gr7.eu-west-1.eks.amazonaws.com/' }]), 'mine');
  assert.equal(findKubeContext(eks, [{ name: eks.id, clusterName: eks.id, server: 'https://elsewhere' }]), eks.id);
  assert.equal(findKubeContext(gke, [{ name: 'g', clusterName: 'gke_my-proj_europe-west1_web', server: '' }]), 'g');
  assert.equal(
    findKubeContext(aks, [{ name: 'a', clusterName: 'a', server: 'https://api-dns-1.hcp.westeurope.azmk8s.io' }]),
    'a',
    ':443 is the default',
  );
  assert.equal(findKubeContext(aks, [{ name: 'api', clusterName: 'api', server: 'https://other' }]), 'api');
  assert.equal(findKubeContext(aks, [{ name: 'api', clusterName: 'prod-api', server: 'https://other' }]), undefined);
  assert.equal(findKubeContext(gke, [{ name: 'web', clusterName: 'web', server: 'https://34.1.2.4' }]), undefined);

  const scope: Of<'scope'> = {
    kind: 'scope',
    id: 'cloud:gke:acct:my-proj:scope:europe-west1',
    cloud: 'gke',
    account: s.gke.accounts[0]!,
    scope: 'europe-west1',
    scopeKind: 'location',
    clusters: [gke],
  };
  const linked = is(clusterNodes(scope, [{ name: 'web-ctx', clusterName: 'c', server: 'https://34.1.2.3' }])[0], 'cluster');
  assert.equal(linked.kubeContext, 'web-ctx');
  const p = presentCloudNode(linked);
  assert.match(p.description ?? '', /in kubeconfig as web-ctx$/);
  assert.match(p.contextValue, /\binKubeconfig\b/);
});

test('pools and add-ons: folder names per cloud, pool description (type, min ≤ desired ≤ max, spot, version, status)', () => {
  const s = sampleClouds();
  const cluster: Of<'cluster'> = { kind: 'cluster', id: 'X', cluster: s.eks.clusters[0]!.cluster, account: s.eks.accounts[0]! };
  const [pools, addons] = clusterChildren(cluster);
  assert.equal(presentCloudNode(is(pools, 'poolFolder')).label, 'Node groups');
  assert.equal(presentCloudNode(is(addons, 'addonFolder')).label, 'Add-ons');
  assert.equal(pools!.id, 'X:pools');
  const items = poolNodes(is(pools, 'poolFolder'), s.eks.clusters[0]!.pools);
  const spot = presentCloudNode(is(items[1], 'pool'));
  assert.equal(spot.label, 'spot-1');
  assert.equal(spot.description, 'm5.large,m5a.large · 1 ≤ 2 ≤ 3 · spot · 1.33 · ACTIVE');
  assert.equal(spot.contextValue, 'cloudNodePool eks ok');
  assert.equal(items[1]!.id, 'X:pools:spot-1');
  const aksCluster: Of<'cluster'> = { kind: 'cluster', id: 'Y', cluster: s.aks.clusters[0]!.cluster, account: s.aks.accounts[0]! };
  const [aksPools, aksFeatures] = clusterChildren(aksCluster);
  assert.equal(presentCloudNode(aksPools!).label, 'Agent pools');
  assert.equal(presentCloudNode(aksFeatures!).label, 'Features');
  assert.equal(
    presentCloudNode(is(poolNodes(is(aksPools, 'poolFolder'), s.aks.clusters[0]!.pools)[0], 'pool')).description,
    'Standard_D4s_v5 · 1 ≤ 2 ≤ 3 · System · 1.33 · Succeeded',
  );
  assert.equal(presentCloudNode(clusterChildren({ ...cluster, cluster: s.gke.clusters[0]!.cluster })[0]!).label, 'Node pools');
  assert.deepEqual(
    poolNodes(is(aksPools, 'poolFolder'), []).map((n) => n.kind),
    ['message'],
  );
  const addon = presentCloudNode(is(addonNodes(is(addons, 'addonFolder'), s.eks.clusters[0]!.addons ?? [])[0], 'addon'));
  assert.equal(addon.description, 'v1.19.0 · ACTIVE');
});

test('ids are stable across refreshes (same data → same ids) and health maps to distinct icons', async () => {
  const data = sampleClouds().eks;
  const ids = async () => {
    const scopes = scopeNodes(data.accounts[0]!, await memoryCloudProvider('eks', data).listClusters('prod', undefined));
    return scopes.flatMap((s) => (s.kind === 'scope' ? [s.id, ...clusterNodes(s, []).map((c) => c.id)] : [s.id]));
  };
  assert.deepEqual(await ids(), await ids());
  const icons = new Set((['ok', 'progressing', 'failed', 'unknown'] as const).map((h) => healthIcon(h).id));
  assert.equal(icons.size, 4);
});

test('pool sizes: autoscaled pools read min ≤ desired ≤ max; a fixed-size pool (AKS without autoscaler) is its node count', () => {
  assert.equal(formatScale({ min: 1, desired: 2, max: 5 }), '1 ≤ 2 ≤ 5');
  assert.equal(formatScale({ desired: 3 }), '3 nodes');
  assert.equal(formatScale({ desired: 1 }), '1 node');
  assert.equal(formatScale({ min: 0, max: 4 }), '0 ≤ ? ≤ 4');
});

test('AWS regions setting: one list for every profile, or lists per profile with "*" for the others', async () => {
  const { awsRegionsFor } = await import('../../../src/core/clouds/cloudSettings');
  assert.deepEqual(awsRegionsFor(['eu-west-1', ' us-east-1 '], 'any'), ['eu-west-1', 'us-east-1']);
  const perProfile = { prod: ['eu-west-1'], '*': ['us-east-1'] };
  assert.deepEqual(awsRegionsFor(perProfile, 'prod'), ['eu-west-1']);
  assert.deepEqual(awsRegionsFor(perProfile, 'dev'), ['us-east-1']);
  assert.equal(awsRegionsFor({ prod: ['eu-west-1'] }, 'dev'), undefined);
  assert.equal(awsRegionsFor([], 'prod'), undefined);
  assert.equal(awsRegionsFor(undefined, 'prod'), undefined);
});
