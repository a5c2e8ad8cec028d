// kubeadm commands (thin): Generate (wizard → kubeadm/<cluster>/ in the workspace), Run over SSH (output in a
// terminal), Print Join Command, Import Cluster. Registering them loads nothing: the commands' code and the kubeadm
// core (core/provisioning/kubeadm) are in kubeadmActions.ts, its own esbuild chunk (dist/kubeadmActions.js) that the
// first kubeadm command loads; ssh2 is a further chunk (dist/kubeadmSsh.js) behind the KubeadmRemote port.
import * as vscode from 'vscode';
import type { KubeadmRemote } from '../../core/provisioning/kubeadm/kubeadmRemote';
import type { KubeadmSpec } from '../../core/provisioning/kubeadm/kubeadmSpec';
import { commandIds } from '../commandIds';
import type { Log } from '../shared/log';
import { registerCommand } from '../shared/runCommand';
import { requireTrust } from './kubeadmTrust';
import type { WizardStep } from '../../core/wizard/wizard';

export interface KubeadmCommandDeps {
  readonly log: Log;
  /** Loads the ssh2 chunk (dist/kubeadmSsh.js) on first use. */
  readonly remote: () => Promise<KubeadmRemote>;
  /** ~/.ssh/known_hosts */
  readonly knownHostsPath: () => string;
  /** SSH_AUTH_SOCK of the editor's environment, if any. */
  readonly agentSocket: () => string | undefined;
  /** The usual private keys that exist (~/.ssh/id_ed25519, id_ecdsa, id_rsa). */
  readonly defaultKeys: () => readonly string[];
  /** The kubeconfig file Import writes (the file defining `name` already, else where kubectl writes new entries). */
  readonly kubeconfigTarget: (name: string) => Promise<string>;
  /** After an import: the Clusters view re-reads the kubeconfig. */
  readonly refreshClusters: () => void;
  /** Runs the wizard's steps; default the shared QuickPick/InputBox renderer (tests pass a scripted one). */
  readonly runWizard?: <S>(title: string, steps: readonly WizardStep<S>[], initial: S) => Promise<S | undefined>;
}

/** Loads the commands' chunk (dist/kubeadmActions.js) on first use; the build keeps this a runtime require. */
const actions = () => import('./kubeadmActions');

/** The four kubeadm commands. The SSH ones refuse in Restricted Mode before anything loads or connects. */
export function registerKubeadmCommands(deps: KubeadmCommandDeps): vscode.Disposable[] {
  const { log } = deps;
  return [
    registerCommand(commandIds.kubeadmGenerate, async (prefill?: Partial<KubeadmSpec>) => (await actions()).generate(deps, prefill), log),
    registerCommand(
      commandIds.kubeadmRunOverSsh,
      async (folder?: vscode.Uri) => {
        requireTrust('Run over SSH');
        return (await actions()).runOverSsh(deps, folder);
      },
      log,
    ),
    registerCommand(
      commandIds.kubeadmPrintJoinCommand,
      async () => {
        requireTrust('Print Join Command');
        return (await actions()).printJoin(deps);
      },
      log,
    ),
    registerCommand(
      commandIds.kubeadmImportCluster,
      async () => {
        requireTrust('Import Cluster');
        return (await actions()).importCluster(deps);
      },
      log,
    ),
  ];
}
