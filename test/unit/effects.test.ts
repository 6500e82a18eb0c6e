import { describe, expect, it } from 'vitest';
import { isSettled, outcomeNote, planned, suppressedEffect, type EffectSpec, type PlannedMail } from '../../src/pipeline/effects.js';

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

  it('counts a plan settled when every effect is final', () => {
    const key = { key: 'mail:k', createdAt: '2026-11-30T08:00:00.000Z', receiptIds: [] };
    expect(isSettled({ ...key, effects: [suppressedEffect('ack', mail('ack'), 'off')] })).toBe(true);
    expect(isSettled({ ...key, effects: [planned('ack', mail('ack'))] })).toBe(false);
  });
});
