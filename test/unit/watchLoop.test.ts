import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CancelledError, ClusterDeckError } from '../../src/core/errors';
import type { WatchEvent } from '../../src/core/kube/kubeClient';
import { backoffDelayMs, runWatchLoop, type WatchLoopDeps } from '../../src/core/kube/watchLoop';

type Stream = (onEvent: (e: WatchEvent) => void) => void | Promise<void>;

const obj = (rv: string, name = 'x'): Record<string, unknown> => ({ metadata: { name, resourceVersion: rv } });
const ev = (type: WatchEvent['type'], object: Record<string, unknown>): WatchEvent => ({ type, object });
const unreachable = (): ClusterDeckError => new ClusterDeckError('unreachable', 'down');

/** A scripted loop: each watch call plays the next stream; a virtual clock advances by every sleep. */
function harness(streams: Stream[], opts: { relists?: (string | Error)[]; random?: number } = {}) {
  const controller = new AbortController();
  const watchedFrom: (string | undefined)[] = [];
  const sleeps: number[] = [];
  const events: WatchEvent[] = [];
  const stopped: unknown[] = [];
  const relists = [...(opts.relists ?? [])];
  let relistCount = 0;
  let clock = 0;
  const deps: WatchLoopDeps = {
    relist: () => {
      relistCount++;
      const next = relists.shift() ?? `relist-${relistCount}`;
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
    watch: async (rv, _signal, onEvent) => {
      watchedFrom.push(rv);
      const stream = streams.shift();
      if (!stream) {
        controller.abort();
        throw new CancelledError();
      }
      clock += 5_000; // every stream "runs" 5 s unless it throws at once
      await stream(onEvent);
    },
    onEvent: (e) => events.push(e),
    onStopped: (e) => stopped.push(e),
    sleep: (ms) => {
      sleeps.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    random: () => opts.random ?? 0.5,
    now: () => clock,
  };
  return {
    deps,
    controller,
    watchedFrom,
    sleeps,
    events,
    stopped,
    get relistCount() {
      return relistCount;
    },
  };
}

test('events advance the resourceVersion; BOOKMARKs advance it silently; a clean end reconnects from it at once', async () => {
  const h = harness([
    (on) => {
      on(ev('ADDED', obj('11', 'a')));
      on(ev('MODIFIED', obj('12', 'a')));
      on(ev('BOOKMARK', obj('15')));
    },
    (on) => on(ev('DELETED', obj('16', 'a'))),
  ]);
  await runWatchLoop(h.deps, h.controller.signal, { resourceVersion: '10' });
  assert.deepEqual(h.watchedFrom, ['10', '15', '16']);
  assert.deepEqual(
    h.events.map((e) => e.type),
    ['ADDED', 'MODIFIED', 'DELETED'],
  );
  assert.equal(h.relistCount, 0);
  assert.deepEqual(h.sleeps, [], 'a healthy stream that ends is re-opened without backoff');
});

test('without a resourceVersion the loop lists first', async () => {
  const h = harness([() => undefined], { relists: ['42'] });
  await runWatchLoop(h.deps, h.controller.signal);
  assert.equal(h.relistCount, 1);
  assert.deepEqual(h.watchedFrom.slice(0, 1), ['42']);
});

test('an in-stream ERROR 410 Expired relists and watches again from the new resourceVersion', async () => {
  const h = harness(
    [
      (on) =>
        on(ev('ERROR', { kind: 'Status', status: 'Failure', code: 410, reason: 'Expired', message: 'too old resource version: 5 (90)' })),
      (on) => on(ev('ADDED', obj('101'))),
    ],
    { relists: ['100'] },
  );
  await runWatchLoop(h.deps, h.controller.signal, { resourceVersion: '5' });
  assert.equal(h.relistCount, 1);
  assert.deepEqual(h.watchedFrom, ['5', '100', '101']);
  assert.deepEqual(h.sleeps, [], 'a 410 relists at once');
  assert.deepEqual(h.stopped, []);
});

test('an HTTP 410 relists too', async () => {
  const h = harness(
    [
      () => {
        throw new ClusterDeckError('unknown', 'gone', { status: 410 });
      },
      () => undefined,
    ],
    { relists: ['200'] },
  );
  await runWatchLoop(h.deps, h.controller.signal, { resourceVersion: '7' });
  assert.deepEqual(h.watchedFrom, ['7', '200', '200']);
  assert.equal(h.relistCount, 1);
});

test('failures back off exponentially with jitter, success resets the count, and after N in a row the loop stops', async () => {
  const fail: Stream = () => {
    throw unreachable();
  };
  const h = harness([fail, fail, (on) => on(ev('MODIFIED', obj('20'))), fail, fail, fail, fail], { random: 0.5 });
  await runWatchLoop(h.deps, h.controller.signal, { resourceVersion: '1', maxFailures: 4, baseDelayMs: 1000, maxDelayMs: 30_000 });
  // 750 = 1000/2 + 1000/2*0.5; 1500 = 2000/2 + 2000/2*0.5; reset after the event; then 750, 1500, 3000 and stop at 4.
  assert.deepEqual(h.sleeps, [750, 1500, 750, 1500, 3000]);
  assert.equal(h.stopped.length, 1);
  assert.ok(h.stopped[0] instanceof ClusterDeckError);
  assert.equal(h.watchedFrom.length, 7);
  assert.deepEqual(h.watchedFrom.slice(3), ['20', '20', '20', '20'], 'reconnects resume from the last event');
});

test('a relist failure counts as a failure and is retried after a backoff', async () => {
  const h = harness([() => undefined], { relists: [unreachable(), '9'] });
  await runWatchLoop(h.deps, h.controller.signal);
  assert.equal(h.relistCount, 2);
  assert.equal(h.sleeps.length, 1);
  assert.deepEqual(h.watchedFrom.slice(0, 1), ['9']);
});

test('a stream that ends at once without events is a failure (no hot reconnect loop)', async () => {
  const h = harness([], {});
  let calls = 0;
  h.deps = {
    ...h.deps,
    watch: () => {
      calls++;
      return Promise.resolve(); // ends immediately: the clock does not move
    },
  };
  await runWatchLoop(h.deps, h.controller.signal, { resourceVersion: '1', maxFailures: 3 });
  assert.equal(calls, 3);
  assert.equal(h.stopped.length, 1);
  assert.equal(h.sleeps.length, 2);
});

test('410 again right after a relist counts as a failure, so a server stuck on 410 cannot spin the loop', async () => {
  const gone: Stream = () => {
    throw new ClusterDeckError('unknown', 'gone', { status: 410 });
  };
  const h = harness(Array.from({ length: 20 }, () => gone));
  await runWatchLoop(h.deps, h.controller.signal, { resourceVersion: '1', maxFailures: 3 });
  assert.equal(h.stopped.length, 1);
  assert.ok(h.relistCount <= 4, `relisted ${h.relistCount} times`);
});

test('aborting resolves quietly, without onStopped, also during a backoff sleep', async () => {
  const controller = new AbortController();
  const stopped: unknown[] = [];
  const done = runWatchLoop(
    {
      relist: () => Promise.resolve('1'),
      watch: () => Promise.reject(unreachable()),
      onEvent: () => undefined,
      onStopped: (e) => stopped.push(e),
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new CancelledError()), { once: true })),
    },
    controller.signal,
    { resourceVersion: '1' },
  );
  await new Promise((r) => setImmediate(r));
  controller.abort();
  await done;
  assert.deepEqual(stopped, []);
});

test('backoffDelayMs: doubles per failure, capped, jitter within [half, full]', () => {
  assert.equal(backoffDelayMs(1, 0), 500);
  assert.equal(backoffDelayMs(1, 0.999999), 1000);
  assert.equal(backoffDelayMs(3, 0), 2000);
  assert.equal(backoffDelayMs(20, 0), 15_000);
  assert.equal(backoffDelayMs(20, 0.999999), 30_000);
  for (let f = 1; f < 12; f++) for (const r of [0, 0.3, 0.99]) assert.ok(backoffDelayMs(f + 1, r) >= backoffDelayMs(f, 0));
});
