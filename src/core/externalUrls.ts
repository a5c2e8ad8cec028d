/**
 * Which URLs ClusterDeck may hand to the browser (`vscode.env.openExternal`), reliability goal S10
 * (CVE-2022-0484: Lens opened whatever URL a cluster handed it). Only `https:` URLs on the sign-in and console
 * hosts of the clouds and identity providers we support, and the `http://127.0.0.1:<port>` address of a
 * port-forward we opened ourselves. Anything else is offered for copying, never opened.
 */

/** Exact host names (no parent-domain matching: cloud domains also serve customers' content). */
export const EXTERNAL_URL_HOSTS: readonly string[] = [
  // Microsoft Entra ID device-code and sign-in pages (kubelogin, az login) and the portal
  'microsoft.com',
  'www.microsoft.com',
  'login.microsoft.com',
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'portal.azure.com',
  // AWS sign-in and the console
  'signin.aws.amazon.com',
  'console.aws.amazon.com',
  // Google sign-in and the console
  'accounts.google.com',
  'console.cloud.google.com',
  // GitHub's device flow (some OIDC brokers)
  'github.com',
];

/** Hosts known by shape: IAM Identity Center's device page and start URLs, regional AWS consoles. */
const EXTERNAL_URL_PATTERNS: readonly RegExp[] = [
  /^device\.sso\.[a-z0-9-]+\.amazonaws\.com$/,
  /^[a-z0-9-]+\.awsapps\.com$/,
  /^[a-z0-9-]+\.console\.aws\.amazon\.com$/,
];

function hostAllowed(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return EXTERNAL_URL_HOSTS.includes(h) || EXTERNAL_URL_PATTERNS.some((p) => p.test(h));
}

/** Why a URL may not be opened, or undefined when it may. */
export function externalUrlRefusal(raw: string, localPorts: readonly number[] = []): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'it is not a valid URL';
  }
  if (url.username || url.password) return 'it carries a user name or password';
  if (url.protocol === 'http:') {
    const port = Number(url.port);
    if (url.hostname === '127.0.0.1' && localPorts.includes(port)) return undefined;
    return 'only https addresses are opened';
  }
  if (url.protocol !== 'https:') return `the ${url.protocol.replace(/:$/, '')} scheme is never opened`;
  if (!hostAllowed(url.hostname)) return `${url.hostname} is not a known sign-in or console host`;
  return undefined;
}
