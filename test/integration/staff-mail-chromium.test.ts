/**
 * Every staff-facing mail rendered by a real browser (headless Chromium, see
 * test/support/chromium.ts) at phone width, with the long addresses real people have: the mail
 * fits the screen, and no address is broken inside a word ("…northwind.exampl" / "e>",
 * "it-" / "team@…"): an address may only continue on the next line right after its "@" (or
 * before a dot of a long domain).
 *
 * The notification carries the reasons the real triage engine gives for a realistic mail, and
 * the command result the real command parser and lifecycle give for a realistic staff reply.
 *
 * This suite does not skip: without Chromium every test fails and says how to install it.
 * Screenshots at 390 px go to test-artifacts/templates/<name>.png (gitignored) for a human look.
 */
import { describe, expect, it } from 'vitest';
import { applyCommands, parseCommands } from '../../src/domain/commands.js';
import type { Ticket } from '../../src/domain/ticket.js';
import { triage } from '../../src/domain/triage.js';
import { renderDigest } from '../../src/mail/digest.js';
import { BREAK_ANYWHERE, type RenderedMail, type TicketContext } from '../../src/mail/templates/render.js';
import { incidentTemplates } from '../../src/mail/templates/incident.js';
import { staffTemplates } from '../../src/mail/templates/staff.js';
import { northwind } from '../eval/triage.js';
import { PHONE, PHONE_390, inspect, layoutOf, screenshot, squash, useChromium, widthAt, type LaidOut, type Loaded } from '../support/chromium.js';
import { digestTicket } from '../support/message.js';

const MARGARETHE = 'margarethe.vandenberg-oosterhuis@northwind.example';
const PRIYA = 'priya.nair@northwind.example';
const STAFF_LIST = 'it-team@northwind.example';
const SUPPORT = 'support@northwind.example';
/** A staff address of a subdomain, long enough to need a line of its own on a phone. */
const MAXIMILIAN = 'maximilian.oberhauser-lindqvist@it.northwind.example';
/** A domain long enough that it may also break before its dots. */
const CONTRACTOR = 'ext.joanna.kowalczyk-wisniewska@service-desk.contoso-managed-services.example';

const ctx: TicketContext = {
  ticketId: 'TKT-1042',
  subject: 'Printer on the 3rd floor prints blank pages since the toner change',
  requesterName: 'Margarethe Vandenberg-Oosterhuis',
  supportAddress: SUPPORT,
  teamName: 'Northwind IT',
};

const request = {
  subject: ctx.subject,
  text: [
    'Hi IT,',
    '',
    'since the toner was changed yesterday the printer PRN-HH-3F-02 next to the kitchen prints only blank pages. The status page says the toner is full and there is no paper jam.',
    '',
    'We need it for the payment run today, so it would be great if someone could look at it this morning.',
    '',
    'Thanks,',
    'Margarethe',
  ].join('\n'),
  sender: MARGARETHE,
  sentAt: new Date('2026-11-24T08:10:00Z'),
};
const triaged = triage(request, northwind.triage);

const facts = {
  requester: `${ctx.requesterName} <${MARGARETHE}>`,
  status: 'awaiting-info',
  priority: triaged.priority,
  category: triaged.category,
  assignee: null,
  triageReasons: triaged.reasons,
  missing: ['asset'],
};
const notification = {
  ...ctx,
  headline: `New ticket ${ctx.ticketId}`,
  facts,
  from: `${ctx.requesterName} <${MARGARETHE}>`,
  text: request.text,
  attachments: ['IMG_20261124_0807.jpg', 'printer-status-page.pdf'],
  staffList: STAFF_LIST,
  ticketPrefix: 'TKT',
};

/** What Priya's reply with commands does to the ticket: the real parser and lifecycle. */
async function commandOutcome() {
  const ticket = { key: 'k', number: 1042, id: ctx.ticketId, status: 'open', priority: 'P3', category: 'printing', assignee: null } as Partial<Ticket> as Ticket;
  const reply = ['#status pending', '#priority P1', `#assign ${PRIYA}`, '#category telephony', '#asign me', '', 'Hi Margarethe, which printer is it exactly?'].join('\n');
  const parsed = parseCommands(reply, {
    sender: PRIYA,
    ticketPrefix: 'TKT',
    ticketNumber: 1042,
    categories: northwind.triage.categories.map((c) => c.name),
    isStaff: (address) => address.endsWith('@northwind.example'),
  });
  return applyCommands(ticket, parsed, { sender: PRIYA, at: '2026-11-24T08:30:00.000Z', ticketByNumber: async () => null });
}
const outcome = await commandOutcome();

/** The incident the incident mails are about. */
const incident = { incidentId: 'INC-7', title: 'Wi-Fi and network down (floor 3, Hamburg)', supportAddress: SUPPORT, teamName: ctx.teamName, staffList: STAFF_LIST, ticketPrefix: 'TKT' };

interface Case {
  mail: { html: string };
  /** Addresses the mail shows: each must be laid out as an address, and never broken inside a word. */
  addresses: string[];
  /** Words the reader must see. */
  says: string[];
}

const cases: Record<string, Case> = {
  'staff-notification': {
    mail: staffTemplates.notification(notification),
    addresses: [MARGARETHE, SUPPORT, STAFF_LIST],
    says: ['Why this priority and category:', ...triaged.reasons, 'Assigned to: nobody yet', `You're getting this as a member of ${STAFF_LIST}.`],
  },
  'staff-notification-assigned': {
    mail: staffTemplates.notification({
      ...notification,
      headline: `${MARGARETHE} replied on ${ctx.ticketId}: back to open`,
      requesterName: '',
      from: MARGARETHE,
      facts: { ...facts, requester: MARGARETHE, status: 'open', missing: [], assignee: MAXIMILIAN, unverified: true },
      attachments: [],
    }),
    addresses: [MARGARETHE, MAXIMILIAN, SUPPORT],
    says: [`Assigned to: ${MAXIMILIAN}`, `You're getting this because ${ctx.ticketId} is assigned to you.`, 'not confirmed yet'],
  },
  relay: {
    mail: staffTemplates.relay({ ...ctx, staffName: 'Priya Nair', text: 'Hi Margarethe,\n\nwhich printer is it exactly? The asset tag is on a sticker at the back.\n\nPriya' }),
    addresses: [SUPPORT],
    says: ['Priya Nair replied to your request', 'Priya Nair, Northwind IT', `You're getting this because you emailed ${SUPPORT}.`],
  },
  'command-result': {
    mail: staffTemplates.commandResult({ ...ctx, applied: outcome.applied, rejected: outcome.rejected, staffList: STAFF_LIST }),
    addresses: [PRIYA],
    says: ['Not everything was applied', 'Applied:', ...outcome.applied, 'These were not applied, so they changed nothing:', ...outcome.rejected],
  },
  'command-result-done': {
    mail: staffTemplates.commandResult({ ...ctx, applied: outcome.applied, rejected: [], staffList: STAFF_LIST }),
    addresses: [PRIYA],
    says: ['Done', ...outcome.applied],
  },
  'limit-notice': {
    mail: staffTemplates.limitNotice({ teamName: ctx.teamName, supportAddress: SUPPORT, staffList: STAFF_LIST, requester: CONTRACTOR, max: 10, hour: '2026-11-24T08', heldSubject: 'Re: Re: Invoice 2026-11 (copy 11)' }),
    addresses: [CONTRACTOR, STAFF_LIST],
    says: ['New requests on hold', `${CONTRACTOR} has opened 10 tickets on 2026-11-24 between 08:00 and 09:00 UTC.`, 'ticketing replay --quarantined'],
  },
  'staff-warning': {
    mail: staffTemplates.staffWarning({ ...ctx, address: MAXIMILIAN, why: 'DMARC failed' }),
    addresses: [MAXIMILIAN],
    says: ['Your mail was not applied', 'did not pass authentication (DMARC failed)'],
  },
  'sign-in': {
    mail: staffTemplates.signIn({ teamName: ctx.teamName, supportAddress: SUPPORT, address: MAXIMILIAN, link: 'https://helpdesk.northwind.example/console/sign-in?token=abc', minutes: 15 }),
    addresses: [MAXIMILIAN],
    says: ['Sign in to the console'],
  },
  note: {
    mail: staffTemplates.note({ ...ctx, author: PRIYA, text: 'Known issue with the fuser after a toner change: HP ticket 5012-3344 is open.', staffList: STAFF_LIST }),
    addresses: [PRIYA, STAFF_LIST],
    says: ['Internal note', `${PRIYA} wrote (not sent to the requester):`, 'Replies to this email stay internal too.'],
  },
  'incident-notification': {
    mail: incidentTemplates.notification({
      ...incident,
      reason: '3rd report of Wi-Fi and network down (floor 3, Hamburg) within 6 min, like TKT-1041, TKT-1042: a new incident',
      reports: [
        { ticketId: 'TKT-1041', from: `Maximilian Oberhauser-Lindqvist <${MAXIMILIAN}>`, time: '08:02', excerpt: 'The WLAN on the 3rd floor is gone, nothing loads, not even the intranet…' },
        { ticketId: 'TKT-1042', from: `${ctx.requesterName} <${MARGARETHE}>`, time: '08:05', excerpt: "No internet up here, we're all tethering to our phones." },
        { ticketId: 'TKT-1043', from: CONTRACTOR, time: '08:08', excerpt: 'Wi-Fi dead in the east wing of floor 3.' },
      ],
    }),
    addresses: [MAXIMILIAN, MARGARETHE, CONTRACTOR, SUPPORT, STAFF_LIST],
    says: ['Incident INC-7: Wi-Fi and network down (floor 3, Hamburg)', 'Reply to this email to answer everyone in the incident', '#unlink TKT-7, to take a ticket that is a different problem out of the incident'],
  },
  'incident-update': {
    mail: incidentTemplates.update({
      ...incident,
      reason: '4th report of Wi-Fi and network down (floor 3, Hamburg) within 12 min, like TKT-1041, TKT-1042, TKT-1043: joins INC-7',
      report: { ticketId: 'TKT-1044', from: CONTRACTOR, time: '08:14', excerpt: 'Meeting room 3.14 cannot connect either.' },
      count: 4,
    }),
    addresses: [CONTRACTOR, SUPPORT, STAFF_LIST],
    says: ['Another report of INC-7', '4 reports now.'],
  },
  digest: {
    mail: renderDigest({
      teamName: ctx.teamName,
      staffList: STAFF_LIST,
      supportAddress: SUPPORT,
      now: new Date('2026-11-24T07:00:00Z'),
      stale: [
        digestTicket(1042, { priority: 'P1', idleHours: 26, subject: ctx.subject, requester: `${ctx.requesterName} <${MARGARETHE}>`, requesterAddress: MARGARETHE, category: 'printing', assignee: MAXIMILIAN }),
        digestTicket(1017, { priority: 'P3', idleHours: 24 * 6, subject: 'New starter needs access to the finance share', requester: CONTRACTOR, requesterAddress: CONTRACTOR, category: 'access' }),
      ],
      unreachable: [],
      nudged: ['TKT-1001'],
      closed: [],
      undelivered: [{ ticketId: 'TKT-1017', kind: 'relay', to: CONTRACTOR, state: 'unconfirmed', detail: "SES's answer about the mail was lost" }],
      allClear: false,
    }),
    addresses: [MARGARETHE, MAXIMILIAN, CONTRACTOR, STAFF_LIST, SUPPORT],
    says: [`You're getting this as a member of ${STAFF_LIST}`, `staff answer to ${CONTRACTOR}: may not have gone out`],
  },
};

const chromium = useChromium('the staff mails');

/** The address layouts in the page (render.ts's `address`): each address word, its parts its children. */
const ADDRESS_LAYOUT = 'span[dir="ltr"]';

/**
 * The line breaks in an address word that are not at one of its joints (after the "@", before
 * a dot of the domain: where its parts meet), nor inside a part wider than its column (the
 * fallback that keeps the mail from widening), each shown as "…before|after…".
 */
function badBreaks(word: LaidOut): string[] {
  const text = word.lines.join('');
  // Where each part starts and ends in the word's text, and whether it had to wrap inside.
  let at = 0;
  const parts = word.children.map((part) => {
    const start = at;
    at += part.lines.join('').length;
    return { start, end: at, fallback: part.lines.length > 1 && part.width >= part.column - 1 };
  });
  const bad: string[] = [];
  let offset = 0;
  for (const line of word.lines.slice(0, -1)) {
    offset += line.length;
    const joint = parts.some((part) => part.end === offset) && (text[offset - 1] === '@' || (text[offset] === '.' && text.slice(0, offset).includes('@')));
    const fallback = parts.some((part) => part.fallback && part.start < offset && offset < part.end);
    if (!joint && !fallback) bad.push(`${text.slice(0, offset)}|${text.slice(offset)}`);
  }
  return bad;
}

describe.each(Object.entries(cases))('%s at phone width in Chromium', (name, { mail, addresses, says }) => {
  // One page per mail, loaded by the first test that needs it (never in a hook: see useChromium).
  let loaded: Promise<Loaded> | undefined;
  const mailPage = () => (loaded ??= chromium.load(mail.html));

  it('fits a 390 px and a 360 px phone without sideways scrolling', async () => {
    const { page, pageErrors } = await mailPage();
    for (const viewport of [PHONE_390, PHONE]) {
      const { scrollWidth, clientWidth, widest } = await widthAt(page, viewport);
      expect(widest, `${viewport.width} px`).toEqual([]);
      expect(scrollWidth, `${viewport.width} px`).toBeLessThanOrEqual(clientWidth);
    }
    expect(pageErrors).toEqual([]);
  });

  it('says what it should, in full', async () => {
    const { page } = await mailPage();
    const text = squash((await inspect(page, [])).innerText);
    for (const words of says) expect(text).toContain(squash(words));
  });

  it('shows every address whole, or broken only after its "@" (or before a dot of a long domain)', async () => {
    const { page } = await mailPage();
    for (const viewport of [PHONE_390, PHONE]) {
      await page.setViewportSize(viewport);
      const layouts = await layoutOf(page, ADDRESS_LAYOUT);
      for (const address of addresses) expect(layouts.some((word) => word.lines.join('').includes(address)), `${address} is laid out as an address`).toBe(true);
      for (const word of layouts) expect(badBreaks(word), `${viewport.width} px`).toEqual([]);
      if (viewport === PHONE_390) {
        // In running text the long addresses people have need no fallback on a 390 px phone (a
        // 22 px heading may).
        const inText = await layoutOf(page, `${ADDRESS_LAYOUT}:not(h1 *)`);
        expect(inText.flatMap((word) => word.children.filter((part) => part.lines.length > 1).map((part) => part.lines))).toEqual([]);
      }
    }
  });

  it(`saves a screenshot at 390 px to test-artifacts/templates/${name}.png`, async () => {
    const { page } = await mailPage();
    expect((await screenshot(page, 'templates', name, PHONE_390)).bytes).toBeGreaterThan(1000);
  });
});

// --- the checks can fail -------------------------------------------------------------------------

describe('control: an address as plain text in a narrow column', () => {
  it('breaks inside a word, as the issue showed, so the line check above can see it', async () => {
    // The old layout: the address in running text that may break anywhere, 316 px wide (a 390 px phone's column).
    const html = `<!doctype html><html><body style="margin:0;font-family:sans-serif;font-size:16px;"><p style="width:316px;${BREAK_ANYWHERE}">Requester: Margarethe Vandenberg-Oosterhuis <span id="a">&lt;${MARGARETHE}&gt;</span></p></body></html>`;
    const { page } = await chromium.load(html);
    const [plain] = await layoutOf(page, '#a');
    expect(plain!.lines.length).toBeGreaterThan(1);
    expect(plain!.lines[0]!.endsWith('@')).toBe(false);
    expect(badBreaks(plain!)).not.toEqual([]);
  });
});
