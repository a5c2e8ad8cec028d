// The YAML front end on hostile and odd input: a clear finding or a skip with a note; never a crash or a hang.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzRuns } from '../../support/fuzz';
import { stringify } from 'yaml';
import { defaultLintConfig } from '../../../src/core/manifests/lintConfig';
import { lintManifests } from '../../../src/core/manifests/lintManifests';
import { parseManifestFile } from '../../../src/core/manifests/parseManifests';
import { ruleCatalogue } from '../../../src/core/manifests/ruleCatalogue';

function lintText(text: string, path = 'x.yaml') {
  const file = parseManifestFile(path, text);
  return { file, findings: lintManifests([file], ruleCatalogue, defaultLintConfig).get(path) ?? [] };
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

describe('bad input', () => {
  test('binary content is skipped silently (B60)', () => {
    const { findings, file } = lintText('\u0000\u0001\u0002PNG');
    assert.deepEqual(findings, []);
    assert.deepEqual(file.documents, []);
  });

  test('non-UTF-8 bytes (decoded as U+FFFD) give a warning, the rest is linted', () => {
    const { findings, file } = lintText(deployment.replace('nginx', 'ngin\uFFFDx'));
    assert.ok(findings.some((f) => f.ruleId === 'yaml-syntax' && f.severity === 'warning' && /UTF-8/.test(f.message)));
    assert.equal(file.documents.length, 1);
  });

  test('empty files, empty documents and comment-only files give nothing', () => {
    for (const t of ['', '---\n', '---\n---\n', '# just a comment\n', '\n\n'])
      assert.deepEqual(lintText(t).findings, [], JSON.stringify(t));
  });

  test('a document that is a list or a scalar is one clear error each', () => {
    const { findings } = lintText('- a\n- b\n---\nhello\n');
    assert.deepEqual(
      findings.map((f) => f.ruleId),
      ['document-not-object', 'document-not-object'],
    );
  });

  test('a 50 MB file is skipped quickly with a note', () => {
    const big = 'a: b\n'.repeat(10_500_000);
    const started = Date.now();
    const { findings } = lintText(big);
    assert.ok(Date.now() - started < 2_000);
    assert.equal(findings[0]?.ruleId, 'file-skipped');
    assert.match(findings[0]?.message ?? '', /MB/);
  });

  test('deep nesting and alias bombs: one finding, fast', () => {
    for (const text of [
      '['.repeat(20_000),
      `${'a:\n'.split('').join('')}${Array.from({ length: 400 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} 1\n`,
    ]) {
      const started = Date.now();
      const { findings } = lintText(text);
      assert.ok(Date.now() - started < 3_000, 'no hang');
      assert.ok(findings.length >= 1 && findings.length <= 6, `${findings.length} findings`);
    }
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const started = Date.now();
    const { findings } = lintText(lines.join('\n'));
    assert.ok(Date.now() - started < 1_000);
    assert.deepEqual(
      findings.map((f) => f.ruleId),
      ['yaml-resource-limit'],
    );
  });

  test('CRLF line endings, a BOM and tabs', () => {
    const crlf = lintText(deployment.replace(/\n/g, '\r\n'));
    assert.equal(crlf.file.documents[0]?.kind, 'Deployment');
    assert.ok(!crlf.findings.some((f) => f.ruleId === 'yaml-syntax'));
    const bom = lintText(`\uFEFF${deployment}`);
    assert.equal(bom.file.documents[0]?.kind, 'Deployment');
    const tabs = lintText('apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n');
    assert.ok(
      tabs.findings.some((f) => f.ruleId === 'yaml-syntax'),
      'tab indentation is a syntax error',
    );
  });

  test('property: random YAML values and random text never throw, and findings have valid ranges', () => {
    const json = fc.jsonValue({ maxDepth: 6 });
    fc.assert(
      fc.property(
        json,
        fc.constantFrom('Deployment', 'Service', 'Pod', 'CronJob', 'HorizontalPodAutoscaler', 'Ingress', 'Role', 'Schedule'),
        (value, kind) => {
          const obj = { apiVersion: kind === 'Schedule' ? 'velero.io/v1' : 'apps/v1', kind, metadata: { name: 'x' }, spec: value };
          const text = stringify(obj);
          const { findings } = lintText(text);
          for (const f of findings) assert.ok(f.range.start >= 0 && f.range.end <= text.length && f.range.start <= f.range.end);
          assert.ok(!findings.some((f) => /Internal error/.test(f.message)), findings.map((f) => f.message).join('\n'));
        },
      ),
      { numRuns: fuzzRuns },
    );
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('a', ':', ' ', '\n', '-', '[', ']', '{', '}', '&', '*', '!', '#', '"', "'", '|', '>', '\t', '?', ',', '1'),
        }),
        (text) => {
          const { findings } = lintText(text);
          for (const f of findings) assert.ok(f.range.start >= 0 && f.range.start <= Math.max(text.length, 1));
        },
      ),
      { numRuns: fuzzRuns },
    );
  });
});
