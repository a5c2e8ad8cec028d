/**
 * The generic object store behind the fake: one global, monotonically increasing resourceVersion, a bounded
 * event history for watch replay, owner-reference cascading deletion and apiserver-like create/update/delete
 * semantics (uid, creationTimestamp, generation, status subresource, conflicts, preconditions, dry run).
 */
import { randomUUID } from 'node:crypto';
import { Collection, KEY_SEPARATOR, lowerBound } from './collection';
import { EventHistory } from './eventHistory';
import { ResourceRegistry } from './registry';
import type { ResourceDef } from './resources';
import { apiVersionOf, crdAcceptedStatus, defsFromCrd, storeKeyOf } from './resources';
import type { ObjectFilter } from './selectors';
import { isEmptyFilter, matchesFilter } from './selectors';
import {
  alreadyExists,
  badRequest,
  conflict,
  CONTINUE_EXPIRED_MESSAGE,
  expired,
  invalid,
  KubeStatusError,
  failureStatus,
  notFound,
} from './status';
import type { KubeObject, OwnerReference } from './types';
import { isRecord, kubeTimestamp } from './types';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  readonly rv: number;
  readonly type: WatchEventType;
  readonly storeKey: string;
  readonly object: KubeObject;
  /** The object before a MODIFIED event (selector transitions). */
  readonly previous?: KubeObject;
}

export type StoreListener = (event: StoreEvent) => void;

export interface ListOptions {
  /** undefined: all namespaces (or a cluster-scoped resource). */
  readonly namespace?: string;
  readonly filter: ObjectFilter;
  readonly limit?: number;
  readonly continueToken?: string;
}

export interface ListResult {
  readonly items: KubeObject[];
  readonly resourceVersion: string;
  readonly continueToken?: string;
  readonly remainingItemCount?: number;
}

export interface WriteOptions {
  readonly dryRun?: boolean;
  /** Create a missing namespace instead of answering 404 (programmatic seeding). */
  readonly ensureNamespace?: boolean;
}

export interface UpdateOptions extends WriteOptions {
  /** 'main': status changes are ignored when the resource has a status subresource; 'status': only status changes; 'all': everything (seeding). */
  readonly scope: 'main' | 'status' | 'all';
  /** Create when missing (server-side apply, upsert). */
  readonly allowCreate?: boolean;
}

export interface DeleteOptions {
  readonly dryRun?: boolean;
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly propagationPolicy?: string;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAMED_KINDS = new Set(['Namespace', 'Service']);
const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

interface ContinueToken {
  readonly v: 'meta.k8s.io/v1';
  readonly rv: number;
  readonly start: string;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token), 'utf8').toString('base64url');
}

function decodeContinue(text: string): ContinueToken | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (isRecord(parsed) && parsed['v'] === 'meta.k8s.io/v1' && typeof parsed['rv'] === 'number' && typeof parsed['start'] === 'string') {
      return { v: 'meta.k8s.io/v1', rv: parsed['rv'], start: parsed['start'] };
    }
  } catch {
    // falls through: a bogus token is treated like an expired one
  }
  return undefined;
}

function randomSuffix(length = 5): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
  return s;
}

/** Everything except metadata and status: what bumps metadata.generation. */
function specOf(obj: KubeObject): string {
  const rest: Partial<KubeObject> = { ...obj };
  delete rest.metadata;
  delete rest['status'];
  return JSON.stringify(rest);
}

function withoutVolatileMeta(obj: KubeObject): string {
  const meta = { ...obj.metadata };
  delete meta.resourceVersion;
  delete meta['managedFields'];
  return JSON.stringify({ ...obj, metadata: meta });
}

export interface KubeStoreOptions {
  readonly historySize: number;
  readonly builtins: readonly ResourceDef[];
  readonly startResourceVersion?: number;
}

export class KubeStore {
  readonly registry = new ResourceRegistry();
  private readonly collections = new Map<string, Collection>();
  private readonly listeners = new Map<string, Set<StoreListener>>();
  private readonly owners = new Map<string, Set<string>>();
  private readonly crdDefs = new Map<string, ResourceDef[]>();
  private readonly history: EventHistory;
  private rv: number;
  private compactedRv: number;

  constructor(options: KubeStoreOptions) {
    this.rv = options.startResourceVersion ?? 1000;
    this.compactedRv = this.rv;
    this.history = new EventHistory(options.historySize, this.rv);
    for (const def of options.builtins) this.registry.add(def);
    const nsDef = this.mustDef('v1', 'Namespace');
    for (const name of SYSTEM_NAMESPACES) this.create(nsDef, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }

  get resourceVersion(): number {
    return this.rv;
  }

  /** Oldest resourceVersion a watch can still start from. */
  get oldestWatchableResourceVersion(): number {
    return this.history.floor;
  }

  mustDef(apiVersion: string, kind: string): ResourceDef {
    const def = this.registry.byApiVersionKind(apiVersion, kind);
    if (!def) throw new Error(`the fake does not serve ${kind} in ${apiVersion}`);
    return def;
  }

  collection(def: ResourceDef): Collection {
    const key = storeKeyOf(def);
    let c = this.collections.get(key);
    if (!c) {
      c = new Collection();
      this.collections.set(key, c);
    }
    return c;
  }

  get(def: ResourceDef, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.collection(def).get(def.namespaced ? (namespace ?? '') : '', name);
  }

  /** Subscribes to events of one group+resource. */
  subscribe(def: ResourceDef, listener: StoreListener): () => void {
    const key = storeKeyOf(def);
    let set = this.listeners.get(key);
    if (!set) {
      set = new Set();
      this.listeners.set(key, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Events of one group+resource after `rv`; undefined when the history no longer reaches back that far. */
  eventsSince(def: ResourceDef, rv: number): StoreEvent[] | undefined {
    const key = storeKeyOf(def);
    return this.history.since(rv)?.filter((e) => e.storeKey === key);
  }

  /** Forgets the event history: watches and continue tokens from older resourceVersions get 410 Expired. */
  compact(): void {
    this.compactedRv = this.rv;
    this.history.clear(this.rv);
  }

  // ---------------------------------------------------------------- low level write

  /** Stores a fully prepared object under a new resourceVersion and notifies watchers. */
  commit(def: ResourceDef, obj: KubeObject, type: 'ADDED' | 'MODIFIED'): KubeObject {
    this.rv++;
    obj.metadata.resourceVersion = String(this.rv);
    const ns = def.namespaced ? (obj.metadata.namespace ?? '') : '';
    const name = obj.metadata.name ?? '';
    const previous = this.collection(def).set(ns, name, obj);
    this.indexOwners(def, previous, obj);
    this.emit({
      rv: this.rv,
      type: previous ? 'MODIFIED' : type,
      storeKey: storeKeyOf(def),
      object: obj,
      ...(previous ? { previous } : {}),
    });
    return obj;
  }

  private emit(event: StoreEvent): void {
    this.history.push(event);
    const set = this.listeners.get(event.storeKey);
    if (set) for (const listener of [...set]) listener(event);
  }

  private ownerKey(def: ResourceDef, obj: KubeObject): string {
    return `${storeKeyOf(def)}${KEY_SEPARATOR}${obj.metadata.namespace ?? ''}${KEY_SEPARATOR}${obj.metadata.name ?? ''}`;
  }

  private indexOwners(def: ResourceDef, previous: KubeObject | undefined, next: KubeObject | undefined): void {
    const key = this.ownerKey(def, (next ?? previous)!);
    for (const ref of previous?.metadata.ownerReferences ?? []) this.owners.get(ref.uid)?.delete(key);
    for (const ref of next?.metadata.ownerReferences ?? []) {
      let set = this.owners.get(ref.uid);
      if (!set) {
        set = new Set();
        this.owners.set(ref.uid, set);
      }
      set.add(key);
    }
  }

  // ---------------------------------------------------------------- create / update / delete

  private validateName(def: ResourceDef, obj: KubeObject): void {
    const name = obj.metadata.name ?? '';
    const pattern = LABEL_NAMED_KINDS.has(def.kind) && def.group === '' ? DNS1123_LABEL : DNS1123_SUBDOMAIN;
    const max = pattern === DNS1123_LABEL ? 63 : 253;
    if (name === '') {
      throw invalid(def.group, def.kind, '', [
        { field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value: name or generateName is required' },
      ]);
    }
    if (!pattern.test(name) || name.length > max) {
      const what = pattern === DNS1123_LABEL ? 'a lowercase RFC 1123 label' : 'a lowercase RFC 1123 subdomain';
      throw invalid(def.group, def.kind, name, [
        {
          field: 'metadata.name',
          reason: 'FieldValueInvalid',
          message: `Invalid value: "${name}": ${what} must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
        },
      ]);
    }
  }

  /** POST semantics; throws KubeStatusError (409, 404 namespace, 422). */
  create(def: ResourceDef, input: KubeObject, options: WriteOptions = {}): KubeObject {
    const obj = structuredClone(input);
    obj.apiVersion = apiVersionOf(def);
    obj.kind = def.kind;
    if (!isRecord(obj.metadata)) obj.metadata = {};
    const meta = obj.metadata;
    if (!def.namespaced) delete meta.namespace;
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomSuffix()}`;
    this.validateName(def, obj);
    const ns = def.namespaced ? (meta.namespace ?? '') : '';
    if (def.namespaced) {
      if (!ns) throw badRequest('the server could not find the requested resource: a namespace is required');
      const nsDef = this.mustDef('v1', 'Namespace');
      if (!this.get(nsDef, undefined, ns)) {
        if (!options.ensureNamespace) throw notFound('', 'namespaces', ns);
        if (!options.dryRun) this.create(nsDef, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
      }
    }
    const name = meta.name ?? '';
    if (this.collection(def).get(ns, name)) throw alreadyExists(def.group, def.plural, name);
    meta.uid = meta.uid ?? randomUUID();
    meta.creationTimestamp = meta.creationTimestamp ?? kubeTimestamp();
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    if (def.tracksGeneration) meta.generation = 1;
    this.applyKindDefaults(def, obj);
    if (options.dryRun) return obj;
    this.commit(def, obj, 'ADDED');
    if (def.kind === 'CustomResourceDefinition' && def.group === 'apiextensions.k8s.io') this.registerCrd(obj);
    return obj;
  }

  private applyKindDefaults(def: ResourceDef, obj: KubeObject): void {
    if (def.group === '' && def.kind === 'Namespace') {
      const name = obj.metadata.name ?? '';
      obj.metadata.labels = { ...obj.metadata.labels, 'kubernetes.io/metadata.name': name };
      obj['spec'] = isRecord(obj['spec']) ? obj['spec'] : { finalizers: ['kubernetes'] };
      obj['status'] = isRecord(obj['status']) ? obj['status'] : { phase: 'Active' };
    } else if (def.group === '' && def.kind === 'Pod' && !isRecord(obj['status'])) {
      obj['status'] = { phase: 'Pending', qosClass: 'BestEffort' };
    } else if (def.kind === 'CustomResourceDefinition' && def.group === 'apiextensions.k8s.io' && !isRecord(obj['status'])) {
      obj['status'] = crdAcceptedStatus(obj, obj.metadata.creationTimestamp ?? kubeTimestamp());
    }
  }

  /** PUT semantics (and the write half of PATCH). Returns the stored object and whether it was created. */
  update(def: ResourceDef, input: KubeObject, options: UpdateOptions): { object: KubeObject; created: boolean } {
    const ns = def.namespaced ? (input.metadata.namespace ?? '') : '';
    const name = input.metadata.name ?? '';
    const current = this.collection(def).get(ns, name);
    if (!current) {
      if (!options.allowCreate) throw notFound(def.group, def.plural, name);
      return { object: this.create(def, input, options), created: true };
    }
    const requestedRv = input.metadata.resourceVersion;
    if (requestedRv && requestedRv !== current.metadata.resourceVersion) {
      throw conflict(
        def.group,
        def.plural,
        name,
        'the object has been modified; please apply your changes to the latest version and try again',
      );
    }
    if (input.metadata.uid && input.metadata.uid !== current.metadata.uid) {
      throw conflict(
        def.group,
        def.plural,
        name,
        `Precondition failed: UID in precondition: ${input.metadata.uid}, UID in object meta: ${current.metadata.uid ?? ''}`,
      );
    }
    let next: KubeObject;
    const hasStatusSub = def.subresources.includes('status');
    if (options.scope === 'status') {
      next = structuredClone(current);
      if (input['status'] === undefined) delete next['status'];
      else next['status'] = structuredClone(input['status']);
    } else {
      next = structuredClone(input);
      next.apiVersion = apiVersionOf(def);
      next.kind = def.kind;
      if (options.scope === 'main' && hasStatusSub) {
        if (current['status'] === undefined) delete next['status'];
        else next['status'] = structuredClone(current['status']);
      }
    }
    // Immutable metadata stays as stored.
    next.metadata.uid = current.metadata.uid;
    next.metadata.creationTimestamp = current.metadata.creationTimestamp;
    next.metadata.name = current.metadata.name;
    if (def.namespaced) next.metadata.namespace = current.metadata.namespace;
    else delete next.metadata.namespace;
    if (current.metadata.generation !== undefined || def.tracksGeneration) {
      const generation = current.metadata.generation ?? 1;
      next.metadata.generation = options.scope !== 'status' && specOf(next) !== specOf(current) ? generation + 1 : generation;
    }
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    if (withoutVolatileMeta(next) === withoutVolatileMeta(current)) return { object: current, created: false };
    if (options.dryRun) return { object: next, created: false };
    this.commit(def, next, 'MODIFIED');
    if (def.kind === 'CustomResourceDefinition' && def.group === 'apiextensions.k8s.io') this.registerCrd(next);
    return { object: next, created: false };
  }

  /** DELETE semantics; returns the removed object. Cascades to namespaces' contents, CRDs' objects and dependents. */
  delete(def: ResourceDef, namespace: string | undefined, name: string, options: DeleteOptions = {}): KubeObject {
    const ns = def.namespaced ? (namespace ?? '') : '';
    const current = this.collection(def).get(ns, name);
    if (!current) throw notFound(def.group, def.plural, name);
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== current.metadata.uid) {
      throw conflict(
        def.group,
        def.plural,
        name,
        `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid ?? ''}`,
      );
    }
    if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw conflict(
        def.group,
        def.plural,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion ?? ''}`,
      );
    }
    if (options.dryRun) return current;
    this.removeNow(def, current, options.propagationPolicy !== 'Orphan');
    return current;
  }

  private removeNow(def: ResourceDef, current: KubeObject, cascade: boolean): void {
    const ns = def.namespaced ? (current.metadata.namespace ?? '') : '';
    const name = current.metadata.name ?? '';
    if (def.group === '' && def.kind === 'Namespace') {
      for (const other of this.registry.all()) {
        if (!other.namespaced) continue;
        const c = this.collections.get(storeKeyOf(other));
        for (const obj of c?.objectsIn(name) ?? []) if (c?.get(name, obj.metadata.name ?? '')) this.removeNow(other, obj, false);
      }
    }
    if (def.kind === 'CustomResourceDefinition' && def.group === 'apiextensions.k8s.io') this.unregisterCrd(current, true);
    if (!this.collection(def).delete(ns, name)) return;
    this.indexOwners(def, current, undefined);
    this.rv++;
    const deleted: KubeObject = { ...current, metadata: { ...current.metadata, resourceVersion: String(this.rv) } };
    this.emit({ rv: this.rv, type: 'DELETED', storeKey: storeKeyOf(def), object: deleted });
    const uid = current.metadata.uid;
    if (cascade && uid) this.deleteDependents(uid);
  }

  private deleteDependents(ownerUid: string): void {
    const dependents = this.owners.get(ownerUid);
    if (!dependents) return;
    this.owners.delete(ownerUid);
    for (const key of [...dependents]) {
      const [storeKey, ns, name] = key.split(KEY_SEPARATOR);
      const def = this.registry.all().find((d) => storeKeyOf(d) === storeKey);
      if (!def || name === undefined) continue;
      const obj = this.collection(def).get(def.namespaced ? (ns ?? '') : '', name);
      const refs: OwnerReference[] = obj?.metadata.ownerReferences ?? [];
      if (obj && refs.some((r) => r.uid === ownerUid)) this.removeNow(def, obj, true);
    }
  }

  private registerCrd(crd: KubeObject): void {
    this.unregisterCrd(crd, false);
    const defs = defsFromCrd(crd);
    for (const def of defs) this.registry.add(def);
    this.crdDefs.set(crd.metadata.name ?? '', defs);
  }

  private unregisterCrd(crd: KubeObject, deleteObjects: boolean): void {
    const defs = this.crdDefs.get(crd.metadata.name ?? '') ?? [];
    this.crdDefs.delete(crd.metadata.name ?? '');
    if (deleteObjects && defs[0]) {
      const first = defs[0];
      for (const obj of [...this.collection(first).objects()]) this.removeNow(first, obj, false);
      this.collections.delete(storeKeyOf(first));
    }
    for (const def of defs) this.registry.remove(def);
  }

  // ---------------------------------------------------------------- list

  list(def: ResourceDef, options: ListOptions): ListResult {
    const c = this.collection(def);
    let listRv = this.rv;
    let start = 0;
    const allNamespaces = def.namespaced && options.namespace === undefined;
    const keys = allNamespaces ? c.allKeys() : c.names(def.namespaced ? (options.namespace ?? '') : '');
    const lookup = allNamespaces
      ? (k: string): KubeObject | undefined => c.getByKey(k)
      : (k: string): KubeObject | undefined => c.get(def.namespaced ? (options.namespace ?? '') : '', k);
    if (options.continueToken) {
      const token = decodeContinue(options.continueToken);
      if (!token || token.rv < this.compactedRv) throw expired(CONTINUE_EXPIRED_MESSAGE);
      listRv = token.rv;
      start = lowerBound(keys, token.start);
    }
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const filtered = !isEmptyFilter(options.filter);
    const items: KubeObject[] = [];
    let i = start;
    let lastKey: string | undefined;
    for (; i < keys.length && items.length < limit; i++) {
      const key = keys[i] ?? '';
      const obj = lookup(key);
      if (!obj || (filtered && !matchesFilter(options.filter, obj))) continue;
      items.push(obj);
      lastKey = key;
    }
    let more = false;
    if (items.length >= limit && i < keys.length) {
      if (!filtered) more = true;
      else
        for (let j = i; j < keys.length; j++) {
          const obj = lookup(keys[j] ?? '');
          if (obj && matchesFilter(options.filter, obj)) {
            more = true;
            break;
          }
        }
    }
    const result: ListResult = { items, resourceVersion: String(listRv) };
    if (!more || lastKey === undefined) return result;
    const continueToken = encodeContinue({ v: 'meta.k8s.io/v1', rv: listRv, start: `${lastKey}${KEY_SEPARATOR}` });
    return filtered ? { ...result, continueToken } : { ...result, continueToken, remainingItemCount: keys.length - i };
  }

  /** Every object of a resource in key order (watch initial events). */
  snapshot(def: ResourceDef, namespace: string | undefined, filter: ObjectFilter): KubeObject[] {
    return this.list(def, { namespace, filter }).items;
  }
}

/** A 410 for a watch from a resourceVersion the history no longer covers. */
export function tooOldResourceVersion(requested: number, oldest: number): KubeStatusError {
  return new KubeStatusError(failureStatus(410, `too old resource version: ${requested} (${oldest})`, 'Expired'));
}
