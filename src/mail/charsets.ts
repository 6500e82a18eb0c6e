/**
 * Body and encoded-word charsets: which ones mailparser can decode, and the decoder it is handed
 * so that an unknown charset becomes a warning instead of silent U+FFFD; and how 8-bit bytes that
 * declare no charset at all (a raw header, a raw attachment name) are read.
 */
import { isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { encodingJapanese, iconv, libmime, type IconvLite } from './mailparser-deps.js';
import { quote } from './parse-warnings.js';

const JAPANESE_CHARSET = /^jis|^iso-?2022-?jp/i;

/** Whether mailparser/libmime can decode this charset name (as declared in the mail). */
export function charsetKnown(declared: string): boolean {
  if (/^(us-?)?ascii$|^utf-?8$/i.test(declared.trim())) return true;
  const name = libmime.normalizeCharset(declared);
  return JAPANESE_CHARSET.test(name) || /^EUCJP/i.test(name) || iconv.encodingExists(name);
}

/** How `readUndeclared8Bit` read the bytes. */
export type Undeclared8BitReading = 'utf-8' | 'utf-8 with U+FFFD' | 'latin-1';

/**
 * 8-bit bytes with no charset of their own (RFC 6532 raw UTF-8, or a legacy client's Latin-1):
 * UTF-8 when they are UTF-8, and also when they are UTF-8 but for a few broken bytes (a relay
 * that mangled one byte): each broken byte becomes U+FFFD, as in a mail client, instead of the
 * whole value turning into Latin-1 mojibake. "Mostly UTF-8" means more well-formed multi-byte
 * characters than broken sequences; Latin-1 text next to never holds a well-formed one (it would
 * take an accented capital followed by a symbol), so it is still read as Latin-1.
 */
export function readUndeclared8Bit(bytes: Buffer): { text: string; read: Undeclared8BitReading } {
  const utf8 = bytes.toString('utf8'); // WHATWG decoding: one U+FFFD per broken sequence
  if (isUtf8(bytes)) return { text: utf8, read: 'utf-8' };
  let wellFormed = 0;
  let broken = 0;
  for (const char of utf8) {
    if (char === '\uFFFD') broken++;
    else if (char > '\x7f') wellFormed++;
  }
  return wellFormed > broken ? { text: utf8, read: 'utf-8 with U+FFFD' } : { text: bytes.toString('latin1'), read: 'latin-1' };
}

/**
 * A node-iconv look-alike handed to MailParser (`options.Iconv`): mailparser then routes every
 * body charset through it. Known charsets decode exactly as mailparser's default path does
 * (libmime's alias table, iconv-lite, encoding-japanese for JIS); an unknown charset is decoded
 * as UTF-8 when the bytes are valid UTF-8 and as Windows-1252 otherwise, with a warning,
 * instead of mailparser's silent UTF-8 with U+FFFD.
 *
 * mailparser calls `new Iconv(charset, target)`: a plain function that returns the decoder serves
 * as that constructor, and costs a closure per parse instead of a class.
 */
export function charsetDecoderFor(warnings: Set<string>) {
  return function (charset: string) {
    return new CharsetDecoder(charset, warnings);
  };
}

class CharsetDecoder extends Transform {
  private readonly declared: string;
  private readonly name: string;
  private readonly mode: 'iconv' | 'japanese' | 'fallback';
  private readonly decoder: ReturnType<IconvLite['getDecoder']> | null = null;
  private chunks: Buffer[] = [];

  constructor(
    charset: string,
    private readonly warnings: Set<string>,
  ) {
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
        this.warnings.add(`body part in charset ${quote(this.declared)} could not be decoded; kept as UTF-8`);
        this.push(input);
      }
      return done();
    }
    if (isUtf8(input)) {
      this.warnings.add(`body part declares unknown charset ${quote(this.declared)}; decoded as UTF-8`);
      this.push(input);
    } else {
      this.warnings.add(`body part declares unknown charset ${quote(this.declared)}; decoded as Windows-1252`);
      this.push(Buffer.from(iconv.decode(input, 'windows-1252'), 'utf8'));
    }
    done();
  }
}
