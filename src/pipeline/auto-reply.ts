import type { Config } from '../config.js';
import { isSupportAddress, looksNoReply, type AddressBook } from '../domain/addresses.js';
import type { RequesterProfile, Ticket } from '../domain/ticket.js';
import { templates, type TicketContext } from '../mail/templates.js';
import type { InboundMessage } from '../mail/types.js';
import { receivingAddress, sendTicketMail, ticketSubject, type MailPorts, type SentReply } from './outbound.js';

export type { SentReply };

export type ReplyPlan =
  | { kind: 'ack' }
  | { kind: 'missing-info'; asks: string[]; followUp: boolean }
  | { kind: 'duplicate-notice'; duplicateOfId: string };


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
 * Sends one auto-reply for one inbound mail to the ticket's requester, unless a person-level
 * rule holds it back; at most once, and within the hourly limits (src/pipeline/outbound.ts).
 */
export async function sendAutoReply(
  input: AutoReplyInput,
  ports: MailPorts,
  config: Config,
  book: AddressBook,
  messageKey: (messageId: string) => string,
): Promise<AutoReplyOutcome> {
  const { plan, ticket, inbound } = input;
  const to = ticket.requester;
  const suppressed = replySuppression(to, input.profile, config, book);
  if (suppressed) return { sent: null, suppressed };
  const ctx: TicketContext = {
    ticketId: ticket.id,
    subject: ticket.subject,
    requesterName: ticket.requesterName,
    supportAddress: receivingAddress(inbound, book),
    teamName: config.teamName,
  };
  return sendTicketMail(
    {
      kind: plan.kind,
      to: [to],
      cc: [],
      fromName: config.teamName,
      subject: ticketSubject(config, ticket),
      body: render(plan, ctx),
      automatic: 'auto-replied',
      limitFor: to,
      toRequester: true,
    },
    input,
    ports,
    config,
    book,
    messageKey,
  );
}
