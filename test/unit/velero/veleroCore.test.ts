import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkScheduleTtl, describeSchedule, nextRuns, parseVeleroSchedule } from '../../../src/core/velero/cronSchedule';
import { formatRunTime, presentBackup, presentStorageLocation } from '../../../src/core/velero/backupNodes';
import { phaseTone, toBackupSummary } from '../../../src/core/velero/veleroModel';
import {
  buildBackupSpec,
  labelValue,
  parseLabelSelector,
  timestampedName,
  validateName,
  validateTtl,
} from '../../../src/core/velero/veleroRequests';
import { versionFromImage } from '../../../src/core/velero/veleroSnapshot';

const at = (iso: string): number => Date.parse(iso);
const words = (s: string): string => describeSchedule(parseVeleroSchedule(s));

describe('Velero schedules: cron in words and next runs', () => {
  test('cron in words', () => {
    assert.equal(words('0 1 * * *'), 'Every day at 01:00 (UTC)');
    assert.equal(words('@every 1h'), 'Every 1 hour');
    assert.equal(words('@every 6h'), 'Every 6 hours');
    assert.equal(words('*/15 * * * *'), 'Every 15 minutes (UTC)');
    assert.equal(words('30 2 * * 1-5'), 'At 02:30 on Monday to Friday (UTC)');
    assert.equal(words('CRON_TZ=Europe/Berlin 0 2 * * *'), 'Every day at 02:00 (Europe/Berlin)');
    assert.equal(words('0 3 1 * *'), 'At 03:00 on day 1 of the month (UTC)');
    assert.equal(words('@daily'), 'Every day at 00:00 (UTC)');
    assert.match(words('61 * * * *'), /^Invalid schedule: 61 is above the minute range/);
  });

  test('the next three runs, in UTC and in a CRON_TZ zone across a DST change', () => {
    const from = at('2026-11-27T02:30:00Z');
    assert.deepEqual(
      nextRuns(parseVeleroSchedule('0 1 * * *'), from, 3).map((t) => new Date(t).toISOString()),
      ['2026-11-28T01:00:00.000Z', '2026-11-29T01:00:00.000Z', '2026-11-30T01:00:00.000Z'],
    );
    assert.deepEqual(
      nextRuns(parseVeleroSchedule('@every 1h'), from, 3, at('2026-11-27T02:20:00Z')).map((t) => new Date(t).toISOString()),
      ['2026-11-27T03:20:00.000Z', '2026-11-27T04:20:00.000Z', '2026-11-27T05:20:00.000Z'],
    );
    // Berlin leaves summer time on 2026-10-25: 02:00 local is 00:00Z before and 01:00Z after.
    assert.deepEqual(
      nextRuns(parseVeleroSchedule('CRON_TZ=Europe/Berlin 0 2 * * *'), at('2026-10-23T12:00:00Z'), 3).map((t) => new Date(t).toISOString()),
      ['2026-10-24T00:00:00.000Z', '2026-10-25T01:00:00.000Z', '2026-10-26T01:00:00.000Z'],
    );
    // Spring forward: 02:30 does not exist in Berlin on 2027-03-28, that run is skipped (as robfig does).
    assert.deepEqual(
      nextRuns(parseVeleroSchedule('CRON_TZ=Europe/Berlin 30 2 * * *'), at('2027-03-27T12:00:00Z'), 2).map((t) =>
        new Date(t).toISOString(),
      ),
      ['2027-03-29T00:30:00.000Z', '2027-03-30T00:30:00.000Z'],
    );
    assert.deepEqual(nextRuns(parseVeleroSchedule('0 0 30 2 *'), from, 3), []);
    assert.equal(formatRunTime(at('2026-11-28T01:00:00Z')), 'Sat 28 Nov 01:00 UTC');
  });

  test('TTL must exceed the interval', () => {
    assert.match(checkScheduleTtl('0 1 * * *', 12 * 3_600_000) ?? '', /longer than the longest time between two runs \(24 hours\)/);
    assert.equal(checkScheduleTtl('0 1 * * *', 720 * 3_600_000), undefined);
    assert.match(checkScheduleTtl('0 0 * * 0', 168 * 3_600_000) ?? '', /7 days/);
    assert.match(checkScheduleTtl('nonsense', 1) ?? '', /^Invalid schedule/);
  });
});

describe('Velero request inputs', () => {
  test('TTL validation', () => {
    assert.equal(validateTtl('720h'), undefined);
    assert.equal(validateTtl('72h30m'), undefined);
    assert.match(validateTtl('30d') ?? '', /not a duration/);
    assert.match(validateTtl('10m') ?? '', /at least 1h/);
    assert.match(validateTtl('') ?? '', /not a duration/);
  });

  test('label selectors, names, lists', () => {
    assert.deepEqual(parseLabelSelector('app=shop, tier==web'), { matchLabels: { app: 'shop', tier: 'web' } });
    assert.equal(parseLabelSelector('  '), undefined);
    assert.match((parseLabelSelector('app in (a,b)') as { error: string }).error, /not key=value/);
    assert.equal(timestampedName('Shop_NS', at('2026-11-27T09:30:00Z')), 'shop-ns-20261127093000');
    assert.equal(timestampedName('x'.repeat(80), 0).length, 63);
    assert.equal(validateName('shop-1'), undefined);
    assert.match(validateName('Shop') ?? '', /Lowercase/);
    assert.equal(labelValue('a'.repeat(70)).length, 63);
    assert.throws(() => buildBackupSpec({ includedNamespaces: [], ttl: '1h', labelSelector: 'a in (b)' }));
    assert.deepEqual(buildBackupSpec({ includedNamespaces: [], ttl: '720h0m0s' }), { ttl: '720h0m0s' });
  });
});

describe('Velero model', () => {
  test('phase tones; an unknown phase is kept raw, never a crash', () => {
    assert.equal(phaseTone('Completed'), 'success');
    assert.equal(phaseTone(''), 'running');
    assert.equal(phaseTone('WaitingForPluginOperationsPartiallyFailed'), 'attention');
    assert.equal(phaseTone('FailedValidation'), 'failure');
    assert.equal(phaseTone('Exploded'), 'unknown');
    const p = presentBackup(toBackupSummary({ metadata: { name: 'b' }, status: { phase: 'Exploded' } }), 0);
    assert.equal(p.icon?.id, 'question');
    assert.match(p.description ?? '', /^Exploded/);
  });

  test('a backup reads with phase, age, items, problems and expiry; the tooltip names namespaces and location', () => {
    const now = at('2026-11-27T10:00:00Z');
    const b = toBackupSummary({
      metadata: { name: 'nightly', uid: 'u1', labels: { 'velero.io/schedule-name': 'n' } },
      spec: { includedNamespaces: ['shop', 'payments'], storageLocation: 'default', ttl: '720h0m0s' },
      status: {
        phase: 'PartiallyFailed',
        startTimestamp: '2026-11-27T03:00:00Z',
        expiration: '2026-12-27T03:00:00Z',
        progress: { totalItems: 86, itemsBackedUp: 84 },
        warnings: 5,
        errors: 2,
      },
    });
    const p = presentBackup(b, now);
    assert.equal(p.description, 'PartiallyFailed · 7h · 84/86 items · 2 errors, 5 warnings · expires in 29d');
    assert.match(p.tooltip ?? '', /Namespaces: shop, payments/);
    assert.match(p.tooltip ?? '', /Storage location: default/);
    assert.equal(p.contextValue, 'veleroBackup attention restorable');
  });

  test('storage locations: Available/Unavailable, default, last validation', () => {
    const now = at('2026-11-27T10:00:00Z');
    const p = presentStorageLocation(
      {
        name: 'default',
        phase: 'Unavailable',
        isDefault: true,
        accessMode: 'ReadWrite',
        provider: 'aws',
        bucket: 'b',
        lastValidationTime: '2026-11-27T09:59:00Z',
        message: 'NoSuchBucket',
      },
      now,
    );
    assert.equal(p.description, 'Unavailable · default · aws b · validated 1m ago');
    assert.equal(p.contextValue, 'veleroStorageLocation unavailable');
    assert.match(p.tooltip ?? '', /NoSuchBucket/);
  });

  test('version from the server image', () => {
    assert.equal(versionFromImage('velero/velero:v1.18.1'), 'v1.18.1');
    assert.equal(versionFromImage('registry.local:5000/velero/velero:1.9.0@sha256:abc'), 'v1.9.0');
    assert.equal(versionFromImage('velero/velero'), undefined);
  });
});

describe('Create schedule inputs', () => {
  test('the cron preview as you type: words and the next three runs, or the error', async () => {
    const { previewSchedule } = await import('../../../src/core/velero/cronSchedule');
    assert.deepEqual(previewSchedule('0 2 * * 1-5', at('2026-11-27T10:00:00Z')), {
      message: 'At 02:00 on Monday to Friday (UTC) · next: Mon 30 Nov 02:00, Tue 1 Dec 02:00, Wed 2 Dec 02:00',
    });
    assert.deepEqual(previewSchedule('CRON_TZ=Europe/Berlin 0 2 * * *', at('2026-11-27T10:00:00Z')), {
      message: 'Every day at 02:00 (Europe/Berlin) · next: Sat 28 Nov 02:00, Sun 29 Nov 02:00, Mon 30 Nov 02:00',
    });
    assert.match((previewSchedule('0 0 30 2 *', 0) as { error: string }).error, /never runs/);
    assert.match((previewSchedule('* * *', 0) as { error: string }).error, /expected exactly 5 fields/);
  });

  test('the Schedule body never turns on owner references', async () => {
    const { buildSchedule } = await import('../../../src/core/velero/veleroRequests');
    assert.deepEqual(buildSchedule({ name: 's', veleroNamespace: 'velero', schedule: '0 3 * * *', template: { ttl: '720h0m0s' } }), {
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name: 's', namespace: 'velero', labels: { 'app.kubernetes.io/managed-by': 'clusterdeck' } },
      spec: { schedule: '0 3 * * *', template: { ttl: '720h0m0s' }, useOwnerReferencesInBackup: false },
    });
  });
});
