// Bad-input catalogue rows (reliability.md §3) about TLS, certificate files and aggregated APIs, against the fake
// API server over real TLS with the real client: B10 (a missing CA file), B11 (CA data that is not base64/PEM),
// B16 (tls-server-name is what SNI and verification use), B38 (hostname mismatch → tls-server-name hint), B39
// (unknown CA → CA data / NODE_EXTRA_CA_CERTS guidance, never insecure) and B47 (a 503 from metrics.k8s.io only
// drops the usage). Every message is checked for the planted token and CA data.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as netConnect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { clusterFolderNodes, loadNodeNodes } from '../../src/core/explorer/clusterLevelNodes';
import type { ClusterNode } from '../../src/core/explorer/clusterNodes';
import { ClusterDeckError } from '../../src/core/errors';
import type { ExecApprovals } from '../../src/core/kube/execApproval';
import type { WatchEvent } from '../../src/core/kube/kubeClient';
import { mergeKubeconfigs, resolveContext, type MergedKubeconfig } from '../../src/core/kube/kubeconfig';
import { resourceKindOf, type ResourceKind } from '../../src/core/kube/resourceKinds';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';
import { generateTlsMaterial } from '../fakes/tls';
import { assertNoCanary } from '../support/canaries';

const TOKEN = 'transport-rows-canary-token-81c4e0';
const SECRET_IN_LINE = 'c2VjcmV0LWluLWEtbWFsZm9ybWVkLWxpbmU-CANARY';
const BAD_CA_DATA = 'bm90LWEtY2VydGlmaWNhdGU-CANARY-ca-data-!!';
const approvals: ExecApprovals = { isApproved: () => false, approve: () => Promise.resolve() };

describe('bad-input rows: TLS, certificate files, aggregated APIs', () => {
  let fake: FakeKube;
  let dir: string;
  let config: MergedKubeconfig;
  const log: string[] = [];
  const factory = new SdkKubeClientFactory({
    requestTimeoutMs: () => 5_000,
    approvals,
    isTrusted: () => true,
    onRequest: (l) => log.push(l),
  });
  const list = async (context: string) =>
    (await factory.createClient(resolveContext(config, context))).listNamespaces({ signal: new AbortController().signal });
  const failure = async (context: string): Promise<ClusterDeckError> => {
    try {
      await list(context);
    } catch (e) {
      assert.ok(e instanceof ClusterDeckError, `a ClusterDeckError, not ${String(e)}`);
      assertNoCanary([TOKEN, BAD_CA_DATA], [{ name: 'the error message', value: e.message }]);
      assert.doesNotMatch(e.message, /\n/);
      return e;
    }
    assert.fail(`${context} should fail`);
  };

  before(async () => {
    fake = await startFakeKube({ tls: 'tls', token: TOKEN });
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-transport-rows-'));
    const caData = Buffer.from(fake.ca?.certPem ?? '').toString('base64');
    const b64 = (pem: string) => Buffer.from(pem).toString('base64');
    // Two unrelated client identities: a certificate of one with the key of the other do not match.
    const [one, two] = await Promise.all([generateTlsMaterial(), generateTlsMaterial()]);
    const encryptedKey = generateKeyPairSync('ec', {
      namedCurve: 'prime256v1',
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' },
    }).privateKey;
    const cluster = (name: string, extra: Record<string, unknown>) => ({ name, cluster: { server: fake.url, ...extra } });
    const text = stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        cluster('sni-ok', { 'certificate-authority-data': caData, 'tls-server-name': 'localhost' }),
        cluster('sni-wrong', { 'certificate-authority-data': caData, 'tls-server-name': 'wrong.example' }),
        cluster('unknown-ca', {}),
        cluster('missing-ca-file', { 'certificate-authority': join(dir, 'nowhere', 'ca.crt') }),
        cluster('bad-ca-data', { 'certificate-authority-data': BAD_CA_DATA }),
        cluster('insecure-and-ca', { 'certificate-authority-data': caData, 'insecure-skip-tls-verify': true }),
      ],
      users: [
        { name: 'token', user: { token: TOKEN } },
        { name: 'mismatch', user: { 'client-certificate-data': b64(one.clientCertPem), 'client-key-data': b64(two.clientKeyPem) } },
        { name: 'encrypted', user: { 'client-certificate-data': b64(one.clientCertPem), 'client-key-data': b64(encryptedKey) } },
      ],
      contexts: [
        ...['sni-ok', 'sni-wrong', 'unknown-ca', 'missing-ca-file', 'bad-ca-data', 'insecure-and-ca'].map((name) => ({
          name,
          context: { cluster: name, user: 'token' },
        })),
        { name: 'key-mismatch', context: { cluster: 'sni-ok', user: 'mismatch' } },
        { name: 'key-encrypted', context: { cluster: 'sni-ok', user: 'encrypted' } },
      ],
    });
    config = mergeKubeconfigs([{ path: join(dir, 'config'), text }]);
    assert.deepEqual(config.problems, []);
  });
  after(async () => {
    await fake?.close();
    rmSync(dir, { recursive: true, force: true });
    assertNoCanary([TOKEN, BAD_CA_DATA, SECRET_IN_LINE], [{ name: 'the kube log', value: log.join('\n') }]);
  });

  test('B16: tls-server-name is what SNI and verification use: a name in the certificate lists, another name is refused', async () => {
    // The server URL is https://127.0.0.1 (an IP the certificate also names): only tls-server-name can fail it.
    const page = await list('sni-ok');
    assert.ok(page.items.some((n) => n.name === 'default'));
    const e = await failure('sni-wrong');
    assert.equal(e.reason, 'tls');
  });

  test('B38: a certificate hostname mismatch is a friendly TLS error with the tls-server-name hint', async () => {
    const e = await failure('sni-wrong');
    assert.equal(e.reason, 'tls');
    assert.match(e.message, /ERR_TLS_CERT_ALTNAME_INVALID/);
    assert.match(e.message, /set tls-server-name in its kubeconfig cluster entry/);
  });

  test('B39: an unknown CA (a corporate MITM) gives CA-data / NODE_EXTRA_CA_CERTS guidance and never goes insecure', async () => {
    const before = fake.requests.length;
    const e = await failure('unknown-ca');
    assert.equal(e.reason, 'tls');
    assert.match(e.message, /not trusted/);
    assert.match(e.message, /certificate-authority-data/);
    assert.match(e.message, /NODE_EXTRA_CA_CERTS/);
    assert.equal(fake.requests.length, before, 'no request reached the server: the handshake failed, nothing was retried insecurely');
  });

  test('B10: a certificate-authority file that does not exist is an error naming the field and the path', async () => {
    const e = await failure('missing-ca-file');
    assert.equal(e.reason, 'badConfig', e.message);
    assert.match(e.message, /certificate-authority/);
    assert.ok(e.message.includes(join(dir, 'nowhere', 'ca.crt')), e.message);
  });

  test('B11: certificate-authority-data that is not base64/PEM is named, and the value is not echoed', async () => {
    const e = await failure('bad-ca-data');
    assert.equal(e.reason, 'badConfig', e.message);
    assert.match(e.message, /certificate-authority-data of context "bad-ca-data" is not valid base64\/PEM/);
  });

  test('B12: a client certificate and key that do not match, or an encrypted key, are named as such', async () => {
    const mismatch = await failure('key-mismatch');
    assert.equal(mismatch.reason, 'badConfig', mismatch.message);
    assert.match(mismatch.message, /client certificate and key of context "key-mismatch" do not match/);
    const encrypted = await failure('key-encrypted');
    assert.equal(encrypted.reason, 'badConfig', encrypted.message);
    assert.match(encrypted.message, /encrypted private key/);
  });

  test('B13: insecure-skip-tls-verify together with CA data is refused as kubectl refuses it, before any request', async () => {
    const before = fake.requests.length;
    const e = await failure('insecure-and-ca');
    assert.equal(e.reason, 'badConfig');
    assert.match(e.message, /sets both insecure-skip-tls-verify and a certificate authority, which kubectl refuses too/);
    assert.equal(fake.requests.length, before, 'nothing was sent');
  });

  test('B47: a 503 from the aggregated metrics.k8s.io only drops the usage: the Nodes still list', async () => {
    fake.upsert({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'worker-1' },
      status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { cpu: '2', memory: '4Gi' } },
    });
    const remove = fake.inject({ path: /^\/apis\/metrics\.k8s\.io\//, status: 503 });
    try {
      const folder = clusterFolderNodes('sni-ok').find(
        (n): n is Extract<ClusterNode, { kind: 'resourceFolder' }> => n.kind === 'resourceFolder' && n.resource.plural === 'nodes',
      );
      assert.ok(folder);
      const nodes = (await loadNodeNodes(config, folder, factory, { signal: new AbortController().signal, pageSize: 100 })).filter(
        (n): n is Extract<ClusterNode, { kind: 'resource' }> => n.kind === 'resource',
      );
      const worker = nodes.find((n) => n.name === 'worker-1');
      assert.ok(worker, 'the node is listed');
      assert.equal(worker.cells.Status, 'Ready');
      assert.equal(worker.cells.Usage, 'metrics-server not available');
      assert.ok(
        fake.requests.some((r) => r.path.startsWith('/apis/metrics.k8s.io/')),
        'metrics were asked for (and answered 503)',
      );
    } finally {
      remove();
    }
  });

  test('B45: a malformed watch line is counted in the log (never its content) and ends the stream with a clear error to reconnect on', async () => {
    const secrets = resourceKindOf('secrets') as ResourceKind;
    const good = {
      type: 'ADDED',
      object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'ok', namespace: 'default', resourceVersion: '7' } },
    };
    // The second line is cut JSON that carries a Secret's data: it must not reach the log or the message.
    const body = `${JSON.stringify(good)}\n{"type":"MODIFIED","object":{"kind":"Secret","data":{"token":"${SECRET_IN_LINE}"\n`;
    const remove = fake.inject({ path: /^\/api\/v1\/namespaces\/default\/secrets\?.*watch=1/, body, times: 1 });
    const events: WatchEvent[] = [];
    try {
      const client = await factory.createClient(resolveContext(config, 'sni-ok'));
      const error = await client.watch(secrets, 'default', { signal: new AbortController().signal, onEvent: (e) => events.push(e) }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof ClusterDeckError, `a ClusterDeckError, not ${String(error)}`);
      assert.equal(error.reason, 'serverError');
      assert.match(
        error.message,
        /sent a watch line for secrets that is not a valid event .*; it was skipped and the watch starts again\.$/,
      );
      assertNoCanary([SECRET_IN_LINE], [{ name: 'the watch error', value: error.message }]);
      assert.equal(events.length, 1, 'the good event before it was delivered');
      assert.ok(
        log.some((l) => /^> kube watch secrets default sni-ok \[\d+ms\] malformed line \(1 events\)$/.test(l)),
        `the log counts it:\n${log.slice(-3).join('\n')}`,
      );
    } finally {
      remove();
    }
  });

  test('B15: an http proxy-url carries the list and the watch (CONNECT); an unsupported proxy scheme is an explicit error', async () => {
    // A minimal HTTP CONNECT proxy on loopback that records the targets it tunnels to.
    const tunnels: string[] = [];
    const sockets = new Set<{ destroy(): void }>();
    const proxy: Server = createServer((client) => {
      sockets.add(client);
      client.once('data', (head: Buffer) => {
        const m = /^CONNECT (\S+):(\d+) HTTP\/1\.[01]\r\n/.exec(head.toString('latin1'));
        if (!m) return void client.destroy();
        tunnels.push(`${m[1]}:${m[2]}`);
        const upstream = netConnect(Number(m[2]), m[1], () => {
          sockets.add(upstream);
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          upstream.pipe(client);
          client.pipe(upstream);
        });
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (proxy.address() as { port: number }).port;
      const caData = Buffer.from(fake.ca?.certPem ?? '').toString('base64');
      const proxied = mergeKubeconfigs([
        {
          path: join(dir, 'proxied'),
          text: stringify({
            clusters: [
              {
                name: 'via-proxy',
                cluster: { server: fake.url, 'certificate-authority-data': caData, 'proxy-url': `http://127.0.0.1:${port}` },
              },
              {
                name: 'odd-proxy',
                cluster: { server: fake.url, 'certificate-authority-data': caData, 'proxy-url': `ftp://127.0.0.1:${port}` },
              },
            ],
            users: [{ name: 'token', user: { token: TOKEN } }],
            contexts: [
              { name: 'via-proxy', context: { cluster: 'via-proxy', user: 'token' } },
              { name: 'odd-proxy', context: { cluster: 'odd-proxy', user: 'token' } },
            ],
          }),
        },
      ]);
      const client = await factory.createClient(resolveContext(proxied, 'via-proxy'));
      const page = await client.listNamespaces({ signal: new AbortController().signal });
      assert.ok(page.items.some((n) => n.name === 'default'));
      const target = new URL(fake.url).host;
      assert.ok(tunnels.includes(target), `the list went through the proxy: ${tunnels.join(', ')}`);
      const before = tunnels.length;
      const watch = new AbortController();
      const configMaps = resourceKindOf('configmaps') as ResourceKind;
      setTimeout(() => watch.abort(), 1_500);
      const watching = client.watch(configMaps, 'default', { signal: watch.signal, timeoutSeconds: 1, onEvent: () => undefined });
      await watching.catch(() => undefined);
      assert.ok(tunnels.length > before, 'the watch went through the proxy too');

      const e = await factory
        .createClient(resolveContext(proxied, 'odd-proxy'))
        .then((c) => c.listNamespaces({ signal: new AbortController().signal }))
        .then(
          () => undefined,
          (x: unknown) => x,
        );
      assert.ok(e instanceof ClusterDeckError, `a ClusterDeckError, not ${String(e)}`);
      assert.equal(e.reason, 'badConfig', e.message);
      assert.match(e.message, /proxy-url .*ftp.* is not supported/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });
});
