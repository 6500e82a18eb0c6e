/** `#assign me|<staff address>`: `me` is the sender, whom the caller has checked is staff. */
import type { CommandSpec } from './spec.js';

export type AssignCommand = { kind: 'assign'; assignee: string; line: string };

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export const assignCommand: CommandSpec<AssignCommand> = {
  kind: 'assign',
  words: ['assign'],
  parse(_word, value, line, ctx) {
    const target = value.replace(/^<(.*)>$/, '$1').replace(/^mailto:/i, '').trim().toLowerCase();
    if (target === 'me') return { command: { kind: 'assign', assignee: ctx.sender.trim().toLowerCase(), line } };
    if (!ADDRESS.test(target)) return { error: 'expected "me" or a staff email address' };
    if (!ctx.isStaff(target)) return { error: `${target} is not a staff address` };
    return { command: { kind: 'assign', assignee: target, line } };
  },
  valueOf: (command) => command.assignee,
  apply(command, run) {
    run.setField('assignee', run.ticket.assignee, command.assignee, command.line, { assignee: command.assignee });
  },
};
