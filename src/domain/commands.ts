/**
 * Staff email commands: lines at the top of a staff reply that steer its ticket. No I/O.
 *
 *   #status open|pending|waiting|waiting-on-requester|awaiting-info|resolved|closed
 *   #priority P1..P4 (also p1, 1)     #category <known category>
 *   #assign me|<staff address>         #merge TKT-7
 *   #note (the message is an internal note)   #close (= #status closed)   #resolve (= #status resolved)
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
 *   Whether a #merge target exists is for the caller too: this module has no store.
 */
import { formatTicketId, type Priority, type TicketStatus } from './ticket.js';
import { escapeRegExp, wordCount } from './text.js';

export type StaffCommand =
  | { kind: 'status'; status: TicketStatus; line: string }
  | { kind: 'priority'; priority: Priority; line: string }
  | { kind: 'category'; category: string; line: string }
  | { kind: 'assign'; assignee: string; line: string }
  | { kind: 'note'; line: string }
  | { kind: 'merge'; ticketNumber: number; ticketId: string; line: string };

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

export interface CommandContext {
  sender: string;
  ticketPrefix: string;
  /** The ticket the reply is on: it cannot be merged into itself. */
  ticketNumber: number;
  categories: string[];
  isStaff(address: string): boolean;
}

/** `#word`, then an optional colon, then the value. The word ends at a space, a colon, `.`, `!` or the line's end. */
const COMMAND_LINE = /^\s*#(\p{L}[\p{L}-]*)(?=[\s:.!]|$)\s*:?\s*(.*?)\s*$/u;
/** An unknown `#word` with more words than this after it is prose, not a mistyped command. */
const MAX_UNKNOWN_VALUE_WORDS = 3;
const MAX_COMMAND_WORD = 20;

const COMMAND_WORDS = ['status', 'priority', 'category', 'assign', 'note', 'merge', 'close', 'resolve'] as const;
type CommandWord = (typeof COMMAND_WORDS)[number];

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
const PRIORITY_HELP = 'priority must be P1, P2, P3 or P4';
const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

type LineResult = { command: StaffCommand } | { rejection: CommandRejection };

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
    if (!isCommandWord(word)) {
      if (word.length > MAX_COMMAND_WORD || wordCount(value) > MAX_UNKNOWN_VALUE_WORDS) break;
      rejected.push({ line, error: unknownCommand(word) });
      continue;
    }
    if (word === 'note' && value) noteText.push(value);
    const result = parseCommand(word, value, line, ctx);
    if ('command' in result) commands.push(result.command);
    else rejected.push(result.rejection);
  }

  const kept = resolveConflicts(commands, rejected);
  const text = [...noteText, ...lines.slice(i)].join('\n').replace(/^(?:[ \t]*\n)+/, '');
  return { commands: kept, rejected, text };
}

function isCommandWord(word: string): word is CommandWord {
  return (COMMAND_WORDS as readonly string[]).includes(word);
}

function parseCommand(word: CommandWord, rawValue: string, line: string, ctx: CommandContext): LineResult {
  // "#priority P1." reads the same as "#priority P1".
  const value = rawValue.replace(/[.!,;]+$/, '').trim();
  const reject = (error: string): LineResult => ({ rejection: { line, error: `${label(line)}: ${error}` } });
  switch (word) {
    case 'status': {
      const status = STATUS_WORDS[value.toLowerCase().replace(/[\s_]+/g, '-')];
      return status ? { command: { kind: 'status', status, line } } : reject(STATUS_HELP);
    }
    case 'close':
    case 'resolve':
      if (value) return reject(`#${word} takes no value; write the reason on a line after the commands`);
      return { command: { kind: 'status', status: word === 'close' ? 'closed' : 'resolved', line } };
    case 'priority': {
      const digit = /^p?([1-4])$/i.exec(value)?.[1];
      return digit ? { command: { kind: 'priority', priority: `P${digit}` as Priority, line } } : reject(PRIORITY_HELP);
    }
    case 'category': {
      const wanted = value.replace(/\s+/g, ' ').toLowerCase();
      const category = ctx.categories.find((c) => c.trim().toLowerCase() === wanted);
      if (category) return { command: { kind: 'category', category, line } };
      if (!ctx.categories.length) return reject('no categories are configured');
      return reject(`${value ? `unknown category "${value}"` : 'a category is needed'}; known categories are ${ctx.categories.join(', ')}`);
    }
    case 'assign': {
      const target = value.replace(/^<(.*)>$/, '$1').replace(/^mailto:/i, '').trim().toLowerCase();
      if (target === 'me') return { command: { kind: 'assign', assignee: ctx.sender.trim().toLowerCase(), line } };
      if (!ADDRESS.test(target)) return reject('expected "me" or a staff email address');
      if (!ctx.isStaff(target)) return reject(`${target} is not a staff address`);
      return { command: { kind: 'assign', assignee: target, line } };
    }
    case 'note':
      return { command: { kind: 'note', line } };
    case 'merge': {
      const example = formatTicketId(ctx.ticketPrefix, 7);
      const id = new RegExp(`^\\[?(?:${escapeRegExp(ctx.ticketPrefix)}-)?(\\d{1,9})\\]?$`, 'i').exec(value);
      const ticketNumber = id ? Number(id[1]) : 0;
      if (ticketNumber < 1) return reject(`expected the id of the ticket to merge into, such as ${example}`);
      const ticketId = formatTicketId(ctx.ticketPrefix, ticketNumber);
      if (ticketNumber === ctx.ticketNumber) return reject(`this is ${ticketId}; a ticket cannot be merged into itself`);
      return { command: { kind: 'merge', ticketNumber, ticketId, line } };
    }
  }
}

/** Drops repeats of a command, and every command of a kind given with different values. */
function resolveConflicts(commands: StaffCommand[], rejected: CommandRejection[]): StaffCommand[] {
  const byKind = new Map<StaffCommand['kind'], StaffCommand[]>();
  for (const command of commands) byKind.set(command.kind, [...(byKind.get(command.kind) ?? []), command]);
  const conflicting = new Set<StaffCommand['kind']>();
  for (const [kind, same] of byKind) {
    const values = [...new Set(same.map(valueOf))];
    if (values.length > 1) {
      conflicting.add(kind);
      const times = same.length === 2 ? 'twice' : `${same.length} times`;
      rejected.push({ line: same.map((c) => c.line).join('\n'), error: `#${kind} given ${times} (${values.join(', ')}): none applied` });
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
  switch (command.kind) {
    case 'status':
      return command.status;
    case 'priority':
      return command.priority;
    case 'category':
      return command.category;
    case 'assign':
      return command.assignee;
    case 'note':
      return '';
    case 'merge':
      return command.ticketId;
  }
}

function unknownCommand(word: string): string {
  const guess = COMMAND_WORDS.find((known) => editDistance(word, known) <= 2);
  const hint = guess ? ` (did you mean #${guess}?)` : '';
  return `unknown command #${word}${hint}: known commands are ${COMMAND_WORDS.map((w) => `#${w}`).join(', ')}`;
}

/** The line as staff wrote it, for the start of an error ("#priority P7: …"). */
function label(line: string): string {
  return line.trim().replace(/\s+/g, ' ');
}



/** Levenshtein distance, for "did you mean": command words are short. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
