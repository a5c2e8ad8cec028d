// The `clusterdeck` command line. Built on core/ (and node/), never on host/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintCommand, type CliIo } from './lintCommand';
import { tokenCommand, type CliEnv } from './tokenCommand';
import { recommendCommand } from './recommendCommand';

const usage = `Usage: clusterdeck <command> [options]

Commands:
  lint [paths…]   Lint Kubernetes manifests (clusterdeck lint --help)
  clusters list   List EKS, GKE, AKS clusters and kubeconfig contexts (clusterdeck clusters --help)
  token <cloud>   Print an ExecCredential for a cloud cluster (clusterdeck token --help)
  recommend       Right-size requests/limits from Prometheus (clusterdeck recommend --help)
  cluster create  Create a cluster from an eksctl/GKE/ARM file (clusterdeck cluster create --help)
  nodepool create Create a node pool from a file (clusterdeck nodepool create --help)
  version         Print the version

Options:
  -h, --help      Show this help`;

export function cliVersion(): string {
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
export async function main(argv: readonly string[], io: CliIo, env: CliEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    io.out(usage);
    return command ? 0 : 2;
  }
  if (command === 'version' || command === '--version' || command === '-v') {
    io.out(io.version);
    return 0;
  }
  if (command === 'lint') return lintCommand(rest, io);
  if (command === 'clusters') return (await import('./clustersCommand')).clustersCommand(rest, io, { env });
  if (command === 'token') return tokenCommand(rest, io, env);
  if (command === 'recommend') return recommendCommand(rest, io, env);
  if (command === 'cluster' || command === 'nodepool') {
    const [verb, ...args] = rest;
    const { createCommand, createUsage } = await import('./createCommand');
    if (verb !== 'create') {
      io.err(`clusterdeck ${command}: unknown subcommand "${verb ?? ''}".\n\n${createUsage}`);
      return 2;
    }
    return createCommand(command === 'cluster' ? 'cluster' : 'nodePool', args, io, { env });
  }
  io.err(`clusterdeck: unknown command "${command}".\n\n${usage}`);
  return 2;
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

if (require.main === module) {
  main(process.argv.slice(2), {
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
    cwd: process.cwd(),
    isTty: process.stdout.isTTY === true && !process.env.NO_COLOR,
    readStdin,
    version: cliVersion(),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`clusterdeck: ${(e as Error).message}\n`);
      process.exitCode = 2;
    },
  );
}
