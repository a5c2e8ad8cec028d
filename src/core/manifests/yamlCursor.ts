import type { YamlPath } from './types';

/** Where the cursor is in a YAML manifest, read from the text so it works on half-typed lines. */
export interface CursorContext {
  /** apiVersion and kind of the document under the cursor, when written. */
  readonly apiVersion?: string;
  readonly kind?: string;
  /** Path of the mapping the cursor's line belongs to (list indexes are 0: only the shape matters). */
  readonly parentPath: YamlPath;
  /** The key on the cursor's line, when there is one (`  image: ng|` → `image`). */
  readonly key?: string;
  /** True when the cursor is after `key:` (completing a value), false when typing a key. */
  readonly inValue: boolean;
  /** The partial word under the cursor. */
  readonly prefix: string;
}

const keyLine = /^(\s*)(-\s+)?([^\s#:'"][^:#]*?|"[^"]*"|'[^']*')\s*:(?:\s|$)/;

/** Reads the cursor context at a 0-based line and character of `text`. */
export function cursorContext(text: string, line: number, character: number): CursorContext {
  const lines = text.split(/\r?\n/);
  // The document under the cursor: between the nearest `---` above and below.
  let top = line;
  while (top > 0 && !/^---(\s|$)/.test(lines[top - 1] ?? '')) top--;
  let bottom = line;
  while (bottom < lines.length - 1 && !/^---(\s|$)/.test(lines[bottom + 1] ?? '')) bottom++;
  const docLines = lines.slice(top, bottom + 1);
  const apiVersion = docLines.map((l) => /^apiVersion:\s*["']?([^\s"'#]+)/.exec(l)?.[1]).find(Boolean);
  const kind = docLines.map((l) => /^kind:\s*["']?([^\s"'#]+)/.exec(l)?.[1]).find(Boolean);

  const current = (lines[line] ?? '').slice(0, character);
  const m = keyLine.exec(current);
  const dash = /^(\s*)-\s+/.exec(current);
  const indent = dash ? (dash[1]?.length ?? 0) + 2 : (/^(\s*)/.exec(current)?.[1]?.length ?? 0);
  const inValue =
    m !== null && current.length >= (m[0]?.length ?? 0) && /:\s/.test(current.slice((m[1]?.length ?? 0) + (m[2]?.length ?? 0)));
  const key = m ? unquote((m[3] ?? '').trim()) : undefined;
  const prefix = /([\w.\-/]*)$/.exec(current)?.[1] ?? '';

  const path: (string | number)[] = [];
  let threshold = indent;
  let listItemOpen = dash !== null;
  for (let i = line - 1; i >= top && threshold > 0; i--) {
    const l = lines[i] ?? '';
    if (/^\s*(#.*)?$/.test(l)) continue;
    const lIndent = /^(\s*)/.exec(l)?.[1]?.length ?? 0;
    const lDash = /^(\s*)-\s+/.exec(l);
    if (lDash && (lDash[1]?.length ?? 0) < threshold && !listItemOpen) {
      // Our line continues a list item started above: that item is index 0 of its list.
      path.unshift(0);
      threshold = lDash[1]?.length ?? 0;
      listItemOpen = true;
      const lm = keyLine.exec(l);
      if (lm && lm[0] && (lDash[1]?.length ?? 0) + 2 < threshold) path.unshift(unquote((lm[3] ?? '').trim()));
      continue;
    }
    if (lIndent < threshold) {
      const lm = keyLine.exec(l);
      if (!lm) continue;
      if (listItemOpen && !lm[2]) {
        // The key that holds the list our item belongs to.
        if (path[0] !== 0) path.unshift(0);
      }
      path.unshift(unquote((lm[3] ?? '').trim()));
      threshold = lIndent;
      listItemOpen = false;
      if (lm[2]) {
        path.unshift(0);
        listItemOpen = true;
      }
    }
  }
  // Remove a leading list marker left when the document itself starts with "- ".
  return {
    ...(apiVersion ? { apiVersion } : {}),
    ...(kind ? { kind } : {}),
    parentPath: normalize(path),
    ...(key ? { key } : {}),
    inValue,
    prefix,
  };
}

function normalize(path: (string | number)[]): YamlPath {
  const out: (string | number)[] = [];
  for (const step of path) if (!(typeof step === 'number' && typeof out[out.length - 1] === 'number')) out.push(step);
  return out;
}

function unquote(s: string): string {
  return /^(["']).*\1$/.test(s) ? s.slice(1, -1) : s;
}

/** The path of the key (or value) at an offset of a parsed document; `onKey` when the offset is on a key. */
export function pathAtOffset(contents: unknown, offset: number): { path: YamlPath; onKey: boolean } | undefined {
  const within = (n: unknown) => {
    const r = (n as { range?: [number, number, number] } | null)?.range;
    return r ? offset >= r[0] && offset <= r[1] : false;
  };
  let node = contents;
  const path: (string | number)[] = [];
  for (let depth = 0; depth < 200 && node; depth++) {
    const items = (node as { items?: unknown[] }).items;
    if (!Array.isArray(items)) return path.length ? { path, onKey: false } : undefined;
    let next: unknown;
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as { key?: unknown; value?: unknown } | null;
      if (item && typeof item === 'object' && 'key' in item) {
        const keyValue = (item.key as { value?: unknown } | null)?.value;
        if (within(item.key)) return { path: [...path, typeof keyValue === 'number' ? keyValue : String(keyValue)], onKey: true };
        if (within(item.value)) {
          path.push(typeof keyValue === 'number' ? keyValue : String(keyValue));
          next = item.value;
          break;
        }
      } else if (within(item)) {
        path.push(i);
        next = item;
        break;
      }
    }
    if (next === undefined) return path.length ? { path, onKey: false } : undefined;
    node = next;
  }
  return { path, onKey: false };
}
