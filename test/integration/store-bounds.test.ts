/**
 * Every item stays under DynamoDB's 400 KB: our own size check refuses an item that would not,
 * before anything of the write is sent; keys made of huge Message-IDs are hashed; and a mail
 * whose write DynamoDB refuses for good is quarantined with the reason, never a ghost ticket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/aws/dynamo-keys.js';
import { ItemTooLargeError, itemSize, MAX_ITEM_BYTES, Table } from '../../src/aws/dynamo-table.js';
import { deliverAsSes } from '../../src/local/ingest.js';
import { fixtureMail, northwindConfig, pipelineOn } from '../support/pipeline.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

describe('bounded items (dynalite)', () => {
  let fx: StackFixture;
  beforeAll(async () => {
    fx = await withLocalStack({ config: northwindConfig });
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  it('refuses an item over the limit before writing any item of the batch, naming it and its largest fields', async () => {
    const { config } = await pipelineOn(fx);
    const table = new Table(fx.clients.doc, config.aws.tableName);
    const small = { pk: 'Z#small', sk: 'Z', type: 'probe' };
    const huge = { pk: 'Z#huge', sk: 'Z', type: 'message', visibleText: 'x'.repeat(MAX_ITEM_BYTES + 1) };
    expect(itemSize(huge)).toBeGreaterThan(MAX_ITEM_BYTES);
    const refused = await table.batchWrite([small, huge]).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ItemTooLargeError);
    expect((refused as Error).message).toMatch(/the message item Z#huge would be \d+ KB \(limit 350 KB; largest: visibleText \d+ KB/);
    expect(await table.batchGet([{ pk: 'Z#small', sk: 'Z' }])).toEqual([]);
  });

  it('keys a Message-ID of any length: a long one by its hash, the whole id kept in the item', async () => {
    const longId = `${'a'.repeat(3000)}@mail.example`;
    expect(keys.threadKey(longId).pk).toMatch(/^K#sha256:[0-9a-f]{64}$/);
    expect(keys.threadKey('short@mail.example').pk).toBe('K#short@mail.example');
  });

  it('quarantines a mail whose write DynamoDB refuses for good, and lists no ticket for it', async () => {
    const { deps, store } = await pipelineOn(fx);
    // DynamoDB's own answer to an item over 400 KB, on the ticket's first write.
    const name = 'refuseTicketPut';
    fx.clients.dynamo.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutItemCommand') {
          throw Object.assign(new Error('Item size has exceeded the maximum allowed size'), { name: 'ValidationException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
        }
        return next(args);
      },
      { step: 'initialize', name },
    );
    try {
      const [result] = await deliverAsSes(fixtureMail('05-thunderbird-new-wifi-log.eml'), {}, deps);
      expect(result).toMatchObject({ outcome: 'quarantined', ticket: null });
      expect(result!.reason).toMatch(/^cannot be stored: Item size has exceeded the maximum allowed size; raw mail kept at inbound\//);
    } finally {
      fx.clients.dynamo.middlewareStack.remove(name);
    }
    expect(await store.listTickets()).toEqual([]);
    expect((await store.listQuarantine()).map((q) => q.reason)).toEqual(['cannot be stored: Item size has exceeded the maximum allowed size']);
  });
});
