/** What an AWS SDK v3 error says, the same way for every client we use. */
export interface SdkFailure {
  /** The service answered (a fault side and an HTTP status); false for network trouble. */
  answered: boolean;
  code: string;
  retryable: boolean;
  message: string;
}

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
  return { answered, code, retryable, message: e.message ?? String(err) };
}
