/**
 * Per-run TLS material for the loopback fakes, generated with the `openssl` CLI (execFile with an args array,
 * never a shell string) into a temporary directory that is removed afterwards.
 *
 * - a CA (`basicConstraints=critical,CA:TRUE`);
 * - a server certificate signed by it with `subjectAltName=IP:127.0.0.1,DNS:localhost` (serverAuth);
 * - a client certificate `CN=test-user, O=system:masters` with `extendedKeyUsage=clientAuth`.
 *
 * Keys are ECDSA P-256: generation takes a few milliseconds and both Node and Go (kubectl) accept them.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** PEM strings of one generated set. */
export interface TlsMaterial {
  readonly caCertPem: string;
  readonly caKeyPem: string;
  readonly serverCertPem: string;
  readonly serverKeyPem: string;
  readonly clientCertPem: string;
  readonly clientKeyPem: string;
}

export interface TlsMaterialOptions {
  /** Subject of the client certificate; default `/CN=test-user/O=system:masters`. */
  readonly clientSubject?: string;
  /** Validity in days; default 7. */
  readonly days?: number;
}

function runOpenssl(args: readonly string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('openssl', [...args], { cwd, timeout: 30_000, windowsHide: true }, (error, _stdout, stderr) => {
      if (error) {
        reject(new Error(`openssl ${args[0] ?? ''} failed: ${error.message}\n${String(stderr)}`));
        return;
      }
      resolve();
    });
  });
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function serial(): string {
  // Positive 64-bit serial in hex, unique per certificate.
  return `0x${(randomBytes(8)[0]! & 0x7f).toString(16).padStart(2, '0')}${randomBytes(7).toString('hex')}`;
}

/** Generates a fresh CA, server and client certificate. Requires `openssl` (1.1.1 or 3.x) on PATH. */
export async function generateTlsMaterial(options: TlsMaterialOptions = {}): Promise<TlsMaterial> {
  const dir = await mkdtemp(join(tmpdir(), 'clusterdeck-tls-'));
  const days = String(options.days ?? 7);
  try {
    await writeFile(
      join(dir, 'server.ext'),
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '',
      ].join('\n'),
    );
    await writeFile(
      join(dir, 'client.ext'),
      ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=clientAuth', ''].join(
        '\n',
      ),
    );
    await runOpenssl(
      [
        'req',
        '-x509',
        ...EC_KEY,
        '-keyout',
        'ca.key',
        '-out',
        'ca.crt',
        '-days',
        days,
        '-subj',
        '/CN=clusterdeck-fake-ca',
        '-set_serial',
        serial(),
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ],
      dir,
    );
    const issue = async (name: string, subject: string): Promise<void> => {
      await runOpenssl(['req', '-new', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir);
      await runOpenssl(
        [
          'x509',
          '-req',
          '-in',
          `${name}.csr`,
          '-CA',
          'ca.crt',
          '-CAkey',
          'ca.key',
          '-set_serial',
          serial(),
          '-days',
          days,
          '-out',
          `${name}.crt`,
          '-extfile',
          `${name}.ext`,
        ],
        dir,
      );
    };
    await Promise.all([issue('server', '/CN=127.0.0.1'), issue('client', options.clientSubject ?? '/CN=test-user/O=system:masters')]);
    const read = (f: string): Promise<string> => readFile(join(dir, f), 'utf8');
    const [caCertPem, caKeyPem, serverCertPem, serverKeyPem, clientCertPem, clientKeyPem] = await Promise.all(
      ['ca.crt', 'ca.key', 'server.crt', 'server.key', 'client.crt', 'client.key'].map(read),
    );
    return {
      caCertPem: caCertPem!,
      caKeyPem: caKeyPem!,
      serverCertPem: serverCertPem!,
      serverKeyPem: serverKeyPem!,
      clientCertPem: clientCertPem!,
      clientKeyPem: clientKeyPem!,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
