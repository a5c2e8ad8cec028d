// The fixture contract for lint rules: test/fixtures/rules/<ruleId>/positive.yaml and negative.yaml.
//  - positive.yaml: every line carrying the comment `# expect` (or `# expect: <severity>`) must get exactly one
//    finding of the rule starting on that line (not suppressed); no finding of the rule may start elsewhere.
//  - negative.yaml: no finding of the rule at all.
// Optional lint.yaml beside them is a `.clusterdeck/lint.yaml` applied to both (e.g. to enable an `off` rule,
// choose `preset: strict`, or set `complete: true` via `# complete` … see loadFixtureConfig).
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultLintConfig, parseLintConfig, type LintConfig } from '../../src/core/manifests/lintConfig';
import { computeLineStarts, effectiveLevel, lintManifests, lineOf } from '../../src/core/manifests/lintManifests';
import { parseManifestFile } from '../../src/core/manifests/parseManifests';
import type { Rule } from '../../src/core/manifests/rule';
import type { Finding } from '../../src/core/manifests/types';

export const fixturesDir = join(__dirname, '..', 'fixtures', 'rules');

/** The config a fixture folder asks for; an `off` rule under test is switched on at its natural level. */
export function loadFixtureConfig(rule: Rule): LintConfig {
  const path = join(fixturesDir, rule.id, 'lint.yaml');
  let config = defaultLintConfig;
  if (existsSync(path)) {
    const text = readFileSync(path, 'utf8');
    const parsed = parseLintConfig(text.replace(/^complete:.*$/m, ''));
    assert.deepEqual(parsed.problems, [], `${path}: ${JSON.stringify(parsed.problems)}`);
    config = { ...parsed.config, complete: /^complete:\s*true/m.test(text) };
  }
  if (effectiveLevel(rule, config) === 'off')
    config = {
      ...config,
      rules: { ...config.rules, [rule.id]: rule.strictLevel && rule.strictLevel !== 'off' ? rule.strictLevel : 'info' },
    };
  return config;
}

/** Lints every YAML file of a fixture file with all given rules, returning the findings of `ruleId`. */
export function lintFixture(
  path: string,
  rules: readonly Rule[],
  config: LintConfig,
  ruleId: string,
): { findings: Finding[]; text: string } {
  const text = readFileSync(path, 'utf8');
  const file = parseManifestFile(path, text);
  const findings = (lintManifests([file], rules, config).get(path) ?? []).filter((f) => f.ruleId === ruleId && !f.suppressedBy);
  return { findings, text };
}

/** Asserts the fixture contract for one rule. */
export function checkRuleFixtures(rule: Rule, rules: readonly Rule[]): void {
  const dir = join(fixturesDir, rule.id);
  const positive = join(dir, 'positive.yaml');
  const negative = join(dir, 'negative.yaml');
  assert.ok(existsSync(positive), `missing ${positive}`);
  assert.ok(existsSync(negative), `missing ${negative}`);
  const config = loadFixtureConfig(rule);

  const pos = lintFixture(positive, rules, config, rule.id);
  const lines = pos.text.split('\n');
  const starts = computeLineStarts(pos.text);
  const expected = lines.flatMap((l, i) => (/#\s*expect\b/.test(l) ? [i] : []));
  assert.ok(expected.length > 0, `${positive} marks no line with "# expect"`);
  const got = pos.findings.map((f) => lineOf(starts, f.range.start)).sort((a, b) => a - b);
  assert.deepEqual(
    got,
    expected,
    `${rule.id}: findings on lines ${got.map((l) => l + 1).join(', ')} but expected on ${expected.map((l) => l + 1).join(', ')}:\n${pos.findings.map((f) => `  ${lineOf(starts, f.range.start) + 1}: ${f.message}`).join('\n')}`,
  );
  for (const f of pos.findings) {
    assert.ok(f.range.end > f.range.start, `${rule.id}: an empty range at ${f.range.start}`);
    assert.ok(f.message.length > 10, `${rule.id}: the message says what to do`);
    const m = /#\s*expect:\s*(error|warning|info)/.exec(lines[lineOf(starts, f.range.start)] ?? '');
    if (m) assert.equal(f.severity, m[1], `${rule.id}: severity on line ${lineOf(starts, f.range.start) + 1}`);
  }
  const neg = lintFixture(negative, rules, config, rule.id);
  assert.deepEqual(
    neg.findings.map((f) => f.message),
    [],
    `${rule.id}: negative.yaml must produce no finding`,
  );
}

/** Rule ids that have a fixture folder. */
export function fixtureRuleIds(): string[] {
  return existsSync(fixturesDir) ? readdirSync(fixturesDir) : [];
}
