// The minimal shape of an Azure `TokenCredential` (@azure/core-auth), so host/ can hand VS Code's Microsoft sign-in
// to the AKS provider without importing any @azure package.

/** An access token with its expiry (ms since epoch), as @azure/core-auth's AccessToken. */
export interface AccessTokenLike {
  readonly token: string;
  readonly expiresOnTimestamp: number;
  readonly tokenType?: 'Bearer';
}

/** Structurally compatible with @azure/core-auth's TokenCredential. */
export interface AccessTokenCredential {
  getToken(scopes: string | string[], options?: { abortSignal?: AbortSignal; tenantId?: string }): Promise<AccessTokenLike | null>;
}

/** The `exp` claim of a JWT in ms, or undefined when the token is not a readable JWT (never throws, never logs it). */
export function jwtExpiryMs(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = JSON.parse(decodeBase64Url(payload)) as { exp?: unknown };
    return typeof json.exp === 'number' && Number.isFinite(json.exp) ? json.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function decodeBase64Url(s: string): string {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

/**
 * The scopes VS Code's Microsoft authentication provider takes for a resource: `<resource>/.default` plus the
 * tenant pseudo-scope when one is chosen (setting clusterdeck.azure.tenant).
 */
export function microsoftSessionScopes(scopes: string | readonly string[], tenant: string | undefined): string[] {
  const list = (typeof scopes === 'string' ? [scopes] : [...scopes]).filter(Boolean);
  const t = tenant?.trim();
  return t ? [...list, `VSCODE_TENANT:${t}`] : list;
}
