/**
 * Outlook's conversation headers on the mail we send, through the real pipeline (local stack,
 * SES outbox): an Outlook request's Thread-Index is extended by one child block on our
 * acknowledgement and again on the staff answer we relay; a Gmail request (no Thread-Index)
 * starts the ticket's own conversation, which the next mail extends; a malformed Thread-Index
 * is ignored; and a delivery that crashes at any write or send is replayed to byte-identical
 * headers.
 */
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageKey } from '../../src/domain/ticket.js';
import { deliverAsSes } from '../../src/local/ingest.js';
import { readOutbox } from '../../src/local/ses-endpoint.js';
import { deliveryPlanKey } from '../../src/pipeline/inbound/context.js';
import { decodeWordsSafe } from '../../src/mail/headers.js';
import { guidFromName, parseThreadIndex, type ConversationIndex } from '../../src/mail/thread-index.js';
import { injectFaults, InjectedCrash, type FaultInjector } from '../support/faults.js';
import { outboxCount, sentMails, type SentMail } from '../support/outbox.js';
import { fixturesDir, manualClock, northwindConfig, pipelineOn } from '../support/pipeline.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

const threading = (name: string) => readFileSync(new URL(`outlook-threading/${name}`, fixturesDir));
const gmailRequest = () => readFileSync(new URL('mail/06-gmail-new-auditor-access-pdf.eml', fixturesDir));
/** One 31-bit step of a long-form time difference: 2^23 ticks of 100 ns. */
const CHILD_STEP_MS = 2 ** 23 / 10_000;

/** A header's text, encoded words decoded (the composer encodes a topic with quotes or non-ASCII). */
function header(m: SentMail, name: string): string {
  const value = m.mail.headers.get(name);
  if (typeof value !== 'string') throw new Error(`${m.kind} to ${m.to.join(', ')} has no ${name} header`);
  return decodeWordsSafe(value);
}

function indexOf(m: SentMail): ConversationIndex {
  const index = parseThreadIndex(header(m, 'thread-index'));
  if (!index) throw new Error(`${m.kind}: Thread-Index "${header(m, 'thread-index')}" does not parse`);
  return index;
}

/** The mail's index is `parent`'s bytes and one child block, made at `at` (to the block's precision). */
function expectOneChildMore(index: ConversationIndex, parent: string, at: Date): void {
  const before = parseThreadIndex(parent)!;
  expect(index.bytes.subarray(0, before.bytes.length).equals(before.bytes)).toBe(true);
  expect(index.children).toHaveLength(before.children.length + 1);
  const made = index.children.at(-1)!.at.getTime();
  expect(at.getTime() - made).toBeGreaterThanOrEqual(0);
  expect(at.getTime() - made).toBeLessThan(CHILD_STEP_MS);
}

async function inboundHeader(raw: Buffer, name: string): Promise<string> {
  return (await simpleParser(raw)).headers.get(name) as string;
}

describe('Outlook conversation headers on our mail (dynalite)', () => {
  let fx: StackFixture;
  let faults: FaultInjector;
  let outbox: string;
  beforeAll(async () => {
    fx = await withLocalStack({ dynamo: 'dynalite', config: northwindConfig });
    faults = injectFaults(fx.clients);
    outbox = join(fx.dataDir, 'outbox');
  });
  afterAll(async () => {
    faults?.remove();
    await fx?.cleanup();
  });

  it("extends an Outlook requester's Thread-Index on the acknowledgement, and again on the relayed staff answer", async () => {
    const request = threading('o01-outlook-desktop-new-shared-mailbox.eml');
    const staffAnswer = threading('o02-owa-staff-reply-shared-mailbox.eml');
    const { deps, clock } = await pipelineOn(fx, manualClock('2026-12-01T08:14:12Z'));
    const from = await outboxCount(outbox);

    const [opened] = await deliverAsSes(request, {}, deps);
    expect(opened).toMatchObject({ outcome: 'created', ticket: 'TKT-1' });
    const first = await sentMails(outbox, from);
    expect(first.map((m) => m.kind).sort()).toEqual(['ack', 'staff-notification']);
    const requesterIndex = await inboundHeader(request, 'thread-index');
    const topic = await inboundHeader(request, 'thread-topic');
    for (const m of first) {
      expectOneChildMore(indexOf(m), requesterIndex, clock.now());
      expect(header(m, 'thread-topic')).toBe(topic);
    }

    clock.advance(27 * 60_000 + 40_000);
    const [answered] = await deliverAsSes(staffAnswer, {}, deps);
    expect(answered).toMatchObject({ ticket: 'TKT-1' });
    const relays = (await sentMails(outbox, from + first.length)).filter((m) => m.kind === 'relay');
    expect(relays.map((m) => m.to)).toEqual([['sanne.devries@northwind.example']]);
    const relay = indexOf(relays[0]!);
    expectOneChildMore(relay, await inboundHeader(staffAnswer, 'thread-index'), clock.now());
    // Still Sanne's conversation: her header block (time and GUID), three replies deep.
    expect(relay.bytes.subarray(0, 22).equals(parseThreadIndex(requesterIndex)!.bytes)).toBe(true);
    expect(relay.children).toHaveLength(3);
    expect(header(relays[0]!, 'thread-topic')).toBe(topic);
  });

  it("keeps an Outlook requester's conversation on the ticket: a staff answer from Gmail is relayed into it", async () => {
    const request = threading('o01-outlook-desktop-new-shared-mailbox.eml');
    const { deps, clock, store } = await pipelineOn(fx, manualClock('2026-12-01T08:14:12Z'));
    const from = await outboxCount(outbox);
    await deliverAsSes(request, {}, deps);
    const requesterIndex = parseThreadIndex(await inboundHeader(request, 'thread-index'))!;
    expect((await store.getTicketById(1))!.outlookThreadIndex).toBe(requesterIndex.bytes.subarray(0, 22).toString('base64'));
    const opening = (await sentMails(outbox, from)).length;

    // Gmail writes no Thread-Index: the relay continues Sanne's conversation, not one of its own.
    clock.advance(28 * 60_000 + 53_000);
    const [answered] = await deliverAsSes(threading('o05-gmail-staff-reply-shared-mailbox.eml'), {}, deps);
    expect(answered).toMatchObject({ ticket: 'TKT-1' });
    const relays = (await sentMails(outbox, from + opening)).filter((m) => m.kind === 'relay');
    expect(relays.map((m) => m.to)).toEqual([['sanne.devries@northwind.example']]);
    expectOneChildMore(indexOf(relays[0]!), requesterIndex.bytes.subarray(0, 22).toString('base64'), clock.now());
    expect(header(relays[0]!, 'thread-topic')).toBe('Shared mailbox Finance-Invoices not showing in Outlook');
  });

  it("starts the ticket's own conversation for a Gmail request, and the next mail extends it", async () => {
    const { deps, clock, store } = await pipelineOn(fx, manualClock('2026-11-02T09:12:47Z'));
    const from = await outboxCount(outbox);
    await deliverAsSes(gmailRequest(), {}, deps);
    const ticket = (await store.getTicketById(1))!;
    const first = await sentMails(outbox, from);
    expect(first.map((m) => m.kind).sort()).toEqual(['missing-info', 'staff-notification']);
    const root = indexOf(first[0]!);
    for (const m of first) {
      const index = indexOf(m);
      // A header block only, named by the ticket and started when it was opened.
      expect(index.bytes).toHaveLength(22);
      expect(index.bytes.subarray(6).equals(Buffer.from(guidFromName(ticket.key)))).toBe(true);
      expect(Date.parse(ticket.createdAt) - index.startedAt.getTime()).toBeGreaterThanOrEqual(0);
      expect(Date.parse(ticket.createdAt) - index.startedAt.getTime()).toBeLessThan(2 ** 24 / 10_000);
      expect(header(m, 'thread-topic')).toBe('Network access for Contoso audit team, 9-13 November');
    }

    clock.advance(50 * 60_000 + 31_000);
    await deliverAsSes(threading('o04-gmail-reply-to-ask-audit-access.eml'), {}, deps);
    const next = await sentMails(outbox, from + first.length);
    expect(next.length).toBeGreaterThan(0);
    for (const m of next) {
      expectOneChildMore(indexOf(m), root.bytes.toString('base64'), clock.now());
      expect(header(m, 'thread-topic')).toBe('Network access for Contoso audit team, 9-13 November');
    }
  });

  it("ignores a malformed Thread-Index: the ticket's own conversation starts, under the request's subject", async () => {
    const request = threading('o03-outlook-truncated-thread-index.eml');
    expect(parseThreadIndex(await inboundHeader(request, 'thread-index'))).toBeNull();
    const { deps, store } = await pipelineOn(fx, manualClock('2026-12-01T09:02:35Z'));
    const from = await outboxCount(outbox);
    const [opened] = await deliverAsSes(request, {}, deps);
    expect(opened).toMatchObject({ outcome: 'created', ticket: 'TKT-1' });
    const ticket = (await store.getTicketById(1))!;
    const sent = await sentMails(outbox, from);
    expect(sent.map((m) => m.kind).sort()).toEqual(['ack', 'staff-notification']);
    for (const m of sent) {
      expect(indexOf(m).bytes.subarray(6).equals(Buffer.from(guidFromName(ticket.key)))).toBe(true);
      expect(header(m, 'thread-topic')).toBe('Teams meeting room panel in Amstel shows "offline"');
    }
  });

  it('replays a delivery that crashed after any write or send to byte-identical conversation headers', async () => {
    const request = threading('o01-outlook-desktop-new-shared-mailbox.eml');
    const start = '2026-12-01T08:14:12Z';
    /** The raw Thread-Index, Thread-Topic and Date lines of each mail sent since `from`, by our Message-ID. */
    const headerLines = async (from: number): Promise<Map<string, string>> => {
      const lines = new Map<string, string>();
      for (const entry of (await readOutbox(outbox)).slice(from)) {
        const raw = (await readFile(entry.rawPath, 'latin1')).split('\r\n\r\n')[0]!.replace(/\r\n[ \t]/g, ' ');
        lines.set(entry.composedMessageId!, raw.split('\r\n').filter((l) => /^(thread-index|thread-topic|date):/i.test(l)).sort().join('\n'));
      }
      return lines;
    };

    faults.reset();
    const clean = await pipelineOn(fx, manualClock(start));
    const cleanFrom = await outboxCount(outbox);
    await deliverAsSes(request, {}, clean.deps);
    const steps = faults.steps().length;
    const expected = await headerLines(cleanFrom);
    expect([...expected.keys()].map((id) => id.split('.')[0]).sort()).toEqual(['ack', 'staff-notification']);
    const planKey = deliveryPlanKey(messageKey((await simpleParser(request)).messageId!.replace(/^<|>$/g, '')));

    let replanned = 0;
    for (let n = 1; n <= steps; n++) {
      const p = await pipelineOn(fx, manualClock(start));
      const from = await outboxCount(outbox);
      faults.reset();
      faults.failAfter(n);
      // A crash right after a send is an unconfirmed send, reported, not thrown.
      await deliverAsSes(request, {}, p.deps).catch((err: unknown) => {
        if (!(err instanceof InjectedCrash)) throw err;
      });
      const crashedAfter = `step ${n} (${faults.firedAfter()})`;
      faults.failAfter(null);
      const planned = (await p.store.getPlan(planKey)) !== null;
      // The replay comes later, as a redelivery would.
      p.clock.advance(90_000);
      await deliverAsSes(request, {}, p.deps);
      const replayed = await headerLines(from);
      if (planned) {
        // The plan was recorded: what went out before the crash and after it carries its headers.
        expect({ crashedAfter, replayed }).toEqual({ crashedAfter, replayed: expected });
      } else {
        // Nothing was planned, so nothing went out: the replay plans anew, its index made at its Date.
        replanned++;
        const sent = await sentMails(outbox, from);
        expect({ crashedAfter, kinds: sent.map((m) => m.kind).sort() }).toEqual({ crashedAfter, kinds: ['ack', 'staff-notification'] });
        for (const m of sent) expectOneChildMore(indexOf(m), await inboundHeader(request, 'thread-index'), m.mail.date!);
      }
    }
    expect(replanned).toBeLessThan(steps);
    console.info(`outlook threading: ${steps} crash points, ${steps - replanned} after the plan was recorded (headers byte-identical on replay), ${replanned} before it (planned anew)`);
  });
});
