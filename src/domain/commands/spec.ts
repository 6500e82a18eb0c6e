/**
 * What one staff command is: the words that invoke it, how its value is read, and what it does
 * to the ticket. Each command is one module in this folder, listed once in ../commands.ts.
 */
import type { Actor, TicketEvent } from '../lifecycle.js';
import type { Ticket, TicketChanges, TicketStatus } from '../ticket.js';

export interface CommandContext {
  sender: string;
  ticketPrefix: string;
  /** The ticket the reply is on: it cannot be merged into itself. */
  ticketNumber: number;
  categories: string[];
  isStaff(address: string): boolean;
}

/** Every command keeps the line it was written on: the history and the errors quote it. */
export interface CommandBase {
  kind: string;
  line: string;
}

/** A command's value read from its line, or why it cannot be (said after the line's label). */
export type ParsedValue<C> = { command: C } | { error: string };

/** What the commands of one mail do, built up as they are applied in order. */
export interface CommandOutcome {
  changes: TicketChanges;
  events: TicketEvent[];
  applied: string[];
  rejected: string[];
  /** A `#note` made the message internal: the staff list hears of the note. */
  notedByCommand: boolean;
  /** A #merge that was accepted: the ticket this one now lives on. */
  mergeTarget: Ticket | null;
}

/** What a command may use while it is applied: the ticket as the earlier commands left it. */
export interface CommandRun {
  ticket: Ticket;
  sender: string;
  /** The door the commands came through when it was not mail or the console ('Slack'), else null. */
  via: string | null;
  actor: Actor;
  at: string;
  outcome: CommandOutcome;
  /** The status after the commands applied so far. */
  status(): TicketStatus;
  /** Moves the status if the lifecycle allows it (else the line is rejected); true when it moved. */
  moveTo(to: TicketStatus, why: string, line: string): boolean;
  /** Sets a field (with its history entry), or says it already has that value. */
  setField(kind: TicketEvent['kind'], from: string | null, to: string, line: string, change: TicketChanges): void;
  /** A ticket by number, for commands that name another ticket. */
  ticketByNumber(number: number): Promise<Ticket | null>;
  /** The incident the reply answers (a reply to an incident's email), or null. */
  incident: IncidentScope | null;
}

/** Who gave a command, as its history line says it: "from alex@…", "by alex@… via Slack". */
export function givenBy(run: Pick<CommandRun, 'sender' | 'via'>, word: 'from' | 'by' = 'from'): string {
  return `${word} ${run.sender}${run.via ? ` via ${run.via}` : ''}`;
}

/** The incident a staff reply answers: its id and the numbers of its tickets. */
export interface IncidentScope {
  id: string;
  memberNumbers: number[];
}

export interface CommandSpec<C extends CommandBase> {
  kind: C['kind'];
  /** `#word`: the command's own word, then words that mean the same (#close is a status). */
  words: readonly string[];
  /** Aliases listed after every command's own word in "known commands". */
  aliases?: readonly string[];
  /** Given several times with different values, each counts (else that is a conflict, and none does). */
  repeatable?: boolean;
  parse(word: string, value: string, line: string, ctx: CommandContext): ParsedValue<C>;
  /** The value compared when the same command is given twice. */
  valueOf(command: C): string;
  apply(command: C, run: CommandRun): void | Promise<void>;
}

export type CommandOf<S> = S extends CommandSpec<infer C> ? C : never;
