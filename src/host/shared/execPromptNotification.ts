import * as vscode from 'vscode';
import { externalUrlRefusal } from '../../core/externalUrls';
import type { ExecPrompt } from '../../core/kube/execCredential';
import type { Log } from './log';

/**
 * Shows a credential plugin's interactive prompt (device-code login) as a notification with "Copy Code" and
 * "Open URL", so a plugin waiting for the user is never an endless spinner. Only https URLs on a known sign-in
 * host are opened (goal S10); any other address is offered for copying.
 */
export function showExecPrompt(contextName: string, prompt: ExecPrompt, log: Log): void {
  log.info('auth', `the credential plugin of "${contextName}" asks: ${prompt.text}`);
  const refusal = prompt.url ? externalUrlRefusal(prompt.url) : undefined;
  if (prompt.url && refusal) log.warn('auth', `not opening the sign-in address of "${contextName}": ${refusal}`);
  const url = prompt.url && !refusal ? prompt.url : undefined;
  const copyUrl = prompt.url && refusal ? prompt.url : undefined;
  const actions = [...(prompt.code ? ['Copy Code'] : []), ...(url ? ['Open URL'] : []), ...(copyUrl ? ['Copy URL'] : [])];
  void vscode.window.showInformationMessage(`Sign-in for context "${contextName}": ${prompt.text}`, ...actions).then(async (picked) => {
    if (picked === 'Copy Code' && prompt.code) {
      await vscode.env.clipboard.writeText(prompt.code);
      if (url) {
        const next = await vscode.window.showInformationMessage(`Code ${prompt.code} copied. Open ${url}?`, 'Open URL');
        if (next === 'Open URL') await vscode.env.openExternal(vscode.Uri.parse(url));
      }
    } else if (picked === 'Open URL' && url) await vscode.env.openExternal(vscode.Uri.parse(url));
    else if (picked === 'Copy URL' && copyUrl) await vscode.env.clipboard.writeText(copyUrl);
  });
}
