// The `clusterdeck` command line. Built on core/ (and node/), never on host/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const usage = `Usage: clusterdeck <command> [options]

Commands:
  lint [paths…]   Lint Kubernetes manifests (see README: available once the Manifests feature lands)
  version         Print the version

Options:
  -h, --help      Show this help`;

function version(): string {
  // dist/cli.js sits one level below package.json; src/cli/main.ts (tests) two.
  for (const up of [['..'], ['..', '..']]) {
    try {
      const pkg = JSON.parse(readFileSync(join(__dirname, ...up, 'package.json'), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'clusterdeck') return pkg.version;
    } catch {
      /* try the next level */
    }
  }
  return 'unknown';
}

/** Runs the CLI and returns its exit code: 0 ok, 1 findings, 2 usage or I/O error. */
export function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    out(usage);
    return command ? 0 : 2;
  }
  if (command === 'version' || command === '--version' || command === '-v') {
    out(version());
    return 0;
  }
  if (command === 'lint') {
    err(`clusterdeck lint: the lint engine is not built yet (${rest.length} path(s) given); nothing was checked.`);
    return 2;
  }
  err(`clusterdeck: unknown command "${command}".\n\n${usage}`);
  return 2;
}

if (require.main === module) {
  process.exitCode = main(
    process.argv.slice(2),
    (s) => process.stdout.write(`${s}\n`),
    (s) => process.stderr.write(`${s}\n`),
  );
}
