/**
 * Mail we send on a ticket, planned as data (src/pipeline/effects.ts): who it goes to, how it
 * threads, what it says. Nothing here sends; the effect runner does, at most once per plan.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { domainOf, localPart, withoutPlus, type AddressBook } from '../domain/addresses.js';
import { withoutSubjectPrefixes } from '../domain/subject-prefixes.js';
import type { Ticket } from '../domain/ticket.js';
import { replySubject } from '../mail/compose.js';
import type { RenderedMail } from '../mail/templates/render.js';
import { guidFromName, newThreadIndex, parseThreadIndex, withChildBlock } from '../mail/thread-index.js';
import type { InboundMessage } from '../mail/types.js';
import { boundedLine, boundedText, KEPT_TEXT_BYTES, MAX_SUBJECT_CHARS } from './bounds.js';
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
  /**
   * A mail with `thread` joins the ticket's Outlook conversation, not the cause's (which may be
   * anyone's); true: the cause's, because it is in the recipient's conversation already (a staff
   * member's answer to our notice, relayed to the requester).
   */
  conversationOfCause?: boolean;
  /** The incident a mail to staff is about (`INC-4`): a reply to it answers that incident. */
  incident?: string;
}

/** What of the causing mail a send needs (the stale job's reminders and closings stand in the ticket's request). */
export type CauseMail = Pick<InboundMessage, 'messageId' | 'references' | 'to' | 'cc' | 'from' | 'attachments'> & {
  /** Its headers, for the Outlook conversation it is in (Thread-Index, Thread-Topic); none for a stand-in. */
  headers?: InboundMessage['headers'];
};

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
    ...outlookConversation(mail, cause, messageId),
    keptTexts: readByRequester(mail.kind) && ticket ? [...ticket.outboundTexts, kept].slice(-KEPT_OUTBOUND_TEXTS) : null,
    // A send no mail caused is its own cause: the digest's record names the digest.
    causeMessageId: inbound?.messageId ?? messageId,
    ...(mail.incident ? { incident: mail.incident } : {}),
  };
}

/**
 * Outlook's conversation headers (src/mail/thread-index.ts) for a mail on a ticket. A mail that
 * answers one carrying a Thread-Index extends that index, under that mail's Thread-Topic: the
 * reply sits in the sender's own conversation. Otherwise a mail continues the conversation of
 * the Outlook mail that opened the ticket (kept on it), or else the ticket's own conversation,
 * named by its key and started when it was opened: the mails that go out as it opens start it,
 * every later one is a reply in it. Only inputs that a replay plans again go in (the
 * plan's time, the ticket, the causing mail's headers, our Message-ID for the random bits), so
 * a replay plans the same bytes.
 */
function outlookConversation(mail: TicketMail, cause: SendCause, messageId: string): { threadIndex: string; threadTopic: string } | Record<string, never> {
  const { ticket, inbound, now } = cause;
  if (!ticket) return {};
  const random = createHash('sha256').update(messageId).digest()[0]! & 0x0f;
  const sameConversation = !mail.thread || mail.conversationOfCause === true;
  const causeIndex = sameConversation ? parseThreadIndex(inbound?.headers?.['thread-index']?.[0]) : null;
  const ticketTopic = topicText(withoutSubjectPrefixes(ticket.subject));
  if (causeIndex) {
    const causeTopic = topicText(inbound?.headers?.['thread-topic']?.[0] ?? '');
    return { threadIndex: withChildBlock(causeIndex, now, random), threadTopic: causeTopic || ticketTopic };
  }
  // The requester's own Outlook conversation, kept from the mail that opened the ticket.
  const requesters = parseThreadIndex(ticket.outlookThreadIndex);
  if (requesters) return { threadIndex: withChildBlock(requesters, now, random), threadTopic: ticketTopic };
  const opened = new Date(ticket.createdAt);
  // A record without a readable creation time gets no conversation rather than a failed delivery.
  if (Number.isNaN(opened.getTime())) return {};
  const root = newThreadIndex(opened, guidFromName(ticket.key));
  const opening = now.getTime() === opened.getTime();
  return { threadIndex: opening ? root : withChildBlock(parseThreadIndex(root)!, now, random), threadTopic: ticketTopic };
}

/** A topic as one header line's text: controls gone, spaces collapsed, bounded. */
function topicText(topic: string): string {
  return boundedLine(topic.replace(/[\x00-\x1f\x7f]+/g, ' ').replace(/\s{2,}/g, ' ').trim(), MAX_SUBJECT_CHARS);
}

export function sentReply(mail: PlannedMail): SentReply {
  return { kind: mail.kind, to: mail.to.join(', '), subject: mail.subject };
}
