/**
 * A fresh local stack in a temp dir for one integration test (or describe block), with
 * DynamoDB served by dynalite (the stack's own) or by Amazon DynamoDB Local.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type Config } from '../../src/config.js';
import {
  createAwsClients,
  ensureTable,
  startLocalStack,
  type AwsClients,
  type LocalEndpoints,
  type LocalStack,
} from '../../src/local/stack.js';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.js';

export type DynamoBackend = 'dynalite' | 'dynamodb-local';

export interface StackFixtureOptions {
  dynamo?: DynamoBackend;
  config?: Config;
}

export interface StackFixture {
  config: Config;
  /** The stack itself (its dynalite stays unused when dynamo is 'dynamodb-local'). */
  stack: LocalStack;
  /** What the clients talk to: the stack's, with DynamoDB Local's endpoint swapped in if chosen. */
  endpoints: LocalEndpoints;
  clients: AwsClients;
  dataDir: string;
  /** Stops everything and deletes the temp dir; safe to call twice. */
  cleanup(): Promise<void>;
}

export async function withLocalStack(options: StackFixtureOptions = {}): Promise<StackFixture> {
  const config = options.config ?? parseConfig({});
  const dataDir = await mkdtemp(join(tmpdir(), 'ticketing-stack-'));
  let stack: LocalStack | undefined;
  let dynamoDbLocal: DynamoDbLocal | undefined;
  let clients: AwsClients | undefined;
  const cleanup = async (): Promise<void> => {
    clients?.destroy();
    clients = undefined;
    await dynamoDbLocal?.stop();
    dynamoDbLocal = undefined;
    await stack?.close();
    stack = undefined;
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    stack = await startLocalStack({ dataDir, config });
    let endpoints = stack.endpoints;
    if (options.dynamo === 'dynamodb-local') {
      dynamoDbLocal = await startDynamoDbLocal();
      endpoints = { ...endpoints, dynamodb: dynamoDbLocal.endpoint };
    }
    clients = createAwsClients({ endpoints, clientConfig: stack.clientConfig });
    if (dynamoDbLocal) await ensureTable(clients.dynamo, config.aws.tableName);
    return { config, stack, endpoints, clients, dataDir, cleanup };
  } catch (err) {
    await cleanup().catch(() => undefined);
    throw err;
  }
}
