// One SSH connection (ssh2): agent or key-file auth, host-key verification against known_hosts with a
// first-contact question, commands run from argv arrays (every word single-quoted), output as lines, sftp upload,
// timeouts and AbortSignal. One secret-free log line per call through `onRequest`.
import { readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { Client, utils, type ClientChannel, type ConnectConfig, type SFTPWrapper } from 'ssh2';
import { CancelledError, ClusterDeckError } from '../../../core/errors';
import { quoteShellCommand } from '../../../core/provisioning/kubeadm/shellQuote';
import { formatSshTarget, type SshTarget } from '../../../core/provisioning/kubeadm/sshTarget';
import type { SshAuth } from '../../../core/provisioning/kubeadm/kubeadmRemote';

export type { SshAuth };
import { appendKnownHost, checkHostKey, fingerprintSha256, keyTypeOf, readKnownHosts } from './knownHosts';

export interface SshConnectOptions {
  readonly target: SshTarget;
  readonly auth: SshAuth;
  /** The known_hosts file checked and, after an approved first contact, appended to. */
  readonly knownHostsPath: string;
  /**
   * Asked when the host is not in known_hosts: `host` as `host:port`, the key's SHA256 fingerprint. True = trust it
   * (appended to known_hosts), false = refuse and run nothing.
   */
  readonly confirmFirstContact: (host: string, fingerprintSha256: string, detail: { readonly keyType: string }) => Promise<boolean>;
  /** Asked for an encrypted key without a passphrase; undefined = cancelled. */
  readonly askPassphrase?: (keyPath: string) => Promise<string | undefined>;
  /** TCP connect limit; default 15 s. */
  readonly connectTimeoutMs?: number;
  /** Handshake + first-contact question + auth limit; default 5 min (a person may be reading the fingerprint). */
  readonly handshakeTimeoutMs?: number;
  readonly signal?: AbortSignal;
  /** One line per outgoing call (`> ssh root@h:22 exec kubeadm … [812ms] exit 0`); never a secret. */
  readonly onRequest?: (line: string) => void;
}

export interface ExecOptions {
  /** Written to the command's stdin, then stdin is closed (secrets travel here, never in argv). */
  readonly stdin?: string;
  /** Each complete output line (without its newline) as it arrives. */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Keep the whole stdout (for commands whose answer is the output). */
  readonly captureStdout?: boolean;
  /** Default 30 min: kubeadm init pulls images. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface ExecResult {
  /** Exit code; null when the command died of a signal. */
  readonly code: number | null;
  readonly signal?: string;
  readonly stdout: string;
  /** The last 40 lines of stdout and stderr, as they came (callers redact before showing). */
  readonly lastLines: readonly string[];
}

/** A connected session. `close()` ends it (also done on abort). */
export interface SshSession {
  readonly target: SshTarget;
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Writes files over sftp (mode per file). */
  upload(files: readonly { readonly path: string; readonly data: string; readonly mode: number }[], signal?: AbortSignal): Promise<void>;
  close(): void;
}

const keepLines = 40;

function elapsed(started: number): string {
  return `[${Math.round(performance.now() - started)}ms]`;
}

async function keyMaterial(options: SshConnectOptions): Promise<Partial<ConnectConfig>> {
  const { auth } = options;
  if (auth.kind === 'agent') return { agent: auth.socket };
  let data: Buffer;
  try {
    data = await readFile(auth.path);
  } catch (e) {
    throw new ClusterDeckError(
      'badConfig',
      `Cannot read the SSH key ${auth.path}; check the path and its permissions.`,
      { file: auth.path },
      { cause: e },
    );
  }
  let passphrase = auth.passphrase;
  let parsed = utils.parseKey(data, passphrase);
  if (parsed instanceof Error && passphrase === undefined && /encrypt|passphrase/i.test(parsed.message) && options.askPassphrase) {
    passphrase = await options.askPassphrase(auth.path);
    if (passphrase === undefined) throw new CancelledError();
    parsed = utils.parseKey(data, passphrase);
  }
  if (parsed instanceof Error) {
    const encrypted = /encrypt|passphrase|decrypt|bad/i.test(parsed.message);
    throw new ClusterDeckError(
      encrypted ? 'unauthorized' : 'badConfig',
      encrypted
        ? `Cannot unlock the SSH key ${auth.path}: the passphrase is missing or wrong. Enter it again.`
        : `${auth.path} is not an SSH private key ssh2 can read; choose an OpenSSH or PEM private key.`,
      { file: auth.path },
    );
  }
  return { privateKey: data, ...(passphrase !== undefined ? { passphrase } : {}) };
}

/**
 * Connects and verifies the host key. Throws ClusterDeckError: `tls` for a changed or revoked host key (naming the
 * host, the fingerprint and the known_hosts line), `untrusted` when the first contact was declined,
 * `unauthorized`, `unreachable`, `timeout`; CancelledError on abort.
 */
export async function connectSsh(options: SshConnectOptions): Promise<SshSession> {
  const { target, signal } = options;
  if (signal?.aborted) throw new CancelledError();
  const where = formatSshTarget(target);
  const hostPort = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
  const auth = await keyMaterial(options);
  const knownHosts = await readKnownHosts(options.knownHostsPath).catch((e: unknown) => {
    throw new ClusterDeckError(
      'badConfig',
      `Cannot read ${options.knownHostsPath}; check its permissions.`,
      { file: options.knownHostsPath },
      { cause: e },
    );
  });
  const started = performance.now();
  const sock = await openSocket(target, options.connectTimeoutMs ?? 15_000, signal).catch((e: unknown) => {
    const error = e instanceof CancelledError ? e : mapConnectError(e, where);
    options.onRequest?.(`> ssh ${where} connect ${elapsed(started)} ${error instanceof ClusterDeckError ? error.reason : 'cancelled'}`);
    throw error;
  });
  const client = new Client();
  let refusal: ClusterDeckError | undefined;
  // A key trusted during this connection (a re-key repeats the check) is not asked about twice.
  let approvedKey: Buffer | undefined;
  const hostVerifier = (key: Buffer, verify: (ok: boolean) => void): void => {
    if (approvedKey?.equals(key)) return verify(true);
    const status = checkHostKey(knownHosts, target.host, target.port, key);
    const fingerprint = fingerprintSha256(key);
    switch (status.kind) {
      case 'match':
        verify(true);
        return;
      case 'mismatch':
        refusal = new ClusterDeckError(
          'tls',
          `The host key of ${hostPort} has changed: it now presents ${fingerprint}, but ${options.knownHostsPath} line ${status.line} holds ${status.knownFingerprint}. Nothing was run; if the server was reinstalled, remove that line and connect again.`,
          { file: options.knownHostsPath, line: status.line },
        );
        verify(false);
        return;
      case 'revoked':
        refusal = new ClusterDeckError(
          'tls',
          `The host key of ${hostPort} (${fingerprint}) is marked @revoked in ${options.knownHostsPath} line ${status.line}; nothing was run.`,
          { file: options.knownHostsPath, line: status.line },
        );
        verify(false);
        return;
      case 'unknown':
        options.confirmFirstContact(hostPort, fingerprint, { keyType: keyTypeOf(key) }).then(
          async (approved) => {
            if (!approved) {
              refusal = new ClusterDeckError('untrusted', `The host key of ${hostPort} (${fingerprint}) was not trusted; nothing was run.`);
              verify(false);
              return;
            }
            try {
              await appendKnownHost(options.knownHostsPath, target.host, target.port, key);
            } catch (e) {
              refusal = new ClusterDeckError(
                'badConfig',
                `Cannot add ${hostPort} to ${options.knownHostsPath}; check its permissions. Nothing was run.`,
                { file: options.knownHostsPath },
                { cause: e },
              );
              verify(false);
              return;
            }
            approvedKey = key;
            verify(true);
          },
          (e: unknown) => {
            refusal =
              e instanceof ClusterDeckError
                ? e
                : new ClusterDeckError(
                    'untrusted',
                    `The host key of ${hostPort} could not be confirmed; nothing was run.`,
                    {},
                    { cause: e },
                  );
            verify(false);
          },
        );
        return;
    }
  };
  const onAbort = () => client.end();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      client.once('error', (e: Error & { level?: string; code?: string }) => reject(e));
      client.once('close', () => reject(new Error('connection closed during the handshake')));
      client.connect({
        host: target.host,
        port: target.port,
        username: target.user,
        sock,
        readyTimeout: options.handshakeTimeoutMs ?? 5 * 60_000,
        hostVerifier,
        ...auth,
      });
    });
  } catch (e) {
    signal?.removeEventListener('abort', onAbort);
    client.end();
    const error = signal?.aborted ? new CancelledError() : (refusal ?? mapConnectError(e, where));
    options.onRequest?.(`> ssh ${where} connect ${elapsed(started)} ${error instanceof ClusterDeckError ? error.reason : 'cancelled'}`);
    throw error;
  }
  options.onRequest?.(`> ssh ${where} connect ${elapsed(started)} ok`);
  return new Ssh2Session(client, target, options, () => signal?.removeEventListener('abort', onAbort));
}

/** The TCP connection, limited in time (ssh2's readyTimeout also covers the first-contact question). */
function openSocket(target: SshTarget, timeoutMs: number, signal: AbortSignal | undefined): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: target.host, port: target.port });
    const fail = (e: Error) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      sock.destroy();
      reject(e);
    };
    const timer = setTimeout(() => fail(Object.assign(new Error('connect timed out'), { level: 'client-timeout' })), timeoutMs);
    const onAbort = () => fail(new CancelledError());
    signal?.addEventListener('abort', onAbort, { once: true });
    sock.once('error', fail);
    sock.once('connect', () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      sock.off('error', fail);
      resolve(sock);
    });
  });
}

function mapConnectError(e: unknown, where: string): ClusterDeckError {
  const err = e as Error & { level?: string; code?: string };
  const message = err?.message ?? String(e);
  if (err.level === 'client-authentication' || /authentication methods failed/i.test(message))
    return new ClusterDeckError(
      'unauthorized',
      `${where} refused the SSH key; check the user and that the key is in its authorized_keys.`,
      {},
      { cause: e },
    );
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN')
    return new ClusterDeckError('unreachable', `Cannot resolve the host of ${where}; check the name.`, {}, { cause: e });
  if (err.level === 'client-timeout' || /timed out/i.test(message))
    return new ClusterDeckError(
      'timeout',
      `${where} did not complete the SSH handshake in time; check the address, port and firewall.`,
      {},
      { cause: e },
    );
  if (err.code === 'ECONNREFUSED' || err.code === 'EHOSTUNREACH' || err.code === 'ECONNRESET')
    return new ClusterDeckError(
      'unreachable',
      `Cannot connect to ${where} (${err.code}); check that sshd runs and the port is open.`,
      {},
      { cause: e },
    );
  if (/agent/i.test(message))
    return new ClusterDeckError(
      'unauthorized',
      `The SSH agent could not be used for ${where}; check SSH_AUTH_SOCK or choose a key file.`,
      {},
      { cause: e },
    );
  return new ClusterDeckError('unreachable', `The SSH connection to ${where} failed; see the log for details.`, {}, { cause: e });
}

class Ssh2Session implements SshSession {
  private closed = false;
  constructor(
    private readonly client: Client,
    readonly target: SshTarget,
    private readonly options: SshConnectOptions,
    private readonly detach: () => void,
  ) {
    client.on('close', () => (this.closed = true));
  }

  exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    const where = formatSshTarget(this.target);
    const command = quoteShellCommand(argv);
    const started = performance.now();
    const log = (outcome: string) => this.options.onRequest?.(`> ssh ${where} exec ${command} ${elapsed(started)} ${outcome}`);
    return new Promise<ExecResult>((resolve, reject) => {
      if (this.closed)
        return reject(new ClusterDeckError('unreachable', `The SSH connection to ${where} is closed; run the command again.`));
      const signal = options.signal;
      if (signal?.aborted || this.options.signal?.aborted) return reject(new CancelledError());
      let channel: ClientChannel | undefined;
      let settled = false;
      let stdout = '';
      const lastLines: string[] = [];
      const partial = { stdout: '', stderr: '' };
      const emit = (line: string, stream: 'stdout' | 'stderr') => {
        lastLines.push(line);
        if (lastLines.length > keepLines) lastLines.shift();
        options.onLine?.(line, stream);
      };
      const feed = (chunk: Buffer, stream: 'stdout' | 'stderr') => {
        const text = partial[stream] + chunk.toString('utf8');
        const lines = text.split(/\r?\n/);
        partial[stream] = lines.pop() ?? '';
        for (const l of lines) emit(l, stream);
      };
      const finish = (error: Error | undefined, result?: ExecResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.client.off('close', onConnectionClose);
        if (error) {
          log(error instanceof ClusterDeckError ? error.reason : 'cancelled');
          reject(error);
        } else {
          log(result!.code === null ? `signal ${result!.signal ?? '?'}` : `exit ${result!.code}`);
          resolve(result!);
        }
      };
      const kill = () => {
        try {
          channel?.signal('KILL');
        } catch {
          // Not every server honours signal requests; closing the channel follows.
        }
        channel?.close();
      };
      const timeoutMs = options.timeoutMs ?? 30 * 60_000;
      const timer = setTimeout(() => {
        kill();
        finish(
          new ClusterDeckError(
            'timeout',
            `"${argv.slice(0, 3).join(' ')}" on ${where} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped.`,
          ),
        );
      }, timeoutMs);
      const onAbort = () => {
        kill();
        finish(new CancelledError());
      };
      const onConnectionClose = () =>
        finish(new ClusterDeckError('unreachable', `The SSH connection to ${where} closed while "${argv[0] ?? ''}" ran; check the host.`));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.client.on('close', onConnectionClose);
      this.client.exec(command, (err, ch) => {
        if (err)
          return finish(
            new ClusterDeckError('unreachable', `${where} refused to run a command; check the SSH server.`, {}, { cause: err }),
          );
        channel = ch;
        let code: number | null = null;
        let sig: string | undefined;
        ch.on('data', (d: Buffer) => {
          if (options.captureStdout) stdout += d.toString('utf8');
          feed(d, 'stdout');
        });
        ch.stderr.on('data', (d: Buffer) => feed(d, 'stderr'));
        ch.on('exit', (c: number | null, s?: string) => {
          code = c;
          if (s) sig = s;
        });
        ch.on('close', () => {
          if (partial.stdout) emit(partial.stdout, 'stdout');
          if (partial.stderr) emit(partial.stderr, 'stderr');
          finish(undefined, { code, ...(sig ? { signal: sig } : {}), stdout, lastLines });
        });
        if (options.stdin !== undefined) ch.end(options.stdin);
        else ch.end();
      });
    });
  }

  async upload(
    files: readonly { readonly path: string; readonly data: string; readonly mode: number }[],
    signal?: AbortSignal,
  ): Promise<void> {
    const where = formatSshTarget(this.target);
    const started = performance.now();
    if (signal?.aborted) throw new CancelledError();
    const sftp = await new Promise<SFTPWrapper>((resolve, reject) =>
      this.client.sftp((err, s) =>
        err
          ? reject(new ClusterDeckError('unreachable', `${where} has no sftp subsystem; enable it in sshd_config.`, {}, { cause: err }))
          : resolve(s),
      ),
    );
    try {
      for (const f of files) {
        if (signal?.aborted) throw new CancelledError();
        await new Promise<void>((resolve, reject) =>
          sftp.writeFile(f.path, f.data, { mode: f.mode }, (err) =>
            err
              ? reject(new ClusterDeckError('forbidden', `Cannot write ${f.path} on ${where}; check the permissions.`, {}, { cause: err }))
              : resolve(),
          ),
        );
      }
      this.options.onRequest?.(`> ssh ${where} sftp put ${files.length} file(s) ${elapsed(started)} ok`);
    } catch (e) {
      this.options.onRequest?.(`> ssh ${where} sftp put ${files.length} file(s) ${elapsed(started)} failed`);
      throw e;
    } finally {
      sftp.end();
    }
  }

  close(): void {
    this.detach();
    this.client.end();
  }
}
