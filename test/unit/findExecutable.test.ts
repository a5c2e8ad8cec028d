import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from '../../src/node/kube/findExecutable';
import { installHint } from '../../src/core/kube/installHints';

const posixOnly = process.platform === 'win32' ? 'POSIX file modes' : false;

describe('findExecutable (credential plugins, K4)', { skip: posixOnly }, () => {
  let root = '';
  let home = '';
  const fake = async (dir: string, name: string, mode = 0o755): Promise<string> => {
    await mkdir(dir, { recursive: true });
    const file = join(dir, name);
    await writeFile(file, '#!/bin/sh\nexit 0\n');
    await chmod(file, mode);
    return file;
  };

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'cd-findexe-'));
    home = join(root, 'home');
    await fake(join(root, 'p1'), 'kubectl');
    await fake(join(root, 'p2'), 'kubectl');
    await fake(join(root, 'p1'), 'notexec', 0o644);
    await fake(join(root, 'p2'), 'notexec');
    await mkdir(join(root, 'p1', 'adir'), { recursive: true });
    await fake(join(root, 'p2'), 'adir');
    await fake(join(home, 'google-cloud-sdk', 'bin'), 'cd-fake-gke-plugin');
    await fake(join(home, '.azure-kubelogin'), 'cd-fake-kubelogin');
    await fake(join(root, 'cfg', 'bin'), 'get-token');
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const env = (...dirs: string[]) => ({ PATH: dirs.join(':') });

  test('the first PATH directory holding an executable file wins', () => {
    const r = findExecutable('kubectl', { env: env(join(root, 'p1'), join(root, 'p2')), home, platform: 'linux' });
    assert.equal(r.path, join(root, 'p1', 'kubectl'));
    assert.equal(r.searched[0], join(root, 'p1'));
  });

  test('files without the execute bit and directories are skipped', () => {
    const opts = { env: env(join(root, 'p1'), join(root, 'p2')), home, platform: 'linux' as const };
    assert.equal(findExecutable('notexec', opts).path, join(root, 'p2', 'notexec'));
    assert.equal(findExecutable('adir', opts).path, join(root, 'p2', 'adir'));
  });

  test('the usual install dirs under home are searched after PATH', () => {
    const opts = { env: env(join(root, 'p1')), home, platform: 'linux' as const };
    assert.equal(findExecutable('cd-fake-gke-plugin', opts).path, join(home, 'google-cloud-sdk', 'bin', 'cd-fake-gke-plugin'));
    assert.equal(findExecutable('cd-fake-kubelogin', opts).path, join(home, '.azure-kubelogin', 'cd-fake-kubelogin'));
  });

  test('a missing binary lists every directory searched, PATH first, then the install dirs, without duplicates', () => {
    const r = findExecutable('aws-definitely-missing', {
      env: env(join(root, 'p1'), '', 'relative/bin', '/usr/local/bin', join(root, 'p1')),
      home,
      platform: 'linux',
    });
    assert.equal(r.path, undefined);
    assert.deepEqual(r.searched, [
      join(root, 'p1'),
      '/usr/local/bin',
      '/opt/homebrew/bin',
      join(home, '.local/bin'),
      join(home, 'google-cloud-sdk/bin'),
      '/usr/lib/google-cloud-sdk/bin',
      join(home, '.azure-kubelogin'),
      join(home, 'bin'),
      '/snap/bin',
    ]);
  });

  test('an empty PATH still searches the install dirs', () => {
    const r = findExecutable('cd-fake-kubelogin', { env: {}, home, platform: 'linux' });
    assert.equal(r.path, join(home, '.azure-kubelogin', 'cd-fake-kubelogin'));
  });

  test('a command with a slash is checked as is, not searched on PATH', () => {
    const abs = join(root, 'cfg', 'bin', 'get-token');
    assert.deepEqual(findExecutable(abs, { env: env(join(root, 'p1')), home, platform: 'linux' }), {
      path: abs,
      searched: [join(root, 'cfg', 'bin')],
    });
    const missing = findExecutable(join(root, 'cfg', 'bin', 'nope'), { env: env(join(root, 'p1')), home, platform: 'linux' });
    assert.equal(missing.path, undefined);
    assert.deepEqual(missing.searched, [join(root, 'cfg', 'bin')]);
    assert.equal(findExecutable('', { env: env(join(root, 'p1')), home, platform: 'linux' }).path, undefined);
  });
});

describe('installHint', () => {
  test('names how to install each known plugin, whatever its directory', () => {
    assert.match(installHint('aws') ?? '', /AWS CLI v2.*aws eks update-kubeconfig/s);
    assert.match(installHint('/usr/local/bin/aws') ?? '', /AWS CLI v2/);
    assert.match(installHint('gke-gcloud-auth-plugin') ?? '', /gcloud components install gke-gcloud-auth-plugin/);
    assert.match(installHint('gke-gcloud-auth-plugin') ?? '', /apt-get install google-cloud-cli-gke-gcloud-auth-plugin/);
    assert.match(installHint('C:\\tools\\kubelogin.exe') ?? '', /az aks install-cli/);
    assert.equal(installHint('my-own-plugin'), undefined);
  });

  test("the kubeconfig's installHint comes first", () => {
    const hint = installHint('kubelogin', 'Ask the platform team: https://wiki.example/kubelogin');
    assert.match(hint ?? '', /^Ask the platform team.*\n.*az aks install-cli/s);
    assert.equal(installHint('my-own-plugin', '  run make plugin  '), 'run make plugin');
  });
});
