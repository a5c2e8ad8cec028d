import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';
import type { Finding, ManifestDocument, ManifestFile, NodeAt, TextRange, YamlPath } from './types';

/** Bounds that keep a hostile or huge file from hanging or crashing the linter. */
export interface ParseLimits {
  /** Files larger than this are skipped with one finding. */
  readonly maxBytes: number;
  /** Alias dereferences per document ("billion laughs" protection). */
  readonly maxAliasCount: number;
  /** Nesting depth of collections. */
  readonly maxDepth: number;
  /** Documents per file. */
  readonly maxDocuments: number;
}

export const defaultParseLimits: ParseLimits = { maxBytes: 20 * 1024 * 1024, maxAliasCount: 100, maxDepth: 200, maxDocuments: 20_000 };

const templatePattern = /\{\{-?[\s\S]*?-?\}\}/;

/**
 * True when the start of the text is not text: a NUL character, or more than 10 % replacement characters (bytes
 * that were not UTF-8) and control characters other than tab, newline, carriage return and form feed. A text file
 * with a few non-UTF-8 bytes is still text (it is linted, with a warning).
 */
export function looksBinary(text: string): boolean {
  const head = text.slice(0, 8192);
  if (head.includes('\u0000')) return true;
  // eslint-disable-next-line no-control-regex -- control characters are what is counted
  const odd = head.match(/[\u0001-\u0008\u000b\u000e-\u001f\u007f\ufffd]/g)?.length ?? 0;
  return head.length > 0 && odd / head.length > 0.1;
}

/**
 * Parses a multi-document YAML file with source positions. Never throws: syntax errors, duplicate keys,
 * limits and Helm templates become findings, binary content is skipped silently (B60), and whatever can be read
 * is returned.
 */
export function parseManifestFile(path: string, text: string, limits: ParseLimits = defaultParseLimits): ManifestFile {
  const findings: Finding[] = [];
  const skip = (
    ruleId: string,
    severity: Finding['severity'],
    message: string,
    range: TextRange = { start: 0, end: Math.min(1, text.length) },
  ): ManifestFile => ({
    path,
    // A skipped file keeps no text (a 50 MB file must not be scanned again for lines); a template keeps it for positions.
    text: ruleId === 'template-not-validated' ? text : '',
    documents: [],
    findings: [{ ruleId, severity, message, range }],
    isTemplate: ruleId === 'template-not-validated',
  });

  if (text.length > limits.maxBytes) {
    return skip(
      'file-skipped',
      'info',
      `Not linted: the file is ${(text.length / 1048576).toFixed(1)} MB, over the ${limits.maxBytes / 1048576} MB limit.`,
    );
  }
  // Catalogue B60: a binary file that happens to end in .yaml (an image, an archive, a compiled file) is not a
  // manifest at all; it is skipped silently, with no diagnostic, as editors treat binary files.
  if (looksBinary(text)) return { path, text: '', documents: [], findings: [], isTemplate: false };
  if (text.includes('\uFFFD')) {
    const at = text.indexOf('\uFFFD');
    findings.push({
      ruleId: 'yaml-syntax',
      severity: 'warning',
      message: 'The file is not valid UTF-8 here (replacement character); save it as UTF-8.',
      range: { start: at, end: at + 1 },
    });
  }
  const template = templatePattern.exec(text);
  if (template) {
    return skip(
      'template-not-validated',
      'info',
      'Helm template: not validated as YAML. Lint the rendered output (helm template … | clusterdeck lint -).',
      {
        start: template.index,
        end: template.index + template[0].length,
      },
    );
  }

  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false, keepSourceTokens: false }) as Document.Parsed[];
  } catch (e) {
    return skip('yaml-syntax', 'error', `Not readable as YAML: ${(e as Error).message.split('\n')[0] ?? ''}`);
  }
  if (!Array.isArray(docs)) docs = [docs];
  if (docs.length > limits.maxDocuments) {
    return skip('file-skipped', 'info', `Not linted: ${docs.length} documents, over the limit of ${limits.maxDocuments}.`);
  }

  const documents: ManifestDocument[] = [];
  docs.forEach((doc, index) => {
    for (const err of [...doc.errors]) {
      const isDuplicate = err.code === 'DUPLICATE_KEY';
      findings.push({
        ruleId: isDuplicate ? 'yaml-duplicate-key' : 'yaml-syntax',
        severity: 'error',
        message: isDuplicate
          ? 'Duplicate key: the API server rejects duplicate fields (strict field validation); remove one.'
          : firstLine(err.message),
        range: { start: err.pos[0], end: Math.max(err.pos[1], err.pos[0] + 1) },
      });
    }
    for (const warning of doc.warnings) {
      findings.push({
        ruleId: 'yaml-syntax',
        severity: 'warning',
        message: firstLine(warning.message),
        range: { start: warning.pos[0], end: warning.pos[1] },
      });
    }
    const range = { start: doc.range[0], end: doc.range[2] };
    if (doc.contents === null) return; // an empty document (a stray `---`) is allowed
    if (mayBeDeep(text, range, limits.maxDepth) && depthExceeds(doc.contents, limits.maxDepth)) {
      findings.push({
        ruleId: 'yaml-resource-limit',
        severity: 'error',
        message: `Nesting deeper than ${limits.maxDepth} levels: not linted.`,
        range: nodeRange(doc.contents),
      });
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (e) {
      const message = /alias/i.test((e as Error).message)
        ? `Too many alias expansions (over ${limits.maxAliasCount}): this looks like a "billion laughs" document; not linted.`
        : `Not readable: ${firstLine((e as Error).message)}`;
      findings.push({ ruleId: 'yaml-resource-limit', severity: 'error', message, range: nodeRange(doc.contents) });
      return;
    }
    // A document with syntax errors is reported, not linted: rules over a half-read object only add noise.
    if (doc.errors.some((e) => e.code !== 'DUPLICATE_KEY')) return;
    if (value === null || value === undefined) return; // only comments or `---`: an empty document
    if (typeof value !== 'object' || Array.isArray(value)) {
      findings.push({
        ruleId: 'document-not-object',
        severity: 'error',
        message: `A Kubernetes manifest document must be a mapping with apiVersion and kind, not ${Array.isArray(value) ? 'a list' : 'a scalar'}.`,
        range: nodeRange(doc.contents),
      });
      return;
    }
    const obj = value as Record<string, unknown>;
    const metadata = (obj.metadata && typeof obj.metadata === 'object' ? obj.metadata : {}) as Record<string, unknown>;
    documents.push({
      index,
      yaml: doc,
      value,
      range,
      ...strField('apiVersion', obj.apiVersion),
      ...strField('kind', obj.kind),
      ...strField('name', metadata.name),
      ...strField('namespace', metadata.namespace),
      partial: false,
    });
  });
  return { path, text, documents, findings: capSyntaxFindings(findings), isTemplate: false };
}

/** One broken bracket can cascade into hundreds of parser errors: keep the first few. */
function capSyntaxFindings(findings: Finding[], max = 5): Finding[] {
  let syntax = 0;
  return findings.filter((f) => f.ruleId !== 'yaml-syntax' || ++syntax <= max);
}

/** A file that was not parsed (too large to read, unreadable), with one finding saying why. */
export function skippedManifestFile(path: string, message: string): ManifestFile {
  return {
    path,
    text: '',
    documents: [],
    findings: [{ ruleId: 'file-skipped', severity: 'info', message, range: { start: 0, end: 0 } }],
    isTemplate: false,
  };
}

/** The key and value nodes at a path; missing steps give undefined. */
export function nodeAt(doc: Document.Parsed, path: YamlPath): NodeAt {
  let current: unknown = doc.contents;
  let key: Node | undefined;
  for (const step of path) {
    if (isMap(current)) {
      const pair = current.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) return {};
      key = pair.key as Node;
      current = pair.value;
    } else if (isSeq(current) && typeof step === 'number') {
      key = undefined;
      current = current.items[step];
      if (current === undefined) return {};
    } else {
      return {};
    }
  }
  return { ...(key ? { key } : {}), ...(current ? { value: current as Node } : {}) };
}

/**
 * The range a finding at `path` should point at: the value (or the key, with `prefer: 'key'`); when the path
 * does not exist, the nearest existing ancestor's key, so findings about missing fields point at their parent.
 */
export function rangeAt(doc: ManifestDocument, path: YamlPath, prefer: 'key' | 'value' = 'value'): TextRange {
  for (let n = path.length; n >= 0; n--) {
    const at = nodeAt(doc.yaml, path.slice(0, n));
    const node = n < path.length ? (at.key ?? at.value) : prefer === 'key' ? (at.key ?? at.value) : (at.value ?? at.key);
    if (node?.range) return nodeRange(node);
  }
  return { start: doc.range.start, end: doc.range.start };
}

function nodeRange(node: unknown): TextRange {
  const r = (node as { range?: [number, number, number] }).range;
  return r ? { start: r[0], end: r[1] } : { start: 0, end: 0 };
}

/**
 * A cheap pre-check on the source: nesting deeper than `max` needs either more than `max` flow brackets or a line
 * whose indentation plus compact "- " markers exceeds it. Ordinary documents skip the full walk.
 */
function mayBeDeep(text: string, range: TextRange, max: number): boolean {
  let brackets = 0;
  let lineStart = true;
  let indent = 0;
  for (let i = range.start; i < range.end; i++) {
    const c = text.charCodeAt(i);
    if (c === 91 || c === 123) brackets++; // [ {
    if (c === 10) {
      lineStart = true;
      indent = 0;
    } else if (lineStart) {
      if (c === 32 || c === 45 || c === 9)
        indent++; // space, dash, tab
      else lineStart = false;
      if (indent > max) return true;
    }
  }
  return brackets > max;
}

function depthExceeds(root: unknown, max: number): boolean {
  // Iterative, so a hostile document cannot overflow the stack here.
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > max) return true;
    if (isMap(node)) for (const p of node.items) stack.push([p.value, depth + 1]);
    else if (isSeq(node)) for (const item of node.items) stack.push([item, depth + 1]);
  }
  return false;
}

function strField<K extends string>(key: K, v: unknown): { [P in K]?: string } {
  return (typeof v === 'string' && v !== '' ? { [key]: v } : {}) as { [P in K]?: string };
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? '').trim();
}
