// A small schema checker for provisioning files: every key known or reported, every problem at its path. Pure.
import type { SpecProblem } from '../provisioning';

export type Path = readonly (string | number)[];

/** Collects problems while checking a document. */
export class Problems {
  readonly list: SpecProblem[] = [];
  error(path: Path, message: string): void {
    this.list.push({ path, message, severity: 'error' });
  }
  warn(path: Path, message: string): void {
    this.list.push({ path, message, severity: 'warning' });
  }
  get hasErrors(): boolean {
    return this.list.some((p) => p.severity === 'error');
  }
}

/** Checks one value at `path`; reports into `p`. */
export type Check = (v: unknown, path: Path, p: Problems) => void;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function str(re?: RegExp, rule?: string): Check {
  return (v, path, p) => {
    if (typeof v !== 'string') return p.error(path, 'Must be a string.');
    if (re && !re.test(v)) p.error(path, `"${v}" is not valid: ${rule ?? `must match ${re.source}`}.`);
  };
}

export function oneOf(values: readonly string[]): Check {
  return (v, path, p) => {
    if (typeof v !== 'string' || !values.includes(v))
      p.error(path, `Must be one of ${values.join(', ')}${typeof v === 'string' ? ` (got "${v}")` : ''}.`);
  };
}

export function int(min: number, max: number): Check {
  return (v, path, p) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) return p.error(path, 'Must be a whole number.');
    if (v < min || v > max) p.error(path, `Must be from ${min} to ${max} (got ${v}).`);
  };
}

export const num: Check = (v, path, p) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) p.error(path, 'Must be a number.');
};

export const bool: Check = (v, path, p) => {
  if (typeof v !== 'boolean') p.error(path, 'Must be true or false.');
};

export function arr(item: Check, opts: { min?: number; max?: number } = {}): Check {
  return (v, path, p) => {
    if (!Array.isArray(v)) return p.error(path, 'Must be a list.');
    if (opts.min !== undefined && v.length < opts.min) p.error(path, `Needs at least ${opts.min} item${opts.min === 1 ? '' : 's'}.`);
    if (opts.max !== undefined && v.length > opts.max) p.error(path, `At most ${opts.max} items.`);
    v.forEach((x, i) => item(x, [...path, i], p));
  };
}

/** A map with free keys (tags, labels): each key and value checked. */
export function record(key: (k: string) => string | undefined, value: Check, max?: number): Check {
  return (v, path, p) => {
    if (!isObject(v)) return p.error(path, 'Must be a map of names to values.');
    const keys = Object.keys(v);
    if (max !== undefined && keys.length > max) p.error(path, `At most ${max} entries.`);
    for (const k of keys) {
      const why = key(k);
      if (why) p.error([...path, k], why);
      value(v[k], [...path, k], p);
    }
  };
}

/**
 * An object with known keys only: an unknown key is an error (it would not be sent: the SDK keeps only the fields
 * it models, and ClusterDeck sends only what it shows), a missing required key too.
 */
export function obj(fields: Readonly<Record<string, Check>>, required: readonly string[] = [], what = 'ClusterDeck'): Check {
  return (v, path, p) => {
    if (!isObject(v)) return p.error(path, 'Must be an object.');
    for (const k of required) if (v[k] === undefined) p.error([...path, k], `"${k}" is required.`);
    for (const [k, x] of Object.entries(v)) {
      const check = fields[k];
      if (!check) p.error([...path, k], `"${k}" is not supported by ${what}'s create; remove it, or create with the az CLI.`);
      else check(x, [...path, k], p);
    }
  };
}
