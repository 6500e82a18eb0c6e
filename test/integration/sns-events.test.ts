/**
 * SnsTicketEvents through the real SNSClient against the local SNS endpoint: what subscribers
 * receive (message JSON, filterable attributes, an SNS-safe subject), and how failures come
 * back as EventPublishError with `retryable` set the way a retry loop needs.
 */
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { EventPublishError, SnsTicketEvents, snsSubject } from '../../src/aws/sns-events.js';
import { readPublished, startSnsEndpoint } from '../../src/local/sns-endpoint.js';
import type { TicketEventMessage } from '../../src/pipeline/ticket-events.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function ticketEvent(overrides: Partial<TicketEventMessage> = {}): TicketEventMessage {
  return {
    id: 'mail:7f3a/event',
    type: 'ticket.created',
    ticketId: 'TKT-42',
    subject: 'VPN down',
    status: 'open',
    priority: 'high',
    category: 'network',
    requester: 'dana@contoso.example',
    assignee: null,
    why: 'new mail from dana@contoso.example',
    at: '2026-11-23T08:15:00.000Z',
    ...overrides,
  };
}

describe('SnsTicketEvents on the local SNS endpoint', () => {
  let fx: StackFixture;
  let topicArn: string;
  beforeAll(async () => {
    fx = await withLocalStack();
    const created = await fx.clients.sns.send(new CreateTopicCommand({ Name: 'ticket-events' }));
    topicArn = created.TopicArn!;
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  it('CreateTopic gives a local ARN in the stack’s region, the same one each time', async () => {
    expect(topicArn).toBe('arn:aws:sns:eu-west-1:000000000000:ticket-events');
    const again = await fx.clients.sns.send(new CreateTopicCommand({ Name: 'ticket-events' }));
    expect(again.TopicArn).toBe(topicArn);
  });

  it('publishes ticket.created and ticket.updated with JSON, subject and filterable attributes', async () => {
    const events = new SnsTicketEvents(fx.clients.sns, topicArn);
    const created = ticketEvent();
    const updated = ticketEvent({
      type: 'ticket.updated',
      priority: 'urgent',
      assignee: 'lee@northwind.example',
      why: 'priority high → urgent by lee@northwind.example',
      at: '2026-11-23T09:02:00.000Z',
    });

    await events.publish(created);
    await events.publish(updated);

    const published = await readPublished(join(fx.dataDir, 'sns'));
    expect(published).toHaveLength(2);
    const [first, second] = published;
    expect(first).toMatchObject({
      seq: 1,
      topicArn,
      subject: '[TKT-42] ticket.created: VPN down',
      attributes: {
        type: { Type: 'String', Value: 'ticket.created' },
        priority: { Type: 'String', Value: 'high' },
        category: { Type: 'String', Value: 'network' },
      },
    });
    expect(first!.messageId).toMatch(UUID);
    expect(JSON.parse(first!.message)).toEqual(created);
    expect(second).toMatchObject({
      seq: 2,
      subject: '[TKT-42] ticket.updated: VPN down',
      attributes: { type: { Type: 'String', Value: 'ticket.updated' }, priority: { Type: 'String', Value: 'urgent' } },
    });
    expect(JSON.parse(second!.message)).toEqual(updated);
    expect(second!.messageId).not.toBe(first!.messageId);
  });

  it('leaves out attributes that are not set (SNS refuses empty ones)', async () => {
    await new SnsTicketEvents(fx.clients.sns, topicArn).publish(ticketEvent({ ticketId: 'TKT-43', priority: null, category: null }));
    const last = (await readPublished(join(fx.dataDir, 'sns'))).at(-1)!;
    expect(last.attributes).toEqual({ type: { Type: 'String', Value: 'ticket.created' } });
  });

  it('sends a subject SNS accepts for any ticket subject', async () => {
    const subject = 'Drucker im 2. Stock – “kaputt”\r\nBcc: x@evil.example 🙂 ' + 'sehr lang '.repeat(20);
    await new SnsTicketEvents(fx.clients.sns, topicArn).publish(ticketEvent({ ticketId: 'TKT-44', subject }));
    const last = (await readPublished(join(fx.dataDir, 'sns'))).at(-1)!;
    expect(last.subject).toMatch(/^\[TKT-44\] ticket\.created: Drucker im 2\. Stock - "kaputt" Bcc: x@evil\.example \? sehr lang/);
    expect(last.subject).toMatch(/^[\x20-\x7e]{1,99}$/);
    expect(last.subject!.endsWith('...')).toBe(true);
    // The message keeps the subject as written.
    expect((JSON.parse(last.message) as TicketEventMessage).subject).toBe(subject);
  });

  it('raises EventPublishError naming the topic when the ARN is not a topic ARN', async () => {
    const error = await new SnsTicketEvents(fx.clients.sns, 'tickets').publish(ticketEvent()).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(EventPublishError);
    const e = error as EventPublishError;
    expect(e.message).toBe(
      'SNS rejected the ticket.created event for TKT-42 to topic tickets: InvalidParameterException: Invalid parameter: TopicArn',
    );
    expect(e.code).toBe('InvalidParameterException');
    expect(e.retryable).toBe(false);
    expect((e.cause as Error).name).toBe('InvalidParameterException');
  });

  it('refuses a topic in another region, as a regional SNS endpoint does', async () => {
    const error = (await new SnsTicketEvents(fx.clients.sns, 'arn:aws:sns:us-east-1:123456789012:tickets')
      .publish(ticketEvent())
      .catch((err: unknown) => err)) as EventPublishError;
    expect(error).toBeInstanceOf(EventPublishError);
    expect(error.message).toContain('InvalidParameterException: Invalid parameter: TopicArn (the topic is in us-east-1; this endpoint serves eu-west-1)');
    expect(error.retryable).toBe(false);
  });

  it('is a retryable EventPublishError when SNS throttles', async () => {
    const sns = new SNSClient({ ...fx.stack.clientConfig, endpoint: fx.endpoints.sns, maxAttempts: 1 });
    // Stands in for SNS answering 400 Throttling; added after the SDK's retry step, as a response would be.
    sns.middlewareStack.add(
      () => () =>
        Promise.reject(
          Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $fault: 'client', $metadata: { httpStatusCode: 400 } }),
        ),
      { step: 'finalizeRequest', priority: 'low', name: 'injectThrottling' },
    );
    try {
      const before = (await readPublished(join(fx.dataDir, 'sns'))).length;
      const error = (await new SnsTicketEvents(sns, topicArn).publish(ticketEvent()).catch((err: unknown) => err)) as EventPublishError;
      expect(error).toBeInstanceOf(EventPublishError);
      expect(error.code).toBe('Throttling');
      expect(error.retryable).toBe(true);
      expect(error.message).toBe(`SNS rejected the ticket.created event for TKT-42 to topic ${topicArn}: Throttling: Rate exceeded`);
      expect(await readPublished(join(fx.dataDir, 'sns'))).toHaveLength(before);
    } finally {
      sns.destroy();
    }
  });

  it('is a retryable EventPublishError when SNS cannot be reached', async () => {
    const sns = new SNSClient({ ...fx.stack.clientConfig, endpoint: 'http://127.0.0.1:1', maxAttempts: 1 });
    try {
      const error = (await new SnsTicketEvents(sns, topicArn).publish(ticketEvent()).catch((err: unknown) => err)) as EventPublishError;
      expect(error).toBeInstanceOf(EventPublishError);
      expect(error.message).toMatch(/^could not reach SNS to publish the ticket\.created event for TKT-42 to topic /);
      expect(error.retryable).toBe(true);
    } finally {
      sns.destroy();
    }
  });
});

describe('the local SNS endpoint', () => {
  let fx: StackFixture;
  beforeAll(async () => {
    fx = await withLocalStack();
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  it('answers SNS errors the SDK understands', async () => {
    const topicArn = 'arn:aws:sns:eu-west-1:000000000000:tickets';
    type SnsError = Error & { $fault?: string };
    const attempt = (input: ConstructorParameters<typeof PublishCommand>[0]): Promise<SnsError> =>
      fx.clients.sns.send(new PublishCommand(input)).then(
        () => expect.unreachable('SNS accepted it'),
        (err: unknown) => err as SnsError,
      );

    const empty = await attempt({ TopicArn: topicArn, Message: '' });
    expect([empty.name, empty.message, empty.$fault]).toEqual(['InvalidParameterException', 'Invalid parameter: Empty message', 'client']);
    const subject = await attempt({ TopicArn: topicArn, Message: 'x', Subject: 'two\nlines' });
    expect(subject.message).toBe('Invalid parameter: Subject');
    const attribute = await attempt({ TopicArn: topicArn, Message: 'x', MessageAttributes: { type: { DataType: 'String', StringValue: '' } } });
    expect(attribute.name).toBe('InvalidParameterValueException');
    const badName = await fx.clients.sns.send(new CreateTopicCommand({ Name: 'no spaces' })).then(
      () => expect.unreachable('SNS created it'),
      (err: unknown) => err as Error,
    );
    expect(badName.message).toMatch(/^Invalid parameter: Topic Name/);
    expect(await readPublished(join(fx.dataDir, 'sns'))).toEqual([]);
  });

  it('answers an unknown action with InvalidAction', async () => {
    const res = await fetch(fx.endpoints.sns, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=Subscribe&Version=2010-03-31',
    });
    expect(res.status).toBe(400);
    const xml = await res.text();
    expect(xml).toContain('<Code>InvalidAction</Code>');
    expect(xml).toContain('The action Subscribe is not valid for this web service.');
  });

  it('keeps what was published across a restart (and a torn line) and numbers on', async () => {
    const dir = join(fx.dataDir, 'sns-restart');
    const topicArn = 'arn:aws:sns:eu-west-1:000000000000:tickets';
    let endpoint = await startSnsEndpoint({ dir });
    let sns = new SNSClient({ ...fx.stack.clientConfig, endpoint: endpoint.url });
    try {
      await new SnsTicketEvents(sns, topicArn).publish(ticketEvent());
    } finally {
      sns.destroy();
      await endpoint.close();
    }
    // A crash mid-append leaves a torn line; it is skipped, and the next line starts clean.
    await appendFile(join(dir, 'index.jsonl'), '{"seq":2,"messageId":"torn');
    endpoint = await startSnsEndpoint({ dir });
    sns = new SNSClient({ ...fx.stack.clientConfig, endpoint: endpoint.url });
    try {
      await new SnsTicketEvents(sns, topicArn).publish(ticketEvent({ type: 'ticket.updated' }));
      const json = (await (await fetch(`${endpoint.url}/messages`)).json()) as Array<{ seq: number }>;
      expect(json.map((m) => m.seq)).toEqual([1, 2]);
    } finally {
      sns.destroy();
      await endpoint.close();
    }
    expect((await readPublished(dir)).map((m) => [m.seq, m.attributes.type?.Value])).toEqual([
      [1, 'ticket.created'],
      [2, 'ticket.updated'],
    ]);
  });
});

describe('snsSubject', () => {
  it('is the ticket id, the event type and the ticket subject', () => {
    expect(snsSubject({ ticketId: 'TKT-42', type: 'ticket.updated', subject: 'VPN down' })).toBe('[TKT-42] ticket.updated: VPN down');
    expect(snsSubject({ ticketId: 'TKT-42', type: 'ticket.created', subject: '  ' })).toBe('[TKT-42] ticket.created');
    expect(snsSubject({ ticketId: 'TKT-7', type: 'ticket.created', subject: 'Café crème ½' })).toBe('[TKT-7] ticket.created: Cafe creme 1?2');
  });
});
