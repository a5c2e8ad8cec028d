import type { Rule } from '../rule';

/**
 * Findings produced by parseManifestFile itself. They are listed as rules so that they can be configured,
 * documented and tested like the others; their check does nothing (parsing already reported them).
 */
function parseRule(id: string, level: Rule['level'], description: string): Rule {
  return { id, level, scope: 'document', equivalents: [], description, runsOnPartial: true, check: () => undefined };
}

export const parseRules: readonly Rule[] = [
  parseRule('yaml-syntax', 'error', 'The file is not valid YAML.'),
  parseRule('yaml-duplicate-key', 'error', 'A mapping has the same key twice; strict server-side validation rejects it.'),
  parseRule('yaml-resource-limit', 'error', 'The document exceeds alias or nesting limits ("billion laughs" protection).'),
  parseRule('document-not-object', 'error', 'A document is a list or a scalar instead of a Kubernetes object.'),
  parseRule('template-not-validated', 'info', 'A Helm template is not validated as YAML; lint the rendered output.'),
  parseRule('file-skipped', 'info', 'The file was not linted (too large or too many documents).'),
];
