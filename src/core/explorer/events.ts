import type { KubeClient } from '../kube/kubeClient';
import { listAllObjects } from '../kube/listAllPages';
import { ageOf, eventKind, rec, str } from './opsKinds';

/** One event as the Events view prints it. */
export interface EventRow {
  readonly type: string;
  readonly reason: string;
  /** RFC 3339 of the last occurrence (series.lastObservedTime, lastTimestamp, eventTime or creation). */
  readonly lastSeen: string;
  readonly firstSeen: string;
  readonly count: number;
  /** `Kind/name` of the involved object. */
  readonly object: string;
  readonly message: string;
  readonly source: string;
}

/** core/v1 Events (also those written through events.k8s.io) as rows, oldest first so the newest is last. */
export function eventRows(events: readonly Record<string, unknown>[]): EventRow[] {
  const rows = events.map((e): EventRow => {
    const series = rec(e.series);
    const meta = rec(e.metadata);
    const lastSeen = str(series.lastObservedTime) || str(e.lastTimestamp) || str(e.eventTime) || str(meta.creationTimestamp);
    const firstSeen = str(e.firstTimestamp) || str(e.eventTime) || lastSeen;
    const involved = rec(e.involvedObject ?? e.regarding);
    const source = rec(e.source);
    return {
      type: str(e.type) || 'Normal',
      reason: str(e.reason),
      lastSeen,
      firstSeen,
      count: Number(series.count ?? e.count ?? 1) || 1,
      object: `${str(involved.kind)}/${str(involved.name)}`,
      message: str(e.message ?? e.note).trim(),
      source: str(e.reportingComponent) || str(e.reportingController) || str(source.component),
    };
  });
  return rows.sort((a, b) => (Date.parse(a.lastSeen) || 0) - (Date.parse(b.lastSeen) || 0));
}

function pad(cells: readonly string[][]): string[] {
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length))) ?? [];
  return cells.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('   ')
      .trimEnd(),
  );
}

/**
 * The events as a text table (LAST SEEN, TYPE, REASON, OBJECT, COUNT, MESSAGE; Warning as WARNING), newest last, preceded by a title
 * line and a count of warnings. Multi-line messages are folded to one line.
 */
export function renderEventsTable(title: string, rows: readonly EventRow[], now: number): string {
  const warnings = rows.filter((r) => r.type === 'Warning').length;
  const head = `${title}\n${rows.length} event${rows.length === 1 ? '' : 's'}${warnings ? `, ${warnings} Warning${warnings === 1 ? '' : 's'}` : ''} (newest last)\n\n`;
  if (rows.length === 0) return `${head}No events. The API server keeps events for one hour by default.\n`;
  const table = pad([
    ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'COUNT', 'MESSAGE'],
    ...rows.map((r) => [
      ageOf(r.lastSeen, now),
      // Upper case so the log grammar colours it: warnings stand out in the table.
      r.type === 'Warning' ? 'WARNING' : r.type,
      r.reason,
      r.object,
      String(r.count),
      r.message.replace(/\s*\n\s*/g, ' '),
    ]),
  ]);
  return `${head}${table.join('\n')}\n`;
}

/** The field selector of an object's events, as `kubectl describe` builds it. */
export function involvedObjectSelector(obj: Record<string, unknown>): string {
  const meta = rec(obj.metadata);
  const parts = [`involvedObject.name=${str(meta.name)}`];
  if (str(meta.namespace)) parts.push(`involvedObject.namespace=${str(meta.namespace)}`);
  if (str(obj.kind)) parts.push(`involvedObject.kind=${str(obj.kind)}`);
  if (str(meta.uid)) parts.push(`involvedObject.uid=${str(meta.uid)}`);
  return parts.join(',');
}

/**
 * The events of a namespace (no `obj`) or of one object, read page by page up to `max` (newest last). Cluster-scoped
 * objects (nodes) have their events in every namespace: all namespaces are searched.
 */
export async function loadEvents(
  client: KubeClient,
  namespace: string | undefined,
  obj: Record<string, unknown> | undefined,
  options: { signal: AbortSignal; max?: number },
): Promise<EventRow[]> {
  const max = options.max ?? 2000;
  const { items } = await listAllObjects(client, eventKind, namespace, {
    signal: options.signal,
    maxItems: max,
    ...(obj ? { fieldSelector: involvedObjectSelector(obj) } : {}),
  });
  return eventRows(items).slice(-max);
}
