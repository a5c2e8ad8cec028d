// Remote actions over the real @kubernetes/client-node against the fake API server: server-side apply (dry run,
// real, conflicts, force, 422), port-forward (websocket, portforward channel protocol) and exec (channel.k8s.io).
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterDeckError } from '../../src/core/errors';
import type { KubeClient } from '../../src/core/kube/kubeClient';
import { resolveContext } from '../../src/core/kube/kubeconfig';
import { execShellCommand } from '../../src/core/remote/remoteTargets';
import { loadKubeconfigs } from '../../src/node/kube/kubeconfigFiles';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';

const TOKEN = 'wire-remote-canary-9d1e';

function httpGet(port: number, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function waitFor<T>(fn: () => T | undefined, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      const v = fn();
      if (v !== undefined) resolve(v);
      else if (Date.now() > deadline) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

const deployment = (replicas: number, image = 'nginx:1.27') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
  },
});

describe('remote actions against the fake API server', () => {
  let fake: FakeKube;
  let client: KubeClient;
  let dir: string;
  let echo: Server;
  let echoPort = 0;
  const logLines: string[] = [];

  before(async () => {
    fake = await startFakeKube({ tls: 'tls', token: TOKEN, seed: 'demo' });
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-remote-'));
    const path = join(dir, 'config');
    writeFileSync(path, fake.kubeconfig({ contextName: 'fake', namespace: 'shop' }));
    const factory = new SdkKubeClientFactory({
      requestTimeoutMs: () => 5_000,
      approvals: { isApproved: () => true, approve: () => Promise.resolve() },
      isTrusted: () => true,
      onRequest: (l) => logLines.push(l),
    });
    client = await factory.createClient(resolveContext(await loadKubeconfigs([path]), 'fake'));
    echo = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`echo ${req.method} ${req.url}`);
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
    echoPort = (echo.address() as { port: number }).port;
  });

  after(async () => {
    await fake.close();
    await new Promise<void>((r) => echo.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  const signal = new AbortController().signal;

  test('kinds resolve through discovery (cached per group-version)', async () => {
    fake.clearRequests();
    const d = await client.resolveKind('apps/v1', 'Deployment', { signal });
    assert.deepEqual(d && { plural: d.plural, group: d.group, version: d.version, namespaced: d.namespaced }, {
      plural: 'deployments',
      group: 'apps',
      version: 'v1',
      namespaced: true,
    });
    const ns = await client.resolveKind('v1', 'Namespace', { signal });
    assert.equal(ns?.namespaced, false);
    await client.resolveKind('apps/v1', 'StatefulSet', { signal });
    assert.equal(fake.requests.filter((r) => r.path === '/apis/apps/v1').length, 1, 'one discovery request per group-version');
    assert.equal(await client.resolveKind('example.com/v9', 'Nope', { signal }), undefined);
  });

  test('a dry-run apply returns the result without persisting; the real apply creates with field manager clusterdeck', async () => {
    const resource = (await client.resolveKind('apps/v1', 'Deployment', { signal }))!;
    fake.clearRequests();
    const dry = await client.applyObject(resource, 'shop', 'web', deployment(2), { signal, dryRun: true });
    assert.equal((dry.spec as { replicas: number }).replicas, 2);
    assert.equal(fake.get('apps/v1', 'Deployment', 'shop', 'web'), undefined, 'dry run persisted nothing');
    const req = fake.requests.find((r) => r.method === 'PATCH');
    assert.equal(req?.headers['content-type'], 'application/apply-patch+yaml');
    assert.deepEqual(req?.query, { fieldManager: 'clusterdeck', dryRun: 'All' });

    await client.applyObject(resource, 'shop', 'web', deployment(2), { signal });
    const stored = fake.get('apps/v1', 'Deployment', 'shop', 'web');
    assert.equal((stored?.['spec'] as { replicas: number }).replicas, 2);
    const managers = (stored?.metadata['managedFields'] as { manager: string; operation: string }[]).map(
      (m) => `${m.manager}/${m.operation}`,
    );
    assert.deepEqual(managers, ['clusterdeck/Apply']);
  });

  test('a field another manager owns is a 409 naming that manager; force takes it over', async () => {
    const resource = (await client.resolveKind('apps/v1', 'Deployment', { signal }))!;
    // kubectl scale-like write by another manager: a merge patch with its own fieldManager.
    const url = new URL(`${fake.url}/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=kubectl-edit`);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest(
        url,
        {
          method: 'PATCH',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/merge-patch+json' },
          ...(fake.ca ? { ca: fake.ca.certPem } : {}),
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ spec: { replicas: 5 } }));
    });
    assert.equal(status, 200);
    const err = await client.applyObject(resource, 'shop', 'web', deployment(3), { signal, dryRun: true }).then(
      () => assert.fail('expected a conflict'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ClusterDeckError && err.reason === 'conflict', String(err));
    assert.deepEqual(err.detail.causes, [
      { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using apps/v1', field: '.spec.replicas' },
    ]);
    assert.match(err.message, /Apply failed with 1 conflict: conflict with "kubectl-edit"/);
    // The same value is no conflict (shared ownership); another field is not owned by kubectl-edit.
    await client.applyObject(resource, 'shop', 'web', deployment(5, 'nginx:1.28'), { signal, dryRun: true });
    const forced = await client.applyObject(resource, 'shop', 'web', deployment(3), { signal, force: true });
    assert.equal((forced.spec as { replicas: number }).replicas, 3);
    const managers = (fake.get('apps/v1', 'Deployment', 'shop', 'web')?.metadata['managedFields'] as { manager: string }[]).map(
      (m) => m.manager,
    );
    assert.deepEqual(managers, ['clusterdeck'], 'force moved spec.replicas to clusterdeck; kubectl-edit owns nothing left');
  });

  test('lists of containers merge by name, as the apiserver merges associative lists (defaults and other fields kept)', async () => {
    const resource = (await client.resolveKind('apps/v1', 'Deployment', { signal }))!;
    const live = fake.get('apps/v1', 'Deployment', 'shop', 'frontend')!;
    const before = (live['spec'] as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers[0]!;
    assert.ok(before['resources'] && before['readinessProbe'], 'the demo container has resources and a probe');
    const result = await client.applyObject(
      resource,
      'shop',
      'frontend',
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'frontend' },
        spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:9.9' }] } } },
      },
      { signal, dryRun: true },
    );
    const after = (result.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers;
    assert.equal(after.length, 1);
    assert.deepEqual(after[0], { ...before, image: 'nginx:9.9' });
  });

  test('an invalid object is a 422 naming the field', async () => {
    const resource = (await client.resolveKind('apps/v1', 'Deployment', { signal }))!;
    const err = await client.applyObject(resource, 'shop', 'web', deployment(-1), { signal, dryRun: true }).then(
      () => assert.fail('expected 422'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ClusterDeckError && err.reason === 'invalid', String(err));
    assert.equal(err.detail.causes?.[0]?.field, 'spec.replicas');
    assert.match(err.detail.causes?.[0]?.message ?? '', /must be greater than or equal to 0/);
  });

  test('port-forward: 127.0.0.1 only, an HTTP request reaches the pod port, stop closes it', async () => {
    const pod = fake.list('v1', 'Pod', 'shop').find((p) => p.metadata.name?.startsWith('frontend-'))!;
    const podName = pod.metadata.name ?? '';
    fake.setPortTarget('shop', podName, 8080, { host: '127.0.0.1', port: echoPort });
    const pf = await client.portForward('shop', podName, 8080, { localPort: 0 });
    assert.ok(pf.localPort > 0);
    const first = await httpGet(pf.localPort, '/hello');
    assert.deepEqual(first, { status: 200, body: 'echo GET /hello' });
    const second = await httpGet(pf.localPort, '/again');
    assert.equal(second.body, 'echo GET /again');
    const ws = fake.requests.filter((r) => r.path === `/api/v1/namespaces/shop/pods/${podName}/portforward`);
    assert.equal(ws.length, 2, 'one websocket per connection');
    assert.deepEqual(ws[0]?.query, { ports: '8080' });
    // Not reachable on another local address of the machine.
    const bound = await new Promise<boolean>((resolve) => {
      const s = connect(pf.localPort, '127.0.0.2');
      s.on('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    assert.equal(bound, false, 'the listener is bound to 127.0.0.1 only');
    // A connection open while stopping is closed too.
    const open = connect(pf.localPort, '127.0.0.1');
    await new Promise((r) => open.once('connect', r));
    const closed = new Promise<void>((r) => open.once('close', () => r()));
    await pf.stop();
    await closed;
    await assert.rejects(httpGet(pf.localPort), /ECONNREFUSED/);
  });

  test('port-forward: a chosen local port in use is a clear error; a vanished pod ends the session with a message', async () => {
    const busy = createTcpServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const busyPort = (busy.address() as { port: number }).port;
    await assert.rejects(client.portForward('shop', 'redis-0', 6379, { localPort: busyPort }), (e: unknown) => {
      assert.ok(e instanceof ClusterDeckError && e.reason === 'portInUse');
      assert.match(e.message, new RegExp(`Local port ${busyPort} is already in use on 127\\.0\\.0\\.1`));
      return true;
    });
    busy.close();

    const pf = await client.portForward('shop', 'redis-0', 6379, { localPort: 0 });
    const ended = new Promise<string>((r) => pf.onEnded(r));
    fake.remove('v1', 'Pod', 'shop', 'redis-0');
    const s = connect(pf.localPort, '127.0.0.1');
    s.on('error', () => undefined);
    assert.match(await ended, /Pod "shop\/redis-0" no longer exists on context "fake"/);
    await assert.rejects(httpGet(pf.localPort), /ECONNREFUSED/);
  });

  test('exec: the shell command as an argument array with a TTY, input, resize and the exit code from the error channel', async () => {
    const pod = fake.list('v1', 'Pod', 'shop').find((p) => p.metadata.name?.startsWith('frontend-'))!;
    const podName = pod.metadata.name ?? '';
    const session = await client.exec('shop', podName, 'nginx', execShellCommand, { columns: 100, rows: 30 });
    let output = '';
    session.onOutput((d) => (output += d));
    const exited = new Promise<{ code: number; message?: string }>((r) => session.onExit(r));
    await waitFor(() => (output.includes(`root@${podName}:/# `) ? true : undefined), 'the prompt');
    const rec = fake.execs[fake.execs.length - 1]!;
    assert.deepEqual(rec.command, ['/bin/sh', '-c', 'command -v bash >/dev/null && exec bash || exec sh']);
    assert.equal(rec.tty, true);
    assert.equal(rec.container, 'nginx');
    assert.equal(rec.protocol, 'v5.channel.k8s.io');
    await waitFor(() => (rec.resizes.length > 0 ? true : undefined), 'the first resize');
    assert.deepEqual(rec.resizes[0], { width: 100, height: 30 });
    session.resize(120, 40);
    await waitFor(() => (rec.resizes.length > 1 ? true : undefined), 'the second resize');
    assert.deepEqual(rec.resizes[1], { width: 120, height: 40 });
    session.write('echo hello-from-pod\r');
    await waitFor(() => (output.includes('hello-from-pod\r\n') ? true : undefined), 'the echo');
    session.write('exit 3\r');
    assert.deepEqual(await exited, { code: 3 });
    assert.ok(rec.lines.includes('echo hello-from-pod'));
  });

  test('exec: closing the session ends the socket on the server', async () => {
    const pod = fake.list('v1', 'Pod', 'shop').find((p) => p.metadata.name?.startsWith('frontend-'))!;
    const session = await client.exec('shop', pod.metadata.name ?? '', 'nginx', execShellCommand, { columns: 80, rows: 24 });
    const exited = new Promise<{ code: number }>((r) => session.onExit(r));
    const rec = fake.execs[fake.execs.length - 1]!;
    session.close();
    await exited;
    await waitFor(() => (rec.closed ? true : undefined), 'the server side to close');
    await assert.rejects(client.exec('shop', 'no-such-pod', 'x', execShellCommand, { columns: 80, rows: 24 }), (e: unknown) => {
      assert.ok(e instanceof ClusterDeckError && e.reason === 'notFound', String(e));
      return true;
    });
    assert.ok(!logLines.join('\n').includes(TOKEN), 'no token logged');
  });
});
