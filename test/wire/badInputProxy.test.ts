// Bad-input catalogue row B15 (reliability.md §3.1): `proxy-url` http / https / socks5 / unsupported scheme. With the
// real client against the fake API server over TLS, every kind of traffic (list, watch, logs, exec, port-forward) goes
// through the context's proxy: an HTTP CONNECT proxy, a SOCKS5 proxy and an HTTPS proxy (CONNECT over TLS to the
// proxy, whose CA the process trusts through NODE_EXTRA_CA_CERTS, so that case runs in a child process). The proxy
// records one tunnel per connection to the API server. The server is named `kube.proxied.invalid` (with tls-server-name
// localhost): only the proxy can resolve it, so any path that went around the proxy would fail.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ClusterDeckError } from '../../src/core/errors';
import { mergeKubeconfigs, resolveContext } from '../../src/core/kube/kubeconfig';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';
import { generateTlsMaterial } from '../fakes/tls';
import { assertNoCanary } from '../support/canaries';
import { exerciseAllPaths, type ProbeResult, type ProbeTarget } from '../support/proxyProbe';
import { startConnectProxy, startSocks5Proxy, type TestProxy } from '../support/proxyServers';

const TOKEN = 'proxy-rows-canary-token-7b0d33';
const target: ProbeTarget = { namespace: 'proxied', pod: 'pod-00000', container: 'app', port: 8080 };
const HOSTS = { 'kube.proxied.invalid': '127.0.0.1' };

describe('bad-input row B15: proxy-url for every kind of traffic', () => {
  let fake: FakeKube;
  let echo: Server;
  let dir: string;
  const log: string[] = [];
  const factory = new SdkKubeClientFactory({
    requestTimeoutMs: () => 10_000,
    approvals: { isApproved: () => false, approve: () => Promise.resolve() },
    isTrusted: () => true,
    onRequest: (l) => log.push(l),
  });
  const kubeconfigVia = (proxyUrl: string): string =>
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'via-proxy',
          cluster: {
            server: `https://kube.proxied.invalid:${fake.port}`,
            'tls-server-name': 'localhost',
            'certificate-authority-data': Buffer.from(fake.ca?.certPem ?? '').toString('base64'),
            'proxy-url': proxyUrl,
          },
        },
      ],
      users: [{ name: 'token', user: { token: TOKEN } }],
      contexts: [{ name: 'via-proxy', context: { cluster: 'via-proxy', user: 'token' } }],
    });
  const expectAllThrough = (result: ProbeResult, proxy: TestProxy) => {
    assert.deepEqual(result, {
      list: 'ok namespace listed',
      watch: 'ok events',
      logs: 'ok line one through the proxy',
      exec: 'ok exit 4 echoed',
      portForward: 'ok echo GET /via-proxy',
    });
    const server = `kube.proxied.invalid:${fake.port}`;
    assert.ok(proxy.targets.length >= 5, `one tunnel per connection at least: ${proxy.targets.join(', ')}`);
    assert.ok(
      proxy.targets.every((t) => t === server),
      `every tunnel leads to the API server: ${proxy.targets.join(', ')}`,
    );
  };

  before(async () => {
    fake = await startFakeKube({ tls: 'tls', token: TOKEN });
    fake.seedPods(target.namespace, 1);
    fake.appendLog(target.namespace, target.pod, target.container, ['line one through the proxy']);
    echo = createServer((req, res) => res.end(`echo ${req.method} ${req.url}`));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    fake.setPortTarget(target.namespace, target.pod, target.port, { host: '127.0.0.1', port: (echo.address() as { port: number }).port });
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-proxy-rows-'));
  });
  after(async () => {
    await fake?.close();
    await new Promise<void>((resolve) => (echo ? echo.close(() => resolve()) : resolve()));
    if (dir) rmSync(dir, { recursive: true, force: true });
    assertNoCanary([TOKEN], [{ name: 'the kube log', value: log.join('\n') }]);
  });

  test('an http:// proxy (CONNECT) carries list, watch, logs, exec and port-forward', async () => {
    const proxy = await startConnectProxy(undefined, HOSTS);
    try {
      const client = await factory.createClient(
        resolveContext(mergeKubeconfigs([{ path: '/k', text: kubeconfigVia(proxy.url) }]), 'via-proxy'),
      );
      expectAllThrough(await exerciseAllPaths(client, target), proxy);
    } finally {
      await proxy.close();
    }
  });

  test('a socks5h:// proxy (names resolved by the proxy) carries list, watch, logs, exec and port-forward', async () => {
    const proxy = await startSocks5Proxy(HOSTS);
    try {
      const url = proxy.url.replace(/^socks5:/, 'socks5h:');
      const client = await factory.createClient(resolveContext(mergeKubeconfigs([{ path: '/k', text: kubeconfigVia(url) }]), 'via-proxy'));
      expectAllThrough(await exerciseAllPaths(client, target), proxy);
      // socks5:// resolves the server name locally (as curl does): a name only the proxy knows cannot be resolved.
      const local = await factory.createClient(
        resolveContext(mergeKubeconfigs([{ path: '/k', text: kubeconfigVia(proxy.url) }]), 'via-proxy'),
      );
      const tunnels = proxy.targets.length;
      const error = await local.listNamespaces({ signal: AbortSignal.timeout(5_000) }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof ClusterDeckError && error.reason === 'unreachable', String(error));
      assert.equal(proxy.targets.length, tunnels);
    } finally {
      await proxy.close();
    }
  });

  test('an https:// proxy (TLS to the proxy, then CONNECT) carries list, watch, logs, exec and port-forward', async () => {
    const proxyTls = await generateTlsMaterial();
    const proxy = await startConnectProxy({ keyPem: proxyTls.serverKeyPem, certPem: proxyTls.serverCertPem }, HOSTS);
    const caFile = join(dir, 'proxy-ca.pem');
    writeFileSync(caFile, proxyTls.caCertPem);
    try {
      const arg = JSON.stringify({ kubeconfig: kubeconfigVia(proxy.url), context: 'via-proxy', target });
      // The proxy's own certificate is verified against the system roots plus NODE_EXTRA_CA_CERTS (never the
      // cluster's CA): a child process with that variable set.
      const run = (extraCa: string | undefined) =>
        new Promise<string>((resolve, reject) => {
          const env = { ...process.env };
          if (extraCa) env.NODE_EXTRA_CA_CERTS = extraCa;
          else delete env.NODE_EXTRA_CA_CERTS;
          execFile(
            process.execPath,
            ['--import', 'tsx', '--import', './test/support/loopbackGuard.ts', 'test/support/proxyProbe.ts', arg],
            { env, timeout: 60_000 },
            (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
          );
        });
      expectAllThrough(JSON.parse(await run(caFile)) as ProbeResult, proxy);
      // Without that CA the proxy is not trusted: every path fails with the TLS guidance, none goes around it.
      const tunnels = proxy.targets.length;
      const untrusted = JSON.parse(await run(undefined)) as ProbeResult;
      for (const [path, result] of Object.entries(untrusted)) assert.match(result, /^error: /, `${path}: ${result}`);
      assert.match(untrusted.list, /not trusted|certificate/i);
      assert.equal(proxy.targets.length, tunnels, 'no tunnel was opened through an untrusted proxy');
      assertNoCanary([TOKEN], [{ name: 'the probe results', value: JSON.stringify(untrusted) }]);
    } finally {
      await proxy.close();
    }
  });

  test('an unsupported proxy scheme is an explicit error naming only the scheme, before any request', async () => {
    const before = fake.requests.length;
    const error = await factory
      .createClient(
        resolveContext(mergeKubeconfigs([{ path: '/k', text: kubeconfigVia('ftp://user:pw-CANARY@127.0.0.1:1') }]), 'via-proxy'),
      )
      .then((c) => c.listNamespaces({ signal: AbortSignal.timeout(5_000) }))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(error instanceof ClusterDeckError, String(error));
    assert.equal(error.reason, 'badConfig');
    assert.match(error.message, /proxy-url of cluster "via-proxy" \(scheme ftp:\) is not supported/);
    assertNoCanary(['pw-CANARY'], [{ name: 'the error', value: error.message }]);
    assert.equal(fake.requests.length, before);
  });
});
