import { describe, expect, it } from 'vitest';
import { routeEvent, threadSubject, type ChannelWants } from '../../src/chat/routing.js';
import type { PublishedEvent, TicketEventMessage } from '../../src/pipeline/ticket-events.js';

const wants: ChannelWants = { events: ['new-ticket', 'update', 'incident', 'stale', 'digest'], priorities: ['P1', 'P2'] };
const fresh = { told: false, threadTs: null };
const told = { told: true, threadTs: '1733540000.000100' };

function ticket(type: TicketEventMessage['type'], more: Partial<TicketEventMessage> = {}): TicketEventMessage {
  return { id: 'e1', type, ticketId: 'TKT-42', subject: 'VPN down', status: 'open', priority: 'P1', category: 'network', requester: 'ana@northwind.example', assignee: null, why: 'opened', at: '2026-12-07T08:00:00.000Z', ...more };
}

describe('which events a chat channel is told, and where', () => {
  it('posts a new ticket of a wanted priority as a message that starts a thread', () => {
    expect(routeEvent(ticket('ticket.created'), wants, fresh)).toEqual({ post: true, inThread: null, startsThread: true });
  });

  it('leaves out a new ticket of another priority, and says why', () => {
    expect(routeEvent(ticket('ticket.created', { priority: 'P3' }), wants, fresh)).toEqual({ post: false, why: { kind: 'priority-not-wanted', priority: 'P3' } });
    expect(routeEvent(ticket('ticket.created', { priority: null }), wants, fresh)).toMatchObject({ post: false });
  });

  it('threads an update under the message the channel has about the ticket', () => {
    expect(routeEvent(ticket('ticket.updated'), wants, told)).toEqual({ post: true, inThread: told.threadTs, startsThread: false });
  });

  it('posts an update where there are no threads (a webhook) as a reply without a thread', () => {
    expect(routeEvent(ticket('ticket.updated'), wants, { told: true, threadTs: null })).toEqual({ post: true, inThread: null, startsThread: false });
  });

  it('does not tell a channel about changes to a ticket it never saw, unless it was raised to a priority it takes', () => {
    expect(routeEvent(ticket('ticket.updated', { priority: 'P3' }), wants, fresh)).toEqual({ post: false, why: { kind: 'not-told-before' } });
    const raised = ticket('ticket.updated', { changes: [{ field: 'priority', from: 'P3', to: 'P1', by: 'lee@northwind.example' }] });
    expect(routeEvent(raised, wants, fresh)).toEqual({ post: true, inThread: null, startsThread: true });
    const within = ticket('ticket.updated', { changes: [{ field: 'priority', from: 'P2', to: 'P1', by: 'lee@northwind.example' }] });
    expect(routeEvent(within, wants, fresh)).toMatchObject({ post: false });
  });

  it('respects each kind the channel leaves out', () => {
    const only: ChannelWants = { events: ['digest'], priorities: ['P1'] };
    expect(routeEvent(ticket('ticket.created'), only, fresh)).toEqual({ post: false, why: { kind: 'event-not-wanted', event: 'new-ticket' } });
    expect(routeEvent(ticket('ticket.updated'), only, told)).toEqual({ post: false, why: { kind: 'event-not-wanted', event: 'update' } });
    expect(routeEvent(ticket('ticket.stale'), only, told)).toEqual({ post: false, why: { kind: 'event-not-wanted', event: 'stale' } });
  });

  it('posts a stale ticket in its thread, or on its own when it is of a wanted priority', () => {
    expect(routeEvent(ticket('ticket.stale', { priority: 'P4' }), wants, told)).toMatchObject({ post: true, inThread: told.threadTs });
    expect(routeEvent(ticket('ticket.stale', { priority: 'P4' }), wants, fresh)).toMatchObject({ post: false });
    expect(routeEvent(ticket('ticket.stale', { priority: 'P2' }), wants, fresh)).toMatchObject({ post: true, startsThread: true });
  });

  it('does not post a report that joined an incident on its own, where the channel is told of the incident', () => {
    const joined = ticket('ticket.created', { incidentId: 'INC-3' });
    expect(routeEvent(joined, wants, fresh)).toEqual({ post: false, why: { kind: 'told-as-incident', incidentId: 'INC-3' } });
    expect(routeEvent(joined, { ...wants, events: ['new-ticket'] }, fresh)).toMatchObject({ post: true });
  });

  it('opens an incident thread, and threads its updates', () => {
    const opened: PublishedEvent = { id: 'i1', type: 'incident.opened', incidentId: 'INC-3', title: 'Wi-Fi down (floor 3)', tickets: ['TKT-1', 'TKT-2', 'TKT-3'], reporters: 3, ticketId: 'TKT-3', why: 'formed', at: '2026-12-07T08:00:00.000Z' };
    expect(threadSubject(opened)).toBe('INC-3');
    expect(routeEvent(opened, wants, fresh)).toEqual({ post: true, inThread: null, startsThread: true });
    expect(routeEvent({ ...opened, type: 'incident.updated' }, wants, told)).toMatchObject({ post: true, inThread: told.threadTs });
  });

  it('posts the digest on its own, never in a thread', () => {
    const digest: PublishedEvent = { id: 'd1', type: 'digest.sent', subject: '3 stale tickets', stale: 3, unreachable: 0, undelivered: 0, openIncidents: 1, top: [], why: 'mailed', at: '2026-12-07T08:00:00.000Z' };
    expect(threadSubject(digest)).toBeNull();
    expect(routeEvent(digest, wants, fresh)).toEqual({ post: true, inThread: null, startsThread: false });
  });
});
