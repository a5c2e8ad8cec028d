// EKS status words and versions as the Clouds view shows them. Pure.
import type { CloudHealth } from '../cloudProvider';

/**
 * Health from an EKS cluster, node group or add-on status (ACTIVE, CREATING, UPDATING, DELETING, PENDING,
 * FAILED, CREATE_FAILED, DELETE_FAILED, UPDATE_FAILED, DEGRADED). Unknown words are 'unknown'.
 */
export function eksHealth(status: string | undefined): CloudHealth {
  switch (status) {
    case 'ACTIVE':
      return 'ok';
    case 'CREATING':
    case 'UPDATING':
    case 'DELETING':
    case 'PENDING':
      return 'progressing';
    case 'FAILED':
    case 'CREATE_FAILED':
    case 'DELETE_FAILED':
    case 'UPDATE_FAILED':
    case 'DEGRADED':
      return 'failed';
    default:
      return 'unknown';
  }
}

/** "1.33" → "1.34"; undefined for anything that is not `major.minor`. */
export function nextMinorVersion(version: string): string | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(version.trim());
  if (!m) return undefined;
  return `${m[1]}.${Number(m[2]) + 1}`;
}

/**
 * The versions an EKS control plane at `current` can move to, newest first: EKS upgrades one minor version
 * at a time, so this is the next minor when the region offers it, else nothing.
 */
export function eksUpgradeTargets(current: string, offered: readonly string[]): string[] {
  const next = nextMinorVersion(current);
  return next !== undefined && offered.includes(next) ? [next] : [];
}

/** Checks a scale request before it is sent; returns a one-sentence problem or undefined. */
export function checkNodePoolScale(scale: { min?: number; max?: number; desired?: number }): string | undefined {
  for (const [name, value] of Object.entries(scale)) {
    if (value !== undefined && (!Number.isInteger(value) || value < 0))
      return `The ${name} size must be a whole number of 0 or more (got ${String(value)}).`;
  }
  if (scale.min === undefined && scale.max === undefined && scale.desired === undefined)
    return 'Give at least one of min, desired and max.';
  if (scale.max !== undefined && scale.max < 1) return 'EKS needs a max size of at least 1.';
  if (scale.min !== undefined && scale.max !== undefined && scale.min > scale.max)
    return `The min size (${scale.min}) is above the max size (${scale.max}).`;
  if (scale.desired !== undefined && scale.min !== undefined && scale.desired < scale.min)
    return `The desired size (${scale.desired}) is below the min size (${scale.min}).`;
  if (scale.desired !== undefined && scale.max !== undefined && scale.desired > scale.max)
    return `The desired size (${scale.desired}) is above the max size (${scale.max}).`;
  return undefined;
}
