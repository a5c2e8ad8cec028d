// IPv4 CIDR blocks for provisioning validation (service CIDRs, public access CIDRs, pod/VPC ranges). Pure.

/** An IPv4 block: the network address as a 32-bit unsigned number and the prefix length. */
export interface Ipv4Cidr {
  readonly network: number;
  readonly prefix: number;
}

/**
 * Parses "a.b.c.d/n" (decimal octets, no leading zeros beyond "0", prefix 0–32). Returns undefined when the text is
 * not a CIDR; `hostBits` says whether bits beyond the prefix are set (e.g. "10.0.0.1/16"), which clouds refuse.
 */
export function parseCidr(text: string): (Ipv4Cidr & { readonly hostBits: boolean }) | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (!m) return undefined;
  const parts = m.slice(1, 5);
  if (parts.some((p) => p.length > 1 && p.startsWith('0'))) return undefined;
  const octets = parts.map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = (((octets[0] ?? 0) << 24) | ((octets[1] ?? 0) << 16) | ((octets[2] ?? 0) << 8) | (octets[3] ?? 0)) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const network = (address & mask) >>> 0;
  return { network, prefix, hostBits: network !== address };
}

/** A one-sentence problem with a CIDR text, or undefined when it is a valid block without host bits. */
export function cidrProblem(text: string): string | undefined {
  const c = parseCidr(text);
  if (!c) return `"${text}" is not an IPv4 CIDR block such as 10.100.0.0/16`;
  if (c.hostBits) return `"${text}" has bits set after the /${c.prefix} prefix; use ${formatCidr(c)}`;
  return undefined;
}

export function formatCidr(c: Ipv4Cidr): string {
  const n = c.network;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${c.prefix}`;
}

function size(c: Ipv4Cidr): number {
  return 2 ** (32 - c.prefix);
}

/** Whether two blocks share at least one address. */
export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.network < b.network + size(b) && b.network < a.network + size(a);
}

/** Whether `inner` lies entirely inside `outer`. */
export function cidrInside(inner: Ipv4Cidr, outer: Ipv4Cidr): boolean {
  return inner.network >= outer.network && inner.network + size(inner) <= outer.network + size(outer);
}

/** The RFC 1918 private ranges. */
export const privateRanges: readonly Ipv4Cidr[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((t) => parseCidr(t) as Ipv4Cidr);
