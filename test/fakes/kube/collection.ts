/**
 * Objects of one group+resource, indexed by namespace and name, with sorted key arrays computed lazily and
 * cached until an object is added or removed (modifications keep the order), so paging through a large
 * collection costs a binary search plus the page, not a sort per request.
 */
import type { KubeObject } from './types';

/** Separator of composite `namespace\0name` keys: sorts below every valid name character. */
export const KEY_SEPARATOR = '\u0000';

export class Collection {
  private readonly byNamespace = new Map<string, Map<string, KubeObject>>();
  private readonly sortedNames = new Map<string, string[]>();
  private sortedAll: string[] | undefined;
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(namespace: string, name: string): KubeObject | undefined {
    return this.byNamespace.get(namespace)?.get(name);
  }

  /** Stores `obj`; returns the previous object (undefined when new). */
  set(namespace: string, name: string, obj: KubeObject): KubeObject | undefined {
    let names = this.byNamespace.get(namespace);
    if (!names) {
      names = new Map();
      this.byNamespace.set(namespace, names);
    }
    const previous = names.get(name);
    names.set(name, obj);
    if (!previous) {
      this.count++;
      this.sortedNames.delete(namespace);
      this.sortedAll = undefined;
    }
    return previous;
  }

  delete(namespace: string, name: string): KubeObject | undefined {
    const names = this.byNamespace.get(namespace);
    const previous = names?.get(name);
    if (!names || !previous) return undefined;
    names.delete(name);
    if (names.size === 0) this.byNamespace.delete(namespace);
    this.count--;
    this.sortedNames.delete(namespace);
    this.sortedAll = undefined;
    return previous;
  }

  /** Sorted names in one namespace ('' for cluster-scoped objects). */
  names(namespace: string): readonly string[] {
    let sorted = this.sortedNames.get(namespace);
    if (!sorted) {
      sorted = [...(this.byNamespace.get(namespace)?.keys() ?? [])].sort();
      this.sortedNames.set(namespace, sorted);
    }
    return sorted;
  }

  /** Sorted composite keys `namespace\0name` over all namespaces. */
  allKeys(): readonly string[] {
    if (!this.sortedAll) {
      const keys: string[] = [];
      for (const [ns, names] of this.byNamespace) for (const name of names.keys()) keys.push(`${ns}${KEY_SEPARATOR}${name}`);
      this.sortedAll = keys.sort();
    }
    return this.sortedAll;
  }

  getByKey(key: string): KubeObject | undefined {
    const i = key.indexOf(KEY_SEPARATOR);
    return i < 0 ? undefined : this.get(key.slice(0, i), key.slice(i + 1));
  }

  namespaces(): string[] {
    return [...this.byNamespace.keys()];
  }

  objectsIn(namespace: string): KubeObject[] {
    return [...(this.byNamespace.get(namespace)?.values() ?? [])];
  }

  *objects(): IterableIterator<KubeObject> {
    for (const names of this.byNamespace.values()) yield* names.values();
  }
}

/** Index of the first element >= `key` in a sorted array. */
export function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? '') < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
