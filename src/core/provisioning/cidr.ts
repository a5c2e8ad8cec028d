// IPv4 CIDR arithmetic for the provisioning validators (pod/service ranges, authorized IP ranges). Pure.

/** A parsed IPv4 CIDR: the first address and the prefix length, as numbers. */
export interface Ipv4Cidr {
  /** The network address as an unsigned 32-bit number (host bits cleared). */
  readonly start: number;
  readonly prefix: number;
  /** Whether host bits were set in the text (e.g. "10.0.0.5/16"): valid syntax, but not a network address. */
  readonly hostBitsSet: boolean;
}

/** "10.1.2.3" → unsigned 32-bit number, or undefined when it is not a dotted-quad IPv4 address. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

/** "10.244.0.0/16" → {start, prefix}; undefined when the text is not an IPv4 CIDR. A bare address is not a CIDR. */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(text.trim());
  if (!m) return undefined;
  const ip = parseIpv4(m[1]!);
  const prefix = Number(m[2]);
  if (ip === undefined || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  const start = Math.floor(ip / size) * size;
  return { start, prefix, hostBitsSet: start !== ip };
}

/** Number of addresses in the range. */
export function cidrSize(c: Ipv4Cidr): number {
  return 2 ** (32 - c.prefix);
}

/** Whether two ranges share any address. */
export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.start < b.start + cidrSize(b) && b.start < a.start + cidrSize(a);
}

/** Whether `ip` (a number from parseIpv4) lies inside `c`. */
export function cidrContains(c: Ipv4Cidr, ip: number): boolean {
  return ip >= c.start && ip < c.start + cidrSize(c);
}

/** The unsigned number back to dotted quad. */
export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}
