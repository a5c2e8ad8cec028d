import type { Rule, RuleContext } from '../rule';
import { asRecord, getAt, scalarString } from '../workloads';
import { formatInterval, maxIntervalMs, parseCron, parseGoDuration } from './singleCron';
import { stringsOf } from './singleHelpers';

function isVelero(ctx: RuleContext, kind: string): boolean {
  return ctx.doc.kind === kind && (ctx.doc.apiVersion ?? '').startsWith('velero.io/');
}

const scheduleInvalidCron: Rule = {
  id: 'velero-schedule-invalid-cron',
  level: 'error',
  scope: 'document',
  /** Only judges values that are present: safe on Kustomize patches. */
  runsOnPartial: true,
  equivalents: [],
  description: 'A Velero Schedule spec.schedule is not valid cron (Velero sets phase FailedValidation).',
  check(ctx) {
    if (!isVelero(ctx, 'Schedule')) return;
    const raw = getAt(ctx.doc.value, ['spec', 'schedule']);
    if (raw === undefined || raw === null) return;
    if (typeof raw !== 'string') {
      ctx.report(
        ['spec', 'schedule'],
        'The schedule must be a quoted string such as "0 3 * * *"; Velero marks the Schedule FailedValidation otherwise.',
      );
      return;
    }
    const parsed = parseCron(raw, { allowEvery: true, allowTimeZonePrefix: true });
    if (!parsed.ok) {
      ctx.report(
        ['spec', 'schedule'],
        `Invalid schedule "${raw}": ${parsed.error}. Velero marks the Schedule FailedValidation and takes no backups; use 5-field cron (e.g. "CRON_TZ=Europe/Berlin 0 2 * * *"), a descriptor (@daily) or @every 6h.`,
        { data: { schedule: raw } },
      );
    } else if (maxIntervalMs(parsed) === undefined) {
      ctx.report(
        ['spec', 'schedule'],
        `The schedule "${raw}" never matches a date (e.g. day 30 of February), so no backup is ever taken; fix the day-of-month or month field.`,
        { data: { schedule: raw } },
      );
    }
  },
};

const defaultTtlMs = 720 * 3_600_000;

const scheduleTtlShorterThanInterval: Rule = {
  id: 'velero-schedule-ttl-shorter-than-interval',
  level: 'warning',
  scope: 'document',
  equivalents: [],
  description: 'A Velero Schedule keeps backups for less time than the gap between two runs (periods with no backup).',
  check(ctx) {
    if (!isVelero(ctx, 'Schedule')) return;
    const raw = getAt(ctx.doc.value, ['spec', 'schedule']);
    if (typeof raw !== 'string') return;
    const interval = maxIntervalMs(parseCron(raw, { allowEvery: true, allowTimeZonePrefix: true }));
    if (interval === undefined) return;
    const ttlRaw = getAt(ctx.doc.value, ['spec', 'template', 'ttl']);
    const explicit = typeof ttlRaw === 'string' && ttlRaw !== '';
    const ttl = explicit ? parseGoDuration(ttlRaw) : ttlRaw === undefined || ttlRaw === null ? defaultTtlMs : undefined;
    if (ttl === undefined || ttl <= 0 || ttl >= interval) return;
    const hours = Math.ceil((interval * 2) / 3_600_000);
    ctx.report(
      explicit ? ['spec', 'template', 'ttl'] : ['spec', 'schedule'],
      `Backups expire after ${explicit ? scalarString(ttlRaw) : 'the default 720h'} (${formatInterval(ttl)}) but this schedule can go ${formatInterval(interval)} between runs, leaving a window with no backup; set spec.template.ttl to at least ${Math.ceil(interval / 3_600_000)}h (e.g. ${hours}h0m0s to keep two).`,
      { data: explicit ? { suggestion: `${hours}h0m0s` } : { missing: 'spec.template.ttl', value: `${hours}h0m0s` } },
    );
  },
};

const restoreUpdatePolicy: Rule = {
  id: 'velero-restore-update-policy',
  level: 'info',
  scope: 'document',
  equivalents: [],
  description: 'A Velero Restore overwrites existing objects (existingResourcePolicy: update).',
  check(ctx) {
    if (!isVelero(ctx, 'Restore')) return;
    if (getAt(ctx.doc.value, ['spec', 'existingResourcePolicy']) !== 'update') return;
    ctx.report(
      ['spec', 'existingResourcePolicy'],
      'existingResourcePolicy: update overwrites live objects that already exist in the cluster with the backed-up version; use none (the default) unless you mean to roll objects back.',
      { data: { suggestion: 'none' } },
    );
  },
};

const protectedNamespaces = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

const restoreIntoProtectedNamespace: Rule = {
  id: 'velero-restore-into-protected-namespace',
  level: 'warning',
  scope: 'document',
  equivalents: [],
  description: 'A Velero Restore writes into kube-system, kube-public, kube-node-lease or the Velero namespace.',
  check(ctx) {
    if (!isVelero(ctx, 'Restore')) return;
    const spec = asRecord(asRecord(ctx.doc.value)?.spec);
    if (!spec) return;
    const veleroNamespace = ctx.doc.namespace ?? 'velero';
    const isProtected = (ns: string) => protectedNamespaces.has(ns) || ns === veleroNamespace || ns === 'velero';
    const mapping = asRecord(spec.namespaceMapping) ?? {};
    const excluded = new Set(stringsOf(spec.excludedNamespaces).map((i) => i.value));
    const message = (ns: string, how: string) =>
      `This Restore ${how} "${ns}"; restoring over ${ns === veleroNamespace || ns === 'velero' ? "Velero's own objects" : 'system objects'} can break the cluster. Map it to another namespace with namespaceMapping or exclude it.`;
    for (const [source, target] of Object.entries(mapping)) {
      if (typeof target !== 'string' || !isProtected(target) || excluded.has(source)) continue;
      ctx.report(['spec', 'namespaceMapping', source], message(target, `maps "${source}" into protected namespace`), {
        data: { namespace: target },
      });
    }
    for (const { value, index } of stringsOf(spec.includedNamespaces)) {
      if (!isProtected(value) || excluded.has(value) || typeof mapping[value] === 'string') continue;
      ctx.report(['spec', 'includedNamespaces', index], message(value, 'restores into protected namespace'), {
        data: { namespace: value },
      });
    }
  },
};

/** Rules of this family (lint-rules.md §2.12). */
export const veleroRules: readonly Rule[] = [
  scheduleInvalidCron,
  scheduleTtlShorterThanInterval,
  restoreUpdatePolicy,
  restoreIntoProtectedNamespace,
];
