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
 *   UTF-8 when it is UTF-8 but for a few broken bytes (each U+FFFD), otherwise as Latin-1 (with
 *   a warning either way); an attachment name mailsplit read as Latin-1 gets the same rule. Where
 *   a header occurs more than once the FIRST occurrence wins for From, Subject, Date, Message-ID
 *   and Content-Type.
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
 *   in `html`). A text/plain alternative that is clearly HTML is read as HTML (with a warning).
 * - Not mail at all: the first line must be a header field ("Name: value", or an mbox
 *   "From " line), otherwise `MalformedMailError('no mail headers found: ...')`. Empty or
 *   whitespace-only lines before it are skipped, with a warning.
 * - Tolerated, with a `parseWarnings` entry: a multipart that ends before its closing boundary
 *   (found from mailsplit's state at the end; pinned mailparser 3.9.31), a body in an unknown
 *   charset (decoded as UTF-8 when valid, else Windows-1252), an encoded word in an unknown
 *   charset, non-UTF-8 8-bit header bytes, U+FFFD in the text, an unreadable Date, CR-only line
 *   endings (read as LF; the sha256 is of the bytes as received).
 *
 * The parts live beside this file, one concern each: raw-meter.ts, charsets.ts, headers.ts,
 * message-ids.ts, address-list.ts, dates.ts, body-text.ts, attachment-names.ts, with
 * parse-errors.ts and parse-warnings.ts.
 */
import { finished, type Readable } from 'node:stream';
import { finished as untilFinished } from 'node:stream/promises';
import { MailParser, type AttachmentStream, type HeaderLines, type MessageText } from 'mailparser';
import { parseAddressList } from './address-list.js';
import { attachmentFilename } from './attachment-names.js';
import { htmlStart, htmlToText, MAX_HTML_TO_TEXT_CHARS } from './body-text.js';
import { charsetDecoderFor } from './charsets.js';
import { parseDate } from './dates.js';
import { first, readHeaders, type HeaderTable } from './headers.js';
import { libmime } from './mailparser-deps.js';
import { extractMessageIds, idTooLong, MAX_MESSAGE_ID_BYTES, normaliseMessageId } from './message-ids.js';
import { MalformedMailError, MessageTooLargeError, type ParseLimits } from './parse-errors.js';
import { boundedWarnings, clip, quote } from './parse-warnings.js';
import { RawMeter } from './raw-meter.js';
import type { AttachmentMeta, InboundMessage, Mailbox } from './types.js';

// What this module exported before its parts moved out; importers keep importing from here.
export { parseAddressList } from './address-list.js';
export { extractMessageIds, MAX_MESSAGE_ID_BYTES, normaliseMessageId } from './message-ids.js';
export { MalformedMailError, MessageTooLargeError, type ParseLimits } from './parse-errors.js';

export interface AttachmentSink {
  /** Store one attachment's bytes as they stream; returns the blob key. Must consume the stream. */
  put(input: { index: number; filename: string; contentType: string; content: NodeJS.ReadableStream }): Promise<{ blobKey: string }>;
}

interface SplitterInternals {
  node?: { root?: boolean } | null;
  inEpilogue?: boolean;
}

/** A part in mailparser's tree, as its `getTextContent` reads it to assemble `text` and `html`. */
interface TextTreeNode {
  contentType?: string | false;
  textContent?: string;
  children?: TextTreeNode[];
}

interface TextAssemblyInternals {
  tree?: TextTreeNode;
  getTextContent(): unknown;
}

/** A Buffer input is metered and handed to mailparser in pieces of this size. */
const WRITE_PIECE_BYTES = 64 * 1024;

/** What mailparser delivered: the top-level header lines, the text bodies, the attachments it streamed. */
interface MailParts {
  headerLines: HeaderLines;
  body: MessageText | null;
  attachments: AttachmentMeta[];
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
  const meter = new RawMeter(limits, Buffer.isBuffer(raw) ? raw.length : null, warnings);
  const parser = new MailParser({
    skipHtmlToText: true, // we convert HTML ourselves, with our options, only when there is no text
    skipTextToHtml: true,
    skipImageLinks: true,
    checksumAlgo: 'sha256', // mailparser hashes each attachment as it streams; sha256 instead of md5
    Iconv: charsetDecoderFor(warnings) as never,
  });
  readHtmlAlternativesAsHtml(parser, warnings);
  const { headerLines, body, attachments: metas } = await new MailRun(parser, meter, sink, warnings).run(raw);

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
  let html = typeof body?.html === 'string' && body.html.trim() ? body.html.replace(/^(?:<br\/>\n)+|(?:<br\/>\n)+$/g, '') : null;
  let text = typeof body?.text === 'string' ? body.text : '';
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
  const fromValues = table.raw.get('from') ?? [];
  const fromMailboxes = addressesIn(fromValues, 'From', warnings);
  // the first mailbox of the first From header (with one From header: the first of them all), its own object
  const fromFirst = fromValues.length > 1 ? addressesIn(fromValues.slice(0, 1), 'From', warnings)[0] : fromMailboxes[0];
  const from = fromFirst ? { ...fromFirst } : null;
  const to = addressesIn(table.raw.get('to') ?? [], 'To', warnings);
  const cc = addressesIn(table.raw.get('cc') ?? [], 'Cc', warnings);
  const replyTo = addressesIn(table.raw.get('reply-to') ?? [], 'Reply-To', warnings);
  const inReplyTo = idsIn(table, 'in-reply-to', 'In-Reply-To', warnings);
  const references = idsIn(table, 'references', 'References', warnings);

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

/**
 * A text/plain alternative that is clearly HTML (a relay rebuilt the HTML alternative and labelled
 * it text/plain) is read as the HTML it is: mailparser puts every text/plain part into `text`, so
 * its markup would end the ticket's text. The parts are relabelled on mailparser's own tree just
 * before mailparser assembles `text` and `html` from it (pinned mailparser 3.9.31), so the genuine
 * plain alternative is the text and the markup is `html` (converted to text when it is all there is).
 * Outside multipart/alternative, a text/plain part is left as the sender labelled it.
 */
function readHtmlAlternativesAsHtml(parser: MailParser, warnings: Set<string>): void {
  const internals = parser as unknown as TextAssemblyInternals;
  const assemble = internals.getTextContent;
  internals.getTextContent = function (this: TextAssemblyInternals) {
    if (this.tree) relabelHtmlAlternatives(this.tree, false, warnings);
    return assemble.call(this);
  };
}

function relabelHtmlAlternatives(node: TextTreeNode, inAlternative: boolean, warnings: Set<string>): void {
  if (inAlternative && node.contentType === 'text/plain' && typeof node.textContent === 'string') {
    const start = htmlStart(node.textContent);
    if (start !== null) {
      node.contentType = 'text/html';
      warnings.add(`a text/plain alternative of multipart/alternative is HTML (it starts with ${quote(start)}); read as HTML`);
    }
  }
  const alternative = inAlternative || node.contentType === 'multipart/alternative';
  for (const child of node.children ?? []) relabelHtmlAlternatives(child, alternative, warnings);
}

/** Mailboxes of one address field's raw values; a dropped "address" is a warning. */
function addressesIn(values: string[], field: string, warnings: Set<string>): Mailbox[] {
  return parseAddressList(values, (address) => warnings.add(`${field} address ${quote(address)} is not one mailbox address: dropped`));
}

/** The ids of In-Reply-To or References, all occurrences; an id too long to echo is dropped with a warning. */
function idsIn(table: HeaderTable, name: string, field: string, warnings: Set<string>): string[] {
  const ids = extractMessageIds((Object.hasOwn(table.values, name) ? (table.values[name] as string[]) : []).join(' '));
  const tooLong = ids.filter(idTooLong).length;
  if (tooLong) warnings.add(`${field} has ${tooLong} id${tooLong > 1 ? 's' : ''} over ${MAX_MESSAGE_ID_BYTES} bytes long: dropped`);
  return tooLong ? ids.filter((id) => !idTooLong(id)) : ids;
}

/**
 * One parse's traffic with mailparser: the raw bytes go through the meter into it, and what it
 * delivers is taken, one attachment at a time into the sink. No stream sits between the caller's
 * bytes and mailparser: a Buffer is metered and written in pieces, a stream's chunks as they
 * come, mailparser's backpressure pausing either. The first failure ends the parse: the raw
 * stream is destroyed, and so is an attachment stream the sink is still reading.
 */
class MailRun {
  private readonly parts: MailParts = { headerLines: [], body: null, attachments: [] };
  /** The attachment being streamed into the sink, to end it when the parse fails midway. */
  private current: Readable | null = null;
  private taking = false;
  private ended = false;
  private settled = false;
  private source: NodeJS.ReadableStream | null = null;
  private resolve!: (parts: MailParts) => void;
  private reject!: (err: unknown) => void;

  constructor(
    private readonly parser: MailParser,
    private readonly meter: RawMeter,
    private readonly sink: AttachmentSink | undefined,
    private readonly warnings: Set<string>,
  ) {}

  run(raw: NodeJS.ReadableStream | Buffer): Promise<MailParts> {
    return new Promise<MailParts>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
      const { parser } = this;
      parser.on('headerLines', (lines: HeaderLines) => {
        this.parts.headerLines = lines;
      });
      parser.on('readable', () => this.read());
      parser.on('error', (err: unknown) => this.fail(err, true));
      parser.on('end', () => {
        this.ended = true;
        this.succeed();
      });
      if (Buffer.isBuffer(raw)) this.writeBuffer(raw);
      else this.writeStream(raw);
    });
  }

  /** `err` as the caller sees it: ours, the raw stream's and the sink's as they are; mailparser's as a broken MIME structure. */
  private fail(err: unknown, fromMailparser = false): void {
    if (this.settled) return;
    this.settled = true;
    this.current?.destroy(new Error('the mail stopped being parsed before this attachment ended'));
    (this.source as Partial<Readable> | null)?.destroy?.();
    this.parser.destroy();
    if (!fromMailparser || err instanceof MalformedMailError) return this.reject(err);
    const message = err instanceof Error ? err.message : String(err);
    this.reject(new MalformedMailError(`the MIME structure is broken: ${message}`, { cause: err }));
  }

  private succeed(): void {
    if (this.settled || this.taking || !this.ended) return;
    this.settled = true;
    this.resolve(this.parts);
  }

  private read(): void {
    let data: AttachmentStream | MessageText | null;
    while (!this.taking && !this.settled && (data = this.parser.read() as AttachmentStream | MessageText | null) !== null) {
      if (data.type === 'text') {
        this.parts.body = data;
      } else if (data.type === 'attachment') {
        this.taking = true;
        this.takeAttachment(data).then(
          () => {
            this.taking = false;
            this.read();
            this.succeed();
          },
          (err: unknown) => this.fail(err),
        );
      }
    }
  }

  private async takeAttachment(att: AttachmentStream): Promise<void> {
    const index = this.parts.attachments.length;
    const contentType = (att.contentType || 'application/octet-stream').toLowerCase().trim();
    const filename = attachmentFilename(att.filename, contentType, index, this.warnings);
    const content = att.content as Readable;
    this.current = content;
    let contentError: unknown;
    content.on('error', (err: unknown) => {
      contentError ??= err;
    });
    let blobKey: string | undefined;
    try {
      if (this.sink) ({ blobKey } = await this.sink.put({ index, filename, contentType, content }));
      if (!content.readableEnded) content.resume(); // whatever the sink left (or no sink): drain
      await untilFinished(content);
    } catch (err) {
      if (contentError === undefined) throw err; // the sink's own failure
      throw new MalformedMailError(`attachment ${index + 1} (${filename}) cannot be decoded: ${(contentError as Error).message}`, {
        cause: contentError,
      });
    } finally {
      this.current = null;
      att.release();
    }
    const cid = att.cid?.trim() || undefined;
    this.parts.attachments.push({
      filename,
      contentType,
      size: att.size,
      ...(cid ? { contentId: cid } : {}),
      inline: att.contentDisposition === 'inline' || cid !== undefined,
      ...(blobKey !== undefined ? { blobKey } : {}),
      sha256: att.checksum,
    });
  }

  /** A Buffer in 64 KiB pieces, as mailparser takes them: a CR-only mail is converted a piece at a time. */
  private writeBuffer(raw: Buffer, from = 0): void {
    for (let at = from; at < raw.length; ) {
      if (this.settled) return;
      let piece = raw.subarray(at, at + WRITE_PIECE_BYTES);
      at += piece.length;
      try {
        piece = this.meter.take(piece);
      } catch (err) {
        return this.fail(err);
      }
      if (!this.parser.write(piece)) {
        this.parser.once('drain', () => this.writeBuffer(raw, at));
        return;
      }
    }
    this.endInput();
  }

  /** A stream's chunks are metered as they come; the stream waits while mailparser is full. */
  private writeStream(source: NodeJS.ReadableStream): void {
    this.source = source;
    source.on('data', (chunk: Buffer | string) => {
      if (this.settled) return;
      let bytes: Buffer;
      try {
        bytes = this.meter.take(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      } catch (err) {
        return this.fail(err);
      }
      if (!this.parser.write(bytes)) {
        source.pause();
        this.parser.once('drain', () => source.resume());
      }
    });
    // an error of the stream, or its end before all of it was read (ERR_STREAM_PREMATURE_CLOSE), as it is
    finished(source, (err) => {
      if (this.settled) return;
      if (err) return this.fail(err);
      this.endInput();
    });
  }

  private endInput(): void {
    try {
      this.meter.end();
    } catch (err) {
      return this.fail(err);
    }
    this.parser.end();
  }
}
