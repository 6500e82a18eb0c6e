/**
 * The local stack with the real AWS SDK clients: DynamoDB behaviour on dynalite and on Amazon
 * DynamoDB Local (same assertions), S3 on s3rver, SES SendRawEmail on our endpoint, persistence
 * across a restart, and the data-dir lock.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConditionalCheckFailedException, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SendRawEmailCommand } from '@aws-sdk/client-ses';
import { TABLE_KEYS } from '../../src/aws/table.js';
import { parseConfig } from '../../src/config.js';
import { readOutbox } from '../../src/local/ses-endpoint.js';
import {
  createAwsClients,
  DataDirInUseError,
  ensureBucket,
  ensureTable,
  startLocalStack,
  type LocalStack,
} from '../../src/local/stack.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';

const config = parseConfig({});
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const SES_ID = /^0102[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-000000$/;

function rawMail(subject: string): Buffer {
  return Buffer.from(
    [
      'From: IT Support <support@example.com>',
      'To: Alice <alice@example.org>',
      `Subject: ${subject}`,
      // Folded, to prove the whole original header goes.
      'Message-ID:',
      ' <original-123@mail.example.com>',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Your ticket TKT-1 was received.',
      '',
    ].join('\r\n'),
  );
}

describe.each(['dynalite', 'dynamodb-local'] as const)('DynamoDB on %s', (dynamo) => {
  let fx: StackFixture;
  beforeAll(async () => {
    fx = await withLocalStack({ dynamo });
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  it('has the table with its three GSIs, and ensureTable is idempotent', async () => {
    await ensureTable(fx.clients.dynamo, config.aws.tableName);
    const { Table } = await fx.clients.dynamo.send(new DescribeTableCommand({ TableName: config.aws.tableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(
      [TABLE_KEYS.byRequester.name, TABLE_KEYS.openByActivity.name, TABLE_KEYS.byActivity.name].sort(),
    );
  });

  it('refuses a conditional put over an existing item', async () => {
    const put = (subject: string) =>
      fx.clients.doc.send(
        new PutCommand({
          TableName: config.aws.tableName,
          Item: { pk: 'T#cond', sk: 'T', subject, notSet: undefined },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    await put('first');
    await expect(put('second')).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    const { Item } = await fx.clients.doc.send(
      new GetCommand({ TableName: config.aws.tableName, Key: { pk: 'T#cond', sk: 'T' } }),
    );
    expect(Item).toEqual({ pk: 'T#cond', sk: 'T', subject: 'first' });
  });

  it('queries both GSIs in sort-key order, and they are sparse', async () => {
    const { byRequester, openByActivity } = TABLE_KEYS;
    const ticket = (key: string, at: string, open: boolean) => ({
      pk: `T#${key}`,
      sk: 'T',
      ...(open && {
        [byRequester.pk]: 'REQ#alice@example.org',
        [byRequester.sk]: at,
        [openByActivity.pk]: 'OPEN#P2',
        [openByActivity.sk]: at,
      }),
    });
    for (const item of [
      ticket('q2', '2025-01-02T00:00:00Z', true),
      ticket('q1', '2025-01-01T00:00:00Z', true),
      ticket('q3', '2025-01-03T00:00:00Z', false),
    ]) {
      await fx.clients.doc.send(new PutCommand({ TableName: config.aws.tableName, Item: item }));
    }
    for (const index of [byRequester, openByActivity]) {
      const { Items } = await fx.clients.doc.send(
        new QueryCommand({
          TableName: config.aws.tableName,
          IndexName: index.name,
          KeyConditionExpression: '#pk = :pk AND #sk >= :since',
          ExpressionAttributeNames: { '#pk': index.pk, '#sk': index.sk },
          ExpressionAttributeValues: {
            ':pk': index === byRequester ? 'REQ#alice@example.org' : 'OPEN#P2',
            ':since': '2025-01-01T00:00:00Z',
          },
        }),
      );
      expect(Items?.map((item) => item.pk)).toEqual(['T#q1', 'T#q2']);
    }
  });
});

describe('S3 on s3rver and SES on the local endpoint', () => {
  let fx: StackFixture;
  beforeAll(async () => {
    fx = await withLocalStack({ dynamo: 'dynalite' });
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  it('puts and gets an object, and ensureBucket is idempotent', async () => {
    await ensureBucket(fx.clients.s3, config.aws.bucket);
    const Key = `${config.aws.inboundPrefix}msg-1`;
    await fx.clients.s3.send(new PutObjectCommand({ Bucket: config.aws.bucket, Key, Body: rawMail('stored') }));
    const got = await fx.clients.s3.send(new GetObjectCommand({ Bucket: config.aws.bucket, Key }));
    expect(Buffer.from(await got.Body!.transformToByteArray())).toEqual(rawMail('stored'));
  });

  it('sends through SESClient and stores the mail with the SES Message-ID', async () => {
    const { MessageId } = await fx.clients.ses.send(
      new SendRawEmailCommand({
        Source: 'support@example.com',
        Destinations: ['alice@example.org', 'bob@example.org'],
        RawMessage: { Data: rawMail('Re: printer') },
      }),
    );
    expect(MessageId).toMatch(SES_ID);

    const outbox = await readOutbox(join(fx.dataDir, 'outbox'));
    const entry = outbox.find((e) => e.sesMessageId === MessageId);
    expect(entry).toMatchObject({
      messageIdHeader: `<${MessageId}@eu-west-1.amazonses.com>`,
      source: 'support@example.com',
      destinations: ['alice@example.org', 'bob@example.org'],
    });
    const stored = await readFile(entry!.rawPath, 'latin1');
    expect(stored).toContain(`\r\nMessage-ID: <${MessageId}@eu-west-1.amazonses.com>\r\n`);
    expect(stored).not.toContain('original-123');
    expect(stored.match(/^Message-ID:/gim)).toHaveLength(1);
    expect(stored).toContain('\r\n\r\nYour ticket TKT-1 was received.\r\n');
  });

  it('answers unknown actions and bad data with SES XML errors', async () => {
    const post = (body: string) =>
      fetch(fx.endpoints.ses, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    const unknown = await post('Action=SendEmail&Version=2010-12-01');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toMatch(/<ErrorResponse[^>]*><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/);

    const badBase64 = await post('Action=SendRawEmail&RawMessage.Data=%25%25not-base64');
    expect(badBase64.status).toBe(400);
    expect(await badBase64.text()).toContain('<Code>InvalidParameterValue</Code>');

    await expect(
      fx.clients.ses.send(new SendRawEmailCommand({ RawMessage: { Data: new Uint8Array() } })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('lists sent mail as escaped HTML and as JSON', async () => {
    await fx.clients.ses.send(new SendRawEmailCommand({ RawMessage: { Data: rawMail('<script>alert(1)</script> & co') } }));
    const html = await (await fetch(`${fx.endpoints.ses}/`)).text();
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; co');
    expect(html).not.toContain('<script>');
    expect(html).toContain('alice@example.org');

    const json = (await (await fetch(`${fx.endpoints.ses}/messages`)).json()) as Array<{ seq: number }>;
    expect(json.map((e) => e.seq)).toEqual((await readOutbox(join(fx.dataDir, 'outbox'))).map((e) => e.seq));
    expect(json.length).toBeGreaterThan(0);
  });
});

describe('persistence and the data-dir lock', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ticketing-persist-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps DynamoDB items, S3 objects and sent mail across a restart', async () => {
    const Key = { pk: 'T#persist', sk: 'T' };
    let stack = await startLocalStack({ dataDir, config });
    let clients = createAwsClients(stack);
    try {
      await clients.doc.send(new PutCommand({ TableName: config.aws.tableName, Item: { ...Key, subject: 'kept' } }));
      await clients.s3.send(new PutObjectCommand({ Bucket: config.aws.bucket, Key: 'kept.eml', Body: 'kept' }));
      await clients.ses.send(new SendRawEmailCommand({ RawMessage: { Data: rawMail('first') } }));
    } finally {
      clients.destroy();
      await stack.close();
    }

    stack = await startLocalStack({ dataDir, config });
    clients = createAwsClients(stack);
    try {
      const { Item } = await clients.doc.send(new GetCommand({ TableName: config.aws.tableName, Key }));
      expect(Item?.subject).toBe('kept');
      const object = await clients.s3.send(new GetObjectCommand({ Bucket: config.aws.bucket, Key: 'kept.eml' }));
      expect(await object.Body!.transformToString()).toBe('kept');
      await clients.ses.send(new SendRawEmailCommand({ RawMessage: { Data: rawMail('second') } }));
      expect((await readOutbox(join(dataDir, 'outbox'))).map((e) => e.seq)).toEqual([1, 2]);
    } finally {
      clients.destroy();
      await stack.close();
    }
  });

  it('refuses a data dir that another process is using, and that process still exits cleanly', async () => {
    // The other process starts a stack, waits for its stdin to close, closes the stack and must
    // then exit by itself (no process.exit): that also proves close() leaves nothing running.
    const script = `
      const { startLocalStack } = await import('./src/local/stack.ts');
      const stack = await startLocalStack({ dataDir: process.env.DATA_DIR, config: { aws: ${JSON.stringify(config.aws)} } });
      console.log('ready');
      process.stdin.resume();
      process.stdin.on('end', () => stack.close().then(() => console.log('closed')));
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: repoRoot,
      env: { ...process.env, DATA_DIR: dataDir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      await expect
        .poll(() => stdout, { timeout: 20_000, interval: 50 })
        .toContain('ready');

      const attempt = startLocalStack({ dataDir, config });
      await expect(attempt).rejects.toBeInstanceOf(DataDirInUseError);
      await expect(attempt).rejects.toThrow(`another ticketing process is using ${dataDir}`);
    } finally {
      child.stdin.end();
    }
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 15_000))]);
    if (code === 'still running') child.kill('SIGKILL');
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('closed');

    // Released: this process can take the dir now.
    const stack: LocalStack = await startLocalStack({ dataDir, config });
    await stack.close();
  });

  it('refuses a data dir that a stack in this process is using', async () => {
    const stack = await startLocalStack({ dataDir, config });
    try {
      await expect(startLocalStack({ dataDir, config })).rejects.toBeInstanceOf(DataDirInUseError);
    } finally {
      await stack.close();
    }
  });
});
