// A real OpenSSH server for the kubeadm-over-SSH wire tests: Debian's /usr/sbin/sshd on 127.0.0.1 with a temporary
// host key, config, client keys and authorized_keys, pubkey auth only, no PAM. Sessions get a PATH whose first
// directory holds stand-in kubeadm/kubelet/kubectl/systemctl/modprobe/sysctl/swapoff/cilium commands that record
// their argv to a log and exit 0 (or fail when a marker file exists), and CLUSTERDECK_ROOT pointing at a temporary
// root so the scripts' file writes (/etc/modules-load.d, admin.conf, ~/.kube) stay inside it.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SshdHarness {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: string;
  /** `root@127.0.0.1:<port>` */
  readonly target: string;
  readonly dir: string;
  /** Unencrypted client key (authorized). */
  readonly clientKeyPath: string;
  /** The same kind of key, encrypted with {@link clientKeyPassphrase} (authorized too). */
  readonly encryptedKeyPath: string;
  readonly clientKeyPassphrase: string;
  /** The server's host key line for a known_hosts file (`[127.0.0.1]:port ssh-ed25519 AAAA…`). */
  readonly knownHostsLine: string;
  /** The temporary root the scripts write into (CLUSTERDECK_ROOT). */
  readonly root: string;
  /** Where the fake admin.conf lives (inside {@link root}). */
  readonly adminConfPath: string;
  /** Every stand-in call so far, as argv arrays (argv[0] = the command's name). */
  calls(): string[][];
  /** Makes the named stand-in exit with `code` (and a line on stderr) from now on. */
  failOn(command: string, code?: number): void;
  /** The line `kubeadm token create --print-join-command` prints. */
  setJoinCommand(line: string): void;
  /** Replaces the host key (sshd restarted on the same port): a "changed host key" for clients. */
  rotateHostKey(): Promise<void>;
  stop(): Promise<void>;
}

export const standInCommands = ['kubeadm', 'kubelet', 'kubectl', 'systemctl', 'modprobe', 'sysctl', 'swapoff', 'cilium'];

/** A canary bootstrap token the stand-in `kubeadm init` prints in its output, as the real one does. */
export const initOutputToken = 'zq81xk.0123456789qwerty';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

function standIn(name: string, dir: string): string {
  const special =
    name === 'kubeadm'
      ? `
if [ "\${1:-}" = "token" ] && [ "\${2:-}" = "create" ]; then
  cat "${dir}/join-command"
  exit 0
fi
if [ "\${1:-}" = "init" ]; then
  echo "Your Kubernetes control-plane has initialized successfully!"
  echo "Then you can join any number of worker nodes by running the following on each as root:"
  echo "kubeadm join cp.example.com:6443 --token ${initOutputToken} \\\\"
  echo "	--discovery-token-ca-cert-hash sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
fi
if [ "\${1:-}" = "join" ]; then
  echo "This node has joined the cluster"
fi`
      : '';
  return `#!/bin/bash
# Stand-in for ${name}: records its argv (tab-separated) and exits 0, or fails when ${dir}/fail-${name} exists.
{ printf '%s' ${name}; for a in "$@"; do printf '\\t%s' "$a"; done; printf '\\n'; } >> "${dir}/calls.log"
if [ -e "${dir}/fail-${name}" ]; then
  echo "stand-in ${name}: failing on purpose" >&2
  exit "$(cat "${dir}/fail-${name}")"
fi${special}
exit 0
`;
}

async function waitForPort(port: number, child: ChildProcess, stderr: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sshd exited (${child.exitCode}): ${stderr()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`sshd did not listen on ${port}: ${stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts sshd; call `stop()` in after()/finally (it kills only this sshd, by its pid). */
export async function startSshd(): Promise<SshdHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'clusterdeck-sshd-'));
  const bin = join(dir, 'bin');
  const root = join(dir, 'root');
  const standIns = join(dir, 'standins');
  for (const d of [bin, root, standIns, join(root, 'etc/kubernetes'), join(root, 'proc')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(root, 'proc/swaps'), 'Filename\tType\tSize\tUsed\tPriority\n');
  const adminConfPath = join(root, 'etc/kubernetes/admin.conf');
  writeFileSync(adminConfPath, fakeAdminConf);
  chmodSync(adminConfPath, 0o600);
  writeFileSync(
    join(standIns, 'join-command'),
    'kubeadm join cp.example.com:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash sha256:00\n',
  );
  for (const name of standInCommands) {
    writeFileSync(join(bin, name), standIn(name, standIns));
    chmodSync(join(bin, name), 0o755);
  }
  const keygen = (file: string, passphrase = '') =>
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'clusterdeck-test', '-f', file], { stdio: 'ignore' });
  const hostKey = join(dir, 'host_ed25519');
  const clientKeyPath = join(dir, 'client_ed25519');
  const encryptedKeyPath = join(dir, 'client_encrypted');
  const clientKeyPassphrase = 'correct horse battery';
  keygen(hostKey);
  keygen(clientKeyPath);
  keygen(encryptedKeyPath, clientKeyPassphrase);
  writeFileSync(
    join(dir, 'authorized_keys'),
    readFileSync(`${clientKeyPath}.pub`, 'utf8') + readFileSync(`${encryptedKeyPath}.pub`, 'utf8'),
  );
  // Debian's sshd refuses to start without its privilege separation directory (normally made by the service unit).
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'AllowAgentForwarding no',
      'X11Forwarding no',
      'PrintMotd no',
      'Subsystem sftp internal-sftp',
      `SetEnv PATH=${bin}:/usr/local/bin:/usr/bin:/bin CLUSTERDECK_ROOT=${root}`,
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  let child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const collect = (c: ChildProcess) => c.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  collect(child);
  const stopChild = async (c: ChildProcess) => {
    if (c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    if (c.pid) process.kill(c.pid, 'SIGTERM');
    await exited;
  };
  try {
    await waitForPort(port, child, () => stderr);
  } catch (e) {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const hostLine = () => `[127.0.0.1]:${port} ${readFileSync(`${hostKey}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ')}`;
  const harness = {
    host: '127.0.0.1' as const,
    port,
    user: 'root',
    target: `root@127.0.0.1:${port}`,
    dir,
    clientKeyPath,
    encryptedKeyPath,
    clientKeyPassphrase,
    knownHostsLine: hostLine(),
    root,
    adminConfPath,
    calls: () => {
      const log = join(standIns, 'calls.log');
      if (!existsSync(log)) return [];
      return readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t'));
    },
    failOn: (command: string, code = 1) => writeFileSync(join(standIns, `fail-${command}`), String(code)),
    setJoinCommand: (line: string) => writeFileSync(join(standIns, 'join-command'), `${line}\n`),
    rotateHostKey: async () => {
      await stopChild(child);
      rmSync(hostKey);
      rmSync(`${hostKey}.pub`);
      keygen(hostKey);
      child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
      collect(child);
      await waitForPort(port, child, () => stderr);
      harness.knownHostsLine = hostLine();
    },
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** What kubeadm writes to /etc/kubernetes/admin.conf (names as kubeadm uses them; the key material is fake). */
export const fakeAdminConf = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkZBS0UKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=
    server: https://cp.example.com:6443
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: kubernetes-admin
  name: kubernetes-admin@kubernetes
current-context: kubernetes-admin@kubernetes
kind: Config
preferences: {}
users:
- name: kubernetes-admin
  user:
    client-certificate-data: Q0VSVC1jYW5hcnktY2VydA==
    client-key-data: S0VZLWNhbmFyeS1rZXktZGF0YQ==
`;
