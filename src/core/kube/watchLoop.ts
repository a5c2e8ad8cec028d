import { ClusterDeckError, isCancellation } from '../errors';
import type { WatchEvent } from './kubeClient';

/** What the loop needs from the outside world: the list and watch calls, a clock and a source of jitter. */
export interface WatchLoopDeps {
  /**
   * (Re)lists the collection and returns its resourceVersion (the list's `metadata.resourceVersion`). Called at
   * the start when no resourceVersion is known and after a 410 Gone/Expired. Throws like any KubeClient call.
   */
  readonly relist: (signal: AbortSignal) => Promise<string | undefined>;
  /**
   * One watch stream from `resourceVersion`; resolves when the server ends it, rejects on failure (an HTTP 410 is a
   * ClusterDeckError with `detail.status` 410). An exception thrown by `onEvent` ends the stream and rejects with it.
   */
  readonly watch: (resourceVersion: string | undefined, signal: AbortSignal, onEvent: (event: WatchEvent) => void) => Promise<void>;
  /** A change arrived (ADDED / MODIFIED / DELETED). Not called for BOOKMARK and ERROR events. */
  readonly onEvent: (event: WatchEvent) => void;
  /** After N consecutive failures: the loop has stopped for good ("live updates stopped"); `error` is the last one. */
  readonly onStopped: (error: unknown) => void;
  /** Waits `ms` (rejects with CancelledError when `signal` aborts). Tests pass a fake clock. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Uniform in [0, 1): the jitter. Default Math.random. */
  readonly random?: () => number;
  /** Monotonic milliseconds, to tell a stream that ended at once from one that ran. Default Date.now. */
  readonly now?: () => number;
}

export interface WatchLoopOptions {
  /** resourceVersion of the list the caller already shows; without it the loop relists first. */
  readonly resourceVersion?: string;
  /** Consecutive failures before the loop stops (default 6). */
  readonly maxFailures?: number;
  /** First backoff delay (default 1,000 ms); doubles per consecutive failure up to `maxDelayMs` (default 30,000 ms). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** A stream that ends cleanly sooner than this without delivering anything counts as a failure (default 1,000 ms). */
  readonly minHealthyStreamMs?: number;
}

/** The delay before reconnect attempt `failures` (1-based): exponential, capped, with "equal jitter" (half fixed, half random). */
export function backoffDelayMs(failures: number, random: number, baseDelayMs = 1000, maxDelayMs = 30_000): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/** Whether an error (or an in-stream ERROR event's Status) says the resourceVersion is too old: 410 Gone / Expired. */
export function isExpired(e: unknown): boolean {
  return e instanceof ClusterDeckError && e.detail.status === 410;
}

function expiredFromEvent(event: WatchEvent): ClusterDeckError {
  const status = event.object as { code?: number; reason?: string; message?: string };
  const message = typeof status.message === 'string' ? status.message : 'watch error';
  if (status.code === 410 || status.reason === 'Expired' || status.reason === 'Gone')
    return new ClusterDeckError('unknown', `The watch expired: ${message}`, { status: 410 });
  return new ClusterDeckError(
    (status.code ?? 500) >= 500 ? 'serverError' : 'unknown',
    `The watch failed: ${message}`,
    status.code ? { status: status.code } : {},
  );
}

function resourceVersionOf(event: WatchEvent): string | undefined {
  const rv = (event.object.metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion;
  return typeof rv === 'string' && rv !== '' ? rv : undefined;
}

/**
 * Follows a collection like client-go's reflector: watches from the last seen resourceVersion (advanced by every
 * event and BOOKMARK), relists on 410 Gone/Expired (HTTP 410 or an in-stream ERROR event) and watches again, and
 * reconnects after other failures with exponential backoff and jitter. After `maxFailures` consecutive failures
 * it calls `onStopped` and returns. Resolves when `signal` aborts (never rejects).
 */
export async function runWatchLoop(deps: WatchLoopDeps, signal: AbortSignal, options: WatchLoopOptions = {}): Promise<void> {
  const maxFailures = options.maxFailures ?? 6;
  const random = deps.random ?? Math.random;
  const now = deps.now ?? Date.now;
  const minHealthy = options.minHealthyStreamMs ?? 1000;
  let resourceVersion = options.resourceVersion;
  let needsRelist = resourceVersion === undefined;
  let failures = 0;
  let expiredInARow = 0;
  let lastError: unknown;

  while (!signal.aborted) {
    try {
      if (needsRelist) {
        resourceVersion = await deps.relist(signal);
        needsRelist = false;
      }
      const started = now();
      let delivered = false;
      await deps.watch(resourceVersion, signal, (event) => {
        if (event.type === 'ERROR') throw expiredFromEvent(event);
        resourceVersion = resourceVersionOf(event) ?? resourceVersion;
        delivered = true;
        failures = 0;
        expiredInARow = 0;
        if (event.type !== 'BOOKMARK') deps.onEvent(event);
      });
      if (signal.aborted) return;
      // A clean end (timeoutSeconds) is normal; one that ends at once with nothing is a server that refuses us.
      if (delivered || now() - started >= minHealthy) {
        failures = 0;
        continue;
      }
      lastError = new ClusterDeckError('unreachable', 'The watch stream ended immediately.');
    } catch (e) {
      if (signal.aborted || isCancellation(e)) return;
      if (isExpired(e)) {
        // Relist at once: the server has compacted past us. Twice in a row without progress counts as a failure.
        needsRelist = true;
        resourceVersion = undefined;
        expiredInARow++;
        if (expiredInARow < 2) continue;
      }
      lastError = e;
    }
    failures++;
    if (failures >= maxFailures) {
      deps.onStopped(lastError);
      return;
    }
    try {
      await deps.sleep(backoffDelayMs(failures, random(), options.baseDelayMs, options.maxDelayMs), signal);
    } catch {
      return;
    }
  }
}
