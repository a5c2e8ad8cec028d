// kubeadm core: CIDR util (property-tested against a bit-level oracle), spec validation, the generated files,
// the round trip spec → files → parsed spec, the wizard steps, and the shell quoting every remote argv goes through.
import { describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { cidrContains, cidrsOverlap, formatAddress, parseCidr, parseIpv6, type Cidr } from '../../src/core/provisioning/cidr';
import { defaultKubeadmSpec, validateKubeadmSpec, type Cni, type KubeadmSpec } from '../../src/core/provisioning/kubeadm/kubeadmSpec';
import {
  buildKubeadmConfig,
  cniReleases,
  equivalentInitCommand,
  generateKubeadmFiles,
  parseKubeadmConfig,
} from '../../src/core/provisioning/kubeadm/kubeadmFiles';
import {
  answerKubeadmWizard,
  kubeadmWizardSteps,
  specFromState,
  stateFromSpec,
  type KubeadmWizardState,
} from '../../src/core/provisioning/kubeadm/kubeadmWizard';
import { runWizard, scriptedRenderer, type InputStep, type PickStep, type WizardChoice } from '../../src/core/wizard/wizard';

function inputStep(id: string): InputStep<KubeadmWizardState> {
  const s = kubeadmWizardSteps.find((x) => x.id === id);
  assert.ok(s && s.kind === 'input', id);
  return s;
}
function pickStep(id: string): PickStep<KubeadmWizardState> {
  const s = kubeadmWizardSteps.find((x) => x.id === id);
  assert.ok(s && s.kind === 'pick', id);
  return s;
}
const signal = new AbortController().signal;
import { quoteShellArg, quoteShellCommand } from '../../src/core/provisioning/kubeadm/shellQuote';
import { ClusterDeckError } from '../../src/core/errors';
import { fuzzRuns } from '../support/fuzz';

function cidr(text: string): Cidr {
  const p = parseCidr(text);
  if (!p.ok) throw new Error(p.message);
  return p.cidr;
}

const base = (over: Partial<KubeadmSpec> = {}): KubeadmSpec =>
  defaultKubeadmSpec({ clusterName: 'demo', controlPlaneEndpoint: 'cp.example.com:6443', ...over });

const errorsOf = (spec: KubeadmSpec) => validateKubeadmSpec(spec).filter((i) => i.severity === 'error');

describe('CIDR util', () => {
  test('parses, normalises and refuses with a reason', () => {
    assert.equal(cidr('10.244.0.0/16').text, '10.244.0.0/16');
    assert.equal(cidr('fd00:0:0::/48').text, 'fd00::/48');
    assert.equal(cidr('0.0.0.0/0').last, 0xffffffffn);
    for (const bad of ['10.244.0.0', '10.244.0.1/16', '300.1.1.1/8', '10.1.1/24', '10.0.0.0/33', '01.0.0.0/8', 'fd00::1::/64', 'x/8']) {
      const p = parseCidr(bad);
      assert.equal(p.ok, false, bad);
    }
    const hostBits = parseCidr('10.244.1.0/16');
    assert.ok(!hostBits.ok && hostBits.message.includes('10.244.0.0/16'), 'suggests the network address');
  });

  // The oracle works on 32-bit masks with plain numbers, independently of the bigint ranges.
  const v4 = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 })).map(([addr, prefix]) => {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    const net = (addr & mask) >>> 0;
    return { net, mask, prefix, text: `${formatAddress(4, BigInt(net))}/${prefix}` };
  });
  const inBlock = (a: number, b: { net: number; mask: number }) => (a & b.mask) >>> 0 === b.net;

  test('overlap ⇔ the wider block contains the narrower one’s network address (property)', () => {
    fc.assert(
      fc.property(v4, v4, (a, b) => {
        const wide = a.prefix <= b.prefix ? a : b;
        const narrow = wide === a ? b : a;
        const expected = inBlock(narrow.net, wide);
        assert.equal(cidrsOverlap(cidr(a.text), cidr(b.text)), expected);
        assert.equal(cidrsOverlap(cidr(b.text), cidr(a.text)), expected, 'symmetric');
        assert.equal(cidrContains(cidr(wide.text), cidr(narrow.text)), expected);
      }),
      { numRuns: fuzzRuns },
    );
  });

  test('an address in both blocks implies overlap; disjoint blocks share no address (property)', () => {
    fc.assert(
      fc.property(v4, v4, fc.integer({ min: 0, max: 0xffffffff }), (a, b, addr) => {
        if (inBlock(addr, a) && inBlock(addr, b)) assert.ok(cidrsOverlap(cidr(a.text), cidr(b.text)));
        if (!cidrsOverlap(cidr(a.text), cidr(b.text))) assert.ok(!(inBlock(addr, a) && inBlock(addr, b)));
      }),
      { numRuns: fuzzRuns },
    );
  });

  test('IPv6 format/parse round trip and families never overlap (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (value) => {
        assert.equal(parseIpv6(formatAddress(6, value)), value);
      }),
      { numRuns: fuzzRuns },
    );
    assert.equal(cidrsOverlap(cidr('0.0.0.0/0'), cidr('::/0')), false);
  });
});

describe('KubeadmSpec validation', () => {
  test('defaults are valid for every CNI, and the pod CIDR follows the CNI (§5.2)', () => {
    for (const cni of ['flannel', 'calico', 'cilium'] as Cni[]) {
      const spec = base({ cni });
      assert.deepEqual(errorsOf(spec), [], cni);
    }
    assert.equal(base({ cni: 'flannel' }).podSubnet, '10.244.0.0/16');
    assert.equal(base({ cni: 'calico' }).podSubnet, '192.168.0.0/16');
    assert.equal(base().serviceSubnet, '10.96.0.0/12');
  });

  test('syntax errors: endpoint, version, CIDRs, workers, addresses, names', () => {
    const cases: [Partial<KubeadmSpec>, keyof KubeadmSpec][] = [
      [{ controlPlaneEndpoint: 'cp.example.com' }, 'controlPlaneEndpoint'],
      [{ controlPlaneEndpoint: 'cp.example.com:70000' }, 'controlPlaneEndpoint'],
      [{ controlPlaneEndpoint: '10.0.0.300:6443' }, 'controlPlaneEndpoint'],
      [{ controlPlaneEndpoint: 'bad_host:6443' }, 'controlPlaneEndpoint'],
      [{ kubernetesVersion: 'stable-1' }, 'kubernetesVersion'],
      [{ kubernetesVersion: 'v1.29.3' }, 'kubernetesVersion'],
      [{ podSubnet: '10.244.0.0' }, 'podSubnet'],
      [{ serviceSubnet: '10.96.0.1/12' }, 'serviceSubnet'],
      [{ nodeNetworks: ['nope'] }, 'nodeNetworks'],
      [{ workers: -1 }, 'workers'],
      [{ workers: 1.5 }, 'workers'],
      [{ advertiseAddress: 'cp.example.com' }, 'advertiseAddress'],
      [{ extraSans: ['bad name'] }, 'extraSans'],
      [{ clusterName: 'Demo_1' }, 'clusterName'],
      [{ dnsDomain: 'cluster..local' }, 'dnsDomain'],
    ];
    for (const [over, field] of cases) {
      const errs = errorsOf(base(over));
      assert.ok(
        errs.some((e) => e.field === field),
        `${JSON.stringify(over)} → ${JSON.stringify(errs)}`,
      );
    }
    assert.deepEqual(errorsOf(base({ controlPlaneEndpoint: '[fd00::1]:6443', advertiseAddress: '10.1.2.3' })), []);
  });

  test('pod, service and node networks must be pairwise disjoint', () => {
    assert.match(errorsOf(base({ podSubnet: '10.96.0.0/16' }))[0]!.message, /overlaps the service CIDR 10.96.0.0\/12/);
    assert.match(errorsOf(base({ nodeNetworks: ['10.244.3.0/24'] }))[0]!.message, /overlaps the node network 10.244.3.0\/24/);
    assert.match(errorsOf(base({ nodeNetworks: ['10.100.0.0/16'] }))[0]!.message, /service CIDR .* overlaps the node network/);
    assert.match(
      errorsOf(base({ nodeNetworks: ['172.16.0.0/16', '172.16.5.0/24'] }))[0]!.message,
      /node networks 172.16.0.0\/16 and 172.16.5.0\/24 overlap/,
    );
    assert.deepEqual(errorsOf(base({ nodeNetworks: ['172.16.0.0/16', '172.17.0.0/16'] })), []);
  });

  test('Calico on 192.168/16: an error naming the LAN when it overlaps, a warning when no node network is given', () => {
    const overlap = errorsOf(base({ cni: 'calico', nodeNetworks: ['192.168.1.0/24'] }));
    assert.match(overlap[0]!.message, /Calico.*192\.168\.x\.x.*172\.16\.0\.0\/16/);
    const warnings = validateKubeadmSpec(base({ cni: 'calico' })).filter((i) => i.severity === 'warning');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!.message, /home and office LANs/);
    assert.deepEqual(
      validateKubeadmSpec(base({ cni: 'calico', podSubnet: '172.16.0.0/16' })).filter((i) => i.severity === 'warning'),
      [],
    );
  });

  test('Cilium: a cluster pool over the service CIDR is refused naming cilium/cilium#31504', () => {
    const errs = errorsOf(base({ cni: 'cilium', podSubnet: '10.0.0.0/8' }));
    assert.match(errs[0]!.message, /Cilium cluster pool 10.0.0.0\/8 overlaps the service CIDR 10.96.0.0\/12.*31504/);
    assert.deepEqual(errorsOf(base({ cni: 'cilium' })), []);
  });
});

describe('generated files', () => {
  test('kubeadm-config.yaml: v1beta4 Init + Cluster + KubeletConfiguration (systemd cgroup driver)', () => {
    const spec = base({
      cni: 'calico',
      advertiseAddress: '10.1.0.5',
      extraSans: ['lb.example.com', '203.0.113.9'],
      containerRuntime: 'cri-o',
    });
    const docs = parseAllDocuments(buildKubeadmConfig(spec));
    assert.ok(Array.isArray(docs));
    const values = docs.map((d) => d.toJSON() as Record<string, unknown>);
    assert.deepEqual(
      values.map((v) => `${String(v.apiVersion)} ${String(v.kind)}`),
      [
        'kubeadm.k8s.io/v1beta4 InitConfiguration',
        'kubeadm.k8s.io/v1beta4 ClusterConfiguration',
        'kubelet.config.k8s.io/v1beta1 KubeletConfiguration',
      ],
    );
    assert.deepEqual(values[0], {
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      kind: 'InitConfiguration',
      localAPIEndpoint: { advertiseAddress: '10.1.0.5', bindPort: 6443 },
      nodeRegistration: { criSocket: 'unix:///var/run/crio/crio.sock' },
    });
    const cluster = values[1] as { networking: unknown; controlPlaneEndpoint: string; apiServer: unknown; kubernetesVersion: string };
    assert.deepEqual(cluster.networking, { podSubnet: '192.168.0.0/16', serviceSubnet: '10.96.0.0/12', dnsDomain: 'cluster.local' });
    assert.equal(cluster.controlPlaneEndpoint, 'cp.example.com:6443');
    assert.equal(cluster.kubernetesVersion, 'v1.31.2');
    assert.deepEqual(cluster.apiServer, { certSANs: ['lb.example.com', '203.0.113.9'] });
    assert.equal((values[2] as { cgroupDriver: string }).cgroupDriver, 'systemd');
  });

  test('bootstrap script: strict mode, preflight, init with the config (+ --upload-certs), admin.conf, the CNI with its URL and CIDR', () => {
    for (const cni of ['flannel', 'calico', 'cilium'] as Cni[]) {
      const spec = base({ cni, uploadCerts: cni === 'calico', podSubnet: cni === 'cilium' ? '10.20.0.0/16' : base({ cni }).podSubnet });
      const script = generateKubeadmFiles(spec).find((f) => f.name === 'bootstrap-control-plane.sh')!;
      assert.ok(script.executable);
      const t = script.text;
      assert.ok(t.startsWith('#!/usr/bin/env bash\n'), cni);
      assert.match(t, /^set -euo pipefail$/m);
      for (const check of [
        'swapoff -a',
        'modprobe br_netfilter',
        'modprobe overlay',
        'net.ipv4.ip_forward = 1',
        'sysctl --system',
        '6443 2379 2380 10250 10257 10259',
      ])
        assert.ok(t.includes(check), `${cni}: ${check}`);
      assert.match(
        t,
        cni === 'calico' ? /kubeadm init --config "\$\{CONFIG\}" --upload-certs$/m : /kubeadm init --config "\$\{CONFIG\}"$/m,
      );
      assert.ok(t.includes('install -m 600 "${ADMIN_CONF}"'), 'copies admin.conf');
      if (cni !== 'cilium') assert.ok(t.includes(cniReleases[cni].manifestUrl), `${cni} manifest URL`);
      assert.ok(t.includes(`POD_SUBNET=${spec.podSubnet}`), `${cni} pod CIDR`);
      if (cni === 'flannel') assert.ok(t.includes(`\\"Network\\":\\"${spec.podSubnet}\\"`), 'net-conf.json Network');
      if (cni === 'calico') assert.ok(t.includes('cidr: ${POD_SUBNET}'));
      if (cni === 'cilium') assert.ok(t.includes('clusterPoolIPv4PodCIDRList={${POD_SUBNET}}'));
    }
    assert.ok(generateKubeadmFiles(base({ workers: 0 }))[1]!.text.includes('node-role.kubernetes.io/control-plane-'));
    assert.ok(!generateKubeadmFiles(base({ workers: 2 }))[1]!.text.includes('node-role.kubernetes.io/control-plane-'));
  });

  test('join script: the join command from arguments or stdin, never written to a file or echoed', () => {
    const t = generateKubeadmFiles(base())[2]!.text;
    assert.match(t, /JOIN=\("\$@"\)/);
    assert.match(t, /read -r -a JOIN/);
    assert.match(t, /"\$\{JOIN\[@\]\}"$/m);
    // No line both mentions JOIN and redirects or prints it.
    for (const line of t.split('\n').filter((l) => l.includes('JOIN'))) {
      assert.ok(!/>\s*\S|echo|printf|tee/.test(line), `stores or prints the join command: ${line}`);
    }
    assert.ok(!/set -x/.test(t));
  });

  test('invalid specs are refused before any file is written', () => {
    assert.throws(
      () => generateKubeadmFiles(base({ podSubnet: '10.96.0.0/16' })),
      (e) => e instanceof ClusterDeckError && e.reason === 'invalid',
    );
  });

  test('round trip: spec → files → parsed spec is equal (property over valid specs)', () => {
    const specArb = fc
      .record({
        cni: fc.constantFrom<Cni>('flannel', 'calico', 'cilium'),
        workers: fc.integer({ min: 0, max: 50 }),
        uploadCerts: fc.boolean(),
        runtime: fc.constantFrom('containerd' as const, 'cri-o' as const),
        advertise: fc.constantFrom('', '10.1.0.5', 'fd00::5'),
        sans: fc.subarray(['lb.example.com', '203.0.113.9', 'api.internal']),
        nodes: fc.subarray(['172.31.0.0/16', '172.30.0.0/24']),
        version: fc.constantFrom('v1.31.2', 'v1.32.0', 'v1.33.1'),
        pod: fc.constantFrom(undefined, '10.32.0.0/16', '172.20.0.0/16'),
        endpoint: fc.constantFrom('cp.example.com:6443', '10.0.0.10:6443', '[fd00::10]:443'),
        name: fc.constantFrom('demo', 'lab-1', 'k'),
        domain: fc.constantFrom('cluster.local', 'k8s.example'),
      })
      .map((r) =>
        base({
          clusterName: r.name,
          controlPlaneEndpoint: r.endpoint,
          cni: r.cni,
          ...(r.pod ? { podSubnet: r.pod } : {}),
          workers: r.workers,
          uploadCerts: r.uploadCerts,
          containerRuntime: r.runtime,
          advertiseAddress: r.advertise,
          extraSans: r.sans,
          nodeNetworks: r.nodes,
          kubernetesVersion: r.version,
          dnsDomain: r.domain,
        }),
      );
    fc.assert(
      fc.property(specArb, (spec) => {
        const files = generateKubeadmFiles(spec);
        assert.deepEqual(parseKubeadmConfig(files[0]!.text), spec);
      }),
      { numRuns: Math.min(fuzzRuns, 300) },
    );
  });

  test('a hand-written v1beta4 file parses with the CNI inferred; v1beta3 is refused with the migrate hint', () => {
    const text = [
      'apiVersion: kubeadm.k8s.io/v1beta4',
      'kind: ClusterConfiguration',
      'controlPlaneEndpoint: k8s.lab:6443',
      'kubernetesVersion: v1.32.1',
      'networking:',
      '  podSubnet: 192.168.0.0/16',
    ].join('\n');
    const spec = parseKubeadmConfig(text);
    assert.equal(spec.cni, 'calico');
    assert.equal(spec.serviceSubnet, '10.96.0.0/12');
    assert.equal(spec.controlPlaneEndpoint, 'k8s.lab:6443');
    assert.throws(
      () => parseKubeadmConfig(text.replace('v1beta4', 'v1beta3')),
      (e) => e instanceof ClusterDeckError && /kubeadm config migrate/.test(e.message),
    );
    assert.throws(
      () => parseKubeadmConfig('a: [1'),
      (e) => e instanceof ClusterDeckError && e.reason === 'invalid',
    );
  });

  test('the equivalent init command', () => {
    assert.equal(equivalentInitCommand(base({ uploadCerts: true })), 'sudo kubeadm init --config kubeadm-config.yaml --upload-certs');
  });
});

describe('wizard steps (data, for core/wizard)', () => {
  test('every step has an id, a title and apply; pick steps have a default choice', () => {
    const ids = kubeadmWizardSteps.map((s) => s.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const s of kubeadmWizardSteps) {
      assert.ok(s.title && typeof s.apply === 'function', s.id);
      if (s.kind === 'pick')
        assert.ok(
          (s.choices({ answers: {} }, signal) as readonly WizardChoice[]).some((c) => c.isDefault),
          s.id,
        );
    }
  });

  test('the pod CIDR default follows the CNI until the user types one', () => {
    const pod = inputStep('podSubnet');
    const cniStep = pickStep('cni');
    let state = cniStep.apply({ answers: {} }, 'calico');
    assert.equal(pod.value!(state), '192.168.0.0/16');
    state = cniStep.apply(state, 'flannel');
    assert.equal(pod.value!(state), '10.244.0.0/16');
    state = pod.apply(state, '10.50.0.0/16');
    state = cniStep.apply(state, 'cilium');
    assert.equal(specFromState(state).podSubnet, '10.50.0.0/16');
  });

  test('validation as you type sees earlier answers (service CIDR vs pod network, node networks)', () => {
    const service = inputStep('serviceSubnet');
    const nodes = inputStep('nodeNetworks');
    const state = { answers: { cni: 'flannel' as const } };
    assert.match(service.validate('10.244.0.0/20', state) ?? '', /overlaps the service CIDR/);
    assert.equal(service.validate('10.96.0.0/12', state), undefined);
    assert.match(nodes.validate('10.244.1.0/24, 172.16.0.0/16', state) ?? '', /overlaps the node network 10.244.1.0\/24/);
    assert.match(nodes.validate('bogus', state) ?? '', /not a CIDR/);
    const workers = inputStep('workers');
    assert.ok(workers.validate('-1', state));
    assert.equal(workers.validate('3', state), undefined);
  });

  test('wizard answers → spec → files → parsed spec', () => {
    const r = answerKubeadmWizard({
      clusterName: 'lab',
      controlPlaneEndpoint: 'lab-api.example:6443',
      kubernetesVersion: '1.32.4',
      cni: 'cilium',
      nodeNetworks: '172.31.0.0/16',
      workers: '2',
      uploadCerts: 'true',
    });
    assert.ok(r.ok);
    assert.equal(r.spec.kubernetesVersion, 'v1.32.4');
    assert.equal(r.spec.podSubnet, '10.0.0.0/16');
    assert.deepEqual(parseKubeadmConfig(generateKubeadmFiles(r.spec)[0]!.text), r.spec);
    assert.deepEqual(specFromState(stateFromSpec(r.spec)), r.spec);
    const bad = answerKubeadmWizard({ clusterName: 'lab', controlPlaneEndpoint: 'nope' });
    assert.deepEqual(bad.ok ? undefined : bad.stepId, 'controlPlaneEndpoint');
  });

  test('through the shared engine: Back from the pod network to the CNI re-defaults the pod CIDR; n of m counts all steps', async () => {
    const render = scriptedRenderer<KubeadmWizardState>({
      clusterName: ['lab'],
      controlPlaneEndpoint: ['10.0.0.10:6443'],
      cni: ['calico', 'flannel'],
      podSubnet: ['<back>', '10.244.0.0/16'],
    });
    const state = await runWizard(kubeadmWizardSteps, { answers: {} }, render, signal);
    assert.ok(state);
    const spec = specFromState(state);
    assert.equal(spec.cni, 'flannel');
    assert.equal(spec.podSubnet, '10.244.0.0/16');
    assert.deepEqual(render.asked.slice(0, 6), [
      'clusterName 1/13',
      'controlPlaneEndpoint 2/13',
      'kubernetesVersion 3/13',
      'cni 4/13',
      'podSubnet 5/13',
      'cni 4/13',
    ]);
    // A pre-filled state (e.g. from a parsed file) skips every answered step.
    const again = scriptedRenderer<KubeadmWizardState>({});
    assert.deepEqual(specFromState((await runWizard(kubeadmWizardSteps, stateFromSpec(spec), again, signal))!), spec);
    assert.deepEqual(again.asked, []);
  });
});

describe('shell quoting', () => {
  test('simple words stay, everything else is single-quoted', () => {
    assert.equal(quoteShellArg('kubeadm'), 'kubeadm');
    assert.equal(quoteShellArg('--config=/tmp/a b'), `'--config=/tmp/a b'`);
    assert.equal(quoteShellArg(''), `''`);
    assert.equal(quoteShellArg(`it's`), `'it'\\''s'`);
    assert.throws(() => quoteShellArg('a\0b'));
    assert.throws(() => quoteShellCommand([]));
  });

  test('a real shell gets back exactly the argv (property, /bin/sh and bash)', () => {
    const arg = fc.string({ unit: fc.constantFrom(...`ab $'"\`\\;&|*?~!#(){}[]<>\n\t-=é%@,.:/`.split('')), maxLength: 12 });
    fc.assert(
      fc.property(fc.array(arg, { minLength: 1, maxLength: 4 }), fc.constantFrom('/bin/sh', 'bash'), (args, shell) => {
        const line = `printf '%s\\0' ${args.map(quoteShellArg).join(' ')}`;
        const out = execFileSync(shell, ['-c', line], { encoding: 'utf8' });
        assert.deepEqual(out.split('\0').slice(0, -1), args);
      }),
      { numRuns: Math.min(fuzzRuns, 150) },
    );
  });
});
