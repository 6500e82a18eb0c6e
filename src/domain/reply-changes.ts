/**
 * What a person's reply changes on their ticket: missing details supplied (back to open, or ask
 * only for what is still missing), and an urgency that raises the priority. Never lowers
 * anything. Pure: the caller records the changes and sends the ask.
 */
import type { TicketEvent } from './lifecycle.js';
import { boundedLine } from './text.js';
import { stillMissing, type MissingInfoRules } from './missing-info.js';
import { escalate, type TriageRules } from './triage.js';
import type { Priority, Ticket, TicketChanges } from './ticket.js';

export interface Reply {
  /** What the person wrote, bounded for analysis. */
  text: string;
  subject: string;
  /** Who wrote it (the ticket's requester when the mail names no one). */
  sender: string;
  sentAt: Date;
}

export interface ReplyRules {
  missingInfo: MissingInfoRules;
  triage: TriageRules;
  /** How often a reply that still lacks details is asked again before a person takes over. */
  maxFollowUpAsks: number;
}

export interface ReplyChanges {
  changes: TicketChanges;
  events: TicketEvent[];
  reasons: string[];
  /** The details to ask for again (a follow-up ask), or null: nothing to ask. */
  askAgain: string[] | null;
}

export function replyChanges(ticket: Ticket, reply: Reply, rules: ReplyRules, now: Date): ReplyChanges {
  const { text, sender } = reply;
  const changes: TicketChanges = {};
  const events: TicketEvent[] = [];
  const reasons: string[] = [];
  const at = now.toISOString();
  let askAgain: string[] | null = null;
  if (ticket.status === 'awaiting-info' && ticket.missing.length) {
    const still = stillMissing(ticket.missing, text, ticket.category ?? 'other', rules.missingInfo);
    if (!still.length) {
      changes.status = 'open';
      changes.missing = [];
      reasons.push('the reply supplies the missing details: status awaiting-info → open');
      events.push({ at, actor: sender, kind: 'status', from: ticket.status, to: 'open', why: 'the requester supplied the missing details' });
    } else {
      const supplied = ticket.missing.filter((id) => !still.some((m) => m.id === id));
      changes.missing = still.map((m) => m.id);
      reasons.push(`still missing: ${changes.missing.join(', ')}${supplied.length ? ` (supplied: ${supplied.join(', ')})` : ''}`);
      if (ticket.followUpAsks >= rules.maxFollowUpAsks) {
        // Asking forever helps no one (and feeds any answering machine): a person takes over.
        changes.status = 'open';
        reasons.push(`already asked ${ticket.followUpAsks + 1} times: status awaiting-info → open for IT to follow up, not asked again`);
        events.push({ at, actor: 'system', kind: 'status', from: ticket.status, to: 'open', why: `details still missing after ${ticket.followUpAsks + 1} requests: over to IT` });
      } else {
        changes.followUpAsks = ticket.followUpAsks + 1;
        askAgain = still.map((m) => m.ask);
      }
    }
  }
  if (ticket.status !== 'awaiting-info' && ticket.missing.length) {
    // Staff have taken the conversation over: no more asking, but what is given is crossed off.
    const still = stillMissing(ticket.missing, text, ticket.category ?? 'other', rules.missingInfo).map((m) => m.id);
    if (still.length < ticket.missing.length) changes.missing = still;
  }
  const raised = ticket.priority ? escalate(ticket.priority as Priority, { subject: reply.subject, text, sender, sentAt: reply.sentAt }, rules.triage) : null;
  if (raised) {
    changes.priority = raised.priority;
    changes.triageReasons = [...ticket.triageReasons, boundedLine(raised.reason, 500)].slice(-20);
    reasons.push(raised.reason);
    events.push({ at, actor: sender, kind: 'priority', from: ticket.priority, to: raised.priority, why: raised.reason });
  }
  return { changes, events, reasons, askAgain };
}
