// The plain data behind the Backups view and how each node reads (label, description, tooltip, icon), so the
// host only maps it to a TreeItem. Ids are stable so expansion survives a refresh.
import { readOnlyLocationCaveat } from './readOnlyLocation';
import { describeSchedule, nextRuns, parseVeleroSchedule } from './cronSchedule';
import type { VeleroSnapshot } from './veleroSnapshot';
import {
  formatAge,
  formatExpiry,
  phaseTone,
  timeOf,
  type BackupSummary,
  type PhaseTone,
  type RestoreSummary,
  type ScheduleSummary,
  type SnapshotLocationSummary,
  type StorageLocationSummary,
} from './veleroModel';

export type BackupGroup = 'backups' | 'restores' | 'schedules' | 'storageLocations' | 'snapshotLocations';

export type BackupNode =
  | { readonly kind: 'context'; readonly id: string; readonly contextName: string; readonly server: string }
  | { readonly kind: 'install'; readonly id: string; readonly contextName: string; readonly snapshot: VeleroSnapshot }
  | {
      readonly kind: 'group';
      readonly id: string;
      readonly contextName: string;
      readonly group: BackupGroup;
      readonly snapshot: VeleroSnapshot;
    }
  | {
      readonly kind: 'backup';
      readonly id: string;
      readonly contextName: string;
      readonly namespace: string;
      readonly backup: BackupSummary;
    }
  | {
      readonly kind: 'restore';
      readonly id: string;
      readonly contextName: string;
      readonly namespace: string;
      readonly restore: RestoreSummary;
    }
  | {
      readonly kind: 'schedule';
      readonly id: string;
      readonly contextName: string;
      readonly namespace: string;
      readonly schedule: ScheduleSummary;
    }
  | { readonly kind: 'scheduleRun'; readonly id: string; readonly text: string }
  | {
      readonly kind: 'storageLocation';
      readonly id: string;
      readonly contextName: string;
      readonly namespace: string;
      readonly location: StorageLocationSummary;
    }
  | {
      readonly kind: 'snapshotLocation';
      readonly id: string;
      readonly contextName: string;
      readonly namespace: string;
      readonly location: SnapshotLocationSummary;
    }
  | {
      readonly kind: 'message';
      readonly id: string;
      readonly severity: 'error' | 'warning' | 'info';
      readonly text: string;
      readonly detail?: string;
      readonly command?: { readonly command: string; readonly title: string; readonly args: readonly unknown[] };
    };

/** Theme icon id plus a theme color id (the host turns it into a ThemeIcon). */
export interface NodeIcon {
  readonly id: string;
  readonly color?: string;
}

/** How a node reads in the tree; `tooltip` is Markdown. */
export interface NodePresentation {
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  readonly icon?: NodeIcon;
  readonly contextValue: string;
  readonly collapsible: 'none' | 'collapsed' | 'expanded';
}

const groupLabels: Record<BackupGroup, string> = {
  backups: 'Backups',
  restores: 'Restores',
  schedules: 'Schedules',
  storageLocations: 'Backup Storage Locations',
  snapshotLocations: 'Volume Snapshot Locations',
};

export const veleroDocsUrl = 'https://velero.io/docs/main/basic-install/';

/** The children of a context: the install state, then the five groups (or a welcome explaining how to install). */
export function contextChildren(contextName: string, snapshot: VeleroSnapshot): BackupNode[] {
  const install: BackupNode = { kind: 'install', id: `velero:${contextName}:install`, contextName, snapshot };
  if (snapshot.install.state === 'notInstalled')
    return [
      install,
      {
        kind: 'message',
        id: `velero:${contextName}:welcome`,
        severity: 'info',
        text: 'Install Velero to back up this cluster…',
        detail: `No velero.io CRDs on this cluster. Install Velero (velero install, or the vmware-tanzu/velero Helm chart) into namespace "${snapshot.install.namespace}" with a backup storage location, then refresh. ClusterDeck talks to Velero's CRDs directly and needs no velero binary.`,
        command: { command: 'vscode.open', title: 'Open the Velero install guide', args: [veleroDocsUrl] },
      },
    ];
  if (snapshot.install.state === 'degraded' && snapshot.install.problem.includes('older Velero')) return [install];
  const groups: BackupGroup[] = ['backups', 'restores', 'schedules', 'storageLocations', 'snapshotLocations'];
  return [
    install,
    ...groups.map((group): BackupNode => ({ kind: 'group', id: `velero:${contextName}:${group}`, contextName, group, snapshot })),
  ];
}

/** The children of a group or a schedule. */
export function groupChildren(node: BackupNode, nowMs: number): BackupNode[] {
  if (node.kind === 'schedule') {
    const parsed = parseVeleroSchedule(node.schedule.schedule);
    if (node.schedule.paused) return [{ kind: 'scheduleRun', id: `${node.id}:paused`, text: 'Paused: no runs until unpaused' }];
    const runs = nextRuns(parsed, nowMs, 3, timeOf(node.schedule.lastBackup));
    return runs.map((t, i) => ({
      kind: 'scheduleRun',
      id: `${node.id}:run${i}`,
      text: `Next: ${formatRunTime(t, parsed.ok ? parsed.timeZone : undefined)}`,
    }));
  }
  if (node.kind !== 'group') return [];
  const { snapshot, contextName } = node;
  const namespace = snapshot.install.namespace;
  const base = `velero:${contextName}`;
  const empty = (text: string): BackupNode[] => [{ kind: 'message', id: `${node.id}:empty`, severity: 'info', text }];
  switch (node.group) {
    case 'backups':
      return snapshot.backups.length
        ? snapshot.backups.map((backup) => ({ kind: 'backup', id: `${base}:backup:${backup.name}`, contextName, namespace, backup }))
        : empty('No backups yet. Use "Back Up Now…" on the cluster.');
    case 'restores':
      return snapshot.restores.length
        ? snapshot.restores.map((restore) => ({ kind: 'restore', id: `${base}:restore:${restore.name}`, contextName, namespace, restore }))
        : empty('No restores');
    case 'schedules':
      return snapshot.schedules.length
        ? snapshot.schedules.map((schedule) => ({
            kind: 'schedule',
            id: `${base}:schedule:${schedule.name}`,
            contextName,
            namespace,
            schedule,
          }))
        : empty('No schedules');
    case 'storageLocations':
      return snapshot.storageLocations.length
        ? snapshot.storageLocations.map((location) => ({
            kind: 'storageLocation',
            id: `${base}:bsl:${location.name}`,
            contextName,
            namespace,
            location,
          }))
        : [{ kind: 'message', id: `${node.id}:empty`, severity: 'warning', text: 'No backup storage location: backups cannot run' }];
    case 'snapshotLocations':
      return snapshot.snapshotLocations.length
        ? snapshot.snapshotLocations.map((location) => ({
            kind: 'snapshotLocation',
            id: `${base}:vsl:${location.name}`,
            contextName,
            namespace,
            location,
          }))
        : empty('No volume snapshot locations');
  }
}

/** "Fri 28 Nov 01:00 UTC" (the zone of the cron, or UTC). */
export function formatRunTime(ms: number, timeZone?: string): string {
  const zone = timeZone && timeZone !== 'Local' ? timeZone : 'UTC';
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(ms));
  return `${text.replace(',', '')} ${zone}`;
}

const toneIcons: Record<PhaseTone, NodeIcon> = {
  running: { id: 'sync~spin', color: 'charts.blue' },
  success: { id: 'pass', color: 'testing.iconPassed' },
  attention: { id: 'warning', color: 'list.warningForeground' },
  failure: { id: 'error', color: 'list.errorForeground' },
  unknown: { id: 'question' },
};

const md = (s: string): string => s.replace(/([\\`*_{}[\]()#+\-.!|<>])/g, '\\$1');
const iso = (s: string | undefined): string => (s ? new Date(s).toISOString().replace('.000Z', 'Z') : '—');

function countsText(done: number | undefined, total: number | undefined): string | undefined {
  if (done === undefined && total === undefined) return undefined;
  return `${done ?? 0}/${total ?? '?'} items`;
}

function problemsText(warnings: number, errors: number): string | undefined {
  const parts = [
    errors ? `${errors} error${errors === 1 ? '' : 's'}` : '',
    warnings ? `${warnings} warning${warnings === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : undefined;
}

/** One line per fact, as Markdown. */
function table(title: string, rows: readonly (readonly [string, string | undefined])[]): string {
  return [`**${md(title)}**`, '', ...rows.filter((r) => r[1] !== undefined && r[1] !== '').map(([k, v]) => `- ${k}: ${md(v ?? '')}`)].join(
    '\n',
  );
}

export function presentBackup(b: BackupSummary, nowMs: number): NodePresentation {
  const tone = phaseTone(b.phase);
  const created = timeOf(b.startedAt ?? b.createdAt);
  const expires = timeOf(b.expiresAt);
  const description = [
    b.phase,
    created !== undefined ? formatAge(created, nowMs) : undefined,
    countsText(b.itemsBackedUp, b.totalItems),
    problemsText(b.warnings, b.errors),
    expires !== undefined && tone !== 'running' ? formatExpiry(expires, nowMs) : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  const tooltip = [
    table(`Backup ${b.name}`, [
      ['Phase', b.phase],
      ['Namespaces', b.includedNamespaces.length ? b.includedNamespaces.join(', ') : 'all'],
      ['Excluded namespaces', b.excludedNamespaces.join(', ') || undefined],
      ['Storage location', b.storageLocation ?? 'default'],
      ['Items', countsText(b.itemsBackedUp, b.totalItems)],
      ['Warnings / errors', `${b.warnings} / ${b.errors}`],
      [
        'Volume snapshots',
        b.volumeSnapshotsAttempted !== undefined ? `${b.volumeSnapshotsCompleted ?? 0}/${b.volumeSnapshotsAttempted}` : undefined,
      ],
      ['Started', b.startedAt ? iso(b.startedAt) : undefined],
      ['Completed', b.completedAt ? iso(b.completedAt) : undefined],
      ['Expires', b.expiresAt ? `${iso(b.expiresAt)} (${formatExpiry(expires ?? 0, nowMs)})` : undefined],
      ['TTL', b.ttl],
      ['Schedule', b.scheduleName],
      ['Failure reason', b.failureReason],
    ]),
    ...b.validationErrors.map((e) => `- Validation error: ${md(e)}`),
  ].join('\n');
  return {
    label: b.name,
    description,
    tooltip,
    icon: toneIcons[tone],
    contextValue: `veleroBackup ${tone}${tone === 'success' || tone === 'attention' ? ' restorable' : ''}`,
    collapsible: 'none',
  };
}

export function presentRestore(r: RestoreSummary, nowMs: number): NodePresentation {
  const tone = phaseTone(r.phase);
  const created = timeOf(r.startedAt ?? r.createdAt);
  const mapping = Object.entries(r.namespaceMapping).map(([a, b]) => `${a} → ${b}`);
  const description = [
    r.phase,
    `from ${r.backupName ?? (r.scheduleName ? `schedule ${r.scheduleName}` : '?')}`,
    created !== undefined ? formatAge(created, nowMs) : undefined,
    r.itemsRestored !== undefined || r.totalItems !== undefined ? `${r.itemsRestored ?? 0}/${r.totalItems ?? '?'} restored` : undefined,
    problemsText(r.warnings, r.errors),
  ]
    .filter(Boolean)
    .join(' · ');
  const tooltip = [
    table(`Restore ${r.name}`, [
      ['Phase', r.phase],
      ['Backup', r.backupName],
      ['Schedule', r.scheduleName],
      ['Namespaces', r.includedNamespaces.length ? r.includedNamespaces.join(', ') : 'all in the backup'],
      ['Namespace mapping', mapping.join(', ') || undefined],
      ['Existing resources', r.existingResourcePolicy ?? 'none (skipped)'],
      ['Progress', r.itemsRestored !== undefined ? `${r.itemsRestored}/${r.totalItems ?? '?'}` : undefined],
      ['Warnings / errors', `${r.warnings} / ${r.errors}`],
      ['Started', r.startedAt ? iso(r.startedAt) : undefined],
      ['Completed', r.completedAt ? iso(r.completedAt) : undefined],
      ['Failure reason', r.failureReason],
    ]),
    ...r.validationErrors.map((e) => `- Validation error: ${md(e)}`),
  ].join('\n');
  return { label: r.name, description, tooltip, icon: toneIcons[tone], contextValue: `veleroRestore ${tone}`, collapsible: 'none' };
}

export function presentSchedule(s: ScheduleSummary, nowMs: number): NodePresentation {
  const parsed = parseVeleroSchedule(s.schedule);
  const words = describeSchedule(parsed);
  const last = timeOf(s.lastBackup);
  const description = [
    s.paused ? 'Paused' : s.phase === 'Enabled' ? undefined : s.phase,
    words,
    last !== undefined ? `last backup ${formatAge(last, nowMs)} ago` : 'no backup yet',
  ]
    .filter(Boolean)
    .join(' · ');
  const icon: NodeIcon = s.paused
    ? { id: 'debug-pause', color: 'list.warningForeground' }
    : s.phase === 'FailedValidation' || !parsed.ok
      ? { id: 'error', color: 'list.errorForeground' }
      : { id: 'calendar' };
  const tooltip = [
    table(`Schedule ${s.name}`, [
      ['Cron', s.schedule],
      ['When', words],
      ['Phase', s.phase],
      ['Paused', s.paused ? 'yes' : 'no'],
      ['Namespaces', s.includedNamespaces.length ? s.includedNamespaces.join(', ') : 'all'],
      ['TTL', s.ttl ?? '720h0m0s (server default)'],
      ['Storage location', s.storageLocation ?? 'default'],
      ['Last backup', s.lastBackup ? iso(s.lastBackup) : 'none yet'],
    ]),
    ...s.validationErrors.map((e) => `- Validation error: ${md(e)}`),
  ].join('\n');
  return {
    label: s.name,
    description,
    tooltip,
    icon,
    contextValue: `veleroSchedule${s.paused ? ' paused' : ' active'}`,
    collapsible: 'collapsed',
  };
}

export function presentStorageLocation(l: StorageLocationSummary, nowMs: number): NodePresentation {
  const validated = timeOf(l.lastValidationTime);
  const available = l.phase === 'Available';
  const description = [
    l.phase,
    l.isDefault ? 'default' : undefined,
    l.accessMode === 'ReadOnly' ? 'read-only' : undefined,
    [l.provider, l.bucket ? `${l.bucket}${l.prefix ? `/${l.prefix}` : ''}` : undefined].filter(Boolean).join(' '),
    validated !== undefined ? `validated ${formatAge(validated, nowMs)} ago` : 'never validated',
  ]
    .filter(Boolean)
    .join(' · ');
  return {
    label: l.name,
    description,
    tooltip: table(`Backup storage location ${l.name}`, [
      ['Phase', l.phase],
      ['Default', l.isDefault ? 'yes' : 'no'],
      ['Provider', l.provider],
      ['Bucket', l.bucket],
      ['Prefix', l.prefix],
      ['Access mode', l.accessMode],
      ['Last validation', l.lastValidationTime ? iso(l.lastValidationTime) : 'never'],
      ['Last sync', l.lastSyncedTime ? iso(l.lastSyncedTime) : undefined],
      ['Message', l.message],
    ]).concat(l.accessMode === 'ReadOnly' ? `\n\n${md(readOnlyLocationCaveat(l.name))}` : ''),
    icon: available
      ? { id: l.accessMode === 'ReadOnly' ? 'lock' : 'database', color: 'testing.iconPassed' }
      : { id: 'database', color: 'list.errorForeground' },
    contextValue: `veleroStorageLocation ${available ? 'available' : 'unavailable'}`,
    collapsible: 'none',
  };
}

export function presentSnapshotLocation(l: SnapshotLocationSummary): NodePresentation {
  return {
    label: l.name,
    description: [l.provider, l.region, l.phase].filter(Boolean).join(' · '),
    tooltip: table(`Volume snapshot location ${l.name}`, [
      ['Provider', l.provider],
      ['Region', l.region],
      ['Phase', l.phase],
    ]),
    icon: { id: 'device-camera' },
    contextValue: 'veleroSnapshotLocation',
    collapsible: 'none',
  };
}

/** How any node reads. */
export function presentNode(node: BackupNode, nowMs: number): NodePresentation {
  switch (node.kind) {
    case 'context':
      return {
        label: node.contextName,
        description: node.server,
        tooltip: table(`Context ${node.contextName}`, [['Server', node.server]]),
        icon: { id: 'server-environment' },
        contextValue: 'veleroContext',
        collapsible: 'collapsed',
      };
    case 'install': {
      const i = node.snapshot.install;
      if (i.state === 'installed')
        return {
          label: `Velero ${i.version ?? '(version unknown)'}`,
          description: `namespace ${i.namespace} · server ready ${i.ready}`,
          tooltip: table('Velero is installed', [
            ['Namespace', i.namespace],
            [
              'Version',
              i.version
                ? `${i.version} (${i.versionSource === 'server' ? 'reported by the server' : 'from the server image tag'})`
                : undefined,
            ],
            ['Server replicas ready', i.ready],
            ['Plugins', i.plugins?.length ? i.plugins.map((p) => `${p.name} (${p.kind})`).join(', ') : undefined],
          ]),
          icon: { id: 'pass', color: 'testing.iconPassed' },
          contextValue: 'veleroInstall installed',
          collapsible: 'none',
        };
      if (i.state === 'notInstalled')
        return {
          label: 'Velero is not installed',
          description: `no velero.io CRDs (namespace ${i.namespace})`,
          tooltip: table('Velero is not installed', [['Looked for', 'the velero.io CRDs (backups.velero.io)']]),
          icon: { id: 'info' },
          contextValue: 'veleroInstall notInstalled',
          collapsible: 'none',
        };
      return {
        label: `Velero ${i.version ?? ''} needs attention`.replace('  ', ' '),
        description: i.problem,
        tooltip: table('Velero needs attention', [
          ['Namespace', i.namespace],
          ['Version', i.version],
          ['Problem', i.problem],
        ]),
        icon: { id: 'warning', color: 'list.warningForeground' },
        contextValue: 'veleroInstall degraded',
        collapsible: 'none',
      };
    }
    case 'group': {
      const s = node.snapshot;
      const counts: Record<BackupGroup, number> = {
        backups: s.backups.length,
        restores: s.restores.length,
        schedules: s.schedules.length,
        storageLocations: s.storageLocations.length,
        snapshotLocations: s.snapshotLocations.length,
      };
      const running = node.group === 'backups' ? s.backups.filter((b) => phaseTone(b.phase) === 'running').length : 0;
      const icons: Record<BackupGroup, string> = {
        backups: 'archive',
        restores: 'history',
        schedules: 'calendar',
        storageLocations: 'database',
        snapshotLocations: 'device-camera',
      };
      return {
        label: groupLabels[node.group],
        description: `${counts[node.group]}${running ? ` · ${running} running` : ''}`,
        icon: { id: icons[node.group] },
        contextValue: `veleroGroup ${node.group}`,
        collapsible: node.group === 'backups' || node.group === 'schedules' || node.group === 'storageLocations' ? 'expanded' : 'collapsed',
      };
    }
    case 'backup':
      return presentBackup(node.backup, nowMs);
    case 'restore':
      return presentRestore(node.restore, nowMs);
    case 'schedule':
      return presentSchedule(node.schedule, nowMs);
    case 'scheduleRun':
      return { label: node.text, icon: { id: 'clock' }, contextValue: 'veleroScheduleRun', collapsible: 'none' };
    case 'storageLocation':
      return presentStorageLocation(node.location, nowMs);
    case 'snapshotLocation':
      return presentSnapshotLocation(node.location);
    case 'message':
      return {
        label: node.text,
        ...(node.detail ? { tooltip: md(node.detail) } : {}),
        icon:
          node.severity === 'error'
            ? { id: 'error', color: 'list.errorForeground' }
            : node.severity === 'warning'
              ? { id: 'warning', color: 'list.warningForeground' }
              : { id: 'info' },
        contextValue: `veleroMessage ${node.severity}`,
        collapsible: 'none',
      };
  }
}
