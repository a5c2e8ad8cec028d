/**
 * `GET /api/v1/namespaces/{ns}/pods/{pod}/log` as the apiserver (and the kubelet behind it) answers it:
 * `container` (required on multi-container pods, init containers allowed), `previous`, `tailLines`,
 * `sinceSeconds` / `sinceTime`, `timestamps` (RFC 3339 nano prefix), `limitBytes` and `follow=true` (the response
 * stays open and lines appended with `appendLog` arrive as they are written, until `endLog`, the pod's removal or
 * the server's close). Errors are 400 Status bodies with the apiserver's messages.
 */
import type { ServerResponse } from 'node:http';
import type { Reply } from './handler';
import { badRequest } from './status';
import type { KubeObject } from './types';
import { getPath, isRecord, kubeTimestamp } from './types';

interface LogEntry {
  readonly timeMs: number;
  readonly text: string;
}

interface ContainerLog {
  current: LogEntry[];
  previous?: LogEntry[];
  ended: boolean;
  readonly followers: Set<(entry: LogEntry | 'end') => void>;
}

/** RFC 3339 with nanoseconds, as the kubelet prefixes lines with `timestamps=true`. */
export function logTimestamp(timeMs: number): string {
  return `${new Date(timeMs).toISOString().slice(0, 23)}000000Z`;
}

function names(pod: KubeObject, field: 'containers' | 'initContainers'): string[] {
  const list = getPath(pod, `spec.${field}`);
  return Array.isArray(list) ? list.filter(isRecord).map((c) => String(c['name'])) : [];
}

function statusOf(pod: KubeObject, container: string): Record<string, unknown> | undefined {
  for (const field of ['containerStatuses', 'initContainerStatuses']) {
    const list = getPath(pod, `status.${field}`);
    if (Array.isArray(list)) for (const s of list) if (isRecord(s) && s['name'] === container) return s;
  }
  return undefined;
}

export class PodLogs {
  private readonly logs = new Map<string, ContainerLog>();

  constructor(private readonly track: (end: () => void) => () => void) {}

  private key(namespace: string, pod: string, container: string): string {
    return `${namespace}/${pod}/${container}`;
  }

  /** The log of one container, created on first use with the pod's generated lines. */
  private logOf(pod: KubeObject, container: string): ContainerLog {
    const key = this.key(pod.metadata.namespace ?? '', pod.metadata.name ?? '', container);
    let log = this.logs.get(key);
    if (!log) {
      const created = Date.parse(pod.metadata.creationTimestamp ?? '') || Date.now();
      const annotated = pod.metadata.annotations?.['fake.clusterdeck.dev/log'];
      const lines =
        annotated !== undefined
          ? annotated.split('\n')
          : Array.from(
              { length: 20 },
              (_, i) => `${kubeTimestamp(new Date(created + i * 1000))} INFO [${container}] ${pod.metadata.name ?? ''} line ${i + 1}`,
            );
      const current = lines.map((text, i) => ({ timeMs: created + i * 1000, text }));
      const status = statusOf(pod, container);
      const terminated = getPath(status, 'lastState.terminated');
      const previous = isRecord(terminated)
        ? [
            `starting ${container} (previous instance)`,
            'listening on :8080',
            `fatal: container exited with code ${JSON.stringify(terminated['exitCode'] ?? 1)} (${typeof terminated['reason'] === 'string' ? terminated['reason'] : 'Error'})`,
          ].map((text, i) => ({
            timeMs: (Date.parse(typeof terminated['startedAt'] === 'string' ? terminated['startedAt'] : '') || created) + i * 1000,
            text,
          }))
        : undefined;
      log = { current, ...(previous ? { previous } : {}), ended: false, followers: new Set() };
      this.logs.set(key, log);
    }
    return log;
  }

  /** Appends lines to a container's current log; open `follow` streams receive them at once. */
  append(pod: KubeObject, container: string, lines: readonly string[], timeMs = Date.now()): void {
    const log = this.logOf(pod, container);
    for (const text of lines) {
      const entry = { timeMs, text };
      log.current.push(entry);
      for (const f of log.followers) f(entry);
    }
  }

  /** The container stopped: follow streams end, as the kubelet ends them. */
  end(namespace: string, pod: string, container: string): void {
    const log = this.logs.get(this.key(namespace, pod, container));
    if (!log) return;
    log.ended = true;
    for (const f of [...log.followers]) f('end');
  }

  /** The pod is gone: every follow stream of it ends and its logs are forgotten. */
  forgetPod(namespace: string, pod: string): void {
    for (const [key, log] of this.logs) {
      if (!key.startsWith(`${namespace}/${pod}/`)) continue;
      for (const f of [...log.followers]) f('end');
      this.logs.delete(key);
    }
  }

  /** Open `follow` streams of a container (tests: a closed log view must end its request). */
  followers(namespace: string, pod: string, container: string): number {
    return this.logs.get(this.key(namespace, pod, container))?.followers.size ?? 0;
  }

  /** Answers one log request; 'streaming' when `follow=true` took over `res`. */
  serve(pod: KubeObject, url: URL, res: ServerResponse): Reply | 'streaming' {
    const q = url.searchParams;
    const podName = pod.metadata.name ?? '';
    const containers = names(pod, 'containers');
    const inits = names(pod, 'initContainers');
    let container = q.get('container') ?? '';
    if (container === '') {
      if (containers.length === 1) container = containers[0] ?? '';
      else if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${podName}`);
      else
        throw badRequest(
          `a container name must be specified for pod ${podName}, choose one of: [${containers.join(' ')}]${
            inits.length > 0 ? ` or one of the init containers: [${inits.join(' ')}]` : ''
          }`,
        );
    }
    if (!containers.includes(container) && !inits.includes(container))
      throw badRequest(`container ${container} is not valid for pod ${podName}`);
    const bool = (name: string) => q.get(name) === 'true' || q.get(name) === '1';
    const int = (name: string): number | undefined => {
      const raw = q.get(name);
      if (raw === null) return undefined;
      const n = Number(raw);
      if (!Number.isInteger(n)) throw badRequest(`${name}: Invalid value: "${raw}": must be an integer`);
      if (n < (name === 'tailLines' ? 0 : 1)) throw badRequest(`${name}: Invalid value: ${n}: must be greater than or equal to 1`);
      return n;
    };
    const previous = bool('previous');
    const timestamps = bool('timestamps');
    const follow = bool('follow') && !previous;
    const tail = int('tailLines');
    const since = int('sinceSeconds');
    const limitBytes = int('limitBytes');
    const sinceTimeText = q.get('sinceTime');
    if (since !== undefined && sinceTimeText !== null) throw badRequest('at most one of `sinceTime` or `sinceSeconds` may be specified');
    const status = statusOf(pod, container);
    const waiting = getPath(status, 'state.waiting.reason');
    if (!previous && (waiting === 'ContainerCreating' || waiting === 'PodInitializing'))
      throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${String(waiting)}`);
    const log = this.logOf(pod, container);
    const source = previous ? log.previous : log.current;
    if (!source) throw badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
    const sinceMs = since !== undefined ? Date.now() - since * 1000 : sinceTimeText !== null ? Date.parse(sinceTimeText) : undefined;
    let entries = sinceMs !== undefined ? source.filter((e) => e.timeMs >= sinceMs) : source;
    if (tail !== undefined) entries = tail === 0 ? [] : entries.slice(-tail);
    const format = (e: LogEntry) => `${timestamps ? `${logTimestamp(e.timeMs)} ` : ''}${e.text}\n`;
    let body = entries.map(format).join('');
    if (limitBytes !== undefined) body = Buffer.from(body).subarray(0, limitBytes).toString('utf8');
    if (!follow || log.ended) return { status: 200, body, headers: { 'content-type': 'text/plain' } };

    res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-cache, private', 'transfer-encoding': 'chunked' });
    if (body) res.write(body);
    let untrack: () => void = () => undefined;
    const follower = (entry: LogEntry | 'end'): void => {
      if (entry === 'end') return stop();
      if (!res.destroyed) res.write(format(entry));
    };
    const stop = (): void => {
      log.followers.delete(follower);
      untrack();
      if (!res.writableEnded) res.end();
    };
    log.followers.add(follower);
    untrack = this.track(stop);
    res.on('close', stop);
    return 'streaming';
  }
}
