import * as vscode from 'vscode';

/** What a destructive action does, named completely: kind, namespace/name, context and server. */
export interface DestructiveAction {
  readonly verb: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly contextName: string;
  readonly server: string;
  /** What exactly happens (e.g. the target revision of a rollback); replaces "This cannot be undone." */
  readonly detail?: string;
  /** The question, when the default "<Verb> <kind> "<ns>/<name>"?" does not fit (several objects). */
  readonly title?: string;
  /** Ask the user to type this (namespaces, clusters, bulk deletes) instead of clicking once. */
  readonly typeToConfirm?: string;
  /** What else happens, in a sentence or two (e.g. "the data in object storage is deleted too"). */
  readonly consequence?: string;
  /** Where it is, when that is not a kube context (a cloud resource: "AWS (EKS) · profile prod · eu-west-1"). */
  readonly where?: string;
}

/**
 * The one confirmation of every destructive action: a modal naming what and where; for the riskiest ones the
 * user types the name. Resolves true only on an explicit confirmation.
 */
export async function confirmDestructive(a: DestructiveAction): Promise<boolean> {
  const what = `${a.kind} "${a.namespace ? `${a.namespace}/` : ''}${a.name}"`;
  const button = a.verb.charAt(0).toUpperCase() + a.verb.slice(1);
  const choice = await vscode.window.showWarningMessage(
    a.title ?? `${button} ${what}?`,
    {
      modal: true,
      detail: `${a.consequence ? `${a.consequence}\n\n` : ''}${a.where ? `Where: ${a.where}` : `Context: ${a.contextName}\nServer: ${a.server}`}\n\n${a.detail ?? 'This cannot be undone.'}`,
    },
    button,
  );
  if (choice !== button) return false;
  if (!a.typeToConfirm) return true;
  const typed = await vscode.window.showInputBox({
    title: a.title ?? `${button} ${what} on ${a.contextName}`,
    prompt: `Type "${a.typeToConfirm}" to confirm${a.consequence ? `. ${a.consequence}` : ''}`,
    validateInput: (v) => (v === a.typeToConfirm ? undefined : `Type "${a.typeToConfirm}" exactly`),
  });
  return typed === a.typeToConfirm;
}
