import { spawn } from 'node:child_process';
import { ClusterDeckError, CancelledError } from '../../core/errors';
import {
  describePlugin,
  detectExecPrompt,
  parseExecCredential,
  type ExecCredential,
  type ExecPrompt,
} from '../../core/kube/execCredential';
import type { ExecPluginConfig } from '../../core/kube/kubeconfig';
import { redactSecrets } from '../../core/redact';

export interface RunExecPluginOptions {
  /** The plugin and everything it started are killed after this long (`clusterdeck.auth.execTimeoutSeconds`). */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** An interactive prompt on stderr (device-code login), reported as soon as its line arrives. */
  readonly onPrompt?: (prompt: ExecPrompt) => void;
  /** The environment the plugin inherits (default process.env); the kubeconfig's `env` is added on top. */
  readonly baseEnv?: NodeJS.ProcessEnv;
  /** `spec.cluster` of KUBERNETES_EXEC_INFO when the kubeconfig sets provideClusterInfo. */
  readonly cluster?: { readonly server: string; readonly certificateAuthorityData?: string; readonly insecureSkipTlsVerify?: boolean };
  readonly now?: () => number;
  /** The kubeconfig user entry, named in error messages. */
  readonly userName?: string;
}

const MAX_STDOUT_BYTES = 1024 * 1024;
/** Lines of a failed plugin's stderr shown to the user (reliability B23). */
const MAX_STDERR_LINES = 20;

/**
 * Runs an exec credential plugin the way client-go does, but without blocking: `spawn` with an argument array
 * (no shell), the kubeconfig's env plus KUBERNETES_EXEC_INFO, stdin closed (non-interactive), its own process
 * group so a timeout or cancel kills the whole tree. Resolves with the parsed ExecCredential; rejects with a
 * ClusterDeckError naming the plugin (`timeout`, `missingPlugin`, `badConfig` for a failure or bad output) or
 * CancelledError.
 */
export function runExecPlugin(exec: ExecPluginConfig, options: RunExecPluginOptions): Promise<ExecCredential> {
  const now = options.now ?? Date.now;
  const who = describePlugin({ command: exec.command, ...(options.userName ? { userName: options.userName } : {}) });
  const execInfo = {
    apiVersion: exec.apiVersion || 'client.authentication.k8s.io/v1beta1',
    kind: 'ExecCredential',
    spec: {
      interactive: false,
      ...(exec.provideClusterInfo && options.cluster
        ? {
            cluster: {
              server: options.cluster.server,
              ...(options.cluster.certificateAuthorityData
                ? { 'certificate-authority-data': options.cluster.certificateAuthorityData }
                : {}),
              ...(options.cluster.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
            },
          }
        : {}),
    },
  };
  const env: NodeJS.ProcessEnv = { ...(options.baseEnv ?? process.env), KUBERNETES_EXEC_INFO: JSON.stringify(execInfo) };
  for (const e of exec.env) env[e.name] = e.value;

  return new Promise<ExecCredential>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new CancelledError());
      return;
    }
    const child = spawn(exec.command, [...exec.args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group: kill(-pid) reaches the plugin's children too (a hung browser helper, a token cache daemon).
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    // What the plugin prints is shown to the user: the kubeconfig's env values (often secrets) never are.
    const envValues = exec.env.map((e) => e.value).filter((v) => v.length >= 4);
    const scrub = (text: string): string => redactSecrets(envValues.reduce((t, v) => t.split(v).join('<redacted>'), text));
    let settled = false;
    let stdout = '';
    let stdoutBytes = 0;
    let stderrPartial = '';
    // The first lines of stderr: where plugins print the error itself (the rest is often a stack or usage text).
    const stderrHead: string[] = [];
    const prompted = new Set<string>();
    const killTree = (): void => {
      if (child.pid === undefined) return;
      const kill = (sig: NodeJS.Signals): void => {
        try {
          if (process.platform === 'win32') child.kill(sig);
          else process.kill(-(child.pid as number), sig);
        } catch {
          /* already gone */
        }
      };
      kill('SIGTERM');
      setTimeout(() => kill('SIGKILL'), 1000).unref();
    };
    const finish = (err: unknown, credential?: ExecCredential): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err instanceof Error ? err : new Error('credential plugin failed', { cause: err }));
      else if (credential) resolve(credential);
    };
    const onAbort = (): void => {
      killTree();
      finish(new CancelledError());
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      killTree();
      finish(
        new ClusterDeckError(
          'timeout',
          `The credential plugin ${who} did not finish within ${Math.round(options.timeoutMs / 1000)} s; ClusterDeck stopped it.`,
          { binary: exec.command },
        ),
      );
    }, options.timeoutMs);

    const checkPrompt = (line: string): void => {
      const prompt = detectExecPrompt(scrub(line));
      if (!prompt || prompted.has(prompt.text)) return;
      prompted.add(prompt.text);
      options.onPrompt?.(prompt);
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdoutBytes += Buffer.byteLength(chunk);
      if (stdoutBytes > MAX_STDOUT_BYTES) {
        killTree();
        finish(new ClusterDeckError('badConfig', `The credential plugin ${who} printed more than 1 MiB.`, { binary: exec.command }));
        return;
      }
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderrPartial += chunk;
      const lines = stderrPartial.split(/\r?\n/);
      stderrPartial = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '') continue;
        if (stderrHead.length < MAX_STDERR_LINES) stderrHead.push(line);
        checkPrompt(line);
      }
      // A prompt without its newline yet (some plugins print it and wait) is still shown at once.
      if (stderrPartial.length > 20) checkPrompt(stderrPartial);
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      finish(
        e.code === 'ENOENT'
          ? new ClusterDeckError('missingPlugin', `The credential plugin "${exec.command}" is not installed.`, { binary: exec.command })
          : new ClusterDeckError('badConfig', `The credential plugin ${who} could not start (${e.code ?? e.message}).`, {
              binary: exec.command,
            }),
      );
    });
    child.on('close', (code, signal) => {
      if (settled) return;
      if (code !== 0) {
        const lines = [...stderrHead, stderrPartial]
          .filter((l) => l.trim() !== '')
          .slice(0, MAX_STDERR_LINES)
          .map((l) => scrub(l.trimEnd()).slice(0, 300));
        const [first, ...rest] = lines;
        finish(
          new ClusterDeckError(
            'badConfig',
            `The credential plugin ${who} failed (${signal ? `signal ${signal}` : `exit code ${code ?? '?'}`})${
              first
                ? `: ${first.trim()}${rest.length ? ` (and ${rest.length} more line${rest.length > 1 ? 's' : ''} of its output)` : ''}`
                : '.'
            }`,
            { binary: exec.command, ...(lines.length ? { output: lines } : {}) },
          ),
        );
        return;
      }
      try {
        finish(
          undefined,
          parseExecCredential(
            stdout,
            { command: exec.command, ...(options.userName ? { userName: options.userName } : {}) },
            exec.apiVersion || undefined,
            now(),
          ),
        );
      } catch (e) {
        finish(e);
      }
    });
  });
}
