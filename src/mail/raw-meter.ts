/**
 * The raw-byte meter: size limit, sha256, header-line count, "is this mail", CR-only line
 * endings. The raw bytes pass through it on their way to mailparser one chunk at a time; it
 * keeps a running hash and counters, never the message.
 */
import { createHash, type Hash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { MalformedMailError, MessageTooLargeError, type ParseLimits } from './parse-errors.js';

/** mailsplit stops at 1 MiB of header for one MIME node; counting stops there too. */
const MAX_HEADER_SCAN_BYTES = 1024 * 1024;
const SOURCE_CHUNK_BYTES = 64 * 1024;

function hexStart(bytes: Buffer): string {
  return [...bytes.subarray(0, 12)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

export class RawMeter extends Transform {
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

export function bufferSource(raw: Buffer): Readable {
  return Readable.from(
    (function* chunks() {
      for (let at = 0; at < raw.length; at += SOURCE_CHUNK_BYTES) yield raw.subarray(at, at + SOURCE_CHUNK_BYTES);
    })(),
    { objectMode: false },
  );
}
