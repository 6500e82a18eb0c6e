/**
 * Outlook's Thread-Index (src/mail/thread-index.ts) against real headers from public mail:
 * Exchange Online and Outlook values from mailing-list archives (each with the Date of the mail
 * that carried it) and Outlook 2003/2007 values from public write-ups. A child block we append
 * must read back as the time we made it, and must be the bytes Outlook itself wrote.
 */
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { composeMail, ComposeError, type OutboundMail } from '../../src/mail/compose.js';
import { guidFromName, MAX_THREAD_INDEX_CHARS, newThreadIndex, parseThreadIndex, withChildBlock } from '../../src/mail/thread-index.js';

/** The header block alone (a conversation's first mail) of a longer index. */
const headerBlockOf = (value: string) => Buffer.from(value, 'base64').subarray(0, 22).toString('base64');
const secondsBetween = (a: Date, b: Date) => (a.getTime() - b.getTime()) / 1000;

describe('reading real Thread-Index values', () => {
  it('reads a current-layout header block: reserved 0x01, FILETIME bits 24-63, the GUID', () => {
    // oss-security, "Grails Framework Remote Code Execution Vulnerability", Date: Wed, 20 Jul 2022 19:58:07 +0000
    const index = parseThreadIndex('AQHYnHLVENTK1UHdsEyeUwZej/8cmg==')!;
    expect(index).toMatchObject({ layout: 'current', children: [] });
    expect(index.startedAt.toISOString()).toBe('2022-07-20T19:56:42.118Z');
    // Started when the author began writing: before the Date, and the same day.
    expect(secondsBetween(new Date('2022-07-20T19:58:07Z'), index.startedAt)).toBeGreaterThan(0);
    expect(secondsBetween(new Date('2022-07-20T19:58:07Z'), index.startedAt)).toBeLessThan(300);
    expect(index.guid).toBe('10d4cad5-41dd-b04c-9e53-065e8fff1c9a');
  });

  it("reads an Exchange Online reply's child block as the time the reply was made", () => {
    // xen-devel, an Outlook reply to a patch sent 2019-09-26 18:38:08 (git send-email, no
    // Thread-Index: Exchange made the header block when it arrived). Date: Fri, 27 Sep 2019 11:56:21 +0000
    const index = parseThreadIndex('AQHVdJmSz7FwOb+ZL0aIExPYLyfVU6c/a/SA')!;
    expect(index.startedAt.toISOString()).toBe('2019-09-26T18:38:20.558Z');
    expect(index.children).toEqual([{ deltaCode: 1, timeDelta: 658467828, random: 8, sequence: 0, at: new Date('2019-09-27T11:56:20.219Z') }]);
    // To the long form's precision (2^23 ticks, 0.84 s) of the Date.
    expect(secondsBetween(new Date('2019-09-27T11:56:21Z'), index.children[0]!.at)).toBeLessThan(0.84);
  });

  it('reads a chain of replies in order, each before the mail that carries them', () => {
    // linux-pm, "RE: [PATCH v2 6/6] cpufreq:amd-pstate", Date: Fri, 2 Feb 2024 15:35:19 +0000;
    // the thread's cover letter went out at 2024-02-02 08:53:01 (its Message-ID's timestamp).
    const index = parseThreadIndex('AQHaVbXxn3uZQDIUQEWAqG1gtcTZ8LD3Kj8AgAAEkIA=')!;
    expect(index.startedAt.toISOString()).toBe('2024-02-02T08:58:08.160Z');
    expect(index.children.map((c) => c.at.toISOString())).toEqual(['2024-02-02T15:16:45.251Z', '2024-02-02T15:33:05.040Z']);
    expect(index.children.map((c) => c.deltaCode)).toEqual([1, 1]);
  });

  it('reads an Outlook 2003/2007 index (legacy layout: FILETIME bits 16-63, short-form children)', () => {
    // A public forum post decodes this one to "2013-09-03 07:26:58" on a UTC+2 clock.
    const index = parseThreadIndex('Ac52TvSLqL2n1+xFTLyFv0/vTSUlWgyF0E9Q')!;
    expect(index.layout).toBe('legacy');
    expect(index.children).toEqual([{ deltaCode: 0, timeDelta: 210096207, random: 5, sequence: 0, at: new Date('2013-09-03T05:26:58.268Z') }]);
    // Data1-3 big-endian, as the spec stores them: a version-4 GUID.
    expect(index.guid).toBe('a8bda7d7-ec45-4cbc-85bf-4fef4d25255a');
  });

  it('reads a 2007 thread whose every message extends the one before', () => {
    const thread = ['AcdyY+a08VX8xfobTsy61v9NHPZ7QA==', 'AcdyY+a08VX8xfobTsy61v9NHPZ7QAAAiXbA', 'AcdyY+a08VX8xfobTsy61v9NHPZ7QAAAiXbAAAXP5fw=', 'AcdyY+a08VX8xfobTsy61v9NHPZ7QAAAiXbAAAXP5fwAABGXGw=='];
    const last = parseThreadIndex(thread[3])!;
    expect(last.startedAt.toISOString()).toBe('2007-03-30T00:39:40.123Z');
    expect(last.children.map((c) => c.at.toISOString())).toEqual(['2007-03-30T00:55:02.608Z', '2007-03-30T03:41:27.699Z', '2007-03-30T03:43:25.742Z']);
    for (let i = 1; i < thread.length; i++) expect(parseThreadIndex(thread[i])!.children).toEqual(last.children.slice(0, i));
  });
});

describe('appending a child block', () => {
  it("writes exactly the child block Outlook wrote for a reply at that mail's Date", () => {
    const reply = 'AQHVdJmSz7FwOb+ZL0aIExPYLyfVU6c/a/SA'; // see above: Date 2019-09-27 11:56:21 +0000
    expect(withChildBlock(parseThreadIndex(headerBlockOf(reply))!, new Date('2019-09-27T11:56:21Z'), 8)).toBe(reply);
  });

  it('rebuilds an eight-reply Exchange thread byte for byte, child by child', () => {
    // xen-devel, "RFC: PCI devices passthrough on Arm design proposal", Date: Fri, 17 Jul 2020 14:01:10 +0000
    const value = 'AQHWW4kYTVU0hTDyYEitKlUuU5vZlKkKf2uAgAACLICAAR7YAIAAIxaAgAAB34CAAARBAIAAAV+AgAADXAA=';
    const thread = parseThreadIndex(value)!;
    let index = parseThreadIndex(headerBlockOf(value))!;
    // A child read back is floored to the millisecond: one more lands on the same block.
    for (const child of thread.children) index = parseThreadIndex(withChildBlock(index, new Date(child.at.getTime() + 1), child.random))!;
    expect(index.bytes.toString('base64')).toBe(value);
    expect(secondsBetween(new Date('2020-07-17T14:01:10Z'), thread.children.at(-1)!.at)).toBeLessThan(1);
  });

  it('uses the short form after a legacy header block, to 2^18 ticks (26 ms)', () => {
    const parent = parseThreadIndex('AcdyY+a08VX8xfobTsy61v9NHPZ7QA==')!;
    const at = new Date(parent.startedAt.getTime() + 15 * 60_000 + 123);
    const child = parseThreadIndex(withChildBlock(parent, at, 3))!.children[0]!;
    expect(child).toMatchObject({ deltaCode: 0, random: 3, sequence: 0 });
    expect(at.getTime() - child.at.getTime()).toBeGreaterThanOrEqual(0);
    expect(at.getTime() - child.at.getTime()).toBeLessThan(2 ** 18 / 10_000);
  });

  it('reads back the time of a child appended to a current index, reply after reply', () => {
    let index = parseThreadIndex(newThreadIndex(new Date('2026-11-30T07:47:12Z'), guidFromName('ticket-a')))!;
    const times = ['2026-11-30T07:47:13Z', '2026-11-30T09:06:00Z', '2026-12-09T16:20:31.5Z', '2028-03-01T00:00:00Z'].map((t) => new Date(t));
    for (const at of times) index = parseThreadIndex(withChildBlock(index, at, 0xf))!;
    expect(index.children).toHaveLength(4);
    index.children.forEach((child, i) => {
      expect(child).toMatchObject({ deltaCode: 1, random: 0xf, sequence: 0 });
      expect(times[i]!.getTime() - child.at.getTime()).toBeGreaterThanOrEqual(0);
      expect(times[i]!.getTime() - child.at.getTime()).toBeLessThan(2 ** 23 / 10_000);
    });
  });

  it('places a reply to a parent from the future at the parent, not before it', () => {
    const parent = parseThreadIndex(newThreadIndex(new Date('2027-01-01T00:00:00Z'), guidFromName('ticket-b')))!;
    const child = parseThreadIndex(withChildBlock(parent, new Date('2026-12-31T23:00:00Z'), 0))!.children[0]!;
    expect(Math.abs(child.at.getTime() - parent.startedAt.getTime())).toBeLessThan(2 ** 24 / 10_000);
  });

  it('keeps a full index within one header line: the conversation stays, the tree is cut', () => {
    let index = parseThreadIndex(newThreadIndex(new Date('2026-01-01T00:00:00Z'), guidFromName('long')))!;
    for (let i = 1; i <= 143; i++) index = parseThreadIndex(withChildBlock(index, new Date(Date.UTC(2026, 0, 1, 0, i)), 0))!;
    expect(index.bytes.toString('base64')).toHaveLength(MAX_THREAD_INDEX_CHARS);
    const next = parseThreadIndex(withChildBlock(index, new Date('2026-02-01T00:00:00Z'), 0))!;
    expect(next.bytes.subarray(0, 22).equals(index.bytes.subarray(0, 22))).toBe(true);
    expect(next.children).toHaveLength(1);
  });

  it('is deterministic: the same parent, time and random bits give the same bytes', () => {
    const parent = parseThreadIndex('AQHdgJ8CHux74qS5un7EXs5hXFCauw==')!;
    const at = new Date('2026-11-30T07:47:15.250Z');
    expect(withChildBlock(parent, at, 9)).toBe(withChildBlock(parseThreadIndex('AQHdgJ8CHux74qS5un7EXs5hXFCauw==')!, new Date(at), 9));
  });
});

describe('starting a conversation', () => {
  it('writes a current-layout header block that reads back as its start and GUID', () => {
    const guid = guidFromName('T#0a1b2c');
    const value = newThreadIndex(new Date('2026-11-02T09:12:47Z'), guid);
    expect(value.slice(0, 3)).toBe('AQH'); // 0x01, then FILETIME's top byte 0x01: as every Outlook since 2010
    const index = parseThreadIndex(value)!;
    expect(index).toMatchObject({ layout: 'current', children: [] });
    expect(index.bytes.subarray(6).equals(Buffer.from(guid))).toBe(true);
    const behind = new Date('2026-11-02T09:12:47Z').getTime() - index.startedAt.getTime();
    expect(behind).toBeGreaterThanOrEqual(0);
    expect(behind).toBeLessThan(2 ** 24 / 10_000);
  });

  it('names one GUID per ticket: version 8 (name-based), RFC 9562 variant', () => {
    const guid = parseThreadIndex(newThreadIndex(new Date('2026-11-02T09:12:47Z'), guidFromName('T#1')))!.guid;
    expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Buffer.from(guidFromName('T#1')).equals(Buffer.from(guidFromName('T#1')))).toBe(true);
    expect(Buffer.from(guidFromName('T#1')).equals(Buffer.from(guidFromName('T#2')))).toBe(false);
  });
});

describe('malformed Thread-Index values are ignored, never thrown', () => {
  it.each([
    ['empty', ''],
    ['not base64', 'AQHdgJ8C!ux74qS5un7EXs5hXFCauw=='],
    ['no padding (a truncated header)', 'AQHdgJ8CHux74qS5un7EXs5hXFCauw'],
    ['21 bytes', 'AQHdgXK1c0Wv9mRt2LhAo7Nq5zYx'],
    ['a header block and 3 stray bytes', 'AQHdgJ8CHux74qS5un7EXs5hXFCau6qqqg=='],
    ['stray bits in the padding', 'AQHdgJ8CHux74qS5un7EXs5hXFCauz=='],
    ['first byte not 0x01', 'AgHdgJ8CHux74qS5un7EXs5hXFCauw=='],
    ['longer than a header line', `AQH${'A'.repeat(100 * 1024 - 3)}`],
    ['absent', undefined],
  ])('%s', (_, value) => {
    expect(parseThreadIndex(value)).toBeNull();
  });

  it('reads a value folded over two lines (white space inside)', () => {
    expect(parseThreadIndex('AQHdgJ8CHux74qS5un7E\r\n Xs5hXFCauw==')?.guid).toBe(parseThreadIndex('AQHdgJ8CHux74qS5un7EXs5hXFCauw==')!.guid);
  });
});

describe('composed mail carries the conversation headers', () => {
  const base: OutboundMail = {
    from: { name: 'Northwind IT', address: 'support@northwind.example' },
    to: ['sanne.devries@northwind.example'],
    cc: [],
    replyTo: 'support+tkt-1@northwind.example',
    subject: 'Re: [TKT-1] Kantoor "Amstel": scherm blijft zwart – ÄÖÜ',
    messageId: 'ack.1de674f8f3f98e87392a198d@northwind.example',
    inReplyTo: 'AS4PR07MB8713A0E5C1B27D3E9F4A6C12D9B3A@AS4PR07MB8713.eurprd07.prod.outlook.com',
    references: [],
    text: 'Thanks',
    html: '<p>Thanks</p>',
    date: new Date('2026-12-01T08:14:12Z'),
  };

  it('writes Thread-Index as given and Thread-Topic as encoded words when it needs them', async () => {
    const threadIndex = 'AQHdgWvw+Nyz/0QNQi6fjjRnDnxZerdH1Q3g';
    const raw = await composeMail({ ...base, threadIndex, threadTopic: 'Kantoor "Amstel": scherm blijft zwart – ÄÖÜ' });
    const head = raw.toString('latin1').split('\r\n\r\n')[0]!;
    expect(head).toContain(`\r\nThread-Index: ${threadIndex}\r\n`);
    const parsed = await simpleParser(raw);
    expect(parsed.headers.get('thread-index')).toBe(threadIndex);
    expect(head).toMatch(/\r\nThread-Topic: =\?UTF-8\?B\?/);
  });

  it('writes neither header for a mail on no conversation (a plan made before they existed)', async () => {
    const head = (await composeMail(base)).toString('latin1').split('\r\n\r\n')[0]!;
    expect(head).not.toMatch(/^Thread-(Index|Topic):/im);
  });

  it('refuses a Thread-Index that is not one (no header injection through a plan)', async () => {
    await expect(composeMail({ ...base, threadIndex: 'AQHd\r\nBcc: x@example.com', threadTopic: 't' })).rejects.toBeInstanceOf(ComposeError);
  });
});
