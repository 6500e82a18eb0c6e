/**
 * The local topic's delivery to its subscriber (the chat adapter), on a real data directory: in
 * order, after a crash what was not handed over, and failed deliveries again later as Lambda
 * retries an asynchronous invoke (short waits here), kept across a restart.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSnsDelivery, type SnsSubscriber } from '../../src/local/sns-delivery.js';
import type { PublishedMessage } from '../../src/local/sns-endpoint.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sns-delivery-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const message = (seq: number): PublishedMessage => ({ seq, messageId: `m-${seq}`, topicArn: 'arn:aws:sns:eu-west-1:000000000000:tickets', subject: null, message: `{"n":${seq}}`, attributes: {}, publishedAt: '2026-12-07T08:00:00.000Z' });

function recorder(fail: (seq: number, attempt: number) => boolean = () => false) {
  const seen: number[] = [];
  const attempts = new Map<number, number>();
  const subscriber: SnsSubscriber = async (m) => {
    const attempt = (attempts.get(m.seq) ?? 0) + 1;
    attempts.set(m.seq, attempt);
    seen.push(m.seq);
    if (fail(m.seq, attempt)) throw new Error(`Slack asked us to try ${m.seq} again later`);
  };
  return { seen, subscriber };
}

const until = async (done: () => boolean) => {
  for (let i = 0; i < 2000 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(done()).toBe(true);
};

describe("handing the local topic's messages to the chat adapter", () => {
  it('hands each message over once, in order, and after a restart only what came after', async () => {
    const log: string[] = [];
    const first = recorder();
    const delivery = await startSnsDelivery(dir, first.subscriber, [], { log: (l) => log.push(l) });
    for (const seq of [1, 2, 3]) delivery.enqueue(message(seq));
    await delivery.drain();
    expect(first.seen).toEqual([1, 2, 3]);
    expect((await readFile(join(dir, 'delivered'), 'utf8')).trim()).toBe('3');

    // Published before a crash but never handed over: 4 and 5 go at start, 1 to 3 do not.
    const second = recorder();
    const again = await startSnsDelivery(dir, second.subscriber, [1, 2, 3, 4, 5].map(message), { log: (l) => log.push(l) });
    await again.drain();
    expect(second.seen).toEqual([4, 5]);
    expect(log).toEqual([]);
  });

  it('delivers a failed message again later, without holding up the next ones', async () => {
    const log: string[] = [];
    const r = recorder((seq, attempt) => seq === 1 && attempt === 1);
    const delivery = await startSnsDelivery(dir, r.subscriber, [], { log: (l) => log.push(l), retryDelaysMs: [20, 40] });
    delivery.enqueue(message(1));
    delivery.enqueue(message(2));
    await until(() => r.seen.length === 3);
    expect(r.seen).toEqual([1, 2, 1]);
    await delivery.drain();
    expect(JSON.parse(await readFile(join(dir, 'retrying'), 'utf8'))).toEqual({});
    expect(log).toEqual(['sns: message 1 (m-1) to be delivered again in 0.02 s: Slack asked us to try 1 again later']);
  });

  it('gives up after the retries Lambda would make, and says so', async () => {
    const log: string[] = [];
    const r = recorder(() => true);
    const delivery = await startSnsDelivery(dir, r.subscriber, [], { log: (l) => log.push(l), retryDelaysMs: [5, 10] });
    delivery.enqueue(message(1));
    await until(() => log.length === 3);
    await delivery.drain();
    expect(r.seen).toEqual([1, 1, 1]);
    expect(log.at(-1)).toBe('sns: gave up on message 1 (m-1) after 3 deliveries: Slack asked us to try 1 again later');
  });

  it('keeps a retry that was waiting when the stack stopped, and makes it at the next start', async () => {
    const r = recorder((_seq, attempt) => attempt === 1);
    const delivery = await startSnsDelivery(dir, r.subscriber, [], { log: () => undefined, retryDelaysMs: [3_600_000] });
    delivery.enqueue(message(1));
    await until(() => r.seen.length === 1);
    await delivery.drain();
    expect(JSON.parse(await readFile(join(dir, 'retrying'), 'utf8'))).toEqual({ 1: 1 });

    const next = recorder();
    const restarted = await startSnsDelivery(dir, next.subscriber, [message(1)], { log: () => undefined });
    await restarted.drain();
    expect(next.seen).toEqual([1]);
    expect(JSON.parse(await readFile(join(dir, 'retrying'), 'utf8'))).toEqual({});
  });
});
