/** `#priority P1..P4` (also `p1`, `1`). */
import type { Priority } from '../ticket.js';
import type { CommandSpec } from './spec.js';

export type PriorityCommand = { kind: 'priority'; priority: Priority; line: string };

export const priorityCommand: CommandSpec<PriorityCommand> = {
  kind: 'priority',
  words: ['priority'],
  parse(_word, value, line) {
    const digit = /^p?([1-4])$/i.exec(value)?.[1];
    return digit ? { command: { kind: 'priority', priority: `P${digit}` as Priority, line } } : { error: 'priority must be P1, P2, P3 or P4' };
  },
  valueOf: (command) => command.priority,
  apply(command, run) {
    run.setField('priority', run.ticket.priority, command.priority, command.line, { priority: command.priority });
  },
};
