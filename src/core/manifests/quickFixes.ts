import { isMap, isScalar, type Node } from 'yaml';
import { computeLineStarts, lineOf } from './lintManifests';
import { nodeAt } from './parseManifests';
import type { Finding, ManifestDocument, ManifestFile, TextRange } from './types';

/** A text edit by offsets into the file as it was linted. */
export interface TextEdit {
  readonly range: TextRange;
  readonly newText: string;
}

/** A quick fix: a title (verb first) and the edits that apply it. */
export interface QuickFix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** The fix an editor applies on "Fix" / auto-fix. */
  readonly isPreferred?: boolean;
  /**
   * Values the user should review, as ranges inside an edit's `newText` (`edit` is the index in `edits`): the editor
   * turns them into snippet placeholders, selected after the fix (e.g. the 100m of a new CPU request).
   */
  readonly placeholders?: readonly { readonly edit: number; readonly start: number; readonly end: number }[];
}

/** Produces the fixes of one rule for one finding. */
export type FixProvider = (file: ManifestFile, doc: ManifestDocument | undefined, finding: Finding) => QuickFix[];

/**
 * The quick fixes for a finding: the rule's own (first), then the two generic suppressions: a
 * `clusterdeck/ignore` annotation on the object, and a `# clusterdeck-disable-next-line` comment.
 */
export function quickFixesFor(file: ManifestFile, finding: Finding, providers: ReadonlyMap<string, FixProvider>): QuickFix[] {
  const doc = file.documents.find((d) => finding.range.start >= d.range.start && finding.range.start <= d.range.end);
  const own = providers.get(finding.ruleId)?.(file, doc, finding) ?? [];
  const generic: QuickFix[] = [];
  if (doc && finding.object?.kind) {
    const annotation = ignoreAnnotationFix(file, doc, finding.ruleId);
    if (annotation) generic.push(annotation);
  }
  generic.push(disableNextLineFix(file, finding));
  return [...own, ...generic];
}

/** `# clusterdeck-disable-next-line <rule>` above the finding's line, at its indentation. */
export function disableNextLineFix(file: ManifestFile, finding: Finding): QuickFix {
  const starts = computeLineStarts(file.text);
  const line = lineOf(starts, finding.range.start);
  const lineStart = starts[line] ?? 0;
  const indent = /^[ \t]*(- )*/.exec(file.text.slice(lineStart))?.[0].replace(/-/g, ' ') ?? '';
  return {
    title: `Disable ${finding.ruleId} for this line`,
    edits: [{ range: { start: lineStart, end: lineStart }, newText: `${indent}# clusterdeck-disable-next-line ${finding.ruleId}\n` }],
  };
}

/** Adds (or extends) `clusterdeck/ignore: <rule>` in the object's metadata.annotations, keeping formatting. */
export function ignoreAnnotationFix(file: ManifestFile, doc: ManifestDocument, ruleId: string): QuickFix | undefined {
  const title = `Ignore ${ruleId} on this object (clusterdeck/ignore annotation)`;
  const text = file.text;
  const metadata = nodeAt(doc.yaml, ['metadata']);
  if (!metadata.key?.range || !isMap(metadata.value) || metadata.value.flow) return undefined;
  const existing = nodeAt(doc.yaml, ['metadata', 'annotations', 'clusterdeck/ignore']).value;
  if (existing && isScalar(existing) && existing.range) {
    const current = String(existing.value);
    const ids = current.split(',').map((s) => s.trim());
    if (ids.includes(ruleId)) return undefined;
    return {
      title,
      edits: [{ range: { start: existing.range[0], end: existing.range[1] }, newText: `"${[...ids.filter(Boolean), ruleId].join(',')}"` }],
    };
  }
  const annotations = nodeAt(doc.yaml, ['metadata', 'annotations']);
  if (annotations.value && isMap(annotations.value) && !annotations.value.flow && annotations.value.items.length > 0) {
    const first = annotations.value.items[0]?.key as Node | undefined;
    if (!first?.range) return undefined;
    const indent = columnOf(text, first.range[0]);
    const at = lineStartOf(text, first.range[0]);
    return { title, edits: [{ range: { start: at, end: at }, newText: `${' '.repeat(indent)}clusterdeck/ignore: ${ruleId}\n` }] };
  }
  if (annotations.key) return undefined; // `annotations: {}` or an odd shape: leave it to the comment fix
  const firstKey = metadata.value.items[0]?.key as Node | undefined;
  if (!firstKey?.range) return undefined;
  const indent = columnOf(text, firstKey.range[0]);
  const at = lineStartOf(text, firstKey.range[0]);
  return {
    title,
    edits: [
      {
        range: { start: at, end: at },
        newText: `${' '.repeat(indent)}annotations:\n${' '.repeat(indent + 2)}clusterdeck/ignore: ${ruleId}\n`,
      },
    ],
  };
}

/** 0-based column of an offset. */
export function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

/** Offset of the start of the line holding `offset`. */
export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Replaces the finding's range with `newText` (typo'd keys, scalar values). */
export function replaceFix(title: string, finding: Finding, newText: string, isPreferred = true): QuickFix {
  return { title, edits: [{ range: finding.range, newText }], isPreferred };
}

/** Applies edits to a text (edits must not overlap); used by tests and the CLI's future --fix. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  // As VS Code does: inserts at the same position appear in the order given.
  const ordered = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.range.start - a.e.range.start || b.i - a.i);
  let out = text;
  for (const { e } of ordered) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  return out;
}

/**
 * Orders edits so that, among inserts at the same offset, the more deeply indented come first: a key added to a
 * nested map that ends where its parent ends must precede the parent's new keys.
 */
export function orderInserts(edits: readonly TextEdit[]): TextEdit[] {
  const indent = (e: TextEdit) => /^\n?( *)/.exec(e.newText)?.[1]?.length ?? 0;
  return [...edits].sort((a, b) => a.range.start - b.range.start || indent(b) - indent(a));
}
