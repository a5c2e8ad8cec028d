// Velero actions through the KubeClient port: create and follow a backup, request its deletion, fetch a log
// through a DownloadRequest. Download URLs are pre-signed (secrets): they never reach a log line or a message.
import { parseVeleroResults, type VeleroResults } from './describeVelero';
import { CancelledError, ClusterDeckError } from '../errors';
import type { KubeClient } from '../kube/kubeClient';
import { buildDeleteBackupRequest, buildDownloadRequest, labelValue, type DownloadTargetKind } from './veleroRequests';
import { veleroKinds } from './veleroKinds';
import { terminalPhases, toBackupSummary, toRestoreSummary, type BackupSummary, type RestoreSummary } from './veleroModel';

type Obj = Record<string, unknown>;
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const rec = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** Fetches a pre-signed download URL and returns the gunzipped text (implemented in node/). */
export type DownloadFetcher = (url: string, signal: AbortSignal) => Promise<string>;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CancelledError());
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Polls a Backup until a terminal phase (Completed, PartiallyFailed, Failed, FailedValidation), reporting each
 * change. Resolves with the last state; throws CancelledError on abort, `notFound` when it disappears.
 */
export async function followBackup(
  client: KubeClient,
  namespace: string,
  name: string,
  options: { readonly signal: AbortSignal; readonly pollMs?: number; readonly onUpdate?: (b: BackupSummary) => void },
): Promise<BackupSummary> {
  let lastKey = '';
  for (;;) {
    const b = toBackupSummary(await client.getObject(veleroKinds.backup, namespace, name, { signal: options.signal }));
    const key = `${b.phase}:${b.itemsBackedUp ?? ''}/${b.totalItems ?? ''}`;
    if (key !== lastKey) options.onUpdate?.(b);
    lastKey = key;
    if (terminalPhases.has(b.phase)) return b;
    await sleep(options.pollMs ?? 1000, options.signal);
  }
}

/** One sentence for a finished backup: how it ended, and why when it did not complete. */
export function backupOutcome(b: BackupSummary): { readonly severity: 'info' | 'warning' | 'error'; readonly message: string } {
  const items = b.totalItems !== undefined ? ` (${b.itemsBackedUp ?? 0}/${b.totalItems} items)` : '';
  switch (b.phase) {
    case 'Completed':
      return { severity: 'info', message: `Backup "${b.name}" completed${items}.` };
    case 'PartiallyFailed':
      // V7: never a success toast.
      return {
        severity: 'warning',
        message: `Backup "${b.name}" partially failed${items}: ${b.errors} error(s), ${b.warnings} warning(s). Open its logs for the items that failed.`,
      };
    case 'FailedValidation':
      return { severity: 'error', message: `Backup "${b.name}" failed validation: ${b.validationErrors.join('; ') || 'no reason given'}.` };
    default:
      return { severity: 'error', message: `Backup "${b.name}" failed${b.failureReason ? `: ${b.failureReason}` : ''}.` };
  }
}

/** One sentence for a finished restore: how it ended, its counts, and why when it did not complete. */
export function restoreOutcome(r: RestoreSummary): { readonly severity: 'info' | 'warning' | 'error'; readonly message: string } {
  const counts = `(${r.itemsRestored ?? 0}/${r.totalItems ?? '?'} items, ${r.errors} errors, ${r.warnings} warnings)`;
  if (r.phase === 'Completed') return { severity: 'info', message: `Restore "${r.name}" completed ${counts}.` };
  if (r.phase === 'PartiallyFailed')
    return {
      severity: 'warning',
      message: `Restore "${r.name}" partially failed ${counts}: Describe it for the table of failed items and warnings.`,
    };
  const why = [...r.validationErrors, ...(r.failureReason ? [r.failureReason] : [])].join('; ');
  return { severity: 'error', message: `Restore "${r.name}" ended ${r.phase} ${counts}${why ? `: ${why}` : ''}.` };
}

/**
 * Asks Velero to delete a backup: its data in object storage, its snapshots, then the Backup object. Never
 * deletes the Backup object itself (the sync controller would bring it back). Refuses when a deletion of the
 * same backup is already pending. Returns the DeleteBackupRequest's name.
 */
export async function requestBackupDeletion(
  client: KubeClient,
  namespace: string,
  backup: { readonly name: string; readonly uid: string },
  signal: AbortSignal,
): Promise<string> {
  const pending = await client.listObjects(veleroKinds.deleteBackupRequest, namespace, {
    signal,
    labelSelector: `velero.io/backup-name=${labelValue(backup.name)},velero.io/backup-uid=${backup.uid}`,
  });
  const inFlight = pending.items.find((r) => {
    const phase = rec(r.status).phase;
    return phase === undefined || phase === 'New' || phase === 'InProgress';
  });
  if (inFlight)
    throw new ClusterDeckError(
      'conflict',
      `A deletion of backup "${backup.name}" is already in progress (${text(rec(inFlight.metadata).name)}).`,
    );
  const created = await client.createObject(
    veleroKinds.deleteBackupRequest,
    namespace,
    buildDeleteBackupRequest(backup.name, backup.uid, namespace),
    { signal },
  );
  return text(rec(created.metadata).name);
}

const targetWords: Record<DownloadTargetKind, string> = {
  BackupLog: 'the log of backup',
  RestoreLog: 'the log of restore',
  BackupResults: 'the results of backup',
  RestoreResults: 'the results of restore',
  BackupResourceList: 'the resource list of backup',
};

/**
 * A backup's or restore's log (or results) through a DownloadRequest: create it, wait until Velero sets the
 * pre-signed URL (polling, `timeoutMs`, default 60 s), fetch and gunzip it, then delete the request (also on
 * failure). The URL never leaves this function except into `fetch`.
 */
export async function downloadVeleroFile(
  client: KubeClient,
  namespace: string,
  target: { readonly kind: DownloadTargetKind; readonly name: string },
  fetch: DownloadFetcher,
  options: { readonly signal: AbortSignal; readonly timeoutMs?: number; readonly pollMs?: number },
): Promise<string> {
  const { signal } = options;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const created = await client.createObject(
    veleroKinds.downloadRequest,
    namespace,
    buildDownloadRequest(target.kind, target.name, namespace),
    {
      signal,
    },
  );
  const meta = rec(created.metadata);
  const name = text(meta.name);
  const uid = text(meta.uid);
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = rec((await client.getObject(veleroKinds.downloadRequest, namespace, name, { signal })).status);
      const url = typeof status.downloadURL === 'string' ? status.downloadURL : '';
      if (status.phase === 'Processed' && url) {
        try {
          return await fetch(url, signal);
        } catch (e) {
          if (e instanceof ClusterDeckError || e instanceof CancelledError) throw e;
          throw new ClusterDeckError(
            'unreachable',
            `Could not download ${targetWords[target.kind]} "${target.name}" from the object store: ${e instanceof Error ? e.message : String(e)}. The link points at the storage location's endpoint, which may not be reachable from this machine.`,
          );
        }
      }
      if (Date.now() >= deadline)
        throw new ClusterDeckError(
          'timeout',
          `Velero did not provide a download link for ${targetWords[target.kind]} "${target.name}" within ${Math.round(timeoutMs / 1000)} s. Check that the Velero server is running and its backup storage location is Available.`,
        );
      await sleep(Math.min(options.pollMs ?? 1000, Math.max(1, deadline - Date.now())), signal);
    }
  } finally {
    // Velero would garbage-collect it after expiry; we clean up right away.
    await client
      .deleteObject(veleroKinds.downloadRequest, namespace, name, { signal: new AbortController().signal, uid })
      .catch(() => undefined);
  }
}

/**
 * The per-item errors and warnings of a backup or restore (`BackupResults` / `RestoreResults` DownloadRequest,
 * gzip JSON by scope), as `velero … describe --details` shows them.
 */
export async function loadVeleroResults(
  client: KubeClient,
  namespace: string,
  target: { readonly kind: 'BackupResults' | 'RestoreResults'; readonly name: string },
  fetch: DownloadFetcher,
  options: { readonly signal: AbortSignal; readonly timeoutMs?: number; readonly pollMs?: number },
): Promise<VeleroResults> {
  return parseVeleroResults(await downloadVeleroFile(client, namespace, target, fetch, options));
}

/** The backup's resource list (`BackupResourceList` DownloadRequest, gzip JSON). */
export async function loadBackupResourceList(
  client: KubeClient,
  namespace: string,
  backupName: string,
  fetch: DownloadFetcher,
  options: { readonly signal: AbortSignal; readonly timeoutMs?: number; readonly pollMs?: number },
): Promise<Record<string, string[]>> {
  const text = await downloadVeleroFile(client, namespace, { kind: 'BackupResourceList', name: backupName }, fetch, options);
  try {
    const parsed = JSON.parse(text) as unknown;
    const out: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(rec(parsed))) if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
    return out;
  } catch {
    throw new ClusterDeckError('serverError', `The resource list of backup "${backupName}" is not valid JSON.`);
  }
}

/** Polls a Restore until a terminal phase; resolves with its phase, progress and problems. */
export async function followRestore(
  client: KubeClient,
  namespace: string,
  name: string,
  options: { readonly signal: AbortSignal; readonly pollMs?: number; readonly onUpdate?: () => void },
): Promise<RestoreSummary> {
  for (;;) {
    const r = toRestoreSummary(await client.getObject(veleroKinds.restore, namespace, name, { signal: options.signal }));
    options.onUpdate?.();
    if (terminalPhases.has(r.phase)) return r;
    await sleep(options.pollMs ?? 1000, options.signal);
  }
}
