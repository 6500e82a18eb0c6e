/**
 * Whom a forwarded mail opens its ticket for. IT staff forward users' mail to the support
 * address; when the forward comes from authenticated staff, the ticket is the original
 * sender's, with the staff member recorded as who forwarded it. From anyone else a forward is
 * the forwarder's own request: a header block in a body is text anyone can type, so only staff
 * power (a staff address AND a From domain that vouches for the mail, thread.ts staffStanding)
 * may hand a ticket, and its answers, to someone who did not write to us.
 *
 * The rules, in order (each decision carries its evidence; forwardWords says it):
 * - A mail with a ticket tag goes on that ticket (thread.ts); nothing here applies.
 * - Not authenticated staff: the forwarder's ticket, said when the forward names someone else;
 *   a `#requester` line is plain text.
 * - `#requester <address>` on the first line of the staff member's own text names the requester,
 *   forward or not (a phone call written down); one of our own addresses is refused.
 * - The forwarded message is the outermost one: the person whose mail reached staff. Deeper
 *   forwards are part of its text (they are that person's material).
 * - Its From must be an address that is not ours and takes replies. The forwarder's own address
 *   makes the ticket the forwarder's own request; another staff address makes it that staff
 *   member's (staff can be requesters). A From with only a name (Outlook writes "From: Jane Doe"
 *   for some senders), no From, or two attached messages leave the ticket the forwarder's.
 */
import type { Mailbox } from '../mail/types.js';
import type { WrittenFrom } from '../mail/visible-text/forwards.js';
import { isSupportAddress, looksNoReply, type AddressBook } from './addresses.js';
import type { RequesterLine } from './commands.js';
import type { StaffStanding } from './thread.js';

/** A forwarded message as the mail carries it: under a header block in the text, or attached whole. */
export interface ForwardedMessage {
  form: 'inline' | 'attached';
  /** The line that marked an inline forward ("---------- Forwarded message ---------"); null when attached. */
  marker: string | null;
  from: WrittenFrom;
  /** Its subject, as its header or block says (prefixes and all); null when it names none. */
  subject: string | null;
  /** Its Message-ID: only an attached message has one. */
  messageId: string | null;
  /** Its body: what the original sender wrote (and what they quoted or forwarded). */
  text: string;
  /** The forwarder's own text: above the block, or the body around the attachment. */
  note: string;
}

export interface ForwardEvidence {
  sender: string | null;
  standing: StaffStanding;
  /** The mail carries a ticket tag: it goes on that ticket, not a new one. */
  tagged: boolean;
  forwarded: ForwardedMessage | null;
  /** Whole messages attached to a forward; more than one names no single requester. */
  attachedCount: number;
  /** `#requester` on the first line of the sender's own text. */
  requesterLine: RequesterLine | null;
  book: AddressBook;
}

/** Why the ticket stays the forwarder's, as data. */
export type ForwarderReason =
  | { kind: 'not-staff'; original: string | null }
  | { kind: 'own-mail' }
  | { kind: 'our-address'; address: string }
  | { kind: 'no-reply'; address: string }
  | { kind: 'name-only'; name: string }
  | { kind: 'not-an-address'; written: string }
  | { kind: 'no-from' }
  | { kind: 'several-attached'; count: number }
  /** Not a forward; only a `#requester` line that could not be used. */
  | { kind: 'not-a-forward' };

export type ForwardDecision =
  | {
      kind: 'for-requester';
      requester: Mailbox;
      /** The staff member who forwarded it (or wrote it down). */
      by: string;
      named: 'forwarded-from' | 'requester-line';
      forwarded: ForwardedMessage | null;
      /** The staff member's own text: an internal note on the ticket (the `#requester` line gone). */
      note: string;
      /** A `#requester` line that was not used, with why (then the forwarded From named the requester). */
      refusedLine: string | null;
    }
  | { kind: 'forwarder'; forwarder: string; forwarded: ForwardedMessage | null; why: ForwarderReason; refusedLine: string | null };

/** Whom the ticket is for, when the mail is a forward or names its requester; null when neither matters. */
export function decideForward(e: ForwardEvidence): ForwardDecision | null {
  const { sender, forwarded, requesterLine, book } = e;
  if (!sender || e.tagged || (!forwarded && !requesterLine && e.attachedCount < 2)) return null;
  const original = forwarded?.from.kind === 'mailbox' ? forwarded.from.address : null;
  if (!e.standing.isStaff) {
    const namesAnother = forwarded !== null && original !== sender;
    if (!namesAnother && !requesterLine && e.attachedCount < 2) return null;
    const refusedLine = requesterLine ? `${requesterLine.line.trim()}: only authenticated staff may name the requester` : null;
    return { kind: 'forwarder', forwarder: sender, forwarded, why: { kind: 'not-staff', original }, refusedLine };
  }

  let refusedLine: string | null = null;
  if (requesterLine) {
    const note = (forwarded ? forwarded.note : '').split(/\r?\n/).filter((line) => line !== requesterLine.line).join('\n').trim();
    if ('command' in requesterLine.parsed) {
      const address = requesterLine.parsed.command.requester;
      if (!isSupportAddress(address, book)) {
        const name = forwarded?.from.kind === 'mailbox' && forwarded.from.address === address ? forwarded.from.name : '';
        return { kind: 'for-requester', requester: { name, address }, by: sender, named: 'requester-line', forwarded, note, refusedLine: null };
      }
      refusedLine = `${requesterLine.line.trim()}: ${address} is one of our own addresses`;
    } else refusedLine = requesterLine.parsed.error;
  }

  const forwarder = (why: ForwarderReason): ForwardDecision => ({ kind: 'forwarder', forwarder: sender, forwarded, why, refusedLine });
  if (!forwarded) return forwarder(e.attachedCount > 1 ? { kind: 'several-attached', count: e.attachedCount } : { kind: 'not-a-forward' });
  const from = forwarded.from;
  switch (from.kind) {
    case 'missing':
      return forwarder({ kind: 'no-from' });
    case 'name-only':
      return forwarder({ kind: 'name-only', name: from.name });
    case 'not-an-address':
      return forwarder({ kind: 'not-an-address', written: from.written });
    case 'mailbox':
      if (from.address === sender) return forwarder({ kind: 'own-mail' });
      if (isSupportAddress(from.address, book)) return forwarder({ kind: 'our-address', address: from.address });
      if (looksNoReply(from.address)) return forwarder({ kind: 'no-reply', address: from.address });
      return {
        kind: 'for-requester',
        requester: { name: from.name, address: from.address },
        by: sender,
        named: 'forwarded-from',
        forwarded,
        note: withoutLine(forwarded.note, requesterLine?.line),
        refusedLine,
      };
  }
}

function withoutLine(text: string, line: string | undefined): string {
  return (line === undefined ? text : text.split(/\r?\n/).filter((l) => l !== line).join('\n')).trim();
}

const NAME_IT = "name the requester with '#requester <address>' on the first line";

/** The decision in words, for the reason, the ticket's history and the logs. */
export function forwardWords(d: ForwardDecision): string {
  const refused = d.refusedLine ? `; ${d.refusedLine} (not applied)` : '';
  if (d.kind === 'for-requester') {
    const what = d.forwarded ? 'forwarded' : 'sent in';
    const named = d.named === 'requester-line' ? `, named by '#requester' on its first line` : ` (${whereFound(d.forwarded!)})`;
    return `${what} by ${d.by} for ${d.requester.address}${named}${refused}`;
  }
  const yours = `the ticket is the forwarder's (${d.forwarder})`;
  const why = d.why;
  switch (why.kind) {
    case 'not-staff':
      return `a forward${why.original ? ` of ${why.original}'s mail` : ''}, not from authenticated staff, so ${yours}${refused}`;
    case 'own-mail':
      return `a forward of ${d.forwarder}'s own mail: the ticket is ${d.forwarder}'s own request (to open it for someone else, ${NAME_IT})${refused}`;
    case 'our-address':
      return `the forwarded mail is from our own address ${why.address}: ${yours}; ${NAME_IT}${refused}`;
    case 'no-reply':
      return `the forwarded mail is from ${why.address}, which takes no replies: ${yours}; ${NAME_IT}${refused}`;
    case 'name-only':
      return `the forwarded block's From names only "${clip(why.name)}", no address: ${yours}; ${NAME_IT}${refused}`;
    case 'not-an-address':
      return `the forwarded block's From "${clip(why.written)}" holds no usable address: ${yours}; ${NAME_IT}${refused}`;
    case 'no-from':
      return `the forwarded message names no sender (no From line under '${clip(d.forwarded?.marker ?? 'the forward')}'): ${yours}; ${NAME_IT}${refused}`;
    case 'several-attached':
      return `${why.count} messages are attached, so none of them names the requester: ${yours}; ${NAME_IT}${refused}`;
    case 'not-a-forward':
      return `${d.refusedLine ?? '#requester'} (not applied): the ticket is ${d.forwarder}'s own`;
  }
}

function whereFound(f: ForwardedMessage): string {
  return f.form === 'attached' ? 'the From of the attached message' : `the From under '${clip(f.marker ?? '')}'`;
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= 60 ? line : `${line.slice(0, 59)}…`;
}
