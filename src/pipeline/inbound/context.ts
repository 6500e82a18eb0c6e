/**
 * What every step after the lookup knows about the mail being handled (the delivery's context),
 * and the small pieces of a delivery they all build: its receipts, its plan, its ticket event.
 */
import type { Config } from '../../config.js';
import type { AddressBook, RequesterChoice } from '../../domain/addresses.js';
import type { DeliveryReport } from '../../domain/bounce.js';
import type { MachineVerdict } from '../../domain/machine-mail.js';
import type { Receipt } from '../../domain/receipt.js';
import type { SenderAuthentication } from '../../domain/sender-trust.js';
import type { ForwardDecision } from '../../domain/staff-forward.js';
import type { StaffStanding, TicketTag } from '../../domain/thread.js';
import type { RequesterProfile, Ticket } from '../../domain/ticket.js';
import type { InboundMessage } from '../../mail/types.js';
import { boundedLine, MAX_REASON_CHARS } from '../bounds.js';
import { planned, type EffectPlan, type PlannedEffect } from '../effects.js';
import type { Mailer } from '../mailer.js';
import type { Cause } from '../outbound.js';
import type { AppendDecision, BlobStore, Clock, InboundLookupResult, ReceiptRecord, TicketStore } from '../ports.js';
import type { Shared } from '../staff.js';
import type { TicketEventMessage, TicketEventPublisher, TicketEventType, TicketFieldChange } from '../ticket-events.js';
import type { TicketEvent } from '../../domain/lifecycle.js';
import type { OverLimit } from '../ticket-limit.js';
import type { IncidentReads } from './incident-report.js';
import type { InboundOrder } from './order.js';
import type { Outcome } from './result.js';

export interface InboundPorts {
  store: TicketStore;
  blobs: BlobStore;
  clock: Clock;
  mailer: Mailer;
  /** Ticket events for subscribers (SNS); null when no topic is configured. */
  events: TicketEventPublisher | null;
  /** A batch's order of decisions (`ticketing ingest`, order.ts); absent, the mail is decided at once. */
  order?: InboundOrder;
}

/** Who the mail is from and what kind of mail it is: read from the mail before the lookup. */
export interface SenderFacts {
  /** The From address; null when the mail has none. */
  sender: string | null;
  tag: TicketTag | null;
  machine: MachineVerdict | null;
  choice: RequesterChoice | null;
  auth: SenderAuthentication;
  /** Whether the sender speaks as staff here, and why (or why not). */
  standing: StaffStanding;
  bounce: DeliveryReport | null;
  /** One of our return paths among the bounce's recipients: the strongest tie to a mail we sent. */
  returnPath: string | null;
  /** A forward (or a `#requester` line): whom its ticket is for and why; null when it is no forward. */
  forward: ForwardDecision | null;
}

export interface Delivery extends SenderFacts {
  msg: InboundMessage;
  receipt: Receipt;
  now: Date;
  /** The key of this mail (and of the ticket it opens). */
  ownKey: string;
  /** What the result's reason adds after the decision (staff standing, why the requester is who it is, parse warnings). */
  notes: readonly string[];
  found: InboundLookupResult;
  /** The new-ticket limit, taken during the lookup for a mail that looked new. */
  newTicketSlot: Promise<OverLimit | null> | null;
  /** What an outage report that looked new is compared with, read during the lookup (null: not read). */
  incidentReads: Promise<IncidentReads | null> | null;
  ports: InboundPorts;
  config: Config;
  book: AddressBook;
}

export function addressBook(config: Config): AddressBook {
  return {
    supportAddresses: config.supportAddresses,
    ticketPrefix: config.ticketPrefix,
    staffAddresses: config.staff.addresses,
    staffDomains: config.staff.domains,
    staffList: config.staffList,
  };
}

export function receiptIds(msg: Pick<InboundMessage, 'messageId' | 'rawSha256'>): string[] {
  return [`mid:${msg.messageId}`, `sha:${msg.rawSha256}`];
}

/** The plan of what one inbound mail causes. */
export function deliveryPlanKey(inboundKey: string): string {
  return `mail:${inboundKey}`;
}

/** The plan of what this mail causes (and, for an append, what it decided). */
export function deliveryPlan(d: Delivery, effects: PlannedEffect[], decision?: AppendDecision): EffectPlan {
  return { key: deliveryPlanKey(d.ownKey), createdAt: d.now.toISOString(), receiptIds: receiptIds(d.msg), effects, ...(decision ? { decision } : {}) };
}

export function eventEffect(type: TicketEventType, ticket: Ticket, why: string, d: Delivery, more: Partial<Pick<TicketEventMessage, 'excerpt' | 'changes' | 'incidentId'>> = {}): PlannedEffect {
  return planned('event', {
    type: 'event',
    event: {
      id: `${deliveryPlanKey(d.ownKey)}/event`,
      type,
      ticketId: ticket.id,
      subject: ticket.subject,
      status: ticket.status,
      priority: ticket.priority,
      category: ticket.category,
      requester: ticket.requester,
      assignee: ticket.assignee,
      why: boundedLine(why, 1000),
      at: d.now.toISOString(),
      ...more,
    },
  });
}

/** The ticket.updated event of a mail that changed the ticket (its history lines), or none when nothing changed. */
export function updateEventEffects(ticket: Ticket, events: readonly TicketEvent[], d: Delivery): PlannedEffect[] {
  if (!events.length) return [];
  return [eventEffect('ticket.updated', ticket, events.map((e) => e.why).join('; '), d, { changes: fieldChanges(events) })];
}

const CHANGED_FIELDS: Partial<Record<TicketEvent['kind'], TicketFieldChange['field']>> = { status: 'status', priority: 'priority', category: 'category', assignee: 'assignee', incident: 'incident' };

function fieldChanges(events: readonly TicketEvent[]): TicketFieldChange[] {
  return events.flatMap((e) => {
    const field = CHANGED_FIELDS[e.kind];
    return field ? [{ field, from: e.from, to: e.to, by: e.actor }] : [];
  });
}

/** The start of what a requester wrote, for a ticket.created event: one paragraph-ish, at most 300 characters. */
export function eventExcerpt(visibleText: string): string | null {
  const flat = visibleText.replace(/\s+/g, ' ').trim();
  if (!flat) return null;
  return flat.length > 300 ? `${flat.slice(0, 299).trimEnd()}…` : flat;
}

export function doneReceipts(d: Delivery, outcome: Outcome, ticket: Ticket | null, reason: string): ReceiptRecord[] {
  // A replayed mail that could not even be parsed before was quarantined under its raw key.
  const ids = d.receipt.replayed ? [...receiptIds(d.msg), `raw:${d.receipt.rawKey}`] : receiptIds(d.msg);
  return ids.map((id) => ({
    id,
    state: 'done',
    outcome,
    ticketKey: ticket?.key ?? null,
    ticketId: ticket?.id ?? null,
    reason: boundedLine(reason, MAX_REASON_CHARS),
    rawKey: d.receipt.rawKey,
    at: d.now.toISOString(),
    messageId: d.msg.messageId,
  }));
}

export function cause(ticket: Ticket, d: Delivery): Cause {
  return { ticket, inbound: d.msg, inboundKey: d.ownKey, now: d.now };
}

export function shared(d: Delivery): Shared {
  return { config: d.config, book: d.book };
}

/** The requester's profile as it stands after this mail: someone who writes to us is not bouncing. */
export function profileNow(d: Delivery): RequesterProfile | null {
  const p = d.found.profile;
  return p && p.bouncing && p.address === d.msg.from?.address ? { ...p, bouncing: false, bounceDetail: null } : p;
}

export async function clearBouncing(d: Delivery): Promise<void> {
  const p = d.found.profile;
  if (p?.bouncing && p.address === d.msg.from?.address) await d.ports.store.clearBouncing(p.address);
}
