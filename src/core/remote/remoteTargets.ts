/**
 * The pure half of port-forward and exec: which pod and port a Pod, Service or Deployment forwards to, the
 * local port the user typed, the shell command and the exit status of an exec's error channel.
 */
import type { ResourceKind } from '../kube/resourceKinds';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function rec(v: unknown): Record<string, unknown> {
  return isRecord(v) ? v : {};
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

/** One entry of an APIResourceList (`GET /api/v1`, `GET /apis/apps/v1`). */
interface DiscoveryResource {
  readonly name?: string;
  readonly kind?: string;
  readonly namespaced?: boolean;
}

/** The resource serving `kind` in a discovery document; subresources (`pods/log`) are skipped. */
export function findResourceInDiscovery(list: unknown, apiVersion: string, kind: string): ResourceKind | undefined {
  const resources = rec(list).resources;
  if (!Array.isArray(resources)) return undefined;
  const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
  for (const r of resources as DiscoveryResource[]) {
    if (r.kind !== kind || !r.name || r.name.includes('/')) continue;
    return { kind, plural: r.name, group, version, namespaced: r.namespaced === true, label: kind };
  }
  return undefined;
}

/** The shell an exec starts: bash when the image has it, else sh (an argument array: no local shell involved). */
export const execShellCommand: readonly string[] = ['/bin/sh', '-c', 'command -v bash >/dev/null && exec bash || exec sh'];

/** The label selector of a Service (`spec.selector`) or workload (`spec.selector.matchLabels`/`matchExpressions`). */
export function labelSelectorOf(obj: Record<string, unknown>): string | undefined {
  const spec = rec(obj.spec);
  const selector = rec(spec.selector);
  const terms: string[] = [];
  const matchLabels = obj.kind === 'Service' ? selector : rec(selector.matchLabels);
  for (const [k, v] of Object.entries(matchLabels)) if (typeof v === 'string') terms.push(`${k}=${v}`);
  if (obj.kind !== 'Service' && Array.isArray(selector.matchExpressions)) {
    for (const e of selector.matchExpressions.map(rec)) {
      const key = str(e.key);
      const values = Array.isArray(e.values) ? e.values.map(String).join(',') : '';
      switch (e.operator) {
        case 'In':
          terms.push(`${key} in (${values})`);
          break;
        case 'NotIn':
          terms.push(`${key} notin (${values})`);
          break;
        case 'Exists':
          terms.push(key);
          break;
        case 'DoesNotExist':
          terms.push(`!${key}`);
          break;
        default:
          break;
      }
    }
  }
  return terms.length > 0 ? terms.join(',') : undefined;
}

/** True for a Running pod whose Ready condition is True and that is not being deleted. */
export function isPodReady(pod: Record<string, unknown>): boolean {
  const status = rec(pod.status);
  if (status.phase !== 'Running' || rec(pod.metadata).deletionTimestamp) return false;
  const conditions = Array.isArray(status.conditions) ? status.conditions.map(rec) : [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The first ready pod by name (stable choice), or undefined. */
export function pickReadyPod(pods: readonly Record<string, unknown>[]): Record<string, unknown> | undefined {
  return [...pods].filter(isPodReady).sort((a, b) => str(rec(a.metadata).name).localeCompare(str(rec(b.metadata).name)))[0];
}

/** A port the user can forward to. */
export interface RemotePortChoice {
  readonly port: number;
  /** "http (80/TCP) in container web", "service port 80 → 8080". */
  readonly description: string;
}

/** The TCP container ports of a pod's containers. */
export function containerPortsOf(pod: Record<string, unknown>): RemotePortChoice[] {
  const containers = Array.isArray(rec(pod.spec).containers) ? (rec(pod.spec).containers as unknown[]).map(rec) : [];
  const out: RemotePortChoice[] = [];
  for (const c of containers) {
    for (const p of Array.isArray(c.ports) ? c.ports.map(rec) : []) {
      if (typeof p.containerPort !== 'number' || (p.protocol && p.protocol !== 'TCP')) continue;
      out.push({
        port: p.containerPort,
        description: `${typeof p.name === 'string' ? `${p.name} ` : ''}(${p.containerPort}/TCP) in container ${str(c.name)}`,
      });
    }
  }
  return out;
}

/** A Service's TCP ports resolved to the pod's ports (a named targetPort looked up in the pod's containers). */
export function servicePortsOf(service: Record<string, unknown>, pod: Record<string, unknown>): RemotePortChoice[] {
  const ports = Array.isArray(rec(service.spec).ports) ? (rec(service.spec).ports as unknown[]).map(rec) : [];
  const named = new Map<string, number>();
  const containers = Array.isArray(rec(pod.spec).containers) ? (rec(pod.spec).containers as unknown[]).map(rec) : [];
  for (const c of containers)
    for (const p of Array.isArray(c.ports) ? c.ports.map(rec) : [])
      if (typeof p.name === 'string' && typeof p.containerPort === 'number') named.set(p.name, p.containerPort);
  const out: RemotePortChoice[] = [];
  for (const p of ports) {
    if (typeof p.port !== 'number' || (p.protocol && p.protocol !== 'TCP')) continue;
    const target = p.targetPort ?? p.port;
    const podPort = typeof target === 'number' ? target : /^\d+$/.test(str(target)) ? Number(target) : named.get(str(target));
    if (podPort === undefined) continue;
    out.push({
      port: podPort,
      description: `service port ${typeof p.name === 'string' ? `${p.name} ` : ''}${p.port} → pod port ${podPort}`,
    });
  }
  return out;
}

/**
 * The local port typed by the user: empty means a random free port (0). Returns an error sentence for anything
 * else than a whole number from 1 to 65535.
 */
export function parseLocalPort(text: string): { port: number } | { error: string } {
  const t = text.trim();
  if (t === '') return { port: 0 };
  if (!/^\d{1,5}$/.test(t) || Number(t) < 1 || Number(t) > 65535)
    return { error: 'A port from 1 to 65535, or empty for a random free port' };
  return { port: Number(t) };
}

/**
 * The exit code in the Status an exec sends on its error channel (3) when the command ends: Success is 0,
 * NonZeroExitCode carries the code in `details.causes[reason=ExitCode]`; any other failure is 1 with its message.
 */
export function exitOfExecStatus(status: unknown): { code: number; message?: string } {
  const s = rec(status);
  if (s.status === 'Success') return { code: 0 };
  const causes = Array.isArray(rec(s.details).causes) ? (rec(s.details).causes as unknown[]).map(rec) : [];
  const exit = causes.find((c) => c.reason === 'ExitCode');
  const code = Number(exit?.message);
  if (s.reason === 'NonZeroExitCode' && Number.isInteger(code)) return { code };
  return { code: 1, ...(typeof s.message === 'string' ? { message: s.message } : {}) };
}
