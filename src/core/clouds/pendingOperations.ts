// Cloud operations ClusterDeck is waiting for, kept across editor restarts: a scale, upgrade or delete started
// before the editor closed is followed again (and its end reported) when it opens.
import type { CloudCluster, CloudKind } from './cloudProvider';

/** One operation being followed; `id` is the provider's self-contained operation id (resumeOperation takes it). */
export interface PendingOperation {
  readonly cloud: CloudKind;
  readonly cluster: CloudCluster;
  readonly id: string;
  readonly description: string;
  /** The progress title shown while following it. */
  readonly title: string;
  readonly startedAtMs: number;
}

/** Operations older than this are not resumed (the cloud finished or dropped them long ago); default one day. */
export const pendingOperationMaxAgeMs = 24 * 60 * 60 * 1000;

/** Adds (or replaces, by cloud + id) an operation. */
export function withPending(list: readonly PendingOperation[], op: PendingOperation): PendingOperation[] {
  return [...list.filter((o) => !(o.cloud === op.cloud && o.id === op.id)), op];
}

/** Removes an operation by cloud + id. */
export function withoutPending(list: readonly PendingOperation[], cloud: CloudKind, id: string): PendingOperation[] {
  return list.filter((o) => !(o.cloud === cloud && o.id === id));
}

/** The stored list as read back (anything malformed is dropped), split into those to resume and those too old. */
export function pendingToResume(
  stored: unknown,
  nowMs: number,
  maxAgeMs = pendingOperationMaxAgeMs,
): { resume: PendingOperation[]; expired: PendingOperation[] } {
  const list = Array.isArray(stored) ? stored.filter(isPending) : [];
  return {
    resume: list.filter((o) => nowMs - o.startedAtMs <= maxAgeMs),
    expired: list.filter((o) => nowMs - o.startedAtMs > maxAgeMs),
  };
}

function isPending(v: unknown): v is PendingOperation {
  const o = v as Partial<PendingOperation> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    (o.cloud === 'eks' || o.cloud === 'gke' || o.cloud === 'aks') &&
    typeof o.id === 'string' &&
    typeof o.description === 'string' &&
    typeof o.title === 'string' &&
    typeof o.startedAtMs === 'number' &&
    typeof o.cluster === 'object' &&
    o.cluster !== null &&
    typeof o.cluster.name === 'string'
  );
}

/** Whether a pool runs another version than the control plane (a leading "v" ignored). */
export function poolBehind(poolVersion: string | undefined, clusterVersion: string): boolean {
  const norm = (v: string) => v.replace(/^v/, '');
  return poolVersion !== undefined && poolVersion !== '' && norm(poolVersion) !== norm(clusterVersion);
}
