/**
 * The ticket table as the one object the pipeline's entry points take (`TicketStore`): each
 * port's methods are its adapter's, bound to it. As in Powertools' idempotency persistence
 * layer, the logic stays above (the pipeline); each adapter holds a few narrow methods of one
 * concept, on the one table: tickets and threads, the delivery ledger, the jobs' records.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TicketStore } from '../pipeline/ports.js';
import { DynamoIncidentBook } from './dynamo-incidents.js';
import { DynamoJobRecords } from './dynamo-jobs.js';
import { DynamoDeliveryLedger } from './dynamo-ledger.js';
import { Table } from './dynamo-table.js';
import { DynamoTicketBook } from './dynamo-tickets.js';

export function dynamoTicketStore(doc: DynamoDBDocumentClient, tableName: string): TicketStore {
  const table = new Table(doc, tableName);
  return joinAdapters(new DynamoTicketBook(table), new DynamoDeliveryLedger(table), new DynamoJobRecords(table), new DynamoIncidentBook(table));
}

type Joined<T extends object[]> = T extends [infer First, ...infer Rest extends object[]] ? First & Joined<Rest> : unknown;

/**
 * The adapters' public methods (their own and inherited) on one object, each bound to its
 * adapter; helpers are `#private`, so not among them. A name two adapters answer is refused.
 */
function joinAdapters<T extends object[]>(...adapters: T): Joined<T> {
  const joined: Record<string, unknown> = {};
  const owner = new Map<string, object>();
  for (const adapter of adapters) {
    for (let proto: object | null = Object.getPrototypeOf(adapter); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const name of Object.getOwnPropertyNames(proto)) {
        const method: unknown = Reflect.get(adapter, name);
        if (name === 'constructor' || typeof method !== 'function' || owner.get(name) === adapter) continue;
        if (owner.has(name)) throw new TypeError(`two store adapters answer ${name}: ${owner.get(name)!.constructor.name} and ${adapter.constructor.name}`);
        owner.set(name, adapter);
        joined[name] = method.bind(adapter);
      }
    }
  }
  return joined as Joined<T>;
}
