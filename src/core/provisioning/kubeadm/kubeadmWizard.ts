// The kubeadm wizard as data (STYLE §2.4) for the shared engine (core/wizard/wizard.ts): one step object per
// question, validated as you type against the whole spec so far (a service CIDR is checked against the pod network
// chosen before it). Pure; the host renders it with the one wizard renderer.
import type { InputStep, PickStep, WizardChoice } from '../../wizard/wizard';
import {
  checkClusterName,
  checkEndpoint,
  checkVersion,
  cnis,
  containerRuntimes,
  criSockets,
  defaultKubeadmSpec,
  defaultPodSubnets,
  normalizeVersion,
  splitList,
  validateKubeadmSpec,
  type Cni,
  type ContainerRuntime,
  type KubeadmSpec,
} from './kubeadmSpec';

/** What the wizard has collected: answers so far, and whether the pod network was typed (else it follows the CNI). */
export interface KubeadmWizardState {
  readonly answers: Partial<KubeadmSpec>;
  readonly podSubnetTyped?: boolean;
}

/** The spec the state stands for (defaults filled). */
export function specFromState(state: KubeadmWizardState): KubeadmSpec {
  const a = state.answers;
  const cni = a.cni ?? 'flannel';
  return defaultKubeadmSpec({
    clusterName: a.clusterName ?? '',
    controlPlaneEndpoint: a.controlPlaneEndpoint ?? '',
    ...a,
    cni,
    podSubnet: state.podSubnetTyped && a.podSubnet ? a.podSubnet : defaultPodSubnets[cni],
  });
}

const set =
  <K extends keyof KubeadmSpec>(key: K, convert: (v: string) => KubeadmSpec[K]) =>
  (state: KubeadmWizardState, value: string): KubeadmWizardState => ({
    ...state,
    answers: { ...state.answers, [key]: convert(value.trim()) },
  });

/** A validator that applies the value and reports the whole spec's first error on the given fields. */
const networkCheck =
  (fields: readonly (keyof KubeadmSpec)[], apply: InputStep<KubeadmWizardState>['apply']) =>
  (value: string, state: KubeadmWizardState): string | undefined => {
    const spec = specFromState(apply(state, value));
    const issues = validateKubeadmSpec(spec).filter((i) => i.severity === 'error' && fields.includes(i.field));
    return issues[0]?.message;
  };

const applyPod: InputStep<KubeadmWizardState>['apply'] = (state, value) => ({
  ...state,
  podSubnetTyped: value.trim() !== '' && value.trim() !== defaultPodSubnets[state.answers.cni ?? 'flannel'],
  answers: { ...state.answers, podSubnet: value.trim() },
});
const applyService = set('serviceSubnet', (v) => v);
const applyNodes = set('nodeNetworks', splitList);
const applySans = set('extraSans', splitList);

const cniDescriptions: Readonly<Record<Cni, string>> = {
  flannel: 'simple overlay; pod network 10.244.0.0/16',
  calico: 'network policy; pod network 192.168.0.0/16 (check your LAN)',
  cilium: 'eBPF; cluster pool set explicitly (10.0.0.0/16)',
};

/** The steps, in order. */
export const kubeadmWizardSteps: readonly (InputStep<KubeadmWizardState> | PickStep<KubeadmWizardState>)[] = [
  {
    id: 'clusterName',
    title: 'Cluster name',
    prompt: 'A name for the cluster (folder kubeadm/<name>/ and the kubeconfig entries)',
    kind: 'input',
    value: (s) => s.answers.clusterName ?? 'kubernetes',
    validate: (v) => checkClusterName(v.trim()),
    apply: set('clusterName', (v) => v),
    isAnswered: (s) => s.answers.clusterName !== undefined,
  },
  {
    id: 'controlPlaneEndpoint',
    title: 'Control-plane endpoint',
    prompt: 'host:port every node uses to reach the API server (a DNS name or load-balancer VIP for HA)',
    kind: 'input',
    value: (s) => s.answers.controlPlaneEndpoint ?? '',
    validate: (v) => checkEndpoint(v.trim()),
    apply: set('controlPlaneEndpoint', (v) => v),
    isAnswered: (s) => s.answers.controlPlaneEndpoint !== undefined,
  },
  {
    id: 'kubernetesVersion',
    title: 'Kubernetes version',
    prompt: 'The release to pin (the same as the kubeadm binary on the nodes)',
    kind: 'input',
    value: (s) => s.answers.kubernetesVersion ?? specFromState(s).kubernetesVersion,
    validate: (v) => checkVersion(v),
    apply: set('kubernetesVersion', normalizeVersion),
    isAnswered: (s) => s.answers.kubernetesVersion !== undefined,
  },
  {
    id: 'cni',
    title: 'Pod network (CNI)',
    placeholder: 'The CNI to install after kubeadm init',
    kind: 'pick',
    choices: () => cnis.map((c) => ({ label: c, value: c, description: cniDescriptions[c], isDefault: c === 'flannel' })),
    apply: set('cni', (v) => v as Cni),
    isAnswered: (s) => s.answers.cni !== undefined,
  },
  {
    id: 'podSubnet',
    title: 'Pod network CIDR',
    prompt: 'networking.podSubnet (defaults to what the chosen CNI expects)',
    kind: 'input',
    value: (s) => specFromState(s).podSubnet,
    validate: networkCheck(['podSubnet'], applyPod),
    apply: applyPod,
    isAnswered: (s) => s.answers.podSubnet !== undefined,
  },
  {
    id: 'serviceSubnet',
    title: 'Service CIDR',
    prompt: 'networking.serviceSubnet (the DNS service gets its .10 address)',
    kind: 'input',
    value: (s) => specFromState(s).serviceSubnet,
    validate: networkCheck(['serviceSubnet', 'podSubnet'], applyService),
    apply: applyService,
    isAnswered: (s) => s.answers.serviceSubnet !== undefined,
  },
  {
    id: 'nodeNetworks',
    title: 'Node networks (optional)',
    prompt: 'The networks the nodes are on, comma-separated, so overlaps can be checked (empty = skip)',
    kind: 'input',
    placeholder: 'e.g. 192.168.1.0/24, 10.10.0.0/16 (empty = skip)',
    value: (s) => (s.answers.nodeNetworks ?? []).join(', '),
    validate: networkCheck(['nodeNetworks', 'podSubnet', 'serviceSubnet'], applyNodes),
    apply: applyNodes,
    isAnswered: (s) => s.answers.nodeNetworks !== undefined,
  },
  {
    id: 'dnsDomain',
    title: 'Service DNS domain',
    prompt: 'networking.dnsDomain',
    kind: 'input',
    value: (s) => specFromState(s).dnsDomain,
    validate: networkCheck(
      ['dnsDomain'],
      set('dnsDomain', (v) => v),
    ),
    apply: set('dnsDomain', (v) => v),
    isAnswered: (s) => s.answers.dnsDomain !== undefined,
  },
  {
    id: 'containerRuntime',
    title: 'Container runtime',
    placeholder: 'The CRI the nodes run (with the systemd cgroup driver)',
    kind: 'pick',
    choices: () => containerRuntimes.map((r) => ({ label: r, value: r, description: criSockets[r], isDefault: r === 'containerd' })),
    apply: set('containerRuntime', (v) => v as ContainerRuntime),
    isAnswered: (s) => s.answers.containerRuntime !== undefined,
  },
  {
    id: 'advertiseAddress',
    title: 'Advertise address (optional)',
    prompt: "The control-plane node's IP the API server advertises (empty = its default-route address)",
    kind: 'input',
    placeholder: 'empty = default-route address',
    value: (s) => s.answers.advertiseAddress ?? '',
    validate: networkCheck(
      ['advertiseAddress'],
      set('advertiseAddress', (v) => v),
    ),
    apply: set('advertiseAddress', (v) => v),
    isAnswered: (s) => s.answers.advertiseAddress !== undefined,
  },
  {
    id: 'extraSans',
    title: 'Extra certificate SANs (optional)',
    prompt: 'Load-balancer names and addresses to add to the API server certificate, comma-separated',
    kind: 'input',
    placeholder: 'e.g. k8s.example.com, 203.0.113.10',
    value: (s) => (s.answers.extraSans ?? []).join(', '),
    validate: networkCheck(['extraSans'], applySans),
    apply: applySans,
    isAnswered: (s) => s.answers.extraSans !== undefined,
  },
  {
    id: 'uploadCerts',
    title: 'Upload certificates',
    placeholder: 'kubeadm init --upload-certs: needed to join more control-plane nodes without copying the PKI',
    kind: 'pick',
    choices: () => [
      { label: 'No', value: 'false', description: 'a single control-plane node', isDefault: true },
      { label: 'Yes', value: 'true', description: 'more control-plane nodes will join (key valid 2 h)' },
    ],
    apply: set('uploadCerts', (v) => v === 'true'),
    isAnswered: (s) => s.answers.uploadCerts !== undefined,
  },
  {
    id: 'workers',
    title: 'Workers',
    prompt: 'How many worker nodes will join (0 = workloads run on the control plane)',
    kind: 'input',
    value: (s) => String(s.answers.workers ?? 0),
    validate: (v) => (/^\d{1,4}$/.test(v.trim()) ? undefined : 'Enter a whole number, 0 or more.'),
    apply: set('workers', (v) => Number(v)),
    isAnswered: (s) => s.answers.workers !== undefined,
  },
];

/**
 * Walks the steps with given raw answers (by step id; a missing one takes the step's default), as a renderer
 * would: each value validated in order. Returns the spec, or the first step whose answer is refused. For the CLI
 * and tests.
 */
export function answerKubeadmWizard(
  answers: Readonly<Record<string, string>>,
  initial: KubeadmWizardState = { answers: {} },
): { ok: true; spec: KubeadmSpec; state: KubeadmWizardState } | { ok: false; stepId: string; message: string } {
  let state = initial;
  for (const step of kubeadmWizardSteps) {
    if (step.kind === 'input') {
      const value = answers[step.id] ?? step.value?.(state) ?? '';
      const message = step.validate(value, state);
      if (message) return { ok: false, stepId: step.id, message };
      state = step.apply(state, value);
    } else if (step.kind === 'pick') {
      const choices = step.choices(state, new AbortController().signal) as readonly WizardChoice[];
      const value = answers[step.id] ?? choices.find((c) => c.isDefault)?.value ?? '';
      if (!choices.some((c) => c.value === value))
        return { ok: false, stepId: step.id, message: `Choose one of ${choices.map((c) => c.value).join(', ')}.` };
      state = step.apply(state, value);
    }
  }
  return { ok: true, spec: specFromState(state), state };
}

/** A state standing for an existing spec (a parsed file, a re-run): every step counts as answered. */
export function stateFromSpec(spec: KubeadmSpec): KubeadmWizardState {
  return { answers: { ...spec }, podSubnetTyped: spec.podSubnet !== defaultPodSubnets[spec.cni] };
}
