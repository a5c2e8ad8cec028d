// Which schedules back up a namespace and when it was last backed up: shown on each namespace of the Clusters tree.
import { formatAge, type BackupSummary, type ScheduleSummary } from './veleroModel';

/** A namespace's backup state on one cluster. */
export interface NamespaceCoverage {
  /** Enabled, unpaused schedules whose template includes the namespace. */
  readonly schedules: readonly string[];
  /** Paused schedules that would include it (they cover nothing until unpaused). */
  readonly pausedSchedules: readonly string[];
  /** The newest Completed or PartiallyFailed backup that included it. */
  readonly lastBackup?: { readonly name: string; readonly at: string; readonly phase: string };
}

/** Velero's namespace filters: '*' and glob patterns in includes/excludes; an empty include list means all. */
function matches(patterns: readonly string[], namespace: string): boolean {
  return patterns.some((p) => p === '*' || p === namespace || (p.includes('*') && globToRegExp(p).test(namespace)));
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '.*')}$`);
}

/** Whether a backup (or a schedule's template) with these filters includes `namespace`. */
export function includesNamespace(included: readonly string[], excluded: readonly string[], namespace: string): boolean {
  return (included.length === 0 || matches(included, namespace)) && !matches(excluded, namespace);
}

const listOf = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The coverage of `namespace` from a cluster's schedules and backups. */
export function namespaceCoverage(
  namespace: string,
  schedules: readonly ScheduleSummary[],
  backups: readonly BackupSummary[],
): NamespaceCoverage {
  const covering = schedules.filter(
    (s) =>
      s.phase !== 'FailedValidation' &&
      includesNamespace(listOf(s.template.includedNamespaces), listOf(s.template.excludedNamespaces), namespace),
  );
  const last = backups
    .filter((b) => b.phase === 'Completed' || b.phase === 'PartiallyFailed')
    .filter((b) => includesNamespace(b.includedNamespaces, b.excludedNamespaces, namespace))
    .map((b) => ({ name: b.name, at: b.completedAt ?? b.startedAt ?? b.createdAt ?? '', phase: b.phase }))
    .filter((b) => b.at !== '')
    .sort((a, b) => b.at.localeCompare(a.at))[0];
  return {
    schedules: covering.filter((s) => !s.paused).map((s) => s.name),
    pausedSchedules: covering.filter((s) => s.paused).map((s) => s.name),
    ...(last ? { lastBackup: last } : {}),
  };
}

/** The short text after a namespace's name: `backup: daily-shop · 3h ago`, `no backup schedule · never backed up`. */
export function describeCoverage(c: NamespaceCoverage, nowMs: number): string {
  const schedule = c.schedules.length
    ? `backup: ${c.schedules.join(', ')}`
    : c.pausedSchedules.length
      ? `backup paused: ${c.pausedSchedules.join(', ')}`
      : 'no backup schedule';
  const at = c.lastBackup ? Date.parse(c.lastBackup.at) : NaN;
  const last = Number.isFinite(at)
    ? `${formatAge(at, nowMs)} ago${c.lastBackup?.phase === 'PartiallyFailed' ? ' (partial)' : ''}`
    : 'never backed up';
  return `${schedule} · ${last}`;
}
