/**
 * Every word our auto-replies say to users, in one place.
 *
 * To reword a mail, edit its function in `templates` below: each one lists the mail's parts
 * (preview line, heading, paragraphs, lists, a quoted subject) and the same parts become both
 * the plain-text and the HTML version, so the two never drift apart.
 *
 * Inside `p\`…\``, the literal text is ours and every `${value}` is treated as text we received
 * (subject, names, asks): HTML-escaped and bidi-isolated, so a right-to-left name cannot flip
 * the sentence around it. `strong(x)` makes a value bold in HTML (and stays plain in text).
 *
 * The staff digest (`digest.ts`) has its own layout but the same machinery, exported below:
 * `p`, `paragraphText`, `paragraphHtml`, `htmlDocument`. Escaping stays in this file.
 */

export interface TicketContext {
  /** e.g. TKT-42 */
  ticketId: string;
  subject: string;
  requesterName: string;
  supportAddress: string;
  teamName: string;
}

export interface RenderedMail {
  text: string;
  html: string;
}

export const templates = {
  /** A complete new ticket: its id, what happens next, how to add information. */
  ack(ctx: TicketContext): RenderedMail {
    return render(ctx, {
      preview: p`We've logged your request as ${ctx.ticketId}. Reply to this email to add anything.`,
      heading: p`We've got your request`,
      blocks: [
        greeting(ctx),
        p`Thanks for getting in touch. We've logged your request as ${strong(ctx.ticketId)}:`,
        quote(ctx.subject),
        p`Someone from ${ctx.teamName} will take a look and get back to you by email.`,
        p`Want to add something, like a screenshot or the exact error message? Just reply to this email and it goes straight onto your ticket. If you write to us about this again, please keep ${strong(`[${ctx.ticketId}]`)} in the subject so it lands in the right place.`,
      ],
      signOff: signOff(ctx),
    });
  },

  /** Asks exactly for what is missing; `followUp` when the user already answered once. */
  missingInfo(ctx: TicketContext & { asks: string[]; followUp: boolean }): RenderedMail {
    const asks = ctx.asks.filter((ask) => ask.trim() !== '');
    const one = asks.length === 1;
    return render(ctx, {
      preview: ctx.followUp
        ? p`Thanks for the update on ${ctx.ticketId}. We just need a little more to go on.`
        : p`About ${ctx.ticketId}: a few details will help us sort this out faster.`,
      heading: ctx.followUp ? p`Thanks, nearly there` : p`A few details, please`,
      blocks: [
        greeting(ctx),
        ctx.followUp
          ? p`Thanks for the extra information. We've added it to your ticket ${strong(ctx.ticketId)}:`
          : p`Thanks for your request. We've logged it as ${strong(ctx.ticketId)}:`,
        quote(ctx.subject),
        asks.length === 0
          ? p`To help you, we need a little more detail about what is happening. Could you tell us more?`
          : ctx.followUp
            ? one
              ? p`We still need one more thing:`
              : p`We still need a few more things:`
            : p`To help you as quickly as possible, could you tell us:`,
        ...(asks.length ? [list(asks)] : []),
        p`Just reply to this email with the details and they go straight onto your ticket. Please keep ${strong(`[${ctx.ticketId}]`)} in the subject.`,
      ],
      signOff: signOff(ctx),
    });
  },

  /** The mail is the same request as an open ticket and was added to it. */
  duplicateNotice(ctx: TicketContext & { duplicateOfId: string }): RenderedMail {
    return render(ctx, {
      preview: p`This looks like the same request as ${ctx.duplicateOfId}, so we've added it there.`,
      heading: p`We already have this one`,
      blocks: [
        greeting(ctx),
        p`Thanks for your message. It looks like the same request as ${strong(ctx.duplicateOfId)}, which we're already working on, so we've added your message to that ticket instead of opening a new one:`,
        quote(ctx.subject),
        p`There's nothing else you need to do. To add more details, just reply to this email.`,
        p`If this is actually a different problem, reply and tell us, and we'll give it its own ticket.`,
      ],
      signOff: signOff(ctx),
      ticketId: ctx.duplicateOfId,
    });
  },

  /**
   * A reminder to a requester who has gone quiet on a ticket that waits on them: what is still
   * missing, that a reply keeps it open, and that it closes otherwise. `closesInDays`, when
   * known, says when.
   */
  nudge(ctx: TicketContext & { waitingFor: string[]; days: number; closesInDays?: number }): RenderedMail {
    const waitingFor = ctx.waitingFor.filter((ask) => ask.trim() !== '');
    const closesInDays = ctx.closesInDays && ctx.closesInDays > 0 ? Math.ceil(ctx.closesInDays) : null;
    return render(ctx, {
      preview: p`A quick reminder: ${ctx.ticketId} is waiting for your reply.`,
      heading: p`We're still waiting to hear from you`,
      blocks: [
        greeting(ctx),
        p`Just a friendly reminder: your ticket ${strong(ctx.ticketId)} is waiting for your reply, and we haven't heard from you for ${dayCount(ctx.days)}:`,
        quote(ctx.subject),
        ...(waitingFor.length
          ? [waitingFor.length === 1 ? p`We are still waiting for one thing:` : p`We are still waiting for:`, list(waitingFor)]
          : [p`We are still waiting for your answer to our last email.`]),
        p`Just reply to this email and it goes straight onto your ticket. Replying keeps the ticket open, even if you only have part of the answer for now.`,
        closesInDays
          ? p`If we don't hear from you, we'll close the ticket in ${dayCount(closesInDays)}. If the problem has gone away, there is nothing you need to do.`
          : p`If we don't hear from you, we'll close the ticket in a few days. If the problem has gone away, there is nothing you need to do.`,
      ],
      signOff: signOff(ctx),
    });
  },

  /** The ticket waited on the requester for `days` days without an answer and was closed. */
  autoClosed(ctx: TicketContext & { days: number }): RenderedMail {
    return render(ctx, {
      preview: p`We've closed ${ctx.ticketId} as we haven't heard back. Reply if you still need help.`,
      heading: p`We've closed your request`,
      blocks: [
        greeting(ctx),
        p`We haven't heard back from you about ${strong(ctx.ticketId)} for ${dayCount(ctx.days)}, so we've closed it:`,
        quote(ctx.subject),
        p`Still need help? Just reply to this email. We'll pick it up again as a new ticket linked to this one, so you won't have to explain everything again.`,
        p`For anything else, write to ${ctx.supportAddress} as usual.`,
      ],
      signOff: signOff(ctx),
    });
  },
};

function dayCount(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}

/** What staff mails show about a ticket. */
export interface StaffTicketFacts {
  requester: string;
  status: string;
  priority: string | null;
  category: string | null;
  assignee: string | null;
  triageReasons: string[];
  missing: string[];
}

export const staffTemplates = {
  /** To the staff list (or the assignee): a ticket needs a look, and why; Reply reaches the requester. */
  notification(ctx: TicketContext & { headline: string; facts: StaffTicketFacts; from: string; text: string; attachments: string[]; staffList: string }): RenderedMail {
    const f = ctx.facts;
    const facts = [
      `Requester: ${f.requester}`,
      `Status: ${f.status}${f.missing.length ? ` (waiting for: ${f.missing.join(', ')})` : ''}`,
      `Priority: ${f.priority ?? '-'} · category: ${f.category ?? '-'}${f.assignee ? ` · assigned to ${f.assignee}` : ''}`,
      ...(f.triageReasons.length ? [`Why: ${f.triageReasons.join('; ')}`] : []),
      ...(ctx.attachments.length ? [`Attachments: ${ctx.attachments.join(', ')}`] : []),
    ];
    return render(ctx, {
      preview: p`${ctx.headline}`,
      heading: p`${ctx.headline}`,
      blocks: [
        quote(ctx.subject),
        list(facts),
        p`${ctx.from} wrote:`,
        message(ctx.text || '(no text)'),
        p`Reply to this email to answer ${ctx.requesterName || f.requester}: your text goes to them from ${ctx.supportAddress}. Commands on the first lines steer the ticket: #status pending|resolved|closed|open, #priority P1-P4, #category name, #assign me|address, #merge ${`${ctx.ticketId.replace(/-\d+$/, '')}-n`}, #note (keeps your mail internal).`,
      ],
      signOff: [],
      footer: p`You're getting this as a member of ${ctx.staffList}.`,
    });
  },

  /** A staff member's answer, relayed to the requester and the people in Cc. */
  relay(ctx: TicketContext & { staffName: string; text: string }): RenderedMail {
    return render(ctx, {
      preview: p`${firstLine(ctx.text)}`,
      heading: p`${ctx.staffName || ctx.teamName} replied to your request`,
      blocks: [message(ctx.text), p`To answer, just reply to this email. Please keep ${strong(`[${ctx.ticketId}]`)} in the subject.`],
      signOff: [p`${ctx.staffName ? `${ctx.staffName}, ` : ''}${ctx.teamName}`],
    });
  },

  /** What a staff member's commands did, to that staff member only. */
  commandResult(ctx: TicketContext & { applied: string[]; rejected: string[]; staffList: string }): RenderedMail {
    return render(ctx, {
      preview: ctx.rejected.length ? p`Some commands on ${ctx.ticketId} were not applied.` : p`Done: your commands on ${ctx.ticketId} are applied.`,
      heading: ctx.rejected.length ? p`Not everything was applied` : p`Done`,
      blocks: [
        quote(ctx.subject),
        ...(ctx.applied.length ? [p`Applied:`, list(ctx.applied)] : []),
        ...(ctx.rejected.length ? [p`Not applied (nothing of these changed the ticket):`, list(ctx.rejected)] : []),
      ],
      signOff: [p`${ctx.teamName} ticketing`],
      footer: p`Only you get this; the requester does not.`,
    });
  },

  /** To the staff list, at most once an hour per address: that address's new requests are being held. */
  limitNotice(ctx: { teamName: string; supportAddress: string; staffList: string; requester: string; max: number; hour: string; heldSubject: string }): RenderedMail {
    const about: TicketContext = { ticketId: 'On hold', subject: `New requests from ${ctx.requester}`, requesterName: '', supportAddress: ctx.supportAddress, teamName: ctx.teamName };
    return render(about, {
      preview: p`${ctx.requester} has opened ${String(ctx.max)} tickets this hour; further new requests are held.`,
      heading: p`New requests from ${ctx.requester} are on hold`,
      blocks: [
        p`${ctx.requester} has opened ${String(ctx.max)} tickets in the hour from ${ctx.hour}:00 UTC, the most one address may open in an hour (limits.newTicketsPerSenderPerHour in the configuration).`,
        p`Their further new requests this hour are kept in quarantine, not lost. The first one held is:`,
        quote(ctx.heldSubject || '(no subject)'),
        p`Replies on their existing tickets still arrive as usual. If the requests are genuine, bring them in with ${strong('ticketing replay --quarantined')}.`,
      ],
      signOff: [p`${ctx.teamName} ticketing`],
      footer: p`You're getting this as a member of ${ctx.staffList}, at most once an hour for each address.`,
    });
  },

  /**
   * To a staff address whose mail on a ticket was not taken as staff (it did not authenticate):
   * nothing happened, and why. At most once an hour per address; never to anyone else.
   */
  staffWarning(ctx: TicketContext & { address: string; why: string }): RenderedMail {
    return render(ctx, {
      preview: p`Your mail about ${ctx.ticketId} was not applied: it did not pass authentication.`,
      heading: p`Your mail was not applied`,
      blocks: [
        quote(ctx.subject),
        p`A mail from ${ctx.address} about ${ctx.ticketId} reached us, but it did not pass authentication (${ctx.why}). So it was treated as a stranger's mail: no command was applied and nothing you wrote was sent to the requester.`,
        p`If you sent it: staff mail must pass DMARC for your domain, or carry a DKIM signature of your domain. Send it again from your usual mail account, or ask your mail administrator to check DKIM signing.`,
        p`If you did not send it, someone wrote in your name. Nothing changed; you may want to tell your security team.`,
      ],
      signOff: [p`${ctx.teamName} ticketing`],
      footer: p`Only you get this, at most once an hour.`,
    });
  },

  /** An internal note, to the staff list; replies to it stay internal too. */
  note(ctx: TicketContext & { author: string; text: string; staffList: string }): RenderedMail {
    return render(ctx, {
      preview: p`Internal note on ${ctx.ticketId} from ${ctx.author}`,
      heading: p`Internal note on ${ctx.ticketId}`,
      blocks: [quote(ctx.subject), p`${ctx.author} wrote (not sent to the requester):`, message(ctx.text), p`Replies to this email stay internal too.`],
      signOff: [],
      footer: p`You're getting this as a member of ${ctx.staffList}.`,
    });
  },
};

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim()) ?? '';
}

function greeting(ctx: TicketContext): Paragraph {
  const name = ctx.requesterName.trim();
  return name ? p`Hi ${name},` : p`Hi there,`;
}

function signOff(ctx: TicketContext): Paragraph[] {
  return [p`Thanks,`, p`${ctx.teamName}`];
}

function footer(ctx: TicketContext): Paragraph {
  return p`You're getting this because you emailed ${ctx.supportAddress}.`;
}

// ---------------------------------------------------------------------------------------------
// Rendering: the parts above become text and HTML. Wording does not live below this line.

/** Inline text: ours (a plain string), received (escaped, isolated), or bold. */
export type Inline = string | { value: string; strong: boolean };
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
  items: string[];
}
/** A person's message as they wrote it: paragraphs and line breaks kept. */
interface Message {
  kind: 'message';
  text: string;
}
type Block = Paragraph | Quote | List | Message;

interface MailParts {
  preview: Paragraph;
  heading: Paragraph;
  blocks: Block[];
  signOff: Paragraph[];
  /** The ticket shown in the header badge; defaults to the context's. */
  ticketId?: string;
  /** Why the reader gets this mail; defaults to "because you emailed" the support address. */
  footer?: Paragraph;
}

/** Tagged template: literals are our words, interpolations received text. */
export function p(literals: TemplateStringsArray, ...values: Array<string | { value: string; strong: boolean }>): Paragraph {
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

export function strong(value: string): { value: string; strong: boolean } {
  return { value, strong: true };
}

function quote(text: string): Quote {
  return { kind: 'quote', text };
}

function list(items: string[]): List {
  return { kind: 'list', items };
}

function message(text: string): Message {
  return { kind: 'message', text };
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

function render(ctx: TicketContext, mail: MailParts): RenderedMail {
  return { text: renderText(ctx, mail), html: renderHtml(ctx, mail) };
}

// --- text ------------------------------------------------------------------------------------

function renderText(ctx: TicketContext, mail: MailParts): string {
  const out: string[] = [];
  for (const block of mail.blocks) {
    if (block.kind === 'p') out.push(wrap(inlineText(block.parts), TEXT_WIDTH));
    else if (block.kind === 'quote') out.push(wrap(oneLine(received(block.text)), TEXT_WIDTH, '    ', '    '));
    else if (block.kind === 'message') out.push(messageParagraphs(block.text).map((lines) => lines.map((l) => wrap(isolate(l), TEXT_WIDTH)).join('\n')).join('\n\n'));
    else out.push(block.items.map((item) => wrap(oneLine(received(item)), TEXT_WIDTH, '  - ', '    ')).join('\n'));
  }
  if (mail.signOff.length) out.push(mail.signOff.map((line) => inlineText(line.parts)).join('\n'));
  out.push(`-- \n${wrap(inlineText((mail.footer ?? footer(ctx)).parts), TEXT_WIDTH)}`);
  return `${out.join('\n\n')}\n`;
}

/** A paragraph as one line of the text version (wrap it to taste): received values isolated. */
export function paragraphText(paragraph: Paragraph): string {
  return inlineText(paragraph.parts);
}

function inlineText(parts: Inline[]): string {
  return oneLine(parts.map((part) => (typeof part === 'string' ? part : isolate(received(part.value)))).join(''));
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
    footer: mail.footer ?? footer(ctx),
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
  if (block.kind === 'message') {
    const paragraphs = messageParagraphs(block.text).map((lines) => `<p style="margin:0 0 12px 0;${BREAK_ANYWHERE}">${lines.map(receivedHtml).join('<br>')}</p>`);
    return `<div style="margin:0 0 16px 0;padding:12px 16px;border-left:4px solid ${COLORS.border};">${paragraphs.join('\n')}</div>`;
  }
  const items = block.items
    .map((item) => `<li style="margin:0 0 8px 0;${BREAK_ANYWHERE}">${receivedHtml(oneLine(item))}</li>`)
    .join('');
  return `<ul style="margin:0 0 16px 0;padding:0 0 0 24px;">${items}</ul>`;
}

/** A paragraph as inline HTML: our words escaped, received values escaped and bidi-isolated. */
export function paragraphHtml(paragraph: Paragraph): string {
  return inlineHtml(paragraph.parts);
}

function inlineHtml(parts: Inline[], isolated = true): string {
  return parts
    .map((part) => {
      if (typeof part === 'string') return escapeHtml(part);
      const value = oneLine(part.value);
      const html = isolated ? receivedHtml(value) : escapeHtml(received(value));
      return part.strong ? `<strong style="font-weight:700;">${html}</strong>` : html;
    })
    .join('');
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
