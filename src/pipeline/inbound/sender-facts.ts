/**
 * Step 3: who the mail is from and what kind it is, read from the mail alone: how well its
 * sender is authenticated, whether a machine wrote it (and which bounce it is), who the
 * requester would be, whether the sender speaks as staff, and which ticket tag it carries.
 */
import type { Config } from '../../config.js';
import { chooseRequester, domainOf, isStaffAddress, type AddressBook } from '../../domain/addresses.js';
import { deliveryReport } from '../../domain/bounce.js';
import { classifyMachineMail } from '../../domain/machine-mail.js';
import type { Receipt, WebProof } from '../../domain/receipt.js';
import { isAuthenticated, senderAuthentication, type SenderAuthentication } from '../../domain/sender-trust.js';
import { forwardWords } from '../../domain/staff-forward.js';
import { findTicketTag, staffStanding, type StaffStanding } from '../../domain/thread.js';
import type { InboundMessage } from '../../mail/types.js';
import { returnPathIn } from '../outbound.js';
import type { SenderFacts } from './context.js';
import { readForward } from './forward.js';
import type { EmbeddedMail } from './read-mail.js';

export function senderFacts(msg: InboundMessage, embedded: EmbeddedMail, receipt: Receipt, config: Config, book: AddressBook): SenderFacts {
  const sender = msg.from?.address ?? null;
  const auth = receipt.proof
    ? webAuthentication(receipt.proof, sender, book)
    : senderAuthentication({
        verdicts: receipt.verdicts,
        authResults: msg.headers['authentication-results'] ?? [],
        trustedIds: trustedAuthservIds(receipt, config),
        fromDomain: msg.from ? domainOf(msg.from.address) : null,
        exchangeAuthAs: isExchangeOnlineMailbox(receipt, config) ? (msg.headers['x-ms-exchange-organization-authas'] ?? []) : null,
      });
  const machine = classifyMachineMail(msg, book);
  const bounce = machine?.kind === 'bounce' ? deliveryReport([msg.text, ...embedded.texts]) : null;
  const tag = findTicketTag(msg, book);
  const standing = receipt.proof ? webStanding(receipt.proof, sender, book) : staffStanding(sender, msg.fromMailboxes.length, book, auth);
  // Mail our HTTP app wrote is typed, not forwarded: it names its requester its own way.
  const forward = machine || receipt.proof ? null : readForward(msg, embedded, standing, tag, book);
  return {
    sender,
    tag,
    machine,
    choice:
      forward?.kind === 'for-requester'
        ? { requester: forward.requester, source: 'forwarded', reason: forwardWords(forward) }
        : chooseRequester(msg, book, isAuthenticated(auth)),
    auth,
    standing,
    bounce,
    returnPath: bounce ? returnPathIn([...receipt.recipients, ...msg.to.map((m) => m.address), ...deliveredTo(msg)], book) : null,
    forward,
  };
}

/** What the result's reason says after the decision: standing, why the requester is who it is, parse warnings. */
export function senderNotes(msg: InboundMessage, facts: SenderFacts): string[] {
  const { standing, choice } = facts;
  return [
    standing.note,
    // A forward's words are said where it opens or joins a ticket as a new request (forward.ts forwardNote).
    choice && choice.source !== 'from' && choice.source !== 'forwarded' ? choice.reason : null,
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
  // The mailbox's own provider wrote its header on top (config graph/gmail authservId).
  graph: (config) => (config.graph ? [config.graph.authservId] : []),
  gmail: (config) => (config.gmail ? [config.gmail.authservId] : []),
  smtp: () => [],
  // Our HTTP app wrote the mail: its proof (receipt.proof) is the only evidence.
  web: () => [],
  api: () => [],
};

/**
 * The mailbox is in Exchange Online, whose own organisation headers can be believed: read through
 * Graph, or over IMAP with a Microsoft 365 app's token. Any other IMAP server may pass on whatever
 * a sender wrote.
 */
function isExchangeOnlineMailbox(receipt: Receipt, config: Config): boolean {
  return receipt.source === 'graph' || (receipt.source === 'imap' && config.imap?.oauth2 !== undefined);
}

/** How far the address of a mail our HTTP app wrote is proven: a status link, a console session or a signed Slack request of that staff address. */
function webAuthentication(proof: WebProof, sender: string | null, book: AddressBook): SenderAuthentication {
  const none = { spf: 'GRAY', dkim: 'GRAY', dkimAlignedDomain: null } as const;
  if (proof.kind === 'status-link') return { ...none, source: 'border', dmarc: 'PASS', evidence: `a signed status link that was mailed to ${sender ?? 'the requester'}` };
  if (proof.kind === 'console' && staffSender(proof, sender, book)) return { ...none, source: 'border', dmarc: 'PASS', evidence: `a staff console session of ${proof.staff}` };
  if (proof.kind === 'slack' && staffSender(proof, sender, book)) {
    return { ...none, source: 'border', dmarc: 'PASS', evidence: `a Slack request signed with the app's signing secret, from Slack user ${proof.slackUser} whose profile email is ${proof.staff}` };
  }
  if (proof.kind === 'api-key') return { ...none, source: 'border', dmarc: 'GRAY', evidence: `API key "${proof.name}"` };
  return { ...none, source: 'none', dmarc: 'GRAY', evidence: 'an address typed into a web form or an API call, not proven to be theirs' };
}

/** Staff powers through the HTTP app come from an API key, a console session or Slack; a status link is the requester's. */
function webStanding(proof: WebProof, sender: string | null, book: AddressBook): StaffStanding {
  if (proof.kind === 'api-key') return { isStaff: true, note: `staff powers from API key "${proof.name}"`, refused: null };
  if (proof.kind === 'console' && staffSender(proof, sender, book)) return { isStaff: true, note: `by ${proof.staff} in the staff console`, refused: null };
  if (proof.kind === 'slack' && staffSender(proof, sender, book)) return { isStaff: true, note: `by ${proof.staff} via Slack`, refused: null };
  return { isStaff: false, note: null, refused: null };
}

/** A console or Slack mail speaks for its proven staff address only, and only while that address is staff. */
function staffSender(proof: Extract<WebProof, { kind: 'console' | 'slack' }>, sender: string | null, book: AddressBook): boolean {
  return sender === proof.staff && isStaffAddress(sender, book);
}

function trustedAuthservIds(receipt: Receipt, config: Config): string[] {
  return TRUSTED_AUTHSERV_IDS[receipt.source](config);
}

/** The Delivered-To and X-Original-To headers: where a receiving server says a bounce was addressed. */
function deliveredTo(msg: InboundMessage): string[] {
  return [...(msg.headers['delivered-to'] ?? []), ...(msg.headers['x-original-to'] ?? [])].map((v) => v.trim().toLowerCase().replace(/^<|>$/g, ''));
}
