/**
 * The local topic's subscriber delivery, as SNS delivers to a Lambda: after the message is stored
 * and the publisher has its answer, one at a time, in order. A delivery the subscriber fails is
 * tried again later, as Lambda retries an asynchronous invoke: twice, a minute and then two
 * minutes on; after that it is logged as given up. What was handed over is remembered in
 * `<dir>/delivered` (the last sequence number) and what waits for a retry in `<dir>/retrying`, so
 * a stack that stops (or crashes) hands both over again when it starts; the subscriber drops an
 * event it already handled.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PublishedMessage } from './sns-endpoint.js';

/** Rejects when the delivery should be tried again later. */
export type SnsSubscriber = (message: PublishedMessage) => Promise<void>;

export interface SnsDelivery {
  /** Queues a stored message for the subscriber. */
  enqueue(message: PublishedMessage): void;
  /** Resolves once everything queued has been handed over; retries still waiting are kept for the next start. */
  drain(): Promise<void>;
}

export interface SnsDeliveryOptions {
  /** The waits before each retry (Lambda's asynchronous invoke: about 1 and 2 minutes). */
  retryDelaysMs?: readonly number[];
  log: (line: string) => void;
}

interface DeliveryState {
  /** The last sequence number handed over in order. */
  delivered: number;
  /** Sequence number → the retries it has had. */
  retrying: Record<string, number>;
}

const LAMBDA_RETRY_DELAYS_MS = [60_000, 120_000];

export async function startSnsDelivery(dir: string, subscriber: SnsSubscriber, published: PublishedMessage[], options: SnsDeliveryOptions): Promise<SnsDelivery> {
  const delays = options.retryDelaysMs ?? LAMBDA_RETRY_DELAYS_MS;
  const state = await readState(dir);
  const timers = new Set<NodeJS.Timeout>();
  let queue: Promise<void> = Promise.resolve();
  let stopped = false;

  const hand = (message: PublishedMessage, retry: number) => {
    queue = queue.then(async () => {
      if (retry === 0 && message.seq <= state.delivered) return;
      let failure: Error | null = null;
      try {
        await subscriber(message);
      } catch (err) {
        failure = err as Error;
      }
      if (retry === 0) state.delivered = message.seq;
      const key = String(message.seq);
      if (!failure) delete state.retrying[key];
      else if (retry < delays.length) {
        state.retrying[key] = retry + 1;
        options.log(`sns: message ${message.seq} (${message.messageId}) to be delivered again in ${delays[retry]! / 1000} s: ${failure.message}`);
        if (!stopped) later(message, retry + 1, delays[retry]!);
      } else {
        delete state.retrying[key];
        options.log(`sns: gave up on message ${message.seq} (${message.messageId}) after ${retry + 1} deliveries: ${failure.message}`);
      }
      await saveState(dir, state);
    });
  };
  const later = (message: PublishedMessage, retry: number, ms: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      hand(message, retry);
    }, ms);
    // A waiting retry never keeps the process alive: it is in `retrying` for the next start.
    timer.unref();
    timers.add(timer);
  };

  // What a stopped stack left: its retries first (at once: their wait has passed or is lost), then the rest in order.
  const bySeq = new Map(published.map((m) => [m.seq, m]));
  for (const [seq, retry] of Object.entries(state.retrying)) {
    const message = bySeq.get(Number(seq));
    if (message) hand(message, retry);
    else delete state.retrying[seq];
  }
  for (const message of published) if (message.seq > state.delivered) hand(message, 0);
  return {
    enqueue: (message) => hand(message, 0),
    drain: async () => {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await queue;
    },
  };
}

async function readState(dir: string): Promise<DeliveryState> {
  const delivered = Number((await readFile(join(dir, 'delivered'), 'utf8').catch(() => '0')).trim());
  let retrying: Record<string, number> = {};
  try {
    const parsed = JSON.parse(await readFile(join(dir, 'retrying'), 'utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) retrying = parsed as Record<string, number>;
  } catch {
    retrying = {};
  }
  return { delivered: Number.isInteger(delivered) && delivered >= 0 ? delivered : 0, retrying };
}

async function saveState(dir: string, state: DeliveryState): Promise<void> {
  await replaceFile(join(dir, 'retrying'), `${JSON.stringify(state.retrying)}\n`);
  await replaceFile(join(dir, 'delivered'), `${state.delivered}\n`);
}

async function replaceFile(file: string, text: string): Promise<void> {
  await writeFile(`${file}.tmp`, text);
  await rename(`${file}.tmp`, file);
}
