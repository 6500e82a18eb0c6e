/**
 * A local data directory made by an older version has a table without an index this version
 * reads. dynalite cannot add an index to a table, so the table is rebuilt through a spare copy:
 * copy everything to `<table>-upgrade` and mark the copy complete (the mark is the copy's last
 * write), then drop the table, create it with every index, copy back and drop the spare.
 *
 * Safe to stop at any step: until the mark exists the original is untouched, and once it exists
 * every start finishes from the spare (which is whole) before anything else reads the table.
 */
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { Table } from '../aws/dynamo-table.js';
import { createTableInput } from '../aws/table.js';

/** Written to the spare after its last copied item: the copy is whole. Never copied back. */
const COPY_COMPLETE = { pk: 'Z#upgrade', sk: 'complete' };
const WAIT_MS = 30_000;

export class TableUpgradeError extends Error {
  override name = 'TableUpgradeError';
}

export const spareTableName = (tableName: string) => `${tableName}-upgrade`;

/** The indexes this version declares that the table lacks (none for a table that does not exist). */
export async function missingIndexes(client: DynamoDBClient, tableName: string): Promise<string[]> {
  const table = await describe(client, tableName);
  if (!table) return [];
  const present = new Set((table.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  return (createTableInput(tableName).GlobalSecondaryIndexes ?? []).map((index) => index.IndexName!).filter((name) => !present.has(name));
}

/** Finishes an upgrade that stopped after its copy was whole; false when there is none to finish. */
export async function finishUpgrade(client: DynamoDBClient, tableName: string): Promise<boolean> {
  const spare = spareTableName(tableName);
  if (!(await copyIsWhole(client, spare))) return false;
  await dropTable(client, tableName);
  await createTable(client, tableName);
  await copyItems(client, spare, tableName);
  await dropTable(client, spare);
  return true;
}

/** Rebuilds the table with every index this version declares, keeping every item. */
export async function rebuildTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const spare = spareTableName(tableName);
  if (!(await copyIsWhole(client, spare))) {
    // A spare without the mark is an interrupted copy: start it again from the untouched original.
    await dropTable(client, spare);
    await createTable(client, spare);
    await copyItems(client, tableName, spare);
    await documents(client).send(new PutCommand({ TableName: spare, Item: { ...COPY_COMPLETE } }));
  }
  await finishUpgrade(client, tableName);
}

async function copyIsWhole(client: DynamoDBClient, spare: string): Promise<boolean> {
  const table = await describe(client, spare);
  if (!table) return false;
  // Being dropped: the upgrade had finished (or was starting over) when it stopped.
  if (table.TableStatus === 'DELETING') {
    await waitFor(client, spare, (t) => t === null);
    return false;
  }
  await waitFor(client, spare, (t) => t?.TableStatus === 'ACTIVE');
  const { Item } = await documents(client).send(new GetCommand({ TableName: spare, Key: COPY_COMPLETE, ConsistentRead: true }));
  return Item !== undefined;
}

async function copyItems(client: DynamoDBClient, from: string, to: string): Promise<void> {
  const doc = documents(client);
  const items = await new Table(doc, from).scanAll('NOT (pk = :z AND sk = :c)', { ':z': COPY_COMPLETE.pk, ':c': COPY_COMPLETE.sk });
  await new Table(doc, to).batchWrite(items);
}

async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
  }
  await waitFor(client, tableName, (table) => table?.TableStatus === 'ACTIVE' && (table.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE'));
}

async function dropTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const table = await describe(client, tableName);
  if (!table) return;
  // Being dropped by the run that stopped: asked again, dynalite would drop a table created after.
  if (table.TableStatus !== 'DELETING') {
    // A table still being created cannot be dropped yet.
    if (table.TableStatus === 'CREATING') await waitFor(client, tableName, (t) => t?.TableStatus !== 'CREATING');
    try {
      await client.send(new DeleteTableCommand({ TableName: tableName }));
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
    }
  }
  await waitFor(client, tableName, (t) => t === null);
}

type TableDescription = NonNullable<Awaited<ReturnType<typeof describe>>>;

async function describe(client: DynamoDBClient, tableName: string) {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table ?? null;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return null;
    throw err;
  }
}

async function waitFor(client: DynamoDBClient, tableName: string, done: (table: TableDescription | null) => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!done(await describe(client, tableName))) {
    if (Date.now() > deadline) throw new TableUpgradeError(`table ${tableName} did not settle within ${WAIT_MS / 1000} s while upgrading it`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function documents(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
