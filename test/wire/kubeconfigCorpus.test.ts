/**
 * Golden corpus of the kubeconfig loading rules (reliability K1): every folder of test/fixtures/kubeconfig is
 * copied to a temp dir, loaded through `kubeconfigPaths` + `loadKubeconfigs` from real files, and a secret-free
 * projection of the result is compared with its expected.json (written to client-go `loader.go` semantics).
 *
 * Problems carry file, line, column and severity (a missing listed file is a `warning`); `shadowed` lists the
 * definitions a later file repeats in vain ("shadowed by" the first file defining the name).
 *
 * Case layout: kubeconfig files, `env.json` = { KUBECONFIG?: string[] | string, extra?: string[], home?: string }.
 * Array entries are relative to the case folder (`~/…` is left for the loader to expand against `home`); a string
 * is passed raw with `{case}` replaced by the temp dir. Without KUBECONFIG, `<home>/.kube/config` is read.
 *
 * Regenerate: UPDATE_GOLDEN=1 node --import tsx --test test/wire/kubeconfigCorpus.test.ts — then review every
 * changed expected.json by eye before keeping it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, relative, sep } from 'node:path';
import { defaultKubeconfigPath, kubeconfigPaths, loadKubeconfigs } from '../../src/node/kube/kubeconfigFiles';
import { detectProvider } from '../../src/core/kube/detectProvider';
import type { MergedKubeconfig, UserEntry } from '../../src/core/kube/kubeconfig';

const CORPUS = join(__dirname, '..', 'fixtures', 'kubeconfig');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

interface CaseEnv {
  readonly KUBECONFIG?: readonly string[] | string;
  readonly extra?: readonly string[];
  readonly home?: string;
}

/** A path inside the temp copy becomes relative to the case (POSIX separators); others stay as they are. */
function rel(root: string, p: string | undefined): string | undefined {
  if (p === undefined) return undefined;
  if (!isAbsolute(p)) return p;
  const r = relative(root, p);
  return r.startsWith('..') || isAbsolute(r) ? p : r.split(sep).join('/');
}

function authKind(u: UserEntry): string {
  if (u.exec) return 'exec';
  if (u.authProviderName) return 'authProvider';
  if (u.clientCertificateFile || u.clientCertificateData || u.clientKeyFile || u.clientKeyData) return 'cert';
  if (u.token) return 'token';
  if (u.tokenFile) return 'tokenFile';
  if (u.username || u.password) return 'basic';
  return 'none';
}

/** Secret-free: presence flags for data and tokens, names (never values) for exec env. */
function project(root: string, m: MergedKubeconfig, paths: readonly string[]): unknown {
  const strip = <T extends object>(o: T): T => JSON.parse(JSON.stringify(o)) as T; // drops undefined
  return strip({
    files: paths.map((p) => rel(root, p)),
    currentContext: m.currentContext ?? null,
    contexts: m.contexts.map((c) => ({
      name: c.name,
      cluster: c.clusterName,
      user: c.userName,
      namespace: c.namespace,
      sourcePath: rel(root, c.sourcePath),
      provider: detectProvider(c, m.clusters.get(c.clusterName), m.users.get(c.userName)),
      clusterFound: m.clusters.has(c.clusterName),
      userFound: m.users.has(c.userName),
    })),
    clusters: [...m.clusters.values()].map((c) => ({
      name: c.name,
      server: c.server,
      insecure: c.insecureSkipTlsVerify,
      caFile: rel(root, c.certificateAuthorityFile),
      caData: c.certificateAuthorityData !== undefined,
      tlsServerName: c.tlsServerName,
      proxyUrl: c.proxyUrl,
      sourcePath: rel(root, c.sourcePath),
    })),
    users: [...m.users.values()].map((u) => ({
      name: u.name,
      auth: authKind(u),
      token: u.token !== undefined,
      tokenFile: rel(root, u.tokenFile),
      clientCertificateFile: rel(root, u.clientCertificateFile),
      clientCertificateData: u.clientCertificateData !== undefined,
      clientKeyFile: rel(root, u.clientKeyFile),
      clientKeyData: u.clientKeyData !== undefined,
      basic: u.username !== undefined || u.password !== undefined,
      authProvider: u.authProviderName,
      exec: u.exec && {
        apiVersion: u.exec.apiVersion,
        command: rel(root, u.exec.command),
        args: u.exec.args,
        envNames: u.exec.env.map((e) => e.name),
        interactiveMode: u.exec.interactiveMode,
        installHint: u.exec.installHint !== undefined,
        provideClusterInfo: u.exec.provideClusterInfo,
      },
      sourcePath: rel(root, u.sourcePath),
    })),
    problems: m.problems.map((p) => ({
      file: rel(root, p.path),
      line: p.line,
      column: p.column,
      severity: p.severity,
      message: p.message,
    })),
    shadowed: (m.shadowed ?? []).map((s) => ({ kind: s.kind, name: s.name, file: rel(root, s.path), shadowedBy: rel(root, s.shadowedBy) })),
  });
}

interface Expected {
  problems: { file: string; line?: number; column?: number; severity?: string; message: string }[];
  [key: string]: unknown;
}

/** Problem messages are matched as substrings (expected.json may shorten them); everything else exactly. */
function compare(actual: Expected, expected: Expected): void {
  assert.deepEqual(
    actual.problems.map((p) => [p.file, p.line, p.column, p.severity ?? 'error']),
    expected.problems.map((p) => [p.file, p.line, p.column, p.severity ?? 'error']),
    'problems (file, line, column, severity)',
  );
  actual.problems.forEach((p, i) => {
    const want = expected.problems[i]?.message ?? '';
    assert.ok(p.message.includes(want), `problem ${i}: "${p.message}" does not contain "${want}"`);
  });
  assert.deepEqual({ ...actual, problems: [] }, { ...expected, problems: [] });
}

const cases = readdirSync(CORPUS, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe('kubeconfig golden corpus (K1)', () => {
  test('has at least 40 cases', () => {
    assert.ok(cases.length >= 40, `${cases.length} cases`);
  });

  for (const name of cases) {
    test(name, async () => {
      const root = await mkdtemp(join(tmpdir(), `cd-kcfg-${name}-`));
      try {
        await cp(join(CORPUS, name), root, { recursive: true });
        const env = JSON.parse(await readFile(join(root, 'env.json'), 'utf8')) as CaseEnv;
        const home = join(root, env.home ?? 'home');
        const toPath = (p: string): string => (p === '' || p.startsWith('~/') || isAbsolute(p) ? p : join(root, p));
        const kubeconfig =
          typeof env.KUBECONFIG === 'string' ? env.KUBECONFIG.replaceAll('{case}', root) : env.KUBECONFIG?.map(toPath).join(delimiter);
        const paths = kubeconfigPaths(kubeconfig === undefined ? {} : { KUBECONFIG: kubeconfig }, (env.extra ?? []).map(toPath), home);
        // As kubectl: a missing default file (no KUBECONFIG) is normal; a missing listed file is a warning.
        const optional = kubeconfig === undefined ? [defaultKubeconfigPath(home)] : [];
        const actual = project(root, await loadKubeconfigs(paths, { optional }), paths) as Expected;
        const expectedFile = join(CORPUS, name, 'expected.json');
        if (UPDATE) {
          const previous = await readFile(expectedFile, 'utf8').catch(() => '');
          const next = JSON.stringify(actual, null, 2) + '\n';
          if (previous !== next) await writeFile(expectedFile, next);
          return;
        }
        compare(actual, JSON.parse(await readFile(expectedFile, 'utf8')) as Expected);
      } finally {
        await rm(root, { recursive: true, force: true });
      }
    });
  }
});
