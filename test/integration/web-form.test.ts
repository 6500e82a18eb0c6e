/**
 * The request form and the status page, through real HTTP against `ticketing serve` (in
 * process: the same serve() the command runs), with the pipeline behind them: a form request
 * is a mail through the same steps, answered by mail, followed on a signed status page.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfig } from '../../src/config.js';
import { signStatusToken } from '../../src/domain/status-link.js';
import { newApiKey } from '../../src/http/api-keys.js';
import type { Ticket } from '../../src/domain/ticket.js';
import { serve, type Serving } from '../../src/local/serve.js';
import { requestForm, WebClient } from '../support/web-client.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const northwind = loadConfigFile(join(repoRoot, 'fixtures', 'northwind.config.json'));
// Three requests per address and hour, so the limit is reached in a test; clients are not the limit here.
const config = parseConfig({ ...northwind, web: { form: { perAddressPerHour: 3, perClientPerHour: 1000, maxAttachmentBytes: 64 * 1024, maxRequestBytes: 512 * 1024 } } });

let serving: Serving;
let data: string;
const START = '2026-12-06T09:00:00Z';
let started: number;
/** The serving clock's time now. */
const servingNow = () => new Date(Date.parse(START) + Date.now() - started);
const lines: string[] = [];

beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), 'ticketing-web-form-'));
  // The clock starts on the hour (and runs on from there): the hourly limits' counts never straddle two hours.
  started = Date.now();
  serving = await serve({ data, config, smtpPort: 0, httpPort: 0, now: new Date(START), print: (line) => lines.push(line) });
});

afterAll(async () => {
  await serving?.close();
  await rm(data, { recursive: true, force: true });
});

const ticketsNow = async () => (await serving.store.listTickets()).length;

async function ticketOf(id: string | null | undefined): Promise<Ticket> {
  const number = Number(/TKT-(\d+)/.exec(id ?? '')?.[1]);
  const ticket = await serving.store.getTicketById(number);
  if (!ticket) throw new Error(`no ticket ${id}`);
  return ticket;
}

/** Sends the form as a browser would; resolves to the page and the ticket id it names. */
async function submit(client: WebClient, fields: Parameters<typeof requestForm>[1], files: Parameters<typeof requestForm>[2] = []) {
  const response = await client.post('/', requestForm(await client.formToken(), fields, files));
  const html = await response.text();
  return { response, html, ticketId: /class="badge">(TKT-\d+)</.exec(html)?.[1] ?? null };
}

async function statusLinkOf(ticket: Ticket): Promise<string> {
  const ack = (await serving.store.listMessages(ticket.key)).find((m) => m.direction === 'outbound' && (m.role === 'ack' || m.role === 'missing-info'));
  const link = /(http:\/\/127\.0\.0\.1:\d+\/s\/[\w.-]+)/.exec(ack?.visibleText ?? '')?.[1];
  if (!link) throw new Error(`no status link in the acknowledgement of ${ticket.id}: ${ack?.visibleText}`);
  return link;
}

describe('the request form', () => {
  it('is served with a strict content security policy, no framing, no referrer and an HttpOnly form cookie', async () => {
    const client = new WebClient(serving.webUrl);
    const response = await client.get('/');
    const html = await response.text();
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.getSetCookie().join('\n')).toMatch(/tkt_form=[\w-]+;.*HttpOnly;.*SameSite=Strict/);
    for (const field of ['name', 'email', 'subject', 'description', 'attachments']) expect(html).toContain(`<label for="${field}">`);
    expect(html).not.toMatch(/<script|style="/);
  });

  it('opens an unverified ticket through the pipeline, acknowledged by mail with a status link that confirms the address once opened', async () => {
    const client = new WebClient(serving.webUrl);
    const { response, html, ticketId } = await submit(
      client,
      { name: 'Maria Garcia', email: 'Maria.Garcia@Example.org', subject: 'VPN drops every few minutes', description: 'Since this morning the VPN disconnects every 5 minutes.\nError 809 each time.' },
      [{ name: 'vpn-log.txt', type: 'text/plain', content: 'rasdial: error 809\n' }],
    );
    expect(response.status).toBe(200);
    expect(ticketId).toMatch(/^TKT-\d+$/);
    expect(html).toContain('maria.garcia@example.org');

    const ticket = await ticketOf(ticketId);
    expect(ticket).toMatchObject({ requester: 'maria.garcia@example.org', requesterName: 'Maria Garcia', category: 'network', unverified: true });
    const messages = await serving.store.listMessages(ticket.key);
    expect(messages.find((m) => m.role === 'request')?.attachments).toMatchObject([{ filename: 'vpn-log.txt', contentType: 'text/plain' }]);
    const notice = messages.find((m) => m.role === 'staff-notification');
    expect(notice?.visibleText).toContain('not confirmed yet');

    const link = await statusLinkOf(ticket);
    const page = await client.get(new URL(link).pathname);
    const pageHtml = await page.text();
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(pageHtml).toContain('VPN drops every few minutes');
    expect(pageHtml).toContain('Error 809 each time.');
    const confirmed = await ticketOf(ticketId);
    expect(confirmed.unverified).toBeUndefined();
    expect((await serving.store.listEvents(ticket.key)).find((e) => e.kind === 'verified')).toMatchObject({ actor: 'maria.garcia@example.org' });
  });

  it('takes an answer from the status page as the requester\'s reply, and "this is solved" resolves the ticket', async () => {
    const client = new WebClient(serving.webUrl);
    const { ticketId } = await submit(client, { name: 'Jonas Berg', email: 'jonas.berg@example.org', subject: 'Printer on floor 2 jams', description: 'The HP printer next to the kitchen jams on every second page.' });
    const ticket = await ticketOf(ticketId);
    const path = new URL(await statusLinkOf(ticket)).pathname;

    const token = await client.formToken(path);
    const sent = await client.post(`${path}/reply`, new URLSearchParams({ token, text: 'It only happens with the recycled paper from the blue box.' }));
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`${path}?sent=reply`);
    const after = await (await client.get(`${path}?sent=reply`)).text();
    expect(after).toContain('your message is on the ticket');
    expect(after).toContain('recycled paper from the blue box');
    const reply = (await serving.store.listMessages(ticket.key)).find((m) => m.role === 'reply');
    expect(reply).toMatchObject({ from: 'jonas.berg@example.org', direction: 'inbound' });

    const staffNotices = async () => (await serving.store.listMessages(ticket.key)).filter((m) => m.role === 'staff-notification').length;
    const noticesBefore = await staffNotices();
    const solved = await client.post(`${path}/solved`, new URLSearchParams({ token: await client.formToken(path) }));
    expect(solved.status).toBe(303);
    expect(await ticketOf(ticketId)).toMatchObject({ status: 'resolved' });
    const history = await serving.store.listEvents(ticket.key);
    expect(history.find((e) => e.kind === 'status' && e.to === 'resolved')).toMatchObject({ actor: 'jonas.berg@example.org', why: 'the requester marked it solved on the status page' });
    // Staff hear of it: one more notice on the ticket.
    expect(await staffNotices()).toBe(noticesBefore + 1);
    const page = await (await client.get(path)).text();
    expect(page).toContain('Solved');
    expect(page).not.toContain('This is solved</button>');
  });

  it('never shows internal notes or mail between staff on the status page', async () => {
    const client = new WebClient(serving.webUrl);
    const { ticketId } = await submit(client, { name: 'Ana Lima', email: 'ana.lima@example.org', subject: 'Outlook asks for my password', description: 'Outlook keeps asking for my password since the update.' });
    const ticket = await ticketOf(ticketId);
    // A staff member's internal note, through the REST API (the same staff commands as by mail).
    const { key, record } = newApiKey('notes-test', new Date());
    await serving.apiKeys.createApiKey(record);
    const noted = await fetch(`${serving.webUrl}/api/v1/tickets/${ticket.id}/notes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Her mailbox is on the old server; migrate on Friday.' }),
    });
    expect(noted.status).toBe(201);
    const html = await (await client.get(new URL(await statusLinkOf(ticket)).pathname)).text();
    expect(html).toContain('Outlook keeps asking for my password');
    expect(html).not.toContain('migrate on Friday');
    expect(html).not.toContain('it-team@northwind.example');
  });
});

describe('the status link', () => {
  it('is in the acknowledgement of a ticket that came by mail, and opens its page (ingest through the running serve)', async () => {
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [join(repoRoot, 'src/bin/ticketing.mjs'), 'ingest', join(repoRoot, 'fixtures/mail/01-outlook-new-vpn-down.eml'), '--data', data], { cwd: repoRoot, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    const line = JSON.parse(stdout.trim().split('\n')[0]!);
    expect(line).toMatchObject({ outcome: 'created', replies: [{ kind: 'ack' }, { kind: 'staff-notification' }] });
    const ticket = await ticketOf(line.ticket);
    expect(ticket.unverified).toBeUndefined();
    const link = await statusLinkOf(ticket);
    expect(link.startsWith(`${serving.webUrl}/s/`)).toBe(true);
    const html = await (await new WebClient(serving.webUrl).get(new URL(link).pathname)).text();
    expect(html).toContain('VPN');
    // The conversation shows what Maria wrote, not the staff notice or our own acknowledgement.
    expect(html).not.toContain('it-team@northwind.example');
    expect(html).not.toContain('Reply to this email to answer');
  });

  it('refuses a tampered, expired or unknown link with a page that names no ticket', async () => {
    const client = new WebClient(serving.webUrl);
    const { ticketId } = await submit(client, { name: 'Li Wei', email: 'li.wei@example.org', subject: 'Badge reader at door C', description: 'My badge does not open door C since Monday.' });
    const ticket = await ticketOf(ticketId);
    const path = new URL(await statusLinkOf(ticket)).pathname;
    // A character in the middle of the signature changes its bytes (the last one has two spare bits).
    const at = path.length - 10;
    const swapped = `${path.slice(0, at)}${path[at] === 'A' ? 'B' : 'A'}${path.slice(at + 1)}`;
    const keys = serving.config.web.linkKeys;
    const cases = [
      { path: swapped, status: 404 },
      { path: `/s/${signStatusToken(ticket.key, new Date(servingNow().getTime() - 60_000), keys)}`, status: 410 },
      { path: `/s/${signStatusToken('0123456789abcdef01234567', new Date(servingNow().getTime() + 3600_000), keys)}`, status: 404 },
      { path: `/s/${signStatusToken(ticket.key, new Date(servingNow().getTime() + 3600_000), ['another key of at least thirty-two characters'])}`, status: 404 },
      { path: '/s/not-a-token', status: 404 },
    ];
    for (const c of cases) {
      const response = await client.get(c.path);
      const html = await response.text();
      expect(response.status, c.path).toBe(c.status);
      expect(html).not.toContain(ticket.id);
      expect(html).not.toContain('Badge reader');
    }
    // And nothing can be sent through a bad link.
    const before = (await serving.store.listMessages(ticket.key)).length;
    const posted = await client.post(`${cases[0]!.path}/reply`, new URLSearchParams({ token: await client.formToken(), text: 'let me in' }));
    expect(posted.status).toBe(404);
    expect((await serving.store.listMessages(ticket.key)).length).toBe(before);
  });
});

describe('the status link of an erased requester', () => {
  it('opens nothing once `ticketing forget` has erased them', async () => {
    const client = new WebClient(serving.webUrl);
    const { ticketId } = await submit(client, { name: 'Erik Moe', email: 'erik.moe@example.org', subject: 'Leaving the company', description: 'Please close my accounts on Friday.' });
    const ticket = await ticketOf(ticketId);
    const path = new URL(await statusLinkOf(ticket)).pathname;
    expect((await client.get(path)).status).toBe(200);
    const run = promisify(execFile);
    await run(process.execPath, [join(repoRoot, 'src/bin/ticketing.mjs'), 'forget', 'erik.moe@example.org', '--yes', '--data', data], { cwd: repoRoot, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    const after = await client.get(path);
    expect(after.status).toBe(404);
    expect(await after.text()).not.toContain('Leaving the company');
  });
});

describe('what the form refuses', () => {
  it('a post without its form token, from another site, or with the hidden field filled in: no ticket', async () => {
    const client = new WebClient(serving.webUrl);
    const fields = { name: 'Eve', email: 'eve@example.org', subject: 'Free money', description: 'Click here.' };
    const before = await ticketsNow();

    const noToken = await client.post('/', requestForm('', fields));
    expect(noToken.status).toBe(403);
    expect(await noToken.text()).toContain('nothing was sent');

    const token = await client.formToken();
    const otherSite = await client.post('/', requestForm(token, fields), { origin: 'https://evil.example' });
    expect(otherSite.status).toBe(403);

    // Another browser's token: valid somewhere, not with this cookie.
    const stranger = new WebClient(serving.webUrl);
    const theirs = await stranger.formToken();
    expect((await client.post('/', requestForm(theirs, fields))).status).toBe(403);

    const bot = await client.post('/', requestForm(await client.formToken(), { ...fields, website: 'http://spam.example' }));
    expect(bot.status).toBe(200);
    expect(await bot.text()).not.toMatch(/TKT-\d+/);
    expect(lines.some((l) => l.includes('hidden field was filled in'))).toBe(true);

    expect(await ticketsNow()).toBe(before);
  });

  it('says what is wrong next to each field, keeps what was typed (escaped), and makes no ticket', async () => {
    const client = new WebClient(serving.webUrl);
    const before = await ticketsNow();
    const { response, html } = await submit(
      client,
      { name: '', email: 'not-an-address', subject: '<script>alert(1)</script>', description: 'x' },
      [{ name: 'setup.exe', type: 'application/x-msdownload', content: 'MZ' }],
    );
    expect(response.status).toBe(400);
    expect(html).toContain('Please fix the 3 fields marked below.');
    expect(html).toMatch(/id="name"[^>]*aria-invalid="true"[^>]*aria-describedby="name-error"/);
    expect(html).toContain('<p class="error" id="email-error">Please enter an email address we can reach you at, like name@example.com.</p>');
    expect(html).toContain('&quot;setup.exe&quot; is a kind of file we don&#39;t take here (application/x-msdownload)');
    expect(html).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).not.toContain('<script>alert(1)');
    expect(await ticketsNow()).toBe(before);
  });

  it('refuses a file over the size limit and a body over the whole limit', async () => {
    const client = new WebClient(serving.webUrl);
    const big = await submit(client, { name: 'Sam', email: 'sam@example.org', subject: 'Screenshot', description: 'See attached.' }, [{ name: 'shot.png', type: 'image/png', content: Buffer.alloc(65 * 1024) }]);
    expect(big.response.status).toBe(400);
    expect(big.html).toContain('&quot;shot.png&quot; is 65 KB; each file may be at most 64 KB.');
    // Refused on its Content-Length, before it is read: on a connection of its own, as the server
    // ends it while the client may still be sending.
    const body = new Response(requestForm(await client.formToken(), { name: 'Sam', email: 'sam@example.org', subject: 'x', description: 'y'.repeat(2_000_000) }));
    const bytes = Buffer.from(await body.arrayBuffer());
    const status = await new Promise<number>((done, fail) => {
      const req = httpRequest(`${serving.webUrl}/`, { method: 'POST', agent: false, headers: { 'content-type': body.headers.get('content-type')!, 'content-length': bytes.length, origin: serving.webUrl } }, (res) => {
        res.resume();
        done(res.statusCode!);
      });
      req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : fail(err)));
      req.end(bytes);
    });
    expect(status).toBe(413);
  });

  it('is one request when the same filled-in form is sent twice (a reload, a double click)', async () => {
    const client = new WebClient(serving.webUrl);
    const html = await (await client.get('/')).text();
    const token = /name="token" value="([^"]+)"/.exec(html)![1]!;
    const submission = /name="submission" value="([^"]+)"/.exec(html)![1]!;
    const before = await ticketsNow();
    const send = async () => {
      const form = requestForm(token, { name: 'Tove Berg', email: 'tove.berg@example.org', subject: 'Headset crackles', description: 'My Jabra headset crackles in Teams calls.' });
      form.set('submission', submission);
      return /class="badge">(TKT-\d+)</.exec(await (await client.post('/', form)).text())?.[1];
    };
    const [first, second] = await Promise.all([send(), send()]);
    expect(first).toMatch(/^TKT-\d+$/);
    expect(second).toBe(first);
    expect(await send()).toBe(first);
    expect(await ticketsNow()).toBe(before + 1);
  });

  it('a typed address joins no thread: the tag of someone else\'s ticket in the subject opens a new ticket', async () => {
    const client = new WebClient(serving.webUrl);
    const first = await submit(client, { name: 'Maja Holm', email: 'maja.holm@example.org', subject: 'New laptop for Maja', description: 'My laptop is five years old, can I get a new one?' });
    const victim = await ticketOf(first.ticketId);
    // Someone else types Maja's address and her ticket's tag, hoping to write on her ticket.
    const attack = await submit(client, { name: 'Maja Holm', email: 'maja.holm@example.org', subject: `Re: [${victim.id}] New laptop for Maja`, description: 'Cancel this, and send the laptop to Dock 4 instead.' });
    expect(attack.ticketId).not.toBe(victim.id);
    expect((await serving.store.listMessages(victim.key)).filter((m) => m.direction === 'inbound')).toHaveLength(1);
    // A word-for-word resend is not merged into her ticket either (a duplicate would reveal it).
    const again = await submit(client, { name: 'Maja Holm', email: 'maja.holm@example.org', subject: 'New laptop for Maja', description: 'My laptop is five years old, can I get a new one?' });
    expect(again.ticketId).not.toBe(victim.id);
    expect(again.ticketId).toMatch(/^TKT-\d+$/);
  });

  it('holds the hourly limit per address in the store, and says when to try again', async () => {
    const client = new WebClient(serving.webUrl);
    const fields = { name: 'Per Lund', email: 'per.lund@example.org', subject: 'Printer', description: 'The printer is offline.' };
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await submit(client, { ...fields, subject: `Printer ${i}` }));
    expect(answers.map((a) => a.response.status)).toEqual([200, 200, 200, 429]);
    const last = answers[3]!;
    expect(Number(last.response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last.html).toContain('several requests from you in the last hour');
    expect(last.html).toContain('value="Printer 3"');
  });
});

describe('the hourly limits across processes', () => {
  it('hold when requests for one address reach two processes at once: the store counts, not the process', async () => {
    // A second app in its own process on the same stack, as a second Lambda would be.
    const child = spawn(process.execPath, [join(repoRoot, 'src/bin/run.mjs'), 'test/support/second-web-process.ts', data, JSON.stringify(serving.config), servingNow().toISOString()], { cwd: repoRoot, env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    const exited = new Promise((done) => child.once('exit', done));
    try {
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      for (let i = 0; i < 600 && !/listening \d+/.test(out) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
      const port = /listening (\d+)/.exec(out)?.[1];
      expect(port, out).toBeDefined();
      const bases = [serving.webUrl, `http://127.0.0.1:${port}`];
      // Eight browsers, four on each process, each with its own form cookie and token, then all send at once.
      const browsers = await Promise.all(
        Array.from({ length: 8 }, async (_, i) => {
          const client = new WebClient(bases[i % 2]!);
          return { client, token: await client.formToken() };
        }),
      );
      const answers = await Promise.all(
        browsers.map(({ client, token }, i) =>
          client.post('/', requestForm(token, { name: 'Ola Nordmann', email: 'ola.nordmann@example.org', subject: `Request ${i}`, description: 'The same person, many tabs.' })).then((r) => r.status),
        ),
      );
      expect(answers.filter((s) => s === 200)).toHaveLength(3);
      expect(answers.filter((s) => s === 429)).toHaveLength(5);
      const theirs = (await serving.store.listTickets()).filter((t) => t.requester === 'ola.nordmann@example.org');
      expect(theirs).toHaveLength(3);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});

describe('the optional Cloudflare Turnstile check', () => {
  /** Cloudflare's siteverify as documented: a form post of secret, response and remoteip; JSON with success and error-codes. */
  async function fakeSiteverify() {
    const calls: URLSearchParams[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        calls.push(form);
        const ok = form.get('secret') === '1x0000000000000000000000000000000AA' && form.get('response') === 'XXXX.DUMMY.TOKEN.XXXX';
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(ok ? { success: true, challenge_ts: new Date().toISOString(), hostname: 'localhost', 'error-codes': [], action: '', cdata: '' } : { success: false, 'error-codes': ['invalid-input-response'] }));
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    return { calls, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/turnstile/v0/siteverify`, close: () => new Promise<void>((done) => server.close(() => done())) };
  }

  it('shows the widget, sends the token with our secret and the client to siteverify, and takes the form only when it says success', async () => {
    const verify = await fakeSiteverify();
    const dir = await mkdtemp(join(tmpdir(), 'ticketing-web-turnstile-'));
    const guarded = await serve({
      data: dir,
      config: parseConfig({ ...northwind, web: { form: { turnstile: { siteKey: '1x00000000000000000000AA', secretKey: '1x0000000000000000000000000000000AA', verifyUrl: verify.url } } } }),
      smtpPort: 0,
      httpPort: 0,
      print: () => undefined,
    });
    try {
      const client = new WebClient(guarded.webUrl);
      const page = await client.get('/');
      expect(page.headers.get('content-security-policy')).toContain('script-src https://challenges.cloudflare.com');
      expect(await page.text()).toContain('<div class="cf-turnstile" data-sitekey="1x00000000000000000000AA"></div>');
      const fields = { name: 'Ana Lima', email: 'ana.lima@example.org', subject: 'Scanner', description: 'The scanner on floor 1 is offline.' };

      const without = await client.post('/', requestForm(await client.formToken(), fields));
      expect(without.status).toBe(403);
      expect(await without.text()).toContain('We could not confirm that a person sent this form.');

      const wrong = requestForm(await client.formToken(), fields);
      wrong.set('cf-turnstile-response', 'forged-token');
      expect((await client.post('/', wrong)).status).toBe(403);
      expect(verify.calls.at(-1)?.get('response')).toBe('forged-token');

      const right = requestForm(await client.formToken(), fields);
      right.set('cf-turnstile-response', 'XXXX.DUMMY.TOKEN.XXXX');
      const taken = await client.post('/', right);
      expect(taken.status).toBe(200);
      expect(await taken.text()).toMatch(/TKT-\d+/);
      expect(Object.fromEntries(verify.calls.at(-1)!)).toEqual({ secret: '1x0000000000000000000000000000000AA', response: 'XXXX.DUMMY.TOKEN.XXXX', remoteip: '127.0.0.1' });

      // Siteverify unreachable: refused, never waved through.
      await verify.close();
      const unreachable = requestForm(await client.formToken(), fields);
      unreachable.set('cf-turnstile-response', 'XXXX.DUMMY.TOKEN.XXXX');
      expect((await client.post('/', unreachable)).status).toBe(403);
      expect((await guarded.store.listTickets()).length).toBe(1);
    } finally {
      await guarded.close();
      await verify.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
  });
});
