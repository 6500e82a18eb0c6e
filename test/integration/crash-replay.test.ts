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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverAsSes } from '../../src/local/ingest.js';
import { addressBook } from '../../src/pipeline/inbound.js';
import { runStaleJob } from '../../src/pipeline/stale-job.js';
import { CLAIM_LEASE_MS, sweepPlans } from '../../src/pipeline/sweep.js';
import { injectFaults, type FaultInjector } from '../support/faults.js';
import { crashAtEveryStep, playScenario, type ScenarioStep } from '../support/crash-scenario.js';
import { fixturesDir, northwindConfig } from '../support/pipeline.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

const conversation = (name: string) => readFileSync(new URL(`conversation/${name}`, fixturesDir));
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const T0 = '2026-11-30T08:00:00Z';

const SCENARIO: ScenarioStep[] = [
  mailStep('c01-outlook-new-second-monitor-black.eml'), // TKT-1 awaiting-info: missing-info, staff notice, event
  mailStep('c02-outlook-reply-asset-tag-dock-model.eml'), // back to open: staff notice, event
  mailStep('c03-outlook-staff-commands-pending-assign.eml'), // commands: relay, command result, event
  mailStep('c12-outlook-new-hot-desk-dock-flickers.eml'), // TKT-2: ack, staff notice, event
  // TKT-1 reminded, both flagged, the digest.
  { after: 8 * DAY, run: ({ store, deps, config }) => runStaleJob({ store, mailer: deps.mailer, events: deps.events, clock: deps.clock }, config, addressBook(config)) },
  // As its schedule runs it: finishes what a crash between a send's record and its settle left.
  { after: CLAIM_LEASE_MS + MINUTE, run: async ({ deps, config }) => expect((await sweepPlans(deps, config)).problems).toEqual([]) },
];

function mailStep(file: string): ScenarioStep {
  return { run: ({ deps }) => deliverAsSes(conversation(file), {}, deps) };
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

  const play = (failAfter: number | null) => playScenario(fx, faults, T0, SCENARIO, failAfter);

  it('replays a crash after any write or send to the same end state, with every effect done once', async () => {
    const clean = await play(null);
    // The clean run: 2 tickets; 9 mails (missing-info, 2 staff notices, relay, command result,
    // ack, staff notice, reminder, digest); 7 events (2 created, 2 updated, 2 gone stale, the digest's summary).
    expect(clean.snapshot.outbox).toHaveLength(9);
    expect(clean.snapshot.events).toHaveLength(7);
    const { points, sends, unconfirmedAfterSend } = await crashAtEveryStep(play, clean); // checks the clean run first
    console.info(`[${backend}] crash at every step: ${points} injection points (${points - sends} writes, ${sends} sends), each replayed to the clean run's end state; ${unconfirmedAfterSend} crashes right after a send left that mail or event unconfirmed, sent once`);
  }, 600_000);
});
