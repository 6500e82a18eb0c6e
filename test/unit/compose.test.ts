/**
 * composeMail builds what a mail client must understand: parsed back with mailparser, every
 * header, both parts and UTF-8 names and subjects come out as we put them in.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { composeMail, ComposeError, MAX_REFERENCES, referencesChain, replySubject, type OutboundMail } from '../../src/mail/compose.js';
import { parseMail } from '../../src/mail/parse.js';

function mail(overrides: Partial<OutboundMail> = {}): OutboundMail {
  return {
    from: { name: 'Northwind IT', address: 'support@northwind.example' },
    to: ['Dana Whitfield <dana@contoso.example>'],
    cc: ['lee@contoso.example'],
    replyTo: 'support+tkt-42@northwind.example',
    subject: 'Re: [TKT-42] VPN down',
    messageId: 'tkt-42.ack.1@northwind.example',
    inReplyTo: 'CAF=abc@mail.gmail.com',
    references: ['root-1@contoso.example', 'CAF=abc@mail.gmail.com'],
    text: 'Hi Dana,\n\nWe have logged your request as TKT-42.\n',
    html: '<p>Hi Dana,</p><p>We have logged your request as <strong>TKT-42</strong>.</p>',
    date: new Date('2026-11-23T08:15:00Z'),
    ...overrides,
  };
}

async function roundTrip(m: OutboundMail): Promise<{ raw: string; parsed: ParsedMail }> {
  const buffer = await composeMail(m);
  expect(Buffer.isBuffer(buffer)).toBe(true);
  return { raw: buffer.toString('latin1'), parsed: await simpleParser(buffer) };
}

function header(raw: string): string {
  return raw.slice(0, raw.indexOf('\r\n\r\n'));
}

function addresses(value: AddressObject | AddressObject[] | undefined): { name: string; address?: string }[] {
  return (Array.isArray(value) ? value : value ? [value] : []).flatMap((a) => a.value);
}

function refs(parsed: ParsedMail): string[] {
  const value = parsed.references;
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

describe('composeMail', () => {
  it('sets addresses, subject, our Message-ID, Date and the thread headers', async () => {
    const { parsed } = await roundTrip(mail());
    expect(addresses(parsed.from)).toEqual([{ name: 'Northwind IT', address: 'support@northwind.example' }]);
    expect(addresses(parsed.to)).toEqual([{ name: 'Dana Whitfield', address: 'dana@contoso.example' }]);
    expect(addresses(parsed.cc)).toEqual([{ name: '', address: 'lee@contoso.example' }]);
    expect(addresses(parsed.replyTo)).toEqual([{ name: '', address: 'support+tkt-42@northwind.example' }]);
    expect(parsed.subject).toBe('Re: [TKT-42] VPN down');
    expect(parsed.messageId).toBe('<tkt-42.ack.1@northwind.example>');
    expect(parsed.date?.toISOString()).toBe('2026-11-23T08:15:00.000Z');
    expect(parsed.inReplyTo).toBe('<CAF=abc@mail.gmail.com>');
    expect(refs(parsed)).toEqual(['<root-1@contoso.example>', '<CAF=abc@mail.gmail.com>']);
  });

  it('marks the mail as an auto-reply and leaves Precedence out', async () => {
    const { raw, parsed } = await roundTrip(mail());
    expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(parsed.headers.get('x-auto-response-suppress')).toBe('All');
    expect(parsed.headers.has('precedence')).toBe(false);
    // One of each: SES rejects duplicates of these header fields.
    for (const name of ['Auto-Submitted', 'Message-ID', 'In-Reply-To', 'References', 'Date', 'Subject']) {
      expect(header(raw).match(new RegExp(`^${name}:`, 'gim'))).toHaveLength(1);
    }
  });

  it('is multipart/alternative with a UTF-8 text part and a UTF-8 HTML part', async () => {
    const { raw, parsed } = await roundTrip(mail());
    expect(header(raw)).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(header(raw)).toMatch(/^MIME-Version: 1\.0$/m);
    const parts = raw.match(/^Content-Type: text\/(plain|html); charset=utf-8$/gim) ?? [];
    expect(parts.map((p) => p.toLowerCase())).toEqual([
      'content-type: text/plain; charset=utf-8',
      'content-type: text/html; charset=utf-8',
    ]);
    expect(parsed.text).toBe('Hi Dana,\n\nWe have logged your request as TKT-42.\n');
    expect(parsed.html).toBe('<p>Hi Dana,</p><p>We have logged your request as <strong>TKT-42</strong>.</p>');
  });

  it('keeps Japanese and emoji in subjects, names and both bodies, with a pure-ASCII header', async () => {
    const subject = 'Re: [TKT-7] VPNに接続できません 🔌😭 — ça ne marche pas';
    const { raw, parsed } = await roundTrip(
      mail({
        from: { name: '情報システム部 🛠️', address: 'support@northwind.example' },
        to: ['"山田 太郎" <taro@example.jp>', 'Zoë 👩‍💻 <zoe@example.org>'],
        cc: [],
        subject,
        text: 'こんにちは 👋\nチケット TKT-7 を受け付けました。',
        html: '<p>こんにちは 👋</p><p>チケット <b>TKT-7</b> を受け付けました。</p>',
      }),
    );
    expect(parsed.subject).toBe(subject);
    expect(addresses(parsed.from)[0]).toEqual({ name: '情報システム部 🛠️', address: 'support@northwind.example' });
    expect(addresses(parsed.to)).toEqual([
      { name: '山田 太郎', address: 'taro@example.jp' },
      { name: 'Zoë 👩‍💻', address: 'zoe@example.org' },
    ]);
    expect(parsed.cc).toBeUndefined();
    expect(parsed.text).toBe('こんにちは 👋\nチケット TKT-7 を受け付けました。');
    expect(parsed.html).toContain('チケット <b>TKT-7</b>');
    expect(header(raw)).toMatch(/^[\x09\x0a\x0d\x20-\x7e]*$/);
    for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
    for (const line of header(raw).split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
  });

  it('folds a very long subject and gets it back whole', async () => {
    const subject = `Re: [TKT-42] ${'printer on the third floor jams again '.repeat(12).trim()}`;
    const { raw, parsed } = await roundTrip(mail({ subject }));
    expect(parsed.subject).toBe(subject);
    for (const line of header(raw).split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
  });

  it('has no In-Reply-To or References on a mail that answers nothing', async () => {
    const { parsed } = await roundTrip(mail({ inReplyTo: null, references: [] }));
    expect(parsed.inReplyTo).toBeUndefined();
    expect(parsed.references).toBeUndefined();
  });

  it('always puts the In-Reply-To id in References, last', async () => {
    const { parsed } = await roundTrip(mail({ inReplyTo: '<parent@contoso.example>', references: ['<root@contoso.example>'] }));
    expect(parsed.inReplyTo).toBe('<parent@contoso.example>');
    expect(refs(parsed)).toEqual(['<root@contoso.example>', '<parent@contoso.example>']);
  });

  it(`caps References at ${MAX_REFERENCES}: the first id, the most recent ones, In-Reply-To last`, async () => {
    const chain = Array.from({ length: 40 }, (_, i) => `m${i}@contoso.example`);
    const { raw, parsed } = await roundTrip(mail({ references: chain, inReplyTo: 'm39@contoso.example' }));
    const got = refs(parsed);
    expect(got).toHaveLength(MAX_REFERENCES);
    expect(got[0]).toBe('<m0@contoso.example>');
    expect(got.at(-1)).toBe('<m39@contoso.example>');
    expect(got.slice(1)).toEqual(chain.slice(40 - (MAX_REFERENCES - 1)).map((id) => `<${id}>`));
    for (const line of header(raw).split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
  });

  it('rejects a Message-ID that is not local@domain, and a mail with no recipients', async () => {
    await expect(composeMail(mail({ messageId: 'no-at-sign' }))).rejects.toBeInstanceOf(ComposeError);
    await expect(composeMail(mail({ messageId: 'two words@x.example' }))).rejects.toBeInstanceOf(ComposeError);
    await expect(composeMail(mail({ to: [], cc: [] }))).rejects.toThrow(/no recipients/);
  });

  it('accepts our Message-ID with or without brackets', async () => {
    const { parsed } = await roundTrip(mail({ messageId: '<x.1@northwind.example>' }));
    expect(parsed.messageId).toBe('<x.1@northwind.example>');
  });
});

describe('referencesChain', () => {
  it('cleans brackets, drops duplicates, malformed ids and our own id, keeps order', () => {
    expect(
      referencesChain(
        ['<a@x>', 'b@x', '<a@x>', 'not an id', '', '<own@us>', ' <c@x> ', '<d@x>'],
        '<d@x>',
        'own@us',
      ),
    ).toEqual(['a@x', 'b@x', 'c@x', 'd@x']);
  });

  it('appends an In-Reply-To id that the References did not have', () => {
    expect(referencesChain(['a@x'], 'p@x')).toEqual(['a@x', 'p@x']);
    expect(referencesChain([], 'p@x')).toEqual(['p@x']);
    expect(referencesChain(['p@x', 'a@x'], 'p@x')).toEqual(['a@x', 'p@x']);
  });

  it('does not cap a chain of exactly the limit', () => {
    const chain = Array.from({ length: MAX_REFERENCES }, (_, i) => `m${i}@x`);
    expect(referencesChain(chain, chain.at(-1)!)).toEqual(chain);
  });
});

describe('replySubject', () => {
  it.each([
    ['RE: Fwd: VPN down', 'Re: [TKT-42] VPN down'],
    ['VPN down', 'Re: [TKT-42] VPN down'],
    ['Re: [TKT-42] VPN down', 'Re: [TKT-42] VPN down'],
    ['Re: Re: [TKT-42] Re: VPN down', 'Re: [TKT-42] VPN down'],
    ['AW: SV: [tkt-42] VPN down', 'Re: [TKT-42] VPN down'],
    ['WG: Fw: VPN down [TKT-42]', 'Re: [TKT-42] VPN down'],
    ['Re[2]: VPN down', 'Re: [TKT-42] VPN down'],
    ['RE : VPN down', 'Re: [TKT-42] VPN down'],
    ['回复：VPN 连不上', 'Re: [TKT-42] VPN 连不上'],
    ['Re: VPNに接続できません 🔌', 'Re: [TKT-42] VPNに接続できません 🔌'],
    // Other bracketed text stays; prefixes behind a leading tag go.
    ['[External] RE: VPN down', 'Re: [TKT-42] [External] VPN down'],
    ['Fwd: [urgent] printer [3rd floor] jams', 'Re: [TKT-42] [urgent] printer [3rd floor] jams'],
    // Another ticket's tag would confuse threading: one tag, the right one.
    ['Re: [TKT-7] VPN down', 'Re: [TKT-42] VPN down'],
    // Words that merely start like a prefix stay.
    ['Reunion: budget', 'Re: [TKT-42] Reunion: budget'],
    ['Return of the laptop', 'Re: [TKT-42] Return of the laptop'],
    ['', 'Re: [TKT-42]'],
    ['Re:', 'Re: [TKT-42]'],
    ['Re: VPN\r\n down', 'Re: [TKT-42] VPN down'],
  ])('%j → %j', (original, expected) => {
    expect(replySubject('TKT', 42, original)).toBe(expected);
  });

  it('works with any prefix, also one with regex characters', () => {
    expect(replySubject('IT.HELP', 3, 'Re: [IT.HELP-3] x')).toBe('Re: [IT.HELP-3] x');
    expect(replySubject('IT.HELP', 3, 'Re: [ITxHELP-3] x')).toBe('Re: [IT.HELP-3] [ITxHELP-3] x');
  });
});

/** A mail of fixtures/hostile/, parsed as the pipeline parses it. */
async function hostileInbound(name: string) {
  const raw = readFileSync(new URL(`../../fixtures/hostile/${name}`, import.meta.url));
  return parseMail(raw, { limits: { maxMessageBytes: 40 * 1024 * 1024, maxHeaderLines: 2000 } });
}

/** RFC 5322 §2.1.1: at most 998 characters a line (SES refuses longer ones). */
function longestLine(text: string): number {
  return Math.max(...text.split('\r\n').map((line) => line.length));
}

describe('composeMail: what hostile inbound mail hands it', () => {
  it('writes a subject with one 5,000-character word in lines of at most 998, and gets it back whole', async () => {
    const inbound = await hostileInbound('07-subject-one-5000-character-word.eml');
    expect(inbound.subject).toMatch(/^https:\/\/portal\.contoso\.example\/\S{4900,}$/);
    for (const subject of [replySubject('TKT', 7, inbound.subject), `[TKT-7] [P3 access] ${inbound.subject}`, inbound.subject]) {
      const { raw, parsed } = await roundTrip(mail({ subject }));
      expect(longestLine(header(raw))).toBeLessThanOrEqual(998);
      expect(parsed.subject).toBe(subject);
    }
    // an ordinary long subject is still written as it is, folded at its spaces
    const { raw } = await roundTrip(mail({ subject: `Re: [TKT-7] ${'word '.repeat(300).trim()}` }));
    expect(header(raw)).not.toContain('=?');
  });

  it('leaves out thread ids that cannot be written in a header: UTF-8, control characters, too long for a line', async () => {
    const inbound = await hostileInbound('08-eai-utf8-message-id.eml');
    expect(inbound.messageId).toBe('20261123080639.jörg@mäil.contoso.example');
    const { raw, parsed } = await roundTrip(mail({ inReplyTo: inbound.messageId, references: [...inbound.references, inbound.messageId] }));
    expect(header(raw)).toMatch(/^[\x20-\x7e\r\n\t]*$/);
    expect(parsed.inReplyTo).toBeUndefined();
    expect(refs(parsed)).toEqual([]);

    const longest = `${'x'.repeat(983 - '@contoso.example'.length)}@contoso.example`; // "In-Reply-To: <id>" is 998
    expect(referencesChain(['ok@contoso.example', 'a\u0000b@contoso.example', 'tab\tin@contoso.example', `x${longest}`, longest], 'c\u007f@contoso.example')).toEqual([
      'ok@contoso.example',
      longest,
    ]);
    const { raw: withLongest, parsed: longestParsed } = await roundTrip(mail({ inReplyTo: longest, references: [] }));
    expect(longestParsed.inReplyTo).toBe(`<${longest}>`);
    expect(longestLine(header(withLongest))).toBeLessThanOrEqual(998);
  });
});
