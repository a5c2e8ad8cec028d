// Connect timeout (reliability A1/B35): a server that accepts TCP but never completes the TLS handshake (what a
// black-holed or overloaded API server looks like from here) fails after the connect limit, well before the
// request timeout, with a message that says the connection could not be made. DNS failures say so too (B34).
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { ClusterDeckError } from '../../src/core/errors';
import { getJson } from '../../src/node/kube/kubeHttp';
import { mapKubeError } from '../../src/node/kube/kubeErrors';

describe('connect timeout and DNS failure', () => {
  let hang: Server;
  const sockets = new Set<Socket>();
  let url = '';
  before(async () => {
    hang = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(hang.address() as { port: number }).port}`;
  });
  after(() => {
    for (const s of sockets) s.destroy();
    hang.close();
  });

  test('a handshake that never completes fails at the connect limit, not the request timeout', async () => {
    const started = Date.now();
    const error = await getJson(new URL('/api', url), {}, undefined, new AbortController().signal, 30_000, 'GET', undefined, 400).then(
      () => undefined,
      (e: unknown) => e,
    );
    const elapsed = Date.now() - started;
    assert.equal((error as { code?: string }).code, 'ECONNTIMEDOUT');
    assert.ok(elapsed < 10_000, `failed after ${elapsed} ms`);
    const mapped = mapKubeError(error, { server: url, contextName: 'hang', verb: 'list', resource: 'namespaces' });
    assert.ok(mapped instanceof ClusterDeckError);
    assert.equal(mapped.reason, 'unreachable');
    assert.match(mapped.message, /Cannot reach https:\/\/127\.0\.0\.1:\d+: no connection within 400 ms/);
  });

  test('a name that does not resolve is reported as a DNS failure naming the server (B34)', async () => {
    const server = 'https://api.nowhere.example.invalid:6443';
    const error = await getJson(new URL('/api', server), {}, undefined, new AbortController().signal, 5_000).then(
      () => undefined,
      (e: unknown) => e,
    );
    const mapped = mapKubeError(error, { server, contextName: 'dns', verb: 'list', resource: 'namespaces' });
    assert.equal(mapped.reason, 'unreachable');
    assert.match(mapped.message, /Cannot resolve the host name of https:\/\/api\.nowhere\.example\.invalid:6443 \(ENOTFOUND\)/);
  });
});
