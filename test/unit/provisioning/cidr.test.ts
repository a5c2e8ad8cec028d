import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cidrContains, cidrsOverlap, hasHostBits, isRfc1918, overlappingPairs, parseCidr } from '../../../src/core/provisioning/cidr';

const c = (t: string) => {
  const v = parseCidr(t);
  assert.ok(v, t);
  return v;
};

test('cidr: parse, host bits, overlap, containment, RFC 1918', () => {
  for (const bad of ['10.0.0.0', '10.0.0.256/8', '10.0.0.0/33', 'a.b.c.d/8', '10.0.0/8', '']) assert.equal(parseCidr(bad), undefined, bad);
  assert.deepEqual(parseCidr(' 10.4.0.0/14 '), { text: '10.4.0.0/14', base: 10 * 2 ** 24 + 4 * 2 ** 16, prefix: 14 });
  assert.equal(hasHostBits('10.0.0.1/16'), true);
  assert.equal(hasHostBits('10.4.0.0/14'), false);
  assert.equal(hasHostBits('10.5.0.0/14'), true);
  assert.equal(cidrsOverlap(c('10.0.0.0/14'), c('10.3.255.0/24')), true);
  assert.equal(cidrsOverlap(c('10.0.0.0/14'), c('10.4.0.0/14')), false);
  assert.equal(cidrsOverlap(c('0.0.0.0/0'), c('192.168.1.0/24')), true);
  assert.equal(cidrContains(c('10.0.0.0/8'), c('10.200.0.0/16')), true);
  assert.equal(cidrContains(c('10.200.0.0/16'), c('10.0.0.0/8')), false);
  assert.equal(isRfc1918(c('172.16.0.0/28')), true);
  assert.equal(isRfc1918(c('172.32.0.0/16')), false);
  assert.equal(isRfc1918(c('100.64.0.0/10')), false);
  assert.deepEqual(
    overlappingPairs([
      ['pods', c('10.0.0.0/14')],
      ['services', c('10.8.0.0/20')],
      ['master', c('10.1.0.0/28')],
    ]),
    [['pods', 'master']],
  );
});
