// Every rule of the catalogue has a positive and a negative YAML fixture (test/fixtures/rules/<id>/).
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ruleCatalogue } from '../../../src/core/manifests/ruleCatalogue';
import { checkRuleFixtures, fixtureRuleIds } from '../../support/ruleFixtures';

describe('lint rules against their fixtures', () => {
  test('rule ids are unique and every fixture folder names a rule', () => {
    const ids = ruleCatalogue.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'duplicate rule ids');
    assert.deepEqual(
      fixtureRuleIds().filter((id) => !ids.includes(id)),
      [],
    );
  });
  for (const rule of ruleCatalogue) {
    test(rule.id, () => checkRuleFixtures(rule, ruleCatalogue));
  }
});
