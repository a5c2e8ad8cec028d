import type { Rule, RuleContext } from '../rule';
import { asRecord, equalitySelectorMatches, templateLabels, type ContainerRef } from '../workloads';
import { cachedForSet, containerAnchor, containerLabel, containers, recordsOf } from './singleHelpers';

/** Kinds whose pods serve traffic for a long time (Jobs and CronJobs are exempt from probe rules). */
const servingKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Pod']);

interface ServiceSelector {
  readonly name: string;
  readonly selector: Record<string, unknown>;
}

/** Services of the namespace with a non-empty selector (ExternalName Services select nothing). */
function servicesOf(ctx: RuleContext): readonly ServiceSelector[] {
  return cachedForSet(ctx.set, `services:${ctx.namespace}`, () => {
    const out: ServiceSelector[] = [];
    for (const entry of ctx.set.inNamespace(ctx.namespace, ['Service'])) {
      const spec = asRecord(asRecord(entry.doc.value)?.spec);
      if (!spec || spec.type === 'ExternalName') continue;
      const selector = asRecord(spec.selector);
      if (selector && Object.keys(selector).length) out.push({ name: entry.doc.name ?? '(unnamed)', selector });
    }
    return out;
  });
}

const missingReadinessProbe: Rule = {
  id: 'container-missing-readiness-probe',
  level: 'warning',
  scope: 'set',
  equivalents: [
    'kube-linter:no-readiness-probe',
    'polaris:readinessProbeMissing',
    'kube-score:pod-probes',
    'datree:CONTAINERS_MISSING_READINESSPROBE_KEY',
  ],
  description: 'A container behind a Service has no readinessProbe (traffic reaches it before it is ready).',
  check(ctx) {
    if (!servingKinds.has(ctx.doc.kind ?? '')) return;
    const services = servicesOf(ctx);
    if (!services.length) return;
    const labels = templateLabels(ctx.doc);
    const service = services.find((s) => equalitySelectorMatches(s.selector, labels));
    if (!service) return;
    for (const c of containers(ctx, ['C'])) {
      if (asRecord(c.value.readinessProbe)) continue;
      ctx.report(
        containerAnchor(c),
        `${containerLabel(c)} has no readinessProbe, but Service "${service.name}" sends traffic to these pods; add a readinessProbe so a pod only gets traffic once it can serve it.`,
        { data: { container: c.name, service: service.name } },
      );
    }
  },
};

const missingLivenessProbe: Rule = {
  id: 'container-missing-liveness-probe',
  level: 'off',
  scope: 'document',
  equivalents: [
    'kube-linter:no-liveness-probe',
    'polaris:livenessProbeMissing',
    'kube-score:pod-probes',
    'datree:CONTAINERS_MISSING_LIVENESSPROBE_KEY',
  ],
  description: 'A long-running container has no livenessProbe.',
  check(ctx) {
    if (!servingKinds.has(ctx.doc.kind ?? '')) return;
    for (const c of containers(ctx, ['C'])) {
      if (asRecord(c.value.livenessProbe)) continue;
      ctx.report(
        containerAnchor(c),
        `${containerLabel(c)} has no livenessProbe; add one (with a generous failureThreshold) if the process can hang without exiting, so the kubelet restarts it.`,
        { data: { container: c.name } },
      );
    }
  },
};

const probeKinds = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const handlers = ['httpGet', 'tcpSocket', 'grpc'] as const;

function declaredPorts(c: ContainerRef): { names: Set<string>; numbers: Set<number> } {
  const names = new Set<string>();
  const numbers = new Set<number>();
  for (const { value } of recordsOf(c.value.ports)) {
    if (typeof value.name === 'string') names.add(value.name);
    if (typeof value.containerPort === 'number') numbers.add(value.containerPort);
  }
  return { names, numbers };
}

const probePortNotDeclared: Rule = {
  id: 'probe-port-not-declared',
  level: 'warning',
  scope: 'document',
  equivalents: ['kube-linter:liveness-port', 'kube-linter:readiness-port', 'kube-linter:startup-port'],
  description: 'A probe uses a named port the container does not declare (warning), or a number it does not expose (info).',
  check(ctx) {
    for (const c of containers(ctx, ['C', 'S'])) {
      const declared = declaredPorts(c);
      for (const probeKind of probeKinds) {
        const probe = asRecord(c.value[probeKind]);
        if (!probe) continue;
        for (const handler of handlers) {
          const port = asRecord(probe[handler])?.port;
          const path = [...c.path, probeKind, handler, 'port'];
          if (typeof port === 'string' && port !== '') {
            if (/^[0-9]+$/.test(port)) {
              ctx.report(
                path,
                `${containerLabel(c)}: the ${probeKind} port "${port}" is quoted, so Kubernetes looks it up as a port name and no port has that name; write ${port} without quotes.`,
                { data: { container: c.name, probe: probeKind, port, suggestion: port } },
              );
            } else if (!declared.names.has(port)) {
              const known = [...declared.names];
              ctx.report(
                path,
                `${containerLabel(c)}: the ${probeKind} uses port "${port}", but the container declares no port with that name${known.length ? ` (declared: ${known.join(', ')})` : ''}; the probe cannot resolve it. Add ports[].name: ${port} or use the port number.`,
                { data: { container: c.name, probe: probeKind, port } },
              );
            }
          } else if (typeof port === 'number' && declared.numbers.size && !declared.numbers.has(port)) {
            ctx.report(
              path,
              `${containerLabel(c)}: the ${probeKind} checks port ${port}, which is not among its declared containerPorts (${[...declared.numbers].join(', ')}); check the number or declare the port.`,
              { severity: 'info', data: { container: c.name, probe: probeKind, port } },
            );
          }
        }
      }
    }
  },
};

const probeDefaults: Record<string, number> = {
  initialDelaySeconds: 0,
  periodSeconds: 10,
  timeoutSeconds: 1,
  failureThreshold: 3,
  successThreshold: 1,
};

/** A canonical string of a probe: handler with API defaults, timing with defaults. */
function probeKey(probe: Record<string, unknown>): string {
  const normalized: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(probe)) if (k !== 'terminationGracePeriodSeconds') normalized[k] = v;
  for (const [k, v] of Object.entries(probeDefaults)) if (normalized[k] === undefined || normalized[k] === null) normalized[k] = v;
  const http = asRecord(normalized.httpGet);
  if (http) normalized.httpGet = { path: '/', scheme: 'HTTP', ...http };
  return canonical(normalized);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const r = asRecord(v);
  if (r)
    return `{${Object.keys(r)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(r[k])}`)
      .join(',')}}`;
  return JSON.stringify(v ?? null);
}

const probesIdentical: Rule = {
  id: 'probes-identical',
  level: 'info',
  scope: 'document',
  equivalents: ['kube-score:pod-probes-identical'],
  description: 'The liveness and readiness probes of a container are identical.',
  check(ctx) {
    for (const c of containers(ctx, ['C'])) {
      const liveness = asRecord(c.value.livenessProbe);
      const readiness = asRecord(c.value.readinessProbe);
      if (!liveness || !readiness || probeKey(liveness) !== probeKey(readiness)) continue;
      ctx.report(
        [...c.path, 'livenessProbe'],
        `${containerLabel(c)}: livenessProbe and readinessProbe are identical, so a slow dependency restarts the container instead of only taking it out of rotation; give the liveness probe a cheaper check or a higher failureThreshold.`,
        { prefer: 'key', data: { container: c.name } },
      );
    }
  },
};

const missingPreStop: Rule = {
  id: 'container-missing-prestop',
  level: 'off',
  scope: 'document',
  equivalents: ['datree:CONTAINERS_MISSING_PRESTOP_KEY'],
  description: 'A container has no lifecycle.preStop hook.',
  check(ctx) {
    for (const c of containers(ctx, ['C'])) {
      if (asRecord(asRecord(c.value.lifecycle)?.preStop)) continue;
      ctx.report(
        containerAnchor(c),
        `${containerLabel(c)} has no lifecycle.preStop hook; add one (e.g. sleep: {seconds: 5}) so in-flight requests drain before the container gets SIGTERM.`,
        { data: { container: c.name, hook: 'preStop' } },
      );
    }
  },
};

/** Rules of this family (lint-rules.md §2.2). */
export const probeRules: readonly Rule[] = [
  missingReadinessProbe,
  missingLivenessProbe,
  probePortNotDeclared,
  probesIdentical,
  missingPreStop,
];
