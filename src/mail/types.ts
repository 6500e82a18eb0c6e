/** One mailbox address as it appeared in a header, address lower-cased. */
export interface Mailbox {
  name: string;
  address: string;
}

export interface AttachmentMeta {
  filename: string;
  contentType: string;
  size: number;
  /** Content-ID for inline parts (images referenced from HTML). */
  contentId?: string;
  inline: boolean;
  /** Where the bytes were stored (blob key), filled by the parser's attachment sink. */
  blobKey?: string;
  sha256?: string;
}

/** A parsed inbound mail, normalised: everything the pipeline decides on. */
export interface InboundMessage {
  /** Message-ID without angle brackets; synthesised from the raw bytes' sha256 when missing. */
  messageId: string;
  messageIdSynthesised: boolean;
  /** sha256 of the raw bytes, hex. */
  rawSha256: string;
  rawSize: number;
  /** The first mailbox of the first From header. */
  from: Mailbox | null;
  /** Every mailbox of every From header: a mail From two people speaks for neither. */
  fromMailboxes: Mailbox[];
  to: Mailbox[];
  cc: Mailbox[];
  replyTo: Mailbox[];
  /** Subject with encoded words decoded; '' when absent. */
  subject: string;
  inReplyTo: string[];
  references: string[];
  date: string | null;
  /** Plain text body (HTML-only mail converted to text). */
  text: string;
  html: string | null;
  attachments: AttachmentMeta[];
  /** Lower-cased header name → raw header values (unfolded), for loop and list detection. */
  headers: Record<string, string[]>;
  contentType: string;
  /** Problems the parser tolerated (bad charset, truncated part, ...), in words. */
  parseWarnings: string[];
}
