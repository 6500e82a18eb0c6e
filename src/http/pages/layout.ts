/**
 * The page every web page shares: the team's name, one column readable on a phone, the site's
 * stylesheet, no script of ours and nothing from another origin (the optional Turnstile widget
 * is the one exception, and only where it is configured). Every received string goes through
 * hono/html's `html`, which escapes it.
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export function page(p: { title: string; teamName: string; body: Html; head?: Html }): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${p.title} · ${p.teamName}</title>
<link rel="stylesheet" href="/assets/site.css">
${p.head ?? ''}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site"><div><strong>${p.teamName}</strong></div></header>
<main id="main">
${p.body}
</main>
<footer class="site">${p.teamName} · IT help</footer>
</body>
</html>`;
}

/** A page that only says something (an expired link, a refusal): a heading and paragraphs. */
export function notice(teamName: string, title: string, paragraphs: string[]): Html {
  return page({ title, teamName, body: html`<div class="card"><h1>${title}</h1>${paragraphs.map((text) => html`<p>${text}</p>`)}</div>` });
}
