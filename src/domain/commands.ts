/**
 * Staff email commands: lines at the top of a staff reply that steer its ticket. No I/O.
 *
 *   #status open|pending|waiting|waiting-on-requester|awaiting-info|resolved|closed
 *   #priority P1..P4 (also p1, 1)     #category <known category>
 *   #assign me|<staff address>         #merge TKT-7
 *   #note (the message is an internal note)   #close (= #status closed)   #resolve (= #status resolved)
 *   #unlink TKT-7 (in a reply to an incident's email: takes that ticket out of the incident)
 *   #requester <address> (the first line of a new mail from staff, a forward: whom the new ticket is for)
 *
 * The rules:
 * - Commands are read from the visible text (quotes and signature already gone), from its first
 *   non-blank line; they are case-insensitive, a colon after the word is fine (`#Status: resolved`)
 *   and so are blank lines between them. The block ends at the first line that is not a command:
 *   a hashtag in the prose below is plain text.
 * - A `#word` line in the block whose word is unknown is rejected (with the known commands) when it
 *   looks like a command: a word of letters directly after `#`, and at most MAX_UNKNOWN_VALUE_WORDS
 *   words after it. Otherwise (`#1 priority for me is…`, `# Heading`) it is prose and ends the block.
 * - A known command with a bad value is rejected in words and applies nothing; its line is still
 *   removed from the text, so a requester never sees `#priority P7`.
 * - #close and #resolve take no value; the text after `#note` on its line is the note's first line.
 * - The same command given twice with the same value counts once; with different values (#close
 *   and #resolve included) none of them is applied and the conflict is rejected: the sender meant
 *   one of them, and guessing which would be worse than asking.
 * - The caller decides that the sender is staff; `#assign me` assigns the sender unchecked.
 *   Whether a #merge target exists is looked up through the caller: this module has no store.
 *
 * Each command is one module in commands/ (its words, how its value is read, what it does);
 * COMMANDS below lists them. Adding a command is a new module there and one line here.
 */
import { editDistance } from './did-you-mean.js';
import { transition, type TicketEvent } from './lifecycle.js';
import { assignCommand } from './commands/assign.js';
import { categoryCommand } from './commands/category.js';
import { mergeCommand } from './commands/merge.js';
import { noteCommand } from './commands/note.js';
import { priorityCommand } from './commands/priority.js';
import { requesterCommand, type RequesterCommand } from './commands/requester.js';
import { givenBy, type CommandContext, type CommandOf, type CommandOutcome, type CommandRun, type CommandSpec, type IncidentScope } from './commands/spec.js';
import { statusCommand } from './commands/status.js';
import { unlinkCommand } from './commands/unlink.js';
import { wordCount } from './text.js';
import type { Ticket, TicketChanges, TicketStatus } from './ticket.js';

export type { CommandContext, CommandOutcome, IncidentScope } from './commands/spec.js';

/** Every staff command, in the order "known commands" lists them. */
const COMMANDS = [statusCommand, priorityCommand, categoryCommand, assignCommand, noteCommand, mergeCommand, unlinkCommand, requesterCommand] as const;

export type StaffCommand = CommandOf<(typeof COMMANDS)[number]>;

/** A command line that does nothing, and why in plain words. */
export interface CommandRejection {
  /** The line as written; for a conflict, the conflicting lines joined by newlines. */
  line: string;
  error: string;
}

export interface ParsedCommands {
  commands: StaffCommand[];
  rejected: CommandRejection[];
  /** The text with the command lines removed (and leading blank lines trimmed). */
  text: string;
}

/** `#word`, then an optional colon, then the value. The word ends at a space, a colon, `.`, `!` or the line's end. */
const COMMAND_LINE = /^\s*#(\p{L}[\p{L}-]*)(?=[\s:.!]|$)\s*:?\s*(.*?)\s*$/u;
/** An unknown `#word` with more words than this after it is prose, not a mistyped command. */
const MAX_UNKNOWN_VALUE_WORDS = 3;
const MAX_COMMAND_WORD = 20;

/** Each command's own word, then the aliases: what "known commands" lists, in that order. */
const COMMAND_WORDS: readonly string[] = [...COMMANDS.flatMap((c) => c.words), ...COMMANDS.flatMap((c) => c.aliases ?? [])];

type AnySpec = CommandSpec<StaffCommand>;

function specFor(word: string): AnySpec | undefined {
  return COMMANDS.find((c) => c.words.includes(word) || c.aliases?.includes(word)) as AnySpec | undefined;
}

function specOf(command: StaffCommand): AnySpec {
  return COMMANDS.find((c) => c.kind === command.kind) as AnySpec;
}

export function parseCommands(visibleText: string, ctx: CommandContext): ParsedCommands {
  const lines = visibleText.split(/\r?\n/);
  const commands: StaffCommand[] = [];
  const rejected: CommandRejection[] = [];
  const noteText: string[] = [];

  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const match = COMMAND_LINE.exec(line);
    if (!match) break;
    const word = match[1]!.toLowerCase();
    const value = match[2]!;
    const spec = specFor(word);
    if (!spec) {
      if (word.length > MAX_COMMAND_WORD || wordCount(value) > MAX_UNKNOWN_VALUE_WORDS) break;
      rejected.push({ line, error: `${label(line)}: ${unknownCommand(word)}` });
      continue;
    }
    if (spec.kind === 'note' && value) noteText.push(value);
    // "#priority P1." reads the same as "#priority P1".
    const parsed = spec.parse(word, value.replace(/[.!,;]+$/, '').trim(), line, ctx);
    if ('command' in parsed) commands.push(parsed.command);
    else rejected.push({ line, error: `${label(line)}: ${parsed.error}` });
  }

  const kept = resolveConflicts(commands, rejected);
  const text = [...noteText, ...lines.slice(i)].join('\n').replace(/^(?:[ \t]*\n)+/, '');
  return { commands: kept, rejected, text };
}

/** `#requester` on the first line of a new mail from staff, read as the command system reads it; the text without that line. */
export interface RequesterLine {
  /** The line as written. */
  line: string;
  parsed: { command: RequesterCommand } | { error: string };
  /** The text with that line removed (and leading blank lines trimmed). */
  rest: string;
}

/** The `#requester` line, when the first non-blank line of the text is one; null otherwise. */
export function requesterLineOf(text: string, ctx: CommandContext): RequesterLine | null {
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((line) => line.trim() !== '');
  const line = first < 0 ? '' : lines[first]!;
  const match = COMMAND_LINE.exec(line);
  if (!match || match[1]!.toLowerCase() !== 'requester') return null;
  const parsed = requesterCommand.parse('requester', match[2]!.replace(/[.!,;]+$/, '').trim(), line, ctx);
  const rest = lines.slice(first + 1).join('\n').replace(/^(?:[ \t]*\n)+/, '');
  return { line, parsed: 'command' in parsed ? parsed : { error: `${label(line)}: ${parsed.error}` }, rest };
}

/**
 * Applies the commands in order to the ticket, as one change set. A command the lifecycle or
 * the store refuses is rejected in words and changes nothing. `via`: the door they came through
 * when it was not mail or the console ('Slack'), named in every history line they write.
 */
export async function applyCommands(
  ticket: Ticket,
  parsed: ParsedCommands,
  who: { sender: string; at: string; via?: string | null; ticketByNumber(number: number): Promise<Ticket | null>; incident?: IncidentScope | null },
): Promise<CommandOutcome & { status: TicketStatus }> {
  const { sender, at } = who;
  const via = who.via ?? null;
  const actor = { kind: 'staff', address: sender } as const;
  const outcome: CommandOutcome = { changes: {}, events: [], applied: [], rejected: parsed.rejected.map((r) => r.error), notedByCommand: false, mergeTarget: null };
  let status = ticket.status;
  const run: CommandRun = {
    ticket,
    sender,
    via,
    actor,
    at,
    outcome,
    status: () => status,
    moveTo(to, why, line) {
      const step = transition(status, to, actor, why, at);
      if (!step.ok) {
        outcome.rejected.push(`${line.trim()}: ${step.error}`);
        return false;
      }
      if (!step.event) {
        outcome.applied.push(`Status was already ${to}, so nothing changed`);
        return false;
      }
      outcome.events.push(step.event);
      outcome.applied.push(`Status changed from ${status} to ${to}`);
      status = to;
      outcome.changes.status = to;
      if (to === 'resolved') outcome.changes.resolvedAt = at;
      return true;
    },
    setField(kind: TicketEvent['kind'], from: string | null, to: string, line: string, change: TicketChanges) {
      if (from === to) {
        outcome.applied.push(`${kind === 'assignee' ? `Already assigned to ${to}` : `${fieldName(kind)} was already ${to}`}, so nothing changed`);
        return;
      }
      Object.assign(outcome.changes, change);
      outcome.events.push({ at, actor: sender, kind, from, to, why: `${line.trim()} ${givenBy({ sender, via })}` });
      outcome.applied.push(fieldChanged(kind, from, to));
    },
    ticketByNumber: (number) => who.ticketByNumber(number),
    incident: who.incident ?? null,
  };
  for (const command of parsed.commands) await specOf(command).apply(command, run);
  return { ...outcome, status };
}

/** Drops repeats of a command, and every command of a kind given with different values. */
function resolveConflicts(commands: StaffCommand[], rejected: CommandRejection[]): StaffCommand[] {
  const byKind = new Map<StaffCommand['kind'], StaffCommand[]>();
  for (const command of commands) byKind.set(command.kind, [...(byKind.get(command.kind) ?? []), command]);
  const conflicting = new Set<StaffCommand['kind']>();
  for (const [kind, same] of byKind) {
    const values = [...new Set(same.map(valueOf))];
    if (values.length > 1 && !specOf(same[0]!).repeatable) {
      conflicting.add(kind);
      const times = same.length === 2 ? 'twice' : `${same.length} times`;
      const none = same.length === 2 ? 'neither was applied' : 'none was applied';
      rejected.push({ line: same.map((c) => c.line).join('\n'), error: `#${kind} was given ${times} with different values (${values.join(', ')}), so ${none}` });
    }
  }
  const seen = new Set<string>();
  return commands.filter((command) => {
    const key = `${command.kind} ${valueOf(command)}`;
    if (conflicting.has(command.kind) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function valueOf(command: StaffCommand): string {
  return specOf(command).valueOf(command);
}

/** A field a command sets, to start a sentence: "Priority", "Category". */
function fieldName(kind: string): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1);
}

/** What a command changed, as a sentence: "Priority changed from P3 to P1", "Assigned to priya@… (it was unassigned)". */
function fieldChanged(kind: TicketEvent['kind'], from: string | null, to: string): string {
  if (kind === 'assignee') return from === null ? `Assigned to ${to} (it was unassigned)` : `Assigned to ${to} (it was assigned to ${from})`;
  return from === null ? `${fieldName(kind)} set to ${to} (it had none)` : `${fieldName(kind)} changed from ${from} to ${to}`;
}

function unknownCommand(word: string): string {
  const guess = COMMAND_WORDS.find((known) => editDistance(word, known) <= 2);
  const hint = guess ? ` (did you mean #${guess}?)` : '';
  return `#${word} is not a command${hint}; the commands are ${COMMAND_WORDS.map((w) => `#${w}`).join(', ')}`;
}

/** The line as staff wrote it, for the start of an error ("#priority P7: …"). */
function label(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}
