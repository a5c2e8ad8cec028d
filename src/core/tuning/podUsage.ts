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

/** A workload's live usage: its pods' containers summed, against the summed requests and limits. */
export interface WorkloadUsageFigures extends UsageFigures {
  /** Pods with metrics. */
  readonly pods: number;
  /** `pod/container` entries at ≥ 90 % of a limit, with the share (the warning decoration says which). */
  readonly nearLimitContainers: readonly string[];
  /** Containers without a cpu (memory) request: no % of request then (as the HPA, which cannot compute it either). */
  readonly missingCpuRequest: readonly string[];
  readonly missingMemoryRequest: readonly string[];
}

/**
 * Keys `namespace/Kind/name` (Deployment, StatefulSet, DaemonSet, … from the pods' ownerReferences) → the sum of
 * usage over the workload's pods and containers as % of the summed requests (k9s' %CPU/R, %MEM/R) and limits
 * (%CPU/L, %MEM/L). A percentage is given only when every container has that request (limit): a partial sum would
 * overstate it. Pods without an owner are not counted anywhere.
 */
export function usageByWorkload(items: readonly LiveContainerUsage[]): Map<string, WorkloadUsageFigures> {
  const groups = new Map<string, LiveContainerUsage[]>();
  for (const u of items) {
    if (!u.owner) continue;
    const key = `${u.namespace}/${u.owner.kind}/${u.owner.name}`;
    groups.set(key, [...(groups.get(key) ?? []), u]);
  }
  const out = new Map<string, WorkloadUsageFigures>();
  const share = (
    list: readonly LiveContainerUsage[],
    usage: (u: LiveContainerUsage) => number,
    of: (u: LiveContainerUsage) => number | undefined,
  ) =>
    list.every((u) => of(u) !== undefined)
      ? (list.reduce((n, u) => n + usage(u), 0) / list.reduce((n, u) => n + (of(u) ?? 0), 0)) * 100
      : undefined;
  for (const [key, list] of groups) {
    const cpuRequestPercent = share(
      list,
      (u) => u.cpuCores,
      (u) => u.cpuRequestCores,
    );
    const cpuLimitPercent = share(
      list,
      (u) => u.cpuCores,
      (u) => u.cpuLimitCores,
    );
    const memoryRequestPercent = share(
      list,
      (u) => u.memoryBytes,
      (u) => u.memoryRequestBytes,
    );
    const memoryLimitPercent = share(
      list,
      (u) => u.memoryBytes,
      (u) => u.memoryLimitBytes,
    );
    const names = (filter: (u: LiveContainerUsage) => boolean) => [...new Set(list.filter(filter).map((u) => u.container))].sort();
    out.set(key, {
      cpuCores: list.reduce((n, u) => n + u.cpuCores, 0),
      memoryBytes: list.reduce((n, u) => n + u.memoryBytes, 0),
      ...(cpuRequestPercent !== undefined ? { cpuRequestPercent } : {}),
      ...(cpuLimitPercent !== undefined ? { cpuLimitPercent } : {}),
      ...(memoryRequestPercent !== undefined ? { memoryRequestPercent } : {}),
      ...(memoryLimitPercent !== undefined ? { memoryLimitPercent } : {}),
      nearLimit: list.some((u) => u.nearLimit),
      pods: new Set(list.map((u) => u.pod)).size,
      nearLimitContainers: list
        .filter((u) => u.nearLimit)
        .map((u) => {
          const worst = Math.max(u.cpuLimitPercent ?? 0, u.memoryLimitPercent ?? 0);
          const what = (u.memoryLimitPercent ?? 0) >= (u.cpuLimitPercent ?? 0) ? 'memory' : 'cpu';
          return `${u.pod}/${u.container} (${Math.round(worst)}% of its ${what} limit)`;
        }),
      missingCpuRequest: names((u) => u.cpuRequestCores === undefined),
      missingMemoryRequest: names((u) => u.memoryRequestBytes === undefined),
    });
  }
  return out;
}

/** `cpu 1.2 (60% req) · mem 900Mi (70% req)`: a workload's usage against its requests (k9s %CPU/R, %MEM/R). */
export function describeWorkloadUsage(u: WorkloadUsageFigures): string {
  return `${u.nearLimit ? '⚠ ' : ''}cpu ${formatCpuCores(u.cpuCores)}${pct(u.cpuRequestPercent, 'req')} · mem ${formatMemoryBytes(u.memoryBytes)}${pct(u.memoryRequestPercent, 'req')}`;
}

/** The tooltip lines of a workload's usage: every figure, the containers near a limit, the missing requests. */
export function workloadUsageTooltip(u: WorkloadUsageFigures): string[] {
  const line = (label: string, value: number | undefined) => (value === undefined ? '' : `${label}: ${Math.round(value)}%`);
  return [
    `**Usage now** (metrics-server, ${u.pods} pod${u.pods === 1 ? '' : 's'}): CPU ${formatCpuCores(u.cpuCores)}, memory ${formatMemoryBytes(u.memoryBytes)}`,
    line('CPU of requests', u.cpuRequestPercent),
    line('CPU of limits', u.cpuLimitPercent),
    line('Memory of requests', u.memoryRequestPercent),
    line('Memory of limits', u.memoryLimitPercent),
    u.missingCpuRequest.length ? `No CPU request on ${u.missingCpuRequest.join(', ')}: no % of request for CPU.` : '',
    u.missingMemoryRequest.length ? `No memory request on ${u.missingMemoryRequest.join(', ')}: no % of request for memory.` : '',
    u.nearLimitContainers.length
      ? `⚠ Near a limit (≥ 90 %): ${u.nearLimitContainers.join(', ')}. CPU is throttled there, memory is OOM-killed.`
      : '',
  ].filter(Boolean);
}
