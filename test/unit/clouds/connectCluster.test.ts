// Connect as one flow over injected I/O (what the host's command runs): plugin choice, ask before replacing,
// declined → nothing written, identical → no write, and the real writer underneath in a temp dir.
import { afterEach, beforeEach, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseKubeconfigTarget, connectCluster, type ConnectDeps } from '../../../src/core/clouds/connectCluster';
import { readKubeconfigText, writeKubeconfig } from '../../../src/node/clouds/kubeconfigWriter';
import { mergeKubeconfigs } from '../../../src/core/kube/kubeconfig';
import { sampleClouds } from '../../support/memoryCloudProvider';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cd-connect-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const eks = sampleClouds().eks.clusters[0]!.cluster;

function deps(answers: boolean[], binaries: string[] = []): ConnectDeps & { questions: string[] } {
  const questions: string[] = [];
  return {
    questions,
    targetPath: join(dir, '.kube', 'config'),
    readText: readKubeconfigText,
    write: (path, text) => writeKubeconfig(path, text),
    hasBinary: (name) => Promise.resolve(binaries.includes(name)),
    ownCommand: { command: '/usr/bin/node', leadingArgs: ['/ext/dist/cli.js'] },
    confirmReplace: (q) => {
      questions.push(q);
      return Promise.resolve(answers.shift() ?? false);
    },
  };
}

test('first Connect creates ~/.kube/config with our token command when aws is missing; a second is unchanged', async () => {
  const d = deps([]);
  const first = await connectCluster(eks, d);
  assert.equal(first.kind, 'written');
  assert.ok(first.kind === 'written' && !first.usesStandardPlugin && first.backupPath === undefined);
  const merged = mergeKubeconfigs([{ path: d.targetPath, text: readFileSync(d.targetPath, 'utf8') }]);
  assert.equal(merged.users.get(eks.id)?.exec?.command, '/usr/bin/node');
  assert.deepEqual(merged.users.get(eks.id)?.exec?.args.slice(0, 3), ['/ext/dist/cli.js', 'token', 'eks']);
  const second = await connectCluster(eks, d);
  assert.equal(second.kind, 'unchanged');
  assert.deepEqual(
    readdirSync(join(dir, '.kube')).filter((f) => f.includes('backup')),
    [],
    'no write, no backup',
  );
});

test('a same-named context that differs: asked; "no" writes nothing, "yes" replaces and keeps a backup', async () => {
  const target = join(dir, '.kube', 'config');
  await writeKubeconfig(target, `# mine\napiVersion: v1\nclusters:\n- name: ${eks.id}\n  cluster: {server: https://old}\n`);
  const before = readFileSync(target, 'utf8');
  const no = deps([false], ['aws']);
  assert.equal((await connectCluster(eks, no)).kind, 'declined');
  assert.match(no.questions[0] ?? '', /already has cluster "arn:aws:eks:eu-west-1:111122223333:cluster\/shop" differs in cluster\.server/);
  assert.equal(readFileSync(target, 'utf8'), before);
  const yes = deps([true], ['aws']);
  const out = await connectCluster(eks, yes);
  assert.ok(out.kind === 'written' && out.replaced && out.usesStandardPlugin);
  assert.equal(readFileSync(out.backupPath!, 'utf8'), before);
  const text = readFileSync(target, 'utf8');
  assert.ok(text.startsWith('# mine\n'));
  assert.equal(mergeKubeconfigs([{ path: target, text }]).clusters.get(eks.id)?.server, eks.endpoint);
});

test('a broken kubeconfig is refused and left as it was', async () => {
  const target = join(dir, '.kube', 'config');
  await writeKubeconfig(target, '- not\n- a map\n');
  await assert.rejects(connectCluster(eks, deps([])), /not a YAML mapping/);
  assert.equal(readFileSync(target, 'utf8'), '- not\n- a map\n');
});

test('target file: the first existing file of the list, else the last (created), as kubectl picks it', () => {
  const exists = (set: string[]) => (p: string) => set.includes(p);
  assert.equal(chooseKubeconfigTarget(['/a', '/b', '/c'], exists(['/b', '/c'])), '/b');
  assert.equal(chooseKubeconfigTarget(['/a', '/b'], exists([])), '/b');
  assert.equal(chooseKubeconfigTarget([], exists([])), undefined);
});
