// `npm test`: every test, unit + wire + VS Code workbench, in node's test runner (one summary at the end).
// `pretest` has already installed what is missing (scripts/ensureTestDeps.mjs) and built dist/ and out/.
// Tests get no real credentials: cloud/kube env variables are dropped and metadata probes disabled; a
// preloaded guard fails any socket to a non-loopback address.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'suites' && name !== 'harness' && name !== 'fakes') out.push(...findTests(p));
    } else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

const layers = ['test/unit', 'test/wire', 'test/e2e'];
let files = layers.flatMap((l) => findTests(join(root, l)));
if (only.length) files = files.filter((f) => only.some((o) => f.includes(o)));

const env = {};
for (const [k, v] of Object.entries(process.env)) {
  if (!/^(AWS_|AZURE_|GOOGLE_|CLOUDSDK_|KUBECONFIG$)/.test(k)) env[k] = v;
}
Object.assign(env, {
  AWS_EC2_METADATA_DISABLED: 'true',
  METADATA_SERVER_DETECTION: 'none',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  NO_COLOR: '1',
});

const args = [
  '--import',
  'tsx',
  '--import',
  './test/support/loopbackGuard.ts',
  '--test',
  '--test-reporter=spec',
  '--test-concurrency=1',
  ...files,
];
const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
const forward = (sig) => child.kill(sig);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
