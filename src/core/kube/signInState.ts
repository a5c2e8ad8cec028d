import type { ExecPrompt } from './execCredential';

/** A context whose credential plugin asked the user to sign in (device code, username prompt). */
export interface SignInRequired {
  /** What the plugin asked, secrets redacted. */
  readonly prompt: ExecPrompt;
  /** Epoch milliseconds of the prompt. */
  readonly sinceMs: number;
  /** The plugin is still waiting for the user; false once it gave up (timeout, failure) without a credential. */
  readonly waiting: boolean;
}

/**
 * Which contexts need a sign-in right now (reliability B22): set when a credential plugin prints an interactive
 * prompt, kept (no longer waiting) when that run fails or times out, cleared when a run of the context succeeds.
 * Listeners hear the context name on every change; the Clusters view redraws that context's node.
 */
export class SignInState {
  private readonly byContext = new Map<string, SignInRequired>();
  private readonly listeners = new Set<(contextName: string) => void>();

  constructor(private readonly now: () => number = Date.now) {}

  get(contextName: string): SignInRequired | undefined {
    return this.byContext.get(contextName);
  }

  /** The plugin of `contextName` printed `prompt` and waits. */
  prompted(contextName: string, prompt: ExecPrompt): void {
    this.byContext.set(contextName, { prompt, sinceMs: this.now(), waiting: true });
    this.emit(contextName);
  }

  /** A plugin run of `contextName` ended: with a credential (`ok`) the sign-in is done, else it is still required. */
  settled(contextName: string, ok: boolean): void {
    const current = this.byContext.get(contextName);
    if (!current) return;
    if (ok) this.byContext.delete(contextName);
    else if (current.waiting) this.byContext.set(contextName, { ...current, waiting: false });
    else return;
    this.emit(contextName);
  }

  /** Subscribes; returns the unsubscribe function. */
  onDidChange(listener: (contextName: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(contextName: string): void {
    for (const l of [...this.listeners]) l(contextName);
  }
}

/** What a context's tree node shows for a pending sign-in: a description badge and a tooltip paragraph (plain text). */
export function describeSignIn(state: SignInRequired | undefined): { readonly badge: string; readonly tooltip: string } | undefined {
  if (!state) return undefined;
  return {
    badge: 'Sign-in required',
    tooltip: state.waiting
      ? `Sign-in required: the credential plugin waits for you. ${state.prompt.text}`
      : `Sign-in required: the credential plugin stopped before you signed in (${state.prompt.text}). Refresh to try again.`,
  };
}
