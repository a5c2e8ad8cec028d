// The KubeadmRemote port over ssh2: one connection per host per call, closed before returning. Built as its own
// lazy chunk (dist/kubeadmSsh.js) so activation never loads ssh2.
import type { KubeadmRemote, RemoteRunOptions, SshHostOptions } from '../../../core/provisioning/kubeadm/kubeadmRemote';
import { formatSshTarget } from '../../../core/provisioning/kubeadm/sshTarget';
import { importCluster, printJoinCommand, runBootstrap, runJoinWorker } from './kubeadmOverSsh';
import { connectSsh, type SshSession } from './sshSession';

export interface KubeadmRemoteOptions {
  /** One line per SSH call (connect, exec, sftp); never a secret. */
  readonly onRequest?: (line: string) => void;
}

export function createKubeadmRemote(options: KubeadmRemoteOptions = {}): KubeadmRemote {
  const open = (host: SshHostOptions, signal: AbortSignal | undefined): Promise<SshSession> =>
    connectSsh({
      target: host.target,
      auth: host.auth,
      knownHostsPath: host.knownHostsPath,
      confirmFirstContact: host.confirmFirstContact,
      ...(host.askPassphrase ? { askPassphrase: host.askPassphrase } : {}),
      ...(signal ? { signal } : {}),
      ...(options.onRequest ? { onRequest: options.onRequest } : {}),
    });
  const withSession = async <T>(host: SshHostOptions, signal: AbortSignal | undefined, fn: (s: SshSession) => Promise<T>): Promise<T> => {
    const session = await open(host, signal);
    try {
      return await fn(session);
    } finally {
      session.close();
    }
  };
  const sink = (host: SshHostOptions, run: RemoteRunOptions | undefined) => {
    const name = formatSshTarget(host.target);
    return run?.onOutput ? { onOutput: (line: string, stream: 'stdout' | 'stderr') => run.onOutput!(line, stream, name) } : {};
  };
  return {
    bootstrap: (host, files, run) =>
      withSession(host, run?.signal, (s) =>
        runBootstrap(s, files, { sudo: host.sudo ?? false, ...sink(host, run), ...(run?.signal ? { signal: run.signal } : {}) }),
      ),
    joinWorkers: async (controlPlane, workers, files, run) => {
      if (workers.length === 0) return;
      const joinCommand = await withSession(controlPlane, run?.signal, (s) =>
        printJoinCommand(s, { sudo: controlPlane.sudo ?? false, ...(run?.signal ? { signal: run.signal } : {}) }),
      );
      for (const worker of workers) {
        await withSession(worker, run?.signal, (s) =>
          runJoinWorker(s, files, joinCommand, {
            sudo: worker.sudo ?? false,
            ...sink(worker, run),
            ...(run?.signal ? { signal: run.signal } : {}),
          }),
        );
      }
    },
    printJoinCommand: (host, run) =>
      withSession(host, run?.signal, (s) =>
        printJoinCommand(s, { sudo: host.sudo ?? false, ...(run?.signal ? { signal: run.signal } : {}) }),
      ),
    importCluster: (host, o) =>
      withSession(host, o.signal, (s) =>
        importCluster(s, {
          name: o.name,
          targetPath: o.targetPath,
          confirmReplace: o.confirmReplace,
          sudo: host.sudo ?? false,
          ...(o.adminConfPath ? { adminConfPath: o.adminConfPath } : {}),
          ...(o.signal ? { signal: o.signal } : {}),
        }),
      ),
  };
}
