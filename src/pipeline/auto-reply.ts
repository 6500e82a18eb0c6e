import { statusLink } from '../domain/status-link.js';
import type { Config } from '../config.js';
import { isSupportAddress, looksNoReply, type AddressBook } from '../domain/addresses.js';
import type { RequesterProfile, Ticket } from '../domain/ticket.js';
import type { RenderedMail, TicketContext } from '../mail/templates/render.js';
import type { InboundMessage } from '../mail/types.js';
import { planned, suppressedEffect, type PlannedEffect, type SuppressedReply } from './effects.js';
import { OUTBOUND_KINDS, type AutoReplyKind } from './outbound-kinds.js';
import { planTicketMail, receivingAddress, ticketSubject, type SentReply } from './outbound.js';

export type { SentReply };

/** What an auto-reply says besides the ticket: its template's input, less the ticket's context. */
type ReplyDetails<K extends AutoReplyKind> = Omit<Parameters<(typeof OUTBOUND_KINDS)[K]['template']>[0], keyof TicketContext>;

/** One auto-reply to plan: its kind and what its template needs (`{ kind: 'missing-info', asks, followUp }`). */
export type ReplyPlan = { [K in AutoReplyKind]: { kind: K } & ReplyDetails<K> }[AutoReplyKind];

/**
 * Why no auto-reply may go to this requester, or null. Machine mail never gets here; these are
 * the person-level rules. Every one returns its reason, which reaches `reason` in the result.
 */
export function replySuppression(requester: string, profile: RequesterProfile | null, config: Config, book: AddressBook): string | null {
  if (!config.autoReplies.enabled) return 'auto-replies are switched off in the configuration';
  if (isSupportAddress(requester, book)) return `the requester ${requester} is one of our own addresses`;
  if (looksNoReply(requester)) return `the requester address ${requester} does not take replies`;
  // RFC 2606 reserves .invalid: no mail to it can arrive (our API keys' own names end in it).
  if (/\.invalid$/i.test(requester)) return `the requester address ${requester} is in .invalid, which no mail can reach`;
  // Amazon SES does not speak SMTPUTF8: it refuses a mail to such an address.
  if (/[^\x00-\x7f]/.test(requester)) return `the requester address ${requester} has characters outside ASCII, which Amazon SES cannot deliver to`;
  if (profile?.bouncing) return `mail to ${requester} bounces (${profile.bounceDetail ?? 'bounce recorded'}), so nothing is sent`;
  return null;
}

/** The auto-reply templates, typed per kind, so `render` can hand each plan to its own template. */
const AUTO_REPLIES: { [K in AutoReplyKind]: { template: (input: TicketContext & ReplyDetails<K>) => RenderedMail } } = OUTBOUND_KINDS;

function render<K extends AutoReplyKind>(plan: { kind: K } & ReplyDetails<K>, ctx: TicketContext): RenderedMail {
  return AUTO_REPLIES[plan.kind].template({ ...ctx, ...plan });
}

/**
 * The duplicate notice when the configuration turns duplicate notices off: held back before it
 * is planned (no effect, no plan), yet counted with every other held-back auto-reply.
 */
export function duplicateNoticeOff(config: Config): SuppressedReply | null {
  return config.autoReplies.duplicateNotice ? null : { kind: 'duplicate-notice', why: 'duplicate notices are off' };
}

export interface AutoReplyInput {
  plan: ReplyPlan;
  ticket: Ticket;
  inbound: InboundMessage;
  inboundKey: string;
  profile: RequesterProfile | null;
  now: Date;
  /** Threading on the ticket's own request, when the mail that causes it is another person's (an incident forming). */
  thread?: { inReplyTo: string; references: string[] };
  /** A staff member opened the ticket for its requester: the reply says who, not "you emailed". */
  openedFor?: TicketContext['openedFor'];
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
    statusUrl: statusLink(ticket.key, input.now, config.web),
    ...(input.openedFor ? { openedFor: input.openedFor } : {}),
  };
  const mail = planTicketMail(
    {
      kind: plan.kind,
      to: [to],
      cc: [],
      fromName: config.teamName,
      subject: ticketSubject(config, ticket),
      body: render(plan, ctx),
      // On its own ticket's thread, caused by someone else's mail: news, not an answer.
      automatic: input.thread ? 'auto-generated' : 'auto-replied',
      limitFor: to,
      ...(input.thread ? { thread: input.thread } : {}),
    },
    { ticket, inbound, inboundKey: input.inboundKey, now: input.now },
    config,
    book,
  );
  const suppressed = replySuppression(to, input.profile, config, book);
  return suppressed ? suppressedEffect(plan.kind, { type: 'mail', mail }, suppressed) : planned(plan.kind, { type: 'mail', mail });
}
