import type { Config } from '../config.js';
import { domainOf, localPart, withoutPlus, type AddressBook } from '../domain/addresses.js';
import type { Ticket, ThreadMessage } from '../domain/ticket.js';
import { composeMail, replySubject } from '../mail/compose.js';
import type { RenderedMail } from '../mail/templates.js';
import type { InboundMessage } from '../mail/types.js';
import type { Mailer } from './mailer.js';
import type { TicketStore } from './ports.js';

/** Every kind of mail we send on a ticket (`replies[].kind` in results). */
export type OutboundKind =
  | 'ack'
  | 'missing-info'
  | 'duplicate-notice'
  | 'staff-notification'
  | 'note-notification'
  | 'relay'
  | 'command-result'
  | 'nudge'
  | 'auto-closed';

export interface SentReply {
  kind: OutboundKind;
  to: string;
  subject: string;
}

/** How many of our own texts a ticket keeps, to clean replies that paste them back unquoted. */
const KEPT_OUTBOUND_TEXTS = 3;

export interface TicketMail {
  kind: OutboundKind;
  to: string[];
  cc: string[];
  /** Display name on From; the address is always the support address. */
  fromName: string;
  subject: string;
  body: RenderedMail;
  /** RFC 3834 marking: null for a person's words (a relayed staff reply). */
  automatic: 'auto-replied' | 'auto-generated' | null;
  /** Automatic answers to a requester count against the hourly limits; other mail does not. */
  limitFor: string | null;
  /** The requester sees this text, so a reply that pastes it back is cleaned with it. */
  toRequester: boolean;
  /** Threading, when it is not the mail that caused the send (a relay threads on the request). */
  thread?: { inReplyTo: string; references: string[] };
}

/** What of the causing mail a send needs (the stale job's sends stand in the ticket's request). */
export type CauseMail = Pick<InboundMessage, 'messageId' | 'references' | 'to' | 'cc' | 'from' | 'attachments'>;

/** The mail that caused the send: what we answer, and whose key makes the send happen once. */
export interface Cause {
  ticket: Ticket;
  inbound: CauseMail;
  inboundKey: string;
  now: Date;
}

export interface MailPorts {
  store: TicketStore;
  mailer: Mailer;
}

/** The support address the mail came in on (plus-tags removed), else our first. */
export function receivingAddress(msg: Pick<InboundMessage, 'to' | 'cc'>, book: AddressBook): string {
  const ours = [...msg.to, ...msg.cc].map((m) => withoutPlus(m.address)).find((a) => book.supportAddresses.includes(a));
  return ours ?? book.supportAddresses[0]!;
}

export function ticketAddress(supportAddress: string, prefix: string, number: number): string {
  return `${localPart(supportAddress)}+${prefix.toLowerCase()}-${number}@${domainOf(supportAddress)}`;
}

export function ticketSubject(config: Config, ticket: Ticket): string {
  return replySubject(config.ticketPrefix, ticket.number, ticket.subject);
}

/**
 * Sends one mail on a ticket, at most once per cause and kind (a claim keyed by the inbound
 * mail), within the hourly limits when it answers a requester automatically; records it on the
 * ticket with both Message-IDs (ours and the one SES puts on it) as thread keys.
 */
export async function sendTicketMail(
  mail: TicketMail,
  cause: Cause,
  ports: MailPorts,
  config: Config,
  book: AddressBook,
  messageKey: (messageId: string) => string,
): Promise<{ sent: SentReply | null; suppressed: string | null; alreadySent?: boolean }> {
  const { ticket, inbound, inboundKey, now } = cause;
  const [claimed, limited] = await Promise.all([
    ports.store.claimReply(inboundKey, mail.kind),
    mail.limitFor
      ? ports.store.takeReplySlot({
          sender: mail.limitFor,
          ticketKey: ticket.key,
          hour: now.toISOString().slice(0, 13),
          maxPerSender: config.autoReplies.maxPerSenderPerHour,
          maxPerTicket: config.autoReplies.maxPerTicketPerHour,
        })
      : null,
  ]);
  if (!claimed) return { sent: null, suppressed: 'this mail was already answered (delivered again)', alreadySent: true };
  if (limited) return { sent: null, suppressed: limited };

  const support = receivingAddress(inbound, book);
  const ourId = `${mail.kind}.${inboundKey}@${domainOf(support)}`;
  const raw = await composeMail({
    from: { name: mail.fromName, address: support },
    to: mail.to,
    cc: mail.cc,
    replyTo: ticketAddress(support, config.ticketPrefix, ticket.number),
    subject: mail.subject,
    messageId: ourId,
    inReplyTo: mail.thread?.inReplyTo ?? inbound.messageId,
    references: mail.thread?.references ?? [...inbound.references, inbound.messageId],
    text: mail.body.text,
    html: mail.body.html,
    date: now,
    automatic: mail.automatic,
  });
  const sent = await ports.mailer.send(raw, { from: support, to: [...mail.to, ...mail.cc] });
  const message: ThreadMessage = {
    ticketKey: ticket.key,
    key: messageKey(ourId),
    direction: 'outbound',
    messageId: ourId,
    from: support,
    to: mail.to,
    cc: mail.cc,
    subject: mail.subject,
    date: now.toISOString(),
    receivedAt: now.toISOString(),
    visibleText: mail.body.text,
    rawBlobKey: '',
    attachments: [],
    reason: `${mail.kind} for <${inbound.messageId}>; sent as ${sent.providerMessageId}`,
    role: mail.kind,
    parseWarnings: [],
  };
  await ports.store.recordOutbound({
    ticket,
    message,
    threadKeys: [...new Set([ourId, ...sent.messageIdHeaders])],
    outboundTexts: mail.toRequester ? [...ticket.outboundTexts, mail.body.text].slice(-KEPT_OUTBOUND_TEXTS) : null,
  });
  return { sent: { kind: mail.kind, to: mail.to.join(', '), subject: mail.subject }, suppressed: null };
}
