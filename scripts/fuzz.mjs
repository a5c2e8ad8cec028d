// `npm run fuzz`: the property tests (YAML front end, kubeconfig loader, quantities, redactor, schema and rule
// properties) with many more cases than CI's 1,000 each. `npm run fuzz -- 1000000` sets the cases per property.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = process.argv[2] ?? process.env.CLUSTERDECK_FUZZ_RUNS ?? '100000';
const files = [
  'test/unit/properties',
  'test/unit/quantity',
  'test/unit/manifests/badInput',
  'test/unit/manifests/schema',
  'test/unit/manifests/singleRules',
];
console.log(`[fuzz] ${runs} cases per property`);
const child = spawn(process.execPath, [join(root, 'scripts', 'test.mjs'), ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CLUSTERDECK_FUZZ_RUNS: String(runs) },
});
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
