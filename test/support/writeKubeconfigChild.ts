// Run by test/unit/badInputKubeconfigWrite.test.ts in a child process (as an unprivileged user when the tests run
// as root, since root writes into read-only folders): writes argv[2] with argv[3] through writeKubeconfig and prints
// the outcome as one JSON line.
import { ClusterDeckError } from '../../src/core/errors';
import { writeKubeconfig } from '../../src/node/clouds/kubeconfigWriter';

const [path, text] = process.argv.slice(2);
writeKubeconfig(path ?? '', text ?? '').then(
  (r) => process.stdout.write(`${JSON.stringify({ ok: true, created: r.created })}\n`),
  (e: unknown) =>
    process.stdout.write(
      `${JSON.stringify(e instanceof ClusterDeckError ? { ok: false, reason: e.reason, message: e.message } : { ok: false, raw: String(e) })}\n`,
    ),
);
