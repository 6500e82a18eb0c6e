/**
 * Raw MIME → normalised `InboundMessage`.
 *
 * The raw bytes stream through a small meter (byte count, sha256, size and header limits, "is
 * this mail at all") into mailparser's streaming `MailParser`; attachments stream on into the
 * caller's `AttachmentSink` one at a time, so a 30 MB mail is never held in memory (only the
 * text and HTML bodies are, as mailparser keeps those).
 *
 * Decisions, in one place:
 * - Headers (`headers`, subject, addresses, ids, date) are read from mailparser's raw
 *   `headerLines`, not its processed map: a header line that is not valid UTF-8 is read as
 *   Latin-1 (with a warning) instead of becoming U+FFFD, and where a header occurs more than
 *   once the FIRST occurrence wins for From, Subject, Date, Message-ID and Content-Type.
 * - `headers` values are unfolded and trimmed; RFC 2047 encoded words are decoded except in
 *   address fields (From, To, Reply-To, Return-Path, ...), whose raw form is kept so that a
 *   decoded display name can never pass for an address.
 * - Message-IDs keep their case (RFC 5322 ids are compared byte for byte by every client, and
 *   References echo them verbatim); only angle brackets and whitespace are removed.
 * - Mailbox entries without an `@` in the address are dropped (a group name, a bare
 *   "undisclosed-recipients", a display name with no address), and so, with a warning, is an
 *   "address" that is not one addr-spec SMTP can carry (two addresses in one pair of angle
 *   brackets, specials outside quotes, more than 254 octets): the composer would write it
 *   as something else, e.g. two recipients.
 * - A Message-ID, In-Reply-To or References id over 900 bytes is not an identity anyone threads
 *   on and cannot be echoed on a header line: dropped with a warning (Message-ID: synthesised).
 * - Warnings quote at most 100 characters of what the mail said, and there are at most 10 of
 *   them (then "and N more warnings"): a hostile mail cannot make its own reason huge.
 * - `text` is the text/plain parts (and message/delivery-status parts, as mailparser does).
 *   When that is blank and there is HTML, the HTML is converted to text. An HTML part that
 *   sits beside a text/plain part outside multipart/alternative adds nothing to `text` (it is
 *   in `html`).
 * - Not mail at all: the first line must be a header field ("Name: value", or an mbox
 *   "From " line), otherwise `MalformedMailError('no mail headers found: ...')`.
 * - Tolerated, with a `parseWarnings` entry: a multipart that ends before its closing boundary
 *   (found from mailsplit's state at the end; pinned mailparser 3.9.31), a body in an unknown
 *   charset (decoded as UTF-8 when valid, else Windows-1252), an encoded word in an unknown
 *   charset, non-UTF-8 8-bit header bytes, U+FFFD in the text, an unreadable Date, CR-only line
 *   endings (read as LF; the sha256 is of the bytes as received).
 */
import { isUtf8 } from 'node:buffer';
import { createHash, type Hash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import encodingJapaneseModule from 'encoding-japanese';
import { convert, type HtmlToTextOptions } from 'html-to-text';
import iconvModule from 'iconv-lite';
import libmimeModule from 'libmime';
import { MailParser, type AttachmentStream, type HeaderLines, type MessageText } from 'mailparser';
import addressparser from 'nodemailer/lib/addressparser';
import type { AttachmentMeta, InboundMessage, Mailbox } from './types.js';

export interface AttachmentSink {
  /** Store one attachment's bytes as they stream; returns the blob key. Must consume the stream. */
  put(input: { index: number; filename: string; contentType: string; content: NodeJS.ReadableStream }): Promise<{ blobKey: string }>;
}

export interface ParseLimits {
  maxMessageBytes: number;
  maxHeaderLines: number;
}

/** The bytes are not a mail we can read. Retrying will not help: quarantine the raw message. */
export class MalformedMailError extends Error {
  override name = 'MalformedMailError';
  /** What exactly is wrong, in words (same as `message`). */
  readonly reason: string;
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.reason = reason;
  }
}

/** The raw message is over `limits.maxMessageBytes`; parsing stopped as soon as that was known. */
export class MessageTooLargeError extends MalformedMailError {
  override name = 'MessageTooLargeError';
  constructor(
    /** The size when known (a Buffer input), otherwise the bytes read before stopping. */
    readonly size: number,
    readonly limit: number,
    readonly sizeIsExact: boolean,
  ) {
    super(
      sizeIsExact
        ? `message is ${size} bytes, over the limit of ${limit}`
        : `message is more than ${size} bytes, over the limit of ${limit}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Warnings: what the mail said is quoted, never in full

/** Characters of a value a warning quotes at most. */
const QUOTED_CHARS = 100;
/** Warnings kept at most; the rest are counted. */
const MAX_WARNINGS = 10;

/** At most QUOTED_CHARS of a value the mail chose, control characters shown as \xNN. */
function clip(value: string): string {
  const start = value.length > QUOTED_CHARS ? `${value.slice(0, QUOTED_CHARS)}…` : value;
  return start.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function quote(value: string): string {
  return `"${clip(value)}"`;
}

function boundedWarnings(warnings: Set<string>): string[] {
  const all = [...warnings];
  return all.length <= MAX_WARNINGS ? all : [...all.slice(0, MAX_WARNINGS), `and ${all.length - MAX_WARNINGS} more warnings`];
}

// ---------------------------------------------------------------------------------------------
// mailparser's own helpers. libmime, iconv-lite and encoding-japanese are mailparser
// dependencies; they are resolved from mailparser's location so that we decode with exactly the
// copies (and charset tables) it uses, without declaring them ourselves.

interface Libmime {
  decodeWords(value: string): string;
  normalizeCharset(charset: string): string;
  parseHeaderValue(value: string): { value: string; params: Record<string, string> };
  detectExtension(mimeType: string): string;
}
interface IconvLite {
  encodingExists(name: string): boolean;
  getDecoder(name: string): { write(buf: Buffer): string; end(): string | undefined };
  decode(buf: Buffer, name: string): string;
}
interface EncodingJapanese {
  convert(data: Buffer, options: { to: string; from: string; type: 'string' }): unknown;
}

// The same packages (pinned to mailparser's versions) that mailparser decodes with, imported
// plainly so a bundler follows them: our charset checks must agree with mailparser's decoding.
const libmime = libmimeModule as unknown as Libmime;
const iconv = iconvModule as unknown as IconvLite;
const encodingJapanese = encodingJapaneseModule as unknown as EncodingJapanese;

const JAPANESE_CHARSET = /^jis|^iso-?2022-?jp/i;

/** Whether mailparser/libmime can decode this charset name (as declared in the mail). */
function charsetKnown(declared: string): boolean {
  if (/^(us-?)?ascii$|^utf-?8$/i.test(declared.trim())) return true;
  const name = libmime.normalizeCharset(declared);
  return JAPANESE_CHARSET.test(name) || /^EUCJP/i.test(name) || iconv.encodingExists(name);
}

/**
 * A node-iconv look-alike handed to MailParser (`options.Iconv`): mailparser then routes every
 * body charset through it. Known charsets decode exactly as mailparser's default path does
 * (libmime's alias table, iconv-lite, encoding-japanese for JIS); an unknown charset is decoded
 * as UTF-8 when the bytes are valid UTF-8 and as Windows-1252 otherwise, with a warning,
 * instead of mailparser's silent UTF-8 with U+FFFD.
 */
function charsetDecoderClass(warnings: Set<string>) {
  return class CharsetDecoder extends Transform {
    private readonly declared: string;
    private readonly name: string;
    private readonly mode: 'iconv' | 'japanese' | 'fallback';
    private readonly decoder: ReturnType<IconvLite['getDecoder']> | null = null;
    private chunks: Buffer[] = [];

    constructor(charset: string, _target?: string) {
      super();
      this.declared = String(charset);
      this.name = libmime.normalizeCharset(this.declared);
      if (JAPANESE_CHARSET.test(this.name)) {
        this.mode = 'japanese';
      } else if (iconv.encodingExists(this.name)) {
        this.mode = 'iconv';
        this.decoder = iconv.getDecoder(this.name);
      } else {
        this.mode = 'fallback';
      }
    }

    override _transform(chunk: Buffer | string, encoding: BufferEncoding, done: TransformCallback): void {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
      if (this.decoder) {
        const text = this.decoder.write(buf);
        if (text) this.push(Buffer.from(text, 'utf8'));
      } else {
        this.chunks.push(buf);
      }
      done();
    }

    override _flush(done: TransformCallback): void {
      if (this.decoder) {
        const rest = this.decoder.end();
        if (rest) this.push(Buffer.from(rest, 'utf8'));
        return done();
      }
      const input = Buffer.concat(this.chunks);
      this.chunks = [];
      if (this.mode === 'japanese') {
        try {
          const out = encodingJapanese.convert(input, { to: 'UNICODE', from: this.name, type: 'string' });
          this.push(typeof out === 'string' ? Buffer.from(out, 'utf8') : input);
        } catch {
          warnings.add(`body part in charset ${quote(this.declared)} could not be decoded; kept as UTF-8`);
          this.push(input);
        }
        return done();
      }
      if (isUtf8(input)) {
        warnings.add(`body part declares unknown charset ${quote(this.declared)}; decoded as UTF-8`);
        this.push(input);
      } else {
        warnings.add(`body part declares unknown charset ${quote(this.declared)}; decoded as Windows-1252`);
        this.push(Buffer.from(iconv.decode(input, 'windows-1252'), 'utf8'));
      }
      done();
    }
  };
}

// ---------------------------------------------------------------------------------------------
// The raw-byte meter: size limit, sha256, header-line count, "is this mail".

/** mailsplit stops at 1 MiB of header for one MIME node; counting stops there too. */
const MAX_HEADER_SCAN_BYTES = 1024 * 1024;
const SOURCE_CHUNK_BYTES = 64 * 1024;

function hexStart(bytes: Buffer): string {
  return [...bytes.subarray(0, 12)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

class RawMeter extends Transform {
  bytes = 0;
  sha256 = '';
  /** Header fields (unfolded lines) of the top-level header block. */
  headerFields = 0;
  private readonly hash: Hash = createHash('sha256');
  private head: Buffer[] = [];
  private headLength = 0;
  // first-line check: 'name' while reading a field name, 'wsp' after "Name " (obsolete syntax)
  private firstLine: 'name' | 'wsp' | 'ok' = 'name';
  private nameSoFar = '';
  // header block scan
  private headerDone = false;
  private headerBytes = 0;
  private atLineStart = true;
  private lineLength = 0;
  private lineEndings: 'unknown' | 'lf' | 'cr' = 'unknown';

  constructor(
    private readonly limits: ParseLimits,
    private readonly exactSize: number | null,
    private readonly warnings: Set<string>,
  ) {
    super();
  }

  override _transform(chunk: Buffer | string, encoding: BufferEncoding, done: TransformCallback): void {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
    this.bytes += buf.length;
    if (this.bytes > this.limits.maxMessageBytes) {
      const exact = this.exactSize !== null;
      return done(new MessageTooLargeError(exact ? (this.exactSize as number) : this.bytes, this.limits.maxMessageBytes, exact));
    }
    this.hash.update(buf);
    if (this.headLength < 16) {
      this.head.push(Buffer.from(buf.subarray(0, 16 - this.headLength))); // a copy: a view would pin the chunk
      this.headLength += Math.min(buf.length, 16 - this.headLength);
    }
    if (this.lineEndings === 'unknown') this.detectLineEndings(buf);
    if (this.lineEndings === 'cr') buf = crToLf(buf);
    if (!this.headerDone) {
      const problem = this.scanHeader(buf);
      if (problem) return done(problem);
    }
    done(null, buf);
  }

  override _flush(done: TransformCallback): void {
    if (this.bytes === 0) return done(new MalformedMailError('no mail headers found: the input is empty (0 bytes)'));
    if (this.firstLine !== 'ok') return done(this.notMail());
    if (!this.headerDone) {
      // the input ended inside the header block (a mail with no body)
      this.headerDone = true;
      const problem = this.checkHeaderCount();
      if (problem) return done(problem);
    }
    this.sha256 = this.hash.digest('hex');
    done();
  }

  /**
   * Old Mac files end lines with a lone CR, which mailsplit does not split on: it would see one
   * endless header line. Decided on the first line ending of the input.
   */
  private detectLineEndings(buf: Buffer): void {
    const cr = buf.indexOf(0x0d);
    const lf = buf.indexOf(0x0a);
    if (cr === -1 && lf === -1) return; // first line still going on
    if (cr === -1 || (lf !== -1 && lf < cr)) {
      this.lineEndings = 'lf';
    } else if (cr + 1 < buf.length) {
      this.lineEndings = buf[cr + 1] === 0x0a ? 'lf' : 'cr';
    } else {
      return; // a CR at the very end of this chunk: look again with the next one
    }
    if (this.lineEndings === 'cr') this.warnings.add('message has CR-only line endings; read as LF');
  }

  private notMail(): MalformedMailError {
    return new MalformedMailError(
      `no mail headers found: the first line is not a "Name: value" header field (the input starts with bytes ${hexStart(Buffer.concat(this.head))})`,
    );
  }

  private checkHeaderCount(): MalformedMailError | null {
    if (this.headerFields <= this.limits.maxHeaderLines) return null;
    const count = this.headerDone && this.headerBytes <= MAX_HEADER_SCAN_BYTES ? `${this.headerFields}` : `more than ${this.headerFields}`;
    return new MalformedMailError(`message has ${count} header lines, over the limit of ${this.limits.maxHeaderLines}`);
  }

  /** Walks the top-level header block byte by byte (it is small); returns an error to stop on. */
  private scanHeader(buf: Buffer): MalformedMailError | null {
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i] as number;
      if (this.firstLine !== 'ok') {
        const verdict = this.firstLineByte(b);
        if (verdict === 'bad') return this.notMail();
      }
      this.headerBytes++;
      if (b === 0x0a) {
        if (this.lineLength === 0) {
          // an empty line ends the header block
          this.headerDone = true;
          return this.checkHeaderCount();
        }
        this.atLineStart = true;
        this.lineLength = 0;
        continue;
      }
      if (b === 0x0d) continue;
      if (this.atLineStart) {
        this.atLineStart = false;
        if (b !== 0x20 && b !== 0x09) this.headerFields++;
      }
      this.lineLength++;
      if (this.headerBytes > MAX_HEADER_SCAN_BYTES) {
        this.headerDone = true;
        return this.checkHeaderCount();
      }
    }
    return null;
  }

  private firstLineByte(b: number): 'ok' | 'bad' | 'more' {
    if (this.firstLine === 'name') {
      if (b === 0x3a) {
        if (this.nameSoFar.length === 0) return 'bad';
        this.firstLine = 'ok';
        return 'ok';
      }
      if (b >= 33 && b <= 126) {
        if (this.nameSoFar.length >= 998) return 'bad';
        this.nameSoFar += String.fromCharCode(b);
        return 'more';
      }
      if (b === 0x20 && /^from$/i.test(this.nameSoFar)) {
        // an mbox "From sender date" line (mailsplit skips it), or obsolete "From : x"
        this.firstLine = 'ok';
        return 'ok';
      }
      if ((b === 0x20 || b === 0x09) && this.nameSoFar.length > 0) {
        this.firstLine = 'wsp';
        return 'more';
      }
      return 'bad';
    }
    if (this.firstLine === 'wsp') {
      if (b === 0x20 || b === 0x09) return 'more';
      if (b === 0x3a) {
        this.firstLine = 'ok';
        return 'ok';
      }
      return 'bad';
    }
    return 'ok';
  }
}

/** A copy with every CR that is not followed by LF (in this chunk) turned into LF. */
function crToLf(buf: Buffer): Buffer {
  const out = Buffer.from(buf);
  for (let i = out.indexOf(0x0d); i !== -1; i = out.indexOf(0x0d, i + 1)) {
    if (out[i + 1] !== 0x0a) out[i] = 0x0a;
  }
  return out;
}

function bufferSource(raw: Buffer): Readable {
  return Readable.from(
    (function* chunks() {
      for (let at = 0; at < raw.length; at += SOURCE_CHUNK_BYTES) yield raw.subarray(at, at + SOURCE_CHUNK_BYTES);
    })(),
    { objectMode: false },
  );
}

// ---------------------------------------------------------------------------------------------
// Headers

/** Fields whose raw value is kept (no encoded-word decoding): the parsed Mailbox fields carry the names. */
const ADDRESS_FIELDS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'sender',
  'reply-to',
  'return-path',
  'delivered-to',
  'x-original-to',
  'errors-to',
  'disposition-notification-to',
  'resent-from',
  'resent-to',
  'resent-cc',
  'resent-bcc',
  'resent-sender',
]);

interface HeaderTable {
  /** Lower-cased name → values, in order. */
  values: Record<string, string[]>;
  /** Lower-cased name → unfolded values before encoded-word decoding (for address fields). */
  raw: Map<string, string[]>;
}

function addValue(target: Record<string, string[]>, key: string, value: string): void {
  if (Object.hasOwn(target, key)) (target[key] as string[]).push(value);
  // defineProperty: a header named "__proto__" must become an ordinary key, not a prototype
  else Object.defineProperty(target, key, { value: [value], enumerable: true, writable: true, configurable: true });
}

function decodeWordsSafe(value: string): string {
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

function readHeaders(lines: HeaderLines, warnings: Set<string>): HeaderTable {
  const values: Record<string, string[]> = {};
  const raw = new Map<string, string[]>();
  let nameless = 0;
  for (const { key, line } of lines) {
    const name = key.trim().toLowerCase();
    if (!name) {
      nameless++;
      continue;
    }
    // mailsplit hands lines over as binary strings: one char per byte
    const bytes = Buffer.from(line, 'latin1');
    let text: string;
    if (isUtf8(bytes)) {
      text = bytes.toString('utf8');
    } else {
      text = line;
      warnings.add(`header ${quote(name)} has 8-bit bytes that are not UTF-8; read as Latin-1`);
    }
    const colon = text.indexOf(':');
    const unfolded = text
      .slice(colon + 1)
      .replace(/\r?\n(?=[ \t])/g, '')
      .replace(/[\r\n]/g, '')
      .trim();
    const list = raw.get(name);
    if (list) list.push(unfolded);
    else raw.set(name, [unfolded]);
    for (const m of unfolded.matchAll(/=\?([^?\s]+)\?[bBqQ]\?/g)) {
      const charset = (m[1] as string).split('*')[0] as string;
      if (!charsetKnown(charset)) warnings.add(`header ${quote(name)} has an encoded word in unknown charset ${quote(charset)}; decoded as UTF-8`);
    }
    addValue(values, name, ADDRESS_FIELDS.has(name) ? unfolded : decodeWordsSafe(unfolded));
  }
  if (nameless) warnings.add(`${nameless} header line${nameless > 1 ? 's' : ''} without a "Name:" ignored`);
  return { values, raw };
}

function first(table: HeaderTable, name: string): string | undefined {
  return Object.hasOwn(table.values, name) ? table.values[name]?.[0] : undefined;
}

/**
 * Bytes a Message-ID (or a thread id) may have. RFC 5322 sets none beyond the 998-character
 * line; real clients write at most a few hundred. A longer one cannot be echoed on a header
 * line (In-Reply-To, References) and is not an identity anyone threads on.
 */
export const MAX_MESSAGE_ID_BYTES = 900;

const idTooLong = (id: string) => Buffer.byteLength(id, 'utf8') > MAX_MESSAGE_ID_BYTES;

/**
 * A Message-ID (or one In-Reply-To value) as stored: the first `<...>` token's content, or the
 * first whitespace-separated token without brackets; whitespace removed; case kept as is.
 * Returns '' when nothing is left.
 */
export function normaliseMessageId(value: string): string {
  const trimmed = value.trim();
  const bracketed = /<([^<>]*)>/.exec(trimmed);
  const id = bracketed ? (bracketed[1] as string) : (trimmed.split(/[\s,]+/)[0] ?? '').replace(/^<+|>+$/g, '');
  return id.replace(/\s+/g, '');
}

/**
 * All message ids in an In-Reply-To/References value, in order, without duplicates: the
 * `<...>` tokens; when there are none, the whitespace/comma-separated words that contain an
 * `@` (so "Your message of Monday" yields nothing).
 */
export function extractMessageIds(value: string): string[] {
  let ids = [...value.matchAll(/<([^<>]*)>/g)].map((m) => (m[1] as string).replace(/\s+/g, '')).filter(Boolean);
  if (!ids.length) {
    ids = value
      .split(/[\s,]+/)
      .map((word) => word.replace(/^[<(]+|[>),;]+$/g, ''))
      .filter((word) => word.includes('@') && !/[<>]/.test(word));
  }
  return [...new Set(ids)];
}

const ENCODED_WORDS_ONLY = /^(=\?[^?]+\?[Bb]\?[^?]*\?=)(\s*=\?[^?]+\?[Bb]\?[^?]*\?=)*$/;

/** RFC 5321 §4.5.3.1.3: a path is at most 256 octets, angle brackets included. */
const MAX_ADDRESS_BYTES = 254;
/**
 * One addr-spec: a dot-atom or quoted-string local part, one `@`, a domain or a domain literal.
 * Lenient where real mail is (dots anywhere, UTF-8 per RFC 6531); strict on what would change
 * the meaning in a header we write: specials outside quotes, a second `@`, whitespace.
 */
const ADDR_SPEC = /^(?:"(?:[^"\\\r\n]|\\.)*"|[^\s"(),:;<>@[\\\]\u0000-\u001f\u007f]+)@(?:[^\s"(),:;<>@[\\\]\u0000-\u001f\u007f]+|\[[^\s[\\\]]*\])$/;

/** Whether a (whitespace-free, lower-cased) address is one mailbox SMTP can carry. */
function isMailboxAddress(address: string): boolean {
  return ADDR_SPEC.test(address) && Buffer.byteLength(address, 'utf8') <= MAX_ADDRESS_BYTES;
}

/**
 * Mailboxes from address header values (raw, unfolded): groups flattened, names decoded,
 * addresses trimmed and lower-cased, entries without an address (no `@`) dropped, duplicates
 * (same address) dropped. An address with an `@` that is not one mailbox address (see
 * `isMailboxAddress`) is dropped too, and handed to `onRejected`. Mirrors mailparser's
 * decoding, including its refusal to take an address out of an encoded word unless it is in
 * angle brackets.
 */
export function parseAddressList(values: string[], onRejected?: (address: string) => void): Mailbox[] {
  const out: Mailbox[] = [];
  const seen = new Set<string>();
  const add = (name: string, address: string) => {
    // obsolete syntax allows spaces (and comments, removed by addressparser) around the dots
    const addr = address.replace(/\s+/g, '').toLowerCase();
    if (!addr.includes('@') || seen.has(addr)) return;
    if (!isMailboxAddress(addr)) {
      onRejected?.(address.trim());
      return;
    }
    seen.add(addr);
    out.push({ name: name.trim(), address: addr });
  };
  for (const value of values) {
    let entries: { name: string; address: string }[];
    try {
      entries = addressparser(value, { flatten: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      let name = (entry.name || '').trim();
      let address = (entry.address || '').trim();
      if (!address && ENCODED_WORDS_ONLY.test(name)) {
        const decoded = decodeWordsSafe(name);
        if (/<[^<>@]+@[^<>]+>/.test(decoded)) {
          for (const inner of addressparser(decoded, { flatten: true })) add(inner.name || '', inner.address || '');
          continue;
        }
        name = decoded;
      } else if (name) {
        name = decodeWordsSafe(name);
      }
      if (/=\?[^?]+\?[BbQq]\?[^?]*\?=/.test(address)) {
        const decoded = decodeWordsSafe(address);
        address = /^[^\s@]+@[^\s@]+$/.test(decoded) && !/=\?/.test(decoded) ? decoded : '';
      }
      add(name, address);
    }
  }
  return out;
}

/** Zone names JavaScript's Date does not know (it knows UT, GMT, Z and the US ones). */
const ZONES: Record<string, string> = {
  UTC: '+0000',
  WET: '+0000',
  BST: '+0100',
  WEST: '+0100',
  CET: '+0100',
  MET: '+0100',
  CEST: '+0200',
  MEST: '+0200',
  EET: '+0200',
  EEST: '+0300',
  MSK: '+0300',
  HKT: '+0800',
  SGT: '+0800',
  JST: '+0900',
  KST: '+0900',
  AEST: '+1000',
  AEDT: '+1100',
  NZST: '+1200',
  NZDT: '+1300',
};
const HAS_ZONE = /(?:^|[\s\d])(?:[+-]\d{4}|UT|GMT|Z|[ECMP][SD]T)$/i;

/**
 * An RFC 5322 date as an ISO string: comments and the spaces obsolete syntax allows around ":"
 * are removed, a few zone names JavaScript lacks are mapped, and a date without a zone is read
 * as UTC (not as the machine's local time). Null when absent or unreadable (with a warning).
 */
function parseDate(value: string | undefined, warnings: Set<string>): string | null {
  if (value === undefined || value.trim() === '') return null;
  const cleaned = value
    .replace(/\([^()]*\)/g, ' ')
    .replace(/\s*:\s*/g, ':')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\b([A-Z]{3,4})$/i, (zone) => ZONES[zone.toUpperCase()] ?? zone);
  // JavaScript's Date reads nearly anything ("someday soon +0000" is 1 Jan 2000): ask for a month
  const looksLikeDate = /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\d{4}-\d\d-\d\d/i.test(cleaned) && /\d/.test(cleaned);
  const attempts = !looksLikeDate ? [] : HAS_ZONE.test(cleaned) ? [cleaned] : [`${cleaned} +0000`, cleaned];
  for (const attempt of attempts) {
    const date = new Date(attempt);
    if (!Number.isNaN(date.getTime())) return date.toISOString();
  }
  warnings.add(`Date header "${value.slice(0, 100)}" is not a valid date`);
  return null;
}

// ---------------------------------------------------------------------------------------------
// Bodies and attachments

/** Characters of HTML converted to text at most (html-to-text's own limit is 16 M). */
const MAX_HTML_TO_TEXT_CHARS = 4 * 1024 * 1024;

const HTML_TO_TEXT: HtmlToTextOptions = {
  wordwrap: false,
  limits: { maxDepth: 256 },
  selectors: [
    { selector: 'img', format: 'skip' },
    {
      selector: 'a',
      options: {
        hideLinkHrefIfSameAsText: true,
        noAnchorUrl: true,
        // "mailto:x@y" around the text "x@y" is the same link
        pathRewrite: (path: string) => path.replace(/^mailto:/i, ''),
      },
    },
  ],
};

/** Plain text of an HTML body: no wrapping, no images, a link's address only where it differs from its text. */
function htmlToText(html: string): string {
  return convert(html, HTML_TO_TEXT);
}

function defaultFilename(contentType: string, index: number): string {
  const ext = libmime.detectExtension(contentType) || 'bin';
  const stem = contentType.startsWith('image/') ? 'image' : contentType === 'message/rfc822' ? 'message' : 'attachment';
  return `${stem}-${index + 1}.${ext}`;
}

/** The attachment's own name, made safe to show (no path, no control characters), or one made from its type. */
function attachmentFilename(raw: string | undefined, contentType: string, index: number): string {
  let name = (raw ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  name = (name.split(/[\\/]/).pop() ?? '').trim();
  if (name === '.' || name === '..') name = '';
  if (name.length > 255) name = name.slice(0, 255);
  return name || defaultFilename(contentType, index);
}

interface SplitterInternals {
  node?: { root?: boolean } | null;
  inEpilogue?: boolean;
}

// ---------------------------------------------------------------------------------------------

/**
 * Parses one raw mail. Throws `MalformedMailError` (or its `MessageTooLargeError`) when the bytes
 * are not a readable mail; an error of the raw stream or of the attachment sink is rethrown as
 * it is (it is not the mail's fault, and retrying may help).
 */
export async function parseMail(
  raw: NodeJS.ReadableStream | Buffer,
  options: { limits: ParseLimits; attachments?: AttachmentSink },
): Promise<InboundMessage> {
  const { limits, attachments: sink } = options;
  const warnings = new Set<string>();

  if (Buffer.isBuffer(raw) && raw.length > limits.maxMessageBytes) {
    throw new MessageTooLargeError(raw.length, limits.maxMessageBytes, true);
  }
  const source: NodeJS.ReadableStream = Buffer.isBuffer(raw) ? bufferSource(raw) : raw;
  const meter = new RawMeter(limits, Buffer.isBuffer(raw) ? raw.length : null, warnings);
  const parser = new MailParser({
    skipHtmlToText: true, // we convert HTML ourselves, with our options, only when there is no text
    skipTextToHtml: true,
    skipImageLinks: true,
    checksumAlgo: 'sha256', // mailparser hashes each attachment as it streams; sha256 instead of md5
    Iconv: charsetDecoderClass(warnings) as never,
  });

  let headerLines: HeaderLines = [];
  parser.on('headerLines', (lines: HeaderLines) => {
    headerLines = lines;
  });

  let sourceError: unknown;
  source.on('error', (err: unknown) => {
    sourceError ??= err;
  });
  let sinkError: unknown;

  const metas: AttachmentMeta[] = [];
  let body: MessageText | null = null;
  /** The attachment being streamed into the sink, to end it when the parse fails midway. */
  let current: Readable | null = null;

  const takeAttachment = async (att: AttachmentStream): Promise<void> => {
    const index = metas.length;
    const contentType = (att.contentType || 'application/octet-stream').toLowerCase().trim();
    const filename = attachmentFilename(att.filename, contentType, index);
    const content = att.content as Readable;
    current = content;
    let contentError: unknown;
    content.on('error', (err: unknown) => {
      contentError ??= err;
    });
    let blobKey: string | undefined;
    try {
      if (sink) ({ blobKey } = await sink.put({ index, filename, contentType, content }));
      if (!content.readableEnded) content.resume(); // whatever the sink left (or no sink): drain
      await finished(content);
    } catch (err) {
      if (contentError !== undefined) {
        throw new MalformedMailError(`attachment ${index + 1} (${filename}) cannot be decoded: ${(contentError as Error).message}`, {
          cause: contentError,
        });
      }
      sinkError = err;
      throw err;
    } finally {
      current = null;
      att.release();
    }
    const cid = att.cid?.trim() || undefined;
    metas.push({
      filename,
      contentType,
      size: att.size,
      ...(cid ? { contentId: cid } : {}),
      inline: att.contentDisposition === 'inline' || cid !== undefined,
      ...(blobKey !== undefined ? { blobKey } : {}),
      sha256: att.checksum,
    });
  };

  // What our consumer threw: pipeline may report its own teardown (an AbortError) instead.
  let consumerError: unknown;
  try {
    await pipeline(source, meter, parser, async (objects: AsyncIterable<AttachmentStream | MessageText>) => {
      try {
        for await (const data of objects) {
          if (data.type === 'attachment') await takeAttachment(data);
          else if (data.type === 'text') body = data;
        }
      } catch (err) {
        consumerError ??= err;
        throw err;
      }
    });
  } catch (err) {
    // a sink still reading an attachment must not wait forever for the rest of it
    (current as Readable | null)?.destroy(new Error('the mail stopped being parsed before this attachment ended'));
    if (sinkError !== undefined) throw sinkError;
    const cause = consumerError ?? err;
    if (cause instanceof MalformedMailError) throw cause;
    if (cause === sourceError) throw cause;
    if ((cause as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') throw cause;
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new MalformedMailError(`the MIME structure is broken: ${message}`, { cause });
  }

  if (!headerLines.some((line) => line.key.trim() !== '')) {
    throw new MalformedMailError(
      headerLines.length
        ? `no mail headers found: none of the ${headerLines.length} header lines has a "Name:"`
        : 'no mail headers found: the header block is empty',
    );
  }
  const table = readHeaders(headerLines, warnings);

  // Content type of the top-level part, and whether its multipart structure was complete.
  const contentTypeHeader = first(table, 'content-type');
  const parsedType = contentTypeHeader ? libmime.parseHeaderValue(contentTypeHeader) : null;
  let contentType = (parsedType?.value ?? '').toLowerCase().trim();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(contentType)) {
    if (contentType) warnings.add(`Content-Type "${contentType.slice(0, 100)}" is not a media type; read as text/plain`);
    contentType = 'text/plain';
  }
  if (contentType.startsWith('multipart/')) {
    const boundary = parsedType?.params.boundary;
    const splitter = (parser as unknown as { splitter?: SplitterInternals }).splitter;
    if (!boundary) {
      warnings.add(`${clip(contentType)} has no boundary parameter: its parts cannot be found`);
    } else if (splitter?.node && !(splitter.node.root === true && splitter.inEpilogue === true)) {
      warnings.add(`${clip(contentType)} ends before its closing boundary (${quote(`--${boundary}--`)}): the message is truncated or malformed; parsed the parts that were there`);
    }
  }

  // Bodies
  const parsed = body as MessageText | null;
  let html = typeof parsed?.html === 'string' && parsed.html.trim() ? parsed.html.replace(/^(?:<br\/>\n)+|(?:<br\/>\n)+$/g, '') : null;
  let text = typeof parsed?.text === 'string' ? parsed.text : '';
  if (!text.trim() && html) {
    let source = html;
    if (source.length > MAX_HTML_TO_TEXT_CHARS) {
      warnings.add(`HTML body is ${source.length} characters; only the first ${MAX_HTML_TO_TEXT_CHARS} were converted to text`);
      source = source.slice(0, MAX_HTML_TO_TEXT_CHARS);
    }
    try {
      text = htmlToText(source);
    } catch (err) {
      warnings.add(`HTML body cannot be converted to text: ${(err as Error).message}`);
      text = '';
    }
  }
  text = text.replace(/\r\n?/g, '\n');
  if (text.includes('\uFFFD')) warnings.add('text body has bytes that are not valid in its charset (shown as U+FFFD)');
  if (html !== null) html = html.replace(/\r\n?/g, '\n');

  // Identity and threading
  const rawSha256 = meter.sha256;
  let declaredId = normaliseMessageId(first(table, 'message-id') ?? '');
  if (idTooLong(declaredId)) {
    warnings.add(`Message-ID is ${Buffer.byteLength(declaredId, 'utf8')} bytes long, over the limit of ${MAX_MESSAGE_ID_BYTES}: ignored (one was made from the raw bytes)`);
    declaredId = '';
  }
  const messageIdSynthesised = declaredId === '';
  const messageId = messageIdSynthesised ? `${rawSha256}@synthesised.invalid` : declaredId;
  const idsOf = (name: string, field: string) => {
    const ids = extractMessageIds((Object.hasOwn(table.values, name) ? (table.values[name] as string[]) : []).join(' '));
    const tooLong = ids.filter(idTooLong).length;
    if (tooLong) warnings.add(`${field} has ${tooLong} id${tooLong > 1 ? 's' : ''} over ${MAX_MESSAGE_ID_BYTES} bytes long: dropped`);
    return tooLong ? ids.filter((id) => !idTooLong(id)) : ids;
  };

  const addressesIn = (name: string, field: string, values = table.raw.get(name) ?? []) =>
    parseAddressList(values, (address) => warnings.add(`${field} address ${quote(address)} is not one mailbox address: dropped`));
  const fromHeader = table.raw.get('from')?.[0];
  const from = fromHeader !== undefined ? (addressesIn('from', 'From', [fromHeader])[0] ?? null) : null;
  const fromMailboxes = addressesIn('from', 'From');
  const [to, cc, replyTo] = [addressesIn('to', 'To'), addressesIn('cc', 'Cc'), addressesIn('reply-to', 'Reply-To')];
  const [inReplyTo, references] = [idsOf('in-reply-to', 'In-Reply-To'), idsOf('references', 'References')];

  return {
    messageId,
    messageIdSynthesised,
    rawSha256,
    rawSize: meter.bytes,
    from,
    fromMailboxes,
    to,
    cc,
    replyTo,
    subject: (first(table, 'subject') ?? '').trim(),
    inReplyTo,
    references,
    date: parseDate(first(table, 'date'), warnings),
    text,
    html,
    attachments: metas,
    headers: table.values,
    contentType,
    parseWarnings: boundedWarnings(warnings),
  };
}
