// A Backup or Restore rendered for reading (Markdown): spec, status, validation errors, failure reason.
import { stringify } from 'yaml';
import { describeSchedule, parseVeleroSchedule } from './cronSchedule';

type Obj = Record<string, unknown>;
const rec = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const txt = (v: unknown): string =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
    ? String(v)
    : v === undefined || v === null
      ? ''
      : JSON.stringify(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(txt) : []);

function yamlBlock(value: unknown): string {
  const text = Object.keys(rec(value)).length ? stringify(value).trimEnd() : '{}';
  return ['```yaml', text, '```'].join('\n');
}

/** One per-item error or warning of a backup or restore, from its results file. */
export interface VeleroResultEntry {
  /** `Velero`, `Cluster` or `Namespace <name>`. */
  readonly scope: string;
  readonly message: string;
}

export interface VeleroResults {
  readonly errors: readonly VeleroResultEntry[];
  readonly warnings: readonly VeleroResultEntry[];
}

/**
 * Parses a BackupResults / RestoreResults file (`{"errors": {"velero": [...], "cluster": [...], "namespaces":
 * {"ns": [...]}}, "warnings": {...}}`, Velero's pkg/util/results). Anything else reads as no entries.
 */
export function parseVeleroResults(text: string): VeleroResults {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { errors: [], warnings: [] };
  }
  const entries = (v: unknown): VeleroResultEntry[] => {
    const r = rec(v);
    return [
      ...strings(r.velero).map((message) => ({ scope: 'Velero', message })),
      ...strings(r.cluster).map((message) => ({ scope: 'Cluster', message })),
      ...Object.entries(rec(r.namespaces)).flatMap(([ns, list]) => strings(list).map((message) => ({ scope: `Namespace ${ns}`, message }))),
    ];
  };
  return { errors: entries(rec(parsed).errors), warnings: entries(rec(parsed).warnings) };
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function resultTable(title: string, entries: readonly VeleroResultEntry[]): string[] {
  if (!entries.length) return [];
  return [
    '',
    `## ${title} (${entries.length})`,
    '',
    '| Scope | Message |',
    '|---|---|',
    ...groupAlreadyExists(entries).map((e) => `| ${cell(e.scope)} | ${cell(e.message)} |`),
  ];
}

const alreadyExists = /^could not restore, (\S+) "([^"]+)" already exists/;

/**
 * A restore's "already exists" warnings are many and alike (velero#6818, #4524): per scope they become one row
 * naming the objects, which were left as they are; every other entry keeps its own row.
 */
export function groupAlreadyExists(entries: readonly VeleroResultEntry[]): VeleroResultEntry[] {
  const out: VeleroResultEntry[] = [];
  const groups = new Map<string, string[]>();
  for (const e of entries) {
    const m = alreadyExists.exec(e.message);
    if (!m) {
      out.push(e);
      continue;
    }
    const list = groups.get(e.scope) ?? [];
    if (!groups.has(e.scope)) groups.set(e.scope, list);
    list.push(`${m[1] ?? ''} "${m[2] ?? ''}"`);
  }
  for (const [scope, objects] of groups)
    out.push({
      scope,
      message: `${objects.length} ${objects.length === 1 ? 'object already exists' : 'objects already exist'} in the cluster and ${objects.length === 1 ? 'was' : 'were'} left as ${objects.length === 1 ? 'it is' : 'they are'}: ${objects.join(', ')}`,
    });
  return out;
}

/**
 * Markdown describing a velero.io/v1 Backup, Restore or Schedule as `velero … describe --details` does; `results`
 * adds the per-item errors and warnings tables, `resultsProblem` says why they could not be read.
 */
export function describeVeleroObject(obj: Obj, contextName: string, results?: VeleroResults, resultsProblem?: string): string {
  const kind = txt(obj.kind ?? 'Object');
  const meta = rec(obj.metadata);
  const status = rec(obj.status);
  const spec = rec(obj.spec);
  const lines = [`# ${kind} ${txt(meta.namespace ?? '')}/${txt(meta.name ?? '')}`, '', `Context: \`${contextName}\``, ''];
  lines.push(`- Phase: **${txt(status.phase ?? 'New')}**`);
  if (kind === 'Schedule')
    lines.push(`- Schedule: \`${txt(spec.schedule ?? '')}\` (${describeSchedule(parseVeleroSchedule(txt(spec.schedule ?? '')))})`);
  for (const [label, key] of [
    ['Started', 'startTimestamp'],
    ['Completed', 'completionTimestamp'],
    ['Expires', 'expiration'],
    ['Last backup', 'lastBackup'],
  ] as const)
    if (status[key]) lines.push(`- ${label}: ${txt(status[key])}`);
  const progress = rec(status.progress);
  if (Object.keys(progress).length)
    lines.push(`- Items: ${txt(progress.itemsBackedUp ?? progress.itemsRestored ?? 0)}/${txt(progress.totalItems ?? '?')}`);
  if (status.warnings !== undefined || status.errors !== undefined)
    lines.push(`- Errors: ${txt(status.errors ?? 0)}, warnings: ${txt(status.warnings ?? 0)}`);
  if (status.volumeSnapshotsAttempted !== undefined)
    lines.push(`- Volume snapshots: ${txt(status.volumeSnapshotsCompleted ?? 0)}/${txt(status.volumeSnapshotsAttempted)}`);
  const hooks = rec(status.hookStatus);
  if (Object.keys(hooks).length) lines.push(`- Hooks: ${txt(hooks.hooksAttempted ?? 0)} attempted, ${txt(hooks.hooksFailed ?? 0)} failed`);
  const ops = ['backupItemOperations', 'restoreItemOperations']
    .map((p) => [status[`${p}Attempted`], status[`${p}Completed`], status[`${p}Failed`]] as const)
    .find(([a]) => a !== undefined);
  if (ops) lines.push(`- Item operations: ${txt(ops[0])} attempted, ${txt(ops[1] ?? 0)} completed, ${txt(ops[2] ?? 0)} failed`);
  if (status.failureReason) lines.push('', `## Failure reason`, '', txt(status.failureReason));
  const validation = strings(status.validationErrors);
  if (validation.length) lines.push('', '## Validation errors', '', ...validation.map((e) => `- ${e}`));
  const errors = strings(status.errors && Array.isArray(status.errors) ? status.errors : []);
  if (errors.length) lines.push('', '## Errors', '', ...errors.map((e) => `- ${e}`));
  if (results) lines.push(...resultTable('Errors', results.errors), ...resultTable('Warnings', results.warnings));
  if (resultsProblem) lines.push('', `Per-item errors and warnings could not be read: ${resultsProblem}`);
  lines.push('', '## Spec', '', yamlBlock(spec), '', '## Status', '', yamlBlock(status), '');
  lines.push('The full record is in the logs (Show Logs).', '');
  return lines.join('\n');
}
