import type { UserEntry } from './kubeconfig';

/**
 * The store of the user's decisions about exec credential plugins (host: VS Code globalState), keyed by
 * `execApprovalKey`: approving removes an earlier denial and denying removes an earlier approval.
 */
export interface ExecApprovals {
  isApproved(key: string): boolean;
  approve(key: string): Promise<void>;
  /** The user chose "Deny" for exactly this plugin (reliability B29): it is never run and the prompt is not repeated. */
  isDenied?(key: string): boolean;
  deny?(key: string): Promise<void>;
}

/**
 * The approval key of a kubeconfig user's exec plugin: file, user entry, command, args and env (names and
 * values), so any change to what would run asks again. FNV-1a over the JSON, as hex; no secret is readable
 * from it.
 */
export function execApprovalKey(user: UserEntry): string {
  const exec = user.exec;
  if (!exec) return '';
  const material = JSON.stringify([user.sourcePath, user.name, exec.command, exec.args, exec.env.map((e) => [e.name, e.value])]);
  return `exec:${fnv1a64(material)}`;
}

/** What the approval prompt shows: the command, its args and the env variable names (never their values). */
export function describeExecPlugin(user: UserEntry): string {
  const exec = user.exec;
  if (!exec) return '';
  const env = exec.env.length ? ` with env ${exec.env.map((e) => e.name).join(', ')}` : '';
  return `${[exec.command, ...exec.args].map(quoteArg).join(' ')}${env}`;
}

function quoteArg(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

function fnv1a64(s: string): string {
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  for (let i = 0; i < s.length; i++) {
    h ^= BigInt(s.charCodeAt(i));
    h = (h * prime) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}
