// Writes a kubeconfig file the safe way: the previous content kept as a timestamped backup, the new content written
// to a temp file in the same directory and renamed over the old one (atomic on one filesystem), the mode kept.
import { chmod, copyFile, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ClusterDeckError } from '../../core/errors';

export interface KubeconfigWriteResult {
  readonly path: string;
  /** The backup of the previous content; absent when the file did not exist. */
  readonly backupPath?: string;
  readonly created: boolean;
}

export interface KubeconfigWriteOptions {
  /** For the backup's timestamp; default now. */
  readonly now?: Date;
  /** Test hook: writes the temp file (default: open, write, fsync, close). */
  readonly writeTemp?: (path: string, text: string, mode: number) => Promise<void>;
}

/** The file's text, '' when it does not exist. */
export async function readKubeconfigText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new ClusterDeckError(
      'badConfig',
      `Cannot read the kubeconfig file ${path}; check its permissions.`,
      { file: path },
      { cause: e },
    );
  }
}

/** `<file>.clusterdeck-backup-YYYYMMDDTHHMMSS` (UTC). */
export function backupPathFor(path: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, '');
  return `${path}.clusterdeck-backup-${stamp}`;
}

/**
 * Replaces `path` with `text`. An existing file is first copied to a timestamped backup (same mode); the new
 * content goes to a temp file beside it (mode 0600 for a new file, else the old mode) and is renamed over it, so a
 * failure at any point leaves the old file whole. The directory is created (0700) when missing.
 */
export async function writeKubeconfig(path: string, text: string, options: KubeconfigWriteOptions = {}): Promise<KubeconfigWriteResult> {
  const dir = dirname(path);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw writeFailure(path, e);
  }
  let mode = 0o600;
  let exists = false;
  try {
    const s = await stat(path);
    if (!s.isFile())
      throw new ClusterDeckError('badConfig', `${path} is not a regular file; choose another kubeconfig file.`, { file: path });
    mode = s.mode & 0o777;
    exists = true;
  } catch (e) {
    if (e instanceof ClusterDeckError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw writeFailure(path, e);
  }
  let backupPath: string | undefined;
  const tmp = join(dir, `.${basename(path)}.clusterdeck-${process.pid}-${Date.now()}.tmp`);
  try {
    if (exists) {
      backupPath = await freeName(backupPathFor(path, options.now ?? new Date()));
      await copyFile(path, backupPath);
      await chmod(backupPath, mode);
    }
    await (options.writeTemp ?? writeSynced)(tmp, text, mode);
    await chmod(tmp, mode);
    await rename(tmp, path);
  } catch (e) {
    // Nothing half-done stays behind: the original is untouched (the rename is the only step that changes it), so
    // the temp file and the backup copy of the unchanged original are both removed.
    await unlink(tmp).catch(() => undefined);
    if (backupPath) await unlink(backupPath).catch(() => undefined);
    throw writeFailure(path, e);
  }
  return { path, ...(backupPath ? { backupPath } : {}), created: !exists };
}

/** One sentence for a write that failed (catalogue B75): the cause in words (never the raw error), and what to do. */
function writeFailure(path: string, e: unknown): ClusterDeckError {
  const code = (e as NodeJS.ErrnoException).code;
  const dir = dirname(path);
  const [reason, message] =
    code === 'EACCES' || code === 'EPERM'
      ? ([
          'forbidden',
          `Could not write ${path} (permission denied in ${dir}), so it was left unchanged: choose a kubeconfig file in a folder you can write, or fix that folder's permissions.`,
        ] as const)
      : code === 'EROFS'
        ? ([
            'forbidden',
            `Could not write ${path} (${dir} is on a read-only file system), so it was left unchanged: choose a kubeconfig file on a writable disk.`,
          ] as const)
        : code === 'ENOSPC' || code === 'EDQUOT'
          ? (['unknown', `Could not write ${path} (the disk is full), so it was left unchanged: free some space and try again.`] as const)
          : ([
              'unknown',
              `Could not write ${path}, so it was left unchanged: check the folder's permissions and free space, then try again.`,
            ] as const);
  return new ClusterDeckError(reason, message, { file: path }, { cause: e });
}

async function writeSynced(path: string, text: string, mode: number): Promise<void> {
  const handle = await open(path, 'wx', mode);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The name itself when free, else with -1, -2… (two writes within one second). */
async function freeName(candidate: string): Promise<string> {
  for (let i = 0; ; i++) {
    const name = i === 0 ? candidate : `${candidate}-${i}`;
    try {
      await stat(name);
    } catch {
      return name;
    }
  }
}
