// Connect's file writes in temp directories: atomic replace, backup of the previous content, modes, a new
// directory, and a failure mid-write leaving the original whole.
import { afterEach, beforeEach, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupPathFor, readKubeconfigText, writeKubeconfig } from '../../../src/node/clouds/kubeconfigWriter';
import { ClusterDeckError } from '../../../src/core/errors';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cd-kcw-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const now = new Date('2026-11-27T05:06:07.890Z');

test('a new file (and its missing directory) is created with mode 0600 and no backup', async () => {
  const path = join(dir, 'nested', '.kube', 'config');
  const r = await writeKubeconfig(path, 'apiVersion: v1\n', { now });
  assert.deepEqual(r, { path, created: true });
  assert.equal(readFileSync(path, 'utf8'), 'apiVersion: v1\n');
  if (process.platform !== 'win32') assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(await readKubeconfigText(join(dir, 'missing')), '');
});

test('an existing file is replaced, its mode kept, the previous content in <file>.clusterdeck-backup-<stamp>', async () => {
  const path = join(dir, 'config');
  writeFileSync(path, 'old: true\n');
  chmodSync(path, 0o640);
  const r = await writeKubeconfig(path, 'new: true\n', { now });
  assert.equal(r.backupPath, join(dir, 'config.clusterdeck-backup-20261127T050607'));
  assert.equal(r.created, false);
  assert.equal(readFileSync(path, 'utf8'), 'new: true\n');
  assert.equal(readFileSync(r.backupPath, 'utf8'), 'old: true\n');
  if (process.platform !== 'win32') {
    assert.equal(statSync(path).mode & 0o777, 0o640);
    assert.equal(statSync(r.backupPath).mode & 0o777, 0o640);
  }
  // A second write in the same second gets its own backup; no temp file is left behind.
  const again = await writeKubeconfig(path, 'newer: true\n', { now });
  assert.equal(again.backupPath, `${r.backupPath}-1`);
  assert.equal(readFileSync(again.backupPath, 'utf8'), 'new: true\n');
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
  );
  assert.equal(backupPathFor('/k/config', now), '/k/config.clusterdeck-backup-20261127T050607');
});

test('a failure mid-write leaves the original file intact and no temp file', async () => {
  const path = join(dir, 'config');
  writeFileSync(path, 'precious: true\n');
  await assert.rejects(
    writeKubeconfig(path, 'x'.repeat(10_000), {
      now,
      writeTemp: async (tmp, text) => {
        await writeFile(tmp, text.slice(0, 100)); // half written…
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      },
    }),
    (e: unknown) => e instanceof ClusterDeckError && /left unchanged/.test(e.message) && !/ENOSPC/.test(e.message),
  );
  assert.equal(readFileSync(path, 'utf8'), 'precious: true\n');
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
  );
});

test('a path that is a directory is refused before anything is written', async () => {
  await assert.rejects(writeKubeconfig(dir, 'x'), (e: unknown) => e instanceof ClusterDeckError && e.reason === 'badConfig');
  assert.ok(existsSync(dir));
});
