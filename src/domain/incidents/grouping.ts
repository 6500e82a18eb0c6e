/**
 * Whether a new ticket's report joins an open incident, forms one, or stays alone. Pure.
 *
 * Method: two reports are of one outage when both say a service is unavailable and their
 * evidence reaches the threshold (rules.ts): the same service counts most, then the same place
 * (for a service of a place, like a site's Wi-Fi), then shared error codes or host names. Reports of a local
 * service from different places never match, and a report that names no service never does,
 * so "not working" alone ties nothing together. A new report is compared with the
 * reports of other requesters in the window; once the ones it matches come from enough distinct
 * requesters (itself included), they are an incident. An incident still open takes a matching
 * report after the window too: the outage is not over because the first reports are old. Several
 * people each with their own printer
 * problem do not group: without "down"-like words on both, the same service is not enough, and
 * printers on different floors or sites never match.
 */
import type { OutageReport } from './report.js';
import { localityOf, type IncidentRules } from './rules.js';

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

/** An open incident as the decision sees it: what is down, where, and who reported it when. */
export interface OpenOutage {
  incidentId: string;
  service: string;
  site: string | null;
  floor: number | null;
  members: { ticketId: string; requester: string; at: string }[];
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
  const locality = localityOf(rules.services.find((s) => s.name === a.service));
  if (locality !== 'none') {
    if (a.site && b.site && a.site !== b.site) return 0;
    // A site's service (its badge controller, its file server) is one for all its floors.
    const byFloor = locality === 'floor';
    if (byFloor && a.floor !== null && b.floor !== null && a.floor !== b.floor) return 0;
    if ((a.site && a.site === b.site) || (byFloor && a.floor !== null && a.floor === b.floor)) score += 2;
  }
  const shared = a.identifiers.filter((id) => b.identifiers.includes(id)).length;
  score += Math.min(shared, 2);
  return score >= rules.threshold ? score : 0;
}

export function decideIncident(
  fresh: ReportedTicket | (Omit<ReportedTicket, 'report'> & { report: null }),
  earlier: ReportedTicket[],
  rules: IncidentRules,
  open: OpenOutage[] = [],
): IncidentDecision {
  if (!fresh.report) return { kind: 'alone', why: 'no-report', reason: null };
  if (fresh.category && rules.excludedCategories.includes(fresh.category)) return { kind: 'alone', why: 'excluded-category', reason: null };
  const report = fresh.report;
  const since = Date.parse(fresh.at) - rules.windowMinutes * 60_000;
  const candidates = earlier
    .filter((t) => t.requester !== fresh.requester && Date.parse(t.at) >= since && !(t.category && rules.excludedCategories.includes(t.category)))
    .filter((t) => evidence(report, t.report, rules) > 0)
    .sort((a, b) => a.at.localeCompare(b.at));
  // A report that names no place matches reports of every place; for a local service they must
  // still be of one place among themselves (no unplaced report bridges the Wi-Fi of Hamburg and
  // Malmö), and an incident has the place its members name.
  const locality = localityOf(rules.services.find((s) => s.name === report.service));
  const place = placeOfGroup([report, ...candidates.map((t) => t.report)], locality);
  const incidentPlaces = new Map<string, Place>();
  for (const id of new Set(candidates.map((t) => t.incidentId).filter((i): i is string => i !== null))) {
    incidentPlaces.set(id, placeOfGroup(earlier.filter((t) => t.incidentId === id).map((t) => t.report), locality));
  }
  const matched = candidates.filter((t) => fitsPlace(t.report, place, locality) && (!t.incidentId || fitsPlace(report, incidentPlaces.get(t.incidentId)!, locality)));
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
  const late = lateJoin(fresh as ReportedTicket, open, rules);
  if (late) return late;
  if (requesters.size < rules.minRequesters) return { kind: 'alone', why: 'too-few', reason: matched.length ? reason : null };
  return { kind: 'forms', members: matched.map((t) => t.ticketId), reason };
}

interface Place {
  site: string | null;
  floor: number | null;
}

/** The place a group of reports names: each part the one named most (the first named on a tie), for a local service. */
function placeOfGroup(reports: OutageReport[], locality: 'none' | 'site' | 'floor'): Place {
  if (locality === 'none') return { site: null, floor: null };
  const most = <T>(values: (T | null)[]): T | null => {
    const counts = new Map<T, number>();
    for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
    let best: T | null = null;
    for (const [v, n] of counts) if (best === null || n > counts.get(best)!) best = v;
    return best;
  };
  const site = reports[0]?.site ?? most(reports.map((r) => r.site));
  const floor = locality === 'floor' ? (reports[0]?.floor ?? most(reports.map((r) => r.floor))) : null;
  return { site, floor };
}

function fitsPlace(r: OutageReport, place: Place, locality: 'none' | 'site' | 'floor'): boolean {
  if (locality === 'none') return true;
  if (r.site && place.site && r.site !== place.site) return false;
  return !(locality === 'floor' && r.floor !== null && place.floor !== null && r.floor !== place.floor);
}

/**
 * An open incident whose outage the report is of, though its reports are older than the window:
 * the report joins it while the incident is still being reported, its latest report no more than
 * two windows back (an incident nobody has written about for longer is most likely fixed and not
 * yet resolved, and a new report of that service is a new outage). Not when the writer is in it
 * already: that is their own follow-up.
 */
function lateJoin(fresh: ReportedTicket, open: OpenOutage[], rules: IncidentRules): IncidentDecision | null {
  const since = Date.parse(fresh.at) - 2 * rules.windowMinutes * 60_000;
  for (const incident of open) {
    if (incident.members.some((m) => m.requester === fresh.requester)) continue;
    if (!incident.members.some((m) => Date.parse(m.at) >= since)) continue;
    // Late, a report of a local service must say it is at the incident's place: the window no
    // longer narrows it down, and an unplaced one may be another site's outage.
    const locality = localityOf(rules.services.find((s) => s.name === incident.service));
    if (locality !== 'none' && incident.site && fresh.report.site !== incident.site) continue;
    if (locality === 'floor' && incident.floor !== null && fresh.report.floor !== incident.floor) continue;
    const outage: OutageReport = { service: incident.service, site: incident.site, floor: incident.floor, symptom: fresh.report.symptom, identifiers: [] };
    if (evidence(fresh.report, outage, rules) === 0) continue;
    const members = [...incident.members].sort((a, b) => a.at.localeCompare(b.at));
    const reason: IncidentReason = {
      service: incident.service,
      site: fresh.report.site ?? incident.site,
      floor: fresh.report.floor ?? incident.floor,
      reportNumber: members.length + 1,
      minutes: members[0] ? Math.round((Date.parse(fresh.at) - Date.parse(members[0].at)) / 60_000) : 0,
      like: members.map((m) => m.ticketId),
    };
    return { kind: 'joins', incidentId: incident.incidentId, reason };
  }
  return null;
}
