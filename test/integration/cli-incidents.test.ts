/**
 * `ticketing incidents` and `ticketing show INC-n` as a user runs them: child processes on real
 * mail (fixtures/incident-flow/: a Wi-Fi outage on floor 3, reported by four people, and an
 * unrelated printer report), on the embedded stack and on a deployed stack (moto).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, type Moto } from '../support/moto.js';
import { createTicketingStack } from '../support/moto-stack.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'src/bin/ticketing.mjs');
const config = join(root, 'fixtures/northwind.config.json');
const flow = (name: string) => join(root, 'fixtures/incident-flow', name);
/** A path as the CLI shows it: relative to the working directory (the repo) when inside it. */
const shownPath = (path: string) => (relative(root, path).startsWith('..') ? path : relative(root, path));

/** The reports in the order they arrive, each at its SES arrival time (fixtures/incident-flow/README.md). */
const REPORTS = [
  { file: 'f01-outlook-wifi-dead-floor-3.eml', at: '2026-11-30T09:02:39Z' },
  { file: 'f02-gmail-no-internet-floor-3-tethering.eml', at: '2026-11-30T09:05:14Z' },
  { file: 'f03-iphone-wlan-third-floor-gone.eml', at: '2026-11-30T09:08:05Z' },
  { file: 'f04-thunderbird-printer-floor-2-blank-pages.eml', at: '2026-11-30T09:10:46Z' },
  { file: 'f05-outlook-android-meeting-room-wifi-floor-3.eml', at: '2026-11-30T09:14:23Z' },
];
/** Staff replies to the incident notice: #unlink TKT-5, an answer, then #resolve. */
const STAFF_REPLIES = [
  { file: 'f09-owa-staff-unlink-meeting-room-report.eml', at: '2026-11-30T09:20:49Z' },
  { file: 'f06-outlook-staff-answer-access-point-replacing.eml', at: '2026-11-30T09:40:14Z' },
  { file: 'f07-outlook-staff-resolve-access-point-replaced.eml', at: '2026-11-30T10:05:33Z' },
];

type Run = { code: number; stdout: string; stderr: string };

async function ticketing(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  try {
    // The timeout kills a CLI that hangs: no process outlives its test.
    const out = await run(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1', ...env }, timeout: 90_000 });
    return { code: 0, stdout: out.stdout, stderr: out.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Each mail with its own command, at its arrival time, as mail arrives over minutes. */
async function ingestEach(mails: { file: string; at: string }[], data: string): Promise<{ file: string; outcome: string; ticket: string; incident: string | null }[]> {
  const lines = [];
  for (const mail of mails) {
    const out = await ticketing(['ingest', flow(mail.file), '--data', data, '--config', config, '--now', mail.at]);
    expect(out.code, out.stderr).toBe(0);
    lines.push(JSON.parse(out.stdout));
  }
  return lines;
}

const INCIDENT_ROW_KEYS = ['id', 'status', 'title', 'tickets', 'requesters', 'firstReport', 'lastReport', 'places', 'resolvedAt'];

describe('ticketing incidents and show INC-n (embedded stack)', () => {
  let dir: string;
  let data: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ticketing-cli-incidents-'));
    data = join(dir, 'flow');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('ingest: the third report forms INC-1, the fourth joins it, the printer report is in none', async () => {
    // Act
    const lines = await ingestEach(REPORTS, data);

    // Assess
    expect(lines.map((l) => [l.file, l.outcome, l.ticket, l.incident])).toEqual([
      ['f01-outlook-wifi-dead-floor-3.eml', 'created', 'TKT-1', null],
      ['f02-gmail-no-internet-floor-3-tethering.eml', 'created', 'TKT-2', null],
      ['f03-iphone-wlan-third-floor-gone.eml', 'created', 'TKT-3', 'INC-1'],
      ['f04-thunderbird-printer-floor-2-blank-pages.eml', 'created', 'TKT-4', null],
      ['f05-outlook-android-meeting-room-wifi-floor-3.eml', 'created', 'TKT-5', 'INC-1'],
    ]);
  });

  it('incidents --json: one array of rows with exactly the contract fields, and nothing on stderr', async () => {
    // Act
    const out = await ticketing(['incidents', '--json', '--data', data]);

    // Assess
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    const rows = JSON.parse(out.stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0]!)).toEqual(INCIDENT_ROW_KEYS);
    expect(rows[0]).toEqual({
      id: 'INC-1',
      status: 'open',
      title: 'Wi-Fi and network down (floor 3)',
      tickets: ['TKT-1', 'TKT-2', 'TKT-3', 'TKT-5'],
      requesters: ['anna.devries@northwind.example', 'ben.carter@contoso.example', 'pieter.janssen@northwind.example', 'chloe.martin@northwind.example'],
      firstReport: '2026-11-30T09:02:39.000Z',
      lastReport: '2026-11-30T09:14:23.000Z',
      places: ['floor 3'],
      resolvedAt: null,
    });
  });

  it('incidents: a table for people, every time with its zone', async () => {
    // Act
    const out = await ticketing(['incidents', '--data', data]);

    // Assess
    expect(out.code).toBe(0);
    expect(out.stderr).toBe(`ticketing: config fixtures/northwind.config.json, recorded for ${shownPath(data)}\n`);
    const [header, row, ...rest] = out.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID +STATUS +REPORTS +PEOPLE +FIRST REPORT +LAST REPORT +TITLE +TICKETS$/);
    expect(row).toMatch(/^INC-1 +open +4 +4 +2026-11-30 09:02 UTC +2026-11-30 09:14 UTC +Wi-Fi and network down \(floor 3\) +TKT-1, TKT-2, TKT-3, TKT-5$/);
    expect(rest).toEqual([]);
  });

  it('show INC-1: the incident, then each of its tickets with requester, time, place, what they wrote and status', async () => {
    // Act
    const out = await ticketing(['show', 'INC-1', '--data', data]);

    // Assess
    expect(out.code).toBe(0);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'INC-1  Wi-Fi and network down (floor 3)',
      'Status open · first report 2026-11-30 09:02 UTC · last report 2026-11-30 09:14 UTC',
      'Places: floor 3',
      '4 ticket(s) from 4 people:',
      '',
    ]);
    expect(lines[5]).toMatch(/^TICKET +STATUS +REQUESTER +REPORTED +PLACE +WHAT THEY WROTE$/);
    expect(lines.slice(6).map((l) => l.split(/ {2,}/).slice(0, 5))).toEqual([
      ['TKT-1', 'open', 'anna.devries@northwind.example', '2026-11-30 09:02 UTC', 'floor 3'],
      ['TKT-2', 'open', 'ben.carter@contoso.example', '2026-11-30 09:05 UTC', 'floor 3'],
      ['TKT-3', 'open', 'pieter.janssen@northwind.example', '2026-11-30 09:08 UTC', 'floor 3'],
      ['TKT-5', 'open', 'chloe.martin@northwind.example', '2026-11-30 09:14 UTC', 'floor 3'],
    ]);
    expect(lines[6]).toContain('The Wi-Fi on the 3rd floor seems to be dead');
    expect(lines[7]).toContain('no internet up here on floor 3');
    // Any case, in brackets as in a subject, is the same incident.
    expect((await ticketing(['show', '[inc-1]', '--data', data])).stdout).toBe(out.stdout);
  });

  it('show INC-1 --json: the row, and each member with its ticket status now', async () => {
    // Act
    const out = await ticketing(['show', 'INC-1', '--json', '--data', data]);

    // Assess
    expect(out.code).toBe(0);
    expect(out.stderr).toBe('');
    const shown = JSON.parse(out.stdout) as Record<string, unknown> & { members: Record<string, unknown>[] };
    expect(Object.keys(shown).slice(0, INCIDENT_ROW_KEYS.length)).toEqual(INCIDENT_ROW_KEYS);
    expect(shown).toMatchObject({ id: 'INC-1', status: 'open', service: 'network', tickets: ['TKT-1', 'TKT-2', 'TKT-3', 'TKT-5'] });
    expect(shown.members.map((m) => Object.keys(m))).toEqual(Array(4).fill(['ticket', 'status', 'requester', 'at', 'place', 'excerpt']));
    expect(shown.members[2]).toMatchObject({ ticket: 'TKT-3', status: 'open', requester: 'pieter.janssen@northwind.example', at: '2026-11-30T09:08:05.000Z', place: 'floor 3' });
  });

  it('show TKT-n says the incident a ticket is in, and nothing for one in none', async () => {
    // Act
    const first = await ticketing(['show', 'TKT-1', '--data', data]);
    const printer = await ticketing(['show', 'TKT-4', '--data', data]);

    // Assess: TKT-1 joined when TKT-3's report formed INC-1
    expect(first.stdout).toMatch(/^Incident: INC-1$/m);
    expect(printer.code).toBe(0);
    expect(printer.stdout).not.toContain('Incident:');
  });

  it('an unknown incident: exit 1 and one sentence, as for an unknown ticket; a malformed id: exit 2, said in a line, no stack trace', async () => {
    // Act
    const unknown = await ticketing(['show', 'INC-9', '--data', data]);
    const unknownJson = await ticketing(['show', 'INC-9', '--json', '--data', data]);
    const malformed = await ticketing(['show', 'INC-x', '--data', data]);

    // Assess
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe(`No incident INC-9 in ${shownPath(data)}.\n`);
    expect(unknown.stderr).toBe(`ticketing: config fixtures/northwind.config.json, recorded for ${shownPath(data)}\n`);
    expect(unknownJson.code).toBe(1);
    expect(unknownJson.stdout).toBe(`No incident INC-9 in ${shownPath(data)}.\n`);
    expect(unknownJson.stderr).toBe('');
    // The id is read with the config's ticket prefix: the line saying which config comes first.
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toBe(
      `ticketing: config fixtures/northwind.config.json, recorded for ${shownPath(data)}\nticketing: "INC-x" is not a ticket or incident id; ticket ids look like TKT-42, incident ids like INC-4\n`,
    );
  });

  it('after staff take TKT-5 out and resolve INC-1: the listing and show say so, with when', async () => {
    // Act
    await ingestEach(STAFF_REPLIES, data);
    const rows = JSON.parse((await ticketing(['incidents', '--json', '--data', data])).stdout) as Record<string, unknown>[];
    const shown = await ticketing(['show', 'INC-1', '--data', data]);
    const unlinked = await ticketing(['show', 'TKT-5', '--data', data]);

    // Assess
    expect(rows).toMatchObject([{ id: 'INC-1', status: 'resolved', tickets: ['TKT-1', 'TKT-2', 'TKT-3'], lastReport: '2026-11-30T09:08:05.000Z', resolvedAt: '2026-11-30T10:05:33.000Z' }]);
    expect(shown.stdout).toMatch(/^Status resolved since 2026-11-30 10:05 UTC · first report 2026-11-30 09:02 UTC · last report 2026-11-30 09:08 UTC$/m);
    expect(shown.stdout).toMatch(/^TKT-3 +resolved +pieter\.janssen@northwind\.example /m);
    expect(shown.stdout).not.toContain('TKT-5');
    expect(unlinked.stdout).not.toContain('Incident:');
  });

  it('with no incidents, says so in a sentence (and --json gives an empty array)', async () => {
    // Prepare: the printer report alone
    const quiet = join(dir, 'quiet');
    await ingestEach([REPORTS[3]!], quiet);

    // Act
    const out = await ticketing(['incidents', '--data', quiet]);
    const json = await ticketing(['incidents', '--json', '--data', quiet]);

    // Assess
    expect(out.code).toBe(0);
    expect(out.stdout).toBe('No incidents yet: one forms when 3 people report the same outage within 30 minutes.\n');
    expect(JSON.parse(json.stdout)).toEqual([]);
  });

  it('ingest of the reports in one command ends where one command per mail ends: INC-1', async () => {
    // Prepare: the same mails, one second apart on the --now clock, all well within the window
    const batch = join(dir, 'batch');

    // Act
    const out = await ticketing(['ingest', ...REPORTS.map((r) => flow(r.file)), '--data', batch, '--config', config, '--now', REPORTS[0]!.at]);

    // Assess
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout.trim().split('\n').map((l) => JSON.parse(l) as { ticket: string; incident: string | null });
    expect(lines.map((l) => [l.ticket, l.incident])).toEqual([
      ['TKT-1', null],
      ['TKT-2', null],
      ['TKT-3', 'INC-1'],
      ['TKT-4', null],
      ['TKT-5', 'INC-1'],
    ]);
  });
});

describe('ticketing incidents and show INC-n --stack (a deployed stack, moto)', () => {
  let moto: Moto;
  const stack = 'Ticketing-incidents';

  beforeAll(async () => {
    moto = await startMoto('eu-west-1');
    await createTicketingStack(moto, stack, { config: JSON.parse(readFileSync(config, 'utf8')) as Record<string, unknown> });
    const aws = { region: 'eu-west-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'moto', secretAccessKey: 'moto' } };
    const cfn = new CloudFormationClient(aws);
    const s3 = new S3Client({ ...aws, forcePathStyle: true });
    try {
      const outputs = (await cfn.send(new DescribeStacksCommand({ StackName: stack }))).Stacks![0]!.Outputs!;
      const bucket = outputs.find((o) => o.OutputKey === 'MailBucketName')!.OutputValue!;
      // What SES's S3 action leaves: raw mail under the inbound prefix.
      for (const [i, report] of REPORTS.entries()) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `inbound/ses000${i + 1}`, Body: readFileSync(flow(report.file)) }));
    } finally {
      cfn.destroy();
      s3.destroy();
    }
  }, 120_000);
  afterAll(async () => {
    await moto?.stop();
  });

  it('replayed into the stack, the reports form INC-1; incidents and show INC-1 read it from the stack', async () => {
    // Prepare: each report replayed at its arrival time
    const incidentOf: (string | null)[] = [];
    for (const [i, report] of REPORTS.entries()) {
      const replayed = await ticketing(['replay', `inbound/ses000${i + 1}`, '--stack', stack, '--now', report.at], moto.env);
      expect(replayed.code, replayed.stderr).toBe(0);
      incidentOf.push((JSON.parse(replayed.stdout) as { incident: string | null }).incident);
    }
    expect(incidentOf).toEqual([null, null, 'INC-1', null, 'INC-1']);

    // Act
    const json = await ticketing(['incidents', '--json', '--stack', stack], moto.env);
    const table = await ticketing(['incidents', '--stack', stack], moto.env);
    const shown = await ticketing(['show', 'INC-1', '--stack', stack], moto.env);
    const unknown = await ticketing(['show', 'INC-9', '--stack', stack], moto.env);

    // Assess
    const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(rows.map((r) => Object.keys(r))).toEqual([INCIDENT_ROW_KEYS]);
    expect(rows[0]).toMatchObject({ id: 'INC-1', status: 'open', tickets: ['TKT-1', 'TKT-2', 'TKT-3', 'TKT-5'] });
    expect(table.stderr).toMatch(/^ticketing: stack Ticketing-incidents in eu-west-1 /);
    expect(table.stdout).toMatch(/^INC-1 +open +4 +4 /m);
    expect(shown.stdout).toMatch(/^INC-1 {2}Wi-Fi and network down \(floor 3\)\n/);
    expect(shown.stdout).toMatch(/^TKT-5 +open +chloe\.martin@northwind\.example +2026-11-30 09:14 UTC +floor 3 /m);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe(`No incident INC-9 in stack ${stack}.\n`);
  }, 240_000);
});
