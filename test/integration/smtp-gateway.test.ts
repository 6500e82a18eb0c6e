/**
 * `serve` end to end over real SMTP: nodemailer and swaks send fixture mail to the loopback
 * gateway, the real pipeline runs on the embedded stack, and the SMTP replies carry the outcome.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile, type Config } from '../../src/config.js';
import { readOutbox } from '../../src/local/ses-endpoint.js';
import { serve, type Serving } from '../../src/local/serve.js';
import { startSmtpGateway } from '../../src/local/smtp-gateway.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const mailDir = join(repoRoot, 'fixtures', 'mail');
const config = loadConfigFile(join(repoRoot, 'fixtures', 'northwind.config.json'));
const smallConfig: Config = { ...config, mail: { ...config.mail, maxMessageBytes: 50 * 1024 } };

interface SmtpFailure {
  responseCode?: number;
  response?: string;
}

async function startServing(cfg: Config): Promise<{ serving: Serving; data: string; lines: string[] }> {
  const data = await mkdtemp(join(tmpdir(), 'ticketing-serve-'));
  const lines: string[] = [];
  const serving = await serve({ data, config: cfg, smtpPort: 0, httpPort: 0, print: (line) => lines.push(line) });
  return { serving, data, lines };
}

/** Sends a raw mail with nodemailer over plain SMTP; resolves to the server's final reply. */
async function sendRaw(port: number, to: string, raw: Buffer | string): Promise<string> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    const info = await transport.sendMail({ envelope: { from: 'someone@contoso.example', to: [to] }, raw });
    return info.response;
  } finally {
    transport.close();
  }
}

async function sendRawFailure(port: number, to: string, raw: Buffer | string): Promise<SmtpFailure> {
  try {
    const response = await sendRaw(port, to, raw);
    throw new Error(`expected the gateway to refuse the mail, it answered: ${response}`);
  } catch (err) {
    return err as SmtpFailure;
  }
}

const fixture = (name: string): Promise<Buffer> => readFile(join(mailDir, name));

describe('serve: the SMTP gateway in front of the pipeline', () => {
  let main: Awaited<ReturnType<typeof startServing>>;

  beforeAll(async () => {
    main = await startServing(config);
  });
  afterAll(async () => {
    await main?.serving.close();
    if (main) await rm(main.data, { recursive: true, force: true });
  });

  it('prints where to send mail and how to see what was sent', () => {
    const welcome = main.lines.join('\n');
    expect(main.serving.smtpPort).toBeGreaterThan(0);
    expect(welcome).toContain(`host 127.0.0.1, port ${main.serving.smtpPort}`);
    expect(welcome).toContain('support@northwind.example, helpdesk@northwind.example');
    expect(welcome).toContain(`ticketing outbox --data ${main.data}`);
    expect(welcome).toContain(main.serving.sesWebUrl);
    expect(welcome).toContain('Ctrl-C');
  });

  it('turns a new mail into a ticket and answers 250 with it; the ack is in the outbox', async () => {
    const response = await sendRaw(main.serving.smtpPort, 'support@northwind.example', await fixture('01-outlook-new-vpn-down.eml'));

    expect(response).toMatch(/^250 .*OK: TKT-1 created/);
    const ticket = await main.serving.store.getTicketById(1);
    expect(ticket?.subject).toContain('VPN down');
    const outbox = await readOutbox(join(main.data, 'outbox'));
    expect(outbox.some((e) => e.destinations.includes('maria.garcia@northwind.example'))).toBe(true);
    expect(main.lines.some((l) => l.includes('TKT-1 created'))).toBe(true);
    const page = await fetch(main.serving.sesWebUrl);
    expect(page.status).toBe(200);
  });

  it('appends mail sent to a ticket plus-address', async () => {
    await sendRaw(main.serving.smtpPort, 'support@northwind.example', await fixture('05-thunderbird-new-wifi-log.eml'));

    const response = await sendRaw(main.serving.smtpPort, 'support+tkt-2@northwind.example', await fixture('25-thunderbird-plus-address-wifi.eml'));

    expect(response).toMatch(/OK: TKT-2 appended/);
    const ticket = await main.serving.store.getTicketById(2);
    expect(ticket).not.toBeNull();
    const inbound = (await main.serving.store.listMessages(ticket!.key)).filter((m) => m.direction === 'inbound');
    expect(inbound).toHaveLength(2);
  });

  it('answers 20 copies of one mail sent at once with the one ticket they made, and burns no number', async () => {
    const own = await startServing(config);
    try {
      const raw = await fixture('06-gmail-new-auditor-access-pdf.eml');
      const replies = await Promise.all(Array.from({ length: 20 }, () => sendRaw(own.serving.smtpPort, 'support@northwind.example', raw)));
      // Every answer names a ticket that exists: one made it, the others are copies of it.
      expect(replies.filter((r) => /^250 .*TKT-1 created/.test(r))).toHaveLength(1);
      expect(replies.filter((r) => /^250 .*TKT-1 redelivered/.test(r))).toHaveLength(19);
      const next = await sendRaw(own.serving.smtpPort, 'support@northwind.example', await fixture('05-thunderbird-new-wifi-log.eml'));
      expect(next).toMatch(/^250 .*TKT-2 created/);
      const sent = await readOutbox(join(own.data, 'outbox'));
      expect(sent.filter((m) => m.destinations.includes('j.doe@contoso.example'))).toHaveLength(1); // one acknowledgement
    } finally {
      await own.serving.close();
      await rm(own.data, { recursive: true, force: true });
    }
  });

  it('refuses a recipient that is not a support address with 550', async () => {
    const err = await sendRawFailure(main.serving.smtpPort, 'payroll@northwind.example', await fixture('01-outlook-new-vpn-down.eml'));

    expect(err.responseCode).toBe(550);
    expect(err.response).toContain('5.1.1 <payroll@northwind.example>: this gateway only accepts mail for support@northwind.example');
  });
});

describe('serve with a small size limit, and swaks as the client', () => {
  let small: Awaited<ReturnType<typeof startServing>>;

  beforeAll(async () => {
    small = await startServing(smallConfig);
  });
  afterAll(async () => {
    await small?.serving.close();
    if (small) await rm(small.data, { recursive: true, force: true });
  });

  it('refuses a message over mail.maxMessageBytes with 552', async () => {
    const body = `${'x'.repeat(75)}\r\n`.repeat(1000);
    const raw = `From: someone@contoso.example\r\nTo: support@northwind.example\r\nSubject: big\r\n\r\n${body}`;

    const err = await sendRawFailure(small.serving.smtpPort, 'support@northwind.example', raw);

    expect(err.responseCode).toBe(552);
    expect(err.response).toMatch(/^552 5\.3\.4 message too large: \d+ bytes, the limit is 51200$/);
    expect(await small.serving.store.listTickets()).toEqual([]);
  });

  it('takes a mail from swaks (exit 0) and creates a ticket', async () => {
    // CI installs swaks (.ci/run); a missing client is a broken environment, not a reason to skip.
    const version = await run('swaks', ['--version']).catch((err: NodeJS.ErrnoException) => err);
    if (version instanceof Error) {
      throw new Error(`swaks is not installed (${version.code ?? version.message}): install it, e.g. apt-get install swaks; .ci/run does`);
    }

    const { stdout } = await run('swaks', [
      '--server', `127.0.0.1:${small.serving.smtpPort}`,
      '--to', 'support@northwind.example',
      '--from', 'someone@contoso.example',
      '--data', `@${join(mailDir, '05-thunderbird-new-wifi-log.eml')}`,
    ]);

    expect(stdout).toMatch(/^<- {2}250 OK: TKT-1 created$/m);
    const ticket = await small.serving.store.getTicketById(1);
    expect(ticket?.subject).toContain('Wi-Fi drops');
  });
});

describe('the gateway when the pipeline fails', () => {
  it('answers 451 so the client keeps the mail and retries', async () => {
    // The one faked port: delivery, failing as a store outage would.
    const gateway = await startSmtpGateway({
      port: 0,
      config,
      deliver: () => Promise.reject(new Error('DynamoDB unreachable')),
    });
    try {
      const err = await sendRawFailure(gateway.port, 'support@northwind.example', await fixture('01-outlook-new-vpn-down.eml'));

      expect(err.responseCode).toBe(451);
      expect(err.response).toContain('the ticket pipeline failed (Error: DynamoDB unreachable); try again later');
    } finally {
      await gateway.close();
    }
  });
});
