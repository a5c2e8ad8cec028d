import * as vscode from 'vscode';
import type { ExecPrompt } from '../../core/kube/execCredential';
import type { Log } from './log';

/**
 * Shows a credential plugin's interactive prompt (device-code login) as a notification with "Copy Code" and
 * "Open URL", so a plugin waiting for the user is never an endless spinner. Only https URLs are offered.
 */
export function showExecPrompt(contextName: string, prompt: ExecPrompt, log: Log): void {
  log.info('auth', `the credential plugin of "${contextName}" asks: ${prompt.text}`);
  const url = prompt.url?.startsWith('https://') ? prompt.url : undefined;
  const actions = [...(prompt.code ? ['Copy Code'] : []), ...(url ? ['Open URL'] : [])];
  void vscode.window.showInformationMessage(`Sign-in for context "${contextName}": ${prompt.text}`, ...actions).then(async (picked) => {
    if (picked === 'Copy Code' && prompt.code) {
      await vscode.env.clipboard.writeText(prompt.code);
      if (url) {
        const next = await vscode.window.showInformationMessage(`Code ${prompt.code} copied. Open ${url}?`, 'Open URL');
        if (next === 'Open URL') await vscode.env.openExternal(vscode.Uri.parse(url));
      }
    } else if (picked === 'Open URL' && url) await vscode.env.openExternal(vscode.Uri.parse(url));
  });
}
