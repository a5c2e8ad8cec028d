// The HPA hints of the Clusters tree: the static rules over live objects, the production marker from namespace
// labels and PDBs, a missing target said plainly, and the short text of the row.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { describeHpaHints } from '../../../src/core/tuning/hpaRowHints';
import { hpaHintsFromObjects } from '../../../src/core/tuning/hpaTreeHints';
import { hpaTargetOf, workloadOf } from '../../../src/core/tuning/recommendWorkloads';

const deployment = (
  name: string,
  containers: Record<string, unknown>[],
  extra: { replicas?: number; labels?: Record<string, string> } = {},
) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop', ...(extra.labels ? { labels: extra.labels } : {}) },
  spec: {
    ...(extra.replicas !== undefined ? { replicas: extra.replicas } : {}),
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers } },
  },
});
const hpa = (name: string, target: string, spec: Record<string, unknown>) => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name, namespace: 'shop' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    ...spec,
  },
});
const withCpu = [{ name: 'app', image: 'a', resources: { requests: { cpu: '100m' } } }];

const rows: [what: string, input: Parameters<typeof hpaHintsFromObjects>[0], key: string, rules: string[], short: string][] = [
  [
    'no cpu request → error, cannot compute',
    { hpas: [hpa('api', 'api', { minReplicas: 2, maxReplicas: 5 })], workloads: [deployment('api', [{ name: 'api', image: 'a' }])] },
    'shop/api',
    ['hpa-utilization-without-request'],
    '✖ cannot compute: no request',
  ],
  [
    'min = max',
    { hpas: [hpa('web', 'web', { minReplicas: 3, maxReplicas: 3 })], workloads: [deployment('web', withCpu)] },
    'shop/web',
    ['hpa-min-equals-max'],
    '⚠ min = max',
  ],
  [
    'min 1 in a namespace labelled environment=production',
    {
      hpas: [hpa('web', 'web', { minReplicas: 1, maxReplicas: 4 })],
      workloads: [deployment('web', withCpu)],
      namespaces: [{ metadata: { name: 'shop', labels: { environment: 'production' } } }],
    },
    'shop/web',
    ['hpa-min-replicas-below-2'],
    '⚠ min < 2 in production',
  ],
  [
    'min 1 with a PDB selecting the pods (production marker)',
    {
      hpas: [hpa('web', 'web', { minReplicas: 1, maxReplicas: 4 })],
      workloads: [deployment('web', withCpu)],
      pdbs: [{ metadata: { name: 'web', namespace: 'shop' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } }],
    },
    'shop/web',
    ['hpa-min-replicas-below-2'],
    '⚠ min < 2 in production',
  ],
  [
    'min 1, not production: nothing',
    { hpas: [hpa('web', 'web', { minReplicas: 1, maxReplicas: 4 })], workloads: [deployment('web', withCpu)] },
    'shop/web',
    [],
    '',
  ],
  [
    'spec.replicas set on the Deployment fights the HPA',
    { hpas: [hpa('web', 'web', { minReplicas: 2, maxReplicas: 6 })], workloads: [deployment('web', withCpu, { replicas: 3 })] },
    'shop/web',
    ['hpa-spec-replicas-fights-hpa'],
    '⚠ spec.replicas fights the HPA',
  ],
];

for (const [what, input, key, rules, short] of rows)
  test(`HPA tree hints: ${what}`, () => {
    const row = hpaHintsFromObjects(input).get(key);
    assert.ok(row);
    assert.deepEqual(
      row.hints.map((h) => h.ruleId),
      rules,
    );
    assert.equal(describeHpaHints(row), short);
  });

test('HPA tree hints: a target that is not there is said, not guessed', () => {
  const row = hpaHintsFromObjects({ hpas: [hpa('gone', 'gone', { maxReplicas: 3 })], workloads: [] }).get('shop/gone');
  assert.deepEqual(row, { hints: [], unchecked: 'Deployment gone was not found in shop.' });
});

test('hpaTargetOf: the one HpaTarget of a workload, production from its labels, namespace or a PDB', () => {
  const w = workloadOf({
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
    spec: {
      replicas: 3,
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'app', resources: { limits: { cpu: '500m' } } }],
          initContainers: [{ name: 'proxy', restartPolicy: 'Always', resources: { requests: { cpu: '50m' } } }],
        },
      },
    },
  });
  assert.ok(w);
  const plain = hpaTargetOf(w);
  assert.deepEqual(
    { kind: plain.kind, name: plain.name, specReplicas: plain.specReplicas, production: plain.production },
    { kind: 'Deployment', name: 'web', specReplicas: 3, production: false },
  );
  // A missing request is defaulted to the limit, as the API server does for the pod (what the HPA divides by).
  assert.deepEqual(
    plain.containers.map((c) => [c.name, c.requests.cpu]),
    [['app', '500m']],
  );
  assert.deepEqual(
    plain.initContainers?.map((c) => [c.name, c.restartPolicy]),
    [['proxy', 'Always']],
  );
  assert.equal(hpaTargetOf(w, { hasPdb: true }).production, true);
  assert.equal(hpaTargetOf(w, { namespaceLabels: { environment: 'Production' } }).production, true);
  assert.equal(hpaTargetOf(w, { namespaceAnnotations: { 'clusterdeck.io/production': 'true' } }).production, true);
  assert.equal(hpaTargetOf(w, { namespaceLabels: { environment: 'staging' } }).production, false);
});
