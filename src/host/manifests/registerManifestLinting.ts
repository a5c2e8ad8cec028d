import * as vscode from 'vscode';
import type { Log } from '../shared/log';
import { ManifestCodeActions } from './manifestCodeActions';
import { ManifestDiagnostics, type ManifestsEngine } from './manifestDiagnostics';
import { registerManifestLanguageFeatures } from './manifestLanguageFeatures';

/** What tests and other features can ask of the linter once it runs. */
export interface ManifestLinting {
  /** Resolves with the diagnostics provider once the engine is loaded and the workspace indexed. */
  ready(): Promise<ManifestDiagnostics>;
}

/**
 * Starts YAML linting the first time a YAML document is open, loading the engine chunk then (activation
 * never pays for rules and schemas).
 */
export function registerManifestLinting(
  context: vscode.ExtensionContext,
  log: Log,
  loadEngine: () => Promise<ManifestsEngine>,
): ManifestLinting {
  let started: Promise<ManifestDiagnostics> | undefined;
  const start = (): Promise<ManifestDiagnostics> => {
    started ??= (async () => {
      const t = performance.now();
      const engine = await loadEngine();
      const diagnostics = new ManifestDiagnostics({ engine, log });
      context.subscriptions.push(
        diagnostics,
        vscode.languages.registerCodeActionsProvider(
          [{ language: 'yaml' }, { pattern: '**/*.{yaml,yml}' }],
          new ManifestCodeActions(diagnostics, engine),
          {
            providedCodeActionKinds: ManifestCodeActions.kinds,
          },
        ),
        ...registerManifestLanguageFeatures(engine, diagnostics),
      );
      log.info('command', `[manifests] linter loaded in ${(performance.now() - t).toFixed(0)} ms`);
      await diagnostics.start();
      return diagnostics;
    })();
    return started;
  };
  const isYaml = (d: vscode.TextDocument) => d.languageId === 'yaml' || /\.ya?ml$/i.test(d.fileName);
  if (vscode.workspace.textDocuments.some(isYaml)) void start();
  else {
    const listener = vscode.workspace.onDidOpenTextDocument((d) => {
      if (!isYaml(d)) return;
      listener.dispose();
      void start();
    });
    context.subscriptions.push(listener);
  }
  return { ready: start };
}
