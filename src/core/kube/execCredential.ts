import { ClusterDeckError } from '../errors';
import { redactSecrets } from '../redact';

/** What an exec credential plugin returned (`ExecCredential.status`). Holds secrets: never log, never show. */
export interface ExecCredential {
  readonly token?: string;
  /** PEM, as the plugin printed it. */
  readonly clientCertificateData?: string;
  readonly clientKeyData?: string;
  /** Epoch milliseconds of `expirationTimestamp`; absent: valid until a 401 says otherwise. */
  readonly expiresAtMs?: number;
  /**
   * How far the local clock runs behind the token's issuer, in ms, when the token says so (a JWT whose `iat` or
   * `nbf` lies in our future); expiry is then counted that much earlier (reliability B50). Absent: no skew seen.
   */
  readonly clockSkewMs?: number;
}

/** A past `expirationTimestamp` within this of now may be a skewed clock: used once, never cached (B25, B50). */
export const expiredToleranceMs = 15 * 60_000;

/** An interactive prompt seen on a plugin's stderr (device-code login): shown to the user at once. */
export interface ExecPrompt {
  /** The line, secrets redacted. */
  readonly text: string;
  /** The https URL the line names, if any. */
  readonly url?: string;
  /** A device code such as `ABCD-EFGH`, if any. */
  readonly code?: string;
}

const promptPatterns = [
  /to sign in, use a web browser/i,
  /open the following url/i,
  /\benter (?:the )?code\b/i,
  /devicelogin|device\/login|\/device\b/i,
  /please (?:visit|open|go to)\b/i,
  /please enter (?:username|password)/i,
  /\bverification (?:url|uri|code)\b/i,
];

/** Whether a stderr line asks the user to do something (and what URL / code it names). */
export function detectExecPrompt(line: string): ExecPrompt | undefined {
  if (!promptPatterns.some((p) => p.test(line))) return undefined;
  const url = /https:\/\/[^\s"'<>]+/.exec(line)?.[0]?.replace(/[.,;)]+$/, '');
  const code =
    /\b(?:code|enter)\s+(?:is\s+)?[:"']?\s*([A-Z0-9]{4,}(?:-[A-Z0-9]{4,})?)\b/.exec(line)?.[1] ??
    /\b([A-Z0-9]{4}-[A-Z0-9]{4})\b/.exec(line)?.[1];
  return { text: redactSecrets(line.trim()).slice(0, 500), ...(url ? { url } : {}), ...(code ? { code } : {}) };
}

/**
 * Parses a plugin's stdout as an ExecCredential (client.authentication.k8s.io v1 / v1beta1). Throws a
 * ClusterDeckError (`badConfig`) naming the plugin when it is not JSON, not an ExecCredential, of another
 * apiVersion than the kubeconfig asked for, or carries neither a token nor a certificate and key.
 */
export function parseExecCredential(
  stdout: string,
  plugin: { readonly command: string; readonly userName?: string },
  expectedApiVersion: string | undefined,
  now: number,
): ExecCredential {
  const fail = (why: string): ClusterDeckError =>
    new ClusterDeckError('badConfig', `The credential plugin ${describePlugin(plugin)} printed no valid ExecCredential: ${why}.`, {
      binary: plugin.command,
    });
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    throw fail(stdout.trim() === '' ? 'its output was empty' : 'its output is not JSON');
  }
  if (typeof doc !== 'object' || doc === null) throw fail('its output is not a JSON object');
  const { kind, apiVersion, status } = doc as { kind?: unknown; apiVersion?: unknown; status?: unknown };
  if (kind !== 'ExecCredential') throw fail(`kind is ${JSON.stringify(kind ?? null)}, not "ExecCredential"`);
  if (expectedApiVersion && apiVersion !== expectedApiVersion)
    throw fail(`apiVersion is ${JSON.stringify(apiVersion ?? null)}, the kubeconfig asks for "${expectedApiVersion}"`);
  if (typeof status !== 'object' || status === null) throw fail('it has no status');
  const s = status as Record<string, unknown>;
  const str = (k: string): string | undefined => (typeof s[k] === 'string' && s[k] !== '' ? s[k] : undefined);
  const token = str('token');
  const cert = str('clientCertificateData');
  const key = str('clientKeyData');
  if (!token && !(cert && key)) throw fail('status has neither a token nor a client certificate and key');
  let expiresAtMs: number | undefined;
  const expiration = str('expirationTimestamp');
  if (expiration) {
    expiresAtMs = Date.parse(expiration);
    if (!Number.isFinite(expiresAtMs)) throw fail('status.expirationTimestamp is not a time');
  }
  const clockSkewMs = token ? clockSkewOfToken(token, now) : undefined;
  // Expired long ago (beyond any plausible clock skew): say so. Expired a little: maybe our clock runs ahead of the
  // issuer's, so it is tried once, never cached; a 401 then runs the plugin again (B25, B50).
  if (expiresAtMs !== undefined && expiresAtMs - (clockSkewMs ?? 0) <= now - expiredToleranceMs)
    throw fail('the credential it printed has already expired');
  return {
    ...(token ? { token } : {}),
    ...(cert && key ? { clientCertificateData: cert, clientKeyData: key } : {}),
    ...(expiresAtMs !== undefined ? { expiresAtMs } : {}),
    ...(clockSkewMs ? { clockSkewMs } : {}),
  };
}

/**
 * How far our clock runs behind the issuer of a JWT bearer token (Entra ID via kubelogin, OIDC): its `iat` / `nbf`
 * (issuer time, seconds) lies more than a minute in our future. Only this direction can be told from a token (an
 * earlier `iat` may just be a cached token); undefined when the token is no JWT or shows no skew. Reads two claims of
 * the payload; the token itself goes nowhere.
 */
export function clockSkewOfToken(token: string, now: number): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(decodeBase64Url(parts[1]));
  } catch {
    return undefined;
  }
  if (typeof claims !== 'object' || claims === null) return undefined;
  const { iat, nbf } = claims as { iat?: unknown; nbf?: unknown };
  const issued = Math.max(...[iat, nbf].map((v) => (typeof v === 'number' && Number.isFinite(v) ? v * 1000 : -Infinity)));
  const ahead = issued - now;
  return Number.isFinite(ahead) && ahead > 60_000 ? Math.round(ahead) : undefined;
}

function decodeBase64Url(s: string): string {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(bytes, (c) => c.charCodeAt(0)));
}

/** `"aws" of user "eks-admin"`: how messages name a plugin (the command's file name, and the kubeconfig user). */
export function describePlugin(plugin: { readonly command: string; readonly userName?: string }): string {
  const name = plugin.command.split(/[\\/]/).pop() ?? plugin.command;
  return `"${name}"${plugin.userName ? ` of user "${plugin.userName}"` : ''}`;
}

/** How long a credential without `expirationTimestamp` is reused. */
export const noExpiryLifetimeMs = 10 * 60_000;

/**
 * Whether a cached credential should be fetched again now: within `marginMs` of its expiry (default 60 s, or a
 * quarter of a shorter lifetime counted from `obtainedAtMs`). The expiry counts `clockSkewMs` earlier (our clock
 * runs behind the issuer's); one already past when obtained is never reused (B25).
 */
export function isCredentialStale(credential: ExecCredential, obtainedAtMs: number, now: number, marginMs = 60_000): boolean {
  // No expirationTimestamp: reused for at most 10 minutes (reliability B25), as kubectl's cache should have been.
  if (credential.expiresAtMs === undefined) return now - obtainedAtMs >= noExpiryLifetimeMs;
  const expiresAt = credential.expiresAtMs - (credential.clockSkewMs ?? 0);
  const lifetime = expiresAt - obtainedAtMs;
  if (lifetime <= 0) return true;
  const margin = Math.min(marginMs, lifetime / 4);
  return now >= expiresAt - margin;
}
