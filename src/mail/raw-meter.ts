/**
 * The raw-byte meter: size limit, sha256, header-line count, "is this mail", CR-only line
 * endings, blank lines before the headers. The raw bytes pass through it on their way to
 * mailparser one chunk at a time; it keeps a running hash and counters, never the message.
 */
import { createHash, type Hash } from 'node:crypto';
import { MalformedMailError, MessageTooLargeError, type ParseLimits } from './parse-errors.js';

/** mailsplit stops at 1 MiB of header for one MIME node; counting stops there too. */
const MAX_HEADER_SCAN_BYTES = 1024 * 1024;
const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;

function hexStart(bytes: Buffer): string {
  return [...bytes.subarray(0, 12)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

export class RawMeter {
  bytes = 0;
  sha256 = '';
  /** Header fields (unfolded lines) of the top-level header block. */
  headerFields = 0;
  private readonly hash: Hash = createHash('sha256');
  private head: Buffer[] = [];
  private headLength = 0;
  // whitespace-only lines before the first header: skipped while 'before'; whether the current one had a byte yet
  private leading: 'before' | 'done' = 'before';
  private leadingLines = 0;
  private leadingLineStarted = false;
  // first-line check: 'name' while reading a field name, 'wsp' after "Name " (obsolete syntax)
  private firstLine: 'name' | 'wsp' | 'ok' = 'name';
  private nameSoFar = '';
  // header block scan; a line is empty while nothing but CRs has been seen on it
  private headerDone = false;
  private headerBytes = 0;
  private atLineStart = true;
  private lineEndings: 'unknown' | 'lf' | 'cr' = 'unknown';

  constructor(
    private readonly limits: ParseLimits,
    private readonly exactSize: number | null,
    private readonly warnings: Set<string>,
  ) {}

  /** Meters one chunk; returns the bytes to hand on (CR-only endings as LF). Throws `MalformedMailError`. */
  take(chunk: Buffer): Buffer {
    this.bytes += chunk.length;
    if (this.bytes > this.limits.maxMessageBytes) {
      const exact = this.exactSize !== null;
      throw new MessageTooLargeError(exact ? (this.exactSize as number) : this.bytes, this.limits.maxMessageBytes, exact);
    }
    this.hash.update(chunk);
    if (this.headLength < 16) {
      this.head.push(Buffer.from(chunk.subarray(0, 16 - this.headLength))); // a copy: a view would pin the chunk
      this.headLength += Math.min(chunk.length, 16 - this.headLength);
    }
    if (this.lineEndings === 'unknown') this.detectLineEndings(chunk);
    let out = this.lineEndings === 'cr' ? crToLf(chunk) : chunk;
    if (this.leading === 'before') out = this.skipLeadingBlankLines(out);
    if (!this.headerDone) {
      const problem = this.scanHeader(out);
      if (problem) throw problem;
    }
    return out;
  }

  /** The input has ended: throws when it was no mail; sets `sha256`. */
  end(): void {
    if (this.bytes === 0) throw new MalformedMailError('no mail headers found: the input is empty (0 bytes)');
    if (this.leading === 'before') throw new MalformedMailError(`no mail headers found: the input is only whitespace (${this.bytes} bytes)`);
    if (this.firstLine !== 'ok') throw this.notMail();
    if (!this.headerDone) {
      // the input ended inside the header block (a mail with no body)
      this.headerDone = true;
      const problem = this.checkHeaderCount();
      if (problem) throw problem;
    }
    this.sha256 = this.hash.digest('hex');
  }

  /**
   * Old Mac files end lines with a lone CR, which mailsplit does not split on: it would see one
   * endless header line. Decided on the first line ending of the input.
   */
  private detectLineEndings(buf: Buffer): void {
    const cr = buf.indexOf(CR);
    const lf = buf.indexOf(LF);
    if (cr === -1 && lf === -1) return; // first line still going on
    if (cr === -1 || (lf !== -1 && lf < cr)) {
      this.lineEndings = 'lf';
    } else if (cr + 1 < buf.length) {
      this.lineEndings = buf[cr + 1] === LF ? 'lf' : 'cr';
    } else {
      return; // a CR at the very end of this chunk: look again with the next one
    }
    if (this.lineEndings === 'cr') this.warnings.add('message has CR-only line endings; read as LF');
  }

  /**
   * A relay or archiver that writes a blank line first (" \r\n", "\r\n") leaves a mail that
   * Python's email and postal-mime read when the line holds whitespace (an empty one they take
   * as an empty header block, which leaves no one to answer): such lines are not handed on. A
   * first line with whitespace and then text is still not a header field (it continues nothing).
   */
  private skipLeadingBlankLines(buf: Buffer): Buffer {
    for (let at = 0; at < buf.length; at++) {
      const b = buf[at] as number;
      if (b === LF) {
        this.leadingLines++;
        this.leadingLineStarted = false;
      } else if (b === SP || b === HT || b === CR) {
        this.leadingLineStarted = true;
      } else {
        this.leading = 'done';
        if (this.leadingLineStarted) throw this.notMail();
        if (this.leadingLines) {
          const lines = this.leadingLines === 1 ? 'a blank line' : `${this.leadingLines} blank lines`;
          this.warnings.add(`message has ${lines} before its first header; skipped`);
        }
        return at === 0 ? buf : buf.subarray(at);
      }
    }
    return buf.subarray(buf.length);
  }

  private notMail(): MalformedMailError {
    const line = this.leadingLines ? 'the first line after the blank lines' : 'the first line';
    return new MalformedMailError(
      `no mail headers found: ${line} is not a "Name: value" header field (the input starts with bytes ${hexStart(Buffer.concat(this.head))})`,
    );
  }

  private checkHeaderCount(): MalformedMailError | null {
    if (this.headerFields <= this.limits.maxHeaderLines) return null;
    const count = this.headerDone && this.headerBytes <= MAX_HEADER_SCAN_BYTES ? `${this.headerFields}` : `more than ${this.headerFields}`;
    return new MalformedMailError(`message has ${count} header lines, over the limit of ${this.limits.maxHeaderLines}`);
  }

  /**
   * Walks the top-level header block a line at a time; byte by byte only on the first line (its
   * field name is checked) and on the line where the scan limit falls. Returns an error to stop on.
   */
  private scanHeader(buf: Buffer): MalformedMailError | null {
    let at = 0;
    while (at < buf.length && !this.headerDone) {
      const lf = buf.indexOf(LF, at);
      const end = lf === -1 ? buf.length : lf + 1;
      if (this.firstLine !== 'ok' || this.headerBytes + (end - at) > MAX_HEADER_SCAN_BYTES) {
        for (; at < end && !this.headerDone; at++) {
          if (this.scanByte(buf[at] as number) === 'bad') return this.notMail();
        }
        continue;
      }
      if (this.atLineStart) {
        let first = at;
        while (first < end && buf[first] === CR) first++;
        if (first < end && buf[first] !== LF) this.startLine(buf[first] as number);
      }
      this.headerBytes += end - at;
      if (lf !== -1) this.endLine();
      at = end;
    }
    return this.headerDone ? this.checkHeaderCount() : null;
  }

  private scanByte(b: number): 'bad' | 'ok' {
    if (this.firstLine !== 'ok' && this.firstLineByte(b) === 'bad') return 'bad';
    this.headerBytes++;
    if (b === LF) {
      this.endLine();
    } else if (b !== CR) {
      if (this.atLineStart) this.startLine(b);
      if (this.headerBytes > MAX_HEADER_SCAN_BYTES) this.headerDone = true;
    }
    return 'ok';
  }

  /** The first byte of a line that is not CR: a new field unless it is folding whitespace. */
  private startLine(b: number): void {
    this.atLineStart = false;
    if (b !== 0x20 && b !== 0x09) this.headerFields++;
  }

  /** An LF: an empty line ends the header block. */
  private endLine(): void {
    if (this.atLineStart) this.headerDone = true;
    this.atLineStart = true;
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
  for (let i = out.indexOf(CR); i !== -1; i = out.indexOf(CR, i + 1)) {
    if (out[i + 1] !== LF) out[i] = LF;
  }
  return out;
}
