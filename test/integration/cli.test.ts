/** The `ticketing` command as a user runs it: a child process, JSON lines on stdout. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'src/bin/ticketing.mjs');
const config = join(root, 'fixtures/northwind.config.json');
const mail = (name: string) => join(root, 'fixtures/mail', name);
/** A path as the CLI shows it: relative to the working directory (the repo) when inside it. */
const shownPath = (path: string) => (relative(root, path).startsWith('..') ? path : relative(root, path));
const expected: { file: string; outcome: string; ticket: string | null; replies: string[] }[] = JSON.parse(readFileSync(join(root, 'fixtures/mail/expected.json'), 'utf8'));

async function ticketing(args: string[], options: { uid?: number; gid?: number } = {}) {
  try {
    const out = await run(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1' }, ...options });
    return { code: 0, stdout: out.stdout, stderr: out.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('ticketing CLI', () => {
  let data: string;
  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'ticketing-cli-'));
  });
  afterAll(async () => {
    await rm(data, { recursive: true, force: true });
  });

  it('ingest prints one JSON object per file with the contract fields', async () => {
    const files = expected.slice(0, 4).map((e) => mail(e.file));
    const { code, stdout } = await ticketing(['ingest', ...files, '--data', data, '--config', config, '--now', '2026-11-23T08:00:00Z']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    for (const [i, line] of lines.entries()) {
      expect(Object.keys(line)).toEqual(['file', 'messageId', 'outcome', 'ticket', 'reason', 'status', 'category', 'priority', 'missing', 'incident', 'replies']);
      expect(line.file).toBe(expected[i]!.file);
      expect(line.outcome).toBe(expected[i]!.outcome);
      expect(line.ticket).toBe(expected[i]!.ticket);
      expect(line.replies.map((r: { kind: string }) => r.kind)).toEqual(expected[i]!.replies);
    }
  });

  it('tickets --json lists what was created; show prints the thread', async () => {
    const list = await ticketing(['tickets', '--json', '--data', data, '--config', config]);
    const tickets = JSON.parse(list.stdout);
    expect(tickets[0]).toMatchObject({ id: 'TKT-1', status: 'open', stale: false });
    expect(Object.keys(tickets[0])).toEqual(['id', 'status', 'category', 'priority', 'requester', 'subject', 'messages', 'duplicatesMerged', 'createdAt', 'lastActivityAt', 'stale', 'unverified']);
    const table = await ticketing(['tickets', '--data', data, '--config', config]);
    expect(table.stdout).toMatch(/^ID\s+STATUS/);
    const show = await ticketing(['show', 'TKT-1', '--data', data, '--config', config]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^TKT-1 /);
    expect(show.stdout).toContain('why:');
    const missing = await ticketing(['show', 'TKT-999', '--data', data, '--config', config]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('No ticket TKT-999');
  });

  it('outbox shows the auto-replies as sent, on the --now clock, with their kind', async () => {
    const { stdout } = await ticketing(['outbox', '--data', data]);
    expect(stdout).toMatch(/^--- 2026-11-23 08:00 UTC {2}Re: \[TKT-1\] .* {2}\(ack\)\n/);
    expect(stdout).toContain('Reply-To: support+tkt-1@northwind.example');
    expect(stdout).toContain('Auto-Submitted: auto-replied');
    const json = JSON.parse((await ticketing(['outbox', '--json', '--data', data])).stdout);
    expect(json.length).toBe(expected.slice(0, 4).flatMap((e) => e.replies).length);
    // The time the mail says it was sent (the --now clock), not when the local SES endpoint took it.
    expect(json.map((m: { kind: string; sentAt: string }) => [m.kind, m.sentAt])).toEqual(
      expected.slice(0, 4).flatMap((e, i) => e.replies.map((kind) => [kind, new Date(Date.parse('2026-11-23T08:00:00Z') + i * 1000).toISOString()])),
    );
    expect(Object.keys(json[0]).slice(0, 5)).toEqual(['sentAt', 'kind', 'to', 'cc', 'from']);
  });

  it('outbox says plainly when nothing was sent', async () => {
    const quiet = join(data, 'quiet');
    // A bounce with no ticket of ours to report on is ignored: a store, and nothing sent.
    expect((await ticketing(['ingest', mail('13-postfix-dsn-bounce-portal.eml'), '--data', quiet, '--config', config])).code).toBe(0);
    const empty = await ticketing(['outbox', '--data', quiet]);
    expect(empty.stdout.trim()).toBe('The outbox is empty: nothing has been sent.');
  });

  it('shows every time with its zone', async () => {
    const table = await ticketing(['tickets', '--data', data]);
    expect(table.stdout).toMatch(/^TKT-1 .* 2026-11-23 08:00 UTC /m);
    const show = await ticketing(['show', 'TKT-1', '--data', data]);
    expect(show.stdout).toMatch(/^Opened 2026-11-23 08:00 UTC · last activity 2026-11-23 08:00 UTC /m);
    expect(show.stdout).toMatch(/^ {2}2026-11-23 08:00 UTC {2}created /m);
    expect(show.stdout).toMatch(/^--- 2026-11-23 08:00 UTC inbound from /m);
  });

  it('export writes every ticket with its thread and history, one JSON line each', async () => {
    const lines = (await ticketing(['export', '--data', data])).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['TKT-1']);
    expect(Object.keys(lines[0])).toEqual(['id', 'ticket', 'messages', 'history']);
    expect(lines[0].ticket).toMatchObject({ id: 'TKT-1', requester: 'maria.garcia@northwind.example' });
    expect(lines[0].messages.length).toBe(lines[0].ticket.messageKeys.length);
    expect(lines[0].history[0]).toMatchObject({ kind: 'created', actor: 'maria.garcia@northwind.example' });
    const file = join(data, 'audit.jsonl');
    const written = await ticketing(['export', '--data', data, '--out', file]);
    expect(written.stdout).toBe('');
    expect(written.stderr).toContain(`exported 1 ticket(s) with ${lines[0].messages.length} message(s) to ${file}`);
    expect(readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).id)).toEqual(['TKT-1']);
    expect(existsSync(`${file}.partial`)).toBe(false);
  });

  it('uses the config the data was made with, and says which', async () => {
    expect(JSON.parse(readFileSync(join(data, 'ticketing.json'), 'utf8'))).toMatchObject({ config: config });
    const plain = await ticketing(['tickets', '--data', data]);
    expect(plain.stderr).toBe('ticketing: config fixtures/northwind.config.json, recorded for ' + shownPath(data) + '\n');
    // Scripts read stdout alone: --json output carries no such line, and stderr stays empty.
    const json = await ticketing(['tickets', '--json', '--data', data]);
    expect(json.stderr).toBe('');
    const other = join(data, 'other.json');
    writeFileSync(other, JSON.stringify({ ticketPrefix: 'REQ' }));
    const overridden = await ticketing(['show', 'REQ-1', '--data', data, '--config', other]);
    expect(overridden.stderr).toContain(`config ${shownPath(other)} (--config; ${shownPath(data)} was made with fixtures/northwind.config.json)`);
  });

  it('rejects a bad config, naming the key and the key it was probably meant to be', async () => {
    const bad = join(data, 'bad.json');
    await writeFile(bad, JSON.stringify({ supportAdresses: ['x@y.example'], ticketPrefix: 'tk' }));
    const { code, stderr } = await ticketing(['tickets', '--config', bad, '--data', data]);
    expect(code).toBe(2);
    expect(stderr).toContain('ticketPrefix: expected 2-10 capital letters/digits such as TKT');
    expect(stderr).toContain('unknown key "supportAdresses" (did you mean "supportAddresses"?)');
  });

  it('rejects a bad --now and an unknown command', async () => {
    expect((await ticketing(['tickets', '--now', 'yesterday', '--data', data])).stderr).toContain('--now expects an ISO-8601 time');
    const unknown = await ticketing(['frobnicate', '--data', data]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    expect((await ticketing(['tikets', '--data', data])).stderr).toContain('unknown command "tikets" (did you mean tickets?)');
  });

  it('serve takes mail from an SMTP client and stops cleanly on Ctrl-C', async () => {
    const { spawn } = await import('node:child_process');
    const { createTransport } = await import('nodemailer');
    const child = spawn(process.execPath, [bin, 'serve', '--smtp-port', '0', '--http-port', '0', '--data', join(data, 'serve'), '--config', config], { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      for (let i = 0; i < 300 && !/port (\d+)/.test(out) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
      const port = Number(/SMTP host 127\.0\.0\.1, port (\d+)/.exec(out)?.[1]);
      expect(port, `serve did not start:\n${out}`).toBeGreaterThan(0);
      const sent = await createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true }).sendMail({
        envelope: { from: 'lars.nilsson@northwind.example', to: ['support@northwind.example'] },
        raw: readFileSync(mail('05-thunderbird-new-wifi-log.eml')),
      });
      expect(sent.response).toMatch(/^250 .*TKT-1 created/);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      // Whatever failed above, the serve this test started ends with it.
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    expect(out).toContain('→ TKT-1 created');
    expect(out).toContain('Stopping…');
  }, 60_000);

  it('npm start (the demo) runs end to end and exits 0', async () => {
    const demoData = join(data, 'demo');
    const first = await ticketing(['demo', '--data', demoData]);
    const second = await ticketing(['demo', '--data', demoData]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Tickets now:');
    expect(second.stdout).toBe(first.stdout);
    const story: { file: string; outcome: string; ticket: string | null }[] = JSON.parse(readFileSync(join(root, 'fixtures/demo/expected.json'), 'utf8'));
    for (const e of story) expect(first.stdout).toContain(`${e.file}\n  → ${e.outcome}${e.ticket ? ` ${e.ticket}` : ''}`);
    // How to look at the demo's data afterwards: it is not in the default --data.
    expect(first.stdout).toContain(`npx ticketing tickets --data ${shownPath(demoData)}\n`);
    const after = await ticketing(['tickets', '--data', demoData]);
    expect(after.code).toBe(0);
    expect(after.stderr).toContain('config fixtures/northwind.config.json, recorded for');
    expect(first.stdout).toMatch(/14-outlook-ios-reply-whole-floor-down\.eml\n.*awaiting-info → open; Raised from P3 to P1: a reply says "whole floor is down"/);
  }, 60_000);
});

/** One line on stderr, the cause and what to do: never a stack trace. */
function expectOneLine(stderr: string): void {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe('ticketing CLI: mistakes get one line, and reads create nothing', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ticketing-cli-errors-'));
    await ticketing(['ingest', mail('01-outlook-new-vpn-down.eml'), '--data', join(dir, 'demo'), '--config', config, '--now', '2026-11-23T08:00:00Z']);
    writeFileSync(join(dir, 'a-file'), 'not a directory');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('an unknown option, a missing value, an option of another command', async () => {
    const unknown = await ticketing(['tickets', '--dta', join(dir, 'demo')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('ticketing: unknown option --dta (did you mean --data?); run ticketing --help for the options\n');
    const missing = await ticketing(['tickets', '--data']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('ticketing: --data needs a value, e.g. --data .data/demo\n');
    const misplaced = await ticketing(['tickets', '--html', 'x.html', '--data', join(dir, 'demo')]);
    expect(misplaced.code).toBe(2);
    expect(misplaced.stderr).toBe('ticketing: tickets does not take --html (stale does); run ticketing --help\n');
    const extra = await ticketing(['tickets', 'TKT-1', '--data', join(dir, 'demo')]);
    expect(extra.stderr).toContain('tickets takes no arguments (got "TKT-1")');
  });

  it('a --data that is a file, or cannot be made', async () => {
    const file = await ticketing(['tickets', '--data', join(dir, 'a-file')]);
    expect(file.code).toBe(2);
    expectOneLine(file.stderr);
    expect(file.stderr).toContain('is a file, not a data directory');
    const under = await ticketing(['ingest', mail('01-outlook-new-vpn-down.eml'), '--data', join(dir, 'a-file', 'data')]);
    expect(under.code).toBe(2);
    expectOneLine(under.stderr);
    expect(under.stderr).toContain(`${join(dir, 'a-file')} is a file, not a directory; choose another path`);
    // sysfs refuses new directories even to root.
    const refused = await ticketing(['ingest', mail('01-outlook-new-vpn-down.eml'), '--data', '/sys/ticketing-test-data']);
    expect(refused.code).toBe(2);
    expectOneLine(refused.stderr);
    expect(refused.stderr).toMatch(/cannot create --data \/sys\/ticketing-test-data: (permission denied|read-only file system) at \/sys\/ticketing-test-data; choose a directory you can write to/);
  });

  it('a store this user cannot write to (the embedded DynamoDB locks it even to read)', async () => {
    const store = join(dir, 'read-only');
    await ticketing(['ingest', mail('01-outlook-new-vpn-down.eml'), '--data', store, '--config', config]);
    // Root writes anywhere: the command runs as nobody then; anyone else gets a directory without write permission.
    const asRoot = process.getuid?.() === 0;
    chmodSync(dir, 0o755); // mkdtemp's 0700 would hide the store from another user altogether
    if (!asRoot) for (const d of [store, join(store, 'dynamodb')]) chmodSync(d, 0o555);
    try {
      const out = await ticketing(['tickets', '--data', store], asRoot ? { uid: 65534, gid: 65534 } : {});
      expect(out.code).toBe(2);
      expectOneLine(out.stderr);
      expect(out.stderr).toContain(`cannot open the store in ${store}: permission denied (the embedded DynamoDB writes a lock file even to read)`);
    } finally {
      if (!asRoot) for (const d of [store, join(store, 'dynamodb')]) chmodSync(d, 0o755);
    }
  });

  it('ingest of a file that is not there touches nothing', async () => {
    const target = join(dir, 'never-made');
    const out = await ticketing(['ingest', '/nonexistent.eml', mail('01-outlook-new-vpn-down.eml'), '--data', target]);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe('ticketing: /nonexistent.eml does not exist: nothing was ingested\n');
    expect(existsSync(target)).toBe(false);
  });

  it('reads of a store that is not there say so, suggest the one meant, and create nothing', async () => {
    const typo = join(dir, 'dmeo');
    for (const args of [['tickets'], ['show', 'TKT-1'], ['outbox'], ['export'], ['stale', '--dry-run'], ['sweep'], ['replay', '--quarantined'], ['forget', 'a@b.example', '--yes']]) {
      const out = await ticketing([...args, '--data', typo]);
      expect(out.code, args.join(' ')).toBe(1);
      expect(out.stderr).toBe(`ticketing: no data in ${typo}: nothing has been ingested there; did you mean ${join(dir, 'demo')}?\n`);
    }
    expect(existsSync(typo)).toBe(false);
    // The parent of a store (`.data` after the demo wrote `.data/demo`) points into it.
    expect((await ticketing(['tickets', '--data', dir])).stderr).toContain(`did you mean ${join(dir, 'demo')}`);
    const nowhere = await ticketing(['tickets', '--data', join(dir, 'nothing', 'here')]);
    expect(nowhere.stderr).toContain('nothing has been ingested there; ingest mail first');
    expect(existsSync(join(dir, 'nothing'))).toBe(false);
  });
});

describe('ticketing CLI: the config stays with the data', () => {
  let data: string;
  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'ticketing-cli-config-'));
  });
  afterAll(async () => {
    await rm(data, { recursive: true, force: true });
  });

  it('a later stale run without --config mails the digest to the recorded config staff list, after a dry run that changed nothing', async () => {
    const created = await ticketing(['ingest', mail('09-outlook-fw-vendor-backup-error.eml'), '--data', data, '--config', config, '--now', '2026-11-23T08:00:00Z']);
    expect(created.stderr).toBe(`ticketing: config fixtures/northwind.config.json; now recorded for ${data}\n`);
    const outboxBefore = JSON.parse((await ticketing(['outbox', '--json', '--data', data])).stdout).length;

    const dry = await ticketing(['stale', '--dry-run', '--data', data, '--now', '2026-12-03T08:00:00Z']);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toBe(`ticketing: config fixtures/northwind.config.json, recorded for ${data}\n`);
    expect(dry.stdout).toMatch(/^Dry run of the stale job for the 2026-12-03T08:00 slot: nothing was written or sent\.\n {2}would flag as stale: TKT-1\n/);
    expect(dry.stdout).toContain('the digest to it-team@northwind.example would list TKT-1');
    expect(dry.stdout).toMatch(/mail it would send \(1\):\n {4}to it-team@northwind\.example: \[Northwind IT\] 1 stale ticket/);
    // Nothing written, nothing sent: no flag, no mail, and the slot is still free.
    expect(JSON.parse((await ticketing(['tickets', '--json', '--data', data])).stdout)).toMatchObject([{ id: 'TKT-1', stale: false }]);
    expect(JSON.parse((await ticketing(['outbox', '--json', '--data', data])).stdout)).toHaveLength(outboxBefore);

    const real = JSON.parse((await ticketing(['stale', '--json', '--data', data, '--now', '2026-12-03T08:00:00Z'])).stdout);
    expect(real).toMatchObject({ flagged: ['TKT-1'], alreadyRan: false, digest: { to: 'it-team@northwind.example', tickets: ['TKT-1'] } });
    const sent = JSON.parse((await ticketing(['outbox', '--json', '--data', data])).stdout) as { kind: string; to: string; sentAt: string }[];
    expect(sent.at(-1)).toMatchObject({ kind: 'digest', to: 'it-team@northwind.example', sentAt: '2026-12-03T08:00:00.000Z' });
    const again = JSON.parse((await ticketing(['stale', '--dry-run', '--json', '--data', data, '--now', '2026-12-03T08:10:00Z'])).stdout);
    expect(again).toMatchObject({ dryRun: true, alreadyRan: true, mails: [] });
  });

  it('a store made before configs were recorded gets one only when --config is given', async () => {
    const older = join(data, 'older');
    await ticketing(['ingest', mail('05-thunderbird-new-wifi-log.eml'), '--data', older, '--config', config]);
    rmSync(join(older, 'ticketing.json'));
    const guessed = await ticketing(['sweep', '--data', older]);
    expect(guessed.stderr).toBe(`ticketing: config built-in defaults (none recorded for ${older}; pass --config FILE once to record one)\n`);
    expect(existsSync(join(older, 'ticketing.json'))).toBe(false);
    const given = await ticketing(['sweep', '--data', older, '--config', config]);
    expect(given.stderr).toBe(`ticketing: config fixtures/northwind.config.json; now recorded for ${older}\n`);
    expect((await ticketing(['tickets', '--data', older])).stderr).toBe(`ticketing: config fixtures/northwind.config.json, recorded for ${older}\n`);
  });

  it('a relayed staff answer shows its Cc in the outbox', async () => {
    const relayData = join(data, 'relay');
    const staffAnswer = join(data, 'staff-answer.eml');
    writeFileSync(
      staffAnswer,
      [
        'From: Alex Kim <alex.kim@northwind.example>',
        'To: support+tkt-1@northwind.example',
        "Subject: Re: [TKT-1] VPN down - can't connect from home office",
        'Date: Mon, 23 Nov 2026 09:00:00 +0000',
        'Message-ID: <staff-answer-1@northwind.example>',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Please reinstall the GlobalProtect client from the Software Center and try again.',
        '',
        'Alex',
        '',
      ].join('\r\n'),
    );
    await ticketing(['ingest', mail('01-outlook-new-vpn-down.eml'), mail('02-owa-reply-cc-colleague-vpn.eml'), staffAnswer, '--data', relayData, '--config', config, '--now', '2026-11-23T08:00:00Z']);
    const outbox = JSON.parse((await ticketing(['outbox', '--json', '--data', relayData])).stdout) as { kind: string; to: string; cc: string }[];
    expect(outbox.find((m) => m.kind === 'relay')).toMatchObject({ to: 'maria.garcia@northwind.example', cc: 'tom.becker@northwind.example' });
    expect((await ticketing(['outbox', '--data', relayData])).stdout).toMatch(/\(relay\)\n {2}From: .*\n {2}To: maria\.garcia@northwind\.example\n {2}Cc: tom\.becker@northwind\.example\n/);
  });
});
