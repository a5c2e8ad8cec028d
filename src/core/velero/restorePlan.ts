// Restores: the request body, namespace mapping, protected targets and the "what already exists" preview
// (reference velero.md §2.3, safety rules V2–V5).
import type { KubeClient } from '../kube/kubeClient';
import type { ResourceKind } from '../kube/resourceKinds';
import { timestampedName } from './veleroRequests';

export interface RestoreOptions {
  readonly name: string;
  readonly veleroNamespace: string;
  /** Restore this backup… */
  readonly backupName?: string;
  /** …or the latest completed backup of this schedule (Velero resolves it when the restore starts). */
  readonly scheduleName?: string;
  /** Resources (`configmap`, `deployment.apps`) left out; empty = everything. */
  readonly excludedResources?: readonly string[];
  /** Source namespaces to restore; empty = everything in the backup. */
  readonly includedNamespaces: readonly string[];
  readonly namespaceMapping: Readonly<Record<string, string>>;
  /** `none` (default): existing objects are skipped; `update`: they are patched to match the backup. */
  readonly existingResourcePolicy?: 'none' | 'update';
  readonly restorePVs: boolean;
}

/** A velero.io/v1 Restore. */
export function buildRestore(o: RestoreOptions): Record<string, unknown> {
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Restore',
    metadata: { name: o.name, namespace: o.veleroNamespace, labels: { 'app.kubernetes.io/managed-by': 'clusterdeck' } },
    spec: {
      ...(o.scheduleName ? { scheduleName: o.scheduleName } : { backupName: o.backupName }),
      ...(o.includedNamespaces.length ? { includedNamespaces: [...o.includedNamespaces] } : {}),
      ...(o.excludedResources?.length ? { excludedResources: [...o.excludedResources] } : {}),
      ...(Object.keys(o.namespaceMapping).length ? { namespaceMapping: { ...o.namespaceMapping } } : {}),
      ...(o.existingResourcePolicy ? { existingResourcePolicy: o.existingResourcePolicy } : {}),
      restorePVs: o.restorePVs,
    },
  };
}

/** The CLI's default restore name: `<backup>-<YYYYMMDDhhmmss>`. */
export function restoreName(backupName: string, nowMs: number): string {
  return timestampedName(backupName, nowMs);
}

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `shop:shop-restore, a:b` → mapping; an error sentence for anything else. Empty text = no mapping. */
export function parseNamespaceMapping(text: string): { readonly mapping: Record<string, string> } | { readonly error: string } {
  const mapping: Record<string, string> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [src, dst, extra] = part.split(':').map((s) => s.trim());
    if (!src || !dst || extra !== undefined) return { error: `"${part}" is not source:target (e.g. shop:shop-restore).` };
    for (const n of [src, dst]) if (!dns1123Label.test(n) || n.length > 63) return { error: `"${n}" is not a valid namespace name.` };
    if (mapping[src]) return { error: `"${src}" is mapped twice.` };
    mapping[src] = dst;
  }
  const targets = Object.values(mapping);
  const dup = targets.find((t, i) => targets.indexOf(t) !== i);
  if (dup) return { error: `Two namespaces are mapped to "${dup}".` };
  return { mapping };
}

/** Source → target pairs of a restore (unmapped namespaces restore into themselves). */
export function restoreTargets(
  sources: readonly string[],
  mapping: Readonly<Record<string, string>>,
): { source: string; target: string }[] {
  return sources.map((source) => ({ source, target: mapping[source] ?? source }));
}

/** Targets a restore must not write to without an explicit override (V5). */
export function protectedTargets(targets: readonly string[], veleroNamespace: string): string[] {
  const protectedSet = new Set(['kube-system', 'kube-public', 'kube-node-lease', veleroNamespace]);
  return [...new Set(targets.filter((t) => protectedSet.has(t)))];
}

/** Velero's BackupResourceList: `"apps/v1/Deployment": ["shop/cart", …]`, cluster-scoped items without a namespace. */
export type BackupResourceList = Readonly<Record<string, readonly string[]>>;

const knownKinds: Readonly<Record<string, ResourceKind>> = Object.fromEntries(
  (
    [
      ['v1/Pod', 'pods', ''],
      ['v1/Service', 'services', ''],
      ['v1/ConfigMap', 'configmaps', ''],
      ['v1/Secret', 'secrets', ''],
      ['v1/ServiceAccount', 'serviceaccounts', ''],
      ['v1/PersistentVolumeClaim', 'persistentvolumeclaims', ''],
      ['apps/v1/Deployment', 'deployments', 'apps'],
      ['apps/v1/ReplicaSet', 'replicasets', 'apps'],
      ['apps/v1/StatefulSet', 'statefulsets', 'apps'],
      ['apps/v1/DaemonSet', 'daemonsets', 'apps'],
      ['batch/v1/Job', 'jobs', 'batch'],
      ['batch/v1/CronJob', 'cronjobs', 'batch'],
      ['networking.k8s.io/v1/Ingress', 'ingresses', 'networking.k8s.io'],
    ] as const
  ).map(([key, plural, group]) => [
    key,
    { kind: key.split('/').pop() ?? '', plural, group, version: 'v1', namespaced: true, label: plural },
  ]),
);

/** One row of the restore preview (V3, V4). */
export interface RestorePreviewRow {
  readonly source: string;
  readonly target: string;
  readonly targetExists: boolean;
  /** Namespaced objects of the backup in this source namespace. */
  readonly total: number;
  /** Of those, how many exist in the target now (skipped with `none`, updated with `update`). */
  readonly existing: number;
  /** Objects of kinds the preview does not check. */
  readonly unchecked: number;
}

/**
 * Compares the backup's resource list with the live target namespaces: for each source → target, how many
 * objects the backup holds and how many of them already exist in the target.
 */
export async function previewRestore(
  client: KubeClient,
  list: BackupResourceList,
  sources: readonly string[],
  mapping: Readonly<Record<string, string>>,
  liveNamespaces: ReadonlySet<string>,
  signal: AbortSignal,
): Promise<RestorePreviewRow[]> {
  const rows: RestorePreviewRow[] = [];
  for (const { source, target } of restoreTargets(sources, mapping)) {
    let total = 0;
    let existing = 0;
    let unchecked = 0;
    const targetExists = liveNamespaces.has(target);
    for (const [key, items] of Object.entries(list)) {
      const names = items.filter((i) => i.startsWith(`${source}/`)).map((i) => i.slice(source.length + 1));
      if (!names.length) continue;
      total += names.length;
      const kind = knownKinds[key];
      if (!kind) {
        unchecked += names.length;
        continue;
      }
      if (!targetExists) continue;
      const live = await client.listObjects(kind, target, { signal, limit: 1000 });
      const liveNames = new Set(live.items.map((o) => String((o.metadata as { name?: string } | undefined)?.name ?? '')));
      existing += names.filter((n) => liveNames.has(n)).length;
    }
    rows.push({ source, target, targetExists, total, existing, unchecked });
  }
  return rows;
}

/** "shop → shop-restore (new namespace): 12 objects" / "shop → shop: 12 objects, 12 already exist (skipped)". */
export function describePreviewRow(r: RestorePreviewRow, policy: 'none' | 'update'): string {
  const where = `${r.source} → ${r.target}${r.targetExists ? '' : ' (new namespace)'}`;
  const exist = r.existing ? `, ${r.existing} already exist (${policy === 'update' ? 'will be updated' : 'skipped'})` : '';
  const unchecked = r.unchecked ? `, ${r.unchecked} of other kinds not checked` : '';
  return `${where}: ${r.total} object${r.total === 1 ? '' : 's'}${exist}${unchecked}`;
}

/** One kind a backup holds, as the restore's resource step offers it. */
export interface ResourceChoice {
  /** The resource-list key, e.g. `apps/v1/Deployment`. */
  readonly key: string;
  readonly kind: string;
  /** '' for the core group. */
  readonly group: string;
  /** How Velero's include/exclude filters name it: the lower-case kind plus the group (`deployment.apps`, `configmap`). */
  readonly filterName: string;
  readonly count: number;
}

/** The kinds of a backup's resource list (keys `group/version/Kind` or `v1/Kind`), sorted by kind. */
export function resourceChoices(list: BackupResourceList): ResourceChoice[] {
  return Object.entries(list)
    .map(([key, items]) => {
      const parts = key.split('/');
      const kind = parts[parts.length - 1] ?? key;
      const group = parts.length >= 3 ? parts.slice(0, -2).join('/') : '';
      return { key, kind, group, filterName: group ? `${kind.toLowerCase()}.${group}` : kind.toLowerCase(), count: items.length };
    })
    .sort((a, b) => a.kind.localeCompare(b.kind) || a.group.localeCompare(b.group));
}

/** Velero resources a backup filter names twice never matter; excluded = the choices not picked. */
export function excludedResourcesOf(choices: readonly ResourceChoice[], picked: ReadonlySet<string>): string[] {
  return [...new Set(choices.filter((c) => !picked.has(c.key)).map((c) => c.filterName))];
}

/**
 * The backup a Restore with `scheduleName` uses: the Completed backup labelled `velero.io/schedule-name` = the
 * schedule that started last (Velero's mostRecentCompletedBackup in restore_controller.go), or undefined.
 */
export function latestScheduleBackup<
  T extends {
    readonly name: string;
    readonly phase: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly startedAt?: string;
    readonly createdAt?: string;
  },
>(backups: readonly T[], scheduleName: string): T | undefined {
  const started = (b: T): string => b.startedAt ?? b.createdAt ?? '';
  return backups
    .filter((b) => b.labels['velero.io/schedule-name'] === scheduleName && b.phase === 'Completed')
    .sort((a, b) => started(b).localeCompare(started(a)) || b.name.localeCompare(a.name))[0];
}

/** Whether a Velero server knows `existingResourcePolicy` (added in 1.9); an unknown version is assumed recent. */
export function supportsExistingResourcePolicy(version: string | undefined): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  return !m || Number(m[1]) > 1 || (Number(m[1]) === 1 && Number(m[2]) >= 9);
}
