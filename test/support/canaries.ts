// The canary scan of reliability §4.2 (S5): unique secret values planted in the fixtures are looked for in every
// output a scenario produced — log lines, error messages (with their detail and cause chain) and results. Used
// after every fault scenario by the fault-injection suites.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';

/** One captured output: a name for the failure message and anything (string, Error, object) to search. */
export interface CanarySink {
  readonly name: string;
  readonly value: unknown;
}

/** The text a sink exposes: strings as they are, Errors and objects deeply inspected (cause chain included). */
export function sinkText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return `${value.message}\n${inspect(value, { depth: 12, breakLength: Infinity })}`;
  return inspect(value, { depth: 12, breakLength: Infinity, maxArrayLength: Infinity, maxStringLength: Infinity });
}

/**
 * Fails when any canary (or any of its 24-character slices, so a truncated or re-wrapped secret is caught too)
 * appears in any sink. Canaries shorter than 24 characters are searched whole.
 */
export function assertNoCanary(canaries: readonly string[], sinks: readonly CanarySink[]): void {
  const needles = canaries.flatMap((c) => {
    if (c.length <= 24) return [c];
    const out: string[] = [];
    for (let i = 0; i + 24 <= c.length; i += 12) out.push(c.slice(i, i + 24));
    return out;
  });
  for (const sink of sinks) {
    const text = sinkText(sink.value);
    for (const needle of needles) assert.ok(!text.includes(needle), `a canary secret (${needle.slice(0, 6)}…) appears in ${sink.name}`);
  }
}

/**
 * Every file under `dirs` (or the file itself) as a sink (read as latin1, so text inside binary stores such as VS Code's
 * `state.vscdb` is searched too). Goal S6: a storage dump of settings, globalState, global storage and logs.
 */
export function fileSinks(dirs: readonly string[]): CanarySink[] {
  const out: CanarySink[] = [];
  const walk = (dir: string): void => {
    if (statSync(dir, { throwIfNoEntry: false })?.isFile()) {
      out.push({ name: dir, value: readFileSync(dir, 'latin1') });
      return;
    }
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && statSync(p).size <= 64 * 1024 * 1024) out.push({ name: p, value: readFileSync(p, 'latin1') });
    }
  };
  for (const d of dirs) walk(d);
  return out;
}
