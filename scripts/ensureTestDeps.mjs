// Installs what `npm test` needs on a fresh machine, idempotently:
//  - Debian packages (chromium for UI tests, ripgrep + libkrb5-dev for code-server's install), when root;
//  - Debian package prometheus (prometheus + promtool) for the tuning wire tests, also with CLUSTERDECK_SKIP_E2E=1;
//  - Debian packages openssh-server + shellcheck for the kubeadm-over-SSH tests (also with CLUSTERDECK_SKIP_E2E=1);
//  - code-server 4.100.3 (VS Code 1.100.3) cached under .vscode-test/code-server.
// Processes are spawned with argument arrays only (no shell).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CODE_SERVER_VERSION = '4.100.3';
const RIPGREP_VERSION = '1.15.11';
const codeServerDir = join(root, '.vscode-test', 'code-server');
export const codeServerBin = join(codeServerDir, 'node_modules', '.bin', 'code-server');

function run(cmd, args, opts = {}) {
  console.log(`[deps] ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

function which(bin) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, bin))) return join(dir, bin);
  }
  return undefined;
}

export function ensureDebianPackages({ browser = true } = {}) {
  const missing = [];
  if (browser && !existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (!which('rg')) missing.push('ripgrep');
  if (!existsSync('/usr/include/krb5.h') && !existsSync(codeServerBin)) missing.push('libkrb5-dev');
  if (!which('openssl')) missing.push('openssl');
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`Missing Debian packages: ${missing.join(', ')}. Install them (apt-get install ${missing.join(' ')}) and run again.`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', ...missing], { env });
}

/** prometheus + promtool (Debian package `prometheus`) for test/wire/tuningPrometheus.test.ts; quiet when present. */
export function ensurePrometheus() {
  if (which('prometheus') && which('promtool')) return;
  if (process.getuid?.() !== 0) {
    throw new Error('Missing Debian package: prometheus. Install it (apt-get install prometheus) and run again.');
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'prometheus'], { env });
  if (!which('promtool')) throw new Error('prometheus installed without promtool');
}

/** sshd (Debian `openssh-server`) and `shellcheck` for the kubeadm-over-SSH tests; quiet when present. */
export function ensureSshAndShellcheck() {
  const missing = [];
  if (!existsSync('/usr/sbin/sshd')) missing.push('openssh-server');
  if (!which('ssh-keygen')) missing.push('openssh-client');
  if (!which('shellcheck')) missing.push('shellcheck');
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`Missing Debian packages: ${missing.join(', ')}. Install them (apt-get install ${missing.join(' ')}) and run again.`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
}

export function ensureCodeServer() {
  if (existsSync(codeServerBin)) return;
  // @vscode/ripgrep downloads rg in its postinstall unless its cache holds the archive: seed it with Debian's rg.
  const cache = join(tmpdir(), `vscode-ripgrep-cache-${RIPGREP_VERSION}`);
  const archive = join(cache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (!existsSync(archive)) {
    mkdirSync(cache, { recursive: true });
    const pack = mkdtempSync(join(tmpdir(), 'rg-pack-'));
    copyFileSync(which('rg'), join(pack, 'rg'));
    run('tar', ['czf', archive, '-C', pack, 'rg']);
    rmSync(pack, { recursive: true, force: true });
  }
  mkdirSync(codeServerDir, { recursive: true });
  run('npm', ['init', '-y'], { cwd: codeServerDir, stdio: 'ignore' });
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: codeServerDir,
    env: { ...process.env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' },
  });
  if (!existsSync(codeServerBin)) throw new Error('code-server did not install');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensurePrometheus();
  ensureSshAndShellcheck();
  if (process.env.CLUSTERDECK_SKIP_E2E === '1') {
    console.log('[deps] CLUSTERDECK_SKIP_E2E=1: not installing the VS Code test workbench');
  } else {
    ensureDebianPackages();
    ensureCodeServer();
  }
}
