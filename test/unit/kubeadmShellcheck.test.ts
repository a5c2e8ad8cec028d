// Every generated script passes Debian's shellcheck with zero findings (all severities), for several specs
// covering the three CNIs, both runtimes, upload-certs and the one-node taint.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultKubeadmSpec, type KubeadmSpec } from '../../src/core/provisioning/kubeadm/kubeadmSpec';
import { generateKubeadmFiles } from '../../src/core/provisioning/kubeadm/kubeadmFiles';

const specs: KubeadmSpec[] = [
  defaultKubeadmSpec({ clusterName: 'flannel-one', controlPlaneEndpoint: 'cp.example.com:6443', cni: 'flannel', workers: 0 }),
  defaultKubeadmSpec({
    clusterName: 'calico-ha',
    controlPlaneEndpoint: '10.0.0.10:6443',
    cni: 'calico',
    podSubnet: '172.16.0.0/16',
    uploadCerts: true,
    workers: 3,
    containerRuntime: 'cri-o',
    extraSans: ['lb.example.com'],
    advertiseAddress: '10.0.0.11',
  }),
  defaultKubeadmSpec({
    clusterName: 'cilium-lab',
    controlPlaneEndpoint: '[fd00::10]:6443',
    cni: 'cilium',
    workers: 2,
    nodeNetworks: ['172.31.0.0/16'],
  }),
];

test('shellcheck finds nothing in any generated script (all three CNIs)', () => {
  assert.ok(execFileSync('shellcheck', ['--version'], { encoding: 'utf8' }).includes('ShellCheck'), 'Debian shellcheck is installed');
  const dir = mkdtempSync(join(tmpdir(), 'kubeadm-shellcheck-'));
  try {
    const paths: string[] = [];
    for (const spec of specs) {
      for (const f of generateKubeadmFiles(spec).filter((g) => g.executable)) {
        const p = join(dir, `${spec.clusterName}-${f.name}`);
        writeFileSync(p, f.text);
        paths.push(p);
      }
    }
    assert.equal(paths.length, 6);
    const r = spawnSync('shellcheck', ['--severity=style', '--format=gcc', ...paths], { encoding: 'utf8' });
    assert.equal(r.stdout + r.stderr, '', 'no findings');
    assert.equal(r.status, 0);
    // The checker itself finds problems in a bad script (the test can fail).
    const bad = join(dir, 'bad.sh');
    writeFileSync(bad, '#!/usr/bin/env bash\nrm -rf $1/*\n');
    assert.notEqual(spawnSync('shellcheck', [bad]).status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
