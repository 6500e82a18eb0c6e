// Forwards: a forward keeps the forwarded message, which is what the sender wants us to read.

import { emailSchema } from '../../domain/addresses.js';
import { alternation, fromEveryLanguage, LANGUAGES, type HeaderField } from '../../domain/languages/language.js';
import { isForwardSubject } from '../../domain/subject-prefixes.js';
import { decodeWordsSafe } from '../headers.js';
import type { VisibleText } from '../visible-text.js';
import { abbreviate, codeFenceMask, isBlank, isQuoted, joinTrimmed, MAX_PATTERN_LINE, splitLines, type LineRole } from './lines.js';
import { findOutlookBlocks, isOriginalMessageLine, UNDERSCORE_LINE, type OutlookBlocks } from './outlook-blocks.js';
import { findReplyHeaders, splitInlineHeaders, type HeaderSpans } from './reply-headers.js';
import { findSignOffCard, isMobileSignature } from './signatures.js';

const FORWARD_SEPARATOR = new RegExp(
  `^[\\s*]*-{2,}\\s*(?:${alternation(fromEveryLanguage((language) => language.forwardSeparator))})\\s*-{2,}[\\s*]*$`,
  'iu',
);
const FORWARD_INTRO = new RegExp(
  `^\\s*(?:${alternation(fromEveryLanguage((language) => language.forwardIntro))})\\s*(?::\\s*)?$`,
  'iu',
);

export interface Forward {
  start: number;
  marker: string;
}

/** The mail is a forward when its first history marker is a forward marker (or the subject says so). */
export function findForward(
  lines: string[],
  inFence: boolean[],
  headers: HeaderSpans,
  outlookBlocks: OutlookBlocks,
  subject: string | undefined,
): Forward | undefined {
  const forwardBySubject = subject !== undefined && isForwardSubject(subject);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (inFence[i] || line.length > MAX_PATTERN_LINE) continue;
    if (isForwardMarker(line)) return { start: i, marker: line.trim() };
    // Apple Mail may quote the whole forward, its "Begin forwarded message:" included.
    if (isQuoted(line) && isForwardMarker(line.replace(/^\s*(?:>\s?)+/, ''))) {
      return { start: i, marker: line.replace(/^\s*(?:>\s?)+/, '').trim() };
    }
    const isReplyMarker =
      headers.has(i) || outlookBlocks.has(i) || isOriginalMessageLine(line) || UNDERSCORE_LINE.test(line);
    if (isReplyMarker) return forwardBySubject ? { start: i, marker: line.trim() } : undefined;
  }
  return undefined;
}

export function isForwardMarker(line: string): boolean {
  return line.includes('--') ? FORWARD_SEPARATOR.test(line) : line.length < 80 && FORWARD_INTRO.test(line);
}

export function keepForward(lines: string[], forward: Forward): VisibleText {
  // The forwarder's own "Sent from my iPhone" and contact card above the forwarded message are
  // still noise: the note's sign-off and name stay, as in a reply.
  const note = lines.slice(0, forward.start);
  const role: LineRole[] = note.map((line) => (line.trim() === '' ? 'blank' : 'own'));
  const card = findSignOffCard(note, role);
  const kept: string[] = [];
  let removedSignature = false;
  for (const [i, line] of lines.entries()) {
    if (i < forward.start && (isMobileSignature(line) || (card && i >= card.start && i <= card.end))) removedSignature = true;
    // No second blank line where the signature stood between two.
    else if (!(removedSignature && i < forward.start && line.trim() === '' && kept.at(-1)?.trim() === '')) kept.push(line);
  }
  return {
    text: joinTrimmed(kept),
    quoted: false,
    signatureRemoved: removedSignature,
    reason:
      `kept the forwarded message below '${abbreviate(forward.marker)}'` +
      (removedSignature ? '; removed the signature above it' : ''),
  };
}

// ---------------------------------------------------------------------------------------------
// The forwarded message itself: its header block ("From: … Sent: … To: … Subject: …", in every
// language Outlook, Gmail, Apple Mail and Thunderbird write it), the text above it (the
// forwarder's own) and below it (the forwarded message's body). Read with the same markers as
// findForward, so "is this a forward" has one answer everywhere.

/** Header block field names → what they mean, from every language's words. */
const FORWARDED_FIELD = new Map<string, HeaderField>(
  LANGUAGES.flatMap((language) =>
    Object.entries(language.headerFields ?? {}).flatMap(([field, names]) => (names ?? []).map((name) => [name, field as HeaderField] as const)),
  ),
);
const FORWARDED_FIELD_NAMES = alternation([...FORWARDED_FIELD.keys()]);
/** "From: …", "*From:* …" (bold in a converted HTML body), "Von: …", "Subject: \tx" (Thunderbird's table). */
const FORWARDED_FIELD_LINE = new RegExp(`^\\s*[*_]{0,2}(${FORWARDED_FIELD_NAMES})[*_]{0,2}\\s*[:：]\\s*(.*)$`, 'iu');
/** A field name inside a flattened one-line block: "From: A <a@b> Sent: Monday … To: B Subject: …". */
const FORWARDED_INLINE_FIELD = new RegExp(`(?<=\\s)[*_]{0,2}(${FORWARDED_FIELD_NAMES})[*_]{0,2}\\s?[:：]`, 'giu');
/** A forwarded header block is at most this many lines (a long To: wraps). */
const FORWARDED_BLOCK_LINES = 12;
/** One level of "> " (Apple Mail may quote the whole forward). */
const ONE_QUOTE_LEVEL = /^\s*>\s?/;

export interface InlineForward {
  /** The line that marks the forward, trimmed (its separator, intro, or the block's first line). */
  marker: string;
  /** The block's fields by meaning, as written (the first of each). */
  fields: Partial<Record<HeaderField, string>>;
  /** What the forwarder wrote above the marker. */
  above: string;
  /** The forwarded message's body, below its header block. */
  below: string;
}

/**
 * The forwarded message of a mail, when its first history marker is a forward (findForward):
 * the fields of the header block under the marker, the forwarder's text above it and the
 * forwarded body below. With several forwards nested, this is the outermost: the deeper ones
 * are part of its body.
 */
export function readInlineForward(body: string, subject: string): InlineForward | null {
  const bodyLines = splitLines(body);
  const bodyFence = codeFenceMask(bodyLines);
  const lines = splitInlineHeaders(bodyLines, bodyFence);
  const inFence = lines === bodyLines ? bodyFence : codeFenceMask(lines);
  const forward = findForward(lines, inFence, findReplyHeaders(lines, inFence), findOutlookBlocks(lines, inFence), subject);
  if (!forward) return null;
  const quoted = isQuoted(lines[forward.start]);
  const unquote = (line: string) => (quoted ? line.replace(ONE_QUOTE_LEVEL, '') : line);
  const rest = lines.slice(forward.start).map(unquote);

  // The separator or intro stands above the block; an Outlook block is its own marker.
  let at = forwardedFieldOf(rest[0]!) ? 0 : 1;
  while (at < rest.length && isBlank(rest[at])) at++;
  const fields: Partial<Record<HeaderField, string>> = {};
  let last: HeaderField | null = null;
  let end = at;
  for (; end < rest.length && end < at + FORWARDED_BLOCK_LINES; end++) {
    const line = rest[end]!;
    if (isBlank(line)) break;
    const found = forwardedFieldOf(line);
    if (found) {
      fields[found.field] ??= found.value;
      last = found.field;
    } else if (last && last !== 'subject') {
      fields[last] = `${fields[last]} ${line.trim()}`; // a long To: or From: wrapped
    } else break;
  }
  const single = Object.keys(fields).length === 1 && fields.from !== undefined ? flattenedBlock(fields.from) : null;
  return {
    marker: forward.marker,
    fields: single ?? fields,
    above: joinTrimmed(lines.slice(0, forward.start)),
    below: joinTrimmed(rest.slice(end)),
  };
}

function forwardedFieldOf(line: string): { field: HeaderField; value: string } | undefined {
  if (line.length > MAX_PATTERN_LINE) return undefined;
  const match = FORWARDED_FIELD_LINE.exec(line);
  const field = match ? FORWARDED_FIELD.get(match[1]!.toLowerCase()) : undefined;
  return field ? { field, value: match![2]!.trim() } : undefined;
}

/** "A <a@b> Sent: Monday … To: B Subject: x" (the value of From: on a flattened line) → its fields. */
function flattenedBlock(fromValue: string): Partial<Record<HeaderField, string>> | null {
  const line = ` ${fromValue}`;
  const cuts = [...line.matchAll(FORWARDED_INLINE_FIELD)].map((m) => ({ at: m.index, after: m.index + m[0].length, field: FORWARDED_FIELD.get(m[1]!.toLowerCase())! }));
  if (cuts.length < 2) return null;
  const fields: Partial<Record<HeaderField, string>> = { from: line.slice(0, cuts[0]!.at).trim() };
  cuts.forEach((cut, k) => (fields[cut.field] ??= line.slice(cut.after, cuts[k + 1]?.at ?? line.length).trim()));
  return fields;
}

/** What a forwarded block's From: says, as clients write it (not RFC 5322: "Doe, Jane <j@x>" is one person). */
export type WrittenFrom =
  | { kind: 'mailbox'; name: string; address: string }
  | { kind: 'name-only'; name: string }
  | { kind: 'not-an-address'; written: string }
  | { kind: 'missing' };

const ANGLE_ADDRESS = /<\s*(?:mailto:)?([^<>\s]+@[^<>\s]+?)\s*>/gi;
/** Outlook 2010–2013: "Jane Doe [mailto:jane@x.example]". */
const MAILTO_ADDRESS = /\[\s*mailto:([^\]\s]+)\s*\]/i;
const BARE_ADDRESS = /(?<![^\s("',;])([^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+)(?![^\s)"',;])/g;

export function readWrittenFrom(value: string | undefined): WrittenFrom {
  const written = (value ?? '').trim();
  if (!written) return { kind: 'missing' };
  const angles = [...written.matchAll(ANGLE_ADDRESS)];
  const mailto = angles.length ? null : MAILTO_ADDRESS.exec(written);
  const bare = [...written.matchAll(BARE_ADDRESS)];
  // "jane@x <jane@x>" is one person; "a@x, b@y" is two, and a ticket is for one.
  const named = new Set([...angles, ...bare, ...(mailto ? [mailto] : [])].map((m) => m[1]!.replace(/^mailto:/i, '').toLowerCase()));
  if (named.size > 1) return { kind: 'not-an-address', written };
  const found = angles.at(-1) ?? mailto ?? bare[0] ?? null;
  if (!found) {
    const name = displayName(written);
    return written.includes('@') || !name ? { kind: 'not-an-address', written } : { kind: 'name-only', name };
  }
  const address = emailSchema.safeParse(found[1]!.replace(/^mailto:/i, ''));
  if (!address.success) return { kind: 'not-an-address', written };
  const name = displayName(written.slice(0, found.index) + written.slice(found.index + found[0].length));
  return { kind: 'mailbox', name: name === address.data ? '' : name, address: address.data };
}

/** The name around an address: bold marks, quotes and stray punctuation gone, encoded words decoded. */
function displayName(text: string): string {
  const decoded = decodeWordsSafe(text.trim());
  const name = decoded
    .replace(/^[\s*_"']+|[\s*_"',;]+$/g, '')
    .replace(/\\(["\\])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  // "(Jane Doe)" after an address, as old clients wrote it: the brackets are not the name's.
  return /^\([^()]*\)$/.test(name) ? name.slice(1, -1).trim() : name;
}
