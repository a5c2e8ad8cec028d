// CIDR blocks (IPv4 and IPv6) as integer ranges: parsing with a reason, overlap and containment. Pure.

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

/** The address `offset` places into the block (`10.96.0.0/12`, 10 → `10.96.0.10`); undefined past its end. */
export function addressAt(cidr: Cidr, offset: number): string | undefined {
  const value = cidr.first + BigInt(offset);
  return value > cidr.last ? undefined : formatAddress(cidr.family, value);
}

/** Parses a dotted IPv4 address into an integer; undefined when malformed. */
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
