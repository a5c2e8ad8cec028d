import { constants } from 'node:fs';
import { open, stat, unlink } from 'node:fs/promises';
import { ClusterDeckError } from '../../core/errors';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { mergeKubeconfigs, type KubeconfigProblem, type KubeconfigSource, type MergedKubeconfig } from '../../core/kube/kubeconfig';
import { kubeconfigPathList } from '../../core/kube/kubeconfigList';

/** A kubeconfig larger than this is refused (a kubeconfig is a few KiB; reliability S12: 2 MiB). */
const MAX_KUBECONFIG_BYTES = 2 * 1024 * 1024;

/**
 * Reads one kubeconfig file, bounded: only regular files (a directory, FIFO or device such as /dev/zero is refused
 * before reading; the open is non-blocking so a FIFO cannot hang it), at most 2 MiB, decoded as UTF-8 (UTF-16 with a
 * BOM is decoded too); other encodings are refused with a clear message.
 */
async function readKubeconfigFile(path: string): Promise<{ text: string } | { problem: string }> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stat = await handle.stat();
    if (!stat.isFile())
      return { problem: `Not a regular file (${stat.isDirectory() ? 'a directory' : 'a pipe or device'}); it is not read.` };
    if (stat.size > MAX_KUBECONFIG_BYTES)
      return { problem: `The file is ${(stat.size / 1048576).toFixed(1)} MiB; a kubeconfig over 2 MiB is not read.` };
    const buf = Buffer.alloc(Math.min(stat.size, MAX_KUBECONFIG_BYTES + 1));
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    const bytes = buf.subarray(0, bytesRead);
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: bytes.subarray(2).toString('utf16le') };
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: Buffer.from(bytes.subarray(2)).swap16().toString('utf16le') };
    const text = bytes.toString('utf8');
    if (text.includes('\uFFFD')) return { problem: 'The file is not UTF-8 text (save it as UTF-8); it is not read.' };
    return { text: text.replace(/^\uFEFF/, '') };
  } finally {
    await handle.close();
  }
}

/**
 * The kubeconfig paths kubectl would read on this machine: the `KUBECONFIG` list split on this platform's
 * delimiter (else `~/.kube/config`), then the extra machine-scoped files (core/kube/kubeconfigList.ts).
 */
export function kubeconfigPaths(env: NodeJS.ProcessEnv, extra: readonly string[], home = homedir()): string[] {
  return kubeconfigPathList(env.KUBECONFIG, extra, home, process.platform, process.cwd());
}

/** The file kubectl reads when `KUBECONFIG` is unset: its absence is normal (no kubeconfig yet), not a warning. */
export function defaultKubeconfigPath(home = homedir()): string {
  return join(home, '.kube', 'config');
}

/** How `loadKubeconfigs` treats missing files and `<file>.lock`. */
export interface LoadKubeconfigOptions {
  /** Paths whose absence is silent (default: `~/.kube/config`); every other missing path is a warning. */
  readonly optional?: readonly string[];
  /** How long to wait for another program's `<file>.lock` to go away before reading anyway (default 1,000 ms). */
  readonly lockWaitMs?: number;
  /** How often to look again while a lock is there (default 50 ms). */
  readonly lockPollMs?: number;
}

/**
 * Lock files already waited out in vain, by path, with the mtime they had: a lock left behind by a crashed kubectl
 * delays one load, not every load after it (a new lock, with another mtime, is waited for again).
 */
const staleLocks = new Map<string, number>();

/**
 * Waits while `<path>.lock` exists: kubectl (client-go `lockFile`) holds it while it rewrites the file, so reading
 * then could see a half-written file. Returns a warning when the lock outlived the wait (the file is read anyway).
 */
async function waitForLock(path: string, waitMs: number, pollMs: number): Promise<string | undefined> {
  const lock = `${path}.lock`;
  const lockMtime = async (): Promise<number | undefined> => {
    try {
      return (await stat(lock)).mtimeMs;
    } catch {
      return undefined;
    }
  };
  let mtime = await lockMtime();
  if (mtime === undefined) return undefined;
  if (staleLocks.get(lock) === mtime) return staleLockWarning(lock, waitMs);
  const deadline = Date.now() + waitMs;
  while (mtime !== undefined && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, pollMs));
    mtime = await lockMtime();
  }
  if (mtime === undefined) return undefined;
  staleLocks.set(lock, mtime);
  return staleLockWarning(lock, waitMs);
}

function staleLockWarning(lock: string, waitMs: number): string {
  return `The lock file ${lock} was still there after ${waitMs} ms (left by a program that stopped while writing?); the file was read anyway. Remove the lock file if no kubectl is running.`;
}

/**
 * Runs `write` while holding `<path>.lock`, as kubectl (client-go `lockFile`) does around its writes, so kubectl and
 * ClusterDeck never rewrite the same kubeconfig at once. Waits up to `waitMs` for another writer's lock; a lock that
 * outlives that is a `conflict` error naming it. The lock is removed afterwards, also on failure.
 */
export async function withKubeconfigLock<T>(
  path: string,
  write: () => Promise<T>,
  options: { waitMs?: number; pollMs?: number } = {},
): Promise<T> {
  const lock = `${path}.lock`;
  const deadline = Date.now() + (options.waitMs ?? 2_000);
  for (;;) {
    try {
      await (await open(lock, 'wx', 0o600)).close();
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (Date.now() >= deadline)
        throw new ClusterDeckError(
          'conflict',
          `Another program is writing ${path} (the lock file ${lock} exists); try again, or remove the lock file if no kubectl is running.`,
          { file: path },
        );
      await new Promise((r) => setTimeout(r, options.pollMs ?? 50));
    }
  }
  try {
    return await write();
  } finally {
    await unlink(lock).catch(() => undefined);
  }
}

/**
 * Reads and merges the files. A listed file that does not exist is skipped with a warning (kubectl skips it
 * silently); when every listed file is missing, that is one error naming them. A file another program is
 * rewriting (`<file>.lock` exists) is read once the lock is gone. An unreadable file becomes a problem.
 */
export async function loadKubeconfigs(paths: readonly string[], options: LoadKubeconfigOptions = {}): Promise<MergedKubeconfig> {
  const optional = new Set(options.optional ?? [defaultKubeconfigPath()]);
  const sources: KubeconfigSource[] = [];
  const problems: KubeconfigProblem[] = [];
  const missing: string[] = [];
  for (const path of paths) {
    try {
      const lockWarning = await waitForLock(path, options.lockWaitMs ?? 1_000, options.lockPollMs ?? 50);
      if (lockWarning) problems.push({ path, severity: 'warning', message: lockWarning });
      const read = await readKubeconfigFile(path);
      if ('problem' in read) problems.push({ path, message: read.problem });
      else sources.push({ path, text: read.text });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        if (!optional.has(path)) missing.push(path);
        continue;
      }
      problems.push({ path, message: `Cannot read the file (${code ?? (e as Error).message}).` });
    }
  }
  const listed = paths.filter((p) => !optional.has(p));
  if (missing.length > 0 && missing.length === listed.length && sources.length === 0 && problems.length === 0) {
    const what = missing.length === 1 ? 'The kubeconfig file' : `None of the ${missing.length} kubeconfig files`;
    problems.push({
      path: missing[0] ?? '',
      message: `${what} listed in KUBECONFIG or clusterdeck.kubeconfigs ${missing.length === 1 ? 'does not exist' : 'exists'}: ${missing.join(', ')}. Fix the list or create the file.`,
    });
  } else {
    for (const path of missing)
      problems.push({
        path,
        severity: 'warning',
        message: 'The file is listed in KUBECONFIG or clusterdeck.kubeconfigs but does not exist; it was skipped.',
      });
  }
  const merged = mergeKubeconfigs(sources);
  return { ...merged, files: paths, problems: [...problems, ...merged.problems] };
}
