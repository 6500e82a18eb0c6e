/**
 * The queue's search and filters, as typed in the console: words to find in a ticket's id,
 * subject, requester and latest text, and fields to match. Pure; the routes read it from the URL.
 */
import type { Ticket } from '../../domain/ticket.js';

export interface QueueQuery {
  /** Words, all of which must appear (any case). */
  words: string[];
  priority: string;
  category: string;
  /** A staff address, or `none` for unassigned. */
  assignee: string;
  requester: string;
  /** Only tickets with no activity for at least this many days. */
  idleDays: number | null;
}

/** The URL's query fields a queue page keeps in its view and page links. */
export const QUERY_FIELDS = ['q', 'priority', 'category', 'assignee', 'requester', 'idle', 'sort'] as const;

export interface QueueSort {
  id: string;
  label: string;
  compare(a: Ticket, b: Ticket): number;
}

const PRIORITY_ORDER: Record<string, number> = { P1: 0, P2: 1, P3: 2, P4: 3 };
const newestActivity = (a: Ticket, b: Ticket) => b.lastActivityAt.localeCompare(a.lastActivityAt);

/** The orders a view of open (or this week's) tickets can be read in; the first is the default. */
export const QUEUE_SORTS: QueueSort[] = [
  { id: 'priority', label: 'Priority, then latest activity', compare: (a, b) => (PRIORITY_ORDER[a.priority ?? ''] ?? 4) - (PRIORITY_ORDER[b.priority ?? ''] ?? 4) || newestActivity(a, b) },
  { id: 'activity', label: 'Latest activity first', compare: newestActivity },
  { id: 'quiet', label: 'Quiet longest first', compare: (a, b) => -newestActivity(a, b) },
  { id: 'newest', label: 'Newest ticket first', compare: (a, b) => b.number - a.number },
  { id: 'oldest', label: 'Oldest ticket first', compare: (a, b) => a.number - b.number },
];

export function queueQuery(param: (name: (typeof QUERY_FIELDS)[number]) => string | undefined): QueueQuery {
  const text = (name: (typeof QUERY_FIELDS)[number]) => (param(name) ?? '').trim().slice(0, 200);
  const idle = Number.parseInt(text('idle'), 10);
  return {
    words: text('q').toLowerCase().split(/\s+/).filter(Boolean).slice(0, 10),
    priority: text('priority'),
    category: text('category'),
    assignee: text('assignee').toLowerCase(),
    requester: text('requester').toLowerCase(),
    idleDays: Number.isInteger(idle) && idle > 0 ? Math.min(idle, 3650) : null,
  };
}

export function isFiltered(q: QueueQuery): boolean {
  return q.words.length > 0 || Boolean(q.priority || q.category || q.assignee || q.requester) || q.idleDays !== null;
}

export function matchesQuery(t: Ticket, q: QueueQuery, now: Date): boolean {
  if (q.priority && t.priority !== q.priority) return false;
  if (q.category && t.category !== q.category) return false;
  if (q.assignee && (q.assignee === 'none' ? t.assignee !== null : t.assignee !== q.assignee)) return false;
  if (q.requester && !t.requester.includes(q.requester)) return false;
  if (q.idleDays !== null && now.getTime() - Date.parse(t.lastActivityAt) < q.idleDays * 24 * 3600_000) return false;
  if (!q.words.length) return true;
  const haystack = `${t.id} ${t.subject} ${t.requester} ${t.requesterName} ${t.lastExcerpt}`.toLowerCase();
  return q.words.every((w) => haystack.includes(w));
}
