import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../src/cli/main';

const run = promisify(execFile);

async function cli(args: string[], cwd: string, stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, {
    out: (s) => (out += `${s}\n`),
    err: (s) => (err += `${s}\n`),
    cwd,
    isTty: false,
    readStdin: () => Promise.resolve(stdin),
    version: '9.9.9',
  });
  return { code, out, err };
}

const good = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: good\n';
const duplicate = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\ndata:\n  a: "1"\n  a: "2"\n';

describe('clusterdeck CLI', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'clusterdeck-cli-'));
    mkdirSync(join(dir, 'k8s', 'nested'), { recursive: true });
    writeFileSync(join(dir, 'k8s', 'good.yaml'), good);
    writeFileSync(join(dir, 'k8s', 'nested', 'dup.yml'), duplicate);
    writeFileSync(join(dir, 'k8s', 'notes.txt'), 'not yaml: [');
    writeFileSync(
      join(dir, 'latin1.yaml'),
      Buffer.concat([
        Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "caf'),
        Buffer.from([0xe9]),
        Buffer.from('"\n'),
      ]),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('help, version, and usage errors exit 2 with a clear message', async () => {
    assert.equal((await cli(['--help'], dir)).code, 0);
    assert.equal((await cli(['version'], dir)).out.trim(), '9.9.9');
    const unknown = await cli(['frobnicate'], dir);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown command "frobnicate"/);
    assert.equal((await cli(['lint'], dir)).code, 2);
    const badFormat = await cli(['lint', 'k8s', '--format', 'xml'], dir);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.err, /--format must be one of text, json, sarif/);
    const missing = await cli(['lint', 'nope'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /"nope" does not exist/);
    assert.equal((await cli(['lint', 'k8s', '--kubernetes-version', 'v1.31'], dir)).code, 2);
  });

  test('directories are searched for *.yaml/*.yml; an error finding exits 1; json has 1-based positions and the object', async () => {
    const r = await cli(['lint', 'k8s', '--format', 'json'], dir);
    assert.equal(r.code, 1, r.err);
    const findings = JSON.parse(r.out) as {
      file: string;
      line: number;
      column: number;
      endLine: number;
      endColumn: number;
      severity: string;
      ruleId: string;
      kind?: string;
      name?: string;
    }[];
    const dup = findings.find((f) => f.ruleId === 'yaml-duplicate-key');
    assert.ok(dup, r.out);
    assert.equal(dup.file, join('k8s', 'nested', 'dup.yml'));
    assert.deepEqual([dup.line, dup.column, dup.endLine, dup.endColumn], [7, 3, 7, 4]);
    assert.equal(dup.severity, 'error');
    assert.ok(!findings.some((f) => f.file.endsWith('notes.txt')));
  });

  test('text output groups per file and ends with a summary; a clean set exits 0', async () => {
    const bad = await cli(['lint', 'k8s'], dir);
    assert.match(bad.out, /k8s\/nested\/dup\.yml\n\s+7:3\s+error\s+yaml-duplicate-key/);
    assert.match(bad.out, /1 error\(s\), 0 warning\(s\), 0 info in 2 file\(s\)/);
    const clean = await cli(['lint', 'k8s/good.yaml'], dir);
    assert.equal(clean.code, 0);
  });

  test('--fail-on: warnings fail only when asked', async () => {
    assert.equal((await cli(['lint', 'latin1.yaml'], dir)).code, 0);
    assert.equal((await cli(['lint', 'latin1.yaml', '--fail-on', 'warning'], dir)).code, 1);
  });

  test('sarif 2.1.0 with rules, regions and relative URIs', async () => {
    const r = await cli(['lint', 'k8s', '--format', 'sarif'], dir);
    const sarif = JSON.parse(r.out) as {
      version: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string }[] } };
        results: {
          ruleId: string;
          level: string;
          locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
        }[];
      }[];
    };
    assert.equal(sarif.version, '2.1.0');
    const run0 = sarif.runs[0]!;
    assert.equal(run0.tool.driver.name, 'clusterdeck');
    assert.ok(run0.tool.driver.rules.some((x) => x.id === 'yaml-duplicate-key'));
    const result = run0.results.find((x) => x.ruleId === 'yaml-duplicate-key')!;
    assert.equal(result.level, 'error');
    assert.equal(result.locations[0]?.physicalLocation.artifactLocation.uri, 'k8s/nested/dup.yml');
    assert.equal(result.locations[0]?.physicalLocation.region.startLine, 7);
  });

  test('globs, stdin and the shared config file (rule levels, ignorePaths)', async () => {
    assert.equal((await cli(['lint', 'k8s/**/*.yml', '--format', 'json'], dir)).code, 1);
    assert.equal((await cli(['lint', '-'], dir, duplicate)).code, 1);
    assert.equal((await cli(['lint', '-'], dir, good)).code, 0);
    mkdirSync(join(dir, '.clusterdeck'), { recursive: true });
    writeFileSync(join(dir, '.clusterdeck', 'lint.yaml'), 'rules:\n  yaml-duplicate-key: off\n');
    assert.equal((await cli(['lint', 'k8s'], dir)).code, 0);
    writeFileSync(join(dir, '.clusterdeck', 'lint.yaml'), 'ignorePaths:\n  - k8s/nested/**\n');
    const ignored = await cli(['lint', 'k8s', '--format', 'json'], dir);
    assert.equal(ignored.code, 0, ignored.out);
    writeFileSync(join(dir, '.clusterdeck', 'lint.yaml'), 'preset: loose\nbogus: 1\n');
    const warned = await cli(['lint', 'k8s/good.yaml'], dir);
    assert.match(warned.err, /lint\.yaml:1: "preset" must be one of/);
    assert.match(warned.err, /lint\.yaml:2: Unknown key "bogus"/);
    rmSync(join(dir, '.clusterdeck'), { recursive: true });
  });

  test('a nested .clusterdeck/lint.yaml overrides the outer one for the files below it', async () => {
    mkdirSync(join(dir, 'team', 'legacy', '.clusterdeck'), { recursive: true });
    writeFileSync(join(dir, 'team', 'app.yaml'), duplicate);
    writeFileSync(join(dir, 'team', 'legacy', 'old.yaml'), duplicate);
    writeFileSync(join(dir, 'team', 'legacy', '.clusterdeck', 'lint.yaml'), 'rules:\n  yaml-duplicate-key: off\n');
    const r = await cli(['lint', 'team', '--format', 'json'], dir);
    const files = (JSON.parse(r.out) as { file: string; ruleId: string }[])
      .filter((f) => f.ruleId === 'yaml-duplicate-key')
      .map((f) => f.file);
    assert.deepEqual(files, [join('team', 'app.yaml')]);
    rmSync(join(dir, 'team'), { recursive: true });
  });

  test('the built bin: exit codes and no stack trace on bad input', async () => {
    const bin = join(__dirname, '..', '..', 'dist', 'cli.js');
    const ok = await run(process.execPath, [bin, 'lint', 'k8s/good.yaml'], { cwd: dir });
    assert.match(ok.stdout, /0 error\(s\)/);
    await assert.rejects(run(process.execPath, [bin, 'lint', 'k8s'], { cwd: dir }), (e: { code: number }) => e.code === 1);
    await assert.rejects(run(process.execPath, [bin, 'lint', 'missing-dir'], { cwd: dir }), (e: { code: number; stderr: string }) => {
      assert.equal(e.code, 2);
      assert.doesNotMatch(e.stderr, /\n\s+at /);
      return true;
    });
  });
});
