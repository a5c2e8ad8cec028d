// node/kube/kubeconfigWatcher.ts on real files: edits, atomic replaces, a file appearing, a setting change.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchKubeconfigFiles } from '../../src/node/kube/kubeconfigWatcher';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function changesAfter(action: () => void, count: () => number, ms = 1200): Promise<number> {
  const before = count();
  action();
  await wait(ms);
  return count() - before;
}

test('edits, atomic replaces, deletion and creation of a watched file call onChange once per burst; other files do not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'clusterdeck-kcw-'));
  const file = join(dir, 'config');
  writeFileSync(file, 'apiVersion: v1\n');
  let changes = 0;
  const w = watchKubeconfigFiles(
    () => [file],
    () => changes++,
    { debounceMs: 150 },
  );
  try {
    await wait(100);
    assert.equal(
      await changesAfter(
        () => writeFileSync(file, 'apiVersion: v1\nkind: Config\n'),
        () => changes,
      ),
      1,
      'an edit',
    );
    assert.equal(
      await changesAfter(
        () => {
          for (let i = 0; i < 5; i++) writeFileSync(file, `# ${i}\n`);
        },
        () => changes,
      ),
      1,
      'a burst of writes is one change',
    );
    assert.equal(
      await changesAfter(
        () => {
          writeFileSync(join(dir, '.config.tmp'), 'kind: Config\n');
          renameSync(join(dir, '.config.tmp'), file);
        },
        () => changes,
      ),
      1,
      'an atomic replace (write + rename, as editors and kubectl do)',
    );
    assert.equal(
      await changesAfter(
        () => writeFileSync(join(dir, 'unrelated.txt'), 'x'),
        () => changes,
      ),
      0,
      'other files are ignored',
    );
    assert.equal(
      await changesAfter(
        () => unlinkSync(file),
        () => changes,
      ),
      1,
      'deletion',
    );
    assert.equal(
      await changesAfter(
        () => writeFileSync(file, 'kind: Config\n'),
        () => changes,
      ),
      1,
      'the file appears again',
    );
  } finally {
    w.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('update() follows a changed list of files (the clusterdeck.kubeconfigs setting); dispose stops everything', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'clusterdeck-kcw-'));
  const other = join(dir, 'extra');
  mkdirSync(other);
  const a = join(dir, 'a.yaml');
  const b = join(other, 'b.yaml');
  let list = [a];
  let changes = 0;
  const w = watchKubeconfigFiles(
    () => list,
    () => changes++,
    { debounceMs: 100 },
  );
  try {
    await wait(100);
    assert.equal(
      await changesAfter(
        () => writeFileSync(b, 'x'),
        () => changes,
        600,
      ),
      0,
      'b is not watched yet',
    );
    list = [a, b];
    w.update();
    await wait(100);
    assert.equal(
      await changesAfter(
        () => writeFileSync(b, 'y'),
        () => changes,
        600,
      ),
      1,
      'b is watched after update()',
    );
    w.dispose();
    assert.equal(
      await changesAfter(
        () => writeFileSync(a, 'z'),
        () => changes,
        600,
      ),
      0,
      'nothing after dispose',
    );
  } finally {
    w.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing directory is skipped without throwing', () => {
  const w = watchKubeconfigFiles(
    () => [join(tmpdir(), 'clusterdeck-no-such-dir-9f2', 'config')],
    () => undefined,
  );
  w.dispose();
});
