import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { inboundCounts, pollCounts, metricsStage, staleCounts, ticketingMetrics, UndeliveredMailTally } from '../../src/aws/lambda-metrics.js';
import { duplicateNoticeOff } from '../../src/pipeline/auto-reply.js';
import type { SuppressedReply } from '../../src/pipeline/effects.js';
import type { InboundResult } from '../../src/pipeline/inbound.js';
import type { EffectSettlement, PlanStore, UndeliveredMail } from '../../src/pipeline/ports.js';
import { northwindConfig } from '../support/pipeline.js';

/** A result, with the auto-replies it held back as the typed fact the metrics count. */
const result = (over: Partial<InboundResult>, suppressed: SuppressedReply[] = []): InboundResult => ({
  messageId: 'm@x.example',
  outcome: 'created',
  ticket: 'TKT-1',
  reason: 'a new conversation',
  status: 'open',
  category: 'network',
  priority: 'P3',
  missing: [],
  incident: null,
  replies: [],
  ...over,
  suppressed,
});

describe('Lambda metrics', () => {
  it('counts outcomes, mail sent and auto-replies held back', () => {
    const counts = inboundCounts([
      result({ replies: [{ kind: 'ack', to: 'a@x.example', subject: 's' }, { kind: 'staff-notification', to: 'it@x.example', subject: 's' }] }),
      result({ reason: 'a new conversation; no ack sent: auto-reply limit reached: 3 per sender per hour' }, [{ kind: 'ack', why: 'auto-reply limit reached: 3 per sender per hour' }]),
      result({ outcome: 'merged', reason: 'merged; no duplicate-notice sent: mail to a@x.example bounces' }, [{ kind: 'duplicate-notice', why: 'mail to a@x.example bounces' }]),
      result({ outcome: 'quarantined', ticket: null }),
    ]);
    expect(counts).toEqual({ TicketsCreated: 2, TicketsMerged: 1, Quarantined: 1, MailSent: 2, AutoRepliesSuppressed: 2 });
  });

  it('counts every held-back auto-reply from the typed fact, never from the reason\'s words', () => {
    // Issue 13, the one intended change of a metric: duplicate notices switched off
    // (autoReplies.duplicateNotice) hold the notice back before it is planned, and the reason says
    // "no notice sent (duplicate notices are off)", which the old reading of "no <kind> sent: "
    // missed, while auto-replies switched off (autoReplies.enabled) were counted. Both count now.
    const off = duplicateNoticeOff({ ...northwindConfig, autoReplies: { ...northwindConfig.autoReplies, duplicateNotice: false } });
    expect(off).toEqual({ kind: 'duplicate-notice', why: 'duplicate notices are off' });
    expect(duplicateNoticeOff(northwindConfig)).toBeNull();
    const counts = inboundCounts([
      result({ reason: 'a new conversation; no ack sent: auto-replies are switched off in the configuration' }, [{ kind: 'ack', why: 'auto-replies are switched off in the configuration' }]),
      result({ outcome: 'merged', reason: `merged as a duplicate; no notice sent (${off!.why})` }, [off!]),
      // Words alone count nothing: an ack SES refused is said as "no ack sent: …" and counted as MailFailed.
      result({ reason: 'a new conversation; no ack sent: SES rejected it' }),
    ]);
    expect(counts).toEqual({ TicketsCreated: 2, TicketsMerged: 1, MailSent: 0, AutoRepliesSuppressed: 2 });
  });

  it('counts what the stale job did, and nothing for a repeated slot', () => {
    const base = { slot: '2026-11-23T08:00', alreadyRan: false, flagged: ['TKT-1'], cleared: [], digest: { to: 'it@x.example', subject: 's', tickets: ['TKT-1', 'TKT-2'] }, nudged: ['TKT-3'], closed: [], problems: [], swept: null };
    expect(staleCounts(base)).toEqual({ StaleTickets: 2, NewlyStale: 1, RequestersReminded: 1, TicketsAutoClosed: 0, StaleJobProblems: 0 });
    expect(staleCounts({ ...base, alreadyRan: true, flagged: [], digest: null, nudged: [], problems: ['already ran'] })).toEqual({
      StaleTickets: 0, NewlyStale: 0, RequestersReminded: 0, TicketsAutoClosed: 0, StaleJobProblems: 0,
    });
  });
});

describe('metrics per stage', () => {
  it('puts the stage into every metric\'s dimensions (two stages in one account stay apart)', () => {
    const metrics = ticketingMetrics('ticketing-inbound', { TICKETING_STAGE: 'prod' });
    metrics.addMetric('Quarantined', 'Count', 1);
    const emf = metrics.serializeMetrics();
    expect(emf._aws.CloudWatchMetrics).toEqual([{ Namespace: 'Ticketing', Dimensions: [['service', 'stage']], Metrics: [{ Name: 'Quarantined', Unit: 'Count' }] }]);
    expect(emf).toMatchObject({ service: 'ticketing-inbound', stage: 'prod', Quarantined: 1 });
  });

  it('reads the stage from TICKETING_STAGE, "local" without a stack, and refuses a malformed one', () => {
    expect(metricsStage({ TICKETING_STAGE: 'dev' })).toBe('dev');
    expect(metricsStage({})).toBe('local');
    expect(() => metricsStage({ TICKETING_STAGE: 'Prod Stage' })).toThrow(/TICKETING_STAGE/);
  });
});

describe('mail that did not go out', () => {
  const undelivered = (state: UndeliveredMail['state']): UndeliveredMail => ({
    planKey: 'mail:inbound/abc',
    effectId: 'ack',
    state,
    kind: 'ack',
    ticketId: 'TKT-1',
    to: ['a@x.example'],
    subject: 'Re: [TKT-1] printer',
    detail: 'SES rejected the mail to x.example: MessageRejected: Email address is not verified.',
    at: '2026-05-04T08:00:00.000Z',
  });

  it('counts the failed and unconfirmed mail the effect runner settles, through the store it uses', async () => {
    // Prepare: a store whose settleEffects the runner calls with the mail that did not go out.
    const calls: unknown[][] = [];
    class FakeStore implements Pick<PlanStore, 'settleEffects'> {
      #settled = 0;
      async settleEffects(planKey: string, settlements: EffectSettlement[], settled: boolean, mails: UndeliveredMail[]) {
        this.#settled++;
        calls.push([planKey, settlements.length, settled, mails.length]);
      }
      count() {
        return this.#settled;
      }
    }
    const tally = new UndeliveredMailTally();
    const store = tally.observe(new FakeStore());
    // Act
    await store.settleEffects('mail:inbound/abc', [], true, [undelivered('failed'), undelivered('failed')]);
    await store.settleEffects('stale:2026-05-04T08:00', [], false, [undelivered('unconfirmed')]);
    await store.settleEffects('mail:inbound/def', [], true, []);
    // Assess: the store still works (private fields, its own methods), and the tally saw it all.
    expect(calls).toEqual([['mail:inbound/abc', 0, true, 2], ['stale:2026-05-04T08:00', 0, false, 1], ['mail:inbound/def', 0, true, 0]]);
    expect(store.count()).toBe(3);
    expect(tally.drain()).toEqual({ MailNotSent: 3, MailFailed: 2, MailUnconfirmed: 1 });
    expect(tally.drain()).toEqual({}); // nothing new: no data points (billed per hour with data)
    tally.record([undelivered('failed')]);
    expect(tally.drain()).toEqual({ MailNotSent: 1, MailFailed: 1 });
  });

  it('counts nothing when the settle itself fails (its replay settles and counts)', async () => {
    const tally = new UndeliveredMailTally();
    const failing: Pick<PlanStore, 'settleEffects'> = { settleEffects: async () => Promise.reject(new Error('ProvisionedThroughputExceededException')) };
    const store = tally.observe(failing);
    await expect(store.settleEffects('mail:inbound/abc', [], true, [undelivered('failed')])).rejects.toThrow(/Provisioned/);
    expect(tally.drain()).toEqual({});
  });

  it('counts an IMAP poll\'s outcomes and the messages it failed on', () => {
    expect(pollCounts([result({}), result({ outcome: 'quarantined', ticket: null }), { outcome: 'error' }], 'ImapMessagesFailed')).toEqual({
      TicketsCreated: 1,
      Quarantined: 1,
      ImapMessagesFailed: 1,
    });
    // An empty poll every minute publishes nothing (a custom metric is billed per hour with data).
    expect(pollCounts([], 'ImapMessagesFailed')).toEqual({});
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
