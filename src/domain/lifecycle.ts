/**
 * The ticket's status machine: every move a ticket may make, who may make it, and what a
 * requester's reply does to it. No I/O.
 *
 *   open ⇄ awaiting-info ⇄ waiting-on-requester ⇄ open
 *   open | awaiting-info | waiting-on-requester → resolved → closed
 *   resolved → open (reopened)
 *   open | awaiting-info | waiting-on-requester → closed (staff only: #close, #merge)
 *   closed: final. A requester who writes again gets a new ticket linked to it.
 */
import type { TicketStatus } from './ticket.js';
import { thanksVerdict } from './thanks.js';

export type ActorKind = 'requester' | 'staff' | 'system';

export interface Actor {
  kind: ActorKind;
  address: string | null;
}

/** One line of a ticket's history. */
export interface TicketEvent {
  at: string;
  /** The actor's address, or 'system'. */
  actor: string;
  kind: 'created' | 'status' | 'priority' | 'category' | 'assignee' | 'merged' | 'merged-into' | 'note' | 'linked' | 'verified' | 'incident';
  from: string | null;
  to: string | null;
  why: string;
}

const STAFF: readonly ActorKind[] = ['staff'];

/**
 * Who may move a ticket from one status to another; a move not listed is not allowed.
 * Requesters bring a ticket back to IT (→ open), or say their own problem is solved (→ resolved:
 * only the status page's button, which a proven requester presses; words in a mail never move a
 * ticket to resolved); the system asks for missing details
 * (open ⇄ awaiting-info) and closes resolved tickets; staff may make every listed move.
 */
export const STATUS_TRANSITIONS: Readonly<Record<TicketStatus, Readonly<Partial<Record<TicketStatus, readonly ActorKind[]>>>>> = {
  open: {
    'awaiting-info': ['staff', 'system'],
    'waiting-on-requester': STAFF,
    resolved: ['requester', 'staff'],
    closed: STAFF,
  },
  'awaiting-info': {
    open: ['requester', 'staff', 'system'],
    'waiting-on-requester': STAFF,
    resolved: ['requester', 'staff'],
    closed: STAFF,
  },
  'waiting-on-requester': {
    open: ['requester', 'staff'],
    'awaiting-info': ['staff', 'system'],
    resolved: ['requester', 'staff'],
    closed: STAFF,
  },
  resolved: {
    open: ['requester', 'staff'],
    closed: ['staff', 'system'],
  },
  closed: {},
};

/** Staying in the same status is always allowed: it is no move at all. */
export function canTransition(from: TicketStatus, to: TicketStatus, actor: ActorKind): boolean {
  return from === to || (STATUS_TRANSITIONS[from][to]?.includes(actor) ?? false);
}

export function transition(
  from: TicketStatus,
  to: TicketStatus,
  actor: Actor,
  why: string,
  at: string,
): { ok: true; event: TicketEvent | null } | { ok: false; error: string } {
  if (from === to) return { ok: true, event: null };
  const allowed = STATUS_TRANSITIONS[from][to];
  if (!allowed) {
    if (from === 'closed') {
      return { ok: false, error: `the ticket is closed; a closed ticket cannot be moved to ${to} (a new message opens a new, linked ticket)` };
    }
    const targets = Object.keys(STATUS_TRANSITIONS[from]);
    return { ok: false, error: `a ${from} ticket cannot be moved to ${to}; from ${from} it can only move to ${orList(targets)}` };
  }
  if (!allowed.includes(actor.kind)) {
    return { ok: false, error: `only ${orList(allowed.map(actorName))} can move a ticket from ${from} to ${to}, not ${actorName(actor.kind)}` };
  }
  return { ok: true, event: { at, actor: actorLabel(actor), kind: 'status', from, to, why } };
}

export type RequesterReplyEffect =
  /** The status stays (an open ticket stays open; awaiting-info is handled by missing-info). */
  | { kind: 'none' }
  /** waiting-on-requester → open; resolved → open (reopened). */
  | { kind: 'status'; to: TicketStatus; why: string }
  /** Thanks or an acknowledgement on a resolved or closed ticket: recorded, nothing moves. */
  | { kind: 'record-only'; why: string }
  /** Resolved longer than reopenWithinDays ago, or closed: the reply starts a new, linked ticket. */
  | { kind: 'new-linked'; why: string };

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * What a requester's reply does to its ticket's status.
 * A reply that is only thanks never reopens a ticket nor opens a new one, however late it comes:
 * a thank-you is worth keeping on the ticket, not worth a technician's look.
 * The reopen window includes its end: resolved exactly reopenWithinDays ago still reopens.
 * A resolved ticket without a (readable) resolvedAt is reopened: its context is worth more than a fresh start.
 */
export function requesterReplyEffect(
  ticket: { id: string; status: TicketStatus; resolvedAt: string | null },
  visibleText: string,
  now: Date,
  reopenWithinDays: number,
): RequesterReplyEffect {
  switch (ticket.status) {
    case 'open':
    case 'awaiting-info':
      return { kind: 'none' };
    case 'waiting-on-requester':
      return { kind: 'status', to: 'open', why: 'the requester replied: status waiting-on-requester → open' };
    case 'closed': {
      const thanks = thanksVerdict(visibleText);
      if (thanks.onlyThanks) return { kind: 'record-only', why: `${thanks.reason}: recorded on the closed ticket` };
      return { kind: 'new-linked', why: `the ticket is closed and the reply is more than thanks (${thanks.reason}): a new ticket linked to ${ticket.id}` };
    }
    case 'resolved': {
      const thanks = thanksVerdict(visibleText);
      if (thanks.onlyThanks) return { kind: 'record-only', why: `${thanks.reason}: recorded, status stays resolved` };
      const resolvedMs = ticket.resolvedAt === null ? Number.NaN : Date.parse(ticket.resolvedAt);
      if (Number.isNaN(resolvedMs)) {
        return { kind: 'status', to: 'open', why: `the requester replied to a resolved ticket whose resolution time is unknown (${thanks.reason}): status resolved → open (reopened)` };
      }
      const window = `${reopenWithinDays} ${reopenWithinDays === 1 ? 'day' : 'days'}`;
      if (now.getTime() - resolvedMs > reopenWithinDays * DAY_MS) {
        return {
          kind: 'new-linked',
          why: `the ticket was resolved at ${ticket.resolvedAt}, more than ${window} ago, and the reply is more than thanks (${thanks.reason}): a new ticket linked to ${ticket.id}`,
        };
      }
      return {
        kind: 'status',
        to: 'open',
        why: `the requester replied within ${window} of the resolution (${thanks.reason}): status resolved → open (reopened)`,
      };
    }
  }
}

function actorName(kind: ActorKind): string {
  return kind === 'staff' ? 'staff' : `the ${kind}`;
}

function actorLabel(actor: Actor): string {
  return actor.kind === 'system' ? 'system' : (actor.address ?? actor.kind);
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? 'nothing') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}
