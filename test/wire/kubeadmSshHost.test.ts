// The kubeadm SSH commands (host/provisioning/kubeadmCommands.ts) in plain Node with the scripted `vscode` module,
// over the KubeadmRemote port (node/provisioning/ssh/kubeadmSsh.ts) against the real sshd: Workspace Trust refuses
// before anything loads; the first-contact modal shows the fingerprint; the join command is shown masked and never
// logged; joinWorkers prints the command on the control plane and joins each worker.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
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
import { runWizard, scriptedRenderer, type WizardStep } from '../../src/core/wizard/wizard';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
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

let wizardAnswers: Record<string, string[]> = {};
let terminalOutput: string[] = [];
let clipboard = '';

/** What the shared stub lacks for these commands: a workspace folder on disk, workspace.fs, a terminal, the clipboard. */
function extendStub(workspace: () => string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const vscode = require('vscode') as Record<string, Record<string, unknown>>;
  const file = (p: string) => ({ fsPath: p, path: p, toString: () => `file://${p}` });
  vscode.Uri!.joinPath = (base: { fsPath: string }, ...parts: string[]) => file(join(base.fsPath, ...parts));
  Object.defineProperty(vscode.workspace, 'workspaceFolders', {
    get: () => [{ uri: file(workspace()), name: 'ws', index: 0 }],
    configurable: true,
  });
  vscode.workspace!.fs = {
    stat: (u: { fsPath: string }) =>
      existsSync(u.fsPath) ? Promise.resolve(statSync(u.fsPath)) : Promise.reject(new Error('FileNotFound')),
    createDirectory: (u: { fsPath: string }) => Promise.resolve(void mkdirSync(u.fsPath, { recursive: true })),
    writeFile: (u: { fsPath: string }, data: Uint8Array) => Promise.resolve(writeFileSync(u.fsPath, data)),
    readFile: (u: { fsPath: string }) => Promise.resolve(new Uint8Array(readFileSync(u.fsPath))),
  };
  vscode.workspace!.openTextDocument = (u: unknown) => Promise.resolve({ uri: u });
  vscode.workspace!.asRelativePath = (u: { fsPath: string }) => u.fsPath.slice(workspace().length + 1);
  vscode.workspace!.findFiles = () =>
    Promise.resolve(
      existsSync(join(workspace(), 'kubeadm'))
        ? readdirSync(join(workspace(), 'kubeadm')).map((d) => file(join(workspace(), 'kubeadm', d, 'kubeadm-config.yaml')))
        : [],
    );
  vscode.env = { clipboard: { writeText: (t: string) => Promise.resolve(void (clipboard = t)) } };
  vscode.window!.createTerminal = (o: { pty: { onDidWrite: (l: (t: string) => void) => void; open(): void } }) => {
    o.pty.onDidWrite((t) => terminalOutput.push(t));
    o.pty.open();
    return { show() {}, dispose() {} };
  };
}

before(async () => {
  stub = installVscodeStub();
  extendStub(() => work);
  sshd = await startSshd();
});
after(async () => {
  await sshd?.stop();
});
afterEach(() => {
  if (work) rmSync(work, { recursive: true, force: true });
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
    runWizard: <S>(_title: string, steps: readonly WizardStep<S>[], initial: S) =>
      runWizard(steps, initial, scriptedRenderer<S>(wizardAnswers)),
  });
  terminalOutput = [];
  clipboard = '';
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

describe('Generate, then Run over SSH (the workspace files, a terminal)', () => {
  test('Generate writes kubeadm/<cluster>/ and shows the equivalent kubeadm init; Run over SSH bootstraps and joins, streaming to the terminal', async () => {
    wizardAnswers = {
      clusterName: ['lab'],
      controlPlaneEndpoint: ['cp.example.com:6443'],
      cni: ['calico'],
      workers: ['1'],
      uploadCerts: ['true'],
    };
    stub.answers.warning.push('Generate Anyway'); // Calico's 192.168/16 without node networks: a warning, not an error
    stub.answers.info.push('Copy Command');
    await stub.commands.get('clusterdeck.kubeadm.generate')!();
    assert.ok(!stub.asked.some((a) => a.kind === 'error'), JSON.stringify(stub.asked));
    const dir = join(work, 'kubeadm', 'lab');
    assert.deepEqual(readdirSync(dir).sort(), ['CNI.md', 'bootstrap-control-plane.sh', 'join-worker.sh', 'kubeadm-config.yaml']);
    assert.match(stub.asked.find((a) => a.kind === 'warning')!.text, /home and office LANs/);
    assert.match(stub.asked.find((a) => a.kind === 'info')!.text, /sudo kubeadm init --config kubeadm-config\.yaml --upload-certs/);
    assert.equal(clipboard, 'sudo kubeadm init --config kubeadm-config.yaml --upload-certs');

    stub.asked.length = 0;
    writeFileSync(knownHosts, `${sshd.knownHostsLine}\n`);
    stub.answers.inputBox.push(sshd.target, sshd.target); // control plane, then the one worker
    stub.answers.quickPick.push(pickKey);
    stub.answers.warning.push('Run');
    await stub.commands.get('clusterdeck.kubeadm.runOverSsh')!();
    assert.ok(!stub.asked.some((a) => a.kind === 'error'), JSON.stringify(stub.asked.filter((a) => a.kind === 'error')));
    assert.match(
      stub.asked.find((a) => a.kind === 'warning')!.text,
      /Run bootstrap-control-plane\.sh as root on root@127\.0\.0\.1:\d+, then join-worker\.sh on/,
    );
    const calls = sshd.calls();
    assert.ok(calls.some((c) => c[0] === 'kubeadm' && c[1] === 'init' && c[2] === '--config' && c[4] === '--upload-certs'));
    assert.ok(calls.some((c) => c[0] === 'kubeadm' && c[1] === 'join' && c.includes(canary)));
    const out = terminalOutput.join('');
    assert.ok(out.includes('==> Run kubeadm init') && out.includes('==> Run kubeadm join') && out.includes('Done.'), out);
    assert.ok(!out.includes(canary));
    for (const l of logged) assert.ok(!l.includes(canary), l);
    assert.ok(dirname(dir).endsWith('kubeadm'));
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
