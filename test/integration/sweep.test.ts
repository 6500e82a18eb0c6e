/**
 * The sweep finishes what deliveries left: a send SES throttled is tried again later, once; a
 * claim whose runner stopped is resolved after its lease — sent when the mail's record is on its
 * ticket, otherwise unconfirmed, listed for a person and never sent again.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { messageToItem } from '../../src/aws/dynamo-items.js';
import { messageKey } from '../../src/domain/ticket.js';
import { deliverAsSes } from '../../src/local/ingest.js';
import { readOutbox } from '../../src/local/ses-endpoint.js';
import type { EffectPlan, PlannedEffect } from '../../src/pipeline/effects.js';
import { deliveryPlanKey } from '../../src/pipeline/inbound.js';
import { CLAIM_LEASE_MS, sweepPlans } from '../../src/pipeline/sweep.js';
import { fixtureMail, northwindConfig, pipelineOn } from '../support/pipeline.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

const MINUTE = 60_000;

describe('the sweep (dynalite)', () => {
  let fx: StackFixture;
  beforeAll(async () => {
    fx = await withLocalStack({ config: northwindConfig });
  });
  afterAll(async () => {
    await fx?.cleanup();
  });
  const sentTo = async (address: string) => (await readOutbox(join(fx.dataDir, 'outbox'))).filter((m) => m.destinations.includes(address)).length;

  it('sends later, once, a mail SES throttled while the delivery ran', async () => {
    const { deps, clock, config } = await pipelineOn(fx);
    const name = 'throttleEverySend';
    fx.clients.ses.middlewareStack.add(
      () => async () => {
        throw Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling', $fault: 'client', $metadata: { httpStatusCode: 400 } });
      },
      { step: 'initialize', name },
    );
    const requester = 'j.doe@contoso.example';
    const before = await sentTo(requester);
    let reason = '';
    try {
      reason = (await deliverAsSes(fixtureMail('06-gmail-new-auditor-access-pdf.eml'), {}, deps))[0]!.reason;
    } finally {
      fx.clients.ses.middlewareStack.remove(name);
    }
    // Its answer is the missing-information ask (the auditor's request lacks the account).
    expect(reason).toMatch(/no missing-info sent yet: .*Throttling.*; it will be tried again/);
    expect(await sentTo(requester)).toBe(before);

    clock.advance(3 * MINUTE);
    const swept = await sweepPlans(deps, config);
    expect(swept).toMatchObject({ plans: 1, problems: [] });
    expect(swept.completed).toBeGreaterThanOrEqual(1);
    expect(await sentTo(requester)).toBe(before + 1);
    // Nothing left to do: a second sweep finds nothing.
    expect(await sweepPlans(deps, config)).toMatchObject({ plans: 0, completed: 0 });
  });

  it('settles a sent mail only once its record is on the ticket: a record that failed leaves the mail to the sweep, which finishes it', async () => {
    const { deps, store, clock, config } = await pipelineOn(fx);
    const name = 'failFirstOutboundRecord';
    let failed = 0;
    fx.clients.dynamo.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { UpdateExpression?: string };
        if (!failed && input.UpdateExpression?.includes('ADD messageKeys')) {
          failed++;
          throw Object.assign(new Error('the connection was reset'), { name: 'NetworkingError' });
        }
        return next(args);
      },
      { step: 'initialize', name },
    );
    const mailBefore = (await readOutbox(join(fx.dataDir, 'outbox'))).length;
    try {
      await expect(deliverAsSes(fixtureMail('01-outlook-new-vpn-down.eml'), {}, deps)).rejects.toThrow('the connection was reset');
    } finally {
      fx.clients.dynamo.middlewareStack.remove(name);
    }
    expect(failed).toBe(1);
    const sent = (await readOutbox(join(fx.dataDir, 'outbox'))).length - mailBefore;
    const ticket = (await store.getTicketById(1))!;
    const planKey = deliveryPlanKey(ticket.key);
    // The mails went out; the one whose record failed is not settled as sent, so nothing calls the plan done.
    expect((await store.getPlan(planKey))!.effects.map((e) => e.state)).toContain('sending');

    clock.advance(CLAIM_LEASE_MS + MINUTE);
    expect(await sweepPlans(deps, config)).toMatchObject({ problems: [] });
    const after = (await store.getTicketById(1))!;
    const outbound = (await store.getPlan(planKey))!.effects.flatMap((e) => (e.spec.type === 'mail' ? [messageKey(e.spec.mail.messageId)] : []));
    expect(outbound).toHaveLength(sent);
    expect(after.messageKeys).toEqual(expect.arrayContaining(outbound));
    expect((await store.getPlan(planKey))!.effects.every((e) => e.state === 'sent')).toBe(true);
    expect((await readOutbox(join(fx.dataDir, 'outbox'))).length - mailBefore).toBe(sent); // nothing sent again
  });

  it('resolves a claim whose runner stopped: sent when its record is on the ticket, else unconfirmed and listed', async () => {
    const { deps, store, clock, config } = await pipelineOn(fx);
    const [first] = await deliverAsSes(fixtureMail('01-outlook-new-vpn-down.eml'), {}, deps);
    const ticket = (await store.getTicketById(1))!;
    const plan = (await store.getPlan(deliveryPlanKey(messageKey(first!.messageId!))))!;
    const ack = plan.effects.find((e) => e.id === 'ack')!;
    const abandoned = (id: string, messageId: string): PlannedEffect => ({
      ...ack,
      id,
      state: 'sending',
      claimedAt: `${clock.now().toISOString()}/dead00`,
      spec: ack.spec.type === 'mail' ? { type: 'mail', mail: { ...ack.spec.mail, messageId } } : ack.spec,
    });
    const stopped: EffectPlan = {
      key: 'mail:stopped-runner',
      createdAt: clock.now().toISOString(),
      receiptIds: [],
      // One whose send was recorded on the ticket (it went out), one with no record (nobody knows),
      // one whose record's message landed and whose ticket update did not (the runner died between).
      effects: [
        abandoned('recorded', ack.spec.type === 'mail' ? ack.spec.mail.messageId : ''),
        abandoned('lost', `lost.${ticket.key}@northwind.example`),
        abandoned('half', `half.${ticket.key}@northwind.example`),
      ],
    };
    await store.putPlan({ ...stopped, effects: stopped.effects.map((e) => ({ ...e, state: 'pending' as const })) }).then(() => store.claimEffects(stopped.key, ['recorded', 'lost', 'half'], stopped.effects[0]!.claimedAt!));
    const ackRecord = (await store.listMessages(ticket.key)).find((m) => m.role === 'ack')!;
    const half = { ...ackRecord, messageId: `half.${ticket.key}@northwind.example`, key: messageKey(`half.${ticket.key}@northwind.example`) };
    await fx.clients.doc.send(new PutCommand({ TableName: config.aws.tableName, Item: messageToItem(half) }));
    const mailBefore = (await readOutbox(join(fx.dataDir, 'outbox'))).length;

    // Within the lease the claim may belong to a runner still sending: left alone.
    clock.advance(5 * MINUTE);
    expect(await sweepPlans(deps, config)).toMatchObject({ completed: 0, problems: [] });

    clock.advance(CLAIM_LEASE_MS);
    const swept = await sweepPlans(deps, config);
    expect(swept.completed).toBe(2); // 'recorded' and 'half' went out
    expect(swept.problems).toEqual([expect.stringMatching(/^mail:stopped-runner lost: the run that was sending it stopped before it heard back/)]);
    expect((await readOutbox(join(fx.dataDir, 'outbox'))).length).toBe(mailBefore); // nothing sent again
    const undelivered = await store.undeliveredSince('2000-01-01T00:00:00Z');
    expect(undelivered).toEqual([expect.objectContaining({ planKey: 'mail:stopped-runner', effectId: 'lost', state: 'unconfirmed', ticketId: 'TKT-1' })]);
    expect((await store.getPlan(stopped.key))!.effects.map((e) => e.state)).toEqual(['sent', 'unconfirmed', 'sent']);
    // The half-written record is finished: the ticket lists the message as a whole record would.
    expect((await store.getTicketById(1))!.messageKeys).toEqual(expect.arrayContaining([half.key, messageKey(`lost.${ticket.key}@northwind.example`)]));
  });
});
