// kubeadm's secrets in text on its way to a log or a terminal: bootstrap tokens, certificate keys, and any value a
// caller knows to be secret. Pure.
import { redactSecrets } from '../../redact';

/** A bootstrap token (`[a-z0-9]{6}.[a-z0-9]{16}`, provisioning.md §5.3). */
const bootstrapToken = /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g;
/** `--certificate-key <64 hex>` (the key that decrypts the uploaded control-plane certificates). */
const certificateKey = /(--certificate-key[=\s]+)[0-9a-fA-F]{64}\b/g;
/** A bare 64-hex key (kubeadm init prints it alone after "Using certificate key:"); a `sha256:` CA pin is not one. */
const bareCertificateKey = /(?<!sha256:)\b[0-9a-f]{64}\b/g;

/**
 * Masks bootstrap tokens, certificate keys and the given known secrets, then everything `redactSecrets` knows
 * (bearer tokens, kubeconfig credential fields, private keys). `sha256:<hash>` CA pins are public and stay.
 */
export function redactKubeadmSecrets(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const secret of known) if (secret.length >= 6) out = out.split(secret).join('<redacted>');
  out = out.replace(bootstrapToken, '<redacted token>').replace(certificateKey, '$1<redacted>');
  out = out.replace(bareCertificateKey, '<redacted>');
  return redactSecrets(out);
}

/** The bootstrap tokens in a join command (to add to a session's known secrets). */
export function tokensIn(text: string): string[] {
  return text.match(bootstrapToken) ?? [];
}
