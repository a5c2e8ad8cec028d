// The one renderer for core/wizard steps: QuickPick / InputBox with "title (n/m)", a Back button from the second
// step on, validation as the user types, and a busy spinner while a step's choices load from the cloud.
import * as vscode from 'vscode';
import { isCancellation } from '../../core/errors';
import {
  runWizard,
  withDefaultMark,
  type RenderedStep,
  type StepAnswer,
  type WizardChoice,
  type WizardStep,
} from '../../core/wizard/wizard';

interface ChoiceItem extends vscode.QuickPickItem {
  readonly value?: string;
}

const OTHER = '$(edit) Other…';

/** Runs `steps` as a VS Code wizard titled `title`; undefined when the user cancels (Escape or focus lost). */
export function runVscodeWizard<S>(
  title: string,
  steps: readonly WizardStep<S>[],
  initial: S,
  token?: vscode.CancellationToken,
): Promise<S | undefined> {
  const ac = new AbortController();
  const sub = token?.onCancellationRequested(() => ac.abort());
  return runWizard<S>(steps, initial, (r) => renderStep(title, r), ac.signal).finally(() => {
    sub?.dispose();
  });
}

function renderStep<S>(title: string, r: RenderedStep<S>): Promise<StepAnswer> {
  return r.step.kind === 'input' ? renderInput(title, r, r.step) : renderPick(title, r, r.step);
}

function renderInput<S>(title: string, r: RenderedStep<S>, step: Extract<WizardStep<S>, { kind: 'input' }>): Promise<StepAnswer> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = `${title}: ${step.title}`;
    box.step = r.index;
    box.totalSteps = r.total;
    box.prompt = step.prompt;
    box.placeholder = step.placeholder;
    box.value = step.value?.(r.state) ?? '';
    box.ignoreFocusOut = true;
    box.buttons = r.canGoBack ? [vscode.QuickInputButtons.Back] : [];
    const check = (v: string) => {
      box.validationMessage = step.validate(v, r.state);
    };
    check(box.value);
    let done = false;
    const finish = (a: StepAnswer) => {
      if (done) return;
      done = true;
      resolve(a);
      box.dispose();
    };
    box.onDidChangeValue(check);
    box.onDidAccept(() => {
      const msg = step.validate(box.value, r.state);
      if (msg === undefined) finish({ kind: 'value', value: box.value });
      else box.validationMessage = msg;
    });
    box.onDidTriggerButton((b) => {
      if (b === vscode.QuickInputButtons.Back) finish({ kind: 'back' });
    });
    box.onDidHide(() => finish({ kind: 'cancel' }));
    r.signal.addEventListener('abort', () => finish({ kind: 'cancel' }), { once: true });
    box.show();
  });
}

function renderPick<S>(title: string, r: RenderedStep<S>, step: Extract<WizardStep<S>, { kind: 'pick' | 'multi' }>): Promise<StepAnswer> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<ChoiceItem>();
    qp.title = `${title}: ${step.title}`;
    qp.step = r.index;
    qp.totalSteps = r.total;
    qp.placeholder = step.placeholder;
    qp.ignoreFocusOut = true;
    qp.canSelectMany = step.kind === 'multi';
    qp.matchOnDescription = true;
    qp.buttons = r.canGoBack ? [vscode.QuickInputButtons.Back] : [];
    qp.busy = true;
    qp.enabled = false;
    const ac = new AbortController();
    let done = false;
    const finish = (a: StepAnswer) => {
      if (done) return;
      done = true;
      ac.abort();
      resolve(a);
      qp.dispose();
    };
    const allowOther = step.kind === 'pick' ? step.allowOther : undefined;
    Promise.resolve()
      .then(() => step.choices(r.state, AbortSignal.any([ac.signal, r.signal])))
      .then((choices: readonly WizardChoice[]) => {
        if (done) return;
        const items: ChoiceItem[] = choices.map((c0) => {
          const c = withDefaultMark(c0);
          return { label: c.label, value: c.value, description: c.description, detail: c.detail, picked: c.picked };
        });
        if (allowOther) items.push({ label: OTHER, alwaysShow: true });
        qp.items = items;
        if (step.kind === 'multi') qp.selectedItems = items.filter((i) => i.picked);
        else {
          const d = choices.findIndex((c) => c.isDefault);
          const first = items[d >= 0 ? d : 0];
          if (first) qp.activeItems = [first];
        }
        if (choices.length === 0 && !allowOther) qp.placeholder = 'Nothing to choose from here; go Back or press Escape.';
      })
      .catch((err: unknown) => {
        if (done || isCancellation(err)) return;
        qp.items = [];
        qp.placeholder = `Could not load the choices: ${err instanceof Error ? err.message : String(err)}`;
      })
      .finally(() => {
        qp.busy = false;
        qp.enabled = true;
      });
    // QuickPick has no validation message: a multi-pick shows what is wrong in its placeholder as ticks change.
    const basePlaceholder = step.placeholder;
    qp.onDidChangeSelection((sel) => {
      if (step.kind === 'multi') {
        const msg = step.validate?.(
          sel.map((i) => i.value ?? ''),
          r.state,
        );
        qp.placeholder = msg ? `⚠ ${msg}` : basePlaceholder;
      }
    });
    qp.onDidAccept(() => {
      if (step.kind === 'multi') {
        const values = qp.selectedItems.map((i) => i.value ?? '');
        const msg = step.validate?.(values, r.state);
        if (msg === undefined) finish({ kind: 'values', values });
        else qp.placeholder = `⚠ ${msg}`;
        return;
      }
      const picked = qp.selectedItems[0] ?? qp.activeItems[0];
      if (!picked) return;
      if (picked.label === OTHER && allowOther) {
        // A typed value: its own input box, validated as the user types; Back returns to the list.
        const typed = qp.value;
        done = true;
        ac.abort();
        qp.dispose();
        const other: Extract<WizardStep<S>, { kind: 'input' }> = {
          kind: 'input',
          id: step.id,
          title: step.title,
          prompt: `Type a value for ${step.title}`,
          value: () => typed,
          validate: (v, st) => allowOther(v, st),
          apply: (st) => st,
        };
        void renderInput(title, { ...r, canGoBack: true }, other).then((a) =>
          a.kind === 'back' ? renderPick(title, r, step).then(resolve) : resolve(a),
        );
        return;
      }
      if (picked.value !== undefined) finish({ kind: 'value', value: picked.value });
    });
    qp.onDidTriggerButton((b) => {
      if (b === vscode.QuickInputButtons.Back) finish({ kind: 'back' });
    });
    qp.onDidHide(() => finish({ kind: 'cancel' }));
    r.signal.addEventListener('abort', () => finish({ kind: 'cancel' }), { once: true });
    qp.show();
  });
}
