/**
 * A new ticket: drafted from the mail (triage, missing details, who else hears it), written
 * without a number while the number is taken for it, numbered beside its plan (the
 * acknowledgement or missing-information ask, the staff notice, the ticket event) and receipts.
 */
import { isStaffAddress, visibleParticipants } from '../../domain/addresses.js';
import type { TicketEvent } from '../../domain/lifecycle.js';
import { asksFor, missingDetails } from '../../domain/missing-info.js';
import { isAuthenticated } from '../../domain/sender-trust.js';
import { triage } from '../../domain/triage.js';
import { formatTicketId, type Ticket } from '../../domain/ticket.js';
import { planAutoReply, type ReplyPlan } from '../auto-reply.js';
import { ANALYSED_TEXT_CHARS, boundedLine, boundedList, MAX_SUBJECT_CHARS } from '../bounds.js';
import { runPlan, takeTicketSlots } from '../effect-runner.js';
import type { TicketStore } from '../ports.js';
import { planStaffNotice } from '../staff.js';
import { cause, clearBouncing, deliveryPlan, doneReceipts, eventEffect, eventExcerpt, profileNow, shared, type Delivery } from './context.js';
import { participantsRefused } from './record-on-ticket.js';
import { joinReason, result, withOutcomes, type InboundResult } from './result.js';
import type { Route } from './route.js';
import { afterResolvedWords, decideOutage, incidentEvent, joinIncident, outageWords, settleIncident } from './incident-report.js';
import { conversationRoot, parseThreadIndex } from '../../mail/thread-index.js';
import { forwardNote, recordForwardNote } from './forward.js';
import { staffWarning } from './staff-warning.js';
import { excerpt, threadMessage } from './thread-message.js';

/** How long a delivery that lost the race for a new ticket waits for the winner to number it. */
const NUMBER_WAIT_MS = 5000;

export async function openTicket(route: Extract<Route, { kind: 'new-ticket' }>, d: Delivery): Promise<InboundResult> {
  const { msg, now, ports, config } = d;
  const { store } = ports;
  const { why, visible } = route;
  const { draft, refused } = route.resumed ? { draft: route.resumed, refused: null } : await withOutage(newTicket(route, d), d);
  const { forward } = route;
  // A staff forward opens the ticket for someone else: that comes first. Any other forward says why it is the forwarder's.
  const words = forwardNote(d);
  const opened = forward ? `${words}; ${why}` : words ? `${why}; ${words}` : why;
  const reason = joinReason([forward ? opened : why, outageWords(draft, config), ...d.notes, forward ? null : words, refused]);
  const request = await threadMessage(draft.key, visible, reason, 'request', d);
  // A forwarded request is the requester's words; who forwarded it is in the reason and the history.
  const message = forward ? { ...request, from: draft.requester } : request;
  const events: TicketEvent[] = [{ at: now.toISOString(), actor: forward ? forward.decision.by : draft.requester, kind: 'created', from: draft.linkedTo, to: draft.status, why: opened }];
  if (draft.outage && draft.incident) events.push(incidentEvent(draft.outage, draft.incident, now.toISOString(), config));
  // The number is taken beside the ticket's first write and remembered under the ticket's key
  // until the ticket holds it: a copy of this mail, or its replay, takes the same one.
  const [won, taken] = await Promise.all([
    store.createTicket({ ticket: draft, message, threadKeys: [msg.messageId], events }),
    draft.number ? null : store.nextTicketNumber(draft.key),
  ]);
  // The staff member's note is on the ticket before the receipts say the mail is done.
  if (forward) await recordForwardNote(draft, forward, d);
  const numbered = taken ? { ...draft, number: taken.number, id: formatTicketId(config.ticketPrefix, taken.number) } : draft;
  // The delivery whose write made the ticket numbers it beside its plan (no other can number it
  // otherwise while the number is remembered); any other settles the number first.
  const ticket = won || !taken ? numbered : await settleNumber(numbered, taken.ours, route.resumed !== null, store);
  // Part of an incident: the incident is written, and its mails take the place of the ticket's.
  const incident = await joinIncident(ticket, cause(ticket, d), d);
  const asks = asksFor(ticket.missing, ticket.category ?? 'other', config.missingInfo);
  const reply: ReplyPlan = incident
    ? { kind: 'incident-ack', incidentId: incident.incident.id, title: incident.incident.title }
    : asks.length
      ? { kind: 'missing-info', asks, followUp: false }
      : { kind: 'ack' };
  const headline = [
    `New ticket ${ticket.id}`,
    ticket.linkedTo ? `follows up ${ticket.linkedTo}` : null,
    ticket.priority === 'P1' ? 'P1' : null,
  ]
    .filter(Boolean)
    .join(', ');
  const warning = await staffWarning(ticket, d);
  // The acknowledgement of a forward threads on the mail the requester sent, when we have its Message-ID.
  const thread = forward?.originalMessageId ? { thread: { inReplyTo: forward.originalMessageId, references: [forward.originalMessageId] } } : {};
  const plan = deliveryPlan(d, [
    planAutoReply({ plan: reply, ticket, inbound: msg, inboundKey: d.ownKey, profile: profileNow(d), now, ...thread, ...openedFor(route, d) }, config, d.book),
    incident ? incident.staffMail : planStaffNotice(ticket, headline, visible, noticeCause(ticket, d), shared(d), [...forwardRemarks(route), ...afterResolvedWords(ticket.outage ?? null)]),
    ...(incident?.known ?? []),
    ...(incident ? [incident.event] : []),
    eventEffect('ticket.created', ticket, opened, d, { excerpt: eventExcerpt(visible), incidentId: incident?.incident.id ?? null }),
    ...(warning ? [warning] : []),
  ]);
  // The receipts count only once the ticket holds its number and the plan is there (redelivery.ts).
  // The auto-replies' per-ticket slots go with the plan (their members are the plan's: a copy takes the same).
  const [stored, , , , ticketSlots] = await Promise.all([
    store.putPlan(plan),
    store.recordReceipts(doneReceipts(d, 'created', ticket, reason)),
    won ? store.numberTicket(ticket) : null,
    clearBouncing(d),
    takeTicketSlots(plan, store, config, now),
  ]);
  // Forgotten only once the ticket holds the number, beside the claims.
  const run = { fresh: stored === plan, alongside: () => store.forgetTicketNumber(ticket.key, ticket.number), ticketSlots };
  // Whoever wrote the ticket created it; a copy that found it written reports that ticket.
  if (!won) {
    const by = d.found.tickets.has(draft.key) ? 'an earlier delivery of this mail, which stopped before it finished (finished now)' : 'another delivery of this mail, at the same moment';
    return withOutcomes(result('redelivered', `${ticket.id} was created by ${by}`, msg, ticket), await runPlan(stored, ports, config, run));
  }
  return withOutcomes(result('created', reason, msg, ticket), await runPlan(stored, ports, config, run));
}

/** The staff notice of a forwarded request names the requester as its sender. */
function noticeCause(ticket: Ticket, d: Delivery) {
  const c = cause(ticket, d);
  return d.forward?.kind === 'for-requester' ? { ...c, inbound: { ...c.inbound, from: d.forward.requester } } : c;
}

/** Who opened the ticket for its requester, in the words the reply uses: the staff member's name, else address. */
function openedFor(route: Extract<Route, { kind: 'new-ticket' }>, d: Delivery): { openedFor?: { by: string; forwarded: boolean } } {
  const f = route.forward;
  if (!f) return {};
  const name = d.msg.from?.address === f.decision.by ? d.msg.from.name.trim() : '';
  return { openedFor: { by: name || f.decision.by, forwarded: f.decision.named === 'forwarded-from' || f.decision.forwarded !== null } };
}

/** What the staff notice adds for a forward: who forwarded it, and their note. */
function forwardRemarks(route: Extract<Route, { kind: 'new-ticket' }>): string[] {
  const f = route.forward;
  if (!f) return [];
  const note = f.note ? `, with this internal note: "${excerpt(f.note)}"` : '';
  return [`${f.decision.named === 'requester-line' && !f.decision.forwarded ? 'Sent in' : 'Forwarded'} by ${f.decision.by}${note}`];
}

/**
 * The number of a ticket another delivery wrote: the number remembered for it is its number;
 * one this delivery took fresh is its number only if the writer had not numbered it already
 * (then ours goes back). A writer that stopped leaves the numbering to us.
 */
async function settleNumber(numbered: Ticket, ours: boolean, resumed: boolean, store: TicketStore): Promise<Ticket> {
  if (ours && !resumed) {
    const byWriter = await waitForNumber(store, numbered.key, NUMBER_WAIT_MS);
    if (byWriter) {
      if (byWriter.number !== numbered.number) await store.returnTicketNumber(numbered.key, numbered.number);
      return byWriter;
    }
  }
  const stored = await store.numberTicket(numbered);
  // Another copy numbered it between our look and our take: give ours back unless already passed on.
  if (ours && stored.number !== numbered.number) await store.returnTicketNumber(numbered.key, numbered.number);
  return stored;
}

/** The ticket as this mail opens it, not yet numbered; and who was not let on, when someone was not. */
function newTicket(route: Extract<Route, { kind: 'new-ticket' }>, d: Delivery): { draft: Ticket; refused: string | null } {
  const { msg, config, book, now, auth } = d;
  const { visible, print, linkedTo } = route;
  const requester = d.choice!.requester;
  const subject = boundedLine((route.forward?.subject ?? msg.subject).trim(), MAX_SUBJECT_CHARS) || '(no subject)';
  const analysed = visible.slice(0, ANALYSED_TEXT_CHARS);
  const triaged = triage({ subject, text: analysed, sender: requester.address, sentAt: msg.date ? new Date(msg.date) : now }, config.triage);
  // A follow-up of an earlier ticket does not ask again for what that ticket already had.
  const missing = missingDetails(triaged.category, [subject, analysed], config.missingInfo).filter((m) => !linkedTo || linkedTo.missing.includes(m.id));
  const createdAt = now.toISOString();
  // Only a mail whose From domain vouches for it may bring others onto the ticket.
  const others = visibleParticipants(msg, book).filter((a) => a !== requester.address && !isStaffAddress(a, book));
  const draft: Ticket = {
    key: d.ownKey,
    number: 0,
    id: '',
    subject,
    requester: requester.address,
    requesterName: boundedLine(requester.name, 200),
    participants: isAuthenticated(auth) ? boundedList(others) : [],
    status: missing.length ? 'awaiting-info' : 'open',
    category: triaged.category,
    priority: triaged.priority,
    triageReasons: triaged.reasons.map((r) => boundedLine(r, 500)),
    missing: missing.map((m) => m.id),
    assignee: null,
    duplicateOf: null,
    createdAt,
    lastActivityAt: createdAt,
    stale: false,
    messageKeys: [d.ownKey],
    mergedKeys: [],
    fingerprint: print,
    originMessageId: msg.messageId,
    outboundTexts: [],
    followUpAsks: 0,
    resolvedAt: null,
    linkedTo: linkedTo?.id ?? null,
    staleSince: null,
    nudgedAt: null,
    lastExcerpt: excerpt(visible),
    ...(d.receipt.proof?.kind === 'typed' ? { unverified: true } : {}),
    ...outlookConversationOf(msg, route),
  };
  return { draft, refused: others.length && !isAuthenticated(auth) ? participantsRefused(others, auth) : null };
}

/**
 * The Outlook conversation the requester's mail is in, kept for our later mails. A staff
 * member's forward is in the staff member's conversation, not the requester's: none then.
 */
function outlookConversationOf(msg: Delivery['msg'], route: Extract<Route, { kind: 'new-ticket' }>): { outlookThreadIndex?: string } {
  if (route.forward) return {};
  const index = parseThreadIndex(msg.headers['thread-index']?.[0]);
  return index ? { outlookThreadIndex: conversationRoot(index) } : {};
}

/**
 * The draft with what its report decided about incidents. A ticket that is part of an incident
 * asks for nothing more: the outage is known, and staff answer everyone at once.
 */
async function withOutage(drafted: { draft: Ticket; refused: string | null }, d: Delivery): Promise<{ draft: Ticket; refused: string | null }> {
  const decided = await decideOutage(drafted.draft, d);
  if (!decided) return drafted;
  const { outage, incidentId } = await settleIncident(decided, drafted.draft.key, d);
  const known = incidentId ? { incident: incidentId, missing: [], status: 'open' as const } : {};
  return { ...drafted, draft: { ...drafted.draft, outage, ...known } };
}

/** Polls until the ticket has its number, for at most `ms`; null when it has none by then. */
async function waitForNumber(store: TicketStore, ticketKey: string, ms: number): Promise<Ticket | null> {
  const until = Date.now() + ms;
  for (let pause = 10; ; pause = Math.min(pause * 2, 250)) {
    const ticket = (await store.getTickets([ticketKey])).get(ticketKey);
    if (ticket?.number) return ticket;
    if (Date.now() >= until) return null;
    await new Promise((r) => setTimeout(r, pause));
  }
}
