/**
 * The ticket-event port: tells whoever subscribed (chat, paging) that a ticket was created or
 * changed. The SNS adapter is src/aws/sns-events.ts; the message is the contract subscribers
 * read, so fields are only ever added.
 */

import { DeliveryError } from './delivery-error.js';

export type TicketEventType = 'ticket.created' | 'ticket.updated';

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
}

export interface TicketEventPublisher {
  publish(event: TicketEventMessage): Promise<void>;
}

/** A publish that failed; adapters say whether trying again later could help. */
export class EventPublishError extends DeliveryError {
  override name = 'EventPublishError';
}
