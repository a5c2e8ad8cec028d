import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addressAt,
  cidrContains,
  cidrHasAddress,
  cidrsOverlap,
  hasHostBits,
  isRfc1918,
  overlappingPairs,
  parseCidr,
  parseIpv4,
  parseIpv4Block,
} from '../../../src/core/provisioning/cidr';

const c = (t: string) => {
  const v = parseIpv4Block(t);
  assert.ok(v, t);
  return v;
};

test('cidr (clouds IPv4): lenient parse, host bits, overlap, containment, RFC 1918', () => {
  for (const bad of ['10.0.0.0', '10.0.0.256/8', '10.0.0.0/33', 'a.b.c.d/8', '10.0.0/8', '010.0.0.0/8', 'fd00::/8', ''])
    assert.equal(parseIpv4Block(bad), undefined, bad);
  const base = BigInt(10 * 2 ** 24 + 4 * 2 ** 16);
  assert.deepEqual(parseIpv4Block(' 10.4.0.0/14 '), {
    family: 4,
    prefix: 14,
    first: base,
    last: base + 2n ** 18n - 1n,
    text: '10.4.0.0/14',
  });
  // Host bits are allowed here (reported by hasHostBits) and the block is the network that contains the address.
  assert.equal(parseIpv4Block('10.5.0.0/14')?.text, '10.4.0.0/14');
  assert.equal(hasHostBits('10.0.0.1/16'), true);
  assert.equal(hasHostBits('10.4.0.0/14'), false);
  assert.equal(hasHostBits('10.5.0.0/14'), true);
  assert.equal(hasHostBits('not a cidr'), false);
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

test('cidr: addresses inside a block (AKS dnsServiceIP), one module for the lenient and the strict parse', () => {
  const svc = c('10.0.0.0/16');
  assert.equal(cidrHasAddress(svc, parseIpv4('10.0.255.255')!), true);
  assert.equal(cidrHasAddress(svc, parseIpv4('10.1.0.0')!), false);
  assert.equal(parseIpv4('10.0.0.010'), undefined, 'a leading zero is not an IPv4 octet');
  assert.equal(parseIpv4(' 10.0.0.10'), undefined, 'callers trim');
  assert.equal(addressAt(svc, 10), '10.0.0.10');
  assert.equal(addressAt(c('10.0.0.0/28'), 16), undefined);
  // An IPv6 block from the strict parse is never "inside" an IPv4 one, nor does it contain IPv4 addresses.
  const v6 = parseCidr('fd00::/8');
  assert.ok(v6.ok);
  assert.equal(cidrHasAddress(v6.cidr, parseIpv4('10.0.0.1')!), false);
  assert.equal(cidrsOverlap(v6.cidr, c('0.0.0.0/0')), false);
  // The strict parse refuses host bits with the network to use; the lenient one reports them apart.
  assert.deepEqual(parseCidr('10.0.0.1/16'), { ok: false, message: '"10.0.0.1/16" has host bits set; did you mean 10.0.0.0/16?' });
  const strict = parseCidr('10.4.0.0/14');
  assert.ok(strict.ok);
  assert.deepEqual(strict.cidr, c('10.4.0.0/14'));
});
