// STS GetCallerIdentity as the EKS authenticator (aws-iam-authenticator) uses it: the API server decodes a
// `k8s-aws-v1.` token into a presigned URL and replays it with the `x-k8s-aws-id` header; STS checks the
// signature and answers who signed it. This verifier is written from the SigV4 specification with node:crypto
// only (no @smithy/signature-v4), so a token is proven by an implementation independent of the one that made it.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** A known access key: its secret, the session token when it is temporary, and the identity it maps to. */
export interface FakeAwsKey {
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly account: string;
  readonly arn: string;
}

export interface StsAnswer {
  readonly status: number;
  readonly body: string;
  /** The identity's ARN when the presigned request was valid. */
  readonly arn?: string;
  /** Why it was refused (for test assertions). */
  readonly refusal?: string;
}

/** RFC 3986 encoding as SigV4 wants it (everything but unreserved characters). */
function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256Hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');

function errorXml(code: string, message: string): string {
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fake-sts-request</RequestId></ErrorResponse>`;
}

/** The 15 minutes the EKS authenticator accepts after X-Amz-Date (STS does not apply X-Amz-Expires=60 to this call). */
export const tokenValidityMs = 15 * 60_000;

/**
 * Verifies a presigned GetCallerIdentity request (method, path and query as received, headers as received) and
 * answers STS's XML. `now` is the fake's clock.
 */
export function answerGetCallerIdentity(
  method: string,
  path: string,
  rawQuery: string,
  headers: IncomingHttpHeaders,
  keys: ReadonlyMap<string, FakeAwsKey>,
  now: Date,
): StsAnswer {
  const refuse = (status: number, code: string, message: string): StsAnswer => ({ status, body: errorXml(code, message), refusal: code });
  const params = new URLSearchParams(rawQuery);
  const get = (k: string) => params.get(k) ?? '';
  if (get('Action') !== 'GetCallerIdentity' || get('Version') !== '2011-06-15')
    return refuse(400, 'InvalidAction', 'Only GetCallerIdentity 2011-06-15 is served.');
  if (get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return refuse(400, 'IncompleteSignature', 'X-Amz-Algorithm must be AWS4-HMAC-SHA256.');
  const credential = get('X-Amz-Credential').split('/');
  if (credential.length !== 5 || credential[3] !== 'sts' || credential[4] !== 'aws4_request') {
    return refuse(400, 'IncompleteSignature', 'X-Amz-Credential is malformed.');
  }
  const [accessKeyId = '', day = '', region = ''] = credential;
  const key = keys.get(accessKeyId);
  if (!key) return refuse(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
  const amzDate = get('X-Amz-Date');
  const dm = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!dm || !amzDate.startsWith(day)) return refuse(400, 'IncompleteSignature', 'X-Amz-Date is malformed.');
  const signedAt = Date.UTC(Number(dm[1]), Number(dm[2]) - 1, Number(dm[3]), Number(dm[4]), Number(dm[5]), Number(dm[6]));
  const expires = Number(get('X-Amz-Expires'));
  if (!Number.isInteger(expires) || expires < 1 || expires > 604800)
    return refuse(400, 'IncompleteSignature', 'X-Amz-Expires is missing or invalid.');
  if (now.getTime() > signedAt + tokenValidityMs) return refuse(403, 'ExpiredToken', 'Request has expired.');
  if (signedAt > now.getTime() + 5 * 60_000) return refuse(403, 'SignatureDoesNotMatch', 'Signature not yet current.');
  if (key.sessionToken !== undefined && get('X-Amz-Security-Token') !== key.sessionToken) {
    return refuse(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
  }
  const signedHeaders = get('X-Amz-SignedHeaders').split(';');
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-k8s-aws-id')) {
    return refuse(403, 'SignatureDoesNotMatch', 'host and x-k8s-aws-id must be signed.');
  }
  // Canonical request (SigV4): method, path, sorted query without the signature, signed headers, payload hash.
  const pairs: [string, string][] = [];
  params.forEach((v, k) => {
    if (k !== 'X-Amz-Signature') pairs.push([uriEncode(k), uriEncode(v)]);
  });
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const canonicalHeaders = [...signedHeaders]
    .sort()
    .map(
      (h) =>
        `${h}:${String(headers[h] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const canonicalRequest = [
    method,
    path
      .split('/')
      .map((seg) => uriEncode(decodeURIComponent(seg)))
      .join('/'),
    pairs.map(([k, v]) => `${k}=${v}`).join('&'),
    canonicalHeaders,
    signedHeaders.join(';'),
    sha256Hex(''),
  ].join('\n');
  const scope = `${day}/${region}/sts/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let signingKey = hmac(`AWS4${key.secretAccessKey}`, day);
  for (const part of [region, 'sts', 'aws4_request']) signingKey = hmac(signingKey, part);
  const expected = Buffer.from(hmac(signingKey, stringToSign).toString('hex'));
  const given = Buffer.from(get('X-Amz-Signature'));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return refuse(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  }
  const body =
    `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>` +
    `<Arn>${key.arn}</Arn><UserId>${accessKeyId}</UserId><Account>${key.account}</Account>` +
    `</GetCallerIdentityResult><ResponseMetadata><RequestId>fake-sts-request</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
  return { status: 200, body, arn: key.arn };
}

/**
 * What the EKS authenticator does with a bearer token: checks the prefix, decodes the URL, requires it to point
 * at STS GetCallerIdentity, and GETs it with `x-k8s-aws-id: <cluster>`. Returns the ARN, or throws with STS's code.
 */
export async function authenticateEksToken(token: string, cluster: string, expectedStsOrigin: string): Promise<string> {
  if (!token.startsWith('k8s-aws-v1.')) throw new Error('token: missing k8s-aws-v1. prefix');
  const encoded = token.slice('k8s-aws-v1.'.length);
  if (/[=+/]/.test(encoded)) throw new Error('token: not unpadded base64url');
  const url = new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
  if (url.origin !== expectedStsOrigin) throw new Error(`token: URL points at ${url.origin}, not the STS endpoint`);
  // aws-iam-authenticator's checks before it replays the URL: the root path and only these query parameters.
  if (url.pathname !== '/') throw new Error('token: the path must be /');
  const allowed = new Set([
    'action',
    'version',
    'x-amz-algorithm',
    'x-amz-credential',
    'x-amz-date',
    'x-amz-expires',
    'x-amz-security-token',
    'x-amz-signature',
    'x-amz-signedheaders',
  ]);
  for (const key of url.searchParams.keys())
    if (!allowed.has(key.toLowerCase())) throw new Error(`token: unexpected query parameter ${key}`);
  if (!/(^|;)x-k8s-aws-id(;|$)/i.test(url.searchParams.get('X-Amz-SignedHeaders') ?? ''))
    throw new Error('token: x-k8s-aws-id is not signed');
  const response = await fetch(url, { headers: { 'x-k8s-aws-id': cluster } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`sts ${response.status} ${/<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? ''}`);
  const arn = /<Arn>([^<]+)<\/Arn>/.exec(text)?.[1];
  if (!arn) throw new Error('sts: no Arn in the answer');
  return arn;
}
