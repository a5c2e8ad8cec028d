import type { Rule, RuleContext } from '../rule';
import type { Severity, YamlPath } from '../types';
import { asArray, asRecord, getAt, podSpecPath, podTemplateMetadataPath, scalarString } from '../workloads';
import {
  closestWorkload,
  findObjects,
  formatLabels,
  formatSelector,
  isClosed,
  isEmptyLabelSelector,
  isSet,
  memo,
  num,
  objectsOfKind,
  ref,
  servingContainers,
  type Workload,
  workloadOf,
  workloadsIn,
  workloadsMatching,
} from './crossHelpers';

// ---------------------------------------------------------------------------------------------------------
// Shared pieces

/** A Service that selects pods: not ExternalName, with a non-empty selector. */
function serviceSelector(ctx: RuleContext): Record<string, unknown> | undefined {
  const { doc } = ctx;
  if (doc.kind !== 'Service') return undefined;
  const spec = asRecord(getAt(doc.value, ['spec']));
  if (!spec || spec.type === 'ExternalName') return undefined;
  const selector = asRecord(spec.selector);
  return selector && Object.keys(selector).length ? selector : undefined;
}

interface ContainerPort {
  readonly name: string;
  readonly port: number | undefined;
  readonly protocol: string;
}

/** Declared ports of the C+S containers of a workload template. */
function templatePorts(w: Workload): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const c of servingContainers(w.doc)) {
    for (const p of asArray(c.value.ports)) {
      const port = asRecord(p);
      if (!port) continue;
      out.push({ name: scalarString(port.name), port: num(port.containerPort), protocol: scalarString(port.protocol) || 'TCP' });
    }
  }
  return out;
}

function describePorts(ports: readonly ContainerPort[], protocol: string, named: boolean): string {
  const same = ports.filter((p) => p.protocol === protocol);
  const shown = (named ? same.filter((p) => p.name) : same).map((p) =>
    named ? `${p.name}${p.port !== undefined ? ` ${p.port}` : ''}` : `${p.port ?? '?'}${p.name ? ` (${p.name})` : ''}`,
  );
  const suffix = protocol === 'TCP' ? '' : `/${protocol}`;
  if (!shown.length) return named ? `it names no ${protocol} port` : `it declares no ${protocol} containerPort`;
  return `${named ? 'port names' : 'containerPorts'}${suffix ? ` ${suffix}` : ''}: ${shown.join(', ')}`;
}

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** IANA_SVC_NAME: ≤ 15 chars of [a-z0-9-], at least one letter, no leading, trailing or double hyphen. */
export function isIanaSvcName(s: string): boolean {
  return s.length >= 1 && s.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(s) && /[a-z]/.test(s) && !s.includes('--');
}

/** A suggested IANA port name for a port number. */
function suggestPortName(port: unknown): string {
  switch (num(port)) {
    case 80:
    case 8080:
      return 'http';
    case 443:
    case 8443:
      return 'https';
    case 9090:
      return 'metrics';
    case 53:
      return 'dns';
    default:
      return num(port) !== undefined ? `port-${num(port)}` : 'port';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Rules

const serviceSelectsNoPods: Rule = {
  id: 'service-selects-no-pods',
  level: 'warning',
  scope: 'set',
  equivalents: ['kube-linter:dangling-service', 'kube-score:service-targets-pod'],
  description: 'A Service selector matches no pod template in its namespace (closed set).',
  check(ctx) {
    const selector = serviceSelector(ctx);
    if (!selector || !isClosed(ctx.set, ctx.namespace)) return;
    if (workloadsMatching(ctx.set, ctx.namespace, selector, 'equality').length) return;
    const closest = closestWorkload(workloadsIn(ctx.set, ctx.namespace), selector);
    const hint = closest ? ` The closest is ${ref(closest.kind, closest.name)} with labels ${formatLabels(closest.labels)}.` : '';
    ctx.report(
      ['spec', 'selector'],
      `Service "${ctx.doc.name ?? '?'}" selector ${formatLabels(selector)} matches no pod template in namespace "${ctx.namespace}", so it has no endpoints.${hint} Fix the selector or the workload's template labels.`,
      { prefer: 'key', data: { selector: formatLabels(selector), ...(closest ? { labels: formatLabels(closest.labels) } : {}) } },
    );
  },
};

const serviceTargetPortUnmatched: Rule = {
  id: 'service-target-port-unmatched',
  level: 'warning',
  scope: 'set',
  equivalents: [],
  description: 'A Service targetPort matches no container port (name or number, same protocol) of the pods it selects.',
  check(ctx) {
    const selector = serviceSelector(ctx);
    if (!selector) return;
    const selected = workloadsMatching(ctx.set, ctx.namespace, selector, 'equality');
    if (!selected.length) return;
    const svc = `Service "${ctx.doc.name ?? '?'}"`;
    asArray(getAt(ctx.doc.value, ['spec', 'ports'])).forEach((item, i) => {
      const sp = asRecord(item);
      if (!sp) return;
      const protocol = scalarString(sp.protocol) || 'TCP';
      const hasTarget = isSet(sp.targetPort) && sp.targetPort !== 0;
      const target = hasTarget ? sp.targetPort : sp.port;
      const path: YamlPath = ['spec', 'ports', i, hasTarget ? 'targetPort' : 'port'];

      const named = typeof target === 'string';
      if (named ? target === '' || /^[0-9]+$/.test(target) : num(target) === undefined) return; // invalid: service-port-name-invalid / schema
      const shown = named ? `"${target}"` : scalarString(target);
      const proto = protocol === 'TCP' ? '' : ` ${protocol}`;
      const subject = hasTarget ? `${svc} targetPort ${shown}` : `${svc} port ${shown} (no targetPort, so it targets ${shown})`;
      const declare = `declare containerPort ${shown}${protocol === 'TCP' ? '' : ` with protocol: ${protocol}`}`;
      const problems: { severity: Severity; text: string; suggested?: string | number }[] = [];
      for (const w of selected) {
        const ports = templatePorts(w);
        const same = ports.filter((p) => p.protocol === protocol);
        const who = ref(w.kind, w.name);
        if (named) {
          if (same.some((p) => p.name === target)) continue;
          const other = ports.find((p) => p.name === target);
          const onlyNamed = same.filter((p) => p.name);
          problems.push({
            severity: 'warning',
            text: other
              ? `${subject} (${protocol}) matches a ${other.protocol} port of ${who}, not a ${protocol} one; those pods get no endpoint for this port. Set protocol: ${other.protocol} on the Service port or fix the container port's protocol.`
              : `${subject} matches no${proto} port name of ${who} (${describePorts(ports, protocol, true)}); those pods get no endpoint for this port. Name the container port "${target}" or change ${hasTarget ? 'targetPort' : 'the Service port'}.`,
            ...(onlyNamed.length === 1 && onlyNamed[0] ? { suggested: onlyNamed[0].name } : {}),
          });
        } else {
          if (!ports.length) {
            problems.push({
              severity: 'info',
              text: `${subject}: ${who} declares no container ports, so the target cannot be checked. Declare containerPort ${shown} (with a name) on the serving container.`,
            });
            continue;
          }
          if (same.some((p) => p.port === target)) continue;
          const numbers = [...new Set(same.flatMap((p) => (p.port !== undefined ? [p.port] : [])))];
          problems.push({
            severity: 'warning',
            text: `${subject} matches no${proto} containerPort of ${who} (${describePorts(ports, protocol, false)}). ${numbers.length === 1 ? `Set targetPort to ${numbers[0]}` : 'Point targetPort at a declared port'} or ${declare}.`,
            ...(numbers.length === 1 && numbers[0] !== undefined ? { suggested: numbers[0] } : {}),
          });
        }
      }
      const first = problems[0];
      if (!first) return;
      const severity: Severity = problems.some((p) => p.severity === 'warning') ? 'warning' : 'info';
      const shownProblems = severity === 'warning' ? problems.filter((p) => p.severity === 'warning') : problems;
      const head = shownProblems[0] ?? first;
      const more =
        shownProblems.length > 1
          ? ` (${shownProblems.length - 1} more selected workload${shownProblems.length > 2 ? 's' : ''} affected.)`
          : '';
      ctx.report(path, `${head.text}${more}`, {
        severity,
        ...(head.suggested !== undefined ? { data: { suggestedPort: head.suggested } } : {}),
      });
    });
  },
};

const servicePortNameInvalid: Rule = {
  id: 'service-port-name-invalid',
  level: 'error',
  scope: 'document',
  equivalents: ['kube-linter:invalid-target-ports', 'kube-score:container-ports-check'],
  description: 'A Service port name or string targetPort is invalid, duplicated, or missing in a multi-port Service.',
  check(ctx) {
    const { doc } = ctx;
    if (doc.kind !== 'Service') return;
    const ports = asArray(getAt(doc.value, ['spec', 'ports']));
    const svc = `Service "${doc.name ?? '?'}"`;
    const seen = new Set<string>();
    ports.forEach((item, i) => {
      const p = asRecord(item);
      if (!p) return;
      const name = p.name;
      if (!isSet(name)) {
        if (ports.length > 1) {
          const suggested = typeof p.targetPort === 'string' && isIanaSvcName(p.targetPort) ? p.targetPort : suggestPortName(p.port);
          ctx.report(
            ['spec', 'ports', i, isSet(p.port) ? 'port' : 'name'],
            `${svc} has ${ports.length} ports, so every port needs a name; the API rejects unnamed ports in a multi-port Service. Add name: ${suggested}.`,
            { data: { suggestedName: suggested } },
          );
        }
      } else {
        const s = scalarString(name);
        if (typeof name !== 'string' || !dns1123Label.test(s) || s.length > 63)
          ctx.report(
            ['spec', 'ports', i, 'name'],
            `${svc} port name "${s}" is not a valid DNS-1123 label (lowercase letters, digits and "-", at most 63 characters, starting and ending with an alphanumeric); the API rejects it. Use e.g. "${suggestPortName(p.port)}".`,
            { data: { suggestedName: suggestPortName(p.port) } },
          );
        else if (seen.has(s))
          ctx.report(
            ['spec', 'ports', i, 'name'],
            `${svc} port name "${s}" is used twice; the API rejects duplicate port names. Rename one of them.`,
          );
        seen.add(s);
      }
      const target = p.targetPort;
      if (typeof target === 'string' && target !== '' && !isIanaSvcName(target)) {
        const digits = /^[0-9]+$/.test(target);
        ctx.report(
          ['spec', 'ports', i, 'targetPort'],
          digits
            ? `${svc} targetPort "${target}" is a quoted number, so it is read as a port name, and a port name needs a letter; the API rejects it. Write targetPort: ${target} without quotes.`
            : `${svc} targetPort "${target}" is not a valid port name (IANA_SVC_NAME: at most 15 characters of a-z, 0-9 and "-", at least one letter, no leading, trailing or double "-"); the API rejects it. Use the container port's name or its number.`,
          digits ? { data: { suggestedPort: Number(target) } } : undefined,
        );
      }
    });
  },
};

const serviceSelectorNotUnique: Rule = {
  id: 'service-selector-not-unique',
  level: 'off',
  scope: 'set',
  equivalents: [],
  description: 'Two Services in one namespace have identical selectors.',
  check(ctx) {
    const selector = serviceSelector(ctx);
    if (!selector) return;
    const key = (s: Record<string, unknown>) =>
      Object.entries(s)
        .map(([k, v]) => `${k}=${scalarString(v)}`)
        .sort()
        .join(',');
    const bySelector = memo(ctx.set, ctx.namespace, 'servicesBySelector', () => {
      const out = new Map<string, string[]>();
      for (const e of objectsOfKind(ctx.set, ctx.namespace, 'Service')) {
        const spec = asRecord(getAt(e.doc.value, ['spec']));
        const s = asRecord(spec?.selector);
        if (!s || !Object.keys(s).length || spec?.type === 'ExternalName' || !e.doc.name) continue;
        const k = key(s);
        const list = out.get(k) ?? [];
        if (!list.includes(e.doc.name)) list.push(e.doc.name);
        out.set(k, list);
      }
      return out;
    });
    const others = (bySelector.get(key(selector)) ?? []).filter((n) => n !== ctx.doc.name);
    if (!others.length) return;
    ctx.report(
      ['spec', 'selector'],
      `Service "${ctx.doc.name ?? '?'}" has the same selector (${formatLabels(selector)}) as ${others.map((n) => `Service "${n}"`).join(', ')}; both route to the same pods. Merge them into one Service with several ports, or make the selectors distinct.`,
      { prefer: 'key', data: { other: others.join(',') } },
    );
  },
};

const serviceTypeNodePort: Rule = {
  id: 'service-type-nodeport',
  level: 'off',
  scope: 'document',
  equivalents: ['kube-linter:exposed-services', 'kube-score:service-type', 'datree:SERVICE_INCORRECT_TYPE_VALUE_NODEPORT'],
  description: 'A Service is of type NodePort.',
  check(ctx) {
    if (ctx.doc.kind !== 'Service' || getAt(ctx.doc.value, ['spec', 'type']) !== 'NodePort') return;
    ctx.report(
      ['spec', 'type'],
      `Service "${ctx.doc.name ?? '?'}" is type NodePort, which opens its port on every node. Use ClusterIP behind an Ingress or Gateway, or a LoadBalancer.`,
      { data: { suggested: 'ClusterIP' } },
    );
  },
};

interface Backend {
  readonly base: YamlPath;
  readonly name: string;
  readonly namePath: YamlPath;
  readonly port: unknown;
  readonly portPath: YamlPath;
}

/** Service backends of an Ingress: networking.k8s.io/v1 `service.{name,port}` and v1beta1 `serviceName`/`servicePort`. */
function ingressBackends(value: unknown): Backend[] {
  const spec = asRecord(getAt(value, ['spec']));
  if (!spec) return [];
  const out: Backend[] = [];
  const add = (backend: unknown, base: YamlPath) => {
    const b = asRecord(backend);
    if (!b) return;
    const service = asRecord(b.service);
    if (service) {
      const name = scalarString(service.name);
      const port = asRecord(service.port);
      const which = port && isSet(port.number) ? 'number' : 'name';
      if (name)
        out.push({
          base,
          name,
          namePath: [...base, 'service', 'name'],
          port: port?.[which],
          portPath: [...base, 'service', 'port', which],
        });
    } else if (typeof b.serviceName === 'string' && b.serviceName) {
      out.push({ base, name: b.serviceName, namePath: [...base, 'serviceName'], port: b.servicePort, portPath: [...base, 'servicePort'] });
    }
  };
  add(spec.defaultBackend, ['spec', 'defaultBackend']);
  add(spec.backend, ['spec', 'backend']);
  asArray(spec.rules).forEach((r, i) => {
    asArray(asRecord(asRecord(r)?.http)?.paths).forEach((p, j) =>
      add(asRecord(p)?.backend, ['spec', 'rules', i, 'http', 'paths', j, 'backend']),
    );
  });
  return out;
}

const ingressBackendUnresolved: Rule = {
  id: 'ingress-backend-unresolved',
  level: 'warning',
  scope: 'set',
  equivalents: ['kube-linter:dangling-ingress', 'kube-score:ingress-targets-service'],
  description: 'An Ingress backend names a Service, or a Service port, that is not in the set.',
  check(ctx) {
    const { doc } = ctx;
    if (doc.kind !== 'Ingress') return;
    const ing = `Ingress "${doc.name ?? '?'}"`;
    for (const b of ingressBackends(doc.value)) {
      const found = findObjects(ctx.set, ctx.namespace, 'Service', b.name, false);
      if (!found.length) {
        if (isClosed(ctx.set, ctx.namespace))
          ctx.report(
            b.namePath,
            `${ing} routes to Service "${b.name}", which is not in namespace "${ctx.namespace}"; requests get 503. Create the Service or fix the backend's service name.`,
            { data: { service: b.name } },
          );
        continue;
      }
      const svc = found.find((e) => !e.doc.partial);
      if (!svc || !isSet(b.port)) continue;
      const ports = asArray(getAt(svc.doc.value, ['spec', 'ports'])).flatMap((p) => {
        const r = asRecord(p);
        return r ? [r] : [];
      });
      if (!ports.length) continue; // ExternalName or a port-less Service: nothing to compare
      const numbers = ports.flatMap((p) => {
        const n = num(p.port);
        return n !== undefined ? [n] : [];
      });
      const names = ports.flatMap((p) => (typeof p.name === 'string' && p.name ? [p.name] : []));
      if (typeof b.port === 'number') {
        if (numbers.includes(b.port)) continue;
        ctx.report(
          b.portPath,
          `${ing} backend port ${b.port} is not a port of Service "${b.name}" (ports: ${numbers.join(', ') || 'none'}); requests get 503. Use ${numbers.length === 1 ? `port ${numbers[0]}` : 'one of its ports'}. (Ingress backends name the Service port, not the targetPort.)`,
          numbers.length === 1 && numbers[0] !== undefined ? { data: { suggestedPort: numbers[0] } } : undefined,
        );
      } else if (typeof b.port === 'string') {
        if (names.includes(b.port)) continue;
        ctx.report(
          b.portPath,
          `${ing} backend port name "${b.port}" is not a port name of Service "${b.name}" (${names.length ? `names: ${names.join(', ')}` : 'its ports have no names'}); requests get 503. Use ${names.length === 1 ? `"${names[0]}"` : 'one of its port names or a port number'}.`,
          names.length === 1 && names[0] ? { data: { suggestedPort: names[0] } } : undefined,
        );
      }
    }
  },
};

const ingressTlsMissing: Rule = {
  id: 'ingress-tls-missing',
  level: 'off',
  scope: 'document',
  equivalents: ['polaris:tlsSettingsMissing'],
  description: 'An Ingress has no spec.tls.',
  check(ctx) {
    if (ctx.doc.kind !== 'Ingress' || !asRecord(getAt(ctx.doc.value, ['spec']))) return;
    if (asArray(getAt(ctx.doc.value, ['spec', 'tls'])).length) return;
    ctx.report(
      ['spec', 'tls'],
      `Ingress "${ctx.doc.name ?? '?'}" has no spec.tls, so it serves plain HTTP. Add spec.tls with the hosts and a certificate Secret (e.g. issued by cert-manager).`,
    );
  },
};

const ingressHostPermissive: Rule = {
  id: 'ingress-host-permissive',
  level: 'off',
  scope: 'document',
  equivalents: ['datree:INGRESS_INCORRECT_HOST_VALUE_PERMISSIVE'],
  description: 'An Ingress rule has no host or a wildcard host.',
  check(ctx) {
    if (ctx.doc.kind !== 'Ingress') return;
    const ing = `Ingress "${ctx.doc.name ?? '?'}"`;
    asArray(getAt(ctx.doc.value, ['spec', 'rules'])).forEach((r, i) => {
      const rule = asRecord(r);
      if (!rule) return;
      const host = scalarString(rule.host);
      const firstKey = Object.keys(rule)[0];
      if (!host)
        ctx.report(
          firstKey !== undefined ? ['spec', 'rules', i, firstKey] : ['spec', 'rules', i],
          `${ing} rule ${i} has no host, so it answers for every host name that reaches the controller. Set host to the public name it serves.`,
          { prefer: 'key' },
        );
      else if (host.startsWith('*'))
        ctx.report(
          ['spec', 'rules', i, 'host'],
          `${ing} rule ${i} uses the wildcard host "${host}", which answers for every subdomain. List the exact host names instead.`,
        );
    });
  },
};

const networkPolicySelectsNothing: Rule = {
  id: 'networkpolicy-selects-nothing',
  level: 'info',
  scope: 'set',
  equivalents: ['kube-linter:dangling-networkpolicy', 'kube-score:networkpolicy-targets-pod'],
  description: 'A NetworkPolicy podSelector matches no pod template in its namespace (closed set).',
  check(ctx) {
    const { doc } = ctx;
    if (doc.kind !== 'NetworkPolicy') return;
    const selector = asRecord(getAt(doc.value, ['spec', 'podSelector']));
    // An empty podSelector is a namespace-wide (often default-deny) policy: meant for every pod, present or future.
    if (!selector || isEmptyLabelSelector(selector) || !isClosed(ctx.set, ctx.namespace)) return;
    if (workloadsMatching(ctx.set, ctx.namespace, selector, 'label').length) return;
    const closest = closestWorkload(workloadsIn(ctx.set, ctx.namespace), asRecord(selector.matchLabels) ?? {});
    const hint = closest ? ` ${ref(closest.kind, closest.name)} has labels ${formatLabels(closest.labels)}.` : '';
    ctx.report(
      ['spec', 'podSelector'],
      `NetworkPolicy "${doc.name ?? '?'}" podSelector ${formatSelector(selector)} matches no pod template in namespace "${ctx.namespace}", so it isolates nothing.${hint} Fix the podSelector to match the pods it should protect.`,
      { prefer: 'key', ...(closest ? { data: { labels: formatLabels(closest.labels) } } : {}) },
    );
  },
};

const networkPolicyPeerSelectsNothing: Rule = {
  id: 'networkpolicy-peer-selects-nothing',
  level: 'off',
  scope: 'set',
  equivalents: ['kube-linter:dangling-networkpolicypeer-podselector'],
  description: 'A NetworkPolicy from/to peer podSelector (same namespace) matches no pod template.',
  check(ctx) {
    const { doc } = ctx;
    if (doc.kind !== 'NetworkPolicy' || !isClosed(ctx.set, ctx.namespace)) return;
    const np = `NetworkPolicy "${doc.name ?? '?'}"`;
    for (const [direction, peersKey] of [
      ['ingress', 'from'],
      ['egress', 'to'],
    ] as const) {
      asArray(getAt(doc.value, ['spec', direction])).forEach((r, i) => {
        asArray(asRecord(r)?.[peersKey]).forEach((p, j) => {
          const peer = asRecord(p);
          const selector = asRecord(peer?.podSelector);
          if (!peer || !selector || 'namespaceSelector' in peer || isEmptyLabelSelector(selector)) return;
          if (workloadsMatching(ctx.set, ctx.namespace, selector, 'label').length) return;
          ctx.report(
            ['spec', direction, i, peersKey, j, 'podSelector'],
            `${np} ${direction}[${i}].${peersKey}[${j}] podSelector ${formatSelector(selector)} matches no pod template in namespace "${ctx.namespace}", so this peer allows ${direction === 'ingress' ? 'traffic from' : 'traffic to'} nothing. Fix the selector (add a namespaceSelector if the pods live in another namespace).`,
            { prefer: 'key' },
          );
        });
      });
    }
  },
};

const podNotCoveredByNetworkPolicy: Rule = {
  id: 'pod-not-covered-by-networkpolicy',
  level: 'off',
  scope: 'set',
  equivalents: ['kube-linter:non-isolated-pod', 'polaris:missingNetworkPolicy', 'kube-score:pod-networkpolicy'],
  description: 'No NetworkPolicy in the namespace selects the workload’s pods for Ingress.',
  check(ctx) {
    const w = workloadOf(ctx.set, ctx.namespace, ctx.doc);
    if (!w || !isClosed(ctx.set, ctx.namespace)) return;
    // Workloads that an Ingress policy selects, computed once per namespace through the label index.
    const covered = memo(ctx.set, ctx.namespace, 'ingressPolicyCovered', () => {
      const out = new Set<Workload>();
      for (const e of objectsOfKind(ctx.set, ctx.namespace, 'NetworkPolicy')) {
        const spec = asRecord(getAt(e.doc.value, ['spec']));
        if (!spec) continue;
        const types = spec.policyTypes;
        const ingress = Array.isArray(types) ? types.includes('Ingress') : true; // unset: Ingress is always included
        if (ingress) for (const x of workloadsMatching(ctx.set, ctx.namespace, spec.podSelector, 'label')) out.add(x);
      }
      return out;
    });
    if (covered.has(w)) return;
    const meta = podTemplateMetadataPath(ctx.doc.kind) ?? podSpecPath(ctx.doc.kind) ?? ['metadata'];
    const labels = formatLabels(w.labels);
    ctx.report(
      [...meta, 'labels'],
      `The pods of ${ref(w.kind, w.name)} are selected by no NetworkPolicy with Ingress in namespace "${ctx.namespace}", so they accept traffic from anywhere. Add a NetworkPolicy whose podSelector matches ${labels} (or a default-deny policy with podSelector: {}).`,
      { prefer: 'key', data: { labels } },
    );
  },
};

/** Rules of this family (lint-rules.md §2.6). */
export const networkRules: readonly Rule[] = [
  serviceSelectsNoPods,
  serviceTargetPortUnmatched,
  servicePortNameInvalid,
  serviceSelectorNotUnique,
  serviceTypeNodePort,
  ingressBackendUnresolved,
  ingressTlsMissing,
  ingressHostPermissive,
  networkPolicySelectsNothing,
  networkPolicyPeerSelectsNothing,
  podNotCoveredByNetworkPolicy,
];
