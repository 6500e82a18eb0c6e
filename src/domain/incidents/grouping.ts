/**
 * Whether a new ticket's report joins an open incident, forms one, or stays alone. Pure.
 *
 * Method: two reports are of one outage when both say a service is unavailable and their
 * evidence reaches the threshold (rules.ts): the same service counts most, then the same place
 * (for a service of a place, like a site's Wi-Fi), then shared error codes or host names. Reports of a local
 * service from different places never match, and a report that names no service never does,
 * so "not working" alone ties nothing together. A new report is compared with the
 * reports of other requesters in the window; once the ones it matches come from enough distinct
 * requesters (itself included), they are an incident. Several people each with their own printer
 * problem do not group: without "down"-like words on both, the same service is not enough, and
 * printers on different floors or sites never match.
 */
import type { OutageReport } from './report.js';
import type { IncidentRules } from './rules.js';

/** A ticket's report, as the decision sees the ones already in. */
export interface ReportedTicket {
  ticketId: string;
  requester: string;
  /** When the report arrived (ISO). */
  at: string;
  category: string | null;
  report: OutageReport;
  /** The open incident it is part of, or null. */
  incidentId: string | null;
}

/** Why the decision went as it did: data, worded at the edge (reason.ts). */
export interface IncidentReason {
  service: string;
  site: string | null;
  floor: number | null;
  /** The new report is the n-th of the outage, from this many requesters. */
  reportNumber: number;
  /** Minutes from the first matching report to this one. */
  minutes: number;
  /** The earlier tickets it matched, oldest first. */
  like: string[];
}

export type IncidentDecision =
  | { kind: 'alone'; why: 'no-report' | 'excluded-category' | 'too-few'; reason: IncidentReason | null }
  | { kind: 'joins'; incidentId: string; reason: IncidentReason }
  /** `members` are the earlier tickets that join the new incident with it. */
  | { kind: 'forms'; members: string[]; reason: IncidentReason };

/** The evidence that two reports are of one outage (0 when they can't be). */
export function evidence(a: OutageReport, b: OutageReport, rules: Pick<IncidentRules, 'threshold' | 'services'>): number {
  // Both must say it is unavailable: three people out of paper at one printer are not an outage.
  if (a.service !== b.service || !a.symptom || !b.symptom) return 0;
  let score = 3;
  if (rules.services.find((s) => s.name === a.service)?.local) {
    if (a.site && b.site && a.site !== b.site) return 0;
    if (a.floor !== null && b.floor !== null && a.floor !== b.floor) return 0;
    if ((a.site && a.site === b.site) || (a.floor !== null && a.floor === b.floor)) score += 2;
  }
  const shared = a.identifiers.filter((id) => b.identifiers.includes(id)).length;
  score += Math.min(shared, 2);
  return score >= rules.threshold ? score : 0;
}

export function decideIncident(fresh: ReportedTicket | (Omit<ReportedTicket, 'report'> & { report: null }), earlier: ReportedTicket[], rules: IncidentRules): IncidentDecision {
  if (!fresh.report) return { kind: 'alone', why: 'no-report', reason: null };
  if (fresh.category && rules.excludedCategories.includes(fresh.category)) return { kind: 'alone', why: 'excluded-category', reason: null };
  const report = fresh.report;
  const since = Date.parse(fresh.at) - rules.windowMinutes * 60_000;
  const matched = earlier
    .filter((t) => t.requester !== fresh.requester && Date.parse(t.at) >= since && !(t.category && rules.excludedCategories.includes(t.category)))
    .filter((t) => evidence(report, t.report, rules) > 0)
    .sort((a, b) => a.at.localeCompare(b.at));
  const requesters = new Set([fresh.requester, ...matched.map((t) => t.requester)]);
  const first = matched[0];
  const reason: IncidentReason = {
    service: report.service,
    site: report.site ?? matched.find((t) => t.report.site)?.report.site ?? null,
    floor: report.floor ?? matched.find((t) => t.report.floor !== null)?.report.floor ?? null,
    reportNumber: matched.length + 1,
    minutes: first ? Math.round((Date.parse(fresh.at) - Date.parse(first.at)) / 60_000) : 0,
    like: matched.map((t) => t.ticketId),
  };
  // An open incident it matches: join it (the one most of the matches are in).
  const incidents = new Map<string, number>();
  for (const t of matched) if (t.incidentId) incidents.set(t.incidentId, (incidents.get(t.incidentId) ?? 0) + 1);
  const joined = [...incidents.entries()].sort((a, b) => b[1] - a[1])[0];
  if (joined) return { kind: 'joins', incidentId: joined[0], reason };
  if (requesters.size < rules.minRequesters) return { kind: 'alone', why: 'too-few', reason: matched.length ? reason : null };
  return { kind: 'forms', members: matched.map((t) => t.ticketId), reason };
}
