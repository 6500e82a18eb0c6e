/**
 * Outlook's conversation index, the `Thread-Index` header (MS-OXOMSG 2.2.1.3
 * PidTagConversationIndex): base64 of a 22-byte header block — a reserved byte 0x01, the top 40
 * bits of a FILETIME (big-endian), a 16-byte GUID — and one 5-byte child block per reply: a
 * time-difference code bit, a 31-bit time difference, 4 random bits, a 4-bit sequence count.
 * Outlook and Exchange put mails whose indexes share a header block in one conversation, and a
 * reply's index is its parent's plus one child block.
 *
 * How Outlook computes a child's time difference is not what the spec's table suggests, and we
 * do what Outlook does (checked against public Outlook and Exchange Online headers, see
 * test/unit/thread-index.test.ts): it reads the first six bytes as the top 48 bits of a FILETIME
 * (the layout of Outlook 2003/2007 indexes, "Ac…", where that was the header time), adds the
 * earlier children's differences, and encodes the time since then. On today's indexes ("AQH…")
 * that base lies in 1830, so the difference always takes the long form (code 1: bits 23–53)
 * and wraps at 2^54 ticks (57 years); the wrap cancels out in the next child.
 *
 * Pure: the same inputs give the same bytes (the random bits are the caller's).
 */
import { createHash } from 'node:crypto';

export interface ChildBlock {
  /** 0: the difference is bits 18–48 of the ticks; 1: bits 23–53. */
  deltaCode: 0 | 1;
  /** The 31-bit time difference as written. */
  timeDelta: number;
  random: number;
  sequence: number;
  /** When the reply was made, as Outlook's arithmetic reads it back. */
  at: Date;
}

export interface ConversationIndex {
  /** The whole index as it decodes. */
  bytes: Buffer;
  /**
   * `current`: reserved 0x01 and FILETIME bits 24–63 (Outlook 2010 on, Exchange, "AQH…");
   * `legacy`: FILETIME bits 16–63, whose top byte is the 0x01 (Outlook 2003/2007, "Ac…").
   */
  layout: 'current' | 'legacy';
  /** When the conversation started, to the header block's precision (1.7 s current, 6.6 ms legacy). */
  startedAt: Date;
  /** The conversation's GUID, Data1–Data3 big-endian as the spec stores them. */
  guid: string;
  children: ChildBlock[];
}

const HEADER_BYTES = 22;
const CHILD_BYTES = 5;
/** 100 ns ticks from 1601-01-01 (FILETIME's epoch) to 1970-01-01. */
const FILETIME_UNIX_EPOCH = 116_444_736_000_000_000n;
/** A difference below 2^49 ticks (1.78 years) fits the short form. */
const SHORT_FORM_LIMIT = 1n << 49n;
const WRAP = 1n << 54n;
const DELTA_MASK = 0x7fff_ffffn;

/**
 * The longest index a header line can carry: "Thread-Index: " and the value within RFC 5322's
 * 998 characters (base64 has no place to fold). That is the header block and 143 children.
 */
export const MAX_THREAD_INDEX_CHARS = 998 - 'Thread-Index: '.length;
const MAX_BYTES = Math.floor((MAX_THREAD_INDEX_CHARS / 4) * 3);
const MAX_CHILDREN = Math.floor((MAX_BYTES - HEADER_BYTES) / CHILD_BYTES);

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function fileTime(at: Date): bigint {
  return BigInt(at.getTime()) * 10_000n + FILETIME_UNIX_EPOCH;
}

function dateOf(ticks: bigint): Date {
  return new Date(Number((ticks - FILETIME_UNIX_EPOCH) / 10_000n));
}

function bigEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  return value;
}

/** The base Outlook measures a new child from: the first six bytes as FILETIME bits 16–63. */
function outlookBase(bytes: Buffer): bigint {
  return bigEndian(bytes.subarray(0, 6)) << 16n;
}

function childTicks(block: Buffer): { deltaCode: 0 | 1; timeDelta: number; ticks: bigint } {
  const word = block.readUInt32BE(0);
  const deltaCode = (word >>> 31) as 0 | 1;
  const timeDelta = word & 0x7fff_ffff;
  return { deltaCode, timeDelta, ticks: BigInt(timeDelta) << (deltaCode ? 23n : 18n) };
}

/**
 * A Thread-Index header value read, or null when it is not one: not canonical base64, not
 * 22 + 5n bytes, no 0x01 first byte, or longer than a header line holds. A malformed index is
 * the sender's business; it is ignored, never an error.
 */
export function parseThreadIndex(value: string | undefined | null): ConversationIndex | null {
  if (typeof value !== 'string') return null;
  const text = value.replace(/\s+/g, '');
  if (text.length === 0 || text.length > MAX_THREAD_INDEX_CHARS || text.length % 4 !== 0 || !BASE64.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  // Canonical only: stray bits in the padding would make two spellings of one index.
  if (bytes.toString('base64') !== text) return null;
  if (bytes.length < HEADER_BYTES || (bytes.length - HEADER_BYTES) % CHILD_BYTES !== 0 || bytes[0] !== 0x01) return null;

  const layout = bytes[1] === 0x01 ? 'current' : 'legacy';
  const { start, times } = timeline(bytes);
  const children = times.map((at, i): ChildBlock => {
    const block = bytes.subarray(HEADER_BYTES + i * CHILD_BYTES, HEADER_BYTES + (i + 1) * CHILD_BYTES);
    const { deltaCode, timeDelta } = childTicks(block);
    return { deltaCode, timeDelta, random: block[4]! >> 4, sequence: block[4]! & 0x0f, at: dateOf(at) };
  });
  return { bytes, layout, startedAt: dateOf(start), guid: guidText(bytes.subarray(6, HEADER_BYTES)), children };
}

/** A new conversation's header block (current layout), started at `startedAt`, with this GUID. */
export function newThreadIndex(startedAt: Date, guid: Uint8Array): string {
  if (guid.length !== 16) throw new RangeError(`a conversation GUID has 16 bytes, not ${guid.length}`);
  const ticks = fileTime(startedAt);
  // The reserved byte stands for FILETIME's top byte, which is 0x01 from 1829 to 2057.
  if (ticks >> 56n !== 1n) throw new RangeError(`${startedAt.toISOString()} is outside the years a conversation index can hold`);
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = 0x01;
  const top40 = ticks >> 24n;
  for (let i = 0; i < 5; i++) header[1 + i] = Number((top40 >> BigInt(8 * (4 - i))) & 0xffn);
  header.set(guid, 6);
  return header.toString('base64');
}

/** The header block alone (base64): what every mail of the conversation starts with. */
export function conversationRoot(index: ConversationIndex): string {
  return index.bytes.subarray(0, HEADER_BYTES).toString('base64');
}

/**
 * The index of a reply made at `at` to a mail whose index is `parent`: the parent's bytes and one
 * child block, measured as Outlook measures it, with these 4 random bits and sequence count 0.
 * A parent with no room for another child within a header line keeps its header block (the
 * conversation) and gets this one child: the reply stays in the conversation, its place in the
 * tree is lost.
 */
export function withChildBlock(parent: ConversationIndex, at: Date, random: number): string {
  const kept = parent.children.length < MAX_CHILDREN ? parent.bytes : parent.bytes.subarray(0, HEADER_BYTES);
  const { sum, latest } = timeline(kept);
  // A parent from the future (a sender's wrong clock): the reply is placed at it, not before it.
  const ticks = fileTime(at) > latest ? fileTime(at) : latest;
  const delta = ticks - sum;
  const word = delta < SHORT_FORM_LIMIT ? delta >> 18n : (1n << 31n) | ((delta >> 23n) & DELTA_MASK);
  const child = Buffer.alloc(CHILD_BYTES);
  child.writeUInt32BE(Number(word), 0);
  child[4] = (random & 0x0f) << 4;
  return Buffer.concat([kept, child]).toString('base64');
}

/**
 * An index's times: `start`, its header block's; `times`, each child's; `latest`, the last of
 * them; and `sum`, Outlook's running base for the next child (see the top of this file).
 */
function timeline(bytes: Buffer): { sum: bigint; latest: bigint; start: bigint; times: bigint[] } {
  const current = bytes[1] === 0x01;
  const start = current ? bigEndian(bytes.subarray(1, 6)) << 24n : outlookBase(bytes);
  let sum = outlookBase(bytes);
  const times: bigint[] = [];
  for (let offset = HEADER_BYTES; offset < bytes.length; offset += CHILD_BYTES) {
    sum += childTicks(bytes.subarray(offset, offset + CHILD_BYTES)).ticks;
    // On a current index the sum runs from 1830 and wraps every 2^54 ticks (57 years): brought
    // back to within half a wrap of the start.
    const since = (((sum - start) % WRAP) + WRAP) % WRAP;
    times.push(current ? start + (since >= WRAP / 2n ? since - WRAP : since) : sum);
  }
  return { sum, latest: times.at(-1) ?? start, start, times };
}

/**
 * A name-based GUID (RFC 9562 version 8: SHA-256 of the name, version and variant bits set),
 * so the same ticket always names the same conversation.
 */
export function guidFromName(name: string): Uint8Array {
  const bytes = createHash('sha256').update(`thread-index\0${name}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return new Uint8Array(bytes);
}

function guidText(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
