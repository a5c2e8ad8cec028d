import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzRuns } from '../support/fuzz';
import { cpuMillicores, isQuantity, memoryBytes, parseQuantity } from '../../src/core/kube/quantity';

test('parses the Quantity grammar and rejects what the API server rejects', () => {
  for (const ok of ['500m', '1', '0.5', '.5', '1Gi', '512Mi', '1e3', '1E-3', '+1', '100k', '2Ti', '1.5Gi', '1n', '10u'])
    assert.ok(isQuantity(ok), ok);
  for (const bad of ['1GB', '0.5cpu', '500 m', '', 'm', '1.2.3', '1Kib', '--1', '1e', 'Gi']) assert.ok(!isQuantity(bad), bad);
  assert.equal(cpuMillicores('500m'), 500);
  assert.equal(cpuMillicores('1.5'), 1500);
  assert.equal(cpuMillicores(2), 2000);
  assert.equal(memoryBytes('1Gi'), 1073741824);
  assert.equal(memoryBytes('128Mi'), 134217728);
  assert.equal(memoryBytes('1k'), 1000);
  assert.equal(memoryBytes('1e3'), 1000);
  assert.equal(parseQuantity('1GB'), undefined);
});

test('property: any generated valid quantity parses to a finite number; its text round-trips through isQuantity', () => {
  const suffix = fc.constantFrom('', 'm', 'k', 'M', 'G', 'Ki', 'Mi', 'Gi', 'Ti', 'n', 'u', 'e3', 'E-2');
  const number = fc
    .tuple(fc.nat({ max: 100000 }), fc.option(fc.nat({ max: 999 }), { nil: undefined }))
    .map(([i, f]) => (f === undefined ? `${i}` : `${i}.${f}`));
  fc.assert(
    fc.property(number, suffix, (n, s) => {
      const q = `${n}${s}`;
      assert.ok(isQuantity(q), q);
      const v = parseQuantity(q);
      assert.ok(v !== undefined && Number.isFinite(v), q);
    }),
    { numRuns: fuzzRuns },
  );
  fc.assert(
    fc.property(fc.string(), (s) => {
      // Never throws, whatever the input.
      const v = parseQuantity(s);
      assert.ok(v === undefined || Number.isFinite(v));
    }),
    { numRuns: fuzzRuns },
  );
});
