import * as vscode from 'vscode';
import { commandIds } from '../commandIds';
import type { Log } from './log';
import type { OwnedSecrets } from './ownedSecrets';
import { registerCommand } from './runCommand';

export interface ForgetCredentialsDeps {
  readonly log: Log;
  readonly secrets: OwnedSecrets;
  /** Drops the credentials held in memory for clusters (exec plugins', in-process cloud tokens); returns how many. */
  readonly forgetClusterCredentials: () => number;
  /** Drops the cloud providers and the tokens they cache, and stops using the VS Code Azure session. */
  readonly forgetCloudCredentials: () => void;
}

/**
 * "Forget Credentials": removes what ClusterDeck holds (SecretStorage entries it created, tokens cached in memory).
 * The kubeconfig, the clouds' own stores (~/.aws, gcloud, the VS Code accounts) and exec-plugin approvals are not
 * touched: they are the user's, and the message says so.
 */
export function registerForgetCredentials(deps: ForgetCredentialsDeps): vscode.Disposable {
  return registerCommand(
    commandIds.credentialsForget,
    async (): Promise<number | undefined> => {
      const ok = await vscode.window.showWarningMessage(
        'Forget the credentials ClusterDeck holds?',
        {
          modal: true,
          detail:
            'Removes the secrets ClusterDeck stored (e.g. Prometheus tokens) and the cluster and cloud tokens it caches in memory. Your kubeconfig files, cloud CLI logins, VS Code accounts and exec-plugin approvals are left as they are.',
        },
        'Forget',
      );
      if (ok !== 'Forget') return undefined;
      const stored = await deps.secrets.deleteAll();
      const cached = deps.forgetClusterCredentials();
      deps.forgetCloudCredentials();
      deps.log.info('security', `forgot ${stored} stored secret(s) and ${cached} cached cluster credential(s)`);
      void vscode.window.showInformationMessage(
        `ClusterDeck forgot ${stored} stored secret${stored === 1 ? '' : 's'} and ${cached} cached cluster credential${cached === 1 ? '' : 's'}; cloud tokens will be asked for again.`,
      );
      return stored + cached;
    },
    deps.log,
  );
}
