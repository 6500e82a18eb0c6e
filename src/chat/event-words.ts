/**
 * The words both chat renderers (slack-message.ts, teams-card.ts) use for a published event, so
 * Slack and Teams say the same thing: priorities, statuses, what changed, how long a ticket has
 * been idle, the one-line summary, and the cleaning of text that came from mail. Pure.
 */
import type { IncidentEventMessage, PublishedEvent, TicketEventMessage, TicketFieldChange } from '../pipeline/ticket-events.js';
import type { ChatView } from './view.js';

/** The console's words (src/http/pages/status.ts), so chat and the console agree. */
const PRIORITY_WORDS: Record<string, string> = { P1: 'P1, urgent', P2: 'P2, high', P3: 'P3, normal', P4: 'P4, low' };
const STATUS_WORDS: Record<string, string> = {
  open: 'Open',
  'awaiting-info': 'Awaiting details',
  'waiting-on-requester': 'Waiting on requester',
  resolved: 'Resolved',
  closed: 'Closed',
};

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;

export function priorityWords(priority: string | null): string {
  if (priority === null || priority.trim() === '') return 'Not set';
  return PRIORITY_WORDS[priority] ?? priority;
}

export function statusWords(status: string): string {
  return STATUS_WORDS[status] ?? status;
}

export function categoryWords(category: string | null): string {
  return category === null || category.trim() === '' ? 'Not set' : category;
}

export function assigneeWords(assignee: string | null): string {
  return assignee === null || assignee.trim() === '' ? 'Nobody yet' : assignee;
}

/** "5 hours", "3 days": how long a ticket has been idle. */
export function idleWords(hours: number): string {
  const h = Math.max(0, Math.round(hours));
  if (h < 48) return h === 1 ? '1 hour' : `${h} hours`;
  const days = Math.round(h / 24);
  return `${days} days`;
}

/** One field change in words, e.g. "Priority: P3, normal → P1, urgent (by lee@…)"; `withBy` false leaves out who. */
export function changeWords(change: TicketFieldChange, withBy = true): string {
  const by = !withBy ? '' : change.by === 'system' ? ' (automatically)' : ` (by ${change.by})`;
  switch (change.field) {
    case 'assignee':
      if (change.to) return `Assigned to ${change.to}${by}`;
      return `Unassigned${change.from ? `, was ${change.from}` : ''}${by}`;
    case 'incident':
      if (change.to) return `Linked to incident ${change.to}${by}`;
      return `No longer part of incident ${change.from ?? ''}`.trimEnd() + by;
    case 'status':
      return `Status: ${change.from ? statusWords(change.from) : 'none'} → ${change.to ? statusWords(change.to) : 'none'}${by}`;
    case 'priority':
      return `Priority: ${priorityWords(change.from)} → ${priorityWords(change.to)}${by}`;
    case 'category':
      return `Category: ${categoryWords(change.from)} → ${categoryWords(change.to)}${by}`;
  }
}

/** What a ticket.updated changed, as lines: the changes when there are any, else its `why`. */
export function updateLines(event: TicketEventMessage): string[] {
  const lines = (event.changes ?? []).map((change) => changeWords(change));
  return lines.length ? lines : [event.why];
}

/**
 * What a ticket.updated changed, said once for who did it when one person (or the system) made
 * every change: `{ who: 'Changed by lee@…', lines: ['Priority: …', 'Assigned to …'] }`.
 */
export function updateSummary(event: TicketEventMessage): { who: string | null; lines: string[] } {
  const changes = event.changes ?? [];
  const authors = new Set(changes.map((c) => c.by));
  if (changes.length === 0 || authors.size !== 1) return { who: null, lines: updateLines(event) };
  const [by] = authors;
  return { who: by === 'system' ? 'Changed automatically' : `Changed by ${by}`, lines: changes.map((c) => changeWords(c, false)) };
}

export type TicketLink = { kind: 'console'; url: string } | { kind: 'mail'; url: string; address: string };

/** Where a ticket is opened: its console page, or else a mail to its reply address. */
export function ticketLink(view: ChatView, ticketId: string): TicketLink {
  const url = view.consoleUrl(ticketId);
  if (url) return { kind: 'console', url };
  const address = view.replyAddress(ticketId);
  return { kind: 'mail', url: `mailto:${address}`, address };
}

/** "5 reports from 4 people" */
export function reportWords(event: IncidentEventMessage): string {
  const reports = event.tickets.length;
  return `${reports} ${reports === 1 ? 'report' : 'reports'} from ${event.reporters} ${event.reporters === 1 ? 'person' : 'people'}`;
}

/** What the event is, as a short heading word or two. */
export function eventHeading(event: PublishedEvent): string {
  switch (event.type) {
    case 'ticket.created':
      return event.priority === 'P1' ? 'Urgent new ticket' : 'New ticket';
    case 'ticket.updated':
      return 'Ticket updated';
    case 'ticket.stale':
      return 'Ticket going stale';
    case 'incident.opened':
      return 'New incident';
    case 'incident.updated':
      return 'Incident updated';
    case 'digest.sent':
      return 'Daily digest';
  }
}

/**
 * The one-line summary notifications and screen readers show (raw: the caller escapes it for
 * its format). Mail text in it is cleaned and cut.
 */
export function summaryLine(event: PublishedEvent): string {
  switch (event.type) {
    case 'ticket.created':
      return `${eventHeading(event)} ${event.ticketId} (${priorityWords(event.priority)}) from ${event.requester}: ${cut(oneLine(event.subject), 150)}`;
    case 'ticket.updated':
      return `${event.ticketId} updated: ${cut(oneLine(updateLines(event).join('; ')), 200)} · ${cut(oneLine(event.subject), 100)}`;
    case 'ticket.stale':
      return `${event.ticketId} has had no activity for ${idleWords(event.idleHours ?? 0)}: ${cut(oneLine(event.subject), 150)}`;
    case 'incident.opened':
    case 'incident.updated':
      return `${eventHeading(event)} ${event.incidentId}: ${cut(oneLine(event.title), 150)} (${reportWords(event)})`;
    case 'digest.sent':
      return `Daily digest: ${digestCounts(event).map(([label, n]) => `${n} ${(n === 1 ? label.replace(/s$/, '') : label).toLowerCase()}`).join(', ')}`;
  }
}

/** The digest's counts with their labels (plurals ending in s), in the order the digest mail lists them. */
export function digestCounts(event: Extract<PublishedEvent, { type: 'digest.sent' }>): [string, number][] {
  return [
    ['Stale tickets', event.stale],
    ['Unreachable requesters', event.unreachable],
    ['Undelivered replies', event.undelivered],
    ['Open incidents', event.openIncidents],
  ];
}

// Bidi overrides and isolates can make a subject display as something else ("gpj.exe" tricks);
// other control characters have no business in a chat message.
const UNSAFE_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;

/** Mail text on one line: control and bidi-override characters dropped, white space collapsed. */
export function oneLine(text: string): string {
  return text.replace(UNSAFE_CHARS, '').replace(/\s+/g, ' ').trim();
}

/** Mail text as paragraphs: control characters dropped, runs of blank lines and spaces collapsed. */
export function paragraphs(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(UNSAFE_CHARS, '')
    .split('\n')
    .map((line) => line.replace(/[^\S\n]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * At most `max` UTF-16 units (what the services count, or stricter), cut at a grapheme boundary
 * (never inside an emoji or a surrogate pair) and ending with an ellipsis when cut.
 */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const { segment } of graphemes.segment(text)) {
    if (out.length + segment.length > max - 1) break;
    out += segment;
  }
  return `${out.trimEnd()}…`;
}
