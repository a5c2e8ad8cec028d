// Pure parts of logs, events, describe and rollback: option building, rendering per kind, revision planning.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { describeObject } from '../../src/core/explorer/describe';
import { eventRows, involvedObjectSelector, renderEventsTable } from '../../src/core/explorer/events';
import { LogBuffer } from '../../src/core/explorer/logBuffer';
import { buildLogQuery, defaultContainer, parseSince, podContainers, selectorString } from '../../src/core/explorer/logOptions';
import { formatAge } from '../../src/core/explorer/opsKinds';
import { controllerRevisions, deploymentRevisions, rollbackPatch } from '../../src/core/explorer/rollout';

const NOW = Date.parse('2026-01-10T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString().replace(/\.\d+Z$/, 'Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('log options', () => {
  test('buildLogQuery sends only what is set, as kubectl logs does', () => {
    assert.equal(buildLogQuery({}), '');
    assert.equal(
      buildLogQuery({ container: 'api', follow: true, tailLines: 500, sinceSeconds: 300, previous: true, timestamps: true }),
      'container=api&follow=true&previous=true&timestamps=true&sinceSeconds=300&tailLines=500',
    );
    assert.equal(buildLogQuery({ tailLines: 0, sinceSeconds: 0, follow: false }), 'tailLines=0');
  });

  test('parseSince reads kubectl durations; all/empty mean the whole log', () => {
    assert.equal(parseSince('5m'), 300);
    assert.equal(parseSince('1h'), 3600);
    assert.equal(parseSince('2h30m'), 9000);
    assert.equal(parseSince(' 1d '), 86_400);
    assert.equal(parseSince('all'), undefined);
    assert.equal(parseSince(''), undefined);
    assert.throws(() => parseSince('5 minutes'), RangeError);
    assert.throws(() => parseSince('0s'), RangeError);
  });

  const pod = {
    metadata: { annotations: { 'kubectl.kubernetes.io/default-container': 'app' } },
    spec: {
      initContainers: [{ name: 'init', image: 'busybox' }],
      containers: [
        { name: 'sidecar', image: 'envoy' },
        { name: 'app', image: 'shop:1' },
      ],
    },
    status: {
      containerStatuses: [
        { name: 'sidecar', restartCount: 0, state: { running: {} } },
        {
          name: 'app',
          restartCount: 3,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error' } },
        },
      ],
      initContainerStatuses: [{ name: 'init', state: { terminated: { reason: 'Completed' } } }],
    },
  };

  test('podContainers lists app then init containers with restarts, state and whether a previous log exists', () => {
    assert.deepEqual(podContainers(pod), [
      { name: 'sidecar', init: false, image: 'envoy', restartCount: 0, hasPrevious: false, state: 'running' },
      { name: 'app', init: false, image: 'shop:1', restartCount: 3, hasPrevious: true, state: 'waiting (CrashLoopBackOff)' },
      { name: 'init', init: true, image: 'busybox', restartCount: 0, hasPrevious: false, state: 'terminated (Completed)' },
    ]);
  });

  test('defaultContainer follows the kubectl annotation, else the first app container', () => {
    assert.equal(defaultContainer(pod), 'app');
    assert.equal(defaultContainer({ ...pod, metadata: {} }), 'sidecar');
    assert.equal(defaultContainer({ ...pod, metadata: { annotations: { 'kubectl.kubernetes.io/default-container': 'gone' } } }), 'sidecar');
  });

  test('selectorString turns matchLabels and matchExpressions into a label selector', () => {
    assert.equal(
      selectorString({
        matchLabels: { app: 'web', tier: 'fe' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'staging'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'zone', operator: 'NotIn', values: ['a'] },
          { key: 'team', operator: 'Exists' },
        ],
      }),
      'app=web,tier=fe,env in (prod,staging),!canary,zone notin (a),team',
    );
    assert.equal(selectorString(undefined), '');
  });
});

describe('LogBuffer', () => {
  test('joins chunks split mid-line and keeps the partial last line until it ends', () => {
    const b = new LogBuffer(100);
    b.append('first li');
    b.append('ne\nsecond');
    assert.equal(b.text(), 'first line\nsecond');
    b.append(' line\n');
    assert.equal(b.text(), 'first line\nsecond line\n');
    assert.equal(b.lineCount, 2);
  });

  test('keeps only the last maxLines lines and says how many earlier ones were dropped', () => {
    const b = new LogBuffer(3);
    b.append(Array.from({ length: 10 }, (_, i) => `l${i + 1}\n`).join(''));
    assert.equal(b.dropped, 7);
    assert.equal(b.text(), '[clusterdeck] 7 earlier lines dropped (only the last 3 are kept)\nl8\nl9\nl10\n');
    b.note('stream ended');
    assert.match(b.text(), /l10\n\[clusterdeck\] stream ended\n$/);
  });

  test('CRLF line ends are normalised', () => {
    const b = new LogBuffer(10);
    b.append('a\r\nb\r\n');
    assert.equal(b.text(), 'a\nb\n');
  });
});

describe('events', () => {
  const events = [
    {
      metadata: { creationTimestamp: ago(40 * MIN) },
      involvedObject: { kind: 'Pod', name: 'web-1' },
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
      count: 31,
      firstTimestamp: ago(40 * MIN),
      lastTimestamp: ago(MIN),
      source: { component: 'kubelet' },
    },
    {
      metadata: { creationTimestamp: ago(2 * HOUR) },
      regarding: { kind: 'Deployment', name: 'web' },
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      note: 'Scaled up\nreplica set web-abc to 3',
      eventTime: ago(2 * HOUR),
      series: { count: 2, lastObservedTime: ago(90 * MIN) },
      reportingController: 'deployment-controller',
    },
  ];

  test('rows read core/v1 and events.k8s.io shapes, newest last', () => {
    const rows = eventRows(events);
    assert.deepEqual(
      rows.map((r) => [r.reason, r.object, r.count, r.source]),
      [
        ['ScalingReplicaSet', 'Deployment/web', 2, 'deployment-controller'],
        ['BackOff', 'Pod/web-1', 31, 'kubelet'],
      ],
    );
    assert.equal(rows[0]?.lastSeen, ago(90 * MIN));
  });

  test('the table has a header, a warning count, folded messages and ages', () => {
    const text = renderEventsTable('Events of namespace "shop" on ctx', eventRows(events), NOW);
    const lines = text.split('\n');
    assert.equal(lines[0], 'Events of namespace "shop" on ctx');
    assert.equal(lines[1], '2 events, 1 Warning (newest last)');
    assert.match(lines[3] ?? '', /^LAST SEEN +TYPE +REASON +OBJECT +COUNT +MESSAGE$/);
    assert.match(lines[4] ?? '', /^90m +Normal +ScalingReplicaSet +Deployment\/web +2 +Scaled up replica set web-abc to 3$/);
    assert.match(lines[5] ?? '', /^60s +WARNING +BackOff +Pod\/web-1 +31 +Back-off restarting failed container$/);
    assert.match(renderEventsTable('t', [], NOW), /No events/);
  });

  test('involvedObjectSelector names the object like kubectl describe', () => {
    assert.equal(
      involvedObjectSelector({ kind: 'Pod', metadata: { name: 'p', namespace: 'ns', uid: 'u1' } }),
      'involvedObject.name=p,involvedObject.namespace=ns,involvedObject.kind=Pod,involvedObject.uid=u1',
    );
    assert.equal(involvedObjectSelector({ kind: 'Node', metadata: { name: 'n1' } }), 'involvedObject.name=n1,involvedObject.kind=Node');
  });

  test('formatAge prints like kubectl', () => {
    assert.deepEqual(
      [45_000, 5 * MIN + 10_000, 30 * MIN, 4 * HOUR + 5 * MIN, 20 * HOUR, 3 * DAY + 2 * HOUR, 40 * DAY, 800 * DAY].map(formatAge),
      ['45s', '5m10s', '30m', '4h5m', '20h', '3d2h', '40d', '2y'],
    );
  });
});

describe('describeObject', () => {
  const rows = eventRows([
    {
      involvedObject: { kind: 'Pod', name: 'p' },
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off',
      count: 3,
      firstTimestamp: ago(10 * MIN),
      lastTimestamp: ago(MIN),
      source: { component: 'kubelet' },
    },
  ]);

  test('a Pod: containers with image, state, last state, ready, restarts, requests/limits; conditions; volumes; events', () => {
    const text = describeObject(
      {
        kind: 'Pod',
        metadata: {
          name: 'p',
          namespace: 'shop',
          labels: { app: 'web' },
          creationTimestamp: ago(2 * DAY),
          ownerReferences: [{ kind: 'ReplicaSet', name: 'web-1', controller: true }],
        },
        spec: {
          nodeName: 'n1',
          containers: [
            {
              name: 'web',
              image: 'nginx:1.27',
              ports: [{ containerPort: 8080 }],
              resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
              env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }],
            },
          ],
          volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-0' } }],
        },
        status: {
          phase: 'Running',
          podIP: '10.0.0.5',
          qosClass: 'Burstable',
          conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
          containerStatuses: [
            {
              name: 'web',
              ready: false,
              restartCount: 4,
              state: { waiting: { reason: 'CrashLoopBackOff' } },
              lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
            },
          ],
        },
      },
      { events: rows, now: NOW },
    );
    assert.match(text, /^Name: +p$/m);
    assert.match(text, /^Namespace: +shop$/m);
    assert.match(text, /^Labels: +app=web$/m);
    assert.match(text, /^Controlled By: +ReplicaSet\/web-1$/m);
    assert.match(text, /^Node: +n1$/m);
    assert.match(
      text,
      /^Containers:\n {2}web:\n {4}Image: +nginx:1\.27\n {4}Port: +8080\/TCP\n {4}State: +Waiting\n {6}Reason: +CrashLoopBackOff\n {4}Last State: +Terminated\n {6}Reason: +OOMKilled\n {6}Exit Code: +137\n {4}Ready: +False\n {4}Restart Count: +4\n {4}Limits:\n {6}memory: +128Mi\n {4}Requests:\n {6}cpu: +100m\n {6}memory: +64Mi$/m,
    );
    assert.match(text, /DB_PASSWORD: +<set to the key 'password' of 'db'>/);
    assert.match(text, /^Conditions:\n {2}Type +Status +Reason\n {2}Ready +False +ContainersNotReady$/m);
    assert.match(text, /^Volumes:\n {2}data: +persistentVolumeClaim \(data-0\)$/m);
    assert.match(
      text,
      /^Events:\n {2}Type +Reason +Age +From +Message\n.*\n {2}Warning +BackOff +60s \(x3 over 10m\) +kubelet +Back-off$/m,
    );
  });

  const deployment = {
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', uid: 'd1', annotations: { 'deployment.kubernetes.io/revision': '2' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:2' }] } },
    },
    status: {
      replicas: 3,
      updatedReplicas: 3,
      availableReplicas: 2,
      unavailableReplicas: 1,
      conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }],
    },
  };
  const rs = (rev: number, image: string, replicas: number, owner = 'd1') => ({
    metadata: {
      name: `web-h${rev}`,
      uid: `rs${rev}`,
      creationTimestamp: ago((3 - rev) * DAY + HOUR),
      annotations: { 'deployment.kubernetes.io/revision': String(rev), 'kubernetes.io/change-cause': `deploy ${image}` },
      ownerReferences: [{ uid: owner, controller: true, kind: 'Deployment', name: 'web' }],
    },
    spec: {
      replicas,
      template: { metadata: { labels: { app: 'web', 'pod-template-hash': `h${rev}` } }, spec: { containers: [{ name: 'web', image }] } },
    },
    status: { readyReplicas: replicas },
  });

  test('a Deployment: replicas line, strategy, selector, template containers, conditions, ReplicaSets by revision', () => {
    const text = describeObject(deployment, {
      events: [],
      replicaSets: [rs(1, 'web:1', 0), rs(2, 'web:2', 3), rs(9, 'other', 1, 'someone-else')],
      now: NOW,
    });
    assert.match(text, /^Selector: +app=web$/m);
    assert.match(text, /^Replicas: +3 desired \| 3 updated \| 3 total \| 2 available \| 1 unavailable$/m);
    assert.match(text, /^RollingUpdateStrategy: +0 max unavailable, 1 max surge$/m);
    assert.match(text, /^Pod Template:\n {2}Labels: +app=web\n {2}Containers:\n {4}web:\n {6}Image: +web:2$/m);
    assert.match(
      text,
      /^ReplicaSets:\n {2}Revision +Name +Replicas +Images +Age\n {2}2 \(current\) +web-h2 +3\/3 +web:2 +\S+\n {2}1 +web-h1 +0\/0 +web:1/m,
    );
    assert.doesNotMatch(text, /other/, 'a ReplicaSet of another owner is not listed');
    assert.match(text, /^Events:\n {2}<none>$/m);
  });

  test('a Service: type, IP, ports, selector, load balancer', () => {
    const text = describeObject(
      {
        kind: 'Service',
        metadata: { name: 'web' },
        spec: {
          type: 'LoadBalancer',
          clusterIP: '10.96.0.7',
          selector: { app: 'web' },
          ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }],
        },
        status: { loadBalancer: { ingress: [{ ip: '203.0.113.10' }] } },
      },
      { events: [], now: NOW },
    );
    assert.match(text, /^Type: +LoadBalancer$/m);
    assert.match(text, /^IP: +10\.96\.0\.7$/m);
    assert.match(text, /^LoadBalancer Ingress: +203\.0\.113\.10$/m);
    assert.match(text, /^Port: +http {2}80\/TCP\nTargetPort: +8080\/TCP\nNodePort: +http {2}30080\/TCP$/m);
  });

  test('a Node: conditions with messages, addresses, capacity, allocatable and its pods', () => {
    const text = describeObject(
      {
        kind: 'Node',
        metadata: { name: 'n1' },
        spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
        status: {
          conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
          addresses: [{ type: 'InternalIP', address: '10.0.0.1' }],
          capacity: { cpu: '2', memory: '8Gi' },
          allocatable: { cpu: '1930m' },
        },
      },
      {
        events: [],
        pods: [{ metadata: { namespace: 'shop', name: 'web-1' }, spec: { containers: [{ resources: { requests: { cpu: '100m' } } }] } }],
        now: NOW,
      },
    );
    assert.match(text, /^Taints: +dedicated=gpu:NoSchedule$/m);
    assert.match(text, /Ready +True +KubeletReady +kubelet is posting ready status/);
    assert.match(text, /^Capacity:\n {2}cpu: +2\n {2}memory: +8Gi\nAllocatable:\n {2}cpu: +1930m$/m);
    assert.match(text, /^Non-terminated Pods \(1 in total\):\n.*\n {2}shop +web-1 +100m +0/m);
  });

  test('any other kind: metadata, spec and status as nested fields; a Secret shows sizes, never values', () => {
    const cm = describeObject({ kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'a.conf': 'x=1' } }, { events: [], now: NOW });
    assert.match(cm, /^Data:\n {2}a\.conf: x=1$/m);
    const secret = describeObject(
      { kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: { password: Buffer.from('CANARY-pw').toString('base64') } },
      { events: [], now: NOW },
    );
    assert.match(secret, /^ {2}password: +9 bytes$/m);
    assert.doesNotMatch(secret, /CANARY|Q0FOQVJZ/);
  });
});

describe('rollback planning', () => {
  const deployment = {
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      uid: 'd1',
      annotations: { 'deployment.kubernetes.io/revision': '2', team: 'shop', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
    },
    spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:2' }] } } },
  };
  const rs = (rev: number, image: string, owner = 'd1') => ({
    metadata: {
      name: `web-h${rev}`,
      creationTimestamp: ago(rev * HOUR),
      annotations: {
        'deployment.kubernetes.io/revision': String(rev),
        'kubernetes.io/change-cause': `image ${image}`,
        'deployment.kubernetes.io/desired-replicas': '3',
      },
      ownerReferences: [{ uid: owner, controller: true }],
    },
    spec: {
      template: { metadata: { labels: { app: 'web', 'pod-template-hash': `h${rev}` } }, spec: { containers: [{ name: 'web', image }] } },
    },
  });

  test('revisions: owned ReplicaSets only, newest first, current marked by template (hash ignored)', () => {
    const revisions = deploymentRevisions(deployment, [rs(1, 'web:1'), rs(2, 'web:2'), rs(3, 'x', 'other')]);
    assert.deepEqual(
      revisions.map((r) => [r.revision, r.current, r.images, r.changeCause]),
      [
        [2, true, ['web:2'], 'image web:2'],
        [1, false, ['web:1'], 'image web:1'],
      ],
    );
  });

  test('the patch tests the uid, replaces the template (no hash) and computes annotations like kubectl', () => {
    const [, one] = deploymentRevisions(deployment, [rs(1, 'web:1'), rs(2, 'web:2')]);
    assert.deepEqual(rollbackPatch(deployment, one!), [
      { op: 'test', path: '/metadata/uid', value: 'd1' },
      {
        op: 'replace',
        path: '/spec/template',
        value: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } },
      },
      {
        op: 'replace',
        path: '/metadata/annotations',
        value: {
          'kubectl.kubernetes.io/last-applied-configuration': '{}',
          'deployment.kubernetes.io/revision': '2',
          'kubernetes.io/change-cause': 'image web:1',
        },
      },
    ]);
  });

  test('ControllerRevisions: data.spec.template without $patch; current by template, else by updateRevision', () => {
    const sts = {
      kind: 'StatefulSet',
      metadata: { name: 'db', uid: 's1' },
      spec: { template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'db:3' }] } } },
      status: { updateRevision: 'db-b' },
    };
    const cr = (name: string, revision: number, image: string) => ({
      metadata: { name, ownerReferences: [{ uid: 's1', controller: true }] },
      revision,
      data: {
        spec: { template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image }] }, $patch: 'replace' } },
      },
    });
    const revisions = controllerRevisions(sts, [cr('db-a', 1, 'db:1'), cr('db-b', 2, 'db:2')]);
    assert.deepEqual(
      revisions.map((r) => [r.revision, r.current]),
      [
        [2, true],
        [1, false],
      ],
      'no template matches (mid-rollout): the updateRevision is marked',
    );
    assert.equal(JSON.stringify(revisions[1]?.template).includes('$patch'), false);
    assert.deepEqual(rollbackPatch(sts, revisions[1]!), [
      { op: 'test', path: '/metadata/uid', value: 's1' },
      {
        op: 'replace',
        path: '/spec/template',
        value: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'db:1' }] } },
      },
    ]);
  });
});
