/** An attachment's filename: its own, made safe to show, or one made from its content type. */
import { readUndeclared8Bit } from './charsets.js';
import { libmime } from './mailparser-deps.js';
import { quote } from './parse-warnings.js';

/** A name that is one byte per character: what mailsplit hands over for a part header that is not valid UTF-8. */
const BYTES_AS_CHARACTERS = /^[\x00-\xff]*[\x80-\xff][\x00-\xff]*$/;

function defaultFilename(contentType: string, index: number): string {
  const ext = libmime.detectExtension(contentType) || 'bin';
  const stem = contentType.startsWith('image/') ? 'image' : contentType === 'message/rfc822' ? 'message' : 'attachment';
  return `${stem}-${index + 1}.${ext}`;
}

/**
 * mailsplit reads a part header whose raw bytes are not all valid UTF-8 as Latin-1, whole; a
 * name that is UTF-8 but for a broken byte is read again as UTF-8, the broken byte as U+FFFD
 * (the same rule as the top-level headers). A name that is Latin-1 (or already decoded) stays.
 */
function repairedName(name: string, index: number, warnings: Set<string>): string {
  if (!BYTES_AS_CHARACTERS.test(name)) return name;
  const { text, read } = readUndeclared8Bit(Buffer.from(name, 'latin1'));
  if (read !== 'utf-8 with U+FFFD') return name;
  warnings.add(`attachment ${index + 1} name ${quote(text)} has bytes that are not valid UTF-8; shown as U+FFFD`);
  return text;
}

/** The attachment's own name, made safe to show (no path, no control characters), or one made from its type. */
export function attachmentFilename(raw: string | undefined, contentType: string, index: number, warnings: Set<string>): string {
  let name = repairedName(raw ?? '', index, warnings);
  name = name.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  name = (name.split(/[\\/]/).pop() ?? '').trim();
  if (name === '.' || name === '..') name = '';
  if (name.length > 255) name = name.slice(0, 255);
  return name || defaultFilename(contentType, index);
}
