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
}

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
    if (expiresAtMs <= now) throw fail('the credential it printed has already expired');
  }
  return {
    ...(token ? { token } : {}),
    ...(cert && key ? { clientCertificateData: cert, clientKeyData: key } : {}),
    ...(expiresAtMs !== undefined ? { expiresAtMs } : {}),
  };
}

/** `"aws" of user "eks-admin"`: how messages name a plugin (the command's file name, and the kubeconfig user). */
export function describePlugin(plugin: { readonly command: string; readonly userName?: string }): string {
  const name = plugin.command.split(/[\\/]/).pop() ?? plugin.command;
  return `"${name}"${plugin.userName ? ` of user "${plugin.userName}"` : ''}`;
}

/**
 * Whether a cached credential should be fetched again now: within `marginMs` of its expiry (default 60 s, or a
 * quarter of a shorter lifetime counted from `obtainedAtMs`).
 */
/** How long a credential without `expirationTimestamp` is reused. */
export const noExpiryLifetimeMs = 10 * 60_000;

export function isCredentialStale(credential: ExecCredential, obtainedAtMs: number, now: number, marginMs = 60_000): boolean {
  // No expirationTimestamp: reused for at most 10 minutes (reliability B25), as kubectl's cache should have been.
  if (credential.expiresAtMs === undefined) return now - obtainedAtMs >= noExpiryLifetimeMs;
  const lifetime = credential.expiresAtMs - obtainedAtMs;
  const margin = Math.min(marginMs, Math.max(0, lifetime / 4));
  return now >= credential.expiresAtMs - margin;
}
