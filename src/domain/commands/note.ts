/** `#note`: the message is an internal note (the text after `#note` on its line is its first line). */
import type { CommandSpec } from './spec.js';

export type NoteCommand = { kind: 'note'; line: string };

export const noteCommand: CommandSpec<NoteCommand> = {
  kind: 'note',
  words: ['note'],
  parse: (_word, _value, line) => ({ command: { kind: 'note', line } }),
  valueOf: () => '',
  apply(_command, run) {
    run.outcome.notedByCommand = true;
  },
};
