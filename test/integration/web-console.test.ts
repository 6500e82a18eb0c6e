/**
 * The staff console against `ticketing serve` (in process): sign-in by the link mailed to a staff
 * address (read from the local SES outbox), bound to the browser that asked, once; the queue and
 * a ticket; sign-out; what a stranger, another browser, another site and an ended session get.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfig } from '../../src/config.js';
import { createHttpApp } from '../../src/http/app.js';
import { sessionCookieValue } from '../../src/http/console/sessions.js';
import { readOutbox } from '../../src/local/ses-endpoint.js';
import { serve, type Serving } from '../../src/local/serve.js';
import { manualClock, northwindConfig, pipelineOn } from '../support/pipeline.js';
import { withLocalStack, type StackFixture } from '../support/stack-fixture.js';
import { requestForm, WebClient } from '../support/web-client.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const northwind = loadConfigFile(join(repoRoot, 'fixtures', 'northwind.config.json'));
const config = parseConfig({ ...northwind, web: { console: { perAddressPerHour: 3 } } });
const STAFF = 'alex.kim@northwind.example';
const DANA = 'dana.berg@it.northwind.example';

let serving: Serving;
let data: string;

beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), 'ticketing-web-console-'));
  // On the hour, so the hourly sign-in limit is counted in one hour.
  serving = await serve({ data, config, smtpPort: 0, httpPort: 0, now: new Date('2026-12-06T09:00:00Z'), print: () => undefined });
});

afterAll(async () => {
  await serving?.close();
  await rm(data, { recursive: true, force: true });
});

/** The sign-in mails in the outbox, to `to`, newest last, with the link each carries. */
async function signInMails(to: string): Promise<{ subject: string; link: string }[]> {
  const entries = (await readOutbox(join(data, 'outbox'))).filter((e) => e.destinations.map((d) => d.toLowerCase()).includes(to));
  const mails = await Promise.all(entries.map(async (e) => simpleParser(readFileSync(e.rawPath))));
  return mails
    .filter((m) => /sign-in link/.test(m.subject ?? ''))
    .map((m) => ({ subject: m.subject!, link: /(http:\/\/127\.0\.0\.1:\d+\/console\/sign-in\/[\w-]+)/.exec(m.text ?? '')![1]! }));
}

async function askForLink(client: WebClient, email: string): Promise<string> {
  const response = await client.post('/console/sign-in', new URLSearchParams({ token: await client.formToken('/console'), email }));
  expect(response.status).toBe(200);
  return response.text();
}

let signIns = 0;
/** Signs the client in; each call a staff address of its own by default (the hourly limit is per address). */
async function signIn(client: WebClient, email = `staff-${++signIns}@it.northwind.example`): Promise<void> {
  await askForLink(client, email);
  const path = new URL((await signInMails(email)).at(-1)!.link).pathname;
  const confirmed = await client.post(path, new URLSearchParams({ token: await client.formToken(path) }));
  expect(confirmed.status).toBe(303);
}

describe('signing in to the console', () => {
  it('shows only the sign-in page without a session', async () => {
    const client = new WebClient(serving.webUrl);
    const page = await client.get('/console');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Staff sign-in');
    const ticket = await fetch(`${serving.webUrl}/console/tickets/TKT-1`, { redirect: 'manual' });
    expect(ticket.status).toBe(303);
    expect(ticket.headers.get('location')).toBe('/console');
  });

  it('mails a staff address a link that signs in once, in the browser that asked; a stranger gets the same page and no mail', async () => {
    const client = new WebClient(serving.webUrl);
    const stranger = await askForLink(new WebClient(serving.webUrl), 'eve@evil.test');
    const staffPage = await askForLink(client, STAFF);
    // Word for word the same, but for the address typed.
    expect(stranger.replace('eve@evil.test', 'X').replace(/value="[^"]*"/g, '')).toBe(staffPage.replace(STAFF, 'X').replace(/value="[^"]*"/g, ''));
    expect(await signInMails('eve@evil.test')).toEqual([]);
    const [mail] = await signInMails(STAFF);
    expect(mail!.subject).toBe('Your sign-in link for the Northwind IT staff console');
    const path = new URL(mail!.link).pathname;

    // Opening the link (or a mail scanner doing so) signs no one in: it shows a button.
    const landing = await client.get(path);
    expect(await landing.text()).toContain('Sign in to the staff console');
    // Another browser cannot use it, and does not use it up.
    const other = new WebClient(serving.webUrl);
    const elsewhere = await other.post(path, new URLSearchParams({ token: await other.formToken(path) }));
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toContain('only in the browser where it was asked for');

    const signed = await client.post(path, new URLSearchParams({ token: await client.formToken(path) }));
    expect(signed.status).toBe(303);
    expect(signed.headers.getSetCookie().join('\n')).toMatch(/tkt_session=[\w-]+\.[\w-]+;.*HttpOnly;.*SameSite=Lax/);
    const queue = await (await client.get('/console')).text();
    expect(queue).toContain(STAFF);
    expect(queue).toContain('Open <span class="count">');

    const again = await client.post(path, new URLSearchParams({ token: await client.formToken(path) }));
    expect(again.status).toBe(400);
  });

  it('signs out: the session ends in the store, and its cookie opens nothing any more', async () => {
    const client = new WebClient(serving.webUrl);
    await signIn(client);
    const cookie = client.cookie('tkt_session')!;
    expect((await client.get('/console')).status).toBe(200);
    const token = await client.formToken('/console');
    expect((await client.post('/console/sign-out', new URLSearchParams({ token: 'wrong' }))).status).toBe(403);
    const out = await client.post('/console/sign-out', new URLSearchParams({ token }));
    expect(out.status).toBe(303);
    const replay = await fetch(`${serving.webUrl}/console/tickets/TKT-1`, { headers: { cookie: `tkt_session=${cookie}` }, redirect: 'manual' });
    expect(replay.status).toBe(303);
  });

  it('refuses a sign-in post from another site, and a forged session cookie', async () => {
    const client = new WebClient(serving.webUrl);
    const token = await client.formToken('/console');
    expect((await client.post('/console/sign-in', new URLSearchParams({ token, email: STAFF }), { origin: 'https://evil.example' })).status).toBe(403);
    const forged = await fetch(`${serving.webUrl}/console/tickets/TKT-1`, { headers: { cookie: `tkt_session=${'a'.repeat(43)}.${'b'.repeat(43)}` }, redirect: 'manual' });
    expect(forged.status).toBe(303);
  });

  it('mails at most perAddressPerHour links to one address an hour, and says the same either way', async () => {
    const address = 'priya.nair@northwind.example';
    const pages = [];
    for (let i = 0; i < 5; i++) pages.push(await askForLink(new WebClient(serving.webUrl), address));
    expect(await signInMails(address)).toHaveLength(3);
    expect(new Set(pages.map((p) => p.replace(/value="[^"]*"/g, ''))).size).toBe(1);
  });
});

describe('the queue and a ticket', () => {
  it('lists open tickets by view with counts, and shows a ticket with its thread, internal notes marked, and history', async () => {
    const requester = new WebClient(serving.webUrl);
    const sent = await requester.post('/', requestForm(await requester.formToken(), { name: 'Maja Holm', email: 'maja.holm@example.org', subject: 'VPN drops every hour', description: 'The VPN drops every hour on the hour.' }));
    const id = /class="badge">(TKT-\d+)</.exec(await sent.text())![1]!;

    const client = new WebClient(serving.webUrl);
    await signIn(client);
    const open = await (await client.get('/console?view=open')).text();
    expect(open).toContain(`<span class="badge">${id}</span> <strong>VPN drops every hour</strong>`);
    expect(open).toContain('(not confirmed)');
    expect(open).toMatch(/Unassigned <span class="count">[1-9]/);
    expect(await (await client.get('/console?view=mine')).text()).toContain('No tickets here.');
    // Search and filters, kept across the views.
    const found = await (await client.get('/console?view=open&q=VPN+hour')).text();
    expect(found).toContain(`<span class="badge">${id}</span>`);
    expect(found).toMatch(/href="\/console\?view=unassigned&amp;q=VPN\+hour"/);
    expect(await (await client.get('/console?view=open&q=no-such-words-anywhere')).text()).toContain('No tickets here.');
    expect(await (await client.get('/console?view=open&requester=maja.holm&assignee=none&priority=')).text()).toContain(`<span class="badge">${id}</span>`);
    expect(await (await client.get('/console?view=open&requester=maja.holm&idle=3')).text()).toContain('No tickets here.');
    const byId = await fetch(`${serving.webUrl}/console?q=${id.toLowerCase()}`, { headers: { cookie: `tkt_session=${client.cookie('tkt_session')}` }, redirect: 'manual' });
    expect(byId.headers.get('location')).toBe(`/console/tickets/${id}`);

    const page = await (await client.get(`/console/tickets/${id}`)).text();
    expect(page).toContain('The VPN drops every hour on the hour.');
    expect(page).toContain('Why this priority and category');
    expect(page).toContain('Staff notice to it-team@<wbr>northwind.example');
    // History from the event's data, its reason beneath.
    expect(page).toContain('<strong>Opened</strong> by maja.holm@<wbr>example.org<br><span class="meta">a request from the web form');
    expect((await client.get('/console/tickets/TKT-99999')).status).toBe(404);
  });

  it('downloads an attachment and the original mail through short-lived presigned links, for a session only', async () => {
    const requester = new WebClient(serving.webUrl);
    const form = requestForm(await requester.formToken(), { name: 'Ola Berg', email: 'ola.berg@example.org', subject: 'Printer error log', description: 'The log is attached.' }, [{ name: 'printer log ÅÄÖ.txt', type: 'text/plain', content: 'E-204 paper jam tray 2\n' }]);
    const id = /class="badge">(TKT-\d+)</.exec(await (await requester.post('/', form)).text())![1]!;
    const client = new WebClient(serving.webUrl);
    await signIn(client);
    const page = await (await client.get(`/console/tickets/${id}`)).text();
    const attachment = /href="(\/console\/tickets\/TKT-\d+\/messages\/[0-9a-f]+\/attachments\/0)"/.exec(page)![1]!;
    const original = /href="(\/console\/tickets\/TKT-\d+\/messages\/[0-9a-f]+\/original)"/.exec(page)![1]!;

    const stranger = await fetch(`${serving.webUrl}${attachment}`, { redirect: 'manual' });
    expect(stranger.headers.get('location')).toBe('/console');
    const redirected = await client.get(attachment);
    expect(redirected.status).toBe(200);
    expect(redirected.url).toMatch(/X-Amz-Expires=300/);
    expect(await redirected.text()).toBe('E-204 paper jam tray 2\n');
    expect(redirected.headers.get('content-disposition')).toContain("filename*=UTF-8''printer%20log%20%C3%85%C3%84%C3%96.txt");
    const raw = await client.get(original);
    expect(raw.headers.get('content-type')).toBe('message/rfc822');
    expect(await raw.text()).toContain('Subject: Printer error log');
  });
});

describe('acting on a ticket from the console', () => {
  it('answers, notes, changes and refuses exactly as the same staff mail would', async () => {
    const requester = new WebClient(serving.webUrl);
    const sent = await requester.post('/', requestForm(await requester.formToken(), { name: 'Lars Nilsson', email: 'lars.nilsson@example.org', subject: 'Outlook crashes on start', description: 'Outlook crashes every time I open it since this morning.' }));
    const id = /class="badge">(TKT-\d+)</.exec(await sent.text())![1]!;
    const ticket = (await serving.store.getTicketById(Number(id.slice(4))))!;
    const client = new WebClient(serving.webUrl);
    // Any address of the staff domain is staff (and has its own hourly sign-in limit).
    await signIn(client, DANA);
    const path = `/console/tickets/${id}`;
    const act = async (fields: Record<string, string>) => {
      const html = await (await client.get(path)).text();
      const submission = /name="submission" value="([^"]+)"/.exec(html)![1]!;
      const response = await client.post(`${path}/act`, new URLSearchParams({ token: await client.formToken(path), submission, ...fields }));
      return { status: response.status, html: await response.text() };
    };

    const answered = await act({ action: 'reply', text: 'Please start Outlook in safe mode (outlook.exe /safe) and tell us if it opens.' });
    expect(answered.status).toBe(200);
    expect(answered.html).toContain('Answer sent to lars.nilsson@example.org');
    const relay = (await serving.store.listMessages(ticket.key)).find((m) => m.role === 'relay')!;
    expect(relay).toMatchObject({ to: ['lars.nilsson@example.org'], from: 'support@northwind.example' });
    expect(relay.visibleText).toContain('outlook.exe /safe');
    const sentRelay = (await readOutbox(join(data, 'outbox'))).find((e) => e.destinations.includes('lars.nilsson@example.org') && /relay/.test(e.composedMessageId ?? ''));
    const relayMail = await simpleParser(readFileSync(sentRelay!.rawPath));
    // On the requester's own thread, as a mailed staff reply is.
    expect(relayMail.inReplyTo).toBe(`<${ticket.originMessageId}>`);
    expect((await serving.store.getTicketById(ticket.number))!.status).toBe('waiting-on-requester');

    const noted = await act({ action: 'note', text: 'Known issue with the COM add-in from the CRM.' });
    expect(noted.html).toContain('Saved as an internal note, and mailed to staff');
    const messages = await serving.store.listMessages(ticket.key);
    expect(messages.find((m) => m.role === 'note')?.visibleText).toBe('Known issue with the COM add-in from the CRM.');
    expect(messages.filter((m) => m.role === 'relay')).toHaveLength(1);
    expect(messages.filter((m) => m.role === 'note-notification')).toHaveLength(1);

    const changed = await act({ action: 'change', status: 'resolved', priority: 'P2', category: 'software', assignee: STAFF });
    expect(changed.status).toBe(200);
    expect(changed.html).toContain('Status changed from waiting-on-requester to resolved');
    expect(await serving.store.getTicketById(ticket.number)).toMatchObject({ status: 'resolved', priority: 'P2', category: 'software', assignee: STAFF });
    const history = await serving.store.listEvents(ticket.key);
    expect(history.find((e) => e.kind === 'assignee')).toMatchObject({ actor: DANA, to: STAFF });

    const refused = await act({ action: 'change', status: 'awaiting-info' });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('a resolved ticket cannot be moved to awaiting-info');
    expect((await serving.store.getTicketById(ticket.number))!.status).toBe('resolved');
    expect((await act({ action: 'change', assignee: 'mallory@evil.test' })).html).toContain('mallory@evil.test is not a staff address');
    // No command-result mail: the page said it.
    expect((await serving.store.listMessages(ticket.key)).filter((m) => m.role === 'command-result')).toEqual([]);

    // The same person's second request about it, merged into the first from the console.
    const again = await requester.post('/', requestForm(await requester.formToken(), { name: 'Lars Nilsson', email: 'lars.nilsson@example.org', subject: 'Outlook still crashes', description: 'Safe mode did not help.' }));
    const second = /class="badge">(TKT-\d+)</.exec(await again.text())![1]!;
    const secondPath = `/console/tickets/${second}`;
    const html = await (await client.get(secondPath)).text();
    const merged = await client.post(`${secondPath}/act`, new URLSearchParams({ token: await client.formToken(secondPath), submission: /name="submission" value="([^"]+)"/.exec(html)![1]!, action: 'change', merge: id }));
    expect(await merged.text()).toContain(`Merged into ${id}: ${second} is closed as its duplicate`);
    expect(await serving.store.getTicketById(Number(second.slice(4)))).toMatchObject({ status: 'closed', duplicateOf: id });
  });
});

describe('finding tickets beyond the open queue', () => {
  it('finds resolved and closed tickets in All tickets, newest activity first, and orders a view as asked', async () => {
    const client = new WebClient(serving.webUrl);
    await signIn(client);
    const badges = (html: string) => [...html.matchAll(/class="badge">(TKT-\d+)</g)].map((m) => Number(m[1]!.slice(4)));

    // The Outlook tickets of the test before are resolved and closed: not in the open queue, found in All.
    expect(await (await client.get('/console?view=open&q=outlook')).text()).toContain('No tickets here.');
    const all = await (await client.get('/console?view=all&q=outlook')).text();
    expect(all).toMatch(/<h1>All tickets<\/h1>/);
    expect(all).toContain('Newest activity first.');
    expect(badges(all)).toHaveLength(2);
    const statuses = await Promise.all(badges(all).map(async (n) => (await serving.store.getTicketById(n))!));
    expect(statuses.map((t) => t.status).sort()).toEqual(['closed', 'resolved']);
    expect(statuses.map((t) => t.lastActivityAt)).toEqual(statuses.map((t) => t.lastActivityAt).sort().reverse());
    // All is not counted (that would read every ticket); resolved this week is.
    expect(all).toMatch(/>All tickets<\/a>/);
    expect(all).toMatch(/Resolved this week <span class="count">1<\/span>/);
    expect(badges(await (await client.get('/console?view=resolved&q=outlook')).text())).toEqual(statuses.filter((t) => t.status === 'resolved').map((t) => t.number));

    const byNumber = badges(await (await client.get('/console?view=open&sort=newest')).text());
    expect(byNumber.length).toBeGreaterThanOrEqual(2);
    expect(byNumber).toEqual([...byNumber].sort((a, b) => b - a));
    const oldestFirst = await (await client.get('/console?view=open&sort=oldest')).text();
    expect(badges(oldestFirst)).toEqual([...byNumber].reverse());
    expect(oldestFirst).toContain('<option value="oldest" selected>');
    // The order is kept in the links to other views.
    expect(oldestFirst).toMatch(/href="\/console\?view=unassigned&amp;sort=oldest"/);
    // A cursor we did not make starts from the newest, as no cursor does.
    expect(badges(await (await client.get('/console?view=all&from=bogus!')).text())).toEqual(badges(await (await client.get('/console?view=all')).text()));
  });
});

describe('session expiry', () => {
  let fx: StackFixture;
  beforeAll(async () => {
    fx = await withLocalStack({ config: northwindConfig });
  });
  afterAll(async () => {
    await fx?.cleanup();
  });

  it('ends a session after its idle time, and after its absolute age however busy it is', async () => {
    const cfg = parseConfig({ ...northwind, web: { linkKeys: ['a key of at least thirty-two characters for tests'], console: { idleMinutes: 30, sessionHours: 2 } } });
    const clock = manualClock('2026-12-06T09:00:00Z');
    const p = await pipelineOn(fx, clock, cfg);
    const app = createHttpApp({ config: p.config, ports: p.deps, apiKeys: p.deps.apiKeys, sessions: p.deps.consoleSessions, downloads: p.deps.blobs, clientAddress: () => '192.0.2.1', plainHttp: true, log: () => undefined });
    const session = async (id: string) => {
      await p.deps.consoleSessions.putSession({ id, address: STAFF, createdAt: clock.now().toISOString(), lastSeenAt: clock.now().toISOString() }, new Date(clock.now().getTime() + 2 * 3600_000).toISOString());
      return `tkt_session=${sessionCookieValue(id, cfg.web.linkKeys)}`;
    };
    const queue = async (cookie: string) => (await (await app.request('/console', { headers: { cookie } })).text()).includes('Sign out');

    const idle = await session('i'.repeat(43));
    clock.advance(29 * 60_000);
    expect(await queue(idle)).toBe(true);
    clock.advance(29 * 60_000);
    expect(await queue(idle)).toBe(true);
    clock.advance(31 * 60_000);
    expect(await queue(idle)).toBe(false);
    expect(await p.deps.consoleSessions.getSession('i'.repeat(43))).toBeNull();

    const busy = await session('b'.repeat(43));
    for (let minutes = 0; minutes < 119; minutes += 20) {
      expect(await queue(busy)).toBe(true);
      clock.advance(20 * 60_000);
    }
    expect(await queue(busy)).toBe(false);
  });
});
