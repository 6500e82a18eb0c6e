/**
 * Headless Chromium (Debian's `chromium` package, driven by playwright-core) for the suites
 * that render our HTML mail in a real browser.
 *
 * These suites never skip: without Chromium every test fails and says how to install it.
 * CHROMIUM_PATH overrides the binary (default /usr/bin/chromium).
 */
import { accessSync, constants } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const DESKTOP = { width: 640, height: 900 };
export const PHONE = { width: 360, height: 740 };
/** A common larger phone (iPhone 12 to 15): the width the staff-mail issue was reported at. */
export const PHONE_390 = { width: 390, height: 844 };

/** test-artifacts/<suite>/ (gitignored): screenshots for a human look. */
export function artifactsDir(suite: string): string {
  return fileURLToPath(new URL(`../../test-artifacts/${suite}/`, import.meta.url));
}

export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export interface Loaded {
  page: Page;
  dialogs: string[];
  pageErrors: string[];
}

export interface ChromiumPages {
  /** A new page in the file's one context; throws the install message when Chromium is missing. */
  newPage(): Promise<Page>;
  /** A page with the HTML set as content, watching for dialogs and script errors. */
  load(html: string): Promise<Loaded>;
}

/**
 * One browser per test file: call at the top of the file. Launch problems are kept and thrown
 * by every test that asks for a page, because a failing beforeAll makes vitest report the tests
 * as skipped.
 */
export function useChromium(what: string): ChromiumPages {
  let browser: Browser | undefined;
  /** One context for every page: a new context per page costs a few hundred ms each. */
  let context: BrowserContext | undefined;
  let launchError: Error | undefined;

  beforeAll(async () => {
    try {
      accessSync(CHROMIUM, constants.X_OK);
    } catch {
      launchError = new Error(
        `Chromium not found at ${CHROMIUM}${process.env.CHROMIUM_PATH ? ' (CHROMIUM_PATH)' : ''}. ` +
          `These tests render ${what} in a real browser and never skip: install Debian's chromium package ` +
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

  function newPage(): Promise<Page> {
    if (launchError) throw launchError;
    if (!context) throw new Error('Chromium was not launched (beforeAll did not run?)');
    return context.newPage();
  }

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

  return { newPage, load };
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
  attributes: ArrayLike<{ name: string; value: string }>;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { left: number; right: number; width: number };
  parentElement: DomElement | null;
  children: ArrayLike<DomElement>;
}
declare function getComputedStyle(el: DomElement): { display: string; paddingLeft: string; paddingRight: string };
interface DomText {
  data: string;
}
interface DomRange {
  setStart(node: DomText, offset: number): void;
  setEnd(node: DomText, offset: number): void;
  getClientRects(): ArrayLike<{ top: number; height: number; width: number }>;
}
declare const document: {
  body: DomElement;
  documentElement: DomElement;
  title: string;
  characterSet: string;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  createRange(): DomRange;
  createTreeWalker(root: DomElement, whatToShow: number): { nextNode(): DomText | null };
};

/** What the page has as elements and shows as text; `hostileTags` are tags that must not exist. */
export function inspect(page: Page, hostileTags: string[]) {
  return page.evaluate((hostile) => {
    const all = Array.from(document.querySelectorAll('*'));
    return {
      innerText: document.body.innerText,
      title: document.title,
      hostileElements: all.filter((el) => hostile.includes(el.localName)).map((el) => el.outerHTML),
      handlerAttributes: all.flatMap((el) =>
        Array.from(el.attributes)
          .filter((a) => /^on/i.test(a.name))
          .map((a) => `${el.localName}[${a.name}]`),
      ),
      listItems: Array.from(document.querySelectorAll('ul > li')).map((li) => li.innerText),
      links: Array.from(document.querySelectorAll('[href], [src], [action], [formaction]')).map((el) => ({
        tag: el.localName,
        href: el.getAttribute('href') ?? el.getAttribute('src') ?? el.getAttribute('action') ?? el.getAttribute('formaction') ?? '',
        text: el.innerText,
      })),
    };
  }, hostileTags);
}

/** The HTML loaded as UTF-8 bytes from a data: URL with no charset: what <meta charset> decides. */
export async function readAsBytes(pages: ChromiumPages, html: string): Promise<{ charset: string; lang: string; text: string }> {
  const page = await pages.newPage();
  try {
    await page.goto(`data:text/html;base64,${Buffer.from(html, 'utf8').toString('base64')}`);
    return await page.evaluate(() => ({
      charset: document.characterSet,
      lang: document.documentElement.lang,
      text: document.body.innerText,
    }));
  } finally {
    await page.close();
  }
}

/** Page width against the viewport at `viewport`: scrollWidth > clientWidth means sideways scrolling. */
export async function widthAt(page: Page, viewport: { width: number; height: number }): Promise<{ scrollWidth: number; clientWidth: number; widest: string[] }> {
  const before = page.viewportSize();
  await page.setViewportSize(viewport);
  try {
    return await page.evaluate(() => {
      const clientWidth = document.documentElement.clientWidth;
      return {
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth,
        // What sticks out, to say why when the check fails.
        widest: Array.from(document.querySelectorAll('body *'))
          .filter((el) => el.getBoundingClientRect().right > clientWidth + 0.5)
          .map((el) => el.outerHTML.slice(0, 120)),
      };
    });
  } finally {
    if (before) await page.setViewportSize(before);
  }
}

/** A full-page screenshot at `viewport`, to test-artifacts/<suite>/<name>.png; returns its size. */
export async function screenshot(page: Page, suite: string, name: string, viewport?: { width: number; height: number }): Promise<{ path: string; bytes: number }> {
  const dir = artifactsDir(suite);
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  const before = page.viewportSize();
  if (viewport) await page.setViewportSize(viewport);
  try {
    await page.screenshot({ path, fullPage: true });
  } finally {
    if (viewport && before) await page.setViewportSize(before);
  }
  return { path, bytes: (await stat(path)).size };
}

/** An element as laid out: the lines its text is on, its width, and the width of its column. */
export interface LaidOut {
  /** Its text cut into the lines the browser laid it out on (soft wraps included), each trimmed. */
  lines: string[];
  width: number;
  /** The content width of its nearest block ancestor: a box as wide as this had no room to spare. */
  column: number;
  children: LaidOut[];
}

/**
 * Each element matching `selector` (and its child elements) as the reader sees it at the page's
 * current viewport. "it-team@northwind.example" broken after "it-" has the lines
 * ["…it-", "team@northwind.example"].
 */
export function layoutOf(page: Page, selector: string): Promise<LaidOut[]> {
  return page.evaluate((sel) => {
    const SHOW_TEXT = 4;
    const linesOf = (el: DomElement): string[] => {
      const lines: string[] = [];
      let top: number | null = null;
      const walker = document.createTreeWalker(el, SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        let offset = 0;
        for (const char of node.data) {
          const range = document.createRange();
          range.setStart(node, offset);
          range.setEnd(node, offset + char.length);
          offset += char.length;
          // Collapsed white space has no box: it is on no line.
          const rect = Array.from(range.getClientRects()).find((r) => r.width > 0 || r.height > 0);
          if (!rect) continue;
          if (top === null || Math.abs(rect.top - top) > rect.height / 2) {
            lines.push('');
            top = rect.top;
          }
          lines[lines.length - 1] += char;
        }
      }
      return lines.map((line) => line.replace(/\s+/g, ' ').trim()).filter(Boolean);
    };
    const columnOf = (el: DomElement): number => {
      let block = el.parentElement;
      while (block && !/^(block|list-item|table-cell|flow-root)$/.test(getComputedStyle(block).display)) block = block.parentElement;
      if (!block) return 0;
      const style = getComputedStyle(block);
      return block.getBoundingClientRect().width - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    };
    const laidOut = (el: DomElement, depth: number): LaidOut => ({
      lines: linesOf(el),
      width: el.getBoundingClientRect().width,
      column: columnOf(el),
      children: depth ? Array.from(el.children).map((child) => laidOut(child, depth - 1)) : [],
    });
    return Array.from(document.querySelectorAll(sel)).map((el) => laidOut(el, 1));
  }, selector);
}
