/**
 * A new ticket's outage report: read from the mail, decided against the other reports of the
 * window (src/domain/incidents/), kept on the ticket so a replay repeats the decision instead of
 * deciding again. When the ticket forms or joins an incident, the incident is written (every
 * write idempotent) and the ticket's mails change: the requester hears the problem is known, and
 * staff get the one incident notice, or a one-report note threaded on it, instead of a ticket notice.
 */
import type { Config } from '../../config.js';
import type { AddressBook } from '../../domain/addresses.js';
import { decideIncident, evidence, type IncidentReason, type OpenOutage, type ReportedTicket } from '../../domain/incidents/grouping.js';
import { formatIncidentId, parseIncidentId, placeOf, type Incident, type IncidentMember, type TicketOutage } from '../../domain/incidents/incident.js';
import { incidentReasonText, incidentWhat } from '../../domain/incidents/reason.js';
import { readReport, type OutageReport } from '../../domain/incidents/report.js';
import type { IncidentRules } from '../../domain/incidents/rules.js';
import { transition, type TicketEvent } from '../../domain/lifecycle.js';
import { isOpen, type Ticket } from '../../domain/ticket.js';
import { incidentTemplates, type IncidentReportLine } from '../../mail/templates/incident.js';
import type { InboundMessage } from '../../mail/types.js';
import { ANALYSED_TEXT_CHARS, boundedLine, MAX_SUBJECT_CHARS } from '../bounds.js';
import { planAutoReply } from '../auto-reply.js';
import { planned, type PlannedEffect } from '../effects.js';
import { planTicketMail, receivingAddress, type Cause } from '../outbound.js';
import type { TicketChangeWrite, TicketStore } from '../ports.js';
import { deliveryPlanKey, type Delivery } from './context.js';
import type { IncidentEventMessage, IncidentEventType } from '../ticket-events.js';
import { visibleTextOf } from './thread-message.js';

/** A mail's outage report, and what the decision compares it with: the window's reports, the open incidents, those resolved lately. */
export interface IncidentReads {
  report: OutageReport;
  recent: Ticket[];
  open: Incident[];
  resolved: Incident[];
}

/** How long after an incident was resolved a matching report is said to come after it. */
const AFTER_RESOLVED_MS = 24 * 3600_000;

/** The outage report a new mail makes (what it would open a ticket with), or null: it names no service, or incidents are off. */
export function outageReportOf(msg: InboundMessage, rules: IncidentRules): OutageReport | null {
  if (!rules.enabled) return null;
  return readReport(boundedLine(msg.subject.trim(), MAX_SUBJECT_CHARS), visibleTextOf(msg, []).slice(0, ANALYSED_TEXT_CHARS), rules);
}

/** The mail's outage report and the reads its decision needs, in one round trip; null when it makes no report. */
export async function readIncidentReads(msg: InboundMessage, now: Date, store: TicketStore, config: Config): Promise<IncidentReads | null> {
  const rules = config.incidents;
  const report = outageReportOf(msg, rules);
  if (!report) return null;
  const [recent, open, resolved] = await Promise.all([
    store.recentReports(new Date(now.getTime() - rules.windowMinutes * 60_000).toISOString()),
    store.openIncidents(),
    store.resolvedIncidentsSince(new Date(now.getTime() - AFTER_RESOLVED_MS).toISOString()),
  ]);
  return { report, recent, open, resolved };
}

/** What a new ticket's report decided, or null when it is no outage report (or incidents are off). */
export async function decideOutage(draft: Ticket, d: Delivery): Promise<TicketOutage | null> {
  const rules = d.config.incidents;
  const reads = await (d.incidentReads ?? readIncidentReads(d.msg, d.now, d.ports.store, d.config));
  if (!reads) return null;
  const { report } = reads;
  const recent = reads.recent.filter((t) => t.key !== draft.key && t.number > 0 && t.outage);
  const fresh = { ticketId: '', requester: draft.requester, at: draft.createdAt, category: draft.category, incidentId: null, report };
  const open = recent.filter((t) => isOpen(t.status));
  const decision = decideIncident(fresh, open.map(reported), rules, reads.open.map(openOutage));
  const members = decision.kind === 'forms' ? open.filter((t) => decision.members.includes(t.id)).map(memberOf).sort((a, b) => a.at.localeCompare(b.at)) : [];
  const afterResolved = decision.kind === 'alone' ? resolvedMatch(report, reads.resolved, d.config) : null;
  return { report, decision, members, afterResolved };
}

/** Whether a report is of the outage an incident (or a claim to form one) is about: its service, at its place. */
function sameOutage(report: OutageReport, of: { service: string; site: string | null; floor: number | null }, rules: IncidentRules): boolean {
  return evidence(report, { service: of.service, site: of.site, floor: of.floor, symptom: report.symptom, identifiers: [] }, rules) > 0;
}

/**
 * An incident resolved lately that this report matches: the report opens a ticket of its own and
 * reopens nothing, but staff are told, so a fix that did not hold is not missed.
 */
function resolvedMatch(report: OutageReport, resolved: Incident[], config: Config): TicketOutage['afterResolved'] {
  const match = resolved.find((i) => sameOutage(report, i, config.incidents));
  return match ? { incidentId: match.id, like: match.members.map((m) => m.ticketId) } : null;
}

/**
 * The incident the ticket is part of from the start: the one it joins, or the one it forms, with
 * a number taken for it. Forming is claimed per service first: two reports of one outage that
 * decide at the same moment (concurrent deliveries) find each other there, and the later one
 * joins the earlier one's incident instead of forming a second.
 */
export async function settleIncident(outage: TicketOutage, ticketKey: string, d: Delivery): Promise<{ outage: TicketOutage; incidentId: string | null }> {
  const { decision, report } = outage;
  if (decision.kind === 'joins') return { outage, incidentId: decision.incidentId };
  if (decision.kind !== 'forms') return { outage, incidentId: null };
  const { store } = d.ports;
  const rules = d.config.incidents;
  const number = await store.nextIncidentNumber(ticketKey);
  const until = new Date(d.now.getTime() + rules.windowMinutes * 60_000).toISOString();
  const held = await store.claimIncidentForming({ service: report.service, number, site: report.site, floor: report.floor, until }, d.now.toISOString());
  if (held.number === number || !sameOutage(report, held, rules)) return { outage, incidentId: formatIncidentId(number) };
  const incidentId = formatIncidentId(held.number);
  return { outage: { ...outage, decision: { kind: 'joins', incidentId, reason: decision.reason }, members: [] }, incidentId };
}

/** The history entry of a ticket that is part of an incident from the start. */
export function incidentEvent(outage: TicketOutage, incidentId: string, at: string, config: Config): TicketEvent {
  return { at, actor: 'system', kind: 'incident', from: null, to: incidentId, why: incidentReasonText(outage.decision, config.incidents) };
}

/** What the result's reason says of a ticket in an incident (null: in none). */
export function outageWords(ticket: Ticket, config: Config): string | null {
  return ticket.outage && ticket.incident ? `part of ${ticket.incident}: ${incidentReasonText(ticket.outage.decision, config.incidents)}` : null;
}

/** What staff are told of a report after its incident was resolved (nothing reopens silently). */
export function afterResolvedWords(outage: TicketOutage | null): string[] {
  const after = outage?.afterResolved;
  return after
    ? [`this was reported after ${after.incidentId} was resolved (like ${after.like.join(', ')}). It is a ticket of its own and ${after.incidentId} stays resolved: if the fix did not hold, answer here or reopen those tickets.`]
    : [];
}

/**
 * The numbered ticket's incident written (formed with its members, or joined), the mail to staff
 * that replaces the ticket notice, and (when it forms) the "known problem" mails to the earlier
 * reporters. Null when the ticket is in no incident.
 */
export async function joinIncident(ticket: Ticket, cause: Cause, d: Delivery): Promise<{ incident: Incident; staffMail: PlannedEffect; known: PlannedEffect[]; event: PlannedEffect } | null> {
  const outage = ticket.outage;
  const number = ticket.incident ? parseIncidentId(ticket.incident) : null;
  if (!outage || number === null || outage.decision.kind === 'alone') return null;
  const { store } = d.ports;
  const own = memberOf(ticket);
  const s = { config: d.config, book: d.book };
  if (outage.decision.kind === 'forms') {
    const members = [...outage.members, own];
    const reason = outage.decision.reason;
    const draft: Incident = {
      number,
      id: formatIncidentId(number),
      status: 'open',
      title: incidentTitle(reason, d.config),
      service: outage.report.service,
      site: reason.site,
      floor: reason.floor,
      members,
      noticeMessageId: '',
      createdAt: d.now.toISOString(),
      resolvedAt: null,
    };
    const staffMail = planIncidentMail('incident-notification', draft, outage, members, cause, s);
    const incident = await store.createIncident({ ...draft, noticeMessageId: (staffMail.spec as { mail: { messageId: string } }).mail.messageId });
    // The earlier reports join it too, each with its history entry (rewritten alike by a replay).
    const [earlier, profiles] = await Promise.all([store.getTickets(outage.members.map((m) => m.ticketKey)), store.getProfiles(outage.members.map((m) => m.requester))]);
    const event = incidentEvent(outage, incident.id, d.now.toISOString(), d.config);
    const joining = [...earlier.values()].filter((t) => !t.incident || t.incident === incident.id);
    await Promise.all(joining.map((t) => store.changeTicket({ ...linkedToIncident(t, incident.id, event, `${incident.id} formed from ${ticket.id}'s report: ${event.why}`), causeKey: `incident-${ticket.key}` })));
    // Their reporters hear it too: the problem is known, on their own ticket's thread.
    const known = joining.map((t) => {
      const ack = planAutoReply(
        { plan: { kind: 'incident-ack', incidentId: incident.id, title: incident.title, earlier: true }, ticket: t, inbound: d.msg, inboundKey: `${d.ownKey}.${t.number}`, profile: profiles.get(t.requester) ?? null, now: d.now, thread: { inReplyTo: t.originMessageId, references: [t.originMessageId] } },
        d.config,
        d.book,
      );
      return { ...ack, id: `${ack.id}:${t.id}` };
    });
    return { incident, staffMail, known, event: incidentEventEffect('incident.opened', incident, ticket, `${incident.id} formed from ${members.length} reports`, d) };
  }
  const incident = await waitForIncident(store, number);
  await store.addIncidentMembers(number, [own]);
  const members = [...incident.members.filter((m) => m.ticketKey !== own.ticketKey), own];
  const joined = { ...incident, members };
  return { incident: joined, staffMail: planIncidentMail('incident-update', incident, outage, members, cause, s), known: [], event: incidentEventEffect('incident.updated', joined, ticket, `${ticket.id} reports it too`, d) };
}

/** The incident as chat and paging see it, after this report. */
function incidentEventEffect(type: IncidentEventType, incident: Incident, ticket: Ticket, why: string, d: Delivery): PlannedEffect {
  const event: IncidentEventMessage = {
    id: `${deliveryPlanKey(d.ownKey)}/incident-event`,
    type,
    incidentId: incident.id,
    title: incident.title,
    tickets: incident.members.map((m) => m.ticketId),
    reporters: new Set(incident.members.map((m) => m.requester)).size,
    ticketId: ticket.id,
    why,
    at: d.now.toISOString(),
  };
  return planned('incident-event', { type: 'event', event });
}

/** How long a report that joins an incident another delivery is forming waits for it to be written. */
const FORMING_WAIT_MS = 5000;

/**
 * The incident, once written: one another delivery is forming right now may take a moment.
 * Not there by then: the mail is tried again (its ticket keeps the decision), never left half-joined.
 */
async function waitForIncident(store: TicketStore, number: number): Promise<Incident> {
  const until = Date.now() + FORMING_WAIT_MS;
  for (let pause = 10; ; pause = Math.min(pause * 2, 250)) {
    const incident = await store.getIncident(number);
    if (incident) return incident;
    if (Date.now() >= until) throw new Error(`incident ${formatIncidentId(number)} is still being formed by another delivery; this mail will be tried again`);
    await new Promise((r) => setTimeout(r, pause));
  }
}

/**
 * An earlier report's ticket as the forming incident takes it in: linked, and, when it was
 * waiting for details from its reporter, open again with nothing asked (the outage is known;
 * the reminder must not chase them for details, as the "known problem" mail says there is nothing to do).
 */
function linkedToIncident(t: Ticket, incidentId: string, event: TicketEvent, why: string): Omit<TicketChangeWrite, 'causeKey'> {
  const reopened = t.status === 'awaiting-info' ? transition(t.status, 'open', { kind: 'system', address: null }, `part of ${incidentId}: nothing more is needed from the reporter`, event.at) : null;
  const step = reopened?.ok ? reopened.event : null;
  return {
    ticket: t,
    changes: { incident: incidentId, ...(step ? { status: 'open' as const, missing: [] } : {}) },
    events: [{ ...event, why }, ...(step ? [step] : [])],
  };
}

/** "Wi-Fi and network down (floor 3, Malmö)" */
export function incidentTitle(reason: IncidentReason, config: Config): string {
  const what = incidentWhat(reason, config.incidents);
  return what.charAt(0).toUpperCase() + what.slice(1);
}

function planIncidentMail(kind: 'incident-notification' | 'incident-update', incident: Incident, outage: TicketOutage, members: IncidentMember[], cause: Cause, s: { config: Config; book: AddressBook }): PlannedEffect {
  const { config, book } = s;
  const ctx = {
    incidentId: incident.id,
    title: incident.title,
    supportAddress: receivingAddress(cause.inbound, book),
    teamName: config.teamName,
    staffList: config.staffList,
    ticketPrefix: config.ticketPrefix,
    reason: incidentReasonText(outage.decision, config.incidents),
  };
  const lines = members.map(reportLine);
  const body = kind === 'incident-notification' ? incidentTemplates.notification({ ...ctx, reports: lines }) : incidentTemplates.update({ ...ctx, report: lines.at(-1)!, count: members.length });
  const subject = `[${incident.id}] ${incident.title}`;
  const mail = planTicketMail(
    {
      kind,
      to: [config.staffList],
      cc: [],
      fromName: config.teamName,
      subject: kind === 'incident-notification' ? subject : `Re: ${subject}`,
      body,
      automatic: 'auto-generated',
      limitFor: null,
      incident: incident.id,
      // A later report's note threads on the incident's notice, so a mail client shows them together.
      ...(kind === 'incident-update' && incident.noticeMessageId ? { thread: { inReplyTo: incident.noticeMessageId, references: [incident.noticeMessageId] } } : {}),
    },
    cause,
    config,
    book,
  );
  return planned(kind, { type: 'mail', mail });
}

function reportLine(m: IncidentMember): IncidentReportLine {
  return { ticketId: m.ticketId, from: m.requesterName ? `${m.requesterName} <${m.requester}>` : m.requester, time: m.at.slice(11, 16), excerpt: m.excerpt };
}

/** How much of each report an incident keeps and its mails show. */
const EXCERPT_CHARS = 160;

/** The text cut at a word before `max` characters, with an ellipsis when it was cut. */
function shortened(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}

function openOutage(i: Incident): OpenOutage {
  return { incidentId: i.id, service: i.service, site: i.site, floor: i.floor, members: i.members.map((m) => ({ ticketId: m.ticketId, requester: m.requester, at: m.at })) };
}

function reported(t: Ticket): ReportedTicket {
  return { ticketId: t.id, requester: t.requester, at: t.createdAt, category: t.category, report: t.outage!.report, incidentId: t.incident ?? null };
}

function memberOf(t: Ticket): IncidentMember {
  return { ticketKey: t.key, ticketId: t.id, requester: t.requester, ...(t.requesterName ? { requesterName: t.requesterName } : {}), at: t.createdAt, place: t.outage ? placeOf(t.outage.report) : null, excerpt: shortened(t.lastExcerpt, EXCERPT_CHARS) };
}
