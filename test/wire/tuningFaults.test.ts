// Tuning through the fault-injection proxy (issue #9 point 11): the Prometheus client and source (the real
// PrometheusClient over httpTransport with a bearer token) against a small loopback server that speaks the
// Prometheus HTTP API (/api/v1/query, /api/v1/query_range), behind test/fakes/faultProxy.ts. Under a black hole, a
// 503 storm, malformed JSON, a truncated body and a reset, a right-size run ends in one clear ClusterDeckError
// naming Prometheus (never a number made up from a partial answer); once the fault ends the same run gives the
// server's figures again. With too little history it says "Not enough data" and recommends nothing. After every
// scenario the canary scan looks for the bearer token in every log line, error and result.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClusterDeckError } from '../../src/core/errors';
import type { KubeClient } from '../../src/core/kube/kubeClient';
import type { ContainerRecommendation } from '../../src/core/tuning/recommendRequests';
import { recommendNamespaces } from '../../src/core/tuning/recommendWorkloads';
import { PrometheusClient, httpTransport } from '../../src/node/tuning/prometheusClient';
import { PrometheusSource } from '../../src/node/tuning/prometheusSource';
import { startFaultProxy, type FaultProxy } from '../fakes/faultProxy';
import { assertNoCanary } from '../support/canaries';

const TOKEN = 'prom-bearer-tuningFaults-CANARY-3b7d91e2';
const NAMESPACE = 'shop';
const POD = 'web-5d8f7c9b6-abcde';
const WEEK = 7 * 86400;
const STEP = 300;

/** What the fake Prometheus answers next. */
interface PromFault {
  /** Answer this status (with Retry-After) to the next `times` queries. */
  storm?: { status: number; retryAfter: string; times: number };
  /** Answer 200 with this raw body (malformed JSON) to every query. */
  rawBody?: string;
  /** Points per series (count_over_time): the default is a week at 5 min. */
  points?: number;
}

/** A minimal Prometheus HTTP API: the answers depend only on the query's shape, as KRR's queries ask. */
async function startFakePrometheus(): Promise<{ url: string; fault: PromFault; queries: string[]; close(): Promise<void> }> {
  const state = { fault: {} as PromFault, queries: [] as string[] };
  const answer = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return answer(res, 401, 'Unauthorized');
    const query = url.searchParams.get('query') ?? '';
    state.queries.push(query);
    const f = state.fault;
    if (f.storm && f.storm.times > 0) {
      f.storm.times--;
      return answer(
        res,
        f.storm.status,
        { status: 'error', errorType: 'unavailable', error: 'overloaded' },
        { 'retry-after': f.storm.retryAfter },
      );
    }
    if (f.rawBody !== undefined) return answer(res, 200, f.rawBody);
    const metric = { namespace: NAMESPACE, pod: POD, container: 'app' };
    const points = f.points ?? WEEK / STEP;
    if (url.pathname === '/api/v1/query') {
      let value: number;
      if (query.startsWith('count_over_time(')) value = points;
      else if (query.includes('container_cpu_usage_seconds_total'))
        value = 0.25; // cores, every quantile
      else value = 300 * 2 ** 20; // bytes: memory max and quantiles
      return answer(res, 200, {
        status: 'success',
        data: { resultType: 'vector', result: [{ metric, value: [1_700_000_000, String(value)] }] },
      });
    }
    if (url.pathname === '/api/v1/query_range') return answer(res, 200, { status: 'success', data: { resultType: 'matrix', result: [] } });
    return answer(res, 404, { status: 'error', errorType: 'not_found', error: 'no such endpoint' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get fault() {
      return state.fault;
    },
    set fault(f: PromFault) {
      state.fault = f;
    },
    queries: state.queries,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The KubeClient part a right-size run reads: one Deployment with one container, nothing else. */
const kube = {
  listObjects: (resource: { kind: string }) =>
    Promise.resolve({
      items:
        resource.kind === 'Deployment'
          ? [
              {
                kind: 'Deployment',
                metadata: { name: 'web', namespace: NAMESPACE },
                spec: {
                  replicas: 2,
                  template: { spec: { containers: [{ name: 'app', resources: { requests: { cpu: '1', memory: '1Gi' } } }] } },
                },
                status: { replicas: 2 },
              },
            ]
          : [],
    }),
} as unknown as KubeClient;

describe('tuning (Prometheus) through the fault-injection proxy', () => {
  let prom: Awaited<ReturnType<typeof startFakePrometheus>>;
  let proxy: FaultProxy;
  const log: string[] = [];

  before(async () => {
    prom = await startFakePrometheus();
    proxy = await startFaultProxy({ port: Number(new URL(prom.url).port) });
  });
  after(async () => {
    await proxy?.close();
    await prom?.close();
  });

  const source = (timeoutMs = 1_500): PrometheusSource =>
    new PrometheusSource(
      new PrometheusClient(httpTransport({ url: `http://127.0.0.1:${proxy.port}/`, bearerToken: TOKEN }), {
        timeoutMs,
        onRequest: (l) => log.push(l),
      }),
    );
  type Run = { ok: true; value: ContainerRecommendation[]; ms: number } | { ok: false; error: unknown; ms: number };
  const run = async (timeoutMs?: number): Promise<Run> => {
    const started = Date.now();
    try {
      const value = await recommendNamespaces(kube, source(timeoutMs), [NAMESPACE], {
        strategy: 'simple',
        windowSeconds: WEEK,
        stepSeconds: STEP,
        signal: new AbortController().signal,
        endSeconds: 1_700_000_000,
      });
      return { ok: true, value, ms: Date.now() - started };
    } catch (error) {
      return { ok: false, error, ms: Date.now() - started };
    }
  };

  /** The run failed as one clear sentence naming Prometheus (redacted URL), with the given reason. */
  const failedClearly = (r: Run, reason: RegExp, words: RegExp): ClusterDeckError => {
    assert.ok(!r.ok, `the run failed, it gave ${r.ok ? JSON.stringify(r.value) : ''}`);
    assert.ok(r.error instanceof ClusterDeckError, `a ClusterDeckError, not ${String(r.error)}`);
    assert.match(r.error.reason, reason, r.error.message);
    assert.match(r.error.message, /Prometheus/);
    assert.match(r.error.message, new RegExp(`127\\.0\\.0\\.1:${proxy.port}`), 'names the (redacted) URL');
    assert.match(r.error.message, words);
    assert.match(r.error.message, /[.!?]$/);
    assert.doesNotMatch(r.error.message, /\n|SyntaxError|Unexpected token|socket hang up|\[object /);
    return r.error;
  };
  /** The healthy answer: the server's figures (p95 0.25 cores → 250m; 300 MiB max + 15 % → 345Mi), high confidence. */
  const healthy = async (): Promise<Run> => {
    const r = await run();
    assert.ok(r.ok, `recovered: ${r.ok ? '' : String((r.error as Error).message)}`);
    assert.equal(r.value.length, 1);
    const rec = r.value[0]!;
    assert.equal(rec.recommended.cpuRequest, '250m');
    assert.equal(rec.recommended.memoryRequest, '345Mi');
    assert.notEqual(rec.confidence, 'none');
    return r;
  };
  const scan = (...sinks: { name: string; value: unknown }[]): void => {
    assertNoCanary([TOKEN], [{ name: 'the Prometheus log', value: log.join('\n') }, ...sinks]);
    for (const l of log) assert.match(l, /^> prometheus (query|query_range) .+ \[\d+ms\] \S+$/, `log line shape: ${l}`);
  };

  test('baseline: the run gives the server figures, and the token travels only in the header', async () => {
    const r = await healthy();
    assert.ok(prom.queries.length >= 4, 'one query per summary');
    scan({ name: 'the result', value: r });
  });

  test('a black-holed Prometheus: a timeout sentence within the query timeout, no recommendation; then it recovers', async () => {
    proxy.set({ blackhole: true });
    proxy.dropAll();
    const r = await run(1_000);
    proxy.set({});
    const e = failedClearly(r, /^timeout$/, /did not answer within 1 s/);
    assert.ok(r.ms < 4_000, `gave up in ${r.ms} ms`);
    const ok = await healthy();
    scan({ name: 'the black-hole error', value: e }, { name: 'the healed result', value: ok });
  });

  test('a 503 storm with Retry-After: a clear server-error sentence, no recommendation; the run returns when the storm ends', async () => {
    prom.fault = { storm: { status: 503, retryAfter: '1', times: 100 } };
    const r = await run();
    const e = failedClearly(r, /^serverError$/, /failed \(503: overloaded\); check its logs/);
    prom.fault = {};
    const ok = await healthy();
    scan({ name: 'the storm error', value: e }, { name: 'the result after the storm', value: ok });
  });

  test('malformed JSON (a 200 whose body stops mid-object): a clear sentence, never a partial number', async () => {
    prom.fault = { rawBody: '{"status":"success","data":{"resultType":"vector","result":[{"metric":{"pod":"web-5d8f7c9b6-abcde"' };
    const r = await run();
    const e = failedClearly(r, /^serverError$/, /did not answer like the Prometheus HTTP API/);
    prom.fault = {};
    const ok = await healthy();
    scan({ name: 'the malformed error', value: e }, { name: 'the healed result', value: ok });
  });

  test('a body truncated or reset by the network mid-answer: a clear "cannot reach" sentence, then it recovers', async () => {
    // Past the status line and headers (~120 bytes), inside the JSON body.
    for (const toxic of [{ closeAfterBytes: 160 }, { resetAfterBytes: 160 }]) {
      proxy.set(toxic);
      proxy.dropAll();
      const r = await run();
      proxy.set({});
      const e = failedClearly(r, /^(unreachable|serverError)$/, /Cannot reach Prometheus|did not answer like/);
      scan({ name: `the ${Object.keys(toxic)[0]} error`, value: e });
    }
    const ok = await healthy();
    scan({ name: 'the healed result', value: ok });
  });

  test('too little history (a few points): "Not enough data" and no number at all', async () => {
    prom.fault = { points: 5 };
    const r = await run();
    prom.fault = {};
    assert.ok(r.ok, r.ok ? '' : String((r.error as Error).message));
    const rec = r.value[0]!;
    assert.equal(rec.confidence, 'none');
    assert.deepEqual(rec.recommended, { cpuRequest: null, cpuLimit: null, memoryRequest: null, memoryLimit: null });
    assert.equal(rec.applicable, false);
    assert.ok(
      rec.notes.some((n) => /^Not enough data: /.test(n)),
      rec.notes.join(' | '),
    );
    scan({ name: 'the thin result', value: r });
  });
});
