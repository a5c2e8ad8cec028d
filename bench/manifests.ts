// Manifest lint benchmark: warm lint per 1,000 lines vs the parse-only floor, CLI cold start on a 5 MB file,
// and recall / false positives on the seeded corpus (bench/manifestCorpus.ts).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { defaultLintConfig } from '../src/core/manifests/lintConfig';
import { lintManifests } from '../src/core/manifests/lintManifests';
import { parseManifestFile } from '../src/core/manifests/parseManifests';
import { ruleCatalogue } from '../src/core/manifests/ruleCatalogue';
import { generateCorpus } from './manifestCorpus';
import { createYamlLanguageServer } from './yamlLanguageServer';

const run = promisify(execFile);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
}

function time(fn: () => void, runs: number, warmup = 3): number {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(samples);
}

export async function manifestBench(runs: number): Promise<void> {
  const corpus = generateCorpus(20, 10);
  const lines = corpus.reduce((n, f) => n + f.text.split('\n').length, 0);
  const docs = corpus.reduce((n, f) => n + f.text.split('\n---\n').length, 0);
  console.log('\n## manifests: lint engine');
  console.log(
    `corpus: ${corpus.length} files, ${docs} documents, ${lines} lines, ${corpus.reduce((n, f) => n + f.expected.length, 0)} seeded defects; runs: ${runs}`,
  );

  const floorMs = time(() => {
    for (const f of corpus) parseAllDocuments(f.text);
  }, runs);
  const parseMs = time(() => {
    for (const f of corpus) parseManifestFile(f.path, f.text);
  }, runs);
  const parsed = corpus.map((f) => parseManifestFile(f.path, f.text));
  const rulesMs = time(() => lintManifests(parsed, ruleCatalogue, defaultLintConfig), runs);
  const fullMs = time(
    () =>
      lintManifests(
        corpus.map((f) => parseManifestFile(f.path, f.text)),
        ruleCatalogue,
        defaultLintConfig,
      ),
    runs,
  );
  const per = (ms: number) => `${((ms / lines) * 1000).toFixed(2)} ms`;
  console.log(`parse floor (yaml parseAllDocuments)   ${per(floorMs)} per 1,000 lines`);
  console.log(`our parse (positions, limits, checks)  ${per(parseMs)} per 1,000 lines`);
  console.log(`rules only (${ruleCatalogue.length} rules, incl. schema)       ${per(rulesMs)} per 1,000 lines`);
  console.log(
    `warm lint: parse + schema + all rules  ${per(fullMs)} per 1,000 lines  (ratio to floor ${(fullMs / floorMs).toFixed(2)}; target <= 15 ms -> ${(fullMs / lines) * 1000 <= 15 ? 'MET' : 'NOT MET'})`,
  );

  // The peer: yaml-language-server on the same files (schema validation only; its 200 ms debounce comes on top).
  const yls = createYamlLanguageServer();
  const ylsRun = async () => {
    for (const f of corpus) await yls.validate(`file://${f.path}`, f.text);
  };
  for (let i = 0; i < 2; i++) await ylsRun();
  const ylsSamples: number[] = [];
  for (let i = 0; i < Math.min(runs, 3); i++) {
    const t = process.hrtime.bigint();
    await ylsRun();
    ylsSamples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const ylsMs = median(ylsSamples);
  console.log(
    `yaml-language-server 1.19 (schema only, local all-kinds schema) ${per(ylsMs)} per 1,000 lines; ratio clusterdeck / yaml-language-server ${(fullMs / ylsMs).toFixed(3)}`,
  );

  // Recall and false positives on the seeded corpus.
  const results = lintManifests(parsed, ruleCatalogue, defaultLintConfig);
  let found = 0;
  let total = 0;
  const missed = new Map<string, number>();
  let cleanFlagged = 0;
  let cleanTotal = 0;
  const fpRules = new Map<string, number>();
  for (const f of parsed) {
    const truth = corpus.find((c) => c.path === f.path)!;
    const findings = (results.get(f.path) ?? []).filter((x) => !x.suppressedBy);
    const docOf = (offset: number) => f.documents.findIndex((d) => offset >= d.range.start && offset <= d.range.end);
    for (const e of truth.expected) {
      total++;
      if (findings.some((x) => x.ruleId === e.ruleId && docOf(x.range.start) === e.docIndex)) found++;
      else missed.set(e.ruleId, (missed.get(e.ruleId) ?? 0) + 1);
    }
    for (const i of truth.cleanDocs) {
      cleanTotal++;
      const flagged = findings.filter((x) => x.severity !== 'info' && docOf(x.range.start) === i);
      if (flagged.length) {
        cleanFlagged++;
        for (const x of flagged) fpRules.set(x.ruleId, (fpRules.get(x.ruleId) ?? 0) + 1);
      }
    }
  }
  console.log(
    `recall of seeded defects: ${found}/${total} = ${((found / total) * 100).toFixed(1)}% (target 100%)${missed.size ? `; missed: ${[...missed].map(([r, n]) => `${r}×${n}`).join(', ')}` : ''}`,
  );
  console.log(
    `defect-free documents flagged (warning/error, recommended): ${cleanFlagged}/${cleanTotal} = ${((cleanFlagged / cleanTotal) * 100).toFixed(2)}% (target <= 1%)${fpRules.size ? `; by rule: ${[...fpRules].map(([r, n]) => `${r}×${n}`).join(', ')}` : ''}`,
  );

  // CLI cold start on a ~5 MB file of ~4,500 documents (ConfigMaps carry a ~4 KB properties file each).
  const dir = mkdtempSync(join(tmpdir(), 'clusterdeck-bench-'));
  try {
    const big = generateCorpus(1, 640, 7, 1_000_000, 110)[0]!;
    const path = join(dir, 'big.yaml');
    writeFileSync(path, big.text);
    const cli = join(__dirname, '..', 'dist', 'cli.js');
    const samples: number[] = [];
    for (let i = 0; i < Math.min(runs, 5); i++) {
      const t = Date.now();
      await run(process.execPath, [cli, 'lint', path, '--format', 'json'], { maxBuffer: 256 * 1024 * 1024 }).catch(
        (e: { code?: number }) => {
          if (e.code !== 1) throw e;
        },
      );
      samples.push(Date.now() - t);
    }
    const docCount = big.text.split('\n---\n').length;
    console.log(
      `CLI cold, ${(big.text.length / 1048576).toFixed(1)} MB / ${docCount} documents: median ${median(samples)} ms (target <= 2,200 ms -> ${median(samples) <= 2200 ? 'MET' : 'NOT MET'})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
