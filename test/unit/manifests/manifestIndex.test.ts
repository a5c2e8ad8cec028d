import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { defaultLintConfig } from '../../../src/core/manifests/lintConfig';
import { ManifestIndex } from '../../../src/core/manifests/manifestIndex';
import { ruleCatalogue } from '../../../src/core/manifests/ruleCatalogue';

const deployment = (ns: string, app: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${app}\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels: {app: ${app}}\n  template:\n    metadata:\n      labels: {app: ${app}}\n    spec:\n      containers:\n        - name: ${app}\n          image: nginx:1.27\n`;
const service = (ns: string, app: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app}\n  namespace: ${ns}\nspec:\n  selector: {app: ${app}}\n  ports:\n    - port: 80\n`;

test('an update returns the files that share a namespace with the change; others are untouched', () => {
  const index = new ManifestIndex();
  index.update('/a/deploy.yaml', deployment('shop', 'web'));
  index.update('/a/svc.yaml', service('shop', 'web'));
  index.update('/b/other.yaml', service('payments', 'api'));
  assert.deepEqual(index.update('/a/deploy.yaml', deployment('shop', 'web2')).sort(), ['/a/deploy.yaml', '/a/svc.yaml']);
  assert.deepEqual(index.update('/notes.yaml', 'just: notes\n'), ['/notes.yaml']);
  assert.equal(index.has('/notes.yaml'), false, 'a YAML file without apiVersion/kind is not a manifest');
  assert.ok(
    index
      .update('/crd.yaml', 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: x\n')
      .includes('/b/other.yaml'),
    'a CRD affects every namespace',
  );
});

test('cross-document findings see the other files: the Service finds its Deployment only while it exists', () => {
  const index = new ManifestIndex();
  const config = { ...defaultLintConfig, complete: true };
  index.update('/svc.yaml', service('shop', 'web'));
  const lonely = index.lint(['/svc.yaml'], ruleCatalogue, config).get('/svc.yaml') ?? [];
  assert.ok(lonely.some((f) => f.ruleId === 'service-selects-no-pods'));
  index.update('/deploy.yaml', deployment('shop', 'web'));
  const matched = index.lint(['/svc.yaml'], ruleCatalogue, config).get('/svc.yaml') ?? [];
  assert.ok(!matched.some((f) => f.ruleId === 'service-selects-no-pods'));
  assert.equal(index.lint(['/deploy.yaml'], ruleCatalogue, config).has('/svc.yaml'), false, 'only the asked files get findings');
});
