// Every dedicated quick fix, before and after: the fix applies, the YAML stays valid with its comments, and the
// finding it fixes is gone on re-lint. Cases live in test/fixtures/fixes/<name>.before.yaml / .after.yaml; the
// first line of "before" names the rule and the fix title: `# fix: <ruleId> | <title regex>`.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixProviders, quickFixesFor } from '../../../src/core/manifests/fixCatalogue';
import { defaultLintConfig, type LintConfig } from '../../../src/core/manifests/lintConfig';
import { lintManifests } from '../../../src/core/manifests/lintManifests';
import { parseManifestFile } from '../../../src/core/manifests/parseManifests';
import { applyEdits } from '../../../src/core/manifests/quickFixes';
import { ruleCatalogue } from '../../../src/core/manifests/ruleCatalogue';

const dir = join(__dirname, '..', '..', 'fixtures', 'fixes');
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.before.yaml'))
  .map((f) => f.replace('.before.yaml', ''));

function lint(path: string, text: string, config: LintConfig) {
  const file = parseManifestFile(path, text);
  return { file, findings: (lintManifests([file], ruleCatalogue, config).get(path) ?? []).filter((f) => !f.suppressedBy) };
}

describe('quick fixes (before/after)', () => {
  test('values to review are placeholders: the new CPU request and probe path', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: busybox:1.36\n      ports:\n        - name: http\n          containerPort: 8080\n';
    const file = parseManifestFile('/p.yaml', text);
    const findings =
      lintManifests([file], ruleCatalogue, { ...defaultLintConfig, rules: { 'container-missing-liveness-probe': 'info' } }).get(
        '/p.yaml',
      ) ?? [];
    for (const [ruleId, value] of [
      ['container-missing-cpu-request', '100m'],
      ['container-missing-liveness-probe', '/healthz'],
    ] as const) {
      const finding = findings.find((f) => f.ruleId === ruleId);
      assert.ok(finding, ruleId);
      const fix = quickFixesFor(file, finding)[0]!;
      const p = fix.placeholders?.[0];
      assert.ok(p, `${ruleId}: a placeholder`);
      assert.equal(fix.edits[p.edit]?.newText.slice(p.start, p.end), value);
    }
  });

  test('every rule with a dedicated fix has at least one before/after case, and names a rule of the catalogue', () => {
    const covered = new Set(cases.map((c) => /^# fix: ([a-z0-9-]+)/.exec(readFileSync(join(dir, `${c}.before.yaml`), 'utf8'))?.[1]));
    const ids = new Set(ruleCatalogue.map((r) => r.id));
    assert.deepEqual(
      [...fixProviders.keys()].filter((id) => !covered.has(id)),
      [],
      'rules whose fix has no case',
    );
    assert.deepEqual(
      [...fixProviders.keys()].filter((id) => !ids.has(id)),
      [],
      'fixes for unknown rules',
    );
    assert.ok(fixProviders.size >= 15, `${fixProviders.size} rules with fixes`);
  });

  for (const name of cases) {
    test(name, () => {
      const before = readFileSync(join(dir, `${name}.before.yaml`), 'utf8');
      const after = readFileSync(join(dir, `${name}.after.yaml`), 'utf8');
      const header = /^# fix: ([a-z0-9-]+) \| (.+)$/m.exec(before);
      assert.ok(header, `${name}: first line must be "# fix: <rule> | <title regex>"`);
      const [, ruleId = '', titlePattern = ''] = header;
      const rule = ruleCatalogue.find((r) => r.id === ruleId);
      assert.ok(rule, `unknown rule ${ruleId}`);
      const target = /^# target: (1\.\d+)$/m.exec(before)?.[1];
      const config: LintConfig = {
        ...defaultLintConfig,
        preset: 'strict',
        complete: true,
        rules: { [ruleId]: 'warning' },
        ...(target ? { targetKubernetesVersion: target } : {}),
      };
      const path = `/fixtures/${name}.yaml`;
      const { file, findings } = lint(path, before, config);
      const finding = findings.find((f) => f.ruleId === ruleId);
      assert.ok(finding, `${name}: ${ruleId} does not fire on the "before" text (got ${findings.map((f) => f.ruleId).join(', ')})`);
      const fixes = quickFixesFor(file, finding);
      const fix = fixes.find((f) => new RegExp(titlePattern).test(f.title));
      assert.ok(fix, `${name}: no fix titled /${titlePattern}/ (got: ${fixes.map((f) => f.title).join(' | ')})`);
      for (const p of fix.placeholders ?? []) {
        const text = fix.edits[p.edit]?.newText ?? '';
        assert.ok(p.start >= 0 && p.end <= text.length && p.end > p.start, `${name}: placeholder inside its edit`);
      }
      const fixed = applyEdits(before, fix.edits);
      assert.equal(fixed, after, `${name}: the fixed text`);
      const relinted = lint(path, fixed, config);
      assert.ok(!relinted.findings.some((f) => f.ruleId === 'yaml-syntax'), `${name}: the fix produced invalid YAML`);
      const count = (list: typeof findings) => list.filter((f) => f.ruleId === ruleId).length;
      assert.ok(count(relinted.findings) < count(findings), `${name}: ${ruleId} still fires as often after the fix`);
    });
  }
});
