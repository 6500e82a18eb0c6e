/**
 * Step 6: where the mail goes, as a typed decision. The thread rule (domain/thread.ts) says
 * which ticket; who wrote and what kind of mail it is say what the mail may do there. Each kind
 * has its handler (handlers.ts); nothing is written here.
 */
import { requesterReplyEffect, transition, type RequesterReplyEffect } from '../../domain/lifecycle.js';
import type { MachineVerdict } from '../../domain/machine-mail.js';
import type { Receipt } from '../../domain/receipt.js';
import { isForged } from '../../domain/sender-trust.js';
import { fingerprint, similarity, type Similarity } from '../../domain/similarity.js';
import { decideThread } from '../../domain/thread.js';
import { isOpen, type Ticket } from '../../domain/ticket.js';
import { ANALYSED_TEXT_CHARS, boundedLine, MAX_SUBJECT_CHARS } from '../bounds.js';
import type { InboundLookupResult } from '../ports.js';
import { overTicketLimit, type OverLimit } from '../ticket-limit.js';
import type { Delivery } from './context.js';
import { forwardedRequest, type ForwardedRequest } from './forward.js';
import { visibleTextOf } from './thread-message.js';

/** Why someone on a thread may not change its ticket. */
export type OutsiderKind = 'not-on-ticket' | 'forged';

export type Route =
  /** Machine mail (an out-of-office, a bounce) on a ticket's thread: recorded, changes nothing. */
  | { kind: 'machine-on-ticket'; ticket: Ticket; machine: MachineVerdict }
  /** Machine mail on no thread of ours: no ticket, nothing sent. */
  | { kind: 'machine-alone'; machine: MachineVerdict }
  | { kind: 'staff-message'; ticket: Ticket; why: string }
  | { kind: 'outsider'; ticket: Ticket; why: string; outsider: OutsiderKind; visible: string }
  | { kind: 'requester-reply'; ticket: Ticket; why: string; effect: RequesterReplyEffect; visible: string }
  /** A near-identical mail of the same requester's open ticket. */
  | { kind: 'duplicate'; ticket: Ticket; sim: Similarity; visible: string }
  /** A new ticket over the requester's hourly limit: held in quarantine. */
  | { kind: 'over-limit'; requester: string; over: OverLimit }
  /**
   * `resumed`: the ticket an interrupted delivery of this mail began. `forward`: a staff member
   * forwarded someone's mail, which the ticket is for (its subject, text and the staff note).
   */
  | { kind: 'new-ticket'; why: string; linkedTo: Ticket | null; resumed: Ticket | null; visible: string; print: string; forward: ForwardedRequest | null };

export type RouteKind = Route['kind'];

export async function route(d: Delivery): Promise<Route> {
  const { msg, found, config, ownKey, machine, sender, tag, standing, auth } = d;
  // A crashed earlier attempt left part of its writes: finish them instead of starting over.
  const resumed = found.tickets.get(ownKey) ?? null;
  const resumedAppend = found.threadKeyHits.get(msg.messageId);

  // An address typed into a form proves nothing: its mail may join no thread and no ticket of that address.
  const typed = d.receipt.proof?.kind === 'typed';
  const decision = resumed
    ? ({ kind: 'new', reason: 'resumed an interrupted delivery' } as const)
    : resumedAppend && resumedAppend !== ownKey
      ? ({ kind: 'existing', ticketKey: resumedAppend, reason: 'resumed an interrupted delivery' } as const)
      : typed
        ? ({ kind: 'new', reason: `a request ${typedVia(d.receipt.proof)}: always a new ticket, as the address typed is not proven` } as const)
        : decideThread(
          { ...msg, inReplyTo: msg.inReplyTo, references: [...msg.references, ...(d.bounce?.originalMessageIds ?? [])] },
          { keyHits: found.threadKeyHits, tag, taggedTicket: found.ticketByNumber, sender, senderIsStaff: standing.isStaff },
          config.ticketPrefix,
        );

  let linkedTo: Ticket | null = null;
  let why: string = decision.reason;
  if (decision.kind === 'existing') {
    const ticket = await ticketOnThread(decision.ticketKey, d);
    if (machine) return { kind: 'machine-on-ticket', ticket, machine };
    // A staff member who is this ticket's requester writes as the requester.
    if (standing.isStaff && sender !== ticket.requester) return { kind: 'staff-message', ticket, why: decision.reason };
    const visible = visibleTextOf(msg, ticket.outboundTexts);
    // Knowing a Message-ID puts a mail on the thread; changing the ticket takes being on it.
    if (sender !== ticket.requester && !ticket.participants.includes(sender ?? '')) {
      return { kind: 'outsider', ticket, why: decision.reason, outsider: 'not-on-ticket', visible };
    }
    // The From domain says this mail is not from the person it names: it speaks for no one.
    if (isForged(auth)) return { kind: 'outsider', ticket, why: decision.reason, outsider: 'forged', visible };
    const effect = d.receipt.proof?.kind === 'status-link' && d.receipt.proof.solved ? solvedByRequester(ticket, d) : requesterReplyEffect(ticket, visible, d.now, config.lifecycle.reopenWithinDays);
    if (effect.kind !== 'new-linked') return { kind: 'requester-reply', ticket, why: decision.reason, effect, visible };
    linkedTo = ticket;
    why = `${decision.reason} (${ticket.id}), but ${effect.why}`;
  }

  if (machine) return { kind: 'machine-alone', machine };

  // A staff forward for someone else is that person's request: their subject and words.
  const forward = linkedTo ? null : forwardedRequest(d);
  const visible = forward ? forward.text : visibleTextOf(msg, []);
  const print = fingerprint(forward ? forward.subject : boundedLine(msg.subject, MAX_SUBJECT_CHARS), visible.slice(0, ANALYSED_TEXT_CHARS));
  // A number an interrupted attempt took for this mail's ticket commits it to that ticket: numbers are never burnt.
  const committed = resumed !== null || found.pendingNumber != null;
  const duplicate = committed || linkedTo || typed ? null : findDuplicate(found, print, ownKey, config.duplicates.threshold);
  if (duplicate) return { kind: 'duplicate', ...duplicate, visible };
  const requester = d.choice!.requester.address;
  if (!committed && !d.receipt.replayed) {
    const over = await (d.newTicketSlot ?? overTicketLimit(requester, d));
    if (over) return { kind: 'over-limit', requester, over };
  }
  return { kind: 'new-ticket', why, linkedTo, resumed, visible, print, forward };
}

/** Where a typed address came from, for the reason. */
function typedVia(proof: Receipt['proof']): string {
  return proof?.kind === 'typed' && proof.apiKey ? `through the REST API (key "${proof.apiKey}")` : 'from the web form';
}

/** The requester pressed "this is solved" on the status page: resolved, when the lifecycle lets them. */
function solvedByRequester(ticket: Ticket, d: Delivery): RequesterReplyEffect {
  const step = transition(ticket.status, 'resolved', { kind: 'requester', address: ticket.requester }, 'the requester marked it solved on the status page', d.now.toISOString());
  if (!step.ok) return { kind: 'record-only', why: `the requester marked it solved on the status page, but ${step.error}` };
  if (!step.event) return { kind: 'record-only', why: 'the requester marked it solved on the status page; it is resolved already' };
  return { kind: 'status', to: 'resolved', why: step.event.why };
}

/** The ticket a thread key points at: from the lookup (which holds a tagged ticket too), read only when it has not. */
async function ticketOnThread(ticketKey: string, d: Delivery): Promise<Ticket> {
  const ticket = d.found.tickets.get(ticketKey) ?? (await d.ports.store.getTickets([ticketKey])).get(ticketKey);
  if (!ticket) throw new Error(`thread key points at ticket ${ticketKey}, which is missing from the store`);
  if (!ticket.number) throw new Error(`ticket ${ticketKey} is still being created by another delivery; this mail will be tried again`);
  return ticket;
}

function findDuplicate(found: InboundLookupResult, print: string, ownKey: string, threshold: number): { ticket: Ticket; sim: Similarity } | null {
  let best: { ticket: Ticket; sim: Similarity } | null = null;
  for (const ticket of found.openTicketsOfRequester) {
    if (ticket.key === ownKey || !isOpen(ticket.status) || !ticket.number) continue;
    const sim = similarity(print, ticket.fingerprint);
    if (sim.score >= threshold && (!best || sim.score > best.sim.score)) best = { ticket, sim };
  }
  return best;
}
