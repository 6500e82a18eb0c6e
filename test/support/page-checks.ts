/**
 * What every page of ours must pass in Chromium: no serious or critical axe-core finding,
 * nothing wider than the screen, nothing the content security policy refused; and a screenshot
 * for a human look (test-artifacts/<suite>/).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { screenshot, widthAt, type ChromiumPages } from './chromium.js';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface WatchedPage {
  page: Page;
  /** Console messages about the content security policy: anything the page tried that the policy refused. */
  refused: string[];
}

/** A new page at this size, its console watched for what the content security policy refused. */
export async function watchedPage(chromium: ChromiumPages, viewport: { width: number; height: number }): Promise<WatchedPage> {
  const page = await chromium.newPage();
  await page.setViewportSize(viewport);
  const refused: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
  });
  return { page, refused };
}

/** axe-core's serious and critical findings on the page (run through the debugger: our CSP allows no injected script). */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const run = (globalThis as unknown as { axe: { run(o: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe.run;
    const result = await run({ resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.targets.join(', ')}`);
}

/** The page passes the checks at `viewport`; screenshots at each of `shots` go to the suite's artifacts. */
export async function expectPageLooksRight(w: WatchedPage, name: string, viewport: { width: number; height: number }, suite: string, shots: Record<string, { width: number; height: number }>): Promise<void> {
  expect(await accessibilityProblems(w.page), `${name}: axe-core`).toEqual([]);
  const width = await widthAt(w.page, viewport);
  expect(width.widest, `${name}: nothing wider than a phone`).toEqual([]);
  expect(width.scrollWidth).toBeLessThanOrEqual(width.clientWidth);
  expect(w.refused, `${name}: content security policy`).toEqual([]);
  for (const [label, size] of Object.entries(shots)) await screenshot(w.page, suite, `${name}-${label}`, size);
}
