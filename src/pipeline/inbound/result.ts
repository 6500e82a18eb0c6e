/** What one inbound mail came to: the `ticketing ingest` line, the handler's log, the metrics. */
import type { Ticket } from '../../domain/ticket.js';
import { boundedLine, MAX_REASON_CHARS } from '../bounds.js';
import { outcomeNote, sentMails, suppressedReplies, type EffectOutcome, type SuppressedReply } from '../effects.js';
import { sentReply, type SentReply } from '../outbound.js';

export type Outcome = 'created' | 'appended' | 'merged' | 'redelivered' | 'ignored' | 'quarantined';

export interface InboundResult {
  messageId: string | null;
  outcome: Outcome;
  ticket: string | null;
  reason: string;
  status: string | null;
  category: string | null;
  priority: string | null;
  missing: string[];
  /** The incident the ticket is part of (`INC-4`), or null. */
  incident: string | null;
  replies: SentReply[];
  /** The auto-replies held back (the reason says why in words): what the metrics count. */
  suppressed: SuppressedReply[];
  /** A staff message's commands: what they changed and what was refused, in words (the API's answer). */
  commands?: { applied: string[]; rejected: string[] };
}

export function result(outcome: Outcome, reason: string, msg: { messageId: string } | null, ticket: Ticket | null): InboundResult {
  return {
    messageId: msg?.messageId ?? null,
    outcome,
    ticket: ticket?.id ?? null,
    reason,
    status: ticket?.status ?? null,
    category: ticket?.category ?? null,
    priority: ticket?.priority ?? null,
    missing: ticket?.missing ?? [],
    incident: ticket?.incident ?? null,
    replies: [],
    suppressed: [],
  };
}

/** Adds what the plan's run sent (replies) and what it did not (said in the reason, auto-replies held back as facts) to the result. */
export function withOutcomes(out: InboundResult, outcomes: EffectOutcome[]): InboundResult {
  const notes = outcomes.map(outcomeNote).filter((n): n is string => n !== null);
  return {
    ...out,
    replies: [...out.replies, ...sentMails(outcomes).map(sentReply)],
    reason: [out.reason, ...notes].join('; '),
    suppressed: [...out.suppressed, ...suppressedReplies(outcomes)],
  };
}

/** The parts of a reason, in order, as one bounded line. */
export function joinReason(parts: (string | null)[]): string {
  return boundedLine(parts.filter(Boolean).join('; '), MAX_REASON_CHARS);
}
