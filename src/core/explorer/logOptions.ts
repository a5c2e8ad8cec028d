import type { LogOptions } from '../kube/kubeClient';

/** The query string of `GET /api/v1/namespaces/{ns}/pods/{pod}/log` for `options` (only what is set). */
export function buildLogQuery(options: LogOptions): string {
  const q = new URLSearchParams();
  if (options.container) q.set('container', options.container);
  if (options.follow) q.set('follow', 'true');
  if (options.previous) q.set('previous', 'true');
  if (options.timestamps) q.set('timestamps', 'true');
  if (options.sinceSeconds !== undefined && options.sinceSeconds > 0) q.set('sinceSeconds', String(Math.floor(options.sinceSeconds)));
  if (options.tailLines !== undefined && options.tailLines >= 0) q.set('tailLines', String(Math.floor(options.tailLines)));
  if (options.limitBytes !== undefined && options.limitBytes > 0) q.set('limitBytes', String(Math.floor(options.limitBytes)));
  return q.toString();
}

/**
 * A `--since` duration as kubectl writes it (`30s`, `5m`, `1h`, `2h30m`, `1d`) in seconds; `all`/empty → undefined
 * (the whole log). Throws RangeError on anything else.
 */
export function parseSince(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === '' || t === 'all') return undefined;
  const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
  if (!/^(\d+[smhd])+$/.test(t)) throw new RangeError(`"${text}" is not a duration such as 30s, 5m, 1h or 2h30m`);
  let seconds = 0;
  for (const [, n, unit] of t.matchAll(/(\d+)([smhd])/g)) seconds += Number(n) * (units[unit ?? 's'] ?? 1);
  if (seconds <= 0) throw new RangeError('The duration must be longer than 0 s');
  return seconds;
}

/** A container of a pod as the log picker offers it. */
export interface LogContainer {
  readonly name: string;
  readonly init: boolean;
  readonly image?: string;
  readonly restartCount: number;
  /** A previous instance exists (`lastState.terminated`): `previous` can be offered. */
  readonly hasPrevious: boolean;
  /** One-word state: running, waiting (reason), terminated (reason). */
  readonly state: string;
}

type Json = Record<string, unknown>;
const rec = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.map(rec) : []);

/** The containers of a pod, app containers first then init containers, with what the log options need. */
export function podContainers(pod: Json): LogContainer[] {
  const spec = rec(pod.spec);
  const status = rec(pod.status);
  const statusOf = (name: string, init: boolean) =>
    arr(init ? status.initContainerStatuses : status.containerStatuses).find((s) => s.name === name) ?? {};
  const build = (c: Json, init: boolean): LogContainer => {
    const name = typeof c.name === 'string' ? c.name : '';
    const s = statusOf(name, init);
    const state = rec(s.state);
    const [stateName = 'unknown', detail] = Object.entries(state).map(([k, v]) => [k, rec(v).reason] as const)[0] ?? [];
    const reason = typeof detail === 'string' ? detail : '';
    return {
      name,
      init,
      ...(typeof c.image === 'string' ? { image: c.image } : {}),
      restartCount: Number(s.restartCount ?? 0),
      hasPrevious: Object.keys(rec(rec(s.lastState).terminated)).length > 0,
      state: reason ? `${stateName} (${reason})` : stateName,
    };
  };
  return [...arr(spec.containers).map((c) => build(c, false)), ...arr(spec.initContainers).map((c) => build(c, true))];
}

/** The container kubectl picks by default: the `kubectl.kubernetes.io/default-container` annotation, else the first. */
export function defaultContainer(pod: Json): string | undefined {
  const annotated = rec(rec(pod.metadata).annotations)['kubectl.kubernetes.io/default-container'];
  const containers = podContainers(pod);
  if (typeof annotated === 'string' && containers.some((c) => c.name === annotated)) return annotated;
  return containers.find((c) => !c.init)?.name;
}

/** A label selector string (`a=b,c in (x,y)`) from a workload's `spec.selector` (matchLabels and matchExpressions). */
export function selectorString(selector: unknown): string {
  const s = rec(selector);
  const parts = Object.entries(rec(s.matchLabels)).map(([k, v]) => `${k}=${String(v)}`);
  for (const e of arr(s.matchExpressions)) {
    const values = Array.isArray(e.values) ? e.values.map(String).join(',') : '';
    const key = typeof e.key === 'string' ? e.key : '';
    switch (e.operator) {
      case 'In':
        parts.push(`${key} in (${values})`);
        break;
      case 'NotIn':
        parts.push(`${key} notin (${values})`);
        break;
      case 'Exists':
        parts.push(key);
        break;
      case 'DoesNotExist':
        parts.push(`!${key}`);
        break;
      default:
        break;
    }
  }
  return parts.join(',');
}
