/**
 * The local topic's subscriber delivery, as SNS delivers to a Lambda: after the message is stored
 * and the publisher has its answer, one at a time, in order. What was handed over is remembered
 * in `<dir>/delivered` (the last sequence number), so messages published before a crash are
 * delivered when the stack starts again; the subscriber drops an event it already handled.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PublishedMessage } from './sns-endpoint.js';

export type SnsSubscriber = (message: PublishedMessage) => Promise<void>;

export interface SnsDelivery {
  /** Queues a stored message for the subscriber. */
  enqueue(message: PublishedMessage): void;
  /** Resolves once everything queued has been handed over. */
  drain(): Promise<void>;
}

const CHECKPOINT = 'delivered';

export async function startSnsDelivery(dir: string, subscriber: SnsSubscriber, published: PublishedMessage[], log: (line: string) => void): Promise<SnsDelivery> {
  let delivered = await readCheckpoint(dir);
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (message: PublishedMessage) => {
    queue = queue.then(async () => {
      if (message.seq <= delivered) return;
      try {
        await subscriber(message);
      } catch (err) {
        // The subscriber answers for its own failures; one that escapes is logged, never fatal to publishing.
        log(`sns: the subscriber failed on message ${message.seq} (${message.messageId}): ${(err as Error).message}`);
      }
      delivered = message.seq;
      await saveCheckpoint(dir, delivered);
    });
  };
  for (const message of published) if (message.seq > delivered) enqueue(message);
  return { enqueue, drain: () => queue };
}

async function readCheckpoint(dir: string): Promise<number> {
  try {
    const value = Number((await readFile(join(dir, CHECKPOINT), 'utf8')).trim());
    return Number.isInteger(value) && value >= 0 ? value : 0;
  } catch {
    return 0;
  }
}

async function saveCheckpoint(dir: string, seq: number): Promise<void> {
  const file = join(dir, CHECKPOINT);
  await writeFile(`${file}.tmp`, `${seq}\n`);
  await rename(`${file}.tmp`, file);
}
