/**
 * Step 3: who the mail is from and what kind it is, read from the mail alone: how well its
 * sender is authenticated, whether a machine wrote it (and which bounce it is), who the
 * requester would be, whether the sender speaks as staff, and which ticket tag it carries.
 */
import type { Config } from '../../config.js';
import { chooseRequester, domainOf, type AddressBook } from '../../domain/addresses.js';
import { deliveryReport } from '../../domain/bounce.js';
import { classifyMachineMail } from '../../domain/machine-mail.js';
import type { Receipt } from '../../domain/receipt.js';
import { isAuthenticated, senderAuthentication } from '../../domain/sender-trust.js';
import { findTicketTag, staffStanding } from '../../domain/thread.js';
import type { InboundMessage } from '../../mail/types.js';
import { returnPathIn } from '../outbound.js';
import type { SenderFacts } from './context.js';

export function senderFacts(msg: InboundMessage, embedded: string[], receipt: Receipt, config: Config, book: AddressBook): SenderFacts {
  const auth = senderAuthentication({
    verdicts: receipt.verdicts,
    authResults: msg.headers['authentication-results'] ?? [],
    trustedIds: trustedAuthservIds(receipt, config),
    fromDomain: msg.from ? domainOf(msg.from.address) : null,
  });
  const machine = classifyMachineMail(msg, book);
  const sender = msg.from?.address ?? null;
  const bounce = machine?.kind === 'bounce' ? deliveryReport([msg.text, ...embedded]) : null;
  return {
    sender,
    tag: findTicketTag(msg, book),
    machine,
    choice: chooseRequester(msg, book, isAuthenticated(auth)),
    auth,
    standing: staffStanding(sender, msg.fromMailboxes.length, book, auth),
    bounce,
    returnPath: bounce ? returnPathIn([...receipt.recipients, ...msg.to.map((m) => m.address), ...deliveredTo(msg)], book) : null,
  };
}

/** What the result's reason says after the decision: standing, why the requester is who it is, parse warnings. */
export function senderNotes(msg: InboundMessage, facts: SenderFacts): string[] {
  const { standing, choice } = facts;
  return [
    standing.note,
    choice && choice.source !== 'from' ? choice.reason : null,
    msg.parseWarnings.length ? `parsed with warnings: ${msg.parseWarnings.slice(0, 5).join('; ')}${msg.parseWarnings.length > 5 ? ` (and ${msg.parseWarnings.length - 5} more)` : ''}` : null,
  ].filter((n): n is string => n !== null);
}

/**
 * The authserv-ids whose Authentication-Results our border writes on mail from each source: a
 * new source must say whose header it trusts (none, unless its border adds one).
 */
const TRUSTED_AUTHSERV_IDS: Record<Receipt['source'], (config: Config) => string[]> = {
  // The raw object was written by SES's receipt rule: its own header is the topmost.
  ses: () => ['amazonses.com'],
  s3: () => ['amazonses.com'],
  imap: (config) => (config.imap?.authservId !== undefined ? [config.imap.authservId] : []),
  smtp: () => [],
};

function trustedAuthservIds(receipt: Receipt, config: Config): string[] {
  return TRUSTED_AUTHSERV_IDS[receipt.source](config);
}

/** The Delivered-To and X-Original-To headers: where a receiving server says a bounce was addressed. */
function deliveredTo(msg: InboundMessage): string[] {
  return [...(msg.headers['delivered-to'] ?? []), ...(msg.headers['x-original-to'] ?? [])].map((v) => v.trim().toLowerCase().replace(/^<|>$/g, ''));
}
