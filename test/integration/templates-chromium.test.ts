/**
 * The auto-reply HTML rendered by a real browser (headless Chromium from Debian's `chromium`
 * package, driven by playwright-core): hostile received text in the subject, the requester's
 * name and the asks is shown to the reader as written, never run or turned into elements.
 *
 * This suite does not skip (see test/support/chromium.ts): without Chromium every test fails
 * and says how to install it. Screenshots of each mail go to test-artifacts/templates/<name>.png
 * (gitignored) for a human look.
 */
import { describe, expect, it } from 'vitest';
import type { RenderedMail, TicketContext } from '../../src/mail/templates/render.js';
import { templates } from '../../src/mail/templates/requester.js';
import { staffTemplates } from '../../src/mail/templates/staff.js';
import { PHONE, inspect, readAsBytes, screenshot, squash, useChromium, widthAt, type Loaded } from '../support/chromium.js';

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';
const BREAKOUT = '"><img src=x onerror=alert(2)>';
const QUOTED = 'Tom & Jerry "quoted" <b>bold</b>';
const NON_LATIN = '日本語のプリンター Zoë Ångström 🔥👩‍💻';
/** Tags that appear in the received text above: none of them may exist as elements. */
const HOSTILE_TAGS = ['script', 'img', 'b'];

const ctx: TicketContext = {
  ticketId: 'TKT-42',
  subject: `Printer broken ${IMG} ${QUOTED} ${NON_LATIN}`,
  requesterName: `Dana ${SCRIPT} 山田 😀`,
  supportAddress: 'support@northwind.example',
  teamName: 'Northwind IT & Facilities',
};
const ASKS = [
  `Which laptop is it? ${SCRIPT}`,
  IMG,
  BREAKOUT,
  QUOTED,
  NON_LATIN,
  // A long unbroken token must wrap on a phone instead of widening the mail.
  `The link you used: https://intranet.northwind.example/${'very-long-path-segment/'.repeat(6)}`,
];

interface Case {
  mail: RenderedMail;
  /** The ticket the mail is about (a duplicate notice names the open one). */
  ticketId: string;
  asks: string[];
}
const cases: Record<string, Case> = {
  ack: { mail: templates.ack(ctx), ticketId: 'TKT-42', asks: [] },
  // A staff member forwarded the requester's mail: their name is received text too.
  'ack-forwarded': { mail: templates.ack({ ...ctx, openedFor: { by: `Priya ${SCRIPT}`, forwarded: true } }), ticketId: 'TKT-42', asks: [] },
  // A blank ask is dropped by the template: the list shows exactly ASKS.
  missingInfo: { mail: templates.missingInfo({ ...ctx, asks: [...ASKS, '   '], followUp: false }), ticketId: 'TKT-42', asks: ASKS },
  'missingInfo-followUp': { mail: templates.missingInfo({ ...ctx, asks: [...ASKS, ''], followUp: true }), ticketId: 'TKT-42', asks: ASKS },
  duplicateNotice: { mail: templates.duplicateNotice({ ...ctx, duplicateOfId: 'TKT-17' }), ticketId: 'TKT-17', asks: [] },
  incidentAck: { mail: templates.incidentAck({ ...ctx, incidentId: 'INC-7', title: 'Wi-Fi and network down (floor 3)' }), ticketId: 'TKT-42', asks: [] },
  'incidentAck-earlier': { mail: templates.incidentAck({ ...ctx, incidentId: 'INC-7', title: 'Wi-Fi and network down (floor 3)', earlier: true }), ticketId: 'TKT-42', asks: [] },
  nudge: { mail: templates.nudge({ ...ctx, waitingFor: [...ASKS, ' '], days: 3, closesInDays: 7 }), ticketId: 'TKT-42', asks: ASKS },
  autoClosed: { mail: templates.autoClosed({ ...ctx, days: 10 }), ticketId: 'TKT-42', asks: [] },
};

const chromium = useChromium('the mail templates');

// --- the mails -------------------------------------------------------------------------------

describe.each(Object.entries(cases))('%s in Chromium', (name, { mail, ticketId, asks }) => {
  const pieces = [ctx.subject, ctx.requesterName, ctx.teamName, ...asks];
  // One page per mail, loaded by the first test that needs it (never in a hook: see useChromium).
  let loaded: Promise<Loaded> | undefined;
  const mailPage = () => (loaded ??= chromium.load(mail.html));

  it('shows every piece of received text as written, and nothing from it runs or becomes an element', async () => {
    const { page, dialogs, pageErrors } = await mailPage();
    // Give a smuggled onerror/onload a moment after load, then look.
    await page.waitForTimeout(50);
    const seen = await inspect(page, HOSTILE_TAGS);
    for (const piece of pieces) expect(squash(seen.innerText)).toContain(squash(piece));
    expect(seen.title).toBe(`${ticketId}: ${ctx.subject}`);
    expect(seen.hostileElements).toEqual([]);
    expect(seen.handlerAttributes).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('shows the ticket id', async () => {
    const { page } = await mailPage();
    // The header badge and the sentence naming it; the hidden preview line does not count.
    expect(await page.getByText(ticketId, { exact: true }).filter({ visible: true }).count()).toBeGreaterThanOrEqual(1);
    expect((await inspect(page, HOSTILE_TAGS)).innerText).toContain(ticketId);
  });

  if (asks.length) {
    it('shows each ask as a list item, blank ones dropped', async () => {
      const { page } = await mailPage();
      expect((await inspect(page, HOSTILE_TAGS)).listItems.map(squash)).toEqual(asks.map(squash));
    });
  }

  it('declares lang="en" and UTF-8, so non-Latin text survives when loaded as bytes', async () => {
    // A data: URL without a charset leaves the encoding to the <meta charset>; without it,
    // Chromium reads the UTF-8 bytes as windows-1252 and garbles 日本語 and emoji.
    const seen = await readAsBytes(chromium, mail.html);
    expect(seen.charset).toBe('UTF-8');
    expect(seen.lang).toBe('en');
    expect(seen.text).toContain(NON_LATIN);
    expect(seen.text).toContain('山田 😀');
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const { page } = await mailPage();
    const { scrollWidth, clientWidth } = await widthAt(page, PHONE);
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
  });

  it(`saves a screenshot to test-artifacts/templates/${name}.png`, async () => {
    const { page } = await mailPage();
    expect((await screenshot(page, 'templates', name)).bytes).toBeGreaterThan(1000);
  });
});

// --- the staff's "requests on hold" mail ---------------------------------------------------

/**
 * Staff mails with hostile received text in them: each piece must show as written. Every staff
 * mail with real long addresses, at phone width: test/integration/staff-mail-chromium.test.ts.
 */
const staffMails: Record<string, { mail: RenderedMail; pieces: string[] }> = {
  limitNotice: {
    mail: staffTemplates.limitNotice({
      teamName: ctx.teamName,
      supportAddress: ctx.supportAddress,
      staffList: 'it-team@northwind.example',
      requester: `flood${IMG}@evil.test`,
      max: 10,
      hour: '2026-11-30T08',
      heldSubject: `Invoice ${SCRIPT} ${NON_LATIN}`,
    }),
    pieces: [`Invoice ${SCRIPT} ${NON_LATIN}`, `flood${IMG}@evil.test`, 'ticketing replay --quarantined'],
  },
  staffWarning: {
    mail: staffTemplates.staffWarning({ ...ctx, address: 'alex.kim@northwind.example', why: `DMARC failed ${SCRIPT}` }),
    pieces: [ctx.subject, `DMARC failed ${SCRIPT}`],
  },
};

describe.each(Object.entries(staffMails))('the staff mail %s in Chromium', (name, { mail, pieces }) => {
  let loaded: Promise<Loaded> | undefined;
  const staffPage = () => (loaded ??= chromium.load(mail.html));

  it('shows its received text as written, and nothing from it runs', async () => {
    const { page, dialogs } = await staffPage();
    await page.waitForTimeout(50);
    const seen = await inspect(page, HOSTILE_TAGS);
    for (const piece of pieces) expect(squash(seen.innerText)).toContain(squash(piece));
    expect(seen.hostileElements).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  it(`fits a phone screen, and saves a screenshot to test-artifacts/templates/${name}.png`, async () => {
    const { page } = await staffPage();
    const { scrollWidth, clientWidth } = await widthAt(page, PHONE);
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    expect((await screenshot(page, 'templates', name)).bytes).toBeGreaterThan(1000);
  });
});

// --- the checks can fail -------------------------------------------------------------------------

describe('control: the same text pasted in unescaped', () => {
  it('would run script and create elements, so the checks above can see it', async () => {
    const raw = `<!doctype html><html><body><p>Hi ${ctx.requesterName},</p><div>${ctx.subject}</div><ul>${ASKS.map((a) => `<li>${a}</li>`).join('')}</ul></body></html>`;
    const { page, dialogs } = await chromium.load(raw);
    await page.waitForTimeout(50);
    const seen = await inspect(page, HOSTILE_TAGS);
    expect(seen.hostileElements.length).toBeGreaterThan(0);
    expect(seen.handlerAttributes.length).toBeGreaterThan(0);
    expect(dialogs.length).toBeGreaterThan(0);
    expect(squash(seen.innerText)).not.toContain(squash(SCRIPT));
  });
});
