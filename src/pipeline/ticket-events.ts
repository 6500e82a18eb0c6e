/**
 * The ticket-event port: tells whoever subscribed (chat, paging) that a ticket was created or
 * changed. The SNS adapter is src/aws/sns-events.ts; the message is the contract subscribers
 * read, so fields are only ever added.
 */

import { DeliveryError } from './delivery-error.js';

export type TicketEventType = 'ticket.created' | 'ticket.updated' | 'ticket.stale';

/** One field a ticket.updated changed, as data (`why` says it in words). */
export interface TicketFieldChange {
  field: 'status' | 'priority' | 'category' | 'assignee' | 'incident';
  from: string | null;
  to: string | null;
  /** The staff address or requester who changed it, or 'system'. */
  by: string;
}

export interface TicketEventMessage {
  /** Unique per event, the same on a retried publish: subscribers drop an id they have seen. */
  id: string;
  type: TicketEventType;
  /** The ticket's display id, e.g. `TKT-42`. */
  ticketId: string;
  subject: string;
  status: string;
  priority: string | null;
  category: string | null;
  /** The requester's address. */
  requester: string;
  /** The assigned staff address, if any. */
  assignee: string | null;
  /** What happened, in words (e.g. `priority high → urgent by lee@northwind.example`). */
  why: string;
  /** ISO 8601. */
  at: string;
  /** ticket.created: the start of what the requester wrote (at most 300 characters). */
  excerpt?: string | null;
  /** ticket.created: the incident it joined (`INC-3`), whose own event tells of it; null: none. */
  incidentId?: string | null;
  /** ticket.updated: what changed, as data. */
  changes?: TicketFieldChange[];
  /** ticket.stale: hours since the ticket last moved. */
  idleHours?: number;
}

export type IncidentEventType = 'incident.opened' | 'incident.updated';

/** Outage reports grouped into one incident (src/domain/incidents/). */
export interface IncidentEventMessage {
  id: string;
  type: IncidentEventType;
  /** The incident's display id, e.g. `INC-3`. */
  incidentId: string;
  title: string;
  /** The tickets reporting it so far. */
  tickets: string[];
  /** How many different people reported it. */
  reporters: number;
  /** The ticket whose report this event is about. */
  ticketId: string;
  why: string;
  at: string;
}

/** The stale job mailed its digest to IT: the summary a chat channel shows. */
export interface DigestEventMessage {
  id: string;
  type: 'digest.sent';
  /** The digest mail's subject. */
  subject: string;
  stale: number;
  unreachable: number;
  undelivered: number;
  openIncidents: number;
  /** The longest-idle stale tickets, at most 10. */
  top: { ticketId: string; subject: string; priority: string | null; idleHours: number }[];
  why: string;
  at: string;
}

/** Everything published on the events topic. */
export type PublishedEvent = TicketEventMessage | IncidentEventMessage | DigestEventMessage;

export function isIncidentEvent(event: { type: string }): event is IncidentEventMessage {
  return event.type === 'incident.opened' || event.type === 'incident.updated';
}

export interface TicketEventPublisher {
  publish(event: PublishedEvent): Promise<void>;
}

/** A publish that failed; adapters say whether trying again later could help. */
export class EventPublishError extends DeliveryError {
  override name = 'EventPublishError';
}
