// Entry point for @vscode/test-electron (extensionTestsPath), on machines that can download VS Code:
// runs the same suites as the code-server harness.
import { join } from 'node:path';
import { runSuites } from '../harness/runSuites';

export async function run(): Promise<void> {
  const root = join(__dirname, '..', '..', '..');
  const results = await runSuites(
    join(root, 'out', 'e2e', 'suites'),
    join(root, 'test-results', 'electron-results.json'),
    require.resolve('mocha'),
  );
  const failed = results.filter((r) => r.state === 'failed');
  if (failed.length) throw new Error(`${failed.length} extension-host test(s) failed`);
}
