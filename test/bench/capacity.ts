/**
 * DynamoDB capacity on a client: every data request asks for ReturnConsumedCapacity, and the
 * units are summed by reads and writes, with the items each request read. A conditional write
 * that fails still costs a write unit on DynamoDB (and reports none): counted as one; an empty
 * query still costs its minimum read.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

export interface Capacity {
  readRequests: number;
  writeRequests: number;
  /** Read request units, as DynamoDB bills them on demand (eventually consistent reads count half). */
  readUnits: number;
  writeUnits: number;
  itemsRead: number;
  /** Conditional writes whose condition failed (one write unit each). */
  failedConditions: number;
  byOperation: Record<string, number>;
}

const empty = (): Capacity => ({ readRequests: 0, writeRequests: 0, readUnits: 0, writeUnits: 0, itemsRead: 0, failedConditions: 0, byOperation: {} });

type Consumed = { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;
const unitsOf = (c: Consumed) => (Array.isArray(c) ? c : c ? [c] : []).reduce((n, x) => n + (x.CapacityUnits ?? 0), 0);

export function countCapacity(client: DynamoDBClient) {
  let counts = empty();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const op = String(context.commandName).replace(/Command$/, '');
      const isRead = READS.has(op);
      if (!isRead && !WRITES.has(op)) return next(args);
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
      counts.byOperation[op] = (counts.byOperation[op] ?? 0) + 1;
      if (isRead) counts.readRequests++;
      else counts.writeRequests++;
      try {
        const result = await next(args);
        const out = result.output as { ConsumedCapacity?: Consumed; Items?: unknown[]; Item?: unknown; Responses?: Record<string, unknown[]> };
        let units = unitsOf(out.ConsumedCapacity);
        // DynamoDB bills a query or scan that reads nothing as one 4 KB read; dynalite reports 0.
        if ((op === 'Query' || op === 'Scan') && units === 0) units = (args.input as { ConsistentRead?: boolean }).ConsistentRead ? 1 : 0.5;
        if (isRead) {
          counts.readUnits += units;
          counts.itemsRead += out.Items?.length ?? (out.Item ? 1 : 0) + Object.values(out.Responses ?? {}).reduce((n, r) => n + r.length, 0);
        } else counts.writeUnits += units;
        return result;
      } catch (err) {
        if ((err as { name?: string }).name === 'ConditionalCheckFailedException') {
          counts.failedConditions++;
          counts.writeUnits += 1;
        }
        throw err;
      }
    },
    { step: 'initialize', name: 'countCapacity' },
  );
  return {
    reset() {
      counts = empty();
    },
    get: (): Capacity => ({ ...counts, byOperation: { ...counts.byOperation } }),
  };
}
