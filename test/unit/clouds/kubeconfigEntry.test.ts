// Connect's kubeconfig entries and their merge, against golden files in test/fixtures/kubeconfig-connect/<case>/:
// input.yaml → expected.yaml (or expected.json for a conflict). CLUSTERDECK_UPDATE_GOLDEN=1 rewrites them.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { CloudCluster } from '../../../src/core/clouds/cloudProvider';
import {
  aksServerId,
  buildKubeconfigEntry,
  describeConflicts,
  mergeKubeconfigEntry,
  type KubeconfigEntryOptions,
  type MergeOptions,
} from '../../../src/core/clouds/kubeconfigEntry';
import { mergeKubeconfigs } from '../../../src/core/kube/kubeconfig';
import { ClusterDeckError } from '../../../src/core/errors';
import { sampleClouds } from '../../support/memoryCloudProvider';

const dir = join(__dirname, '..', '..', 'fixtures', 'kubeconfig-connect');
const samples = sampleClouds();
const eks = samples.eks.clusters[0]!.cluster;
const gke = samples.gke.clusters[0]!.cluster;
const aks = samples.aks.clusters[0]!.cluster;
const own = { command: '/usr/bin/node', leadingArgs: ['/opt/clusterdeck/dist/cli.js'] };
const withPlugin: KubeconfigEntryOptions = { standardPluginAvailable: true, ownCommand: own };
const withoutPlugin: KubeconfigEntryOptions = { standardPluginAvailable: false, ownCommand: own };

function golden(name: string, cluster: CloudCluster, options: KubeconfigEntryOptions, merge: MergeOptions = {}): void {
  const input = readFileSync(join(dir, name, 'input.yaml'), 'utf8');
  const result = mergeKubeconfigEntry(input, buildKubeconfigEntry(cluster, options), merge);
  const file = join(dir, name, result.kind === 'conflict' ? 'expected.json' : 'expected.yaml');
  const actual = result.kind === 'conflict' ? `${JSON.stringify(result, null, 2)}\n` : result.text;
  if (process.env.CLUSTERDECK_UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `${name}: output differs from ${file}`);
}

test('an empty file gets a whole kubeconfig with the EKS entries named by the ARN (standard aws plugin)', () => {
  golden('empty', eks, withPlugin);
  const doc = parse(readFileSync(join(dir, 'empty', 'expected.yaml'), 'utf8')) as Record<string, unknown>;
  assert.equal(doc.apiVersion, 'v1');
  assert.equal(doc.kind, 'Config');
  // What kubectl will read: the merge model of the Clusters view finds context, cluster and exec user.
  const merged = mergeKubeconfigs([{ path: '/k', text: readFileSync(join(dir, 'empty', 'expected.yaml'), 'utf8') }]);
  assert.deepEqual(merged.problems, []);
  const ctx = merged.contexts[0]!;
  assert.equal(ctx.name, eks.id);
  assert.equal(merged.clusters.get(ctx.clusterName)?.server, eks.endpoint);
  assert.equal(merged.clusters.get(ctx.clusterName)?.certificateAuthorityData, eks.caData);
  const exec = merged.users.get(ctx.userName)?.exec;
  assert.equal(exec?.command, 'aws');
  assert.deepEqual(exec?.args, [
    'eks',
    'get-token',
    '--cluster-name',
    'shop',
    '--region',
    'eu-west-1',
    '--output',
    'json',
    '--profile',
    'prod',
  ]);
  assert.equal(exec?.apiVersion, 'client.authentication.k8s.io/v1');
});

test('a file with comments and other contexts keeps every byte of them; the GKE entry is appended', () => {
  golden('comments', gke, withoutPlugin);
  const input = readFileSync(join(dir, 'comments', 'input.yaml'), 'utf8');
  const out = readFileSync(join(dir, 'comments', 'expected.yaml'), 'utf8');
  for (const line of input.split('\n').filter((l) => l.trim() && !l.startsWith('# trailing')))
    assert.ok(out.includes(line), `kept: ${line}`);
  assert.ok(out.includes('# trailing comment'));
  const merged = mergeKubeconfigs([{ path: '/k', text: out }]);
  assert.deepEqual(
    merged.contexts.map((c) => c.name),
    ['dev', 'gke_my-proj_europe-west1_web'],
  );
  assert.equal(merged.currentContext, 'dev', 'current-context is not changed unless asked');
  const exec = merged.users.get('gke_my-proj_europe-west1_web')?.exec;
  assert.equal(exec?.command, '/usr/bin/node');
  assert.deepEqual(exec?.args, [
    '/opt/clusterdeck/dist/cli.js',
    'token',
    'gke',
    '--cluster',
    'web',
    '--location',
    'europe-west1',
    '--project',
    'my-proj',
  ]);
  assert.equal(exec?.interactiveMode, 'Never');
});

test('a same-named context with other content is a conflict naming what differs; the text is not returned', () => {
  golden('conflict', eks, withPlugin);
  const input = readFileSync(join(dir, 'conflict', 'input.yaml'), 'utf8');
  const result = mergeKubeconfigEntry(input, buildKubeconfigEntry(eks, withPlugin));
  assert.equal(result.kind, 'conflict');
  if (result.kind !== 'conflict') return;
  assert.deepEqual(
    result.conflicts.map((c) => c.section),
    ['clusters', 'users'],
    'the context itself is identical (same cluster and user names)',
  );
  assert.ok(result.conflicts[0]!.differences.includes('cluster.server'));
  assert.match(
    describeConflicts(result.conflicts),
    /cluster "arn:aws:eks:eu-west-1:111122223333:cluster\/shop" differs in .*cluster\.server/,
  );
});

test('replace (after the user agreed) swaps the entries in place and keeps the others and their order', () => {
  golden('replace', eks, withPlugin, { replace: true, setCurrent: true });
  const out = readFileSync(join(dir, 'replace', 'expected.yaml'), 'utf8');
  const merged = mergeKubeconfigs([{ path: '/k', text: out }]);
  assert.deepEqual(
    merged.contexts.map((c) => c.name),
    [eks.id, 'other'],
  );
  assert.equal(merged.clusters.get(eks.id)?.server, eks.endpoint);
  assert.equal(merged.currentContext, eks.id);
  assert.equal(merged.users.get('other')?.token, 't');
});

test('merging the same cluster twice is a no-op (unchanged, same text)', () => {
  const first = readFileSync(join(dir, 'comments', 'expected.yaml'), 'utf8');
  const again = mergeKubeconfigEntry(first, buildKubeconfigEntry(gke, withoutPlugin));
  assert.deepEqual(again, { kind: 'unchanged', text: first });
  const setCurrent = mergeKubeconfigEntry(first, buildKubeconfigEntry(gke, withoutPlugin), { setCurrent: true });
  assert.equal(setCurrent.kind, 'added');
  assert.equal(
    (parse(setCurrent.kind === 'added' ? setCurrent.text : '') as Record<string, unknown>)['current-context'],
    'gke_my-proj_europe-west1_web',
  );
});

test('AKS: context and cluster named after the cluster, kubelogin with the AKS server id, or our token command', () => {
  const std = buildKubeconfigEntry(aks, withPlugin);
  assert.equal(std.contextName, 'api');
  assert.equal(std.cluster.name, 'api');
  assert.equal(std.user.name, 'clusterUser_rg-b_api');
  assert.deepEqual(std.user.exec.args, ['get-token', '--login', 'azurecli', '--server-id', aksServerId]);
  assert.equal(std.user.exec.command, 'kubelogin');
  const ours = buildKubeconfigEntry(aks, {
    standardPluginAvailable: false,
    ownCommand: { command: '/code/code', leadingArgs: ['/x/cli.js'], env: [{ name: 'ELECTRON_RUN_AS_NODE', value: '1' }] },
  });
  assert.deepEqual(ours.user.exec.args, [
    '/x/cli.js',
    'token',
    'aks',
    '--cluster',
    'api',
    '--resource-group',
    'rg-b',
    '--subscription',
    '00000000-0000-0000-0000-000000000001',
  ]);
  assert.deepEqual(ours.user.exec.env, [{ name: 'ELECTRON_RUN_AS_NODE', value: '1' }]);
  golden('current', aks, withPlugin, { setCurrent: true });
});

test('EKS with environment credentials writes no --profile; GKE standard plugin is gke-gcloud-auth-plugin', () => {
  const env = buildKubeconfigEntry({ ...eks, account: 'env' }, withPlugin);
  assert.ok(!env.user.exec.args.includes('--profile'));
  const g = buildKubeconfigEntry(gke, withPlugin);
  assert.equal(g.user.exec.command, 'gke-gcloud-auth-plugin');
  assert.equal(g.user.exec.provideClusterInfo, true);
  assert.equal(g.contextName, 'gke_my-proj_europe-west1_web');
});

test('a cluster without endpoint cannot be connected; a non-mapping kubeconfig is refused untouched', () => {
  assert.throws(
    () => buildKubeconfigEntry(samples.aks.clusters[1]!.cluster, withPlugin),
    (e: unknown) => e instanceof ClusterDeckError && e.reason === 'invalid',
  );
  assert.throws(
    () => mergeKubeconfigEntry('- a\n- b\n', buildKubeconfigEntry(eks, withPlugin)),
    (e: unknown) => e instanceof ClusterDeckError && e.reason === 'badConfig',
  );
  assert.throws(
    () => mergeKubeconfigEntry('clusters: 3\n', buildKubeconfigEntry(eks, withPlugin)),
    (e: unknown) => e instanceof ClusterDeckError && e.reason === 'badConfig',
  );
});

test('CRLF files keep CRLF line ends; a commented empty section keeps its comment line', () => {
  const crlf = 'apiVersion: v1\r\nclusters:\r\n- name: a\r\n  cluster: {server: https://a}\r\n';
  const r = mergeKubeconfigEntry(crlf, buildKubeconfigEntry(gke, withPlugin));
  assert.equal(r.kind, 'added');
  const text = r.kind === 'added' ? r.text : '';
  assert.ok(text.startsWith(crlf));
  assert.doesNotMatch(text.replace(/\r\n/g, ''), /\n/, 'no bare LF');
  const commented = mergeKubeconfigEntry('kind: Config\nclusters: # none yet\nusers: ~\n', buildKubeconfigEntry(gke, withPlugin));
  const t2 = commented.kind === 'added' ? commented.text : '';
  assert.match(t2, /^kind: Config\nclusters: # none yet\n- cluster:\n/);
  assert.match(t2, /\nusers:\n- name: gke_my-proj_europe-west1_web\n/);
});
