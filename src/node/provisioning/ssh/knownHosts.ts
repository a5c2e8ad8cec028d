// OpenSSH known_hosts: lookup (plain and hashed `|1|salt|hash` entries, patterns with * and ?, negation,
// `[host]:port` for non-22 ports, @revoked), SHA256 fingerprints as `ssh-keygen -l` prints them, and appending a
// newly trusted key as a hashed line.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** `SHA256:<base64 without padding>` of the key blob, as `ssh-keygen -lf` and OpenSSH's prompts print it. */
export function fingerprintSha256(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type inside an SSH public key blob (its first string: `ssh-ed25519`, `ecdsa-sha2-nistp256`, …). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return '';
  const len = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + len).toString('latin1');
}

/** How known_hosts names a host: `host` on port 22, else `[host]:port`. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export type HostKeyStatus =
  | { readonly kind: 'match' }
  /** Known with another key of the same type: refuse (a changed host key). `line` is 1-based. */
  | { readonly kind: 'mismatch'; readonly line: number; readonly knownFingerprint: string }
  /** Marked @revoked: refuse. */
  | { readonly kind: 'revoked'; readonly line: number }
  /** Not known (maybe with keys of other types: `otherTypes`). */
  | { readonly kind: 'unknown'; readonly otherTypes: readonly string[] };

interface Entry {
  readonly line: number;
  readonly marker: '' | '@revoked' | '@cert-authority';
  readonly hosts: string;
  readonly keyType: string;
  readonly key: Buffer;
}

function parseEntries(text: string): Entry[] {
  const out: Entry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const l = raw.trim();
    if (!l || l.startsWith('#')) return;
    const fields = l.split(/\s+/);
    let marker: Entry['marker'] = '';
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift() as Entry['marker'];
    const [hosts, keyType, b64] = fields;
    if (!hosts || !keyType || !b64) return;
    out.push({ line: i + 1, marker, hosts, keyType, key: Buffer.from(b64, 'base64') });
  });
  return out;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

/** Whether a known_hosts host field (comma list, hashed, patterns, negations) names `name`. */
function hostsMatch(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) {
    const [, , salt, hash] = hosts.split('|');
    if (!salt || !hash) return false;
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return digest === hash;
  }
  let matched = false;
  for (const pattern of hosts.split(',')) {
    if (pattern.startsWith('!')) {
      if (globToRegExp(pattern.slice(1)).test(name)) return false;
    } else if (globToRegExp(pattern).test(name)) matched = true;
  }
  return matched;
}

/**
 * Checks a server's key against known_hosts text as OpenSSH does: a revoked key refuses; a known key of the same
 * type that differs refuses (mismatch); the same key matches; otherwise unknown.
 */
export function checkHostKey(knownHosts: string, host: string, port: number, keyBlob: Buffer): HostKeyStatus {
  const name = knownHostsName(host, port);
  const type = keyTypeOf(keyBlob);
  const entries = parseEntries(knownHosts).filter((e) => e.marker !== '@cert-authority' && hostsMatch(e.hosts, name));
  const revoked = parseEntries(knownHosts).find((e) => e.marker === '@revoked' && e.key.equals(keyBlob));
  if (revoked) return { kind: 'revoked', line: revoked.line };
  if (entries.some((e) => e.marker === '' && e.key.equals(keyBlob))) return { kind: 'match' };
  const changed = entries.find((e) => e.marker === '' && e.keyType === type);
  if (changed) return { kind: 'mismatch', line: changed.line, knownFingerprint: fingerprintSha256(changed.key) };
  return { kind: 'unknown', otherTypes: [...new Set(entries.map((e) => e.keyType))] };
}

/** A hashed known_hosts line for the key (as `ssh-keygen -H` writes them), newline-terminated. */
export function hashedKnownHostsLine(host: string, port: number, keyBlob: Buffer, salt: Buffer = randomBytes(20)): string {
  const hash = createHmac('sha1', salt).update(knownHostsName(host, port)).digest('base64');
  return `|1|${salt.toString('base64')}|${hash} ${keyTypeOf(keyBlob)} ${keyBlob.toString('base64')}\n`;
}

/** known_hosts text, '' when the file does not exist. */
export async function readKnownHosts(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
}

/** Appends the key for host:port (hashed), creating the file (0600) and its directory (0700) when missing. */
export async function appendKnownHost(path: string, host: string, port: number, keyBlob: Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const existing = await readKnownHosts(path);
  const lead = existing && !existing.endsWith('\n') ? '\n' : '';
  await appendFile(path, lead + hashedKnownHostsLine(host, port, keyBlob), { mode: 0o600 });
}
