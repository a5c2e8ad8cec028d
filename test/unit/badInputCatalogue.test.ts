// Traceability of the bad-input catalogue (reliability.md §3 and §4.2): test/bad-inputs.md maps every ID B01…B85
// to a test. Fails when an ID is missing or repeated, a status is unknown, a covered/partial row names a test file
// that does not exist or does not hold the title, or a pending row names no issue. Prints the counts by status.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const TABLE = join(ROOT, 'test', 'bad-inputs.md');
const CORPUS_TEST = 'test/wire/kubeconfigCorpus.test.ts';
const CORPUS_DIR = join(ROOT, 'test', 'fixtures', 'kubeconfig');
const STATUSES = ['covered', 'partial', 'pending'] as const;
type Status = (typeof STATUSES)[number];

interface Row {
  readonly line: number;
  readonly id: string;
  readonly input: string;
  readonly status: string;
  readonly file: string;
  readonly title: string;
  readonly notes: string;
}

/** The table rows whose first cell is a catalogue ID (B + two digits); other lines are ignored. */
function parseCatalogueTable(markdown: string): Row[] {
  const rows: Row[] = [];
  markdown.split(/\r?\n/).forEach((text, i) => {
    if (!/^\|\s*B\d+\s*\|/.test(text)) return;
    const cells = text
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((c) => c.trim());
    const [id = '', input = '', status = '', file = '', title = '', notes = ''] = cells;
    rows.push({ line: i + 1, id, input, status, file, title, notes });
    if (cells.length !== 6) throw new Error(`bad-inputs.md:${i + 1}: ${cells.length} cells, expected 6`);
  });
  return rows;
}

/** Problems of the table, as human-readable lines (empty when it is consistent). */
function checkCatalogueTable(rows: readonly Row[], root = ROOT): string[] {
  const problems: string[] = [];
  const expected = Array.from({ length: 85 }, (_, i) => `B${String(i + 1).padStart(2, '0')}`);
  const seen = new Map<string, number>();
  for (const r of rows) {
    if (!expected.includes(r.id)) problems.push(`line ${r.line}: ${r.id} is not a catalogue ID (B01…B85)`);
    const before = seen.get(r.id);
    if (before !== undefined) problems.push(`line ${r.line}: ${r.id} is repeated (first on line ${before})`);
    else seen.set(r.id, r.line);
  }
  for (const id of expected) if (!seen.has(id)) problems.push(`${id} has no row`);

  const fileTexts = new Map<string, string | undefined>();
  const textOf = (file: string): string | undefined => {
    if (!fileTexts.has(file)) {
      const p = join(root, file);
      fileTexts.set(file, existsSync(p) && statSync(p).isFile() ? readFileSync(p, 'utf8') : undefined);
    }
    return fileTexts.get(file);
  };

  for (const r of rows) {
    const where = `line ${r.line} (${r.id})`;
    if (!(STATUSES as readonly string[]).includes(r.status)) {
      problems.push(`${where}: status "${r.status}" is not one of ${STATUSES.join(', ')}`);
      continue;
    }
    if (r.input === '') problems.push(`${where}: no bad-input description`);
    if (r.status === 'pending') {
      if (!/\bissue \d+/i.test(r.notes)) problems.push(`${where}: a pending row must name its issue ("issue 5 Clouds")`);
      continue;
    }
    if (r.status === 'partial' && r.notes === '') problems.push(`${where}: a partial row must say what is missing`);
    if (!/^test\/.+\.test\.ts$/.test(r.file)) {
      problems.push(`${where}: "${r.file}" is not a test file under test/`);
      continue;
    }
    if (r.title === '' || r.title === '—') {
      problems.push(`${where}: no test title`);
      continue;
    }
    const text = textOf(r.file);
    if (text === undefined) {
      problems.push(`${where}: ${r.file} does not exist`);
      continue;
    }
    if (r.file === CORPUS_TEST) {
      const dir = join(root, 'test', 'fixtures', 'kubeconfig', r.title);
      if (!/^[\w.-]+$/.test(r.title) || !existsSync(dir) || !statSync(dir).isDirectory())
        problems.push(`${where}: no golden corpus case test/fixtures/kubeconfig/${r.title}`);
      continue;
    }
    if (!text.includes(r.title)) problems.push(`${where}: ${r.file} holds no test titled "…${r.title}…"`);
  }
  return problems;
}

test('every catalogue ID B01…B85 maps to a test, or to the issue that will bring it (test/bad-inputs.md)', () => {
  const rows = parseCatalogueTable(readFileSync(TABLE, 'utf8'));
  const problems = checkCatalogueTable(rows);
  const counts = Object.fromEntries(STATUSES.map((s) => [s, rows.filter((r) => r.status === s).length])) as Record<Status, number>;
  console.log(
    `bad-input catalogue: ${rows.length} rows — ${STATUSES.map((s) => `${counts[s]} ${s}`).join(', ')} (test/fixtures/kubeconfig: ${existsSync(CORPUS_DIR) ? 'present' : 'missing'})`,
  );
  assert.deepEqual(problems, []);
});

test('the checker itself: a missing ID, a repeat, an unknown status, a wrong title and an issue-less pending row are caught', () => {
  const good = (id: string) => `| ${id} | x | covered | test/unit/badInputCatalogue.test.ts | the checker itself | |`;
  const lines = Array.from({ length: 85 }, (_, i) => good(`B${String(i + 1).padStart(2, '0')}`));
  assert.deepEqual(checkCatalogueTable(parseCatalogueTable(lines.join('\n'))), []);
  const broken = [...lines];
  broken[1] = good('B01'); // B02 missing, B01 twice
  broken[2] = '| B03 | x | done | test/unit/badInputCatalogue.test.ts | the checker itself | |';
  const absent = ['zz', 'qq'].join('-absent-'); // built at run time, so this file's text does not hold it
  broken[3] = `| B04 | x | covered | test/unit/badInputCatalogue.test.ts | ${absent} | |`;
  broken[4] = '| B05 | x | pending | — | — | later |';
  broken[5] = '| B06 | x | partial | test/unit/nope.test.ts | t | gap |';
  broken[6] = `| B07 | x | covered | ${CORPUS_TEST} | 99-no-such-case | |`;
  const problems = checkCatalogueTable(parseCatalogueTable(broken.join('\n')));
  for (const want of [
    /B01 is repeated/,
    /B02 has no row/,
    /status "done"/,
    /holds no test titled/,
    /must name its issue/,
    /nope\.test\.ts does not exist/,
    /99-no-such-case/,
  ])
    assert.ok(
      problems.some((p) => want.test(p)),
      `${String(want)} in:\n${problems.join('\n')}`,
    );
});
