import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { fileForCurrentContext, withCurrentContext } from '../../core/kube/kubeconfigEdit';

/**
 * Makes `contextName` the current context, as `kubectl config use-context` does: in the first existing file of
 * `paths` that sets a current-context (else the first existing file), written atomically with its mode kept.
 * Returns the file written.
 */
export async function setCurrentContext(paths: readonly string[], contextName: string): Promise<string> {
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
  const text = files.find((f) => f.path === target)?.text ?? '';
  const mode = (await stat(target)).mode & 0o777;
  const tmp = `${target}.clusterdeck-${process.pid}.tmp`;
  await writeFile(tmp, withCurrentContext(text, contextName), { mode });
  await rename(tmp, target);
  return target;
}
