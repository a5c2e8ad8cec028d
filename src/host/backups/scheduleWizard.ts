import * as vscode from 'vscode';
import { ClusterDeckError } from '../../core/errors';
import { parseGoDuration } from '../../core/manifests/rules/singleCron';
import { checkScheduleTtl, previewSchedule } from '../../core/velero/cronSchedule';
import type { StorageLocationSummary } from '../../core/velero/veleroModel';
import { buildBackupSpec, buildSchedule, validateName, validateTtl } from '../../core/velero/veleroRequests';

/** Answers given in advance skip their steps (automation, tests). */
export interface ScheduleAnswers {
  readonly name?: string;
  readonly schedule?: string;
  readonly namespaces?: readonly string[] | 'all';
  readonly ttl?: string;
  readonly storageLocation?: string;
}

const ALL = '$(globe) All namespaces';

/** "Create Schedule": name, cron (validated as you type, with the next runs), namespaces, TTL (longer than the interval), location. */
export async function runScheduleWizard(
  c: {
    readonly contextName: string;
    readonly veleroNamespace: string;
    readonly namespaces: readonly string[];
    readonly locations: readonly StorageLocationSummary[];
    readonly nowMs: number;
  },
  a: ScheduleAnswers = {},
): Promise<Record<string, unknown> | undefined> {
  const title = `Create Schedule: ${c.contextName}`;
  const name =
    a.name ??
    (await vscode.window.showInputBox({
      title: `${title} (1/5)`,
      prompt: 'Schedule name',
      ignoreFocusOut: true,
      validateInput: validateName,
    }));
  if (!name || validateName(name)) return undefined;
  const schedule =
    a.schedule ??
    (await vscode.window.showInputBox({
      title: `${title} (2/5)`,
      prompt: 'Cron (minute hour day month weekday), @daily, @every 6h; optional CRON_TZ=Europe/Berlin prefix. Times are UTC without it.',
      value: '0 3 * * *',
      ignoreFocusOut: true,
      validateInput: (v) => {
        const p = previewSchedule(v, Date.now());
        return 'error' in p ? p.error : { message: p.message, severity: vscode.InputBoxValidationSeverity.Info };
      },
    }));
  if (schedule === undefined || 'error' in previewSchedule(schedule, c.nowMs)) return undefined;
  let namespaces = a.namespaces;
  if (!namespaces) {
    const picked = await vscode.window.showQuickPick([{ label: ALL }, ...c.namespaces.map((n) => ({ label: n }))], {
      title: `${title} (3/5)`,
      placeHolder: 'Back up which namespaces?',
      canPickMany: true,
      ignoreFocusOut: true,
    });
    if (!picked?.length) return undefined;
    namespaces = picked.some((p) => p.label === ALL) ? 'all' : picked.map((p) => p.label);
  }
  const ttl =
    a.ttl ??
    (await vscode.window.showInputBox({
      title: `${title} (4/5)`,
      prompt: 'Keep each backup for (TTL); it must be longer than the time between two runs',
      value: '720h0m0s',
      ignoreFocusOut: true,
      validateInput: (v) => validateTtl(v) ?? checkScheduleTtl(schedule, parseGoDuration(v.trim()) ?? 0),
    }));
  if (ttl === undefined) return undefined;
  const problem = validateTtl(ttl) ?? checkScheduleTtl(schedule, parseGoDuration(ttl.trim()) ?? 0);
  if (problem) throw new ClusterDeckError('badConfig', problem);
  const location =
    a.storageLocation ??
    (
      await vscode.window.showQuickPick(
        c.locations.map((l) => ({ label: l.name, description: [l.phase, l.isDefault ? 'default' : ''].filter(Boolean).join(' · ') })),
        { title: `${title} (5/5)`, placeHolder: 'Storage location', ignoreFocusOut: true },
      )
    )?.label;
  if (!location) return undefined;
  return buildSchedule({
    name,
    veleroNamespace: c.veleroNamespace,
    schedule: schedule.trim(),
    template: buildBackupSpec({
      includedNamespaces: namespaces === 'all' ? [] : [...namespaces],
      ttl: ttl.trim(),
      storageLocation: location,
    }),
  });
}
