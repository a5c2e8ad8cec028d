/* Kubernetes 1.32 and 1.34: tables generated from @kubernetes/client-node's models, deltas against 1.33. */
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifestFile } from '../../../src/core/manifests/parseManifests';
import {
  childFields,
  fieldAt,
  formatPath,
  isKnownKind,
  schemaFor,
  schemaVersionFor,
  supportedKubernetesVersions,
  validateDocument,
  type SchemaIssue,
} from '../../../src/core/manifests/schema/schemaCatalog';
import type { SchemaTable } from '../../../src/core/manifests/schema/schemaTypes';
import type { ManifestDocument } from '../../../src/core/manifests/types';

const generatedDir = join(__dirname, '..', '..', '..', 'src', 'core', 'manifests', 'schema', 'generated');

function doc(text: string): ManifestDocument {
  const d = parseManifestFile('test.yaml', text).documents[0];
  assert.ok(d, `no document in:\n${text}`);
  return d;
}

function brief(issues: readonly SchemaIssue[]): string[] {
  return issues.map((i) => `${i.kind} ${formatPath(i.path)}`);
}

const pod = (containerExtra = '', specExtra = '') => `apiVersion: v1
kind: Pod
metadata: { name: p }
spec:${specExtra}
  restartPolicy: Always
  containers:
    - name: c
      image: busybox:1.37
      ports: [{ containerPort: 8080, name: http }]
      readinessProbe:
        httpGet: { path: /healthz, port: http }
      resources:
        requests: { cpu: 250m, memory: 128Mi }${containerExtra}
`;

describe('Kubernetes 1.34 (from @kubernetes/client-node)', () => {
  test('is bundled and chosen for a 1.34 target', () => {
    assert.ok(supportedKubernetesVersions.includes('1.34'));
    assert.equal(schemaVersionFor('1.34'), '1.34');
    assert.equal(schemaVersionFor('v1.34.2'), '1.34');
    assert.equal(schemaVersionFor('1.35'), '1.36');
    assert.equal(schemaVersionFor('1.32'), '1.32');
    assert.equal(schemaFor('1.34').version, '1.34');
  });

  test('the table is a delta against 1.33 from client-node 1.4.0 (OpenAPI v1.34.0)', () => {
    const table = JSON.parse(readFileSync(join(generatedDir, 'k8s-1.34.json'), 'utf8')) as SchemaTable;
    assert.equal(table.version, '1.34');
    assert.equal(table.base, '1.33');
    assert.equal(table.source, '@kubernetes/client-node@1.4.0');
    assert.equal(table.kinds['apps/v1/Deployment'], 'apps/v1.Deployment');
    assert.equal(table.kinds['v1/Pod'], 'v1.Pod');
    assert.equal(table.kinds['resource.k8s.io/v1/ResourceClaim'], 'resource.k8s.io/v1.ResourceClaim');
    const base = JSON.parse(readFileSync(join(generatedDir, 'k8s-1.33.json'), 'utf8')) as SchemaTable;
    assert.ok(Object.keys(table.types).length < Object.keys(base.types).length, 'only the types that differ are stored');
  });

  test('kinds follow the version: resource.k8s.io/v1 is GA in 1.34, MutatingAdmissionPolicy v1 only in 1.36', () => {
    assert.equal(isKnownKind('resource.k8s.io/v1', 'ResourceClaim', '1.33'), false);
    assert.equal(isKnownKind('resource.k8s.io/v1', 'ResourceClaim', '1.34'), true);
    assert.equal(isKnownKind('resource.k8s.io/v1', 'DeviceClass', '1.34'), true);
    assert.equal(isKnownKind('storage.k8s.io/v1', 'VolumeAttributesClass', '1.34'), true);
    assert.equal(isKnownKind('admissionregistration.k8s.io/v1', 'MutatingAdmissionPolicy', '1.34'), false);
    assert.equal(isKnownKind('admissionregistration.k8s.io/v1', 'MutatingAdmissionPolicy', '1.36'), true);
    assert.equal(isKnownKind('policy/v1', 'Eviction', '1.34'), true, 'subresource kinds known from the base table');
  });

  test('a valid Pod and Deployment validate cleanly (types, int-or-string, Quantity)', () => {
    assert.deepEqual(brief(validateDocument(doc(pod()), '1.34')), []);
    const deployment = doc(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: d }\nspec:\n  replicas: 2\n  selector: { matchLabels: { app: d } }\n  strategy: { rollingUpdate: { maxSurge: 25%, maxUnavailable: 1 } }\n  template:\n    metadata: { labels: { app: d } }\n    spec:\n      containers: [{ name: d, image: nginx, resources: { limits: { cpu: 1, memory: 1Gi } } }]\n',
    );
    assert.deepEqual(brief(validateDocument(deployment, '1.34')), []);
  });

  test('fields new in 1.34 are accepted in 1.34 and unknown in 1.33', () => {
    const hostname = doc(pod('', '\n  hostnameOverride: my-host'));
    assert.deepEqual(brief(validateDocument(hostname, '1.33')), ['unknown-field spec.hostnameOverride']);
    assert.deepEqual(brief(validateDocument(hostname, '1.34')), []);
    const rules = doc(
      pod('\n      restartPolicy: Never\n      restartPolicyRules: [{ action: Restart, exitCodes: { operator: In, values: [42] } }]'),
    );
    assert.deepEqual(brief(validateDocument(rules, '1.33')), ['unknown-field spec.containers[0].restartPolicyRules']);
    assert.deepEqual(brief(validateDocument(rules, '1.34')), []);
    assert.deepEqual(
      childFields('v1', 'Pod', ['spec', 'containers', 0, 'restartPolicyRules']).map((f) => `${f.name}${f.required ? '*' : ''}`),
      ['action*', 'exitCodes'],
    );
  });

  test('1.34 types are checked: integer, Quantity, enums and required fields', () => {
    const bad = doc(
      pod('\n      resources:\n        limits: { memory: lots }', '\n  terminationGracePeriodSeconds: 1.5').replace(
        '      resources:\n        requests: { cpu: 250m, memory: 128Mi }\n',
        '',
      ),
    );
    assert.deepEqual(brief(validateDocument(bad, '1.34')), [
      'type spec.terminationGracePeriodSeconds',
      'format spec.containers[0].resources.limits.memory',
    ]);
    const missing = doc('apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: d }\nspec:\n  replicas: 1\n');
    assert.deepEqual(brief(validateDocument(missing, '1.34')), ['required spec.selector', 'required spec.template']);
    const policy = fieldAt(doc(pod()).value, undefined, undefined, ['spec', 'containers', 0, 'imagePullPolicy'], '1.34');
    assert.deepEqual(policy?.enumValues, ['Always', 'IfNotPresent', 'Never']);
    assert.equal(
      fieldAt(doc(pod()).value, undefined, undefined, ['spec', 'containers', 0, 'ports', 0, 'containerPort'], '1.34')?.type,
      'integer',
    );
    assert.equal(
      fieldAt(doc(pod()).value, undefined, undefined, ['spec', 'containers', 0, 'readinessProbe', 'httpGet', 'port'], '1.34')?.type,
      'integer or string',
    );
  });

  test('fieldAt shows 1.34 descriptions', () => {
    const p = doc(pod('', '\n  hostnameOverride: my-host')).value;
    const hostname = fieldAt(p, undefined, undefined, ['spec', 'hostnameOverride'], '1.34');
    assert.ok(hostname);
    assert.equal(hostname.type, 'string');
    assert.match(hostname.description ?? '', /HostnameOverride specifies an explicit override for the pod's hostname/);
    assert.equal(fieldAt(p, undefined, undefined, ['spec', 'hostnameOverride'], '1.33'), undefined);
    // A description that changed between 1.33 and 1.34 (Job backoffLimit's default with backoffLimitPerIndex).
    const job = { apiVersion: 'batch/v1', kind: 'Job', spec: {} };
    assert.match(fieldAt(job, undefined, undefined, ['spec', 'backoffLimit'], '1.34')?.description ?? '', /backoffLimitPerIndex/);
    assert.doesNotMatch(fieldAt(job, undefined, undefined, ['spec', 'backoffLimit'], '1.33')?.description ?? '', /backoffLimitPerIndex/);
    // Reference fields keep their description (client-node drops it; the generator takes it from the 1.33 table).
    assert.match(
      fieldAt({ apiVersion: 'apps/v1', kind: 'Deployment' }, undefined, undefined, ['spec', 'selector'], '1.34')?.description ?? '',
      /Label selector for pods/,
    );
  });
});

describe('Kubernetes 1.32 (from @kubernetes/client-node 1.1.3)', () => {
  test('is bundled and chosen for 1.28–1.32 targets', () => {
    assert.ok(supportedKubernetesVersions.includes('1.32'));
    assert.equal(schemaVersionFor('1.32'), '1.32');
    assert.equal(schemaVersionFor('1.28'), '1.32');
    assert.equal(schemaVersionFor('1.27'), '1.27');
    const table = JSON.parse(readFileSync(join(generatedDir, 'k8s-1.32.json'), 'utf8')) as SchemaTable;
    assert.equal(table.version, '1.32');
    assert.equal(table.base, '1.33');
    assert.equal(table.source, '@kubernetes/client-node@1.1.3');
  });

  test('kinds and fields follow the version', () => {
    assert.equal(isKnownKind('resource.k8s.io/v1beta1', 'ResourceClaim', '1.32'), true);
    assert.equal(isKnownKind('networking.k8s.io/v1', 'ServiceCIDR', '1.32'), false);
    assert.equal(isKnownKind('networking.k8s.io/v1', 'ServiceCIDR', '1.33'), true);
    const stopSignal = doc(pod('\n      lifecycle: { stopSignal: SIGTERM }'));
    assert.deepEqual(brief(validateDocument(stopSignal, '1.32')), ['unknown-field spec.containers[0].lifecycle.stopSignal']);
    assert.deepEqual(brief(validateDocument(stopSignal, '1.33')), []);
    assert.deepEqual(brief(validateDocument(doc(pod()), '1.32')), []);
    assert.equal(
      fieldAt(doc(pod()).value, undefined, undefined, ['spec', 'containers', 0, 'resources', 'requests'], '1.32')?.type,
      'map of string to Quantity',
    );
  });
});
