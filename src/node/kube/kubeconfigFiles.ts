import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { mergeKubeconfigs, type KubeconfigSource, type MergedKubeconfig } from '../../core/kube/kubeconfig';

/** Files of one kubeconfig file larger than this are refused (a kubeconfig is a few KiB). */
const MAX_KUBECONFIG_BYTES = 4 * 1024 * 1024;

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
      const buf = await readFile(path);
      if (buf.length > MAX_KUBECONFIG_BYTES) {
        problems.push({ path, message: `The file is ${Math.round(buf.length / 1048576)} MiB; a kubeconfig over 4 MiB is not read.` });
        continue;
      }
      sources.push({ path, text: buf.toString('utf8').replace(/^\uFEFF/, '') });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue;
      problems.push({ path, message: `Cannot read the file (${code ?? (e as Error).message}).` });
    }
  }
  const merged = mergeKubeconfigs(sources);
  return { ...merged, files: paths, problems: [...problems, ...merged.problems] };
}
