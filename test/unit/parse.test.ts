import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import MailComposer from 'nodemailer/lib/mail-composer';
import { describe, expect, it } from 'vitest';
import {
  MalformedMailError,
  MessageTooLargeError,
  extractMessageIds,
  normaliseMessageId,
  parseAddressList,
  parseMail,
  type AttachmentSink,
  type ParseLimits,
} from '../../src/mail/parse.js';

const limits: ParseLimits = { maxMessageBytes: 40 * 1024 * 1024, maxHeaderLines: 2000 };

/** A raw mail from lines, CRLF-terminated as on the wire. */
function eml(...lines: string[]): Buffer {
  return Buffer.from(lines.join('\r\n'), 'latin1');
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

async function compose(mail: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  return new MailComposer(mail).compile().build();
}

/** A sink that keeps every attachment's bytes, as the real one would store them. */
function recordingSink() {
  const stored: { index: number; filename: string; contentType: string; bytes: Buffer }[] = [];
  const sink: AttachmentSink = {
    async put({ index, filename, contentType, content }) {
      const chunks: Buffer[] = [];
      for await (const chunk of content as Readable) chunks.push(Buffer.from(chunk as Buffer));
      stored.push({ index, filename, contentType, bytes: Buffer.concat(chunks) });
      return { blobKey: `blobs/${index}` };
    },
  };
  return { sink, stored };
}

/** 1x1 transparent PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the promise to reject');
}

describe('parseMail: headers', () => {
  it('decodes encoded-word subjects in ISO-8859-1, Windows-1252, Shift_JIS and UTF-8', async () => {
    const shiftJis = Buffer.from('k/qWe4zqgsyMj5a8', 'base64');
    expect(new TextDecoder('shift_jis').decode(shiftJis)).toBe('日本語の件名'); // the fixture is what it claims
    const cases: [string, string][] = [
      ['=?ISO-8859-1?Q?Caf=E9_cr=E8me_br=FBl=E9e?=', 'Café crème brûlée'],
      ['=?windows-1252?Q?=93Printer=94_costs_=80100?=', '“Printer” costs €100'],
      [`=?Shift_JIS?B?${shiftJis.toString('base64')}?=`, '日本語の件名'],
      ['=?UTF-8?B?4pyUIFRpY2tldCDwn46r?=', '✔ Ticket 🎫'],
      ['=?utf-8?q?Gr=C3=BC=C3=9Fe?= =?utf-8?q?_aus_K=C3=B6ln?=', 'Grüße aus Köln'],
      ['Re: =?iso-8859-1?q?=C4rger?= mit VPN', 'Re: Ärger mit VPN'],
    ];
    for (const [encoded, decoded] of cases) {
      const msg = await parseMail(eml('From: a@example.com', `Subject: ${encoded}`, '', 'body'), { limits });
      expect(msg.subject).toBe(decoded);
      expect(msg.headers.subject).toEqual([decoded]);
      expect(msg.parseWarnings).toEqual([]);
    }
  });

  it('gives an empty subject when there is none', async () => {
    const msg = await parseMail(eml('From: a@example.com', '', 'body'), { limits });
    expect(msg.subject).toBe('');
    expect(msg.headers.subject).toBeUndefined();
  });

  it('parses From, To, Cc and Reply-To as mailboxes: lower-cased, names decoded, groups flattened', async () => {
    const raw = eml(
      'From: =?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <Joerg.Mueller@Example.COM>',
      'To: IT Team: alice@example.com, "Bob, Jr." <BOB@example.com>;, carol@example.com',
      'Cc: undisclosed-recipients:;',
      'Cc: Dave <dave@example.org>, Alice Again <ALICE@example.com>, just-a-name',
      'Reply-To: "Helpdesk Replies" <  replies@Example.com >',
      'Subject: groups',
      '',
      'body',
    );
    const msg = await parseMail(raw, { limits });
    expect(msg.from).toEqual({ name: 'Jörg Müller', address: 'joerg.mueller@example.com' });
    expect(msg.to).toEqual([
      { name: '', address: 'alice@example.com' },
      { name: 'Bob, Jr.', address: 'bob@example.com' },
      { name: '', address: 'carol@example.com' },
    ]);
    expect(msg.cc).toEqual([
      { name: 'Dave', address: 'dave@example.org' },
      { name: 'Alice Again', address: 'alice@example.com' },
    ]);
    expect(msg.replyTo).toEqual([{ name: 'Helpdesk Replies', address: 'replies@example.com' }]);
    // address fields keep their raw form in `headers`
    expect(msg.headers.from).toEqual(['=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <Joerg.Mueller@Example.COM>']);
    expect(msg.headers.cc).toHaveLength(2);
  });

  it('never takes an address out of an encoded word unless it is in angle brackets', () => {
    expect(parseAddressList(['=?utf-8?B?YXR0YWNrZXJAZXZpbC5leGFtcGxl?= <real@example.com>'])).toEqual([
      { name: 'attacker@evil.example', address: 'real@example.com' },
    ]);
    expect(parseAddressList(['=?utf-8?B?YXR0YWNrZXJAZXZpbC5leGFtcGxl?='])).toEqual([]);
    // a whole "Name <address>" encoded by a broken sender is recovered
    expect(parseAddressList(['=?utf-8?B?QW5uYSA8YW5uYUBleGFtcGxlLmNvbT4=?='])).toEqual([{ name: 'Anna', address: 'anna@example.com' }]);
  });

  it('has no From when the From header is missing or holds no address', async () => {
    expect((await parseMail(eml('To: a@example.com', '', 'x'), { limits })).from).toBeNull();
    expect((await parseMail(eml('From: Nobody', '', 'x'), { limits })).from).toBeNull();
  });

  it('strips the angle brackets of Message-ID and keeps its case', async () => {
    const msg = await parseMail(eml('From: a@example.com', 'Message-ID:  <CAF=Abc.123@Mail.Example.COM> ', '', 'x'), { limits });
    expect(msg.messageId).toBe('CAF=Abc.123@Mail.Example.COM');
    expect(msg.messageIdSynthesised).toBe(false);
  });

  it('synthesises a stable Message-ID from the raw bytes when it is missing or empty', async () => {
    const raw = eml('From: a@example.com', 'Subject: no id', '', 'body');
    const one = await parseMail(raw, { limits });
    const two = await parseMail(Readable.from([raw.subarray(0, 10), raw.subarray(10)]), { limits });
    expect(one.messageIdSynthesised).toBe(true);
    expect(one.messageId).toBe(`${sha256(raw)}@synthesised.invalid`);
    expect(two.messageId).toBe(one.messageId);
    const other = await parseMail(eml('From: a@example.com', 'Subject: no id', '', 'other body'), { limits });
    expect(other.messageId).not.toBe(one.messageId);
    const empty = await parseMail(eml('From: a@example.com', 'Message-ID: <>', '', 'body'), { limits });
    expect(empty.messageIdSynthesised).toBe(true);
    const blank = await parseMail(eml('From: a@example.com', 'Message-ID:', '', 'body'), { limits });
    expect(blank.messageIdSynthesised).toBe(true);
  });

  it('reads In-Reply-To and folded, junk-laden References as id lists', async () => {
    const raw = eml(
      'From: a@example.com',
      'Message-ID: <reply-3@example.com>',
      'In-Reply-To: <reply-2@example.com> (Bob\'s message of "Mon, 3 Jun 2024")',
      'References: <root@example.com>',
      '\t<reply-1@example.com>,<reply-1b@example.com>',
      '  junk-text <reply-2@example.com>',
      ' <root@example.com>',
      '',
      'body',
    );
    const msg = await parseMail(raw, { limits });
    expect(msg.inReplyTo).toEqual(['reply-2@example.com']);
    expect(msg.references).toEqual(['root@example.com', 'reply-1@example.com', 'reply-1b@example.com', 'reply-2@example.com']);
    expect(msg.headers.references).toHaveLength(1); // unfolded into one value
    expect(msg.headers.references?.[0]).not.toMatch(/[\r\n]/);
  });

  it('falls back to words with an @ when References has no angle brackets', async () => {
    const msg = await parseMail(eml('From: a@example.com', 'References: one@example.com two@example.com', 'In-Reply-To: your message of Monday', '', 'x'), {
      limits,
    });
    expect(msg.references).toEqual(['one@example.com', 'two@example.com']);
    expect(msg.inReplyTo).toEqual([]);
  });

  it('normalises message ids', () => {
    expect(normaliseMessageId(' <abc@Example.com> ')).toBe('abc@Example.com');
    expect(normaliseMessageId('abc@example.com')).toBe('abc@example.com');
    expect(normaliseMessageId('<abc@example.com')).toBe('abc@example.com');
    expect(normaliseMessageId('<abc\t@ example.com> (comment)')).toBe('abc@example.com');
    expect(normaliseMessageId('<>')).toBe('');
    expect(normaliseMessageId('')).toBe('');
    expect(extractMessageIds('<a@x> <b@x>\r\n <a@x>')).toEqual(['a@x', 'b@x']);
  });

  it('reads the Date as an ISO string, null when absent or invalid', async () => {
    const date = async (value: string | null) =>
      (await parseMail(eml('From: a@example.com', ...(value === null ? [] : [`Date: ${value}`]), '', 'x'), { limits })).date;
    expect(await date('Tue, 4 Jun 2024 09:15:00 +0200')).toBe('2024-06-04T07:15:00.000Z');
    expect(await date('Tue, 4 Jun 2024 09:15:00 +0200 (CEST)')).toBe('2024-06-04T07:15:00.000Z');
    expect(await date('Thu, 9 Apr 2009 23:34:45 JST')).toBe('2009-04-09T14:34:45.000Z');
    expect(await date('Tue, 4 Jun 2024 09:15:00')).toBe('2024-06-04T09:15:00.000Z'); // no zone: UTC, not local time
    expect(await date(null)).toBeNull();
    const bad = await parseMail(eml('From: a@example.com', 'Date: someday soon', '', 'x'), { limits });
    expect(bad.date).toBeNull();
    expect(bad.parseWarnings).toContain('Date header "someday soon" is not a valid date');
  });

  it('keeps every header line under its lower-cased name, unfolded, in order', async () => {
    const raw = eml(
      'Received: from mx1.example.net by mx2.example.net;',
      '\tTue, 4 Jun 2024 09:15:00 +0200',
      'Received: from client by mx1.example.net; Tue, 4 Jun 2024 09:14:59 +0200',
      'From: a@example.com',
      'AUTO-Submitted: auto-replied',
      'List-Id: IT notices <it.example.com>',
      'X-Custom: =?utf-8?q?caf=C3=A9?=',
      '__proto__: polluted',
      '',
      'x',
    );
    const msg = await parseMail(raw, { limits });
    expect(msg.headers.received).toEqual([
      'from mx1.example.net by mx2.example.net;\tTue, 4 Jun 2024 09:15:00 +0200',
      'from client by mx1.example.net; Tue, 4 Jun 2024 09:14:59 +0200',
    ]);
    expect(msg.headers['auto-submitted']).toEqual(['auto-replied']);
    expect(msg.headers['list-id']).toEqual(['IT notices <it.example.com>']);
    expect(msg.headers['x-custom']).toEqual(['café']);
    expect(Object.hasOwn(msg.headers, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(msg.headers)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads 8-bit header bytes that are not UTF-8 as Latin-1, with a warning', async () => {
    const msg = await parseMail(Buffer.from('From: a@example.com\r\nSubject: Caf\xe9 au lait\r\n\r\nx', 'latin1'), { limits });
    expect(msg.subject).toBe('Café au lait');
    expect(msg.parseWarnings).toContain('header "subject" has 8-bit bytes that are not UTF-8; read as Latin-1');
  });

  it('reads raw UTF-8 in headers (RFC 6532)', async () => {
    const msg = await parseMail(Buffer.from('From: Jöhn <jöhn@exämple.com>\r\nSubject: Säying hello\r\n\r\nx', 'utf8'), { limits });
    expect(msg.subject).toBe('Säying hello');
    expect(msg.from).toEqual({ name: 'Jöhn', address: 'jöhn@exämple.com' });
    expect(msg.parseWarnings).toEqual([]);
  });

  it('warns about an encoded word in an unknown charset and decodes it as UTF-8', async () => {
    const msg = await parseMail(eml('From: a@example.com', 'Subject: =?x-klingon?Q?Qapla=21?=', '', 'x'), { limits });
    expect(msg.subject).toBe('Qapla!');
    expect(msg.parseWarnings).toContain('header "subject" has an encoded word in unknown charset "x-klingon"; decoded as UTF-8');
  });

  it('reports the top-level content type', async () => {
    const dsn = eml(
      'From: MAILER-DAEMON@mx.example.net',
      'To: support@example.com',
      'Subject: Undelivered Mail Returned to Sender',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"',
      '',
      '--dsn',
      'Content-Type: text/plain',
      '',
      'I could not deliver your message.',
      '--dsn',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.net',
      '',
      'Final-Recipient: rfc822; gone@example.org',
      'Action: failed',
      'Status: 5.1.1',
      '--dsn',
      'Content-Type: text/rfc822-headers',
      '',
      'Message-ID: <original@example.com>',
      'Subject: help',
      '--dsn--',
      '',
    );
    const msg = await parseMail(dsn, { limits });
    expect(msg.contentType).toBe('multipart/report');
    expect(msg.text).toContain('I could not deliver your message.');
    expect(msg.text).toContain('Status: 5.1.1'); // delivery-status is text, as mailparser has it
    expect(msg.attachments.map((a) => a.contentType)).toEqual(['text/rfc822-headers']);
    expect(msg.parseWarnings).toEqual([]);
    expect((await parseMail(eml('From: a@example.com', '', 'x'), { limits })).contentType).toBe('text/plain');
  });
});

describe('parseMail: bodies', () => {
  it('takes text/plain and normalises CRLF to LF', async () => {
    const msg = await parseMail(eml('From: a@example.com', 'Content-Type: text/plain; charset=utf-8', '', 'line one', 'line two', ''), { limits });
    expect(msg.text).toBe('line one\nline two\n');
    expect(msg.html).toBeNull();
  });

  it('converts an HTML-only mail to text: no wrapping, no images, link targets only where they differ', async () => {
    const long = 'This sentence is deliberately long so that any word wrapping at eighty columns would break it somewhere.';
    const html =
      `<html><body><p>Hello,</p><p>${long}</p>` +
      '<p>See <a href="https://status.example.com/incident/42">the status page</a> or ' +
      '<a href="https://example.com">https://example.com</a>, mail <a href="mailto:it@example.com">it@example.com</a>.</p>' +
      '<img src="cid:logo" alt="Logo"><p>Thanks</p></body></html>';
    const raw = await compose({ from: 'a@example.com', to: 'support@example.com', subject: 'html only', html });
    const msg = await parseMail(raw, { limits });
    expect(msg.html).toContain('<p>Hello,</p>');
    expect(msg.text).toContain(long);
    expect(msg.text).toContain('the status page [https://status.example.com/incident/42]');
    expect(msg.text).toContain('or https://example.com,');
    expect(msg.text).not.toContain('[https://example.com]');
    expect(msg.text).toContain('mail it@example.com.');
    expect(msg.text).not.toContain('mailto');
    expect(msg.text).not.toContain('Logo');
    expect(msg.text).toContain('Thanks');
  });

  it('keeps text/plain and HTML of multipart/alternative side by side', async () => {
    const raw = await compose({ from: 'a@example.com', to: 'b@example.com', text: 'Plain words.', html: '<p>HTML <b>words</b>.</p>' });
    const msg = await parseMail(raw, { limits });
    expect(msg.contentType).toBe('multipart/alternative');
    expect(msg.text).toBe('Plain words.');
    expect(msg.html).toBe('<p>HTML <b>words</b>.</p>');
  });

  it('uses the HTML when the text/plain alternative is blank', async () => {
    const raw = await compose({ from: 'a@example.com', to: 'b@example.com', text: ' \r\n', html: '<p>Only here</p>' });
    expect((await parseMail(raw, { limits })).text).toBe('Only here');
  });

  it('decodes a Shift_JIS body', async () => {
    const body = Buffer.from('gqiW4oKijYeC7YK5gUaDdoOKg5ODXoFbgqqTroKrgtyCuYLx', 'base64');
    const raw = Buffer.concat([
      eml('From: a@example.jp', 'Subject: test', 'Content-Type: text/plain; charset=Shift_JIS', 'Content-Transfer-Encoding: 8bit', '', ''),
      body,
    ]);
    const msg = await parseMail(raw, { limits });
    expect(msg.text).toBe('お問い合わせ：プリンターが動きません');
    expect(msg.parseWarnings).toEqual([]);
  });

  it('decodes a body in an unknown charset as Windows-1252 (or UTF-8 when it is valid UTF-8), with a warning', async () => {
    const latin = await parseMail(
      Buffer.from('From: a@example.com\r\nContent-Type: text/plain; charset=x-unknown-8bit\r\n\r\nCaf\xe9 \x80 5\r\n', 'latin1'),
      { limits },
    );
    expect(latin.text).toBe('Café € 5\n');
    expect(latin.parseWarnings).toContain('body part declares unknown charset "x-unknown-8bit"; decoded as Windows-1252');
    const utf8 = await parseMail(Buffer.from('From: a@example.com\r\nContent-Type: text/plain; charset=bogus\r\n\r\nCafé\r\n', 'utf8'), { limits });
    expect(utf8.text).toBe('Café\n');
    expect(utf8.parseWarnings).toContain('body part declares unknown charset "bogus"; decoded as UTF-8');
  });

  it('warns when a UTF-8 body has bytes that are not UTF-8', async () => {
    const msg = await parseMail(Buffer.from('From: a@example.com\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nCaf\xe9\r\n', 'latin1'), { limits });
    expect(msg.text).toBe('Caf\uFFFD\n');
    expect(msg.parseWarnings).toContain('text body has bytes that are not valid in its charset (shown as U+FFFD)');
  });
});

describe('parseMail: attachments', () => {
  it('streams each attachment to the sink and records size, sha256 and blob key', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200_000, 7), Buffer.from('\n%%EOF\n')]);
    const raw = await compose({
      from: 'a@example.com',
      to: 'support@example.com',
      subject: 'report attached',
      text: 'See attached.',
      attachments: [
        { filename: 'report.pdf', content: pdf, contentType: 'application/pdf' },
        { filename: 'notes.txt', content: 'some notes\n' },
      ],
    });
    const { sink, stored } = recordingSink();
    const msg = await parseMail(raw, { limits, attachments: sink });
    expect(msg.text).toBe('See attached.');
    expect(stored.map((s) => [s.index, s.filename, s.contentType])).toEqual([
      [0, 'report.pdf', 'application/pdf'],
      [1, 'notes.txt', 'text/plain'],
    ]);
    expect(stored[0]?.bytes.equals(pdf)).toBe(true);
    expect(msg.attachments).toEqual([
      { filename: 'report.pdf', contentType: 'application/pdf', size: pdf.length, inline: false, blobKey: 'blobs/0', sha256: sha256(pdf) },
      {
        filename: 'notes.txt',
        contentType: 'text/plain',
        size: 11,
        inline: false,
        blobKey: 'blobs/1',
        sha256: sha256(Buffer.from('some notes\n')),
      },
    ]);
  });

  it('drains attachments without a sink and still records size and sha256', async () => {
    const raw = await compose({ from: 'a@example.com', text: 'x', attachments: [{ filename: 'a.bin', content: Buffer.alloc(5000, 1) }] });
    const msg = await parseMail(raw, { limits });
    expect(msg.attachments).toEqual([
      { filename: 'a.bin', contentType: 'application/octet-stream', size: 5000, inline: false, sha256: sha256(Buffer.alloc(5000, 1)) },
    ]);
  });

  it('drains what a sink leaves unread', async () => {
    const raw = await compose({ from: 'a@example.com', text: 'x', attachments: [{ filename: 'a.bin', content: Buffer.alloc(300_000, 1) }] });
    const lazy: AttachmentSink = { put: async () => ({ blobKey: 'k' }) };
    const msg = await parseMail(raw, { limits, attachments: lazy });
    expect(msg.attachments[0]?.size).toBe(300_000);
  });

  it('marks an inline image with a Content-ID as inline', async () => {
    const raw = await compose({
      from: 'a@example.com',
      to: 'support@example.com',
      html: '<p>Screenshot:</p><img src="cid:shot@example.com">',
      attachments: [
        { filename: 'screenshot.png', content: PNG, cid: 'shot@example.com' },
        { filename: 'log.txt', content: 'error 42\n' },
      ],
    });
    const { sink, stored } = recordingSink();
    const msg = await parseMail(raw, { limits, attachments: sink });
    expect(msg.contentType).toBe('multipart/mixed');
    expect(msg.text).toBe('Screenshot:');
    expect(msg.attachments.map(({ filename, contentType, contentId, inline }) => ({ filename, contentType, contentId, inline }))).toEqual([
      { filename: 'screenshot.png', contentType: 'image/png', contentId: 'shot@example.com', inline: true },
      { filename: 'log.txt', contentType: 'text/plain', contentId: undefined, inline: false },
    ]);
    expect(stored[0]?.bytes.equals(PNG)).toBe(true);
    expect(msg.attachments[0]?.sha256).toBe(sha256(PNG));
    expect(msg.attachments[0]?.size).toBe(PNG.length);
  });

  it('names unnamed parts from their content type', async () => {
    const raw = eml(
      'From: a@example.com',
      'Content-Type: multipart/related; boundary="r"',
      '',
      '--r',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>Look:</p><img src="cid:anon@example.com">',
      '--r',
      'Content-Type: image/png',
      'Content-Transfer-Encoding: base64',
      'Content-ID: <anon@example.com>',
      '',
      PNG.toString('base64'),
      '--r',
      'Content-Type: application/octet-stream',
      '',
      'binary',
      '--r',
      'Content-Type: message/rfc822',
      'Content-Disposition: attachment',
      '',
      'Subject: forwarded',
      '',
      'inner',
      '--r--',
      '',
    );
    const msg = await parseMail(raw, { limits });
    expect(msg.text).toBe('Look:');
    expect(msg.attachments.map(({ filename, contentType, contentId, inline }) => ({ filename, contentType, contentId, inline }))).toEqual([
      { filename: 'image-1.png', contentType: 'image/png', contentId: 'anon@example.com', inline: true },
      { filename: 'attachment-2.bin', contentType: 'application/octet-stream', contentId: undefined, inline: false },
      { filename: 'message-3.eml', contentType: 'message/rfc822', contentId: undefined, inline: false },
    ]);
    expect(msg.attachments[0]?.sha256).toBe(sha256(PNG));
    expect(msg.parseWarnings).toEqual([]);
  });

  it('removes paths and control characters from attachment names', async () => {
    const raw = await compose({ from: 'a@example.com', text: 'x', attachments: [{ filename: '../../etc/pass\u0007wd', content: 'x' }] });
    expect((await parseMail(raw, { limits })).attachments[0]?.filename).toBe('passwd');
  });

  it('ends the attachment stream a sink is reading when the parse fails midway', async () => {
    const raw = await compose({ from: 'a@example.com', text: 'x', attachments: [{ filename: 'a.bin', content: Buffer.alloc(2_000_000, 1) }] });
    const chunks = Array.from({ length: Math.ceil(raw.length / 65_536) }, (_, i) => raw.subarray(i * 65_536, (i + 1) * 65_536));
    let settled: Promise<string> = Promise.resolve('put was never called');
    const sink: AttachmentSink = {
      put({ content }) {
        const reading = (async () => {
          for await (const _ of content as Readable);
          return { blobKey: 'k' };
        })();
        settled = reading.then(
          () => 'resolved',
          (err: Error) => `rejected: ${err.message}`,
        );
        return reading;
      },
    };
    const err = await rejection(parseMail(Readable.from(chunks), { limits: { maxMessageBytes: 2_300_000, maxHeaderLines: 100 }, attachments: sink }));
    expect(err).toBeInstanceOf(MessageTooLargeError);
    expect(await settled).toBe('rejected: the mail stopped being parsed before this attachment ended');
  });

  it('lets a failing sink fail the parse with its own error', async () => {
    const raw = await compose({ from: 'a@example.com', text: 'x', attachments: [{ filename: 'a.bin', content: Buffer.alloc(100_000, 1) }] });
    const failure = new Error('S3 is down');
    const sink: AttachmentSink = {
      async put({ content }) {
        (content as Readable).resume();
        throw failure;
      },
    };
    expect(await rejection(parseMail(raw, { limits, attachments: sink }))).toBe(failure);
  });
});

describe('parseMail: robustness', () => {
  it('rejects zero bytes', async () => {
    const err = await rejection(parseMail(Buffer.alloc(0), { limits }));
    expect(err).toBeInstanceOf(MalformedMailError);
    expect(err.message).toBe('no mail headers found: the input is empty (0 bytes)');
    expect(await rejection(parseMail(Readable.from([]), { limits }))).toBeInstanceOf(MalformedMailError);
  });

  it('rejects PNG bytes and other input that does not start with a header field', async () => {
    const err = await rejection(parseMail(PNG, { limits }));
    expect(err).toBeInstanceOf(MalformedMailError);
    expect(err.name).toBe('MalformedMailError');
    expect(err.message).toMatch(/^no mail headers found: the first line is not a "Name: value" header field/);
    expect(err.message).toContain('89 50 4e 47 0d 0a 1a 0a');
    for (const junk of ['hello world\nthis is not mail\n', '\r\nbody only', ': no name\r\n\r\nx', ' Subject: indented\r\n\r\nx']) {
      expect(await rejection(parseMail(Buffer.from(junk), { limits }))).toBeInstanceOf(MalformedMailError);
    }
    const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    expect(await rejection(parseMail(random, { limits }))).toBeInstanceOf(MalformedMailError);
  });

  it('accepts a leading mbox "From " line and obsolete "Name :" syntax', async () => {
    const mbox = await parseMail(eml('From someone@example.com Tue Jun  4 09:15:00 2024', 'From: someone@example.com', 'Subject: mbox', '', 'x'), {
      limits,
    });
    expect(mbox.subject).toBe('mbox');
    expect(mbox.from?.address).toBe('someone@example.com');
    const obsolete = await parseMail(eml('Subject  : spaced', 'From : a@example.com', '', 'x'), { limits });
    expect(obsolete.subject).toBe('spaced');
  });

  it('rejects 10,000 header lines, naming the count', async () => {
    const lines = Array.from({ length: 9_998 }, (_, i) => `X-Filler-${i}: ${i}`);
    const raw = eml('From: a@example.com', 'Subject: many', ...lines, '', 'x');
    const err = await rejection(parseMail(raw, { limits }));
    expect(err).toBeInstanceOf(MalformedMailError);
    expect(err.message).toBe('message has 10000 header lines, over the limit of 2000');
    // folded continuation lines belong to their field and do not count
    const folded = eml('From: a@example.com', 'Subject: folded', ...Array.from({ length: 3000 }, () => ' more'), '', 'x');
    expect((await parseMail(folded, { limits })).subject).toMatch(/^folded more/);
  });

  it('rejects a message over maxMessageBytes: exact size for a Buffer, the bytes read for a stream', async () => {
    const raw = eml('From: a@example.com', '', 'x'.repeat(200_000));
    const small = { maxMessageBytes: 100_000, maxHeaderLines: 2000 };
    const err = await rejection(parseMail(raw, { limits: small }));
    expect(err).toBeInstanceOf(MessageTooLargeError);
    expect(err).toBeInstanceOf(MalformedMailError);
    expect(err.message).toBe(`message is ${raw.length} bytes, over the limit of 100000`);
    const chunks = Array.from({ length: 20 }, (_, i) => raw.subarray(i * 10_001, (i + 1) * 10_001));
    const streamed = await rejection(parseMail(Readable.from(chunks), { limits: small }));
    expect(streamed).toBeInstanceOf(MessageTooLargeError);
    expect(streamed.message).toBe('message is more than 100010 bytes, over the limit of 100000');
  });

  it('parses what is there of a truncated multipart and warns', async () => {
    const raw = eml(
      'From: a@example.com',
      'Subject: cut off',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'The printer on floor 3 is jammed.',
      '--b1',
      'Content-Type: application/pdf; name="manual.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      'JVBERi0xLjQK',
    );
    const msg = await parseMail(raw, { limits });
    expect(msg.text).toBe('The printer on floor 3 is jammed.');
    expect(msg.attachments.map((a) => [a.filename, a.size])).toEqual([['manual.pdf', 9]]);
    expect(msg.parseWarnings).toEqual([
      'multipart/mixed ends before its closing boundary ("--b1--"): the message is truncated or malformed; parsed the parts that were there',
    ]);
  });

  it('warns about a truncated nested multipart, not about a complete one', async () => {
    const nested = (closeInner: boolean, closeOuter: boolean) =>
      eml(
        'From: a@example.com',
        'Content-Type: multipart/mixed; boundary="outer"',
        '',
        '--outer',
        'Content-Type: multipart/alternative; boundary="inner"',
        '',
        '--inner',
        'Content-Type: text/plain',
        '',
        'hello',
        ...(closeInner ? ['--inner--'] : []),
        ...(closeOuter ? ['--outer--', ''] : []),
      );
    expect((await parseMail(nested(true, true), { limits })).parseWarnings).toEqual([]);
    expect((await parseMail(nested(true, false), { limits })).parseWarnings).toHaveLength(1);
    expect((await parseMail(nested(false, false), { limits })).parseWarnings).toHaveLength(1);
    expect((await parseMail(nested(false, false), { limits })).text).toBe('hello');
  });

  it('warns about a multipart without a boundary', async () => {
    const msg = await parseMail(eml('From: a@example.com', 'Content-Type: multipart/mixed', '', 'text'), { limits });
    expect(msg.parseWarnings).toContain('multipart/mixed has no boundary parameter: its parts cannot be found');
  });

  it('turns a mailparser failure into MalformedMailError with the cause', async () => {
    const raw = eml('From: a@example.com', `X-Huge: ${'a'.repeat(1_100_000)}`, '', 'x');
    const err = await rejection(parseMail(raw, { limits }));
    expect(err).toBeInstanceOf(MalformedMailError);
    expect(err.message).toBe('the MIME structure is broken: Max header size for a MIME node exceeded');
    expect((err.cause as Error).message).toBe('Max header size for a MIME node exceeded');
  });

  it('rethrows an error of the raw stream as it is', async () => {
    const failure = new Error('connection reset');
    const source = new PassThrough();
    source.write('From: a@example.com\r\n');
    setImmediate(() => source.destroy(failure));
    expect(await rejection(parseMail(source, { limits }))).toBe(failure);
  });

  it('reads CR-only line endings', async () => {
    const raw = Buffer.from('From: a@example.com\rSubject: old mac\r\rHello\rthere\r', 'latin1');
    const msg = await parseMail(raw, { limits });
    expect(msg.subject).toBe('old mac');
    expect(msg.text).toBe('Hello\nthere\n');
    expect(msg.rawSha256).toBe(sha256(raw));
    expect(msg.parseWarnings).toContain('message has CR-only line endings; read as LF');
  });

  it('gives the same result for a stream and a Buffer', async () => {
    const raw = await compose({
      from: 'Ann <ann@example.com>',
      to: 'support@example.com',
      subject: 'same',
      text: 'one\ntwo',
      attachments: [{ filename: 'a.txt', content: 'abc' }],
    });
    const fromBuffer = await parseMail(raw, { limits });
    const fromStream = await parseMail(Readable.from([raw.subarray(0, 7), raw.subarray(7, 100), raw.subarray(100)]), { limits });
    expect(fromStream).toEqual(fromBuffer);
    expect(fromBuffer.rawSize).toBe(raw.length);
    expect(fromBuffer.rawSha256).toBe(sha256(raw));
  });
});

/** A mail of fixtures/hostile/: a hostile input that once broke the parser or a header we compose. */
function hostileFixture(name: string): Buffer {
  return readFileSync(new URL(`../../fixtures/hostile/${name}`, import.meta.url));
}

describe('parseMail: hostile fixtures', () => {
  it('drops an "address" that is two addresses in one pair of angle brackets', async () => {
    // the composer would write it as two recipients: the reply would go to mallory too
    const msg = await parseMail(hostileFixture('01-from-two-addresses-in-one-bracket.eml'), { limits });
    expect(msg.from).toBeNull();
    expect(msg.parseWarnings).toEqual(['From address "dana.whitfield@contoso.example,mallory@evil.example" is not one mailbox address: dropped']);
    expect(parseAddressList(['<mallory@evil.example,victim@contoso.example>'])).toEqual([]);
    expect(parseAddressList(['<dana@contoso.example;bcc:mallory@evil.example>'])).toEqual([]);
    const rejected: string[] = [];
    expect(parseAddressList(['Dana <dana@contoso.example>, <a@b@evil.example>'], (a) => rejected.push(a))).toEqual([
      { name: 'Dana', address: 'dana@contoso.example' },
    ]);
    expect(rejected).toEqual(['a@b@evil.example']);
    // what real mail holds stays: quoted local parts, plus tags, IDN and UTF-8 (RFC 6531), domain literals
    for (const address of ['"dana.whitfield"@contoso.example', '"a,b"@contoso.example', 'dana+vpn@contoso.example', "o'brien@contoso.example", 'jörg@bücher.example', 'dana@[192.0.2.7]']) {
      expect(parseAddressList([`<${address}>`]).map((m) => m.address), address).toEqual([address]);
    }
  });

  it('drops an address longer than SMTP can carry (RFC 5321: 254 octets)', async () => {
    const msg = await parseMail(hostileFixture('02-from-address-2000-character-local-part.eml'), { limits });
    expect(msg.from).toBeNull();
    expect(msg.parseWarnings).toEqual([`From address "${'dana.whitfield.'.repeat(7).slice(0, 100)}…" is not one mailbox address: dropped`]);
    const longest = `${'d'.repeat(64)}@${'c'.repeat(181)}.example`; // 254 octets
    expect(parseAddressList([longest]).map((m) => m.address)).toEqual([longest]);
    expect(parseAddressList([`x${longest}`])).toEqual([]);
  });

  it('does not take a Message-ID too long to be echoed on a header line: synthesises one, with a warning', async () => {
    const raw = hostileFixture('03-message-id-5000-characters.eml');
    const msg = await parseMail(raw, { limits });
    expect(msg.messageIdSynthesised).toBe(true);
    expect(msg.messageId).toBe(`${sha256(raw)}@synthesised.invalid`);
    expect(msg.parseWarnings).toEqual(['Message-ID is 5023 bytes long, over the limit of 900: ignored (one was made from the raw bytes)']);
  });

  it('drops thread ids too long to be echoed on a header line, with a warning', async () => {
    const msg = await parseMail(hostileFixture('04-references-3000-character-id.eml'), { limits });
    expect(msg.inReplyTo).toEqual([]);
    expect(msg.references).toEqual(['20261120101500.aa01@mta.contoso.example']);
    expect(msg.parseWarnings).toEqual([
      'In-Reply-To has 1 id over 900 bytes long: dropped',
      'References has 1 id over 900 bytes long: dropped',
    ]);
  });

  it('quotes at most a short start of a value in a warning (a 10 KB charset name)', async () => {
    const msg = await parseMail(hostileFixture('05-charset-name-10kb.eml'), { limits });
    expect(msg.text).toContain('badge reader at door 4');
    const start = 'x-contoso-legacy-'.repeat(6).slice(0, 100);
    expect(msg.parseWarnings).toEqual([`body part declares unknown charset "${start}…"; decoded as UTF-8`]);
  });

  it('keeps at most 10 warnings and counts the rest (300 encoded words in unknown charsets)', async () => {
    const msg = await parseMail(hostileFixture('06-300-encoded-words-in-unknown-charsets.eml'), { limits });
    expect(msg.parseWarnings).toHaveLength(11);
    expect(msg.parseWarnings[0]).toBe('header "x-contoso-label-0" has an encoded word in unknown charset "x-contoso-0"; decoded as UTF-8');
    expect(msg.parseWarnings[10]).toBe('and 290 more warnings');
    expect(msg.headers['x-contoso-label-299']).toEqual(['label 299']);
  });
});

describe('parseMail: lenient MIME (issue 17)', () => {
  it('skips a whitespace-only line before the headers (09: an archiving gateway that prepends " \\r\\n")', async () => {
    // Prepare
    const raw = hostileFixture('09-outlook-imap-archive-gateway-blank-line-before-headers.eml');
    expect(raw.subarray(0, 3).toString('latin1')).toBe(' \r\n'); // the fixture is what it claims
    // Act
    const msg = await parseMail(raw, { limits });
    // Assess
    expect(msg.from).toEqual({ name: 'Tom Becker', address: 'tom.becker@northwind.example' });
    expect(msg.subject).toBe('Label printer in the warehouse prints every label twice');
    expect(msg.messageId).toBe('DB9PR07MB7412C4E0F2A19B6D35E8A1C2F7B11@DB9PR07MB7412.eurprd07.prod.outlook.com');
    expect(msg.contentType).toBe('multipart/alternative');
    expect(msg.text).toContain('prints every shipping label twice');
    expect(msg.rawSha256).toBe(sha256(raw)); // of the bytes as received, the blank line too
    expect(msg.rawSize).toBe(raw.length);
    expect(msg.parseWarnings).toEqual(['message has a blank line before its first header; skipped']);
  });

  it('skips empty lines, several whitespace-only lines and LF-only ones too, from a stream cut anywhere', async () => {
    const mail = hostileFixture('09-outlook-imap-archive-gateway-blank-line-before-headers.eml').subarray(3);
    for (const prefix of ['\r\n', '\t\r\n\r\n', '\n\n\n', ' \t \r\n \r\n']) {
      const raw = Buffer.concat([Buffer.from(prefix, 'latin1'), mail]);
      const fromBuffer = await parseMail(raw, { limits });
      expect(fromBuffer.subject, JSON.stringify(prefix)).toBe('Label printer in the warehouse prints every label twice');
      expect(fromBuffer.parseWarnings[0]).toMatch(/^message has (a blank line|\d blank lines) before its first header; skipped$/);
      const pieces = Readable.from([raw.subarray(0, 1), raw.subarray(1, 3), raw.subarray(3, 5), raw.subarray(5)]);
      expect(await parseMail(pieces, { limits })).toEqual(fromBuffer);
    }
  });

  it('still refuses what is not a header block after the blank lines', async () => {
    const mail = hostileFixture('09-outlook-imap-archive-gateway-blank-line-before-headers.eml').subarray(3);
    // whitespace and then text on the first line: a continuation of no header
    const indented = await rejection(parseMail(Buffer.concat([Buffer.from('\r\n '), mail]), { limits }));
    expect(indented).toBeInstanceOf(MalformedMailError);
    expect(indented.message).toBe(
      'no mail headers found: the first line after the blank lines is not a "Name: value" header field (the input starts with bytes 0d 0a 20 52 65 63 65 69 76 65 64 3a)',
    );
    const prose = await rejection(parseMail(Buffer.from('\r\n\r\nHello, the printer is broken.\r\n'), { limits }));
    expect(prose.message).toMatch(/^no mail headers found: the first line after the blank lines is not a "Name: value" header field/);
    const blank = await rejection(parseMail(Buffer.from(' \r\n\t\r\n \r\n'), { limits }));
    expect(blank).toBeInstanceOf(MalformedMailError);
    expect(blank.message).toBe('no mail headers found: the input is only whitespace (9 bytes)');
  });

  it('decodes UTF-8 headers and an attachment name with one broken byte as UTF-8, the byte as U+FFFD (10)', async () => {
    // Prepare: Fabrikam's milter left a lone 0xD1 where "я" (D1 8F) was, in Subject, From and the PNG's name
    const raw = hostileFixture('10-thunderbird-utf8-headers-one-broken-byte.eml');
    expect(raw.includes(Buffer.from('\xd1?\xd0\xbd', 'latin1'))).toBe(true);
    const { sink, stored } = recordingSink();
    // Act
    const msg = await parseMail(raw, { limits, attachments: sink });
    // Assess
    expect(msg.subject).toBe('Юникод в имени файла ломает выгрузку за \uFFFD?нварь');
    expect(msg.from).toEqual({ name: 'Юли\uFFFD? Жукова', address: 'yulia.zhukova@fabrikam.example' });
    expect(msg.attachments.map((a) => a.filename)).toEqual(['Ошибка выгрузки за \uFFFD?нварь.png']);
    expect(stored.map((s) => s.filename)).toEqual(['Ошибка выгрузки за \uFFFD?нварь.png']);
    expect(stored[0]?.bytes).toEqual(PNG);
    expect(msg.text).toContain('файлы с русскими именами не создаются');
    expect(msg.parseWarnings).toEqual([
      'attachment 1 name "Ошибка выгрузки за \uFFFD?нварь.png" has bytes that are not valid UTF-8; shown as U+FFFD',
      'header "from" has bytes that are not valid UTF-8; shown as U+FFFD',
      'header "subject" has bytes that are not valid UTF-8; shown as U+FFFD',
    ]);
  });

  it('decodes an encoded word and an RFC 2231 name with one broken byte the same way', async () => {
    const utf8 = (s: string) => Buffer.from(s, 'utf8');
    const name = Buffer.concat([utf8('Отчёт'), Buffer.from([0xff]), utf8('.pdf')]);
    const raw = Buffer.concat([
      eml(
        `From: =?utf-8?B?${Buffer.concat([utf8('Юлия'), Buffer.from([0xd1]), utf8(' Жукова')]).toString('base64')}?= <yulia@example.com>`,
        'Subject: =?utf-8?Q?=D0=AE=D0=BD=D0=B8=D0=BA=D0=BE=D0=B4=D1_test?=',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        'x',
        '--b',
        'Content-Type: application/pdf',
        `Content-Disposition: attachment; filename*=utf-8''${[...name].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('')}`,
        '',
        'pdf',
        '--b',
        `Content-Type: application/pdf; name="=?utf-8?B?${name.toString('base64')}?="`,
        '',
        'pdf',
        '--b--',
        '',
      ),
    ]);
    const msg = await parseMail(raw, { limits });
    expect(msg.from?.name).toBe('Юлия\uFFFD Жукова');
    expect(msg.subject).toBe('Юникод\uFFFD test');
    expect(msg.attachments.map((a) => a.filename)).toEqual(['Отчёт\uFFFD.pdf', 'Отчёт\uFFFD.pdf']);
  });

  it('still reads header bytes and attachment names that are no UTF-8 at all as Latin-1', async () => {
    const raw = Buffer.from(
      [
        'From: J\xfcrgen M\xfcller <jm@example.com>',
        'Subject: Gr\xf6\xdfe aus K\xf6ln',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        'x',
        '--b',
        'Content-Type: application/pdf',
        'Content-Disposition: attachment; filename="Pr\xfcfbericht.pdf"',
        '',
        'pdf',
        '--b--',
        '',
      ].join('\r\n'),
      'latin1',
    );
    const msg = await parseMail(raw, { limits });
    expect(msg.subject).toBe('Größe aus Köln');
    expect(msg.from).toEqual({ name: 'Jürgen Müller', address: 'jm@example.com' });
    expect(msg.attachments.map((a) => a.filename)).toEqual(['Prüfbericht.pdf']);
    expect(msg.parseWarnings).toEqual([
      'header "from" has 8-bit bytes that are not UTF-8; read as Latin-1',
      'header "subject" has 8-bit bytes that are not UTF-8; read as Latin-1',
    ]);
  });

  it('reads a text/plain alternative that is really HTML as HTML: the text is the genuine plain part (11)', async () => {
    // Prepare: a signature relay rebuilt Outlook's HTML alternative and labelled it text/plain
    const raw = hostileFixture('11-outlook-signature-relay-html-labelled-text-plain.eml');
    // Act
    const msg = await parseMail(raw, { limits });
    // Assess
    expect(msg.contentType).toBe('multipart/alternative');
    expect(msg.text).toBe(
      'Hi,\n \nthe PC in meeting room 2.07 (NW-PC-0412) signs me out of Teams every time the screen locks, so each meeting starts with a login and an MFA prompt.\n \nThanks,\nYuki\n \nYuki Tanaka | Facilities | Northwind',
    );
    expect(msg.text).not.toContain('<');
    expect(msg.html).toMatch(/^<div dir="ltr"/);
    expect(msg.parseWarnings).toEqual(['a text/plain alternative of multipart/alternative is HTML (it starts with "<div"); read as HTML']);
  });

  it('converts a text/plain alternative that is HTML to text when there is no genuine plain part', async () => {
    const alternative = (first: string, second: string) =>
      eml(
        'From: a@example.com',
        'Content-Type: multipart/alternative; boundary="alt"',
        '',
        '--alt',
        'Content-Type: text/plain; charset=utf-8',
        '',
        first,
        '--alt',
        'Content-Type: text/plain; charset=utf-8',
        '',
        second,
        '--alt--',
        '',
      );
    const onlyHtml = await parseMail(alternative('', '<!DOCTYPE html><html><body><p>Printer <b>PRN-04</b> is jammed.</p></body></html>'), { limits });
    expect(onlyHtml.text).toBe('Printer PRN-04 is jammed.');
    expect(onlyHtml.parseWarnings).toEqual(['a text/plain alternative of multipart/alternative is HTML (it starts with "<!DOCTYPE html"); read as HTML']);
    // text that merely mentions a tag, or starts with one but closes none, is plain text
    for (const plain of ['<div> is the tag our intranet page breaks on', '<p>aragraph marks show in Word']) {
      const msg = await parseMail(alternative('Printer jammed.', plain), { limits });
      expect(msg.text).toBe(`Printer jammed.\n${plain}`);
      expect(msg.parseWarnings).toEqual([]);
    }
    // outside multipart/alternative the sender's label stands
    const single = await parseMail(eml('From: a@example.com', 'Content-Type: text/plain', '', '<div>markup as sent</div>'), { limits });
    expect(single.text).toBe('<div>markup as sent</div>');
    expect(single.html).toBeNull();
  });
});
