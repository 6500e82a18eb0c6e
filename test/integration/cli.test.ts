/** The `ticketing` command as a user runs it: a child process, JSON lines on stdout. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'src/bin/ticketing.mjs');
const config = join(root, 'fixtures/northwind.config.json');
const mail = (name: string) => join(root, 'fixtures/mail', name);
const expected: { file: string; outcome: string; ticket: string | null; replies: string[] }[] = JSON.parse(readFileSync(join(root, 'fixtures/mail/expected.json'), 'utf8'));

async function ticketing(args: string[]) {
  try {
    const out = await run(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
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
      expect(Object.keys(line)).toEqual(['file', 'messageId', 'outcome', 'ticket', 'reason', 'status', 'category', 'priority', 'missing', 'replies']);
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
    expect(Object.keys(tickets[0])).toEqual(['id', 'status', 'category', 'priority', 'requester', 'subject', 'messages', 'duplicatesMerged', 'createdAt', 'lastActivityAt', 'stale']);
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

  it('outbox shows the auto-replies as sent, and says plainly when nothing was', async () => {
    const { stdout } = await ticketing(['outbox', '--data', data]);
    expect(stdout).toMatch(/^--- \S+ {2}Re: \[TKT-1\] /);
    expect(stdout).toContain('Reply-To: support+tkt-1@northwind.example');
    expect(stdout).toContain('Auto-Submitted: auto-replied');
    const json = JSON.parse((await ticketing(['outbox', '--json', '--data', data])).stdout);
    expect(json.length).toBe(expected.slice(0, 4).flatMap((e) => e.replies).length);
    const empty = await ticketing(['outbox', '--data', join(data, 'nothing-here')]);
    expect(empty.stdout.trim()).toBe('The outbox is empty: nothing has been sent.');
  });

  it('rejects a bad config, naming the key', async () => {
    const bad = join(data, 'bad.json');
    await writeFile(bad, JSON.stringify({ supportAdresses: ['x@y.example'], ticketPrefix: 'tk' }));
    const { code, stderr } = await ticketing(['tickets', '--config', bad, '--data', data]);
    expect(code).toBe(2);
    expect(stderr).toContain('ticketPrefix: expected 2-10 capital letters/digits such as TKT');
    expect(stderr).toContain('unknown key "supportAdresses"');
  });

  it('rejects a bad --now and an unknown command', async () => {
    expect((await ticketing(['tickets', '--now', 'yesterday', '--data', data])).stderr).toContain('--now expects an ISO-8601 time');
    const unknown = await ticketing(['frobnicate', '--data', data]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });

  it('serve takes mail from an SMTP client and stops cleanly on Ctrl-C', async () => {
    const { spawn } = await import('node:child_process');
    const { createTransport } = await import('nodemailer');
    const child = spawn(process.execPath, [bin, 'serve', '--smtp-port', '0', '--data', join(data, 'serve'), '--config', config], { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    for (let i = 0; i < 100 && !/port (\d+)/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    const port = Number(/SMTP host 127\.0\.0\.1, port (\d+)/.exec(out)![1]);
    const sent = await createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true }).sendMail({
      envelope: { from: 'lars.nilsson@northwind.example', to: ['support@northwind.example'] },
      raw: readFileSync(mail('05-thunderbird-new-wifi-log.eml')),
    });
    expect(sent.response).toMatch(/^250 .*TKT-1 created/);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
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
    expect(first.stdout).toMatch(/14-outlook-ios-reply-whole-floor-down\.eml\n.*awaiting-info → open; P1: raised from P3 by a reply/);
  }, 60_000);
});
