import type { Config } from '../config.js';
import { isSupportAddress, looksNoReply, type AddressBook } from '../domain/addresses.js';
import type { RequesterProfile, Ticket } from '../domain/ticket.js';
import { templates, type TicketContext } from '../mail/templates.js';
import type { InboundMessage } from '../mail/types.js';
import { planned, suppressedEffect, type PlannedEffect } from './effects.js';
import { planTicketMail, receivingAddress, ticketSubject, type SentReply } from './outbound.js';

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
  // Amazon SES does not speak SMTPUTF8: it refuses a mail to such an address.
  if (/[^\x00-\x7f]/.test(requester)) return `the requester address ${requester} has characters outside ASCII, which Amazon SES cannot deliver to`;
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

/**
 * One auto-reply for one inbound mail to the ticket's requester, planned; held back (with the
 * reason kept in the plan) when a person-level rule says so. The hourly limits are taken when
 * it is sent (src/pipeline/effect-runner.ts).
 */
export function planAutoReply(input: AutoReplyInput, config: Config, book: AddressBook): PlannedEffect {
  const { plan, ticket, inbound } = input;
  const to = ticket.requester;
  const ctx: TicketContext = {
    ticketId: ticket.id,
    subject: ticket.subject,
    requesterName: ticket.requesterName,
    supportAddress: receivingAddress(inbound, book),
    teamName: config.teamName,
  };
  const mail = planTicketMail(
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
    { ticket, inbound, inboundKey: input.inboundKey, now: input.now },
    config,
    book,
  );
  const suppressed = replySuppression(to, input.profile, config, book);
  return suppressed ? suppressedEffect(plan.kind, { type: 'mail', mail }, suppressed) : planned(plan.kind, { type: 'mail', mail });
}
