/**
 * Kubernetes `Status` objects (meta/v1) and the typed error the fake's handlers throw to produce them.
 * Messages follow the apiserver's wording so that client code parsing them sees what a real cluster sends.
 */

export interface StatusCause {
  readonly reason?: string;
  readonly message?: string;
  readonly field?: string;
}

export interface StatusDetails {
  readonly name?: string;
  readonly group?: string;
  readonly kind?: string;
  readonly uid?: string;
  readonly causes?: readonly StatusCause[];
  readonly retryAfterSeconds?: number;
}

export interface StatusObject {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly status: 'Success' | 'Failure';
  readonly message?: string;
  readonly reason?: string;
  readonly details?: StatusDetails;
  readonly code: number;
}

/** Reason used for an HTTP code when no better one is known (apiserver `StatusReason` values). */
export function reasonForCode(code: number): string {
  switch (code) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 406:
      return 'NotAcceptable';
    case 409:
      return 'Conflict';
    case 410:
      return 'Expired';
    case 413:
      return 'RequestEntityTooLarge';
    case 415:
      return 'UnsupportedMediaType';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    case 500:
      return 'InternalError';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'Timeout';
    default:
      return code >= 500 ? 'InternalError' : 'Unknown';
  }
}

export function failureStatus(code: number, message: string, reason = reasonForCode(code), details?: StatusDetails): StatusObject {
  const base = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason } as const;
  return details ? { ...base, details, code } : { ...base, code };
}

export function successStatus(details?: StatusDetails): StatusObject {
  return details
    ? { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details, code: 200 }
    : { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 };
}

/** Thrown inside the fake; the HTTP layer answers with `status` and `headers`. */
export class KubeStatusError extends Error {
  readonly status: StatusObject;
  readonly headers: Readonly<Record<string, string>>;
  constructor(status: StatusObject, headers: Record<string, string> = {}) {
    super(status.message ?? status.reason ?? `HTTP ${status.code}`);
    this.name = 'KubeStatusError';
    this.status = status;
    this.headers = headers;
  }
}

/** `pods` or `deployments.apps`: the qualified resource as the apiserver prints it. */
export function qualifiedResource(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}

function nameDetails(group: string, resource: string, name: string): StatusDetails {
  return group ? { name, group, kind: resource } : { name, kind: resource };
}

export function notFound(group: string, resource: string, name: string): KubeStatusError {
  return new KubeStatusError(
    failureStatus(404, `${qualifiedResource(group, resource)} "${name}" not found`, 'NotFound', nameDetails(group, resource, name)),
  );
}

export function alreadyExists(group: string, resource: string, name: string): KubeStatusError {
  return new KubeStatusError(
    failureStatus(
      409,
      `${qualifiedResource(group, resource)} "${name}" already exists`,
      'AlreadyExists',
      nameDetails(group, resource, name),
    ),
  );
}

export function conflict(group: string, resource: string, name: string, why: string): KubeStatusError {
  return new KubeStatusError(
    failureStatus(
      409,
      `Operation cannot be fulfilled on ${qualifiedResource(group, resource)} "${name}": ${why}`,
      'Conflict',
      nameDetails(group, resource, name),
    ),
  );
}

export function badRequest(message: string): KubeStatusError {
  return new KubeStatusError(failureStatus(400, message, 'BadRequest'));
}

export function methodNotAllowed(message = 'the server does not allow this method on the requested resource'): KubeStatusError {
  return new KubeStatusError(failureStatus(405, message, 'MethodNotAllowed'));
}

/** 422 Invalid; `kind` is the Kind (not the resource), as in the apiserver. */
export function invalid(group: string, kind: string, name: string, causes: readonly Required<StatusCause>[]): KubeStatusError {
  const summary = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  const details: StatusDetails = group ? { name, group, kind, causes } : { name, kind, causes };
  return new KubeStatusError(failureStatus(422, `${kind} "${name}" is invalid: ${summary}`, 'Invalid', details));
}

export function expired(message: string): KubeStatusError {
  return new KubeStatusError(failureStatus(410, message, 'Expired'));
}

export const CONTINUE_EXPIRED_MESSAGE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export function unauthorized(): KubeStatusError {
  return new KubeStatusError(failureStatus(401, 'Unauthorized', 'Unauthorized'));
}
