/**
 * A staff reply to an incident's email answers everyone in it. Its text is relayed to each
 * reporter on their own ticket's thread (their own tag and threading headers); its commands act
 * on every ticket (`#resolve` resolves them all, each reporter hearing once); `#unlink TKT-7`
 * takes a ticket out first, and it hears nothing of this reply. The mail is recorded on the
 * ticket whose thread it answered; everything it changes elsewhere is planned as effects with
 * it, so a replay finishes what is left and repeats nothing.
 */
import type { TicketEvent } from '../../domain/lifecycle.js';
import { parseIncidentId, type Incident } from '../../domain/incidents/incident.js';
import { parseCommands } from '../../domain/commands.js';
import { isStaffAddress } from '../../domain/addresses.js';
import { actedVia, resultInResponse } from '../../domain/receipt.js';
import { CLOSED_STATUSES, type Ticket } from '../../domain/ticket.js';
import type { InboundMessage } from '../../mail/types.js';
import { planned, type PlannedEffect } from '../effects.js';
import type { InboundLookupResult } from '../ports.js';
import { planStaffMails, staffEffect, type StaffEffect } from '../staff.js';
import { cause, updateEventEffects, shared, type Delivery } from './context.js';
import { recordOnTicket } from './record-on-ticket.js';
import { joinReason, result, type InboundResult } from './result.js';
import { excerpt, visibleTextOf } from './thread-message.js';

/** Our mails about an incident: a staff reply to one of them answers the incident. */
const INCIDENT_ROLES = new Set(['incident-notification', 'incident-update']);

/**
 * The incident a staff mail answers (it replies to one of the incident's mails), or null. Our
 * mail remembers its incident, so a reply still answers it after the ticket that mail was
 * recorded on was taken out.
 */
export function incidentAnswered(ticket: Ticket, msg: Pick<InboundMessage, 'inReplyTo'>, found: Pick<InboundLookupResult, 'threadKeyRoles' | 'threadKeyIncidents'>): number | null {
  const answered = msg.inReplyTo.find((id) => INCIDENT_ROLES.has(found.threadKeyRoles.get(id) ?? ''));
  if (!answered) return null;
  const id = found.threadKeyIncidents.get(answered) ?? ticket.incident;
  return id ? parseIncidentId(id) : null;
}

/** What one ticket of the incident gets from the reply. */
interface MemberAnswer {
  ticket: Ticket;
  effect: StaffEffect;
  /** Taken out of the incident by this reply. */
  unlinked: boolean;
}

/**
 * Null when nobody is left in the incident. A reply that came in on a ticket since taken out is
 * recorded on the incident's first remaining ticket, and the one taken out hears nothing of it.
 */
export async function answerIncident(thread: Ticket, incident: Incident, why: string, d: Delivery): Promise<InboundResult | null> {
  const { msg, now, ports, config, book } = d;
  const author = msg.from!.address;
  const via = actedVia(d.receipt.proof);
  const visible = visibleTextOf(msg, []);
  const members = await ports.store.getTickets([...new Set([thread.key, ...incident.members.map((m) => m.ticketKey)])]);
  const inIncident = [...members.values()].filter((t) => t.incident === incident.id && t.number > 0).sort((a, b) => a.number - b.number);
  const ticket = inIncident.find((t) => t.key === thread.key) ?? inIncident[0];
  if (!ticket) return null;
  const scope = { id: incident.id, memberNumbers: inIncident.map((t) => t.number) };
  const parsed = parseCommands(visible, { sender: author, ticketPrefix: config.ticketPrefix, ticketNumber: ticket.number, categories: [], isStaff: (a) => isStaffAddress(a, book) });
  const unlinking = new Set(parsed.commands.flatMap((c) => (c.kind === 'unlink' ? [c.ticketNumber] : [])));

  const answers: MemberAnswer[] = [];
  for (const t of inIncident) {
    if (unlinking.has(t.number)) answers.push({ ticket: t, effect: unlinked(t, incident, author, via, now), unlinked: true });
    else answers.push({ ticket: t, effect: await staffEffect(t, visible, { msg, now, store: ports.store, config, book, via }, { incident: scope }), unlinked: false });
  }
  const staying = answers.filter((a) => !a.unlinked);
  // #resolve with nothing to say: each reporter still hears that it is fixed.
  for (const a of staying) {
    if (!a.effect.relayText && !a.effect.internal && a.effect.changes.status === 'resolved') a.effect.relayText = fixedText(incident);
    if (a.effect.relayText) a.effect.changes.lastExcerpt = excerpt(a.effect.relayText);
  }
  // The ticket the reply is recorded on is in the incident (chosen above), so it is one of the answers.
  const own = answers.find((a) => a.ticket.key === ticket.key)!;
  const applied = answers.flatMap((a) => a.effect.applied.map((line) => `${a.ticket.id}: ${line}`));
  const rejected = [...new Set(answers.flatMap((a) => a.effect.rejected))];

  const effects: PlannedEffect[] = [];
  for (const a of answers) effects.push(...answerEffects(a, a === own, { ...own.effect, applied, rejected }, incident, d));
  const resolved = staying.length > 0 && staying.every((a) => CLOSED_STATUSES.includes(a.effect.changes.status ?? a.ticket.status));
  const out = answers.filter((a) => a.unlinked).map((a) => a.ticket.key);
  if (out.length || (resolved && incident.status !== 'resolved')) {
    effects.push(planned('incident-change', { type: 'incident-change', change: { incident: { number: incident.number, id: incident.id }, remove: out, resolvedAt: resolved ? now.toISOString() : null } }));
  }

  const relayed = staying.filter((a) => a.effect.relayText).length;
  const said = [
    `a reply to ${incident.id}`,
    ticket.key === thread.key ? null : `${thread.id} was taken out of it: recorded on ${ticket.id}`,
    relayed ? `relayed to ${relayed} of its ${staying.length} reporters on their own tickets` : null,
    out.length ? `taken out: ${answers.filter((a) => a.unlinked).map((a) => a.ticket.id).join(', ')}` : null,
    resolved ? `${incident.id} resolved` : null,
    applied.length ? `applied: ${applied.join('; ')}` : null,
    rejected.length ? `rejected: ${rejected.join('; ')}` : null,
    own.effect.internal ? 'internal note: not sent to the reporters' : null,
  ];
  const changed: Ticket = { ...ticket, ...own.effect.changes };
  const reason = joinReason([why, ...said, ...d.notes]);
  return recordOnTicket(ticket, d, {
    out: { ...result('appended', reason, msg, changed), commands: { applied, rejected } },
    visible: own.effect.text,
    role: own.effect.internal ? 'note' : 'staff-reply',
    participants: false,
    activity: true,
    changes: own.effect.changes,
    events: own.effect.events,
    effects,
  });
}

/**
 * One ticket's share of the reply: its relay (from its own cause, so its own Message-ID and
 * thread), its change and ticket event. The ticket the mail is recorded on changes through that
 * record; the author hears the whole result once, through that ticket's mails.
 */
function answerEffects(a: MemberAnswer, isOwn: boolean, whole: StaffEffect, incident: Incident, d: Delivery): PlannedEffect[] {
  const { ticket, effect } = a;
  const changed: Ticket = { ...ticket, ...effect.changes };
  const own = isOwn ? cause(changed, d) : { ...cause(changed, d), inboundKey: `${d.ownKey}.${ticket.number}` };
  const mails = planStaffMails(changed, isOwn ? { ...effect, applied: whole.applied, rejected: whole.rejected } : { ...effect, notedByCommand: false }, own, shared(d), {
    resultByMail: isOwn && !resultInResponse(d.receipt.proof),
    resultAbout: { id: incident.id, title: incident.title },
  });
  const events = updateEventEffects(changed, effect.events, d);
  if (isOwn) return [...mails.effects, ...events];
  const change = Object.keys(effect.changes).length || effect.events.length
    ? [planned('change', { type: 'ticket-change', change: { ticket: { key: ticket.key, id: ticket.id }, changes: effect.changes, events: effect.events, causeKey: `${d.ownKey}-incident` } })]
    : [];
  // Ids unique in the plan; a ticket event's id names its ticket, so each is published once.
  return [...mails.effects, ...change, ...events.map((e) => withEventId(e, ticket))].map((e) => ({ ...e, id: `${e.id}:${ticket.id}` }));
}

function withEventId(effect: PlannedEffect, ticket: Ticket): PlannedEffect {
  return effect.spec.type === 'event' ? { ...effect, spec: { ...effect.spec, event: { ...effect.spec.event, id: `${effect.spec.event.id}/${ticket.key}` } } } : effect;
}

/** A ticket taken out: it leaves the incident, and nothing else of the reply reaches it. */
function unlinked(ticket: Ticket, incident: Incident, author: string, via: string | null, now: Date): StaffEffect {
  const event: TicketEvent = { at: now.toISOString(), actor: author, kind: 'incident', from: incident.id, to: null, why: `#unlink ${ticket.id} from ${author}${via ? ` via ${via}` : ''}: a different problem from ${incident.id}` };
  return { changes: { incident: null }, events: [event], applied: [`Taken out of ${incident.id}`], rejected: [], notedByCommand: false, mergeTarget: null, internal: false, text: '', relayText: null };
}

function fixedText(incident: Incident): string {
  return `The problem you reported is fixed: ${incident.title.replace(/ down\b/, '')} works again.\n\nIf it still does not work for you, reply to this email and we'll look at it.`;
}
