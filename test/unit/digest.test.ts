/**
 * The stale-ticket digest: what it lists and in which order, its counts and subject, human
 * ages, the all-clear mail, open and resolved incidents, and hostile received text (escaped in
 * HTML, as written in text).
 */
import { describe, expect, it } from 'vitest';
import type { IncidentSummary } from '../../src/domain/incidents/incident.js';
import { digestIsDue, idleLabel, renderDigest, type DigestInput, type DigestTicket } from '../../src/mail/digest.js';
import { escapeHtml } from '../../src/mail/templates/render.js';
import { digestTicket } from '../support/message.js';

const SCRIPT = '<script>window.__xss = 1; alert(1)</script>';
const BREAKOUT = '"><img src=x onerror="window.__xss=2;alert(1)">';
const HEBREW = 'שלום, ה-VPN לא עובד מהבית';
const ARABIC = 'الطابعة لا تعمل';
const EMOJI = '🔥💻😭 👩‍💻';
const LONG = `Printer on floor 3 ${'x'.repeat(120)} ${'keeps jamming whenever anyone prints double-sided pages '.repeat(10)}`.slice(0, 600);

const ticket = digestTicket;

const base: DigestInput = {
  teamName: 'Northwind IT',
  staffList: 'it-team@northwind.example',
  supportAddress: 'support@northwind.example',
  now: new Date('2026-11-23T08:00:00Z'),
  stale: [],
  unreachable: [],
  nudged: [],
  closed: [],
  allClear: false,
};

/** Stale tickets in scrambled order: 1 P1, 2 P2, 2 P3, 1 without priority. */
const stale = [
  ticket(3, { priority: 'P3', idleHours: 200 }),
  ticket(7, { priority: null, idleHours: 90 }),
  ticket(5, { priority: 'P2', idleHours: 26 }),
  ticket(1, { priority: 'P1', idleHours: 5.5, assignee: 'alex.kim@northwind.example' }),
  ticket(4, { priority: 'P2', idleHours: 60, status: 'waiting-on-requester' }),
  ticket(6, { priority: 'P3', idleHours: 400, category: null }),
];

/** The ticket ids in the order the text version lists them. */
function listedIds(text: string): string[] {
  return [...text.matchAll(/^(TKT-\d+) {2}/gm)].map((m) => m[1]!);
}

function sectionHeadings(text: string): string[] {
  return [...text.matchAll(/^(.+)\n=+$/gm)].map((m) => m[1]!);
}

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Decodes exactly what escapeHtml encodes. */
function unescape(html: string): string {
  return html.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' })[e]!);
}

/**
 * The HTML without its inline spans (bidi isolates, and the parts an address is laid out in:
 * "dana@" and "northwind.example" are two boxes), so received text reads as one piece again.
 */
function withoutSpans(html: string): string {
  return html.replace(/<\/?span\b[^>]*>/g, '');
}

/** HTML with every tag removed and entities decoded: what a reader sees, roughly. */
function visible(html: string): string {
  return squash(unescape(withoutSpans(html).replace(/<title>[\s\S]*?<\/title>/, '').replace(/<[^>]*>/g, ' ')));
}

/** The tags and attributes the digest's layout uses; anything else came from received text. */
const OUR_TAGS = new Set(['html', 'head', 'meta', 'title', 'body', 'div', 'table', 'tr', 'td', 'h1', 'h2', 'p', 'br', 'span', 'strong', 'ul', 'li', 'a']);
const OUR_ATTRIBUTES = new Set(['lang', 'dir', 'charset', 'name', 'content', 'style', 'role', 'width', 'cellpadding', 'cellspacing', 'border', 'align', 'href']);

function tagsAndAttributes(html: string): { tags: Set<string>; attributes: Set<string> } {
  const tags = new Set<string>();
  const attributes = new Set<string>();
  for (const [, name, rest] of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)) {
    tags.add(name!.toLowerCase());
    for (const [, attr] of rest!.replace(/"[^"]*"|'[^']*'/g, '""').matchAll(/\s([a-zA-Z-]+)\s*=/g)) attributes.add(attr!.toLowerCase());
  }
  return { tags, attributes };
}

function hrefs(html: string): string[] {
  return [...html.matchAll(/\shref="([^"]*)"/g)].map((m) => unescape(m[1]!));
}

describe('grouping and order', () => {
  const { text, html } = renderDigest({ ...base, stale, unreachable: [ticket(9, { idleHours: 100 }), ticket(8, { priority: 'P1', idleHours: 300 })] });

  it('lists P1 first and no priority last, oldest first within each, then the unreachable', () => {
    expect(sectionHeadings(text)).toEqual(['P1 · 1 ticket', 'P2 · 2 tickets', 'P3 · 2 tickets', 'No priority · 1 ticket', 'Cannot reach the requester · 2 tickets']);
    expect(listedIds(text)).toEqual(['TKT-1', 'TKT-4', 'TKT-5', 'TKT-6', 'TKT-3', 'TKT-7', 'TKT-8', 'TKT-9']);
    expect([...html.matchAll(/>(TKT-\d+)<\/strong>/g)].map((m) => m[1])).toEqual(listedIds(text));
  });

  it('puts a priority it does not know after P4 and before no priority', () => {
    const { text } = renderDigest({ ...base, stale: [ticket(1, { priority: null }), ticket(2, { priority: 'P9' }), ticket(3, { priority: 'P4' })] });
    expect(sectionHeadings(text)).toEqual(['P4 · 1 ticket', 'P9 · 1 ticket', 'No priority · 1 ticket']);
  });

  it('breaks a tie in age by ticket number', () => {
    const { text } = renderDigest({ ...base, stale: [ticket(12, { idleHours: 30 }), ticket(2, { idleHours: 30 }), ticket(10, { idleHours: 30 })] });
    expect(listedIds(text)).toEqual(['TKT-2', 'TKT-10', 'TKT-12']);
  });

  it('says why the unreachable are there and what to do', () => {
    expect(squash(text)).toContain('Mail to these requesters bounces, so they get no reminders');
  });

  it('shows each ticket: id, subject, requester, category, status, age, assignee, excerpt, reply address', () => {
    const block = text.slice(text.indexOf('TKT-4  '), text.indexOf('TKT-5  '));
    expect(block).toBe(
      [
        'TKT-4  [P2]  idle 2 days',
        '  Ticket 4',
        '  Requester 4 <user4@northwind.example>',
        '  hardware · waiting on requester · unassigned',
        '  Last message: “Still happening this morning, same error as before.”',
        '  Reply to support+tkt-4@northwind.example',
        '',
        '',
      ].join('\n'),
    );
    expect(text).toContain('  hardware · open · assigned to alex.kim@northwind.example\n');
    expect(text).toContain('  no category · open · unassigned\n');
  });
});

describe('counts and subject', () => {
  it('counts per priority, unreachable, reminded and closed at the top', () => {
    const { text } = renderDigest({ ...base, stale, unreachable: [ticket(9)], nudged: ['TKT-20', 'TKT-21'], closed: ['TKT-19'] });
    expect(text.split('\n\n')[1]).toBe(
      [
        '6 stale tickets: 1 P1, 2 P2, 2 P3, 1 without priority',
        '1 ticket whose requester we cannot reach',
        'Reminded 2 quiet requesters: TKT-20, TKT-21',
        'Closed 1 ticket nobody answered: TKT-19',
      ].join('\n'),
    );
  });

  it('shows the counts in HTML with a coloured label per priority', () => {
    const { html } = renderDigest({ ...base, stale });
    expect(html).toMatch(/background-color:#fee2e2;color:#991b1b;[^"]*"><span dir="auto">P1<\/span><\/span> <strong style="font-weight:700;">1<\/strong>/);
    expect(html).toContain('No priority</span> <strong style="font-weight:700;">1</strong>');
  });

  it.each([
    ['stale tickets', { stale }, '[Northwind IT] 6 stale tickets: 1 P1, 2 P2, 2 P3, 1 without priority (Mon 23 Nov)'],
    ['one stale ticket', { stale: [ticket(1, { priority: 'P1' })] }, '[Northwind IT] 1 stale ticket: 1 P1 (Mon 23 Nov)'],
    [
      'stale and unreachable (one requester, two tickets)',
      { stale: [ticket(1, { priority: 'P2' })], unreachable: [ticket(2, { requester: 'Gone <GONE@contoso.example>', requesterAddress: 'gone@contoso.example' }), ticket(3, { requester: 'gone@contoso.example', requesterAddress: 'gone@contoso.example' })] },
      '[Northwind IT] 1 stale ticket: 1 P2; 1 unreachable requester (Mon 23 Nov)',
    ],
    ['only unreachable', { unreachable: [ticket(2, { requester: 'a@contoso.example', requesterAddress: 'a@contoso.example' }), ticket(3, { requester: 'b@contoso.example', requesterAddress: 'b@contoso.example' })] }, '[Northwind IT] No stale tickets; 2 unreachable requesters (Mon 23 Nov)'],
    ['all clear', { allClear: true, nudged: ['TKT-2'] }, '[Northwind IT] All clear: no stale tickets (Mon 23 Nov)'],
    ['another time zone', { stale, now: new Date('2026-11-23T23:30:00Z'), timeZone: 'Pacific/Auckland' }, '[Northwind IT] 6 stale tickets: 1 P1, 2 P2, 2 P3, 1 without priority (Tue 24 Nov)'],
  ] as Array<[string, Partial<DigestInput>, string]>)('subject: %s', (_case, over, subject) => {
    const digest = renderDigest({ ...base, ...over });
    expect(digest.subject).toBe(subject);
    expect(digest.html).toContain(`<title>${escapeHtml(subject)}</title>`);
  });

  it('keeps a hostile team name to one line in the subject', () => {
    expect(renderDigest({ ...base, teamName: 'IT\r\nBcc: all@northwind.example\u202E', stale }).subject).toBe('[IT Bcc: all@northwind.example] 6 stale tickets: 1 P1, 2 P2, 2 P3, 1 without priority (Mon 23 Nov)');
  });
});

describe('ages', () => {
  it.each([
    [0, 'idle under 1 h'],
    [0.9, 'idle under 1 h'],
    [1, 'idle 1 h'],
    [5.9, 'idle 5 h'],
    [47.9, 'idle 47 h'],
    [48, 'idle 2 days'],
    [24 * 5 + 23, 'idle 5 days'],
    [24 * 40, 'idle 40 days'],
    [Number.NaN, 'idle under 1 h'],
  ])('%s hours: %s', (hours, label) => {
    expect(idleLabel(hours)).toBe(label);
  });

  it('shows the age on each ticket in both versions', () => {
    const { text, html } = renderDigest({ ...base, stale: [ticket(1, { idleHours: 5.2 }), ticket(2, { idleHours: 73 })] });
    expect(text).toContain('TKT-1  [P3]  idle 5 h\n');
    expect(text).toContain('TKT-2  [P3]  idle 3 days\n');
    expect(visible(html)).toContain('TKT-1 · idle 5 h');
    expect(visible(html)).toContain('TKT-2 · idle 3 days');
  });
});

describe('all clear, and nothing to send', () => {
  it('is due with something to list, or with nothing when the all-clear is wanted', () => {
    expect(digestIsDue({ stale: [], unreachable: [], allClear: false })).toBe(false);
    expect(digestIsDue({ stale: [], unreachable: [], allClear: true })).toBe(true);
    expect(digestIsDue({ stale: [ticket(1)], unreachable: [], allClear: false })).toBe(true);
    expect(digestIsDue({ stale: [], unreachable: [ticket(1)], allClear: false })).toBe(true);
  });

  it('the all-clear mail says so, lists no ticket and has no links, but reports what the job did', () => {
    const { text, html } = renderDigest({ ...base, allClear: true, nudged: ['TKT-2'], closed: ['TKT-3'] });
    expect(text).toContain('No ticket has waited longer than its priority allows');
    expect(text).toContain('Reminded 1 quiet requester: TKT-2\nClosed 1 ticket nobody answered: TKT-3\n');
    expect(listedIds(text)).toEqual([]);
    expect(text).not.toMatch(/Reply to|To answer a requester/);
    expect(html).toContain('>All clear</h1>');
    expect(hrefs(html)).toEqual([]);
  });

  it('a digest with tickets says how to act on them', () => {
    expect(squash(renderDigest({ ...base, stale }).text)).toContain("To answer a requester, write to the ticket's address: your text goes to them from support@northwind.example.");
  });

  it('says in the footer why the reader gets it', () => {
    for (const over of [{ stale }, { allClear: true }]) {
      const { text, html } = renderDigest({ ...base, ...over });
      expect(squash(text.slice(text.indexOf('\n-- \n')))).toContain("You're getting this as a member of it-team@northwind.example: once a day");
      expect(visible(html)).toContain("You're getting this as a member of it-team@northwind.example");
    }
  });
});

describe('reply links', () => {
  it('links each ticket to its own address, with the ticket tag as subject', () => {
    const { html } = renderDigest({ ...base, stale });
    expect(hrefs(html).sort()).toEqual(stale.map((t) => `mailto:${t.replyAddress}?subject=%5B${t.id}%5D`).sort());
    expect(visible(html)).toContain('Reply to support+tkt-1@northwind.example');
  });

  it.each([
    ['another domain', 'support+tkt-1@evil.example'],
    ['another mailbox', 'attacker+tkt-1@northwind.example'],
    ['a script URL', 'javascript:alert(1)//@northwind.example'],
    ['a breakout', `support+tkt-1@northwind.example${BREAKOUT}`],
  ])('never links to an address that is not ours (%s): falls back to the support address and the tag', (_case, replyAddress) => {
    const { text, html } = renderDigest({ ...base, stale: [ticket(1, { replyAddress })] });
    expect(hrefs(html)).toEqual(['mailto:support@northwind.example?subject=%5BTKT-1%5D']);
    expect(text).toContain('  Write to support@northwind.example with [TKT-1] in the subject\n');
    expect(text + html).not.toContain(replyAddress);
    expect(html).not.toContain(escapeHtml(replyAddress));
  });
});

describe('hostile received text', () => {
  const hostile: Record<string, Partial<DigestTicket>> = {
    script: { subject: `VPN down ${SCRIPT}`, requester: `${SCRIPT} <x@northwind.example>`, excerpt: SCRIPT, category: SCRIPT, assignee: SCRIPT },
    breakout: { subject: BREAKOUT, requester: `"Dana ${BREAKOUT}" <dana@northwind.example>`, excerpt: BREAKOUT, priority: BREAKOUT },
    rtl: { subject: `${HEBREW} — ${ARABIC}`, requester: 'דנה כהן <dana@northwind.example>', excerpt: ARABIC },
    emoji: { subject: `Laptop won't boot ${EMOJI}`, requester: 'Zoë 👩‍💻 <zoe@northwind.example>', excerpt: EMOJI },
    quotes: { subject: `Tom & Jerry "quoted" 'single' <b>bold</b>`, excerpt: '&amp; is not an entity here' },
  };

  describe.each(Object.entries(hostile))('%s', (_kind, over) => {
    const t = ticket(42, over);
    const { text, html } = renderDigest({ ...base, teamName: 'IT & "Facilities" <Team>', stale: [t], unreachable: [ticket(43, over)] });

    it('has only our own tags and attributes in the HTML', () => {
      const { tags, attributes } = tagsAndAttributes(html);
      expect([...tags].filter((tag) => !OUR_TAGS.has(tag))).toEqual([]);
      expect([...attributes].filter((a) => !OUR_ATTRIBUTES.has(a))).toEqual([]);
      expect(html).not.toMatch(/<script|<img|<b>|onerror\s*=\s*"window/i);
    });

    it('shows every received piece in the HTML, escaped, and in the text as written', () => {
      const pieces = [t.subject, t.requester, t.excerpt, 'IT & "Facilities" <Team>', ...(t.category ? [t.category] : []), ...(t.assignee ? [t.assignee] : []), ...(t.priority ? [t.priority] : [])];
      for (const piece of pieces) {
        expect(withoutSpans(html)).toContain(escapeHtml(piece));
        expect(visible(html)).toContain(squash(piece));
        expect(squash(text.replace(/[\u2068\u2069]/g, ''))).toContain(squash(piece));
      }
    });

    it('wraps the text at 72 columns, except words longer than that', () => {
      for (const line of text.split('\n')) {
        if ([...line].length <= 72) continue;
        expect(line.trim().split(' ')).toHaveLength(1);
      }
    });
  });

  it('drops bidi override controls from received text but keeps the RTL letters, isolated', () => {
    const { text, html, subject } = renderDigest({ ...base, stale: [ticket(1, { subject: `invoice\u202Egnp.exe ${HEBREW}`, requester: '\u2067דנה\u2069 <d@northwind.example>' })] });
    expect(text + subject).not.toMatch(/[\u202A-\u202E]/);
    expect(html).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    // In text, RTL values sit in FSI…PDI so they cannot reorder our words around them.
    expect(text).toContain(`  \u2068invoicegnp.exe ${HEBREW}\u2069\n`);
    expect(text).toContain('  \u2068דנה <d@northwind.example>\u2069\n');
    expect(html).toContain(`<span dir="auto">invoicegnp.exe ${HEBREW}</span>`);
  });

  it('clips a 600-character subject to 200 characters, which wrap in HTML and text', () => {
    const { text, html } = renderDigest({ ...base, stale: [ticket(1, { subject: LONG })] });
    const [, shown] = /<span dir="auto">(Printer on floor 3 [^<]*)<\/span>/.exec(html)!;
    expect([...shown!].length).toBeGreaterThan(180);
    expect([...shown!].length).toBeLessThanOrEqual(200);
    expect(shown).toMatch(/\S…$/);
    expect(LONG.startsWith(shown!.slice(0, -1))).toBe(true);
    expect(html).toContain(`${BREAK_ANYWHERE_STYLE}"><span dir="auto">${shown}</span></div>`);
    expect(squash(text)).toContain(squash(shown!));
    expect(text).not.toContain(LONG.slice(0, 250));
  });

  it('clips between characters as people see them, never inside an emoji', () => {
    const subject = `${'x'.repeat(198)}👩‍💻👩‍💻👩‍💻`;
    const { text } = renderDigest({ ...base, stale: [ticket(1, { subject })] });
    expect(text).toContain(`${'x'.repeat(198)}👩‍💻…`);
  });

  it('keeps an excerpt to a line or two', () => {
    const { text } = renderDigest({ ...base, stale: [ticket(1, { excerpt: 'word '.repeat(100) })] });
    const excerptLines = text.split('\n').filter((l) => l.includes('word'));
    expect(excerptLines.length).toBeLessThanOrEqual(2);
    // Cut after a whole word.
    expect(excerptLines.at(-1)).toMatch(/ word…”$/);
  });
});

const BREAK_ANYWHERE_STYLE = 'overflow-wrap:anywhere;word-break:break-word;';

describe('incidents', () => {
  /** An incident as summarise() gives it: five reports from four people this morning. */
  function incident(n: number, over: Partial<IncidentSummary> = {}): IncidentSummary {
    return {
      id: `INC-${n}`,
      status: 'open',
      title: 'Wi-Fi and network down (floor 3, Malmö)',
      tickets: ['TKT-41', 'TKT-43', 'TKT-44', 'TKT-47', 'TKT-48'],
      requesters: ['ana@northwind.example', 'ben@northwind.example', 'cem@northwind.example', 'dag@northwind.example'],
      places: ['floor 3, Malmö'],
      firstReport: '2026-11-23T07:41:00Z',
      lastReport: '2026-11-23T07:58:00Z',
      resolvedAt: null,
      ...over,
    };
  }
  const wifi = incident(4);
  const printing = incident(5, { title: 'Printing down', tickets: ['TKT-30', 'TKT-31', 'TKT-32'], requesters: ['a@n.example', 'b@n.example', 'c@n.example'], places: [], firstReport: '2026-11-22T15:10:00Z', lastReport: '2026-11-22T16:02:00Z' });
  const vpn = incident(3, { status: 'resolved', title: 'VPN down', tickets: ['TKT-20', 'TKT-21', 'TKT-22'], requesters: ['a@n.example', 'b@n.example', 'c@n.example'], resolvedAt: '2026-11-22T16:20:00Z' });
  const withIncidents: DigestInput = { ...base, stale: [ticket(1, { priority: 'P1', incident: 'INC-4' }), ticket(2, { priority: 'P3' })], incidents: { open: [wifi, printing], resolved: [vpn] } };

  it('makes the digest due with an open incident alone, or one resolved since the last run (never told otherwise)', () => {
    expect(digestIsDue({ ...base, incidents: { open: [wifi], resolved: [] } })).toBe(true);
    expect(digestIsDue({ ...base, incidents: { open: [], resolved: [vpn] } })).toBe(true);
    expect(digestIsDue({ ...base, incidents: { open: [], resolved: [] } })).toBe(false);
  });

  it('lists the open incidents first, longest running first, and the resolved ones after the tickets', () => {
    const { text } = renderDigest(withIncidents);
    expect(sectionHeadings(text)).toEqual(['Open incidents · 2 incidents', 'P1 · 1 ticket', 'P3 · 1 ticket', 'Incidents resolved since the last digest · 1 incident']);
    expect(text.indexOf('INC-5  ')).toBeLessThan(text.indexOf('INC-4  '));
    expect(text.split('\n\n')[1]).toBe(['2 open incidents: INC-5, INC-4', '2 stale tickets: 1 P1, 1 P3', '1 incident resolved since the last digest: INC-3'].join('\n'));
  });

  it('shows each open incident: id, reports and people, title, first and last report, where, its tickets', () => {
    const { text } = renderDigest(withIncidents);
    const block = text.slice(text.indexOf('INC-4  '), text.indexOf('\n\n', text.indexOf('INC-4  ')));
    expect(block).toBe(['INC-4  5 reports from 4 people', '  Wi-Fi and network down (floor 3, Malmö)', '  First report 07:41, latest 07:58 UTC', '  Tickets: TKT-41, TKT-43, TKT-44, TKT-47, TKT-48'].join('\n'));
    // Reports of another day carry their date; the latest only when its day differs from the first.
    expect(text).toContain('  First report Sun 22 Nov 15:10, latest 16:02 UTC\n');
    // How to answer them all, in the words of the incident mail.
    expect(squash(text)).toContain("Reply to an incident's notice mail from us (the subject starts with its id, such as [INC-5]) to answer everyone in it at once");
    // A stale ticket that is one of the reports says so.
    expect(text).toContain('  hardware · open · unassigned · part of INC-4\n');
  });

  it('says a resolved incident in one line', () => {
    const { text, html } = renderDigest(withIncidents);
    expect(text).toContain('  - INC-3 · VPN down · 3 reports from 3 people · resolved Sun 22 Nov\n    16:20 UTC\n');
    expect(visible(html)).toContain('INC-3 · VPN down · 3 reports from 3 people · resolved Sun 22 Nov 16:20 UTC');
  });

  it('says where the reports come from when they come from more than one place', () => {
    const { text } = renderDigest({ ...base, incidents: { open: [incident(4, { places: ['floor 3, Malmö', 'floor 2, Malmö'] })], resolved: [] } });
    expect(text).toContain('  Reported from floor 3, Malmö; floor 2, Malmö\n');
  });

  it('lists twenty tickets of a big incident and counts the rest', () => {
    const tickets = Array.from({ length: 23 }, (_, i) => `TKT-${100 + i}`);
    const { text, html } = renderDigest({ ...base, incidents: { open: [incident(4, { tickets })], resolved: [] } });
    expect(squash(text)).toContain(`Tickets: ${tickets.slice(0, 20).join(', ')} and 3 more tickets`);
    expect(visible(html)).toContain(`Tickets: ${tickets.slice(0, 20).join(', ')} and 3 more tickets`);
    expect(text).not.toContain('TKT-120');
  });

  it.each([
    ['with stale tickets', { stale: [ticket(1, { priority: 'P1' })] }, '[Northwind IT] 1 open incident; 1 stale ticket: 1 P1 (Mon 23 Nov)', '1 open incident · 1 stale ticket'],
    ['alone', {}, '[Northwind IT] 1 open incident; no stale tickets (Mon 23 Nov)', '1 open incident'],
    ['with an unreachable requester', { unreachable: [ticket(2)] }, '[Northwind IT] 1 open incident; no stale tickets; 1 unreachable requester (Mon 23 Nov)', '1 open incident · Cannot reach 1 requester'],
  ] as Array<[string, Partial<DigestInput>, string, string]>)('puts an open incident first in the subject and heading (%s)', (_case, over, subject, heading) => {
    const digest = renderDigest({ ...base, ...over, incidents: { open: [wifi], resolved: [] } });
    expect(digest.subject).toBe(subject);
    expect(withoutSpans(digest.html)).toMatch(new RegExp(`<h1[^>]*>${heading}</h1>`));
  });

  it('with only an incident, says the tickets are all right apart from it, and previews the incident', () => {
    const { text, html } = renderDigest({ ...base, incidents: { open: [wifi], resolved: [] } });
    expect(squash(text)).toContain('Apart from the incident below, no ticket has waited longer than its priority allows');
    expect(text).not.toMatch(/Reply to support|To answer a requester/);
    expect(visible(html)).toContain('Open incident INC-4: Wi-Fi and network down (floor 3, Malmö), 5 reports from 4 people');
  });

  it('shows the times in the digest time zone', () => {
    const { text } = renderDigest({ ...base, timeZone: 'Europe/Stockholm', incidents: { open: [wifi], resolved: [] } });
    expect(text).toContain('  First report 08:41, latest 08:58 CET\n');
  });

  it('escapes a hostile title in HTML, shows it as written in text, and adds no link', () => {
    const title = `Wi-Fi down ${SCRIPT} ${BREAKOUT}`;
    const { text, html } = renderDigest({ ...base, stale, incidents: { open: [incident(4, { title })], resolved: [incident(3, { status: 'resolved', title, resolvedAt: '2026-11-23T06:00:00Z' })] } });
    const { tags, attributes } = tagsAndAttributes(html);
    expect([...tags].filter((tag) => !OUR_TAGS.has(tag))).toEqual([]);
    expect([...attributes].filter((a) => !OUR_ATTRIBUTES.has(a))).toEqual([]);
    expect(withoutSpans(html)).toContain(escapeHtml(title));
    expect(squash(text)).toContain(squash(title));
    expect(hrefs(html).sort()).toEqual(stale.map((t) => `mailto:${t.replyAddress}?subject=%5B${t.id}%5D`).sort());
  });
});
