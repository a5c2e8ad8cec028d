// Credential plugins installed where only the login shell's PATH looks (Homebrew, gcloud SDK, asdf): the factory
// reads `$SHELL -l -c env` once and searches that PATH before the editor's own, so such a plugin is found.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterDeckError } from '../../src/core/errors';
import type { ExecApprovals } from '../../src/core/kube/execApproval';
import { mergeKubeconfigs, resolveContext } from '../../src/core/kube/kubeconfig';
import { mergePaths, readLoginShellPath } from '../../src/node/kube/loginShellPath';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';

const approvals: ExecApprovals = { isApproved: () => false, approve: () => Promise.resolve() };

describe('login-shell PATH for credential plugins', () => {
  let dir = '';
  let shell = '';
  let binDir = '';
  const plugin = 'clusterdeck-login-path-plugin';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-login-'));
    binDir = join(dir, 'brew', 'bin');
    mkdirSync(binDir, { recursive: true });
    writeFileSync(join(binDir, plugin), '#!/bin/sh\nexit 0\n');
    chmodSync(join(binDir, plugin), 0o755);
    // A stand-in login shell: whatever its arguments, it prints an environment whose PATH has the plugin's dir.
    shell = join(dir, 'fake-login-shell');
    writeFileSync(shell, `#!/bin/sh\necho "HOME=/nowhere"\necho "PATH=${binDir}:/usr/bin:/bin"\n`);
    chmodSync(shell, 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('reads PATH from the login shell; a shell that fails or hangs gives an empty PATH in time', async () => {
    assert.equal(await readLoginShellPath({ shell }), `${binDir}:/usr/bin:/bin`);
    assert.equal(await readLoginShellPath({ shell: join(dir, 'no-such-shell') }), '');
    const hanging = join(dir, 'hanging-shell');
    writeFileSync(hanging, '#!/bin/sh\nsleep 30\n');
    chmodSync(hanging, 0o755);
    const started = Date.now();
    assert.equal(await readLoginShellPath({ shell: hanging, timeoutMs: 300 }), '');
    assert.ok(Date.now() - started < 5_000);
  });

  test('login-shell entries first, no duplicates or empty entries', () => {
    assert.equal(mergePaths('/a:/b::/c', '/b:/d:'), '/a:/b:/c:/d');
    assert.equal(mergePaths('', '/x'), '/x');
  });

  test('a plugin only on the login-shell PATH is found (then approval is asked); without it, it is missing', async () => {
    const config = mergeKubeconfigs([
      {
        path: join(dir, 'kubeconfig'),
        text: `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: ${plugin}}}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\n`,
      },
    ]);
    const resolved = resolveContext(config, 'x');
    const withLogin = new SdkKubeClientFactory({
      requestTimeoutMs: () => 1_000,
      approvals,
      isTrusted: () => true,
      loginShellPath: () => readLoginShellPath({ shell }),
    });
    const found = await withLogin.createClient(resolved).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(found instanceof ClusterDeckError && found.reason === 'needsApproval', String(found));
    const without = new SdkKubeClientFactory({
      requestTimeoutMs: () => 1_000,
      approvals,
      isTrusted: () => true,
      loginShellPath: () => Promise.resolve(''),
    });
    const missing = await without.createClient(resolved).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(missing instanceof ClusterDeckError && missing.reason === 'missingPlugin', String(missing));
  });
});
