/**
 * A deterministic corpus of malformed and adversarial inbound mail, for proving that bad input
 * gets a clear answer and loses nothing (test/integration/hostile-input.test.ts).
 *
 * Every case is built from a seed with a tiny PRNG of our own (mulberry32), on top of real mails
 * from `fixtures/mail/` (mutated) or synthetic mails shaped like what Outlook, Gmail and
 * Thunderbird send. Each case gets its own sender address and Message-ID, so cases never thread
 * onto, merge with or rate-limit each other: every one exercises the whole inbound path.
 *
 * Injection cases carry a unique marker header name (`X-Injected-<n>`, in `injectedMarker`)
 * smuggled into a field we echo back; that name must never show up as a header in what we send.
 *
 * Everything is handled as latin1 strings (one char per byte), so arbitrary bytes round-trip.
 */
import { readFileSync } from 'node:fs';
import { mulberry32 } from './random.js';

export type HostileCategory =
  | 'truncation'
  | 'boundary'
  | 'nesting'
  | 'many-parts'
  | 'nul-bytes'
  | 'bad-base64'
  | 'bad-quoted-printable'
  | 'overlong-header'
  | 'overlong-body'
  | 'injection'
  | 'charset'
  | 'framing'
  | 'duplicate-headers'
  | 'transfer-encoding'
  | 'filename'
  | 'random-mutation';

export interface HostileCase {
  /** Unique, stable for a seed: `<category>/<what>`. */
  name: string;
  category: HostileCategory;
  raw: Buffer;
  /** For injection cases: the header name that must never appear as a header in what we send. */
  injectedMarker?: string;
}

export const DEFAULT_SEED = 0x5eed_2026;

// ---------------------------------------------------------------------------------------------
// PRNG

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** Integer in [min, max). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * Math.max(1, max - min));
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length)] as T;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ---------------------------------------------------------------------------------------------
// Small MIME helpers on latin1 strings

const CRLF = '\r\n';
const b64 = (text: string, encoding: BufferEncoding = 'utf8') => Buffer.from(text, encoding).toString('base64');
const latin1 = (text: string) => Buffer.from(text, 'latin1');
/** A UTF-8 string as latin1 chars (its bytes), to put into a latin1-built mail. */
const utf8Bytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

function wrap(text: string, width = 76): string {
  const lines: string[] = [];
  for (let at = 0; at < text.length; at += width) lines.push(text.slice(at, at + width));
  return lines.join(CRLF);
}

interface Split {
  head: string;
  /** The separator and everything after it ('' when the mail has no body). */
  rest: string;
}

function splitMail(raw: string): Split {
  const at = raw.search(/\r?\n\r?\n/);
  return at === -1 ? { head: raw, rest: '' } : { head: raw.slice(0, at), rest: raw.slice(at) };
}

/** Header fields of a head, each with its continuation lines. */
function fields(head: string): string[] {
  const out: string[] = [];
  for (const line of head.split(/\r\n/)) {
    if (/^[ \t]/.test(line) && out.length) out[out.length - 1] += CRLF + line;
    else out.push(line);
  }
  return out;
}

const isField = (field: string, name: string) => field.toLowerCase().startsWith(`${name.toLowerCase()}:`);

/** Replaces the first field of that name (others of that name are removed), or appends it. */
function setHeader(raw: string, name: string, value: string): string {
  const { head, rest } = splitMail(raw);
  const list = fields(head);
  const at = list.findIndex((f) => isField(f, name));
  const kept = list.filter((f, i) => i === at || !isField(f, name));
  const line = `${name}: ${value}`;
  const index = kept.findIndex((f) => isField(f, name));
  if (index === -1) kept.push(line);
  else kept[index] = line;
  return kept.join(CRLF) + rest;
}

function getHeader(raw: string, name: string): string | undefined {
  const field = fields(splitMail(raw).head).find((f) => isField(f, name));
  return field?.slice(name.length + 1).replace(/\r\n[ \t]/g, ' ').trim();
}

function removeHeader(raw: string, name: string): string {
  const { head, rest } = splitMail(raw);
  return fields(head)
    .filter((f) => !isField(f, name))
    .join(CRLF) + rest;
}

/** Inserts header lines just before the first field of that name (or at the end of the head). */
function insertBefore(raw: string, name: string, lines: string[]): string {
  const { head, rest } = splitMail(raw);
  const list = fields(head);
  const at = list.findIndex((f) => isField(f, name));
  list.splice(at === -1 ? list.length : at, 0, ...lines);
  return list.join(CRLF) + rest;
}

function boundaryOf(raw: string): string | undefined {
  const type = getHeader(raw, 'Content-Type') ?? '';
  return /boundary="?([^";]+)"?/i.exec(type)?.[1];
}

// ---------------------------------------------------------------------------------------------
// Base mails

const fixtureDir = new URL('../../fixtures/mail/', import.meta.url);
const BASE_FILES = [
  '01-outlook-new-vpn-down.eml', // multipart/alternative, quoted-printable
  '05-thunderbird-new-wifi-log.eml', // multipart/mixed, base64 log attachment
  '06-gmail-new-auditor-access-pdf.eml', // mixed > alternative + base64 PDF
  '07-apple-mail-new-inline-screenshot.eml', // alternative > related + inline PNG
  '14-becky-shift-jis-new-expense-login.eml', // single part, Shift_JIS 8bit
  '24-outlook-ios-new-emoji-laptop-fan.eml', // base64 UTF-8 text and HTML
  '26-outlook-iso-8859-1-share-access.eml', // ISO-8859-1 encoded-word subject
] as const;

type BaseName = (typeof BASE_FILES)[number];

const baseCache = new Map<string, string>();
function base(name: BaseName): string {
  let raw = baseCache.get(name);
  if (raw === undefined) {
    raw = readFileSync(new URL(name, fixtureDir)).toString('latin1');
    baseCache.set(name, raw);
  }
  return raw;
}

// ---------------------------------------------------------------------------------------------
// The generator

const SUPPORT = 'IT Support <support@northwind.example>';
const DATE = 'Mon, 23 Nov 2026 07:58:12 +0000';
const BODY = [
  'Hi IT,',
  '',
  'since this morning my laptop (NW-LT-0412) cannot connect to the VPN. The client',
  'says "error 809" after about 30 seconds. I am working from home today.',
  '',
  'Thanks,',
  'Dana',
].join(CRLF);

export function* hostileMail(seed = DEFAULT_SEED): Generator<HostileCase> {
  const rng = new Rng(seed);
  const tag = (seed >>> 0).toString(16);
  let n = 0;
  let markers = 0;
  const names = new Set<string>();

  /** Unique per case: whom it is from and its Message-ID. */
  const id = () => `hostile-${n}.${tag}@mail.contoso.example`;
  const sender = (local = 'dana.whitfield') => `${local}.h${n}@contoso.example`;
  const marker = () => `X-Injected-${++markers}`;

  const make = (category: HostileCategory, what: string, raw: string | Buffer, injectedMarker?: string): HostileCase => {
    const name = `${category}/${what}`;
    if (names.has(name)) throw new Error(`duplicate hostile case name ${name}`);
    names.add(name);
    n++;
    return { name, category, raw: typeof raw === 'string' ? latin1(raw) : raw, ...(injectedMarker ? { injectedMarker } : {}) };
  };

  /** A real fixture mail with this case's own From address and Message-ID (in place). */
  const personal = (file: BaseName): string => {
    let raw = base(file);
    const from = getHeader(raw, 'From') ?? '';
    const m = /^(.*?)<([^<>@]+)@[^<>]+>\s*$/.exec(from);
    const name = (m?.[1] ?? '').trim();
    const local = m?.[2] ?? 'someone';
    raw = setHeader(raw, 'From', `${name ? `${name} ` : ''}<${sender(local)}>`);
    // a reply's thread headers point at tickets this table never had: kept, they are realistic
    return setHeader(raw, 'Message-ID', `<${id()}>`);
  };

  interface SynthOptions {
    from?: string | null;
    subject?: string | null;
    messageId?: string | null;
    /** Extra header lines, after the standard ones. */
    extra?: string[];
    /** Content headers (default: text/plain UTF-8, 7bit). */
    content?: string[];
    body?: string;
  }
  /** A synthetic mail shaped like what a client hands to SES (SES's own headers on top). */
  const synth = (o: SynthOptions = {}): string => {
    const from = o.from === undefined ? `Dana Whitfield <${sender()}>` : o.from;
    const subject = o.subject === undefined ? 'VPN error 809 since this morning' : o.subject;
    const messageId = o.messageId === undefined ? `<${id()}>` : o.messageId;
    const lines = [
      `Return-Path: <${sender()}>`,
      'Received: from mail-eopbgr80078.outbound.protection.outlook.com (mail-eopbgr80078.outbound.protection.outlook.com [40.107.8.78])',
      ' by inbound-smtp.eu-west-1.amazonaws.com with SMTP id 0q1r2s3t4u5v6w7x8y9z',
      ` for support@northwind.example; ${DATE}`,
      'X-SES-Spam-Verdict: PASS',
      'X-SES-Virus-Verdict: PASS',
      ...(from === null ? [] : [`From: ${from}`]),
      `To: ${SUPPORT}`,
      ...(subject === null ? [] : [`Subject: ${subject}`]),
      `Date: ${DATE}`,
      ...(messageId === null ? [] : [`Message-ID: ${messageId}`]),
      ...(o.extra ?? []),
      'MIME-Version: 1.0',
      ...(o.content ?? ['Content-Type: text/plain; charset="utf-8"', 'Content-Transfer-Encoding: 7bit']),
    ];
    return lines.join(CRLF) + CRLF + CRLF + (o.body ?? BODY + CRLF);
  };

  /** A multipart/mixed mail: the text part plus the given parts (each "headers\r\n\r\nbody"). */
  const mixed = (parts: string[], o: SynthOptions & { boundary?: string; close?: boolean } = {}): string => {
    const boundary = o.boundary ?? `----=_Part_${n}_${tag}.1795000000000`;
    const body =
      'This is a multi-part message in MIME format.' +
      CRLF +
      [`Content-Type: text/plain; charset="utf-8"${CRLF}Content-Transfer-Encoding: 7bit${CRLF}${CRLF}${BODY}${CRLF}`, ...parts]
        .map((part) => `--${boundary}${CRLF}${part}`)
        .join(CRLF) +
      (o.close === false ? '' : `${CRLF}--${boundary}--${CRLF}`);
    return synth({ ...o, content: [`Content-Type: multipart/mixed; boundary="${boundary}"`], body });
  };

  const attachment = (filenameParams: string, content = b64('Nov 23 07:51:02 vpn client: error 809\n'), type = 'text/plain') =>
    `Content-Type: ${type}${CRLF}Content-Disposition: attachment; ${filenameParams}${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}${wrap(content)}${CRLF}`;

  // ---- truncation: real mails cut at chosen and random byte offsets --------------------------
  for (const file of BASE_FILES) {
    const short = file.slice(0, 2);
    const offsets: [string, number][] = [];
    {
      const raw = personal(file);
      const headEnd = splitMail(raw).head.length;
      offsets.push(['mid-header', rng.int(40, headEnd - 1)]);
      offsets.push(['at-header-end', headEnd + 2]); // CRLF of the blank line cut in half
      const boundary = boundaryOf(raw);
      if (boundary) {
        const at = raw.indexOf(`--${boundary}`, headEnd);
        const later = raw.indexOf(`--${boundary}`, at + 1);
        offsets.push(['mid-boundary', at + 2 + rng.int(1, boundary.length)]);
        if (later !== -1) offsets.push(['mid-second-boundary', later + 2 + rng.int(1, boundary.length)]);
        const close = raw.lastIndexOf(`--${boundary}--`);
        if (close !== -1) offsets.push(['before-closing-dashes', close + 2 + boundary.length]);
      }
      const b64At = raw.search(/Content-Transfer-Encoding: base64\r\n(?:[^\r\n]+\r\n)*\r\n/i);
      if (b64At !== -1) {
        const start = raw.indexOf(CRLF + CRLF, b64At) + 4;
        const end = raw.indexOf(CRLF + '--', start);
        offsets.push(['mid-base64', start + rng.int(1, Math.max(2, (end === -1 ? raw.length : end) - start))]);
      }
      offsets.push(['random-1', rng.int(1, raw.length)]);
      offsets.push(['random-2', rng.int(1, raw.length)]);
    }
    for (const [what, at] of offsets) {
      const raw = personal(file);
      yield make('truncation', `${short}-${what}-at-${at}`, raw.slice(0, at));
    }
  }
  yield make('truncation', 'synthetic-inside-encoded-word', (() => {
    const raw = synth({ subject: '=?utf-8?q?VPN_f=C3=A4llt_st=C3=A4ndig_aus?=' });
    return raw.slice(0, raw.indexOf('st=C3') + 4); // ends in "=C", half an escape
  })());
  yield make('truncation', 'synthetic-after-boundary-param', mixed([attachment('filename="vpn.log"')]).replace(/(boundary=")[\s\S]*$/, '$1'));
  yield make('truncation', 'synthetic-inside-crlf', (() => {
    const raw = synth();
    return raw.slice(0, raw.indexOf(CRLF + CRLF) + 1);
  })());

  // ---- boundary: wrong, missing, unclosed, overlong, prefix ------------------------------------
  yield make('boundary', 'declared-never-used', mixed([attachment('filename="vpn.log"')]).replace(/boundary="[^"]+"/, 'boundary="never-used-3f9a"'));
  {
    const raw = personal('05-thunderbird-new-wifi-log.eml');
    yield make('boundary', 'real-declared-never-used', raw.replace(/boundary="[^"]+"/, 'boundary="------------XXXXXXXXXXXXXXXXXXXXXXXX"'));
  }
  yield make('boundary', 'never-closed', mixed([attachment('filename="vpn.log"')], { close: false }));
  {
    const raw = personal('06-gmail-new-auditor-access-pdf.eml');
    yield make('boundary', 'real-never-closed', raw.replace(/\r\n--[^\r\n]+--\r\n(?![\s\S]*\r\n--[^\r\n]+--\r\n)/, CRLF));
  }
  {
    const raw = personal('06-gmail-new-auditor-access-pdf.eml');
    yield make('boundary', 'real-no-closing-at-all', raw.replace(/(\r\n--[^\r\n]+)--(?=\r\n)/g, '$1'));
  }
  yield make('boundary', 'parameter-missing', mixed([attachment('filename="vpn.log"')]).replace(/; boundary="[^"]+"/, ''));
  {
    const raw = personal('01-outlook-new-vpn-down.eml');
    yield make('boundary', 'real-parameter-missing', raw.replace(/;\s*boundary="[^"]+"/, ''));
  }
  yield make('boundary', 'empty-parameter', mixed([attachment('filename="vpn.log"')]).replace(/boundary="[^"]+"/, 'boundary=""'));
  yield make('boundary', 'longer-than-70', mixed([attachment('filename="vpn.log"')], { boundary: `=_long_${'b'.repeat(200)}` }));
  yield make('boundary', 'ten-kilobytes-long', mixed([attachment('filename="vpn.log"')], { boundary: `=_long_${'k'.repeat(10_240)}` }));
  {
    // the outer boundary is a prefix of the inner one: "--outer" starts every inner delimiter line
    const outer = `prefix_${n}`;
    const inner = `${outer}_inner`;
    const alt = `Content-Type: multipart/alternative; boundary="${inner}"${CRLF}${CRLF}--${inner}${CRLF}Content-Type: text/plain${CRLF}${CRLF}plain text${CRLF}--${inner}${CRLF}Content-Type: text/html${CRLF}${CRLF}<p>html</p>${CRLF}--${inner}--${CRLF}`;
    yield make('boundary', 'outer-is-prefix-of-inner', mixed([alt, attachment('filename="vpn.log"')], { boundary: outer }));
  }
  {
    const inner = `prefix_${n}`;
    const outer = `${inner}_outer`;
    const alt = `Content-Type: multipart/alternative; boundary="${inner}"${CRLF}${CRLF}--${inner}${CRLF}Content-Type: text/plain${CRLF}${CRLF}plain text${CRLF}--${inner}${CRLF}Content-Type: text/html${CRLF}${CRLF}<p>html</p>${CRLF}--${inner}--${CRLF}`;
    yield make('boundary', 'inner-is-prefix-of-outer', mixed([alt, attachment('filename="vpn.log"')], { boundary: outer }));
  }
  {
    const b = `same_${n}`;
    const alt = `Content-Type: multipart/alternative; boundary="${b}"${CRLF}${CRLF}--${b}${CRLF}Content-Type: text/plain${CRLF}${CRLF}inner${CRLF}--${b}--${CRLF}`;
    yield make('boundary', 'inner-reuses-outer', mixed([alt, attachment('filename="vpn.log"')], { boundary: b }));
  }
  yield make('boundary', 'no-parts-only-closing', synth({ content: ['Content-Type: multipart/mixed; boundary="empty"'], body: `preamble only${CRLF}--empty--${CRLF}` }));
  yield make('boundary', 'no-delimiters-at-all', synth({ content: ['Content-Type: multipart/mixed; boundary="abc"'], body: BODY + CRLF }));
  yield make('boundary', 'with-spaces-and-quotes', mixed([attachment('filename="vpn.log"')], { boundary: 'a "b" c ' }));
  yield make('boundary', 'whitespace-after-delimiter', mixed([attachment('filename="vpn.log"')]).replace(/(\r\n--[^\r\n]+)(\r\n)/g, `$1 \t $2`));
  yield make('boundary', 'multipart-on-attachment-part', mixed([`Content-Type: multipart/mixed; boundary="ghost"${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}${b64('--ghost\r\n\r\nhello\r\n--ghost--\r\n')}${CRLF}`]));

  // ---- nesting ----------------------------------------------------------------------------------
  const nestedMultipart = (depth: number): string => {
    let inner = `Content-Type: text/plain; charset=utf-8${CRLF}${CRLF}${BODY}${CRLF}`;
    for (let level = depth; level >= 1; level--) {
      const b = `nest${level}`;
      inner = `Content-Type: multipart/mixed; boundary="${b}"${CRLF}${CRLF}--${b}${CRLF}${inner}${CRLF}--${b}--${CRLF}`;
    }
    const { head, rest } = splitMail(inner);
    return synth({ content: [head], body: rest.replace(/^\r\n\r\n/, '') });
  };
  for (const depth of [101, 250, 1000]) yield make('nesting', `multipart-${depth}-levels`, nestedMultipart(depth));
  const nestedRfc822 = (depth: number): string => {
    let inner = synth({ body: BODY + CRLF });
    for (let level = 0; level < depth; level++) {
      inner = synth({ subject: `Fwd: level ${level}`, content: ['Content-Type: message/rfc822'], body: inner, messageId: `<nest-${level}.${id()}>` });
    }
    return inner;
  };
  for (const depth of [20, 120]) yield make('nesting', `message-rfc822-${depth}-levels`, nestedRfc822(depth));
  {
    let inner = `Content-Type: text/plain${CRLF}${CRLF}${BODY}${CRLF}`;
    for (let level = 100; level >= 1; level--) {
      const b = `alt${level}`;
      const wrapper = level % 2 ? `Content-Type: message/rfc822${CRLF}${CRLF}From: <x${level}@contoso.example>${CRLF}Subject: lvl ${level}${CRLF}` : '';
      inner = `${wrapper}Content-Type: multipart/alternative; boundary="${b}"${CRLF}${CRLF}--${b}${CRLF}${inner}${CRLF}--${b}--${CRLF}`;
    }
    yield make('nesting', 'alternating-rfc822-multipart-100', mixed([inner]));
  }
  yield make('nesting', 'unclosed-1000-levels', nestedMultipart(1000).replace(/\r\n--nest\d+--\r\n/g, CRLF));

  // ---- many parts -------------------------------------------------------------------------------
  {
    const parts = Array.from({ length: 10_000 }, (_, i) => `Content-Type: text/plain${CRLF}${CRLF}line ${i}${CRLF}`);
    yield make('many-parts', '10000-tiny-text-parts', mixed(parts));
  }
  {
    const parts = Array.from({ length: 10_000 }, () => CRLF);
    yield make('many-parts', '10000-empty-parts', mixed(parts));
  }
  {
    const parts = Array.from({ length: 1_000 }, (_, i) => attachment(`filename="part-${i}.txt"`, b64(`${i}\n`)));
    yield make('many-parts', '1000-tiny-attachments', mixed(parts));
  }

  // ---- NUL bytes ----------------------------------------------------------------------------------
  yield make('nul-bytes', 'in-subject', synth({ subject: 'VPN\0 error\0 809' }));
  yield make('nul-bytes', 'in-from-display-name', synth({ from: `Dana\0 Whitfield <${sender()}>` }));
  yield make('nul-bytes', 'in-from-address', synth({ from: `Dana Whitfield <dana\0.h${n}@contoso.example>` }));
  yield make('nul-bytes', 'in-message-id', synth({ messageId: `<hostile\0-${n}@mail.contoso.example>` }));
  yield make('nul-bytes', 'in-references', synth({ extra: [`References: <a\0b@contoso.example> <root-${n}@contoso.example>`, `In-Reply-To: <x\0y@contoso.example>`] }));
  yield make('nul-bytes', 'in-header-name', synth({ extra: ['X-Mailer\0Evil: yes', '\0: nameless'] }));
  yield make('nul-bytes', 'in-plain-body', synth({ body: BODY.replace(/ /g, ' \0') + CRLF }));
  yield make('nul-bytes', 'in-base64-body', synth({ content: ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64'], body: wrap(b64(`Hi\0IT\0\0\0, VPN\0 error 809\n`)) + CRLF }));
  yield make('nul-bytes', 'in-html-body', synth({ content: ['Content-Type: text/html; charset=utf-8'], body: `<p>Hi\0 IT</p><p>VPN\0<b\0>error</b> 809</p>${CRLF}` }));
  yield make('nul-bytes', 'in-attachment-filename', mixed([attachment(`filename="vpn\0.log"`)]));
  yield make('nul-bytes', 'in-boundary', mixed([attachment('filename="vpn.log"')], { boundary: `nul\0boundary${n}` }));
  yield make('nul-bytes', 'real-mail-sprinkled', (() => {
    const chars = personal('24-outlook-ios-new-emoji-laptop-fan.eml').split('');
    for (let i = 0; i < 40; i++) chars.splice(rng.int(0, chars.length), 0, '\0');
    return chars.join('');
  })());

  // ---- bad base64 -------------------------------------------------------------------------------
  const b64Text = (body: string) => synth({ content: ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64'], body: body + CRLF });
  const good = wrap(b64(`${BODY.replace(/\r\n/g, '\n')}\n`));
  yield make('bad-base64', 'invalid-characters', b64Text(good.replace(/[A-Z]/g, (c) => (rng.chance(0.1) ? '!' : c))));
  yield make('bad-base64', 'wrong-padding', b64Text(`${good.replace(/=+$/, '')}===`));
  yield make('bad-base64', 'padding-in-the-middle', b64Text(good.replace(/(.{20})/, '$1==')));
  yield make('bad-base64', 'truncated-mid-quad', b64Text(good.slice(0, good.length - 3)));
  yield make('bad-base64', 'single-char', b64Text('Q'));
  yield make('bad-base64', 'binary-not-base64', b64Text(Array.from({ length: 600 }, () => String.fromCharCode(rng.int(0, 256))).join('')));
  yield make('bad-base64', 'attachment-invalid', mixed([attachment('filename="vpn.log"', '@@@@ this is not base64 %%%% ####')]));
  yield make('bad-base64', 'attachment-truncated', mixed([attachment('filename="vpn.log"', b64('x'.repeat(300)).slice(0, 201))]));
  yield make('bad-base64', 'encoded-word-subject', synth({ subject: '=?utf-8?b?VlBO!IGVycm9y*?=' }));
  {
    const raw = personal('06-gmail-new-auditor-access-pdf.eml');
    yield make('bad-base64', 'real-pdf-corrupted', raw.replace(/(Content-Transfer-Encoding: base64\r\n(?:[^\r\n]+\r\n)*\r\n)([^\r\n]+)/i, (_m, h: string, line: string) => h + line.replace(/[a-m]/g, '~')));
  }

  // ---- bad quoted-printable ---------------------------------------------------------------------
  const qpText = (body: string) => synth({ content: ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable'], body });
  yield make('bad-quoted-printable', 'invalid-escape', qpText(`Hi IT, the VPN =ZZ says error 809 =G1=\r\n${BODY}\r\n`));
  yield make('bad-quoted-printable', 'soft-break-at-end', qpText(`${BODY}=`));
  yield make('bad-quoted-printable', 'lone-equals-at-end', qpText(`${BODY}\r\n=`));
  yield make('bad-quoted-printable', 'lowercase-and-partial', qpText(`caf=e9 =c3=a9 =C3 =\r\n=3${CRLF}`));
  yield make('bad-quoted-printable', 'one-100kb-line-no-soft-breaks', qpText(`${'VPN=20error=20809 '.repeat(5_700)}\r\n`));
  yield make('bad-quoted-printable', 'soft-break-before-boundary', mixed([`Content-Type: text/plain; charset=utf-8${CRLF}Content-Transfer-Encoding: quoted-printable${CRLF}${CRLF}dangling soft break=`]));
  yield make('bad-quoted-printable', 'encoded-word-subject', synth({ subject: '=?utf-8?q?VPN_=ZZerror_=C3?=' }));
  {
    const raw = personal('01-outlook-new-vpn-down.eml');
    yield make('bad-quoted-printable', 'real-mail-broken-escapes', raw.replace(/=\r\n/g, '=Z\r\n').replace(/=3D/g, '=3'));
  }

  // ---- overlong headers -------------------------------------------------------------------------
  yield make('overlong-header', 'x-header-100kb', synth({ extra: [`X-Long: ${'a'.repeat(100 * 1024)}`] }));
  yield make('overlong-header', 'subject-100kb', synth({ subject: `VPN error 809 ${'and again '.repeat(10_240)}` }));
  yield make('overlong-header', 'subject-100kb-folded', synth({ subject: Array.from({ length: 2_000 }, () => 'VPN error 809 again').join(`${CRLF} `) }));
  yield make('overlong-header', 'from-display-name-100kb', synth({ from: `"${'Dana '.repeat(20_480)}" <${sender()}>` }));
  yield make('overlong-header', 'references-5000-ids', synth({ extra: [`References: ${Array.from({ length: 5_000 }, (_, i) => `<ref-${i}.${n}@contoso.example>`).join(`${CRLF} `)}`] }));
  yield make('overlong-header', '5000-header-lines', synth({ extra: Array.from({ length: 5_000 }, (_, i) => `X-Trace-${i}: hop ${i}`) }));
  yield make('overlong-header', '1990-header-lines-just-under-limit', synth({ extra: Array.from({ length: 1_970 }, (_, i) => `X-Trace-${i}: hop ${i}`) }));
  yield make('overlong-header', 'one-field-10000-continuation-lines', synth({ extra: [`X-Folded: start${Array.from({ length: 10_000 }, (_, i) => `${CRLF} part ${i}`).join('')}`] }));
  yield make('overlong-header', 'header-block-over-1mb', synth({ extra: Array.from({ length: 1_200 }, (_, i) => `X-Big-${i}: ${'z'.repeat(1_000)}`) }));
  yield make('overlong-header', 'header-name-20kb', synth({ extra: [`X-${'N'.repeat(20 * 1024)}: value`] }));
  yield make('overlong-header', '1500-unknown-charset-encoded-words', synth({ extra: Array.from({ length: 1_500 }, (_, i) => `X-Label-${i}: =?x-unknown-${i}?q?label?=`) }));
  yield make('overlong-header', '1500-latin1-header-names', synth({ extra: Array.from({ length: 1_500 }, (_, i) => `X-Note-${i}: Gr\xfc\xdfe ${i}`) }));
  {
    const raw = personal('01-outlook-new-vpn-down.eml');
    yield make('overlong-header', 'real-mail-100kb-thread-index', setHeader(raw, 'Thread-Index', 'A'.repeat(100 * 1024)));
  }

  // ---- overlong body lines and huge bodies ------------------------------------------------------
  yield make('overlong-body', 'plain-3mb-single-line', synth({ body: `${'VPN error 809. '.repeat(200_000)}\r\n` }));
  yield make('overlong-body', 'html-2mb-single-line', synth({ content: ['Content-Type: text/html; charset=utf-8'], body: `<html><body>${'<span>VPN error 809</span> '.repeat(80_000)}</body></html>\r\n` }));
  yield make('overlong-body', 'base64-attachment-one-2mb-line', mixed([`Content-Type: application/octet-stream${CRLF}Content-Disposition: attachment; filename="dump.bin"${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}${Buffer.alloc(1_500_000, 7).toString('base64')}${CRLF}`]));
  yield make('overlong-body', 'pasted-log-600kb', synth({ body: `${BODY}${CRLF}${CRLF}${Array.from({ length: 8_000 }, (_, i) => `2026-11-23T07:${String(i % 60).padStart(2, '0')}:00Z vpnagent[4411]: IKEv2 negotiation failed, error 809 (attempt ${i})`).join(CRLF)}${CRLF}` }));

  // ---- injection in every field we echo ---------------------------------------------------------
  {
    const subjectInjections: [string, (m: string) => string][] = [
      ['q-encoded-crlf', (m) => `=?utf-8?q?Help=0D=0A${m}:_yes?=`],
      ['q-encoded-crlf-bcc', (m) => `=?utf-8?q?Help=0D=0ABcc:_x@evil.test=0D=0A${m}:_yes?=`],
      ['b-encoded-crlf', (m) => `=?utf-8?b?${b64(`hi\r\n${m}: yes`)}?=`],
      ['b-encoded-lf', (m) => `=?utf-8?b?${b64(`VPN down\n${m}: yes`)}?=`],
      ['b-encoded-cr', (m) => `=?utf-8?b?${b64(`VPN down\r${m}: yes`)}?=`],
      ['q-encoded-blank-line', (m) => `=?utf-8?q?a=0D=0A=0D=0A${m}:_yes?=`],
      ['b-encoded-nul-crlf', (m) => `=?utf-8?b?${b64(`VPN\0\r\n${m}: yes`)}?=`],
      ['b-encoded-unicode-line-separators', (m) => `=?utf-8?b?${b64(`VPN\u2028${m}: yes\u0085${m}: again`)}?=`],
      ['latin1-encoded-crlf', (m) => `=?iso-8859-1?q?Caf=E9=0D=0A${m}:_yes?=`],
      ['split-across-encoded-words', (m) => `=?utf-8?q?Help=0D?= =?utf-8?q?=0A${m}:_yes?=`],
      ['raw-bare-cr', (m) => `VPN down\r${m}: yes`],
      ['raw-bare-lf', (m) => `VPN down\n${m}: yes`],
    ];
    for (const [what, value] of subjectInjections) {
      const m = marker();
      yield make('injection', `subject-${what}`, synth({ subject: value(m) }), m);
    }
    const fromInjections: [string, (m: string) => string][] = [
      ['q-encoded-crlf', (m) => `=?utf-8?q?Dana=0D=0A${m}:_yes?= <${sender()}>`],
      ['b-encoded-crlf', (m) => `=?utf-8?b?${b64(`Dana\r\n${m}: yes`)}?= <${sender()}>`],
      ['raw-bare-cr-in-quotes', (m) => `"Dana\r${m}: yes" <${sender()}>`],
      ['raw-bare-lf', (m) => `Dana\n${m}: yes <${sender()}>`],
      ['encoded-address-in-name', (m) => `=?utf-8?q?x=0D=0A${m}:_yes_<attacker@evil.test>?= <${sender()}>`],
    ];
    for (const [what, value] of fromInjections) {
      const m = marker();
      yield make('injection', `from-name-${what}`, synth({ from: value(m) }), m);
    }
    const replyToInjections: [string, (m: string) => string][] = [
      ['q-encoded-name-crlf', (m) => `=?utf-8?q?Help=0D=0A${m}:_yes?= <${sender('dana.reply')}>`],
      ['b-encoded-name-crlf', (m) => `=?utf-8?b?${b64(`Desk\r\n${m}: yes`)}?= <${sender('dana.reply')}>`],
      ['encoded-word-address', (m) => `=?utf-8?q?a=0D=0A${m}:_yes=40evil.test?=`],
      ['raw-bare-cr', (m) => `"Dana\r${m}: yes" <${sender('dana.reply')}>`],
      ['quoted-local-part-cr', (m) => `<"dana\r${m}: yes"@contoso.example>`],
    ];
    for (const [what, value] of replyToInjections) {
      const m = marker();
      yield make('injection', `reply-to-${what}`, synth({ extra: [`Reply-To: ${value(m)}`] }), m);
    }
    const ccInjections: [string, (m: string) => string][] = [
      ['q-encoded-name-crlf', (m) => `=?utf-8?q?Lee=0D=0A${m}:_yes?= <lee.h${n}@contoso.example>`],
      ['raw-bare-cr', (m) => `"Lee\r${m}: yes" <lee.h${n}@contoso.example>`],
    ];
    for (const [what, value] of ccInjections) {
      const m = marker();
      yield make('injection', `cc-${what}`, synth({ extra: [`Cc: ${value(m)}`] }), m);
    }
    const filenameInjections: [string, (m: string) => string][] = [
      ['q-encoded-crlf', (m) => `filename="=?utf-8?q?vpn=0D=0A${m}:_yes.log?="`],
      ['b-encoded-crlf', (m) => `filename="=?utf-8?b?${b64(`vpn\r\n${m}: yes.log`)}?="`],
      ['rfc2231-percent-crlf', (m) => `filename*=utf-8''vpn%0D%0A${m}%3A%20yes.log`],
      ['rfc2231-continuation-crlf', (m) => `filename*0*=utf-8''vpn%0D%0A; filename*1="${m}: yes.log"`],
      ['raw-bare-cr', (m) => `filename="vpn\r${m}: yes.log"`],
    ];
    for (const [what, value] of filenameInjections) {
      const m = marker();
      yield make('injection', `attachment-filename-${what}`, mixed([attachment(value(m))]), m);
    }
    {
      const m = marker();
      yield make('injection', 'attachment-content-type-name-crlf', mixed([`Content-Type: text/plain; name="=?utf-8?q?vpn=0D=0A${m}:_yes.log?="${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}${b64('log\n')}${CRLF}`]), m);
    }
    const idInjections: [string, (m: string) => string][] = [
      ['q-encoded-crlf', (m) => `<=?utf-8?q?a=0D=0A${m}:_yes?=.h${n}@evil.test>`],
      ['raw-bare-cr', (m) => `<a\r${m}: yes.h${n}@evil.test>`],
      ['raw-bare-lf', (m) => `<a.h${n}@evil.test\n${m}: yes>`],
      ['percent-and-nul', (m) => `<a%0D%0A\0${m}:yes.h${n}@evil.test>`],
    ];
    for (const [what, value] of idInjections) {
      const m = marker();
      yield make('injection', `message-id-${what}`, synth({ messageId: value(m) }), m);
    }
    for (const header of ['References', 'In-Reply-To'] as const) {
      for (const [what, value] of idInjections) {
        const m = marker();
        const extra = header === 'References' ? [`References: <root.h${n}@contoso.example> ${value(m)}`] : [`In-Reply-To: ${value(m)}`];
        yield make('injection', `${header.toLowerCase()}-${what}`, synth({ extra }), m);
      }
    }
    {
      const m = marker();
      const raw = personal('01-outlook-new-vpn-down.eml');
      yield make('injection', 'real-mail-subject-b-encoded-crlf', setHeader(raw, 'Subject', `=?utf-8?b?${b64(`VPN down\r\n${m}: yes`)}?=`), m);
    }
    {
      const m = marker();
      const raw = personal('06-gmail-new-auditor-access-pdf.eml');
      yield make('injection', 'real-mail-pdf-filename-crlf', raw.replace(/filename="[^"]+"/, `filename="=?utf-8?q?NDA=0D=0A${m}:_yes.pdf?="`), m);
    }
  }

  // ---- values that are not what their field says: overlong ids, smuggled addresses -------------
  yield make('overlong-header', 'message-id-5kb', synth({ messageId: `<${'m'.repeat(5_000)}.h${n}@mail.contoso.example>` }));
  yield make('overlong-header', 'in-reply-to-3kb-id', synth({ extra: [`In-Reply-To: <${'r'.repeat(3_000)}@mail.contoso.example>`] }));
  yield make('overlong-header', 'references-one-3kb-id', synth({ extra: [`References: <root.h${n}@contoso.example> <${'r'.repeat(3_000)}@mail.contoso.example>`] }));
  yield make('overlong-header', 'from-address-2000-char-local-part', synth({ from: `Dana <${'d'.repeat(2_000)}.h${n}@contoso.example>` }));
  yield make('overlong-header', 'subject-one-5000-char-word', synth({ subject: `VPN ${'E'.repeat(5_000)}` }));
  yield make('framing', 'message-id-utf8', synth({ messageId: `<t\xc3\xa9st-${n}@m\xc3\xa4il.contoso.example>` }));
  yield make('injection', 'from-two-addresses-in-one-bracket', synth({ from: `Dana <dana.h${n}@contoso.example,mallory.h${n}@evil.test>` }));
  yield make('injection', 'reply-to-two-addresses-in-one-bracket', synth({ extra: [`Reply-To: <mallory.h${n}@evil.test,victim.h${n}@contoso.example>`] }));
  yield make('injection', 'from-address-with-semicolon-and-colon', synth({ from: `<dana.h${n}@contoso.example;bcc:mallory@evil.test>` }));
  yield make('injection', 'reply-to-address-with-angle-and-space', synth({ extra: [`Reply-To: <"x" <mallory.h${n}@evil.test>@contoso.example>`] }));
  yield make('framing', 'from-utf8-local-part', synth({ from: `J\xc3\xb6rg Sch\xc3\xa4fer <j\xc3\xb6rg.h${n}@contoso.example>` }));

  // ---- charsets -----------------------------------------------------------------------------------
  const textIn = (charset: string, body: string, cte = '8bit') => synth({ content: [`Content-Type: text/plain; charset=${charset}`, `Content-Transfer-Encoding: ${cte}`], body });
  yield make('charset', 'unknown-name', textIn('"x-klingon-2026"', `Caf\xe9 VPN error 809${CRLF}`));
  yield make('charset', 'unknown-name-valid-utf8', textIn('"x-unknown"', `${utf8Bytes('Grüße, VPN error 809')}${CRLF}`));
  yield make('charset', 'utf-7-2mb-body', textIn('utf-7', `${'VPN +AOk-rror 809 +ZeVnLIqe- '.repeat(70_000)}${CRLF}`, '7bit'));
  {
    const storm = '\x1b$B\x1b(B'.repeat(100_000) + '\x1b$B$3$s$K$A$O\x1b(B VPN' + '\x1b$(D\x1b(J\x1b$@'.repeat(20_000);
    yield make('charset', 'iso-2022-jp-escape-storm', textIn('iso-2022-jp', `${storm}${CRLF}`, '7bit'));
  }
  yield make('charset', 'iso-2022-jp-broken-escapes', textIn('ISO-2022-JP', `\x1b$B\x1b\x1b$\x1b(\x1b$B$3$s\x1b${CRLF}VPN${CRLF}`, '7bit'));
  yield make('charset', 'name-10kb', textIn(`"${'utf-8-'.repeat(1_707)}"`, `VPN error 809${CRLF}`));
  yield make('charset', 'name-100kb', textIn(`"${'x'.repeat(100 * 1024)}"`, `VPN error 809${CRLF}`));
  yield make('charset', 'encoded-word-charset-10kb', synth({ subject: `=?${'k'.repeat(10_240)}?q?VPN_error?=` }));
  yield make('charset', 'encoded-word-charset-100kb', synth({ subject: `=?${'k'.repeat(100 * 1024)}?q?VPN_error?=` }));
  yield make('charset', 'utf-16-odd-length', textIn('utf-16', `\xff\xfeV\0P\0N\0 \0e${CRLF}`));
  yield make('charset', 'utf-32-garbage', textIn('utf-32le', `\x00\x00\x11\x00\xff\xff\xff\xff${CRLF}`));
  yield make('charset', 'empty-name', textIn('""', `VPN error 809${CRLF}`));
  yield make('charset', 'invalid-utf8', textIn('utf-8', `VPN \xc0\xaf \xed\xa0\x80 \xf8\x88\x80\x80\x80 \xff error${CRLF}`));
  yield make('charset', 'gb18030-garbage', textIn('gb18030', `\x81\x30\x81\xff\x84\x31\xa4\x39${CRLF}`));
  yield make('charset', 'html-meta-charset-mismatch', synth({ content: ['Content-Type: text/html; charset=x-bogus'], body: `<meta charset="utf-7"><p>+ADw-script+AD4-alert(1)+ADw-/script+AD4-</p>${CRLF}` }));

  // ---- framing: what is before, instead of, or around the header block ---------------------------
  yield make('framing', 'leading-blank-line', CRLF + synth());
  yield make('framing', 'leading-whitespace-line', ` \t${CRLF}${synth()}`);
  yield make('framing', 'leading-space-before-first-header', ` ${synth()}`);
  yield make('framing', 'mbox-from-line', `From dana.whitfield.h${n}@contoso.example Mon Nov 23 07:58:12 2026${CRLF}${synth()}`);
  yield make('framing', 'mbox-from-line-lf-only', `From MAILER-DAEMON Mon Nov 23 07:58:12 2026\n${synth().replace(/\r\n/g, '\n')}`);
  {
    const raw = personal('05-thunderbird-new-wifi-log.eml');
    yield make('framing', 'real-mail-mbox-from-line', `From ${sender('lars')} Wed Nov  4 07:55:08 2026${CRLF}${raw}`);
  }
  yield make('framing', 'headers-only-no-blank-line', splitMail(synth()).head);
  yield make('framing', 'headers-and-blank-line-no-body', splitMail(synth()).head + CRLF + CRLF);
  {
    const raw = personal('01-outlook-new-vpn-down.eml');
    yield make('framing', 'real-mail-headers-only', splitMail(raw).head + CRLF);
  }
  yield make('framing', 'body-only-no-headers', `${BODY}${CRLF}`);
  yield make('framing', 'body-only-starting-with-colon-line', `Note: this is not a header block${CRLF}${CRLF}${BODY}${CRLF}`);
  yield make('framing', 'header-without-colon-first', `This line has no colon${CRLF}${synth()}`);
  yield make('framing', 'header-without-colon-in-middle', insertBefore(synth(), 'Subject', ['Thread-Topic VPN error 809']));
  yield make('framing', 'header-with-empty-name', insertBefore(synth(), 'Subject', [': empty name']));
  yield make('framing', 'lf-only-line-endings', synth().replace(/\r\n/g, '\n'));
  yield make('framing', 'cr-only-line-endings', synth().replace(/\r\n/g, '\r'));
  yield make('framing', 'mixed-line-endings', synth().replace(/\r\n/g, () => rng.pick(['\r\n', '\n', '\r', '\n\r'])));
  yield make('framing', 'utf8-bom-first', `\xef\xbb\xbf${synth()}`);
  yield make('framing', 'only-whitespace', ` \r\n\t\r\n \r\n`);
  yield make('framing', 'single-header-no-newline', `Subject: VPN`);
  yield make('framing', 'no-from-no-reply-to', synth({ from: null }));
  yield make('framing', 'from-without-address', synth({ from: 'Dana Whitfield' }));
  yield make('framing', 'no-subject-no-message-id-no-date', removeHeader(synth({ subject: null, messageId: null }), 'Date'));

  // ---- duplicate headers --------------------------------------------------------------------------
  yield make('duplicate-headers', 'two-from', insertBefore(synth(), 'To', [`From: Mallory <mallory.h${n}@evil.test>`]));
  yield make('duplicate-headers', 'two-subjects', insertBefore(synth(), 'Date', ['Subject: second subject']));
  yield make('duplicate-headers', 'two-content-types', insertBefore(synth(), 'Content-Transfer-Encoding', ['Content-Type: multipart/mixed; boundary="dup"']));
  yield make('duplicate-headers', 'two-message-ids', insertBefore(synth(), 'MIME-Version', [`Message-ID: <second.${id()}>`]));
  yield make('duplicate-headers', 'two-ctes', insertBefore(synth(), 'MIME-Version', ['Content-Transfer-Encoding: base64']));
  {
    const raw = personal('05-thunderbird-new-wifi-log.eml');
    const dupes = insertBefore(insertBefore(raw, 'MIME-Version', ['Subject: Re: something else entirely', `From: Someone Else <other.h${n}@contoso.example>`]), 'MIME-Version', ['Content-Type: text/plain']);
    yield make('duplicate-headers', 'real-mail-from-subject-content-type', dupes);
  }
  yield make('duplicate-headers', '200-subjects', insertBefore(synth(), 'Date', Array.from({ length: 200 }, (_, i) => `Subject: copy ${i}`)));

  // ---- content-transfer-encoding ------------------------------------------------------------------
  yield make('transfer-encoding', 'unknown-x-uuencode', synth({ content: ['Content-Type: text/plain', 'Content-Transfer-Encoding: x-uuencode'], body: `begin 644 vpn.txt${CRLF}#5E!.${CRLF}\`${CRLF}end${CRLF}` }));
  yield make('transfer-encoding', 'unknown-base65', synth({ content: ['Content-Type: text/plain', 'Content-Transfer-Encoding: base65'], body: BODY + CRLF }));
  yield make('transfer-encoding', 'with-parameters', synth({ content: ['Content-Type: text/plain', 'Content-Transfer-Encoding: 8bit; charset=utf-8'], body: BODY + CRLF }));
  yield make('transfer-encoding', 'on-multipart-container', mixed([attachment('filename="vpn.log"')]).replace('Content-Type: multipart/mixed', 'Content-Transfer-Encoding: base64\r\nContent-Type: multipart/mixed'));
  yield make('transfer-encoding', 'unknown-on-attachment', mixed([`Content-Type: application/octet-stream${CRLF}Content-Disposition: attachment; filename="x.bin"${CRLF}Content-Transfer-Encoding: x-gzip64${CRLF}${CRLF}H4sIAAAAAAAA${CRLF}`]));
  yield make('transfer-encoding', 'binary-with-8bit-bytes', synth({ content: ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: binary'], body: utf8Bytes('Grüße – VPN error 809 ✔') + CRLF }));

  // ---- attachment filenames -----------------------------------------------------------------------
  yield make('filename', 'plain-10kb', mixed([attachment(`filename="${'vpn-'.repeat(2_560)}.log"`)]));
  yield make('filename', 'rfc2231-continuations-10kb', mixed([attachment(Array.from({ length: 200 }, (_, i) => `filename*${i}="${'n'.repeat(50)}"`).join(`;${CRLF} `))]));
  yield make('filename', 'encoded-word-10kb', mixed([attachment(`filename="=?utf-8?b?${b64('ü'.repeat(5_000))}?="`)]));
  yield make('filename', 'path-traversal-unix', mixed([attachment('filename="../../etc/passwd"')]));
  yield make('filename', 'path-traversal-windows', mixed([attachment('filename="..\\..\\Windows\\System32\\drivers\\etc\\hosts"')]));
  yield make('filename', 'absolute-path', mixed([attachment('filename="/etc/shadow"')]));
  yield make('filename', 'rfc2231-encoded-traversal', mixed([attachment("filename*=utf-8''..%2F..%2F..%2Froot%2F.ssh%2Fauthorized_keys")]));
  yield make('filename', 'dot-dot-only', mixed([attachment('filename=".."')]));
  yield make('filename', 'control-chars-only', mixed([attachment('filename="\x01\x02\x7f"')]));
  yield make('filename', 'rtl-override', mixed([attachment(`filename="=?utf-8?b?${b64('invoice\u202Egpj.exe')}?="`)]));
  yield make('filename', 'name-in-content-type-only-traversal', mixed([`Content-Type: application/octet-stream; name="../../../tmp/x.sh"${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}${b64('#!/bin/sh\n')}${CRLF}`]));
  yield make('filename', 'html-in-name', mixed([attachment('filename="<img src=x onerror=alert(1)>.png"')]));

  // ---- seeded random mutations of real mails ------------------------------------------------------
  const noise = ['\0', '\r', '\n', '\r\n\r\n', ':', '=', '--', '"', '<', '>', '\x1b', '\xff', '=?utf-8?q?', '?=', ' boundary="x"'];
  for (let i = 0; i < 42; i++) {
    const file = rng.pick(BASE_FILES);
    const chars = personal(file).split('');
    const edits = rng.int(1, 12);
    for (let e = 0; e < edits; e++) {
      const at = rng.int(0, chars.length);
      switch (rng.int(0, 5)) {
        case 0: // flip a byte
          chars[at] = String.fromCharCode(rng.int(0, 256));
          break;
        case 1: // insert noise
          chars.splice(at, 0, rng.pick(noise));
          break;
        case 2: // delete a run
          chars.splice(at, rng.int(1, 200));
          break;
        case 3: {
          // duplicate a run
          const run = chars.slice(at, at + rng.int(1, 300));
          chars.splice(rng.int(0, chars.length), 0, ...run);
          break;
        }
        default: // swap two runs
          {
            const len = rng.int(1, 120);
            const other = rng.int(0, Math.max(1, chars.length - len));
            const a = chars.slice(at, at + len);
            const b = chars.slice(other, other + len);
            chars.splice(at, a.length, ...b);
            chars.splice(other, b.length, ...a);
          }
          break;
      }
    }
    yield make('random-mutation', `${i}-${file.slice(0, 2)}-${edits}-edits`, chars.join(''));
  }
}

/** All cases, in order (a convenience for tests that need the names up front). */
export function hostileCases(seed = DEFAULT_SEED): HostileCase[] {
  return [...hostileMail(seed)];
}
