/**
 * `#unlink TKT-7`: takes a ticket that is a different problem out of an incident. Only in a reply
 * to an incident's mail; what it changes is done for the incident as a whole
 * (src/pipeline/inbound/incident-reply.ts): here it is only checked.
 */
import { escapeRegExp } from '../text.js';
import { formatTicketId } from '../ticket.js';
import type { CommandSpec } from './spec.js';

export type UnlinkCommand = { kind: 'unlink'; ticketNumber: number; ticketId: string; line: string };

export const unlinkCommand: CommandSpec<UnlinkCommand> = {
  kind: 'unlink',
  words: ['unlink'],
  // Several tickets may be taken out at once, one line each.
  repeatable: true,
  parse(_word, value, line, ctx) {
    const id = new RegExp(`^\\[?(?:${escapeRegExp(ctx.ticketPrefix)}-)?(\\d{1,9})\\]?$`, 'i').exec(value);
    const ticketNumber = id ? Number(id[1]) : 0;
    if (ticketNumber < 1) return { error: `expected the id of the ticket to take out of the incident, such as ${formatTicketId(ctx.ticketPrefix, 7)}` };
    return { command: { kind: 'unlink', ticketNumber, ticketId: formatTicketId(ctx.ticketPrefix, ticketNumber), line } };
  },
  valueOf: (command) => command.ticketId,
  apply(command, run) {
    const { incident } = run;
    if (!incident) {
      run.outcome.rejected.push(`${command.line.trim()}: #unlink takes a ticket out of an incident; use it in a reply to the incident's email`);
    } else if (!incident.memberNumbers.includes(command.ticketNumber)) {
      run.outcome.rejected.push(`${command.line.trim()}: ${command.ticketId} is not part of ${incident.id}`);
    }
  },
};
