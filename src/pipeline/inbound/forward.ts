/**
 * A staff member forwards a user's mail: the ticket is the user's (domain/staff-forward.ts says
 * when). Here the forward is read from the mail (an inline header block, or one attached
 * message), what the new ticket takes from it (subject, text, the staff member's note), and the
 * note's own message on the ticket: internal, never sent to the requester.
 */
import type { AddressBook } from '../../domain/addresses.js';
import { requesterLineOf } from '../../domain/commands.js';
import { decideForward, forwardWords, type ForwardDecision, type ForwardedMessage } from '../../domain/staff-forward.js';
import { isForwardSubject, withoutSubjectPrefixes } from '../../domain/subject-prefixes.js';
import type { StaffStanding, TicketTag } from '../../domain/thread.js';
import type { Ticket, ThreadMessage } from '../../domain/ticket.js';
import type { InboundMessage } from '../../mail/types.js';
import { extractVisibleText } from '../../mail/visible-text.js';
import { readInlineForward, readWrittenFrom, type WrittenFrom } from '../../mail/visible-text/forwards.js';
import { boundedLine, boundedList, boundedText, MAX_SUBJECT_CHARS, STORED_TEXT_BYTES, VISIBLE_TEXT_INPUT_CHARS } from '../bounds.js';
import type { Delivery } from './context.js';
import type { EmbeddedMail } from './read-mail.js';
import { visibleTextOf } from './thread-message.js';

/** A staff forward for someone else, as the new ticket takes it. */
export interface ForwardedRequest {
  decision: Extract<ForwardDecision, { kind: 'for-requester' }>;
  /** The forwarded message's subject, without Fwd:/WG:/Re: prefixes. */
  subject: string;
  /** What the requester wrote: the ticket's text. */
  text: string;
  /** The staff member's own text, kept as an internal note (empty: no note). */
  note: string;
  /** The forwarded message's Message-ID, when it came attached: the acknowledgement threads on it. */
  originalMessageId: string | null;
}

/**
 * Whom the mail's ticket is for, when it is a forward or names its requester (null: neither
 * matters, the usual rules apply). Read for staff always, and for anyone else only when the
 * subject says forward: a stranger's forward changes nothing but the reason.
 */
export function readForward(msg: InboundMessage, embedded: EmbeddedMail, standing: StaffStanding, tag: TicketTag | null, book: AddressBook): ForwardDecision | null {
  // A tagged mail goes on its ticket (decideForward); nothing to read.
  if (!msg.from || tag || (!standing.isStaff && !isForwardSubject(msg.subject))) return null;
  const forwarded = forwardedMessageOf(msg, embedded);
  const own = forwarded ? forwarded.note : visibleTextOf(msg, []);
  const requesterLine = requesterLineOf(own, { sender: msg.from.address, ticketPrefix: book.ticketPrefix, ticketNumber: 0, categories: [], isStaff: () => false });
  return decideForward({ sender: msg.from.address, standing, tagged: tag !== null, forwarded, attachedCount: embedded.attachedCount, requesterLine, book });
}

/** The forwarded message: the header block in the text, else the one message attached to a forward. */
export function forwardedMessageOf(msg: InboundMessage, embedded: EmbeddedMail): ForwardedMessage | null {
  const body = msg.text.length > VISIBLE_TEXT_INPUT_CHARS ? msg.text.slice(0, VISIBLE_TEXT_INPUT_CHARS) : msg.text;
  const inline = readInlineForward(body, msg.subject);
  if (inline) {
    return {
      form: 'inline',
      marker: inline.marker,
      from: readWrittenFrom(inline.fields.from),
      subject: inline.fields.subject ?? null,
      messageId: null,
      text: inline.below,
      note: extractVisibleText(inline.above).text,
    };
  }
  const attached = embedded.attachedCount === 1 ? embedded.attached[0] : undefined;
  if (!attached) return null;
  return {
    form: 'attached',
    marker: null,
    from: attachedFrom(attached),
    subject: attached.subject || null,
    messageId: attached.messageIdSynthesised ? null : attached.messageId,
    text: attached.text,
    note: visibleTextOf(msg, []),
  };
}

/** The attached message's From: its mailbox, or what its header says when that is no address. */
function attachedFrom(attached: InboundMessage): WrittenFrom {
  if (attached.from) return { kind: 'mailbox', name: attached.from.name, address: attached.from.address };
  return readWrittenFrom(attached.headers.from?.[0]);
}

/** What a staff forward for someone else puts on the new ticket; null for any other mail. */
export function forwardedRequest(d: Delivery): ForwardedRequest | null {
  const decision = d.forward?.kind === 'for-requester' ? d.forward : null;
  if (!decision) return null;
  const { forwarded } = decision;
  const written = forwarded
    ? extractVisibleText(forwarded.text.slice(0, VISIBLE_TEXT_INPUT_CHARS), { subject: forwarded.subject ?? '' }).text
    : (requesterLineOf(visibleTextOf(d.msg, []), { sender: decision.by, ticketPrefix: d.book.ticketPrefix, ticketNumber: 0, categories: [], isStaff: () => false })?.rest ?? '');
  // A forward with no text of its own (an attached message that is all attachments) still says something.
  const text = written.trim() || visibleTextOf(d.msg, []);
  const subject = withoutSubjectPrefixes(forwarded?.subject ?? d.msg.subject).trim() || withoutSubjectPrefixes(d.msg.subject).trim();
  return {
    decision,
    subject: boundedLine(subject, MAX_SUBJECT_CHARS),
    text,
    note: forwarded ? decision.note : '',
    originalMessageId: forwarded?.messageId ?? null,
  };
}

/** Whom a forward's new request is for, in words: said where the mail opens a ticket or merges into one, not where it joins a thread. */
export function forwardNote(d: Delivery): string | null {
  return d.forward ? forwardWords(d.forward) : null;
}

/** The key of the note's message: after the request's own (listings sort by time, then key). */
export function forwardNoteKey(ownKey: string): string {
  return `${ownKey}.note`;
}

/**
 * The staff member's note, as an internal message on the new ticket. Written before the
 * delivery's receipts, again by a replay that resumes the ticket: the same item each time.
 */
export async function recordForwardNote(ticket: Ticket, request: ForwardedRequest, d: Delivery): Promise<void> {
  if (!request.note) return;
  const { msg, now, receipt } = d;
  const message: ThreadMessage = {
    ticketKey: ticket.key,
    key: forwardNoteKey(d.ownKey),
    direction: 'inbound',
    messageId: msg.messageId,
    from: request.decision.by,
    to: boundedList(msg.to.map((m) => m.address)),
    cc: boundedList(msg.cc.map((m) => m.address)),
    subject: boundedLine(msg.subject, MAX_SUBJECT_CHARS),
    date: msg.date,
    receivedAt: now.toISOString(),
    visibleText: boundedText(request.note, STORED_TEXT_BYTES, '\n… (the whole note is in the original mail)'),
    rawBlobKey: receipt.rawKey,
    attachments: [],
    reason: `internal note: ${forwardWords(request.decision)}; not sent to the requester`,
    role: 'note',
    parseWarnings: [],
  };
  await d.ports.store.appendMessage({ ticket, message, threadKeys: [], receipts: [], newParticipants: [], activityAt: null, merged: false });
}

/**
 * A staff member forwarding a mail onto an existing ticket (its subject carries the tag: a
 * forward of the requester's reply, of a vendor's answer): the forward is for staff, so it is
 * kept as an internal note rather than relayed to the requester.
 */
export function isForwardOntoTicket(msg: InboundMessage): boolean {
  if (!isForwardSubject(msg.subject)) return false;
  if (msg.attachments.some((a) => a.contentType === 'message/rfc822' || a.contentType === 'message/global')) return true;
  const body = msg.text.length > VISIBLE_TEXT_INPUT_CHARS ? msg.text.slice(0, VISIBLE_TEXT_INPUT_CHARS) : msg.text;
  return readInlineForward(body, msg.subject) !== null;
}
