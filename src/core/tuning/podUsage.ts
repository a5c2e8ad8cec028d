// Live usage per pod and container as the Clusters tree shows it: usage and % of request / % of limit (k9s'
// %CPU/R and %MEM/L), with "near limit" when a container uses 90 % or more of a limit.
import { formatCpuCores, formatMemoryBytes } from '../kube/quantity';
import type { LiveContainerUsage } from './liveUsage';

/** Usage of one pod (its containers summed) or one container. Percentages: the worst container's. */
export interface UsageFigures {
  readonly cpuCores: number;
  readonly memoryBytes: number;
  readonly cpuRequestPercent?: number;
  readonly cpuLimitPercent?: number;
  readonly memoryRequestPercent?: number;
  readonly memoryLimitPercent?: number;
  readonly nearLimit: boolean;
}

const worst = (values: readonly (number | undefined)[]): number | undefined => {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length ? Math.max(...defined) : undefined;
};

/** Keys `namespace/pod` (pods) and `namespace/pod/container` (containers) → figures. */
export function usageByPod(items: readonly LiveContainerUsage[]): Map<string, UsageFigures> {
  const out = new Map<string, UsageFigures>();
  const byPod = new Map<string, LiveContainerUsage[]>();
  for (const u of items) {
    out.set(`${u.namespace}/${u.pod}/${u.container}`, u);
    const key = `${u.namespace}/${u.pod}`;
    byPod.set(key, [...(byPod.get(key) ?? []), u]);
  }
  for (const [key, list] of byPod) {
    const cpuRequestPercent = worst(list.map((u) => u.cpuRequestPercent));
    const cpuLimitPercent = worst(list.map((u) => u.cpuLimitPercent));
    const memoryRequestPercent = worst(list.map((u) => u.memoryRequestPercent));
    const memoryLimitPercent = worst(list.map((u) => u.memoryLimitPercent));
    out.set(key, {
      cpuCores: list.reduce((n, u) => n + u.cpuCores, 0),
      memoryBytes: list.reduce((n, u) => n + u.memoryBytes, 0),
      ...(cpuRequestPercent !== undefined ? { cpuRequestPercent } : {}),
      ...(cpuLimitPercent !== undefined ? { cpuLimitPercent } : {}),
      ...(memoryRequestPercent !== undefined ? { memoryRequestPercent } : {}),
      ...(memoryLimitPercent !== undefined ? { memoryLimitPercent } : {}),
      nearLimit: list.some((u) => u.nearLimit),
    });
  }
  return out;
}

const pct = (v: number | undefined, of: string): string => (v === undefined ? '' : ` (${Math.round(v)}% ${of})`);

/**
 * `cpu 120m (60% req) · mem 200Mi (85% lim)`: the limit's share when a limit is set (that is what throttles or
 * kills), else the request's; no percentage when neither is set (never a made-up one).
 */
export function describeUsage(u: UsageFigures): string {
  const cpu = `cpu ${formatCpuCores(u.cpuCores)}${u.cpuLimitPercent !== undefined ? pct(u.cpuLimitPercent, 'lim') : pct(u.cpuRequestPercent, 'req')}`;
  const mem = `mem ${formatMemoryBytes(u.memoryBytes)}${
    u.memoryLimitPercent !== undefined ? pct(u.memoryLimitPercent, 'lim') : pct(u.memoryRequestPercent, 'req')
  }`;
  return `${cpu} · ${mem}`;
}

/** The Markdown lines of the tooltip: every figure, and what near-limit means. */
export function usageTooltip(u: UsageFigures): string[] {
  const line = (label: string, value: number | undefined) => (value === undefined ? '' : `${label}: ${Math.round(value)}%`);
  return [
    `**Usage now** (metrics-server): CPU ${formatCpuCores(u.cpuCores)}, memory ${formatMemoryBytes(u.memoryBytes)}`,
    line('CPU of request', u.cpuRequestPercent),
    line('CPU of limit', u.cpuLimitPercent),
    line('Memory of request', u.memoryRequestPercent),
    line('Memory of limit', u.memoryLimitPercent),
    u.nearLimit ? '⚠ A container uses 90 % or more of a limit: CPU is throttled there, memory is OOM-killed.' : '',
  ].filter(Boolean);
}
