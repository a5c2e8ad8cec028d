import { ApiException } from '@kubernetes/client-node';
import { ClusterDeckError } from '../../core/errors';

export interface ErrorContext {
  server: string;
  contextName: string;
  verb: string;
  resource: string;
  namespace?: string;
}

/** Maps client-node and network errors to ClusterDeckError with a one-sentence, secret-free message. */
export function mapKubeError(e: unknown, c: ErrorContext): ClusterDeckError {
  if (e instanceof ClusterDeckError) return e;
  if (e instanceof ApiException) {
    const code = e.code;
    let status: {
      message?: string;
      reason?: string;
      details?: { causes?: { reason?: string; message?: string; field?: string }[] };
    } = {};
    try {
      status = JSON.parse(String(e.body)) as typeof status;
    } catch {
      /* not a Status body */
    }
    const retryAfter = Number(e.headers['retry-after']);
    const causes = (Array.isArray(status.details?.causes) ? status.details.causes : []).map((x) => ({
      ...(typeof x.reason === 'string' ? { reason: x.reason } : {}),
      ...(typeof x.message === 'string' ? { message: x.message } : {}),
      ...(typeof x.field === 'string' ? { field: x.field } : {}),
    }));
    const where = c.namespace ? ` in namespace "${c.namespace}"` : '';
    switch (code) {
      case 401:
        return new ClusterDeckError(
          'unauthorized',
          `${c.server} rejected the credentials of context "${c.contextName}" (401).`,
          { status: code },
          { cause: e },
        );
      case 403:
        // An admission webhook's refusal is a 403 too: its own message is the reason to show (reliability.md B85).
        if (/admission webhook .* denied the request/i.test(status.message ?? ''))
          return new ClusterDeckError(
            'forbidden',
            `${firstLine(status.message ?? '')} (${c.verb} ${c.resource}${where} on context "${c.contextName}"); nothing was changed.`,
            { status: code, verb: c.verb, resource: c.resource, ...(c.namespace ? { namespace: c.namespace } : {}) },
          );
        return new ClusterDeckError('forbidden', `Forbidden: you cannot ${c.verb} ${c.resource}${where} on context "${c.contextName}".`, {
          status: code,
          verb: c.verb,
          resource: c.resource,
          ...(c.namespace ? { namespace: c.namespace } : {}),
        });
      case 404:
        return new ClusterDeckError('notFound', status.message ?? `Not found on ${c.server}.`, { status: code });
      case 409:
        return new ClusterDeckError('conflict', status.message ?? 'The object changed on the server; refresh and try again.', {
          status: code,
          ...(causes.length ? { causes } : {}),
        });
      case 422:
        return new ClusterDeckError('invalid', status.message ?? `${c.server} rejected the object as invalid (422).`, {
          status: code,
          ...(causes.length ? { causes } : {}),
        });
      case 429:
        return new ClusterDeckError('throttled', `${c.server} is throttling requests (429); try again shortly.`, {
          status: code,
          ...(Number.isFinite(retryAfter) ? { retryAfterSeconds: retryAfter } : {}),
        });
      default:
        return new ClusterDeckError(
          code >= 500 ? 'serverError' : 'unknown',
          `${c.server} answered ${code}${status.message ? `: ${firstLine(status.message)}` : ''}.`,
          { status: code },
          { cause: e },
        );
    }
  }
  const err = e as { code?: string; errno?: string; message?: string; type?: string };
  const code = err.code ?? err.errno ?? '';
  const message = err.message ?? String(e);
  if (code === 'EMALFORMED') {
    return new ClusterDeckError(
      'serverError',
      `${c.server} sent a ${c.verb} line for ${c.resource} that is not a valid event (not JSON or no type); it was skipped and the ${c.verb} starts again.`,
      {},
      { cause: e },
    );
  }
  if (code === 'ETOOLARGE') {
    return new ClusterDeckError(
      'serverError',
      `${c.server} sent more than ClusterDeck reads for one answer (${firstLine(message)}) to ${c.verb} ${c.resource}; the request was stopped.`,
      {},
      { cause: e },
    );
  }
  if (code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH' || /key values mismatch/i.test(message)) {
    return new ClusterDeckError(
      'badConfig',
      `The client certificate and key of context "${c.contextName}" do not match (${code || 'key values mismatch'}); put the key that belongs to that certificate in the kubeconfig user entry.`,
      {},
      { cause: e },
    );
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|altnames|certificate/i.test(code + message)) {
    // The next step depends on what is wrong: another name (tls-server-name) or another CA (never "insecure").
    const hint =
      code === 'ERR_TLS_CERT_ALTNAME_INVALID' || /altnames/i.test(message)
        ? 'it does not name this host: if the cluster is reached through another name or a tunnel, set tls-server-name in its kubeconfig cluster entry'
        : /SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code)
          ? "put the cluster's CA in certificate-authority-data, or behind a TLS-inspecting proxy add that proxy's CA with NODE_EXTRA_CA_CERTS"
          : 'check the certificate-authority of its kubeconfig cluster entry';
    return new ClusterDeckError(
      'tls',
      `The TLS certificate of ${c.server} is not trusted by context "${c.contextName}" (${code || 'certificate error'}); ${hint}.`,
      {},
      { cause: e },
    );
  }
  if (/ENOTFOUND|EAI_AGAIN/.test(code)) {
    return new ClusterDeckError(
      'unreachable',
      `Cannot resolve the host name of ${c.server} (${code}): check the server address, your DNS or VPN.`,
      {},
      { cause: e },
    );
  }
  if (/ECONNTIMEDOUT/.test(code)) {
    return new ClusterDeckError(
      'unreachable',
      `Cannot reach ${c.server}: no connection within ${firstLine(message).replace(/^no connection within /, '')} (firewall, VPN or a stopped cluster?).`,
      {},
      { cause: e },
    );
  }
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ENETUNREACH|socket hang up/i.test(code + message)) {
    return new ClusterDeckError('unreachable', `Cannot reach ${c.server} (${code || 'connection failed'}).`, {}, { cause: e });
  }
  if (/ETIMEDOUT|timeout/i.test(code + message)) {
    return new ClusterDeckError('timeout', `${c.server} did not answer in time.`, {}, { cause: e });
  }
  if (/exec|credential|ENOENT|spawn/i.test(message)) {
    return new ClusterDeckError(
      'missingPlugin',
      `The credential plugin of context "${c.contextName}" failed: ${firstLine(message)}`,
      {},
      { cause: e },
    );
  }
  return new ClusterDeckError('unknown', `Request to ${c.server} failed: ${firstLine(message)}`, {}, { cause: e });
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? '').slice(0, 200);
}
