/**
 * `?watch=true` streams: 200 with chunked, newline-delimited `{"type":…,"object":…}` events.
 *
 * - no resourceVersion (or "0"): synthetic ADDED events for the current objects, then live events;
 * - a resourceVersion: replay of the history after it, then live events;
 * - a resourceVersion older than the history (after `compact()` or once the bounded history has moved on):
 *   `expiredMode: 'event'` (the apiserver's behaviour) answers 200 with one in-stream ERROR event carrying a
 *   410 Expired Status and ends the stream; `expiredMode: 'http'` answers HTTP 410 with the Status instead;
 * - `allowWatchBookmarks`: BOOKMARK events every `bookmarkIntervalMs`, and after the initial events when
 *   `sendInitialEvents=true` (annotated `k8s.io/initial-events-end`);
 * - label/field selectors: an object that stops matching arrives as DELETED, one that starts as ADDED;
 * - `timeoutSeconds` ends the stream cleanly.
 */
import type { ServerResponse } from 'node:http';
import type { ResourceDef } from './resources';
import type { ObjectFilter } from './selectors';
import { matchesFilter } from './selectors';
import { badRequest, KubeStatusError } from './status';
import type { KubeStore, StoreEvent } from './store';
import { tooOldResourceVersion } from './store';
import type { KubeObject } from './types';

export interface WatchParams {
  readonly def: ResourceDef;
  readonly namespace?: string;
  readonly filter: ObjectFilter;
  readonly resourceVersion?: string;
  readonly allowBookmarks: boolean;
  readonly sendInitialEvents?: boolean;
  readonly timeoutSeconds?: number;
  /** apiVersion the objects are served as (multi-version CRDs). */
  readonly servedApiVersion: string;
  /** Turns a stored object into what goes on the wire (Table row, metadata only, or the object). */
  readonly transform: (obj: KubeObject) => unknown;
  readonly contentType: string;
}

export interface WatchConfig {
  readonly expiredMode: 'event' | 'http';
  readonly bookmarkIntervalMs: number;
  /** Registers the stream so that server shutdown can end it; returns the deregistration. */
  readonly track: (end: () => void) => () => void;
}

/** Starts a watch stream. Throws KubeStatusError before anything is written (400, or 410 in 'http' mode). */
export function startWatch(store: KubeStore, params: WatchParams, res: ServerResponse, config: WatchConfig): void {
  const { def, filter } = params;
  const rvText = params.resourceVersion ?? '';
  const fromCurrentState = rvText === '' || rvText === '0' || params.sendInitialEvents === true;
  let replay: StoreEvent[] = [];
  let expiredError: KubeStatusError | undefined;
  if (!fromCurrentState) {
    if (!/^\d+$/.test(rvText)) throw badRequest(`invalid resource version: ${rvText}`);
    const requested = Number(rvText);
    const events = store.eventsSince(def, requested);
    if (!events) {
      expiredError = tooOldResourceVersion(requested, store.oldestWatchableResourceVersion);
      if (config.expiredMode === 'http') throw expiredError;
    } else replay = events;
  }

  res.writeHead(200, { 'content-type': params.contentType, 'cache-control': 'no-cache, private', 'x-content-type-options': 'nosniff' });
  res.flushHeaders();

  const write = (type: string, object: unknown): void => {
    if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const serve = (obj: KubeObject): unknown =>
    params.transform(obj.apiVersion === params.servedApiVersion ? obj : { ...obj, apiVersion: params.servedApiVersion });

  if (expiredError) {
    write('ERROR', expiredError.status);
    res.end();
    return;
  }

  const inScope = (obj: KubeObject): boolean =>
    !def.namespaced || params.namespace === undefined || obj.metadata.namespace === params.namespace;
  const deliver = (event: StoreEvent): void => {
    if (!inScope(event.object)) return;
    const now = matchesFilter(filter, event.object);
    if (event.type !== 'MODIFIED' || !event.previous) {
      if (now) write(event.type, serve(event.object));
      return;
    }
    const before = matchesFilter(filter, event.previous);
    if (now && before) write('MODIFIED', serve(event.object));
    else if (now) write('ADDED', serve(event.object));
    else if (before) write('DELETED', serve(event.object));
  };

  const bookmark = (initialEventsEnd: boolean): void => {
    const metadata: Record<string, unknown> = { resourceVersion: String(store.resourceVersion) };
    if (initialEventsEnd) metadata['annotations'] = { 'k8s.io/initial-events-end': 'true' };
    write('BOOKMARK', { kind: def.kind, apiVersion: params.servedApiVersion, metadata });
  };

  // Live events: the process is single-threaded, so nothing can slip in between the snapshot and subscribing.
  const unsubscribe = store.subscribe(def, deliver);
  if (fromCurrentState) {
    for (const obj of store.snapshot(def, def.namespaced ? params.namespace : undefined, filter)) write('ADDED', serve(obj));
    if (params.sendInitialEvents === true && params.allowBookmarks) bookmark(true);
  } else {
    for (const event of replay) deliver(event);
  }

  const timers: NodeJS.Timeout[] = [];
  let untrack: () => void = () => undefined;
  const cleanup = (): void => {
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    untrack();
  };
  const end = (): void => {
    cleanup();
    if (!res.writableEnded) res.end();
  };
  untrack = config.track(end);
  if (params.allowBookmarks && config.bookmarkIntervalMs > 0) {
    const t = setInterval(() => bookmark(false), config.bookmarkIntervalMs);
    t.unref();
    timers.push(t);
  }
  if (params.timeoutSeconds !== undefined && params.timeoutSeconds > 0) {
    const t = setTimeout(end, params.timeoutSeconds * 1000);
    t.unref();
    timers.push(t);
  }
  res.on('close', cleanup);
}
