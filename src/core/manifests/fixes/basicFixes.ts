import { replaceFix, type FixProvider } from '../quickFixes';

/** `schema-unknown-field` with a "did you mean": rename the key. */
export const renameUnknownField: FixProvider = (_file, _doc, finding) => {
  const suggestion = finding.data?.suggestion;
  return typeof suggestion === 'string' ? [replaceFix(`Rename to "${suggestion}"`, finding, suggestion)] : [];
};

/** `yaml-1-1-scalar`: quote the value so Kubernetes reads a string. */
export const quoteScalar: FixProvider = (file, _doc, finding) => {
  const raw = file.text.slice(finding.range.start, finding.range.end);
  const quoted = typeof finding.data?.quoted === 'string' ? finding.data.quoted : JSON.stringify(raw);
  return [replaceFix(`Quote ${raw} as a string`, finding, quoted)];
};

/** `api-version-removed` / `api-version-deprecated`: switch to the replacement apiVersion. */
export const replaceApiVersion: FixProvider = (_file, _doc, finding) => {
  const replacement = finding.data?.replacement;
  return typeof replacement === 'string' && /^[a-z0-9.-]*\/?v\d/.test(replacement)
    ? [replaceFix(`Change apiVersion to ${replacement}`, finding, replacement)]
    : [];
};
