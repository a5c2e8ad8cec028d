// Bad-input row B19 on real files: a kubeconfig rewritten while ClusterDeck runs, the way `az aks get-credentials`
// or `gcloud container clusters get-credentials` (client-go) do it: take `<file>.lock`, write, rename, drop the lock.
// The watcher (production debounce) reloads within 1 s of the lock going away, no reload ever sees the half-written
// file, and an operation that started before keeps the snapshot it resolved.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveContext, type MergedKubeconfig } from '../../src/core/kube/kubeconfig';
import { loadKubeconfigs } from '../../src/node/kube/kubeconfigFiles';
import { watchKubeconfigFiles } from '../../src/node/kube/kubeconfigWatcher';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

const kubeconfig = (server: string, contexts: string[]): string =>
  [
    'apiVersion: v1',
    'kind: Config',
    `clusters: [{name: c, cluster: {server: "${server}"}}]`,
    'users: [{name: u, user: {token: t}}]',
    'contexts:',
    ...contexts.map((n) => `- {name: ${n}, context: {cluster: c, user: u}}`),
    '',
  ].join('\n');

test('B19: a kubeconfig rewritten under <file>.lock: reloaded within 1 s of the unlock, never half-read; in-flight work keeps its snapshot', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cd-kcfg-rewrite-'));
  const file = join(dir, 'config');
  const lock = `${file}.lock`;
  await writeFile(file, kubeconfig('https://old.example:6443', ['ctx']));
  const reloads: { at: number; config: MergedKubeconfig }[] = [];
  const pending: Promise<void>[] = [];
  // As extension.ts: the watcher's change refreshes the view, which loads the files again (default debounce).
  const watcher = watchKubeconfigFiles(
    () => [file],
    () => {
      pending.push(
        loadKubeconfigs([file], { lockWaitMs: 5_000, lockPollMs: 20 }).then((config) => void reloads.push({ at: Date.now(), config })),
      );
    },
  );
  try {
    await wait(100);
    // An operation started before the rewrite: it resolved its context from the snapshot of that moment.
    const snapshot = await loadKubeconfigs([file]);
    const inFlight = resolveContext(snapshot, 'ctx');

    // The writer: lock, a first partial write (a torn file), the rest, a rename over the file, then unlock.
    await writeFile(lock, '');
    await writeFile(file, 'apiVersion: v1\nclusters: [{name: c, cluster: {server: "https://new.exa');
    await wait(450); // longer than the debounce: a reload starts while the lock is held
    const tmp = join(dir, 'config.tmp');
    await writeFile(tmp, kubeconfig('https://new.example:6443', ['ctx', 'added']));
    await rename(tmp, file);
    await wait(200);
    const unlockedAt = Date.now();
    await unlink(lock);
    for (let i = 0; i < 40 && !reloads.some((r) => r.config.contexts.length === 2); i++) await wait(50);
    await Promise.all(pending);

    assert.ok(reloads.length >= 1, 'the rewrite was noticed');
    for (const r of reloads) {
      assert.deepEqual(r.config.problems, [], 'no reload read the torn file');
      assert.ok(r.at >= unlockedAt, 'no reload finished while the lock was held');
    }
    const last = reloads.at(-1);
    assert.ok(last);
    assert.deepEqual(
      last.config.contexts.map((c) => c.name),
      ['ctx', 'added'],
    );
    assert.equal(last.config.clusters.get('c')?.server, 'https://new.example:6443');
    assert.ok(last.at - unlockedAt <= 1_000, `reloaded ${last.at - unlockedAt} ms after the unlock`);

    // The operation that started before keeps what it resolved; the old snapshot was not changed under it.
    assert.equal(inFlight.cluster.server, 'https://old.example:6443');
    assert.deepEqual(
      snapshot.contexts.map((c) => c.name),
      ['ctx'],
    );
    assert.equal(snapshot.clusters.get('c')?.server, 'https://old.example:6443');
  } finally {
    watcher.dispose();
    await Promise.allSettled(pending);
    await rm(dir, { recursive: true, force: true });
  }
});
