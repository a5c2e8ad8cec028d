// Azure failures → ClusterDeckError. ARM answers with a CloudError body (`{error: {code, message}}`) that the SDK
// turns into a RestError (statusCode + code); a failed long-running operation rejects with a plain Error whose text
// carries the operation's own code; network failures are RestErrors without a status.
import { CancelledError, ClusterDeckError, isCancellation } from '../../../core/errors';

/** What was being done, for the sentence: "list clusters in subscription S", "scale agent pool p of cluster c". */
export interface AzureErrorContext {
  readonly action: string;
  /** The ARM endpoint's host, for "cannot reach …" sentences. */
  readonly host: string;
}

interface RestErrorLike {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly statusCode?: number;
  readonly details?: unknown;
  readonly response?: { readonly headers?: { get(name: string): string | undefined } };
}

function isRestErrorLike(e: unknown): e is RestErrorLike {
  return e instanceof Error && e.name === 'RestError';
}

/** The ARM error message from a RestError's parsed body, first line, bounded (ARM messages carry no secrets). */
function armMessage(e: RestErrorLike): string | undefined {
  const details = e.details as { error?: { message?: unknown } } | undefined;
  const raw = typeof details?.error?.message === 'string' ? details.error.message : undefined;
  return raw ? shorten(raw) : undefined;
}

function shorten(text: string): string {
  const line = (text.split('\n')[0] ?? '').trim();
  return line.length > 240 ? `${line.slice(0, 239)}…` : line;
}

function endSentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ETIMEDOUT']);

/** Names of @azure/identity errors that mean "not signed in / sign-in failed" (matched by name: no import). */
const credentialErrors = new Set(['CredentialUnavailableError', 'AuthenticationRequiredError', 'AuthenticationError']);

/**
 * Maps any failure of an Azure call to a ClusterDeckError (or CancelledError). Messages are one sentence with the
 * next step; the raw error rides along as `cause` only.
 */
export function mapAzureError(e: unknown, c: AzureErrorContext): Error {
  if (e instanceof ClusterDeckError || e instanceof CancelledError) return e;
  if (isCancellation(e)) return new CancelledError();
  if (e instanceof Error && credentialErrors.has(e.name)) {
    return new ClusterDeckError('unauthorized', `Could not get an Azure token to ${c.action}; sign in to Azure again.`, {}, { cause: e });
  }
  if (isRestErrorLike(e)) {
    const status = e.statusCode;
    const code = e.code;
    const message = armMessage(e);
    const said = message ? `: ${message}` : '';
    if (status === undefined) {
      if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(code)) {
        return new ClusterDeckError(
          'tls',
          `The TLS certificate of ${c.host} was not trusted (${code}); check the resource manager endpoint setting.`,
          {},
          { cause: e },
        );
      }
      const known = code && networkCodes.has(code) ? ` (${code})` : '';
      return new ClusterDeckError(
        'unreachable',
        `Cannot reach ${c.host} to ${c.action}${known}; check the network and the clusterdeck.azure.resourceManagerEndpoint setting.`,
        {},
        { cause: e },
      );
    }
    if (code === 'PARSE_ERROR') {
      // A 2xx whose body is not JSON (cut short, or a proxy's page): the SDK's parser gives up.
      return new ClusterDeckError(
        'serverError',
        `Azure's answer while trying to ${c.action} could not be read (not valid JSON); try again, or check any proxy between you and ${c.host}.`,
        { status },
        { cause: e },
      );
    }
    const retryAfter = Number(e.response?.headers?.get('retry-after'));
    const withCode = code ? ` (${code})` : '';
    switch (status) {
      case 401:
        return new ClusterDeckError(
          'unauthorized',
          `Azure rejected the sign-in while trying to ${c.action} (401); sign in to Azure again.`,
          { status },
          { cause: e },
        );
      case 403:
        return new ClusterDeckError(
          'forbidden',
          `You are not allowed to ${c.action}${withCode}; ask for an Azure role that grants it (for example Azure Kubernetes Service Contributor).`,
          { status },
          { cause: e },
        );
      case 404:
        return new ClusterDeckError(
          'notFound',
          `Azure found no such resource while trying to ${c.action}${withCode}; it may have been deleted: refresh the Clouds view.`,
          { status },
          { cause: e },
        );
      case 409:
      case 412:
        return new ClusterDeckError(
          'conflict',
          `Azure refused to ${c.action} because the resource changed or is busy${withCode}${said ? `${said.replace(/\.$/, '')}` : ''}; wait for the running operation, refresh and try again.`,
          { status },
          { cause: e },
        );
      case 429:
        return new ClusterDeckError(
          'throttled',
          `Azure is throttling requests (429) while trying to ${c.action}; try again in a minute.`,
          { status, ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}) },
          { cause: e },
        );
      default:
        if (status >= 500) {
          return new ClusterDeckError(
            'serverError',
            endSentence(`Azure failed to ${c.action} (${status}${code ? ` ${code}` : ''})${said}; try again later`),
            { status },
            { cause: e },
          );
        }
        if (status === 400) {
          return new ClusterDeckError(
            'invalid',
            endSentence(`Azure rejected the request to ${c.action}${withCode}${said}`),
            { status },
            { cause: e },
          );
        }
        return new ClusterDeckError(
          'unknown',
          endSentence(`Azure answered ${status}${withCode} to the request to ${c.action}${said}`),
          { status },
          { cause: e },
        );
    }
  }
  if (e instanceof Error && e.message.startsWith('The long-running operation has failed')) {
    // core-lro: "The long-running operation has failed. QuotaExceeded. Insufficient regional vcpu quota left".
    const reason = e.message.replace(/^The long-running operation has failed\.?\s*/, '');
    return new ClusterDeckError(
      'serverError',
      endSentence(`Azure could not ${c.action}${reason ? `: ${shorten(reason)}` : ''}`),
      {},
      { cause: e },
    );
  }
  if (e instanceof Error && e.message === 'Operation was canceled') {
    return new ClusterDeckError(
      'serverError',
      `The Azure operation to ${c.action} was canceled in Azure; check the activity log and try again.`,
      {},
      { cause: e },
    );
  }
  return new ClusterDeckError('unknown', `Unexpected failure while trying to ${c.action}; see the ClusterDeck log.`, {}, { cause: e });
}
