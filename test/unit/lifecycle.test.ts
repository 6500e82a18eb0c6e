import { describe, expect, it } from 'vitest';
import { canTransition, requesterReplyEffect, transition, type Actor, type ActorKind } from '../../src/domain/lifecycle.js';
import type { TicketStatus } from '../../src/domain/ticket.js';

const STATUSES: TicketStatus[] = ['open', 'awaiting-info', 'waiting-on-requester', 'resolved', 'closed'];
const ACTORS: ActorKind[] = ['requester', 'staff', 'system'];

/** The design's table, written out by hand: `from → to` and who may make the move. */
const ALLOWED: Record<string, ActorKind[]> = {
  'open → awaiting-info': ['staff', 'system'],
  'open → waiting-on-requester': ['staff'],
  'open → resolved': ['requester', 'staff'],
  'open → closed': ['staff'],
  'awaiting-info → open': ['requester', 'staff', 'system'],
  'awaiting-info → waiting-on-requester': ['staff'],
  'awaiting-info → resolved': ['requester', 'staff'],
  'awaiting-info → closed': ['staff'],
  'waiting-on-requester → open': ['requester', 'staff'],
  'waiting-on-requester → awaiting-info': ['staff', 'system'],
  'waiting-on-requester → resolved': ['requester', 'staff'],
  'waiting-on-requester → closed': ['staff'],
  'resolved → open': ['requester', 'staff'],
  'resolved → closed': ['staff', 'system'],
};

const pairs = STATUSES.flatMap((from) => STATUSES.flatMap((to) => ACTORS.map((actor) => [from, to, actor] as const)));

describe('canTransition: every pair, every actor', () => {
  it.each(pairs)('%s → %s by %s', (from, to, actor) => {
    const expected = from === to || (ALLOWED[`${from} → ${to}`]?.includes(actor) ?? false);
    expect(canTransition(from, to, actor)).toBe(expected);
  });

  it('lets nothing leave closed', () => {
    for (const to of STATUSES.filter((s) => s !== 'closed')) for (const actor of ACTORS) expect(canTransition('closed', to, actor)).toBe(false);
  });

  it('lets a requester only bring a ticket back to IT, or say it is solved', () => {
    const moves = pairs.filter(([from, to, actor]) => actor === 'requester' && from !== to && canTransition(from, to, actor));
    expect(moves.map(([from, to]) => `${from} → ${to}`)).toEqual([
      'open → resolved',
      'awaiting-info → open',
      'awaiting-info → resolved',
      'waiting-on-requester → open',
      'waiting-on-requester → resolved',
      'resolved → open',
    ]);
  });
});

describe('transition', () => {
  const staff: Actor = { kind: 'staff', address: 'alex.kim@northwind.example' };
  const requester: Actor = { kind: 'requester', address: 'maria.garcia@northwind.example' };
  const system: Actor = { kind: 'system', address: null };
  const at = '2024-05-06T09:30:00.000Z';

  it.each(pairs)('%s → %s by %s agrees with canTransition', (from, to, kind) => {
    const result = transition(from, to, { kind, address: kind === 'system' ? null : 'x@northwind.example' }, 'why', at);
    expect(result.ok).toBe(canTransition(from, to, kind));
  });

  it('records an allowed move as a status event by the actor’s address', () => {
    expect(transition('open', 'resolved', staff, '#resolve from alex.kim@northwind.example', at)).toEqual({
      ok: true,
      event: { at, actor: 'alex.kim@northwind.example', kind: 'status', from: 'open', to: 'resolved', why: '#resolve from alex.kim@northwind.example' },
    });
    expect(transition('resolved', 'open', requester, 'the requester replied', at)).toMatchObject({ ok: true, event: { actor: 'maria.garcia@northwind.example' } });
  });

  it('names the system as "system"', () => {
    expect(transition('resolved', 'closed', system, 'resolved 14 days ago', at)).toMatchObject({ ok: true, event: { actor: 'system', from: 'resolved', to: 'closed' } });
    expect(transition('resolved', 'closed', { kind: 'system', address: 'robot@northwind.example' }, 'x', at)).toMatchObject({ event: { actor: 'system' } });
  });

  it('has no event when the status stays the same, even on a closed ticket', () => {
    for (const status of STATUSES) expect(transition(status, status, requester, 'x', at)).toEqual({ ok: true, event: null });
  });

  it('says a closed ticket is final', () => {
    expect(transition('closed', 'open', staff, 'x', at)).toEqual({
      ok: false,
      error: 'the ticket is closed; a closed ticket cannot be moved to open (a new message opens a new, linked ticket)',
    });
  });

  it('says where a resolved ticket can go instead', () => {
    expect(transition('resolved', 'waiting-on-requester', staff, 'x', at)).toEqual({
      ok: false,
      error: 'a resolved ticket cannot be moved to waiting-on-requester; from resolved it can only move to open or closed',
    });
  });

  it('says who may make a move the actor may not', () => {
    expect(transition('open', 'closed', requester, 'x', at)).toEqual({ ok: false, error: 'only staff can move a ticket from open to closed, not the requester' });
    expect(transition('open', 'resolved', system, 'x', at)).toEqual({ ok: false, error: 'only the requester or staff can move a ticket from open to resolved, not the system' });
    expect(transition('resolved', 'closed', requester, 'x', at)).toEqual({
      ok: false,
      error: 'only staff or the system can move a ticket from resolved to closed, not the requester',
    });
    expect(transition('waiting-on-requester', 'open', system, 'x', at)).toEqual({
      ok: false,
      error: 'only the requester or staff can move a ticket from waiting-on-requester to open, not the system',
    });
  });
});

describe('requesterReplyEffect', () => {
  const resolvedAt = '2024-05-01T12:00:00.000Z';
  const DAY = 24 * 60 * 60 * 1000;
  const after = (ms: number) => new Date(Date.parse(resolvedAt) + ms);
  const problem = 'It stopped working again this morning.';

  it('leaves open and awaiting-info tickets as they are', () => {
    expect(requesterReplyEffect({ id: 'TKT-7', status: 'open', resolvedAt: null }, problem, after(0), 14)).toEqual({ kind: 'none' });
    expect(requesterReplyEffect({ id: 'TKT-7', status: 'awaiting-info', resolvedAt: null }, 'Asset tag NW-1234', after(0), 14)).toEqual({ kind: 'none' });
  });

  it('brings a ticket waiting on the requester back to IT, thanks or not', () => {
    const effect = { kind: 'status', to: 'open', why: 'the requester replied: status waiting-on-requester → open' };
    expect(requesterReplyEffect({ id: 'TKT-7', status: 'waiting-on-requester', resolvedAt: null }, 'Here is the screenshot.', after(0), 14)).toEqual(effect);
    expect(requesterReplyEffect({ id: 'TKT-7', status: 'waiting-on-requester', resolvedAt: null }, 'Thanks, works now!', after(0), 14)).toEqual(effect);
  });

  it('reopens a resolved ticket within the window, its last millisecond included', () => {
    for (const ms of [0, DAY, 14 * DAY - 1, 14 * DAY]) {
      const effect = requesterReplyEffect({ id: 'TKT-7', status: 'resolved', resolvedAt }, problem, after(ms), 14);
      expect(effect).toMatchObject({ kind: 'status', to: 'open' });
    }
    expect(requesterReplyEffect({ id: 'TKT-7', status: 'resolved', resolvedAt }, problem, after(DAY), 14)).toEqual({
      kind: 'status',
      to: 'open',
      why: 'the requester replied within 14 days of the resolution ("stopped" is more than thanks): status resolved → open (reopened)',
    });
  });

  it('opens a new linked ticket once the window has passed', () => {
    expect(requesterReplyEffect({ id: 'TKT-7', status: 'resolved', resolvedAt }, problem, after(14 * DAY + 1), 14)).toEqual({
      kind: 'new-linked',
      why: 'the ticket was resolved at 2024-05-01T12:00:00.000Z, more than 14 days ago, and the reply is more than thanks ("stopped" is more than thanks): a new ticket linked to TKT-7',
    });
    expect(requesterReplyEffect({ id: 'TKT-7', status: 'resolved', resolvedAt }, problem, after(DAY + 1), 1)).toMatchObject({ kind: 'new-linked', why: expect.stringContaining('more than 1 day ago') });
  });

  it('with a window of 0 days reopens only at the very moment of resolution', () => {
    expect(requesterReplyEffect({ id: 'TKT-7', status: 'resolved', resolvedAt }, problem, after(0), 0).kind).toBe('status');
    expect(requesterReplyEffect({ id: 'TKT-7', status: 'resolved', resolvedAt }, problem, after(1), 0).kind).toBe('new-linked');
  });

  it('reopens when the resolution is dated after now (clock skew)', () => {
    expect(requesterReplyEffect({ id: 'TKT-7', status: 'resolved', resolvedAt }, problem, after(-DAY), 14).kind).toBe('status');
  });

  it('reopens a resolved ticket whose resolution time is unknown', () => {
    for (const unknown of [null, 'not a date']) {
      expect(requesterReplyEffect({ id: 'TKT-7', status: 'resolved', resolvedAt: unknown }, problem, after(400 * DAY), 14)).toMatchObject({
        kind: 'status',
        to: 'open',
        why: expect.stringContaining('whose resolution time is unknown'),
      });
    }
  });

  it('records thanks on a resolved ticket, however late', () => {
    for (const ms of [DAY, 400 * DAY]) {
      expect(requesterReplyEffect({ id: 'TKT-7', status: 'resolved', resolvedAt }, 'Thanks Alex, works now!\n\nMaria', after(ms), 14)).toEqual({
        kind: 'record-only',
        why: 'only thanks or an acknowledgement ("Thanks", "works"): recorded, status stays resolved',
      });
    }
  });

  it('reopens on thanks with a new problem', () => {
    expect(requesterReplyEffect({ id: 'TKT-7', status: 'resolved', resolvedAt }, 'Thanks, but it broke again', after(DAY), 14)).toMatchObject({ kind: 'status', to: 'open' });
  });

  it('records thanks on a closed ticket and opens a new linked ticket for anything else', () => {
    expect(requesterReplyEffect({ id: 'TKT-7', status: 'closed', resolvedAt }, 'Danke!', after(DAY), 14)).toEqual({
      kind: 'record-only',
      why: 'only thanks or an acknowledgement ("Danke"): recorded on the closed ticket',
    });
    expect(requesterReplyEffect({ id: 'TKT-7', status: 'closed', resolvedAt }, problem, after(DAY), 14)).toEqual({
      kind: 'new-linked',
      why: 'the ticket is closed and the reply is more than thanks ("stopped" is more than thanks): a new ticket linked to TKT-7',
    });
  });
});
