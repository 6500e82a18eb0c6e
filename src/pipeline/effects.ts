/**
 * Effects as data. A delivery (or a stale-job run) decides what it will send and change outside
 * its own writes — mails, ticket events, the stale job's ticket changes — and records that plan
 * durably together with those writes. The effect runner (effect-runner.ts) carries the plan
 * out; a replay after a crash finds the same plan and finishes only what is still pending.
 *
 * Each effect moves through these states, every move a conditional write:
 *
 *   pending ──claim──► sending ──► sent | failed | unconfirmed | suppressed
 *      ▲                  │
 *      └── retryable ─────┘   (the provider was never reached, or said "try later")
 *
 * `unconfirmed` is the one state no design can avoid: the provider was called and its answer
 * was lost (a dropped connection, a timeout, a crash mid-call). SES has no idempotency key, so
 * sending again could deliver twice; we never resend it, and the digest lists it for a person.
 */
import type { TicketChanges } from '../domain/ticket.js';
import type { TicketEvent } from '../domain/lifecycle.js';
import type { OutboundMail } from '../mail/compose.js';
import { isAutoReply, type AutoReplyKind, type OutboundKind } from './outbound-kinds.js';
import type { AppendDecision } from './ports.js';
import type { PublishedEvent } from './ticket-events.js';

export type EffectState = 'pending' | 'sending' | 'sent' | 'failed' | 'unconfirmed' | 'suppressed';

/** A mail, composed from these fields when it is sent (everything it needs is here). */
export interface PlannedMail extends Omit<OutboundMail, 'date' | 'automatic'> {
  kind: OutboundKind;
  /** The ticket it is recorded on once sent (thread keys, outbound message); null: none (the digest). */
  ticket: { key: string; id: string } | null;
  /**
   * The envelope sender (SES `Source`): a return path of ours with a random token, so a bounce
   * can be tied to this mail and nobody else can forge that tie.
   */
  returnPath: string;
  /** ISO 8601: the Date header (the time the mail was planned). */
  date: string;
  automatic: 'auto-replied' | 'auto-generated' | null;
  /** An automatic answer to this address counts against the hourly auto-reply limits. */
  limitFor: string | null;
  /** The requester sees this text: kept on the ticket (these are the texts kept after it). */
  keptTexts: string[] | null;
  /** Why this mail is sent, for its record on the thread. */
  causeMessageId: string;
  /** The incident it is about (`INC-4`), kept on its thread keys. */
  incident?: string;
}

/** A change the stale job makes to a ticket: applied idempotently, so a replay may apply it again. */
export interface PlannedTicketChange {
  ticket: { key: string; id: string };
  changes: TicketChanges & { nudgedAt?: string };
  /** Sets or clears the stale flag (null: leave it). */
  staleSince?: string | null;
  events: TicketEvent[];
  causeKey: string;
}

/** A change to an incident a staff reply made (tickets taken out, the incident resolved): idempotent too. */
export interface PlannedIncidentChange {
  incident: { number: number; id: string };
  /** Keys of the tickets taken out. */
  remove: string[];
  /** When it was resolved, or null: not resolved by this change. */
  resolvedAt: string | null;
}

export type EffectSpec =
  | { type: 'mail'; mail: PlannedMail }
  | { type: 'event'; event: PublishedEvent }
  | { type: 'ticket-change'; change: PlannedTicketChange }
  | { type: 'incident-change'; change: PlannedIncidentChange };

export interface PlannedEffect {
  /** Unique within its plan; also the member that makes rate-limit slots idempotent. */
  id: string;
  spec: EffectSpec;
  state: EffectState;
  /** Calls to the provider so far (retryable failures put the effect back to pending). */
  attempts: number;
  /** When the current or last claim was taken: a claim older than the lease belongs to a dead runner. */
  claimedAt: string | null;
  /** Why it ended as it did (suppressed, failed, unconfirmed), in words. */
  detail: string | null;
  /** What the provider called it (SES MessageId) once sent. */
  providerId: string | null;
}

export interface EffectPlan {
  /** `mail:<inbound key>` for a delivery, `stale:<slot>` for a stale-job run, `limit:<sender>:<hour>`. */
  key: string;
  createdAt: string;
  /**
   * The delivery receipts that make this plan due: until one of them is done, the delivery
   * itself may still be retried and will run the plan; the sweeper leaves it alone.
   */
  receiptIds: string[];
  effects: PlannedEffect[];
  /** An appended mail's decision (what it writes on its ticket), for a replay to repeat. */
  decision?: AppendDecision;
}

export const FINAL_STATES: ReadonlySet<EffectState> = new Set(['sent', 'failed', 'unconfirmed', 'suppressed']);

export function planned(id: string, spec: EffectSpec): PlannedEffect {
  return { id, spec, state: 'pending', attempts: 0, claimedAt: null, detail: null, providerId: null };
}

/** An effect decided against at planning time (a bouncing requester, auto-replies off): kept with its reason. */
export function suppressedEffect(id: string, spec: EffectSpec, why: string): PlannedEffect {
  return { ...planned(id, spec), state: 'suppressed', detail: why };
}

/** Nothing left to do: every effect final (a plan that only keeps a decision counts as settled). */
export function isSettled(plan: EffectPlan): boolean {
  return plan.effects.every((e) => FINAL_STATES.has(e.state));
}

/** How an effect ended in one run of the runner. */
export type EffectOutcome =
  | { effect: PlannedEffect; status: 'sent'; providerId: string | null; threadKeys: string[] }
  | { effect: PlannedEffect; status: 'done' }
  | { effect: PlannedEffect; status: 'suppressed'; why: string }
  | { effect: PlannedEffect; status: 'failed'; why: string }
  | { effect: PlannedEffect; status: 'retrying'; why: string }
  | { effect: PlannedEffect; status: 'unconfirmed'; why: string }
  /** Another runner holds the claim right now (a concurrent delivery of the same mail). */
  | { effect: PlannedEffect; status: 'elsewhere' }
  /** Settled by an earlier run: nothing done this time. */
  | { effect: PlannedEffect; status: 'earlier' };

/** What an effect is, in the words of a result line ("ack", "ticket.created event"). */
function effectName(effect: PlannedEffect): string {
  const spec = effect.spec;
  if (spec.type === 'mail') return spec.mail.kind;
  if (spec.type === 'event') return `${spec.event.type} event`;
  if (spec.type === 'incident-change') return `change of ${spec.change.incident.id}`;
  return `change of ${spec.change.ticket.id}`;
}

/** What did not simply happen, in words for the result's reason; null when there is nothing to say. */
export function outcomeNote(outcome: EffectOutcome): string | null {
  const name = effectName(outcome.effect);
  const kind = outcome.effect.spec.type === 'mail' ? outcome.effect.spec.mail.kind : null;
  const notDone =
    kind && isAutoReply(kind) ? `no ${kind} sent` : kind === 'staff-notification' ? 'staff not notified' : outcome.effect.spec.type === 'event' ? `${name} not published` : `${name} not sent`;
  switch (outcome.status) {
    case 'suppressed':
    case 'failed':
      return `${notDone}: ${outcome.why}`;
    case 'retrying':
      return `${notDone} yet: ${outcome.why}; it will be tried again`;
    case 'unconfirmed':
      return `${name} may not have gone out: ${outcome.why}; it is not sent again, and the IT digest lists it`;
    case 'elsewhere':
      return `${name} is being sent by another delivery of this mail`;
    default:
      return null;
  }
}

/** The mails sent in this run, in plan order. */
export function sentMails(outcomes: EffectOutcome[]): PlannedMail[] {
  return outcomes.flatMap((o) => (o.status === 'sent' && o.effect.spec.type === 'mail' ? [o.effect.spec.mail] : []));
}

/** An auto-reply held back (auto-replies off, a bouncing requester, the hourly limits): a fact the metrics count. */
export interface SuppressedReply {
  kind: AutoReplyKind;
  /** In words, as the result's reason says it. */
  why: string;
}

/**
 * The auto-replies this run held back. Only news is reported: an effect suppressed at planning
 * comes back `suppressed` only to the run that wrote its plan (`fresh`), so a replay counts nothing twice.
 */
export function suppressedReplies(outcomes: EffectOutcome[]): SuppressedReply[] {
  return outcomes.flatMap((o) => {
    if (o.status !== 'suppressed' || o.effect.spec.type !== 'mail') return [];
    const { kind } = o.effect.spec.mail;
    return isAutoReply(kind) ? [{ kind, why: o.why }] : [];
  });
}
