// Wizards are data plus a small engine (STYLE.md §2.4). Steps live in core next to the spec they build; one
// renderer (host/shared/wizardRenderer.ts) shows them as QuickPick/InputBox with "n of m", Back, validation as you
// type and a busy state while choices load. A tree node pre-fills answers: answered steps are skipped.

/** One item of a pick step. `value` is what `apply` receives; `isDefault` marks the proposed default. */
export interface WizardChoice {
  readonly label: string;
  readonly value: string;
  readonly description?: string;
  readonly detail?: string;
  /** Proposed default: shown first-selected and marked "(default)". */
  readonly isDefault?: boolean;
  /** Multi-pick steps: ticked at start. */
  readonly picked?: boolean;
}

interface BaseStep<S> {
  /** Stable id (e.g. "region"); pre-filled answers and renderers refer to it. */
  readonly id: string;
  /** Short title shown as "<wizard title>: <step title> (n/m)". */
  readonly title: string;
  /** Whether the step applies to this state at all (e.g. "public CIDRs" only when the endpoint is public). */
  readonly when?: (state: S) => boolean;
  /** Whether the state already answers it (a tree node pre-filled it): then it is skipped and not counted. */
  readonly isAnswered?: (state: S) => boolean;
}

/** Free text, validated as the user types. */
export interface InputStep<S> extends BaseStep<S> {
  readonly kind: 'input';
  readonly prompt: string;
  readonly placeholder?: string;
  /** The proposed value (the default, or the current answer when coming Back). */
  readonly value?: (state: S) => string | undefined;
  /** A message when `value` is not acceptable, undefined when it is. */
  readonly validate: (value: string, state: S) => string | undefined;
  readonly apply: (state: S, value: string) => S;
}

/** One choice among loaded items. */
export interface PickStep<S> extends BaseStep<S> {
  readonly kind: 'pick';
  readonly placeholder?: string;
  /** Loads the items (from the cloud or fixed); may reject with a ClusterDeckError, which the renderer shows. */
  readonly choices: (state: S, signal: AbortSignal) => Promise<readonly WizardChoice[]> | readonly WizardChoice[];
  /** Accept a typed value that is not in the list (validated), e.g. a version the cloud did not list. */
  readonly allowOther?: (value: string, state: S) => string | undefined;
  readonly apply: (state: S, value: string) => S;
}

/** Several choices (may be none unless `validate` says otherwise). */
export interface MultiPickStep<S> extends BaseStep<S> {
  readonly kind: 'multi';
  readonly placeholder?: string;
  readonly choices: (state: S, signal: AbortSignal) => Promise<readonly WizardChoice[]> | readonly WizardChoice[];
  readonly validate?: (values: readonly string[], state: S) => string | undefined;
  readonly apply: (state: S, values: readonly string[]) => S;
}

export type WizardStep<S> = InputStep<S> | PickStep<S> | MultiPickStep<S>;

/** What the renderer shows for one step. */
export interface RenderedStep<S> {
  readonly step: WizardStep<S>;
  readonly state: S;
  /** 1-based position among the steps that will be asked, and their count (recomputed as answers change). */
  readonly index: number;
  readonly total: number;
  /** Whether Back is possible (not on the first asked step). */
  readonly canGoBack: boolean;
  readonly signal: AbortSignal;
}

export type StepAnswer =
  | { readonly kind: 'value'; readonly value: string }
  | { readonly kind: 'values'; readonly values: readonly string[] }
  | { readonly kind: 'back' }
  | { readonly kind: 'cancel' };

/** Shows one step; the host implements it with QuickPick/InputBox, tests with a script of answers. */
export type WizardRenderer<S> = (r: RenderedStep<S>) => Promise<StepAnswer>;

function applies<S>(step: WizardStep<S>, state: S): boolean {
  return (step.when?.(state) ?? true) && !(step.isAnswered?.(state) ?? false);
}

/** The steps that would be asked from `from` on, given `state` (later answers may change the count). */
export function remainingSteps<S>(steps: readonly WizardStep<S>[], state: S, from = 0): number {
  return steps.slice(from).filter((s) => applies(s, state)).length;
}

/**
 * Runs the steps in order and returns the final state, or undefined when the user cancels (or `signal` aborts).
 * Back returns to the previously asked step with the state it had then, so an answer given after it is undone.
 * An answer the step rejects (validate / allowOther) is asked again: renderers validate as the user types, so this
 * only guards against a renderer that lets a bad value through.
 */
export async function runWizard<S>(
  steps: readonly WizardStep<S>[],
  initial: S,
  render: WizardRenderer<S>,
  signal: AbortSignal = new AbortController().signal,
): Promise<S | undefined> {
  /** Asked steps so far: index into `steps` and the state before answering it. */
  const history: { at: number; before: S }[] = [];
  let state = initial;
  let at = 0;
  while (at < steps.length) {
    if (signal.aborted) return undefined;
    const step = steps[at];
    if (!step || !applies(step, state)) {
      at++;
      continue;
    }
    const index = history.length + 1;
    const answer = await render({
      step,
      state,
      index,
      total: history.length + remainingSteps(steps, state, at),
      canGoBack: history.length > 0,
      signal,
    });
    if (answer.kind === 'cancel') return undefined;
    if (answer.kind === 'back') {
      const prev = history.pop();
      if (prev) {
        at = prev.at;
        state = prev.before;
      }
      continue;
    }
    const next = applyAnswer(step, state, answer);
    if (next === undefined) continue;
    history.push({ at, before: state });
    state = next;
    at++;
  }
  return state;
}

function applyAnswer<S>(step: WizardStep<S>, state: S, answer: StepAnswer): S | undefined {
  switch (step.kind) {
    case 'input':
      if (answer.kind !== 'value' || step.validate(answer.value, state) !== undefined) return undefined;
      return step.apply(state, answer.value);
    case 'pick':
      if (answer.kind !== 'value') return undefined;
      return step.apply(state, answer.value);
    case 'multi': {
      if (answer.kind !== 'values' || step.validate?.(answer.values, state) !== undefined) return undefined;
      return step.apply(state, answer.values);
    }
  }
}

/** Marks the default choice's label the same way everywhere. */
export function withDefaultMark(c: WizardChoice): WizardChoice {
  return c.isDefault ? { ...c, description: c.description ? `${c.description} · default` : 'default' } : c;
}

/** A scripted renderer for tests and for headless callers (CLI): answers by step id, in order, "<back>" goes back. */
export function scriptedRenderer<S>(answers: Readonly<Record<string, readonly (string | readonly string[])[]>>): WizardRenderer<S> & {
  readonly asked: string[];
} {
  const cursor = new Map<string, number>();
  const asked: string[] = [];
  const fn = async (r: RenderedStep<S>): Promise<StepAnswer> => {
    asked.push(`${r.step.id} ${r.index}/${r.total}`);
    const list = answers[r.step.id];
    const i = cursor.get(r.step.id) ?? 0;
    cursor.set(r.step.id, i + 1);
    const a = list?.[i] ?? list?.[list.length - 1];
    if (a === undefined) {
      // No scripted answer: take the proposed value or default choice, as pressing Enter would.
      if (r.step.kind === 'input') return { kind: 'value', value: r.step.value?.(r.state) ?? '' };
      const items = await r.step.choices(r.state, r.signal);
      if (r.step.kind === 'multi') return { kind: 'values', values: items.filter((c) => c.picked).map((c) => c.value) };
      const d = items.find((c) => c.isDefault) ?? items[0];
      return d ? { kind: 'value', value: d.value } : { kind: 'cancel' };
    }
    if (a === '<back>') return { kind: 'back' };
    if (a === '<cancel>') return { kind: 'cancel' };
    return typeof a === 'string' ? { kind: 'value', value: a } : { kind: 'values', values: a };
  };
  return Object.assign(fn, { asked });
}
