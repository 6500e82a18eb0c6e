/**
 * Mail we send on a ticket, planned as data (src/pipeline/effects.ts): who it goes to, how it
 * threads, what it says. Nothing here sends; the effect runner does, at most once per plan.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { domainOf, localPart, withoutPlus, type AddressBook } from '../domain/addresses.js';
import type { Ticket } from '../domain/ticket.js';
import { replySubject } from '../mail/compose.js';
import type { RenderedMail } from '../mail/templates/render.js';
import type { InboundMessage } from '../mail/types.js';
import { boundedText, KEPT_TEXT_BYTES } from './bounds.js';
import type { PlannedMail } from './effects.js';
import { readByRequester, type OutboundKind } from './outbound-kinds.js';

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
  /** Threading, when it is not the mail that caused the send (a relay threads on the request). */
  thread?: { inReplyTo: string | null; references: string[] };
  /** The incident a mail to staff is about (`INC-4`): a reply to it answers that incident. */
  incident?: string;
}

/** What of the causing mail a send needs (the stale job's reminders and closings stand in the ticket's request). */
export type CauseMail = Pick<InboundMessage, 'messageId' | 'references' | 'to' | 'cc' | 'from' | 'attachments'>;

/** Why a send happens: a mail we answer, or none (the digest, which a schedule sends). */
export interface SendCause {
  /** The ticket the mail is about; null for mail about no one ticket (the digest). */
  ticket: Ticket | null;
  /** The mail we answer; null when no mail caused the send. */
  inbound: CauseMail | null;
  /** Names our Message-ID with the kind: the inbound mail's key, or the schedule slot's. */
  inboundKey: string;
  now: Date;
}

/** The mail that caused the send: what we answer, and whose key names our Message-ID. */
export interface Cause extends SendCause {
  inbound: CauseMail;
}

/** The support address the mail came in on (plus-tags removed), else our first. */
export function receivingAddress(msg: Pick<InboundMessage, 'to' | 'cc'>, book: AddressBook): string {
  const ours = [...msg.to, ...msg.cc].map((m) => withoutPlus(m.address)).find((a) => book.supportAddresses.includes(a));
  return ours ?? book.supportAddresses[0]!;
}

export function ticketAddress(supportAddress: string, prefix: string, number: number): string {
  return `${localPart(supportAddress)}+${prefix.toLowerCase()}-${number}@${domainOf(supportAddress)}`;
}

/** The envelope sender of one mail: bounces come back to it, and its random token ties them to that mail. */
export function returnPathFor(supportAddress: string): string {
  return `${localPart(supportAddress)}+b-${randomBytes(10).toString('hex')}@${domainOf(supportAddress)}`;
}

/** The token of one of our return paths among these addresses (a bounce's envelope or To), if any. */
export function returnPathIn(addresses: string[], book: AddressBook): string | null {
  for (const address of addresses) {
    const base = withoutPlus(address);
    if (base !== address && book.supportAddresses.includes(base) && /\+b-[0-9a-f]{20}@/.test(address)) return address;
  }
  return null;
}

export function ticketSubject(config: Config, ticket: Ticket): string {
  return replySubject(config.ticketPrefix, ticket.number, ticket.subject);
}

/**
 * One mail on a ticket, planned: from the support address the cause came in on, replying to
 * the cause (or to `mail.thread`), with our Message-ID named by the cause and the kind (so a
 * replay plans the same id) and a fresh return path.
 */
export function planTicketMail(mail: TicketMail, cause: SendCause, config: Config, book: AddressBook): PlannedMail {
  const { ticket, inbound, inboundKey, now } = cause;
  // A send that answers no mail goes out from our first address and threads on nothing.
  const support = inbound ? receivingAddress(inbound, book) : book.supportAddresses[0]!;
  const messageId = `${mail.kind}.${inboundKey}@${domainOf(support)}`;
  const kept = boundedText(mail.body.text, KEPT_TEXT_BYTES);
  return {
    kind: mail.kind,
    ticket: ticket ? { key: ticket.key, id: ticket.id } : null,
    from: { name: mail.fromName, address: support },
    returnPath: returnPathFor(support),
    to: mail.to,
    cc: mail.cc,
    replyTo: ticket ? ticketAddress(support, config.ticketPrefix, ticket.number) : support,
    subject: mail.subject,
    messageId,
    inReplyTo: mail.thread ? mail.thread.inReplyTo : (inbound?.messageId ?? null),
    references: mail.thread?.references ?? (inbound ? [...inbound.references, inbound.messageId] : []),
    date: now.toISOString(),
    automatic: mail.automatic,
    text: mail.body.text,
    html: mail.body.html,
    limitFor: mail.limitFor,
    keptTexts: readByRequester(mail.kind) && ticket ? [...ticket.outboundTexts, kept].slice(-KEPT_OUTBOUND_TEXTS) : null,
    // A send no mail caused is its own cause: the digest's record names the digest.
    causeMessageId: inbound?.messageId ?? messageId,
    ...(mail.incident ? { incident: mail.incident } : {}),
  };
}

export function sentReply(mail: PlannedMail): SentReply {
  return { kind: mail.kind, to: mail.to.join(', '), subject: mail.subject };
}
