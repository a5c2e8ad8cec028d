// kubeadm over SSH: upload the generated files to a temp dir and run a script (stop on the first failure, naming
// the script, step and exit code), print the join command (a secret: returned, never logged), and import the
// control plane's admin.conf into a kubeconfig (renamed, merged, backup kept).
import { ClusterDeckError } from '../../../core/errors';
import { bootstrapScriptFile, joinScriptFile, type GeneratedFile } from '../../../core/provisioning/kubeadm/kubeadmFiles';
import { importAdminKubeconfig, type ImportDeps, type ImportOutcome } from '../../../core/provisioning/kubeadm/kubeadmImport';
import { redactKubeadmSecrets, tokensIn } from '../../../core/provisioning/kubeadm/kubeadmSecrets';
import { formatSshTarget } from '../../../core/provisioning/kubeadm/sshTarget';
import { readKubeconfigText, writeKubeconfig } from '../../clouds/kubeconfigWriter';
import type { SshSession } from './sshSession';

/** Where a line came from, for the terminal. */
export type OutputSink = (line: string, stream: 'stdout' | 'stderr') => void;

export interface RunOptions {
  /** Prefix commands with `sudo -n` (a non-root SSH user with passwordless sudo). */
  readonly sudo?: boolean;
  /** Every output line, with bootstrap tokens, certificate keys and known secrets masked. */
  readonly onOutput?: OutputSink;
  /** Per script; default 30 min. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** A script that exited non-zero: which, where, at which step, with what code, and its last (redacted) lines. */
export class KubeadmScriptError extends ClusterDeckError {
  constructor(
    message: string,
    readonly script: string,
    readonly exitCode: number | null,
    readonly step: string | undefined,
    readonly lastLines: readonly string[],
  ) {
    super('serverError', message);
  }
}

const stepMarker = /^==> (.*)$/;

function sudoPrefix(options: { sudo?: boolean }): string[] {
  return options.sudo ? ['sudo', '-n', '--'] : [];
}

/** Makes a private temp dir on the host (`mktemp -d`) and uploads the files into it; returns the dir. */
export async function uploadFiles(session: SshSession, files: readonly GeneratedFile[], signal?: AbortSignal): Promise<string> {
  const made = await session.exec(['mktemp', '-d', '/tmp/clusterdeck-kubeadm.XXXXXXXX'], {
    captureStdout: true,
    timeoutMs: 30_000,
    ...(signal ? { signal } : {}),
  });
  const dir = made.stdout.trim();
  if (made.code !== 0 || !/^\/tmp\/clusterdeck-kubeadm\.[A-Za-z0-9]+$/.test(dir))
    throw new ClusterDeckError(
      'serverError',
      `Could not make a temporary directory on ${formatSshTarget(session.target)} (mktemp -d); check /tmp there.`,
    );
  await session.upload(
    files.map((f) => ({ path: `${dir}/${f.name}`, data: f.text, mode: f.executable ? 0o700 : 0o600 })),
    signal,
  );
  return dir;
}

async function removeDir(session: SshSession, dir: string): Promise<void> {
  await session.exec(['rm', '-rf', '--', dir], { timeoutMs: 30_000 }).catch(() => undefined);
}

/**
 * Runs one uploaded script with bash (argv quoted, `stdin` as its input). Output lines go to `onOutput` redacted
 * (known secrets included); a non-zero exit throws {@link KubeadmScriptError}.
 */
export async function runUploadedScript(
  session: SshSession,
  dir: string,
  script: string,
  options: RunOptions & { readonly args?: readonly string[]; readonly stdin?: string; readonly secrets?: readonly string[] } = {},
): Promise<void> {
  const secrets = options.secrets ?? [];
  let step: string | undefined;
  const redacted: string[] = [];
  const result = await session.exec([...sudoPrefix(options), 'bash', `${dir}/${script}`, ...(options.args ?? [])], {
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    onLine: (line, stream) => {
      const m = stepMarker.exec(line);
      if (m) step = m[1];
      const safe = redactKubeadmSecrets(line, secrets);
      redacted.push(safe);
      if (redacted.length > 20) redacted.shift();
      options.onOutput?.(safe, stream);
    },
  });
  if (result.code === 0) return;
  const where = formatSshTarget(session.target);
  const how = result.code === null ? `was killed (${result.signal ?? 'signal'})` : `failed with exit code ${result.code}`;
  throw new KubeadmScriptError(
    `${script} ${how} on ${where}${step ? ` at step "${step}"` : ''}; the remaining steps were not run. Fix the cause shown in the output, then run it again.`,
    script,
    result.code,
    step,
    redacted,
  );
}

/** Uploads kubeadm-config.yaml, the scripts and the CNI note, runs bootstrap-control-plane.sh, removes the temp dir. */
export async function runBootstrap(session: SshSession, files: readonly GeneratedFile[], options: RunOptions = {}): Promise<void> {
  if (!files.some((f) => f.name === bootstrapScriptFile))
    throw new ClusterDeckError('invalid', `${bootstrapScriptFile} is missing; generate the files again.`);
  const dir = await uploadFiles(session, files, options.signal);
  try {
    await runUploadedScript(session, dir, bootstrapScriptFile, options);
  } finally {
    await removeDir(session, dir);
  }
}

/** Uploads join-worker.sh and runs it with the join command on stdin (never in argv, a file or a log). */
export async function runJoinWorker(
  session: SshSession,
  files: readonly GeneratedFile[],
  joinCommand: string,
  options: RunOptions = {},
): Promise<void> {
  const join = files.find((f) => f.name === joinScriptFile);
  if (!join) throw new ClusterDeckError('invalid', `${joinScriptFile} is missing; generate the files again.`);
  const dir = await uploadFiles(session, [join], options.signal);
  try {
    await runUploadedScript(session, dir, joinScriptFile, { ...options, stdin: `${joinCommand.trim()}\n`, secrets: tokensIn(joinCommand) });
  } finally {
    await removeDir(session, dir);
  }
}

/**
 * `kubeadm token create --print-join-command` on the control plane. Returns the command line (it holds a new
 * bootstrap token, valid 24 h): nothing of its output reaches a log or a sink; errors carry redacted text only.
 */
export async function printJoinCommand(
  session: SshSession,
  options: { sudo?: boolean; signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<string> {
  const where = formatSshTarget(session.target);
  const stderr: string[] = [];
  const result = await session.exec([...sudoPrefix(options), 'kubeadm', 'token', 'create', '--print-join-command'], {
    captureStdout: true,
    timeoutMs: options.timeoutMs ?? 60_000,
    ...(options.signal ? { signal: options.signal } : {}),
    onLine: (line, stream) => {
      if (stream === 'stderr') stderr.push(redactKubeadmSecrets(line));
    },
  });
  const line = result.stdout
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => /^kubeadm join \S+ .*--token \S+/.test(l))
    .pop();
  if (result.code !== 0 || !line) {
    const tail = stderr.filter(Boolean).slice(-1)[0];
    throw new ClusterDeckError(
      'serverError',
      `kubeadm token create failed on ${where}${result.code ? ` (exit code ${result.code})` : ''}${tail ? `: ${tail}` : ''}. Check that this is an initialised control-plane node.`,
    );
  }
  return line;
}

export interface ImportOptions extends Omit<ImportDeps, 'readText' | 'write'> {
  /** The name for the context and cluster (the user becomes `<name>-admin`). */
  readonly name: string;
  /** Default /etc/kubernetes/admin.conf (tests point it into a temporary root). */
  readonly adminConfPath?: string;
  readonly sudo?: boolean;
  readonly signal?: AbortSignal;
  /** For the backup's timestamp. */
  readonly now?: Date;
}

/** Reads admin.conf over SSH (`cat`, with sudo when asked) and merges it renamed into the kubeconfig, with a backup. */
export async function importCluster(session: SshSession, options: ImportOptions): Promise<ImportOutcome> {
  const path = options.adminConfPath ?? '/etc/kubernetes/admin.conf';
  const where = formatSshTarget(session.target);
  const result = await session.exec([...sudoPrefix(options), 'cat', '--', path], {
    captureStdout: true,
    timeoutMs: 60_000,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (result.code !== 0 || !result.stdout.trim()) {
    throw new ClusterDeckError(
      result.code === 1 ? 'notFound' : 'serverError',
      `Cannot read ${path} on ${where}${result.code ? ` (exit code ${result.code})` : ''}; check that kubeadm init ran there and the user may read it (sudo).`,
    );
  }
  return importAdminKubeconfig(result.stdout, options.name, {
    targetPath: options.targetPath,
    confirmReplace: options.confirmReplace,
    readText: readKubeconfigText,
    write: (p, text) => writeKubeconfig(p, text, options.now ? { now: options.now } : {}),
  });
}
