// Logs, events, describe and rollback: core/ and node/ over the real client stack against the fake API server.
import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancelledError, ClusterDeckError } from '../../src/core/errors';
import { loadDescription } from '../../src/core/explorer/describe';
import { loadEvents } from '../../src/core/explorer/events';
import { eventKind, podKind } from '../../src/core/explorer/opsKinds';
import { loadRevisions, rollbackTo, templateWithoutHash } from '../../src/core/explorer/rollout';
import { resolveContext } from '../../src/core/kube/kubeconfig';
import type { KubeClient } from '../../src/core/kube/kubeClient';
import { resourceKindOf } from '../../src/core/kube/resourceKinds';
import { loadKubeconfigs } from '../../src/node/kube/kubeconfigFiles';
import { SdkKubeClientFactory } from '../../src/node/kube/sdkKubeClientFactory';
import { startFakeKube, type FakeKube } from '../fakes/kubeApiServer';

const TOKEN = 'ops-wire-canary-token-91ab';
const signal = () => new AbortController().signal;
const deployments = resourceKindOf('deployments', 'apps')!;
const statefulsets = resourceKindOf('statefulsets', 'apps')!;
const daemonsets = resourceKindOf('daemonsets', 'apps')!;

function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

describe('Logs, events, describe and rollback against the fake API server', () => {
  let fake: FakeKube;
  let dir: string;
  let client: KubeClient;
  const requestLog: string[] = [];

  before(async () => {
    fake = await startFakeKube({ tls: 'tls', token: TOKEN, seed: 'demo' });
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-ops-'));
    const path = join(dir, 'config');
    writeFileSync(path, fake.kubeconfig({ contextName: 'demo' }));
    const factory = new SdkKubeClientFactory({
      requestTimeoutMs: () => 5_000,
      approvals: { isApproved: () => true, approve: () => Promise.resolve() },
      isTrusted: () => true,
      onRequest: (l) => requestLog.push(l),
    });
    client = await factory.createClient(resolveContext(await loadKubeconfigs([path]), 'demo'));
  });

  after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const podNamed = (ns: string, prefix: string) => {
    const pod = fake.list('v1', 'Pod', ns).find((p) => p.metadata.name?.startsWith(prefix));
    assert.ok(pod?.metadata.name, `a ${prefix} pod in ${ns}`);
    return pod.metadata.name;
  };

  describe('logs', () => {
    test('tailLines and timestamps: the last lines, each prefixed with an RFC 3339 timestamp', async () => {
      const pod = podNamed('shop', 'frontend-');
      let text = '';
      await client.streamLogs('shop', pod, { signal: signal(), tailLines: 3, timestamps: true }, (t) => (text += t));
      const lines = text.trimEnd().split('\n');
      assert.equal(lines.length, 3);
      assert.match(lines[2] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z .* line 20$/);
      const req = fake.requests.filter((r) => r.path.endsWith(`/pods/${pod}/log`)).at(-1);
      assert.deepEqual(req?.query, { tailLines: '3', timestamps: 'true' });
      assert.equal(req?.headers.authorization, `Bearer ${TOKEN}`);
      assert.ok(requestLog.some((l) => l.startsWith(`> kube logs shop/${pod}`) && !l.includes(TOKEN)));
    });

    test('sinceSeconds keeps only recent lines', async () => {
      const pod = podNamed('shop', 'frontend-');
      fake.appendLog('shop', pod, 'nginx', 'fresh line');
      let text = '';
      await client.streamLogs('shop', pod, { signal: signal(), sinceSeconds: 60 }, (t) => (text += t));
      assert.equal(text, 'fresh line\n', 'the seeded lines are days old');
    });

    test('follow: lines appended on the server arrive while the response stays open; abort stops it', async () => {
      const pod = podNamed('shop', 'cart-api-');
      let text = '';
      const controller = new AbortController();
      const done = client.streamLogs('shop', pod, { signal: controller.signal, follow: true, tailLines: 1 }, (t) => (text += t));
      await waitFor(() => text.includes('line 20'), 'the tail line');
      fake.appendLog('shop', pod, 'api', ['GET /cart 200', 'GET /cart/42 404']);
      await waitFor(() => text.includes('GET /cart/42 404'), 'the appended lines');
      assert.equal(text.trimEnd().split('\n').length, 3);
      fake.appendLog('shop', pod, 'api', 'still streaming');
      await waitFor(() => text.includes('still streaming'), 'a later line');
      assert.equal(fake.logFollowers('shop', pod, 'api'), 1);
      controller.abort();
      await assert.rejects(done, (e) => e instanceof CancelledError);
      await waitFor(() => fake.logFollowers('shop', pod, 'api') === 0, 'the server to see the request end');
    });

    test('follow ends when the container stops', async () => {
      const pod = podNamed('payments', 'payments-api-');
      let text = '';
      const done = client.streamLogs('payments', pod, { signal: signal(), follow: true, tailLines: 0 }, (t) => (text += t));
      await new Promise((r) => setTimeout(r, 100));
      fake.appendLog('payments', pod, 'api', 'last words');
      await waitFor(() => text.includes('last words'), 'the line');
      fake.endLog('payments', pod, 'api');
      await done;
      assert.equal(text, 'last words\n');
    });

    test('previous: the terminated instance of a restarted container; 400 when there is none', async () => {
      const crashing = podNamed('shop', 'checkout-');
      let text = '';
      await client.streamLogs('shop', crashing, { signal: signal(), previous: true }, (t) => (text += t));
      assert.match(text, /OOMKilled/);
      const healthy = podNamed('shop', 'frontend-');
      await assert.rejects(
        client.streamLogs('shop', healthy, { signal: signal(), previous: true }, () => undefined),
        (e) => e instanceof ClusterDeckError && /previous terminated container "nginx" in pod ".*" not found/.test(e.message),
      );
    });

    test('container: required on a multi-container pod (the server lists the choices), init containers included', async () => {
      const pod = podNamed('monitoring', 'alertmanager-');
      await assert.rejects(
        client.streamLogs('monitoring', pod, { signal: signal() }, () => undefined),
        (e) =>
          e instanceof ClusterDeckError &&
          e.detail.status === 400 &&
          e.message.includes('a container name must be specified for pod') &&
          e.message.includes('[alertmanager config-reloader] or one of the init containers: [init-config]'),
      );
      let sidecar = '';
      await client.streamLogs('monitoring', pod, { signal: signal(), container: 'config-reloader', tailLines: 1 }, (t) => (sidecar += t));
      assert.match(sidecar, /\[config-reloader\]/);
      let init = '';
      await client.streamLogs('monitoring', pod, { signal: signal(), container: 'init-config', tailLines: 1 }, (t) => (init += t));
      assert.match(init, /\[init-config\]/);
      await assert.rejects(
        client.streamLogs('monitoring', pod, { signal: signal(), container: 'nope' }, () => undefined),
        /container nope is not valid for pod/,
      );
    });
  });

  describe('events', () => {
    test('an object: only its events (fieldSelector on involvedObject name, kind and uid), newest last', async () => {
      const pod = fake.get('v1', 'Pod', 'shop', podNamed('shop', 'checkout-'))!;
      const rows = await loadEvents(client, 'shop', { ...pod }, { signal: signal() });
      assert.deepEqual(
        rows.map((r) => r.reason),
        ['Pulled', 'BackOff'],
      );
      assert.equal(rows[1]?.type, 'Warning');
      assert.equal(rows[1]?.count, 31);
      const req = fake.requests.filter((r) => r.path === '/api/v1/namespaces/shop/events').at(-1);
      assert.equal(
        req?.query.fieldSelector,
        `involvedObject.name=${pod.metadata.name},involvedObject.namespace=shop,involvedObject.kind=Pod,involvedObject.uid=${pod.metadata.uid}`,
      );
    });

    test('a namespace: all of its events, and no other namespace', async () => {
      const rows = await loadEvents(client, 'shop', undefined, { signal: signal() });
      assert.ok(rows.length >= 4, JSON.stringify(rows));
      assert.ok(rows.some((r) => r.object.startsWith('Deployment/frontend')));
      assert.ok(!rows.some((r) => r.reason === 'PartiallyFailed'), 'the velero event stays in its namespace');
      const times = rows.map((r) => Date.parse(r.lastSeen));
      assert.deepEqual(
        [...times].sort((a, b) => a - b),
        times,
      );
      const page = await client.listObjects(eventKind, 'velero', { signal: signal() });
      assert.equal(page.items.length, 1);
    });
  });

  describe('describe', () => {
    test('a Deployment: replicas, strategy, template, its ReplicaSets by revision and its events', async () => {
      const text = await loadDescription(client, deployments, 'shop', 'frontend', signal());
      assert.match(text, /^Name: +frontend$/m);
      assert.match(text, /^Replicas: +3 desired \| 3 updated \| 3 total \| 3 available \| 0 unavailable$/m);
      assert.match(text, /^ {2}3 \(current\) +frontend-\S+ +3\/3 +nginx:1\.27\.4/m);
      assert.match(text, /^ {2}1 +frontend-\S+ +0\/0 +nginx:1\.25\.5/m);
      assert.match(text, /ScalingReplicaSet .*Scaled up replica set frontend to 3 from 2/);
    });

    test('a Node: conditions, capacity and its pods', async () => {
      const nodes = { kind: 'Node', plural: 'nodes', group: '', version: 'v1', namespaced: false, label: 'Nodes' };
      const text = await loadDescription(client, nodes, undefined, 'sample-node-1', signal());
      assert.match(text, /Ready +True +KubeletReady/);
      assert.match(text, /Non-terminated Pods \(\d+ in total\)/);
      const req = fake.requests.filter((r) => r.path === '/api/v1/pods').at(-1);
      assert.match(String(req?.query.fieldSelector), /^spec\.nodeName=sample-node-1,status\.phase!=Succeeded/);
    });

    test('a Pod: containers with state, last state and restarts, then its events', async () => {
      const text = await loadDescription(client, podKind, 'shop', podNamed('shop', 'checkout-'), signal());
      assert.match(text, /Reason: +CrashLoopBackOff/);
      assert.match(text, /Last State: +Terminated\n +Reason: +OOMKilled/);
      assert.match(text, /Restart Count: +7/);
      assert.match(text, /Events:\n(.*\n)*.*Warning +BackOff/);
    });
  });

  describe('rollback', () => {
    test('a Deployment: revisions from its ReplicaSets; the rollback patches the template like kubectl rollout undo', async () => {
      const { workload, revisions } = await loadRevisions(client, deployments, 'shop', 'frontend', signal());
      assert.deepEqual(
        revisions.map((r) => [r.revision, r.current, r.images.join()]),
        [
          [3, true, 'nginx:1.27.4'],
          [2, false, 'nginx:1.26.3'],
          [1, false, 'nginx:1.25.5'],
        ],
      );
      const target = revisions.find((r) => r.revision === 1)!;
      fake.clearRequests();
      await rollbackTo(client, deployments, workload, target, signal());
      const patch = fake.requests.find((r) => r.method === 'PATCH');
      assert.equal(patch?.headers['content-type'], 'application/json-patch+json');
      assert.equal(patch?.path, '/apis/apps/v1/namespaces/shop/deployments/frontend');
      const after = fake.get('apps/v1', 'Deployment', 'shop', 'frontend')!;
      const template = (
        after['spec'] as { template: { metadata: { labels: Record<string, string> }; spec: { containers: { image: string }[] } } }
      ).template;
      assert.equal(template.spec.containers[0]?.image, 'nginx:1.25.5');
      assert.equal(template.metadata.labels['pod-template-hash'], undefined, 'the hash label is not copied');
      assert.equal(after.metadata.annotations?.['deployment.kubernetes.io/revision'], '3', 'bookkeeping annotations kept');
      const rs = fake
        .list('apps/v1', 'ReplicaSet', 'shop')
        .find((x) => x.metadata.annotations?.['deployment.kubernetes.io/revision'] === '1')!;
      assert.deepEqual(template, templateWithoutHash(rs['spec'] && (rs['spec'] as { template: unknown }).template));
      // The marker follows the template: revision 1 is now current, and rolling back to it again is refused.
      const again = await loadRevisions(client, deployments, 'shop', 'frontend', signal());
      assert.deepEqual(
        again.revisions.filter((r) => r.current).map((r) => r.revision),
        [1],
      );
      await assert.rejects(
        rollbackTo(
          client,
          deployments,
          again.workload,
          again.revisions.find((r) => r.revision === 1)!,
          signal(),
        ),
        /already runs revision 1/,
      );
    });

    test('a recreated namesake is never patched (the patch tests the uid)', async () => {
      const { workload, revisions } = await loadRevisions(client, deployments, 'payments', 'payments-api', signal());
      const stale = { ...workload, metadata: { ...(workload.metadata as object), uid: 'another-uid' } };
      await assert.rejects(
        rollbackTo(
          client,
          deployments,
          stale,
          revisions.find((r) => !r.current)!,
          signal(),
        ),
        (e) => e instanceof ClusterDeckError && e.detail.status === 422,
      );
    });

    test('a StatefulSet and a DaemonSet: revisions from ControllerRevisions', async () => {
      const sts = await loadRevisions(client, statefulsets, 'shop', 'redis', signal());
      assert.deepEqual(
        sts.revisions.map((r) => [r.revision, r.current, r.images.join()]),
        [
          [2, true, 'redis:7.4.2'],
          [1, false, 'redis:7.2.5'],
        ],
      );
      await rollbackTo(client, statefulsets, sts.workload, sts.revisions[1]!, signal());
      const after = fake.get('apps/v1', 'StatefulSet', 'shop', 'redis')!;
      assert.equal(
        (after['spec'] as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]?.image,
        'redis:7.2.5',
      );
      assert.ok(!JSON.stringify(after).includes('$patch'));
      const ds = await loadRevisions(client, daemonsets, 'kube-system', 'kube-proxy', signal());
      assert.deepEqual(
        ds.revisions.map((r) => [r.revision, r.current]),
        [
          [2, true],
          [1, false],
        ],
      );
    });

    test('a paused Deployment is refused, as kubectl does', async () => {
      const d = fake.get('apps/v1', 'Deployment', 'payments', 'payments-api')!;
      fake.upsert({ ...d, spec: { ...(d['spec'] as object), paused: true } });
      const { workload, revisions } = await loadRevisions(client, deployments, 'payments', 'payments-api', signal());
      await assert.rejects(
        rollbackTo(
          client,
          deployments,
          workload,
          revisions.find((r) => !r.current)!,
          signal(),
        ),
        /is paused/,
      );
    });
  });
});
