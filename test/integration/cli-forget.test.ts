/**
 * `ticketing forget ADDRESS` on the embedded stack: after it, no item in the table and no
 * object in S3 names the person; what the team needs stays; other people's records are as they
 * were; a second run finds nothing; the stale job writes to no one in their place.
 */
import { execFile, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createAwsClients, startLocalStack } from '../../src/local/stack.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const northwind = JSON.parse(readFileSync(join(root, 'fixtures/northwind.config.json'), 'utf8')) as Record<string, unknown>;
const mail = (name: string) => join(root, 'fixtures/mail', name);
/** Her address in any case, or her name: what must be gone. */
const HER = /maria\.garcia@northwind\.example|maria garcia/i;

async function ticketing(args: string[]) {
  try {
    const out = await run(process.execPath, [join(root, 'src/bin/ticketing.mjs'), ...args], { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    return { code: 0, stdout: out.stdout, stderr: out.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function eml(headers: Record<string, string>, body: string): string {
  return [...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', body, ''].join('\r\n');
}

/** Every item of the table and every object key of the bucket, read straight from the stores. */
async function everything(data: string, config: ReturnType<typeof parseConfig>): Promise<{ items: Record<string, unknown>[]; objects: string[]; texts: Map<string, string> }> {
  const stack = await startLocalStack({ dataDir: data, config });
  const clients = createAwsClients(stack);
  try {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await clients.doc.send(new ScanCommand({ TableName: config.aws.tableName, ExclusiveStartKey: start }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    const listed = await clients.s3.send(new ListObjectsV2Command({ Bucket: config.aws.bucket }));
    const objects = (listed.Contents ?? []).map((o) => o.Key!).sort();
    const texts = new Map<string, string>();
    for (const key of objects) {
      const body = await clients.s3.send(new GetObjectCommand({ Bucket: config.aws.bucket, Key: key }));
      texts.set(key, await body.Body!.transformToString('latin1'));
    }
    return { items, objects, texts };
  } finally {
    clients.destroy();
    await stack.close();
  }
}

const asText = (items: unknown[]) => JSON.stringify(items, (_k, v: unknown) => (v instanceof Set ? [...(v as Set<unknown>)] : v));

describe('ticketing forget', () => {
  let dir: string;
  let data: string;
  let configFile: string;
  const config = parseConfig({ ...northwind, limits: { newTicketsPerSenderPerHour: 2 } });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ticketing-cli-forget-'));
    data = join(dir, 'data');
    configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ ...northwind, limits: { newTicketsPerSenderPerHour: 2 } }));
    const her = 'Maria Garcia <maria.garcia@northwind.example>';
    writeFileSync(
      join(dir, 'staff-answer.eml'),
      eml({ From: 'Alex Kim <alex.kim@northwind.example>', To: 'support+tkt-1@northwind.example', Subject: "Re: [TKT-1] VPN down - can't connect from home office", Date: 'Mon, 23 Nov 2026 08:30:00 +0000', 'Message-ID': '<staff-answer-1@northwind.example>', 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8' }, 'Please reinstall the GlobalProtect client, Maria Garcia.\r\n\r\nAlex'),
    );
    writeFileSync(
      join(dir, 'battery.eml'),
      eml(
        { From: her, To: 'support@northwind.example', Subject: 'Laptop battery swelling', Date: 'Mon, 23 Nov 2026 08:40:00 +0000', 'Message-ID': '<battery-7@mail.northwind.example>', 'MIME-Version': '1.0', 'Content-Type': 'multipart/mixed; boundary="b1"' },
        [
          '--b1',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'The battery of my laptop NW-LT-0217 is swelling and the case bends. My mobile is +49 40 555 0101.',
          '',
          'Maria Garcia',
          '--b1',
          'Content-Type: text/plain; name="notes.txt"',
          'Content-Disposition: attachment; filename="notes.txt"',
          '',
          'Private notes of Maria Garcia: maria.garcia@northwind.example',
          '--b1--',
        ].join('\r\n'),
      ),
    );
    // Her third new request within the hour: held in the quarantine (limit 2 per hour).
    writeFileSync(
      join(dir, 'third.eml'),
      eml({ From: her, To: 'support@northwind.example', Subject: 'Monitor flickers', Date: 'Mon, 23 Nov 2026 08:41:00 +0000', 'Message-ID': '<monitor-3@mail.northwind.example>', 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8' }, 'My second monitor flickers all the time.\r\n\r\nMaria Garcia'),
    );
    const ingested = await ticketing([
      'ingest',
      mail('01-outlook-new-vpn-down.eml'),
      mail('02-owa-reply-cc-colleague-vpn.eml'),
      join(dir, 'staff-answer.eml'),
      join(dir, 'battery.eml'),
      join(dir, 'third.eml'),
      mail('05-thunderbird-new-wifi-log.eml'),
      '--data',
      data,
      '--config',
      configFile,
      '--now',
      '2026-11-23T08:00:00Z',
    ]);
    const outcomes = ingested.stdout.trim().split('\n').map((l) => JSON.parse(l) as { outcome: string; ticket: string | null });
    expect(outcomes.map((o) => [o.outcome, o.ticket])).toEqual([
      ['created', 'TKT-1'],
      ['appended', 'TKT-1'],
      ['appended', 'TKT-1'],
      ['created', 'TKT-2'],
      ['quarantined', null],
      ['created', 'TKT-3'],
    ]);
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a non-address, and asks first (no terminal to ask on: it needs --yes)', async () => {
    const bad = await ticketing(['forget', 'Maria Garcia', '--data', data]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"Maria Garcia" is not an email address');
    const unconfirmed = await ticketing(['forget', 'maria.garcia@northwind.example', '--data', data]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toBe('ticketing: forget erases for good and asks first, but there is no terminal to ask on; add --yes to confirm\n');
    const { items } = await everything(data, config);
    expect(asText(items)).toMatch(HER);
  });

  it('on a terminal, shows what it found and erases nothing unless the answer is yes', async () => {
    // util-linux `script` gives the command a terminal (Debian: bsdutils, always installed).
    const answer = await new Promise<{ code: number | null; out: string }>((done, fail) => {
      const command = [process.execPath, join(root, 'src/bin/ticketing.mjs'), 'forget', 'maria.garcia@northwind.example', '--data', data].join(' ');
      const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
      let out = '';
      let answered = false;
      // Once the command ends, script closes the terminal: a write then fails with EPIPE, which is no finding.
      child.stdin.on('error', () => undefined);
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        // Answered once: every later chunk of output would otherwise answer again.
        if (!answered && out.includes('[y/N]')) {
          answered = true;
          child.stdin.write('n\n');
        }
      });
      child.on('error', (err) => fail(new Error(`cannot run script (util-linux; apt-get install bsdutils): ${err.message}`)));
      child.on('exit', (code) => done({ code, out }));
    });
    expect(answer.code).toBe(1);
    expect(answer.out).toContain(`In ${data}, maria.garcia@northwind.example (Maria Garcia) is named by:`);
    expect(answer.out).toContain('  tickets they opened: TKT-1, TKT-2: requester replaced, name removed');
    expect(answer.out).toContain('  raw mail they sent, in S3: 3, deleted with its kept text and attachments');
    expect(answer.out).toContain('Erase all of this for good? [y/N]');
    expect(answer.out).toContain('Nothing erased.');
    expect(asText((await everything(data, config)).items)).toMatch(HER);
  }, 120_000);

  it('erases her from every item and object, keeps the tickets, and leaves everyone else as they were', async () => {
    const before = await everything(data, config);
    const sentByHer = (text: string) => /^From: Maria Garcia <maria\.garcia@northwind\.example>/m.test(text.split(/\r?\n\r?\n/)[0]!);
    expect([...before.texts.values()].filter(sentByHer)).toHaveLength(3);
    const lars = (await ticketing(['export', '--data', data])).stdout.trim().split('\n').find((l) => l.startsWith('{"id":"TKT-3"'));

    const out = await ticketing(['forget', 'maria.garcia@northwind.example', '--yes', '--data', data]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^Erased maria\.garcia@northwind\.example \(Maria Garcia\); erased-[0-9a-f]{8}@forgotten\.invalid stands in for the address on what is kept:\n/);
    expect(out.stdout).toContain('  requester profile: deleted\n');
    expect(out.stdout).toContain('  tickets they opened: TKT-1, TKT-2: requester replaced, name removed (still open: TKT-1, TKT-2;');
    expect(out.stdout).toContain('  messages they sent: 2, text and attachments erased\n');
    expect(out.stdout).toContain('  delivery records of their mail: 1, 1 of them quarantined (taken out of the quarantine: the raw mail is gone)\n');
    // Her request, her battery mail (with its attachment) and her held third request.
    expect(out.stdout).toMatch(/ {2}raw mail they sent: 3; 4 object\(s\) deleted from S3/);

    const after = await everything(data, config);
    expect(asText(after.items)).not.toMatch(HER);
    // No mail she sent, no attachment of hers; other people's mail that quotes her is theirs, and stays.
    for (const [key, text] of after.texts) {
      expect(sentByHer(text), key).toBe(false);
      if (key.startsWith('attachments/')) expect(text, key).not.toMatch(HER);
    }
    // Lars's mail and attachment, and Tom's reply, are still there; none of hers.
    expect(after.objects.filter((k) => k.startsWith('attachments/'))).toHaveLength(1);
    expect(after.objects.length).toBe(before.objects.length - 4);

    const rows = (await ticketing(['export', '--data', data])).stdout.trim().split('\n');
    expect(rows.find((l) => l.startsWith('{"id":"TKT-3"'))).toBe(lars);
    const tkt1 = JSON.parse(rows[0]!) as { ticket: { requester: string; requesterName: string; subject: string; participants: string[]; number: number; status: string }; messages: { from: string; visibleText: string; direction: string; role: string }[]; history: { actor: string }[] };
    expect(tkt1.ticket).toMatchObject({ number: 1, requesterName: '', subject: "VPN down - can't connect from home office", participants: ['tom.becker@northwind.example'] });
    expect(tkt1.ticket.requester).toMatch(/^erased-[0-9a-f]{8}@forgotten\.invalid$/);
    const hers = tkt1.messages.filter((m) => m.from === tkt1.ticket.requester && m.direction === 'inbound');
    expect(hers.map((m) => m.visibleText)).toEqual(['']);
    // Tom's words are his: kept. Our answer to her stays, without her name.
    expect(tkt1.messages.find((m) => m.from === 'tom.becker@northwind.example')!.visibleText).toContain('Same here since about 8');
    expect(tkt1.messages.find((m) => m.role === 'relay')!.visibleText).toContain('Please reinstall the GlobalProtect client, [erased].');
    expect(tkt1.history[0]!.actor).toBe(tkt1.ticket.requester);

    const table = await ticketing(['tickets', '--data', data]);
    expect(table.stdout).not.toContain('Quarantined');

    const again = await ticketing(['forget', 'maria.garcia@northwind.example', '--yes', '--json', '--data', data]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ nothingFound: true, profile: false, rawMails: 0, objectsDeleted: 0 });
  }, 120_000);

  it('the stale job lists her open tickets as unreachable and writes to no one in her place', async () => {
    const outboxBefore = JSON.parse((await ticketing(['outbox', '--json', '--data', data])).stdout) as unknown[];
    const result = JSON.parse((await ticketing(['stale', '--json', '--data', data, '--now', '2026-12-03T08:00:00Z'])).stdout) as { nudged: string[]; closed: string[]; digest: { tickets: string[] } };
    expect(result.nudged).toEqual([]);
    expect(result.closed).toEqual([]);
    expect(result.digest.tickets).toEqual(expect.arrayContaining(['TKT-1', 'TKT-2']));
    const sent = (JSON.parse((await ticketing(['outbox', '--json', '--data', data])).stdout) as { to: string; cc: string }[]).slice(outboxBefore.length);
    expect(sent.map((m) => m.to)).toEqual(['it-team@northwind.example']);
  }, 120_000);
});
