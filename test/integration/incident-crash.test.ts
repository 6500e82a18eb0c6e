/**
 * Crash at every step of an outage (fixtures/incident-flow/): three reports form INC-1 (the
 * incident written, the earlier tickets linked), a fourth joins it, staff take one out and
 * resolve the rest with one reply (a relay and a change per ticket, the incident resolved). The
 * process "dies" right after each write or send in turn; the failed delivery is replayed and
 * must end where the clean run ends: the same tickets, incident, history, mail and events,
 * every effect done once (test/support/crash-scenario.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverAsSes } from '../../src/local/ingest.js';
import { CLAIM_LEASE_MS, sweepPlans } from '../../src/pipeline/sweep.js';
import { injectFaults, type FaultInjector } from '../support/faults.js';
import { crashAtEveryStep, playScenario, type ScenarioStep } from '../support/crash-scenario.js';
import { fixturesDir, northwindConfig } from '../support/pipeline.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

const dir = new URL('incident-flow/', fixturesDir);
const mail = (prefix: string) => readFileSync(new URL(readdirSync(dir).find((f) => f.startsWith(`${prefix}-`))!, dir));
const step = (prefix: string, at: string): ScenarioStep => ({ at: `2026-11-30T${at}Z`, run: ({ deps }) => deliverAsSes(mail(prefix), {}, deps) });

const SCENARIO: ScenarioStep[] = [
  step('f01', '09:02:39'), // TKT-1: ack, staff notice, event
  step('f02', '09:05:14'), // TKT-2: the same
  step('f03', '09:08:05'), // TKT-3 forms INC-1: incident acks to all three, incident notice, event; TKT-1 and TKT-2 linked
  step('f04', '09:10:46'), // TKT-4, the printer: not in it
  step('f05', '09:14:23'), // TKT-5 joins: incident ack, one-report note to staff, event
  step('f09', '09:20:49'), // #unlink TKT-5: its change, the incident's, the command result, event
  step('f07', '10:05:33'), // #resolve: three relays, two ticket changes, the incident resolved, command result, events
  // As its schedule runs it: finishes what a crash between a claim or a send's record and its settle left.
  { after: CLAIM_LEASE_MS + 60_000, run: async ({ deps, config }) => expect((await sweepPlans(deps, config)).problems).toEqual([]) },
];

describe('crash at every step of an incident (dynalite)', () => {
  let fx: StackFixture;
  let faults: FaultInjector;
  beforeAll(async () => {
    fx = await withLocalStack({ dynamo: 'dynalite', config: northwindConfig });
    faults = injectFaults(fx.clients);
  });
  afterAll(async () => {
    faults?.remove();
    await fx?.cleanup();
  });

  const play = (failAfter: number | null) => playScenario(fx, faults, '2026-11-30T09:00:00Z', SCENARIO, failAfter);

  it('replays a crash after any write or send to the same end state, with every effect done once', async () => {
    const clean = await play(null);
    expect(clean.snapshot.incidents).toHaveLength(1);
    expect(JSON.parse(clean.snapshot.incidents[0]!)).toMatchObject({ id: 'INC-1', status: 'resolved', tickets: ['TKT-1', 'TKT-2', 'TKT-3'] });
    // 5 tickets; 17 mails: 3 acks and 3 staff notices, 4 incident acks (the forming report's,
    // the two before it, the fourth's), the incident notice and the note of the fourth report,
    // 2 command results, 3 relays.
    expect(clean.snapshot.outbox).toHaveLength(17);
    const { points, sends, unconfirmedAfterSend } = await crashAtEveryStep(play, clean); // checks the clean run first
    console.info(`[dynalite] incident crash at every step: ${points} injection points (${points - sends} writes, ${sends} sends), each replayed to the clean run's end state; ${unconfirmedAfterSend} crashes right after a send left that mail or event unconfirmed, sent once`);
  }, 900_000);
});
