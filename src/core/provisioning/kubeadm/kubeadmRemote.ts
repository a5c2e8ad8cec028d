// The port the host uses to run kubeadm work over SSH; node/provisioning/ssh/kubeadmSsh.ts implements it (a lazy
// chunk with ssh2). Each call opens one connection per host and closes it before returning.
import type { KubeconfigConflict } from '../../clouds/kubeconfigEntry';
import type { GeneratedFile } from './kubeadmFiles';
import type { ImportOutcome } from './kubeadmImport';
import type { SshTarget } from './sshTarget';

export type SshAuth =
  /** An ssh-agent socket (the composition root passes SSH_AUTH_SOCK; node/ never reads the environment). */
  | { readonly kind: 'agent'; readonly socket: string }
  /** A private key file; `passphrase` for an encrypted one (else `askPassphrase` is asked). */
  | { readonly kind: 'key'; readonly path: string; readonly passphrase?: string };

/** How to reach one host, and the questions the connection may ask. */
export interface SshHostOptions {
  readonly target: SshTarget;
  readonly auth: SshAuth;
  /** The known_hosts file checked and, after an approved first contact, appended to. */
  readonly knownHostsPath: string;
  /** Unknown host: `host:port` and `SHA256:…`; true = trust and remember it. */
  readonly confirmFirstContact: (host: string, fingerprintSha256: string, detail: { readonly keyType: string }) => Promise<boolean>;
  /** An encrypted key without a passphrase; undefined = cancel. */
  readonly askPassphrase?: (keyPath: string) => Promise<string | undefined>;
  /** `sudo -n` before commands (a non-root user with passwordless sudo). */
  readonly sudo?: boolean;
}

export interface RemoteRunOptions {
  /** Output lines with tokens and keys masked; `host` is `user@host:port`. */
  readonly onOutput?: (line: string, stream: 'stdout' | 'stderr', host: string) => void;
  readonly signal?: AbortSignal;
}

/** kubeadm over SSH. Errors are ClusterDeckError (a failed script: reason `serverError`, message names script, step, code). */
export interface KubeadmRemote {
  /** Uploads the files to the control plane and runs bootstrap-control-plane.sh. */
  bootstrap(host: SshHostOptions, files: readonly GeneratedFile[], options?: RemoteRunOptions): Promise<void>;
  /** Prints a join command on the control plane, then runs join-worker.sh on each worker in turn (stops at the first failure). */
  joinWorkers(
    controlPlane: SshHostOptions,
    workers: readonly SshHostOptions[],
    files: readonly GeneratedFile[],
    options?: RemoteRunOptions,
  ): Promise<void>;
  /** `kubeadm token create --print-join-command`: a secret, returned and never logged. */
  printJoinCommand(host: SshHostOptions, options?: { readonly signal?: AbortSignal }): Promise<string>;
  /** Fetches admin.conf and merges it renamed into `targetPath` (backup kept). */
  importCluster(
    host: SshHostOptions,
    options: {
      readonly name: string;
      readonly targetPath: string;
      readonly confirmReplace: (question: string, conflicts: readonly KubeconfigConflict[]) => Promise<boolean>;
      readonly adminConfPath?: string;
      readonly signal?: AbortSignal;
    },
  ): Promise<ImportOutcome>;
}
