import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { mergeKubeconfigs, type KubeconfigSource, type MergedKubeconfig } from '../../core/kube/kubeconfig';

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
 * The kubeconfig paths kubectl would read: the `KUBECONFIG` list (empty entries dropped, duplicates removed),
 * else `~/.kube/config`; then the extra machine-scoped files.
 */
export function kubeconfigPaths(env: NodeJS.ProcessEnv, extra: readonly string[], home = homedir()): string[] {
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter((p) => p.trim() !== '');
  // client-go falls back to ~/.kube/config only when KUBECONFIG is unset or empty; a non-empty value made only
  // of delimiters or blanks (`KUBECONFIG=:`) names no file, and kubectl then reads no kubeconfig at all.
  const base = env.KUBECONFIG ? fromEnv : [join(home, '.kube', 'config')];
  const all = [...base, ...extra]
    .map((p) => (p.startsWith('~/') ? join(home, p.slice(2)) : p))
    .map((p) => (isAbsolute(p) ? p : resolve(p)));
  return [...new Set(all)];
}

/** Reads and merges the files; a missing file is skipped silently, an unreadable one becomes a problem. */
export async function loadKubeconfigs(paths: readonly string[]): Promise<MergedKubeconfig> {
  const sources: KubeconfigSource[] = [];
  const problems: { path: string; message: string }[] = [];
  for (const path of paths) {
    try {
      const read = await readKubeconfigFile(path);
      if ('problem' in read) problems.push({ path, message: read.problem });
      else sources.push({ path, text: read.text });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue;
      problems.push({ path, message: `Cannot read the file (${code ?? (e as Error).message}).` });
    }
  }
  const merged = mergeKubeconfigs(sources);
  return { ...merged, files: paths, problems: [...problems, ...merged.problems] };
}
