import { stringify } from 'yaml';
import type { KubeClient } from '../kube/kubeClient';
import type { ResourceKind } from '../kube/resourceKinds';
import { loadEvents, type EventRow } from './events';
import { selectorString } from './logOptions';
import { ageOf, arr, podKind, rec, replicaSetKind, str } from './opsKinds';
import { deploymentRevisions } from './rollout';

type Json = Record<string, unknown>;

/** What a description shows besides the object: its events and, per kind, related objects. */
export interface DescribeExtras {
  readonly events: readonly EventRow[];
  /** A Deployment's ReplicaSets (all, filtered by owner here). */
  readonly replicaSets?: readonly Json[];
  /** A Node's non-terminated pods. */
  readonly pods?: readonly Json[];
  readonly now: number;
}

/** Lines with `Label:` values aligned, kubectl style; nested blocks are indented by two spaces. */
class Out {
  readonly lines: string[] = [];
  field(label: string, value: unknown, indent = 0): void {
    const text = value === undefined || value === null || value === '' ? '<none>' : str(value) || JSON.stringify(value);
    const key = `${label}:`;
    const width = Math.max(0, 22 - indent);
    this.lines.push(`${' '.repeat(indent)}${key.length >= width ? `${key} ` : key.padEnd(width)}${text}`);
  }
  head(label: string, indent = 0): void {
    this.lines.push(`${' '.repeat(indent)}${label}:`);
  }
  raw(text: string, indent = 0): void {
    for (const line of text.replace(/\n$/, '').split('\n')) this.lines.push(`${' '.repeat(indent)}${line}`);
  }
  map(label: string, value: unknown, indent = 0): void {
    const entries = Object.entries(rec(value));
    if (entries.length === 0) return this.field(label, '<none>', indent);
    const [first, ...rest] = entries.map(([k, v]) => `${k}=${str(v) || JSON.stringify(v)}`);
    this.field(label, first, indent);
    for (const r of rest) this.lines.push(`${' '.repeat(Math.max(indent + 22, 22))}${r}`);
  }
  table(rows: readonly string[][], indent = 2): void {
    const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
    for (const r of rows)
      this.lines.push(
        `${' '.repeat(indent)}${r
          .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
          .join('   ')
          .trimEnd()}`,
      );
  }
  blank(): void {
    this.lines.push('');
  }
}

function metadata(o: Out, obj: Json, now: number): void {
  const meta = rec(obj.metadata);
  o.field('Name', str(meta.name));
  if (str(meta.namespace)) o.field('Namespace', str(meta.namespace));
  o.map('Labels', meta.labels);
  const annotations = { ...rec(meta.annotations) };
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  o.map('Annotations', annotations);
  o.field('CreationTimestamp', `${str(meta.creationTimestamp) || '<unknown>'} (${ageOf(meta.creationTimestamp, now)} ago)`);
  const owner = arr(meta.ownerReferences).find((r) => r.controller === true);
  if (owner) o.field('Controlled By', `${str(owner.kind)}/${str(owner.name)}`);
}

function resourcesOf(o: Out, c: Json, indent: number): void {
  const res = rec(c.resources);
  for (const key of ['limits', 'requests']) {
    const values = Object.entries(rec(res[key]));
    if (values.length === 0) continue;
    o.head(key === 'limits' ? 'Limits' : 'Requests', indent);
    for (const [k, v] of values) o.field(k, str(v), indent + 2);
  }
}

function stateText(state: unknown): { name: string; lines: [string, string][] } {
  const [name, detail] = Object.entries(rec(state))[0] ?? ['', {}];
  const d = rec(detail);
  const lines: [string, string][] = [];
  if (str(d.reason)) lines.push(['Reason', str(d.reason)]);
  if (str(d.message)) lines.push(['Message', str(d.message)]);
  if (d.exitCode !== undefined) lines.push(['Exit Code', str(d.exitCode)]);
  if (str(d.startedAt)) lines.push(['Started', str(d.startedAt)]);
  if (str(d.finishedAt)) lines.push(['Finished', str(d.finishedAt)]);
  return { name: name ? name.charAt(0).toUpperCase() + name.slice(1) : '', lines };
}

function containers(o: Out, label: string, specs: Json[], statuses: Json[]): void {
  if (specs.length === 0) return;
  o.head(label);
  for (const c of specs) {
    const s = statuses.find((x) => x.name === c.name) ?? {};
    o.head(str(c.name), 2);
    o.field('Image', str(c.image), 4);
    const ports = arr(c.ports).map((p) => `${str(p.containerPort)}/${str(p.protocol) || 'TCP'}`);
    if (ports.length) o.field('Port', ports.join(', '), 4);
    if (Array.isArray(c.command)) o.field('Command', (c.command as unknown[]).map(str).join(' '), 4);
    if (Object.keys(s).length > 0) {
      const state = stateText(s.state);
      o.field('State', state.name || '<unknown>', 4);
      for (const [k, v] of state.lines) o.field(k, v, 6);
      const last = stateText(s.lastState);
      if (last.name) {
        o.field('Last State', last.name, 4);
        for (const [k, v] of last.lines) o.field(k, v, 6);
      }
      o.field('Ready', s.ready === true ? 'True' : 'False', 4);
      o.field('Restart Count', str(s.restartCount) || '0', 4);
    }
    resourcesOf(o, c, 4);
    const probe = rec(c.readinessProbe ?? c.livenessProbe);
    if (Object.keys(probe).length) {
      const http = rec(probe.httpGet);
      o.field(
        c.readinessProbe ? 'Readiness' : 'Liveness',
        Object.keys(http).length
          ? `http-get :${str(http.port)}${str(http.path)}`
          : Object.keys(probe).filter((k) => !/Seconds|Threshold/.test(k))[0],
        4,
      );
    }
    const env = arr(c.env);
    if (env.length) {
      o.head('Environment', 4);
      for (const e of env) {
        const from = rec(e.valueFrom);
        const ref = rec(from.secretKeyRef ?? from.configMapKeyRef);
        // A value from a Secret is named, never shown.
        o.field(str(e.name), Object.keys(ref).length ? `<set to the key '${str(ref.key)}' of '${str(ref.name)}'>` : str(e.value), 6);
      }
    }
  }
}

function conditions(o: Out, list: unknown): void {
  const rows = arr(list);
  if (rows.length === 0) return;
  o.head('Conditions');
  o.table([['Type', 'Status', 'Reason'], ...rows.map((c) => [str(c.type), str(c.status), str(c.reason)])]);
}

function volumes(o: Out, list: unknown): void {
  const rows = arr(list);
  o.head('Volumes');
  if (rows.length === 0) return o.raw('<none>', 2);
  for (const v of rows) {
    const [type, source] = Object.entries(v).find(([k]) => k !== 'name') ?? ['', {}];
    const s = rec(source);
    const ref = str(s.claimName) || str(s.secretName) || str(s.name) || str(s.path) || str(s.medium);
    o.field(str(v.name), `${type}${ref ? ` (${ref})` : ''}`, 2);
  }
}

function describePod(o: Out, pod: Json): void {
  const spec = rec(pod.spec);
  const status = rec(pod.status);
  o.field('Node', str(spec.nodeName));
  o.field('Service Account', str(spec.serviceAccountName));
  o.field('Start Time', str(status.startTime));
  o.field('Status', str(status.phase));
  if (str(status.reason)) o.field('Reason', str(status.reason));
  o.field('IP', str(status.podIP));
  o.field('QoS Class', str(status.qosClass));
  containers(o, 'Init Containers', arr(spec.initContainers), arr(status.initContainerStatuses));
  containers(o, 'Containers', arr(spec.containers), arr(status.containerStatuses));
  conditions(o, status.conditions);
  volumes(o, spec.volumes);
  const tolerations = arr(spec.tolerations).map(
    (t) => `${str(t.key)}${t.operator === 'Exists' ? '' : `=${str(t.value)}`}:${str(t.effect)}`,
  );
  o.field(
    'Node-Selectors',
    Object.entries(rec(spec.nodeSelector))
      .map(([k, v]) => `${k}=${str(v)}`)
      .join(', '),
  );
  o.field('Tolerations', tolerations.join(', '));
}

function podTemplate(o: Out, template: unknown): void {
  const t = rec(template);
  o.head('Pod Template');
  o.map('Labels', rec(t.metadata).labels, 2);
  const spec = rec(t.spec);
  if (str(spec.serviceAccountName)) o.field('Service Account', str(spec.serviceAccountName), 2);
  const sub = new Out();
  containers(sub, 'Init Containers', arr(spec.initContainers), []);
  containers(sub, 'Containers', arr(spec.containers), []);
  o.raw(sub.lines.join('\n'), 2);
}

function describeDeployment(o: Out, d: Json, extras: DescribeExtras): void {
  const spec = rec(d.spec);
  const status = rec(d.status);
  o.field('Selector', selectorString(spec.selector));
  o.field(
    'Replicas',
    `${str(spec.replicas) || '1'} desired | ${str(status.updatedReplicas) || '0'} updated | ${str(status.replicas) || '0'} total | ${
      str(status.availableReplicas) || '0'
    } available | ${str(status.unavailableReplicas) || '0'} unavailable`,
  );
  const strategy = rec(spec.strategy);
  o.field('StrategyType', str(strategy.type) || 'RollingUpdate');
  o.field('MinReadySeconds', str(spec.minReadySeconds) || '0');
  const rolling = rec(strategy.rollingUpdate);
  if (Object.keys(rolling).length)
    o.field(
      'RollingUpdateStrategy',
      `${str(rolling.maxUnavailable) || '25%'} max unavailable, ${str(rolling.maxSurge) || '25%'} max surge`,
    );
  if (spec.paused === true) o.field('Paused', 'true');
  podTemplate(o, spec.template);
  conditions(o, status.conditions);
  const revisions = deploymentRevisions(d, extras.replicaSets ?? []);
  o.head('ReplicaSets');
  if (revisions.length === 0) o.raw('<none>', 2);
  else
    o.table([
      ['Revision', 'Name', 'Replicas', 'Images', 'Age'],
      ...revisions.map((r) => {
        const rs = (extras.replicaSets ?? []).find((x) => str(rec(x.metadata).name) === r.source) ?? {};
        return [
          `${r.revision}${r.current ? ' (current)' : ''}`,
          r.source,
          `${str(rec(rs.status).readyReplicas) || '0'}/${str(rec(rs.spec).replicas) || '0'}`,
          r.images.join(', '),
          ageOf(r.createdAt, extras.now),
        ];
      }),
    ]);
}

function describeService(o: Out, svc: Json): void {
  const spec = rec(svc.spec);
  const status = rec(svc.status);
  o.map('Selector', spec.selector);
  o.field('Type', str(spec.type) || 'ClusterIP');
  o.field('IP Family Policy', str(spec.ipFamilyPolicy));
  o.field('IP', str(spec.clusterIP));
  const ingress = arr(rec(status.loadBalancer).ingress).map((i) => str(i.ip) || str(i.hostname));
  if (ingress.length) o.field('LoadBalancer Ingress', ingress.join(', '));
  for (const p of arr(spec.ports)) {
    o.field('Port', `${str(p.name) || '<unset>'}  ${str(p.port)}/${str(p.protocol) || 'TCP'}`);
    o.field('TargetPort', `${str(p.targetPort) || str(p.port)}/${str(p.protocol) || 'TCP'}`);
    if (p.nodePort !== undefined) o.field('NodePort', `${str(p.name) || '<unset>'}  ${str(p.nodePort)}/${str(p.protocol) || 'TCP'}`);
  }
  o.field('Session Affinity', str(spec.sessionAffinity) || 'None');
}

function describeNode(o: Out, node: Json, extras: DescribeExtras): void {
  const spec = rec(node.spec);
  const status = rec(node.status);
  o.field('Unschedulable', spec.unschedulable === true ? 'true' : 'false');
  o.field(
    'Taints',
    arr(spec.taints)
      .map((t) => `${str(t.key)}${t.value ? `=${str(t.value)}` : ''}:${str(t.effect)}`)
      .join(', '),
  );
  o.field('ProviderID', str(spec.providerID));
  o.field('PodCIDR', str(spec.podCIDR));
  const conds = arr(status.conditions);
  if (conds.length) {
    o.head('Conditions');
    o.table([['Type', 'Status', 'Reason', 'Message'], ...conds.map((c) => [str(c.type), str(c.status), str(c.reason), str(c.message)])]);
  }
  o.head('Addresses');
  for (const a of arr(status.addresses)) o.field(str(a.type), str(a.address), 2);
  for (const key of ['capacity', 'allocatable']) {
    o.head(key === 'capacity' ? 'Capacity' : 'Allocatable');
    for (const [k, v] of Object.entries(rec(status[key]))) o.field(k, str(v), 2);
  }
  const info = rec(status.nodeInfo);
  if (Object.keys(info).length) {
    o.head('System Info');
    for (const k of ['kubeletVersion', 'containerRuntimeVersion', 'osImage', 'kernelVersion', 'architecture'])
      if (info[k] !== undefined) o.field(k, str(info[k]), 2);
  }
  if (extras.pods) {
    o.head(`Non-terminated Pods (${extras.pods.length} in total)`);
    o.table([
      ['Namespace', 'Name', 'CPU Requests', 'Memory Requests', 'Age'],
      ...extras.pods.map((p) => {
        const cs = arr(rec(p.spec).containers).map((c) => rec(rec(c.resources).requests));
        return [
          str(rec(p.metadata).namespace),
          str(rec(p.metadata).name),
          cs
            .map((r) => str(r.cpu))
            .filter(Boolean)
            .join('+') || '0',
          cs
            .map((r) => str(r.memory))
            .filter(Boolean)
            .join('+') || '0',
          ageOf(rec(p.metadata).creationTimestamp, extras.now),
        ];
      }),
    ]);
  }
}

function describeGeneric(o: Out, obj: Json): void {
  for (const key of Object.keys(obj)) {
    if (['apiVersion', 'kind', 'metadata'].includes(key)) continue;
    const value = obj[key];
    // A Secret's values are never shown: only their names and sizes.
    if (str(obj.kind) === 'Secret' && (key === 'data' || key === 'stringData')) {
      o.head(key === 'data' ? 'Data' : 'StringData');
      for (const [k, v] of Object.entries(rec(value)))
        o.field(
          k,
          `${key === 'data' ? Math.floor((str(v).length * 3) / 4) - (str(v).match(/=+$/)?.[0].length ?? 0) : str(v).length} bytes`,
          2,
        );
      continue;
    }
    if (value && typeof value === 'object') {
      o.head(key.charAt(0).toUpperCase() + key.slice(1));
      o.raw(stringify(value, { lineWidth: 0 }), 2);
    } else o.field(key.charAt(0).toUpperCase() + key.slice(1), str(value));
  }
}

function events(o: Out, rows: readonly EventRow[], now: number): void {
  o.blank();
  o.head('Events');
  if (rows.length === 0) return o.raw('<none>', 2);
  o.table([
    ['Type', 'Reason', 'Age', 'From', 'Message'],
    ['----', '------', '---', '----', '-------'],
    ...rows.map((r) => [
      r.type,
      r.reason,
      r.count > 1 ? `${ageOf(r.lastSeen, now)} (x${r.count} over ${ageOf(r.firstSeen, now)})` : ageOf(r.lastSeen, now),
      r.source,
      r.message.replace(/\s*\n\s*/g, ' '),
    ]),
  ]);
}

/**
 * A `kubectl describe`-like text of any object: metadata, labels, annotations, the fields that matter per kind
 * (Pod, Deployment, Service, Node; everything else as its spec and status) and its events at the end.
 * Secret values are never rendered.
 */
export function describeObject(obj: Json, extras: DescribeExtras): string {
  const o = new Out();
  const kind = str(obj.kind);
  metadata(o, obj, extras.now);
  switch (kind) {
    case 'Pod':
      describePod(o, obj);
      break;
    case 'Deployment':
      describeDeployment(o, obj, extras);
      break;
    case 'Service':
      describeService(o, obj);
      break;
    case 'Node':
      describeNode(o, obj, extras);
      break;
    default:
      describeGeneric(o, obj);
  }
  events(o, extras.events, extras.now);
  return `${o.lines.join('\n')}\n`;
}

/** Reads what describeObject needs: the object, its events and, per kind, related objects. */
export async function loadDescription(
  client: KubeClient,
  resource: ResourceKind,
  namespace: string | undefined,
  name: string,
  signal: AbortSignal,
): Promise<string> {
  const raw = await client.getObject(resource, namespace, name, { signal });
  const obj: Json = { ...raw, kind: str(raw.kind) || resource.kind };
  const [events, related] = await Promise.all([
    loadEvents(client, resource.namespaced ? namespace : undefined, obj, { signal, max: 500 }),
    resource.kind === 'Deployment'
      ? client.listObjects(replicaSetKind, namespace, { signal, labelSelector: selectorString(rec(obj.spec).selector), limit: 500 })
      : resource.kind === 'Node'
        ? client.listObjects(podKind, undefined, {
            signal,
            fieldSelector: `spec.nodeName=${name},status.phase!=Succeeded,status.phase!=Failed`,
            limit: 500,
          })
        : Promise.resolve(undefined),
  ]);
  return describeObject(obj, {
    events,
    now: Date.now(),
    ...(resource.kind === 'Deployment' && related ? { replicaSets: related.items } : {}),
    ...(resource.kind === 'Node' && related ? { pods: related.items } : {}),
  });
}
