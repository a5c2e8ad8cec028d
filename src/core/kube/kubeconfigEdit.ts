import { parseDocument } from 'yaml';
import { ClusterDeckError } from '../errors';

/**
 * Sets `current-context` in a kubeconfig text, keeping every other byte's meaning, comments and formatting (the
 * `yaml` document model edits only that key). Throws `badConfig` when the text is not a YAML mapping.
 */
export function withCurrentContext(text: string, contextName: string): string {
  const doc = parseDocument(text);
  if (doc.errors.length || (doc.contents !== null && !('items' in (doc.contents as object)))) {
    throw new ClusterDeckError('badConfig', 'The kubeconfig file is not a YAML mapping; it was not changed.');
  }
  doc.set('current-context', contextName);
  return doc.toString();
}

/** The `current-context` a kubeconfig text sets ('' when none). */
export function currentContextOf(text: string): string {
  const v: unknown = parseDocument(text).get('current-context');
  return typeof v === 'string' ? v : '';
}

/**
 * Which file `kubectl config use-context` writes: the first file of the list that sets a current-context, else
 * the first file (client-go's ModifyConfig).
 */
export function fileForCurrentContext(files: readonly { path: string; text: string }[]): string | undefined {
  return (files.find((f) => currentContextOf(f.text) !== '') ?? files[0])?.path;
}
