import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { cursorContext, pathAtOffset } from '../../../src/core/manifests/yamlCursor';

const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          imagePullPolicy: 
          resources:
            li
`;

test('cursorContext reads the document kind and the mapping path of a half-typed line', () => {
  const at = (line: number, ch: number) => cursorContext(text, line, ch);
  assert.deepEqual(at(3, 4), { apiVersion: 'apps/v1', kind: 'Deployment', parentPath: ['metadata'], inValue: false, prefix: 'na' });
  assert.deepEqual(at(9, 27).parentPath, ['spec', 'template', 'spec', 'containers', 0]);
  assert.equal(at(9, 27).key, 'imagePullPolicy');
  assert.equal(at(9, 27).inValue, true);
  assert.deepEqual(at(11, 14).parentPath, ['spec', 'template', 'spec', 'containers', 0, 'resources']);
  assert.equal(at(11, 14).prefix, 'li');
  const second = `${text}---\napiVersion: v1\nkind: Service\nspec:\n  po\n`;
  assert.deepEqual(cursorContext(second, 16, 4), { apiVersion: 'v1', kind: 'Service', parentPath: ['spec'], inValue: false, prefix: 'po' });
});

test('pathAtOffset finds the key under an offset', () => {
  const src = 'spec:\n  containers:\n    - name: web\n      image: nginx\n';
  const doc = parseDocument(src);
  assert.deepEqual(pathAtOffset(doc.contents, src.indexOf('image')), { path: ['spec', 'containers', 0, 'image'], onKey: true });
  assert.deepEqual(pathAtOffset(doc.contents, src.indexOf('nginx')), { path: ['spec', 'containers', 0, 'image'], onKey: false });
});
