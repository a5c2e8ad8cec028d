import { ClusterDeckError } from '../errors';
import type { ResolvedContext } from './kubeconfig';

/** The machine-scoped setting that lists the contexts allowed to use a plain `http://` server (B14). */
export const allowPlainHttpSetting = 'clusterdeck.clusters.allowPlainHttp';

/** `localhost`, `127.x.x.x` or `::1`: traffic that never leaves the machine (`kubectl proxy`, an SSH tunnel). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** How a context may use its server: `https`, or plain http by the user's per-context opt-in. */
export type PlainHttpDecision = 'https' | 'optedIn';

/**
 * The plain-http policy (catalogue B14, goal S8). A `http://` server is contacted only when (1) the context sends no
 * credentials at all (token, token file, exec plugin, username/password, client certificate) and (2) the user listed
 * the context in `clusterdeck.clusters.allowPlainHttp` (a machine-scoped setting: neither a kubeconfig nor a
 * workspace can opt in). There is no loopback exception: `kubectl proxy` on 127.0.0.1 needs the entry too (every
 * process on the machine can reach it, and it forwards with the user's own credentials). `insecure-skip-tls-verify`
 * is not an opt-in (client-node
 * treats it as one). Throws a `tls` ClusterDeckError otherwise, before any request, saying how to opt in: by default
 * the setting and the context name to add; `optIn` replaces that for another front end (the CLI's flag).
 */
export function decidePlainHttp(resolved: ResolvedContext, optedIn: boolean, optIn?: string): PlainHttpDecision {
  const { context, cluster, user } = resolved;
  let url: URL;
  try {
    url = new URL(cluster.server);
  } catch {
    return 'https'; // not a URL: the client reports it
  }
  if (url.protocol !== 'http:') return 'https';
  const credentials =
    user.token || user.tokenFile || user.exec || user.password || user.username || user.clientCertificateData || user.clientCertificateFile;
  if (credentials)
    throw new ClusterDeckError(
      'tls',
      `Context "${context.name}" would send credentials over plain http; ClusterDeck only sends them over https.`,
      { file: context.sourcePath },
    );
  if (optedIn) return 'optedIn';
  const how = optIn ?? `add "${context.name}" to the machine setting ${allowPlainHttpSetting}`;
  throw new ClusterDeckError(
    'tls',
    isLoopbackHost(url.hostname)
      ? `Context "${context.name}" uses plain http to ${url.host} on this machine (a kubectl proxy?), which ClusterDeck contacts only when allowed: ${how}, or use an https:// server.`
      : `Context "${context.name}" uses plain http to ${url.host}, which nothing encrypts; use an https:// server, or ${how}.`,
    { file: context.sourcePath, ...(optIn === undefined ? { setting: allowPlainHttpSetting } : {}) },
  );
}
