import type { Config } from '../config.js';
import { domainOf, isSupportAddress, localPart, looksNoReply, withoutPlus, type AddressBook } from '../domain/addresses.js';
import type { RequesterProfile, Ticket, ThreadMessage } from '../domain/ticket.js';
import { composeMail, replySubject } from '../mail/compose.js';
import { templates, type TicketContext } from '../mail/templates.js';
import type { InboundMessage } from '../mail/types.js';
import type { Mailer } from './mailer.js';
import type { TicketStore } from './ports.js';

export type AutoReplyKind = 'ack' | 'missing-info' | 'duplicate-notice';

export type ReplyPlan =
  | { kind: 'ack' }
  | { kind: 'missing-info'; asks: string[]; followUp: boolean }
  | { kind: 'duplicate-notice'; duplicateOfId: string };

export interface SentReply {
  kind: string;
  to: string;
  subject: string;
}

/** How many of our own texts a ticket keeps, to clean replies that paste them back unquoted. */
const KEPT_OUTBOUND_TEXTS = 3;

/**
 * Why no auto-reply may go to this requester, or null. Machine mail never gets here; these are
 * the person-level rules. Every one returns its reason, which reaches `reason` in the result.
 */
export function replySuppression(requester: string, profile: RequesterProfile | null, config: Config, book: AddressBook): string | null {
  if (!config.autoReplies.enabled) return 'auto-replies are switched off in the configuration';
  if (isSupportAddress(requester, book)) return `the requester ${requester} is one of our own addresses`;
  if (looksNoReply(requester)) return `the requester address ${requester} does not take replies`;
  if (profile?.bouncing) return `mail to ${requester} bounces (${profile.bounceDetail ?? 'bounce recorded'}), so nothing is sent`;
  return null;
}

/** The support address the mail came in on (plus-tags removed), else our first. */
export function receivingAddress(msg: InboundMessage, book: AddressBook): string {
  const ours = [...msg.to, ...msg.cc].map((m) => withoutPlus(m.address)).find((a) => book.supportAddresses.includes(a));
  return ours ?? book.supportAddresses[0]!;
}

export function ticketAddress(supportAddress: string, prefix: string, number: number): string {
  return `${localPart(supportAddress)}+${prefix.toLowerCase()}-${number}@${domainOf(supportAddress)}`;
}

function render(plan: ReplyPlan, ctx: TicketContext) {
  switch (plan.kind) {
    case 'ack':
      return templates.ack(ctx);
    case 'missing-info':
      return templates.missingInfo({ ...ctx, asks: plan.asks, followUp: plan.followUp });
    case 'duplicate-notice':
      return templates.duplicateNotice({ ...ctx, duplicateOfId: plan.duplicateOfId });
  }
}

export interface AutoReplyInput {
  plan: ReplyPlan;
  ticket: Ticket;
  inbound: InboundMessage;
  inboundKey: string;
  profile: RequesterProfile | null;
  now: Date;
}

export interface AutoReplyOutcome {
  sent: SentReply | null;
  suppressed: string | null;
}

/**
 * Sends one auto-reply for one inbound mail, at most once (a claim keyed by the inbound mail)
 * and within the per-sender and per-ticket hourly limits held in the store.
 */
export async function sendAutoReply(
  input: AutoReplyInput,
  ports: { store: TicketStore; mailer: Mailer },
  config: Config,
  book: AddressBook,
  messageKey: (messageId: string) => string,
): Promise<AutoReplyOutcome> {
  const { plan, ticket, inbound, now } = input;
  const to = ticket.requester;
  const suppressed = replySuppression(to, input.profile, config, book);
  if (suppressed) return { sent: null, suppressed };

  const [claimed, limited] = await Promise.all([
    ports.store.claimReply(input.inboundKey, plan.kind),
    ports.store.takeReplySlot({
      sender: to,
      ticketKey: ticket.key,
      hour: now.toISOString().slice(0, 13),
      maxPerSender: config.autoReplies.maxPerSenderPerHour,
      maxPerTicket: config.autoReplies.maxPerTicketPerHour,
    }),
  ]);
  if (!claimed) return { sent: null, suppressed: 'this mail was already answered (delivered again)' };
  if (limited) return { sent: null, suppressed: limited };

  const support = receivingAddress(inbound, book);
  const ctx: TicketContext = {
    ticketId: ticket.id,
    subject: ticket.subject,
    requesterName: ticket.requesterName,
    supportAddress: support,
    teamName: config.teamName,
  };
  const body = render(plan, ctx);
  const subject = replySubject(config.ticketPrefix, ticket.number, ticket.subject);
  const ourId = `${plan.kind}.${input.inboundKey}@${domainOf(support)}`;
  const raw = await composeMail({
    from: { name: config.teamName, address: support },
    to: [to],
    cc: [],
    replyTo: ticketAddress(support, config.ticketPrefix, ticket.number),
    subject,
    messageId: ourId,
    inReplyTo: inbound.messageId,
    references: [...inbound.references, inbound.messageId],
    text: body.text,
    html: body.html,
    date: now,
  });
  const sent = await ports.mailer.send(raw, { from: support, to: [to] });
  const message: ThreadMessage = {
    ticketKey: ticket.key,
    key: messageKey(ourId),
    direction: 'outbound',
    messageId: ourId,
    from: support,
    to: [to],
    cc: [],
    subject,
    date: now.toISOString(),
    receivedAt: now.toISOString(),
    visibleText: body.text,
    rawBlobKey: '',
    attachments: [],
    reason: `auto-reply (${plan.kind}) to <${inbound.messageId}>; sent as ${sent.providerMessageId}`,
    role: plan.kind,
    parseWarnings: [],
  };
  await ports.store.recordOutbound({
    ticket,
    message,
    threadKeys: [...new Set([ourId, ...sent.messageIdHeaders])],
    outboundTexts: [...ticket.outboundTexts, body.text].slice(-KEPT_OUTBOUND_TEXTS),
  });
  return { sent: { kind: plan.kind, to, subject }, suppressed: null };
}
