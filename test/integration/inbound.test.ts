/**
 * The real inbound handler through the real AWS SDK clients, on dynalite and on Amazon
 * DynamoDB Local (same assertions), with s3rver holding the raw mail as the SES S3 action would.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleInboundEvent } from '../../src/aws/inbound-handler.js';
import { deliverAsSes, sesEventFor } from '../../src/local/ingest.js';
import type { InboundResult } from '../../src/pipeline/inbound.js';
import { countRoundTrips } from '../support/round-trips.js';
import { withLocalStack, type DynamoBackend, type StackFixture } from '../support/stack-fixture.js';
import { fixtureMail, fixtureSidecar, fixturesDir, northwindConfig, pipelineOn } from '../support/pipeline.js';

interface Expected {
  file: string;
  outcome: InboundResult['outcome'];
  ticket: string | null;
  requester: string | null;
  why: string;
  kind?: string[];
  /** Kinds of the auto-replies the mail gets (in corpus order, so the hourly limits show). */
  replies: string[];
}

const expected: Expected[] = JSON.parse(readFileSync(new URL('mail/expected.json', fixturesDir), 'utf8'));
const firstCreated = expected.find((e) => e.outcome === 'created')!;

describe.each<DynamoBackend>(['dynalite', 'dynamodb-local'])('inbound pipeline on %s', (backend) => {
  let fx: StackFixture;
  beforeAll(async () => {
    fx = await withLocalStack({ dynamo: backend, config: northwindConfig });
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  it('turns the fixture corpus into the expected tickets, in order', async () => {
    const { deps, store, clock } = await pipelineOn(fx);
    const seen: Record<string, unknown>[] = [];
    for (const e of expected) {
      const [r] = await deliverAsSes(fixtureMail(e.file), fixtureSidecar(e.file), deps);
      seen.push({ file: e.file, outcome: r?.outcome, ticket: r?.ticket, reason: r?.reason, replies: r?.replies.map((x) => x.kind) });
      clock.advance(60_000);
    }
    expect(seen.map(({ file, outcome, ticket, replies }) => ({ file, outcome, ticket, replies }))).toEqual(
      expected.map(({ file, outcome, ticket, replies }) => ({ file, outcome, ticket, replies })),
    );
    // Machine mail and our own mail are never answered, whatever else the labels say.
    const neverAnswered = expected.filter((e) => e.kind?.includes('machine') || e.kind?.includes('own-mail'));
    expect(neverAnswered.length).toBeGreaterThanOrEqual(6);
    for (const e of neverAnswered) expect(seen.find((s) => s.file === e.file)?.replies, e.file).toEqual([]);
    for (const e of expected.filter((x) => x.outcome === 'created' && x.requester)) {
      const ticket = await store.getTicketById(Number(e.ticket!.split('-')[1]));
      expect({ file: e.file, requester: ticket?.requester }).toEqual({ file: e.file, requester: e.requester });
    }
    for (const r of seen) expect(typeof r.reason === 'string' && r.reason.length > 10, `${r.file} has a reason`).toBe(true);
    // Tolerated damage is said, not hidden; quarantine says why and where the raw mail is.
    const reasonOf = (prefix: string) => String(seen.find((r) => String(r.file).startsWith(prefix))?.reason);
    expect(reasonOf('bad/03')).toMatch(/parsed with warnings: .*(truncat|boundary)/i);
    expect(reasonOf('bad/05')).toMatch(/parsed with warnings: .*charset/i);
    expect(reasonOf('bad/04')).toMatch(/cannot be parsed: message has (more than )?\d+ header lines, over the limit of 2000.*raw mail kept at inbound\//);
    const quarantined = await store.listQuarantine();
    expect(quarantined.length).toBe(expected.filter((e) => e.outcome === 'quarantined').length);
  });

  it('stores and answers a new ticket in 6 DynamoDB round trips (4 before the sends), and drops a re-delivery in 1', async () => {
    const { deps } = await pipelineOn(fx);
    const counter = countRoundTrips(fx.clients.dynamo);
    // The ticket is durable before anything is sent: note the count when the send starts.
    let beforeSend: number | null = null;
    fx.clients.ses.middlewareStack.add(
      (next) => async (args) => {
        beforeSend ??= counter.get().roundTrips;
        return next(args);
      },
      { step: 'initialize', name: 'noteRoundTripsAtSend' },
    );
    const raw = fixtureMail(firstCreated.file);
    const [first] = await deliverAsSes(raw, {}, deps);
    fx.clients.ses.middlewareStack.remove('noteRoundTripsAtSend');
    const created = counter.get();
    counter.reset();
    const [again] = await deliverAsSes(raw, {}, deps);
    const redelivery = counter.get();
    expect(first?.outcome).toBe('created');
    expect(first?.replies.map((r) => r.kind)).toEqual(['ack', 'staff-notification']);
    expect(again?.outcome).toBe('redelivered');
    expect(again?.replies).toEqual([]);
    expect(again?.ticket).toBe(first?.ticket);
    // Lookup ‖ new-ticket limit → ticket, first message and thread key ‖ ticket number → effect
    // plan ‖ receipts ‖ number on the ticket ‖ alias ‖ the ack's ticket slot → claims ‖ its sender
    // slot, then the sends (ack, staff notice, ticket event together), then the sent mails' records,
    // then the settle (a mail settled as sent is on its ticket).
    expect(beforeSend).toBe(4);
    expect(created.roundTrips).toBe(6);
    expect(redelivery.roundTrips).toBe(1);
    console.info(
      `[${backend}] new ticket with its ${first?.replies.map((r) => r.kind).join(' and ')}: ${created.roundTrips} round trips, ${beforeSend} before the send (${created.operations.join(', ')}); re-delivery: ${redelivery.roundTrips} (${redelivery.operations.join(', ')})`,
    );
  });

  it('converges on one ticket when a write fails mid-way and the mail is delivered again', async () => {
    const { deps, store } = await pipelineOn(fx);
    let failNext = true;
    // Fault injection: the first PutItem (the ticket itself) fails as if the Lambda died there.
    fx.clients.dynamo.middlewareStack.add(
      (next, context) => async (args) => {
        if (failNext && context.commandName === 'PutItemCommand') {
          failNext = false;
          throw Object.assign(new Error('injected: connection reset'), { name: 'NetworkingError' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'injectOneFault' },
    );
    const raw = fixtureMail(firstCreated.file);
    await expect(deliverAsSes(raw, {}, deps)).rejects.toThrow(/injected/);
    fx.clients.dynamo.middlewareStack.remove('injectOneFault');
    const [replay] = await deliverAsSes(raw, {}, deps);
    const [third] = await deliverAsSes(raw, {}, deps);
    const tickets = await store.listTickets();
    expect(replay?.outcome).toBe('created');
    expect(third?.outcome).toBe('redelivered');
    expect(tickets).toHaveLength(1);
    expect(tickets[0]!.id).toBe('TKT-1');
    // One request on the thread, and the ack and staff notice the replay sent; the third sent nothing.
    const thread = await store.listMessages(tickets[0]!.key);
    expect(thread.map((m) => m.role)).toEqual(['request', 'ack', 'staff-notification']);
    expect([replay, third].flatMap((r) => r!.replies)).toHaveLength(2);
  });

  it('gives two simultaneous deliveries of one mail one ticket', async () => {
    const { deps, store } = await pipelineOn(fx);
    const raw = fixtureMail(firstCreated.file);
    const results = (await Promise.all([deliverAsSes(raw, {}, deps), deliverAsSes(raw, {}, deps)])).flat();
    const tickets = await store.listTickets();
    expect(tickets).toHaveLength(1);
    expect(new Set(results.map((r) => r.ticket))).toEqual(new Set([tickets[0]!.id]));
    expect(results.map((r) => r.outcome).sort()).toEqual(expect.arrayContaining(['created']));
    expect(results.flatMap((r) => r.replies.map((x) => x.kind)).sort()).toEqual(['ack', 'staff-notification']);
  });
});

describe('inbound handler events (dynalite)', () => {
  let fx: StackFixture;
  beforeAll(async () => {
    fx = await withLocalStack({ config: northwindConfig });
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  it('fails an SES event whose raw object is missing with an error naming the key', async () => {
    const { deps } = await pipelineOn(fx);
    await expect(handleInboundEvent(sesEventFor('doesnotexist0000000', new Date(), ['support@northwind.example'], {}), deps)).rejects.toThrow(
      /raw mail inbound\/doesnotexist0000000 cannot be read: .*does not exist/,
    );
  });

  it('leaves mail for other mailboxes on the domain alone, and takes plus-addressed ticket replies', async () => {
    const { deps, store } = await pipelineOn(fx);
    const blobs = deps.blobsFor('ticketing-mail');
    await blobs.put('inbound/for-payroll', fixtureMail(firstCreated.file));
    await blobs.put('inbound/for-plus', fixtureMail(firstCreated.file));
    const [other] = (await handleInboundEvent(sesEventFor('for-payroll', new Date(), ['payroll@northwind.example'], {}), deps)).results;
    expect(other).toMatchObject({ outcome: 'ignored', ticket: null, replies: [] });
    expect(other!.reason).toMatch(/^addressed to payroll@northwind\.example, none of them a support address .*: not a support mail, left alone; raw mail kept at inbound\/for-payroll$/);
    expect(await store.listTickets()).toEqual([]);
    const [plus] = (await handleInboundEvent(sesEventFor('for-plus', new Date(), ['Support+TKT-9@northwind.example'], {}), deps)).results;
    expect(plus!.outcome).toBe('created');
  });

  it('answers an SQS batch with the failed records only, and skips the S3 test event visibly', async () => {
    const { deps } = await pipelineOn(fx);
    const blobs = deps.blobsFor('ticketing-mail');
    await blobs.put('inbound/sqs-good', fixtureMail(firstCreated.file));
    const s3Event = (key: string) => ({
      Records: [{ eventSource: 'aws:s3', eventName: 'ObjectCreated:Put', eventTime: '2026-11-23T08:00:00Z', s3: { bucket: { name: 'ticketing-mail' }, object: { key } } }],
    });
    const sqs = {
      Records: [
        { eventSource: 'aws:sqs', messageId: 'ok-1', body: JSON.stringify(s3Event('inbound/sqs-good')) },
        { eventSource: 'aws:sqs', messageId: 'missing-2', body: JSON.stringify(s3Event('inbound/sqs-missing')) },
        { eventSource: 'aws:sqs', messageId: 'garbage-3', body: '{"not":"s3"}' },
        { eventSource: 'aws:sqs', messageId: 'test-4', body: JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent' }) },
      ],
    };
    const handled = await handleInboundEvent(sqs, deps);
    expect(handled.results.map((r) => r.outcome)).toEqual(['created']);
    expect(handled.batchItemFailures).toEqual([{ itemIdentifier: 'missing-2' }, { itemIdentifier: 'garbage-3' }]);
    expect(handled.failures[0]!.error).toMatch(/RawMailMissingError: raw mail inbound\/sqs-missing/);
    expect(handled.failures[1]!.error).toMatch(/does not hold an S3 event/);
    expect(handled.skipped).toEqual([{ id: 'test-4', reason: expect.stringContaining('S3 test notification') }]);
  });
});
