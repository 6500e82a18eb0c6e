/** `#status open|pending|waiting|waiting-on-requester|awaiting-info|resolved|closed`, `#close`, `#resolve`. */
import type { TicketStatus } from '../ticket.js';
import { givenBy, type CommandSpec } from './spec.js';

export type StatusCommand = { kind: 'status'; status: TicketStatus; line: string };

const STATUS_WORDS: Record<string, TicketStatus> = {
  open: 'open',
  pending: 'waiting-on-requester',
  waiting: 'waiting-on-requester',
  'waiting-on-requester': 'waiting-on-requester',
  'awaiting-info': 'awaiting-info',
  resolved: 'resolved',
  closed: 'closed',
};
const STATUS_HELP = 'status must be open, pending (waiting-on-requester), awaiting-info, resolved or closed';

export const statusCommand: CommandSpec<StatusCommand> = {
  kind: 'status',
  words: ['status'],
  aliases: ['close', 'resolve'],
  parse(word, value, line) {
    if (word === 'close' || word === 'resolve') {
      if (value) return { error: `#${word} takes no value; write the reason on a line after the commands` };
      return { command: { kind: 'status', status: word === 'close' ? 'closed' : 'resolved', line } };
    }
    const status = STATUS_WORDS[value.toLowerCase().replace(/[\s_]+/g, '-')];
    return status ? { command: { kind: 'status', status, line } } : { error: STATUS_HELP };
  },
  valueOf: (command) => command.status,
  apply(command, run) {
    run.moveTo(command.status, `${command.line.trim()} ${givenBy(run)}`, command.line);
  },
};
