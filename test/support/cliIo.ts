// A CliIo that records what the CLI prints, for tests that run `main`/subcommands in-process.
import type { CliIo } from '../../src/cli/lintCommand';

export function captureIo(cwd: string): { readonly io: CliIo; out(): string; err(): string } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    cwd,
    isTty: false,
    readStdin: () => Promise.resolve(''),
    version: 'test',
  };
  return { io, out: () => out.join('\n'), err: () => err.join('\n') };
}
