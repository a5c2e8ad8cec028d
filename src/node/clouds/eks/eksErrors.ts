// AWS SDK (and network) errors → ClusterDeckError with one secret-free sentence and the next step.
import { CancelledError, ClusterDeckError, isCancellation } from '../../../core/errors';
import { redactSecrets } from '../../../core/redact';

/** What was being done, for the sentence. */
export interface EksErrorContext {
  readonly profile: string;
  readonly region: string;
  /** The API operation, e.g. "ListClusters". */
  readonly operation: string;
  /** What the operation was about, e.g. `cluster "prod"`, for not-found sentences. */
  readonly subject?: string;
  /** True for SSO profiles: expired credentials then mean `aws sso login`. */
  readonly sso?: boolean;
  /**
   * Static keys: the profile's own access keys (`aws configure`), or the "env" account's AWS_* variables. Expired
   * session keys then get the command that replaces them.
   */
  readonly staticKeys?: 'profile' | 'env';
  readonly timeoutMs?: number;
  /** The AWS service of the call (default "eks"): "ec2", "iam" for the provisioning wizard's choices. */
  readonly service?: string;
}

/** The Service Quotas name behind a ResourceLimitExceededException, per create operation. */
const quotaNames: Readonly<Record<string, string>> = {
  CreateCluster: 'Clusters',
  CreateNodegroup: 'Managed node groups per cluster',
  CreateAddon: 'Add-ons per cluster',
  CreateFargateProfile: 'Fargate profiles per cluster',
};

interface AwsLikeError {
  name?: string;
  message?: string;
  code?: string;
  errno?: string | number;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number; headers?: Record<string, string> };
  $retryable?: unknown;
  cause?: unknown;
}

const unauthorizedNames = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredTokenException',
  'ExpiredToken',
  'InvalidClientTokenId',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'InvalidAccessKeyId',
]);
const forbiddenNames = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'NotAuthorizedException']);
const throttledNames = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded']);
const unreachableCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

function firstSentence(text: string | undefined): string {
  const line = redactSecrets((text ?? '').split('\n')[0] ?? '').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line.replace(/\.$/, '');
}

/** The `aws sso login` sentence shared by the SSO pre-check and expired SSO credentials. */
export function ssoLoginMessage(profile: string): string {
  return `The SSO session of profile "${profile}" is missing or expired. Run \`aws sso login --profile ${profile}\`, then refresh.`;
}

/** Maps anything thrown by an EKS/STS call or a credential provider. Cancellation becomes CancelledError. */
export function mapEksError(e: unknown, c: EksErrorContext): ClusterDeckError | CancelledError {
  if (e instanceof ClusterDeckError || e instanceof CancelledError) return e;
  if (isCancellation(e)) return new CancelledError();
  const err = (typeof e === 'object' && e !== null ? e : {}) as AwsLikeError;
  const name = err.name ?? '';
  const status = err.$metadata?.httpStatusCode ?? err.$response?.statusCode;
  const where = `${c.region}`;
  const statusDetail = status !== undefined ? { status } : {};
  const api = `${c.service ?? 'eks'}:${c.operation}`;

  if (name === 'CredentialsProviderError' || name === 'TokenProviderError') {
    if (c.sso) return new ClusterDeckError('unauthorized', ssoLoginMessage(c.profile));
    return new ClusterDeckError(
      'unauthorized',
      `No usable credentials for profile "${c.profile}": ${firstSentence(err.message)}; fix the profile in your AWS config or credentials file, then refresh.`,
    );
  }
  if (unauthorizedNames.has(name)) {
    if (c.sso) return new ClusterDeckError('unauthorized', ssoLoginMessage(c.profile), statusDetail);
    if (name.startsWith('ExpiredToken') && c.staticKeys === 'profile') {
      return new ClusterDeckError(
        'unauthorized',
        `The session keys of profile "${c.profile}" have expired; run \`aws configure --profile ${c.profile}\` with new keys (and \`aws configure set aws_session_token <token> --profile ${c.profile}\`), then refresh.`,
        statusDetail,
      );
    }
    if (name.startsWith('ExpiredToken') && c.staticKeys === 'env') {
      return new ClusterDeckError(
        'unauthorized',
        'The session keys in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN have expired; set new ones and restart VS Code, or choose a profile.',
        statusDetail,
      );
    }
    if (name.startsWith('ExpiredToken')) {
      return new ClusterDeckError(
        'unauthorized',
        `The session credentials of profile "${c.profile}" have expired; renew them, then refresh.`,
        statusDetail,
      );
    }
    return new ClusterDeckError(
      'unauthorized',
      `AWS rejected the credentials of profile "${c.profile}" in ${where} (${name}); check the profile's access keys (or whether the region is enabled for the account), then refresh.`,
      statusDetail,
    );
  }
  if (forbiddenNames.has(name)) {
    return new ClusterDeckError(
      'forbidden',
      `Profile "${c.profile}" is not allowed to call ${api} in ${where}; ask your AWS administrator for that permission.`,
      statusDetail,
    );
  }
  if (name === 'ResourceNotFoundException' || name === 'NotFoundException') {
    return new ClusterDeckError(
      'notFound',
      `${c.subject ? `The ${c.subject}` : 'The resource'} was not found in ${where}; refresh the view.`,
      statusDetail,
    );
  }
  if (throttledNames.has(name) || status === 429) {
    const retryAfter = Number(err.$response?.headers?.['retry-after']);
    return new ClusterDeckError('throttled', `AWS is throttling ${api} in ${where}; wait a moment, then refresh.`, {
      ...statusDetail,
      ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
    });
  }
  // Quotas are never retried (provisioning.md P7): name the quota and the region.
  if (name === 'ResourceLimitExceededException' || name === 'VcpuLimitExceeded' || name === 'LimitExceeded') {
    const quota = quotaNames[c.operation] ?? 'the service quota';
    return new ClusterDeckError(
      'invalid',
      `AWS quota "${quota}" is reached in ${where}: ${firstSentence(err.message)}; request an increase in Service Quotas for ${where}, then create again.`,
      statusDetail,
    );
  }
  if (name === 'UnsupportedAvailabilityZoneException') {
    // EKS names the zones it accepts (validZones): the wizard pre-selects them for a create again.
    const raw = (err as { validZones?: unknown }).validZones;
    const zones = Array.isArray(raw) ? raw.filter((z): z is string => typeof z === 'string' && /^[a-z0-9-]+$/.test(z)) : [];
    return new ClusterDeckError(
      'invalid',
      zones.length
        ? `EKS cannot use the chosen availability zone in ${where} for ${api}; create again with subnets in ${zones.join(', ')} (the wizard pre-selects them).`
        : `EKS refused ${api} in ${where}: ${firstSentence(err.message)}.`,
      { ...statusDetail, ...(zones.length ? { validZones: zones } : {}) },
    );
  }
  if (name === 'ResourceInUseException') {
    return new ClusterDeckError('conflict', `EKS refused ${api} in ${where}: ${firstSentence(err.message)}.`, statusDetail);
  }
  if (
    /^(InvalidParameter|InvalidRequest|BadRequest|Client|ResourceLimitExceeded|UnsupportedAvailabilityZone|InvalidState)Exception$/.test(
      name,
    )
  ) {
    return new ClusterDeckError('invalid', `EKS refused ${api} in ${where}: ${firstSentence(err.message)}.`, statusDetail);
  }
  const code = String(err.code ?? err.errno ?? (err.cause as AwsLikeError | undefined)?.code ?? '');
  if (name === 'TimeoutError' || code === 'ETIMEDOUT' || /timed out/i.test(err.message ?? '')) {
    const seconds =
      c.timeoutMs === undefined ? '' : c.timeoutMs < 1000 ? ` within ${c.timeoutMs} ms` : ` within ${Math.round(c.timeoutMs / 1000)} s`;
    return new ClusterDeckError('timeout', `EKS in ${where} did not answer${seconds}; check your network or proxy, then refresh.`);
  }
  if (unreachableCodes.has(code)) {
    return new ClusterDeckError(
      'unreachable',
      `Cannot reach the EKS endpoint for ${where} (${code}); check your network, proxy or the clusterdeck.aws.endpoint setting.`,
    );
  }
  // A success whose body is not JSON (cut short, or rewritten by a proxy): not a server error.
  if (name === 'SyntaxError' && status !== undefined && status >= 200 && status < 300) {
    return new ClusterDeckError(
      'serverError',
      `The answer of EKS in ${where} could not be read (not valid JSON); try again, or check any proxy between you and AWS.`,
      statusDetail,
    );
  }
  // An HTML error page (a proxy, a load balancer) fails JSON parsing: the SDK throws a SyntaxError with $response.
  if (err.$fault === 'server' || (status !== undefined && status >= 500) || name === 'SyntaxError') {
    const shown = status !== undefined ? ` ${status}` : ' with a page that is not an AWS answer';
    return new ClusterDeckError('serverError', `EKS in ${where} answered${shown} (a server error); try again later.`, statusDetail);
  }
  return new ClusterDeckError(
    'unknown',
    `${api} in ${where} failed${name ? ` (${name})` : ''}; see the ClusterDeck log and try again.`,
    statusDetail,
  );
}
