/**
 * The stale-ticket digest rendered by a real browser (headless Chromium, see
 * test/support/chromium.ts): a dozen tickets and an incident with hostile subjects, names,
 * titles and excerpts are shown as written, nothing from them runs or becomes an element, the only links are mailto links to
 * our ticket addresses, and the mail fits a 360 px phone without sideways scrolling.
 * (test/integration/staff-mail-chromium.test.ts checks how its addresses break on a phone.)
 *
 * This suite does not skip: without Chromium every test fails and says how to install it.
 * Screenshots at phone and desktop width go to test-artifacts/digest/ (gitignored).
 */
import { describe, expect, it } from 'vitest';
import { renderDigest, type DigestInput, type DigestTicket } from '../../src/mail/digest.js';
import { DESKTOP, PHONE, inspect, readAsBytes, screenshot, squash, useChromium, widthAt, type Loaded } from '../support/chromium.js';
import { digestTicket } from '../support/message.js';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';
const BREAKOUT = '"><img src=x onerror=alert(2)>';
const ARABIC = 'الطابعة لا تعمل في الطابق الثالث';
const HEBREW = 'שלום, ה-VPN לא עובד מהבית';
const EMOJI = 'Laptop won’t boot 🔥💻😭 👩‍💻';
/** A subject past the digest's 200-character clip, with no space to break at. */
const LONG = `Printer-on-floor-3-${'keeps-jamming-on-double-sided-pages-'.repeat(16)}`;
/** Tags the received text above spells: none may exist as elements. */
const HOSTILE_TAGS = ['script', 'img', 'b', 'a'];
const SUPPORT = 'support@northwind.example';

const ticket = digestTicket;

const stale: DigestTicket[] = [
  ticket(1, { priority: 'P1', idleHours: 5.2, subject: `VPN down for the whole office ${SCRIPT}`, assignee: 'alex.kim@northwind.example' }),
  ticket(2, { priority: 'P1', idleHours: 9, subject: `Payroll export fails ${BREAKOUT}`, requester: `Dana ${IMG} <dana@northwind.example>` }),
  ticket(3, { priority: 'P2', idleHours: 30, subject: ARABIC, requester: 'سارة أحمد <sara@northwind.example>', category: 'printing' }),
  ticket(4, { priority: 'P2', idleHours: 52, subject: `${HEBREW} \u202Etxt.exe`, requester: 'דנה כהן <dana.c@northwind.example>', category: 'network' }),
  ticket(5, { priority: 'P2', idleHours: 26, subject: EMOJI, requester: 'Zoë 👩‍💻 <zoe@northwind.example>', excerpt: `It shows ${SCRIPT} on the screen 🔥` }),
  ticket(6, { priority: 'P3', idleHours: 24 * 9, subject: LONG, excerpt: `${'very long line without much in it '.repeat(10)}` }),
  ticket(7, { priority: 'P3', idleHours: 24 * 12, subject: 'Tom & Jerry "quoted" <b>bold</b> monitor', status: 'waiting-on-requester', assignee: 'priya@northwind.example' }),
  ticket(8, { priority: 'P4', idleHours: 24 * 20, subject: 'New keyboard for reception', category: null }),
  ticket(9, { priority: null, idleHours: 24 * 6, subject: `Access to the ${IMG} share`, category: null, excerpt: BREAKOUT }),
  ticket(10, { priority: null, idleHours: 24 * 7, subject: 'Teams keeps asking me to sign in', status: 'awaiting-info' }),
];
const unreachable: DigestTicket[] = [
  ticket(11, { priority: 'P3', idleHours: 24 * 11, subject: `Mailbox full ${SCRIPT}`, status: 'waiting-on-requester', requester: `"Contractor ${BREAKOUT}" <gone@contoso.example>` }),
  ticket(12, { priority: 'P2', idleHours: 24 * 6, subject: `${ARABIC} ${EMOJI}`, status: 'awaiting-info', requester: 'left@contoso.example' }),
];
const input: DigestInput = {
  teamName: 'Northwind IT & <Facilities>',
  staffList: 'it-team@northwind.example',
  supportAddress: SUPPORT,
  now: new Date('2026-11-23T08:00:00Z'),
  stale,
  unreachable,
  nudged: ['TKT-20', 'TKT-21'],
  closed: ['TKT-19'],
  undelivered: [
    { ticketId: 'TKT-3', kind: 'relay', to: 'sara@northwind.example', state: 'unconfirmed', detail: `SES's answer about the mail was lost ${SCRIPT}` },
    { ticketId: null, kind: 'limit-notice', to: 'it-team@northwind.example', state: 'failed', detail: `MessageRejected: ${IMG}` },
  ],
  omitted: { stale: 3, unreachable: 0 },
  incidents: {
    open: [
      {
        id: 'INC-7',
        status: 'open',
        title: `Wi-Fi down ${SCRIPT} (floor 3, ${ARABIC})`,
        tickets: Array.from({ length: 24 }, (_, i) => `TKT-${200 + i}`),
        requesters: Array.from({ length: 22 }, (_, i) => `person${i}@northwind.example`),
        places: ['floor 3, Malmö', `floor 2, ${BREAKOUT}`],
        firstReport: '2026-11-23T06:52:00Z',
        lastReport: '2026-11-23T07:49:00Z',
        resolvedAt: null,
      },
    ],
    resolved: [{ id: 'INC-6', status: 'resolved', title: `${LONG}`, tickets: ['TKT-15', 'TKT-16', 'TKT-17'], requesters: ['a@n.example', 'b@n.example', 'c@n.example'], places: [], firstReport: '2026-11-22T09:00:00Z', lastReport: '2026-11-22T09:20:00Z', resolvedAt: '2026-11-22T13:05:00Z' }],
  },
  allClear: false,
};
const digest = renderDigest(input);
const allClear = renderDigest({ ...input, stale: [], unreachable: [], nudged: [], closed: ['TKT-19'], undelivered: [], omitted: { stale: 0, unreachable: 0 }, incidents: { open: [], resolved: [] }, allClear: true });

/** What each ticket shows as received text, as the digest has it (long ones clipped). */
function shownPieces(t: DigestTicket): string[] {
  // A clipped one shows its start, then "…".
  const clipped = (text: string, max: number) => (squash(text).length <= max ? squash(text) : squash(text).slice(0, 100));
  return [clipped(t.subject, 200), t.requester, clipped(t.excerpt, 140), ...(t.category ? [t.category] : []), ...(t.assignee ? [t.assignee] : [])].map((piece) =>
    // Bidi overrides are dropped from received text; everything else stays as written.
    piece.replace(/[\u202A-\u202E\u2066-\u2069]/g, ''),
  );
}

const chromium = useChromium('the stale-ticket digest');

describe('the digest in Chromium', () => {
  // One page, loaded by the first test that needs it (never in a hook: see useChromium).
  let loaded: Promise<Loaded> | undefined;
  const digestPage = () => (loaded ??= chromium.load(digest.html));

  it('shows every piece of received text as written, and nothing from it runs or becomes an element', async () => {
    const { page, dialogs, pageErrors } = await digestPage();
    // Give a smuggled onerror/onload a moment after load, then look.
    await page.waitForTimeout(50);
    const seen = await inspect(page, HOSTILE_TAGS.filter((t) => t !== 'a'));
    const text = squash(seen.innerText);
    for (const t of [...stale, ...unreachable]) {
      for (const piece of shownPieces(t)) expect(text).toContain(squash(piece));
    }
    for (const hostile of [SCRIPT, IMG, BREAKOUT, ARABIC, HEBREW, EMOJI]) expect(text).toContain(hostile);
    // Mail of ours that did not go out, and the tickets left out of a long list, are said.
    expect(text).toContain(squash(`TKT-3 · staff answer to sara@northwind.example: may not have gone out (SES's answer about the mail was lost ${SCRIPT})`));
    expect(text).toContain(squash(`No ticket · on-hold notice to it-team@northwind.example: could not be sent (MessageRejected: ${IMG})`));
    expect(text).toContain('3 more tickets not listed here');
    // The open incident first, its hostile title as written; the resolved one a line.
    expect(text.indexOf('INC-7')).toBeLessThan(text.indexOf('TKT-2 · idle'));
    expect(text).toContain(squash(`INC-7 · 24 reports from 22 people Wi-Fi down ${SCRIPT} (floor 3, ${ARABIC})`));
    expect(text).toContain('First report 06:52, latest 07:49 UTC');
    expect(text).toContain(squash(`Reported from floor 3, Malmö; floor 2, ${BREAKOUT}`));
    expect(text).toContain('TKT-219 and 4 more tickets');
    expect(text).toContain('INC-6 · Printer-on-floor-3-');
    expect(text).toContain('3 reports from 3 people · resolved Sun 22 Nov 13:05 UTC');
    expect(text).toContain(input.teamName);
    expect(seen.title).toBe(digest.subject);
    expect(seen.hostileElements).toEqual([]);
    expect(seen.handlerAttributes).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('links only to our ticket addresses, each a mailto with its ticket tag', async () => {
    const { page } = await digestPage();
    const { links } = await inspect(page, []);
    const ours = new Map([...stale, ...unreachable].map((t) => [t.replyAddress, t.id]));
    expect(links).toHaveLength(ours.size);
    for (const link of links) {
      expect(link.tag).toBe('a');
      const url = new URL(link.href);
      expect(url.protocol).toBe('mailto:');
      const id = ours.get(url.pathname);
      expect(id, link.href).toBeDefined();
      expect(url.searchParams.get('subject')).toBe(`[${id}]`);
      expect(link.text).toBe(`Reply to ${url.pathname}`);
    }
  });

  it('lists P1 first and no priority last, oldest first within, then the unreachable', async () => {
    const { page } = await digestPage();
    const text = (await inspect(page, [])).innerText;
    const headings = [...text.matchAll(/^(P\d|No priority|Cannot reach the requester) · \d+ tickets?$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['P1', 'P2', 'P3', 'P4', 'No priority', 'Cannot reach the requester']);
    const order = [...text.matchAll(/^(?:P\d )?(TKT-\d+) · idle/gm)].map((m) => m[1]);
    expect(order).toEqual(['TKT-2', 'TKT-1', 'TKT-4', 'TKT-3', 'TKT-5', 'TKT-7', 'TKT-6', 'TKT-8', 'TKT-10', 'TKT-9', 'TKT-11', 'TKT-12']);
  });

  it('declares lang="en" and UTF-8, so non-Latin text survives when loaded as bytes', async () => {
    const seen = await readAsBytes(chromium, digest.html);
    expect(seen.charset).toBe('UTF-8');
    expect(seen.lang).toBe('en');
    expect(seen.text).toContain(ARABIC);
    expect(seen.text).toContain('👩‍💻');
  });

  it('fits a 360 px phone without sideways scrolling, long subjects wrapped', async () => {
    const { page } = await digestPage();
    const { scrollWidth, clientWidth, widest } = await widthAt(page, PHONE);
    expect(widest).toEqual([]);
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
  });

  it('saves screenshots at phone and desktop width to test-artifacts/digest/', async () => {
    const { page } = await digestPage();
    expect((await screenshot(page, 'digest', 'digest-phone', PHONE)).bytes).toBeGreaterThan(1000);
    expect((await screenshot(page, 'digest', 'digest-desktop', DESKTOP)).bytes).toBeGreaterThan(1000);
  });
});

describe('the all-clear digest in Chromium', () => {
  it('says all clear, has no links, fits a phone; screenshot to test-artifacts/digest/all-clear.png', async () => {
    const { page, dialogs } = await chromium.load(allClear.html);
    const seen = await inspect(page, HOSTILE_TAGS);
    expect(seen.innerText).toContain('All clear');
    expect(seen.innerText).toContain('TKT-19');
    expect(seen.links).toEqual([]);
    expect(seen.hostileElements).toEqual([]);
    expect(dialogs).toEqual([]);
    expect((await screenshot(page, 'digest', 'all-clear', PHONE)).bytes).toBeGreaterThan(1000);
  });
});

describe('control: the same text pasted in unescaped', () => {
  it('would run script and create elements, so the checks above can see it', async () => {
    const raw = `<!doctype html><html><body>${[...stale, ...unreachable].map((t) => `<div>${t.subject}</div><div>${t.requester}</div><div>${t.excerpt}</div>`).join('')}</body></html>`;
    const { page, dialogs } = await chromium.load(raw);
    await page.waitForTimeout(50);
    const seen = await inspect(page, HOSTILE_TAGS);
    expect(seen.hostileElements.length).toBeGreaterThan(0);
    expect(seen.handlerAttributes.length).toBeGreaterThan(0);
    expect(dialogs.length).toBeGreaterThan(0);
    expect(squash(seen.innerText)).not.toContain(SCRIPT);
  });
});
