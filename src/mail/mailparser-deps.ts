/**
 * mailparser's own helpers: libmime, iconv-lite and encoding-japanese, typed for what we call.
 * Headers, charsets and attachment names all go through these, so that we decode with exactly
 * the copies (and charset tables) mailparser uses.
 */
import encodingJapaneseModule from 'encoding-japanese';
import iconvModule from 'iconv-lite';
import libmimeModule from 'libmime';
import { decodeFlowed } from './flowed.js';

interface Libmime {
  decodeWords(value: string): string;
  normalizeCharset(charset: string): string;
  parseHeaderValue(value: string): { value: string; params: Record<string, string> };
  detectExtension(mimeType: string): string;
}
export interface IconvLite {
  encodingExists(name: string): boolean;
  getDecoder(name: string): { write(buf: Buffer): string; end(): string | undefined };
  decode(buf: Buffer, name: string): string;
}
interface EncodingJapanese {
  convert(data: Buffer, options: { to: string; from: string; type: 'string' }): unknown;
}

// The same packages (pinned to mailparser's versions) that mailparser decodes with, imported
// plainly so a bundler follows them: our charset checks must agree with mailparser's decoding.
// (In the Lambda bundles iconv-lite and encoding-japanese are stand-ins that load the packages
// from files beside the bundle on first use: infra/lambda-bundling.ts.)
export const libmime = libmimeModule as unknown as Libmime;

// mailparser unwraps format=flowed text with libmime's decodeFlowed (through mailsplit's
// FlowedDecoder, which makes its own Libmime), and that one joins lines across quote depths:
// replaced on the class by one that keeps RFC 3676's rule (flowed.ts).
(libmimeModule as unknown as { Libmime: { prototype: { decodeFlowed: typeof decodeFlowed } } }).Libmime.prototype.decodeFlowed = decodeFlowed;
export const iconv = iconvModule as unknown as IconvLite;
export const encodingJapanese = encodingJapaneseModule as unknown as EncodingJapanese;
