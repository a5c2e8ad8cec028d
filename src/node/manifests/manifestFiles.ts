import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { globToRegExp, matchesAnyGlob } from '../../core/manifests/globMatch';

/** YAML files are *.yaml / *.yml; directories are walked recursively, skipping these. */
const skippedDirs = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test', 'vendor']);
const yamlFile = /\.ya?ml$/i;

/** Files larger than this are not read whole; the linter reports them as skipped. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/**
 * Expands CLI operands (files, directories, globs like `k8s/**\/*.yaml`) into YAML file paths, sorted and
 * de-duplicated, dropping those that match `ignore` globs (relative to `root`). Throws on an operand that
 * names nothing, with a one-line message.
 */
export async function expandManifestPaths(operands: readonly string[], root: string, ignore: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const operand of operands) {
    if (/[*?{]/.test(operand)) {
      const base = resolve(root, operand.slice(0, operand.search(/[*?{]/)).replace(/[^/]*$/, '') || '.');
      const re = globToRegExp(resolve(root, operand).split(sep).join('/'));
      const matches = (await walk(base)).filter((f) => re.test(f.split(sep).join('/')));
      if (matches.length === 0) throw new Error(`no file matches "${operand}"`);
      for (const m of matches) found.add(m);
      continue;
    }
    const path = resolve(root, operand);
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new Error(`"${operand}" does not exist`);
    }
    if (info.isDirectory()) for (const f of await walk(path)) found.add(f);
    else found.add(path);
  }
  return [...found].filter((f) => !matchesAnyGlob(relative(root, f).split(sep).join('/'), ignore)).sort();
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.isDirectory()) {
      if (!skippedDirs.has(e.name)) out.push(...(await walk(join(dir, e.name))));
    } else if (e.isFile() && yamlFile.test(e.name)) out.push(join(dir, e.name));
  }
  return out;
}

/** Reads a manifest as text (see decodeText); a file over MAX_MANIFEST_BYTES is not read and reports its size. */
export async function readManifest(path: string): Promise<{ text: string } | { tooLargeBytes: number }> {
  const info = await stat(path);
  if (info.size > MAX_MANIFEST_BYTES) return { tooLargeBytes: info.size };
  return { text: decodeText(await readFile(path)) };
}

/** UTF-8 with the BOM removed; invalid sequences become U+FFFD (the parser flags them). UTF-16 BOMs decode as such. */
export function decodeText(buf: Buffer): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf[0] === 0xfe && buf[1] === 0xff) return Buffer.from(buf.subarray(2)).swap16().toString('utf16le');
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Finds `.clusterdeck/lint.yaml` from `start` upwards; undefined when there is none. */
export async function findLintConfig(start: string): Promise<string | undefined> {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, '.clusterdeck', 'lint.yaml');
    try {
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      /* keep looking */
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
