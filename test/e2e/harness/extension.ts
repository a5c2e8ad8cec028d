// Test-only harness extension: when CLUSTERDECK_TEST_SUITES names a folder, runs those suites in this
// extension host (they use the real `vscode` API and ClusterDeck's exported API) and writes the results to
// CLUSTERDECK_TEST_RESULTS. Does nothing otherwise.
import { writeFileSync } from 'node:fs';
import { runSuites } from './runSuites';

export function activate(): void {
  const suites = process.env.CLUSTERDECK_TEST_SUITES;
  const results = process.env.CLUSTERDECK_TEST_RESULTS;
  const mochaPath = process.env.CLUSTERDECK_MOCHA_PATH;
  if (!suites || !results || !mochaPath) return;
  runSuites(suites, results, mochaPath, process.env.CLUSTERDECK_TEST_GREP).catch((e: unknown) => {
    writeFileSync(results, JSON.stringify({ crashed: String((e as Error)?.stack ?? e), results: [] }));
  });
}

export function deactivate(): void {}
