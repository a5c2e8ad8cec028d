import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface KubeconfigWatcher {
  /** Watches the current list of files again (after `clusterdeck.kubeconfigs` changed). */
  update(): void;
  dispose(): void;
}

/**
 * Calls `onChange` (debounced) when one of the kubeconfig files is created, changed, replaced or deleted.
 * Watches the files' directories, not the files: editors and `kubectl config` replace the file by a rename,
 * which a watch on the file itself would miss, and a file that does not exist yet can appear later. A
 * directory that does not exist is skipped (until `update()`).
 */
export function watchKubeconfigFiles(
  paths: () => readonly string[],
  onChange: () => void,
  options: { debounceMs?: number; onError?: (message: string) => void } = {},
): KubeconfigWatcher {
  let watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let disposed = false;
  const fire = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!disposed) onChange();
    }, options.debounceMs ?? 300);
  };
  const start = (): void => {
    const byDir = new Map<string, Set<string>>();
    for (const p of paths()) {
      const names = byDir.get(dirname(p)) ?? new Set<string>();
      names.add(basename(p));
      byDir.set(dirname(p), names);
    }
    for (const [dir, names] of byDir) {
      try {
        const w = watch(dir, { persistent: false }, (_event, filename) => {
          // Some platforms omit the name: then any change in the directory counts.
          if (!filename || names.has(filename.toString())) fire();
        });
        w.on('error', (e) => options.onError?.(`${dir}: ${e.message}`));
        watchers.push(w);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT') options.onError?.(`${dir}: ${code ?? (e as Error).message}`);
      }
    }
  };
  const stop = (): void => {
    for (const w of watchers) w.close();
    watchers = [];
  };
  start();
  return {
    update(): void {
      stop();
      if (!disposed) start();
    },
    dispose(): void {
      disposed = true;
      clearTimeout(timer);
      stop();
    },
  };
}
