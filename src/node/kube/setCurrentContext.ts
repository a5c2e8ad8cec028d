import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { fileForCurrentContext, withCurrentContext } from '../../core/kube/kubeconfigEdit';
import { withKubeconfigLock } from './kubeconfigFiles';

/**
 * Makes `contextName` the current context, as `kubectl config use-context` does: in the first existing file of
 * `paths` that sets a current-context (else the first existing file), written atomically with its mode kept, under
 * `<file>.lock` as kubectl writes (`options`: how long to wait for another writer's lock).
 * Returns the file written.
 */
export async function setCurrentContext(
  paths: readonly string[],
  contextName: string,
  options: { waitMs?: number; pollMs?: number } = {},
): Promise<string> {
  const files: { path: string; text: string }[] = [];
  for (const path of paths) {
    try {
      files.push({ path, text: await readFile(path, 'utf8') });
    } catch {
      /* missing files are skipped, as when loading */
    }
  }
  const target = fileForCurrentContext(files);
  if (!target) throw new Error('No kubeconfig file exists to write the current context to.');
  // Under `<file>.lock` like kubectl, and re-read inside it: another writer may have changed the file meanwhile.
  await withKubeconfigLock(
    target,
    async () => {
      const text = await readFile(target, 'utf8');
      const mode = (await stat(target)).mode & 0o777;
      const tmp = `${target}.clusterdeck-${process.pid}.tmp`;
      await writeFile(tmp, withCurrentContext(text, contextName), { mode });
      await rename(tmp, target);
    },
    options,
  );
  return target;
}
