/** `#category <known category>`: one of the configured triage categories, any case. */
import type { CommandSpec } from './spec.js';

export type CategoryCommand = { kind: 'category'; category: string; line: string };

export const categoryCommand: CommandSpec<CategoryCommand> = {
  kind: 'category',
  words: ['category'],
  parse(_word, value, line, ctx) {
    const wanted = value.replace(/\s+/g, ' ').toLowerCase();
    const category = ctx.categories.find((c) => c.trim().toLowerCase() === wanted);
    if (category) return { command: { kind: 'category', category, line } };
    if (!ctx.categories.length) return { error: 'no categories are configured' };
    return { error: `${value ? `unknown category "${value}"` : 'a category is needed'}; known categories are ${ctx.categories.join(', ')}` };
  },
  valueOf: (command) => command.category,
  apply(command, run) {
    run.setField('category', run.ticket.category, command.category, command.line, { category: command.category });
  },
};
