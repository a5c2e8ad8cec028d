import * as vscode from 'vscode';
import { ClusterDeckError } from '../../core/errors';
import { jwtExpiryMs, microsoftSessionScopes, type AccessTokenCredential } from '../../core/clouds/accessTokenCredential';

export interface VscodeAzureCredentialOptions {
  /** Setting clusterdeck.azure.tenant ('' or undefined = the account's home tenant). */
  readonly tenant: () => string | undefined;
  /** Setting clusterdeck.azure.resourceManagerEndpoint (sovereign clouds); default https://management.azure.com. */
  readonly resourceManagerEndpoint: () => string | undefined;
  /**
   * Setting clusterdeck.azure.authorityHost: another authority than the public cloud's (login.microsoftonline.com)
   * signs in through VS Code's `microsoft-sovereign-cloud` provider (set up by its `microsoft-sovereign-cloud.*`
   * settings) instead of `microsoft`.
   */
  readonly authorityHost?: () => string | undefined;
}

/** The VS Code authentication provider for an authority host: the public cloud's, or the sovereign-cloud one. */
export function microsoftAuthProvider(authorityHost: string | undefined): 'microsoft' | 'microsoft-sovereign-cloud' {
  if (!authorityHost) return 'microsoft';
  try {
    return new URL(authorityHost).hostname.toLowerCase() === 'login.microsoftonline.com' ? 'microsoft' : 'microsoft-sovereign-cloud';
  } catch {
    return 'microsoft';
  }
}

/** An Azure TokenCredential over VS Code's Microsoft sign-in, plus the interactive sign-in of the Clouds view. */
export interface VscodeAzureCredential extends AccessTokenCredential {
  /** Prompts to sign in when needed (createIfNone); returns the account label. */
  signIn(): Promise<string>;
  /** Stops using the session until the next signIn (VS Code keeps the account: remove it from the Accounts menu). */
  signOut(): void;
}

/**
 * Adapts `vscode.authentication.getSession('microsoft' | 'microsoft-sovereign-cloud', scopes, …)` to a TokenCredential. Background calls (tree
 * listings) never prompt: without a session they throw `unauthorized` naming the Sign in step. The token is never
 * logged; its expiry comes from the JWT's `exp` (5 minutes when unreadable, so it is asked again soon).
 */
export function createVscodeAzureCredential(options: VscodeAzureCredentialOptions): VscodeAzureCredential {
  let signedOut = false;
  const managementScope = () => `${(options.resourceManagerEndpoint() || 'https://management.azure.com').replace(/\/+$/, '')}/.default`;
  const scopesFor = (scopes: string | string[], tenantId?: string) => microsoftSessionScopes(scopes, tenantId ?? options.tenant());
  const provider = () => microsoftAuthProvider(options.authorityHost?.());
  return {
    async getToken(scopes, opts) {
      if (signedOut) throw notSignedIn();
      // Silent: a background listing never opens a sign-in prompt.
      const s = await vscode.authentication.getSession(provider(), scopesFor(scopes, opts?.tenantId), { silent: true });
      if (!s) throw notSignedIn();
      return { token: s.accessToken, expiresOnTimestamp: jwtExpiryMs(s.accessToken) ?? Date.now() + 5 * 60_000, tokenType: 'Bearer' };
    },
    async signIn() {
      const s = await vscode.authentication.getSession(provider(), scopesFor([managementScope()]), { createIfNone: true });
      signedOut = false;
      return s.account.label;
    },
    signOut() {
      signedOut = true;
    },
  };
}

function notSignedIn(): ClusterDeckError {
  return new ClusterDeckError('unauthorized', 'You are not signed in to Azure; use "Sign in to Azure" in the Clouds view.');
}
