/**
 * Removes secrets from text that is about to be logged or shown: bearer tokens, Authorization headers,
 * kubeconfig credential fields, AWS secret keys, PEM private keys. Conservative: when in doubt, redact.
 */
const patterns: ReadonlyArray<[RegExp, string]> = [
  [/(authorization["']?\s*[:=]\s*["']?)(bearer|basic)\s+[^\s"',}&]+/gi, '$1$2 <redacted>'],
  [/\b(bearer)\s+[A-Za-z0-9._~+/=-]{6,}/gi, '$1 <redacted>'],
  [
    /((?:token|id-token|refresh-token|access-token|client-key-data|client-certificate-data|password|secret|secretAccessKey|aws_secret_access_key|client-secret|apiKey)["']?\s*[:=]\s*["']?)[^\s"',}&]+/gi,
    '$1<redacted>',
  ],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '<redacted private key>'],
  [/([?&](?:access_token|token|sig|signature)=)[^&\s]+/gi, '$1<redacted>'],
];

export function redactSecrets(text: string): string {
  let out = text;
  for (const [re, replacement] of patterns) out = out.replace(re, replacement);
  return out;
}
