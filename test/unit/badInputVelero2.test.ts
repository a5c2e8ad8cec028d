// Catalogue row B79, the ReadOnly caveat (velero.md §4.5, velero#6753): a ReadOnly storage location takes no backup
// and no deletion, yet a restore from it still writes its logs and results there and fails with asynchronous item
// operations. The caveat is spelled out where a ReadOnly location is met: the Back Up Now location picker, the
// location's tooltip in the Backups view, and the restore confirmation of a backup stored there.
import { before, beforeEach, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { presentStorageLocation } from '../../src/core/velero/backupNodes';
import { readOnlyLocationCaveat, restoreLocationCaveat } from '../../src/core/velero/readOnlyLocation';
import type { StorageLocationSummary } from '../../src/core/velero/veleroModel';
import { installVscodeStub, type VscodeStub } from '../support/vscodeStub';

let stub: VscodeStub;
before(() => {
  stub = installVscodeStub();
});
beforeEach(() => stub.reset());

const readWrite: StorageLocationSummary = { name: 'primary', phase: 'Available', isDefault: true, accessMode: 'ReadWrite', bucket: 'b' };
const readOnly: StorageLocationSummary = { name: 'dr-site', phase: 'Available', isDefault: false, accessMode: 'ReadOnly', bucket: 'dr' };

/** Every part of the caveat the reference asks for. */
function assertCaveat(text: string, location: string): void {
  assert.match(text, new RegExp(`"${location}" is ReadOnly`));
  assert.match(text, /writes no backup there/);
  assert.match(text, /refuses to delete its backups/);
  assert.match(text, /a restore from it still writes its logs and results there/i);
  assert.match(text, /asynchronous item operations .* fails on a ReadOnly location \(velero#6753\)/);
  assert.match(text, /switch it to ReadWrite/);
}

describe('B79: the ReadOnly caveat (velero#6753)', () => {
  test('B79: the caveat names what a ReadOnly location refuses and what a restore from it still writes', () => {
    assertCaveat(readOnlyLocationCaveat('dr-site'), 'dr-site');
  });

  test('B79: the location picker of Back Up Now spells the caveat out on a ReadOnly location only', async () => {
    const { runBackupWizard } = await import('../../src/host/backups/backupWizard');
    let shown: { label: string; detail?: string }[] = [];
    stub.answers.quickPick.push((items: { label: string; detail?: string }[]) => {
      shown = items;
      return undefined;
    });
    const context = { contextName: 'prod', veleroNamespace: 'velero', namespaces: ['shop'], locations: [readWrite, readOnly], nowMs: 0 };
    const answers = {
      namespaces: ['shop'],
      includedResources: '',
      excludedResources: '',
      labelSelector: '',
      volumes: 'none' as const,
      ttl: '720h',
      name: 'x',
    };
    assert.equal(await runBackupWizard(context, answers), undefined);
    const detail = shown.find((i) => i.label === 'dr-site')?.detail ?? '';
    assert.match(detail, /^Not usable: read-only\. /);
    assertCaveat(detail, 'dr-site');
    assert.equal(shown.find((i) => i.label === 'primary')?.detail, undefined);
  });

  test("B79: a ReadOnly location's tooltip in the Backups view carries the caveat; a ReadWrite one does not", () => {
    const tip = (presentStorageLocation(readOnly, 0).tooltip ?? '').replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1');
    assertCaveat(tip, 'dr-site');
    assert.doesNotMatch(presentStorageLocation(readWrite, 0).tooltip ?? '', /6753/);
  });

  test('B79: restoring a backup stored on a ReadOnly location (named, or the default) warns; a ReadWrite one does not', () => {
    const caveat = restoreLocationCaveat({ storageLocation: 'dr-site' }, [readWrite, readOnly]);
    assert.ok(caveat);
    assertCaveat(caveat, 'dr-site');
    assert.equal(restoreLocationCaveat({ storageLocation: 'primary' }, [readWrite, readOnly]), undefined);
    const defaultReadOnly = { ...readOnly, isDefault: true };
    assert.ok(restoreLocationCaveat({}, [{ ...readWrite, isDefault: false }, defaultReadOnly]));
    assert.equal(restoreLocationCaveat({ storageLocation: 'gone' }, [readOnly]), undefined);
  });
});
