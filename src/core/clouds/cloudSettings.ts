// Settings of the Clouds view, read as plain values (the host and CLI pass them in) and checked here.
import type { CloudKind, CloudProvider } from './cloudProvider';

export const allClouds: readonly CloudKind[] = ['eks', 'gke', 'aks'];

/** `clusterdeck.clouds.enabled`: a list of cloud ids; unknown entries dropped, duplicates removed, default all. */
export function parseEnabledClouds(value: unknown): CloudKind[] {
  if (!Array.isArray(value)) return [...allClouds];
  const out: CloudKind[] = [];
  for (const v of value) {
    const c = typeof v === 'string' ? v.trim().toLowerCase() : '';
    if ((allClouds as readonly string[]).includes(c) && !out.includes(c as CloudKind)) out.push(c as CloudKind);
  }
  return out;
}

/** A list setting of plain strings (regions, profiles, projects): trimmed, non-empty, unique. */
export function parseStringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return [
    ...new Set(
      value
        .filter((v): v is string => typeof v === 'string')
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
}

/**
 * Where features get providers from (implemented by node/clouds/cloudRegistry.ts). `provider` throws
 * ClusterDeckError `untrusted` in Restricted Mode and `invalid` for a disabled or absent cloud.
 */
export interface CloudProviderSource {
  enabledClouds(): CloudKind[];
  /** Enabled clouds with a provider in this build. */
  availableClouds(): CloudKind[];
  provider(cloud: CloudKind): Promise<CloudProvider>;
  /** Drops the cached provider of a cloud (or all). */
  forget(cloud?: CloudKind): void;
}

/**
 * The regions setting for one AWS profile: `["eu-west-1", …]` applies to every profile; `{ "prod": [...], "*": [...] }`
 * picks the profile's list, else `"*"`. Undefined (the provider's default: every standard region) when none applies.
 */
export function awsRegionsFor(setting: unknown, profile: string): readonly string[] | undefined {
  const list =
    setting && typeof setting === 'object' && !Array.isArray(setting)
      ? parseStringList((setting as Record<string, unknown>)[profile] ?? (setting as Record<string, unknown>)['*'])
      : parseStringList(setting);
  return list.length ? list : undefined;
}
