// Bad-input catalogue row B79 (reliability.md §3): a BackupStorageLocation that is Unavailable or ReadOnly. The
// "Back Up Now" wizard (host, with a scripted `vscode`) refuses both with the location's phase and message before
// any backup is built, shows why in the location picker, and accepts an Available read-write location.
import { before, beforeEach, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ClusterDeckError } from '../../src/core/errors';
import type { StorageLocationSummary } from '../../src/core/velero/veleroModel';
import { installVscodeStub, type VscodeStub } from '../support/vscodeStub';

let stub: VscodeStub;
before(() => {
  stub = installVscodeStub();
});
beforeEach(() => stub.reset());

const locations: StorageLocationSummary[] = [
  { name: 'primary', phase: 'Available', isDefault: true, accessMode: 'ReadWrite', bucket: 'backups' },
  {
    name: 'broken',
    phase: 'Unavailable',
    isDefault: false,
    accessMode: 'ReadWrite',
    message: 'BackupStorageLocation "broken" is unavailable: AccessDenied',
  },
  { name: 'archive', phase: 'Available', isDefault: false, accessMode: 'ReadOnly', bucket: 'old' },
];
const context = { contextName: 'prod', veleroNamespace: 'velero', namespaces: ['shop'], locations, nowMs: Date.UTC(2026, 0, 1) };
const answers = {
  namespaces: ['shop'],
  includedResources: '',
  excludedResources: '',
  labelSelector: '',
  volumes: 'none' as const,
  ttl: '720h',
  name: 'shop-now',
};

describe('bad-input row B79: storage location unavailable or read-only', () => {
  test('B79: the Back Up Now wizard refuses an Unavailable or ReadOnly storage location, naming its phase', async () => {
    const { runBackupWizard } = await import('../../src/host/backups/backupWizard');
    await assert.rejects(runBackupWizard(context, { ...answers, storageLocation: 'broken' }), (e: unknown) => {
      assert.ok(e instanceof ClusterDeckError, String(e));
      assert.equal(e.reason, 'badConfig');
      assert.match(e.message, /"broken" is Unavailable \(.*AccessDenied\): Velero cannot write a backup there\./);
      return true;
    });
    await assert.rejects(runBackupWizard(context, { ...answers, storageLocation: 'archive' }), (e: unknown) => {
      assert.ok(e instanceof ClusterDeckError, String(e));
      assert.match(e.message, /"archive" is read-only: Velero cannot write a backup there\./);
      return true;
    });
    const ok = await runBackupWizard(context, { ...answers, storageLocation: 'primary' });
    assert.equal(ok?.storageLocation, 'primary');
  });

  test('B79: the location picker shows each phase and why a location is not usable', async () => {
    const { runBackupWizard } = await import('../../src/host/backups/backupWizard');
    let shown: { label: string; description?: string; detail?: string }[] = [];
    stub.answers.quickPick.push((items: { label: string; description?: string; detail?: string }[]) => {
      shown = items;
      return items.find((i) => i.label === 'broken');
    });
    await assert.rejects(runBackupWizard(context, answers), /Unavailable/);
    const byName = new Map(shown.map((i) => [i.label, i]));
    assert.match(byName.get('broken')?.detail ?? '', /^Not usable: .*AccessDenied/);
    assert.match(byName.get('archive')?.detail ?? '', /^Not usable: read-only/);
    assert.match(byName.get('archive')?.description ?? '', /read-only/);
    assert.equal(byName.get('primary')?.detail, undefined);
    assert.match(byName.get('primary')?.description ?? '', /^Available · default/);
  });
});
