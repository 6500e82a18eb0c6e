/** `#merge TKT-7`: this ticket is closed as a duplicate of the other, which must exist and be open. */
import { escapeRegExp } from '../text.js';
import { formatTicketId } from '../ticket.js';
import { givenBy, type CommandSpec } from './spec.js';

export type MergeCommand = { kind: 'merge'; ticketNumber: number; ticketId: string; line: string };

export const mergeCommand: CommandSpec<MergeCommand> = {
  kind: 'merge',
  words: ['merge'],
  parse(_word, value, line, ctx) {
    const example = formatTicketId(ctx.ticketPrefix, 7);
    const id = new RegExp(`^\\[?(?:${escapeRegExp(ctx.ticketPrefix)}-)?(\\d{1,9})\\]?$`, 'i').exec(value);
    const ticketNumber = id ? Number(id[1]) : 0;
    if (ticketNumber < 1) return { error: `expected the id of the ticket to merge into, such as ${example}` };
    const ticketId = formatTicketId(ctx.ticketPrefix, ticketNumber);
    if (ticketNumber === ctx.ticketNumber) return { error: `this is ${ticketId}; a ticket cannot be merged into itself` };
    return { command: { kind: 'merge', ticketNumber, ticketId, line } };
  },
  valueOf: (command) => command.ticketId,
  async apply(command, run) {
    const { outcome, ticket, sender, at } = run;
    const target = await run.ticketByNumber(command.ticketNumber);
    if (!target) {
      outcome.rejected.push(`${command.line.trim()}: there is no ticket ${command.ticketId}`);
      return;
    }
    if (target.status === 'closed') {
      outcome.rejected.push(`${command.line.trim()}: ${command.ticketId} is closed; reopen it first or merge the other way`);
      return;
    }
    const wasClosed = run.status() === 'closed';
    run.moveTo('closed', `merged into ${target.id} ${givenBy(run, 'by')}`, command.line);
    if (run.status() !== 'closed' || wasClosed) return;
    outcome.mergeTarget = target;
    outcome.changes.duplicateOf = target.id;
    outcome.events.push({ at, actor: sender, kind: 'merged-into', from: ticket.id, to: target.id, why: `${command.line.trim()} ${givenBy(run)}` });
    outcome.applied[outcome.applied.length - 1] = `Merged into ${target.id}: ${ticket.id} is closed as its duplicate`;
  },
};
