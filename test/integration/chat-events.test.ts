/**
 * The events chat is fed from, as the pipeline publishes them to the local topic: a new ticket
 * with the start of its text, an update with what changed, outage reports grouped into an
 * incident, tickets going stale and the digest's summary (once per slot, however often it runs).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverAsSes } from '../../src/local/ingest.js';
import { readPublished } from '../../src/local/sns-endpoint.js';
import { addressBook } from '../../src/pipeline/inbound.js';
import { runStaleJob } from '../../src/pipeline/stale-job.js';
import type { PublishedEvent } from '../../src/pipeline/ticket-events.js';
import { fixturesDir, manualClock, northwindConfig, pipelineOn } from '../support/pipeline.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

const HOUR = 3600_000;
const incidentDir = new URL('incident-flow/', fixturesDir);
const incidentMail = (prefix: string) => readFileSync(new URL(readdirSync(incidentDir).find((f) => f.startsWith(`${prefix}-`))!, incidentDir));
const mail = (path: string) => readFileSync(new URL(path, fixturesDir));

let fx: StackFixture;
beforeAll(async () => {
  fx = await withLocalStack({ config: northwindConfig });
});
afterAll(async () => {
  await fx?.cleanup();
});

async function publishedSince(count: number): Promise<PublishedEvent[]> {
  return (await readPublished(join(fx.dataDir, 'sns'))).slice(count).map((m) => JSON.parse(m.message) as PublishedEvent);
}
const publishedCount = async () => (await readPublished(join(fx.dataDir, 'sns'))).length;

describe('the events chat is fed from', () => {
  it('a new ticket carries the start of its text; a staff command, what it changed and who changed it', async () => {
    const { deps } = await pipelineOn(fx, manualClock('2026-11-23T08:00:00Z'));
    const before = await publishedCount();
    await deliverAsSes(mail('mail/01-outlook-new-vpn-down.eml'), {}, deps);
    await deliverAsSes(mail('mail/03-outlook-reply-staff-vpn.eml'), {}, deps);
    const [created, updated] = await publishedSince(before);
    expect(created).toMatchObject({ type: 'ticket.created', ticketId: 'TKT-1' });
    const excerpt = (created as { excerpt: string }).excerpt;
    expect(excerpt.length).toBeLessThanOrEqual(300);
    expect(excerpt).not.toMatch(/\n/);
    expect(excerpt.length).toBeGreaterThan(20);
    expect(updated).toMatchObject({ type: 'ticket.updated', ticketId: 'TKT-1' });
    const changes = (updated as { changes: { field: string; by: string }[] }).changes;
    expect(changes.length).toBeGreaterThan(0);
    for (const c of changes) expect(c.by).toBe('alex.kim@northwind.example');
  });

  it('outage reports grouped: incident.opened with its tickets and reporters, then incident.updated as another joins', async () => {
    const clock = manualClock('2026-11-30T09:00:00Z');
    const { deps } = await pipelineOn(fx, clock);
    const before = await publishedCount();
    for (const prefix of ['f01', 'f02', 'f03', 'f05']) {
      clock.advance(3 * 60_000);
      await deliverAsSes(incidentMail(prefix), {}, deps);
    }
    const published = await publishedSince(before);
    // The report that formed the incident, and the one that joined it, say so: chat tells of them in the incident's message.
    expect(published.filter((e) => e.type === 'ticket.created').map((e) => [(e as { ticketId: string }).ticketId, (e as { incidentId: string | null }).incidentId])).toEqual([
      ['TKT-1', null],
      ['TKT-2', null],
      ['TKT-3', 'INC-1'],
      ['TKT-4', 'INC-1'],
    ]);
    const incidents = published.filter((e) => e.type.startsWith('incident.'));
    expect(incidents).toEqual([
      expect.objectContaining({ type: 'incident.opened', incidentId: 'INC-1', tickets: ['TKT-1', 'TKT-2', 'TKT-3'], reporters: 3, ticketId: 'TKT-3' }),
      expect.objectContaining({ type: 'incident.updated', incidentId: 'INC-1', tickets: ['TKT-1', 'TKT-2', 'TKT-3', 'TKT-4'], reporters: 4, ticketId: 'TKT-4' }),
    ]);
  });

  it('the stale job: ticket.stale for each newly stale ticket and digest.sent, once per slot', async () => {
    const clock = manualClock('2026-11-02T08:00:00Z');
    const { deps, store, config } = await pipelineOn(fx, clock);
    await deliverAsSes(mail('triage/02-iphone-clicked-phishing-link.eml'), {}, deps); // P1: stale after 4 h
    clock.advance(6 * HOUR);
    const before = await publishedCount();
    const run = () => runStaleJob({ store, mailer: deps.mailer, events: deps.events, clock }, config, addressBook(config));
    await run();
    const events = await publishedSince(before);
    expect(events.map((e) => e.type)).toEqual(['ticket.stale', 'digest.sent']);
    expect(events[0]).toMatchObject({ ticketId: 'TKT-1', priority: 'P1', idleHours: 6 });
    expect(events[1]).toMatchObject({ stale: 1, unreachable: 0, top: [{ ticketId: 'TKT-1', priority: 'P1', idleHours: 6 }] });
    await run();
    expect(await publishedCount()).toBe(before + 2);
  });
});
