/**
 * Why an operation failed, as a closed set the host maps to one kind sentence and a next step.
 * Data outcomes (findings, access status) are return values, never errors.
 */
export type FailureReason =
  | 'unreachable'
  | 'timeout'
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'conflict'
  | 'invalid'
  | 'portInUse'
  | 'throttled'
  | 'serverError'
  | 'tls'
  | 'badConfig'
  | 'missingPlugin'
  | 'needsApproval'
  | 'untrusted'
  /** The context is in read-only mode: ClusterDeck refuses to change it. */
  | 'readOnly'
  | 'unknown';

/** Extra facts about a failure; every field is safe to show (never a secret). */
export interface FailureDetail {
  /** HTTP status, when the failure came from an HTTP answer. */
  readonly status?: number;
  /** Kubernetes verb, resource and namespace that were refused (403). */
  readonly verb?: string;
  readonly resource?: string;
  readonly namespace?: string;
  /** A file the failure is about, with a 1-based line when known. */
  readonly file?: string;
  readonly line?: number;
  /** A binary that is missing or must be approved. */
  readonly binary?: string;
  /** What a failed process printed (the first 20 lines of a credential plugin's stderr), secrets redacted. */
  readonly output?: readonly string[];
  /** Seconds the server asked to wait (429 / 503 Retry-After). */
  readonly retryAfterSeconds?: number;
  /** Availability zones the service accepts, when it refused the chosen one (EKS UnsupportedAvailabilityZoneException). */
  readonly validZones?: readonly string[];
  /** The causes of a Kubernetes Status (409 field-manager conflicts, 422 invalid fields), as the server sent them. */
  readonly causes?: readonly { readonly reason?: string; readonly message?: string; readonly field?: string }[];
  /** The setting whose change is the next step (a plain-http context's `clusterdeck.clusters.allowPlainHttp`). */
  readonly setting?: string;
}

// The extension ships in several bundles (dist/extension.js, the lazily loaded dist/kubeSdk.js, …), each with
// its own copy of this module. `instanceof` therefore checks a registry-wide brand instead of the class identity.
const errorBrand = Symbol.for('clusterdeck.ClusterDeckError');
const cancelBrand = Symbol.for('clusterdeck.CancelledError');

function hasBrand(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/** The one error type core and node/ throw for expected failures. `message` is one sentence, safe to show. */
export class ClusterDeckError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, errorBrand);
  }
  readonly [errorBrand] = true;
  override readonly name = 'ClusterDeckError';
  constructor(
    readonly reason: FailureReason,
    message: string,
    readonly detail: FailureDetail = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Thrown when the user (or a disposed view) cancelled; shown nowhere. */
export class CancelledError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, cancelBrand);
  }
  readonly [cancelBrand] = true;
  override readonly name = 'CancelledError';
  constructor() {
    super('Cancelled');
  }
}

/** True for our cancellation and for the platform's AbortError. */
export function isCancellation(error: unknown): boolean {
  return (
    error instanceof CancelledError ||
    (error instanceof Error && (error.name === 'AbortError' || (error as { type?: string }).type === 'aborted'))
  );
}

/** Throws CancelledError when the signal is aborted. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}
