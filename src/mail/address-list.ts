/** Address header values (From, To, Cc, Reply-To) → mailboxes SMTP can carry. */
import addressparser from 'nodemailer/lib/addressparser';
import { decodeWordsSafe } from './headers.js';
import type { Mailbox } from './types.js';

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
  const mailboxes = new Mailboxes(onRejected);
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
          for (const inner of addressparser(decoded, { flatten: true })) mailboxes.add(inner.name || '', inner.address || '');
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
      mailboxes.add(name, address);
    }
  }
  return mailboxes.list;
}

/** The mailboxes found so far, one per address. */
class Mailboxes {
  readonly list: Mailbox[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly onRejected?: (address: string) => void) {}

  add(name: string, address: string): void {
    // obsolete syntax allows spaces (and comments, removed by addressparser) around the dots
    const addr = address.replace(/\s+/g, '').toLowerCase();
    if (!addr.includes('@') || this.seen.has(addr)) return;
    if (!isMailboxAddress(addr)) {
      this.onRejected?.(address.trim());
      return;
    }
    this.seen.add(addr);
    this.list.push({ name: name.trim(), address: addr });
  }
}
