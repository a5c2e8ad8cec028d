/**
 * Label selectors (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x,y)`, `a`, `!a`, `a>1`, `a<1`) and field
 * selectors (`f=v`, `f==v`, `f!=v`) with the apiserver's semantics and error messages.
 */
import type { KubeObject } from './types';
import { getPath } from './types';
import { badRequest } from './status';

type LabelRequirement =
  | { readonly op: 'in' | 'notin'; readonly key: string; readonly values: readonly string[] }
  | { readonly op: 'exists' | 'notexists'; readonly key: string }
  | { readonly op: 'gt' | 'lt'; readonly key: string; readonly value: number };

export type LabelSelector = readonly LabelRequirement[];

/** Splits on commas that are not inside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function checkKey(key: string, raw: string): string {
  if (!KEY.test(key) || key.length > 316) throw badRequest(`unable to parse requirement: invalid label key "${key}" in "${raw}"`);
  return key;
}

function checkValue(value: string, raw: string): string {
  if (!VALUE.test(value) || value.length > 63) throw badRequest(`unable to parse requirement: invalid label value: "${value}" in "${raw}"`);
  return value;
}

/** Parses a label selector; throws a 400 KubeStatusError when it is malformed. */
export function parseLabelSelector(text: string | undefined): LabelSelector {
  if (!text || text.trim() === '') return [];
  const out: LabelRequirement[] = [];
  for (const part of splitTopLevel(text)) {
    let m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
    if (m) {
      const values = (m[3] ?? '').split(',').map((v) => checkValue(v.trim(), part));
      out.push({ op: m[2] === 'in' ? 'in' : 'notin', key: checkKey(m[1] ?? '', part), values });
      continue;
    }
    m = /^!\s*(\S+)$/.exec(part);
    if (m) {
      out.push({ op: 'notexists', key: checkKey(m[1] ?? '', part) });
      continue;
    }
    m = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(.*)$/.exec(part);
    if (m) {
      const key = checkKey(m[1] ?? '', part);
      const value = (m[3] ?? '').trim();
      const op = m[2];
      if (op === '>' || op === '<') {
        const n = Number(value);
        if (!Number.isInteger(n))
          throw badRequest(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer in "${part}"`);
        out.push({ op: op === '>' ? 'gt' : 'lt', key, value: n });
      } else {
        out.push({ op: op === '!=' ? 'notin' : 'in', key, values: [checkValue(value, part)] });
      }
      continue;
    }
    if (/^\S+$/.test(part)) {
      out.push({ op: 'exists', key: checkKey(part, part) });
      continue;
    }
    throw badRequest(`unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`);
  }
  return out;
}

export function matchesLabels(selector: LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  for (const req of selector) {
    const value = labels?.[req.key];
    switch (req.op) {
      case 'in':
        if (value === undefined || !req.values.includes(value)) return false;
        break;
      case 'notin':
        if (value !== undefined && req.values.includes(value)) return false;
        break;
      case 'exists':
        if (value === undefined) return false;
        break;
      case 'notexists':
        if (value !== undefined) return false;
        break;
      case 'gt':
      case 'lt': {
        if (value === undefined) return false;
        const n = Number(value);
        if (!Number.isInteger(n)) return false;
        if (req.op === 'gt' ? !(n > req.value) : !(n < req.value)) return false;
        break;
      }
    }
  }
  return true;
}

interface FieldRequirement {
  readonly field: string;
  readonly negate: boolean;
  readonly value: string;
}
export type FieldSelector = readonly FieldRequirement[];

/** Parses a field selector; `allowed` are the labels the resource supports beyond metadata.name/namespace. */
export function parseFieldSelector(text: string | undefined, allowed: readonly string[]): FieldSelector {
  if (!text || text.trim() === '') return [];
  const out: FieldRequirement[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    const field = m[1] ?? '';
    if (field !== 'metadata.name' && field !== 'metadata.namespace' && !allowed.includes(field)) {
      throw badRequest(`field label not supported: ${field}`);
    }
    out.push({ field, negate: m[2] === '!=', value: (m[3] ?? '').trim() });
  }
  return out;
}

function fieldValue(obj: KubeObject, field: string): string {
  const v = getPath(obj, field);
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

export function matchesFields(selector: FieldSelector, obj: KubeObject): boolean {
  for (const req of selector) {
    const equal = fieldValue(obj, req.field) === req.value;
    if (equal === req.negate) return false;
  }
  return true;
}

export interface ObjectFilter {
  readonly labels: LabelSelector;
  readonly fields: FieldSelector;
}

export function isEmptyFilter(f: ObjectFilter): boolean {
  return f.labels.length === 0 && f.fields.length === 0;
}

export function matchesFilter(f: ObjectFilter, obj: KubeObject): boolean {
  return matchesLabels(f.labels, obj.metadata.labels) && matchesFields(f.fields, obj);
}
