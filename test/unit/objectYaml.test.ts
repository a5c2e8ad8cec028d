import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { editableObjectYaml, objectYaml } from '../../src/core/explorer/objectYaml';

test('object YAML leaves out managedFields and hides Secret values unless revealed', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', managedFields: [{ manager: 'kubectl' }] },
    spec: { replicas: 2 },
  };
  const y = objectYaml(deployment);
  assert.match(y, /kind: Deployment/);
  assert.doesNotMatch(y, /managedFields/);
  assert.ok(deployment.metadata.managedFields, 'the input is not modified');
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db' },
    data: { password: 'c2VjcmV0LWNhbmFyeQ==' },
    stringData: { token: 'canary' },
  };
  const hidden = objectYaml(secret);
  assert.doesNotMatch(hidden, /c2VjcmV0LWNhbmFyeQ==|canary/);
  assert.match(hidden, /password: '?<hidden/);
  assert.match(objectYaml(secret, { revealSecrets: true }), /password: c2VjcmV0LWNhbmFyeQ==/);
});

test('the editable copy (Edit and Apply) drops status and server bookkeeping, keeps what the user owns, refuses Secrets', () => {
  const text = editableObjectYaml({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      uid: 'u-1',
      resourceVersion: '42',
      generation: 3,
      creationTimestamp: '2026-01-01T00:00:00Z',
      managedFields: [{ manager: 'kubectl' }],
      labels: { app: 'web' },
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'deployment.kubernetes.io/revision': '3', team: 'a' },
    },
    spec: { replicas: 2 },
    status: { readyReplicas: 2 },
  });
  assert.match(text, /name: web/);
  assert.match(text, /namespace: shop/);
  assert.match(text, /app: web/);
  assert.match(text, /team: a/);
  assert.match(text, /replicas: 2/);
  for (const gone of [
    'uid',
    'resourceVersion',
    'generation',
    'creationTimestamp',
    'managedFields',
    'last-applied',
    'revision',
    'status',
    'readyReplicas',
  ])
    assert.doesNotMatch(text, new RegExp(gone), gone);
  assert.throws(
    () => editableObjectYaml({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'eA==' } }),
    /Secrets are not opened/,
  );
});
