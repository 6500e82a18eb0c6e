/** What `parseMail` refuses: its limits, and the errors that say the bytes are not a mail we can read. */

export interface ParseLimits {
  maxMessageBytes: number;
  maxHeaderLines: number;
}

/** The bytes are not a mail we can read. Retrying will not help: quarantine the raw message. */
export class MalformedMailError extends Error {
  override name = 'MalformedMailError';
  /** What exactly is wrong, in words (same as `message`). */
  readonly reason: string;
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.reason = reason;
  }
}

/** The raw message is over `limits.maxMessageBytes`; parsing stopped as soon as that was known. */
export class MessageTooLargeError extends MalformedMailError {
  override name = 'MessageTooLargeError';
  constructor(
    /** The size when known (a Buffer input), otherwise the bytes read before stopping. */
    readonly size: number,
    readonly limit: number,
    readonly sizeIsExact: boolean,
  ) {
    super(
      sizeIsExact
        ? `message is ${size} bytes, over the limit of ${limit}`
        : `message is more than ${size} bytes, over the limit of ${limit}`,
    );
  }
}
