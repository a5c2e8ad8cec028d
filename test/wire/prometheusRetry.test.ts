// Issue #9 point 10 and catalogue row B82 for Prometheus, against loopback servers: a 429 or 503 is tried again
// (queries are idempotent reads) honouring Retry-After, with a cap on one wait and on the attempts, never past the
// query's timeout, then one clear sentence; discovery returns every Prometheus that answers (offered as a choice).
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterDeckError } from '../../src/core/errors';
import type { KubeClient } from '../../src/core/kube/kubeClient';
import { resolveContext } from '../../src/core/kube/kubeconfig';
import { loadKubeconfigs } from '../../src/node/kube/kubeconfigFiles';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { PrometheusClient, httpTransport, serviceProxyTransport } from '../../src/node/tuning/prometheusClient';
import { discoverPrometheus } from '../../src/node/tuning/prometheusDiscovery';
import { main } from '../../src/cli/main';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';

const vector = JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: { pod: 'a' }, value: [1, '0.5'] }] } });
const signal = new AbortController().signal;

interface Loopback {
  readonly url: string;
  /** Arrival time (ms) of each request. */
  readonly arrivals: number[];
  readonly close: () => Promise<void>;
}

/** A loopback server whose n-th answer (0-based) is `script(n)`; it records when each request arrived. */
async function serve(script: (n: number, req: IncomingMessage, res: ServerResponse) => void): Promise<Loopback> {
  const arrivals: number[] = [];
  const server = createServer((req, res) => {
    arrivals.push(Date.now());
    script(arrivals.length - 1, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const ok = (res: ServerResponse): void => void res.writeHead(200, { 'content-type': 'application/json' }).end(vector);

async function failure(p: Promise<unknown>): Promise<ClusterDeckError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ClusterDeckError, `expected ClusterDeckError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a failure');
}

describe('Prometheus retries (issue #9 point 10)', () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const c of closers) await c();
  });

  test('a 429 with Retry-After: 1 is tried again after at least a second, then the answer comes through', async () => {
    const s = await serve((n, _req, res) => {
      if (n < 2) res.writeHead(429, { 'retry-after': '1', 'content-type': 'text/plain' }).end('too many queries');
      else ok(res);
    });
    closers.push(s.close);
    const lines: string[] = [];
    const c = new PrometheusClient(httpTransport({ url: s.url }), { onRequest: (l) => lines.push(l) });
    const samples = await c.query('up', 1, signal, 'up');
    assert.equal(samples[0]?.value[1], '0.5');
    assert.equal(s.arrivals.length, 3, 'two 429s, then the answer');
    for (let i = 1; i < 3; i++) {
      const gap = (s.arrivals[i] ?? 0) - (s.arrivals[i - 1] ?? 0);
      assert.ok(gap >= 990, `waited ${gap} ms, Retry-After asked 1000`);
      assert.ok(gap < 2500, `waited ${gap} ms: not much more than asked`);
    }
    assert.deepEqual(
      lines.map((l) => l.replace(/\[\d+ms\]/, '[Nms]')),
      [
        '> prometheus query up [Nms] 429/retry-in-1000ms',
        '> prometheus query up [Nms] 429/retry-in-1000ms',
        '> prometheus query up [Nms] ok',
      ],
    );
  });

  test('a 503 without Retry-After backs off exponentially and stops at the attempt cap with one clear sentence', async () => {
    const s = await serve((_n, _req, res) => void res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable'));
    closers.push(s.close);
    const c = new PrometheusClient(httpTransport({ url: s.url }), { retry: { maxAttempts: 3, baseDelayMs: 200 } });
    const e = await failure(c.query('up', 1, signal));
    assert.equal(s.arrivals.length, 3, 'exactly maxAttempts requests');
    const gaps = s.arrivals.slice(1).map((t, i) => t - (s.arrivals[i] ?? 0));
    assert.ok((gaps[0] ?? 0) >= 190 && (gaps[1] ?? 0) >= 390, `backoff 200 then 400 ms: ${gaps.join(', ')}`);
    assert.equal(e.reason, 'serverError');
    assert.equal(e.detail.status, 503);
    assert.match(
      e.message,
      /^Prometheus at http:\/\/127\.0\.0\.1:\d+ failed \(503\); check its logs and load \(tried 3 times in \d+ s\)\.$/,
    );
  });

  test('the default is a bounded number of attempts: a server that always throttles sees four requests', async () => {
    const s = await serve((_n, _req, res) => void res.writeHead(429, { 'retry-after': '0' }).end());
    closers.push(s.close);
    const e = await failure(new PrometheusClient(httpTransport({ url: s.url })).query('up', 1, signal));
    assert.equal(s.arrivals.length, 4);
    assert.equal(e.reason, 'throttled');
    assert.match(e.message, /is throttling queries \(429\); try again later or lower the concurrency \(tried 4 times in \d+ s\)\.$/);
  });

  test('a Retry-After over the cap is not waited for: one request, a sentence naming the wait', async () => {
    const s = await serve((_n, _req, res) => void res.writeHead(429, { 'retry-after': '3600' }).end());
    closers.push(s.close);
    const started = Date.now();
    const e = await failure(new PrometheusClient(httpTransport({ url: s.url })).query('up', 1, signal));
    assert.ok(Date.now() - started < 1000, 'gave up at once');
    assert.equal(s.arrivals.length, 1);
    assert.equal(e.reason, 'throttled');
    assert.match(
      e.message,
      /\(429\); try again later or lower the concurrency \(it asks to wait 3600 s, longer than ClusterDeck waits, 10 s\)\.$/,
    );
  });

  test('no wait runs past the query timeout', async () => {
    const s = await serve((_n, _req, res) => void res.writeHead(503, { 'retry-after': '1' }).end());
    closers.push(s.close);
    const started = Date.now();
    const e = await failure(new PrometheusClient(httpTransport({ url: s.url }), { timeoutMs: 1500 }).query('up', 1, signal));
    assert.equal(s.arrivals.length, 2, 'a second wait of 1 s would end after the 1.5 s timeout');
    assert.ok(Date.now() - started < 1500, `${Date.now() - started} ms`);
    assert.match(e.message, /\(tried 2 times in \d+ s\)\.$/);
  });

  test("Prometheus' own evaluation timeout (503, errorType timeout) and other errors are not retried", async () => {
    const s = await serve((n, _req, res) => {
      if (n === 0)
        res
          .writeHead(503, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' }));
      else
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: 'error', errorType: 'internal', error: 'x' }));
    });
    closers.push(s.close);
    const c = new PrometheusClient(httpTransport({ url: s.url }));
    assert.equal((await failure(c.query('slow', 1, signal))).reason, 'timeout');
    assert.equal((await failure(c.query('boom', 1, signal))).reason, 'serverError');
    assert.equal(s.arrivals.length, 2, 'one request each');
  });
});

describe('Prometheus through the service proxy: Retry-After and several instances (B82)', () => {
  let fake: FakeKube;
  let dir: string;
  let kube: KubeClient;
  const servers: Loopback[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-promretry-'));
    fake = await startFakeKube({});
    const path = join(dir, 'kubeconfig');
    writeFileSync(path, fake.kubeconfig());
    const config = await loadKubeconfigs([path]);
    kube = await new SdkKubeClientFactory({
      requestTimeoutMs: () => 5000,
      approvals: { isApproved: () => true, approve: () => Promise.resolve() },
      isTrusted: () => true,
      allowPlainHttp: (name) => name === 'fake', // the fake is plain http (B14 opt-in)
    }).createClient(resolveContext(config, 'fake'));
  });
  after(async () => {
    for (const s of servers) await s.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const service = (namespace: string, name: string): void => {
    fake.upsert({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: [{ port: 9090 }] } });
  };

  test("the proxy relays Prometheus' Retry-After and the client honours it", async () => {
    const s = await serve((n, _req, res) => {
      if (n === 0) res.writeHead(503, { 'retry-after': '1', 'content-type': 'text/plain' }).end('restarting');
      else ok(res);
    });
    servers.push(s);
    service('prometheus', 'prometheus');
    fake.setServiceProxyTarget('prometheus', 'prometheus', '9090', s.url);
    const c = new PrometheusClient(serviceProxyTransport(kube, 'prometheus', 'prometheus:9090'));
    assert.equal((await c.query('up', 1, signal))[0]?.metric.pod, 'a');
    assert.equal(s.arrivals.length, 2);
    assert.ok((s.arrivals[1] ?? 0) - (s.arrivals[0] ?? 0) >= 990);
    fake.remove('v1', 'Service', 'prometheus', 'prometheus');
  });

  test('B82: several Prometheus instances answering are all returned, in probing order, each with its own transport', async () => {
    const a = await serve((_n, _req, res) => ok(res));
    const b = await serve((_n, _req, res) => ok(res));
    servers.push(a, b);
    service('monitoring', 'prometheus-operated');
    service('monitoring', 'prometheus-k8s'); // present but no endpoints: not offered
    service('prometheus', 'prometheus-server');
    fake.setServiceProxyTarget('monitoring', 'prometheus-operated', '9090', a.url);
    fake.setServiceProxyTarget('prometheus', 'prometheus-server', '80', b.url);
    const found = await discoverPrometheus(kube, { signal });
    assert.ok(found.found);
    assert.deepEqual(
      found.instances.map((i) => [`${i.candidate.namespace}/${i.candidate.service}:${i.candidate.port}`, i.candidate.install]),
      [
        ['monitoring/prometheus-operated:9090', 'Prometheus Operator (kube-prometheus-stack)'],
        ['prometheus/prometheus-server:80', 'prometheus-community/prometheus'],
      ],
    );
    assert.equal(found.candidate, found.instances[0]?.candidate, 'the first stays the default');
    // Each instance's transport reaches its own Prometheus.
    const before = [a.arrivals.length, b.arrivals.length];
    await new PrometheusClient(found.instances[1]!.transport).query('up', 1, signal);
    assert.deepEqual([a.arrivals.length, b.arrivals.length], [before[0], (before[1] ?? 0) + 1]);
    // The CLI cannot ask: it names them all and which one it uses, on stderr.
    const kubeconfig = join(dir, 'kubeconfig-cli');
    writeFileSync(kubeconfig, fake.kubeconfig());
    const err: string[] = [];
    const io = {
      out: () => undefined,
      err: (s: string) => err.push(s),
      cwd: dir,
      isTty: false,
      readStdin: () => Promise.resolve(''),
      version: 't',
    };
    const code = await main(
      ['recommend', '--context', 'fake', '--kubeconfig', kubeconfig, '--allow-plain-http', '--namespace', 'empty'],
      io,
      {},
    );
    assert.equal(code, 0, err.join('\n'));
    assert.match(
      err.join('\n'),
      /2 Prometheus instances answer \(monitoring\/prometheus-operated:9090, prometheus\/prometheus-server:80\); using monitoring\/prometheus-operated:9090\. To use another, give --prometheus-url/,
    );
    // With only one answering, there is no choice to make.
    fake.setServiceProxyTarget('prometheus', 'prometheus-server', '80', undefined);
    const one = await discoverPrometheus(kube, { signal });
    assert.ok(one.found);
    assert.equal(one.instances.length, 1);
  });
});
