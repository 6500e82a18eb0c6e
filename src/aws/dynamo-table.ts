/**
 * The single DynamoDB table, seen through the document client: batched reads and writes with
 * retries of unprocessed items, paged queries, conditional-write failures as `false`, and a
 * size check before every write so an item that would break DynamoDB's 400 KB limit is refused
 * here, whole and before anything is written, with an error that says which item and why.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type DeleteCommandInput,
  type DynamoDBDocumentClient,
  type PutCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';

export type Item = Record<string, unknown>;
export interface ItemKey {
  pk: string;
  sk: string;
}

const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;
const MAX_BATCH_RETRIES = 8;
/** DynamoDB refuses items over 400 KB; we stop well before, so a bound we missed shows as our error. */
export const MAX_ITEM_BYTES = 350 * 1024;

/** An update expression in parts: its clauses, with the attribute names and values they use. */
export interface UpdateParts {
  sets: string[];
  removes: string[];
  adds: string[];
  names: Record<string, string>;
  values: Record<string, unknown>;
}

export class StoreError extends Error {
  override name = 'StoreError';
}

/** A write we refuse because an item is too large: permanent, so the mail behind it is quarantined. */
export class ItemTooLargeError extends StoreError {
  override name = 'ItemTooLargeError';
}

/** DynamoDB's size of an item: attribute names plus values (UTF-8 strings, ~21 bytes a number, 3 bytes a list or map). */
export function itemSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number') return 21;
  if (value instanceof Set) return [...value].reduce((n: number, v) => n + itemSize(v), 3);
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + 1 + itemSize(v), 3);
  if (Buffer.isBuffer(value)) return value.length;
  return Object.entries(value as Item).reduce((n, [k, v]) => n + Buffer.byteLength(k) + 1 + itemSize(v), 3);
}

export function assertItemSize(item: Item): void {
  const size = itemSize(item);
  if (size > MAX_ITEM_BYTES) {
    const biggest = Object.entries(item)
      .map(([k, v]) => [k, itemSize(v)] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([k, n]) => `${k} ${Math.round(n / 1024)} KB`)
      .join(', ');
    throw new ItemTooLargeError(`the ${String(item.type ?? 'item')} item ${String(item.pk).slice(0, 80)} would be ${Math.round(size / 1024)} KB (limit ${MAX_ITEM_BYTES / 1024} KB; largest: ${biggest})`);
  }
}

export function isConditionFailure(err: unknown): boolean {
  return err instanceof ConditionalCheckFailedException || (err as { name?: string }).name === 'ConditionalCheckFailedException';
}

/** Resolves to false when the write's condition failed; every other error propagates. */
export function conditional(write: Promise<unknown>): Promise<boolean> {
  return write.then(
    () => true,
    (err: unknown) => {
      if (isConditionFailure(err)) return false;
      throw err;
    },
  );
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const backoff = (attempt: number) => new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));

export class Table {
  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly name: string,
  ) {}

  /** One item, strongly consistent: what a replay reads must be what the delivery before it wrote. */
  async get(key: ItemKey): Promise<Item | undefined> {
    return (await this.doc.send(new GetCommand({ TableName: this.name, Key: key, ConsistentRead: true }))).Item;
  }

  put(input: Omit<PutCommandInput, 'TableName'>): Promise<unknown> {
    return this.doc.send(new PutCommand({ ...input, TableName: this.name }));
  }

  update(input: Omit<UpdateCommandInput, 'TableName'>): Promise<Item | undefined> {
    return this.doc.send(new UpdateCommand({ ...input, TableName: this.name })).then((out) => out.Attributes);
  }

  /**
   * Updates an item that must exist (a missing one fails the condition) by the clauses given,
   * empty ones left out; with no clause at all nothing is sent.
   */
  async updateExisting(key: ItemKey, u: UpdateParts): Promise<void> {
    const clauses = { SET: u.sets, REMOVE: u.removes, ADD: u.adds };
    const expression = Object.entries(clauses)
      .filter(([, parts]) => parts.length)
      .map(([verb, parts]) => `${verb} ${parts.join(', ')}`)
      .join(' ');
    if (!expression) return;
    await this.update({
      Key: key,
      UpdateExpression: expression,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: u.names,
      ...(Object.keys(u.values).length ? { ExpressionAttributeValues: u.values } : {}),
    });
  }

  delete(input: Omit<DeleteCommandInput, 'TableName'>): Promise<unknown> {
    return this.doc.send(new DeleteCommand({ ...input, TableName: this.name }));
  }

  async batchGet(wanted: ItemKey[]): Promise<Item[]> {
    const unique = [...new Map(wanted.map((k) => [`${k.pk}|${k.sk}`, k])).values()];
    const results: Item[] = [];
    for (const part of chunk(unique, BATCH_GET_LIMIT)) {
      // Strongly consistent: a replay must see what the delivery before it wrote.
      let request: Record<string, { Keys: Item[]; ConsistentRead?: boolean }> | undefined = { [this.name]: { Keys: part as unknown as Item[], ConsistentRead: true } };
      for (let attempt = 0; request && Object.keys(request).length; attempt++) {
        if (attempt > MAX_BATCH_RETRIES) throw new StoreError(`BatchGet still throttled after ${MAX_BATCH_RETRIES} retries`);
        if (attempt) await backoff(attempt);
        const out = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        results.push(...(out.Responses?.[this.name] ?? []));
        request = out.UnprocessedKeys as typeof request;
      }
    }
    return results;
  }

  /**
   * Puts, last one per key wins; every item is size-checked before any is sent. Puts asked for
   * together (in the same turn of the event loop, so none waits for another) go out together:
   * one BatchWriteItem where there were several, and each caller hears when all of them landed.
   */
  async batchWrite(items: Item[]): Promise<void> {
    items.forEach(assertItemSize);
    if (!items.length) return;
    return new Promise((written, failed) => {
      if (!this.#together.length) queueMicrotask(() => this.#writeTogether());
      this.#together.push({ items, written, failed });
    });
  }

  #together: { items: Item[]; written: () => void; failed: (err: unknown) => void }[] = [];

  #writeTogether(): void {
    const calls = this.#together.splice(0);
    const unique = [...new Map(calls.flatMap((c) => c.items).map((i) => [`${i.pk}|${i.sk}`, i])).values()];
    this.#putAll(unique).then(
      () => calls.forEach((c) => c.written()),
      (err: unknown) => calls.forEach((c) => c.failed(err)),
    );
  }

  async #putAll(unique: Item[]): Promise<void> {
    await Promise.all(
      chunk(unique, BATCH_WRITE_LIMIT).map(async (part) => {
        let request: Record<string, { PutRequest: { Item: Item } }[]> | undefined = {
          [this.name]: part.map((Item) => ({ PutRequest: { Item } })),
        };
        for (let attempt = 0; request && Object.keys(request).length; attempt++) {
          if (attempt > MAX_BATCH_RETRIES) throw new StoreError(`BatchWrite still throttled after ${MAX_BATCH_RETRIES} retries`);
          if (attempt) await backoff(attempt);
          const out = await this.doc.send(new BatchWriteCommand({ RequestItems: request }));
          request = out.UnprocessedItems as typeof request;
        }
      }),
    );
  }

  async queryAll(input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.doc.send(new QueryCommand({ ...input, TableName: this.name, ExclusiveStartKey: start }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** One Query request: its items and where the next would start (none at the end). */
  async queryPage(input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>): Promise<{ items: Item[]; last: Item | undefined }> {
    const out = await this.doc.send(new QueryCommand({ ...input, TableName: this.name }));
    return { items: out.Items ?? [], last: out.LastEvaluatedKey };
  }

  async scanAll(filter: string, values: Item, names?: Record<string, string>): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.doc.send(
        new ScanCommand({ TableName: this.name, FilterExpression: filter, ExpressionAttributeValues: values, ExpressionAttributeNames: names, ExclusiveStartKey: start }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

/**
 * Takes the next number of a counter item for its owner (a ticket, an incident's forming ticket),
 * and remembers it on the counter under the owner's key (`p_<owner>`) until forgotten: null when
 * a number is remembered for that owner already (an earlier or concurrent take), to read back.
 */
export async function takeRememberedNumber(table: Table, counter: ItemKey, ownerKey: string): Promise<number | null> {
  const pending = rememberedNumber(ownerKey);
  try {
    const updated = await table.update({
      Key: counter,
      UpdateExpression: 'SET #n = if_not_exists(#n, :zero) + :one, #p = if_not_exists(#n, :zero) + :one',
      ConditionExpression: 'attribute_not_exists(#p)',
      ExpressionAttributeNames: { '#n': 'n', '#p': pending },
      ExpressionAttributeValues: { ':one': 1, ':zero': 0 },
      ReturnValues: 'UPDATED_NEW',
    });
    return updated?.[pending] as number;
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    return null;
  }
}

/** The counter attribute remembering the number taken for an owner. */
export const rememberedNumber = (ownerKey: string) => `p_${ownerKey}`;

