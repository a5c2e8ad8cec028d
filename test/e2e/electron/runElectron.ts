// `node --import tsx test/e2e/electron/runElectron.ts`: runs the extension-host suites in desktop VS Code
// downloaded by @vscode/test-electron (needs internet; CI here uses code-server instead).
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';

const root = join(__dirname, '..', '..', '..');
runTests({
  extensionDevelopmentPath: root,
  extensionTestsPath: join(root, 'out', 'e2e', 'electron', 'index.js'),
  launchArgs: [join(root, 'examples'), '--disable-extensions'],
}).catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
