/**
 * Lifecycle edges of the staff conversation that need the clock: a requester's reply long after
 * the resolution opens a new ticket linked to the old one; a requester's reply on an assigned
 * ticket goes to the assignee, not the whole staff list.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverAsSes } from '../../src/local/ingest.js';
import { fixturesDir, northwindConfig, pipelineOn } from '../support/pipeline.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

const mail = (name: string) => readFileSync(new URL(`conversation/${name}`, fixturesDir));
const DAY = 24 * 3600_000;
const upToResolved = [
  'c01-outlook-new-second-monitor-black.eml',
  'c02-outlook-reply-asset-tag-dock-model.eml',
  'c03-outlook-staff-commands-pending-assign.eml',
  'c04-outlook-reply-still-black.eml',
  'c05-owa-staff-resolved-dock-swapped.eml',
];

describe('staff conversation over time (dynalite)', () => {
  let fx: StackFixture;
  beforeAll(async () => {
    fx = await withLocalStack({ dynamo: 'dynalite', config: northwindConfig });
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  it('tells the assignee, not the whole list, when the requester answers', async () => {
    const { deps } = await pipelineOn(fx);
    const results = [];
    for (const f of upToResolved.slice(0, 4)) results.push((await deliverAsSes(mail(f), {}, deps))[0]!);
    expect(results[3]!.replies).toEqual([expect.objectContaining({ kind: 'staff-notification', to: 'alex.kim@northwind.example' })]);
  });

  it(`opens a new ticket linked to the old one when the requester writes ${northwindConfig.lifecycle.reopenWithinDays}+ days after the resolution`, async () => {
    const { deps, clock, store } = await pipelineOn(fx);
    for (const f of upToResolved) await deliverAsSes(mail(f), {}, deps);
    clock.advance((northwindConfig.lifecycle.reopenWithinDays + 1) * DAY);
    const [late] = await deliverAsSes(mail('c09-outlook-reply-broke-again-reopens.eml'), {}, deps);
    expect(late).toMatchObject({ outcome: 'created', ticket: 'TKT-2', status: 'open' });
    expect(late!.reason).toMatch(/\(TKT-1\), but the ticket was resolved at \S+, more than 14 days ago, and the reply is more than thanks .*: a new ticket linked to TKT-1$/);
    const [oldTicket, newTicket] = [await store.getTicketById(1), await store.getTicketById(2)];
    expect(oldTicket!.status).toBe('resolved');
    expect(newTicket!.linkedTo).toBe('TKT-1');
    const history = await store.listEvents(newTicket!.key);
    expect(history[0]).toMatchObject({ kind: 'created', from: 'TKT-1' });
  });
});
