import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

export interface FindExecutableOptions {
  /** The environment whose PATH (and PATHEXT on Windows) is searched; pass the login-shell env when known. */
  readonly env?: NodeJS.ProcessEnv;
  readonly home?: string;
  readonly platform?: NodeJS.Platform;
}

export interface FoundExecutable {
  /** The absolute path of the executable, when found. */
  readonly path?: string;
  /** The directories searched, in order (for the "not found" message). */
  readonly searched: readonly string[];
}

/** Where the usual installers put kubectl credential plugins, searched after PATH. `~` is the home directory. */
const POSIX_DIRS = [
  '/usr/local/bin',
  '/opt/homebrew/bin',
  '~/.local/bin',
  '~/google-cloud-sdk/bin',
  '/usr/lib/google-cloud-sdk/bin',
  '~/.azure-kubelogin',
  '~/bin',
  '/snap/bin',
];
const WINDOWS_DIRS = [
  '~\\AppData\\Local\\Microsoft\\WinGet\\Links',
  '~\\AppData\\Local\\Google\\Cloud SDK\\google-cloud-sdk\\bin',
  '~\\.azure-kubelogin',
  'C:\\Program Files\\Amazon\\AWSCLIV2',
];

/**
 * Resolves a credential-plugin command the way a shell would, plus the usual install directories, so a
 * "not found" error can list where we looked. A command with a path separator is checked as is (client-go
 * already resolved a relative one against its kubeconfig). Does no process spawn.
 */
export function findExecutable(command: string, options: FindExecutableOptions = {}): FoundExecutable {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const home = options.home ?? homedir();
  const windows = platform === 'win32';
  const path = windows ? win32 : posix;
  const exts = windows ? windowsExtensions(command, env) : [''];

  if (command === '') return { searched: [] };
  if (command.includes('/') || (windows && command.includes('\\'))) {
    const hit = exts.map((e) => command + e).find((c) => isExecutable(c, windows));
    return { ...(hit ? { path: hit } : {}), searched: [path.dirname(command)] };
  }

  const pathVar = (windows ? (env.Path ?? env.PATH ?? env.path) : env.PATH) ?? '';
  const dirs = [...pathVar.split(path.delimiter), ...(windows ? WINDOWS_DIRS : POSIX_DIRS)]
    .map((d) => d.trim())
    .filter((d) => d !== '')
    .map((d) => (d === '~' ? home : d.startsWith('~/') || d.startsWith('~\\') ? path.join(home, d.slice(2)) : d))
    .filter((d) => path.isAbsolute(d)); // a relative PATH entry depends on the cwd: never trust it
  const searched = [...new Set(dirs)];
  for (const dir of searched) {
    for (const ext of exts) {
      const candidate = path.join(dir, command + ext);
      if (isExecutable(candidate, windows)) return { path: candidate, searched };
    }
  }
  return { searched };
}

function windowsExtensions(command: string, env: NodeJS.ProcessEnv): string[] {
  const pathext = (env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((e) => e !== '');
  const hasExt = pathext.some((e) => command.toLowerCase().endsWith(e.toLowerCase()));
  return hasExt ? [''] : pathext.map((e) => e.toLowerCase());
}

function isExecutable(file: string, windows: boolean): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (!windows) accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
