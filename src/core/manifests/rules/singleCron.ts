// Cron schedules as robfig/cron v3 `ParseStandard` reads them (used by the CronJob controller and by Velero):
// five fields (minute hour day-of-month month day-of-week), `@yearly`…`@hourly` descriptors, `@every <duration>`,
// an optional `TZ=`/`CRON_TZ=` zone prefix. Plus the longest gap between two runs, for TTL checks.

/** The expanded fields of a 5-field schedule. */
export interface CronFields {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: readonly number[];
  readonly months: readonly number[];
  readonly daysOfWeek: readonly number[];
  /** `*` (or `?`) in day-of-month / day-of-week: robfig ANDs the two day fields when either is a star, else ORs them. */
  readonly domStar: boolean;
  readonly dowStar: boolean;
}

export type CronSchedule =
  | { readonly ok: true; readonly kind: 'fields'; readonly fields: CronFields; readonly descriptor?: string; readonly timeZone?: string }
  | { readonly ok: true; readonly kind: 'every'; readonly everyMs: number; readonly timeZone?: string }
  | { readonly ok: false; readonly error: string };

export interface CronOptions {
  /** Accept `@every <duration>` (Velero). */
  readonly allowEvery: boolean;
  /** Accept a `TZ=`/`CRON_TZ=` prefix (Velero); otherwise any "TZ" is an error (CronJob: use spec.timeZone). */
  readonly allowTimeZonePrefix: boolean;
}

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const months: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const weekdays: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const fieldSpecs: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: months },
  { name: 'day of week', min: 0, max: 6, names: weekdays },
];

const descriptors: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

class CronError extends Error {}

function parseNumber(s: string, spec: FieldSpec): number {
  const named = spec.names?.[s.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\+?[0-9]+$/.test(s)) {
    const quartz = /^([0-9]*[LW]|LW)$|#/.test(s) ? ' (Quartz-style L, W and # are not supported)' : '';
    throw new CronError(`"${s}" is not a number${spec.names ? ' or a name' : ''} in the ${spec.name} field${quartz}`);
  }
  return Number(s);
}

/** One field: comma-separated `*`, `?`, `a`, `a-b`, each with an optional `/step`. */
function parseField(expr: string, spec: FieldSpec): { values: number[]; star: boolean } {
  const bits = new Set<number>();
  let star = false;
  for (const part of expr.split(',')) {
    const rangeAndStep = part.split('/');
    if (rangeAndStep.length > 2) throw new CronError(`too many slashes in "${part}" (${spec.name})`);
    const lowAndHigh = (rangeAndStep[0] ?? '').split('-');
    const single = lowAndHigh.length === 1;
    let start: number;
    let end: number;
    let partStar = false;
    if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
      start = spec.min;
      end = spec.max;
      partStar = true;
    } else {
      if (lowAndHigh.length > 2) throw new CronError(`too many hyphens in "${part}" (${spec.name})`);
      start = parseNumber(lowAndHigh[0] ?? '', spec);
      end = lowAndHigh.length === 2 ? parseNumber(lowAndHigh[1] ?? '', spec) : start;
    }
    let step = 1;
    if (rangeAndStep.length === 2) {
      const s = rangeAndStep[1] ?? '';
      if (!/^\+?[0-9]+$/.test(s)) throw new CronError(`"${s}" is not a step number in "${part}" (${spec.name})`);
      step = Number(s);
      if (single) end = spec.max;
      if (step > 1) partStar = false;
    }
    if (start < spec.min) throw new CronError(`${start} is below the ${spec.name} range ${spec.min}-${spec.max}`);
    if (end > spec.max)
      throw new CronError(
        `${end} is above the ${spec.name} range ${spec.min}-${spec.max}${spec.name === 'day of week' && end === 7 ? ' (use 0 for Sunday)' : ''}`,
      );
    if (start > end) throw new CronError(`the range "${part}" starts after it ends (${spec.name})`);
    if (step === 0) throw new CronError(`the step in "${part}" must be a positive number (${spec.name})`);
    for (let v = start; v <= end; v += step) bits.add(v);
    if (partStar) star = true;
  }
  return { values: [...bits].sort((a, b) => a - b), star };
}

/** A Go `time.ParseDuration` string in milliseconds, or undefined. */
export function parseGoDuration(s: string): number | undefined {
  const m = /^([-+]?)((?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(s);
  if (!m) return /^[-+]?0$/.test(s) ? 0 : undefined;
  const unitMs: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const part of (m[2] ?? '').matchAll(/([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)/g))
    total += Number(part[1]) * (unitMs[part[2] ?? ''] ?? 0);
  return m[1] === '-' ? -total : total;
}

/** True when `zone` names an IANA time zone (or UTC / Local, as Go's time.LoadLocation accepts). */
export function isTimeZone(zone: string): boolean {
  if (zone === 'UTC' || zone === 'Local') return true;
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Parses a schedule; never throws. */
export function parseCron(input: string, options: CronOptions): CronSchedule {
  try {
    let spec = input;
    if (spec.trim() === '') return { ok: false, error: 'the schedule is empty' };
    let timeZone: string | undefined;
    if (!options.allowTimeZonePrefix && spec.includes('TZ')) {
      return { ok: false, error: 'TZ or CRON_TZ is not allowed in a CronJob schedule; put the zone in spec.timeZone instead' };
    }
    if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
      const space = spec.indexOf(' ');
      if (space < 0) return { ok: false, error: 'the time zone prefix must be followed by a schedule' };
      timeZone = spec.slice(spec.indexOf('=') + 1, space);
      if (!isTimeZone(timeZone))
        return { ok: false, error: `"${timeZone}" is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)` };
      spec = spec.slice(space).trim();
    }
    const tz = timeZone !== undefined ? { timeZone } : {};
    if (spec.startsWith('@')) {
      if (spec.startsWith('@every ')) {
        if (!options.allowEvery)
          return { ok: false, error: '@every is not a standard CronJob schedule; write a 5-field schedule (e.g. */15 * * * *)' };
        const d = parseGoDuration(spec.slice('@every '.length));
        if (d === undefined) return { ok: false, error: `"${spec.slice('@every '.length)}" is not a duration (e.g. 6h, 30m, 1h30m)` };
        return { ok: true, kind: 'every', everyMs: Math.max(d, 1000), ...tz };
      }
      const expanded = descriptors[spec];
      if (!expanded)
        return {
          ok: false,
          error: `unknown descriptor "${spec}" (use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly${options.allowEvery ? ', or @every <duration>' : ''})`,
        };
      const parsed = parseFields(expanded);
      return { ok: true, kind: 'fields', fields: parsed, descriptor: spec, ...tz };
    }
    return { ok: true, kind: 'fields', fields: parseFields(spec), ...tz };
  } catch (e) {
    if (e instanceof CronError) return { ok: false, error: e.message };
    return { ok: false, error: 'the schedule could not be read' };
  }
}

function parseFields(spec: string): CronFields {
  const parts = spec.trim().split(/\s+/);
  if (parts.length !== 5) {
    throw new CronError(
      `expected exactly 5 fields (minute hour day-of-month month day-of-week), found ${parts.length}${parts.length === 6 ? ' (seconds are not supported)' : ''}`,
    );
  }
  const [minute, hour, dom, month, dow] = parts.map((p, i) => parseField(p, fieldSpecs[i] as FieldSpec));
  return {
    minutes: minute?.values ?? [],
    hours: hour?.values ?? [],
    daysOfMonth: dom?.values ?? [],
    months: month?.values ?? [],
    daysOfWeek: dow?.values ?? [],
    domStar: dom?.star ?? false,
    dowStar: dow?.star ?? false,
  };
}

const dayMs = 86_400_000;
/** 2024-01-01 UTC, a Monday at the start of a leap year; 8 years cover leap days and weekday drift. */
const windowStart = Date.UTC(2024, 0, 1);
const windowDays = 8 * 365 + 2;

/**
 * The longest time between two consecutive runs, in milliseconds, judged over eight years of calendar;
 * undefined when the schedule never runs (e.g. `0 0 30 2 *`).
 */
export function maxIntervalMs(schedule: CronSchedule): number | undefined {
  if (!schedule.ok) return undefined;
  if (schedule.kind === 'every') return schedule.everyMs;
  const f = schedule.fields;
  const times: number[] = [];
  for (const h of f.hours) for (const m of f.minutes) times.push(h * 60 + m);
  times.sort((a, b) => a - b);
  if (!times.length) return undefined;
  const months = new Set(f.months);
  const doms = new Set(f.daysOfMonth);
  const dows = new Set(f.daysOfWeek);
  const runDays: number[] = [];
  for (let d = 0; d < windowDays; d++) {
    const date = new Date(windowStart + d * dayMs);
    if (!months.has(date.getUTCMonth() + 1)) continue;
    const domMatch = doms.has(date.getUTCDate());
    const dowMatch = dows.has(date.getUTCDay());
    const match = f.domStar || f.dowStar ? domMatch && dowMatch : domMatch || dowMatch;
    if (match) runDays.push(d);
  }
  if (!runDays.length) return undefined;
  const first = times[0] ?? 0;
  const last = times[times.length - 1] ?? 0;
  let maxMinutes = 0;
  for (let i = 1; i < times.length; i++) maxMinutes = Math.max(maxMinutes, (times[i] ?? 0) - (times[i - 1] ?? 0));
  if (runDays.length === 1) maxMinutes = Math.max(maxMinutes, windowDays * 1440);
  for (let i = 1; i < runDays.length; i++)
    maxMinutes = Math.max(maxMinutes, ((runDays[i] ?? 0) - (runDays[i - 1] ?? 0)) * 1440 + first - last);
  return maxMinutes * 60_000;
}

/** "31 days", "6 hours", "90 minutes" for messages. */
export function formatInterval(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes >= 2880 && minutes % 1440 === 0) return `${minutes / 1440} days`;
  if (minutes >= 120 && minutes % 60 === 0) return `${minutes / 60} hours`;
  if (minutes >= 1 && Number.isInteger(minutes)) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  return `${Math.round(ms / 1000)} seconds`;
}
