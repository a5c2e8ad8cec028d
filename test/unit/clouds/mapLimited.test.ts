import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzRuns } from '../../support/fuzz';
import { mapLimited } from '../../../src/core/clouds/mapLimited';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('keeps the input order and never runs more than `limit` at once', async () => {
  let running = 0;
  let peak = 0;
  const delays = [30, 5, 20, 1, 15, 2, 25, 3, 10, 4];
  const out = await mapLimited(delays, 3, async (ms, i) => {
    running++;
    peak = Math.max(peak, running);
    await tick(ms);
    running--;
    return `${i}:${ms}`;
  });
  assert.deepEqual(
    out,
    delays.map((ms, i) => `${i}:${ms}`),
  );
  assert.equal(peak, 3);
});

test('a free slot is used at once: the total time is close to the bound of the slowest lane, not the sum', async () => {
  const started = Date.now();
  // Two lanes: 100 ms on one, 5 × 20 ms on the other → about 100 ms; in batches of two it would be 180, one by one 200.
  await mapLimited([100, 20, 20, 20, 20, 20], 2, (ms) => tick(ms));
  const took = Date.now() - started;
  assert.ok(took < 170, `took ${took} ms`);
});

test('rejects with the first error and starts nothing after it; empty input and odd limits work', async () => {
  const started: number[] = [];
  await assert.rejects(
    mapLimited([1, 2, 3, 4, 5], 1, async (n) => {
      started.push(n);
      await tick(1);
      if (n === 2) throw new Error('boom');
      return n;
    }),
    /boom/,
  );
  assert.deepEqual(started, [1, 2]);
  assert.deepEqual(await mapLimited([], 4, () => Promise.resolve(1)), []);
  assert.deepEqual(await mapLimited([1, 2], 0, (n) => Promise.resolve(n * 2)), [2, 4]);
  assert.deepEqual(await mapLimited([1, 2], Number.NaN, (n) => Promise.resolve(n * 2)), [2, 4]);
});

test('property: same results as Promise.all over map, concurrency within the bound', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.nat(3), { maxLength: 20 }), fc.integer({ min: 1, max: 6 }), async (items, limit) => {
      let running = 0;
      let peak = 0;
      const out = await mapLimited(items, limit, async (x, i) => {
        running++;
        peak = Math.max(peak, running);
        await tick(x);
        running--;
        return x * 10 + i;
      });
      assert.deepEqual(
        out,
        items.map((x, i) => x * 10 + i),
      );
      assert.ok(peak <= limit);
    }),
    // Timers make each case take milliseconds: a capped count keeps this under a few seconds.
    { numRuns: Math.min(fuzzRuns, 200) },
  );
});
