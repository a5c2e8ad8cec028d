// The kubeadm cluster spec the wizard collects and the generators write (provisioning.md §5): defaults, CNI ↔ pod
// CIDR rules and validation. Pure.
import { cidrsOverlap, parseCidr, parseIpv4, parseIpv6, type Cidr } from '../cidr';

/** The CNIs the guide knows (§5.2). */
export type Cni = 'flannel' | 'calico' | 'cilium';
export const cnis: readonly Cni[] = ['flannel', 'calico', 'cilium'];

/** Container runtimes with a known CRI socket. */
export type ContainerRuntime = 'containerd' | 'cri-o';
export const containerRuntimes: readonly ContainerRuntime[] = ['containerd', 'cri-o'];

/** The socket kubeadm is told to use per runtime (`nodeRegistration.criSocket`). */
export const criSockets: Readonly<Record<ContainerRuntime, string>> = {
  containerd: 'unix:///var/run/containerd/containerd.sock',
  'cri-o': 'unix:///var/run/crio/crio.sock',
};

/**
 * One kubeadm cluster: what `kubeadm init` needs plus the CNI, the node networks the checks compare against and the
 * number of workers to join. Every value is explicit (P1); {@link defaultKubeadmSpec} fills the documented defaults.
 */
export interface KubeadmSpec {
  /** `ClusterConfiguration.clusterName`; also the workspace folder and the kubeconfig names on import. */
  readonly clusterName: string;
  /** `host:port` of the API server for every node (a DNS name or load-balancer VIP for HA). */
  readonly controlPlaneEndpoint: string;
  /** A pinned release, `v1.31.2` (v1beta4 needs kubeadm ≥ 1.31). */
  readonly kubernetesVersion: string;
  readonly cni: Cni;
  /** `networking.podSubnet`; for Cilium also the cluster-pool list (set explicitly). */
  readonly podSubnet: string;
  /** `networking.serviceSubnet`, default 10.96.0.0/12. */
  readonly serviceSubnet: string;
  /** `networking.dnsDomain`, default cluster.local. */
  readonly dnsDomain: string;
  readonly containerRuntime: ContainerRuntime;
  /** The networks the nodes live on; only for the disjointness checks (may be empty). */
  readonly nodeNetworks: readonly string[];
  /** Workers to join after the control plane (≥ 0); 0 removes the control-plane taint. */
  readonly workers: number;
  /** `localAPIEndpoint.advertiseAddress`; '' = kubeadm's default-route address. */
  readonly advertiseAddress: string;
  /** `localAPIEndpoint.bindPort`, default 6443. */
  readonly bindPort: number;
  /** `apiServer.certSANs`: load-balancer names and addresses. */
  readonly extraSans: readonly string[];
  /** `kubeadm init --upload-certs` (to join more control planes without copying the PKI). */
  readonly uploadCerts: boolean;
}

/** The pod network each CNI assumes (§5.2). Cilium's own default 10.0.0.0/8 contains 10.96.0.0/12, so ours is narrower. */
export const defaultPodSubnets: Readonly<Record<Cni, string>> = {
  flannel: '10.244.0.0/16',
  calico: '192.168.0.0/16',
  cilium: '10.0.0.0/16',
};

/** Cilium's cluster-pool default when nothing is set: what the overlap check warns about. */
export const ciliumDefaultClusterPool = '10.0.0.0/8';

export const defaultServiceSubnet = '10.96.0.0/12';
export const defaultDnsDomain = 'cluster.local';
export const defaultKubernetesVersion = 'v1.31.2';

/** A complete spec from a few answers: every other field gets the documented default. */
export function defaultKubeadmSpec(
  overrides: Partial<KubeadmSpec> & Pick<KubeadmSpec, 'clusterName' | 'controlPlaneEndpoint'>,
): KubeadmSpec {
  const cni = overrides.cni ?? 'flannel';
  return {
    kubernetesVersion: defaultKubernetesVersion,
    cni,
    podSubnet: defaultPodSubnets[cni],
    serviceSubnet: defaultServiceSubnet,
    dnsDomain: defaultDnsDomain,
    containerRuntime: 'containerd',
    nodeNetworks: [],
    workers: 0,
    advertiseAddress: '',
    bindPort: 6443,
    extraSans: [],
    uploadCerts: false,
    ...overrides,
  };
}

/** One finding of {@link validateKubeadmSpec}: errors block generation, warnings are shown. */
export interface SpecIssue {
  readonly field: keyof KubeadmSpec;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** True for an RFC 1123 DNS name (`cp.example.com`, `lb-1`); case-insensitive. */
export function isDnsName(text: string): boolean {
  return (
    text.length > 0 &&
    text.length <= 253 &&
    text
      .toLowerCase()
      .split('.')
      .every((l) => dnsLabel.test(l))
  );
}

/** True for an IPv4 or IPv6 address. */
export function isIpAddress(text: string): boolean {
  return parseIpv4(text) !== undefined || (text.includes(':') && parseIpv6(text) !== undefined);
}

/** The message for a bad cluster name, undefined when fine (a DNS label: it names files and kubeconfig entries). */
export function checkClusterName(name: string): string | undefined {
  if (!dnsLabel.test(name)) return 'Use 1–63 lowercase letters, digits and "-", starting and ending with a letter or digit.';
  return undefined;
}

/** `host:port` with a DNS name, an IPv4 address or a bracketed IPv6 address; undefined when fine. */
export function checkEndpoint(endpoint: string): string | undefined {
  const m = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(endpoint.trim());
  if (!m) return 'Enter host:port, e.g. k8s-api.example.com:6443 or 10.0.0.10:6443 ([::1]:6443 for IPv6).';
  const host = m[1]!;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return `Port ${m[2]} is out of range (1–65535).`;
  if (host.startsWith('[')) {
    if (parseIpv6(host.slice(1, -1)) === undefined) return `"${host}" is not a valid IPv6 address.`;
  } else if (/^[\d.]+$/.test(host)) {
    if (parseIpv4(host) === undefined) return `"${host}" is not a valid IPv4 address.`;
  } else if (!isDnsName(host)) return `"${host}" is not a valid DNS name.`;
  return undefined;
}

/** The pinned release syntax `v1.31.2` (a leading "v" is added by {@link normalizeVersion}); undefined when fine. */
export function checkVersion(version: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(version.trim());
  if (!m) return 'Enter a pinned release such as v1.31.2 (stable-1 and other labels resolve online and are not pinned).';
  if (Number(m[1]) !== 1 || Number(m[2]) < 31) return 'kubeadm.k8s.io/v1beta4 needs Kubernetes v1.31 or later.';
  return undefined;
}

export function normalizeVersion(version: string): string {
  const v = version.trim();
  return v.startsWith('v') ? v : `v${v}`;
}

/** Splits a comma/space separated list. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Every problem of a spec. Errors: syntax of the endpoint, version, CIDRs, names and addresses; pod, service and
 * node networks not pairwise disjoint; workers < 0. Warnings: Calico's 192.168.0.0/16 without node networks to
 * check against; a Cilium pod network that contains Cilium's 10.0.0.0/8 default overlap cases.
 */
export function validateKubeadmSpec(spec: KubeadmSpec): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const error = (field: keyof KubeadmSpec, message: string) => issues.push({ field, severity: 'error', message });
  const warn = (field: keyof KubeadmSpec, message: string) => issues.push({ field, severity: 'warning', message });

  const name = checkClusterName(spec.clusterName);
  if (name) error('clusterName', name);
  const endpoint = checkEndpoint(spec.controlPlaneEndpoint);
  if (endpoint) error('controlPlaneEndpoint', endpoint);
  const version = checkVersion(spec.kubernetesVersion);
  if (version) error('kubernetesVersion', version);
  if (!spec.dnsDomain || !isDnsName(spec.dnsDomain)) error('dnsDomain', `"${spec.dnsDomain}" is not a valid DNS domain.`);
  if (!Number.isInteger(spec.workers) || spec.workers < 0) error('workers', 'Workers must be a whole number, 0 or more.');
  if (!Number.isInteger(spec.bindPort) || spec.bindPort < 1 || spec.bindPort > 65535) error('bindPort', 'The bind port must be 1–65535.');
  if (spec.advertiseAddress && !isIpAddress(spec.advertiseAddress))
    error('advertiseAddress', `"${spec.advertiseAddress}" is not an IP address (leave it empty for the default-route address).`);
  for (const san of spec.extraSans) {
    if (!isIpAddress(san) && !isDnsName(san)) error('extraSans', `"${san}" is neither a DNS name nor an IP address.`);
  }
  if (!cnis.includes(spec.cni)) error('cni', `Unknown CNI "${String(spec.cni)}"; choose flannel, calico or cilium.`);
  if (!containerRuntimes.includes(spec.containerRuntime))
    error('containerRuntime', `Unknown container runtime "${String(spec.containerRuntime)}"; choose containerd or cri-o.`);

  const pod = parseField(spec.podSubnet, 'podSubnet', error);
  const service = parseField(spec.serviceSubnet, 'serviceSubnet', error);
  const nodes = spec.nodeNetworks.map((n) => parseField(n, 'nodeNetworks', error));
  for (const message of networkOverlaps(spec, pod, service, nodes)) error(message.field, message.message);
  if (service && service.family === 4 && service.prefix > 28)
    error('serviceSubnet', `${service.text} is too small: the DNS service needs address .10; use /28 or larger.`);
  if (pod && pod.family === 4 && pod.prefix > 24)
    error('podSubnet', `${pod.text} is too small: kubeadm gives each node a /24 of the pod network.`);

  if (spec.cni === 'calico' && pod && spec.nodeNetworks.length === 0 && overlapsText(pod, '192.168.0.0/16'))
    warn(
      'nodeNetworks',
      `Calico's ${pod.text} overlaps many home and office LANs (192.168.x.x); enter the node networks so the overlap can be checked, or pick another pod range.`,
    );
  if (spec.cni === 'cilium' && pod && overlapsText(pod, ciliumDefaultClusterPool) && pod.prefix <= 8)
    warn(
      'podSubnet',
      `${pod.text} as Cilium's cluster pool is very wide; it easily overlaps node networks and the service CIDR (cilium/cilium#31504). Narrow it.`,
    );
  return issues;
}

function parseField(text: string, field: keyof KubeadmSpec, error: (f: keyof KubeadmSpec, m: string) => void): Cidr | undefined {
  const parsed = parseCidr(text);
  if (parsed.ok) return parsed.cidr;
  error(field, parsed.message);
  return undefined;
}

function overlapsText(a: Cidr, text: string): boolean {
  const b = parseCidr(text);
  return b.ok && cidrsOverlap(a, b.cidr);
}

/** Pairwise overlap messages between pod, service and node networks, phrased per CNI where it has a known pitfall. */
function networkOverlaps(
  spec: KubeadmSpec,
  pod: Cidr | undefined,
  service: Cidr | undefined,
  nodes: readonly (Cidr | undefined)[],
): { field: keyof KubeadmSpec; message: string }[] {
  const out: { field: keyof KubeadmSpec; message: string }[] = [];
  const podLabel = spec.cni === 'cilium' ? 'pod network (Cilium cluster pool)' : 'pod network';
  if (pod && service && cidrsOverlap(pod, service)) {
    out.push({
      field: 'podSubnet',
      message:
        spec.cni === 'cilium'
          ? `The Cilium cluster pool ${pod.text} overlaps the service CIDR ${service.text}; Services would become unreachable (cilium/cilium#31504). Choose disjoint ranges.`
          : `The ${podLabel} ${pod.text} overlaps the service CIDR ${service.text}; choose disjoint ranges.`,
    });
  }
  nodes.forEach((node, i) => {
    if (!node) return;
    if (pod && cidrsOverlap(pod, node)) {
      out.push({
        field: 'podSubnet',
        message:
          spec.cni === 'calico' && overlapsText(node, '192.168.0.0/16')
            ? `Calico's pod network ${pod.text} overlaps the node network ${node.text} (a 192.168.x.x LAN); pick another pod range, e.g. 172.16.0.0/16.`
            : `The ${podLabel} ${pod.text} overlaps the node network ${node.text}; choose disjoint ranges.`,
      });
    }
    if (service && cidrsOverlap(service, node))
      out.push({
        field: 'serviceSubnet',
        message: `The service CIDR ${service.text} overlaps the node network ${node.text}; choose disjoint ranges.`,
      });
    nodes.slice(i + 1).forEach((other) => {
      if (other && cidrsOverlap(node, other))
        out.push({ field: 'nodeNetworks', message: `The node networks ${node.text} and ${other.text} overlap; list each network once.` });
    });
  });
  return out;
}

/** Only the errors, for "can the files be generated?". */
export function specErrors(spec: KubeadmSpec): SpecIssue[] {
  return validateKubeadmSpec(spec).filter((i) => i.severity === 'error');
}
