import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { describeVeleroObject, parseVeleroResults } from '../../../src/core/velero/describeVelero';

test('Describe renders phase, times, items, validation errors, failure reason, spec and status', () => {
  const text = describeVeleroObject(
    {
      kind: 'Backup',
      metadata: { name: 'b1', namespace: 'velero' },
      spec: { includedNamespaces: ['shop'], ttl: '720h0m0s' },
      status: {
        phase: 'FailedValidation',
        validationErrors: ['backupstoragelocations.velero.io "nowhere" not found'],
        failureReason: 'no location',
        progress: { totalItems: 10, itemsBackedUp: 3 },
        errors: 1,
        warnings: 2,
        hookStatus: { hooksAttempted: 2, hooksFailed: 1 },
        backupItemOperationsAttempted: 3,
        backupItemOperationsCompleted: 2,
        backupItemOperationsFailed: 1,
      },
    },
    'fake-a',
  );
  assert.match(text, /^# Backup velero\/b1\n\nContext: `fake-a`/);
  assert.match(text, /- Phase: \*\*FailedValidation\*\*/);
  assert.match(text, /- Items: 3\/10/);
  assert.match(text, /- Errors: 1, warnings: 2/);
  assert.match(text, /- Hooks: 2 attempted, 1 failed/);
  assert.match(text, /- Item operations: 3 attempted, 2 completed, 1 failed/);
  assert.match(text, /## Failure reason\n\nno location/);
  assert.match(text, /## Validation errors\n\n- backupstoragelocations\.velero\.io "nowhere" not found/);
  assert.match(text, /## Spec\n\n```yaml\nincludedNamespaces:\n {2}- shop\nttl: 720h0m0s\n```/);
});

test('per-item errors and warnings from a results file become tables; a results problem is said, not hidden', () => {
  const results = parseVeleroResults(
    JSON.stringify({
      errors: { velero: ['timed out waiting for plugin'], namespaces: { shop: ['error backing up pods/web-1: pipe | broken'] } },
      warnings: { cluster: ['could not find CRD foo'] },
    }),
  );
  assert.deepEqual(results.errors, [
    { scope: 'Velero', message: 'timed out waiting for plugin' },
    { scope: 'Namespace shop', message: 'error backing up pods/web-1: pipe | broken' },
  ]);
  const text = describeVeleroObject(
    { kind: 'Backup', metadata: { name: 'b', namespace: 'velero' }, status: { phase: 'PartiallyFailed' } },
    'ctx',
    results,
  );
  assert.match(text, /## Errors \(2\)\n\n\| Scope \| Message \|/);
  assert.match(text, /\| Namespace shop \| error backing up pods\/web-1: pipe \\\| broken \|/);
  assert.match(text, /## Warnings \(1\)[\s\S]*\| Cluster \| could not find CRD foo \|/);
  assert.deepEqual(parseVeleroResults('not json'), { errors: [], warnings: [] });
  assert.match(
    describeVeleroObject({ kind: 'Restore', metadata: {}, status: {} }, 'ctx', undefined, 'no link within 60 s'),
    /could not be read: no link within 60 s/,
  );
});
