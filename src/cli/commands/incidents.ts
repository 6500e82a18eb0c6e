/** `ticketing incidents` and `ticketing show INC-4`: the incidents, as a table or one with its tickets. */
import { summarise, type Incident } from '../../domain/incidents/incident.js';
import type { Ticket } from '../../domain/ticket.js';
import type { Config } from '../../config.js';
import type { TargetedCommand } from '../command.js';
import { withPorts } from '../ports.js';
import { clip, shortTime, table } from '../render.js';
import { where, type Options } from '../target.js';

export const incidents: TargetedCommand = {
  options: ['json'], access: 'read', deployed: true, args: 'none',
  help: `  ticketing incidents [--json]      list incidents (outages several people reported), newest
                                    first; ticketing show INC-1 shows one`,
  run: ({ opts, print }) => listIncidents(opts, print),
};

/** The `incidents --json` row: what a script needs about an incident. */
export function incidentRow(incident: Incident) {
  const s = summarise(incident);
  return {
    id: s.id,
    status: s.status,
    title: s.title,
    tickets: s.tickets,
    requesters: s.requesters,
    firstReport: s.firstReport,
    lastReport: s.lastReport,
    places: s.places,
    resolvedAt: s.resolvedAt,
  };
}

export async function listIncidents(opts: Options, print: (line: string) => void): Promise<number> {
  await withPorts(opts, async (deps) => {
    const incidents = await deps.store.listIncidents();
    if (opts.json) print(JSON.stringify(incidents.map(incidentRow), null, 2));
    else print(incidents.length ? renderIncidentTable(incidents) : noIncidents(opts.config));
  });
  return 0;
}

/** `ticketing show INC-4`: the incident, and each of its tickets as it stands now. */
export async function showIncident(number: number, opts: Options, print: (line: string) => void): Promise<number> {
  return withPorts(opts, async (deps) => {
    const incident = await deps.store.getIncident(number);
    if (!incident) {
      print(`No incident INC-${number} in ${where(opts.target)}.`);
      return 1;
    }
    const tickets = await deps.store.getTickets(incident.members.map((m) => m.ticketKey));
    print(opts.json ? JSON.stringify(incidentDetail(incident, tickets), null, 2) : renderIncident(incident, tickets));
    return 0;
  });
}

/** Why the list is empty, in the words of the rules the target runs with. */
function noIncidents(config: Config): string {
  const rules = config.incidents;
  if (!rules.enabled) return 'No incidents: incident detection is off in this config (incidents.enabled is false).';
  return `No incidents yet: one forms when ${rules.minRequesters} people report the same outage within ${rules.windowMinutes} minutes.`;
}

function renderIncidentTable(incidents: Incident[]): string {
  const rows = [['ID', 'STATUS', 'REPORTS', 'PEOPLE', 'FIRST REPORT', 'LAST REPORT', 'TITLE', 'TICKETS']];
  for (const incident of incidents) {
    const s = summarise(incident);
    rows.push([s.id, s.status, String(s.tickets.length), String(s.requesters.length), shortTime(s.firstReport), shortTime(s.lastReport), clip(s.title, 50), clip(s.tickets.join(', '), 40)]);
  }
  return table(rows);
}

/** A member ticket's status now; null if the ticket is not in the store. */
function statusOf(tickets: Map<string, Ticket>, ticketKey: string): string | null {
  return tickets.get(ticketKey)?.status ?? null;
}

function renderIncident(incident: Incident, tickets: Map<string, Ticket>): string {
  const s = summarise(incident);
  const head = [
    `${s.id}  ${s.title}`,
    `Status ${s.status}${s.resolvedAt ? ` since ${shortTime(s.resolvedAt)}` : ''} · first report ${shortTime(s.firstReport)} · last report ${shortTime(s.lastReport)}`,
    `Places: ${s.places.length ? s.places.join('; ') : '(none named)'}`,
    `${s.tickets.length} ticket(s) from ${s.requesters.length} people:`,
  ];
  const rows = [['TICKET', 'STATUS', 'REQUESTER', 'REPORTED', 'PLACE', 'WHAT THEY WROTE']];
  for (const m of [...incident.members].sort((a, b) => a.at.localeCompare(b.at))) {
    rows.push([m.ticketId, statusOf(tickets, m.ticketKey) ?? '(not found)', m.requester, shortTime(m.at), m.place ?? '-', clip(m.excerpt, 70)]);
  }
  return [...head, '', table(rows)].join('\n');
}

/** `show INC-4 --json`: the row, the stored incident, and each member with its ticket's status now. */
function incidentDetail(incident: Incident, tickets: Map<string, Ticket>) {
  const members = [...incident.members].sort((a, b) => a.at.localeCompare(b.at));
  return {
    ...incidentRow(incident),
    service: incident.service,
    createdAt: incident.createdAt,
    members: members.map((m) => ({ ticket: m.ticketId, status: statusOf(tickets, m.ticketKey), requester: m.requester, at: m.at, place: m.place, excerpt: m.excerpt })),
  };
}
