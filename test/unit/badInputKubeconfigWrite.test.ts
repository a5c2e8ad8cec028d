// Catalogue row B75, the kubeconfig half (the journal half is in provisionRunPlan.test.ts): writing a kubeconfig
// (Connect after a create, kubeadm import) into a folder that cannot be written, or onto a full disk, fails with
// one clear sentence, leaves the original file byte for byte, and leaves no temp file or backup copy behind.
// Root writes into read-only folders, so the permission cases run the writer in a child process as `nobody` then.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { ClusterDeckError } from '../../src/core/errors';
import { writeKubeconfig } from '../../src/node/clouds/kubeconfigWriter';

const ORIGINAL = 'apiVersion: v1\nkind: Config\ncontexts: [{name: old, context: {cluster: c, user: u}}]\n';
const NEW = 'apiVersion: v1\nkind: Config\ncontexts: [{name: new, context: {cluster: c, user: u}}]\n';
const childSource = resolve(__dirname, '../support/writeKubeconfigChild.ts');
/** The child bundled into the test's own world-readable folder: `nobody` may not traverse the checkout or node_modules. */
let child = '';
const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;

interface Outcome {
  readonly ok: boolean;
  readonly reason?: string;
  readonly message?: string;
  readonly raw?: string;
}

/** writeKubeconfig in a child process, as `nobody` when this process is root. */
function writeAsUser(path: string, text: string): Outcome {
  const r = spawnSync(process.execPath, [child, path, text], {
    encoding: 'utf8',
    timeout: 30_000,
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    env: { PATH: process.env.PATH ?? '', HOME: tmpdir() },
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Outcome;
}

describe('B75: a kubeconfig write that cannot happen', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'clusterdeck-b75-'));
    chmodSync(root, 0o755);
    child = join(root, 'writeKubeconfigChild.cjs');
    buildSync({
      entryPoints: [childSource],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: child,
      logLevel: 'error',
    });
    chmodSync(child, 0o644);
  });
  after(() => {
    rmSync(root, { recursive: true, force: true });
  });

  test('B75: a read-only folder: permission denied in one sentence, the original byte for byte, nothing left behind', () => {
    const dir = join(root, 'ro');
    mkdirSync(dir);
    const path = join(dir, 'config');
    writeFileSync(path, ORIGINAL, { mode: 0o644 });
    chmodSync(dir, 0o555);
    const before = statSync(path);
    const out = writeAsUser(path, NEW);
    assert.equal(out.ok, false);
    assert.equal(out.reason, 'forbidden', JSON.stringify(out));
    assert.equal(
      out.message,
      `Could not write ${path} (permission denied in ${dir}), so it was left unchanged: choose a kubeconfig file in a folder you can write, or fix that folder's permissions.`,
    );
    assert.doesNotMatch(out.message ?? '', /EACCES|Error:/);
    assert.equal(readFileSync(path, 'utf8'), ORIGINAL);
    assert.equal(statSync(path).mtimeMs, before.mtimeMs);
    assert.deepEqual(readdirSync(dir), ['config'], 'no temp file, no backup copy');
  });

  test('B75: a new kubeconfig in a read-only folder, or under one, is refused the same way and creates nothing', () => {
    const dir = join(root, 'ro-empty');
    mkdirSync(dir);
    chmodSync(dir, 0o555);
    for (const path of [join(dir, 'config'), join(dir, 'sub', 'config')]) {
      const out = writeAsUser(path, NEW);
      assert.equal(out.ok, false, path);
      assert.equal(out.reason, 'forbidden', JSON.stringify(out));
      assert.match(
        out.message ?? '',
        /permission denied in .*, so it was left unchanged: choose a kubeconfig file in a folder you can write/,
      );
    }
    assert.deepEqual(readdirSync(dir), []);
  });

  test('B75: the same user can write when the folder allows it (the refusal above is the permission, not the harness)', () => {
    const dir = join(root, 'rw');
    mkdirSync(dir);
    const path = join(dir, 'config');
    writeFileSync(path, ORIGINAL, { mode: 0o644 });
    chmodSync(dir, 0o777);
    chmodSync(path, 0o666);
    const out = writeAsUser(path, NEW);
    assert.deepEqual(out, { ok: true, created: false });
    assert.equal(readFileSync(path, 'utf8'), NEW);
  });

  test('B75: a full disk mid-write: "the disk is full", the original intact, no temp file and no backup copy left', async () => {
    const dir = join(root, 'full');
    mkdirSync(dir);
    const path = join(dir, 'config');
    writeFileSync(path, ORIGINAL);
    await assert.rejects(
      writeKubeconfig(path, NEW, {
        writeTemp: async (tmp, text) => {
          await writeFile(tmp, text.slice(0, 10));
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        },
      }),
      (e: unknown) => {
        assert.ok(e instanceof ClusterDeckError);
        assert.equal(e.message, `Could not write ${path} (the disk is full), so it was left unchanged: free some space and try again.`);
        return true;
      },
    );
    assert.equal(readFileSync(path, 'utf8'), ORIGINAL);
    assert.deepEqual(readdirSync(dir), ['config']);
  });
});
