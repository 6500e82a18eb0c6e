/** A staff member wrote on the thread: commands applied, the answer relayed or kept internal. */
import type { TicketEvent } from '../../domain/lifecycle.js';
import { actedVia, resultInResponse } from '../../domain/receipt.js';
import { formatIncidentId } from '../../domain/incidents/incident.js';
import type { Ticket } from '../../domain/ticket.js';
import { planStaffMails, staffEffect } from '../staff.js';
import { cause, updateEventEffects, shared, type Delivery } from './context.js';
import { isForwardOntoTicket } from './forward.js';
import { answerIncident, incidentAnswered } from './incident-reply.js';
import { recordOnTicket } from './record-on-ticket.js';
import { joinReason, result, type InboundResult } from './result.js';
import type { Route } from './route.js';
import { excerpt, visibleTextOf } from './thread-message.js';

/** Roles of our mails whose replies stay internal. */
const NOTE_ROLES = new Set(['note-notification']);

export async function appendStaffMessage({ ticket, why }: Extract<Route, { kind: 'staff-message' }>, d: Delivery): Promise<InboundResult> {
  const { msg, now, ports, config, book, found } = d;
  const answered = incidentAnswered(ticket, msg, found);
  const incident = answered === null ? null : await ports.store.getIncident(answered);
  const toIncident = incident ? await answerIncident(ticket, incident, why, d) : null;
  if (toIncident) return toIncident;
  const visible = visibleTextOf(msg, []);
  // An answer to an incident nobody is left in was not meant for this ticket's requester alone.
  const toEmptyIncident = answered !== null;
  const repliesToNote = toEmptyIncident || msg.inReplyTo.some((id) => NOTE_ROLES.has(found.threadKeyRoles.get(id) ?? ''));
  const forwardOnto = !repliesToNote && isForwardOntoTicket(msg);
  const via = actedVia(d.receipt.proof);
  const effect = await staffEffect(ticket, visible, { msg, now, store: ports.store, config, book, via }, { repliesToNote: repliesToNote || forwardOnto });
  const internally = toEmptyIncident
    ? `a reply to the mail of ${formatIncidentId(answered)}, which has no tickets left: kept internal`
    : forwardOnto
      ? `a forward onto ${ticket.id}: kept as an internal note, not relayed to the requester`
      : 'a reply to an internal note: kept internal';
  const said = [
    effect.applied.length ? `applied: ${effect.applied.join('; ')}` : null,
    effect.rejected.length ? `rejected: ${effect.rejected.join('; ')}` : null,
    effect.internal ? (repliesToNote || forwardOnto ? internally : 'internal note: not sent to the requester') : null,
  ];
  if (effect.relayText) effect.changes.lastExcerpt = excerpt(effect.relayText);
  const changed: Ticket = { ...ticket, ...effect.changes };
  // An API call, the console or Slack hears its commands' result in its response, not by mail.
  const mails = planStaffMails(changed, effect, cause(changed, d), shared(d), { resultByMail: !resultInResponse(d.receipt.proof) });
  const reason = joinReason([why, ...said, ...d.notes, ...mails.notes]);
  if (effect.mergeTarget) {
    // Before the append: the append's receipt ends the delivery, and a replay would not merge again.
    const event: TicketEvent = { at: now.toISOString(), actor: msg.from!.address, kind: 'merged', from: ticket.id, to: effect.mergeTarget.id, why: `${ticket.id} merged in by ${msg.from!.address}${via ? ` via ${via}` : ''}` };
    await ports.store.recordMerge({ target: effect.mergeTarget, source: ticket, event });
  }
  const effects = [...mails.effects, ...updateEventEffects(changed, effect.events, d)];
  return recordOnTicket(ticket, d, {
    out: { ...result('appended', reason, msg, changed), commands: { applied: effect.applied, rejected: effect.rejected } },
    visible: effect.text,
    role: effect.internal ? 'note' : 'staff-reply',
    participants: false,
    activity: true,
    changes: effect.changes,
    events: effect.events,
    effects,
  });
}
