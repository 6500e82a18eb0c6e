/**
 * Crash at every step. A scenario — a request that needs a detail, the answer, a staff reply
 * with commands, a second request, the stale job eight days later — is first run cleanly, then
 * once for every write and send it makes, with the process "dying" right after that step (the
 * write or send happened; nobody heard back: test/support/faults.ts). The failed delivery is
 * replayed, the scenario goes on, and the end state must equal the clean run's: the same
 * tickets, thread messages, history, quarantine, mail in the outbox and events published, every
 * planned effect done exactly once (the sweep, last, finishes a sent mail whose settle a crash
 * stopped after its record). The one allowed difference is honest: a crash right after a
 * send leaves that mail (or event) `unconfirmed` — it went out once, and is not sent again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverAsSes } from '../../src/local/ingest.js';
import { readOutbox } from '../../src/local/ses-endpoint.js';
import { readPublished } from '../../src/local/sns-endpoint.js';
import { addressBook } from '../../src/pipeline/inbound.js';
import { runStaleJob } from '../../src/pipeline/stale-job.js';
import { CLAIM_LEASE_MS, sweepPlans } from '../../src/pipeline/sweep.js';
import { injectFaults, type FaultInjector } from '../support/faults.js';
import { outboxLines, ticketLines } from '../support/state.js';
import { fixturesDir, manualClock, northwindConfig, pipelineOn } from '../support/pipeline.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

const conversation = (name: string) => readFileSync(new URL(`conversation/${name}`, fixturesDir));
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const T0 = '2026-11-30T08:00:00Z';

type Step = { kind: 'mail'; file: string } | { kind: 'stale'; after: number } | { kind: 'sweep'; after: number };
const SCENARIO: Step[] = [
  { kind: 'mail', file: 'c01-outlook-new-second-monitor-black.eml' }, // TKT-1 awaiting-info: missing-info, staff notice, event
  { kind: 'mail', file: 'c02-outlook-reply-asset-tag-dock-model.eml' }, // back to open: staff notice, event
  { kind: 'mail', file: 'c03-outlook-staff-commands-pending-assign.eml' }, // commands: relay, command result, event
  { kind: 'mail', file: 'c12-outlook-new-hot-desk-dock-flickers.eml' }, // TKT-2: ack, staff notice, event
  { kind: 'stale', after: 8 * DAY }, // TKT-1 reminded, both flagged, the digest
  // As its schedule runs it: finishes what a crash between a send's record and its settle left.
  { kind: 'sweep', after: CLAIM_LEASE_MS + MINUTE },
];

interface Snapshot {
  tickets: string[];
  threads: string[];
  outbox: string[];
  events: string[];
  quarantined: number;
  unconfirmed: string[];
  pending: string[];
}

describe.each(['dynalite', 'dynamodb-local'] as const)('crash at every step (%s)', (backend) => {
  let fx: StackFixture;
  let faults: FaultInjector;
  beforeAll(async () => {
    fx = await withLocalStack({ dynamo: backend, config: northwindConfig });
    faults = injectFaults(fx.clients);
  });
  afterAll(async () => {
    faults?.remove();
    await fx?.cleanup();
  });

  /** The scenario on a fresh table; a step that fails is run again (its replay) until it succeeds. */
  async function play(failAfter: number | null): Promise<{ snapshot: Snapshot; steps: string[]; replays: number; crashedAfter: string | null }> {
    const clock = manualClock(T0);
    const { deps, store, config } = await pipelineOn(fx, clock);
    const outboxDir = join(fx.dataDir, 'outbox');
    const snsDir = join(fx.dataDir, 'sns');
    const [mailBefore, eventsBefore] = [(await readOutbox(outboxDir)).length, (await readPublished(snsDir)).length];
    faults.reset();
    faults.failAfter(failAfter);
    let replays = 0;
    for (const step of SCENARIO) {
      const run = async () => {
        if (step.kind === 'mail') await deliverAsSes(conversation(step.file), {}, deps);
        else if (step.kind === 'stale') await runStaleJob({ store, mailer: deps.mailer, events: deps.events, clock }, config, addressBook(config));
        else expect((await sweepPlans(deps, config)).problems).toEqual([]);
      };
      if (step.kind !== 'mail') clock.advance(step.after);
      for (let attempt = 1; ; attempt++) {
        try {
          await run();
          break;
        } catch (err) {
          expect((err as Error).message).toMatch(/injected crash/);
          expect(attempt).toBeLessThan(3);
          replays++;
        }
      }
      clock.advance(MINUTE);
    }
    const steps = faults.steps();
    const crashedAfter = faults.firedAfter();
    faults.failAfter(null);
    const published = (await readPublished(snsDir)).slice(eventsBefore);
    const { tickets, threads } = await ticketLines(store);
    const open = await store.openPlans(new Date(clock.now().getTime() + DAY).toISOString());
    const undelivered = await store.undeliveredSince('2000-01-01T00:00:00Z');
    return {
      steps,
      replays,
      crashedAfter,
      snapshot: {
        tickets,
        threads,
        outbox: await outboxLines(fx.dataDir, mailBefore),
        events: published.map((p) => `${(JSON.parse(p.message) as { type: string; ticketId: string }).type} ${(JSON.parse(p.message) as { ticketId: string }).ticketId}`).sort(),
        quarantined: (await store.listQuarantine()).length,
        unconfirmed: undelivered.filter((u) => u.state === 'unconfirmed').map((u) => `${u.ticketId} ${u.kind}`),
        pending: open.flatMap((p) => p.effects.filter((e) => e.state === 'pending' || e.state === 'sending').map((e) => `${p.key} ${e.id} ${e.state}`)),
      },
    };
  }

  it('replays a crash after any write or send to the same end state, with every effect done once', async () => {
    const clean = await play(null);
    expect(clean.replays).toBe(0);
    expect(clean.snapshot.pending).toEqual([]);
    expect(clean.snapshot.unconfirmed).toEqual([]);
    expect(clean.snapshot.threads.filter((line) => line.includes('does not lead here'))).toEqual([]);
    // The clean run: 2 tickets; 9 mails (missing-info, 2 staff notices, relay, command result,
    // ack, staff notice, reminder, digest); 4 events (2 created, 2 updated).
    expect(clean.snapshot.outbox).toHaveLength(9);
    expect(clean.snapshot.events).toHaveLength(4);
    const points = clean.steps.length;
    const sends = clean.steps.filter((s) => s === 'SendRawEmail' || s === 'Publish').length;
    let unconfirmedAfterSend = 0;
    for (let n = 1; n <= points; n++) {
      const crashed = await play(n);
      const { snapshot } = crashed;
      const where = `crash after step ${n} (${crashed.crashedAfter})`;
      expect(crashed.crashedAfter, where).not.toBeNull();
      const isSend = crashed.crashedAfter === 'SendRawEmail' || crashed.crashedAfter === 'Publish';
      // A lost answer from SES or SNS is handled where it happens; any other crash fails the delivery, which is replayed.
      expect(crashed.replays, where).toBe(isSend ? 0 : 1);
      expect(snapshot.pending, where).toEqual([]);
      expect(snapshot.tickets, where).toEqual(clean.snapshot.tickets);
      expect(snapshot.threads, where).toEqual(clean.snapshot.threads);
      expect(snapshot.outbox, where).toEqual(clean.snapshot.outbox);
      expect(snapshot.events, where).toEqual(clean.snapshot.events);
      expect(snapshot.quarantined, where).toBe(clean.snapshot.quarantined);
      // Only a crash right after a mail send leaves that mail unconfirmed (it went out, once).
      const mailSend = crashed.crashedAfter === 'SendRawEmail';
      expect(snapshot.unconfirmed.length, where).toBe(mailSend ? 1 : 0);
      if (isSend) unconfirmedAfterSend++;
    }
    console.info(`[${backend}] crash at every step: ${points} injection points (${points - sends} writes, ${sends} sends), each replayed to the clean run's end state; ${unconfirmedAfterSend} crashes right after a send left that mail or event unconfirmed, sent once`);
  }, 600_000);
});
