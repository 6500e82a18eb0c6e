/**
 * The one way an inbound mail is appended to a ticket. When the mail changes anything (the
 * ticket, its audience, or what we send), the decision goes into the mail's plan first and a
 * replay repeats that decision; then the message, thread key and ticket update; the receipts
 * last; then the plan's effects run. A mail that changes nothing has its receipts written with
 * its message, believed by a re-delivery only once that message is found (redelivery.ts).
 */
import { isStaffAddress, visibleParticipants, type AddressBook } from '../../domain/addresses.js';
import type { TicketEvent } from '../../domain/lifecycle.js';
import { authenticationWords, isAuthenticated, type SenderAuthentication } from '../../domain/sender-trust.js';
import type { Ticket, TicketChanges } from '../../domain/ticket.js';
import type { InboundMessage } from '../../mail/types.js';
import { boundedList } from '../bounds.js';
import { runPlan } from '../effect-runner.js';
import type { EffectPlan, PlannedEffect } from '../effects.js';
import type { AppendWrite } from '../ports.js';
import { clearBouncing, deliveryPlan, doneReceipts, type Delivery } from './context.js';
import { joinReason, withOutcomes, type InboundResult } from './result.js';
import { threadMessage } from './thread-message.js';

export interface Append {
  out: InboundResult;
  visible: string;
  role: string;
  /** Whether people in To/Cc join the ticket (authenticated mail only). */
  participants: boolean;
  /** Whether the mail counts as activity on the ticket (not machine mail, not an outsider). */
  activity: boolean;
  merged?: boolean;
  changes?: TicketChanges;
  events?: TicketEvent[];
  effects?: PlannedEffect[];
  /** Who a staff member's send-as copy went to: a bounce of it may name them. */
  sentTo?: string[];
}

export async function recordOnTicket(ticket: Ticket, d: Delivery, w: Append): Promise<InboundResult> {
  const { msg, now, ports, book } = d;
  const added = w.participants ? newParticipants(msg, ticket, book) : [];
  const refused = added.length > 0 && !isAuthenticated(d.auth) ? participantsRefused(added, d.auth) : null;
  const reason = joinReason([w.out.reason, refused]);
  const after = w.out.ticket === ticket.id ? { ...ticket, ...(w.changes ?? {}) } : ticket;
  const write: AppendWrite = {
    ticket,
    message: await threadMessage(ticket.key, w.visible, reason, w.role, d),
    threadKeys: [msg.messageId],
    receipts: doneReceipts(d, w.out.outcome, after, reason),
    newParticipants: refused ? [] : boundedList(added),
    activityAt: w.activity ? now.toISOString() : null,
    merged: w.merged ?? false,
    ...(w.sentTo ? { sentTo: w.sentTo } : {}),
    ...(w.changes ? { changes: w.changes } : {}),
    ...(w.events ? { events: w.events } : {}),
  };
  const { replies: _none, ...decided } = { ...w.out, reason };
  const changesSomething = w.effects?.length || write.newParticipants.length || write.merged || Object.keys(w.changes ?? {}).length || w.events?.length;
  if (!changesSomething) {
    // Nothing to repeat: the receipts go with the message, and a re-delivery reads the message back before it believes them.
    const receipts = write.receipts.map((r) => ({ ...r, withMessage: true }));
    await Promise.all([ports.store.appendMessage({ ...write, receipts }), clearBouncing(d)]);
    return { ...w.out, reason };
  }
  const plan = deliveryPlan(d, w.effects ?? [], { write, result: decided });
  const stored = await ports.store.putPlan(plan);
  return finishDecision(stored, d, stored === plan);
}

/** Writes a plan's decision (again, after a crash: every write is idempotent), then runs its effects. */
export async function finishDecision(plan: EffectPlan, d: Delivery, fresh: boolean): Promise<InboundResult> {
  const decision = plan.decision!;
  await Promise.all([d.ports.store.appendMessage(decision.write), clearBouncing(d)]);
  // What the decision held back is news only to the run that decided it (older plans kept none).
  const out: InboundResult = { ...decision.result, replies: [], suppressed: fresh ? (decision.result.suppressed ?? []) : [] };
  const resumed = fresh ? out : { ...out, reason: `${out.reason}; finished an interrupted delivery` };
  return withOutcomes(resumed, await runPlan(plan, d.ports, d.config, { fresh }));
}

/** Only a mail whose From domain vouches for it may bring others onto the ticket: said when it may not. */
export function participantsRefused(addresses: string[], auth: SenderAuthentication): string {
  const list = addresses.length > 3 ? `${addresses.slice(0, 3).join(', ')} and ${addresses.length - 3} more` : addresses.join(', ');
  return `${list} not added to the ticket: only authenticated mail may change who hears it (${authenticationWords(auth)})`;
}

function newParticipants(msg: InboundMessage, ticket: Ticket, book: AddressBook): string[] {
  return visibleParticipants(msg, book).filter((a) => a !== ticket.requester && !ticket.participants.includes(a) && !isStaffAddress(a, book));
}
