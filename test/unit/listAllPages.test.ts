// listAllPages (core/kube/listAllPages.ts): whole lists with limit/continue, one restart on an expired continue token
// (catalogue B49), one budget for the whole list (reliability A1), cancellation and bounded reads.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CancelledError, ClusterDeckError } from '../../src/core/errors';
import type { Page } from '../../src/core/kube/kubeClient';
import { listAllPages, pageOrRestart, type PageRequest } from '../../src/core/kube/listAllPages';

const gone = () => new ClusterDeckError('unknown', 'https://k answered 410: too old.', { status: 410 });

/** A server holding `items`, paging by index; `expire` lists the request numbers (1-based) that answer 410. */
function server(items: string[], expire: number[] = []) {
  const requests: PageRequest[] = [];
  const fetchPage = (r: PageRequest): Promise<Page<string>> => {
    requests.push(r);
    if (r.continueToken && expire.includes(requests.length)) return Promise.reject(gone());
    const start = r.continueToken ? Number(r.continueToken) : 0;
    const end = Math.min(items.length, start + r.limit);
    return Promise.resolve({
      items: items.slice(start, end),
      resourceVersion: `rv${requests.length}`,
      ...(end < items.length ? { continueToken: String(end) } : {}),
    });
  };
  return { requests, fetchPage };
}
const names = (n: number) => Array.from({ length: n }, (_, i) => `item-${i}`);
const signal = () => new AbortController().signal;

describe('listAllPages', () => {
  test('reads every page with limit 500 by default; resourceVersion of the first page', async () => {
    const s = server(names(1_234));
    const all = await listAllPages(s.fetchPage, { signal: signal(), what: 'pods' });
    assert.deepEqual(all.items, names(1_234));
    assert.deepEqual(
      s.requests.map((r) => [r.limit, r.continueToken]),
      [
        [500, undefined],
        [500, '500'],
        [500, '1000'],
      ],
    );
    assert.equal(all.resourceVersion, 'rv1');
    assert.equal(all.restarts, 0);
    assert.equal(all.truncated, false);
  });

  test('an expired continue token restarts from the first page once; nothing twice', async () => {
    const s = server(names(1_200), [2]);
    const lines: string[] = [];
    const all = await listAllPages(s.fetchPage, { signal: signal(), what: 'pods', onRestart: (l) => lines.push(l) });
    assert.deepEqual(all.items, names(1_200));
    assert.equal(all.restarts, 1);
    assert.equal(all.resourceVersion, 'rv3', 'the list that completed');
    assert.deepEqual(
      s.requests.map((r) => r.continueToken),
      [undefined, '500', undefined, '500', '1000'],
    );
    assert.deepEqual(lines, ['list pods: continue token expired (410) after 500 items; starting the list again']);
  });

  test('a second expiry is a serverError naming the list', async () => {
    const s = server(names(1_200), [2, 4]);
    await assert.rejects(listAllPages(s.fetchPage, { signal: signal(), what: 'pods in namespace "a"' }), (e: unknown) => {
      assert.ok(e instanceof ClusterDeckError);
      assert.equal(e.reason, 'serverError');
      assert.equal(e.detail.status, 410);
      assert.match(e.message, /^Listing pods in namespace "a" failed: the server expired the list's continue token twice/);
      return true;
    });
    assert.equal(s.requests.length, 4);
  });

  test('a 410 on the first page (no continue token) is not a restart: it passes through unchanged', async () => {
    const error = gone();
    await assert.rejects(
      listAllPages(() => Promise.reject(error), { signal: signal(), what: 'pods' }),
      (e: unknown) => e === error,
    );
  });

  test('a failure after the first page keeps its reason and says how far the list got; on the first page it is unchanged', async () => {
    let calls = 0;
    const failing = (r: PageRequest): Promise<Page<string>> => {
      calls++;
      if (r.continueToken) return Promise.reject(new ClusterDeckError('forbidden', 'Forbidden: you cannot list pods.', { status: 403 }));
      return Promise.resolve({ items: names(500), continueToken: '500' });
    };
    await assert.rejects(listAllPages(failing, { signal: signal(), what: 'pods' }), (e: unknown) => {
      assert.ok(e instanceof ClusterDeckError);
      assert.equal(e.reason, 'forbidden');
      assert.equal(e.detail.status, 403);
      assert.equal(e.message, 'Listing pods stopped after 500 items: Forbidden: you cannot list pods.');
      return true;
    });
    assert.equal(calls, 2);
  });

  test('the budget covers the whole list: a timeout naming the budget and the progress', async () => {
    const slow = (r: PageRequest): Promise<Page<string>> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve({ items: ['x'], continueToken: 'more' }), 40);
        r.signal.addEventListener('abort', () => (clearTimeout(timer), reject(new CancelledError())), { once: true });
      });
    await assert.rejects(listAllPages(slow, { signal: signal(), what: 'pods', budgetMs: 150 }), (e: unknown) => {
      assert.ok(e instanceof ClusterDeckError);
      assert.equal(e.reason, 'timeout');
      assert.match(e.message, /^Listing pods did not finish within 150 ms \(\d items in \d pages read\)/);
      return true;
    });
  });

  test("the caller's cancel is a CancelledError, not a timeout", async () => {
    const controller = new AbortController();
    const never = (r: PageRequest): Promise<Page<string>> =>
      new Promise((_, reject) => r.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
    const listing = listAllPages(never, { signal: controller.signal, what: 'pods' });
    controller.abort();
    await assert.rejects(listing, (e: unknown) => e instanceof CancelledError);
  });

  test('maxItems stops early and says the list was cut', async () => {
    const s = server(names(2_000));
    const all = await listAllPages(s.fetchPage, { signal: signal(), what: 'events', maxItems: 700 });
    assert.equal(all.items.length, 700);
    assert.equal(all.truncated, true);
    assert.equal(s.requests.length, 2);
  });

  test('pageOrRestart: one page after a token, or the list from its start when the token expired', async () => {
    const s = server(names(300), [2]);
    await s.fetchPage({ signal: signal(), limit: 100 });
    let restarted = 0;
    const fetch = (continueToken: string | undefined, limit: number) =>
      s.fetchPage({ signal: signal(), limit, ...(continueToken ? { continueToken } : {}) });
    const page = await pageOrRestart(fetch, '100', 100, 200, () => restarted++);
    assert.equal(restarted, 1);
    assert.deepEqual(page.items, names(200));
    assert.equal(page.continueToken, '200');
    const next = await pageOrRestart(fetch, '200', 100, 300, () => restarted++);
    assert.equal(restarted, 1);
    assert.deepEqual(next.items, names(300).slice(200));
  });
});
