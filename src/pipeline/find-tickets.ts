/**
 * Finding tickets among all of them, newest activity first, in a bounded number of reads: the
 * console's "All tickets" and its search, and the REST API's listing. Each read is one Query
 * of the byActivity index (src/aws/table.ts); a page stops when it has what it wants or after
 * `maxReads`, and then says where the next one starts.
 */
import type { Ticket } from '../domain/ticket.js';
import type { ActivityPosition, TicketStore } from './ports.js';

/** Tickets per read: a few hundred KB of items, well inside a Query's 1 MB. */
export const TICKETS_PER_READ = 250;

export interface TicketSearch {
  matches(t: Ticket): boolean;
  /** Where the last page stopped; null for the newest. */
  from: ActivityPosition | null;
  /** Stop once this many match. */
  want: number;
  /** Stop after this many reads, however few matched. */
  maxReads: number;
}

export interface FoundTickets {
  tickets: Ticket[];
  /** Where to go on from, or null when every ticket in range was looked at. */
  next: ActivityPosition | null;
  /** Queries made (for the log, and the tests that count them). */
  reads: number;
}

export async function findTickets(store: Pick<TicketStore, 'ticketsByActivity'>, search: TicketSearch): Promise<FoundTickets> {
  const found: Ticket[] = [];
  let position = search.from;
  for (let reads = 1; ; reads++) {
    const page = await store.ticketsByActivity(position, TICKETS_PER_READ);
    for (const [i, ticket] of page.tickets.entries()) {
      position = { lastActivityAt: ticket.lastActivityAt, key: ticket.key };
      if (!search.matches(ticket)) continue;
      found.push(ticket);
      const lastOfAll = page.end && i === page.tickets.length - 1;
      if (found.length >= search.want) return { tickets: found, next: lastOfAll ? null : position, reads };
    }
    if (page.end || !page.tickets.length) return { tickets: found, next: null, reads };
    if (reads >= search.maxReads) return { tickets: found, next: position, reads };
  }
}

/** A position as it travels in a URL: opaque to the reader, checked on the way back in. */
export function positionToCursor(p: ActivityPosition): string {
  return Buffer.from(JSON.stringify([p.lastActivityAt, p.key])).toString('base64url');
}

/** The position a cursor names, or null for anything we did not make (it is only a place to read from). */
export function cursorToPosition(cursor: string): ActivityPosition | null {
  if (!/^[\w-]{1,400}$/.test(cursor)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [lastActivityAt, key] = value as unknown[];
    if (typeof lastActivityAt !== 'string' || Number.isNaN(Date.parse(lastActivityAt)) || lastActivityAt.length > 40) return null;
    if (typeof key !== 'string' || !/^[\w:.@+-]{1,200}$/.test(key)) return null;
    return { lastActivityAt, key };
  } catch {
    return null;
  }
}
