/** Something we send (mail, an event) that a provider refused or could not be reached for. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    message: string,
    /** The provider's error code (e.g. MessageRejected, Throttling), or the network error's name. */
    readonly code: string,
    /** Worth trying again later (throttling, provider server faults, network trouble). */
    readonly retryable: boolean,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}
