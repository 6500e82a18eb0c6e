/**
 * What a queue page reads, and no more (README "How the queue stays fast on DynamoDB"): every
 * open ticket and the week's resolved ones from the sparse openByActivity index, and the
 * incidents (seven Queries, sent at once), and for "All tickets" one page of matches from
 * byActivity within a read budget. The routes and the bench call these.
 */
import { summarise, type IncidentSummary } from '../../domain/incidents/incident.js';
import type { Ticket } from '../../domain/ticket.js';
import { findTickets, type FoundTickets } from '../../pipeline/find-tickets.js';
import type { ActivityPosition, TicketStore } from '../../pipeline/ports.js';

export const PAGE_SIZE = 50;
const WEEK_MS = 7 * 24 * 3600_000;
/**
 * Reads per page of "All tickets" (each TICKETS_PER_READ tickets): a search for something old
 * stops here and offers to look further back, so no page costs more than this.
 */
export const SEARCH_READS = 4;

type Store = Pick<TicketStore, 'openTickets' | 'resolvedSince' | 'ticketsByActivity' | 'openIncidents'>;

export interface QueueRead {
  open: Ticket[];
  resolvedThisWeek: Ticket[];
  /** Open incidents, the longest-running first: shown above the queue. */
  openIncidents: IncidentSummary[];
}

/** Every open ticket, the tickets resolved in the last seven days, and the open incidents, read at once. */
export async function readQueue(store: Store, now: Date): Promise<QueueRead> {
  const [open, resolvedThisWeek, incidents] = await Promise.all([store.openTickets(), store.resolvedSince(new Date(now.getTime() - WEEK_MS).toISOString()), store.openIncidents()]);
  const openIncidents = incidents
    .map(summarise)
    .sort((a, b) => a.firstReport.localeCompare(b.firstReport));
  return { open, resolvedThisWeek, openIncidents };
}

/** One page of "All tickets": up to PAGE_SIZE matches, newest activity first, from `from`. */
export function searchAllTickets(store: Store, matches: (t: Ticket) => boolean, from: ActivityPosition | null): Promise<FoundTickets> {
  return findTickets(store, { matches, from, want: PAGE_SIZE, maxReads: SEARCH_READS });
}
