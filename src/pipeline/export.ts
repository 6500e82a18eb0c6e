/**
 * `ticketing export`: every ticket with its thread and its history, one JSON object per ticket,
 * for audits and for moving to another system. The records as stored: the excerpt of each
 * message's text, with the S3 keys of its raw mail, whole text and attachments beside it.
 */
import type { TicketEvent } from '../domain/lifecycle.js';
import type { Ticket, ThreadMessage } from '../domain/ticket.js';
import type { TicketStore } from './ports.js';

export interface ExportedTicket {
  id: string;
  ticket: Ticket;
  /** The thread, oldest first. */
  messages: ThreadMessage[];
  /** Who changed what and why, oldest first. */
  history: TicketEvent[];
}

/** Tickets in number order, each read with its thread and history when its turn comes. */
export async function* exportTickets(store: Pick<TicketStore, 'listTickets' | 'listMessages' | 'listEvents'>): AsyncGenerator<ExportedTicket> {
  for (const ticket of await store.listTickets()) {
    const [messages, history] = await Promise.all([store.listMessages(ticket.key), store.listEvents(ticket.key)]);
    yield { id: ticket.id, ticket, messages, history };
  }
}
