// `user@host[:port]` as the SSH commands take it. Pure.
import { isDnsName, isIpAddress } from './kubeadmSpec';

/** Where to connect: a user, a host name or address, a port. */
export interface SshTarget {
  readonly user: string;
  readonly host: string;
  readonly port: number;
}

/** Parses `user@host`, `user@host:2222`, `user@[fd00::1]:2222`; the message says what is wrong. */
export function parseSshTarget(text: string): { ok: true; target: SshTarget } | { ok: false; message: string } {
  const m = /^([a-z_][a-z0-9_.-]{0,31})@(\[[^\]]+\]|[^:@[\]\s]+)(?::(\d{1,5}))?$/i.exec(text.trim());
  if (!m) return { ok: false, message: 'Enter user@host or user@host:port (user@[IPv6]:port).' };
  const host = m[2]!.startsWith('[') ? m[2]!.slice(1, -1) : m[2]!;
  if (!isIpAddress(host) && !isDnsName(host)) return { ok: false, message: `"${host}" is neither a host name nor an IP address.` };
  const port = m[3] ? Number(m[3]) : 22;
  if (port < 1 || port > 65535) return { ok: false, message: `Port ${port} is out of range (1–65535).` };
  return { ok: true, target: { user: m[1]!, host, port } };
}

/** `user@host:port` for messages and log lines (IPv6 hosts in brackets). */
export function formatSshTarget(t: SshTarget): string {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  return `${t.user}@${host}${t.port === 22 ? '' : `:${t.port}`}`;
}
