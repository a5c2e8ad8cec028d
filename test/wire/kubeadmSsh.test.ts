// kubeadm over real SSH: Debian's sshd on 127.0.0.1 (test/support/sshd.ts) with stand-in kubeadm/systemctl/…
// commands. Covers host-key verification (known, first contact accepted/refused, changed), key/agent/passphrase
// auth, the bootstrap run, stop on the first failure, the join command as a secret, and Import cluster.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { initOutputToken, startSshd, type SshdHarness } from '../support/sshd';
import { connectSsh, type SshConnectOptions, type SshSession } from '../../src/node/provisioning/ssh/sshSession';
import {
  importCluster,
  KubeadmScriptError,
  printJoinCommand,
  runBootstrap,
  runJoinWorker,
} from '../../src/node/provisioning/ssh/kubeadmOverSsh';
import { generateKubeadmFiles } from '../../src/core/provisioning/kubeadm/kubeadmFiles';
import { defaultKubeadmSpec } from '../../src/core/provisioning/kubeadm/kubeadmSpec';
import { CancelledError, ClusterDeckError } from '../../src/core/errors';

let sshd: SshdHarness;
let work: string;
let knownHosts: string;
let requests: string[];
let prompts: { host: string; fingerprint: string }[];

const spec = defaultKubeadmSpec({
  clusterName: 'lab',
  controlPlaneEndpoint: 'cp.example.com:6443',
  cni: 'calico',
  podSubnet: '172.16.0.0/16',
  workers: 1,
  uploadCerts: true,
});
const files = generateKubeadmFiles(spec);

function options(over: Partial<SshConnectOptions> = {}): SshConnectOptions {
  return {
    target: { user: sshd.user, host: sshd.host, port: sshd.port },
    auth: { kind: 'key', path: sshd.clientKeyPath },
    knownHostsPath: knownHosts,
    confirmFirstContact: (host, fingerprint) => {
      prompts.push({ host, fingerprint });
      return Promise.resolve(false);
    },
    onRequest: (line) => requests.push(line),
    ...over,
  };
}

async function withSession<T>(fn: (s: SshSession) => Promise<T>, over: Partial<SshConnectOptions> = {}): Promise<T> {
  const session = await connectSsh(options(over));
  try {
    return await fn(session);
  } finally {
    session.close();
  }
}

function hostFingerprint(): string {
  const pub = join(sshd.dir, 'host_ed25519.pub');
  return execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pub], { encoding: 'utf8' }).split(' ')[1]!;
}

before(async () => {
  sshd = await startSshd();
});
after(async () => {
  await sshd?.stop();
});
afterEach(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'kubeadm-ssh-client-'));
  knownHosts = join(work, 'known_hosts');
  writeFileSync(knownHosts, `# plain entry\n${sshd.knownHostsLine}\n`);
  requests = [];
  prompts = [];
  for (const f of readdirSync(join(sshd.dir, 'standins')))
    if (f.startsWith('fail-') || f === 'calls.log') rmSync(join(sshd.dir, 'standins', f));
});

describe('host keys', () => {
  test('a known host (plain entry) connects without a question; argv words reach the command unchanged', async () => {
    const tricky = `a b'c $(id) \`x\` "q" ;|&`;
    const out = await withSession((s) => s.exec(['printf', '%s\\n', tricky, '--x=1'], { captureStdout: true }));
    assert.equal(out.code, 0);
    assert.equal(out.stdout, `${tricky}\n--x=1\n`);
    assert.deepEqual(prompts, []);
    assert.ok(requests.some((r) => /^> ssh root@127\.0\.0\.1:\d+ connect \[\d+ms\] ok$/.test(r)));
  });

  test('unknown host: the prompt gets host and SHA256 fingerprint; refused → nothing runs, known_hosts unchanged', async () => {
    writeFileSync(knownHosts, '');
    await assert.rejects(
      withSession((s) => runBootstrap(s, files)),
      (e) => e instanceof ClusterDeckError && e.reason === 'untrusted' && e.message.includes(hostFingerprint()),
    );
    assert.deepEqual(prompts, [{ host: `127.0.0.1:${sshd.port}`, fingerprint: hostFingerprint() }]);
    assert.deepEqual(sshd.calls(), []);
    assert.equal(readFileSync(knownHosts, 'utf8'), '');
  });

  test('unknown host approved → appended (hashed) and trusted next time without a question', async () => {
    rmSync(knownHosts);
    const approve: SshConnectOptions['confirmFirstContact'] = (host, fingerprint) => {
      prompts.push({ host, fingerprint });
      return Promise.resolve(true);
    };
    await withSession((s) => s.exec(['true']), { confirmFirstContact: approve });
    const text = readFileSync(knownHosts, 'utf8');
    assert.match(text, /^\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+ ssh-ed25519 AAAA\S+\n$/);
    // OpenSSH's own tool finds the hashed entry.
    assert.match(execFileSync('ssh-keygen', ['-F', `[127.0.0.1]:${sshd.port}`, '-f', knownHosts], { encoding: 'utf8' }), /ssh-ed25519/);
    await withSession((s) => s.exec(['true']), { confirmFirstContact: approve });
    assert.equal(prompts.length, 1);
  });

  test('a changed host key is refused naming host, new fingerprint and the known_hosts line; nothing runs', async () => {
    const old = sshd.knownHostsLine;
    await sshd.rotateHostKey();
    writeFileSync(knownHosts, `${old}\n`);
    await assert.rejects(
      withSession((s) => runBootstrap(s, files)),
      (e) =>
        e instanceof ClusterDeckError &&
        e.reason === 'tls' &&
        e.message.includes(`127.0.0.1:${sshd.port}`) &&
        e.message.includes(hostFingerprint()) &&
        e.message.includes('line 1') &&
        e.message.includes('has changed'),
    );
    assert.deepEqual(prompts, []);
    assert.deepEqual(sshd.calls(), []);
  });
  test('an unreadable known_hosts is a badConfig naming the file (no raw error); nothing runs', async () => {
    const notADir = join(work, 'file');
    writeFileSync(notADir, '');
    await assert.rejects(
      connectSsh(options({ knownHostsPath: join(notADir, 'known_hosts') })),
      (e) => e instanceof ClusterDeckError && e.reason === 'badConfig' && e.message.includes('known_hosts'),
    );
    assert.deepEqual(sshd.calls(), []);
  });
});

describe('authentication', () => {
  test('an encrypted key: passphrase given, asked for, or wrong', async () => {
    await withSession((s) => s.exec(['true']), {
      auth: { kind: 'key', path: sshd.encryptedKeyPath, passphrase: sshd.clientKeyPassphrase },
    });
    let asked = 0;
    await withSession((s) => s.exec(['true']), {
      auth: { kind: 'key', path: sshd.encryptedKeyPath },
      askPassphrase: () => {
        asked++;
        return Promise.resolve(sshd.clientKeyPassphrase);
      },
    });
    assert.equal(asked, 1);
    await assert.rejects(
      connectSsh(options({ auth: { kind: 'key', path: sshd.encryptedKeyPath, passphrase: 'wrong' } })),
      (e) => e instanceof ClusterDeckError && e.reason === 'unauthorized' && !e.message.includes('wrong '),
    );
  });

  test('an ssh-agent socket (SSH_AUTH_SOCK) holding the key', async () => {
    const sock = join(work, 'agent.sock');
    const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 100 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 20));
      execFileSync('ssh-add', [sshd.clientKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
      const out = await withSession((s) => s.exec(['id', '-un'], { captureStdout: true }), { auth: { kind: 'agent', socket: sock } });
      assert.equal(out.stdout.trim(), 'root');
    } finally {
      if (agent.pid) process.kill(agent.pid, 'SIGTERM');
    }
  });

  test('a key the server does not accept is "unauthorized"', async () => {
    const other = join(work, 'other');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other], { stdio: 'ignore' });
    await assert.rejects(
      connectSsh(options({ auth: { kind: 'key', path: other } })),
      (e) => e instanceof ClusterDeckError && e.reason === 'unauthorized',
    );
  });
});

describe('running the scripts', () => {
  test('bootstrap: files uploaded to a temp dir, kubeadm saw init --config <uploaded path> --upload-certs, output streamed with tokens masked', async () => {
    const lines: string[] = [];
    await withSession((s) => runBootstrap(s, files, { onOutput: (l) => lines.push(l) }));
    const calls = sshd.calls();
    const init = calls.find((c) => c[0] === 'kubeadm' && c[1] === 'init');
    assert.ok(init, JSON.stringify(calls));
    assert.equal(init.length, 5);
    assert.match(init[3]!, /^\/tmp\/clusterdeck-kubeadm\.[A-Za-z0-9]+\/kubeadm-config\.yaml$/);
    assert.equal(init[4], '--upload-certs');
    // Preflight ran before init, the CNI after it.
    const names = calls.map((c) => c.slice(0, 2).join(' '));
    assert.ok(names.indexOf('modprobe overlay') < names.indexOf('kubeadm init'));
    assert.ok(names.indexOf('systemctl is-active') < names.indexOf('kubeadm init'));
    assert.ok(
      calls.some(
        (c) =>
          c[0] === 'kubectl' && c.includes('https://raw.githubusercontent.com/projectcalico/calico/v3.29.1/manifests/tigera-operator.yaml'),
      ),
    );
    assert.ok(names.indexOf('kubeadm init') < names.indexOf('kubectl create'));
    assert.ok(lines.includes('==> Run kubeadm init'));
    assert.ok(
      lines.some((l) => l.includes('--token <redacted token>')),
      'the init output was streamed, masked',
    );
    assert.ok(!lines.join('\n').includes(initOutputToken));
    assert.ok(!requests.join('\n').includes(initOutputToken));
    // The temp dir is gone; admin.conf was copied for kubectl inside the test root.
    assert.equal(existsSync(init[3]!), false);
    assert.ok(existsSync(join(sshd.root, 'root/.kube/config')));
    assert.ok(requests.some((r) => /exec bash \/tmp\/clusterdeck-kubeadm\.\S+\/bootstrap-control-plane\.sh \[\d+ms\] exit 0$/.test(r)));
  });

  test('a failing step stops the script: the error names the script, the step and the exit code; later steps never run', async () => {
    sshd.failOn('modprobe', 3);
    const lines: string[] = [];
    await assert.rejects(
      withSession((s) => runBootstrap(s, files, { onOutput: (l) => lines.push(l) })),
      (e) =>
        e instanceof KubeadmScriptError &&
        e.script === 'bootstrap-control-plane.sh' &&
        e.exitCode === 3 &&
        e.step === 'Load the overlay and br_netfilter kernel modules' &&
        /bootstrap-control-plane\.sh failed with exit code 3 on root@127\.0\.0\.1:\d+ at step "Load the overlay/.test(e.message) &&
        e.lastLines.some((l) => l.includes('stand-in modprobe: failing on purpose')),
    );
    assert.ok(!sshd.calls().some((c) => c[0] === 'kubeadm' && c[1] === 'init'), 'kubeadm init must not run');
    assert.ok(lines.some((l) => l.includes('clusterdeck: step failed: Load the overlay')));
  });

  test('a command past its timeout is stopped; an abort cancels', async () => {
    await withSession(async (s) => {
      await assert.rejects(s.exec(['sleep', '5'], { timeoutMs: 300 }), (e) => e instanceof ClusterDeckError && e.reason === 'timeout');
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      await assert.rejects(s.exec(['sleep', '5'], { signal: controller.signal }), (e) => e instanceof CancelledError);
    });
  });
});

describe('join command and import', () => {
  const canary = 'k9x2m4.canary0token0042';
  const joinLine = `kubeadm join cp.example.com:6443 --token ${canary} --discovery-token-ca-cert-hash sha256:1234`;

  test('print-join-command returns the line; no log line or sink sees the token; the worker gets it on stdin', async () => {
    sshd.setJoinCommand(joinLine);
    const lines: string[] = [];
    await withSession(async (cp) => {
      const got = await printJoinCommand(cp);
      assert.equal(got, joinLine);
      await runJoinWorker(cp, files, got, { onOutput: (l) => lines.push(l) });
    });
    const join = sshd.calls().find((c) => c[0] === 'kubeadm' && c[1] === 'join');
    assert.deepEqual(join, [
      'kubeadm',
      'join',
      'cp.example.com:6443',
      '--token',
      canary,
      '--discovery-token-ca-cert-hash',
      'sha256:1234',
      '--cri-socket',
      'unix:///var/run/containerd/containerd.sock',
    ]);
    assert.ok(requests.some((r) => r.includes('kubeadm token create --print-join-command')));
    assert.ok(lines.includes('==> Run kubeadm join'));
    for (const text of [...requests, ...lines]) assert.ok(!text.includes(canary), `leaked: ${text}`);
  });

  test('print-join-command failing is an error with no token in it', async () => {
    sshd.failOn('kubeadm');
    await assert.rejects(
      withSession((s) => printJoinCommand(s)),
      (e) => e instanceof ClusterDeckError && /kubeadm token create failed/.test(e.message),
    );
  });

  test('import merges a renamed context into the kubeconfig and keeps a backup', async () => {
    const kubeconfig = join(work, 'config');
    const before =
      'apiVersion: v1\nkind: Config\nclusters:\n- name: other\n  cluster:\n    server: https://other:6443\nusers: []\ncontexts: []\n# keep me\n';
    writeFileSync(kubeconfig, before);
    const outcome = await withSession((s) =>
      importCluster(s, {
        name: 'lab',
        adminConfPath: sshd.adminConfPath,
        targetPath: kubeconfig,
        confirmReplace: () => Promise.resolve(false),
      }),
    );
    assert.equal(outcome.kind, 'written');
    assert.ok(outcome.kind === 'written' && outcome.backupPath);
    assert.equal(readFileSync(outcome.backupPath, 'utf8'), before);
    const text = readFileSync(kubeconfig, 'utf8');
    assert.ok(text.includes('# keep me'));
    const cfg = parse(text) as {
      clusters: { name: string; cluster: { server: string } }[];
      users: { name: string; user: Record<string, string> }[];
      contexts: { name: string; context: { cluster: string; user: string } }[];
    };
    assert.deepEqual(
      cfg.clusters.map((c) => c.name),
      ['other', 'lab'],
    );
    assert.equal(cfg.clusters[1]!.cluster.server, 'https://cp.example.com:6443');
    assert.deepEqual(cfg.contexts, [{ name: 'lab', context: { cluster: 'lab', user: 'lab-admin' } }]);
    assert.equal(cfg.users[0]!.name, 'lab-admin');
    assert.equal(cfg.users[0]!.user['client-key-data'], 'S0VZLWNhbmFyeS1rZXktZGF0YQ==');
    assert.ok(!requests.join('\n').includes('S0VZLWNhbmFyeS1rZXktZGF0YQ=='));
    // Again: unchanged. A differing same-named entry asks, and "no" leaves the file alone.
    const again = await withSession((s) =>
      importCluster(s, {
        name: 'lab',
        adminConfPath: sshd.adminConfPath,
        targetPath: kubeconfig,
        confirmReplace: () => Promise.resolve(false),
      }),
    );
    assert.equal(again.kind, 'unchanged');
    writeFileSync(kubeconfig, text.replace('https://cp.example.com:6443', 'https://moved:6443'));
    let question = '';
    const declined = await withSession((s) =>
      importCluster(s, {
        name: 'lab',
        adminConfPath: sshd.adminConfPath,
        targetPath: kubeconfig,
        confirmReplace: (q) => {
          question = q;
          return Promise.resolve(false);
        },
      }),
    );
    assert.equal(declined.kind, 'declined');
    assert.match(question, /cluster "lab" differs in cluster\.server/);
  });

  test('import of a missing admin.conf says where it looked', async () => {
    await assert.rejects(
      withSession((s) =>
        importCluster(s, {
          name: 'lab',
          adminConfPath: join(sshd.root, 'nope.conf'),
          targetPath: join(work, 'c'),
          confirmReplace: () => Promise.resolve(false),
        }),
      ),
      (e) => e instanceof ClusterDeckError && e.message.includes('nope.conf'),
    );
  });
});
