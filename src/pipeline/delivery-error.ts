/** Something we send (mail, an event) that a provider refused or could not be reached for. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(
    message: string,
    /** The provider's error code (e.g. MessageRejected, Throttling), or the network error's name. */
    readonly code: string,
    /** Worth trying again later (throttling, provider server faults, network trouble). */
    readonly retryable: boolean,
    options: { cause: unknown; uncertain?: boolean },
  ) {
    super(message, { cause: options.cause });
    this.uncertain = options.uncertain ?? false;
  }

  /**
   * The provider may have taken it although we never heard back (the connection dropped after
   * the request went out, a timeout): sending again could deliver it twice.
   */
  readonly uncertain: boolean;
}
