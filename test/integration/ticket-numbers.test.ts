/**
 * Ticket numbers on the table (src/aws/dynamo-tickets.ts): a number is remembered under its
 * ticket's key until the ticket holds it, and forgetting it must not forget a number a later copy
 * of the same mail took meanwhile — or a third copy takes yet another, and one is burnt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { northwindConfig, pipelineOn } from '../support/pipeline.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

describe.each(['dynalite', 'dynamodb-local'] as const)('ticket numbers (%s)', (backend) => {
  let fx: StackFixture;
  beforeAll(async () => {
    fx = await withLocalStack({ dynamo: backend, config: northwindConfig });
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  it("forgets a ticket's remembered number only while it is that number: a late copy's take is kept, and no number is burnt", async () => {
    const { store } = await pipelineOn(fx);
    expect(await store.nextTicketNumber('t1')).toEqual({ number: 1, ours: true });
    // The writer numbered t1 with 1 and forgot it; a copy that looked before the ticket existed takes a fresh one.
    await store.forgetTicketNumber('t1', 1);
    expect(await store.nextTicketNumber('t1')).toEqual({ number: 2, ours: true });
    // Another copy's forget of 1 arrives late: the 2 stays remembered, so a third copy takes the same 2.
    await store.forgetTicketNumber('t1', 1);
    expect(await store.nextTicketNumber('t1')).toEqual({ number: 2, ours: false });
    // The copy that took 2 finds t1 numbered 1 and gives 2 back: the next ticket is 2.
    expect(await store.returnTicketNumber('t1', 2)).toBe(true);
    expect(await store.nextTicketNumber('t2')).toEqual({ number: 2, ours: true });
  });
});
