// The CLI's Azure credential, always explicit: a service principal's client secret from the environment, or else
// an interactive device-code sign-in whose prompt goes to stderr (stdout carries the ExecCredential). Never
// DefaultAzureCredential: no managed-identity probe of the metadata address, no az CLI, no surprise account.
import { ClientSecretCredential, DeviceCodeCredential, type TokenCredential } from '@azure/identity';
import { ClusterDeckError } from '../../../core/errors';

export type AzureCredentialKind = 'clientSecret' | 'deviceCode';

export interface ExplicitAzureCredential {
  readonly kind: AzureCredentialKind;
  readonly credential: TokenCredential;
}

/**
 * `AZURE_TENANT_ID` + `AZURE_CLIENT_ID` + `AZURE_CLIENT_SECRET` (all three) → ClientSecretCredential against
 * `AZURE_AUTHORITY_HOST` (default login.microsoftonline.com; sovereign clouds set theirs), with instance discovery
 * off (the authority is taken as configured). Otherwise a DeviceCodeCredential (tenant `AZURE_TENANT_ID` or
 * "organizations", client `AZURE_CLIENT_ID` or the library's default, instance discovery off as well) that shows
 * its prompt through `prompt`. The device-code sign-in is not cached across runs (no persistence plugin).
 * Throws 'badConfig' when only some of the three variables are set.
 */
export function createExplicitAzureCredential(
  env: Readonly<Record<string, string | undefined>>,
  prompt: (message: string) => void,
): ExplicitAzureCredential {
  const tenantId = env.AZURE_TENANT_ID || undefined;
  const clientId = env.AZURE_CLIENT_ID || undefined;
  const secret = env.AZURE_CLIENT_SECRET || undefined;
  const authorityHost = env.AZURE_AUTHORITY_HOST || undefined;
  if (tenantId && clientId && secret) {
    return {
      kind: 'clientSecret',
      credential: new ClientSecretCredential(tenantId, clientId, secret, {
        ...(authorityHost ? { authorityHost } : {}),
        disableInstanceDiscovery: true,
      }),
    };
  }
  if (secret) {
    throw new ClusterDeckError(
      'badConfig',
      'AZURE_CLIENT_SECRET is set but AZURE_TENANT_ID or AZURE_CLIENT_ID is missing; set all three or none.',
    );
  }
  return {
    kind: 'deviceCode',
    credential: new DeviceCodeCredential({
      tenantId: tenantId ?? 'organizations',
      ...(clientId ? { clientId } : {}),
      ...(authorityHost ? { authorityHost } : {}),
      disableInstanceDiscovery: true,
      userPromptCallback: (info) => prompt(info.message),
    }),
  };
}
