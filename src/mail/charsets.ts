/**
 * Body and encoded-word charsets: which ones mailparser can decode, and the decoder it is handed
 * so that an unknown charset becomes a warning instead of silent U+FFFD.
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
