/** What an AWS SDK v3 error says, the same way for every client we use. */
export interface SdkFailure {
  /** The service answered (a fault side and an HTTP status); false for network trouble. */
  answered: boolean;
  code: string;
  retryable: boolean;
  /**
   * The request may have reached the service and been acted on, though we never saw the answer
   * (a dropped connection, a timeout). False when the service answered, or the connection was
   * never made.
   */
  uncertain: boolean;
  message: string;
}

/** Network errors that mean the request never left: nothing can have been sent. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CredentialsProviderError']);

export function sdkFailure(err: unknown): SdkFailure {
  const e = err as {
    name?: string;
    code?: string;
    message?: string;
    $fault?: 'client' | 'server';
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  // An answer from the service has a fault side and an HTTP status; a network error (which the
  // SDK also decorates with $metadata) has neither.
  const answered = e.$fault !== undefined || typeof e.$metadata?.httpStatusCode === 'number';
  const code = answered ? (e.name ?? 'Error') : (e.code ?? e.name ?? 'Error');
  const retryable = Boolean(e.$retryable) || e.$fault === 'server' || /Throttl/i.test(code) || !answered;
  return { answered, code, retryable, uncertain: !answered && !neverSent(code), message: e.message ?? String(err) };
}

/** A network error code that means the connection was never made: nothing can have been acted on (any HTTP client's). */
export function neverSent(code: string): boolean {
  return NEVER_SENT.has(code);
}

/** The error code of a failed fetch (undici puts the socket's code on `cause`). */
export function networkCode(err: unknown): string {
  const e = err as { code?: string; name?: string; cause?: { code?: string; name?: string } };
  return e.cause?.code ?? e.code ?? e.cause?.name ?? e.name ?? 'NetworkError';
}
