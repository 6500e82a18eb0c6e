/** The outbound mail port: sends raw RFC 5322 bytes (built by src/mail/compose.ts). */

import { DeliveryError } from './delivery-error.js';

export interface SentMail {
  /** The provider's id for the send (SES: the MessageId it returned). */
  providerMessageId: string;
  /**
   * Message-IDs (without <>) a reply to this mail may quote: ours, as composed, and the one the
   * provider put on the mail it delivered (SES replaces ours). The pipeline stores all of them
   * as thread keys.
   */
  messageIdHeaders: string[];
}

export interface Mailer {
  /** `envelope.from` is the envelope sender (SES `Source`), `envelope.to` every recipient. */
  send(raw: Buffer, envelope: { from: string; to: string[] }): Promise<SentMail>;
}

/** A send that failed; adapters say whether trying again later could help. */
export class MailSendError extends DeliveryError {
  override name = 'MailSendError';
}
