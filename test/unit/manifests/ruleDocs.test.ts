import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderRuleDocs } from '../../../scripts/ruleDocs';

test('docs/rules.md is generated from the catalogue and up to date (node --import tsx scripts/ruleDocs.ts)', () => {
  assert.equal(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'rules.md'), 'utf8'), renderRuleDocs());
});
