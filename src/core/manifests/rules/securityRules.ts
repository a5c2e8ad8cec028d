import type { Rule, RuleContext } from '../rule';
import type { YamlPath } from '../types';
import { asRecord, scalarString, type ContainerRef } from '../workloads';
import {
  containerAnchor,
  containerLabel,
  containers,
  isPlaceholderValue,
  isSecretName,
  listText,
  looksLikeSecretValue,
  podSpecOf,
  recordsOf,
  securityContextOf,
  stringsOf,
} from './singleHelpers';

/** `NET_RAW`, `net_raw` and `CAP_NET_RAW` all name the same capability. */
function normalizeCapability(cap: string): string {
  return cap.trim().toUpperCase().replace(/^CAP_/, '');
}

interface Capabilities {
  readonly add: { cap: string; index: number }[];
  readonly drop: Set<string>;
  readonly hasDropKey: boolean;
}

function capabilitiesOf(c: ContainerRef): Capabilities {
  const caps = asRecord(securityContextOf(c).capabilities);
  return {
    add: stringsOf(caps?.add).map(({ value, index }) => ({ cap: normalizeCapability(value), index })),
    drop: new Set(stringsOf(caps?.drop).map(({ value }) => normalizeCapability(value))),
    hasDropKey: caps !== undefined && 'drop' in caps,
  };
}

/** Where a container finding about its securityContext points: the deepest existing key, else the name. */
function securityAnchor(c: ContainerRef, ...keys: string[]): YamlPath {
  let current: unknown = c.value.securityContext;
  if (!asRecord(current)) return containerAnchor(c);
  let path: YamlPath = [...c.path, 'securityContext'];
  for (const key of keys) {
    const next = asRecord(current)?.[key];
    if (next === undefined) break;
    path = [...path, key];
    current = next;
  }
  return path;
}

function isWindowsPod(ctx: RuleContext): boolean {
  return asRecord(podSpecOf(ctx)?.spec.os)?.name === 'windows';
}

const privileged: Rule = {
  id: 'container-privileged',
  level: 'warning',
  scope: 'document',
  /** Only judges values that are present: safe on Kustomize patches. */
  runsOnPartial: true,
  equivalents: [
    'kube-linter:privileged-container',
    'polaris:runAsPrivileged',
    'kube-score:container-security-context-privileged',
    'datree:CONTAINERS_INCORRECT_PRIVILEGED_VALUE_TRUE',
  ],
  description: 'A container runs privileged.',
  check(ctx) {
    for (const c of containers(ctx, ['C', 'S', 'I'])) {
      if (securityContextOf(c).privileged !== true) continue;
      ctx.report(
        [...c.path, 'securityContext', 'privileged'],
        `${containerLabel(c)} runs privileged, with full access to the node's devices and kernel; remove privileged: true and add only the capabilities it needs.`,
        { data: { container: c.name } },
      );
    }
  },
};

const privilegeEscalation: Rule = {
  id: 'container-privilege-escalation',
  level: 'warning',
  scope: 'document',
  equivalents: [
    'kube-linter:privilege-escalation-container',
    'polaris:privilegeEscalationAllowed',
    'datree:CONTAINERS_MISSING_KEY_ALLOWPRIVILEGEESCALATION',
  ],
  description: 'A container allows privilege escalation (allowPrivilegeEscalation true, privileged or SYS_ADMIN; strict: also unset).',
  check(ctx) {
    const windows = isWindowsPod(ctx);
    for (const c of containers(ctx, ['C', 'S', 'I'])) {
      const sc = securityContextOf(c);
      const data = { container: c.name };
      if (sc.allowPrivilegeEscalation === true) {
        ctx.report(
          [...c.path, 'securityContext', 'allowPrivilegeEscalation'],
          `${containerLabel(c)} sets allowPrivilegeEscalation: true, so setuid binaries can gain root; set it to false.`,
          { data },
        );
        continue;
      }
      if (sc.privileged === true) {
        ctx.report(
          [...c.path, 'securityContext', 'privileged'],
          `${containerLabel(c)} is privileged, which always allows privilege escalation; drop privileged: true and set allowPrivilegeEscalation: false.`,
          { data },
        );
        continue;
      }
      const sysAdmin = capabilitiesOf(c).add.find((a) => a.cap === 'SYS_ADMIN' || a.cap === 'ALL');
      if (sysAdmin) {
        ctx.report(
          [...c.path, 'securityContext', 'capabilities', 'add', sysAdmin.index],
          `${containerLabel(c)} adds ${sysAdmin.cap === 'ALL' ? 'ALL capabilities (including SYS_ADMIN)' : 'SYS_ADMIN'}, which allows privilege escalation; remove it and set allowPrivilegeEscalation: false.`,
          { data },
        );
        continue;
      }
      if (ctx.strict && !windows && sc.allowPrivilegeEscalation !== false) {
        ctx.report(
          securityAnchor(c, 'allowPrivilegeEscalation'),
          `${containerLabel(c)} does not set allowPrivilegeEscalation: false (it defaults to true); add securityContext.allowPrivilegeEscalation: false.`,
          { data },
        );
      }
    }
  },
};

const mayRunAsRoot: Rule = {
  id: 'container-may-run-as-root',
  level: 'off',
  strictLevel: 'warning',
  scope: 'document',
  equivalents: [
    'kube-linter:run-as-non-root',
    'polaris:runAsRootAllowed',
    'kube-score:container-security-context-user-group-id',
    'datree:CONTAINERS_INCORRECT_RUNASNONROOT_VALUE',
    'datree:CONTAINERS_INCORRECT_RUNASUSER_VALUE_LOWUID',
    'datree:CONTAINERS_INCORRECT_RUNASGROUP_VALUE_LOWGID',
  ],
  description: 'Neither the container nor the pod securityContext makes it run as a non-root user.',
  check(ctx) {
    const pod = podSpecOf(ctx);
    if (!pod || isWindowsPod(ctx)) return;
    const podSc = asRecord(pod.spec.securityContext) ?? {};
    let podRootReported = false;
    for (const c of containers(ctx, ['C', 'S', 'I'])) {
      const sc = securityContextOf(c);
      const ownUser = typeof sc.runAsUser === 'number' ? sc.runAsUser : undefined;
      const podUser = typeof podSc.runAsUser === 'number' ? podSc.runAsUser : undefined;
      const user = ownUser ?? podUser;
      const nonRoot = typeof sc.runAsNonRoot === 'boolean' ? sc.runAsNonRoot : podSc.runAsNonRoot === true;
      if (user === 0) {
        if (ownUser === 0) {
          ctx.report(
            [...c.path, 'securityContext', 'runAsUser'],
            `${containerLabel(c)} explicitly runs as root (runAsUser: 0); use a non-zero UID (e.g. 10001) and set runAsNonRoot: true.`,
            { severity: 'warning', data: { container: c.name } },
          );
        } else if (!podRootReported) {
          podRootReported = true;
          ctx.report(
            [...pod.path, 'securityContext', 'runAsUser'],
            `The pod securityContext runs its containers as root (runAsUser: 0); use a non-zero UID (e.g. 10001) and set runAsNonRoot: true.`,
            { severity: 'warning', data: { container: c.name } },
          );
        }
        continue;
      }
      if (nonRoot || (user !== undefined && user > 0)) continue;
      ctx.report(
        containerAnchor(c),
        `${containerLabel(c)} may run as root: neither it nor the pod sets runAsNonRoot: true or a non-zero runAsUser; add securityContext.runAsNonRoot: true (and runAsUser if the image has no numeric USER).`,
        { data: { container: c.name } },
      );
    }
  },
};

const writableRootFs: Rule = {
  id: 'container-writable-root-fs',
  level: 'off',
  strictLevel: 'warning',
  scope: 'document',
  equivalents: [
    'kube-linter:no-read-only-root-fs',
    'polaris:notReadOnlyRootFilesystem',
    'kube-score:container-security-context-readonlyrootfilesystem',
    'datree:CONTAINERS_INCORRECT_READONLYROOTFILESYSTEM_VALUE',
  ],
  description: 'A container root filesystem is writable (readOnlyRootFilesystem is not true).',
  check(ctx) {
    if (isWindowsPod(ctx)) return;
    for (const c of containers(ctx, ['C', 'S', 'I'])) {
      const sc = securityContextOf(c);
      if (sc.readOnlyRootFilesystem === true) continue;
      ctx.report(
        'readOnlyRootFilesystem' in sc ? [...c.path, 'securityContext', 'readOnlyRootFilesystem'] : containerAnchor(c),
        `${containerLabel(c)} has a writable root filesystem; set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where it must write (e.g. /tmp).`,
        { data: { container: c.name } },
      );
    }
  },
};

const dangerousCaps = new Set(['ALL', 'SYS_ADMIN', 'NET_ADMIN']);
/** Polaris `insecureCapabilities`: the container runtime defaults that a hardened container drops. */
const insecureCaps = [
  'CHOWN',
  'DAC_OVERRIDE',
  'FSETID',
  'FOWNER',
  'MKNOD',
  'NET_RAW',
  'SETGID',
  'SETUID',
  'SETFCAP',
  'SETPCAP',
  'NET_BIND_SERVICE',
  'SYS_CHROOT',
  'KILL',
  'AUDIT_WRITE',
];

const dangerousCapabilities: Rule = {
  id: 'container-dangerous-capabilities',
  level: 'warning',
  scope: 'document',
  equivalents: [
    'polaris:dangerousCapabilities',
    'polaris:insecureCapabilities',
    'datree:CONTAINERS_INVALID_CAPABILITIES_VALUE',
    'datree:EKS_INVALID_CAPABILITIES_EKS',
  ],
  description: 'A container adds ALL, SYS_ADMIN or NET_ADMIN (strict: also keeps insecure default capabilities).',
  check(ctx) {
    for (const c of containers(ctx, ['C', 'S', 'I'])) {
      const caps = capabilitiesOf(c);
      for (const { cap, index } of caps.add) {
        if (!dangerousCaps.has(cap)) continue;
        ctx.report(
          [...c.path, 'securityContext', 'capabilities', 'add', index],
          `${containerLabel(c)} adds ${cap === 'ALL' ? 'ALL capabilities' : `the ${cap} capability`}, which gives near-root control of the ${cap === 'NET_ADMIN' ? "node's network" : 'node'}; remove it and add only the narrow capabilities it needs.`,
          { data: { container: c.name, capability: cap } },
        );
      }
      if (!ctx.strict || caps.drop.has('ALL')) continue;
      const kept = insecureCaps.filter((cap) => !caps.drop.has(cap));
      if (!kept.length) continue;
      ctx.report(
        securityAnchor(c, 'capabilities', 'drop'),
        `${containerLabel(c)} keeps ${kept.length} default capabilities that it rarely needs (${listText(kept.slice(0, 4))}${kept.length > 4 ? ', …' : ''}); add capabilities.drop: [ALL] and add back only what it needs.`,
        { data: { container: c.name, capabilities: kept.join(',') } },
      );
    }
  },
};

const netRawNotDropped: Rule = {
  id: 'container-net-raw-not-dropped',
  level: 'off',
  strictLevel: 'warning',
  scope: 'document',
  equivalents: ['kube-linter:drop-net-raw-capability', 'datree:CIS_MISSING_VALUE_DROP_NET_RAW'],
  description: 'A container does not drop NET_RAW (or ALL).',
  check(ctx) {
    if (isWindowsPod(ctx)) return;
    for (const c of containers(ctx, ['C', 'S', 'I'])) {
      const caps = capabilitiesOf(c);
      const added = caps.add.find((a) => a.cap === 'NET_RAW');
      if (added) {
        ctx.report(
          [...c.path, 'securityContext', 'capabilities', 'add', added.index],
          `${containerLabel(c)} adds NET_RAW, which allows packet spoofing on the pod network; remove it (ping works without it on current runtimes).`,
          { data: { container: c.name } },
        );
        continue;
      }
      if (caps.drop.has('NET_RAW') || caps.drop.has('ALL')) continue;
      ctx.report(
        caps.hasDropKey ? [...c.path, 'securityContext', 'capabilities', 'drop'] : containerAnchor(c),
        `${containerLabel(c)} keeps NET_RAW, which allows packet spoofing on the pod network; add NET_RAW (or ALL) to securityContext.capabilities.drop.`,
        { ...(caps.hasDropKey ? { prefer: 'key' as const } : {}), data: { container: c.name } },
      );
    }
  },
};

function hostNamespaceRule(field: 'hostNetwork' | 'hostPID' | 'hostIPC', id: string, equivalents: string[], what: string): Rule {
  return {
    id,
    level: 'warning',
    scope: 'document',
    runsOnPartial: true,
    equivalents,
    description: `The pod sets ${field}: true.`,
    check(ctx) {
      const pod = podSpecOf(ctx);
      if (!pod || pod.spec[field] !== true) return;
      ctx.report([...pod.path, field], `The pod sets ${field}: true, ${what}; remove it unless this is a node-level agent that needs it.`, {
        data: { field },
      });
    },
  };
}

const hostPort: Rule = {
  id: 'container-host-port',
  level: 'info',
  scope: 'document',
  equivalents: ['polaris:hostPortSet', 'datree:CONTAINERS_INCORRECT_KEY_HOSTPORT'],
  description: 'A container port binds a hostPort.',
  check(ctx) {
    for (const c of containers(ctx, ['C', 'S'])) {
      for (const { value, index } of recordsOf(c.value.ports)) {
        const hp = value.hostPort;
        if (hp === undefined || hp === null || hp === 0 || hp === '') continue;
        ctx.report(
          [...c.path, 'ports', index, 'hostPort'],
          `${containerLabel(c)} binds hostPort ${scalarString(hp)} on the node, which limits scheduling to one such pod per node; expose it through a Service instead.`,
          { data: { container: c.name, port: scalarString(hp) } },
        );
      }
    }
  },
};

interface HostPathVolume {
  readonly index: number;
  readonly name: string;
  readonly path: string;
}

function hostPathVolumes(spec: Record<string, unknown>): HostPathVolume[] {
  const out: HostPathVolume[] = [];
  for (const { value, index } of recordsOf(spec.volumes)) {
    const hp = value.hostPath;
    if (hp === undefined || hp === null) continue;
    out.push({ index, name: scalarString(value.name), path: scalarString(asRecord(hp)?.path) });
  }
  return out;
}

const hostPathVolume: Rule = {
  id: 'pod-host-path-volume',
  level: 'info',
  scope: 'document',
  equivalents: [
    'kube-linter:writable-host-mount',
    'polaris:hostPathSet',
    'datree:CONTAINERS_INCORRECT_KEY_HOSTPATH',
    'datree:EKS_INVALID_HOSTPATH_MOUNT_READONLY_VALUE',
  ],
  description: 'The pod mounts a hostPath volume (warning when a container mounts it writable).',
  check(ctx) {
    const pod = podSpecOf(ctx);
    if (!pod) return;
    const volumes = hostPathVolumes(pod.spec);
    if (!volumes.length) return;
    const all = containers(ctx, ['C', 'S', 'I']);
    for (const v of volumes) {
      const writable = all.filter((c) =>
        recordsOf(c.value.volumeMounts).some(({ value }) => value.name === v.name && value.readOnly !== true),
      );
      const where = v.path ? ` ${v.path}` : '';
      ctx.report(
        [...pod.path, 'volumes', v.index, 'hostPath'],
        writable.length
          ? `Volume "${v.name}" mounts the node's${where} directory and container${writable.length > 1 ? 's' : ''} ${listText(writable.map((c) => `"${c.name}"`))} can write to it; set readOnly: true on the volumeMount, or use another volume type.`
          : `Volume "${v.name}" mounts the node's${where} directory, which ties the pod to the node and exposes host files; prefer a PersistentVolumeClaim, ConfigMap or emptyDir.`,
        {
          prefer: 'key',
          ...(writable.length ? { severity: 'warning' as const } : {}),
          data: { volume: v.name, writable: writable.length > 0 },
        },
      );
    }
  },
};

const sensitiveDirs = new Set(['/', '/etc', '/proc', '/sys', '/boot', '/dev', '/root', '/var/lib/kubelet']);
const runtimeSockets = new Set(['/run/docker.sock', '/run/containerd/containerd.sock', '/run/crio/crio.sock']);

/** `/var/run/` is a symlink to `/run/`; trailing slashes do not change the path. */
function normalizeHostPath(p: string): string {
  let s = p.trim().replace(/\/+/g, '/');
  if (s.length > 1) s = s.replace(/\/$/, '');
  return s.replace(/^\/var\/run\//, '/run/');
}

const sensitiveHostMount: Rule = {
  id: 'pod-sensitive-host-mount',
  level: 'warning',
  scope: 'document',
  /** Only judges values that are present: safe on Kustomize patches. */
  runsOnPartial: true,
  equivalents: ['kube-linter:sensitive-host-mounts', 'kube-linter:docker-sock', 'datree:CONTAINERS_INCORRECT_PATH_VALUE_DOCKERSOCKET'],
  description: 'A hostPath volume mounts a sensitive host directory or a container runtime socket.',
  check(ctx) {
    const pod = podSpecOf(ctx);
    if (!pod) return;
    for (const v of hostPathVolumes(pod.spec)) {
      if (!v.path) continue;
      const p = normalizeHostPath(v.path);
      const socket = runtimeSockets.has(p);
      if (!socket && !sensitiveDirs.has(p)) continue;
      ctx.report(
        [...pod.path, 'volumes', v.index, 'hostPath', 'path'],
        socket
          ? `Volume "${v.name}" mounts the container runtime socket ${v.path}, which gives root on the node; avoid it (use a rootless builder such as BuildKit or Kaniko for image builds).`
          : `Volume "${v.name}" mounts the sensitive host path ${v.path}, which exposes or lets the pod modify the node; mount a narrower path, read-only, or avoid hostPath.`,
        { data: { volume: v.name, path: v.path } },
      );
    }
  },
};

/** Sysctls the kubelet allows without --allowed-unsafe-sysctls (Kubernetes 1.32 safe set). */
const safeSysctls = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
]);

const unsafeSysctls: Rule = {
  id: 'pod-unsafe-sysctls',
  level: 'warning',
  scope: 'document',
  /** Only judges values that are present: safe on Kustomize patches. */
  runsOnPartial: true,
  equivalents: ['kube-linter:unsafe-sysctls'],
  description: 'The pod sets a sysctl outside the safe set.',
  check(ctx) {
    const pod = podSpecOf(ctx);
    if (!pod) return;
    const sysctls = asRecord(pod.spec.securityContext)?.sysctls;
    for (const { value, index } of recordsOf(sysctls)) {
      const name = scalarString(value.name);
      if (!name || safeSysctls.has(name.replace(/\//g, '.'))) continue;
      ctx.report(
        [...pod.path, 'securityContext', 'sysctls', index, 'name'],
        `Sysctl ${name} is not in the safe set: the kubelet rejects the pod (SysctlForbidden) unless the node allows it with --allowed-unsafe-sysctls, and it may affect other pods; remove it or run the pod on dedicated, configured nodes.`,
        { data: { sysctl: name } },
      );
    }
  },
};

const unmaskedProcMount: Rule = {
  id: 'container-unmasked-proc-mount',
  level: 'warning',
  scope: 'document',
  /** Only judges values that are present: safe on Kustomize patches. */
  runsOnPartial: true,
  equivalents: ['kube-linter:unsafe-proc-mount', 'polaris:procMount'],
  description: 'A container sets procMount: Unmasked.',
  check(ctx) {
    for (const c of containers(ctx, ['C', 'S', 'I'])) {
      if (securityContextOf(c).procMount !== 'Unmasked') continue;
      ctx.report(
        [...c.path, 'securityContext', 'procMount'],
        `${containerLabel(c)} sets procMount: Unmasked, exposing host kernel details in /proc; remove it (Default masks them) unless it runs nested containers in a user namespace.`,
        { data: { container: c.name } },
      );
    }
  },
};

const windowsHostProcess: Rule = {
  id: 'pod-windows-host-process',
  level: 'warning',
  scope: 'document',
  equivalents: ['polaris:hostProcess', 'datree:EKS_INVALID_HOSTPROCESS_VALUE'],
  description: 'The pod or a container sets windowsOptions.hostProcess: true.',
  check(ctx) {
    const pod = podSpecOf(ctx);
    if (!pod) return;
    if (asRecord(asRecord(pod.spec.securityContext)?.windowsOptions)?.hostProcess === true) {
      ctx.report(
        [...pod.path, 'securityContext', 'windowsOptions', 'hostProcess'],
        'The pod runs as a Windows HostProcess container with full access to the node; remove hostProcess: true unless this is a node agent.',
      );
    }
    for (const c of containers(ctx, ['C', 'S', 'I'])) {
      if (asRecord(securityContextOf(c).windowsOptions)?.hostProcess !== true) continue;
      ctx.report(
        [...c.path, 'securityContext', 'windowsOptions', 'hostProcess'],
        `${containerLabel(c)} runs as a Windows HostProcess container with full access to the node; remove hostProcess: true unless it is a node agent.`,
        { data: { container: c.name } },
      );
    }
  },
};

function goodSeccomp(sc: Record<string, unknown> | undefined): boolean {
  const type = asRecord(sc?.seccompProfile)?.type;
  return type === 'RuntimeDefault' || type === 'Localhost';
}

const seccompUnset: Rule = {
  id: 'pod-seccomp-unset',
  level: 'off',
  strictLevel: 'warning',
  scope: 'document',
  equivalents: [
    'polaris:linuxHardening',
    'kube-score:container-seccomp-profile',
    'datree:CIS_INVALID_VALUE_SECCOMP_PROFILE',
    'datree:CONTAINERS_INCORRECT_SECCOMP_PROFILE',
    'datree:CIS_MISSING_KEY_SECURITYCONTEXT',
  ],
  description: 'No RuntimeDefault or Localhost seccompProfile on the pod or on every container.',
  check(ctx) {
    const pod = podSpecOf(ctx);
    if (!pod || isWindowsPod(ctx)) return;
    const podSc = asRecord(pod.spec.securityContext);
    const all = containers(ctx, ['C', 'S', 'I']);
    const explicitType = (c: ContainerRef) => asRecord(securityContextOf(c).seccompProfile)?.type;
    if (goodSeccomp(podSc)) {
      // The pod is covered; a container may still opt out explicitly.
      for (const c of all) {
        const type = explicitType(c);
        if (type === undefined || goodSeccomp(securityContextOf(c))) continue;
        ctx.report(
          [...c.path, 'securityContext', 'seccompProfile', 'type'],
          `${containerLabel(c)} overrides the pod's seccomp profile with ${scalarString(type) || 'an invalid type'}; remove the override or use RuntimeDefault.`,
          { data: { container: c.name, suggestion: 'RuntimeDefault' } },
        );
      }
      return;
    }
    if (all.length && all.every((c) => goodSeccomp(securityContextOf(c)))) return;
    const podType = asRecord(podSc?.seccompProfile)?.type;
    ctx.report(
      podType !== undefined
        ? [...pod.path, 'securityContext', 'seccompProfile', 'type']
        : [...pod.path, 'securityContext', 'seccompProfile'],
      podType !== undefined
        ? `The pod's seccomp profile is ${scalarString(podType) || 'invalid'}, so its containers can make any system call; set securityContext.seccompProfile.type: RuntimeDefault.`
        : 'The pod sets no seccomp profile, so its containers run Unconfined and can make any system call; add securityContext.seccompProfile.type: RuntimeDefault to the pod.',
      { data: podType !== undefined ? { suggestion: 'RuntimeDefault' } : {} },
    );
  },
};

const automountSaToken: Rule = {
  id: 'pod-automount-sa-token',
  level: 'off',
  scope: 'document',
  equivalents: [
    'polaris:automountServiceAccountToken',
    'datree:SRVACC_INCORRECT_AUTOMOUNTSERVICEACCOUNTTOKEN_VALUE',
    'datree:CIS_INVALID_VALUE_AUTOMOUNTSERVICEACCOUNTTOKEN',
  ],
  description: 'The pod mounts a ServiceAccount token (automountServiceAccountToken is not false).',
  check(ctx) {
    const pod = podSpecOf(ctx);
    if (!pod || pod.spec.automountServiceAccountToken === false) return;
    ctx.report(
      [...pod.path, 'automountServiceAccountToken'],
      'The pod mounts a ServiceAccount API token that a compromised container could use; set automountServiceAccountToken: false unless it talks to the Kubernetes API.',
      { data: pod.spec.automountServiceAccountToken !== undefined ? { suggestion: false } : {} },
    );
  },
};

const envSecretLiteral: Rule = {
  id: 'env-secret-literal',
  level: 'warning',
  scope: 'document',
  /** Only judges values that are present: safe on Kustomize patches. */
  runsOnPartial: true,
  equivalents: ['kube-linter:env-var-secret', 'polaris:sensitiveContainerEnvVar', 'datree:ALL_EXPOSED_SECRET_*'],
  description: 'An env var holds a literal secret (by its name or by a known credential format).',
  check(ctx) {
    for (const c of containers(ctx, ['C', 'S', 'I'])) {
      for (const { value: env, index } of recordsOf(c.value.env)) {
        const name = scalarString(env.name);
        const raw = env.value;
        if (typeof raw !== 'string' && typeof raw !== 'number') continue;
        const value = scalarString(raw);
        if (isPlaceholderValue(value)) continue;
        const byFormat = looksLikeSecretValue(value);
        if (!byFormat && !isSecretName(name)) continue;
        ctx.report(
          [...c.path, 'env', index, 'value'],
          `${containerLabel(c)}: env var "${name}" holds a literal ${byFormat ? 'credential' : 'secret'} in the manifest; move it to a Secret and use valueFrom.secretKeyRef (and rotate it if this was committed).`,
          { data: { container: c.name, env: name } },
        );
      }
    }
  },
};

const envSecretFromEnvVar: Rule = {
  id: 'env-secret-from-env-var',
  level: 'off',
  scope: 'document',
  equivalents: ['kube-linter:read-secret-from-env-var', 'datree:CIS_INVALID_KEY_SECRETKEYREF_SECRETREF'],
  description: 'A container reads a Secret through environment variables instead of a mounted file.',
  check(ctx) {
    for (const c of containers(ctx, ['C', 'S', 'I'])) {
      for (const { value: env, index } of recordsOf(c.value.env)) {
        const ref = asRecord(asRecord(env.valueFrom)?.secretKeyRef);
        if (!ref) continue;
        ctx.report(
          [...c.path, 'env', index, 'valueFrom', 'secretKeyRef'],
          `${containerLabel(c)} reads Secret "${scalarString(ref.name)}" into env var "${scalarString(env.name)}"; env vars leak into logs, crash dumps and child processes, so mount the Secret as a file instead.`,
          { prefer: 'key', data: { container: c.name, secret: scalarString(ref.name) } },
        );
      }
      for (const { value: from, index } of recordsOf(c.value.envFrom)) {
        const ref = asRecord(from.secretRef);
        if (!ref) continue;
        ctx.report(
          [...c.path, 'envFrom', index, 'secretRef'],
          `${containerLabel(c)} loads all keys of Secret "${scalarString(ref.name)}" as env vars; env vars leak into logs, crash dumps and child processes, so mount the Secret as files instead.`,
          { prefer: 'key', data: { container: c.name, secret: scalarString(ref.name) } },
        );
      }
    }
  },
};

/** `password=…` / `api_key: …` lines inside embedded config files. */
const embeddedAssignment =
  /^[ \t]*["']?[\w.-]*(password|passwd|secret|token|api[_-]?key|private[_-]?key|credential)[\w.-]*["']?[ \t]*[:=][ \t]*(.+?)[ \t]*$/im;

function embeddedSecret(value: string): boolean {
  if (!value.includes('\n')) return false;
  for (const line of value.split('\n')) {
    const m = embeddedAssignment.exec(line);
    if (!m) continue;
    const assigned = (m[2] ?? '').replace(/^["']|["'],?$/g, '');
    if (!isPlaceholderValue(assigned) && !/^\$\{?[A-Za-z_]/.test(assigned) && assigned !== '""' && assigned !== "''") return true;
  }
  return false;
}

const configMapSensitiveContent: Rule = {
  id: 'configmap-sensitive-content',
  level: 'off',
  scope: 'document',
  equivalents: ['polaris:sensitiveConfigmapContent', 'datree:ALL_EXPOSED_SECRET_*'],
  description: 'A ConfigMap key or value looks like a credential.',
  check(ctx) {
    if (ctx.doc.kind !== 'ConfigMap') return;
    const data = asRecord(asRecord(ctx.doc.value)?.data);
    if (!data) return;
    for (const [key, raw] of Object.entries(data)) {
      if (typeof raw !== 'string' && typeof raw !== 'number') continue;
      const value = scalarString(raw);
      if (isSecretName(key) && !isPlaceholderValue(value)) {
        ctx.report(
          ['data', key],
          `ConfigMap key "${key}" looks like a credential; ConfigMaps are not access-controlled like Secrets, so move it to a Secret.`,
          { prefer: 'key', data: { key } },
        );
      } else if (looksLikeSecretValue(value) || embeddedSecret(value)) {
        ctx.report(
          ['data', key],
          `ConfigMap entry "${key}" contains what looks like a credential; move the secret part to a Secret (and rotate it if this was committed).`,
          { prefer: 'key', data: { key } },
        );
      }
    }
  },
};

function portRule(
  id: string,
  equivalents: string[],
  description: string,
  test: (port: number) => boolean,
  message: (c: ContainerRef, port: number) => string,
): Rule {
  return {
    id,
    level: 'off',
    scope: 'document',
    equivalents,
    description,
    check(ctx) {
      for (const c of containers(ctx, ['C', 'S'])) {
        for (const { value, index } of recordsOf(c.value.ports)) {
          const port = value.containerPort;
          if (typeof port !== 'number' || !test(port)) continue;
          ctx.report([...c.path, 'ports', index, 'containerPort'], message(c, port), { data: { container: c.name, port } });
        }
      }
    },
  };
}

/** Rules of this family (lint-rules.md §2.4). */
export const securityRules: readonly Rule[] = [
  privileged,
  privilegeEscalation,
  mayRunAsRoot,
  writableRootFs,
  dangerousCapabilities,
  netRawNotDropped,
  hostNamespaceRule(
    'hostNetwork',
    'pod-host-network',
    ['kube-linter:host-network', 'polaris:hostNetworkSet', 'datree:CONTAINERS_INCORRECT_HOSTNETWORK_VALUE_TRUE'],
    "so it shares the node's network stack and can reach node-local services",
  ),
  hostNamespaceRule(
    'hostPID',
    'pod-host-pid',
    ['kube-linter:host-pid', 'polaris:hostPIDSet', 'datree:CONTAINERS_INCORRECT_HOSTPID_VALUE_TRUE'],
    'so it can see and signal every process on the node',
  ),
  hostNamespaceRule(
    'hostIPC',
    'pod-host-ipc',
    ['kube-linter:host-ipc', 'polaris:hostIPCSet', 'datree:CONTAINERS_INCORRECT_HOSTIPC_VALUE_TRUE'],
    "so it shares the node's shared memory and IPC objects",
  ),
  hostPort,
  hostPathVolume,
  sensitiveHostMount,
  unsafeSysctls,
  unmaskedProcMount,
  windowsHostProcess,
  seccompUnset,
  automountSaToken,
  envSecretLiteral,
  envSecretFromEnvVar,
  configMapSensitiveContent,
  portRule(
    'container-ssh-port',
    ['kube-linter:ssh-port'],
    'A container exposes port 22 (SSH).',
    (p) => p === 22,
    (c) => `${containerLabel(c)} exposes port 22 (SSH); use kubectl exec or an ephemeral debug container instead of running an SSH server.`,
  ),
  portRule(
    'container-privileged-port',
    ['kube-linter:privileged-ports'],
    'A container listens on a privileged port (< 1024).',
    (p) => p > 0 && p < 1024,
    (c, p) =>
      `${containerLabel(c)} listens on privileged port ${p}, which needs root or NET_BIND_SERVICE; listen on a port ≥ 1024 and map it in the Service (targetPort).`,
  ),
];
