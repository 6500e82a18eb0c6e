import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { inboundCounts, staleCounts } from '../../src/aws/lambda-metrics.js';
import type { InboundResult } from '../../src/pipeline/inbound.js';

const result = (over: Partial<InboundResult>): InboundResult => ({
  messageId: 'm@x.example',
  outcome: 'created',
  ticket: 'TKT-1',
  reason: 'a new conversation',
  status: 'open',
  category: 'network',
  priority: 'P3',
  missing: [],
  replies: [],
  ...over,
});

describe('Lambda metrics', () => {
  it('counts outcomes, mail sent and auto-replies held back', () => {
    const counts = inboundCounts([
      result({ replies: [{ kind: 'ack', to: 'a@x.example', subject: 's' }, { kind: 'staff-notification', to: 'it@x.example', subject: 's' }] }),
      result({ reason: 'a new conversation; no ack sent: auto-reply limit reached: 3 per sender per hour' }),
      result({ outcome: 'merged', reason: 'merged; no duplicate-notice sent: mail to a@x.example bounces' }),
      result({ outcome: 'quarantined', ticket: null }),
    ]);
    expect(counts).toEqual({ TicketsCreated: 2, TicketsMerged: 1, Quarantined: 1, MailSent: 2, AutoRepliesSuppressed: 2 });
  });

  it('counts what the stale job did, and nothing for a repeated slot', () => {
    const base = { slot: '2026-11-23T08:00', alreadyRan: false, flagged: ['TKT-1'], cleared: [], digest: { to: 'it@x.example', subject: 's', tickets: ['TKT-1', 'TKT-2'] }, nudged: ['TKT-3'], closed: [], problems: [], swept: null };
    expect(staleCounts(base)).toEqual({ StaleTickets: 2, NewlyStale: 1, RequestersReminded: 1, TicketsAutoClosed: 0, StaleJobProblems: 0 });
    expect(staleCounts({ ...base, alreadyRan: true, flagged: [], digest: null, nudged: [], problems: ['already ran'] })).toEqual({
      StaleTickets: 0, NewlyStale: 0, RequestersReminded: 0, TicketsAutoClosed: 0, StaleJobProblems: 0,
    });
  });
});

describe('stale Lambda entry point', () => {
  it('loads its config and rejects an event that is not the schedule, saying what it expected', async () => {
    process.env.TICKETING_CONFIG = readFileSync(new URL('../../fixtures/northwind.config.json', import.meta.url), 'utf8');
    process.env.AWS_REGION = 'eu-west-1';
    const { handler } = await import('../../src/aws/lambda/stale.js');
    const ses = JSON.parse(readFileSync(new URL('../../fixtures/events/ses-receipt.json', import.meta.url), 'utf8'));
    await expect(handler(ses, { functionName: 'stale', awsRequestId: 'test' } as Context)).rejects.toThrow(/expects an EventBridge scheduled event/);
  });
});
