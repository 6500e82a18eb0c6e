/** `ticketing tickets` and `ticketing show TICKET`: the tickets, as a table or one with its thread (or an incident). */
import { parseIncidentId } from '../../domain/incidents/incident.js';
import { parseTicketId } from '../../domain/ticket.js';
import type { TargetedCommand } from '../command.js';
import { withPorts } from '../ports.js';
import { renderTicket, renderTicketTable, ticketRow } from '../render.js';
import { where, type Options } from '../target.js';
import { UsageError } from '../errors.js';
import { showIncident } from './incidents.js';

export const tickets: TargetedCommand = {
  options: ['json'], access: 'read', deployed: true, args: 'none',
  help: `  ticketing tickets [--json]        list tickets (and quarantined mail)`,
  run: ({ opts, print }) => listTickets(opts, print),
};

export const show: TargetedCommand = {
  options: ['json'], access: 'read', deployed: true, args: 'one',
  help: `  ticketing show TICKET [--json]    one ticket with its thread, e.g. ticketing show TKT-3; or an
                                    incident with its tickets: ticketing show INC-1`,
  check: (refs) => {
    if (refs.length !== 1) throw new UsageError('show needs one ticket or incident id, e.g. ticketing show TKT-1 or ticketing show INC-1');
  },
  run: ({ args, opts, print }) => showTicketOrIncident(args[0]!, opts, print),
};

export async function listTickets(opts: Options, print: (line: string) => void): Promise<number> {
  await withPorts(opts, async (deps) => {
    const monthAgo = new Date(deps.clock.now().getTime() - 30 * 24 * 3600_000).toISOString();
    const [tickets, quarantine, undelivered] = await Promise.all([deps.store.listTickets(), deps.store.listQuarantine(), deps.store.undeliveredSince(monthAgo)]);
    if (opts.json) print(JSON.stringify(tickets.map(ticketRow), null, 2));
    else print(renderTicketTable(tickets, quarantine, undelivered));
  });
  return 0;
}

/** A ticket id (or its bare number) shows the ticket; otherwise an incident id shows the incident. */
async function showTicketOrIncident(ref: string, opts: Options, print: (line: string) => void): Promise<number> {
  // The ticket's reading first: a config whose ticket prefix is INC keeps `show INC-4` for its tickets.
  const ticket = parseTicketId(opts.config.ticketPrefix, ref) ?? (/^\d+$/.test(ref) ? Number(ref) : null);
  if (ticket !== null) return showTicket(ticket, opts, print);
  const incident = parseIncidentId(ref);
  if (incident !== null) return showIncident(incident, opts, print);
  throw new UsageError(`"${ref}" is not a ticket or incident id; ticket ids look like ${opts.config.ticketPrefix}-42, incident ids like INC-4`);
}

async function showTicket(number: number, opts: Options, print: (line: string) => void): Promise<number> {
  return withPorts(opts, async (deps) => {
    const ticket = await deps.store.getTicketById(number);
    if (!ticket) {
      print(`No ticket ${opts.config.ticketPrefix}-${number} in ${where(opts.target)}.`);
      return 1;
    }
    const [messages, events] = await Promise.all([deps.store.listMessages(ticket.key), deps.store.listEvents(ticket.key)]);
    print(opts.json ? JSON.stringify({ ...ticketRow(ticket), ticket, messages, events }, null, 2) : renderTicket(ticket, messages, events));
    return 0;
  });
}
