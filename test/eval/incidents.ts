/**
 * `npm run eval`: incident grouping, measured pairwise. Over tickets in arrival order, each new
 * ticket's report is decided against the earlier ones (src/domain/incidents/): a pair of tickets
 * is "grouped" when they end up in one incident. Precision: grouped pairs that are truly of one
 * storm; recall: storm pairs that got grouped. Also the report at which each storm's incident
 * formed. Two sets: generated mornings (test/eval/incident-storms.ts; tuned on) and the
 * hand-written mails of fixtures/incidents/ (written blind to the rules; never tuned on: its
 * figure is reported, its misses are not looked at to change the rules).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/config.js';
import { decideIncident, type OpenOutage, type ReportedTicket } from '../../src/domain/incidents/grouping.js';
import { readReport } from '../../src/domain/incidents/report.js';
import type { IncidentRules } from '../../src/domain/incidents/rules.js';
import { parseMail } from '../../src/mail/parse.js';
import { extractVisibleText } from '../../src/mail/visible-text.js';
import { generateMorning, SITES, type GeneratedTicket } from './incident-storms.js';

export interface GroupingScore {
  tickets: number;
  storms: number;
  truePairs: number;
  groupedPairs: number;
  correctPairs: number;
  /** For each storm: the report number at which it became an incident, or null if it never did. */
  detectedAt: (number | null)[];
}

/** Runs detection over the tickets in order and scores it. */
export function scoreGrouping(tickets: GeneratedTicket[], rules: IncidentRules): GroupingScore {
  const earlier: ReportedTicket[] = [];
  const incidentOf = new Map<string, string>();
  /** Tickets whose own arrival made or joined an incident: when the storm was recognised. */
  const decided = new Set<string>();
  // The incidents formed so far, all still open (a morning resolves none), as the pipeline keeps them.
  const open: OpenOutage[] = [];
  let next = 1;
  for (const t of tickets) {
    const report = readReport(t.subject, t.text, rules);
    const fresh = { ticketId: t.id, requester: t.requester, at: t.at, category: null, incidentId: null };
    const decision = decideIncident({ ...fresh, report }, earlier, rules, open);
    if (decision.kind !== 'alone') decided.add(t.id);
    const member = { ticketId: t.id, requester: t.requester, at: t.at };
    if (decision.kind === 'forms') {
      const id = `INC-${next++}`;
      for (const m of [t.id, ...decision.members]) incidentOf.set(m, id);
      for (const e of earlier) if (decision.members.includes(e.ticketId)) e.incidentId = id;
      const { service, site, floor } = decision.reason;
      open.push({ incidentId: id, service, site, floor, members: [...earlier.filter((e) => e.incidentId === id).map((e) => ({ ticketId: e.ticketId, requester: e.requester, at: e.at })), member] });
    } else if (decision.kind === 'joins') {
      incidentOf.set(t.id, decision.incidentId);
      open.find((i) => i.incidentId === decision.incidentId)?.members.push(member);
    }
    if (report) earlier.push({ ...fresh, report, incidentId: incidentOf.get(t.id) ?? null });
  }
  let truePairs = 0;
  let groupedPairs = 0;
  let correctPairs = 0;
  for (let i = 0; i < tickets.length; i++) {
    for (let j = i + 1; j < tickets.length; j++) {
      const [a, b] = [tickets[i]!, tickets[j]!];
      const same = a.storm !== null && a.storm === b.storm;
      const grouped = incidentOf.has(a.id) && incidentOf.get(a.id) === incidentOf.get(b.id);
      if (same) truePairs++;
      if (grouped) groupedPairs++;
      if (same && grouped) correctPairs++;
    }
  }
  const storms = [...new Set(tickets.map((t) => t.storm).filter((s): s is string => s !== null))];
  const detectedAt = storms.map((storm) => {
    const reports = tickets.filter((t) => t.storm === storm);
    const at = reports.findIndex((t) => decided.has(t.id));
    return at < 0 ? null : at + 1;
  });
  return { tickets: tickets.length, storms: storms.length, truePairs, groupedPairs, correctPairs, detectedAt };
}

export function combine(scores: GroupingScore[]): GroupingScore {
  return scores.reduce((a, b) => ({
    tickets: a.tickets + b.tickets,
    storms: a.storms + b.storms,
    truePairs: a.truePairs + b.truePairs,
    groupedPairs: a.groupedPairs + b.groupedPairs,
    correctPairs: a.correctPairs + b.correctPairs,
    detectedAt: [...a.detectedAt, ...b.detectedAt],
  }));
}

/** The hand-written set, parsed as mail like any other: null when it is not there. */
export async function handWrittenSet(dir: string): Promise<GeneratedTicket[] | null> {
  const labelsFile = join(dir, 'labels.json');
  if (!existsSync(labelsFile)) return null;
  const labels = JSON.parse(readFileSync(labelsFile, 'utf8')) as { file: string; storm: string | null }[];
  const tickets: GeneratedTicket[] = [];
  for (const label of labels) {
    const mail = await parseMail(readFileSync(join(dir, label.file)), { limits: parseConfig({}).mail });
    tickets.push({
      id: label.file,
      requester: mail.from?.address ?? label.file,
      at: new Date(mail.date ?? 0).toISOString(),
      subject: mail.subject,
      text: extractVisibleText(mail.text, { subject: mail.subject }).text,
      storm: label.storm,
    });
  }
  return tickets.sort((a, b) => a.at.localeCompare(b.at));
}

function line(name: string, s: GroupingScore): string {
  const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : 'n/a');
  const detected = s.detectedAt.filter((d): d is number => d !== null);
  const byThird = detected.filter((d) => d <= 3).length;
  return `${name.padEnd(34)} ${String(s.tickets).padStart(5)} tickets ${String(s.storms).padStart(3)} storms  precision ${pct(s.correctPairs, s.groupedPairs).padStart(6)}  recall ${pct(s.truePairs ? s.correctPairs : 0, s.truePairs).padStart(6)}  detected ${detected.length}/${s.storms} (by the 3rd report: ${byThird}; mean report ${detected.length ? (detected.reduce((a, b) => a + b, 0) / detected.length).toFixed(2) : 'n/a'})`;
}

/**
 * Northwind's sites, as the hand-written sets' READMEs give them: offices in Hamburg, Malmö,
 * Stockholm, London, Amsterdam and Lyon, and the warehouse in Rotterdam. The generator writes of
 * its own three (SITES) and keeps them.
 */
export const NORTHWIND_SITES = ['Hamburg', 'Malmö', 'Stockholm', 'London', 'Amsterdam', 'Lyon', 'Rotterdam'];

export async function reportIncidents(): Promise<void> {
  const rules = parseConfig({ incidents: { sites: [...SITES] } }).incidents;
  const northwind = parseConfig({ incidents: { sites: NORTHWIND_SITES } }).incidents;
  console.log('\nincident grouping (pairwise; src/domain/incidents/)');
  const generated = combine(Array.from({ length: 20 }, (_, i) => scoreGrouping(generateMorning(1000 + i), rules)));
  console.log(line('generated mornings (tuned)', generated));
  // Each written blind to the rules and measured as written (README), then tuned on.
  for (const set of ['incidents-tuning', 'incidents-tuning-2', 'incidents-tuning-3', 'incidents-tuning-4', 'incidents-tuning-5', 'incidents-tuning-6']) {
    const tickets = await handWrittenSet(join(import.meta.dirname, '..', '..', 'fixtures', set));
    console.log(tickets ? line(`fixtures/${set} (tuned)`, scoreGrouping(tickets, northwind)) : `fixtures/${set}: not there`);
  }
  const hand = await handWrittenSet(join(import.meta.dirname, '..', '..', 'fixtures', 'incidents'));
  console.log(hand ? line('fixtures/incidents (held out)', scoreGrouping(hand, northwind)) : 'fixtures/incidents: not there');
}
