/**
 * Looking at tickets while `ticketing serve` runs: the other commands use the running stack's
 * endpoints (recorded in the data dir) instead of opening the store a second time, and a serve
 * that was killed leaves nothing in their way.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTransport } from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requestForm, WebClient } from '../support/web-client.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'src/bin/ticketing.mjs');
const config = join(root, 'fixtures/northwind.config.json');
const mail = (name: string) => join(root, 'fixtures/mail', name);
const env = { ...process.env, NODE_NO_WARNINGS: '1' };

async function ticketing(args: string[]) {
  try {
    const out = await run(process.execPath, [bin, ...args], { cwd: root, env });
    return { code: 0, stdout: out.stdout, stderr: out.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

interface Served {
  child: ChildProcess;
  pid: number;
  smtpPort: number;
  output(): string;
  exited: Promise<number | null>;
}

async function startServe(data: string): Promise<Served> {
  const child = spawn(process.execPath, [bin, 'serve', '--smtp-port', '0', '--http-port', '0', '--data', data, '--config', config], { cwd: root, env });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  for (let i = 0; i < 300 && !/Press Ctrl-C to stop/.test(out) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
  const port = /SMTP host 127\.0\.0\.1, port (\d+)/.exec(out);
  if (!port) {
    // Never leave a half-started serve behind.
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    throw new Error(`serve did not start:\n${out}`);
  }
  return { child, pid: child.pid!, smtpPort: Number(port[1]), output: () => out, exited };
}

describe('ticketing commands while serve runs', () => {
  let dir: string;
  const started: ChildProcess[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ticketing-cli-serve-'));
  });
  afterEach(async () => {
    // Every serve a test started is ended, whatever the test did.
    for (const child of started.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((done) => child.once('exit', done));
        child.kill('SIGKILL');
        await gone;
      }
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('tickets, show, export, outbox and ingest use the running stack; a second serve is refused', async () => {
    const data = join(dir, 'served');
    const served = await startServe(data);
    started.push(served.child);
    expect(JSON.parse(readFileSync(join(data, 'serving.json'), 'utf8'))).toMatchObject({ pid: served.pid, smtpPort: served.smtpPort });

    const empty = await ticketing(['tickets', '--data', data]);
    expect(empty.code).toBe(0);
    expect(empty.stdout.trim()).toBe('No tickets yet.');
    expect(empty.stderr).toBe(`ticketing: config fixtures/northwind.config.json, recorded for ${data}; through the running ticketing serve (pid ${served.pid})\n`);

    const sent = await createTransport({ host: '127.0.0.1', port: served.smtpPort, secure: false, ignoreTLS: true }).sendMail({
      envelope: { from: 'lars.nilsson@northwind.example', to: ['support@northwind.example'] },
      raw: readFileSync(mail('05-thunderbird-new-wifi-log.eml')),
    });
    expect(sent.response).toMatch(/^250 .*TKT-1 created/);

    // A write command goes through the running stack too: the same store, the same outbox.
    const ingested = await ticketing(['ingest', mail('01-outlook-new-vpn-down.eml'), '--data', data, '--now', '2026-11-23T08:00:00Z']);
    expect(ingested.code).toBe(0);
    expect(JSON.parse(ingested.stdout)).toMatchObject({ outcome: 'created', ticket: 'TKT-2' });

    const tickets = JSON.parse((await ticketing(['tickets', '--json', '--data', data])).stdout) as { id: string; requester: string }[];
    expect(tickets.map((t) => [t.id, t.requester])).toEqual([
      ['TKT-1', 'lars.nilsson@northwind.example'],
      ['TKT-2', 'maria.garcia@northwind.example'],
    ]);
    const show = await ticketing(['show', 'TKT-2', '--data', data]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^TKT-2 {2}VPN down/);
    const exported = (await ticketing(['export', '--data', data])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string });
    expect(exported.map((t) => t.id)).toEqual(['TKT-1', 'TKT-2']);
    const outbox = JSON.parse((await ticketing(['outbox', '--json', '--data', data])).stdout) as { kind: string; to: string }[];
    expect(outbox.filter((m) => m.kind === 'ack').map((m) => m.to)).toEqual(['lars.nilsson@northwind.example', 'maria.garcia@northwind.example']);

    // The web form of the same serve: a request sent there is a ticket `tickets` lists, its ack in `outbox` links to its status page.
    const webUrl = /Request form and status pages: (http:\/\/127\.0\.0\.1:\d+)\//.exec(served.output())?.[1];
    expect(webUrl, served.output()).toBeDefined();
    const browser = new WebClient(webUrl!);
    const page = await browser.post('/', requestForm(await browser.formToken(), { name: 'Ines Roth', email: 'ines.roth@example.org', subject: 'Badge does not open the garage', description: 'Since Monday the garage gate ignores my badge.' }));
    expect(await page.text()).toContain('TKT-3');
    const listed = JSON.parse((await ticketing(['tickets', '--json', '--data', data])).stdout) as { id: string; requester: string; unverified: boolean }[];
    expect(listed.find((t) => t.id === 'TKT-3')).toMatchObject({ requester: 'ines.roth@example.org', unverified: true });
    const acks = JSON.parse((await ticketing(['outbox', '--json', '--data', data])).stdout) as { kind: string; to: string[] | string; text: string }[];
    const ack = acks.find((m) => m.kind === 'ack' && String(m.to).includes('ines.roth@example.org'));
    const link = /(http:\/\/127\.0\.0\.1:\d+\/s\/[\w.-]+)/.exec(ack?.text ?? '')?.[1];
    expect(link, ack?.text).toBeDefined();
    const status = await fetch(link!);
    expect(status.status).toBe(200);
    expect(await status.text()).toContain('Badge does not open the garage');

    const second = await ticketing(['serve', '--smtp-port', '0', '--http-port', '0', '--data', data]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`ticketing: ticketing serve is already running on ${data} (pid ${served.pid}, SMTP port ${served.smtpPort}); stop it first, or use another --data\n`);
    const demo = await ticketing(['demo', '--data', data]);
    expect(demo.code).toBe(2);
    expect(existsSync(join(data, 'dynamodb'))).toBe(true);

    served.child.kill('SIGINT');
    expect(await served.exited).toBe(0);
    expect(existsSync(join(data, 'serving.json'))).toBe(false);
    // Without serve, the command opens the store itself.
    const after = await ticketing(['tickets', '--json', '--data', data]);
    expect(JSON.parse(after.stdout)).toHaveLength(3);
  }, 180_000);

  it('a serve that was killed leaves its record behind, and nothing in the way', async () => {
    const data = join(dir, 'killed');
    const served = await startServe(data);
    started.push(served.child);
    served.child.kill('SIGKILL');
    await served.exited;
    expect(existsSync(join(data, 'serving.json'))).toBe(true);
    const out = await ticketing(['tickets', '--data', data]);
    expect(out.code).toBe(0);
    expect(out.stdout.trim()).toBe('No tickets yet.');
    expect(out.stderr).not.toContain('running ticketing serve');
  }, 120_000);
});
