/**
 * The auto-reply HTML rendered by a real browser (headless Chromium from Debian's `chromium`
 * package, driven by playwright-core): hostile received text in the subject, the requester's
 * name and the asks is shown to the reader as written, never run or turned into elements.
 *
 * This suite does not skip: without Chromium every test fails and says how to install it.
 * CHROMIUM_PATH overrides the binary (default /usr/bin/chromium). Screenshots of each mail go
 * to test-artifacts/templates/<name>.png (gitignored) for a human look.
 */
import { accessSync, constants } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { templates, type RenderedMail, type TicketContext } from '../../src/mail/templates.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const DESKTOP = { width: 640, height: 900 };
const PHONE = { width: 360, height: 740 };
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/templates/', import.meta.url));

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
  // A blank ask is dropped by the template: the list shows exactly ASKS.
  missingInfo: { mail: templates.missingInfo({ ...ctx, asks: [...ASKS, '   '], followUp: false }), ticketId: 'TKT-42', asks: ASKS },
  'missingInfo-followUp': { mail: templates.missingInfo({ ...ctx, asks: [...ASKS, ''], followUp: true }), ticketId: 'TKT-42', asks: ASKS },
  duplicateNotice: { mail: templates.duplicateNotice({ ...ctx, duplicateOfId: 'TKT-17' }), ticketId: 'TKT-17', asks: [] },
};

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

// --- one browser per file ----------------------------------------------------------------------

let browser: Browser | undefined;
/** One context for every page: a new context per page costs a few hundred ms each. */
let context: BrowserContext | undefined;
let launchError: Error | undefined;

beforeAll(async () => {
  // A failing beforeAll makes vitest report the tests as skipped; keep the error and let every
  // test fail with it instead (see newPage()).
  try {
    accessSync(CHROMIUM, constants.X_OK);
  } catch {
    launchError = new Error(
      `Chromium not found at ${CHROMIUM}${process.env.CHROMIUM_PATH ? ' (CHROMIUM_PATH)' : ''}. ` +
        "These tests render the mail templates in a real browser and never skip: install Debian's chromium package " +
        '(apt-get install chromium; CI does this in .ci/run) or set CHROMIUM_PATH to a Chromium binary.',
    );
    return;
  }
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // Root in CI containers needs --no-sandbox; a small /dev/shm (Docker's 64 MB) crashes
      // renderers unless shared memory goes to /tmp.
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
    context = await browser.newContext({ viewport: DESKTOP });
  } catch (err) {
    launchError = new Error(`Chromium at ${CHROMIUM} is installed but did not start: ${(err as Error).message}`);
  }
});

afterAll(async () => {
  await browser?.close();
});

/** A new page in the one context; throws the install message when Chromium is missing. */
function newPage(): Promise<Page> {
  if (launchError) throw launchError;
  if (!context) throw new Error('Chromium was not launched (beforeAll did not run?)');
  return context.newPage();
}

interface Loaded {
  page: Page;
  dialogs: string[];
  pageErrors: string[];
}

/** A page with the HTML set as content, watching for dialogs and script errors. */
async function load(html: string): Promise<Loaded> {
  const page = await newPage();
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.setContent(html, { waitUntil: 'load' });
  return { page, dialogs, pageErrors };
}

/**
 * The few DOM parts the functions run in the page use. tsconfig has no DOM lib (src runs on
 * Node), and this declaration stays in this module instead of adding DOM globals everywhere.
 */
interface DomElement {
  localName: string;
  outerHTML: string;
  innerText: string;
  lang: string;
  scrollWidth: number;
  clientWidth: number;
  attributes: ArrayLike<{ name: string }>;
}
declare const document: {
  body: DomElement;
  documentElement: DomElement;
  title: string;
  characterSet: string;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
};

/** What the page has as elements and shows as text. */
function inspect(page: Page) {
  return page.evaluate((hostileTags) => {
    const all = Array.from(document.querySelectorAll('*'));
    return {
      innerText: document.body.innerText,
      title: document.title,
      hostileElements: all.filter((el) => hostileTags.includes(el.localName)).map((el) => el.outerHTML),
      handlerAttributes: all.flatMap((el) =>
        Array.from(el.attributes)
          .filter((a) => /^on/i.test(a.name))
          .map((a) => `${el.localName}[${a.name}]`),
      ),
      listItems: Array.from(document.querySelectorAll('ul > li')).map((li) => li.innerText),
    };
  }, HOSTILE_TAGS);
}

// --- the mails -------------------------------------------------------------------------------

describe.each(Object.entries(cases))('%s in Chromium', (name, { mail, ticketId, asks }) => {
  const pieces = [ctx.subject, ctx.requesterName, ctx.teamName, ...asks];
  // One page per mail, loaded by the first test that needs it (never in a hook, see above).
  let loaded: Promise<Loaded> | undefined;
  const mailPage = () => (loaded ??= load(mail.html));

  it('shows every piece of received text as written, and nothing from it runs or becomes an element', async () => {
    const { page, dialogs, pageErrors } = await mailPage();
    // Give a smuggled onerror/onload a moment after load, then look.
    await page.waitForTimeout(50);
    const seen = await inspect(page);
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
    expect((await inspect(page)).innerText).toContain(ticketId);
  });

  if (asks.length) {
    it('shows each ask as a list item, blank ones dropped', async () => {
      const { page } = await mailPage();
      expect((await inspect(page)).listItems.map(squash)).toEqual(asks.map(squash));
    });
  }

  it('declares lang="en" and UTF-8, so non-Latin text survives when loaded as bytes', async () => {
    // A data: URL without a charset leaves the encoding to the <meta charset>; without it,
    // Chromium reads the UTF-8 bytes as windows-1252 and garbles 日本語 and emoji.
    const page = await newPage();
    try {
      await page.goto(`data:text/html;base64,${Buffer.from(mail.html, 'utf8').toString('base64')}`);
      const seen = await page.evaluate(() => ({
        charset: document.characterSet,
        lang: document.documentElement.lang,
        text: document.body.innerText,
      }));
      expect(seen.charset).toBe('UTF-8');
      expect(seen.lang).toBe('en');
      expect(seen.text).toContain(NON_LATIN);
      expect(seen.text).toContain('山田 😀');
    } finally {
      await page.close();
    }
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const { page } = await mailPage();
    await page.setViewportSize(PHONE);
    try {
      const { scrollWidth, clientWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
      }));
      expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    } finally {
      await page.setViewportSize(DESKTOP);
    }
  });

  it(`saves a screenshot to test-artifacts/templates/${name}.png`, async () => {
    const { page } = await mailPage();
    await mkdir(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    expect((await stat(path)).size).toBeGreaterThan(1000);
  });
});

// --- the checks can fail -------------------------------------------------------------------------

describe('control: the same text pasted in unescaped', () => {
  it('would run script and create elements, so the checks above can see it', async () => {
    const raw = `<!doctype html><html><body><p>Hi ${ctx.requesterName},</p><div>${ctx.subject}</div><ul>${ASKS.map((a) => `<li>${a}</li>`).join('')}</ul></body></html>`;
    const { page, dialogs } = await load(raw);
    await page.waitForTimeout(50);
    const seen = await inspect(page);
    expect(seen.hostileElements.length).toBeGreaterThan(0);
    expect(seen.handlerAttributes.length).toBeGreaterThan(0);
    expect(dialogs.length).toBeGreaterThan(0);
    expect(squash(seen.innerText)).not.toContain(squash(SCRIPT));
  });
});
