/**
 * Screenshots of one chat message of each kind for the README:
 * `node src/bin/run.mjs test/support/chat-screenshots.ts` writes docs/images/chat-<kind>-<slack|teams>.png.
 *
 * - Teams: the card our code posts, drawn by Microsoft's own renderer (`adaptivecards`, with
 *   markdown-it for the card's markdown, as the renderer does when it finds it) in headless
 *   Chromium, inside a frame and host config in the spirit of Teams' light theme.
 * - Slack: Block Kit Builder needs a Slack sign-in, so the blocks are drawn by the npm package
 *   `slack-blocks-to-jsx` (a React renderer of Block Kit, rendered to static HTML here).
 *
 * Fonts: Lato (Slack's), Open Sans standing in for Segoe UI, Noto Color Emoji (Debian's
 * fonts-lato, fonts-open-sans, fonts-noto-color-emoji); without them Chromium falls back.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { slackMessage } from '../../src/chat/slack-message.js';
import { teamsMessage } from '../../src/chat/teams-card.js';
import { CHROMIUM } from './chromium.js';
import { EXAMPLES, chatViewFor } from './chat-examples.js';

const require = createRequire(import.meta.url);
const OUT = fileURLToPath(new URL('../../docs/images/', import.meta.url));
/** A chat column's width: what a message gets beside Teams' or Slack's sidebar on a laptop. */
const TEAMS_WIDTH = 440;
const SLACK_WIDTH = 520;
const SENT_AT = new Date('2026-12-07T09:12:00');

// React has no types in this project (it is only here to run slack-blocks-to-jsx): typed by hand.
const React = require('react') as { createElement(type: unknown, props: Record<string, unknown>): unknown };
const ReactDomServer = require('react-dom/server') as { renderToStaticMarkup(element: unknown): string };
// ESM: its markdown dependencies are ESM-only.
const { Message } = (await import('slack-blocks-to-jsx')) as { Message: unknown };

const logo = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="36" height="36"><rect width="36" height="36" rx="8" fill="#2e6b5e"/><text x="18" y="24" font-size="15" font-weight="700" text-anchor="middle" fill="#fff" font-family="Lato, sans-serif">IT</text></svg>',
)}`;

/**
 * slack-blocks-to-jsx shows `verbatim: true` mrkdwn as raw text, but Slack still formats it
 * (verbatim only turns off auto-linking and mention parsing:
 * https://docs.slack.dev/reference/block-kit/composition-objects/text-object). Our examples
 * have nothing to auto-link, so drawing them without the flag shows what Slack shows.
 */
function withoutVerbatim(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutVerbatim);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(Object.entries(node).filter(([k]) => k !== 'verbatim').map(([k, v]) => [k, withoutVerbatim(v)]));
}

async function slackPage(blocks: unknown[]): Promise<string> {
  const css = await readFile(require.resolve('slack-blocks-to-jsx/dist/style.css'), 'utf8');
  const html = ReactDomServer.renderToStaticMarkup(React.createElement(Message, { blocks: withoutVerbatim(blocks), logo, name: 'Northwind IT', time: SENT_AT, theme: 'light' }));
  return `<!doctype html><html><head><meta charset="utf-8"><style>${css}</style>
<style>body{margin:0;background:#fff;font-family:Lato,"Noto Color Emoji",sans-serif}#shot{width:${SLACK_WIDTH}px;padding:10px 12px}</style></head>
<body><div id="shot">${html}</div></body></html>`;
}

/** Close to Teams' light theme: Segoe UI-like font, Teams' colours, compact spacing. */
const TEAMS_HOST_CONFIG = {
  fontFamily: '"Segoe UI", "Open Sans", "Noto Color Emoji", sans-serif',
  spacing: { small: 4, default: 8, medium: 12, large: 16, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#E0E0E0' },
  fontSizes: { small: 12, default: 14, medium: 16, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 300, default: 400, bolder: 600 },
  containerStyles: {
    default: {
      backgroundColor: '#FFFFFF',
      foregroundColors: {
        default: { default: '#242424', subtle: '#616161' },
        accent: { default: '#5B5FC7', subtle: '#5B5FC7' },
        attention: { default: '#C4314B', subtle: '#C4314B' },
        good: { default: '#237B4B', subtle: '#237B4B' },
        warning: { default: '#835C00', subtle: '#835C00' },
      },
    },
    emphasis: {
      backgroundColor: '#F5F5F5',
      foregroundColors: {
        default: { default: '#242424', subtle: '#424242' },
        accent: { default: '#5B5FC7', subtle: '#5B5FC7' },
        attention: { default: '#C4314B', subtle: '#C4314B' },
        good: { default: '#237B4B', subtle: '#237B4B' },
        warning: { default: '#835C00', subtle: '#835C00' },
      },
    },
  },
  actions: { maxActions: 6, spacing: 'default', buttonSpacing: 8, showCard: { actionMode: 'inline' }, actionsOrientation: 'horizontal', actionAlignment: 'left' },
  factSet: { title: { weight: 'bolder', size: 'default', wrap: true, maxWidth: 150 }, value: { wrap: true }, spacing: 12 },
};

async function teamsPage(card: unknown): Promise<string> {
  const renderer = await readFile(require.resolve('adaptivecards/dist/adaptivecards.min.js'), 'utf8');
  // Its exports map has no path to the browser build: find it beside the main file.
  const markdownIt = await readFile(join(dirname(require.resolve('markdown-it')), 'browser/markdown-it.umd.min.js'), 'utf8');
  const css = await readFile(require.resolve('adaptivecards/lib/adaptivecards.css'), 'utf8');
  const time = SENT_AT.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return `<!doctype html><html><head><meta charset="utf-8"><style>${css}</style>
<style>
body{margin:0;background:#F5F5F5;font-family:"Segoe UI","Open Sans",sans-serif;color:#242424}
#shot{width:${TEAMS_WIDTH}px;padding:12px 14px}
.who{font-size:12px;color:#616161;margin:0 0 4px 2px}.who b{color:#242424;font-weight:600;margin-right:6px}
.bubble{background:#fff;border-radius:6px;box-shadow:0 1px 2px rgba(0,0,0,.14);overflow:hidden}
.ac-pushButton{font-family:inherit;font-size:14px;font-weight:600;border:1px solid #D1D1D1;border-radius:4px;background:#fff;color:#242424;padding:5px 12px;min-height:32px;cursor:pointer}
.ac-textBlock p{margin:0}
.ac-textBlock ul,.ac-textBlock ol{margin:0;padding-left:20px}
</style>
<script>${markdownIt}</script><script>${renderer}</script></head>
<body><div id="shot"><p class="who"><b>Workflows</b>${time}</p><div class="bubble" id="card"></div></div>
<script>
(() => {
  const card = new AdaptiveCards.AdaptiveCard();
  card.hostConfig = new AdaptiveCards.HostConfig(${JSON.stringify(TEAMS_HOST_CONFIG)});
  card.parse(${JSON.stringify(card)});
  document.getElementById('card').appendChild(card.render());
})();
</script></body></html>`;
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
try {
  await mkdir(OUT, { recursive: true });
  const page = await browser.newPage({ viewport: { width: SLACK_WIDTH + 40, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  const slackView = chatViewFor({ console: true, interactive: true });
  const teamsView = chatViewFor({ console: true, interactive: false });
  for (const { kind, event, inThread } of EXAMPLES) {
    await page.setContent(await slackPage(slackMessage(event, slackView, { inThread }).blocks), { waitUntil: 'load' });
    await page.locator('#shot').screenshot({ path: `${OUT}chat-${kind}-slack.png` });
    await page.setContent(await teamsPage(teamsMessage(event, teamsView).attachments[0].content), { waitUntil: 'load' });
    await page.locator('#shot').screenshot({ path: `${OUT}chat-${kind}-teams.png` });
    console.log(`docs/images/chat-${kind}-slack.png, docs/images/chat-${kind}-teams.png`);
  }
  if (errors.length) throw new Error(`the pages had script errors: ${errors.join('; ')}`);
} finally {
  await browser.close();
}
