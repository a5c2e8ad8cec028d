// The kubeadm SSH commands (host/provisioning/kubeadmCommands.ts) in plain Node with the scripted `vscode` module,
// over the KubeadmRemote port (node/provisioning/ssh/kubeadmSsh.ts) against the real sshd: Workspace Trust refuses
// before anything loads; the first-contact modal shows the fingerprint; the join command is shown masked and never
// logged; joinWorkers prints the command on the control plane and joins each worker.
import { after, before, beforeEach, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installVscodeStub, type VscodeStub } from '../support/vscodeStub';
import { startSshd, type SshdHarness } from '../support/sshd';
import { createKubeadmRemote } from '../../src/node/provisioning/ssh/kubeadmSsh';
import type { KubeadmRemote } from '../../src/core/provisioning/kubeadm/kubeadmRemote';
import { generateKubeadmFiles } from '../../src/core/provisioning/kubeadm/kubeadmFiles';
import { defaultKubeadmSpec } from '../../src/core/provisioning/kubeadm/kubeadmSpec';

let stub: VscodeStub;
let sshd: SshdHarness;
let work: string;
let knownHosts: string;
let logged: string[];
let remoteLoads: number;
const canary = 'p0q9r8.canarytoken12345'; // [a-z0-9]{6}.[a-z0-9]{16}, as kubeadm makes them

const log = {
  info: (_s: string, m: string) => logged.push(m),
  warn: (_s: string, m: string) => logged.push(m),
  error: (_s: string, m: string) => logged.push(m),
  debug: (_s: string, m: string) => logged.push(m),
  show() {},
};

before(async () => {
  stub = installVscodeStub();
  sshd = await startSshd();
});
after(async () => {
  await sshd?.stop();
});
beforeEach(async () => {
  stub.reset();
  stub.commands.clear();
  work = mkdtempSync(join(tmpdir(), 'kubeadm-host-'));
  knownHosts = join(work, 'known_hosts');
  writeFileSync(knownHosts, '');
  logged = [];
  remoteLoads = 0;
  rmSync(join(sshd.dir, 'standins', 'calls.log'), { force: true });
  sshd.setJoinCommand(`kubeadm join cp.example.com:6443 --token ${canary} --discovery-token-ca-cert-hash sha256:ab`);
  const { registerKubeadmCommands } = await import('../../src/host/provisioning/kubeadmCommands');
  registerKubeadmCommands({
    log,
    remote: () => {
      remoteLoads++;
      return Promise.resolve(createKubeadmRemote({ onRequest: (l) => logged.push(l) }));
    },
    knownHostsPath: () => knownHosts,
    agentSocket: () => undefined,
    defaultKeys: () => [sshd.clientKeyPath],
    kubeconfigTarget: () => Promise.resolve(join(work, 'config')),
    refreshClusters: () => undefined,
  });
});

const pickKey = (items: { label: string }[]) => items.find((i) => i.label.includes(sshd.clientKeyPath));

describe('kubeadm SSH commands', () => {
  test('Restricted Mode: every SSH command refuses before asking anything or loading ssh2', async () => {
    stub.trusted = false;
    for (const id of ['clusterdeck.kubeadm.runOverSsh', 'clusterdeck.kubeadm.printJoinCommand', 'clusterdeck.kubeadm.importCluster']) {
      await stub.commands.get(id)!();
    }
    const errors = stub.asked.filter((a) => a.kind === 'error');
    assert.equal(errors.length, 3);
    for (const e of errors) assert.match(e.text, /trust this workspace/);
    assert.equal(stub.asked.filter((a) => a.kind !== 'error').length, 0);
    assert.equal(remoteLoads, 0);
  });

  test('trust revoked while the questions were open: refused at the spawn point, nothing runs', async () => {
    stub.answers.inputBox.push(sshd.target);
    stub.answers.quickPick.push((items: { label: string }[]) => {
      stub.trusted = false;
      return pickKey(items);
    });
    await stub.commands.get('clusterdeck.kubeadm.printJoinCommand')!();
    assert.ok(stub.asked.some((a) => a.kind === 'error' && /trust this workspace/.test(a.text)));
    assert.equal(remoteLoads, 0);
    assert.deepEqual(sshd.calls(), []);
  });

  test('Print Join Command: first-contact modal with the fingerprint, then the command shown masked, never logged', async () => {
    stub.answers.inputBox.push(sshd.target);
    stub.answers.quickPick.push(pickKey);
    stub.answers.warning.push('Trust and Connect');
    await stub.commands.get('clusterdeck.kubeadm.printJoinCommand')!();
    const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(sshd.dir, 'host_ed25519.pub')], {
      encoding: 'utf8',
    }).split(' ')[1]!;
    const prompt = stub.asked.find((a) => a.kind === 'warning')!;
    assert.match(prompt.text, new RegExp(`host 127\\.0\\.0\\.1:${sshd.port} can't be established`));
    assert.ok(prompt.detail?.includes(fingerprint), prompt.detail);
    assert.match(readFileSync(knownHosts, 'utf8'), /ssh-ed25519/);
    const shown = stub.asked.find((a) => a.kind === 'info')!;
    assert.match(shown.detail ?? '', /kubeadm join cp\.example\.com:6443 --token <redacted token>/);
    assert.ok(sshd.calls().some((c) => c.join(' ') === 'kubeadm token create --print-join-command'));
    for (const a of stub.asked) assert.ok(!`${a.text} ${a.detail ?? ''}`.includes(canary), `shown: ${a.text}`);
    for (const l of logged) assert.ok(!l.includes(canary), `logged: ${l}`);
    assert.ok(logged.some((l) => l.includes('token not logged')));
  });

  test('first contact declined: nothing runs and known_hosts stays empty', async () => {
    stub.answers.inputBox.push(sshd.target);
    stub.answers.quickPick.push(pickKey);
    stub.answers.warning.push(undefined);
    await stub.commands.get('clusterdeck.kubeadm.printJoinCommand')!();
    assert.ok(stub.asked.some((a) => a.kind === 'error' && /was not trusted; nothing was run/.test(a.text)));
    assert.deepEqual(sshd.calls(), []);
    assert.equal(readFileSync(knownHosts, 'utf8'), '');
  });
});

describe('KubeadmRemote port', () => {
  test('joinWorkers prints the join command on the control plane, then joins each worker with it (stdin, masked)', async () => {
    writeFileSync(knownHosts, `${sshd.knownHostsLine}\n`);
    const remote: KubeadmRemote = createKubeadmRemote({ onRequest: (l) => logged.push(l) });
    const host = {
      target: { user: 'root', host: '127.0.0.1', port: sshd.port },
      auth: { kind: 'key' as const, path: sshd.clientKeyPath },
      knownHostsPath: knownHosts,
      confirmFirstContact: () => Promise.resolve(false),
    };
    const files = generateKubeadmFiles(defaultKubeadmSpec({ clusterName: 'lab', controlPlaneEndpoint: 'cp.example.com:6443', workers: 2 }));
    const lines: string[] = [];
    await remote.joinWorkers(host, [host, host], files, { onOutput: (l, _s, h) => lines.push(`${h} ${l}`) });
    const joins = sshd.calls().filter((c) => c[0] === 'kubeadm' && c[1] === 'join');
    assert.equal(joins.length, 2);
    for (const j of joins) assert.ok(j.includes(canary));
    assert.equal(sshd.calls().filter((c) => c[1] === 'token').length, 1);
    assert.ok(lines.some((l) => l.startsWith(`root@127.0.0.1:${sshd.port} ==> Run kubeadm join`)));
    for (const l of [...lines, ...logged]) assert.ok(!l.includes(canary), l);
    rmSync(work, { recursive: true, force: true });
  });
});
