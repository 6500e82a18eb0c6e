/**
 * The request form and the status page in headless Chromium (test/support/chromium.ts) against
 * `ticketing serve`: a person fills in the form on a phone, gets the ticket number, opens the
 * status link from the acknowledgement, answers and says it is solved. Every page is checked
 * with axe-core (no serious or critical violation), for sideways scrolling at phone width, and
 * for content-security-policy violations; screenshots go to test-artifacts/web/ (gitignored).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config.js';
import { readOutbox } from '../../src/local/ses-endpoint.js';
import { serve, type Serving } from '../../src/local/serve.js';
import { DESKTOP, PHONE, screenshot, squash, useChromium, widthAt } from '../support/chromium.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const config = loadConfigFile(join(repoRoot, 'fixtures', 'northwind.config.json'));
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SUITE = 'web';

const chromium = useChromium('the request form and the status page');
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

interface Watched {
  page: Page;
  /** Console messages about the content security policy: anything the page tried that the policy refused. */
  refused: string[];
}

async function phonePage(): Promise<Watched> {
  const page = await chromium.newPage();
  await page.setViewportSize(PHONE);
  const refused: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
  });
  return { page, refused };
}

/** axe-core's serious and critical findings on the page (run through the debugger: our CSP allows no injected script). */
async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const run = (globalThis as unknown as { axe: { run(o: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe.run;
    const result = await run({ resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.targets.join(', ')}`);
}

async function looksRight(w: Watched, name: string): Promise<void> {
  expect(await accessibilityProblems(w.page), `${name}: axe-core`).toEqual([]);
  const width = await widthAt(w.page, PHONE);
  expect(width.widest, `${name}: nothing wider than a phone`).toEqual([]);
  expect(width.scrollWidth).toBeLessThanOrEqual(width.clientWidth);
  expect(w.refused, `${name}: content security policy`).toEqual([]);
  await screenshot(w.page, SUITE, `${name}-phone`, PHONE);
  await screenshot(w.page, SUITE, `${name}-desktop`, DESKTOP);
}

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
