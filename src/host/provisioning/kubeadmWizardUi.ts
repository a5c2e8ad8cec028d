// A small QuickPick/InputBox renderer for wizard steps given as data (core/provisioning/kubeadm/kubeadmWizard.ts):
// "n of m" titles, Back on every step after the first, validation as you type, defaults marked. Stand-in until the
// shared wizard engine (src/core/wizard/) lands; the steps keep their shape.
import * as vscode from 'vscode';
import type { WizardStep } from '../../core/provisioning/kubeadm/kubeadmWizard';

type Outcome = { kind: 'value'; value: string } | { kind: 'back' } | { kind: 'cancel' };

/** Walks the steps; returns the final state, or undefined when cancelled. Back restores the state before the step. */
export async function runStepWizard<S>(title: string, steps: readonly WizardStep<S>[], initial: S): Promise<S | undefined> {
  const states: S[] = [initial];
  let i = 0;
  while (i < steps.length) {
    const step = steps[i]!;
    const state = states[i]!;
    const heading = `${title}: ${step.title} (${i + 1} of ${steps.length})`;
    const outcome = step.kind === 'pick' ? await pick(step, state, heading, i > 0) : await input(step, state, heading, i > 0);
    if (outcome.kind === 'cancel') return undefined;
    if (outcome.kind === 'back') {
      i = Math.max(0, i - 1);
      continue;
    }
    states[i + 1] = step.apply(state, outcome.value);
    i++;
  }
  return states[steps.length];
}

function input<S>(step: WizardStep<S>, state: S, title: string, canGoBack: boolean): Promise<Outcome> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = title;
    box.prompt = step.prompt;
    box.value = step.defaultValue?.(state) ?? '';
    if (step.placeholder) box.placeholder = step.placeholder;
    box.ignoreFocusOut = true;
    box.buttons = canGoBack ? [vscode.QuickInputButtons.Back] : [];
    let done = false;
    const finish = (o: Outcome) => {
      if (done) return;
      done = true;
      resolve(o);
      box.dispose();
    };
    const check = (v: string) => (box.validationMessage = step.validate?.(v, state));
    check(box.value);
    box.onDidChangeValue(check);
    box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish({ kind: 'back' }));
    box.onDidAccept(() => {
      const message = step.validate?.(box.value, state);
      if (message) box.validationMessage = message;
      else finish({ kind: 'value', value: box.value });
    });
    box.onDidHide(() => finish({ kind: 'cancel' }));
    box.show();
  });
}

function pick<S>(step: WizardStep<S>, state: S, title: string, canGoBack: boolean): Promise<Outcome> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { value: string }>();
    const choices = step.choices?.(state) ?? [];
    qp.title = title;
    qp.placeholder = step.prompt;
    qp.ignoreFocusOut = true;
    qp.items = choices.map((c) => ({
      label: c.label,
      value: c.value,
      description: [c.isDefault ? '(default)' : '', c.description ?? ''].filter(Boolean).join(' '),
    }));
    const current = step.defaultValue?.(state);
    const active = qp.items.find((item) => item.value === current) ?? qp.items.find((_, k) => choices[k]?.isDefault);
    if (active) qp.activeItems = [active];
    qp.buttons = canGoBack ? [vscode.QuickInputButtons.Back] : [];
    let done = false;
    const finish = (o: Outcome) => {
      if (done) return;
      done = true;
      resolve(o);
      qp.dispose();
    };
    qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish({ kind: 'back' }));
    qp.onDidAccept(() => {
      const chosen = qp.selectedItems[0] ?? qp.activeItems[0];
      if (!chosen) return;
      const message = step.validate?.(chosen.value, state);
      if (message) qp.placeholder = message;
      else finish({ kind: 'value', value: chosen.value });
    });
    qp.onDidHide(() => finish({ kind: 'cancel' }));
    qp.show();
  });
}
