import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  buildRestore,
  describePreviewRow,
  parseNamespaceMapping,
  protectedTargets,
  restoreName,
  restoreTargets,
} from '../../../src/core/velero/restorePlan';

describe('Restore plan', () => {
  test('namespace mapping: parsed, validated, previewed source → target', () => {
    assert.deepEqual(parseNamespaceMapping('shop:shop-restore, payments:pay2'), { mapping: { shop: 'shop-restore', payments: 'pay2' } });
    assert.deepEqual(parseNamespaceMapping(''), { mapping: {} });
    assert.match((parseNamespaceMapping('shop') as { error: string }).error, /not source:target/);
    assert.match((parseNamespaceMapping('shop:Shop') as { error: string }).error, /not a valid namespace/);
    assert.match((parseNamespaceMapping('a:x,b:x') as { error: string }).error, /Two namespaces are mapped to "x"/);
    assert.deepEqual(restoreTargets(['shop', 'payments'], { shop: 'shop-restore' }), [
      { source: 'shop', target: 'shop-restore' },
      { source: 'payments', target: 'payments' },
    ]);
  });

  test('protected targets: kube-system, kube-public, kube-node-lease and Velero’s own namespace', () => {
    assert.deepEqual(protectedTargets(['shop', 'kube-system', 'velero', 'kube-public'], 'velero'), [
      'kube-system',
      'velero',
      'kube-public',
    ]);
    assert.deepEqual(protectedTargets(['shop', 'velero'], 'backup-system'), []);
    assert.deepEqual(protectedTargets(['backup-system'], 'backup-system'), ['backup-system']);
  });

  test('the Restore body: existingResourcePolicy always explicit, mapping only when given', () => {
    assert.deepEqual(
      buildRestore({
        name: 'r1',
        veleroNamespace: 'velero',
        backupName: 'b1',
        includedNamespaces: ['shop'],
        namespaceMapping: { shop: 'shop-restore' },
        existingResourcePolicy: 'none',
        restorePVs: true,
      }),
      {
        apiVersion: 'velero.io/v1',
        kind: 'Restore',
        metadata: { name: 'r1', namespace: 'velero', labels: { 'app.kubernetes.io/managed-by': 'clusterdeck' } },
        spec: {
          backupName: 'b1',
          includedNamespaces: ['shop'],
          namespaceMapping: { shop: 'shop-restore' },
          existingResourcePolicy: 'none',
          restorePVs: true,
        },
      },
    );
    assert.equal(restoreName('b1', Date.UTC(2026, 10, 27, 9, 30)), 'b1-20261127093000');
  });

  test('preview rows read as sentences', () => {
    const row = { source: 'shop', target: 'shop', targetExists: true, total: 12, existing: 10, unchecked: 1 };
    assert.equal(describePreviewRow(row, 'none'), 'shop → shop: 12 objects, 10 already exist (skipped), 1 of other kinds not checked');
    assert.equal(describePreviewRow({ ...row, unchecked: 0 }, 'update'), 'shop → shop: 12 objects, 10 already exist (will be updated)');
    assert.equal(
      describePreviewRow({ ...row, target: 'shop-restore', targetExists: false, existing: 0, unchecked: 0 }, 'none'),
      'shop → shop-restore (new namespace): 12 objects',
    );
  });
});
