import type { InboundMessage } from '../mail/types.js';
import { isStaffAddress, isSupportAddress, localPart, type AddressBook } from './addresses.js';
import { authenticationWords, isAuthenticated, type SenderAuthentication } from './sender-trust.js';

/** How many References ids we look up: long threads carry dozens, the newest matter most. */
const MAX_REFERENCE_LOOKUPS = 40;

/** Message-IDs that could tie this mail to a stored thread, most telling first. */
export function threadKeysToLookUp(msg: InboundMessage): string[] {
  const refs = [...msg.references].reverse().slice(0, MAX_REFERENCE_LOOKUPS);
  return [...new Set([...msg.inReplyTo, ...refs])].filter((id) => id !== msg.messageId);
}

export interface TicketTag {
  number: number;
  where: 'subject' | 'address';
  text: string;
}

/** `[TKT-42]` in the subject, or a plus-address `support+tkt-42@…` among the recipients. */
export function findTicketTag(msg: InboundMessage, book: AddressBook): TicketTag | null {
  const subjectTag = new RegExp(`\\[\\s*${book.ticketPrefix}-(\\d{1,9})\\s*\\]`, 'i').exec(msg.subject);
  if (subjectTag) return { number: Number(subjectTag[1]), where: 'subject', text: subjectTag[0] };
  const plusTag = new RegExp(`\\+${book.ticketPrefix}-(\\d{1,9})$`, 'i');
  for (const rcpt of [...msg.to, ...msg.cc]) {
    if (!isSupportAddress(rcpt.address, book)) continue;
    const match = plusTag.exec(localPart(rcpt.address));
    if (match) return { number: Number(match[1]), where: 'address', text: rcpt.address };
  }
  return null;
}

export interface TicketSummary {
  key: string;
  id: string;
  requester: string;
  participants: string[];
}

export type ThreadDecision =
  | { kind: 'existing'; ticketKey: string; reason: string }
  | { kind: 'new'; reason: string };

export interface ThreadEvidence {
  /** Thread-key hits: Message-ID → ticket key, from the store. */
  keyHits: Map<string, string>;
  tag: TicketTag | null;
  /** The ticket the tag names, when it exists. */
  taggedTicket: TicketSummary | null;
  /** Sender address (From), and whether it passed as staff. */
  sender: string | null;
  senderIsStaff: boolean;
}

/**
 * Which ticket a mail belongs to. A stored Message-ID in In-Reply-To/References is proof
 * enough (only someone who saw the thread knows it); a tag alone is not, so it needs
 * the sender to be on the ticket already.
 */
export function decideThread(msg: InboundMessage, evidence: ThreadEvidence, prefix: string): ThreadDecision {
  for (const id of msg.inReplyTo) {
    const key = evidence.keyHits.get(id);
    if (key) return { kind: 'existing', ticketKey: key, reason: `In-Reply-To <${id}> is a message on this ticket` };
  }
  for (const id of threadKeysToLookUp(msg)) {
    const key = evidence.keyHits.get(id);
    if (key) return { kind: 'existing', ticketKey: key, reason: `References <${id}> is a message on this ticket` };
  }
  const { tag, taggedTicket, sender } = evidence;
  if (!tag) return { kind: 'new', reason: newReason(msg) };
  const tagName = `${prefix}-${tag.number}`;
  const where = tag.where === 'subject' ? `subject tag ${tag.text}` : `plus-address ${tag.text}`;
  if (!taggedTicket) return { kind: 'new', reason: `${where} names ${tagName}, which does not exist; opened a new ticket` };
  if (sender && evidence.senderIsStaff) {
    return { kind: 'existing', ticketKey: taggedTicket.key, reason: `${where} from staff member ${sender}` };
  }
  if (sender && (sender === taggedTicket.requester || taggedTicket.participants.includes(sender))) {
    return { kind: 'existing', ticketKey: taggedTicket.key, reason: `${where} from ${sender}, a participant of ${tagName}` };
  }
  return {
    kind: 'new',
    reason: `${where} names ${tagName} but ${sender ?? 'the sender'} is not one of its participants; opened a new ticket`,
  };
}

function newReason(msg: InboundMessage): string {
  if (msg.inReplyTo.length || msg.references.length) {
    return 'replies to a message we never stored (no In-Reply-To/References match) and carries no ticket tag';
  }
  return 'a new conversation: no In-Reply-To, References or ticket tag';
}

/**
 * Staff status needs a staff address as the one From AND a From domain that vouches for the
 * mail (DMARC pass, or DKIM aligned with it); the note says which failed.
 */
export function staffStanding(
  sender: string | null,
  fromCount: number,
  book: AddressBook,
  auth: SenderAuthentication,
): StaffStanding {
  if (!sender || !isStaffAddress(sender, book)) return { isStaff: false, note: null, refused: null };
  if (fromCount > 1) {
    const why = `From names ${fromCount} addresses`;
    return { isStaff: false, note: `${sender} looks like staff but ${why}, so it is treated as a stranger`, refused: { address: sender, why } };
  }
  if (isAuthenticated(auth)) return { isStaff: true, note: null, refused: null };
  const why = auth.dmarc === 'FAIL' ? 'DMARC failed' : authenticationWords(auth);
  return { isStaff: false, note: `${sender} looks like staff but ${why}, so it is treated as a stranger`, refused: { address: sender, why } };
}

export interface StaffStanding {
  isStaff: boolean;
  note: string | null;
  /** A staff address whose mail was refused staff powers, and why: that person is told. */
  refused: { address: string; why: string } | null;
}
