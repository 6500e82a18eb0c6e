import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { candidateCutoff, isStale, quietAction, slotOf, staleAfterHours, staleRulesSchema } from '../../src/domain/stale.js';
import type { Ticket } from '../../src/domain/ticket.js';

const rules = parseConfig({}).stale;
const now = new Date('2026-11-23T08:00:00Z');
const ago = (hours: number) => new Date(now.getTime() - hours * 3600_000).toISOString();
const ticket = (over: Partial<Ticket>): Pick<Ticket, 'status' | 'priority' | 'lastActivityAt' | 'nudgedAt'> => ({
  status: 'open',
  priority: 'P3',
  lastActivityAt: ago(1),
  nudgedAt: null,
  ...over,
});

describe('stale rules', () => {
  it('has per-priority thresholds, and its own clock for tickets waiting on the requester', () => {
    expect(['P1', 'P2', 'P3', 'P4', null].map((priority) => staleAfterHours({ status: 'open', priority }, rules))).toEqual([4, 24, 168, 168, 168]);
    expect(staleAfterHours({ status: 'waiting-on-requester', priority: 'P1' }, rules)).toBe(120);
    expect(isStale(ticket({ priority: 'P1', lastActivityAt: ago(4) }), now, rules)).toBe(true);
    expect(isStale(ticket({ priority: 'P1', lastActivityAt: ago(3.9) }), now, rules)).toBe(false);
    expect(isStale(ticket({ status: 'resolved', lastActivityAt: ago(1000) }), now, rules)).toBe(false);
  });

  it('queries each priority from the earliest moment anything can be due', () => {
    // P3 opens at 7 days, but a waiting P3 ticket is due a reminder after 3: read from 3 days.
    expect(candidateCutoff('P3', now, rules)).toBe(ago(72));
    expect(candidateCutoff('P1', now, rules)).toBe(ago(4));
  });

  it('reminds a quiet requester once per quiet spell, and closes only after the reminder', () => {
    const waiting = { status: 'awaiting-info' as const };
    expect(quietAction(ticket({ ...waiting, lastActivityAt: ago(71) }), now, rules)).toBeNull();
    expect(quietAction(ticket({ ...waiting, lastActivityAt: ago(72) }), now, rules)).toEqual({ kind: 'nudge', days: 3 });
    expect(quietAction(ticket({ ...waiting, lastActivityAt: ago(100), nudgedAt: ago(20) }), now, rules)).toBeNull();
    expect(quietAction(ticket({ ...waiting, lastActivityAt: ago(240), nudgedAt: ago(160) }), now, rules)).toEqual({ kind: 'close', days: 10 });
    // Never reminded (the address bounced, say): no closing without a warning.
    expect(quietAction(ticket({ ...waiting, lastActivityAt: ago(300) }), now, rules)).toEqual({ kind: 'nudge', days: 12 });
    // A reminder from an earlier spell does not count after new activity.
    expect(quietAction(ticket({ ...waiting, lastActivityAt: ago(80), nudgedAt: ago(200) }), now, rules)).toEqual({ kind: 'nudge', days: 3 });
    expect(quietAction(ticket({ status: 'open', lastActivityAt: ago(500) }), now, rules)).toBeNull();
  });

  it('puts every time of a schedule slot in the same slot', () => {
    expect(slotOf(new Date('2026-11-23T08:00:00Z'), rules)).toBe('2026-11-23T08:00');
    expect(slotOf(new Date('2026-11-23T08:59:59Z'), rules)).toBe('2026-11-23T08:00');
    expect(slotOf(new Date('2026-11-23T08:59:59Z'), { ...rules, slotMinutes: 24 * 60 })).toBe('2026-11-23T00:00');
  });

  it('rejects a closing that would come before the reminder', () => {
    const bad = staleRulesSchema.safeParse({ nudgeAfterDays: 5, autoCloseAfterDays: 4 });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toBe('autoCloseAfterDays (4) must be later than nudgeAfterDays (5)');
  });
});

describe('the scheduled event', () => {
  it('accepts the EventBridge sample and says what it expected otherwise', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const { scheduledEventSchema, handleScheduledEvent } = await import('../../src/aws/stale-handler.js');
    const dir = new URL('../../fixtures/events/', import.meta.url);
    const file = readdirSync(dir).find((f) => f.startsWith('eventbridge-scheduled'))!;
    expect(scheduledEventSchema.safeParse(JSON.parse(readFileSync(new URL(file, dir), 'utf8'))).success).toBe(true);
    const cfg = parseConfig({});
    const noPorts = {} as never; // never reached: the event is rejected first
    await expect(handleScheduledEvent({ Records: [] }, noPorts, cfg, {} as never)).rejects.toThrow(
      /the stale job expects an EventBridge scheduled event \(detail-type "Scheduled Event", source "aws.events"\); got keys Records/,
    );
  });
});
