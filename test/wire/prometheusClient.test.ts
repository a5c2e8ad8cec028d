// The Prometheus HTTP client against loopback servers: bearer token (sent, never logged or shown), error mapping to
// ClusterDeckError, bounded concurrency, timeouts, cancellation, and the API server's service proxy (503, 403).
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledError, ClusterDeckError } from '../../src/core/errors';
import { resolveContext } from '../../src/core/kube/kubeconfig';
import { loadKubeconfigs } from '../../src/node/kube/kubeconfigFiles';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { PrometheusClient, httpTransport, redactUrl, serviceProxyTransport } from '../../src/node/tuning/prometheusClient';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';

const TOKEN = 'prom-token-7f3a9c1e';
const vector = JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: { pod: 'a' }, value: [1, '0.5'] }] } });

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function serve(handler: Handler): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function failure(p: Promise<unknown>): Promise<ClusterDeckError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ClusterDeckError, `expected ClusterDeckError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a failure');
}

describe('Prometheus client', () => {
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    for (const c of closers) await c();
  });
  const signal = new AbortController().signal;

  test('bearer token: sent in the Authorization header, a wrong one is unauthorized, and it is never logged or shown', async () => {
    const seen: string[] = [];
    const s = await serve((req, res) => {
      seen.push(String(req.headers.authorization));
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401, { 'content-type': 'text/plain' }).end('Unauthorized');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(vector);
    });
    closers.push(s.close);
    const lines: string[] = [];
    const good = new PrometheusClient(httpTransport({ url: s.url, bearerToken: TOKEN }), { onRequest: (l) => lines.push(l) });
    const samples = await good.query('up', 1, signal, 'up');
    assert.equal(samples[0]?.value[1], '0.5');
    assert.equal(seen[0], `Bearer ${TOKEN}`);
    const bad = new PrometheusClient(httpTransport({ url: s.url.replace('http://', `http://user:pw@`), bearerToken: 'wrong' }), {
      onRequest: (l) => lines.push(l),
    });
    const e = await failure(bad.query('up', 1, signal));
    assert.equal(e.reason, 'unauthorized');
    assert.match(e.message, /rejected the request \(401\); give a valid bearer token/);
    for (const text of [...lines, e.message, bad.transport.description]) {
      assert.ok(!text.includes(TOKEN) && !text.includes('wrong') && !text.includes('pw'), text);
    }
    assert.match(lines[0] ?? '', /^> prometheus query up \[\d+ms\] ok$/);
  });

  test('a token is never sent over plain http to another host', () => {
    assert.throws(
      () => httpTransport({ url: 'http://prometheus.example:9090', bearerToken: TOKEN }),
      (e: unknown) => e instanceof ClusterDeckError && e.reason === 'tls',
    );
    assert.equal(redactUrl('https://u:p@prom.example/x?token=1#f'), 'https://prom.example/x');
  });

  test('errors map to reasons with the next step', async () => {
    const s = await serve((req, res) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? '';
      const answer = (status: number, body: string, type = 'application/json'): void => {
        res.writeHead(status, { 'content-type': type }).end(body);
      };
      if (q === 'bad') answer(400, JSON.stringify({ status: 'error', errorType: 'bad_data', error: '1:4: parse error: unexpected <EOF>' }));
      else if (q === 'slow-eval')
        answer(503, JSON.stringify({ status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' }));
      else if (q === 'boom') answer(500, JSON.stringify({ status: 'error', errorType: 'internal', error: 'oops' }));
      else if (q === 'html') answer(200, '<html>Grafana</html>', 'text/html');
      else if (q === 'throttle') answer(429, 'slow down', 'text/plain');
      else answer(404, '404 page not found', 'text/plain');
    });
    closers.push(s.close);
    const c = new PrometheusClient(httpTransport({ url: s.url }));
    const rows: [string, string, RegExp][] = [
      ['bad', 'invalid', /rejected the query \(bad_data: 1:4: parse error/],
      ['slow-eval', 'timeout', /timed out evaluating the query/],
      ['boom', 'serverError', /failed \(500: oops\); check its logs/],
      ['html', 'serverError', /did not answer like the Prometheus HTTP API/],
      ['throttle', 'throttled', /429/],
      ['other', 'notFound', /No Prometheus API at http:\/\/127\.0\.0\.1:\d+ \(404\)/],
    ];
    for (const [query, reason, message] of rows) {
      const e = await failure(c.query(query, 1, signal));
      assert.equal(e.reason, reason, query);
      assert.match(e.message, message, query);
    }
  });

  test('unreachable and timeout', async () => {
    const gone = await serve(() => undefined);
    const url = gone.url;
    await gone.close();
    const e = await failure(new PrometheusClient(httpTransport({ url })).query('up', 1, signal));
    assert.equal(e.reason, 'unreachable');
    assert.match(e.message, /Cannot reach Prometheus at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);

    const silent = await serve(() => undefined);
    closers.push(silent.close);
    const started = Date.now();
    const t = await failure(new PrometheusClient(httpTransport({ url: silent.url }), { timeoutMs: 300 }).query('up', 1, signal));
    assert.equal(t.reason, 'timeout');
    assert.ok(Date.now() - started < 3000);
  });

  test('cancel rejects with CancelledError', async () => {
    const silent = await serve(() => undefined);
    closers.push(silent.close);
    const ac = new AbortController();
    const p = new PrometheusClient(httpTransport({ url: silent.url })).query('up', 1, ac.signal);
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(p, (e: unknown) => e instanceof CancelledError);
  });

  test('bounded concurrency: never more than `concurrency` queries in flight', async () => {
    let active = 0;
    let peak = 0;
    const s = await serve((_req, res) => {
      active++;
      peak = Math.max(peak, active);
      setTimeout(() => {
        active--;
        res.writeHead(200, { 'content-type': 'application/json' }).end(vector);
      }, 60);
    });
    closers.push(s.close);
    const c = new PrometheusClient(httpTransport({ url: s.url }), { concurrency: 2 });
    await Promise.all(Array.from({ length: 8 }, (_, i) => c.query(`q${i}`, 1, signal)));
    assert.equal(peak, 2);
    assert.equal(c.maxInFlight, 2);
    assert.equal(c.queries, 8);
  });
});

describe('Prometheus through the API server service proxy', () => {
  let fake: FakeKube;
  let dir: string;
  let prom: { url: string; close: () => Promise<void> };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-promproxy-'));
    fake = await startFakeKube({});
    prom = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(vector));
  });
  after(async () => {
    await prom.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('answers through the proxy; 503 without endpoints and 403 on services/proxy are explained', async () => {
    const path = join(dir, 'kubeconfig');
    writeFileSync(path, fake.kubeconfig());
    const config = await loadKubeconfigs([path]);
    const lines: string[] = [];
    const kube = await new SdkKubeClientFactory({
      requestTimeoutMs: () => 5000,
      approvals: { isApproved: () => true, approve: () => Promise.resolve() },
      isTrusted: () => true,
      allowPlainHttp: (name) => name === 'fake', // the fake is plain http (B14 opt-in)
      onRequest: (l) => lines.push(l),
    }).createClient(resolveContext(config, 'fake'));
    fake.upsert({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'prometheus-server', namespace: 'prometheus' }, spec: {} });
    const client = new PrometheusClient(serviceProxyTransport(kube, 'prometheus', 'prometheus-server:80'));
    const signal = new AbortController().signal;

    const noEndpoints = await failure(client.query('up', 1, signal));
    assert.equal(noEndpoints.reason, 'unreachable');
    assert.match(noEndpoints.message, /service prometheus\/prometheus-server:80 .* has no ready endpoints \(503\)/);

    fake.setServiceProxyTarget('prometheus', 'prometheus-server', '80', prom.url);
    assert.equal((await client.query('up', 1, signal))[0]?.metric.pod, 'a');
    assert.ok(
      lines.some((l) => /^> kube proxy services\/prometheus-server:80 prometheus \/api\/v1\/query fake \[\d+ms\] 200$/.test(l)),
      lines.join('\n'),
    );

    const unforbid = fake.forbid({ resource: 'services', subresource: 'proxy' });
    const forbidden = await failure(client.query('up', 1, signal));
    unforbid();
    assert.equal(forbidden.reason, 'forbidden');
    assert.match(forbidden.message, /you cannot get services\/proxy/);
  });
});
