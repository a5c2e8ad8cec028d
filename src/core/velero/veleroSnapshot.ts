// Everything the Backups view shows of one cluster, read through the KubeClient port in one go.
import { CancelledError, ClusterDeckError, isCancellation } from '../errors';
import type { KubeClient } from '../kube/kubeClient';
import { listAllObjects } from '../kube/listAllPages';
import type { ResourceKind } from '../kube/resourceKinds';
import { crdKind, deploymentKind, veleroKinds } from './veleroKinds';
import {
  toBackupSummary,
  toRestoreSummary,
  toScheduleSummary,
  toSnapshotLocationSummary,
  toStorageLocationSummary,
  type BackupSummary,
  type RestoreSummary,
  type ScheduleSummary,
  type SnapshotLocationSummary,
  type StorageLocationSummary,
} from './veleroModel';

/** Whether Velero is usable on a cluster, and why not. */
export type VeleroInstall =
  | {
      readonly state: 'installed';
      readonly namespace: string;
      readonly version?: string;
      readonly ready: string;
      /** Where the version comes from: the server's own answer (a ServerStatusRequest) or its image tag. */
      readonly versionSource?: 'server' | 'image';
      /** The server's plugins (name, kind), from the ServerStatusRequest; absent when it did not answer. */
      readonly plugins?: readonly VeleroPlugin[];
    }
  /** The velero.io CRDs are missing: Velero is not installed (an empty state, not an error). */
  | { readonly state: 'notInstalled'; readonly namespace: string }
  /** CRDs are there but the server is missing or not ready in the namespace, or the CRDs are too old. */
  | { readonly state: 'degraded'; readonly namespace: string; readonly version?: string; readonly problem: string };

export interface VeleroSnapshot {
  readonly install: VeleroInstall;
  readonly backups: readonly BackupSummary[];
  readonly restores: readonly RestoreSummary[];
  readonly schedules: readonly ScheduleSummary[];
  readonly storageLocations: readonly StorageLocationSummary[];
  readonly snapshotLocations: readonly SnapshotLocationSummary[];
  /** The resourceVersion of each list, where live watches start (absent: they list first). */
  readonly resourceVersions?: Readonly<Partial<Record<'backups' | 'restores' | 'schedules' | 'storageLocations', string>>>;
}

/** One plugin the Velero server runs (`velero.io/aws`, `ObjectStore`). */
export interface VeleroPlugin {
  readonly name: string;
  readonly kind: string;
}

/** What a ServerStatusRequest says. */
export interface VeleroServerStatus {
  readonly serverVersion: string;
  readonly plugins: readonly VeleroPlugin[];
}

type Obj = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const rec = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** Velero's version from the server image tag (`velero/velero:v1.18.1` → `v1.18.1`). */
export function versionFromImage(image: string | undefined): string | undefined {
  const tag = /:(v?\d+\.\d+(?:\.\d+)?[^@]*)(?:@.*)?$/.exec(image ?? '')?.[1];
  return tag ? (tag.startsWith('v') ? tag : `v${tag}`) : undefined;
}

/** `[major, minor]` of a version, or undefined. */
export function versionParts(version: string | undefined): [number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

async function isNotFound<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ClusterDeckError && e.reason === 'notFound') return undefined;
    throw e;
  }
}

const statusCache = new WeakMap<KubeClient, Map<string, { readonly atMs: number; readonly status: VeleroServerStatus | undefined }>>();
/** How long a server's answer is reused for the same client and namespace (the view refreshes often). */
const statusCacheMs = 5 * 60_000;

/**
 * Asks the Velero server its version and plugins as `velero version` does (velero.md §1, catalogue B77): creates a
 * ServerStatusRequest (`generateName: clusterdeck-`), polls it until Velero's controller sets `Processed`
 * (`timeoutMs`, default 3 s), reads `status.serverVersion` and `status.plugins`, and deletes it. Undefined when the
 * server does not answer in time or the request is refused (RBAC): the caller falls back to the image tag. Answers
 * are reused for five minutes per client and namespace. Throws only CancelledError.
 */
export async function queryServerStatus(
  client: KubeClient,
  namespace: string,
  signal: AbortSignal,
  options: { readonly timeoutMs?: number; readonly pollMs?: number } = {},
): Promise<VeleroServerStatus | undefined> {
  const cached = statusCache.get(client)?.get(namespace);
  if (cached && Date.now() - cached.atMs < statusCacheMs) return cached.status;
  const remember = (status: VeleroServerStatus | undefined): VeleroServerStatus | undefined => {
    const byNs = statusCache.get(client) ?? new Map<string, { atMs: number; status: VeleroServerStatus | undefined }>();
    byNs.set(namespace, { atMs: Date.now(), status });
    statusCache.set(client, byNs);
    return status;
  };
  let name = '';
  let uid = '';
  try {
    const created = await client.createObject(
      veleroKinds.serverStatusRequest,
      namespace,
      { apiVersion: 'velero.io/v1', kind: 'ServerStatusRequest', metadata: { generateName: 'clusterdeck-', namespace }, spec: {} },
      { signal },
    );
    name = str(rec(created.metadata).name);
    uid = str(rec(created.metadata).uid);
    const deadline = Date.now() + (options.timeoutMs ?? 3000);
    for (;;) {
      const status = rec((await client.getObject(veleroKinds.serverStatusRequest, namespace, name, { signal })).status);
      if (status.phase === 'Processed' && typeof status.serverVersion === 'string' && status.serverVersion)
        return remember({
          serverVersion: status.serverVersion,
          plugins: (Array.isArray(status.plugins) ? status.plugins.map(rec) : [])
            .map((p) => ({ name: str(p.name), kind: str(p.kind) }))
            .filter((p) => p.name),
        });
      if (Date.now() >= deadline) return remember(undefined);
      await new Promise((resolve) => setTimeout(resolve, Math.min(options.pollMs ?? 250, Math.max(1, deadline - Date.now()))));
      if (signal.aborted) throw new CancelledError();
    }
  } catch (e) {
    if (isCancellation(e) || signal.aborted) throw new CancelledError();
    return remember(undefined);
  } finally {
    // Velero deletes processed requests after a minute; ours go at once.
    if (name)
      await client
        .deleteObject(veleroKinds.serverStatusRequest, namespace, name, { signal: new AbortController().signal, uid })
        .catch(() => undefined);
  }
}

/**
 * How detection learns the server version: `askServer: false` (a read-only context: ClusterDeck creates nothing
 * there, not even a ServerStatusRequest) reads the image tag only.
 */
export interface VersionOptions {
  readonly askServer?: boolean;
  readonly timeoutMs?: number;
  readonly pollMs?: number;
}

/** Detects the Velero install in `namespace`: CRDs (served velero.io/v1), server Deployment health, version. */
export async function detectVelero(
  client: KubeClient,
  namespace: string,
  signal: AbortSignal,
  options: VersionOptions = {},
): Promise<VeleroInstall> {
  const crd = await isNotFound(client.getObject(crdKind, undefined, 'backups.velero.io', { signal }));
  if (!crd) return { state: 'notInstalled', namespace };
  const versions = Array.isArray(rec(crd.spec).versions) ? (rec(crd.spec).versions as unknown[]).map(rec) : [];
  const servesV1 = versions.some((v) => v.name === 'v1' && v.served !== false);
  if (!servesV1) {
    const served = versions.map((v) => String(v.name)).join(', ') || 'none';
    return {
      state: 'degraded',
      namespace,
      problem: `The Velero CRDs are from an older Velero (backups.velero.io serves ${served}, not v1). Upgrade Velero to 1.x.`,
    };
  }
  const deployment = await isNotFound(client.getObject(deploymentKind, namespace, 'velero', { signal }));
  if (!deployment)
    return {
      state: 'degraded',
      namespace,
      problem: `The Velero CRDs are installed but there is no "velero" Deployment in namespace "${namespace}" (setting clusterdeck.velero.namespace).`,
    };
  const containers = rec(rec(rec(deployment.spec).template).spec).containers;
  const image = Array.isArray(containers) ? (containers.map(rec).find((c) => c.name === 'velero') ?? rec(containers[0])).image : undefined;
  const status = rec(deployment.status);
  const want = Number(rec(deployment.spec).replicas ?? 1);
  const ready = Number(status.readyReplicas ?? 0);
  // B77: the running server says its own version (a custom build, a `latest` or digest-pinned image says nothing
  // true in its tag); the image tag is the fallback when it does not answer.
  const server = ready >= 1 && options.askServer !== false ? await queryServerStatus(client, namespace, signal, options) : undefined;
  const version = server?.serverVersion ?? versionFromImage(typeof image === 'string' ? image : undefined);
  const source = server
    ? { versionSource: 'server' as const, plugins: server.plugins }
    : version
      ? { versionSource: 'image' as const }
      : {};
  const parts = versionParts(version);
  if (parts && (parts[0] < 1 || (parts[0] === 1 && parts[1] < 5)))
    return {
      state: 'degraded',
      namespace,
      ...(version ? { version } : {}),
      problem: `Velero ${version} is older than 1.5; ClusterDeck needs 1.5 or newer. Upgrade Velero.`,
    };
  if (want > 0 && ready < 1)
    return {
      state: 'degraded',
      namespace,
      ...(version ? { version } : {}),
      problem: `The Velero server in "${namespace}" is not ready (0/${want} replicas): backups and restores wait until it runs.`,
    };
  return { state: 'installed', namespace, ...(version ? { version } : {}), ready: `${ready}/${want}`, ...source };
}

/** Every object of a kind in the namespace, page by page (bounded to 5,000). */
export async function listAll(client: KubeClient, kind: ResourceKind, namespace: string, signal: AbortSignal): Promise<Obj[]> {
  return (await listAllVersioned(client, kind, namespace, signal)).items;
}

/** As listAll, with the list's resourceVersion (from the first page: a watch from there misses nothing). */
export async function listAllVersioned(
  client: KubeClient,
  kind: ResourceKind,
  namespace: string,
  signal: AbortSignal,
): Promise<{ items: Obj[]; resourceVersion?: string }> {
  const { items, resourceVersion } = await listAllObjects(client, kind, namespace, { signal, maxItems: 5000 });
  return { items, ...(resourceVersion ? { resourceVersion } : {}) };
}

const byNewest = <T extends { createdAt?: string; name: string }>(a: T, b: T): number =>
  (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || a.name.localeCompare(b.name);

/** Loads the install state and, when the CRDs are there, all five kinds of the Velero namespace. */
export async function loadVeleroSnapshot(
  client: KubeClient,
  namespace: string,
  signal: AbortSignal,
  options: VersionOptions = {},
): Promise<VeleroSnapshot> {
  const install = await detectVelero(client, namespace, signal, options);
  if (install.state === 'notInstalled' || (install.state === 'degraded' && install.problem.includes('older Velero')))
    return { install, backups: [], restores: [], schedules: [], storageLocations: [], snapshotLocations: [] };
  const [backups, restores, schedules, bsls, vsls] = await Promise.all([
    listAllVersioned(client, veleroKinds.backup, namespace, signal),
    listAllVersioned(client, veleroKinds.restore, namespace, signal),
    listAllVersioned(client, veleroKinds.schedule, namespace, signal),
    listAllVersioned(client, veleroKinds.backupStorageLocation, namespace, signal),
    listAll(client, veleroKinds.volumeSnapshotLocation, namespace, signal),
  ]);
  const versions = Object.entries({
    backups: backups.resourceVersion,
    restores: restores.resourceVersion,
    schedules: schedules.resourceVersion,
    storageLocations: bsls.resourceVersion,
  }).filter((e): e is [string, string] => e[1] !== undefined);
  return {
    install,
    backups: backups.items.map(toBackupSummary).sort(byNewest),
    restores: restores.items.map(toRestoreSummary).sort(byNewest),
    schedules: schedules.items.map(toScheduleSummary).sort((a, b) => a.name.localeCompare(b.name)),
    storageLocations: bsls.items.map(toStorageLocationSummary).sort((a, b) => a.name.localeCompare(b.name)),
    snapshotLocations: vsls.map(toSnapshotLocationSummary).sort((a, b) => a.name.localeCompare(b.name)),
    resourceVersions: Object.fromEntries(versions),
  };
}
