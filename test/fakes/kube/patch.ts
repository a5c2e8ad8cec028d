/**
 * PATCH bodies: JSON merge patch (RFC 7386; strategic merge patch is treated as a merge patch, so lists are
 * replaced rather than merged by key) and JSON patch (RFC 6902).
 */
import { badRequest, KubeStatusError, failureStatus } from './status';
import { isRecord } from './types';

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key.startsWith('$setElementOrder/') || key === '$retainKeys' || key.startsWith('$deleteFromPrimitiveList/'))
      continue;
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw badRequest(`json patch: invalid path "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function patchFailure(message: string): KubeStatusError {
  // The apiserver answers a JSON patch that cannot be applied with 422 (test op) or 500; 422 is more useful.
  return new KubeStatusError(failureStatus(422, message, 'Invalid'));
}

type Container = Record<string, unknown> | unknown[];

function parentOf(doc: unknown, tokens: readonly string[], op: string): { parent: Container; key: string } {
  let current: unknown = doc;
  for (const token of tokens.slice(0, -1)) {
    if (Array.isArray(current)) current = current[Number(token)];
    else if (isRecord(current)) current = current[token];
    else current = undefined;
    if (current === undefined) throw patchFailure(`json patch ${op} operation does not apply: doc is missing path: "/${tokens.join('/')}"`);
  }
  if (!Array.isArray(current) && !isRecord(current))
    throw patchFailure(`json patch ${op} operation does not apply: doc is missing path: "/${tokens.join('/')}"`);
  return { parent: current, key: tokens[tokens.length - 1] ?? '' };
}

function getAt(doc: unknown, tokens: readonly string[], op: string): unknown {
  let current: unknown = doc;
  for (const token of tokens) {
    if (Array.isArray(current)) current = current[Number(token)];
    else if (isRecord(current)) current = current[token];
    else current = undefined;
    if (current === undefined) throw patchFailure(`json patch ${op} operation does not apply: doc is missing path: "/${tokens.join('/')}"`);
  }
  return current;
}

function arrayIndex(arr: unknown[], key: string, forInsert: boolean, op: string): number {
  if (key === '-' && forInsert) return arr.length;
  const i = Number(key);
  if (!/^\d+$/.test(key) || i > arr.length || (!forInsert && i >= arr.length))
    throw patchFailure(`json patch ${op}: index out of bounds: ${key}`);
  return i;
}

function addAt(doc: unknown, tokens: readonly string[], value: unknown, op: string): unknown {
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens, op);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true, op), 0, value);
  else parent[key] = value;
  return doc;
}

function removeAt(doc: unknown, tokens: readonly string[], op: string): unknown {
  if (tokens.length === 0) return undefined;
  const { parent, key } = parentOf(doc, tokens, op);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, false, op), 1);
  else {
    if (!(key in parent)) throw patchFailure(`json patch ${op} operation does not apply: doc is missing key: /${tokens.join('/')}`);
    delete parent[key];
  }
  return doc;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Applies an RFC 6902 patch to a copy of `doc`. */
export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let result: unknown = structuredClone(doc);
  for (const raw of ops) {
    if (!isRecord(raw) || typeof raw['op'] !== 'string' || typeof raw['path'] !== 'string')
      throw badRequest('json patch: invalid operation');
    const op = raw['op'];
    const path = decodePointer(raw['path']);
    switch (op) {
      case 'add':
        result = addAt(result, path, structuredClone(raw['value']), op);
        break;
      case 'remove':
        result = removeAt(result, path, op);
        break;
      case 'replace':
        getAt(result, path, op);
        result = addAt(removeAt(result, path, op), path, structuredClone(raw['value']), op);
        break;
      case 'move':
      case 'copy': {
        if (typeof raw['from'] !== 'string') throw badRequest(`json patch ${op}: missing from`);
        const from = decodePointer(raw['from']);
        const value = structuredClone(getAt(result, from, op));
        if (op === 'move') result = removeAt(result, from, op);
        result = addAt(result, path, value, op);
        break;
      }
      case 'test':
        if (!deepEqual(getAt(result, path, op), raw['value'])) throw patchFailure(`testing value /${path.join('/')} failed: test failed`);
        break;
      default:
        throw badRequest(`Unexpected kind: ${op}`);
    }
  }
  return result;
}
