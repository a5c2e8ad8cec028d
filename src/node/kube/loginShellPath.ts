import { spawn } from 'node:child_process';
import { delimiter } from 'node:path';

/**
 * The PATH of the user's login shell (`$SHELL -l -c env`), which is where Homebrew, gcloud, asdf and friends add
 * their directories; an editor started from a desktop launcher often has a shorter PATH. Read once per session,
 * argv array (no command string built from data), 5 s limit, empty on any failure or on Windows. Never called in
 * an untrusted workspace (the factory refuses first).
 */
export function readLoginShellPath(options: { shell?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const env = options.env ?? process.env;
  const shell = options.shell ?? env.SHELL;
  if (process.platform === 'win32' || !shell) return Promise.resolve('');
  return new Promise((resolve) => {
    let out = '';
    let settled = false;
    const done = (value: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(value);
    };
    const child = spawn(shell, ['-l', '-c', 'env'], {
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: true,
      windowsHide: true,
    });
    const timer = setTimeout(() => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      done('');
    }, options.timeoutMs ?? 5_000);
    child.stdout.on('data', (c: Buffer) => {
      if (out.length < 1_000_000) out += c.toString('utf8');
    });
    child.on('error', () => done(''));
    child.on('close', () => done(/^PATH=(.*)$/m.exec(out)?.[1] ?? ''));
  });
}

/** The login shell's PATH entries first, then the editor's own, without duplicates or empty entries. */
export function mergePaths(loginPath: string, ownPath: string | undefined): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const dir of [...loginPath.split(delimiter), ...(ownPath ?? '').split(delimiter)]) {
    if (dir && !seen.has(dir)) {
      seen.add(dir);
      out.push(dir);
    }
  }
  return out.join(delimiter);
}
