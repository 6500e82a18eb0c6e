/**
 * The store the composition root hands out joins one adapter per concept on one table: each
 * method is there once and bound to its adapter (callable on its own, as the effect runner and
 * the Lambdas' metric wrapper call it), and no adapter's helper shows through.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamoTicketStore } from '../../src/aws/dynamo-store.js';

/** A document client that answers every BatchGet with one stale-job run, and remembers what it was sent. */
function recordingClient() {
  const sent: { name: string; input: Record<string, unknown> }[] = [];
  const run = { pk: 'J#stale#last', sk: 'J', type: 'stale-run', slot: '2026-11-23T08:00', startedAt: 'a', finishedAt: 'b', result: null, flaggedKeys: [] };
  const doc = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      sent.push({ name: command.constructor.name, input: command.input });
      return { Responses: { tickets: [run] } };
    },
  } as unknown as DynamoDBDocumentClient;
  return { doc, sent };
}

describe('the joined ticket store', () => {
  it('answers each port method from its own adapter, bound, on the table it was given', async () => {
    const { doc, sent } = recordingClient();
    const store = dynamoTicketStore(doc, 'tickets');
    const { lastStaleRun } = store;

    const run = await lastStaleRun();

    expect(run).toMatchObject({ slot: '2026-11-23T08:00' });
    expect(sent).toEqual([{ name: 'BatchGetCommand', input: { RequestItems: { tickets: { Keys: [{ pk: 'J#stale#last', sk: 'J' }], ConsistentRead: true } } } }]);
  });

  it('shows the ports\' methods only: no helper, no table, no constructor', () => {
    const store = dynamoTicketStore(recordingClient().doc, 'tickets');
    const names = Object.keys(store);

    expect(names).toEqual(expect.arrayContaining(['lookUpInbound', 'takeSlot', 'putPlan', 'settleEffects', 'claimStaleRun', 'leaseMailbox']));
    expect(names.filter((n) => ['constructor', 'table', 'claim', 'partition', 'updateTicket', 'touchRequester'].includes(n))).toEqual([]);
    expect(Object.values(store).every((method) => typeof method === 'function')).toBe(true);
  });
});
