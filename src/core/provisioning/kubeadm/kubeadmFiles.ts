// The files the kubeadm wizard writes (issue 6 "Config first"): kubeadm-config.yaml (v1beta4 Init + Cluster +
// KubeletConfiguration), bootstrap-control-plane.sh, join-worker.sh and a CNI note; and the parser that reads a
// kubeadm-config.yaml back into a KubeadmSpec. Pure.
import { isMap, parseAllDocuments, stringify } from 'yaml';
import { ClusterDeckError } from '../../errors';
import { addressAt, parseCidr } from '../cidr';
import {
  criSockets,
  defaultKubeadmSpec,
  defaultPodSubnets,
  specErrors,
  type Cni,
  type ContainerRuntime,
  type KubeadmSpec,
} from './kubeadmSpec';
import { quoteShellArg, quoteShellCommand } from './shellQuote';

export const kubeadmConfigFile = 'kubeadm-config.yaml';
export const bootstrapScriptFile = 'bootstrap-control-plane.sh';
export const joinScriptFile = 'join-worker.sh';
export const cniNoteFile = 'CNI.md';

/** A generated file: name inside `kubeadm/<cluster>/`, text, and whether it is a script (mode 0755). */
export interface GeneratedFile {
  readonly name: string;
  readonly text: string;
  readonly executable: boolean;
}

/** The pinned CNI releases and where their manifests come from. */
export const cniReleases: Readonly<Record<Cni, { readonly version: string; readonly manifestUrl: string; readonly docsUrl: string }>> = {
  flannel: {
    version: 'v0.26.1',
    manifestUrl: 'https://github.com/flannel-io/flannel/releases/download/v0.26.1/kube-flannel.yml',
    docsUrl: 'https://github.com/flannel-io/flannel#deploying-flannel-manually',
  },
  calico: {
    version: 'v3.29.1',
    manifestUrl: 'https://raw.githubusercontent.com/projectcalico/calico/v3.29.1/manifests/tigera-operator.yaml',
    docsUrl: 'https://docs.tigera.io/calico/latest/getting-started/kubernetes/self-managed-onprem/onpremises',
  },
  cilium: {
    version: '1.16.4',
    manifestUrl: 'https://github.com/cilium/cilium-cli/releases/latest/download/cilium-linux-amd64.tar.gz',
    docsUrl: 'https://docs.cilium.io/en/stable/installation/k8s-install-kubeadm/',
  },
};

/** Comment keys that carry what kubeadm's strict decoder would refuse as fields (CNI, workers, node networks…). */
const metaPrefix = '# clusterdeck.kubeadm/';

/** All four files for a valid spec; throws `invalid` naming the first error otherwise. */
export function generateKubeadmFiles(spec: KubeadmSpec): GeneratedFile[] {
  const errors = specErrors(spec);
  if (errors.length) throw new ClusterDeckError('invalid', `The kubeadm spec is not valid: ${errors[0]!.message}`);
  return [
    { name: kubeadmConfigFile, text: buildKubeadmConfig(spec), executable: false },
    { name: bootstrapScriptFile, text: buildBootstrapScript(spec), executable: true },
    { name: joinScriptFile, text: buildJoinScript(spec), executable: true },
    { name: cniNoteFile, text: buildCniNote(spec), executable: false },
  ];
}

/** `kubeadm init` as one command line, what the review step shows beside the files. */
export function equivalentInitCommand(spec: KubeadmSpec): string {
  return quoteShellCommand(['sudo', 'kubeadm', 'init', '--config', kubeadmConfigFile, ...(spec.uploadCerts ? ['--upload-certs'] : [])]);
}

/** The same cluster in flags only (no config file), for readers who know the flags. */
export function equivalentInitFlags(spec: KubeadmSpec): string {
  return quoteShellCommand([
    'sudo',
    'kubeadm',
    'init',
    `--control-plane-endpoint=${spec.controlPlaneEndpoint}`,
    `--kubernetes-version=${spec.kubernetesVersion}`,
    `--pod-network-cidr=${spec.podSubnet}`,
    `--service-cidr=${spec.serviceSubnet}`,
    `--service-dns-domain=${spec.dnsDomain}`,
    `--cri-socket=${criSockets[spec.containerRuntime]}`,
    ...(spec.advertiseAddress ? [`--apiserver-advertise-address=${spec.advertiseAddress}`] : []),
    `--apiserver-bind-port=${spec.bindPort}`,
    ...(spec.extraSans.length ? [`--apiserver-cert-extra-sans=${spec.extraSans.join(',')}`] : []),
    ...(spec.uploadCerts ? ['--upload-certs'] : []),
  ]);
}

/** kubeadm-config.yaml: InitConfiguration + ClusterConfiguration + KubeletConfiguration (kubeadm.k8s.io/v1beta4). */
export function buildKubeadmConfig(spec: KubeadmSpec): string {
  const init = {
    apiVersion: 'kubeadm.k8s.io/v1beta4',
    kind: 'InitConfiguration',
    localAPIEndpoint: { ...(spec.advertiseAddress ? { advertiseAddress: spec.advertiseAddress } : {}), bindPort: spec.bindPort },
    nodeRegistration: { criSocket: criSockets[spec.containerRuntime] },
  };
  const cluster = {
    apiVersion: 'kubeadm.k8s.io/v1beta4',
    kind: 'ClusterConfiguration',
    clusterName: spec.clusterName,
    kubernetesVersion: spec.kubernetesVersion,
    controlPlaneEndpoint: spec.controlPlaneEndpoint,
    networking: { podSubnet: spec.podSubnet, serviceSubnet: spec.serviceSubnet, dnsDomain: spec.dnsDomain },
    ...(spec.extraSans.length ? { apiServer: { certSANs: [...spec.extraSans] } } : {}),
  };
  const kubelet = { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', cgroupDriver: 'systemd' };
  const dnsService = (() => {
    const parsed = parseCidr(spec.serviceSubnet);
    return parsed.ok ? addressAt(parsed.cidr, 10) : undefined;
  })();
  const header = [
    `# kubeadm configuration for cluster "${spec.clusterName}", written by ClusterDeck.`,
    `# Use it on the first control-plane node: sudo kubeadm init --config ${kubeadmConfigFile}${spec.uploadCerts ? ' --upload-certs' : ''}`,
    `# The pod network matches the CNI (${spec.cni}); the DNS service will be ${dnsService ?? '(service CIDR .10)'}.`,
    '# The lines below are read back by ClusterDeck ("Create from file"); kubeadm ignores comments.',
    `${metaPrefix}cni: ${spec.cni}`,
    `${metaPrefix}workers: ${spec.workers}`,
    `${metaPrefix}uploadCerts: ${spec.uploadCerts}`,
    `${metaPrefix}nodeNetworks: ${spec.nodeNetworks.join(',')}`,
  ].join('\n');
  const docs = [init, cluster, kubelet].map((d) => stringify(d, { lineWidth: 0 }));
  return `${header}\n${docs.join('---\n')}`;
}

/** Reads a kubeadm-config.yaml (ours or hand-written) back into a spec; throws `invalid` with a line when it cannot. */
export function parseKubeadmConfig(text: string): KubeadmSpec {
  const docs = parseAllDocuments(text, { uniqueKeys: true });
  if (!Array.isArray(docs)) throw new ClusterDeckError('invalid', 'The kubeadm configuration is empty or not YAML.');
  let init: Record<string, unknown> | undefined;
  let cluster: Record<string, unknown> | undefined;
  for (const doc of docs) {
    if (doc.errors.length) {
      const first = doc.errors[0]!;
      throw new ClusterDeckError('invalid', `${kubeadmConfigFile} is not valid YAML: ${first.message.split('\n')[0]}`, {
        file: kubeadmConfigFile,
        ...(first.linePos?.[0] ? { line: first.linePos[0].line } : {}),
      });
    }
    if (!isMap(doc.contents)) continue;
    const value = doc.toJSON() as Record<string, unknown>;
    const apiVersion = str(value.apiVersion);
    if (value.kind === 'InitConfiguration' || value.kind === 'ClusterConfiguration') {
      if (apiVersion !== 'kubeadm.k8s.io/v1beta4')
        throw new ClusterDeckError(
          'invalid',
          `${String(value.kind)} uses ${apiVersion || 'no apiVersion'}; migrate it to kubeadm.k8s.io/v1beta4 with "kubeadm config migrate".`,
        );
      if (value.kind === 'InitConfiguration') init = value;
      else cluster = value;
    }
  }
  if (!cluster) throw new ClusterDeckError('invalid', `${kubeadmConfigFile} has no ClusterConfiguration document; add one.`);
  return specFromDocuments(cluster, init, readMeta(text));
}

/**
 * The spec from a parsed ClusterConfiguration (and InitConfiguration, when there is one) plus the
 * `# clusterdeck.kubeadm/…` values; without them the CNI is guessed from the pod network.
 */
export function specFromDocuments(
  cluster: Record<string, unknown>,
  init: Record<string, unknown> | undefined,
  meta: Readonly<Record<string, string>> = {},
): KubeadmSpec {
  const networking = (cluster.networking ?? {}) as Record<string, unknown>;
  const local = (init?.localAPIEndpoint ?? {}) as Record<string, unknown>;
  const registration = (init?.nodeRegistration ?? {}) as Record<string, unknown>;
  const apiServer = (cluster.apiServer ?? {}) as Record<string, unknown>;
  const podSubnet = str(networking.podSubnet);
  const cni = (meta.cni as Cni | undefined) ?? guessCni(podSubnet);
  const socket = str(registration.criSocket);
  const runtime = (Object.entries(criSockets).find(([, s]) => s === socket)?.[0] ?? 'containerd') as ContainerRuntime;
  const sans = apiServer.certSANs;
  return defaultKubeadmSpec({
    clusterName: str(cluster.clusterName) || 'kubernetes',
    controlPlaneEndpoint: str(cluster.controlPlaneEndpoint),
    ...(cluster.kubernetesVersion !== undefined ? { kubernetesVersion: str(cluster.kubernetesVersion) } : {}),
    cni,
    podSubnet: podSubnet || defaultPodSubnets[cni],
    ...(networking.serviceSubnet !== undefined ? { serviceSubnet: str(networking.serviceSubnet) } : {}),
    ...(networking.dnsDomain !== undefined ? { dnsDomain: str(networking.dnsDomain) } : {}),
    containerRuntime: runtime,
    nodeNetworks: meta.nodeNetworks ? meta.nodeNetworks.split(',').filter(Boolean) : [],
    workers: meta.workers !== undefined ? Number(meta.workers) : 0,
    advertiseAddress: str(local.advertiseAddress),
    bindPort: local.bindPort !== undefined ? Number(local.bindPort) : 6443,
    extraSans: Array.isArray(sans) ? sans.map(String) : [],
    uploadCerts: meta.uploadCerts === 'true',
  });
}

function str(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

function readMeta(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith(metaPrefix)) continue;
    const rest = line.slice(metaPrefix.length);
    const colon = rest.indexOf(':');
    if (colon > 0) out[rest.slice(0, colon).trim()] = rest.slice(colon + 1).trim();
  }
  return out;
}

/** A hand-written file without our comments: the CNI whose default pod network it uses, else flannel. */
function guessCni(podSubnet: string): Cni {
  const found = (Object.entries(defaultPodSubnets) as [Cni, string][]).find(([, cidr]) => cidr === podSubnet);
  return found?.[0] ?? 'flannel';
}

// ---- scripts --------------------------------------------------------------------------------------------------

/**
 * Shared prelude: strict mode, the step marker the SSH runner follows (`==> step`), the failure line naming the
 * step, and `CLUSTERDECK_ROOT` (empty on real nodes) so a test host can keep every file the script writes in a
 * temporary directory.
 */
function prelude(spec: KubeadmSpec, what: string): string {
  return `#!/usr/bin/env bash
# ${what} for kubeadm cluster "${spec.clusterName}", written by ClusterDeck.
# Run as root (sudo). Stops at the first failing step and names it.
set -euo pipefail

ROOT="\${CLUSTERDECK_ROOT:-}"
CRI_SOCKET=${quoteShellArg(criSockets[spec.containerRuntime])}
RUNTIME_SERVICE=${quoteShellArg(spec.containerRuntime === 'containerd' ? 'containerd' : 'crio')}
KUBERNETES_VERSION=${quoteShellArg(spec.kubernetesVersion)}
CURRENT_STEP="start"

step() {
  CURRENT_STEP="$1"
  printf '==> %s\\n' "$1"
}

fail() {
  printf 'clusterdeck: %s\\n' "$1" >&2
  exit 1
}

trap 'printf "clusterdeck: step failed: %s\\n" "\${CURRENT_STEP}" >&2' ERR
`;
}

/** Preflight per §5.4, shared by both scripts; `ports` are the node role's ports that must be free. */
function preflight(ports: readonly number[]): string {
  return `
step "Check that the script runs as root"
if [ "$(id -u)" -ne 0 ]; then
  fail "run this script as root (sudo)"
fi

step "Check that kubeadm, kubelet and kubectl are installed"
for tool in kubeadm kubelet kubectl; do
  command -v "\${tool}" >/dev/null || fail "\${tool} is not installed; install kubeadm, kubelet and kubectl \${KUBERNETES_VERSION%.*}"
done
installed_version="$(kubeadm version -o short 2>/dev/null || true)"
if [ -n "\${installed_version}" ] && [ "\${installed_version}" != "\${KUBERNETES_VERSION}" ]; then
  printf 'warning: kubeadm is %s, the configuration pins %s\\n' "\${installed_version}" "\${KUBERNETES_VERSION}"
fi

step "Turn swap off"
swapoff -a
if [ -r "\${ROOT}/proc/swaps" ] && [ "$(wc -l < "\${ROOT}/proc/swaps")" -gt 1 ]; then
  fail "swap is still on; turn it off (and comment it out in /etc/fstab)"
fi

step "Load the overlay and br_netfilter kernel modules"
mkdir -p "\${ROOT}/etc/modules-load.d"
printf 'overlay\\nbr_netfilter\\n' > "\${ROOT}/etc/modules-load.d/k8s.conf"
modprobe overlay
modprobe br_netfilter

step "Set the kernel parameters for Kubernetes networking"
mkdir -p "\${ROOT}/etc/sysctl.d"
cat > "\${ROOT}/etc/sysctl.d/k8s.conf" <<'SYSCTL'
net.bridge.bridge-nf-call-iptables = 1
net.bridge.bridge-nf-call-ip6tables = 1
net.ipv4.ip_forward = 1
SYSCTL
sysctl --system

step "Check the container runtime"
systemctl is-active --quiet "\${RUNTIME_SERVICE}" || fail "\${RUNTIME_SERVICE} is not running (socket \${CRI_SOCKET}); install it with SystemdCgroup = true and start it"

step "Check that the Kubernetes ports are free"
for port in ${ports.join(' ')}; do
  if (exec 3<>"/dev/tcp/127.0.0.1/\${port}") 2>/dev/null; then
    fail "port \${port} is already in use (a previous cluster? run kubeadm reset first)"
  fi
done

step "Enable the kubelet"
systemctl enable --now kubelet
`;
}

/** bootstrap-control-plane.sh: preflight, `kubeadm init --config`, admin.conf, the CNI, the taint on one-node clusters. */
export function buildBootstrapScript(spec: KubeadmSpec): string {
  const release = cniReleases[spec.cni];
  return `${prelude(spec, 'Bootstraps the first control-plane node')}
HERE="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"
CONFIG="\${HERE}/${kubeadmConfigFile}"
POD_SUBNET=${quoteShellArg(spec.podSubnet)}
ADMIN_CONF="\${ROOT}/etc/kubernetes/admin.conf"
${preflight([6443, 2379, 2380, 10250, 10257, 10259])}
step "Check that no earlier control plane is left"
if [ -d "\${ROOT}/etc/kubernetes/manifests" ] && [ -n "$(ls -A "\${ROOT}/etc/kubernetes/manifests")" ]; then
  fail "/etc/kubernetes/manifests is not empty; run kubeadm reset first"
fi

step "Run kubeadm init"
kubeadm init --config "\${CONFIG}"${spec.uploadCerts ? ' --upload-certs' : ''}

step "Copy admin.conf for kubectl"
mkdir -p "\${ROOT}\${HOME}/.kube"
if [ -f "\${ROOT}\${HOME}/.kube/config" ]; then
  cp -p "\${ROOT}\${HOME}/.kube/config" "\${ROOT}\${HOME}/.kube/config.before-kubeadm"
fi
install -m 600 "\${ADMIN_CONF}" "\${ROOT}\${HOME}/.kube/config"
export KUBECONFIG="\${ADMIN_CONF}"
${cniInstall(spec, release)}${
    spec.workers === 0
      ? `
step "Allow workloads on the control plane (no workers)"
kubectl taint nodes --all node-role.kubernetes.io/control-plane- || true
`
      : ''
  }
step "Done"
printf 'Control plane is up. Join %s worker(s) with join-worker.sh and the join command from "ClusterDeck: Print kubeadm Join Command".\\n' ${quoteShellArg(String(spec.workers))}
`;
}

/** The merge patch that sets flannel's net-conf.json to the pod network (as kube-flannel.yml writes it). */
function flannelPatch(podSubnet: string): string {
  const netConf = JSON.stringify({ Network: podSubnet, EnableNFTables: false, Backend: { Type: 'vxlan' } });
  return JSON.stringify({ data: { 'net-conf.json': netConf } });
}

function cniInstall(spec: KubeadmSpec, release: { version: string; manifestUrl: string }): string {
  switch (spec.cni) {
    case 'flannel':
      // Flannel reads its network from net-conf.json; it must equal the pod network kubeadm hands to nodes.
      return `
step "Install Flannel ${release.version} with pod network \${POD_SUBNET}"
kubectl apply -f ${quoteShellArg(release.manifestUrl)}
kubectl -n kube-flannel patch configmap kube-flannel-cfg --type merge -p ${quoteShellArg(flannelPatch(spec.podSubnet))}
kubectl -n kube-flannel rollout restart daemonset kube-flannel-ds
`;
    case 'calico':
      return `
step "Install Calico ${release.version} (operator) with pod network \${POD_SUBNET}"
kubectl create -f ${quoteShellArg(release.manifestUrl)}
kubectl apply -f - <<CALICO
apiVersion: operator.tigera.io/v1
kind: Installation
metadata:
  name: default
spec:
  calicoNetwork:
    ipPools:
      - name: default-ipv4-ippool
        blockSize: 26
        cidr: \${POD_SUBNET}
        encapsulation: VXLANCrossSubnet
        natOutgoing: Enabled
        nodeSelector: all()
---
apiVersion: operator.tigera.io/v1
kind: APIServer
metadata:
  name: default
spec: {}
CALICO
`;
    case 'cilium':
      // Cluster-pool IPAM ignores kubeadm's podSubnet: the pool is set explicitly to the same range (§5.2).
      return `
step "Install Cilium ${release.version} with cluster pool \${POD_SUBNET}"
command -v cilium >/dev/null || fail "the cilium CLI is not installed; see ${cniNoteFile}"
cilium install --version ${quoteShellArg(release.version)} \\
  --set ipam.mode=cluster-pool \\
  --set "ipam.operator.clusterPoolIPv4PodCIDRList={\${POD_SUBNET}}" \\
  --set ipam.operator.clusterPoolIPv4MaskSize=24
`;
  }
}

/**
 * join-worker.sh: preflight, then the join command, given as arguments or one line on stdin (what ClusterDeck's
 * runner sends, so the token is never in a process list, a file or a log). The token is never written anywhere.
 */
export function buildJoinScript(spec: KubeadmSpec): string {
  return `${prelude(spec, 'Joins a worker node')}
# Usage: join-worker.sh kubeadm join <endpoint> --token <t> --discovery-token-ca-cert-hash sha256:<h>
#    or: echo "<join command>" | join-worker.sh
# The join command comes from "kubeadm token create --print-join-command" on the control plane. It holds a
# secret token: this script never prints or stores it.
JOIN=()
if [ "$#" -gt 0 ]; then
  JOIN=("$@")
else
  IFS=' ' read -r -a JOIN || true
fi
if [ "\${#JOIN[@]}" -lt 3 ] || [ "\${JOIN[0]}" != "kubeadm" ] || [ "\${JOIN[1]}" != "join" ]; then
  fail "expected the join command (kubeadm join <endpoint> --token … --discovery-token-ca-cert-hash …) as arguments or on stdin"
fi
case " \${JOIN[*]} " in
  *" --cri-socket"*) ;;
  *) JOIN+=("--cri-socket" "\${CRI_SOCKET}") ;;
esac
${preflight([10250, 10256])}
step "Check that this node has not joined before"
if [ -f "\${ROOT}/etc/kubernetes/kubelet.conf" ]; then
  fail "/etc/kubernetes/kubelet.conf exists; run kubeadm reset first"
fi

step "Run kubeadm join"
"\${JOIN[@]}"

step "Done"
printf 'This node has joined cluster %s.\\n' ${quoteShellArg(spec.clusterName)}
`;
}

/** CNI.md: the choice, its release, the pod network and the pitfalls of §5.2. */
export function buildCniNote(spec: KubeadmSpec): string {
  const r = cniReleases[spec.cni];
  const lines: string[] = [
    `# CNI for cluster "${spec.clusterName}": ${spec.cni} ${r.version}`,
    '',
    `- Pod network: \`${spec.podSubnet}\` (kubeadm \`networking.podSubnet\`; each node gets a /24 of it).`,
    `- Service network: \`${spec.serviceSubnet}\`; node networks checked against: ${spec.nodeNetworks.length ? spec.nodeNetworks.map((n) => `\`${n}\``).join(', ') : 'none given'}.`,
    `- Installed by \`${bootstrapScriptFile}\` after \`kubeadm init\`. Documentation: ${r.docsUrl}`,
    '',
  ];
  switch (spec.cni) {
    case 'flannel':
      lines.push(
        `Manifest: ${r.manifestUrl}. Flannel uses each node's \`spec.podCIDR\`, so \`--pod-network-cidr\` is required; the`,
        `script sets \`net-conf.json\` \`Network\` to the same range. Change both together, or nodes get no subnet.`,
      );
      break;
    case 'calico':
      lines.push(
        `Manifest: ${r.manifestUrl} (the Tigera operator), then an \`Installation\` whose IP pool is the pod network.`,
        "Calico's default 192.168.0.0/16 overlaps many home and office LANs: if the nodes are on 192.168.x.x, pick another range.",
      );
      break;
    case 'cilium':
      lines.push(
        'Installed with the cilium CLI (`cilium install`); get it from',
        'https://github.com/cilium/cilium-cli/releases (`cilium-linux-amd64.tar.gz`, into /usr/local/bin) before running the script.',
        `Cilium's cluster-pool IPAM ignores \`--pod-network-cidr\`; its default pool ${'10.0.0.0/8'} contains kubeadm's service`,
        'CIDR 10.96.0.0/12 (cilium/cilium#31504), so the script sets `ipam.operator.clusterPoolIPv4PodCIDRList` to the pod network.',
      );
      break;
  }
  lines.push('');
  return lines.join('\n');
}
