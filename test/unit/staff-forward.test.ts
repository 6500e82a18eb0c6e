/**
 * A staff forward, the pure parts: the forwarded header block read from real forwards (Outlook
 * desktop, Outlook on the web, Gmail, Apple Mail) through the real parser, a message forwarded as
 * an attachment, the From a client wrote, `#requester`, and whom the ticket is for.
 */
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import type { AddressBook } from '../../src/domain/addresses.js';
import { applyCommands, parseCommands, requesterLineOf } from '../../src/domain/commands.js';
import { decideForward, forwardWords, type ForwardedMessage, type ForwardEvidence } from '../../src/domain/staff-forward.js';
import type { Ticket } from '../../src/domain/ticket.js';
import { EmbeddedHeaders, readAttachedMessages } from '../../src/mail/embedded-parts.js';
import { parseMail } from '../../src/mail/parse.js';
import { readInlineForward, readWrittenFrom } from '../../src/mail/visible-text/forwards.js';
import { forwardedMessageOf } from '../../src/pipeline/inbound/forward.js';

const limits = parseConfig({}).mail;
const dir = new URL('../../fixtures/staff-forwards/', import.meta.url);

/** A fixture through the real parser, its attached messages read as the pipeline reads them. */
async function read(name: string) {
  const embedded = new EmbeddedHeaders();
  const msg = await parseMail(readFileSync(new URL(name, dir)), {
    limits,
    attachments: {
      async put({ contentType, content }) {
        const tapped = embedded.tap(contentType, content as Readable);
        for await (const _ of tapped);
        return { blobKey: 'unused' };
      },
    },
  });
  const attached = await readAttachedMessages(embedded.messages, limits);
  return { msg, embedded: { texts: embedded.texts, attached, attachedCount: embedded.messages.length } };
}

const book: AddressBook = {
  supportAddresses: ['support@northwind.example', 'helpdesk@northwind.example'],
  ticketPrefix: 'TKT',
  staffAddresses: ['alex.kim@northwind.example', 'priya.nair@northwind.example'],
  staffDomains: ['it.northwind.example'],
  staffList: 'it-team@northwind.example',
};
const STAFF = { isStaff: true, note: null, refused: null };
const STRANGER = { isStaff: false, note: null, refused: null };

describe('the forwarded message, read from real forwards', () => {
  it.each([
    ['f01-outlook-staff-fw-plotter-inline.eml', 'From: Tanaka, Yuki <yuki.tanaka@northwind.example>', { kind: 'mailbox', name: 'Tanaka, Yuki', address: 'yuki.tanaka@northwind.example' }, 'Plotter on floor 4 prints blank pages', /^Hi Alex,\n\nThe HP DesignJet/, /^Yuki also called about this\. .*\n\nThanks,\nAlex$/s],
    ['f02-owa-staff-fw-vpn-inline.eml', '________________________________', { kind: 'mailbox', name: 'Lars Nilsson', address: 'lars.nilsson@northwind.example' }, 'VPN keeps disconnecting in Oslo office', /^Hi Priya,\n\nSince Friday/, /^Forwarding for Lars, he is at the customer all day\.\n\nPriya$/],
    ['f03-gmail-staff-fwd-contractor-inline.eml', '---------- Forwarded message ---------', { kind: 'mailbox', name: 'Jane Doe', address: 'j.doe@contoso.example' }, 'Cannot reach the Northwind SharePoint as a guest', /^Hi Sofia,\n\nWhen I open/, /^Guest access problem for one of our contractors, can someone check his account\?$/],
    ['f04-applemail-staff-fwd-keyboard-inline.eml', 'Begin forwarded message:', { kind: 'mailbox', name: 'Fatima Haddad', address: 'fatima.haddad@northwind.example' }, 'Keyboard missing keys', /^Hi Jonas,\n\nTwo keys/, /^Fatima asked me in the corridor, ticket please\.\n\nJonas$/],
  ])('%s: marker, From, subject, body and the forwarder’s note', async (file, marker, from, subject, body, note) => {
    // Prepare
    const { msg, embedded } = await read(file);

    // Act
    const forwarded = forwardedMessageOf(msg, embedded);

    // Assess
    expect(forwarded).toMatchObject({ form: 'inline', marker, from, subject, messageId: null });
    expect(forwarded!.text).toMatch(body);
    expect(forwarded!.note).toMatch(note);
    // The forwarder's signature card is not part of the note.
    expect(forwarded!.note).not.toMatch(/\+49 40 555 0110|IT Service Desk/);
  });

  it.each([
    ['f05-outlook-staff-fw-attached-cfo-laptop.eml', { kind: 'mailbox', name: 'Vogel, Helena', address: 'helena.vogel@northwind.example' }, 'Laptop will not wake from sleep', 'AM9PR07MB7128A1B2C3D4E5F60718293A4B5C6@AM9PR07MB7128.eurprd07.prod.outlook.com'],
    // The attached message's From is an encoded word: decoded by the parser, as every From is.
    ['f06-gmail-staff-fwd-attached-encoded-name.eml', { kind: 'mailbox', name: 'Marco Rossì', address: 'marco.rossi@fabrikam.example' }, 'Badge reader at the fabrikam door rejects my card', 'CAHk3v9Lq8a1M0bRrX5xYz2Pq7Wv4Tn6Ud8Ef0Gh2Ij4Kl6Mn8@mail.gmail.com'],
    ['f07-applemail-staff-fwd-attached-monitor.eml', { kind: 'mailbox', name: 'Tom Becker', address: 'tom.becker@northwind.example' }, 'Monitor flickers', 'DB9PR07MB8873F00DF00DF00DF00D0A8D@DB9PR07MB8873.eurprd07.prod.outlook.com'],
  ])('%s: the attached message (message/rfc822) is the forwarded one, with its Message-ID', async (file, from, subject, messageId) => {
    // Prepare
    const { msg, embedded } = await read(file);

    // Act
    const forwarded = forwardedMessageOf(msg, embedded);

    // Assess
    expect(embedded.attachedCount).toBe(1);
    expect(forwarded).toMatchObject({ form: 'attached', marker: null, from, subject, messageId });
    expect(forwarded!.text.trim()).not.toBe('');
    expect(forwarded!.note).not.toBe('');
  });

  it('takes the outermost of nested forwards: the person whose mail reached staff; the deeper one is part of the text', async () => {
    // Prepare
    const { msg, embedded } = await read('f15-gmail-staff-fwd-multilevel.eml');

    // Act
    const forwarded = forwardedMessageOf(msg, embedded)!;

    // Assess
    expect(forwarded.from).toEqual({ kind: 'mailbox', name: 'Marco Rossi', address: 'marco.rossi@fabrikam.example' });
    expect(forwarded.subject).toBe('Fwd: Backup failed for NW-LT-0301');
    expect(forwarded.text).toMatch(/From: Litware Cloud Backup <alerts@litware\.example>/);
  });

  it.each([
    ['f14-outlook-staff-fw-from-name-only.eml', { kind: 'name-only', name: 'Yuki Tanaka' }],
    ['f17-outlook-staff-fw-no-from-line.eml', { kind: 'missing' }],
  ])('%s: a block whose From holds no address says what it holds', async (file, from) => {
    const { msg, embedded } = await read(file);
    expect(forwardedMessageOf(msg, embedded)?.from).toEqual(from);
  });

  it('is no forward when the mail has no forward marker (a reply, a new mail)', async () => {
    const msg = await parseMail(readFileSync(new URL('../conversation/c03-outlook-staff-commands-pending-assign.eml', dir)), { limits });
    expect(forwardedMessageOf(msg, { texts: [], attached: [], attachedCount: 0 })).toBeNull();
  });
});

describe('readInlineForward', () => {
  it('reads a flattened one-line Outlook block (an HTML-only forward converted to text)', () => {
    const body = 'See below\n\nFrom: Jane Doe <jane@contoso.example> Sent: Monday, 7 December 2026 09:14 To: Alex Kim Subject: Printer jam\n\nIt jams.';
    expect(readInlineForward(body, 'FW: Printer jam')).toMatchObject({
      fields: { from: 'Jane Doe <jane@contoso.example>', date: 'Monday, 7 December 2026 09:14', to: 'Alex Kim', subject: 'Printer jam' },
      above: 'See below',
      below: 'It jams.',
    });
  });

  it('reads a German Outlook block, a wrapped Cc, and Apple Mail’s quoted forward', () => {
    const german = 'Bitte ansehen.\n\nVon: Becker, Tom <tom.becker@northwind.example>\nGesendet: Montag, 7. Dezember 2026 09:14\nAn: Kim, Alex <alex.kim@northwind.example>\nCc: Anna <anna@northwind.example>;\n Ben <ben@northwind.example>\nBetreff: Drucker\n\nDer Drucker druckt nicht.';
    expect(readInlineForward(german, 'WG: Drucker')).toMatchObject({
      fields: { from: 'Becker, Tom <tom.becker@northwind.example>', cc: 'Anna <anna@northwind.example>; Ben <ben@northwind.example>', subject: 'Drucker' },
      below: 'Der Drucker druckt nicht.',
    });
    const quoted = 'FYI\n\n> Begin forwarded message:\n> \n> From: Jane <jane@contoso.example>\n> Subject: Printer\n> Date: 7 December 2026 at 09:14:00 CET\n> To: alex@northwind.example\n> \n> Broken.';
    expect(readInlineForward(quoted, 'Fwd: Printer')).toMatchObject({ marker: 'Begin forwarded message:', fields: { from: 'Jane <jane@contoso.example>' }, above: 'FYI', below: 'Broken.' });
  });

  it('reads Thunderbird’s forward table (tab after the field name, Subject first)', () => {
    const body = 'For you.\n\n-------- Forwarded Message --------\nSubject: \tPrinter jam\nDate: \tMon, 7 Dec 2026 09:14:00 +0100\nFrom: \tJane Doe <jane@contoso.example>\nTo: \tAlex Kim <alex.kim@northwind.example>\n\nIt jams.';
    expect(readInlineForward(body, 'Fwd: Printer jam')).toMatchObject({ marker: '-------- Forwarded Message --------', fields: { subject: 'Printer jam', from: 'Jane Doe <jane@contoso.example>' }, above: 'For you.', below: 'It jams.' });
  });

  it('finds no forward in a reply, even one with an Outlook block under it', () => {
    expect(readInlineForward('Thanks!\n\nFrom: Jane <jane@contoso.example>\nSent: Monday\nTo: IT\nSubject: Printer\n\nIt jams.', 'RE: Printer')).toBeNull();
  });
});

describe('readWrittenFrom', () => {
  it.each([
    ['Jane Doe <jane.doe@contoso.example>', { kind: 'mailbox', name: 'Jane Doe', address: 'jane.doe@contoso.example' }],
    ['*Jane Doe* <Jane.Doe@Contoso.example>', { kind: 'mailbox', name: 'Jane Doe', address: 'jane.doe@contoso.example' }],
    ['Doe, Jane <jane.doe@contoso.example>', { kind: 'mailbox', name: 'Doe, Jane', address: 'jane.doe@contoso.example' }],
    ['"Doe, Jane (IT)" <jane.doe@contoso.example>', { kind: 'mailbox', name: 'Doe, Jane (IT)', address: 'jane.doe@contoso.example' }],
    ['Jane Doe [mailto:jane.doe@contoso.example]', { kind: 'mailbox', name: 'Jane Doe', address: 'jane.doe@contoso.example' }],
    ['jane.doe@contoso.example', { kind: 'mailbox', name: '', address: 'jane.doe@contoso.example' }],
    ['jane.doe@contoso.example <jane.doe@contoso.example>', { kind: 'mailbox', name: '', address: 'jane.doe@contoso.example' }],
    ['=?utf-8?Q?J=C3=BCrgen_M=C3=BCller?= <j.mueller@contoso.example>', { kind: 'mailbox', name: 'Jürgen Müller', address: 'j.mueller@contoso.example' }],
    ['jane.doe@contoso.example (Jane Doe)', { kind: 'mailbox', name: 'Jane Doe', address: 'jane.doe@contoso.example' }],
    ['Jane Doe', { kind: 'name-only', name: 'Jane Doe' }],
    ['Doe, Jane', { kind: 'name-only', name: 'Doe, Jane' }],
    ['jane@contoso.example, bob@contoso.example', { kind: 'not-an-address', written: 'jane@contoso.example, bob@contoso.example' }],
    ['Jane <jane@@contoso>', { kind: 'not-an-address', written: 'Jane <jane@@contoso>' }],
    ['', { kind: 'missing' }],
  ])('%j', (written, expected) => {
    expect(readWrittenFrom(written)).toEqual(expected);
  });
});

describe('#requester', () => {
  const ctx = { sender: 'alex.kim@northwind.example', ticketPrefix: 'TKT', ticketNumber: 0, categories: [], isStaff: () => true };

  it('is read from the first line only, validated as an address, and removed from the text', () => {
    expect(requesterLineOf('\n#Requester: <Yuki.Tanaka@northwind.example>\n\nHer laptop.', ctx)).toEqual({
      line: '#Requester: <Yuki.Tanaka@northwind.example>',
      parsed: { command: { kind: 'requester', requester: 'yuki.tanaka@northwind.example', line: '#Requester: <Yuki.Tanaka@northwind.example>' } },
      rest: 'Her laptop.',
    });
    expect(requesterLineOf('#requester yuki at northwind', ctx)?.parsed).toEqual({ error: '#requester yuki at northwind: "yuki at northwind" is not an email address' });
    expect(requesterLineOf('#requester', ctx)?.parsed).toEqual({ error: expect.stringMatching(/^#requester: expected the requester's email address/) });
    expect(requesterLineOf('Hello\n#requester yuki.tanaka@northwind.example', ctx)).toBeNull();
  });

  it('is a command of the staff command system, rejected in words on an existing ticket', async () => {
    // Prepare
    const ticket = { id: 'TKT-5', requester: 'maria.garcia@northwind.example', status: 'open' } as Ticket;
    const parsed = parseCommands('#requester yuki.tanaka@northwind.example\nThanks.', { ...ctx, ticketNumber: 5 });

    // Act
    const outcome = await applyCommands(ticket, parsed, { sender: ctx.sender, at: '2026-12-07T10:00:00Z', ticketByNumber: async () => null });

    // Assess
    expect(parsed.text).toBe('Thanks.');
    expect(outcome.changes).toEqual({});
    expect(outcome.rejected).toEqual([
      "#requester yuki.tanaka@northwind.example: #requester names the requester of a new ticket only (the first line of a forward, or of a new mail to support); TKT-5 stays maria.garcia@northwind.example's",
    ]);
  });
});

describe('decideForward: whom the ticket is for', () => {
  const inline = (from: ForwardedMessage['from'], note = 'Please look.'): ForwardedMessage => ({ form: 'inline', marker: '---------- Forwarded message ---------', from, subject: 'Printer', messageId: null, text: 'It jams.', note });
  const jane = inline({ kind: 'mailbox', name: 'Jane Doe', address: 'jane@contoso.example' });
  const evidence = (e: Partial<ForwardEvidence>): ForwardEvidence => ({ sender: 'alex.kim@northwind.example', standing: STAFF, tagged: false, forwarded: jane, attachedCount: 0, requesterLine: null, book, ...e });
  const line = (text: string) => requesterLineOf(text, { sender: 'alex.kim@northwind.example', ticketPrefix: 'TKT', ticketNumber: 0, categories: [], isStaff: () => true });

  it('opens the ticket for the original sender when authenticated staff forward, with the note and who forwarded it', () => {
    const d = decideForward(evidence({}))!;
    expect(d).toMatchObject({ kind: 'for-requester', requester: { name: 'Jane Doe', address: 'jane@contoso.example' }, by: 'alex.kim@northwind.example', named: 'forwarded-from', note: 'Please look.' });
    expect(forwardWords(d)).toBe("forwarded by alex.kim@northwind.example for jane@contoso.example (the From under '---------- Forwarded message ---------')");
  });

  it('keeps the ticket the forwarder’s when the forward is not from authenticated staff, and says why', () => {
    const d = decideForward(evidence({ sender: 'maria.garcia@northwind.example', standing: STRANGER }))!;
    expect(forwardWords(d)).toBe("a forward of jane@contoso.example's mail, not from authenticated staff, so the ticket is the forwarder's (maria.garcia@northwind.example)");
    // A #requester line from someone who is not staff names no one.
    const named = decideForward(evidence({ standing: STRANGER, requesterLine: line('#requester jane@contoso.example') }))!;
    expect(named.kind).toBe('forwarder');
    expect(forwardWords(named)).toMatch(/; #requester jane@contoso\.example: only authenticated staff may name the requester \(not applied\)$/);
    // Forwarding one's own mail, not from staff: nothing to say.
    expect(decideForward(evidence({ sender: 'jane@contoso.example', standing: STRANGER }))).toBeNull();
  });

  it.each([
    ['the forwarder’s own mail', { kind: 'mailbox', name: 'Alex Kim', address: 'alex.kim@northwind.example' }, /^a forward of alex\.kim@northwind\.example's own mail: the ticket is alex\.kim@northwind\.example's own request/],
    ['our own support address', { kind: 'mailbox', name: 'Northwind IT', address: 'support@northwind.example' }, /^the forwarded mail is from our own address support@northwind\.example: the ticket is the forwarder's/],
    ['a no-reply sender', { kind: 'mailbox', name: 'Litware', address: 'noreply@litware.example' }, /^the forwarded mail is from noreply@litware\.example, which takes no replies/],
    ['only a name', { kind: 'name-only', name: 'Yuki Tanaka' }, /^the forwarded block's From names only "Yuki Tanaka", no address: the ticket is the forwarder's \(alex\.kim@northwind\.example\); name the requester with '#requester <address>'/],
    ['no From line', { kind: 'missing' }, /^the forwarded message names no sender/],
    ['two addresses', { kind: 'not-an-address', written: 'a@x.example, b@y.example' }, /^the forwarded block's From "a@x\.example, b@y\.example" holds no usable address/],
  ] as const)('keeps the ticket the forwarder’s when the forwarded From is %s', (_what, from, words) => {
    const d = decideForward(evidence({ forwarded: inline(from) }))!;
    expect(d.kind).toBe('forwarder');
    expect(forwardWords(d)).toMatch(words);
  });

  it('opens it for another staff member when their mail is forwarded: staff can be requesters', () => {
    const d = decideForward(evidence({ forwarded: inline({ kind: 'mailbox', name: 'Priya Nair', address: 'priya.nair@northwind.example' }) }));
    expect(d).toMatchObject({ kind: 'for-requester', requester: { address: 'priya.nair@northwind.example' } });
  });

  it('lets #requester name the requester, refuses our own addresses and bad ones (the forwarded From applies then)', () => {
    const named = decideForward(evidence({ forwarded: inline(jane.from, '#requester yuki.tanaka@northwind.example\nFor Yuki.'), requesterLine: line('#requester yuki.tanaka@northwind.example\nFor Yuki.') }))!;
    expect(named).toMatchObject({ kind: 'for-requester', requester: { name: '', address: 'yuki.tanaka@northwind.example' }, named: 'requester-line', note: 'For Yuki.' });
    expect(forwardWords(named)).toBe("forwarded by alex.kim@northwind.example for yuki.tanaka@northwind.example, named by '#requester' on its first line");

    const ours = decideForward(evidence({ requesterLine: line('#requester it-team@northwind.example') }))!;
    expect(ours).toMatchObject({ kind: 'for-requester', requester: { address: 'jane@contoso.example' } });
    expect(forwardWords(ours)).toMatch(/; #requester it-team@northwind\.example: it-team@northwind\.example is one of our own addresses \(not applied\)$/);

    const bad = decideForward(evidence({ requesterLine: line('#requester jane at contoso') }))!;
    expect(forwardWords(bad)).toMatch(/; #requester jane at contoso: "jane at contoso" is not an email address \(not applied\)$/);

    // Not a forward: a staff member writing down a phone call.
    const call = decideForward(evidence({ forwarded: null, requesterLine: line('#requester yuki.tanaka@northwind.example\nYuki called: no sound in Teams.') }))!;
    expect(forwardWords(call)).toBe("sent in by alex.kim@northwind.example for yuki.tanaka@northwind.example, named by '#requester' on its first line");
  });

  it('leaves a tagged mail (it goes on its ticket) and a mail that is no forward to the usual rules', () => {
    expect(decideForward(evidence({ tagged: true }))).toBeNull();
    expect(decideForward(evidence({ forwarded: null }))).toBeNull();
    expect(forwardWords(decideForward(evidence({ forwarded: null, attachedCount: 2 }))!)).toMatch(/^2 messages are attached, so none of them names the requester: the ticket is the forwarder's/);
  });
});
