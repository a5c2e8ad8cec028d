import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { objectYaml } from '../../src/core/explorer/objectYaml';

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
