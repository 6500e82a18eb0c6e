/**
 * Incidents in the staff console and on the requester's status page, against `ticketing serve`
 * (in process): the open incidents above the queue, an incident's own page with its tickets, the
 * ticket page's "Part of incident", and the one sentence a requester sees. These tests are about
 * what is shown, so the incidents are written through the store's port (createIncident,
 * changeTicket) rather than formed by the pipeline, which is off here (`incidents.enabled`).
 * The pages are then looked at in Chromium at 390 px: axe-core, no sideways scrolling, no CSP
 * violation; screenshots in test-artifacts/web/.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfig } from '../../src/config.js';
import { formatIncidentId, type Incident } from '../../src/domain/incidents/incident.js';
import type { Ticket } from '../../src/domain/ticket.js';
import { serve, type Serving } from '../../src/local/serve.js';
import { PHONE_390, squash, useChromium } from '../support/chromium.js';
import { expectPageLooksRight, watchedPage, type WatchedPage } from '../support/page-checks.js';
import { signInLinks } from '../support/outbox.js';
import { requestForm, WebClient } from '../support/web-client.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const northwind = loadConfigFile(join(repoRoot, 'fixtures', 'northwind.config.json'));
// The pipeline forms no incident of its own here: the tests write the ones they show.
const config = parseConfig({ ...northwind, incidents: { ...(northwind.incidents as object | undefined), enabled: false } });
const SCRIPT = '<script>alert(1)</script>';
const BREAKOUT = '"><img src=x onerror=alert(2)>';
const TITLE = `Wi-Fi and network down (floor 3, Malmö) ${SCRIPT}`;
const STAFF = 'alex.kim@northwind.example';

const chromium = useChromium('the console pages of an incident');
let serving: Serving;
let data: string;
/** Three reports of one outage, from three people; the incident they are in; one resolved before; a ticket in none. */
let reports: Ticket[];
let loner: Ticket;
let open: Incident;
let resolved: Incident;

beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), 'ticketing-console-incidents-'));
  serving = await serve({ data, config, smtpPort: 0, httpPort: 0, now: new Date('2026-12-06T09:00:00Z'), print: () => undefined });
  const asked = [
    { name: 'Ana Lind', email: 'ana.lind@example.org', subject: 'No Wi-Fi on floor 3', description: 'Since 9 the Wi-Fi on floor 3 is gone.' },
    { name: 'Ben Ek', email: 'ben.ek@example.org', subject: `Network down ${BREAKOUT}`, description: `Nothing loads on the 3rd floor ${SCRIPT}.` },
    { name: 'Cem Aydin', email: 'cem.aydin@example.org', subject: 'Internet not working in Malmö', description: 'The internet does not work on floor 3 in Malmö.' },
  ];
  reports = [];
  for (const fields of asked) reports.push(await newTicket(fields));
  open = await writeIncident(reports, TITLE);
  resolved = await writeIncident([await newTicket({ name: 'Dag Berg', email: 'dag.berg@example.org', subject: 'Printer offline', description: 'The printer on floor 2 is offline.' })], 'Printing down (floor 2)');
  await serving.store.resolveIncident(resolved.number, '2026-12-06T08:59:00Z');
  loner = await newTicket({ name: 'Eva Holm', email: 'eva.holm@example.org', subject: 'New keyboard please', description: 'The E key is stuck.' });
});

afterAll(async () => {
  await serving?.close();
  await rm(data, { recursive: true, force: true });
});

async function newTicket(fields: { name: string; email: string; subject: string; description: string }): Promise<Ticket> {
  const requester = new WebClient(serving.webUrl);
  const sent = await requester.post('/', requestForm(await requester.formToken(), fields));
  const id = /class="badge">(TKT-\d+)</.exec(await sent.text())![1]!;
  return (await serving.store.getTicketById(Number(id.slice(4))))!;
}

/** An incident of these tickets, written through the store's port as the pipeline writes one, each ticket marked. */
async function writeIncident(tickets: Ticket[], title: string): Promise<Incident> {
  const number = await serving.store.nextIncidentNumber(tickets[0]!.key);
  const id = formatIncidentId(number);
  const at = tickets.at(-1)!.createdAt;
  const incident = await serving.store.createIncident({
    number,
    id,
    status: 'open',
    title,
    service: 'network',
    site: 'malmö',
    floor: 3,
    members: tickets.map((t) => ({ ticketKey: t.key, ticketId: t.id, requester: t.requester, at: t.createdAt, place: 'floor 3, Malmö', excerpt: t.lastExcerpt })),
    noticeMessageId: `incident-${number}@northwind.example`,
    createdAt: tickets.at(-1)!.createdAt,
    resolvedAt: null,
  });
  for (const t of tickets) {
    await serving.store.changeTicket({ ticket: t, changes: { incident: id }, events: [{ at, actor: 'system', kind: 'incident', from: null, to: id, why: 'three people reported it within minutes' }], causeKey: `incident-${t.key}` });
  }
  return incident;
}

let signIns = 0;
async function signedIn(): Promise<WebClient> {
  const client = new WebClient(serving.webUrl);
  const email = `staff-${++signIns}@it.northwind.example`;
  await client.post('/console/sign-in', new URLSearchParams({ token: await client.formToken('/console'), email }));
  const path = (await signInLinks(join(data, 'outbox'), email)).at(-1)!.pathname;
  expect((await client.post(path, new URLSearchParams({ token: await client.formToken(path) }))).status).toBe(303);
  return client;
}

/** The requester's status link, from the acknowledgement we mailed them. */
async function statusLink(ticket: Ticket): Promise<string> {
  const ack = (await serving.store.listMessages(ticket.key)).find((m) => m.direction === 'outbound' && m.to.includes(ticket.requester))!;
  return new URL(/(http:\/\/127\.0\.0\.1:\d+\/s\/[\w.-]+)/.exec(ack.visibleText)![1]!).pathname;
}

describe('incidents in the console', () => {
  it('shows the open incidents above the queue, escaped, linking to each incident, and not the resolved one', async () => {
    const client = await signedIn();
    const queue = await (await client.get('/console')).text();
    const card = queue.slice(queue.indexOf('<section class="card incidents"'), queue.indexOf('</section>'));
    expect(queue.indexOf('<section class="card incidents"')).toBeLessThan(queue.indexOf('<form method="get" action="/console"'));
    expect(card).toContain('<h2 id="incidents-heading">Incidents</h2>');
    expect(card).toContain(`<a href="/console/incidents/${open.id}"><span class="badge bad">${open.id}</span> <strong>Wi-Fi and network down (floor 3, Malmö) &lt;script&gt;alert(1)&lt;/script&gt;</strong></a>`);
    expect(card).toMatch(/3 reports from 3 people · since \d\d:\d\d UTC/);
    expect(card).not.toContain(resolved.id);
    expect(queue).not.toContain(SCRIPT);
    // Each of its tickets in the queue says so.
    for (const t of reports) expect(queue).toMatch(new RegExp(`${t.id}</span>[^]*?unassigned · part of ${open.id}</p>`));
    expect(queue).toMatch(new RegExp(`${loner.id}</span>[^]*?unassigned</p>`));
    // Every view shows it, searches too.
    expect(await (await client.get('/console?view=all&q=printer')).text()).toContain(`/console/incidents/${open.id}`);
  });

  it("lists an incident's tickets with their status, requester and report, each linking to its ticket", async () => {
    const client = await signedIn();
    const response = await client.get(`/console/incidents/${open.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const page = await response.text();
    expect(page).toContain(`<title>${open.id} Wi-Fi and network down (floor 3, Malmö) &lt;script&gt;alert(1)&lt;/script&gt; · Northwind IT</title>`);
    expect(page).toContain('<dt>Reports</dt><dd>3 reports from 3 people</dd>');
    expect(page).toContain('3 tickets, 3 still open; in the order they were reported.');
    expect(page).toMatch(/ · reported \d\d:\d\d UTC · floor 3, Malmö<\/p>/);
    for (const t of reports) {
      expect(page).toContain(`<a href="/console/tickets/${t.id}"><span class="badge">${t.id}</span>`);
      expect(page).toContain(t.requester.replace('@', '@<wbr>'));
    }
    expect(page).toContain('Network down &quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(page).toContain('Nothing loads on the 3rd floor &lt;script&gt;alert(1)&lt;/script&gt;.');
    expect(page).not.toMatch(/<script>|<img /);
    // In the order reported; the status of each as the queue says it.
    const order = [...page.matchAll(/href="\/console\/tickets\/(TKT-\d+)"/g)].map((m) => m[1]);
    expect(order).toEqual(reports.map((t) => t.id));
    expect(page).toMatch(/<p class="meta">open · (P\d|no priority) · unassigned<\/p>/);

    // An unknown or malformed id is a plain 404.
    expect((await client.get('/console/incidents/INC-9999')).status).toBe(404);
    const malformed = await client.get(`/console/incidents/${encodeURIComponent(SCRIPT)}`);
    expect(malformed.status).toBe(404);
    expect(await malformed.text()).not.toContain(SCRIPT);
  });

  it('says when a resolved incident was resolved (the id read in any case)', async () => {
    const client = await signedIn();
    expect(await (await client.get(`/console/incidents/${resolved.id.toLowerCase()}`)).text()).toMatch(/<dt>Status<\/dt><dd>resolved 2026-12-06 08:59 UTC<\/dd>/);
  });

  it('asks for a sign-in first, like every console page', async () => {
    const stranger = await fetch(`${serving.webUrl}/console/incidents/${open.id}`, { redirect: 'manual' });
    expect(stranger.status).toBe(303);
    expect(stranger.headers.get('location')).toBe('/console');
    const forged = await fetch(`${serving.webUrl}/console/incidents/${open.id}`, { headers: { cookie: `tkt_session=${'a'.repeat(43)}.${'b'.repeat(43)}` }, redirect: 'manual' });
    expect(forged.status).toBe(303);
  });

  it('says on a ticket that it is part of the incident, linking to it, and in its history', async () => {
    const client = await signedIn();
    const page = await (await client.get(`/console/tickets/${reports[1]!.id}`)).text();
    expect(page).toContain(`<p class="part-of">Part of incident <a href="/console/incidents/${open.id}">${open.id}</a>: Wi-Fi and network down (floor 3, Malmö) &lt;script&gt;alert(1)&lt;/script&gt;</p>`);
    // Near the top: before the facts.
    expect(page.indexOf('class="part-of"')).toBeLessThan(page.indexOf('<dl class="facts">'));
    expect(page).toContain(`<strong>Part of incident ${open.id}</strong> (automatic)`);
    expect(await (await client.get(`/console/tickets/${loner.id}`)).text()).not.toContain('class="part-of"');
    expect(await (await client.get(`/console/tickets/${resolved.members[0]!.ticketId}`)).text()).toContain(': Printing down (floor 2) (resolved)</p>');
  });
});

describe('the status page of a ticket in an incident', () => {
  const KNOWN = 'This is a known problem: other people have reported it too, and Northwind IT is working on it.';

  it('says the problem is known and being worked on, and nothing of the other reports or people', async () => {
    const page = await (await new WebClient(serving.webUrl).get(await statusLink(reports[0]!))).text();
    expect(page).toContain(`<p class="known">${KNOWN}</p>`);
    for (const other of reports.slice(1)) {
      expect(page).not.toContain(other.id);
      expect(page).not.toContain(other.requester);
      expect(page).not.toContain(other.requesterName);
    }
    expect(page).not.toContain(open.id);
    expect(await (await new WebClient(serving.webUrl).get(await statusLink(loner))).text()).not.toContain(KNOWN);
  });

  it('says nothing of it once the incident is resolved', async () => {
    const printer = (await serving.store.getTicketById(Number(resolved.members[0]!.ticketId.slice(4))))!;
    const page = await (await new WebClient(serving.webUrl).get(await statusLink(printer))).text();
    expect(page).toContain('Printer offline');
    expect(page).not.toContain(KNOWN);
  });
});

describe('the incident pages in Chromium at 390 px', () => {
  const phonePage = () => watchedPage(chromium, PHONE_390);
  const looksRight = (w: WatchedPage, name: string) => expectPageLooksRight(w, name, PHONE_390, 'web', { '390': PHONE_390 });

  it('a staff member goes from the queue to the incident and on to a ticket; the requester sees the one sentence', async () => {
    const w = await phonePage();
    const { page } = w;
    await page.goto(`${serving.webUrl}/console`);
    await page.getByLabel('Work email address').fill(STAFF);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await page.goto((await signInLinks(join(data, 'outbox'), STAFF)).at(-1)!.href);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Incidents' }).waitFor();
    await looksRight(w, 'console-queue-incidents');

    await Promise.all([page.waitForURL((u) => u.pathname === `/console/incidents/${open.id}`), page.getByRole('link', { name: new RegExp(open.id) }).click()]);
    await page.getByRole('heading', { name: TITLE }).waitFor();
    const tickets = squash(await page.locator('ol.queue').innerText());
    for (const t of reports) expect(tickets).toContain(t.id);
    expect(tickets).toContain(`Network down ${BREAKOUT}`);
    await looksRight(w, 'console-incident');

    await Promise.all([page.waitForURL((u) => u.pathname === `/console/tickets/${reports[1]!.id}`), page.getByRole('link', { name: new RegExp(reports[1]!.id) }).click()]);
    expect(squash(await page.locator('p.part-of').innerText())).toBe(`Part of incident ${open.id}: ${TITLE}`);
    await looksRight(w, 'console-ticket-in-incident');

    await page.goto(`${serving.webUrl}${await statusLink(reports[2]!)}`);
    await page.getByText('This is a known problem').waitFor();
    await looksRight(w, 'status-in-incident');
    await page.close();
  });
});
