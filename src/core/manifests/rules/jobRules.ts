import type { Rule } from '../rule';
import { asArray, asRecord, getAt, scalarString } from '../workloads';
import { podSpecOf } from './singleHelpers';
import { maxIntervalMs, parseCron } from './singleCron';

const alwaysKinds = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController']);

const restartPolicyInvalid: Rule = {
  id: 'restart-policy-invalid',
  level: 'error',
  scope: 'document',
  equivalents: ['kube-linter:restart-policy', 'kube-score:cronjob-restartpolicy', 'datree:WORKLOAD_INCORRECT_RESTARTPOLICY_VALUE_ALWAYS'],
  description: 'Job/CronJob pods need restartPolicy OnFailure or Never; Deployment-style controllers need Always.',
  check(ctx) {
    const kind = ctx.doc.kind ?? '';
    const pod = podSpecOf(ctx);
    if (!pod) return;
    const policy = pod.spec.restartPolicy;
    const path = [...pod.path, 'restartPolicy'];
    if (kind === 'Job' || kind === 'CronJob') {
      if (policy === 'OnFailure' || policy === 'Never') return;
      const set = policy !== undefined && policy !== null;
      ctx.report(
        path,
        set
          ? `A ${kind} pod template cannot use restartPolicy ${scalarString(policy) || 'of this type'}; the API server accepts only OnFailure or Never. Use Never (the Job retries in new pods) or OnFailure.`
          : `The ${kind} pod template has no restartPolicy, so it defaults to Always, which the API server rejects for Jobs; add restartPolicy: Never (or OnFailure).`,
        { data: set ? { suggestion: 'Never' } : { missing: 'restartPolicy', value: 'Never' } },
      );
    } else if (alwaysKinds.has(kind)) {
      if (policy === undefined || policy === null || policy === 'Always') return;
      ctx.report(
        path,
        `A ${kind} pod template must use restartPolicy Always (the API server rejects ${scalarString(policy) || 'other values'}); remove the field or set Always, or use a Job for run-to-completion work.`,
        { data: { suggestion: 'Always' } },
      );
    }
  },
};

const cronJobScheduleInvalid: Rule = {
  id: 'cronjob-schedule-invalid',
  level: 'error',
  scope: 'document',
  /** Only judges values that are present: safe on Kustomize patches. */
  runsOnPartial: true,
  equivalents: ['datree:CRONJOB_INVALID_SCHEDULE_VALUE'],
  description: 'A CronJob schedule is not a 5-field cron expression or an @hourly…@yearly macro.',
  check(ctx) {
    if (ctx.doc.kind !== 'CronJob') return;
    const spec = asRecord(asRecord(ctx.doc.value)?.spec);
    if (!spec || spec.schedule === undefined || spec.schedule === null) return;
    const raw = spec.schedule;
    if (typeof raw !== 'string') {
      ctx.report(
        ['spec', 'schedule'],
        `The schedule must be a quoted string such as "0 3 * * *", not ${Array.isArray(raw) ? 'a list' : typeof raw}.`,
      );
      return;
    }
    if (raw.trim().startsWith('@every ')) {
      ctx.report(
        ['spec', 'schedule'],
        `"${raw}" is not a documented CronJob schedule (only 5-field cron and @yearly…@hourly are); write it as a 5-field schedule such as "*/30 * * * *".`,
        { severity: 'warning' },
      );
      return;
    }
    const parsed = parseCron(raw, { allowEvery: false, allowTimeZonePrefix: false });
    if (!parsed.ok) {
      ctx.report(['spec', 'schedule'], `Invalid CronJob schedule "${raw}": ${parsed.error}.`, { data: { schedule: raw } });
    } else if (maxIntervalMs(parsed) === undefined) {
      ctx.report(
        ['spec', 'schedule'],
        `The schedule "${raw}" never matches a date (e.g. day 30 of February), so the CronJob never runs; fix the day-of-month or month field.`,
        { data: { schedule: raw } },
      );
    }
  },
};

const jobMissingTtl: Rule = {
  id: 'job-missing-ttl',
  level: 'info',
  scope: 'document',
  equivalents: ['kube-linter:job-ttl-seconds-after-finished'],
  description: 'A standalone Job has no ttlSecondsAfterFinished (finished Jobs and their pods are never cleaned up).',
  check(ctx) {
    if (ctx.doc.kind !== 'Job') return;
    const root = asRecord(ctx.doc.value);
    if (!asRecord(root?.spec)) return;
    if (asArray(getAt(root, ['metadata', 'ownerReferences'])).length) return;
    const ttl = getAt(root, ['spec', 'ttlSecondsAfterFinished']);
    if (ttl !== undefined && ttl !== null) return;
    ctx.report(
      ['spec', 'ttlSecondsAfterFinished'],
      'This Job has no ttlSecondsAfterFinished, so it and its pods stay in the cluster after it finishes; set spec.ttlSecondsAfterFinished (e.g. 86400).',
      { data: { missing: 'ttlSecondsAfterFinished', value: 86400 } },
    );
  },
};

function cronJobFieldRule(id: string, field: string, equivalents: string[], description: string, message: string): Rule {
  return {
    id,
    level: 'off',
    scope: 'document',
    equivalents,
    description,
    check(ctx) {
      if (ctx.doc.kind !== 'CronJob') return;
      const spec = asRecord(asRecord(ctx.doc.value)?.spec);
      if (!spec || (spec[field] !== undefined && spec[field] !== null)) return;
      ctx.report(['spec', field], message, { data: { field } });
    },
  };
}

/** Rules of this family (lint-rules.md §2.8). */
export const jobRules: readonly Rule[] = [
  restartPolicyInvalid,
  cronJobScheduleInvalid,
  jobMissingTtl,
  cronJobFieldRule(
    'cronjob-missing-deadline',
    'startingDeadlineSeconds',
    ['kube-score:cronjob-has-deadline', 'datree:CRONJOB_MISSING_STARTINGDEADLINESECOND_KEY'],
    'A CronJob has no startingDeadlineSeconds.',
    'This CronJob has no startingDeadlineSeconds, so after more than 100 missed runs (e.g. controller downtime) it stops scheduling; set spec.startingDeadlineSeconds (e.g. 200).',
  ),
  cronJobFieldRule(
    'cronjob-missing-concurrency-policy',
    'concurrencyPolicy',
    ['datree:CRONJOB_MISSING_CONCURRENCYPOLICY_KEY'],
    'A CronJob has no explicit concurrencyPolicy.',
    'This CronJob has no concurrencyPolicy, so it defaults to Allow and slow runs can pile up; set spec.concurrencyPolicy to Forbid or Replace (or Allow explicitly).',
  ),
];
