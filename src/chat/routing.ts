/**
 * Which events a chat channel is told about, and where each goes: a new message (which a Slack
 * thread can hang under), or a reply under the message the channel already has about the
 * ticket or incident. Pure: the caller reads what the channel was told from the store.
 */
import { isIncidentEvent, type PublishedEvent } from '../pipeline/ticket-events.js';
import type { ChatEventKind } from './config.js';

export interface ChannelWants {
  events: readonly ChatEventKind[];
  priorities: readonly string[];
}

/** What the channel already has about the event's ticket or incident. */
export interface ChannelHistory {
  /** It was told about it before (the first message's Slack ts, or a marker where there are no threads). */
  told: boolean;
  /** The Slack ts to thread under, when the channel has threads. */
  threadTs: string | null;
}

export type ChatRoute =
  | { post: false; why: NotPostedWhy }
  | { post: true; inThread: string | null; startsThread: boolean };

export type NotPostedWhy =
  | { kind: 'event-not-wanted'; event: ChatEventKind }
  | { kind: 'priority-not-wanted'; priority: string | null }
  | { kind: 'not-told-before' }
  | { kind: 'told-as-incident'; incidentId: string };

/** The thread an event belongs to: its ticket's or its incident's; null for the digest. */
export function threadSubject(event: PublishedEvent): string | null {
  if (event.type === 'digest.sent') return null;
  if (isIncidentEvent(event)) return event.incidentId;
  return event.ticketId;
}

export function routeEvent(event: PublishedEvent, wants: ChannelWants, history: ChannelHistory): ChatRoute {
  const wanted = (kind: ChatEventKind) => wants.events.includes(kind);
  const wantedPriority = (p: string | null) => p !== null && wants.priorities.includes(p);
  const fresh = { post: true, inThread: null, startsThread: true } as const;
  const reply = { post: true, inThread: history.threadTs, startsThread: false } as const;
  switch (event.type) {
    case 'digest.sent':
      return wanted('digest') ? { post: true, inThread: null, startsThread: false } : notWanted('digest');
    case 'incident.opened':
    case 'incident.updated':
      if (!wanted('incident')) return notWanted('incident');
      return history.told ? reply : fresh;
    case 'ticket.created':
      if (!wanted('new-ticket')) return notWanted('new-ticket');
      // A report that joined an incident is told of in the incident's message, not again on its own.
      if (event.incidentId && wanted('incident')) return { post: false, why: { kind: 'told-as-incident', incidentId: event.incidentId } };
      return wantedPriority(event.priority) ? fresh : { post: false, why: { kind: 'priority-not-wanted', priority: event.priority } };
    case 'ticket.updated': {
      if (history.told) return wanted('update') ? reply : notWanted('update');
      // A ticket raised to a wanted priority is news, as if it had come in at that priority.
      const raised = event.changes?.some((c) => c.field === 'priority' && wantedPriority(c.to) && !wantedPriority(c.from));
      if (raised && wanted('new-ticket')) return fresh;
      return { post: false, why: { kind: 'not-told-before' } };
    }
    case 'ticket.stale':
      if (!wanted('stale')) return notWanted('stale');
      if (history.told) return reply;
      return wantedPriority(event.priority) ? fresh : { post: false, why: { kind: 'priority-not-wanted', priority: event.priority } };
  }
}

function notWanted(event: ChatEventKind): ChatRoute {
  return { post: false, why: { kind: 'event-not-wanted', event } };
}

export function notPostedWords(why: NotPostedWhy): string {
  if (why.kind === 'event-not-wanted') return `the channel does not take "${why.event}" events`;
  if (why.kind === 'priority-not-wanted') return `the channel takes new tickets of other priorities (this one is ${why.priority ?? 'not triaged'})`;
  if (why.kind === 'told-as-incident') return `it is a report of ${why.incidentId}, which the channel is told about instead`;
  return 'the channel was not told about this ticket, and the change did not raise it to a priority it takes';
}
