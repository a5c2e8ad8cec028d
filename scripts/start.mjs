// `npm start`: builds ClusterDeck and opens it in VS Code with the examples/ workspace.
//  - desktop VS Code when the `code` command exists (--extensionDevelopmentPath), else code-server on
//    127.0.0.1 (the URL is printed; Ctrl-C stops everything this script started);
//  - with no kubeconfig (KUBECONFIG files or ~/.kube/config), it starts the sample cluster (the fake API
//    server with demo data) and points this session's KUBECONFIG at it; with one, your clusters are used
//    untouched.
// Options: --no-open (code-server only, do not try desktop VS Code), --port N (code-server port, default 0).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeServerBin, ensureCodeServer, ensureDebianPackages } from './ensureTestDeps.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const forceCodeServer = argv.includes('--no-open') || process.env.CLUSTERDECK_START_CODE_SERVER === '1';
const portArg = argv.includes('--port') ? argv[argv.indexOf('--port') + 1] : '0';
const children = [];
const tmp = mkdtempSync(join(tmpdir(), 'clusterdeck-start-'));
const say = (s) => console.log(`[start] ${s}`);

function which(bin) {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((d) => join(d, bin))
    .find((p) => existsSync(p));
}

function stopAll(code) {
  for (const c of children.reverse()) {
    if (c.exitCode === null && c.pid) {
      try {
        process.kill(c.detached ? -c.pid : c.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

function waitForLine(child, re, what, timeoutMs = 120_000) {
  return new Promise((resolveLine, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start in ${timeoutMs / 1000} s:\n${buf}`)), timeoutMs);
    const onData = (chunk) => {
      buf += chunk.toString();
      const m = re.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolveLine(m);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}:\n${buf}`)));
  });
}

async function main() {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');

  const env = { ...process.env };
  const kubeconfigs = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  const existing = (kubeconfigs.length ? kubeconfigs : [join(homedir(), '.kube', 'config')]).filter((p) => existsSync(p));
  if (existing.length) {
    say(`using your kubeconfig: ${existing.join(', ')} (never modified)`);
  } else {
    say('no kubeconfig found: starting the sample cluster (a local fake Kubernetes API with demo data)');
    const kubeconfig = join(tmp, 'sample-kubeconfig.yaml');
    const sample = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'test', 'fakes', 'sampleCluster.ts'), '--kubeconfig', kubeconfig],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(sample);
    const m = await waitForLine(sample, /SAMPLE_CLUSTER_READY (\S+) (\S+)/, 'the sample cluster', 60_000);
    say(`sample cluster at ${m[1]}; KUBECONFIG=${m[2]} for this session`);
    env.KUBECONFIG = m[2];
  }

  const workspace = join(root, 'examples');
  const code = forceCodeServer ? undefined : which('code');
  if (code) {
    say(`opening desktop VS Code with ${workspace}`);
    const vsc = spawn(code, ['--new-window', '--wait', `--extensionDevelopmentPath=${root}`, workspace], { env, stdio: 'inherit' });
    children.push(vsc);
    vsc.on('exit', () => stopAll(0));
    return;
  }

  ensureDebianPackages({ browser: false });
  ensureCodeServer();
  const extensionsDir = join(tmp, 'extensions');
  const ext = join(extensionsDir, 'clusterdeck.clusterdeck-0.1.0');
  mkdirSync(ext, { recursive: true });
  for (const entry of ['package.json', 'dist', 'media', 'snippets']) symlinkSync(join(root, entry), join(ext, entry));
  const userData = join(tmp, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify({ 'workbench.startupEditor': 'none', 'git.openRepositoryInParentFolders': 'never' }),
  );
  const server = spawn(
    codeServerBin,
    [
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${portArg}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--extensions-dir',
      extensionsDir,
      '--user-data-dir',
      userData,
      workspace,
    ],
    {
      env: { ...env, XDG_CONFIG_HOME: join(tmp, 'config'), XDG_DATA_HOME: join(tmp, 'data') },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(server);
  const m = await waitForLine(server, /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/, 'code-server');
  say(`ClusterDeck is running in VS Code (code-server): http://127.0.0.1:${m[1]}/?folder=${encodeURIComponent(workspace)}`);
  say('press Ctrl-C to stop everything this command started');
  server.on('exit', () => stopAll(0));
}

main().catch((e) => {
  console.error(`[start] ${e.message}`);
  stopAll(1);
});
