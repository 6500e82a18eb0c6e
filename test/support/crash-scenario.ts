/**
 * A scenario played on a fresh table with the process "dying" right after its n-th write or
 * send (test/support/faults.ts), each failed step run again (its replay) until it succeeds; and
 * what it left behind, as comparable lines. Crash tests compare every such run with a clean one.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import { summarise } from '../../src/domain/incidents/incident.js';
import { readPublished } from '../../src/local/sns-endpoint.js';
import { readOutbox } from '../../src/local/ses-endpoint.js';
import type { FaultInjector } from './faults.js';
import { manualClock, pipelineOn } from './pipeline.js';
import type { StackFixture } from './stack-fixture.js';
import { outboxLines, ticketLines } from './state.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export interface Snapshot {
  tickets: string[];
  threads: string[];
  incidents: string[];
  outbox: string[];
  events: string[];
  quarantined: number;
  unconfirmed: string[];
  pending: string[];
}

type Pipeline = Awaited<ReturnType<typeof pipelineOn>>;

/** One step of a scenario: a delivery, a job run; `after` moves the clock first (`at`: to that time). */
export interface ScenarioStep {
  after?: number;
  at?: string;
  run(p: Pipeline): Promise<unknown>;
}

export async function playScenario(
  fx: StackFixture,
  faults: FaultInjector,
  start: string,
  steps: ScenarioStep[],
  failAfter: number | null,
): Promise<{ snapshot: Snapshot; steps: string[]; replays: number; crashedAfter: string | null }> {
  const clock = manualClock(start);
  const p = await pipelineOn(fx, clock);
  const outboxDir = join(fx.dataDir, 'outbox');
  const snsDir = join(fx.dataDir, 'sns');
  const [mailBefore, eventsBefore] = [(await readOutbox(outboxDir)).length, (await readPublished(snsDir)).length];
  faults.reset();
  faults.failAfter(failAfter);
  let replays = 0;
  for (const step of steps) {
    if (step.after) clock.advance(step.after);
    if (step.at) clock.advance(Math.max(0, Date.parse(step.at) - clock.now().getTime()));
    for (let attempt = 1; ; attempt++) {
      try {
        await step.run(p);
        break;
      } catch (err) {
        expect((err as Error).message).toMatch(/injected crash/);
        expect(attempt).toBeLessThan(3);
        replays++;
      }
    }
    clock.advance(MINUTE);
  }
  const taken = faults.steps();
  const crashedAfter = faults.firedAfter();
  faults.failAfter(null);
  const { store } = p;
  const published = (await readPublished(snsDir)).slice(eventsBefore);
  const { tickets, threads } = await ticketLines(store);
  const open = await store.openPlans(new Date(clock.now().getTime() + DAY).toISOString());
  const undelivered = await store.undeliveredSince('2000-01-01T00:00:00Z');
  return {
    steps: taken,
    replays,
    crashedAfter,
    snapshot: {
      tickets,
      threads,
      incidents: (await store.listIncidents()).map((i) => JSON.stringify(summarise(i))),
      outbox: await outboxLines(fx.dataDir, mailBefore),
      events: published.map((m) => JSON.parse(m.message) as { type: string; ticketId?: string; subject: string }).map((e) => `${e.type} ${e.ticketId ?? e.subject}`).sort(),
      quarantined: (await store.listQuarantine()).length,
      unconfirmed: undelivered.filter((u) => u.state === 'unconfirmed').map((u) => `${u.ticketId} ${u.kind}`),
      pending: open.flatMap((plan) => plan.effects.filter((e) => e.state === 'pending' || e.state === 'sending').map((e) => `${plan.key} ${e.id} ${e.state}`)),
    },
  };
}

/**
 * Crashes the scenario after each of the clean run's steps in turn: every run must end where
 * the clean one did, every effect done once. Resolves to the counts the test reports.
 */
export async function crashAtEveryStep(play: (failAfter: number | null) => ReturnType<typeof playScenario>, clean: Awaited<ReturnType<typeof playScenario>>): Promise<{ points: number; sends: number; unconfirmedAfterSend: number }> {
  // The clean run is the measure: nothing replayed, nothing left pending or unconfirmed, every thread key leading home.
  expect(clean.replays).toBe(0);
  expect(clean.snapshot.pending).toEqual([]);
  expect(clean.snapshot.unconfirmed).toEqual([]);
  expect(clean.snapshot.threads.filter((line) => line.includes('does not lead here'))).toEqual([]);
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
    expect(snapshot.incidents, where).toEqual(clean.snapshot.incidents);
    expect(snapshot.outbox, where).toEqual(clean.snapshot.outbox);
    expect(snapshot.events, where).toEqual(clean.snapshot.events);
    expect(snapshot.quarantined, where).toBe(clean.snapshot.quarantined);
    // Only a crash right after a mail send leaves that mail unconfirmed (it went out, once).
    expect(snapshot.unconfirmed.length, where).toBe(crashed.crashedAfter === 'SendRawEmail' ? 1 : 0);
    if (isSend) unconfirmedAfterSend++;
  }
  return { points, sends, unconfirmedAfterSend };
}
