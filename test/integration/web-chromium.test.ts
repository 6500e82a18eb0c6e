/**
 * The request form, the status page and the staff console in headless Chromium
 * (test/support/chromium.ts) against `ticketing serve`: a person fills in the form on a phone, gets
 * the ticket number, opens the status link from the acknowledgement, answers and says it is
 * solved; a staff member signs in with the link from the outbox, works the queue, downloads an
 * attachment, answers, notes and is refused a change, all at phone width. Every page is checked
 * with axe-core (no serious or critical violation), for sideways scrolling at phone width, and
 * for content-security-policy violations; screenshots go to test-artifacts/web/ (gitignored).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config.js';
import type { Ticket } from '../../src/domain/ticket.js';
import { findServing } from '../../src/local/data-dir.js';
import { readOutbox } from '../../src/local/ses-endpoint.js';
import { serve, type Serving } from '../../src/local/serve.js';
import { DESKTOP, PHONE, squash, useChromium } from '../support/chromium.js';
import { expectPageLooksRight, watchedPage, type WatchedPage } from '../support/page-checks.js';
import { expectOneRelayOnThread, outboxCount, sentMails, signInLinks } from '../support/outbox.js';
import { fixtureMail } from '../support/pipeline.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const config = loadConfigFile(join(repoRoot, 'fixtures', 'northwind.config.json'));
const SUITE = 'web';

const chromium = useChromium('the request form, the status page and the staff console');
let serving: Serving;
let data: string;

beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), 'ticketing-web-chromium-'));
  serving = await serve({ data, config, smtpPort: 0, httpPort: 0, print: () => undefined });
});

afterAll(async () => {
  await serving?.close();
  await rm(data, { recursive: true, force: true });
});

const phonePage = () => watchedPage(chromium, PHONE);
const looksRight = (w: WatchedPage, name: string) => expectPageLooksRight(w, name, PHONE, SUITE, { phone: PHONE, desktop: DESKTOP });

describe('the web surface in Chromium', () => {
  it('a person asks for help from a phone, follows the ticket from the acknowledgement, answers and marks it solved', async () => {
    const w = await phonePage();
    const { page } = w;
    await page.goto(`${serving.webUrl}/`);
    expect(await page.title()).toBe('Ask for help · Northwind IT');
    await looksRight(w, 'form');

    await page.getByLabel('Your name').fill('Jonas Berg');
    await page.getByLabel('Your email address').fill('jonas.berg@example.org');
    await page.getByLabel('What do you need help with?').fill('Laptop will not charge');
    await page.getByLabel('What is happening?').fill('Since Monday my laptop does not charge with the dock.\nThe light on the charger stays off.');
    await page.getByLabel('Screenshots or files (optional)').setInputFiles([{ name: 'charger.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a', 'hex') }]);
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByRole('heading', { name: "We've got your request" }).waitFor();
    const ticketId = (await page.locator('.badge').innerText()).trim();
    expect(ticketId).toMatch(/^TKT-\d+$/);
    await looksRight(w, 'form-sent');

    const ticket = (await serving.store.getTicketById(Number(ticketId.slice(4))))!;
    expect(ticket).toMatchObject({ requester: 'jonas.berg@example.org', unverified: true });
    const ack = (await serving.store.listMessages(ticket.key)).find((m) => m.direction === 'outbound' && m.to.includes('jonas.berg@example.org'))!;
    const link = /(http:\/\/127\.0\.0\.1:\d+\/s\/[\w.-]+)/.exec(ack.visibleText)![1]!;

    await page.goto(link);
    await page.getByRole('heading', { name: 'Laptop will not charge' }).waitFor();
    // A hardware request needs a few details first: the page says which.
    const main = squash(await page.locator('main').innerText());
    expect(main).toContain('Status Waiting for a few details from you');
    expect(main).toContain('What we still need from you');
    await looksRight(w, 'status');

    await page.getByLabel('Answer us').fill('It works with the charger from the meeting room.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByText('your message is on the ticket').waitFor();
    expect(await page.locator('ol.thread').innerText()).toContain('It works with the charger from the meeting room.');
    await looksRight(w, 'status-answered');

    await page.getByRole('button', { name: 'This is solved' }).click();
    await page.getByText('Thanks for letting us know').waitFor();
    expect(squash(await page.locator('main').innerText())).toContain('Status Solved');
    expect((await serving.store.getTicketById(ticket.number))!.status).toBe('resolved');
    await page.close();
  });

  it('a staff member signs in with the mailed link and reads the queue and a ticket', async () => {
    const w = await phonePage();
    const { page } = w;
    await page.goto(`${serving.webUrl}/console`);
    await looksRight(w, 'console-sign-in');
    await page.getByLabel('Work email address').fill('priya.nair@northwind.example');
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await looksRight(w, 'console-sign-in-sent');

    const entries = (await readOutbox(join(data, 'outbox'))).filter((e) => e.destinations.includes('priya.nair@northwind.example'));
    const mail = await simpleParser(readFileSync(entries.at(-1)!.rawPath));
    const link = /(http:\/\/127\.0\.0\.1:\d+\/console\/sign-in\/[\w-]+)/.exec(mail.text ?? '')![1]!;
    await page.goto(link);
    await looksRight(w, 'console-sign-in-confirm');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Views' }).waitFor();
    expect(await page.locator('nav.console .who').innerText()).toBe('priya.nair@northwind.example');
    await looksRight(w, 'console-queue');

    // The one ticket here was marked solved by the test before.
    await page.getByRole('link', { name: /Resolved this week/ }).click();
    await page.locator('ol.queue a').first().click();
    await page.getByRole('heading', { name: 'Thread' }).waitFor();
    await looksRight(w, 'console-ticket');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Staff sign-in' }).waitFor();
    await page.close();
  });

  it('shows what is wrong next to each field, and a refused link as a plain page', async () => {
    const w = await phonePage();
    const { page } = w;
    await page.goto(`${serving.webUrl}/`);
    await page.getByLabel('Your email address').fill('jonas at example');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toBe('Please fix the 4 fields marked below.');
    const email = page.getByLabel('Your email address');
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await email.inputValue()).toBe('jonas at example');
    expect(await page.locator('#email-error').innerText()).toContain('like name@example.com');
    await looksRight(w, 'form-errors');

    await page.goto(`${serving.webUrl}/s/0123456789abcdef01234567.zzzzzz.${'A'.repeat(43)}`);
    expect(await page.getByRole('heading').first().innerText()).toBe("This link doesn't work");
    await looksRight(w, 'status-bad-link');
    await page.close();
  });
});

describe('the staff console in Chromium', () => {
  const STAFF = 'alex.kim@northwind.example';
  const LARS = 'lars.nilsson@northwind.example';
  const outbox = () => join(data, 'outbox');
  /** Lars's Wi-Fi problem with his log attached (fixtures/mail/05), and Maria's VPN outage (01), mailed to the SMTP port. */
  let wifi: Ticket;
  let vpn: Ticket;
  let signedIn: WatchedPage | undefined;

  beforeAll(async () => {
    const smtp = createTransport({ host: '127.0.0.1', port: serving.smtpPort, secure: false, ignoreTLS: true });
    const arrive = async (name: string, from: string) => {
      const raw = fixtureMail(name);
      await smtp.sendMail({ envelope: { from, to: ['support@northwind.example'] }, raw });
      const messageId = (await simpleParser(raw)).messageId!.replace(/^<|>$/g, '');
      const ticket = (await serving.store.listTickets()).find((t) => t.originMessageId === messageId);
      if (!ticket) throw new Error(`${name} made no ticket`);
      return ticket;
    };
    wifi = await arrive('05-thunderbird-new-wifi-log.eml', LARS);
    vpn = await arrive('01-outlook-new-vpn-down.eml', 'maria.garcia@northwind.example');
    smtp.close();
  });

  /** The page at phone width of a staff member signed in by the link from the outbox: one sign-in for the flows below. */
  async function staffPage(): Promise<WatchedPage> {
    if (signedIn) return signedIn;
    const w = await phonePage();
    await askForLink(w.page, STAFF);
    const link = (await signInLinks(outbox(), STAFF)).at(-1)!;
    await w.page.goto(link.href);
    await w.page.getByRole('button', { name: 'Sign in' }).click();
    await w.page.getByRole('navigation', { name: 'Views' }).waitFor();
    return (signedIn = w);
  }

  async function askForLink(page: Page, email: string): Promise<string> {
    await page.goto(`${serving.webUrl}/console`);
    await page.getByLabel('Work email address').fill(email);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    return squash(await page.locator('main').innerText());
  }

  /** Clicks what leads to another page of ours, and waits for that page to load at `url`. */
  async function follow(page: Page, url: (u: URL) => boolean, click: () => Promise<void>): Promise<void> {
    await Promise.all([page.waitForURL(url, { waitUntil: 'load' }), click()]);
  }

  /** The ticket ids listed in the queue on the page. */
  const listed = async (page: Page) => (await page.locator('ol.queue .badge').allInnerTexts()).map((t) => t.trim());

  /** Opens the ticket's page, then submits one of its forms by its button: the response to the post. */
  async function actOn(page: Page, ticket: Ticket, fill: () => Promise<void>, button: string): Promise<Response> {
    await page.goto(`${serving.webUrl}/console/tickets/${ticket.id}`);
    await fill();
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/console/tickets/${ticket.id}/act`) && r.request().method() === 'POST'),
      page.waitForURL((u) => u.pathname.endsWith('/act'), { waitUntil: 'load' }),
      page.getByRole('button', { name: button, exact: true }).click(),
    ]);
    return response;
  }

  it('signs in with the link from the outbox; a stranger asking gets the very same page and no mail', async () => {
    const stranger = await phonePage();
    const strangerSaw = await askForLink(stranger.page, 'eve@evil.test');
    await stranger.page.close();
    const asking = await phonePage();
    const staffSaw = await askForLink(asking.page, STAFF);
    await asking.page.close();
    expect(strangerSaw.replace('eve@evil.test', 'X')).toBe(staffSaw.replace(STAFF, 'X'));
    expect((await readOutbox(outbox())).filter((e) => e.destinations.includes('eve@evil.test'))).toEqual([]);

    const { page } = await staffPage();
    expect(await page.locator('nav.console .who').innerText()).toBe(STAFF);
  });

  it('switches views by their links, filters by priority and searches, the views keeping both', async () => {
    const w = await staffPage();
    const { page } = w;
    await page.goto(`${serving.webUrl}/console`);
    expect(await listed(page)).toEqual(expect.arrayContaining([wifi.id, vpn.id]));

    await follow(page, (u) => u.searchParams.get('view') === 'mine', () => page.getByRole('link', { name: /^Mine/ }).click());
    expect(await page.getByRole('link', { name: /^Mine/ }).getAttribute('aria-current')).toBe('page');
    expect(await listed(page)).toEqual([]);
    await follow(page, (u) => u.searchParams.get('view') === 'unassigned', () => page.getByRole('link', { name: /^Unassigned/ }).click());
    expect(await listed(page)).toEqual(expect.arrayContaining([wifi.id, vpn.id]));

    // The two are triaged apart (a P2 outage, a P3 nuisance): a priority filter tells them apart.
    expect(vpn.priority, 'the fixtures are triaged to different priorities').not.toBe(wifi.priority);
    await page.getByText('Filters', { exact: true }).click();
    await page.getByLabel('Priority').selectOption(wifi.priority!);
    await follow(page, (u) => u.searchParams.get('priority') === wifi.priority, () => page.getByRole('button', { name: 'Search', exact: true }).click());
    expect(await listed(page)).toEqual([wifi.id]);
    await follow(page, (u) => u.searchParams.get('view') === 'open', () => page.getByRole('link', { name: /^Open/ }).click());
    expect(new URL(page.url()).searchParams.get('priority')).toBe(wifi.priority);
    expect(await listed(page)).toEqual([wifi.id]);
    await looksRight(w, 'console-queue-filtered');

    await follow(page, (u) => !u.searchParams.has('priority'), () => page.getByRole('link', { name: 'Clear' }).click());
    await page.getByLabel('Search tickets').fill('vpn home office');
    await follow(page, (u) => u.searchParams.get('q') === 'vpn home office', () => page.getByRole('button', { name: 'Search', exact: true }).click());
    expect(await listed(page)).toEqual([vpn.id]);
    await looksRight(w, 'console-queue-search');
    // All tickets: the same search over every ticket, newest activity first; no order to choose there.
    await follow(page, (u) => u.searchParams.get('view') === 'all', () => page.getByRole('link', { name: /^All tickets/ }).click());
    expect(await listed(page)).toEqual([vpn.id]);
    expect(await page.getByLabel('Order').count()).toBe(0);
    await looksRight(w, 'console-queue-all');
    // An open view in the order chosen, kept by the links to other views.
    await follow(page, (u) => u.searchParams.get('view') === 'open', () => page.getByRole('link', { name: /^Open/ }).click());
    await page.getByLabel('Order').selectOption('oldest');
    await follow(page, (u) => u.searchParams.get('sort') === 'oldest', () => page.getByRole('button', { name: 'Search', exact: true }).click());
    expect(await page.getByRole('link', { name: /^Unassigned/ }).getAttribute('href')).toContain('sort=oldest');
    await page.getByLabel('Search tickets').fill('nothing-like-this-anywhere');
    await follow(page, (u) => u.searchParams.get('q') === 'nothing-like-this-anywhere', () => page.getByRole('button', { name: 'Search', exact: true }).click());
    expect(await listed(page)).toEqual([]);
    // A ticket id in the search box opens that ticket.
    await page.getByLabel('Search tickets').fill(wifi.id.toLowerCase());
    await follow(page, (u) => u.pathname === `/console/tickets/${wifi.id}`, () => page.getByRole('button', { name: 'Search', exact: true }).click());
    await page.getByRole('heading', { name: wifi.subject }).waitFor();
  });

  it('opens a ticket from the queue, and downloads its attachment from S3 with the bytes Lars sent', async () => {
    const w = await staffPage();
    const { page } = w;
    await page.goto(`${serving.webUrl}/console?view=open`);
    await follow(page, (u) => u.pathname === `/console/tickets/${wifi.id}`, () => page.getByRole('link', { name: new RegExp(wifi.id) }).click());
    await page.getByRole('heading', { name: wifi.subject }).waitFor();
    const facts = squash(await page.locator('dl.facts').innerText());
    expect(facts).toContain(`Priority ${wifi.priority}`);
    expect(facts).toContain(LARS);
    expect(squash(await page.locator('ol.thread').innerText())).toContain('nm-wifi.log');
    await looksRight(w, 'console-ticket-attachment');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'nm-wifi.log' }).click()]);
    expect(download.suggestedFilename()).toBe('nm-wifi.log');
    // Straight from the bucket, by a link that works for five minutes.
    const from = new URL(download.url());
    expect(from.origin).toBe(new URL((await findServing(data))!.endpoints.s3).origin);
    expect(from.searchParams.get('X-Amz-Expires')).toBe('300');
    const original = (await simpleParser(fixtureMail('05-thunderbird-new-wifi-log.eml'))).attachments.find((a) => a.filename === 'nm-wifi.log')!;
    expect(readFileSync(await download.path()).equals(original.content)).toBe(true);
    expect(page.url()).toBe(`${serving.webUrl}/console/tickets/${wifi.id}`);
  });

  it('answers the requester: the relay goes to Lars on his own thread, and the ticket waits on him', async () => {
    const w = await staffPage();
    const { page } = w;
    const seen = await outboxCount(outbox());
    const response = await actOn(page, wifi, () => page.getByLabel('Answer or note').fill('Please forget the network "NW-Staff" and join it again, then tell us if it still drops.'), 'Send to the requester');
    expect(response.status()).toBe(200);
    expect(await page.getByRole('status').innerText()).toContain(LARS);
    await looksRight(w, 'console-ticket-answered');

    const sent = await sentMails(outbox(), seen);
    const relay = expectOneRelayOnThread(sent, LARS, wifi);
    expect(relay.text).toContain('join it again');
    expect((await serving.store.getTicketById(wifi.number))!.status).toBe('waiting-on-requester');
  });

  it('saves an internal note: on the thread, mailed to the staff list, not to Lars', async () => {
    const w = await staffPage();
    const { page } = w;
    const seen = await outboxCount(outbox());
    const response = await actOn(page, wifi, () => page.getByLabel('Answer or note').fill('The access point on the 4th floor was replaced last week.'), 'Save as a note');
    expect(response.status()).toBe(200);
    const note = page.locator('ol.thread li.note');
    expect(squash(await note.innerText())).toContain(`Internal note by ${STAFF}`);
    expect(squash(await note.innerText())).toContain('The access point on the 4th floor was replaced last week.');
    await looksRight(w, 'console-ticket-noted');

    const sent = await sentMails(outbox(), seen);
    expect(sent.filter((m) => m.to.includes(LARS))).toEqual([]);
    const notice = sent.find((m) => m.kind === 'note-notification');
    expect(notice?.to).toContain('it-team@northwind.example');
    expect(notice?.mail.text).toContain('The access point on the 4th floor was replaced last week.');
  });

  it('says on the page why a change is refused (a merge into itself), and changes nothing', async () => {
    const w = await staffPage();
    const { page } = w;
    const before = (await serving.store.getTicketById(wifi.number))!;
    const seen = await outboxCount(outbox());
    const response = await actOn(page, wifi, () => page.getByLabel('Merge into ticket').fill(wifi.id), 'Apply changes');
    expect(response.status()).toBe(422);
    const why = squash(await page.getByRole('alert').innerText());
    expect(why).toContain(wifi.id);
    expect(why).toMatch(/itself/);
    await looksRight(w, 'console-ticket-refused');

    expect(await serving.store.getTicketById(wifi.number)).toMatchObject({ status: before.status, duplicateOf: before.duplicateOf });
    expect(await outboxCount(outbox())).toBe(seen);
  });

  it('does nothing for a form posted from another site, though the browser holds a session', async () => {
    const { page } = await staffPage();
    const messages = (await serving.store.listMessages(wifi.key)).length;
    const seen = await outboxCount(outbox());
    const elsewhere = await chromium.newPage();
    await elsewhere.setContent(
      `<form method="post" action="${serving.webUrl}/console/tickets/${wifi.id}/act"><input name="action" value="reply"><input name="text" value="Your password expires: log in at evil.example"><button>Go</button></form>`,
    );
    const [response] = await Promise.all([elsewhere.waitForResponse((r) => r.url().endsWith('/act')), elsewhere.getByRole('button', { name: 'Go' }).click()]);
    expect(response.status()).toBe(403);
    await elsewhere.close();
    expect(await serving.store.listMessages(wifi.key)).toHaveLength(messages);
    expect(await outboxCount(outbox())).toBe(seen);
    // The session itself is untouched.
    await page.goto(`${serving.webUrl}/console`);
    await page.getByRole('navigation', { name: 'Views' }).waitFor();
  });

  it('signs out: the ticket page asks for a sign-in again', async () => {
    const { page } = await staffPage();
    await page.goto(`${serving.webUrl}/console/tickets/${wifi.id}`);
    await follow(page, (u) => u.pathname === '/console', () => page.getByRole('button', { name: 'Sign out' }).click());
    await page.getByRole('heading', { name: 'Staff sign-in' }).waitFor();
    await page.goto(`${serving.webUrl}/console/tickets/${wifi.id}`);
    await page.getByRole('heading', { name: 'Staff sign-in' }).waitFor();
    await page.close();
    signedIn = undefined;
  });
});
