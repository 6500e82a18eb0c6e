/**
 * `ticketing … --stack NAME` against a deployed stack, with moto standing in for AWS: a stack
 * made by moto's CloudFormation (table, bucket, topic, and the outputs the CLI reads), raw mail
 * in its bucket as SES's S3 action leaves it, and every command that runs on a deployed stack.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, type Moto } from '../support/moto.js';
import { createTicketingStack } from '../support/moto-stack.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const northwind = JSON.parse(readFileSync(join(root, 'fixtures/northwind.config.json'), 'utf8')) as Record<string, unknown>;
const mail = (name: string) => readFileSync(join(root, 'fixtures/mail', name));

describe('ticketing --stack (a deployed stack, moto)', () => {
  let moto: Moto;
  let dir: string;
  let bucket: string;
  const ticketing = async (args: string[], env: Record<string, string | undefined> = moto.env) => {
    try {
      const out = await run(process.execPath, [join(root, 'src/bin/ticketing.mjs'), ...args], { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1', ...env } });
      return { code: 0, stdout: out.stdout, stderr: out.stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  const json = <T>(out: { stdout: string }): T => JSON.parse(out.stdout) as T;
  const aws = () => ({ region: 'eu-west-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'moto', secretAccessKey: 'moto' } });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ticketing-cli-stack-'));
    moto = await startMoto('eu-west-1');
    await createTicketingStack(moto, 'Ticketing-test', { config: { ...northwind, teamName: 'Northwind IT (stack)' } });
    await createTicketingStack(moto, 'Ticketing-old', { config: northwind, withoutConfigOutput: true });
    const cfn = new CloudFormationClient(aws());
    const s3 = new S3Client({ ...aws(), forcePathStyle: true });
    try {
      const outputs = (await cfn.send(new DescribeStacksCommand({ StackName: 'Ticketing-test' }))).Stacks![0]!.Outputs!;
      bucket = outputs.find((o) => o.OutputKey === 'MailBucketName')!.OutputValue!;
      // What SES's S3 action leaves: raw mail under the inbound prefix.
      for (const [key, file] of [
        ['inbound/ses0001', '01-outlook-new-vpn-down.eml'],
        ['inbound/ses0002', '02-owa-reply-cc-colleague-vpn.eml'],
        ['inbound/ses0005', '05-thunderbird-new-wifi-log.eml'],
      ] as const) {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: mail(file) }));
      }
    } finally {
      cfn.destroy();
      s3.destroy();
    }
  }, 120_000);
  afterAll(async () => {
    await moto?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('replays raw mail into the stack, then lists, shows and exports it, with the stack config', async () => {
    const replayed = await ticketing(['replay', 'inbound/ses0001', 'inbound/ses0002', 'inbound/ses0005', '--stack', 'Ticketing-test', '--now', '2026-11-23T08:00:00Z']);
    expect(replayed.code).toBe(0);
    expect(replayed.stderr).toMatch(/^ticketing: stack Ticketing-test in eu-west-1 \(table Ticketing-test-Table-\S+, bucket ticketing-test-mailbucket-\S+\); config: the stack's TicketingConfig output\n$/);
    const lines = replayed.stdout.trim().split('\n').map((l) => JSON.parse(l) as { outcome: string; ticket: string });
    expect(lines.map((l) => [l.outcome, l.ticket])).toEqual([
      ['created', 'TKT-1'],
      ['appended', 'TKT-1'],
      ['created', 'TKT-2'],
    ]);

    const tickets = json<{ id: string; requester: string }[]>(await ticketing(['tickets', '--json', '--stack', 'Ticketing-test']));
    expect(tickets.map((t) => [t.id, t.requester])).toEqual([
      ['TKT-1', 'maria.garcia@northwind.example'],
      ['TKT-2', 'lars.nilsson@northwind.example'],
    ]);
    const show = await ticketing(['show', 'TKT-1', '--stack', 'Ticketing-test']);
    expect(show.stdout).toMatch(/^TKT-1 {2}VPN down/);
    expect(show.stdout).toContain('Also on the ticket: tom.becker@northwind.example');
    const missing = await ticketing(['show', 'TKT-9', '--stack', 'Ticketing-test']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('No ticket TKT-9 in stack Ticketing-test.');

    const file = join(dir, 'export.jsonl');
    const exported = await ticketing(['export', '--stack', 'Ticketing-test', '--out', file]);
    expect(exported.code).toBe(0);
    const rows = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; messages: unknown[]; history: unknown[] });
    expect(rows.map((r) => r.id)).toEqual(['TKT-1', 'TKT-2']);
    expect(rows[0]!.messages.length).toBeGreaterThanOrEqual(3);
    expect(rows[0]!.history.length).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('stale --dry-run says what the scheduled job would do, and writes and sends nothing', async () => {
    const dry = json<{ dryRun: boolean; flagged: string[]; digest: { to: string; tickets: string[] }; mails: { to: string[]; subject: string }[] }>(
      await ticketing(['stale', '--dry-run', '--json', '--stack', 'Ticketing-test', '--now', '2026-12-03T08:00:00Z']),
    );
    expect(dry).toMatchObject({ dryRun: true, flagged: ['TKT-1', 'TKT-2'], digest: { to: 'it-team@northwind.example', tickets: ['TKT-1', 'TKT-2'] } });
    expect(dry.mails).toEqual([{ to: ['it-team@northwind.example'], subject: expect.stringMatching(/^\[Northwind IT \(stack\)\] 2 stale tickets/) }]);
    const tickets = json<{ stale: boolean }[]>(await ticketing(['tickets', '--json', '--stack', 'Ticketing-test']));
    expect(tickets.map((t) => t.stale)).toEqual([false, false]);
    // The same question again gets the same answer: the slot was not taken.
    const again = json<{ alreadyRan: boolean; flagged: string[] }>(await ticketing(['stale', '--dry-run', '--json', '--stack', 'Ticketing-test', '--now', '2026-12-03T08:00:00Z']));
    expect(again).toMatchObject({ alreadyRan: false, flagged: ['TKT-1', 'TKT-2'] });
    const sweep = await ticketing(['sweep', '--json', '--stack', 'Ticketing-test', '--now', '2026-12-03T08:00:00Z']);
    expect(json(sweep)).toMatchObject({ plans: 0, problems: [] });
  }, 120_000);

  it('reindex puts a ticket written before the byActivity index into it, once', async () => {
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient(aws()));
    try {
      const outputs = (await new CloudFormationClient(aws()).send(new DescribeStacksCommand({ StackName: 'Ticketing-test' }))).Stacks![0]!.Outputs!;
      const table = outputs.find((o) => o.OutputKey === 'TableName')!.OutputValue!;
      const { Items } = await doc.send(new ScanCommand({ TableName: table, FilterExpression: 'sk = :t AND #n = :one', ExpressionAttributeNames: { '#n': 'number' }, ExpressionAttributeValues: { ':t': 'T', ':one': 1 } }));
      // As the version before the index wrote it: no byActivity key.
      await doc.send(new UpdateCommand({ TableName: table, Key: { pk: Items![0]!.pk, sk: 'T' }, UpdateExpression: 'REMOVE gsi3pk' }));
    } finally {
      doc.destroy();
    }
    expect(json(await ticketing(['reindex', '--json', '--stack', 'Ticketing-test']))).toEqual({ added: 1 });
    const again = await ticketing(['reindex', '--stack', 'Ticketing-test']);
    expect(again.stdout.trim()).toBe('Every ticket was in the search index already: nothing to do.');
  }, 120_000);

  it('forget erases a requester in the stack, their raw mail in S3 included', async () => {
    const erased = json<{ profile: boolean; ticketsOpened: string[]; rawMails: number; objectsDeleted: number; placeholder: string }>(
      await ticketing(['forget', 'Maria.Garcia@northwind.example', '--yes', '--json', '--stack', 'Ticketing-test']),
    );
    expect(erased).toMatchObject({ profile: true, ticketsOpened: ['TKT-1'], rawMails: 1, objectsDeleted: 1 });
    const s3 = new S3Client({ ...aws(), forcePathStyle: true });
    try {
      const keys = (await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents!.map((o) => o.Key);
      // Tom's reply and Lars's request (with its attachment) stay.
      expect(keys.sort()).toEqual(['attachments/inbound/ses0005/0-nm-wifi.log', 'inbound/ses0002', 'inbound/ses0005']);
    } finally {
      s3.destroy();
    }
    const rows = (await ticketing(['export', '--stack', 'Ticketing-test'])).stdout.trim().split('\n');
    expect(rows.join('\n')).not.toMatch(/maria\.garcia|Maria Garcia/i);
    expect(JSON.parse(rows[0]!).ticket.requester).toBe(erased.placeholder);
    const again = json<{ nothingFound: boolean }>(await ticketing(['forget', 'maria.garcia@northwind.example', '--yes', '--json', '--stack', 'Ticketing-test']));
    expect(again.nothingFound).toBe(true);
  }, 120_000);

  it('says in one line what is wrong with a stack, its config, a command or the region', async () => {
    const unknown = await ticketing(['tickets', '--stack', 'Ticketing-nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('ticketing: no stack named Ticketing-nope in eu-west-1: check the name (cdk deploy prints it, e.g. Ticketing-prod) and --region\n');

    const old = await ticketing(['tickets', '--stack', 'Ticketing-old']);
    expect(old.code).toBe(2);
    expect(old.stderr).toContain('stack Ticketing-old has no TicketingConfig output (deployed before the CLI could read its config): redeploy it, or pass --config FILE');
    const withFile = await ticketing(['tickets', '--stack', 'Ticketing-old', '--config', join(root, 'fixtures/northwind.config.json')]);
    expect(withFile.code).toBe(0);
    expect(withFile.stderr).toMatch(/table Ticketing-old-Table-\S+, bucket ticketing-old-mailbucket-\S+\); config: \S*northwind\.config\.json \(--config\)/);

    const stale = await ticketing(['stale', '--stack', 'Ticketing-test']);
    expect(stale.stderr).toBe('ticketing: the deployed stack runs the stale job on its own schedule; see what it would do with stale --dry-run\n');
    const outbox = await ticketing(['outbox', '--stack', 'Ticketing-test']);
    expect(outbox.code).toBe(2);
    expect(outbox.stderr).toContain('outbox works on the embedded stack only; a deployed stack takes tickets, show, incidents, export, stale --dry-run, replay, sweep, reindex, forget');
    const both = await ticketing(['tickets', '--stack', 'Ticketing-test', '--data', dir]);
    expect(both.stderr).toContain("--data is the embedded stack's");

    // No region anywhere: not in the environment, not in a profile.
    const noRegion = await ticketing(['tickets', '--stack', 'Ticketing-test'], { ...moto.env, AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, AWS_CONFIG_FILE: join(dir, 'no-such-config') });
    expect(noRegion.stderr).toBe('ticketing: --stack needs a region: pass --region (e.g. --region eu-west-1) or set AWS_REGION\n');
    const given = await ticketing(['tickets', '--json', '--stack', 'Ticketing-test', '--region', 'eu-west-1'], { ...moto.env, AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, AWS_CONFIG_FILE: join(dir, 'no-such-config') });
    expect(given.code).toBe(0);
  }, 120_000);
});
