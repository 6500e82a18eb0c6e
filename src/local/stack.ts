/**
 * The embedded local stack: DynamoDB (dynalite), S3 (s3rver), SES and SNS (our endpoints) in this
 * process on free loopback ports, persisted under one data directory, so the app runs with the
 * real AWS SDK clients and no AWS account.
 */
import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { createClients, type AwsClients } from '../aws/clients.js';
import { dynamoTicketStore } from '../aws/dynamo-store.js';
import { createTableInput } from '../aws/table.js';
import { finishUpgrade, missingIndexes, rebuildTable } from './table-upgrade.js';
import type { Config } from '../config.js';
import { startSesEndpoint, type SesEndpoint } from './ses-endpoint.js';
import { startSnsEndpoint, type SnsEndpoint } from './sns-endpoint.js';
import { localChatSubscriber } from './chat-subscriber.js';
import { hasChatChannel } from '../chat/config.js';
import { LOCAL_CREDENTIALS, S3rver } from './s3rver.js';

export interface LocalEndpoints {
  dynamodb: string;
  s3: string;
  ses: string;
  sns: string;
}

export interface LocalClientConfig {
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export interface LocalStack {
  endpoints: LocalEndpoints;
  clientConfig: LocalClientConfig;
  /** Absolute. */
  dataDir: string;
  /** Stops every server (and releases the data dir) so the process can exit. */
  close(): Promise<void>;
}

export interface LocalStackOptions {
  /** Defaults to `.data` (relative to the working directory). */
  dataDir?: string;
  /** With a whole config that has chat channels, the chat adapter is subscribed to the local topic. */
  config: Pick<Config, 'aws'> | Config;
  /** Where the chat adapter's lines go (stderr by default). */
  log?: (line: string) => void;
  /** Fixed ports; 0 or absent picks a free one. */
  ports?: Partial<Record<keyof LocalEndpoints, number>>;
}

export type { AwsClients };

/** Either a started stack, or bare endpoints (e.g. DynamoDB Local in tests) plus a region. */
export type AwsClientTarget =
  | Pick<LocalStack, 'endpoints' | 'clientConfig'>
  | (LocalEndpoints & { region?: string });

export class LocalStackError extends Error {
  override name = 'LocalStackError';
}

/** The data dir's DynamoDB store is locked by another process (or another stack in this one). */
export class DataDirInUseError extends LocalStackError {
  override name = 'DataDirInUseError';
}

// dynalite and level (dynalite's own store) ship no types: typed here to what we use.
type Dynalite = (options: { createTableMs?: number; path?: string }) => Server;
interface LevelDb {
  open(): Promise<void>;
  close(): Promise<void>;
}
type LevelClass = new (path: string) => LevelDb;

const requireCjs = createRequire(import.meta.url);
const dynalite = requireCjs('dynalite') as Dynalite;
// The same `level` dynalite opens, so the lock probe sees exactly what dynalite would.
const { Level } = createRequire(requireCjs.resolve('dynalite'))('level') as { Level: LevelClass };

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dataDir = resolve(options.dataDir ?? '.data');
  const { region, tableName, bucket } = options.config.aws;
  const closers: Array<() => Promise<void>> = [];
  let stackFailed: (err: Error) => void = () => undefined;
  const closeAll = async (): Promise<void> => {
    const errors: unknown[] = [];
    for (const close of closers.splice(0).reverse()) {
      await close().catch((err: unknown) => errors.push(err));
    }
    if (errors.length) throw new LocalStackError(`closing the local stack in ${dataDir} failed`, { cause: errors[0] });
  };

  try {
    await mkdir(dataDir, { recursive: true });

    const dynamoDir = join(dataDir, 'dynamodb');
    await assertDynamoDirFree(dataDir, dynamoDir);
    const dynamoServer = dynalite({ createTableMs: 0, path: dynamoDir });
    const dynamoPort = await listen(dynamoServer, options.ports?.dynamodb ?? 0);
    closers.push(() => closeServer(dynamoServer));

    const s3Dir = join(dataDir, 's3');
    await mkdir(s3Dir, { recursive: true });
    const s3rver = new S3rver({ port: options.ports?.s3 ?? 0, address: '127.0.0.1', silent: true, directory: s3Dir });
    const s3Address = await s3rver.run();
    closers.push(() => s3rver.close());

    const ses: SesEndpoint = await startSesEndpoint({
      dir: join(dataDir, 'outbox'),
      port: options.ports?.ses ?? 0,
      region,
    });
    closers.push(() => ses.close());

    // Published ticket events; readPublished(`<data>/sns`) reads them back. The chat adapter,
    // when configured, gets each one once the stack is up (its DynamoDB client needs the stack).
    let started: (stack: LocalStack) => void = () => undefined;
    let failed: (err: Error) => void = () => undefined;
    const up = new Promise<LocalStack>((done, fail) => ((started = done), (failed = fail)));
    up.catch(() => undefined);
    stackFailed = (err) => failed(err);
    let chatClients: AwsClients | null = null;
    const config = options.config;
    const log = options.log ?? ((line: string) => console.error(line));
    const subscriber =
      'chat' in config && hasChatChannel(config.chat)
        ? localChatSubscriber(config, async () => (chatClients ??= createAwsClients(await up)), log)
        : undefined;
    if (subscriber && !(config as Config).events.snsTopicArn) log('chat: chat channels are configured but events.snsTopicArn is not, so no ticket events are published and nothing reaches chat (locally any topic ARN in the region works)');
    closers.push(async () => chatClients?.destroy());
    const sns: SnsEndpoint = await startSnsEndpoint({
      dir: join(dataDir, 'sns'),
      port: options.ports?.sns ?? 0,
      region,
      ...(subscriber ? { subscriber, log } : {}),
    });
    closers.push(() => sns.close());

    const stack: LocalStack = {
      endpoints: {
        dynamodb: `http://127.0.0.1:${dynamoPort}`,
        s3: `http://127.0.0.1:${s3Address.port}`,
        ses: ses.url,
        sns: sns.url,
      },
      clientConfig: { region, credentials: { ...LOCAL_CREDENTIALS } },
      dataDir,
      close: closeAll,
    };

    const clients = createAwsClients(stack);
    try {
      await ensureTable(clients.dynamo, tableName);
      // Tickets from a version before the byActivity index go into it (a Scan of a local table: cheap).
      await dynamoTicketStore(clients.doc, tableName).reindexTickets();
      await ensureBucket(clients.s3, bucket);
    } finally {
      clients.destroy();
    }
    started(stack);
    return stack;
  } catch (err) {
    stackFailed(new LocalStackError('the local stack did not start'));
    await closeAll().catch(() => undefined);
    if (err instanceof LocalStackError) throw err;
    throw new LocalStackError(`cannot start the local stack in ${dataDir}: ${(err as Error).message}`, { cause: err });
  }
}

/** Local endpoints as SDK clients (the one place clients are made is src/aws/clients.ts). */
export function createAwsClients(target: AwsClientTarget): AwsClients {
  const endpoints = 'endpoints' in target ? target.endpoints : target;
  const clientConfig =
    'clientConfig' in target
      ? target.clientConfig
      : { region: target.region ?? 'eu-west-1', credentials: { ...LOCAL_CREDENTIALS } };
  return createClients({ ...clientConfig, endpoints });
}

/**
 * Creates the table if missing and waits until it is ACTIVE. A table from an older version
 * that lacks an index is rebuilt with it (src/local/table-upgrade.ts), and an upgrade that
 * stopped half-way is finished first.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await finishUpgrade(client, tableName);
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
    } catch (err) {
      if (!(err instanceof ResourceInUseException)) throw err;
    }
    await tableActive(client, tableName);
    const missing = await missingIndexes(client, tableName);
    if (missing.length) await rebuildTable(client, tableName);
  } catch (err) {
    if (err instanceof LocalStackError) throw err;
    throw new LocalStackError(`cannot create or upgrade table ${tableName}: ${(err as Error).message}`, { cause: err });
  }
}

/** Waits until the table and its indexes are ACTIVE (30 s at most). */
export async function tableActive(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (Date.now() > deadline) throw new LocalStackError(`table ${tableName} did not become ACTIVE within 30 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Creates the bucket if missing. */
export async function ensureBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'BucketAlreadyOwnedByYou' || name === 'BucketAlreadyExists') return;
    throw new LocalStackError(`cannot create bucket ${bucket}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * dynalite opens its LevelDB lazily and, when the LOCK is held elsewhere, fails later with an
 * uncaught iterator error. So open (and close) the store ourselves first and turn a held lock
 * into a clear message. A process taking the lock in the few ms between is not covered.
 */
async function assertDynamoDirFree(dataDir: string, dynamoDir: string): Promise<void> {
  const probe = new Level(dynamoDir);
  try {
    await probe.open();
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    if (cause?.code === 'LEVEL_LOCKED') {
      throw new DataDirInUseError(
        `another ticketing process is using ${dataDir} (its DynamoDB store ${dynamoDir} is locked); stop it or use another data dir`,
        { cause: err },
      );
    }
    throw new LocalStackError(`cannot open the DynamoDB store in ${dynamoDir}: ${(err as Error).message}`, { cause: err });
  }
  await probe.close();
}

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((done, fail) => {
    const onError = (err: Error): void => fail(err);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      done();
    });
  });
  return (server.address() as AddressInfo).port;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((done, fail) => {
    server.close((err) => (err ? fail(err) : done()));
    server.closeIdleConnections();
  });
}
