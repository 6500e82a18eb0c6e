/**
 * How much of what people send us we keep where. Every DynamoDB item stays far below its
 * 400 KB limit whatever arrives: long text goes to S3 whole, and items keep a bounded excerpt.
 */

/** Visible text kept in a message item; the whole text goes to S3 beside the raw mail when longer. */
export const STORED_TEXT_BYTES = 16 * 1024;
/** What a staff notification quotes of a mail: the rest is on the ticket. */
export const NOTICE_TEXT_BYTES = 16 * 1024;
/** A staff member's answer relayed to the requester (a longer one is cut, and says so). */
export const RELAY_TEXT_BYTES = 48 * 1024;
/** Each of the texts we sent kept on a ticket to clean replies that paste them back. */
export const KEPT_TEXT_BYTES = 8 * 1024;
/** Triage, missing-information and duplicate detection read this much of a mail: a request states its problem early. */
export const ANALYSED_TEXT_CHARS = 64 * 1024;
/** Quotes and signatures are looked for in this much of a body; a longer one (a pasted log) is kept whole as it came. */
export const VISIBLE_TEXT_INPUT_CHARS = 4 * ANALYSED_TEXT_CHARS;
export const MAX_SUBJECT_CHARS = 400;
/** People and attachments listed on one ticket or message item. */
export const MAX_LISTED = 100;
/** A reason or a stored one-line string. */
export const MAX_REASON_CHARS = 2000;

/** The text cut to at most `maxBytes` of UTF-8 at a character boundary, marked when cut. */
export function boundedText(text: string, maxBytes: number, marker = '\n…'): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const room = maxBytes - Buffer.byteLength(marker);
  let cut = Buffer.from(text).subarray(0, Math.max(0, room)).toString('utf8');
  // A cut inside a multi-byte character decodes to U+FFFD at the end: drop it.
  cut = cut.replace(/\uFFFD+$/, '');
  return `${cut}${marker}`;
}

export { boundedLine } from '../domain/text.js';

export function boundedList<T>(items: T[], max = MAX_LISTED): T[] {
  return items.length <= max ? items : items.slice(0, max);
}
