import { posix, win32 } from 'node:path';

/**
 * The kubeconfig paths kubectl would read, for `platform` (a `process.platform` value): the `KUBECONFIG` list
 * (empty entries dropped, duplicates removed), else `<home>/.kube/config`; then the extra machine-scoped files.
 * Relative entries resolve against `cwd`; `~/` expands to `home`.
 *
 * The list splits on the platform's delimiter only, as client-go's `filepath.SplitList` does: `;` on Windows,
 * where the `:` of a drive letter (`C:\Users\me\.kube\config`) stays part of its path, and `:` elsewhere, where
 * a `;` is an ordinary character of a file name. On Windows a WSL path (`/mnt/c/Users/me/.kube/config`, e.g. a
 * value copied from a WSL shell) names the Windows file `C:\Users\me\.kube\config`, so it is read as that
 * (Windows would otherwise take it as `\mnt\c\…` on the current drive). Pure: the platform is a parameter, so
 * the Windows rules are tested on any machine.
 */
export function kubeconfigPathList(
  kubeconfigEnv: string | undefined,
  extra: readonly string[],
  home: string,
  platform: string,
  cwd: string,
): string[] {
  const windows = platform === 'win32';
  const path = windows ? win32 : posix;
  const fromEnv = (kubeconfigEnv ?? '').split(path.delimiter).filter((p) => p.trim() !== '');
  // client-go falls back to ~/.kube/config only when KUBECONFIG is unset or empty; a non-empty value made only
  // of delimiters or blanks (`KUBECONFIG=:`) names no file, and kubectl then reads no kubeconfig at all.
  const base = kubeconfigEnv ? fromEnv : [path.join(home, '.kube', 'config')];
  const all = [...base, ...extra]
    .map((p) => (p.startsWith('~/') || (windows && p.startsWith('~\\')) ? path.join(home, p.slice(2)) : p))
    .map((p) => (windows ? fromWslMount(p) : p))
    .map((p) => (path.isAbsolute(p) ? p : path.resolve(cwd, p)));
  return [...new Set(all)];
}

/** `/mnt/c/Users/me` → `C:\Users\me` (WSL's mount of a Windows drive); any other path unchanged. */
function fromWslMount(p: string): string {
  const m = /^\/mnt\/([a-zA-Z])(?:\/(.*))?$/.exec(p);
  if (!m) return p;
  return `${m[1]?.toUpperCase() ?? ''}:\\${(m[2] ?? '').split('/').join('\\')}`;
}
