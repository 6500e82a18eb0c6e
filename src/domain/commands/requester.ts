/**
 * `#requester <address>`: whom a new ticket a staff member sends in is for (a forward of a
 * user's mail, a call written down). It names the requester of a new ticket only; on an existing
 * ticket it is rejected in words, as who hears a ticket is not changed by a line in a reply.
 */
import { emailSchema } from '../addresses.js';
import type { CommandSpec } from './spec.js';

export type RequesterCommand = { kind: 'requester'; requester: string; line: string };

export const requesterCommand: CommandSpec<RequesterCommand> = {
  kind: 'requester',
  words: ['requester'],
  parse(_word, value, line) {
    const written = value.replace(/^<(.*)>$/, '$1').replace(/^mailto:/i, '').trim();
    if (!written) return { error: 'expected the requester\'s email address, e.g. "#requester jane.doe@example.com"' };
    const address = emailSchema.safeParse(written);
    if (!address.success) return { error: `"${written.slice(0, 100)}" is not an email address` };
    return { command: { kind: 'requester', requester: address.data, line } };
  },
  valueOf: (command) => command.requester,
  apply(command, run) {
    run.outcome.rejected.push(
      `${command.line.trim()}: #requester names the requester of a new ticket only (the first line of a forward, or of a new mail to support); ${run.ticket.id || 'this ticket'} stays ${run.ticket.requester}'s`,
    );
  },
};
