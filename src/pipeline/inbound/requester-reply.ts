/** The requester (or someone in Cc) wrote on the thread: status, missing details, priority. */
import type { TicketEvent } from '../../domain/lifecycle.js';
import { replyChanges } from '../../domain/reply-changes.js';
import type { Ticket } from '../../domain/ticket.js';
import { planAutoReply } from '../auto-reply.js';
import { ANALYSED_TEXT_CHARS } from '../bounds.js';
import type { PlannedEffect } from '../effects.js';
import { planStaffNotice } from '../staff.js';
import { cause, updateEventEffects, profileNow, shared, type Delivery } from './context.js';
import { recordOnTicket } from './record-on-ticket.js';
import { joinReason, result, type InboundResult } from './result.js';
import type { Route } from './route.js';
import { excerpt } from './thread-message.js';

export async function appendRequesterReply(route: Extract<Route, { kind: 'requester-reply' }>, d: Delivery): Promise<InboundResult> {
  const { ticket, why, visible, effect } = route;
  const { msg, now, config } = d;
  const actor = msg.from?.address ?? ticket.requester;
  const update = replyChanges(
    ticket,
    { text: visible.slice(0, ANALYSED_TEXT_CHARS), subject: msg.subject, sender: actor, sentAt: msg.date ? new Date(msg.date) : now },
    { missingInfo: config.missingInfo, triage: config.triage, maxFollowUpAsks: config.autoReplies.maxFollowUpAsks },
    now,
  );
  const events: TicketEvent[] = [...update.events];
  // "Solved" wins over what the words would change (the missing details it no longer needs).
  if (effect.kind === 'status' && (update.changes.status === undefined || effect.to === 'resolved')) {
    update.changes.status = effect.to;
    if (effect.to === 'resolved') update.changes.resolvedAt = now.toISOString();
    events.push({ at: now.toISOString(), actor, kind: 'status', from: ticket.status, to: effect.to, why: effect.why });
    update.reasons.push(effect.why);
  } else if (effect.kind === 'record-only') {
    update.reasons.push(effect.why);
  }
  update.changes.lastExcerpt = excerpt(visible);
  const reason = joinReason([why, ...update.reasons, ...d.notes]);
  const changed: Ticket = { ...ticket, ...update.changes };
  // Staff hear of a reply that needs them: back to open, reopened, or now P1.
  const backToOpen = changed.status === 'open' && ticket.status !== 'open';
  const nowP1 = changed.priority === 'P1' && ticket.priority !== 'P1';
  const who = msg.from?.name || msg.from?.address || 'The requester';
  const solved = changed.status === 'resolved' && ticket.status !== 'resolved';
  const headline = [
    solved ? `${who} marked ${ticket.id} solved` : ticket.status === 'resolved' ? `${who} reopened ${ticket.id}` : backToOpen ? `${who} replied on ${ticket.id}: back to open` : `${who} wrote on ${ticket.id}`,
    nowP1 ? `now P1` : null,
  ]
    .filter(Boolean)
    .join(', ');
  const ask = update.askAgain && !solved ? ({ kind: 'missing-info', asks: update.askAgain, followUp: true } as const) : null;
  const effects = [
    ask ? planAutoReply({ plan: ask, ticket: changed, inbound: msg, inboundKey: d.ownKey, profile: profileNow(d), now }, config, d.book) : null,
    backToOpen || nowP1 || solved ? planStaffNotice(changed, headline, visible, cause(changed, d), shared(d)) : null,
    ...updateEventEffects(changed, events, d),
  ].filter((e): e is PlannedEffect => e !== null);
  return recordOnTicket(ticket, d, { out: result('appended', reason, msg, changed), visible, role: 'reply', participants: true, activity: true, changes: update.changes, events, effects });
}
