/**
 * The auto-reply templates with hostile received text: in HTML every piece is escaped (only
 * our own tags and attributes exist), in text every piece is there as written.
 */
import { describe, expect, it } from 'vitest';
import { address, escapeHtml, p, renderMail, type TicketContext } from '../../src/mail/templates/render.js';
import { templates } from '../../src/mail/templates/requester.js';
import { staffTemplates } from '../../src/mail/templates/staff.js';

const SCRIPT = '<script>window.__xss = 1; alert(1)</script>';
const BREAKOUT = '"><img src=x onerror="window.__xss=2;alert(1)">';
const HEBREW = 'שלום, ה-VPN לא עובד מהבית';
const ARABIC = 'الطابعة لا تعمل';
const EMOJI = '🔥💻😭 👩‍💻';
const LONG_SUBJECT = `Printer on floor 3 ${'x'.repeat(120)} ${'keeps jamming whenever anyone prints double-sided pages '.repeat(8)}`.slice(0, 500);

const base: TicketContext = {
  ticketId: 'TKT-42',
  subject: 'VPN down',
  requesterName: 'Dana Whitfield',
  supportAddress: 'support@northwind.example',
  teamName: 'Northwind IT',
};

const hostile: Record<string, TicketContext> = {
  script: { ...base, subject: `VPN down ${SCRIPT}`, requesterName: SCRIPT },
  breakout: { ...base, subject: BREAKOUT, requesterName: `Dana ${BREAKOUT}`, teamName: 'IT & "Facilities" <Team>' },
  rtl: { ...base, subject: `${HEBREW} — ${ARABIC}`, requesterName: 'דנה כהן' },
  long: { ...base, subject: LONG_SUBJECT, requesterName: 'Maximilian Alexander von Hohenberg-Schwarzenfels' },
  emoji: { ...base, subject: `Laptop won't boot ${EMOJI}`, requesterName: 'Zoë 👩‍💻', teamName: 'Northwind IT 🛠️' },
};
const ASKS = [`Which laptop is it? ${SCRIPT}`, BREAKOUT, `${HEBREW} ${EMOJI}`];

type Render = (ctx: TicketContext) => { text: string; html: string };
const renders: Record<string, Render> = {
  ack: (ctx) => templates.ack(ctx),
  missingInfo: (ctx) => templates.missingInfo({ ...ctx, asks: ASKS, followUp: false }),
  missingInfoFollowUp: (ctx) => templates.missingInfo({ ...ctx, asks: ASKS, followUp: true }),
  duplicateNotice: (ctx) => templates.duplicateNotice({ ...ctx, duplicateOfId: 'TKT-17' }),
  incidentAck: (ctx) => templates.incidentAck({ ...ctx, incidentId: 'INC-7', title: `Wi-Fi down ${SCRIPT}` }),
  incidentAckEarlier: (ctx) => templates.incidentAck({ ...ctx, incidentId: 'INC-7', title: `Wi-Fi down ${SCRIPT}`, earlier: true }),
  nudge: (ctx) => templates.nudge({ ...ctx, waitingFor: ASKS, days: 3 }),
  autoClosed: (ctx) => templates.autoClosed({ ...ctx, days: 10 }),
};

/** The tags and attributes our layout uses; anything else came from received text. */
const OUR_TAGS = new Set(['html', 'head', 'meta', 'title', 'body', 'div', 'table', 'tr', 'td', 'h1', 'p', 'br', 'span', 'strong', 'ul', 'li']);
const OUR_ATTRIBUTES = new Set(['lang', 'dir', 'charset', 'name', 'content', 'style', 'role', 'width', 'cellpadding', 'cellspacing', 'border', 'align']);

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Decodes exactly what escapeHtml encodes, to compare escaped HTML text with the input. */
function unescape(html: string): string {
  return html.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);
}

function tagsAndAttributes(html: string): { tags: Set<string>; attributes: Set<string> } {
  const tags = new Set<string>();
  const attributes = new Set<string>();
  for (const [, name, rest] of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)) {
    tags.add(name!.toLowerCase());
    // Attribute names only: quoted values (ours, like the viewport's `initial-scale=1`) blanked.
    for (const [, attr] of rest!.replace(/"[^"]*"|'[^']*'/g, '""').matchAll(/\s([a-zA-Z-]+)\s*=/g)) {
      attributes.add(attr!.toLowerCase());
    }
  }
  return { tags, attributes };
}

/** HTML with every tag removed and entities decoded: what a reader sees, roughly. */
function visible(html: string): string {
  return squash(unescape(html.replace(/<title>[\s\S]*?<\/title>/, '').replace(/<[^>]*>/g, ' ')));
}

describe.each(Object.entries(renders))('%s', (_name, render) => {
  describe.each(Object.entries(hostile))('with %s input', (_kind, ctx) => {
    const { text, html } = render(ctx);

    it('has only our own tags and attributes in the HTML', () => {
      const { tags, attributes } = tagsAndAttributes(html);
      expect([...tags].filter((t) => !OUR_TAGS.has(t))).toEqual([]);
      expect([...attributes].filter((a) => !OUR_ATTRIBUTES.has(a))).toEqual([]);
      expect(html).not.toMatch(/<script|<img|onerror\s*=\s*"window/i);
    });

    it('shows every received piece in the HTML, escaped, and in the text as written', () => {
      const pieces = [ctx.subject, ctx.requesterName, ctx.teamName];
      if (_name.startsWith('missingInfo') || _name === 'nudge') pieces.push(...ASKS);
      for (const piece of pieces) {
        expect(html).toContain(escapeHtml(piece));
        expect(visible(html)).toContain(squash(piece));
        expect(squash(text)).toContain(squash(piece));
      }
    });

    it('names the ticket in both versions', () => {
      const id = _name === 'duplicateNotice' ? 'TKT-17' : ctx.ticketId;
      expect(text).toContain(id);
      expect(visible(html)).toContain(id);
    });

    it('wraps the text at 72 columns, except words longer than that', () => {
      for (const line of text.split('\n')) {
        if ([...line].length <= 72) continue;
        expect(line.trim().split(' ')).toHaveLength(1);
      }
    });
  });
});

describe('wording', () => {
  it('ack: ticket id, what happens next, just reply, keep the tag', () => {
    const { text } = templates.ack(base);
    expect(text).toMatch(/^Hi Dana Whitfield,/);
    expect(text).toContain('TKT-42');
    expect(squash(text)).toContain('get back to you');
    expect(squash(text)).toContain('Just reply to this email');
    expect(text).toContain('[TKT-42]');
  });

  it('missingInfo asks exactly for the asks, and says "still need" on a follow-up', () => {
    const asks = ['The asset tag on the bottom of your laptop', 'When it last worked'];
    const first = templates.missingInfo({ ...base, asks, followUp: false });
    const again = templates.missingInfo({ ...base, asks: asks.slice(1), followUp: true });
    expect(first.text).toContain('  - The asset tag on the bottom of your laptop\n  - When it last worked\n');
    expect(first.text).not.toMatch(/still need/);
    expect(first.html.match(/<li /g)).toHaveLength(2);
    expect(again.text).toMatch(/Thanks for the extra information/);
    expect(again.text).toContain('We still need one more thing:');
    expect(again.text).toContain('  - When it last worked\n');
    expect(again.text).not.toContain('asset tag');
    expect(templates.missingInfo({ ...base, asks, followUp: true }).text).toContain('We still need a few more things:');
  });

  it('duplicateNotice says we already have it as the other ticket', () => {
    const { text, html } = templates.duplicateNotice({ ...base, ticketId: 'TKT-42', duplicateOfId: 'TKT-17' });
    expect(squash(text)).toContain('the same request as TKT-17');
    expect(html).toContain('TKT-17</span></strong>');
  });

  it('nudge: a friendly reminder, what is still missing, replying keeps it open, closes otherwise', () => {
    const asks = ['The asset tag on the bottom of your laptop', 'When it last worked'];
    const { text, html } = templates.nudge({ ...base, waitingFor: [...asks, '  '], days: 3 });
    expect(text).toMatch(/^Hi Dana Whitfield,/);
    expect(squash(text)).toContain("your ticket TKT-42 is waiting for your reply, and we haven't heard from you for 3 days:");
    expect(text).toContain('    VPN down\n');
    expect(text).toContain('We are still waiting for:\n\n  - The asset tag on the bottom of your laptop\n  - When it last worked\n');
    expect(html.match(/<li /g)).toHaveLength(2);
    expect(squash(text)).toContain('Replying keeps the ticket open');
    expect(squash(text)).toContain("If we don't hear from you, we'll close the ticket in a few days.");
  });

  it('nudge: one thing, nothing listed, a known closing day, one day', () => {
    expect(templates.nudge({ ...base, waitingFor: ['When it last worked'], days: 3 }).text).toContain('We are still waiting for one thing:\n\n  - When it last worked\n');
    const none = templates.nudge({ ...base, waitingFor: [' '], days: 1, closesInDays: 7 });
    expect(none.text).toContain('We are still waiting for your answer to our last email.');
    expect(none.html).not.toContain('<ul');
    expect(squash(none.text)).toContain("haven't heard from you for 1 day:");
    expect(squash(none.text)).toContain("we'll close the ticket in 7 days.");
  });

  it('autoClosed: closed after N quiet days, politely; replying picks it up again', () => {
    const { text } = templates.autoClosed({ ...base, days: 10 });
    expect(text).toMatch(/^Hi Dana Whitfield,/);
    expect(squash(text)).toContain("We haven't heard back from you about TKT-42 for 10 days, so we've closed it:");
    expect(text).toContain('    VPN down\n');
    expect(squash(text)).toContain('Still need help? Just reply to this email.');
    expect(squash(text)).toContain('as a new ticket linked to this one');
    expect(squash(text)).toContain('write to support@northwind.example as usual');
  });

  it('welcomes replies and never says "do not reply"', () => {
    for (const render of Object.values(renders)) {
      const { text, html } = render(base);
      expect(text + html).not.toMatch(/do not reply|don't reply|no-?reply|unmonitored/i);
      expect(squash(text)).toMatch(/reply to this email/i);
    }
  });

  it('greets "Hi there" when we have no name', () => {
    expect(templates.ack({ ...base, requesterName: '  ' }).text).toMatch(/^Hi there,/);
  });

  it('drops bidi override controls from received text but keeps the RTL letters', () => {
    const ctx = { ...base, subject: `invoice\u202Egnp.exe ${HEBREW}`, requesterName: '\u2067דנה\u2069' };
    const { text, html } = templates.ack(ctx);
    expect(text).not.toMatch(/[\u202A-\u202E]/);
    expect(html).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(text).toContain(`invoicegnp.exe ${HEBREW}`);
    // RTL names in running text are isolated (FSI…PDI) so they cannot reorder our words.
    expect(text).toContain('Hi \u2068דנה\u2069,');
    expect(html).toContain('<span dir="auto">דנה</span>');
  });

  it('keeps received line breaks and control characters out of single-line fields', () => {
    const { text } = templates.ack({ ...base, subject: 'VPN\r\ndown\u0007 again', requesterName: 'Dana\nWhitfield' });
    expect(text).toContain('    VPN down again\n');
    expect(text).toMatch(/^Hi Dana Whitfield,/);
  });
});

describe('addresses in HTML (how they break on a phone: test/integration/staff-mail-chromium.test.ts)', () => {
  const PART = 'display:inline-block;max-width:100%;white-space:normal;overflow-wrap:anywhere;word-break:break-word;';
  const mailWith = (paragraph: ReturnType<typeof p>) => renderMail(base, { preview: p`x`, heading: p`x`, blocks: [paragraph], signOff: [], footer: p`x` });

  it('cuts an address into boxes after its "@" only, keeping the brackets and our punctuation with it', () => {
    const { text, html } = mailWith(p`Requester: ${address('Margarethe <margarethe.vandenberg-oosterhuis@northwind.example>')}.`);
    expect(html).toContain(
      `Requester: <span dir="auto">Margarethe <span dir="ltr" style="${PART}"><span style="${PART}">&lt;margarethe.vandenberg-oosterhuis@</span><span style="${PART}">northwind.example&gt;.</span></span></span></p>`,
    );
    // The text version is as it was.
    expect(squash(text)).toContain('Requester: Margarethe <margarethe.vandenberg-oosterhuis@northwind.example>.');
  });

  it('lets a long domain break before its dots too', () => {
    const { html } = mailWith(p`${address('joanna@service-desk.contoso-managed-services.example')}`);
    expect(html).toContain(`>joanna@</span><span style="${PART}">service-desk</span><span style="${PART}">.contoso-managed-services</span><span style="${PART}">.example</span>`);
  });

  it('leaves text without an address, and what follows an address inside the value, as received text', () => {
    expect(mailWith(p`As ${address('Dana Whitfield')}.`).html).toContain('As <span dir="auto">Dana Whitfield</span>.');
    const { html } = mailWith(p`${address('Assigned to priya@northwind.example (it was unassigned)')}.`);
    expect(html).toContain(`>northwind.example</span></span> (it was unassigned)</span>.</p>`);
  });

  it('escapes hostile text around and inside an address', () => {
    const { html } = mailWith(p`${address(`flood<img src=x onerror=alert(1)>@evil.test ${SCRIPT}`)}`);
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain(`>onerror=alert(1)&gt;@</span><span style="${PART}">evil.test</span>`);
    expect(html).toContain(escapeHtml(SCRIPT));
  });

  it('keeps an address left to right after a right-to-left name', () => {
    const { html } = mailWith(p`${address('דנה כהן <dana@northwind.example>')}`);
    expect(html).toContain(`<span dir="auto">דנה כהן <span dir="ltr" style="${PART}">`);
  });
});

describe('staff mail wording', () => {
  const facts = { requester: 'Dana Whitfield <dana@northwind.example>', status: 'open', priority: 'P2', category: 'network', assignee: null, triageReasons: ['Network, because it mentions "vpn"', 'P2, because it says "today" (deadline today)'], missing: [] };
  const notification = { ...base, headline: 'New ticket TKT-42', facts, from: 'Dana Whitfield <dana@northwind.example>', text: 'VPN down.', attachments: [], staffList: 'it-team@northwind.example', ticketPrefix: 'TKT' };

  it('notification: the facts a line each, the reasons as a list, and why the reader gets it', () => {
    const { text } = staffTemplates.notification(notification);
    expect(text).toContain('Requester: Dana Whitfield <dana@northwind.example>\nStatus: open\nPriority: P2\nCategory: network\nAssigned to: nobody yet\n');
    expect(text).toContain('Why this priority and category:\n\n  - Network, because it mentions "vpn"\n  - P2, because it says "today" (deadline today)\n');
    expect(text).toContain("You're getting this as a member of it-team@northwind.example.");
    const assigned = staffTemplates.notification({ ...notification, facts: { ...facts, assignee: 'priya@northwind.example' } }).text;
    expect(assigned).toContain('Assigned to: priya@northwind.example\n');
    expect(assigned).toContain("You're getting this because TKT-42 is assigned to you.");
  });

  it('commandResult: what was applied, what was not and that it changed nothing, and how to try again', () => {
    const { text } = staffTemplates.commandResult({ ...base, applied: ['Priority changed from P3 to P1'], rejected: ['#status done: status must be open, pending (waiting-on-requester), awaiting-info, resolved or closed'], staffList: 'it-team@northwind.example' });
    expect(squash(text)).toContain('Applied: - Priority changed from P3 to P1 These were not applied, so they changed nothing: - #status done: status must be');
    expect(squash(text)).toContain('To try again, reply to this email with the corrected commands alone');
    expect(text).not.toMatch(/→|nothing of these/);
    const none = staffTemplates.commandResult({ ...base, applied: [], rejected: ['#priority P7: priority must be P1, P2, P3 or P4'], staffList: 'it-team@northwind.example' });
    expect(none.html).toContain('>Nothing was changed</h1>');
  });

  it('relay: signed by the staff member and the team', () => {
    expect(staffTemplates.relay({ ...base, staffName: 'Priya Nair', text: 'Fixed.' }).text).toContain('\nPriya Nair, Northwind IT\n');
  });

  it('limitNotice: says the hour as people do', () => {
    const { text } = staffTemplates.limitNotice({ teamName: 'Northwind IT', supportAddress: 'support@northwind.example', staffList: 'it-team@northwind.example', requester: 'a@contoso.example', max: 10, hour: '2026-11-30T08', heldSubject: 'Invoice' });
    expect(squash(text)).toContain('a@contoso.example has opened 10 tickets on 2026-11-30 between 08:00 and 09:00 UTC.');
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and attribute values', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
    expect(escapeHtml('שלום 👋 plain')).toBe('שלום 👋 plain');
  });
});
