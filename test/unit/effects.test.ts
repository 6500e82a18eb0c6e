import { describe, expect, it } from 'vitest';
import { isSettled, outcomeNote, planned, suppressedEffect, suppressedReplies, type EffectSpec, type PlannedMail } from '../../src/pipeline/effects.js';
import { isAutoReply, OUTBOUND_KINDS, readByRequester, type OutboundKind } from '../../src/pipeline/outbound-kinds.js';

const mail = (kind: PlannedMail['kind']): EffectSpec => ({ type: 'mail', mail: { kind } as PlannedMail });

describe('effect outcomes in words', () => {
  it('says what was held back, refused, retried or may not have gone out, in the words of each kind', () => {
    const ack = planned('ack', mail('ack'));
    expect(outcomeNote({ effect: ack, status: 'suppressed', why: 'auto-reply limit reached: 3 per sender per hour' })).toBe('no ack sent: auto-reply limit reached: 3 per sender per hour');
    const notice = planned('staff-notification', mail('staff-notification'));
    expect(outcomeNote({ effect: notice, status: 'failed', why: 'SES rejected it' })).toBe('staff not notified: SES rejected it');
    const relay = planned('relay', mail('relay'));
    expect(outcomeNote({ effect: relay, status: 'retrying', why: 'Throttling' })).toBe('relay not sent yet: Throttling; it will be tried again');
    expect(outcomeNote({ effect: relay, status: 'unconfirmed', why: 'the answer was lost' })).toMatch(/^relay may not have gone out: the answer was lost; it is not sent again/);
    expect(outcomeNote({ effect: relay, status: 'sent', providerId: 'x', threadKeys: [] })).toBeNull();
  });

  it('lists the auto-replies a run held back, as facts: suppressed auto-replies only', () => {
    const ack = suppressedEffect('ack', mail('ack'), 'auto-replies are switched off in the configuration');
    const notice = planned('duplicate-notice', mail('duplicate-notice'));
    const event = planned('ticket.created', { type: 'event', event: { type: 'ticket.created' } } as EffectSpec);
    const staff = planned('staff-notification', mail('staff-notification'));
    expect(
      suppressedReplies([
        { effect: ack, status: 'suppressed', why: 'auto-replies are switched off in the configuration' },
        { effect: notice, status: 'suppressed', why: 'auto-reply limit reached: 3 per ticket per hour' },
        { effect: notice, status: 'failed', why: 'SES rejected it' },
        { effect: ack, status: 'earlier' },
        { effect: event, status: 'suppressed', why: 'no topic for ticket events is configured' },
        { effect: staff, status: 'suppressed', why: 'held' },
      ]),
    ).toEqual([
      { kind: 'ack', why: 'auto-replies are switched off in the configuration' },
      { kind: 'duplicate-notice', why: 'auto-reply limit reached: 3 per ticket per hour' },
    ]);
  });

  it('counts a plan settled when every effect is final', () => {
    const key = { key: 'mail:k', createdAt: '2026-11-30T08:00:00.000Z', receiptIds: [] };
    expect(isSettled({ ...key, effects: [suppressedEffect('ack', mail('ack'), 'off')] })).toBe(true);
    expect(isSettled({ ...key, effects: [planned('ack', mail('ack'))] })).toBe(false);
  });
});

describe('the outbound kinds', () => {
  it('says per kind who reads it and which auto-replies may be held back (one table: src/pipeline/outbound-kinds.ts)', () => {
    const kinds = Object.keys(OUTBOUND_KINDS) as OutboundKind[];
    expect(kinds.filter(isAutoReply)).toEqual(['ack', 'missing-info', 'duplicate-notice', 'incident-ack']);
    expect(kinds.filter(readByRequester)).toEqual(['ack', 'missing-info', 'duplicate-notice', 'incident-ack', 'relay', 'nudge', 'auto-closed']);
    expect(kinds.filter((k) => !readByRequester(k))).toEqual([
      'staff-notification',
      'note-notification',
      'incident-notification',
      'incident-update',
      'command-result',
      'digest',
      'limit-notice',
      'staff-warning',
      'sign-in',
    ]);
  });
});
