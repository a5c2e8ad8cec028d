// Catalogue row B60: a binary file with a .yaml extension is skipped silently (no diagnostics), through the same
// path the CLI and the editor take (bytes → decodeText → parseManifestFile → lint). A text file with a few bytes
// that are not UTF-8 is still text: it is linted, with a warning on the bad byte.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { lintCommand } from '../../../src/cli/lintCommand';
import { defaultLintConfig } from '../../../src/core/manifests/lintConfig';
import { lintManifests } from '../../../src/core/manifests/lintManifests';
import { looksBinary, parseManifestFile } from '../../../src/core/manifests/parseManifests';
import { ruleCatalogue } from '../../../src/core/manifests/ruleCatalogue';
import { decodeText } from '../../../src/node/manifests/manifestFiles';
import { captureIo } from '../../support/cliIo';

const lint = (path: string, bytes: Buffer) => {
  const file = parseManifestFile(path, decodeText(bytes));
  return { file, findings: lintManifests([file], ruleCatalogue, defaultLintConfig).get(path) ?? [] };
};

/** A PNG header followed by compressed (random-looking) bytes: what an image renamed to .yaml looks like. */
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  deflateSync(Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 251))),
]);
/** Compressed bytes without a single NUL: only the share of undecodable bytes tells it is binary. */
const noNul = Buffer.from(deflateSync(Buffer.from(Array.from({ length: 6000 }, (_, i) => (i * 104729) % 253))).filter((b) => b !== 0));

describe('B60: binary files with a .yaml extension', () => {
  test('B60: a binary file (NUL bytes, or mostly bytes that are not UTF-8) gives no diagnostic at all', () => {
    assert.ok(!noNul.includes(0));
    for (const [name, bytes] of [
      ['image.yaml', png],
      ['archive.yaml', noNul],
      ['gzip.yml', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03])],
    ] as const) {
      assert.ok(looksBinary(decodeText(bytes)), name);
      const { findings, file } = lint(name, bytes);
      assert.deepEqual(findings, [], name);
      assert.deepEqual(file.documents, [], name);
    }
  });

  test('B60: a text manifest with one Latin-1 byte is still linted, with the UTF-8 warning', () => {
    const text = Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\xe9\n  namespace: a\ndata: {k: v}\n', 'latin1');
    assert.equal(looksBinary(decodeText(text)), false);
    const { findings, file } = lint('cm.yaml', text);
    assert.equal(file.documents.length, 1);
    assert.ok(findings.some((f) => f.ruleId === 'yaml-syntax' && /not valid UTF-8/.test(f.message)));
  });

  test('B60: `clusterdeck lint` over a folder with a binary .yaml reports nothing for it and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clusterdeck-b60-'));
    try {
      writeFileSync(join(dir, 'logo.yaml'), png);
      const captured = captureIo(dir);
      const code = await lintCommand(['--format', 'json', 'logo.yaml'], captured.io);
      assert.equal(code, 0, captured.err());
      assert.deepEqual(JSON.parse(captured.out()), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
