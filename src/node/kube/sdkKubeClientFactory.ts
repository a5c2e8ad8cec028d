import { ClusterDeckError, isCancellation } from '../../core/errors';
import type { KubeClient, KubeClientFactory } from '../../core/kube/kubeClient';
import type { ResolvedContext } from '../../core/kube/kubeconfig';
import type { ExecApprovals } from '../../core/kube/execApproval';
import { execApprovalKey } from '../../core/kube/execApproval';
import { authProviderMigration, installHint } from '../../core/kube/installHints';
import { decidePlainHttp } from '../../core/kube/plainHttp';
import type { ExecCredential, ExecPrompt } from '../../core/kube/execCredential';
import type { SignInState } from '../../core/kube/signInState';
import { createExecAuthClient, ExecCredentialCache, withExecCredential } from './execAuthClient';
import { runExecPlugin } from './execPluginRunner';
import { findExecutable } from './findExecutable';
import { loadKubeSdk } from './loadKubeSdk';
import { mergePaths, readLoginShellPath } from './loginShellPath';
import { isOwnTokenCommand, recognizeCloudExec, type CloudTokenRequest } from '../../core/clouds/cloudExec';
import type { ClusterToken } from '../../core/clouds/cloudProvider';

export interface SdkKubeClientFactoryOptions {
  readonly requestTimeoutMs: () => number;
  readonly approvals: ExecApprovals;
  /** Workspace Trust, asked at the moment a client (and maybe a credential process) would be created. */
  readonly isTrusted: () => boolean;
  readonly onRequest?: (line: string) => void;
  /** Contexts the user allowed to use plain http, loopback included (`clusterdeck.clusters.allowPlainHttp`, B14). */
  readonly allowPlainHttp?: (contextName: string) => boolean;
  /**
   * In-process cloud tokens (the clouds' SDKs) standing in for a cloud credential plugin that is not installed,
   * or for ClusterDeck's own `clusterdeck token …`: nothing is run, so no approval is needed. Absent: plugins only.
   */
  readonly cloudTokens?: (request: CloudTokenRequest, signal?: AbortSignal) => Promise<ClusterToken>;
  /** `clusterdeck.auth.execTimeoutSeconds` in ms (default 60 s): then the plugin's process tree is killed. */
  readonly execTimeoutMs?: () => number;
  /** A credential plugin asks the user to do something (device-code login): show it at once. */
  readonly onExecPrompt?: (contextName: string, prompt: ExecPrompt) => void;
  /** Contexts whose plugin asked for a sign-in (set on the prompt, cleared when a run of that context succeeds). */
  readonly signIns?: SignInState;
  /** The login shell's PATH (searched before the editor's own for plugins); default: `$SHELL -l -c env`, once. */
  readonly loginShellPath?: () => Promise<string>;
}

/**
 * Creates KubeClients over @kubernetes/client-node. Refuses in an untrusted workspace and refuses exec
 * credential plugins the user has not approved (the exact command, args and env), before loading anything.
 */
export class SdkKubeClientFactory implements KubeClientFactory {
  /** Exec credentials, shared by every client of the same kubeconfig user and plugin command. */
  private readonly credentials = new ExecCredentialCache();
  private loginPath: Promise<string> | undefined;

  constructor(private readonly options: SdkKubeClientFactoryOptions) {}

  /** Drops every credential held in memory (exec plugins' and in-process cloud tokens); returns how many. */
  forgetCredentials(): number {
    return this.credentials.clear();
  }

  async createClient(resolved: ResolvedContext): Promise<KubeClient> {
    if (!this.options.isTrusted()) {
      throw new ClusterDeckError(
        'untrusted',
        'ClusterDeck does not contact clusters in Restricted Mode; trust this workspace to browse them.',
      );
    }
    // Plain http (B14) is decided before any plugin runs or any token is fetched: no credential is made for nothing.
    decidePlainHttp(resolved, this.options.allowPlainHttp?.(resolved.context.name) ?? false);
    const exec = resolved.user.exec;
    const u = resolved.user;
    if (u.authProviderName && !exec && !u.token && !u.tokenFile && !u.clientCertificateData && !u.clientCertificateFile) {
      // client-node would send such a request without credentials; say what to do instead (catalogue B31).
      throw new ClusterDeckError(
        'badConfig',
        `User "${u.name}" uses the legacy auth-provider "${u.authProviderName}", which Kubernetes clients no longer run; ${authProviderMigration(u.authProviderName)}.`,
        { file: u.sourcePath },
      );
    }
    let target = resolved;
    let pluginPath: string | undefined;
    const cloudRequest = exec && this.options.cloudTokens ? recognizeCloudExec(exec) : undefined;
    if (exec && cloudRequest && isOwnTokenCommand(exec)) return this.inProcessClient(resolved, cloudRequest);
    if (exec) {
      // A missing plugin is explained before anything else: approving or retrying cannot help. The login shell's
      // PATH comes first (an editor started from a launcher often lacks Homebrew's or gcloud's directories).
      this.loginPath ??= (this.options.loginShellPath ?? (() => readLoginShellPath()))().catch(() => '');
      const path = mergePaths(await this.loginPath, process.env.PATH);
      const found = findExecutable(exec.command, { env: { ...process.env, PATH: path } });
      // A cloud's plugin: the extension's own connection uses the cloud's SDK in-process (no process, no approval).
      // Only when that fails and the user has approved the installed plugin does the plugin run instead.
      if (cloudRequest) {
        const approved = found.path !== undefined && this.options.approvals.isApproved(execApprovalKey(resolved.user));
        if (!approved || !found.path) return this.inProcessClient(resolved, cloudRequest);
        const withPlugin = { ...resolved, user: { ...resolved.user, exec: { ...exec, command: found.path } } };
        return this.inProcessClient(resolved, cloudRequest, this.pluginRunner(resolved, withPlugin, path));
      }
      if (!found.path) {
        const hint = installHint(exec.command, exec.installHint);
        throw new ClusterDeckError(
          'missingPlugin',
          `The credential plugin "${exec.command}" of user "${resolved.user.name}" is not installed${hint ? `: ${hint.split('\n')[0] ?? ''}` : '.'} (Kubeconfig: ${resolved.user.sourcePath}; searched the login shell's PATH and the usual install directories.)`,
          { binary: exec.command, file: resolved.user.sourcePath },
        );
      }
      // Run the binary we found (PATH or a usual install dir such as ~/google-cloud-sdk/bin).
      target = { ...resolved, user: { ...resolved.user, exec: { ...exec, command: found.path } } };
      pluginPath = path;
    }
    if (exec && this.options.approvals.isDenied?.(execApprovalKey(resolved.user))) {
      // The user denied exactly this plugin (file, user, command, args, env): nothing runs, no prompt again.
      throw new ClusterDeckError(
        'needsApproval',
        `You denied the credential plugin "${exec.command}" of context "${resolved.context.name}"; ClusterDeck does not run it (review it to change that).`,
        { binary: exec.command, file: resolved.user.sourcePath },
      );
    }
    if (exec && !this.options.approvals.isApproved(execApprovalKey(resolved.user))) {
      throw new ClusterDeckError(
        'needsApproval',
        `Context "${resolved.context.name}" runs the credential plugin "${exec.command}"; approve it before ClusterDeck runs it.`,
        { binary: exec.command, file: resolved.user.sourcePath },
      );
    }
    const sdk = await loadKubeSdk();
    const clientOptions = {
      requestTimeoutMs: this.options.requestTimeoutMs(),
      ...(this.options.onRequest ? { onRequest: this.options.onRequest } : {}),
      ...(this.options.allowPlainHttp ? { allowPlainHttp: this.options.allowPlainHttp } : {}),
    };
    const approvedExec = target.user.exec;
    if (!approvedExec) return sdk.createSdkKubeClient(target, clientOptions);
    // Our own runner instead of client-node's (which blocks the extension host and has no timeout): approved above.
    const key = execApprovalKey(resolved.user);
    const run = this.pluginRunner(resolved, target, pluginPath);
    return createExecAuthClient(
      () => this.credentials.get(key, run),
      (credential) => this.credentials.invalidate(key, credential),
      (credential) => sdk.createSdkKubeClient(withExecCredential(target, credential), clientOptions),
    );
  }

  /**
   * Runs the (approved, found) plugin of `target` with our runner: timeout, prompts, cluster info, and `path` (the
   * login shell's PATH merged with ours) as its PATH, so a plugin that calls `python3` or `gcloud` finds them too.
   */
  private pluginRunner(resolved: ResolvedContext, target: ResolvedContext, path?: string): () => Promise<ExecCredential> {
    const exec = target.user.exec;
    if (!exec) throw new Error('no exec plugin');
    const { cluster } = target;
    const contextName = resolved.context.name;
    const signIns = this.options.signIns;
    return () =>
      runExecPlugin(exec, {
        timeoutMs: this.options.execTimeoutMs?.() ?? 60_000,
        userName: resolved.user.name,
        ...(path ? { baseEnv: { ...process.env, PATH: path } } : {}),
        onPrompt: (prompt) => {
          signIns?.prompted(contextName, prompt);
          this.options.onExecPrompt?.(contextName, prompt);
        },
        cluster: {
          server: cluster.server,
          ...(cluster.certificateAuthorityData ? { certificateAuthorityData: cluster.certificateAuthorityData } : {}),
          ...(cluster.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
        },
      }).then(
        (credential) => {
          signIns?.settled(contextName, true);
          return credential;
        },
        (e: unknown) => {
          signIns?.settled(contextName, false);
          throw e;
        },
      );
  }

  /**
   * A client whose bearer token comes from the cloud's SDK (cached until a minute before expiry, renewed on 401);
   * `fallback` (the user's approved plugin) makes the credential when the in-process token cannot be had.
   */
  private async inProcessClient(
    resolved: ResolvedContext,
    request: CloudTokenRequest,
    fallback?: () => Promise<ExecCredential>,
  ): Promise<KubeClient> {
    const cloudTokens = this.options.cloudTokens;
    if (!cloudTokens) throw new Error('no cloud token source');
    const sdk = await loadKubeSdk();
    const clientOptions = {
      requestTimeoutMs: this.options.requestTimeoutMs(),
      ...(this.options.onRequest ? { onRequest: this.options.onRequest } : {}),
      ...(this.options.allowPlainHttp ? { allowPlainHttp: this.options.allowPlainHttp } : {}),
    };
    const key = `cloud:${execApprovalKey(resolved.user)}`;
    const fetchToken = async (): Promise<ExecCredential> => {
      let t: ClusterToken;
      try {
        t = await cloudTokens(request);
      } catch (e) {
        if (!fallback || isCancellation(e)) throw e;
        this.options.onRequest?.(`> ${request.cloud} in-process token for ${resolved.context.name} failed; running the approved plugin`);
        return fallback();
      }
      this.options.onRequest?.(`> ${request.cloud} in-process token for ${resolved.context.name} (no credential plugin run)`);
      return { token: t.token, expiresAtMs: t.expiresAt.getTime() };
    };
    const target = { ...resolved, user: { ...resolved.user, exec: undefined } };
    return createExecAuthClient(
      () => this.credentials.get(key, fetchToken),
      (credential) => this.credentials.invalidate(key, credential),
      (credential) => sdk.createSdkKubeClient(withExecCredential(target, credential), clientOptions),
    );
  }
}
