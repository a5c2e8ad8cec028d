import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { main } from '../../src/cli/main';

function runCli(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(
    args,
    (s) => (out += s),
    (s) => (err += s),
  );
  return { code, out, err };
}

test('the CLI prints help, its version, and exits 2 on usage errors with a clear message', () => {
  assert.equal(runCli(['--help']).code, 0);
  assert.match(runCli(['--help']).out, /Usage: clusterdeck/);
  assert.match(runCli(['version']).out, /^\d+\.\d+\.\d+$/);
  const unknown = runCli(['frobnicate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /unknown command "frobnicate"/);
  assert.equal(runCli([]).code, 2);
});
