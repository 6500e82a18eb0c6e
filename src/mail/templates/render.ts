/**
 * How a mail's parts become its text and HTML versions. A template (requester.ts, staff.ts,
 * ../digest.ts) lists a mail's parts — preview line, heading, paragraphs, lists, a quoted
 * subject, a footer — and the same parts become both versions here, so the two never drift
 * apart. No wording lives in this file.
 *
 * Inside `p\`…\``, the literal text is ours and every `${value}` is treated as text we received
 * (subject, names, asks): HTML-escaped and bidi-isolated, so a right-to-left name cannot flip
 * the sentence around it. `strong(x)` makes a value bold in HTML (and stays plain in text);
 * `address(x)` lays out the email addresses in a value so that they break only after the "@".
 * Escaping lives only in this file.
 */

/** What every ticket mail's frame shows: the badge, the title, the team. */
export interface TicketContext {
  /** e.g. TKT-42 */
  ticketId: string;
  subject: string;
  requesterName: string;
  supportAddress: string;
  teamName: string;
  /** The requester's status page for this ticket (a signed link); absent when no link key is configured. */
  statusUrl?: string | null;
  /**
   * A staff member opened the ticket for the requester (src/domain/staff-forward.ts): `by` is
   * their name (or address); `forwarded`: by forwarding the requester's mail, not by writing it down.
   */
  openedFor?: { by: string; forwarded: boolean };
}

export interface RenderedMail {
  text: string;
  html: string;
}

/** Inline text: ours (a plain string), or a received value (escaped, isolated): bold, a link of ours, or addresses. */
export type Inline = string | Received;
/** A value in a paragraph: received text, unless it is `link`'s label. */
export interface Received {
  value: string;
  strong: boolean;
  href?: string;
  /** The value is, or names, email addresses: see `address`. */
  address?: boolean;
}
export interface Paragraph {
  kind: 'p';
  parts: Inline[];
}
interface Quote {
  kind: 'quote';
  text: string;
}
interface List {
  kind: 'list';
  /** Received text (a string) or a paragraph of ours with values in it, one per bullet. */
  items: Array<string | Paragraph>;
}
/** A person's message as they wrote it: paragraphs and line breaks kept. */
interface Message {
  kind: 'message';
  text: string;
}
/** Labelled values, one per line ("Requester: …"): no bullet indent, so a long address gets the whole width. */
interface Facts {
  kind: 'facts';
  rows: Array<{ label: string; value: Paragraph }>;
}
type Block = Paragraph | Quote | List | Message | Facts;

export interface MailParts {
  preview: Paragraph;
  heading: Paragraph;
  blocks: Block[];
  signOff: Paragraph[];
  /** The ticket shown in the header badge; defaults to the context's. */
  ticketId?: string;
  /** Why the reader gets this mail. */
  footer: Paragraph;
}

/** Tagged template: literals are our words, interpolations received text. */
export function p(literals: TemplateStringsArray, ...values: Array<string | Received>): Paragraph {
  const parts: Inline[] = [];
  literals.forEach((literal, i) => {
    if (literal) parts.push(literal);
    if (i < values.length) {
      const value = values[i]!;
      parts.push(typeof value === 'string' ? { value, strong: false } : value);
    }
  });
  return { kind: 'p', parts };
}

export function strong(value: string): Received {
  return { value, strong: true };
}

/**
 * Received text that is, or names, email addresses ("Dana <dana@northwind.example>",
 * "it-team@northwind.example", a sentence that mentions one). In HTML each address breaks only
 * after its "@" (and before a dot of a long domain), never inside a word: "it-" / "team@…" and
 * "…northwind.exampl" / "e>" do not happen. A part longer than the line still wraps, anywhere,
 * rather than widen the mail. The text version shows the value as it is.
 */
export function address(value: string): Received {
  return { value, strong: false, address: true };
}

/** A link we made (never one received): its label in HTML; the text version shows the address itself. */
export function link(label: string, href: string): Received & { href: string } {
  return { value: label, strong: false, href };
}

/** Received text shown on its own, set off (a subject). */
export function quote(text: string): Quote {
  return { kind: 'quote', text };
}

/** Items, one per bullet: received text, or paragraphs of ours (`p\`Requester: ${address(x)}\``). */
export function list(items: Array<string | Paragraph>): List {
  return { kind: 'list', items };
}

export function message(text: string): Message {
  return { kind: 'message', text };
}

/** Facts about a ticket: our label, then its value (`p\`${address(x)}\``), a line each. */
export function facts(rows: Array<[label: string, value: Paragraph]>): Facts {
  return { kind: 'facts', rows: rows.map(([label, value]) => ({ label, value })) };
}

/** Paragraphs of a received message, each a list of lines, control characters removed. */
function messageParagraphs(text: string): string[][] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((para) => para.split('\n').map((line) => oneLine(received(line))).filter(Boolean))
    .filter((lines) => lines.length > 0);
}

/** Wrap width of the text version: comfortable in every client, under RFC 5322's 78. */
export const TEXT_WIDTH = 72;

/** One mail about a ticket, in both versions. */
export function renderMail(ctx: TicketContext, mail: MailParts): RenderedMail {
  return { text: renderText(mail), html: renderHtml(ctx, mail) };
}

// --- text ------------------------------------------------------------------------------------

function renderText(mail: MailParts): string {
  const out: string[] = [];
  for (const block of mail.blocks) {
    if (block.kind === 'p') out.push(wrap(inlineText(block.parts), TEXT_WIDTH));
    else if (block.kind === 'quote') out.push(wrap(oneLine(received(block.text)), TEXT_WIDTH, '    ', '    '));
    else if (block.kind === 'message') out.push(messageParagraphs(block.text).map((lines) => lines.map((l) => wrap(isolate(l), TEXT_WIDTH)).join('\n')).join('\n\n'));
    else if (block.kind === 'facts') out.push(block.rows.map((row) => wrap(`${row.label}: ${inlineText(row.value.parts)}`, TEXT_WIDTH, '', '    ')).join('\n'));
    else out.push(block.items.map((item) => wrap(typeof item === 'string' ? oneLine(received(item)) : inlineText(item.parts), TEXT_WIDTH, '  - ', '    ')).join('\n'));
  }
  if (mail.signOff.length) out.push(mail.signOff.map((line) => inlineText(line.parts)).join('\n'));
  out.push(`-- \n${wrap(inlineText(mail.footer.parts), TEXT_WIDTH)}`);
  return `${out.join('\n\n')}\n`;
}

/** A paragraph as one line of the text version (wrap it to taste): received values isolated. */
export function paragraphText(paragraph: Paragraph): string {
  return inlineText(paragraph.parts);
}

function inlineText(parts: Inline[]): string {
  return oneLine(parts.map((part) => (typeof part === 'string' ? part : part.href ? part.href : isolate(received(part.value)))).join(''));
}

/**
 * Greedy word wrap. Words longer than the line (URLs, long tokens) are not broken: they get a
 * line of their own. Width counts code points (a CJK character counts as one column).
 */
export function wrap(text: string, width: number, firstIndent = '', indent = ''): string {
  const lines: string[] = [];
  let line = firstIndent;
  let lineHasWord = false;
  for (const word of text.split(' ').filter(Boolean)) {
    const length = [...line].length + (lineHasWord ? 1 : 0) + [...word].length;
    if (lineHasWord && length > width) {
      lines.push(line);
      line = indent + word;
    } else {
      line += (lineHasWord ? ' ' : '') + word;
    }
    lineHasWord = true;
  }
  lines.push(line);
  return lines.map((l) => l.trimEnd()).join('\n');
}

// --- HTML ------------------------------------------------------------------------------------

export const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
export const COLORS = {
  page: '#f3f4f6',
  card: '#ffffff',
  border: '#e5e7eb',
  text: '#1f2937',
  heading: '#111827',
  muted: '#6b7280',
  accent: '#2563eb',
  badgeBg: '#eff6ff',
  badgeText: '#1d4ed8',
  quoteBg: '#f8fafc',
};
/** Long unbroken received text (a 500-character subject) must wrap, not widen the layout. */
export const BREAK_ANYWHERE = 'overflow-wrap:anywhere;word-break:break-word;';

function renderHtml(ctx: TicketContext, mail: MailParts): string {
  const ticketId = mail.ticketId ?? ctx.ticketId;
  const body = mail.blocks.map(blockHtml).join('\n');
  const signOff = mail.signOff.map((line) => inlineHtml(line.parts)).join('<br>');
  return htmlDocument({
    title: `${ticketId}: ${oneLine(received(ctx.subject))}`,
    preview: mail.preview,
    teamName: ctx.teamName,
    badge: ticketId,
    heading: mail.heading,
    body: `${body}
${signOff ? `<p style="margin:0 0 16px 0;">${signOff}</p>` : ''}`,
    footer: mail.footer,
  });
}

/** The page every mail shares: team and badge, a heading, the body (HTML), a footer line. */
export function htmlDocument(page: { title: string; preview: Paragraph; teamName: string; badge: string; heading: Paragraph; body: string; footer: Paragraph }): string {
  return `<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>${escapeHtml(page.title)}</title>
</head>
<body style="margin:0;padding:0;background-color:${COLORS.page};-webkit-text-size-adjust:100%;">
<div style="display:none;max-height:0;max-width:0;overflow:hidden;opacity:0;mso-hide:all;">${inlineHtml(page.preview.parts, false)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:${COLORS.page};">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background-color:${COLORS.card};border:1px solid ${COLORS.border};border-radius:12px;border-collapse:separate;">
<tr><td style="padding:20px 24px 0 24px;font-family:${FONT};">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>
<td style="font-family:${FONT};font-size:14px;line-height:20px;color:${COLORS.muted};font-weight:600;${BREAK_ANYWHERE}">${escapeHtml(oneLine(received(page.teamName)))}</td>
<td align="right" style="font-family:${FONT};white-space:nowrap;padding-left:12px;"><span style="display:inline-block;padding:2px 10px;border-radius:999px;background-color:${COLORS.badgeBg};color:${COLORS.badgeText};font-size:13px;line-height:20px;font-weight:600;">${escapeHtml(page.badge)}</span></td>
</tr></table>
</td></tr>
<tr><td style="padding:12px 24px 0 24px;font-family:${FONT};">
<h1 style="margin:0;font-size:22px;line-height:28px;font-weight:700;color:${COLORS.heading};${BREAK_ANYWHERE}">${inlineHtml(page.heading.parts)}</h1>
</td></tr>
<tr><td style="padding:16px 24px 8px 24px;font-family:${FONT};font-size:16px;line-height:24px;color:${COLORS.text};">
${page.body}
</td></tr>
</table>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;">
<tr><td style="padding:16px 24px;font-family:${FONT};font-size:12px;line-height:18px;color:${COLORS.muted};text-align:center;${BREAK_ANYWHERE}">${inlineHtml(page.footer.parts)}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

function blockHtml(block: Block): string {
  if (block.kind === 'p') return `<p style="margin:0 0 16px 0;${BREAK_ANYWHERE}">${inlineHtml(block.parts)}</p>`;
  if (block.kind === 'quote') {
    return `<div style="margin:0 0 16px 0;padding:12px 16px;background-color:${COLORS.quoteBg};border-left:4px solid ${COLORS.accent};border-radius:4px;color:${COLORS.heading};font-weight:600;${BREAK_ANYWHERE}">${receivedHtml(oneLine(block.text))}</div>`;
  }
  if (block.kind === 'facts') {
    const rows = block.rows.map((row) => `<div style="margin:0 0 4px 0;${BREAK_ANYWHERE}"><span style="color:${COLORS.muted};">${escapeHtml(row.label)}:</span> ${inlineHtml(row.value.parts)}</div>`);
    return `<div style="margin:0 0 16px 0;font-size:15px;line-height:22px;">${rows.join('')}</div>`;
  }
  if (block.kind === 'message') {
    const paragraphs = messageParagraphs(block.text).map((lines) => `<p style="margin:0 0 12px 0;${BREAK_ANYWHERE}">${lines.map(receivedHtml).join('<br>')}</p>`);
    return `<div style="margin:0 0 16px 0;padding:12px 16px;border-left:4px solid ${COLORS.border};">${paragraphs.join('\n')}</div>`;
  }
  const items = block.items
    .map((item) => `<li style="margin:0 0 8px 0;${BREAK_ANYWHERE}">${typeof item === 'string' ? receivedHtml(oneLine(item)) : inlineHtml(item.parts)}</li>`)
    .join('');
  return `<ul style="margin:0 0 16px 0;padding:0 0 0 24px;">${items}</ul>`;
}

/** A paragraph as inline HTML: our words escaped, received values escaped and bidi-isolated. */
export function paragraphHtml(paragraph: Paragraph): string {
  return inlineHtml(paragraph.parts);
}

function inlineHtml(parts: Inline[], isolated = true): string {
  let html = '';
  /** How much of the next literal was shown already, glued to the address before it. */
  let glued = 0;
  parts.forEach((part, i) => {
    if (typeof part === 'string') {
      html += escapeHtml(part.slice(glued));
      glued = 0;
      return;
    }
    if (part.href) {
      html += `<a href="${escapeHtml(part.href)}" style="color:${COLORS.accent};font-weight:700;">${escapeHtml(part.value)}</a>`;
      return;
    }
    const value = oneLine(part.value);
    const words = received(value);
    if (part.address && isolated && hasAddress(words)) {
      // Our punctuation right after an address ("… of it-team@northwind.example.") stays on its line.
      const next = parts[i + 1];
      const after = typeof next === 'string' && ADDRESS_WORD.test(words.split(' ').at(-1)!) ? (/^\S+/.exec(next)?.[0] ?? '') : '';
      glued = after.length;
      html += `<span dir="auto">${addressesHtml(words, after)}</span>`;
      return;
    }
    const text = isolated ? receivedHtml(value) : escapeHtml(words);
    html += part.strong ? `<strong style="font-weight:700;">${text}</strong>` : text;
  });
  return html;
}

/** A word with an address in it: something before the "@", the "@", something after it. */
const ADDRESS_WORD = /^([^\s@]+@)([^\s@].*)$/;
/** A domain this long may also break before its dots. */
const LONG_DOMAIN = 24;
const ADDRESS_PART = `display:inline-block;max-width:100%;white-space:normal;${BREAK_ANYWHERE}`;

/**
 * Received text with each address in it laid out to break only after its "@" (or before a
 * dot of a long domain). The address, and each of its parts, is an inline-block: a box that
 * moves to the next line whole and wraps inside only when it is wider than the line. So an
 * address that fits a line is kept whole; a longer one breaks between its parts; and only a
 * part wider than the line itself wraps inside (anywhere, by BREAK_ANYWHERE) rather than widen
 * the mail. The word around the address ("<dana@northwind.example>,") stays with its parts, in
 * an LTR isolate: an address reads left to right, even after a right-to-left name. `after` (our
 * punctuation) goes with the last word when that is an address.
 */
function addressesHtml(text: string, after: string): string {
  const words = text.split(/( +)/);
  const last = words.length - 1;
  return words
    .map((word, i) => {
      const match = ADDRESS_WORD.exec(word);
      if (!match) return escapeHtml(word);
      const [, local, domain] = match;
      const pieces = [local!, ...(domain!.length > LONG_DOMAIN ? domain!.split(/(?=\.)/) : [domain!])];
      if (i === last) pieces[pieces.length - 1] += after;
      return `<span dir="ltr" style="${ADDRESS_PART}">${pieces.map((piece) => `<span style="${ADDRESS_PART}">${escapeHtml(piece)}</span>`).join('')}</span>`;
    })
    .join('');
}

function hasAddress(text: string): boolean {
  return text.split(' ').some((word) => ADDRESS_WORD.test(word));
}

/** Received text in HTML: escaped, in its own bidi isolate (`dir="auto"`). */
function receivedHtml(text: string): string {
  return `<span dir="auto">${escapeHtml(received(text))}</span>`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

// --- received text ---------------------------------------------------------------------------

/**
 * Explicit bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) in received
 * text are dropped: they are invisible, and an unbalanced one (a "Trojan Source" RLO) would
 * reorder our words around it. Letters of right-to-left scripts and the LRM/RLM marks stay.
 */
function received(text: string): string {
  return text.replace(/[\u202A-\u202E\u2066-\u2069]/g, '');
}

/** Received text in the text version gets FSI…PDI isolates only when it has RTL content. */
function isolate(text: string): string {
  return /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF\u200F\u061C]|\uD802[\uDD00-\uDFFF]|\uD83A/.test(text)
    ? `\u2068${text}\u2069`
    : text;
}

/** Received text for a header or a title: one line, bidi controls dropped, not escaped. */
export function receivedLine(text: string): string {
  return oneLine(received(text));
}

/** Line breaks, tabs and other control characters become single spaces. */
function oneLine(text: string): string {
  return text
    .replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}
