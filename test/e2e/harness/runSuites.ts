// Runs the compiled extension-host suites (out/e2e/suites/*.js) with mocha inside the extension host and
// writes a JSON result file. Shared by the code-server harness and the @vscode/test-electron entry point.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SuiteResult {
  readonly title: string;
  readonly state: 'passed' | 'failed';
  readonly durationMs: number;
  readonly error?: string;
}

interface MochaRunner {
  on(event: 'pass' | 'fail', fn: (test: { fullTitle(): string; duration?: number }, err?: Error) => void): void;
  on(event: 'end', fn: () => void): void;
}
interface MochaInstance {
  addFile(file: string): void;
  run(done: (failures: number) => void): MochaRunner;
}
type MochaCtor = new (options: Record<string, unknown>) => MochaInstance;

export async function runSuites(suitesDir: string, resultsFile: string, mochaPath: string, grep?: string): Promise<SuiteResult[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Mocha = require(mochaPath) as MochaCtor;
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec', ...(grep ? { grep } : {}) });
  for (const f of readdirSync(suitesDir)
    .filter((f) => f.endsWith('.test.js'))
    .sort())
    mocha.addFile(join(suitesDir, f));
  const results: SuiteResult[] = [];
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 }));
    runner.on('fail', (t, err) =>
      results.push({
        title: t.fullTitle(),
        state: 'failed',
        durationMs: t.duration ?? 0,
        error: String(err?.stack ?? err?.message ?? err),
      }),
    );
  });
  writeFileSync(resultsFile, JSON.stringify({ results }, null, 2));
  return results;
}
