/**
 * The top-level header block as read from mailparser's raw `headerLines`: unfolded, 8-bit bytes
 * read as UTF-8 (a broken byte in otherwise UTF-8 as U+FFFD) or, when they are no UTF-8 at all,
 * as Latin-1, encoded words decoded except in address fields.
 */
import type { HeaderLines } from 'mailparser';
import { charsetKnown, readUndeclared8Bit } from './charsets.js';
import { libmime } from './mailparser-deps.js';
import { quote } from './parse-warnings.js';

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

/** A header line with no byte above 0x7f is the same text read as Latin-1 or as UTF-8. */
const ASCII_ONLY = /^[\x00-\x7f]*$/;

export interface HeaderTable {
  /** Lower-cased name → values, in order. */
  values: Record<string, string[]>;
  /** Lower-cased name → unfolded values before encoded-word decoding (for address fields). */
  raw: Map<string, string[]>;
}

function addValue(target: Record<string, string[]>, key: string, value: string): void {
  if (Object.hasOwn(target, key)) (target[key] as string[]).push(value);
  // defineProperty: a header named "__proto__" must become an ordinary key, not a prototype
  else if (key === '__proto__') Object.defineProperty(target, key, { value: [value], enumerable: true, writable: true, configurable: true });
  else target[key] = [value];
}

/**
 * libmime's encoded-word decoding; a value it would return unchanged (no "=?", no NUL of its
 * join marker) is not handed to it. A value it cannot decode is kept as it is.
 */
export function decodeWordsSafe(value: string): string {
  if (!value.includes('=?') && !value.includes('\x00')) return value;
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

export function readHeaders(lines: HeaderLines, warnings: Set<string>): HeaderTable {
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
    let text = line;
    if (!ASCII_ONLY.test(line)) {
      const { text: decoded, read } = readUndeclared8Bit(Buffer.from(line, 'latin1'));
      text = decoded;
      if (read === 'utf-8 with U+FFFD') warnings.add(`header ${quote(name)} has bytes that are not valid UTF-8; shown as U+FFFD`);
      else if (read === 'latin-1') warnings.add(`header ${quote(name)} has 8-bit bytes that are not UTF-8; read as Latin-1`);
    }
    let unfolded = text.slice(text.indexOf(':') + 1);
    if (unfolded.includes('\n') || unfolded.includes('\r')) unfolded = unfolded.replace(/\r?\n(?=[ \t])/g, '').replace(/[\r\n]/g, '');
    unfolded = unfolded.trim();
    const list = raw.get(name);
    if (list) list.push(unfolded);
    else raw.set(name, [unfolded]);
    if (unfolded.includes('=?')) {
      for (const m of unfolded.matchAll(/=\?([^?\s]+)\?[bBqQ]\?/g)) {
        const charset = (m[1] as string).split('*')[0] as string;
        if (!charsetKnown(charset)) warnings.add(`header ${quote(name)} has an encoded word in unknown charset ${quote(charset)}; decoded as UTF-8`);
      }
    }
    addValue(values, name, ADDRESS_FIELDS.has(name) ? unfolded : decodeWordsSafe(unfolded));
  }
  if (nameless) warnings.add(`${nameless} header line${nameless > 1 ? 's' : ''} without a "Name:" ignored`);
  return { values, raw };
}

export function first(table: HeaderTable, name: string): string | undefined {
  return Object.hasOwn(table.values, name) ? table.values[name]?.[0] : undefined;
}
