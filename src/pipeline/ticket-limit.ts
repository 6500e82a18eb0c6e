/**
 * The per-requester cap on new tickets: past `limits.newTicketsPerSenderPerHour` in a clock
 * hour, a requester's new mail is quarantined with the reason (a flood of 50 mails opens 10
 * tickets, not 50), and the staff list hears of it once per address and hour.
 */
import type { Config } from '../config.js';
import type { AddressBook } from '../domain/addresses.js';
import { staffTemplates } from '../mail/templates/staff.js';
import type { InboundMessage } from '../mail/types.js';
import { runPlan, type EffectPorts } from './effect-runner.js';
import { outcomeNote, planned, type EffectPlan } from './effects.js';
import { planTicketMail } from './outbound.js';
import { limitHour } from './ports.js';

export interface OverLimit {
  reason: string;
  max: number;
  hour: string;
}

interface LimitContext {
  msg: InboundMessage;
  now: Date;
  ownKey: string;
  ports: EffectPorts;
  config: Config;
  book: AddressBook;
}

/** Takes this mail's slot among the requester's new tickets this hour (again on a replay, at no cost). */
export async function overTicketLimit(requester: string, h: LimitContext): Promise<OverLimit | null> {
  const max = h.config.limits.newTicketsPerSenderPerHour;
  const hour = limitHour(h.now);
  const allowed = await h.ports.store.takeSlot({ scope: `new-tickets#${requester}`, hour, max, member: h.ownKey });
  if (allowed) return null;
  return {
    max,
    hour,
    reason: `${requester} has opened ${max} new tickets in the hour from ${hour}:00 UTC, the most one address may (limits.newTicketsPerSenderPerHour): held in quarantine, not lost; \`ticketing replay --quarantined\` brings it in`,
  };
}

/** Tells the staff list, once per requester and hour (the plan's key makes it once), what is being held. */
export async function planLimitNotice(requester: string, over: OverLimit, h: LimitContext): Promise<string[]> {
  const support = h.config.supportAddresses[0]!;
  const body = staffTemplates.limitNotice({
    teamName: h.config.teamName,
    supportAddress: support,
    staffList: h.config.staffList,
    requester,
    max: over.max,
    hour: over.hour,
    heldSubject: h.msg.subject,
  });
  const key = `limit:${requester}:${over.hour}`;
  const mail = planTicketMail(
    { kind: 'limit-notice', to: [h.config.staffList], cc: [], fromName: h.config.teamName, subject: `New requests from ${requester} are on hold`, body, automatic: 'auto-generated', limitFor: null, thread: { inReplyTo: null, references: [] } },
    { ticket: null, inbound: { ...h.msg, to: [{ name: '', address: support }], cc: [] }, inboundKey: key.replace(/[^\w.-]+/g, '-'), now: h.now },
    h.config,
    h.book,
  );
  const plan: EffectPlan = { key, createdAt: h.now.toISOString(), receiptIds: [], effects: [planned('limit-notice', { type: 'mail', mail })] };
  const stored = await h.ports.store.putPlan(plan);
  const outcomes = await runPlan(stored, h.ports, h.config, { fresh: stored === plan });
  const sent = outcomes.some((o) => o.status === 'sent');
  return [sent ? `the staff list was told (once this hour for ${requester})` : null, ...outcomes.map(outcomeNote)].filter((n): n is string => n !== null);
}
