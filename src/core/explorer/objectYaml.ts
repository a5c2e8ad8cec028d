import { stringify } from 'yaml';

/**
 * An object as the YAML the explorer shows: server bookkeeping (`managedFields`) left out, and a Secret's values
 * hidden unless the user explicitly asked to reveal them.
 */
export function objectYaml(obj: Record<string, unknown>, options: { revealSecrets?: boolean } = {}): string {
  const copy: Record<string, unknown> = { ...obj };
  const metadata = copy.metadata && typeof copy.metadata === 'object' ? { ...(copy.metadata as Record<string, unknown>) } : undefined;
  if (metadata) {
    delete metadata.managedFields;
    copy.metadata = metadata;
  }
  if (copy.kind === 'Secret' && !options.revealSecrets) {
    for (const field of ['data', 'stringData']) {
      const values = copy[field];
      if (values && typeof values === 'object') {
        copy[field] = Object.fromEntries(Object.keys(values).map((k) => [k, '<hidden: use "Reveal Secret Values" to show>']));
      }
    }
  }
  return stringify(copy, { lineWidth: 0 });
}

/**
 * An object as an editable manifest for "Edit and Apply": what the user owns, without the server's bookkeeping
 * (status, managedFields, resourceVersion, uid, creationTimestamp, generation, kubectl's last-applied copy), so a
 * server-side apply of the edited text changes only what the user changed. Secrets are refused: their values
 * would be written into an editor buffer.
 */
export function editableObjectYaml(obj: Record<string, unknown>): string {
  if (obj.kind === 'Secret') throw new Error('Secrets are not opened for editing: their values would be written into an editor.');
  const copy: Record<string, unknown> = { ...obj };
  delete copy.status;
  const metadata = copy.metadata && typeof copy.metadata === 'object' ? { ...(copy.metadata as Record<string, unknown>) } : {};
  for (const k of ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink']) delete metadata[k];
  const annotations =
    metadata.annotations && typeof metadata.annotations === 'object' ? { ...(metadata.annotations as Record<string, unknown>) } : undefined;
  if (annotations) {
    delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
    delete annotations['deployment.kubernetes.io/revision'];
    if (Object.keys(annotations).length) metadata.annotations = annotations;
    else delete metadata.annotations;
  }
  copy.metadata = metadata;
  return stringify(copy, { lineWidth: 0 });
}
