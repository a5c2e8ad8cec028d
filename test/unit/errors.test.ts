import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { CancelledError, ClusterDeckError, isCancellation } from '../../src/core/errors';

test('instanceof works across bundles: a copy of the class from another bundle is recognised', () => {
  // Bundle a second, independent copy of the module, as dist/kubeSdk.js carries its own.
  const dir = mkdtempSync(join(tmpdir(), 'clusterdeck-errors-'));
  try {
    const outfile = join(dir, 'errorsCopy.js');
    buildSync({
      entryPoints: [join(__dirname, '..', '..', 'src', 'core', 'errors.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile,
      logLevel: 'silent',
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const copy = require(outfile) as typeof import('../../src/core/errors');
    assert.notEqual(copy.ClusterDeckError, ClusterDeckError, 'really a second copy');
    const foreign = new copy.ClusterDeckError('unreachable', 'Cannot reach x.');
    assert.ok(foreign instanceof ClusterDeckError);
    assert.equal(foreign.reason, 'unreachable');
    assert.ok(isCancellation(new copy.CancelledError()));
    assert.ok(!(new Error('plain') instanceof ClusterDeckError));
    assert.ok(!(new CancelledError() instanceof ClusterDeckError));
    assert.ok(!(foreign instanceof CancelledError));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
