// Small pure IPv4 CIDR helpers for the provisioning validators (pod, service and control-plane ranges).

/** A parsed IPv4 CIDR block: the network address as an unsigned 32-bit number and the prefix length. */
export interface Cidr {
  readonly text: string;
  readonly base: number;
  readonly prefix: number;
}

/** Parses "10.4.0.0/14"; undefined when the text is not a dotted-quad IPv4 CIDR. */
export function parseCidr(text: string): Cidr | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (!m) return undefined;
  const octets = [m[1], m[2], m[3], m[4]].map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const addr = octets.reduce((a, o) => a * 256 + o, 0);
  return { text: text.trim(), base: addr - (addr % 2 ** (32 - prefix)), prefix };
}

/** Whether the address part has host bits set ("10.0.0.1/16"): GKE and most APIs refuse such blocks. */
export function hasHostBits(text: string): boolean {
  const c = parseCidr(text);
  if (!c) return false;
  const addr = text
    .trim()
    .split('/')[0]!
    .split('.')
    .reduce((a, o) => a * 256 + Number(o), 0);
  return addr !== c.base;
}

function size(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

/** Whether two blocks share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + size(b) && b.base < a.base + size(a);
}

/** Whether `inner` lies wholly inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.base >= outer.base && inner.base + size(inner) <= outer.base + size(outer);
}

const privateRanges = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((t) => parseCidr(t)!);

/** Whether the block lies inside one of the RFC 1918 private ranges. */
export function isRfc1918(c: Cidr): boolean {
  return privateRanges.some((r) => cidrContains(r, c));
}

/** Pairs of overlapping blocks among `named` (label → CIDR), each pair once, in input order. */
export function overlappingPairs(named: readonly (readonly [string, Cidr])[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < named.length; i++)
    for (let j = i + 1; j < named.length; j++) {
      const a = named[i]!;
      const b = named[j]!;
      if (cidrsOverlap(a[1], b[1])) out.push([a[0], b[0]]);
    }
  return out;
}

/** "10.1.2.3" → unsigned 32-bit number; undefined when it is not a dotted-quad IPv4 address. */
export function parseIpv4(text: string): number | undefined {
  return parseCidr(`${text.trim()}/32`)?.base;
}

/** An unsigned 32-bit number back to dotted quad. */
export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** Whether the address `ip` (from parseIpv4) lies inside `c`. */
export function cidrHasAddress(c: Cidr, ip: number): boolean {
  return ip >= c.base && ip < c.base + size(c);
}
