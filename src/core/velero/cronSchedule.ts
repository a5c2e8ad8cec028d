// Velero Schedule cron expressions in words and their next run times, on top of the robfig-compatible parser
// of the manifest linter. Without a CRON_TZ= prefix Velero's server zone applies, which is UTC in its image.
import { formatInterval, maxIntervalMs, parseCron, type CronFields, type CronSchedule } from '../manifests/rules/singleCron';

/** Parses a Velero `spec.schedule` (5 fields, descriptors, `@every`, `CRON_TZ=`); never throws. */
export function parseVeleroSchedule(text: string): CronSchedule {
  return parseCron(text.trim(), { allowEvery: true, allowTimeZonePrefix: true });
}

const dayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const pad = (n: number): string => String(n).padStart(2, '0');

/** `[0,15,30,45]` on 0-59 → 15 (a regular step from the minimum), else undefined. */
function stepOf(values: readonly number[], min: number, max: number): number | undefined {
  if (values.length < 2 || values[0] !== min) return undefined;
  const step = (values[1] ?? 0) - (values[0] ?? 0);
  for (let i = 1; i < values.length; i++) if ((values[i] ?? 0) - (values[i - 1] ?? 0) !== step) return undefined;
  return (values[values.length - 1] ?? 0) + step > max ? step : undefined;
}

/** `[1,2,3,4,5]` → "Monday to Friday"; lists otherwise. */
function listOf(values: readonly number[], name: (v: number) => string): string {
  const contiguous = values.length > 2 && values.every((v, i) => i === 0 || v === (values[i - 1] ?? 0) + 1);
  if (contiguous) return `${name(values[0] ?? 0)} to ${name(values[values.length - 1] ?? 0)}`;
  if (values.length <= 1) return values.map(name).join('');
  return `${values.slice(0, -1).map(name).join(', ')} and ${name(values[values.length - 1] ?? 0)}`;
}

function timePart(f: CronFields): string {
  const allHours = f.hours.length === 24;
  const allMinutes = f.minutes.length === 60;
  if (allMinutes) return allHours ? 'every minute' : `every minute during hour${f.hours.length > 1 ? 's' : ''} ${f.hours.join(', ')}`;
  const minuteStep = stepOf(f.minutes, 0, 59);
  if (allHours && minuteStep) return `every ${minuteStep} minutes`;
  if (allHours) return f.minutes.length === 1 && f.minutes[0] === 0 ? 'every hour' : `every hour at minute ${listOf(f.minutes, String)}`;
  const hourStep = stepOf(f.hours, 0, 23);
  if (hourStep && f.minutes.length === 1) return `every ${hourStep} hours at minute ${f.minutes[0] ?? 0}`;
  const times: string[] = [];
  for (const h of f.hours) for (const m of f.minutes) times.push(`${pad(h)}:${pad(m)}`);
  if (times.length <= 6)
    return `at ${listOf(
      times.map((_, i) => i),
      (i) => times[i] ?? '',
    )}`;
  return `at minute ${listOf(f.minutes, String)} of hours ${f.hours.join(', ')}`;
}

function dayPart(f: CronFields): string {
  const allMonths = f.months.length === 12;
  const allDom = f.daysOfMonth.length === 31;
  const allDow = f.daysOfWeek.length === 7;
  const parts: string[] = [];
  const onDom = !allDom ? `on day ${listOf(f.daysOfMonth, String)} of the month` : '';
  const onDow = !allDow ? `on ${listOf(f.daysOfWeek, (d) => dayNames[d] ?? String(d))}` : '';
  if (onDom && onDow) parts.push(f.domStar || f.dowStar ? `${onDom} and ${onDow}` : `${onDom} or ${onDow}`);
  else if (onDom || onDow) parts.push(onDom || onDow);
  else parts.push('every day');
  if (!allMonths) parts.push(`in ${listOf(f.months, (m) => monthNames[m - 1] ?? String(m))}`);
  return parts.join(' ');
}

/** "Every day at 01:00 (UTC)", "Every 1 hour", "Every 15 minutes on Monday to Friday (Europe/Berlin)". */
export function describeSchedule(schedule: CronSchedule): string {
  if (!schedule.ok) return `Invalid schedule: ${schedule.error}`;
  const zone = ` (${schedule.timeZone ?? 'UTC'})`;
  if (schedule.kind === 'every') return `Every ${durationWords(schedule.everyMs)}`;
  const f = schedule.fields;
  const time = timePart(f);
  const day = dayPart(f);
  const sentence = time.startsWith('every') && day === 'every day' ? time : day === 'every day' ? `every day ${time}` : `${time} ${day}`;
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}${zone}`;
}

/** "1 hour", "6 hours", "90 minutes", "2 days". */
function durationWords(ms: number): string {
  const unit = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  const minutes = ms / 60_000;
  if (minutes >= 1440 && minutes % 1440 === 0) return unit(minutes / 1440, 'day');
  if (minutes >= 60 && minutes % 60 === 0) return unit(minutes / 60, 'hour');
  if (Number.isInteger(minutes)) return unit(minutes, 'minute');
  return unit(Math.round(ms / 1000), 'second');
}

/** Offset of `zone` from UTC at `utcMs`, in milliseconds (Berlin in summer: +7,200,000). */
function zoneOffsetMs(zone: string, utcMs: number): number {
  if (zone === 'UTC') return 0;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone === 'Local' ? undefined : zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(utcMs));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** The UTC instant of a wall-clock time in `zone`; undefined in a DST gap (robfig skips those runs too). */
function wallToUtc(zone: string, y: number, mo: number, d: number, h: number, mi: number): number | undefined {
  const wall = Date.UTC(y, mo, d, h, mi);
  let utc = wall - zoneOffsetMs(zone, wall);
  utc = wall - zoneOffsetMs(zone, utc);
  const back = new Date(utc + zoneOffsetMs(zone, utc));
  return back.getUTCHours() === h && back.getUTCMinutes() === mi ? utc : undefined;
}

/**
 * The next `count` run times strictly after `afterMs` (epoch ms). `@every` counts from `lastRunMs` when given
 * (Velero runs it relative to the last backup), else from `afterMs`. Empty when the schedule never runs.
 */
export function nextRuns(schedule: CronSchedule, afterMs: number, count: number, lastRunMs?: number): number[] {
  if (!schedule.ok || count <= 0) return [];
  if (schedule.kind === 'every') {
    let t = (lastRunMs ?? afterMs) + schedule.everyMs;
    while (t <= afterMs) t += schedule.everyMs;
    return Array.from({ length: count }, (_, i) => t + i * schedule.everyMs);
  }
  const zone = schedule.timeZone ?? 'UTC';
  const f = schedule.fields;
  const months = new Set(f.months);
  const doms = new Set(f.daysOfMonth);
  const dows = new Set(f.daysOfWeek);
  const start = new Date(afterMs + zoneOffsetMs(zone, afterMs) - 86_400_000);
  const out: number[] = [];
  for (let day = 0; day < 8 * 366 && out.length < count; day++) {
    const date = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() + day));
    if (!months.has(date.getUTCMonth() + 1)) continue;
    const domMatch = doms.has(date.getUTCDate());
    const dowMatch = dows.has(date.getUTCDay());
    if (!(f.domStar || f.dowStar ? domMatch && dowMatch : domMatch || dowMatch)) continue;
    for (const h of f.hours)
      for (const m of f.minutes) {
        const t = wallToUtc(zone, date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), h, m);
        if (t !== undefined && t > afterMs && out.length < count) out.push(t);
      }
  }
  return out;
}

/**
 * Checks a schedule and the TTL of its backups: the TTL must exceed the longest gap between two runs, or a
 * moment comes when no backup exists. Returns an error sentence, or undefined when both are fine.
 */
export function checkScheduleTtl(scheduleText: string, ttlMs: number): string | undefined {
  const schedule = parseVeleroSchedule(scheduleText);
  if (!schedule.ok) return `Invalid schedule: ${schedule.error}`;
  const interval = maxIntervalMs(schedule);
  if (interval === undefined) return 'This schedule never runs.';
  if (ttlMs <= interval)
    return `The TTL must be longer than the longest time between two runs (${formatInterval(interval)}), or there are moments with no backup.`;
  return undefined;
}

/** What the schedule input shows as the user types: an error, or the schedule in words and its next three runs. */
export function previewSchedule(text: string, nowMs: number): { readonly error: string } | { readonly message: string } {
  const parsed = parseVeleroSchedule(text);
  if (!parsed.ok) return { error: `Invalid schedule: ${parsed.error}` };
  const runs = nextRuns(parsed, nowMs, 3);
  if (!runs.length) return { error: 'This schedule never runs.' };
  const zone = parsed.kind === 'fields' ? (parsed.timeZone ?? 'UTC') : 'UTC';
  const fmt = (t: number): string =>
    `${new Intl.DateTimeFormat('en-GB', {
      timeZone: zone === 'Local' ? 'UTC' : zone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .format(new Date(t))
      .replace(',', '')}`;
  return { message: `${describeSchedule(parsed)} · next: ${runs.map(fmt).join(', ')}` };
}
