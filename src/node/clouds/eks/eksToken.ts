// The EKS bearer token, made in-process as aws-iam-authenticator and `aws eks get-token` make it: a SigV4
// presigned STS GetCallerIdentity URL that also signs the `x-k8s-aws-id: <cluster>` header, base64url-encoded
// behind `k8s-aws-v1.`. The API server's authenticator replays the URL against STS to learn who we are.
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ClusterToken } from '../../../core/clouds/cloudProvider';

type Bytes = string | ArrayBuffer | ArrayBufferView;
const toBytes = (d: Bytes): string | Uint8Array =>
  typeof d === 'string' ? d : ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : new Uint8Array(d);

/** SHA-256 / HMAC-SHA-256 over node:crypto, in the shape @smithy/signature-v4 expects. */
export class NodeSha256 {
  private readonly hash;
  constructor(secret?: Bytes) {
    this.hash = secret ? createHmac('sha256', toBytes(secret)) : createHash('sha256');
  }
  update(data: Bytes): void {
    this.hash.update(toBytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    /* one use per instance */
  }
}

/** The token lifetime EKS accepts (15 minutes from the signing time) minus a margin for clock skew. */
export const eksTokenLifetimeMs = 14 * 60_000;

export interface EksTokenInput {
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  readonly region: string;
  readonly cluster: string;
  /** The STS endpoint (default https://sts.<region>.amazonaws.com). */
  readonly stsEndpoint?: string;
  readonly now: Date;
}

/** Presigns the URL and wraps it as a token. The token is a credential: never log it. */
export async function createEksToken(input: EksTokenInput): Promise<ClusterToken> {
  const url = new URL(input.stsEndpoint ?? `https://sts.${input.region}.amazonaws.com`);
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: input.credentials.accessKeyId,
      secretAccessKey: input.credentials.secretAccessKey,
      ...(input.credentials.sessionToken ? { sessionToken: input.credentials.sessionToken } : {}),
    },
    region: input.region,
    service: 'sts',
    sha256: NodeSha256,
  });
  const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path,
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host: url.host, 'x-k8s-aws-id': input.cluster },
    },
    { expiresIn: 60, signingDate: input.now },
  );
  const query = Object.entries(presigned.query ?? {})
    .flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x] as const) : v === null || v === undefined ? [] : [[k, v] as const]))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  const signedUrl = `${url.protocol}//${url.host}${path}?${query}`;
  return {
    token: `k8s-aws-v1.${Buffer.from(signedUrl, 'utf8').toString('base64url')}`,
    expiresAt: new Date(input.now.getTime() + eksTokenLifetimeMs),
  };
}
