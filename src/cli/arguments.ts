/** The command line checked against the command table, before any data is touched. */
import { closest } from '../domain/did-you-mean.js';
import type { Command } from './command.js';
import { COMMANDS } from './commands.js';
import { COMMON_OPTIONS, type ParsedValues } from './options.js';
import { UsageError } from './errors.js';

export function commandNamed(command: string): Command {
  const spec = COMMANDS[command];
  if (!spec) {
    const near = closest(command, Object.keys(COMMANDS));
    throw new UsageError(`unknown command "${command}"${near ? ` (did you mean ${near}?)` : ''}; run ticketing --help for the list`);
  }
  return spec;
}

/** The options given are the command's (or common ones), and its positional arguments are what it takes. */
export function checkArguments(command: string, spec: Command, rest: string[], values: ParsedValues): void {
  const misplaced = Object.keys(values).filter((name) => values[name as keyof ParsedValues] !== undefined && !COMMON_OPTIONS.has(name) && !spec.options.includes(name));
  if (misplaced.length) {
    const owners = Object.entries(COMMANDS).filter(([, s]) => s.options.includes(misplaced[0]!)).map(([name]) => name);
    throw new UsageError(`${command} does not take --${misplaced[0]}${owners.length ? ` (${owners.join(', ')} do${owners.length === 1 ? 'es' : ''})` : ''}; run ticketing --help`);
  }
  if (spec.args === 'none' && rest.length) throw new UsageError(`${command} takes no arguments (got "${rest[0]}"); run ticketing --help`);
  spec.check?.(rest, values);
}
