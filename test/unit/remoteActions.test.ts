import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  buildApplyDiff,
  describeApplyConflict,
  describeInvalid,
  isUnchanged,
  objectKey,
  objectLabel,
  parseApplyDocuments,
  stripForDiff,
  summarizeApply,
  targetNamespace,
  type ApplyPlanItem,
} from '../../src/core/remote/applyPlan';
import {
  containerPortsOf,
  exitOfExecStatus,
  findResourceInDiscovery,
  labelSelectorOf,
  parseLocalPort,
  pickReadyPod,
  servicePortsOf,
} from '../../src/core/remote/remoteTargets';

test('apply documents: empty ones skipped, objects with their line and namespace', () => {
  const text = [
    '---',
    '# only a comment',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    '  namespace: shop',
    'spec:',
    '  replicas: 2',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: settings',
    'data: {a: "1"}',
    '',
  ].join('\n');
  const { objects, errors } = parseApplyDocuments(text);
  assert.deepEqual(errors, []);
  assert.deepEqual(
    objects.map((o) => [o.kind, o.namespace, o.name, o.line]),
    [
      ['Deployment', 'shop', 'web', 4],
      ['ConfigMap', undefined, 'settings', 12],
    ],
  );
  assert.equal(objectLabel(objects[0]!), 'Deployment shop/web');
  assert.equal(parseApplyDocuments('').objects.length, 0);
});

test('apply documents: syntax errors and incomplete objects carry their line; nothing else matters', () => {
  const text = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: ok',
    '---',
    'kind: Secret',
    'metadata: {}',
    '---',
    'a: b: c',
    '',
  ].join('\n');
  const { objects, errors } = parseApplyDocuments(text);
  assert.equal(objects.length, 1);
  assert.equal(errors.length, 2);
  assert.deepEqual(errors[0], { line: 6, message: 'The document has no apiVersion, metadata.name.' });
  assert.equal(errors[1]?.line, 9);
  assert.ok(errors[1]?.message);
  const dup = parseApplyDocuments('apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: {name: x}\n');
  assert.equal(dup.errors[0]?.line, 3, 'duplicate keys are errors');
  assert.match(parseApplyDocuments('- a\n- b\n').errors[0]?.message ?? '', /not a Kubernetes object/);
});

test('namespace of an applied object: its own, else the context one, else default; none for cluster-scoped kinds', () => {
  assert.equal(targetNamespace(true, 'team-a', 'shop'), 'team-a');
  assert.equal(targetNamespace(true, undefined, 'shop'), 'shop');
  assert.equal(targetNamespace(true, undefined, undefined), 'default');
  assert.equal(targetNamespace(false, 'shop', 'shop'), undefined);
});

test('object keys: same group, kind, namespace and name are the same object across versions', () => {
  assert.equal(
    objectKey({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'a', namespace: 'x' }),
    objectKey({ apiVersion: 'apps/v1beta1', kind: 'Deployment', name: 'a', namespace: 'x' }),
  );
  assert.notEqual(objectKey({ apiVersion: 'v1', kind: 'Service', name: 'a' }), objectKey({ apiVersion: 'v1', kind: 'Service', name: 'b' }));
});

const live = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'shop',
    uid: 'u-1',
    resourceVersion: '41',
    generation: 3,
    creationTimestamp: '2026-01-01T00:00:00Z',
    managedFields: [{ manager: 'kubectl' }],
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
  },
  spec: { replicas: 2 },
  status: { readyReplicas: 2 },
};

test('stripped for the diff: managedFields, resourceVersion, generation, uid, creationTimestamp (input untouched)', () => {
  const s = stripForDiff(live);
  assert.deepEqual(s.metadata, { name: 'web', namespace: 'shop' });
  assert.equal(live.metadata.uid, 'u-1');
});

test('the diff sides: live (empty marker for new objects) and result, in file order; the summary counts', () => {
  const obj = parseApplyDocuments('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec: {replicas: 3}\n')
    .objects[0]!;
  const cm = parseApplyDocuments('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: new}\n').objects[0]!;
  const changed: ApplyPlanItem = {
    object: obj,
    namespace: 'shop',
    live,
    result: { ...live, metadata: { ...live.metadata, resourceVersion: '42', generation: 4 }, spec: { replicas: 3 } },
  };
  const created: ApplyPlanItem = {
    object: cm,
    namespace: 'default',
    result: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'new', uid: 'u2' } },
  };
  const unchanged: ApplyPlanItem = {
    object: obj,
    namespace: 'shop',
    live,
    result: { ...live, metadata: { ...live.metadata, resourceVersion: '99' } },
  };
  const diff = buildApplyDiff([changed, created]);
  assert.match(diff.live, /^# Deployment shop\/web\n/);
  assert.match(diff.live, /replicas: 2/);
  assert.match(diff.result, /replicas: 3/);
  assert.match(diff.live, /# ConfigMap default\/new: not on the cluster \(created by this apply\)/);
  for (const side of [diff.live, diff.result])
    assert.doesNotMatch(side, /managedFields|resourceVersion|uid:|generation|creationTimestamp|last-applied/);
  assert.equal(isUnchanged(unchanged), true);
  assert.equal(isUnchanged(changed), false);
  assert.equal(summarizeApply([changed, created, unchanged]), '3 objects: 1 created, 1 changed, 1 unchanged');
});

test('Secret values never appear in the diff, only whether they change', () => {
  const secret = (v: string) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', namespace: 'x' },
    data: { a: v, b: 'c2FtZQ==' },
  });
  const obj = parseApplyDocuments('apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n').objects[0]!;
  const diff = buildApplyDiff([{ object: obj, namespace: 'x', live: secret('b2xk'), result: secret('bmV3') }]);
  for (const side of [diff.live, diff.result]) {
    assert.doesNotMatch(side, /b2xk|bmV3|c2FtZQ/);
    assert.match(side, /a: <hidden value, changed>/);
    assert.match(side, /b: <hidden value, unchanged>/);
  }
});

test('conflict causes name the other managers; 422 causes name the field', () => {
  const c = describeApplyConflict([
    { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using apps/v1', field: '.spec.replicas' },
    { reason: 'FieldManagerConflict', message: 'conflict with "helm" using apps/v1', field: '.spec.template.spec.containers' },
  ]);
  assert.deepEqual(c.managers, ['kubectl-edit', 'helm']);
  assert.equal(c.lines[0], '.spec.replicas: conflict with "kubectl-edit" using apps/v1');
  assert.deepEqual(describeInvalid([{ field: 'spec.replicas', message: 'Invalid value: -1: must be greater than or equal to 0' }]), [
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
  ]);
});

test('discovery: a kind resolves to its plural and scope; subresources are skipped', () => {
  const list = {
    resources: [
      { name: 'deployments/scale', kind: 'Scale', namespaced: true },
      { name: 'deployments', kind: 'Deployment', namespaced: true },
    ],
  };
  assert.deepEqual(findResourceInDiscovery(list, 'apps/v1', 'Deployment'), {
    kind: 'Deployment',
    plural: 'deployments',
    group: 'apps',
    version: 'v1',
    namespaced: true,
    label: 'Deployment',
  });
  assert.equal(findResourceInDiscovery(list, 'apps/v1', 'Scale'), undefined);
  assert.equal(
    findResourceInDiscovery({ resources: [{ name: 'namespaces', kind: 'Namespace', namespaced: false }] }, 'v1', 'Namespace')?.group,
    '',
  );
});

const pod = (name: string, ready: boolean, extra: Record<string, unknown> = {}) => ({
  metadata: { name, ...extra },
  spec: {
    containers: [
      {
        name: 'web',
        ports: [
          { name: 'http', containerPort: 8080 },
          { containerPort: 53, protocol: 'UDP' },
        ],
      },
      { name: 'metrics', ports: [{ containerPort: 9090, protocol: 'TCP' }] },
    ],
  },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

test('port-forward targets: selectors, a ready pod, container and service ports', () => {
  assert.equal(labelSelectorOf({ kind: 'Service', spec: { selector: { app: 'web', tier: 'fe' } } }), 'app=web,tier=fe');
  assert.equal(
    labelSelectorOf({
      kind: 'Deployment',
      spec: { selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['a', 'b'] }] } },
    }),
    'app=web,env in (a,b)',
  );
  assert.equal(labelSelectorOf({ kind: 'Service', spec: {} }), undefined);
  assert.deepEqual(pickReadyPod([pod('b', true), pod('a', false), pod('c', true, { deletionTimestamp: 'x' })])?.metadata, { name: 'b' });
  assert.equal(pickReadyPod([pod('a', false)]), undefined);
  assert.deepEqual(
    containerPortsOf(pod('a', true)).map((p) => p.port),
    [8080, 9090],
  );
  const svc = {
    kind: 'Service',
    spec: { ports: [{ name: 'web', port: 80, targetPort: 'http' }, { port: 9090 }, { port: 81, targetPort: 'nope' }] },
  };
  assert.deepEqual(
    servicePortsOf(svc, pod('a', true)).map((p) => [p.port, p.description]),
    [
      [8080, 'service port web 80 → pod port 8080'],
      [9090, 'service port 9090 → pod port 9090'],
    ],
  );
});

test('local port: empty is random, 1-65535 accepted, anything else explained', () => {
  assert.deepEqual(parseLocalPort(''), { port: 0 });
  assert.deepEqual(parseLocalPort(' 8080 '), { port: 8080 });
  for (const bad of ['0', '65536', 'abc', '-1', '80.5']) assert.ok('error' in parseLocalPort(bad), bad);
});

test('exec exit status from the error channel', () => {
  assert.deepEqual(exitOfExecStatus({ metadata: {}, status: 'Success' }), { code: 0 });
  assert.deepEqual(
    exitOfExecStatus({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '42' }] } }),
    { code: 42 },
  );
  assert.deepEqual(exitOfExecStatus({ status: 'Failure', message: 'container not found' }), { code: 1, message: 'container not found' });
});
