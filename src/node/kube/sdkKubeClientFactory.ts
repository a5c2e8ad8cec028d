import { ClusterDeckError } from '../../core/errors';
import type { KubeClient, KubeClientFactory } from '../../core/kube/kubeClient';
import type { ResolvedContext } from '../../core/kube/kubeconfig';
import type { ExecApprovals } from '../../core/kube/execApproval';
import { execApprovalKey } from '../../core/kube/execApproval';
import { installHint } from '../../core/kube/installHints';
import { findExecutable } from './findExecutable';
import { loadKubeSdk } from './loadKubeSdk';

export interface SdkKubeClientFactoryOptions {
  readonly requestTimeoutMs: () => number;
  readonly approvals: ExecApprovals;
  /** Workspace Trust, asked at the moment a client (and maybe a credential process) would be created. */
  readonly isTrusted: () => boolean;
  readonly onRequest?: (line: string) => void;
}

/**
 * Creates KubeClients over @kubernetes/client-node. Refuses in an untrusted workspace and refuses exec
 * credential plugins the user has not approved (the exact command, args and env), before loading anything.
 */
export class SdkKubeClientFactory implements KubeClientFactory {
  constructor(private readonly options: SdkKubeClientFactoryOptions) {}

  async createClient(resolved: ResolvedContext): Promise<KubeClient> {
    if (!this.options.isTrusted()) {
      throw new ClusterDeckError(
        'untrusted',
        'ClusterDeck does not contact clusters in Restricted Mode; trust this workspace to browse them.',
      );
    }
    const exec = resolved.user.exec;
    let target = resolved;
    if (exec) {
      // A missing plugin is explained before anything else: approving or retrying cannot help.
      const found = findExecutable(exec.command, { env: process.env });
      if (!found.path) {
        const hint = installHint(exec.command, exec.installHint);
        throw new ClusterDeckError(
          'missingPlugin',
          `The credential plugin "${exec.command}" of user "${resolved.user.name}" is not installed${hint ? `: ${hint.split('\n')[0] ?? ''}` : '.'}`,
          { binary: exec.command, file: resolved.user.sourcePath },
        );
      }
      // Run the binary we found (PATH or a usual install dir such as ~/google-cloud-sdk/bin).
      target = { ...resolved, user: { ...resolved.user, exec: { ...exec, command: found.path } } };
    }
    if (exec && !this.options.approvals.isApproved(execApprovalKey(resolved.user))) {
      throw new ClusterDeckError(
        'needsApproval',
        `Context "${resolved.context.name}" runs the credential plugin "${exec.command}"; approve it before ClusterDeck runs it.`,
        { binary: exec.command, file: resolved.user.sourcePath },
      );
    }
    const sdk = await loadKubeSdk();
    return sdk.createSdkKubeClient(target, {
      requestTimeoutMs: this.options.requestTimeoutMs(),
      ...(this.options.onRequest ? { onRequest: this.options.onRequest } : {}),
    });
  }
}
