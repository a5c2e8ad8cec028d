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
