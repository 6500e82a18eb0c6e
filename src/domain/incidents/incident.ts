/**
 * An incident: one outage that several people reported, each on their own ticket. Staff hear
 * of it once and answer everyone at once (src/pipeline/inbound/incident-reply.ts). No I/O.
 */
import type { IncidentDecision } from './grouping.js';
import type { OutageReport } from './report.js';

export type IncidentStatus = 'open' | 'resolved';

/** One ticket of an incident: whose report it is, and when and where it came from. */
export interface IncidentMember {
  ticketKey: string;
  ticketId: string;
  requester: string;
  /** Their display name, when their mail gave one (absent on members recorded before it was kept). */
  requesterName?: string;
  /** When the report arrived (ISO). */
  at: string;
  /** Where the report says it is ("floor 3, Malmö"), or null. */
  place: string | null;
  /** The start of what they wrote. */
  excerpt: string;
}

export interface Incident {
  number: number;
  /** INC-4 */
  id: string;
  status: IncidentStatus;
  /** "Wi-Fi and network down (floor 3, Malmö)" */
  title: string;
  /** The service's name in the rules (`network`). */
  service: string;
  /** Where it is, when the reports say (a site of the rules, lower-case; a floor). */
  site: string | null;
  floor: number | null;
  /** Its tickets, in the order their reports arrived. */
  members: IncidentMember[];
  /** The staff notice that announced it: later reports' notes and staff replies thread on it. */
  noticeMessageId: string;
  createdAt: string;
  resolvedAt: string | null;
}

/** What a ticket's report decided about incidents, kept on the ticket (a replay repeats it, never decides again). */
export interface TicketOutage {
  report: OutageReport;
  decision: IncidentDecision;
  /** For `forms`: the earlier tickets that form the incident with this one. */
  members: IncidentMember[];
  /** A matching report of an incident already resolved: said to staff, so nothing reopens silently. */
  afterResolved: { incidentId: string; like: string[] } | null;
}

export function formatIncidentId(number: number): string {
  return `INC-${number}`;
}

/** The number in `INC-4` (any case, brackets allowed), or null. */
export function parseIncidentId(value: string): number | null {
  const m = /^\[?inc-(\d{1,9})\]?$/i.exec(value.trim());
  return m ? Number(m[1]) : null;
}

/** Where a report says it is, in words ("floor 3, Malmö"), or null. */
export function placeOf(report: Pick<OutageReport, 'site' | 'floor'>): string | null {
  const parts = [report.floor !== null ? `floor ${report.floor}` : null, report.site ? titleCase(report.site) : null].filter(Boolean);
  return parts.length ? parts.join(', ') : null;
}

/** The incident's facts as the CLI, the digest and the console show them. */
export interface IncidentSummary {
  id: string;
  status: IncidentStatus;
  title: string;
  tickets: string[];
  requesters: string[];
  places: string[];
  firstReport: string;
  lastReport: string;
  resolvedAt: string | null;
}

export function summarise(incident: Incident): IncidentSummary {
  const members = [...incident.members].sort((a, b) => a.at.localeCompare(b.at));
  return {
    id: incident.id,
    status: incident.status,
    title: incident.title,
    tickets: members.map((m) => m.ticketId),
    requesters: [...new Set(members.map((m) => m.requester))],
    places: [...new Set(members.flatMap((m) => (m.place ? [m.place] : [])))],
    firstReport: members[0]?.at ?? incident.createdAt,
    lastReport: members.at(-1)?.at ?? incident.createdAt,
    resolvedAt: incident.resolvedAt,
  };
}

function titleCase(word: string): string {
  return word.replace(/(^|[\s-])(\p{L})/gu, (_m, lead: string, letter: string) => lead + letter.toUpperCase());
}
