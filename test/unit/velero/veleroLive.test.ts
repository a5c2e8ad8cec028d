import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyVeleroEvent, replaceCollection } from '../../../src/core/velero/veleroLive';
import type { VeleroSnapshot } from '../../../src/core/velero/veleroSnapshot';
import {
  excludedResourcesOf,
  latestScheduleBackup,
  buildRestore,
  resourceChoices,
  supportsExistingResourcePolicy,
} from '../../../src/core/velero/restorePlan';
import { describeCoverage, namespaceCoverage } from '../../../src/core/velero/namespaceCoverage';

const empty: VeleroSnapshot = {
  install: { state: 'installed', namespace: 'velero', ready: '1/1' },
  backups: [],
  restores: [],
  schedules: [],
  storageLocations: [],
  snapshotLocations: [],
};

const backup = (name: string, phase: string | undefined, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'velero.io/v1',
  kind: 'Backup',
  metadata: { name, namespace: 'velero', uid: `uid-${name}`, creationTimestamp: '2026-11-27T01:00:00Z' },
  spec: {},
  status: { ...(phase ? { phase } : {}), ...extra },
});

describe('Velero live updates (watch events applied to the snapshot)', () => {
  test('a backup moves New → InProgress (progress) → Completed; only the end is reported, once', () => {
    let s = applyVeleroEvent(empty, 'backups', { type: 'ADDED', object: backup('b1', undefined) });
    assert.equal(s.finished, undefined);
    assert.equal(s.snapshot.backups[0]?.phase, 'New');
    s = applyVeleroEvent(s.snapshot, 'backups', {
      type: 'MODIFIED',
      object: backup('b1', 'InProgress', { progress: { totalItems: 10, itemsBackedUp: 4 } }),
    });
    assert.equal(s.finished, undefined);
    assert.equal(s.snapshot.backups[0]?.itemsBackedUp, 4);
    s = applyVeleroEvent(s.snapshot, 'backups', { type: 'MODIFIED', object: backup('b1', 'Completed') });
    assert.equal(s.finished?.kind, 'backup');
    assert.equal(s.finished?.item.name, 'b1');
    // A later update of the finished backup (e.g. expiry) is not news again.
    const again = applyVeleroEvent(s.snapshot, 'backups', { type: 'MODIFIED', object: backup('b1', 'Completed') });
    assert.equal(again.finished, undefined);
  });

  test('an object that arrives already finished (synced from storage) is not reported; DELETED removes; BOOKMARK changes nothing', () => {
    const added = applyVeleroEvent(empty, 'backups', { type: 'ADDED', object: backup('old', 'Completed') });
    assert.equal(added.finished, undefined);
    assert.equal(added.snapshot.backups.length, 1);
    const bookmark = applyVeleroEvent(added.snapshot, 'backups', { type: 'BOOKMARK', object: { metadata: { resourceVersion: '9' } } });
    assert.equal(bookmark.snapshot, added.snapshot);
    const gone = applyVeleroEvent(added.snapshot, 'backups', { type: 'DELETED', object: backup('old', 'Completed') });
    assert.equal(gone.snapshot.backups.length, 0);
  });

  test('a failed restore is reported; schedules and storage locations are kept current; a relist replaces a collection', () => {
    const restore = (phase: string) => ({
      metadata: { name: 'r1', uid: 'u-r1' },
      spec: { backupName: 'b1' },
      status: { phase, validationErrors: phase === 'FailedValidation' ? ['backup not found'] : [] },
    });
    let s = applyVeleroEvent(empty, 'restores', { type: 'ADDED', object: restore('InProgress') });
    s = applyVeleroEvent(s.snapshot, 'restores', { type: 'MODIFIED', object: restore('Failed') });
    assert.equal(s.finished?.kind, 'restore');
    const sched = applyVeleroEvent(empty, 'schedules', {
      type: 'ADDED',
      object: { metadata: { name: 'daily' }, spec: { schedule: '0 1 * * *', paused: true } },
    });
    assert.equal(sched.snapshot.schedules[0]?.paused, true);
    const bsl = applyVeleroEvent(empty, 'storageLocations', {
      type: 'MODIFIED',
      object: { metadata: { name: 'default' }, spec: { default: true }, status: { phase: 'Unavailable', message: 'bucket gone' } },
    });
    assert.equal(bsl.snapshot.storageLocations[0]?.phase, 'Unavailable');
    const relisted = replaceCollection(s.snapshot, 'backups', [backup('b2', 'Completed'), backup('b3', 'InProgress')]);
    assert.deepEqual(
      relisted.backups.map((b) => b.name),
      ['b2', 'b3'],
    );
  });
});

describe('Restore choices: kinds, volumes, and a schedule’s latest backup', () => {
  test('kinds from the resource list become Velero filter names; unticked ones are excluded', () => {
    const choices = resourceChoices({
      'apps/v1/Deployment': ['shop/cart', 'shop/web'],
      'v1/ConfigMap': ['shop/kube-root-ca.crt'],
      'networking.k8s.io/v1/Ingress': ['shop/web'],
    });
    assert.deepEqual(
      choices.map((c) => [c.kind, c.filterName, c.count]),
      [
        ['ConfigMap', 'configmap', 1],
        ['Deployment', 'deployment.apps', 2],
        ['Ingress', 'ingress.networking.k8s.io', 1],
      ],
    );
    assert.deepEqual(excludedResourcesOf(choices, new Set(['apps/v1/Deployment'])), ['configmap', 'ingress.networking.k8s.io']);
    assert.deepEqual(excludedResourcesOf(choices, new Set(choices.map((c) => c.key))), []);
  });

  test('the Restore body names the schedule (not a backup) and carries exclusions and restorePVs', () => {
    const body = buildRestore({
      name: 'daily-20261127',
      veleroNamespace: 'velero',
      scheduleName: 'daily',
      includedNamespaces: ['shop'],
      namespaceMapping: {},
      excludedResources: ['configmap'],
      existingResourcePolicy: 'none',
      restorePVs: false,
    });
    assert.deepEqual(body['spec'], {
      scheduleName: 'daily',
      includedNamespaces: ['shop'],
      excludedResources: ['configmap'],
      existingResourcePolicy: 'none',
      restorePVs: false,
    });
  });

  test('the latest backup of a schedule: Completed only, by start time, of that schedule only', () => {
    const b = (name: string, phase: string, startedAt: string, schedule = 'daily') => ({
      name,
      phase,
      startedAt,
      labels: { 'velero.io/schedule-name': schedule },
    });
    const backups = [
      b('daily-1', 'Completed', '2026-11-25T01:00:00Z'),
      b('daily-3', 'Failed', '2026-11-27T01:00:00Z'),
      b('daily-2', 'Completed', '2026-11-26T01:00:00Z'),
      b('weekly-9', 'Completed', '2026-11-27T02:00:00Z', 'weekly'),
      b('daily-p', 'PartiallyFailed', '2026-11-26T12:00:00Z'),
    ];
    assert.equal(latestScheduleBackup(backups, 'daily')?.name, 'daily-2');
    assert.equal(latestScheduleBackup(backups, 'none'), undefined);
  });
});

describe('Namespace backup coverage (Clusters tree)', () => {
  const schedule = (name: string, template: Record<string, unknown>, paused = false) => ({
    name,
    uid: name,
    schedule: '0 1 * * *',
    phase: 'Enabled',
    paused,
    includedNamespaces: [],
    validationErrors: [],
    template,
  });
  const backup = (name: string, phase: string, completedAt: string, included: string[], excluded: string[] = []) => ({
    name,
    uid: name,
    phase,
    completedAt,
    includedNamespaces: included,
    excludedNamespaces: excluded,
    warnings: 0,
    errors: 0,
    validationErrors: [],
    labels: {},
  });
  const now = Date.parse('2026-11-27T12:00:00Z');

  test('schedules covering a namespace: listed, wildcard, all-namespaces, excluded, paused', () => {
    const schedules = [
      schedule('shop-daily', { includedNamespaces: ['shop'] }),
      schedule('everything', { includedNamespaces: ['*'], excludedNamespaces: ['kube-*'] }),
      schedule('pay-paused', { includedNamespaces: ['pay*'] }, true),
    ];
    assert.deepEqual(namespaceCoverage('shop', schedules, []).schedules, ['shop-daily', 'everything']);
    assert.deepEqual(namespaceCoverage('kube-system', schedules, []).schedules, []);
    const pay = namespaceCoverage('payments', schedules, []);
    assert.deepEqual([pay.schedules, pay.pausedSchedules], [['everything'], ['pay-paused']]);
  });

  test('the last backup: newest Completed/PartiallyFailed that included it; described in words', () => {
    const backups = [
      backup('old', 'Completed', '2026-11-25T12:00:00Z', ['shop']),
      backup('failed', 'Failed', '2026-11-27T11:00:00Z', ['shop']),
      backup('all', 'PartiallyFailed', '2026-11-27T09:00:00Z', [], ['monitoring']),
    ];
    const shop = namespaceCoverage('shop', [schedule('shop-daily', { includedNamespaces: ['shop'] })], backups);
    assert.equal(shop.lastBackup?.name, 'all');
    assert.equal(describeCoverage(shop, now), 'backup: shop-daily · 3h ago (partial)');
    const mon = namespaceCoverage('monitoring', [], backups);
    assert.equal(describeCoverage(mon, now), 'no backup schedule · never backed up');
  });
});

describe('Velero versions and restore options', () => {
  test('existingResourcePolicy only for Velero 1.9 and newer (unknown: assumed recent); omitted from the body when not sent', () => {
    assert.deepEqual(['v1.8.2', 'v1.9.0', 'v1.18.1', 'v2.0.0', undefined, 'main'].map(supportsExistingResourcePolicy), [
      false,
      true,
      true,
      true,
      true,
      true,
    ]);
    const body = buildRestore({
      name: 'r',
      veleroNamespace: 'velero',
      backupName: 'b',
      includedNamespaces: [],
      namespaceMapping: {},
      restorePVs: true,
    });
    assert.equal('existingResourcePolicy' in (body['spec'] as object), false);
  });
});
