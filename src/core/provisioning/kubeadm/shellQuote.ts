// POSIX single-quote escaping: the one way an argument enters a remote shell command line. Pure.

/**
 * Quotes one argument for a POSIX shell: wrapped in single quotes, each `'` written as `'\''`. Inside single
 * quotes nothing is special (no `$`, backticks, `\` or globbing), so the shell hands the argument over unchanged.
 * NUL cannot be passed in an argv and is refused.
 */
export function quoteShellArg(arg: string): string {
  if (arg.includes('\0')) throw new RangeError('A shell argument cannot contain NUL.');
  if (arg !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** An argv as one command line for a POSIX shell (`ssh` sends a string; every word is quoted). */
export function quoteShellCommand(argv: readonly string[]): string {
  if (argv.length === 0) throw new RangeError('An empty command cannot be run.');
  return argv.map(quoteShellArg).join(' ');
}
