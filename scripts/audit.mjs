// `npm run audit`: the production dependency audit issue #9 asks for (`npm audit --omit=dev`, no high or
// critical advisory). Exits 0 when the audit ran and found none, 1 when it found some, 3 when the registry's
// audit endpoint could not be reached (see ARCHITECTURE.md "Dependency audit" for the documented exception).
import { execFile } from 'node:child_process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(args) {
  return new Promise((resolve) => {
    execFile(npm, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const audit = await run(['audit', '--omit=dev', '--json']);
let report;
try {
  report = JSON.parse(audit.stdout);
} catch {
  report = undefined;
}
const counts = report?.metadata?.vulnerabilities;
if (!counts) {
  const reason = (report?.error?.summary || report?.message || audit.stderr.split('\n').find((l) => /audit|error/i.test(l)) || '')
    .toString()
    .trim();
  console.error(`npm audit could not run: ${reason || 'no report from the registry'}.`);
  console.error('The exception and the manual review are recorded in ARCHITECTURE.md, "Dependency audit".');
  process.exit(3);
}
const { high = 0, critical = 0, moderate = 0, low = 0 } = counts;
console.log(`production dependencies: ${critical} critical, ${high} high, ${moderate} moderate, ${low} low`);
process.exit(high + critical > 0 ? 1 : 0);
