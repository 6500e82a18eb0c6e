import * as z from 'zod';
import type { InboundMessage, Mailbox } from '../mail/types.js';

/** An address in the config, lower-cased as every comparison here expects. */
export const emailSchema = z.string().trim().toLowerCase().pipe(z.email());
export const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/, 'expected a domain name such as example.com');

/** What we know about the organisation's addresses, from the config. */
export interface AddressBook {
  supportAddresses: string[];
  ticketPrefix: string;
  staffAddresses: string[];
  staffDomains: string[];
  staffList: string;
}

export function localPart(address: string): string {
  return address.slice(0, address.lastIndexOf('@'));
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

/** `support+tkt-42@x` → `support@x`: plus-addressing carries ticket tags, not identity. */
export function withoutPlus(address: string): string {
  const local = localPart(address);
  const plus = local.indexOf('+');
  return plus === -1 ? address : `${local.slice(0, plus)}@${domainOf(address)}`;
}

export function isSupportAddress(address: string, book: AddressBook): boolean {
  const base = withoutPlus(address);
  return book.supportAddresses.includes(base) || base === book.staffList;
}

export function isStaffAddress(address: string, book: AddressBook): boolean {
  return book.staffAddresses.includes(address) || book.staffDomains.includes(domainOf(address));
}

// Senders that take no reply, by their local part: one list for the auto-reply guard
// (looksNoReply) and the machine-mail rules, which tell its three kinds apart.

/** Mailboxes mail systems send bounces from; machine-mail reads them as bounces (rule 5). */
const MAIL_SYSTEM = 'mailer[-_.]?daemon|mail[-_.]?daemon|post[-_.]?master|mail[-_.]?delivery[-_.]?(?:sub)?system|microsoftexchange[0-9a-f]{32}';
/** Names that say "do not answer"; machine-mail reads them as notifications unless Reply-To names someone (rule 16). */
const NO_REPLY = 'no[-_.]?reply|do[-_.]?not[-_.]?reply|dont[-_.]?reply|bounces?|notifications?';
/** A contact form: nobody reads forms@, but it names the person in Reply-To, so it is no notification. */
const CONTACT_FORM = 'forms?';
/** A tag after the name: "noreply+42@", "bounces-x@". */
const TAG = '(?:[+._-].*)?';

const MAIL_SYSTEM_LOCAL = new RegExp(`^(?:${MAIL_SYSTEM})$`, 'i');
const NO_REPLY_LOCAL = new RegExp(`^(?:${NO_REPLY})${TAG}$`, 'i');
const TAKES_NO_REPLY_LOCAL = new RegExp(`^(?:${MAIL_SYSTEM}|${NO_REPLY}|${CONTACT_FORM})${TAG}$`, 'i');

export function isMailSystemAddress(address: string): boolean {
  return MAIL_SYSTEM_LOCAL.test(localPart(address));
}

export function isNoReplyAddress(address: string): boolean {
  return NO_REPLY_LOCAL.test(localPart(address));
}

/** No one reads replies to it: a mail system, a no-reply sender or a contact form. */
export function looksNoReply(address: string): boolean {
  return TAKES_NO_REPLY_LOCAL.test(localPart(address));
}

export interface RequesterChoice {
  requester: Mailbox;
  /** Where the requester came from: worth saying in the reason unless it is plainly From. */
  source: 'from' | 'reply-to' | 'from-not-reply-to' | 'forwarded';
  reason: string;
}

/**
 * Who the ticket is for. A single Reply-To that is not ours names the person to answer
 * (contact forms send From a no-reply address), when the From domain vouches for the mail
 * (`authenticated`): otherwise anyone could send answers meant for the From person elsewhere.
 * Else the From address.
 */
export function chooseRequester(msg: InboundMessage, book: AddressBook, authenticated: boolean): RequesterChoice | null {
  const from = msg.from;
  const replyTo = msg.replyTo.filter((m) => !isSupportAddress(m.address, book));
  const single = replyTo.length === 1 ? replyTo[0] : undefined;
  if (single && from && single.address !== from.address && !authenticated) {
    return { requester: from, source: 'from-not-reply-to', reason: `Reply-To ${single.address} not used: the mail is not authenticated, so answers go to From ${from.address}` };
  }
  if (single && single.address !== from?.address) {
    const why = from
      ? looksNoReply(from.address)
        ? `From ${from.address} is a no-reply address`
        : `Reply-To differs from From ${from.address}`
      : 'there is no From header';
    return { requester: single, source: 'reply-to', reason: `requester ${single.address} taken from Reply-To (${why})` };
  }
  if (!from) return null;
  return { requester: from, source: 'from', reason: `requester ${from.address} from the From header` };
}

/** Everyone visible on the mail who is not us: requester, From, To and Cc. */
export function visibleParticipants(msg: InboundMessage, book: AddressBook): string[] {
  const all = [msg.from, ...msg.replyTo, ...msg.to, ...msg.cc]
    .filter((m): m is Mailbox => m !== null)
    .map((m) => m.address)
    .filter((a) => !isSupportAddress(a, book));
  return [...new Set(all)];
}
