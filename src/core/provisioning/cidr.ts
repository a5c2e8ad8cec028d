// CIDR blocks (IPv4 and IPv6) as integer ranges for every provisioning validator (kubeadm, EKS, GKE, AKS): parsing
// with a reason (`parseCidr`, strict) or leniently for the clouds' IPv4 fields (`parseIpv4Block`, host bits allowed and
// reported apart by `hasHostBits`), overlap, containment, RFC 1918, addresses inside a block. Pure.

/** A parsed CIDR block. `first`/`last` are the block's first and last address as integers. */
export interface Cidr {
  readonly family: 4 | 6;
  readonly prefix: number;
  readonly first: bigint;
  readonly last: bigint;
  /** The block as written, normalised (`10.244.0.0/16`). */
  readonly text: string;
}

export type CidrParse = { readonly ok: true; readonly cidr: Cidr } | { readonly ok: false; readonly message: string };

/** Parses `a.b.c.d/n` or an IPv6 `x:y::/n`. Host bits must be zero (kubeadm and the CNIs want network addresses). */
export function parseCidr(input: string): CidrParse {
  const text = input.trim();
  const slash = text.indexOf('/');
  if (slash < 0) return { ok: false, message: `"${text}" is not a CIDR block: add a prefix length, e.g. 10.244.0.0/16.` };
  const addr = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return { ok: false, message: `"${text}": the prefix length must be a number.` };
  const prefix = Number(prefixText);
  const family: 4 | 6 = addr.includes(':') ? 6 : 4;
  const value = family === 4 ? parseIpv4(addr) : parseIpv6(addr);
  if (value === undefined) return { ok: false, message: `"${addr}" is not a valid IPv${family} address.` };
  const bits = family === 4 ? 32 : 128;
  if (prefix > bits) return { ok: false, message: `"${text}": the prefix length must be at most ${bits}.` };
  const hostBits = BigInt(bits - prefix);
  const size = 1n << hostBits;
  if (value % size !== 0n) {
    const network = formatAddress(family, value - (value % size));
    return { ok: false, message: `"${text}" has host bits set; did you mean ${network}/${prefix}?` };
  }
  return { ok: true, cidr: { family, prefix, first: value, last: value + size - 1n, text: `${formatAddress(family, value)}/${prefix}` } };
}

/** True when both blocks are of one family and share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

/** True when `outer` contains every address of `inner`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return outer.family === inner.family && outer.first <= inner.first && inner.last <= outer.last;
}

/**
 * The clouds' IPv4 fields: a dotted-quad `a.b.c.d/n` (surrounding spaces ignored) as the block that contains it, so
 * `10.0.0.1/16` parses as 10.0.0.0/16 (`text` is the network, normalised); `hasHostBits` says whether it was
 * written that way. Undefined when it is not an IPv4 CIDR (no prefix, an octet above 255 or with a leading zero, /33).
 */
export function parseIpv4Block(input: string): Cidr | undefined {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(input.trim());
  const value = m ? parseIpv4(m[1]!) : undefined;
  const prefix = Number(m?.[2]);
  if (value === undefined || prefix > 32) return undefined;
  const size = 1n << BigInt(32 - prefix);
  const first = value - (value % size);
  return { family: 4, prefix, first, last: first + size - 1n, text: `${formatAddress(4, first)}/${prefix}` };
}

/** Whether an IPv4 CIDR text has host bits set (`10.0.0.1/16`): GKE, AKS, EKS and most APIs refuse such blocks. */
export function hasHostBits(text: string): boolean {
  const block = parseIpv4Block(text);
  return block !== undefined && parseIpv4(text.trim().split('/')[0]!) !== block.first;
}

const privateRanges = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((t) => parseIpv4Block(t)!);

/** Whether the block lies inside one of the RFC 1918 private IPv4 ranges. */
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

/** Whether the IPv4 address `ip` (from `parseIpv4`) lies inside the IPv4 block `c`. */
export function cidrHasAddress(c: Cidr, ip: bigint): boolean {
  return c.family === 4 && ip >= c.first && ip <= c.last;
}

/** The address `offset` places into the block (`10.96.0.0/12`, 10 → `10.96.0.10`); undefined past its end. */
export function addressAt(cidr: Cidr, offset: number): string | undefined {
  const value = cidr.first + BigInt(offset);
  return value > cidr.last ? undefined : formatAddress(cidr.family, value);
}

/** Parses a dotted IPv4 address into an integer; undefined when malformed (no spaces, no leading zeros). */
export function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || (p.length > 1 && p.startsWith('0'))) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

/** Parses an IPv6 address (with `::`, optionally an embedded IPv4 tail) into an integer; undefined when malformed. */
export function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (v4 === undefined) return undefined;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(parseInt(p, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return all.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** Formats an address integer (IPv6 compressed as RFC 5952 does: the longest run of zero groups becomes `::`). */
export function formatAddress(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((s) => Number((value >> s) & 0xffffn));
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}
