import { createHash, randomBytes } from 'node:crypto';
import * as z from 'zod';
import { verdictSchema as verdict } from '../aws/events.js';
import { handleInboundEvent, type InboundDeps } from '../aws/inbound-handler.js';
import type { DecisionScope, InboundOrder, InboundResult } from '../pipeline/inbound.js';
import type { Clock, TicketStore } from '../pipeline/ports.js';

/** The sidecar `FILE.receipt.json`: SES receipt verdicts for a local delivery; absent ones PASS. */
export const receiptSidecarSchema = z
  .object({ spamVerdict: verdict, virusVerdict: verdict, spfVerdict: verdict, dkimVerdict: verdict, dmarcVerdict: verdict })
  .partial()
  .strict();

export type ReceiptSidecar = z.infer<typeof receiptSidecarSchema>;

/** SES message ids are 20+ lower-case alphanumerics; ours look the same so keys look as on AWS. */
export function sesLikeId(): string {
  return randomBytes(16).toString('hex').slice(0, 20);
}

/** A receipt event as SES's Lambda action sends it, for a raw object stored under the inbound prefix. */
export function sesEventFor(sesMessageId: string, receivedAt: Date, recipients: string[], verdicts: ReceiptSidecar) {
  const pass = { status: 'PASS' as const };
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: { messageId: sesMessageId, timestamp: receivedAt.toISOString(), destination: recipients },
          receipt: {
            recipients,
            timestamp: receivedAt.toISOString(),
            spamVerdict: verdicts.spamVerdict ?? pass,
            virusVerdict: verdicts.virusVerdict ?? pass,
            spfVerdict: verdicts.spfVerdict ?? pass,
            dkimVerdict: verdicts.dkimVerdict ?? pass,
            dmarcVerdict: verdicts.dmarcVerdict ?? pass,
            action: { type: 'Lambda', invocationType: 'Event', functionArn: 'arn:aws:lambda:local:000000000000:function:inbound' },
          },
        },
      },
    ],
  };
}

/**
 * Does locally what SES inbound does on AWS: the S3 action stores the raw mail under the
 * inbound prefix, then the Lambda action invokes the inbound handler with a receipt event (the
 * handler hands its deps on as the pipeline's ports, a batch's `order` among them).
 */
export async function deliverAsSes(raw: Buffer, verdicts: ReceiptSidecar, deps: InboundDeps & { order?: InboundOrder }): Promise<InboundResult[]> {
  const { config } = deps;
  const id = sesLikeId();
  await deps.blobsFor(config.aws.bucket).put(`${config.aws.inboundPrefix}${id}`, raw, 'message/rfc822');
  const event = sesEventFor(id, deps.clock.now(), config.supportAddresses.slice(0, 1), verdicts);
  return (await handleInboundEvent(event, deps)).results;
}

/** One mail of a batch, read when its delivery starts. */
export interface BatchMail {
  raw: Buffer;
  verdicts: ReceiptSidecar;
  /** Its arrival time (the CLI's --now clock, one second per mail), or the running clock. */
  clock: Clock;
}

/**
 * Delivers a batch as SES would deliver its mails one after another, in their order, with up to
 * `inFlight` of them under way at once, and ends where delivering them one by one ends. While a
 * mail is read, stored and parsed, nothing waits. Its decision waits for every earlier mail it
 * may depend on (pipeline/inbound/order.ts): a mail on a thread, with a tag, from staff or a
 * machine waits for all earlier mails to finish and holds back all later ones; a new mail from a
 * person waits only for earlier mails that name one of its people, its Message-ID or its bytes.
 * Ticket numbers go in the batch's order: a mail takes one only once every earlier mail has
 * taken its own or finished. Mails with the same bytes are delivered one after the other.
 * `finished` hears of each mail as it ends, in any order.
 */
export async function deliverBatchAsSes(
  count: number,
  mailAt: (index: number) => BatchMail,
  deps: InboundDeps,
  options: { inFlight: number; finished: (index: number, outcome: { results: InboundResult[] } | { error: unknown }) => void },
): Promise<void> {
  const order = new BatchOrder();
  const lastWithBytes = new Map<string, Promise<void>>();
  const running = new Set<Promise<void>>();
  let unreported: unknown = null;
  const report = (index: number, outcome: { results: InboundResult[] } | { error: unknown }) => {
    order.finish(index);
    try {
      options.finished(index, outcome);
    } catch (err) {
      unreported ??= err;
    }
  };
  for (let index = 0; index < count && !unreported; index++) {
    while (running.size >= options.inFlight) await Promise.race(running);
    let mail: BatchMail;
    try {
      mail = mailAt(index);
    } catch (error) {
      report(index, { error });
      continue;
    }
    const sha = createHash('sha256').update(mail.raw).digest('hex');
    await lastWithBytes.get(sha);
    const delivery: Promise<void> = deliverAsSes(mail.raw, mail.verdicts, { ...deps, clock: mail.clock, order: order.forMail(index), store: order.numbering(index, deps.store) })
      .then((results) => report(index, { results }), (error: unknown) => report(index, { error }))
      .finally(() => {
        running.delete(delivery);
        if (lastWithBytes.get(sha) === delivery) lastWithBytes.delete(sha);
      });
    running.add(delivery);
    lastWithBytes.set(sha, delivery);
  }
  await Promise.all(running);
  if (unreported) throw unreported;
}

interface Waiter {
  ready: () => boolean;
  go: () => void;
}

/** Where each mail of a batch is: the scope its decision declared, whether it took its ticket number, whether it ended. */
class BatchOrder {
  readonly #scopes = new Map<number, DecisionScope>();
  readonly #numbered = new Set<number>();
  /** Started and not ended: the only mails a later one can wait for (mails start in order). */
  readonly #unfinished = new Set<number>();
  #waiting: Waiter[] = [];

  forMail(index: number): InboundOrder {
    this.#unfinished.add(index);
    return {
      turn: (scope) => {
        this.#scopes.set(index, scope);
        // A later mail may have waited to see what this one touches.
        this.#wake();
        return this.#when(() => this.#earlier(index).every((h) => this.#independent(this.#scopes.get(h), scope)));
      },
    };
  }

  /** The store as this mail sees it: its ticket number taken only after every earlier mail took its own or ended. */
  numbering(index: number, store: TicketStore): TicketStore {
    return {
      ...store,
      nextTicketNumber: async (ticketKey) => {
        await this.#when(() => this.#earlier(index).every((h) => this.#numbered.has(h)));
        try {
          return await store.nextTicketNumber(ticketKey);
        } finally {
          this.#numbered.add(index);
          this.#wake();
        }
      },
    };
  }

  finish(index: number): void {
    this.#unfinished.delete(index);
    this.#scopes.delete(index);
    this.#numbered.delete(index);
    this.#wake();
  }

  #earlier(index: number): number[] {
    return [...this.#unfinished].filter((h) => h < index);
  }

  /** An earlier mail still parsing (no scope yet) may turn out to share anything. */
  #independent(earlier: DecisionScope | undefined, later: DecisionScope): boolean {
    if (!earlier || earlier.alone || later.alone) return false;
    return !earlier.touches.some((t) => later.touches.includes(t));
  }

  #when(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((go) => this.#waiting.push({ ready, go }));
  }

  #wake(): void {
    const ready = this.#waiting.filter((w) => w.ready());
    this.#waiting = this.#waiting.filter((w) => !ready.includes(w));
    for (const w of ready) w.go();
  }
}
