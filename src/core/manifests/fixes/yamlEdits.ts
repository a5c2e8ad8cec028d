// Text edits on YAML that keep comments and formatting: computed from node positions, never by re-printing.
import { isMap, isScalar, isSeq, stringify, type Node, type YAMLMap } from 'yaml';
import { nodeAt } from '../parseManifests';
import { columnOf, lineStartOf, type TextEdit } from '../quickFixes';
import type { ManifestDocument, TextRange, YamlPath } from '../types';
import { containersOf, type ContainerRef } from '../workloads';

/** The container whose mapping holds `offset` (a finding inside a container), if any. */
export function containerAt(doc: ManifestDocument, offset: number): ContainerRef | undefined {
  return containersOf(doc).find((c) => {
    const range = nodeAt(doc.yaml, c.path).value?.range;
    return range ? offset >= range[0] && offset <= range[2] : false;
  });
}

/** The end offset of the last line a node occupies (before its trailing newline). */
function endOfNodeLine(text: string, node: Node): number {
  const end = node.range?.[1] ?? 0;
  const nl = text.indexOf('\n', Math.max(end - 1, 0));
  return nl === -1 ? text.length : nl;
}

/** Renders `value` as block YAML lines indented by `indent` spaces (no trailing newline). */
export function renderBlock(value: unknown, indent: number): string {
  const body = stringify(value, { indent: 2, lineWidth: 0 }).replace(/\n$/, '');
  return body
    .split('\n')
    .map((l) => ' '.repeat(indent) + l)
    .join('\n');
}

/**
 * Sets `value` at `path` (relative to the block map at `mapPath`), creating missing keys. Existing scalars are
 * replaced in place; existing maps are descended; nothing else in the document changes. Returns undefined when
 * the structure is not editable this way (a flow map, a list where a map is expected).
 */
export function setIn(text: string, doc: ManifestDocument, mapPath: YamlPath, path: YamlPath, value: unknown): TextEdit | undefined {
  const base = nodeAt(doc.yaml, mapPath).value;
  if (!isMap(base) || base.flow) return undefined;
  let map: YAMLMap = base;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
    const rest = path.slice(i + 1);
    if (!pair)
      return insertInto(
        text,
        map,
        key,
        rest.reduceRight<unknown>((acc, k) => ({ [k]: acc }), value),
      );
    if (rest.length === 0) {
      const v = pair.value as Node | null;
      if (isScalar(v) && v.range && typeof value !== 'object')
        return { range: { start: v.range[0], end: v.range[1] }, newText: scalarText(value) };
      if (v === null || (isScalar(v) && v.value === null)) {
        const keyNode = pair.key as Node;
        const at = endOfNodeLine(text, keyNode);
        const indent = columnOf(text, keyNode.range?.[0] ?? 0);
        return typeof value === 'object' && value !== null
          ? { range: { start: at, end: at }, newText: `\n${renderBlock(value, indent + 2)}` }
          : { range: { start: at, end: at }, newText: ` ${scalarText(value)}` };
      }
      return undefined;
    }
    if (!isMap(pair.value) || pair.value.flow) return undefined;
    map = pair.value;
  }
  return undefined;
}

function insertInto(text: string, map: YAMLMap, key: string | number, value: unknown): TextEdit | undefined {
  const first = map.items[0]?.key as Node | undefined;
  const last = map.items[map.items.length - 1];
  if (!first?.range || !last) return undefined;
  const indent = columnOf(text, first.range[0]);
  const lastNode = (last.value as Node | null) ?? (last.key as Node);
  const at = endOfNodeLine(text, lastNode);
  return { range: { start: at, end: at }, newText: `\n${renderBlock({ [key]: value }, indent)}` };
}

/** A scalar as YAML source text (strings quoted only when needed). */
export function scalarText(value: unknown): string {
  return stringify(value).replace(/\n$/, '');
}

/** Renames the key at `path` (keeps the value and comments). */
export function renameKey(doc: ManifestDocument, path: YamlPath, newKey: string): TextEdit | undefined {
  const key = nodeAt(doc.yaml, path).key;
  return key?.range ? { range: { start: key.range[0], end: key.range[1] }, newText: newKey } : undefined;
}

/** Deletes the whole lines of the key/value pair at `path` (block maps only). */
export function deletePair(text: string, doc: ManifestDocument, path: YamlPath): TextEdit | undefined {
  const at = nodeAt(doc.yaml, path);
  if (!at.key?.range) return undefined;
  const start = lineStartOf(text, at.key.range[0]);
  const endNode = at.value ?? at.key;
  const end = endOfNodeLine(text, endNode);
  return { range: { start, end: Math.min(end + 1, text.length) }, newText: '' };
}

/** The range of the value at `path`, if it exists. */
export function valueRange(doc: ManifestDocument, path: YamlPath): TextRange | undefined {
  const v = nodeAt(doc.yaml, path).value;
  return v?.range ? { start: v.range[0], end: v.range[1] } : undefined;
}

/** True when the node at `path` is a block sequence. */
export function isBlockSeq(doc: ManifestDocument, path: YamlPath): boolean {
  const v = nodeAt(doc.yaml, path).value;
  return isSeq(v) && !v.flow;
}
